// The parse benchmark in Chromium: the same tools as in Node (peer-tools.mjs)
// in one page, on the same bytes. Copied with the peers' browser builds into
// www/.bench/peers/ by peers-browser.mjs, never shipped in the app.
import init, { inspect_packed as inspectPacked } from '../../pkg/dicom_inspector.js';
import { StringTable } from '../../strings.js';
import dcmjs from './dcmjs.es.js';
import { tools, measure } from './peer-tools.mjs';

async function main() {
  await init();
  const names = await (await fetch('series/index.json')).json();
  const workload = await Promise.all(names.map(async (n) => new Uint8Array(await (await fetch(`series/${n}`)).arrayBuffer())));
  for (const level of ['log', 'warn', 'error', 'info']) console[level] = () => {};
  const results = measure('series', 'chromium', workload, tools({ inspectPacked, StringTable, dicomParser: window.dicomParser, dcmjs }));
  document.getElementById('results').textContent = JSON.stringify(results);
  document.body.dataset.done = 'true';
}

main().catch((e) => {
  document.getElementById('results').textContent = `error: ${e.message ?? e}`;
  document.body.dataset.done = 'error';
});
