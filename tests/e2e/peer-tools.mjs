// The tools compared in the parse benchmark, the same in Node (peers.mjs) and
// in Chromium (peers-page.mjs): our WASM core (headers only, every PHI and
// security rule, the report object built as the page gets it), cornerstone's dicom-parser walking every element and
// reading every text value, and dcmjs reading every file. Each returns the
// number of elements it saw.

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

export function tools({ inspectPacked, StringTable, dicomParser, dcmjs }) {
  // As the page does: the packed report, its strings put back (www/strings.js).
  const strings = new StringTable();
  return {
    'dicom-inspector (WASM, headers)': (b) => strings.read(inspectPacked(b, { pixel_scan: false })).files[0].element_count,
    'dicom-parser (every element, every text value)': (b) => walkDicomParser(dicomParser.parseDicom(b)),
    'dcmjs (readFile)': (b) => Object.keys(dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength), { ignoreErrors: true }).dict).length,
  };
}

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

/**
 * Best of five runs of each tool over one workload, after warming up for at
 * least a second: V8 first runs WASM and JavaScript through its baseline
 * compilers and swaps in optimised code in the background, so a short
 * warm-up measures one tool optimised and the next one not.
 */
export function measure(name, runtime, workload, toolset, sample = () => {}) {
  const bytes = workload.reduce((n, b) => n + b.length, 0);
  const results = [];
  for (const [tool, fn] of Object.entries(toolset)) {
    const warm = performance.now();
    do run(fn, workload);
    while (performance.now() - warm < 1000);
    let best = null;
    for (let i = 0; i < 5; i++) {
      const r = run(fn, workload);
      sample();
      if (!best || r.ms < best.ms) best = r;
    }
    results.push({ workload: name, tool, runtime, files: workload.length, read: best.ok, mb: bytes / 1e6, ms: best.ms, files_per_s: (workload.length / best.ms) * 1000, mb_per_s: (bytes / 1e6 / best.ms) * 1000, elements_per_s: (best.elements / best.ms) * 1000 });
  }
  return results;
}
