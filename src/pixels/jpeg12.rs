//! 12-bit JPEG: the extended sequential DCT process with Huffman coding
//! (ITU-T T.81, process 4), DICOM's JPEG Extended (1.2.840.10008.1.2.4.51)
//! as CT, MR and X-ray angiography archives hold it. `jpeg-decoder` reads
//! 8-bit samples only and no well-kept pure-Rust crate reads 12-bit ones, so
//! this module does, for greyscale frames (one component: what 12-bit
//! medical JPEG is); colour 12-bit JPEG is reported as not decoded.
//!
//! Written from T.81: markers (DQT, DHT, SOF0/SOF1, DRI, SOS, RSTn), the
//! entropy-coded data with its stuffed bytes, read ahead 64 bits at a
//! time, Huffman decoding (F.2.2; codes of up to nine bits by one table
//! lookup), dequantisation and the inverse DCT (A.3.3) in f64, separable
//! and skipping zero coefficients, level shift and clamping to the sample
//! precision. Every length comes from the stream, so
//! every length is checked; a stream that ends early decodes as zeros for
//! at most a few bytes, then is an error.

/// Why a stream was not decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Valid JPEG this decoder does not read (colour, progressive, …).
    Unsupported(String),
    /// The stream is broken.
    Corrupt(String),
}

/// A decoded greyscale frame: `width × height` samples, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub precision: u8,
    pub samples: Vec<u16>,
}

/// The natural (row-major) position of the k-th coefficient in zig-zag order.
pub const ZIGZAG: [u8; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30,
    37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/// Bytes of zeros a scan may read past its data (the reader's look-ahead)
/// before the stream counts as cut short.
const OVERRUN_MAX: usize = 8;

fn corrupt(what: &str) -> Error {
    Error::Corrupt(what.to_owned())
}

/// Bits of code a Huffman table looks up at once: codes this long or
/// shorter (nearly all of a scan's) take one lookup instead of a step per
/// bit.
const LOOKUP_BITS: u32 = 9;

/// A Huffman table as T.81 F.2.2.3 decodes it: per code length, the largest
/// code, the first code and where its symbols start; and, for the codes of
/// at most LOOKUP_BITS bits, each code's symbol and length by the
/// LOOKUP_BITS bits that start with it (length 0: a longer code).
#[derive(Clone)]
struct Huffman {
    max_code: [i32; 17],
    min_code: [i32; 17],
    first_symbol: [usize; 17],
    symbols: Vec<u8>,
    lookup: Vec<(u8, u8)>,
}

impl Huffman {
    fn new(counts: &[u8; 16], symbols: &[u8]) -> Result<Huffman, Error> {
        let mut t = Huffman { max_code: [-1; 17], min_code: [0; 17], first_symbol: [0; 17], symbols: symbols.to_vec(), lookup: vec![(0, 0); 1 << LOOKUP_BITS] };
        let (mut code, mut k) = (0i32, 0usize);
        for length in 1..=16 {
            let n = usize::from(counts[length - 1]);
            t.first_symbol[length] = k;
            t.min_code[length] = code;
            if length as u32 <= LOOKUP_BITS {
                let spare = LOOKUP_BITS - length as u32;
                for (i, &symbol) in symbols.iter().enumerate().skip(k).take(n) {
                    let first = ((code as usize) + i - k) << spare;
                    if let Some(entries) = t.lookup.get_mut(first..first + (1 << spare)) {
                        entries.fill((symbol, length as u8));
                    }
                }
            }
            code += n as i32;
            k += n;
            if n > 0 {
                t.max_code[length] = code - 1;
            }
            if code > 1 << length {
                return Err(corrupt("a Huffman table has more codes than its lengths allow"));
            }
            code <<= 1;
        }
        Ok(t)
    }

    fn decode(&self, bits: &mut Bits) -> Result<u8, Error> {
        let ahead = bits.peek16();
        let (symbol, length) = self.lookup[(ahead >> (16 - LOOKUP_BITS)) as usize];
        if length > 0 {
            bits.consume(u32::from(length))?;
            return Ok(symbol);
        }
        for length in LOOKUP_BITS as usize + 1..=16 {
            let code = (ahead >> (16 - length)) as i32;
            if code <= self.max_code[length] {
                bits.consume(length as u32)?;
                return self.symbols.get(self.first_symbol[length] + (code - self.min_code[length]) as usize).copied().ok_or_else(|| corrupt("a Huffman table has fewer symbols than codes"));
            }
        }
        Err(corrupt("a Huffman code not in its table"))
    }
}

/// The entropy-coded data of a scan, read ahead into a 64-bit buffer: a
/// stuffed 0xFF00 is 0xFF, a marker ends the data (the reader then gives
/// zeros, at most OVERRUN_MAX bytes' worth that a decoder takes).
struct Bits<'a> {
    data: &'a [u8],
    /// The next byte to read ahead: at a marker, it stays there.
    at: usize,
    /// Bits read ahead, the next one at the top.
    ahead: u64,
    count: u32,
    /// How many of the bits ahead came from the data (the rest are zeros
    /// past its end).
    real: u32,
    /// Zero bits taken past the data's end.
    overrun: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Bits<'a> {
        Bits { data, at: 0, ahead: 0, count: 0, real: 0, overrun: 0 }
    }

    fn fill(&mut self) {
        while self.count <= 56 {
            let byte = match self.data.get(self.at..) {
                Some([0xFF, 0x00, ..]) => {
                    self.at += 2;
                    Some(0xFF)
                }
                Some([0xFF, ..]) | Some([]) | None => None,
                Some([b, ..]) => {
                    self.at += 1;
                    Some(*b)
                }
            };
            if let Some(b) = byte {
                self.real += 8;
                self.ahead |= u64::from(b) << (56 - self.count);
            }
            self.count += 8;
        }
    }

    /// The next sixteen bits, without taking them.
    fn peek16(&mut self) -> u32 {
        if self.count < 16 {
            self.fill();
        }
        (self.ahead >> 48) as u32
    }

    /// Takes `n` (at most 16) bits.
    fn consume(&mut self, n: u32) -> Result<(), Error> {
        if self.count < n {
            self.fill();
        }
        self.ahead <<= n;
        self.count -= n;
        if n > self.real {
            self.overrun += n - self.real;
            if self.overrun > 8 * OVERRUN_MAX as u32 {
                return Err(corrupt("the entropy-coded data ends before the last block"));
            }
        }
        self.real = self.real.saturating_sub(n);
        Ok(())
    }

    /// The next `n` (at most 16) bits as a number.
    fn bits(&mut self, n: u8) -> Result<u32, Error> {
        if n == 0 {
            return Ok(0);
        }
        let v = self.peek16() >> (16 - u32::from(n));
        self.consume(u32::from(n))?;
        Ok(v)
    }

    /// At a restart interval's end: the rest of the byte is padding, then
    /// comes an RSTn marker.
    fn restart(&mut self) -> Result<(), Error> {
        self.fill();
        let padding_only = self.real < 8;
        (self.ahead, self.count, self.real) = (0, 0, 0);
        match self.data.get(self.at..) {
            Some([0xFF, m, ..]) if padding_only && (0xD0..=0xD7).contains(m) => {
                self.at += 2;
                Ok(())
            }
            _ => Err(corrupt("a restart marker is missing")),
        }
    }
}

/// A `s`-bit magnitude category's value (T.81 F.2.2.1, EXTEND).
fn extend(v: u32, s: u8) -> i32 {
    if s == 0 {
        0
    } else if v < 1 << (s - 1) {
        v as i32 - (1 << s) + 1
    } else {
        v as i32
    }
}

/// The DCT's basis: `basis[x][u] = C(u)/2 · cos((2x+1)uπ/16)`, so that a
/// sample is `Σ basis[x][u]·basis[y][v]·F(v,u)` and a coefficient
/// `Σ basis[x][u]·basis[y][v]·f(y,x)` (T.81 A.3.3; the demo encoder's too).
pub(crate) fn basis() -> [[f64; 8]; 8] {
    let mut b = [[0.0; 8]; 8];
    for (x, row) in b.iter_mut().enumerate() {
        for (u, v) in row.iter_mut().enumerate() {
            let c = if u == 0 { std::f64::consts::FRAC_1_SQRT_2 } else { 1.0 };
            *v = c / 2.0 * (((2 * x + 1) * u) as f64 * std::f64::consts::PI / 16.0).cos();
        }
    }
    b
}

/// One block's samples from its dequantised coefficients (natural order),
/// level-shifted and clamped to `max`. `transposed[u][x]` is `basis[x][u]`.
fn inverse_dct(coefficients: &[f64; 64], basis: &[[f64; 8]; 8], transposed: &[[f64; 8]; 8], shift: f64, max: i32, out: &mut [u16; 64]) {
    if coefficients[1..].iter().all(|&c| c == 0.0) {
        // Only DC (most blocks of smooth images): one value.
        let v = ((coefficients[0] / 8.0 + shift + 0.5) as i32).clamp(0, max) as u16;
        out.fill(v);
        return;
    }
    // Rows of coefficients (v) to rows of samples in x, then columns, eight
    // samples at a time; zero coefficients (most of a block's high
    // frequencies) add nothing and are left out, and so are the rows they
    // leave all zero.
    let mut rows = [[0.0f64; 8]; 8];
    let mut used = [0usize; 8];
    let mut n = 0;
    for v in 0..8 {
        let mut row = [0.0f64; 8];
        let mut any = false;
        for (u, &c) in coefficients[v * 8..][..8].iter().enumerate() {
            if c != 0.0 {
                any = true;
                for (r, b) in row.iter_mut().zip(&transposed[u]) {
                    *r += b * c;
                }
            }
        }
        if any {
            (rows[n], used[n]) = (row, v);
            n += 1;
        }
    }
    for (y, samples) in out.chunks_exact_mut(8).enumerate() {
        let mut sum = [shift; 8];
        for (row, &v) in rows[..n].iter().zip(&used[..n]) {
            let b = basis[y][v];
            for (s, r) in sum.iter_mut().zip(row) {
                *s += b * r;
            }
        }
        for (sample, s) in samples.iter_mut().zip(sum) {
            // Rounded half up, then clamped (in integers: one conversion).
            *sample = ((s + 0.5) as i32).clamp(0, max) as u16;
        }
    }
}

/// Reads a marker segment's body: its two-byte length counts itself.
fn segment(data: &[u8]) -> Result<(&[u8], &[u8]), Error> {
    let length = usize::from(u16::from_be_bytes([*data.first().ok_or_else(|| corrupt("a marker segment is cut short"))?, *data.get(1).ok_or_else(|| corrupt("a marker segment is cut short"))?]));
    if length < 2 || length > data.len() {
        return Err(corrupt("a marker segment's length runs past the data"));
    }
    Ok((&data[2..length], &data[length..]))
}

/// Decodes a 12-bit (or, through the same path, 8-bit) greyscale JPEG of
/// the extended sequential process whose frame is `width × height`.
pub fn decode(data: &[u8], width: u32, height: u32) -> Result<Image, Error> {
    let mut rest = data.strip_prefix(&[0xFF, 0xD8]).ok_or_else(|| corrupt("no JPEG start-of-image marker"))?;
    let mut quant: [Option<[u16; 64]>; 4] = [None; 4];
    let mut dc: [Option<Huffman>; 4] = [None, None, None, None];
    let mut ac: [Option<Huffman>; 4] = [None, None, None, None];
    let mut frame: Option<FrameHeader> = None;
    let mut restart_interval = 0usize;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        let at = rest.iter().position(|&b| b != 0xFF).ok_or_else(|| corrupt("the JPEG ends without an image"))?;
        if at == 0 {
            // Bytes between segments (as IJG does, skip to the next marker).
            let next = rest.iter().position(|&b| b == 0xFF).ok_or_else(|| corrupt("the JPEG ends without an image"))?;
            rest = &rest[next..];
            continue;
        }
        let marker = rest[at];
        rest = &rest[at + 1..];
        match marker {
            0xDB => {
                let (mut body, next) = segment(rest)?;
                while let Some((&pq_tq, tail)) = body.split_first() {
                    let (wide, table) = (pq_tq >> 4, usize::from(pq_tq & 15));
                    let size = if wide == 1 { 128 } else { 64 };
                    if table > 3 || wide > 1 || tail.len() < size {
                        return Err(corrupt("a quantisation table is malformed"));
                    }
                    let mut q = [0u16; 64];
                    for (k, v) in q.iter_mut().enumerate() {
                        *v = if wide == 1 { u16::from_be_bytes([tail[2 * k], tail[2 * k + 1]]) } else { u16::from(tail[k]) };
                    }
                    quant[table] = Some(q);
                    body = &tail[size..];
                }
                rest = next;
            }
            0xC4 => {
                let (mut body, next) = segment(rest)?;
                while body.len() >= 17 {
                    let (class, table) = (body[0] >> 4, usize::from(body[0] & 15));
                    let counts: [u8; 16] = body[1..17].try_into().expect("16 counts");
                    let n: usize = counts.iter().map(|&c| usize::from(c)).sum();
                    if class > 1 || table > 3 || n > 256 || body.len() < 17 + n {
                        return Err(corrupt("a Huffman table is malformed"));
                    }
                    let h = Huffman::new(&counts, &body[17..17 + n])?;
                    if class == 0 { dc[table] = Some(h) } else { ac[table] = Some(h) }
                    body = &body[17 + n..];
                }
                rest = next;
            }
            0xC0 | 0xC1 => {
                let (body, next) = segment(rest)?;
                if body.len() < 6 {
                    return Err(corrupt("the frame header is cut short"));
                }
                let precision = body[0];
                let (rows, columns, components) = (u32::from(u16::from_be_bytes([body[1], body[2]])), u32::from(u16::from_be_bytes([body[3], body[4]])), body[5]);
                if components != 1 {
                    return Err(Error::Unsupported(format!("{precision}-bit JPEG with {components} components")));
                }
                if body.len() < 9 || !(precision == 8 || precision == 12) {
                    return Err(corrupt("the frame header is malformed"));
                }
                if rows == 0 {
                    return Err(Error::Unsupported("JPEG whose height comes after the first scan (DNL)".into()));
                }
                if (columns, rows) != (width, height) {
                    return Err(corrupt(&format!("the JPEG is {columns}×{rows}, the attributes say {width}×{height}")));
                }
                frame = Some(FrameHeader { precision, columns, rows, component: body[6], quantisation: usize::from(body[8] & 3) });
                rest = next;
            }
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err(Error::Unsupported(format!("JPEG coding process SOF{}", marker - 0xC0)));
            }
            0xDD => {
                let (body, next) = segment(rest)?;
                restart_interval = usize::from(u16::from_be_bytes([*body.first().unwrap_or(&0), *body.get(1).unwrap_or(&0)]));
                rest = next;
            }
            0xDA => {
                let (header, data) = segment(rest)?;
                let frame = frame.ok_or_else(|| corrupt("a scan before the frame header"))?;
                if header.first() != Some(&1) || header.len() < 3 || header[1] != frame.component {
                    return Err(corrupt("the scan's component is not the frame's"));
                }
                let (dc, ac) = (dc[usize::from(header[2] >> 4 & 3)].as_ref(), ac[usize::from(header[2] & 3)].as_ref());
                let (Some(dc), Some(ac), Some(q)) = (dc, ac, quant[frame.quantisation].as_ref()) else {
                    return Err(corrupt("the scan uses a table that was not defined"));
                };
                let samples = scan(data, dc, ac, q, &frame, restart_interval)?;
                return Ok(Image { width: frame.columns, height: frame.rows, precision: frame.precision, samples });
            }
            0xD9 => return Err(corrupt("the JPEG ends without a scan")),
            0xD0..=0xD8 | 0x01 => {}
            _ => rest = segment(rest)?.1,
        }
    }
}

/// What a frame header (SOF0/SOF1) says of the frame's single component.
#[derive(Debug, Clone, Copy)]
struct FrameHeader {
    precision: u8,
    columns: u32,
    rows: u32,
    /// The component's identifier, which its scan names.
    component: u8,
    /// Its quantisation table.
    quantisation: usize,
}

/// One scan of the frame's single component: blocks left to right, top to
/// bottom, the picture cropped from whole blocks.
fn scan(data: &[u8], dc: &Huffman, ac: &Huffman, q: &[u16; 64], frame: &FrameHeader, restart_interval: usize) -> Result<Vec<u16>, Error> {
    let (precision, columns, rows) = (frame.precision, frame.columns as usize, frame.rows as usize);
    let (across, down) = (columns.div_ceil(8), rows.div_ceil(8));
    // Each block takes at least two bits (a DC and an end-of-block code):
    // a frame larger than its data can hold is refused before its samples
    // are allocated (a few bytes cannot ask for hundreds of megabytes).
    if across * down > data.len().saturating_mul(4) {
        return Err(corrupt(&format!("{} bytes of entropy-coded data cannot hold {} blocks", data.len(), across * down)));
    }
    let mut out = vec![0u16; columns * rows];
    let mut bits = Bits::new(data);
    let basis = basis();
    let transposed: [[f64; 8]; 8] = std::array::from_fn(|u| std::array::from_fn(|x| basis[x][u]));
    let (shift, max) = (f64::from(1u32 << (precision - 1)), (1i32 << precision) - 1);
    let mut predictor = 0i32;
    let mut block = [0u16; 64];
    for index in 0..across * down {
        if restart_interval > 0 && index > 0 && index % restart_interval == 0 {
            bits.restart()?;
            predictor = 0;
        }
        let mut coefficients = [0.0f64; 64];
        let size = dc.decode(&mut bits)?;
        if size > 16 {
            return Err(corrupt("a DC difference longer than 16 bits"));
        }
        predictor = predictor.wrapping_add(extend(bits.bits(size)?, size));
        coefficients[0] = f64::from(predictor) * f64::from(q[0]);
        let mut k = 1;
        while k < 64 {
            let rs = ac.decode(&mut bits)?;
            let (run, size) = (usize::from(rs >> 4), rs & 15);
            if size == 0 {
                if run != 15 {
                    break;
                }
                k += 16;
                continue;
            }
            k += run;
            if k > 63 {
                return Err(corrupt("an AC coefficient past the block's 64"));
            }
            coefficients[usize::from(ZIGZAG[k])] = f64::from(extend(bits.bits(size)?, size)) * f64::from(q[k]);
            k += 1;
        }
        inverse_dct(&coefficients, &basis, &transposed, shift, max, &mut block);
        let (bx, by) = (index % across * 8, index / across * 8);
        for y in 0..8.min(rows - by) {
            let width = 8.min(columns - bx);
            out[(by + y) * columns + bx..][..width].copy_from_slice(&block[y * 8..y * 8 + width]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::demo::jpeg::encode_blocks;

    fn encode(width: u16, height: u16, q: &[u16; 64], blocks: &[[i32; 64]], restart_interval: u16) -> Vec<u8> {
        encode_blocks(12, width, height, q, blocks, restart_interval)
    }

    /// T.81 A.3.3 as written: each sample a double sum over the block.
    fn reference(width: usize, height: usize, q: &[u16; 64], blocks: &[[i32; 64]]) -> Vec<u16> {
        let across = width.div_ceil(8);
        let mut out = vec![0u16; width * height];
        for (i, block) in blocks.iter().enumerate() {
            let mut f = [0.0f64; 64];
            for k in 0..64 {
                f[usize::from(ZIGZAG[k])] = f64::from(block[k]) * f64::from(q[k]);
            }
            let c = |u: usize| if u == 0 { 1.0 / 2f64.sqrt() } else { 1.0 };
            for y in 0..8 {
                for x in 0..8 {
                    let (px, py) = (i % across * 8 + x, i / across * 8 + y);
                    if px >= width || py >= height {
                        continue;
                    }
                    let mut s = 0.0;
                    for v in 0..8 {
                        for u in 0..8 {
                            let angle = |p: usize, w: usize| (((2 * p + 1) * w) as f64 * std::f64::consts::PI / 16.0).cos();
                            s += c(u) * c(v) * f[v * 8 + u] * angle(x, u) * angle(y, v);
                        }
                    }
                    out[py * width + px] = (s / 4.0 + 2048.0).round().clamp(0.0, 4095.0) as u16;
                }
            }
        }
        out
    }

    fn sample_blocks() -> ([u16; 64], Vec<[i32; 64]>) {
        let mut q = [1u16; 64];
        q[0] = 2;
        q[1] = 3;
        q[40] = 5;
        let mut blocks = vec![[0i32; 64]; 6];
        for (block, dc) in blocks.iter_mut().zip([100, -50, 300, 0, 8000, -8000]) {
            block[0] = dc;
        }
        // Low frequencies, one past a 39-zero run (two ZRL codes), the
        // largest magnitudes (DC differences of 14 bits), samples beyond both
        // ends of the 12-bit range, and a block of DC only (the first).
        (blocks[1][1], blocks[1][2]) = (5, -3);
        blocks[2][40] = -7;
        (blocks[3][5], blocks[3][63]) = (1500, -1);
        (blocks[4][1], blocks[4][9]) = (-2047, 600);
        blocks[5][1] = -500;
        (q, blocks)
    }

    /// Six blocks, cropped to 20×13, equal T.81's inverse DCT written out,
    /// with and without restart intervals (every block, every two).
    #[test]
    fn decodes_what_the_test_encodes() {
        let (q, blocks) = sample_blocks();
        let expected = reference(20, 13, &q, &blocks);
        for restart in [0, 1, 2] {
            let image = decode(&encode(20, 13, &q, &blocks, restart), 20, 13).unwrap_or_else(|e| panic!("restart {restart}: {e:?}"));
            assert_eq!((image.width, image.height, image.precision), (20, 13, 12));
            let worst = image.samples.iter().zip(&expected).map(|(a, b)| a.abs_diff(*b)).max();
            assert_eq!(worst, Some(0), "restart {restart}");
            // A block of DC only (the first) is one flat value: 100 × 2 / 8 + 2048.
            assert!((0..8).all(|y| image.samples[y * 20..y * 20 + 8].iter().all(|&v| v == 2073)));
        }
        // The samples span the 12-bit range (clamped at both ends).
        let image = decode(&encode(20, 13, &q, &blocks, 0), 20, 13).unwrap();
        assert!(image.samples.contains(&0) && image.samples.contains(&4095) && image.samples.iter().any(|&v| v > 255 && v < 4095));
    }

    /// The same encoder's 8-bit baseline stream decodes here as
    /// `jpeg-decoder` decodes it (to within the two inverse DCTs'
    /// rounding), restart markers included: the test's encoder writes what
    /// another decoder reads, and this decoder reads it alike.
    #[test]
    fn eight_bit_streams_decode_as_jpeg_decoder_decodes_them() {
        let (q, mut blocks) = sample_blocks();
        for (block, dc) in blocks.iter_mut().zip([100, -50, 300, 0, 400, -400]) {
            block[0] = dc;
        }
        (blocks[3][5], blocks[4][1], blocks[5][1]) = (150, -200, -150);
        for restart in [0, 1, 2] {
            let stream = encode_blocks(8, 20, 13, &q, &blocks, restart);
            let ours = decode(&stream, 20, 13).unwrap();
            assert_eq!(ours.precision, 8);
            let mut theirs = jpeg_decoder::Decoder::new(stream.as_slice());
            let theirs = theirs.decode().unwrap();
            assert_eq!(theirs.len(), ours.samples.len());
            let worst = ours.samples.iter().zip(&theirs).map(|(&a, &b)| a.abs_diff(u16::from(b))).max();
            assert!(worst.is_some_and(|w| w <= 1), "restart {restart}: {worst:?}");
            assert!(ours.samples.contains(&0) && ours.samples.contains(&255), "both ends clamped");
        }
    }

    /// A frame header that asks for more blocks than the data can hold is
    /// refused before anything is allocated for it.
    #[test]
    fn a_small_stream_cannot_ask_for_a_large_frame() {
        let (q, blocks) = sample_blocks();
        let mut stream = encode(20, 13, &q, &blocks, 0);
        let sof = stream.windows(2).position(|w| w == [0xFF, 0xC1]).unwrap();
        stream[sof + 5..sof + 9].copy_from_slice(&[0x40, 0x00, 0x40, 0x00]);
        assert!(matches!(decode(&stream, 16384, 16384), Err(Error::Corrupt(m)) if m.contains("cannot hold 4194304 blocks")));
    }

    /// What it does not read, and broken streams: errors, never a panic.
    /// Codes of every length from 2 to 16 bits (the corpus's tables have
    /// them; the demo encoder's are all 8 bits) decode to their symbols,
    /// through the lookup up to LOOKUP_BITS and a step per length beyond,
    /// across stuffed bytes.
    #[test]
    fn huffman_codes_of_every_length_decode() {
        let mut counts = [0u8; 16];
        counts[1..].fill(1);
        let symbols: Vec<u8> = (10..25).collect();
        let table = Huffman::new(&counts, &symbols).unwrap();
        // The canonical codes (T.81 C.2): 00, 010, 0110, … 0111111111111110.
        let codes: Vec<(u32, u32)> = (2..=16).map(|length| ((1 << (length - 1)) - 2, length)).collect();
        let order: Vec<usize> = (0..15).chain((0..15).rev()).chain([14, 14, 14, 0, 14]).collect();
        let (mut bytes, mut acc, mut n) = (Vec::new(), 0u64, 0u32);
        for &i in &order {
            let (code, length) = codes[i];
            acc = acc << length | u64::from(code);
            n += length;
            while n >= 8 {
                n -= 8;
                let byte = (acc >> n) as u8;
                bytes.push(byte);
                if byte == 0xFF {
                    bytes.push(0);
                }
            }
        }
        if n > 0 {
            bytes.push(((acc << (8 - n)) as u8) | ((1u8 << (8 - n)) - 1));
        }
        assert!(bytes.windows(2).any(|w| w == [0xFF, 0]), "the stream has a stuffed byte");
        let mut bits = Bits::new(&bytes);
        for &i in &order {
            assert_eq!(table.decode(&mut bits).unwrap(), symbols[i]);
        }
    }

    #[test]
    fn says_what_it_cannot_read() {
        let (q, blocks) = sample_blocks();
        let good = encode(20, 13, &q, &blocks, 2);
        assert!(matches!(decode(&good, 16, 13), Err(Error::Corrupt(m)) if m.contains("20×13")));
        let sof = good.windows(2).position(|w| w == [0xFF, 0xC1]).unwrap();
        let mut progressive = good.clone();
        progressive[sof + 1] = 0xC2;
        assert!(matches!(decode(&progressive, 20, 13), Err(Error::Unsupported(_))));
        let mut colour = good.clone();
        colour[sof + 9] = 3;
        assert!(matches!(decode(&colour, 20, 13), Err(Error::Unsupported(m)) if m.contains("3 components")));
        // Cut anywhere: an error or (cut in the padding) the image, quickly.
        for cut in 0..good.len() {
            let _ = decode(&good[..cut], 20, 13);
        }
        let sos = good.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        assert!(matches!(decode(&good[..sos + 14], 20, 13), Err(Error::Corrupt(_))));
        // Every byte changed in turn: no panic.
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x5A;
            let _ = decode(&bad, 20, 13);
        }
    }
}
