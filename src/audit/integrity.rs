//! `integrity.*` beyond the walk itself: what a well-formed file must hold
//! to, checked on the scanned elements (PS3.5 6, 7; PS3.10 7.1).

use std::collections::BTreeSet;

use dicom_core::{Tag, VR};
use dicom_encoding::text::{validate_da, validate_dt, validate_tm, TextValidationOutcome};

use crate::report::{format_tag, Finding, Severity};
use crate::scan::{Element, Kind, Scan, NONE};
use crate::values::{self, Classes, Texts};

const META_GROUP_LENGTH: Tag = Tag(0x0002, 0x0000);

pub(super) fn check(scan: &Scan, texts: &Texts, findings: &mut Vec<Finding>) {
    if !scan.is_dicom {
        return;
    }
    meta(scan, findings);
    order(scan, findings);
    for (i, e) in scan.elements.iter().enumerate() {
        if e.kind != Kind::Element || e.length == 0 {
            continue;
        }
        if e.length % 2 == 1 {
            findings.push(
                Finding::new("integrity.odd_length", Severity::Low, format!("value length {} is odd", e.length))
                    .at(e.offset)
                    .reference("PS3.5 7.1.1 (values have even length)"),
            );
        }
        if values::is_text(e.vr) {
            value(texts, i, e, findings);
        }
    }
}

fn meta(scan: &Scan, findings: &mut Vec<Finding>) {
    if scan.file_meta {
        let meta_end = scan.dataset_offset;
        match scan.meta_element(META_GROUP_LENGTH) {
            None => findings.push(Finding::new("integrity.group_length", Severity::Low, "File Meta Information Group Length (0002,0000) is missing").reference("PS3.10 7.1")),
            Some(e) => {
                let declared = scan.value(e).get(..4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                let actual = meta_end.saturating_sub(e.value_offset() + u64::from(e.length));
                if declared.is_some_and(|d| u64::from(d) != actual) {
                    findings.push(
                        Finding::new("integrity.group_length", Severity::Low, format!("File Meta Information Group Length says {} bytes, the group has {actual}", declared.unwrap_or(0)))
                            .at(e.offset)
                            .reference("PS3.10 7.1"),
                    );
                }
            }
        }
        if let Some(e) = scan.meta_element(Tag(0x0002, 0x0013)).or_else(|| scan.meta_element(Tag(0x0002, 0x0012))) {
            let class = scan.meta_element(Tag(0x0002, 0x0012)).map(|e| values::text_cow(scan, e)).unwrap_or_default();
            let version = scan.meta_element(Tag(0x0002, 0x0013)).map(|e| values::text_cow(scan, e)).unwrap_or_default();
            findings.push(
                Finding::new("integrity.implementation", Severity::Info, format!("written by implementation {} (class UID {})", if version.is_empty() { "unnamed" } else { &version }, if class.is_empty() { "absent" } else { &class }))
                    .at(e.offset)
                    .reference("PS3.10 7.1; PS3.7 D.3.3.2"),
            );
        }
    }
    for (meta_tag, data_tag, what) in [(Tag(0x0002, 0x0002), Tag(0x0008, 0x0016), "SOP Class UID"), (Tag(0x0002, 0x0003), Tag(0x0008, 0x0018), "SOP Instance UID")] {
        let (Some(m), Some(d)) = (scan.meta_element(meta_tag), scan.top_level(data_tag)) else { continue };
        if values::text_cow(scan, m) != values::text_cow(scan, d) {
            findings.push(
                Finding::new("integrity.meta_mismatch", Severity::Medium, format!("Media Storage {what} in the meta group differs from the data set's {what}"))
                    .at(d.offset)
                    .reference("PS3.10 7.1"),
            );
        }
    }
}

/// The tags seen in one data set or item, kept sorted. Tags come in
/// ascending order (as they should), so each is pushed at the end and is
/// new exactly when it is above the last; a tag out of order is looked up
/// and inserted where it belongs. Past `SORTED_MAX` tags an insertion would
/// move too much, so they move to a B-tree (no hash to compute, and no
/// input that makes it slow).
#[derive(Default)]
struct Seen {
    sorted: Vec<u32>,
    set: Option<BTreeSet<u32>>,
}

/// Most tags kept in the sorted vector once they come out of order.
const SORTED_MAX: usize = 4096;

impl Seen {
    /// Records `tag`; false when it was already there.
    fn insert(&mut self, tag: Tag) -> bool {
        let tag = (u32::from(tag.0) << 16) | u32::from(tag.1);
        if let Some(set) = &mut self.set {
            return set.insert(tag);
        }
        match self.sorted.last() {
            Some(&last) if tag == last => false,
            Some(&last) if tag < last => match self.sorted.binary_search(&tag) {
                Ok(_) => false,
                Err(at) if self.sorted.len() < SORTED_MAX => {
                    self.sorted.insert(at, tag);
                    true
                }
                Err(_) => {
                    let mut set: BTreeSet<u32> = self.sorted.drain(..).collect();
                    set.insert(tag);
                    self.set = Some(set);
                    true
                }
            },
            _ => {
                self.sorted.push(tag);
                true
            }
        }
    }
}

/// Ascending order and unique tags within each data set and item (PS3.5 7.1).
fn order(scan: &Scan, findings: &mut Vec<Finding>) {
    // Most files: nothing out of order and no duplicate, no tag sets to keep.
    if !strictly_ascending(scan) {
        order_all(scan, findings);
    }
}

/// The elements [`order`] looks at, each with its container: the index of
/// its item, or the data set's (one past the last node).
fn ordered<'s>(scan: &'s Scan) -> impl Iterator<Item = (usize, &'s Element)> + 's {
    scan.elements
        .iter()
        .filter(|e| !matches!(e.kind, Kind::Item | Kind::Fragment) && !e.in_meta)
        .map(|e| (if e.parent == NONE { scan.elements.len() } else { e.parent as usize }, e))
}

/// [`order`]'s check of every tag.
fn order_all(scan: &Scan, findings: &mut Vec<Finding>) {
    // Per container: last tag seen, tags seen, whether disorder was reported;
    // `slots` maps a container's node index (the data set: last) to its entry.
    let mut last: Vec<(Tag, Seen, bool)> = Vec::new();
    let mut slots: Vec<u32> = vec![NONE; scan.elements.len() + 1];
    for (container, e) in ordered(scan) {
        let slot = match slots[container] {
            NONE => {
                // The data set holds most of the elements: room for them at once.
                let seen = if e.parent == NONE { Seen { sorted: Vec::with_capacity(scan.elements.len()), set: None } } else { Seen::default() };
                last.push((Tag(0, 0), seen, false));
                slots[container] = (last.len() - 1) as u32;
                last.len() - 1
            }
            slot => slot as usize,
        };
        let (prev, seen, reported) = &mut last[slot];
        if !seen.insert(e.tag) {
            findings.push(
                Finding::new("integrity.duplicate_tag", Severity::Medium, format!("{} appears twice in the same data set", format_tag(e.tag.0, e.tag.1)))
                    .at(e.offset)
                    .reference("PS3.5 7.1"),
            );
        } else if e.tag < *prev && !*reported {
            *reported = true;
            findings.push(
                Finding::new("integrity.out_of_order", Severity::Medium, format!("{} comes after {}: elements must be in ascending tag order", format_tag(e.tag.0, e.tag.1), format_tag(prev.0, prev.1)))
                    .at(e.offset)
                    .reference("PS3.5 7.1"),
            );
        }
        *prev = (*prev).max(e.tag);
    }
}

/// Whether the tags of every data set and item rise strictly (the
/// elements [`order`] looks at): then it has nothing to report.
fn strictly_ascending(scan: &Scan) -> bool {
    // Each container's last tag plus one (zero: none yet).
    let mut last = vec![0u64; scan.elements.len() + 1];
    for (container, e) in ordered(scan) {
        let tag = ((u64::from(e.tag.0) << 16) | u64::from(e.tag.1)) + 1;
        match last.get_mut(container) {
            Some(prev) if *prev < tag => *prev = tag,
            _ => return false,
        }
    }
    true
}

/// A UID: digits and dots, at most 64 characters, no empty or zero-led component (PS3.5 9.1).
/// One pass over the bytes (a header's UIDs are read by every file's rules).
pub fn valid_uid(uid: &str) -> bool {
    if uid.is_empty() || uid.len() > 64 {
        return false;
    }
    // The current component's length, and whether it began with a zero.
    let (mut len, mut zero) = (0usize, false);
    for &b in uid.as_bytes() {
        match b {
            b'.' if len == 0 => return false,
            b'.' => len = 0,
            b'0'..=b'9' if len == 1 && zero => return false,
            b'0'..=b'9' => {
                if len == 0 {
                    zero = b == b'0';
                }
                len += 1;
            }
            _ => return false,
        }
    }
    len > 0
}

fn max_length(vr: VR) -> Option<usize> {
    Some(match vr {
        VR::AE | VR::CS | VR::SH | VR::DS => 16,
        VR::AS => 4,
        VR::IS => 12,
        VR::LO | VR::UI => 64,
        VR::DA => 8,
        VR::TM => 14,
        VR::DT => 26,
        _ => return None,
    })
}

/// Whether `v` is a decimal without an exponent (`[+-]digits[.digits]`, a
/// digit on at least one side of the point), as `f64`'s parser reads it;
/// such a number is always finite. `None` for anything else, which the
/// parser then judges (exponents can overflow, `inf` and `nan` are words).
fn plain_decimal(v: &str) -> Option<bool> {
    let b = v.as_bytes();
    let digits = b.strip_prefix(b"-").or_else(|| b.strip_prefix(b"+")).unwrap_or(b);
    // One pass: digits, and at most one point among them.
    let (mut any_digit, mut point) = (false, false);
    for &c in digits {
        match c {
            b'0'..=b'9' => any_digit = true,
            b'.' if !point => point = true,
            _ => return None,
        }
    }
    any_digit.then_some(true)
}

/// Whether one value, trimmed, conforms to `vr`'s characters and form.
fn valid_value(vr: VR, v: &str) -> bool {
    let ok = |o: TextValidationOutcome| matches!(o, TextValidationOutcome::Ok);
    match vr {
        VR::DA => {
            let n = |r: std::ops::Range<usize>| v.get(r).and_then(|d| d.parse::<u32>().ok()).unwrap_or(0);
            ok(validate_da(v.as_bytes())) && v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) && (1..=12).contains(&n(4..6)) && (1..=31).contains(&n(6..8))
        }
        VR::TM => ok(validate_tm(v.as_bytes())),
        VR::DT => ok(validate_dt(v.as_bytes())),
        VR::IS => v.parse::<i64>().is_ok(),
        VR::DS => plain_decimal(v).unwrap_or_else(|| v.parse::<f64>().is_ok_and(f64::is_finite)),
        VR::AS => v.len() == 4 && v[..3].bytes().all(|b| b.is_ascii_digit()) && matches!(&v[3..], "D" | "W" | "M" | "Y"),
        VR::CS => v.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ' || b == b'_'),
        VR::UI => valid_uid(v),
        _ => true,
    }
}

/// VRs whose values [`valid_value`] checks beyond their length.
fn has_form(vr: VR) -> bool {
    matches!(vr, VR::DA | VR::TM | VR::DT | VR::IS | VR::DS | VR::AS | VR::CS | VR::UI)
}

/// The VR conformance of element `index`, `e`.
fn value(texts: &Texts, index: usize, e: &Element, findings: &mut Vec<Finding>) {
    let (text, classes) = texts.at(index);
    // Text of a VR with no form to check, no longer than its values may
    // be: no value of it can fail (most private text, names, descriptions).
    if !has_form(e.vr) && max_length(e.vr).is_none_or(|max| text.len() <= max) {
        return;
    }
    let multi = !matches!(e.vr, VR::LT | VR::ST | VR::UT | VR::UR);
    let bad = if classes.any(Classes::HIGH) {
        first_bad(e.vr, &text, multi)
    } else {
        // Without a backslash, the text is one value either way.
        first_bad_ascii(e.vr, &text, multi && classes.any(Classes::BACKSLASH))
    };
    if let Some(too_long) = bad {
        let (code, what) = if e.vr == VR::UI { ("integrity.invalid_uid", "UID") } else { ("integrity.invalid_value", "value") };
        findings.push(
            Finding::new(code, Severity::Low, format!("{what} does not conform to VR {}{}", e.vr.to_string(), if too_long { " (too long)" } else { "" }))
                .at(e.offset)
                .reference(if e.vr == VR::UI { "PS3.5 9.1" } else { "PS3.5 6.2" }),
        );
    }
}

/// The first value of `text` that does not conform to `vr`: `Some(too_long)`.
fn first_bad(vr: VR, text: &str, multi: bool) -> Option<bool> {
    let whole = (!multi).then_some(text);
    for part in whole.into_iter().chain(text.split('\\').take_while(|_| multi)) {
        let v = if vr == VR::UI { part.trim_end_matches('\0') } else { part.trim() };
        if v.is_empty() {
            continue;
        }
        let too_long = max_length(vr).is_some_and(|max| v.chars().count() > max);
        if too_long || !valid_value(vr, v) {
            return Some(too_long);
        }
    }
    None
}

/// [`first_bad`] for ASCII text (most values): characters are bytes, and
/// `str::trim`'s whitespace is these six bytes.
fn first_bad_ascii(vr: VR, text: &str, multi: bool) -> Option<bool> {
    let ws = |b: &u8| matches!(b, b' ' | 0x09..=0x0D);
    let mut rest = text;
    loop {
        // (Searched only when the text holds values.)
        let (part, next) = match multi.then(|| values::find_byte(b'\\', rest.as_bytes())).flatten() {
            Some(at) => (&rest[..at], Some(&rest[at + 1..])),
            None => (rest, None),
        };
        let v = if vr == VR::UI {
            part.trim_end_matches('\0')
        } else {
            let b = part.as_bytes();
            let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
            let end = b.iter().rposition(|c| !ws(c)).map_or(start, |i| i + 1);
            &part[start..end]
        };
        if !v.is_empty() {
            let too_long = max_length(vr).is_some_and(|max| v.len() > max);
            if too_long || !valid_value(vr, v) {
                return Some(too_long);
            }
        }
        rest = next?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast answer agrees with the full check: none of its findings
    /// when it says the tags rise, some when it does not.
    #[test]
    fn strictly_ascending_tags_are_what_order_reports_nothing_for() {
        let mut some = 0;
        for (name, _, bytes) in crate::demo::files() {
            let scan = crate::scan::scan(&bytes, &crate::Options::default());
            let mut full = Vec::new();
            order_all(&scan, &mut full);
            let quick = strictly_ascending(&scan);
            assert_eq!(quick, full.is_empty(), "{name}");
            some += usize::from(!quick);
        }
        assert!(some > 0, "a demo file with tags out of order or twice");
    }

    #[test]
    fn seen_tags_in_any_order() {
        // Out of order, duplicates, and past the sorted vector's size.
        let mut seen = Seen::default();
        let mut reference = std::collections::HashSet::new();
        let mut state = 12345u32;
        for i in 0..3 * SORTED_MAX {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let tag = if i % 3 == 0 { Tag(0x0008, i as u16) } else { Tag((state >> 20) as u16, (state & 0xFF) as u16) };
            assert_eq!(seen.insert(tag), reference.insert(tag), "tag {i}");
        }
        assert!(seen.set.is_some());
    }

    /// The first version of [`valid_uid`], the reference for its tests.
    fn valid_uid_reference(uid: &str) -> bool {
        uid.len() <= 64 && !uid.is_empty() && uid.split('.').all(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()) && (c == "0" || !c.starts_with('0')))
    }

    /// `count` pseudo-random strings of up to `longest - 1` characters of
    /// `alphabet` (xorshift from `seed`).
    fn random_strings(alphabet: &'static [u8], seed: u32, count: usize, longest: u32) -> impl Iterator<Item = String> {
        let mut state = seed;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        (0..count).map(move |_| {
            let len = next() % longest;
            (0..len).map(|_| alphabet[(next() as usize) % alphabet.len()] as char).collect()
        })
    }

    #[test]
    fn uids_as_the_reference() {
        for s in random_strings(b"0123456789..a", 0x2545_F491, 50_000, 70) {
            assert_eq!(valid_uid(&s), valid_uid_reference(&s), "{s:?}");
        }
        for s in ["0", "0.0", "00", "1.0.10", "1.01", ".1", "1.", "1..2", "1.2.840.10008.1.2.1", "2.25.0"] {
            assert_eq!(valid_uid(s), valid_uid_reference(s), "{s:?}");
        }
    }

    #[test]
    fn uids() {
        assert!(valid_uid("1.2.840.10008.1.2.1"));
        assert!(valid_uid("2.25.0"));
        assert!(!valid_uid("1.2.03.4"), "leading zero");
        assert!(!valid_uid("1.2..3"));
        assert!(!valid_uid("1.2.a"));
        assert!(!valid_uid(&format!("1.{}", "2".repeat(70))));
    }

    /// The ASCII path and the DS shortcut agree with the general ones.
    #[test]
    fn ascii_values_as_the_general_path() {
        let samples = [
            "", " ", "\\", "1.5", " -1.5e3 ", "+.5", "5.", ".", "-", "+-1", "1e400", "inf", "NaN", "1.2.3", "12345678901234567", "0.4882812500000",
            "20240101", "2024-1-1x", "120000.5", "ORIGINAL\\PRIMARY", "original", "045Y", "1.2.840.10008.1.2\0", "1.2.03", "a\\ b \\ c",
            " \x0b7\x0c ", "7\x1f", "AE TITLE", "1\\2\\x", "-0", "00012",
        ];
        for vr in [VR::DS, VR::IS, VR::DA, VR::TM, VR::DT, VR::AS, VR::CS, VR::UI, VR::SH, VR::LO, VR::AE, VR::LT] {
            let multi = !matches!(vr, VR::LT | VR::ST | VR::UT | VR::UR);
            for s in samples {
                assert_eq!(first_bad_ascii(vr, s, multi), first_bad(vr, s, multi), "{vr:?} {s:?}");
            }
        }
        // And on random strings of the characters that matter.
        for s in random_strings(b" \\.-+eE0123456789AZaz\t\x0b\0_^", 0x9E37_79B9, 20_000, 20) {
            for vr in [VR::DS, VR::IS, VR::DA, VR::TM, VR::AS, VR::CS, VR::UI, VR::LT] {
                let multi = vr != VR::LT;
                assert_eq!(first_bad_ascii(vr, &s, multi), first_bad(vr, &s, multi), "{vr:?} {s:?}");
            }
            if let Some(fast) = plain_decimal(s.trim()) {
                assert_eq!(fast, s.trim().parse::<f64>().is_ok_and(f64::is_finite), "{s:?}");
            }
        }
        for s in samples {
            if let Some(fast) = plain_decimal(s.trim()) {
                assert_eq!(fast, s.trim().parse::<f64>().is_ok_and(f64::is_finite), "{s:?}");
            }
        }
    }

    #[test]
    fn values() {
        assert!(valid_value(VR::DA, "20240101"));
        assert!(!valid_value(VR::DA, "2024-1-1x"));
        assert!(valid_value(VR::AS, "045Y") && !valid_value(VR::AS, "45Y"));
        assert!(valid_value(VR::DS, "-1.5e3") && !valid_value(VR::DS, "abc"));
        assert!(valid_value(VR::CS, "ORIGINAL") && !valid_value(VR::CS, "original"));
    }
}
