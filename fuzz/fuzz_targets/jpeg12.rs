//! The 12-bit JPEG decoder on its own: a frame size from the first two
//! bytes, then either the rest as a whole stream (markers, tables, frame
//! header) or, when the first byte's top bit is set, the rest as the
//! entropy-coded data behind valid tables and headers (the demo encoder's,
//! with a restart interval when the second byte's top bit is set), so the
//! Huffman decoding, restarts and blocks are reached at once.
#![no_main]

use dicom_inspector::demo::jpeg::encode_blocks;
use dicom_inspector::pixels::jpeg12::decode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (width, height) = (u16::from(data[0] % 64) + 1, u16::from(data[1] % 64) + 1);
    let stream = if data[0] & 0x80 != 0 {
        let blocks = vec![[0i32; 64]; usize::from(width.div_ceil(8)) * usize::from(height.div_ceil(8))];
        let valid = encode_blocks(12, width, height, &[1; 64], &blocks, u16::from(data[1] >> 7));
        // Everything up to the end of the scan header, then the fuzzer's bytes.
        let sos = valid.windows(2).position(|w| w == [0xFF, 0xDA]).expect("a scan header");
        let mut stream = valid[..sos + 10].to_vec();
        stream.extend_from_slice(&data[2..]);
        stream
    } else {
        data[2..].to_vec()
    };
    if let Ok(image) = decode(&stream, u32::from(width), u32::from(height)) {
        assert_eq!(image.samples.len(), usize::from(width) * usize::from(height));
        assert!(image.samples.iter().all(|&v| u32::from(v) < 1 << image.precision));
    }
});
