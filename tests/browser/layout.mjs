// Layout checks in headless Chromium over CDP, for tests/browser.rs. For every page given, at a
// desktop width, three phone widths and at 200% zoom:
// - the page must not scroll sideways;
// - every visible chart must have a rendered size, and every text of it must lie inside the
//   chart's viewBox without overlapping another text;
// - no table cell's content may be clipped by its cell or run over its neighbour;
// - no number with its unit or sign may wrap onto a second line;
// - at 360 px, no chart text may render under 12 px (16 px in 长辈模式);
// - at 390 px, the indicators page may not be taller than 8,000 px (in either version).
// Then, in print media at the width of A4 paper, the same table checks for the report, form and
// assessment pages. Prints one JSON object; exits 1 when a check fails.
//
// Usage: node tests/browser/layout.mjs FILE.html [FILE.html …]
import { pathToFileURL } from "node:url";
import { launch } from "./launch.mjs";

const files = process.argv.slice(2);
const browser = await launch();
const problems = [];
let charts = 0;
let texts = 0;
let cells = 0;
let numbers = 0;
let printed = 0;

// What runs in the page: the checks above, as a list of problems and counts.
function inspect(opts) {
  const out = { problems: [], charts: 0, texts: 0, cells: 0, numbers: 0 };
  const doc = document.documentElement;
  const elder = doc.classList.contains("elder");
  if (opts.page && doc.scrollWidth > window.innerWidth + 1) {
    out.problems.push(`the page scrolls sideways: ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
  }
  const shown = (el) => el.getClientRects().length > 0;
  let smallest = Infinity, smallestText = "";
  for (const svg of document.querySelectorAll("svg.chart")) {
    const name = svg.querySelector("title")?.textContent ?? "(untitled chart)";
    // Hidden by design: sparklines on phones, and the other version's drawing of a chart block.
    if ((svg.closest(".spark-col") || svg.closest(".v-standard, .v-elder")) && !shown(svg)) continue;
    if (!opts.charts) continue;
    out.charts++;
    const box = svg.getBoundingClientRect();
    if (box.width < 40 || box.height < 20) {
      out.problems.push(`chart ${name} is drawn ${box.width}×${box.height}px`);
      continue;
    }
    const vb = svg.viewBox.baseVal;
    const scale = box.width / vb.width;
    const boxes = [];
    for (const t of svg.querySelectorAll("text")) {
      out.texts++;
      const b = t.getBBox();
      const label = t.textContent.trim();
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px < smallest) { smallest = px; smallestText = `"${label}" of ${name}`; }
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
  if (opts.minChartPx && smallest < (elder ? 16 : opts.minChartPx)) {
    out.problems.push(`chart text ${smallestText} renders at ${smallest.toFixed(1)}px, under ${elder ? 16 : opts.minChartPx}px`);
  }
  // Table cells: nothing clipped or spilling into the next cell.
  for (const cell of document.querySelectorAll("table td, table th")) {
    if (!shown(cell)) continue;
    out.cells++;
    if (cell.scrollWidth > cell.clientWidth + 1) {
      const text = cell.textContent.trim().slice(0, 40);
      out.problems.push(`table cell "${text}" is clipped: its content is ${cell.scrollWidth}px wide in a ${cell.clientWidth}px cell`);
    }
  }
  // Numbers: a number with its sign, unit and brackets (（+24.1%）, 1,612.5人日) on one line, in
  // every table cell, every number, value or change, and every value of a list of facts.
  const token = /[（(]?[+\-−]?\d[\d,.]*(?:\u2060?(?:%|万元|亿元|人日|人次|个百分点|[\u4e00-\u9fff]))?[）)]?/g;
  const seen = new Set();
  for (const el of document.querySelectorAll(".num, .value, .nowrap, .change, dd, table td, table th")) {
    if (!shown(el)) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (seen.has(n)) continue;
      seen.add(n);
      // Code is shown as written, to be copied: nothing may be put into it to hold it together.
      if (n.parentElement.closest("code, pre")) continue;
      for (const m of n.textContent.matchAll(token)) {
        if (m[0].replace(/\D/g, "").length < 2) continue; // a lone digit has nothing to break
        out.numbers++;
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) out.problems.push(`the number "${m[0]}" wraps onto ${tops.size} lines`);
      }
    }
  }
  if (opts.maxIndicatorsPx && /\/indicators\/index\.html$/.test(location.pathname) && doc.scrollHeight > opts.maxIndicatorsPx) {
    out.problems.push(`the indicators page is ${doc.scrollHeight}px tall, over ${opts.maxIndicatorsPx}px`);
  }
  return out;
}

try {
  const page = await browser.newPage();
  // A desktop, three phones, and a 1280 px window at 200% browser zoom (640 CSS px at scale 2).
  const viewports = [
    { width: 1280, height: 900, label: "1280px", opts: {} },
    { width: 390, height: 900, label: "390px", opts: { maxIndicatorsPx: 8000 } },
    { width: 360, height: 900, label: "360px", opts: { minChartPx: 12 } },
    { width: 320, height: 900, label: "320px", opts: {} },
    { width: 640, height: 450, deviceScaleFactor: 2, label: "1280px at 200% zoom", opts: {} },
  ];
  for (const { label, opts, ...viewport } of viewports) {
    await page.setViewport(viewport);
    for (const file of files) {
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      const r = await page.evaluate(inspect, { page: true, charts: true, ...opts });
      charts += r.charts;
      texts += r.texts;
      cells += r.cells;
      numbers += r.numbers;
      for (const p of r.problems) problems.push(`${file} at ${label}: ${p}`);
    }
  }
  // Paper: A4 is 210 mm wide, 794 CSS px; the print style sheet's margins take the rest.
  await page.setViewport({ width: 794, height: 1123 });
  await page.emulateMediaType("print");
  for (const file of files.filter((f) => /\/(report|assessment)\//.test(f))) {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const r = await page.evaluate(inspect, { page: false, charts: false });
    printed++;
    cells += r.cells;
    for (const p of r.problems) problems.push(`${file} in print: ${p}`);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify({ pages: files.length, charts, texts, cells, numbers, printed, problems }));
process.exit(problems.length ? 1 : 0);
