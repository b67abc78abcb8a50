// Internal: owns the one instance of the WebAssembly module. Each entry point (node.js,
// workerd.js, browser.js) instantiates it in the way its runtime allows; api.js checks it.
import initAsync, { initSync } from './wasm/h2wasm.js';

let ready = false;
let pending = null;

/** Instantiates the module from a `WebAssembly.Module` or its bytes; a no-op once ready. */
export function instantiateSync(moduleOrBytes) {
  if (!ready) {
    initSync({ module: moduleOrBytes });
    ready = true;
  }
}

/**
 * Instantiates the module from a URL, a Response, bytes or a `WebAssembly.Module`. Calls made
 * while it is loading share its promise; a failed load can be retried.
 */
export function instantiate(source) {
  if (ready) return Promise.resolve();
  if (pending === null) {
    pending = initAsync({ module_or_path: source }).then(
      () => {
        ready = true;
      },
      (error) => {
        pending = null;
        throw error;
      },
    );
  }
  return pending;
}

/** Throws a clear error if the module is not instantiated yet. */
export function assertReady() {
  if (!ready) {
    throw new Error(
      'h2wasm: the WebAssembly module is not initialised yet; `await init()` before using it',
    );
  }
}
