//! Which cells of a frame can hold stroke pixels, so that the burned-in text
//! detector ([`super::text`]) looks only there.
//!
//! A pixel is thin (the detector's first step) only when it is brighter by
//! at least `CONTRAST` than a pixel at most `REACH` (4) away in its row or
//! column. So a cell of 8×8 pixels whose surroundings (the cell grown by 4
//! pixels on every side, 16×16) span less than `CONTRAST` grey levels holds
//! no thin pixel, hence no stroke pixel: its statistics are those of an
//! empty cell, and the detector need not look at it, nor compute the grey
//! levels around it. On medical images most cells are such (air, soft
//! tissue, the flat inside of bone; the corpus's CT, MR and radiographs
//! have 3–30 % of their cells active), and skipping them is most of what
//! the detector and the 8-bit map cost.
//!
//! The ranges come in one pass over the rows into a grid of blocks offset
//! by half a cell: block (k, j) covers rows `8k−4 .. 8k+4` and columns
//! `8j−4 .. 8j+4` (clipped to the frame), so cell (cx, cy)'s surroundings
//! are exactly blocks (cx..=cx+1, cy..=cy+1). The pass reads either the
//! 8-bit grey levels (threshold `CONTRAST`) or, for 16-bit native samples,
//! the words' order keys ([`super::native16`]) before any grey level
//! exists, with a threshold on the stored values that no pair closer than
//! it can cross once mapped to grey (see [`key_threshold`]); it also gives
//! the frame's range, which the map needs.
//!
//! For 16-bit samples a second look follows ([`Activity::keep_peaks`]):
//! a thin pixel stands above both of a pair of neighbours, so of the
//! cells whose surroundings span the threshold only those holding such a
//! peak of order keys stay active. Most cells the range marks lie on
//! edges, a step with no crest (air against the body, a bone's outline);
//! on the generated CT series the share falls from 18 % of cells to
//! 0.1 %. The look reads only the active cells' surroundings, where the
//! grey map and the stroke test cost several times as much.
//!
//! Activity is only ever too generous, never too strict: cells marked
//! active but without strokes cost time, not results. Property tests hold
//! the detector's cells equal to the references' on every frame.

use super::decode::NativeWords;
use super::native16::Layout16;
use super::text::{NEAR, REACH};

/// The detector's cell side.
pub const CELL: usize = 8;
const HALF: usize = CELL / 2;

/// Per cell of a frame (the partial cells at the right and bottom edges
/// included), whether it can hold stroke pixels, and the runs of such
/// cells along each row of cells.
#[derive(Debug, Default)]
pub struct Activity {
    /// Cells across and down, partial ones included.
    pub cols: usize,
    pub rows: usize,
    active: Vec<bool>,
    /// Runs of active cells, `[first, end)` in cells, row after row;
    /// `starts[cy]..starts[cy + 1]` are row `cy`'s.
    runs: Vec<(usize, usize)>,
    starts: Vec<usize>,
}

impl Activity {
    /// Whether cell (cx, cy) can hold stroke pixels.
    pub fn is_active(&self, cx: usize, cy: usize) -> bool {
        self.active[cy * self.cols + cx]
    }

    /// The runs of active cells of row `cy`, in cells.
    pub fn runs(&self, cy: usize) -> &[(usize, usize)] {
        &self.runs[self.starts[cy]..self.starts[cy + 1]]
    }

    /// Active cells, of all cells.
    pub fn share(&self) -> f64 {
        self.active.iter().filter(|&&a| a).count() as f64 / self.active.len().max(1) as f64
    }

    /// Every cell active: for samples that do not fill the frame (the
    /// detector then finds nothing anyway).
    pub fn all(&mut self, width: usize, height: usize) {
        self.resize(width, height);
        self.active.fill(true);
        self.make_runs();
    }

    fn resize(&mut self, width: usize, height: usize) {
        (self.cols, self.rows) = (width.div_ceil(CELL), height.div_ceil(CELL));
        self.active.clear();
        self.active.resize(self.cols * self.rows, false);
    }

    fn make_runs(&mut self) {
        self.runs.clear();
        self.starts.clear();
        for row in self.active.chunks_exact(self.cols.max(1)).take(self.rows) {
            self.starts.push(self.runs.len());
            // Most rows of most frames have no active cell.
            if !row.contains(&true) {
                continue;
            }
            let mut cx = 0;
            while cx < row.len() {
                if row[cx] {
                    let first = cx;
                    while cx < row.len() && row[cx] {
                        cx += 1;
                    }
                    self.runs.push((first, cx));
                }
                cx += 1;
            }
        }
        self.starts.push(self.runs.len());
    }

    /// The columns (pixel ranges, sorted and disjoint) of pixel row `y`
    /// whose grey levels the detector reads: those within `REACH` (= half
    /// a cell) of the active cells of its row of cells, and, as thin pixels
    /// look `REACH` rows up and down, the active cells' own columns of the
    /// row of cells above (for the top half of a row of cells) or below
    /// (for the bottom half). The same for every row of a half.
    pub fn gray_spans(&self, y: usize, width: usize, out: &mut Vec<std::ops::Range<usize>>) {
        let cy = y / CELL;
        let other = if y % CELL < HALF { cy.checked_sub(1) } else { Some(cy + 1).filter(|&r| r < self.rows) };
        out.clear();
        out.extend(self.runs(cy).iter().map(|&(a, b)| (a * CELL).saturating_sub(HALF)..(b * CELL + HALF).min(width)));
        if let Some(other) = other {
            out.extend(self.runs(other).iter().map(|&(a, b)| a * CELL..(b * CELL).min(width)));
            out.sort_unstable_by_key(|r| r.start);
        }
        let mut kept = 0usize;
        for i in 0..out.len() {
            let r = out[i].clone();
            if kept > 0 && out[kept - 1].end >= r.start {
                out[kept - 1].end = out[kept - 1].end.max(r.end);
            } else {
                out[kept] = r;
                kept += 1;
            }
        }
        out.truncate(kept);
    }

    /// Cells active when their surroundings in `ranges` span at least
    /// `threshold`: per row of cells, the two rows of blocks folded, then
    /// each pair of neighbouring blocks (elementwise, so it vectorises).
    fn mark<T: Sample>(&mut self, ranges: &mut Ranges<T>, width: usize, height: usize, threshold: i32) {
        self.resize(width, height);
        let (gw, cols) = (ranges.cols, self.cols);
        if cols == 0 {
            return self.make_runs();
        }
        let (lo, hi) = (&mut ranges.row_lo, &mut ranges.row_hi);
        for (cy, active) in self.active.chunks_exact_mut(cols).enumerate() {
            let (top, bottom) = (cy * gw, (cy + 1) * gw);
            let (lo, hi) = (&mut lo[..gw], &mut hi[..gw]);
            for (((l, h), (a, b)), (c, d)) in lo.iter_mut().zip(hi.iter_mut()).zip(ranges.lo[top..bottom].iter().zip(&ranges.lo[bottom..][..gw])).zip(ranges.hi[top..bottom].iter().zip(&ranges.hi[bottom..][..gw])) {
                *l = (*a).min(*b);
                *h = (*c).max(*d);
            }
            let (l0, l1, h0, h1) = (&lo[..cols], &lo[1..][..cols], &hi[..cols], &hi[1..][..cols]);
            for i in 0..cols {
                let range = h0[i].max(h1[i]).into() - l0[i].min(l1[i]).into();
                active[i] = range >= threshold;
            }
        }
        self.make_runs();
    }

    /// Activity from 8-bit grey levels (`gray` is `width × height`).
    pub fn measure_gray(&mut self, gray: &[u8], width: usize, height: usize, ranges: &mut Ranges<u8>, threshold: u8) {
        let Some(gray) = width.checked_mul(height).and_then(|n| gray.get(..n)) else { return self.all(width, height) };
        ranges.build(width, height, |y, lo, hi| fold_row(lo, hi, &gray[y * width..][..width]));
        self.mark(ranges, width, height, i32::from(threshold));
    }

    /// Activity from 16-bit little-endian native samples (`words.bytes`
    /// holds `width × height` of them), for a map to grey levels of the
    /// values' range (inverted after it for MONOCHROME1): the range, and the
    /// layout that read the values (`layout`, or [`Layout16::PLAIN`] when
    /// every word is its value); `None` for no samples. Cells whose
    /// surroundings span the threshold are then kept only if they hold a
    /// peak ([`Self::keep_peaks`]).
    pub fn measure_words(&mut self, words: &NativeWords, width: usize, height: usize, ranges: &mut Ranges<i16>, contrast: u8) -> Option<(i32, i32, Layout16)> {
        let n = width.checked_mul(height).filter(|&n| n > 0)?;
        let (bytes, layout) = (words.bytes.get(..2 * n)?, words.layout);
        let mut range = |layout: Layout16| {
            ranges.build(width, height, |y, lo, hi| super::native16::fold_keys(&bytes[2 * y * width..][..2 * width], layout, lo, hi));
            (ranges.lo.iter().copied().min().unwrap_or(i16::MAX), ranges.hi.iter().copied().max().unwrap_or(i16::MIN))
        };
        // Words that are their values are read as they are (no key to
        // compute, and the frame itself is the keys that peaks are looked
        // for in); a word with bits above High Bit or below 0 as i16 sends
        // the frame the general way.
        let plain = layout.plain_up_to().and_then(|most| {
            let (lo, hi) = range(Layout16::PLAIN);
            (lo >= 0 && hi <= most).then_some((Layout16::PLAIN, (lo, hi)))
        });
        let (layout, (lo, hi)) = plain.unwrap_or_else(|| (layout, range(layout)));
        let (lo, hi) = (layout.value_of_key(lo), layout.value_of_key(hi));
        let threshold = key_threshold(lo, hi, layout, contrast);
        self.mark(ranges, width, height, threshold);
        self.keep_peaks(&NativeWords { bytes, layout, invert: words.invert }, width, height, threshold, &mut ranges.keys);
        Some((lo, hi, layout))
    }

    /// Keeps active only the cells holding a peak: a pixel whose order key
    /// exceeds (is below, when `invert`) both keys `NEAR` or both `REACH`
    /// away in its row or column by `threshold`, tested where the
    /// detector tests thin pixels (columns REACH..width − REACH; rows
    /// within REACH of the top or bottom only along the row). A thin pixel
    /// is brighter than such a pair by `CONTRAST` grey levels, which keys
    /// closer than the threshold cannot make; so a cell without a peak
    /// holds no thin pixel. The edges that made most cells active (air
    /// against the body, a bone's outline: a step, no crest) hold none.
    /// `words` are the frame's; `window` scratch space: the keys of the
    /// rows a row of cells reads (its own and REACH above and below),
    /// around its active cells, for words that are not their own keys.
    fn keep_peaks(&mut self, words: &NativeWords, width: usize, height: usize, threshold: i32, window: &mut Vec<i16>) {
        let NativeWords { bytes, layout, invert } = *words;
        // A threshold beyond any difference of saturated i16 keys keeps
        // every cell (a span of keys that wide cannot happen: the
        // threshold is at most 37/255 of 65,535).
        let Ok(threshold) = i16::try_from(threshold) else { return };
        if width <= 2 * REACH || bytes.len() / 2 < width * height {
            return;
        }
        // Plain words aligned for i16 are their own keys.
        #[cfg(target_endian = "little")]
        // SAFETY: every bit pattern is an i16.
        let (before, words, _) = unsafe { bytes.align_to::<i16>() };
        #[cfg(target_endian = "little")]
        let frame = (layout == Layout16::PLAIN && before.is_empty()).then_some(words);
        #[cfg(not(target_endian = "little"))]
        let frame: Option<&[i16]> = None;
        if frame.is_none() {
            window.resize((CELL + 2 * REACH) * width, 0);
        }
        for cy in 0..self.rows {
            let runs = self.starts[cy]..self.starts[cy + 1];
            if runs.is_empty() {
                continue;
            }
            let (keys, top) = match frame {
                Some(words) => (words, 0),
                None => {
                    // Each run's columns that hold thin pixels and REACH to
                    // either side, on every row the row of cells reads.
                    let top = (cy * CELL).saturating_sub(REACH);
                    for r in top..((cy + 1) * CELL + REACH).min(height) {
                        for &(a, b) in &self.runs[runs.clone()] {
                            let (start, end) = ((a * CELL).max(REACH) - REACH, ((b * CELL).min(width - REACH) + REACH).min(width));
                            if start < end {
                                super::native16::keys(&bytes[2 * (r * width + start)..2 * (r * width + end)], layout, &mut window[(r - top) * width + start..]);
                            }
                        }
                    }
                    (&window[..], top)
                }
            };
            let (keys, rows) = (PeakKeys { keys, width, height, top }, cy * CELL..((cy + 1) * CELL).min(height));
            for &(a, b) in &self.runs[runs] {
                for cx in a..b {
                    // The cell's columns that hold thin pixels: eight in one
                    // step, fewer (at the frame's sides) one by one.
                    let (x0, x1) = ((cx * CELL).max(REACH), ((cx + 1) * CELL).min(width - REACH));
                    let peak = match x1.saturating_sub(x0) {
                        0 => false,
                        CELL => keys.cell_has_peak(x0, rows.clone(), threshold, invert),
                        _ => (x0..x1).any(|x| keys.column_has_peak(x, rows.clone(), threshold, invert)),
                    };
                    self.active[cy * self.cols + cx] = peak;
                }
            }
        }
        self.make_runs();
    }
}

/// How far `v` stands above the lower of its pairs of neighbours (a, b)
/// and (c, d), each pair taken at its higher; below, when `INVERT` (see
/// [`Activity::keep_peaks`]).
#[inline(always)]
fn peak<const INVERT: bool>(v: i16, a: i16, b: i16, c: i16, d: i16) -> i16 {
    if INVERT { a.min(b).max(c.min(d)).saturating_sub(v) } else { v.saturating_sub(a.max(b).min(c.max(d))) }
}

/// A frame's order keys, where peaks are looked for: rows `top..` of a
/// `width × height` frame (all of it, or a window around a row of cells),
/// rows of `width` keys.
#[derive(Debug, Clone, Copy)]
pub struct PeakKeys<'a> {
    pub keys: &'a [i16],
    pub width: usize,
    pub height: usize,
    pub top: usize,
}

impl PeakKeys<'_> {
    /// Whether column `x` of frame rows `rows` holds a peak of `threshold`
    /// along its row and, away from the frame's top and bottom, its column
    /// (below its neighbours, when `invert`): the scalar reference for
    /// [`Self::cell_has_peak`], and its way at the frame's sides. Needs
    /// REACH ≤ x < width − REACH and, in `keys`, the rows REACH around
    /// `rows` that the frame has.
    pub fn column_has_peak(&self, x: usize, rows: std::ops::Range<usize>, threshold: i16, invert: bool) -> bool {
        if invert { self.column::<true>(x, rows, threshold) } else { self.column::<false>(x, rows, threshold) }
    }

    /// [`Self::column_has_peak`] of any of the eight columns from `x` (a
    /// cell's, all within REACH..width − REACH): each row's eight keys in
    /// one vector, SSE2 natively, simd128 in WASM, the cell's peaks folded
    /// in a register.
    pub fn cell_has_peak(&self, x: usize, rows: std::ops::Range<usize>, threshold: i16, invert: bool) -> bool {
        if invert { self.cell::<true>(x, rows, threshold) } else { self.cell::<false>(x, rows, threshold) }
    }

    fn column<const INVERT: bool>(&self, x: usize, rows: std::ops::Range<usize>, threshold: i16) -> bool {
        let PeakKeys { keys, width, height, top } = *self;
        rows.into_iter().any(|y| {
            let at = |row: usize, x: usize| keys[(row - top) * width + x];
            let v = at(y, x);
            let along = peak::<INVERT>(v, at(y, x - NEAR), at(y, x + NEAR), at(y, x - REACH), at(y, x + REACH));
            let across = if y >= REACH && y + REACH < height { peak::<INVERT>(v, at(y - NEAR, x), at(y + NEAR, x), at(y - REACH, x), at(y + REACH, x)) } else { 0 };
            along.max(across) >= threshold
        })
    }

    #[inline(always)]
    fn cell<const INVERT: bool>(&self, x: usize, rows: std::ops::Range<usize>, threshold: i16) -> bool {
        let PeakKeys { keys, width, height, top } = *self;
        // The keys read: REACH rows around `rows` (those in the frame) and
        // REACH columns to either side; the scalar way, which checks every
        // read, if `keys` falls short (it never does in `keep_peaks`: the
        // frame or the window holds them).
        let (first, last) = (rows.start.saturating_sub(REACH), (rows.end + REACH).min(height));
        if rows.is_empty() || top > first || x < REACH || x + CELL + REACH > width || keys.len() < (last - top) * width {
            return (x..x + CELL).any(|x| self.column::<INVERT>(x, rows.clone(), threshold));
        }
        #[cfg(all(target_arch = "x86_64", not(feature = "scalar-only")))]
        {
            use core::arch::x86_64::*;
            #[inline(always)]
            unsafe fn peak8<const INVERT: bool>(v: __m128i, a: __m128i, b: __m128i, c: __m128i, d: __m128i) -> __m128i {
                if INVERT {
                    _mm_subs_epi16(_mm_max_epi16(_mm_min_epi16(a, b), _mm_min_epi16(c, d)), v)
                } else {
                    _mm_subs_epi16(v, _mm_min_epi16(_mm_max_epi16(a, b), _mm_max_epi16(c, d)))
                }
            }
            // SAFETY: SSE2 is part of x86-64; row y's loads start at
            // (y − top)·width + x − REACH .. + REACH and rows y ± REACH
            // (only where the frame has them), all within `keys` (checked
            // above); unaligned loads.
            unsafe {
                let mut best = _mm_set1_epi16(i16::MIN);
                for y in rows {
                    let p = keys.as_ptr().add((y - top) * width + x);
                    let load = |q: *const i16| _mm_loadu_si128(q.cast());
                    let v = load(p);
                    best = _mm_max_epi16(best, peak8::<INVERT>(v, load(p.sub(NEAR)), load(p.add(NEAR)), load(p.sub(REACH)), load(p.add(REACH))));
                    if y >= REACH && y + REACH < height {
                        best = _mm_max_epi16(best, peak8::<INVERT>(v, load(p.sub(NEAR * width)), load(p.add(NEAR * width)), load(p.sub(REACH * width)), load(p.add(REACH * width))));
                    }
                }
                // A lane at the threshold or above: not below it everywhere.
                _mm_movemask_epi8(_mm_cmplt_epi16(best, _mm_set1_epi16(threshold))) != 0xFFFF
            }
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            use core::arch::wasm32::*;
            #[inline(always)]
            fn peak8<const INVERT: bool>(v: v128, a: v128, b: v128, c: v128, d: v128) -> v128 {
                if INVERT {
                    i16x8_sub_sat(i16x8_max(i16x8_min(a, b), i16x8_min(c, d)), v)
                } else {
                    i16x8_sub_sat(v, i16x8_min(i16x8_max(a, b), i16x8_max(c, d)))
                }
            }
            let mut best = i16x8_splat(i16::MIN);
            for y in rows {
                // SAFETY: row y's loads start at (y − top)·width + x − REACH
                // .. + REACH and rows y ± REACH (only where the frame has
                // them), all within `keys` (checked above); v128_load needs
                // no alignment.
                unsafe {
                    let p = keys.as_ptr().add((y - top) * width + x);
                    let load = |q: *const i16| v128_load(q.cast());
                    let v = load(p);
                    best = i16x8_max(best, peak8::<INVERT>(v, load(p.sub(NEAR)), load(p.add(NEAR)), load(p.sub(REACH)), load(p.add(REACH))));
                    if y >= REACH && y + REACH < height {
                        best = i16x8_max(best, peak8::<INVERT>(v, load(p.sub(NEAR * width)), load(p.add(NEAR * width)), load(p.sub(REACH * width)), load(p.add(REACH * width))));
                    }
                }
            }
            v128_any_true(i16x8_ge(best, i16x8_splat(threshold)))
        }
        #[cfg(not(any(all(target_arch = "x86_64", not(feature = "scalar-only")), all(target_arch = "wasm32", target_feature = "simd128"))))]
        (x..x + CELL).any(|x| self.column::<INVERT>(x, rows.clone(), threshold))
    }
}

/// Folds a row of grey levels into the per-column lows and highs,
/// elementwise, so that it vectorises (16-bit words:
/// [`super::native16::fold_keys`]). (Two rows a step, to halve the lows'
/// and highs' loads and stores, measured slower: the file's bytes come
/// from memory, and one stream of them is what the prefetcher serves best.)
#[inline(always)]
fn fold_row(lo: &mut [u8], hi: &mut [u8], row: &[u8]) {
    for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(row) {
        *l = (*l).min(v);
        *h = (*h).max(v);
    }
}

/// The smallest difference of order keys that can become a step of
/// `contrast` grey levels once values in [lo, hi] are mapped to 0..255
/// (`kernels::Gray8`: `g(x) = ⌊a·x + b + ½⌋` in f32 with `a = 255 / span`).
/// Values `d` apart map at most `a·d + 1` levels apart, plus the f32
/// rounding of `a·x + b` (a few units in the last place of |b| + 255 <
/// 2^24, under 1 level); so `a·d < contrast − 3` cannot make a step of
/// `contrast`: `d < (contrast − 3)·span / 255`. A difference of zero never
/// makes a step, so the threshold is at least 1. Keys are values shifted
/// left by `up` bits ([`Layout16`]).
fn key_threshold(lo: i32, hi: i32, layout: Layout16, contrast: u8) -> i32 {
    let span = (i64::from(hi) - i64::from(lo)).max(1);
    let d = (span * (i64::from(contrast) - 3).max(0) / 255).max(1);
    i32::try_from(d << layout.up()).unwrap_or(i32::MAX)
}

/// A sample type of the range grid: 8-bit grey or 16-bit order keys.
pub trait Sample: Copy + Ord + Into<i32> {
    const MIN: Self;
    const MAX: Self;

    /// The lowest of each CELL `lows` and the highest of each CELL `highs`
    /// ([`block_ranges_scalar`]; 16-bit keys in vectors).
    fn block_ranges(lows: &[Self], highs: &[Self], lo: &mut [Self], hi: &mut [Self]) {
        block_ranges_scalar(lows, highs, lo, hi);
    }
}

/// The lowest of each CELL `lows` and the highest of each CELL `highs`, a
/// block at a time: the grid's fold of 8-bit grey, and the reference for
/// [`super::native16::block_ranges`].
pub fn block_ranges_scalar<T: Sample>(lows: &[T], highs: &[T], lo: &mut [T], hi: &mut [T]) {
    for (l, c) in lo.iter_mut().zip(lows.chunks_exact(CELL)) {
        *l = c.iter().copied().fold(T::MAX, T::min);
    }
    for (h, c) in hi.iter_mut().zip(highs.chunks_exact(CELL)) {
        *h = c.iter().copied().fold(T::MIN, T::max);
    }
}

impl Sample for u8 {
    const MIN: u8 = u8::MIN;
    const MAX: u8 = u8::MAX;
}

impl Sample for i16 {
    const MIN: i16 = i16::MIN;
    const MAX: i16 = i16::MAX;

    fn block_ranges(lows: &[i16], highs: &[i16], lo: &mut [i16], hi: &mut [i16]) {
        super::native16::block_ranges(lows, highs, lo, hi);
    }
}

/// The lowest and highest sample of each block of the half-cell-offset
/// grid (see the module header), and the per-column buffers it is made
/// with; kept between frames.
#[derive(Debug, Default)]
pub struct Ranges<T> {
    cols: usize,
    lo: Vec<T>,
    hi: Vec<T>,
    row_lo: Vec<T>,
    row_hi: Vec<T>,
    /// The order keys of a row of cells' surroundings (16-bit samples
    /// only: [`Activity::keep_peaks`]).
    keys: Vec<T>,
}

impl<T: Sample> Ranges<T> {
    /// Bytes held.
    pub fn capacity(&self) -> usize {
        (self.lo.capacity() + self.hi.capacity() + self.row_lo.capacity() + self.row_hi.capacity() + self.keys.capacity()) * std::mem::size_of::<T>()
    }

    /// Fills the grid: `add_row(y, lo, hi)` folds row `y` into the
    /// per-column lows and highs; each block is then eight
    /// columns of them (the columns sit `HALF` places in, so that a block
    /// is one aligned chunk, the places around them holding the fold's
    /// identity).
    fn build(&mut self, width: usize, height: usize, mut add_row: impl FnMut(usize, &mut [T], &mut [T])) {
        // Blocks 0..=cells across and down: the last covers the partial
        // cell's far half, or nothing.
        let (gw, gh) = (width.div_ceil(CELL) + 1, height.div_ceil(CELL) + 1);
        self.cols = gw;
        for (v, identity, len) in [(&mut self.lo, T::MAX, gw * gh), (&mut self.hi, T::MIN, gw * gh), (&mut self.row_lo, T::MAX, gw * CELL), (&mut self.row_hi, T::MIN, gw * CELL)] {
            v.clear();
            v.resize(len, identity);
        }
        for k in 0..gh {
            let rows = (k * CELL).saturating_sub(HALF)..(k * CELL + HALF).min(height);
            if rows.is_empty() {
                continue;
            }
            let (row_lo, row_hi) = (&mut self.row_lo[HALF..][..width], &mut self.row_hi[HALF..][..width]);
            row_lo.fill(T::MAX);
            row_hi.fill(T::MIN);
            for y in rows {
                add_row(y, row_lo, row_hi);
            }
            let (lo, hi) = (&mut self.lo[k * gw..][..gw], &mut self.hi[k * gw..][..gw]);
            T::block_ranges(&self.row_lo, &self.row_hi, lo, hi);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether cell (cx, cy)'s surroundings span at least `threshold`,
    /// pixel by pixel.
    fn spans(gray: &[u8], width: usize, height: usize, cx: usize, cy: usize, threshold: u8) -> bool {
        let rows = (cy * CELL).saturating_sub(HALF)..(cy * CELL + CELL + HALF).min(height);
        let columns = (cx * CELL).saturating_sub(HALF)..(cx * CELL + CELL + HALF).min(width);
        let values = rows.flat_map(|y| columns.clone().map(move |x| gray[y * width + x]));
        let (lo, hi) = values.fold((u8::MAX, 0), |(lo, hi), v| (lo.min(v), hi.max(v)));
        hi.saturating_sub(lo) >= threshold
    }

    #[test]
    fn cells_are_active_where_their_surroundings_span_the_threshold() {
        let mut rng = super::super::font::Xorshift(7);
        for (w, h) in [(1, 1), (7, 3), (8, 8), (13, 21), (64, 40), (100, 37)] {
            let mut gray = vec![100u8; w * h];
            for _ in 0..3 {
                let i = rng.next_u32() as usize % (w * h);
                gray[i] = 160;
            }
            let mut activity = Activity::default();
            activity.measure_gray(&gray, w, h, &mut Ranges::default(), 40);
            assert_eq!((activity.cols, activity.rows), (w.div_ceil(8), h.div_ceil(8)));
            assert_eq!(activity.share() > 0.0, gray.contains(&160) && gray.contains(&100));
            for cy in 0..activity.rows {
                for cx in 0..activity.cols {
                    assert_eq!(activity.is_active(cx, cy), spans(&gray, w, h, cx, cy, 40), "{w}×{h} cell {cx},{cy}");
                }
                let runs = activity.runs(cy);
                let marked: Vec<usize> = runs.iter().flat_map(|&(a, b)| a..b).collect();
                let active: Vec<usize> = (0..activity.cols).filter(|&cx| activity.is_active(cx, cy)).collect();
                assert_eq!(marked, active);
            }
        }
    }

    proptest::proptest! {
        /// A cell's eight columns in one vector find a peak where one of
        /// them, by the scalar reference, does: random keys and
        /// thresholds, every row of cells (the top and bottom ones without
        /// their columns' neighbours), cells at any column, from a window.
        #[test]
        fn eight_columns_find_the_peaks_their_columns_do(keys in proptest::collection::vec(-60i16..60, 24 * 30..24 * 30 + 1), threshold in 1i16..90, wide: bool, cy in 0usize..4, x in 4usize..13, top in 0usize..2, invert: bool) {
            // Keys near each other, so that peaks meet the threshold
            // exactly; or spread over all of i16, where differences saturate.
            let keys: Vec<i16> = if wide { keys.iter().map(|&k| k.wrapping_mul(547)).collect() } else { keys };
            let threshold = if wide { threshold.saturating_mul(300) } else { threshold };
            let (width, height) = (24, 30 + top);
            let rows = cy * CELL..((cy + 1) * CELL).min(height);
            let top = top.min(rows.start.saturating_sub(REACH));
            let frame = PeakKeys { keys: &keys, width, height, top };
            let scalar = |x: usize| frame.column_has_peak(x, rows.clone(), threshold, invert);
            let eight = frame.cell_has_peak(x, rows.clone(), threshold, invert);
            proptest::prop_assert_eq!(eight, (x..x + CELL).any(scalar));
        }
    }

    #[test]
    fn empty_and_short_frames_are_safe() {
        let mut activity = Activity::default();
        for (w, h) in [(0, 0), (0, 5), (5, 0)] {
            activity.measure_gray(&[], w, h, &mut Ranges::default(), 40);
            assert_eq!(activity.share(), 0.0);
            assert_eq!(activity.measure_words(&NativeWords { bytes: &[], layout: Layout16::new(12, 11, false).unwrap(), invert: false }, w, h, &mut Ranges::default(), 40), None);
        }
        // Too few samples for the frame: every cell, and no panic.
        activity.measure_gray(&[1, 2, 3], 4, 4, &mut Ranges::default(), 40);
        assert_eq!(activity.share(), 1.0);
        assert_eq!(activity.measure_words(&NativeWords { bytes: &[1, 2, 3], layout: Layout16::new(12, 11, false).unwrap(), invert: false }, 4, 4, &mut Ranges::default(), 40), None);
    }

    #[test]
    fn a_key_threshold_never_hides_a_step_of_contrast() {
        use super::super::kernels::Gray8;
        for (lo, hi) in [(0, 255), (0, 4095), (-1024, 3071), (30000, 30100), (0, 10), (-32768, 32767), (5, 5), (60000, 65535)] {
            let layout = Layout16::new(16, 15, lo < 0).unwrap();
            let d = key_threshold(lo, hi, layout, 40);
            let g = Gray8::new(lo, hi);
            // No pair closer than d is 40 levels apart.
            for x in (lo..=hi).step_by(((hi - lo) as usize / 2000).max(1)) {
                let y = (x + d - 1).min(hi);
                assert!(i32::from(g.scalar(y)) - i32::from(g.scalar(x)) < 40, "{lo}..{hi}: {x} and {y}, threshold {d}");
            }
        }
        // Keys of 12 bits stored are the values shifted by 4.
        let layout = Layout16::new(12, 11, false).unwrap();
        assert_eq!(key_threshold(0, 4095, layout, 40), (4095 * 37 / 255) << 4);
    }
}
