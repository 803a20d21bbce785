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

/// Runs every rule family over a scanned file.
pub fn run(scan: &Scan, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    transfer::check(scan, options, &mut findings);
    phi::check(scan, options, &mut findings);
    security::check(scan, options, &mut findings);
    integrity::check(scan, &mut findings);
    findings
}
