//! The attack corpus: files crafted to hurt whatever opens them, each small
//! to describe and generated on demand (tests/hostile.rs runs every one
//! under a time and memory bound; the markup file is also a page demo).

use std::io::Write;

use super::{part10, ts, uid, Writer, CT_IMAGE_STORAGE, SECONDARY_CAPTURE};

/// Markup in every text VR that can hold it: it must render as text.
pub const MARKUP: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";

/// Text values carrying HTML, JavaScript URLs, CSS and spreadsheet formulas.
pub fn markup() -> Vec<u8> {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", SECONDARY_CAPTURE)
        .text(0x0008, 0x0018, "UI", &uid(60))
        .text(0x0008, 0x0060, "CS", "OT")
        .text(0x0008, 0x0080, "LO", MARKUP)
        .text(0x0008, 0x0090, "PN", "<b>BOLD^NAME</b>")
        .text(0x0008, 0x1030, "LO", "javascript:alert(3)")
        .text(0x0008, 0x1190, "UR", "javascript:alert(4)")
        .text(0x0010, 0x0010, "PN", "=HYPERLINK(\"http://x\")^<svg onload=alert(5)>")
        .text(0x0010, 0x0020, "LO", "+cmd|'/C calc'!A0")
        .text(0x0010, 0x4000, "LT", "<style>*{display:none}</style><iframe src=javascript:alert(6)>")
        .text(0x0020, 0x4000, "LT", "@SUM(1+1)*cmd|' /C calc'!A0 <a href=\"javascript:alert(7)\">x</a>")
        .text(0x0032, 0x1030, "LO", "-2+3+cmd|' /C calc'!A0")
        .text(0x0040, 0x0254, "LO", "</td></tr><script>alert(8)</script>");
    part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(60))
}

/// A length of 0xFFFFFFFE at the top level, inside a sequence item, on an
/// item, on a sequence, on a fragment, and in the meta group.
pub fn huge_lengths() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let huge = 0xFFFF_FFFE;
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0060, "CS", "OT").header(0x0010, 0x0010, "UT", huge);
    out.push(part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1"));

    let mut item = Writer::explicit_le();
    item.header(0x0008, 0x0104, "UT", huge);
    let mut w = Writer::explicit_le();
    w.sequence(0x0008, 0x1115, &[item], false);
    out.push(part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1"));

    let mut w = Writer::explicit_le();
    w.header(0x0008, 0x1115, "SQ", 0xFFFF_FFFF);
    w.bytes.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0xFE, 0xFF, 0xFF, 0xFF]);
    out.push(part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1"));

    let mut w = Writer::explicit_le();
    w.header(0x0008, 0x1115, "SQ", huge);
    out.push(part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1"));

    let mut w = Writer::explicit_le();
    w.us(0x0028, 0x0010, &[16]).us(0x0028, 0x0011, &[16]).us(0x0028, 0x0100, &[8]).header(0x7FE0, 0x0010, "OB", 0xFFFF_FFFF);
    w.bytes.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 0xFE, 0xFF, 0xFF, 0xFF, 1, 2, 3]);
    out.push(part10(&w.bytes, "1.2.840.10008.1.2.4.50", SECONDARY_CAPTURE, "2.25.1"));

    let mut meta = vec![0u8; 128];
    meta.extend_from_slice(b"DICM");
    meta.extend_from_slice(&[0x02, 0x00, 0x10, 0x00, b'U', b'I', 0xFE, 0xFF]);
    meta.extend_from_slice(b"1.2.840.10008.1.2.1");
    out.push(meta);
    out
}

/// `depth` nested undefined-length sequences, each in an item.
pub fn deep_nesting(depth: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(depth * 20);
    for _ in 0..depth {
        bytes.extend_from_slice(&[0x08, 0x00, 0x15, 0x11, b'S', b'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        bytes.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
    }
    part10(&bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1")
}

/// `count` tiny private elements (8-byte headers, empty values).
pub fn many_elements(count: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(count * 8 + 16);
    bytes.extend_from_slice(&[0x09, 0x00, 0x10, 0x00, b'L', b'O', 4, 0]);
    bytes.extend_from_slice(b"BOMB");
    for i in 0..count {
        let element = 0x1000 + (i % 0xF000) as u16;
        let group = 0x0009 + 2 * (i / 0xF000) as u16;
        bytes.extend_from_slice(&group.to_le_bytes());
        bytes.extend_from_slice(&element.to_le_bytes());
        bytes.extend_from_slice(&[b'S', b'H', 0, 0]);
    }
    part10(&bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1")
}

/// A deflated data set that inflates to `inflated` bytes of zeros in one
/// element (deflate's ratio is at most about 1032:1, so 1 GB needs ~1 MB).
pub fn deflate_bomb(inflated: u64) -> Vec<u8> {
    let mut header = Writer::explicit_le();
    header.header(0x0009, 0x1001, "OB", u32::try_from(inflated).unwrap_or(u32::MAX - 1) & !1);
    let (compressed, _, _) = deflated_zeros(&header.bytes, inflated);
    part10(&compressed, ts::DEFLATED_LE, SECONDARY_CAPTURE, "2.25.1")
}

/// A whole Part 10 file's first bytes: meta group and the header of one
/// element whose value is `zeros` bytes (the ZIP bomb's member).
pub fn bomb_header(zeros: u64) -> Vec<u8> {
    let mut header = Writer::explicit_le();
    header.header(0x0009, 0x1001, "OB", u32::try_from(zeros).unwrap_or(u32::MAX - 1) & !1);
    part10(&header.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1")
}

/// Raw deflate of `prefix` followed by `zeros` zero bytes, at the best ratio;
/// with the CRC-32 and length of what it inflates to.
pub fn deflated_zeros(prefix: &[u8], zeros: u64) -> (Vec<u8>, u32, u64) {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let mut crc = flate2::Crc::new();
    let _ = e.write_all(prefix);
    crc.update(prefix);
    let block = vec![0u8; 1 << 20];
    let mut left = zeros;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        let _ = e.write_all(&block[..n]);
        crc.update(&block[..n]);
        left -= n as u64;
    }
    (e.finish().unwrap_or_default(), crc.sum(), prefix.len() as u64 + zeros)
}

/// An encapsulated PDF whose one Flate stream inflates to `inflated` bytes.
pub fn pdf_bomb(inflated: usize) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(zeros.len());
        let _ = z.write_all(&zeros[..n]);
        left -= n;
    }
    let stream = z.finish().unwrap_or_default();
    let mut pdf = format!("%PDF-1.4\n1 0 obj << /Length {} /Filter /FlateDecode >>\nstream\n", stream.len()).into_bytes();
    pdf.extend_from_slice(&stream);
    pdf.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.104.1").text(0x0010, 0x0010, "PN", "BOMB^PDF").raw(0x0042, 0x0011, "OB", &pdf, 0);
    part10(&w.bytes, ts::EXPLICIT_LE, "1.2.840.10008.5.1.4.1.1.104.1", "2.25.1")
}

/// Encapsulated pixel data whose offset table overlaps and points past the end.
pub fn bad_offset_tables() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for table in [&[0u32, 0, 0][..], &[0, 0xFFFF_FF00, 16], &[40, 8, 0], &[u32::MAX, u32::MAX, u32::MAX]] {
        let mut w = Writer::explicit_le();
        w.us(0x0028, 0x0002, &[1]).text(0x0028, 0x0008, "IS", "3").us(0x0028, 0x0010, &[8]).us(0x0028, 0x0011, &[8]).us(0x0028, 0x0100, &[8]).us(0x0028, 0x0101, &[8]);
        w.encapsulated(table, &[b"\xFF\xD8\xFF\xD9", b"\xFF\xD8", b"\xFF\xD9\x00\x00"]);
        out.push(part10(&w.bytes, "1.2.840.10008.1.2.5", CT_IMAGE_STORAGE, "2.25.1"));
    }
    out
}

/// Pixel descriptions whose rows × columns × frames overflow 32 bits.
pub fn overflowing_pixels() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (frames, bits) in [("4294967295", 16u16), ("65536", 32), ("1", 32)] {
        let mut w = Writer::explicit_le();
        w.us(0x0028, 0x0002, &[3]).text(0x0028, 0x0008, "IS", frames).us(0x0028, 0x0010, &[65535]).us(0x0028, 0x0011, &[65535]).us(0x0028, 0x0100, &[bits]).us(0x0028, 0x0101, &[bits]);
        w.pixels_u16(&[1, 2, 3, 4]);
        out.push(part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, "2.25.1"));
    }
    out
}

/// Text under ISO 2022 character sets with escape sequences misused:
/// truncated, unknown, nested, at the end, in single-byte sets.
pub fn escape_misuse() -> Vec<Vec<u8>> {
    let values: [&[u8]; 8] = [b"\x1b", b"\x1b$", b"\x1b$)", b"ABC\x1b$B\x3b", b"\x1b$B\x1b$B\x1b(B\x1b", b"\x1b%G\xff\xfe", b"\x1b$)C\xc8", b"\x1b(J\x1b)I\xd4\x1b-A\xe9\x1b$(D\x21\x21"];
    let mut out = Vec::new();
    for charset in ["ISO 2022 IR 6\\ISO 2022 IR 87", "ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159", "\\ISO 2022 IR 149", "ISO_IR 192", "ISO 2022 IR 100"] {
        let mut w = Writer::explicit_le();
        w.text(0x0008, 0x0005, "CS", charset);
        for (i, v) in values.iter().enumerate() {
            w.raw(0x0009, 0x1000 + i as u16, "LO", v, b' ');
        }
        w.raw(0x0010, 0x0010, "PN", values[4], b' ');
        out.push(part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, "2.25.1"));
    }
    out
}

/// The attack files the page offers (safe to open there: that is the point).
pub fn files() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("attack-markup.dcm", "Names and descriptions full of HTML, JavaScript URLs and spreadsheet formulas", markup()),
        ("attack-deflate-bomb.dcm", "1 MB that inflates past 1 GB (stopped at the limit)", deflate_bomb(1 << 30)),
        ("attack-million-elements.dcm", "One million tiny elements", many_elements(1_000_000)),
        ("attack-deep-nesting.dcm", "Sequences nested 100,000 deep", deep_nesting(100_000)),
    ]
}
