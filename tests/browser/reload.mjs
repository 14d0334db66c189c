// Live reload in headless Chromium over CDP, for tests/browser.rs: opens a page of a running
// `chanjiao serve`, saves an edit to a file on disk, and waits for the open page itself to show
// the new text (no action in the page). Then swaps the stylesheet: the page must pick the change up
// without reloading. Prints one JSON object; exits 1 on failure.
//
// Usage: node tests/browser/reload.mjs URL FILE FROM TO EXPECTED CSSFILE (CSSFILE: a stylesheet of
// the site's theme, watched by the server)
import { readFileSync, writeFileSync } from "node:fs";
import { launch } from "./launch.mjs";

const [url, file, from, to, expected, cssFile] = process.argv.slice(2);
const browser = await launch();
const result = { reloaded: false, stylesheet: false, reloadsForCss: 0 };
try {
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: "load" });
  // Give the event stream time to connect before the edit.
  await new Promise((r) => setTimeout(r, 800));
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
  writeFileSync(file, text.replace(from, to));
  await page.waitForFunction((e) => document.body.innerText.includes(e), { timeout: 15000 }, expected);
  result.reloaded = true;

  // A stylesheet-only change: the page swaps it in place.
  await page.evaluate(() => { window.__kept = "same page"; });
  const css = readFileSync(cssFile, "utf8");
  writeFileSync(cssFile, css + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineWidth === "7px", { timeout: 15000 });
  result.stylesheet = true;
  result.reloadsForCss = (await page.evaluate(() => window.__kept)) === "same page" ? 0 : 1;
} catch (e) {
  result.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.reloaded && result.stylesheet && result.reloadsForCss === 0 ? 0 : 1);
