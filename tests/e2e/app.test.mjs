// End to end: the app around the inspector — folders, ZIPs, batches with
// progress and cancel, the dashboard, offline use, keyboard and axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat, mkdir, rm, writeFile, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { zipSync } from 'fflate';
import * as harness from './harness.mjs';

const { WWW, OUTPUT, ROOT } = harness;
const CLI = join(ROOT, 'target', 'release', 'dicom-inspect');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCRATCH = join(tmpdir(), `dicom-inspector-e2e-${process.pid}`);
let env;

before(async () => {
  env = await harness.launch();
  assert.ok(existsSync(CLI), 'target/release/dicom-inspect is not built: run scripts/test');
  await mkdir(SCRATCH, { recursive: true });
});

after(async () => {
  await env?.close();
  await rm(SCRATCH, { recursive: true, force: true });
});

const openPage = (path, options) => harness.openPage(env, path, options);
const demo = (name) => readFile(join(WWW, 'demo', name));

/** A CT series written by the CLI's benchmark generator. */
function series(count) {
  const dir = join(SCRATCH, `series-${count}`);
  if (!existsSync(dir)) execFileSync(CLI, ['bench-data', dir, '--count', String(count)]);
  return dir;
}

const { waitForRun } = harness;

/** Drops a folder tree through a DataTransfer whose items are directory entries. */
async function dropFolder(page, tree) {
  await page.evaluate((spec) => {
    const fileEntry = (path, bytes) => ({
      isFile: true, isDirectory: false, name: path.split('/').pop(), fullPath: `/${path}`,
      file: (ok) => ok(new File([new Uint8Array(bytes)], path.split('/').pop())),
    });
    const dirEntry = (path, children) => ({
      isFile: false, isDirectory: true, name: path.split('/').pop(), fullPath: `/${path}`,
      // Directory readers hand out entries in pages, then an empty page.
      createReader: () => {
        let pages = [children.slice(0, 2), children.slice(2)].filter((p) => p.length);
        return { readEntries: (ok) => ok(pages.shift() ?? []) };
      },
    });
    const build = (path, node) => (Array.isArray(node)
      ? fileEntry(path, node)
      : dirEntry(path, Object.entries(node).map(([name, child]) => build(`${path}/${name}`, child))));
    const roots = Object.entries(spec).map(([name, node]) => build(name, node));
    const transfer = {
      items: roots.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry })),
      files: [],
    };
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    Object.defineProperty(drop, 'dataTransfer', { value: transfer });
    document.getElementById('drop-zone').dispatchEvent(drop);
  }, tree);
}

const bytesOf = async (name) => [...await demo(name)];

test('a folder dropped with directory entries is walked, grouped by patient, study and series; non-DICOM files are counted and skipped', async () => {
  const { context, page, requests, errors } = await openPage();
  await dropFolder(page, {
    export: {
      'ct-explicit-le.dcm': await bytesOf('ct-explicit-le.dcm'),
      nested: {
        deeper: { 'ct-big-endian.dcm': await bytesOf('ct-big-endian.dcm') },
        'notes.txt': [...Buffer.from('not DICOM at all')],
      },
      'mr-implicit-le.dcm': await bytesOf('mr-implicit-le.dcm'),
      'thumbs.db': [...Buffer.from('also not DICOM')],
    },
  });
  await waitForRun(page);
  const names = await page.evaluate(() => window.inspectorPage.entries.map((e) => e.name).sort());
  assert.deepEqual(names, ['export/ct-explicit-le.dcm', 'export/mr-implicit-le.dcm', 'export/nested/deeper/ct-big-endian.dcm', 'export/nested/notes.txt', 'export/thumbs.db']);
  const dash = page.locator('#dashboard');
  assert.match(await dash.locator('.group.skipped summary').textContent(), /Not DICOM \(counted, skipped\): 2/);
  assert.equal(await dash.locator('.group.errors').count(), 0, 'non-DICOM files are not errors');
  // Patients → studies → series → instances: open a patient down to a file.
  const patients = dash.locator('li.patient');
  assert.ok(await patients.count() >= 1);
  const text = await dash.textContent();
  assert.match(text, /DOE\^JANE\^Q/);
  assert.match(text, /Top risks/);
  await patients.first().locator('summary').first().click();
  await dash.locator('li.study summary').first().click();
  await dash.locator('li.series-node summary').first().click();
  await dash.locator('.instances button.file').first().click();
  await page.locator('#detail .facts').waitFor();
  assert.match(await page.locator('#status').textContent(), /Done: 5 of 5 files/);
  await page.screenshot({ path: join(OUTPUT, 'dashboard.png') });
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a DICOMDIR lists what it references, marking the files that were not dropped', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.locator('button.demo-file', { hasText: 'study/ (folder)' }).click();
  await harness.openFile(page, 'study/DICOMDIR');
  const section = page.locator('#detail section.dicomdir');
  await section.waitFor();
  const report = await page.evaluate(() => window.inspectorPage.entries.find((e) => e.name === 'study/DICOMDIR').report.files[0]);
  const referenced = report.dicomdir.records.filter((r) => r.file_id);
  assert.ok(referenced.length >= 4, `records: ${JSON.stringify(report.dicomdir.records)}`);
  const dropped = await page.evaluate(() => window.inspectorPage.entries.map((e) => e.name));
  const missing = referenced.filter((r) => !dropped.includes(`study/${r.file_id}`));
  assert.equal(missing.length, 1, 'the demo leaves out one referenced file on purpose');
  assert.match(await section.locator('h3').textContent(), new RegExp(`${referenced.length} referenced file\\(s\\), ${referenced.length - 1} among the files dropped`));
  assert.equal(await section.locator('tr.missing').count(), 1);
  assert.match(await page.locator('#dashboard .group.dicomdir summary').textContent(), /Directories \(DICOMDIR\): 1/);
  assert.match(await page.locator('#dashboard li.patient summary').first().textContent(), /MUSTERMANN\^ERIKA/);
  assert.equal((await section.locator('tr.missing td.path').textContent()), missing[0].file_id);
  await page.screenshot({ path: join(OUTPUT, 'dicomdir.png') });
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a folder picked with the folder input keeps its relative paths', async () => {
  const dir = join(SCRATCH, 'picked', 'study');
  await mkdir(join(dir, 'a'), { recursive: true });
  await writeFile(join(dir, 'a', 'one.dcm'), await demo('ct-explicit-le.dcm'));
  await writeFile(join(dir, 'two.dcm'), await demo('phi-free-text.dcm'));
  const { context, page, errors } = await openPage();
  await page.setInputFiles('#folder-input', dir);
  await waitForRun(page);
  const names = await page.evaluate(() => window.inspectorPage.entries.map((e) => e.name).sort());
  assert.deepEqual(names, ['study/a/one.dcm', 'study/two.dcm']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the real-world corpus, picked as one folder, is inspected without an error row', async (t) => {
  const corpus = join(ROOT, '..', 'shared', 'corpus');
  if (!existsSync(join(corpus, 'MANIFEST.tsv'))) {
    t.skip('SKIPPED: no ../shared/corpus here (a user\'s clone); the demo files cover every feature');
    return;
  }
  const { context, page, requests, errors } = await openPage();
  await page.setInputFiles('#folder-input', corpus);
  await waitForRun(page, 300000);
  const counts = await page.evaluate(() => {
    const c = { done: 0, error: 0, dicom: 0 };
    for (const e of window.inspectorPage.entries) {
      c[e.status] = (c[e.status] ?? 0) + 1;
      if (e.report?.files[0].is_dicom) c.dicom += 1;
    }
    return c;
  });
  assert.equal(counts.error, 0, JSON.stringify(counts));
  assert.ok(counts.dicom >= 200, JSON.stringify(counts));
  await page.screenshot({ path: join(OUTPUT, 'corpus-folder.png') });
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a ZIP archive is expanded in the browser and each member inspected under its path', async () => {
  const zip = zipSync({
    'case-17/': {},
    'case-17/ct-explicit-le.dcm': new Uint8Array(await demo('ct-explicit-le.dcm')),
    'case-17/sec-preamble-pe.dcm': new Uint8Array(await demo('sec-preamble-pe.dcm')),
    'case-17/README.txt': new TextEncoder().encode('a note, not DICOM'),
    'inner.zip': zipSync({ 'phi-free-text.dcm': new Uint8Array(await demo('phi-free-text.dcm')) }),
  }, { level: 6 });
  const { context, page, requests, errors } = await openPage();
  await page.setInputFiles('#file-input', { name: 'export.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await waitForRun(page);
  const entries = await page.evaluate(() => window.inspectorPage.entries.map((e) => ({ name: e.name, status: e.status, dicom: e.report?.files[0].is_dicom, codes: e.report?.files[0].findings.map((x) => x.code) })));
  const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
  assert.deepEqual(Object.keys(byName).sort(), ['export.zip/case-17/README.txt', 'export.zip/case-17/ct-explicit-le.dcm', 'export.zip/case-17/sec-preamble-pe.dcm', 'export.zip/inner.zip/phi-free-text.dcm']);
  assert.equal(byName['export.zip/case-17/README.txt'].dicom, false);
  assert.ok(byName['export.zip/case-17/sec-preamble-pe.dcm'].codes.includes('security.preamble'));
  assert.ok(byName['export.zip/inner.zip/phi-free-text.dcm'].codes.includes('phi.free_text'));
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a ZIP bomb is stopped at the member limit with an error row while the page keeps responding', async () => {
  const bomb = join(WWW, 'demo', 'attack-zip-bomb.zip');
  const { context, page, errors } = await openPage();
  const beat = await harness.heartbeat(page, 50);
  await page.setInputFiles('#file-input', bomb);
  await waitForRun(page, 120000);
  const entries = await page.evaluate(() => window.inspectorPage.entries.map((e) => ({ name: e.name, status: e.status, error: e.error })));
  const stopped = entries.find((e) => e.status === 'error');
  assert.ok(stopped, `no error row: ${JSON.stringify(entries)}`);
  assert.match(stopped.error, /integrity\.limit/);
  assert.match(await page.locator('#dashboard .group.errors').textContent(), /Could not inspect: 1/);
  const { beats, gap } = await beat();
  assert.ok(beats > 5, `heartbeat stopped: ${beats}`);
  assert.ok(gap < 1000, `the main thread was blocked for ${gap.toFixed(0)} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 100-file batch: progress with files/s, one series in the dashboard, exports with every file, no request after load', async () => {
  const dir = series(100);
  const { context, page, requests, errors } = await openPage();
  const files = (await import('node:fs')).readdirSync(dir).sort().slice(0, 100).map((n) => join(dir, n));
  await page.setInputFiles('#file-input', files);
  await waitForRun(page, 120000);
  const status = await page.locator('#status').textContent();
  assert.match(status, /Done: 100 of 100 files · [\d.]+ files\/s/);
  const dash = page.locator('#dashboard');
  assert.equal(await dash.locator('li.patient').count(), 1);
  assert.match(await dash.locator('li.patient summary').first().textContent(), /1 study, 100 files/);
  const downloads = {};
  for (const label of ['JSON', 'CSV', 'SARIF', 'HTML report']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Export the batch report as ${label}` }).click()]);
    downloads[label] = await readFile(await download.path(), 'utf8');
  }
  const json = JSON.parse(downloads.JSON);
  assert.equal(json.files.length, 100);
  assert.equal(json.summary.files, 100);
  const findings = json.files.reduce((n, f) => n + f.findings.length, 0);
  assert.equal(downloads.CSV.trim().split('\n').length, findings + 1, 'one CSV row a finding, plus the header');
  const sarif = JSON.parse(downloads.SARIF);
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results.length, findings);
  assert.match(downloads['HTML report'], /<table/);
  await page.screenshot({ path: join(OUTPUT, 'batch-100.png') });
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a batch of several patients: each file searched again for the others\' identities, its pixel scan kept, as one whole inspection gives', async () => {
  const cineDir = join(SCRATCH, 'cine');
  if (!existsSync(cineDir)) execFileSync(CLI, ['bench-data', cineDir, '--kind', 'cine', '--count', '3']);
  const paths = [join(cineDir, 'us-cine-3.dcm'), ...['phi-batch-note.dcm', 'ct-explicit-le.dcm', 'mr-implicit-le.dcm'].map((n) => join(WWW, 'demo', n))];
  const { context, page, requests, errors } = await openPage();
  await page.setInputFiles('#file-input', paths);
  await waitForRun(page);
  const { rechecks, reports } = await page.evaluate(() => ({
    rechecks: window.inspectorPage.run.rechecks,
    reports: window.inspectorPage.entries.map((e) => e.report),
  }));
  assert.ok(rechecks >= 3, `files searched again: ${rechecks}`);
  const regions = await assertWholeInspections(paths, reports);
  assert.ok(regions > 0, 'the cine\'s burned-in text was found and kept');
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('cancel stops a running batch: the rest is marked cancelled and the page carries on', async () => {
  const dir = series(300);
  const { context, page, errors } = await openPage();
  const files = (await import('node:fs')).readdirSync(dir).sort().map((n) => join(dir, n));
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(() => (window.inspectorPage.run?.done ?? 0) >= 5);
  await page.locator('#cancel').click();
  await waitForRun(page);
  const counts = await page.evaluate(() => {
    const c = {};
    for (const e of window.inspectorPage.entries) c[e.status] = (c[e.status] ?? 0) + 1;
    return c;
  });
  assert.ok(counts.cancelled > 0, JSON.stringify(counts));
  assert.ok(counts.done >= 5, JSON.stringify(counts));
  assert.match(await page.locator('#status').textContent(), /^Cancelled:/);
  // The page still works: a new file after the cancel is inspected.
  await page.setInputFiles('#file-input', join(WWW, 'demo', 'phi-free-text.dcm'));
  await waitForRun(page);
  const last = await page.evaluate(() => window.inspectorPage.entries.at(-1).status);
  assert.equal(last, 'done');
  assert.deepEqual(errors, []);
  await context.close();
});

test('files over 32 MiB are read by the core a range at a time: the whole report, pixel scan included, as one whole inspection gives', async () => {
  const dirs = { multiframe: 80, cine: 40 };
  const paths = [];
  for (const [kind, count] of Object.entries(dirs)) {
    const dir = join(SCRATCH, `large-${kind}`);
    if (!existsSync(dir)) execFileSync(CLI, ['bench-data', dir, '--kind', kind, '--count', String(count)]);
    paths.push(...(await readdir(dir)).map((n) => join(dir, n)));
  }
  const { whole_read_max: wholeReadMax } = await nodeCore();
  for (const path of paths) assert.ok((await stat(path)).size > wholeReadMax(), `${path} is over the whole-read limit`);
  const { context, page, requests, errors } = await openPage();
  await page.setInputFiles('#file-input', paths);
  await waitForRun(page, 60000);
  const reports = await page.evaluate(() => window.inspectorPage.entries.map((e) => e.report));
  const regions = await assertWholeInspections(paths, reports);
  assert.ok(regions > 0, 'the cine\'s burned-in text was found in the frames read');
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 1 GB multi-frame file is read through File.slice: headers only, no freeze', async () => {
  const path = join(SCRATCH, 'huge-multiframe.dcm');
  await writeFile(path, multiframeHeader(512, 512, 2048));
  const fh = await open(path, 'r+');
  await fh.truncate(0x8000_0000 / 2 + (await fh.stat()).size);
  await fh.close();
  const { context, page, errors } = await openPage();
  const beat = await harness.heartbeat(page, 50);
  await page.setInputFiles('#file-input', path);
  await waitForRun(page, 60000);
  const f = await page.evaluate(() => window.inspectorPage.entries[0].report?.files[0]);
  assert.ok(f, 'no report');
  assert.equal(f.is_dicom, true);
  assert.ok(f.partial, 'the report says the file was read in part');
  assert.ok(f.partial.loaded_bytes < 16 * 1024 * 1024, `read ${f.partial.loaded_bytes} bytes`);
  assert.equal(f.summary.patient_name, 'HUGE^MULTI');
  const { gap } = await beat();
  assert.ok(gap < 1000, `the main thread was blocked for ${gap.toFixed(0)} ms`);
  await page.locator('#detail .facts').waitFor();
  assert.match(await page.locator('#detail .facts').textContent(), /headers only/);
  assert.deepEqual(errors, []);
  await context.close();
});

/** The WASM core in Node, initialised once. */
async function nodeCore() {
  const core = await import('../../www/pkg/dicom_inspector.js');
  core.initSync({ module: await readFile(join(WWW, 'pkg', 'dicom_inspector_bg.wasm')) });
  return core;
}

/**
 * Asserts that the page's reports of `paths` equal one inspection of each
 * whole file in Node, with the identities the batch gathered (the page
 * searches each file for the others'); the text regions they found.
 */
async function assertWholeInspections(paths, reports) {
  const { inspect } = await nodeCore();
  const { identitiesOf } = await import('../../www/inspector.js');
  const batch = [...new Set(reports.flatMap((r) => identitiesOf(r.files[0].summary)))].sort();
  let regions = 0;
  for (const [i, path] of paths.entries()) {
    const name = path.split('/').pop();
    const whole = inspect(new Uint8Array(await readFile(path)), { path: name, profile: [], batch_identities: batch, pixel_scan: true });
    assert.equal(whole.files[0].partial, undefined, `${name}: the whole file read in Node`);
    assert.deepEqual(reports[i], whole, name);
    regions += whole.files[0].pixels?.text_regions.length ?? 0;
  }
  return regions;
}

/** Part 10 header of a native 16-bit multi-frame image, its pixel data left to the caller. */
function multiframeHeader(rows, columns, frames) {
  const parts = [];
  const el = (group, element, vr, value) => {
    const long = ['OB', 'OW', 'SQ', 'UN', 'UT'].includes(vr);
    const v = typeof value === 'string' ? Buffer.from(value.length % 2 ? `${value}${vr === 'UI' ? '\0' : ' '}` : value, 'latin1') : value;
    const head = Buffer.alloc(long ? 12 : 8);
    head.writeUInt16LE(group, 0);
    head.writeUInt16LE(element, 2);
    head.write(vr, 4, 'latin1');
    if (long) head.writeUInt32LE(v.length, 8);
    else head.writeUInt16LE(v.length, 6);
    parts.push(head, v);
  };
  const us = (n) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
  const uid = '2.25.1234567890';
  const meta = [];
  const keep = parts;
  el(0x0002, 0x0001, 'OB', Buffer.from([0, 1]));
  el(0x0002, 0x0002, 'UI', '1.2.840.10008.5.1.4.1.1.2.1');
  el(0x0002, 0x0003, 'UI', uid);
  el(0x0002, 0x0010, 'UI', '1.2.840.10008.1.2.1');
  meta.push(...keep.splice(0));
  const metaLength = meta.reduce((n, b) => n + b.length, 0);
  el(0x0008, 0x0016, 'UI', '1.2.840.10008.5.1.4.1.1.2.1');
  el(0x0008, 0x0018, 'UI', uid);
  el(0x0008, 0x0060, 'CS', 'CT');
  el(0x0010, 0x0010, 'PN', 'HUGE^MULTI');
  el(0x0028, 0x0002, 'US', us(1));
  el(0x0028, 0x0004, 'CS', 'MONOCHROME2');
  el(0x0028, 0x0008, 'IS', String(frames));
  el(0x0028, 0x0010, 'US', us(rows));
  el(0x0028, 0x0011, 'US', us(columns));
  el(0x0028, 0x0100, 'US', us(16));
  el(0x0028, 0x0101, 'US', us(12));
  el(0x0028, 0x0102, 'US', us(11));
  el(0x0028, 0x0103, 'US', us(0));
  const pixelHead = Buffer.alloc(12);
  pixelHead.writeUInt16LE(0x7fe0, 0);
  pixelHead.writeUInt16LE(0x0010, 2);
  pixelHead.write('OW', 4, 'latin1');
  pixelHead.writeUInt32LE(rows * columns * 2 * frames, 8);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.writeUInt16LE(0x0000, 2);
  groupLength.write('UL', 4, 'latin1');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(metaLength, 8);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), groupLength, ...meta, ...parts, pixelHead]);
}

test('a file over the time limit stops its worker with integrity.limit; the pool carries on', async () => {
  const { context, page, errors } = await openPage();
  const result = await page.evaluate(async () => {
    const { inspect } = await import('/inspector.js');
    const big = await (await fetch('/demo/attack-million-elements.dcm')).arrayBuffer();
    const small = await (await fetch('/demo/ct-explicit-le.dcm')).arrayBuffer();
    const slow = await inspect(big, { path: 'slow.dcm', timeout_ms: 1 }).then(() => null, (e) => ({ code: e.code, message: e.message }));
    const after = await inspect(small, { path: 'after.dcm' });
    const controller = new AbortController();
    const pending = inspect(big, { path: 'cancelled.dcm', signal: controller.signal });
    controller.abort();
    const cancelled = await pending.then(() => null, (e) => e.code);
    return { slow, after: after.files[0].path, cancelled };
  });
  assert.equal(result.slow.code, 'time_limit');
  assert.match(result.slow.message, /^integrity\.limit: stopped after the time limit/);
  assert.equal(result.after, 'after.dcm');
  assert.equal(result.cancelled, 'cancelled');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a structured report of 60,000 elements opens with a virtual tree and finds any element', async () => {
  const { context, page, errors } = await openPage();
  await page.locator('button.demo-file', { hasText: 'big-structured-report.dcm' }).click();
  await harness.openFile(page, 'big-structured-report.dcm');
  const rows = await page.locator('#detail .et-row').count();
  assert.ok(rows < 200, `${rows} rows in the DOM`);
  const total = Number(await page.locator('#detail [role="treegrid"]').getAttribute('aria-rowcount'));
  assert.ok(total > 60000, `aria-rowcount ${total}`);
  const row = await harness.elementRow(page, '(0010,0010)');
  assert.ok((await harness.cell(row, 6)).length > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('after a first visit the inspector works offline (service worker)', async () => {
  const { context, page, errors } = await openPage();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first load was not controlled yet; a reload is, and fills the cache.
  await page.reload({ waitUntil: 'load' });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForFunction(async () => {
    const cache = await caches.open('dicom-inspector-v1');
    return (await cache.keys()).some((r) => r.url.endsWith('.wasm'));
  });
  await context.setOffline(true);
  await page.reload({ waitUntil: 'load' });
  await page.setInputFiles('#file-input', join(WWW, 'demo', 'phi-free-text.dcm'));
  await waitForRun(page);
  const codes = await page.evaluate(() => window.inspectorPage.entries[0].report.files[0].findings.map((x) => x.code));
  assert.ok(codes.includes('phi.free_text'));
  await page.locator('#detail .findings').waitFor();
  await context.setOffline(false);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), []);
  await context.close();
});

test('keyboard only: open a demo file, walk the dashboard, follow a finding to its element', async () => {
  const { context, page, errors } = await openPage();
  await page.locator('button.demo-file', { hasText: 'phi-free-text.dcm' }).waitFor();
  // Tab from the top of the page until the demo button has the focus.
  let focused = '';
  for (let i = 0; i < 60 && !focused.includes('phi-free-text.dcm'); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  }
  assert.match(focused, /phi-free-text\.dcm/);
  await page.keyboard.press('Enter');
  await waitForRun(page);
  await page.locator('#detail .finding').first().waitFor();
  // A finding with a path: focus it and press Enter; its element is selected.
  const finding = page.locator('#detail .finding.linked', { hasText: 'phi.free_text' }).first();
  await finding.locator('button.goto').focus();
  await page.keyboard.press('Enter');
  const path = await finding.locator('.where').textContent();
  await page.waitForFunction((p) => [...document.querySelectorAll('#detail [aria-selected="true"], #detail .highlight')].some((n) => n.textContent.length > 0), path);
  // The dashboard opens with Enter on its summaries.
  const summary = page.locator('#dashboard li.patient summary').first();
  await summary.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#dashboard li.patient details').first().getAttribute('open'), '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('axe-core finds no serious or critical violation in the main views, light and dark', async () => {
  const axe = await readFile(AXE, 'utf8');
  // The page's CSP forbids injected scripts, as it should; axe is test tooling.
  const { context, page, errors } = await openPage('/', { bypassCSP: true });
  const check = async (view) => {
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${view}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), []);
  };
  await check('empty page');
  await page.locator('button.demo-file', { hasText: 'sec-preamble-pe.dcm' }).click();
  await page.locator('button.demo-file', { hasText: 'phi-burned-in.dcm' }).click();
  await waitForRun(page);
  await page.locator('#detail .findings').waitFor();
  await page.locator('#dashboard li.patient summary').first().click();
  await check('results, light');
  await page.locator('#theme').click();
  await page.locator('#theme').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await check('results, dark');
  await page.screenshot({ path: join(OUTPUT, 'dark-theme.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the theme button switches light and dark and remembers the choice', async () => {
  const { context, page } = await openPage('/', { colorScheme: 'light' });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.locator('#theme').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await page.locator('#theme').click();
  const dark = await bg();
  assert.notEqual(dark, light);
  await page.reload();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await bg(), dark);
  await context.close();
});

test('the guided tour walks the demo files, one finding family a step, quoting the inspector', async () => {
  const { context, page, errors } = await openPage();
  await page.locator('button.demo-file').first().waitFor();
  await page.locator('#tour-start').click();
  const tour = page.locator('#tour');
  await tour.locator('blockquote').waitFor();
  assert.match(await tour.locator('h2').textContent(), /^Step 1 of \d+: Patient data in standard attributes/);
  await tour.getByRole('button', { name: 'Next step' }).click();
  await page.waitForFunction(() => document.querySelector('#tour h2')?.textContent.startsWith('Step 2'));
  await tour.locator('blockquote').waitFor();
  assert.match(await tour.textContent(), /free text/i);
  await page.waitForFunction(() => document.querySelector('#detail .finding.tour-focus code')?.textContent === 'phi.free_text');
  assert.equal(await page.locator('#detail').getAttribute('data-file'), 'phi-free-text.dcm');
  await page.screenshot({ path: join(OUTPUT, 'tour.png') });
  await tour.getByRole('button', { name: 'Close the tour' }).click();
  assert.equal(await tour.isHidden(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the vendored fflate is the exact file of the locked npm package', async () => {
  const vendored = await readFile(join(WWW, 'vendor', 'fflate.min.js'));
  const locked = await readFile(createRequire(import.meta.url).resolve('fflate').replace(/lib[/\\]node\.cjs$/, 'umd/index.js'));
  assert.ok(vendored.equals(locked), 'www/vendor/fflate.min.js differs from node_modules/fflate/umd/index.js: copy it again');
});
