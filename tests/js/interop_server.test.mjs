// Real HTTP/2 clients against examples/server.mjs over loopback TCP: node:http2, nghttp, curl
// (prior knowledge, h2c Upgrade, TLS with ALPN), and an h2load run of 20,000 requests. The
// server is a child process on a free port, killed after each test.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { interopTest, patternBytes, requireTools, sha256, since } from './interop_support.mjs';

const tools = requireTools();

/** A node:http2 request to completion: `{ headers, body, trailers }`. */
function nodeRequest(client, headers, body) {
  return new Promise((resolve, reject) => {
    const request = client.request(headers);
    const chunks = [];
    let head;
    let trailers = {};
    request.on('response', (h) => (head = h));
    request.on('trailers', (h) => (trailers = h));
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => resolve({ headers: head, body: Buffer.concat(chunks), trailers }));
    request.on('error', reject);
    request.end(body);
  });
}

interopTest('a node:http2 client: GET and POST /, POST /echo with trailers, 404, MAX_CONCURRENT_STREAMS advertised', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  const client = http2.connect(server.url);
  t.after(() => client.destroy());
  await new Promise((resolve, reject) => client.once('remoteSettings', resolve).once('error', reject));
  assert.equal(client.remoteSettings.maxConcurrentStreams, 100);

  const get = await nodeRequest(client, { ':path': '/' });
  assert.equal(get.headers[':status'], 200);
  assert.match(get.headers.server, /^h2wasm\//);
  assert.ok(get.body.length >= 5);
  assert.match(get.body.toString(), /^hello from h2wasm/);

  const post = await nodeRequest(client, { ':method': 'POST', ':path': '/' }, 'ignored body');
  assert.equal(post.headers[':status'], 200);
  assert.ok(post.body.length >= 5);

  const body = patternBytes(1_000_000, 3);
  const echo = await nodeRequest(client, { ':method': 'POST', ':path': '/echo', 'content-type': 'application/x-test' }, body);
  assert.equal(echo.headers[':status'], 200);
  assert.equal(echo.headers['content-type'], 'application/x-test');
  assert.equal(sha256(echo.body), sha256(body));
  assert.equal(echo.trailers['x-echo-bytes'], String(body.length));

  const missing = await nodeRequest(client, { ':path': '/nowhere' });
  assert.equal(missing.headers[':status'], 404);
  await new Promise((resolve) => client.close(resolve));
});

interopTest('nghttp: GET / (prior knowledge) shows SETTINGS_MAX_CONCURRENT_STREAMS 100; an upload echoed', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  const get = await interop.run('nghttp', tools.nghttp, ['-v', `${server.url}/`]);
  assert.equal(get.code, 0, get.stderr);
  assert.match(get.stdout, /recv SETTINGS frame[\s\S]*?\[SETTINGS_MAX_CONCURRENT_STREAMS\(0x03\):100\]/);
  assert.match(get.stdout, /recv \(stream_id=\d+\) :status: 200/);
  assert.match(get.stdout, /hello from h2wasm/);

  const file = join(interop.tempDir(), 'upload.bin');
  const body = patternBytes(300_000, 9);
  writeFileSync(file, body);
  const sum = await interop.run('nghttp', tools.nghttp, ['-d', file, `${server.url}/sha256`]);
  assert.equal(sum.code, 0, sum.stderr);
  assert.equal(sum.stdout, `${sha256(body)} ${body.length}\n`);
  // Several requests on one connection.
  const many = await interop.run('nghttp', tools.nghttp, ['-n', '-s', '-m', '50', `${server.url}/`]);
  assert.equal(many.code, 0, many.stderr);
  assert.equal((many.stdout.match(/ 200 /g) ?? []).length, 50, many.stdout);
});

interopTest('curl --http2-prior-knowledge: GET /, POST /echo', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  const get = await interop.run('curl', tools.curl, ['-sS', '-i', '--http2-prior-knowledge', `${server.url}/`]);
  assert.equal(get.code, 0, get.stderr);
  assert.match(get.stdout, /^HTTP\/2 200/);
  assert.match(get.stdout, /hello from h2wasm/);
  const echo = await interop.run('curl', tools.curl, ['-sS', '--http2-prior-knowledge', '--data-binary', 'echo this', `${server.url}/echo`]);
  assert.equal(echo.code, 0, echo.stderr);
  assert.equal(echo.stdout, 'echo this');
});

interopTest('curl --http2 on an http: URL upgrades (101, then HTTP/2), with and without a request body', {}, async (t, interop) => {
  const server = await interop.exampleServer(['-v']);
  const get = await interop.run('curl', tools.curl, ['-sS', '-v', '--http2', `${server.url}/`]);
  assert.equal(get.code, 0, get.stderr);
  assert.match(get.stderr, /Upgrade: h2c/);
  assert.match(get.stderr, /< HTTP\/1\.1 101 Switching Protocols/);
  assert.match(get.stderr, /< HTTP\/2 200/);
  assert.match(get.stdout, /hello from h2wasm/);
  const post = await interop.run('curl', tools.curl, ['-sS', '-v', '--http2', '--data-binary', 'upgraded body', `${server.url}/echo`]);
  assert.equal(post.code, 0, post.stderr);
  assert.match(post.stderr, /< HTTP\/1\.1 101 Switching Protocols/);
  assert.equal(post.stdout, 'upgraded body');
  assert.match(server.child.stderr, /h2c upgrade \(POST \/echo\)/);
});

interopTest('HTTP/1.1 without an upgrade gets 505 and the connection is closed', {}, async (t, interop) => {
  const server = await interop.exampleServer();
  const plain = await interop.run('curl', tools.curl, ['-sS', '-i', '--http1.1', `${server.url}/`]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^HTTP\/1\.1 505 HTTP Version Not Supported/);
  assert.match(plain.stdout, /connection: close/i);
  assert.match(plain.stdout, /HTTP\/2 only/);
  // The server is still serving HTTP/2 afterwards.
  const after = await interop.run('curl', tools.curl, ['-sS', '--http2-prior-knowledge', `${server.url}/`]);
  assert.match(after.stdout, /hello from h2wasm/);
});

interopTest('TLS with ALPN h2: curl, nghttp and node:http2 against --tls-cert/--tls-key', {}, async (t, interop) => {
  const cert = interop.certificate();
  const server = await interop.exampleServer(['--tls-cert', cert.certFile, '--tls-key', cert.keyFile]);
  assert.match(server.url, /^https:/);
  const url = server.url.replace('127.0.0.1', 'localhost');
  const viaCurl = await interop.run('curl', tools.curl, ['-sS', '-i', '--http2', '--cacert', cert.certFile, `${url}/`]);
  assert.equal(viaCurl.code, 0, viaCurl.stderr);
  assert.match(viaCurl.stdout, /^HTTP\/2 200/);
  const echo = await interop.run('curl', tools.curl, ['-sS', '--http2', '--cacert', cert.certFile, '--data-binary', 'over tls', `${url}/echo`]);
  assert.equal(echo.stdout, 'over tls');
  const viaNghttp = await interop.run('nghttp', tools.nghttp, ['-v', `${server.url}/`]);
  assert.equal(viaNghttp.code, 0, viaNghttp.stderr);
  assert.match(viaNghttp.stdout, /negotiated protocol: h2/);
  assert.match(viaNghttp.stdout, /hello from h2wasm/);
  const client = http2.connect(url, { ca: cert.cert });
  t.after(() => client.destroy());
  const viaNode = await nodeRequest(client, { ':path': '/' });
  assert.equal(viaNode.headers[':status'], 200);
  assert.equal(client.alpnProtocol, 'h2');
  await new Promise((resolve) => client.close(resolve));
  // A client that offers only HTTP/1.1 is refused in the handshake (alert no_application_protocol).
  const http11 = await interop.run('curl', tools.curl, ['-sS', '-i', '--http1.1', '--cacert', cert.certFile, `${url}/`]);
  assert.equal(http11.code, 35, `curl: ${http11.stderr}`);
  assert.match(http11.stderr, /no application protocol/);
});

interopTest('h2load -n 20000 -c 10 -m 10: every request succeeds', { timeout: 120_000 }, async (t, interop) => {
  const server = await interop.exampleServer();
  const t0 = performance.now();
  const run = await interop.run('h2load', tools.h2load, ['-n', '20000', '-c', '10', '-m', '10', `${server.url}/`], { timeoutMs: 110_000 });
  const ms = since(t0);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const requests = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(run.stdout);
  assert.ok(requests, `no requests line in:\n${run.stdout}`);
  const [, total, , done, succeeded, failed, errored, timedOut] = requests.map(Number);
  assert.deepEqual({ total, done, succeeded, failed, errored, timedOut }, { total: 20000, done: 20000, succeeded: 20000, failed: 0, errored: 0, timedOut: 0 });
  assert.match(run.stdout, /status codes: 20000 2xx, 0 3xx, 0 4xx, 0 5xx/);
  const finished = /finished in ([\d.]+\w+), ([\d.]+) req\/s/.exec(run.stdout);
  t.diagnostic(`h2load against examples/server.mjs: ${finished?.[1]}, ${finished?.[2]} req/s (${ms} ms with start-up)`);
});
