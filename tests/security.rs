//! Transfer, security and integrity findings on the project's own files:
//! each finding triggered by one file, with exact code, severity and offset,
//! and a file that must not trigger it.

use dicom_inspector::report::{FileReport, Finding, Severity};
use dicom_inspector::{demo, inspect_file, Options};

fn demo_file(name: &str) -> Vec<u8> {
    demo::files().into_iter().find(|(n, _, _)| *n == name).unwrap_or_else(|| panic!("no demo {name}")).2
}

fn inspect(bytes: &[u8]) -> FileReport {
    inspect_file(bytes, &Options::default())
}

fn only<'r>(r: &'r FileReport, code: &str) -> Vec<&'r Finding> {
    r.findings.iter().filter(|f| f.code == code).collect()
}

fn one<'r>(r: &'r FileReport, code: &str) -> &'r Finding {
    let found = only(r, code);
    assert_eq!(found.len(), 1, "{code}: {:?}", r.findings);
    found[0]
}

#[test]
fn preamble_executable_is_high_and_tiff_is_info() {
    let pe = inspect(&demo_file("sec-preamble-pe.dcm"));
    let f = one(&pe, "security.preamble");
    assert_eq!((f.severity, f.offset, f.length), (Severity::High, Some(0), Some(128)));
    assert!(f.message.contains("PE signature") && f.reference.as_deref().unwrap().contains("CVE-2019-11687"));
    let tiff = inspect(&demo_file("sec-preamble-tiff.dcm"));
    assert_eq!(one(&tiff, "security.preamble").severity, Severity::Info);
    assert!(only(&inspect(&demo::clean_security()), "security.preamble").is_empty(), "zeros say nothing");
    // Other non-zero bytes: low, with a preview.
    let mut p = [0u8; 128];
    p[10] = 0xAB;
    let odd = inspect(&demo::part10_with_preamble(&p, &[], demo::ts::EXPLICIT_LE, demo::CT_IMAGE_STORAGE, "2.25.1"));
    let f = one(&odd, "security.preamble");
    assert_eq!(f.severity, Severity::Low);
    assert!(f.message.contains("from byte 10") && f.message.contains("AB"), "{}", f.message);
}

#[test]
fn trailing_archive_is_high_with_offset_and_length() {
    let bytes = demo_file("sec-trailing-zip.dcm");
    let r = inspect(&bytes);
    let f = one(&r, "security.trailing_data");
    assert_eq!(f.severity, Severity::High);
    let start = f.offset.unwrap() as usize;
    assert_eq!(&bytes[start..start + 4], b"PK\x03\x04");
    assert_eq!(f.length, Some((bytes.len() - start) as u64));
    assert!(r.findings.iter().all(|f| f.code != "integrity.invalid_vr"), "the fault is explained once");
    // Negative: a file that is merely truncated has no trailing data.
    let cut = &bytes[..bytes.len() - 200];
    assert!(only(&inspect(cut), "security.trailing_data").is_empty());
    assert!(only(&inspect(&demo::clean_security()), "security.trailing_data").is_empty());
}

#[test]
fn executable_inside_a_value() {
    let r = inspect(&demo_file("sec-embedded-elf.dcm"));
    let f = one(&r, "security.embedded_executable");
    assert_eq!((f.severity, f.tag.as_deref()), (Severity::High, Some("(0009,1001)")));
    assert!(f.message.contains("ELF") && f.message.contains("byte 32"));
    // Negative: pixel data and a PDF document are not executables.
    assert!(only(&inspect(&demo_file("phi-embedded-pdf.dcm")), "security.embedded_executable").is_empty());
    assert!(only(&inspect(&demo_file("ct-explicit-le.dcm")), "security.embedded_executable").is_empty());
}

#[test]
fn weak_mac_and_signature_details() {
    let r = inspect(&demo_file("sec-weak-signature.dcm"));
    let f = one(&r, "security.weak_signature");
    assert_eq!((f.severity, f.path.as_deref()), (Severity::High, Some("(4FFE,0001)[0].(0400,0015)")));
    assert!(f.message.contains("MD5") && f.message.contains("2 element(s) signed"));
    let s = one(&r, "security.signature");
    assert!(s.message.contains("X509_1993_SIG") && s.message.contains("20240315101500"));
    assert!(only(&r, "security.unsigned").is_empty());
    let asked = inspect_file(&demo::clean_security(), &Options::default().with_check_signatures(true));
    assert_eq!(one(&asked, "security.unsigned").severity, Severity::Info);
    assert!(only(&inspect(&demo::clean_security()), "security.unsigned").is_empty(), "only when asked");
}

#[test]
fn plaintext_urls_and_network_identity() {
    let r = inspect(&demo_file("sec-network.dcm"));
    let url = one(&r, "security.plaintext_url");
    assert_eq!((url.severity, url.tag.as_deref()), (Severity::Medium, Some("(0008,1190)")));
    let tags: Vec<_> = only(&r, "security.network_identity").iter().map(|f| f.tag.clone().unwrap()).collect();
    for t in ["(0008,0054)", "(0008,1010)", "(0020,4000)"] {
        assert!(tags.iter().any(|tag| tag == t), "{t} in {tags:?}");
    }
    let clean = inspect(&demo::clean_security());
    assert!(only(&clean, "security.plaintext_url").is_empty() && only(&clean, "security.network_identity").is_empty());
}

#[test]
fn an_empty_number_between_backslashes_is_no_network_path() {
    // Pixel Spacing with an empty middle value (legal: three values) holds
    // two backslashes before a digit, as a UNC path does; a department name
    // holding a UNC path is still one.
    let mut w = demo::Writer::explicit_le();
    w.text(0x0008, 0x1040, "LO", "\\\\fileserver\\dicom");
    w.text(0x0028, 0x0030, "DS", "0.5\\\\0.5");
    let r = inspect(&demo::part10(&w.bytes, demo::ts::EXPLICIT_LE, demo::SECONDARY_CAPTURE, "2.25.1"));
    let tags: Vec<_> = only(&r, "security.network_identity").iter().map(|f| f.tag.clone().unwrap()).collect();
    assert_eq!(tags, ["(0008,1040)"]);
}

#[test]
fn transfer_findings() {
    let lossy = inspect(&demo_file("sec-lossy-unflagged.dcm"));
    assert!(lossy.findings.iter().any(|f| f.code == "transfer.lossy" && f.severity == Severity::Medium && f.message.contains("is absent")));
    assert!(lossy.findings.iter().any(|f| f.code == "transfer.lossy" && f.severity == Severity::Low));
    let unknown = inspect(&demo_file("sec-unknown-syntax.dcm"));
    let f = one(&unknown, "transfer.unknown_syntax");
    assert_eq!((f.severity, f.tag.as_deref()), (Severity::Medium, Some("(0002,0010)")));
    assert_eq!(unknown.summary.patient_name.as_deref(), Some("DOE^JANE^Q"), "still read");
    assert_eq!(one(&inspect(&demo_file("ct-big-endian.dcm")), "transfer.retired_syntax").severity, Severity::Medium);
    assert_eq!(one(&inspect(&demo_file("mr-implicit-le.dcm")), "transfer.implicit_vr").severity, Severity::Low);
    assert_eq!(one(&inspect(&demo_file("ct-deflated.dcm")), "transfer.deflate").severity, Severity::Info);
    let clean = inspect(&demo::clean_security());
    assert!(clean.findings.iter().all(|f| !f.code.starts_with("transfer.")), "{:?}", clean.findings);
}

#[test]
fn integrity_rules() {
    let bytes = demo_file("integrity-faults.dcm");
    let r = inspect(&bytes);
    let at = |code: &str| one(&r, code).tag.clone().unwrap();
    assert_eq!(at("integrity.meta_mismatch"), "(0008,0018)");
    assert_eq!(at("integrity.duplicate_tag"), "(0008,0060)");
    assert_eq!(at("integrity.out_of_order"), "(0008,0070)");
    assert_eq!(at("integrity.group_length"), "(0002,0000)");
    assert_eq!(at("integrity.invalid_uid"), "(0008,0018)");
    assert_eq!(at("integrity.invalid_value"), "(0008,0020)");
    assert_eq!(at("integrity.odd_length"), "(0008,1090)");
    let dup = one(&r, "integrity.duplicate_tag");
    let o = dup.offset.unwrap() as usize;
    assert_eq!(&bytes[o..o + 4], &[0x08, 0x00, 0x60, 0x00], "offset points at the duplicate's header");
    assert!(one(&r, "integrity.implementation").message.contains("DICOMINSPECT01"));
    let clean = inspect(&demo::clean_security());
    let loud: Vec<_> = clean.findings.iter().filter(|f| f.code.starts_with("integrity.") && f.severity > Severity::Info).collect();
    assert!(loud.is_empty(), "{loud:?}");
}
