// Outbound bodies under the two lower levels of backpressure: the HTTP/2 send windows and
// the transport. A chunk goes into the engine frame by frame, each frame as large as the
// windows and the peer's frame size allow. With no window, the sender joins a queue that is
// woken by events (WINDOW_UPDATE, SETTINGS, a reset, the session's end), never by polling.
// A chunk is done once its bytes are in the engine and the output not yet taken by the
// transport is below the high-water mark.
//
// Who goes first follows the streams' RFC 9218 priorities (`urgency`, `incremental` on the
// stream object the gate is given): when the window opens, only the most urgent waiting
// senders that can send are woken. Within one urgency a non-incremental stream goes before
// incremental ones, and non-incremental streams go one at a time, lowest stream id first;
// incremental streams of one urgency share, one frame each in turn, least recently served
// first. Senders waiting for the transport to drain resume in the same order.
//
// Deadlines count time without progress: every frame handed to the engine restarts them.
// A sender kept in the window queue by more urgent ones is not stuck: while the gate sends
// frames for others, and the window it lacks (if any) is the connection's, its deadline
// waits; it runs out once nothing at all has moved for its whole timeout.

import { H2FlowControlTimeoutError } from '../errors.js';

const urgencyOf = (stream) => stream.urgency ?? 3;

/**
 * Negative when `a` is served before `b`: lower urgency first; within one urgency
 * non-incremental first, those by stream id. Incremental streams of one urgency tie (their
 * order is least recently served, which the callers keep).
 */
function order(a, b) {
  const byUrgency = urgencyOf(a) - urgencyOf(b);
  if (byUrgency !== 0) return byUrgency;
  const ai = a.incremental === true;
  if (ai !== (b.incremental === true)) return ai ? 1 : -1;
  return ai ? 0 : a.id - b.id;
}

const ahead = (a, b) => order(a, b) < 0;

/**
 * One wait of one sender. Settles once; later wakes, timeouts or failures do nothing.
 * @private
 */
class Wait {
  constructor(sender, resolve, reject) {
    this.sender = sender;
    this.resolve = resolve;
    this.reject = reject;
    this.settled = false;
    this.cleanup = [];
  }

  settle(error) {
    if (this.settled) return false;
    this.settled = true;
    for (const undo of this.cleanup) undo();
    if (error === undefined) this.resolve();
    else this.reject(error);
    return true;
  }
}

/**
 * The flow gate of one session. `engine` is the session's adapter:
 * `{ window(id), connectionWindow(), maxFrameSize(), send(id, bytes), buffered(), highWaterMark, timers }`;
 * `send` queues one DATA frame in the engine (and schedules a flush).
 */
export class FlowGate {
  #engine;
  /** Senders waiting for window, kept sorted by `seq` (least recently served first). */
  #queue = [];
  /** Senders waiting for the transport to drain below the high-water mark. */
  #draining = new Set();
  /**
   * Senders woken from the queue whose turn has not run yet: others yield to them, and no
   * other sender is woken until they have run (each of them wakes the queue again when its
   * turn ends: by queueing again, or on leaving `send`).
   */
  #woken = new Set();
  #served = 0;
  /** When the last frame went into the engine (the session clock), for queued deadlines. */
  #lastFrameAt = -Infinity;

  constructor(engine) {
    this.#engine = engine;
  }

  /** Senders waiting for window. */
  get blocked() {
    return this.#queue.length;
  }

  /**
   * Hands `bytes` to the engine on `stream` within the windows. Resolves when all of it is in
   * the engine and the transport backlog is below the high-water mark; rejects with
   * `H2FlowControlTimeoutError` after `timeoutMs` without progress (0: never), with
   * `signal.reason` when the signal aborts, or with the stream's error when it ends.
   * `stream` is `{ id, error, urgency, incremental }` (`error` set once the stream can no
   * longer send; the priority may change at any time).
   */
  async send(stream, bytes, options = {}) {
    try {
      await this.#send(stream, bytes, options);
    } finally {
      // Whoever held the turn hands it on; a wake with nobody to serve does nothing.
      if (this.#queue.length > 0) queueMicrotask(() => this.wake());
    }
  }

  async #send(stream, bytes, { timeoutMs = 0, signal }) {
    const engine = this.#engine;
    const clock = engine.timers.clock;
    // seq: when the sender last got a frame out; 0 (never) sorts first, in arrival order.
    const sender = { stream, seq: 0, deadline: Infinity, timeoutMs, signal };
    const progress = () => {
      sender.deadline = timeoutMs > 0 ? clock.now() + timeoutMs : Infinity;
    };
    progress();
    let offset = 0;
    let ticket = false; // woken from the window queue: may send one frame before yielding
    for (;;) {
      if (stream.error) throw stream.error;
      if (signal?.aborted) throw signal.reason;
      if (engine.buffered() >= engine.highWaterMark) {
        await this.#wait(sender, this.#draining);
        continue;
      }
      if (offset >= bytes.length) return;
      const window = engine.window(stream.id);
      if (window <= 0 || (!ticket && (this.#queue.length > 0 || this.#woken.size > 0))) {
        // Our turn comes in the queue. `#woken` is left in the job that resumes here, so that
        // the senders woken with us see each other and take one frame each.
        try {
          await this.#enqueue(sender);
        } finally {
          this.#woken.delete(sender);
        }
        ticket = true;
        continue;
      }
      const n = Math.min(window, engine.maxFrameSize(), bytes.length - offset);
      engine.send(stream.id, bytes.subarray(offset, offset + n));
      offset += n;
      sender.seq = ++this.#served;
      this.#lastFrameAt = clock.now();
      progress();
      ticket = false;
    }
  }

  /**
   * Re-checks the window queue: of the senders that have window now, wakes the most urgent
   * non-incremental one, or else every incremental one of the most urgent level (in
   * least-recently-served order). Does nothing while senders woken before have not run.
   */
  wake() {
    if (this.#queue.length === 0 || this.#woken.size > 0) return;
    const engine = this.#engine;
    const ready = [];
    let best = null;
    for (const wait of this.#queue) {
      if (engine.window(wait.sender.stream.id) <= 0) continue;
      ready.push(wait);
      if (best === null || ahead(wait.sender.stream, best.sender.stream)) best = wait;
    }
    if (best === null) return;
    const top = best.sender.stream;
    const woken = top.incremental
      ? ready.filter(({ sender: { stream } }) => stream.incremental && urgencyOf(stream) === urgencyOf(top))
      : [best];
    for (const wait of woken) {
      this.#woken.add(wait.sender);
      wait.settle();
    }
  }

  /** The transport took output: wakes the senders waiting on the high-water mark, by priority. */
  drained() {
    if (this.#draining.size === 0 || this.#engine.buffered() >= this.#engine.highWaterMark) return;
    const waits = [...this.#draining].sort((a, b) => order(a.sender.stream, b.sender.stream));
    this.#draining.clear();
    for (const wait of waits) wait.settle();
  }

  /** Rejects every wait of `stream` with `error`. */
  failStream(stream, error) {
    for (const wait of [...this.#queue, ...this.#draining]) {
      if (wait.sender.stream === stream) wait.settle(error);
    }
  }

  /** Rejects every wait with `error` (the session ended). */
  failAll(error) {
    for (const wait of [...this.#queue, ...this.#draining]) wait.settle(error);
  }

  /**
   * Whether a queued sender on `stream` waits for its turn rather than for its own stream
   * window: it has window, or the window it lacks is the connection's (which others use).
   */
  #waitsForOthers(stream) {
    const engine = this.#engine;
    return engine.window(stream.id) > 0 || (engine.connectionWindow?.() ?? 0) <= 0;
  }

  /** Joins the window queue; resolves when woken (the caller is then in `#woken`). */
  #enqueue(sender) {
    const promise = this.#wait(sender, null);
    queueMicrotask(() => this.wake());
    return promise;
  }


  /**
   * Parks `sender` in `set` (the drain set) or in the sorted window queue (`set` null) until
   * woken, its deadline passes, its signal aborts, or its stream fails.
   */
  #wait(sender, set) {
    return new Promise((resolve, reject) => {
      const wait = new Wait(sender, resolve, reject);
      if (set) {
        set.add(wait);
        wait.cleanup.push(() => set.delete(wait));
      } else {
        let at = this.#queue.length;
        while (at > 0 && this.#queue[at - 1].sender.seq > sender.seq) at--;
        this.#queue.splice(at, 0, wait);
        wait.cleanup.push(() => {
          const i = this.#queue.indexOf(wait);
          if (i >= 0) this.#queue.splice(i, 1);
        });
      }
      const { stream, signal, timeoutMs } = sender;
      if (sender.deadline !== Infinity) {
        const engine = this.#engine;
        const timers = engine.timers;
        const expire = () => {
          if (set === null && this.#waitsForOthers(stream)) {
            const quietUntil = this.#lastFrameAt + timeoutMs;
            const now = timers.clock.now();
            if (quietUntil > now) {
              timer = timers.start(quietUntil - now, expire);
              return;
            }
          }
          wait.settle(
            new H2FlowControlTimeoutError(`stream ${stream.id}: no flow-control progress for ${timeoutMs} ms`, {
              streamId: stream.id,
              initiator: 'library',
            }),
          );
        };
        let timer = timers.start(Math.max(1, sender.deadline - timers.clock.now()), expire);
        wait.cleanup.push(() => timer.cancel());
      }
      if (signal) {
        const onAbort = () => wait.settle(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        wait.cleanup.push(() => signal.removeEventListener('abort', onAbort));
      }
      if (stream.error) wait.settle(stream.error);
    });
  }
}
