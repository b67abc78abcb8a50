// The h2wasm client against real HTTP/2 servers over loopback TCP: the Node entry's fetch()
// and connect() against node:http2 (h2c and TLS) and nghttpd (h2c and TLS, serving a temp
// dir), request queueing at a real server's MAX_CONCURRENT_STREAMS, and examples/client.mjs
// (output, frame trace, a PING after the response, exit codes).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import https from 'node:https';
import tls from 'node:tls';
import { join } from 'node:path';
import { connect, fetch } from 'h2wasm';
import { interopTest, patternBytes, requireTools, sha256, within } from './interop_support.mjs';

requireTools();

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const closeServer = (server) => new Promise((resolve) => server.close(resolve));

/**
 * A node:http2 server (h2c, or TLS with `cert`) whose sessions are destroyed after the test:
 * `/echo` echoes with a trailer, anything else answers its path. `onstream` replaces that.
 */
async function nodeServer(t, { cert, settings, onstream } = {}) {
  const server = cert ? http2.createSecureServer({ ...cert, settings }) : http2.createServer({ settings });
  const sessions = new Set();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on(
    'stream',
    onstream ??
      ((stream, headers) => {
        if (headers[':path'] !== '/echo') {
          stream.respond({ ':status': 200, 'x-path': headers[':path'] });
          stream.end(`node:http2 at ${headers[':path']}`);
          return;
        }
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', () => {
          stream.respond({ ':status': 200 }, { waitForTrailers: true });
          stream.on('wantTrailers', () => stream.sendTrailers({ 'x-length': String(Buffer.concat(chunks).length) }));
          stream.end(Buffer.concat(chunks));
        });
      }),
  );
  const port = await listen(server);
  t.after(() => {
    for (const session of sessions) session.destroy();
    return closeServer(server);
  });
  return { server, port, sessions };
}

interopTest('fetch() (Node entry) against node:http2, h2c: GET, POST with trailers; the connection closes after the body', {}, async (t) => {
  const { port, sessions } = await nodeServer(t);
  const base = `http://127.0.0.1:${port}`;
  const get = await fetch(`${base}/hello`);
  assert.equal(get.status, 200);
  assert.equal(get.headers.get('x-path'), '/hello');
  assert.equal(await get.text(), 'node:http2 at /hello');
  await within(get.stream.session.closed, 5_000, 'the session closing after the body');
  assert.equal(get.stream.session.state, 'closed');

  const body = patternBytes(200_000, 1);
  const post = await fetch(`${base}/echo`, { method: 'POST', body });
  assert.equal(sha256(new Uint8Array(await post.arrayBuffer())), sha256(body));
  assert.equal((await post.trailers).get('x-length'), String(body.length));
  const info = await within(post.stream.session.closed, 5_000, 'the session closing');
  assert.deepEqual(info, { initiator: 'local', code: 0, lastStreamId: 0 });
  await within(
    (async () => {
      while (sessions.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
    5_000,
    'the server seeing both connections close',
  );
});

interopTest('fetch() and connect() over TLS (ALPN h2) against node:http2; an untrusted certificate and ALPN without h2 are refused', {}, async (t, interop) => {
  const cert = interop.certificate();
  const { port } = await nodeServer(t, { cert });
  const base = `https://localhost:${port}`;
  const response = await fetch(`${base}/secure`, { connect: { tls: { ca: cert.cert } } });
  assert.equal(await response.text(), 'node:http2 at /secure');
  const session = await connect(base, { tls: { ca: cert.cert } });
  t.after(() => session.destroy());
  const [a, b] = await Promise.all([session.fetch(`${base}/a`), session.fetch(`${base}/b`)]);
  assert.deepEqual([await a.text(), await b.text()], ['node:http2 at /a', 'node:http2 at /b']);
  assert.equal((await session.close()).error, undefined);

  await assert.rejects(fetch(`${base}/untrusted`), (error) => error.code === 'DEPTH_ZERO_SELF_SIGNED_CERT');
  // A TLS server without ALPN: the handshake succeeds, no protocol is picked, connect() refuses.
  const noAlpn = tls.createServer(cert, (socket) => socket.end('HTTP/1.1 505 No\r\n\r\n'));
  const noAlpnPort = await listen(noAlpn);
  t.after(() => closeServer(noAlpn));
  await assert.rejects(fetch(`https://localhost:${noAlpnPort}/`, { connect: { tls: { ca: cert.cert } } }), (error) => error.code === 'ERR_TRANSPORT_ALPN');
  // A server that offers only http/1.1 ends the handshake with the no_application_protocol alert.
  const http1 = https.createServer({ ...cert, ALPNProtocols: ['http/1.1'] }, (req, res) => res.end('http/1.1'));
  const http1Port = await listen(http1);
  t.after(() => closeServer(http1));
  await assert.rejects(fetch(`https://localhost:${http1Port}/`, { connect: { tls: { ca: cert.cert } } }), /no application protocol/);
});

interopTest("requests queue at a real server's MAX_CONCURRENT_STREAMS (node:http2 advertising 5): 60 requests, never more than 5 open", {}, async (t) => {
  let open = 0;
  let peak = 0;
  const { port } = await nodeServer(t, {
    settings: { maxConcurrentStreams: 5 },
    onstream(stream, headers) {
      open++;
      peak = Math.max(peak, open);
      stream.on('close', () => open--);
      setTimeout(() => {
        stream.respond({ ':status': 200 });
        stream.end(headers[':path']);
      }, 5);
    },
  });
  const base = `http://127.0.0.1:${port}`;
  const session = await connect(base);
  t.after(() => session.destroy());
  await session.ready;
  assert.equal(session.remoteSettings.maxConcurrentStreams, 5);
  const responses = Array.from({ length: 60 }, (_, i) => session.fetch(`${base}/${i}`));
  assert.equal(session.stats().queuedRequests, 55);
  const bodies = await within(Promise.all(responses.map((r) => r.then((x) => x.text()))), 20_000, '60 responses');
  assert.deepEqual(bodies, Array.from({ length: 60 }, (_, i) => `/${i}`));
  assert.equal(peak, 5, 'the server saw at most (and at best) 5 streams at once');
  assert.equal(session.stats().streamsTotal, 60);
  await session.close();
});

/** A document root for nghttpd: index.html, and a 2 MB file of pattern bytes. */
function docroot(interop) {
  const dir = interop.tempDir('h2wasm-htdocs-');
  writeFileSync(join(dir, 'index.html'), '<p>served by nghttpd</p>\n');
  mkdirSync(join(dir, 'data'));
  const big = patternBytes(2_000_000, 5);
  writeFileSync(join(dir, 'data', 'big.bin'), big);
  return { dir, big };
}

interopTest('against nghttpd, h2c (--no-tls) and TLS: files, a 2 MB body, an echoed upload, a 404', {}, async (t, interop) => {
  const { dir, big } = docroot(interop);
  const cert = interop.certificate();
  for (const tls of [undefined, cert]) {
    const nghttpd = await interop.nghttpd(dir, { tls, args: ['--echo-upload'] });
    const base = tls ? nghttpd.url.replace('127.0.0.1', 'localhost') : nghttpd.url;
    const session = await connect(base, { tls: { ca: cert.cert } });
    t.after(() => session.destroy());
    const index = await session.fetch(`${base}/index.html`);
    assert.equal(index.status, 200);
    assert.equal(await index.text(), '<p>served by nghttpd</p>\n');
    const file = await session.fetch(`${base}/data/big.bin`);
    assert.equal(sha256(new Uint8Array(await file.arrayBuffer())), sha256(big));
    const upload = patternBytes(500_000, 8);
    const echoed = await session.fetch(`${base}/anything`, { method: 'POST', body: upload });
    assert.equal(echoed.status, 200);
    assert.equal(sha256(new Uint8Array(await echoed.arrayBuffer())), sha256(upload));
    const missing = await session.fetch(`${base}/missing.txt`);
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
    assert.equal((await within(session.close(), 5_000, 'close')).error, undefined, tls ? 'TLS' : 'h2c');
  }
});

// ---- examples/client.mjs

/** The frame lines of client.mjs -v: `[  0.012] send HEADERS       stream=1 length=30 END_HEADERS`. */
const FRAME_LINE = /^\[\s*\d+\.\d{3}\] (send|recv) ([A-Z_]+) +stream=(\d+) length=(\d+)(?: ([A-Z_|0-9x]+))?$/gm;

interopTest('examples/client.mjs against node:http2: status, headers, body, trailers, the -v frame trace; it answers a PING sent after the response', {}, async (t, interop) => {
  let pingAnswered;
  const answered = new Promise((resolve) => (pingAnswered = resolve));
  const { port } = await nodeServer(t, {
    onstream(stream, headers) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const session = stream.session;
        stream.respond({ ':status': 201, 'x-method': headers[':method'], 'x-tag': headers['x-tag'] }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'x-done': 'yes' }));
        stream.end(`got ${Buffer.concat(chunks)}\n`);
        // Once the response is out, the server pings; the client must still be there to answer.
        setTimeout(() => session.ping(Buffer.from('srv-ping'), (error, duration) => pingAnswered({ error, duration })), 50);
      });
    },
  });
  const run = await interop.exampleClient(['-v', '-X', 'PUT', '-d', 'payload', '-H', 'x-tag: seven', `http://127.0.0.1:${port}/thing`]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'HTTP/2 201\nx-method: PUT\nx-tag: seven\ndate: ' + /date: (.*)\n/.exec(run.stdout)?.[1] + '\n\ngot payload\nx-done: yes\n');
  const frames = [...run.stderr.matchAll(FRAME_LINE)].map((m) => `${m[1]} ${m[2]} ${m[3]}${m[5] ? ` ${m[5]}` : ''}`);
  const expected = [
    'send SETTINGS 0',
    'recv SETTINGS 0',
    'send SETTINGS 0 ACK',
    'send HEADERS 1 END_HEADERS',
    'send DATA 1 END_STREAM',
    'recv HEADERS 1 END_HEADERS',
    'recv DATA 1',
    'recv HEADERS 1 END_STREAM|END_HEADERS',
    'recv PING 0', // the server's PING, after the response
    'send PING 0 ACK', // answered
    'send GOAWAY 0',
  ];
  for (const frame of expected) assert.ok(frames.includes(frame), `the trace has "${frame}":\n${run.stderr}`);
  assert.ok(frames.indexOf('recv PING 0') > frames.indexOf('recv HEADERS 1 END_STREAM|END_HEADERS'), 'the PING came after the response');
  assert.match(run.stderr, /peer SETTINGS: .*INITIAL_WINDOW_SIZE=65535/);
  const ping = await within(answered, 5_000, "the server's PING");
  assert.equal(ping.error, null, `the PING was answered: ${ping.error}`);
});

interopTest('examples/client.mjs against nghttpd over TLS (--cacert, --insecure) and h2c; exit codes on failure', {}, async (t, interop) => {
  const { dir } = docroot(interop);
  const cert = interop.certificate();
  const secure = await interop.nghttpd(dir, { tls: cert });
  const url = `${secure.url.replace('127.0.0.1', 'localhost')}/index.html`;
  const trusted = await interop.exampleClient(['--cacert', cert.certFile, url]);
  assert.equal(trusted.code, 0, trusted.stderr);
  assert.match(trusted.stdout, /^HTTP\/2 200\n/);
  assert.match(trusted.stdout, /\n\n<p>served by nghttpd<\/p>\n$/);
  const insecure = await interop.exampleClient(['--insecure', url]);
  assert.equal(insecure.code, 0, insecure.stderr);
  const untrusted = await interop.exampleClient([url]);
  assert.equal(untrusted.code, 1);
  assert.match(untrusted.stderr, /cannot connect .*self[- ]signed/i);

  const plain = await interop.nghttpd(dir);
  const notFound = await interop.exampleClient([`${plain.url}/missing`]);
  assert.equal(notFound.code, 0, 'a complete 404 response is still a complete response');
  assert.match(notFound.stdout, /^HTTP\/2 404\n/);
  const refused = await interop.exampleClient([`http://127.0.0.1:${await closedPort()}/`]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /ECONNREFUSED/);
});

interopTest('examples/client.mjs exits 1 when the stream is reset mid-body', {}, async (t, interop) => {
  const { port } = await nodeServer(t, {
    onstream(stream) {
      stream.on('error', () => {}); // the reset below, as node:http2 reports it
      stream.respond({ ':status': 200 });
      // destroy(error) resets without ending the stream (close(code) would send END_STREAM first).
      stream.write('first part of the body\n', () => setTimeout(() => stream.destroy(new Error('mid-body failure')), 50));
    },
  });
  const run = await interop.exampleClient([`http://127.0.0.1:${port}/`]);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^HTTP\/2 200\n[\s\S]*first part of the body/);
  assert.match(run.stderr, /request failed: H2StreamResetError: stream 1 reset by the peer \(INTERNAL_ERROR\)/);
});

/** A port nothing listens on (a server's, just closed). */
async function closedPort() {
  const server = http2.createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}
