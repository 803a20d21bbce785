// The reports of a WASM instance as numbers (src/json/packed.rs,
// `to_packed`; src/wasm.rs, `inspect_packed`), made objects again.
//
// A report says the same codes, messages, explanations and tags from file
// to file: eighty private elements of a CT slice share one explanation. The
// core sends a report as one array of numbers, `values`, in a fixed order
// (json::REPORT_FIELDS; each file's json::FILE_FIELDS, its pixel data and
// its findings, json::FINDING_FIELDS each), and each string once, as the
// table entries a call added (`{base, strings}`, numbered from `base`).
// A string in `values` is a number: n >= 0 the table's n-th entry, -1
// null, -2 - k the k-th of the call's own `texts` (a file's path and SOP
// Instance UID, strings the table had no room for, a file's rarer fields).
// The parts that a study's files repeat whole (the tool, the batch summary,
// a file's meta group, transfer syntax, SOP class, pixel module and
// summary less its SOP Instance UID) are numbered too: such an entry of the
// table is that part's object. A StringTable mirrors one instance's table
// (so one per worker) and makes the reports: each is then exactly the plain
// one, findings with the same text share one string, and reports with the
// same part share one object (treat reports as read-only).

/** Values of the report before its files (json::REPORT_FIELDS). */
const REPORT_FIELDS = 3;
/** A file's values before its pixel data (json::FILE_FIELDS); `more` is the last. */
const FILE_FIELDS = 13;
/** Values a finding has (json::FINDING_FIELDS). */
const FIELDS = 9;

/**
 * The `partial` field of the first file of a packed result (`{texts,
 * values}`), or undefined: what a headers-only read needs before the
 * report is made.
 */
export function packedPartial({ texts, values }) {
  if (values[REPORT_FIELDS - 1] < 1) return undefined;
  const more = values[REPORT_FIELDS + FILE_FIELDS - 1];
  return more < -1 ? texts[-2 - more].partial : undefined;
}

/**
 * The finding object whose values start at `at` in `f` (json::FINDING_FIELDS'
 * order), `text` giving the strings: object literals, so that every
 * finding of a kind shares one shape (and one hidden class in the engine).
 * `length` and `explanation` are left out of the plain report when null
 * (`skip_serializing_if`).
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
   * The report of a packed result (`{texts, values}`, as `inspect_packed`
   * returns it, its strings added to this table): object literals, so that
   * every report, file and finding shares one shape (and one hidden class
   * in the engine).
   */
  expand({ texts, values: v }) {
    const list = this.list;
    const text = (n) => {
      if (n < 0) return n === -1 ? null : texts[-2 - n];
      const s = list[n];
      if (s === undefined) throw new Error(`string ${n} was never sent`);
      return s;
    };
    const files = new Array(v[2]);
    const report = { tool: text(v[0]), files, summary: text(v[1]) };
    let at = REPORT_FIELDS;
    for (let f = 0; f < files.length; f++) {
      const h = at;
      at += FILE_FIELDS;
      let pixelData = null;
      if (v[at] === -1) at++;
      else {
        const offset = v[at];
        const vr = text(v[at + 1]);
        const encapsulated = v[at + 2] === 1;
        const length = v[at + 3] === -1 ? null : v[at + 3];
        const offsetTable = new Array(v[at + 4]);
        at += 5;
        for (let i = 0; i < offsetTable.length; i++) offsetTable[i] = v[at++];
        const fragments = new Array(v[at++]);
        for (let i = 0; i < fragments.length; i++, at += 2) fragments[i] = { offset: v[at], length: v[at + 1] };
        pixelData = { offset, vr, encapsulated, length, basic_offset_table: offsetTable, fragments };
      }
      const findings = new Array(v[h + 11]);
      for (let i = 0; i < findings.length; i++, at += FIELDS) findings[i] = finding(v, at, text);
      const file = {
        path: text(v[h]),
        size: v[h + 1],
        is_dicom: v[h + 2] === 1,
        meta: text(v[h + 3]),
        transfer_syntax: text(v[h + 4]),
        sop_class: text(v[h + 5]),
        character_set: text(v[h + 6]),
        summary: { ...text(v[h + 7]), sop_instance_uid: text(v[h + 8]) },
        element_count: v[h + 9],
        pixel_data: pixelData,
        pixels: text(v[h + 10]),
        findings,
      };
      // The fields a file seldom has (partial, dicomdir, elements, elements_omitted).
      if (v[h + 12] !== -1) Object.assign(file, text(v[h + 12]));
      files[f] = file;
    }
    if (at !== v.length) throw new Error(`packed report of ${v.length} values, ${at} read`);
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
  keep({ base, strings, texts, values }) {
    if (base !== this.base + this.strings.length) throw new Error('string table out of step in the worker');
    for (const s of strings) this.strings.push(s);
    return { texts, values };
  }

  /** The strings not sent yet, as `{base, strings}`; they count as sent. */
  take() {
    const out = { base: this.base, strings: this.strings };
    this.base += this.strings.length;
    this.strings = [];
    return out;
  }
}
