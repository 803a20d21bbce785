//! PHI findings on the project's own files: a positive and a negative case
//! for every family, checked by exact code, severity and tag.

use dicom_inspector::options::ProfileOption;
use dicom_inspector::report::{FileReport, Severity};
use dicom_inspector::{demo, inspect_file, Options};

fn demo_file(name: &str) -> Vec<u8> {
    demo::files().into_iter().find(|(n, _, _)| *n == name).unwrap_or_else(|| panic!("no demo {name}")).2
}

fn inspect_demo(name: &str, options: Options) -> FileReport {
    inspect_file(&demo_file(name), &options.with_path(name))
}

/// (code, severity, tag) of every finding of a family.
fn found(r: &FileReport, code: &str) -> Vec<(Severity, Option<String>)> {
    r.findings.iter().filter(|f| f.code == code).map(|f| (f.severity, f.tag.as_ref().map(|t| t.to_string()))).collect()
}

fn has(r: &FileReport, code: &str, severity: Severity, tag: &str) -> bool {
    r.findings.iter().any(|f| f.code == code && f.severity == severity && f.tag.as_deref() == Some(tag))
}

#[test]
fn profile_attributes_are_graded() {
    let r = inspect_demo("ct-explicit-le.dcm", Options::default());
    assert!(has(&r, "phi.attribute", Severity::High, "(0010,0010)"), "name is direct");
    assert!(has(&r, "phi.attribute", Severity::High, "(0010,0020)"));
    assert!(has(&r, "phi.attribute", Severity::High, "(0010,0030)"), "birth date is direct");
    assert!(has(&r, "phi.attribute", Severity::High, "(0008,0050)"), "accession number is direct");
    assert!(has(&r, "phi.attribute", Severity::Medium, "(0008,0080)"), "institution is quasi");
    assert!(has(&r, "phi.attribute", Severity::Medium, "(0008,0020)"), "study date is quasi");
    assert!(has(&r, "phi.attribute", Severity::Low, "(0008,0018)"), "2.25 UID looks replaced");
    let name = r.findings.iter().find(|f| f.tag.as_deref() == Some("(0010,0010)")).unwrap();
    assert!(name.message.contains("Patient's Name") && name.message.contains("action Z"), "{}", name.message);
    assert!(!name.message.contains("DOE"), "the value itself never appears in a message");
    // Rows, pixel data and the like are not in the profile.
    assert!(!r.findings.iter().any(|f| f.tag.as_deref() == Some("(0028,0010)")));
}

#[test]
fn profile_options_change_the_findings() {
    let plain = inspect_demo("ct-explicit-le.dcm", Options::default());
    let kept = inspect_demo(
        "ct-explicit-le.dcm",
        Options::default().with_profile_option(ProfileOption::RetainInstitutionIdentity).with_profile_option(ProfileOption::RetainLongitudinalFullDates),
    );
    assert!(has(&plain, "phi.attribute", Severity::Medium, "(0008,0080)"));
    assert!(!kept.findings.iter().any(|f| f.tag.as_deref() == Some("(0008,0080)")), "institution kept by option");
    assert!(!kept.findings.iter().any(|f| f.tag.as_deref() == Some("(0008,0020)")), "dates kept by option");
    let cleaned = inspect_demo("ct-explicit-le.dcm", Options::default().with_profile_option(ProfileOption::CleanDescriptors));
    let desc = cleaned.findings.iter().find(|f| f.tag.as_deref() == Some("(0008,1030)")).unwrap();
    assert!(desc.message.contains("action C"), "{}", desc.message);
}

#[test]
fn free_text_finds_identity_and_generic_identifiers() {
    let r = inspect_demo("phi-free-text.dcm", Options::default());
    let history = found(&r, "phi.free_text").into_iter().filter(|(_, t)| t.as_deref() == Some("(0010,21B0)")).collect::<Vec<_>>();
    assert!(history.contains(&(Severity::High, Some("(0010,21B0)".into()))), "identity in Additional Patient History");
    assert!(history.contains(&(Severity::Medium, Some("(0010,21B0)".into()))), "phone and e-mail");
    let f = r.findings.iter().find(|f| f.code == "phi.free_text" && f.severity == Severity::High).unwrap();
    assert!(f.message.contains("name") && f.message.contains("birth date"), "{}", f.message);
    assert!(!f.message.to_lowercase().contains("jane"));
    assert!(has(&r, "phi.free_text", Severity::Medium, "(0020,4000)"), "Dr. Watson and a record number");
    // Negative: the plain CT's descriptions name nobody.
    let plain = inspect_demo("ct-explicit-le.dcm", Options::default());
    assert!(found(&plain, "phi.free_text").is_empty(), "{:?}", found(&plain, "phi.free_text"));
}

#[test]
fn private_text_is_one_finding_per_block() {
    let (_, bytes) = demo::ct_series(1).remove(0);
    let r = inspect_file(&bytes, &Options::default().with_pixel_scan(false));
    let blocks: Vec<_> = r.findings.iter().filter(|f| f.code == "phi.private_tag").collect();
    assert_eq!(blocks.len(), 1, "the scanner's block is one finding: {blocks:?}");
    let f = blocks[0];
    assert_eq!(f.tag.as_deref(), Some("(0009,1000)"), "it points at the block's first element");
    assert_eq!(f.message, r#"80 private elements (creator "DEMO SCANNER 1.0"), (0009,1000) to (0009,104F), hold text"#);
    // Its span runs from the first element's header to the end of the last value.
    let last = dicom_inspector::scan::scan(&bytes, &Options::default()).elements.into_iter().find(|e| e.tag == dicom_core::Tag(0x0009, 0x104F)).unwrap();
    assert_eq!(f.offset.unwrap() + f.length.unwrap(), last.value_offset() + u64::from(last.available));
}

#[test]
fn private_text_is_reported_unless_safe_and_retained() {
    let r = inspect_demo("sr-nested-private.dcm", Options::default());
    assert!(has(&r, "phi.private_tag", Severity::Medium, "(0029,1010)"), "private text");
    assert!(!r.findings.iter().any(|f| f.code == "phi.private_tag" && f.tag.as_deref() == Some("(0029,1020)")), "binary without text");
    assert!(has(&r, "phi.free_text", Severity::High, "(0029,1010)"), "the private text names the patient");
    assert!(has(&r, "phi.structured_content", Severity::Medium, "(0040,A160)") || has(&r, "phi.free_text", Severity::High, "(0040,A160)"));
}

#[test]
fn uids_with_dates_ids_and_roots() {
    let r = inspect_demo("phi-uid-leaks.dcm", Options::default());
    assert!(has(&r, "phi.uid", Severity::Medium, "(0008,0018)"), "date in the SOP Instance UID");
    assert!(has(&r, "phi.uid", Severity::High, "(0020,000D)"), "patient ID in the Study Instance UID");
    let roots: Vec<&str> = r.findings.iter().filter(|f| f.code == "phi.uid_root").map(|f| &*f.message).collect();
    assert!(roots.iter().any(|m| m.contains("1.2.840.113619") && m.contains("GE")), "{roots:?}");
    let kept = inspect_demo("phi-uid-leaks.dcm", Options::default().with_profile_option(ProfileOption::RetainUids));
    assert!(found(&kept, "phi.uid").is_empty());
    // Negative: UUID-derived UIDs neither leak nor name a root.
    let clean = inspect_demo("ct-explicit-le.dcm", Options::default());
    assert!(found(&clean, "phi.uid").is_empty() && found(&clean, "phi.uid_root").is_empty());
}

#[test]
fn structured_content_and_graphics() {
    let sr = inspect_demo("phi-structured-report.dcm", Options::default());
    assert!(has(&sr, "phi.structured_content", Severity::High, "(0040,A123)"), "person name item");
    assert!(has(&sr, "phi.structured_content", Severity::Medium, "(0040,A121)"), "date item");
    assert!(has(&sr, "phi.free_text", Severity::High, "(0040,A160)"), "text item names the patient");
    let pr = inspect_demo("phi-graphics.dcm", Options::default());
    assert!(has(&pr, "phi.graphics", Severity::Medium, "(0070,0006)"));
    assert!(has(&pr, "phi.free_text", Severity::High, "(0070,0006)"));
    let f = pr.findings.iter().find(|f| f.code == "phi.graphics" && f.tag.as_deref() == Some("(0070,0006)")).unwrap();
    assert_eq!(f.path.as_deref(), Some("(0070,0001)[0].(0070,0008)[0].(0070,0006)"));
    // Negative: an image without SR or annotations has neither.
    let ct = inspect_demo("ct-explicit-le.dcm", Options::default());
    assert!(found(&ct, "phi.structured_content").is_empty() && found(&ct, "phi.graphics").is_empty());
}

#[test]
fn embedded_pdf_text_is_searched() {
    let r = inspect_demo("phi-embedded-pdf.dcm", Options::default());
    assert!(has(&r, "phi.embedded_document", Severity::High, "(0042,0011)"));
    let f = r.findings.iter().find(|f| f.code == "phi.embedded_document").unwrap();
    assert!(f.message.contains("name") && f.message.contains("ID") && f.message.contains("telephone"), "{}", f.message);
}

#[test]
fn overlays_burned_in_and_inconsistent_deidentification() {
    let r = inspect_demo("phi-overlay.dcm", Options::default());
    assert!(has(&r, "phi.overlay", Severity::Medium, "(6000,3000)"));
    let r = inspect_demo("phi-burned-in.dcm", Options::default());
    assert!(has(&r, "phi.burned_in", Severity::High, "(0028,0301)"));
    let r = inspect_demo("phi-inconsistent-deid.dcm", Options::default());
    assert!(has(&r, "phi.inconsistent_deid", Severity::High, "(0012,0062)"));
    // Negatives: the plain CT has no overlay and says nothing about burned-in text.
    let ct = inspect_demo("ct-explicit-le.dcm", Options::default());
    assert!(found(&ct, "phi.overlay").is_empty() && found(&ct, "phi.burned_in").is_empty());
}

#[test]
fn dark_text_on_a_scanned_form_is_found_in_the_pixels() {
    // The demo form prints the name at (24, 44), 12 px tall, dark on light paper.
    let r = inspect_demo("phi-scanned-form.dcm", Options::default());
    assert!(has(&r, "phi.burned_in", Severity::High, "(7FE0,0010)"), "{:?}", r.findings);
    let regions = &r.pixels.as_ref().expect("pixels").text_regions;
    assert_eq!(regions.len(), 1, "one frame: {regions:?}");
    let b = &regions[0].boxes;
    assert!(b.iter().any(|b| b.x <= 24 && b.y <= 44 && b.x + b.width >= 24 + 100 && b.y + b.height >= 56), "the name's line: {b:?}");
    // Headers only, the pixels are not searched: the modality's risk alone.
    let r = inspect_demo("phi-scanned-form.dcm", Options::default().with_pixel_scan(false));
    assert!(!has(&r, "phi.burned_in", Severity::High, "(7FE0,0010)") && has(&r, "phi.burned_in", Severity::Medium, "(7FE0,0010)"), "{:?}", r.findings);
}

#[test]
fn text_in_a_segmented_palette_ultrasound_is_found() {
    // The demo draws the name at (8, 6) and the date at (150, 6), 12 px tall,
    // in the palette entry that its segmented tables make amber.
    let r = inspect_demo("phi-palette-ultrasound.dcm", Options::default());
    let pixels = r.pixels.as_ref().expect("pixels");
    assert!(pixels.decodable, "{:?}", pixels.decode_error);
    assert!(has(&r, "phi.burned_in", Severity::High, "(7FE0,0010)"), "{:?}", r.findings);
    let b = &pixels.text_regions[0].boxes;
    for (x, width) in [(8, 48), (150, 66)] {
        assert!(b.iter().any(|b| b.x <= x + 8 && b.x + b.width >= x + width && b.y <= 12 && b.y + b.height >= 12), "text at x {x}: {b:?}");
    }
}

#[test]
fn modality_aware_burned_in_risk() {
    // Secondary capture with pixels and no Burned In Annotation: medium.
    let mut w = demo::Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", demo::SECONDARY_CAPTURE).text(0x0008, 0x0060, "CS", "OT").us(0x0028, 0x0010, &[2]);
    w.pixels_u16(&[0, 0, 0, 0]);
    let file = demo::part10(&w.bytes, demo::ts::EXPLICIT_LE, demo::SECONDARY_CAPTURE, "2.25.1");
    let r = inspect_file(&file, &Options::default());
    assert!(has(&r, "phi.burned_in", Severity::Medium, "(7FE0,0010)"), "{:?}", r.findings);
}

#[test]
fn file_names_and_batch_identities() {
    let r = inspect_demo("doe-jane-knee.dcm", Options::default());
    let f: Vec<_> = r.findings.iter().filter(|f| f.code == "phi.filename").collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::High);
    assert!(f[0].tag.is_none() && f[0].offset.is_none(), "whole-file finding");
    let r = inspect_demo("ct-explicit-le.dcm", Options::default());
    assert!(found(&r, "phi.filename").is_empty());

    let note = demo_file("phi-batch-note.dcm");
    let alone = inspect_file(&note, &Options::default());
    assert!(!has(&alone, "phi.free_text", Severity::High, "(0020,4000)"), "its own identity is anonymous");
    let batch = dicom_inspector::identity_values(&demo_file("ct-explicit-le.dcm"));
    let together = inspect_file(&note, &Options::default().with_batch_identities(batch));
    let f = together.findings.iter().find(|f| f.code == "phi.free_text" && f.tag.as_deref() == Some("(0020,4000)")).expect("batch match");
    assert_eq!(f.severity, Severity::High);
    assert!(f.message.contains("another file of this batch"));
}

#[test]
fn properly_deidentified_file_has_nothing_above_low() {
    let r = inspect_demo("clean-deidentified.dcm", Options::default());
    let loud: Vec<_> = r.findings.iter().filter(|f| f.code.starts_with("phi.") && f.severity > Severity::Low).collect();
    assert!(loud.is_empty(), "{loud:?}");
    assert!(!found(&r, "phi.attribute").is_empty(), "UIDs are still listed, as low");
}

#[test]
fn findings_carry_explanations_and_references() {
    for (name, _, bytes) in demo::files() {
        let r = inspect_file(&bytes, &Options::default().with_path(name));
        for f in r.findings.iter().filter(|f| f.code.starts_with("phi.")) {
            assert!(f.reference.is_some(), "{name}: {} has no reference", f.code);
            assert!(f.explanation.as_deref().is_some_and(|e| e.len() > 40), "{name}: {} has no explanation", f.code);
        }
    }
}
