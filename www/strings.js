// The strings a WASM instance numbers in its reports (src/json/packed.rs,
// `to_string_interned`; src/wasm.rs, `inspect_packed`).
//
// A report says the same codes, messages and explanations from file
// to file: eighty private elements of a CT slice share one explanation. The
// core sends each such string once, as the table entries a call added
// (`{base, strings}`, numbered from `base`), and a file's findings come as
// one flat array of values, FIELDS (json::FINDING_FIELDS: code, severity,
// tag, path, offset, length, message, explanation, reference) of them a
// finding, their strings (but the tag and path) as numbers. The parts that
// a study's files repeat whole (the tool, the batch summary, a file's meta
// group, transfer syntax, SOP class and pixel module) are numbered too:
// such an entry of the table is that part's object. A StringTable mirrors
// one instance's table (so one per worker) and puts them back: the report
// is then exactly the plain one, findings with the same text share one
// string, and reports with the same part share one object (treat reports
// as read-only).

// `length` and `explanation` are left out of the plain report when null
// (`skip_serializing_if`); `offset` and `length` are numbers themselves.

/** The parts sent once as a table entry when numbered (json::shared in src/report.rs). */
const SHARED_REPORT = ['tool', 'summary'];
const SHARED_FILE = ['meta', 'transfer_syntax', 'sop_class', 'pixels'];

/** Values a finding has in the flat array (json::FINDING_FIELDS.length). */
const FIELDS = 9;

/**
 * The finding object whose values start at `at` in the flat array `f`
 * (json::FINDING_FIELDS' order), `text` giving the strings: object
 * literals, so that every finding of a kind shares one shape (and one
 * hidden class in the engine).
 */
function finding(f, at, text) {
  const code = text(f[at]);
  const severity = text(f[at + 1]);
  const tag = f[at + 2];
  const path = f[at + 3];
  const offset = f[at + 4];
  const length = f[at + 5];
  const message = text(f[at + 6]);
  const explanation = f[at + 7];
  const reference = text(f[at + 8]);
  if (length === null && explanation !== null) return { code, severity, tag, path, offset, message, explanation: text(explanation), reference };
  if (length === null) return { code, severity, tag, path, offset, message, reference };
  if (explanation !== null) return { code, severity, tag, path, offset, length, message, explanation: text(explanation), reference };
  return { code, severity, tag, path, offset, length, message, reference };
}

export class StringTable {
  constructor() {
    this.list = [];
  }

  /** Appends the strings one or more calls added, numbered from `base`. */
  add({ base, strings }) {
    if (base !== this.list.length) throw new Error(`string table out of step: ${base} sent, ${this.list.length} known`);
    for (const s of strings) this.list.push(s);
  }

  /**
   * Makes a packed report's findings (a flat array of numbered values)
   * objects again, and puts back its numbered parts, in place.
   */
  expand(report) {
    const list = this.list;
    const text = (v) => {
      if (typeof v !== 'number') return v;
      const s = list[v];
      if (s === undefined) throw new Error(`string ${v} was never sent`);
      return s;
    };
    for (const key of SHARED_REPORT) report[key] = text(report[key]);
    for (const file of report.files) {
      for (const key of SHARED_FILE) file[key] = text(file[key]);
      const flat = file.findings;
      if (flat.length % FIELDS !== 0) throw new Error(`packed findings of ${flat.length} values, not ${FIELDS} a finding`);
      const findings = new Array(flat.length / FIELDS);
      for (let i = 0; i < findings.length; i++) findings[i] = finding(flat, i * FIELDS, text);
      file.findings = findings;
    }
    return report;
  }

  /** Reads what `inspect_packed` returned, in the thread that called it. */
  read(packed) {
    this.add(packed);
    return this.expand(packed.report);
  }
}

/**
 * For the thread that calls the WASM: gathers the strings of several calls
 * (the growing reads of a headers-only inspection) until they are sent on,
 * so the table on the other side gets every entry in order.
 */
export class PendingStrings {
  constructor() {
    this.base = 0;
    this.strings = [];
  }

  /** Keeps a packed result's new strings; returns its report. */
  keep(packed) {
    if (packed.base !== this.base + this.strings.length) throw new Error('string table out of step in the worker');
    for (const s of packed.strings) this.strings.push(s);
    return packed.report;
  }

  /** The strings not sent yet, as `{base, strings}`; they count as sent. */
  take() {
    const out = { base: this.base, strings: this.strings };
    this.base += this.strings.length;
    this.strings = [];
    return out;
  }
}
