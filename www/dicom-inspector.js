// <dicom-inspector>: the inspector as one custom element for intranet portals.
//
//   <script type="module" src="/dicom/dicom-inspector.js"></script>
//   <dicom-inspector profile="retain-uids" theme="auto"></dicom-inspector>
//
// A drop zone and file picker, one compact row per file (name, highest
// severity, findings with their explanation and reference) and a count by
// severity. Everything runs in this origin's workers through inspector.js:
// nothing is uploaded.
//
// Isolation: the element draws into an open shadow root. Its styles are one
// constructed stylesheet adopted by that root (never a <style> element or a
// style attribute, so a page whose CSP is `style-src 'self'` needs nothing
// more; CSSOM-constructed sheets are not inline styles). The page's selectors
// cannot reach into the shadow root, and `.root { all: initial }` stops the
// inherited properties (font, colour, line height …) at the boundary; sizes
// are in em from `font-size: medium`, never rem, so the page's root font size
// does not leak in either. The page keeps control of the element's own box
// (margin, width, display).
//
// Values from files — file names, finding messages — are always set with
// textContent, never parsed as markup.
//
// Attributes (observed):
//   profile     PS3.15 Annex E options, space- or comma-separated:
//               retain-uids, clean-descriptors … (src/options.rs; snake case
//               accepted too). Changing it re-inspects every file.
//   pixel-scan  "off" (or false/no/0): headers only, no pixel decoding or
//               burned-in text search. Changing it re-inspects every file.
//   theme       light | dark | auto (default: follows prefers-color-scheme).
//   compact     tighter layout, file rows folded, hints hidden.
// Events (bubbles, composed):
//   findings       after each file: detail { file, report, findings, highest }
//   error          a file that could not be inspected: detail { file, message, error }
//   batchcomplete  a drop (or inspect() call, or re-run) is done:
//                  detail { files, names, counts, highest, not_dicom, errors, reports }
// Methods and properties:
//   inspect(fileOrBytes, name?) → Promise<report>   (fires the events too)
//   clear()                                         (cancels running work)
//   reports                                         (reports of every file shown)
import { inspect as inspectFile, identitiesOf, warmUp } from './inspector.js';

const SEVERITIES = ['high', 'medium', 'low', 'info'];

/** The options of PS3.15 E.3, as `ProfileOption` names them (snake case). */
const PROFILE_OPTIONS = [
  'retain_safe_private', 'retain_uids', 'retain_device_identity', 'retain_institution_identity',
  'retain_patient_characteristics', 'retain_longitudinal_full_dates', 'retain_longitudinal_modified_dates',
  'clean_descriptors', 'clean_structured_content', 'clean_graphics',
];

/** Findings listed per file before a "show all" button. */
const FINDINGS_SHOWN = 100;

const CSS = `
:host { display: block; }
:host([hidden]) { display: none; }
.root {
  all: initial;
  display: block;
  box-sizing: border-box;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: medium;
  line-height: 1.45;
  color: var(--di-fg);
  background: var(--di-bg);
  border: 1px solid var(--di-line);
  border-radius: .6em;
  padding: 1em;
  color-scheme: light;
  --di-bg: #ffffff; --di-fg: #1c2330; --di-muted: #566074; --di-line: #cfd6e1; --di-sunk: #f3f5f8;
  --di-accent: #1f5fbf; --di-focus: #1f5fbf;
  --di-high: #b3261e; --di-medium: #a15500; --di-low: #626600; --di-info: #2f6185; --di-ok: #2e7d32;
}
:host([theme="dark"]) .root {
  color-scheme: dark;
  --di-bg: #161b23; --di-fg: #e6e9ef; --di-muted: #a3adbd; --di-line: #323b49; --di-sunk: #1e2530;
  --di-accent: #8ab4ff; --di-focus: #8ab4ff;
  --di-high: #ff8a80; --di-medium: #ffb74d; --di-low: #dce775; --di-info: #81d4fa; --di-ok: #81c784;
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) .root {
    color-scheme: dark;
    --di-bg: #161b23; --di-fg: #e6e9ef; --di-muted: #a3adbd; --di-line: #323b49; --di-sunk: #1e2530;
    --di-accent: #8ab4ff; --di-focus: #8ab4ff;
    --di-high: #ff8a80; --di-medium: #ffb74d; --di-low: #dce775; --di-info: #81d4fa; --di-ok: #81c784;
  }
}
*, *::before, *::after { box-sizing: border-box; }
.root > * { font-size: .9375em; }
:focus-visible { outline: .2em solid var(--di-focus); outline-offset: .15em; border-radius: .25em; }
.drop-zone {
  display: block; border: .15em dashed var(--di-line); border-radius: .5em; padding: 1em;
  text-align: center; cursor: pointer; background: var(--di-sunk);
}
.drop-zone:hover, .drop-zone.over { border-color: var(--di-accent); }
.drop-zone.root > * { font-size: .9375em; }
:focus-visible { border-color: var(--di-focus); }
.drop-title { font-weight: 600; display: block; }
.hint { color: var(--di-muted); font-size: .85em; display: block; margin-top: .2em; }
.bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .4em 1em; margin: .8em 0 .4em; }
.summary { margin: 0; display: flex; flex-wrap: wrap; gap: .2em .7em; min-height: 1.45em; }
.count { font-weight: 600; }
.count.high, .sev.high { color: var(--di-high); } .count.medium, .sev.medium { color: var(--di-medium); }
.count.low, .sev.low { color: var(--di-low); } .count.info, .sev.info { color: var(--di-info); }
.notice { margin: .3em 0; color: var(--di-medium); font-size: .85em; }
button {
  font: inherit; font-size: .85em; cursor: pointer; color: var(--di-accent); background: transparent;
  border: 1px solid var(--di-accent); border-radius: .35em; padding: .15em .6em;
}
button:hover { background: var(--di-sunk); }
ul { list-style: none; margin: 0; padding: 0; }
.files { display: grid; gap: .4em; }
.file > details { border: 1px solid var(--di-line); border-radius: .4em; }
.file > details > summary {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: .2em .7em; padding: .35em .6em;
  cursor: pointer; list-style: none;
}
.file > details > summary::-webkit-details-marker { display: none; }
.file > details > summary::before { content: "▸"; color: var(--di-muted); width: .8em; }
.file > details[open] > summary::before { content: "▾"; }
.file-name { font-weight: 600; overflow-wrap: anywhere; flex: 1 1 12em; }
.counts { color: var(--di-muted); font-size: .85em; }
.badge {
  font-size: .8em; padding: 0 .5em; border-radius: 1em; border: 1px solid currentColor; white-space: nowrap;
  color: var(--di-muted);
}
.badge.high { color: var(--di-high); } .badge.medium { color: var(--di-medium); }
.badge.low { color: var(--di-low); } .badge.info, .badge.clean { color: var(--di-ok); }
.findings { display: grid; gap: .3em; padding: 0 .6em .6em; }
.finding {
  display: flex; flex-wrap: wrap; align-items: baseline; gap: .1em .6em; padding: .3em .5em;
  border-left: .25em solid var(--di-line); background: var(--di-sunk); border-radius: .2em;
}
.finding.high { border-color: var(--di-high); } .finding.medium { border-color: var(--di-medium); }
.finding.low { border-color: var(--di-low); } .finding.info { border-color: var(--di-info); }
.sev { text-transform: uppercase; font-size: .75em; font-weight: 700; min-width: 4.5em; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; }
.message { flex: 1 1 16em; overflow-wrap: anywhere; }
.where { color: var(--di-muted); font-size: .8em; font-family: ui-monospace, Menlo, Consolas, monospace; }
.why { flex-basis: 100%; font-size: .85em; }
.why > summary { cursor: pointer; color: var(--di-accent); width: max-content; }
.why p { margin: .2em 0 0; }
.reference { color: var(--di-muted); }
.status { padding: .2em .6em .6em; margin: 0; color: var(--di-muted); }
.status.error { color: var(--di-high); }
.more { margin: 0 .6em .6em; }
input[type="file"] { display: none; }
:host([compact]) .root { padding: .5em; }
:host([compact]) .root > * { font-size: .875em; }
:host([compact]) .drop-zone { padding: .5em; }
:host([compact]) .hint, :host([compact]) .where { display: none; }
:host([compact]) .bar { margin: .5em 0 .3em; }
`;

let sheet = null;
/** One constructed stylesheet, shared by every instance. */
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

/** Creates an element with a class and text content (never markup). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function emptyCounts() {
  return { high: 0, medium: 0, low: 0, info: 0 };
}

function countsOf(findings) {
  const counts = emptyCounts();
  for (const x of findings) if (x.severity in counts) counts[x.severity] += 1;
  return counts;
}

function highestOf(counts) {
  return SEVERITIES.find((s) => counts[s] > 0) ?? null;
}

/** Splits the profile attribute into option names the core accepts. */
export function parseProfile(text) {
  const chosen = [];
  const unknown = [];
  for (const word of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const name = word.toLowerCase().replaceAll('-', '_');
    if (!PROFILE_OPTIONS.includes(name)) unknown.push(word);
    else if (!chosen.includes(name)) chosen.push(name);
  }
  return { chosen, unknown };
}

/** The identity values of a batch, searched for in every file of it (as the page and the CLI do). */
function batchIdentities(summaries) {
  return [...new Set(summaries.flatMap(identitiesOf))].sort();
}

let unnamed = 0;

export class DicomInspectorElement extends HTMLElement {
  static observedAttributes = ['profile', 'pixel-scan', 'theme', 'compact'];

  /** Drops (and inspect() calls), each { entries, identities, run, cleared }. */
  #groups = [];
  #controller = new AbortController();
  #rerunQueued = false;
  #dragDepth = 0;
  #ui;

  constructor() {
    super();
    // A labelled region by default; the page's own role or aria-label win.
    const internals = this.attachInternals?.();
    if (internals && 'role' in internals) {
      internals.role = 'region';
      internals.ariaLabel = 'DICOM inspector';
    }
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [styles()];
    this.#ui = this.#build();
    shadow.append(this.#ui.root);
    this.#renderSummary();
  }

  connectedCallback() {
    this.#showProfileNotice();
    // The workers get the WASM core ready while the portal waits for a drop.
    (window.requestIdleCallback ?? setTimeout)(() => warmUp());
  }

  attributeChangedCallback(name, before, after) {
    if (before === after) return;
    if (name === 'profile' || name === 'pixel-scan') {
      this.#showProfileNotice();
      this.#queueRerun();
    } else if (name === 'compact') {
      // Restyled by CSS; rows fold when compact, unfold when not.
      for (const d of this.#ui.list.querySelectorAll('.file > details')) d.open = !this.hasAttribute('compact');
    }
    // theme: the stylesheet's :host([theme]) rules do it all.
  }

  /** The report of every file shown (files that failed have none). */
  get reports() {
    return this.#entries().filter((e) => e.report).map((e) => e.report);
  }

  /**
   * Inspects one file (File, Blob, ArrayBuffer or typed array) with the
   * element's options, shows it, fires `findings` (or `error`) and
   * `batchcomplete`, and resolves to its report.
   */
  async inspect(input, name) {
    let blob;
    if (input instanceof Blob) blob = input;
    else if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) blob = new Blob([input]);
    else throw new TypeError('inspect() takes a File, Blob, ArrayBuffer or typed array');
    unnamed += 1;
    const group = this.#addGroup([{ name: name ?? input.name ?? `file ${unnamed}`, blob }]);
    // A re-run (attribute change) replaces the run in flight: wait for the last one.
    let run;
    do {
      run = group.run;
      await run;
    } while (run !== group.run);
    if (group.cleared) throw new DOMException('the results were cleared', 'AbortError');
    const [entry] = group.entries;
    if (entry.error) throw new Error(entry.error);
    return entry.report;
  }

  /** Removes every result and cancels what is still running. */
  clear() {
    this.#controller.abort();
    this.#controller = new AbortController();
    for (const g of this.#groups) g.cleared = true;
    this.#groups = [];
    this.#ui.list.replaceChildren();
    this.#renderSummary();
  }

  #entries() {
    return this.#groups.flatMap((g) => g.entries);
  }

  #options() {
    const scan = (this.getAttribute('pixel-scan') ?? '').trim().toLowerCase();
    return {
      profile: parseProfile(this.getAttribute('profile')).chosen,
      pixel_scan: !['off', 'false', 'no', '0'].includes(scan),
    };
  }

  #build() {
    const root = el('div', 'root');

    const input = el('input');
    input.type = 'file';
    input.multiple = true;
    input.tabIndex = -1;
    input.setAttribute('aria-label', 'Choose DICOM files to inspect');

    const zone = el('div', 'drop-zone');
    zone.tabIndex = 0;
    zone.setAttribute('role', 'button');
    zone.setAttribute('aria-label', 'Drop DICOM files here, or press Enter to choose files');
    zone.setAttribute('aria-describedby', 'dicom-inspector-hint');
    const hint = el('span', 'hint', 'Files are inspected in this browser; nothing is uploaded.');
    hint.id = 'dicom-inspector-hint';
    zone.append(el('span', 'drop-title', 'Drop DICOM files here'), el('span', null, 'or click or press Enter to choose files'), hint);

    const summary = el('p', 'summary');
    summary.setAttribute('role', 'status');
    summary.setAttribute('aria-live', 'polite');
    const clear = el('button', 'clear', 'Clear');
    clear.type = 'button';
    clear.setAttribute('aria-label', 'Clear the results');
    clear.hidden = true;
    clear.addEventListener('click', () => this.clear());
    const bar = el('div', 'bar');
    bar.append(summary, clear);

    const notice = el('p', 'notice');
    notice.hidden = true;

    const list = el('ul', 'files');
    list.setAttribute('aria-label', 'Inspected files');

    root.append(zone, input, notice, bar, list);

    const pick = () => input.click();
    zone.addEventListener('click', pick);
    // As a native button: Enter on key down, Space on key up (its key down
    // would scroll the page).
    zone.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        pick();
      } else if (e.key === ' ') {
        e.preventDefault();
      }
    });
    zone.addEventListener('keyup', (e) => {
      if (e.key === ' ') {
        e.preventDefault();
        pick();
      }
    });
    input.addEventListener('change', () => {
      const files = [...input.files];
      input.value = '';
      if (files.length) this.#addGroup(files.map((f) => ({ name: f.webkitRelativePath || f.name, blob: f })));
    });
    // Drops anywhere on the element count; the zone shows where.
    root.addEventListener('dragenter', (e) => {
      if (!e.dataTransfer?.types?.includes('Files')) return;
      e.preventDefault();
      this.#dragDepth += 1;
      zone.classList.add('over');
    });
    root.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types?.includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    root.addEventListener('dragleave', () => {
      this.#dragDepth = Math.max(0, this.#dragDepth - 1);
      if (!this.#dragDepth) zone.classList.remove('over');
    });
    root.addEventListener('drop', (e) => {
      e.preventDefault();
      this.#dragDepth = 0;
      zone.classList.remove('over');
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) this.#addGroup(files.map((f) => ({ name: f.webkitRelativePath || f.name, blob: f })));
    });
    return { root, zone, input, summary, clear, notice, list };
  }

  #showProfileNotice() {
    const { unknown } = parseProfile(this.getAttribute('profile'));
    const { notice } = this.#ui;
    notice.hidden = !unknown.length;
    notice.textContent = unknown.length
      ? `Unknown profile option${unknown.length > 1 ? 's' : ''} ignored: ${unknown.join(', ')}`
      : '';
  }

  #addGroup(files) {
    const group = { entries: [], identities: null, run: null, cleared: false };
    for (const { name, blob } of files) {
      const entry = { name, blob, report: null, error: null };
      entry.row = this.#row(entry);
      this.#ui.list.append(entry.row);
      group.entries.push(entry);
    }
    this.#groups.push(group);
    this.#renderSummary();
    group.run = this.#run(group);
    return group;
  }

  /** Re-inspects every file once, after the attributes of this task have settled. */
  #queueRerun() {
    if (this.#rerunQueued || !this.#groups.length) return;
    this.#rerunQueued = true;
    queueMicrotask(() => {
      this.#rerunQueued = false;
      this.#controller.abort();
      this.#controller = new AbortController();
      for (const g of this.#groups) g.run = this.#run(g);
    });
  }

  /**
   * Inspects one group. Several files dropped together are first read for
   * their identities (headers only, read through File.slice), then each is
   * searched for the others'.
   */
  async #run(group) {
    const token = {};
    group.token = token;
    const stale = () => group.cleared || group.token !== token;
    const { signal } = this.#controller;
    const options = this.#options();
    for (const entry of group.entries) this.#setPending(entry);
    this.#renderSummary();

    if (group.identities === null) {
      if (group.entries.length > 1) {
        const summaries = await Promise.all(group.entries.map((e) =>
          inspectFile(e.blob, { path: e.name, headers_only: true, pixel_scan: false, signal })
            .then((r) => r.files[0]?.summary ?? null, () => null)));
        if (stale()) return;
        group.identities = batchIdentities(summaries);
      } else {
        group.identities = [];
      }
    }

    await Promise.all(group.entries.map(async (entry) => {
      try {
        const report = await inspectFile(entry.blob, {
          ...options, path: entry.name, batch_identities: group.identities, signal,
        });
        if (stale()) return;
        entry.report = report;
        entry.error = null;
        this.#render(entry);
        const findings = report.files[0]?.findings ?? [];
        const highest = highestOf(countsOf(findings));
        this.#emit('findings', { file: entry.name, report, findings, highest });
      } catch (err) {
        if (stale()) return;
        entry.report = null;
        entry.error = String(err?.message ?? err);
        this.#render(entry);
        this.#emit('error', { file: entry.name, message: entry.error, error: err });
      }
    }));
    if (stale()) return;
    this.#emit('batchcomplete', this.#batchSummary(group.entries));
  }

  #batchSummary(entries) {
    const done = entries.filter((e) => e.report);
    const counts = countsOf(done.flatMap((e) => e.report.files[0]?.findings ?? []));
    return {
      files: entries.length,
      names: entries.map((e) => e.name),
      counts,
      highest: highestOf(counts),
      not_dicom: done.filter((e) => e.report.files[0] && !e.report.files[0].is_dicom).length,
      errors: entries.filter((e) => e.error).map((e) => ({ file: e.name, message: e.error })),
      reports: done.map((e) => e.report),
    };
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #row(entry) {
    const li = el('li', 'file');
    const details = el('details');
    details.open = !this.hasAttribute('compact');
    const summary = el('summary');
    const name = el('span', 'file-name', entry.name);
    const badge = el('span', 'badge');
    const counts = el('span', 'counts');
    summary.append(name, badge, counts);
    const body = el('div', 'body');
    details.append(summary, body);
    li.append(details);
    Object.assign(entry, { badge, counts, body, summary });
    return li;
  }

  #setPending(entry) {
    entry.row.dataset.state = 'pending';
    entry.row.removeAttribute('data-highest');
    entry.row.setAttribute('aria-busy', 'true');
    entry.badge.className = 'badge pending';
    entry.badge.textContent = 'inspecting…';
    entry.summary.setAttribute('aria-label', `${entry.name}: inspecting`);
    if (!entry.report && !entry.error) {
      entry.body.replaceChildren(el('p', 'status', 'Inspecting…'));
    }
  }

  #render(entry) {
    const { row, badge, counts, body, summary } = entry;
    row.removeAttribute('aria-busy');
    if (entry.error) {
      row.dataset.state = 'error';
      badge.className = 'badge error';
      badge.textContent = 'error';
      counts.textContent = '';
      summary.setAttribute('aria-label', `${entry.name}: could not be inspected`);
      body.replaceChildren(el('p', 'status error', `The inspector could not read this file: ${entry.error}`));
      this.#renderSummary();
      return;
    }
    const f = entry.report.files[0];
    const findings = [...(f?.findings ?? [])].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
    const c = countsOf(findings);
    const highest = highestOf(c);
    row.dataset.state = 'done';
    if (highest) row.dataset.highest = highest;
    const label = !f?.is_dicom ? 'not DICOM' : (highest ?? 'no findings');
    badge.className = `badge ${!f?.is_dicom ? 'not-dicom' : (highest ?? 'clean')}`;
    badge.textContent = label;
    counts.textContent = SEVERITIES.filter((s) => c[s]).map((s) => `${c[s]} ${s}`).join(' · ');
    summary.setAttribute('aria-label', `${entry.name}: ${label}${counts.textContent ? `, ${counts.textContent.replaceAll(' · ', ', ')}` : ''}`);

    if (!findings.length) {
      body.replaceChildren(el('p', 'status', 'No findings.'));
    } else {
      const list = el('ul', 'findings');
      list.setAttribute('aria-label', `Findings in ${entry.name}`);
      const show = (from, to) => {
        for (const x of findings.slice(from, to)) list.append(this.#finding(x));
      };
      show(0, FINDINGS_SHOWN);
      body.replaceChildren(list);
      if (findings.length > FINDINGS_SHOWN) {
        const more = el('button', 'more', `Show all ${findings.length} findings`);
        more.type = 'button';
        more.addEventListener('click', () => {
          more.remove();
          show(FINDINGS_SHOWN, findings.length);
        });
        body.append(more);
      }
    }
    this.#renderSummary();
  }

  #finding(x) {
    const li = el('li', `finding ${x.severity}`);
    li.append(el('span', `sev ${x.severity}`, x.severity), el('code', 'code', x.code), el('span', 'message', x.message));
    const where = [x.path, x.offset !== null && x.offset !== undefined ? `offset ${x.offset}` : null].filter(Boolean).join(' · ');
    if (where) li.append(el('span', 'where', where));
    if (x.explanation || x.reference) {
      const why = el('details', 'why');
      why.append(el('summary', null, 'Why it matters'));
      if (x.explanation) why.append(el('p', 'explanation', x.explanation));
      if (x.reference) why.append(el('p', 'reference', `Standard: ${x.reference}`));
      li.append(why);
    }
    return li;
  }

  #renderSummary() {
    const entries = this.#entries();
    const { summary, clear } = this.#ui;
    clear.hidden = !entries.length;
    if (!entries.length) {
      summary.replaceChildren(el('span', null, 'No files yet.'));
      return;
    }
    const done = entries.filter((e) => e.row.dataset.state !== 'pending');
    const counts = countsOf(done.flatMap((e) => e.report?.files[0]?.findings ?? []));
    const spans = SEVERITIES.map((s) => {
      const span = el('span', `count ${s}`, `${counts[s]} ${s}`);
      span.dataset.severity = s;
      span.dataset.count = counts[s];
      return span;
    });
    const failed = entries.filter((e) => e.error).length;
    summary.replaceChildren(
      el('span', 'progress', `${done.length} of ${entries.length} file${entries.length === 1 ? '' : 's'} inspected`),
      ...spans,
      ...(failed ? [el('span', 'count error', `${failed} failed`)] : []),
    );
  }
}

if (!customElements.get('dicom-inspector')) customElements.define('dicom-inspector', DicomInspectorElement);
