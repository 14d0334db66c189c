import { launch } from "./launch.mjs";
const [url, out, width, media] = process.argv.slice(2);
const b = await launch();
const p = await b.newPage();
await p.setViewport({ width: Number(width), height: 800, deviceScaleFactor: 1 });
if (media) await p.emulateMediaType(media);
await p.goto("file://" + url, { waitUntil: "load" });
await p.screenshot({ path: out, fullPage: true });
await b.close();
