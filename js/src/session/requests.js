// A client session's requests: checked, then started at once when the peer's
// MAX_CONCURRENT_STREAMS leaves a stream slot, or else queued (first in, first out) until a
// stream closes or the peer raises its limit. A queued request is a ClientStream without an
// id: its body writes wait behind its start, its signal and timeout already run, and it fails
// with H2SessionClosingError (retryable: nothing was sent) if the session goes away first.
//
// The session lends what starting a request needs through `host` (see session.js); nothing
// here touches the engine directly.

import { ErrorCodes } from '../constants.js';
import { H2QueueFullError, H2SessionClosingError, H2TimeoutError, H2UsageError } from '../errors.js';
import { describeRequest, findField, hasPseudo, headerList, withoutField } from './headers.js';
import { checkPriority, priorityField, priorityOfFields } from './priority.js';
import { ClientStream, INTERNAL, resetError, sendRequestBody, streamEntry, streamLabel } from './stream.js';

/**
 * The peer's MAX_CONCURRENT_STREAMS assumed until its first SETTINGS arrive (RFC 9113 §6.5.2
 * recommends a limit of at least 100; nghttp2 assumes the same).
 */
export const ASSUMED_MAX_CONCURRENT_STREAMS = 100;

/**
 * Opens, queues and starts client requests. `host` is
 * `{ core, timers, trace(record), slots(), mayStart(), open(list, endStream) → id, register(entry) }`:
 * `slots()` is how many more streams the peer allows now, `open` sends the HEADERS (it throws
 * the engine's errors), `register` makes a started stream's entry live in the session.
 */
export class ClientRequests {
  #host;
  #max;
  /** Queued requests in arrival order: stream → `{ entry, list, end }`. */
  #waiting = new Map();

  constructor(host, maxQueued) {
    this.#host = host;
    this.#max = maxQueued;
  }

  /** Requests waiting for a stream slot. */
  get queued() {
    return this.#waiting.size;
  }

  /**
   * Checks a request and returns its ClientStream: started (with an id) when a slot is free
   * and nothing waits before it, else queued (id `null`). Throws on bad arguments, with the
   * engine's error when it refuses the headers of a request started now, and with
   * H2QueueFullError when the queue is full.
   */
  open(headers, { body, endStream, signal, timeoutMs, priority } = {}) {
    let list = headerList(headers);
    if (!hasPseudo(list)) throw new H2UsageError('request headers need :method, :scheme, :authority and :path', { initiator: 'local' });
    let signalled;
    if (priority === undefined || priority === null) {
      signalled = priorityOfFields(list); // a `priority` field the caller wrote themselves
    } else {
      signalled = checkPriority(priority);
      list = withPriorityField(list, priorityField(signalled));
    }
    const method = findField(list, ':method');
    const hasBody = body !== undefined && body !== null;
    const end = endStream ?? (!hasBody && method !== 'CONNECT');
    if (hasBody && end) throw new H2UsageError('a request with a body cannot end with its headers', { initiator: 'local' });
    if (signal?.aborted) throw signal.reason;
    const host = this.#host;
    let id = null;
    if (this.#waiting.size === 0 && host.slots() > 0) {
      id = host.open(list, end);
    } else if (this.#waiting.size >= this.#max) {
      throw new H2QueueFullError(`every stream slot is taken and ${this.#waiting.size} requests are queued (maxQueuedRequests)`, {
        limit: this.#max,
        initiator: 'local',
      });
    }
    const stream = new ClientStream(INTERNAL, host.core, id, describeRequest(list), { endStream: end, queued: id === null, priority: signalled });
    const entry = streamEntry(stream);
    if (id === null) this.#waiting.set(stream, { entry, list, end });
    else host.register(entry);
    if (signal) {
      const onAbort = () => entry.control.resetWith(ErrorCodes.CANCEL, resetError(stream.id, ErrorCodes.CANCEL, 'local', signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      entry.cleanup.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (timeoutMs > 0) {
      // Counted from now: time spent queued is part of the wait for the response.
      const timer = host.timers.start(timeoutMs, () => {
        host.trace({ kind: 'timeout', timeout: 'request', streamId: stream.id ?? undefined });
        const error = new H2TimeoutError(`${streamLabel(stream.id)}: no response within ${timeoutMs} ms`, {
          kind: 'request',
          streamId: stream.id ?? undefined,
          initiator: 'library',
        });
        entry.control.resetWith(ErrorCodes.CANCEL, error);
      });
      entry.onResponse = timer.cancel;
      entry.cleanup.push(timer.cancel);
    }
    if (hasBody) sendRequestBody(stream, entry.control, body);
    return stream;
  }

  /** Starts queued requests, oldest first, while the session may open streams and has slots. */
  pump() {
    const host = this.#host;
    while (this.#waiting.size > 0 && host.mayStart() && host.slots() > 0) {
      const [stream, { entry, list, end }] = this.#waiting.entries().next().value;
      let id;
      try {
        id = host.open(list, end);
      } catch (error) {
        // Headers the engine refuses: this request fails, the next ones still go.
        entry.control.fail(error);
        this.forget(stream);
        continue;
      }
      this.#waiting.delete(stream);
      entry.control.start(id);
      host.register(entry);
    }
  }

  /**
   * A queued request's new priority: its header list gets `field` as its only `priority`
   * field (none when empty). Returns the stream's controller, or `undefined` when it is not
   * queued.
   */
  reprioritize(stream, field) {
    const item = this.#waiting.get(stream);
    if (item === undefined) return undefined;
    item.list = withPriorityField(item.list, field);
    return item.entry.control;
  }

  /**
   * A queued stream ended before it started (reset, aborted, timed out, failed): drops it
   * and undoes its listeners and timer. Does nothing for a stream that is not queued.
   */
  forget(stream) {
    const item = this.#waiting.get(stream);
    if (item === undefined) return;
    this.#waiting.delete(stream);
    for (const undo of item.entry.cleanup) undo();
  }

  /**
   * Fails every queued request with an H2SessionClosingError (retryable: none was sent)
   * saying `why`, with `cause` if given.
   */
  failQueued(why, cause) {
    for (const { entry } of [...this.#waiting.values()]) {
      entry.control.fail(new H2SessionClosingError(`the request was never sent: ${why}`, { initiator: 'local', cause }));
      this.forget(entry.stream);
    }
  }
}

/** `list` with its `priority` fields replaced by `field` (dropped when `field` is empty). */
function withPriorityField(list, field) {
  const rest = withoutField(list, 'priority');
  if (field !== '') rest.push(['priority', field]);
  return rest;
}
