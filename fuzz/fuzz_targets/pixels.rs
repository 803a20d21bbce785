//! The pixel decoders and the viewer: a pixel description from the first
//! bytes, the rest as native or encapsulated (RLE, JPEG, JPEG 2000, JPEG-LS)
//! pixel data; for PALETTE COLOR, segmented lookup tables before it.
#![no_main]

use dicom_inspector::demo::{part10, Writer};
use dicom_inspector::pixels::render::{scan_text, Viewer};
use dicom_inspector::scan::scan;
use dicom_inspector::Options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (head, body) = data.split_at(8);
    let rows = u16::from(head[0] % 64) + 1;
    let columns = u16::from(head[1] % 64) + 1;
    let bits = [1u16, 8, 16, 32][usize::from(head[2] % 4)];
    let samples = if head[3] & 1 == 1 { 3 } else { 1 };
    let photometric = ["MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422", "PALETTE COLOR"][usize::from(head[4] % 6)];
    let frames = (head[5] % 4 + 1).to_string();
    let encoding = head[6] % 5;
    let mut w = Writer::explicit_le();
    w.us(0x0028, 0x0002, &[samples])
        .text(0x0028, 0x0004, "CS", photometric)
        .us(0x0028, 0x0006, &[u16::from(head[7] & 1)])
        .text(0x0028, 0x0008, "IS", &frames)
        .us(0x0028, 0x0010, &[rows])
        .us(0x0028, 0x0011, &[columns])
        .us(0x0028, 0x0100, &[bits])
        .us(0x0028, 0x0101, &[bits.min(u16::from(head[7] >> 2) + 1)])
        .us(0x0028, 0x0102, &[bits.min(u16::from(head[7] >> 2) + 1) - 1])
        .us(0x0028, 0x0103, &[u16::from(head[7] >> 1 & 1)]);
    // A palette image's tables, segmented (PS3.3 C.7.9.2): the body's first half.
    let body = if photometric == "PALETTE COLOR" {
        let (tables, rest) = body.split_at(body.len() / 2 & !1);
        for descriptor in 0x1101..=0x1103 {
            w.us(0x0028, descriptor, &[u16::from(head[5]) << 4, 0, 16]);
        }
        for data in 0x1221..=0x1223 {
            w.raw(0x0028, data, "OW", tables, 0);
        }
        rest
    } else {
        body
    };
    let ts = match encoding {
        0 => {
            w.raw(0x7FE0, 0x0010, "OB", body, 0);
            "1.2.840.10008.1.2.1"
        }
        1 => {
            w.encapsulated(&[], &[body]);
            "1.2.840.10008.1.2.5"
        }
        2 => {
            w.encapsulated(&[], &[body]);
            "1.2.840.10008.1.2.4.50"
        }
        3 => {
            w.encapsulated(&[], &[body]);
            "1.2.840.10008.1.2.4.90"
        }
        _ => {
            w.encapsulated(&[], &[body]);
            "1.2.840.10008.1.2.4.80"
        }
    };
    let file = part10(&w.bytes, ts, "1.2.840.10008.5.1.4.1.1.7", "2.25.1");
    let s = scan(&file, &Options::default());
    if let Ok(mut viewer) = Viewer::new(&s) {
        viewer.render(100.0, 200.0);
        assert_eq!(viewer.rgba.len(), usize::from(rows) * usize::from(columns) * 4);
    }
    let _ = scan_text(&s);
});
