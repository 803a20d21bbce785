//! The burned-in text detector, measured on images the project draws: four
//! kinds of image (CT, MR, ultrasound, X-ray) at two sizes, with text of two
//! styles, five heights, six positions and three contrasts, and the same
//! images without text. Recall and false-positive rate are printed (the
//! README reports them) and held at the measured values.

use dicom_inspector::pixels::font::{draw_text16, test_image, text_width, to_gray8, ImageKind, IMAGE_KINDS};
use dicom_inspector::pixels::text::{detect_text, TextBox};

const TEXTS: [&str; 3] = ["DOE^JANE", "2024/03/15 10:42", "ID 00123456"];
const HEIGHTS: [usize; 5] = [8, 10, 12, 16, 24];

/// Where a line of text goes: the four corners, a top band, a bottom band.
fn positions(size: usize, w: usize, h: usize) -> [(usize, usize); 6] {
    let m = size / 32 + 2;
    [(m, m), (size - w - m, m), (m, size - h - m), (size - w - m, size - h - m), ((size - w) / 2, m), ((size - w) / 2, size - h - m)]
}

fn covers(b: &TextBox, x: usize, y: usize, w: usize, h: usize) -> bool {
    let (bx0, by0, bx1, by1) = (b.x as usize, b.y as usize, (b.x + b.width) as usize, (b.y + b.height) as usize);
    let ix = (bx1.min(x + w)).saturating_sub(bx0.max(x));
    let iy = (by1.min(y + h)).saturating_sub(by0.max(y));
    // Most of the drawn line lies inside a detection.
    (ix * iy) as f32 >= 0.5 * (w * h) as f32
}

/// Text intensity for a contrast level: white, mid-grey, light grey.
fn value(kind: ImageKind, max: u16, contrast: usize) -> u16 {
    let _ = kind;
    match contrast {
        0 => max,
        1 => max / 2 + max / 8,
        _ => max - max / 5,
    }
}

#[test]
fn recall_and_false_positive_rate() {
    let (mut found_10, mut total_10, mut found_8, mut total_8) = (0, 0, 0, 0);
    let (mut clean_images, mut clean_with_detection) = (0, 0);
    let mut per_kind = Vec::new();
    for kind in IMAGE_KINDS {
        let (mut kind_fp, mut kind_clean, mut kind_found, mut kind_total) = (0, 0, 0, 0);
        for (s, size) in [256usize, 512].into_iter().enumerate() {
            for seed in 1..=6u32 {
                let (image, _) = test_image(kind, size, seed * 7 + s as u32);
                clean_images += 1;
                kind_clean += 1;
                if !detect_text(&to_gray8(&image), size, size).is_empty() {
                    clean_with_detection += 1;
                    kind_fp += 1;
                }
            }
            for (t, text) in TEXTS.iter().enumerate() {
                for height in HEIGHTS {
                    for style in 0..2u8 {
                        let contrast = (t + style as usize + height) % 3;
                        let w = text_width(text, height);
                        if w + 8 >= size {
                            continue;
                        }
                        for (p, (x, y)) in positions(size, w, height).into_iter().enumerate() {
                            let (mut image, max) = test_image(kind, size, 1000 + (t * 100 + height * 10 + p) as u32);
                            draw_text16(&mut image, size, size, x, y, text, height, value(kind, max, contrast), style);
                            let boxes = detect_text(&to_gray8(&image), size, size);
                            let hit = boxes.iter().any(|b| covers(b, x, y, w, height));
                            if height >= 10 {
                                total_10 += 1;
                                found_10 += usize::from(hit);
                            } else {
                                total_8 += 1;
                                found_8 += usize::from(hit);
                            }
                            kind_total += 1;
                            kind_found += usize::from(hit);
                        }
                    }
                }
            }
        }
        per_kind.push(format!("{kind:?}: recall {:.1}% ({kind_found}/{kind_total}), false positives {kind_fp}/{kind_clean}", 100.0 * kind_found as f64 / kind_total as f64));
    }
    let recall_10 = found_10 as f64 / total_10 as f64;
    let recall_8 = found_8 as f64 / total_8 as f64;
    let clean_rate = 1.0 - clean_with_detection as f64 / clean_images as f64;
    println!("recall, text 10 px and taller: {:.1}% ({found_10}/{total_10})", 100.0 * recall_10);
    println!("recall, text 8 px: {:.1}% ({found_8}/{total_8})", 100.0 * recall_8);
    println!("text-free images with no detection: {:.1}% ({}/{clean_images})", 100.0 * clean_rate, clean_images - clean_with_detection);
    for line in per_kind {
        println!("  {line}");
    }
    // Held at (slightly below) the measured values.
    assert!(recall_10 >= RECALL_10, "recall on 10 px+ text fell to {recall_10:.3}");
    assert!(recall_8 >= RECALL_8, "recall on 8 px text fell to {recall_8:.3}");
    assert!(clean_rate >= CLEAN, "text-free images without detection fell to {clean_rate:.3}");
}

// Measured 2026-11-29: 96.6% (1067/1104), 100% (288/288), 100% (48/48).
const RECALL_10: f64 = 0.96;
const RECALL_8: f64 = 0.98;
const CLEAN: f64 = 0.97;
