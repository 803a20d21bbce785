//! A small bitmap font and test images, for measuring the burned-in text
//! detector on text the project draws itself (tests/burned_in_text.rs).
//!
//! Glyphs are 5×7 bitmaps (one `u8` per row, bit 4 leftmost), drawn scaled
//! by nearest neighbour to any pixel height; the bold style widens each
//! stroke by one source pixel.

/// 5×7 glyphs: uppercase letters, digits and `^ / : . - ,` (space is blank).
const GLYPHS: [(char, [u8; 7]); 43] = [
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
    (' ', [0x00; 7]),
];

fn glyph(c: char) -> [u8; 7] {
    GLYPHS.iter().find(|(g, _)| *g == c.to_ascii_uppercase()).map_or([0; 7], |(_, rows)| *rows)
}

/// Width in pixels of `text` drawn `height` pixels tall.
pub fn text_width(text: &str, height: usize) -> usize {
    let scale = height as f32 / 7.0;
    (text.chars().count() as f32 * 6.0 * scale).ceil() as usize
}

/// Draws `text` with its top-left corner at (x, y), `height` pixels tall, in
/// `value`; `style` 0 is regular, 1 bold. Pixels outside the frame are skipped.
#[allow(clippy::too_many_arguments)]
pub fn draw_text(frame: &mut [u8], width: usize, height_px: usize, x: usize, y: usize, text: &str, height: usize, value: u8, style: u8) {
    draw(width, height_px, x, y, text, height, style, |i| frame[i] = value);
}

/// [`draw_text`] for 16-bit frames.
#[allow(clippy::too_many_arguments)]
pub fn draw_text16(frame: &mut [u16], width: usize, height_px: usize, x: usize, y: usize, text: &str, height: usize, value: u16, style: u8) {
    draw(width, height_px, x, y, text, height, style, |i| frame[i] = value);
}

#[allow(clippy::too_many_arguments)]
fn draw(width: usize, frame_height: usize, x: usize, y: usize, text: &str, height: usize, style: u8, mut put: impl FnMut(usize)) {
    let scale = height as f32 / 7.0;
    let advance = 6.0 * scale;
    for (n, c) in text.chars().enumerate() {
        let rows = glyph(c);
        let gx = x as f32 + n as f32 * advance;
        let (w, h) = ((5.0 * scale).ceil() as usize, height);
        for py in 0..h {
            let sy = ((py as f32 / scale) as usize).min(6);
            for px in 0..w {
                let sx = ((px as f32 / scale) as usize).min(4);
                let bit = |col: usize| rows[sy] >> (4 - col) & 1 == 1;
                let on = bit(sx) || (style == 1 && sx > 0 && bit(sx - 1));
                let (fx, fy) = (gx as usize + px, y + py);
                if on && fx < width && fy < frame_height {
                    put(fy * width + fx);
                }
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

    /// Roughly normal noise in [-amp, amp] (sum of uniforms).
    pub fn noise(&mut self, amp: i32) -> i32 {
        let s: i32 = (0..4).map(|_| (self.next_u32() % 1000) as i32).sum();
        (s - 2000) * amp / 2000
    }
}

/// Kinds of text-free test images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// CT-like: elliptic body, lungs, bright spine, noise (12-bit).
    Ct,
    /// MR-like: smooth gradients and noise (12-bit).
    Mr,
    /// Ultrasound-like: a speckled sector on black (8-bit).
    Ultrasound,
    /// X-ray-like: smooth soft tissue with bright bones (14-bit).
    Xray,
}

pub const IMAGE_KINDS: [ImageKind; 4] = [ImageKind::Ct, ImageKind::Mr, ImageKind::Ultrasound, ImageKind::Xray];

/// A text-free test image of `size`×`size` stored values, and its maximum value.
pub fn test_image(kind: ImageKind, size: usize, seed: u32) -> (Vec<u16>, u16) {
    let mut rng = Xorshift(seed.max(1));
    let c = size as f32 / 2.0;
    let mut px = vec![0u16; size * size];
    let max = match kind {
        ImageKind::Ct | ImageKind::Mr => 4095,
        ImageKind::Ultrasound => 255,
        ImageKind::Xray => 16383,
    };
    for y in 0..size {
        for x in 0..size {
            let (dx, dy) = ((x as f32 - c) / c, (y as f32 - c) / c);
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
                    base + rng.noise(if head { 80 } else { 20 })
                }
                ImageKind::Ultrasound => {
                    let angle = dx.atan2(dy + 1.0);
                    let depth = (dx * dx + (dy + 1.0) * (dy + 1.0)).sqrt();
                    if angle.abs() < 0.6 && (0.3..1.8).contains(&depth) {
                        let speckle = (rng.next_u32() % 200) as i32;
                        (speckle * speckle / 300).min(230) + 10
                    } else {
                        0
                    }
                }
                ImageKind::Xray => {
                    let soft = 5000.0 + 3000.0 * (1.0 - dx.abs());
                    let bone = ((dx - 0.1).abs() < 0.08 || (dx + 0.3).abs() < 0.06) && dy.abs() < 0.8;
                    (if bone { 12000.0 } else { soft }) as i32 + rng.noise(150)
                }
            };
            px[y * size + x] = v.clamp(0, i32::from(max)) as u16;
        }
    }
    (px, max)
}

/// Maps stored values over their full range to 8-bit, as the caller of the detector does.
pub fn to_gray8(values: &[u16]) -> Vec<u8> {
    let lo = values.iter().copied().min().unwrap_or(0);
    let hi = values.iter().copied().max().unwrap_or(0).max(lo + 1);
    let span = f32::from(hi - lo);
    values.iter().map(|&v| ((f32::from(v - lo) * 255.0 / span) + 0.5) as u8).collect()
}
