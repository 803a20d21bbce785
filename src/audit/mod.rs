//! Rules: each family reads the scanned file and adds findings. Rules never
//! parse again; they read [`Scan`] and the values it points at.

mod integrity;
pub mod magic;
pub mod phi;
mod security;
mod transfer;

use crate::deadline::Deadline;
use crate::options::Options;
use crate::report::Finding;
use crate::scan::Scan;
use crate::values::Texts;

/// Runs every rule family over a scanned file.
/// A rule family: its name, and the check that adds its findings.
type Family<'a> = (&'static str, &'a dyn Fn(&mut Vec<Finding>));

pub fn run(scan: &Scan, options: &Options, deadline: &Deadline) -> Vec<Finding> {
    // Room for a typical file's findings (a few dozen), so it seldom grows.
    let mut findings = Vec::with_capacity(32);
    let texts = Texts::new(scan);
    // One family after another; a file that used up its time keeps the
    // findings of the families that ran.
    let families: [Family; 4] = [
        ("transfer", &|f| transfer::check(scan, &texts, options, f)),
        ("PHI", &|f| phi::check(scan, &texts, options, f)),
        ("security", &|f| security::check(scan, &texts, options, f)),
        ("integrity", &|f| integrity::check(scan, &texts, f)),
    ];
    // Each family goes over the elements: as much work for the time limit.
    let work = scan.elements.len() as u64;
    for (i, (_, check)) in families.iter().enumerate() {
        if deadline.passed_after(work) {
            let left: Vec<&str> = families[i..].iter().map(|(name, _)| *name).collect();
            findings.push(deadline.finding(&format!("the {} rules were not run", left.join(", "))));
            break;
        }
        check(&mut findings);
    }
    findings
}
