// The session's two ends of the transport: one reader that hands every chunk to the session
// at once, and one single-flight writer that drains the engine's output in whole buffers.
// Nothing here ever cancels a write part-way: a write error or a dead transport ends the
// whole connection, reported once through `onEnd`.

/** A `Uint8Array` view of what a transport's readable produced. */
function toBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`the transport's readable produced a ${typeof chunk}, not bytes`);
}

/**
 * The reader and writer of one transport.
 *
 * `source` is `{ pending(): number, take(): Uint8Array }` (the engine's output);
 * `handlers` is `{ onBytes(bytes), onEnd(kind, cause), onDrain() }`, where `kind` is
 * `'eof'`, `'read'`, `'write'` or `'closed'` (the transport's `closed` settled). `onBytes`
 * must not throw.
 */
export class Link {
  #transport;
  #source;
  #handlers;
  #reader;
  #writer;
  #scheduled = false;
  #flushing = false;
  #inFlight = 0;
  #ended = false;
  #writeClosed = false;
  #eofWaiters = new Set();
  #graceTimer = null;
  #drainWaiters = new Set();
  /** Octets read and written, and taken from the engine in total. */
  bytesIn = 0;
  bytesOut = 0;
  taken = 0;
  /** Whether the read side reached EOF. */
  eof = false;

  constructor(transport, source, handlers) {
    this.#transport = transport;
    this.#source = source;
    this.#handlers = handlers;
    // Both locks are taken at once, so a transport in use elsewhere fails the constructor.
    this.#reader = transport.readable.getReader();
    try {
      this.#writer = transport.writable.getWriter();
    } catch (error) {
      this.#reader.releaseLock();
      throw error;
    }
  }

  /**
   * Starts reading; watches the transport's `closed`. `head` is bytes already read from the
   * transport by someone else (after an HTTP/1.1 upgrade), handled before the first read.
   * A rejected `closed` ends the link at once; a resolved one only if the readable has not
   * reached its EOF within `graceMs` (what was still queued in it is read first).
   */
  start(head, timers, graceMs) {
    this.#readLoop(head);
    const closed = this.#transport.closed;
    if (closed && typeof closed.then === 'function') {
      closed.then(
        () => {
          if (this.#ended || this.eof) return;
          this.#graceTimer = timers.start(graceMs, () => this.#end('closed', undefined));
          if (!this.#graceTimer.active) this.#end('closed', undefined);
        },
        (error) => this.#end('closed', error),
      );
    }
  }

  /** Whether the link has ended (EOF with nothing left to write, an error, or shutdown). */
  get ended() {
    return this.#ended;
  }

  /** Engine output plus octets handed to the transport whose write has not completed. */
  get bufferedAmount() {
    return this.#source.pending() + this.#inFlight;
  }

  /** Queues a flush for the end of this microtask turn; output produced meanwhile merges. */
  schedule() {
    if (this.#scheduled || this.#ended || this.#writeClosed) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  async #flush() {
    if (this.#flushing) return; // the running flush picks the new output up
    this.#flushing = true;
    const writer = this.#writer;
    try {
      while (!this.#ended && !this.#writeClosed && this.#source.pending() > 0) {
        if (!(writer.desiredSize > 0)) {
          await writer.ready;
          continue;
        }
        const bytes = this.#source.take();
        if (bytes.length === 0) break;
        this.taken += bytes.length;
        this.#inFlight += bytes.length;
        writer.write(bytes).then(
          () => {
            this.#inFlight -= bytes.length;
            this.bytesOut += bytes.length;
            this.#drained();
          },
          (error) => this.#end('write', error),
        );
      }
    } catch (error) {
      this.#end('write', error);
    } finally {
      this.#flushing = false;
    }
    this.#drained();
  }

  #drained() {
    if (this.#ended) return;
    this.#handlers.onDrain();
    if (this.bufferedAmount === 0) {
      for (const resolve of [...this.#drainWaiters]) resolve(true);
    }
  }

  /**
   * Resolves `true` once every octet of output was written, `false` if `ms` passes first
   * (0: no limit) or the link ends. Never rejects.
   */
  whenFlushed(timers, ms) {
    if (this.#ended) return Promise.resolve(false);
    // After our FIN nothing more can go out: what is still pending stays unsent.
    if (this.#writeClosed) return Promise.resolve(this.#source.pending() === 0);
    this.schedule();
    if (this.bufferedAmount === 0 && !this.#scheduled) return Promise.resolve(true);
    return new Promise((resolve) => {
      let timer;
      const done = (ok) => {
        this.#drainWaiters.delete(done);
        timer?.cancel();
        resolve(ok);
      };
      this.#drainWaiters.add(done);
      timer = ms > 0 ? timers.start(ms, () => done(false)) : undefined;
    });
  }

  /** Resolves `true` at the peer's EOF, `false` after `ms` or if the link ends otherwise. */
  whenEof(timers, ms) {
    if (this.eof) return Promise.resolve(true);
    if (this.#ended) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer;
      const done = (ok) => {
        this.#eofWaiters.delete(done);
        timer?.cancel();
        resolve(ok);
      };
      this.#eofWaiters.add(done);
      timer = timers.start(ms, () => done(false));
      if (!timer.active) done(false);
    });
  }

  /**
   * Half-closes: closes the writable (FIN on transports that can half-close) once every
   * queued write is done. Resolves `true` if that succeeded within `ms`.
   */
  closeWrite(timers, ms) {
    if (this.#writeClosed || this.#ended) return Promise.resolve(false);
    this.#writeClosed = true;
    return new Promise((resolve) => {
      const timer = timers.start(ms, () => resolve(false));
      this.#writer.close().then(
        () => {
          timer.cancel();
          resolve(true);
        },
        (error) => {
          timer.cancel();
          this.#end('write', error);
          resolve(false);
        },
      );
    });
  }

  async #readLoop(head) {
    const reader = this.#reader;
    await undefined; // the creator of the session may attach its handlers first
    if (head !== undefined && head.length > 0 && !this.#ended) {
      this.bytesIn += head.length;
      this.#handlers.onBytes(head);
    }
    for (;;) {
      let result;
      try {
        result = await reader.read();
      } catch (error) {
        this.#end('read', error);
        return;
      }
      if (this.#ended) return;
      if (result.done) {
        this.eof = true;
        for (const resolve of [...this.#eofWaiters]) resolve(true);
        this.#handlers.onEnd('eof', undefined);
        return;
      }
      let bytes;
      try {
        bytes = toBytes(result.value);
      } catch (error) {
        this.#end('read', error);
        return;
      }
      if (bytes.length === 0) continue;
      this.bytesIn += bytes.length;
      this.#handlers.onBytes(bytes);
    }
  }

  #end(kind, cause) {
    if (this.#ended) return;
    // A settled `closed` after our own shutdown, or after EOF we already reported, is news
    // to nobody.
    if (kind === 'closed' && this.eof) return;
    this.#handlers.onEnd(kind, cause);
  }

  /**
   * Ends both directions: cancels the reader, aborts the writer (unless it was closed
   * cleanly) and closes the transport. Idempotent. The promises of these calls are the
   * transport's business now: the session already has its outcome, so their rejections are
   * dropped here on purpose.
   */
  shutdown(reason) {
    if (this.#ended) return;
    this.#ended = true;
    this.#graceTimer?.cancel();
    for (const resolve of [...this.#eofWaiters]) resolve(false);
    for (const resolve of [...this.#drainWaiters]) resolve(false);
    const ignore = () => {};
    if (!this.eof) this.#reader.cancel(reason).catch(ignore);
    if (!this.#writeClosed) this.#writer.abort(reason).catch(ignore);
    try {
      const closing = this.#transport.close?.(reason);
      if (closing && typeof closing.then === 'function') closing.then(ignore, ignore);
    } catch {
      // see above: the session's outcome is already decided
    }
  }
}

/**
 * How much of the engine's pending output the peer's own frames caused (PING and SETTINGS
 * ACKs, RST_STREAMs, WINDOW_UPDATEs for padding) and the transport has not taken yet: the
 * measure of a control-frame flood from a peer that sends but does not read. The output is
 * one FIFO, so each record is the position its bytes end at in the total output.
 */
export class ControlBacklog {
  #records = [];
  #link;

  constructor(link) {
    this.#link = link;
  }

  /** Records `size` octets that now end the output (`endPosition` = taken + pending). */
  add(size, endPosition) {
    if (size > 0) this.#records.push({ end: endPosition, size });
  }

  /** Octets of recorded output still waiting. */
  get bytes() {
    const taken = this.#link.taken;
    while (this.#records.length > 0 && this.#records[0].end <= taken) this.#records.shift();
    let total = 0;
    for (const r of this.#records) total += Math.min(r.size, r.end - taken);
    return total;
  }
}
