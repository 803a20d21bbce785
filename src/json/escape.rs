//! JSON string escapes as `serde_json` writes them, looking at sixteen bytes
//! at a time for the bytes that need one (SSE2 natively, simd128 in WASM, a
//! word check of eight bytes elsewhere), and copying clean runs whole.

/// Whether any byte of `word` must be escaped in a JSON string: below 0x20,
/// a quote or a backslash. Exact as a yes/no answer: the borrow that can
/// mark a byte wrongly only runs on from a byte that is truly marked.
/// (The check for strings shorter than sixteen bytes, and everywhere
/// neither SSE2 nor simd128 is there; tested everywhere.)
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    (below_space | zero(quote) | zero(backslash)) != 0
}

/// Whether JSON escapes this byte in a string.
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Scalar reference for [`clean_prefix`].
fn clean_prefix_scalar(bytes: &[u8]) -> usize {
    bytes.iter().position(|&b| escaped(b)).unwrap_or(bytes.len())
}

/// Bit `i` set where byte `i` of the sixteen needs an escape: SSE2 natively,
/// simd128 in WASM (three compares and a mask).
#[cfg(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128")))]
fn marked16(chunk: &[u8; 16]) -> u32 {
    #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
    {
        use core::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86-64; one unaligned load of sixteen bytes.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            // v <= 0x1F (unsigned) where min(v, 0x1F) == v.
            let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
            let marked = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8))));
            _mm_movemask_epi8(marked) as u32
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        // SAFETY: sixteen bytes; v128_load needs no alignment.
        let v = unsafe { v128_load(chunk.as_ptr().cast::<v128>()) };
        let marked = v128_or(u8x16_lt(v, u8x16_splat(0x20)), v128_or(u8x16_eq(v, u8x16_splat(b'"')), u8x16_eq(v, u8x16_splat(b'\\'))));
        u32::from(u8x16_bitmask(marked))
    }
}

/// How many bytes at the start of `bytes` need no escape, sixteen bytes a
/// step ([`marked16`]); the last few bytes in one more step: the last
/// sixteen again, or for a string shorter than sixteen bytes (most keys,
/// tags and codes) the word check.
#[cfg(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128")))]
fn clean_prefix(bytes: &[u8]) -> usize {
    let n = bytes.len();
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 16) {
        let mask = marked16(chunk.try_into().unwrap_or(&[0; 16]));
        if mask != 0 {
            return at + mask.trailing_zeros() as usize;
        }
        at += 16;
    }
    if at == n {
        return n;
    }
    if n >= 16 {
        // The last sixteen bytes, without those already found clean.
        let start = n - 16;
        let mask = marked16(bytes[start..].try_into().unwrap_or(&[0; 16])) >> (at - start);
        return if mask == 0 { n } else { at + mask.trailing_zeros() as usize };
    }
    // Shorter than sixteen: the word check on two overlapping loads (a copy
    // into a padded buffer stalls the load that reads it back).
    let word = |b: &[u8]| <[u8; 8]>::try_from(b).map_or(u64::MAX, u64::from_le_bytes);
    let half = |b: &[u8]| <[u8; 4]>::try_from(b).map_or(u32::MAX, u32::from_le_bytes);
    let clean = match n {
        8.. => !needs_escape(word(&bytes[..8])) && !needs_escape(word(&bytes[n - 8..])),
        4.. => !needs_escape(u64::from(half(&bytes[..4])) | (u64::from(half(&bytes[n - 4..])) << 32)),
        _ => false,
    };
    if clean { n } else { clean_prefix_scalar(bytes) }
}

/// How many bytes at the start of `bytes` need no escape: eight bytes a
/// step with the word check, then byte by byte.
#[cfg(not(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128"))))]
fn clean_prefix(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(u64::MAX, u64::from_le_bytes);
        if needs_escape(word) {
            return at + clean_prefix_scalar(chunk);
        }
        at += 8;
    }
    at + clean_prefix_scalar(chunks.remainder())
}

/// `"text"` with JSON's escapes, as `serde_json` writes them.
pub(super) fn push_str_escaped(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let (mut run, mut at) = (0, 0);
    loop {
        at += clean_prefix(&bytes[at..]);
        if at >= bytes.len() {
            break;
        }
        run = push_escape(out, text, run, at);
        at += 1;
    }
    out.push_str(&text[run..]);
    out.push('"');
}

/// Writes `text[run..at]` and the escape of the byte at `at`; returns where
/// the next run starts. `at` is an ASCII byte: both slices end on
/// character boundaries.
fn push_escape(out: &mut String, text: &str, run: usize, at: usize) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str(&text[run..at]);
    let b = text.as_bytes()[at];
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        0x08 => out.push_str("\\b"),
        0x0C => out.push_str("\\f"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        _ => {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    at + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn clean_prefix_equals_scalar(bytes in proptest::collection::vec(proptest::prop_oneof![
            12 => proptest::sample::select(vec![0x20u8, b'a', 0x7F, 0x80, 0xC3, 0xFF]),
            1 => proptest::sample::select(vec![0u8, 0x1F, b'"', b'\\']),
        ], 0..70), start in 0usize..20) {
            let bytes = &bytes[start.min(bytes.len())..];
            proptest::prop_assert_eq!(clean_prefix(bytes), clean_prefix_scalar(bytes));
        }

        #[test]
        fn the_word_check_equals_the_byte_check(bytes in proptest::array::uniform8(proptest::num::u8::ANY)) {
            let any = bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
            proptest::prop_assert_eq!(needs_escape(u64::from_le_bytes(bytes)), any);
        }
    }
}
