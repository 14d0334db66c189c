import { launch } from "./launch.mjs";
import { pathToFileURL } from "node:url";
const [w, out, ...files] = process.argv.slice(2);
const b = await launch();
const p = await b.newPage();
await p.setViewport({ width: Number(w), height: 800 });
let i = 0;
for (const f of files) {
  await p.goto(pathToFileURL(f).href);
  await p.screenshot({ path: `${out}-${i++}.png`, fullPage: true });
}
await b.close();
