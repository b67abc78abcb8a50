/**
 * `fromNodeSocket(socket, options)`: a ByteTransport over a Node `net.Socket` or
 * `tls.TLSSocket` (also Deno's and Bun's `node:net`/`node:tls`, which implement the same
 * events). The adapter is our own, on the socket's events; it does not use the experimental
 * `Duplex.toWeb`.
 *
 * Capabilities and caveats:
 * - readBackpressure: true. `readable` is pulled: `data` chunks are queued up to
 *   `readHighWaterMark` octets (64 KiB by default), then the socket is `pause()`d until the
 *   consumer reads again, so a slow consumer stops the kernel from reading and the peer's
 *   writes stop draining (TCP flow control does the rest).
 * - Writes: each chunk goes to `socket.write()` whole, and the write resolves when Node's
 *   write callback reports it handed to the kernel (stricter than waiting for `drain`: at
 *   most one chunk sits in Node's buffer, and the caller may reuse the chunk's memory once
 *   the write resolved). A write error errors the transport.
 * - halfClose: `writable.close()` calls `socket.end()` (for TLS, close_notify then FIN) and
 *   resolves on `finish`; reading goes on until the peer's EOF. `halfClose` is declared true
 *   only if `socket.allowHalfOpen` is true: otherwise Node ends our side by itself as soon as
 *   the peer's FIN arrives, so anything still to be written would fail.
 *   `connectNode` creates its sockets with `allowHalfOpen: true`.
 * - Read EOF (`end`) closes `readable`. An `error` event errors both streams and rejects
 *   `closed`; a `close` before EOF errors `readable` with code ERR_TRANSPORT_LOST. `closed`
 *   resolves on `close` otherwise.
 * - `close(reason)`, `readable.cancel()` and `writable.abort()` destroy the socket (both
 *   directions; TCP cannot drop one). The streams error with `reason` (or an
 *   ERR_TRANSPORT_CLOSED error) and `closed` resolves.
 * - info (read when asked, so a socket still connecting fills it in later): `alpn` from
 *   `socket.alpnProtocol`, `secure` from `socket.encrypted`, `remote` as "address:port".
 */
import { quietly, settleOnce, toBytes, transportError, TransportErrorCodes } from './support.js';

const DEFAULT_READ_HIGH_WATER_MARK = 64 * 1024;

/**
 * Wraps a connected (or connecting) Node socket as a ByteTransport.
 *
 * @param {import('node:net').Socket} socket a `net.Socket` or `tls.TLSSocket`
 * @param {{ readHighWaterMark?: number }} [options] octets queued in `readable` before the
 *   socket is paused (default 64 KiB)
 */
export function fromNodeSocket(socket, options = {}) {
  const readHighWaterMark = options.readHighWaterMark ?? DEFAULT_READ_HIGH_WATER_MARK;
  const closed = settleOnce();
  let readController;
  let writeController;
  let readEnded = false;
  let failure = null;
  let closedHere = false;
  let writeClosing = false; // writable.close() in flight: its own promise reports the outcome

  const errorBoth = (error) => {
    readEnded = true;
    quietly(() => readController.error(error));
    if (!writeClosing) quietly(() => writeController.error(error));
  };

  const onData = (chunk) => {
    if (readEnded) return;
    readController.enqueue(toBytes(chunk, 'socket data'));
    if (readController.desiredSize <= 0) socket.pause();
  };
  const onEnd = () => {
    if (readEnded) return;
    readEnded = true;
    quietly(() => readController.close());
  };
  const onError = (error) => {
    failure ??= error;
    errorBoth(error);
  };
  const onClose = () => {
    socket.off('data', onData);
    if (!closedHere && !failure) {
      const where = readEnded ? '' : ' before its end of stream';
      errorBoth(transportError(`the connection closed${where}`, TransportErrorCodes.LOST));
    }
    if (failure && !closedHere) closed.reject(failure);
    else closed.resolve();
  };

  const readable = new ReadableStream(
    {
      start(controller) {
        readController = controller;
      },
      pull() {
        if (socket.isPaused()) socket.resume();
      },
      cancel(reason) {
        closeHere(reason);
      },
    },
    { highWaterMark: readHighWaterMark, size: (chunk) => chunk.byteLength },
  );

  const writable = new WritableStream({
    start(controller) {
      writeController = controller;
    },
    write(chunk) {
      const bytes = toBytes(chunk, 'a chunk written to the transport');
      return new Promise((resolve, reject) => {
        socket.write(bytes, (error) => (error ? reject(error) : resolve()));
      });
    },
    close() {
      writeClosing = true;
      return new Promise((resolve, reject) => {
        if (socket.writableFinished) {
          resolve();
          return;
        }
        const done = (error) => {
          socket.off('finish', onFinish).off('error', done).off('close', onGone);
          if (socket.writableFinished) resolve();
          else reject(error ?? failure ?? transportError('the socket closed before its end was sent', TransportErrorCodes.LOST));
        };
        const onFinish = () => done();
        const onGone = () => done();
        socket.on('finish', onFinish).on('error', done).on('close', onGone);
        socket.end();
      });
    },
    abort(reason) {
      closeHere(reason);
    },
  });

  function closeHere(reason) {
    if (!closedHere && !closed.settled) {
      closedHere = true;
      errorBoth(reason ?? transportError('the transport was closed', TransportErrorCodes.CLOSED));
    }
    if (!socket.destroyed) socket.destroy();
    if (socket.closed) closed.resolve(); // already gone: no `close` event will come
    return closed.promise.then(
      () => {},
      () => {},
    );
  }

  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onClose);
  if (socket.destroyed) {
    // Handed over already destroyed (its `close` may have been emitted before we listened).
    failure ??= socket.errored ?? null;
    if (socket.closed) onClose();
  }

  let remote;
  return {
    readable,
    writable,
    closed: closed.promise,
    close: closeHere,
    capabilities: { halfClose: socket.allowHalfOpen === true, readBackpressure: true },
    info: {
      get alpn() {
        return typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : undefined;
      },
      get secure() {
        return socket.encrypted === true;
      },
      get remote() {
        if (remote === undefined && socket.remoteAddress !== undefined) {
          const host = socket.remoteAddress.includes(':') ? `[${socket.remoteAddress}]` : socket.remoteAddress;
          remote = `${host}:${socket.remotePort}`;
        }
        return remote;
      },
    },
  };
}
