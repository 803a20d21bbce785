//! Native benchmark of the whole inspection on files held in memory (no file
//! reading), in files/s: the scan alone, the full inspection headers only
//! (every PHI, security, transfer and integrity rule), the same plus the
//! report as JSON, and with the pixel scan.
//!
//! `cargo bench --bench inspect` runs on the generated CT series (300 slices
//! of 512×512, the scripts/bench workload); `cargo bench --bench inspect -- DIR`
//! on every file under DIR (e.g. ../shared/corpus); `-- --only NAME` runs
//! only the step of that name (for a profiler).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use dicom_inspector::{inspect_file, json, scan, Options, Report};

/// Best of several timed passes of `f` over all files, in files/s.
fn files_per_s(files: &[(String, Vec<u8>)], passes: usize, mut f: impl FnMut(&str, &[u8])) -> f64 {
    for (name, bytes) in files.iter().take(10) {
        f(name, bytes);
    }
    // BENCH_PASSES=N repeats each step N times as often (for a profiler).
    let repeat: usize = std::env::var("BENCH_PASSES").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    let mut best = f64::INFINITY;
    for _ in 0..passes * repeat {
        let t = Instant::now();
        for (name, bytes) in files {
            f(name, bytes);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    files.len() as f64 / best
}

fn read_dir(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_dir(&path, out);
        } else if !path.extension().is_some_and(|x| x == "tsv" || x == "md" || x == "json") {
            if let Ok(bytes) = std::fs::read(&path) {
                out.push((path.display().to_string(), bytes));
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    let dir = args.iter().enumerate().find(|(i, a)| !a.starts_with('-') && (*i == 0 || args[i - 1] != "--only")).map(|(_, a)| a.clone());
    let (label, files) = match &dir {
        Some(dir) => {
            let mut files = Vec::new();
            read_dir(Path::new(dir), &mut files);
            (dir.clone(), files)
        }
        None => ("generated CT series".to_owned(), dicom_inspector::demo::ct_series(300)),
    };
    let mb = files.iter().map(|(_, b)| b.len()).sum::<usize>() as f64 / 1e6;
    println!("{label}: {} files, {mb:.1} MB, in memory", files.len());
    println!("| step | files/s |");
    println!("| --- | --- |");
    let headers = Options::default().with_pixel_scan(false);
    let pixels = Options::default().with_pixel_scan(true);
    let with_path = |o: &Options, name: &str| o.clone().with_path(name);
    type Step<'a> = (&'a str, usize, Box<dyn FnMut(&str, &[u8]) + 'a>);
    let steps: Vec<Step> = vec![
        ("scan (elements with offsets)", 7, Box::new(|_, b| drop(black_box(scan::scan(b, &headers))))),
        ("inspection, headers only", 7, Box::new(|n, b| drop(black_box(inspect_file(b, &with_path(&headers, n)))))),
        (
            "inspection, headers only, + JSON",
            7,
            Box::new(|n, b| drop(black_box(json::to_string(&Report::from_files(vec![inspect_file(b, &with_path(&headers, n))]))))),
        ),
        (
            "inspection, headers only, + pretty JSON",
            7,
            Box::new(|n, b| drop(black_box(json::to_string_pretty(&Report::from_files(vec![inspect_file(b, &with_path(&headers, n))]))))),
        ),
        ("inspection with the pixel scan", 3, Box::new(|n, b| drop(black_box(inspect_file(b, &with_path(&pixels, n)))))),
    ];
    for (name, passes, f) in steps {
        if only.as_deref().is_none_or(|o| o == name) {
            println!("| {name} | {:.0} |", files_per_s(&files, passes, f));
        }
    }
    // The JSON writers alone, on the files' reports made beforehand.
    let reports: Vec<Report> = files.iter().map(|(n, b)| Report::from_files(vec![inspect_file(b, &with_path(&headers, n))])).collect();
    let at = std::cell::Cell::new(0);
    let next = || {
        at.set((at.get() + 1) % reports.len());
        &reports[at.get()]
    };
    let json_steps: Vec<Step> = vec![
        ("the report to JSON, serde_json", 7, Box::new(|_, _| drop(black_box(serde_json::to_string(next()))))),
        ("the report to JSON", 7, Box::new(|_, _| drop(black_box(json::to_string(next()))))),
        ("the report to pretty JSON, serde_json", 7, Box::new(|_, _| drop(black_box(serde_json::to_string_pretty(next()))))),
        ("the report to pretty JSON", 7, Box::new(|_, _| drop(black_box(json::to_string_pretty(next()))))),
    ];
    for (name, passes, f) in json_steps {
        if only.as_deref().is_none_or(|o| o == name) {
            println!("| {name} | {:.0} |", files_per_s(&files, passes, f));
        }
    }
}
