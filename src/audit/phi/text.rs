//! Free text, private elements, embedded documents and the file name.
//!
//! Every text value (LO, LT, SH, ST, UT, UC, PN) and the printable runs of
//! OB/UN values are normalised and searched, with one Aho-Corasick automaton,
//! for the file's identity (and the batch's); descriptive text is also
//! scanned for generic identifiers: e-mail addresses, phone numbers,
//! national-ID-like and MRN-like digit runs, names after titles, and names
//! written in DICOM's `FAMILY^GIVEN` form.

use std::borrow::Cow;

use dicom_core::{Tag, VR};

use super::identity::{IdentityKind, SOURCES};
use super::{pdf, Context};
use crate::options::ProfileOption;
use crate::report::{Finding, Severity};
use crate::scan::{Element, Kind, NONE, PIXEL_DATA};
use crate::tables;
use crate::values::Classes;

const ENCAPSULATED_DOCUMENT: Tag = Tag(0x0042, 0x0011);
/// Longest binary value searched for text (larger ones are images or documents).
const MAX_BINARY_SCAN: usize = 16 << 20;

/// A generic identifier pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Generic {
    NationalId,
    Email,
    Phone,
    TitledName,
    PersonNameFormat,
    MrnLike,
}

impl Generic {
    fn describe(self) -> &'static str {
        match self {
            Generic::NationalId => "a national-ID-like number (###-##-####)",
            Generic::Email => "an e-mail address",
            Generic::Phone => "a telephone number",
            Generic::TitledName => "a person's name after a title (Mr, Ms, Dr …)",
            Generic::PersonNameFormat => "a person's name in DICOM FAMILY^GIVEN form",
            Generic::MrnLike => "a record-number-like digit run",
        }
    }

    fn severity(self) -> Severity {
        match self {
            Generic::NationalId => Severity::High,
            Generic::MrnLike => Severity::Low,
            _ => Severity::Medium,
        }
    }
}

fn is_free_text(vr: VR) -> bool {
    matches!(vr, VR::LO | VR::LT | VR::SH | VR::ST | VR::UT | VR::UC | VR::PN)
}

/// Descriptive text where generic patterns are meaningful (not codes or names).
fn is_descriptive(vr: VR) -> bool {
    matches!(vr, VR::LO | VR::LT | VR::ST | VR::UT | VR::UC)
}

/// Printable runs (ASCII or UTF-8) of at least 6 bytes in a binary value.
pub fn printable_runs(bytes: &[u8]) -> String {
    let mut out = String::new();
    // Bytes that never occur in text: controls, DEL, and those UTF-8 never uses.
    let separator = |&b: &u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC0 || b == 0xC1 || b >= 0xF5;
    for run in bytes.split(separator) {
        if run.len() >= 6 {
            let lossy = String::from_utf8_lossy(run);
            let text = lossy.trim_matches('\u{FFFD}');
            let printable = text.chars().filter(|c| !c.is_control() && *c != '\u{FFFD}').count();
            if text.len() >= 6 && printable * 10 >= text.chars().count() * 9 {
                out.push_str(text);
                out.push('\n');
            }
        }
    }
    out
}

pub(super) fn check(cx: &Context, findings: &mut Vec<Finding>) {
    let scan = cx.scan;
    let retain_safe = cx.profile.has(ProfileOption::RetainSafePrivate);
    // First the values to read, then one identity search over them all,
    // then each element's findings in the elements' order.
    enum Source<'t> {
        Document,
        Text(Cow<'t, str>, Classes),
    }
    // (Room for every element: the vector is not grown a dozen times.)
    let mut sources: Vec<(&Element, Source)> = Vec::with_capacity(scan.elements.len());
    for (i, e) in scan.elements.iter().enumerate() {
        // Text, binary values and documents only (numbers, codes, dates and
        // UIDs have their own rules): most elements stop at this test.
        let free = is_free_text(e.vr);
        if !free && !matches!(e.vr, VR::OB | VR::UN) && e.tag != ENCAPSULATED_DOCUMENT {
            continue;
        }
        if e.kind != Kind::Element || e.in_meta || e.length == 0 || SOURCES.contains(&e.tag) {
            continue;
        }
        if e.tag == PIXEL_DATA || e.tag.0 >= 0x7F00 && e.tag.0 & 1 == 0 || (e.tag.0 & 0xFF01 == 0x6000 && e.tag.1 == 0x3000) {
            continue;
        }
        if e.tag == ENCAPSULATED_DOCUMENT {
            sources.push((e, Source::Document));
            continue;
        }
        let private_creator = e.is_private() && (0x0010..=0x00FF).contains(&e.tag.1);
        if private_creator || (e.is_private() && e.tag.1 == 0) {
            continue;
        }
        let (text, classes) = if free {
            cx.texts.at(i)
        } else if matches!(e.vr, VR::OB | VR::UN) && (e.available as usize) <= MAX_BINARY_SCAN {
            let runs = printable_runs(scan.value(e));
            let classes = Classes::of(&runs);
            (Cow::Owned(runs), classes)
        } else {
            continue;
        };
        if !classes.is_blank(&text) {
            sources.push((e, Source::Text(text, classes)));
        }
    }
    let mut texts: Vec<(&str, Classes)> = Vec::with_capacity(sources.len());
    texts.extend(sources.iter().filter_map(|(_, source)| match source {
        Source::Text(text, classes) => Some((&**text, *classes)),
        Source::Document => None,
    }));
    let mut identities = cx.identity.find_each(&texts).into_iter();
    let mut private = PrivateText::default();
    for (e, source) in &sources {
        let e: &Element = e;
        let (text, classes) = match source {
            Source::Document => {
                embedded_document(cx, e, findings);
                continue;
            }
            Source::Text(text, classes) => (text, *classes),
        };
        let kinds = identities.next().unwrap_or_default();
        if !kinds.is_empty() {
            findings.push(identity_finding("phi.free_text", e, &kinds));
        }
        if is_descriptive(e.vr) || matches!(e.vr, VR::OB | VR::UN) {
            let generic = generic_identifiers_classified(text, classes);
            if let Some(worst) = generic.iter().map(|g| g.severity()).max() {
                let what: Vec<&str> = generic.iter().map(|g| g.describe()).collect();
                findings.push(
                    Finding::new("phi.free_text", worst, format!("text contains {}", what.join(", ")))
                        .at(e.offset)
                        .reference("PS3.15 E.3.5 Clean Descriptors")
                        .explain("Free text is written by people: comments and descriptions often hold contact details or record numbers that no attribute list can foresee."),
                );
            }
        }
        if e.is_private() {
            let safe = private.is_safe(cx, e);
            if !(retain_safe && safe) {
                private.add(e, safe);
            }
        }
    }
    for block in private.blocks {
        findings.push(block.finding(cx));
    }
    filename(cx, findings);
}

/// Private elements holding text, a finding per private block: a scanner's
/// block of eighty such elements is one thing to act on (keep or remove the
/// block), not eighty.
#[derive(Default)]
struct PrivateText<'s> {
    blocks: Vec<PrivateBlock<'s>>,
    /// The last creator looked up, and whether its block has any element on
    /// the Safe Private list (most vendors' blocks have none).
    last_creator: Option<(u32, u16, bool)>,
}

/// The elements of one private block (one creator element, or one group of
/// one item when the creator is missing), safe ones apart from the others.
struct PrivateBlock<'s> {
    creator: u32,
    group: u16,
    parent: u32,
    safe: bool,
    first: &'s Element,
    last: &'s Element,
    count: u32,
}

impl<'s> PrivateText<'s> {
    /// Whether `e` is on the Safe Private list for its block's creator.
    fn is_safe(&mut self, cx: &Context, e: &Element) -> bool {
        if e.creator == NONE {
            return false;
        }
        let creator = cx.text(&cx.scan.elements[e.creator as usize]);
        let any = match self.last_creator {
            Some((index, group, any)) if index == e.creator && group == e.tag.0 => any,
            _ => {
                let any = tables::has_safe_private(e.tag.0, &creator);
                self.last_creator = Some((e.creator, e.tag.0, any));
                any
            }
        };
        any && tables::is_safe_private(e.tag.0, e.tag.1, &creator)
    }

    fn add(&mut self, e: &'s Element, safe: bool) {
        let same = |b: &PrivateBlock| b.creator == e.creator && b.group == e.tag.0 && b.parent == e.parent && b.safe == safe;
        match self.blocks.iter_mut().rev().find(|b| same(b)) {
            Some(block) => {
                block.last = e;
                block.count += 1;
            }
            None => self.blocks.push(PrivateBlock { creator: e.creator, group: e.tag.0, parent: e.parent, safe, first: e, last: e, count: 1 }),
        }
    }
}

impl PrivateBlock<'_> {
    fn finding(&self, cx: &Context) -> Finding {
        let creator = (self.creator != NONE).then(|| cx.text(&cx.scan.elements[self.creator as usize]));
        let mut message = String::with_capacity(96);
        if self.count == 1 {
            message.push_str("private element (");
        } else {
            message.push_str(&self.count.to_string());
            message.push_str(" private elements (");
        }
        match creator.as_deref() {
            Some(c) => {
                message.push_str("creator \"");
                message.push_str(c);
                message.push('"');
            }
            None => message.push_str("no private creator"),
        }
        if self.count == 1 {
            message.push_str(") holds text");
        } else {
            message.push_str("), ");
            crate::report::push_tag(&mut message, self.first.tag.0, self.first.tag.1);
            message.push_str(" to ");
            crate::report::push_tag(&mut message, self.last.tag.0, self.last.tag.1);
            message.push_str(", hold text");
        }
        if self.safe {
            message.push_str(" (on the Safe Private list, but Retain Safe Private is not chosen)");
        }
        let mut finding = Finding::new("phi.private_tag", Severity::Medium, message).at(self.first.offset);
        if self.count > 1 {
            // The block's bytes, for the hex view: from the first element to the end of the last.
            let end = self.last.value_offset() + u64::from(self.last.available);
            finding = finding.span(end.saturating_sub(self.first.offset));
        }
        finding
            .reference("PS3.15 E.3.10; Table E.1-1 private attributes")
            .explain("Private elements are vendor-defined: de-identification tools cannot know what they hold, and many carry operator names, patient details or free text. The Basic Profile removes them unless they are on the Safe Private list and Retain Safe Private is chosen.")
    }
}

fn identity_finding(code: &'static str, e: &Element, kinds: &[IdentityKind]) -> Finding {
    let what: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
    Finding::new(code, Severity::High, format!("text contains {}", what.join(" and ")))
        .at(e.offset)
        .reference("PS3.15 E.3.5 Clean Descriptors")
        .explain("The patient's own identity appears inside a value that no attribute list flags as identifying, so a tag-based de-identification would leave it in place.")
}

/// Encapsulated PDF or CDA: the document's text, Flate streams included.
fn embedded_document(cx: &Context, e: &Element, findings: &mut Vec<Finding>) {
    let bytes = cx.scan.value(e);
    let limit = usize::try_from(cx.options.max_inflated_bytes).unwrap_or(usize::MAX).min(256 << 20);
    let (kind, text) = if bytes.starts_with(b"%PDF") {
        let extracted = pdf::extract_text(bytes, limit);
        if extracted.limited {
            findings.push(
                Finding::new("integrity.limit", Severity::Medium, "embedded PDF streams inflate past the limit; the rest of the document was not searched").at(e.offset),
            );
        }
        ("PDF", extracted.text)
    } else {
        ("document", strip_markup(&String::from_utf8_lossy(bytes)))
    };
    let kinds = cx.identity.find(&text);
    let generic = generic_identifiers(&text);
    if kinds.is_empty() && generic.is_empty() {
        return;
    }
    let mut what: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
    what.extend(generic.iter().map(|g| g.describe()));
    let severity = if kinds.is_empty() { generic.iter().map(|g| g.severity()).max().unwrap_or(Severity::Medium) } else { Severity::High };
    findings.push(
        Finding::new("phi.embedded_document", severity, format!("embedded {kind} text contains {}", what.join(", ")))
            .at(e.offset)
            .reference("PS3.3 C.24 Encapsulated Document; PS3.15 Table E.1-1")
            .explain("An encapsulated report is a whole document inside the file: its text, letterhead and metadata usually name the patient, and tag-level de-identification does not touch it."),
    );
}

/// The text of an XML document (CDA): what is between the tags, and attribute values.
fn strip_markup(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() / 2);
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            '"' if in_tag => out.push(' '),
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    // Attribute values carry identity in CDA (e.g. <name value="...">, extension="...").
    for part in xml.split('"').skip(1).step_by(2) {
        out.push(' ');
        out.push_str(part);
    }
    out
}

fn filename(cx: &Context, findings: &mut Vec<Finding>) {
    let Some(path) = cx.options.path.as_deref() else { return };
    let kinds = cx.identity.find(path);
    if !kinds.is_empty() {
        let what: Vec<&str> = kinds.iter().map(|k| k.describe()).collect();
        findings.push(
            Finding::new("phi.filename", Severity::High, format!("the file's name or path contains {}", what.join(" and ")))
                .reference("PS3.15 E.1 (identifiers outside the data set)")
                .explain("File names travel with the file into e-mails, shares and archives; a name built from the patient's identity leaks it whatever the data set says."),
        );
    }
}

/// Generic identifiers in a text, each kind once, most severe first.
pub fn generic_identifiers(text: &str) -> Vec<Generic> {
    generic_identifiers_classified(text, Classes::of(text))
}

/// [`generic_identifiers`] given the text's [`Classes`].
fn generic_identifiers_classified(text: &str, classes: Classes) -> Vec<Generic> {
    let mut found = Vec::new();
    let mut add = |g: Generic| {
        if !found.contains(&g) {
            found.push(g);
        }
    };
    if classes.any(Classes::AT) && has_email(text) {
        add(Generic::Email);
    }
    for run in digit_groups(text).take_while(|_| classes.any(Classes::DIGIT)) {
        match run {
            DigitRun { digits: 9, groups: 3, first: [3, 2, 4], dashes: true } => add(Generic::NationalId),
            DigitRun { digits: 10..=15, groups: 2.., .. } => add(Generic::Phone),
            DigitRun { digits: 6..=12, groups: 1, .. } => add(Generic::MrnLike),
            _ => {}
        }
    }
    // A title and a name are two words: white space between them.
    if classes.any(Classes::SPACE | Classes::HIGH) && has_titled_name(text) {
        add(Generic::TitledName);
    }
    if classes.any(Classes::CARET) && has_pn_format(text) {
        add(Generic::PersonNameFormat);
    }
    found.sort();
    found
}

fn has_email(text: &str) -> bool {
    let b = text.as_bytes();
    crate::values::byte_positions(b'@', b).any(|at| {
        let local = b[..at].iter().rev().take_while(|c| c.is_ascii_alphanumeric() || b"._%+-".contains(c)).count();
        let domain: Vec<u8> = b[at + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || b".-".contains(c)).copied().collect();
        let domain = domain.strip_suffix(b".").unwrap_or(&domain);
        let tld = domain.rsplit(|&c| c == b'.').next().unwrap_or(&[]);
        local > 0 && domain.contains(&b'.') && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
    })
}

struct DigitRun {
    digits: usize,
    /// Groups of digits between separators, and the sizes of the first three.
    groups: usize,
    first: [usize; 3],
    dashes: bool,
}

/// Runs of digits joined by phone-like separators (space, dash, parentheses,
/// a leading +), not touching letters, dots or commas (so decimals, UIDs and
/// dates in other spellings do not count).
fn digit_groups(text: &str) -> impl Iterator<Item = DigitRun> + '_ {
    let b = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            if let Some(run) = digit_run(b, &mut i) {
                return Some(run);
            }
        }
        None
    })
}

/// The run of digits at or after `*i`, if it stands alone; moves `*i` past it.
fn digit_run(b: &[u8], i: &mut usize) -> Option<DigitRun> {
    while *i < b.len() && !b[*i].is_ascii_digit() {
        *i += 1;
    }
    if *i >= b.len() {
        return None;
    }
    let start = *i;
    // The sizes of the groups, a zero last while a separator waits for digits.
    let (mut groups, mut first, mut digits, mut last) = (1usize, [0usize; 3], 0usize, 0usize);
    let mut dashes = false;
    let mut end = start;
    while *i < b.len() {
        let c = b[*i];
        if c.is_ascii_digit() {
            last += 1;
            digits += 1;
            if groups <= 3 {
                first[groups - 1] = last;
            }
            end = *i + 1;
            *i += 1;
        } else if matches!(c, b' ' | b'-' | b'(' | b')') && b.get(*i + 1).is_some_and(|n| n.is_ascii_digit() || *n == b'(' || *n == b' ') {
            dashes |= c == b'-';
            if last > 0 {
                groups += 1;
                last = 0;
            }
            *i += 1;
        } else {
            break;
        }
    }
    if last == 0 {
        groups -= 1; // a separator that no digit followed
    }
    // A dot or comma only joins numbers when a digit is on its other side
    // (decimals, UIDs); at the end of a sentence it does not.
    let joins = |c: u8, beyond: Option<&u8>| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'^' | b'_') || (matches!(c, b'.' | b',') && beyond.is_some_and(u8::is_ascii_digit));
    let before = start.checked_sub(1).is_some_and(|p| joins(b[p], p.checked_sub(1).and_then(|q| b.get(q))));
    let after = b.get(end).is_some_and(|&c| joins(c, b.get(end + 1)));
    *i = end.max(start + 1);
    (!before && !after).then_some(DigitRun { digits, groups, first, dashes })
}

/// The first version of [`digit_groups`], the reference for its tests.
#[cfg(test)]
fn digit_groups_reference(text: &str) -> Vec<(usize, Vec<usize>, bool)> {
    let b = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut groups = vec![0usize];
        let mut dashes = false;
        let mut end = i;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_digit() {
                if let Some(last) = groups.last_mut() {
                    *last += 1;
                }
                end = i + 1;
                i += 1;
            } else if matches!(c, b' ' | b'-' | b'(' | b')') && b.get(i + 1).is_some_and(|n| n.is_ascii_digit() || *n == b'(' || *n == b' ') {
                dashes |= c == b'-';
                if groups.last().is_some_and(|&g| g > 0) {
                    groups.push(0);
                }
                i += 1;
            } else {
                break;
            }
        }
        groups.retain(|&g| g > 0);
        // A dot or comma only joins numbers when a digit is on its other side
        // (decimals, UIDs); at the end of a sentence it does not.
        let joins = |c: u8, beyond: Option<&u8>| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'^' | b'_') || (matches!(c, b'.' | b',') && beyond.is_some_and(u8::is_ascii_digit));
        let before = start.checked_sub(1).is_some_and(|p| joins(b[p], p.checked_sub(1).and_then(|q| b.get(q))));
        let after = b.get(end).is_some_and(|&c| joins(c, b.get(end + 1)));
        if !before && !after {
            runs.push((groups.iter().sum(), groups, dashes));
        }
        i = end.max(start + 1);
    }
    runs
}

const TITLES: [&str; 10] = ["mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "mme", "mlle"];

fn has_titled_name(text: &str) -> bool {
    let mut words = text.split(char::is_whitespace).filter(|w| !w.is_empty());
    let Some(mut previous) = words.next() else { return false };
    words.any(|word| {
        // Titles are ASCII; of the other characters only the Kelvin sign
        // lower-cases to ASCII ('k'), a letter no title has.
        let title = std::mem::replace(&mut previous, word).trim_end_matches('.');
        let name = word.trim_matches(|c: char| !c.is_alphabetic());
        TITLES.iter().any(|t| t.eq_ignore_ascii_case(title))
            && name.chars().count() >= 2
            && name.chars().next().is_some_and(char::is_uppercase)
            && name.chars().all(char::is_alphabetic)
    })
}

fn has_pn_format(text: &str) -> bool {
    let b = text.as_bytes();
    crate::values::byte_positions(b'^', b).any(|at| {
        let left = text[..at].chars().rev().take_while(|c| c.is_alphabetic()).count();
        let right = text[at + 1..].chars().take_while(|c| c.is_alphabetic()).count();
        left >= 2 && right >= 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_patterns() {
        assert_eq!(generic_identifiers("call +1 (555) 123-4567 today"), vec![Generic::Phone]);
        assert_eq!(generic_identifiers("mail jane.doe@example.org"), vec![Generic::Email]);
        assert_eq!(generic_identifiers("SSN 123-45-6789"), vec![Generic::NationalId]);
        assert_eq!(generic_identifiers("record 00123456 reviewed"), vec![Generic::MrnLike]);
        // The fewest digits a pattern has, and one fewer.
        assert_eq!(generic_identifiers("ref 123456"), vec![Generic::MrnLike]);
        assert!(generic_identifiers("ref 12345 x1").is_empty());
        assert_eq!(generic_identifiers("seen by Dr. Watson"), vec![Generic::TitledName]);
        assert_eq!(generic_identifiers("reported to SMITH^JOHN"), vec![Generic::PersonNameFormat]);
    }

    #[test]
    fn numbers_that_are_not_identifiers() {
        assert!(generic_identifiers("slice 2.5 mm, 120 kVp, 1.2.840.10008.5.1.4.1.1.2").is_empty());
        assert!(generic_identifiers("CT CHEST W/O CONTRAST 2024").is_empty());
        assert!(generic_identifiers("user@localhost").is_empty());
        assert!(generic_identifiers("Dr. no").is_empty());
    }

    fn titled_name_reference(text: &str) -> bool {
        let words: Vec<&str> = text.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect();
        words.windows(2).any(|w| {
            let title = w[0].trim_end_matches('.').to_lowercase();
            let name = w[1].trim_matches(|c: char| !c.is_alphabetic());
            TITLES.contains(&title.as_str()) && name.chars().count() >= 2 && name.chars().next().is_some_and(char::is_uppercase) && name.chars().all(char::is_alphabetic)
        })
    }

    proptest::proptest! {
        #[test]
        fn digit_runs_and_titles_equal_their_reference(text in "([0-9]|[ ()./,^_-]|[a-zA-Z]|Dr|MR|mme|\\u{212A}|É){0,30}") {
            let runs: Vec<(usize, Vec<usize>, bool)> = digit_groups_reference(&text);
            let fast: Vec<DigitRun> = digit_groups(&text).collect();
            proptest::prop_assert_eq!(runs.len(), fast.len());
            for ((digits, groups, dashes), run) in runs.iter().zip(&fast) {
                let mut first = [0; 3];
                for (f, g) in first.iter_mut().zip(groups) {
                    *f = *g;
                }
                proptest::prop_assert_eq!((*digits, groups.len(), first, *dashes), (run.digits, run.groups, run.first, run.dashes));
            }
            proptest::prop_assert_eq!(has_titled_name(&text), titled_name_reference(&text));
            // The digit patterns found are those of every reference run.
            let expected: std::collections::BTreeSet<Generic> = runs
                .iter()
                .filter_map(|(digits, groups, dashes)| match (*digits, groups.len(), groups.get(..3), *dashes) {
                    (9, 3, Some([3, 2, 4]), true) => Some(Generic::NationalId),
                    (10..=15, 2.., _, _) => Some(Generic::Phone),
                    (6..=12, 1, _, _) => Some(Generic::MrnLike),
                    _ => None,
                })
                .collect();
            let found: std::collections::BTreeSet<Generic> = generic_identifiers(&text).into_iter().filter(|g| matches!(g, Generic::NationalId | Generic::Phone | Generic::MrnLike)).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn printable_runs_skip_binary() {
        let mut v = vec![0u8, 1, 2, 3];
        v.extend_from_slice(b"Operator SMITH");
        v.extend_from_slice(&[0xFF, 0, 0x10]);
        assert_eq!(printable_runs(&v).trim(), "Operator SMITH");
        assert!(printable_runs(&[1, 2, 3, 4, 5, 6, 7, 8]).is_empty());
    }

    #[test]
    fn markup_is_stripped_but_attribute_values_kept() {
        let t = strip_markup(r#"<name><given>Jane</given></name><id extension="MRN-123"/>"#);
        assert!(t.contains("Jane") && t.contains("MRN-123") && !t.contains("given"));
    }
}
