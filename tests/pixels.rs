//! Pixels: decoded stored values equal pydicom's on every lossless corpus file
//! it decodes (native and RLE), the viewer renders the demo files, and
//! undecodable syntaxes say so.

mod common;

use std::process::Command;

use dicom_inspector::pixels::decode::{decode_frame, pixel_info, Frame, PixelError};
use dicom_inspector::pixels::render::Viewer;
use dicom_inspector::scan::scan;
use dicom_inspector::{demo, inspect_file, Options};

/// Syntaxes whose decoding is exact: native, deflated, RLE, JPEG lossless
/// (process 14 and SV1), JPEG-LS lossless and near-lossless (the decoder
/// of a near-lossless stream is specified to the sample, T.87) and JPEG
/// 2000 lossless (decoded to display pixels here, counted as such).
const LOSSLESS: [&str; 10] = [
    "1.2.840.10008.1.2",
    "1.2.840.10008.1.2.1",
    "1.2.840.10008.1.2.2",
    "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.5",
    "1.2.840.10008.1.2.4.57",
    "1.2.840.10008.1.2.4.70",
    "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.81",
    "1.2.840.10008.1.2.4.90",
];

#[test]
fn stored_values_equal_pydicom_on_lossless_corpus_files() {
    let Some(dir) = common::corpus_dir("pixel values against pydicom") else { return };
    if !common::python_has("pydicom, numpy", "pixel values against pydicom") {
        return;
    }
    let files: Vec<_> = common::manifest(&dir)
        .into_iter()
        .filter(|r| LOSSLESS.contains(&r.transfer_syntax_uid.as_str()) && !r.notes.contains("parsed only"))
        .map(|r| dir.join(r.path))
        .collect();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/pixel_reference.py");
    let out = Command::new("python3").arg(script).args(&files).output().expect("pydicom");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (mut compared, mut jpeg_ls, mut skipped, mut undecodable) = (0, 0, Vec::new(), Vec::new());
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[1].starts_with("SKIP") {
            skipped.push(format!("{}: {}", cols[0], cols[1]));
            continue;
        }
        let bytes = std::fs::read(cols[0]).expect("read");
        let s = scan(&bytes, &Options::default());
        let info = pixel_info(&s).unwrap_or_else(|e| panic!("{}: {e}", cols[0]));
        let values = match decode_frame(&s, &info, 0) {
            Ok(Frame::Gray(v)) => v,
            // JPEG 2000 is decoded to 8-bit display pixels, not stored values.
            Ok(Frame::Rgb(_)) if cols[0].contains("2k") || cols[0].contains("J2K") || s.encoding.uid.as_deref().is_some_and(|u| u.starts_with("1.2.840.10008.1.2.4.9")) => {
                undecodable.push(format!("{}: JPEG 2000, display only", cols[0]));
                continue;
            }
            Ok(Frame::Rgb(_)) => panic!("{}: decoded as colour", cols[0]),
            // No decoder here (JPEG-LS, JPEG 2000): the report says so.
            Err(e @ PixelError::Unsupported(_)) => {
                undecodable.push(format!("{}: {e}", cols[0]));
                continue;
            }
            // pydicom decoded it; we must too.
            Err(e) => panic!("{}: {e}", cols[0]),
        };
        let v: Vec<i64> = values.iter().map(|&x| i64::from(x)).collect();
        let n = v.len();
        let sum: i64 = v.iter().sum();
        let weighted: i64 = v.iter().enumerate().map(|(i, x)| x * (i as i64 % 7 + 1)).sum();
        let picks: Vec<String> = (0..64).map(|i| v[i * n / 64].to_string()).collect();
        assert_eq!(n.to_string(), cols[1], "{}: pixel count", cols[0]);
        assert_eq!((sum.to_string(), weighted.to_string()), (cols[2].to_owned(), cols[3].to_owned()), "{}: values differ", cols[0]);
        assert_eq!(picks.join(","), cols[4], "{}: sampled values", cols[0]);
        compared += 1;
        jpeg_ls += usize::from(s.encoding.uid.as_deref().is_some_and(|u| u == "1.2.840.10008.1.2.4.80" || u == "1.2.840.10008.1.2.4.81"));
    }
    println!("{compared} files decode exactly as pydicom ({jpeg_ls} JPEG-LS); {} skipped (colour, no pixels, or pydicom cannot decode); {} have no decoder here", skipped.len(), undecodable.len());
    assert!(undecodable.iter().all(|u| u.contains("JPEG-LS") || u.contains("JPEG 2000")), "{undecodable:?}");
    assert!(compared >= 90, "only {compared} files compared");
    // The corpus's greyscale JPEG-LS: lossless and near-lossless, 8 to 16 bits, signed, multi-frame, fragmented.
    assert!(jpeg_ls >= 11, "only {jpeg_ls} JPEG-LS files compared");
}

#[test]
fn demo_images_render_with_their_window() {
    let (_, _, bytes) = demo::files().remove(0);
    let s = scan(&bytes, &Options::default());
    let mut v = Viewer::new(&s).expect("viewer");
    assert_eq!((v.info.rows, v.info.columns), (256, 256));
    assert_eq!(v.window, (40.0, 400.0), "the file's first preset");
    v.render(40.0, 400.0);
    assert_eq!(v.rgba.len(), 256 * 256 * 4);
    // Air (-1000 HU) is black, soft tissue (~40 HU) mid-grey, the spine white.
    let px = |x: usize, y: usize| v.rgba[(y * 256 + x) * 4];
    assert_eq!(px(2, 2), 0);
    assert!((100..160).contains(&px(128, 100)), "tissue {}", px(128, 100));
    assert_eq!(px(128, 185), 255, "spine");
}

#[test]
fn overlays_are_composited_and_toggle() {
    let (_, _, bytes) = demo::files().into_iter().find(|(n, _, _)| *n == "phi-overlay.dcm").unwrap();
    let s = scan(&bytes, &Options::default());
    let mut v = Viewer::new(&s).unwrap();
    assert_eq!(v.overlays.len(), 1);
    v.render(40.0, 400.0);
    let at = (5 * 64 + 10) * 4;
    assert_eq!(&v.rgba[at..at + 4], &dicom_inspector::pixels::render::OVERLAY_RGBA);
    v.show_overlays = false;
    v.render(40.0, 400.0);
    assert_ne!(&v.rgba[at..at + 4], &dicom_inspector::pixels::render::OVERLAY_RGBA);
}

#[test]
fn report_says_what_it_cannot_decode() {
    let (_, _, bytes) = demo::files().into_iter().find(|(n, _, _)| *n == "sec-lossy-unflagged.dcm").unwrap();
    let r = inspect_file(&bytes, &Options::default());
    let p = r.pixels.expect("pixels report");
    assert!(!p.decodable);
    assert!(p.decode_error.is_some());
    assert!(r.findings.iter().any(|f| f.code.starts_with("integrity.pixel_data") || f.code == "transfer.undecodable"));
    let ct = inspect_file(&demo::files().remove(0).2, &Options::default());
    assert!(ct.pixels.unwrap().decodable);
}

/// Modality LUT Sequence and VOI LUT Sequence (PS3.3 C.11) against pydicom's
/// apply_modality_lut / apply_voi_lut on the corpus files that carry them.
#[test]
fn lut_sequences_match_pydicom() {
    let Some(dir) = common::corpus_dir("LUT sequences against pydicom") else { return };
    if !common::python_has("pydicom, numpy", "LUT sequences against pydicom") {
        return;
    }
    let script = r#"
import sys, numpy as np, pydicom
from pydicom.pixels import apply_modality_lut, apply_voi_lut
for name in sys.argv[1:]:
    ds = pydicom.dcmread(name)
    a = ds.pixel_array
    m = apply_modality_lut(a, ds).astype(np.int64).ravel()
    v = apply_voi_lut(a, ds, prefer_lut=True).astype(np.float64).ravel()
    print(name, int(m.sum()), ",".join(str(int(m[i * m.size // 64])) for i in range(64)), ",".join(str(float(v[i * v.size // 64])) for i in range(64)), sep="\t")
"#;
    let names: Vec<_> = ["pydicom-data/mlut_18.dcm", "pydicom-data/vlut_04.dcm"].iter().map(|p| dir.join(p)).collect();
    let out = Command::new("python3").arg("-c").arg(script).args(&names).output().expect("pydicom");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (mut with_modality_lut, mut with_voi_lut) = (0, 0);
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let bytes = std::fs::read(cols[0]).unwrap();
        let s = scan(&bytes, &Options::default());
        let info = pixel_info(&s).unwrap();
        with_modality_lut += usize::from(info.modality_lut.is_some());
        with_voi_lut += usize::from(!info.voi_luts.is_empty() && info.windows.is_empty());
        let Ok(Frame::Gray(values)) = decode_frame(&s, &info, 0) else { panic!("{}: not grey", cols[0]) };
        let n = values.len();
        let modality = |x: i32| info.modality_lut.as_ref().map_or((f64::from(x) * info.rescale_slope + info.rescale_intercept) as i64, |l| i64::from(l.lookup(x)));
        let sum: i64 = values.iter().map(|&x| modality(x)).sum();
        assert_eq!(sum.to_string(), cols[1], "{}: modality LUT output", cols[0]);
        let picks: Vec<String> = (0..64).map(|i| modality(values[i * n / 64]).to_string()).collect();
        assert_eq!(picks.join(","), cols[2], "{}", cols[0]);
        if let Some(lut) = info.voi_luts.first() {
            // Our rendering through the VOI LUT equals pydicom's VOI output scaled to 8 bits.
            let mut v = Viewer::new(&s).unwrap();
            v.render(0.0, 1.0);
            let theirs: Vec<f64> = cols[3].split(',').map(|x| x.parse().unwrap()).collect();
            for (i, t) in theirs.iter().enumerate() {
                let expected = (t / f64::from((1u32 << lut.bits) - 1) * 255.0).round() as u8;
                let ours = v.rgba[(i * n / 64) * 4];
                assert!(ours.abs_diff(expected) <= 1, "{}: pixel {}: {ours} vs {expected}", cols[0], i * n / 64);
            }
        }
    }
    assert_eq!((with_modality_lut, with_voi_lut), (1, 1), "each LUT path exercised once");
}

/// A JPEG-LS file the test makes with `pure_jpegls`' own encoder: `frames`
/// of `w × h` samples of `bits` stored bits (two's complement when
/// `signed`), one fragment each behind a Basic Offset Table.
fn jpeg_ls_file(frames: &[Vec<u16>], w: u32, h: u32, bits: u8, signed: bool, near: u8) -> Vec<u8> {
    let mut options = jpegls::EncodeOptions::default();
    options.near = near;
    options.precision = Some(bits);
    let mut streams: Vec<Vec<u8>> = Vec::new();
    for f in frames {
        let mut stream = Vec::new();
        jpegls::encode_with_options(f, w, h, &options, &mut stream).expect("encode");
        if stream.len() % 2 == 1 {
            stream.push(0);
        }
        streams.push(stream);
    }
    let mut offsets = vec![0u32];
    for s in &streams[..streams.len() - 1] {
        offsets.push(offsets.last().unwrap() + 8 + s.len() as u32);
    }
    let mut d = demo::Writer::explicit_le();
    d.grey_image(h as u16, w as u16, Some(frames.len() as u32), if bits > 8 { 16 } else { 8 }, u16::from(bits), signed);
    let fragments: Vec<&[u8]> = streams.iter().map(|s| s.as_slice()).collect();
    d.encapsulated(&offsets, &fragments);
    let syntax = if near == 0 { "1.2.840.10008.1.2.4.80" } else { "1.2.840.10008.1.2.4.81" };
    demo::part10(&d.bytes, syntax, "1.2.840.10008.5.1.4.1.1.7", "2.25.7")
}

/// JPEG-LS (lossless and near-lossless, unsigned and signed, multi-frame)
/// decodes to the values encoded, without the corpus; colour JPEG-LS, which
/// the decoder does not read, is reported as not decoded.
#[test]
fn jpeg_ls_decodes_to_the_encoded_values() {
    let (w, h) = (64u32, 48u32);
    let phantom = demo::phantom(64);
    let ct: Vec<u16> = phantom[..(w * h) as usize].iter().map(|&v| v.min(4095)).collect();
    let shifted: Vec<u16> = ct.iter().map(|&v| (v + 977) % 4096).collect();
    for near in [0u8, 3] {
        let file = jpeg_ls_file(&[ct.clone(), shifted.clone()], w, h, 12, false, near);
        let s = scan(&file, &Options::default());
        let info = pixel_info(&s).expect("pixel info");
        for (index, expected) in [&ct, &shifted].into_iter().enumerate() {
            let Ok(Frame::Gray(values)) = decode_frame(&s, &info, index as u32) else { panic!("near {near}: frame {index} not grey") };
            assert_eq!(values.len(), expected.len());
            let worst = values.iter().zip(expected).map(|(&v, &e)| (v - i32::from(e)).abs()).max().unwrap();
            assert!(worst <= i32::from(near), "near {near}, frame {index}: off by {worst}");
        }
        let r = inspect_file(&file, &Options::default());
        assert!(r.pixels.as_ref().is_some_and(|p| p.decodable), "near {near}: {:?}", r.pixels);
        assert!(!r.findings.iter().any(|f| f.code == "transfer.undecodable" || f.code.starts_with("integrity.pixel")), "near {near}: {:?}", r.findings);
    }
    // Signed 16-bit: the stored bit patterns sign-extended.
    let values: Vec<i16> = (0..(w * h) as i32).map(|i| (i * 37 % 4000 - 2000) as i16).collect();
    let file = jpeg_ls_file(&[values.iter().map(|&v| v as u16).collect()], w, h, 16, true, 0);
    let s = scan(&file, &Options::default());
    let Ok(Frame::Gray(decoded)) = decode_frame(&s, &pixel_info(&s).unwrap(), 0) else { panic!("signed frame not grey") };
    assert!(decoded.iter().zip(&values).all(|(&d, &v)| d == i32::from(v)));
    // Colour: said, not shown.
    let mut colour = jpeg_ls_file(std::slice::from_ref(&ct), w, h, 12, false, 0);
    let at = colour.windows(8).position(|x| x == [0x28, 0x00, 0x02, 0x00, b'U', b'S', 2, 0]).unwrap() + 8;
    colour[at] = 3;
    let r = inspect_file(&colour, &Options::default());
    assert!(r.pixels.as_ref().is_some_and(|p| !p.decodable && p.decode_error.as_deref().is_some_and(|e| e.contains("colour JPEG-LS"))), "{:?}", r.pixels);
    assert!(r.findings.iter().any(|f| f.code == "transfer.undecodable"));
    // The demo slice: the phantom, value for value.
    let (_, _, demo) = demo::files().into_iter().find(|(n, _, _)| *n == "ct-jpeg-ls.dcm").unwrap();
    let s = scan(&demo, &Options::default());
    let Ok(Frame::Gray(decoded)) = decode_frame(&s, &pixel_info(&s).unwrap(), 0) else { panic!("demo frame not grey") };
    assert_eq!(decoded, demo::phantom(128).into_iter().map(i32::from).collect::<Vec<_>>());
    // A damaged stream is an error in the report, not a panic.
    let mut damaged = jpeg_ls_file(&[ct], w, h, 12, false, 0);
    let len = damaged.len();
    damaged[len / 2..len - 20].iter_mut().for_each(|b| *b = 0xFF);
    let r = inspect_file(&damaged, &Options::default());
    assert!(r.pixels.as_ref().is_some_and(|p| !p.decodable), "{:?}", r.pixels);
}

/// A PALETTE COLOR image with segmented lookup tables (PS3.3 C.7.9.2), made
/// here: each table mixes discrete, linear and indirect segments, and the
/// decoded pixels are the expanded tables' entries (16-bit to 8).
#[test]
fn segmented_palette_decodes_to_its_expanded_tables() {
    let words = |w: &[u16]| w.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>();
    // Red: 0x0000, then a line to 0x4000 in 4 steps, then the first segment again.
    let red = words(&[0, 1, 0x0000, 1, 4, 0x4000, 2, 1, 0, 0]);
    // Green: discrete 0xFF00 ×2, a line down to 0x0000 in 2 steps, a flat line.
    let green = words(&[0, 2, 0xFF00, 0xFF00, 1, 2, 0x0000, 1, 2, 0x0000]);
    // Blue: all 0x8000.
    let blue = words(&[0, 1, 0x8000, 1, 5, 0x8000]);
    let mut w = demo::Writer::explicit_le();
    w.us(0x0028, 0x0002, &[1]).text(0x0028, 0x0004, "CS", "PALETTE COLOR");
    w.us(0x0028, 0x0010, &[1]).us(0x0028, 0x0011, &[6]).us(0x0028, 0x0100, &[8]).us(0x0028, 0x0101, &[8]).us(0x0028, 0x0102, &[7]).us(0x0028, 0x0103, &[0]);
    for descriptor in 0x1101..=0x1103 {
        w.us(0x0028, descriptor, &[6, 0, 16]);
    }
    w.raw(0x0028, 0x1221, "OW", &red, 0).raw(0x0028, 0x1222, "OW", &green, 0).raw(0x0028, 0x1223, "OW", &blue, 0);
    w.raw(0x7FE0, 0x0010, "OB", &[0, 1, 2, 3, 4, 5], 0);
    let bytes = demo::part10(&w.bytes, "1.2.840.10008.1.2.1", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.3");
    let s = scan(&bytes, &Options::default());
    let info = pixel_info(&s).unwrap();
    let Ok(Frame::Rgb(rgb)) = decode_frame(&s, &info, 0) else { panic!("not decoded to RGB") };
    let pixels: Vec<[u8; 3]> = rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    // Red 0x0000, 0x1000, 0x2000, 0x3000, 0x4000 and the indirect 0x0000 again;
    // green 0xFF00 ×2, 0x7F80, 0x0000 ×3; blue 0x8000 throughout.
    assert_eq!(pixels, [[0x00, 0xFF, 0x80], [0x10, 0xFF, 0x80], [0x20, 0x7F, 0x80], [0x30, 0x00, 0x80], [0x40, 0x00, 0x80], [0x00, 0x00, 0x80]]);
    let report = inspect_file(&bytes, &Options::default());
    assert!(report.pixels.is_some_and(|p| p.decodable), "the report says the pixels were decoded");
}

/// Segmented palettes on real files: two ultrasounds (one little, one big
/// endian) decode to the RGB that pydicom's apply_color_lut gives, to 8 bits.
#[test]
fn segmented_palettes_equal_pydicom() {
    let Some(dir) = common::corpus_dir("segmented palettes against pydicom") else { return };
    if !common::python_has("pydicom, numpy", "segmented palettes against pydicom") {
        return;
    }
    let script = r#"
import sys, numpy as np, pydicom
from pydicom.pixels import apply_color_lut
for name in sys.argv[1:]:
    ds = pydicom.dcmread(name)
    a = (apply_color_lut(ds.pixel_array, ds) >> 8).astype(np.int64).ravel()
    w = (np.arange(a.size) % 7) + 1
    print(name, a.size, int(a.sum()), int((a * w).sum()), sep="\t")
"#;
    let names: Vec<_> = ["pydicom-data/gdcm-US-ALOKA-16.dcm", "pydicom-data/gdcm-US-ALOKA-16_big.dcm"].iter().map(|p| dir.join(p)).collect();
    let out = Command::new("python3").arg("-c").arg(script).args(&names).output().expect("pydicom");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut compared = 0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let bytes = std::fs::read(cols[0]).unwrap();
        let s = scan(&bytes, &Options::default());
        let info = pixel_info(&s).unwrap();
        let Ok(Frame::Rgb(rgb)) = decode_frame(&s, &info, 0) else { panic!("{}: not decoded to RGB", cols[0]) };
        let sum: u64 = rgb.iter().map(|&v| u64::from(v)).sum();
        let weighted: u64 = rgb.iter().enumerate().map(|(i, &v)| u64::from(v) * (i as u64 % 7 + 1)).sum();
        assert_eq!([rgb.len().to_string(), sum.to_string(), weighted.to_string()], [cols[1], cols[2], cols[3]], "{}", cols[0]);
        compared += 1;
    }
    assert_eq!(compared, 2);
}

/// A JPEG the decoder cannot read is not damaged pixel data: a colour
/// 12-bit JPEG (process 4, SOF1 with three components; 12-bit frames are
/// decoded when greyscale) is reported as not decoded
/// (`transfer.undecodable`, info), not as an integrity fault.
#[test]
fn colour_twelve_bit_jpeg_is_undecodable_not_damaged() {
    // SOI; SOF1: 12-bit samples, 8×8, three components; EOI.
    let jpeg = [0xFF, 0xD8, 0xFF, 0xC1, 0, 17, 12, 0, 8, 0, 8, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 0xFF, 0xD9, 0];
    let mut w = demo::Writer::explicit_le();
    w.grey_image(8, 8, None, 16, 12, false);
    w.encapsulated(&[], &[&jpeg]);
    let bytes = demo::part10(&w.bytes, "1.2.840.10008.1.2.4.51", "1.2.840.10008.5.1.4.1.1.2", "1.2.3");
    let report = inspect_file(&bytes, &Options::default());
    let pixels = report.pixels.expect("pixels report");
    assert!(!pixels.decodable);
    assert_eq!(pixels.decode_error.as_deref(), Some("cannot decode 12-bit JPEG with 3 components in this inspector"));
    assert!(report.findings.iter().any(|f| f.code == "transfer.undecodable" && f.message.contains("12-bit JPEG")));
    assert!(!report.findings.iter().any(|f| f.code == "integrity.pixel_data"), "{:?}", report.findings);
}

/// 12-bit JPEG (process 4) on the corpus, against two independent
/// decoders: pydicom with pylibjpeg-libjpeg, and DCMTK's dcmdjpeg (IJG)
/// for the file libjpeg refuses. Lossy decoding is specified to within
/// the inverse DCT's rounding, so samples may differ by one grey level.
#[test]
fn twelve_bit_jpeg_matches_pydicom_and_dcmtk() {
    let Some(dir) = common::corpus_dir("12-bit JPEG against pydicom and DCMTK") else { return };
    if !common::python_has("pydicom, numpy, pylibjpeg", "12-bit JPEG against pydicom and DCMTK") {
        return;
    }
    let script = r#"
import sys, pydicom, numpy as np
for name in sys.argv[1:]:
    ds = pydicom.dcmread(name)
    a = ds.pixel_array
    for i, f in enumerate(a if int(ds.get("NumberOfFrames", 1) or 1) > 1 else [a]):
        print(name, i, ",".join(map(str, f.ravel().tolist())), sep="	")
"#;
    let scratch = std::env::temp_dir().join(format!("jpeg12-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut references = Vec::new();
    for name in ["pydicom/test_files/JPGExtended.dcm", "dicomParser/testImages/encapsulated/multi-frame/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm"] {
        references.push((dir.join(name), dir.join(name)));
    }
    // libjpeg refuses this one (a scan header IJG only warns about): DCMTK decompresses it.
    let lossy = dir.join("pydicom/test_files/JPEG-lossy.dcm");
    let decompressed = scratch.join("JPEG-lossy.dcm");
    let status = Command::new("dcmdjpeg").arg(&lossy).arg(&decompressed).status().expect("dcmdjpeg (DCMTK)");
    assert!(status.success());
    references.push((lossy, decompressed));
    let out = Command::new("python3").arg("-c").arg(script).args(references.iter().map(|(_, r)| r)).output().expect("pydicom");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut frames = 0;
    for line in stdout.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (ours_path, _) = references.iter().find(|(_, r)| r.to_str() == Some(cols[0])).unwrap();
        let theirs: Vec<i32> = cols[2].split(',').map(|v| v.parse().unwrap()).collect();
        let bytes = std::fs::read(ours_path).unwrap();
        let s = scan(&bytes, &Options::default());
        let info = pixel_info(&s).unwrap();
        let Ok(Frame::Gray(ours)) = decode_frame(&s, &info, cols[1].parse().unwrap()) else { panic!("{}: not decoded", ours_path.display()) };
        assert_eq!(ours.len(), theirs.len());
        let worst = ours.iter().zip(&theirs).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        let equal = ours.iter().zip(&theirs).filter(|(a, b)| a == b).count();
        eprintln!("{} frame {}: worst {worst}, {equal} of {} equal", ours_path.display(), cols[1], ours.len());
        assert!(worst <= 1, "{}: a sample {worst} levels off", ours_path.display());
        assert!(equal * 100 >= ours.len() * 95, "{}: {equal} of {} equal", ours_path.display(), ours.len());
        frames += 1;
    }
    std::fs::remove_dir_all(&scratch).ok();
    assert_eq!(frames, 4, "two single frames and a two-frame CT");
}

/// The demo's 12-bit JPEG, made by the project (no corpus needed): it
/// decodes close to the slice it was made from (lossy: within the
/// quantisation's error), and within one grey level of pydicom with
/// pylibjpeg-libjpeg, an independent decoder.
#[test]
fn demo_twelve_bit_jpeg_decodes_near_its_source_and_as_pydicom_does() {
    let (name, _, bytes) = demo::files().into_iter().find(|(n, _, _)| *n == "ct-jpeg-12bit.dcm").unwrap();
    let s = scan(&bytes, &Options::default());
    let info = pixel_info(&s).unwrap();
    let Ok(Frame::Gray(ours)) = decode_frame(&s, &info, 0) else { panic!("{name}: not decoded") };
    let source = demo::phantom(128);
    let errors: Vec<u32> = ours.iter().zip(&source).map(|(&a, &b)| a.abs_diff(i32::from(b))).collect();
    let mean = errors.iter().map(|&e| f64::from(e)).sum::<f64>() / errors.len() as f64;
    eprintln!("{name}: mean error {mean:.2}, worst {}", errors.iter().max().unwrap());
    assert!(mean < 2.0 && errors.iter().all(|&e| e < 40), "{name}: mean {mean}");
    if !common::python_has("pydicom, numpy, pylibjpeg", "the demo 12-bit JPEG against pydicom") {
        return;
    }
    let path = std::env::temp_dir().join(format!("{}-{name}", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let script = "import sys, pydicom; print(','.join(map(str, pydicom.dcmread(sys.argv[1]).pixel_array.ravel().tolist())))";
    let out = Command::new("python3").arg("-c").arg(script).arg(&path).output().expect("pydicom");
    std::fs::remove_file(&path).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs: Vec<i32> = String::from_utf8_lossy(&out.stdout).trim().split(',').map(|v| v.parse().unwrap()).collect();
    assert_eq!(theirs.len(), ours.len());
    assert!(ours.iter().zip(&theirs).all(|(a, b)| a.abs_diff(*b) <= 1));
    assert!(ours.iter().zip(&theirs).filter(|(a, b)| a == b).count() * 100 >= ours.len() * 95);
}

/// A PALETTE COLOR image compressed with JPEG-LS (lossless compression
/// is allowed for palette images): its decoded indices go through the
/// palette as native and RLE ones do, not shown as grey levels.
#[test]
fn compressed_palette_indices_go_through_the_palette() {
    let indices: Vec<u16> = (0..64).map(|i| (i % 4) as u16).collect();
    let mut stream = Vec::new();
    let mut options = jpegls::EncodeOptions::default();
    options.precision = Some(8);
    jpegls::encode_with_options(&indices, 8, 8, &options, &mut stream).expect("encode");
    if stream.len() % 2 == 1 {
        stream.push(0);
    }
    let mut w = demo::Writer::explicit_le();
    w.us(0x0028, 0x0002, &[1]).text(0x0028, 0x0004, "CS", "PALETTE COLOR");
    w.us(0x0028, 0x0010, &[8]).us(0x0028, 0x0011, &[8]).us(0x0028, 0x0100, &[8]).us(0x0028, 0x0101, &[8]).us(0x0028, 0x0102, &[7]).us(0x0028, 0x0103, &[0]);
    for descriptor in 0x1101..=0x1103 {
        w.us(0x0028, descriptor, &[4, 0, 16]);
    }
    // Index 0 black, 1 red, 2 green, 3 blue.
    w.us(0x0028, 0x1201, &[0, 0xFF00, 0, 0]).us(0x0028, 0x1202, &[0, 0, 0xFF00, 0]).us(0x0028, 0x1203, &[0, 0, 0, 0xFF00]);
    w.encapsulated(&[], &[&stream]);
    let bytes = demo::part10(&w.bytes, "1.2.840.10008.1.2.4.80", "1.2.840.10008.5.1.4.1.1.7", "2.25.8");
    let s = scan(&bytes, &Options::default());
    let info = pixel_info(&s).unwrap();
    let Ok(Frame::Rgb(rgb)) = decode_frame(&s, &info, 0) else { panic!("not decoded to RGB") };
    let colours = [[0, 0, 0], [0xFF, 0, 0], [0, 0xFF, 0], [0, 0, 0xFF]];
    let expected: Vec<u8> = indices.iter().flat_map(|&i| colours[usize::from(i)]).collect();
    assert_eq!(rgb, expected);
}
