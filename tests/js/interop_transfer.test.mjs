// Large bodies and many streams over loopback TCP, with real peers: 10 MB each way under
// small flow-control windows (16 KiB per stream, 64 KiB for the connection, on the side that
// receives), verified by SHA-256, between the h2wasm client, examples/server.mjs, node:http2,
// nghttpd and nghttp; then 100 concurrent streams, and 100 requests queued at a server that
// allows 10.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { connect } from 'h2wasm';
import { hashStream, interopTest, patternBytes, requireTools, sha256, since, within } from './interop_support.mjs';

const tools = requireTools();

const MB10 = 10 * 1024 * 1024;
const STREAM_WINDOW = 16 * 1024;
const CONNECTION_WINDOW = 64 * 1024;
/** The small windows, as session options, examples/server.mjs flags, and nghttp2 bits (2^N - 1). */
const smallWindows = { initialWindowSize: STREAM_WINDOW, connectionWindowSize: CONNECTION_WINDOW };
const serverFlags = ['--initial-window-size', String(STREAM_WINDOW), '--connection-window-size', String(CONNECTION_WINDOW)];
const nghttpBits = ['-w', '14', '-W', '16'];

let cached;
/** 10 MB of pattern bytes (seed 7) and their hash, made once. */
function tenMegabytes() {
  cached ??= (() => {
    const bytes = patternBytes(MB10, 7);
    return { bytes, hash: sha256(bytes) };
  })();
  return cached;
}

/**
 * A node:http2 request to completion, the body hashed as it arrives. A request body is
 * streamed in 64 KiB pieces with backpressure: handed over whole, 10 MB would count against
 * node:http2's maxSessionMemory (10 MB), and node would refuse the response headers with
 * RST_STREAM(ENHANCE_YOUR_CALM).
 */
function nodeRequest(client, headers, body) {
  return new Promise((resolve, reject) => {
    const request = client.request(headers);
    let head;
    request.on('response', (h) => (head = h));
    request.on('error', reject);
    hashStream(request).then((result) => resolve({ headers: head, ...result }), reject);
    if (body === undefined) {
      request.end();
      return;
    }
    const pieces = function* () {
      for (let at = 0; at < body.length; at += 65_536) yield body.subarray(at, at + 65_536);
    };
    Readable.from(pieces()).pipe(request);
  });
}

interopTest('10 MB each way between the h2wasm client and examples/server.mjs, 16 KiB / 64 KiB windows on both sides', { timeout: 120_000 }, async (t, interop) => {
  const { bytes, hash } = tenMegabytes();
  const server = await interop.exampleServer(serverFlags);
  const session = await connect(server.url, smallWindows);
  t.after(() => session.destroy());
  await session.ready;
  assert.equal(session.remoteSettings.initialWindowSize, STREAM_WINDOW, "the server's stream window");

  let t0 = performance.now();
  const upload = await session.fetch(`${server.url}/sha256`, { method: 'POST', body: bytes });
  assert.equal(await upload.text(), `${hash} ${MB10}\n`);
  const uploadMs = since(t0);
  // Our smaller window binds once the server acknowledged it (a second SETTINGS: docs/session.md).
  assert.equal(session.localSettings.initialWindowSize, STREAM_WINDOW, "the client's stream window");

  t0 = performance.now();
  const download = await session.fetch(`${server.url}/bytes/${MB10}?seed=7`);
  assert.equal(download.headers.get('content-length'), String(MB10));
  const got = await hashStream(download.body);
  assert.deepEqual([got.hash, got.length], [hash, MB10]);
  const downloadMs = since(t0);

  t0 = performance.now();
  const echo = await session.fetch(`${server.url}/echo`, { method: 'POST', body: bytes });
  const echoed = await hashStream(echo.body);
  assert.deepEqual([echoed.hash, echoed.length], [hash, MB10]);
  assert.equal((await echo.trailers).get('x-echo-bytes'), String(MB10));
  const echoMs = since(t0);
  t.diagnostic(`h2wasm ↔ h2wasm, 16 KiB windows: upload ${uploadMs} ms, download ${downloadMs} ms, echo (both ways at once) ${echoMs} ms`);
  assert.equal((await session.close()).error, undefined);
});

interopTest('10 MB each way between the h2wasm client and node:http2, 16 KiB / 64 KiB windows', { timeout: 120_000 }, async (t) => {
  const { bytes, hash } = tenMegabytes();
  const server = http2.createServer({ settings: { initialWindowSize: STREAM_WINDOW } });
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200 });
    stream.pipe(stream); // echo, under both sides' flow control
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const base = `http://127.0.0.1:${server.address().port}`;
  const session = await connect(base, smallWindows);
  t.after(() => session.destroy());
  const t0 = performance.now();
  const echo = await session.fetch(`${base}/echo`, { method: 'POST', body: bytes });
  const echoed = await hashStream(echo.body);
  assert.deepEqual([echoed.hash, echoed.length], [hash, MB10]);
  assert.equal(session.remoteSettings.initialWindowSize, STREAM_WINDOW);
  t.diagnostic(`h2wasm client ↔ node:http2 echo of 10 MB: ${since(t0)} ms`);
  await session.close();
});

interopTest('10 MB each way between the h2wasm client and nghttpd (-w 14 -W 16): a file down, an echoed upload', { timeout: 120_000 }, async (t, interop) => {
  const { bytes, hash } = tenMegabytes();
  const dir = interop.tempDir('h2wasm-htdocs-');
  writeFileSync(join(dir, 'ten.bin'), bytes);
  const nghttpd = await interop.nghttpd(dir, { args: [...nghttpBits, '--echo-upload'] });
  const session = await connect(nghttpd.url, smallWindows);
  t.after(() => session.destroy());
  let t0 = performance.now();
  const file = await session.fetch(`${nghttpd.url}/ten.bin`);
  const got = await hashStream(file.body);
  assert.deepEqual([got.hash, got.length], [hash, MB10]);
  const downMs = since(t0);
  t0 = performance.now();
  const echo = await session.fetch(`${nghttpd.url}/upload`, { method: 'PUT', body: bytes });
  const echoed = await hashStream(echo.body);
  assert.deepEqual([echoed.hash, echoed.length], [hash, MB10]);
  assert.equal(session.remoteSettings.initialWindowSize, 2 ** 14 - 1);
  t.diagnostic(`h2wasm client ↔ nghttpd: download ${downMs} ms, echo ${since(t0)} ms`);
  await session.close();
});

interopTest('10 MB each way between nghttp / node:http2 clients (16 KiB windows) and examples/server.mjs (16 KiB windows)', { timeout: 120_000 }, async (t, interop) => {
  const { bytes, hash } = tenMegabytes();
  const server = await interop.exampleServer(serverFlags);
  const dir = interop.tempDir();
  const file = join(dir, 'upload.bin');
  writeFileSync(file, bytes);
  let t0 = performance.now();
  const up = await interop.run('nghttp', tools.nghttp, [...nghttpBits, '-d', file, `${server.url}/sha256`]);
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, `${hash} ${MB10}\n`);
  const upMs = since(t0);
  t0 = performance.now();
  const down = await interop.run('nghttp', tools.nghttp, [...nghttpBits, `${server.url}/bytes/${MB10}?seed=7`]);
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual([sha256(down.stdoutBytes), down.stdoutBytes.length], [hash, MB10]);
  const downMs = since(t0);

  const client = http2.connect(server.url, { settings: { initialWindowSize: STREAM_WINDOW } });
  t.after(() => client.destroy());
  t0 = performance.now();
  const echo = await nodeRequest(client, { ':method': 'POST', ':path': '/echo' }, bytes);
  assert.equal(echo.headers[':status'], 200);
  assert.deepEqual([echo.hash, echo.length], [hash, MB10]);
  t.diagnostic(`nghttp → examples/server.mjs: upload ${upMs} ms, download ${downMs} ms; node:http2 echo ${since(t0)} ms`);
  await new Promise((resolve) => client.close(resolve));
});

interopTest('100 concurrent streams: the h2wasm client and node:http2 against examples/server.mjs, the h2wasm client against nghttpd', { timeout: 120_000 }, async (t, interop) => {
  const server = await interop.exampleServer();
  const session = await connect(server.url);
  t.after(() => session.destroy());
  await session.ready;
  const bodies = Array.from({ length: 100 }, (_, i) => patternBytes(50_000 + i, i));
  const responses = bodies.map((body) => session.fetch(`${server.url}/echo`, { method: 'POST', body }));
  assert.equal(session.stats().streamsOpen, 100, 'all 100 streams open at once');
  assert.equal(session.stats().queuedRequests, 0);
  const results = await within(Promise.all(responses.map((r) => r.then((x) => hashStream(x.body)))), 60_000, '100 echoes');
  results.forEach((result, i) => assert.equal(result.hash, sha256(bodies[i]), `stream ${i}`));
  await session.close();

  const client = http2.connect(server.url);
  t.after(() => client.destroy());
  const downloads = await within(
    Promise.all(Array.from({ length: 100 }, (_, i) => nodeRequest(client, { ':path': `/bytes/${30_000 + i}?seed=${i}` }))),
    60_000,
    '100 node:http2 downloads',
  );
  downloads.forEach((d, i) => assert.equal(d.hash, sha256(patternBytes(30_000 + i, i)), `download ${i}`));
  await new Promise((resolve) => client.close(resolve));

  const dir = interop.tempDir('h2wasm-htdocs-');
  const files = Array.from({ length: 100 }, (_, i) => patternBytes(20_000 + i, 100 + i));
  files.forEach((bytes, i) => writeFileSync(join(dir, `f${i}`), bytes));
  const nghttpd = await interop.nghttpd(dir);
  const toNghttpd = await connect(nghttpd.url);
  t.after(() => toNghttpd.destroy());
  const got = await within(
    Promise.all(files.map((_, i) => toNghttpd.fetch(`${nghttpd.url}/f${i}`).then((r) => hashStream(r.body)))),
    60_000,
    '100 files from nghttpd',
  );
  got.forEach((g, i) => assert.equal(g.hash, sha256(files[i]), `file ${i}`));
  await toNghttpd.close();
});

interopTest('100 requests against examples/server.mjs --max-concurrent-streams 10: 90 wait, never more than 10 open, all answered', { timeout: 60_000 }, async (t, interop) => {
  const server = await interop.exampleServer(['--max-concurrent-streams', '10']);
  const session = await connect(server.url);
  t.after(() => session.destroy());
  await session.ready;
  assert.equal(session.remoteSettings.maxConcurrentStreams, 10);
  let peak = 0;
  const responses = Array.from({ length: 100 }, (_, i) =>
    session.fetch(`${server.url}/bytes/${1000 + i}?seed=${i}`).then(async (response) => {
      peak = Math.max(peak, session.stats().streamsOpen);
      return hashStream(response.body);
    }),
  );
  assert.equal(session.stats().streamsOpen, 10);
  assert.equal(session.stats().queuedRequests, 90);
  const results = await within(Promise.all(responses), 30_000, '100 responses');
  results.forEach((r, i) => assert.equal(r.hash, sha256(patternBytes(1000 + i, i)), `response ${i}`));
  assert.ok(peak <= 10, `at most 10 streams open, saw ${peak}`);
  assert.equal(session.stats().streamsTotal, 100);
  await session.close();
});
