//! The browser boundary: the only module that knows about JavaScript.
//!
//! Bytes come in as a `Uint8Array` (copied once into WASM memory), the report
//! goes out as a plain JS object through `serde-wasm-bindgen`, with `null` for
//! absent values, exactly like the CLI's JSON. Nothing here panics across the
//! boundary: bad options become a `JsError`, bad bytes a report with findings.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::options::Options;

/// Installs the panic hook once, when the module is instantiated, so that a
/// bug shows in the console with its message instead of "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Inspects one file's bytes. `options` is optional; its fields are those of
/// `Options` (`path`, `elements`, `value_preview_chars`, `max_depth`, …).
#[wasm_bindgen]
pub fn inspect(bytes: &[u8], options: JsValue) -> Result<JsValue, JsError> {
    let options: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        serde_wasm_bindgen::from_value(options).map_err(|e| JsError::new(&format!("invalid options: {e}")))?
    };
    let report = crate::inspect(bytes, &options);
    report
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot hand the report to JavaScript: {e}")))
}

/// The core's version, for the page's footer and the embed API.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
