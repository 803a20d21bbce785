// Runs the parse benchmark in headless Chromium (scripts/bench-page): puts
// the peers' browser builds, the page and the series (hard links) under
// www/.bench/peers/, opens it and prints its JSON. Removes what it put there.
//
//   node peers-browser.mjs SERIES_DIR
import { mkdir, rm, readdir, copyFile, link, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const www = fileURLToPath(new URL('../../www', import.meta.url));
const dir = join(www, '.bench', 'peers');
const require = createRequire(import.meta.url);
const series = process.argv[2];

await rm(dir, { recursive: true, force: true });
await mkdir(join(dir, 'series'), { recursive: true });
await copyFile(join(require.resolve('dicom-parser'), '..', 'dicomParser.js'), join(dir, 'dicomParser.js'));
await copyFile(join(require.resolve('dcmjs'), '..', 'dcmjs.es.js'), join(dir, 'dcmjs.es.js'));
await copyFile(join(here, 'peer-tools.mjs'), join(dir, 'peer-tools.mjs'));
await copyFile(join(here, 'peers-page.mjs'), join(dir, 'peers-page.mjs'));
// dcmjs compiles code at run time (new Function): this bench-only page allows it.
await writeFile(join(dir, 'index.html'), `<!doctype html>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'">
<title>Parse benchmark: peers in Chromium</title>
<script src="dicomParser.js"></script>
<script type="module" src="peers-page.mjs"></script>
<pre id="results">running…</pre>
`);
const names = (await readdir(series)).filter((n) => n.endsWith('.dcm')).sort();
for (const n of names) await link(join(series, n), join(dir, 'series', n)).catch(() => copyFile(join(series, n), join(dir, 'series', n)));
await writeFile(join(dir, 'series', 'index.json'), JSON.stringify(names));

const server = await startServer({ root: www, port: 0 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/.bench/peers/index.html`);
  await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 600000 });
  process.stdout.write(await page.locator('#results').textContent());
} finally {
  await browser.close();
  server.close();
  await rm(dir, { recursive: true, force: true });
}
