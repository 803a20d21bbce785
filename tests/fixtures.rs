//! The project's own demo files: each reads back exactly as written.

use dicom_inspector::report::Severity;
use dicom_inspector::{demo, inspect_file, Options};

fn report(name: &str) -> dicom_inspector::FileReport {
    let (_, _, bytes) = demo::files().into_iter().find(|(n, _, _)| *n == name).expect("demo file");
    inspect_file(&bytes, &Options::default().with_path(name).with_elements(true))
}

#[test]
fn every_demo_file_reads_without_integrity_faults() {
    // Broken on purpose (tests/security.rs and tests/pixels.rs check them):
    // the lossy demo carries JPEG markers, not a decodable image.
    let broken = ["integrity-faults.dcm", "sec-trailing-zip.dcm", "sec-lossy-unflagged.dcm"];
    for (name, _, bytes) in demo::files() {
        let r = inspect_file(&bytes, &Options::default());
        assert!(r.is_dicom, "{name}");
        if broken.contains(&name) {
            continue;
        }
        let faults: Vec<_> = r.findings.iter().filter(|f| f.code.starts_with("integrity.") && f.severity > dicom_inspector::Severity::Info).collect();
        assert!(faults.is_empty(), "{name}: {faults:?}");
    }
}

#[test]
fn ct_summary_and_transfer_syntax() {
    let r = report("ct-explicit-le.dcm");
    let ts = r.transfer_syntax.as_ref().unwrap();
    assert_eq!(ts.uid.as_deref(), Some("1.2.840.10008.1.2.1"));
    assert_eq!(ts.name, "Explicit VR Little Endian");
    assert_eq!(r.sop_class.as_ref().unwrap().name.as_deref(), Some("CT Image Storage"));
    assert_eq!(r.summary.patient_name.as_deref(), Some("DOE^JANE^Q"));
    assert_eq!(r.summary.modality.as_deref(), Some("CT"));
    let px = r.pixel_data.as_ref().unwrap();
    assert_eq!(px.length, Some(256 * 256 * 2));
    assert!(!px.encapsulated);
}

#[test]
fn implicit_file_gets_dictionary_vrs_and_a_finding() {
    let r = report("mr-implicit-le.dcm");
    let name = r.elements.as_ref().unwrap().iter().find(|e| e.tag == "(0010,0010)").unwrap();
    assert_eq!(name.vr, "PN");
    assert_eq!(name.value.as_deref(), Some("ROE^RICHARD"));
    assert!(r.findings.iter().any(|f| f.code == "transfer.implicit_vr" && f.severity == Severity::Low));
}

#[test]
fn big_endian_and_deflated_read_back() {
    let be = report("ct-big-endian.dcm");
    assert!(be.transfer_syntax.as_ref().unwrap().big_endian);
    let rows = be.elements.as_ref().unwrap().iter().find(|e| e.tag == "(0028,0010)").unwrap();
    assert_eq!(rows.value.as_deref(), Some("64"));
    assert!(be.findings.iter().any(|f| f.code == "transfer.retired_syntax"));

    let d = report("ct-deflated.dcm");
    assert!(d.transfer_syntax.as_ref().unwrap().deflated);
    assert_eq!(d.summary.patient_name.as_deref(), Some("DOE^JANE^Q"));
    assert!(d.findings.iter().any(|f| f.code == "transfer.deflate" && f.severity == Severity::Info));
}

#[test]
fn nested_sequences_private_creators_and_utf8() {
    let r = report("sr-nested-private.dcm");
    let elements = r.elements.as_ref().unwrap();
    let by_path = |p: &str| elements.iter().find(|e| e.path == p).unwrap_or_else(|| panic!("no {p}"));
    assert_eq!(by_path("(0010,0010)").value.as_deref(), Some("MÜLLER^JÜRGEN"));
    let code = by_path("(0040,0275)[0].(0040,0008)[0].(0008,0104)");
    assert_eq!(code.value.as_deref(), Some("CT chest without contrast"));
    assert_eq!(code.depth, 4);
    assert_eq!(by_path("(0040,0275)[1].(0040,1001)").value.as_deref(), Some("RP-78"));
    let private = by_path("(0029,1010)");
    assert_eq!(private.private_creator.as_deref(), Some("DICOM INSPECTOR DEMO"));
    assert_eq!(by_path("(0029,0010)").name, "PrivateCreator");
    let seq = by_path("(0008,1115)");
    assert_eq!(seq.kind, "sequence");
    assert!(seq.length.is_some(), "defined-length sequence");
    assert_eq!(by_path("(0040,0275)").length, None, "undefined-length sequence");
    // Offsets point at the header: the tag bytes are there.
    let (_, _, bytes) = demo::files().into_iter().find(|(n, _, _)| *n == "sr-nested-private.dcm").unwrap();
    let at = private.offset as usize;
    assert_eq!(&bytes[at..at + 4], &[0x29, 0x00, 0x10, 0x10]);
}

#[test]
fn report_json_has_the_documented_shape() {
    // The implicit VR file has at least one finding (transfer.implicit_vr).
    let (_, _, bytes) = demo::files().remove(1);
    let report = dicom_inspector::inspect(&bytes, &Options::default().with_path("mr.dcm"));
    let v: serde_json::Value = serde_json::to_value(&report).unwrap();
    assert_eq!(v["tool"]["name"], "dicom-inspector");
    let file = &v["files"][0];
    for key in ["path", "size", "transfer_syntax", "sop_class", "element_count", "findings", "summary"] {
        assert!(!file[key].is_null(), "missing {key}");
    }
    assert!(file.get("elements").is_none(), "elements only when asked");
    let finding = &file["findings"][0];
    for key in ["code", "severity", "tag", "path", "offset", "message", "reference"] {
        assert!(finding.get(key).is_some(), "finding lacks {key}");
    }
    assert!(v["summary"]["findings"]["low"].as_u64().is_some());
}
