//! A small JPEG encoder for the demo files and the tests: greyscale, the
//! sequential DCT process (8-bit baseline or 12-bit extended), fixed
//! Huffman codes. The inspector decodes JPEG; it writes it only to make
//! files a reader can check without the corpus (`ct-jpeg-12bit.dcm`).

use crate::pixels::jpeg12::{basis, ZIGZAG};

/// Entropy-coded bits as an encoder writes them: a 0xFF byte stuffed
/// with 0x00, the last byte padded with ones.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    acc: u32,
    count: u32,
}

impl BitWriter {
    fn put(&mut self, v: u32, n: u32) {
        for i in (0..n).rev() {
            self.acc = self.acc << 1 | (v >> i & 1);
            self.count += 1;
            if self.count == 8 {
                self.bytes.push(self.acc as u8);
                if self.acc == 0xFF {
                    self.bytes.push(0);
                }
                (self.acc, self.count) = (0, 0);
            }
        }
    }

    fn flush(&mut self) {
        while self.count != 0 {
            self.put(1, 1);
        }
    }
}

/// A value's magnitude category and its bits (T.81 F.1.2.1).
fn category(v: i32) -> (u32, u32) {
    let s = 32 - v.unsigned_abs().leading_zeros();
    (s, if v < 0 { (v - 1) as u32 & ((1 << s) - 1) } else { v as u32 })
}

/// A greyscale JPEG of the sequential DCT process whose blocks hold
/// `blocks` (quantised coefficients in zig-zag order, left to right, top
/// to bottom): `precision` 12 writes process 4 (SOF1, a 16-bit
/// quantisation table), 8 a baseline JPEG (SOF0). Its Huffman tables give
/// every symbol an 8-bit code equal to the symbol (0xFF aside, never
/// needed), so the encoder needs no code table: the stream is longer than
/// an optimised one, and exactly what T.81 decodes.
pub fn encode_blocks(precision: u8, width: u16, height: u16, q: &[u16; 64], blocks: &[[i32; 64]], restart_interval: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    if precision == 8 {
        out.extend([0xFF, 0xDB, 0, 67, 0x00]);
        out.extend(q.iter().map(|&v| v as u8));
    } else {
        out.extend([0xFF, 0xDB, 0, 131, 0x10]);
        out.extend(q.iter().flat_map(|v| v.to_be_bytes()));
    }
    let mut counts = [0u8; 16];
    counts[7] = 16;
    out.extend([0xFF, 0xC4, 0, 3 + 16 + 16, 0x00]);
    out.extend(counts);
    out.extend(0..16u8);
    counts[7] = 255;
    out.extend([0xFF, 0xC4, 1, 18, 0x10]);
    out.extend(counts);
    out.extend(0..255u8);
    out.extend([0xFF, if precision == 8 { 0xC0 } else { 0xC1 }, 0, 11, precision]);
    out.extend(height.to_be_bytes());
    out.extend(width.to_be_bytes());
    out.extend([1, 1, 0x11, 0]);
    if restart_interval > 0 {
        out.extend([0xFF, 0xDD, 0, 4]);
        out.extend(restart_interval.to_be_bytes());
    }
    out.extend([0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0]);
    let mut bits = BitWriter::default();
    let mut predictor = 0;
    for (i, block) in blocks.iter().enumerate() {
        if restart_interval > 0 && i > 0 && i % usize::from(restart_interval) == 0 {
            bits.flush();
            bits.bytes.extend([0xFF, 0xD0 + ((i / usize::from(restart_interval) - 1) % 8) as u8]);
            predictor = 0;
        }
        let (s, v) = category(block[0] - predictor);
        predictor = block[0];
        bits.put(s, 8);
        bits.put(v, s);
        let mut run = 0;
        for &c in &block[1..] {
            if c == 0 {
                run += 1;
                continue;
            }
            while run > 15 {
                bits.put(0xF0, 8);
                run -= 16;
            }
            let (s, v) = category(c);
            bits.put(run << 4 | s, 8);
            bits.put(v, s);
            run = 0;
        }
        if run > 0 {
            bits.put(0x00, 8);
        }
    }
    bits.flush();
    out.extend(bits.bytes);
    out.extend([0xFF, 0xD9]);
    out
}

/// A frame of `precision`-bit samples as a JPEG: level shift, the forward
/// DCT of each 8×8 block (T.81 A.3.3, in f64; edge blocks repeat their last
/// column and row), quantisation by `q` (zig-zag order) and [`encode_blocks`].
pub fn encode(samples: &[u16], width: u16, height: u16, precision: u8, q: &[u16; 64]) -> Vec<u8> {
    let (w, h) = (usize::from(width), usize::from(height));
    let shift = f64::from(1u32 << (precision - 1));
    let basis = basis();
    let mut blocks = Vec::new();
    for by in (0..h).step_by(8) {
        for bx in (0..w).step_by(8) {
            let f = |x: usize, y: usize| f64::from(samples[(by + y).min(h - 1) * w + (bx + x).min(w - 1)]) - shift;
            let mut block = [0i32; 64];
            for (k, &at) in ZIGZAG.iter().enumerate() {
                let (v, u) = (usize::from(at) / 8, usize::from(at) % 8);
                let mut sum = 0.0;
                for y in 0..8 {
                    for x in 0..8 {
                        sum += f(x, y) * basis[x][u] * basis[y][v];
                    }
                }
                block[k] = (sum / f64::from(q[k])).round() as i32;
            }
            blocks.push(block);
        }
    }
    encode_blocks(precision, width, height, q, &blocks, 0)
}
