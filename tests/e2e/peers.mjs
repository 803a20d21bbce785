// Inspection throughput in Node, side by side on the same bytes (scripts/bench):
// our WASM core (headers only, every PHI and security rule), cornerstone's
// dicom-parser walking every element and reading every text value, and
// dcmjs reading every file. Prints JSON: one entry per tool and workload.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dicomParser from 'dicom-parser';
import dcmjs from 'dcmjs';
import { initSync, inspect_packed as inspectPacked } from '../../www/pkg/dicom_inspector.js';
import { StringTable } from '../../www/strings.js';
import { tools, measure } from './peer-tools.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
initSync({ module: await readFile(join(ROOT, 'www/pkg/dicom_inspector_bg.wasm')) });

async function files(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.(tsv|md|json)$/.test(entry.name)) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if ((await stat(path)).size > 0) out.push(new Uint8Array(await readFile(path)));
  }
  return out;
}

const toolset = tools({ inspectPacked, StringTable, dicomParser, dcmjs });

// dcmjs logs every oddity it meets; keep the benchmark's output to the result.
for (const level of ['log', 'warn', 'error', 'info']) console[level] = () => {};

const results = [];
for (const [name, dir] of process.argv.slice(2).map((a) => a.split('='))) {
  results.push(...measure(name, 'node', await files(dir), toolset));
}
process.stdout.write(JSON.stringify(results));
