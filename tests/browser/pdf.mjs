// Printing in headless Chromium, for tests/browser.rs: prints each page given to a PDF beside
// it (OUT-0.pdf, OUT-1.pdf …) on A4, as a reader would with the browser's own print, using the
// page's print stylesheet (@page size and margins, page numbers).
//
// Usage: node tests/browser/pdf.mjs OUT FILE.html [FILE.html …]
import { pathToFileURL } from "node:url";
import { launch } from "./launch.mjs";

const [out, ...files] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage();
  let i = 0;
  for (const file of files) {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    await page.pdf({ path: `${out}-${i++}.pdf`, preferCSSPageSize: true, printBackground: true });
  }
} finally {
  await browser.close();
}
