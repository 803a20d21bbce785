// The strings a WASM instance numbers in its reports (src/json/packed.rs,
// `to_string_interned`; src/wasm.rs, `inspect_packed`).
//
// A finding's message, explanation and reference are mostly the same from
// file to file: eighty private elements of a CT slice share one explanation.
// The core sends each such string once, as the table entries a call added
// (`{base, strings}`, numbered from `base`), and the findings carry their
// numbers. A StringTable mirrors one instance's table (so one per worker)
// and puts the strings back: the report is then exactly the plain one, and
// every finding with the same explanation points at the same string.

const NUMBERED = ['message', 'explanation', 'reference'];

export class StringTable {
  constructor() {
    this.list = [];
  }

  /** Appends the strings one or more calls added, numbered from `base`. */
  add({ base, strings }) {
    if (base !== this.list.length) throw new Error(`string table out of step: ${base} sent, ${this.list.length} known`);
    for (const s of strings) this.list.push(s);
  }

  /** Replaces the numbers in a packed report's findings by their strings, in place. */
  expand(report) {
    for (const file of report.files) {
      for (const finding of file.findings) {
        for (const key of NUMBERED) {
          const n = finding[key];
          if (typeof n === 'number') {
            const text = this.list[n];
            if (text === undefined) throw new Error(`string ${n} was never sent`);
            finding[key] = text;
          }
        }
      }
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
