//! Inspection through a `Source` (`inspect_source`): without the pixel scan
//! only the headers and what follows the pixel values are read, yet the
//! report equals the whole read's, field for field, on every demo, attack,
//! CT series and corpus file, with and without the element tree.

mod common;


use dicom_inspector::{demo, inspect_file, inspect_source, Options, Source};

/// A file in memory that counts the bytes read from it.
struct Counting<'a> {
    bytes: &'a [u8],
    read: u64,
}

impl Source for Counting<'_> {
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        self.read += buf.len() as u64;
        self.bytes.read_at(offset, buf)
    }
}

/// Compares the reports; returns the bytes the headers-only inspection read.
fn check(name: &str, bytes: &[u8]) -> u64 {
    let mut read = 0;
    for options in [
        Options::default().with_pixel_scan(false).with_path(name),
        Options::default().with_pixel_scan(false).with_elements(true).with_path(name),
        Options::default().with_pixel_scan(false).with_check_signatures(true),
    ] {
        let whole = inspect_file(bytes, &options);
        let mut source = Counting { bytes, read: 0 };
        let ranged = inspect_source(&mut source, &options).expect("in-memory reads succeed");
        assert_eq!(ranged, whole, "{name}: the ranged read's report differs");
        assert!(source.read <= bytes.len() as u64, "{name}: read {} of {} bytes", source.read, bytes.len());
        read = source.read;
    }
    // With the pixel scan the whole file is read, and the report is the same.
    let options = Options::default().with_path(name);
    let mut source = Counting { bytes, read: 0 };
    assert_eq!(inspect_source(&mut source, &options).expect("read"), inspect_file(bytes, &options), "{name} with the pixel scan");
    assert_eq!(source.read, bytes.len() as u64, "{name}: the pixel scan reads the whole file");
    read
}

#[test]
fn demo_and_attack_files_give_the_whole_read_report() {
    for f in demo::page_files() {
        check(&f.file, &f.bytes);
    }
    for (i, bytes) in demo::hostile::huge_lengths().iter().enumerate() {
        check(&format!("huge length {i}"), bytes);
    }
}

#[test]
fn the_ct_series_reads_only_its_headers() {
    for (name, bytes) in demo::ct_series(3) {
        let read = check(&name, &bytes);
        assert!(read < bytes.len() as u64 / 4, "{name}: {read} of {} bytes read", bytes.len());
    }
}

/// A file's first read is what the previous file's headers needed (a
/// study's files have headers of about one size): a CT slice after another
/// reads about its 4 KB of headers, not 16 KB; every file after a slice
/// reads on to its longer headers, with the whole read's report.
#[test]
fn the_first_read_follows_the_previous_file() {
    let options = Options::default().with_pixel_scan(false);
    let read = |name: &str, bytes: &[u8]| {
        let mut source = Counting { bytes, read: 0 };
        assert_eq!(inspect_source(&mut source, &options).expect("read"), inspect_file(bytes, &options), "{name}");
        source.read
    };
    let series = demo::ct_series(2);
    read(&series[0].0, &series[0].1);
    let second = read(&series[1].0, &series[1].1);
    assert!(second <= 6 << 10, "a slice after a slice read {second} bytes");
    for f in demo::page_files() {
        read(&series[0].0, &series[0].1);
        read(&f.file, &f.bytes);
    }
}

#[test]
fn encapsulated_frames_are_hopped_over() {
    // Ten 100 KB JPEG-like fragments: the read takes each item's header and
    // first bytes and the offset table, not the frames; a fragment whose
    // length runs past the end makes it read the rest, as a whole read meets it.
    let frames: Vec<Vec<u8>> = (0..10u8).map(|i| vec![i; 100_000]).collect();
    let fragments: Vec<&[u8]> = frames.iter().map(Vec::as_slice).collect();
    let offsets: Vec<u32> = (0..10).map(|i| i * 100_008).collect();
    let mut w = demo::Writer::explicit_le();
    w.text(0x0008, 0x0060, "CS", "US").text(0x0010, 0x0010, "PN", "DOE^JANE");
    w.encapsulated(&offsets, &fragments);
    w.text(0xFFFA, 0xFFFA, "LO", "after the pixels");
    let bytes = demo::part10(&w.bytes, "1.2.840.10008.1.2.4.50", demo::CT_IMAGE_STORAGE, "1.2.3");
    let read = check("ten fragments", &bytes);
    assert!(read < 25_000, "{read} of {} bytes read (the first 16 KB, then 264 bytes an item)", bytes.len());
    let mut cut = bytes.clone();
    cut.truncate(bytes.len() - 150_000);
    let read = check("a fragment past the end", &cut);
    assert!(read > 50_000, "the rest read from the broken item: {read}");
}

#[test]
fn a_file_with_bytes_after_its_pixels_keeps_them() {
    // Trailing data after native Pixel Data: read, and reported as in a whole read.
    let (name, mut bytes) = demo::ct_series(1).remove(0);
    bytes.extend_from_slice(b"PK\x03\x04 an archive appended after the pixels");
    let whole = inspect_file(&bytes, &Options::default().with_pixel_scan(false));
    assert!(whole.findings.iter().any(|f| f.code == "security.trailing_data"), "{:?}", whole.findings);
    check(&name, &bytes);
}

#[test]
fn corpus_files_give_the_whole_read_report() {
    let Some(dir) = common::corpus_dir("corpus_files_give_the_whole_read_report") else { return };
    let paths = common::corpus_files(&dir);
    let (mut total, mut read) = (0, 0);
    for path in &paths {
        let bytes = std::fs::read(path).expect("read corpus file");
        read += check(&path.display().to_string(), &bytes);
        total += bytes.len() as u64;
    }
    println!("{} corpus files: {read} of {total} bytes read without the pixel scan", paths.len());
}

/// A batch's second look (`Options::earlier_pixels`): given the pixel scan
/// of an earlier report on the same file, an inspection with the batch's
/// identities reads no pixel bytes of native pixel data and still gives the
/// report of a whole inspection with the pixel scan; given another file's
/// pixels, it reads and scans its own.
#[test]
fn earlier_pixels_stand_in_for_the_pixel_scan() {
    let mut files: Vec<(String, Vec<u8>)> = demo::page_files().into_iter().map(|f| (f.file, f.bytes)).collect();
    files.extend(demo::ct_series(2));
    // Text burned into its frames: regions to take.
    files.push(("us-cine.dcm".into(), demo::workloads::us_cine(3, 640, 480)));
    let batch: Vec<String> = files.iter().flat_map(|(_, bytes)| dicom_inspector::identity_values(bytes)).collect();
    let options = Options::default().with_batch_identities(batch);
    let (mut taken, mut regions) = (0, 0);
    for (name, bytes) in &files {
        let first = inspect_file(bytes, &Options::default().with_path(name));
        let whole = inspect_file(bytes, &options.clone().with_path(name));
        let again = options.clone().with_path(name).with_earlier_pixels(first.pixels.clone());
        let mut source = Counting { bytes, read: 0 };
        assert_eq!(inspect_source(&mut source, &again).expect("read"), whole, "{name}");
        if first.pixels.as_ref().is_some_and(|p| p.decodable) {
            taken += 1;
            regions += first.pixels.as_ref().map_or(0, |p| p.text_regions.iter().filter(|r| !r.boxes.is_empty()).count());
            if name.starts_with("ct-0") || name == "us-cine.dcm" {
                assert!(source.read < bytes.len() as u64 / 4, "{name}: {} of {} bytes read", source.read, bytes.len());
            }
        }
    }
    assert!(taken > 5 && regions > 0, "{taken} files' pixels taken, {regions} with text regions");

    // Another file's pixel scan: this file's own pixels are read and scanned.
    let (name, bytes) = demo::ct_series(1).remove(0);
    let foreign = inspect_file(&demo::workloads::us_cine(3, 640, 480), &Options::default()).pixels;
    assert!(foreign.as_ref().is_some_and(|p| p.decodable && p.text_regions.iter().any(|r| !r.boxes.is_empty())));
    let mut source = Counting { bytes: &bytes, read: 0 };
    let report = inspect_source(&mut source, &Options::default().with_earlier_pixels(foreign)).expect("read");
    assert_eq!(report, inspect_file(&bytes, &Options::default()), "{name}");
}

/// The pixel scan of a large file with native frames reads its headers and
/// the three frames it looks at (first, middle, last), not the whole file,
/// for the report of the whole file: greyscale and colour, text found.
#[test]
fn a_large_file_s_pixel_scan_reads_only_the_frames_it_scans() {
    for (name, bytes) in [("multi-frame CT", demo::workloads::multiframe_ct(80, 512)), ("ultrasound cine", demo::workloads::us_cine(48, 640, 480))] {
        assert!(bytes.len() > 32 << 20, "{name}: {} bytes, larger than what is read whole", bytes.len());
        let options = Options::default().with_path(name);
        let whole = inspect_file(&bytes, &options);
        assert!(whole.pixels.as_ref().is_some_and(|p| p.decodable), "{name}: {:?}", whole.pixels);
        let mut source = Counting { bytes: &bytes, read: 0 };
        assert_eq!(inspect_source(&mut source, &options).expect("read"), whole, "{name}");
        assert!(source.read < bytes.len() as u64 / 10, "{name}: {} of {} bytes read", source.read, bytes.len());
    }
    // The cine's burned-in text is found in the frames read.
    let cine = inspect_file(&demo::workloads::us_cine(48, 640, 480), &Options::default());
    assert!(cine.pixels.as_ref().is_some_and(|p| p.text_regions.len() == 3), "{:?}", cine.pixels);
    // A frame that runs past the pixel data: the whole file is read, and decoding it says so.
    let mut cut = demo::workloads::multiframe_ct(80, 512);
    cut.truncate(cut.len() - 100_000);
    let mut source = Counting { bytes: &cut, read: 0 };
    assert_eq!(inspect_source(&mut source, &Options::default()).expect("read"), inspect_file(&cut, &Options::default()));
}

/// A multi-frame file of `frames` 512×512 CT frames as encapsulated
/// fragments: uncompressed (with an offset table, one fragment a frame) or
/// JPEG-LS (no offset table, each frame in two fragments, so that frames
/// are found by the fragments that open a codestream). The first, middle
/// and last frames carry the patient's name, 16 px tall.
fn encapsulated_multiframe(frames: u32, jpeg_ls: bool) -> Vec<u8> {
    use dicom_inspector::pixels::font::{draw_text16, Font};
    let side = 512usize;
    let base = demo::phantom(side);
    let scanned = [0, frames / 2, frames - 1];
    let mut streams: Vec<Vec<u8>> = Vec::new();
    // Noise in the body that JPEG-LS cannot squeeze much (about 10 bits a sample).
    let mut rng = dicom_inspector::pixels::font::Xorshift(8);
    for f in 0..frames {
        let mut frame: Vec<u16> = base.iter().map(|&p| if p > 100 { (p.min(3000) + (rng.next_u32() % 1024) as u16).min(4095) } else { p }).collect();
        if scanned.contains(&f) {
            draw_text16(&mut frame, side, side, 20, 20, "DOE^JANE", 16, 4000, Font::Bold6x9);
        }
        let mut bytes = Vec::new();
        if jpeg_ls {
            let mut options = jpegls::EncodeOptions::default();
            options.precision = Some(12);
            jpegls::encode_with_options(&frame, side as u32, side as u32, &options, &mut bytes).expect("encode");
        } else {
            bytes = frame.iter().flat_map(|v| v.to_le_bytes()).collect();
        }
        if bytes.len() % 2 == 1 {
            bytes.push(0);
        }
        streams.push(bytes);
    }
    let mut fragments: Vec<&[u8]> = Vec::new();
    let mut offsets = Vec::new();
    let mut at = 0u32;
    for s in &streams {
        if jpeg_ls {
            let half = s.len() / 4 * 2;
            fragments.extend([&s[..half], &s[half..]]);
        } else {
            offsets.push(at);
            at += 8 + s.len() as u32;
            fragments.push(s);
        }
    }
    let mut w = demo::Writer::explicit_le();
    w.text(0x0008, 0x0060, "CS", "CT").text(0x0010, 0x0010, "PN", "DOE^JANE");
    w.grey_image(side as u16, side as u16, Some(frames), 16, 12, false);
    w.encapsulated(&offsets, &fragments);
    let syntax = if jpeg_ls { "1.2.840.10008.1.2.4.80" } else { "1.2.840.10008.1.2.1.98" };
    demo::part10(&w.bytes, syntax, demo::CT_IMAGE_STORAGE, "2.25.8")
}

/// Encapsulated frames too: a large file's pixel scan reads the headers
/// (hopping from fragment to fragment) and the fragments of the three
/// frames it looks at, for the whole read's report, text found.
#[test]
fn a_large_encapsulated_file_s_pixel_scan_reads_only_the_frames_it_scans() {
    for (name, bytes) in [("encapsulated uncompressed, offset table", encapsulated_multiframe(70, false)), ("JPEG-LS, two fragments a frame, no offset table", encapsulated_multiframe(220, true))] {
        assert!(bytes.len() > 32 << 20, "{name}: {} bytes, larger than what is read whole", bytes.len());
        let options = Options::default().with_path(name);
        let whole = inspect_file(&bytes, &options);
        let regions = whole.pixels.as_ref().map_or(0, |p| p.text_regions.len());
        assert_eq!(regions, 3, "{name}: text in the three frames scanned: {:?}", whole.pixels);
        let mut source = Counting { bytes: &bytes, read: 0 };
        assert_eq!(inspect_source(&mut source, &options).expect("read"), whole, "{name}");
        assert!(source.read < bytes.len() as u64 / 10, "{name}: {} of {} bytes read", source.read, bytes.len());
    }
}
