//! The WASM boundary in headless Chromium (wasm-bindgen-test): the exported
//! `inspect` gives exactly the JSON the native CLI gives, on corpus files and
//! the project's own files. `scripts/test` writes the fixtures (N.dcm and the
//! CLI's N.json) into the folder named by DI_WASM_FIXTURES before building.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixture {
    ($n:literal) => {
        (
            $n,
            include_bytes!(concat!(env!("DI_WASM_FIXTURES"), "/", $n, ".dcm")).as_slice(),
            include_str!(concat!(env!("DI_WASM_FIXTURES"), "/", $n, ".json")),
        )
    };
}

const FIXTURES: [(&str, &[u8], &str); 12] = [
    fixture!("0"),
    fixture!("1"),
    fixture!("2"),
    fixture!("3"),
    fixture!("4"),
    fixture!("5"),
    fixture!("6"),
    fixture!("7"),
    fixture!("8"),
    fixture!("9"),
    fixture!("10"),
    fixture!("11"),
];

fn options(path: &str) -> JsValue {
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"path".into(), &format!("{path}.dcm").into()).expect("set path");
    js_sys::Reflect::set(&o, &"elements".into(), &JsValue::TRUE).expect("set elements");
    o.into()
}

/// JSON numbers as f64: JavaScript writes 600.0 as 600, serde_json keeps 600.0.
fn numbers_as_f64(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Number(n) => n.as_f64().map_or(Value::Null, |f| serde_json::json!(f)),
        Value::Array(a) => Value::Array(a.into_iter().map(numbers_as_f64).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect()),
        other => other,
    }
}

#[wasm_bindgen_test]
fn wasm_report_equals_native_report() {
    for (name, bytes, native) in FIXTURES {
        let report = dicom_inspector::wasm::inspect(js_sys::Uint8Array::from(bytes).into(), options(name)).expect("inspect");
        let json = js_sys::JSON::stringify(&report).expect("stringify").as_string().expect("string");
        let ours = numbers_as_f64(serde_json::from_str(&json).expect("wasm JSON"));
        let theirs = numbers_as_f64(serde_json::from_str(native).expect("native JSON"));
        assert!(ours["files"][0]["elements"].as_array().is_some_and(|e| !e.is_empty()), "fixture {name}: no elements");
        assert_eq!(ours, theirs, "fixture {name}: WASM and native reports differ");
    }
}

#[wasm_bindgen_test]
fn headers_only_inspection_reads_ranges_and_gives_the_native_report() {
    // Without the pixel scan the bytes are copied in ranges (headers, and
    // what follows native pixel data): the report is the native one.
    for (name, bytes, _) in FIXTURES {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"pixel_scan".into(), &JsValue::FALSE).expect("set pixel_scan");
        js_sys::Reflect::set(&o, &"elements".into(), &JsValue::TRUE).expect("set elements");
        let report = dicom_inspector::wasm::inspect(js_sys::Uint8Array::from(bytes).into(), o.into()).expect("inspect");
        let json = js_sys::JSON::stringify(&report).expect("stringify").as_string().expect("string");
        let ours = numbers_as_f64(serde_json::from_str(&json).expect("wasm JSON"));
        let native = dicom_inspector::inspect(bytes, &dicom_inspector::Options::default().with_pixel_scan(false).with_elements(true));
        let theirs = numbers_as_f64(serde_json::to_value(&native).expect("native JSON"));
        assert_eq!(ours, theirs, "fixture {name}");
    }
    // An ArrayBuffer is read through a view of it.
    let (_, bytes, _) = FIXTURES[0];
    let buffer = js_sys::Uint8Array::from(bytes).buffer();
    let report = dicom_inspector::wasm::inspect(buffer.into(), JsValue::UNDEFINED).expect("inspect an ArrayBuffer");
    let json = js_sys::JSON::stringify(&report).expect("stringify").as_string().expect("string");
    assert!(json.contains("\"is_dicom\":true"), "{json}");
}

#[wasm_bindgen_test]
fn bad_options_are_an_error_not_a_panic() {
    let bad = js_sys::Object::new();
    js_sys::Reflect::set(&bad, &"max_depth".into(), &"deep".into()).expect("set");
    assert!(dicom_inspector::wasm::inspect(js_sys::Uint8Array::from(&b"DICM"[..]).into(), bad.into()).is_err());
}

#[wasm_bindgen_test]
fn garbage_gives_a_report() {
    let report = dicom_inspector::wasm::inspect(js_sys::Uint8Array::from(&[0xFF; 300][..]).into(), JsValue::UNDEFINED).expect("report");
    let json = js_sys::JSON::stringify(&report).expect("stringify").as_string().expect("string");
    assert!(json.contains("integrity."), "{json}");
}

#[wasm_bindgen_test]
fn simd_window_kernel_equals_scalar_in_the_browser() {
    use dicom_inspector::pixels::kernels::{window_to_rgba, window_to_rgba_scalar, Affine};
    let mut state = 12345u32;
    for round in 0..200 {
        let n = (round * 7) % 301;
        let values: Vec<i32> = (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state % 70000) as i32 - 20000
            })
            .collect();
        let m = Affine::window(1.0 + round as f64 / 100.0, -1024.0, (round as f64) * 10.0 - 500.0, 1.0 + round as f64 * 37.0, round % 2 == 0, round % 3 == 0);
        let mut a = vec![0u8; n * 4];
        let mut b = vec![1u8; n * 4];
        window_to_rgba(&values, m, &mut a);
        window_to_rgba_scalar(&values, m, &mut b);
        assert_eq!(a, b, "round {round}");
    }
}

#[wasm_bindgen_test]
fn simd_min_max_equals_scalar_in_the_browser() {
    use dicom_inspector::pixels::kernels::{min_max, min_max_scalar};
    let mut state = 99u32;
    for n in 0..300 {
        let values: Vec<i32> = (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as i32
            })
            .collect();
        assert_eq!(min_max(&values), min_max_scalar(&values), "n = {n}");
    }
}

#[wasm_bindgen_test]
fn simd_gray8_equals_scalar_in_the_browser() {
    use dicom_inspector::pixels::kernels::{to_gray8, to_gray8_scalar};
    let mut state = 7u32;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for n in 0..300 {
        let values: Vec<i32> = (0..n).map(|_| (next() as i32) >> (next() % 20)).collect();
        let lo = (next() as i32) >> (next() % 24);
        let hi = lo.saturating_add((next() >> (next() % 28)) as i32);
        let (mut a, mut b) = (vec![1u8; n], vec![2u8; n]);
        to_gray8(&values, lo, hi, &mut a);
        to_gray8_scalar(&values, lo, hi, &mut b);
        assert_eq!(a, b, "n = {n}, lo = {lo}, hi = {hi}");
    }
}

#[wasm_bindgen_test]
fn simd_16_bit_range_grid_and_gray8_equal_scalar_in_the_browser() {
    use dicom_inspector::pixels::activity::{block_ranges_scalar, Activity, PeakKeys};
    use dicom_inspector::pixels::decode::NativeWords;
    use dicom_inspector::pixels::native16::{block_ranges, fold_keys, fold_keys_scalar, keys, keys_scalar, min_max_scalar, to_gray8, to_gray8_scalar16, Layout16};
    let mut state = 11u32;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for n in 0..300usize {
        let bytes: Vec<u8> = (0..n).map(|_| next() as u8).collect();
        let Some(layout) = Layout16::new(1 + (next() % 16) as u16, (next() % 16) as u16, next() % 2 == 0) else { continue };
        // The range grid: rows folded, then blocks, and the range it gives.
        let start: Vec<i16> = (0..n / 2).map(|_| next() as i16).collect();
        let (mut lo, mut hi, mut lo2, mut hi2) = (start.clone(), start.clone(), start.clone(), start.clone());
        fold_keys(&bytes, layout, &mut lo, &mut hi);
        fold_keys_scalar(&bytes, layout, &mut lo2, &mut hi2);
        assert_eq!((&lo, &hi), (&lo2, &hi2), "n = {n}, {layout:?}");
        let blocks = n / 16 + 1;
        let (mut a, mut b, mut a2, mut b2) = (vec![7i16; blocks], vec![7i16; blocks], vec![7i16; blocks], vec![7i16; blocks]);
        block_ranges(&lo, &hi, &mut a, &mut b);
        block_ranges_scalar(&lo, &hi, &mut a2, &mut b2);
        assert_eq!((a, b), (a2, b2), "n = {n}");
        let width = 1 + n % 7;
        let frame = &bytes[..2 * width * (n / 2 / width)];
        let words = NativeWords { bytes: frame, layout, invert: next() % 2 == 0 };
        let range = Activity::default().measure_words(&words, width, n / 2 / width, &mut Default::default(), 40);
        assert_eq!(range.map(|(lo, hi, _)| (lo, hi)), min_max_scalar(frame, layout), "n = {n}, {layout:?}");
        // Keys, and a cell's peaks among them (eight columns in a vector).
        let (mut k, mut k2) = (vec![3i16; n / 2], vec![4i16; n / 2]);
        keys(&bytes, layout, &mut k);
        keys_scalar(&bytes, layout, &mut k2);
        assert_eq!(k, k2, "n = {n}, {layout:?}");
        let (width, height) = (16 + n % 9, 12 + n % 13);
        let grid: Vec<i16> = (0..width * height).map(|_| (next() % 120) as i16 - 60).collect();
        let frame = PeakKeys { keys: &grid, width, height, top: 0 };
        let (x, y, threshold, invert) = (4 + n % (width - 15), n % height, 1 + (next() % 90) as i16, next() % 2 == 0);
        let rows = y..(y + 8).min(height);
        let scalar = (x..x + 8).any(|x| frame.column_has_peak(x, rows.clone(), threshold, invert));
        assert_eq!(frame.cell_has_peak(x, rows.clone(), threshold, invert), scalar, "n = {n}, {x} {rows:?} {threshold} {invert}");
        let (lo, hi) = min_max_scalar(&bytes, layout).unwrap_or((0, 1));
        let (mut a, mut b) = (vec![1u8; n / 2], vec![2u8; n / 2]);
        to_gray8(&bytes, layout, lo, hi, &mut a);
        to_gray8_scalar16(&bytes, layout, lo, hi, &mut b);
        assert_eq!(a, b, "n = {n}, {layout:?}");
    }
}

#[wasm_bindgen_test]
fn file_size_option_gives_a_headers_only_report() {
    for (name, bytes, _) in FIXTURES {
        let prefix = &bytes[..bytes.len() / 2];
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"file_size".into(), &JsValue::from_f64(bytes.len() as f64)).expect("set file_size");
        let report = dicom_inspector::wasm::inspect(js_sys::Uint8Array::from(prefix).into(), o.into()).expect("inspect");
        let json = js_sys::JSON::stringify(&report).expect("stringify").as_string().expect("string");
        let ours = numbers_as_f64(serde_json::from_str(&json).expect("wasm JSON"));
        let native = dicom_inspector::inspect(prefix, &dicom_inspector::Options::default().with_file_size(bytes.len() as u64));
        let theirs = numbers_as_f64(serde_json::to_value(&native).expect("native JSON"));
        assert_eq!(ours, theirs, "fixture {name}");
        let partial = &ours["files"][0]["partial"];
        assert_eq!(partial["file_size"], serde_json::json!(bytes.len() as f64), "fixture {name}");
        assert_eq!(partial["loaded_bytes"], serde_json::json!(prefix.len() as f64), "fixture {name}");
    }
}
