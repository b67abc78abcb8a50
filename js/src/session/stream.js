// One HTTP/2 stream of an H2Session: its inbound body as a ReadableStream that acknowledges
// data only as the consumer pulls it, its outbound body as a WritableStream that resolves
// only once the bytes are in the engine and the transport has room, its trailers, and its
// end (closed, reset by either side, or failed with the session).
//
// The session drives a stream through a controller (`controllerOf`), never through public
// methods; the stream reaches the session through `core` (see session.js).

import { ErrorCodes, errorCodeName } from '../constants.js';
import {
  H2Error,
  H2FlowControlTimeoutError,
  H2RefusedStreamError,
  H2StreamResetError,
  H2UsageError,
} from '../errors.js';
import { dataOf } from '../octets.js';
import { headerList, responseOf } from './headers.js';
import { checkPriority, DEFAULT_PRIORITY } from './priority.js';

/** Passed by the session to stream constructors; any other caller gets a TypeError. */
export const INTERNAL = Symbol('h2wasm.session.internal');

// The protocol between H2Stream and its subclasses: methods under module-private symbols.
const CAN_WRITE = Symbol('canWriteBody');
const WRITE_ERROR = Symbol('bodyWriteError');
const ON_FAIL = Symbol('onFail');
const SEND_HEADERS = Symbol('sendHeaderBlock');

const noop = () => {};

/**
 * A settle-once promise made only when someone asks for it: most streams end without anybody
 * reading `closed` or `trailers`, and a promise (with its handled-rejection marker) per
 * stream and purpose is measurable under load. Asked for after settling, it is made settled.
 * Rejections are marked handled (the owner reads them).
 */
class LazyPromise {
  #promise = null;
  #resolve = null;
  #reject = null;
  #outcome = null;
  settled = false;

  get promise() {
    if (this.#promise === null) {
      const outcome = this.#outcome;
      if (outcome === null) {
        this.#promise = new Promise((resolve, reject) => {
          this.#resolve = resolve;
          this.#reject = reject;
        });
      } else {
        this.#promise = outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.value);
        this.#outcome = null;
      }
      this.#promise.catch(noop);
    }
    return this.#promise;
  }

  resolve(value) {
    if (this.settled) return;
    this.settled = true;
    if (this.#resolve !== null) this.#resolve(value);
    else this.#outcome = { ok: true, value };
  }

  reject(error) {
    if (this.settled) return;
    this.settled = true;
    if (this.#reject !== null) this.#reject(error);
    else this.#outcome = { ok: false, value: error };
  }
}

const deferred = () => new LazyPromise();

/** How messages name a stream: by its id, or as a queued request before it has one. */
export const streamLabel = (id) => (id === null ? 'a queued request' : `stream ${id}`);

/**
 * The error for an RST_STREAM: REFUSED_STREAM is retryable, any other code is a reset. For a
 * queued request (`streamId` null) nothing goes on the wire; the error says how it ended.
 */
export function resetError(streamId, code, initiator, cause) {
  const name = errorCodeName(code) ?? `0x${code.toString(16)}`;
  const who = initiator === 'remote' ? 'the peer' : initiator === 'local' ? 'us' : 'h2wasm';
  const Class = code === ErrorCodes.REFUSED_STREAM ? H2RefusedStreamError : H2StreamResetError;
  const what = streamId === null ? `a queued request was cancelled by ${who}` : `stream ${streamId} reset by ${who}`;
  return new Class(`${what} (${name})`, { code, streamId: streamId ?? undefined, initiator, cause });
}

/** Bytes of a body chunk: a Uint8Array, another view, an ArrayBuffer or a string (UTF-8). */
function chunkBytes(chunk) {
  if (typeof chunk === 'string') return dataOf(chunk);
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`a body chunk must be bytes or a string, got ${chunk === null ? 'null' : typeof chunk}`);
}

let controllerOf;
let deliverResponse;

/**
 * The part common to server and client streams: identity, the inbound and outbound bodies,
 * trailers, reset, and the windows. Created by an H2Session only.
 */
export class H2Stream {
  #core;
  #id;
  /** Made when `signal` is first asked for (aborted at once if the stream failed before). */
  #abort = null;
  /**
   * What the flow gate sees: the id, the error once the stream can no longer send, and the
   * RFC 9218 priority its sends are scheduled by.
   */
  #wire;
  #priority;
  #error = null;
  // inbound
  #queue = [];
  #queuedBytes = 0;
  #remoteEnded = false;
  // The body streams are made when first asked for: a Web Stream costs tens of microseconds
  // to construct, and most requests never read a body or write through `writable`.
  #readController = null;
  #pendingPull = null;
  #readableDone = false;
  #readable = null;
  #trailers = deferred();
  // outbound
  #writable = null;
  #writeController = null;
  #chain = Promise.resolve();
  /** A queued client request: settled when it gets its id (or fails); body writes wait for it. */
  #started = null;
  #endRequested = false;
  #localEnded = false;
  // end
  #closed = deferred();
  #done = false;

  constructor(token, core, id, { localEnded = false, remoteEnded = false, queued = false, priority = DEFAULT_PRIORITY } = {}) {
    if (token !== INTERNAL) throw new TypeError('streams are created by an H2Session');
    this.#core = core;
    this.#id = id;
    this.#priority = priority;
    this.#wire = { id, error: null, urgency: priority.urgency, incremental: priority.incremental };
    if (queued) {
      this.#started = deferred();
      this.#chain = this.#started.promise;
    }
    if (localEnded) this.#localEnded = this.#endRequested = true;
    if (remoteEnded) this.#onRemoteEnd();
  }

  /**
   * The stream id; `null` while a client request waits in the session's queue for a stream
   * slot (the peer's MAX_CONCURRENT_STREAMS), and for good if it failed there.
   */
  get id() {
    return this.#id;
  }

  /**
   * The stream's RFC 9218 priority, `{ urgency, incremental }`: on a server, what the client
   * signalled (the request's `priority` field, then PRIORITY_UPDATE frames); on a client,
   * what we signalled. Our outbound DATA is scheduled by it.
   */
  get priority() {
    return this.#priority;
  }

  /** The session this stream belongs to. */
  get session() {
    return this.#core.session;
  }

  /** Aborted, with the error as reason, when the stream is reset or its session ends. */
  get signal() {
    if (this.#abort === null) {
      this.#abort = new AbortController();
      if (this.#error !== null) this.#abort.abort(this.#error);
    }
    return this.#abort.signal;
  }

  /**
   * The inbound body. Data is acknowledged to the peer (reopening its window) only as it is
   * read. Cancelling it resets the stream (CANCEL, or NO_ERROR once a server has sent its
   * whole response).
   */
  get readable() {
    this.#readable ??= new ReadableStream(
      {
        start: (controller) => {
          this.#readController = controller;
          // Failed before anyone asked: the body is errored, as it would have been.
          if (this.#readableDone) controller.error(this.#error);
        },
        pull: (controller) => this.#pull(controller),
        cancel: (reason) => this.#cancelReading(reason),
      },
      { highWaterMark: 0 },
    );
    return this.#readable;
  }

  /** Resolves with the trailer fields (`[name, value]` list), or `null` if there were none. */
  get trailers() {
    return this.#trailers.promise;
  }

  /**
   * The outbound body. A write resolves once the bytes are in the engine and the transport
   * backlog is below the session's `outboundHighWaterMark`; `close()` ends the stream.
   */
  get writable() {
    this.#writable ??= new WritableStream(
      {
        start: (controller) => {
          this.#writeController = controller;
          if (this.#error !== null) controller.error(this.#error);
        },
        write: (chunk) => this.#write(chunk, {}),
        close: () => this.#end(undefined),
        abort: (reason) => {
          if (!this.#done) this.#resetWith(ErrorCodes.CANCEL, resetError(this.#id, ErrorCodes.CANCEL, 'local', reason));
        },
      },
      {
        highWaterMark: this.#core.writableHighWaterMark,
        size: (chunk) => (typeof chunk === 'string' ? chunk.length : (chunk?.byteLength ?? 0)),
      },
    );
    return this.#writable;
  }

  /** Resolves when the stream has ended both ways; rejects with the error that ended it. */
  get closed() {
    return this.#closed.promise;
  }

  /** Octets we may send now (the smaller of the stream and connection send windows). */
  get localWindow() {
    return this.#done ? 0 : this.#core.window(this.#id);
  }

  /** Octets the peer may send now on this stream. */
  get remoteWindow() {
    return this.#done ? 0 : this.#core.remoteWindow(this.#id);
  }

  /**
   * Writes a body chunk (bytes or a string as UTF-8). `timeoutMs` overrides the session's
   * `flowControlTimeoutMs` (time without progress); `signal` aborts the write and resets the
   * stream. Writes made this way and through `writable` go out in call order.
   */
  write(chunk, { timeoutMs, signal } = {}) {
    return this.#write(chunk, { timeoutMs, signal });
  }

  /** Ends the outbound side, with trailers if given (after the writes already made). */
  end(trailers) {
    return this.#end(trailers);
  }

  /** Resets the stream with `code` (CANCEL by default). Does nothing once it has ended. */
  reset(code = ErrorCodes.CANCEL) {
    if (this.#done) return;
    this.#resetWith(code, resetError(this.#id, code, 'local'));
  }

  /** Whether the outbound body may be written now (overridden by subclasses). */
  [CAN_WRITE]() {
    return true;
  }

  /** The H2UsageError for a body write the role does not allow yet (overridden). */
  [WRITE_ERROR]() {
    return new H2UsageError(`${streamLabel(this.#id)}: the body cannot be written now`, { streamId: this.#id, initiator: 'local' });
  }

  // ---- outbound -------------------------------------------------------------------------

  #write(chunk, { timeoutMs, signal }) {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#endRequested) {
      return Promise.reject(new H2UsageError(`${streamLabel(this.#id)}: write after end()`, { streamId: this.#id, initiator: 'local' }));
    }
    if (!this[CAN_WRITE]()) return Promise.reject(this[WRITE_ERROR]());
    let bytes;
    try {
      bytes = chunkBytes(chunk);
    } catch (error) {
      return Promise.reject(error);
    }
    const run = () => this.#sendBody(bytes, timeoutMs, signal);
    const result = this.#chain.then(run, run);
    this.#chain = result.catch(noop);
    return result;
  }

  async #sendBody(bytes, timeoutMs, signal) {
    if (this.#error) throw this.#error;
    const core = this.#core;
    try {
      await core.sendBody(this.#wire, bytes, { timeoutMs: timeoutMs ?? core.flowControlTimeoutMs, signal });
    } catch (error) {
      if (error === this.#error) throw error;
      if (error instanceof H2FlowControlTimeoutError) {
        core.traceTimeout('flowControl', this.#id);
        if (core.onFlowControlTimeout === 'reset') this.#resetWith(ErrorCodes.CANCEL, error);
      } else if (signal?.aborted && error === signal.reason) {
        this.#resetWith(ErrorCodes.CANCEL, resetError(this.#id, ErrorCodes.CANCEL, 'local', error));
      } else if (!this.#done) {
        this.#resetWith(ErrorCodes.INTERNAL_ERROR, error);
      }
      throw error;
    }
  }

  #end(trailers) {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#endRequested) {
      return Promise.reject(new H2UsageError(`${streamLabel(this.#id)}: end() after the end`, { streamId: this.#id, initiator: 'local' }));
    }
    if (!this[CAN_WRITE]()) return Promise.reject(this[WRITE_ERROR]());
    let list;
    try {
      list = trailers === undefined || trailers === null ? undefined : headerList(trailers);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#endRequested = true;
    const run = () => {
      if (this.#error) throw this.#error;
      try {
        this.#core.finish(this.#id, list);
      } catch (error) {
        if (!this.#done) this.#resetWith(ErrorCodes.INTERNAL_ERROR, error);
        throw error;
      }
      this.#markLocalEnded();
    };
    const result = this.#chain.then(run, run);
    this.#chain = result.catch(noop);
    return result;
  }

  /** Sends a header block through the core (respond, informational); throws on misuse. */
  [SEND_HEADERS](list, endStream) {
    if (this.#error) throw this.#error;
    if (this.#endRequested) {
      throw new H2UsageError(`stream ${this.#id}: headers after the end`, { streamId: this.#id, initiator: 'local' });
    }
    this.#core.sendHeaders(this.#id, list, endStream);
    if (endStream) {
      this.#endRequested = true;
      this.#markLocalEnded();
    }
  }

  #markLocalEnded() {
    this.#localEnded = true;
    this.#maybeDone();
  }

  /** Whether our side has sent END_STREAM. */
  get localEnded() {
    return this.#localEnded;
  }

  /** Whether the peer's side has ended (END_STREAM received). */
  get remoteEnded() {
    return this.#remoteEnded;
  }

  // ---- inbound --------------------------------------------------------------------------

  #pull(controller) {
    if (this.#queue.length > 0) {
      this.#deliver(controller);
      return undefined;
    }
    if (this.#remoteEnded) {
      this.#closeReadable();
      return undefined;
    }
    return new Promise((resolve) => {
      this.#pendingPull = resolve;
    });
  }

  #deliver(controller) {
    const chunk = this.#queue.shift();
    this.#queuedBytes -= chunk.bytes.length;
    this.#core.inbound(-chunk.bytes.length);
    controller.enqueue(chunk.bytes);
    if (chunk.unacked > 0) this.#core.ack(this.#id, chunk.unacked);
  }

  #wakePull() {
    const resolve = this.#pendingPull;
    if (resolve === null) return;
    if (this.#queue.length > 0) {
      this.#pendingPull = null;
      this.#deliver(this.#readController);
      resolve();
    } else if (this.#remoteEnded) {
      this.#pendingPull = null;
      this.#closeReadable();
      resolve();
    }
  }

  #closeReadable() {
    if (this.#readableDone) return;
    this.#readableDone = true;
    this.#readController.close();
  }

  /** Acknowledges everything still queued (the consumer keeps the bytes, the peer the window). */
  #ackQueued() {
    let n = 0;
    for (const chunk of this.#queue) {
      n += chunk.unacked;
      chunk.unacked = 0;
    }
    if (n > 0) this.#core.ack(this.#id, n);
  }

  #dropQueued() {
    this.#ackQueued();
    this.#core.inbound(-this.#queuedBytes);
    this.#queue = [];
    this.#queuedBytes = 0;
  }

  #cancelReading(reason) {
    this.#readableDone = true;
    this.#pendingPull = null;
    this.#dropQueued();
    if (this.#remoteEnded || this.#done) return;
    // RFC 9113 §8.1: a server that has sent its whole response may stop the request with
    // NO_ERROR; anything else is a cancellation.
    if (this.#localEnded && this.#core.role === 'server') {
      this.#core.reset(this.#id, ErrorCodes.NO_ERROR);
      this.#remoteEnded = true;
      this.#settleTrailers(null);
      this.#maybeDone();
    } else {
      this.#resetWith(ErrorCodes.CANCEL, resetError(this.#id, ErrorCodes.CANCEL, 'local', reason));
    }
  }

  #onData(bytes, flowControlledLength) {
    const padding = flowControlledLength - bytes.length;
    if (padding > 0) this.#core.ack(this.#id, padding);
    if (bytes.length === 0) return;
    if (this.#readableDone || this.#done) {
      this.#core.ack(this.#id, bytes.length);
      return;
    }
    // The engine's buffer is reused; the chunk must outlive this call.
    this.#queue.push({ bytes, unacked: bytes.length });
    this.#queuedBytes += bytes.length;
    this.#core.inbound(bytes.length);
    this.#wakePull();
  }

  #onRemoteEnd() {
    if (this.#remoteEnded) return;
    this.#remoteEnded = true;
    this.#settleTrailers(null);
    this.#wakePull();
    this.#maybeDone();
  }

  #settleTrailers(list) {
    this.#trailers.resolve(list);
  }

  // ---- the end --------------------------------------------------------------------------

  #maybeDone() {
    if (this.#done || !this.#localEnded || !this.#remoteEnded) return;
    this.#done = true;
    this.#ackQueued();
    this.#closed.resolve();
    this.#core.streamDone(this);
  }

  /** Resets on the wire with `code` and fails the stream with `error`. */
  #resetWith(code, error) {
    if (this.#done) return;
    this.#core.reset(this.#id, code, error);
    this.#fail(error);
  }

  /** Ends the stream with `error`: every pending promise and both bodies get it. */
  #fail(error) {
    if (this.#done) return;
    this.#done = true;
    this.#error = error;
    this.#wire.error = error;
    this.#started?.resolve(); // writes queued behind the start now run, and fail with `error`
    this.#abort?.abort(error);
    this.#pendingPull = null;
    this.#dropQueued();
    if (!this.#readableDone) {
      this.#readableDone = true;
      this.#readController?.error(error);
    }
    this.#writeController?.error(error);
    this.#trailers.reject(error);
    this[ON_FAIL](error);
    this.#core.failStreamWaits(this.#wire, error);
    this.#closed.reject(error);
    this.#core.streamDone(this);
  }

  /** Lets subclasses reject their own promises when the stream fails. */
  [ON_FAIL]() {}

  /** A user callback of this stream threw or rejected: reset the stream with that error. */
  #callbackFailed(error) {
    if (this.#done) return;
    const wrapped =
      error instanceof H2Error
        ? error
        : resetError(this.#id, ErrorCodes.INTERNAL_ERROR, 'local', error);
    this.#resetWith(ErrorCodes.INTERNAL_ERROR, wrapped);
  }

  static {
    // One shared prototype rather than a fresh set of closures per stream.
    class Control {
      constructor(stream) {
        this.stream = stream;
      }
      /** A queued request got its stream id (its HEADERS are in the engine): writes may go. */
      start(id) {
        const stream = this.stream;
        stream.#id = id;
        stream.#wire.id = id;
        stream.#started?.resolve();
      }
      data(bytes, length) {
        this.stream.#onData(bytes, length);
      }
      /** A new priority (checked and frozen) for the stream and its sends. */
      prioritize(priority) {
        const stream = this.stream;
        stream.#priority = priority;
        stream.#wire.urgency = priority.urgency;
        stream.#wire.incremental = priority.incremental;
      }
      remoteEnd() {
        this.stream.#onRemoteEnd();
      }
      trailers(list) {
        this.stream.#settleTrailers(list);
      }
      fail(error) {
        this.stream.#fail(error);
      }
      resetWith(code, error) {
        this.stream.#resetWith(code, error);
      }
      callbackFailed(error) {
        this.stream.#callbackFailed(error);
      }
      get done() {
        return this.stream.#done;
      }
      get queuedBytes() {
        return this.stream.#queuedBytes;
      }
    }
    controllerOf = (stream) => new Control(stream);
  }
}

export { controllerOf, deliverResponse };

/** What the session keeps per stream: the stream, its controller, what to undo at its end. */
export function streamEntry(stream) {
  return { stream, control: controllerOf(stream), cleanup: [], onResponse: undefined };
}

/**
 * A stream the peer opened (a request), or one we pushed. Answer with `respond()`, then the
 * body through `writable` or `write()`, then `end()`.
 */
export class ServerStream extends H2Stream {
  #core;
  #request;
  #responded = false;
  #pushed;

  constructor(token, core, id, request, { pushed = false, remoteEnded = false, priority } = {}) {
    super(token, core, id, { remoteEnded: remoteEnded || pushed, priority });
    this.#core = core;
    this.#request = Object.freeze({ ...request, headers: Object.freeze(request.headers) });
    this.#pushed = pushed;
  }

  /**
   * The request: `{ method, scheme, authority, path, protocol, headers }`, where `headers`
   * is the ordered list of regular fields with repeats kept.
   */
  get request() {
    return this.#request;
  }

  /** Whether this stream was promised by our server push. */
  get pushed() {
    return this.#pushed;
  }

  /** Whether the final response headers were sent. */
  get responded() {
    return this.#responded;
  }

  /**
   * Sends the response headers: `:status` first, then `headers`. With `endStream` the
   * response has no body (END_STREAM on HEADERS). Throws `H2UsageError` if called twice.
   */
  respond(status, headers, { endStream = false } = {}) {
    const code = Number(status);
    if (!Number.isInteger(code) || code < 200 || code > 999) {
      throw new H2UsageError(`respond(): status ${status} is not a final status (200-999)`, { streamId: this.id, initiator: 'local' });
    }
    if (this.#responded) throw new H2UsageError(`stream ${this.id}: respond() called twice`, { streamId: this.id, initiator: 'local' });
    this[SEND_HEADERS]([[':status', String(code)], ...headerList(headers)], endStream);
    this.#responded = true;
  }

  /** Sends an informational (1xx) response before the final one. */
  informational(status, headers) {
    const code = Number(status);
    if (!Number.isInteger(code) || code < 100 || code > 199 || code === 101) {
      throw new H2UsageError(`informational(): status ${status} is not 1xx (101 is not allowed in HTTP/2)`, {
        streamId: this.id,
        initiator: 'local',
      });
    }
    if (this.#responded) {
      throw new H2UsageError(`stream ${this.id}: informational() after respond()`, { streamId: this.id, initiator: 'local' });
    }
    this[SEND_HEADERS]([[':status', String(code)], ...headerList(headers)], false);
  }

  /**
   * Pushes a response (server push): promises `headers` (a request: `:method`, `:path`, ...,
   * given as a list or as `{ method, path, authority, scheme, headers }`) on this stream and
   * returns the promised ServerStream, to be answered like any other. Throws if the client
   * disabled push.
   */
  push(headers) {
    return this.#core.push(this, headers);
  }

  [CAN_WRITE]() {
    return this.#responded;
  }

  [WRITE_ERROR]() {
    return new H2UsageError(`stream ${this.id}: respond() before writing the body`, { streamId: this.id, initiator: 'local' });
  }
}

/** A request we sent, or a stream the server pushed to us. */
export class ClientStream extends H2Stream {
  #core;
  #request;
  #response = deferred();
  #pushed;
  /** Called (later, never during dispatch) with each informational response `{status, headers}`. */
  oninformational = null;

  constructor(token, core, id, request, { pushed = false, endStream = false, queued = false, priority } = {}) {
    super(token, core, id, { localEnded: pushed || endStream, queued, priority });
    this.#core = core;
    this.#request = Object.freeze({ ...request, headers: Object.freeze(request.headers) });
    this.#pushed = pushed;
  }

  /**
   * Changes the priority of this request (RFC 9218): `{ urgency = 3, incremental = false }`,
   * a complete signal (a member left out takes its default). An open request gets a
   * PRIORITY_UPDATE frame; a queued one starts with the new `priority` field instead. Our
   * own request body is scheduled by it too. Throws TypeError or RangeError on a bad
   * argument, H2UsageError on a pushed stream or one that has ended.
   */
  setPriority(priority) {
    const checked = checkPriority(priority, 'setPriority()');
    if (this.#pushed) {
      throw new H2UsageError(`stream ${this.id}: a pushed stream cannot be reprioritised`, { streamId: this.id, initiator: 'local' });
    }
    this.#core.reprioritize(this, checked);
  }

  /** The request sent (or, for a pushed stream, promised): same shape as ServerStream's. */
  get request() {
    return this.#request;
  }

  /** Whether the server pushed this stream. */
  get pushed() {
    return this.#pushed;
  }

  /** Resolves with `{ status, headers }` (regular fields in order) of the final response. */
  get response() {
    return this.#response.promise;
  }

  [CAN_WRITE]() {
    return !this.#pushed;
  }

  [WRITE_ERROR]() {
    return new H2UsageError(`stream ${this.id}: a pushed stream has no request body`, { streamId: this.id, initiator: 'local' });
  }

  [ON_FAIL](error) {
    this.#response.reject(error);
  }

  static {
    deliverResponse = (stream, received) => stream.#response.resolve(responseOf(received));
  }
}

/**
 * Sends a request body on a client stream and ends it: bytes or a string written at once, a
 * Blob or ReadableStream piped. A failing body resets the stream (CANCEL) with the failure
 * as cause; every rejection here has that owner.
 */
export function sendRequestBody(stream, control, body) {
  const failed = (error) => {
    if (!control.done) control.resetWith(ErrorCodes.CANCEL, resetError(stream.id, ErrorCodes.CANCEL, 'local', error));
  };
  const source = typeof Blob !== 'undefined' && body instanceof Blob ? body.stream() : body;
  if (typeof source?.getReader === 'function') {
    // pipeTo ends the stream at the body's end; a failing body aborts the writable (reset).
    source.pipeTo(stream.writable).catch(failed);
  } else {
    // write() and end() reset the stream themselves on failure.
    stream.write(source).then(() => stream.end()).catch(failed);
  }
}
