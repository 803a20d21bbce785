//! The report: the public, documented output format (see `docs/report.md`).
//!
//! Everything here is plain data with `serde` derives; the CLI prints it as
//! JSON, and the WASM boundary hands it to JavaScript as numbers that
//! `www/strings.js` makes this report again (`json::to_packed`).

use std::borrow::Cow;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// How much a finding matters. Ordered: `Info < Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            _ => None,
        }
    }
}

/// One thing the inspector noticed, with where it sits in the file.
///
/// Codes, references and explanations are constants, and many messages too:
/// they are borrowed, not copied into every finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Dotted code from the families `phi.*`, `security.*`, `transfer.*`, `integrity.*`.
    pub code: Cow<'static, str>,
    pub severity: Severity,
    /// The element's own tag as `(GGGG,EEEE)`; null for whole-file findings.
    /// (A short string held inline, as is a short path: most findings
    /// allocate neither.)
    pub tag: Option<CompactString>,
    /// DCMTK path syntax `(SEQ)[item].(TAG)`; null for whole-file findings.
    pub path: Option<CompactString>,
    /// Byte offset of the element header (or of the fault) in the file; for a
    /// deflated data set, in the inflated stream (see `docs/report.md`).
    pub offset: Option<u64>,
    /// Bytes of evidence from `offset` (trailing data, a payload), when it has a length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
    /// One line for a person. Never contains the identifying value itself.
    pub message: Cow<'static, str>,
    /// Why it matters and what the standard says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Cow<'static, str>>,
    pub reference: Option<Cow<'static, str>>,
}

impl Finding {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<Cow<'static, str>>) -> Finding {
        Finding {
            code: Cow::Borrowed(code),
            severity,
            tag: None,
            path: None,
            offset: None,
            length: None,
            message: message.into(),
            explanation: None,
            reference: None,
        }
    }

    pub fn at(mut self, offset: u64) -> Finding {
        self.offset = Some(offset);
        self
    }

    pub fn span(mut self, length: u64) -> Finding {
        self.length = Some(length);
        self
    }

    pub fn at_opt(mut self, offset: Option<u64>) -> Finding {
        self.offset = offset;
        self
    }

    pub fn element(mut self, tag: impl Into<CompactString>, path: impl Into<CompactString>) -> Finding {
        self.tag = Some(tag.into());
        self.path = Some(path.into());
        self
    }

    pub fn reference(mut self, reference: &'static str) -> Finding {
        self.reference = Some(Cow::Borrowed(reference));
        self
    }

    pub fn explain(mut self, explanation: &'static str) -> Finding {
        self.explanation = Some(Cow::Borrowed(explanation));
        self
    }
}

/// The shared parts without floats: equal is written the same.
macro_rules! same_json_by_eq {
    ($($part:ty),*) => {
        $(impl crate::json::SameJson for $part {
            fn same_json(&self, other: &Self) -> bool {
                self == other
            }
        })*
    };
}
same_json_by_eq!(Tool, Summary, MetaReport, TransferSyntaxReport, UidReport);

impl crate::json::SameJson for PixelsReport {
    /// The window presets' numbers by their bits; text regions (with
    /// scores) only when neither has any.
    fn same_json(&self, other: &Self) -> bool {
        // Every field named, so that a new one is not forgotten here.
        let PixelsReport { rows, columns, frames, samples_per_pixel, bits_allocated, bits_stored, signed, photometric_interpretation, windows, decodable, decode_error, text_regions } =
            self;
        (rows, columns, frames, samples_per_pixel, bits_allocated, bits_stored, signed, decodable)
            == (&other.rows, &other.columns, &other.frames, &other.samples_per_pixel, &other.bits_allocated, &other.bits_stored, &other.signed, &other.decodable)
            && *photometric_interpretation == other.photometric_interpretation
            && *decode_error == other.decode_error
            && text_regions.is_empty()
            && other.text_regions.is_empty()
            && windows.len() == other.windows.len()
            && windows.iter().zip(&other.windows).all(|(x, y)| x.0.to_bits() == y.0.to_bits() && x.1.to_bits() == y.1.to_bits() && x.2 == y.2)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Tool {
        Tool { name: "dicom-inspector".into(), version: env!("CARGO_PKG_VERSION").into() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferSyntaxReport {
    pub uid: Option<String>,
    pub name: String,
    pub explicit_vr: bool,
    pub big_endian: bool,
    pub deflated: bool,
    pub encapsulated: bool,
    /// `true` lossy, `false` lossless, null when the syntax allows either or is unknown.
    pub lossy: Option<bool>,
    pub retired: bool,
    /// `meta` (read from (0002,0010)), `guessed` (no or unusable meta) or `fallback`.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UidReport {
    pub uid: String,
    pub name: Option<String>,
}

/// The line a person reads first: who and what this file is about.
/// These values are identifying by nature; the CLI's human output shows them,
/// the JSON carries them because the page renders them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    pub patient_name: Option<String>,
    pub patient_id: Option<String>,
    pub patient_birth_date: Option<String>,
    pub accession_number: Option<String>,
    pub study_date: Option<String>,
    pub study_description: Option<String>,
    pub series_description: Option<String>,
    pub modality: Option<String>,
    pub study_instance_uid: Option<String>,
    pub series_instance_uid: Option<String>,
    pub sop_instance_uid: Option<String>,
}

/// One node of the element tree, in document order. Items, fragments and
/// nested elements point at their parent through `parent` (an index in the
/// same list), so the tree travels as one flat array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementReport {
    /// `element`, `sequence`, `item`, `pixel_sequence` or `fragment`.
    pub kind: String,
    pub tag: String,
    /// Dictionary keyword, `PrivateCreator`, the private creator's label, or `Unknown`.
    pub name: String,
    pub vr: String,
    pub vm: u32,
    /// Value length; null when undefined (0xFFFFFFFF).
    pub length: Option<u32>,
    /// Byte offset of the element header.
    pub offset: u64,
    pub depth: u32,
    pub parent: Option<u32>,
    pub path: String,
    /// Text for text VRs and numbers, a short hex preview for binary values.
    pub value: Option<String>,
    pub private_creator: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FragmentReport {
    pub offset: u64,
    pub length: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PixelDataReport {
    pub offset: u64,
    pub vr: String,
    pub encapsulated: bool,
    /// Native pixel data: the value length; encapsulated: null.
    pub length: Option<u32>,
    /// Basic offset table entries (encapsulated only).
    pub basic_offset_table: Vec<u32>,
    /// Encapsulated fragments after the offset table item.
    pub fragments: Vec<FragmentReport>,
}

/// What the pixels are and whether the inspector could decode them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PixelsReport {
    pub rows: u32,
    pub columns: u32,
    pub frames: u32,
    pub samples_per_pixel: u16,
    pub bits_allocated: u16,
    pub bits_stored: u16,
    pub signed: bool,
    pub photometric_interpretation: String,
    /// Window presets in the file: [center, width, explanation].
    pub windows: Vec<(f64, f64, String)>,
    /// Whether the first frame decoded.
    pub decodable: bool,
    /// Why not, in words, when it did not.
    pub decode_error: Option<String>,
    /// Text-like regions found in the pixels, per scanned frame.
    pub text_regions: Vec<crate::pixels::render::FrameText>,
}

/// A headers-only read of the first bytes of a file (`Options::file_size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialReport {
    /// Bytes given: the first bytes of the file.
    pub loaded_bytes: u64,
    /// Bytes in the whole file.
    pub file_size: u64,
    /// The headers go on past the bytes given: read at least this many bytes
    /// (the end of the element the walk stopped in, or double the bytes
    /// given, never past `file_size`) and inspect again. Null when the walk
    /// reached the pixel data: the headers are complete.
    pub needs_bytes: Option<u64>,
}

/// A DICOMDIR's directory records (PS3.3 F.5), in the order of the tree
/// its offsets link (see `src/dicomdir.rs`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DicomdirReport {
    pub records: Vec<DirectoryRecordReport>,
}

/// One directory record: what it is, the file it references (if any), and
/// the patient, study and series it belongs to (its own values, else those
/// of its enclosing PATIENT, STUDY and SERIES records).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectoryRecordReport {
    /// Directory Record Type (0004,1430): `PATIENT`, `STUDY`, `SERIES`, `IMAGE`, ...
    pub record_type: Option<String>,
    /// Referenced File ID (0004,1500), its components joined with `/`.
    pub file_id: Option<String>,
    /// Referenced SOP Class UID in File (0004,1510).
    pub sop_class_uid: Option<String>,
    /// Referenced SOP Instance UID in File (0004,1511).
    pub sop_instance_uid: Option<String>,
    /// Referenced Transfer Syntax UID in File (0004,1512).
    pub transfer_syntax_uid: Option<String>,
    pub patient_id: Option<String>,
    pub patient_name: Option<String>,
    pub study_instance_uid: Option<String>,
    pub series_instance_uid: Option<String>,
    /// Byte offset of the record's item in the file.
    pub offset: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetaReport {
    pub preamble: bool,
    /// `DICM` at offset 128 (or at 0 when the preamble is missing).
    pub magic: bool,
    pub file_meta: bool,
    pub implementation_class_uid: Option<String>,
    pub implementation_version_name: Option<String>,
    pub source_application_entity_title: Option<String>,
    /// Offset of the first data set element (after the meta group).
    pub dataset_offset: u64,
}

/// (Over the WASM boundary, numbers: `json::to_packed` names every field,
/// so a new one must be packed, and `www/strings.js` must make it again.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileReport {
    pub path: String,
    pub size: u64,
    /// False when nothing in the file looks like DICOM.
    pub is_dicom: bool,
    pub meta: MetaReport,
    pub transfer_syntax: Option<TransferSyntaxReport>,
    pub sop_class: Option<UidReport>,
    pub character_set: Option<String>,
    pub summary: FileSummary,
    pub element_count: u32,
    pub pixel_data: Option<PixelDataReport>,
    /// The image, when the file has pixel data and a pixel description.
    pub pixels: Option<PixelsReport>,
    pub findings: Vec<Finding>,
    /// Present when only the first bytes of the file were inspected
    /// (`Options::file_size`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<PartialReport>,
    /// The directory records, when the file is a DICOMDIR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dicomdir: Option<DicomdirReport>,
    /// Present when asked for (`--elements`, or `elements: true` in the page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<Vec<ElementReport>>,
    /// Rows left out of `elements` by `max_report_elements`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub elements_omitted: u32,
}

impl FileReport {
    pub fn highest_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub info: u32,
    pub low: u32,
    pub medium: u32,
    pub high: u32,
}

impl SeverityCounts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Info => self.info += 1,
            Severity::Low => self.low += 1,
            Severity::Medium => self.medium += 1,
            Severity::High => self.high += 1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub files: u32,
    pub dicom_files: u32,
    pub not_dicom: u32,
    pub findings: SeverityCounts,
    pub highest_severity: Option<Severity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub tool: Tool,
    pub files: Vec<FileReport>,
    pub summary: Summary,
}

impl Report {
    /// Builds a batch report and its summary from per-file reports.
    pub fn from_files(files: Vec<FileReport>) -> Report {
        let mut summary = Summary::default();
        for f in &files {
            summary.add(f);
        }
        Report { tool: Tool::default(), files, summary }
    }
}

impl Summary {
    /// Counts one more file (for a report written a file at a time).
    pub fn add(&mut self, f: &FileReport) {
        self.files += 1;
        if f.is_dicom {
            self.dicom_files += 1;
        } else {
            self.not_dicom += 1;
        }
        for finding in &f.findings {
            self.findings.add(finding.severity);
        }
        self.highest_severity = self.highest_severity.max(f.highest_severity());
    }

    /// Adds the counts of another summary (of other files).
    pub fn merge(&mut self, other: &Summary) {
        self.files += other.files;
        self.dicom_files += other.dicom_files;
        self.not_dicom += other.not_dicom;
        self.findings.info += other.findings.info;
        self.findings.low += other.findings.low;
        self.findings.medium += other.findings.medium;
        self.findings.high += other.findings.high;
        self.highest_severity = self.highest_severity.max(other.highest_severity);
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// `(GGGG,EEEE)` in upper-case hex, as the report and DCMTK write tags.
pub fn format_tag(group: u16, element: u16) -> String {
    tag_bytes(group, element).iter().map(|&b| char::from(b)).collect()
}

/// `(GGGG,EEEE)` as a finding's tag: eleven bytes, held inline.
pub fn tag_text(group: u16, element: u16) -> CompactString {
    CompactString::from_utf8(tag_bytes(group, element)).unwrap_or_default()
}

/// Appends `(GGGG,EEEE)` (one finding or path segment each, so written
/// without the formatting machinery).
pub fn push_tag(s: &mut impl std::fmt::Write, group: u16, element: u16) {
    let text = tag_bytes(group, element);
    let _ = s.write_str(std::str::from_utf8(&text).unwrap_or_default());
}

fn tag_bytes(group: u16, element: u16) -> [u8; 11] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut text = *b"(0000,0000)";
    for (i, shift) in [12, 8, 4, 0].into_iter().enumerate() {
        text[1 + i] = HEX[usize::from((group >> shift) & 0xF)];
        text[6 + i] = HEX[usize::from((element >> shift) & 0xF)];
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_are_upper_case_hex() {
        assert_eq!(super::format_tag(0x7FE0, 0x0010), "(7FE0,0010)");
        assert_eq!(super::format_tag(0xfffe, 0xe0dd), "(FFFE,E0DD)");
    }
}
