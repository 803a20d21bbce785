//! What the caller can choose. Every field has a default that suits a person
//! dropping files on the page; the CLI and the WASM export fill it in.

use serde::{Deserialize, Serialize};

/// Options for [`crate::inspect`]. Build with `Options::default()` and the
/// chained setters; from JavaScript, pass an object with the same field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Options {
    /// The file's name or path, as the user gave it (reported, never opened).
    pub path: Option<String>,
    /// Include the element tree in the report.
    pub elements: bool,
    /// Longest text shown for one value in the element tree, in characters.
    pub value_preview_chars: usize,
    /// Deepest sequence nesting followed before `integrity.limit` stops the walk.
    pub max_depth: u32,
    /// Most elements (headers, items, fragments) recorded before `integrity.limit`.
    pub max_elements: u32,
    /// Largest inflated size of a deflated data set, in bytes.
    pub max_inflated_bytes: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            path: None,
            elements: false,
            value_preview_chars: 256,
            max_depth: 64,
            max_elements: 2_000_000,
            max_inflated_bytes: 1 << 30,
        }
    }
}

impl Options {
    pub fn with_path(mut self, path: impl Into<String>) -> Options {
        self.path = Some(path.into());
        self
    }

    pub fn with_elements(mut self, elements: bool) -> Options {
        self.elements = elements;
        self
    }

    pub fn with_max_depth(mut self, depth: u32) -> Options {
        self.max_depth = depth;
        self
    }

    pub fn with_max_elements(mut self, count: u32) -> Options {
        self.max_elements = count;
        self
    }

    pub fn with_max_inflated_bytes(mut self, bytes: u64) -> Options {
        self.max_inflated_bytes = bytes;
        self
    }
}
