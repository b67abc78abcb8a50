// The session's control-frame bookkeeping: PINGs waiting for their ACK (the round-trip
// time), and SETTINGS waiting for theirs (in order: the peer acknowledges SETTINGS frames in
// the order it received them); keep-alive, tracing, the incoming queue, and how user
// callbacks run (later, in a microtask, never inside dispatch).

import { errorCodeName } from '../constants.js';
import { H2Error, H2GoAwayError, H2TimeoutError, H2UsageError, InvalidInputError } from '../errors.js';
import { bytesOf } from '../octets.js';
import { deferred } from './deferred.js';

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** PINGs in flight, keyed by payload. */
export class PingTracker {
  #timers;
  #send;
  #onTimeout;
  #pending = new Map();
  #count = 0;
  /** The last round-trip time measured, in ms. */
  rttMs = undefined;
  sent = 0;

  /** `send(bytes)` queues the PING; `onTimeout()` is told of each ping that timed out. */
  constructor(timers, send, onTimeout) {
    this.#timers = timers;
    this.#send = send;
    this.#onTimeout = onTimeout;
  }

  /** The 8-octet payload for `payload`: by default `h2w\0` and a counter. */
  #payload(payload) {
    if (payload === undefined) {
      const n = ++this.#count;
      return Uint8Array.of(0x68, 0x32, 0x77, 0x00, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    }
    const bytes = typeof payload === 'string' ? Uint8Array.from(payload, (c) => c.charCodeAt(0)) : bytesOf(payload, 'payload');
    if (bytes.length !== 8) throw new InvalidInputError('a PING payload is exactly 8 octets');
    return bytes;
  }

  /** Sends a PING; resolves with the RTT, rejects on timeout, abort, or `failAll`. */
  ping(payload, { timeoutMs = 0, signal } = {}) {
    let bytes;
    try {
      bytes = this.#payload(payload);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = hex(bytes);
    if (this.#pending.has(key)) {
      return Promise.reject(new H2UsageError('a PING with this payload is already outstanding', { initiator: 'local' }));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      this.#send(bytes);
    } catch (error) {
      return Promise.reject(error);
    }
    this.sent++;
    const clock = this.#timers.clock;
    const d = deferred();
    const undo = [];
    const entry = {
      started: clock.now(),
      settle: (error, rtt) => {
        if (this.#pending.get(key) !== entry) return;
        this.#pending.delete(key);
        for (const u of undo) u();
        if (error === undefined) d.resolve(rtt);
        else d.reject(error);
      },
    };
    this.#pending.set(key, entry);
    const timer = this.#timers.start(timeoutMs, () => {
      this.#onTimeout();
      entry.settle(new H2TimeoutError(`no PING ACK within ${timeoutMs} ms`, { kind: 'ping', initiator: 'library' }));
    });
    undo.push(timer.cancel);
    if (signal) {
      const onAbort = () => entry.settle(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      undo.push(() => signal.removeEventListener('abort', onAbort));
    }
    return d.promise;
  }

  /** A PING ACK arrived: settles its ping (ACKs of unknown payloads are ignored). */
  acknowledged(payload) {
    const entry = this.#pending.get(hex(payload));
    if (!entry) return;
    this.rttMs = this.#timers.clock.now() - entry.started;
    entry.settle(undefined, this.rttMs);
  }

  /** Rejects every ping in flight. */
  failAll(error) {
    for (const entry of [...this.#pending.values()]) entry.settle(error);
  }
}

/** SETTINGS frames we sent and the peer has not acknowledged yet, oldest first. */
export class SettingsAcks {
  #timers;
  #waiters = [];

  constructor(timers) {
    this.#timers = timers;
  }

  /**
   * Expects an ACK for the SETTINGS just sent; the promise resolves with what `acknowledged`
   * is given. After `timeoutMs` without it, `onTimeout()` is called (the session then ends).
   */
  expect(timeoutMs, onTimeout) {
    const d = deferred();
    const timer = this.#timers.start(timeoutMs, onTimeout);
    this.#waiters.push({ d, timer });
    return d.promise;
  }

  /** The peer acknowledged our oldest unacknowledged SETTINGS. */
  acknowledged(settings) {
    const waiter = this.#waiters.shift();
    waiter?.timer.cancel();
    waiter?.d.resolve(settings);
  }

  /** Rejects every waiter. */
  failAll(error) {
    for (const { d, timer } of this.#waiters.splice(0)) {
      timer.cancel();
      d.reject(error);
    }
  }
}

/**
 * Delivers trace records to the application's `trace` callback, later (in a microtask) and
 * in order, each stamped with the clock's time. A throwing callback goes to `onError`.
 */
export class Tracer {
  #fn;
  #clock;
  #onError;
  #queue = [];

  constructor(fn, clock, onError) {
    this.#fn = fn;
    this.#clock = clock;
    this.#onError = onError;
  }

  record(record) {
    record.at = this.#clock.now();
    this.#queue.push(record);
    if (this.#queue.length > 1) return;
    queueMicrotask(() => {
      for (const r of this.#queue.splice(0)) {
        try {
          this.#fn(r);
        } catch (error) {
          this.#onError(error);
          return;
        }
      }
    });
  }
}

/**
 * Counts events (peer resets of streams we had not answered) in a sliding window of the
 * clock: `hit()` returns the count within the last `windowMs`, this one included.
 */
export class SlidingCount {
  #clock;
  #windowMs;
  #times = [];

  constructor(clock, windowMs) {
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  hit() {
    const now = this.#clock.now();
    this.#times.push(now);
    while (this.#times.length > 0 && this.#times[0] <= now - this.#windowMs) this.#times.shift();
    return this.#times.length;
  }
}

/**
 * Keep-alive: once nothing has arrived for `intervalMs` (by `lastReceiveAt()`), `ping()`;
 * when that rejects with a timeout, `dead(error)`. Stops when `stopped()` says so.
 */
export function keepAlive(timers, { intervalMs, timeoutMs }, { lastReceiveAt, ping, dead, stopped }) {
  if (!(intervalMs > 0)) return;
  const tick = () => {
    if (stopped()) return;
    const quiet = timers.clock.now() - lastReceiveAt();
    if (quiet < intervalMs) {
      timers.start(intervalMs - quiet, tick);
      return;
    }
    ping(timeoutMs).then(
      () => timers.start(intervalMs, tick),
      (error) => {
        if (error instanceof H2TimeoutError) dead(error); // other errors: the session ended
      },
    );
  };
  timers.start(intervalMs, tick);
}

/**
 * The server's new streams waiting for `incoming()`: a queue read by one async iterator,
 * which ends when the session does.
 */
export class IncomingQueue {
  #streams = [];
  #waiters = [];
  #taken = false;
  #ended = false;

  push(stream) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter({ value: stream, done: false });
    else this.#streams.push(stream);
  }

  /** The session ended: the iterator finishes (queued streams have failed with the session). */
  end() {
    this.#ended = true;
    this.#streams.length = 0;
    for (const resolve of this.#waiters.splice(0)) resolve({ value: undefined, done: true });
  }

  /** The one iterator; `undefined` if it was already taken. */
  take() {
    if (this.#taken) return undefined;
    this.#taken = true;
    const next = () => {
      if (this.#streams.length > 0) return Promise.resolve({ value: this.#streams.shift(), done: false });
      if (this.#ended) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => this.#waiters.push(resolve));
    };
    return {
      next,
      return: () => Promise.resolve({ value: undefined, done: true }),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

/** The error of a GOAWAY from the peer with an error code (`info`: code, lastStreamId, debugData). */
export function peerGoAwayError(info) {
  return new H2GoAwayError(`the peer closed the connection (${errorCodeName(info.code) ?? info.code})`, {
    code: info.code,
    lastStreamId: info.lastStreamId,
    debugData: info.debugData,
    initiator: 'remote',
  });
}

/** What streams fail with when the application destroys the session (with `error`, maybe). */
export function destroyedError(error, code) {
  if (error instanceof H2Error) return error;
  const message = error === undefined ? 'the session was destroyed' : `the session was destroyed: ${error?.message ?? error}`;
  return new H2GoAwayError(message, { code, initiator: 'local', cause: error });
}

/** Runs a stream's user callback in a microtask; a throw or rejection resets the stream. */
export function runStreamCallback(entry, fn) {
  queueMicrotask(() => {
    try {
      const result = fn();
      if (result && typeof result.then === 'function') result.then(undefined, (error) => entry.control.callbackFailed(error));
    } catch (error) {
      entry.control.callbackFailed(error);
    }
  });
}

/** Runs a session-level user callback in a microtask; a throw or rejection destroys the session. */
export function runSessionCallback(session, fn, arg) {
  queueMicrotask(() => {
    try {
      const result = fn.call(session, arg);
      if (result && typeof result.then === 'function') result.then(undefined, (error) => session.destroy(error));
    } catch (error) {
      session.destroy(error);
    }
  });
}
