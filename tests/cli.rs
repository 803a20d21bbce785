//! The `dicom-inspect` binary: formats, exit status and batches.

mod common;

use std::process::Command;

use dicom_inspector::demo;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dicom-inspect"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dicom-inspect-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn demo_then_scan_a_folder_with_a_non_dicom_file() {
    let dir = temp_dir("batch");
    let status = cli().arg("demo").arg(&dir).status().expect("run demo");
    assert!(status.success());
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::write(dir.join("nested/readme.txt"), "not DICOM").unwrap();
    let out = cli().args(["scan", "--format", "json"]).arg(&dir).output().expect("run scan");
    assert_eq!(out.status.code(), Some(1), "demo files name their patients: exit 1; stderr {}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let files = report["files"].as_array().unwrap();
    // The page's demo files + index.json + readme.txt, walked recursively.
    assert_eq!(files.len(), demo::page_files().len() + 2);
    // index.json, readme.txt and the ZIP archives are not DICOM.
    let archives = demo::page_files().iter().filter(|f| f.file.ends_with(".zip")).count();
    assert_eq!(report["summary"]["not_dicom"], 2 + archives);
    let txt = files.iter().find(|f| f["path"].as_str().unwrap().ends_with("readme.txt")).unwrap();
    assert_eq!(txt["is_dicom"], false);
    assert_eq!(txt["findings"][0]["code"], "integrity.not_dicom");
}

#[test]
fn fail_on_sets_the_exit_status() {
    let dir = temp_dir("failon");
    // De-identified but in a retired syntax: transfer.retired_syntax (medium) is the worst.
    let (_, _, clean) = demo::files().into_iter().find(|(n, _, _)| *n == "clean-deidentified.dcm").unwrap();
    let file = dir.join("clean.dcm");
    std::fs::write(&file, &clean).unwrap();
    let status = |level: &str| cli().args(["scan", "--fail-on", level]).arg(&file).output().unwrap().status.code();
    assert_eq!(status("low"), Some(1));
    assert_eq!(status("medium"), Some(0));
    let (_, _, bytes) = demo::files().remove(2);
    let file = dir.join("be.dcm");
    std::fs::write(&file, bytes).unwrap();
    let status = |level: &str| cli().args(["scan", "--fail-on", level]).arg(&file).output().unwrap().status.code();
    assert_eq!(status("high"), Some(1), "names the patient");
    assert_eq!(status("never"), Some(0));
}

#[test]
fn human_output_names_the_transfer_syntax_and_findings() {
    let dir = temp_dir("human");
    let (_, _, bytes) = demo::files().remove(1);
    let file = dir.join("mr.dcm");
    std::fs::write(&file, bytes).unwrap();
    let out = cli().arg("scan").arg(&file).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Implicit VR Little Endian"), "{text}");
    assert!(text.contains("transfer.implicit_vr"), "{text}");
    assert!(text.contains("1 files (1 DICOM"), "{text}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(cli().arg("scan").output().unwrap().status.code(), Some(2));
    assert_eq!(cli().args(["scan", "/no/such/file.dcm"]).output().unwrap().status.code(), Some(2));
    assert_eq!(cli().arg("frobnicate").output().unwrap().status.code(), Some(2));
}

#[test]
fn elements_flag_adds_the_tree() {
    let dir = temp_dir("elements");
    let (_, _, bytes) = demo::files().remove(0);
    let file = dir.join("ct.dcm");
    std::fs::write(&file, bytes).unwrap();
    let out = cli().args(["scan", "--format", "json", "--elements"]).arg(&file).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let elements = report["files"][0]["elements"].as_array().unwrap();
    let name = elements.iter().find(|e| e["tag"] == "(0010,0010)").unwrap();
    assert_eq!(name["value"], "DOE^JANE^Q");
    assert_eq!(name["path"], "(0010,0010)");
}

#[test]
fn demo_index_lists_every_file_with_its_folder() {
    let dir = temp_dir("index");
    assert!(cli().arg("demo").arg(&dir).status().expect("run demo").success());
    let index: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("index.json")).unwrap()).unwrap();
    let entries = index.as_array().unwrap();
    assert_eq!(entries.len(), demo::page_files().len());
    for e in entries {
        let file = e["file"].as_str().unwrap();
        let bytes = std::fs::metadata(dir.join(file)).unwrap_or_else(|_| panic!("{file} written")).len();
        assert_eq!(e["bytes"].as_u64(), Some(bytes), "{file}");
        assert!(e["description"].as_str().is_some_and(|d| !d.is_empty()) && e["attack"].is_boolean(), "{file}");
        assert_eq!(e.get("folder").and_then(|f| f.as_str()), file.starts_with("study/").then_some("study"), "{file}");
    }
    let out = cli().arg("scan").arg(dir.join("study/DICOMDIR")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("DICOMDIR: 7 records, 4 referencing a file"), "{text}");
    assert!(text.contains("IMAGES/IM0001\n"), "present: {text}");
    assert!(text.contains("IMAGES/IM0004 (not found beside the DICOMDIR)"), "{text}");
}

/// The report is written a file at a time (never held whole): its text is
/// exactly the library's pretty JSON of the whole batch, on one thread and
/// on several, and for an empty batch.
#[test]
fn streamed_json_equals_the_whole_report() {
    use dicom_inspector::{inspect_file, json, Options, Report};
    let dir = temp_dir("stream");
    assert!(cli().arg("demo").arg(&dir).status().expect("run demo").success());
    let paths = common::files_under(&dir);
    let reports = paths
        .iter()
        .map(|p| inspect_file(&std::fs::read(p).unwrap(), &Options::default().with_path(p.display().to_string())))
        .collect();
    let expected = json::to_string_pretty(&Report::from_files(reports)).unwrap() + "\n";
    for jobs in ["1", "3"] {
        let out = cli().args(["scan", "--format", "json", "--no-batch-identity", "--fail-on", "never", "--jobs", jobs]).arg(&dir).output().expect("run scan");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8(out.stdout).unwrap() == expected, "--jobs {jobs}: the streamed JSON differs from the whole report's");
    }
    let empty = temp_dir("stream-empty");
    let out = cli().args(["scan", "--format", "json"]).arg(&empty).output().expect("run scan");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), json::to_string_pretty(&Report::from_files(Vec::new())).unwrap() + "\n");
}
