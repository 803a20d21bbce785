//! The pixel-scan benchmark's workloads (issue 8: "at least 1 GB/s of pixel
//! data per core, within 3× of a plain memory copy"), shared by the native
//! benchmark (benches/kernels.rs) and the browser's (`PixelScanBench` in
//! src/wasm.rs), so both time the same thing.
//!
//! The files are generated and scanned (elements with offsets) once; what is
//! timed is the pixel scan alone, [`super::render::scan_text`], as
//! `inspect_file` runs it with `pixel_scan` on: the first, middle and last
//! frames decoded from their bytes, their range, the 8-bit map and the
//! burned-in text detector. The reference is a plain copy of the same bytes
//! (the frames the scan reads) into a buffer allocated beforehand.

use std::borrow::Cow;

use crate::options::Options;
use crate::pixels::decode::pixel_info;
use crate::pixels::render::scan_text;
use crate::scan::{self, Kind, Scan, PIXEL_DATA};

/// Files held with their scans, and the byte ranges the pixel scan reads.
pub struct PixelScan {
    /// Each file's scan; its body borrows from `files` (declared first, so
    /// dropped first).
    scans: Vec<Scan<'static>>,
    /// The files' bytes, never changed or moved while `scans` lives (a
    /// boxed slice's heap block does not move with the struct).
    #[allow(dead_code)] // held for `scans`
    files: Vec<Box<[u8]>>,
    /// Per file, (offset, length) of each frame the scan reads.
    frames: Vec<Vec<(usize, usize)>>,
    /// Where the copy writes, one frame long.
    copy: Vec<u8>,
}

impl PixelScan {
    /// `files` must be DICOM files with native pixel data.
    pub fn new(files: Vec<Vec<u8>>) -> PixelScan {
        let files: Vec<Box<[u8]>> = files.into_iter().map(Vec::into_boxed_slice).collect();
        let options = Options::default();
        let scans: Vec<Scan<'static>> = files
            .iter()
            .map(|f| {
                let s = scan::scan(f, &options);
                // SAFETY: the scan borrows `f`'s heap block, which `files`
                // owns for as long as `scans` lives (dropped after it, never
                // mutated); the 'static lifetime never escapes this struct:
                // `scans` is only lent out as `&Scan` tied to `&self`.
                unsafe { std::mem::transmute::<Scan<'_>, Scan<'static>>(s) }
            })
            .collect();
        let frames: Vec<Vec<(usize, usize)>> = scans.iter().map(scanned_frames).collect();
        let longest = frames.iter().flatten().map(|&(_, len)| len).max().unwrap_or(0);
        PixelScan { scans, files, frames, copy: vec![0; longest] }
    }

    /// The generated CT series: `count` slices of 512×512, 16 bits.
    pub fn ct_series(count: u32) -> PixelScan {
        PixelScan::new(crate::demo::ct_series(count).into_iter().map(|(_, bytes)| bytes).collect())
    }

    /// One native 16-bit CT frame of `side`×`side`.
    pub fn large_frame(side: u16) -> PixelScan {
        PixelScan::new(vec![crate::demo::workloads::multiframe_ct(1, side)])
    }

    /// The multi-frame CT workload: `frames` frames of 512×512, 16 bits (the
    /// scan reads three of them).
    pub fn multiframe(frames: u32) -> PixelScan {
        PixelScan::new(vec![crate::demo::workloads::multiframe_ct(frames, 512)])
    }

    /// Files in the workload.
    pub fn files(&self) -> usize {
        self.scans.len()
    }

    /// Bytes of pixel data one pass reads (and copies).
    pub fn scanned_bytes(&self) -> u64 {
        self.frames.iter().flatten().map(|&(_, len)| len as u64).sum()
    }

    /// One pass of the pixel scan over every file; the text regions found
    /// (the results, so that nothing is optimised away).
    pub fn scan(&self) -> usize {
        self.scans.iter().map(|s| scan_text(s).map_or(0, |r| r.iter().map(|f| f.boxes.len()).sum())).sum()
    }

    /// One pass copying the bytes [`Self::scan`] reads: `copy_from_slice`
    /// into a buffer allocated beforehand (the copy's first byte, so that
    /// nothing is optimised away).
    pub fn copy(&mut self) -> u8 {
        let mut first = 0;
        for (s, frames) in self.scans.iter().zip(&self.frames) {
            for &(at, len) in frames {
                self.copy[..len].copy_from_slice(&s.body[at..at + len]);
                first ^= self.copy[0];
            }
        }
        first
    }
}

/// (offset, length) in the body of the frames [`scan_text`] reads: the
/// first, middle and last frames of native pixel data.
fn scanned_frames(scan: &Scan) -> Vec<(usize, usize)> {
    let (Ok(info), Some(pixels)) = (pixel_info(scan), scan.top_level(PIXEL_DATA)) else { return Vec::new() };
    if pixels.kind != Kind::Element {
        return Vec::new();
    }
    let size = info.frame_bytes() as usize;
    let mut picks = vec![0, info.frames / 2, info.frames - 1];
    picks.dedup();
    let body: &Cow<[u8]> = &scan.body;
    let start = scan.value(pixels).as_ptr() as usize - body.as_ptr() as usize;
    picks.into_iter().map(|f| (start + f as usize * size, size)).filter(|&(at, len)| at + len <= body.len()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workload_scans_and_copies_its_frames() {
        let mut w = PixelScan::new(vec![crate::demo::workloads::multiframe_ct(5, 64)]);
        assert_eq!(w.files(), 1);
        // Frames 0, 2 and 4 of 64×64×2 bytes.
        assert_eq!(w.scanned_bytes(), 3 * 64 * 64 * 2);
        assert_eq!(w.scan(), 0);
        w.copy();
        let series = PixelScan::ct_series(2);
        assert_eq!(series.scanned_bytes(), 2 * 512 * 512 * 2);
    }
}
