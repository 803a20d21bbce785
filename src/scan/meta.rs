//! Preamble, `DICM` prefix and File Meta Information (PS3.10 7.1).
//!
//! A Part 10 file is 128 bytes of preamble, `DICM`, then group 0002 in
//! Explicit VR Little Endian. Real files also come without the preamble
//! (meta group at byte 0), without any meta group (a raw data set, whose
//! encoding must be guessed), or with a meta group that lacks (0002,0010).

use std::io::Read;

use dicom_core::{Tag, VR};
use dicom_encoding::decode::explicit_le::ExplicitVRLittleEndianDecoder;
use dicom_encoding::decode::Decode;

use super::{Element, Encoding, Kind, NONE};
use crate::options::Options;
use crate::report::{Finding, Severity};
use crate::tables::{self, EXPLICIT_VR_BE, EXPLICIT_VR_LE, IMPLICIT_VR_LE};

const PREAMBLE_LEN: usize = 128;
const TRANSFER_SYNTAX_UID: Tag = Tag(0x0002, 0x0010);

pub(super) struct Head {
    /// Reading the first bytes of a larger file (`Options::file_size`) that
    /// end before the data set's first element header: read this many bytes
    /// and try again. Nothing after `dataset_offset` is meaningful then.
    pub needs: Option<usize>,
    pub preamble: bool,
    pub magic: bool,
    pub file_meta: bool,
    pub dataset_offset: usize,
    pub encoding: Encoding,
}

/// Reads everything before the data set, recording meta elements. `file_len`
/// is the size of the whole file, larger than `bytes` when only its first
/// bytes were given.
pub(super) fn read_head(bytes: &[u8], file_len: usize, elements: &mut Vec<Element>, faults: &mut Vec<Finding>) -> Head {
    let (preamble, magic, meta_start) = if bytes.get(PREAMBLE_LEN..PREAMBLE_LEN + 4) == Some(b"DICM") {
        (true, true, PREAMBLE_LEN + 4)
    } else if bytes.get(..4) == Some(b"DICM") {
        (false, true, 4)
    } else {
        (false, false, 0)
    };
    let partial = file_len > bytes.len();
    if partial && !magic && bytes.len() < PREAMBLE_LEN + 4 {
        // Too few bytes to tell whether DICM follows a preamble.
        return Head { needs: Some(super::grow(bytes.len(), PREAMBLE_LEN + 4 + 12, file_len)), preamble, magic, file_meta: false, dataset_offset: meta_start, encoding: guessed_encoding(guess_encoding(&[])) };
    }

    let (meta_end, ts_uid, needs) = read_meta_group(bytes, meta_start, file_len, elements, faults);
    if needs.is_some() {
        return Head { needs, preamble, magic, file_meta: meta_end > meta_start, dataset_offset: meta_end, encoding: guessed_encoding(guess_encoding(&[])) };
    }
    let file_meta = meta_end > meta_start;
    if magic && !file_meta {
        faults.push(
            Finding::new("integrity.missing_file_meta", Severity::Medium, "DICM prefix present but no File Meta Information group follows")
                .at(meta_start as u64)
                .reference("PS3.10 7.1"),
        );
    }

    let guessed = guess_encoding(bytes.get(meta_end..).unwrap_or(&[]));
    let encoding = match ts_uid {
        Some(uid) => from_uid(uid, guessed, meta_end as u64, faults),
        None => {
            if file_meta {
                faults.push(
                    Finding::new("integrity.missing_transfer_syntax", Severity::Medium, "File Meta Information has no Transfer Syntax UID (0002,0010); the encoding was guessed")
                        .at(meta_start as u64)
                        .reference("PS3.10 7.1"),
                );
            }
            guessed_encoding(guessed)
        }
    };

    Head { needs: None, preamble, magic, file_meta, dataset_offset: meta_end, encoding }
}

/// Reads group 0002 elements from `start`; returns where they end, the
/// transfer syntax UID if present, and, for the first bytes of a larger file
/// that end inside the group or before the first data set header, how many
/// bytes to read instead.
fn read_meta_group(
    bytes: &[u8],
    start: usize,
    file_len: usize,
    elements: &mut Vec<Element>,
    faults: &mut Vec<Finding>,
) -> (usize, Option<String>, Option<usize>) {
    let decoder = ExplicitVRLittleEndianDecoder::default();
    let partial = file_len > bytes.len();
    let mut pos = start;
    let mut ts_uid = None;
    while let Some(rest) = bytes.get(pos..) {
        // A whole explicit VR header (12 bytes) tells a meta element from the
        // first data set element, and gives the encoding guess its 8 bytes.
        if partial && rest.len() < 12 {
            return (pos, ts_uid, Some(super::grow(bytes.len(), pos + 12, file_len)));
        }
        if rest.len() < 8 || u16::from_le_bytes([rest[0], rest[1]]) != 0x0002 {
            break;
        }
        if VR::from_binary([rest[4], rest[5]]).is_none() {
            faults.push(
                Finding::new("integrity.invalid_vr", Severity::Medium, "File Meta Information element without a valid explicit VR")
                    .at(pos as u64)
                    .reference("PS3.10 7.1"),
            );
            break;
        }
        let mut source = rest;
        let Ok((header, header_len)) = decoder.decode_header(&mut source) else {
            faults.push(Finding::new("integrity.truncated", Severity::Medium, "file ends inside a File Meta Information element header").at(pos as u64));
            return (file_len, ts_uid, None);
        };
        let length = header.len.0;
        let value_start = pos + header_len;
        let available = bytes.len().saturating_sub(value_start).min(length as usize);
        let value_end = value_start.saturating_add(length as usize);
        if partial && !header.len.is_undefined() && available < length as usize && value_end <= file_len {
            return (pos, ts_uid, Some(super::grow(bytes.len(), value_end, file_len)));
        }
        if header.len.is_undefined() || available < length as usize {
            faults.push(
                Finding::new("integrity.length_past_end", Severity::Medium, format!("File Meta Information element {} declares {length} bytes, past the end of the file", crate::report::format_tag(header.tag.0, header.tag.1)))
                    .at(pos as u64),
            );
            return (file_len, ts_uid, None);
        }
        if header.tag == TRANSFER_SYNTAX_UID {
            let raw = &bytes[value_start..value_start + length as usize];
            ts_uid = Some(String::from_utf8_lossy(raw).trim_end_matches(['\0', ' ']).trim().to_owned());
        }
        elements.push(Element {
            tag: header.tag,
            vr: header.vr,
            kind: Kind::Element,
            offset: pos as u64,
            header_len: header_len as u8,
            length,
            available: length,
            depth: 0,
            parent: NONE,
            item_index: 0,
            charset: 0,
            creator: NONE,
            in_meta: true,
            little_endian: true,
        });
        pos = value_start + length as usize;
    }
    (pos.min(bytes.len()), ts_uid, None)
}

/// The first bytes of a data set, read as each of the three binary encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess {
    pub explicit_vr: bool,
    pub big_endian: bool,
}

fn is_vr(b0: u8, b1: u8) -> bool {
    b0.is_ascii_uppercase() && b1.is_ascii_uppercase() && VR::from_binary([b0, b1]).is_some()
}

/// Guesses the encoding of a data set from its first element header.
///
/// An explicit VR shows as two upper-case letters at bytes 4-5; big endian
/// shows as a small group number read big endian (`00 08` rather than `08 00`).
pub fn guess_encoding(data: &[u8]) -> Guess {
    if data.len() < 8 {
        return Guess { explicit_vr: false, big_endian: false };
    }
    let le = u16::from_le_bytes([data[0], data[1]]);
    let be = u16::from_be_bytes([data[0], data[1]]);
    let explicit_vr = is_vr(data[4], data[5]);
    let big_endian = !is_first_group(le) && is_first_group(be);
    Guess { explicit_vr, big_endian: big_endian && explicit_vr }
}

fn guessed_encoding(g: Guess) -> Encoding {
    let uid = match (g.explicit_vr, g.big_endian) {
        (false, _) => IMPLICIT_VR_LE,
        (true, false) => EXPLICIT_VR_LE,
        (true, true) => EXPLICIT_VR_BE,
    };
    Encoding {
        uid: None,
        entry: tables::transfer_syntax(uid),
        explicit_vr: g.explicit_vr,
        big_endian: g.big_endian,
        deflated: false,
        source: "guessed",
    }
}

fn from_uid(uid: String, guessed: Guess, at: u64, faults: &mut Vec<Finding>) -> Encoding {
    match tables::transfer_syntax(&uid) {
        Some(entry) => {
            let mut encoding = Encoding {
                uid: Some(uid),
                entry: Some(entry),
                explicit_vr: entry.explicit_vr,
                big_endian: entry.big_endian,
                deflated: entry.deflated,
                source: "meta",
            };
            // A meta group that says explicit over an implicit data set (or
            // the reverse) is a known real-world fault; follow the bytes.
            if !entry.deflated && entry.explicit_vr != guessed.explicit_vr {
                faults.push(
                    Finding::new(
                        "integrity.transfer_syntax_mismatch",
                        Severity::Medium,
                        format!(
                            "Transfer Syntax UID says {} VR but the data set is encoded with {} VR; read as the bytes say",
                            if entry.explicit_vr { "explicit" } else { "implicit" },
                            if guessed.explicit_vr { "explicit" } else { "implicit" },
                        ),
                    )
                    .at(at)
                    .reference("PS3.5 10"),
                );
                encoding.explicit_vr = guessed.explicit_vr;
                encoding.big_endian = guessed.big_endian;
            }
            encoding
        }
        None => {
            // Unknown or private syntax: if the data set still parses as one of
            // the standard encodings, read it that way (PS3.5 A.4 says pixel
            // data may be encapsulated; the walker handles undefined lengths).
            let mut e = guessed_encoding(guessed);
            e.uid = Some(uid);
            e.entry = None;
            e.source = "fallback";
            e
        }
    }
}

/// Inflates a Deflated Explicit VR Little Endian data set (PS3.5 A.5):
/// returns the meta bytes followed by the inflated data set.
pub(super) fn inflate(bytes: &[u8], dataset_offset: usize, options: &Options, faults: &mut Vec<Finding>) -> Vec<u8> {
    let compressed = bytes.get(dataset_offset..).unwrap_or(&[]);
    let limit = options.max_inflated_bytes;
    // First pass: how much it inflates to (up to the limit), so the buffer is
    // allocated once at its final size: no doubling past the limit.
    let mut counter = flate2::read::DeflateDecoder::new(compressed).take(limit.saturating_add(1));
    let counted = std::io::copy(&mut counter, &mut std::io::sink());
    let size = match &counted {
        Ok(n) => *n,
        Err(_) => limit, // corrupt: the second pass reports where
    };
    let keep = size.min(limit);
    let mut out = Vec::with_capacity(dataset_offset.min(bytes.len()) + usize::try_from(keep).unwrap_or(usize::MAX));
    out.extend_from_slice(&bytes[..dataset_offset.min(bytes.len())]);
    let mut decoder = flate2::read::DeflateDecoder::new(compressed).take(keep);
    let read = decoder.read_to_end(&mut out);
    if size > limit {
        faults.push(
            Finding::new("integrity.limit", Severity::Medium, format!("deflated data set inflates past the limit of {limit} bytes; inspected the first {limit}"))
                .at(dataset_offset as u64),
        );
    }
    if let Err(err) = read.and(counted.map(|_| 0)) {
        faults.push(
            Finding::new("integrity.deflate", Severity::Medium, format!("deflated data set is corrupt after {} inflated bytes: {err}", out.len() - dataset_offset.min(bytes.len())))
                .at(dataset_offset as u64),
        );
    }
    out
}

/// Whether the first data set element has a group a real data set starts with.
pub(super) fn plausible_first_group(body: &[u8], offset: usize, encoding: &Encoding) -> bool {
    let Some(b) = body.get(offset..offset + 4) else { return false };
    let group = if encoding.big_endian { u16::from_be_bytes([b[0], b[1]]) } else { u16::from_le_bytes([b[0], b[1]]) };
    is_first_group(group)
}

/// Groups a data set commonly starts with (command, meta, directory, and the
/// first groups of the information object modules).
fn is_first_group(group: u16) -> bool {
    matches!(group, 0x0000 | 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x0018 | 0x0020 | 0x0028)
}
