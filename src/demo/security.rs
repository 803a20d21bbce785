//! Demo files for the transfer, security and integrity findings. The
//! "executables" here are headers only (magic numbers and a PE signature),
//! inert bytes that no system can run.

use super::{ct_slice, part10, part10_with_preamble, phantom, ts, uid, Writer, CT_IMAGE_STORAGE, JANE, SECONDARY_CAPTURE};

type DemoFile = (&'static str, &'static str, Vec<u8>);

/// A DOS header whose e_lfanew points at a PE signature inside the preamble,
/// as in CVE-2019-11687 proofs of concept (no code follows).
pub fn pe_preamble() -> [u8; 128] {
    let mut p = [0u8; 128];
    p[..2].copy_from_slice(b"MZ");
    p[0x3C] = 0x40;
    p[0x40..0x44].copy_from_slice(b"PE\0\0");
    p[0x44..0x46].copy_from_slice(&0x8664u16.to_le_bytes()); // machine: x86-64
    p
}

fn small_ct(n: u64) -> Vec<u8> {
    ct_slice(&JANE, n, 16, true, false)
}

fn preamble_pe() -> DemoFile {
    let file = part10_with_preamble(&pe_preamble(), &small_ct(40), ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(40));
    ("sec-preamble-pe.dcm", "Windows executable header hidden in the preamble (CVE-2019-11687)", file)
}

fn preamble_tiff() -> DemoFile {
    let mut p = [0u8; 128];
    p[..8].copy_from_slice(b"II*\0\x08\0\0\0");
    let file = part10_with_preamble(&p, &small_ct(41), ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(41));
    ("sec-preamble-tiff.dcm", "TIFF header in the preamble: an allowed dual-format file", file)
}

fn trailing_zip() -> DemoFile {
    let mut file = part10(&small_ct(42), ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(42));
    file.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x08\x00payload.exe-not-really");
    ("sec-trailing-zip.dcm", "A ZIP archive appended after the pixel data", file)
}

fn embedded_elf() -> DemoFile {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", SECONDARY_CAPTURE).text(0x0008, 0x0018, "UI", &uid(43)).text(0x0008, 0x0060, "CS", "OT");
    let mut payload = vec![0u8; 32];
    payload.extend_from_slice(b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    w.text(0x0009, 0x0010, "LO", "ACME TOOLS").raw(0x0009, 0x1001, "OB", &payload, 0);
    ("sec-embedded-elf.dcm", "A private binary value that holds an ELF executable header", part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(43)))
}

fn weak_signature() -> DemoFile {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", SECONDARY_CAPTURE).text(0x0008, 0x0018, "UI", &uid(44)).text(0x0008, 0x0060, "CS", "OT");
    let mut mac = Writer::explicit_le();
    mac.us(0x0400, 0x0005, &[1]).text(0x0400, 0x0010, "UI", ts::EXPLICIT_LE).text(0x0400, 0x0015, "CS", "MD5");
    // Data Elements Signed: (0008,0016) and (0008,0018), as AT.
    mac.header(0x0400, 0x0020, "AT", 8);
    mac.bytes.extend_from_slice(&[0x08, 0x00, 0x16, 0x00, 0x08, 0x00, 0x18, 0x00]);
    w.sequence(0x4FFE, 0x0001, &[mac], false);
    let mut sig = Writer::explicit_le();
    sig.us(0x0400, 0x0005, &[1])
        .text(0x0400, 0x0100, "UI", &uid(45))
        .text(0x0400, 0x0105, "DT", "20240315101500")
        .text(0x0400, 0x0110, "CS", "X509_1993_SIG")
        .raw(0x0400, 0x0115, "OB", &[0x30, 0x82, 0x01, 0x0A], 0)
        .raw(0x0400, 0x0120, "OB", &[0u8; 16], 0);
    w.sequence(0xFFFA, 0xFFFA, &[sig], false);
    ("sec-weak-signature.dcm", "Digital signature over an MD5 MAC", part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(44)))
}

fn network() -> DemoFile {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", SECONDARY_CAPTURE)
        .text(0x0008, 0x0018, "UI", &uid(46))
        .text(0x0008, 0x0054, "AE", "PACS_MAIN")
        .text(0x0008, 0x0060, "CS", "OT")
        .text(0x0008, 0x1010, "SH", "CTSCAN03")
        .text(0x0008, 0x1190, "UR", "http://pacs.radiology.local/wado-rs/studies/1")
        .text(0x0020, 0x4000, "LT", "Forwarded from 10.20.30.40 to \\\\archive01\\dicom");
    ("sec-network.dcm", "Plain-http retrieve URL, AE title, station name, IP address and share path", part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(46)))
}

fn lossy_unflagged() -> DemoFile {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", SECONDARY_CAPTURE)
        .text(0x0008, 0x0018, "UI", &uid(47))
        .text(0x0008, 0x0060, "CS", "OT")
        .us(0x0028, 0x0002, &[1])
        .text(0x0028, 0x0004, "CS", "MONOCHROME2")
        .us(0x0028, 0x0010, &[8])
        .us(0x0028, 0x0011, &[8])
        .us(0x0028, 0x0100, &[8])
        .us(0x0028, 0x0101, &[8])
        .us(0x0028, 0x0102, &[7])
        .us(0x0028, 0x0103, &[0])
        // Not a decodable JPEG: the frame's markers only, enough for the layout.
        .encapsulated(&[0], &[b"\xFF\xD8\xFF\xDB\x00\x04\x00\x00\xFF\xD9\x00\x00"]);
    ("sec-lossy-unflagged.dcm", "JPEG Baseline pixels without Lossy Image Compression (0028,2110)", part10(&w.bytes, "1.2.840.10008.1.2.4.50", SECONDARY_CAPTURE, &uid(47)))
}

fn unknown_syntax() -> DemoFile {
    let file = part10(&small_ct(48), "1.2.3.4.5.6.7", CT_IMAGE_STORAGE, &uid(48));
    ("sec-unknown-syntax.dcm", "A private transfer syntax UID over an explicit VR little endian data set", file)
}

/// Structure faults: wrong meta group length, a meta UID that differs from
/// the data set's, elements out of order, a duplicate, an odd length, an
/// invalid UID and an invalid date.
fn integrity_faults() -> DemoFile {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", SECONDARY_CAPTURE)
        .text(0x0008, 0x0018, "UI", "1.2.03.4")
        .text(0x0008, 0x0020, "DA", "20241399")
        .text(0x0008, 0x0060, "CS", "OT")
        .text(0x0008, 0x0060, "CS", "OT")
        .text(0x0010, 0x0020, "LO", "")
        .text(0x0008, 0x0070, "LO", "ACME");
    // An odd-length value, written by hand (the writer pads).
    w.header(0x0008, 0x1090, "LO", 3);
    w.bytes.extend_from_slice(b"XR1");
    let mut file = part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(49));
    // Meta group length off by two (it is the UL value at 140..144).
    let declared = u32::from_le_bytes([file[140], file[141], file[142], file[143]]) + 2;
    file[140..144].copy_from_slice(&declared.to_le_bytes());
    ("integrity-faults.dcm", "Out-of-order, duplicate and odd-length elements, an invalid UID and date, a wrong meta group length", file)
}

/// A clean file in every respect for the security rules.
pub fn clean_security() -> Vec<u8> {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", CT_IMAGE_STORAGE).text(0x0008, 0x0018, "UI", &uid(50)).text(0x0008, 0x0060, "CS", "CT");
    w.us(0x0028, 0x0002, &[1]).text(0x0028, 0x0004, "CS", "MONOCHROME2").us(0x0028, 0x0010, &[4]).us(0x0028, 0x0011, &[4]);
    w.us(0x0028, 0x0100, &[16]).us(0x0028, 0x0101, &[12]).us(0x0028, 0x0102, &[11]).us(0x0028, 0x0103, &[0]);
    w.pixels_u16(&phantom(4));
    part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(50))
}

pub fn files() -> Vec<DemoFile> {
    vec![
        preamble_pe(),
        preamble_tiff(),
        trailing_zip(),
        embedded_elf(),
        weak_signature(),
        network(),
        lossy_unflagged(),
        unknown_syntax(),
        integrity_faults(),
    ]
}
