// Site search in headless Chromium, for tests/browser.rs: serves a built site over HTTP (the index
// is fetched, which a page opened from disk may not do), runs each query on the search page and
// prints the results as JSON. A query with `"box": true` is typed into the header's search box of
// the home page at the given width instead, and submitted.
//
// Also prints, for each of `tokens`, how search.js cuts it and the shard of each token among 97,
// so that a test can hold them against the index's own.
//
// Usage: node tests/browser/search.mjs PUBLIC_DIR '{"tokens": ["订单班"], "queries": [{"q": "订单班", "c": "xiaogan"}, …]}'
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { launch } from "./launch.mjs";

const [dir, spec] = process.argv.slice(2);
const { tokens = [], queries = [] } = JSON.parse(spec);
const types = { ".html": "text/html; charset=utf-8", ".json": "application/json", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
const server = createServer(async (req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (path.endsWith("/")) path += "index.html";
  try {
    const body = await readFile(join(dir, normalize(path)));
    res.writeHead(200, { "content-type": types[extname(path)] || "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
const out = [];
let cut = [];
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/search/`, { waitUntil: "load" });
  cut = await page.evaluate((strings) => strings.map((s) => {
    const t = window.chanjiaoSearch.tokens(s);
    return { tokens: t, shards: t.map((x) => window.chanjiaoSearch.shardOf(x, 97)) };
  }), tokens);
  for (const q of queries) {
    await page.setViewport({ width: q.width || 1280, height: 900 });
    const elder = q.elder ? "elder/" : "";
    if (q.box) {
      await page.goto(`${origin}/${elder}`, { waitUntil: "load" });
      const box = await page.$("#site-q");
      const rect = await box.boundingBox();
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      await box.type(q.q);
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
      q.boxRect = rect;
      q.scrollWidth = scroll;
    } else {
      const params = new URLSearchParams({ q: q.q });
      for (const f of ["c", "t", "k", "y"]) if (q[f]) params.set(f, q[f]);
      await page.goto(`${origin}/${elder}search/?${params}`, { waitUntil: "load" });
    }
    await page.waitForFunction(
      () => { const s = document.getElementById("search-status").textContent; return s && !s.startsWith("正在"); },
      { timeout: 10000 },
    );
    const found = await page.evaluate(() => ({
      status: document.getElementById("search-status").textContent,
      url: location.pathname + location.search,
      results: [...document.querySelectorAll("#search-results li")].map((li) => ({
        href: li.querySelector("a").getAttribute("href"),
        title: li.querySelector("a").textContent,
        meta: li.querySelector(".meta").textContent,
        marked: [...li.querySelectorAll("mark")].map((m) => m.textContent),
      })),
    }));
    out.push({ query: q, ...found });
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify({ tokens: cut, runs: out }));
