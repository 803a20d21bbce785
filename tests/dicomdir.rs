//! DICOMDIR records (PS3.3 F.5): the demo study, offsets that loop or point
//! nowhere, and the corpus's DICOMDIRs against dcmdump and the files they
//! reference.

mod common;

use dicom_core::Tag;
use dicom_inspector::demo::{self, study};
use dicom_inspector::report::DirectoryRecordReport;
use dicom_inspector::scan::{self, Kind};
use dicom_inspector::{inspect_file, Options};

fn records(bytes: &[u8]) -> Vec<DirectoryRecordReport> {
    inspect_file(bytes, &Options::default()).dicomdir.expect("a DICOMDIR has a dicomdir entry").records
}

/// Overwrites the UL value of `tag` in the `item`-th directory record.
fn set_link(bytes: &mut [u8], item: usize, tag: Tag, value: u32) {
    let s = scan::scan(bytes, &Options::default());
    let items: Vec<usize> = s.elements.iter().enumerate().filter(|(_, e)| e.kind == Kind::Item).map(|(i, _)| i).collect();
    let at = s.child(items[item], tag).expect("link element").value_offset() as usize;
    drop(s);
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

fn item_offsets(bytes: &[u8]) -> Vec<u32> {
    let s = scan::scan(bytes, &Options::default());
    s.elements.iter().filter(|e| e.kind == Kind::Item).map(|e| e.offset as u32).collect()
}

#[test]
fn demo_dicomdir_lists_its_records_in_tree_order() {
    let r = records(&study::dicomdir());
    let kinds: Vec<&str> = r.iter().map(|r| r.record_type.as_deref().unwrap_or("")).collect();
    assert_eq!(kinds, ["PATIENT", "STUDY", "SERIES", "IMAGE", "IMAGE", "IMAGE", "IMAGE"]);
    let ids: Vec<&str> = r.iter().filter_map(|r| r.file_id.as_deref()).collect();
    assert_eq!(ids, ["IMAGES/IM0001", "IMAGES/IM0002", "IMAGES/IM0003", "IMAGES/IM0004"]);
    for (i, image) in r[3..].iter().enumerate() {
        assert_eq!(image.sop_instance_uid, Some(demo::uid(710 + i as u64)));
        assert_eq!(image.sop_class_uid.as_deref(), Some(demo::CT_IMAGE_STORAGE));
        assert_eq!(image.transfer_syntax_uid.as_deref(), Some(demo::ts::EXPLICIT_LE));
        assert_eq!(image.patient_id.as_deref(), Some(study::ERIKA.id));
        assert_eq!(image.patient_name.as_deref(), Some(study::ERIKA.name));
        assert_eq!(image.study_instance_uid, Some(demo::uid(1007)));
        assert_eq!(image.series_instance_uid, Some(demo::uid(2071)));
    }
    assert_eq!(r[0].study_instance_uid, None, "a PATIENT record has no study");
    assert_eq!(r.iter().map(|r| r.offset as u32).collect::<Vec<_>>(), item_offsets(&study::dicomdir()));
}

#[test]
fn study_folder_holds_the_referenced_files_but_one() {
    let files = study::files();
    let dir = &files.iter().find(|(n, ..)| n == "study/DICOMDIR").expect("DICOMDIR").2;
    let mut missing = Vec::new();
    for record in records(dir).iter().filter(|r| r.file_id.is_some()) {
        let path = format!("study/{}", record.file_id.as_deref().unwrap_or_default());
        match files.iter().find(|(n, ..)| *n == path) {
            Some((_, _, bytes)) => {
                let r = inspect_file(bytes, &Options::default());
                assert_eq!(r.summary.sop_instance_uid, record.sop_instance_uid, "{path}");
                assert_eq!(r.summary.series_instance_uid, record.series_instance_uid, "{path}");
                assert_eq!(r.summary.patient_id, record.patient_id, "{path}");
                assert!(r.dicomdir.is_none());
            }
            None => missing.push(path),
        }
    }
    assert_eq!(missing, ["study/IMAGES/IM0004"]);
    let page: Vec<_> = demo::page_files().into_iter().filter(|f| f.folder == Some("study")).map(|f| f.file).collect();
    assert_eq!(page, ["study/DICOMDIR", "study/IMAGES/IM0001", "study/IMAGES/IM0002", "study/IMAGES/IM0003"]);
}

#[test]
fn cycles_in_the_offsets_end_and_list_each_record_once() {
    let mut bytes = study::dicomdir();
    let at = item_offsets(&bytes);
    // The last image's next record is the patient; the series is its own lower level.
    set_link(&mut bytes, 6, Tag(0x0004, 0x1400), at[0]);
    set_link(&mut bytes, 2, Tag(0x0004, 0x1420), at[2]);
    let r = records(&bytes);
    assert_eq!(r.len(), 7);
    let mut offsets: Vec<u64> = r.iter().map(|r| r.offset).collect();
    offsets.sort_unstable();
    offsets.dedup();
    assert_eq!(offsets.len(), 7, "each record once");

    // Every record its own next: a self-loop at each level.
    let mut bytes = study::dicomdir();
    for (i, &o) in at.iter().enumerate() {
        set_link(&mut bytes, i, Tag(0x0004, 0x1400), o);
        set_link(&mut bytes, i, Tag(0x0004, 0x1420), o);
    }
    let r = records(&bytes);
    assert_eq!(r.len(), 7);
}

#[test]
fn offsets_that_resolve_to_nothing_fall_back_to_sequence_order() {
    let mut bytes = study::dicomdir();
    let s = scan::scan(&bytes, &Options::default());
    let root = s.top_level(Tag(0x0004, 0x1200)).expect("root offset").value_offset() as usize;
    drop(s);
    bytes[root..root + 4].copy_from_slice(&12345u32.to_le_bytes());
    let r = records(&bytes);
    assert_eq!(r.len(), 7);
    let images: Vec<_> = r.iter().filter(|r| r.record_type.as_deref() == Some("IMAGE")).collect();
    assert_eq!(images.len(), 4);
    assert!(images.iter().all(|i| i.patient_id.as_deref() == Some(study::ERIKA.id) && i.series_instance_uid == Some(demo::uid(2071))));

    // A broken link in the middle: the records after it are still listed.
    let mut bytes = study::dicomdir();
    set_link(&mut bytes, 3, Tag(0x0004, 0x1400), 7);
    let r = records(&bytes);
    assert_eq!(r.iter().filter(|r| r.file_id.is_some()).count(), 4);
}

#[test]
fn other_files_have_no_dicomdir_entry() {
    for (name, _, bytes) in demo::files() {
        assert!(inspect_file(&bytes, &Options::default()).dicomdir.is_none(), "{name}");
    }
    let json = serde_json::to_value(inspect_file(&demo::files()[0].2, &Options::default())).expect("json");
    assert!(json.get("dicomdir").is_none(), "absent, not null, for other files");
}

/// `dcmdump +P 0004,1500`: the Referenced File IDs, in sequence order.
fn dcmdump_file_ids(path: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("dcmdump").args(["+P", "0004,1500"]).arg(path).output().expect("run dcmdump");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.replace('\\', "/")))
        .collect()
}

#[test]
fn corpus_dicomdirs_match_dcmdump_and_the_files_they_reference() {
    let Some(dir) = common::corpus_dir("corpus DICOMDIR") else { return };
    let rows = common::manifest(&dir);
    let dirs: Vec<_> = rows.iter().filter(|r| r.notes.contains("DICOMDIR (")).collect();
    assert!(dirs.len() >= 8, "the corpus has pydicom's DICOMDIRs");
    let dcmdump = common::have("dcmdump");
    if !dcmdump {
        assert!(std::env::var_os("CI").is_none(), "dcmdump is missing: scripts/test installs it");
        println!("SKIPPED dcmdump comparison: no dcmdump");
    }
    let reference = records(&std::fs::read(dir.join("pydicom/test_files/dicomdirtests/DICOMDIR")).expect("read"));
    for row in dirs {
        let path = dir.join(&row.path);
        let bytes = std::fs::read(&path).expect("read DICOMDIR");
        let r = records(&bytes);
        // The manifest says "DICOMDIR (52 records)".
        let declared: usize = row.notes.split("DICOMDIR (").nth(1).and_then(|t| t.split(' ').next()).and_then(|n| n.parse().ok()).expect("record count");
        assert_eq!(r.len(), declared, "{}", row.path);
        let mut ours: Vec<String> = r.iter().filter_map(|r| r.file_id.clone()).collect();
        if dcmdump {
            let mut theirs = dcmdump_file_ids(&path);
            ours.sort();
            theirs.sort();
            assert_eq!(ours, theirs, "{}: file ids", row.path);
        }
        // Records whose links hold (all but the one with invalid record
        // types) have the patient, study and series of the referenced file.
        let base = path.parent().expect("folder");
        if !row.path.ends_with("nopatient") {
            for record in r.iter().filter(|r| r.file_id.is_some()) {
                let file = base.join(record.file_id.as_deref().unwrap_or_default());
                let Ok(image) = std::fs::read(&file) else { panic!("{}: {} is referenced but absent", row.path, file.display()) };
                let image = inspect_file(&image, &Options::default());
                assert_eq!(image.summary.sop_instance_uid, record.sop_instance_uid, "{}", file.display());
                assert_eq!(image.summary.study_instance_uid, record.study_instance_uid, "{}", file.display());
                assert_eq!(image.summary.series_instance_uid, record.series_instance_uid, "{}", file.display());
                assert_eq!(image.summary.patient_id, record.patient_id, "{}", file.display());
            }
        }
        // The same directory in other encodings and record orders reads the same.
        let same = ["DICOMDIR-bigEnd", "DICOMDIR-implicit", "DICOMDIR-reordered", "DICOMDIR-nooffset"];
        if same.iter().any(|s| row.path.ends_with(s)) {
            let key = |r: &DirectoryRecordReport| (r.record_type.clone(), r.file_id.clone(), r.sop_instance_uid.clone(), r.patient_id.clone(), r.study_instance_uid.clone(), r.series_instance_uid.clone());
            assert_eq!(r.iter().map(key).collect::<Vec<_>>(), reference.iter().map(key).collect::<Vec<_>>(), "{}", row.path);
        }
    }
}
