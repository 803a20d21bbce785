//! Bytes behind a valid preamble and File Meta Information, in a transfer
//! syntax chosen by the first byte: the data set parser and every rule; then
//! the report packed for the WASM boundary, with one table of strings for
//! the whole run (so that it fills up, and strings past its room travel
//! with their report), its values whole numbers.
#![no_main]

use dicom_inspector::demo::part10;
use dicom_inspector::{inspect_file, json, Options, Report};
use libfuzzer_sys::fuzz_target;

const SYNTAXES: [&str; 6] = [
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.4.50",
    "1.2.840.10008.1.2.5",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let file = part10(rest, SYNTAXES[usize::from(pick) % SYNTAXES.len()], "1.2.840.10008.5.1.4.1.1.7", "2.25.1");
    let options = Options::default().with_elements(true).with_max_inflated_bytes(8 << 20);
    let report = Report::from_files(vec![inspect_file(&file, &options)]);
    thread_local! {
        static STRINGS: std::cell::RefCell<json::Strings> = std::cell::RefCell::default();
    }
    let packed = STRINGS.with_borrow_mut(|strings| json::to_packed(&report, strings)).expect("a report packs");
    assert!(packed.values.iter().all(|v| v.is_finite() && v.fract() == 0.0), "whole numbers");
    assert!(packed.text.starts_with("{\"base\":") && packed.text.ends_with("]}"));
});
