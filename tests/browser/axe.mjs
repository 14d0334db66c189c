// Accessibility in headless Chromium over CDP, for tests/browser.rs: runs axe-core's WCAG 2.1 A and
// AA rules on every page given and prints the violations as JSON; exits 1 if there are any.
//
// Usage: node tests/browser/axe.mjs FILE.html [FILE.html …]
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const files = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "chanjiao-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--allow-file-access-from-files", `--user-data-dir=${profile}`,
  ],
});
const violations = [];
try {
  const page = await browser.newPage();
  for (const file of files) {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.addScriptTag({ path: axePath });
    const found = await page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, example: v.nodes[0]?.html?.slice(0, 160) }));
    });
    for (const v of found) violations.push({ file, ...v });
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ pages: files.length, violations }));
process.exit(violations.length ? 1 : 0);
