// The WebSocket adapters in headless Chromium: the page (transports_browser_entry.mjs, bundled
// with the `browser` condition and served from 127.0.0.1) opens the browser's own WebSocket
// and WebSocketStream to ws bridges in this process, which lead over TCP to a node:http2
// server, an echo server and a sink. HTTP/2 GETs with the bare engine, echoes, and write
// backpressure against the paused sink.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { installedPackageDir, serveStatic } from './support.mjs';
import { pattern, withTimeout } from './transport_helpers.mjs';
import { echo, startBridge, startH2Server, startServer } from './transport_servers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const consumer = join(here, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const PAGE_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

let workdir;
let staticServer;
let browser;
let tab;
const peers = [];
let sink; // the TCP sink of the backpressure test: its sockets, paused until resumed
const sinkSockets = [];
let h2Port;
let answer;
const problems = [];

before(async () => {
  workdir = mkdtempSync(join(consumer, '.chromium-transports-'));
  await build({
    entryPoints: [join(here, 'transports_browser_entry.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(workdir, 'app.js'),
    logLevel: 'warning',
  });
  mkdirSync(join(workdir, 'wasm'));
  copyFileSync(join(installedPackageDir(), 'js/dist/wasm/h2wasm_bg.wasm'), join(workdir, 'wasm/h2wasm_bg.wasm'));
  writeFileSync(
    join(workdir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>transports</title>\n<script type="module" src="app.js"></script>\n',
  );

  const h2Server = await startH2Server(pattern(300_000, 14));
  h2Port = h2Server.port;
  const echoServer = await startServer(echo);
  const received = [];
  sink = await startServer((socket) => {
    socket.pause();
    sinkSockets.push(socket);
    socket.on('data', (chunk) => received.push(chunk.length));
  });
  sink.received = () => received.reduce((a, b) => a + b, 0);
  const h2Bridge = await startBridge(h2Server.port);
  const echoBridge = await startBridge(echoServer.port);
  const sinkBridge = await startBridge(sink.port);
  peers.push(h2Bridge, echoBridge, sinkBridge, h2Server, echoServer, sink);

  staticServer = await serveStatic(consumer);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  tab = await browser.newPage();
  tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  tab.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  const query = new URLSearchParams({
    h2: h2Bridge.url,
    echo: echoBridge.url,
    sink: sinkBridge.url,
    authority: `127.0.0.1:${h2Server.port}`,
  });
  await tab.goto(`${staticServer.url}/${relative(consumer, workdir)}/index.html?${query}`);
  await tab.waitForFunction(() => globalThis.transportResults !== undefined, null, { timeout: PAGE_TIMEOUT_MS });
  answer = await tab.evaluate(() => globalThis.transportResults);
});

after(async () => {
  await browser?.close();
  await staticServer?.close();
  for (const peer of peers) await peer.close();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

function result(name) {
  const r = answer.results.find((x) => x.name === name);
  if (!r) throw new Error(`no result named ${name}`);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

test('the page ran in headless Chromium without errors', () => {
  assert.match(answer.userAgent, /HeadlessChrome\//);
  assert.deepEqual(problems, []);
});

test('WebSocket: the bare engine GETs /hello from node:http2 through the bridge', () => {
  const value = result('WebSocket: GET /hello');
  assert.equal(value.status, 200);
  assert.equal(value.body, 'hello from node:http2 at /hello\n');
  assert.equal(value.engineState, 'Closed');
  assert.deepEqual(value.capabilities, { halfClose: false, readBackpressure: false });
  assert.deepEqual(value.closed, { code: 1000, reason: '' });
});

test('WebSocket: a 300 kB response body (over the initial window) arrives intact', () => {
  assert.deepEqual(result('WebSocket: GET /big (300 kB)'), { status: 200, length: 300_000 });
});

test('WebSocket: 2 MB echoed byte for byte in chunks of 1 octet to 100 KB', () => {
  assert.deepEqual(result('WebSocket: 2 MB echo'), { echoed: 2 * MB, closed: { code: 1000, reason: '' } });
});

test('WebSocketStream: GET /big through fromWebSocketStream', (t) => {
  if (!answer.hasStream) return t.skip('this Chromium has no WebSocketStream');
  assert.deepEqual(result('WebSocketStream: GET /big (300 kB)'), {
    status: 200,
    length: 300_000,
    capabilities: { halfClose: false, readBackpressure: false },
  });
});

test('WebSocketStream: 2 MB echoed byte for byte', (t) => {
  if (!answer.hasStream) return t.skip('this Chromium has no WebSocketStream');
  const value = result('WebSocketStream: 2 MB echo');
  assert.equal(value.echoed, 2 * MB);
  assert.equal(value.closed.closeCode, 1000);
});

test('WebSocket write backpressure: writes wait while bufferedAmount is over the mark, then finish', async () => {
  const highWaterMark = 256 * 1024;
  const first = await withTimeout(
    tab.evaluate((hwm) => globalThis.backpressure.start(hwm), highWaterMark),
    60_000,
    'writing until a write waits',
  );
  assert.ok(first.stalled, `no write waited after ${first.written} octets`);
  assert.ok(first.bufferedAmount > highWaterMark, `bufferedAmount ${first.bufferedAmount} while a write waits`);
  const before = sink.received();
  assert.ok(before < first.written, 'the sink read everything although it was paused');
  for (const socket of sinkSockets) socket.resume();
  const written = await withTimeout(tab.evaluate(() => globalThis.backpressure.finish()), 60_000, 'the writes');
  const deadline = Date.now() + 20_000;
  while (sink.received() < written && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(sink.received(), written);
});
