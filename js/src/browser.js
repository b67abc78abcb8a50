// Entry point for browsers and any other runtime: the module is fetched and instantiated
// by `await init()`, which must come before the first call.
import { instantiate } from './core.js';

export * from './api.js';

/**
 * Loads the WebAssembly module. With no argument it fetches `wasm/h2wasm_bg.wasm` next to
 * this file; pass a URL, a Response, bytes or a WebAssembly.Module to load it from elsewhere.
 * Calling it again is harmless.
 */
export function init(source) {
  return instantiate(source ?? new URL('./wasm/h2wasm_bg.wasm', import.meta.url));
}
