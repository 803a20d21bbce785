//! Rules: each family reads the scanned file and adds findings. Rules never
//! parse again; they read [`Scan`] and the values it points at.

mod integrity;
pub mod magic;
pub mod phi;
mod security;
mod transfer;

use crate::options::Options;
use crate::report::Finding;
use crate::scan::Scan;
use crate::values::Texts;

/// Runs every rule family over a scanned file.
pub fn run(scan: &Scan, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    let texts = Texts::new(scan);
    transfer::check(scan, &texts, options, &mut findings);
    phi::check(scan, &texts, options, &mut findings);
    security::check(scan, &texts, options, &mut findings);
    integrity::check(scan, &texts, &mut findings);
    findings
}
