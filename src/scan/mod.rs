//! The scanner: bytes in, a flat list of elements with byte offsets out.
//!
//! This is the only layer that reads the file's structure. It records where
//! every element header, item and fragment sits and how long its value is, and
//! copies no value: later layers read a value's bytes from [`Scan::value`]
//! only when a rule or the element tree needs them.
//!
//! Order of work (PS3.10 7.1, PS3.5 7):
//! 1. [`meta`]: the 128-byte preamble, `DICM`, and the File Meta Information
//!    group (always Explicit VR Little Endian); the transfer syntax from
//!    (0002,0010), or guessed from the first data set bytes when there is no
//!    usable meta group.
//! 2. A deflated data set is inflated (with a size limit).
//! 3. [`walker`]: the data set, iteratively (no recursion, so nesting depth
//!    cannot overflow the stack), decoding each header with `dicom-encoding`'s
//!    decoder for the syntax in force.
//!
//! A fault stops the walk where it happens and becomes an `integrity.*`
//! finding with its byte offset; everything read before it stays in the scan.

mod meta;
mod walker;

use std::borrow::Cow;

use dicom_core::{Tag, VR};
use dicom_encoding::text::SpecificCharacterSet;

use crate::deadline::Deadline;
use crate::options::Options;
use crate::report::Finding;
use crate::tables::TransferSyntaxEntry;

pub use meta::guess_encoding;

/// Length value meaning "undefined" (PS3.5 7.1.1).
pub const UNDEFINED: u32 = 0xFFFF_FFFF;
/// Index value meaning "none" for parents and private creators.
pub const NONE: u32 = u32::MAX;

pub const ITEM: Tag = Tag(0xFFFE, 0xE000);
pub const ITEM_DELIMITATION: Tag = Tag(0xFFFE, 0xE00D);
pub const SEQUENCE_DELIMITATION: Tag = Tag(0xFFFE, 0xE0DD);
pub const PIXEL_DATA: Tag = Tag(0x7FE0, 0x0010);
pub const SPECIFIC_CHARACTER_SET: Tag = Tag(0x0008, 0x0005);

/// What a scanned node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A data element with a value (or an empty one).
    Element,
    /// A sequence (VR SQ, or UN with undefined length read as a sequence).
    Sequence,
    /// An item of a sequence; `item_index` is its position in the sequence.
    Item,
    /// Encapsulated Pixel Data (undefined length, PS3.5 A.4).
    PixelSequence,
    /// An item of encapsulated Pixel Data; index 0 is the Basic Offset Table.
    Fragment,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Element => "element",
            Kind::Sequence => "sequence",
            Kind::Item => "item",
            Kind::PixelSequence => "pixel_sequence",
            Kind::Fragment => "fragment",
        }
    }
}

/// One scanned node. Small on purpose: a file can hold millions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element {
    pub tag: Tag,
    pub vr: VR,
    pub kind: Kind,
    /// Header offset in [`Scan::body`].
    pub offset: u64,
    pub header_len: u8,
    /// Value length as declared, or [`UNDEFINED`].
    pub length: u32,
    /// Bytes of the value actually present (less than `length` when truncated).
    pub available: u32,
    pub depth: u16,
    /// Index of the enclosing item, sequence or pixel sequence, or [`NONE`].
    pub parent: u32,
    /// For items and fragments, their position in the sequence.
    pub item_index: u32,
    /// Index in [`Scan::charsets`] of the character set in force.
    pub charset: u16,
    /// Index of the private creator element that reserves this element's block, or [`NONE`].
    pub creator: u32,
    /// Whether the element is in the File Meta Information group.
    pub in_meta: bool,
    /// Whether the value is little endian (false for Explicit VR Big Endian data sets).
    pub little_endian: bool,
}

impl Element {
    pub fn value_offset(&self) -> u64 {
        self.offset + u64::from(self.header_len)
    }

    pub fn has_undefined_length(&self) -> bool {
        self.length == UNDEFINED
    }

    pub fn is_private(&self) -> bool {
        self.tag.0 & 1 == 1
    }
}

/// How the data set is encoded, and where that knowledge came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoding {
    pub uid: Option<String>,
    pub entry: Option<&'static TransferSyntaxEntry>,
    pub explicit_vr: bool,
    pub big_endian: bool,
    pub deflated: bool,
    /// `meta`, `guessed` or `fallback`.
    pub source: &'static str,
}

/// A character set in force in some data set or item.
#[derive(Debug, Clone)]
pub struct Charset {
    /// The value of (0008,0005) as written, or empty for the default.
    pub code: String,
    pub codec: SpecificCharacterSet,
}

/// How a read of the first bytes of a larger file ended
/// ([`Options::file_size`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    /// Bytes given (the first bytes of the file).
    pub loaded: u64,
    /// Bytes in the whole file.
    pub file_size: u64,
    /// The walk stopped inside (or at the header of) something other than
    /// top-level pixel data: read at least this many bytes and scan again.
    /// `None`: the headers are complete (the walk reached the pixel data, or
    /// the file is not DICOM).
    pub needs_bytes: Option<u64>,
    /// Whether the bytes reached the first data set element; when not, only
    /// the preamble and part of the meta group were read.
    pub head_complete: bool,
}

/// How many bytes to ask for when `loaded` bytes of a `file_len`-byte file
/// were not enough: at least `at_least`, and at least double, so that a walk
/// that needs more again and again converges in few reads; never past the file.
pub(crate) fn grow(loaded: usize, at_least: usize, file_len: usize) -> usize {
    at_least.max(loaded.saturating_mul(2)).max(1024).min(file_len)
}

/// The scanner's output: what the rest of the inspector reads.
#[derive(Debug)]
pub struct Scan<'a> {
    /// The bytes all offsets refer to: the file itself, or for a deflated data
    /// set the file's meta group followed by the inflated data set.
    pub body: Cow<'a, [u8]>,
    /// Bytes in the whole file (more than the body holds for a headers-only read).
    pub file_len: u64,
    pub preamble: bool,
    pub magic: bool,
    pub file_meta: bool,
    pub dataset_offset: u64,
    /// Where the walk of the top-level data set ended.
    pub dataset_end: u64,
    /// A fault stopped the walk at `dataset_end`; true when it was in the
    /// top-level data set (not inside a sequence).
    pub fault_at_top: Option<bool>,
    pub encoding: Encoding,
    pub elements: Vec<Element>,
    pub charsets: Vec<Charset>,
    /// Structural faults met while scanning, as findings.
    pub faults: Vec<Finding>,
    /// Whether the file looks like DICOM at all.
    pub is_dicom: bool,
    /// Set when only the first bytes of the file were given (`file_len` is
    /// then larger than the body): where the walk stopped and what it needs.
    pub prefix: Option<Prefix>,
    /// Indexes of `elements`, built with them (nothing changes them afterwards).
    index: Index,
}

/// Indexes of a scan's nodes, built by the walk as it adds them (a pass of
/// their own over every node had cost a twentieth of a header's scan in WASM).
#[derive(Debug, Default, PartialEq)]
pub(super) struct Index {
    /// The top-level data set elements as (tag, index), sorted by tag with
    /// document order kept among equal tags, for [`Scan::top_level`].
    top: Vec<(Tag, u32)>,
    /// Whether `top` is out of order (until [`Index::finish`] sorts it).
    unsorted: bool,
    /// The sequences, in document order, for [`Scan::sequences`].
    sequences: Vec<u32>,
}

impl Index {
    pub(super) fn with_capacity(top: usize) -> Index {
        Index { top: Vec::with_capacity(top), ..Index::default() }
    }

    /// Adds node `index`, with its tag and kind, at the top level of the data set or not.
    pub(super) fn add(&mut self, tag: Tag, kind: Kind, top_level: bool, index: u32) {
        if top_level {
            self.unsorted |= self.top.last().is_some_and(|&(last, _)| last > tag);
            self.top.push((tag, index));
        }
        if kind == Kind::Sequence {
            self.sequences.push(index);
        }
    }

    /// Sorts the top level by tag, then position: the first of duplicated
    /// tags stays first. Well-formed data sets are in order already; one
    /// with an element out of place is two or three sorted runs, which the
    /// stable sort finds and merges in one pass (the unstable sort's
    /// quicksort took a quarter of a series file's scan in WASM for one
    /// misplaced element).
    pub(super) fn finish(&mut self) {
        if self.unsorted {
            self.top.sort_by_key(|&(tag, _)| tag);
            self.unsorted = false;
        }
    }

    /// The index of `elements` made afresh (the walk's is tested equal to it).
    fn of(elements: &[Element]) -> Index {
        let mut index = Index::default();
        for (i, e) in elements.iter().enumerate() {
            index.add(e.tag, e.kind, e.depth == 0 && !e.in_meta, i as u32);
        }
        index.finish();
        index
    }
}

impl Scan<'_> {
    /// The bytes of an element's value that are present in the body.
    pub fn value(&self, e: &Element) -> &[u8] {
        let start = usize::try_from(e.value_offset()).unwrap_or(usize::MAX).min(self.body.len());
        let end = start.saturating_add(e.available as usize).min(self.body.len());
        &self.body[start..end]
    }

    /// The character set in force for an element.
    pub fn charset(&self, e: &Element) -> &Charset {
        &self.charsets[usize::from(e.charset).min(self.charsets.len() - 1)]
    }

    /// The first top-level (data set, not meta) element with this tag.
    pub fn top_level(&self, tag: Tag) -> Option<&Element> {
        self.top_level_at(tag).and_then(|i| self.elements.get(i))
    }

    /// The index in `elements` of [`Self::top_level`]'s element.
    pub fn top_level_at(&self, tag: Tag) -> Option<usize> {
        self.top_level_all(tag).next()
    }

    /// The indexes in `elements` of every top-level (data set, not meta)
    /// node with this tag (more than one only in a malformed file), in
    /// document order.
    pub fn top_level_all(&self, tag: Tag) -> impl Iterator<Item = usize> + '_ {
        let top = &self.index.top;
        top[top.partition_point(|&(t, _)| t < tag)..].iter().take_while(move |&&(t, _)| t == tag).map(|&(_, i)| i as usize)
    }

    /// The sequences, nested or not, with their indexes in `elements`, in
    /// document order (a header has a few among hundreds of elements).
    pub fn sequences(&self) -> impl Iterator<Item = (usize, &Element)> + '_ {
        self.index.sequences.iter().map(|&i| (i as usize, &self.elements[i as usize]))
    }

    /// The descendants of node `index` (they follow it contiguously), with
    /// their indexes.
    pub fn descendants(&self, index: usize) -> impl Iterator<Item = (usize, &Element)> + '_ {
        let depth = self.elements.get(index).map_or(u16::MAX, |e| e.depth);
        self.elements.iter().enumerate().skip(index + 1).take_while(move |(_, e)| e.depth > depth)
    }

    /// The direct children of node `index` (items of a sequence, elements of
    /// an item), with their indices. Descendants follow a node contiguously.
    pub fn children(&self, index: usize) -> impl Iterator<Item = (usize, &Element)> + '_ {
        self.descendants(index).filter(move |(_, e)| e.parent as usize == index)
    }

    /// The first child of node `index` with this tag.
    pub fn child(&self, index: usize, tag: Tag) -> Option<&Element> {
        self.children(index).map(|(_, e)| e).find(|e| e.tag == tag)
    }

    /// The first meta group element with this tag.
    pub fn meta_element(&self, tag: Tag) -> Option<&Element> {
        self.elements.iter().take_while(|e| e.in_meta).find(|e| e.tag == tag)
    }
}

/// Scans a whole file held in memory, or its first bytes when
/// [`Options::file_size`] says the file is larger.
pub fn scan<'a>(bytes: &'a [u8], options: &Options) -> Scan<'a> {
    scan_within(bytes, options, &Deadline::start(options.max_millis))
}

/// [`scan`] within an inspection's time limit (the walk asks `deadline`
/// as it goes, each element a unit of its work).
pub fn scan_within<'a>(bytes: &'a [u8], options: &Options, deadline: &Deadline) -> Scan<'a> {
    let file_size = options.file_size.filter(|&n| n > bytes.len() as u64).unwrap_or(bytes.len() as u64);
    // On wasm32 a file past 4 GiB is as long as an offset can reach.
    let file_len = usize::try_from(file_size).unwrap_or(usize::MAX);
    let partial = file_len > bytes.len();
    let mut faults = Vec::new();
    // Room for a header's worth of elements (about one per 16 bytes, and
    // most headers hold a few hundred), so the vector seldom grows.
    let mut elements = Vec::with_capacity((bytes.len() / 16).clamp(64, 512));
    let head = meta::read_head(bytes, file_len, &mut elements, &mut faults);
    let prefix = |needs: Option<usize>, head_complete: bool| {
        partial.then(|| Prefix { loaded: bytes.len() as u64, file_size, needs_bytes: needs.map(|n| n as u64), head_complete })
    };
    let default_charset = || vec![Charset { code: String::new(), codec: SpecificCharacterSet::default() }];
    let unwalked = |head: meta::Head, elements: Vec<Element>, faults, prefix| Scan {
        index: Index::of(&elements),
        file_len: file_size,
        preamble: head.preamble,
        magic: head.magic,
        file_meta: head.file_meta,
        dataset_offset: head.dataset_offset as u64,
        dataset_end: head.dataset_offset as u64,
        fault_at_top: None,
        is_dicom: head.magic || head.file_meta,
        encoding: head.encoding,
        elements,
        charsets: default_charset(),
        faults,
        body: Cow::Borrowed(bytes),
        prefix,
    };
    if head.needs.is_some() {
        let p = prefix(head.needs, false);
        return unwalked(head, elements, faults, p);
    }
    if head.encoding.deflated && partial {
        // The inflated data set has no offsets in the file: only the whole
        // file can be inflated and walked.
        let p = prefix(Some(file_len), true);
        return unwalked(head, elements, faults, p);
    }

    let mut body: Cow<'a, [u8]> = Cow::Borrowed(bytes);
    if head.encoding.deflated {
        body = Cow::Owned(meta::inflate(bytes, head.dataset_offset, options, &mut faults));
    }

    let mut charsets = default_charset();
    let meta_elements = elements.len();
    let walk = walker::walk(
        &body,
        head.dataset_offset,
        if head.encoding.deflated { body.len() } else { file_len },
        &head.encoding,
        options,
        deadline,
        &mut elements,
        &mut charsets,
        &mut faults,
    );

    // (The meta group's elements come first, and only they.)
    let dataset_elements = elements.len() - meta_elements;
    let plausible = meta::plausible_first_group(&body, head.dataset_offset, &head.encoding);
    // A walk cut short by the end of the bytes given may find the elements
    // that make a raw data set plausible in the next read.
    let cut = walk.cut.is_some_and(|needs| needs.is_some());
    let is_dicom = head.magic || head.file_meta || (plausible && (dataset_elements >= 3 || cut));
    // Not DICOM: reading more would not change that.
    let needs = walk.cut.flatten().filter(|_| is_dicom);

    Scan {
        index: walk.index,
        file_len: file_size,
        preamble: head.preamble,
        magic: head.magic,
        file_meta: head.file_meta,
        dataset_offset: head.dataset_offset as u64,
        dataset_end: walk.pos as u64,
        fault_at_top: walk.fault_at_top,
        encoding: head.encoding,
        elements,
        charsets,
        faults,
        is_dicom,
        body,
        prefix: prefix(needs, true),
    }
}

impl Scan<'_> {
    /// This scan without its bytes (to be given them again by [`complete`]),
    /// or `None` when it holds bytes of its own (an inflated data set).
    pub(crate) fn detach(self) -> Option<Scan<'static>> {
        let Cow::Borrowed(_) = self.body else { return None };
        Some(Scan {
            body: Cow::Borrowed(&[]),
            file_len: self.file_len,
            preamble: self.preamble,
            magic: self.magic,
            file_meta: self.file_meta,
            dataset_offset: self.dataset_offset,
            dataset_end: self.dataset_end,
            fault_at_top: self.fault_at_top,
            encoding: self.encoding,
            elements: self.elements,
            charsets: self.charsets,
            faults: self.faults,
            is_dicom: self.is_dicom,
            prefix: self.prefix,
            index: self.index,
        })
    }
}

/// What [`scan`] gives for the whole of `body`, from `head`: a [`detach`]ed
/// scan of `body`'s first bytes (with [`Options::file_size`] the length of
/// `body`) that stopped at top-level Pixel Data whose value runs to the end
/// of `body`. The walk of the whole body reads the same headers, then steps
/// over that value to the end, so only the last element's bytes present,
/// the end of the walk and the prefix differ: a headers-only read needs one
/// walk, not two. `None` when `head` is anything else (scan the body again).
///
/// [`detach`]: Scan::detach
pub(crate) fn complete<'a>(mut head: Scan<'static>, body: &'a [u8]) -> Option<Scan<'a>> {
    let prefix = head.prefix?;
    let pixels = head.elements.last()?;
    let value_end = pixels.value_offset() + u64::from(pixels.length);
    let reusable = prefix.head_complete
        && prefix.needs_bytes.is_none()
        && prefix.file_size == body.len() as u64
        && prefix.loaded <= prefix.file_size
        && !head.encoding.deflated
        && head.fault_at_top.is_none()
        && pixels.depth == 0
        && pixels.kind == Kind::Element
        && pixels.tag == PIXEL_DATA
        // (a UN value that starts like an item would be walked as a sequence)
        && matches!(pixels.vr, VR::OB | VR::OW)
        && pixels.length != UNDEFINED
        && head.dataset_end == pixels.offset
        && value_end == body.len() as u64;
    if !reusable {
        return None;
    }
    let last = head.elements.len() - 1;
    head.elements[last].available = head.elements[last].length;
    head.dataset_end = value_end;
    head.prefix = None;
    Some(Scan { body: Cow::Borrowed(body), ..head })
}

#[cfg(test)]
mod tests;
