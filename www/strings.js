// The strings a WASM instance numbers in its reports (src/json/packed.rs,
// `to_packed`; src/wasm.rs, `inspect_packed`).
//
// A report says the same codes, messages, explanations and tags from file
// to file: eighty private elements of a CT slice share one explanation. The
// core sends each such string once, as the table entries a call added
// (`{base, strings}`, numbered from `base`), and the findings of a report's
// files as one array of numbers, `values`: FIELDS
// (json::FINDING_FIELDS: code, severity, tag, path, offset, length,
// message, explanation, reference) a finding, a file's `findings` saying how
// many are its. `offset` and `length` are themselves, the others numbers of
// strings; -1 is null (a field left out), and -2 - k the k-th of the call's
// own `texts` (for a string the table had no room for). A file's `summary`
// and `pixel_data` come as arrays of their values (json::SUMMARY_FIELDS,
// json::PIXEL_DATA_FIELDS), which JSON.parse reads faster. The parts that a
// study's files repeat whole (the tool, the batch summary, a file's meta
// group, transfer syntax, SOP class and pixel module) are numbered too:
// such an entry of the table is that part's object. A StringTable mirrors
// one instance's table (so one per worker) and puts them back: the report
// is then exactly the plain one, findings with the same text share one
// string, and reports with the same part share one object (treat reports
// as read-only).

// `length` and `explanation` are left out of the plain report when null
// (`skip_serializing_if`).

/** The parts sent once as a table entry when numbered (json::shared in src/report.rs). */
const SHARED_REPORT = ['tool', 'summary'];
const SHARED_FILE = ['meta', 'transfer_syntax', 'sop_class', 'pixels'];

/** Values a finding has in `values` (json::FINDING_FIELDS.length). */
const FIELDS = 9;

/** A file's summary from its array of values (json::SUMMARY_FIELDS' order). */
function summary(v) {
  return {
    patient_name: v[0],
    patient_id: v[1],
    patient_birth_date: v[2],
    accession_number: v[3],
    study_date: v[4],
    study_description: v[5],
    series_description: v[6],
    modality: v[7],
    study_instance_uid: v[8],
    series_instance_uid: v[9],
    sop_instance_uid: v[10],
  };
}

/** A file's pixel data from its array of values (json::PIXEL_DATA_FIELDS' order), or null. */
function pixelData(v) {
  return v === null ? null : { offset: v[0], vr: v[1], encapsulated: v[2], length: v[3], basic_offset_table: v[4], fragments: v[5] };
}

/**
 * The finding object whose values start at `at` in `f` (json::FINDING_FIELDS'
 * order), `text` giving the strings (null for a negative number): object
 * literals, so that every finding of a kind shares one shape (and one
 * hidden class in the engine).
 */
function finding(f, at, text) {
  const code = text(f[at]);
  const severity = text(f[at + 1]);
  const tag = text(f[at + 2]);
  const path = text(f[at + 3]);
  const offset = f[at + 4] < 0 ? null : f[at + 4];
  const length = f[at + 5];
  const message = text(f[at + 6]);
  const explanation = f[at + 7];
  const reference = text(f[at + 8]);
  if (length < 0 && explanation !== -1) return { code, severity, tag, path, offset, message, explanation: text(explanation), reference };
  if (length < 0) return { code, severity, tag, path, offset, message, reference };
  if (explanation !== -1) return { code, severity, tag, path, offset, length, message, explanation: text(explanation), reference };
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
   * The report of a packed result (`{report, texts, values}`, as
   * `inspect_packed` returns it), its findings made objects again and its
   * numbered parts put back, in place.
   */
  expand({ report, texts, values }) {
    const list = this.list;
    const text = (v) => {
      if (typeof v !== 'number') return v;
      if (v < 0) return v === -1 ? null : texts[-2 - v];
      const s = list[v];
      if (s === undefined) throw new Error(`string ${v} was never sent`);
      return s;
    };
    for (const key of SHARED_REPORT) report[key] = text(report[key]);
    let at = 0;
    for (const file of report.files) {
      for (const key of SHARED_FILE) file[key] = text(file[key]);
      file.summary = summary(file.summary);
      file.pixel_data = pixelData(file.pixel_data);
      const findings = new Array(file.findings);
      for (let i = 0; i < findings.length; i++, at += FIELDS) findings[i] = finding(values, at, text);
      file.findings = findings;
    }
    if (at !== values.length) throw new Error(`packed findings of ${values.length} values, ${at} read`);
    return report;
  }

  /** Reads what `inspect_packed` returned, in the thread that called it. */
  read(packed) {
    this.add(packed);
    return this.expand(packed);
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

  /**
   * Keeps a packed result's new strings; returns the rest, `{report,
   * texts, values}`, for StringTable.expand on the other side.
   */
  keep({ base, strings, report, texts, values }) {
    if (base !== this.base + this.strings.length) throw new Error('string table out of step in the worker');
    for (const s of strings) this.strings.push(s);
    return { report, texts, values };
  }

  /** The strings not sent yet, as `{base, strings}`; they count as sent. */
  take() {
    const out = { base: this.base, strings: this.strings };
    this.base += this.strings.length;
    this.strings = [];
    return out;
  }
}
