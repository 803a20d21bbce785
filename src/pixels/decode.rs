//! Frames out of Pixel Data: native (any bits allocated/stored, signed,
//! planar, multi-frame), RLE Lossless (PS3.5 G), and JPEG baseline,
//! extended and lossless (through `jpeg-decoder`; 12-bit extended through
//! [`super::jpeg12`]). Colour is converted to RGB
//! here (YBR_FULL, YBR_FULL_422, PALETTE COLOR); greyscale keeps its stored
//! values for the modality and VOI transforms of [`super::render`].
//!
//! Every size comes from the file, so every size is checked: frame sizes are
//! computed in u64 and compared with the bytes present before anything is
//! allocated.

use dicom_core::VR;

use super::native16::Layout16;
pub use super::describe::{pixel_geometry, pixel_info, Geometry, Lut, Palette, PixelInfo};
use crate::scan::{Element, Kind, Scan, PIXEL_DATA};

/// A decoded frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    /// Stored values, sign-extended and masked to Bits Stored.
    Gray(Vec<i32>),
    /// RGB, 3 bytes per pixel.
    Rgb(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PixelError {
    NoPixelData,
    /// The attributes that describe the pixels are missing or impossible.
    Attributes(String),
    /// The transfer syntax has no decoder here.
    Unsupported(String),
    /// The compressed or native data is broken or too short.
    Corrupt(String),
}

impl std::fmt::Display for PixelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PixelError::NoPixelData => write!(f, "no pixel data"),
            PixelError::Attributes(m) => write!(f, "pixel attributes: {m}"),
            PixelError::Unsupported(m) => write!(f, "cannot decode {m} in this inspector"),
            PixelError::Corrupt(m) => write!(f, "pixel data is damaged: {m}"),
        }
    }
}

/// Largest decoded frame accepted (samples), to bound memory on hostile input.
pub const MAX_FRAME_SAMPLES: u64 = 1 << 28;

/// Decodes frame `index` (from 0).
pub fn decode_frame(scan: &Scan, info: &PixelInfo, index: u32) -> Result<Frame, PixelError> {
    info.check_size()?;
    if index >= info.frames {
        return Err(PixelError::Attributes(format!("frame {index} of {}", info.frames)));
    }
    let pixel_index = scan.top_level_at(PIXEL_DATA).ok_or(PixelError::NoPixelData)?;
    let pixel = &scan.elements[pixel_index];
    let frame = if pixel.kind == Kind::Element {
        native(scan, info, pixel, index)?
    } else {
        let fragments = frame_fragments(scan, pixel_index, info.frames, index)?;
        let uid = scan.encoding.uid.as_deref().unwrap_or("");
        match uid {
            "1.2.840.10008.1.2.5" => rle(&fragments, info),
            "1.2.840.10008.1.2.4.50" | "1.2.840.10008.1.2.4.51" | "1.2.840.10008.1.2.4.57" | "1.2.840.10008.1.2.4.70" => jpeg(&fragments, info),
            "1.2.840.10008.1.2.1.98" => native_bytes(&fragments, info, true),
            "1.2.840.10008.1.2.4.90" | "1.2.840.10008.1.2.4.91" => jpeg2000(&fragments, info),
            "1.2.840.10008.1.2.4.80" | "1.2.840.10008.1.2.4.81" => jpeg_ls(&fragments, info),
            _ => Err(PixelError::Unsupported(scan.encoding.entry.map_or_else(|| format!("transfer syntax {uid}"), |e| e.name.to_owned()))),
        }?
    };
    // A palette image's indices go through its tables, however they were
    // stored or compressed.
    match frame {
        Frame::Gray(indices) if info.samples == 1 && info.photometric == "PALETTE COLOR" => palette_colours(indices, info),
        frame => Ok(frame),
    }
}

/// The bytes of one encapsulated frame: its fragments' values joined.
fn frame_fragments(scan: &Scan, pixel_index: usize, frames: u32, index: u32) -> Result<Vec<u8>, PixelError> {
    let nodes = frame_fragment_nodes(scan, pixel_index, frames, index)?;
    Ok(nodes.into_iter().flat_map(|n| scan.value(&scan.elements[n]).iter().copied()).collect())
}

/// The fragments that hold one encapsulated frame (PS3.5 A.4), as indices
/// into `scan.elements`: through the Basic Offset Table when there is one,
/// one fragment per frame when the counts agree, all fragments for a single
/// frame, else the fragments from one that opens a codestream to the next.
/// Reads the offset table and each fragment's first bytes only.
fn frame_fragment_nodes(scan: &Scan, pixel_index: usize, frames: u32, index: u32) -> Result<Vec<usize>, PixelError> {
    let first = pixel_index + 1;
    let count = scan.elements[first..].iter().take_while(|e| e.kind == Kind::Fragment && e.parent as usize == pixel_index).count();
    if count == 0 {
        return Err(PixelError::Corrupt("no fragments".into()));
    }
    let (bot, fragments) = (first, first + 1..first + count);
    if frames == 1 {
        return Ok(fragments.collect());
    }
    let table: Vec<u64> = scan.value(&scan.elements[bot]).chunks_exact(4).map(|c| u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]]))).collect();
    if table.len() == frames as usize {
        // Offsets count from the first byte of the first fragment's item header.
        let origin = scan.elements.get(fragments.start).filter(|_| !fragments.is_empty()).map_or(0, |f| f.offset);
        let start = table[index as usize];
        let end = table.get(index as usize + 1).copied().unwrap_or(u64::MAX);
        let picked: Vec<usize> = fragments.clone().filter(|&n| (start..end).contains(&(scan.elements[n].offset - origin))).collect();
        if !picked.is_empty() {
            return Ok(picked);
        }
    }
    if fragments.len() == frames as usize {
        return Ok(vec![fragments.start + index as usize]);
    }
    // No usable offset table: a frame starts at each fragment that opens a
    // codestream (JPEG SOI, JPEG 2000 SOC, an RLE header).
    let starts: Vec<usize> = fragments.clone().filter(|&n| opens_frame(scan.value(&scan.elements[n]))).collect();
    if starts.len() == frames as usize && starts.first() == Some(&fragments.start) {
        let from = starts[index as usize];
        let to = starts.get(index as usize + 1).copied().unwrap_or(fragments.end);
        return Ok((from..to).collect());
    }
    Err(PixelError::Corrupt(format!("{} fragments cannot be mapped to {frames} frames without an offset table", fragments.len())))
}

/// The byte ranges (in the file) of the fragment values that hold frame
/// `index` of top-level encapsulated Pixel Data, for a reader that loads
/// only the frames it decodes; `None` when Pixel Data is not encapsulated.
pub fn encapsulated_frame_ranges(scan: &Scan, info: &PixelInfo, index: u32) -> Option<Result<Vec<std::ops::Range<u64>>, PixelError>> {
    let pixel_index = scan.top_level_at(PIXEL_DATA)?;
    let pixel = &scan.elements[pixel_index];
    if pixel.kind != Kind::PixelSequence {
        return None;
    }
    Some(frame_fragment_nodes(scan, pixel_index, info.frames, index).map(|nodes| {
        nodes
            .into_iter()
            .map(|n| {
                let e = &scan.elements[n];
                e.value_offset()..e.value_offset() + u64::from(e.length)
            })
            .collect()
    }))
}

fn opens_frame(b: &[u8]) -> bool {
    let rle = b.len() >= 8 && (1..=15).contains(&u32::from_le_bytes([b[0], b[1], b[2], b[3]])) && u32::from_le_bytes([b[4], b[5], b[6], b[7]]) == 64;
    b.starts_with(&[0xFF, 0xD8, 0xFF]) || b.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) || rle
}

fn native(scan: &Scan, info: &PixelInfo, pixel: &Element, index: u32) -> Result<Frame, PixelError> {
    let bytes = native_frame(scan, info, pixel, index)?;
    if is_ybr_422(info) {
        return Ok(ybr_422(bytes, info));
    }
    if info.bits_allocated == 1 {
        let bits_before = u64::from(index) * info.pixels() * u64::from(info.samples);
        let shift = (bits_before % 8) as usize;
        let n = info.pixels() as usize;
        let mut out = vec![0i32; n];
        super::kernels::unpack_bits(bytes, shift, &mut out);
        return Ok(Frame::Gray(out));
    }
    native_bytes_endian(bytes, info, pixel.little_endian || pixel.vr == VR::OB)
}

/// Where native frame `index` lies in the Pixel Data value, in bytes (for
/// 1-bit data, from the byte that holds its first bit; YBR_FULL_422, two
/// bytes a pixel): what decoding the frame reads, and all it reads.
pub fn native_frame_range(info: &PixelInfo, index: u32) -> (u64, u64) {
    if is_ybr_422(info) {
        let size = info.pixels() * 2;
        return (size * u64::from(index), size * (u64::from(index) + 1));
    }
    let bits_before = u64::from(index) * info.pixels() * u64::from(info.samples) * u64::from(info.bits_allocated);
    if info.bits_allocated == 1 {
        (bits_before / 8, (bits_before + info.pixels()).div_ceil(8))
    } else {
        (bits_before / 8, bits_before / 8 + info.frame_bytes())
    }
}

fn is_ybr_422(info: &PixelInfo) -> bool {
    info.photometric == "YBR_FULL_422" && info.samples == 3 && info.bits_allocated == 8
}

/// The bytes of native frame `index` ([`native_frame_range`]).
fn native_frame<'s>(scan: &'s Scan, info: &PixelInfo, pixel: &Element, index: u32) -> Result<&'s [u8], PixelError> {
    let value = scan.value(pixel);
    let (start, end) = native_frame_range(info, index);
    if end > value.len() as u64 {
        return Err(PixelError::Corrupt(format!("frame {index} needs bytes {start}..{end}, the pixel data has {}", value.len())));
    }
    Ok(&value[start as usize..end as usize])
}

/// The bytes of native greyscale frame `index` of 8, 16 or 32 bits, and
/// whether its samples are little-endian, after [`decode_frame`]'s checks
/// in its order; `None` for other frames (encapsulated, colour, palette,
/// 1-bit).
fn native_gray_frame<'s>(scan: &'s Scan, info: &PixelInfo, index: u32) -> Option<Result<(&'s [u8], bool), PixelError>> {
    if info.samples != 1 || info.photometric == "PALETTE COLOR" || !matches!(info.bits_allocated, 8 | 16 | 32) {
        return None;
    }
    if let Err(e) = info.check_size() {
        return Some(Err(e));
    }
    if index >= info.frames {
        return Some(Err(PixelError::Attributes(format!("frame {index} of {}", info.frames))));
    }
    let Some(pixel) = scan.top_level(PIXEL_DATA) else { return Some(Err(PixelError::NoPixelData)) };
    if pixel.kind != Kind::Element {
        return None;
    }
    let little_endian = pixel.little_endian || pixel.vr == VR::OB;
    Some(native_frame(scan, info, pixel, index).map(|bytes| (&bytes[..info.pixels() as usize * usize::from(info.bits_allocated / 8)], little_endian)))
}

/// A native greyscale frame of 16-bit little-endian words.
pub struct NativeWords<'s> {
    pub bytes: &'s [u8],
    pub layout: Layout16,
    /// MONOCHROME1: grey inverted.
    pub invert: bool,
}

/// Native greyscale frame `index` as 16-bit little-endian words (most CT,
/// MR and CR), for the text scan to read straight from the bytes
/// (`text::detect_text_words`). `None` for any other frame.
pub fn native_words<'s>(scan: &'s Scan, info: &PixelInfo, index: u32) -> Option<Result<NativeWords<'s>, PixelError>> {
    let layout = Layout16::new(info.bits_stored, info.high_bit, info.signed).filter(|_| info.bits_allocated == 16)?;
    match native_gray_frame(scan, info, index)? {
        Ok((bytes, true)) => Some(Ok(NativeWords { bytes, layout, invert: info.photometric == "MONOCHROME1" })),
        Ok((_, false)) => None,
        Err(e) => Some(Err(e)),
    }
}

/// What [`decode_frame`] and then the full-range 8-bit rendering of the
/// text scan (`Viewer::gray8`) give together, for native greyscale frames
/// of 8, 16 or 32 bits, straight from the bytes: a pass for the range and
/// one for the mapping, without a frame of 32-bit values in between. `out`
/// is resized to the frame. `None` for other frames (encapsulated, colour,
/// palette, 1-bit): decode them. (16-bit little-endian frames, the most
/// common, the text scan reads as [`native_words`] first, mapped only where
/// its detector looks.)
pub fn native_gray8(scan: &Scan, info: &PixelInfo, index: u32, out: &mut Vec<u8>) -> Option<Result<(), PixelError>> {
    let (bytes, little_endian) = match native_gray_frame(scan, info, index)? {
        Ok(frame) => frame,
        Err(e) => return Some(Err(e)),
    };
    let n = info.pixels() as usize;
    out.clear();
    out.resize(n, 0);
    // Blocks of decoded values small enough to stay in the first-level
    // cache: one pass for the range, one to map, with the kernels' loops.
    const BLOCK: usize = 2048;
    let size = usize::from(info.bits_allocated / 8);
    let mut block = Vec::with_capacity(BLOCK);
    let (mut lo, mut hi) = (i32::MAX, i32::MIN);
    for chunk in bytes.chunks(BLOCK * size) {
        block.clear();
        decode_samples(chunk, info, little_endian, &mut block);
        if let Some((l, h)) = super::kernels::min_max(&block) {
            (lo, hi) = (lo.min(l), hi.max(h));
        }
    }
    for (chunk, o) in bytes.chunks(BLOCK * size).zip(out.chunks_mut(BLOCK)) {
        block.clear();
        decode_samples(chunk, info, little_endian, &mut block);
        super::kernels::to_gray8(&block, lo, hi, o);
    }
    if info.photometric == "MONOCHROME1" {
        out.iter_mut().for_each(|v| *v = 255 - *v);
    }
    Some(Ok(()))
}

/// A stored sample: Bits Stored bits ending at High Bit, sign-extended when
/// Pixel Representation says signed (PS3.5 8.1.1). `shift` is 32 − Bits Stored.
#[inline(always)]
fn stored(info: &PixelInfo, shift: u32, v: u32) -> i32 {
    let low = info.high_bit + 1 - info.bits_stored;
    let v = (v >> low) << shift;
    if info.signed { (v as i32) >> shift } else { (v >> shift) as i32 }
}

fn native_bytes(bytes: &[u8], info: &PixelInfo, little_endian: bool) -> Result<Frame, PixelError> {
    if (bytes.len() as u64) < info.frame_bytes() {
        return Err(PixelError::Corrupt("frame shorter than Rows × Columns × Samples".into()));
    }
    native_bytes_endian(bytes, info, little_endian)
}

fn native_bytes_endian(bytes: &[u8], info: &PixelInfo, little_endian: bool) -> Result<Frame, PixelError> {
    let samples = (info.pixels() * u64::from(info.samples)) as usize;
    let mut values = Vec::with_capacity(samples);
    if !matches!(info.bits_allocated, 8 | 16 | 32) {
        return Err(PixelError::Attributes(format!("{} bits allocated", info.bits_allocated)));
    }
    // 8-bit colour stored as it is (most ultrasound, camera and screen
    // images): the bytes are the colours, with no 32-bit values between.
    if info.samples == 3 && info.bits_allocated == 8 && info.bits_stored == 8 && info.high_bit == 7 && !info.signed {
        return Ok(rgb8(&bytes[..samples], info));
    }
    decode_samples(&bytes[..samples * usize::from(info.bits_allocated / 8)], info, little_endian, &mut values);
    colour(values, info)
}

/// [`colour`] of 8-bit samples that are their stored values: interleaved
/// RGB as it is, planes interleaved, YBR_FULL converted.
fn rgb8(bytes: &[u8], info: &PixelInfo) -> Frame {
    let n = info.pixels() as usize;
    let mut rgb: Vec<u8> = if info.planar {
        let (red, rest) = bytes.split_at(n);
        let (green, blue) = rest.split_at(n);
        red.iter().zip(green).zip(blue).flat_map(|((&r, &g), &b)| [r, g, b]).collect()
    } else {
        bytes.to_vec()
    };
    if info.photometric.starts_with("YBR_FULL") {
        for p in rgb.chunks_exact_mut(3) {
            let converted = ybr_to_rgb(p[0], p[1], p[2]);
            p.copy_from_slice(&converted);
        }
    }
    Frame::Rgb(rgb)
}

/// Appends the stored values of whole native samples of 8, 16 or 32 bits.
fn decode_samples(bytes: &[u8], info: &PixelInfo, little_endian: bool, values: &mut Vec<i32>) {
    let shift = 32 - u32::from(info.bits_stored);
    let sign = |v: u32| stored(info, shift, v);
    match info.bits_allocated {
        8 => values.extend(bytes.iter().map(|&b| sign(u32::from(b)))),
        16 => values.extend(bytes.chunks_exact(2).map(|c| sign(u32::from(if little_endian { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) })))),
        _ => values.extend(bytes.chunks_exact(4).map(|c| {
            let a = [c[0], c[1], c[2], c[3]];
            sign(if little_endian { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) })
        })),
    }
}

/// A PALETTE COLOR frame's indices through its red, green and blue tables
/// (indices below the first mapped take the first entry, above the last
/// the last), as interleaved 8-bit RGB.
fn palette_colours(indices: Vec<i32>, info: &PixelInfo) -> Result<Frame, PixelError> {
    let p = info.palette.as_ref().ok_or_else(|| PixelError::Unsupported("PALETTE COLOR without usable lookup tables".into()))?;
    let pick = |t: &[u8], v: i32| t[((v - p.first_mapped).max(0) as usize).min(t.len() - 1)];
    let mut rgb = Vec::with_capacity(indices.len() * 3);
    for v in indices {
        rgb.extend_from_slice(&[pick(&p.red, v), pick(&p.green, v), pick(&p.blue, v)]);
    }
    Ok(Frame::Rgb(rgb))
}

/// Greyscale (and palette indices) stay stored values; colour becomes
/// interleaved 8-bit RGB.
fn colour(values: Vec<i32>, info: &PixelInfo) -> Result<Frame, PixelError> {
    if info.samples == 1 {
        return Ok(Frame::Gray(values));
    }
    let n = info.pixels() as usize;
    let at = |p: usize, s: usize| if info.planar { values[s * n + p] } else { values[p * 3 + s] };
    let to8 = |v: i32| if info.bits_stored > 8 { (v >> (info.bits_stored - 8)).clamp(0, 255) as u8 } else { v.clamp(0, 255) as u8 };
    let ybr = info.photometric.starts_with("YBR_FULL");
    let mut rgb = Vec::with_capacity(n * 3);
    for p in 0..n {
        let (a, b, c) = (to8(at(p, 0)), to8(at(p, 1)), to8(at(p, 2)));
        if ybr {
            rgb.extend_from_slice(&ybr_to_rgb(a, b, c));
        } else {
            rgb.extend_from_slice(&[a, b, c]);
        }
    }
    Ok(Frame::Rgb(rgb))
}

/// Native YBR_FULL_422 (PS3.3 C.7.6.3.1.2): Y1 Y2 Cb Cr for each pair of pixels.
/// `bytes` is one frame's ([`native_frame`]).
fn ybr_422(bytes: &[u8], info: &PixelInfo) -> Frame {
    let n = info.pixels() as usize;
    let mut rgb = Vec::with_capacity(n * 3);
    for q in bytes.chunks_exact(4) {
        rgb.extend_from_slice(&ybr_to_rgb(q[0], q[2], q[3]));
        rgb.extend_from_slice(&ybr_to_rgb(q[1], q[2], q[3]));
    }
    rgb.resize(n * 3, 0);
    Frame::Rgb(rgb)
}

/// YBR_FULL to RGB (PS3.3 C.7.6.3.1.2, ITU-R BT.601 full range).
pub fn ybr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (f32::from(y), f32::from(cb) - 128.0, f32::from(cr) - 128.0);
    let c = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    [c(y + 1.402 * cr), c(y - 0.344_136 * cb - 0.714_136 * cr), c(y + 1.772 * cb)]
}

/// RLE Lossless (PS3.5 G.3): a 64-byte header of segment offsets, each
/// segment a PackBits run of one byte plane, most significant first.
fn rle(data: &[u8], info: &PixelInfo) -> Result<Frame, PixelError> {
    if data.len() < 64 {
        return Err(PixelError::Corrupt("RLE header shorter than 64 bytes".into()));
    }
    let word = |i: usize| u32::from_le_bytes([data[i * 4], data[i * 4 + 1], data[i * 4 + 2], data[i * 4 + 3]]) as usize;
    let segments = word(0);
    let bytes_per_sample = usize::from(info.bits_allocated / 8).max(1);
    if segments != usize::from(info.samples) * bytes_per_sample || segments > 15 {
        return Err(PixelError::Corrupt(format!("{segments} RLE segments for {} sample(s) of {} bits", info.samples, info.bits_allocated)));
    }
    let n = info.pixels() as usize;
    let mut planes = vec![0u8; n * segments];
    for s in 0..segments {
        let start = word(s + 1);
        let end = if s + 1 < segments { word(s + 2) } else { data.len() };
        let segment = data.get(start..end.min(data.len())).ok_or_else(|| PixelError::Corrupt(format!("RLE segment {s} outside the frame")))?;
        packbits(segment, &mut planes[s * n..(s + 1) * n]);
    }
    // Reassemble samples: segment order is sample-major, byte MSB first.
    let mut native = vec![0u8; n * segments];
    for sample in 0..usize::from(info.samples) {
        for byte in 0..bytes_per_sample {
            let plane = &planes[(sample * bytes_per_sample + byte) * n..][..n];
            let le_byte = bytes_per_sample - 1 - byte;
            for (p, &v) in plane.iter().enumerate() {
                // Interleaved little-endian layout (planar for colour, as RLE is).
                native[((sample * n + p) * bytes_per_sample) + le_byte] = v;
            }
        }
    }
    let planar = PixelInfo { planar: info.samples == 3, ..info.clone() };
    native_bytes_endian(&native, &planar, true)
}

/// PackBits decoding into a fixed-size output (extra input is ignored,
/// missing output stays zero).
fn packbits(input: &[u8], out: &mut [u8]) {
    let (mut i, mut o) = (0, 0);
    while i < input.len() && o < out.len() {
        let n = input[i] as i8;
        i += 1;
        if n >= 0 {
            let count = (n as usize + 1).min(out.len() - o).min(input.len().saturating_sub(i));
            out[o..o + count].copy_from_slice(&input[i..i + count]);
            i += n as usize + 1;
            o += count;
        } else if n != -128 {
            let count = ((1 - n as isize) as usize).min(out.len() - o);
            if let Some(&b) = input.get(i) {
                out[o..o + count].fill(b);
            }
            i += 1;
            o += count;
        }
    }
}

fn jpeg(data: &[u8], info: &PixelInfo) -> Result<Frame, PixelError> {
    let mut decoder = jpeg_decoder::Decoder::new(data);
    decoder.set_max_decoding_buffer_size((MAX_FRAME_SAMPLES * 2) as usize);
    let pixels = decoder.decode().map_err(|e| match e {
        // 12-bit JPEG (process 4): the decoder of this crate, below.
        jpeg_decoder::Error::Unsupported(jpeg_decoder::UnsupportedFeature::SamplePrecision(12)) => None,
        // A feature the decoder lacks is not damage.
        jpeg_decoder::Error::Unsupported(feature) => Some(PixelError::Unsupported(match feature {
            jpeg_decoder::UnsupportedFeature::SamplePrecision(bits) => format!("{bits}-bit JPEG"),
            jpeg_decoder::UnsupportedFeature::ArithmeticEntropyCoding => "arithmetic-coded JPEG".into(),
            jpeg_decoder::UnsupportedFeature::Hierarchical => "hierarchical JPEG".into(),
            other => format!("JPEG with {other:?}"),
        })),
        e => Some(PixelError::Corrupt(format!("JPEG: {e}"))),
    });
    let pixels = match pixels {
        Ok(pixels) => pixels,
        Err(None) => return jpeg12(data, info),
        Err(Some(e)) => return Err(e),
    };
    let meta = decoder.info().ok_or_else(|| PixelError::Corrupt("JPEG without a frame header".into()))?;
    if u32::from(meta.width) != info.columns || u32::from(meta.height) != info.rows {
        return Err(PixelError::Corrupt(format!("JPEG is {}×{}, the attributes say {}×{}", meta.width, meta.height, info.columns, info.rows)));
    }
    match meta.pixel_format {
        jpeg_decoder::PixelFormat::L8 => Ok(Frame::Gray(pixels.iter().map(|&b| signed(u32::from(b), info)).collect())),
        jpeg_decoder::PixelFormat::L16 => Ok(Frame::Gray(pixels.chunks_exact(2).map(|c| signed(u32::from(u16::from_ne_bytes([c[0], c[1]])), info)).collect())),
        jpeg_decoder::PixelFormat::RGB24 => Ok(Frame::Rgb(pixels)),
        jpeg_decoder::PixelFormat::CMYK32 => Err(PixelError::Unsupported("CMYK JPEG".into())),
    }
}

/// 12-bit JPEG (extended sequential, process 4) through [`super::jpeg12`]:
/// greyscale, its samples the stored values.
fn jpeg12(data: &[u8], info: &PixelInfo) -> Result<Frame, PixelError> {
    if u64::from(info.columns) * u64::from(info.rows) > MAX_FRAME_SAMPLES {
        return Err(PixelError::Attributes(format!("a {}×{} frame is larger than this inspector decodes", info.columns, info.rows)));
    }
    let image = super::jpeg12::decode(data, info.columns, info.rows).map_err(|e| match e {
        super::jpeg12::Error::Unsupported(what) => PixelError::Unsupported(what),
        super::jpeg12::Error::Corrupt(what) => PixelError::Corrupt(format!("JPEG: {what}")),
    })?;
    Ok(Frame::Gray(image.samples.iter().map(|&v| signed(u32::from(v), info)).collect()))
}

/// JPEG-LS, lossless and near-lossless, through `pure_jpegls`: greyscale
/// (one component, as the crate decodes); colour JPEG-LS is reported as
/// not decoded.
fn jpeg_ls(data: &[u8], info: &PixelInfo) -> Result<Frame, PixelError> {
    if info.samples != 1 {
        return Err(PixelError::Unsupported("colour JPEG-LS".into()));
    }
    let (pixels, _, _) = jpegls::decode(data, info.columns, info.rows).map_err(|e| match e {
        jpegls::CodecError::Unsupported(what) => PixelError::Unsupported(format!("JPEG-LS with {what}")),
        e => PixelError::Corrupt(format!("JPEG-LS: {e}")),
    })?;
    Ok(Frame::Gray(pixels.iter().map(|&v| signed(u32::from(v), info)).collect()))
}

/// JPEG 2000 through `hayro-jpeg2000`, which yields 8-bit samples: shown
/// as display-ready RGB (the stored values of deeper images are not kept,
/// so the window does not apply).
fn jpeg2000(data: &[u8], info: &PixelInfo) -> Result<Frame, PixelError> {
    let image = hayro_jpeg2000::Image::new(data, &hayro_jpeg2000::DecodeSettings::default()).map_err(|e| PixelError::Corrupt(format!("JPEG 2000: {e:?}")))?;
    if image.width() != info.columns || image.height() != info.rows {
        return Err(PixelError::Corrupt(format!("JPEG 2000 is {}×{}, the attributes say {}×{}", image.width(), image.height(), info.columns, info.rows)));
    }
    let channels = usize::from(image.color_space().num_channels()) + usize::from(image.has_alpha());
    let pixels = image.decode().map_err(|e| PixelError::Corrupt(format!("JPEG 2000: {e:?}")))?;
    let rgb = match channels {
        1 => pixels.iter().flat_map(|&g| [g, g, g]).collect(),
        3 => pixels,
        n if n > 3 => pixels.chunks_exact(n).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        _ => return Err(PixelError::Unsupported(format!("JPEG 2000 with {channels} channels"))),
    };
    Ok(Frame::Rgb(rgb))
}

/// Sign-extends a decoded sample of Bits Stored bits when Pixel Representation is 1.
fn signed(v: u32, info: &PixelInfo) -> i32 {
    let bits = u32::from(info.bits_stored.min(32));
    if info.signed && bits < 32 && v >> (bits - 1) & 1 == 1 {
        (v as i64 - (1i64 << bits)) as i32
    } else {
        v as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// 8-bit colour straight from its bytes gives the colours that
        /// decoding each sample to a value gives: interleaved and planar,
        /// RGB and YBR_FULL (and YBR_FULL_422 where it reaches this far,
        /// deflated or encapsulated uncompressed).
        #[test]
        fn eight_bit_colour_from_its_bytes_equals_its_values(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 3 * 12), planar: bool, photometric in 0usize..3) {
            let info = PixelInfo {
                rows: 3,
                columns: 4,
                samples: 3,
                bits_allocated: 8,
                bits_stored: 8,
                high_bit: 7,
                signed: false,
                planar,
                photometric: ["RGB", "YBR_FULL", "YBR_FULL_422"][photometric].into(),
                frames: 1,
                rescale_slope: 1.0,
                rescale_intercept: 0.0,
                windows: Vec::new(),
                voi_function: "LINEAR".into(),
                palette: None,
                modality_lut: None,
                voi_luts: Vec::new(),
            };
            let mut values = Vec::new();
            decode_samples(&bytes, &info, true, &mut values);
            proptest::prop_assert_eq!(native_bytes_endian(&bytes, &info, true).unwrap(), colour(values, &info).unwrap());
        }
    }

    #[test]
    fn packbits_runs_and_literals() {
        let mut out = [0u8; 8];
        packbits(&[2, b'a', b'b', b'c', 0xFD, b'z', 0x80], &mut out);
        assert_eq!(&out, b"abczzzz\0");
    }

    #[test]
    fn ybr_grey_stays_grey() {
        assert_eq!(ybr_to_rgb(100, 128, 128), [100, 100, 100]);
    }

    /// Native YBR_FULL_422 frames are read at two bytes a pixel: the second
    /// of two 2×2 frames decodes from its own bytes, and a frame past the
    /// value is an error.
    #[test]
    fn ybr_422_frames_come_from_their_range() {
        let file = |value: &[u8]| {
            let mut w = crate::demo::Writer::explicit_le();
            w.us(0x0028, 0x0002, &[3]).text(0x0028, 0x0004, "CS", "YBR_FULL_422").us(0x0028, 0x0006, &[0]).text(0x0028, 0x0008, "IS", "2");
            w.us(0x0028, 0x0010, &[2]).us(0x0028, 0x0011, &[2]).us(0x0028, 0x0100, &[8]).us(0x0028, 0x0101, &[8]).us(0x0028, 0x0102, &[7]).us(0x0028, 0x0103, &[0]);
            w.raw(0x7FE0, 0x0010, "OB", value, 0);
            crate::demo::part10(&w.bytes, "1.2.840.10008.1.2.1", "1.2.840.10008.5.1.4.1.1.7", "1.2.3")
        };
        // Frame 0 black, frame 1 grey 100 (Y1 Y2 Cb Cr, neutral chroma).
        let bytes = file(&[0, 0, 128, 128, 0, 0, 128, 128, 100, 100, 128, 128, 100, 100, 128, 128]);
        let scan = crate::scan::scan(&bytes, &crate::Options::default());
        let info = pixel_info(&scan).expect("pixel attributes");
        assert_eq!(native_frame_range(&info, 1), (8, 16));
        match decode_frame(&scan, &info, 1) {
            Ok(Frame::Rgb(rgb)) => assert_eq!(rgb, [100; 12]),
            other => panic!("{other:?}"),
        }
        let short = file(&[0, 0, 128, 128, 0, 0, 128, 128, 100, 100, 128, 128]);
        let scan = crate::scan::scan(&short, &crate::Options::default());
        let info = pixel_info(&scan).expect("pixel attributes");
        assert!(matches!(decode_frame(&scan, &info, 1), Err(PixelError::Corrupt(_))));
    }
}
