// End to end: <dicom-inspector> embedded in an intranet portal page
// (www/embed.html), and the JavaScript API it is built on.
// Needs www/pkg and www/demo built (scripts/test does it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as harness from './harness.mjs';

const { WWW, OUTPUT } = harness;
const demo = (name) => join(WWW, 'demo', name);
let env;

before(async () => {
  env = await harness.launch();
});

after(async () => {
  await env?.close();
});

/** Opens the portal page with the element defined and the page's events recorded. */
async function openEmbed(contextOptions) {
  const opened = await harness.openPage(env, '/embed.html', contextOptions);
  await opened.page.evaluate(async () => {
    await customElements.whenDefined('dicom-inspector');
    window.__events = [];
    window.__violations = [];
    for (const type of ['findings', 'error', 'batchcomplete']) {
      document.addEventListener(type, (e) => {
        if (e instanceof CustomEvent) {
          const { file, highest, names } = e.detail;
          window.__events.push({ type, file, highest, names });
        }
      });
    }
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return opened;
}

/** Waits until the element has finished `count` batches in all (drops, re-runs, inspect() calls). */
async function waitBatches(page, count) {
  await page.waitForFunction((n) => window.__events.filter((e) => e.type === 'batchcomplete').length >= n, count, { timeout: 30000 });
}

/** The element's reports, reduced to what the assertions read. */
function reportsOf(page) {
  return page.evaluate(() => document.querySelector('dicom-inspector').reports.map((r) => ({
    path: r.files[0].path,
    highest: r.summary.highest_severity,
    counts: r.summary.findings,
    findings: r.files[0].findings.map(({ code, severity, message, explanation, reference }) => ({ code, severity, message, explanation, reference })),
  })));
}

/** Computed styles of the nodes `selectors` match, inside the element's shadow root or in the page. */
function computedStyles(page, selectors, { shadow }) {
  return page.evaluate(([list, inShadow]) => {
    const scope = inShadow ? document.querySelector('dicom-inspector').shadowRoot : document;
    const props = ['color', 'background-color', 'font-family', 'font-size', 'font-weight', 'line-height', 'letter-spacing',
      'text-transform', 'border-top-style', 'border-top-color', 'border-top-width', 'list-style-type', 'padding-left',
      'margin-top', 'outline-style', 'display'];
    const out = {};
    for (const sel of list) {
      const node = scope.querySelector(sel);
      if (!node) throw new Error(`nothing matches ${sel}`);
      const style = getComputedStyle(node);
      out[sel] = Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    }
    return out;
  }, [selectors, shadow]);
}

test('files picked in the element are shown inside its shadow root and reported to the portal by events', async () => {
  const { context, page, requests, errors } = await openEmbed();
  const [embedHtml, indexHtml] = await Promise.all([readFile(join(WWW, 'embed.html'), 'utf8'), readFile(join(WWW, 'index.html'), 'utf8')]);
  const csp = (html) => html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  assert.equal(csp(embedHtml), csp(indexHtml), 'embed.html has the same Content-Security-Policy as the app');

  await page.setInputFiles('dicom-inspector input[type="file"]', [demo('doe-jane-knee.dcm'), demo('attack-markup.dcm')]);
  await waitBatches(page, 1);
  const reports = await reportsOf(page);
  assert.deepEqual(reports.map((r) => r.path), ['doe-jane-knee.dcm', 'attack-markup.dcm']);
  assert.equal(reports[0].highest, 'high');

  // What the element shows is in its shadow root, not in the page.
  assert.equal(await page.evaluate(() => document.querySelectorAll('.finding, .file').length), 0);
  const rows = page.locator('dicom-inspector li.file');
  assert.equal(await rows.count(), 2);
  for (const [i, r] of reports.entries()) {
    const row = rows.nth(i);
    assert.equal(await row.locator('.file-name').textContent(), r.path);
    assert.equal(await row.locator('.badge').textContent(), r.highest);
    assert.equal(await row.locator('.finding').count(), r.findings.length);
    const high = r.findings.filter((f) => f.severity === 'high');
    assert.equal(await row.locator('.finding.high').count(), high.length);
    assert.match(await row.locator('.counts').textContent(), new RegExp(`${r.counts.high} high`));
  }
  // Findings are sorted by severity and carry code and message.
  const first = rows.nth(0).locator('.finding').first();
  assert.equal(await first.locator('.sev').textContent(), 'high');
  const shown = { code: await first.locator('code').textContent(), message: await first.locator('.message').textContent() };
  const match = reports[0].findings.find((f) => f.code === shown.code && f.message === shown.message);
  assert.ok(match, `the first finding shown is one of the report's: ${JSON.stringify(shown)}`);
  // The explanation and the standard's reference unfold.
  const why = first.locator('details.why');
  assert.equal(await why.locator('.explanation').isVisible(), false);
  await why.locator('summary').click();
  assert.equal(await why.locator('.explanation').textContent(), match.explanation);
  assert.equal(await why.locator('.reference').textContent(), `Standard: ${match.reference}`);

  // The summary counts by severity over both files.
  for (const s of ['high', 'medium', 'low', 'info']) {
    const total = reports.reduce((n, r) => n + r.counts[s], 0);
    assert.equal(await page.locator(`dicom-inspector .summary .count.${s}`).getAttribute('data-count'), String(total), s);
  }

  // The portal's log heard one findings event a file, with its name and severities, then the batch.
  const events = await page.evaluate(() => window.__events);
  assert.deepEqual(events.filter((e) => e.type === 'findings').map((e) => [e.file, e.highest]).sort(),
    reports.map((r) => [r.path, r.highest]).sort());
  assert.deepEqual(events.filter((e) => e.type === 'batchcomplete').map((e) => e.names), [['doe-jane-knee.dcm', 'attack-markup.dcm']]);
  for (const r of reports) {
    const line = page.locator('#host-log li[data-event="findings"]', { hasText: r.path });
    assert.equal(await line.getAttribute('data-highest'), r.highest);
    assert.match(await line.textContent(), new RegExp(`^file ${r.path.replace('.', '\\.')}: ${r.counts.high} high`));
  }
  await page.locator('#host-log li[data-event="batchcomplete"]').waitFor();

  await page.screenshot({ path: join(OUTPUT, 'embed.png'), fullPage: false });
  assertNoViolations(await page.evaluate(() => window.__violations));
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

function assertNoViolations(violations) {
  assert.deepEqual(violations, [], 'no Content-Security-Policy violation');
}

test('a drop on the element is inspected, and files dropped together are searched for each other', async () => {
  const { context, page, requests, errors } = await openEmbed();
  const note = [...await readFile(demo('phi-batch-note.dcm'))];
  const ct = [...await readFile(demo('ct-explicit-le.dcm'))];
  await page.evaluate(([a, b]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(a)], 'phi-batch-note.dcm', { type: 'application/dicom' }));
    transfer.items.add(new File([new Uint8Array(b)], 'ct-explicit-le.dcm', { type: 'application/dicom' }));
    const zone = document.querySelector('dicom-inspector').shadowRoot.querySelector('.drop-zone');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { bubbles: true, composed: true, cancelable: true, dataTransfer: transfer }));
    }
  }, [note, ct]);
  await waitBatches(page, 1);
  const row = page.locator('dicom-inspector li.file', { hasText: 'phi-batch-note.dcm' });
  await row.locator('.finding', { hasText: 'another file of this batch' }).first().waitFor();
  const reports = await reportsOf(page);
  assert.ok(reports[0].findings.some((f) => f.message.includes('another file of this batch')));
  assert.equal(await page.locator('dicom-inspector .drop-zone.over').count(), 0, 'the drop highlight is gone');
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the profile and pixel-scan attributes re-inspect: retain-uids drops the UID findings, pixel-scan off the pixel check', async () => {
  const { context, page, requests, errors } = await openEmbed();
  const element = page.locator('dicom-inspector');
  const uidFindings = (reports) => reports[0].findings.filter((f) => f.code === 'phi.attribute' && / UID is present/.test(f.message));
  await page.setInputFiles('dicom-inspector input[type="file"]', demo('doe-jane-knee.dcm'));
  await waitBatches(page, 1);
  const before = await reportsOf(page);
  assert.equal(uidFindings(before).length, 4, 'study, series, SOP and media storage instance UIDs');
  assert.equal(await page.locator('dicom-inspector .finding', { hasText: 'SOP Instance UID is present' }).count(), 2);

  await element.evaluate((el) => el.setAttribute('profile', 'retain-uids'));
  await waitBatches(page, 2);
  const after = await reportsOf(page);
  assert.deepEqual(uidFindings(after), [], 'Retain UIDs keeps the UIDs: no finding');
  assert.equal(await page.locator('dicom-inspector .finding', { hasText: 'UID is present' }).count(), 0);
  assert.equal(after[0].findings.length, before[0].findings.length - 4, 'only the UID findings went');
  const events = await page.evaluate(() => window.__events.filter((e) => e.type === 'findings'));
  assert.equal(events.length, 2, 'the re-run fired findings again');

  // Commas, snake case and capitals are accepted; unknown names are shown and ignored.
  await element.evaluate((el) => el.setAttribute('profile', 'Retain_UIDs, clean-descriptors, no-such-option'));
  await waitBatches(page, 3);
  assert.deepEqual(uidFindings(await reportsOf(page)), []);
  assert.match(await page.locator('dicom-inspector .notice').textContent(), /ignored: no-such-option/);
  await element.evaluate((el) => el.removeAttribute('profile'));
  await waitBatches(page, 4);
  assert.equal(uidFindings(await reportsOf(page)).length, 4);
  assert.equal(await page.locator('dicom-inspector .notice').isVisible(), false);

  // pixel-scan="off": the damaged JPEG is no longer decoded, so not reported.
  await element.evaluate((el) => el.clear());
  assert.equal(await page.locator('dicom-inspector li.file').count(), 0);
  await page.setInputFiles('dicom-inspector input[type="file"]', demo('sec-lossy-unflagged.dcm'));
  await waitBatches(page, 5);
  const codes = async () => (await reportsOf(page))[0].findings.map((f) => f.code);
  assert.ok((await codes()).includes('integrity.pixel_data'));
  await page.locator('#pixel-scan').uncheck();
  assert.equal(await element.getAttribute('pixel-scan'), 'off');
  await waitBatches(page, 6);
  assert.ok(!(await codes()).includes('integrity.pixel_data'));
  assert.equal(await page.locator('dicom-inspector .finding', { hasText: 'integrity.pixel_data' }).count(), 0);
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

/** axe-core's WCAG A and AA rules on the element (its shadow root included), when axe-core is installed. */
async function checkAxe(page, theme) {
  let axe;
  try {
    axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    console.log('# axe-core is not installed: accessibility rules not checked');
    return;
  }
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document.querySelector('dicom-inspector'), { runOnly: ['wcag2a', 'wcag2aa'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0]?.target}`);
  });
  assert.deepEqual(violations, [], `${theme}: ${violations.join('; ')}`);
}

test('the theme attribute restyles the element: light, dark (both pass axe-core WCAG A/AA), and auto following the system', async () => {
  const { context, page, errors } = await openEmbed({ colorScheme: 'light' });
  await page.setInputFiles('dicom-inspector input[type="file"]', demo('doe-jane-knee.dcm'));
  await waitBatches(page, 1);
  const colors = () => page.evaluate(() => {
    const shadow = document.querySelector('dicom-inspector').shadowRoot;
    const style = (sel) => getComputedStyle(shadow.querySelector(sel));
    return { background: style('.root').backgroundColor, text: style('.root').color, high: style('.count.high').color };
  });
  const LIGHT = { background: 'rgb(255, 255, 255)', text: 'rgb(28, 35, 48)', high: 'rgb(179, 38, 30)' };
  const DARK = { background: 'rgb(22, 27, 35)', text: 'rgb(230, 233, 239)', high: 'rgb(255, 138, 128)' };
  assert.deepEqual(await colors(), LIGHT, 'auto in a light system');
  // One row and one explanation open, so that axe sees every kind of text.
  await page.locator('dicom-inspector details.why > summary').first().click();
  await checkAxe(page, 'light');
  await page.locator('#theme').selectOption('dark');
  assert.equal(await page.locator('dicom-inspector').getAttribute('theme'), 'dark');
  assert.deepEqual(await colors(), DARK);
  await checkAxe(page, 'dark');
  await page.screenshot({ path: join(OUTPUT, 'embed-dark.png'), fullPage: false });
  await page.locator('dicom-inspector').evaluate((el) => el.setAttribute('theme', 'light'));
  assert.deepEqual(await colors(), LIGHT);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await colors(), LIGHT, 'an explicit light theme ignores the system');
  await page.locator('dicom-inspector').evaluate((el) => el.setAttribute('theme', 'auto'));
  assert.deepEqual(await colors(), DARK, 'auto in a dark system');
  // compact restyles too: tighter padding, rows folded.
  const padding = () => page.evaluate(() => getComputedStyle(document.querySelector('dicom-inspector').shadowRoot.querySelector('.root')).paddingTop);
  const wide = await padding();
  await page.locator('#compact').check();
  assert.ok(parseFloat(await padding()) < parseFloat(wide), 'compact is tighter');
  assert.equal(await page.locator('dicom-inspector li.file > details').evaluate((d) => d.open), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the portal\'s CSS does not reach inside the element, and the element\'s CSS does not reach the portal', async () => {
  const inner = ['.root', '.drop-zone', '.drop-title', '.summary', '.count.high', 'button.clear', 'ul.files', 'li.file',
    'li.file > details > summary', '.file-name', '.badge', '.finding', '.finding code', '.message', 'details.why > summary'];
  const outer = ['body', 'h1', 'p.summary', '.portal-header .badge', '.portal-header a', 'select', 'ul', 'li', 'code', '#host-log', 'dicom-inspector'];

  const { context, page, requests, errors } = await openEmbed();
  await page.setInputFiles('dicom-inspector input[type="file"]', demo('doe-jane-knee.dcm'));
  await waitBatches(page, 1);
  const withPortalCss = await computedStyles(page, inner, { shadow: true });
  // The portal's rules are live (a .badge of its own is dark red) ...
  assert.equal((await computedStyles(page, ['.portal-header .badge'], { shadow: false }))['.portal-header .badge']['background-color'], 'rgb(139, 0, 0)');
  // ... but the element's .badge, .summary, .finding … are the element's.
  assert.notEqual(withPortalCss['.badge']['background-color'], 'rgb(139, 0, 0)');
  assert.notEqual(withPortalCss['.finding'].color, 'rgb(255, 0, 255)');
  assert.equal(withPortalCss['.root']['font-family'].includes('Georgia'), false);
  assert.equal(withPortalCss['ul.files']['list-style-type'], 'none');
  assert.equal(withPortalCss['button.clear']['text-transform'], 'none');
  // Switch the portal's stylesheet off: nothing inside the element changes.
  await page.evaluate(() => { for (const sheet of document.styleSheets) sheet.disabled = true; });
  assert.deepEqual(await computedStyles(page, inner, { shadow: true }), withPortalCss);
  await page.evaluate(() => { for (const sheet of document.styleSheets) sheet.disabled = false; });

  // The element adds no sheet to the document ...
  assert.equal(await page.evaluate(() => document.adoptedStyleSheets.length + document.querySelectorAll('style').length), 0);
  const portalWithElement = await computedStyles(page, outer, { shadow: false });
  assert.equal(portalWithElement['dicom-inspector']['margin-top'], '13px', 'the portal places the element (1rem)');
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();

  // ... and the portal looks the same when the element is never defined.
  const bare = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await bare.route('**/dicom-inspector.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
  const barePage = await bare.newPage();
  await barePage.goto(`${env.origin}/embed.html`, { waitUntil: 'load' });
  assert.equal(await barePage.evaluate(() => customElements.get('dicom-inspector')), undefined);
  assert.deepEqual(await computedStyles(barePage, outer, { shadow: false }), portalWithElement);
  await bare.close();
});

test('markup in a file or its name is shown as text inside the shadow root: nothing is injected, nothing runs', async () => {
  const { context, page, requests, errors } = await openEmbed();
  await page.evaluate(() => {
    window.__injected = [];
    window.alert = () => window.__injected.push('alert called');
    const watch = (root) => new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          const all = n.nodeType === 1 ? [n, ...n.querySelectorAll('*')] : [];
          for (const x of all) {
            if (['SCRIPT', 'IMG', 'IFRAME', 'SVG', 'STYLE', 'A', 'B', 'OBJECT', 'EMBED', 'LINK'].includes(x.tagName.toUpperCase())) window.__injected.push(x.outerHTML.slice(0, 80));
            for (const a of x.attributes ?? []) if (/^on/i.test(a.name) || /javascript:/i.test(a.value)) window.__injected.push(`${x.tagName} ${a.name}`);
          }
        }
      }
    }).observe(root, { childList: true, subtree: true });
    watch(document.querySelector('dicom-inspector').shadowRoot);
    watch(document.getElementById('host-log'));
  });
  const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>.dcm';
  await page.setInputFiles('dicom-inspector input[type="file"]', [
    { name: 'attack-markup.dcm', mimeType: 'application/dicom', buffer: await readFile(demo('attack-markup.dcm')) },
    { name: evil, mimeType: 'application/dicom', buffer: await readFile(demo('attack-markup.dcm')) },
  ]);
  await waitBatches(page, 1);
  const names = await page.locator('dicom-inspector .file-name').allTextContents();
  assert.deepEqual(names, ['attack-markup.dcm', evil], 'the name is shown as it is');
  assert.equal(await page.locator('#host-log li[data-event="findings"]', { hasText: 'onerror' }).getAttribute('data-file'), evil);
  await page.waitForTimeout(300);
  assert.deepEqual(await page.evaluate(() => window.__injected), []);
  assert.equal(await page.evaluate(() => document.querySelector('dicom-inspector').shadowRoot.querySelectorAll('script, img, iframe, svg, style, object, embed').length), 0);
  assertNoViolations(await page.evaluate(() => window.__violations));
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file that cannot be inspected is shown as an error and fires error, not findings', async () => {
  // A portal that forgot to serve the WebAssembly core: every file fails.
  const { context, page, requests } = await openEmbed();
  await context.route('**/pkg/*.wasm', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  await page.setInputFiles('dicom-inspector input[type="file"]', demo('doe-jane-knee.dcm'));
  await waitBatches(page, 1);
  const events = await page.evaluate(() => window.__events);
  assert.deepEqual(events.map((e) => [e.type, e.file ?? e.names.join()]), [['error', 'doe-jane-knee.dcm'], ['batchcomplete', 'doe-jane-knee.dcm']]);
  const row = page.locator('dicom-inspector li.file');
  assert.equal(await row.locator('.badge').textContent(), 'error');
  assert.match(await row.locator('.status.error').textContent(), /^The inspector could not read this file: /);
  assert.equal(await page.locator('dicom-inspector .summary .count.error').textContent(), '1 failed');
  assert.match(await page.locator('#host-log li[data-event="error"]').textContent(), /^file doe-jane-knee\.dcm: could not be inspected/);
  assert.deepEqual(await page.evaluate(() => document.querySelector('dicom-inspector').reports), []);
  harness.assertLocalOnly(env, requests);
  await context.close();
});

test('the element is keyboard-operable: the drop zone takes focus visibly, Enter and Space open the picker, rows unfold', async () => {
  const { context, page, requests, errors } = await openEmbed();
  // Listen for file choosers from the start, so that interception is on
  // before any key is pressed.
  const choosers = [];
  page.on('filechooser', (c) => choosers.push(c));
  const nextChooser = async (key) => {
    const seen = choosers.length;
    await page.keyboard.press(key);
    for (let i = 0; i < 100 && choosers.length === seen; i++) await page.waitForTimeout(50);
    assert.equal(choosers.length, seen + 1, `${key} opens the file picker`);
    return choosers[seen];
  };
  const zoneFocused = () => page.evaluate(() => {
    const el = document.querySelector('dicom-inspector');
    return document.activeElement === el && el.shadowRoot.activeElement?.classList.contains('drop-zone');
  });
  for (let i = 0; i < 30 && !(await zoneFocused()); i++) await page.keyboard.press('Tab');
  assert.ok(await zoneFocused(), 'Tab reaches the drop zone');
  const zone = page.locator('dicom-inspector .drop-zone');
  assert.equal(await zone.getAttribute('role'), 'button');
  assert.match(await zone.getAttribute('aria-label'), /Drop DICOM files/);
  const outline = await zone.evaluate((z) => { const s = getComputedStyle(z); return [s.outlineStyle, parseFloat(s.outlineWidth)]; });
  assert.equal(outline[0], 'solid', 'visible focus');
  assert.ok(outline[1] >= 2);

  const chooser = await nextChooser('Enter');
  assert.equal(chooser.isMultiple(), true);
  await chooser.setFiles(demo('doe-jane-knee.dcm'));
  await waitBatches(page, 1);
  const again = await nextChooser('Space');
  await again.setFiles(demo('clean-deidentified.dcm'));
  await waitBatches(page, 2);
  assert.equal(await page.locator('dicom-inspector li.file').count(), 2);

  // Chromium's own accessibility tree (the element's role comes from ElementInternals).
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const named = (role, name) => nodes.some((n) => !n.ignored && n.role?.value === role && n.name?.value === name);
  assert.ok(named('region', 'DICOM inspector'), 'the element is a labelled region');
  assert.ok(named('button', 'Drop DICOM files here, or press Enter to choose files'));
  assert.ok(named('list', 'Inspected files'));
  assert.ok(nodes.some((n) => !n.ignored && n.role?.value === 'status'), 'the summary is a live status');
  assert.equal(await page.locator('dicom-inspector ul.files').getAttribute('aria-label'), 'Inspected files');
  assert.equal(await page.locator('dicom-inspector .summary').getAttribute('role'), 'status');
  const rowSummary = page.locator('dicom-inspector li.file > details > summary').first();
  assert.match(await rowSummary.getAttribute('aria-label'), /^doe-jane-knee\.dcm: high, \d+ high/);
  // Tab on to the first row and fold it with the keyboard.
  for (let i = 0; i < 5 && !(await rowSummary.evaluate((s) => s.matches(':focus'))); i++) await page.keyboard.press('Tab');
  assert.ok(await rowSummary.evaluate((s) => s.matches(':focus')), 'Tab reaches the first file row');
  const open = () => rowSummary.evaluate((s) => s.parentElement.open);
  assert.equal(await open(), true);
  await page.keyboard.press('Enter');
  assert.equal(await open(), false);
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the JavaScript API: inspect(bytes, {path}) from inspector.js, and the element\'s inspect(), reports and clear()', async () => {
  const { context, page, requests, errors } = await openEmbed();
  const bytes = [...await readFile(demo('doe-jane-knee.dcm'))];
  const api = await page.evaluate(async (data) => {
    const { inspect } = await import('/inspector.js');
    const report = await inspect(new Uint8Array(data), { path: 'portal/doe-jane-knee.dcm' });
    const kept = await inspect(new Uint8Array(data).buffer, { path: 'kept.dcm', profile: ['retain_uids'] });
    const uids = (r) => r.files[0].findings.filter((f) => / UID is present/.test(f.message)).length;
    return { path: report.files[0].path, files: report.files.length, codes: report.files[0].findings.map((f) => f.code), uids: [uids(report), uids(kept)] };
  }, bytes);
  assert.equal(api.path, 'portal/doe-jane-knee.dcm');
  assert.equal(api.files, 1);
  assert.ok(api.codes.includes('phi.filename'), 'the path given is searched for the identity');
  assert.deepEqual(api.uids, [4, 0]);

  const method = await page.evaluate(async (data) => {
    const el = document.querySelector('dicom-inspector');
    const report = await el.inspect(new Uint8Array(data), 'by-method.dcm');
    let rejected = null;
    await el.inspect('not bytes').catch((e) => { rejected = e.name; });
    return { path: report.files[0].path, count: el.reports.length, shown: el.shadowRoot.querySelectorAll('li.file').length, rejected };
  }, bytes);
  assert.deepEqual(method, { path: 'by-method.dcm', count: 1, shown: 1, rejected: 'TypeError' });
  await waitBatches(page, 1);
  const events = await page.evaluate(() => window.__events);
  assert.deepEqual(events.map((e) => [e.type, e.file ?? e.names.join()]), [['findings', 'by-method.dcm'], ['batchcomplete', 'by-method.dcm']]);
  await page.locator('#host-log li[data-event="findings"]', { hasText: 'by-method.dcm' }).waitFor();

  await page.locator('dicom-inspector button.clear').click();
  assert.deepEqual(await page.evaluate(() => [document.querySelector('dicom-inspector').reports.length,
    document.querySelector('dicom-inspector').shadowRoot.querySelectorAll('li.file').length]), [0, 0]);
  // clear() while a file is running: its promise rejects and it fires nothing.
  const cleared = await page.evaluate(async (data) => {
    const el = document.querySelector('dicom-inspector');
    const running = el.inspect(new Uint8Array(data), 'cleared.dcm');
    el.clear();
    return running.then(() => 'resolved', (e) => e.name);
  }, bytes);
  assert.equal(cleared, 'AbortError');
  await page.waitForTimeout(300);
  assert.equal((await page.evaluate(() => window.__events)).length, 2, 'no event from a cleared file');
  harness.assertLocalOnly(env, requests);
  assert.deepEqual(errors, []);
  await context.close();
});
