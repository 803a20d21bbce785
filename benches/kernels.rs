//! Native benchmark of the pixel kernels: each next to its scalar reference,
//! in Mpixel/s, on a 512×512 and a 4096×4096 frame. `cargo bench --bench kernels`.

use std::hint::black_box;
use std::time::Instant;

use dicom_inspector::pixels::kernels::{self, Affine};
use dicom_inspector::pixels::text;

/// Best of several timed runs of `f`, in Mpixel/s.
fn mpxs(pixels: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut best = f64::INFINITY;
    for _ in 0..7 {
        let t = Instant::now();
        let mut reps = 0;
        while t.elapsed().as_millis() < 60 || reps == 0 {
            f();
            reps += 1;
        }
        best = best.min(t.elapsed().as_secs_f64() / f64::from(reps));
    }
    pixels as f64 / best / 1e6
}

fn main() {
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
}
