//! dicom-inspector: a DICOM privacy and security inspector.
//!
//! The data flows one way: bytes → [`scan`] (elements with byte offsets) →
//! [`values`] (text, numbers, names, on demand) → [`audit`] (rules producing
//! findings) → [`report`]. [`inspect`] is the whole pipeline: a pure function
//! with no I/O, shared by the CLI and the WASM export.
#![deny(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod audit;
mod charset;
pub mod deadline;
pub mod demo;
pub mod dicomdir;
mod inspect;
pub mod json;
pub mod options;
pub mod pixels;
pub mod report;
pub mod scan;
pub mod tables;
pub mod values;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use inspect::{identity_values, identity_values_from, inspect, inspect_file, inspect_source, Source};
pub use options::Options;
pub use report::{FileReport, Finding, Report, Severity};
