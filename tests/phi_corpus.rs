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
