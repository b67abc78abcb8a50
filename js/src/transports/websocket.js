/**
 * `fromWebSocket(ws, options)`: a ByteTransport over a classic `WebSocket`: the global one of
 * browsers, Deno, Bun, workerd and Node 22+, or npm `ws` in Node. Duck-typed: it needs
 * `send`, `close`, `readyState`, `bufferedAmount`, a settable `binaryType`, and the `open`,
 * `message`, `close` and `error` events through `addEventListener` (preferred) or `on`
 * (npm `ws` EventEmitter style).
 *
 * Capabilities and caveats:
 * - Each binary message is one chunk of the byte stream; message boundaries mean nothing.
 *   A text message is a protocol violation: the transport errors (TypeError with code
 *   ERR_TRANSPORT_NOT_BYTES) and the socket is closed with 1003 (where the implementation
 *   lets a script send that code; browsers only allow 1000 and 3000-4999, so there it is
 *   closed without a code).
 * - readBackpressure: false. A WebSocket cannot be told to stop delivering messages, so
 *   unread messages pile up in `readable`. Rely on HTTP/2 flow control to bound them, and
 *   set `maxBufferedBytes` as a hard cap: once more octets than that wait unread, the
 *   transport errors (code ERR_TRANSPORT_INBOUND_CAP) and the socket is closed with 1008.
 * - Writes wait for the socket to open, `send()` the chunk whole, then wait while
 *   `bufferedAmount` is above `writeHighWaterMark` (1 MiB by default). The WebSocket API has
 *   no event for its buffer draining, so that wait is a timer poll every `pollIntervalMs`
 *   (10 ms by default) — the only poll in h2wasm, and it runs only while the buffer is over
 *   the mark. A chunk handed to `send()` must not be modified afterwards (npm `ws` may
 *   still hold it).
 * - halfClose: false. `writable.close()` starts the closing handshake (code 1000) and
 *   resolves once the socket closed; the WebSocket API drops messages that arrive after
 *   `close()` was called, so nothing can be read afterwards.
 * - A close with code 1000 or 1005 (no code) ends `readable` (EOF) and resolves `closed`
 *   with `{ code, reason }`; any other code, or an `error` event, errors the streams and
 *   rejects `closed` with code ERR_TRANSPORT_LOST (the error the event carried, if any, as
 *   its `cause`).
 * - `close(reason)`, `readable.cancel()` and `writable.abort()` close at once: `terminate()`
 *   where it exists (npm `ws`), otherwise `close()`.
 * - info: `secure` when `ws.url` starts with `wss:`, `remote` is `ws.url`; no `alpn` (what
 *   runs inside the tunnel is agreed out of band).
 */
import { quietly, settleOnce, toBytes, transportError, TransportErrorCodes } from './support.js';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;
const DEFAULT_WRITE_HIGH_WATER_MARK = 1024 * 1024;
const DEFAULT_POLL_INTERVAL_MS = 10;

/**
 * Wraps a WebSocket (connecting or open) as a ByteTransport.
 *
 * @param {WebSocket} ws
 * @param {object} [options]
 * @param {number} [options.maxBufferedBytes] hard cap on inbound octets waiting unread
 *   (default: no cap)
 * @param {number} [options.writeHighWaterMark] writes wait while `bufferedAmount` is above
 *   this (default 1 MiB)
 * @param {number} [options.pollIntervalMs] how often that wait looks at `bufferedAmount`
 *   (default 10 ms)
 */
export function fromWebSocket(ws, options = {}) {
  const maxBufferedBytes = options.maxBufferedBytes ?? Infinity;
  const writeHighWaterMark = options.writeHighWaterMark ?? DEFAULT_WRITE_HIGH_WATER_MARK;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const closed = settleOnce();
  const opened = settleOnce();
  let readController;
  let writeController;
  let readEnded = false;
  let failure = null;
  let closedHere = false;
  let writeClosing = false; // writable.close() in flight: its own promise reports the outcome

  ws.binaryType = 'arraybuffer';

  const errorBoth = (error) => {
    readEnded = true;
    quietly(() => readController.error(error));
    if (!writeClosing) quietly(() => writeController.error(error));
    opened.reject(error);
  };

  // The error the transport fails with when the socket is gone (or going) without one.
  const gone = () => failure ?? transportError('the WebSocket is closed', TransportErrorCodes.LOST);

  const closeSocket = (code, reason) => {
    if (ws.readyState === CLOSED) return;
    try {
      ws.close(code, reason);
    } catch {
      quietly(() => ws.close()); // a browser refuses codes other than 1000 and 3000-4999
    }
  };

  const fail = (error, code, reason) => {
    failure ??= error;
    errorBoth(error);
    closed.reject(error);
    closeSocket(code, reason);
  };

  const onOpen = () => opened.resolve();
  const onMessage = (event) => {
    if (readEnded) return;
    let bytes;
    try {
      bytes = toBytes(event.data, 'a WebSocket message');
    } catch (error) {
      fail(error, 1003, 'binary messages only');
      return;
    }
    readController.enqueue(bytes);
    // The queue's high-water mark is 0, so -desiredSize is the octets waiting unread.
    if (-readController.desiredSize > maxBufferedBytes) {
      fail(
        transportError(
          `more than maxBufferedBytes (${maxBufferedBytes}) inbound octets waited unread`,
          TransportErrorCodes.INBOUND_CAP,
        ),
        1008,
        'inbound buffer limit',
      );
    }
  };
  // An `error` event is always followed by `close`, which reports it (browsers put no
  // detail in the event; npm ws and Deno do: it becomes the `cause`).
  let errorCause;
  let errored = false;
  const onError = (event) => {
    errored = true;
    errorCause ??= event?.error;
  };
  const onClose = (event) => {
    detach();
    const { code, reason } = event;
    if (closedHere) {
      closed.resolve({ code, reason });
    } else if (failure) {
      fail(failure);
    } else if (!errored && (code === 1000 || code === 1005)) {
      readEnded = true;
      quietly(() => readController.close());
      const error = transportError('the WebSocket is closed', TransportErrorCodes.LOST);
      if (!writeClosing) quietly(() => writeController.error(error));
      opened.reject(error);
      closed.resolve({ code, reason });
    } else {
      const why = reason ? `: ${reason}` : '';
      fail(transportError(`the WebSocket closed abnormally (code ${code}${why})`, TransportErrorCodes.LOST, errorCause));
    }
  };

  const detach = listen(ws, { open: onOpen, message: onMessage, error: onError, close: onClose });

  const readable = new ReadableStream(
    {
      start(controller) {
        readController = controller;
      },
      cancel(reason) {
        closeHere(reason);
      },
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );

  const writable = new WritableStream({
    start(controller) {
      writeController = controller;
    },
    async write(chunk) {
      const bytes = toBytes(chunk, 'a chunk written to the transport');
      if (ws.readyState === CONNECTING) await opened.promise;
      if (ws.readyState !== OPEN) throw gone();
      ws.send(bytes);
      while (ws.bufferedAmount > writeHighWaterMark) {
        await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
        if (ws.readyState !== OPEN) throw gone();
      }
    },
    async close() {
      writeClosing = true;
      closeSocket(1000);
      await closed.promise;
    },
    abort(reason) {
      closeHere(reason);
    },
  });

  function closeHere(reason) {
    if (!closedHere && !closed.settled) {
      closedHere = true;
      errorBoth(reason ?? transportError('the transport was closed', TransportErrorCodes.CLOSED));
      if (ws.readyState === CLOSED) {
        detach();
        closed.resolve({ code: 1005, reason: '' });
      } else if (typeof ws.terminate === 'function') {
        ws.terminate();
      } else {
        closeSocket(1000);
      }
    }
    return closed.promise.then(
      () => {},
      () => {},
    );
  }

  if (ws.readyState === OPEN) opened.resolve();
  if (ws.readyState === CLOSED) {
    detach();
    fail(transportError('the WebSocket was already closed', TransportErrorCodes.LOST));
  }

  return {
    readable,
    writable,
    closed: closed.promise,
    close: closeHere,
    capabilities: { halfClose: false, readBackpressure: false },
    info: {
      secure: typeof ws.url === 'string' && ws.url.startsWith('wss:'),
      remote: typeof ws.url === 'string' ? ws.url : undefined,
    },
  };
}

/**
 * Adds the handlers through `addEventListener`, or through `on` with npm `ws`'s EventEmitter
 * arguments turned into event-like objects; returns the function that removes them.
 */
function listen(ws, handlers) {
  if (typeof ws.addEventListener === 'function') {
    for (const [type, fn] of Object.entries(handlers)) ws.addEventListener(type, fn);
    return () => {
      for (const [type, fn] of Object.entries(handlers)) ws.removeEventListener(type, fn);
    };
  }
  if (typeof ws.on !== 'function') {
    throw new TypeError('fromWebSocket: the socket has neither addEventListener nor on');
  }
  const wrapped = {
    open: () => handlers.open(),
    message: (data, isBinary) => handlers.message({ data: isBinary === false ? String(data) : data }),
    error: (error) => handlers.error({ error }),
    close: (code, reason) => handlers.close({ code, reason: reason === undefined ? '' : String(reason) }),
  };
  for (const [type, fn] of Object.entries(wrapped)) ws.on(type, fn);
  const off = typeof ws.off === 'function' ? ws.off : ws.removeListener;
  return () => {
    for (const [type, fn] of Object.entries(wrapped)) off.call(ws, type, fn);
  };
}
