// Runs an h2wasm H2Connection over a byte-stream socket, and sends bodies within the peer's
// flow-control windows. Deliberately small (one socket, one handler, no backpressure, no
// timers): the examples and the interop tests share it. No import, so any socket with
// Node's stream events works.

/**
 * Bodies waiting for flow-control window: one per stream, sent in order as the windows
 * allow, then ended (with trailers when given).
 */
export class Outbox {
  #conn;
  #queue = new Map();

  constructor(conn) {
    this.#conn = conn;
  }

  /**
   * Queues `data` (a Uint8Array) on a stream. With `endStream` the stream is ended after the
   * last octet; with `trailers` it is ended by those trailers instead.
   */
  send(streamId, data, { endStream = false, trailers } = {}) {
    if (this.#queue.has(streamId)) throw new Error(`stream ${streamId} already has a body queued`);
    this.#queue.set(streamId, { data, offset: 0, endStream: endStream || trailers !== undefined, trailers });
    this.flush();
  }

  /** Octets still queued on all streams. */
  get pending() {
    let n = 0;
    for (const item of this.#queue.values()) n += item.data.length - item.offset;
    return n;
  }

  /** Forgets a stream's queued body. */
  drop(streamId) {
    this.#queue.delete(streamId);
  }

  /**
   * Hands the engine as much as the windows allow; returns the octets handed over. Bodies
   * of streams that can no longer send (reset, say) are dropped.
   */
  flush() {
    let sent = 0;
    const conn = this.#conn;
    for (const [streamId, item] of this.#queue) {
      const state = conn.streamState(streamId);
      if (state !== 'Open' && state !== 'HalfClosedRemote') {
        this.#queue.delete(streamId);
        continue;
      }
      let room = conn.localFlowControlWindow(streamId);
      while (item.offset < item.data.length && room > 0) {
        const n = Math.min(room, item.data.length - item.offset);
        const last = item.offset + n === item.data.length;
        conn.sendData(streamId, item.data.subarray(item.offset, item.offset + n), {
          endStream: last && item.endStream && item.trailers === undefined,
        });
        item.offset += n;
        room -= n;
        sent += n;
      }
      if (item.offset < item.data.length) continue;
      if (item.trailers !== undefined) {
        conn.sendHeaders(streamId, item.trailers, { endStream: true });
      } else if (item.endStream && item.data.length === 0) {
        conn.endStream(streamId);
      }
      this.#queue.delete(streamId);
    }
    return sent;
  }
}

/**
 * Drives `conn` over `socket` (a node:net Socket or anything with its `data`, `close` and
 * `error` events, `write` and `end`). Bytes read go to `conn.receiveData`; the events go to
 * `onEvents(events)`, which may issue commands; then the outbox is flushed and the output
 * written, after which `onWrite(bytes)` is told. When `receiveData` throws, the events that
 * came before the error are still handed to `onEvents`, the GOAWAY is written and the
 * socket ended.
 *
 * Returns `{ outbox, flush, end, closed }`: call `flush()` after issuing commands outside
 * `onEvents`; `end()` writes what is queued (say, a GOAWAY), ends the socket and ignores
 * whatever still arrives (the engine, like python h2, refuses every frame but GOAWAY once
 * it sent GOAWAY); `closed` resolves when the socket closes, or rejects with the first
 * error.
 */
export function pump(socket, conn, { onEvents = () => {}, onWrite = () => {} } = {}) {
  const outbox = new Outbox(conn);
  let failure = null;
  let ending = false;

  const flush = () => {
    if (conn.state !== 'Closed') outbox.flush(); // after GOAWAY only GOAWAY may go out
    const bytes = conn.dataToSend();
    if (bytes.length > 0 && !socket.destroyed) {
      socket.write(bytes);
      onWrite(bytes);
    }
  };

  const fail = (error) => {
    failure ??= error;
    const goaway = conn.dataToSend();
    if (!socket.destroyed) socket.end(goaway);
  };

  const end = () => {
    if (ending) return;
    ending = true;
    flush();
    socket.end();
  };

  socket.on('data', (chunk) => {
    if (failure || ending) return;
    let events;
    try {
      events = conn.receiveData(chunk);
    } catch (error) {
      try {
        onEvents(error.events ?? []);
      } finally {
        fail(error);
      }
      return;
    }
    try {
      onEvents(events);
      flush();
    } catch (error) {
      fail(error);
    }
  });

  const closed = new Promise((resolve, reject) => {
    socket.on('error', (error) => {
      failure ??= error;
    });
    socket.on('close', () => (failure ? reject(failure) : resolve()));
  });

  return { outbox, flush, end, closed };
}
