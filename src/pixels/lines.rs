//! Steps 3 and 4 of the burned-in text detector ([`super::text`]): text
//! cells joined into lines (runs along a row of cells, word spaces bridged,
//! touching runs joined into boxes shaped like a line of text), and the
//! glyph check that keeps a line only when the shapes of its strokes'
//! brightness stand on one top and one bottom line, as letters do.

use super::activity::CELL;
use super::text::{CellStats, TextBox, CONTRAST};

/// Shortest text line, in cells (40 px): shorter runs on real CT and MR
/// images were anatomy far more often than text.
pub(super) const MIN_RUN: usize = 5;
/// Longest gap bridged within a text line, in cells (a word space at 16 px).
const MAX_GAP: usize = 2;
/// Glyph-like shapes a text line must have on one top and bottom line.
const MIN_GLYPHS: usize = 3;
/// Rows a glyph-like shape spans at least (text 8 px tall spans 8).
const MIN_GLYPH_HEIGHT: usize = 6;
/// Tallest text line, in cells (48 px).
const MAX_LINE_CELLS: usize = 6;

/// The text lines whose glyphs line up ([`has_aligned_glyphs`]).
pub(super) fn confirm(gray: &[u8], width: usize, cells: &[CellStats], mut boxes: Vec<TextBox>) -> Vec<TextBox> {
    let cw = width / CELL;
    boxes.retain(|b| {
        // The glyphs' intensity: the median of the dimmest stroke of the
        // box's text cells (a few cells may hold a crossing line instead).
        let (cx0, cy0) = (b.x as usize / CELL, b.y as usize / CELL);
        let rows = cells.chunks_exact(cw).skip(cy0).take(b.height as usize / CELL);
        let mut lows: Vec<u8> = rows.flat_map(|row| &row[cx0..cx0 + b.width as usize / CELL]).filter(|c| c.is_text()).map(|c| c.lo).collect();
        let half = lows.len() / 2;
        let lo = lows.select_nth_unstable(half).1;
        has_aligned_glyphs(gray, width, b, lo.saturating_sub(CONTRAST / 2))
    });
    boxes
}

/// The pixels [`confirm`] reads for box `b` of a `width × height` frame:
/// the box grown by its height (at least a cell) on every side, within
/// the frame, as (x, y, width, height).
pub(super) fn glyph_area(b: &TextBox, width: usize, height: usize) -> (usize, usize, usize, usize) {
    let grow = CELL.max(b.height as usize);
    let (x0, y0) = ((b.x as usize).saturating_sub(grow), (b.y as usize).saturating_sub(grow));
    let (x1, y1) = ((b.x + b.width) as usize + grow, (b.y + b.height) as usize + grow);
    (x0, y0, x1.min(width) - x0, y1.min(height) - y0)
}

/// Whether the strokes around `b` hold at least MIN_GLYPHS glyph-like
/// shapes, and a third of all such shapes, that share a top and a bottom
/// line, as the letters and digits of one line do. A shape is an
/// 8-connected component of the pixels at least as bright as `threshold`
/// (just below the strokes' intensity: whole glyphs, as they are drawn in
/// one value); it is glyph-like when it is at least MIN_GLYPH_HEIGHT rows
/// tall, at least a quarter as wide as tall (touching glyphs make wide
/// shapes, which are fine), and lies inside the box grown by its height
/// (at least a cell) on every side. A thin line (a rib, the table) is one
/// long flat shape; a bone edge runs out of the grown box or is too
/// narrow; speckle and vessels start and end at random heights. Time and
/// memory: the grown box's area (boxes are disjoint and at least twice as
/// wide as tall, so all boxes together stay within a multiple of the frame).
fn has_aligned_glyphs(gray: &[u8], width: usize, b: &TextBox, threshold: u8) -> bool {
    let height = gray.len() / width.max(1);
    let (x0, y0, w, h) = glyph_area(b, width, height);
    // Tops and bottoms match within `slack` rows (thick strokes of large
    // text end less exactly).
    let slack = 1 + b.height as usize / 16;
    // The pixels at the threshold or above, in a grid with a border of
    // none, so that every pixel's eight neighbours are at fixed offsets.
    let stride = w + 2;
    let mut unvisited = vec![false; stride * (h + 2)];
    for y in 0..h {
        let row = &mut unvisited[(y + 1) * stride + 1..][..w];
        row.iter_mut().zip(&gray[(y0 + y) * width + x0..][..w]).for_each(|(u, &g)| *u = g >= threshold);
    }
    // Each neighbour's (offset in the grid, dx, dy).
    let s = stride as isize;
    let neighbours: [(isize, isize, isize); 8] = [(-s - 1, -1, -1), (-s, 0, -1), (-s + 1, 1, -1), (-1, -1, 0), (1, 1, 0), (s - 1, -1, 1), (s, 0, 1), (s + 1, 1, 1)];
    // (top, bottom) counts, relative to y0.
    let mut shapes = vec![0u16; h * h];
    let mut glyphs = 0usize;
    // Pixels to visit: their index in the grid and (x, y) in the area.
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    for start in 0..unvisited.len() {
        if !unvisited[start] {
            continue;
        }
        unvisited[start] = false;
        stack.push((start, start % stride - 1, start / stride - 1));
        let (mut left, mut top, mut right, mut bottom) = (w, h, 0, 0);
        while let Some((i, x, y)) = stack.pop() {
            (left, top, right, bottom) = (left.min(x), top.min(y), right.max(x), bottom.max(y));
            // A set pixel is never on the border, so its neighbours are
            // all in the grid.
            for (d, dx, dy) in neighbours {
                let j = i.wrapping_add_signed(d);
                if unvisited[j] {
                    unvisited[j] = false;
                    stack.push((j, x.wrapping_add_signed(dx), y.wrapping_add_signed(dy)));
                }
            }
        }
        let (shape_w, shape_h) = (right + 1 - left, bottom + 1 - top);
        let inside = left > 0 && top > 0 && right + 1 < w && bottom + 1 < h;
        if inside && shape_h >= MIN_GLYPH_HEIGHT && 4 * shape_w >= shape_h {
            shapes[top * h + bottom] += 1;
            glyphs += 1;
        }
    }
    let near = |a: usize| a.saturating_sub(slack)..=(a + slack).min(h - 1);
    let mut best = 0u16;
    for (i, &n) in shapes.iter().enumerate() {
        if n > 0 {
            let count: u16 = near(i / h).flat_map(|t| near(i % h).map(move |b| (t, b))).map(|(t, b)| shapes[t * h + b]).sum();
            best = best.max(count);
        }
    }
    usize::from(best) >= MIN_GLYPHS && 3 * usize::from(best) >= glyphs
}

/// Marks the cells of text runs: runs of text cells along a row of cells
/// (gaps of up to MAX_GAP cells, such as word spaces, bridged), at least
/// MIN_RUN cells long and two-thirds text.
fn text_runs(text: &[bool], cw: usize) -> Vec<bool> {
    let mut line = vec![false; text.len()];
    for (row, marks) in text.chunks_exact(cw).zip(line.chunks_exact_mut(cw)) {
        let mut cx = 0;
        while cx < cw {
            if !row[cx] {
                cx += 1;
                continue;
            }
            let (first, mut last, mut count) = (cx, cx, 1);
            let mut next = cx + 1;
            while next < cw && row[next..(next + 1 + MAX_GAP).min(cw)].contains(&true) {
                if row[next] {
                    last = next;
                    count += 1;
                }
                next += 1;
            }
            let len = last + 1 - first;
            if len >= MIN_RUN && count * 3 >= len * 2 {
                marks[first..=last].iter_mut().for_each(|m| *m = true);
            }
            cx = next;
        }
    }
    line
}

/// The text lines of a frame's cells (`cw × ch` of them, row by row):
/// [`text_runs`] of its text cells joined into boxes ([`join_runs`]).
pub(super) fn text_lines(cells: &[CellStats], cw: usize, ch: usize) -> Vec<TextBox> {
    let text: Vec<bool> = cells.iter().map(|c| c.is_text()).collect();
    join_runs(&text_runs(&text, cw), &text, cw, ch)
}

/// Joins touching run cells (8-connected) into boxes by flood fill, which
/// visits each cell once, and keeps those shaped like text lines: at least
/// twice as wide as tall and at most MAX_LINE_CELLS high.
fn join_runs(line: &[bool], text: &[bool], cw: usize, ch: usize) -> Vec<TextBox> {
    let mut unvisited = line.to_vec();
    let mut stack = Vec::new();
    let mut boxes = Vec::new();
    for start in 0..unvisited.len() {
        if !unvisited[start] {
            continue;
        }
        unvisited[start] = false;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1, mut count) = (cw, ch, 0, 0, 0usize);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % cw, i / cw);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            count += usize::from(text[i]);
            for ny in y.saturating_sub(1)..=(y + 1).min(ch - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(cw - 1) {
                    let j = ny * cw + nx;
                    if unvisited[j] {
                        unvisited[j] = false;
                        stack.push(j);
                    }
                }
            }
        }
        let (w, h) = (x1 + 1 - x0, y1 + 1 - y0);
        // Text lines are wider than tall; a block of many rows is texture.
        if w >= 2 * h && h <= MAX_LINE_CELLS {
            boxes.push(TextBox {
                x: (x0 * CELL) as u32,
                y: (y0 * CELL) as u32,
                width: (w * CELL) as u32,
                height: (h * CELL) as u32,
                score: count as f32 / (w * h) as f32,
            });
        }
    }
    boxes
}
