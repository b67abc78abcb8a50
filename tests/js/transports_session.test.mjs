// H2Session over the transport adapters, against node:http2 (the interop step): a client over
// connectNode with TLS and ALPN h2, a client over fromWebSocket through a ws bridge (h2c in
// a WebSocket tunnel), and a node:http2 client against an H2Session server over
// fromNodeSocket. Each ends with a graceful close.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { test } from 'node:test';
import { connectNode, fromNodeSocket, fromWebSocket, H2Session, serve } from 'h2wasm';
import { WebSocket } from 'ws';
import { assertSameBytes, pattern, withTimeout } from './transport_helpers.mjs';
import { selfSignedCert, startBridge, startH2Server } from './transport_servers.mjs';

const T = { timeout: 30_000 };
const body = pattern(300_000, 51);
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

/** A node:http2 stream handler that answers with the request body and its length. */
function echoStream(stream, headers) {
  const chunks = [];
  stream.on('data', (c) => chunks.push(c));
  stream.on('end', () => {
    const data = Buffer.concat(chunks);
    stream.respond({ ':status': 200, 'x-path': headers[':path'], 'x-length': String(data.length) });
    stream.end(data);
  });
}

test('H2Session client over connectNode (TLS, ALPN h2) to a node:http2 secure server', T, async (t) => {
  const cert = selfSignedCert();
  const server = http2.createSecureServer({ ...cert });
  server.on('stream', echoStream);
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const port = await listen(server);
  const transport = await connectNode({ host: '127.0.0.1', port, tls: true, servername: 'localhost', ca: cert.cert });
  assert.equal(transport.info.alpn, 'h2');
  const client = H2Session.client(transport);
  t.after(() => client.destroy());
  const response = await withTimeout(
    client.fetch(`https://localhost:${port}/echo`, { method: 'POST', body }),
    10_000,
    'the request',
  );
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-length'), String(body.length));
  assertSameBytes(new Uint8Array(await response.arrayBuffer()), body, 'the echoed body');
  assert.deepEqual(await withTimeout(client.close(), 10_000, 'close()'), { initiator: 'local', code: 0, lastStreamId: 0 });
  await withTimeout(transport.closed, 5_000, 'the transport closing');
});

test('H2Session client over fromWebSocket, through a ws bridge, to a node:http2 h2c server', T, async (t) => {
  const h2Server = await startH2Server(body);
  const bridge = await startBridge(h2Server.port);
  t.after(async () => {
    await bridge.close();
    await h2Server.close();
  });
  const transport = fromWebSocket(new WebSocket(bridge.url), { maxBufferedBytes: 16 << 20 });
  const client = H2Session.client(transport);
  t.after(() => client.destroy());
  const response = await withTimeout(client.fetch(`http://127.0.0.1:${h2Server.port}/big`), 10_000, 'the request');
  assert.equal(response.status, 200);
  assertSameBytes(new Uint8Array(await response.arrayBuffer()), body, 'the body');
  const hello = await client.fetch(`http://127.0.0.1:${h2Server.port}/hello`);
  assert.equal(await hello.text(), 'hello from node:http2 at /hello\n');
  assert.deepEqual(await withTimeout(client.close(), 10_000, 'close()'), { initiator: 'local', code: 0, lastStreamId: 0 });
  assert.deepEqual(await withTimeout(transport.closed, 5_000, 'the transport closing'), { code: 1000, reason: '' });
});

test('a node:http2 client against an H2Session server over fromNodeSocket', T, async (t) => {
  const sessions = [];
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sessions.push(
      serve(fromNodeSocket(socket), async (request) => {
        const data = new Uint8Array(await request.arrayBuffer());
        return new Response(data, { headers: { 'x-received': String(data.length) } });
      }),
    );
  });
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const port = await listen(server);
  const client = http2.connect(`http://127.0.0.1:${port}`);
  t.after(() => client.destroy());
  const request = client.request({ ':method': 'POST', ':path': '/upload' });
  request.end(Buffer.from(body));
  const chunks = [];
  let headers;
  request.on('response', (h) => (headers = h));
  request.on('data', (c) => chunks.push(c));
  await withTimeout(new Promise((resolve, reject) => request.on('end', resolve).on('error', reject)), 10_000, 'the response');
  assert.equal(headers[':status'], 200);
  assert.equal(headers['x-received'], String(body.length));
  assertSameBytes(new Uint8Array(Buffer.concat(chunks)), body, 'the echoed body');
  client.close();
  const info = await withTimeout(sessions[0].closed, 10_000, 'the server session closing');
  assert.equal(info.initiator, 'remote');
  assert.equal(info.error, undefined);
});
