// The inspector page: input (files, folders, ZIPs, demo files), the batch
// run with progress and cancel, the dashboard, the per-file view, exports,
// the theme and the guided tour. Every value from a file is set with
// textContent, never as markup.
import { inspect, identitiesOf, poolSize, warmUp } from './inspector.js';
import { fromDataTransfer, fromFileList, isZip, expandZip } from './sources.js';
import { Dashboard, badge } from './dashboard.js';
import { renderDetail, renderError } from './detail.js';
import { batchReport, toCsv, toHtml, toJson, toSarif } from './export.js';
import { el, SEVERITIES, button } from './dom.js';
import { Tour } from './tour.js';

const $ = (id) => document.getElementById(id);
const PROFILE_OPTIONS = [
  ['retain_safe_private', 'Retain Safe Private'],
  ['retain_uids', 'Retain UIDs'],
  ['retain_device_identity', 'Retain Device Identity'],
  ['retain_institution_identity', 'Retain Institution Identity'],
  ['retain_patient_characteristics', 'Retain Patient Characteristics'],
  ['retain_longitudinal_full_dates', 'Retain Longitudinal Full Dates'],
  ['retain_longitudinal_modified_dates', 'Retain Longitudinal Modified Dates'],
  ['clean_descriptors', 'Clean Descriptors'],
  ['clean_structured_content', 'Clean Structured Content'],
  ['clean_graphics', 'Clean Graphics'],
];
/** ZIPs inside ZIPs are opened this deep, no deeper. */
const MAX_ZIP_DEPTH = 2;

/** Every file of the session: { id, name, file, report, error, status, limit }. */
const entries = [];
let nextEntry = 1;
let batchIdentities = [];
/** The current run: its cancel controller, counts and clock. */
let run = null;
let shown = null;
let detailJob = null;

const dashboard = new Dashboard($('dashboard'), { onSelect: (entry) => show(entry) });

function chosenProfile() {
  return [...document.querySelectorAll('#profile-options input:checked')].map((i) => i.value);
}

function inspectOptions() {
  return {
    profile: chosenProfile(),
    batch_identities: batchIdentities,
    headers_only: $('headers-only').checked,
    pixel_scan: !$('headers-only').checked,
  };
}

// ---- the run: sources in, files out, progress --------------------------

function beginRun() {
  if (run && !run.finished) return run;
  run = { firstEntry: entries.length, controller: new AbortController(), total: 0, done: 0, sources: 0, started: performance.now(), finished: false, firstResult: null };
  $('progress-box').hidden = false;
  $('cancel').disabled = false;
  scheduleRender();
  return run;
}

/** Counts a source (a drop, a folder, a ZIP) that may still add files. */
async function withSource(r, work) {
  r.sources += 1;
  try {
    await work();
  } finally {
    r.sources -= 1;
    maybeFinish(r);
  }
}

function addError(r, path, message) {
  const entry = { id: nextEntry++, name: path, file: null, report: null, error: message, status: 'error', limit: message.startsWith('integrity.limit') };
  entries.push(entry);
  r.total += 1;
  r.done += 1;
  scheduleRender();
  return entry;
}

/** Names that say DICOM: such files are not first checked for a ZIP header. */
const DICOM_NAME = /\.(dcm|dicom|dic)$/i;

/** One file found by a source: a ZIP is opened, anything else inspected. */
function onFile(r, path, file, depth = 0) {
  if (r.controller.signal.aborted) return;
  if (DICOM_NAME.test(path) || file.size < 22 || depth >= MAX_ZIP_DEPTH) {
    addEntry(r, path, file);
    return;
  }
  // Reading four bytes is cheap, but it is a read: files named as DICOM skip it.
  withSource(r, async () => {
    if (await isZip(file)) {
      await expandZip(file, path, {
        signal: r.controller.signal,
        onFile: (p, f) => onFile(r, p, f, depth + 1),
        onError: (p, message) => addError(r, p, message),
      });
    } else {
      addEntry(r, path, file);
    }
  });
}

function addEntry(r, name, file) {
  const entry = { id: nextEntry++, name, file, report: null, error: null, status: 'queued' };
  entries.push(entry);
  r.total += 1;
  scheduleRender();
  runEntry(r, entry);
  return entry;
}

/**
 * Inspects an entry's file. `again`: a second look at a file inspected in
 * this run with the same options, for the batch's identities; its pixel
 * scan is taken from the first look (`earlier_pixels`), as only the header
 * rules search for identities.
 */
async function runEntry(r, entry, again = false) {
  entry.status = 'queued';
  entry.batchKey = JSON.stringify(batchIdentities);
  const options = { path: entry.name, signal: r.controller.signal, ...inspectOptions() };
  const pixels = again ? entry.report?.files[0]?.pixels : null;
  if (options.pixel_scan && pixels?.decodable) options.earlier_pixels = pixels;
  try {
    entry.report = await inspect(entry.file, options);
    entry.status = 'done';
    entry.error = null;
    r.firstResult ??= performance.now() - r.started;
    $('version').textContent = `${entry.report.tool.name} ${entry.report.tool.version}`;
  } catch (err) {
    entry.status = err.code === 'cancelled' ? 'cancelled' : 'error';
    entry.error = String(err.message ?? err);
    entry.limit = err.code === 'time_limit';
  }
  r.done += 1;
  scheduleRender();
  if (entry === shown) show(entry);
  maybeFinish(r);
}

async function maybeFinish(r) {
  if (r.finished || r.settling || r.sources > 0 || r.done < r.total) return;
  if (!r.settled && !r.controller.signal.aborted) {
    // Every file is in: search each for the identities of the others, as
    // part of the same run.
    r.settling = true;
    r.settled = true;
    try {
      await settleBatch(r);
    } finally {
      r.settling = false;
    }
    if (r.done < r.total) return;
  }
  r.finished = true;
  r.seconds = (performance.now() - r.started) / 1000;
  $('cancel').disabled = true;
  scheduleRender();
  // A run of one file shows it; a batch shows its first DICOM file if
  // nothing is on view yet.
  const added = entries.slice(r.firstEntry);
  if (added.length === 1) show(added[0]);
  else if (!shown && added.length) show(added.find((e) => e.status === 'done' && e.report.files[0].is_dicom) ?? added[0]);
  document.dispatchEvent(new CustomEvent('batchdone', { detail: { files: r.total, seconds: r.seconds } }));
}

/** Identities (names, IDs, accession, birth date) of a file. */
const identitiesOfEntry = (entry) => identitiesOf(entry.report?.files[0]?.summary);

/**
 * Once every file is in, searches each file for the identities of the
 * others. Only files whose own identities do not already cover the batch's
 * are inspected again: a series of one patient costs no second pass, and
 * the files of a batch of several patients are read again without their
 * pixels, whose scan the first pass made.
 */
async function settleBatch(r) {
  const done = entries.filter((e) => e.status === 'done');
  const all = new Set();
  for (const e of done) for (const v of identitiesOfEntry(e)) all.add(v);
  const ids = done.length > 1 ? [...all].sort() : [];
  if (JSON.stringify(ids) === JSON.stringify(batchIdentities)) return;
  batchIdentities = ids;
  const key = JSON.stringify(ids);
  const stale = done.filter((e) => {
    if (e.batchKey === key || !e.report.files[0].is_dicom) return false;
    const own = new Set(identitiesOfEntry(e));
    return ids.some((v) => !own.has(v));
  });
  if (!stale.length) return;
  r.label = `searching ${stale.length} file${stale.length === 1 ? '' : 's'} for the other files' identities`;
  r.rechecks = (r.rechecks ?? 0) + stale.length;
  r.total += stale.length;
  for (const e of stale) runEntry(r, e, true);
}

function cancelRun() {
  if (!run || run.finished) return;
  run.controller.abort();
  $('status').textContent = 'Cancelling…';
}

function reinspectAll() {
  const r = beginRun();
  const again = entries.filter((e) => e.file);
  r.total += again.length;
  for (const e of again) runEntry(r, e);
  maybeFinish(r);
}

// ---- rendering, throttled to the display ---------------------------------

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  // A timer, not only a frame: hidden or headless pages still update.
  setTimeout(() => {
    renderQueued = false;
    render();
  }, 100);
}

function render() {
  renderProgress();
  renderSummary();
  dashboard.selected = shown;
  dashboard.render(entries);
}

function renderProgress() {
  if (!run) return;
  const bar = $('progress');
  bar.max = Math.max(1, run.total);
  bar.value = run.done;
  const seconds = ((run.finished ? run.seconds * 1000 : performance.now() - run.started)) / 1000;
  const rate = seconds > 0 ? run.done / seconds : 0;
  const files = run.total - (run.rechecks ?? 0);
  const parts = [`${Math.min(run.done, files).toLocaleString('en')} of ${files.toLocaleString('en')} files`];
  if (run.sources > 0) parts.push('still listing');
  if (run.done) parts.push(`${rate.toFixed(rate < 10 ? 1 : 0)} files/s`);
  if (run.label && !run.finished) parts.push(run.label);
  if (run.rechecks && run.finished) parts.push(`${run.rechecks} re-checked for the other files' identities`);
  if (run.finished) parts.push(`${seconds.toFixed(1)} s`);
  const head = run.finished ? (run.controller.signal.aborted ? 'Cancelled: ' : 'Done: ') : '';
  $('status').textContent = head + parts.join(' · ');
  $('progress-box').dataset.state = run.finished ? 'done' : 'running';
}

function renderSummary() {
  const done = entries.filter((e) => e.status === 'done');
  const c = { high: 0, medium: 0, low: 0, info: 0 };
  for (const e of done) for (const x of e.report.files[0].findings) c[x.severity] += 1;
  const dicom = done.filter((e) => e.report.files[0].is_dicom).length;
  const errors = entries.filter((e) => e.status === 'error').length;
  const box = $('batch-summary');
  box.replaceChildren(
    el('span', null, `${dicom.toLocaleString('en')} DICOM file${dicom === 1 ? '' : 's'}`),
    el('span', 'hint', `${(done.length - dicom).toLocaleString('en')} not DICOM`),
    ...(errors ? [el('span', 'count error', `${errors} could not be inspected`)] : []),
    ...SEVERITIES.map((s) => el('span', `count ${s}`, `${c[s].toLocaleString('en')} ${s}`)),
  );
}

// ---- the per-file view ---------------------------------------------------

async function show(entry) {
  shown = entry;
  dashboard.selected = entry;
  for (const li of document.querySelectorAll('#dashboard li.selected')) li.classList.remove('selected');
  entry.row?.classList.add('selected');
  const detail = $('detail');
  if (entry.status === 'error' || entry.status === 'cancelled') {
    renderError(detail, entry);
    return;
  }
  if (entry.status !== 'done') {
    detail.replaceChildren(el('h2', 'file-name', entry.name), el('p', null, 'Inspecting…'));
    return;
  }
  // The batch pass keeps no element tree (thousands of files); the file on
  // view is inspected once more with its tree.
  detailJob?.abort();
  const job = new AbortController();
  detailJob = job;
  detail.setAttribute('aria-busy', 'true');
  try {
    const report = await inspect(entry.file, { path: entry.name, elements: true, max_report_elements: 100000, signal: job.signal, ...inspectOptions() });
    if (job.signal.aborted || shown !== entry) return;
    const paths = new Set(entries.map((e) => e.name.toUpperCase()));
    renderDetail(detail, entry, report, { batchPaths: paths });
    detail.dataset.file = entry.name;
  } catch (err) {
    if (err.code === 'cancelled') return;
    renderError(detail, { ...entry, error: String(err.message ?? err) });
  } finally {
    if (detailJob === job) detail.removeAttribute('aria-busy');
  }
}

// ---- input -------------------------------------------------------------

function setupInput() {
  const zone = $('drop-zone');
  $('file-input').addEventListener('change', (e) => {
    const r = beginRun();
    withSource(r, async () => fromFileList(e.target.files, { onFile: (p, f) => onFile(r, p, f) }));
    e.target.value = '';
  });
  $('folder-input').addEventListener('change', (e) => {
    const r = beginRun();
    withSource(r, async () => fromFileList(e.target.files, { onFile: (p, f) => onFile(r, p, f) }));
    e.target.value = '';
  });
  for (const type of ['dragenter', 'dragover']) {
    document.addEventListener(type, (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
  }
  document.addEventListener('dragleave', (e) => {
    if (e.target === document.documentElement || e.target === zone) zone.classList.remove('over');
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (!e.dataTransfer) return;
    const r = beginRun();
    withSource(r, () => fromDataTransfer(e.dataTransfer, {
      onFile: (p, f) => onFile(r, p, f),
      onError: (p, message) => addError(r, p, message),
      signal: r.controller.signal,
    }));
  });
  $('cancel').addEventListener('click', cancelRun);
  $('headers-only').addEventListener('change', reinspectAll);
  $('file-search').addEventListener('input', (e) => dashboard.setQuery(e.target.value));
}

/** Loads demo files from the server (the page's own origin) as one batch. */
async function loadDemo(files) {
  const r = beginRun();
  await withSource(r, async () => {
    for (const name of files) {
      const bytes = await (await fetch(`demo/${name.split('/').map(encodeURIComponent).join('/')}`)).blob();
      onFile(r, name, new File([bytes], name));
    }
  });
}

let demos = [];
async function setupDemo() {
  const list = $('demo-list');
  try {
    const response = await fetch('demo/index.json');
    if (!response.ok) throw new Error(response.statusText);
    demos = await response.json();
  } catch {
    list.append(el('li', 'hint', 'No demo files here (run scripts/serve to make them).'));
    return;
  }
  const folders = new Map();
  for (const d of demos.filter((x) => x.folder)) folders.set(d.folder, [...(folders.get(d.folder) ?? []), d]);
  const singles = demos.filter((d) => !d.folder);
  const ordered = [...singles.filter((d) => !d.attack), ...singles.filter((d) => d.attack)];
  for (const [folder, members] of folders) {
    const li = el('li');
    li.append(button(`${folder}/ (folder)`, `Open the demo folder ${folder} with its ${members.length} files`, () => loadDemo(members.map((m) => m.file)), 'button demo-file'),
      el('span', 'hint', ` A folder of ${members.length} files: ${members.find((m) => m.file.endsWith('DICOMDIR'))?.description ?? members[0].description}`));
    list.append(li);
  }
  for (const demo of ordered) {
    const li = el('li', demo.attack ? 'attack' : null);
    li.append(button(demo.file, `Open the demo file ${demo.file}`, () => loadDemo([demo.file]), 'button demo-file'),
      el('span', 'hint', ` ${demo.attack ? 'Attack file (safe here): ' : ''}${demo.description}`));
    list.append(li);
  }
}

function setupProfile() {
  const box = $('profile-options');
  for (const [value, label] of PROFILE_OPTIONS) {
    const id = `opt-${value}`;
    const input = el('input');
    input.type = 'checkbox';
    input.id = id;
    input.value = value;
    input.addEventListener('change', reinspectAll);
    const lab = el('label', null, label);
    lab.htmlFor = id;
    const li = el('li');
    li.append(input, lab);
    box.append(li);
  }
}

// ---- exports, theme, network status, offline -----------------------------

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function setupExports() {
  const box = $('exports');
  const formats = [
    ['JSON', 'dicom-inspection.json', 'application/json', toJson],
    ['CSV', 'dicom-inspection.csv', 'text/csv', toCsv],
    ['SARIF', 'dicom-inspection.sarif', 'application/sarif+json', toSarif],
    ['HTML report', 'dicom-inspection.html', 'text/html', toHtml],
  ];
  for (const [label, name, type, render] of formats) {
    box.append(button(label, `Export the batch report as ${label}`, () => {
      const reports = entries.filter((e) => e.status === 'done').map((e) => e.report);
      if (reports.length) download(name, render(batchReport(reports)), type);
    }));
  }
}

const THEMES = ['auto', 'light', 'dark'];
function setupTheme() {
  const toggle = $('theme');
  const apply = (theme) => {
    if (theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    toggle.textContent = `Theme: ${theme}`;
    toggle.setAttribute('aria-label', `Colour theme: ${theme}. Change the theme`);
  };
  let theme = localStorage.getItem('theme');
  if (!THEMES.includes(theme)) theme = 'auto';
  apply(theme);
  toggle.addEventListener('click', () => {
    theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
    localStorage.setItem('theme', theme);
    apply(theme);
  });
}

/** Keeps the "0 bytes uploaded" claim honest with the browser's own records. */
function watchNetwork() {
  const status = $('local-status');
  const origin = location.origin;
  const check = () => {
    const all = performance.getEntriesByType('resource');
    const foreign = all.filter((r) => !r.name.startsWith(origin));
    if (foreign.length) {
      status.textContent = `Warning: ${foreign.length} request(s) left this origin`;
      status.classList.add('warning');
    } else {
      status.textContent = 'Processed locally — 0 bytes uploaded';
      status.title = `${all.length} requests so far, all to ${origin}, all for the inspector's own files`;
    }
  };
  new PerformanceObserver(check).observe({ type: 'resource', buffered: true });
}

function setupOffline() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('sw.js').then(() => {
    $('offline-status').textContent = 'Works offline after this visit';
  }).catch(() => {
    $('offline-status').textContent = '';
  });
}

setupTheme();
setupProfile();
setupExports();
setupInput();
watchNetwork();
setupOffline();
$('workers').textContent = `${poolSize} worker${poolSize === 1 ? '' : 's'}`;
setupDemo().then(() => {
  const tour = new Tour({ load: loadDemo, demos: () => demos, entries: () => entries, show, panel: $('tour') });
  $('tour-start').addEventListener('click', () => tour.start());
});
render();
// The workers fetch and compile the WASM core while the page waits for a drop.
(window.requestIdleCallback ?? setTimeout)(() => warmUp());
// For tests and the embedding page: the page's state, read-only.
window.inspectorPage = { entries, get run() { return run; }, badge };
