// Two ByteTransports joined in memory, for tests and for running a client and a server in
// one process. Each direction is a pipe with a bounded buffer (a write waits while the peer
// has not read enough), optional latency on an injectable clock, optional chunking (each
// write reaches the peer in pieces, so frames arrive split), and controls to stall a
// direction, drop the connection, and see every byte written.

import { realClock } from '../session/clock.js';

/** One direction: what one side writes, the other reads. */
class Pipe {
  #latencyMs;
  #capacity;
  #clock;
  #chunking;
  #ready = [];
  #inTransit = 0;
  #buffered = 0;
  #stalled = false;
  #ended = false;
  #readerGone = false;
  #failure = null;
  #controller;
  #pendingPull = null;
  #roomWaiters = [];
  #done;
  /** Copies of every chunk written, in order. */
  sent = [];
  bytesSent = 0;
  bytesDelivered = 0;

  constructor({ latencyMs, capacity, clock, chunking }) {
    this.#latencyMs = latencyMs;
    this.#capacity = capacity;
    this.#clock = clock;
    this.#chunking = chunking;
    let resolveDone;
    let rejectDone;
    this.#done = { promise: new Promise((res, rej) => ((resolveDone = res), (rejectDone = rej))) };
    this.#done.promise.catch(() => {});
    this.#done.resolve = resolveDone;
    this.#done.reject = rejectDone;
    this.readable = new ReadableStream(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => this.#pull(),
        cancel: () => this.#readerCancelled(),
      },
      { highWaterMark: 0 },
    );
    this.writable = new WritableStream(
      {
        write: (chunk) => this.#write(chunk),
        close: () => this.end(),
        abort: (reason) => this.fail(reason ?? new Error('the writer aborted the connection')),
      },
      { highWaterMark: 1 },
    );
  }

  /** Settles when this direction is over: resolves on EOF read or reader gone, rejects on failure. */
  get done() {
    return this.#done.promise;
  }

  /** Octets written and not yet read. */
  get buffered() {
    return this.#buffered;
  }

  #pieces(bytes) {
    const c = this.#chunking;
    if (c === undefined || c === null) return [bytes];
    const sizes = typeof c === 'function' ? c(bytes.length) : null;
    const out = [];
    let at = 0;
    let i = 0;
    while (at < bytes.length) {
      const size = sizes ? (sizes[i++] ?? bytes.length - at) : c;
      const n = Math.max(1, Math.min(size, bytes.length - at));
      out.push(bytes.subarray(at, at + n));
      at += n;
    }
    return out;
  }

  async #write(chunk) {
    if (this.#failure) throw this.#failure;
    if (this.#ended) throw new TypeError('write after the end of this direction');
    const bytes = new Uint8Array(chunk); // a copy: the writer may reuse its buffer
    this.sent.push(bytes);
    this.bytesSent += bytes.length;
    if (this.#readerGone) return; // nobody reads any more: the bytes are lost, as on a socket
    for (const piece of this.#pieces(bytes)) {
      this.#buffered += piece.length;
      if (this.#latencyMs > 0) {
        this.#inTransit++;
        this.#clock.setTimeout(() => {
          this.#inTransit--;
          this.#ready.push(piece);
          this.#wake();
        }, this.#latencyMs);
      } else {
        this.#ready.push(piece);
      }
    }
    this.#wake();
    while (this.#buffered > this.#capacity && !this.#failure && !this.#readerGone) {
      await new Promise((resolve) => this.#roomWaiters.push(resolve));
    }
    if (this.#failure) throw this.#failure;
  }

  #pull() {
    if (this.#tryDeliver()) return undefined;
    return new Promise((resolve) => {
      this.#pendingPull = resolve;
    });
  }

  /** Delivers one piece, or EOF, or the failure, if one is due; returns whether it did. */
  #tryDeliver() {
    if (this.#readerGone) return true;
    if (this.#failure) {
      this.#controller.error(this.#failure);
      return true;
    }
    if (this.#ready.length > 0 && !this.#stalled) {
      const piece = this.#ready.shift();
      this.#buffered -= piece.length;
      this.bytesDelivered += piece.length;
      this.#controller.enqueue(piece);
      this.#wakeWriters();
      return true;
    }
    if (this.#ended && this.#ready.length === 0 && this.#inTransit === 0) {
      this.#readerGone = true;
      this.#controller.close();
      this.#done.resolve();
      return true;
    }
    return false;
  }

  #wake() {
    const resolve = this.#pendingPull;
    if (resolve && this.#tryDeliver()) {
      this.#pendingPull = null;
      resolve();
    }
  }

  #wakeWriters() {
    const waiters = this.#roomWaiters;
    this.#roomWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #readerCancelled() {
    this.#readerGone = true;
    this.#ready = [];
    this.#buffered = 0;
    this.#pendingPull = null;
    this.#wakeWriters();
    this.#done.resolve();
  }

  /** The writer's FIN: the reader gets EOF after what is already on its way. */
  end() {
    this.#ended = true;
    this.#wake();
  }

  /** Stops delivering (bytes written pile up, then writes wait) until `resume()`. */
  stall() {
    this.#stalled = true;
  }

  resume() {
    this.#stalled = false;
    this.#wake();
  }

  /** Fails this direction: pending and later reads and writes reject with `error`. */
  fail(error) {
    if (this.#failure || this.#readerGone) {
      this.#wakeWriters();
      return;
    }
    this.#failure = error;
    this.#ready = [];
    this.#wake();
    this.#wakeWriters();
    this.#done.reject(error);
  }

  /** Our own reader stops: what is still coming is discarded. */
  shutdownReader() {
    if (this.#readerGone) return;
    this.#readerGone = true;
    this.#ready = [];
    this.#buffered = 0;
    const resolve = this.#pendingPull;
    this.#pendingPull = null;
    try {
      this.#controller.close();
    } catch {
      // already closed or errored by its reader: nothing more to end
    }
    resolve?.();
    this.#wakeWriters();
    this.#done.resolve();
  }
}

/**
 * One end of a memory connection: a ByteTransport (`readable`, `writable`, `closed`,
 * `close()`, `capabilities`, `info`) plus test controls.
 */
class MemoryTransport {
  #in;
  #out;
  #connection;

  constructor(inbound, outbound, connection, capabilities) {
    this.#in = inbound;
    this.#out = outbound;
    this.#connection = connection;
    this.readable = inbound.readable;
    this.writable = outbound.writable;
    this.capabilities = capabilities;
    this.info = Object.freeze({ alpn: undefined, secure: false, remote: 'memory' });
    this.closed = Promise.all([inbound.done, outbound.done]).then(() => undefined);
    this.closed.catch(() => {});
  }

  /** Hard close: our direction ends (EOF for the peer), what the peer still sends is discarded. */
  close() {
    this.#out.end();
    this.#in.shutdownReader();
  }

  /** Holds back everything this side writes until `resumeWrites()` (the peer sees nothing). */
  stallWrites() {
    this.#out.stall();
  }

  resumeWrites() {
    this.#out.resume();
  }

  /** Drops the whole connection: every pending and later read or write on both sides fails. */
  drop(error = new Error('memory transport: connection reset')) {
    this.#connection.drop(error);
  }

  /** Copies of every chunk this side wrote, in order. */
  get sent() {
    return this.#out.sent;
  }

  /** Everything this side wrote, as one array. */
  sentBytes() {
    const out = new Uint8Array(this.#out.bytesSent);
    let at = 0;
    for (const chunk of this.#out.sent) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /** Octets this side wrote that the peer has read. */
  get bytesDelivered() {
    return this.#out.bytesDelivered;
  }

  /** Octets this side wrote that the peer has not read yet. */
  get bytesInFlight() {
    return this.#out.buffered;
  }
}

/**
 * Two connected ByteTransports, `[a, b]`: what `a` writes, `b` reads, and back.
 *
 * Options: `chunking` (a piece size, or `(length) => sizes`: each write reaches the peer in
 * pieces), `latencyMs` (delivery delay, on `clock`), `writeHighWaterMark` (octets a direction
 * buffers before writes wait for the reader; default 64 KiB), `clock` (default the real
 * one), `halfClose` and `readBackpressure` (the capabilities declared; default `true`).
 */
export function memoryTransportPair({
  chunking,
  latencyMs = 0,
  writeHighWaterMark = 64 * 1024,
  clock = realClock,
  halfClose = true,
  readBackpressure = true,
} = {}) {
  const options = { latencyMs, capacity: writeHighWaterMark, clock, chunking };
  const ab = new Pipe(options);
  const ba = new Pipe(options);
  const connection = {
    drop(error) {
      ab.fail(error);
      ba.fail(error);
    },
  };
  const capabilities = Object.freeze({ halfClose, readBackpressure });
  return [new MemoryTransport(ba, ab, connection, capabilities), new MemoryTransport(ab, ba, connection, capabilities)];
}
