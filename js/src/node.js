// Entry point for Node, Deno and Bun: the module is read from the package and instantiated
// synchronously at import, so the API can be used at once (also through `require`).
import { readFileSync } from 'node:fs';
import { instantiateSync } from './core.js';

instantiateSync(readFileSync(new URL('./wasm/h2wasm_bg.wasm', import.meta.url)));

export * from './api.js';
// Node only (also Deno and Bun, which load this entry): these import node:net / node:tls.
export { connectNode } from './transports/node_connect.js';
export { connect, fetch } from './session/connect.js';

/** Already done at import; resolves at once. Kept so that portable code can always call it. */
export function init() {
  return Promise.resolve();
}
