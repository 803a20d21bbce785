//! Malformed input: truncation at many offsets and garbage give a report,
//! never a panic, on the project's own files and on a corpus file.

mod common;

use dicom_inspector::{demo, inspect, inspect_file, Options};

fn every_97th_cut_gives_a_report(bytes: &[u8], name: &str) {
    let full = inspect_file(bytes, &Options::default().with_elements(true));
    // A cut exactly between two top-level elements leaves a valid, shorter data set.
    let boundaries: Vec<u64> = full.elements.iter().flatten().filter(|e| e.depth == 0).map(|e| e.offset).collect();
    let mut cuts = 0;
    for cut in (0..bytes.len()).step_by(97) {
        let report = inspect(&bytes[..cut], &Options::default().with_elements(true));
        let file = &report.files[0];
        assert_eq!(file.size, cut as u64);
        // Past the meta group a cut file is still DICOM, with a partial tree
        // and a finding that says where it broke.
        if cut > 400 && full.is_dicom {
            assert!(file.is_dicom, "{name} cut at {cut}");
            let fault = file.findings.iter().find(|f| f.code.starts_with("integrity."));
            assert!(fault.is_some() || boundaries.contains(&(cut as u64)), "{name} cut at {cut}: no integrity finding");
            if let Some(offset) = fault.and_then(|f| f.offset) {
                assert!(offset <= cut as u64, "{name} cut at {cut}: fault offset {offset} past the end");
            }
        }
        cuts += 1;
    }
    assert_eq!(cuts, bytes.len().div_ceil(97));
}

#[test]
fn demo_files_cut_at_every_97th_byte() {
    for (name, _, bytes) in demo::files() {
        every_97th_cut_gives_a_report(&bytes, name);
    }
}

#[test]
fn corpus_file_cut_at_every_97th_byte() {
    let Some(dir) = common::corpus_dir("corpus truncation") else { return };
    // Nested sequences and private tags: the structure a cut hurts most.
    let bytes = std::fs::read(dir.join("pydicom/test_files/rtplan.dcm")).expect("read rtplan.dcm");
    every_97th_cut_gives_a_report(&bytes, "rtplan.dcm");
}

#[test]
fn garbage_and_bit_flips_never_panic() {
    let (_, _, base) = demo::files().remove(4);
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    for round in 0..300 {
        let mut bytes = base.clone();
        for _ in 0..(1 + round % 16) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let i = (state as usize) % bytes.len();
            bytes[i] = (state >> 32) as u8;
        }
        let report = inspect_file(&bytes, &Options::default().with_elements(true));
        assert_eq!(report.size, bytes.len() as u64);
    }
}

#[test]
fn huge_declared_length_is_not_allocated() {
    // (0010,0010) UT with length 0xFFFFFFFE: checked against what remains.
    let mut w = demo::Writer::explicit_le();
    w.text(0x0008, 0x0060, "CS", "CT").header(0x0010, 0x4000, "UT", 0xFFFF_FFFE);
    w.bytes.extend_from_slice(b"short");
    let file = demo::part10(&w.bytes, demo::ts::EXPLICIT_LE, demo::CT_IMAGE_STORAGE, "1.2.3");
    let report = inspect_file(&file, &Options::default().with_elements(true));
    let f = report.findings.iter().find(|f| f.code == "integrity.length_past_end").expect("finding");
    assert_eq!(f.tag.as_deref(), Some("(0010,4000)"));
    assert_eq!(f.path.as_deref(), Some("(0010,4000)"));
}

#[test]
fn not_dicom_is_reported_as_such() {
    let report = inspect_file(b"GIF89a not a dicom file", &Options::default());
    assert!(!report.is_dicom);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].code, "integrity.not_dicom");
}
