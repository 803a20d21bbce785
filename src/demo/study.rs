//! A small fictional study on media: a DICOMDIR (PS3.10 8.6, PS3.3 F.5) and
//! the CT files it references, with one reference left dangling on purpose
//! so that the page can show a file the directory names but nobody dropped.

use super::{ct_slice, part10, ts, uid, Patient, Writer, CT_IMAGE_STORAGE};
use crate::dicomdir::MEDIA_STORAGE_DIRECTORY_STORAGE;

/// The patient of the demo study (fictional).
pub const ERIKA: Patient = Patient { name: "MUSTERMANN^ERIKA", id: "DEMO-0004", birth_date: "19640812", sex: "F", accession: "ACC-20240004" };

/// The demo numbers of the study's slices; the last one is referenced by the
/// DICOMDIR but not written.
const SLICES: [u64; 4] = [710, 711, 712, 713];

/// The Referenced File ID of slice `i` (components, PS3.10 8.2: upper case,
/// digits and `_`, at most 8 characters each).
fn file_id(i: usize) -> [String; 2] {
    ["IMAGES".to_owned(), format!("IM{:04}", i + 1)]
}

/// One directory record's item, with its offsets given.
fn record(kind: &str, next: u32, lower: u32, body: impl FnOnce(&mut Writer)) -> Writer {
    let mut w = Writer::explicit_le();
    w.ul(0x0004, 0x1400, next).us(0x0004, 0x1410, &[0xFFFF]).ul(0x0004, 0x1420, lower).text(0x0004, 0x1430, "CS", kind);
    body(&mut w);
    w
}

/// The records of the study, linked by the item offsets in `at` (one per
/// record, in sequence order: PATIENT, STUDY, SERIES, IMAGE × 4).
fn records(at: &[u32]) -> Vec<Writer> {
    let o = |i: usize| at.get(i).copied().unwrap_or(0);
    let study_uid = uid(1000 + SLICES[0] / 100);
    let series_uid = uid(2000 + SLICES[0] / 10);
    let mut out = vec![
        record("PATIENT", 0, o(1), |w| {
            w.text(0x0010, 0x0010, "PN", ERIKA.name).text(0x0010, 0x0020, "LO", ERIKA.id);
        }),
        record("STUDY", 0, o(2), |w| {
            w.text(0x0008, 0x0020, "DA", "20240315")
                .text(0x0008, 0x0030, "TM", "101500")
                .text(0x0008, 0x0050, "SH", ERIKA.accession)
                .text(0x0008, 0x1030, "LO", "Demo study")
                .text(0x0020, 0x000D, "UI", &study_uid)
                .text(0x0020, 0x0010, "SH", "1");
        }),
        record("SERIES", 0, o(3), |w| {
            w.text(0x0008, 0x0060, "CS", "CT").text(0x0020, 0x000E, "UI", &series_uid).text(0x0020, 0x0011, "IS", "1");
        }),
    ];
    for (i, &n) in SLICES.iter().enumerate() {
        let next = if i + 1 < SLICES.len() { o(4 + i) } else { 0 };
        out.push(record("IMAGE", next, 0, |w| {
            w.text(0x0004, 0x1500, "CS", &file_id(i).join("\\"))
                .text(0x0004, 0x1510, "UI", CT_IMAGE_STORAGE)
                .text(0x0004, 0x1511, "UI", &uid(n))
                .text(0x0004, 0x1512, "UI", ts::EXPLICIT_LE)
                .text(0x0020, 0x0013, "IS", &(n % 1000).to_string());
        }));
    }
    out
}

/// The data set of the DICOMDIR with the given record offsets.
fn directory_dataset(first: u32, last: u32, at: &[u32]) -> Vec<u8> {
    let mut w = Writer::explicit_le();
    w.text(0x0004, 0x1130, "CS", "DEMO_STUDY")
        .ul(0x0004, 0x1200, first)
        .ul(0x0004, 0x1202, last)
        .us(0x0004, 0x1212, &[0])
        .sequence(0x0004, 0x1220, &records(at), false);
    w.bytes
}

const FILE_SET_INSTANCE: u64 = 714;

/// The DICOMDIR of the demo study. Offsets count from the first byte of the
/// file (the preamble opens the File Meta Information, PS3.10 7.1).
pub fn dicomdir() -> Vec<u8> {
    let wrap = |dataset: &[u8]| part10(dataset, ts::EXPLICIT_LE, MEDIA_STORAGE_DIRECTORY_STORAGE, &uid(FILE_SET_INSTANCE));
    // Offsets do not change any length (UL values), so a first pass with
    // zeros gives every item's position.
    let draft = records(&[]);
    let dataset_start = wrap(&[]).len();
    let mut header = Writer::explicit_le();
    header.text(0x0004, 0x1130, "CS", "DEMO_STUDY").ul(0x0004, 0x1200, 0).ul(0x0004, 0x1202, 0).us(0x0004, 0x1212, &[0]).header(0x0004, 0x1220, "SQ", 0xFFFF_FFFF);
    let mut at = Vec::with_capacity(draft.len());
    let mut pos = dataset_start + header.bytes.len();
    for item in &draft {
        at.push(pos as u32);
        // Item header, the record, Item Delimitation Item.
        pos += 8 + item.bytes.len() + 8;
    }
    let first = at.first().copied().unwrap_or(0);
    wrap(&directory_dataset(first, first, &at))
}

/// The study folder as the demo writer lays it out: `study/DICOMDIR` and the
/// images it references, except `IMAGES/IM0004`, which is missing on purpose.
pub fn files() -> Vec<(String, &'static str, Vec<u8>)> {
    let mut out = vec![("study/DICOMDIR".to_owned(), "DICOMDIR of a small CT study: 4 image records, one of which references a file that is not there", dicomdir())];
    for (i, &n) in SLICES.iter().enumerate().take(SLICES.len() - 1) {
        let bytes = part10(&ct_slice(&ERIKA, n, 128, true, false), ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(n));
        out.push((format!("study/{}", file_id(i).join("/")), "CT slice referenced by the study's DICOMDIR", bytes));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_offsets_point_at_item_tags() {
        let bytes = dicomdir();
        let scan = crate::scan::scan(&bytes, &crate::Options::default());
        let items: Vec<u64> = scan.elements.iter().filter(|e| e.kind == crate::scan::Kind::Item).map(|e| e.offset).collect();
        assert_eq!(items.len(), 7);
        for at in items {
            assert_eq!(&bytes[at as usize..at as usize + 4], &[0xFE, 0xFF, 0x00, 0xE0]);
        }
    }
}
