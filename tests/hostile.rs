//! The attack corpus (src/demo/hostile.rs): every file gives a report within
//! a time and memory bound, with the limit it hit reported as a finding.
//! Bounds are generous on purpose; the measured figures are printed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use dicom_inspector::demo::hostile;
use dicom_inspector::report::FileReport;
use dicom_inspector::{inspect, inspect_file, Options};

/// Counts live and peak heap bytes, to bound each file's memory.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Tests measure one at a time: the counters are global.
static SERIAL: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Inspects `bytes`, asserting a time and an extra-memory bound; returns the report.
fn bounded(name: &str, bytes: &[u8], options: &Options, time: Duration, memory: usize) -> FileReport {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let report = inspect_file(bytes, options);
    let elapsed = start.elapsed();
    let extra = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    println!("{name}: {} bytes in, {elapsed:?}, peak {} MB extra, {} findings", bytes.len(), extra >> 20, report.findings.len());
    assert!(elapsed < time, "{name}: {elapsed:?} is over {time:?}");
    assert!(extra < memory, "{name}: {} MB is over {} MB", extra >> 20, memory >> 20);
    report
}

fn has(report: &FileReport, code: &str) -> bool {
    report.findings.iter().any(|f| f.code == code)
}

const MB: usize = 1 << 20;

#[test]
fn huge_declared_lengths_at_every_level() {
    let _serial = SERIAL.lock();
    for (i, file) in hostile::huge_lengths().iter().enumerate() {
        let r = bounded(&format!("huge length {i}"), file, &Options::default().with_elements(true), Duration::from_secs(2), 16 * MB);
        assert!(r.findings.iter().any(|f| f.code.starts_with("integrity.")), "case {i}: {:?}", r.findings);
    }
}

#[test]
fn sequences_nested_100000_deep() {
    let _serial = SERIAL.lock();
    let file = hostile::deep_nesting(100_000);
    let r = bounded("100,000 nested sequences", &file, &Options::default().with_elements(true), Duration::from_secs(5), 64 * MB);
    assert!(has(&r, "integrity.limit"));
}

#[test]
fn a_million_tiny_elements() {
    let _serial = SERIAL.lock();
    let file = hostile::many_elements(1_000_000);
    let r = bounded("1,000,000 elements", &file, &Options::default(), Duration::from_secs(20), 512 * MB);
    assert!(r.element_count >= 1_000_000);
    let limited = bounded("1,000,000 elements, limit 100,000", &file, &Options::default().with_max_elements(100_000), Duration::from_secs(5), 128 * MB);
    assert!(has(&limited, "integrity.limit"));
}

#[test]
fn time_limit_stops_the_walk_and_keeps_what_was_read() {
    let _serial = SERIAL.lock();
    let file = hostile::many_elements(1_000_000);
    let r = bounded("1,000,000 elements, 1 ms", &file, &Options::default().with_max_millis(Some(1)), Duration::from_secs(5), 512 * MB);
    let limit = r.findings.iter().find(|f| f.code == "integrity.limit").expect("a limit finding");
    assert!(limit.message.contains("time limit of 1 ms"), "{}", limit.message);
    assert!(r.element_count > 0 && r.element_count < 1_000_000, "kept {} elements", r.element_count);
    // Without a limit the same file is read to its end.
    let whole = inspect_file(&file, &Options::default().with_max_millis(None));
    assert!(whole.element_count >= 1_000_000);
    assert!(!has(&whole, "integrity.limit"));
}

/// The rules count a unit of work per element for each family, as the walk
/// does, and the clock is read when the work crosses 1,024 units: a slice
/// of 220-odd elements is walked whole under a zero limit, then a rule
/// family is left out once the count crosses, and the report says which.
#[test]
fn time_limit_between_rule_families() {
    let _serial = SERIAL.lock();
    let slice = &dicom_inspector::demo::ct_series(1)[0].1;
    let whole = inspect_file(slice, &Options::default().with_pixel_scan(false));
    let zero = inspect_file(slice, &Options::default().with_pixel_scan(false).with_max_millis(Some(0)));
    assert!(whole.element_count < 1024, "the slice is walked without a clock read");
    assert_eq!(zero.element_count, whole.element_count, "and whole");
    let limit = zero.findings.iter().find(|f| f.code == "integrity.limit").expect("a limit finding");
    assert!(limit.message.contains("rules were not run"), "{}", limit.message);
    // The families that ran found what they find without a limit.
    let key = |f: &dicom_inspector::Finding| (f.code.to_string(), f.message.to_string(), f.offset);
    let all: Vec<_> = whole.findings.iter().map(key).collect();
    assert!(zero.findings.iter().filter(|f| f.code != "integrity.limit").all(|f| all.contains(&key(f))));
}

#[test]
fn deflate_bomb_past_a_gigabyte() {
    let _serial = SERIAL.lock();
    let file = hostile::deflate_bomb(1 << 30);
    assert!(file.len() < 2 * MB, "the bomb is {} bytes", file.len());
    let r = bounded("deflate bomb (1 GiB)", &file, &Options::default(), Duration::from_secs(30), 300 * MB);
    assert!(has(&r, "integrity.limit"), "{:?}", r.findings);
    let small = bounded("deflate bomb, limit 16 MiB", &file, &Options::default().with_max_inflated_bytes(16 << 20), Duration::from_secs(5), 40 * MB);
    assert!(has(&small, "integrity.limit"));
}

#[test]
fn pdf_stream_bomb() {
    let _serial = SERIAL.lock();
    let file = hostile::pdf_bomb(512 << 20);
    let r = bounded("PDF stream bomb (512 MiB)", &file, &Options::default().with_max_inflated_bytes(32 << 20), Duration::from_secs(20), 120 * MB);
    assert!(has(&r, "integrity.limit"), "{:?}", r.findings);
}

#[test]
fn broken_offset_tables_and_overflowing_pixels() {
    let _serial = SERIAL.lock();
    for (i, file) in hostile::bad_offset_tables().iter().enumerate() {
        let r = bounded(&format!("offset table {i}"), file, &Options::default(), Duration::from_secs(2), 16 * MB);
        assert!(r.pixels.is_some());
    }
    for (i, file) in hostile::overflowing_pixels().iter().enumerate() {
        let r = bounded(&format!("overflowing pixels {i}"), file, &Options::default(), Duration::from_secs(2), 16 * MB);
        let p = r.pixels.expect("pixel report");
        assert!(!p.decodable && p.decode_error.is_some(), "case {i}");
    }
}

#[test]
fn misused_escape_sequences() {
    let _serial = SERIAL.lock();
    for (i, file) in hostile::escape_misuse().iter().enumerate() {
        let r = bounded(&format!("escapes {i}"), file, &Options::default().with_elements(true), Duration::from_secs(2), 16 * MB);
        assert!(r.elements.is_some_and(|e| e.len() > 5));
    }
}

#[test]
fn markup_is_data_in_the_report() {
    let file = hostile::markup();
    let report = inspect(&file, &Options::default().with_elements(true));
    let json = serde_json::to_string(&report).unwrap();
    // JSON escapes nothing HTML-specific: the page must (and does) render text.
    assert!(json.contains("<script>alert(1)</script>"));
    let r = &report.files[0];
    let name = r.elements.as_ref().unwrap().iter().find(|e| e.tag == "(0008,0080)").unwrap();
    assert_eq!(name.value.as_deref(), Some(hostile::MARKUP));
}
