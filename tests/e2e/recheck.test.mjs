// A batch's second look (www/app.js `settleBatch`), in Node: the WASM core
// given the first look's pixel scan (`earlier_pixels`, through the same
// options object the worker passes) reports every demo file exactly as a
// whole inspection with the batch's identities; and the core reading a file
// itself through a reader (`{size, read}`, as the worker's FileReaderSync)
// gives the report of the whole bytes, reading only what it needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initSync, inspect } from '../../www/pkg/dicom_inspector.js';
import { identitiesOf } from '../../www/inspector.js';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
initSync({ module: await readFile(`${WWW}pkg/dicom_inspector_bg.wasm`) });

const demos = [];
for (const name of (await readdir(`${WWW}demo`)).sort()) {
  if (name.endsWith('.dcm')) demos.push([name, new Uint8Array(await readFile(`${WWW}demo/${name}`))]);
}

test('a second look given the first one\'s pixel scan is the whole inspection', () => {
  assert.ok(demos.length > 10, 'the demo files are there');
  const firsts = demos.map(([name, bytes]) => inspect(bytes, { path: name }));
  const batch = [...new Set(firsts.flatMap((r) => identitiesOf(r.files[0].summary)))].sort();
  assert.ok(batch.length > 4, `the demo files have several patients (${batch.length} identity values)`);
  let taken = 0;
  let found = 0;
  demos.forEach(([name, bytes], i) => {
    const whole = inspect(bytes, { path: name, batch_identities: batch });
    const pixels = firsts[i].files[0].pixels;
    taken += pixels?.decodable ? 1 : 0;
    const again = inspect(bytes, { path: name, batch_identities: batch, earlier_pixels: pixels });
    found += whole.files[0].findings.filter((f) => f.message.includes('another file of this batch')).length;
    assert.deepEqual(again, whole, name);
  });
  assert.ok(taken > 5, `${taken} files' pixel scans taken`);
  assert.ok(found > 0, 'the batch identities were found somewhere');
});

test('text regions given with the earlier pixels reach the report and its burned-in finding', () => {
  const [name, bytes] = demos.find(([n]) => n === 'ct-explicit-le.dcm');
  const first = inspect(bytes, { path: name });
  const region = { frame: 0, boxes: [{ x: 2, y: 3, width: 20, height: 6, score: 0.5 }] };
  const earlier = { ...first.files[0].pixels, text_regions: [region] };
  const file = inspect(bytes, { path: name, earlier_pixels: earlier }).files[0];
  assert.deepEqual(file.pixels.text_regions, [region]);
  assert.ok(file.findings.some((f) => f.code === 'phi.burned_in' && f.message.startsWith('1 text-like region(s)')), JSON.stringify(file.findings));
  // Pixels of another geometry are not this file's: its own scan decides.
  const other = inspect(bytes, { path: name, earlier_pixels: { ...earlier, rows: earlier.rows + 1 } }).files[0];
  assert.deepEqual(other.pixels, first.files[0].pixels);
});

/** A reader over `bytes` that counts what it gives. */
function reader(bytes) {
  const r = { size: bytes.length, given: 0 };
  r.read = (offset, length) => {
    r.given += length;
    return bytes.subarray(offset, offset + length);
  };
  return r;
}

test('a reader gives the report of the whole bytes, with only the headers read when the pixels are not scanned', () => {
  let saved = 0;
  for (const [name, bytes] of demos) {
    for (const options of [{ path: name }, { path: name, pixel_scan: false }]) {
      const r = reader(bytes);
      assert.deepEqual(inspect(r, options), inspect(bytes, options), `${name} ${JSON.stringify(options)}`);
      assert.ok(r.given <= bytes.length, `${name}: ${r.given} of ${bytes.length} bytes given`);
      if (options.pixel_scan === false) saved += bytes.length - r.given;
    }
  }
  assert.ok(saved > 100_000, `pixel bytes left unread: ${saved}`);
});

test('a reader that fails or gives too few bytes is an error, not a crash', () => {
  const [, bytes] = demos.find(([n]) => n === 'ct-explicit-le.dcm');
  const failing = { size: bytes.length, read: () => { throw new Error('the disk is gone'); } };
  assert.throws(() => inspect(failing, {}), /cannot read the bytes: the disk is gone/);
  const short = { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length - 1) };
  assert.throws(() => inspect(short, { pixel_scan: false }), /cannot read the bytes: the reader gave other than/);
  assert.throws(() => inspect({ size: -1, read: () => bytes }, {}), /whole number of bytes/);
  // The core still works afterwards.
  assert.equal(inspect(bytes, {}).files[0].is_dicom, true);
});
