// Kernel benchmark: window/level in JavaScript vs WASM scalar vs WASM simd128
// (same values, the xorshift sequence of KernelBench, same math, Mpixel/s);
// the pixel scan against a copy of its bytes (GB/s); the page's inspection.
import init, { ImageView, InspectBench, KernelBench, PixelScanBench, inspect_packed } from './pkg/dicom_inspector.js';
import { StringTable } from './strings.js';

/** The mirror of this WASM instance's table of numbered strings (www/strings.js): one for every call of `inspect_packed`. */
const strings = new StringTable();

function values(n) {
  const v = new Int32Array(n);
  let s = 2463534242 >>> 0;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    v[i] = s & 0xfff;
  }
  return v;
}

// The same affine map and rounding as the Rust kernel, in f32 via Math.fround.
function windowJs(v, out32, center, width) {
  const w = Math.max(width - 1, 1e-6);
  const a = Math.fround((1 / w) * 255);
  const b = Math.fround(((0 - (center - 0.5)) / w + 0.5) * 255);
  for (let i = 0; i < v.length; i++) {
    let t = Math.fround(Math.fround(v[i] * a) + b);
    t = t < 0 ? 0 : t > 255 ? 255 : t;
    const g = Math.fround(t + 8388608) - 8388608;
    out32[i] = (g * 0x010101) | 0xff000000;
  }
}

// Each sample repeats the run until it lasts 20 ms (timers here tick coarsely).
function time(run, pixels, minMs = 600) {
  run(); // warm up
  const samples = [];
  const start = performance.now();
  while (performance.now() - start < minMs || samples.length < 5) {
    let reps = 0;
    const t0 = performance.now();
    do { run(); reps++; } while (performance.now() - t0 < 20);
    samples.push((performance.now() - t0) / reps);
  }
  samples.sort((x, y) => x - y);
  const median = samples[samples.length >> 1];
  return { ms: median, mpxs: pixels / median / 1000 };
}

/** The baseline build (no simd128), when scripts/bench has built it. */
async function baseline() {
  try {
    const m = await import('./pkg-baseline/dicom_inspector.js');
    await m.default();
    return m;
  } catch {
    return null;
  }
}

async function main() {
  await init();
  const only = new URLSearchParams(location.search).get('only');
  // bench.html?only=inspect-steps times the headers-only inspection's steps alone (no baseline build needed).
  if (only === 'inspect-steps') {
    document.getElementById('results').textContent = JSON.stringify({ inspect_steps: inspectSteps() }, null, 2);
    document.body.dataset.done = 'true';
    return;
  }
  const base = await baseline();
  // bench.html?only=pixel-scan runs the pixel scan alone (node bench.mjs pixel-scan).
  if (only === 'pixel-scan') {
    const pixelScan = pixelScanBench(PixelScanBench, base?.PixelScanBench);
    document.getElementById('results').textContent = JSON.stringify({ pixel_scan: pixelScan }, null, 2);
    document.body.dataset.done = 'true';
    return;
  }
  const results = [];
  for (const side of [512, 4096]) {
    const n = side * side;
    const v = values(n);
    const out = new Uint32Array(n);
    const bench = new KernelBench(n);
    const [c, w] = [2048, 4096];
    const js = time(() => windowJs(v, out, c, w), n);
    const scalar = time(() => bench.scalar(c, w), n);
    const simd = time(() => bench.simd(c, w), n);
    let baselineScalar = null;
    if (base) {
      const b = new base.KernelBench(n);
      baselineScalar = time(() => b.scalar(c, w), n).mpxs;
      b.free();
    }
    bench.simd(c, w);
    const wasmSum = bench.checksum();
    const bytes = new Uint8Array(out.buffer);
    let jsSum = 0;
    for (let i = 0; i < bytes.length; i++) jsSum = (Math.imul(jsSum, 31) + bytes[i]) >>> 0;
    results.push({ frame: `${side}x${side}`, js_mpxs: js.mpxs, wasm_scalar_mpxs: scalar.mpxs, wasm_simd_mpxs: simd.mpxs,
      baseline_build_scalar_mpxs: baselineScalar,
      simd_over_js: simd.mpxs / js.mpxs, simd_over_scalar: simd.mpxs / scalar.mpxs,
      simd_over_baseline_build: baselineScalar ? simd.mpxs / baselineScalar : null,
      simd_frame_ms: simd.ms, same_output: wasmSum === jsSum });
    bench.free();
  }
  const pixelScan = pixelScanBench(PixelScanBench, base?.PixelScanBench);
  const parse = await parseBench();
  const inspect_steps = inspectSteps();
  const drag = [dragBench(512), dragBench(4096)];
  document.getElementById('results').textContent = JSON.stringify({ kernels: results, pixel_scan: pixelScan, parse, inspect_steps, drag }, null, 2);
  document.body.dataset.done = 'true';
}

/**
 * The pixel scan alone (decode, range, 8-bit map, burned-in text detector)
 * on files generated and scanned inside WASM memory, against a copy of the
 * same bytes within WASM memory: GB/s of pixel data, in the SIMD build and
 * in the baseline build. One workload is built at a time and freed.
 */
function pixelScanBench(Simd, Baseline) {
  const out = [];
  for (const workload of ['series', 'large', 'multiframe']) {
    const row = { workload };
    for (const [build, Bench] of [['simd', Simd], ['baseline', Baseline]]) {
      if (!Bench) continue;
      let bench;
      try {
        bench = new Bench(workload);
      } catch (e) {
        row[`${build}_error`] = String(e.message ?? e);
        continue;
      }
      const bytes = bench.scanned_bytes();
      const scan = time(() => bench.scan(), bytes / 1e3, 400);
      const copy = time(() => bench.copy(), bytes / 1e3, 400);
      Object.assign(row, { files: bench.files(), mb: bytes / 1e6, [`${build}_regions`]: bench.scan(),
        [`${build}_scan_gbs`]: bytes / scan.ms / 1e6, [`${build}_copy_gbs`]: bytes / copy.ms / 1e6,
        [`${build}_scan_over_copy`]: scan.ms / copy.ms });
      bench.free();
    }
    out.push(row);
  }
  return out;
}

/**
 * The headers-only inspection of the CT series a step more at a time, in
 * µs a file (InspectBench, src/wasm.rs): the inspection alone, with the
 * packed report written, with it handed to JavaScript, and the page's whole
 * call (inspect_packed on bytes from JavaScript, the findings made objects
 * by www/strings.js). Each the best of five passes after a second's warm-up.
 */
function inspectSteps() {
  const bench = new InspectBench('series');
  const n = bench.files();
  const files = Array.from({ length: n }, (_, i) => bench.file(i));
  const steps = {
    inspect: () => bench.inspect(),
    write: () => bench.write(),
    hand_over: () => bench.hand_over(),
    whole_call: () => {
      let elements = 0;
      for (const f of files) elements += strings.read(inspect_packed(f, { pixel_scan: false })).files[0].element_count;
      return elements;
    },
  };
  // The same files, the same elements, whichever way they are inspected.
  const out = { files: n, same_elements: steps.inspect() === steps.whole_call() && steps.hand_over() === n };
  for (const [name, step] of Object.entries(steps)) {
    const warm = performance.now();
    do step();
    while (performance.now() - warm < 1000);
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      step();
      best = Math.min(best, performance.now() - t0);
    }
    out[`${name}_us`] = (best * 1000) / n;
  }
  bench.free();
  return out;
}

/** A minimal Part 10 file: `side`×`side` 16-bit MONOCHROME2 pixels. */
function syntheticImage(side) {
  const parts = [];
  const el = (g, e, vr, value) => {
    const v = typeof value === 'string' ? new TextEncoder().encode(value.length % 2 ? `${value} ` : value) : value;
    const long = ['OB', 'OW', 'UN', 'SQ', 'UT'].includes(vr);
    const h = new DataView(new ArrayBuffer(long ? 12 : 8));
    h.setUint16(0, g, true); h.setUint16(2, e, true);
    h.setUint8(4, vr.charCodeAt(0)); h.setUint8(5, vr.charCodeAt(1));
    if (long) h.setUint32(8, v.length, true); else h.setUint16(6, v.length, true);
    parts.push(new Uint8Array(h.buffer), v);
  };
  const us = (n) => new Uint8Array(new Uint16Array([n]).buffer);
  const meta = [];
  el(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1\0');
  meta.push(...parts.splice(0));
  el(0x0028, 0x0002, 'US', us(1)); el(0x0028, 0x0004, 'CS', 'MONOCHROME2');
  el(0x0028, 0x0010, 'US', us(side)); el(0x0028, 0x0011, 'US', us(side));
  el(0x0028, 0x0100, 'US', us(16)); el(0x0028, 0x0101, 'US', us(12)); el(0x0028, 0x0102, 'US', us(11)); el(0x0028, 0x0103, 'US', us(0));
  const px = new Uint16Array(side * side);
  for (let i = 0; i < px.length; i++) px[i] = (i * 2654435761 >>> 20) & 0xfff;
  el(0x7fe0, 0x0010, 'OW', new Uint8Array(px.buffer));
  const all = [new Uint8Array(128), new TextEncoder().encode('DICM'), ...meta, ...parts];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of all) { out.set(p, o); o += p.length; }
  return out;
}

/** Window/level while dragging: render + copy into the canvas, frames per second. */
function dragBench(side) {
  const view = new ImageView(syntheticImage(side));
  const canvas = document.createElement('canvas');
  canvas.width = side; canvas.height = side;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(side, side);
  const frames = 30;
  view.render(2048, 4096);
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    view.render(2048 + i * 10, 4096 - i * 20);
    image.data.set(view.rgba());
    ctx.putImageData(image, 0, 0);
  }
  ctx.getImageData(0, 0, 1, 1); // wait for the canvas to take the last frame
  const ms = (performance.now() - t0) / frames;
  view.free();
  return { frame: `${side}x${side}`, ms_per_frame: ms, frames_per_s: 1000 / ms };
}

/** Inspects the files scripts/bench copied into .bench/ (if any), in this thread. */
async function parseBench() {
  let list;
  try {
    list = await (await fetch('.bench/index.json')).json();
  } catch {
    return null;
  }
  const files = await Promise.all(list.map(async (name) => new Uint8Array(await (await fetch(`.bench/${name}`)).arrayBuffer())));
  const bytes = files.reduce((n, f) => n + f.length, 0);
  const out = {};
  const inspect = (bytes, options) => strings.read(inspect_packed(bytes, options));
  for (const [mode, pixel_scan] of [['headers', false], ['full', true]]) {
    // Warm up for a second (V8 swaps in optimised WASM in the background),
    // then the best of three passes.
    const pass = () => {
      const t0 = performance.now();
      let elements = 0;
      for (const f of files) elements += inspect(f, { pixel_scan }).files[0].element_count;
      return { ms: performance.now() - t0, elements };
    };
    const warm = performance.now();
    do pass();
    while (performance.now() - warm < 1000);
    let best = pass();
    for (let i = 0; i < 2; i++) {
      const r = pass();
      if (r.ms < best.ms) best = r;
    }
    const { ms, elements } = best;
    out[mode] = { files: files.length, mb: bytes / 1e6, ms, files_per_s: files.length / ms * 1000, mb_per_s: bytes / 1e6 / ms * 1000, ms_per_mb: ms / (bytes / 1e6), elements_per_s: elements / ms * 1000 };
  }
  return out;
}

main().catch((e) => {
  document.getElementById('results').textContent = `error: ${e.message ?? e}`;
  document.body.dataset.done = 'error';
});
