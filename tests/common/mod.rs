//! Shared helpers for the integration tests: where the shared corpus is, and
//! its manifest. A user's clone has no `../shared`; then corpus tests print
//! that they are skipped and why, and pass.
#![allow(dead_code)]

use std::path::PathBuf;

pub struct ManifestRow {
    pub path: String,
    pub bytes: u64,
    pub transfer_syntax_uid: String,
    pub notes: String,
}

/// The corpus folder, or `None` (with a printed reason) when it is absent.
pub fn corpus_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DICOM_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.join("MANIFEST.tsv").is_file() {
        Some(dir)
    } else {
        println!("SKIPPED {test}: no corpus at {} (set DICOM_CORPUS to a folder with MANIFEST.tsv); the generated fixtures still run", dir.display());
        None
    }
}

pub fn manifest(dir: &std::path::Path) -> Vec<ManifestRow> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("read MANIFEST.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            ManifestRow {
                path: cols[0].to_owned(),
                bytes: cols[1].parse().unwrap_or(0),
                transfer_syntax_uid: cols.get(3).copied().unwrap_or("").to_owned(),
                notes: cols.get(7).copied().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// Whether a command is on PATH.
pub fn have(cmd: &str) -> bool {
    std::process::Command::new(cmd).arg("--version").output().is_ok()
}

/// Whether python3 can import `modules` (e.g. "pydicom, numpy"). In CI a
/// missing module fails the test (scripts/test installs them); elsewhere the
/// test prints that it is skipped and why.
pub fn python_has(modules: &str, test: &str) -> bool {
    let ok = std::process::Command::new("python3").args(["-c", &format!("import {modules}")]).status().is_ok_and(|s| s.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "python modules {modules} are missing: scripts/test installs them");
        println!("SKIPPED {test}: python3 cannot import {modules}");
    }
    ok
}

/// Every file under `dir`, at any depth, sorted.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                folders.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The corpus's DICOM candidates: its files without the manifest and notes.
pub fn corpus_files(dir: &std::path::Path) -> Vec<PathBuf> {
    files_under(dir).into_iter().filter(|p| !p.extension().is_some_and(|x| x == "tsv" || x == "md" || x == "json")).collect()
}
