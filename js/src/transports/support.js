// Small helpers shared by the byte-transport adapters (adapters.js lists them). No import and
// no runtime-specific API, so every entry point can carry them.

/**
 * Codes carried by the errors the adapters create themselves, in `error.code` (the errors of
 * the underlying socket are passed on unchanged).
 */
export const TransportErrorCodes = Object.freeze({
  /** `close()` was called, or the readable was cancelled: the transport was closed here. */
  CLOSED: 'ERR_TRANSPORT_CLOSED',
  /** The connection ended abnormally (a WebSocket close code other than 1000/1005, say). */
  LOST: 'ERR_TRANSPORT_LOST',
  /** More inbound bytes waited unread than the adapter's `maxBufferedBytes` allows. */
  INBOUND_CAP: 'ERR_TRANSPORT_INBOUND_CAP',
  /** A message or chunk that is not bytes (a WebSocket text message, say). */
  NOT_BYTES: 'ERR_TRANSPORT_NOT_BYTES',
  /** TLS did not negotiate `h2` through ALPN. */
  ALPN: 'ERR_TRANSPORT_ALPN',
});

/** An `Error` with a `code` from `TransportErrorCodes` and an optional `cause`. */
export function transportError(message, code, cause) {
  const error = cause === undefined ? new Error(message) : new Error(message, { cause });
  error.code = code;
  return error;
}

/**
 * `chunk` as a Uint8Array, without copying: a Uint8Array as it is (a Node Buffer becomes a
 * plain Uint8Array view of the same memory), another view or an ArrayBuffer wrapped. Anything
 * else (a string, a Blob) throws a TypeError with code NOT_BYTES.
 */
export function toBytes(chunk, what) {
  if (chunk instanceof Uint8Array) {
    return Object.getPrototypeOf(chunk) === Uint8Array.prototype
      ? chunk
      : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  const kind = typeof chunk === 'string' ? 'a string' : Object.prototype.toString.call(chunk);
  const error = new TypeError(`${what} must be bytes (Uint8Array or ArrayBuffer), got ${kind}`);
  error.code = TransportErrorCodes.NOT_BYTES;
  throw error;
}

/**
 * A promise with its `resolve` and `reject`, settled once (later calls do nothing). Its
 * rejection is marked handled, so a transport nobody asks about never reports an unhandled
 * rejection; whoever awaits `promise` still sees it.
 */
export function settleOnce() {
  let resolve;
  let reject;
  let settled = false;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve(value) {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    },
    reject(error) {
      if (!settled) {
        settled = true;
        reject(error);
      }
    },
  };
}

/** Calls `fn()`, ignoring what it throws (stream controllers throw once their stream ended). */
export function quietly(fn) {
  try {
    const result = fn();
    if (result && typeof result.catch === 'function') result.catch(() => {});
  } catch {
    // already closed or errored
  }
}
