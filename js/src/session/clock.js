// Time for the session layer: the injectable clock and a set of timers that can all be
// cleared at once when a session ends. Nothing here polls: each timer fires once.

/**
 * The real clock: `performance.now()` for readings (monotonic, in ms) and the global timers.
 * Sessions take any object of the same shape as their `clock` option (tests pass a fake one).
 */
export const realClock = Object.freeze({
  now: () => performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle),
});

/** Checks that `clock` has the three functions a session needs. */
export function checkClock(clock) {
  for (const name of ['now', 'setTimeout', 'clearTimeout']) {
    if (typeof clock?.[name] !== 'function') {
      throw new TypeError(`clock.${name} must be a function`);
    }
  }
  return clock;
}

/**
 * The timers of one session. Each `start()` returns a handle whose `cancel()` is idempotent;
 * `clearAll()` cancels whatever is still pending, so that an ended session leaves nothing
 * behind. A `ms` of 0, Infinity or undefined means "no deadline": nothing is scheduled.
 */
export class TimerSet {
  #clock;
  #live = new Set();

  constructor(clock) {
    this.#clock = clock;
  }

  get clock() {
    return this.#clock;
  }

  /** Runs `fn` after `ms` unless cancelled first. */
  start(ms, fn) {
    const timer = { cancel: () => {}, active: false };
    if (!(ms > 0) || ms === Infinity) return timer;
    const clock = this.#clock;
    const handle = clock.setTimeout(() => {
      if (!timer.active) return;
      timer.active = false;
      this.#live.delete(timer);
      fn();
    }, ms);
    timer.active = true;
    timer.cancel = () => {
      if (!timer.active) return;
      timer.active = false;
      this.#live.delete(timer);
      clock.clearTimeout(handle);
    };
    this.#live.add(timer);
    return timer;
  }

  /** Cancels every pending timer. */
  clearAll() {
    for (const timer of [...this.#live]) timer.cancel();
  }
}
