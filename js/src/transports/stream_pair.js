// The core of the adapters over a Web Streams pair (WebSocketStream, WebTransport stream,
// Deno.Conn, Cloudflare socket): the transport takes the locks on the underlying streams and
// hands out streams of its own, so that it can still close everything while the driver holds
// the readers and writers, and so that every chunk is checked to be bytes.
import { quietly, settleOnce, toBytes, transportError, TransportErrorCodes } from './support.js';

/**
 * Builds `{ readable, writable, closed, close }` over an underlying `{ readable, writable }`.
 *
 * - `readable` is pulled with a high-water mark of 0: one underlying read per read, so the
 *   underlying stream's backpressure (if it has any) passes through untouched. Chunks must
 *   be bytes (ArrayBuffer or a view; anything else errors the transport with code
 *   ERR_TRANSPORT_NOT_BYTES). A read error errors both streams and rejects `closed`.
 * - `writable` writes each chunk through the underlying writer (awaiting its `ready`, then
 *   the write itself), so a write resolves when the underlying stream accepted it. A write
 *   error errors both streams and rejects `closed`.
 * - `writable.close()` runs `hooks.closeWrite(writer)` (default `writer.close()`).
 * - `close(reason)`, `readable.cancel()` and `writable.abort()` error both streams with
 *   `reason` (or an ERR_TRANSPORT_CLOSED error) and run `hooks.closeAll(reason, locks)`
 *   (default: abort the writer and cancel the reader); `closed` then resolves.
 * - Once the read side has ended and the write side was closed, `hooks.finish()` runs (it may
 *   release the connection).
 * - `closed` follows `hooks.closed` when given (a native promise that settles when the
 *   connection is gone); otherwise it resolves after `hooks.finish()`, and rejects on the
 *   first error.
 *
 * @param {{ readable: ReadableStream, writable: WritableStream }} source
 * @param {object} hooks
 * @param {string} hooks.what the name used in messages, e.g. 'WebSocketStream'
 * @param {(writer: WritableStreamDefaultWriter) => unknown} [hooks.closeWrite]
 * @param {(reason: unknown, locks: { reader: ReadableStreamDefaultReader, writer: WritableStreamDefaultWriter }) => unknown} [hooks.closeAll]
 * @param {() => unknown} [hooks.finish]
 * @param {Promise<unknown>} [hooks.closed]
 */
export function wrapStreamPair(source, hooks) {
  return wrapLocks({ reader: source.readable.getReader(), writer: source.writable.getWriter() }, hooks);
}

/**
 * The same over a reader and a writer: anything with the `read()`, `cancel()` and `closed`
 * of a ReadableStreamDefaultReader and the `ready`, `write()`, `close()`, `abort()` and
 * `closed` of a WritableStreamDefaultWriter (fromDenoConn reads through `conn.read()`).
 */
export function wrapLocks(locks, hooks) {
  const { what } = hooks;
  const closeWrite = hooks.closeWrite ?? ((writer) => writer.close());
  const closeAll =
    hooks.closeAll ??
    ((reason, { reader, writer }) => Promise.allSettled([writer.abort(reason), reader.cancel(reason)]));
  const closed = settleOnce();
  let readController;
  let writeController;
  let readEnded = false;
  let writeEnded = false;
  let writeClosing = false;
  let closedHere = false;
  let failed = false;

  const { reader, writer } = locks;
  // Whoever fails first reports through our own streams; these would go unobserved.
  reader.closed.catch(() => {});
  writer.closed.catch(() => {});

  const fail = (error) => {
    if (closedHere) return;
    readEnded = true;
    quietly(() => readController.error(error));
    if (!writeClosing) quietly(() => writeController.error(error));
    closed.reject(error);
    if (!failed) {
      failed = true;
      settle(() => closeAll(error, locks));
    }
  };

  // Both directions ended: release the connection (`hooks.finish`); without a native
  // `closed`, that is when ours resolves.
  const maybeDone = () => {
    if (!readEnded || !writeEnded || closedHere || failed) return;
    const finished = settle(() => hooks.finish?.());
    if (hooks.closed === undefined) finished.then(() => closed.resolve());
  };
  if (hooks.closed !== undefined) {
    Promise.resolve(hooks.closed).then((value) => closed.resolve(value), fail);
  }

  const readable = new ReadableStream(
    {
      start(controller) {
        readController = controller;
      },
      async pull(controller) {
        let bytes;
        try {
          const { value, done } = await reader.read();
          if (closedHere || readEnded) return;
          if (done) {
            readEnded = true;
            controller.close();
            maybeDone();
            return;
          }
          bytes = toBytes(value, `a chunk read from the ${what}`);
        } catch (error) {
          fail(error);
          return;
        }
        controller.enqueue(bytes);
      },
      cancel(reason) {
        return closeHere(reason);
      },
    },
    { highWaterMark: 0 },
  );

  const writable = new WritableStream({
    start(controller) {
      writeController = controller;
    },
    async write(chunk) {
      const bytes = toBytes(chunk, 'a chunk written to the transport');
      try {
        await writer.ready;
        await writer.write(bytes);
      } catch (error) {
        fail(error);
        throw error;
      }
    },
    async close() {
      writeClosing = true;
      try {
        await closeWrite(writer);
      } catch (error) {
        fail(error);
        throw error;
      }
      writeEnded = true;
      maybeDone();
    },
    abort(reason) {
      return closeHere(reason);
    },
  });

  function closeHere(reason) {
    if (!closedHere) {
      closedHere = true;
      readEnded = true;
      const error = reason ?? transportError('the transport was closed', TransportErrorCodes.CLOSED);
      quietly(() => readController.error(error));
      quietly(() => writeController.error(error));
      settle(() => closeAll(reason, locks))
        .then(() => settle(() => hooks.closed))
        .then(() => closed.resolve());
    }
    return closed.promise.then(
      () => {},
      () => {},
    );
  }

  return { readable, writable, closed: closed.promise, close: closeHere };
}

/** Runs `fn` and waits for what it returns; never rejects. */
function settle(fn) {
  return new Promise((resolve) => resolve(fn())).then(
    () => {},
    () => {},
  );
}
