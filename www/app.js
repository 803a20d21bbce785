// The inspector page. Every value that comes from a file is set with
// textContent, never as markup.
import { inspect } from './inspector.js';
import { imageSection } from './viewer.js';
import { batchReport, toCsv, toHtml, toJson, toSarif } from './export.js';

const $ = (id) => document.getElementById(id);
const files = []; // { name, blob, report | null, error | null, row, batchKey }
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
let batchIdentities = [];
const SEVERITIES = ['high', 'medium', 'low', 'info'];
const TREE_BATCH = 2000;

/** Creates an element with a class and text content. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function highest(file) {
  const found = file.report?.files[0]?.findings ?? [];
  return SEVERITIES.find((s) => found.some((f) => f.severity === s)) ?? null;
}

function chosenProfile() {
  return [...document.querySelectorAll('#profile-options input:checked')].map((i) => i.value);
}

async function addFile(name, source) {
  const blob = source instanceof Blob ? source : new Blob([source]);
  const entry = { name, blob, report: null, error: null, batchKey: '' };
  files.push(entry);
  const row = el('li');
  const button = el('button', 'file', name);
  button.type = 'button';
  button.setAttribute('aria-label', `Show ${name}`);
  button.addEventListener('click', () => show(entry));
  const badge = el('span', 'badge pending', 'inspecting…');
  row.append(button, badge);
  $('file-list').append(row);
  entry.row = row;
  entry.badge = badge;
  await run(entry);
  if (files.length === 1 || !document.querySelector('.file-list .selected')) show(entry);
  settleBatch();
  return entry;
}

/** Inspects (or re-inspects) one entry with the current options. */
async function run(entry) {
  const { badge } = entry;
  badge.className = 'badge pending';
  badge.textContent = 'inspecting…';
  entry.batchKey = JSON.stringify(batchIdentities);
  try {
    entry.report = await inspect(entry.blob, {
      path: entry.name,
      elements: true,
      max_report_elements: 100000,
      profile: chosenProfile(),
      batch_identities: batchIdentities,
    });
    entry.error = null;
    const { tool } = entry.report;
    $('version').textContent = `${tool.name} ${tool.version}`;
    const f = entry.report.files[0];
    const sev = highest(entry);
    badge.className = `badge ${f.is_dicom ? (sev ?? 'clean') : 'not-dicom'}`;
    badge.textContent = f.is_dicom ? (sev ?? 'no findings') : 'not DICOM';
  } catch (err) {
    entry.error = String(err.message ?? err);
    badge.className = 'badge error';
    badge.textContent = 'error';
  }
  renderBatch();
  if (entry.row.classList.contains('selected')) show(entry);
}

/** The identities of every file in the batch (names, IDs, accession, birth date). */
function identitiesOfBatch() {
  const all = new Set();
  for (const f of files) {
    const s = f.report?.files[0]?.summary;
    if (!s) continue;
    for (const v of [s.patient_name, s.patient_id, s.accession_number, s.patient_birth_date]) if (v) all.add(v);
  }
  return [...all].sort();
}

let settling = false;
/** Once every file is in, searches each file for the identities of the others. */
async function settleBatch() {
  if (settling || files.some((f) => !f.report && !f.error)) return;
  settling = true;
  try {
    const ids = files.length > 1 ? identitiesOfBatch() : [];
    if (JSON.stringify(ids) !== JSON.stringify(batchIdentities)) {
      batchIdentities = ids;
      const key = JSON.stringify(ids);
      await Promise.all(files.filter((f) => f.report && f.batchKey !== key).map(run));
    }
  } finally {
    settling = false;
  }
}

async function reinspectAll() {
  await Promise.all(files.map(run));
}

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
    const b = el('button', 'button', label);
    b.type = 'button';
    b.setAttribute('aria-label', `Export the batch report as ${label}`);
    b.addEventListener('click', () => {
      const reports = files.filter((f) => f.report).map((f) => f.report);
      if (reports.length) download(name, render(batchReport(reports)), type);
    });
    box.append(b);
  }
}

function renderBatch() {
  const done = files.filter((f) => f.report || f.error);
  const counts = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of done) for (const x of f.report?.files[0]?.findings ?? []) counts[x.severity] += 1;
  const box = $('batch-summary');
  box.replaceChildren(
    el('span', null, `${done.length} of ${files.length} files inspected · `),
    ...SEVERITIES.map((s) => el('span', `count ${s}`, `${counts[s]} ${s}`)),
  );
}

function show(entry) {
  for (const r of document.querySelectorAll('.file-list li')) r.classList.toggle('selected', r === entry.row);
  const detail = $('detail');
  detail.replaceChildren();
  detail.append(el('h2', 'file-name', entry.name));
  if (entry.error) {
    detail.append(el('p', 'error', `The inspector could not read this file: ${entry.error}`));
    return;
  }
  if (!entry.report) {
    detail.append(el('p', null, 'Inspecting…'));
    return;
  }
  const f = entry.report.files[0];
  detail.append(facts(f));
  if (f.pixels) detail.append(imageSection(entry.blob, f.pixels));
  detail.append(findings(f));
  const bytes = el('section', 'bytes');
  detail.append(bytes);
  renderBytes(entry, f, bytes);
  if (f.elements) detail.append(tree(f.elements));
  if (f.elements_omitted) detail.append(el('p', 'hint', `${f.elements_omitted.toLocaleString()} more elements are not listed (the first 100,000 are).`));
}

function facts(f) {
  const dl = el('dl', 'facts');
  const add = (term, value) => {
    dl.append(el('dt', null, term), el('dd', null, value ?? '—'));
  };
  const s = f.summary;
  add('Size', `${f.size.toLocaleString()} bytes`);
  add('DICOM', f.is_dicom ? (f.meta.preamble ? 'Part 10 file (preamble, DICM, meta)' : f.meta.file_meta ? 'meta group without preamble' : 'raw data set') : 'no — not a DICOM file');
  if (f.is_dicom) {
    const ts = f.transfer_syntax;
    add('Transfer syntax', ts ? `${ts.name}${ts.uid ? ` (${ts.uid})` : ''}` : null);
    add('SOP class', f.sop_class ? `${f.sop_class.name ?? 'unknown'} (${f.sop_class.uid})` : null);
    add('Patient', [s.patient_name, s.patient_id && `ID ${s.patient_id}`].filter(Boolean).join(' · ') || null);
    add('Study', [s.study_date, s.study_description].filter(Boolean).join(' · ') || null);
    add('Series', [s.modality, s.series_description].filter(Boolean).join(' · ') || null);
    add('Elements', f.element_count.toLocaleString());
    if (f.pixel_data) {
      const p = f.pixel_data;
      add('Pixel data', p.encapsulated
        ? `encapsulated, ${p.fragments.length} fragment(s), offset table ${p.basic_offset_table.length ? `${p.basic_offset_table.length} entries` : 'empty'}`
        : `native ${p.vr}, ${p.length?.toLocaleString() ?? '?'} bytes at offset ${p.offset}`);
    }
    if (f.meta.implementation_version_name || f.meta.implementation_class_uid) {
      add('Written by', [f.meta.implementation_version_name, f.meta.implementation_class_uid].filter(Boolean).join(' · '));
    }
  }
  return dl;
}

function findings(f) {
  const section = el('section', 'findings');
  section.append(el('h3', null, `Findings (${f.findings.length})`));
  if (!f.findings.length) {
    section.append(el('p', 'hint', 'No findings.'));
    return section;
  }
  for (const severity of SEVERITIES) {
    const group = f.findings.filter((x) => x.severity === severity);
    if (!group.length) continue;
    const heading = el('h4', `group ${severity}`, `${severity} (${group.length})`);
    const list = el('ul');
    list.setAttribute('aria-label', `${severity} findings`);
    for (const x of group) list.append(finding(x));
    section.append(heading, list);
  }
  return section;
}

function finding(x) {
  const li = el('li', `finding ${x.severity}`);
  li.append(el('span', `sev ${x.severity}`, x.severity), el('code', null, x.code), el('span', 'message', x.message));
  const where = [x.path, x.offset !== null ? `offset ${x.offset}` : null].filter(Boolean).join(' · ');
  if (where) li.append(el('span', 'where', where));
  if (x.explanation || x.reference) {
    const why = el('details', 'why');
    why.append(el('summary', null, 'Why it matters'));
    if (x.explanation) why.append(el('p', 'explanation', x.explanation));
    if (x.reference) why.append(el('span', 'reference', x.reference));
    li.append(why);
  }
  if (x.path) {
    li.tabIndex = 0;
    li.title = 'Show this element in the tree';
    const go = () => selectPath(x.path);
    li.addEventListener('click', go);
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
  }
  return li;
}

const HEX_FINDINGS = ['security.preamble', 'security.trailing_data', 'security.embedded_executable'];

/** Hex views of the preamble and of the bytes security findings point at. */
async function renderBytes(entry, f, section) {
  const views = [];
  if (f.meta.preamble) {
    const flagged = f.findings.find((x) => x.code === 'security.preamble');
    views.push({ title: 'Preamble and DICM prefix (bytes 0–131)', start: 0, end: 132, mark: (b, i) => i < 128 && b !== 0, finding: flagged });
  }
  const deflated = f.transfer_syntax?.deflated;
  for (const x of f.findings) {
    if (!HEX_FINDINGS.includes(x.code) || x.code === 'security.preamble' || x.offset === null || deflated) continue;
    const length = x.length ?? 64;
    views.push({ title: `${x.code} at offset ${x.offset}`, start: x.offset, end: x.offset + Math.min(length + 16, 256), mark: (b, i) => i >= x.offset && i < x.offset + Math.min(length, 16), finding: x });
  }
  if (!views.length) return;
  section.append(el('h3', null, 'Bytes'));
  for (const v of views) {
    const data = new Uint8Array(await entry.blob.slice(v.start, v.end).arrayBuffer());
    const figure = el('figure', `hexview${v.finding && v.finding.severity !== 'info' ? ` ${v.finding.severity}` : ''}`);
    figure.append(el('figcaption', null, v.title));
    const pre = el('pre');
    pre.setAttribute('aria-label', v.title);
    for (let row = 0; row < data.length; row += 16) {
      const line = el('span', 'hexline');
      line.append(el('span', 'hexoffset', (v.start + row).toString(16).padStart(8, '0')));
      const hex = el('span', 'hexbytes');
      const ascii = el('span', 'hexascii');
      for (let i = row; i < Math.min(row + 16, data.length); i++) {
        const b = data[i];
        const marked = v.mark(b, v.start + i);
        hex.append(el('span', marked ? 'hb mark' : 'hb', b.toString(16).padStart(2, '0')));
        ascii.append(el('span', marked ? 'mark' : null, b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'));
      }
      line.append(hex, ascii, document.createTextNode('\n'));
      pre.append(line);
    }
    figure.append(pre);
    section.append(figure);
  }
}

function selectPath(path) {
  const row = document.querySelector(`tr[data-path="${CSS.escape(path)}"]`);
  if (!row) return;
  for (const r of document.querySelectorAll('tr.highlight')) r.classList.remove('highlight');
  row.classList.add('highlight');
  row.scrollIntoView({ block: 'center' });
}

/** The element tree: one row per node, indented by depth; containers fold. */
function tree(elements) {
  const section = el('section', 'tree');
  section.append(el('h3', null, 'Elements'));
  const table = el('table');
  table.setAttribute('aria-label', 'Element tree');
  const head = el('thead');
  const hr = el('tr');
  for (const h of ['Tag', 'Name', 'VR', 'VM', 'Length', 'Offset', 'Value']) hr.append(el('th', null, h));
  head.append(hr);
  const body = el('tbody');
  table.append(head, body);
  const wrap = el('div', 'table-wrap');
  wrap.append(table);
  section.append(wrap);

  const rows = new Array(elements.length);
  const renderRange = (from, to) => {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) {
      const e = elements[i];
      const tr = el('tr', `kind-${e.kind}${e.parent !== null && rows[e.parent]?.classList.contains('collapsed-hidden') ? ' collapsed-hidden' : ''}`);
      tr.dataset.path = e.path;
      tr.dataset.index = i;
      if (e.parent !== null) tr.dataset.parent = e.parent;
      const tagCell = el('td', 'tag');
      tagCell.style.paddingLeft = `${0.4 + e.depth * 1.1}rem`;
      if (e.kind === 'sequence' || e.kind === 'item' || e.kind === 'pixel_sequence') {
        const toggle = el('button', 'toggle', '▾');
        toggle.type = 'button';
        toggle.setAttribute('aria-expanded', 'true');
        toggle.setAttribute('aria-label', `Fold ${e.tag}`);
        toggle.addEventListener('click', () => fold(rows, elements, i, toggle));
        tagCell.append(toggle);
      }
      tagCell.append(document.createTextNode(e.tag));
      const name = e.private_creator ? `${e.name} [${e.private_creator}]` : e.name;
      tr.append(
        tagCell,
        el('td', e.private_creator ? 'name private' : 'name', name),
        el('td', 'vr', e.vr),
        el('td', 'num', e.vm),
        el('td', 'num', e.length === null ? 'undefined' : e.length),
        el('td', 'num', e.offset),
        el('td', 'value', e.value ?? ''),
      );
      rows[i] = tr;
      frag.append(tr);
    }
    body.append(frag);
  };
  renderRange(0, Math.min(TREE_BATCH, elements.length));
  if (elements.length > TREE_BATCH) {
    const more = el('button', 'button more', `Show all ${elements.length.toLocaleString()} elements`);
    more.type = 'button';
    more.addEventListener('click', () => {
      more.remove();
      renderRange(TREE_BATCH, elements.length);
    });
    section.append(more);
  }
  return section;
}

/** Folds or unfolds a container's descendants. */
function fold(rows, elements, index, toggle) {
  const open = toggle.getAttribute('aria-expanded') === 'true';
  toggle.setAttribute('aria-expanded', String(!open));
  toggle.textContent = open ? '▸' : '▾';
  const inside = new Set([index]);
  for (let i = index + 1; i < elements.length; i++) {
    if (!inside.has(elements[i].parent)) break;
    inside.add(i);
    if (rows[i]) rows[i].classList.toggle('collapsed-hidden', open);
    // Unfolding shows every descendant; nested folds reset to open.
    if (!open && rows[i]) {
      const t = rows[i].querySelector('.toggle');
      if (t) { t.setAttribute('aria-expanded', 'true'); t.textContent = '▾'; }
    }
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

function handleFiles(list) {
  for (const file of list) addFile(file.webkitRelativePath || file.name, file);
}

function setupInput() {
  const zone = $('drop-zone');
  $('file-input').addEventListener('change', (e) => {
    handleFiles(e.target.files);
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
    if (e.dataTransfer?.files?.length) handleFiles(e.dataTransfer.files);
  });
  zone.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      $('file-input').click();
    }
  });
}

async function setupDemo() {
  const list = $('demo-list');
  try {
    const response = await fetch('demo/index.json');
    if (!response.ok) throw new Error(response.statusText);
    const all = await response.json();
    const attacks = all.filter((d) => d.attack);
    for (const demo of [...all.filter((d) => !d.attack), ...attacks]) {
      const li = el('li', demo.attack ? 'attack' : null);
      const button = el('button', 'button demo-file', demo.file);
      button.type = 'button';
      button.addEventListener('click', async () => {
        const bytes = await (await fetch(`demo/${encodeURIComponent(demo.file)}`)).arrayBuffer();
        show(await addFile(demo.file, bytes));
      });
      li.append(button, el('span', 'hint', ` ${demo.attack ? 'Attack file (safe here): ' : ''}${demo.description}`));
      list.append(li);
    }
  } catch {
    list.append(el('li', 'hint', 'No demo files here (run scripts/serve to make them).'));
  }
}

/** Keeps the "0 bytes uploaded" claim honest: counts bytes the page sent. */
function watchNetwork() {
  const status = $('local-status');
  const origin = location.origin;
  const check = () => {
    const foreign = performance.getEntriesByType('resource').filter((r) => !r.name.startsWith(origin));
    if (foreign.length) {
      status.textContent = `Warning: ${foreign.length} request(s) left this origin`;
      status.classList.add('warning');
    }
  };
  new PerformanceObserver(check).observe({ type: 'resource', buffered: true });
}

setupProfile();
setupExports();
setupInput();
setupDemo();
watchNetwork();
