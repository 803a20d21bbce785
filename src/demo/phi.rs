//! Demo files for the PHI findings: one family each, with fictional people,
//! plus a properly de-identified file that must stay quiet.

use crate::pixels::font::{draw_text, Font};

use super::{identity, image_pixel_module, image_pixel_module_with, part10, phantom, study_series, ts, uid, Writer, BASIC_TEXT_SR, CT_IMAGE_STORAGE, JANE, JOHN, SECONDARY_CAPTURE};

pub const GSPS: &str = "1.2.840.10008.5.1.4.1.1.11.1";
pub const ENCAPSULATED_PDF: &str = "1.2.840.10008.5.1.4.1.1.104.1";
pub const US_IMAGE: &str = "1.2.840.10008.5.1.4.1.1.6.1";

type DemoFile = (&'static str, &'static str, Vec<u8>);

/// Patient and study header of the non-image demos (groups 0008 and 0010).
fn header(w: &mut Writer, sop_class: &str, n: u64, modality: &str, name: &str, id: &str) {
    w.text(0x0008, 0x0016, "UI", sop_class)
        .text(0x0008, 0x0018, "UI", &uid(n))
        .text(0x0008, 0x0060, "CS", modality)
        .text(0x0010, 0x0010, "PN", name)
        .text(0x0010, 0x0020, "LO", id);
}

fn free_text() -> DemoFile {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0005, "CS", "ISO_IR 100");
    identity(&mut w, &JANE, "CT", CT_IMAGE_STORAGE, 20);
    w.text(0x0010, 0x21B0, "LT", "Patient Jane Doe, born 01/01/1970. Call +1 (555) 010-4477 or jane.doe@example.org before the scan.");
    study_series(&mut w, 20);
    w.text(0x0020, 0x4000, "LT", "Reviewed with Dr. Watson; record 00123456.");
    image_pixel_module(&mut w, 32);
    w.pixels_u16(&phantom(32));
    ("phi-free-text.dcm", "Free text naming the patient, with a phone number, an e-mail and a record number", part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(20)))
}

fn uid_leaks() -> DemoFile {
    let mut w = Writer::explicit_le();
    let sop = "1.2.840.113619.2.55.3.20240315.104512.17";
    w.text(0x0008, 0x0016, "UI", CT_IMAGE_STORAGE)
        .text(0x0008, 0x0018, "UI", sop)
        .text(0x0008, 0x0060, "CS", "CT")
        .text(0x0010, 0x0010, "PN", JOHN.name)
        .text(0x0010, 0x0020, "LO", "7781234")
        .text(0x0020, 0x000D, "UI", "1.2.826.0.1.3680043.9.7781234.1")
        .text(0x0020, 0x000E, "UI", &uid(21));
    ("phi-uid-leaks.dcm", "UIDs built from a date and from the patient's ID, under a vendor root", part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, sop))
}

fn structured_report() -> DemoFile {
    let mut w = Writer::explicit_le();
    header(&mut w, BASIC_TEXT_SR, 22, "SR", JOHN.name, JOHN.id);
    let mut text = Writer::explicit_le();
    text.text(0x0040, 0xA040, "CS", "TEXT").text(0x0040, 0xA160, "UT", "Mr. Roe reports chest pain since Monday.");
    let mut person = Writer::explicit_le();
    person.text(0x0040, 0xA040, "CS", "PNAME").text(0x0040, 0xA123, "PN", "HOUSE^GREGORY");
    let mut date = Writer::explicit_le();
    date.text(0x0040, 0xA040, "CS", "DATE").text(0x0040, 0xA121, "DA", "20240301");
    w.sequence(0x0040, 0xA730, &[text, person, date], false);
    ("phi-structured-report.dcm", "Structured report whose content items hold text, a person's name and a date", part10(&w.bytes, ts::EXPLICIT_LE, BASIC_TEXT_SR, &uid(22)))
}

fn presentation_state() -> DemoFile {
    let mut w = Writer::explicit_le();
    header(&mut w, GSPS, 23, "PR", JANE.name, JANE.id);
    let mut text_object = Writer::explicit_le();
    text_object.text(0x0070, 0x0006, "ST", "DOE JANE 01/01/1970");
    let mut annotation = Writer::explicit_le();
    annotation.text(0x0070, 0x0002, "CS", "TEXT").sequence(0x0070, 0x0008, &[text_object], true);
    w.sequence(0x0070, 0x0001, &[annotation], true);
    ("phi-graphics.dcm", "Presentation state with a text annotation naming the patient", part10(&w.bytes, ts::EXPLICIT_LE, GSPS, &uid(23)))
}

fn embedded_pdf() -> DemoFile {
    let mut w = Writer::explicit_le();
    header(&mut w, ENCAPSULATED_PDF, 24, "DOC", JANE.name, JANE.id);
    let pdf = crate::audit::phi::minimal_pdf("Discharge letter", "Patient: Jane Doe, ID DEMO-0001, call 555 010 4477");
    w.raw(0x0042, 0x0011, "OB", &pdf, 0).text(0x0042, 0x0012, "LO", "application/pdf");
    ("phi-embedded-pdf.dcm", "Encapsulated PDF whose compressed text names the patient", part10(&w.bytes, ts::EXPLICIT_LE, ENCAPSULATED_PDF, &uid(24)))
}

fn overlay() -> DemoFile {
    const SIZE: u16 = 64;
    let mut w = Writer::explicit_le();
    identity(&mut w, &JANE, "CT", CT_IMAGE_STORAGE, 25);
    study_series(&mut w, 25);
    image_pixel_module(&mut w, SIZE);
    // A one-bit overlay plane with a bar where text would be (PS3.3 C.9.2).
    let mut bits = vec![0u8; (SIZE as usize * SIZE as usize) / 8];
    for row in 4..10 {
        for col in 4..40 {
            let i = row * SIZE as usize + col;
            bits[i / 8] |= 1 << (i % 8);
        }
    }
    w.us(0x6000, 0x0010, &[SIZE]).us(0x6000, 0x0011, &[SIZE]).text(0x6000, 0x0040, "CS", "G");
    w.header(0x6000, 0x0050, "SS", 4);
    w.bytes.extend_from_slice(&[1, 0, 1, 0]);
    w.us(0x6000, 0x0100, &[1]).us(0x6000, 0x0102, &[0]).raw(0x6000, 0x3000, "OW", &bits, 0);
    w.pixels_u16(&phantom(SIZE as usize));
    ("phi-overlay.dcm", "CT slice with an overlay plane", part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(25)))
}

fn burned_in() -> DemoFile {
    let mut w = Writer::explicit_le();
    identity(&mut w, &JANE, "US", US_IMAGE, 26);
    study_series(&mut w, 26);
    image_pixel_module_with(&mut w, 32, Some("YES"));
    w.pixels_u16(&phantom(32));
    ("phi-burned-in.dcm", "Ultrasound image that declares burned-in annotation", part10(&w.bytes, ts::EXPLICIT_LE, US_IMAGE, &uid(26)))
}

/// A paper request form scanned as a Secondary Capture: the patient's name
/// and birth date printed dark on light, as scanners and screenshots give
/// them (the pixel scan looks for dark text in 8-bit images).
fn scanned_form() -> DemoFile {
    const W: usize = 320;
    const H: usize = 240;
    let mut w = Writer::explicit_le();
    identity(&mut w, &JANE, "OT", SECONDARY_CAPTURE, 33);
    study_series(&mut w, 33);
    w.grey_image(H as u16, W as u16, None, 8, 8, false);
    // Paper with the scanner's shading and grain, ruled lines, a margin.
    let mut rng = crate::pixels::font::Xorshift(33);
    let mut page: Vec<u8> = (0..W * H).map(|i| (228 + (i % W) * 10 / W) as i32 + rng.noise(5)).map(|v| v.clamp(0, 255) as u8).collect();
    for y in [58, 98, 138] {
        page[y * W + 16..][..W - 32].iter_mut().for_each(|p| *p = 160);
    }
    (0..H).for_each(|y| page[y * W + 12] = 180);
    draw_text(&mut page, W, H, 24, 16, "IMAGING REQUEST", 16, 40, Font::Bold6x9);
    draw_text(&mut page, W, H, 24, 44, "PATIENT DOE^JANE", 12, 30, Font::Bold6x9);
    draw_text(&mut page, W, H, 24, 84, "DOB 01/01/1970", 12, 30, Font::Bold6x9);
    draw_text(&mut page, W, H, 24, 124, "CT CHEST", 12, 30, Font::Thin5x7);
    w.raw(0x7FE0, 0x0010, "OB", &page, 0);
    ("phi-scanned-form.dcm", "A scanned request form: the patient's name printed in the pixels, dark on light", part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(33)))
}

/// An ultrasound stored as PALETTE COLOR with segmented lookup tables
/// (PS3.3 C.7.9.2), as some ultrasound machines write them: grey for the
/// echo, a colour ramp above it, and the patient's name and the date
/// burned in at the top in the ramp's brightest colour. The pixel scan
/// finds the text once the tables are expanded.
fn palette_ultrasound() -> DemoFile {
    const W: usize = 256;
    const H: usize = 192;
    let mut w = Writer::explicit_le();
    identity(&mut w, &JANE, "US", US_IMAGE, 34);
    study_series(&mut w, 34);
    w.us(0x0028, 0x0002, &[1]).text(0x0028, 0x0004, "CS", "PALETTE COLOR");
    w.us(0x0028, 0x0010, &[H as u16]).us(0x0028, 0x0011, &[W as u16]).us(0x0028, 0x0100, &[8]).us(0x0028, 0x0101, &[8]).us(0x0028, 0x0102, &[7]).us(0x0028, 0x0103, &[0]);
    for descriptor in 0x1101..=0x1103 {
        w.us(0x0028, descriptor, &[256, 0, 16]);
    }
    // Entries 0-191 a grey ramp (one discrete entry, then a line), 192-255
    // a ramp to amber; red reaches its top at 223 and stays there by an
    // indirect segment that repeats its last line (word offset 6), which
    // from its own end is flat.
    let table = |top: &[u16]| -> Vec<u8> { [0, 1, 0, 1, 191, 0xBF00].iter().chain(top).flat_map(|v| v.to_le_bytes()).collect() };
    w.raw(0x0028, 0x1221, "OW", &table(&[1, 32, 0xFF00, 2, 1, 6, 0]), 0).raw(0x0028, 0x1222, "OW", &table(&[1, 64, 0xD000]), 0).raw(0x0028, 0x1223, "OW", &table(&[1, 64, 0x4000]), 0);
    // A sector of speckle in greys (indices below 192), the text at 255.
    let mut rng = crate::pixels::font::Xorshift(34);
    let mut frame = vec![0u8; W * H];
    for y in 40..H - 8 {
        let half = (y - 40) * 3 / 4 + 10;
        for x in (W / 2).saturating_sub(half)..(W / 2 + half).min(W) {
            frame[y * W + x] = (70 + rng.noise(40)).clamp(1, 150) as u8;
        }
    }
    draw_text(&mut frame, W, H, 8, 6, "DOE^JANE", 12, 255, Font::Bold6x9);
    draw_text(&mut frame, W, H, 150, 6, "15-MAR-2024", 12, 255, Font::Bold6x9);
    w.raw(0x7FE0, 0x0010, "OB", &frame, 0);
    ("phi-palette-ultrasound.dcm", "Ultrasound in PALETTE COLOR (segmented tables): the name and date burned into the pixels", part10(&w.bytes, ts::EXPLICIT_LE, US_IMAGE, &uid(34)))
}

fn inconsistent() -> DemoFile {
    let mut w = Writer::explicit_le();
    header(&mut w, SECONDARY_CAPTURE, 27, "OT", JANE.name, JANE.id);
    w.text(0x0012, 0x0062, "CS", "YES").text(0x0012, 0x0063, "LO", "DICOM PS3.15 Basic Profile");
    ("phi-inconsistent-deid.dcm", "Says Patient Identity Removed YES, yet the name is still there", part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(27)))
}

/// A properly de-identified CT slice: empty Type 2 identity attributes,
/// UUID-derived UIDs, Patient Identity Removed YES with the method declared.
pub fn clean() -> Vec<u8> {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0016, "UI", CT_IMAGE_STORAGE)
        .text(0x0008, 0x0018, "UI", &uid(28))
        .text(0x0008, 0x0020, "DA", "")
        .text(0x0008, 0x0030, "TM", "")
        .text(0x0008, 0x0050, "SH", "")
        .text(0x0008, 0x0060, "CS", "CT")
        .text(0x0008, 0x0090, "PN", "")
        .text(0x0010, 0x0010, "PN", "")
        .text(0x0010, 0x0020, "LO", "")
        .text(0x0010, 0x0030, "DA", "")
        .text(0x0010, 0x0040, "CS", "")
        .text(0x0012, 0x0062, "CS", "YES")
        .text(0x0012, 0x0063, "LO", "DICOM PS3.15 Basic Profile");
    let mut code = Writer::explicit_le();
    code.text(0x0008, 0x0100, "SH", "113100").text(0x0008, 0x0102, "SH", "DCM").text(0x0008, 0x0104, "LO", "Basic Application Confidentiality Profile");
    w.sequence(0x0012, 0x0064, &[code], false);
    w.text(0x0020, 0x000D, "UI", &uid(29)).text(0x0020, 0x000E, "UI", &uid(30)).text(0x0020, 0x0013, "IS", "1");
    image_pixel_module_with(&mut w, 32, Some("NO"));
    w.pixels_u16(&phantom(32));
    part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(28))
}

/// A file whose own identity is anonymous, but whose comment names the
/// patient of the other files: only the batch search finds it.
fn batch_note() -> DemoFile {
    let mut w = Writer::explicit_le();
    header(&mut w, SECONDARY_CAPTURE, 31, "OT", "ANONYMOUS", "X1");
    w.text(0x0020, 0x4000, "LT", "Follow-up of Jane Doe, see earlier study.");
    ("phi-batch-note.dcm", "Anonymous-looking file whose comment names the patient of the other demo files", part10(&w.bytes, ts::EXPLICIT_LE, SECONDARY_CAPTURE, &uid(31)))
}

/// A file named after its patient.
fn named_file() -> DemoFile {
    let ct = super::ct_slice(&JANE, 32, 16, true, false);
    ("doe-jane-knee.dcm", "A file whose name is the patient's name", part10(&ct, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(32)))
}

pub fn files() -> Vec<DemoFile> {
    vec![
        free_text(),
        uid_leaks(),
        structured_report(),
        presentation_state(),
        embedded_pdf(),
        overlay(),
        burned_in(),
        scanned_form(),
        palette_ultrasound(),
        inconsistent(),
        ("clean-deidentified.dcm", "A properly de-identified CT slice: nothing above low", clean()),
        batch_note(),
        named_file(),
    ]
}
