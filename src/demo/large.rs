//! A large, well-formed file for the page's element tree: a Comprehensive SR
//! measurement report (PS3.3 A.35.3; content items PS3.3 C.17.3) with about
//! 60,000 elements in nested sequences. Fictional measurements of a
//! fictional patient.

use super::{part10, study_series, ts, uid, Writer, JOHN};

pub const COMPREHENSIVE_SR: &str = "1.2.840.10008.5.1.4.1.1.88.33";
/// Measurement groups (containers) in the report.
pub const GROUPS: usize = 100;
/// Numeric measurements in each group.
pub const MEASUREMENTS: usize = 49;

/// A code sequence item: (0008,0100), (0008,0102), (0008,0104).
fn code(value: &str, scheme: &str, meaning: &str) -> Writer {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0100, "SH", value).text(0x0008, 0x0102, "SH", scheme).text(0x0008, 0x0104, "LO", meaning);
    w
}

/// A NUM content item with a value in millimetres.
fn measurement(group: usize, n: usize) -> Writer {
    const NAMES: [(&str, &str); 4] = [("410668003", "Length"), ("103355008", "Width"), ("131190003", "Radius"), ("81827009", "Diameter")];
    let (value, meaning) = NAMES[n % NAMES.len()];
    let mut units = Writer::explicit_le();
    units.sequence(0x0040, 0x08EA, &[code("mm", "UCUM", "millimeter")], true);
    units.text(0x0040, 0xA30A, "DS", &format!("{}.{}", 3 + (group * 7 + n * 13) % 60, (group + n) % 10));
    let mut w = Writer::explicit_le();
    w.text(0x0040, 0xA010, "CS", "CONTAINS")
        .text(0x0040, 0xA040, "CS", "NUM")
        .sequence(0x0040, 0xA043, &[code(value, "SCT", meaning)], true)
        .sequence(0x0040, 0xA300, &[units], true);
    w
}

/// A measurement group: a CONTAINER of NUM items.
fn group(g: usize) -> Writer {
    let items: Vec<Writer> = (0..MEASUREMENTS).map(|n| measurement(g, n)).collect();
    let mut w = Writer::explicit_le();
    w.text(0x0040, 0xA010, "CS", "CONTAINS")
        .text(0x0040, 0xA040, "CS", "CONTAINER")
        .sequence(0x0040, 0xA043, &[code("125007", "DCM", "Measurement Group")], true)
        .text(0x0040, 0xA050, "CS", "SEPARATE")
        .sequence(0x0040, 0xA730, &items, false);
    w
}

/// The report: about 60,000 elements (some 80,000 nodes with the items).
pub fn big_structured_report() -> Vec<u8> {
    const N: u64 = 800;
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0005, "CS", "ISO_IR 192")
        .text(0x0008, 0x0016, "UI", COMPREHENSIVE_SR)
        .text(0x0008, 0x0018, "UI", &uid(N))
        .text(0x0008, 0x0020, "DA", "20240315")
        .text(0x0008, 0x0030, "TM", "101500")
        .text(0x0008, 0x0050, "SH", JOHN.accession)
        .text(0x0008, 0x0060, "CS", "SR")
        .text(0x0010, 0x0010, "PN", JOHN.name)
        .text(0x0010, 0x0020, "LO", JOHN.id)
        .text(0x0010, 0x0030, "DA", JOHN.birth_date)
        .text(0x0010, 0x0040, "CS", JOHN.sex);
    study_series(&mut w, N);
    let groups: Vec<Writer> = (0..GROUPS).map(group).collect();
    w.text(0x0040, 0xA040, "CS", "CONTAINER")
        .sequence(0x0040, 0xA043, &[code("126000", "DCM", "Imaging Measurement Report")], true)
        .text(0x0040, 0xA050, "CS", "SEPARATE")
        .text(0x0040, 0xA491, "CS", "COMPLETE")
        .text(0x0040, 0xA493, "CS", "UNVERIFIED")
        .sequence(0x0040, 0xA730, &groups, false);
    part10(&w.bytes, ts::EXPLICIT_LE, COMPREHENSIVE_SR, &uid(N))
}
