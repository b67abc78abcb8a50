// The plainest transport: a ReadableStream and a WritableStream of bytes, used as they are.

/**
 * A ByteTransport over a Web Streams pair (a Deno.Conn, a WebTransport bidirectional
 * stream, `Duplex.toWeb(socket)`, a TransformStream pair, ...).
 *
 * `halfClose` (default `false`): whether closing `writable` ends only our direction, as a
 * TCP FIN does; `readBackpressure` (default `true`): whether not reading pauses the peer.
 * `closed` and `close` are passed through when the underlying connection has them.
 */
export function fromWebStreams({ readable, writable, closed, close, halfClose = false, readBackpressure = true, info } = {}) {
  if (readable === undefined || writable === undefined) {
    throw new TypeError('fromWebStreams needs { readable, writable }');
  }
  const transport = {
    readable,
    writable,
    capabilities: Object.freeze({ halfClose: Boolean(halfClose), readBackpressure: Boolean(readBackpressure) }),
    info: Object.freeze({ ...(info ?? {}) }),
  };
  if (closed !== undefined) transport.closed = closed;
  if (close !== undefined) transport.close = close;
  return transport;
}
