// The guided tour for training sessions: one demo file per step, one family
// of findings each. A step opens its file, marks the findings it is about
// and shows the inspector's own explanation and the standard's reference,
// taken from the report, so the tour teaches what the tool says.
import { el, button } from './dom.js';

export const STEPS = [
  { file: 'ct-explicit-le.dcm', code: 'phi.attribute', title: 'Patient data in standard attributes',
    text: 'PS3.15 Annex E lists the attributes a de-identification must remove, empty or replace: names, IDs, dates, addresses. Each one still present is a finding, graded by what it reveals.' },
  { file: 'phi-free-text.dcm', code: 'phi.free_text', title: 'Identity hidden in free text',
    text: 'Comments and descriptions are free text: technologists type names, phone numbers and record numbers into them. The inspector searches them for the patient\'s own identity and for patterns such as phone numbers and e-mail addresses.' },
  { file: 'phi-uid-leaks.dcm', code: 'phi.uid', title: 'UIDs that leak',
    text: 'A UID built from a date or a patient ID carries that value into every copy of the file, and an organisation\'s UID root names the hospital.' },
  { file: 'phi-scanned-form.dcm', code: 'phi.burned_in', title: 'Text burned into the pixels',
    text: 'Ultrasound images, screenshots and scanned forms often carry the patient\'s name in the image itself, light on dark or dark on light. No header edit removes it: the pixels must be cleaned. The image shows where the inspector found text.' },
  { file: 'phi-embedded-pdf.dcm', code: 'phi.embedded_document', title: 'Documents inside DICOM',
    text: 'An encapsulated PDF or CDA is a document of its own, with its own text. The inspector reads compressed PDF text for identities.' },
  { file: 'sec-preamble-pe.dcm', code: 'security.preamble', title: 'An executable in the preamble (CVE-2019-11687)',
    text: 'The 128-byte preamble is free for any use, so a file can be a valid DICOM image and a Windows program at once. The hex view marks the bytes.' },
  { file: 'sec-trailing-zip.dcm', code: 'security.trailing_data', title: 'Data after the data set',
    text: 'Bytes after the last element are ignored by viewers and survive copying: a place to hide an archive or a payload.' },
  { file: 'sec-weak-signature.dcm', code: 'security.weak_signature', title: 'Weak digital signatures',
    text: 'A signature over an MD5 or SHA-1 MAC does not protect the file against a forger any more.' },
  { file: 'sec-network.dcm', code: 'security.plaintext_url', title: 'Plain-http addresses and network identities',
    text: 'Retrieve URLs over plain http, AE titles, station names and IP addresses describe the hospital\'s network to whoever receives the file.' },
  { file: 'ct-big-endian.dcm', code: 'transfer.retired_syntax', title: 'Retired and weak transfer syntaxes',
    text: 'Big endian and other retired syntaxes are read inconsistently by today\'s software; implicit VR loses type information; lossy compression changes the image for good.' },
  { file: 'integrity-faults.dcm', code: 'integrity.', title: 'Malformed structure',
    text: 'Out-of-order, duplicate and odd-length elements are where parsers disagree, and where an attack on a parser starts.' },
  { file: 'clean-deidentified.dcm', code: null, title: 'What good looks like',
    text: 'A properly de-identified file: Patient Identity Removed is YES, the method is recorded, and nothing above low remains.' },
];

export class Tour {
  /**
   * `load(files)` loads demo files into the batch, `entries()` lists the
   * batch, `show(entry)` opens a file, `panel` is where the tour speaks.
   */
  constructor({ load, demos, entries, show, panel }) {
    Object.assign(this, { load, demos, entries, show, panel });
    this.step = 0;
  }

  steps() {
    const available = new Set(this.demos().map((d) => d.file));
    return STEPS.filter((s) => available.has(s.file));
  }

  start() {
    this.step = 0;
    this.panel.hidden = false;
    this.go(0);
  }

  close() {
    this.panel.hidden = true;
    for (const li of document.querySelectorAll('.tour-focus')) li.classList.remove('tour-focus');
  }

  /** The batch entry of a demo file, loaded if needed, once inspected. */
  async entryFor(file) {
    const find = () => this.entries().find((e) => e.name === file);
    if (!find()) await this.load([file]);
    for (let i = 0; i < 400; i++) {
      const entry = find();
      if (entry && entry.status !== 'queued') return entry;
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  }

  async go(index) {
    const steps = this.steps();
    if (!steps.length) return;
    this.step = Math.max(0, Math.min(steps.length - 1, index));
    const step = steps[this.step];
    const p = this.panel;
    p.replaceChildren();
    const heading = el('h2', null, `Step ${this.step + 1} of ${steps.length}: ${step.title}`);
    heading.tabIndex = -1;
    p.append(heading, el('p', null, step.text));
    const said = el('div', 'tour-said');
    p.append(said);
    const nav = el('div', 'tour-nav');
    const prev = button('Previous', 'Previous step', () => this.go(this.step - 1));
    prev.disabled = this.step === 0;
    const next = button(this.step === steps.length - 1 ? 'Finish' : 'Next', this.step === steps.length - 1 ? 'Finish the tour' : 'Next step', () => (this.step === steps.length - 1 ? this.close() : this.go(this.step + 1)));
    nav.append(prev, next, button('Close', 'Close the tour', () => this.close()));
    p.append(nav);
    heading.focus();

    const entry = await this.entryFor(step.file);
    if (!entry) return;
    await this.show(entry);
    const found = (entry.report?.files[0]?.findings ?? []).filter((x) => step.code && x.code.startsWith(step.code));
    if (found.length) {
      said.append(el('p', 'hint', `The inspector found ${found.length} ${step.code.replace(/\.$/, '')} finding${found.length === 1 ? '' : 's'} in ${step.file}. What it says:`));
      const first = found[0];
      const quote = el('blockquote');
      quote.append(el('p', null, first.message));
      if (first.explanation) quote.append(el('p', null, first.explanation));
      if (first.reference) quote.append(el('p', 'reference', first.reference));
      said.append(quote);
    } else if (step.code === null) {
      const worst = entry.report?.files[0]?.findings.filter((x) => x.severity === 'high' || x.severity === 'medium') ?? [];
      said.append(el('p', 'hint', `${worst.length} high or medium findings in ${step.file}.`));
    }
    for (const li of document.querySelectorAll('#detail .finding')) {
      const code = li.querySelector('code')?.textContent ?? '';
      li.classList.toggle('tour-focus', Boolean(step.code) && code.startsWith(step.code));
    }
    document.querySelector('#detail .tour-focus')?.scrollIntoView({ block: 'nearest' });
  }
}
