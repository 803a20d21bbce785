//! The burned-in text detector, measured on images the project draws
//! (`pixels::font`): four kinds of image (CT, MR, ultrasound, X-ray, at 12,
//! 16, 8 and 14 bits) at three sizes, with three strings in two fonts, five
//! heights, six positions (four corners, top and bottom band) and three
//! contrasts, and the same kinds of image without text. Each frame is mapped
//! to 8-bit over its full range, as the caller does. Recall and the
//! false-positive rate are printed (the README reports them) and held at
//! (slightly below) the measured values.

use dicom_inspector::pixels::font::{draw_text, draw_text16, fill_rect16, test_image, text_width, to_gray8, Font, ImageKind, Xorshift, FONTS, IMAGE_KINDS};
use dicom_inspector::pixels::text::{detect_light_and_dark_text, detect_text, Buffers, TextBox};

const SIZES: [(usize, usize); 3] = [(256, 256), (512, 512), (500, 375)];
const TEXTS: [&str; 3] = ["DOE^JANE", "2024/03/15 10:42", "ID 00123456"];
const HEIGHTS: [usize; 5] = [8, 10, 12, 16, 24];
/// Text-free images per kind and size.
const CLEAN_SEEDS: u32 = 25;

/// How the text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Contrast {
    /// The largest stored value, straight onto the image.
    WhiteOnImage,
    /// Half the largest value on a black label backing.
    MidGreyOnBlack,
    /// 70% of the largest value on a patch of dark, noisy tissue (25%).
    LightGreyOnDarkTissue,
}

const CONTRASTS: [Contrast; 3] = [Contrast::WhiteOnImage, Contrast::MidGreyOnBlack, Contrast::LightGreyOnDarkTissue];

/// Where a line of text goes: the four corners, a top band, a bottom band.
fn positions(width: usize, height: usize, w: usize, h: usize) -> [(usize, usize); 6] {
    let m = width.min(height) / 32 + 2;
    let (right, bottom, centre) = (width - w - m, height - h - m, (width - w) / 2);
    [(m, m), (right, m), (m, bottom), (right, bottom), (centre, m), (centre, bottom)]
}

/// A detection matches a drawn line when their IoU is at least 0.3 or it
/// covers at least half of the line.
fn matches(b: &TextBox, x: usize, y: usize, w: usize, h: usize) -> bool {
    let (bx0, by0, bx1, by1) = (b.x as usize, b.y as usize, (b.x + b.width) as usize, (b.y + b.height) as usize);
    let ix = (bx1.min(x + w)).saturating_sub(bx0.max(x));
    let iy = (by1.min(y + h)).saturating_sub(by0.max(y));
    let inter = (ix * iy) as f64;
    let union = (b.width * b.height) as f64 + (w * h) as f64 - inter;
    inter >= 0.3 * union || inter >= 0.5 * (w * h) as f64
}

/// Draws one line of text into a copy of `image` and runs the detector.
#[allow(clippy::too_many_arguments)]
fn found(image: &[u16], max: u16, width: usize, height: usize, line: (usize, usize, usize), text: &str, font: Font, contrast: Contrast) -> bool {
    let (x, y, h) = line;
    let w = text_width(text, h, font);
    let mut frame = image.to_vec();
    let pad = h / 4 + 2;
    let value = match contrast {
        Contrast::WhiteOnImage => max,
        Contrast::MidGreyOnBlack => {
            fill_rect16(&mut frame, width, height, x - pad, y - pad, w + 2 * pad, h + 2 * pad, 0, 0, 1);
            max / 2
        }
        Contrast::LightGreyOnDarkTissue => {
            let seed = (x * 31 + y) as u32;
            fill_rect16(&mut frame, width, height, x - pad, y - pad, w + 2 * pad, h + 2 * pad, max / 4, i32::from(max / 50), seed);
            (u32::from(max) * 7 / 10) as u16
        }
    };
    draw_text16(&mut frame, width, height, x, y, text, h, value, font);
    detect_text(&to_gray8(&frame), width, height).iter().any(|b| matches(b, x, y, w, h))
}

/// Found / total.
#[derive(Default, Clone, Copy)]
struct Count(usize, usize);

impl Count {
    fn add(&mut self, hit: bool) {
        self.0 += usize::from(hit);
        self.1 += 1;
    }
    fn rate(self) -> f64 {
        self.0 as f64 / self.1.max(1) as f64
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}% ({}/{})", 100.0 * self.rate(), self.0, self.1)
    }
}

#[test]
fn recall_and_false_positive_rate() {
    let (mut recall_10, mut recall_8, mut clean) = (Count::default(), Count::default(), Count::default());
    let mut by_font = [Count::default(); 2];
    let mut by_contrast = [Count::default(); 3];
    let mut by_height = [Count::default(); 5];
    let mut report = Vec::new();
    for kind in IMAGE_KINDS {
        let (mut kind_10, mut kind_8, mut kind_clean) = (Count::default(), Count::default(), Count::default());
        for (s, &(width, height)) in SIZES.iter().enumerate() {
            for seed in 0..CLEAN_SEEDS {
                let (image, _) = test_image(kind, width, height, 1 + seed * 7 + s as u32 * 1000);
                let boxes = detect_text(&to_gray8(&image), width, height);
                let none = boxes.is_empty();
                kind_clean.add(none);
                clean.add(none);
            }
            let (image, max) = test_image(kind, width, height, 5000 + s as u32);
            for text in TEXTS {
                for (f, font) in FONTS.into_iter().enumerate() {
                    for (hi, h) in HEIGHTS.into_iter().enumerate() {
                        let w = text_width(text, h, font);
                        if w + 16 >= width {
                            continue;
                        }
                        for (x, y) in positions(width, height, w, h) {
                            for (c, contrast) in CONTRASTS.into_iter().enumerate() {
                                let hit = found(&image, max, width, height, (x, y, h), text, font, contrast);
                                if h >= 10 {
                                    recall_10.add(hit);
                                    kind_10.add(hit);
                                } else {
                                    recall_8.add(hit);
                                    kind_8.add(hit);
                                }
                                by_font[f].add(hit);
                                by_contrast[c].add(hit);
                                by_height[hi].add(hit);
                            }
                        }
                    }
                }
            }
        }
        report.push(format!("  {kind:?}: recall 10 px+ {kind_10}, 8 px {kind_8}; text-free images with no detection {kind_clean}"));
    }
    println!("recall, text 10 px and taller: {recall_10}");
    println!("recall, text 8 px: {recall_8}");
    println!("text-free images with no detection: {clean}");
    report.iter().for_each(|line| println!("{line}"));
    for (font, count) in FONTS.iter().zip(by_font) {
        println!("  font {font:?}: {count}");
    }
    for (contrast, count) in CONTRASTS.iter().zip(by_contrast) {
        println!("  contrast {contrast:?}: {count}");
    }
    for (h, count) in HEIGHTS.iter().zip(by_height) {
        println!("  height {h} px: {count}");
    }
    // Held at (slightly below) the measured values.
    assert!(recall_10.rate() >= RECALL_10, "recall on 10 px+ text fell to {recall_10}");
    assert!(recall_8.rate() >= RECALL_8, "recall on 8 px text fell to {recall_8}");
    assert!(clean.rate() >= CLEAN, "text-free images without detection fell to {clean}");
}

/// Text over the middle of the image, on anatomy: harder than the corners
/// and bands (the targets above), measured and held separately.
#[test]
fn recall_over_anatomy() {
    let mut count = Count::default();
    let mut report = Vec::new();
    for kind in IMAGE_KINDS {
        let mut kind_count = Count::default();
        for (s, &(width, height)) in SIZES.iter().enumerate() {
            let (image, max) = test_image(kind, width, height, 7000 + s as u32);
            for text in TEXTS {
                for font in FONTS {
                    for h in HEIGHTS.into_iter().filter(|&h| h >= 10) {
                        let w = text_width(text, h, font);
                        if w + 16 >= width {
                            continue;
                        }
                        let hit = found(&image, max, width, height, ((width - w) / 2, height / 2 + h, h), text, font, Contrast::WhiteOnImage);
                        count.add(hit);
                        kind_count.add(hit);
                    }
                }
            }
        }
        report.push(format!("  {kind:?}: {kind_count}"));
    }
    println!("recall, white text 10 px and taller over the image centre: {count}");
    report.iter().for_each(|line| println!("{line}"));
    assert!(count.rate() >= RECALL_CENTRE, "recall over anatomy fell to {count}");
}

#[test]
fn kinds_have_their_bit_depths() {
    for (kind, max) in IMAGE_KINDS.into_iter().zip([4095u16, 65535, 255, 16383]) {
        assert_eq!(kind.max_value(), max);
        let (image, _) = test_image(kind, 64, 48, 3);
        assert_eq!(image.len(), 64 * 48);
        assert!(image.iter().all(|&v| v <= max) && image.iter().any(|&v| v > max / 4), "{kind:?}");
    }
}

/// Where dark text on a light background is written, as 8-bit frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LightBackground {
    /// A scanned form: paper with shading, grain, ruled lines and a dark logo.
    Paper,
    /// A screenshot: a light window with panel borders and a dark title bar.
    Screen,
    /// An ultrasound image with a light label under the text.
    LabelOnUltrasound,
}

const LIGHT_BACKGROUNDS: [LightBackground; 3] = [LightBackground::Paper, LightBackground::Screen, LightBackground::LabelOnUltrasound];

/// A text-free 8-bit frame of `kind` (the label comes with the text).
fn light_background(kind: LightBackground, width: usize, height: usize, seed: u32) -> Vec<u8> {
    let mut rng = Xorshift(seed.max(1));
    match kind {
        LightBackground::Paper => {
            let mut frame: Vec<u8> = (0..width * height).map(|i| (226 + (i % width) * 12 / width) as i32 + rng.noise(6)).map(|v| v.clamp(0, 255) as u8).collect();
            // Ruled lines every 44 rows, a margin line, a logo block.
            for y in (30..height).step_by(44) {
                frame[y * width..][..width].iter_mut().for_each(|p| *p = 150);
            }
            (0..height).for_each(|y| frame[y * width + width / 12] = 170);
            for y in height / 3..height / 3 + height / 10 {
                frame[y * width + width / 2..][..width / 8].iter_mut().for_each(|p| *p = 60);
            }
            frame
        }
        LightBackground::Screen => {
            let mut frame = vec![238u8; width * height];
            frame[..width * (height / 16)].iter_mut().for_each(|p| *p = 70);
            for x in (width / 4..width).step_by(width / 4) {
                (0..height).for_each(|y| frame[y * width + x] = 180);
            }
            for y in (height / 4..height).step_by(height / 4) {
                frame[y * width..][..width].iter_mut().for_each(|p| *p = 180);
            }
            frame
        }
        LightBackground::LabelOnUltrasound => to_gray8(&test_image(ImageKind::Ultrasound, width, height, seed).0),
    }
}

/// Draws one line of dark text on a copy of `image` (on a light label for
/// the ultrasound) and runs the detector 8-bit frames get.
fn found_dark(image: &[u8], kind: LightBackground, width: usize, height: usize, line: (usize, usize, usize), text: &str, font: Font) -> bool {
    let (x, y, h) = line;
    let w = text_width(text, h, font);
    let mut frame = image.to_vec();
    if kind == LightBackground::LabelOnUltrasound {
        let pad = h / 4 + 2;
        let mut rng = Xorshift((x * 31 + y) as u32 | 1);
        for fy in y - pad..(y + h + pad).min(height) {
            for fx in x - pad..(x + w + pad).min(width) {
                frame[fy * width + fx] = (225 + rng.noise(4)) as u8;
            }
        }
    }
    draw_text(&mut frame, width, height, x, y, text, h, 30, font);
    detect_light_and_dark_text(&frame, width, height, &mut Buffers::default()).iter().any(|b| matches(b, x, y, w, h))
}

/// Dark text on light backgrounds, found by the second look 8-bit frames
/// get (the detector on the inverted frame); and what that second look
/// costs in false detections on every kind of text-free image as 8 bits.
#[test]
fn dark_text_recall_and_false_positive_rate() {
    let (mut recall_10, mut recall_8, mut clean) = (Count::default(), Count::default(), Count::default());
    let mut report = Vec::new();
    for kind in LIGHT_BACKGROUNDS {
        let (mut kind_10, mut kind_clean) = (Count::default(), Count::default());
        for (s, &(width, height)) in SIZES.iter().enumerate() {
            for seed in 0..CLEAN_SEEDS {
                let none = detect_light_and_dark_text(&light_background(kind, width, height, 1 + seed * 7 + s as u32 * 1000), width, height, &mut Buffers::default()).is_empty();
                kind_clean.add(none);
                clean.add(none);
            }
            let image = light_background(kind, width, height, 5000 + s as u32);
            for text in TEXTS {
                for font in FONTS {
                    for h in HEIGHTS {
                        let w = text_width(text, h, font);
                        if w + 16 >= width {
                            continue;
                        }
                        for (x, y) in positions(width, height, w, h) {
                            let hit = found_dark(&image, kind, width, height, (x, y, h), text, font);
                            if h >= 10 {
                                recall_10.add(hit);
                                kind_10.add(hit);
                            } else {
                                recall_8.add(hit);
                            }
                        }
                    }
                }
            }
        }
        report.push(format!("  {kind:?}: recall 10 px+ {kind_10}; text-free with no detection {kind_clean}"));
    }
    // The modality-like kinds as 8 bits, searched for light and dark text.
    let mut modality_clean = Count::default();
    for kind in IMAGE_KINDS {
        for (s, &(width, height)) in SIZES.iter().enumerate() {
            for seed in 0..CLEAN_SEEDS {
                let gray = to_gray8(&test_image(kind, width, height, 1 + seed * 7 + s as u32 * 1000).0);
                modality_clean.add(detect_light_and_dark_text(&gray, width, height, &mut Buffers::default()).is_empty());
            }
        }
    }
    println!("dark text, 10 px and taller: {recall_10}; 8 px: {recall_8}");
    println!("light text-free images with no detection: {clean}");
    println!("CT, MR, ultrasound, X-ray images as 8 bits, light and dark looked for, with no detection: {modality_clean}");
    report.iter().for_each(|line| println!("{line}"));
    // Held at (slightly below) the measured values.
    assert!(recall_10.rate() >= DARK_RECALL_10, "recall on dark 10 px+ text fell to {recall_10}");
    assert!(recall_8.rate() >= DARK_RECALL_8, "recall on dark 8 px text fell to {recall_8}");
    assert!(clean.rate() >= DARK_CLEAN, "light text-free images without detection fell to {clean}");
    assert!(modality_clean.rate() >= CLEAN, "text-free images without detection, light and dark looked for, fell to {modality_clean}");
}

/// Draws `text` antialiased, as screen fonts are: the glyphs drawn four
/// times larger, a quarter pixel off the grid, and each pixel given the
/// share of its 4×4 subpixels they cover, blended from the image towards
/// `value`.
#[allow(clippy::too_many_arguments)]
fn draw_antialiased(frame: &mut [u8], width: usize, height: usize, x: usize, y: usize, text: &str, h: usize, value: u8, font: Font) {
    let w = text_width(text, h, font) + 2;
    let (sw, sh) = (4 * w, 4 * (h + 2));
    let mut fine = vec![0u8; sw * sh];
    draw_text(&mut fine, sw, sh, 1, 2, text, 4 * h, 1, font);
    for py in 0..h + 2 {
        for px in 0..w {
            let covered: u32 = (0..16).map(|k| u32::from(fine[(4 * py + k / 4) * sw + 4 * px + k % 4])).sum();
            let (fx, fy) = (x + px, y + py);
            if covered > 0 && fx < width && fy < height {
                let p = &mut frame[fy * width + fx];
                *p = ((u32::from(*p) * (16 - covered) + u32::from(value) * covered) / 16) as u8;
            }
        }
    }
}

/// Antialiased white text (as ultrasound scanners and screenshots draw it:
/// edges in every grey between the glyph and the background) on 8-bit
/// ultrasound-like images and on black, found by the detector.
#[test]
fn antialiased_text_recall() {
    let (mut count, mut report) = (Count::default(), Vec::new());
    for (name, background) in [("ultrasound", true), ("black", false)] {
        let mut kind_count = Count::default();
        for (s, &(width, height)) in SIZES.iter().enumerate() {
            let image = if background { to_gray8(&test_image(ImageKind::Ultrasound, width, height, 9000 + s as u32).0) } else { vec![0u8; width * height] };
            for text in TEXTS {
                for font in FONTS {
                    for h in HEIGHTS.into_iter().filter(|&h| h >= 10) {
                        let w = text_width(text, h, font);
                        if w + 20 >= width {
                            continue;
                        }
                        for (x, y) in positions(width, height, w + 2, h + 2) {
                            let mut frame = image.clone();
                            draw_antialiased(&mut frame, width, height, x, y, text, h, 255, font);
                            let hit = detect_text(&frame, width, height).iter().any(|b| matches(b, x, y, w, h));
                            count.add(hit);
                            kind_count.add(hit);
                        }
                    }
                }
            }
        }
        report.push(format!("  on {name}: {kind_count}"));
    }
    println!("recall, antialiased white text 10 px and taller: {count}");
    report.iter().for_each(|line| println!("{line}"));
    assert!(count.rate() >= ANTIALIASED_RECALL, "recall on antialiased text fell to {count}");
}

// Measured (deterministic images): 98.8% (4981/5040), 99.1% (1284/1296),
// 99.0% (297/300); over the image centre 89.3% (250/280). Dark text on
// light: 96.2% (1212/1260), 99.1% (321/324), 100% (225/225) of the light
// text-free images and 99.0% (297/300) of the others (the same three CT).
// Antialiased white text: 69.8% (586/840; 18.1% while a stroke's crest was
// looked for across it only, 0% before crests at all).
const RECALL_10: f64 = 0.98;
const RECALL_8: f64 = 0.98;
const CLEAN: f64 = 0.98;
const RECALL_CENTRE: f64 = 0.88;
const DARK_RECALL_10: f64 = 0.955;
const DARK_RECALL_8: f64 = 0.98;
const DARK_CLEAN: f64 = 0.99;
const ANTIALIASED_RECALL: f64 = 0.68;
