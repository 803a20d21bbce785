//! The benchmark's single-file workloads (issue 8), besides the CT series of
//! [`super::ct_series`]: a long multi-frame CT and an ultrasound RGB cine
//! with the patient's name burned into every frame. Fictional patient.

use super::{identity, part10, phantom, study_series, ts, uid, Writer, JANE};
use crate::pixels::font::{draw_text, Font};

/// Enhanced CT Image Storage would carry functional groups; a plain CT
/// Image Storage object with Number of Frames is what many archives hold.
const CT_IMAGE_STORAGE: &str = super::CT_IMAGE_STORAGE;
const US_MULTIFRAME: &str = "1.2.840.10008.5.1.4.1.1.3.1";

/// A native 16-bit multi-frame CT of `frames` frames of `side`×`side`
/// (the phantom, its noise shifted per frame).
pub fn multiframe_ct(frames: u32, side: u16) -> Vec<u8> {
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0005, "CS", "ISO_IR 100");
    identity(&mut w, &JANE, "CT", CT_IMAGE_STORAGE, 900);
    study_series(&mut w, 900);
    w.grey_image(side, side, Some(frames), 16, 12, false)
        .text(0x0028, 0x1050, "DS", "40")
        .text(0x0028, 0x1051, "DS", "400")
        .text(0x0028, 0x1052, "DS", "-1024")
        .text(0x0028, 0x1053, "DS", "1");
    let base = phantom(usize::from(side));
    let frame_len = base.len();
    let total = frame_len * frames as usize;
    w.header(0x7FE0, 0x0010, "OW", (total * 2) as u32);
    w.bytes.reserve(total * 2);
    for f in 0..frames as usize {
        for (i, &p) in base.iter().enumerate() {
            let v = if p > 100 { p.saturating_add(((i + f * 7) % 16) as u16) } else { p };
            w.bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    part10(&w.bytes, ts::EXPLICIT_LE, CT_IMAGE_STORAGE, &uid(900))
}

/// An ultrasound RGB cine: `frames` frames of `width`×`height`, 8-bit
/// interleaved RGB, a sector that sweeps from frame to frame and the
/// patient's name and the date burned into the top left of every frame.
pub fn us_cine(frames: u32, width: u16, height: u16) -> Vec<u8> {
    let (w_px, h_px) = (usize::from(width), usize::from(height));
    let mut w = Writer::explicit_le();
    w.text(0x0008, 0x0005, "CS", "ISO_IR 100");
    identity(&mut w, &JANE, "US", US_MULTIFRAME, 901);
    w.text(0x0018, 0x1063, "DS", "33.3");
    study_series(&mut w, 901);
    w.us(0x0028, 0x0002, &[3])
        .text(0x0028, 0x0004, "CS", "RGB")
        .us(0x0028, 0x0006, &[0])
        .text(0x0028, 0x0008, "IS", &frames.to_string())
        .us(0x0028, 0x0010, &[height])
        .us(0x0028, 0x0011, &[width])
        .us(0x0028, 0x0100, &[8])
        .us(0x0028, 0x0101, &[8])
        .us(0x0028, 0x0102, &[7])
        .us(0x0028, 0x0103, &[0])
        .text(0x0028, 0x0301, "CS", "YES");
    let frame_len = w_px * h_px * 3;
    let total = frame_len * frames as usize;
    w.header(0x7FE0, 0x0010, "OB", total as u32);
    w.bytes.reserve(total);
    let mut grey = vec![0u8; w_px * h_px];
    let (cx, cy) = (w_px as f32 / 2.0, h_px as f32 * 0.1);
    for f in 0..frames {
        let sweep = (f as f32 / frames.max(1) as f32 - 0.5) * 0.6;
        for y in 0..h_px {
            for x in 0..w_px {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let r = (dx * dx + dy * dy).sqrt();
                let angle = dx.atan2(dy) - sweep;
                let inside = dy > 0.0 && angle.abs() < 0.6 && r < h_px as f32 * 0.85;
                grey[y * w_px + x] = if inside { (40.0 + 60.0 * ((r * 0.21 + (x ^ y) as f32 * 0.013).sin() + 1.0)) as u8 } else { 0 };
            }
        }
        draw_text(&mut grey, w_px, h_px, 8, 8, JANE.name, 12, 230, Font::Bold6x9);
        draw_text(&mut grey, w_px, h_px, 8, 26, "15/03/2024 10:15", 12, 230, Font::Bold6x9);
        for &g in &grey {
            w.bytes.extend_from_slice(&[g, g, g.saturating_add(g / 8)]);
        }
    }
    part10(&w.bytes, ts::EXPLICIT_LE, US_MULTIFRAME, &uid(901))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_are_well_formed_and_sized() {
        let ct = multiframe_ct(10, 64);
        let report = crate::inspect_file(&ct, &crate::Options::default());
        let f = &report;
        assert!(f.is_dicom);
        assert!(!f.findings.iter().any(|x| x.code.starts_with("integrity.") && x.code != "integrity.implementation"), "{:?}", f.findings);
        assert!(ct.len() > 10 * 64 * 64 * 2);
        let us = us_cine(4, 160, 120);
        let report = crate::inspect_file(&us, &crate::Options::default());
        assert!(report.is_dicom);
        assert!(!report.findings.iter().any(|x| x.code.starts_with("integrity.") && x.code != "integrity.implementation"), "{:?}", report.findings);
        assert!(us.len() > 4 * 160 * 120 * 3);
        assert!(report.findings.iter().any(|x| x.code == "phi.burned_in"), "{:?}", report.findings);
    }
}
