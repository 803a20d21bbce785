//! The report's JSON with its repeated strings and parts as numbers, for the
//! WASM boundary (`inspect_packed`; `www/strings.js` puts them back).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use super::{push_str_escaped, Error, Writer};

/// A report for the WASM boundary (`inspect_packed`; `www/strings.js`
/// puts it back): its JSON [`text`](Packed::text) with repeated strings and
/// parts as numbers, and its findings as [`values`](Packed::values), plain
/// numbers that JavaScript gets as one array.
///
/// Each finding is [`FINDING_FIELDS`]' nine values in order, one finding
/// after another, every file's in turn (a file's `findings` in the text is
/// how many it has): `offset` and `length` themselves, the others numbers
/// of strings in a table that `strings` keeps from call to call (the
/// path, when it is the tag, the tag's number); -1 for a field that is
/// null (or left out), and -2 - k for the k-th string of the text's
/// `texts` when the table has no room for it. The reports of a series say
/// the same codes, messages, explanations and tags file after file: the
/// boundary sends each once per worker, and neither side reads or writes
/// the findings as text (writing them as JSON numbered strings and
/// `JSON.parse` reading them had been a fifth of a slice's whole call).
///
/// The parts of a report that a study's files repeat whole (the tool, the
/// batch summary, a file's meta group, transfer syntax, SOP class and pixel
/// module: [`shared`]) are numbered too, each distinct one a table entry
/// that is that part's JSON object: a slice of a series then sends none of
/// them, and the page holds one object for all the slices.
///
/// The text is `{"base":B,"report":…,"texts":[…],"strings":[…]}`:
/// `strings` are the entries this call added (strings, and objects for the
/// shared parts), whose indexes start at `B` (the table's length before
/// the call).
pub struct Packed {
    pub text: String,
    pub values: Vec<f64>,
}

/// Values a field of a finding has in [`Packed::values`] when null.
pub const NULL: f64 = -1.0;

/// `report` packed (see [`Packed`]), its strings and parts numbered in `strings`.
pub fn to_packed(report: &crate::report::Report, strings: &mut Strings) -> Result<Packed, Error> {
    /// Says that the writer is done with the table, however it returns.
    struct Writing;
    impl Drop for Writing {
        fn drop(&mut self) {
            WRITING.set(None);
        }
    }
    let base = strings.list.len();
    let mut texts: Vec<&str> = Vec::new();
    let values = finding_values(report, strings, &mut texts);
    WRITING.set(Some(strings.generation));
    let _writing = Writing;
    let mut w = Writer { strings: Some(&mut *strings), ..Writer::new(4096, false) };
    w.out.push_str("{\"base\":");
    w.out.push_str(itoa::Buffer::new().format(base));
    w.out.push_str(",\"report\":");
    report.serialize(&mut w)?;
    let mut out = w.out;
    out.push_str(",\"texts\":[");
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str_escaped(&mut out, text);
    }
    out.push_str("],\"strings\":[");
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
    out.push_str("]}");
    Ok(Packed { text: out, values })
}

/// Every finding of `report` as [`Packed::values`] says, numbering its
/// strings with `strings` (or adding them to `texts`).
fn finding_values<'r>(report: &'r crate::report::Report, strings: &mut Strings, texts: &mut Vec<&'r str>) -> Vec<f64> {
    let count: usize = report.files.iter().map(|f| f.findings.len()).sum();
    let mut values = Vec::with_capacity(count * FINDING_FIELDS.len());
    let mut n = Numbering { strings, texts };
    // Offsets and lengths are below 2^53: exact as doubles.
    let size = |v: Option<u64>| v.map_or(NULL, |v| v as f64);
    for finding in report.files.iter().flat_map(|f| &f.findings) {
        let tag = finding.tag.as_deref().map(|t| n.string(t));
        let path = match (finding.path.as_deref(), finding.tag.as_deref()) {
            (Some(path), Some(tag_text)) if path == tag_text => tag,
            (Some(path), _) => Some(n.string(path)),
            (None, _) => None,
        };
        values.extend_from_slice(&[
            n.cow(&finding.code),
            n.fixed(finding.severity.as_str()),
            tag.unwrap_or(NULL),
            path.unwrap_or(NULL),
            size(finding.offset),
            size(finding.length),
            n.cow(&finding.message),
            finding.explanation.as_ref().map_or(NULL, |e| n.cow(e)),
            finding.reference.as_ref().map_or(NULL, |r| n.cow(r)),
        ]);
    }
    values
}

/// Strings of findings as [`Packed::values`] gives them.
struct Numbering<'r, 's, 't> {
    strings: &'s mut Strings,
    texts: &'t mut Vec<&'r str>,
}

impl<'r> Numbering<'r, '_, '_> {
    fn number(&mut self, text: &'r str, id: Option<u32>) -> f64 {
        match id {
            Some(id) => f64::from(id),
            None => {
                self.texts.push(text);
                -1.0 - self.texts.len() as f64
            }
        }
    }

    fn string(&mut self, text: &'r str) -> f64 {
        let id = self.strings.id(text);
        self.number(text, id)
    }

    /// A string that lives as long as the program: its address names it
    /// (codes, severities, explanations, many messages and references).
    fn fixed(&mut self, text: &'static str) -> f64 {
        let id = self.strings.static_id(text);
        self.number(text, id)
    }

    /// (The `Cow` itself, not its text: which variant it is says whether
    /// the string lives as long as the program.)
    #[allow(clippy::ptr_arg)]
    fn cow(&mut self, text: &'r std::borrow::Cow<'static, str>) -> f64 {
        match text {
            std::borrow::Cow::Borrowed(s) => self.fixed(s),
            std::borrow::Cow::Owned(s) => self.string(s),
        }
    }
}

/// The name under which [`shared`] hands a part that reports repeat to a
/// serializer, as a newtype struct: `serde_json` and every other
/// serializer write the value inside as it is; the numbering writer sends
/// each distinct one once.
pub(super) const SHARED: &str = "$dicom_inspector::json::Shared";

/// The name under which [`shared`] hands the numbering writer the number
/// its table gave the same part before (a `u32`): the part is not written
/// again to be looked up.
pub(super) const SHARED_ID: &str = "$dicom_inspector::json::SharedId";

/// Equality that implies the same JSON text: `==`, but floats compared by
/// their bits (0.0 and -0.0 are equal, and written differently).
pub trait SameJson {
    fn same_json(&self, other: &Self) -> bool;
}

thread_local! {
    /// The table (its generation) this thread's numbering writer is
    /// writing a report with, while it does.
    static WRITING: Cell<Option<u64>> = const { Cell::new(None) };
    /// The number the writer gave the shared part it wrote last.
    static NUMBERED: Cell<Option<u32>> = const { Cell::new(None) };
    /// The last part of each type numbered on this thread.
    static LAST_PARTS: RefCell<Vec<LastPart>> = const { RefCell::new(Vec::new()) };
}

/// A part [`shared`] saw numbered: its table's generation, its number
/// there, and the part.
type LastPart = (u64, u32, Box<dyn Any>);

/// Tables made so far: each one's generation tells its numbers apart.
static GENERATIONS: AtomicU64 = AtomicU64::new(0);

/// Serializes a part of a report that a study's files repeat whole (see
/// [`to_packed`]), marked as such. While the numbering writer
/// writes, a part the same as the last of its type that the table
/// numbered is given as that number (the next slice of a series repeats
/// all six: comparing them costs less than writing them out to look them up).
pub fn shared<T: Serialize + SameJson + Clone + 'static, S: serde::Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let Some(table) = WRITING.get() else { return serializer.serialize_newtype_struct(SHARED, value) };
    let known = LAST_PARTS.with_borrow(|parts| {
        parts.iter().find_map(|(generation, id, last)| (*generation == table).then(|| last.downcast_ref::<T>()).flatten().filter(|last| last.same_json(value)).map(|_| *id))
    });
    if let Some(id) = known {
        return serializer.serialize_newtype_struct(SHARED_ID, &id);
    }
    NUMBERED.set(None);
    let written = serializer.serialize_newtype_struct(SHARED, value);
    if let Some(id) = NUMBERED.take() {
        LAST_PARTS.with_borrow_mut(|parts| {
            parts.retain(|(_, _, last)| !last.is::<T>());
            parts.push((table, id, Box::new(value.clone())));
        });
    }
    written
}

/// Runs `write` with no table in force: a part written out for its text
/// is written whole, with whatever it holds.
pub(super) fn unnumbered<R>(write: impl FnOnce() -> R) -> R {
    let table = WRITING.replace(None);
    let result = write();
    WRITING.set(table);
    result
}

/// Says which number the numbering writer gave the shared part it just
/// wrote (for [`shared`]).
pub(super) fn numbered(id: u32) {
    NUMBERED.set(Some(id));
}

/// [`shared`] for an optional part.
pub fn option_shared<T: Serialize + SameJson + Clone + 'static, S: serde::Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
    struct Marked<'a, T>(&'a T);
    impl<T: Serialize + SameJson + Clone + 'static> Serialize for Marked<'_, T> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            shared(self.0, serializer)
        }
    }
    match value {
        Some(part) => serializer.serialize_some(&Marked(part)),
        None => serializer.serialize_none(),
    }
}

/// Serializes a file's findings: while the numbering writer writes, as
/// how many there are ([`to_packed`] sends them as numbers beside the text).
pub fn findings<S: serde::Serializer>(findings: &[crate::report::Finding], serializer: S) -> Result<S::Ok, S::Error> {
    if packing() {
        serializer.serialize_u64(findings.len() as u64)
    } else {
        serializer.collect_seq(findings)
    }
}

/// Whether the numbering writer is writing: what it sends in another form
/// than the plain report (the findings' count, the parts as arrays) asks.
pub fn packing() -> bool {
    WRITING.get().is_some()
}

/// A file summary's fields in the order the packed report lists their
/// values (an array, which `JSON.parse` reads faster than an object of
/// eleven keys; the order of `FileSummary`'s declaration, a test checks it).
pub const SUMMARY_FIELDS: [&str; 11] = [
    "patient_name",
    "patient_id",
    "patient_birth_date",
    "accession_number",
    "study_date",
    "study_description",
    "series_description",
    "modality",
    "study_instance_uid",
    "series_instance_uid",
    "sop_instance_uid",
];

/// The same for a file's pixel data (`PixelDataReport`).
pub const PIXEL_DATA_FIELDS: [&str; 6] = ["offset", "vr", "encapsulated", "length", "basic_offset_table", "fragments"];

/// A finding's fields in the order [`Packed::values`] lists their values
/// (the order of `Finding`'s declaration; a test checks it), and its
/// stride there. `www/strings.js` builds the finding object from them.
pub const FINDING_FIELDS: [&str; 9] = ["code", "severity", "tag", "path", "offset", "length", "message", "explanation", "reference"];

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
    /// Where a shared part is written before it is looked up.
    pub(super) scratch: String,
    /// This table's own number among all made (see [`shared`]).
    generation: u64,
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
            scratch: String::new(),
            generation: GENERATIONS.fetch_add(1, Ordering::Relaxed),
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
    pub(super) fn static_id(&mut self, text: &str) -> Option<u32> {
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
    pub(super) fn id(&mut self, text: &str) -> Option<u32> {
        Strings::entry(&mut self.ids, &mut self.list, &mut self.objects, text, Strings::MAX_LEN, false)
    }

    /// The number of a shared part whose compact JSON is `json`, given one
    /// if it has none yet and there is room (a part longer than
    /// [`Strings::MAX_PART_LEN`] bytes is written where it is).
    pub(super) fn part_id(&mut self, json: &str) -> Option<u32> {
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
