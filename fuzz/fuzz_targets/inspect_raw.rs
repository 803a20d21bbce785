//! Any bytes at all: the whole inspection, with the element tree and the pixel
//! scan; then the same bytes as the first part of a larger file (the page's
//! headers-only read), which must ask for more bytes only within that file.
#![no_main]

use dicom_inspector::{inspect_file, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = Options::default().with_elements(true).with_max_inflated_bytes(8 << 20).with_path("fuzz/doe-jane.dcm");
    let report = inspect_file(data, &options);
    assert_eq!(report.size, data.len() as u64);

    let file_size = data.len() as u64 * 2 + 1;
    let partial = inspect_file(data, &options.clone().with_file_size(file_size));
    assert_eq!(partial.size, file_size);
    if let Some(p) = &partial.partial {
        assert_eq!(p.loaded_bytes, data.len() as u64);
        if let Some(needs) = p.needs_bytes {
            assert!(needs > p.loaded_bytes && needs <= file_size, "needs {needs} of {file_size}");
        }
    }
});
