//! From decoded frames to what a person sees: modality rescale, VOI
//! (window presets from the file, LINEAR / LINEAR_EXACT / SIGMOID),
//! MONOCHROME1 inversion, overlays (60xx) composited in a distinct colour,
//! and the burned-in text scan.

use dicom_core::Tag;

use std::cell::RefCell;

use super::decode::{decode_frame, native_gray8, native_words, pixel_info, Frame, PixelError, PixelInfo};
use super::kernels::{self, Affine};
use super::text::{detect_light_and_dark_text, detect_text_with, detect_text_words, Buffers, TextBox};
use crate::scan::Scan;

/// Overlay colour (RGBA): amber, distinct from any grey.
pub const OVERLAY_RGBA: [u8; 4] = [255, 176, 0, 255];

/// One overlay plane (PS3.3 C.9.2): a bit mask over the image.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlay {
    pub group: u16,
    pub rows: u32,
    pub columns: u32,
    /// Origin, 1-based row and column of the overlay's top-left pixel.
    pub origin: (i32, i32),
    /// One byte per overlay pixel, 0 or 1.
    pub mask: Vec<u8>,
}

/// Reads every overlay plane with its data in the top-level data set.
pub fn overlays(scan: &Scan) -> Vec<Overlay> {
    let mut out = Vec::new();
    for group in (0x6000u16..=0x601E).step_by(2) {
        let Some(data) = scan.top_level(Tag(group, 0x3000)) else { continue };
        let word = |el: u16| {
            scan.top_level(Tag(group, el)).and_then(|e| {
                let v = scan.value(e);
                (v.len() >= 2).then(|| if e.little_endian { u16::from_le_bytes([v[0], v[1]]) } else { u16::from_be_bytes([v[0], v[1]]) })
            })
        };
        let (Some(rows), Some(columns)) = (word(0x0010), word(0x0011)) else { continue };
        let origin = scan
            .top_level(Tag(group, 0x0050))
            .map(|e| scan.value(e))
            .filter(|v| v.len() >= 4)
            .map_or((1, 1), |v| (i32::from(i16::from_le_bytes([v[0], v[1]])), i32::from(i16::from_le_bytes([v[2], v[3]]))));
        let n = usize::from(rows) * usize::from(columns);
        if n as u64 > super::decode::MAX_FRAME_SAMPLES {
            continue;
        }
        let mut bits = vec![0i32; n];
        kernels::unpack_bits(scan.value(data), 0, &mut bits);
        out.push(Overlay { group, rows: u32::from(rows), columns: u32::from(columns), origin, mask: bits.into_iter().map(|b| b as u8).collect() });
    }
    out
}

/// A file's frames ready to display: decode once, re-window often.
pub struct Viewer {
    pub info: PixelInfo,
    frame_index: u32,
    frame: Frame,
    /// Range of the current frame's values after the modality rescale.
    pub range: (f64, f64),
    pub overlays: Vec<Overlay>,
    pub show_overlays: bool,
    /// The current rendering, `rows × columns × 4` bytes.
    pub rgba: Vec<u8>,
    /// The window in force (center, width).
    pub window: (f64, f64),
    /// Render through the file's VOI LUT (when it has one and no window).
    pub use_voi_lut: bool,
}

/// The LUT path (PS3.3 C.11): Modality LUT instead of the rescale, then the
/// VOI LUT or the window. Scalar: LUT files are rare and small.
fn lut_render(info: &PixelInfo, values: &[i32], center: f64, width: f64, use_voi_lut: bool, out: &mut [u8]) {
    let invert = info.photometric == "MONOCHROME1";
    let modality = |x: i32| match &info.modality_lut {
        Some(l) => i32::from(l.lookup(x)),
        None => (f64::from(x) * info.rescale_slope + info.rescale_intercept).round() as i32,
    };
    let voi = info.voi_luts.first().filter(|_| use_voi_lut && info.windows.is_empty());
    let m = Affine::window(1.0, 0.0, center, width.max(1.0), info.voi_function == "LINEAR_EXACT", invert);
    for (x, o) in values.iter().zip(out.chunks_exact_mut(4)) {
        let v = modality(*x);
        let g = match voi {
            Some(l) => {
                let y = f64::from(l.lookup(v)) / f64::from((1u32 << l.bits) - 1);
                let y = if invert { 1.0 - y } else { y };
                (y * 255.0).round().clamp(0.0, 255.0) as u8
            }
            None => {
                let mut px = [0u8; 4];
                kernels::window_to_rgba_scalar(&[v], m, &mut px);
                px[0]
            }
        };
        o.copy_from_slice(&[g, g, g, 255]);
    }
}

impl Viewer {
    pub fn new(scan: &Scan) -> Result<Viewer, PixelError> {
        let info = pixel_info(scan)?;
        let frame = decode_frame(scan, &info, 0)?;
        let mut v = Viewer {
            rgba: vec![0; (info.pixels() * 4) as usize],
            info,
            frame_index: 0,
            frame,
            range: (0.0, 0.0),
            overlays: overlays(scan),
            show_overlays: true,
            window: (0.0, 0.0),
            use_voi_lut: true,
        };
        v.update_range();
        v.window = v.info.windows.first().map_or_else(|| v.full_window(), |(c, w, _)| (*c, *w));
        Ok(v)
    }

    fn update_range(&mut self) {
        if let Frame::Gray(values) = &self.frame {
            if let Some((lo, hi)) = kernels::min_max(values) {
                let lut = self.info.modality_lut.clone();
                let r = |x: i32| match &lut {
                    Some(l) => f64::from(l.lookup(x)),
                    None => f64::from(x) * self.info.rescale_slope + self.info.rescale_intercept,
                };
                let (a, b) = (r(lo), r(hi));
                self.range = (a.min(b), a.max(b));
            }
        } else {
            self.range = (0.0, 255.0);
        }
    }

    /// A window covering the whole range of the frame.
    pub fn full_window(&self) -> (f64, f64) {
        let (lo, hi) = self.range;
        ((lo + hi) / 2.0, (hi - lo).max(1.0))
    }

    pub fn frame_index(&self) -> u32 {
        self.frame_index
    }

    pub fn set_frame(&mut self, scan: &Scan, index: u32) -> Result<(), PixelError> {
        self.frame = decode_frame(scan, &self.info, index)?;
        self.frame_index = index;
        self.update_range();
        Ok(())
    }

    /// Renders the current frame with the given window into [`Viewer::rgba`].
    pub fn render(&mut self, center: f64, width: f64) {
        self.window = (center, width.max(1.0));
        let info = &self.info;
        let invert = info.photometric == "MONOCHROME1";
        if let Frame::Gray(values) = &self.frame {
            if info.modality_lut.is_some() || (info.windows.is_empty() && !info.voi_luts.is_empty() && self.use_voi_lut) {
                lut_render(info, values, center, width, self.use_voi_lut, &mut self.rgba);
                if self.show_overlays {
                    self.composite_overlays();
                }
                return;
            }
        }
        match &self.frame {
            Frame::Gray(values) => match info.voi_function.as_str() {
                "SIGMOID" => kernels::sigmoid_to_rgba(values, info.rescale_slope, info.rescale_intercept, center, width, invert, &mut self.rgba),
                f => {
                    let m = Affine::window(info.rescale_slope, info.rescale_intercept, center, width.max(1.0), f == "LINEAR_EXACT", invert);
                    kernels::window_to_rgba(values, m, &mut self.rgba);
                }
            },
            Frame::Rgb(rgb) => kernels::rgb_to_rgba(rgb, &mut self.rgba),
        }
        if self.show_overlays {
            self.composite_overlays();
        }
    }

    fn composite_overlays(&mut self) {
        let (rows, cols) = (self.info.rows as i64, self.info.columns as i64);
        for o in &self.overlays {
            for r in 0..i64::from(o.rows) {
                let y = r + i64::from(o.origin.0) - 1;
                if !(0..rows).contains(&y) {
                    continue;
                }
                for c in 0..i64::from(o.columns) {
                    let x = c + i64::from(o.origin.1) - 1;
                    if (0..cols).contains(&x) && o.mask[(r * i64::from(o.columns) + c) as usize] != 0 {
                        let at = ((y * cols + x) * 4) as usize;
                        self.rgba[at..at + 4].copy_from_slice(&OVERLAY_RGBA);
                    }
                }
            }
        }
    }

    /// The current frame as 8-bit luminance over its full range.
    pub fn gray8(&self) -> Vec<u8> {
        let n = self.info.pixels() as usize;
        let mut out = vec![0u8; n];
        match &self.frame {
            Frame::Gray(values) => {
                if let Some((lo, hi)) = kernels::min_max(values) {
                    kernels::to_gray8(values, lo, hi, &mut out);
                }
                if self.info.photometric == "MONOCHROME1" {
                    out.iter_mut().for_each(|v| *v = 255 - *v);
                }
            }
            Frame::Rgb(rgb) => {
                for (o, p) in out.iter_mut().zip(rgb.chunks_exact(3)) {
                    *o = ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8;
                }
            }
        }
        out
    }
}

/// Text-like regions per scanned frame.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FrameText {
    pub frame: u32,
    pub boxes: Vec<TextBox>,
}

thread_local! {
    /// The text scan's frame-sized buffers (the 8-bit frame, the detector's
    /// masks), kept for the next frame and file: fresh ones cost a page
    /// fault per 4 KiB, as much as the detector itself on a 512×512 frame.
    static SCAN_BUFFERS: RefCell<(Vec<u8>, Buffers)> = RefCell::new((Vec::new(), Buffers::default()));
}

/// The most bytes of buffers kept between scans (a 4096×4096 frame's).
const KEEP_BUFFERS: usize = 3 * 4096 * 4096;

/// The frames the text scan looks at: the first, middle and last.
pub fn scanned_frames(frames: u32) -> Vec<u32> {
    let mut picks = vec![0, frames / 2, frames.saturating_sub(1)];
    picks.dedup();
    picks
}

/// Scans the first, middle and last frames for burned-in text.
pub fn scan_text(scan: &Scan) -> Result<Vec<FrameText>, PixelError> {
    let (mut gray, mut buffers) = SCAN_BUFFERS.with(|b| std::mem::take(&mut *b.borrow_mut()));
    let result = scan_frames(scan, &mut gray, &mut buffers);
    if gray.capacity() + buffers.capacity() <= KEEP_BUFFERS {
        SCAN_BUFFERS.with(|b| *b.borrow_mut() = (gray, buffers));
    }
    result
}

fn scan_frames(scan: &Scan, gray: &mut Vec<u8>, buffers: &mut Buffers) -> Result<Vec<FrameText>, PixelError> {
    let info = pixel_info(scan)?;
    let (width, height) = (info.columns as usize, info.rows as usize);
    let mut out = Vec::new();
    let mut viewer: Option<Viewer> = None;
    for f in scanned_frames(info.frames) {
        // 16-bit native greyscale is scanned from its bytes, mapped to grey
        // only where the detector looks; other native greyscale goes from
        // the bytes to 8 bits; the rest is decoded.
        if let Some(words) = native_words(scan, &info, f) {
            let words = words?;
            let boxes = detect_text_words(words.bytes, words.layout, words.invert, width, height, gray, buffers);
            if !boxes.is_empty() {
                out.push(FrameText { frame: f, boxes });
            }
            continue;
        }
        match native_gray8(scan, &info, f, gray) {
            Some(done) => done?,
            None => {
                let v = match viewer.as_mut() {
                    Some(v) => v,
                    None => viewer.insert(Viewer::new(scan)?),
                };
                if f != v.frame_index() {
                    v.set_frame(scan, f)?;
                }
                *gray = v.gray8();
            }
        }
        // Dark text on light is looked for in 8-bit images (screenshots,
        // scanned documents, ultrasound and camera images), where it is
        // written; 16-bit modality images carry light annotations.
        let boxes = if info.bits_allocated == 8 { detect_light_and_dark_text(gray, width, height, buffers) } else { detect_text_with(gray, width, height, buffers) };
        if !boxes.is_empty() {
            out.push(FrameText { frame: f, boxes });
        }
    }
    Ok(out)
}
