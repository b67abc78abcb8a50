// Byte transports for H2Session: the interface every adapter implements, and the check that
// turns what a caller passes (an adapter's transport, or a bare `{ readable, writable }`
// pair) into one.
//
// interface ByteTransport {
//   readable: ReadableStream<Uint8Array>     bytes from the peer
//   writable: WritableStream<Uint8Array>     bytes to the peer; close() = FIN where possible
//   closed?: Promise<unknown>                settles when the connection is gone
//   close?(reason?): void | Promise<void>    hard close of both directions
//   capabilities: { halfClose: boolean; readBackpressure: boolean }
//   info?: { alpn?: string; secure?: boolean; remote?: string }
// }
//
// `halfClose`: closing `writable` ends our direction only, so the peer's last bytes still
// arrive (the session then waits up to `lingerMs` for the peer's EOF). `readBackpressure`:
// not reading `readable` makes the peer stop sending (TCP, most Web Streams); without it the
// session relies on HTTP/2 flow control and `maxInboundBufferedBytes`.

import { fromWebStreams } from './webstreams.js';

export { fromWebStreams } from './webstreams.js';
export { memoryTransportPair } from './memory.js';

const isReadable = (v) => v !== null && typeof v === 'object' && typeof v.getReader === 'function';
const isWritable = (v) => v !== null && typeof v === 'object' && typeof v.getWriter === 'function';

/**
 * The ByteTransport for `value`: a transport with `capabilities` is checked and returned as
 * is; a bare `{ readable, writable }` pair goes through `fromWebStreams` (no half-close
 * assumed). Throws a TypeError for anything else.
 */
export function toByteTransport(value) {
  if (value === null || typeof value !== 'object' || !isReadable(value.readable) || !isWritable(value.writable)) {
    throw new TypeError('a transport must have a ReadableStream `readable` and a WritableStream `writable`');
  }
  if (value.capabilities === undefined) return fromWebStreams(value);
  const { halfClose, readBackpressure } = value.capabilities;
  if (typeof halfClose !== 'boolean' || typeof readBackpressure !== 'boolean') {
    throw new TypeError('transport.capabilities must be { halfClose: boolean, readBackpressure: boolean }');
  }
  if (value.close !== undefined && typeof value.close !== 'function') throw new TypeError('transport.close must be a function');
  return value;
}
