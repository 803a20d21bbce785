//! DICOMDIR (Media Storage Directory Storage, PS3.10 8.6; PS3.3 F.3, F.5):
//! the directory records and the files they reference.
//!
//! A DICOMDIR holds its records as the items of the Directory Record
//! Sequence (0004,1220). The tree of records (PATIENT → STUDY → SERIES →
//! IMAGE, ...) is not the sequence order: it is linked by byte offsets of
//! item tags (PS3.3 F.3.2.2), counted from the first byte of the File Meta
//! Information, which in PS3.10 7.1 begins with the 128-byte preamble, so
//! from the first byte of the file:
//!
//! ```text
//! (0004,1200) offset of the first record of the root directory entity
//! (0004,1400) in a record: offset of the next record at the same level
//! (0004,1420) in a record: offset of the first record one level lower
//! ```
//!
//! The records are read by following those links from the root, depth first,
//! each record visited at most once (a cycle of offsets ends there). A record
//! the links do not reach is still listed, after the others, unless its
//! Record In-use Flag (0004,1410) says it is inactive; when the root offset
//! resolves to no record, every record is listed in sequence order. Patient,
//! study and series identity comes from the record itself, else from its
//! enclosing PATIENT, STUDY and SERIES records (in sequence order for the
//! records the links do not reach).

use std::collections::HashMap;

use dicom_core::{Tag, VR};

use crate::report::{DicomdirReport, DirectoryRecordReport};
use crate::scan::{Element, Kind, Scan};
use crate::values;

/// Media Storage Directory Storage SOP Class (PS3.4 Annex B.5, PS3.10 8.6).
pub const MEDIA_STORAGE_DIRECTORY_STORAGE: &str = "1.2.840.10008.1.3.10";

const FIRST_RECORD_OFFSET: Tag = Tag(0x0004, 0x1200);
const DIRECTORY_RECORD_SEQUENCE: Tag = Tag(0x0004, 0x1220);
const NEXT_RECORD_OFFSET: Tag = Tag(0x0004, 0x1400);
const RECORD_IN_USE: Tag = Tag(0x0004, 0x1410);
const LOWER_LEVEL_OFFSET: Tag = Tag(0x0004, 0x1420);
const RECORD_TYPE: Tag = Tag(0x0004, 0x1430);
const REFERENCED_FILE_ID: Tag = Tag(0x0004, 0x1500);
const REFERENCED_SOP_CLASS: Tag = Tag(0x0004, 0x1510);
const REFERENCED_SOP_INSTANCE: Tag = Tag(0x0004, 0x1511);
const REFERENCED_TRANSFER_SYNTAX: Tag = Tag(0x0004, 0x1512);
const PATIENT_NAME: Tag = Tag(0x0010, 0x0010);
const PATIENT_ID: Tag = Tag(0x0010, 0x0020);
const STUDY_INSTANCE_UID: Tag = Tag(0x0020, 0x000D);
const SERIES_INSTANCE_UID: Tag = Tag(0x0020, 0x000E);
const MEDIA_STORAGE_SOP_CLASS: Tag = Tag(0x0002, 0x0002);
const SOP_CLASS: Tag = Tag(0x0008, 0x0016);

/// The identity a record inherits from the records that enclose it.
#[derive(Debug, Clone, Default)]
struct Context {
    patient_id: Option<String>,
    patient_name: Option<String>,
    study_instance_uid: Option<String>,
    series_instance_uid: Option<String>,
}

/// One item of the Directory Record Sequence, as read.
struct Record {
    report: DirectoryRecordReport,
    next: Option<u64>,
    lower: Option<u64>,
    inactive: bool,
}

/// Whether the scanned file is a DICOMDIR: its SOP class says so, or its
/// data set holds a Directory Record Sequence.
pub fn is_dicomdir(scan: &Scan) -> bool {
    let class = scan.meta_element(MEDIA_STORAGE_SOP_CLASS).or_else(|| scan.top_level(SOP_CLASS)).map(|e| values::text_cow(scan, e));
    class.as_deref() == Some(MEDIA_STORAGE_DIRECTORY_STORAGE) || scan.top_level(DIRECTORY_RECORD_SEQUENCE).is_some()
}

/// The directory records of a DICOMDIR, or `None` for any other file.
pub fn read(scan: &Scan) -> Option<DicomdirReport> {
    if !is_dicomdir(scan) {
        return None;
    }
    let Some(sequence) = scan.top_level_all(DIRECTORY_RECORD_SEQUENCE).find(|&i| scan.elements[i].kind == Kind::Sequence) else {
        return Some(DicomdirReport { records: Vec::new() });
    };
    let items: Vec<usize> = scan.children(sequence).filter(|(_, e)| e.kind == Kind::Item).map(|(i, _)| i).collect();

    // Each record read, and the identity it has in sequence order (the fallback).
    let mut records = Vec::with_capacity(items.len());
    let mut in_order = Vec::with_capacity(items.len());
    let mut context = Context::default();
    for &item in &items {
        let record = read_record(scan, item);
        match record.report.record_type.as_deref() {
            Some("PATIENT") => context = Context::default(),
            Some("STUDY") => {
                context.study_instance_uid = None;
                context.series_instance_uid = None;
            }
            Some("SERIES") => context.series_instance_uid = None,
            _ => {}
        }
        let own = inherit(&context, &record.report);
        if matches!(record.report.record_type.as_deref(), Some("PATIENT" | "STUDY" | "SERIES")) {
            context = own.clone();
        }
        in_order.push(own);
        records.push(record);
    }

    let by_offset: HashMap<u64, usize> = records.iter().enumerate().map(|(i, r)| (r.report.offset, i)).collect();
    let resolve = |offset: Option<u64>| offset.filter(|&o| o != 0).and_then(|o| by_offset.get(&o).copied());
    let root = resolve(top_level_ul(scan, FIRST_RECORD_OFFSET));

    let mut visited = vec![false; records.len()];
    let mut order: Vec<(usize, Context)> = Vec::with_capacity(records.len());
    if let Some(root) = root {
        // Depth first: a record, then its lower level, then its next sibling.
        // Every record is entered at most once, so the stack holds at most
        // two entries per record and a cycle of offsets stops here.
        let mut stack = vec![(root, Context::default())];
        while let Some((index, parent)) = stack.pop() {
            if std::mem::replace(&mut visited[index], true) {
                continue;
            }
            let own = inherit(&parent, &records[index].report);
            if let Some(next) = resolve(records[index].next) {
                stack.push((next, parent));
            }
            if let Some(lower) = resolve(records[index].lower) {
                stack.push((lower, own.clone()));
            }
            order.push((index, own));
        }
    }
    for (index, context) in in_order.into_iter().enumerate() {
        if !visited[index] && (root.is_none() || !records[index].inactive) {
            order.push((index, context));
        }
    }

    let records = order
        .into_iter()
        .map(|(index, context)| {
            let mut report = records[index].report.clone();
            report.patient_id = context.patient_id;
            report.patient_name = context.patient_name;
            report.study_instance_uid = context.study_instance_uid;
            report.series_instance_uid = context.series_instance_uid;
            report
        })
        .collect();
    Some(DicomdirReport { records })
}

/// The context a record's children inherit: the parent's, with the
/// record's own values where it has them.
fn inherit(parent: &Context, record: &DirectoryRecordReport) -> Context {
    Context {
        patient_id: record.patient_id.clone().or_else(|| parent.patient_id.clone()),
        patient_name: record.patient_name.clone().or_else(|| parent.patient_name.clone()),
        study_instance_uid: record.study_instance_uid.clone().or_else(|| parent.study_instance_uid.clone()),
        series_instance_uid: record.series_instance_uid.clone().or_else(|| parent.series_instance_uid.clone()),
    }
}

fn read_record(scan: &Scan, item: usize) -> Record {
    let text = |tag: Tag| scan.child(item, tag).filter(|e| e.kind == Kind::Element).map(|e| values::text(scan, e)).filter(|t| !t.is_empty());
    let ul = |tag: Tag| scan.child(item, tag).and_then(|e| ul_value(scan, e));
    // Referenced File ID is a CS of VM 1-8: the path components (PS3.10 8.2).
    let file_id = text(REFERENCED_FILE_ID).map(|t| t.split('\\').map(str::trim).filter(|c| !c.is_empty()).collect::<Vec<_>>().join("/")).filter(|t| !t.is_empty());
    let in_use = scan.child(item, RECORD_IN_USE).map(|e| scan.value(e)).filter(|v| v.len() >= 2);
    Record {
        report: DirectoryRecordReport {
            record_type: text(RECORD_TYPE),
            file_id,
            sop_class_uid: text(REFERENCED_SOP_CLASS),
            sop_instance_uid: text(REFERENCED_SOP_INSTANCE),
            transfer_syntax_uid: text(REFERENCED_TRANSFER_SYNTAX),
            patient_id: text(PATIENT_ID),
            patient_name: text(PATIENT_NAME),
            study_instance_uid: text(STUDY_INSTANCE_UID),
            series_instance_uid: text(SERIES_INSTANCE_UID),
            offset: scan.elements[item].offset,
        },
        next: ul(NEXT_RECORD_OFFSET),
        lower: ul(LOWER_LEVEL_OFFSET),
        // 0000H inactive, FFFFH in use (PS3.3 F.3.2.2, retired but still written).
        inactive: in_use.is_some_and(|v| v[0] == 0 && v[1] == 0),
    }
}

fn top_level_ul(scan: &Scan, tag: Tag) -> Option<u64> {
    scan.top_level(tag).and_then(|e| ul_value(scan, e))
}

/// A 4-byte unsigned value in the element's byte order.
fn ul_value(scan: &Scan, e: &Element) -> Option<u64> {
    if e.kind != Kind::Element || !matches!(e.vr, VR::UL | VR::UN | VR::SL) {
        return None;
    }
    let b = scan.value(e).get(..4)?;
    let v = [b[0], b[1], b[2], b[3]];
    Some(u64::from(if e.little_endian { u32::from_le_bytes(v) } else { u32::from_be_bytes(v) }))
}
