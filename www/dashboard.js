// The batch dashboard: patients → studies → series → instances, each with
// its findings counted by severity; the top risks of the batch; a filter by
// finding code. Instances are put in the DOM only when their series is
// opened, so a batch of thousands of files stays a page of a few hundred
// nodes. Values from files are set as text.
import { el, SEVERITIES, highestOf, button } from './dom.js';

const RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

function counts() {
  return { high: 0, medium: 0, low: 0, info: 0 };
}

function addCounts(into, findings) {
  for (const x of findings) into[x.severity] += 1;
}

function chips(c, label) {
  const box = el('span', 'chips');
  box.setAttribute('aria-label', `${label}: ${SEVERITIES.map((s) => `${c[s]} ${s}`).join(', ')}`);
  for (const s of SEVERITIES) if (c[s]) box.append(el('span', `chip ${s}`, `${c[s]} ${s}`));
  if (!SEVERITIES.some((s) => c[s])) box.append(el('span', 'chip clean', 'no findings'));
  return box;
}

/** Groups inspected DICOM entries into patients → studies → series. */
export function hierarchy(entries) {
  const patients = new Map();
  for (const entry of entries) {
    const f = entry.report?.files[0];
    if (!f?.is_dicom || f.dicomdir) continue;
    const s = f.summary;
    const pk = s.patient_id || s.patient_name || '';
    const patient = patients.get(pk) ?? { key: `p:${pk}`, name: s.patient_name, id: s.patient_id, studies: new Map(), counts: counts(), files: 0 };
    patients.set(pk, patient);
    const sk = s.study_instance_uid || '';
    const study = patient.studies.get(sk) ?? { key: `s:${pk}:${sk}`, uid: s.study_instance_uid, date: s.study_date, description: s.study_description, series: new Map(), counts: counts(), files: 0 };
    patient.studies.set(sk, study);
    const ek = s.series_instance_uid || '';
    const series = study.series.get(ek) ?? { key: `e:${pk}:${sk}:${ek}`, uid: s.series_instance_uid, modality: s.modality, description: s.series_description, entries: [], counts: counts() };
    study.series.set(ek, series);
    series.entries.push(entry);
    for (const node of [patient, study, series]) addCounts(node.counts, f.findings);
    patient.files += 1;
    study.files += 1;
  }
  return patients;
}

/** Finding codes over the batch: files and findings per code, worst severity first. */
export function risks(entries) {
  const byCode = new Map();
  for (const entry of entries) {
    const found = entry.report?.files[0]?.findings ?? [];
    const seen = new Set();
    for (const x of found) {
      const r = byCode.get(x.code) ?? { code: x.code, severity: x.severity, files: 0, findings: 0 };
      if (RANK[x.severity] < RANK[r.severity]) r.severity = x.severity;
      r.findings += 1;
      if (!seen.has(x.code)) {
        r.files += 1;
        seen.add(x.code);
      }
      byCode.set(x.code, r);
    }
  }
  return [...byCode.values()].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.files - a.files || a.code.localeCompare(b.code));
}

/**
 * The dashboard's state between renders (which nodes are open, the filter)
 * and its rendering. `onSelect(entry)` shows a file; `onFilter()` is called
 * after the filter changes.
 */
export class Dashboard {
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.open = new Set();
    this.filter = '';
    this.query = '';
    this.selected = null;
  }

  /** Finds files by name: a flat list of matches replaces the hierarchy. */
  setQuery(query) {
    this.query = query.trim().toLowerCase();
    this.render(this.entries ?? []);
  }

  matches(entry) {
    if (!this.filter) return true;
    return (entry.report?.files[0]?.findings ?? []).some((x) => x.code === this.filter);
  }

  setFilter(code) {
    this.filter = code;
    this.render(this.entries ?? []);
  }

  render(entries) {
    this.entries = entries;
    const shown = entries.filter((e) => this.matches(e));
    const box = this.container;
    const focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    box.replaceChildren();
    box.append(this.riskPanel(entries));
    if (this.query) {
      const found = shown.filter((e) => e.name.toLowerCase().includes(this.query));
      box.append(el('p', 'hint', `${found.length.toLocaleString('en')} file${found.length === 1 ? '' : 's'} named like “${this.query}”`));
      const list = this.instances(found.slice(0, 500));
      list.classList.add('matches');
      box.append(list);
      if (focused) box.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
      return;
    }
    const tree = el('ul', 'patients');
    tree.setAttribute('aria-label', 'Patients, studies and series');
    for (const patient of hierarchy(shown).values()) tree.append(this.patientNode(patient));
    if (tree.children.length) box.append(tree);
    this.others(box, shown);
    if (focused) box.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  }

  riskPanel(entries) {
    const panel = el('section', 'risks');
    panel.append(el('h2', null, 'Top risks'));
    const all = risks(entries);
    if (!all.length) {
      panel.append(el('p', 'hint', entries.length ? 'No findings so far.' : 'Drop files to see the risks of the batch.'));
      return panel;
    }
    const list = el('ol', 'risk-list');
    for (const r of all.filter((x) => x.severity !== 'info').slice(0, 6)) {
      const li = el('li');
      const b = button('', null, () => this.setFilter(this.filter === r.code ? '' : r.code), `risk ${r.severity}${this.filter === r.code ? ' active' : ''}`);
      b.title = `Show only files with ${r.code}`;
      b.setAttribute('aria-pressed', String(this.filter === r.code));
      b.append(el('span', `sev ${r.severity}`, r.severity), el('code', null, r.code), el('span', 'hint', ` in ${r.files.toLocaleString('en')} file${r.files === 1 ? '' : 's'}`));
      li.append(b);
      list.append(li);
    }
    panel.append(list);
    const label = el('label', 'filter');
    label.append(document.createTextNode('Filter by finding '));
    const select = el('select', 'code-filter');
    select.setAttribute('aria-label', 'Show only files with this finding code');
    select.append(Object.assign(el('option', null, 'all files'), { value: '' }));
    for (const r of all) {
      const o = el('option', null, `${r.code} (${r.severity}, ${r.files} file${r.files === 1 ? '' : 's'})`);
      o.value = r.code;
      select.append(o);
    }
    select.value = this.filter;
    select.addEventListener('change', () => this.setFilter(select.value));
    label.append(select);
    panel.append(label);
    return panel;
  }

  /** A foldable node whose children are built when it is first opened. */
  fold(key, summaryParts, fill, className) {
    const li = el('li', className);
    const details = el('details');
    const summary = el('summary');
    summary.dataset.key = key;
    summary.append(...summaryParts);
    details.append(summary);
    let filled = false;
    const ensure = () => {
      if (filled) return;
      filled = true;
      details.append(fill());
    };
    if (this.open.has(key)) {
      details.open = true;
      ensure();
    }
    details.addEventListener('toggle', () => {
      if (details.open) {
        this.open.add(key);
        ensure();
      } else this.open.delete(key);
    });
    li.append(details);
    return li;
  }

  patientNode(p) {
    const name = p.name || p.id ? [p.name, p.id && `ID ${p.id}`].filter(Boolean).join(' · ') : 'No patient identity';
    return this.fold(p.key, [el('span', 'node-name', name), el('span', 'hint', ` ${p.studies.size} stud${p.studies.size === 1 ? 'y' : 'ies'}, ${p.files} file${p.files === 1 ? '' : 's'} `), chips(p.counts, 'Findings')], () => {
      const ul = el('ul', 'studies');
      for (const s of p.studies.values()) ul.append(this.studyNode(s));
      return ul;
    }, 'patient');
  }

  studyNode(s) {
    const name = [s.date, s.description].filter(Boolean).join(' · ') || 'Study without date or description';
    return this.fold(s.key, [el('span', 'node-name', name), el('span', 'hint', ` ${s.series.size} series, ${s.files} file${s.files === 1 ? '' : 's'} `), chips(s.counts, 'Findings')], () => {
      const ul = el('ul', 'series');
      for (const e of s.series.values()) ul.append(this.seriesNode(e));
      return ul;
    }, 'study');
  }

  seriesNode(e) {
    const name = [e.modality, e.description].filter(Boolean).join(' · ') || 'Series';
    return this.fold(e.key, [el('span', 'node-name', name), el('span', 'hint', ` ${e.entries.length} file${e.entries.length === 1 ? '' : 's'} `), chips(e.counts, 'Findings')], () => this.instances(e.entries), 'series-node');
  }

  instances(entries) {
    const ul = el('ul', 'instances file-list');
    for (const entry of entries) ul.append(this.instance(entry));
    return ul;
  }

  instance(entry) {
    const li = el('li');
    li.classList.toggle('selected', entry === this.selected);
    const b = button(entry.name, `Show ${entry.name}`, () => this.onSelect(entry), 'file');
    b.dataset.key = `f:${entry.id}`;
    if (entry === this.selected) b.setAttribute('aria-current', 'true');
    li.append(b, badge(entry));
    entry.row = li;
    return li;
  }

  /** Files that are not in the hierarchy: still waiting, not DICOM, failed. */
  others(box, shown) {
    const groups = [
      ['errors', 'Could not inspect', shown.filter((e) => e.status === 'error'), true],
      ['dicomdir', 'Directories (DICOMDIR)', shown.filter((e) => e.status === 'done' && e.report.files[0].dicomdir), true],
      ['waiting', 'Waiting', shown.filter((e) => e.status === 'queued'), false],
      ['skipped', 'Not DICOM (counted, skipped)', shown.filter((e) => e.status === 'done' && !e.report.files[0].is_dicom), false],
      ['cancelled', 'Cancelled', shown.filter((e) => e.status === 'cancelled'), false],
    ];
    for (const [key, title, list, openFirst] of groups) {
      if (!list.length) continue;
      if (openFirst && !this.open.has(`g:${key}:seen`)) {
        this.open.add(`g:${key}`);
        this.open.add(`g:${key}:seen`);
      }
      const ul = el('ul', `group-${key}`);
      ul.append(this.fold(`g:${key}`, [el('span', 'node-name', `${title}: ${list.length.toLocaleString('en')}`)], () => {
        // A long list of waiting or skipped files is cut, not rendered whole.
        const inner = this.instances(list.slice(0, 500));
        if (list.length > 500) inner.append(el('li', 'hint', `and ${(list.length - 500).toLocaleString('en')} more`));
        return inner;
      }, `group ${key}`));
      box.append(ul);
    }
  }
}

/** The badge of a file: its highest severity, or its state. */
export function badge(entry) {
  const f = entry.report?.files[0];
  if (entry.status === 'error') return el('span', 'badge error', entry.limit ? 'limit' : 'error');
  if (entry.status === 'cancelled') return el('span', 'badge pending', 'cancelled');
  if (!f) return el('span', 'badge pending', 'inspecting…');
  if (!f.is_dicom) return el('span', 'badge not-dicom', 'not DICOM');
  const sev = highestOf(f.findings);
  return el('span', `badge ${sev ?? 'clean'}`, sev ?? 'no findings');
}
