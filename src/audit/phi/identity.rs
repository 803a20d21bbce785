//! The file's own identity as search tokens.
//!
//! Names are split into components (family, given, middle; each of the
//! alphabetic, ideographic and phonetic groups), IDs kept whole, the birth
//! date spelled the common ways. Everything is normalised the same way as the
//! text it is searched in: Unicode NFKD, combining marks dropped, lower case,
//! so `Müller` matches `MULLER` and `müller`.
//!
//! The tokens are searched with Aho-Corasick automata: one for the file's
//! own identity, one for the batch's. Files of one patient share their
//! tokens and files of one batch share the batch's, so each thread keeps the
//! automata it built last and reuses one whose patterns are the same
//! (building an automaton costs more than searching a whole file with it).

use std::cell::RefCell;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use dicom_core::Tag;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::scan::{Kind, Scan};
use crate::values::{self, Classes};

/// What an identity token is, as a finding names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdentityKind {
    PatientName,
    PatientId,
    AccessionNumber,
    BirthDate,
    OtherName,
    BatchIdentity,
}

impl IdentityKind {
    pub fn describe(self) -> &'static str {
        match self {
            IdentityKind::PatientName => "the patient's name",
            IdentityKind::PatientId => "the patient's ID",
            IdentityKind::AccessionNumber => "the accession number",
            IdentityKind::BirthDate => "the patient's birth date",
            IdentityKind::OtherName => "another name of the patient (other, birth or mother's birth name)",
            IdentityKind::BatchIdentity => "an identity found in another file of this batch",
        }
    }
}

/// Elements whose values are the identity: not searched for themselves.
pub const SOURCES: [Tag; 9] = [
    Tag(0x0010, 0x0010), // PatientName
    Tag(0x0010, 0x0020), // PatientID
    Tag(0x0010, 0x1000), // OtherPatientIDs
    Tag(0x0010, 0x1001), // OtherPatientNames
    Tag(0x0010, 0x1005), // PatientBirthName
    Tag(0x0010, 0x1060), // PatientMotherBirthName
    Tag(0x0008, 0x0050), // AccessionNumber
    Tag(0x0010, 0x0030), // PatientBirthDate
    Tag(0x0010, 0x1002), // OtherPatientIDsSequence
];

/// Words that are not names even when a name field holds them.
const NOT_NAMES: [&str; 12] = ["anonymous", "anonymized", "anonymised", "anon", "patient", "unknown", "none", "name", "test", "phantom", "demo", "removed"];

pub struct Identity {
    /// The file's own tokens, sorted and unique.
    own: Option<Arc<Searcher>>,
    /// The batch's tokens; a match of a token the file has too is the file's.
    batch: Option<Arc<Searcher>>,
    /// The raw values, for batch-wide searches.
    raw: Vec<String>,
}

/// Tokens and their automaton.
struct Searcher {
    tokens: Vec<(String, IdentityKind)>,
    automaton: AhoCorasick,
}

impl Searcher {
    fn new(tokens: Vec<(String, IdentityKind)>) -> Option<Searcher> {
        // Tokens are normalised, so they hold no upper-case ASCII: matching
        // ASCII case-insensitively finds in an ASCII text exactly what an
        // exact match finds in its normalisation (its lower case), and in
        // normalised text what an exact match finds.
        // A DFA: one table step a byte (the automatic choice, a contiguous
        // NFA, searched a slice's free text more slowly); building it costs
        // no more than the time the corpus takes shows, though most of its
        // files build a new automaton, and leaving the NFA searches out
        // makes the WASM 40 KB smaller.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .prefilter(false)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(tokens.iter().map(|t| t.0.as_str()))
            .ok()?;
        Some(Searcher { tokens, automaton })
    }

    /// Adds the kinds of the tokens found on word boundaries (no letter or
    /// digit around them), skipping tokens `except` holds, for each of the
    /// texts that `joined` holds one after another at `ranges` (in order,
    /// not overlapping), in one pass of the automaton: a match counts for
    /// the text it lies within, with that text's ends as word boundaries;
    /// one that crosses from one text into the next is no match. (The
    /// overlapping search reports every occurrence of every token wherever
    /// it starts, so what comes before a text changes nothing in it.)
    fn find_each_into(&self, joined: &str, ranges: &[std::ops::Range<usize>], except: Option<&Searcher>, kinds: &mut [Vec<IdentityKind>]) {
        for m in self.automaton.find_overlapping_iter(joined) {
            let at = ranges.partition_point(|r| r.end <= m.start());
            let Some(range) = ranges.get(at).filter(|r| r.start <= m.start() && m.end() <= r.end) else { continue };
            let before = joined[range.start..m.start()].chars().next_back();
            let after = joined[m.end()..range.end].chars().next();
            let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            if boundary(before) && boundary(after) {
                let (token, kind) = &self.tokens[m.pattern().as_usize()];
                if except.is_some_and(|own| own.tokens.binary_search_by(|t| t.0.as_str().cmp(token)).is_ok()) {
                    continue;
                }
                if !kinds[at].contains(kind) {
                    kinds[at].push(*kind);
                }
            }
        }
    }
}

/// How many automata of each kind a thread keeps for reuse.
const KEPT: usize = 4;

/// Kept automata: the values they were built from, the most recently used first.
type Kept<K> = RefCell<Vec<(Vec<K>, Option<Arc<Searcher>>)>>;

thread_local! {
    /// Automata of files' own identity values.
    static OWN: Kept<(IdentityKind, String)> = const { RefCell::new(Vec::new()) };
    /// Automata of batches, keyed by the batch's raw values.
    static BATCHES: Kept<String> = const { RefCell::new(Vec::new()) };
}

/// The automaton `kept` holds for `values`, moved to the front, or the one
/// `build` makes from them (kept, the oldest dropped past [`KEPT`]).
fn kept_searcher<K: PartialEq + Clone>(kept: &Kept<K>, values: &[K], build: impl FnOnce() -> Option<Searcher>) -> Option<Arc<Searcher>> {
    let mut kept = kept.borrow_mut();
    if let Some(i) = kept.iter().position(|(v, _)| v.as_slice() == values) {
        let entry = kept.remove(i);
        let s = entry.1.clone();
        kept.insert(0, entry);
        return s;
    }
    let s = build().map(Arc::new);
    kept.insert(0, (values.to_vec(), s.clone()));
    kept.truncate(KEPT);
    s
}

/// The tokens of a file's identity values, sorted and unique; one kind per
/// token, the most direct (name before other name).
fn own_tokens(values: &[(IdentityKind, String)]) -> Vec<(String, IdentityKind)> {
    let mut tokens: Vec<(String, IdentityKind)> = Vec::new();
    for (kind, value) in values {
        let kind = *kind;
        match kind {
            IdentityKind::PatientName | IdentityKind::OtherName => tokens.extend(name_components(value).map(|t| (t, kind))),
            IdentityKind::BirthDate => tokens.extend(date_spellings(value).into_iter().map(|t| (t, kind))),
            _ => tokens.extend(value.split('\\').map(|v| normalize(v.trim())).filter(|v| is_useful_id(v)).map(|t| (t, kind))),
        }
    }
    tokens.sort();
    tokens.dedup_by(|a, b| a.0 == b.0);
    tokens
}

/// The automaton of a file's identity values: a kept one (the files of a
/// series share their patient's), or a new one.
fn own_searcher(values: &[(IdentityKind, String)]) -> Option<Arc<Searcher>> {
    OWN.with(|kept| {
        kept_searcher(kept, values, || {
            let tokens = own_tokens(values);
            if tokens.is_empty() { None } else { Searcher::new(tokens) }
        })
    })
}

/// The automaton of a batch's identity values: a kept one, or a new one.
fn batch_searcher(batch: &[String]) -> Option<Arc<Searcher>> {
    if batch.is_empty() {
        return None;
    }
    BATCHES.with(|kept| kept_searcher(kept, batch, || Searcher::new(batch_tokens(batch))))
}

/// The tokens of a batch's identity values, sorted and unique.
fn batch_tokens(batch: &[String]) -> Vec<(String, IdentityKind)> {
    let mut tokens = Vec::new();
    for value in batch {
        let n = normalize(value);
        if date_spellings(&n).is_empty() && n.chars().any(char::is_alphabetic) && !n.chars().any(|c| c.is_ascii_digit()) {
            tokens.extend(name_components(value).map(|t| (t, IdentityKind::BatchIdentity)));
        } else if let spellings @ [_, ..] = date_spellings(&n).as_slice() {
            tokens.extend(spellings.iter().map(|t| (t.clone(), IdentityKind::BatchIdentity)));
        } else if is_useful_id(&n) {
            tokens.push((n, IdentityKind::BatchIdentity));
        }
    }
    tokens.sort();
    tokens.dedup_by(|a, b| a.0 == b.0);
    tokens
}

/// NFKD, without combining marks, lower case.
pub fn normalize(s: &str) -> String {
    if s.is_ascii() {
        // ASCII is its own NFKD, has no combining marks, and lower-cases to ASCII.
        return s.to_ascii_lowercase();
    }
    s.nfkd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

fn name_components(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(|c: char| c == '^' || c == '=' || c == '\\' || c == ',' || c.is_whitespace())
        .map(normalize)
        .filter(|c| (c.chars().count() >= 3 || (c.chars().count() >= 2 && !c.is_ascii())) && !NOT_NAMES.contains(&c.as_str()) && c.chars().any(char::is_alphabetic))
}

fn is_useful_id(id: &str) -> bool {
    let n = id.chars().count();
    n >= 4 && (id.chars().any(|c| c.is_ascii_digit()) || n >= 6) && !NOT_NAMES.contains(&id)
}

/// The usual spellings of a DICOM date (YYYYMMDD).
pub fn date_spellings(da: &str) -> Vec<String> {
    let d: Vec<char> = da.chars().collect();
    if d.len() != 8 || !d.iter().all(char::is_ascii_digit) {
        return Vec::new();
    }
    let (y, m, day): (String, String, String) = (d[0..4].iter().collect(), d[4..6].iter().collect(), d[6..8].iter().collect());
    vec![
        da.to_owned(),
        format!("{y}-{m}-{day}"),
        format!("{y}/{m}/{day}"),
        format!("{y}.{m}.{day}"),
        format!("{day}.{m}.{y}"),
        format!("{day}/{m}/{y}"),
        format!("{m}/{day}/{y}"),
        format!("{day}-{m}-{y}"),
        format!("{m}-{day}-{y}"),
    ]
}

impl Identity {
    pub fn of(scan: &Scan, batch: &[String]) -> Identity {
        // The identity elements, in document order: top-level ones, and the
        // Patient IDs in Other Patient IDs Sequence items.
        let mut found: Vec<(usize, IdentityKind)> = Vec::new();
        for (tag, kind) in TOP_LEVEL {
            found.extend(scan.top_level_all(tag).map(|i| (i, kind)));
        }
        found.extend(other_ids(scan).map(|i| (i, IdentityKind::PatientId)));
        found.sort_by_key(|&(i, _)| i);
        // (An ID in nested Other Patient IDs Sequences is one element.)
        found.dedup_by_key(|&mut (i, _)| i);
        let mut values: Vec<(IdentityKind, String)> = Vec::new();
        for (i, kind) in found {
            let e = &scan.elements[i];
            if e.kind != Kind::Element {
                continue;
            }
            let value = values::text(scan, e);
            if !value.is_empty() {
                values.push((kind, value));
            }
        }
        let own = own_searcher(&values);
        Identity { own, batch: batch_searcher(batch), raw: values.into_iter().map(|(_, v)| v).collect() }
    }

    pub fn raw_values(self) -> Vec<String> {
        self.raw
    }

    /// The kinds of identity found in a text, each once. A match counts
    /// only on word boundaries (no letter or digit around it). A token of
    /// this file wins over the same token from the batch. The text is
    /// normalised first unless it is ASCII (see [`Searcher::new`]).
    pub fn find(&self, text: &str) -> Vec<IdentityKind> {
        self.find_each(&[(text, Classes::of(text))]).pop().unwrap_or_default()
    }

    /// [`Identity::find`] of each text given with its [`Classes`], searched
    /// in one pass (a header holds about a hundred short free-text values:
    /// one search each cost more in setting out than in reading).
    pub fn find_each(&self, texts: &[(&str, Classes)]) -> Vec<Vec<IdentityKind>> {
        let mut kinds = vec![Vec::new(); texts.len()];
        if self.own.is_none() && self.batch.is_none() {
            return kinds;
        }
        let mut joined = String::with_capacity(texts.iter().map(|(t, _)| t.len()).sum());
        let mut ranges = Vec::with_capacity(texts.len());
        for &(text, classes) in texts {
            let start = joined.len();
            if classes.any(Classes::HIGH) {
                joined.push_str(&normalize(text));
            } else {
                joined.push_str(text);
            }
            ranges.push(start..joined.len());
        }
        if let Some(own) = &self.own {
            own.find_each_into(&joined, &ranges, None, &mut kinds);
        }
        if let Some(batch) = &self.batch {
            batch.find_each_into(&joined, &ranges, self.own.as_deref(), &mut kinds);
        }
        kinds.iter_mut().for_each(|k| k.sort());
        kinds
    }
}

/// Top-level elements whose values are the patient's identity, and what each is.
const TOP_LEVEL: [(Tag, IdentityKind); 8] = [
    (Tag(0x0008, 0x0050), IdentityKind::AccessionNumber),
    (Tag(0x0010, 0x0010), IdentityKind::PatientName),
    (Tag(0x0010, 0x0020), IdentityKind::PatientId),
    (Tag(0x0010, 0x0030), IdentityKind::BirthDate),
    (Tag(0x0010, 0x1000), IdentityKind::PatientId),
    (Tag(0x0010, 0x1001), IdentityKind::OtherName),
    (Tag(0x0010, 0x1005), IdentityKind::OtherName),
    (Tag(0x0010, 0x1060), IdentityKind::OtherName),
];

/// Indices of the Patient ID elements inside Other Patient IDs Sequence
/// items, nested or not (twice when inside two such sequences).
fn other_ids<'s>(scan: &'s Scan) -> impl Iterator<Item = usize> + 's {
    scan.sequences()
        .filter(|(_, s)| s.tag == Tag(0x0010, 0x1002))
        .flat_map(|(at, _)| scan.descendants(at))
        .filter(|(_, e)| e.kind == Kind::Element && e.tag == Tag(0x0010, 0x0020))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_case_and_accents() {
        assert_eq!(normalize("MÜLLER^Jürgen"), "muller^jurgen");
        assert_eq!(normalize("ＡＢＣ"), "abc", "full-width forms fold too (NFKD)");
    }

    #[test]
    fn names_split_into_components() {
        let c: Vec<String> = name_components("DOE^JANE^Q=ドウ^ジェーン").collect();
        assert_eq!(c, vec!["doe".to_owned(), "jane".to_owned(), normalize("ドウ"), normalize("ジェーン")]);
        assert_eq!(name_components("ANONYMOUS").count(), 0);
    }

    proptest::proptest! {
        /// One search over many texts finds in each what a search of it alone
        /// finds: tokens split across two texts, at a text's very ends, in
        /// accented (normalised) text, and the batch's tokens that are also
        /// the file's own.
        #[test]
        fn one_search_of_many_texts_equals_a_search_of_each(texts in proptest::collection::vec("(doe|jane|DOE|Jane|ja|ne|demo|0001|DEMO-0001|smith|john|JÖHN|Dœ|é| |\\^|-|x|1){0,5}", 0..8)) {
            let own = own_searcher(&[(IdentityKind::PatientName, "DOE^JANE".to_owned()), (IdentityKind::PatientId, "DEMO-0001".to_owned())]);
            let batch = batch_searcher(&["SMITH^JÖHN".to_owned(), "DOE^JANE".to_owned()]);
            let identity = Identity { own, batch, raw: Vec::new() };
            let each: Vec<(&str, Classes)> = texts.iter().map(|t| (t.as_str(), Classes::of(t))).collect();
            let alone: Vec<Vec<IdentityKind>> = texts.iter().map(|t| identity.find(t)).collect();
            proptest::prop_assert_eq!(identity.find_each(&each), alone);
        }
    }

    #[test]
    fn dates_have_common_spellings() {
        let s = date_spellings("19700102");
        assert!(s.contains(&"1970-01-02".to_owned()) && s.contains(&"02.01.1970".to_owned()) && s.contains(&"01/02/1970".to_owned()));
        assert!(date_spellings("1970").is_empty());
    }
}
