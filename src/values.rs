//! Interpreting scanned values: text through the character set in force,
//! numbers through the byte order, binary as a short hex preview; the value
//! multiplicity; dictionary names. Only called for values someone looks at.

use std::borrow::Cow;

use dicom_core::dictionary::DataDictionary;
use dicom_core::VR;
use dicom_dictionary_std::StandardDataDictionary;
use dicom_encoding::text::{DefaultCharacterSetCodec, TextCodec};

use crate::scan::{Element, Kind, Scan};

/// VRs whose value is text (PS3.5 6.2).
pub fn is_text(vr: VR) -> bool {
    matches!(
        vr,
        VR::AE | VR::AS | VR::CS | VR::DA | VR::DS | VR::DT | VR::IS | VR::LO | VR::LT | VR::PN | VR::SH | VR::ST | VR::TM | VR::UC | VR::UI | VR::UR | VR::UT
    )
}

/// Text VRs that the Specific Character Set applies to (PS3.5 6.1.2.3);
/// the others are always the default repertoire.
fn uses_charset(vr: VR) -> bool {
    matches!(vr, VR::LO | VR::LT | VR::PN | VR::SH | VR::ST | VR::UC | VR::UT)
}

/// Text VRs that hold a single value, where a backslash is just a character.
fn is_single_valued_text(vr: VR) -> bool {
    matches!(vr, VR::LT | VR::ST | VR::UT | VR::UR)
}

/// Size of one binary number for numeric VRs.
fn number_size(vr: VR) -> Option<usize> {
    match vr {
        VR::US | VR::SS => Some(2),
        VR::UL | VR::SL | VR::FL | VR::AT => Some(4),
        VR::FD | VR::UV | VR::SV => Some(8),
        _ => None,
    }
}

/// A text value decoded with the character set in force, trailing padding
/// (spaces, NULs) removed. Undecodable bytes become U+FFFD.
pub fn text(scan: &Scan, e: &Element) -> String {
    text_cow(scan, e).into_owned()
}

/// Values shorter than this are searched byte by byte: most DICOM values
/// are, and on them a loop costs less than setting up a vector search.
const SHORT: usize = 32;

/// The first position of `needle` in `hay` (see [`SHORT`]).
pub fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    if hay.len() < SHORT {
        hay.iter().position(|&b| b == needle)
    } else {
        memchr::memchr(needle, hay)
    }
}

/// Every position of `needle` in `hay`, in order (see [`SHORT`]).
pub fn byte_positions(needle: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + find_byte(needle, hay.get(from..)?)?;
        from = at + 1;
        Some(at)
    })
}

/// [`text`] without a copy when it can: a value of plain ASCII bytes (most
/// values in most files) is its own decoding, so it is borrowed from the file.
pub fn text_cow<'s>(scan: &'s Scan, e: &Element) -> Cow<'s, str> {
    text_with_classes(scan, e).0
}

/// [`text_cow`] and the [`Classes`] of the text, from one pass over the
/// bytes of a plain ASCII value. Every character set of PS3.5 6.1 reads
/// such bytes as the same ASCII characters: bytes below 0x80 (no HIGH),
/// without the ISO 2022 shifts and escape (no SHIFT) that switch sets or
/// that the ISO-2022-JP codec rejects; control bytes other than those are
/// ASCII in every codec used. The trimmed ends are spaces and NULs.
#[inline]
pub fn text_with_classes<'s>(scan: &'s Scan, e: &Element) -> (Cow<'s, str>, Classes) {
    let raw = scan.value(e);
    let (start, end) = trimmed(raw, e.vr);
    let classes = Classes::of_bytes(&raw[start..end]);
    if !classes.any(Classes::HIGH | Classes::SHIFT) {
        // SAFETY: no byte of the range is 0x80 or above: ASCII, valid UTF-8.
        return (Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(&raw[start..end]) }), classes);
    }
    decoded_with_classes(scan, e, raw)
}

/// [`text_with_classes`] of a value that is not plain ASCII (kept out of
/// line: the rules' loops inline the ASCII path).
#[inline(never)]
fn decoded_with_classes<'s>(scan: &'s Scan, e: &Element, raw: &'s [u8]) -> (Cow<'s, str>, Classes) {
    let text = decoded(scan, e, raw);
    let classes = Classes::of(&text);
    (text, classes)
}

/// The range of `text` (ASCII at its ends) a value keeps: without trailing
/// spaces and NULs, and without leading spaces except in single-valued text.
fn trimmed(text: &[u8], vr: VR) -> (usize, usize) {
    let mut end = text.len();
    while end > 0 && matches!(text[end - 1], b' ' | 0) {
        end -= 1;
    }
    let mut start = 0;
    if vr == VR::UI || !is_single_valued_text(vr) {
        while start < end && text[start] == b' ' {
            start += 1;
        }
    }
    (start, end)
}

/// The value of a text element that is not plain ASCII, decoded in its
/// character set and trimmed as [`trimmed`] says.
fn decoded<'s>(scan: &'s Scan, e: &Element, raw: &[u8]) -> Cow<'s, str> {
    let decoded = if uses_charset(e.vr) {
        let charset = scan.charset(e);
        match crate::charset::decode(raw, &charset.code) {
            Some(text) => text,
            None => charset.codec.decode(raw).unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned()),
        }
    } else {
        DefaultCharacterSetCodec.decode(raw).unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
    };
    // Spaces and NULs are ASCII: the cuts fall on character boundaries.
    let (start, end) = trimmed(decoded.as_bytes(), e.vr);
    if start == 0 && end == decoded.len() {
        Cow::Owned(decoded)
    } else {
        Cow::Owned(decoded[start..end].to_owned())
    }
}

/// Every text value of a scan, decoded once, with its byte classes: the
/// rules read most values several times (the profile, free text, UIDs,
/// network names, VR conformance each look at them). Plain ASCII values are
/// borrowed from the file, so building it costs one pass over the text
/// values and one over their characters.
pub struct Texts<'s> {
    scan: &'s Scan<'s>,
    /// Indexed like `scan.elements`: each text element's value and its
    /// [`Classes`]; `None` (and no classes) for the other nodes.
    values: Vec<(Option<Cow<'s, str>>, Classes)>,
}

impl<'s> Texts<'s> {
    pub fn new(scan: &'s Scan<'s>) -> Texts<'s> {
        let mut values = Vec::with_capacity(scan.elements.len());
        values.extend(scan.elements.iter().map(|e| {
            if e.kind == Kind::Element && is_text(e.vr) {
                let (text, classes) = text_with_classes(scan, e);
                (Some(text), classes)
            } else {
                (None, Classes(0))
            }
        }));
        Texts { scan, values }
    }

    /// The index of `e` in the scan, from its address, if it is one of the
    /// scan's elements (as every element the rules see is).
    fn index(&self, e: &Element) -> Option<usize> {
        let at = (e as *const Element as usize).wrapping_sub(self.scan.elements.as_ptr() as usize) / std::mem::size_of::<Element>();
        self.scan.elements.get(at).filter(|own| std::ptr::eq(*own, e)).map(|_| at)
    }

    /// The value of `e` (an element of this scan) as [`text`] gives it;
    /// from the cache for text elements, decoded on the spot otherwise.
    pub fn get(&self, e: &Element) -> Cow<'_, str> {
        match self.index(e).and_then(|at| self.values[at].0.as_deref()) {
            Some(text) => Cow::Borrowed(text),
            None => text_cow(self.scan, e),
        }
    }

    /// [`Texts::get`] of the scan's element `index`, and the value's
    /// [`Classes`] (rules that walk the elements know the index).
    pub fn at(&self, index: usize) -> (Cow<'_, str>, Classes) {
        match self.values.get(index) {
            Some((Some(text), classes)) => (Cow::Borrowed(text), *classes),
            _ => text_with_classes(self.scan, &self.scan.elements[index]),
        }
    }
}

/// The value of a top-level element as text, if present and non-empty.
pub fn top_level_text(scan: &Scan, tag: dicom_core::Tag) -> Option<String> {
    top_level_cow(scan, tag).filter(|t| !t.is_empty()).map(Cow::into_owned)
}

/// The value of a top-level element as [`text_cow`] gives it, if the
/// element is there (empty or not).
pub fn top_level_cow<'s>(scan: &'s Scan, tag: dicom_core::Tag) -> Option<Cow<'s, str>> {
    scan.top_level(tag).filter(|e| e.kind == Kind::Element).map(|e| text_cow(scan, e))
}

/// Value multiplicity as the bytes show it.
pub fn vm(scan: &Scan, e: &Element) -> u32 {
    match e.kind {
        Kind::Sequence | Kind::PixelSequence => return 1,
        Kind::Item | Kind::Fragment => return 1,
        Kind::Element => {}
    }
    if e.length == 0 {
        return 0;
    }
    if is_text(e.vr) {
        if is_single_valued_text(e.vr) {
            return 1;
        }
        let raw = scan.value(e);
        return 1 + memchr_count(b'\\', raw);
    }
    match number_size(e.vr) {
        Some(size) => e.length / size as u32,
        None => 1,
    }
}

fn memchr_count(needle: u8, haystack: &[u8]) -> u32 {
    haystack.iter().filter(|&&b| b == needle).count() as u32
}

/// Which kinds of byte a text holds, found in one pass, so that rules skip
/// the searches whose characters are absent (a URL needs ':', an e-mail
/// '@'): most values are short, and one pass costs less than the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classes(u16);

impl Classes {
    pub const DIGIT: u16 = 1;
    pub const AT: u16 = 2;
    pub const CARET: u16 = 4;
    pub const COLON: u16 = 8;
    pub const DOT: u16 = 16;
    pub const BACKSLASH: u16 = 32;
    /// ASCII white space as `char::is_whitespace` has it (tab to carriage return, space).
    pub const SPACE: u16 = 64;
    /// A byte of a non-ASCII character (which may be white space, a letter, …).
    pub const HIGH: u16 = 128;
    /// Any other ASCII byte (letters, other punctuation, controls).
    pub const OTHER: u16 = 256;
    /// The ISO 2022 shifts and escape (0x0E, 0x0F, 0x1B), which switch
    /// character sets: OTHER as well.
    pub const SHIFT: u16 = 512;

    const TABLE: [u16; 256] = {
        let mut t = [0u16; 256];
        let mut b = 0;
        while b < 256 {
            t[b] = match b as u8 {
                b'0'..=b'9' => Classes::DIGIT,
                b'@' => Classes::AT,
                b'^' => Classes::CARET,
                b':' => Classes::COLON,
                b'.' => Classes::DOT,
                b'\\' => Classes::BACKSLASH,
                b' ' | 0x09..=0x0D => Classes::SPACE,
                0x80..=0xFF => Classes::HIGH,
                0x0E | 0x0F | 0x1B => Classes::OTHER | Classes::SHIFT,
                _ => Classes::OTHER,
            };
            b += 1;
        }
        t
    };

    pub fn of(text: &str) -> Classes {
        Classes::of_bytes(text.as_bytes())
    }

    pub fn of_bytes(bytes: &[u8]) -> Classes {
        // Four bytes a step into two masks: the loads of a step do not
        // wait for one another (most values are a few words long).
        let t = |b: u8| Classes::TABLE[usize::from(b)];
        let mut quads = bytes.chunks_exact(4);
        let (mut a, mut b) = (0, 0);
        for q in &mut quads {
            a |= t(q[0]) | t(q[1]);
            b |= t(q[2]) | t(q[3]);
        }
        Classes(quads.remainder().iter().fold(a | b, |m, &c| m | t(c)))
    }

    /// Whether the text is empty or white space only (`str::trim` leaves
    /// nothing): known from the classes unless it has non-ASCII characters.
    pub fn is_blank(self, text: &str) -> bool {
        if self.any(Classes::HIGH) {
            return text.trim().is_empty();
        }
        !self.any(!Classes::SPACE)
    }

    /// Whether any of `bits` is there.
    pub fn any(self, bits: u16) -> bool {
        self.0 & bits != 0
    }
}

/// A short, safe-to-show rendering of a value for the element tree.
pub fn preview(scan: &Scan, e: &Element, max_chars: usize) -> Option<String> {
    match e.kind {
        Kind::Sequence | Kind::Item | Kind::PixelSequence => return None,
        Kind::Fragment => return Some(hex_preview(scan.value(e), e.length)),
        Kind::Element => {}
    }
    if e.length == 0 {
        return Some(String::new());
    }
    if is_text(e.vr) {
        let t = text(scan, e);
        return Some(truncate_chars(&t, max_chars));
    }
    if let Some(size) = number_size(e.vr) {
        return Some(numbers(scan.value(e), e.vr, size, e.little_endian, 16));
    }
    Some(hex_preview(scan.value(e), e.length))
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

fn numbers(raw: &[u8], vr: VR, size: usize, little_endian: bool, max: usize) -> String {
    let mut out = Vec::new();
    for chunk in raw.chunks_exact(size).take(max) {
        let mut b = [0u8; 8];
        b[..size].copy_from_slice(chunk);
        if !little_endian {
            b[..size].reverse();
        }
        let text = match vr {
            VR::US => u16::from_le_bytes([b[0], b[1]]).to_string(),
            VR::SS => i16::from_le_bytes([b[0], b[1]]).to_string(),
            VR::UL => u32::from_le_bytes([b[0], b[1], b[2], b[3]]).to_string(),
            VR::SL => i32::from_le_bytes([b[0], b[1], b[2], b[3]]).to_string(),
            VR::FL => f32::from_le_bytes([b[0], b[1], b[2], b[3]]).to_string(),
            VR::FD => f64::from_le_bytes(b).to_string(),
            VR::UV => u64::from_le_bytes(b).to_string(),
            VR::SV => i64::from_le_bytes(b).to_string(),
            // AT is a pair of 16-bit numbers (group, element); reversing all
            // four big-endian bytes above also swapped the pair back.
            VR::AT => {
                let (g, el) = if little_endian {
                    (u16::from_le_bytes([b[0], b[1]]), u16::from_le_bytes([b[2], b[3]]))
                } else {
                    (u16::from_le_bytes([b[2], b[3]]), u16::from_le_bytes([b[0], b[1]]))
                };
                crate::report::format_tag(g, el)
            }
            _ => String::new(),
        };
        out.push(text);
    }
    let total = raw.len() / size;
    let mut s = out.join("\\");
    if total > max {
        s.push_str(&format!("\\… ({total} values)"));
    }
    s
}

/// First 16 bytes as hex, with the total length when there is more.
pub fn hex_preview(raw: &[u8], length: u32) -> String {
    const SHOW: usize = 16;
    let mut s = String::with_capacity(SHOW * 3 + 24);
    for (i, b) in raw.iter().take(SHOW).enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02X}"));
    }
    if raw.len() > SHOW || (length as usize) > raw.len() {
        s.push_str(&format!(" … ({length} bytes)"));
    }
    s
}

/// Dictionary keyword for a tag; private elements are named by the caller.
pub fn keyword(e: &Element) -> &'static str {
    match e.kind {
        Kind::Item => return "Item",
        Kind::Fragment => return "PixelDataFragment",
        _ => {}
    }
    if e.tag.0 & 1 == 1 {
        return match e.tag.1 {
            0x0000 => "PrivateGroupLength",
            0x0010..=0x00FF => "PrivateCreator",
            _ => "Unknown",
        };
    }
    StandardDataDictionary.by_tag(e.tag).map_or("Unknown", |entry| entry.alias)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes() {
        let c = Classes::of("Dr. Watson@x.org 555-1234 A^B \\\\h:");
        for bit in [Classes::DIGIT, Classes::AT, Classes::CARET, Classes::COLON, Classes::DOT, Classes::BACKSLASH, Classes::SPACE] {
            assert!(c.any(bit), "{bit}");
        }
        assert!(!c.any(Classes::HIGH));
        assert!(Classes::of("é").any(Classes::HIGH) && !Classes::of("abc").any(0xFF));
        // SPACE is exactly the ASCII characters that char::is_whitespace accepts.
        for b in 0..128u8 {
            assert_eq!(Classes::of(&(b as char).to_string()).any(Classes::SPACE), (b as char).is_whitespace(), "{b}");
        }
    }

    /// Four bytes a step, then the rest: every byte of every length counts.
    #[test]
    fn classes_of_every_byte_at_every_place() {
        for len in 0..12 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let others = if len > 1 { Classes::OTHER } else { 0 };
                    assert_eq!(Classes::of_bytes(&bytes).0, Classes::TABLE[usize::from(b)] | others, "{len} {at} {b}");
                }
            }
        }
    }

    #[test]
    fn blank_is_what_trim_leaves_empty() {
        // Every string of up to three characters from a set with ASCII and
        // non-ASCII white space, controls, letters and a non-ASCII letter.
        let alphabet = [" ", "\t", "\n", "\u{0B}", "\u{1C}", "\0", "a", "^", "\u{85}", "\u{3000}", "\u{A0}", "é"];
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = texts.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
            texts.extend(longer);
        }
        for text in &texts {
            assert_eq!(Classes::of(text).is_blank(text), text.trim().is_empty(), "{text:?}");
        }
    }

    #[test]
    fn text_with_classes_is_the_text_and_its_classes() {
        // Every text value of the demo files (plain, padded, accented,
        // Japanese, hostile) and of ISO 2022 text whose escapes are all
        // ASCII bytes: one pass gives what decoding every value in its
        // character set (the path for non-ASCII values) and classifying give.
        // (Files of 4 MB and more left out for time: a million empty SH elements, a deflate bomb.)
        let mut files: Vec<Vec<u8>> = crate::demo::page_files().into_iter().map(|f| f.bytes).filter(|b| b.len() < 4 << 20).collect();
        files.extend(crate::demo::hostile::escape_misuse());
        let mut shifted = 0;
        let mut checked = 0;
        for bytes in &files {
            let scan = crate::scan::scan(bytes, &crate::Options::default());
            for e in scan.elements.iter().filter(|e| e.kind == Kind::Element && is_text(e.vr)) {
                let (text, classes) = text_with_classes(&scan, e);
                let plain = decoded(&scan, e, scan.value(e));
                assert_eq!((&*text, classes), (&*plain, Classes::of(&plain)), "{:?}", e.tag);
                assert_eq!(text_cow(&scan, e), text);
                shifted += usize::from(scan.value(e).contains(&0x1B) && scan.value(e).is_ascii());
                checked += 1;
            }
        }
        assert!(checked > 1000 && shifted > 10, "{checked} values, {shifted} ASCII with escapes");
    }

    #[test]
    fn byte_searches_find_what_memchr_finds() {
        // Lengths on both sides of SHORT, needles at the ends and in runs.
        for len in [0, 1, 2, 5, SHORT - 1, SHORT, SHORT + 1, 100] {
            let hay: Vec<u8> = (0..len).map(|i| if i % 3 == 0 || i + 1 == len { b'.' } else { b'a' + (i % 7) as u8 }).collect();
            for needle in [b'.', b'a', b'z'] {
                assert_eq!(find_byte(needle, &hay), memchr::memchr(needle, &hay), "{len} {needle}");
                assert_eq!(byte_positions(needle, &hay).collect::<Vec<_>>(), memchr::memchr_iter(needle, &hay).collect::<Vec<_>>(), "{len} {needle}");
            }
        }
    }

    #[test]
    fn hex_preview_marks_more() {
        assert_eq!(hex_preview(&[1, 2, 0xAB], 3), "01 02 AB");
        let long: Vec<u8> = (0..20).collect();
        assert!(hex_preview(&long, 20).ends_with("… (20 bytes)"));
    }

    #[test]
    fn numbers_respect_byte_order() {
        assert_eq!(numbers(&[0x01, 0x00, 0x02, 0x00], VR::US, 2, true, 16), "1\\2");
        assert_eq!(numbers(&[0x00, 0x01], VR::US, 2, false, 16), "1");
        assert_eq!(numbers(&[0x10, 0x00, 0x10, 0x00], VR::AT, 4, true, 16), "(0010,0010)");
        assert_eq!(numbers(&[0x00, 0x10, 0x00, 0x20], VR::AT, 4, false, 16), "(0010,0020)");
    }

    #[test]
    fn truncates_on_char_boundary() {
        assert_eq!(truncate_chars("äöü", 2), "äö…");
        assert_eq!(truncate_chars("ab", 2), "ab");
    }
}
