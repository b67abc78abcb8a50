// H2Session against node:http2 over real TCP sockets (127.0.0.1), both roles, through
// `fromWebStreams(Duplex.toWeb(socket))`: bodies larger than the windows, trailers, PING,
// graceful close. Node only (the interop step of scripts/test.sh).
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { Duplex } from 'node:stream';
import { test } from 'node:test';
import { fromWebStreams, H2Session, serve } from 'h2wasm';

const body = new Uint8Array(300_000).map((_, i) => (i * 13) & 0xff);
const tcp = (socket) => fromWebStreams({ ...Duplex.toWeb(socket), halfClose: true });
const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

test('an H2Session client against a node:http2 server', async (t) => {
  const server = http2.createServer();
  t.after(() => server.close());
  server.on('stream', (stream, headers) => {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'x-path': headers[':path'], 'x-tag': headers['x-tag'] }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-length': String(Buffer.concat(chunks).length) }));
      stream.end(Buffer.concat(chunks));
    });
  });
  const port = await listen(server);
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const client = H2Session.client(tcp(socket));
  t.after(() => client.destroy());
  await client.ready;
  const response = await client.fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body, headers: { 'x-tag': 'interop' } });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-path'), '/echo');
  assert.equal(response.headers.get('x-tag'), 'interop');
  assert.deepEqual(new Uint8Array(await response.arrayBuffer()), body);
  assert.equal((await response.trailers).get('x-length'), String(body.length));
  assert.ok((await client.ping()) >= 0);
  assert.deepEqual(await client.close(), { initiator: 'local', code: 0, lastStreamId: 0 });
});

test('a node:http2 client against an H2Session server (serve)', async (t) => {
  const sessions = [];
  const server = net.createServer((socket) => {
    sessions.push(
      serve(tcp(socket), async (request) => {
        const data = new Uint8Array(await request.arrayBuffer());
        const response = new Response(data, { headers: { 'x-received': String(data.length) } });
        response.trailers = { 'x-done': 'yes' };
        return response;
      }),
    );
  });
  t.after(() => server.close());
  const port = await listen(server);
  const client = http2.connect(`http://127.0.0.1:${port}`);
  t.after(() => client.destroy());
  const request = client.request({ ':method': 'POST', ':path': '/upload' });
  request.end(Buffer.from(body));
  const chunks = [];
  let headers;
  let trailers;
  request.on('response', (h) => (headers = h));
  request.on('trailers', (h) => (trailers = h));
  request.on('data', (c) => chunks.push(c));
  await new Promise((resolve, reject) => request.on('end', resolve).on('error', reject));
  assert.equal(headers[':status'], 200);
  assert.equal(headers['x-received'], String(body.length));
  assert.deepEqual(new Uint8Array(Buffer.concat(chunks)), body);
  assert.equal(trailers['x-done'], 'yes');
  client.close();
  const info = await sessions[0].closed;
  assert.equal(info.initiator, 'remote');
  assert.equal(info.error, undefined);
});
