// Accessibility in headless Chromium over CDP, for tests/browser.rs: runs axe-core's WCAG 2.1 A and
// AA rules on every page given and prints the violations as JSON; exits 1 if there are any.
// With --elder, the pages are the large-type version (长辈模式) and must also meet the enhanced
// contrast rule (7:1), with a root font of at least 1.25× the browser's and line spacing of at
// least 1.5.
//
// Usage: node tests/browser/axe.mjs [--elder] FILE.html [FILE.html …]
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { launch } from "./launch.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const elder = process.argv[2] === "--elder";
const files = process.argv.slice(elder ? 3 : 2);
const browser = await launch();
const violations = [];
try {
  const page = await browser.newPage();
  for (const file of files) {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.addScriptTag({ path: axePath });
    const found = await page.evaluate(async (elder) => {
      const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
      if (elder) tags.push("wcag2aaa");
      const r = await window.axe.run(document, {
        runOnly: { type: "tag", values: tags },
        // Of the AAA rules, only the enhanced contrast is asked of the large-type version.
        rules: elder ? { "identical-links-same-purpose": { enabled: false } } : {},
      });
      const out = r.violations
        .filter((v) => !elder || !v.tags.includes("wcag2aaa") || v.id === "color-contrast-enhanced")
        .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, example: v.nodes[0]?.html?.slice(0, 160) }));
      if (elder) {
        const root = parseFloat(getComputedStyle(document.documentElement).fontSize);
        const body = getComputedStyle(document.body);
        const line = parseFloat(body.lineHeight) / parseFloat(body.fontSize);
        if (!document.documentElement.classList.contains("elder")) out.push({ id: "elder-class", nodes: 1 });
        if (root < 16 * 1.25) out.push({ id: "elder-font-size", example: `${root}px` });
        if (!(line >= 1.5)) out.push({ id: "elder-line-height", example: `${line}` });
      }
      return out;
    }, elder);
    for (const v of found) violations.push({ file, ...v });
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages: files.length, violations }));
process.exit(violations.length ? 1 : 0);
