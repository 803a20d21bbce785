//! The report as numbers, for the WASM boundary (`inspect_packed`;
//! `www/strings.js` makes the report again).

use std::any::Any;

use serde::Serialize;

use super::{push_str_escaped, Error, Writer};
use crate::report::{FileReport, FileSummary, Finding, PixelDataReport, Report};

/// A report for the WASM boundary (`inspect_packed`; `www/strings.js`
/// makes it again): its [`values`](Packed::values), plain numbers that
/// JavaScript gets as one array, and a short JSON [`text`](Packed::text)
/// with the strings they name that JavaScript does not have yet.
///
/// The values are the report's, in a fixed order (nothing is named):
/// [`REPORT_FIELDS`], then for each file [`FILE_FIELDS`] (the pixel data
/// last, as long as it needs: see [`FILE_FIELDS`]), then the file's
/// findings, [`FINDING_FIELDS`] each. A value that is a string or a part
/// (below) is a number: n ≥ 0 the n-th entry of a table that [`Strings`]
/// keeps from call to call, -1 null, and -2 - k the k-th of the call's
/// own `texts` (the strings each file has of its own, the path and SOP
/// Instance UID, and whatever the table has no room for). The reports of a
/// series say the same codes, messages, explanations and tags file after
/// file: the boundary sends each once per worker, and `JSON.parse` reads
/// a slice's few strings instead of its whole report (the report as JSON
/// text had cost 2 µs a slice to parse in Node, its building from numbers
/// a tenth of that).
///
/// The parts of a report that a study's files repeat whole (the tool, the
/// batch summary, a file's meta group, transfer syntax, SOP class, pixel
/// module and summary, less its SOP Instance UID) are numbered too, each
/// distinct one a table entry that is that part's JSON object: a slice of
/// a series then sends none of them, and the page holds one object for
/// all the slices.
///
/// The text is `{"base":B,"strings":[…],"texts":[…]}`: `strings` are the
/// entries this call added (strings, and objects for the parts), whose
/// numbers start at `B` (the table's length before the call); `texts` are
/// JSON values (strings, or the objects of parts the table had no room
/// for, and each file's `more`).
pub struct Packed {
    pub text: String,
    pub values: Vec<f64>,
}

/// A value that is null.
pub const NULL: f64 = -1.0;

/// The report's values, first: its tool and batch summary (parts), and how
/// many files follow.
pub const REPORT_FIELDS: [&str; 3] = ["tool", "summary", "files"];

/// A file's values, in turn: its path (one of `texts`), size, whether it is
/// DICOM (1 or 0), meta group, transfer syntax and SOP class (parts),
/// character set (a string), summary (a part, its `sop_instance_uid`
/// null), SOP Instance UID (one of `texts`), element count, pixel module
/// (a part), how many findings follow, and `more`: null, or one of `texts`,
/// an object holding those of the file's other fields that it has
/// (`partial`, `dicomdir`, `elements`, `elements_omitted`). Then the
/// pixel data: null, or its offset, VR (a string), whether encapsulated (1
/// or 0), length (null when undefined), how many offset table entries and
/// the entries, how many fragments and each one's offset and length.
pub const FILE_FIELDS: [&str; 13] =
    ["path", "size", "is_dicom", "meta", "transfer_syntax", "sop_class", "character_set", "summary", "sop_instance_uid", "element_count", "pixels", "findings", "more"];

/// A finding's fields in the order its values come (the order of
/// `Finding`'s declaration; a test checks it): `offset` and `length`
/// themselves (null when absent), the others strings (the path, when it
/// is the tag, the tag's number).
pub const FINDING_FIELDS: [&str; 9] = ["code", "severity", "tag", "path", "offset", "length", "message", "explanation", "reference"];

/// `report` packed (see [`Packed`]), its strings and parts numbered in `strings`.
pub fn to_packed(report: &Report, strings: &mut Strings) -> Result<Packed, Error> {
    let base = strings.list.len();
    let findings: usize = report.files.iter().map(|f| f.findings.len()).sum();
    let capacity = REPORT_FIELDS.len() + report.files.len() * (FILE_FIELDS.len() + 8) + findings * FINDING_FIELDS.len();
    let mut p = Packer { strings, values: Vec::with_capacity(capacity), texts: String::new(), text_count: 0 };
    let Report { tool, files, summary } = report;
    p.part(tool)?;
    p.part(summary)?;
    p.values.push(files.len() as f64);
    for file in files {
        p.file(file)?;
    }
    let Packer { strings, values, texts, .. } = p;
    let mut out = String::with_capacity(40 + texts.len());
    out.push_str("{\"base\":");
    out.push_str(itoa::Buffer::new().format(base));
    out.push_str(",\"strings\":[");
    for (i, (s, object)) in strings.list[base..].iter().zip(&strings.objects[base..]).enumerate() {
        if i > 0 {
            out.push(',');
        }
        if *object {
            out.push_str(s);
        } else {
            push_str_escaped(&mut out, s);
        }
    }
    out.push_str("],\"texts\":[");
    out.push_str(&texts);
    out.push_str("]}");
    Ok(Packed { text: out, values })
}

/// The values and texts of one call as they are written.
struct Packer<'s> {
    strings: &'s mut Strings,
    values: Vec<f64>,
    /// The call's `texts`, as JSON values separated by commas.
    texts: String,
    text_count: usize,
}

impl Packer<'_> {
    fn flag(&mut self, value: bool) {
        self.values.push(if value { 1.0 } else { 0.0 });
    }

    /// The number of the next of `texts`, whose JSON `write` adds.
    fn text(&mut self, write: impl FnOnce(&mut String)) -> f64 {
        if self.text_count > 0 {
            self.texts.push(',');
        }
        write(&mut self.texts);
        self.text_count += 1;
        -1.0 - self.text_count as f64
    }

    /// A string that is one file's own (not worth a table entry).
    fn own(&mut self, text: &str) -> f64 {
        self.text(|out| push_str_escaped(out, text))
    }

    fn numbered(&mut self, text: &str, id: Option<u32>) -> f64 {
        match id {
            Some(id) => f64::from(id),
            None => self.own(text),
        }
    }

    fn string(&mut self, text: &str) -> f64 {
        let id = self.strings.id(text);
        self.numbered(text, id)
    }

    fn option_string(&mut self, text: Option<&str>) -> f64 {
        text.map_or(NULL, |t| self.string(t))
    }

    /// A string that lives as long as the program: its address names it
    /// (codes, severities, explanations, many messages and references).
    fn fixed(&mut self, text: &'static str) -> f64 {
        let id = self.strings.static_id(text);
        self.numbered(text, id)
    }

    /// (The `Cow` itself, not its text: which variant it is says whether
    /// the string lives as long as the program.)
    #[allow(clippy::ptr_arg)]
    fn cow(&mut self, text: &std::borrow::Cow<'static, str>) -> f64 {
        match text {
            std::borrow::Cow::Borrowed(s) => self.fixed(s),
            std::borrow::Cow::Owned(s) => self.string(s),
        }
    }

    /// Adds the number of a part that reports repeat: the same as the last
    /// of its type that the table numbered is that number (the next slice
    /// of a series repeats them all: comparing costs less than writing them
    /// out to look them up); else the part is written as JSON and numbered
    /// by its text, or sent among `texts` when the table has no room.
    fn part<T: Serialize + SameJson + Clone + 'static>(&mut self, value: &T) -> Result<(), Error> {
        let known = self.strings.last_parts.iter().find_map(|(id, last)| last.downcast_ref::<T>().filter(|last| last.same_json(value)).map(|_| *id));
        let number = match known {
            Some(id) => f64::from(id),
            None => self.part_written(value, |strings, id| {
                strings.last_parts.retain(|(_, last)| !last.is::<T>());
                strings.last_parts.push((id, Box::new(value.clone())));
            })?,
        };
        self.values.push(number);
        Ok(())
    }

    fn option_part<T: Serialize + SameJson + Clone + 'static>(&mut self, value: &Option<T>) -> Result<(), Error> {
        match value {
            Some(part) => self.part(part),
            None => {
                self.values.push(NULL);
                Ok(())
            }
        }
    }

    /// The number of a part written as JSON (`numbered` told the table's
    /// number when it gives one), or of the call's text that holds it.
    fn part_written<T: Serialize>(&mut self, value: &T, numbered: impl FnOnce(&mut Strings, u32)) -> Result<f64, Error> {
        // Written into the table's scratch text, kept from part to part.
        let mut w = Writer { out: std::mem::take(&mut self.strings.scratch), ..Writer::new(0, false) };
        w.out.clear();
        let written = value.serialize(&mut w);
        let json = w.out;
        let number = written.map(|()| match self.strings.part_id(&json) {
            Some(id) => {
                numbered(self.strings, id);
                f64::from(id)
            }
            None => self.text(|out| out.push_str(&json)),
        });
        self.strings.scratch = json;
        number
    }

    /// A file's summary as a part, less its SOP Instance UID (each slice's
    /// own), then that UID.
    fn summary(&mut self, summary: &FileSummary) -> Result<(), Error> {
        // Every field named, so that a new one is not forgotten here.
        let FileSummary {
            patient_name,
            patient_id,
            patient_birth_date,
            accession_number,
            study_date,
            study_description,
            series_description,
            modality,
            study_instance_uid,
            series_instance_uid,
            sop_instance_uid,
        } = summary;
        let same = |last: &FileSummary| {
            (patient_name, patient_id, patient_birth_date, accession_number, study_date, study_description, series_description, modality, study_instance_uid, series_instance_uid)
                == (
                    &last.patient_name,
                    &last.patient_id,
                    &last.patient_birth_date,
                    &last.accession_number,
                    &last.study_date,
                    &last.study_description,
                    &last.series_description,
                    &last.modality,
                    &last.study_instance_uid,
                    &last.series_instance_uid,
                )
        };
        let number = match &self.strings.last_summary {
            Some((id, last)) if same(last) => f64::from(*id),
            _ => {
                let part = FileSummary { sop_instance_uid: None, ..summary.clone() };
                let number = self.part_written(&part, |_, _| {})?;
                if number >= 0.0 {
                    self.strings.last_summary = Some((number as u32, part));
                }
                number
            }
        };
        self.values.push(number);
        let sop = sop_instance_uid.as_deref().map_or(NULL, |uid| self.own(uid));
        self.values.push(sop);
        Ok(())
    }

    fn file(&mut self, file: &FileReport) -> Result<(), Error> {
        // Every field named, so that a new one is not forgotten here.
        let FileReport {
            path,
            size,
            is_dicom,
            meta,
            transfer_syntax,
            sop_class,
            character_set,
            summary,
            element_count,
            pixel_data,
            pixels,
            findings,
            partial,
            dicomdir,
            elements,
            elements_omitted,
        } = file;
        let path = self.own(path);
        self.values.extend_from_slice(&[path, *size as f64]);
        self.flag(*is_dicom);
        self.part(meta)?;
        self.option_part(transfer_syntax)?;
        self.option_part(sop_class)?;
        let character_set = self.option_string(character_set.as_deref());
        self.values.push(character_set);
        self.summary(summary)?;
        self.values.push(f64::from(*element_count));
        self.option_part(pixels)?;
        self.values.push(findings.len() as f64);
        // The fields a file seldom has, as the plain report writes them.
        let mut more = String::new();
        let mut field = |name: &str, json: Result<String, Error>| -> Result<(), Error> {
            more.push_str(if more.is_empty() { "{\"" } else { ",\"" });
            more.push_str(name);
            more.push_str("\":");
            more.push_str(&json?);
            Ok(())
        };
        if let Some(partial) = partial {
            field("partial", super::to_string(partial))?;
        }
        if let Some(dicomdir) = dicomdir {
            field("dicomdir", super::to_string(dicomdir))?;
        }
        if let Some(elements) = elements {
            field("elements", super::to_string(elements))?;
        }
        if *elements_omitted != 0 {
            field("elements_omitted", super::to_string(elements_omitted))?;
        }
        let more = if more.is_empty() {
            NULL
        } else {
            more.push('}');
            self.text(|out| out.push_str(&more))
        };
        self.values.push(more);
        self.pixel_data(pixel_data.as_ref());
        for finding in findings {
            self.finding(finding);
        }
        Ok(())
    }

    fn pixel_data(&mut self, pixel_data: Option<&PixelDataReport>) {
        let Some(PixelDataReport { offset, vr, encapsulated, length, basic_offset_table, fragments }) = pixel_data else {
            self.values.push(NULL);
            return;
        };
        let vr = self.string(vr);
        self.values.extend_from_slice(&[*offset as f64, vr]);
        self.flag(*encapsulated);
        self.values.push(length.map_or(NULL, f64::from));
        self.values.push(basic_offset_table.len() as f64);
        self.values.extend(basic_offset_table.iter().map(|&o| f64::from(o)));
        self.values.push(fragments.len() as f64);
        for f in fragments {
            self.values.extend_from_slice(&[f.offset as f64, f64::from(f.length)]);
        }
    }

    fn finding(&mut self, finding: &Finding) {
        // Offsets and lengths are below 2^53: exact as doubles.
        let size = |v: Option<u64>| v.map_or(NULL, |v| v as f64);
        let tag = finding.tag.as_deref().map(|t| self.string(t));
        let path = match (finding.path.as_deref(), finding.tag.as_deref()) {
            (Some(path), Some(tag_text)) if path == tag_text => tag,
            (Some(path), _) => Some(self.string(path)),
            (None, _) => None,
        };
        let code = self.cow(&finding.code);
        let severity = self.fixed(finding.severity.as_str());
        let message = self.cow(&finding.message);
        let explanation = finding.explanation.as_ref().map_or(NULL, |e| self.cow(e));
        let reference = finding.reference.as_ref().map_or(NULL, |r| self.cow(r));
        self.values.extend_from_slice(&[code, severity, tag.unwrap_or(NULL), path.unwrap_or(NULL), size(finding.offset), size(finding.length), message, explanation, reference]);
    }
}

/// Equality that implies the same JSON text: `==`, but floats compared by
/// their bits (0.0 and -0.0 are equal, and written differently).
pub trait SameJson {
    fn same_json(&self, other: &Self) -> bool;
}

/// The table behind [`to_packed`]: every string given a number so
/// far. Bounded: past [`Strings::MAX`] entries, or for a string longer than
/// [`Strings::MAX_LEN`] bytes, the text itself is sent.
pub struct Strings {
    ids: rustc_hash::FxHashMap<Box<str>, u32>,
    list: Vec<Box<str>>,
    /// Whether each entry of `list` is a shared part's JSON object (not a string).
    objects: Vec<bool>,
    /// The shared parts' entries, by their JSON text.
    parts: rustc_hash::FxHashMap<Box<str>, u32>,
    /// The numbers of strings that live as long as the program (codes,
    /// severities, explanations, the profile's messages) by address and
    /// length: kept from call to call, so they are never hashed or
    /// compared again. (Other strings are each a finding's own: looked up
    /// by their text.)
    statics: rustc_hash::FxHashMap<(usize, usize), u32>,
    /// The last static string met in each of [`STATIC_SLOTS`] slots (by its
    /// address): a report's hundred-odd static strings are a few dozen
    /// distinct ones, found here without a hash map's probe.
    recent: Box<[(usize, usize, u32); STATIC_SLOTS]>,
    /// The last part of each type numbered, and its number.
    last_parts: Vec<(u32, Box<dyn Any>)>,
    /// The last file summary numbered (less its SOP Instance UID).
    last_summary: Option<(u32, FileSummary)>,
    /// Where a part is written before it is looked up.
    scratch: String,
}

/// Slots of [`Strings::recent`] (a power of two).
const STATIC_SLOTS: usize = 256;

impl Default for Strings {
    fn default() -> Strings {
        Strings {
            ids: Default::default(),
            list: Vec::new(),
            objects: Vec::new(),
            parts: Default::default(),
            statics: Default::default(),
            // (No string is at address 0: an empty slot matches nothing.)
            recent: Box::new([(0, 0, 0); STATIC_SLOTS]),
            last_parts: Vec::new(),
            last_summary: None,
            scratch: String::new(),
        }
    }
}

impl Strings {
    pub const MAX: usize = 16_384;
    pub const MAX_LEN: usize = 4096;
    /// Longest shared part numbered (a pixel module with many text regions is not).
    pub const MAX_PART_LEN: usize = 2048;

    /// [`Strings::id`] of a string that lives as long as the program (a
    /// `&'static str` whose type the serializer's signature no longer
    /// says): its address and length name it for good.
    fn static_id(&mut self, text: &str) -> Option<u32> {
        let at = (text.as_ptr() as usize, text.len());
        let slot = (at.0 >> 3 ^ at.0 >> 11 ^ at.1) & (STATIC_SLOTS - 1);
        let (address, len, id) = self.recent[slot];
        if (address, len) == at {
            return Some(id);
        }
        let id = match self.statics.get(&at) {
            Some(&id) => id,
            None => {
                let id = self.id(text)?;
                self.statics.insert(at, id);
                id
            }
        };
        self.recent[slot] = (at.0, at.1, id);
        Some(id)
    }

    /// The number of `text`, given one if it has none yet and there is room.
    fn id(&mut self, text: &str) -> Option<u32> {
        Strings::entry(&mut self.ids, &mut self.list, &mut self.objects, text, Strings::MAX_LEN, false)
    }

    /// The number of a shared part whose compact JSON is `json`, given one
    /// if it has none yet and there is room (a part longer than
    /// [`Strings::MAX_PART_LEN`] bytes is sent with its report).
    fn part_id(&mut self, json: &str) -> Option<u32> {
        Strings::entry(&mut self.parts, &mut self.list, &mut self.objects, json, Strings::MAX_PART_LEN, true)
    }

    /// The number `known` gives `text`, or a new entry of the table (a
    /// string, or a part's object) when there is room and it is no longer
    /// than `max_len` bytes.
    fn entry(known: &mut rustc_hash::FxHashMap<Box<str>, u32>, list: &mut Vec<Box<str>>, objects: &mut Vec<bool>, text: &str, max_len: usize, object: bool) -> Option<u32> {
        if let Some(&id) = known.get(text) {
            return Some(id);
        }
        if list.len() >= Strings::MAX || text.len() > max_len {
            return None;
        }
        let id = list.len() as u32;
        known.insert(text.into(), id);
        list.push(text.into());
        objects.push(object);
        Some(id)
    }

    /// How many entries (strings and shared parts) have a number.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}
