//! Burned-in text detector: no OCR, just the look of annotation text.
//!
//! Burned-in annotations are rows of small glyphs of one height, drawn with
//! thin strokes of one intensity, brighter than what is around them. The
//! detector, in time and memory linear in the frame:
//!
//! 1. **Stroke mask** (the hot loop, branch-free, vectorised): a pixel is
//!    thin when it is brighter by at least `CONTRAST` than the pixels `NEAR`
//!    or `REACH` away on both sides, horizontally or vertically, at the
//!    crest of that stroke (no darker than the pixels beside it across the
//!    stroke, at most `ALONG` darker than those along it: not on the grey
//!    flank of an antialiased stroke, whichever way that stroke runs); it
//!    is a stroke pixel when at least `MIN_NEIGHBOURS` of its 8 neighbours
//!    are thin too (strokes are lines, noise makes dots). Thick bright
//!    structures (bone, organs) fail on their inside.
//! 2. **Cells** of 8×8 pixels (counted branch-free): a text cell has a
//!    glyph-like stroke density (neither a dot nor a blob) and its stroke
//!    pixels share nearly one intensity.
//! 3. **Lines**: runs of text cells along a row of cells (word spaces
//!    bridged), at least `MIN_RUN` cells long, joined with touching runs
//!    (flood fill) into boxes at least twice as wide as tall and at most
//!    `MAX_LINE_CELLS` cells high.
//! 4. **Glyphs**: a box is kept when the pixels as bright as its strokes
//!    form at least `MIN_GLYPHS` separate shapes of one top and bottom line
//!    (letters and digits). Ribs, the CT table, bone cortex, vessels and
//!    speckle pass steps 1–3 in places but not this.
//!
//! Steps 3 and 4 are [`super::lines`]'s.
//!
//! [`stroke_mask_scalar`] is the reference for [`stroke_mask`] and
//! [`cell_stats_scalar`] for [`cell_stats`]; the detector makes steps 1 and 2
//! in one pass over the rows (`stroke_cells`, held equal to the two
//! references by property tests), and only over the cells that can hold
//! strokes ([`super::activity`]: on medical images most cannot). Native
//! 16-bit frames are mapped to grey only around those cells
//! ([`detect_text_words`], held equal to the detector on the whole grey
//! frame by a property test).

use super::activity::{Activity, Ranges, CELL};
use super::decode::NativeWords;
use super::lines::{self, MIN_RUN};
use super::native16::{self, Layout16};

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

impl TextBox {
    /// Whether the two boxes share a pixel.
    fn overlaps(&self, other: &TextBox) -> bool {
        self.x < other.x + other.width && other.x < self.x + self.width && self.y < other.y + other.height && other.y < self.y + self.height
    }

    /// The smallest box holding both, as text-like as the more text-like.
    fn union(&self, other: &TextBox) -> TextBox {
        let (x, y) = (self.x.min(other.x), self.y.min(other.y));
        let (right, bottom) = ((self.x + self.width).max(other.x + other.width), (self.y + self.height).max(other.y + other.height));
        TextBox { x, y, width: right - x, height: bottom - y, score: self.score.max(other.score) }
    }
}

/// Minimum brightness step between a stroke and its surroundings (0..255).
pub(super) const CONTRAST: u8 = 40;
/// Distances to the pixels a stroke must be brighter than: thin strokes at
/// the first, strokes of large text (up to 2·REACH−1 wide) at the second.
pub(super) const NEAR: usize = 2;
pub(super) const REACH: usize = 4;
/// How much darker than the pixels beside it along its stroke a thin pixel
/// may be: a stroke's own unevenness (noise, lossy compression's ringing),
/// not the step from an antialiased stroke's grey flank to its crest, which
/// is a quarter to a half of the stroke's contrast. (Held exact along the
/// stroke, text that lossy JPEG 2000 had left uneven, on the corpus's
/// ultrasounds, lost its strokes; 24 keeps them and every flank of the
/// antialiased text that `tests/burned_in_text.rs` measures.)
const ALONG: u8 = 24;
/// Thin pixels with fewer thin 8-neighbours are dropped: glyph strokes are
/// lines, noise makes isolated dots.
const MIN_NEIGHBOURS: u8 = 2;
/// Stroke pixels in a text cell, out of 64.
const MIN_STROKES: u8 = 5;
const MAX_STROKES: u8 = 48;
/// Largest spread of stroke intensities in a text cell.
const MAX_SPREAD: u8 = 32;

/// Scalar reference for [`stroke_mask`]: 1 where a pixel is a stroke pixel,
/// 0 elsewhere (and everywhere when the sizes do not fit).
pub fn stroke_mask_scalar(gray: &[u8], width: usize, height: usize, out: &mut [u8]) {
    out.iter_mut().for_each(|o| *o = 0);
    let Some(len) = frame_len(gray, width, height) else { return };
    if width < 2 * REACH + 1 || out.len() < len {
        return;
    }
    let mut thin = vec![0u8; len];
    for y in 0..height {
        for x in REACH..width - REACH {
            let i = y * width + x;
            let v = gray[i];
            let step = |d: usize, n: usize| v.saturating_sub(gray[i - d * n].max(gray[i + d * n])) >= CONTRAST;
            // The crest of the stroke across it, and nearly as bright as the
            // pixels along it: not a darker pixel on the flank of an
            // antialiased one, across or along.
            let crest = |d: usize| v >= gray[i - d].max(gray[i + d]);
            let along = |d: usize| v.saturating_add(ALONG) >= gray[i - d].max(gray[i + d]);
            let inside = y >= REACH && y + REACH < height;
            let horizontal = crest(1) && (!inside || along(width)) && (step(1, NEAR) || step(1, REACH));
            let vertical = inside && crest(width) && along(1) && (step(width, NEAR) || step(width, REACH));
            thin[i] = u8::from(horizontal || vertical);
        }
    }
    for y in 0..height {
        for x in 0..width {
            let mut neighbours = 0;
            for ny in y.saturating_sub(1)..=(y + 1).min(height - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(width - 1) {
                    if (nx, ny) != (x, y) && thin[ny * width + nx] == 1 {
                        neighbours += 1;
                    }
                }
            }
            out[y * width + x] = u8::from(thin[y * width + x] == 1 && neighbours >= MIN_NEIGHBOURS);
        }
    }
}

/// Stroke mask, equal to [`stroke_mask_scalar`]: whole-row slices cut to
/// one length, so the inner loops have no bounds checks and no branches and
/// vectorise (16 pixels a step with SSE2 or simd128).
pub fn stroke_mask(gray: &[u8], width: usize, height: usize, out: &mut [u8]) {
    stroke_mask_with(gray, width, height, out, &mut Vec::new());
}

/// [`stroke_mask`] with the buffer of thin pixels given (any content; it is
/// resized), so a caller scanning many frames allocates it once.
fn stroke_mask_with(gray: &[u8], width: usize, height: usize, out: &mut [u8], thin: &mut Vec<u8>) {
    let Some(len) = frame_len(gray, width, height).filter(|&len| width > 2 * REACH && out.len() >= len) else {
        out.iter_mut().for_each(|o| *o = 0);
        return;
    };
    // Columns REACH..width-REACH are the only ones that can hold strokes:
    // the others are zero in both buffers (and `out` past the frame too).
    let n = width - 2 * REACH;
    out[len..].iter_mut().for_each(|o| *o = 0);
    thin.resize(len, 0);
    for (t, o) in thin.chunks_exact_mut(width).zip(out.chunks_exact_mut(width)) {
        t[..REACH].fill(0);
        t[width - REACH..].fill(0);
        o[..REACH].fill(0);
        o[width - REACH..].fill(0);
    }
    for y in 0..height {
        thin_span(gray, width, height, y, REACH..width - REACH, &mut thin[y * width + REACH..][..n]);
    }
    // Keep the thin pixels with at least MIN_NEIGHBOURS thin 8-neighbours.
    let zero = vec![0u8; width];
    for y in 0..height {
        let mid = &thin[y * width..][..width];
        let up = if y > 0 { &thin[(y - 1) * width..][..width] } else { &zero[..] };
        let down = if y + 1 < height { &thin[(y + 1) * width..][..width] } else { &zero[..] };
        fn at(row: &[u8], shift: usize, n: usize) -> &[u8] {
            &row[REACH - 1 + shift..][..n]
        }
        let (centre, left, right) = (at(mid, 1, n), at(mid, 0, n), at(mid, 2, n));
        let (up_left, up_centre, up_right) = (at(up, 0, n), at(up, 1, n), at(up, 2, n));
        let (down_left, down_centre, down_right) = (at(down, 0, n), at(down, 1, n), at(down, 2, n));
        let o = &mut out[y * width + REACH..][..n];
        for i in 0..n {
            let neighbours = left[i] + right[i] + up_left[i] + up_centre[i] + up_right[i] + down_left[i] + down_centre[i] + down_right[i];
            o[i] = centre[i] & u8::from(neighbours >= MIN_NEIGHBOURS);
        }
    }
}

/// `width * height` when `gray` holds exactly that many pixels.
fn frame_len(gray: &[u8], width: usize, height: usize) -> Option<usize> {
    width.checked_mul(height).filter(|&len| len == gray.len() && len > 0)
}

/// [`frame_len`] of a frame wide and tall enough to hold a line of text
/// (the detector's shortest run of cells, one cell high).
fn searchable_len(gray: &[u8], width: usize, height: usize) -> Option<usize> {
    frame_len(gray, width, height).filter(|_| width >= MIN_RUN * CELL && height >= CELL)
}

/// Stroke statistics of one CELL×CELL cell: how many stroke pixels, and the
/// lowest and highest intensity among them (255 and 0 when there are none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellStats {
    pub strokes: u8,
    pub lo: u8,
    pub hi: u8,
}

const EMPTY_CELL: CellStats = CellStats { strokes: 0, lo: u8::MAX, hi: 0 };

impl CellStats {
    /// Glyph-like: a stroke density between a dot and a blob, of one intensity.
    pub(super) fn is_text(self) -> bool {
        (MIN_STROKES..=MAX_STROKES).contains(&self.strokes) && self.hi.wrapping_sub(self.lo) <= MAX_SPREAD
    }
}

/// Scalar reference for [`cell_stats`]: the stats of every whole cell, row
/// by row (`(width / CELL) * (height / CELL)` of them; pixels past the last
/// whole cell are not counted). `mask` is a [`stroke_mask`] of `gray`.
pub fn cell_stats_scalar(gray: &[u8], mask: &[u8], width: usize, height: usize) -> Vec<CellStats> {
    let (cw, ch) = (width / CELL, height / CELL);
    let mut cells = vec![EMPTY_CELL; cw * ch];
    if frame_len(gray, width, height).is_none() || mask.len() != gray.len() {
        return cells;
    }
    for y in 0..ch * CELL {
        for x in 0..cw * CELL {
            let i = y * width + x;
            if mask[i] != 0 {
                let c = &mut cells[(y / CELL) * cw + x / CELL];
                c.strokes += 1;
                c.lo = c.lo.min(gray[i]);
                c.hi = c.hi.max(gray[i]);
            }
        }
    }
    cells
}

/// [`cell_stats_scalar`], branch-free: per column of a row of cells, the
/// count, min and max over its CELL rows are accumulated in row-long
/// buffers (elementwise, so it vectorises), then folded per CELL columns.
pub fn cell_stats(gray: &[u8], mask: &[u8], width: usize, height: usize) -> Vec<CellStats> {
    let (cw, ch) = (width / CELL, height / CELL);
    let mut cells = vec![EMPTY_CELL; cw * ch];
    if frame_len(gray, width, height).is_none() || mask.len() != gray.len() || cw == 0 {
        return cells;
    }
    let n = cw * CELL;
    let (mut count, mut lo, mut hi) = (vec![0u8; n], vec![0u8; n], vec![0u8; n]);
    for (cy, cell_row) in cells.chunks_exact_mut(cw).enumerate() {
        count.fill(0);
        lo.fill(u8::MAX);
        hi.fill(0);
        for y in cy * CELL..(cy + 1) * CELL {
            let (g, m) = (&gray[y * width..][..n], &mask[y * width..][..n]);
            let (count, lo, hi) = (&mut count[..n], &mut lo[..n], &mut hi[..n]);
            for i in 0..n {
                // 0xFF on a stroke pixel, 0 elsewhere (the mask is 0 or 1).
                let on = 0u8.wrapping_sub(m[i] & 1);
                count[i] += m[i] & 1;
                lo[i] = lo[i].min(g[i] | !on);
                hi[i] = hi[i].max(g[i] & on);
            }
        }
        let columns = count.chunks_exact(CELL).zip(lo.chunks_exact(CELL)).zip(hi.chunks_exact(CELL));
        for (cell, ((count, lo), hi)) in cell_row.iter_mut().zip(columns) {
            *cell = CellStats {
                strokes: count.iter().sum(),
                lo: lo.iter().fold(u8::MAX, |a, &b| a.min(b)),
                hi: hi.iter().fold(0, |a, &b| a.max(b)),
            };
        }
    }
    cells
}

/// [`cell_stats`] of [`stroke_mask`], in one pass over the rows and only
/// over the cells `activity` marks (the others hold no stroke pixel, see
/// [`super::activity`]; their stats stay empty): each row's thin pixels
/// are computed once into a ring of three rows, the row above gets its
/// stroke mask from them and is added to its cells at once, so no
/// frame-sized mask or buffer of thin pixels is written and read again
/// (on a 4096×4096 frame they were 32 MB of traffic). Thin pixels are
/// [`thin_span`]'s, as in [`stroke_mask`]. Grey levels are read only
/// within `REACH` of active cells. `rows` is scratch space (any content).
/// Needs `width > 2·REACH`.
fn stroke_cells(gray: &[u8], width: usize, height: usize, activity: &Activity, rows: &mut Vec<u8>) -> Vec<CellStats> {
    let (cw, ch) = (width / CELL, height / CELL);
    let mut cells = vec![EMPTY_CELL; cw * ch];
    if frame_len(gray, width, height).is_none() || width <= 2 * REACH || cw == 0 || (activity.cols, activity.rows) != (width.div_ceil(CELL), height.div_ceil(CELL)) {
        return cells;
    }
    let wide = cw * CELL;
    // Three rows of thin pixels, a zero row, the mask row, and the cells'
    // per-column count, min and max.
    rows.clear();
    rows.resize(5 * width + 3 * wide, 0);
    let (ring, rest) = rows.split_at_mut(3 * width);
    let (zero, rest) = rest.split_at_mut(width);
    let (mask, rest) = rest.split_at_mut(width);
    let (count, rest) = rest.split_at_mut(wide);
    let (lo, hi) = rest.split_at_mut(wide);
    // Row `y`'s active pixels, as ranges of columns that have all their
    // neighbours in the frame (REACH..width − REACH).
    let spans = |y: usize| {
        activity.runs(y / CELL).iter().map(|&(a, b)| (a * CELL).max(REACH)..(b * CELL).min(width - REACH)).filter(|r| !r.is_empty())
    };
    let thin_row = |y: usize, t: &mut [u8]| {
        // The ring's row held row y − 3; what keep_strokes reads of it is
        // spans of rows y − 1 ..= y + 1 a pixel wider, where row y's thin
        // pixels outside its own spans are 0 (inactive cells): zeros there
        // (once per row of cells), then the spans. Not the whole row: on a
        // sparse frame that was as much as the spans' work.
        let mut cells_done = usize::MAX;
        for r in y.saturating_sub(1)..(y + 2).min(height) {
            if r / CELL != cells_done {
                cells_done = r / CELL;
                for s in spans(r) {
                    t[s.start - 1..s.end + 1].fill(0);
                }
            }
        }
        for r in spans(y) {
            thin_span(gray, width, height, y, r.clone(), &mut t[r]);
        }
    };
    thin_row(0, &mut ring[..width]);
    lo.fill(u8::MAX);
    // A row of cells without active cells, above another, is skipped: its
    // rows' thin pixels are read only by its own active cells and, for its
    // first and last rows, by the rows of cells above and below; the first
    // is made in the last step of the row above (not skipped, or it too
    // has no active cell), the last only in a step skipped here, but the
    // row below has no active cell to read it.
    let idle = |cy: usize| activity.runs(cy).is_empty() && (cy + 1 >= activity.rows || activity.runs(cy + 1).is_empty());
    for y in (0..ch * CELL).filter(|&y| !idle(y / CELL)) {
        if y + 1 < height {
            thin_row(y + 1, &mut ring[(y + 1) % 3 * width..][..width]);
        }
        let row = |k: usize| &ring[k % 3 * width..][..width];
        let mid = row(y);
        let up = if y > 0 { row(y - 1) } else { &zero[..] };
        let down = if y + 1 < height { row(y + 1) } else { &zero[..] };
        for r in spans(y) {
            let n = r.len();
            // The row's pixels of the span, shifted by `shift − 1`.
            fn at(row: &[u8], start: usize, shift: usize, n: usize) -> &[u8] {
                &row[start + shift - 1..][..n]
            }
            let (centre, left, right) = (at(mid, r.start, 1, n), at(mid, r.start, 0, n), at(mid, r.start, 2, n));
            let (up_left, up_centre, up_right) = (at(up, r.start, 0, n), at(up, r.start, 1, n), at(up, r.start, 2, n));
            let (down_left, down_centre, down_right) = (at(down, r.start, 0, n), at(down, r.start, 1, n), at(down, r.start, 2, n));
            keep_strokes(&mut mask[r.clone()], centre, [left, right, up_left, up_centre, up_right, down_left, down_centre, down_right]);
            let r = r.start..r.end.min(wide);
            if !r.is_empty() {
                add_to_cells(&mut count[r.clone()], &mut lo[r.clone()], &mut hi[r.clone()], &gray[y * width + r.start..][..r.len()], &mask[r]);
            }
        }
        if (y + 1) % CELL == 0 {
            let cy = y / CELL;
            for &(a, b) in activity.runs(cy) {
                let b = b.min(cw);
                let columns = count[a * CELL..].chunks_exact(CELL).zip(lo[a * CELL..].chunks_exact(CELL)).zip(hi[a * CELL..].chunks_exact(CELL));
                for (cell, ((count, lo), hi)) in cells[cy * cw..][a.min(b)..b].iter_mut().zip(columns) {
                    *cell = CellStats {
                        strokes: count.iter().sum(),
                        lo: lo.iter().fold(u8::MAX, |a, &b| a.min(b)),
                        hi: hi.iter().fold(0, |a, &b| a.max(b)),
                    };
                }
            }
            count.fill(0);
            lo.fill(u8::MAX);
            hi.fill(0);
        }
    }
    cells
}

// The row loops of `stroke_cells`, each a function of its own so that its
// slices are known not to overlap (`&mut` arguments) and LLVM vectorises
// the loop: cut to one length, no bounds checks, no branches.

/// Thin pixels of row `y`'s columns `span` (all within REACH..width −
/// REACH) into `t`, of the span's length: [`thin_pixels`] on the row's
/// slices of the span and its neighbours'.
#[inline(always)]
fn thin_span(gray: &[u8], width: usize, height: usize, y: usize, span: std::ops::Range<usize>, t: &mut [u8]) {
    let n = span.len();
    let at = |row: usize, shift: usize| &gray[row * width + span.start + shift - REACH..][..n];
    let (centre, near_left, near_right, far_left, far_right) = (at(y, REACH), at(y, REACH - NEAR), at(y, REACH + NEAR), at(y, 0), at(y, 2 * REACH));
    let (left, right) = (at(y, REACH - 1), at(y, REACH + 1));
    // Rows too near the top or bottom have no vertical neighbours: compare
    // the centre with itself, which is never a step.
    let (near_up, near_down, far_up, far_down, up, down) = if y >= REACH && y + REACH < height {
        (at(y - NEAR, REACH), at(y + NEAR, REACH), at(y - REACH, REACH), at(y + REACH, REACH), at(y - 1, REACH), at(y + 1, REACH))
    } else {
        (centre, centre, centre, centre, centre, centre)
    };
    thin_pixels(t, centre, [near_left, near_right, far_left, far_right, left, right], [near_up, near_down, far_up, far_down, up, down]);
}

/// Thin pixels of one row: `across_row` holds each `centre` pixel's near
/// and far left and right neighbours, then the adjacent ones, in pairs;
/// `across_column` the same above and below. A pixel is thin in a
/// direction when it is CONTRAST brighter than both near or both far
/// neighbours, no darker than the adjacent ones in that direction and at
/// most ALONG darker than those in the other (the crest of the stroke, not
/// the flank of an antialiased one: a flank beside its crest across the
/// stroke, or a horizontal stroke's flank row, whose short run between
/// dark pixels looks thin along the row, above or below its crest).
#[inline(always)]
fn thin_pixels(t: &mut [u8], centre: &[u8], across_row: [&[u8]; 6], across_column: [&[u8]; 6]) {
    let n = t.len();
    let centre = &centre[..n];
    let [a, b, c, d, l, r] = across_row.map(|x| &x[..n]);
    let [e, f, g, h, u, w] = across_column.map(|x| &x[..n]);
    for i in 0..n {
        let v = centre[i];
        // The brighter of the adjacent pixels left and right, and above and below.
        let (beside, above_below) = (l[i].max(r[i]), u[i].max(w[i]));
        let row = (v.saturating_sub(a[i].max(b[i]).min(c[i].max(d[i]))) >= CONTRAST) & (v >= beside) & (v.saturating_add(ALONG) >= above_below);
        let column = (v.saturating_sub(e[i].max(f[i]).min(g[i].max(h[i]))) >= CONTRAST) & (v >= above_below) & (v.saturating_add(ALONG) >= beside);
        t[i] = u8::from(row | column);
    }
}

/// Stroke pixels of one row: thin pixels with MIN_NEIGHBOURS thin ones among
/// their eight `neighbours` (rows shifted to each pixel).
#[inline(always)]
fn keep_strokes(o: &mut [u8], centre: &[u8], neighbours: [&[u8]; 8]) {
    let n = o.len();
    let centre = &centre[..n];
    let [a, b, c, d, e, f, g, h] = neighbours.map(|r| &r[..n]);
    for i in 0..n {
        let count = a[i] + b[i] + c[i] + d[i] + e[i] + f[i] + g[i] + h[i];
        o[i] = centre[i] & u8::from(count >= MIN_NEIGHBOURS);
    }
}

/// Adds one row of stroke pixels (`mask`, 0 or 1) to the per-column count,
/// lowest and highest grey of a row of cells.
#[inline(always)]
fn add_to_cells(count: &mut [u8], lo: &mut [u8], hi: &mut [u8], gray: &[u8], mask: &[u8]) {
    let n = count.len();
    let (lo, hi, gray, mask) = (&mut lo[..n], &mut hi[..n], &gray[..n], &mask[..n]);
    for i in 0..n {
        // 0xFF on a stroke pixel, 0 elsewhere.
        let on = 0u8.wrapping_sub(mask[i]);
        count[i] += mask[i];
        lo[i] = lo[i].min(gray[i] | !on);
        hi[i] = hi[i].max(gray[i] & on);
    }
}

/// Finds text-like regions in an 8-bit grayscale frame (row-major,
/// `width * height` bytes); empty when the sizes do not match the buffer.
pub fn detect_text(gray: &[u8], width: usize, height: usize) -> Vec<TextBox> {
    detect_text_with(gray, width, height, &mut Buffers::default())
}

/// The detector's buffers (a few rows since the stroke mask and the cells
/// are made in one pass, the cells' activity and the grid it is made
/// from), for a caller that scans many frames to allocate once.
#[derive(Debug, Default)]
pub struct Buffers {
    /// [`stroke_cells`]' rows.
    rows: Vec<u8>,
    activity: Activity,
    gray_ranges: Ranges<u8>,
    word_ranges: Ranges<i16>,
    /// Columns of a row whose grey levels are needed.
    spans: Vec<std::ops::Range<usize>>,
    /// The inverted frame of [`detect_light_and_dark_text`].
    inverted: Vec<u8>,
}

impl Buffers {
    /// Bytes held.
    pub fn capacity(&self) -> usize {
        self.rows.capacity() + self.gray_ranges.capacity() + self.word_ranges.capacity() + self.inverted.capacity()
    }

    /// The share of cells of the last frame that the detector looked at.
    pub fn active_share(&self) -> f64 {
        self.activity.share()
    }
}

/// [`detect_text`] with its buffers given.
pub fn detect_text_with(gray: &[u8], width: usize, height: usize, buffers: &mut Buffers) -> Vec<TextBox> {
    if searchable_len(gray, width, height).is_none() {
        return Vec::new();
    }
    buffers.activity.measure_gray(gray, width, height, &mut buffers.gray_ranges, CONTRAST);
    detect_measured(gray, width, height, buffers)
}

/// The detector on a frame whose activity grid `buffers` already holds.
fn detect_measured(gray: &[u8], width: usize, height: usize, buffers: &mut Buffers) -> Vec<TextBox> {
    let (cells, boxes) = candidates(gray, width, height, buffers);
    lines::confirm(gray, width, &cells, boxes)
}

/// [`detect_text_with`], and dark text on a light background too: the
/// detector again on the inverted frame, where dark strokes are the bright
/// ones it looks for (scanned forms and letters, screenshots, dark text on
/// a light label). A dark line that overlaps a light one is the same text
/// seen from its background (the gaps inside white letters on a black
/// label are dark strokes on light; the light gaps between dark letters on
/// a light label are light strokes on dark): the light line grows to hold
/// both.
pub fn detect_light_and_dark_text(gray: &[u8], width: usize, height: usize, buffers: &mut Buffers) -> Vec<TextBox> {
    let Some(n) = searchable_len(gray, width, height) else { return Vec::new() };
    let mut boxes = detect_text_with(gray, width, height, buffers);
    let mut inverted = std::mem::take(&mut buffers.inverted);
    inverted.clear();
    inverted.extend(gray[..n].iter().map(|&g| 255 - g));
    // The activity grid is the blocks' ranges, which inversion keeps: the
    // light look's grid serves the dark one.
    let dark = detect_measured(&inverted, width, height, buffers);
    buffers.inverted = inverted;
    add_dark_lines(&mut boxes, dark);
    boxes
}

/// Adds the dark look's lines to the light look's `boxes`: a dark line
/// that overlaps a light one grows that light one to hold both (see
/// [`detect_light_and_dark_text`]), the others are added.
fn add_dark_lines(boxes: &mut Vec<TextBox>, dark: Vec<TextBox>) {
    let light = boxes.len();
    for d in dark {
        match boxes[..light].iter_mut().find(|b| b.overlaps(&d)) {
            Some(b) => *b = b.union(&d),
            None => boxes.push(d),
        }
    }
}

/// [`detect_text`] of 16-bit little-endian native samples (`bytes`, of
/// `width × height` words in `layout`), mapped to grey as
/// `decode::native_gray8` maps them (inverted for MONOCHROME1) but only
/// where the detector looks: the cells' activity comes from the samples'
/// range grid, which gives the frame's range too, and only the grey levels
/// around active cells are computed, and those around a text line when one
/// is found and its glyphs are checked. `gray` is scratch space (any
/// content; resized to the frame).
pub fn detect_text_words(bytes: &[u8], layout: Layout16, invert: bool, width: usize, height: usize, gray: &mut Vec<u8>, buffers: &mut Buffers) -> Vec<TextBox> {
    let Some(n) = width.checked_mul(height).filter(|&n| n > 0 && bytes.len() / 2 >= n) else { return Vec::new() };
    if width < MIN_RUN * CELL || height < CELL {
        return Vec::new();
    }
    let bytes = &bytes[..2 * n];
    let Some((lo, hi, layout)) = buffers.activity.measure_words(&NativeWords { bytes, layout, invert }, width, height, &mut buffers.word_ranges, CONTRAST) else { return Vec::new() };
    gray.resize(n, 0);
    let map = |gray: &mut [u8], from: usize, len: usize| {
        let out = &mut gray[from..][..len];
        native16::to_gray8(&bytes[2 * from..][..2 * len], layout, lo, hi, out);
        if invert {
            out.iter_mut().for_each(|v| *v = 255 - *v);
        }
    };
    for half in (0..height).step_by(CELL / 2) {
        buffers.activity.gray_spans(half, width, &mut buffers.spans);
        for y in half..(half + CELL / 2).min(height) {
            for r in &buffers.spans {
                map(gray, y * width + r.start, r.len());
            }
        }
    }
    let (cells, boxes) = candidates(gray, width, height, buffers);
    if boxes.is_empty() {
        return boxes;
    }
    // The glyph check reads the grey levels around each line only.
    for b in &boxes {
        let (x, y, w, h) = lines::glyph_area(b, width, height);
        for row in y..y + h {
            map(gray, row * width + x, w);
        }
    }
    lines::confirm(gray, width, &cells, boxes)
}

/// The cells' stats and the text lines they make, before their glyphs are
/// checked: `buffers.activity` is the frame's.
fn candidates(gray: &[u8], width: usize, height: usize, buffers: &mut Buffers) -> (Vec<CellStats>, Vec<TextBox>) {
    let cells = stroke_cells(gray, width, height, &buffers.activity, &mut buffers.rows);
    let (cw, ch) = (width / CELL, height / CELL);
    // Only active cells can be text, and most frames have none.
    let activity = &buffers.activity;
    let text = |cy: usize| activity.runs(cy).iter().any(|&(a, b)| cells[cy * cw..][a.min(cw)..b.min(cw)].iter().any(|c| c.is_text()));
    if !(0..ch).any(text) {
        return (cells, Vec::new());
    }
    let boxes = lines::text_lines(&cells, cw, ch);
    (cells, boxes)
}

#[cfg(test)]
mod tests {
    use super::super::font::{draw_text, text_width, Font, Xorshift};
    use super::*;
    use proptest::prelude::*;

    /// An antialiased horizontal bar: a crest row with a flank row at half
    /// its brightness above and below. The flank rows' short runs between
    /// dark pixels look thin along the row; they are not strokes, so a
    /// cell does not mix them with the crest (two intensities, no text).
    #[test]
    fn flanks_of_antialiased_strokes_are_not_strokes() {
        let (w, h) = (40, 20);
        let mut gray = vec![0u8; w * h];
        for x in 10..15 {
            (gray[9 * w + x], gray[10 * w + x], gray[11 * w + x]) = (128, 255, 128);
        }
        let (mut fast, mut scalar) = (vec![0u8; w * h], vec![0u8; w * h]);
        stroke_mask(&gray, w, h, &mut fast);
        stroke_mask_scalar(&gray, w, h, &mut scalar);
        for mask in [&fast, &scalar] {
            assert!(mask[9 * w..12 * w].iter().enumerate().all(|(i, &m)| m == 0 || i / w == 1), "a flank pixel is a stroke pixel");
            assert!(mask[10 * w + 11..10 * w + 14].iter().all(|&m| m == 1), "the crest is not");
        }
    }

    /// Where both looks find a line, the light one grows to hold the dark
    /// one; a dark line elsewhere is added as it is.
    #[test]
    fn dark_lines_over_light_ones_join_them() {
        let b = |x, y, width, height, score| TextBox { x, y, width, height, score };
        let mut boxes = vec![b(216, 8, 56, 8, 0.7), b(0, 100, 64, 8, 0.9)];
        add_dark_lines(&mut boxes, vec![b(216, 8, 72, 16, 0.8), b(300, 200, 48, 8, 0.6)]);
        assert_eq!(boxes, vec![b(216, 8, 72, 16, 0.8), b(0, 100, 64, 8, 0.9), b(300, 200, 48, 8, 0.6)]);
    }

    /// A frame of random blocks (flat areas, edges, thin lines) with noise,
    /// so that both stroke and non-stroke pixels occur.
    fn random_frame(w: usize, h: usize, seed: u64) -> Vec<u8> {
        let mut rng = Xorshift((seed as u32) | 1);
        let block = 1 + (seed >> 32) as usize % 6;
        let levels: Vec<u8> = (0..64).map(|_| rng.next_u32() as u8).collect();
        (0..w * h).map(|i| levels[((i % w) / block + 7 * ((i / w) / block)) % 64].wrapping_add((rng.next_u32() % 9) as u8)).collect()
    }

    /// A flat frame with a few bright or dark dots, lines and blocks: most
    /// of its cells inactive.
    fn sparse_frame(w: usize, h: usize, seed: u64) -> Vec<u8> {
        let mut rng = Xorshift((seed as u32) | 1);
        let background = rng.next_u32() as u8;
        let mut gray = vec![background; w * h];
        for _ in 0..(seed >> 40) % 6 {
            let (x, y) = (rng.next_u32() as usize % w.max(1), rng.next_u32() as usize % h.max(1));
            let (dx, dy) = (1 + rng.next_u32() as usize % 12, 1 + rng.next_u32() as usize % 5);
            let v = rng.next_u32() as u8;
            for yy in y..(y + dy).min(h) {
                gray[yy * w + x..yy * w + (x + dx).min(w)].fill(v);
            }
        }
        gray
    }

    fn stroke_cells_of(gray: &[u8], w: usize, h: usize) -> Vec<CellStats> {
        let mut activity = Activity::default();
        activity.measure_gray(gray, w, h, &mut Ranges::default(), CONTRAST);
        stroke_cells(gray, w, h, &activity, &mut vec![7u8; 13])
    }

    proptest! {
        #[test]
        fn stroke_mask_equals_scalar(w in 0usize..70, h in 0usize..40, seed: u64) {
            let gray = random_frame(w, h, seed);
            let mut a = vec![9u8; w * h];
            let mut b = vec![7u8; w * h];
            stroke_mask(&gray, w, h, &mut a);
            stroke_mask_scalar(&gray, w, h, &mut b);
            prop_assert_eq!(a, b);
        }

        #[test]
        fn cell_stats_equal_scalar(w in 0usize..70, h in 0usize..40, seed: u64, random_mask: bool) {
            let gray = random_frame(w, h, seed);
            let mut mask = vec![0u8; w * h];
            if random_mask {
                let mut rng = Xorshift((seed >> 7) as u32 | 1);
                mask.iter_mut().for_each(|m| *m = (rng.next_u32() & 1) as u8);
            } else {
                stroke_mask(&gray, w, h, &mut mask);
            }
            prop_assert_eq!(cell_stats(&gray, &mask, w, h), cell_stats_scalar(&gray, &mask, w, h));
        }

        /// On frames of random blocks (most cells active) and on sparse
        /// frames (most cells skipped).
        #[test]
        fn stroke_cells_equal_scalar(w in 9usize..140, h in 0usize..90, seed: u64, sparse: bool) {
            let gray = if sparse { sparse_frame(w, h, seed) } else { random_frame(w, h, seed) };
            let mut mask = vec![0u8; w * h];
            stroke_mask_scalar(&gray, w, h, &mut mask);
            prop_assert_eq!(stroke_cells_of(&gray, w, h), cell_stats_scalar(&gray, &mask, w, h));
        }

        /// The activity of 16-bit words, where only cells with a peak stay
        /// active, never hides a stroke: the cells it lets the detector
        /// compute are those of the whole grey frame. Values spread over
        /// the stored range with noise below a grey level, and noise in
        /// the bits above High Bit.
        #[test]
        fn word_activity_keeps_every_stroke_cell(w in 9usize..140, h in 0usize..90, seed: u64, sparse: bool, bits in 9u16..=16, signed: bool, invert: bool) {
            let layout = Layout16::new(bits, bits - 1, signed).unwrap();
            let grey = if sparse { sparse_frame(w, h, seed) } else { random_frame(w, h, seed) };
            let scale = (1u32 << bits) / 256;
            let mut rng = Xorshift((seed >> 16) as u32 | 1);
            let bytes: Vec<u8> = grey
                .iter()
                .flat_map(|&g| {
                    let stored = (u32::from(g) * scale + rng.next_u32() % scale) ^ if signed { 1 << (bits - 1) } else { 0 };
                    let garbage = if bits < 16 && seed & 1 == 1 { (rng.next_u32() as u16) << bits } else { 0 };
                    ((stored as u16) | garbage).to_le_bytes()
                })
                .collect();
            // Words at an odd address too (not readable as i16 in place).
            let odd: Vec<u8> = std::iter::once(0).chain(bytes.iter().copied()).collect();
            let bytes = if seed & 2 == 2 { &odd[1..] } else { &bytes[..] };
            let mut activity = Activity::default();
            let Some((lo, hi, _)) = activity.measure_words(&NativeWords { bytes, layout, invert }, w, h, &mut Ranges::default(), CONTRAST) else {
                prop_assert_eq!(w * h, 0);
                return Ok(());
            };
            let mut full = vec![0u8; w * h];
            native16::to_gray8_scalar16(bytes, layout, lo, hi, &mut full);
            if invert {
                full.iter_mut().for_each(|v| *v = 255 - *v);
            }
            let mut mask = vec![0u8; w * h];
            stroke_mask_scalar(&full, w, h, &mut mask);
            prop_assert_eq!(stroke_cells(&full, w, h, &activity, &mut Vec::new()), cell_stats_scalar(&full, &mask, w, h));
        }

        #[test]
        fn words_are_scanned_as_their_grey_frame(w in 40usize..260, h in 8usize..120, seed: u64, bits in 9u16..=16, signed: bool, invert: bool) {
            let layout = Layout16::new(bits, bits - 1, signed).unwrap();
            // A sparse frame with a line of text, its grey levels spread
            // over the stored values' range.
            let mut grey: Vec<u8> = sparse_frame(w, h, seed).into_iter().map(|g| g / 2).collect();
            draw_text(&mut grey, w, h, (seed % 17) as usize, (seed % 13) as usize, "DOE^JANE 1970", 12, 240, Font::Thin5x7);
            let scale = (1u32 << bits) / 256;
            let bytes: Vec<u8> = grey.iter().flat_map(|&g| ((u32::from(g) * scale) as u16).to_le_bytes()).collect();
            let mut full = vec![0u8; w * h];
            if let Some((lo, hi)) = native16::min_max_scalar(&bytes, layout) {
                native16::to_gray8_scalar16(&bytes, layout, lo, hi, &mut full);
            }
            if invert {
                full.iter_mut().for_each(|v| *v = 255 - *v);
            }
            let mut buffers = Buffers::default();
            // Grey levels the scan does not map must not be read: the
            // buffer starts as noise.
            let mut scratch = random_frame(w, h, seed ^ 0x5555);
            let words = detect_text_words(&bytes, layout, invert, w, h, &mut scratch, &mut buffers);
            prop_assert_eq!(words, detect_text(&full, w, h));
        }

        /// The dark look takes the light look's activity grid: the boxes
        /// are those of two looks that each measure their own frame.
        #[test]
        fn the_dark_look_reuses_the_grid_to_the_same_boxes(w in 40usize..260, h in 8usize..120, seed: u64, dark: bool) {
            let mut grey: Vec<u8> = sparse_frame(w, h, seed).into_iter().map(|g| if dark { 255 - g / 2 } else { g / 2 }).collect();
            draw_text(&mut grey, w, h, (seed % 17) as usize, (seed % 13) as usize, "DOE^JANE 1970", 12, if dark { 20 } else { 240 }, Font::Thin5x7);
            let light = detect_text(&grey, w, h);
            let inverted: Vec<u8> = grey.iter().map(|&g| 255 - g).collect();
            let mut expected = light.clone();
            add_dark_lines(&mut expected, detect_text(&inverted, w, h));
            prop_assert_eq!(detect_light_and_dark_text(&grey, w, h, &mut Buffers::default()), expected);
        }

        #[test]
        fn any_size_and_buffer_is_safe(w in 0usize..300, h in 0usize..300, len in 0usize..5000, seed: u64) {
            let gray = random_frame(len, 1, seed);
            let boxes = detect_text(&gray, w, h);
            prop_assert!(boxes.is_empty() || w * h == len);
            for b in boxes {
                prop_assert!((b.x + b.width) as usize <= w && (b.y + b.height) as usize <= h);
            }
        }
    }

    #[test]
    fn flat_frames_noise_and_bad_sizes_have_no_text() {
        for v in [0u8, 255, 128] {
            assert!(detect_text(&vec![v; 128 * 128], 128, 128).is_empty());
        }
        for seed in 1..20u32 {
            let mut rng = Xorshift(seed);
            for (w, h) in [(256, 256), (512, 384)] {
                let uniform: Vec<u8> = (0..w * h).map(|_| rng.next_u32() as u8).collect();
                assert!(detect_text(&uniform, w, h).is_empty(), "uniform noise, seed {seed}");
                let gaussian: Vec<u8> = (0..w * h).map(|_| (100 + rng.noise(60)) as u8).collect();
                assert!(detect_text(&gaussian, w, h).is_empty(), "gaussian noise, seed {seed}");
            }
        }
        assert!(detect_text(&[], 0, 0).is_empty());
        assert!(detect_text(&[0; 64], 0, 64).is_empty());
        assert!(detect_text(&[1, 2, 3], 100, 100).is_empty(), "wrong length");
        assert!(detect_text(&[1, 2, 3], usize::MAX, 2).is_empty(), "size overflows");
        let mut out = [0u8; 4];
        stroke_mask(&[1, 2, 3], usize::MAX, 3, &mut out);
        stroke_mask_scalar(&[1, 2, 3], usize::MAX, 3, &mut out);
        assert!(cell_stats(&[1, 2, 3], &[1, 1, 1], usize::MAX, 3).is_empty() || out == [0; 4]);
    }

    #[test]
    fn a_drawn_word_is_found_in_16_bit_words() {
        let (w, h) = (256, 128);
        for (bits, signed, invert) in [(12, false, false), (16, true, false), (12, false, true)] {
            let layout = Layout16::new(bits, bits - 1, signed).unwrap();
            let mut values = vec![(100u16, 0u16); w * h];
            let mut grey = vec![0u8; w * h];
            draw_text(&mut grey, w, h, 10, 10, "DOE^JANE 1970", 12, 230, Font::Thin5x7);
            for (v, &g) in values.iter_mut().zip(&grey) {
                v.1 = if g > 0 { 3000 } else { v.0 + (v.0 % 7) };
            }
            let bytes: Vec<u8> = values.iter().flat_map(|v| v.1.to_le_bytes()).collect();
            let mut buffers = Buffers::default();
            let boxes = detect_text_words(&bytes, layout, invert, w, h, &mut Vec::new(), &mut buffers);
            assert_eq!(boxes.len(), usize::from(!invert), "{bits} {signed} {invert}: {boxes:?}");
            assert!(buffers.active_share() < 0.2, "{}", buffers.active_share());
        }
    }

    #[test]
    fn dark_words_are_found_and_light_ones_once() {
        let (w, h) = (256, 128);
        for font in [Font::Thin5x7, Font::Bold6x9] {
            // Dark on light: only the look at the inverted frame finds it.
            let mut paper = vec![230u8; w * h];
            draw_text(&mut paper, w, h, 10, 10, "DOE^JANE 1970", 12, 30, font);
            assert!(detect_text(&paper, w, h).is_empty(), "{font:?}");
            let boxes = detect_light_and_dark_text(&paper, w, h, &mut Buffers::default());
            assert_eq!(boxes.len(), 1, "{font:?} {boxes:?}");
            assert!(boxes[0].x <= 10 && boxes[0].y <= 10 && boxes[0].y + boxes[0].height >= 22, "{font:?} {boxes:?}");
            // Light on a dark label on a light image: one line, not its
            // background's second look too.
            let mut label = vec![200u8; w * h];
            for y in 4..30 {
                label[y * w + 4..][..150].iter_mut().for_each(|p| *p = 10);
            }
            draw_text(&mut label, w, h, 10, 10, "DOE^JANE 1970", 12, 240, font);
            let light = detect_text(&label, w, h);
            assert_eq!(light.len(), 1, "{font:?} {light:?}");
            assert_eq!(detect_light_and_dark_text(&label, w, h, &mut Buffers::default()), light, "{font:?}");
        }
        assert!(detect_light_and_dark_text(&[1, 2, 3], 100, 100, &mut Buffers::default()).is_empty(), "wrong length");
    }

    #[test]
    fn a_drawn_word_is_found() {
        let (w, h) = (256, 128);
        for font in [Font::Thin5x7, Font::Bold6x9] {
            let mut gray = vec![20u8; w * h];
            draw_text(&mut gray, w, h, 10, 10, "DOE^JANE 1970", 12, 230, font);
            let boxes = detect_text(&gray, w, h);
            assert_eq!(boxes.len(), 1, "{font:?} {boxes:?}");
            let b = boxes[0];
            let right = 10 + text_width("DOE^JANE 1970", 12, font) as u32;
            assert!(b.x <= 10 && b.y <= 10 && b.x + b.width + CELL as u32 >= right && b.y + b.height >= 22, "{font:?} {b:?}");
        }
    }
}
