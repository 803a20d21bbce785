//! The page's ZIP demo files, read back by an independent reader of the
//! central directory (PKWARE APPNOTE 4.3), and the large structured report.

use std::io::Read;

use dicom_inspector::demo::{self, archive, large};
use dicom_inspector::{inspect_file, Options, Severity};

struct Entry {
    name: String,
    method: u16,
    crc32: u32,
    compressed: u64,
    uncompressed: u64,
    data_start: usize,
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Reads the end record, the central directory, and checks each local header
/// against its central entry.
fn entries(zip: &[u8]) -> Vec<Entry> {
    let end = zip.len() - 22;
    assert_eq!(u32_at(zip, end), 0x0605_4B50, "end of central directory record (no comment)");
    let count = u16_at(zip, end + 10) as usize;
    let mut at = u32_at(zip, end + 16) as usize;
    assert_eq!(at + u32_at(zip, end + 12) as usize, end, "central directory ends where the end record starts");
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(u32_at(zip, at), 0x0201_4B50, "central directory header");
        let name_len = u16_at(zip, at + 28) as usize;
        let skip = name_len + u16_at(zip, at + 30) as usize + u16_at(zip, at + 32) as usize;
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).expect("ASCII name");
        let local = u32_at(zip, at + 42) as usize;
        assert_eq!(u32_at(zip, local), 0x0403_4B50, "{name}: local file header");
        // Local and central headers agree from "version needed" to the name length.
        assert_eq!(&zip[local + 4..local + 28], &zip[at + 6..at + 30], "{name}: local header = central header");
        assert_eq!(&zip[local + 30..local + 30 + name_len], name.as_bytes());
        let data_start = local + 30 + name_len + u16_at(zip, local + 28) as usize;
        out.push(Entry {
            name,
            method: u16_at(zip, at + 10),
            crc32: u32_at(zip, at + 16),
            compressed: u64::from(u32_at(zip, at + 20)),
            uncompressed: u64::from(u32_at(zip, at + 24)),
            data_start,
        });
        at += 46 + skip;
    }
    out
}

/// Inflates an entry without holding it: its length and CRC-32.
fn inflate_counting(zip: &[u8], e: &Entry, mut keep: Option<&mut Vec<u8>>) -> (u64, u32) {
    let data = &zip[e.data_start..e.data_start + e.compressed as usize];
    let mut decoder = flate2::read::DeflateDecoder::new(data);
    let mut crc = flate2::Crc::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = decoder.read(&mut buf).expect("inflate");
        if n == 0 {
            break;
        }
        total += n as u64;
        crc.update(&buf[..n]);
        if let Some(k) = keep.as_deref_mut() {
            k.extend_from_slice(&buf[..n]);
        }
    }
    (total, crc.sum())
}

#[test]
fn demo_study_zip_holds_demo_files_in_a_folder_and_a_readme() {
    let zip = archive::demo_study();
    let entries = entries(&zip);
    let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    let mut expected = vec!["README.txt".to_owned()];
    expected.extend(archive::STUDY_MEMBERS.iter().map(|n| format!("demo-study/{n}")));
    assert_eq!(names, expected);
    let files = demo::files();
    for e in &entries {
        assert_eq!(e.method, 8, "{}: deflated", e.name);
        let mut bytes = Vec::new();
        let (len, crc) = inflate_counting(&zip, e, Some(&mut bytes));
        assert_eq!((len, crc), (e.uncompressed, e.crc32), "{}: declared size and CRC are true", e.name);
        match e.name.strip_prefix("demo-study/") {
            Some(name) => {
                let original = &files.iter().find(|(n, ..)| *n == name).expect("a demo file").2;
                assert_eq!(&bytes, original, "{name}");
            }
            None => assert!(!inspect_file(&bytes, &Options::default()).is_dicom, "README.txt is not DICOM"),
        }
    }
}

#[test]
fn zip_bomb_declares_more_than_a_gibibyte_in_about_a_megabyte() {
    let zip = archive::zip_bomb();
    assert!(zip.len() < 2 << 20, "archive of {} bytes", zip.len());
    let entries = entries(&zip);
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!((e.name.as_str(), e.method), ("bomb.dcm", 8));
    assert!(e.uncompressed > 1 << 30, "declared {}", e.uncompressed);
    assert!(e.compressed < 2 << 20, "compressed {}", e.compressed);
    // The declared size and CRC are the truth: a reader that trusts them is fooled.
    assert_eq!(inflate_counting(&zip, e, None), (e.uncompressed, e.crc32));
}

#[test]
fn page_index_offers_the_archives_and_the_large_report() {
    let page = demo::page_files();
    let find = |name: &str| page.iter().find(|f| f.file == name).unwrap_or_else(|| panic!("{name} in the page's files"));
    assert!(!find("demo-study.zip").attack);
    assert!(find("attack-zip-bomb.zip").attack);
    assert!(!find("big-structured-report.dcm").attack);
    let entry = find("attack-zip-bomb.zip").index_entry();
    assert_eq!(entry["attack"], true);
    assert!(entry.get("folder").is_none());
}

#[test]
fn big_structured_report_has_sixty_thousand_well_formed_elements() {
    let bytes = large::big_structured_report();
    let mut options = Options::default().with_elements(true);
    options.max_report_elements = Some(100_000); // the page's bound
    let r = inspect_file(&bytes, &options);
    assert!((55_000..65_000).contains(&r.element_count), "{} elements", r.element_count);
    let rows = r.elements.as_ref().map_or(0, Vec::len);
    assert!(rows < 100_000 && r.elements_omitted == 0, "{rows} rows fit the page's bound");
    let faults: Vec<_> = r.findings.iter().filter(|f| f.code.starts_with("integrity.") && f.severity > Severity::Info).collect();
    assert!(faults.is_empty(), "{faults:?}");
    assert_eq!(r.sop_class.as_ref().map(|s| s.uid.as_str()), Some(large::COMPREHENSIVE_SR));
    let values = r.elements.iter().flatten().filter(|e| e.tag == "(0040,A30A)").count();
    assert_eq!(values, large::GROUPS * large::MEASUREMENTS);
}
