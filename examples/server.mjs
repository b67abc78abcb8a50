// An HTTP/2 server on the h2wasm session driver, in Node: h2c with prior knowledge and h2c
// Upgrade on plain TCP, h2 over TLS (ALPN) when given a certificate. It runs until killed;
// SIGTERM or SIGINT closes every session gracefully (GOAWAY, requests under way finish), a
// second signal exits at once.
//
//   node examples/server.mjs --port 8080 [--host 127.0.0.1] [--tls-cert cert.pem --tls-key key.pem]
//        [--max-concurrent-streams 100] [--initial-window-size N] [--connection-window-size N]
//        [--idle-timeout MS] [--close-timeout MS] [-v]
//
// --port 0 picks a free port. The first line on stdout says where it listens:
// "h2wasm example server listening on http://127.0.0.1:PORT (...)".
//
// Routes (every response says `server: h2wasm/<version>`):
//   GET|HEAD|POST /        200, a short text (a POST body is read and dropped)
//   POST|PUT /echo         200, the request body streamed back; trailer x-echo-bytes
//   GET /bytes/N[?seed=S]  200, N octets of patternByte(i, S) (see below), streamed
//   POST|PUT /sha256       200, "<sha-256 hex> <length>\n" of the request body
//   GET /delay/MS          200 after MS milliseconds (at most 60 s)
//   anything else          404
//
// On plain TCP the first octets decide: the client preface ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
// is HTTP/2 with prior knowledge; an HTTP/1.1 request carrying `Upgrade: h2c`,
// `HTTP2-Settings` and `Connection: Upgrade, HTTP2-Settings` is answered 101 and continues in
// HTTP/2 (H2Session.serverFromUpgrade), its body (Content-Length, up to 1 MiB) read first and
// given to the upgraded request on stream 1. Any other HTTP/1.1 request, a chunked upgrade
// request among them, gets `505 HTTP Version Not Supported` and the connection is closed:
// this server speaks HTTP/2 only. Over TLS, ALPN must pick h2 (a client without ALPN may
// still send the preface).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { ErrorCodes, fromNodeSocket, H2ConnectionLostError, H2Session, serve, version } from 'h2wasm';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const MAX_HEAD = 64 * 1024;
const MAX_UPGRADE_BODY = 1024 * 1024;
const SERVER = `h2wasm/${version()}`;

/** Octet `i` of the `/bytes/N?seed=S` bodies: a multiplicative hash, with no short period. */
function patternByte(i, seed = 0) {
  return Math.imul(i + seed, 0x9e3779b1) >>> 24;
}

/** `length` octets of the pattern from offset `from`. */
function patternBytes(from, length, seed = 0) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = patternByte(from + i, seed);
  return out;
}

// ---- the application (fetch-style: Request in, Response out) ---------------------------

const text = (status, body, headers = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', server: SERVER, ...headers } });

/** A body of `n` pattern octets, made as the reader pulls it. */
function patternStream(n, seed) {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      const size = Math.min(64 * 1024, n - at);
      controller.enqueue(patternBytes(at, size, seed));
      at += size;
      if (at >= n) controller.close();
    },
  });
}

async function drain(body) {
  let length = 0;
  if (body) for await (const chunk of body) length += chunk.byteLength;
  return length;
}

function delay(ms, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Answers one request. */
async function handle(request) {
  const { pathname, searchParams } = new URL(request.url);
  const method = request.method;
  if (pathname === '/') {
    if (method === 'POST') await drain(request.body);
    else if (method !== 'GET' && method !== 'HEAD') return text(405, 'use GET, HEAD or POST\n', { allow: 'GET, HEAD, POST' });
    return text(200, `hello from ${SERVER}\n`);
  }
  if (pathname === '/echo') {
    if (method !== 'POST' && method !== 'PUT') return text(405, 'use POST or PUT\n', { allow: 'POST, PUT' });
    let echoed = 0;
    const counted = (request.body ?? new Blob([]).stream()).pipeThrough(
      new TransformStream({
        transform(chunk, controller) {
          echoed += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
    );
    const type = request.headers.get('content-type') ?? 'application/octet-stream';
    const response = new Response(counted, { headers: { 'content-type': type, server: SERVER } });
    response.trailers = () => ({ 'x-echo-bytes': String(echoed) });
    return response;
  }
  if (pathname.startsWith('/bytes/') && method === 'GET') {
    const n = Number(pathname.slice('/bytes/'.length));
    const seed = Number(searchParams.get('seed') ?? 0);
    if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 30 || !Number.isSafeInteger(seed)) return text(400, 'N: 0..2^30, seed: an integer\n');
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(n), server: SERVER };
    return new Response(n === 0 ? null : patternStream(n, seed), { headers });
  }
  if (pathname === '/sha256') {
    if (method !== 'POST' && method !== 'PUT') return text(405, 'use POST or PUT\n', { allow: 'POST, PUT' });
    const hash = createHash('sha256');
    let length = 0;
    if (request.body) {
      for await (const chunk of request.body) {
        hash.update(chunk);
        length += chunk.byteLength;
      }
    }
    return text(200, `${hash.digest('hex')} ${length}\n`);
  }
  if (pathname.startsWith('/delay/') && method === 'GET') {
    const ms = Number(pathname.slice('/delay/'.length));
    if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) return text(400, 'MS: 0..60000\n');
    await delay(ms, request.signal);
    return text(200, `waited ${ms} ms\n`);
  }
  return text(404, `no route for ${method} ${pathname}\n`);
}

// ---- sessions --------------------------------------------------------------------------

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'max-concurrent-streams': { type: 'string', default: '100' },
    'initial-window-size': { type: 'string' },
    'connection-window-size': { type: 'string' },
    'idle-timeout': { type: 'string', default: '120000' },
    'close-timeout': { type: 'string', default: '10000' },
    verbose: { type: 'boolean', short: 'v', default: false },
  },
});

function integer(name, value) {
  const n = Number(value);
  if (value === undefined || !Number.isSafeInteger(n) || n < 0) {
    console.error(`server: --${name} needs an integer >= 0, got ${value}`);
    process.exit(2);
  }
  return n;
}

const port = integer('port', args.port);
const secure = args['tls-cert'] !== undefined || args['tls-key'] !== undefined;
if (secure && (args['tls-cert'] === undefined || args['tls-key'] === undefined)) {
  console.error('server: --tls-cert and --tls-key go together');
  process.exit(2);
}
const closeTimeoutMs = integer('close-timeout', args['close-timeout']);
const sessionOptions = {
  maxConcurrentStreams: integer('max-concurrent-streams', args['max-concurrent-streams']),
  idleTimeoutMs: integer('idle-timeout', args['idle-timeout']),
  closeTimeoutMs,
};
if (args['initial-window-size'] !== undefined) sessionOptions.initialWindowSize = integer('initial-window-size', args['initial-window-size']);
if (args['connection-window-size'] !== undefined) sessionOptions.connectionWindowSize = integer('connection-window-size', args['connection-window-size']);

const log = (message) => process.stderr.write(`server: ${message}\n`);
const verbose = args.verbose ? log : () => {};
const sessions = new Set();
const sniffing = new Set();
let connections = 0;
let stopping = false;

const serveOptions = {
  onerror(error, request) {
    const what = request ? `${request.method} ${new URL(request.url).pathname}` : 'a request';
    // A client that resets its stream (a cancelled download, say) is routine.
    if (request?.signal.aborted) verbose(`${what}: the client reset the stream`);
    else log(`error answering ${what}: ${error?.stack ?? error}`);
  },
};

/** Keeps track of a session and reports how it ended. */
function track(session, id, how) {
  sessions.add(session);
  verbose(`#${id} ${how}`);
  session.closed.then((info) => {
    sessions.delete(session);
    const summary = `#${id} closed: ${info.initiator}, code ${info.code}, last stream ${info.lastStreamId}, ${session.stats().streamsTotal} streams`;
    // A client that just closes its socket is routine; anything else is worth a line.
    if (info.error && !(info.error instanceof H2ConnectionLostError)) log(`${summary}: ${info.error.name}: ${info.error.message}`);
    else verbose(info.error ? `${summary} (${info.error.message})` : summary);
  });
}

/** The handler serve() calls: `handle`, with a line per request under -v. */
const handler = args.verbose
  ? async (request, info) => {
      const response = await handle(request);
      log(`stream ${info?.stream.id ?? 1}: ${request.method} ${new URL(request.url).pathname} → ${response.status}`);
      return response;
    }
  : handle;

/** A server session on `socket` (whose first octets were put back): prior knowledge or ALPN h2. */
function startSession(socket, id, how) {
  const session = serve(fromNodeSocket(socket), handler, { ...sessionOptions, ...serveOptions });
  track(session, id, how);
  if (stopping) session.close();
}

/**
 * Reads the first octets of a connection, up to the end of the client preface or of an
 * HTTP/1.1 head, and pauses the socket. Resolves with `{ kind: 'h2' | 'http1' | 'eof' |
 * 'too-large', buffered, headEnd }`.
 */
function sniff(socket) {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const done = (result) => {
      socket.pause();
      socket.off('data', onData).off('end', onEnd);
      resolve({ buffered, ...result });
    };
    const onData = (chunk) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const n = Math.min(buffered.length, PREFACE.length);
      if (buffered.subarray(0, n).equals(PREFACE.subarray(0, n))) {
        if (buffered.length >= PREFACE.length) done({ kind: 'h2' });
        return; // a prefix of the preface: wait for the rest
      }
      const end = buffered.indexOf('\r\n\r\n');
      if (end >= 0) done({ kind: 'http1', headEnd: end + 4 });
      else if (buffered.length > MAX_HEAD) done({ kind: 'too-large' });
    };
    const onEnd = () => done({ kind: 'eof' });
    socket.on('data', onData).on('end', onEnd);
  });
}

/** `{ method, target, version, fields }` of an HTTP/1.1 head (names lowercased). */
function parseHead(head) {
  const [requestLine, ...lines] = head.split('\r\n');
  const [method, target, httpVersion] = requestLine.split(' ');
  const fields = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { method, target, httpVersion, fields };
}

const tokens = (value) => (value ?? '').toLowerCase().split(',').map((t) => t.trim());

/** Answers an HTTP/1.1 request we do not serve, and closes the connection. */
function refuse(socket, status, reason, message) {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nserver: ${SERVER}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Reads `length` octets of a request body: what is in `have`, then from the socket. */
function readBody(socket, have, length) {
  return new Promise((resolve, reject) => {
    let buffered = have;
    const check = () => {
      if (buffered.length < length) return false;
      socket.pause();
      socket.off('data', onData).off('end', onEnd);
      resolve({ body: buffered.subarray(0, length), rest: buffered.subarray(length) });
      return true;
    };
    const onData = (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      check();
    };
    const onEnd = () => reject(new Error('the connection ended inside the request body'));
    if (!check()) {
      socket.on('data', onData).on('end', onEnd);
      socket.resume();
    }
  });
}

const HOP_BY_HOP = new Set(['connection', 'upgrade', 'http2-settings', 'host', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te']);

/** HTTP/1.1 on plain TCP: an h2c upgrade, or a 505. */
async function http1(socket, id, buffered, headEnd) {
  const { method, target, httpVersion, fields } = parseHead(buffered.subarray(0, headEnd - 4).toString('latin1'));
  const get = (name) => fields.filter(([n]) => n === name).map(([, v]) => v);
  const settings = get('http2-settings');
  const upgrade =
    httpVersion === 'HTTP/1.1' &&
    tokens(get('upgrade').join(',')).includes('h2c') &&
    tokens(get('connection').join(',')).includes('upgrade') &&
    tokens(get('connection').join(',')).includes('http2-settings') &&
    settings.length === 1;
  if (!upgrade) {
    verbose(`#${id} HTTP/1.1 ${method} ${target} without an h2c upgrade: 505`);
    refuse(socket, 505, 'HTTP Version Not Supported', 'this server speaks HTTP/2 only: h2c with prior knowledge, Upgrade: h2c, or h2 over TLS');
    return;
  }
  if (get('transfer-encoding').length > 0) {
    verbose(`#${id} h2c upgrade with a chunked body: 505`);
    refuse(socket, 505, 'HTTP Version Not Supported', 'an h2c upgrade request needs a Content-Length body, not a chunked one');
    return;
  }
  const length = Number(get('content-length')[0] ?? 0);
  if (!Number.isSafeInteger(length) || length < 0 || length > MAX_UPGRADE_BODY) {
    refuse(socket, 413, 'Content Too Large', `an h2c upgrade request body may have at most ${MAX_UPGRADE_BODY} octets`);
    return;
  }
  const { body, rest } = await readBody(socket, buffered.subarray(headEnd), length);
  socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
  const authority = get('host')[0];
  const headers = fields.filter(([name]) => !HOP_BY_HOP.has(name));
  const { session, stream } = H2Session.serverFromUpgrade(fromNodeSocket(socket), {
    ...sessionOptions,
    http2Settings: settings[0],
    request: { method, path: target, authority, scheme: 'http', headers },
    head: rest,
  });
  serve(session, handler, serveOptions);
  track(session, id, `h2c upgrade (${method} ${target})`);
  const request = new Request(`http://${authority ?? 'localhost'}${target}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? null : body,
    signal: stream.signal,
  });
  answer(stream, request);
  if (stopping) session.close();
}

/** Answers the upgraded request (stream 1), which serve() does not see. */
async function answer(stream, request) {
  try {
    const response = await handler(request);
    const withBody = request.method !== 'HEAD' && response.body !== null;
    const trailers = typeof response.trailers === 'function' ? response.trailers : null;
    stream.respond(response.status, [...response.headers], { endStream: !withBody });
    if (!withBody) return;
    await response.body.pipeTo(stream.writable, { preventClose: true });
    await stream.end(trailers ? Object.entries(trailers()) : undefined);
  } catch (error) {
    serveOptions.onerror(error, request);
    if (!stream.responded) stream.respond(500, [], { endStream: true });
    else stream.reset(ErrorCodes.INTERNAL_ERROR);
  }
}

async function onConnection(socket) {
  const id = ++connections;
  socket.on('error', (error) => verbose(`#${id} socket error: ${error.message}`));
  if (secure && socket.alpnProtocol === 'h2') {
    startSession(socket, id, `h2 over TLS from ${socket.remoteAddress}`);
    return;
  }
  sniffing.add(socket);
  const { kind, buffered, headEnd } = await sniff(socket);
  sniffing.delete(socket);
  if (kind === 'h2') {
    socket.unshift(buffered);
    startSession(socket, id, `h2c prior knowledge from ${socket.remoteAddress}`);
  } else if (kind === 'http1' && !secure) {
    await http1(socket, id, buffered, headEnd).catch((error) => {
      log(`#${id} upgrade failed: ${error.message}`);
      socket.destroy();
    });
  } else if (kind === 'http1') {
    refuse(socket, 505, 'HTTP Version Not Supported', 'this server speaks HTTP/2 only (ALPN h2)');
  } else if (kind === 'too-large') {
    refuse(socket, 431, 'Request Header Fields Too Large', 'the request head is too large');
  } else {
    socket.end();
  }
}

const server = secure
  ? tls.createServer(
      { key: readFileSync(args['tls-key']), cert: readFileSync(args['tls-cert']), ALPNProtocols: ['h2'], allowHalfOpen: true },
      onConnection,
    )
  : net.createServer({ allowHalfOpen: true, noDelay: true }, onConnection);
server.on('tlsClientError', (error) => verbose(`TLS handshake failed: ${error.message}`));
server.on('error', (error) => {
  log(`cannot listen: ${error.message}`);
  process.exit(1);
});
server.listen(port, args.host, () => {
  const { address, port: actual } = server.address();
  const host = address.includes(':') ? `[${address}]` : address;
  const modes = secure ? 'h2 over TLS, ALPN h2' : 'h2c with prior knowledge, h2c upgrade';
  process.stdout.write(
    `h2wasm example server listening on ${secure ? 'https' : 'http'}://${host}:${actual} (${modes}; MAX_CONCURRENT_STREAMS ${sessionOptions.maxConcurrentStreams})\n`,
  );
});

/** First signal: stop accepting and close every session gracefully; second: exit now. */
async function shutdown(signal) {
  if (stopping) {
    log(`${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  log(`${signal}: closing ${sessions.size} session(s) gracefully`);
  server.close();
  for (const socket of sniffing) socket.destroy();
  await Promise.all([...sessions].map((session) => session.close({ timeoutMs: closeTimeoutMs })));
  log('every session closed');
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
