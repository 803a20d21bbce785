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

/// The report from a packed one: the new entries appended to the reader's
/// table, the parts numbered whole (an entry that is an object) put back,
/// each file's findings (its count of them, nine values each in turn)
/// made objects again with their numbers replaced by their strings
/// (`offset` and `length` are numbers themselves; -1 null, -2 - k the
/// k-th of the call's `texts`) and the fields left out (null `length` or
/// `explanation`) left out.
fn expand(packed: &json::Packed, table: &mut Vec<Value>) -> Value {
    let Value::Object(mut envelope) = serde_json::from_str(&packed.text).expect("packed JSON parses") else { panic!("not an object") };
    assert_eq!(envelope["base"].as_u64(), Some(table.len() as u64), "the table's base is the reader's length");
    table.extend(envelope["strings"].as_array().expect("strings").iter().cloned());
    assert!(table.iter().all(|v| v.is_string() || v.is_object()), "strings and parts only");
    let texts = envelope["texts"].as_array().expect("texts").clone();
    let mut report = envelope.remove("report").expect("report");
    let part = |value: &mut Value, table: &[Value]| {
        if let Value::Number(n) = value {
            let entry = &table[n.as_u64().expect("an index") as usize];
            assert!(entry.is_object(), "a numbered part is an object");
            *value = entry.clone();
        }
    };
    for key in ["tool", "summary"] {
        part(&mut report[key], table);
    }
    assert_eq!(packed.values.len() % json::FINDING_FIELDS.len(), 0, "whole findings");
    let mut values = packed.values.chunks_exact(json::FINDING_FIELDS.len());
    for file in report["files"].as_array_mut().expect("files") {
        for key in ["meta", "transfer_syntax", "sop_class", "pixels"] {
            part(&mut file[key], table);
        }
        // The summary and pixel data: arrays of their values, in order.
        for (key, fields) in [("summary", &json::SUMMARY_FIELDS[..]), ("pixel_data", &json::PIXEL_DATA_FIELDS[..])] {
            if let Value::Array(values) = &file[key] {
                assert_eq!(values.len(), fields.len(), "{key}: a value for each field");
                file[key] = Value::Object(fields.iter().map(|f| f.to_string()).zip(values.iter().cloned()).collect());
            } else {
                assert!(key == "pixel_data" && file[key].is_null(), "{key} is an array (or no pixel data)");
            }
        }
        let count = file["findings"].as_u64().expect("a file's findings are a count");
        let mut findings = Vec::new();
        for values in values.by_ref().take(count as usize) {
            let mut object = serde_json::Map::new();
            for (&key, &value) in json::FINDING_FIELDS.iter().zip(values) {
                assert_eq!(value, value.trunc(), "whole numbers");
                let value = match value {
                    -1.0 if matches!(key, "length" | "explanation") => continue,
                    -1.0 => Value::Null,
                    v if matches!(key, "offset" | "length") => Value::from(v as u64),
                    v if v < 0.0 => texts[(-2.0 - v) as usize].clone(),
                    v => {
                        let entry = table[v as usize].clone();
                        assert!(entry.is_string(), "a numbered finding value is a string");
                        entry
                    }
                };
                object.insert(key.to_owned(), value);
            }
            findings.push(Value::Object(object));
        }
        file["findings"] = Value::Array(findings);
    }
    assert!(values.next().is_none(), "every value is a file's");
    report
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

/// The packed report's arrays list the summary's and the pixel data's
/// fields in the order the plain JSON writes them.
#[test]
fn packed_arrays_list_the_fields_in_order() {
    let keys = |v: Value| -> Vec<String> {
        let Value::Object(map) = v else { panic!("an object") };
        map.keys().cloned().collect()
    };
    let file = inspect_file(&demo::ct_series(1)[0].1, &Options::default().with_pixel_scan(false));
    assert!(file.pixel_data.is_some() && file.summary.sop_instance_uid.is_some());
    // (serde_json's maps keep their keys in order: the preserve_order feature is not on, so check the text.)
    let summary = json::to_string(&file.summary).expect("json");
    let pixel_data = json::to_string(&file.pixel_data).expect("json");
    for (text, fields) in [(summary, &json::SUMMARY_FIELDS[..]), (pixel_data, &json::PIXEL_DATA_FIELDS[..])] {
        let at: Vec<usize> = fields.iter().map(|f| text.find(&format!("\"{f}\":")).expect("each field is there")).collect();
        assert!(at.is_sorted(), "{fields:?} follow the struct's order in {text}");
        assert_eq!(keys(serde_json::from_str(&text).expect("json")).len(), fields.len(), "and are all its fields");
    }
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
    assert!(second.text.ends_with(",\"texts\":[],\"strings\":[]}"), "the next slice of the series says nothing new");
    assert_eq!(strings.len(), known);
    let sent: Value = serde_json::from_str(&second.text).expect("json");
    for part in ["meta", "transfer_syntax", "sop_class", "pixels"] {
        assert!(sent["report"]["files"][0][part].is_number(), "the slice's {part} is the first slice's: a number");
    }
    assert!(sent["report"]["tool"].is_number() && sent["report"]["summary"].is_number());
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
