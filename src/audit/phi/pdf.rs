//! Text of an embedded PDF, enough to search it for identity.
//!
//! Literal strings `( … )` anywhere in the file (the document information
//! dictionary, uncompressed content) and in every Flate-compressed stream
//! (PDF 32000-1 7.3.4.2, 7.3.8, 9.4.3). Strings inside one `[ … ] TJ` array
//! are joined without spaces, as a viewer would show them. Inflation shares
//! one byte budget across all streams, so a stream bomb stops at the limit.

use std::io::Read;

pub struct Extracted {
    pub text: String,
    /// The inflation budget ran out before every stream was read.
    pub limited: bool,
}

pub fn extract_text(pdf: &[u8], budget: usize) -> Extracted {
    let mut text = String::new();
    let mut left = budget;
    let mut limited = false;
    literal_strings(pdf, &mut text);
    let mut pos = 0;
    while let Some(found) = memchr::memmem::find(&pdf[pos..], b"stream") {
        let keyword = pos + found;
        pos = keyword + 6;
        // `endstream` also contains `stream`; a stream keyword ends its dictionary.
        if keyword >= 3 && &pdf[keyword - 3..keyword] == b"end" {
            continue;
        }
        let mut start = pos;
        if pdf.get(start) == Some(&b'\r') {
            start += 1;
        }
        if pdf.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(len) = memchr::memmem::find(&pdf[start..], b"endstream") else { break };
        let data = &pdf[start..start + len];
        pos = start + len + 9;
        let dict = &pdf[keyword.saturating_sub(300)..keyword];
        if memchr::memmem::find(dict, b"/FlateDecode").is_none() {
            continue;
        }
        if left == 0 {
            limited = true;
            break;
        }
        // Count first, then inflate into a buffer of the final size: a stream
        // bomb never makes the buffer grow past the budget.
        let counted = std::io::copy(&mut flate2::read::ZlibDecoder::new(data).take(left as u64 + 1), &mut std::io::sink()).unwrap_or(0);
        let keep = (counted as usize).min(left);
        if counted as usize > left {
            limited = true;
        }
        let mut inflated = Vec::with_capacity(keep);
        // Corrupt streams give what inflated before the error: still searched.
        let _ = flate2::read::ZlibDecoder::new(data).take(keep as u64).read_to_end(&mut inflated);
        left -= inflated.len();
        literal_strings(&inflated, &mut text);
        if limited {
            break;
        }
    }
    Extracted { text, limited }
}

/// Appends the literal strings of `data` to `out`.
fn literal_strings(data: &[u8], out: &mut String) {
    let mut i = 0;
    let mut in_array = false;
    while i < data.len() {
        match data[i] {
            b'[' => in_array = true,
            b']' => {
                in_array = false;
                out.push(' ');
            }
            b'(' => {
                let (s, end) = parse_string(data, i + 1);
                out.push_str(&s);
                if !in_array {
                    out.push(' ');
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Parses a literal string body from `start` (after the opening parenthesis).
fn parse_string(data: &[u8], start: usize) -> (String, usize) {
    let mut bytes = Vec::new();
    let mut depth = 1;
    let mut i = start;
    while i < data.len() {
        let c = data[i];
        match c {
            b'\\' => {
                i += 1;
                let Some(&n) = data.get(i) else { break };
                match n {
                    b'n' => bytes.push(b'\n'),
                    b'r' => bytes.push(b'\r'),
                    b't' => bytes.push(b'\t'),
                    b'0'..=b'7' => {
                        let digits = data[i..].iter().take(3).take_while(|d| (b'0'..=b'7').contains(d)).count();
                        let value = data[i..i + digits].iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0'));
                        bytes.push(value as u8);
                        i += digits - 1;
                    }
                    b'\r' | b'\n' => {}
                    other => bytes.push(other),
                }
            }
            b'(' => {
                depth += 1;
                bytes.push(c);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return (decode(&bytes), i + 1);
                }
                bytes.push(c);
            }
            _ => bytes.push(c),
        }
        i += 1;
    }
    (decode(&bytes), i)
}

/// UTF-16BE with a byte-order mark, else Latin-1 (close to PDFDocEncoding).
fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A minimal PDF with one Flate content stream showing `text`, for tests and demos.
pub fn minimal_pdf(info_title: &str, text: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!("BT /F1 12 Tf 72 720 Td [({text})] TJ ET");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = z.write_all(content.as_bytes());
    let compressed = z.finish().unwrap_or_default();
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend_from_slice(format!("1 0 obj << /Title ({info_title}) >> endobj\n").as_bytes());
    pdf.extend_from_slice(format!("2 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n", compressed.len()).as_bytes());
    pdf.extend_from_slice(&compressed);
    pdf.extend_from_slice(b"\nendstream\nendobj\ntrailer << /Info 1 0 R >>\n%%EOF\n");
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_text_in_flate_streams_and_info() {
        let pdf = minimal_pdf("Report for DOE", "Patient: Jane Doe \\(DOB 1970\\)");
        let t = extract_text(&pdf, 1 << 20);
        assert!(t.text.contains("Report for DOE"), "{}", t.text);
        assert!(t.text.contains("Patient: Jane Doe (DOB 1970)"), "{}", t.text);
        assert!(!t.limited);
    }

    #[test]
    fn tj_arrays_join_pieces() {
        let mut out = String::new();
        literal_strings(b"[(Ja) -20 (ne)] TJ (Doe) Tj", &mut out);
        assert!(out.contains("Jane"), "{out}");
        assert!(out.contains("Doe"), "{out}");
    }

    #[test]
    fn stream_bomb_stops_at_the_budget() {
        let big = "A".repeat(2_000_000);
        let pdf = minimal_pdf("t", &big);
        let t = extract_text(&pdf, 100_000);
        assert!(t.limited);
        assert!(t.text.len() <= 200_000);
    }
}
