// The fetch-style face of H2Session, on the runtime's own Request, Response and Headers:
// `session.fetch(input, init)` resolves with a streaming Response, and `serve(...)` answers
// every request with what a `(request, info) => Response` handler returns. Trailers travel
// beside the standard objects: `response.trailers` (a Promise<Headers>) on the client, a
// `trailers` property on the handler's Response on the server. `Headers` joins repeated
// fields; the ordered raw lists stay available (`response.rawHeaders`, `info.rawHeaders`).

import { ErrorCodes } from '../constants.js';
import { H2UsageError } from '../errors.js';
// A cycle (session.js imports sessionFetch): both sides use the other only inside functions.
import { H2Session } from './session.js';
import { checkPriority } from './priority.js';

const noop = () => {};

/** Statuses whose responses have no body (the Response constructor refuses one). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** Request fields HTTP/2 forbids or replaces (RFC 9113 §8.2.2, and Host by :authority). */
const CONNECTION_FIELDS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

const isStream = (value) => value !== null && typeof value === 'object' && typeof value.getReader === 'function';

/** Received fields as `[name, value]` pairs (never-indexed ones carry a third element). */
function pairsOf(list) {
  for (const field of list) {
    if (field.length !== 2) return list.map(([name, value]) => [name, value]);
  }
  return list;
}

function headersOf(list) {
  const headers = new Headers();
  for (const [name, value] of list) headers.append(name, value);
  return headers;
}

function define(target, name, value) {
  Object.defineProperty(target, name, { value, enumerable: false, configurable: true });
}

/**
 * Sends `input` (a URL, a string URL, or a Request; absolute) with `init` as fetch() would,
 * on `session`, and resolves with a Response whose body streams from the HTTP/2 stream.
 * The Response also has `trailers` (Promise<Headers>, empty when none), `rawHeaders` (the
 * ordered received list), `stream` (the ClientStream) and `url`. Failures reject with the
 * session's H2Error classes (H2RefusedStreamError is retryable).
 */
/** Fetch's priority hints (RequestInit.priority). */
const FETCH_PRIORITY_HINTS = new Set(['high', 'low', 'auto']);

export async function sessionFetch(session, input, init) {
  // `priority`: our RFC 9218 object goes to request(); Fetch's own hints ('high', 'low',
  // 'auto') are hints a fetch may ignore, and this one does. The Request never sees it.
  let priority;
  if (init?.priority !== undefined) {
    const hint = init.priority;
    if (typeof hint === 'string') {
      if (!FETCH_PRIORITY_HINTS.has(hint)) throw new TypeError(`fetch(): priority must be 'high', 'low', 'auto' or { urgency, incremental }, got '${hint}'`);
    } else {
      priority = checkPriority(hint, 'fetch(): priority');
    }
    init = { ...init };
    delete init.priority;
  }
  const options = init !== undefined && isStream(init.body) ? { ...init, duplex: 'half' } : init;
  const request = input instanceof Request && options === undefined ? input : new Request(input, options);
  const url = new URL(request.url);
  const method = request.method;
  const list = [
    [':method', method],
    [':scheme', url.protocol.slice(0, -1)],
    [':authority', url.host],
    [':path', `${url.pathname}${url.search}`],
  ];
  for (const [name, value] of request.headers) {
    if (CONNECTION_FIELDS.has(name) || (name === 'te' && value !== 'trailers')) continue;
    list.push([name, value]);
  }
  const hasBody = request.body !== null && method !== 'GET' && method !== 'HEAD';
  // A Request made here from a URL without `init.signal` has a signal nothing can abort: no
  // listener for it.
  const abortable = input instanceof Request || (init?.signal !== undefined && init?.signal !== null);
  const stream = session.request(list, {
    body: hasBody ? request.body : undefined,
    endStream: !hasBody,
    signal: abortable ? request.signal : undefined,
    priority,
  });
  let head;
  try {
    head = await stream.response;
  } catch (error) {
    // As fetch() does: an aborted request rejects with the signal's reason.
    if (request.signal.aborted) throw request.signal.reason;
    throw error;
  }
  const nullBody = method === 'HEAD' || NULL_BODY_STATUS.has(head.status);
  const response = new Response(nullBody ? null : stream.readable, { status: head.status, headers: pairsOf(head.headers) });
  let trailers = null;
  Object.defineProperty(response, 'trailers', {
    // Made when first read: most callers never look at trailers.
    get() {
      if (trailers === null) {
        trailers = stream.trailers.then((t) => headersOf(t ?? []));
        trailers.catch(noop); // its reader owns the rejection; the stream's error also reaches the body
      }
      return trailers;
    },
    enumerable: false,
    configurable: true,
  });
  define(response, 'rawHeaders', head.headers);
  define(response, 'stream', stream);
  define(response, 'url', url.href);
  return response;
}

/**
 * Serves requests with `handler(request, info)`, which returns (or resolves with) a
 * Response. `target` is an H2Session (server) or a transport, for which a server session is
 * made with `options`. `info` is `{ stream, session, rawHeaders, trailers }` (`trailers`:
 * the request trailers, a Promise of a list or null). A `trailers` property on the returned
 * Response (HeadersInit, or a promise or function of one) is sent after its body.
 *
 * A handler that throws gets a 500 response (or, if the response had started, a reset with
 * INTERNAL_ERROR); `options.onerror(error, request)` sees the error. CONNECT requests, which
 * a Request cannot describe, go to `options.onconnect(stream)`, or get 501. Returns the
 * session.
 */
export function serve(target, handler, options = {}) {
  if (typeof handler !== 'function') throw new TypeError('serve(target, handler): handler must be a function');
  const { onerror, onconnect, ...sessionOptions } = options;
  const session = target instanceof H2Session ? target : H2Session.server(target, sessionOptions);
  if (session.role !== 'server') throw new H2UsageError('serve() needs a server session', { initiator: 'local' });
  const hooks = { onerror, onconnect };
  session.onstream = (stream) => handle(session, stream, handler, hooks);
  return session;
}

async function handle(session, stream, handler, { onerror, onconnect }) {
  const req = stream.request;
  if (req.method === 'CONNECT') {
    if (typeof onconnect === 'function') return onconnect(stream);
    stream.respond(501, [], { endStream: true });
    return undefined;
  }
  const authority = req.authority ?? req.headers.find(([name]) => name === 'host')?.[1] ?? 'localhost';
  const url = `${req.scheme ?? 'http'}://${authority}${req.path ?? '/'}`;
  const withBody = req.method !== 'GET' && req.method !== 'HEAD';
  let request;
  try {
    request = new Request(url, {
      method: req.method,
      // The received pairs as they are (Request copies them into its own Headers anyway).
      headers: pairsOf(req.headers),
      body: withBody ? stream.readable : null,
      duplex: 'half',
      signal: stream.signal,
    });
  } catch (error) {
    // A request the runtime's Request refuses (a forbidden method, say): answer 400.
    onerror?.(error, undefined);
    if (!stream.responded) stream.respond(400, [], { endStream: true });
    return undefined;
  }
  const info = { stream, session, rawHeaders: req.headers, trailers: stream.trailers };
  let response;
  try {
    response = await handler(request, info);
    if (!(response instanceof Response)) throw new TypeError('the handler must return a Response');
  } catch (error) {
    onerror?.(error, request);
    if (!stream.responded && !stream.signal.aborted) stream.respond(500, [], { endStream: true });
    return undefined;
  }
  try {
    await send(stream, response, req.method === 'HEAD');
  } catch (error) {
    onerror?.(error, request);
    if (!stream.signal.aborted) stream.reset(ErrorCodes.INTERNAL_ERROR);
  }
  return undefined;
}

async function send(stream, response, headOnly) {
  const list = [];
  for (const [name, value] of response.headers) list.push([name, value]);
  let trailers = response.trailers;
  const body = headOnly || NULL_BODY_STATUS.has(response.status) ? null : response.body;
  if (body === null) response.body?.cancel().catch(noop);
  if (body === null && (trailers === undefined || trailers === null)) {
    stream.respond(response.status, list, { endStream: true });
    return;
  }
  stream.respond(response.status, list);
  if (body !== null) await pump(stream, body);
  if (typeof trailers === 'function') trailers = trailers();
  trailers = await trailers;
  await stream.end(trailers === undefined || trailers === null ? undefined : Array.from(new Headers(trailers)));
}

/**
 * Writes `body` (a ReadableStream) on `stream` chunk by chunk, as `body.pipeTo(stream.writable,
 * { preventClose: true })` would, without the stream's WritableStream and the pipe machinery
 * (the dearest part of answering a small request). A body that fails resets the stream with
 * CANCEL (as aborting `writable` does, the failure as cause); a write that fails cancels the
 * body. Either way the failure is thrown.
 */
async function pump(stream, body) {
  const reader = body.getReader();
  try {
    for (;;) {
      let result;
      try {
        result = await reader.read();
      } catch (error) {
        await stream.writable.abort(error).catch(noop);
        throw error;
      }
      if (result.done) return;
      try {
        await stream.write(result.value);
      } catch (error) {
        reader.cancel(error).catch(noop);
        throw error;
      }
    }
  } finally {
    reader.releaseLock();
  }
}
