/**
 * `fromCloudflareSocket(socket, options)`: a ByteTransport over a socket from Cloudflare's
 * `connect()` (`import { connect } from 'cloudflare:sockets'`). Resolves once
 * `socket.opened` did.
 *
 * Capabilities and caveats:
 * - ALPN is not exposed by the Sockets API: with `secureTransport: 'on'` the caller cannot
 *   see what TLS negotiated, so it must know the server speaks h2 over TLS, or use
 *   cleartext h2c with prior knowledge. `info.alpn` stays undefined.
 * - readBackpressure: true (the socket's readable is pulled, one read per read).
 * - halfClose follows `allowHalfOpen`, which the Sockets API does not report back: pass the
 *   value given to `connect()` (default false, as there). With `allowHalfOpen: false` the
 *   runtime ends our side itself when the peer's EOF arrives; `writable.close()` sends FIN
 *   in both cases and reading goes on until the peer's EOF.
 * - `closed` is `socket.closed`. Once both directions have ended (EOF read, our FIN sent) the
 *   adapter calls `socket.close()`, since workerd leaves `closed` pending until then.
 *   `close(reason)`, `readable.cancel()` and `writable.abort()` call `socket.close()` too.
 * - info: `remote` is `opened.remoteAddress`; `secure` is what the caller says: pass the
 *   options given to `connect()` (`secureTransport: 'on'` means secure; for the socket that
 *   `startTls()` returns, pass `secureTransport: 'on'` too).
 */
import { wrapStreamPair } from './stream_pair.js';

/**
 * Waits for `socket.opened` and wraps the socket; rejects if the connection failed.
 *
 * @param {{ readable: ReadableStream, writable: WritableStream, opened: Promise<{ remoteAddress?: string }>,
 *   closed: Promise<void>, close(): Promise<void> }} socket
 * @param {{ allowHalfOpen?: boolean, secureTransport?: 'off' | 'on' | 'starttls' }} [options]
 *   what was passed to `connect()`
 */
export async function fromCloudflareSocket(socket, options = {}) {
  const info = await socket.opened;
  const pair = wrapStreamPair(socket, {
    what: 'Cloudflare socket',
    closeAll: () => socket.close(),
    // workerd leaves `closed` pending after EOF both ways until close() is called.
    finish: () => socket.close(),
    closed: socket.closed,
  });
  return {
    ...pair,
    capabilities: { halfClose: options.allowHalfOpen === true, readBackpressure: true },
    info: {
      secure: options.secureTransport === 'on',
      remote: info?.remoteAddress,
    },
  };
}
