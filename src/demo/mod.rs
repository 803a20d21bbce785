//! Demo and test files, written by the project's own encoder.
//!
//! Every patient here is fictional. The files double as teaching material on
//! the page and as fixtures for the tests, so each one shows one thing.
//!
//! [`Writer`] encodes element headers by hand (PS3.5 7.1) in any of the three
//! binary encodings, so that the scanner, which decodes with `dicom-encoding`,
//! is tested against an independent encoder.

use std::io::Write;

mod phi;
mod security;
pub mod archive;
pub mod hostile;
pub mod jpeg;
pub mod large;
pub mod study;
pub mod workloads;

pub use security::{clean_security, pe_preamble};

/// UIDs of the transfer syntaxes the demo files use.
pub mod ts {
    pub const IMPLICIT_LE: &str = "1.2.840.10008.1.2";
    pub const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";
    pub const DEFLATED_LE: &str = "1.2.840.10008.1.2.1.99";
    pub const EXPLICIT_BE: &str = "1.2.840.10008.1.2.2";
    pub const JPEG_LS_LOSSLESS: &str = "1.2.840.10008.1.2.4.80";
    pub const JPEG_EXTENDED: &str = "1.2.840.10008.1.2.4.51";
}

pub const CT_IMAGE_STORAGE: &str = "1.2.840.10008.5.1.4.1.1.2";
pub const MR_IMAGE_STORAGE: &str = "1.2.840.10008.5.1.4.1.1.4";
pub const SECONDARY_CAPTURE: &str = "1.2.840.10008.5.1.4.1.1.7";
pub const BASIC_TEXT_SR: &str = "1.2.840.10008.5.1.4.1.1.88.11";
const IMPLEMENTATION_CLASS_UID: &str = "2.25.255050945152893214725190328211190925813";

/// An encoder of data set bytes in one encoding.
#[derive(Debug, Clone)]
pub struct Writer {
    pub explicit: bool,
    pub big_endian: bool,
    pub bytes: Vec<u8>,
}

/// VRs with a 32-bit length field in explicit VR (PS3.5 Table 7.1-1).
fn long_length(vr: &str) -> bool {
    matches!(vr, "OB" | "OD" | "OF" | "OL" | "OV" | "OW" | "SQ" | "SV" | "UC" | "UN" | "UR" | "UT" | "UV")
}

impl Writer {
    pub fn new(explicit: bool, big_endian: bool) -> Writer {
        Writer { explicit, big_endian, bytes: Vec::new() }
    }

    pub fn explicit_le() -> Writer {
        Writer::new(true, false)
    }

    fn u16(&mut self, v: u16) {
        let b = if self.big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        self.bytes.extend_from_slice(&b);
    }

    fn u32(&mut self, v: u32) {
        let b = if self.big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        self.bytes.extend_from_slice(&b);
    }

    /// Writes an element header with the given value length.
    pub fn header(&mut self, group: u16, element: u16, vr: &str, length: u32) -> &mut Writer {
        self.u16(group);
        self.u16(element);
        if self.explicit {
            self.bytes.extend_from_slice(vr.as_bytes());
            if long_length(vr) {
                self.bytes.extend_from_slice(&[0, 0]);
                self.u32(length);
            } else {
                self.u16(length as u16);
            }
        } else {
            self.u32(length);
        }
        self
    }

    /// Writes an element with raw value bytes (padded to even length with `pad`).
    pub fn raw(&mut self, group: u16, element: u16, vr: &str, value: &[u8], pad: u8) -> &mut Writer {
        let padded = value.len() + value.len() % 2;
        self.header(group, element, vr, padded as u32);
        self.bytes.extend_from_slice(value);
        if value.len() % 2 == 1 {
            self.bytes.push(pad);
        }
        self
    }

    /// Writes a text element, padded per its VR (UI with NUL, others with space).
    pub fn text(&mut self, group: u16, element: u16, vr: &str, value: &str) -> &mut Writer {
        let pad = if vr == "UI" { 0 } else { b' ' };
        self.raw(group, element, vr, value.as_bytes(), pad)
    }

    pub fn us(&mut self, group: u16, element: u16, values: &[u16]) -> &mut Writer {
        self.header(group, element, "US", (values.len() * 2) as u32);
        for &v in values {
            self.u16(v);
        }
        self
    }

    pub fn ul(&mut self, group: u16, element: u16, value: u32) -> &mut Writer {
        self.header(group, element, "UL", 4);
        self.u32(value);
        self
    }

    /// Writes a sequence of already-encoded items, with defined or undefined lengths.
    pub fn sequence(&mut self, group: u16, element: u16, items: &[Writer], defined: bool) -> &mut Writer {
        let body: usize = items.iter().map(|i| i.bytes.len() + 8 + if defined { 0 } else { 8 }).sum();
        self.header(group, element, "SQ", if defined { body as u32 } else { 0xFFFF_FFFF });
        for item in items {
            self.u16(0xFFFE);
            self.u16(0xE000);
            self.u32(if defined { item.bytes.len() as u32 } else { 0xFFFF_FFFF });
            self.bytes.extend_from_slice(&item.bytes);
            if !defined {
                self.u16(0xFFFE);
                self.u16(0xE00D);
                self.u32(0);
            }
        }
        if !defined {
            self.u16(0xFFFE);
            self.u16(0xE0DD);
            self.u32(0);
        }
        self
    }

    /// Writes native 16-bit pixel data (OW).
    pub fn pixels_u16(&mut self, pixels: &[u16]) -> &mut Writer {
        self.header(0x7FE0, 0x0010, "OW", (pixels.len() * 2) as u32);
        for &p in pixels {
            self.u16(p);
        }
        self
    }

    /// Writes encapsulated pixel data: an offset table item, then fragments.
    /// The Image Pixel module's geometry for one-sample MONOCHROME2 images,
    /// in tag order: Number of Frames when `frames` is given, High Bit one
    /// below Bits Stored.
    pub fn grey_image(&mut self, rows: u16, columns: u16, frames: Option<u32>, bits_allocated: u16, bits_stored: u16, signed: bool) -> &mut Writer {
        self.us(0x0028, 0x0002, &[1]).text(0x0028, 0x0004, "CS", "MONOCHROME2");
        if let Some(frames) = frames {
            self.text(0x0028, 0x0008, "IS", &frames.to_string());
        }
        self.us(0x0028, 0x0010, &[rows])
            .us(0x0028, 0x0011, &[columns])
            .us(0x0028, 0x0100, &[bits_allocated])
            .us(0x0028, 0x0101, &[bits_stored])
            .us(0x0028, 0x0102, &[bits_stored.saturating_sub(1)])
            .us(0x0028, 0x0103, &[u16::from(signed)])
    }

    pub fn encapsulated(&mut self, offsets: &[u32], fragments: &[&[u8]]) -> &mut Writer {
        self.header(0x7FE0, 0x0010, "OB", 0xFFFF_FFFF);
        self.u16(0xFFFE);
        self.u16(0xE000);
        self.u32((offsets.len() * 4) as u32);
        for &o in offsets {
            self.u32(o);
        }
        for f in fragments {
            self.u16(0xFFFE);
            self.u16(0xE000);
            self.u32(f.len() as u32);
            self.bytes.extend_from_slice(f);
        }
        self.u16(0xFFFE);
        self.u16(0xE0DD);
        self.u32(0);
        self
    }
}

/// Wraps a data set in a Part 10 file: preamble, `DICM`, File Meta Information.
pub fn part10(dataset: &[u8], transfer_syntax: &str, sop_class: &str, sop_instance: &str) -> Vec<u8> {
    part10_with_preamble(&[0; 128], dataset, transfer_syntax, sop_class, sop_instance)
}

/// [`part10`] with the given 128-byte preamble.
pub fn part10_with_preamble(preamble: &[u8; 128], dataset: &[u8], transfer_syntax: &str, sop_class: &str, sop_instance: &str) -> Vec<u8> {
    let mut meta = Writer::explicit_le();
    meta.raw(0x0002, 0x0001, "OB", &[0, 1], 0)
        .text(0x0002, 0x0002, "UI", sop_class)
        .text(0x0002, 0x0003, "UI", sop_instance)
        .text(0x0002, 0x0010, "UI", transfer_syntax)
        .text(0x0002, 0x0012, "UI", IMPLEMENTATION_CLASS_UID)
        .text(0x0002, 0x0013, "SH", "DICOMINSPECT01");
    let mut out = preamble.to_vec();
    out.extend_from_slice(b"DICM");
    let mut group_length = Writer::explicit_le();
    group_length.ul(0x0002, 0x0000, meta.bytes.len() as u32);
    out.extend_from_slice(&group_length.bytes);
    out.extend_from_slice(&meta.bytes);
    out.extend_from_slice(dataset);
    out
}

/// A fictional patient and study, the identity the demo files carry.
#[derive(Debug, Clone)]
pub struct Patient {
    pub name: &'static str,
    pub id: &'static str,
    pub birth_date: &'static str,
    pub sex: &'static str,
    pub accession: &'static str,
}

pub const JANE: Patient = Patient { name: "DOE^JANE^Q", id: "DEMO-0001", birth_date: "19700101", sex: "F", accession: "ACC-20240001" };
pub const JOHN: Patient = Patient { name: "ROE^RICHARD", id: "DEMO-0002", birth_date: "19551231", sex: "M", accession: "ACC-20240002" };

/// A deterministic UID under 2.25 (UUID-derived root, PS3.5 B.2).
pub fn uid(n: u64) -> String {
    format!("2.25.{}", 0x1234_5678_9ABC_DEF0_u128.wrapping_mul(u128::from(n) + 7) % 10u128.pow(30))
}

/// The patient, study and series elements every demo image carries (groups
/// 0008-0020, in ascending order after (0008,0005) and before (0018,...)).
pub(crate) fn identity(w: &mut Writer, p: &Patient, modality: &str, sop_class: &str, n: u64) {
    w.text(0x0008, 0x0016, "UI", sop_class)
        .text(0x0008, 0x0018, "UI", &uid(n))
        .text(0x0008, 0x0020, "DA", "20240315")
        .text(0x0008, 0x0030, "TM", "101500")
        .text(0x0008, 0x0050, "SH", p.accession)
        .text(0x0008, 0x0060, "CS", modality)
        .text(0x0008, 0x0080, "LO", "Example General Hospital")
        .text(0x0008, 0x0090, "PN", "HOUSE^GREGORY^^DR")
        .text(0x0008, 0x1030, "LO", "Demo study")
        .text(0x0008, 0x103E, "LO", "Demo series")
        .text(0x0010, 0x0010, "PN", p.name)
        .text(0x0010, 0x0020, "LO", p.id)
        .text(0x0010, 0x0030, "DA", p.birth_date)
        .text(0x0010, 0x0040, "CS", p.sex);
}

pub(crate) fn study_series(w: &mut Writer, n: u64) {
    w.text(0x0020, 0x000D, "UI", &uid(1000 + n / 100))
        .text(0x0020, 0x000E, "UI", &uid(2000 + n / 10))
        .text(0x0020, 0x0013, "IS", &(n % 1000).to_string());
}

/// A CT-like phantom: an elliptic body, two lungs and a bright spine, in HU + 1024.
pub fn phantom(size: usize) -> Vec<u16> {
    let mut px = vec![0u16; size * size];
    let c = size as f32 / 2.0;
    for y in 0..size {
        for x in 0..size {
            let (dx, dy) = ((x as f32 - c) / c, (y as f32 - c) / c);
            let body = (dx / 0.85).powi(2) + (dy / 0.65).powi(2) < 1.0;
            let lung = |ox: f32| ((dx - ox) / 0.28).powi(2) + ((dy + 0.05) / 0.4).powi(2) < 1.0;
            let spine = dx.powi(2) + (dy - 0.45).powi(2) < 0.012;
            let hu: i32 = if spine {
                700
            } else if body && (lung(-0.38) || lung(0.38)) {
                -800 + ((x * 7 + y * 13) % 60) as i32
            } else if body {
                40 + ((x * 3 + y * 5) % 20) as i32
            } else {
                -1000
            };
            px[y * size + x] = (hu + 1024).clamp(0, 4095) as u16;
        }
    }
    px
}

pub(crate) fn image_pixel_module(w: &mut Writer, size: u16) {
    image_pixel_module_with(w, size, None);
}

/// The Image Pixel module; `burned_in` writes Burned In Annotation (0028,0301).
pub(crate) fn image_pixel_module_with(w: &mut Writer, size: u16, burned_in: Option<&str>) {
    w.grey_image(size, size, None, 16, 12, false);
    if let Some(value) = burned_in {
        w.text(0x0028, 0x0301, "CS", value);
    }
    w.text(0x0028, 0x1050, "DS", "40\\-600")
        .text(0x0028, 0x1051, "DS", "400\\1500")
        .text(0x0028, 0x1052, "DS", "-1024")
        .text(0x0028, 0x1053, "DS", "1");
}

/// A CT slice with a phantom image, in the given encoding.
pub fn ct_slice(p: &Patient, n: u64, size: u16, explicit: bool, big_endian: bool) -> Vec<u8> {
    let mut w = Writer::new(explicit, big_endian);
    w.text(0x0008, 0x0005, "CS", "ISO_IR 100");
    identity(&mut w, p, "CT", CT_IMAGE_STORAGE, n);
    w.text(0x0018, 0x0050, "DS", "1.25").text(0x0018, 0x0060, "DS", "120");
    study_series(&mut w, n);
    image_pixel_module(&mut w, size);
    w.pixels_u16(&phantom(size as usize));
    w.bytes
}

/// A CT slice whose phantom is one encapsulated fragment: `encode` makes
/// the stream from the phantom's 12-bit values, and may add attributes
/// that describe it after the Image Pixel module.
fn encapsulated_slice(p: &Patient, n: u64, size: u16, encode: impl FnOnce(&[u16], &mut Writer) -> Vec<u8>) -> Vec<u8> {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0005, "CS", "ISO_IR 100");
    identity(&mut w, p, "CT", CT_IMAGE_STORAGE, n);
    study_series(&mut w, n);
    image_pixel_module(&mut w, size);
    let mut stream = encode(&phantom(usize::from(size)), &mut w);
    if stream.len() % 2 == 1 {
        stream.push(0);
    }
    w.encapsulated(&[], &[&stream]);
    w.bytes
}

/// A CT slice as one JPEG-LS lossless fragment (12 bits).
fn jpeg_ls_slice(p: &Patient, n: u64, size: u16) -> Vec<u8> {
    encapsulated_slice(p, n, size, |samples, _| {
        let mut options = jpegls::EncodeOptions::default();
        options.precision = Some(12);
        let mut stream = Vec::new();
        // Encoding values of 12 bits into memory cannot fail.
        if jpegls::encode_with_options(samples, u32::from(size), u32::from(size), &options, &mut stream).is_err() {
            stream.clear();
        }
        stream
    })
}

/// A CT slice as a 12-bit JPEG (extended sequential, process 4), as
/// older CT and MR archives hold them: lossy, and saying so (Lossy Image
/// Compression 01 with its ratio and method).
fn jpeg_12bit_slice(p: &Patient, n: u64, size: u16) -> Vec<u8> {
    encapsulated_slice(p, n, size, |samples, w| {
        // Coarser steps for the higher frequencies, as quality tables have.
        let q: [u16; 64] = std::array::from_fn(|k| 2 + k as u16 / 4);
        let stream = jpeg::encode(samples, size, size, 12, &q);
        let ratio = format!("{:.1}", (samples.len() * 2) as f64 / stream.len() as f64);
        w.text(0x0028, 0x2110, "CS", "01").text(0x0028, 0x2112, "DS", &ratio).text(0x0028, 0x2114, "CS", "ISO_10918_1");
        stream
    })
}

/// One file of each kind the foundation shows, by file name.
pub fn files() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut out = Vec::new();

    let ct = ct_slice(&JANE, 1, 256, true, false);
    out.push(("ct-explicit-le.dcm", "CT slice, Explicit VR Little Endian, fictional patient", part10(&ct, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(1))));

    let mut mr = Writer::new(false, false);
    identity(&mut mr, &JOHN, "MR", MR_IMAGE_STORAGE, 2);
    study_series(&mut mr, 2);
    image_pixel_module(&mut mr, 128);
    mr.pixels_u16(&phantom(128));
    out.push(("mr-implicit-le.dcm", "MR slice, Implicit VR Little Endian (VRs from the dictionary)", part10(&mr.bytes, ts::IMPLICIT_LE, MR_IMAGE_STORAGE, &uid(2))));

    let be = ct_slice(&JOHN, 3, 64, true, true);
    out.push(("ct-big-endian.dcm", "CT slice, Explicit VR Big Endian (retired syntax)", part10(&be, ts::EXPLICIT_BE, CT_IMAGE_STORAGE, &uid(3))));

    let deflated = deflate(&ct_slice(&JANE, 4, 64, true, false));
    out.push(("ct-deflated.dcm", "CT slice, Deflated Explicit VR Little Endian", part10(&deflated, ts::DEFLATED_LE, CT_IMAGE_STORAGE, &uid(4))));

    out.push(("ct-jpeg-ls.dcm", "CT slice compressed with JPEG-LS lossless, decoded in the browser", part10(&jpeg_ls_slice(&JANE, 6, 128), ts::JPEG_LS_LOSSLESS, CT_IMAGE_STORAGE, &uid(6))));
    out.push(("ct-jpeg-12bit.dcm", "CT slice as a 12-bit lossy JPEG (process 4), decoded in the browser", part10(&jpeg_12bit_slice(&JANE, 7, 128), ts::JPEG_EXTENDED, CT_IMAGE_STORAGE, &uid(7))));

    out.push(("sr-nested-private.dcm", "Report with nested sequences, private tags and UTF-8 names", part10(&nested_private(), ts::EXPLICIT_LE, BASIC_TEXT_SR, &uid(5))));
    out.extend(phi::files());
    out.extend(security::files());
    out
}

/// One file of the page's demo folder, as `dicom-inspect demo` writes it and
/// lists it in the folder's `index.json`.
#[derive(Debug, Clone)]
pub struct PageFile {
    /// Path inside the demo folder, `/`-separated (`study/DICOMDIR`).
    pub file: String,
    pub description: String,
    pub bytes: Vec<u8>,
    /// Built to hurt whatever opens it (safe in the page: that is the point).
    pub attack: bool,
    /// The folder the file belongs to, for files that only make sense
    /// together (a DICOMDIR and the files it references).
    pub folder: Option<&'static str>,
}

impl PageFile {
    /// The file's entry in `index.json`: `{file, description, bytes, attack}`
    /// and `folder` when it has one.
    pub fn index_entry(&self) -> serde_json::Value {
        let mut entry = serde_json::json!({ "file": self.file, "description": self.description, "bytes": self.bytes.len(), "attack": self.attack });
        if let (Some(folder), Some(map)) = (self.folder, entry.as_object_mut()) {
            map.insert("folder".to_owned(), folder.into());
        }
        entry
    }
}

/// Every file of the page's demo folder: the demo files, the attack files,
/// the DICOMDIR study, the large structured report and the ZIP archives.
pub fn page_files() -> Vec<PageFile> {
    let plain = |(name, description, bytes): (&str, &str, Vec<u8>), attack: bool| PageFile { file: name.to_owned(), description: description.to_owned(), bytes, attack, folder: None };
    let mut out: Vec<PageFile> = files().into_iter().map(|f| plain(f, false)).collect();
    out.extend(hostile::files().into_iter().map(|f| plain(f, true)));
    out.extend(study::files().into_iter().map(|(file, description, bytes)| PageFile { file, description: description.to_owned(), bytes, attack: false, folder: Some("study") }));
    out.push(plain(("big-structured-report.dcm", "Comprehensive SR with 4,900 measurements in 100 groups: about 60,000 elements", large::big_structured_report()), false));
    out.extend(archive::files().into_iter().map(|(name, description, bytes, attack)| plain((name, description, bytes), attack)));
    out
}

/// Nested sequences (defined and undefined lengths), private creators and
/// private elements, and a UTF-8 character set.
pub fn nested_private() -> Vec<u8> {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0005, "CS", "ISO_IR 192")
        .text(0x0008, 0x0016, "UI", BASIC_TEXT_SR)
        .text(0x0008, 0x0018, "UI", &uid(5))
        .text(0x0008, 0x0020, "DA", "20240316")
        .text(0x0008, 0x0060, "CS", "SR");
    let mut referenced = Writer::explicit_le();
    referenced.text(0x0008, 0x1150, "UI", CT_IMAGE_STORAGE).text(0x0008, 0x1155, "UI", &uid(1));
    w.sequence(0x0008, 0x1115, &[referenced], true);
    w.text(0x0010, 0x0010, "PN", "MÜLLER^JÜRGEN")
        .text(0x0010, 0x0020, "LO", "DEMO-0003")
        .text(0x0010, 0x0030, "DA", "19811111");
    // Private block 0x10 of group 0x0029, reserved by a creator string.
    w.text(0x0029, 0x0010, "LO", "DICOM INSPECTOR DEMO")
        .text(0x0029, 0x1010, "LO", "Operator: MÜLLER^JÜRGEN")
        .raw(0x0029, 0x1020, "OB", b"\x00\x01\x02\x03", 0);
    // Request Attributes Sequence with a nested Scheduled Protocol Code Sequence.
    let mut code = Writer::explicit_le();
    code.text(0x0008, 0x0100, "SH", "CT-CHEST").text(0x0008, 0x0102, "SH", "DEMO").text(0x0008, 0x0104, "LO", "CT chest without contrast");
    let mut request = Writer::explicit_le();
    request.sequence(0x0040, 0x0008, &[code], false).text(0x0040, 0x1001, "SH", "RP-77");
    let mut second = Writer::explicit_le();
    second.text(0x0040, 0x1001, "SH", "RP-78");
    w.sequence(0x0040, 0x0275, &[request, second], false);
    w.text(0x0040, 0xA160, "UT", "Findings discussed with MÜLLER^JÜRGEN by phone.");
    w.bytes
}

/// Raw deflate (RFC 1951, no zlib header), as PS3.5 A.5 requires.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// The benchmark workload (scripts/bench): a CT series of `count` slices of
/// 512×512 16-bit pixels with a realistic header (about 250 elements, a few
/// sequences, private tags), one per file name.
pub fn ct_series(count: u32) -> Vec<(String, Vec<u8>)> {
    ct_series_of(count, &[JANE])
}

/// [`ct_series`] of several patients, slice `n` the `n % patients.len()`th
/// patient's (one study and series each): a batch whose files carry
/// each other's identities (scripts/bench-page).
pub fn ct_series_of(count: u32, patients: &[Patient]) -> Vec<(String, Vec<u8>)> {
    let pixels = phantom(512);
    (0..count)
        .map(|n| {
            let k = 100 + u64::from(n);
            let which = n as usize % patients.len().max(1);
            let patient = patients.get(which).unwrap_or(&JANE);
            let mut w = Writer::explicit_le();
            w.text(0x0008, 0x0005, "CS", "ISO_IR 100")
                .text(0x0008, 0x0008, "CS", "ORIGINAL\\PRIMARY\\AXIAL")
                .text(0x0008, 0x0016, "UI", CT_IMAGE_STORAGE)
                .text(0x0008, 0x0018, "UI", &uid(k))
                .text(0x0008, 0x0020, "DA", "20240315")
                .text(0x0008, 0x0030, "TM", "101500")
                .text(0x0008, 0x0050, "SH", patient.accession)
                .text(0x0008, 0x0060, "CS", "CT")
                .text(0x0008, 0x0070, "LO", "DEMO MEDICAL")
                .text(0x0008, 0x0080, "LO", "Example General Hospital")
                .text(0x0008, 0x0090, "PN", "HOUSE^GREGORY^^DR")
                .text(0x0008, 0x1010, "SH", "CT01")
                .text(0x0008, 0x1030, "LO", "CT chest");
            let mut code = Writer::explicit_le();
            code.text(0x0008, 0x0100, "SH", "CT-CHEST").text(0x0008, 0x0102, "SH", "DEMO").text(0x0008, 0x0104, "LO", "CT chest");
            w.sequence(0x0008, 0x1032, &[code], false);
            w.text(0x0008, 0x103E, "LO", "Axial 1.25 mm");
            let mut referenced = Writer::explicit_le();
            referenced.text(0x0008, 0x1150, "UI", CT_IMAGE_STORAGE).text(0x0008, 0x1155, "UI", &uid(99));
            w.sequence(0x0008, 0x1140, &[referenced], true);
            // Vendor-style private groups: creators and blocks of values.
            w.text(0x0009, 0x0010, "LO", "DEMO SCANNER 1.0");
            for e in 0..80u16 {
                w.text(0x0009, 0x1000 + e, "LO", &format!("param-{e}-{}", n % 7));
            }
            w.text(0x0010, 0x0010, "PN", patient.name)
                .text(0x0010, 0x0020, "LO", patient.id)
                .text(0x0010, 0x0030, "DA", patient.birth_date)
                .text(0x0010, 0x0040, "CS", patient.sex)
                .text(0x0010, 0x1010, "AS", "054Y")
                .text(0x0010, 0x1030, "DS", "71.5");
            w.text(0x0018, 0x0015, "CS", "CHEST").text(0x0018, 0x0050, "DS", "1.25").text(0x0018, 0x0060, "DS", "120").text(0x0018, 0x1151, "IS", "200");
            w.text(0x0019, 0x0010, "LO", "DEMO SCANNER 1.0");
            for e in 0..80u16 {
                w.text(0x0019, 0x1000 + e, "DS", &format!("{}.{}", e, n % 10));
            }
            w.text(0x0020, 0x000D, "UI", &uid(1000 + which as u64)).text(0x0020, 0x000E, "UI", &uid(2000 + which as u64)).text(0x0020, 0x0013, "IS", &n.to_string());
            w.text(0x0020, 0x0032, "DS", &format!("-250\\-250\\{}", f64::from(n) * -1.25))
                .text(0x0020, 0x0037, "DS", "1\\0\\0\\0\\1\\0")
                .text(0x0020, 0x0052, "UI", &uid(98))
                .text(0x0020, 0x1041, "DS", &format!("{}", f64::from(n) * -1.25));
            image_pixel_module(&mut w, 512);
            w.pixels_u16(&pixels);
            (format!("ct-{n:04}.dcm"), part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(k)))
        })
        .collect()
}
