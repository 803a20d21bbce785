//! `transfer.*`: what the transfer syntax says about the file (PS3.5 10, PS3.6 A-1).

use crate::options::Options;
use crate::report::{Finding, Severity};
use crate::scan::Scan;
use crate::values::Texts;

pub(super) fn check(scan: &Scan, texts: &Texts, _options: &Options, findings: &mut Vec<Finding>) {
    if !scan.is_dicom {
        return;
    }
    let encoding = &scan.encoding;
    // The evidence is the Transfer Syntax UID element, when the file has one.
    let at = scan.meta_element(dicom_core::Tag(0x0002, 0x0010)).map(|e| e.offset);
    match (encoding.entry, &encoding.uid) {
        (None, Some(uid)) => findings.push(
            Finding::new(
                "transfer.unknown_syntax",
                Severity::Medium,
                format!("transfer syntax {uid} is not in the standard; the data set was read as {} VR {} endian",
                    if encoding.explicit_vr { "explicit" } else { "implicit" },
                    if encoding.big_endian { "big" } else { "little" }),
            )
            .at_opt(at)
            .reference("PS3.6 Table A-1")
            .explain("A private or unknown transfer syntax means other tools may not read the file, or read it differently; what could still be read is shown."),
        ),
        (Some(entry), _) => {
            if entry.retired {
                findings.push(
                    Finding::new("transfer.retired_syntax", Severity::Medium, format!("{} is retired from the standard", entry.name))
                        .at_opt(at)
                        .reference("PS3.5 A.3 / PS3.6 Table A-1")
                        .explain("Retired transfer syntaxes are no longer maintained; receivers may reject or misread them."),
                );
            }
            if entry.deflated {
                findings.push(
                    Finding::new("transfer.deflate", Severity::Info, "the data set is deflate-compressed")
                        .at_opt(at)
                        .reference("PS3.5 A.5")
                        .explain("Deflated data sets hide their content from byte-level scanners; the inspector inflated it, and offsets count in the inflated stream."),
                );
            }
            if entry.lossy == Some(true) {
                findings.push(
                    Finding::new("transfer.lossy", Severity::Low, format!("{} is a lossy compression", entry.name))
                        .at_opt(at)
                        .reference("PS3.5 8.2")
                        .explain("Lossy compression discards image information; a lossy copy is not a faithful original for diagnosis."),
                );
            }
        }
        (None, None) => {}
    }
    lossy_consistency(scan, texts, at, findings);
    if !encoding.explicit_vr {
        findings.push(
            Finding::new("transfer.implicit_vr", Severity::Low, "the data set uses implicit VR: value representations are guessed from the dictionary")
                .at_opt(at)
                .reference("PS3.5 A.1")
                .explain("Without explicit VRs, private and unknown elements are opaque bytes; identifying text in them is easier to miss."),
        );
    }
}

const LOSSY_IMAGE_COMPRESSION: dicom_core::Tag = dicom_core::Tag(0x0028, 0x2110);
const LOSSY_RATIO: dicom_core::Tag = dicom_core::Tag(0x0028, 0x2112);
const LOSSY_METHOD: dicom_core::Tag = dicom_core::Tag(0x0028, 0x2114);

/// Lossy Image Compression (0028,2110) must say 01 when the pixels have been
/// lossy compressed, with the ratio and method (PS3.3 C.7.6.1.1.5).
fn lossy_consistency(scan: &Scan, texts: &Texts, at: Option<u64>, findings: &mut Vec<Finding>) {
    if scan.top_level(crate::scan::PIXEL_DATA).is_none() {
        return;
    }
    let flag = scan.top_level(LOSSY_IMAGE_COMPRESSION);
    let value = flag.map(|e| texts.get(e));
    let lossy_syntax = scan.encoding.entry.is_some_and(|e| e.lossy == Some(true));
    if lossy_syntax && value.as_deref() != Some("01") {
        let said = match value.as_deref() {
            None => "is absent".to_owned(),
            Some(v) => format!("says {v}"),
        };
        findings.push(
            Finding::new("transfer.lossy", Severity::Medium, format!("the pixels are lossy compressed but Lossy Image Compression (0028,2110) {said}"))
                .at_opt(flag.map(|e| e.offset).or(at))
                .reference("PS3.3 C.7.6.1.1.5")
                .explain("Readers rely on (0028,2110) to know an image has lost information; a wrong flag lets a degraded copy pass for an original."),
        );
    }
    if value.as_deref() == Some("01") && (scan.top_level(LOSSY_RATIO).is_none() || scan.top_level(LOSSY_METHOD).is_none()) {
        findings.push(
            Finding::new("transfer.lossy", Severity::Low, "Lossy Image Compression is 01 but the ratio (0028,2112) or method (0028,2114) is missing")
                .at_opt(flag.map(|e| e.offset))
                .reference("PS3.3 C.7.6.1.1.5"),
        );
    }
}
