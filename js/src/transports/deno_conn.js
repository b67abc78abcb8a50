/**
 * `fromDenoConn(conn, options)`: a ByteTransport over a `Deno.Conn` (from `Deno.connect`,
 * `Deno.listen().accept()`, `Deno.connectTls`, `Deno.listenTls`, `Deno.startTls`). Resolves
 * at once for plain connections; for a TLS connection once `conn.handshake()` finished, so
 * that `info.alpn` is known (and a failed handshake rejects here).
 *
 * Capabilities and caveats:
 * - Reading uses `conn.read()`, not `conn.readable`: Deno's `conn.readable` closes the whole
 *   connection (its resource) when it reads EOF, after which nothing can be written, which
 *   would break half-close (checked with Deno 2.9: a write after the peer's FIN fails with
 *   BadResource). `readable` is pulled, one `read()` of up to `readSize` octets (64 KiB)
 *   per read, so readBackpressure is true.
 * - Writes go through `conn.writable` (which writes each chunk whole) and resolve when Deno
 *   wrote it.
 * - halfClose: true. `writable.close()` calls `conn.closeWrite()` (FIN; for TLS,
 *   close_notify first) and reading goes on.
 * - Handing the connection over means the transport owns `conn.close()`: it calls it on
 *   `close(reason)`, `readable.cancel()`, `writable.abort()`, on an error, and once both
 *   directions have ended. Do not use `conn.readable`, `conn.writable` or `conn.close()`
 *   yourself afterwards.
 * - `closed` resolves once both directions ended (or after `close()`), and rejects on a
 *   read or write error.
 * - info: `remote` from `conn.remoteAddr` ("host:port", or the path of a Unix socket),
 *   `secure` for a TLS connection (one that has `handshake()`), `alpn` from its handshake.
 */
import { wrapLocks } from './stream_pair.js';
import { settleOnce } from './support.js';

const DEFAULT_READ_SIZE = 64 * 1024;

/**
 * Wraps a Deno connection as a ByteTransport.
 *
 * @param {Deno.Conn} conn
 * @param {{ readSize?: number }} [options] the buffer size of each `conn.read()` (64 KiB)
 */
export async function fromDenoConn(conn, options = {}) {
  const readSize = options.readSize ?? DEFAULT_READ_SIZE;
  const secure = typeof conn.handshake === 'function';
  const alpn = secure ? ((await conn.handshake()).alpnProtocol ?? undefined) : undefined;

  const close = () => {
    try {
      conn.close();
    } catch {
      // already closed
    }
  };
  const readerClosed = settleOnce();
  const reader = {
    closed: readerClosed.promise,
    async read() {
      const buffer = new Uint8Array(readSize);
      const n = await conn.read(buffer);
      if (n === null) {
        readerClosed.resolve();
        return { done: true, value: undefined };
      }
      // A short read keeps only what it used, so the rest of the buffer can be freed.
      return { done: false, value: n === readSize ? buffer : buffer.slice(0, n) };
    },
    cancel() {
      close();
    },
  };
  const pair = wrapLocks(
    { reader, writer: conn.writable.getWriter() },
    {
      what: 'Deno.Conn',
      closeWrite: () => conn.closeWrite(),
      closeAll: close,
      finish: close,
    },
  );

  const addr = conn.remoteAddr;
  let remote;
  if (addr?.transport === 'tcp' || addr?.transport === 'udp') {
    remote = `${addr.hostname.includes(':') ? `[${addr.hostname}]` : addr.hostname}:${addr.port}`;
  } else if (addr?.path !== undefined) {
    remote = addr.path;
  }
  return {
    ...pair,
    capabilities: { halfClose: true, readBackpressure: true },
    info: { alpn, secure, remote },
  };
}
