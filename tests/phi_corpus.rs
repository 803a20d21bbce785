//! Every Annex E attribute present in the corpus, per file, compared with an
//! independent reading by pydicom (scripts/annex_e_reference.py), so that
//! nothing present is missed at any depth.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use dicom_inspector::{inspect_file, Options};

/// Codes that report a profile attribute where it sits.
const PROFILE_CODES: [&str; 4] = ["phi.attribute", "phi.structured_content", "phi.graphics", "phi.overlay"];

/// What we find that pydicom does not, and why.
const KNOWN_EXTRA: [(&str, &str, &str); 1] = [(
    "pydicom/test_files/priv_SQ.dcm",
    "(3F03,1001)[0].(0008,0090)",
    "the private UN value holds an implicit VR sequence (CP-246), which we read and pydicom leaves as bytes",
)];

#[test]
fn annex_e_attributes_agree_with_pydicom() {
    let Some(dir) = common::corpus_dir("Annex E corpus comparison") else { return };
    if !common::python_has("pydicom", "Annex E corpus comparison") {
        return;
    }
    let rows = common::manifest(&dir);
    // Files pydicom itself could barely read are no reference.
    let files: Vec<_> = rows.iter().filter(|r| !r.notes.contains("parsed only")).collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/annex_e_reference.py");
    let out = Command::new("python3").arg(script).args(files.iter().map(|r| dir.join(&r.path))).output().expect("run pydicom reference");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut theirs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let (file, path) = line.split_once('\t').expect("file\tpath");
        assert!(!path.starts_with("ERROR"), "pydicom failed on {file}: {path}");
        theirs.entry(file.to_owned()).or_default().insert(path.to_owned());
    }

    let mut total = 0;
    let mut differences = Vec::new();
    for row in &files {
        let full = dir.join(&row.path);
        let report = inspect_file(&std::fs::read(&full).expect("read"), &Options::default());
        let ours: BTreeSet<String> = report
            .findings
            .iter()
            .filter(|f| PROFILE_CODES.contains(&&*f.code))
            .filter_map(|f| f.path.as_ref().map(|p| p.to_string()))
            .filter(|p| p != "(7FE0,0010)")
            .collect();
        let expected = theirs.remove(&full.display().to_string()).unwrap_or_default();
        total += expected.len();
        let missed: Vec<_> = expected.difference(&ours).collect();
        let extra: Vec<_> = ours
            .difference(&expected)
            .filter(|p| !KNOWN_EXTRA.iter().any(|(file, path, _)| *file == row.path && path == p))
            .collect();
        if !missed.is_empty() || !extra.is_empty() {
            differences.push(format!("{}: missed {missed:?}, extra {extra:?}", row.path));
        }
    }
    println!("{total} Annex E attributes found by pydicom in {} files", files.len());
    assert!(total > 1000, "only {total} attributes: the comparison is not looking");
    assert!(differences.is_empty(), "{} files differ:\n{}", differences.len(), differences.join("\n"));
}

/// Real burned-in text: the deid-data ultrasound prints the patient's name,
/// ID and birth date in a bar across its top in an antialiased screen font
/// (it says Burned In Annotation YES); the pixel scan finds that bar's text.
/// No CT or MR of the corpus gets a detection.
#[test]
fn burned_in_text_of_a_real_ultrasound_is_found() {
    let Some(dir) = common::corpus_dir("burned-in text on a real ultrasound") else { return };
    let bytes = std::fs::read(dir.join("deid-data/ultrasounds/GREYSCALE_IMAGE.dcm")).expect("read");
    let r = inspect_file(&bytes, &Options::default());
    let boxes: Vec<_> = r.pixels.as_ref().map(|p| p.text_regions.iter().flat_map(|t| t.boxes.clone()).collect()).unwrap_or_default();
    assert!(boxes.iter().any(|b| b.y < 8 && b.x < 16 && b.width >= 100), "the name at the top left: {boxes:?}");
    assert!(boxes.iter().any(|b| b.y < 8 && (380..420).contains(&b.x)), "the birth date: {boxes:?}");
    assert!(r.findings.iter().any(|f| f.code == "phi.burned_in" && f.message.contains("found in the pixels")), "{:?}", r.findings);
    for row in common::manifest(&dir) {
        let Ok(bytes) = std::fs::read(dir.join(&row.path)) else { continue };
        let r = inspect_file(&bytes, &Options::default());
        let modality = r.summary.modality.clone().unwrap_or_default();
        if modality == "CT" || modality == "MR" {
            assert!(r.pixels.as_ref().is_none_or(|p| p.text_regions.is_empty()), "{}: {:?}", row.path, r.pixels);
        }
    }
}
