// Inspection throughput in Node, side by side on the same bytes (scripts/bench):
// our WASM core (headers only, every PHI and security rule), cornerstone's
// dicom-parser walking every element and reading every text value, and
// dcmjs reading every file. Prints JSON: one entry per tool and workload.
//
//   node peers.mjs [--tool NAME] series=DIR corpus=DIR
//
// With --tool, only that tool runs (one process per tool, so each entry's
// `peak_mb` is that tool's: the resident memory it added, sampled after each
// timed run, above what the process held once the workloads were loaded).
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

const args = process.argv.slice(2);
const only = args.includes('--tool') ? args[args.indexOf('--tool') + 1] : null;
const toolset = Object.fromEntries(Object.entries(tools({ inspectPacked, StringTable, dicomParser, dcmjs })).filter(([name]) => !only || name.startsWith(only)));

// dcmjs logs every oddity it meets; keep the benchmark's output to the result.
for (const level of ['log', 'warn', 'error', 'info']) console[level] = () => {};

const workloads = [];
for (const [name, dir] of args.filter((a) => a.includes('=')).map((a) => a.split('='))) workloads.push([name, await files(dir)]);
// Resident memory above what the process held with the workloads loaded,
// sampled after each timed run (the tool's buffers and garbage stay until
// a collection, so the samples see most of its peak).
const loaded = process.memoryUsage().rss;
let peak = loaded;
const results = [];
for (const [name, workload] of workloads) results.push(...measure(name, 'node', workload, toolset, () => (peak = Math.max(peak, process.memoryUsage().rss))));
for (const r of results) r.peak_mb = (peak - loaded) / 1e6;
process.stdout.write(JSON.stringify(results));
