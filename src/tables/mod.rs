//! Tables from the DICOM standard, compiled in as static data.
//!
//! The JSON sources live in `src/tables/data/` (copied from PS3.6 and PS3.15);
//! `scripts/gen_tables.py` turns them into the `*.rs` modules here, so the
//! browser never parses JSON at start-up.

mod profile;
mod safe_private;
mod transfer_syntaxes;

/// One row of PS3.6 Table A-1 of UID type "Transfer Syntax", with the flags
/// the inspector needs (see `src/tables/data/transfer_syntaxes.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferSyntaxEntry {
    pub uid: &'static str,
    /// The name without "(Retired)" and without the "Default Transfer Syntax" clause.
    pub name: &'static str,
    pub keyword: &'static str,
    pub retired: bool,
    /// Pixel Data is encapsulated in item fragments (PS3.5 A.4).
    pub encapsulated: bool,
    /// `Some(true)` lossy, `Some(false)` lossless, `None` either (check (0028,2110)).
    pub lossy: Option<bool>,
    pub explicit_vr: bool,
    pub big_endian: bool,
    /// The data set after the File Meta Information is deflate-compressed.
    pub deflated: bool,
}

/// Looks up a transfer syntax by UID (trailing NUL and spaces ignored).
pub fn transfer_syntax(uid: &str) -> Option<&'static TransferSyntaxEntry> {
    let uid = uid.trim_end_matches(['\0', ' ']);
    transfer_syntaxes::TRANSFER_SYNTAXES
        .binary_search_by(|e| e.uid.cmp(uid))
        .ok()
        .map(|i| &transfer_syntaxes::TRANSFER_SYNTAXES[i])
}

/// One row of PS3.15 Table E.1-1 (the Attribute Confidentiality Profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfileEntry {
    /// `(group << 16) | element`, with the `x` digits of masked rows zero.
    pub value: u32,
    /// Which bits of a tag must equal `value`: all for exact rows.
    pub mask: u32,
    pub name: &'static str,
    pub keyword: &'static str,
    /// Basic Profile action: X, Z, D, U, X/Z, X/D, Z/D, X/Z/D, X/Z/U*.
    pub basic: &'static str,
    /// Option columns, in the order of [`crate::options::ProfileOption::ALL`].
    pub options: [Option<&'static str>; 10],
    pub retired: bool,
}

/// The tags of the exact rows, in their order: searched instead of the rows
/// themselves (over 200 bytes each; the tags fit in 2.6 KB).
static EXACT_TAGS: [u32; profile::EXACT.len()] = {
    let mut tags = [0; profile::EXACT.len()];
    let mut i = 0;
    while i < tags.len() {
        tags[i] = profile::EXACT[i].value;
        i += 1;
    }
    tags
};

/// Slots of [`EXACT_BY_TAG`]: a power of two, over twice as many as the rows.
const EXACT_SLOTS: usize = (2 * profile::EXACT.len()).next_power_of_two();

/// The slot where a tag's search in [`EXACT_BY_TAG`] starts.
const fn exact_slot(tag: u32) -> usize {
    (tag.wrapping_mul(0x9E37_79B1) >> (32 - EXACT_SLOTS.trailing_zeros())) as usize
}

/// The exact rows by tag, a hash table made at compile time (open
/// addressing, linear probing): each slot holds a row's index plus one, or
/// 0 when empty. A header's hundred-odd public elements each find their row
/// in a probe or two, where a binary search of the rows took ten.
static EXACT_BY_TAG: [u16; EXACT_SLOTS] = {
    let mut slots = [0u16; EXACT_SLOTS];
    let mut row = 0;
    while row < EXACT_TAGS.len() {
        let mut at = exact_slot(EXACT_TAGS[row]);
        while slots[at] != 0 {
            at = (at + 1) % EXACT_SLOTS;
        }
        slots[at] = row as u16 + 1;
        row += 1;
    }
    slots
};

/// The index of the exact row of `tag`, if it has one.
fn exact_row(tag: u32) -> Option<usize> {
    let mut at = exact_slot(tag);
    loop {
        let row = usize::from(*EXACT_BY_TAG.get(at)?).checked_sub(1)?;
        if EXACT_TAGS.get(row) == Some(&tag) {
            return Some(row);
        }
        at = (at + 1) % EXACT_SLOTS;
    }
}

/// The profile row for a tag: exact rows, then the repeating-group masks
/// ((50xx,xxxx), (60xx,3000), (60xx,4000)), then the private-attributes row.
/// Repeating groups are only the even groups 5000-501E / 6000-601E (PS3.5 7.6).
/// (No exact row is of an odd group: a test checks it.)
pub fn profile_entry(group: u16, element: u16) -> Option<&'static ProfileEntry> {
    if group & 1 == 1 {
        return Some(&profile::PRIVATE);
    }
    let tag = (u32::from(group) << 16) | u32::from(element);
    if let Some(i) = exact_row(tag) {
        return Some(&profile::EXACT[i]);
    }
    let repeating = (group & 0xFF00 == 0x5000 || group & 0xFF00 == 0x6000) && group & 0x00FF <= 0x1E;
    if repeating {
        return profile::MASKED.iter().find(|e| tag & e.mask == e.value);
    }
    None
}

/// Whether a private element is on the Safe Private list (PS3.15 E.3.10):
/// its group, the block's creator string (exact) and its offset in the block.
pub fn is_safe_private(group: u16, element: u16, creator: &str) -> bool {
    let offset = (element & 0xFF) as u8;
    let table = &safe_private::SAFE_PRIVATE;
    let start = table.partition_point(|&(g, o, _)| (g, o) < (group, offset));
    table[start..].iter().take_while(|&&(g, o, _)| (g, o) == (group, offset)).any(|&(_, _, c)| c == creator)
}

/// Whether any element of a private block of this group and creator is on
/// the Safe Private list: when not, none of the block's elements need
/// [`is_safe_private`].
pub fn has_safe_private(group: u16, creator: &str) -> bool {
    let table = &safe_private::SAFE_PRIVATE;
    let start = table.partition_point(|&(g, _, _)| g < group);
    table[start..].iter().take_while(|&&(g, _, _)| g == group).any(|&(_, _, c)| c == creator)
}

pub const IMPLICIT_VR_LE: &str = "1.2.840.10008.1.2";
pub const EXPLICIT_VR_LE: &str = "1.2.840.10008.1.2.1";
pub const EXPLICIT_VR_BE: &str = "1.2.840.10008.1.2.2";

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash table finds every row by its tag, and for any tag what a
    /// search of the sorted tags finds.
    #[test]
    fn exact_rows_by_tag_as_by_search() {
        assert!(EXACT_TAGS.is_sorted() && EXACT_TAGS.windows(2).all(|w| w[0] < w[1]), "sorted, each tag once");
        for (row, &tag) in EXACT_TAGS.iter().enumerate() {
            assert_eq!(exact_row(tag), Some(row), "{tag:08X}");
            for near in [tag.wrapping_sub(1), tag + 1, tag ^ 0x0001_0000, tag ^ 0x0100] {
                assert_eq!(exact_row(near), EXACT_TAGS.binary_search(&near).ok(), "{near:08X}");
            }
        }
        let mut state = 0x1234_5678u32;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            assert_eq!(exact_row(state), EXACT_TAGS.binary_search(&state).ok(), "{state:08X}");
        }
    }

    #[test]
    fn safe_private_blocks() {
        for &(group, offset, creator) in safe_private::SAFE_PRIVATE.iter() {
            assert!(has_safe_private(group, creator) && is_safe_private(group, 0x1000 | u16::from(offset), creator));
        }
        // A block with no safe element has none at any offset.
        for (group, creator) in [(0x0019, "DEMO SCANNER 1.0"), (0x0029, "GEMS_ACQU_01"), (0x0009, "SIEMENS MR HEADER")] {
            assert!(!has_safe_private(group, creator));
            assert!((0..=0xFFu16).all(|o| !is_safe_private(group, 0x1000 | o, creator)));
        }
    }

    #[test]
    fn finds_core_syntaxes() {
        let e = transfer_syntax("1.2.840.10008.1.2.2\0").unwrap();
        assert!(e.big_endian && e.retired && e.explicit_vr);
        let d = transfer_syntax("1.2.840.10008.1.2.1.99").unwrap();
        assert!(d.deflated && !d.encapsulated);
        assert_eq!(transfer_syntax("1.2.840.10008.1.2.4.50").unwrap().lossy, Some(true));
        assert!(transfer_syntax("1.2.3.4").is_none());
    }

    #[test]
    fn profile_finds_exact_masked_and_private_rows() {
        assert_eq!(profile_entry(0x0010, 0x0010).unwrap().keyword, "PatientName");
        assert_eq!(profile_entry(0x6002, 0x3000).unwrap().name, "Overlay Data");
        assert_eq!(profile_entry(0x5010, 0x0100).unwrap().name, "Curve Data");
        assert_eq!(profile_entry(0x6003, 0x3000).unwrap().name, "Private Attributes");
        assert!(profile_entry(0x0028, 0x0010).is_none(), "Rows is not in the profile");
        assert!(profile_entry(0x6100, 0x3000).is_none(), "6100 is not a repeating overlay group");
        // The private row answers for odd groups before the exact rows are searched.
        assert!(profile::EXACT.iter().all(|e| (e.value >> 16) & 1 == 0));
        assert!(profile::EXACT.windows(2).all(|w| w[0].value < w[1].value));
    }

    #[test]
    fn safe_private_matches_creator_group_and_offset() {
        assert!(is_safe_private(0x0019, 0x100C, "SIEMENS MR HEADER"));
        assert!(is_safe_private(0x0019, 0x200C, "SIEMENS MR HEADER"), "any block");
        assert!(!is_safe_private(0x0019, 0x100C, "SIEMENS MR HEADE"));
        assert!(!is_safe_private(0x0021, 0x100C, "SIEMENS MR HEADER"));
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        let t = &transfer_syntaxes::TRANSFER_SYNTAXES;
        assert!(t.windows(2).all(|w| w[0].uid < w[1].uid));
    }
}
