//! Tables from the DICOM standard, compiled in as static data.
//!
//! The JSON sources live in `src/tables/data/` (copied from PS3.6 and PS3.15);
//! `scripts/gen_tables.py` turns them into the `*.rs` modules here, so the
//! browser never parses JSON at start-up.

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

pub const IMPLICIT_VR_LE: &str = "1.2.840.10008.1.2";
pub const EXPLICIT_VR_LE: &str = "1.2.840.10008.1.2.1";
pub const EXPLICIT_VR_BE: &str = "1.2.840.10008.1.2.2";

#[cfg(test)]
mod tests {
    use super::*;

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
    fn table_is_sorted_for_binary_search() {
        let t = &transfer_syntaxes::TRANSFER_SYNTAXES;
        assert!(t.windows(2).all(|w| w[0].uid < w[1].uid));
    }
}
