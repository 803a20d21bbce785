//! Hot loops over pixels, each with a scalar reference beside it.
//!
//! Window/level to RGBA (PS3.3 C.11.2.1.2): the modality rescale, the
//! linear VOI function and the scale to 0..255 fold into one affine map
//! `t = a·x + b`, clamped to [0, 255]. Rounding adds 2^23: the f32 sum then
//! holds the rounded integer in its low mantissa bits (round half to even),
//! which avoids a float-to-int conversion. The grey byte `g` becomes the
//! RGBA pixel (g, g, g, 255). The wasm32 simd128 version does sixteen pixels
//! a step with the same f32 operations in the same order and a byte shuffle
//! for the RGBA expansion, so it equals the scalar reference bit for bit;
//! property tests check that natively and in the browser (tests/wasm.rs).

/// The affine form of a linear VOI transform (with rescale and inversion folded in).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    pub a: f32,
    pub b: f32,
}

impl Affine {
    /// PS3.3 C.11.2.1.2.1 LINEAR: y = ((x' − (c − 0.5)) / (w − 1) + 0.5), x' = slope·x + intercept;
    /// LINEAR_EXACT (C.11.2.1.3.2): y = (x' − c) / w + 0.5. `invert` for MONOCHROME1.
    pub fn window(slope: f64, intercept: f64, center: f64, width: f64, exact: bool, invert: bool) -> Affine {
        let (a, b) = if exact {
            let w = width.max(f64::MIN_POSITIVE);
            (slope / w, (intercept - center) / w + 0.5)
        } else {
            let w = (width - 1.0).max(1e-6);
            (slope / w, (intercept - (center - 0.5)) / w + 0.5)
        };
        let (a, b) = if invert { (-a, 1.0 - b) } else { (a, b) };
        Affine { a: (a * 255.0) as f32, b: (b * 255.0) as f32 }
    }
}

/// 2^23: added to a float in [0, 255], it leaves the rounded integer in the low mantissa bits.
const ROUND: f32 = 8_388_608.0;

#[inline(always)]
#[allow(clippy::manual_clamp)] // max then min, exactly as f32x4_max/f32x4_min in the SIMD kernel
fn grey(x: i32, m: Affine) -> u32 {
    let t = (x as f32) * m.a + m.b;
    let t = t.max(0.0).min(255.0);
    (t + ROUND).to_bits() & 0xFF
}

/// Scalar reference: stored values to RGBA through an affine VOI map.
pub fn window_to_rgba_scalar(values: &[i32], m: Affine, out: &mut [u8]) {
    for (x, o) in values.iter().zip(out.chunks_exact_mut(4)) {
        o.copy_from_slice(&((grey(*x, m) * 0x0001_0101) | 0xFF00_0000).to_le_bytes());
    }
}

/// Stored values to RGBA through an affine VOI map, SIMD where available.
pub fn window_to_rgba(values: &[i32], m: Affine, out: &mut [u8]) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        window_to_rgba_simd128(values, m, out);
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        // Fixed-size blocks without bounds checks: LLVM vectorises this natively.
        let n = values.len().min(out.len() / 4);
        let (values, out) = (&values[..n], &mut out[..n * 4]);
        let mut vs = values.chunks_exact(8);
        let mut os = out.chunks_exact_mut(32);
        for (v, o) in (&mut vs).zip(&mut os) {
            let mut words = [0u32; 8];
            for (w, x) in words.iter_mut().zip(v) {
                *w = (grey(*x, m) * 0x0001_0101) | 0xFF00_0000;
            }
            for (chunk, w) in o.chunks_exact_mut(4).zip(words) {
                chunk.copy_from_slice(&w.to_le_bytes());
            }
        }
        window_to_rgba_scalar(vs.remainder(), m, os.into_remainder());
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn window_to_rgba_simd128(values: &[i32], m: Affine, out: &mut [u8]) {
    use core::arch::wasm32::*;
    let n = values.len().min(out.len() / 4);
    let (values, out) = (&values[..n], &mut out[..n * 4]);
    let (va, vb) = (f32x4_splat(m.a), f32x4_splat(m.b));
    let (zero, top, round) = (f32x4_splat(0.0), f32x4_splat(255.0), f32x4_splat(ROUND));
    let alpha = u32x4_splat(0xFF00_0000);
    // Byte 0 of each 32-bit lane into bytes 0, 1 and 2; index 16 selects zero.
    let spread = i8x16(0, 0, 0, 16, 4, 4, 4, 16, 8, 8, 8, 16, 12, 12, 12, 16);
    let step = |x: v128| -> v128 {
        let t = f32x4_add(f32x4_mul(f32x4_convert_i32x4(x), va), vb);
        let t = f32x4_add(f32x4_min(f32x4_max(t, zero), top), round);
        v128_or(i8x16_swizzle(t, spread), alpha)
    };
    // Sixteen pixels a step: four independent chains keep the pipeline full.
    let mut vs = values.chunks_exact(16);
    let mut os = out.chunks_exact_mut(64);
    for (v, o) in (&mut vs).zip(&mut os) {
        let p = v.as_ptr().cast::<v128>();
        let q = o.as_mut_ptr().cast::<v128>();
        // SAFETY: `v` is exactly sixteen i32 (64 bytes) and `o` exactly 64
        // bytes, so offsets 0..4 of 16-byte lanes stay inside both;
        // v128_load/v128_store have no alignment requirement.
        unsafe {
            let (a, b, c, d) = (v128_load(p), v128_load(p.add(1)), v128_load(p.add(2)), v128_load(p.add(3)));
            v128_store(q, step(a));
            v128_store(q.add(1), step(b));
            v128_store(q.add(2), step(c));
            v128_store(q.add(3), step(d));
        }
    }
    window_to_rgba_scalar(vs.remainder(), m, os.into_remainder());
}

/// SIGMOID VOI function (PS3.3 C.11.2.1.3.1): not affine, so scalar only.
pub fn sigmoid_to_rgba(values: &[i32], slope: f64, intercept: f64, center: f64, width: f64, invert: bool, out: &mut [u8]) {
    for (x, o) in values.iter().zip(out.chunks_exact_mut(4)) {
        let v = f64::from(*x) * slope + intercept;
        let mut y = 1.0 / (1.0 + (-4.0 * (v - center) / width.max(1e-6)).exp());
        if invert {
            y = 1.0 - y;
        }
        let g = (y * 255.0).round() as u32;
        o.copy_from_slice(&((g.min(255) * 0x0001_0101) | 0xFF00_0000).to_le_bytes());
    }
}

/// RGB to RGBA.
pub fn rgb_to_rgba(rgb: &[u8], out: &mut [u8]) {
    for (p, o) in rgb.chunks_exact(3).zip(out.chunks_exact_mut(4)) {
        o.copy_from_slice(&[p[0], p[1], p[2], 255]);
    }
}

/// Scalar reference for [`min_max`].
pub fn min_max_scalar(values: &[i32]) -> Option<(i32, i32)> {
    let first = *values.first()?;
    Some(values.iter().fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v))))
}

/// Smallest and largest value: simd128 lanes in WASM; natively the plain
/// fold, which LLVM vectorises (measured faster than hand-made blocks), with
/// AVX2 when the processor has it (x86-64's baseline SSE2 has no 32-bit
/// min and max: the fold then takes a compare and three logic operations
/// per value and bound).
pub fn min_max(values: &[i32]) -> Option<(i32, i32)> {
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor supports AVX2, the only requirement.
            return unsafe { min_max_avx2(values) };
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let first = *values.first()?;
        let (mut lo, mut hi) = (i32x4_splat(first), i32x4_splat(first));
        let mut chunks = values.chunks_exact(4);
        for c in &mut chunks {
            // SAFETY: `c` is exactly four i32 (16 bytes); v128_load needs no alignment.
            let v = unsafe { v128_load(c.as_ptr().cast::<v128>()) };
            lo = i32x4_min(lo, v);
            hi = i32x4_max(hi, v);
        }
        let lanes = |v: v128, f: fn(i32, i32) -> i32| f(f(i32x4_extract_lane::<0>(v), i32x4_extract_lane::<1>(v)), f(i32x4_extract_lane::<2>(v), i32x4_extract_lane::<3>(v)));
        let (mut l, mut h) = (lanes(lo, i32::min), lanes(hi, i32::max));
        for &v in chunks.remainder() {
            l = l.min(v);
            h = h.max(v);
        }
        Some((l, h))
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        min_max_scalar(values)
    }
}

/// [`min_max_scalar`] compiled for AVX2: LLVM vectorises it to 8 lanes.
///
/// # Safety
/// The processor must support AVX2.
#[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
#[target_feature(enable = "avx2")]
unsafe fn min_max_avx2(values: &[i32]) -> Option<(i32, i32)> {
    min_max_scalar(values)
}

/// The linear map of [`to_gray8`] from [lo, hi] to 0..255, per value in
/// scalar code and sixteen values a step in SIMD (from four vectors of i32).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gray8 {
    a: f32,
    b: f32,
}

impl Gray8 {
    pub fn new(lo: i32, hi: i32) -> Gray8 {
        let span = (i64::from(hi) - i64::from(lo)).max(1) as f32;
        Gray8 { a: 255.0 / span, b: -(lo as f32) * 255.0 / span }
    }

    /// The reference: `(x·a + b + 0.5)` clamped and truncated to a byte.
    #[inline(always)]
    pub fn scalar(self, x: i32) -> u8 {
        ((x as f32) * self.a + self.b + 0.5).clamp(0.0, 255.0) as u8
    }

    /// Sixteen values (four vectors of i32) to sixteen bytes.
    ///
    /// # Safety
    /// None beyond SSE2, which x86-64 always has.
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    #[inline(always)]
    pub unsafe fn sse2(self, x0: core::arch::x86_64::__m128i, x1: core::arch::x86_64::__m128i, x2: core::arch::x86_64::__m128i, x3: core::arch::x86_64::__m128i) -> core::arch::x86_64::__m128i {
        use core::arch::x86_64::*;
        let (va, vb, half, zero, top) = (_mm_set1_ps(self.a), _mm_set1_ps(self.b), _mm_set1_ps(0.5), _mm_setzero_ps(), _mm_set1_ps(255.0));
        let grey = |x: __m128i| {
            let t = _mm_add_ps(_mm_add_ps(_mm_mul_ps(_mm_cvtepi32_ps(x), va), vb), half);
            _mm_cvttps_epi32(_mm_min_ps(_mm_max_ps(t, zero), top))
        };
        _mm_packus_epi16(_mm_packs_epi32(grey(x0), grey(x1)), _mm_packs_epi32(grey(x2), grey(x3)))
    }

    /// Sixteen values (four vectors of i32) to sixteen bytes. The truncation
    /// of t in [0, 255] is floor(t), and floor(t) + 2^23 holds it in its low
    /// byte: f32x4.floor, an add and an AND, where V8 expands
    /// i32x4.trunc_sat_f32x4_s into a sequence that guards NaN and overflow.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    pub fn simd128(self, x0: core::arch::wasm32::v128, x1: core::arch::wasm32::v128, x2: core::arch::wasm32::v128, x3: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
        use core::arch::wasm32::*;
        let (va, vb, half, zero, top) = (f32x4_splat(self.a), f32x4_splat(self.b), f32x4_splat(0.5), f32x4_splat(0.0), f32x4_splat(255.0));
        let (round, byte) = (f32x4_splat(ROUND), u32x4_splat(0xFF));
        let grey = |x: v128| {
            let t = f32x4_add(f32x4_add(f32x4_mul(f32x4_convert_i32x4(x), va), vb), half);
            // pmax(0, t) is 0 < t ? t : 0 (0 for NaN); pmin(255, t) is t < 255 ? t : 255.
            let t = f32x4_pmin(top, f32x4_pmax(zero, t));
            v128_and(f32x4_add(f32x4_floor(t), round), byte)
        };
        u8x16_narrow_i16x8(i16x8_narrow_i32x4(grey(x0), grey(x1)), i16x8_narrow_i32x4(grey(x2), grey(x3)))
    }
}

/// Scalar reference for [`to_gray8`].
pub fn to_gray8_scalar(values: &[i32], lo: i32, hi: i32, out: &mut [u8]) {
    let g = Gray8::new(lo, hi);
    for (x, o) in values.iter().zip(out.iter_mut()) {
        *o = g.scalar(*x);
    }
}

/// Maps values linearly from [lo, hi] to 0..255 (for the text detector),
/// equal to [`to_gray8_scalar`], sixteen values a step: SSE2 natively,
/// simd128 in WASM (see [`Gray8`]). The same f32 operations in the same
/// order; the clamp sends NaN to 0 (maxps and pmax return their second
/// operand when the first is NaN), as the scalar saturating conversion
/// does; in [0, 255] the truncating conversion equals it. LLVM does not
/// vectorise the scalar loop (its conversion to u8 saturates).
pub fn to_gray8(values: &[i32], lo: i32, hi: i32, out: &mut [u8]) {
    let n = values.len().min(out.len());
    let (values, out) = (&values[..n], &mut out[..n]);
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    {
        use core::arch::x86_64::*;
        let g = Gray8::new(lo, hi);
        let mut vs = values.chunks_exact(16);
        let mut os = out.chunks_exact_mut(16);
        for (v, o) in (&mut vs).zip(&mut os) {
            let p = v.as_ptr().cast::<__m128i>();
            // SAFETY: SSE2 is part of x86-64; `v` is sixteen i32 (four 16-byte
            // loads) and `o` sixteen bytes (one store); loadu/storeu need no alignment.
            unsafe {
                let bytes = g.sse2(_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)), _mm_loadu_si128(p.add(2)), _mm_loadu_si128(p.add(3)));
                _mm_storeu_si128(o.as_mut_ptr().cast::<__m128i>(), bytes);
            }
        }
        to_gray8_scalar(vs.remainder(), lo, hi, os.into_remainder());
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let g = Gray8::new(lo, hi);
        let mut vs = values.chunks_exact(16);
        let mut os = out.chunks_exact_mut(16);
        for (v, o) in (&mut vs).zip(&mut os) {
            let p = v.as_ptr().cast::<v128>();
            // SAFETY: `v` is sixteen i32 (four 16-byte loads) and `o` sixteen
            // bytes (one store); v128_load/v128_store need no alignment.
            unsafe {
                let bytes = g.simd128(v128_load(p), v128_load(p.add(1)), v128_load(p.add(2)), v128_load(p.add(3)));
                v128_store(o.as_mut_ptr().cast::<v128>(), bytes);
            }
        }
        to_gray8_scalar(vs.remainder(), lo, hi, os.into_remainder());
    }
    // Without SIMD (the baseline WASM build), all of it in scalar code.
    #[cfg(not(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128"))))]
    to_gray8_scalar(values, lo, hi, out);
}

/// Scalar reference for [`unpack_bits`].
pub fn unpack_bits_scalar(bytes: &[u8], shift: usize, out: &mut [i32]) {
    for (i, o) in out.iter_mut().enumerate() {
        let bit = shift + i;
        *o = bytes.get(bit / 8).map_or(0, |b| i32::from((b >> (bit % 8)) & 1));
    }
}

/// Unpacks 1-bit data (PS3.5 8.1.1: the first pixel in the least significant
/// bit) starting `shift` bits into `bytes`, one value per output element.
/// Byte-aligned data expands eight pixels per byte with no branches.
pub fn unpack_bits(bytes: &[u8], shift: usize, out: &mut [i32]) {
    if shift % 8 != 0 {
        return unpack_bits_scalar(bytes, shift, out);
    }
    let bytes = bytes.get(shift / 8..).unwrap_or(&[]);
    let whole = (out.len() / 8).min(bytes.len());
    let (head, tail) = out.split_at_mut(whole * 8);
    for (o, &b) in head.chunks_exact_mut(8).zip(bytes) {
        for (k, v) in o.iter_mut().enumerate() {
            *v = i32::from((b >> k) & 1);
        }
    }
    unpack_bits_scalar(&bytes[whole.min(bytes.len())..], 0, tail);
}

/// Scalar reference for [`histogram`].
pub fn histogram_scalar(values: &[i32], lo: i32, hi: i32, bins: usize) -> Vec<u32> {
    let mut h = vec![0u32; bins.max(1)];
    let span = (i64::from(hi) - i64::from(lo) + 1).max(1);
    for &v in values {
        let i = ((i64::from(v) - i64::from(lo)).clamp(0, span - 1) * h.len() as i64 / span) as usize;
        h[i] += 1;
    }
    h
}

/// Histogram of values in `bins` equal bins over [lo, hi]: four partial
/// histograms filled in turn, so that consecutive equal values do not stall
/// on the same counter, summed at the end.
pub fn histogram(values: &[i32], lo: i32, hi: i32, bins: usize) -> Vec<u32> {
    let n = bins.max(1);
    let span = (i64::from(hi) - i64::from(lo) + 1).max(1);
    let index = |v: i32| ((i64::from(v) - i64::from(lo)).clamp(0, span - 1) * n as i64 / span) as usize;
    let mut parts = vec![0u32; n * 4];
    let mut chunks = values.chunks_exact(4);
    for c in &mut chunks {
        for (lane, &v) in c.iter().enumerate() {
            parts[lane * n + index(v)] += 1;
        }
    }
    for &v in chunks.remainder() {
        parts[index(v)] += 1;
    }
    (0..n).map(|i| parts[i] + parts[n + i] + parts[2 * n + i] + parts[3 * n + i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn window_equals_scalar(values in proptest::collection::vec(-40000i32..70000, 0..300),
                                c in -2000.0f64..5000.0, w in 1.0f64..8000.0, slope in 0.1f64..4.0,
                                intercept in -2000.0f64..2000.0, exact: bool, invert: bool) {
            let m = Affine::window(slope, intercept, c, w, exact, invert);
            let mut a = vec![0u8; values.len() * 4];
            let mut b = vec![1u8; values.len() * 4];
            window_to_rgba(&values, m, &mut a);
            window_to_rgba_scalar(&values, m, &mut b);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn unpack_equals_scalar(bytes in proptest::collection::vec(any::<u8>(), 0..64), shift in 0usize..24, n in 0usize..600) {
            let mut a = vec![7i32; n];
            let mut b = vec![9i32; n];
            unpack_bits(&bytes, shift, &mut a);
            unpack_bits_scalar(&bytes, shift, &mut b);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn histogram_equals_scalar(values in proptest::collection::vec(-5000i32..5000, 0..500), lo in -6000i32..0, span in 1i32..12000, bins in 1usize..300) {
            prop_assert_eq!(histogram(&values, lo, lo + span, bins), histogram_scalar(&values, lo, lo + span, bins));
        }

        #[test]
        fn to_gray8_equals_scalar(values in proptest::collection::vec(any::<i32>(), 0..300), lo: i32, span in 0i64..100_000, far: bool) {
            let hi = if far { i32::MAX } else { (i64::from(lo) + span).min(i64::from(i32::MAX)) as i32 };
            let mut a = vec![1u8; values.len()];
            let mut b = vec![2u8; values.len()];
            to_gray8(&values, lo, hi, &mut a);
            to_gray8_scalar(&values, lo, hi, &mut b);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn min_max_equals_scalar(values in proptest::collection::vec(any::<i32>(), 0..300)) {
            prop_assert_eq!(min_max(&values), min_max_scalar(&values));
        }
    }

    #[test]
    fn linear_window_matches_the_standard() {
        // c=40, w=400: x <= c-0.5-(w-1)/2 = -160 → 0; x > c-0.5+(w-1)/2 = 239 → 255.
        let m = Affine::window(1.0, 0.0, 40.0, 400.0, false, false);
        let mut out = vec![0u8; 12];
        window_to_rgba_scalar(&[-161, 40, 240], m, &mut out);
        assert_eq!(out, [0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
        let inverted = Affine::window(1.0, 0.0, 40.0, 400.0, false, true);
        window_to_rgba_scalar(&[-161], inverted, &mut out);
        assert_eq!(&out[..4], &[255, 255, 255, 255]);
    }

    #[test]
    fn bits_unpack_lsb_first() {
        let mut out = [0i32; 10];
        unpack_bits(&[0b0000_0101, 0b0000_0010], 0, &mut out);
        assert_eq!(out, [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    }
}
