/**
 * `fromWebTransportStream(bidi)`: a ByteTransport over one WebTransport bidirectional stream
 * (from `transport.createBidirectionalStream()` or `transport.incomingBidirectionalStreams`).
 *
 * Capabilities and caveats:
 * - readBackpressure: true: QUIC stream flow control stops the peer while nothing reads.
 * - halfClose: true. `writable.close()` closes the send stream (QUIC FIN); reading goes on.
 * - `close(reason)`, `readable.cancel()` and `writable.abort()` reset the stream: the writer
 *   is aborted (RESET_STREAM) and the reader cancelled (STOP_SENDING), with `reason` (a
 *   `WebTransportError` carries `streamErrorCode`).
 * - `closed` resolves once the stream ended both ways (peer FIN read, our FIN sent) and
 *   rejects on a stream error; the WebTransport session itself is the caller's to close.
 * - info: `secure` is true (always TLS 1.3 inside QUIC); no `alpn` or `remote`.
 */
import { wrapStreamPair } from './stream_pair.js';

/**
 * Wraps a WebTransport bidirectional stream as a ByteTransport.
 *
 * @param {{ readable: ReadableStream<Uint8Array>, writable: WritableStream<Uint8Array> }} bidi
 */
export function fromWebTransportStream(bidi) {
  const pair = wrapStreamPair(bidi, { what: 'WebTransport stream' });
  return {
    ...pair,
    capabilities: { halfClose: true, readBackpressure: true },
    info: { secure: true },
  };
}
