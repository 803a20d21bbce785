// The view of one file: facts, the image, the findings (each explained,
// each a link to its element and its bytes), the hex view of suspicious
// bytes, the element tree and, for a DICOMDIR, what it references. Every
// value from a file is set with textContent, never as markup.
import { imageSection } from './viewer.js';
import { createElementTree } from './tree.js';
import { el, SEVERITIES } from './dom.js';

/**
 * Renders `entry` ({ name, file, report }) into `container`. `report` must
 * have been made with `elements: true`. `batchPaths` is the set of paths in
 * the batch (upper case), for the DICOMDIR's references.
 */
export function renderDetail(container, entry, report, { batchPaths = new Set() } = {}) {
  container.replaceChildren();
  container.append(el('h2', 'file-name', entry.name));
  const f = report.files[0];
  container.append(facts(f));
  const view = { tree: null, image: null };
  // A DICOMDIR is about the files it lists: they come first.
  if (f.dicomdir) container.append(dicomdir(entry.name, f.dicomdir, batchPaths));
  if (f.pixels) {
    view.image = imageSection(entry.file, f.pixels);
    container.append(view.image);
  }
  container.append(findings(f, view));
  const bytes = el('section', 'bytes');
  container.append(bytes);
  renderBytes(entry, f, bytes);
  if (f.elements) {
    const section = el('section', 'tree');
    section.append(el('h3', null, `Elements (${f.element_count.toLocaleString('en')})`));
    view.tree = createElementTree(f.elements, { label: `Elements of ${entry.name}` });
    section.append(view.tree.node);
    if (f.elements_omitted) section.append(el('p', 'hint', `${f.elements_omitted.toLocaleString('en')} more elements are not listed (the first ${f.elements.length.toLocaleString('en')} are).`));
    container.append(section);
  }
  return view;
}

/** A message for a file the inspector could not finish. */
export function renderError(container, entry) {
  container.replaceChildren(el('h2', 'file-name', entry.name), el('p', 'error', `The inspector could not read this file: ${entry.error}`));
}

/** The DICOMDIR's records, each marked present or missing in the batch. */
function dicomdir(name, dir, batchPaths) {
  const section = el('section', 'dicomdir');
  const base = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
  const files = dir.records.filter((r) => r.file_id);
  const present = (r) => batchPaths.has(`${base}${r.file_id}`.toUpperCase());
  const found = files.filter(present).length;
  section.append(el('h3', null, `DICOMDIR: ${files.length} referenced file(s), ${found} among the files dropped`));
  if (!files.length) return section;
  const table = el('table');
  table.setAttribute('aria-label', 'Files the DICOMDIR references');
  const hr = el('tr');
  for (const h of ['File', 'Record', 'Patient', 'Study', 'Series', 'Dropped']) hr.append(el('th', null, h));
  table.append(el('thead'), el('tbody'));
  table.tHead.append(hr);
  for (const r of files) {
    const ok = present(r);
    const tr = el('tr', ok ? 'present' : 'missing');
    tr.append(
      el('td', 'path', r.file_id),
      el('td', null, r.record_type ?? ''),
      el('td', null, [r.patient_name, r.patient_id].filter(Boolean).join(' · ')),
      el('td', 'uid', r.study_instance_uid ?? ''),
      el('td', 'uid', r.series_instance_uid ?? ''),
      el('td', ok ? 'ok' : 'error', ok ? 'yes' : 'missing'),
    );
    table.tBodies[0].append(tr);
  }
  const wrap = el('div', 'table-wrap');
  wrap.append(table);
  section.append(wrap);
  return section;
}

function facts(f) {
  const dl = el('dl', 'facts');
  const add = (term, value) => {
    dl.append(el('dt', null, term), el('dd', null, value ?? '—'));
  };
  const s = f.summary;
  add('Size', `${f.size.toLocaleString('en')} bytes`);
  if (f.partial) add('Read', `headers only: ${f.partial.loaded_bytes.toLocaleString('en')} of ${f.partial.file_size.toLocaleString('en')} bytes (pixel data not loaded)`);
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

function findings(f, view) {
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
    for (const x of group) list.append(finding(x, view));
    section.append(heading, list);
  }
  return section;
}

function finding(x, view) {
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
  const showsBoxes = x.code === 'phi.burned_in' && view.image;
  if (x.path || showsBoxes) {
    // A button for the keyboard and screen readers; a click anywhere on the
    // finding (not on its explanation) does the same.
    const go = () => {
      if (showsBoxes) view.image.showTextBoxes?.();
      if (x.path) view.tree?.select(x.path);
    };
    const text = showsBoxes ? 'Show in the image' : 'Show the element';
    const b = el('button', 'button small goto', text);
    b.type = 'button';
    b.setAttribute('aria-label', `${text}: ${x.code}${x.path ? ` at ${x.path}` : ''}`);
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      go();
    });
    li.append(b);
    li.classList.add('linked');
    li.addEventListener('click', (e) => {
      if (!e.target.closest('details')) go();
    });
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
    const data = new Uint8Array(await entry.file.slice(v.start, v.end).arrayBuffer());
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

