//! `phi.*`: every place in a file that can identify the patient.
//!
//! - [`profile`]: PS3.15 Table E.1-1, the attributes the standard says to
//!   remove, replace or clean, graded by how directly they identify someone;
//!   overlays, burned-in annotation and the consistency of
//!   Patient Identity Removed.
//! - [`identity`]: the file's own identity (names, IDs, birth date spellings),
//!   the tokens every other check searches for.
//! - [`text`]: free text, private elements, embedded documents and the file
//!   name, searched for that identity and for generic identifiers.
//! - [`uid`]: UIDs that embed a date or an identifier, and UID roots.
//!
//! Findings never carry the identifying value: the message says what kind of
//! identifier sits where, so reports and logs do not spread the PHI.

mod identity;
mod pdf;
mod profile;
mod text;
mod uid;

use std::borrow::Cow;

use dicom_core::Tag;

use crate::options::{Options, ProfileOption, ProfileOptions};
use crate::report::Finding;
use crate::scan::{Element, Kind, Scan, NONE};
use crate::values::{self, Texts};

pub use identity::Identity;
pub use pdf::minimal_pdf;

pub const CONTENT_SEQUENCE: Tag = Tag(0x0040, 0xA730);
pub const GRAPHIC_ANNOTATION_SEQUENCE: Tag = Tag(0x0070, 0x0001);
pub const TEXT_OBJECT_SEQUENCE: Tag = Tag(0x0070, 0x0008);
pub const WAVEFORM_ANNOTATION_SEQUENCE: Tag = Tag(0x0040, 0xB020);
const DEIDENTIFICATION_METHOD_CODE_SEQUENCE: Tag = Tag(0x0012, 0x0064);
const CODE_VALUE: Tag = Tag(0x0008, 0x0100);

/// Where an element sits, for the code its findings get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Plain,
    /// Inside an SR Content Sequence or a waveform annotation.
    Structured,
    /// Inside a presentation state's graphic or text annotations.
    Graphics,
}

/// What the PHI rules share: the scan, the identity, the options in force.
pub struct Context<'s, 'a> {
    pub scan: &'s Scan<'a>,
    /// Every text value, decoded once for all the rules.
    pub texts: &'s Texts<'s>,
    pub options: &'s Options,
    /// The options chosen by the user plus those the file declares in its
    /// De-identification Method Code Sequence.
    pub profile: ProfileOptions,
    pub identity: Identity,
    scopes: Vec<Scope>,
}

impl<'s, 'a> Context<'s, 'a> {
    pub fn new(scan: &'s Scan<'a>, texts: &'s Texts<'s>, options: &'s Options) -> Context<'s, 'a> {
        let mut profile = options.profile.clone();
        for option in declared_options(scan) {
            if !profile.has(option) {
                profile.0.push(option);
            }
        }
        Context { scan, texts, options, profile, identity: Identity::of(scan, &options.batch_identities), scopes: scopes(scan) }
    }

    pub fn scope(&self, index: usize) -> Scope {
        self.scopes.get(index).copied().unwrap_or(Scope::Plain)
    }

    pub fn text(&self, e: &Element) -> Cow<'_, str> {
        self.texts.get(e)
    }
}

/// Each element's scope, inherited from its ancestors (parents come first);
/// none when the file has no sequence that sets one (all are plain).
fn scopes(scan: &Scan) -> Vec<Scope> {
    let scoping = |e: &Element| matches!(e.tag, CONTENT_SEQUENCE | WAVEFORM_ANNOTATION_SEQUENCE | GRAPHIC_ANNOTATION_SEQUENCE | TEXT_OBJECT_SEQUENCE);
    if !scan.sequences().any(|(_, e)| scoping(e)) {
        return Vec::new();
    }
    let mut out: Vec<Scope> = Vec::with_capacity(scan.elements.len());
    for e in &scan.elements {
        let inherited = if e.parent == NONE { Scope::Plain } else { out[e.parent as usize] };
        let own = match e.tag {
            CONTENT_SEQUENCE | WAVEFORM_ANNOTATION_SEQUENCE if e.kind == Kind::Sequence => Scope::Structured,
            GRAPHIC_ANNOTATION_SEQUENCE | TEXT_OBJECT_SEQUENCE if e.kind == Kind::Sequence => Scope::Graphics,
            _ => inherited,
        };
        out.push(if inherited == Scope::Plain { own } else { inherited });
    }
    out
}

/// Profile options the file says were applied (PS3.16 CID 7050 codes in
/// (0012,0064)), so a declared "Retain Longitudinal Full Dates" is honoured.
fn declared_options(scan: &Scan) -> Vec<ProfileOption> {
    let Some(seq) = scan.top_level_at(DEIDENTIFICATION_METHOD_CODE_SEQUENCE) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in &scan.elements[seq..] {
        if e.depth == 0 && e.tag != DEIDENTIFICATION_METHOD_CODE_SEQUENCE {
            break;
        }
        if e.tag != CODE_VALUE {
            continue;
        }
        let option = match &*values::text_cow(scan, e) {
            "113103" => ProfileOption::CleanGraphics,
            "113104" => ProfileOption::CleanStructuredContent,
            "113105" => ProfileOption::CleanDescriptors,
            "113106" => ProfileOption::RetainLongitudinalFullDates,
            "113107" => ProfileOption::RetainLongitudinalModifiedDates,
            "113108" => ProfileOption::RetainPatientCharacteristics,
            "113109" => ProfileOption::RetainDeviceIdentity,
            "113110" => ProfileOption::RetainUids,
            "113111" => ProfileOption::RetainSafePrivate,
            "113112" => ProfileOption::RetainInstitutionIdentity,
            _ => continue,
        };
        out.push(option);
    }
    out
}

/// Runs every PHI rule.
pub fn check(scan: &Scan, texts: &Texts, options: &Options, findings: &mut Vec<Finding>) {
    if !scan.is_dicom {
        return;
    }
    let cx = Context::new(scan, texts, options);
    let start = findings.len();
    profile::check(&cx, findings);
    text::check(&cx, findings);
    uid::check(&cx, findings);
    profile::check_consistency(&cx, start, findings);
}

/// The identity tokens of a file, for batch-wide searches (CLI, page).
pub fn identity_tokens(scan: &Scan) -> Vec<String> {
    Identity::of(scan, &[]).raw_values()
}
