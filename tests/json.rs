//! The report's JSON writer (`dicom_inspector::json`) gives exactly
//! `serde_json`'s text, compact and pretty, on every report the project's
//! files and the corpus make (element trees, DICOMDIRs, pixels, findings).

mod common;

use std::path::Path;

use dicom_inspector::{demo, inspect_file, json, Options, Report};

fn same(name: &str, report: &Report) {
    assert!(json::to_string(report).expect("json") == serde_json::to_string(report).expect("serde_json"), "{name}: compact JSON differs");
    assert!(json::to_string_pretty(report).expect("json") == serde_json::to_string_pretty(report).expect("serde_json"), "{name}: pretty JSON differs");
}

fn check(name: &str, bytes: &[u8]) {
    let options = Options::default().with_path(name).with_elements(true).with_check_signatures(true);
    same(name, &Report::from_files(vec![inspect_file(bytes, &options)]));
}

#[test]
fn demo_and_attack_reports() {
    let mut files = Vec::new();
    for f in demo::page_files() {
        check(&f.file, &f.bytes);
        files.push(inspect_file(&f.bytes, &Options::default().with_path(&f.file)));
    }
    same("the demo batch", &Report::from_files(files));
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() {
            files_under(&path, out);
        } else if !path.extension().is_some_and(|x| x == "tsv" || x == "md" || x == "json") {
            out.push(path);
        }
    }
}

#[test]
fn corpus_reports() {
    let Some(dir) = common::corpus_dir("corpus_reports") else { return };
    let mut paths = Vec::new();
    files_under(&dir, &mut paths);
    for path in paths {
        check(&path.display().to_string(), &std::fs::read(&path).expect("read corpus file"));
    }
}
