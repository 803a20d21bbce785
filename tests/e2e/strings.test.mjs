// The packed reports of the WASM core (src/wasm.rs `inspect_packed`) and
// their string tables (www/strings.js), in Node: once the strings are put
// back, every demo file's report equals the plain `inspect` report, across
// one table that lives from file to file, and through the worker's
// pending-strings hand-over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { initSync, inspect, inspect_packed as inspectPacked } from '../../www/pkg/dicom_inspector.js';
import { PendingStrings, StringTable, packedPartial } from '../../www/strings.js';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
initSync({ module: await readFile(`${WWW}pkg/dicom_inspector_bg.wasm`) });

const demos = [];
for (const name of (await readdir(`${WWW}demo`)).sort()) {
  if (name.endsWith('.dcm') || name === 'DICOMDIR') demos.push([name, new Uint8Array(await readFile(`${WWW}demo/${name}`))]);
}

// The mirror of this module's one WASM instance's table, kept by both tests.
const table = new StringTable();

test('packed reports equal the plain ones once expanded', () => {
  assert.ok(demos.length > 10, 'the demo files are there');
  for (const [name, bytes] of demos) {
    const options = { path: name };
    const packed = inspectPacked(bytes, options);
    // The report is one array of whole numbers (json::to_packed); the
    // call's own texts start with the file's path.
    const { values, texts } = packed;
    assert.ok(Array.isArray(values) && values.every(Number.isInteger), name);
    assert.equal(texts[0], name);
    assert.deepEqual(table.read(packed), inspect(bytes, options), name);
  }
  // A second pass adds no string: everything is known.
  for (const [name, bytes] of demos) assert.deepEqual(inspectPacked(bytes, { path: name }).strings, [], name);
});

test('options come from a plain object, and anything else is refused with a clear message', () => {
  const [name, bytes] = demos[0];
  const expanded = table.read(inspectPacked(bytes, { path: name, profile: ['retain_uids'], max_depth: 8 }));
  assert.equal(expanded.files[0].path, name, 'the options were read');
  assert.deepEqual(expanded, inspect(bytes, { path: name, profile: ['retain_uids'], max_depth: 8 }));
  // No options (undefined or null) are the defaults.
  assert.deepEqual(table.read(inspectPacked(bytes, null)), inspect(bytes));
  assert.deepEqual(table.read(inspectPacked(bytes)), inspect(bytes, {}));
  for (const bad of [5, 'x', [1], { max_depth: 'deep' }, { profile: ['no_such_option'] }, { pixel_scan: 1n }, () => 1]) {
    assert.throws(() => inspect(bytes, bad), /invalid options/, String(bad));
    assert.throws(() => inspectPacked(bytes, bad), /invalid options/, String(bad));
  }
});

test('strings gathered over several calls reach the table in order', () => {
  const pending = new PendingStrings();
  // The instance numbered strings in the test above: the hand-over starts there.
  pending.base = table.list.length;
  // As headers-only reads of larger files, each report says a new message
  // (how many of how many bytes were read), so strings are added.
  const options = (i) => ({ file_size: demos[i][1].length + 1000 * (i + 1) });
  const reports = demos.slice(0, 6).map(([, b], i) => pending.keep(inspectPacked(b, options(i))));
  const sent = pending.take();
  assert.ok(sent.strings.length > 0, 'the calls added strings');
  table.add(sent);
  for (const [i, r] of reports.entries()) {
    const plain = inspect(demos[i][1], options(i));
    assert.ok(plain.files[0].partial, 'a headers-only read');
    // (The worker reads `partial` before it sends the report on.)
    assert.deepEqual(packedPartial(r), plain.files[0].partial);
    assert.deepEqual(table.expand(r), plain);
  }
  assert.deepEqual(pending.take().strings, [], 'nothing left to send');
  assert.throws(() => table.add({ base: table.list.length + 1, strings: ['x'] }), /out of step/);
});
