//! ZIP archives for the page's ZIP input (PKWARE APPNOTE 6.3: 4.3 the
//! layout, 4.4 the fields): a study of demo files, and a bomb.
//!
//! Only what these two files need is written: deflated members (method 8),
//! sizes below 4 GiB (no ZIP64), no encryption, one fixed modification time.
//!
//! ```text
//! [local file header + name + deflated data] per member     (4.3.7)
//! [central directory header + name] per member              (4.3.12)
//! [end of central directory record]                         (4.3.16)
//! ```

use super::hostile;

/// One member, already compressed.
#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    /// Raw deflate stream (RFC 1951).
    pub deflated: Vec<u8>,
    pub crc32: u32,
    pub uncompressed: u64,
}

impl Member {
    /// Deflates `data` into a member named `name` (`/`-separated path).
    pub fn deflate(name: &str, data: &[u8]) -> Member {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        Member { name: name.to_owned(), deflated: super::deflate(data), crc32: crc.sum(), uncompressed: data.len() as u64 }
    }
}

/// 2024-03-15 10:15:00 in MS-DOS date and time (4.4.6).
const DOS_TIME: u16 = (10 << 11) | (15 << 5);
const DOS_DATE: u16 = ((2024 - 1980) << 9) | (3 << 5) | 15;
/// Version 2.0: deflate (4.4.3).
const VERSION: u16 = 20;
const DEFLATE: u16 = 8;

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The fields local and central headers share, from "version needed" to
/// "file name length" and "extra field length" (4.3.7, 4.3.12).
fn common_fields(out: &mut Vec<u8>, m: &Member) {
    u16le(out, VERSION);
    u16le(out, 0); // general purpose flags: no data descriptor, ASCII names
    u16le(out, DEFLATE);
    u16le(out, DOS_TIME);
    u16le(out, DOS_DATE);
    u32le(out, m.crc32);
    u32le(out, u32::try_from(m.deflated.len()).unwrap_or(u32::MAX));
    u32le(out, u32::try_from(m.uncompressed).unwrap_or(u32::MAX));
    u16le(out, u16::try_from(m.name.len()).unwrap_or(u16::MAX));
    u16le(out, 0); // extra field length
}

/// A ZIP archive of the members, in order.
pub fn zip(members: &[Member]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::with_capacity(members.len());
    for m in members {
        offsets.push(out.len() as u32);
        u32le(&mut out, 0x0403_4B50);
        common_fields(&mut out, m);
        out.extend_from_slice(m.name.as_bytes());
        out.extend_from_slice(&m.deflated);
    }
    let directory = out.len() as u32;
    for (m, &offset) in members.iter().zip(&offsets) {
        u32le(&mut out, 0x0201_4B50);
        u16le(&mut out, VERSION); // version made by: MS-DOS, 2.0
        common_fields(&mut out, m);
        u16le(&mut out, 0); // file comment length
        u16le(&mut out, 0); // disk number start
        u16le(&mut out, 0); // internal attributes
        u32le(&mut out, 0); // external attributes
        u32le(&mut out, offset);
        out.extend_from_slice(m.name.as_bytes());
    }
    let directory_len = out.len() as u32 - directory;
    let count = u16::try_from(members.len()).unwrap_or(u16::MAX);
    u32le(&mut out, 0x0605_4B50);
    u16le(&mut out, 0); // this disk
    u16le(&mut out, 0); // disk with the central directory
    u16le(&mut out, count);
    u16le(&mut out, count);
    u32le(&mut out, directory_len);
    u32le(&mut out, directory);
    u16le(&mut out, 0); // comment length
    out
}

/// The demo files put in `demo-study.zip`, under `demo-study/`.
pub const STUDY_MEMBERS: [&str; 4] = ["ct-explicit-le.dcm", "mr-implicit-le.dcm", "phi-burned-in.dcm", "sr-nested-private.dcm"];

/// A few demo files in a folder, and a README that is not DICOM.
pub fn demo_study() -> Vec<u8> {
    let files = super::files();
    let mut members = vec![Member::deflate(
        "README.txt",
        b"Fictional demo files from dicom-inspector: a CT, an MR, an ultrasound-like image with burned-in text\nand a structured report, in demo-study/. No real patient is named here.\n",
    )];
    for name in STUDY_MEMBERS {
        if let Some((_, _, bytes)) = files.iter().find(|(n, ..)| *n == name) {
            members.push(Member::deflate(&format!("demo-study/{name}"), bytes));
        }
    }
    zip(&members)
}

/// Bytes of zeros the bomb's member inflates to after its DICOM header:
/// just over 1 GiB.
pub const BOMB_ZEROS: u64 = (1 << 30) + (1 << 20);

/// One member, `bomb.dcm`, whose deflate stream of about 1 MB inflates to a
/// DICOM header and [`BOMB_ZEROS`] zeros; the headers declare the true size
/// and CRC-32, so a reader that trusts them allocates over 1 GiB.
pub fn zip_bomb() -> Vec<u8> {
    let (deflated, crc32, uncompressed) = hostile::deflated_zeros(&hostile::bomb_header(BOMB_ZEROS), BOMB_ZEROS);
    zip(&[Member { name: "bomb.dcm".to_owned(), deflated, crc32, uncompressed }])
}

/// The archives the page's demo folder offers: `(file, description, bytes, attack)`.
pub fn files() -> Vec<(&'static str, &'static str, Vec<u8>, bool)> {
    vec![
        ("demo-study.zip", "ZIP of four demo files in a folder and a README that is not DICOM", demo_study(), false),
        ("attack-zip-bomb.zip", "1 MB ZIP whose one member inflates past 1 GiB (its headers declare the true size)", zip_bomb(), true),
    ]
}
