// The public API, shared by every entry point. It only forwards to the generated binding;
// when the H2Connection binding lands, its wrapper goes here.
import * as binding from './wasm/h2wasm.js';
import { assertReady } from './core.js';

/** The version of the h2wasm crate inside this package, e.g. `"0.1.0"`. */
export function version() {
  assertReady();
  return binding.version();
}

/** The RFC 9113 name of an HTTP/2 error code, or `undefined` for an unknown code. */
export function errorCodeName(code) {
  assertReady();
  return binding.errorCodeName(code);
}
