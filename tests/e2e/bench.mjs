// Runs www/bench.html in Debian's Chromium and prints its JSON (scripts/bench);
// `node bench.mjs pixel-scan` runs only the pixel scan's part, `node bench.mjs
// inspect-steps` only the headers-only inspection's steps; BENCH_WWW serves
// another copy of www/ (builds made aside while the tree changes).
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const server = await startServer({ root: process.env.BENCH_WWW ?? fileURLToPath(new URL('../../www', import.meta.url)), port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const only = process.argv[2] ? `?only=${encodeURIComponent(process.argv[2])}` : '';
  await page.goto(`http://127.0.0.1:${server.address().port}/bench.html${only}`);
  await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 300000 });
  process.stdout.write(await page.locator('#results').textContent());
} finally {
  await browser.close();
  server.close();
}
