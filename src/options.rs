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
    /// Most element-tree rows put in the report (the rest are counted, not
    /// listed); `None` for all. The page asks for a bound so that a file of a
    /// million elements does not become a million JavaScript objects.
    pub max_report_elements: Option<u32>,
    /// Longest text shown for one value in the element tree, in characters.
    pub value_preview_chars: usize,
    /// Deepest sequence nesting followed before `integrity.limit` stops the walk.
    pub max_depth: u32,
    /// Most elements (headers, items, fragments) recorded before `integrity.limit`.
    pub max_elements: u32,
    /// Largest inflated size of a deflated data set, in bytes.
    pub max_inflated_bytes: u64,
    /// Time limit for one file, in milliseconds; `None` for none. When it runs
    /// out, the walk, the rules or the pixel scan stop where they are and an
    /// `integrity.limit` finding says what was left out.
    pub max_millis: Option<u64>,
    /// The Annex E profile options the user will apply when de-identifying:
    /// findings follow the chosen columns of PS3.15 Table E.1-1.
    pub profile: ProfileOptions,
    /// Decode the pixels and search them for burned-in text.
    pub pixel_scan: bool,
    /// Report files without a digital signature (`security.unsigned`).
    pub check_signatures: bool,
    /// Identity values (names, IDs, dates) found in the other files of the
    /// same batch, searched for in this file's free text too.
    pub batch_identities: Vec<String>,
    /// Headers-only reads: the bytes given are the first `bytes.len()` bytes
    /// of a file of `file_size` bytes. When larger than the bytes given, a
    /// value or header that runs past them (but not past `file_size`) is not
    /// a fault: the walk stops there and the report's `partial.needs_bytes`
    /// says how many bytes to read next, or null once the walk reached the
    /// pixel data. `None` (the default): the bytes are the whole file.
    pub file_size: Option<u64>,
    /// The `pixels` entry of an earlier report on the same file, made with
    /// the pixel scan: when it says the pixels decoded (and its geometry is
    /// the file's), its text regions are taken instead of decoding and
    /// searching the pixels again, and the pixel bytes are not read. The
    /// report is the one a whole inspection gives; the page uses it to
    /// search a batch's files again for each other's identities, which only
    /// the header rules need.
    pub earlier_pixels: Option<crate::report::PixelsReport>,
}

/// The options of the Basic Application Level Confidentiality Profile
/// (PS3.15 E.3), one column each in Table E.1-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileOption {
    RetainSafePrivate,
    RetainUids,
    RetainDeviceIdentity,
    RetainInstitutionIdentity,
    RetainPatientCharacteristics,
    RetainLongitudinalFullDates,
    RetainLongitudinalModifiedDates,
    CleanDescriptors,
    CleanStructuredContent,
    CleanGraphics,
}

impl ProfileOption {
    /// In the order of the option columns of Table E.1-1.
    pub const ALL: [ProfileOption; 10] = [
        ProfileOption::RetainSafePrivate,
        ProfileOption::RetainUids,
        ProfileOption::RetainDeviceIdentity,
        ProfileOption::RetainInstitutionIdentity,
        ProfileOption::RetainPatientCharacteristics,
        ProfileOption::RetainLongitudinalFullDates,
        ProfileOption::RetainLongitudinalModifiedDates,
        ProfileOption::CleanDescriptors,
        ProfileOption::CleanStructuredContent,
        ProfileOption::CleanGraphics,
    ];

    /// The name used on the command line and in the page: `retain-uids`, ...
    pub fn name(self) -> &'static str {
        match self {
            ProfileOption::RetainSafePrivate => "retain-safe-private",
            ProfileOption::RetainUids => "retain-uids",
            ProfileOption::RetainDeviceIdentity => "retain-device-identity",
            ProfileOption::RetainInstitutionIdentity => "retain-institution-identity",
            ProfileOption::RetainPatientCharacteristics => "retain-patient-characteristics",
            ProfileOption::RetainLongitudinalFullDates => "retain-longitudinal-full-dates",
            ProfileOption::RetainLongitudinalModifiedDates => "retain-longitudinal-modified-dates",
            ProfileOption::CleanDescriptors => "clean-descriptors",
            ProfileOption::CleanStructuredContent => "clean-structured-content",
            ProfileOption::CleanGraphics => "clean-graphics",
        }
    }

    pub fn parse(name: &str) -> Option<ProfileOption> {
        ProfileOption::ALL.into_iter().find(|o| o.name() == name || o.name().replace('-', "_") == name)
    }

    pub fn column(self) -> usize {
        ProfileOption::ALL.iter().position(|&o| o == self).unwrap_or(0)
    }
}

/// Which profile options are chosen. Serialised as a list of option names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProfileOptions(pub Vec<ProfileOption>);

impl ProfileOptions {
    pub fn has(&self, option: ProfileOption) -> bool {
        self.0.contains(&option)
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            path: None,
            elements: false,
            max_report_elements: None,
            value_preview_chars: 256,
            max_depth: 64,
            max_elements: 2_000_000,
            max_inflated_bytes: 256 << 20,
            max_millis: Some(30_000),
            profile: ProfileOptions::default(),
            check_signatures: false,
            pixel_scan: true,
            batch_identities: Vec::new(),
            file_size: None,
            earlier_pixels: None,
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

    pub fn with_profile_option(mut self, option: ProfileOption) -> Options {
        if !self.profile.has(option) {
            self.profile.0.push(option);
        }
        self
    }

    pub fn with_pixel_scan(mut self, scan: bool) -> Options {
        self.pixel_scan = scan;
        self
    }

    pub fn with_check_signatures(mut self, check: bool) -> Options {
        self.check_signatures = check;
        self
    }

    pub fn with_batch_identities(mut self, identities: Vec<String>) -> Options {
        self.batch_identities = identities;
        self
    }

    /// The bytes given are the first bytes of a file of `size` bytes
    /// (see [`Options::file_size`]).
    pub fn with_file_size(mut self, size: u64) -> Options {
        self.file_size = Some(size);
        self
    }

    /// Takes the pixel scan's result from an earlier report on the same
    /// file (see [`Options::earlier_pixels`]).
    pub fn with_earlier_pixels(mut self, pixels: Option<crate::report::PixelsReport>) -> Options {
        self.earlier_pixels = pixels;
        self
    }

    pub fn with_max_millis(mut self, millis: Option<u64>) -> Options {
        self.max_millis = millis;
        self
    }

    pub fn with_max_inflated_bytes(mut self, bytes: u64) -> Options {
        self.max_inflated_bytes = bytes;
        self
    }

    /// Only what the scanner reads (its limits and `file_size`), the rest
    /// default: for scanning part of a file without copying the batch's
    /// identities or the path for every read.
    pub fn scanner_only(&self) -> Options {
        Options {
            max_depth: self.max_depth,
            max_elements: self.max_elements,
            max_inflated_bytes: self.max_inflated_bytes,
            max_millis: self.max_millis,
            file_size: self.file_size,
            ..Options::default()
        }
    }
}
