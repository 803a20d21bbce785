//! Text under ISO 2022 code extensions (PS3.5 6.1.2.5, Annex H/I/J):
//! values switch character sets with escape sequences, and the first term of
//! Specific Character Set (0008,0005) sets what is in force at the start of
//! each value. `dicom-encoding` decodes each single character set; this
//! module splits a value at its escape sequences and hands each run to the
//! right codec.

use dicom_encoding::text::{SpecificCharacterSet, TextCodec};

/// What an escape sequence (or the initial state) selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    /// ASCII in G0, with the first term's set (if any) in G1.
    Initial,
    /// JIS X 0208 (ISO 2022 IR 87), two bytes per character in G0.
    Jis0208,
    /// JIS X 0212 (ISO 2022 IR 159).
    Jis0212,
    /// A G1 designation decoded by a whole codec: Korean IR 149, the ISO 8859 sets.
    Codec(&'static str),
}

fn designation(seq: &[u8]) -> Option<Run> {
    Some(match seq {
        b"(B" | b"(J" => Run::Initial,
        b")I" => Run::Codec("ISO 2022 IR 13"),
        b"$B" | b"$@" => Run::Jis0208,
        b"$(D" => Run::Jis0212,
        b"$)C" => Run::Codec("ISO 2022 IR 149"),
        b"$)A" => Run::Codec("ISO 2022 IR 58"),
        b"-A" => Run::Codec("ISO 2022 IR 100"),
        b"-B" => Run::Codec("ISO 2022 IR 101"),
        b"-C" => Run::Codec("ISO 2022 IR 109"),
        b"-D" => Run::Codec("ISO 2022 IR 110"),
        b"-F" => Run::Codec("ISO 2022 IR 126"),
        b"-G" => Run::Codec("ISO 2022 IR 127"),
        b"-H" => Run::Codec("ISO 2022 IR 138"),
        b"-L" => Run::Codec("ISO 2022 IR 144"),
        b"-T" => Run::Codec("ISO 2022 IR 166"),
        _ => return None,
    })
}

/// Half-width katakana of JIS X 0201 (ISO 2022 IR 13) in G1: 0xA1-0xDF.
fn katakana(b: u8) -> Option<char> {
    (0xA1..=0xDF).contains(&b).then(|| char::from_u32(0xFF61 + u32::from(b - 0xA1))).flatten()
}

fn codec(code: &str) -> Option<SpecificCharacterSet> {
    SpecificCharacterSet::from_code(code)
}

/// Decodes a value under a multi-term Specific Character Set. Returns None
/// when the set is not an ISO 2022 one (then the plain codec applies).
pub fn decode(raw: &[u8], code: &str) -> Option<String> {
    if !code.contains("ISO 2022") {
        return None;
    }
    let first = code.split('\\').next().unwrap_or("").trim();
    let first_is_katakana = first.ends_with("IR 13");
    let first_codec = if first.is_empty() || first.ends_with("IR 6") || first_is_katakana { None } else { codec(first) };
    let mut out = String::with_capacity(raw.len());
    let mut run = Run::Initial;
    let mut i = 0;
    while i < raw.len() {
        // The next escape sequence, or the end: one run of bytes in between.
        let end = raw[i..].iter().position(|&b| b == 0x1B).map_or(raw.len(), |p| i + p);
        let bytes = &raw[i..end];
        match run {
            Run::Initial => {
                for &b in bytes {
                    match (b, katakana(b)) {
                        (0..=0x7F, _) => out.push(char::from(b)),
                        (_, Some(k)) if first_is_katakana => out.push(k),
                        _ => match &first_codec {
                            Some(c) => out.push_str(&c.decode(&[b]).unwrap_or_else(|_| "\u{FFFD}".into())),
                            None => out.push('\u{FFFD}'),
                        },
                    }
                }
            }
            Run::Jis0208 | Run::Jis0212 => {
                // The IR 87 codec reads ISO-2022-JP: give it the run with its escapes.
                let escape: &[u8] = if run == Run::Jis0208 { b"\x1b$B" } else { b"\x1b$(D" };
                let mut framed = escape.to_vec();
                framed.extend_from_slice(bytes);
                framed.extend_from_slice(b"\x1b(B");
                let decoded = codec("ISO 2022 IR 87").and_then(|c| c.decode(&framed).ok());
                out.push_str(&decoded.unwrap_or_else(|| "\u{FFFD}".repeat(bytes.len() / 2)));
            }
            Run::Codec(name) if name.ends_with("IR 13") => {
                out.extend(bytes.iter().map(|&b| katakana(b).or_else(|| (b < 0x80).then_some(char::from(b))).unwrap_or('\u{FFFD}')));
            }
            Run::Codec(name) => {
                let decoded = codec(name).and_then(|c| c.decode(bytes).ok());
                out.push_str(&decoded.unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned()));
            }
        }
        if end >= raw.len() {
            break;
        }
        // ESC, intermediate bytes 0x20-0x2F, one final byte.
        let mut j = end + 1;
        while j < raw.len() && (0x20..=0x2F).contains(&raw[j]) {
            j += 1;
        }
        let seq = &raw[end + 1..(j + 1).min(raw.len())];
        if let Some(next) = designation(seq) {
            run = next;
        }
        i = (j + 1).min(raw.len());
        // Delimiters reset to the initial state (PS3.5 6.1.2.5.3): `^` and `=`
        // in names, `\` between values, CR/LF in text.
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_g1_designation() {
        // "Hong^Gildong=" then KS X 1001 "홍" (0xC8 0xAB) after ESC $ ) C.
        let raw = b"Hong^Gildong=\x1b$)C\xc8\xab";
        assert_eq!(decode(raw, "\\ISO 2022 IR 149").unwrap(), "Hong^Gildong=홍");
    }

    #[test]
    fn japanese_katakana_then_kanji() {
        // IR 13 half-width katakana in G1, then JIS X 0208 "山" (0x3B 0x33).
        let raw = b"\xd4\xcf^\x1b$B\x3b\x33\x1b(B";
        assert_eq!(decode(raw, "ISO 2022 IR 13\\ISO 2022 IR 87").unwrap(), "ﾔﾏ^山");
    }

    #[test]
    fn not_iso2022_is_left_to_the_codec() {
        assert!(decode(b"abc", "ISO_IR 100").is_none());
    }
}
