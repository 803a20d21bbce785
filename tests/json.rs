//! The report's JSON writer (`dicom_inspector::json`) gives exactly
//! `serde_json`'s text, compact and pretty, on every report the project's
//! files and the corpus make (element trees, DICOMDIRs, pixels, findings);
//! its numbered form (the WASM boundary's) gives the same report back once
//! the strings are put back, with one table shared by all the reports.

mod common;

use std::cell::RefCell;

use dicom_inspector::{demo, inspect_file, json, Options, Report};
use serde_json::Value;

thread_local! {
    /// The writer's table and the copy a reader keeps (as `www/strings.js` does).
    static TABLES: RefCell<(json::Strings, Vec<Value>)> = RefCell::default();
}

/// The report from a packed one, made again as `www/strings.js` does: the
/// new entries appended to the reader's table, then the values read in
/// turn (json::REPORT_FIELDS, each file's json::FILE_FIELDS and pixel
/// data, its findings), a string or part being the table's entry (n >= 0),
/// null (-1) or the k-th of the call's `texts` (-2 - k); the fields the
/// plain report leaves out when null (a finding's `length` and
/// `explanation`) left out.
fn expand(packed: &json::Packed, table: &mut Vec<Value>) -> Value {
    let envelope: Value = serde_json::from_str(&packed.text).expect("packed JSON parses");
    assert_eq!(envelope["base"].as_u64(), Some(table.len() as u64), "the table's base is the reader's length");
    table.extend(envelope["strings"].as_array().expect("strings").iter().cloned());
    assert!(table.iter().all(|v| v.is_string() || v.is_object()), "strings and parts only");
    let texts = envelope["texts"].as_array().expect("texts");
    let mut values = packed.values.iter().copied();
    let mut next = || {
        let v = values.next().expect("a value for each field");
        assert_eq!(v, v.trunc(), "whole numbers");
        v
    };
    // A string or a part: the table's, the call's own, or null.
    let named = |v: f64| match v {
        -1.0 => Value::Null,
        v if v < 0.0 => texts[(-2.0 - v) as usize].clone(),
        v => table[v as usize].clone(),
    };
    let number = |v: f64| if v == -1.0 { Value::Null } else { Value::from(v as u64) };
    let (tool, summary, files) = (named(next()), named(next()), next() as usize);
    assert!(tool.is_object() && summary.is_object(), "the tool and batch summary are parts");
    let mut report_files = Vec::new();
    for _ in 0..files {
        let mut file = serde_json::Map::new();
        let fields: Vec<f64> = json::FILE_FIELDS.iter().map(|_| next()).collect();
        let field = |name: &str| fields[json::FILE_FIELDS.iter().position(|f| *f == name).expect("a field")];
        file.insert("path".into(), named(field("path")));
        file.insert("size".into(), Value::from(field("size") as u64));
        file.insert("is_dicom".into(), Value::Bool(field("is_dicom") == 1.0));
        for part in ["meta", "transfer_syntax", "sop_class", "pixels"] {
            let value = named(field(part));
            assert!(value.is_object() || (part != "meta" && value.is_null()), "{part} is a part");
            file.insert(part.into(), value);
        }
        file.insert("character_set".into(), named(field("character_set")));
        let mut summary = named(field("summary"));
        assert!(summary["sop_instance_uid"].is_null(), "the summary's part leaves the SOP Instance UID to its file");
        summary["sop_instance_uid"] = named(field("sop_instance_uid"));
        file.insert("summary".into(), summary);
        file.insert("element_count".into(), Value::from(field("element_count") as u64));
        let pixel_data = match next() {
            -1.0 => Value::Null,
            offset => {
                let mut p = serde_json::Map::new();
                p.insert("offset".into(), Value::from(offset as u64));
                p.insert("vr".into(), named(next()));
                p.insert("encapsulated".into(), Value::Bool(next() == 1.0));
                p.insert("length".into(), number(next()));
                let table: Vec<Value> = (0..next() as usize).map(|_| Value::from(next() as u64)).collect();
                p.insert("basic_offset_table".into(), Value::Array(table));
                let fragments: Vec<Value> = (0..next() as usize).map(|_| serde_json::json!({"offset": next() as u64, "length": next() as u64})).collect();
                p.insert("fragments".into(), Value::Array(fragments));
                Value::Object(p)
            }
        };
        file.insert("pixel_data".into(), pixel_data);
        let mut findings = Vec::new();
        for _ in 0..field("findings") as usize {
            let mut object = serde_json::Map::new();
            for &key in &json::FINDING_FIELDS {
                let value = match next() {
                    -1.0 if matches!(key, "length" | "explanation") => continue,
                    v if matches!(key, "offset" | "length") => number(v),
                    v => {
                        let value = named(v);
                        assert!(value.is_string() || value.is_null(), "a finding's {key} is a string");
                        value
                    }
                };
                object.insert(key.to_owned(), value);
            }
            findings.push(Value::Object(object));
        }
        file.insert("findings".into(), Value::Array(findings));
        match named(field("more")) {
            Value::Null => {}
            Value::Object(more) => {
                assert!(!more.is_empty() && more.keys().all(|k| ["partial", "dicomdir", "elements", "elements_omitted"].contains(&k.as_str())), "more: {more:?}");
                file.extend(more);
            }
            other => panic!("more is an object or null, not {other}"),
        }
        report_files.push(Value::Object(file));
    }
    assert!(values.next().is_none(), "every value is read");
    serde_json::json!({"tool": tool, "files": report_files, "summary": summary})
}

#[test]
fn numbered_findings_list_the_fields_in_order() {
    // Every field set, no value with a comma or a colon: the keys in the
    // order the plain JSON writes them are the text between those.
    let finding = dicom_inspector::Finding::new("phi.attribute", dicom_inspector::Severity::High, "m").at(1).span(2).explain("e").reference("r").element("T", "P");
    let text = json::to_string(&finding).expect("json");
    let keys: Vec<&str> = text.trim_matches(['{', '}']).split(',').map(|field| field.split(':').next().unwrap_or_default().trim_matches('"')).collect();
    assert_eq!(keys, json::FINDING_FIELDS, "json::FINDING_FIELDS (and www/strings.js) follow Finding's fields");
}

/// The report as a reader of its plain JSON text sees it (numbers as the text has them).
fn parsed(report: &Report) -> Value {
    serde_json::from_str(&json::to_string(report).expect("json")).expect("json parses")
}

fn same(name: &str, report: &Report) {
    assert!(json::to_string(report).expect("json") == serde_json::to_string(report).expect("serde_json"), "{name}: compact JSON differs");
    assert!(json::to_string_pretty(report).expect("json") == serde_json::to_string_pretty(report).expect("serde_json"), "{name}: pretty JSON differs");
    TABLES.with_borrow_mut(|(strings, table)| {
        let packed = json::to_packed(report, strings).expect("packed");
        assert!(expand(&packed, table) == parsed(report), "{name}: the packed report differs once expanded");
    });
}

#[test]
fn numbered_strings_are_sent_once() {
    let mut strings = json::Strings::default();
    let files = demo::ct_series(2);
    let report = |i: usize| Report::from_files(vec![inspect_file(&files[i].1, &Options::default().with_pixel_scan(false))]);
    let first = json::to_packed(&report(0), &mut strings).expect("json");
    let known = strings.len();
    assert!(known > 3, "the first slice numbers its messages, explanations and references");
    let second = json::to_packed(&report(1), &mut strings).expect("json");
    let sent: Value = serde_json::from_str(&second.text).expect("json");
    assert_eq!(sent["strings"], serde_json::json!([]), "the next slice of the series adds nothing to the table");
    let uid = report(1).files[0].summary.sop_instance_uid.clone().expect("a SOP Instance UID");
    assert_eq!(sent["texts"], serde_json::json!(["", uid]), "and sends only its own path and SOP Instance UID");
    assert_eq!(strings.len(), known);
    let field = |name: &str| second.values[json::REPORT_FIELDS.len() + json::FILE_FIELDS.iter().position(|f| *f == name).expect("a field")];
    for part in ["meta", "transfer_syntax", "sop_class", "pixels", "summary"] {
        assert!(field(part) >= 0.0, "the slice's {part} is the first slice's: a number of the table");
    }
    assert!(second.values[0] >= 0.0 && second.values[1] >= 0.0, "so are the tool and the batch summary");
    assert!((second.text.len() + 8 * second.values.len()) * 3 < json::to_string(&report(1)).expect("json").len(), "packed, a slice's report is under a third of the bytes");
    let mut table = Vec::new();
    expand(&first, &mut table);
    assert_eq!(expand(&second, &mut table), parsed(&report(1)));
}

/// A part the same as the last of its type that a table numbered is sent
/// as that number, by that table only, and only when its text would be the
/// same: a window centre of -0.0 after one of 0.0 is sent whole.
#[test]
fn repeated_parts_are_numbered_by_their_own_table() {
    let files = demo::ct_series(2);
    let report = |i: usize| Report::from_files(vec![inspect_file(&files[i].1, &Options::default().with_pixel_scan(false))]);
    let text = |v: &Value| serde_json::to_string(v).expect("json");
    let (mut a, mut b) = (json::Strings::default(), json::Strings::default());
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    // The second table numbers another file's strings and parts first: its numbers are not the first's.
    let other = &demo::page_files()[0];
    expand(&json::to_packed(&Report::from_files(vec![inspect_file(&other.bytes, &Options::default())]), &mut b).expect("json"), &mut tb);
    for i in [0, 1, 0, 1] {
        let r = report(i);
        for (strings, table) in [(&mut a, &mut ta), (&mut b, &mut tb)] {
            assert_eq!(text(&expand(&json::to_packed(&r, strings).expect("json"), table)), text(&parsed(&r)), "slice {i}");
        }
    }
    for centre in [0.0, -0.0, 0.0] {
        let mut r = report(1);
        r.files[0].pixels.as_mut().expect("pixels").windows[0].0 = centre;
        let sent = expand(&json::to_packed(&r, &mut a).expect("json"), &mut ta);
        assert_eq!(text(&sent), text(&parsed(&r)), "window centre {centre:?}");
    }
}

/// Strings the table has no room for (past `Strings::MAX` entries, or
/// longer than `Strings::MAX_LEN` bytes) travel in the call's own `texts`.
#[test]
fn strings_past_the_tables_room_travel_with_their_report() {
    use dicom_inspector::{Finding, Severity};
    let files = demo::ct_series(1);
    let mut r = Report::from_files(vec![inspect_file(&files[0].1, &Options::default().with_pixel_scan(false))]);
    let findings = &mut r.files[0].findings;
    findings.push(Finding::new("test.long", Severity::Info, "x".repeat(json::Strings::MAX_LEN + 1)));
    for i in 0..json::Strings::MAX {
        findings.push(Finding::new("test.many", Severity::Info, format!("message {i}")).element(format!("(0009,{:04X})", i % 0x10000), format!("path {i}")).at(i as u64));
    }
    let (mut strings, mut table) = (json::Strings::default(), Vec::new());
    let packed = json::to_packed(&r, &mut strings).expect("packed");
    assert_eq!(strings.len(), json::Strings::MAX, "the table is full");
    let sent: Value = serde_json::from_str(&packed.text).expect("json");
    assert!(sent["texts"].as_array().expect("texts").len() > 1000, "the strings past its room are the call's own");
    assert!(expand(&packed, &mut table) == parsed(&r), "and the report is the same once expanded");
}

fn check(name: &str, bytes: &[u8]) {
    let options = Options::default().with_path(name).with_elements(true).with_check_signatures(true);
    same(name, &Report::from_files(vec![inspect_file(bytes, &options)]));
}

#[test]
fn demo_and_attack_reports() {
    let mut files = Vec::new();
    for f in demo::page_files() {
        check(&f.file, &f.bytes);
        files.push(inspect_file(&f.bytes, &Options::default().with_path(&f.file)));
    }
    same("the demo batch", &Report::from_files(files));
}

#[test]
fn corpus_reports() {
    let Some(dir) = common::corpus_dir("corpus_reports") else { return };
    let paths = common::corpus_files(&dir);
    for path in paths {
        check(&path.display().to_string(), &std::fs::read(&path).expect("read corpus file"));
    }
}
