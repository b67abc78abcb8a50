/**
 * `fromWebSocketStream(wss, options)`: a ByteTransport over a `WebSocketStream` (Chromium,
 * Deno with `--unstable-net`, undici). Resolves once `wss.opened` did, with the pair it gave.
 *
 * Capabilities and caveats:
 * - Each message is one chunk; boundaries mean nothing. A text message errors the transport
 *   (TypeError, code ERR_TRANSPORT_NOT_BYTES) and closes the socket.
 * - readBackpressure: false by default. The API is built for it, but not every
 *   implementation applies it (undici issue #5503: its readable ignores consumer demand), so
 *   the adapter does not promise it; pass `readBackpressure: true` where you know it holds.
 *   Reading is pulled one message at a time, so whatever backpressure there is passes on.
 * - Writes go through the socket's writer (`ready`, then `write`), whole.
 * - halfClose: false. `writable.close()` closes the WebSocket with code 1000 (the API has no
 *   half-close) and resolves once it closed.
 * - `closed` is `wss.closed`. `close(reason)`, `readable.cancel()` and `writable.abort()`
 *   call `wss.close()`.
 * - info: `secure` when `wss.url` starts with `wss:`, `remote` is `wss.url`; no `alpn`.
 */
import { wrapStreamPair } from './stream_pair.js';

/**
 * Waits for `wss.opened` and wraps the socket as a ByteTransport; rejects if it failed to open.
 *
 * @param {{ opened: Promise<{ readable: ReadableStream, writable: WritableStream }>,
 *   closed: Promise<unknown>, close(info?: object): void, url: string }} wss
 * @param {{ readBackpressure?: boolean }} [options]
 */
export async function fromWebSocketStream(wss, options = {}) {
  const { readable, writable } = await wss.opened;
  const pair = wrapStreamPair(
    { readable, writable },
    {
      what: 'WebSocketStream',
      closeWrite: () => {
        wss.close({ closeCode: 1000 });
        return wss.closed;
      },
      closeAll: () => wss.close(),
      closed: wss.closed,
    },
  );
  const url = typeof wss.url === 'string' ? wss.url : undefined;
  return {
    ...pair,
    capabilities: { halfClose: false, readBackpressure: options.readBackpressure === true },
    info: { secure: url?.startsWith('wss:') ?? false, remote: url },
  };
}
