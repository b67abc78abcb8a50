// Interop with Node's own HTTP/2 implementation (node:http2, nghttp2 underneath) on loopback
// TCP, h2c with prior knowledge: the h2wasm client engine against a node:http2 server, and
// a node:http2 client against the h2wasm server engine. Several concurrent streams, request
// and response bodies larger than the default 65,535-octet window, trailers both ways, and a
// clean GOAWAY at the end.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { H2Connection } from 'h2wasm';
import { pump } from '../../examples/lib/pump.mjs';

const STREAMS = 4;
const BODY = 1_000_000;
const TIMEOUT_MS = 30_000;

/** Deterministic body bytes that differ per `seed`. */
function body(seed, length = BODY) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

/** The octet count and SHA-256 of a body received in chunks. */
function digest(chunks) {
  const hash = createHash('sha256');
  let length = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    length += chunk.length;
  }
  return `${length}:${hash.digest('hex')}`;
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('h2wasm client engine → node:http2 server', () => {
  let server;
  let port;
  const serverSide = { requests: [], goaways: [] };
  let result;

  before(async () => {
    // An echo server: the response body is the request body, followed by trailers that
    // report what the server saw.
    server = http2.createServer();
    server.on('session', (session) => session.on('goaway', (code, lastStreamId) => serverSide.goaways.push({ code, lastStreamId })));
    server.on('stream', (stream, headers) => {
      const chunks = [];
      let trailers = null;
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('trailers', (t) => (trailers = t));
      stream.on('end', () => {
        serverSide.requests.push({ path: headers[':path'], method: headers[':method'], digest: digest(chunks), trailers });
        stream.respond({ ':status': 200, 'x-path': headers[':path'] }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'x-request-digest': digest(chunks), 'x-request-trailer': trailers?.['x-request-trailer'] ?? 'none' }));
        stream.end(Buffer.concat(chunks));
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;

    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const conn = new H2Connection();
    const responses = new Map();
    const events = [];
    let ended = 0;
    const link = pump(socket, conn, {
      onEvents(batch) {
        for (const e of batch) {
          events.push(e.type);
          const r = responses.get(e.streamId);
          switch (e.type) {
            case 'ResponseReceived':
              r.headers = e.headers;
              break;
            case 'DataReceived':
              r.chunks.push(e.data);
              conn.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
              break;
            case 'TrailersReceived':
              r.trailers = e.headers;
              break;
            case 'StreamEnded':
              r.ended = true;
              if (++ended === STREAMS) {
                conn.closeConnection();
                link.end();
              }
              break;
          }
        }
      },
    });
    conn.initiateConnection();
    for (let i = 0; i < STREAMS; i++) {
      const id = conn.getNextAvailableStreamId();
      conn.sendHeaders(id, [
        [':method', 'POST'],
        [':path', `/echo/${id}`],
        [':scheme', 'http'],
        [':authority', `127.0.0.1:${port}`],
      ]);
      responses.set(id, { sent: body(id), chunks: [], headers: null, trailers: null, ended: false });
      link.outbox.send(id, body(id), { trailers: [['x-request-trailer', `from-${id}`]] });
    }
    link.flush();
    await withTimeout(link.closed, 'the exchange');
    result = { responses, events, conn };
  });

  after(async () => {
    result?.conn.free();
    await new Promise((resolve) => server?.close(resolve));
  });

  test(`the server received ${STREAMS} concurrent 1 MB request bodies and their trailers`, () => {
    assert.equal(serverSide.requests.length, STREAMS);
    for (const r of serverSide.requests) {
      const id = Number(r.path.split('/').pop());
      assert.equal(r.method, 'POST');
      assert.equal(r.digest, digest([body(id)]));
      assert.equal(r.trailers['x-request-trailer'], `from-${id}`);
    }
  });

  test('the client received each 1 MB response body, acknowledging it as consumed', () => {
    assert.equal(result.responses.size, STREAMS);
    for (const [id, r] of result.responses) {
      assert.ok(r.ended, `stream ${id} ended`);
      assert.deepEqual(r.headers.slice(0, 2), [
        [':status', '200'],
        ['x-path', `/echo/${id}`],
      ]);
      assert.equal(digest(r.chunks), digest([body(id)]));
    }
    assert.ok(result.events.filter((t) => t === 'DataReceived').length >= (STREAMS * BODY) / 16_384);
    // 4 MB arrived through a 65,535-octet connection window: it was reopened as data was
    // acknowledged, and is open again at the end.
    assert.ok(result.conn.inboundFlowControlWindow > 32_767, `${result.conn.inboundFlowControlWindow}`);
  });

  test('the client received the response trailers', () => {
    for (const [id, r] of result.responses) {
      assert.deepEqual(r.trailers, [
        ['x-request-digest', digest([body(id)])],
        ['x-request-trailer', `from-${id}`],
      ]);
    }
  });

  test('the client ended with a GOAWAY (NO_ERROR) that the server saw', () => {
    assert.deepEqual(serverSide.goaways[0], { code: 0, lastStreamId: 0 });
    assert.equal(result.conn.state, 'Closed');
  });
});

describe('node:http2 client → h2wasm server engine', () => {
  let server;
  let client;
  const serverSide = { requests: [], events: [], closed: null };
  let results;
  let goaway;

  before(async () => {
    // The h2wasm echo server: once a request has ended, it answers with the request body
    // and trailers reporting what it saw. After the last response it sends GOAWAY.
    server = net.createServer((socket) => {
      const conn = new H2Connection({ clientSide: false });
      const streams = new Map();
      let closing = false;
      const link = pump(socket, conn, {
        onEvents(batch) {
          for (const e of batch) {
            serverSide.events.push(e.type);
            switch (e.type) {
              case 'RequestReceived':
                streams.set(e.streamId, { headers: new Map(e.headers.map(([n, v]) => [n, v])), chunks: [], trailers: null });
                break;
              case 'DataReceived':
                streams.get(e.streamId).chunks.push(e.data);
                conn.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
                break;
              case 'TrailersReceived':
                streams.get(e.streamId).trailers = new Map(e.headers.map(([n, v]) => [n, v]));
                break;
              case 'StreamEnded': {
                const s = streams.get(e.streamId);
                streams.delete(e.streamId);
                const received = digest(s.chunks);
                serverSide.requests.push({ streamId: e.streamId, path: s.headers.get(':path'), digest: received, trailers: s.trailers });
                conn.sendHeaders(e.streamId, [[':status', '200'], ['x-path', s.headers.get(':path')]]);
                const echo = new Uint8Array(s.chunks.reduce((n, c) => n + c.length, 0));
                let at = 0;
                for (const c of s.chunks) {
                  echo.set(c, at);
                  at += c.length;
                }
                link.outbox.send(e.streamId, echo, {
                  trailers: [
                    ['x-request-digest', received],
                    ['x-request-trailer', s.trailers?.get('x-request-trailer') ?? 'none'],
                  ],
                });
                break;
              }
            }
          }
        },
        onWrite() {
          // Once every response has been handed to the engine, end with GOAWAY.
          if (!closing && serverSide.requests.length === STREAMS && link.outbox.pending === 0) {
            closing = true;
            conn.closeConnection();
            link.end();
          }
        },
      });
      conn.initiateConnection();
      link.flush();
      serverSide.closed = link.closed.then(
        () => conn.free(),
        (error) => {
          conn.free();
          throw error;
        },
      );
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();

    client = http2.connect(`http://127.0.0.1:${port}`);
    const goawaySeen = new Promise((resolve) => client.once('goaway', (code, lastStreamId) => resolve({ code, lastStreamId })));
    const closed = new Promise((resolve) => client.once('close', resolve));
    client.on('error', () => {}); // reported through the streams
    const requests = Array.from(
      { length: STREAMS },
      (_, i) =>
        new Promise((resolve, reject) => {
          const req = client.request({ ':method': 'PUT', ':path': `/echo/${i}` }, { waitForTrailers: true });
          req.on('wantTrailers', () => req.sendTrailers({ 'x-request-trailer': `from-${i}` }));
          const chunks = [];
          let headers;
          let trailers;
          req.on('response', (h) => (headers = h));
          req.on('trailers', (t) => (trailers = t));
          req.on('data', (chunk) => chunks.push(chunk));
          req.on('end', () => resolve({ i, headers, trailers, digest: digest(chunks) }));
          req.on('error', reject);
          req.end(body(i));
        }),
    );
    results = await withTimeout(Promise.all(requests), 'the requests');
    goaway = await withTimeout(goawaySeen, 'the GOAWAY');
    client.close();
    await withTimeout(closed, 'the client session close');
    await withTimeout(serverSide.closed, 'the server socket close');
  });

  after(async () => {
    client?.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  test(`the server engine received ${STREAMS} concurrent 1 MB request bodies and their trailers`, () => {
    assert.equal(serverSide.requests.length, STREAMS);
    for (const r of serverSide.requests) {
      const i = Number(r.path.split('/').pop());
      assert.equal(r.digest, digest([body(i)]));
      assert.equal(r.trailers.get('x-request-trailer'), `from-${i}`);
    }
    assert.deepEqual(
      serverSide.requests.map((r) => r.streamId).sort((a, b) => a - b),
      [1, 3, 5, 7],
    );
  });

  test('the node:http2 client received each 1 MB response body and the trailers', () => {
    for (const r of results) {
      assert.equal(r.headers[':status'], 200);
      assert.equal(r.headers['x-path'], `/echo/${r.i}`);
      assert.equal(r.digest, digest([body(r.i)]));
      assert.equal(r.trailers['x-request-digest'], digest([body(r.i)]));
      assert.equal(r.trailers['x-request-trailer'], `from-${r.i}`);
    }
  });

  test('the node:http2 client’s window updates reached the server engine', () => {
    assert.ok(serverSide.events.filter((t) => t === 'WindowUpdated').length > 10);
  });

  test('the server engine ended with a GOAWAY (NO_ERROR, last stream 7) that the client saw', () => {
    assert.deepEqual(goaway, { code: 0, lastStreamId: 7 });
  });
});
