// Inspection throughput in Node, side by side on the same bytes (scripts/bench):
// our WASM core (headers only, every PHI and security rule), cornerstone's
// dicom-parser walking every element and reading every text value, and
// dcmjs reading every file. Prints JSON: one entry per tool and workload.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dicomParser from 'dicom-parser';
import dcmjs from 'dcmjs';
import { initSync, inspect } from '../../www/pkg/dicom_inspector.js';

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

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

function walkDicomParser(dataSet) {
  let n = 0;
  for (const tag in dataSet.elements) {
    const e = dataSet.elements[tag];
    n++;
    if (e.items) for (const item of e.items) if (item.dataSet) n += walkDicomParser(item.dataSet);
    // Implicit VR: dicom-parser has no dictionary, so read every short value as text.
    else if (e.vr ? TEXT_VRS.has(e.vr) : e.length < 256) dataSet.string(tag);
  }
  return n;
}

const tools = {
  'dicom-inspector (WASM, headers)': (b) => inspect(b, { pixel_scan: false }).files[0].element_count,
  'dicom-parser (every element, every text value)': (b) => walkDicomParser(dicomParser.parseDicom(b)),
  'dcmjs (readFile)': (b) => Object.keys(dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength), { ignoreErrors: true }).dict).length,
};

// dcmjs logs every oddity it meets; keep the benchmark's output to the result.
for (const level of ['log', 'warn', 'error', 'info']) console[level] = () => {};

function run(fn, workload) {
  let ok = 0;
  let elements = 0;
  const t0 = performance.now();
  for (const b of workload) {
    try {
      elements += fn(b);
      ok++;
    } catch {
      // A file this tool cannot read counts as read (it cost the time).
    }
  }
  return { ms: performance.now() - t0, ok, elements };
}

const results = [];
for (const [name, dir] of process.argv.slice(2).map((a) => a.split('='))) {
  const workload = await files(dir);
  const bytes = workload.reduce((n, b) => n + b.length, 0);
  for (const [tool, fn] of Object.entries(tools)) {
    run(fn, workload.slice(0, 5)); // warm up
    let best = null;
    for (let i = 0; i < 3; i++) {
      const r = run(fn, workload);
      if (!best || r.ms < best.ms) best = r;
    }
    results.push({ workload: name, tool, runtime: 'node', files: workload.length, read: best.ok, mb: bytes / 1e6, ms: best.ms, files_per_s: (workload.length / best.ms) * 1000, mb_per_s: (bytes / 1e6 / best.ms) * 1000, elements_per_s: (best.elements / best.ms) * 1000 });
  }
}
process.stdout.write(JSON.stringify(results));
