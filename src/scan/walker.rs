//! Walks a data set: element headers, sequences, items and encapsulated
//! fragments, with an explicit stack instead of recursion.
//!
//! ```text
//! loop:
//!   close every container whose defined length ends here
//!   in a sequence:        expect Item (FFFE,E000) or Sequence Delimitation
//!   in encapsulated data: expect fragment Items, then Sequence Delimitation
//!   in a data set / item: decode an element header (dicom-encoding) and
//!                         descend into SQ, undefined-length UN (CP-246) and
//!                         encapsulated Pixel Data; otherwise skip the value
//! ```
//!
//! Values are never copied: a node keeps its offset and length. The only
//! values read here are (0008,0005) and private creators, because they
//! change how later values are decoded and named.
//!
//! Given only the first bytes of a larger file (`Options::file_size`), a
//! header or value that runs past those bytes but not past the file is a
//! *cut*, not a fault: the walk stops there and says how many bytes it needs
//! to go on, or nothing once it has reached top-level Pixel Data (the
//! headers are then complete and the pixels are not wanted).

#![allow(clippy::result_large_err)] // the error is the finding, built once per walk

use dicom_core::header::DataElementHeader;
use dicom_core::{Tag, VR};
use dicom_encoding::decode::explicit_be::ExplicitVRBigEndianDecoder;
use dicom_encoding::decode::explicit_le::ExplicitVRLittleEndianDecoder;
use dicom_encoding::decode::implicit_le::ImplicitVRLittleEndianDecoder;
use dicom_encoding::decode::Decode;
use dicom_encoding::text::SpecificCharacterSet;

use super::{Charset, Element, Encoding, Index, Kind, ITEM, ITEM_DELIMITATION, NONE, PIXEL_DATA, SEQUENCE_DELIMITATION, SPECIFIC_CHARACTER_SET, UNDEFINED};
use crate::deadline::Deadline;
use crate::options::Options;
use crate::report::{format_tag, Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FrameKind {
    Dataset,
    Sequence,
    Item,
    PixelSequence,
}

struct Frame {
    kind: FrameKind,
    /// Index of the node that opened this frame, or NONE for the top data set.
    node: u32,
    /// End offset for containers of defined length.
    end: Option<usize>,
    /// Elements inside are Implicit VR Little Endian (UN sequences, CP-246).
    implicit: bool,
    charset: u16,
    /// Private creators of this data set or item: (group, block, node index).
    creators: Vec<(u16, u8, u32)>,
    /// Items (or fragments) read so far in this sequence.
    children: u32,
}

impl Frame {
    fn new(kind: FrameKind, node: u32, end: Option<usize>, implicit: bool, charset: u16) -> Frame {
        Frame { kind, node, end, implicit, charset, creators: Vec::new(), children: 0 }
    }
}

struct Decoders {
    explicit_le: ExplicitVRLittleEndianDecoder,
    implicit_le: ImplicitVRLittleEndianDecoder<dicom_dictionary_std::StandardDataDictionary>,
    explicit_be: ExplicitVRBigEndianDecoder,
}

impl Decoders {
    fn decode(&self, mut source: &[u8], explicit: bool, big_endian: bool) -> Option<(DataElementHeader, usize)> {
        if explicit && !big_endian {
            // Most files: the header read here, as dicom-encoding reads it
            // (tested against it), without its VR parse from a &str.
            if let Some(header) = explicit_le_header(source) {
                return Some(header);
            }
        }
        let result = match (explicit, big_endian) {
            (true, false) => self.explicit_le.decode_header(&mut source),
            (true, true) => self.explicit_be.decode_header(&mut source),
            (false, _) => self.implicit_le.decode_header(&mut source),
        };
        result.ok()
    }
}

fn read_u16(b: &[u8], big_endian: bool) -> u16 {
    let v = [b[0], b[1]];
    if big_endian { u16::from_be_bytes(v) } else { u16::from_le_bytes(v) }
}

fn read_u32(b: &[u8], big_endian: bool) -> u32 {
    let v = [b[0], b[1], b[2], b[3]];
    if big_endian { u32::from_be_bytes(v) } else { u32::from_le_bytes(v) }
}

const PIXEL_REPRESENTATION: Tag = Tag(0x0028, 0x0103);

/// Attributes whose dictionary VR is "US or SS".
fn is_xs(tag: Tag) -> bool {
    use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry, VirtualVr};
    dicom_dictionary_std::StandardDataDictionary.by_tag(tag).is_some_and(|e| e.vr() == VirtualVr::Xs)
}

fn is_vr(b0: u8, b1: u8) -> bool {
    vr_of(b0, b1).is_some()
}

/// The VR two bytes name: `VR::from_binary`'s answer for two upper-case
/// letters (every VR is two), looked up in a table made from it once.
pub(super) fn vr_of(b0: u8, b1: u8) -> Option<VR> {
    static TABLE: std::sync::OnceLock<[Option<VR>; 26 * 26]> = std::sync::OnceLock::new();
    if !(b0.is_ascii_uppercase() && b1.is_ascii_uppercase()) {
        return None;
    }
    let table = TABLE.get_or_init(|| std::array::from_fn(|i| VR::from_binary([b'A' + (i / 26) as u8, b'A' + (i % 26) as u8])));
    table[usize::from(b0 - b'A') * 26 + usize::from(b1 - b'A')]
}

/// An Explicit VR Little Endian element header (PS3.5 7.1.2): tag, VR, and a
/// 16-bit length for the VRs of Table 7.1-2, else two reserved bytes and a
/// 32-bit length. `None` for item tags, unknown VRs or too few bytes, which
/// go to dicom-encoding's decoder.
fn explicit_le_header(b: &[u8]) -> Option<(DataElementHeader, usize)> {
    let head: &[u8; 8] = b.get(..8)?.try_into().ok()?;
    let group = u16::from_le_bytes([head[0], head[1]]);
    if group == 0xFFFE {
        return None;
    }
    let element = u16::from_le_bytes([head[2], head[3]]);
    let vr = vr_of(head[4], head[5])?;
    let short = matches!(
        vr,
        VR::AE | VR::AS | VR::AT | VR::CS | VR::DA | VR::DS | VR::DT | VR::FL | VR::FD | VR::IS | VR::LO | VR::LT | VR::PN | VR::SH | VR::SL | VR::SS | VR::ST | VR::TM | VR::UI | VR::UL | VR::US
    );
    let (len, header_len) = if short {
        (u32::from(u16::from_le_bytes([head[6], head[7]])), 8)
    } else {
        let l = b.get(8..12)?;
        (u32::from_le_bytes([l[0], l[1], l[2], l[3]]), 12)
    };
    Some((DataElementHeader::new((group, element), vr, dicom_core::Length(len)), header_len))
}

/// Parses the Specific Character Set value into a codec. Multi-valued sets
/// (ISO 2022 code extensions) use the last supported term, which is the one
/// that names the extension actually used in values.
fn charset_from(value: &[u8]) -> SpecificCharacterSet {
    let text = String::from_utf8_lossy(value);
    text.split('\\')
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .rev()
        .find_map(SpecificCharacterSet::from_code)
        .unwrap_or_default()
}

struct Walker<'b, 'o, 'd> {
    body: &'b [u8],
    /// Length of the whole file: past `body.len()` when only its first bytes were given.
    file_len: usize,
    /// The walk has read the header of top-level Pixel Data.
    pixel_reached: bool,
    /// The walk stopped at the end of the bytes given, inside a file that
    /// goes on: `Some(needs)`, with the bytes to read next or `None` when
    /// the rest is pixel data.
    cut: Option<Option<usize>>,
    big_endian: bool,
    explicit_vr: bool,
    options: &'o Options,
    decoders: Decoders,
    stack: Vec<Frame>,
    sequence_depth: u32,
    /// Pixel Representation (0028,0103) is 1: US-or-SS attributes are SS.
    signed_pixels: bool,
    /// Faults that do not stop the walk.
    warnings: Vec<Finding>,
    /// The file's time limit (`Options::max_millis`), asked per element.
    deadline: &'d Deadline,
    /// The scan's indexes, built as the nodes come.
    index: Index,
}

/// Where a walk ended.
pub(super) struct WalkEnd {
    pub pos: usize,
    /// The walk stopped at the end of the first bytes of a larger file:
    /// `Some(Some(n))` needs `n` bytes to go on; `Some(None)` stopped in
    /// top-level pixel data.
    pub cut: Option<Option<usize>>,
    /// A fault stopped the walk; true when it was in the top-level data set.
    pub fault_at_top: Option<bool>,
    /// The walked nodes' [`Index`] (with `elements` before the walk: the meta group's, none).
    pub index: Index,
}

/// Walks the data set starting at `start`; returns where it ended. `file_len`
/// is the length of the whole file (at least `body.len()`).
#[allow(clippy::too_many_arguments)]
pub(super) fn walk(
    body: &[u8],
    start: usize,
    file_len: usize,
    encoding: &Encoding,
    options: &Options,
    deadline: &Deadline,
    elements: &mut Vec<Element>,
    charsets: &mut Vec<Charset>,
    faults: &mut Vec<Finding>,
) -> WalkEnd {
    let mut w = Walker {
        body,
        file_len: file_len.max(body.len()),
        pixel_reached: false,
        cut: None,
        big_endian: encoding.big_endian,
        explicit_vr: encoding.explicit_vr,
        options,
        decoders: Decoders {
            explicit_le: ExplicitVRLittleEndianDecoder::default(),
            implicit_le: ImplicitVRLittleEndianDecoder::with_std_dict(),
            explicit_be: ExplicitVRBigEndianDecoder::default(),
        },
        stack: vec![Frame::new(FrameKind::Dataset, NONE, Some(file_len.max(body.len())), false, 0)],
        sequence_depth: 0,
        signed_pixels: false,
        warnings: Vec::new(),
        deadline,
        // Room for as many top-level elements as `elements` has room for
        // (at most all of them are), so the index seldom grows either.
        index: Index::with_capacity(elements.capacity() - elements.len()),
    };
    let mut pos = start;
    let result = w.run(&mut pos, elements, charsets);
    faults.append(&mut w.warnings);
    let fault_at_top = result.as_ref().err().map(|_| w.stack.len() == 1);
    if let Err(fault) = result {
        faults.push(fault);
    }
    w.index.finish();
    WalkEnd { pos, cut: w.cut, fault_at_top, index: w.index }
}

/// Top-level pixel data: Pixel Data, Float and Double Float Pixel Data (PS3.3 C.7.6.3).
fn is_pixel_data(tag: Tag) -> bool {
    tag == PIXEL_DATA || tag == Tag(0x7FE0, 0x0008) || tag == Tag(0x7FE0, 0x0009)
}

impl Walker<'_, '_, '_> {
    fn top(&self) -> &Frame {
        // The stack always holds the data set frame: `pop` never removes it.
        &self.stack[self.stack.len() - 1]
    }

    fn top_mut(&mut self) -> &mut Frame {
        let n = self.stack.len() - 1;
        &mut self.stack[n]
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            if let Some(f) = self.stack.pop() {
                if matches!(f.kind, FrameKind::Sequence | FrameKind::PixelSequence) {
                    self.sequence_depth -= 1;
                }
            }
        }
    }

    /// Whether only the first bytes of the file were given.
    fn partial(&self) -> bool {
        self.file_len > self.body.len()
    }

    /// Stops the walk at the end of the bytes given; `at_least` is the end
    /// of what was being read when it is known.
    fn stop_cut(&mut self, at_least: usize) {
        self.cut = Some((!self.pixel_reached).then(|| super::grow(self.body.len(), at_least, self.file_len)));
    }

    /// The bytes end inside an element header at `pos`: the header of
    /// top-level Pixel Data needs only itself, any other the usual growth.
    fn cut_header(&mut self, pos: usize) {
        let rest = &self.body[pos..];
        let pixel = self.stack.len() == 1 && rest.len() >= 4 && {
            let big_endian = self.big_endian && !self.top().implicit;
            is_pixel_data(Tag(read_u16(rest, big_endian), read_u16(&rest[2..], big_endian)))
        };
        if pixel && !self.pixel_reached {
            self.cut = Some(Some((pos + 12).min(self.file_len)));
        } else {
            self.stop_cut(pos + 12);
        }
    }

    fn depth(&self) -> u16 {
        u16::try_from(self.stack.len() - 1).unwrap_or(u16::MAX)
    }

    fn run(&mut self, pos: &mut usize, elements: &mut Vec<Element>, charsets: &mut Vec<Charset>) -> Result<(), Finding> {
        loop {
            let (kind, end, implicit) = {
                let top = self.top();
                (top.kind, top.end, top.implicit)
            };
            if let Some(end) = end {
                if *pos >= end {
                    if self.stack.len() == 1 {
                        return Ok(());
                    }
                    if *pos > end {
                        let node = &elements[self.top().node as usize];
                        return Err(Finding::new(
                            "integrity.length_mismatch",
                            Severity::Medium,
                            format!("contents of {} run {} bytes past its declared length", format_tag(node.tag.0, node.tag.1), *pos - end),
                        )
                        .at(node.offset)
                        .reference("PS3.5 7.5"));
                    }
                    self.pop();
                    continue;
                }
            }
            if self.cut.is_some() {
                return Ok(());
            }
            if *pos >= self.body.len() && *pos < self.file_len {
                self.stop_cut(*pos + 12);
                return Ok(());
            }
            if *pos >= self.body.len() {
                if self.stack.len() > 1 {
                    return Err(Finding::new("integrity.truncated", Severity::Medium, "file ends inside a sequence or item that was never closed")
                        .at(*pos as u64)
                        .reference("PS3.5 7.5"));
                }
                return Ok(());
            }
            let rest = &self.body[*pos..];
            if rest.len() < 8 && self.partial() {
                self.cut_header(*pos);
                return Ok(());
            }
            if rest.len() < 8 {
                return Err(Finding::new("integrity.truncated", Severity::Medium, format!("{} bytes at the end are too few for an element header", rest.len()))
                    .at(*pos as u64)
                    .reference("PS3.5 7.1"));
            }
            if self.deadline.passed() {
                return Err(self.deadline.finding("the rest of the data set was not read").at(*pos as u64));
            }
            if elements.len() as u64 >= u64::from(self.options.max_elements) {
                return Err(Finding::new("integrity.limit", Severity::Medium, format!("more than {} elements; the rest of the file was not inspected", self.options.max_elements))
                    .at(*pos as u64));
            }
            let big_endian = self.big_endian && !implicit;
            let tag = Tag(read_u16(rest, big_endian), read_u16(&rest[2..], big_endian));
            match kind {
                FrameKind::Sequence => self.sequence_child(pos, tag, big_endian, elements)?,
                FrameKind::PixelSequence => self.fragment(pos, tag, big_endian, elements)?,
                FrameKind::Dataset | FrameKind::Item => self.element(pos, tag, implicit, elements, charsets)?,
            }
        }
    }

    /// Inside a sequence: an item starts, or the sequence ends.
    fn sequence_child(&mut self, pos: &mut usize, tag: Tag, big_endian: bool, elements: &mut Vec<Element>) -> Result<(), Finding> {
        let length = read_u32(&self.body[*pos + 4..], big_endian);
        match tag {
            ITEM => {
                let (parent, charset, implicit, index) = {
                    let top = self.top_mut();
                    top.children += 1;
                    (top.node, top.charset, top.implicit, top.children - 1)
                };
                let available = if length == UNDEFINED { 0 } else { length.min((self.body.len() - *pos - 8) as u32) };
                let node = self.push_node(elements, tag, VR::UN, Kind::Item, *pos, 8, length, available, parent, index, charset, !big_endian);
                let end = (length != UNDEFINED).then(|| *pos + 8 + length as usize);
                self.stack.push(Frame::new(FrameKind::Item, node, end, implicit, charset));
                *pos += 8;
                Ok(())
            }
            SEQUENCE_DELIMITATION => {
                *pos += 8;
                if self.top().end.is_none() {
                    self.pop();
                    Ok(())
                } else {
                    Err(Finding::new("integrity.unexpected_delimiter", Severity::Medium, "Sequence Delimitation Item in a sequence of defined length")
                        .at(*pos as u64 - 8)
                        .reference("PS3.5 7.5.2"))
                }
            }
            _ => Err(Finding::new(
                "integrity.unexpected_tag",
                Severity::Medium,
                format!("expected an Item (FFFE,E000) in a sequence, found {}", format_tag(tag.0, tag.1)),
            )
            .at(*pos as u64)
            .reference("PS3.5 7.5")),
        }
    }

    /// Inside encapsulated Pixel Data: fragments, then the delimiter (PS3.5 A.4).
    fn fragment(&mut self, pos: &mut usize, tag: Tag, big_endian: bool, elements: &mut Vec<Element>) -> Result<(), Finding> {
        let length = read_u32(&self.body[*pos + 4..], big_endian);
        match tag {
            ITEM if length != UNDEFINED => {
                let (parent, index) = {
                    let top = self.top_mut();
                    top.children += 1;
                    (top.node, top.children - 1)
                };
                let remaining = self.body.len() - *pos - 8;
                let available = (length as usize).min(remaining) as u32;
                self.push_node(elements, tag, VR::OB, Kind::Fragment, *pos, 8, length, available, parent, index, 0, !big_endian);
                let end = (*pos + 8).saturating_add(length as usize);
                if available < length && self.partial() && end <= self.file_len {
                    self.stop_cut(end);
                    return Ok(());
                }
                let remaining = self.file_len - *pos - 8;
                if available < length {
                    return Err(Finding::new("integrity.length_past_end", Severity::Medium, format!("pixel data fragment {index} declares {length} bytes but only {remaining} remain"))
                        .at(*pos as u64)
                        .reference("PS3.5 A.4"));
                }
                *pos += 8 + length as usize;
                Ok(())
            }
            SEQUENCE_DELIMITATION => {
                *pos += 8;
                self.pop();
                Ok(())
            }
            _ => Err(Finding::new(
                "integrity.unexpected_tag",
                Severity::Medium,
                format!("expected a fragment Item of defined length in encapsulated Pixel Data, found {}", format_tag(tag.0, tag.1)),
            )
            .at(*pos as u64)
            .reference("PS3.5 A.4")),
        }
    }

    /// Inside a data set or item: one element.
    fn element(&mut self, pos: &mut usize, tag: Tag, implicit: bool, elements: &mut Vec<Element>, charsets: &mut Vec<Charset>) -> Result<(), Finding> {
        let big_endian = self.big_endian && !implicit;
        let explicit = self.explicit_vr && !implicit;
        if tag == ITEM_DELIMITATION {
            *pos += 8;
            let top = self.top();
            if top.kind == FrameKind::Item && top.end.is_none() {
                self.pop();
                return Ok(());
            }
            return Err(Finding::new("integrity.unexpected_delimiter", Severity::Medium, "Item Delimitation Item outside an item of undefined length")
                .at(*pos as u64 - 8)
                .reference("PS3.5 7.5.2"));
        }
        if tag.0 == 0xFFFE {
            return Err(Finding::new("integrity.unexpected_tag", Severity::Medium, format!("{} where a data element was expected", format_tag(tag.0, tag.1)))
                .at(*pos as u64)
                .reference("PS3.5 7.5"));
        }
        let rest = &self.body[*pos..];
        if explicit && !is_vr(rest[4], rest[5]) {
            return Err(Finding::new(
                "integrity.invalid_vr",
                Severity::Medium,
                format!("element {} has no valid explicit VR (bytes {:02X} {:02X}); the data set cannot be followed further", format_tag(tag.0, tag.1), rest[4], rest[5]),
            )
            .at(*pos as u64)
            .reference("PS3.5 7.1.2"));
        }
        let Some((header, header_len)) = self.decoders.decode(rest, explicit, big_endian) else {
            if self.partial() && rest.len() < 12 {
                self.cut_header(*pos);
                return Ok(());
            }
            return Err(Finding::new("integrity.truncated", Severity::Medium, "file ends inside an element header").at(*pos as u64).reference("PS3.5 7.1"));
        };
        let mut vr = header.vr;
        let length = header.len.0;
        if !explicit && tag.0 & 1 == 1 {
            // Implicit VR private elements: the standard dictionary's masks
            // (e.g. (7Fxx,0010)) must not name them. Creators are LO (PS3.5 7.8.1).
            vr = match tag.1 {
                0x0000 => VR::UL,
                0x0010..=0x00FF => VR::LO,
                _ => VR::UN,
            };
        } else if !explicit && vr == VR::US && self.signed_pixels && is_xs(tag) {
            // Implicit VR: US-or-SS attributes follow Pixel Representation (PS3.5 A.1, PS3.6 note).
            vr = VR::SS;
        }
        let value_start = *pos + header_len;
        let (parent, charset) = (self.top().node, self.top().charset);
        let creator = self.creator_of(tag);
        if self.stack.len() == 1 && is_pixel_data(tag) {
            self.pixel_reached = true;
        }

        if length == UNDEFINED {
            let kind = if tag == PIXEL_DATA || (tag.0 >> 8 == 0x60 && vr != VR::SQ && vr != VR::UN) {
                Kind::PixelSequence
            } else {
                Kind::Sequence
            };
            let node = self.push_node(elements, tag, vr, kind, *pos, header_len, length, 0, parent, 0, charset, !big_endian);
            elements[node as usize].creator = creator;
            if !matches!(vr, VR::SQ | VR::UN) && kind == Kind::Sequence {
                // Not a fault that stops the walk: an undefined length can only
                // mean a sequence here, so read it as one.
                self.warnings.push(
                    Finding::new("integrity.undefined_length", Severity::Medium, format!("element {} of VR {} has an undefined length; read as a sequence", format_tag(tag.0, tag.1), vr.to_string()))
                        .element(format_tag(tag.0, tag.1), String::new())
                        .at(*pos as u64)
                        .reference("PS3.5 7.1.1"),
                );
            }
            return self.descend(pos, value_start, node, None, kind, implicit || vr == VR::UN, elements);
        }

        let remaining = self.body.len() - value_start;
        let value_end = value_start.saturating_add(length as usize);
        if self.partial() && value_end > self.body.len() && value_end <= self.file_len {
            if self.pixel_reached && self.stack.len() == 1 && is_pixel_data(tag) {
                // Top-level pixel data: recorded with what is present, then
                // the headers are complete.
                let node = self.push_node(elements, tag, vr, Kind::Element, *pos, header_len, length, remaining as u32, parent, 0, charset, !big_endian);
                elements[node as usize].creator = creator;
                self.stop_cut(value_end);
                return Ok(());
            }
            if vr != VR::SQ {
                // Anything else (a UN value too: whether it holds a sequence
                // shows in its first bytes) is read whole or not at all.
                self.stop_cut(value_end);
                return Ok(());
            }
        }
        let remaining_in_file = self.file_len - value_start;
        let looks_like_sequence = vr == VR::SQ
            || (vr == VR::UN && length >= 8 && self.body.get(value_start..value_start + 4) == Some(&[0xFE, 0xFF, 0x00, 0xE0]));
        if looks_like_sequence {
            let node = self.push_node(elements, tag, vr, Kind::Sequence, *pos, header_len, length, length.min(remaining as u32), parent, 0, charset, !big_endian);
            elements[node as usize].creator = creator;
            return self.descend(pos, value_start, node, Some(value_start + length as usize), Kind::Sequence, implicit || vr == VR::UN, elements);
        }

        let available = (length as usize).min(remaining) as u32;
        let node = self.push_node(elements, tag, vr, Kind::Element, *pos, header_len, length, available, parent, 0, charset, !big_endian);
        elements[node as usize].creator = creator;
        if available < length {
            return Err(Finding::new(
                "integrity.length_past_end",
                Severity::Medium,
                format!("element {} declares {length} bytes but only {remaining_in_file} remain in the file", format_tag(tag.0, tag.1)),
            )
            .element(format_tag(tag.0, tag.1), String::new())
            .at(*pos as u64)
            .reference("PS3.5 7.1"));
        }
        let value = &self.body[value_start..value_start + length as usize];
        if tag == SPECIFIC_CHARACTER_SET {
            charsets.push(Charset { code: String::from_utf8_lossy(value).trim_end_matches([' ', '\0']).to_owned(), codec: charset_from(value) });
            self.top_mut().charset = u16::try_from(charsets.len() - 1).unwrap_or(u16::MAX);
            elements[node as usize].charset = self.top().charset;
        } else if tag == PIXEL_REPRESENTATION && value.len() >= 2 {
            self.signed_pixels = read_u16(value, big_endian) == 1;
        } else if tag.0 & 1 == 1 && (0x0010..=0x00FF).contains(&tag.1) {
            self.top_mut().creators.push((tag.0, tag.1 as u8, node));
        }
        *pos = value_start + length as usize;
        Ok(())
    }

    /// Opens a sequence or encapsulated pixel data whose header was just read.
    #[allow(clippy::too_many_arguments)]
    fn descend(&mut self, pos: &mut usize, value_start: usize, node: u32, end: Option<usize>, kind: Kind, implicit: bool, elements: &mut [Element]) -> Result<(), Finding> {
        if self.sequence_depth >= self.options.max_depth {
            let e = &elements[node as usize];
            let finding = Finding::new("integrity.limit", Severity::Medium, format!("sequences nested deeper than {}; the rest was not inspected", self.options.max_depth))
                .at(e.offset);
            return match end {
                // A defined length lets the walk step over what it will not enter.
                Some(end) if end <= self.body.len() => {
                    *pos = end;
                    Err(finding)
                }
                _ => Err(finding),
            };
        }
        let charset = self.top().charset;
        let frame_kind = if kind == Kind::PixelSequence { FrameKind::PixelSequence } else { FrameKind::Sequence };
        self.stack.push(Frame::new(frame_kind, node, end, implicit, charset));
        self.sequence_depth += 1;
        *pos = value_start;
        Ok(())
    }

    /// The private creator element reserving `tag`'s block (PS3.5 7.8.1).
    fn creator_of(&self, tag: Tag) -> u32 {
        if tag.0 & 1 == 0 || tag.1 < 0x1000 {
            return NONE;
        }
        let block = (tag.1 >> 8) as u8;
        self.top()
            .creators
            .iter()
            .rev()
            .find(|(g, b, _)| *g == tag.0 && *b == block)
            .map_or(NONE, |&(_, _, node)| node)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_node(
        &mut self,
        elements: &mut Vec<Element>,
        tag: Tag,
        vr: VR,
        kind: Kind,
        offset: usize,
        header_len: usize,
        length: u32,
        available: u32,
        parent: u32,
        item_index: u32,
        charset: u16,
        little_endian: bool,
    ) -> u32 {
        elements.push(Element {
            tag,
            vr,
            kind,
            offset: offset as u64,
            header_len: header_len as u8,
            length,
            available,
            depth: self.depth(),
            parent,
            item_index,
            charset,
            creator: NONE,
            in_meta: false,
            little_endian,
        });
        let node = (elements.len() - 1) as u32;
        self.index.add(tag, kind, self.stack.len() == 1, node);
        node
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast header read gives dicom-encoding's answer for every two-byte
    /// VR field (known VRs, unknown letters, any bytes) and both lengths.
    #[test]
    fn explicit_le_header_equals_dicom_encoding() {
        let decoder = ExplicitVRLittleEndianDecoder::default();
        let mut checked = 0;
        for vr in 0..=u16::MAX {
            let [b0, b1] = vr.to_le_bytes();
            assert_eq!(vr_of(b0, b1), if b0.is_ascii_uppercase() && b1.is_ascii_uppercase() { VR::from_binary([b0, b1]) } else { None });
            let bytes = [0x10, 0x00, 0x20, 0x00, b0, b1, 0x34, 0x12, 0x78, 0x56, 0x00, 0x00, 0xAA];
            let Some(fast) = explicit_le_header(&bytes) else { continue };
            let mut source = &bytes[..];
            assert_eq!(Some(fast), decoder.decode_header(&mut source).ok(), "VR bytes {b0:02X} {b1:02X}");
            // Too short for the long form: no answer (the decoder fails too).
            if fast.1 == 12 {
                assert!(explicit_le_header(&bytes[..11]).is_none());
            }
            checked += 1;
        }
        assert!(checked >= 30, "every VR was read ({checked})");
        assert!(explicit_le_header(&[0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0, 0, 0, 0, 0]).is_none(), "items go to the decoder");
    }
}
