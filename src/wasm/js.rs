//! The JavaScript built-ins the binding calls, declared here instead of depending on
//! js-sys. Linking js-sys exports a descriptor for each of its imports; wasm-bindgen keeps
//! the function table whole, so the closure trampolines those descriptors point at stay in
//! the module although nothing calls them (about 10 KB of code).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A plain JS object.
    #[wasm_bindgen(js_name = Object)]
    pub(super) type Object;

    /// `new Object()`.
    #[wasm_bindgen(constructor, js_class = Object)]
    pub(super) fn new() -> Object;

    /// A JS `Uint8Array`.
    #[wasm_bindgen(js_name = Uint8Array)]
    pub(super) type Uint8Array;

    /// `new Uint8Array(view)`: a JS-owned copy of `octets`.
    #[wasm_bindgen(constructor, js_class = Uint8Array)]
    pub(super) fn copy_of(octets: &[u8]) -> Uint8Array;

    /// `Math.random()`.
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    pub(super) fn math_random() -> f64;

    #[wasm_bindgen(js_namespace = Reflect, js_name = get, catch)]
    fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = Reflect, js_name = set, catch)]
    fn reflect_set(target: &JsValue, key: &JsValue, value: &JsValue) -> Result<bool, JsValue>;
}

/// `target[key] = value`; a failure (a frozen or non-object target) is ignored.
pub(super) fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = reflect_set(target, &JsValue::from_str(key), value);
}

/// `target[key]`, or `undefined` if reading it throws (a non-object target, a throwing getter).
pub(super) fn get(target: &JsValue, key: &str) -> JsValue {
    reflect_get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
