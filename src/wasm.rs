//! The browser boundary: the only module that knows about JavaScript.
//!
//! Bytes come in as a `Uint8Array`, or from a reader JavaScript calls for
//! a range at a time, copied into WASM memory a range at a time: without
//! the pixel scan, only the headers and what follows native pixel data
//! (see [`crate::inspect_source`]). The report goes out as a
//! plain JS object, with `null` for absent values, exactly like the CLI's
//! JSON: it is written as JSON in WASM and parsed by `JSON.parse`, which
//! builds the object faster than one boundary call per field
//! (`serde-wasm-bindgen`, still used for a list of identity values); the
//! options come in the same way, as `JSON.stringify`'s text.
//! Nothing here panics across the boundary: bad options become a `JsError`,
//! bad bytes a report with findings.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::options::Options;

/// Installs the panic hook once, when the module is instantiated, so that a
/// bug shows in the console with its message instead of "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

#[wasm_bindgen(module = "/src/wasm/hand_over.js")]
extern "C" {
    /// The length of a `Uint8Array`, or -1 for anything else.
    fn byte_length(value: &JsValue) -> f64;

    /// Copies `length` bytes of `source` from `start` into WASM memory at `at`.
    fn copy_in(source: &js_sys::Uint8Array, start: u32, length: u32, memory: &JsValue, at: u32);

    /// A packed report's text parsed, with the `count` numbers at `at` in
    /// WASM memory copied into a plain array in `values`.
    #[wasm_bindgen(catch, js_name = hand_over_packed)]
    fn hand_over_packed_js(text: &str, memory: &JsValue, at: u32, count: u32) -> Result<JsValue, JsValue>;

    /// `JSON.stringify(options)`, the text handed over in the same call:
    /// empty for no options (undefined or null), `None` for a value that
    /// has no JSON text.
    #[wasm_bindgen(catch)]
    fn options_json(options: &JsValue) -> Result<Option<String>, JsValue>;
}

thread_local! {
    /// This instance's `WebAssembly.Memory` (asking for it is a call).
    static MEMORY: JsValue = wasm_bindgen::memory();
}

/// The bytes JavaScript handed over, read a range at a time, and how many
/// there are (asked once: each question is a call into JavaScript).
struct ArraySource(js_sys::Uint8Array, u32);

impl ArraySource {
    fn new(bytes: js_sys::Uint8Array) -> ArraySource {
        let length = bytes.length();
        ArraySource(bytes, length)
    }

    /// The source `value` is if it is a `Uint8Array` (the usual case: its
    /// type and length in one call).
    fn of(value: &JsValue) -> Option<ArraySource> {
        let length = byte_length(value);
        (length >= 0.0).then(|| ArraySource(value.clone().unchecked_into(), length as u32))
    }
}

impl crate::Source for ArraySource {
    fn size(&self) -> u64 {
        u64::from(self.1)
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        if buf.is_empty() {
            // (Not a call into JavaScript for nothing: most files end with their pixels.)
            return Ok(());
        }
        let range = u32::try_from(offset).ok().and_then(|start| Some((start, start.checked_add(u32::try_from(buf.len()).ok()?)?)));
        match range {
            // The range lies within the array; JavaScript writes the bytes
            // of `buf`, whose address it is given.
            Some((start, end)) if end <= self.1 => {
                MEMORY.with(|memory| copy_in(&self.0, start, end - start, memory, buf.as_mut_ptr() as u32));
                Ok(())
            }
            _ => Err(std::io::ErrorKind::UnexpectedEof.into()),
        }
    }

    fn read_all(&mut self) -> std::io::Result<Vec<u8>> {
        Ok(self.0.to_vec())
    }
}

/// A file JavaScript reads for the core a range at a time: `{size,
/// read(offset, length)}`, `read` returning a `Uint8Array` of `length`
/// bytes (in a worker, `FileReaderSync` over `File.slice`). The core reads
/// what [`crate::inspect_source`] needs: without the pixel scan, the headers
/// and what follows native pixel data; for a large file's pixel scan, also
/// the native frames it looks at.
struct ReaderSource {
    size: u64,
    read: js_sys::Function,
}

impl ReaderSource {
    /// The reader `value` is, if it is one: an object with a numeric `size`
    /// and a function `read`.
    fn of(value: &JsValue) -> Option<Result<ReaderSource, JsError>> {
        if !value.is_object() || value.is_instance_of::<js_sys::Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>() {
            return None;
        }
        let read = js_sys::Reflect::get(value, &"read".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
        let size = js_sys::Reflect::get(value, &"size".into()).ok().and_then(|s| s.as_f64());
        Some(match size {
            Some(size) if size >= 0.0 && size.fract() == 0.0 && size <= 2f64.powi(53) => Ok(ReaderSource { size: size as u64, read }),
            _ => Err(JsError::new("a reader's size must be a whole number of bytes")),
        })
    }
}

impl crate::Source for ReaderSource {
    fn size(&self) -> u64 {
        self.size
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
        if buf.is_empty() {
            return Ok(());
        }
        let got = self.read.call2(&JsValue::NULL, &JsValue::from_f64(offset as f64), &JsValue::from_f64(buf.len() as f64));
        let bytes = got.map_err(|e| std::io::Error::other(e.as_string().or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()))).unwrap_or_else(|| "the reader failed".into())))?;
        match bytes.dyn_into::<js_sys::Uint8Array>() {
            Ok(bytes) if bytes.length() as usize == buf.len() => {
                bytes.copy_to(buf);
                Ok(())
            }
            _ => Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, format!("the reader gave other than {} bytes at {offset}", buf.len()))),
        }
    }
}

/// Inspects one file's bytes (a `Uint8Array`, or an `ArrayBuffer` or array
/// it can view, or a reader `{size, read(offset, length)}` that gives them a
/// range at a time). `options` is optional; its fields are those of `Options`
/// (`path`, `elements`, `value_preview_chars`, `max_depth`, `file_size` for
/// a headers-only read of the first bytes, …).
#[wasm_bindgen]
pub fn inspect(bytes: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let report = report_of(bytes, &options_from(options)?)?;
    hand_over(&crate::json::to_string(&report).map_err(|e| JsError::new(&format!("cannot write the report: {e}")))?)
}

/// A report's JSON text as a JavaScript value.
fn hand_over(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("cannot hand the report to JavaScript"))
}

/// A report packed (see [`inspect_packed`]), numbered with `strings`.
fn packed(report: &crate::Report, strings: &mut crate::json::Strings) -> Result<crate::json::Packed, JsError> {
    crate::json::to_packed(report, strings).map_err(|e| JsError::new(&format!("cannot write the report: {e}")))
}

/// A packed report as a JavaScript object: its text parsed, and its
/// values as an array in `values`.
fn hand_over_packed(packed: &crate::json::Packed) -> Result<JsValue, JsError> {
    // (JavaScript reads the values where they are, during the call.)
    let (at, count) = (packed.values.as_ptr() as u32, packed.values.len() as u32);
    MEMORY.with(|memory| hand_over_packed_js(&packed.text, memory, at, count)).map_err(|_| JsError::new("cannot hand the report to JavaScript"))
}

thread_local! {
    /// This instance's table of numbered strings (see [`inspect_packed`]).
    static STRINGS: std::cell::RefCell<crate::json::Strings> = std::cell::RefCell::default();
}

/// [`inspect`] for a caller that keeps a table of strings from call to call
/// (`www/strings.js`): returns `{base, strings, texts, values}`, where
/// `values` (an array of numbers) is the report's every value in a fixed
/// order, numbers of strings in place of their strings (see
/// `json::to_packed`), and `strings` are the table entries this call
/// added, numbered from `base`. A slice of a CT series then costs a few
/// hundred numbers and two strings, and the page holds one copy of each
/// explanation instead of one per finding.
#[wasm_bindgen]
pub fn inspect_packed(bytes: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let options = options_from(options)?;
    let report = report_of(bytes, &options)?;
    hand_over_packed(&STRINGS.with_borrow_mut(|strings| packed(&report, strings))?)
}

/// The options object as JSON text, read by `serde_json`: one call into
/// JavaScript (`JSON.stringify`, its text handed over in the same call),
/// where `serde-wasm-bindgen` would ask the object for each of the sixteen
/// fields in turn (about 2 µs a call, a tenth of a slice's inspection),
/// and js-sys's `JSON.stringify` would be two calls (the string, then
/// its text: 0.25 µs more in Node).
fn options_from(options: JsValue) -> Result<Options, JsError> {
    let invalid = |e: &dyn std::fmt::Display| JsError::new(&format!("invalid options: {e}"));
    let text = options_json(&options).ok().flatten().ok_or_else(|| invalid(&"cannot be written as JSON"))?;
    if text.is_empty() {
        return Ok(Options::default());
    }
    // (Anything but an object is JSON that is not one: serde_json says so.)
    serde_json::from_str(&text).map_err(|e| invalid(&e))
}

fn report_of(bytes: JsValue, options: &Options) -> Result<crate::Report, JsError> {
    let file = match ArraySource::of(&bytes) {
        Some(mut source) => crate::inspect_source(&mut source, options),
        None => match ReaderSource::of(&bytes) {
            Some(reader) => crate::inspect_source(&mut reader?, options),
            None => crate::inspect_source(&mut ArraySource::new(js_sys::Uint8Array::new(&bytes)), options),
        },
    };
    let file = file.map_err(|e| JsError::new(&format!("cannot read the bytes: {e}")))?;
    Ok(crate::Report::from_files(vec![file]))
}

/// Files larger than this are read in ranges for the pixel scan (headers,
/// what follows native pixel data, the frames the scan looks at) and
/// smaller ones whole: the worker lets the core read larger ones itself.
#[wasm_bindgen]
pub fn whole_read_max() -> f64 {
    crate::inspect::WHOLE_READ_MAX as f64
}

/// The core's version, for the page's footer and the embed API.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The image of one file, decoded once and re-windowed on demand. The RGBA
/// pixels stay in WASM memory: [`ImageView::rgba`] is a view onto them, valid
/// until the next call into this module.
#[wasm_bindgen]
pub struct ImageView {
    bytes: Vec<u8>,
    viewer: crate::pixels::render::Viewer,
}

#[wasm_bindgen]
impl ImageView {
    /// Decodes the first frame of a file's bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>) -> Result<ImageView, JsError> {
        let scan = crate::scan::scan(&bytes, &Options::default());
        let viewer = crate::pixels::render::Viewer::new(&scan).map_err(|e| JsError::new(&e.to_string()))?;
        drop(scan);
        Ok(ImageView { bytes, viewer })
    }

    pub fn width(&self) -> u32 {
        self.viewer.info.columns
    }

    pub fn height(&self) -> u32 {
        self.viewer.info.rows
    }

    pub fn frames(&self) -> u32 {
        self.viewer.info.frames
    }

    pub fn frame(&self) -> u32 {
        self.viewer.frame_index()
    }

    /// Window presets from the file: `[{center, width, explanation}]`.
    pub fn presets(&self) -> Result<JsValue, JsError> {
        let list: Vec<serde_json::Value> = self
            .viewer
            .info
            .windows
            .iter()
            .map(|(c, w, e)| serde_json::json!({ "center": c, "width": w, "explanation": e }))
            .collect();
        list.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Smallest and largest value of the frame after the modality rescale.
    pub fn range(&self) -> Vec<f64> {
        vec![self.viewer.range.0, self.viewer.range.1]
    }

    /// The window in force: `[center, width]`.
    pub fn window(&self) -> Vec<f64> {
        vec![self.viewer.window.0, self.viewer.window.1]
    }

    pub fn is_color(&self) -> bool {
        self.viewer.info.samples == 3 || self.viewer.info.photometric == "PALETTE COLOR"
    }

    pub fn has_overlays(&self) -> bool {
        !self.viewer.overlays.is_empty()
    }

    pub fn set_overlays(&mut self, show: bool) {
        self.viewer.show_overlays = show;
    }

    /// Whether the file has a VOI LUT Sequence (rendered until a window is chosen).
    pub fn has_voi_lut(&self) -> bool {
        !self.viewer.info.voi_luts.is_empty() && self.viewer.info.windows.is_empty()
    }

    /// Render through the file's VOI LUT (true) or through a window (false).
    pub fn set_voi_lut(&mut self, on: bool) {
        self.viewer.use_voi_lut = on;
    }

    pub fn set_frame(&mut self, index: u32) -> Result<(), JsError> {
        let scan = crate::scan::scan(&self.bytes, &Options::default());
        self.viewer.set_frame(&scan, index).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Renders the current frame with a window into the RGBA buffer.
    pub fn render(&mut self, center: f64, width: f64) {
        self.viewer.render(center, width);
    }

    /// A view of the RGBA buffer (`width × height × 4`): read it at once.
    pub fn rgba(&self) -> js_sys::Uint8ClampedArray {
        // SAFETY: the view aliases `self.viewer.rgba`, which lives as long as
        // `self`; JavaScript uses it before calling into WASM again (any call
        // may grow memory and detach the view), as the method's doc says.
        unsafe { js_sys::Uint8ClampedArray::view(&self.viewer.rgba) }
    }
}

/// Buffers that stay in WASM memory, for the browser benchmark of the window
/// kernel (scalar reference against simd128), so no copy across the boundary
/// is timed.
#[wasm_bindgen]
pub struct KernelBench {
    values: Vec<i32>,
    out: Vec<u8>,
}

#[wasm_bindgen]
impl KernelBench {
    /// `pixels` pseudo-random 12-bit values (the same sequence as bench.js makes).
    #[wasm_bindgen(constructor)]
    pub fn new(pixels: usize) -> KernelBench {
        let mut state = 2_463_534_242u32;
        let values = (0..pixels)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state & 0xFFF) as i32
            })
            .collect();
        KernelBench { values, out: vec![0; pixels * 4] }
    }

    pub fn scalar(&mut self, center: f64, width: f64) {
        let m = crate::pixels::kernels::Affine::window(1.0, 0.0, center, width, false, false);
        crate::pixels::kernels::window_to_rgba_scalar(&self.values, m, &mut self.out);
    }

    pub fn simd(&mut self, center: f64, width: f64) {
        let m = crate::pixels::kernels::Affine::window(1.0, 0.0, center, width, false, false);
        crate::pixels::kernels::window_to_rgba(&self.values, m, &mut self.out);
    }

    /// A sum of the output, to check both kernels (and JavaScript) agree.
    pub fn checksum(&self) -> u32 {
        self.out.iter().fold(0u32, |acc, &b| acc.wrapping_mul(31).wrapping_add(u32::from(b)))
    }
}

/// The pixel scan's benchmark in the browser (issue 8): a workload's files
/// generated and scanned in WASM memory, then the pixel scan alone timed
/// against a plain copy of the same bytes, so no copy across the boundary
/// is timed (see [`crate::pixels::bench`]).
#[wasm_bindgen]
pub struct PixelScanBench(crate::pixels::bench::PixelScan);

#[wasm_bindgen]
impl PixelScanBench {
    /// `workload`: `series` (300 CT slices of 512×512), `large` (one
    /// 4096×4096 frame) or `multiframe` (1,000 frames of 512×512).
    #[wasm_bindgen(constructor)]
    pub fn new(workload: &str) -> Result<PixelScanBench, JsError> {
        use crate::pixels::bench::PixelScan;
        Ok(PixelScanBench(match workload {
            "series" => PixelScan::ct_series(300),
            "large" => PixelScan::large_frame(4096),
            "multiframe" => PixelScan::multiframe(1000),
            other => return Err(JsError::new(&format!("no pixel-scan workload {other}"))),
        }))
    }

    /// Bytes of pixel data one pass reads.
    pub fn scanned_bytes(&self) -> f64 {
        self.0.scanned_bytes() as f64
    }

    pub fn files(&self) -> u32 {
        self.0.files() as u32
    }

    /// One pass of the pixel scan over every file: the text regions found.
    pub fn scan(&self) -> u32 {
        self.0.scan() as u32
    }

    /// One pass copying the same bytes within WASM memory.
    pub fn copy(&mut self) -> u8 {
        self.0.copy()
    }
}

/// The steps of a headers-only inspection in the browser (issue 8), timed
/// one more at a time on a workload generated in WASM memory: the
/// inspection alone (every rule, the report's values), then with the
/// packed report written, then with it handed to JavaScript (the string
/// out of WASM memory and `JSON.parse`), as [`inspect_packed`] does. What
/// the page's whole call costs beyond the last is reading the options and
/// the bytes from JavaScript, and `www/strings.js` making the findings
/// objects again.
#[wasm_bindgen]
pub struct InspectBench {
    files: Vec<Vec<u8>>,
    strings: crate::json::Strings,
}

#[wasm_bindgen]
impl InspectBench {
    /// `workload`: `series` (the 300 CT slices of scripts/bench).
    #[wasm_bindgen(constructor)]
    pub fn new(workload: &str) -> Result<InspectBench, JsError> {
        let files = match workload {
            "series" => crate::demo::ct_series(300).into_iter().map(|(_, bytes)| bytes).collect(),
            other => return Err(JsError::new(&format!("no inspection workload {other}"))),
        };
        Ok(InspectBench { files, strings: crate::json::Strings::default() })
    }

    pub fn files(&self) -> u32 {
        self.files.len() as u32
    }

    /// A copy of file `index`, for the same call from JavaScript.
    pub fn file(&self, index: u32) -> Option<Vec<u8>> {
        self.files.get(index as usize).cloned()
    }

    fn report(bytes: &[u8]) -> crate::Report {
        crate::Report::from_files(vec![crate::inspect_file(bytes, &Options::default().with_pixel_scan(false))])
    }

    /// One pass inspecting every file: the elements seen.
    pub fn inspect(&self) -> u32 {
        self.files.iter().map(|bytes| Self::report(bytes).files[0].element_count).sum()
    }

    /// One pass inspecting every file and writing its packed report: the
    /// reports' characters.
    pub fn write(&mut self) -> Result<f64, JsError> {
        let mut chars = 0;
        for bytes in &self.files {
            let packed = packed(&Self::report(bytes), &mut self.strings)?;
            chars += packed.text.len() + packed.values.len();
        }
        Ok(chars as f64)
    }

    /// One pass inspecting every file and handing its packed report to
    /// JavaScript as [`inspect_packed`] does: the reports handed over.
    pub fn hand_over(&mut self) -> Result<u32, JsError> {
        for bytes in &self.files {
            hand_over_packed(&packed(&Self::report(bytes), &mut self.strings)?)?;
        }
        Ok(self.files.len() as u32)
    }
}
