//! What a file says of its pixels (PS3.3 C.7.6.3): their geometry and
//! photometric interpretation, window presets, rescale, LUTs and palette,
//! read from the scanned attributes. [`super::decode`] decodes frames with
//! it; a headers-only report reads only the [`Geometry`].

use dicom_core::{Tag, VR};

use super::decode::{PixelError, MAX_FRAME_SAMPLES};
use crate::scan::{Kind, Scan, PIXEL_DATA};
use crate::values;

/// The Image Pixel module and what shapes its values (PS3.3 C.7.6.3).
#[derive(Debug, Clone, PartialEq)]
pub struct PixelInfo {
    pub rows: u32,
    pub columns: u32,
    pub samples: u16,
    pub bits_allocated: u16,
    pub bits_stored: u16,
    pub high_bit: u16,
    pub signed: bool,
    pub planar: bool,
    pub photometric: String,
    pub frames: u32,
    pub rescale_slope: f64,
    pub rescale_intercept: f64,
    /// Window center/width pairs from the file, with their explanations.
    pub windows: Vec<(f64, f64, String)>,
    /// VOI LUT Function: LINEAR, LINEAR_EXACT or SIGMOID.
    pub voi_function: String,
    /// PALETTE COLOR lookup tables (PS3.3 C.7.6.3.1.5).
    pub palette: Option<Palette>,
    /// Modality LUT Sequence (0028,3000): replaces the rescale when present.
    pub modality_lut: Option<Lut>,
    /// VOI LUT Sequence (0028,3010): used when the file gives no window.
    pub voi_luts: Vec<Lut>,
}

/// A lookup table from a LUT sequence item (PS3.3 C.11.1, C.11.2).
#[derive(Debug, Clone, PartialEq)]
pub struct Lut {
    /// The first stored value mapped; values below map to the first entry.
    pub first_mapped: i32,
    /// Bits of each entry.
    pub bits: u16,
    pub data: Vec<u16>,
    pub explanation: String,
}

impl Lut {
    pub fn lookup(&self, x: i32) -> u16 {
        let i = (i64::from(x) - i64::from(self.first_mapped)).clamp(0, self.data.len() as i64 - 1);
        self.data[i as usize]
    }
}

/// The LUT of each item of a top-level LUT sequence.
fn luts(scan: &Scan, sequence: Tag, signed: bool) -> Vec<Lut> {
    let Some(seq) = scan.top_level_at(sequence).filter(|&i| scan.elements[i].kind == Kind::Sequence) else { return Vec::new() };
    let mut out = Vec::new();
    for (item, _) in scan.children(seq) {
        let child = |tag: Tag| scan.child(item, tag);
        let (Some(d), Some(data)) = (child(Tag(0x0028, 0x3002)), child(Tag(0x0028, 0x3006))) else { continue };
        let mut descriptor = words(scan.value(d), d.little_endian);
        let (Some(entries), Some(first), Some(bits)) = (descriptor.next(), descriptor.next(), descriptor.next()) else { continue };
        let entries = if entries == 0 { 65536 } else { usize::from(entries) };
        let first_mapped = if signed { i32::from(first as i16) } else { i32::from(first) };
        let bits = bits.clamp(1, 16);
        let bytes = scan.value(data);
        let table: Vec<u16> = if data.vr == VR::OB || (bits <= 8 && bytes.len() == entries) {
            bytes.iter().take(entries).map(|&b| u16::from(b)).collect()
        } else {
            words(bytes, data.little_endian).take(entries).collect()
        };
        if table.is_empty() {
            continue;
        }
        let explanation = child(Tag(0x0028, 0x3003)).map(|e| values::text(scan, e)).unwrap_or_default();
        out.push(Lut { first_mapped, bits, data: table, explanation });
    }
    out
}

/// Red, green and blue lookup tables of a PALETTE COLOR image, as 8-bit.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub first_mapped: i32,
    pub red: Vec<u8>,
    pub green: Vec<u8>,
    pub blue: Vec<u8>,
}

/// The 16-bit words of `bytes`, in the given byte order.
fn words(bytes: &[u8], little_endian: bool) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |c| if little_endian { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })
}

fn lut(scan: &Scan, descriptor: u16, data: u16) -> Option<(i32, Vec<u8>)> {
    let d = scan.top_level(Tag(0x0028, descriptor))?;
    let mut descriptor = words(scan.value(d), d.little_endian);
    let (entries, first, bits) = (descriptor.next()?, descriptor.next()?, descriptor.next()?);
    let entries = if entries == 0 { 65536 } else { usize::from(entries) };
    let to8 = |v: u16| if bits == 8 { v as u8 } else { (v >> 8) as u8 };
    let table: Vec<u8> = match scan.top_level(Tag(0x0028, data)) {
        Some(e) => {
            let bytes = scan.value(e);
            if bits == 8 && bytes.len() >= entries && bytes.len() < entries * 2 {
                bytes[..entries].to_vec()
            } else {
                words(bytes, e.little_endian).take(entries).map(to8).collect()
            }
        }
        // The segmented form of the same table: (0028,1221) for (0028,1201), …
        None => {
            let e = scan.top_level(Tag(0x0028, data + 0x20))?;
            let segments: Vec<u16> = words(scan.value(e), e.little_endian).collect();
            expand_segmented(&segments, entries)?.into_iter().map(to8).collect()
        }
    };
    (!table.is_empty()).then_some((i32::from(first), table))
}

/// Expands a segmented palette lookup table (PS3.3 C.7.9.2) to at most
/// `entries` values: discrete segments (opcode 0: `n` values), linear ones
/// (1: `n` steps from the last value to the next word, rounded half to even
/// as pydicom does) and indirect ones (2: `n` segments again from a word
/// offset, the two words after it, low word first, as pydicom and GDCM
/// read it). An indirect segment may not point at another indirect one,
/// and at most `SEGMENTS_MAX` segments are expanded, so a hostile table
/// ends quickly. `None` for a table that breaks these rules.
fn expand_segmented(words: &[u16], entries: usize) -> Option<Vec<u16>> {
    const SEGMENTS_MAX: usize = 1 << 16;
    struct Expansion<'w> {
        words: &'w [u16],
        out: Vec<u16>,
        entries: usize,
        budget: usize,
    }
    impl Expansion<'_> {
        fn segments(&mut self, mut at: usize, mut count: usize, indirect: bool) -> Option<()> {
            while at + 1 < self.words.len() && count > 0 && self.out.len() < self.entries {
                self.budget = self.budget.checked_sub(1)?;
                let (opcode, n) = (self.words[at], usize::from(self.words[at + 1]));
                let room = self.entries - self.out.len();
                at += 2;
                match opcode {
                    0 => {
                        let values = self.words.get(at..at + n)?;
                        self.out.extend_from_slice(&values[..n.min(room)]);
                        at += n;
                    }
                    1 => {
                        let (y0, y1) = (f64::from(*self.out.last()?), f64::from(*self.words.get(at)?));
                        at += 1;
                        self.out.extend((1..=n.min(room)).map(|i| (y0 + (y1 - y0) * i as f64 / n as f64).round_ties_even() as u16));
                    }
                    2 if !indirect && !self.out.is_empty() => {
                        let offset = usize::from(*self.words.get(at)?) | usize::from(*self.words.get(at + 1)?) << 16;
                        at += 2;
                        self.segments(offset, n, true)?;
                    }
                    _ => return None,
                }
                count -= 1;
            }
            Some(())
        }
    }
    let mut expansion = Expansion { words, out: Vec::with_capacity(entries), entries, budget: SEGMENTS_MAX };
    expansion.segments(0, usize::MAX, false)?;
    Some(expansion.out)
}

fn palette(scan: &Scan) -> Option<Palette> {
    let (first_mapped, red) = lut(scan, 0x1101, 0x1201)?;
    let (_, green) = lut(scan, 0x1102, 0x1202)?;
    let (_, blue) = lut(scan, 0x1103, 0x1203)?;
    Some(Palette { first_mapped, red, green, blue })
}

fn us(scan: &Scan, g: u16, e: u16) -> Option<u16> {
    let el = scan.top_level(Tag(g, e))?;
    let v = scan.value(el);
    (v.len() >= 2).then(|| if el.little_endian { u16::from_le_bytes([v[0], v[1]]) } else { u16::from_be_bytes([v[0], v[1]]) })
}

fn text(scan: &Scan, g: u16, e: u16) -> Option<String> {
    values::top_level_text(scan, Tag(g, e))
}

fn numbers(scan: &Scan, g: u16, e: u16) -> Vec<f64> {
    values::top_level_cow(scan, Tag(g, e)).map_or_else(Vec::new, |t| t.split('\\').filter_map(|v| v.trim().parse().ok()).collect())
}

/// What a report says of a file's pixels without decoding them: their
/// geometry, photometric interpretation and window presets (a headers-only
/// inspection reads no more of the pixel description).
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    pub rows: u32,
    pub columns: u32,
    pub samples: u16,
    pub bits_allocated: u16,
    pub bits_stored: u16,
    pub signed: bool,
    pub photometric: String,
    pub frames: u32,
    pub windows: Vec<(f64, f64, String)>,
}

/// Reads the pixels' [`Geometry`] from a scanned file.
pub fn pixel_geometry(scan: &Scan) -> Result<Geometry, PixelError> {
    if scan.top_level(PIXEL_DATA).is_none() {
        return Err(PixelError::NoPixelData);
    }
    let need = |v: Option<u16>, what: &str| v.ok_or_else(|| PixelError::Attributes(format!("{what} is missing")));
    let rows = u32::from(need(us(scan, 0x0028, 0x0010), "Rows")?);
    let columns = u32::from(need(us(scan, 0x0028, 0x0011), "Columns")?);
    let bits_allocated = need(us(scan, 0x0028, 0x0100), "Bits Allocated")?;
    let bits_stored = us(scan, 0x0028, 0x0101).unwrap_or(bits_allocated);
    let samples = us(scan, 0x0028, 0x0002).unwrap_or(1);
    if rows == 0 || columns == 0 || !matches!(bits_allocated, 1 | 8 | 16 | 32) || bits_stored == 0 || bits_stored > bits_allocated || !matches!(samples, 1 | 3) {
        return Err(PixelError::Attributes(format!("{rows}×{columns}, {samples} sample(s), {bits_allocated} bits allocated, {bits_stored} stored")));
    }
    let centers = numbers(scan, 0x0028, 0x1050);
    let widths = numbers(scan, 0x0028, 0x1051);
    let explanations: Vec<String> = text(scan, 0x0028, 0x1055).map(|t| t.split('\\').map(str::to_owned).collect()).unwrap_or_default();
    let windows = centers
        .iter()
        .zip(&widths)
        .enumerate()
        .filter(|(_, (_, w))| **w >= 1.0)
        .map(|(i, (c, w))| (*c, *w, explanations.get(i).cloned().unwrap_or_default()))
        .collect();
    Ok(Geometry {
        rows,
        columns,
        samples,
        bits_allocated,
        bits_stored,
        signed: us(scan, 0x0028, 0x0103) == Some(1),
        photometric: text(scan, 0x0028, 0x0004).unwrap_or_else(|| if samples == 3 { "RGB".into() } else { "MONOCHROME2".into() }),
        frames: values::top_level_cow(scan, Tag(0x0028, 0x0008)).and_then(|t| t.trim().parse().ok()).filter(|&n: &u32| n > 0).unwrap_or(1),
        windows,
    })
}

/// Reads the pixel description of a scanned file: its [`Geometry`] and
/// what decoding needs besides.
pub fn pixel_info(scan: &Scan) -> Result<PixelInfo, PixelError> {
    let Geometry { rows, columns, samples, bits_allocated, bits_stored, signed, photometric, frames, windows } = pixel_geometry(scan)?;
    Ok(PixelInfo {
        rows,
        columns,
        samples,
        bits_allocated,
        bits_stored,
        high_bit: us(scan, 0x0028, 0x0102).unwrap_or(bits_stored - 1),
        signed,
        planar: us(scan, 0x0028, 0x0006) == Some(1),
        photometric,
        frames,
        rescale_slope: numbers(scan, 0x0028, 0x1053).first().copied().filter(|s| *s != 0.0).unwrap_or(1.0),
        rescale_intercept: numbers(scan, 0x0028, 0x1052).first().copied().unwrap_or(0.0),
        windows,
        voi_function: text(scan, 0x0028, 0x1056).unwrap_or_else(|| "LINEAR".into()),
        palette: palette(scan),
        modality_lut: luts(scan, Tag(0x0028, 0x3000), signed).into_iter().next(),
        voi_luts: luts(scan, Tag(0x0028, 0x3010), false),
    })
}

impl PixelInfo {
    pub fn pixels(&self) -> u64 {
        u64::from(self.rows) * u64::from(self.columns)
    }

    /// Bytes of one native frame.
    pub fn frame_bytes(&self) -> u64 {
        let bits = self.pixels() * u64::from(self.samples) * u64::from(self.bits_allocated);
        bits.div_ceil(8)
    }

    pub(super) fn check_size(&self) -> Result<(), PixelError> {
        if self.pixels() * u64::from(self.samples) > MAX_FRAME_SAMPLES {
            return Err(PixelError::Attributes(format!("{}×{} frames are larger than this inspector decodes", self.rows, self.columns)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Segmented tables that break the rules end with `None`, quickly: an
    /// indirect segment pointing at an indirect one, a line or an indirect
    /// segment first, a discrete segment past the data, an unknown opcode,
    /// and a table of endless indirect repetitions (the segment budget).
    #[test]
    fn hostile_segmented_tables_end() {
        assert_eq!(expand_segmented(&[0, 2, 7, 9, 1, 2, 11], 16), Some(vec![7, 9, 10, 11]));
        assert_eq!(expand_segmented(&[0, 3, 1, 2, 3], 2), Some(vec![1, 2]), "cut at the descriptor's entries");
        assert_eq!(expand_segmented(&[0, 1, 5, 2, 1, 3, 0, 2, 1, 0, 0], 16), None, "indirect to indirect");
        assert_eq!(expand_segmented(&[1, 4, 100], 16), None, "a line from nothing");
        assert_eq!(expand_segmented(&[2, 1, 0, 0], 16), None, "indirect first");
        assert_eq!(expand_segmented(&[0, 9, 1, 2], 16), None, "values past the data");
        assert_eq!(expand_segmented(&[3, 1, 0], 16), None, "unknown opcode");
        // 65,535 empty discrete segments, then indirect segments that each
        // walk them again: 2^32 steps without the budget.
        let mut endless = vec![0, 1, 0];
        endless.extend((0..u16::MAX).flat_map(|_| [0, 0]));
        endless.extend((0..1 << 16).flat_map(|_| [2, u16::MAX, 3, 0]));
        let started = std::time::Instant::now();
        assert_eq!(expand_segmented(&endless, 65536), None);
        assert!(started.elapsed().as_secs() < 5);
    }
}
