// Layout checks in headless Chromium over CDP, for tests/browser.rs: for every page given, at a
// desktop width, two phone widths and at 200% zoom, the page must not scroll sideways, every
// visible chart must have a rendered size, and every text of every chart must lie inside the
// chart's viewBox without overlapping another text. Prints one JSON object; exits 1 when a check fails.
//
// Usage: node tests/browser/layout.mjs FILE.html [FILE.html …]
import { pathToFileURL } from "node:url";
import { launch } from "./launch.mjs";

const files = process.argv.slice(2);
const browser = await launch();
const problems = [];
let charts = 0;
let texts = 0;
try {
  const page = await browser.newPage();
  // A desktop, two phones, and a 1280 px window at 200% browser zoom (640 CSS px at scale 2).
  const viewports = [
    { width: 1280, height: 900, label: "1280px" },
    { width: 390, height: 900, label: "390px" },
    { width: 320, height: 900, label: "320px" },
    { width: 640, height: 450, deviceScaleFactor: 2, label: "1280px at 200% zoom" },
  ];
  for (const { label, ...viewport } of viewports) {
    await page.setViewport(viewport);
    for (const file of files) {
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const r = await page.evaluate(() => {
        const out = { problems: [], charts: 0, texts: 0 };
        const doc = document.documentElement;
        if (doc.scrollWidth > window.innerWidth + 1) {
          out.problems.push(`the page scrolls sideways: ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
        }
        for (const svg of document.querySelectorAll("svg.chart")) {
          const name = svg.querySelector("title")?.textContent ?? "(untitled chart)";
          // Hidden by design: sparklines on phones, and the other version's drawing of a chart
          // block (each body holds the standard and the large-type drawing).
          if ((svg.closest(".spark-col") || svg.closest(".v-standard, .v-elder")) && svg.getClientRects().length === 0) continue;
          out.charts++;
          const box = svg.getBoundingClientRect();
          if (box.width < 40 || box.height < 20) {
            out.problems.push(`chart ${name} is drawn ${box.width}×${box.height}px`);
            continue;
          }
          const vb = svg.viewBox.baseVal;
          const boxes = [];
          for (const t of svg.querySelectorAll("text")) {
            out.texts++;
            const b = t.getBBox();
            const label = t.textContent.trim();
            if (b.width === 0) out.problems.push(`text "${label}" of ${name} has no width (no font?)`);
            if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
              out.problems.push(`text "${label}" of ${name} is clipped: box ${b.x.toFixed(1)},${b.y.toFixed(1)} ${b.width.toFixed(1)}×${b.height.toFixed(1)} in a ${vb.width}×${vb.height} viewBox`);
            }
            boxes.push({ label, b });
          }
          for (let i = 0; i < boxes.length; i++) {
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i].b, c = boxes[j].b;
              const w = Math.min(a.x + a.width, c.x + c.width) - Math.max(a.x, c.x);
              const h = Math.min(a.y + a.height, c.y + c.height) - Math.max(a.y, c.y);
              if (w > 1 && h > 1) out.problems.push(`texts "${boxes[i].label}" and "${boxes[j].label}" of ${name} overlap`);
            }
          }
        }
        return out;
      });
      charts += r.charts;
      texts += r.texts;
      for (const p of r.problems) problems.push(`${file} at ${label}: ${p}`);
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages: files.length, charts, texts, problems }));
process.exit(problems.length ? 1 : 0);
