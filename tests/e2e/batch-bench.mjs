// The page on a large batch (scripts/bench): N files of a CT series picked
// at once in Debian's headless Chromium, timed from the pick to the last
// result, with the first result's time and the peak memory of every
// Chromium process (resident set, sampled from /proc every 100 ms) and of the
// page's JavaScript heap. Prints one JSON object.
//
//   node batch-bench.mjs DIR [--headers-only]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const dir = process.argv[2];
const headersOnly = process.argv.includes('--headers-only');
const files = readdirSync(dir).filter((n) => n.endsWith('.dcm')).sort().map((n) => join(dir, n));
const totalBytes = files.reduce((n, f) => n + statSync(f).size, 0);

/** Resident memory of a process and its descendants, in bytes (Linux /proc). */
function treeRss(rootPid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch { /* gone */ }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = status.match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]) * 1024;
    } catch { /* gone */ }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

const server = await startServer({ root: fileURLToPath(new URL('../../www', import.meta.url)), port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// Chromium's processes are this script's descendants; the script's own
// memory is left out.
const ownRss = () => {
  const m = readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) * 1024 : 0;
};
const chromiumRss = () => treeRss(process.pid) - ownRss();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (headersOnly) await page.locator('#headers-only').check();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = async () => {
    peakRss = Math.max(peakRss, chromiumRss());
    const { metrics } = await cdp.send('Performance.getMetrics');
    peakHeap = Math.max(peakHeap, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
  };
  const idleRss = chromiumRss();
  const timer = setInterval(() => { sample().catch(() => {}); }, 100);
  const start = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(() => window.inspectorPage?.run?.finished === true, null, { timeout: 1_800_000, polling: 100 });
  const wall = (Date.now() - start) / 1000;
  clearInterval(timer);
  await sample();
  const run = await page.evaluate(() => {
    const r = window.inspectorPage.run;
    const done = window.inspectorPage.entries.filter((e) => e.status === 'done').length;
    return { seconds: r.seconds, first_result_ms: r.firstResult, done, total: r.total };
  });
  process.stdout.write(`${JSON.stringify({
    files: files.length,
    bytes: totalBytes,
    headers_only: headersOnly,
    inspected: run.done,
    page_seconds: run.seconds,
    wall_seconds: wall,
    files_per_second: files.length / run.seconds,
    mb_per_second: totalBytes / 1e6 / run.seconds,
    first_result_ms: run.first_result_ms,
    idle_rss_mb: idleRss / 1e6,
    peak_rss_mb: peakRss / 1e6,
    peak_page_heap_mb: peakHeap / 1e6,
  })}\n`);
} finally {
  await browser.close();
  server.close();
}
