// Resets and GOAWAY in mid-flight, over loopback TCP with real peers: a client cancelling a
// stream mid-body (the peer sees CANCEL, the connection goes on), examples/server.mjs closing
// gracefully on SIGTERM while requests are under way (they complete), a server that dies or
// destroys its session (streams fail with H2ConnectionLostError / H2GoAwayError), and a peer
// GOAWAY whose last-stream-id leaves requests unprocessed (retryable errors, and the retry on
// a new connection succeeds).
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { connect, ErrorCodes, H2ConnectionLostError, H2GoAwayError, H2RefusedStreamError, H2SessionClosingError, H2StreamResetError } from 'h2wasm';
import { hashStream, interopTest, patternBytes, requireTools, sha256, within } from './interop_support.mjs';

requireTools();

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

/** A node:http2 h2c server whose sessions are destroyed after the test. */
async function nodeServer(t, onstream, options = {}) {
  const server = http2.createServer(options);
  const sessions = new Set();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
    session.on('error', () => {});
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    onstream(stream, headers);
  });
  const port = await listen(server);
  t.after(() => {
    for (const session of sessions) session.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${port}`, sessions };
}

/** Reads the first chunk of a body, then cancels the rest. */
async function readOneChunkThenCancel(body) {
  const reader = body.getReader();
  const { value } = await reader.read();
  await reader.cancel(new Error('enough'));
  return value.length;
}

interopTest('the h2wasm client cancels a stream mid-body: node:http2 sees CANCEL, examples/server.mjs carries on', {}, async (t, interop) => {
  let rstCode;
  const closedStream = new Promise((resolve) => {
    rstCode = resolve;
  });
  const node = await nodeServer(t, (stream, headers) => {
    stream.respond({ ':status': 200 });
    if (headers[':path'] !== '/endless') {
      stream.end('small');
      return;
    }
    stream.on('close', () => rstCode(stream.rstCode));
    const chunk = Buffer.alloc(16_384, 1);
    const pump = () => {
      while (!stream.destroyed && stream.write(chunk));
      if (!stream.destroyed) stream.once('drain', pump);
    };
    pump();
  });
  const toNode = await connect(node.url);
  t.after(() => toNode.destroy());
  const endless = await toNode.fetch(`${node.url}/endless`);
  assert.ok((await readOneChunkThenCancel(endless.body)) > 0);
  assert.equal(await within(closedStream, 5_000, 'node:http2 seeing the reset'), http2.constants.NGHTTP2_CANCEL);
  assert.equal(toNode.stats().resetsSent, 1);
  assert.equal(await (await toNode.fetch(`${node.url}/after`)).text(), 'small', 'the connection goes on');
  await toNode.close();

  const server = await interop.exampleServer(['-v']);
  const session = await connect(server.url);
  t.after(() => session.destroy());
  const big = await session.fetch(`${server.url}/bytes/${10 * 1024 * 1024}`);
  await readOneChunkThenCancel(big.body);
  await assert.rejects(big.stream.closed, (error) => error.code === ErrorCodes.CANCEL);
  await server.child.waitForOutput(/GET \/bytes\/10485760: the client reset the stream/);
  assert.match(await (await session.fetch(`${server.url}/`)).text(), /hello from h2wasm/);
  assert.equal((await session.close()).error, undefined);
});

interopTest('a node:http2 client cancels a download from examples/server.mjs mid-body; the next request on the connection works', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  const client = http2.connect(server.url);
  t.after(() => client.destroy());
  const request = client.request({ ':path': `/bytes/${10 * 1024 * 1024}` });
  request.on('error', () => {});
  await new Promise((resolve) => request.once('data', resolve));
  request.close(http2.constants.NGHTTP2_CANCEL);
  await new Promise((resolve) => request.once('close', resolve));
  const next = client.request({ ':path': '/' });
  const body = await new Promise((resolve, reject) => {
    let text = '';
    next.setEncoding('utf8').on('data', (s) => (text += s)).on('end', () => resolve(text)).on('error', reject);
  });
  assert.match(body, /hello from h2wasm/);
  await new Promise((resolve) => client.close(resolve));
});

interopTest('SIGTERM closes examples/server.mjs gracefully: requests under way complete, new ones are refused, the server exits 0', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  let gotGoaway;
  const goawayArrived = new Promise((resolve) => (gotGoaway = resolve));
  const session = await connect(server.url, { ongoaway: (info) => gotGoaway(info) });
  t.after(() => session.destroy());
  const upload = patternBytes(1_000_000, 4);
  const slow = [300, 400, 500].map((ms) => session.fetch(`${server.url}/delay/${ms}`));
  const echo = session.fetch(`${server.url}/echo`, { method: 'POST', body: upload });
  // Frames arrive in order: once this answer is back, the server has the requests above.
  await (await session.fetch(`${server.url}/delay/0`)).text();
  server.child.proc.kill('SIGTERM');
  const goaway = await within(goawayArrived, 5_000, 'the GOAWAY');
  assert.equal(goaway.code, ErrorCodes.NO_ERROR);
  assert.equal(session.state, 'closing');
  assert.throws(() => session.request([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/']]), H2SessionClosingError);
  const texts = await Promise.all(slow.map((r) => r.then((x) => x.text())));
  assert.deepEqual(texts, ['waited 300 ms\n', 'waited 400 ms\n', 'waited 500 ms\n']);
  const echoed = await hashStream((await echo).body);
  assert.equal(echoed.hash, sha256(upload));
  const info = await within(session.closed, 10_000, 'the session closing');
  assert.equal(info.error, undefined, `a clean end: ${info.error}`);
  assert.equal(info.initiator, 'remote');
  const exit = await within(server.child.exit, 10_000, 'the server exiting');
  assert.equal(exit.code, 0);
  assert.match(server.child.stderr, /SIGTERM: closing 1 session\(s\) gracefully/);
  assert.match(server.child.stderr, /every session closed/);
});

interopTest('SIGTERM with a node:http2 client: it gets GOAWAY, its requests under way complete', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  const client = http2.connect(server.url);
  t.after(() => client.destroy());
  const goaway = new Promise((resolve) => client.once('goaway', (code, lastStreamId) => resolve({ code, lastStreamId })));
  const get = (path) =>
    new Promise((resolve, reject) => {
      const request = client.request({ ':path': path });
      let text = '';
      let status;
      request.on('response', (h) => (status = h[':status']));
      request.setEncoding('utf8').on('data', (s) => (text += s)).on('end', () => resolve({ status, text })).on('error', reject);
    });
  const slow = [get('/delay/300'), get('/delay/400')];
  await get('/delay/0');
  server.child.proc.kill('SIGTERM');
  assert.equal((await within(goaway, 5_000, 'the GOAWAY')).code, http2.constants.NGHTTP2_NO_ERROR);
  assert.deepEqual(await Promise.all(slow), [
    { status: 200, text: 'waited 300 ms\n' },
    { status: 200, text: 'waited 400 ms\n' },
  ]);
  assert.equal((await within(server.child.exit, 10_000, 'the server exiting')).code, 0);
});

interopTest('a server that dies (SIGKILL) fails the streams under way with H2ConnectionLostError', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  const session = await connect(server.url);
  t.after(() => session.destroy());
  const pending = [session.fetch(`${server.url}/delay/5000`), session.fetch(`${server.url}/delay/5000`)];
  await (await session.fetch(`${server.url}/delay/0`)).text();
  server.child.proc.kill('SIGKILL');
  for (const request of pending) await assert.rejects(request, H2ConnectionLostError);
  const info = await within(session.closed, 5_000, 'the session ending');
  assert.equal(info.initiator, 'transport');
  assert.ok(info.error instanceof H2ConnectionLostError);
  assert.throws(() => session.request([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/']]), H2SessionClosingError);
});

interopTest('a node:http2 server destroying its session: one stream fails with its RST_STREAM, the other with its GOAWAY', {}, async (t) => {
  const held = [];
  const node = await nodeServer(t, (stream) => {
    held.push(stream);
    // node:http2 resets stream 1 with the code, then sends GOAWAY(code) for the rest.
    if (held.length === 2) stream.session.destroy(new Error('server failure'), http2.constants.NGHTTP2_INTERNAL_ERROR);
  });
  const session = await connect(node.url);
  t.after(() => session.destroy());
  const [first, second] = await Promise.allSettled([session.fetch(`${node.url}/a`), session.fetch(`${node.url}/b`)]);
  assert.ok(first.reason instanceof H2StreamResetError, `stream 1: ${first.reason}`);
  assert.deepEqual([first.reason.code, first.reason.streamId, first.reason.initiator, first.reason.retryable], [ErrorCodes.INTERNAL_ERROR, 1, 'remote', false]);
  assert.ok(second.reason instanceof H2GoAwayError, `stream 3: ${second.reason}`);
  assert.deepEqual([second.reason.code, second.reason.retryable], [ErrorCodes.INTERNAL_ERROR, false]);
  const info = await within(session.closed, 5_000, 'the session ending');
  assert.deepEqual([info.initiator, info.code], ['remote', ErrorCodes.INTERNAL_ERROR]);
  assert.ok(info.error instanceof H2GoAwayError);
});

interopTest('a node:http2 server sending GOAWAY(INTERNAL_ERROR) fails the streams under way with H2GoAwayError', {}, async (t) => {
  const held = [];
  const node = await nodeServer(t, (stream) => {
    held.push(stream);
    if (held.length === 2) stream.session.goaway(http2.constants.NGHTTP2_INTERNAL_ERROR, 3, Buffer.from('going down'));
  });
  const session = await connect(node.url);
  t.after(() => session.destroy());
  const results = await Promise.allSettled([session.fetch(`${node.url}/a`), session.fetch(`${node.url}/b`)]);
  for (const result of results) {
    assert.equal(result.status, 'rejected');
    assert.ok(result.reason instanceof H2GoAwayError, `got ${result.reason}`);
    assert.deepEqual([result.reason.code, result.reason.lastStreamId, result.reason.retryable], [ErrorCodes.INTERNAL_ERROR, 3, false]);
    assert.equal(new TextDecoder().decode(result.reason.debugData), 'going down');
  }
  const info = await within(session.closed, 5_000, 'the session ending');
  assert.deepEqual([info.initiator, info.code, info.lastStreamId], ['remote', ErrorCodes.INTERNAL_ERROR, 3]);
  assert.ok(info.error instanceof H2GoAwayError);
});

interopTest("a peer GOAWAY with a low last-stream-id: the unprocessed requests fail retryable (refused, or never sent), and succeed on a new connection", {}, async (t) => {
  const streams = [];
  const node = await nodeServer(
    t,
    (stream, headers) => {
      streams.push({ stream, path: headers[':path'] });
      if (streams.length < 3) return;
      // Three streams (1, 3, 5) are in; the server will process only stream 1.
      stream.session.goaway(http2.constants.NGHTTP2_NO_ERROR, 1);
      const first = streams.find((s) => s.stream.id === 1).stream;
      first.respond({ ':status': 200 });
      first.end('only /0 was processed');
    },
    { settings: { maxConcurrentStreams: 3 } },
  );
  const session = await connect(node.url);
  t.after(() => session.destroy());
  await session.ready;
  const paths = ['/0', '/1', '/2', '/3', '/4'];
  const results = await Promise.allSettled(paths.map((path) => session.fetch(`${node.url}${path}`).then((r) => r.text())));
  assert.deepEqual(results[0], { status: 'fulfilled', value: 'only /0 was processed' });
  for (const i of [1, 2]) {
    const error = results[i].reason;
    assert.ok(error instanceof H2RefusedStreamError, `${paths[i]}: ${error}`);
    assert.equal(error.retryable, true);
    assert.equal(error.code, ErrorCodes.REFUSED_STREAM);
    assert.equal(error.streamId, 2 * i + 1);
  }
  for (const i of [3, 4]) {
    const error = results[i].reason;
    assert.ok(error instanceof H2SessionClosingError, `${paths[i]} (queued, never sent): ${error}`);
    assert.equal(error.retryable, true);
  }
  assert.equal((await within(session.closed, 5_000, 'the session ending')).error, undefined);

  // What failed retryably is retried on a new connection, to a server that answers.
  const answering = await nodeServer(t, (stream, headers) => {
    stream.respond({ ':status': 200 });
    stream.end(`retried ${headers[':path']}`);
  });
  const retry = await connect(answering.url);
  t.after(() => retry.destroy());
  const retried = await Promise.all([1, 2, 3, 4].map((i) => retry.fetch(`${answering.url}${paths[i]}`).then((r) => r.text())));
  assert.deepEqual(retried, ['retried /1', 'retried /2', 'retried /3', 'retried /4']);
  await retry.close();
});
