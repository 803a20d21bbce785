//! The pipeline: scan, audit, and assemble the report for one file.

use std::cell::RefCell;

use compact_str::CompactString;
use dicom_core::dictionary::UidDictionary;
use dicom_core::{Tag, VR};
use dicom_dictionary_std::StandardSopClassDictionary;

use crate::audit;
use crate::deadline::Deadline;
use crate::options::Options;
use crate::report::{
    format_tag, push_tag, tag_text, ElementReport, FileReport, PartialReport, PixelsReport, FileSummary, Finding, FragmentReport, MetaReport, PixelDataReport, Report, Severity,
    TransferSyntaxReport, UidReport,
};
use crate::scan::{self, Kind, Scan, NONE, PIXEL_DATA, UNDEFINED};
use crate::values;

/// Inspects one file held in memory and returns a report with one file entry.
///
/// Pure: no I/O and no global state; the same call serves the CLI and the page.
pub fn inspect(bytes: &[u8], options: &Options) -> Report {
    Report::from_files(vec![inspect_file(bytes, options)])
}

/// The identity values of a file (patient names, IDs, accession number,
/// birth date), for searching the other files of a batch
/// ([`Options::batch_identities`]).
pub fn identity_values(bytes: &[u8]) -> Vec<String> {
    let scan = scan::scan(bytes, &Options::default());
    audit::phi::identity_tokens(&scan)
}

/// Where a file's bytes come from, for [`inspect_source`]: a range at a
/// time, so that bytes the inspection does not need are never read.
pub trait Source {
    /// The file's length in bytes.
    fn size(&self) -> u64;
    /// Fills `buf` with the file's bytes from `offset`.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()>;
    /// The whole file.
    fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        let len = usize::try_from(self.size()).map_err(|_| std::io::Error::other(TOO_LARGE))?;
        let mut bytes = vec![0; len];
        self.read_at(0, &mut bytes)?;
        Ok(bytes)
    }
}

const TOO_LARGE: &str = "the file is larger than this machine's memory can address";

impl Source for &[u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let bytes = start.checked_add(buf.len()).and_then(|end| self.get(start..end));
        buf.copy_from_slice(bytes.ok_or_else(|| std::io::Error::from(std::io::ErrorKind::UnexpectedEof))?);
        Ok(())
    }

    fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        Ok(self.to_vec())
    }
}

/// First read of a file whose headers are wanted, when no file was read
/// before on this thread: most headers fit.
const FIRST_READ: usize = 16 << 10;
/// Largest first read taken from an earlier file's headers.
const FIRST_READ_MAX: usize = 1 << 20;

thread_local! {
    /// What the next file's first read is: what the last headers-only read
    /// needed up to its pixel data, with room for a few more bytes (a
    /// study's files have headers of about one size, mostly far under
    /// [`FIRST_READ`]: a CT slice's are 4 KB). Only how much is read at
    /// first, never what is inspected: a read that is short reads on.
    static NEXT_FIRST_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(FIRST_READ) };
}

/// The first read after a file whose headers and first pixel bytes took
/// `needed` bytes: 256 more, rounded up to a whole KiB.
fn first_read_after(needed: usize) -> usize {
    (needed.saturating_add(256).div_ceil(1024) * 1024).min(FIRST_READ_MAX)
}
/// Bytes of native Pixel Data read even when it is skipped: the element
/// tree's preview shows the first 16.
const PIXEL_HEAD: usize = 256;

/// [`inspect_file`] on a file read through `source`, with the same report.
///
/// Without the pixel scan (`options.pixel_scan` false) the pixels are not
/// needed: the headers are read in growing ranges until the walk reaches
/// top-level native Pixel Data (as a headers-only read does), then only what
/// follows the pixel values. The skipped bytes stay zero in the buffer the
/// inspection reads, and no rule reads them: text, payload and profile rules
/// skip Pixel Data, the element tree previews its first bytes, and the
/// geometry comes from the attributes (`tests/source.rs` checks the reports
/// equal those of whole reads). Encapsulated pixel data is read an item
/// header (and its first bytes) at a time, then what follows it. With the
/// pixel scan, a file over `WHOLE_READ_MAX` (32 MiB) is read the same way
/// plus the frames the scan looks at (native frames, or the fragments of
/// encapsulated ones); given an earlier report's pixel scan
/// ([`Options::earlier_pixels`]), no pixel bytes at all. Anything else
/// (float pixel data, deflated data sets, faults, frames that cannot be
/// told apart from the offset table and the fragments' first bytes, the
/// pixel scan of smaller files) reads the whole file.
pub fn inspect_source<S: Source + ?Sized>(source: &mut S, options: &Options) -> std::io::Result<FileReport> {
    // The time limit counts from the first read.
    let deadline = Deadline::start(options.max_millis);
    with_scan(source, options, &deadline, |scan| inspect_scan(scan, options, &deadline))
}

/// [`identity_values`] of a file read through `source`: its headers, and
/// what follows native pixel data (see [`inspect_source`]).
pub fn identity_values_from<S: Source + ?Sized>(source: &mut S) -> std::io::Result<Vec<String>> {
    let options = Options::default().with_pixel_scan(false);
    with_scan(source, &options, &Deadline::start(options.max_millis), |scan| audit::phi::identity_tokens(&scan))
}

thread_local! {
    /// The buffer headers-only reads read into, kept for the next file. All
    /// zero between uses (what a read wrote is zeroed after it), so the
    /// bytes a read skips cost nothing: no allocation, no zeroing.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The largest buffer kept for the next file. In WASM, any: its memory
/// never shrinks, so a buffer given back would only be found again by the
/// allocator, which then writes zeros over all of it for the next file.
const KEEP_BUFFER: Option<usize> = if cfg!(target_arch = "wasm32") { None } else { Some(64 << 20) };

/// Calls `inspect` on the scan of a file that an inspection with `options`
/// reads: its bytes at their offsets, those it does not read zero (see
/// [`inspect_source`]); its walks within `deadline`.
fn with_scan<S: Source + ?Sized, R>(source: &mut S, options: &Options, deadline: &Deadline, inspect: impl FnOnce(Scan<'_>) -> R) -> std::io::Result<R> {
    let own_pixel_scan = options.pixel_scan && earlier_pixels(options).is_none();
    if options.file_size.is_some() || (own_pixel_scan && source.size() <= WHOLE_READ_MAX) {
        // (A small file's pixel scan: one read, not one for the headers and one for the frames.)
        return Ok(inspect(scan::scan_within(&source.read_all()?, options, deadline)));
    }
    let len = usize::try_from(source.size()).map_err(|_| std::io::Error::other(TOO_LARGE))?;
    let mut buffer = BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    if buffer.len() < len {
        // A fresh zeroed allocation: natively the system's zero pages, not
        // written (growing the old one would write zeros over the whole
        // file's size); WASM's allocator writes the zeros, once, as the
        // buffer is kept for the next file.
        buffer = vec![0; len];
    }
    let body = &mut buffer[..len];
    // On an error (or a panic) the buffer, which may hold bytes, is dropped.
    let (mut written, head) = read_headers(source, options, deadline, body)?;
    // The walk that found the headers is the whole file's walk when nothing
    // was read after it (most files: the pixel data runs to the end).
    let mut scan = match head.and_then(|head| scan::complete(head, body)) {
        Some(scan) => scan,
        None => scan::scan_within(body, options, deadline),
    };
    // A pixel scan of its own (a large file's, or one whose earlier scan is
    // of other pixels): the native frames it looks at, then the walk again
    // over bytes that hold them; the whole file when they are not native.
    let mut whole = false;
    if options.pixel_scan && earlier_pixels(options).is_none_or(|p| !earlier_fits(p, &scan)) {
        match scanned_frame_ranges(&scan, len) {
            Some(frames) => {
                drop(scan);
                for range in frames {
                    source.read_at(range.start as u64, &mut body[range.clone()])?;
                    written.push(range);
                }
                scan = scan::scan_within(body, options, deadline);
            }
            None => whole = true,
        }
    }
    let result = if whole {
        drop(scan);
        Err(inspect)
    } else {
        Ok(inspect(scan))
    };
    for range in written {
        body[range].fill(0);
    }
    if KEEP_BUFFER.is_none_or(|most| buffer.len() <= most) {
        BUFFER.with(|b| *b.borrow_mut() = buffer);
    }
    match result {
        Ok(result) => Ok(result),
        Err(inspect) => Ok(inspect(scan::scan_within(&source.read_all()?, options, deadline))),
    }
}

/// Files up to this size are read whole for the pixel scan. A larger one
/// with native Pixel Data is read as without the scan, plus the frames the
/// scan looks at: a 500 MB multi-frame file costs its headers and three
/// frames, not 500 MB of memory.
pub(crate) const WHOLE_READ_MAX: u64 = 32 << 20;

/// The bytes of the frames the pixel scan looks at, when they are native
/// frames within top-level Pixel Data and the file, or the fragments of
/// encapsulated frames whose offset table was read whole (`None`: read the
/// whole file); none for a file without pixels to scan.
fn scanned_frame_ranges(scan: &Scan, len: usize) -> Option<Vec<std::ops::Range<usize>>> {
    use crate::pixels::{decode, render};
    let Some(pixels) = scan.top_level(PIXEL_DATA) else { return Some(Vec::new()) };
    let Ok(info) = decode::pixel_info(scan) else { return Some(Vec::new()) };
    let within = |start: u64, end: u64| (end <= len as u64).then_some(start as usize..end as usize);
    if pixels.kind == Kind::PixelSequence {
        // The frames' fragments are found from the offset table and each
        // fragment's first bytes, which the header read holds, unless the
        // table was longer than it reads.
        let table = scan.elements.iter().position(|e| std::ptr::eq(e, pixels)).and_then(|at| scan.elements.get(at + 1)).filter(|t| t.kind == Kind::Fragment);
        if table.is_none_or(|t| t.length as usize > OFFSET_TABLE_MAX) {
            return None;
        }
        let mut out = Vec::new();
        for f in render::scanned_frames(info.frames) {
            for r in decode::encapsulated_frame_ranges(scan, &info, f)?.ok()? {
                out.push(within(r.start, r.end)?);
            }
        }
        return Some(out);
    }
    if pixels.kind != Kind::Element || pixels.length == UNDEFINED || !matches!(pixels.vr, VR::OB | VR::OW) {
        return None;
    }
    let value = pixels.value_offset();
    let value_end = value + u64::from(pixels.length);
    render::scanned_frames(info.frames)
        .into_iter()
        .map(|f| {
            let (start, end) = decode::native_frame_range(&info, f);
            let (start, end) = (value.checked_add(start)?, value.checked_add(end)?);
            // A frame past the value or the file: decoding it reports so from the whole file.
            if end > value_end {
                return None;
            }
            within(start, end)
        })
        .collect()
}

/// Bytes of the first item of encapsulated Pixel Data (the Basic Offset
/// Table: four per frame) read whole, at most.
const OFFSET_TABLE_MAX: usize = 4 << 20;
/// Fragments read one item header at a time, at most; past that, the rest.
const FRAGMENTS_MAX: usize = 1 << 20;

/// The ranges of a file's bytes that a headers-only read wrote into its
/// buffer (to be zeroed again once the buffer is given back).
type Written = Vec<std::ops::Range<usize>>;

/// Reads what a headers-only inspection needs into `body` (zero, as long as
/// the file); returns the ranges it wrote, and the last walk of the
/// headers (detached from the bytes) when nothing was read after it.
fn read_headers<S: Source + ?Sized>(source: &mut S, options: &Options, deadline: &Deadline, body: &mut [u8]) -> std::io::Result<(Written, Option<Scan<'static>>)> {
    let len = body.len();
    let mut loaded = len.min(NEXT_FIRST_READ.get());
    source.read_at(0, &mut body[..loaded])?;
    // The inspection's scanner options (so that `scan::complete` can give
    // the walk of the whole file), for a headers-only read of the file.
    let head = options.scanner_only().with_file_size(len as u64);
    while loaded < len {
        let scan = scan::scan_within(&body[..loaded], &head, deadline);
        if let Some(needs) = scan.prefix.and_then(|p| p.needs_bytes) {
            let next = usize::try_from(needs).unwrap_or(len).clamp(loaded + 1, len);
            source.read_at(loaded as u64, &mut body[loaded..next])?;
            loaded = next;
            continue;
        }
        let pixels = scan.top_level(PIXEL_DATA).filter(|e| e.kind == Kind::Element && e.length != UNDEFINED && matches!(e.vr, VR::OB | VR::OW));
        if let Some(e) = pixels {
            let start = usize::try_from(e.value_offset()).unwrap_or(len).saturating_add(PIXEL_HEAD).max(loaded).min(len);
            let end = usize::try_from(e.value_offset() + u64::from(e.length)).unwrap_or(len).clamp(start, len);
            NEXT_FIRST_READ.set(first_read_after(usize::try_from(e.value_offset()).unwrap_or(len).saturating_add(PIXEL_HEAD)));
            let reused = (start == loaded && end == len).then(|| scan.detach()).flatten();
            source.read_at(loaded as u64, &mut body[loaded..start])?;
            source.read_at(end as u64, &mut body[end..])?;
            return Ok((vec![0..start, end..len], reused));
        }
        let fragments = scan.top_level(PIXEL_DATA).filter(|e| e.kind == Kind::PixelSequence && !scan.encoding.big_endian).map(|e| e.value_offset());
        if let Some(first) = fragments.and_then(|at| usize::try_from(at).ok()) {
            drop(scan);
            NEXT_FIRST_READ.set(first_read_after(first));
            return Ok((read_fragments(source, body, loaded, first)?, None));
        }
        break;
    }
    source.read_at(loaded as u64, &mut body[loaded..])?;
    Ok((std::iter::once(0..len).collect(), None))
}

/// [`read_headers`] past the header of top-level encapsulated Pixel Data at
/// `first`, the first `loaded` bytes read: each item's header and first
/// bytes (the offset table whole), hopping from item to item, then all that
/// follows the Sequence Delimitation Item. The walk finds the items as in
/// the whole file, and no rule reads further into a fragment (the element
/// tree previews its first bytes). Where the items stop making sense (a
/// length past the end, another tag), the rest of the file is read, so the
/// walk meets the fault as it would in the whole file.
fn read_fragments<S: Source + ?Sized>(source: &mut S, body: &mut [u8], loaded: usize, first: usize) -> std::io::Result<Written> {
    let len = body.len();
    let mut written: Written = std::iter::once(0..loaded).collect();
    // Reads `body[range]` but what was read already (items go forward, so
    // that is everything before the furthest byte read).
    let mut done = loaded;
    let mut fill = |source: &mut S, body: &mut [u8], range: std::ops::Range<usize>| -> std::io::Result<()> {
        let range = range.start.max(done)..range.end.min(len);
        if range.start < range.end {
            source.read_at(range.start as u64, &mut body[range.clone()])?;
            done = range.end;
            written.push(range);
        }
        Ok(())
    };
    let mut at = first;
    for item in 0..FRAGMENTS_MAX {
        // A fragment's header and first bytes in one read; the offset
        // table's header, then as much of the table as it says.
        fill(source, body, at..at.saturating_add(if item == 0 { 8 } else { 8 + PIXEL_HEAD }))?;
        let Some(header) = body.get(at..at.saturating_add(8)) else { break };
        let tag = Tag(u16::from_le_bytes([header[0], header[1]]), u16::from_le_bytes([header[2], header[3]]));
        let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        if tag == scan::SEQUENCE_DELIMITATION {
            fill(source, body, at + 8..len)?;
            return Ok(written);
        }
        let value_end = (at + 8).saturating_add(length as usize);
        if tag != scan::ITEM || length == UNDEFINED || value_end > len {
            break;
        }
        if item == 0 {
            fill(source, body, at + 8..value_end.min(at + 8 + OFFSET_TABLE_MAX))?;
        }
        at = value_end;
    }
    // Not the items the standard describes (or too many): all the rest.
    fill(source, body, at..len)?;
    Ok(written)
}

/// Inspects one file and returns its entry of the report.
pub fn inspect_file(bytes: &[u8], options: &Options) -> FileReport {
    let deadline = Deadline::start(options.max_millis);
    inspect_scan(scan::scan_within(bytes, options, &deadline), options, &deadline)
}

/// [`inspect_file`] from the file's scan.
fn inspect_scan(scan: Scan<'_>, options: &Options, deadline: &Deadline) -> FileReport {
    // Only the first bytes of a larger file, and they end before the data set:
    // nothing but the head was read, so no rule can judge the file yet.
    let head_incomplete = scan.prefix.is_some_and(|p| !p.head_complete);

    let mut findings = scan.faults.clone();
    if head_incomplete {
        // The next read (partial.needs_bytes) gives the report.
    } else if !scan.is_dicom {
        findings = vec![Finding::new(
            "integrity.not_dicom",
            Severity::Info,
            "not a DICOM file: no DICM prefix, no File Meta Information and no recognisable data set",
        )
        .reference("PS3.10 7.1")];
    } else {
        let mut found = audit::run(&scan, options, deadline);
        // Most files have no walk faults: the rules' vector is the list.
        if findings.is_empty() {
            findings = found;
        } else {
            findings.append(&mut found);
        }
        // Trailing data explains the fault the walk stopped at: one finding, not two.
        let trailing: Vec<u64> = findings.iter().filter(|f| f.code == "security.trailing_data").filter_map(|f| f.offset).collect();
        findings.retain(|f| !(f.code.starts_with("integrity.") && f.offset.is_some_and(|o| trailing.contains(&o))));
        if !scan.preamble && scan.magic {
            findings.push(Finding::new("integrity.no_preamble", Severity::Low, "the file has no 128-byte preamble before DICM").at(0).reference("PS3.10 7.1"));
        } else if !scan.magic {
            findings.push(
                Finding::new("integrity.no_file_meta", Severity::Low, "no preamble, no DICM prefix and no File Meta Information: a raw data set")
                    .at(0)
                    .reference("PS3.10 7.1"),
            );
        }
    }
    // A headers-only read has not loaded the pixels: geometry, no decoding.
    let mut decode = options.pixel_scan && scan.prefix.is_none();
    if decode && scan.is_dicom && !head_incomplete && scan.top_level(PIXEL_DATA).is_some() && deadline.expired() {
        findings.push(deadline.finding("the pixels were not decoded or searched for text"));
        decode = false;
    }
    let pixels = if scan.is_dicom && !head_incomplete { pixels_report(&scan, decode, earlier_pixels(options), &mut findings) } else { None };
    let partial = scan.prefix.map(|p| {
        findings.push(partial_finding(&p));
        PartialReport { loaded_bytes: p.loaded, file_size: p.file_size, needs_bytes: p.needs_bytes }
    });
    attach_elements(&scan, &mut findings);

    let ts = scan.is_dicom.then(|| transfer_syntax_report(&scan));
    let sop_class_uid = values::top_level_text(&scan, Tag(0x0008, 0x0016))
        .or_else(|| scan.meta_element(Tag(0x0002, 0x0002)).map(|e| values::text(&scan, e)).filter(|s| !s.is_empty()));
    let sop_class = sop_class_uid.map(|uid| UidReport {
        name: StandardSopClassDictionary.by_uid(&uid).map(|e| e.name.to_owned()),
        uid,
    });

    FileReport {
        path: options.path.clone().unwrap_or_default(),
        size: scan.file_len,
        is_dicom: scan.is_dicom,
        meta: meta_report(&scan),
        transfer_syntax: ts,
        sop_class,
        character_set: scan.top_level(scan::SPECIFIC_CHARACTER_SET).map(|e| values::text(&scan, e)),
        summary: summary(&scan),
        element_count: scan.elements.iter().filter(|e| !matches!(e.kind, Kind::Item | Kind::Fragment)).count() as u32,
        pixel_data: pixel_data_report(&scan),
        pixels,
        findings,
        dicomdir: if scan.is_dicom && !head_incomplete { crate::dicomdir::read(&scan) } else { None },
        partial,
        elements_omitted: if options.elements { (scan.elements.len() as u32).saturating_sub(options.max_report_elements.unwrap_or(u32::MAX)) } else { 0 },
        elements: options.elements.then(|| element_reports(&scan, &element_paths(&scan), options)),
    }
}

/// DCMTK-style paths for every node, built in one pass (parents come first);
/// only for the element tree, which needs them all.
fn element_paths(scan: &Scan) -> Vec<String> {
    let mut paths: Vec<String> = Vec::with_capacity(scan.elements.len());
    for e in &scan.elements {
        let parent = (e.parent != NONE).then(|| &paths[e.parent as usize]);
        let path = match (e.kind, parent) {
            (Kind::Item | Kind::Fragment, Some(p)) => format!("{p}[{}]", e.item_index),
            (_, Some(p)) => format!("{p}.{}", format_tag(e.tag.0, e.tag.1)),
            (_, None) => format_tag(e.tag.0, e.tag.1),
        };
        paths.push(path);
    }
    paths
}

/// The DCMTK-style path of one node, following its parents.
fn path_of(scan: &Scan, index: usize) -> CompactString {
    let mut chain = vec![index];
    while let Some(&parent) = chain.last().map(|&i| &scan.elements[i].parent).filter(|&&p| p != NONE) {
        chain.push(parent as usize);
    }
    let mut path = CompactString::with_capacity(chain.len() * 12);
    for &i in chain.iter().rev() {
        let e = &scan.elements[i];
        match e.kind {
            Kind::Item | Kind::Fragment => {
                path.push('[');
                path.push_str(itoa::Buffer::new().format(e.item_index));
                path.push(']');
            }
            _ => {
                if !path.is_empty() {
                    path.push('.');
                }
                push_tag(&mut path, e.tag.0, e.tag.1);
            }
        }
    }
    path
}

/// Gives findings that point at an element header its tag and path.
fn attach_elements(scan: &Scan, findings: &mut [Finding]) {
    for f in findings.iter_mut().filter(|f| f.path.as_deref().is_none_or(str::is_empty)) {
        let Some(offset) = f.offset else { continue };
        if let Ok(i) = scan.elements.binary_search_by_key(&offset, |e| e.offset) {
            let e = &scan.elements[i];
            if e.kind == Kind::Element || e.kind == Kind::Sequence || e.kind == Kind::PixelSequence {
                let tag = tag_text(e.tag.0, e.tag.1);
                // A top-level element's path is its tag.
                f.path = Some(if e.parent == NONE { tag.clone() } else { path_of(scan, i) });
                f.tag = Some(tag);
            }
        } else if f.path.as_deref() == Some("") {
            f.path = None;
        }
    }
}

fn transfer_syntax_report(scan: &Scan) -> TransferSyntaxReport {
    let enc = &scan.encoding;
    let name = match (enc.entry, &enc.uid) {
        (Some(e), _) if enc.source == "meta" => e.name.to_owned(),
        (Some(e), _) => format!("{} (guessed)", e.name),
        (None, Some(uid)) => format!("unknown ({uid})"),
        (None, None) => "unknown".to_owned(),
    };
    TransferSyntaxReport {
        uid: enc.uid.clone().or_else(|| enc.entry.map(|e| e.uid.to_owned())),
        name,
        explicit_vr: enc.explicit_vr,
        big_endian: enc.big_endian,
        deflated: enc.deflated,
        encapsulated: enc.entry.is_some_and(|e| e.encapsulated),
        lossy: enc.entry.and_then(|e| e.lossy),
        retired: enc.entry.is_some_and(|e| e.retired),
        source: enc.source.to_owned(),
    }
}

fn meta_report(scan: &Scan) -> MetaReport {
    let meta_text = |el: u16| {
        scan.meta_element(Tag(0x0002, el)).map(|e| values::text(scan, e)).filter(|s| !s.is_empty())
    };
    MetaReport {
        preamble: scan.preamble,
        magic: scan.magic,
        file_meta: scan.file_meta,
        implementation_class_uid: meta_text(0x0012),
        implementation_version_name: meta_text(0x0013),
        source_application_entity_title: meta_text(0x0016),
        dataset_offset: scan.dataset_offset,
    }
}

fn summary(scan: &Scan) -> FileSummary {
    let t = |g: u16, e: u16| values::top_level_text(scan, Tag(g, e));
    FileSummary {
        patient_name: t(0x0010, 0x0010),
        patient_id: t(0x0010, 0x0020),
        patient_birth_date: t(0x0010, 0x0030),
        accession_number: t(0x0008, 0x0050),
        study_date: t(0x0008, 0x0020),
        study_description: t(0x0008, 0x1030),
        series_description: t(0x0008, 0x103E),
        modality: t(0x0008, 0x0060),
        study_instance_uid: t(0x0020, 0x000D),
        series_instance_uid: t(0x0020, 0x000E),
        sop_instance_uid: t(0x0008, 0x0018),
    }
}

/// `integrity.partial`: how much of the file a headers-only read examined.
fn partial_finding(p: &scan::Prefix) -> Finding {
    let message = match p.needs_bytes {
        Some(n) => format!("headers-only read of {} of the file's {} bytes; the headers go on past them: read at least {n} bytes and inspect again", p.loaded, p.file_size),
        None => format!("headers-only read of {} of the file's {} bytes; the pixel data and anything after it were not examined", p.loaded, p.file_size),
    };
    Finding::new("integrity.partial", Severity::Info, message)
        .explain("Large files are inspected from their first bytes: every header before the pixel data is read and checked, but the pixels (burned-in text, embedded payloads in them) and any element or byte after them are not.")
}

/// The earlier pixel scan an inspection takes instead of its own
/// ([`Options::earlier_pixels`]): one that decoded the pixels.
fn earlier_pixels(options: &Options) -> Option<&PixelsReport> {
    options.earlier_pixels.as_ref().filter(|p| p.decodable)
}

/// Whether an earlier pixel scan is of pixels of this geometry.
fn same_geometry(p: &PixelsReport, g: &crate::pixels::decode::Geometry) -> bool {
    (p.rows, p.columns, p.frames, p.samples_per_pixel, p.bits_allocated, p.bits_stored) == (g.rows, g.columns, g.frames, g.samples, g.bits_allocated, g.bits_stored)
}

/// Whether a read without the pixels serves an inspection that takes
/// `earlier`: the file's pixels have its geometry, or there are none to scan.
fn earlier_fits(earlier: &PixelsReport, scan: &Scan) -> bool {
    crate::pixels::decode::pixel_geometry(scan).map_or(true, |g| same_geometry(earlier, &g))
}

/// Decodes the first frame (and scans frames for text) when `decode`, or
/// takes an `earlier` scan of pixels of this geometry; adds the findings
/// the pixels give: undecodable syntaxes, text burned into them.
fn pixels_report(scan: &Scan, decode: bool, earlier: Option<&PixelsReport>, findings: &mut Vec<Finding>) -> Option<PixelsReport> {
    use crate::pixels::{decode, render};
    // (The description without decoding: all that the report says.)
    let geometry = match decode::pixel_geometry(scan) {
        Ok(geometry) => geometry,
        Err(decode::PixelError::NoPixelData) => return None,
        Err(e) => {
            findings.push(Finding::new("integrity.pixel_attributes", Severity::Medium, e.to_string()).reference("PS3.3 C.7.6.3"));
            return None;
        }
    };
    let earlier = earlier.filter(|p| same_geometry(p, &geometry));
    let decode::Geometry { rows, columns, samples, bits_allocated, bits_stored, signed, photometric, frames, windows } = geometry;
    let mut report = PixelsReport {
        rows,
        columns,
        frames,
        samples_per_pixel: samples,
        bits_allocated,
        bits_stored,
        signed,
        photometric_interpretation: photometric,
        windows,
        decodable: false,
        decode_error: None,
        text_regions: Vec::new(),
    };
    if !decode {
        return Some(report);
    }
    // An earlier scan of these pixels: its regions.
    let scanned = match earlier {
        Some(p) => Ok(p.text_regions.clone()),
        None => render::scan_text(scan),
    };
    match scanned {
        Ok(regions) => {
            report.decodable = true;
            let boxes: usize = regions.iter().map(|r| r.boxes.len()).sum();
            if boxes > 0 {
                let pixel = scan.top_level(PIXEL_DATA).map(|e| e.offset);
                findings.push(
                    Finding::new("phi.burned_in", Severity::High, format!("{boxes} text-like region(s) found in the pixels (frames {})", regions.iter().map(|r| (r.frame + 1).to_string()).collect::<Vec<_>>().join(", ")))
                        .at_opt(pixel)
                        .reference("PS3.15 E.3.1 Clean Pixel Data")
                        .explain("Rows of small, sharp, uniform strokes look like burned-in annotation (names, dates, IDs drawn into the image). Tag-level de-identification cannot remove them: blank the regions or confirm they hold nothing identifying."),
                );
            }
            report.text_regions = regions;
        }
        Err(e) => {
            let code = if matches!(e, decode::PixelError::Unsupported(_)) { "transfer.undecodable" } else { "integrity.pixel_data" };
            let severity = if code == "transfer.undecodable" { Severity::Info } else { Severity::Medium };
            findings.push(
                Finding::new(code, severity, format!("{e}; the pixels were not shown or searched for text"))
                    .at_opt(scan.top_level(PIXEL_DATA).map(|e| e.offset))
                    .reference("PS3.5 8; PS3.5 A.4"),
            );
            report.decode_error = Some(e.to_string());
        }
    }
    Some(report)
}

fn pixel_data_report(scan: &Scan) -> Option<PixelDataReport> {
    let index = scan.top_level_at(PIXEL_DATA)?;
    let e = &scan.elements[index];
    let mut report = PixelDataReport {
        offset: e.offset,
        vr: e.vr.to_string().to_owned(),
        encapsulated: e.kind == Kind::PixelSequence,
        length: (e.length != UNDEFINED).then_some(e.length),
        basic_offset_table: Vec::new(),
        fragments: Vec::new(),
    };
    if e.kind == Kind::PixelSequence {
        let children = scan.elements[index + 1..].iter().take_while(|f| f.parent == index as u32 && f.kind == Kind::Fragment);
        for f in children {
            if f.item_index == 0 {
                let little = f.little_endian;
                report.basic_offset_table = scan
                    .value(f)
                    .chunks_exact(4)
                    .take(1 << 20)
                    .map(|c| if little { u32::from_le_bytes([c[0], c[1], c[2], c[3]]) } else { u32::from_be_bytes([c[0], c[1], c[2], c[3]]) })
                    .collect();
            } else {
                report.fragments.push(FragmentReport { offset: f.offset, length: f.length });
            }
        }
    }
    Some(report)
}

fn element_reports(scan: &Scan, paths: &[String], options: &Options) -> Vec<ElementReport> {
    let limit = options.max_report_elements.map_or(usize::MAX, |n| n as usize);
    scan.elements
        .iter()
        .zip(paths)
        .take(limit)
        .map(|(e, path)| {
            let creator = (e.creator != NONE).then(|| values::text(scan, &scan.elements[e.creator as usize]));
            ElementReport {
                kind: e.kind.as_str().to_owned(),
                tag: format_tag(e.tag.0, e.tag.1),
                name: values::keyword(e).to_owned(),
                vr: if matches!(e.kind, Kind::Item | Kind::Fragment) { String::new() } else { e.vr.to_string().to_owned() },
                vm: values::vm(scan, e),
                length: (e.length != UNDEFINED).then_some(e.length),
                offset: e.offset,
                depth: u32::from(e.depth),
                parent: (e.parent != NONE).then_some(e.parent),
                path: path.clone(),
                value: values::preview(scan, e, options.value_preview_chars),
                private_creator: creator,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_path_equals_the_path_of_the_whole_tree() {
        for (name, _, bytes) in crate::demo::files() {
            let scan = scan::scan(&bytes, &Options::default());
            let all = element_paths(&scan);
            for (i, path) in all.iter().enumerate() {
                assert_eq!(&path_of(&scan, i), path, "{name} node {i}");
            }
        }
    }
}
