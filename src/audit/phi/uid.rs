//! UIDs that leak: a date/time or an identifier built into the UID, and the
//! roots that name the organisation that issued them (PS3.5 9, B.2).

use dicom_core::{Tag, VR};

use super::identity::normalize;
use super::Context;
use crate::options::ProfileOption;
use crate::report::{Finding, Severity};
use crate::scan::Kind;

/// Organisation roots common in the field (from vendors' conformance
/// statements and toolkits' documentation).
const KNOWN_ROOTS: [(&str, &str); 8] = [
    ("1.2.840.113619", "GE Healthcare"),
    ("1.3.12.2.1107.5", "Siemens Healthineers"),
    ("1.3.46.670589", "Philips"),
    ("1.2.392.200036.9116", "Canon (Toshiba) Medical"),
    ("1.2.276.0.7230010.3", "OFFIS DCMTK"),
    ("1.2.826.0.1.3680043.8.498", "pydicom"),
    ("1.3.6.1.4.1.5962", "PixelMed"),
    ("1.2.40.0.13.1", "dcm4che"),
];

/// Instance UIDs whose roots are reported.
const INSTANCE_UIDS: [Tag; 4] = [Tag(0x0020, 0x000D), Tag(0x0020, 0x000E), Tag(0x0008, 0x0018), Tag(0x0020, 0x0052)];

/// Whether a UID component starts with a plausible date, YYYYMMDD (1900-2099).
fn embeds_date(component: &str) -> bool {
    let b = component.as_bytes();
    if b.len() < 8 || !b[..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |r: std::ops::Range<usize>| component[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (n(0..4), n(4..6), n(6..8));
    (1900..=2099).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The organisation root of a UID: a known vendor's, or the registration
/// arcs (ISO member body + organisation) of an unknown one.
pub fn uid_root(uid: &str) -> Option<(String, Option<&'static str>)> {
    if uid.starts_with("2.25.") || uid.starts_with("1.2.840.10008.") {
        return None;
    }
    if let Some((root, vendor)) = KNOWN_ROOTS.iter().find(|(r, _)| uid.starts_with(&format!("{r}."))) {
        return Some(((*root).to_owned(), Some(*vendor)));
    }
    let arcs: Vec<&str> = uid.split('.').collect();
    let take = match arcs.as_slice() {
        ["1", "3", "6", "1", "4", "1", ..] => 7, // IANA private enterprise number
        ["1", "2", "826", "0", "1", ..] => 6,    // UK
        ["1", "2", "840", ..] | ["1", "2", "392", ..] | ["1", "3", "46", ..] => 4,
        _ => 5,
    };
    (arcs.len() > take + 1).then(|| (arcs[..take].join("."), None))
}

pub(super) fn check(cx: &Context, findings: &mut Vec<Finding>) {
    if cx.profile.has(ProfileOption::RetainUids) {
        return;
    }
    let scan = cx.scan;
    let ids: Vec<String> = cx_numeric_ids(cx);
    let mut roots: Vec<String> = Vec::new();
    for e in &scan.elements {
        if e.kind != Kind::Element || e.vr != VR::UI || e.length == 0 {
            continue;
        }
        let value = cx.text(e);
        for uid in value.split('\\').map(str::trim) {
            if uid.starts_with("1.2.840.10008.") || uid.starts_with("2.25.") || uid.is_empty() {
                continue;
            }
            let with_id = ids.iter().any(|id| uid.contains(id.as_str()));
            let with_date = uid.split('.').any(embeds_date);
            if with_id || with_date {
                let what = match (with_id, with_date) {
                    (true, true) => "the patient's ID and a date",
                    (true, false) => "the patient's ID",
                    _ => "a date (or date and time)",
                };
                findings.push(
                    Finding::new("phi.uid", if with_id { Severity::High } else { Severity::Medium }, format!("UID embeds {what}"))
                        .at(e.offset)
                        .reference("PS3.15 E.3.9 Retain UIDs Option; PS3.5 9")
                        .explain("UIDs are copied into every derived object and every log; one built from a date or an ID carries it everywhere. The profile replaces UIDs (action U) unless they are retained."),
                );
            }
            if INSTANCE_UIDS.contains(&e.tag) && e.depth == 0 {
                if let Some((root, vendor)) = uid_root(uid) {
                    if !roots.contains(&root) {
                        let who = vendor.map_or("an organisation (not one of the well-known roots)".to_owned(), |v| v.to_owned());
                        findings.push(
                            Finding::new("phi.uid_root", Severity::Info, format!("instance UIDs use the root {root}: {who}"))
                                .at(e.offset)
                                .reference("PS3.5 9.1")
                                .explain("A UID root is registered to the organisation that issues it: it can name the hospital, the vendor or the software that made the file."),
                        );
                        roots.push(root);
                    }
                }
            }
        }
    }
}

/// The numeric identity tokens (patient ID, accession) worth looking for inside UIDs.
fn cx_numeric_ids(cx: &Context) -> Vec<String> {
    let mut out = Vec::new();
    for t in [Tag(0x0010, 0x0020), Tag(0x0008, 0x0050)] {
        if let Some(e) = cx.scan.top_level(t) {
            let v = normalize(&cx.text(e));
            if v.len() >= 5 && v.chars().all(|c| c.is_ascii_digit()) {
                out.push(v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_components() {
        assert!(embeds_date("20160503120850"));
        assert!(!embeds_date("12345678"));
        assert!(!embeds_date("2016"));
    }

    #[test]
    fn roots() {
        assert_eq!(uid_root("1.2.840.113619.2.55.3.1"), Some(("1.2.840.113619".into(), Some("GE Healthcare"))));
        assert_eq!(uid_root("2.25.1234"), None);
        assert_eq!(uid_root("1.3.6.1.4.1.99999.1.2.3"), Some(("1.3.6.1.4.1.99999".into(), None)));
    }
}
