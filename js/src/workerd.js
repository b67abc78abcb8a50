// Entry point for Cloudflare workerd (and other `worker` runtimes that import .wasm files as
// compiled modules): the bundler or runtime hands over a WebAssembly.Module, which is
// instantiated synchronously at import.
import wasmModule from './wasm/h2wasm_bg.wasm';
import { instantiateSync } from './core.js';

instantiateSync(wasmModule);

export * from './api.js';

/** Already done at import; resolves at once. Kept so that portable code can always call it. */
export function init() {
  return Promise.resolve();
}
