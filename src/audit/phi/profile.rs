//! PS3.15 Table E.1-1 applied to every element at every depth, graded.
//!
//! Grading (documented in docs/report.md):
//! - `high`: direct identifiers — names, IDs, birth date and time, addresses,
//!   telephone numbers, accession and admission numbers, medical record locator;
//! - `medium`: quasi-identifiers and everything else the profile removes or
//!   replaces — dates, ages, sex, size, descriptions, comments, staff names,
//!   institution and device identity, original UIDs;
//! - `low`: UIDs that already look replaced (`2.25.` UUID-derived roots, PS3.5
//!   B.2) and placeholder dates (1900-01-01 and the like).
//!
//! The action is the Basic Profile's unless a chosen option gives one: K
//! (keep) means no finding, C (clean) is reported as such.

use std::borrow::Cow;

use dicom_core::{Tag, VR};

use super::{Context, Scope};
use crate::report::{Finding, Severity};
use crate::scan::{Element, Kind, PIXEL_DATA};
use crate::tables::{self, ProfileEntry};

/// Keywords of the direct identifiers (graded `high`).
const DIRECT: [&str; 20] = [
    "PatientName",
    "PatientID",
    "OtherPatientIDs",
    "OtherPatientIDsSequence",
    "OtherPatientNames",
    "PatientBirthName",
    "PatientMotherBirthName",
    "PatientBirthDate",
    "PatientBirthTime",
    "PatientAddress",
    "PatientTelephoneNumbers",
    "PatientTelecomInformation",
    "MedicalRecordLocator",
    "AccessionNumber",
    "AdmissionID",
    "PatientInsurancePlanCodeSequence",
    "ResponsiblePerson",
    "MilitaryRank",
    "IssuerOfPatientID",
    "PersonName",
];

const PATIENT_IDENTITY_REMOVED: Tag = Tag(0x0012, 0x0062);
const BURNED_IN_ANNOTATION: Tag = Tag(0x0028, 0x0301);
const MODALITY: Tag = Tag(0x0008, 0x0060);
const SOP_CLASS_UID: Tag = Tag(0x0008, 0x0016);

/// What one action code asks for (PS3.15 Table E.1-1a), appended to `out`.
fn describe_action(action: &str, out: &mut String) {
    for (i, a) in action.split('/').enumerate() {
        if i > 0 {
            out.push_str(", or ");
        }
        out.push_str(match a.trim_end_matches('*') {
            "D" => "replace with a dummy value",
            "Z" => "empty it or use a dummy value",
            "X" => "remove it",
            "K" => "keep it",
            "C" => "clean it (values of similar meaning, not identifying)",
            "U" => "replace with a new, consistent UID",
            _ => "see the profile",
        });
    }
}

/// "Study Date is present; profile action Z: empty it or use a dummy
/// value": one text per profile row and action, written once and kept for
/// the program's life (at most the table's rows times the actions its
/// columns name: a few hundred short strings), in a global table that each
/// thread mirrors to look it up without a lock. Every file of a series then
/// says it with the same string, which the WASM boundary numbers by its
/// address instead of comparing its text (json::Strings).
fn message(entry: &'static ProfileEntry, action: &'static str) -> &'static str {
    type Messages = rustc_hash::FxHashMap<(usize, usize), &'static str>;
    /// Every message written, reachable for the program's life.
    static ALL: std::sync::Mutex<Option<Messages>> = std::sync::Mutex::new(None);
    thread_local! {
        static MIRROR: std::cell::RefCell<Messages> = std::cell::RefCell::default();
    }
    let key = (std::ptr::from_ref(entry) as usize, action.as_ptr() as usize);
    if let Some(message) = MIRROR.with_borrow(|mirror| mirror.get(&key).copied()) {
        return message;
    }
    let mut all = ALL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let message = *all.get_or_insert_with(Messages::default).entry(key).or_insert_with(|| {
        let mut message = String::with_capacity(120);
        for part in [entry.name, " is present; profile action ", action, ": "] {
            message.push_str(part);
        }
        describe_action(action, &mut message);
        if action == "C" {
            message.push_str(" (as the chosen options ask)");
        }
        Box::leak(message.into_boxed_str())
    });
    drop(all);
    MIRROR.with_borrow_mut(|mirror| mirror.insert(key, message));
    message
}

/// The action in force: an option that keeps wins, then one that cleans.
pub fn effective_action(entry: &ProfileEntry, cx: &Context) -> &'static str {
    let mut action = entry.basic;
    for option in &cx.profile.0 {
        match entry.options[option.column()] {
            Some("K") => return "K",
            Some(code) => action = code,
            None => {}
        }
    }
    action
}

fn looks_replaced_uid(value: &str) -> bool {
    value.starts_with("2.25.")
}

fn placeholder_date(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || v.starts_with("1900") || v.starts_with("0000") || v.starts_with("0001") || v.starts_with("1800")
}

/// Values that are already dummies: "ANONYMOUS", "REMOVED", "^", "X".
fn placeholder_text(value: &str) -> bool {
    const PLACEHOLDERS: [&str; 11] = ["anonymous", "anonymized", "anonymised", "anon", "removed", "unknown", "none", "deidentified", "de-identified", "redacted", "xxx"];
    let v = value.trim().trim_matches('^');
    v.len() <= 1 || PLACEHOLDERS.iter().any(|p| v.eq_ignore_ascii_case(p))
}

fn grade(entry: &ProfileEntry, e: &Element, value: &str) -> Severity {
    if crate::values::is_text(e.vr) && e.vr != VR::UI && placeholder_text(value) {
        return Severity::Low;
    }
    if DIRECT.contains(&entry.keyword) {
        return Severity::High;
    }
    match e.vr {
        VR::UI if looks_replaced_uid(value) => Severity::Low,
        VR::DA | VR::DT if placeholder_date(value) => Severity::Low,
        _ => Severity::Medium,
    }
}

/// Whether the element holds something: text not blank, a sequence with items, any bytes.
fn has_value<'c>(cx: &'c Context, index: usize, e: &Element) -> Option<Cow<'c, str>> {
    match e.kind {
        Kind::Sequence => cx.scan.elements.get(index + 1).filter(|c| c.parent as usize == index).map(|_| Cow::Borrowed("")),
        Kind::PixelSequence => Some(Cow::Borrowed("")),
        Kind::Element if e.length == 0 => None,
        Kind::Element if crate::values::is_text(e.vr) => {
            let (text, classes) = cx.texts.at(index);
            (!classes.is_blank(&text)).then_some(text)
        }
        Kind::Element => Some(Cow::Borrowed("")),
        _ => None,
    }
}

pub(super) fn check(cx: &Context, findings: &mut Vec<Finding>) {
    let scan = cx.scan;
    for (i, e) in scan.elements.iter().enumerate() {
        if matches!(e.kind, Kind::Item | Kind::Fragment) || e.tag == PIXEL_DATA {
            continue;
        }
        // Private elements get their own rule (text::private), overlays theirs below.
        if e.is_private() {
            continue;
        }
        let overlay_data = e.tag.0 & 0xFF01 == 0x6000 && e.tag.1 == 0x3000;
        if overlay_data {
            if has_value(cx, i, e).is_some() {
                findings.push(
                    Finding::new("phi.overlay", Severity::Medium, format!("overlay plane in group {:04X}: overlays often carry burned-in text", e.tag.0))
                        .at(e.offset)
                        .reference("PS3.15 E.1-1 Overlay Data; PS3.3 C.9")
                        .explain("Overlay planes are bitmaps drawn over the image. Viewers and de-identification tools often ignore them, yet they can hold names, dates or annotations."),
                );
            }
            continue;
        }
        let Some(entry) = tables::profile_entry(e.tag.0, e.tag.1) else { continue };
        let action = effective_action(entry, cx);
        if action == "K" {
            continue;
        }
        let Some(value) = has_value(cx, i, e) else { continue };
        let severity = grade(entry, e, &value);
        let code = match cx.scope(i) {
            Scope::Structured => "phi.structured_content",
            Scope::Graphics => "phi.graphics",
            Scope::Plain => "phi.attribute",
        };
        findings.push(
            Finding::new(code, severity, message(entry, action))
                .at(e.offset)
                .reference("PS3.15 Table E.1-1")
                .explain(explanation(severity, code)),
        );
    }
    burned_in(cx, findings);
}

fn explanation(severity: Severity, code: &str) -> &'static str {
    match (code, severity) {
        ("phi.structured_content", _) => "Structured report content (text, person names, dates) is written by people and often names the patient or staff; PS3.15 E.3.5 Clean Structured Content.",
        ("phi.graphics", _) => "Presentation-state text and graphic annotations are drawn over the image and can carry names or dates; PS3.15 E.3.3 Clean Graphics.",
        (_, Severity::High) => "A direct identifier: on its own it names the patient or links to their record. The Basic Profile removes or replaces it.",
        (_, Severity::Low) => "Listed by the profile, but the value already looks replaced (a UUID-derived UID or a placeholder date).",
        _ => "A quasi-identifier or institution/device detail: combined with other data it can re-identify the patient or the hospital. The Basic Profile removes or replaces it unless an option retains it.",
    }
}

/// Burned-in annotation: declared, or likely for the modality (PS3.15 E.3.1).
fn burned_in(cx: &Context, findings: &mut Vec<Finding>) {
    let scan = cx.scan;
    let declared = scan.top_level(BURNED_IN_ANNOTATION);
    let value = declared.map(|e| cx.text(e).to_ascii_uppercase());
    if let (Some(e), Some("YES")) = (declared, value.as_deref()) {
        findings.push(
            Finding::new("phi.burned_in", Severity::High, "Burned In Annotation is YES: the pixels contain identifying text")
                .at(e.offset)
                .reference("PS3.3 C.7.6.1.1.7; PS3.15 E.3.1 Clean Pixel Data")
                .explain("Text burned into the pixels (names, dates, IDs) survives every tag-level de-identification; the pixels must be cleaned or the region blanked."),
        );
        return;
    }
    if declared.is_some() || scan.top_level(PIXEL_DATA).is_none() {
        return;
    }
    let modality = scan.top_level(MODALITY).map(|e| cx.text(e)).unwrap_or_default();
    let sop = scan.top_level(SOP_CLASS_UID).map(|e| cx.text(e)).unwrap_or_default();
    let secondary_capture = sop.starts_with("1.2.840.10008.5.1.4.1.1.7");
    if secondary_capture || matches!(&*modality, "US" | "XA" | "RF" | "XC" | "ES" | "GM" | "SM" | "OT" | "DOC" | "IVUS" | "OP") {
        findings.push(
            Finding::new(
                "phi.burned_in",
                Severity::Medium,
                format!("{} images often carry burned-in text, and Burned In Annotation (0028,0301) is absent", if secondary_capture { "secondary capture" } else { "this modality's" }),
            )
            .at(scan.top_level(PIXEL_DATA).map_or(0, |e| e.offset))
            .reference("PS3.3 C.7.6.1.1.7; PS3.15 E.3.1")
            .explain("Ultrasound, angiography, screen captures and photographs usually have patient details drawn into the image; without the attribute nobody has vouched that they do not."),
        );
    }
}

/// Patient Identity Removed = YES while high findings remain.
pub(super) fn check_consistency(cx: &Context, start: usize, findings: &mut Vec<Finding>) {
    let Some(e) = cx.scan.top_level(PATIENT_IDENTITY_REMOVED) else { return };
    if !cx.text(e).eq_ignore_ascii_case("YES") {
        return;
    }
    let remaining = findings[start..].iter().filter(|f| f.code.starts_with("phi.") && f.severity == Severity::High).count();
    if remaining > 0 {
        findings.push(
            Finding::new("phi.inconsistent_deid", Severity::High, format!("Patient Identity Removed is YES, but {remaining} high-severity identifier(s) remain"))
                .at(e.offset)
                .reference("PS3.3 C.12.1.1.8; PS3.15 E.1")
                .explain("The file claims to be de-identified, so receivers will trust it; yet direct identifiers are still in it."),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_known_in_any_case() {
        for v in ["ANONYMOUS", "Anonymized^", " removed ", "^DE-IDENTIFIED^", "x", "^", "", "XXX", "None"] {
            assert!(placeholder_text(v), "{v:?}");
        }
        for v in ["DOE^JANE", "ANONYMOUSLY", "Xavier", "unknown person", "ÀNONYMOUS"] {
            assert!(!placeholder_text(v), "{v:?}");
        }
    }
}
