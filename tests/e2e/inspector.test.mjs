// End to end: the page in Debian's Chromium, driven by playwright-core.
// Needs www/pkg and www/demo built (scripts/test does it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as harness from './harness.mjs';

const { WWW, OUTPUT } = harness;
let env;
let origin;

before(async () => {
  env = await harness.launch();
  origin = env.origin;
});

after(async () => {
  await env?.close();
});

const openPage = (path, options) => harness.openPage(env, path, options);
const assertLocalOnly = (requests) => harness.assertLocalOnly(env, requests);

const { waitForRun, openFile, elementRow, cell } = harness;

async function expectTreeShows(page, fileName, patientName, tsName) {
  await openFile(page, fileName);
  const row = await elementRow(page, '(0010,0010)');
  assert.equal(await cell(row, 6), patientName);
  const facts = await page.locator('#detail .facts').textContent();
  assert.ok(facts.includes(tsName), `transfer syntax ${tsName} not shown in: ${facts}`);
}

test('a file chosen with the file input shows its tree, patient name and transfer syntax', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.setInputFiles('#file-input', join(WWW, 'demo', 'ct-explicit-le.dcm'));
  await expectTreeShows(page, 'ct-explicit-le.dcm', 'DOE^JANE^Q', 'Explicit VR Little Endian');
  await page.screenshot({ path: join(OUTPUT, 'file-input.png'), fullPage: false });
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file dropped with a synthetic drag-and-drop event is inspected', async () => {
  const { context, page, requests, errors } = await openPage();
  const bytes = [...await readFile(join(WWW, 'demo', 'sr-nested-private.dcm'))];
  await page.evaluate((data) => {
    const file = new File([new Uint8Array(data)], 'dropped-report.dcm', { type: 'application/dicom' });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const zone = document.getElementById('drop-zone');
    zone.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, bytes);
  await expectTreeShows(page, 'dropped-report.dcm', 'MÜLLER^JÜRGEN', 'Explicit VR Little Endian');
  // Private elements carry their creator; nested sequence items are there.
  const privateRow = await elementRow(page, '(0029,1010)');
  assert.match(await cell(privateRow, 1), /DICOM INSPECTOR DEMO/);
  // A nested element: its row is at depth 3 in the tree.
  const nested = await elementRow(page, '(0008,0104)');
  assert.equal(await nested.getAttribute('aria-level'), '5', 'sequence, item, sequence, item, element');
  await page.screenshot({ path: join(OUTPUT, 'drag-and-drop.png'), fullPage: false });
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('demo files are one click away and a non-DICOM file is reported, not fatal', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.locator('button.demo-file', { hasText: 'mr-implicit-le.dcm' }).click();
  await expectTreeShows(page, 'mr-implicit-le.dcm', 'ROE^RICHARD', 'Implicit VR Little Endian');
  await page.setInputFiles('#file-input', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some text, not DICOM') });
  await waitForRun(page);
  await page.locator('#dashboard .group.skipped summary').click();
  const badge = page.locator('#dashboard .group.skipped li', { hasText: 'notes.txt' }).locator('.badge');
  assert.equal(await badge.textContent(), 'not DICOM');
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the page forbids inline script and connections beyond its origin', async () => {
  const { context, page } = await openPage();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const response = await page.request.get(`${origin}/`);
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
  // An inline script injected now must not run.
  const ran = await page.evaluate(() => {
    window.__ran = false;
    const s = document.createElement('script');
    s.textContent = 'window.__ran = true';
    document.body.append(s);
    return window.__ran;
  });
  assert.equal(ran, false);
  await context.close();
});

test('PHI findings are grouped by severity, explained, and follow the profile options', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.locator('button.demo-file', { hasText: 'ct-explicit-le.dcm' }).click();
  await expectTreeShows(page, 'ct-explicit-le.dcm', 'DOE^JANE^Q', 'Explicit VR Little Endian');
  const high = page.locator('#detail .findings ul[aria-label="high findings"] li');
  assert.ok(await high.count() >= 4, 'name, ID, birth date, accession');
  const nameFinding = page.locator('#detail .finding', { hasText: "Patient's Name" });
  assert.match(await nameFinding.locator('.explanation').textContent(), /direct identifier/);
  assert.match(await nameFinding.locator('.reference').textContent(), /PS3.15 Table E.1-1/);
  // Clicking a finding selects its element in the tree.
  await page.locator('#detail .tree input[type="search"]').fill('');
  await nameFinding.locator('button.goto').click();
  const selected = page.locator('#detail .et-row[aria-selected="true"]');
  await selected.waitFor();
  assert.equal(await cell(selected, 0), '(0010,0010)');
  // Retaining institution identity removes that finding.
  assert.equal(await page.locator('#detail .finding', { hasText: 'Institution Name' }).count(), 1);
  await page.locator('summary', { hasText: 'profile options' }).click();
  await page.locator('label', { hasText: 'Retain Institution Identity' }).click();
  await page.waitForFunction(() => ![...document.querySelectorAll('#detail .finding')].some((f) => f.textContent.includes('Institution Name')));
  await page.screenshot({ path: join(OUTPUT, 'phi-findings.png'), fullPage: false });
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('files dropped together are searched for each other\'s identities', async () => {
  const { context, page, errors } = await openPage();
  await page.setInputFiles('#file-input', [join(WWW, 'demo', 'phi-batch-note.dcm'), join(WWW, 'demo', 'ct-explicit-le.dcm')]);
  await openFile(page, 'phi-batch-note.dcm');
  await page.locator('#detail .finding', { hasText: 'another file of this batch' }).waitFor({ timeout: 20000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('security findings show their bytes in a hex view with the suspicious bytes marked', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.locator('button.demo-file', { hasText: 'sec-preamble-pe.dcm' }).click();
  const pre = page.locator('#detail figure.hexview.high pre').first();
  await pre.waitFor({ timeout: 20000 });
  const marked = await pre.locator('.hb.mark').allTextContents();
  assert.deepEqual(marked.slice(0, 2), ['4d', '5a'], 'MZ is marked');
  assert.ok(marked.includes('50') && marked.includes('45'), 'PE signature bytes are marked');
  await page.locator('button.demo-file', { hasText: 'sec-trailing-zip.dcm' }).click();
  await openFile(page, 'sec-trailing-zip.dcm');
  const trailing = page.locator('#detail figure.hexview', { hasText: 'security.trailing_data' });
  await trailing.waitFor({ timeout: 20000 });
  assert.deepEqual((await trailing.locator('.hb.mark').allTextContents()).slice(0, 4), ['50', '4b', '03', '04']);
  await page.locator('#detail .finding', { hasText: 'security.trailing_data' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUTPUT, 'security-hex.png'), fullPage: false });
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the image is displayed, windowed by dragging, with overlays and a word for undecodable pixels; segmented palettes and 12-bit JPEG shown', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.locator('button.demo-file', { hasText: 'phi-overlay.dcm' }).click();
  await page.locator('#detail .viewer[data-ready="true"]').waitFor({ timeout: 20000 });
  const canvas = page.locator('#detail canvas.image');
  // The canvas is drawn by the viewer's worker (OffscreenCanvas): ask it.
  const pixel = (x, y) => page.locator('#detail .viewer').evaluate((v, [x, y]) => v.pixelAt(x, y), [x, y]);
  assert.deepEqual(await pixel(10, 5), [255, 176, 0, 255], 'overlay drawn in amber');
  const before = await page.locator('#detail .wl').textContent();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + 20, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + 40);
  await page.mouse.up();
  assert.notEqual(await page.locator('#detail .wl').textContent(), before, 'dragging changes the window');
  await page.locator('label.toggle-box', { hasText: 'Overlays' }).click();
  assert.notDeepEqual(await pixel(10, 5), [255, 176, 0, 255], 'overlay toggled off');
  await page.screenshot({ path: join(OUTPUT, 'viewer.png'), fullPage: false });
  await page.locator('button.demo-file', { hasText: 'sec-lossy-unflagged.dcm' }).click();
  await page.locator('#detail .cannot-display').waitFor({ timeout: 20000 });
  // PALETTE COLOR with segmented tables: the burned-in name in the
  // palette's amber (index 255), the echo in its grey (index 70).
  await page.locator('button.demo-file', { hasText: 'phi-palette-ultrasound.dcm' }).click();
  await openFile(page, 'phi-palette-ultrasound.dcm');
  await page.locator('#detail .viewer[data-ready="true"]').waitFor({ timeout: 20000 });
  assert.deepEqual(await pixel(13, 10), [255, 208, 64, 255], 'a stroke of the burned-in name');
  assert.deepEqual(await pixel(128, 100), [70, 70, 70, 255], 'the echo');
  // A 12-bit JPEG slice is shown (decoded by the core in the viewer's worker), not refused.
  await page.locator('button.demo-file', { hasText: 'ct-jpeg-12bit.dcm' }).click();
  await openFile(page, 'ct-jpeg-12bit.dcm');
  await page.locator('#detail .viewer[data-ready="true"]').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#detail .cannot-display').count(), 0);
  const [body, outside] = [await pixel(64, 64), await pixel(1, 1)];
  assert.ok(body[0] > outside[0], `the phantom's body (${body}) is brighter than the air around it (${outside})`);
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('markup in a file is rendered as text: no script runs, no element is injected', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.evaluate(() => {
    window.__injected = [];
    window.__violations = [];
    window.alert = () => window.__injected.push('alert called');
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          const all = n.nodeType === 1 ? [n, ...n.querySelectorAll('*')] : [];
          for (const x of all) {
            if (['SCRIPT', 'IMG', 'IFRAME', 'SVG', 'STYLE', 'A', 'B', 'OBJECT', 'EMBED'].includes(x.tagName.toUpperCase())) window.__injected.push(x.outerHTML.slice(0, 80));
            // Text in a title attribute is inert; a javascript: URL is only live in a link or source attribute.
            for (const a of x.attributes ?? []) if (/^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /javascript:/i.test(a.value))) window.__injected.push(`${x.tagName} ${a.name}`);
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page.locator('button.demo-file', { hasText: 'attack-markup.dcm' }).click();
  await openFile(page, 'attack-markup.dcm');
  const row = await elementRow(page, '(0008,0080)');
  assert.equal(await cell(row, 6), '<script>alert(1)</script><img src=x onerror=alert(2)>');
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__injected), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('bombs are inspected in workers: the page keeps responding', async () => {
  const { context, page, errors } = await openPage();
  const beat = await harness.heartbeat(page, 20);
  for (const name of ['attack-deflate-bomb.dcm', 'attack-million-elements.dcm', 'attack-deep-nesting.dcm']) {
    await page.locator('button.demo-file', { hasText: name }).click();
  }
  await waitForRun(page);
  const worst = (await beat()).gap;
  console.log(`longest main-thread gap while inspecting the bombs: ${worst.toFixed(0)} ms`);
  assert.ok(worst < 1000, `the page froze for ${worst} ms`);
  await openFile(page, 'attack-deflate-bomb.dcm');
  await page.locator('#detail .finding', { hasText: 'integrity.limit' }).first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the batch report exports as JSON, CSV (formulas neutralised), SARIF 2.1.0 and printable HTML', async () => {
  const { context, page, requests, errors } = await openPage();
  await page.setInputFiles('#file-input', [join(WWW, 'demo', 'attack-markup.dcm'), join(WWW, 'demo', 'sec-preamble-pe.dcm')]);
  await waitForRun(page);
  const grab = async (label) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#exports button', { hasText: label }).click()]);
    return readFile(await download.path(), 'utf8');
  };
  const json = JSON.parse(await grab('JSON'));
  assert.equal(json.files.length, 2);
  assert.ok(json.summary.findings.high >= 1);
  assert.ok(json.files.every((f) => !('elements' in f)), 'no element trees in the batch export');
  const csv = await grab('CSV');
  assert.match(csv.split('\r\n')[0], /^"file","code","severity"/);
  assert.ok(csv.includes('security.preamble'));
  const sarif = JSON.parse(await grab('SARIF'));
  assert.equal(sarif.version, '2.1.0');
  const result = sarif.runs[0].results.find((r) => r.ruleId === 'security.preamble');
  assert.equal(result.level, 'error');
  assert.equal(result.locations[0].physicalLocation.region.byteOffset, 0);
  assert.ok(sarif.runs[0].tool.driver.rules.some((r) => r.id === 'security.preamble'));
  const html = await grab('HTML report');
  assert.ok(html.includes('<svg') && html.includes('DICOM inspection report'));
  assert.ok(!html.includes('<script>alert'), 'markup from the file is escaped in the HTML report');
  const view = await context.newPage();
  await view.setContent(html);
  assert.equal(await view.locator('script').count(), 0);
  assert.equal(await view.locator('h1').textContent(), 'DICOM inspection report');
  await view.close();
  const cells = await page.evaluate(async () => {
    const { csvCell } = await import('/export.js');
    return ['=SUM(1)', '+1', '-1', '@A1', 'plain "quoted"'].map(csvCell);
  });
  assert.deepEqual(cells, [`"'=SUM(1)"`, `"'+1"`, `"'-1"`, `"'@A1"`, '"plain ""quoted"""']);
  assertLocalOnly(requests.filter((r) => !r.url.startsWith('blob:')));
  assert.deepEqual(errors, []);
  await context.close();
});
