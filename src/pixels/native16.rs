//! The text scan's first two passes over 16-bit little-endian native
//! samples, straight from their bytes: the range of the stored values and
//! their map to 8-bit grey, with no frame (or block) of 32-bit values.
//!
//! A stored value is Bits Stored bits ending at High Bit, sign-extended when
//! Pixel Representation is 1 (PS3.5 8.1.1). In 16-bit lanes, with
//! `low = High Bit + 1 − Bits Stored` and `up = 16 − Bits Stored`:
//!
//! ```text
//! t     = (word >> low) << up          the stored bits at the top
//! value = t >> up                      arithmetic when signed
//! key   = t XOR (0x8000 if unsigned)   orders like the value, as i16
//! ```
//!
//! so the range is an i16 min/max of keys (eight values per 16-byte step:
//! [`fold_keys`] into the text scan's range grid, [`block_ranges`] over
//! its blocks), and the map widens values to i32 lanes for
//! [`super::kernels::to_gray8`]'s f32 arithmetic. The scalar references
//! decode each value and call the kernels' scalar references; property
//! tests hold them equal.

use super::kernels::Gray8;

/// How stored values sit in 16-bit words (see the module header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout16 {
    low: u32,
    up: u32,
    signed: bool,
}

impl Layout16 {
    /// The layout of Bits Stored bits ending at High Bit; `None` when they
    /// do not fit a 16-bit word (such files take the general path).
    pub fn new(bits_stored: u16, high_bit: u16, signed: bool) -> Option<Layout16> {
        ((1..=16).contains(&bits_stored) && high_bit < 16 && high_bit + 1 >= bits_stored).then(|| Layout16 { low: u32::from(high_bit + 1 - bits_stored), up: u32::from(16 - bits_stored), signed })
    }

    /// One stored value.
    #[inline(always)]
    pub fn value(self, word: u16) -> i32 {
        let t = (word >> self.low) << self.up;
        if self.signed { i32::from((t as i16) >> self.up) } else { i32::from(t >> self.up) }
    }

    fn flip(self) -> u16 {
        if self.signed { 0 } else { 0x8000 }
    }

    /// A word's order key: its stored bits at the top, as i16 ordered like
    /// the values (the values' differences shifted left by [`Self::up`]).
    #[inline(always)]
    pub fn key(self, word: u16) -> i16 {
        ((word >> self.low << self.up) ^ self.flip()) as i16
    }

    /// Bits above the stored value in a key.
    pub fn up(self) -> u32 {
        self.up
    }

    /// Words as they are, as i16: their keys and values are the words.
    pub const PLAIN: Layout16 = Layout16 { low: 0, up: 0, signed: true };

    /// The largest word [`Self::PLAIN`] reads as this layout does: for
    /// unsigned values from bit 0 of at most 15 bits, a word with nothing
    /// above High Bit is its value (most CT and MR); `None` for other
    /// layouts.
    pub fn plain_up_to(self) -> Option<i16> {
        (!self.signed && self.low == 0 && self.up >= 1).then(|| ((1u32 << (16 - self.up)) - 1) as i16)
    }

    /// The stored value of an order key.
    pub fn value_of_key(self, key: i16) -> i32 {
        let t = (key as u16) ^ self.flip();
        if self.signed { i32::from((t as i16) >> self.up) } else { i32::from(t >> self.up) }
    }
}

fn word(c: &[u8]) -> u16 {
    u16::from_le_bytes([c[0], c[1]])
}

/// The range of the stored values, each decoded, then folded: the
/// reference for the range the text scan's grid gives
/// ([`super::activity::Activity::measure_words`]).
pub fn min_max_scalar(bytes: &[u8], layout: Layout16) -> Option<(i32, i32)> {
    let mut values = bytes.chunks_exact(2).map(|c| layout.value(word(c)));
    let first = values.next()?;
    Some(values.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
}

/// Runs `step` (sixteen words of `bytes` to sixteen bytes of `out`) over
/// the whole, the tail of a run of at least sixteen as its last sixteen
/// once more (the text scan maps short runs around active cells), a
/// shorter run by `scalar`.
#[cfg(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn in_steps_of_16(bytes: &[u8], out: &mut [u8], step: impl Fn(&[u8], &mut [u8]), scalar: impl FnOnce(&[u8], &mut [u8])) {
    let n = out.len();
    let mut bs = bytes.chunks_exact(32);
    for (b, o) in (&mut bs).zip(out.chunks_exact_mut(16)) {
        step(b, o);
    }
    let rest = bs.remainder();
    if !rest.is_empty() && n >= 16 {
        step(&bytes[2 * (n - 16)..], &mut out[n - 16..]);
    } else if !rest.is_empty() {
        scalar(rest, out);
    }
}

/// Scalar reference for [`fold_keys`].
pub fn fold_keys_scalar(bytes: &[u8], layout: Layout16, lo: &mut [i16], hi: &mut [i16]) {
    for ((l, h), c) in lo.iter_mut().zip(hi.iter_mut()).zip(bytes.chunks_exact(2)) {
        let k = layout.key(word(c));
        (*l, *h) = ((*l).min(k), (*h).max(k));
    }
}

/// Eight words' order keys in one vector ([`Layout16::key`]; PLAIN words
/// as they are), for [`fold_keys`] and [`keys`].
#[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
#[inline(always)]
unsafe fn keys_sse2(w: core::arch::x86_64::__m128i, layout: Layout16) -> core::arch::x86_64::__m128i {
    use core::arch::x86_64::*;
    if layout == Layout16::PLAIN {
        return w;
    }
    let (low, up) = (_mm_cvtsi32_si128(layout.low as i32), _mm_cvtsi32_si128(layout.up as i32));
    _mm_xor_si128(_mm_sll_epi16(_mm_srl_epi16(w, low), up), _mm_set1_epi16(layout.flip() as i16))
}

/// [`keys_sse2`] in simd128.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn keys_simd128(w: core::arch::wasm32::v128, layout: Layout16) -> core::arch::wasm32::v128 {
    use core::arch::wasm32::*;
    if layout == Layout16::PLAIN {
        return w;
    }
    v128_xor(i16x8_shl(u16x8_shr(w, layout.low), layout.up), u16x8_splat(layout.flip()))
}

/// Folds the order keys of a row of little-endian words (`bytes`) into
/// per-column lows and highs (the text scan's range grid,
/// [`super::activity`]), as far as the shortest of the three goes, equal
/// to [`fold_keys_scalar`]: eight words a step, SSE2 natively, simd128 in
/// WASM (where LLVM left the plain loop scalar); [`Layout16::PLAIN`]
/// words as they are.
pub fn fold_keys(bytes: &[u8], layout: Layout16, lo: &mut [i16], hi: &mut [i16]) {
    let n = (bytes.len() / 2).min(lo.len()).min(hi.len());
    let (bytes, lo, hi) = (&bytes[..2 * n], &mut lo[..n], &mut hi[..n]);
    // One counter and raw pointers: a loop over three zipped chunk
    // iterators tested each for its end every step, as many instructions
    // as the step's own in WASM.
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    let done = {
        use core::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86-64; step i reads bytes 16i..16i + 16
        // and lows and highs 8i..8i + 8, within their n words (unaligned
        // loads and stores).
        unsafe {
            let (b, l, h) = (bytes.as_ptr().cast::<__m128i>(), lo.as_mut_ptr().cast::<__m128i>(), hi.as_mut_ptr().cast::<__m128i>());
            for i in 0..n / 8 {
                let k = keys_sse2(_mm_loadu_si128(b.add(i)), layout);
                _mm_storeu_si128(l.add(i), _mm_min_epi16(_mm_loadu_si128(l.add(i)), k));
                _mm_storeu_si128(h.add(i), _mm_max_epi16(_mm_loadu_si128(h.add(i)), k));
            }
        }
        n / 8 * 8
    };
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let done = {
        use core::arch::wasm32::*;
        let (b, l, h) = (bytes.as_ptr().cast::<v128>(), lo.as_mut_ptr().cast::<v128>(), hi.as_mut_ptr().cast::<v128>());
        for i in 0..n / 8 {
            // SAFETY: step i reads bytes 16i..16i + 16 and lows and highs
            // 8i..8i + 8, within their n words; v128_load and v128_store
            // need no alignment.
            unsafe {
                let k = keys_simd128(v128_load(b.add(i)), layout);
                v128_store(l.add(i), i16x8_min(v128_load(l.add(i)), k));
                v128_store(h.add(i), i16x8_max(v128_load(h.add(i)), k));
            }
        }
        n / 8 * 8
    };
    #[cfg(not(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128"))))]
    let done = 0;
    // What SIMD left (everything in the baseline WASM build).
    fold_keys_scalar(&bytes[2 * done..], layout, &mut lo[done..], &mut hi[done..]);
}

/// Scalar reference for [`keys`].
pub fn keys_scalar(bytes: &[u8], layout: Layout16, out: &mut [i16]) {
    for (k, c) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        *k = layout.key(word(c));
    }
}

/// The order keys of little-endian words (`bytes`) into `out`, as far as
/// the shorter goes, equal to [`keys_scalar`]: eight words a step (one
/// counter, as [`fold_keys`]), SSE2 natively, simd128 in WASM (the
/// activity's peaks, [`super::activity`]).
pub fn keys(bytes: &[u8], layout: Layout16, out: &mut [i16]) {
    let n = (bytes.len() / 2).min(out.len());
    let (bytes, out) = (&bytes[..2 * n], &mut out[..n]);
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    let done = {
        use core::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86-64; step i reads bytes 16i..16i + 16
        // and writes keys 8i..8i + 8, within their n words (unaligned).
        unsafe {
            let (b, o) = (bytes.as_ptr().cast::<__m128i>(), out.as_mut_ptr().cast::<__m128i>());
            for i in 0..n / 8 {
                _mm_storeu_si128(o.add(i), keys_sse2(_mm_loadu_si128(b.add(i)), layout));
            }
        }
        n / 8 * 8
    };
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let done = {
        use core::arch::wasm32::*;
        let (b, o) = (bytes.as_ptr().cast::<v128>(), out.as_mut_ptr().cast::<v128>());
        for i in 0..n / 8 {
            // SAFETY: step i reads bytes 16i..16i + 16 and writes keys
            // 8i..8i + 8, within their n words; no alignment needed.
            unsafe { v128_store(o.add(i), keys_simd128(v128_load(b.add(i)), layout)) }
        }
        n / 8 * 8
    };
    #[cfg(not(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128"))))]
    let done = 0;
    keys_scalar(&bytes[2 * done..], layout, &mut out[done..]);
}

/// The lowest of each eight `lows` and the highest of each eight `highs`
/// (the range grid's blocks), equal to the grid's scalar fold
/// ([`super::activity::block_ranges_scalar`]): eight blocks a step, their eight vectors
/// folded together by interleaving halves (16-, 32-, then 64-bit lanes),
/// which leaves block k's fold in lane k; SSE2 natively, simd128 in WASM
/// (a fold per block stayed scalar there).
pub fn block_ranges(lows: &[i16], highs: &[i16], lo: &mut [i16], hi: &mut [i16]) {
    let n = (lows.len() / 8).min(highs.len() / 8).min(lo.len()).min(hi.len());
    #[cfg_attr(not(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128"))), allow(unused_mut))]
    let mut done = 0;
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    {
        use core::arch::x86_64::*;
        /// Block k's fold in lane k, for `f` min or max.
        #[inline(always)]
        unsafe fn fold(v: &[i16], f: unsafe fn(__m128i, __m128i) -> __m128i) -> __m128i {
            let p = v[..64].as_ptr().cast::<__m128i>();
            let x: [__m128i; 8] = core::array::from_fn(|k| _mm_loadu_si128(p.add(k)));
            let a: [__m128i; 4] = core::array::from_fn(|k| f(_mm_unpacklo_epi16(x[2 * k], x[2 * k + 1]), _mm_unpackhi_epi16(x[2 * k], x[2 * k + 1])));
            let b: [__m128i; 2] = core::array::from_fn(|k| f(_mm_unpacklo_epi32(a[2 * k], a[2 * k + 1]), _mm_unpackhi_epi32(a[2 * k], a[2 * k + 1])));
            f(_mm_unpacklo_epi64(b[0], b[1]), _mm_unpackhi_epi64(b[0], b[1]))
        }
        unsafe fn min(a: __m128i, b: __m128i) -> __m128i {
            _mm_min_epi16(a, b)
        }
        unsafe fn max(a: __m128i, b: __m128i) -> __m128i {
            _mm_max_epi16(a, b)
        }
        // SAFETY: SSE2 is part of x86-64; each step loads 64 values (eight
        // unaligned loads) and stores eight (one unaligned store).
        unsafe {
            while done + 8 <= n {
                _mm_storeu_si128(lo[done..done + 8].as_mut_ptr().cast(), fold(&lows[8 * done..], min));
                _mm_storeu_si128(hi[done..done + 8].as_mut_ptr().cast(), fold(&highs[8 * done..], max));
                done += 8;
            }
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        /// Block k's fold in lane k, for `f` min or max.
        #[inline(always)]
        fn fold(v: &[i16], f: fn(v128, v128) -> v128) -> v128 {
            let p = v[..64].as_ptr().cast::<v128>();
            // SAFETY: `v` holds 64 values (eight loads); v128_load needs no alignment.
            let x: [v128; 8] = core::array::from_fn(|k| unsafe { v128_load(p.add(k)) });
            let a: [v128; 4] = core::array::from_fn(|k| f(i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(x[2 * k], x[2 * k + 1]), i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(x[2 * k], x[2 * k + 1])));
            let b: [v128; 2] = core::array::from_fn(|k| f(i32x4_shuffle::<0, 4, 1, 5>(a[2 * k], a[2 * k + 1]), i32x4_shuffle::<2, 6, 3, 7>(a[2 * k], a[2 * k + 1])));
            f(i64x2_shuffle::<0, 2>(b[0], b[1]), i64x2_shuffle::<1, 3>(b[0], b[1]))
        }
        while done + 8 <= n {
            // SAFETY: each store writes eight values; v128_store needs no alignment.
            unsafe {
                v128_store(lo[done..done + 8].as_mut_ptr().cast(), fold(&lows[8 * done..], i16x8_min));
                v128_store(hi[done..done + 8].as_mut_ptr().cast(), fold(&highs[8 * done..], i16x8_max));
            }
            done += 8;
        }
    }
    super::activity::block_ranges_scalar(&lows[8 * done..8 * n], &highs[8 * done..8 * n], &mut lo[done..n], &mut hi[done..n]);
}

/// Scalar reference for [`to_gray8`]: each value decoded, then mapped by
/// [`to_gray8_scalar`].
pub fn to_gray8_scalar16(bytes: &[u8], layout: Layout16, lo: i32, hi: i32, out: &mut [u8]) {
    let g = Gray8::new(lo, hi);
    for (c, o) in bytes.chunks_exact(2).zip(out.iter_mut()) {
        *o = g.scalar(layout.value(word(c)));
    }
}

/// The stored values of the little-endian words of `bytes` mapped linearly
/// from [lo, hi] to 0..255, equal to [`to_gray8_scalar16`]: sixteen values
/// a step, widened to i32 lanes for [`Gray8`]'s f32 arithmetic.
pub fn to_gray8(bytes: &[u8], layout: Layout16, lo: i32, hi: i32, out: &mut [u8]) {
    let n = (bytes.len() / 2).min(out.len());
    let (bytes, out) = (&bytes[..n * 2], &mut out[..n]);
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    {
        use core::arch::x86_64::*;
        let g = Gray8::new(lo, hi);
        // SAFETY: SSE2 is part of x86-64; `b` is 32 bytes (two unaligned
        // loads) and `o` 16 bytes (one unaligned store).
        unsafe {
            let (low, up) = (_mm_cvtsi32_si128(layout.low as i32), _mm_cvtsi32_si128(layout.up as i32));
            let zero = _mm_setzero_si128();
            let widen = |w: __m128i| -> (__m128i, __m128i) {
                let t = _mm_sll_epi16(_mm_srl_epi16(w, low), up);
                if layout.signed {
                    let v = _mm_sra_epi16(t, up);
                    (_mm_srai_epi32(_mm_unpacklo_epi16(v, v), 16), _mm_srai_epi32(_mm_unpackhi_epi16(v, v), 16))
                } else {
                    let v = _mm_srl_epi16(t, up);
                    (_mm_unpacklo_epi16(v, zero), _mm_unpackhi_epi16(v, zero))
                }
            };
            let step = |b: &[u8], o: &mut [u8]| {
                let p = b[..32].as_ptr().cast::<__m128i>();
                let (a0, a1) = widen(_mm_loadu_si128(p));
                let (a2, a3) = widen(_mm_loadu_si128(p.add(1)));
                _mm_storeu_si128(o[..16].as_mut_ptr().cast::<__m128i>(), g.sse2(a0, a1, a2, a3));
            };
            in_steps_of_16(bytes, out, step, |b, o| to_gray8_scalar16(b, layout, lo, hi, o));
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let g = Gray8::new(lo, hi);
        let widen = |w: v128| -> (v128, v128) {
            let t = i16x8_shl(u16x8_shr(w, layout.low), layout.up);
            if layout.signed {
                let v = i16x8_shr(t, layout.up);
                (i32x4_extend_low_i16x8(v), i32x4_extend_high_i16x8(v))
            } else {
                let v = u16x8_shr(t, layout.up);
                (u32x4_extend_low_u16x8(v), u32x4_extend_high_u16x8(v))
            }
        };
        let step = |b: &[u8], o: &mut [u8]| {
            let p = b[..32].as_ptr().cast::<v128>();
            // SAFETY: `b` is 32 bytes (two loads) and `o` 16 bytes (one
            // store); v128_load/v128_store need no alignment.
            unsafe {
                let (a0, a1) = widen(v128_load(p));
                let (a2, a3) = widen(v128_load(p.add(1)));
                v128_store(o[..16].as_mut_ptr().cast::<v128>(), g.simd128(a0, a1, a2, a3));
            }
        };
        in_steps_of_16(bytes, out, step, |b, o| to_gray8_scalar16(b, layout, lo, hi, o));
    }
    // Without SIMD (the baseline WASM build), all of it in scalar code.
    #[cfg(not(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128"))))]
    to_gray8_scalar16(bytes, layout, lo, hi, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pixels::decode::NativeWords;
    use proptest::prelude::*;

    fn layouts() -> impl Strategy<Value = Layout16> {
        (1u16..=16, 0u16..16, any::<bool>()).prop_filter_map("fits a word", |(bits, high, signed)| Layout16::new(bits, high, signed))
    }

    proptest! {
        /// The range the grid gives is the stored values' range.
        #[test]
        fn grid_range_equals_scalar(bytes in proptest::collection::vec(any::<u8>(), 0..300), layout in layouts(), width in 1usize..40) {
            let height = bytes.len() / 2 / width;
            let frame = &bytes[..2 * width * height];
            let mut activity = super::super::activity::Activity::default();
            let range = activity.measure_words(&NativeWords { bytes: frame, layout, invert: false }, width, height, &mut Default::default(), 40).map(|(lo, hi, _)| (lo, hi));
            prop_assert_eq!(range, min_max_scalar(frame, layout));
        }

        #[test]
        fn fold_keys_equals_scalar(bytes in proptest::collection::vec(any::<u8>(), 0..300), layout in layouts(), seed: i16) {
            let n = bytes.len() / 2;
            let start: Vec<i16> = (0..n).map(|i| seed.wrapping_mul(i as i16 + 3)).collect();
            let (mut lo, mut hi) = (start.clone(), start.clone());
            let (mut lo2, mut hi2) = (start.clone(), start);
            fold_keys(&bytes, layout, &mut lo, &mut hi);
            fold_keys_scalar(&bytes, layout, &mut lo2, &mut hi2);
            prop_assert_eq!((lo, hi), (lo2, hi2));
        }

        #[test]
        fn keys_equal_scalar(bytes in proptest::collection::vec(any::<u8>(), 0..300), layout in layouts(), seed: i16) {
            let mut a = vec![seed; bytes.len() / 2 + 3];
            let mut b = a.clone();
            keys(&bytes, layout, &mut a);
            keys_scalar(&bytes, layout, &mut b);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn block_ranges_equal_scalar(values in proptest::collection::vec(any::<i16>(), 0..300), seed: i16) {
            let more: Vec<i16> = values.iter().map(|v| v.wrapping_mul(seed)).collect();
            let blocks = values.len() / 8 + 1;
            let (mut lo, mut hi) = (vec![7i16; blocks], vec![7i16; blocks]);
            let (mut lo2, mut hi2) = (lo.clone(), hi.clone());
            block_ranges(&values, &more, &mut lo, &mut hi);
            super::super::activity::block_ranges_scalar(&values, &more, &mut lo2, &mut hi2);
            prop_assert_eq!((lo, hi), (lo2, hi2));
        }

        #[test]
        fn to_gray8_equals_scalar(bytes in proptest::collection::vec(any::<u8>(), 0..300), layout in layouts(), a: i16, b: i16) {
            let (lo, hi) = (i32::from(a.min(b)), i32::from(a.max(b)));
            let n = bytes.len() / 2;
            let (mut x, mut y) = (vec![1u8; n], vec![2u8; n]);
            to_gray8(&bytes, layout, lo, hi, &mut x);
            to_gray8_scalar16(&bytes, layout, lo, hi, &mut y);
            prop_assert_eq!(x, y);
        }
    }

    #[test]
    fn values_follow_bits_stored_and_high_bit() {
        // 12 bits stored at bits 0..12, unsigned: the top nibble is ignored.
        let l = Layout16::new(12, 11, false).unwrap();
        assert_eq!(l.value(0xF123), 0x123);
        // Signed: 0x800 is −2048.
        assert_eq!(Layout16::new(12, 11, true).unwrap().value(0x0800), -2048);
        // 8 bits at bits 4..12.
        assert_eq!(Layout16::new(8, 11, false).unwrap().value(0x0AB0), 0xAB);
        assert_eq!(Layout16::new(17, 16, false), None);
        let signed12 = Layout16::new(12, 11, true).unwrap();
        let words = [0x00, 0x08, 0xFF, 0x07];
        assert_eq!(min_max_scalar(&words, signed12), Some((-2048, 2047)));
        let mut activity = super::super::activity::Activity::default();
        assert_eq!(activity.measure_words(&NativeWords { bytes: &words, layout: signed12, invert: false }, 2, 1, &mut Default::default(), 40), Some((-2048, 2047, signed12)));
        // Unsigned from bit 0: the words as they are, unless one has a bit
        // above High Bit.
        let unsigned12 = Layout16::new(12, 11, false).unwrap();
        assert_eq!(unsigned12.plain_up_to(), Some(4095));
        assert_eq!(activity.measure_words(&NativeWords { bytes: &[0xFF, 0x0F, 0x00, 0x00], layout: unsigned12, invert: false }, 2, 1, &mut Default::default(), 40), Some((0, 4095, Layout16::PLAIN)));
        assert_eq!(activity.measure_words(&NativeWords { bytes: &[0xFF, 0x1F, 0x00, 0x00], layout: unsigned12, invert: false }, 2, 1, &mut Default::default(), 40), Some((0, 4095, unsigned12)));
        assert_eq!(activity.measure_words(&NativeWords { bytes: &[0x00, 0x80, 0x01, 0x00], layout: unsigned12, invert: false }, 2, 1, &mut Default::default(), 40), Some((0, 1, unsigned12)));
        assert_eq!(Layout16::new(16, 15, false).unwrap().plain_up_to(), None);
        assert_eq!(Layout16::new(12, 15, false).unwrap().plain_up_to(), None);
    }
}
