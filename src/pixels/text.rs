//! Burned-in text detector: no OCR, just the look of annotation text.
//!
//! Burned-in annotations are rows of small glyphs drawn with thin strokes of
//! one intensity, brighter than what is around them. The detector:
//!
//! 1. **Stroke mask** (the hot loop, branch-free): a pixel is a stroke pixel
//!    when it is brighter by at least `CONTRAST` than the pixels `REACH`
//!    away on both sides, horizontally or vertically — thin and bright.
//!    Thick bright structures (bone, organs) fail this on their inside.
//! 2. **Cells** of 8×8 pixels: a text cell has a stroke density typical of
//!    glyphs (neither a dot nor a blob) and its stroke pixels share nearly
//!    one intensity (burned text is drawn with one value; anatomy and
//!    speckle are not uniform).
//! 3. **Lines**: runs of text cells along a row of cells (gaps of one cell
//!    allowed), at least `MIN_RUN` cells long, merged with touching runs in
//!    neighbouring rows; a box must be twice as wide as tall and at most six
//!    cells high, as text lines are.
//!
//! [`stroke_mask_scalar`] is the reference for [`stroke_mask`].

/// A detected text-like region, in pixels of the frame.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TextBox {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// How text-like the region is, 0..1 (share of its cells that are text cells).
    pub score: f32,
}

/// Minimum brightness step between a stroke and its surroundings (0..255).
const CONTRAST: u8 = 40;
/// Distances to the pixels a stroke must be brighter than: thin strokes at
/// the first, strokes of large text (up to 2·REACH−1 wide) at the second.
const NEAR: usize = 2;
const REACH: usize = 4;
const CELL: usize = 8;
/// Stroke pixels in a text cell, out of 64.
const MIN_STROKES: u32 = 5;
const MAX_STROKES: u32 = 40;
/// Largest spread of stroke intensities in a text cell.
const MAX_SPREAD: u8 = 48;
/// Shortest text line, in cells (40 px): shorter runs on real CT and MR
/// images were anatomy far more often than text.
const MIN_RUN: usize = 5;

/// Scalar reference for [`stroke_mask`]: 1 where a pixel is a thin bright stroke.
pub fn stroke_mask_scalar(gray: &[u8], width: usize, height: usize, out: &mut [u8]) {
    out.iter_mut().for_each(|o| *o = 0);
    if width < 2 * REACH + 1 || height == 0 || gray.len() < width * height || out.len() < width * height {
        return;
    }
    for y in 0..height {
        for x in REACH..width - REACH {
            let i = y * width + x;
            let v = gray[i];
            let step = |d: usize, n: usize| v.saturating_sub(gray[i - d * n].max(gray[i + d * n])) >= CONTRAST;
            let horizontal = step(1, NEAR) || step(1, REACH);
            let vertical = y >= REACH && y + REACH < height && (step(width, NEAR) || step(width, REACH));
            out[i] = u8::from(horizontal || vertical);
        }
    }
}

/// Thin-bright-stroke mask, written as whole-row slice operations with no
/// branches in the inner loops, so that it vectorises (simd128 in WASM).
pub fn stroke_mask(gray: &[u8], width: usize, height: usize, out: &mut [u8]) {
    out.iter_mut().for_each(|o| *o = 0);
    if width < 2 * REACH + 1 || height == 0 || gray.len() < width * height || out.len() < width * height {
        return;
    }
    let inner = width - 2 * REACH;
    for y in 0..height {
        let row = &gray[y * width..(y + 1) * width];
        let centre = &row[REACH..REACH + inner];
        let (far_left, far_right) = (&row[..inner], &row[2 * REACH..]);
        let (near_left, near_right) = (&row[REACH - NEAR..REACH - NEAR + inner], &row[REACH + NEAR..REACH + NEAR + inner]);
        let o = &mut out[y * width + REACH..y * width + REACH + inner];
        let has_vertical = y >= REACH && y + REACH < height;
        let at = |row: usize| &gray[row * width + REACH..][..inner];
        let (far_up, far_down, near_up, near_down) =
            if has_vertical { (at(y - REACH), at(y + REACH), at(y - NEAR), at(y + NEAR)) } else { (centre, centre, centre, centre) };
        for i in 0..inner {
            let v = centre[i];
            let h = (v.saturating_sub(near_left[i].max(near_right[i])) >= CONTRAST) | (v.saturating_sub(far_left[i].max(far_right[i])) >= CONTRAST);
            let vv = (v.saturating_sub(near_up[i].max(near_down[i])) >= CONTRAST) | (v.saturating_sub(far_up[i].max(far_down[i])) >= CONTRAST);
            o[i] = u8::from(h | (vv & has_vertical));
        }
    }
}

/// Finds text-like regions in an 8-bit grayscale frame (row-major, `width * height`).
pub fn detect_text(gray: &[u8], width: usize, height: usize) -> Vec<TextBox> {
    if width < 3 * CELL || height < CELL || gray.len() != width * height {
        return Vec::new();
    }
    let mut mask = vec![0u8; gray.len()];
    stroke_mask(gray, width, height, &mut mask);
    let (cw, ch) = (width / CELL, height / CELL);
    let mut text = vec![false; cw * ch];
    for cy in 0..ch {
        for cx in 0..cw {
            let (mut n, mut lo, mut hi) = (0u32, u8::MAX, 0u8);
            for y in cy * CELL..(cy + 1) * CELL {
                let row = y * width + cx * CELL;
                for (m, v) in mask[row..row + CELL].iter().zip(&gray[row..row + CELL]) {
                    if *m != 0 {
                        n += 1;
                        lo = lo.min(*v);
                        hi = hi.max(*v);
                    }
                }
            }
            text[cy * cw + cx] = (MIN_STROKES..=MAX_STROKES).contains(&n) && hi - lo <= MAX_SPREAD;
        }
    }
    // Runs of text cells per row of cells (one-cell gaps bridged).
    let mut runs: Vec<(usize, usize, usize, usize)> = Vec::new(); // (row, first, last, text cells)
    for cy in 0..ch {
        let mut cx = 0;
        while cx < cw {
            if !text[cy * cw + cx] {
                cx += 1;
                continue;
            }
            let (first, mut last, mut count) = (cx, cx, 1);
            let mut next = cx + 1;
            while next < cw && (text[cy * cw + next] || (next + 1 < cw && text[cy * cw + next + 1])) {
                if text[cy * cw + next] {
                    last = next;
                    count += 1;
                }
                next += 1;
            }
            if last + 1 - first >= MIN_RUN && count * 3 >= (last + 1 - first) * 2 {
                runs.push((cy, first, last, count));
            }
            cx = next;
        }
    }
    // Merge runs in touching rows that overlap horizontally into boxes.
    let mut boxes: Vec<(usize, usize, usize, usize, usize, usize)> = Vec::new(); // x0, y0, x1, y1 (cells), text cells, area cells
    for (row, first, last, count) in runs {
        let hit = boxes.iter_mut().find(|b| b.3 + 1 >= row && first <= b.2 + 1 && last + 1 >= b.0);
        match hit {
            Some(b) => {
                b.0 = b.0.min(first);
                b.2 = b.2.max(last);
                b.3 = row;
                b.4 += count;
            }
            None => boxes.push((first, row, last, row, count, 0)),
        }
    }
    boxes
        .into_iter()
        .filter_map(|(x0, y0, x1, y1, count, _)| {
            let (w, h) = (x1 + 1 - x0, y1 + 1 - y0);
            // Text lines are wider than tall; a block of many rows is texture.
            if w < 2 * h || h > 6 {
                return None;
            }
            Some(TextBox {
                x: (x0 * CELL) as u32,
                y: (y0 * CELL) as u32,
                width: (w * CELL) as u32,
                height: (h * CELL) as u32,
                score: count as f32 / (w * h) as f32,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn stroke_mask_equals_scalar(w in 1usize..40, h in 1usize..40, seed: u64) {
            let mut s = seed | 1;
            let gray: Vec<u8> = (0..w * h).map(|_| { s ^= s << 13; s ^= s >> 7; s ^= s << 17; (s >> 24) as u8 }).collect();
            let mut a = vec![9u8; w * h];
            let mut b = vec![7u8; w * h];
            stroke_mask(&gray, w, h, &mut a);
            stroke_mask_scalar(&gray, w, h, &mut b);
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn flat_frames_have_no_text() {
        for v in [0u8, 255, 128] {
            assert!(detect_text(&vec![v; 128 * 128], 128, 128).is_empty());
        }
        assert!(detect_text(&[], 0, 0).is_empty());
        assert!(detect_text(&[1, 2, 3], 100, 100).is_empty(), "wrong length");
    }

    #[test]
    fn a_drawn_word_is_found() {
        let (w, h) = (256, 128);
        let mut gray = vec![20u8; w * h];
        super::super::font::draw_text(&mut gray, w, h, 10, 10, "DOE^JANE 1970", 12, 230, 0);
        let boxes = detect_text(&gray, w, h);
        assert_eq!(boxes.len(), 1, "{boxes:?}");
        let b = boxes[0];
        assert!(b.x <= 16 && b.y <= 16 && b.x + b.width >= 120, "{b:?}");
    }
}
