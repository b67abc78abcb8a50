// Hand-written declarations for the h2wasm package (the ones wasm-bindgen generates stay
// internal). They hold for every entry point.

/** Where `init()` may load the WebAssembly module from. */
export type InitSource =
  | string
  | URL
  | Request
  | Response
  | PromiseLike<Response>
  | BufferSource
  | WebAssembly.Module;

/**
 * Makes the package ready. In Node, Deno, Bun and workerd the WebAssembly module is
 * instantiated at import and this resolves at once; in browsers it must be awaited before
 * the first call. Calling it again is harmless.
 *
 * @param source where to load the module from (browsers only); by default the `.wasm` file
 *   shipped next to the entry point.
 */
export function init(source?: InitSource): Promise<void>;

/** The version of the h2wasm crate inside this package, e.g. `"0.1.0"`. */
export function version(): string;

/**
 * The RFC 9113 name of an HTTP/2 error code (`1` gives `"PROTOCOL_ERROR"`), or `undefined`
 * for a code the RFC does not define.
 */
export function errorCodeName(code: number): string | undefined;
