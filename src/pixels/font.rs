//! Two small bitmap fonts and text-free test images, for measuring the
//! burned-in text detector on text the project draws itself
//! (tests/burned_in_text.rs).
//!
//! [`Font::Thin5x7`] has one-pixel strokes in a 5×7 box; [`Font::Bold6x9`]
//! has two-pixel vertical strokes in a 6×9 box. A glyph is one integer per
//! row, the leftmost column in the highest used bit. [`draw_text`] scales
//! glyphs by nearest neighbour to any pixel height (8–40 px in the tests)
//! with one source column of spacing. [`test_image`] draws CT-, MR-,
//! ultrasound- and X-ray-like frames at their usual bit depths from a
//! seeded xorshift, so every run measures the same pixels.

/// The fonts [`draw_text`] can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// 5×7, one-pixel strokes (the classic terminal look of scanner annotations).
    Thin5x7,
    /// 6×9, two-pixel vertical strokes (bolder, taller overlay text).
    Bold6x9,
}

pub const FONTS: [Font; 2] = [Font::Thin5x7, Font::Bold6x9];

/// 5×7 glyphs (bit 4 leftmost): uppercase letters, digits and `^ / : . - ,`.
/// Any other character, space included, is blank.
static THIN: [(char, [u8; 7]); 42] = [
    ('A', [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11]),
    ('B', [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E]),
    ('C', [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E]),
    ('D', [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C]),
    ('E', [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F]),
    ('F', [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10]),
    ('G', [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F]),
    ('H', [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11]),
    ('I', [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E]),
    ('J', [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C]),
    ('K', [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11]),
    ('L', [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F]),
    ('M', [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11]),
    ('N', [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11]),
    ('O', [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E]),
    ('P', [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10]),
    ('Q', [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D]),
    ('R', [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11]),
    ('S', [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E]),
    ('T', [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04]),
    ('U', [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E]),
    ('V', [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04]),
    ('W', [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A]),
    ('X', [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11]),
    ('Y', [0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04]),
    ('Z', [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F]),
    ('0', [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E]),
    ('1', [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E]),
    ('2', [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F]),
    ('3', [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E]),
    ('4', [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02]),
    ('5', [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E]),
    ('6', [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E]),
    ('7', [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08]),
    ('8', [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E]),
    ('9', [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C]),
    ('^', [0x04, 0x0A, 0x11, 0x00, 0x00, 0x00, 0x00]),
    ('/', [0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10]),
    (':', [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00]),
    ('.', [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C]),
    ('-', [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00]),
    (',', [0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08]),
];

/// 6×9 glyphs (bit 5 leftmost), same characters as [`THIN`].
static BOLD: [(char, [u8; 9]); 42] = [
    ('A', [0b001100, 0b011110, 0b110011, 0b110011, 0b110011, 0b111111, 0b110011, 0b110011, 0b110011]),
    ('B', [0b111110, 0b110011, 0b110011, 0b110011, 0b111110, 0b110011, 0b110011, 0b110011, 0b111110]),
    ('C', [0b011110, 0b110011, 0b110000, 0b110000, 0b110000, 0b110000, 0b110000, 0b110011, 0b011110]),
    ('D', [0b111100, 0b110110, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b110110, 0b111100]),
    ('E', [0b111111, 0b110000, 0b110000, 0b110000, 0b111110, 0b110000, 0b110000, 0b110000, 0b111111]),
    ('F', [0b111111, 0b110000, 0b110000, 0b110000, 0b111110, 0b110000, 0b110000, 0b110000, 0b110000]),
    ('G', [0b011110, 0b110011, 0b110000, 0b110000, 0b110111, 0b110011, 0b110011, 0b110011, 0b011111]),
    ('H', [0b110011, 0b110011, 0b110011, 0b110011, 0b111111, 0b110011, 0b110011, 0b110011, 0b110011]),
    ('I', [0b011110, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100, 0b011110]),
    ('J', [0b001111, 0b000011, 0b000011, 0b000011, 0b000011, 0b000011, 0b110011, 0b110011, 0b011110]),
    ('K', [0b110011, 0b110011, 0b110110, 0b111100, 0b111000, 0b111100, 0b110110, 0b110011, 0b110011]),
    ('L', [0b110000, 0b110000, 0b110000, 0b110000, 0b110000, 0b110000, 0b110000, 0b110000, 0b111111]),
    ('M', [0b100001, 0b110011, 0b111111, 0b111111, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011]),
    ('N', [0b110011, 0b111011, 0b111011, 0b111111, 0b110111, 0b110111, 0b110011, 0b110011, 0b110011]),
    ('O', [0b011110, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b011110]),
    ('P', [0b111110, 0b110011, 0b110011, 0b110011, 0b111110, 0b110000, 0b110000, 0b110000, 0b110000]),
    ('Q', [0b011110, 0b110011, 0b110011, 0b110011, 0b110011, 0b110111, 0b110011, 0b011111, 0b000011]),
    ('R', [0b111110, 0b110011, 0b110011, 0b110011, 0b111110, 0b111100, 0b110110, 0b110011, 0b110011]),
    ('S', [0b011110, 0b110011, 0b110000, 0b110000, 0b011110, 0b000011, 0b000011, 0b110011, 0b011110]),
    ('T', [0b111111, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100]),
    ('U', [0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b011110]),
    ('V', [0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b011110, 0b011110, 0b001100]),
    ('W', [0b110011, 0b110011, 0b110011, 0b110011, 0b110011, 0b111111, 0b111111, 0b110011, 0b100001]),
    ('X', [0b110011, 0b110011, 0b011110, 0b011110, 0b001100, 0b011110, 0b011110, 0b110011, 0b110011]),
    ('Y', [0b110011, 0b110011, 0b110011, 0b011110, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100]),
    ('Z', [0b111111, 0b000011, 0b000011, 0b000110, 0b001100, 0b011000, 0b110000, 0b110000, 0b111111]),
    ('0', [0b011110, 0b110011, 0b110011, 0b110111, 0b111111, 0b111011, 0b110011, 0b110011, 0b011110]),
    ('1', [0b001100, 0b011100, 0b111100, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100, 0b111111]),
    ('2', [0b011110, 0b110011, 0b000011, 0b000011, 0b000110, 0b001100, 0b011000, 0b110000, 0b111111]),
    ('3', [0b011110, 0b110011, 0b000011, 0b000011, 0b001110, 0b000011, 0b000011, 0b110011, 0b011110]),
    ('4', [0b000110, 0b001110, 0b011110, 0b110110, 0b110110, 0b111111, 0b000110, 0b000110, 0b000110]),
    ('5', [0b111111, 0b110000, 0b110000, 0b111110, 0b000011, 0b000011, 0b000011, 0b110011, 0b011110]),
    ('6', [0b011110, 0b110000, 0b110000, 0b111110, 0b110011, 0b110011, 0b110011, 0b110011, 0b011110]),
    ('7', [0b111111, 0b000011, 0b000011, 0b000110, 0b001100, 0b001100, 0b001100, 0b001100, 0b001100]),
    ('8', [0b011110, 0b110011, 0b110011, 0b110011, 0b011110, 0b110011, 0b110011, 0b110011, 0b011110]),
    ('9', [0b011110, 0b110011, 0b110011, 0b110011, 0b011111, 0b000011, 0b000011, 0b000011, 0b011110]),
    ('^', [0b001100, 0b011110, 0b110011, 0b000000, 0b000000, 0b000000, 0b000000, 0b000000, 0b000000]),
    ('/', [0b000011, 0b000011, 0b000110, 0b000110, 0b001100, 0b011000, 0b011000, 0b110000, 0b110000]),
    (':', [0b000000, 0b000000, 0b001100, 0b001100, 0b000000, 0b000000, 0b001100, 0b001100, 0b000000]),
    ('.', [0b000000, 0b000000, 0b000000, 0b000000, 0b000000, 0b000000, 0b000000, 0b001100, 0b001100]),
    ('-', [0b000000, 0b000000, 0b000000, 0b000000, 0b111111, 0b000000, 0b000000, 0b000000, 0b000000]),
    (',', [0b000000, 0b000000, 0b000000, 0b000000, 0b000000, 0b000000, 0b001100, 0b001100, 0b011000]),
];

impl Font {
    /// Glyph box in source pixels: (columns, rows).
    pub const fn cell(self) -> (usize, usize) {
        match self {
            Font::Thin5x7 => (5, 7),
            Font::Bold6x9 => (6, 9),
        }
    }

    /// The rows of `c`'s glyph; empty for a blank.
    fn glyph(self, c: char) -> &'static [u8] {
        let c = c.to_ascii_uppercase();
        match self {
            Font::Thin5x7 => THIN.iter().find(|(g, _)| *g == c).map_or(&[][..], |(_, rows)| &rows[..]),
            Font::Bold6x9 => BOLD.iter().find(|(g, _)| *g == c).map_or(&[][..], |(_, rows)| &rows[..]),
        }
    }
}

/// Left edge of glyph `n` relative to the text's, for glyphs `height` px tall.
fn glyph_x(n: usize, font: Font, height: usize) -> usize {
    let (cols, rows) = font.cell();
    (2 * n * (cols + 1) * height + rows) / (2 * rows)
}

/// Width in pixels of `text` drawn `height` pixels tall in `font`.
pub fn text_width(text: &str, height: usize, font: Font) -> usize {
    let n = text.chars().count();
    if n == 0 {
        return 0;
    }
    let (cols, rows) = font.cell();
    glyph_x(n - 1, font, height) + (cols * height).div_ceil(rows)
}

/// Draws `text` into an 8-bit frame with its top-left corner at (x, y),
/// `height` pixels tall, in `value`. Pixels outside the frame are skipped.
#[allow(clippy::too_many_arguments)]
pub fn draw_text(frame: &mut [u8], width: usize, frame_height: usize, x: usize, y: usize, text: &str, height: usize, value: u8, font: Font) {
    draw(width, frame_height, x, y, text, height, font, |i| {
        if let Some(p) = frame.get_mut(i) {
            *p = value;
        }
    });
}

/// [`draw_text`] for 16-bit frames.
#[allow(clippy::too_many_arguments)]
pub fn draw_text16(frame: &mut [u16], width: usize, frame_height: usize, x: usize, y: usize, text: &str, height: usize, value: u16, font: Font) {
    draw(width, frame_height, x, y, text, height, font, |i| {
        if let Some(p) = frame.get_mut(i) {
            *p = value;
        }
    });
}

/// Nearest-neighbour scaling: output pixel `p` of `out` samples source pixel
/// `floor((p + ½) · src / out)`.
fn source(p: usize, src: usize, out: usize) -> usize {
    ((2 * p + 1) * src / (2 * out)).min(src - 1)
}

#[allow(clippy::too_many_arguments)]
fn draw(width: usize, frame_height: usize, x: usize, y: usize, text: &str, height: usize, font: Font, mut put: impl FnMut(usize)) {
    let (cols, rows) = font.cell();
    let glyph_width = (cols * height).div_ceil(rows);
    if height == 0 {
        return;
    }
    for (n, c) in text.chars().enumerate() {
        let glyph = font.glyph(c);
        if glyph.is_empty() {
            continue;
        }
        let gx = x + glyph_x(n, font, height);
        for py in 0..height {
            let bits = glyph[source(py, rows, height)];
            for px in 0..glyph_width {
                let on = bits >> (cols - 1 - source(px, cols, glyph_width)) & 1 == 1;
                let (fx, fy) = (gx + px, y + py);
                if on && fx < width && fy < frame_height {
                    put(fy * width + fx);
                }
            }
        }
    }
}

/// Fills a rectangle of a 16-bit frame with `value` plus noise of amplitude
/// `noise` (a label backing, or a patch of tissue under the text).
#[allow(clippy::too_many_arguments)]
pub fn fill_rect16(frame: &mut [u16], width: usize, frame_height: usize, x: usize, y: usize, w: usize, h: usize, value: u16, noise: i32, seed: u32) {
    let mut rng = Xorshift(seed.max(1));
    for fy in y..(y + h).min(frame_height) {
        for fx in x..(x + w).min(width) {
            if let Some(p) = frame.get_mut(fy * width + fx) {
                *p = (i32::from(value) + rng.noise(noise)).clamp(0, i32::from(u16::MAX)) as u16;
            }
        }
    }
}

/// A small deterministic PRNG (xorshift32) for the test images.
pub struct Xorshift(pub u32);

impl Xorshift {
    pub fn next_u32(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    /// Roughly normal noise in [-amp, amp] (sum of four uniforms).
    pub fn noise(&mut self, amp: i32) -> i32 {
        let s: i32 = (0..4).map(|_| (self.next_u32() % 1000) as i32).sum();
        (s - 2000) * amp / 2000
    }
}

/// Kinds of text-free test images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// CT-like: elliptic body, lungs, bright spine, noise (12 bits stored).
    Ct,
    /// MR-like: smooth gradients and noise (16 bits stored).
    Mr,
    /// Ultrasound-like: a speckled sector on black (8 bits).
    Ultrasound,
    /// X-ray-like: smooth soft tissue with bright bones (14 bits stored).
    Xray,
}

pub const IMAGE_KINDS: [ImageKind; 4] = [ImageKind::Ct, ImageKind::Mr, ImageKind::Ultrasound, ImageKind::Xray];

impl ImageKind {
    /// Largest stored value (2^bits − 1).
    pub const fn max_value(self) -> u16 {
        match self {
            ImageKind::Ct => 4095,
            ImageKind::Mr => 65535,
            ImageKind::Ultrasound => 255,
            ImageKind::Xray => 16383,
        }
    }
}

/// A text-free test image of `width`×`height` stored values, and its largest
/// possible value. Besides the smooth regions each kind has the thin bright
/// structures a text detector must not take for text: ribs, lung vessels
/// and the table (CT); the scalp, vessels and sulci (MR); specular
/// boundaries in correlated speckle (ultrasound); bone cortex and ribs (X-ray).
pub fn test_image(kind: ImageKind, width: usize, height: usize, seed: u32) -> (Vec<u16>, u16) {
    let mut rng = Xorshift(seed.max(1));
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let max = kind.max_value();
    let mut px = vec![0u16; width * height];
    let speckle = if kind == ImageKind::Ultrasound { speckle_field(width, height, &mut rng) } else { Vec::new() };
    for y in 0..height {
        for x in 0..width {
            let (dx, dy) = ((x as f32 - cx) / cx, (y as f32 - cy) / cy);
            let v: i32 = match kind {
                ImageKind::Ct => {
                    let body = (dx / 0.85).powi(2) + (dy / 0.65).powi(2) < 1.0;
                    let lung = |ox: f32| ((dx - ox) / 0.28).powi(2) + ((dy + 0.05) / 0.4).powi(2) < 1.0;
                    let spine = dx.powi(2) + (dy - 0.45).powi(2) < 0.012;
                    let hu = if spine { 700 } else if body && (lung(-0.38) || lung(0.38)) { -800 } else if body { 40 } else { -1000 };
                    hu + 1024 + rng.noise(if body { 30 } else { 5 })
                }
                ImageKind::Mr => {
                    let r = (dx * dx + dy * dy).sqrt();
                    let head = r < 0.8;
                    let base = if head { 1400 + (600.0 * (1.0 - r) * (3.0 * dx).cos()) as i32 } else { 30 };
                    16 * (base + rng.noise(if head { 80 } else { 20 }))
                }
                ImageKind::Ultrasound => {
                    let angle = dx.atan2(dy + 1.0);
                    let depth = (dx * dx + (dy + 1.0) * (dy + 1.0)).sqrt();
                    if angle.abs() < 0.6 && (0.3..1.8).contains(&depth) {
                        let s = i32::from(speckle[y * width + x]);
                        (s * s / 300).min(200) + 10
                    } else {
                        0
                    }
                }
                ImageKind::Xray => {
                    let soft = 5000.0 + 3000.0 * (1.0 - dx.abs());
                    // Two long bones, brighter at their cortex than inside.
                    let bone = |centre: f32, half: f32| {
                        let d = (dx - centre).abs();
                        (d < half && dy.abs() < 0.8).then_some(if d > half * 0.7 { 13000.0 } else { 10500.0 })
                    };
                    bone(0.1, 0.08).or_else(|| bone(-0.3, 0.06)).unwrap_or(soft) as i32 + rng.noise(150)
                }
            };
            px[y * width + x] = v.clamp(0, i32::from(max)) as u16;
        }
    }
    let mut image = Canvas { px: &mut px, width, height, max };
    image.add_structures(kind, &mut rng);
    (px, max)
}

/// Ultrasound speckle: uniform noise blurred 3×2, so grains are a few
/// pixels across as in real scans (0..200).
fn speckle_field(width: usize, height: usize, rng: &mut Xorshift) -> Vec<u16> {
    let raw: Vec<u16> = (0..width * height).map(|_| (rng.next_u32() % 200) as u16).collect();
    let mut out = vec![0u16; width * height];
    for y in 0..height {
        for x in 0..width {
            let (mut sum, mut n) = (0u32, 0u32);
            for sy in y..(y + 2).min(height) {
                for sx in x.saturating_sub(1)..(x + 2).min(width) {
                    sum += u32::from(raw[sy * width + sx]);
                    n += 1;
                }
            }
            // Stretch back towards the full range the blur narrowed.
            let mean = sum / n.max(1);
            out[y * width + x] = (i64::from(mean) * 2 - 100).clamp(0, 199) as u16;
        }
    }
    out
}

/// A frame being drawn on, in the kind's stored values.
struct Canvas<'a> {
    px: &'a mut [u16],
    width: usize,
    height: usize,
    max: u16,
}

impl Canvas<'_> {
    /// Maps (-1..1, -1..1) to pixels.
    fn to_px(&self, dx: f32, dy: f32) -> (f32, f32) {
        ((dx + 1.0) * self.width as f32 / 2.0, (dy + 1.0) * self.height as f32 / 2.0)
    }

    /// A line `thick` pixels wide from a to b (normalised coordinates), in `value` ± noise.
    fn line(&mut self, a: (f32, f32), b: (f32, f32), thick: usize, value: i32, rng: &mut Xorshift) {
        let ((x0, y0), (x1, y1)) = (self.to_px(a.0, a.1), self.to_px(b.0, b.1));
        let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().max(1.0) as usize;
        for s in 0..=steps {
            let t = s as f32 / steps as f32;
            let (x, y) = ((x0 + t * (x1 - x0)) as isize, (y0 + t * (y1 - y0)) as isize);
            for oy in 0..thick as isize {
                for ox in 0..thick as isize {
                    let (px, py) = (x + ox, y + oy);
                    if px >= 0 && py >= 0 && (px as usize) < self.width && (py as usize) < self.height {
                        let v = (value + rng.noise(value / 40)).clamp(0, i32::from(self.max));
                        self.px[py as usize * self.width + px as usize] = v as u16;
                    }
                }
            }
        }
    }

    /// An elliptic arc (centre, radii, angles in radians) drawn as short lines.
    #[allow(clippy::too_many_arguments)]
    fn arc(&mut self, centre: (f32, f32), radii: (f32, f32), from: f32, to: f32, thick: usize, value: i32, rng: &mut Xorshift) {
        let at = |a: f32| (centre.0 + radii.0 * a.cos(), centre.1 + radii.1 * a.sin());
        let n = 48;
        for i in 0..n {
            let (a, b) = (from + (to - from) * i as f32 / n as f32, from + (to - from) * (i + 1) as f32 / n as f32);
            self.line(at(a), at(b), thick, value, rng);
        }
    }

    fn uniform(rng: &mut Xorshift, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * (rng.next_u32() % 10_000) as f32 / 10_000.0
    }

    fn add_structures(&mut self, kind: ImageKind, rng: &mut Xorshift) {
        let small = if self.width.min(self.height) < 400 { 1 } else { 2 };
        let u = Self::uniform;
        match kind {
            ImageKind::Ct => {
                // Ribs along the body wall, the table below, vessels in the lungs.
                for i in 0..14 {
                    let a = std::f32::consts::PI * (0.1 + 0.8 * i as f32 / 13.0) + std::f32::consts::PI;
                    let a = if i % 2 == 0 { a } else { a - std::f32::consts::PI };
                    let (x, y) = (0.78 * a.cos(), 0.58 * a.sin());
                    self.arc((x, y), (0.03, 0.02), 0.0, 6.3, 2 * small, 1024 + 900, rng);
                }
                self.arc((0.0, 2.2), (1.2, 1.45), -2.3, -0.85, 2 * small, 1024 + 200, rng);
                for _ in 0..60 {
                    let side = if rng.next_u32() % 2 == 0 { -0.38 } else { 0.38 };
                    let (x, y) = (side + u(rng, -0.2, 0.2), -0.05 + u(rng, -0.3, 0.3));
                    let (ex, ey) = (x + u(rng, -0.06, 0.06), y + u(rng, -0.06, 0.06));
                    self.line((x, y), (ex, ey), small, 1024 + u(rng, -100.0, 80.0) as i32, rng);
                }
            }
            ImageKind::Mr => {
                // Scalp, sulci (dark), vessels (bright).
                self.arc((0.0, 0.0), (0.8, 0.8), 0.0, 6.3, 2 * small, 16 * 2600, rng);
                for _ in 0..30 {
                    let (r, a) = (u(rng, 0.2, 0.7), u(rng, 0.0, std::f32::consts::TAU));
                    let len = u(rng, 0.2, 0.6);
                    self.arc((0.0, 0.0), (r, r), a, a + len, small, 16 * 700, rng);
                }
                for _ in 0..25 {
                    let (x, y) = (u(rng, -0.5, 0.5), u(rng, -0.5, 0.5));
                    self.line((x, y), (x + u(rng, -0.08, 0.08), y + u(rng, -0.08, 0.08)), small, 16 * 2400, rng);
                }
            }
            ImageKind::Ultrasound => {
                // Specular boundaries: bright arcs at constant depth, and a vessel wall.
                for _ in 0..5 {
                    let depth = u(rng, 0.5, 1.6);
                    let a = u(rng, -0.5, 0.3);
                    self.arc((0.0, -1.0), (depth, depth), std::f32::consts::FRAC_PI_2 - a - 0.25, std::f32::consts::FRAC_PI_2 - a, small, 235, rng);
                }
                let (x, y) = (u(rng, -0.2, 0.2), u(rng, 0.0, 0.4));
                self.arc((x, y), (0.12, 0.06), 0.0, 6.3, small, 220, rng);
            }
            ImageKind::Xray => {
                // Ribs: thin bright arcs across the chest.
                for i in 0..8 {
                    let y = -0.7 + 0.18 * i as f32;
                    self.arc((0.0, y + 0.4), (0.7, 0.4), 3.5, 5.9, 2 * small, 11000, rng);
                }
            }
        }
    }
}

/// Maps stored values over their full range to 8-bit, as the caller of the detector does.
pub fn to_gray8(values: &[u16]) -> Vec<u8> {
    let lo = values.iter().copied().min().unwrap_or(0);
    let hi = values.iter().copied().max().unwrap_or(0).max(lo.saturating_add(1));
    let span = f32::from(hi - lo);
    values.iter().map(|&v| ((f32::from(v - lo) * 255.0 / span) + 0.5) as u8).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_has_a_glyph_in_both_fonts() {
        for font in FONTS {
            for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789^/:.-,".chars() {
                assert!(!font.glyph(c).is_empty(), "{font:?} {c}");
            }
            assert!(font.glyph(' ').is_empty());
        }
    }

    #[test]
    fn text_is_drawn_at_its_height_and_width() {
        for font in FONTS {
            for height in [8, 10, 16, 24, 40] {
                let (w, h) = (400, 60);
                let mut frame = vec![0u8; w * h];
                draw_text(&mut frame, w, h, 3, 5, "HELLO 12", height, 200, font);
                let on: Vec<(usize, usize)> = (0..w * h).filter(|&i| frame[i] != 0).map(|i| (i % w, i / w)).collect();
                let (x0, x1) = (on.iter().map(|p| p.0).min().unwrap(), on.iter().map(|p| p.0).max().unwrap());
                let (y0, y1) = (on.iter().map(|p| p.1).min().unwrap(), on.iter().map(|p| p.1).max().unwrap());
                assert_eq!((x0, y0, y1 + 1 - y0), (3, 5, height), "{font:?} {height}");
                assert!(x1 < 3 + text_width("HELLO 12", height, font), "{font:?} {height}");
            }
        }
        // Off the frame, or into a short buffer: skipped, no panic.
        draw_text(&mut [0u8; 10], 100, 100, 90, 95, "ABC", 40, 1, Font::Bold6x9);
    }
}
