//! Headers-only reads (`Options::file_size`): the first bytes of a file are
//! inspected, the report says how many more bytes the headers need, and
//! reading that many until it says none gives the full read's findings for
//! everything before the pixel data, without faults the full read has not.

mod common;

use std::collections::BTreeSet;

use dicom_inspector::report::FileReport;
use dicom_inspector::{demo, inspect_file, Finding, Options};

fn prefix_report(bytes: &[u8], n: usize) -> FileReport {
    inspect_file(&bytes[..n.min(bytes.len())], &Options::default().with_file_size(bytes.len() as u64))
}

/// The page worker's loop: read `start` bytes, then as many as the report
/// asks for, until it asks for none. Returns the last report and the reads.
fn read_until_complete(name: &str, bytes: &[u8], start: usize) -> (FileReport, Vec<usize>) {
    let mut n = start.min(bytes.len());
    let mut reads = vec![n];
    loop {
        let r = prefix_report(bytes, n);
        let Some(needs) = r.partial.and_then(|p| p.needs_bytes) else { return (r, reads) };
        let needs = usize::try_from(needs).expect("needs fits");
        assert!(needs > n && needs <= bytes.len(), "{name} from {start}: needs {needs} after {n} of {}", bytes.len());
        n = needs;
        reads.push(n);
        assert!(reads.len() < 64, "{name} from {start}: no convergence: {reads:?}");
    }
}

/// Findings that only the pixels, the bytes after the data set or the read
/// itself give.
fn pixel_or_read(f: &Finding) -> bool {
    matches!(&*f.code, "integrity.partial" | "security.trailing_data" | "transfer.undecodable" | "integrity.pixel_data")
        || (f.code == "phi.burned_in" && f.message.contains("found in the pixels"))
}

fn key(f: &Finding) -> String {
    format!("{} {:?} {:?} {:?} {}", f.code, f.severity, f.path, f.offset, f.message)
}

/// The full read's findings about what precedes the top-level pixel data.
fn header_findings(full: &FileReport) -> BTreeSet<String> {
    let pixels = full.pixel_data.as_ref().map_or(u64::MAX, |p| p.offset);
    full.findings.iter().filter(|f| !pixel_or_read(f) && f.offset.is_none_or(|o| o <= pixels)).map(key).collect()
}

fn check_file(name: &str, bytes: &[u8]) {
    let full = inspect_file(bytes, &Options::default());
    let full_integrity: BTreeSet<(String, Option<u64>)> = full.findings.iter().filter(|f| f.code.starts_with("integrity.")).map(|f| (f.code.to_string(), f.offset)).collect();
    let expected = header_findings(&full);
    let len = bytes.len();
    let mut starts = vec![1, 64, 131, 132, 140, 200, 333, 512, 1000, 4096, 65536, len / 3, len / 2, len.saturating_sub(1)];
    if let Some(p) = &full.pixel_data {
        let at = p.offset as usize;
        starts.extend([at, at + 1, at + 8, at + 12, at + 100]);
    }
    for start in starts.into_iter().filter(|&s| s > 0 && s < len) {
        // Every intermediate read: no integrity fault the full read lacks.
        let r = prefix_report(bytes, start);
        assert_eq!(r.size, len as u64, "{name}@{start}");
        for f in r.findings.iter().filter(|f| f.code.starts_with("integrity.") && f.code != "integrity.partial") {
            assert!(full_integrity.contains(&(f.code.to_string(), f.offset)), "{name}@{start}: {f:?} is not in the full read");
        }
        if r.partial.is_some_and(|p| p.needs_bytes.is_some()) {
            assert!(r.findings.iter().any(|f| f.code == "integrity.partial"), "{name}@{start}");
        }
        // The loop converges to the full read's header findings.
        let (last, reads) = read_until_complete(name, bytes, start);
        let got: BTreeSet<String> = last.findings.iter().filter(|f| !pixel_or_read(f)).map(key).collect();
        let missing: Vec<_> = expected.difference(&got).collect();
        let extra: Vec<_> = got.difference(&expected).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{name} from {start} ({reads:?}): missing {missing:#?}, extra {extra:#?}");
        assert_eq!(last.summary, full.summary, "{name} from {start}");
        assert_eq!(last.transfer_syntax, full.transfer_syntax, "{name} from {start}");
        assert_eq!(last.dicomdir, full.dicomdir, "{name} from {start}");
        assert_eq!(last.is_dicom, full.is_dicom, "{name} from {start}");
        if let (Some(a), Some(b)) = (&last.pixels, &full.pixels) {
            assert_eq!((a.rows, a.columns, a.frames, a.bits_allocated, &a.photometric_interpretation), (b.rows, b.columns, b.frames, b.bits_allocated, &b.photometric_interpretation), "{name}");
            if last.partial.is_some() {
                assert!(!a.decodable && a.text_regions.is_empty(), "{name}: pixels decoded in a headers-only read");
            }
        }
        assert_eq!(last.pixels.is_some(), full.pixels.is_some(), "{name} from {start}");
    }
}

#[test]
fn demo_files_read_from_their_first_bytes() {
    for f in demo::page_files() {
        check_file(&f.file, &f.bytes);
    }
}

#[test]
fn a_prefix_that_ends_where_the_pixels_start_is_complete() {
    for f in demo::page_files() {
        let full = inspect_file(&f.bytes, &Options::default());
        let Some(p) = &full.pixel_data else { continue };
        if p.encapsulated || full.transfer_syntax.as_ref().is_some_and(|t| t.deflated) {
            continue;
        }
        // The value starts after a 12-byte (explicit) or 8-byte (implicit) header.
        let header = if full.transfer_syntax.as_ref().is_some_and(|t| t.explicit_vr) { 12 } else { 8 };
        let value = p.offset as usize + header;
        let r = prefix_report(&f.bytes, value);
        let partial = r.partial.expect("partial");
        assert_eq!(partial.needs_bytes, None, "{}: the headers are complete", f.file);
        assert_eq!((partial.loaded_bytes, partial.file_size), (value as u64, f.bytes.len() as u64));
        assert_eq!(r.pixel_data.as_ref().map(|p| p.length), Some(p.length), "{}", f.file);
        let pixels = r.pixels.expect("geometry without the pixels");
        assert!(!pixels.decodable && pixels.text_regions.is_empty());
        let note = r.findings.iter().find(|f| f.code == "integrity.partial").expect("integrity.partial");
        assert!(note.message.contains("pixel data") && note.message.contains(&value.to_string()), "{}", note.message);
        // Inside the pixel data's header, past its tag: only that header is asked for.
        let r = prefix_report(&f.bytes, p.offset as usize + 6);
        assert_eq!(r.partial.and_then(|p| p.needs_bytes), Some(p.offset + 12), "{}", f.file);
    }
}

#[test]
fn deflated_files_need_the_whole_file() {
    let f = demo::files().into_iter().find(|(n, ..)| *n == "ct-deflated.dcm").expect("deflated demo").2;
    let r = prefix_report(&f, 400);
    assert_eq!(r.partial.and_then(|p| p.needs_bytes), Some(f.len() as u64));
    assert!(!r.findings.iter().any(|f| f.code == "integrity.deflate"));
}

#[test]
fn a_value_longer_than_the_file_is_still_a_fault() {
    // (0010,0010) declares 0xFFFFFFFE bytes: past any file size given.
    let bytes = &demo::hostile::huge_lengths()[0];
    let r = inspect_file(bytes, &Options::default().with_file_size(bytes.len() as u64 + 1000));
    assert!(r.findings.iter().any(|f| f.code == "integrity.length_past_end"), "{:?}", r.findings);
    assert_eq!(r.partial.and_then(|p| p.needs_bytes), None);
}

#[test]
fn a_file_size_no_larger_than_the_bytes_is_a_whole_read() {
    let (_, _, bytes) = demo::files().remove(0);
    for size in [0, 10, bytes.len() as u64] {
        let r = inspect_file(&bytes, &Options::default().with_file_size(size));
        assert_eq!(r, inspect_file(&bytes, &Options::default()), "file_size {size}");
        assert!(r.partial.is_none());
    }
    let json = serde_json::to_value(inspect_file(&bytes, &Options::default())).expect("json");
    assert!(json.get("partial").is_none(), "absent, not null, for whole reads");
}

#[test]
fn options_take_file_size_from_json() {
    let o: Options = serde_json::from_str(r#"{"file_size": 1073741824}"#).expect("options");
    assert_eq!(o.file_size, Some(1 << 30));
    let o: Options = serde_json::from_str("{}").expect("options");
    assert_eq!(o.file_size, None);
}

#[test]
fn corpus_files_read_from_their_first_bytes() {
    let Some(dir) = common::corpus_dir("corpus headers-only reads") else { return };
    let rows = common::manifest(&dir);
    // Every 7th file, and every deflated, encapsulated or DICOMDIR file.
    let picked = rows.iter().enumerate().filter(|(i, r)| i % 7 == 0 || r.transfer_syntax_uid.ends_with(".99") || r.notes.contains("encapsulated") || r.notes.contains("DICOMDIR ("));
    let mut count = 0;
    for (_, row) in picked {
        let Ok(bytes) = std::fs::read(dir.join(&row.path)) else { continue };
        check_file(&row.path, &bytes);
        count += 1;
    }
    assert!(count > 20, "{count} corpus files");
}

#[test]
fn flipped_bytes_cut_anywhere_never_panic_and_ask_for_more_within_the_file() {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let files = demo::page_files();
    for round in 0..400 {
        let base = &files[round % files.len()].bytes;
        if base.len() > 200_000 {
            continue;
        }
        let mut bytes = base.clone();
        for _ in 0..(round % 8) {
            let i = (next() as usize) % bytes.len();
            bytes[i] = (next() >> 32) as u8;
        }
        let cut = (next() as usize) % bytes.len();
        let size = bytes.len() as u64 + next() % 4096;
        let r = inspect_file(&bytes[..cut], &Options::default().with_file_size(size).with_elements(true));
        if let Some(p) = r.partial {
            assert_eq!((p.loaded_bytes, p.file_size), (cut as u64, size));
            assert!(p.needs_bytes.is_none_or(|n| n > cut as u64 && n <= size), "{p:?}");
        }
    }
}
