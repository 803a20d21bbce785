//! Native benchmark of the pixel kernels: each next to its scalar reference,
//! in Mpixel/s, on a 512×512 and a 4096×4096 frame; then the whole pixel
//! scan (decode, range, 8-bit map, burned-in text detector) in GB/s of pixel
//! data and against a plain copy of the same bytes, on the generated CT
//! series, a 4096×4096 frame and the 1,000-frame multi-frame CT.
//! `cargo bench --bench kernels`; `-- --pixel-scan` for the pixel scan only,
//! `-- --pixel-scan series|large|multiframe` for one workload (for a profiler,
//! with BENCH_PASSES=N to repeat it N times as often).

use std::hint::black_box;
use std::time::Instant;

use dicom_inspector::pixels::bench::PixelScan;
use dicom_inspector::pixels::kernels::{self, Affine};
use dicom_inspector::pixels::text;

/// Best time of one call of `f`, in seconds: `passes` timed runs of at
/// least 60 ms each.
fn best_seconds(passes: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut best = f64::INFINITY;
    for _ in 0..passes {
        let t = Instant::now();
        let mut reps = 0;
        while t.elapsed().as_millis() < 60 || reps == 0 {
            f();
            reps += 1;
        }
        best = best.min(t.elapsed().as_secs_f64() / f64::from(reps));
    }
    best
}

/// Best of several timed runs of `f`, in Mpixel/s.
fn mpxs(pixels: usize, f: impl FnMut()) -> f64 {
    pixels as f64 / best_seconds(7, f) / 1e6
}

/// The pixel scan against a copy of the bytes it reads, one row per workload.
fn pixel_scan(only: Option<&str>) {
    let repeat: usize = std::env::var("BENCH_PASSES").ok().and_then(|n| n.parse().ok()).unwrap_or(1);
    println!("| pixel scan | pixel data read | pixel scan GB/s | copy GB/s | scan time ÷ copy time |");
    println!("| --- | --- | --- | --- | --- |");
    type Workload = (&'static str, &'static str, fn() -> PixelScan);
    let workloads: [Workload; 3] = [
        ("series", "CT series, 300 files of 512×512×16 bits", || PixelScan::ct_series(300)),
        ("large", "one 4096×4096×16-bit frame", || PixelScan::large_frame(4096)),
        ("multiframe", "multi-frame CT, 1,000 frames of 512×512×16 bits (3 frames scanned)", || PixelScan::multiframe(1000)),
    ];
    for (key, label, make) in workloads {
        if only.is_some_and(|o| o != key) {
            continue;
        }
        let mut w = make();
        let bytes = w.scanned_bytes() as f64;
        let scan = best_seconds(5 * repeat, || { black_box(w.scan()); });
        let copy = best_seconds(7, || { black_box(w.copy()); });
        println!("| {label} | {:.1} MB | {:.2} | {:.2} | {:.2}× |", bytes / 1e6, bytes / scan / 1e9, bytes / copy / 1e9, scan / copy);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--pixel-scan") {
        return pixel_scan(args.get(i + 1).map(String::as_str).filter(|a| !a.starts_with('-')));
    }
    println!("| kernel | frame | vectorised Mpx/s | scalar reference Mpx/s | ratio |");
    println!("| --- | --- | --- | --- | --- |");
    for side in [512usize, 4096] {
        let n = side * side;
        let mut s = 2_463_534_242u32;
        let values: Vec<i32> = (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s & 0xFFF) as i32
            })
            .collect();
        let gray: Vec<u8> = values.iter().map(|&v| (v >> 4) as u8).collect();
        let mut rgba = vec![0u8; n * 4];
        let mut mask = vec![0u8; n];
        let m = Affine::window(1.0, 0.0, 2048.0, 4096.0, false, false);
        let mut grey = vec![0u8; n];
        let rows: [(&str, f64, f64); 4] = [
            (
                "window/level to RGBA",
                mpxs(n, || kernels::window_to_rgba(black_box(&values), m, &mut rgba)),
                mpxs(n, || kernels::window_to_rgba_scalar(black_box(&values), m, &mut rgba)),
            ),
            ("min/max", mpxs(n, || { black_box(kernels::min_max(black_box(&values))); }), mpxs(n, || { black_box(kernels::min_max_scalar(black_box(&values))); })),
            (
                "values to 8-bit grey (text scan)",
                mpxs(n, || kernels::to_gray8(black_box(&values), 0, 4095, &mut grey)),
                mpxs(n, || kernels::to_gray8_scalar(black_box(&values), 0, 4095, &mut grey)),
            ),
            (
                "text stroke mask",
                mpxs(n, || text::stroke_mask(black_box(&gray), side, side, &mut mask)),
                mpxs(n, || text::stroke_mask_scalar(black_box(&gray), side, side, &mut mask)),
            ),
        ];
        for (name, fast, scalar) in rows {
            println!("| {name} | {side}×{side} | {fast:.0} | {scalar:.0} | {:.1}× |", fast / scalar);
        }
        let detect = mpxs(n, || drop(black_box(text::detect_text(black_box(&gray), side, side))));
        println!("| burned-in text detector (whole) | {side}×{side} | {detect:.0} | | |");
    }
    println!();
    pixel_scan(None);
}
