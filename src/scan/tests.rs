//! Scanner unit tests on hand-built byte arrays (offsets in comments).

use super::*;
use crate::demo::{self, Writer};

fn opts() -> Options {
    Options::default()
}

#[test]
fn reads_meta_and_explicit_le_with_offsets() {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0060, "CS", "CT").text(0x0010, 0x0010, "PN", "DOE^J");
    let file = demo::part10(&w.bytes, demo::ts::EXPLICIT_LE, demo::CT_IMAGE_STORAGE, "1.2.3");
    let s = scan(&file, &opts());
    assert!(s.preamble && s.magic && s.file_meta && s.is_dicom);
    assert!(s.faults.is_empty(), "{:?}", s.faults);
    let data: Vec<_> = s.elements.iter().filter(|e| !e.in_meta).collect();
    // 0: (0008,0060) CS 2 at dataset_offset; 10: (0010,0010) PN 6 ("DOE^J ").
    assert_eq!(data[0].offset, s.dataset_offset);
    assert_eq!(data[1].offset, s.dataset_offset + 8 + 2);
    assert_eq!(data[1].length, 6);
    assert_eq!(crate::values::text(&s, data[1]), "DOE^J");
}

#[test]
fn guesses_implicit_raw_dataset() {
    let mut w = Writer::new(false, false);
    w.text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.2")
        .text(0x0008, 0x0060, "CS", "CT")
        .text(0x0010, 0x0010, "PN", "DOE^J");
    let s = scan(&w.bytes, &opts());
    assert!(!s.magic && !s.file_meta && s.is_dicom);
    assert_eq!(s.encoding.source, "guessed");
    assert!(!s.encoding.explicit_vr);
    assert_eq!(s.elements.len(), 3);
    assert_eq!(s.elements[2].vr, VR::PN, "VR comes from the dictionary");
}

#[test]
fn big_endian_values_and_nested_sequences() {
    let mut item = Writer::new(true, true);
    item.us(0x0028, 0x0010, &[512]);
    let mut w = Writer::new(true, true);
    w.sequence(0x0008, 0x1115, &[item.clone(), item], false).us(0x0028, 0x0011, &[256]);
    let file = demo::part10(&w.bytes, demo::ts::EXPLICIT_BE, demo::CT_IMAGE_STORAGE, "1.2.3");
    let s = scan(&file, &opts());
    assert!(s.faults.is_empty(), "{:?}", s.faults);
    assert!(s.encoding.big_endian);
    let kinds: Vec<_> = s.elements.iter().filter(|e| !e.in_meta).map(|e| (e.kind, e.depth)).collect();
    assert_eq!(
        kinds,
        vec![(Kind::Sequence, 0), (Kind::Item, 1), (Kind::Element, 2), (Kind::Item, 1), (Kind::Element, 2), (Kind::Element, 0)]
    );
    let last = s.elements.last().unwrap();
    assert_eq!(crate::values::preview(&s, last, 64).as_deref(), Some("256"));
}

#[test]
fn encapsulated_fragments_are_listed() {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0060, "CS", "OT").encapsulated(&[0], &[b"\xFF\xD8\xFF\xD9", b"ab"]);
    let file = demo::part10(&w.bytes, "1.2.840.10008.1.2.4.50", demo::SECONDARY_CAPTURE, "1.2.3");
    let s = scan(&file, &opts());
    assert!(s.faults.is_empty(), "{:?}", s.faults);
    let frags: Vec<_> = s.elements.iter().filter(|e| e.kind == Kind::Fragment).map(|e| e.length).collect();
    assert_eq!(frags, vec![4, 4, 2]);
}

#[test]
fn truncated_value_gives_fault_with_offset() {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0060, "CS", "CT").text(0x0010, 0x0010, "PN", "SOMEONE^WITH^A^LONG^NAME");
    let file = demo::part10(&w.bytes, demo::ts::EXPLICIT_LE, demo::CT_IMAGE_STORAGE, "1.2.3");
    let cut = &file[..file.len() - 5];
    let s = scan(cut, &opts());
    let f = s.faults.last().unwrap();
    assert_eq!(f.code, "integrity.length_past_end");
    assert_eq!(f.offset, Some(s.dataset_offset + 10));
    assert_eq!(s.elements.iter().filter(|e| !e.in_meta).count(), 2, "partial element still listed");
}

#[test]
fn private_creator_resolves_block() {
    let file = demo::part10(&demo::nested_private(), demo::ts::EXPLICIT_LE, demo::BASIC_TEXT_SR, "1.2.3");
    let s = scan(&file, &opts());
    assert!(s.faults.is_empty(), "{:?}", s.faults);
    let private = s.elements.iter().find(|e| e.tag == Tag(0x0029, 0x1010)).unwrap();
    let creator = &s.elements[private.creator as usize];
    assert_eq!(crate::values::text(&s, creator), "DICOM INSPECTOR DEMO");
    let name = s.elements.iter().find(|e| e.tag == Tag(0x0010, 0x0010)).unwrap();
    assert_eq!(crate::values::text(&s, name), "MÜLLER^JÜRGEN");
}

#[test]
fn deep_nesting_hits_the_limit_without_recursion() {
    // 10,000 nested undefined-length sequences.
    let mut bytes = Vec::new();
    for _ in 0..10_000 {
        bytes.extend_from_slice(&[0x08, 0x00, 0x15, 0x11, b'S', b'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        bytes.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
    }
    let file = demo::part10(&bytes, demo::ts::EXPLICIT_LE, demo::CT_IMAGE_STORAGE, "1.2.3");
    let s = scan(&file, &opts());
    assert!(s.faults.iter().any(|f| f.code == "integrity.limit"));
}

#[test]
fn deflated_dataset_is_inflated() {
    let ct = demo::ct_slice(&demo::JANE, 9, 16, true, false);
    let file = demo::part10(&demo::deflate(&ct), demo::ts::DEFLATED_LE, demo::CT_IMAGE_STORAGE, "1.2.3");
    let s = scan(&file, &opts());
    assert!(s.faults.is_empty(), "{:?}", s.faults);
    assert!(s.top_level(PIXEL_DATA).is_some());
}

#[test]
fn not_dicom_is_recognised() {
    let s = scan(b"%PDF-1.7 this is not a DICOM file at all, just text", &opts());
    assert!(!s.is_dicom);
    let s = scan(&[], &opts());
    assert!(!s.is_dicom);
}

/// A scan's fields but its bytes, to compare two scans of the same file.
fn fields(s: &Scan) -> String {
    format!(
        "{:?} {} {} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {} {:?} {:?}",
        s.file_len, s.preamble, s.magic, s.file_meta, s.dataset_offset, s.dataset_end, s.is_dicom, s.fault_at_top, s.encoding, s.elements, s.charsets, s.faults, s.body.len(), s.prefix, s.index
    )
}

#[test]
fn a_completed_header_walk_is_the_whole_walk() {
    // Every demo file with its native pixel data at the end, and a series slice:
    // the walk of the first bytes up to the pixel data, completed, is the walk
    // of the whole file (what a headers-only read uses instead of a second walk).
    let mut files: Vec<(String, Vec<u8>)> = demo::page_files().into_iter().map(|f| (f.file, f.bytes)).collect();
    files.extend(demo::ct_series(2));
    let mut completed = 0;
    for (name, bytes) in &files {
        let whole = scan(bytes, &opts());
        let Some(e) = whole.top_level(PIXEL_DATA).filter(|e| e.kind == Kind::Element && e.value_offset() + u64::from(e.length) == bytes.len() as u64) else { continue };
        let cut = (e.value_offset() as usize + 16).min(bytes.len());
        let head = scan(&bytes[..cut], &opts().with_file_size(bytes.len() as u64)).detach().expect("borrowed");
        match complete(head, bytes) {
            Some(done) => {
                assert_eq!(fields(&done), fields(&whole), "{name}");
                completed += 1;
            }
            None => assert!(!matches!(e.vr, VR::OB | VR::OW), "{name}: native OB/OW pixel data at the end is completed"),
        }
    }
    assert!(completed >= 5, "only {completed} files completed");
    // Anything else is scanned again: a walk that needs more bytes, or pixel data that does not end the file.
    let (_, bytes) = &files[files.len() - 1];
    assert!(complete(scan(&bytes[..200], &opts().with_file_size(bytes.len() as u64)).detach().expect("borrowed"), bytes).is_none());
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"trailing");
    let whole = scan(bytes, &opts());
    let cut = whole.top_level(PIXEL_DATA).map(|e| e.value_offset() as usize).expect("pixel data");
    assert!(complete(scan(&longer[..cut], &opts().with_file_size(longer.len() as u64)).detach().expect("borrowed"), &longer).is_none());
}

#[test]
fn the_scanner_reads_only_its_own_options() {
    // Options::scanner_only keeps what the scanner reads: a scan with every
    // option set is the scan with only those.
    let rich = opts()
        .with_path("a/b.dcm")
        .with_elements(true)
        .with_max_depth(3)
        .with_max_elements(60)
        .with_max_inflated_bytes(1 << 12)
        .with_max_millis(Some(5_000))
        .with_check_signatures(true)
        .with_pixel_scan(false)
        .with_batch_identities(vec!["DOE^JANE".into()])
        .with_profile_option(crate::options::ProfileOption::RetainUids);
    for f in demo::page_files() {
        assert_eq!(fields(&scan(&f.bytes, &rich)), fields(&scan(&f.bytes, &rich.scanner_only())), "{}", f.file);
        let half = rich.clone().with_file_size(f.bytes.len() as u64);
        let cut = &f.bytes[..f.bytes.len() / 2];
        assert_eq!(fields(&scan(cut, &half)), fields(&scan(cut, &half.scanner_only())), "{} (first half)", f.file);
    }
}

/// The indexes the walk builds as it goes are those of its nodes made
/// afresh, on every demo file (out-of-order tags, duplicates, sequences in
/// items, deflated and headers-only reads among them).
#[test]
fn the_walks_index_is_the_index_of_its_nodes() {
    let mut out_of_order = 0;
    for (name, _, bytes) in crate::demo::files() {
        for options in [opts(), Options { file_size: Some(bytes.len() as u64 + 4096), ..opts() }] {
            let s = scan(&bytes, &options);
            let fresh = Index::of(&s.elements);
            assert_eq!(s.index, fresh, "{name}");
            out_of_order += usize::from(s.index.top.windows(2).any(|w| w[0].1 > w[1].1));
        }
    }
    assert!(out_of_order > 0, "a demo file whose top level had to be sorted");
}
