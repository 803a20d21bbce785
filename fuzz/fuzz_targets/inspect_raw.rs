//! Any bytes at all: the whole inspection, with the element tree and the pixel scan.
#![no_main]

use dicom_inspector::{inspect_file, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = Options::default().with_elements(true).with_max_inflated_bytes(8 << 20).with_path("fuzz/doe-jane.dcm");
    let report = inspect_file(data, &options);
    assert_eq!(report.size, data.len() as u64);
});
