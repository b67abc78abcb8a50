// The fetch-style API (session.fetch and serve) and what Duck's defect 11 lost: repeated
// request fields, response trailers, informational (1xx) responses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { H2Session, memoryTransportPair, serve } from 'h2wasm';
import { pattern, readAll, req, sessionPair, settle } from './session_support.mjs';

const text = (bytes) => new TextDecoder().decode(bytes);

/** A ReadableStream of `chunks`, one per pull. */
function streamOf(chunks) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
  });
}

async function fetchPair(t, handler, serveOptions = {}) {
  const [a, b] = memoryTransportPair();
  const server = serve(b, handler, serveOptions);
  const client = H2Session.client(a);
  t.after(() => Promise.all([client.destroy(), server.destroy()]));
  await client.ready;
  return { client, server };
}

test('fetch() and serve(): streamed bodies both ways, trailers, status and headers', async (t) => {
  const { client } = await fetchPair(t, async (request, info) => {
    assert.equal(request.method, 'POST');
    assert.equal(request.url, 'http://example.test/echo?x=1');
    assert.equal(request.headers.get('x-client'), 'h2wasm');
    const body = new Uint8Array(await request.arrayBuffer());
    assert.equal(await info.trailers, null, 'fetch sends no request trailers');
    const halves = [body.subarray(0, body.length >> 1), body.subarray(body.length >> 1)];
    const response = new Response(streamOf(halves), { status: 201, headers: { 'content-type': 'application/octet-stream', 'x-length': String(body.length) } });
    response.trailers = Promise.resolve({ 'x-checksum': String(body.reduce((a, b) => (a + b) % 65_521, 0)) });
    return response;
  });
  const upload = pattern(200_000, 5); // more than a window each way
  const chunks = [upload.subarray(0, 70_000), upload.subarray(70_000, 140_000), upload.subarray(140_000)];
  const response = await client.fetch('http://example.test/echo?x=1', {
    method: 'POST',
    headers: { 'x-client': 'h2wasm' },
    body: streamOf(chunks),
  });
  assert.ok(response instanceof Response);
  assert.equal(response.status, 201);
  assert.equal(response.headers.get('x-length'), '200000');
  assert.equal(response.url, 'http://example.test/echo?x=1');
  assert.deepEqual(response.rawHeaders, [['content-type', 'application/octet-stream'], ['x-length', '200000']]);
  const echoed = new Uint8Array(await response.arrayBuffer());
  assert.deepEqual(echoed, upload);
  const trailers = await response.trailers;
  assert.ok(trailers instanceof Headers);
  assert.equal(trailers.get('x-checksum'), String(upload.reduce((a, b) => (a + b) % 65_521, 0)));
});

test('a response without trailers gives empty trailers; HEAD and 204 have no body', async (t) => {
  const { client } = await fetchPair(t, (request) => {
    if (request.url.endsWith('/empty')) return new Response(null, { status: 204 });
    return new Response('hello', { headers: { 'content-type': 'text/plain' } });
  });
  const plain = await client.fetch('http://example.test/');
  assert.equal(await plain.text(), 'hello');
  assert.equal(plain.trailers, plain.trailers, 'one promise');
  assert.equal([...(await plain.trailers)].length, 0);
  const head = await client.fetch('http://example.test/', { method: 'HEAD' });
  assert.equal(head.body, null);
  assert.equal(head.headers.get('content-type'), 'text/plain');
  const empty = await client.fetch('http://example.test/empty');
  assert.equal(empty.status, 204);
  assert.equal(empty.body, null);
});

test('a handler that throws gets a 500, and onerror sees the error', async (t) => {
  const seen = [];
  const bug = new Error('handler bug');
  const { client } = await fetchPair(
    t,
    () => {
      throw bug;
    },
    { onerror: (error) => seen.push(error) },
  );
  const response = await client.fetch('http://example.test/');
  assert.equal(response.status, 500);
  assert.deepEqual(seen, [bug]);
});

test('serve() answers CONNECT with 501 unless onconnect handles it', async (t) => {
  const { client } = await fetchPair(t, () => new Response('never'));
  const stream = client.request([[':method', 'CONNECT'], [':authority', 'example.test:443']]);
  assert.equal((await stream.response).status, 501);
});

test('Duck #11: repeated request fields are kept, in order, at every level', async (t) => {
  let raw;
  let joined;
  let streamHeaders;
  const { client } = await fetchPair(t, (request, info) => {
    raw = info.rawHeaders;
    streamHeaders = info.stream.request.headers;
    joined = request.headers.get('x-tag');
    return new Response(null, { status: 204 });
  });
  const stream = client.request(req('/', 'GET', [['x-tag', 'one'], ['accept', '*/*'], ['x-tag', 'two'], ['x-tag', 'three']]));
  await stream.response;
  assert.deepEqual(raw, [['x-tag', 'one'], ['accept', '*/*'], ['x-tag', 'two'], ['x-tag', 'three']]);
  assert.equal(streamHeaders, raw);
  assert.equal(joined, 'one, two, three');
});

test('Duck #11: response trailers and informational (1xx) responses reach the client', async (t) => {
  const { client } = await sessionPair({
    after: t,
    server: {
      async onstream(stream) {
        stream.informational(103, [['link', '</style.css>; rel=preload']]);
        stream.informational(100);
        stream.respond(200, [['content-type', 'text/plain']]);
        await stream.write('body');
        await stream.end([['grpc-status', '0'], ['x-note', 'done']]);
      },
    },
  });
  const informational = [];
  const stream = client.request(req('/'));
  stream.oninformational = (info) => informational.push(info);
  const response = await stream.response;
  assert.deepEqual(response, { status: 200, headers: [['content-type', 'text/plain']] });
  assert.equal(text(await readAll(stream.readable)), 'body');
  assert.deepEqual(await stream.trailers, [['grpc-status', '0'], ['x-note', 'done']]);
  await settle();
  assert.deepEqual(informational, [
    { status: 103, headers: [['link', '</style.css>; rel=preload']] },
    { status: 100, headers: [] },
  ]);
});

test('fetch() with an aborted signal resets the stream and rejects with the reason', async (t) => {
  let serverStream;
  const { client } = await fetchPair(t, (request, info) => {
    serverStream = info.stream;
    return new Promise(() => {}); // never answers
  });
  const controller = new AbortController();
  const pending = client.fetch('http://example.test/slow', { signal: controller.signal });
  await settle();
  const reason = new Error('user left');
  controller.abort(reason);
  await assert.rejects(pending, (e) => e === reason);
  await settle();
  assert.ok(serverStream.signal.aborted, 'the server saw the reset');
});

test('serve(): a Response body that fails resets the stream with CANCEL, and onerror sees the failure', async (t) => {
  const seen = [];
  const failure = new Error('body source broke');
  let serverStream;
  const { client } = await fetchPair(
    t,
    (request, info) => {
      serverStream = info.stream;
      let pulls = 0;
      const body = new ReadableStream({
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(new TextEncoder().encode('first part'));
          else controller.error(failure);
        },
      });
      return new Response(body);
    },
    { onerror: (error) => seen.push(error) },
  );
  const stream = client.request(req('/'));
  assert.equal((await stream.response).status, 200);
  await assert.rejects(readAll(stream.readable), (e) => e.code === 8 && e.initiator === 'remote'); // CANCEL
  await settle();
  assert.deepEqual(seen, [failure]);
  assert.equal(serverStream.signal.reason.cause, failure);
});

test('serve(): a client that resets mid-response cancels the Response body with the reset', async (t) => {
  let cancelled;
  let serverStream;
  const { client } = await fetchPair(t, (request, info) => {
    serverStream = info.stream;
    const body = new ReadableStream({
      pull(controller) {
        controller.enqueue(new Uint8Array(16_384)); // more than the client's window, in time
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    return new Response(body);
  });
  const stream = client.request(req('/'));
  await stream.response;
  stream.reset();
  await settle();
  assert.ok(serverStream.signal.aborted);
  assert.equal(cancelled, serverStream.signal.reason);
});
