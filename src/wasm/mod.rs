//! The JavaScript binding, compiled only for `wasm32`.
//!
//! This module converts values between Rust and JavaScript and maps errors; it holds no
//! protocol logic. What it exports is internal: the npm package wraps it in the hand-written
//! API of `js/src/` (see `docs/packaging.md`).
//!
//! For now it exports two small functions that prove the packaging end to end; the
//! `H2Connection` binding replaces them.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::ErrorCode;

/// The version of the crate that built this module, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The RFC 9113 name of an HTTP/2 error code (`1` gives `"PROTOCOL_ERROR"`), or `undefined`
/// for a code the RFC does not define.
#[wasm_bindgen(js_name = errorCodeName)]
pub fn error_code_name(code: u32) -> Option<String> {
    ErrorCode(code).name().map(str::to_owned)
}
