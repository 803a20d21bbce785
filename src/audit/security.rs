//! `security.*`: what makes a file hostile or untrustworthy to move.
//!
//! - the 128-byte preamble (PS3.10 7.1, 7.5; CVE-2019-11687: a PE executable
//!   header in the preamble makes a file that is both valid DICOM and a
//!   runnable program);
//! - bytes after the end of the data set, and executable or archive payloads
//!   inside binary values;
//! - digital signatures (PS3.15 C) with weak MAC algorithms, and encrypted
//!   attributes;
//! - plaintext URLs and the network identities (AE titles, station and host
//!   names, IP addresses) that map a hospital's network.

use dicom_core::{Tag, VR};

use super::magic::{self, Payload};
use crate::options::Options;
use crate::report::{Finding, Severity};
use crate::scan::{Kind, Scan, PIXEL_DATA};
use crate::values::{self, Texts};

const CVE: &str = "CVE-2019-11687; PS3.10 7.5";
const DIGITAL_SIGNATURES_SEQUENCE: Tag = Tag(0xFFFA, 0xFFFA);
const MAC_PARAMETERS_SEQUENCE: Tag = Tag(0x4FFE, 0x0001);
const ENCRYPTED_ATTRIBUTES_SEQUENCE: Tag = Tag(0x0400, 0x0500);
const MAC_ALGORITHM: Tag = Tag(0x0400, 0x0015);
const DATA_ELEMENTS_SIGNED: Tag = Tag(0x0400, 0x0020);
const SIGNATURE_DATETIME: Tag = Tag(0x0400, 0x0105);
const CERTIFICATE_TYPE: Tag = Tag(0x0400, 0x0110);
const ENCRYPTED_CONTENT_TS: Tag = Tag(0x0400, 0x0510);
const RETRIEVE_URL: Tag = Tag(0x0008, 0x1190);
const RETRIEVE_URI: Tag = Tag(0x0040, 0xE010);
const STATION_NAME: Tag = Tag(0x0008, 0x1010);
const TRAILING_PADDING: Tag = Tag(0xFFFC, 0xFFFC);
const ENCAPSULATED_DOCUMENT: Tag = Tag(0x0042, 0x0011);
/// Longest value searched for embedded payloads.
const MAX_PAYLOAD_SCAN: usize = 64 << 20;

pub(super) fn check(scan: &Scan, texts: &Texts, options: &Options, findings: &mut Vec<Finding>) {
    if !scan.is_dicom {
        return;
    }
    preamble(scan, findings);
    trailing_data(scan, findings);
    embedded_payloads(scan, findings);
    signatures(scan, options, findings);
    network(scan, texts, findings);
}

fn preamble(scan: &Scan, findings: &mut Vec<Finding>) {
    if !scan.preamble {
        return;
    }
    let bytes = &scan.body[..128];
    if bytes.iter().all(|&b| b == 0) {
        return;
    }
    let f = match magic::classify(&scan.body, 0) {
        Some(Payload::Tiff) => Finding::new("security.preamble", Severity::Info, "the preamble holds a TIFF header (an allowed dual-format file)")
            .explain("PS3.10 allows the preamble to make the file readable as TIFF too; this is not executable."),
        Some(payload) => Finding::new("security.preamble", Severity::High, format!("the preamble holds {}: the file is also a program or active document", payload.describe()))
            .explain("A DICOM file whose preamble is an executable header can be run as a program by renaming it (CVE-2019-11687): malware can hide inside a valid medical image and be carried by PACS and backups."),
        None => {
            let first = bytes.iter().position(|&b| b != 0).unwrap_or(0);
            Finding::new("security.preamble", Severity::Low, format!("the preamble is not zero and not a known format: from byte {first}, {}", magic::hex(&bytes[first..], 16)))
                .explain("Applications may put data in the preamble, but unexpected content deserves a look: it travels with the image unseen.")
        }
    };
    findings.push(f.at(0).span(128).reference(CVE));
}

fn trailing_data(scan: &Scan, findings: &mut Vec<Finding>) {
    let (Some(true), end) = (scan.fault_at_top, scan.dataset_end as usize) else { return };
    if end >= scan.body.len() {
        return;
    }
    let last = scan.elements.iter().rev().find(|e| e.depth == 0 && !e.in_meta);
    // The walk stopped past the last whole element: not inside a truncated one.
    let past_last = last.is_some_and(|e| end as u64 > e.offset);
    let after_pixels = past_last && last.is_some_and(|e| e.tag.0 >= 0x7FE0 || e.tag == TRAILING_PADDING);
    let payload = magic::classify(&scan.body, end);
    if !(after_pixels || (past_last && payload.is_some())) {
        return; // a fault in the middle of the data set: integrity, not trailing data
    }
    // A headers-only read knows where the data set ended, and how long the file is.
    let file_end = if scan.prefix.is_some() { scan.file_len } else { scan.body.len() as u64 };
    let length = file_end.saturating_sub(end as u64);
    let what = payload.map_or(String::new(), |p| format!(", starting with {}", p.describe()));
    let severity = if payload.is_some_and(Payload::is_active) { Severity::High } else { Severity::Medium };
    findings.push(
        Finding::new("security.trailing_data", severity, format!("{length} bytes after the end of the data set{what}: {}", magic::hex(&scan.body[end..], 16)))
            .at(end as u64)
            .span(length)
            .reference("PS3.10 7.1; CVE-2019-11687")
            .explain("Nothing may follow the data set. Appended bytes are invisible to DICOM viewers but travel with the file: a classic place to smuggle an archive or a program."),
    );
}

fn embedded_payloads(scan: &Scan, findings: &mut Vec<Finding>) {
    for e in &scan.elements {
        if e.kind != Kind::Element || !matches!(e.vr, VR::OB | VR::OW | VR::UN | VR::OF | VR::OD | VR::OL | VR::OV) {
            continue;
        }
        if e.tag == PIXEL_DATA || (e.tag.0 & 0xFF01 == 0x6000 && e.tag.1 == 0x3000) || e.in_meta {
            continue;
        }
        let value = scan.value(e);
        let Some((at, payload)) = magic::find_embedded(value, MAX_PAYLOAD_SCAN) else { continue };
        if e.tag == ENCAPSULATED_DOCUMENT && payload == Payload::Pdf {
            continue;
        }
        findings.push(
            Finding::new("security.embedded_executable", Severity::High, format!("value holds {} at byte {at} of the value", payload.describe()))
                .at(e.offset)
                .span(u64::from(e.length))
                .reference(CVE)
                .explain("Binary values can carry whole programs or archives; a tool that extracts or previews them may run them."),
        );
    }
}

fn child_text(scan: &Scan, item: usize, tag: Tag) -> Option<String> {
    scan.child(item, tag).map(|e| values::text(scan, e)).filter(|t| !t.is_empty())
}

fn signatures(scan: &Scan, options: &Options, findings: &mut Vec<Finding>) {
    let mut signed = false;
    for (i, e) in scan.elements.iter().enumerate() {
        match e.tag {
            MAC_PARAMETERS_SEQUENCE | DIGITAL_SIGNATURES_SEQUENCE if e.kind == Kind::Sequence => {
                signed |= e.tag == DIGITAL_SIGNATURES_SEQUENCE;
                for (item, _) in scan.children(i) {
                    mac_item(scan, item, findings);
                    if e.tag == DIGITAL_SIGNATURES_SEQUENCE {
                        let cert = child_text(scan, item, CERTIFICATE_TYPE).unwrap_or_else(|| "unknown".into());
                        let when = child_text(scan, item, SIGNATURE_DATETIME).unwrap_or_else(|| "unknown".into());
                        findings.push(
                            Finding::new("security.signature", Severity::Info, format!("digital signature: certificate type {cert}, signed {when}"))
                                .at(scan.elements[item].offset)
                                .reference("PS3.15 C.1; PS3.3 C.12.1.1.3")
                                .explain("A digital signature lets a receiver check who signed which elements; the inspector lists it but does not verify the cryptography."),
                        );
                    }
                }
            }
            ENCRYPTED_ATTRIBUTES_SEQUENCE if e.kind == Kind::Sequence => {
                let items: Vec<usize> = scan.children(i).map(|(c, _)| c).collect();
                let ts = items.iter().find_map(|&c| child_text(scan, c, ENCRYPTED_CONTENT_TS)).unwrap_or_else(|| "not given".into());
                findings.push(
                    Finding::new("security.encrypted_attributes", Severity::Info, format!("encrypted attributes present ({} item(s), content transfer syntax {ts})", items.len()))
                        .at(e.offset)
                        .reference("PS3.15 E.1.1; PS3.3 C.12.1.1.4.1")
                        .explain("Encrypted Attributes Sequence holds the original identifying values, encrypted for authorised re-identification; whoever holds the key can read them."),
                );
            }
            _ => {}
        }
    }
    if options.check_signatures && !signed {
        findings.push(
            Finding::new("security.unsigned", Severity::Info, "the file carries no digital signature")
                .reference("PS3.15 C")
                .explain("Without a signature, nothing shows whether the data were changed since they were made."),
        );
    }
}

fn mac_item(scan: &Scan, item: usize, findings: &mut Vec<Finding>) {
    let Some(alg) = scan.child(item, MAC_ALGORITHM) else { return };
    let name = values::text(scan, alg).to_ascii_uppercase();
    let severity = match name.as_str() {
        "MD5" => Severity::High,
        "SHA1" | "RIPEMD160" => Severity::Medium,
        _ => return,
    };
    let signed = scan.child(item, DATA_ELEMENTS_SIGNED).map_or(0, |e| e.length / 4);
    findings.push(
        Finding::new("security.weak_signature", severity, format!("MAC algorithm {name} is weak ({signed} element(s) signed)"))
            .at(alg.offset)
            .reference("PS3.15 C.2 (MD5, SHA1 and RIPEMD160 no longer protect against forgery)")
            .explain("A signature over a broken hash can be forged: the signed elements could be changed without the signature showing it."),
    );
}

const PLAINTEXT_SCHEMES: [&str; 5] = ["http://", "ftp://", "ldap://", "telnet://", "ws://"];

fn network(scan: &Scan, texts: &Texts, findings: &mut Vec<Finding>) {
    for (i, e) in scan.elements.iter().enumerate() {
        if e.kind != Kind::Element || e.length == 0 || !values::is_text(e.vr) || e.vr == VR::UI {
            continue;
        }
        let named = e.vr == VR::AE || e.tag == STATION_NAME;
        let (text, classes) = texts.at(i);
        // A URL needs ':', an address '.' and digits, a host '.' or '\\'.
        if !named && !classes.any(values::Classes::COLON | values::Classes::DOT | values::Classes::BACKSLASH) {
            continue;
        }
        if classes.is_blank(&text) {
            continue;
        }
        if let Some(scheme) = classes.any(values::Classes::COLON).then(|| plaintext_scheme(&text)).flatten() {
            let field = match e.tag {
                RETRIEVE_URL | RETRIEVE_URI => "the retrieve URL",
                _ => "a text value",
            };
            findings.push(
                Finding::new("security.plaintext_url", Severity::Medium, format!("{field} uses the plaintext scheme {}", scheme.trim_end_matches("://")))
                    .at(e.offset)
                    .reference("PS3.18 (use https); PS3.15 B")
                    .explain("A plaintext URL sends requests, and often the images and credentials, unencrypted across the network."),
            );
        }
        let what = if e.vr == VR::AE {
            Some("names an application entity title")
        } else if e.tag == STATION_NAME {
            Some("names a station name")
        } else if classes.any(values::Classes::DIGIT) && classes.any(values::Classes::DOT) && has_ipv4(&text) {
            Some("names an IP address")
        } else if classes.any(values::Classes::DOT | values::Classes::BACKSLASH) && !matches!(e.vr, VR::DS | VR::IS) && has_host(&text) {
            // (Not in a number: two backslashes there are an empty value.)
            Some("names a host name or network path")
        } else {
            None
        };
        if let Some(what) = what {
            findings.push(
                Finding::new("security.network_identity", Severity::Low, what)
                    .at(e.offset)
                    .reference("PS3.15 E.3.4 Retain Device Identity; PS3.8")
                    .explain("AE titles, station and host names and addresses map the hospital's network: an attacker learns which systems to reach and how they call each other."),
            );
        }
    }
}

/// The first of [`PLAINTEXT_SCHEMES`] that the text holds, in any case:
/// each `://` is looked at once, instead of searching for every scheme.
fn plaintext_scheme(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let mut found = [false; PLAINTEXT_SCHEMES.len()];
    // Values are short: a byte search for ':' beats building a substring searcher.
    for at in values::byte_positions(b':', b).filter(|&at| b.get(at + 1..at + 3) == Some(b"//")) {
        for (seen, scheme) in found.iter_mut().zip(PLAINTEXT_SCHEMES) {
            let name = &scheme.as_bytes()[..scheme.len() - 3];
            *seen |= at >= name.len() && b[at - name.len()..at].eq_ignore_ascii_case(name);
        }
    }
    PLAINTEXT_SCHEMES.iter().zip(found).find(|(_, seen)| *seen).map(|(scheme, _)| *scheme)
}

/// The shortest text that can hold a dotted quad (`1.2.3.4`): most
/// decimals with a point are shorter, and are not searched.
const MIN_IPV4: usize = 7;

/// A dotted quad of numbers 0-255, not part of a longer dotted number.
pub fn has_ipv4(text: &str) -> bool {
    if text.len() < MIN_IPV4 {
        return false;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
            let end = b[i..].iter().position(|c| !(c.is_ascii_digit() || *c == b'.')).map_or(b.len(), |p| i + p);
            let mut parts = 0;
            let mut bytes_ok = true;
            for part in b[i..end].split(|&c| c == b'.') {
                parts += 1;
                // (Saturating: a long run of digits is no byte, and must not overflow.)
                let n = part.iter().fold(0u32, |n, d| n.saturating_mul(10).saturating_add(u32::from(d - b'0')));
                bytes_ok &= !part.is_empty() && part.len() <= 3 && n <= 255;
            }
            if parts == 4 && bytes_ok {
                return true;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    false
}

const INTERNAL_DOMAINS: [&str; 6] = [".local", ".lan", ".corp", ".intranet", ".internal", ".localdomain"];

/// UNC paths and names under internal domains (in any case).
fn has_host(text: &str) -> bool {
    let b = text.as_bytes();
    let unc = values::byte_positions(b'\\', b).find(|&at| b.get(at + 1) == Some(&b'\\'));
    if unc.is_some_and(|at| b.get(at + 2).is_some_and(u8::is_ascii_alphanumeric)) {
        return true;
    }
    // Each dot once: does an internal domain start there, after a letter or
    // digit and not followed by one?
    values::byte_positions(b'.', b).any(|at| {
        let before = at > 0 && b[at - 1].is_ascii_alphanumeric();
        before
            && INTERNAL_DOMAINS.iter().any(|tld| {
                b.get(at..at + tld.len()).is_some_and(|s| s.eq_ignore_ascii_case(tld.as_bytes())) && !b.get(at + tld.len()).is_some_and(u8::is_ascii_alphanumeric)
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_and_hosts() {
        assert!(has_ipv4("send to 10.20.30.40:104"));
        assert!(!has_ipv4("1.2.840.10008.1.2"));
        assert!(!has_ipv4("300.1.1.1"));
        assert!(!has_ipv4("12345678901234567890.1.1.1"), "a long run of digits (no overflow)");
        assert!(has_host("\\\\pacs01\\images"));
        assert!(has_host("pacs.radiology.local"));
        assert!(!has_host("the local hospital"));
        assert!(has_host("PACS.Radiology.LOCAL"));
        assert_eq!(plaintext_scheme("see HTTP://pacs and ftp://x"), Some("http://"));
        assert_eq!(plaintext_scheme("wss://secure, news://x"), Some("ws://"));
        assert_eq!(plaintext_scheme("https://secure"), None);
    }

    /// The searches as they were first written (lower-casing the text and
    /// looking for every pattern): the reference for the faster ones.
    mod reference {
        pub fn plaintext_scheme(text: &str) -> Option<&'static str> {
            let lower = text.to_ascii_lowercase();
            super::PLAINTEXT_SCHEMES.iter().find(|s| lower.contains(*s)).copied()
        }

        pub fn has_ipv4(text: &str) -> bool {
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_digit() || b[i - 1] == b'.')) {
                    let end = b[i..].iter().position(|c| !(c.is_ascii_digit() || *c == b'.')).map_or(b.len(), |p| i + p);
                    let parts: Vec<&str> = text[i..end].split('.').collect();
                    if parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u16>().is_ok_and(|n| n <= 255)) {
                        return true;
                    }
                    i = end;
                } else {
                    i += 1;
                }
            }
            false
        }

        pub fn has_host(text: &str) -> bool {
            let lower = text.to_ascii_lowercase();
            if lower.contains("\\\\") && lower.split("\\\\").nth(1).is_some_and(|h| h.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())) {
                return true;
            }
            super::INTERNAL_DOMAINS.iter().any(|tld| {
                lower.match_indices(tld).any(|(at, _)| {
                    let after = lower[at + tld.len()..].chars().next();
                    let before = lower[..at].chars().next_back();
                    after.is_none_or(|c| !c.is_ascii_alphanumeric()) && before.is_some_and(|c| c.is_ascii_alphanumeric())
                })
            })
        }
    }

    proptest::proptest! {
        #[test]
        fn searches_equal_their_reference(text in "([a-zA-Z0-9]|[.:/\\\\ ]|HTTP|ftp|Ws|ldap|telnet|local|LAN|corp|domain|intranet|internal|25[0-9]|ü){0,24}") {
            proptest::prop_assert_eq!(plaintext_scheme(&text), reference::plaintext_scheme(&text));
            proptest::prop_assert_eq!(has_ipv4(&text), reference::has_ipv4(&text));
            // (Shorter text is not searched: the reference finds none there either.)
            proptest::prop_assert!(text.len() >= MIN_IPV4 || !reference::has_ipv4(&text));
            proptest::prop_assert_eq!(has_host(&text), reference::has_host(&text));
        }
    }
}
