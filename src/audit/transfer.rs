//! `transfer.*`: what the transfer syntax says about the file (PS3.5 10, PS3.6 A-1).

use crate::options::Options;
use crate::report::{Finding, Severity};
use crate::scan::Scan;

pub(super) fn check(scan: &Scan, _options: &Options, findings: &mut Vec<Finding>) {
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
    if !encoding.explicit_vr {
        findings.push(
            Finding::new("transfer.implicit_vr", Severity::Low, "the data set uses implicit VR: value representations are guessed from the dictionary")
                .at_opt(at)
                .reference("PS3.5 A.1")
                .explain("Without explicit VRs, private and unknown elements are opaque bytes; identifying text in them is easier to miss."),
        );
    }
}
