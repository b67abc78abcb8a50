// The h2wasm demo, in Node: an HTTP/2 server running on the h2wasm engine (127.0.0.1, h2c
// with prior knowledge), a client on the h2wasm engine fetching from it, then the same
// client fetching from a node:http2 server. Each exchange is printed frame by frame, as the
// client's engine saw it (its frame trace), with the events it reported.
//
//   node examples/demo.mjs          (after `node scripts/build.mjs`; scripts/demo.sh does both)
import http2 from 'node:http2';
import net from 'node:net';
import {
  errorCodeName,
  H2Connection,
  settingName,
  version,
} from 'h2wasm';
import { flagText, frameTypeName } from './lib/frame_names.mjs';
import { pump } from './lib/pump.mjs';

// 80,010 octets: more than the 65,535-octet default window, so the trace shows flow control.
const ECHO_BODY = new TextEncoder().encode('h2wasm '.repeat(11_430));

// ---- the h2wasm server -----------------------------------------------------------------

/**
 * Serves two routes on one socket: GET /hello answers with a short text, POST /echo answers
 * with the request body and trailers giving its length and the request's trailers.
 */
function h2wasmServer(socket) {
  const conn = new H2Connection({ clientSide: false });
  const streams = new Map();
  const link = pump(socket, conn, {
    onEvents(events) {
      for (const e of events) {
        switch (e.type) {
          case 'RequestReceived':
            streams.set(e.streamId, { headers: Object.fromEntries(e.headers), chunks: [], trailers: [] });
            break;
          case 'DataReceived':
            streams.get(e.streamId).chunks.push(e.data);
            conn.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
            break;
          case 'TrailersReceived':
            streams.get(e.streamId).trailers = e.headers;
            break;
          case 'StreamEnded':
            respond(e.streamId, streams.get(e.streamId));
            streams.delete(e.streamId);
            break;
          case 'ConnectionTerminated':
            link.end();
            break;
        }
      }
    },
  });

  function respond(streamId, { headers, chunks, trailers }) {
    const path = headers[':path'];
    if (headers[':method'] === 'GET' && path === '/hello') {
      conn.sendHeaders(streamId, [[':status', '200'], ['content-type', 'text/plain'], ['server', `h2wasm/${version()}`]]);
      conn.sendData(streamId, 'hello from the h2wasm engine\n', { endStream: true });
    } else if (headers[':method'] === 'POST' && path === '/echo') {
      const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      chunks.reduce((at, c) => (body.set(c, at), at + c.length), 0);
      conn.sendHeaders(streamId, [[':status', '200'], ['content-type', headers['content-type'] ?? 'application/octet-stream']]);
      link.outbox.send(streamId, body, { trailers: [['x-echo-length', String(body.length)], ...trailers] });
    } else {
      conn.sendHeaders(streamId, [[':status', '404']], { endStream: true });
    }
  }

  conn.initiateConnection();
  link.flush();
  link.closed.catch((error) => console.error(`h2wasm server: ${error.message}`)).finally(() => conn.free());
}

// ---- the node:http2 server -------------------------------------------------------------

function nodeServer() {
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    if (headers[':method'] === 'GET' && headers[':path'] === '/hello') {
      stream.respond({ ':status': 200, 'content-type': 'text/plain' });
      stream.end('hello from node:http2\n');
      return;
    }
    const chunks = [];
    let requestTrailers = {};
    stream.on('data', (c) => chunks.push(c));
    stream.on('trailers', (t) => (requestTrailers = Object.fromEntries(Object.entries(t))));
    stream.on('end', () => {
      const body = Buffer.concat(chunks);
      stream.respond({ ':status': 200, 'content-type': headers['content-type'] }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-echo-length': String(body.length), ...requestTrailers }));
      stream.end(body);
    });
  });
  return server;
}

// ---- the trace -------------------------------------------------------------------------

function frameLine(entry) {
  const arrow = entry.direction === 'out' ? '→' : '←';
  const name = frameTypeName(entry.type).padEnd(13);
  const stream = `stream ${entry.streamId}`.padEnd(9);
  const length = `${entry.length} octets`.padEnd(13);
  return `  ${arrow} ${name} ${stream} ${length} ${flagText(entry.type, entry.flags)}`.trimEnd();
}

const headerText = (headers) => headers.map(([n, v]) => `${n}: ${v}`).join(', ');
const settingsText = (changed) =>
  changed.length === 0 ? '(none changed)' : changed.map((c) => `${settingName(c.setting) ?? c.setting}=${c.newValue}`).join(', ');

function eventLine(e) {
  const detail = {
    RequestReceived: () => `stream ${e.streamId}: ${headerText(e.headers)}`,
    ResponseReceived: () => `stream ${e.streamId}: ${headerText(e.headers)}`,
    TrailersReceived: () => `stream ${e.streamId}: ${headerText(e.headers)}`,
    DataReceived: () => `stream ${e.streamId}: ${e.data.length} octets${e.streamEnded ? ' (END_STREAM)' : ''}`,
    WindowUpdated: () => `stream ${e.streamId}: +${e.delta}`,
    RemoteSettingsChanged: () => settingsText(e.changedSettings),
    SettingsAcknowledged: () => settingsText(e.changedSettings),
    StreamEnded: () => `stream ${e.streamId}`,
    StreamReset: () => `stream ${e.streamId}: ${errorCodeName(e.errorCode) ?? e.errorCode}`,
    ConnectionTerminated: () => `${errorCodeName(e.errorCode) ?? e.errorCode}, last stream ${e.lastStreamId}`,
  }[e.type];
  return `      • ${e.type}${detail ? ` ${detail()}` : ''}`;
}

// ---- the client ------------------------------------------------------------------------

/**
 * Fetches GET /hello and POST /echo (with a body and trailers) concurrently over one
 * connection to 127.0.0.1:port, printing every frame and event; then sends GOAWAY.
 */
async function fetchBoth(port, title) {
  console.log(`\n=== ${title} (127.0.0.1:${port})\n`);
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const conn = new H2Connection({ frameTrace: true });
  const results = new Map();
  const printTrace = () => conn.takeFrameTrace().forEach((t) => console.log(frameLine(t)));

  const link = pump(socket, conn, {
    onEvents(events) {
      printTrace();
      for (const e of events) {
        console.log(eventLine(e));
        const r = results.get(e.streamId);
        if (e.type === 'ResponseReceived') r.status = e.headers.find(([n]) => n === ':status')[1];
        if (e.type === 'DataReceived') {
          r.body.push(e.data);
          conn.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
        }
        if (e.type === 'TrailersReceived') r.trailers = e.headers;
        if (e.type === 'StreamEnded') {
          r.done = true;
          if ([...results.values()].every((x) => x.done)) conn.closeConnection();
        }
      }
    },
    onWrite(bytes) {
      if (bytes[0] === 0x50 && bytes[1] === 0x52 && bytes[2] === 0x49) console.log('  → PRI * HTTP/2.0 connection preface (24 octets)');
      printTrace();
      if (conn.state === 'Closed') link.end();
    },
  });

  conn.initiateConnection();
  const authority = `127.0.0.1:${port}`;
  const hello = conn.getNextAvailableStreamId();
  conn.sendHeaders(hello, [[':method', 'GET'], [':path', '/hello'], [':scheme', 'http'], [':authority', authority]], { endStream: true });
  results.set(hello, { path: '/hello', body: [], done: false });
  const echo = conn.getNextAvailableStreamId();
  conn.sendHeaders(echo, [[':method', 'POST'], [':path', '/echo'], [':scheme', 'http'], [':authority', authority], ['content-type', 'text/plain']]);
  results.set(echo, { path: '/echo', body: [], done: false });
  link.outbox.send(echo, ECHO_BODY, { trailers: [['x-request-note', 'sent as trailers']] });
  link.flush();
  await link.closed;

  console.log('\n  result:');
  for (const [id, r] of results) {
    const body = Buffer.concat(r.body);
    const shown = body.length > 40 ? `${body.length} octets` : JSON.stringify(body.toString());
    console.log(`    stream ${id} ${r.path}: ${r.status}, body ${shown}${r.trailers ? `, trailers ${headerText(r.trailers)}` : ''}`);
  }
  conn.free();
  return results;
}

// ---- main ------------------------------------------------------------------------------

console.log(`h2wasm ${version()} in Node ${process.version}: frame-by-frame traces from the client's side`);
console.log('(→ sent by the client, ← received; • events the client engine reported)');

const ours = net.createServer(h2wasmServer);
await new Promise((resolve) => ours.listen(0, '127.0.0.1', resolve));
const theirs = nodeServer();
await new Promise((resolve) => theirs.listen(0, '127.0.0.1', resolve));

const fromOurs = await fetchBoth(ours.address().port, 'h2wasm client → h2wasm server');
const fromTheirs = await fetchBoth(theirs.address().port, 'h2wasm client → node:http2 server');

ours.close();
theirs.close();
const ok = [fromOurs, fromTheirs].every((results) =>
  [...results.values()].every((r) => r.done && r.status === '200') &&
  Buffer.concat(results.get(3).body).equals(Buffer.from(ECHO_BODY)),
);
console.log(`\n${ok ? 'both exchanges completed' : 'an exchange FAILED'}`);
process.exitCode = ok ? 0 : 1;
