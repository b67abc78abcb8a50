#!/usr/bin/env node
// The engine through WebAssembly, in Node, measured with the scenarios of
// ../shared/bench/python_h2_baseline.py (as bench/engine.rs runs them natively), printed
// side by side with the native figures; then what crossing between JavaScript and
// WebAssembly costs, per call, per event and per byte; and the shipped sizes.
//
//   node bench/js_bench.mjs [--quick] [--repeat N] [--no-native]
//
// Needs js/dist (node scripts/build.mjs). Unless --no-native, it also runs
// `cargo bench --bench engine -- --repeat N [--quick] --json FILE` for the native column.
// A benchmark, not a test: it asserts only that each scenario completed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { H2Connection, SettingCodes } from 'h2wasm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const native = !args.includes('--no-native');
const repeat = Number(args[args.indexOf('--repeat') + 1]) || 5;
const q = quick ? 10 : 1;
const MB = 1_000_000;

const REQUEST = [
  [':method', 'GET'],
  [':path', '/index.html'],
  [':scheme', 'https'],
  [':authority', 'example.com'],
  ['user-agent', 'bench/1.0'],
];
const RESPONSE = [
  [':status', '200'],
  ['content-type', 'text/plain'],
  ['content-length', '13'],
];
const BODY = new TextEncoder().encode('hello, world\n');
const UPLOAD = [
  [':method', 'POST'],
  [':path', '/upload'],
  [':scheme', 'https'],
  [':authority', 'example.com'],
];

function pump(from, to) {
  const bytes = from.dataToSend();
  return bytes.length === 0 ? [] : to.receiveData(bytes);
}

function pair(serverSettings) {
  const cli = new H2Connection({ clientSide: true });
  const srv = new H2Connection({ clientSide: false });
  cli.initiateConnection();
  srv.initiateConnection();
  if (serverSettings) srv.updateSettings(serverSettings);
  pump(cli, srv);
  pump(srv, cli);
  pump(cli, srv);
  pump(srv, cli);
  return [cli, srv];
}

function serve(srv, events) {
  for (const e of events) {
    if (e.type === 'RequestReceived') {
      srv.sendHeaders(e.streamId, RESPONSE);
      srv.sendData(e.streamId, BODY, true);
    }
  }
}

function consume(cli, events) {
  let done = 0;
  for (const e of events) {
    if (e.type === 'DataReceived') cli.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
    else if (e.type === 'StreamEnded') done++;
  }
  return done;
}

function check(condition, what) {
  if (!condition) throw new Error(`scenario did not complete: ${what}`);
}

/** a1: n GETs, one at a time. */
function getSequential(n) {
  const [cli, srv] = pair();
  let done = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    cli.sendHeaders(cli.getNextAvailableStreamId(), REQUEST, true);
    serve(srv, pump(cli, srv));
    done += consume(cli, pump(srv, cli));
    pump(cli, srv);
  }
  const dt = (performance.now() - t0) / 1000;
  check(done === n, `${done} of ${n}`);
  cli.free();
  srv.free();
  return dt;
}

/** a2: n GETs in waves of 100 concurrent streams. */
function getConcurrent(n) {
  const [cli, srv] = pair();
  let done = 0;
  const t0 = performance.now();
  while (done < n) {
    for (let i = 0; i < Math.min(100, n - done); i++) cli.sendHeaders(cli.getNextAvailableStreamId(), REQUEST, true);
    serve(srv, pump(cli, srv));
    done += consume(cli, pump(srv, cli));
    pump(cli, srv);
  }
  const dt = (performance.now() - t0) / 1000;
  check(done === n, `${done} of ${n}`);
  cli.free();
  srv.free();
  return dt;
}

/** b1/b2: upload `total` octets on one stream. */
function upload(total, serverSettings, connIncrement) {
  const [cli, srv] = pair(serverSettings);
  if (connIncrement) {
    srv.incrementFlowControlWindow(connIncrement);
    pump(srv, cli);
  }
  const chunk = new Uint8Array(1 << 24);
  cli.sendHeaders(1, UPLOAD);
  let sent = 0;
  let received = 0;
  const t0 = performance.now();
  while (received < total) {
    while (sent < total) {
      const room = Math.min(cli.localFlowControlWindow(1), cli.maxOutboundFrameSize, total - sent);
      if (room <= 0) break;
      cli.sendData(1, chunk.subarray(0, room), sent + room === total);
      sent += room;
    }
    for (const e of pump(cli, srv)) {
      if (e.type === 'DataReceived') {
        received += e.data.length;
        srv.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
      }
    }
    pump(srv, cli);
  }
  const dt = (performance.now() - t0) / 1000;
  cli.free();
  srv.free();
  return dt;
}

// ---- hand-built frames for the parse scenarios

function frame(type, flags, streamId, payload) {
  const out = new Uint8Array(9 + payload.length);
  out[0] = payload.length >>> 16;
  out[1] = (payload.length >>> 8) & 0xff;
  out[2] = payload.length & 0xff;
  out[3] = type;
  out[4] = flags;
  new DataView(out.buffer).setUint32(5, streamId);
  out.set(payload, 9);
  return out;
}

function repeated(one, n) {
  const out = new Uint8Array(one.length * n);
  for (let i = 0; i < n; i++) out.set(one, i * one.length);
  return out;
}

/** HPACK literals without indexing (no encoder state needed). */
function headerBlock(fields) {
  const bytes = [];
  for (const [n, v] of fields) bytes.push(0, n.length, ...Buffer.from(n), v.length, ...Buffer.from(v));
  return Uint8Array.from(bytes);
}

/** A server that accepted a client preface and raised its windows and frame size. */
function bigWindowServer(maxFrame, window) {
  const srv = new H2Connection({ clientSide: false });
  srv.initiateConnection();
  const preface = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(4, 0, 0, new Uint8Array(0))]);
  srv.receiveData(preface);
  srv.updateSettings({ [SettingCodes.INITIAL_WINDOW_SIZE]: window, [SettingCodes.MAX_FRAME_SIZE]: maxFrame });
  srv.receiveData(frame(4, 1, 0, new Uint8Array(0)));
  if (window > 65_535) srv.incrementFlowControlWindow(window - 65_535);
  srv.clearOutboundDataBuffer();
  return srv;
}

/** c1: one buffer of 16 KiB DATA frames in one receiveData call. Returns [s, octets, frames]. */
function parseData(total, chunk = Infinity) {
  const frameSize = 16_384;
  const n = Math.floor(total / frameSize);
  const head = frame(1, 4, 1, headerBlock(REQUEST.slice(0, 4)));
  const buf = Buffer.concat([head, repeated(frame(0, 0, 1, new Uint8Array(frameSize)), n)]);
  const srv = bigWindowServer(frameSize, 2 ** 31 - 1);
  let events = 0;
  const t0 = performance.now();
  for (let at = 0; at < buf.length; at += Math.min(chunk, buf.length)) {
    events += srv.receiveData(buf.subarray(at, at + Math.min(chunk, buf.length))).length;
  }
  const dt = (performance.now() - t0) / 1000;
  check(events === n + 1, `${events} events`);
  srv.free();
  return [dt, buf.length, n + 1];
}

/** c2: n WINDOW_UPDATE frames on stream 0 in one receiveData call. */
function parseSmall(n) {
  const buf = repeated(frame(8, 0, 0, Uint8Array.of(0, 0, 0, 1)), n);
  const srv = bigWindowServer(16_384, 65_535);
  const t0 = performance.now();
  const events = srv.receiveData(buf);
  const dt = (performance.now() - t0) / 1000;
  check(events.length === n, `${events.length} events`);
  srv.free();
  return [dt, buf.length, n];
}

/** n PING ACK frames, one receiveData call each: the cost of one call that yields one event. */
function pingPerCall(n) {
  const one = frame(6, 1, 0, new Uint8Array(8));
  const srv = bigWindowServer(16_384, 65_535);
  let events = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) events += srv.receiveData(one).length;
  const dt = (performance.now() - t0) / 1000;
  check(events === n, `${events} events`);
  srv.free();
  return dt;
}

/** n reads of a property that crosses into wasm and does no work. */
function emptyCalls(n) {
  const conn = new H2Connection();
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sum += conn.outboundBuffered;
  const dt = (performance.now() - t0) / 1000;
  check(sum === 0, 'sum');
  conn.free();
  return dt;
}

/** Out: sendData of `total` octets in 1 MiB calls with open windows, then one dataToSend. */
function sendOut(total) {
  const [cli, srv] = pair({ [SettingCodes.INITIAL_WINDOW_SIZE]: 2 ** 31 - 1 });
  // Open the client's connection send window too.
  cli.receiveData(frame(8, 0, 0, Uint8Array.of(0x7f, 0xff, 0, 0)));
  cli.sendHeaders(1, UPLOAD);
  cli.dataToSend();
  const chunk = new Uint8Array(1 << 20);
  let out = 0;
  const t0 = performance.now();
  for (let sent = 0; sent < total; sent += chunk.length) {
    cli.sendData(1, chunk);
    if ((sent / chunk.length) % 16 === 15) out += cli.dataToSend().length;
  }
  out += cli.dataToSend().length;
  const dt = (performance.now() - t0) / 1000;
  check(out > total, `${out} octets out`);
  cli.free();
  srv.free();
  return dt;
}

// ---- running and reporting

function runs(fn) {
  fn(); // warm-up: JIT and wasm tiering
  const times = [];
  for (let i = 0; i < repeat; i++) times.push(fn());
  return times;
}

function bestMedian(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return [sorted[0], sorted[Math.floor(sorted.length / 2)]];
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

function nativeFigures() {
  if (!native) return {};
  const dir = mkdtempSync(join(tmpdir(), 'h2wasm-bench-'));
  try {
    const json = join(dir, 'native.json');
    const cargoArgs = ['bench', '--bench', 'engine', '--', '--repeat', String(repeat), '--json', json, ...(quick ? ['--quick'] : [])];
    console.log(`running: cargo ${cargoArgs.join(' ')}`);
    execFileSync('cargo', cargoArgs, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    return JSON.parse(readFileSync(json, 'utf8')).scenarios;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nativeResults = nativeFigures();
const nReq = 10_000 / q;
const up = (100 * MB) / q;

console.log(`\nh2wasm through WebAssembly in Node ${process.version}; best of ${repeat} (after one warm-up run)\n`);
console.log(`${'id'.padEnd(4)} ${'scenario'.padEnd(52)} ${'wasm (best)'.padStart(16)} ${'median'.padStart(14)} ${'native (best)'.padStart(16)} ${'wasm/native'.padStart(12)}`);
const rows = {};
function report(key, label, times, units, unit) {
  const [best, median] = bestMedian(times);
  const rate = units / best;
  rows[key] = rate;
  const nat = nativeResults[key]?.rate_best;
  const ratio = nat ? `${((rate / nat) * 100).toFixed(0)} %` : '';
  console.log(
    `${key.padEnd(4)} ${label.padEnd(52)} ${`${fmt(rate)} ${unit}`.padStart(16)} ${fmt(units / median).padStart(14)} ${nat ? `${fmt(nat)} ${unit}`.padStart(16) : ''.padStart(16)} ${ratio.padStart(12)}`,
  );
}

report('a1', `${nReq} GETs sequential (1 in flight)`, runs(() => getSequential(nReq)), nReq, 'req/s');
report('a2', `${nReq} GETs in waves of 100 concurrent streams`, runs(() => getConcurrent(nReq)), nReq, 'req/s');
report('b1', `${up / MB} MB upload, 64KiB windows / 16KiB frames`, runs(() => upload(up)), up / MB, 'MB/s');
const big = { [SettingCodes.INITIAL_WINDOW_SIZE]: 1 << 24, [SettingCodes.MAX_FRAME_SIZE]: 1 << 20 };
report('b2', `${up / MB} MB upload, 16MiB windows / 1MiB frames`, runs(() => upload(up, big, (1 << 24) - 65_535)), up / MB, 'MB/s');
const c1Octets = parseData((64 << 20) / q)[1];
report('c1', `parse ${(c1Octets / MB).toFixed(1)} MB of 16KiB DATA frames, one call`, runs(() => parseData((64 << 20) / q)[0]), c1Octets / MB, 'MB/s');
const c2 = parseSmall(200_000 / q);
report('c2', `parse ${c2[2]} WINDOW_UPDATE frames, one call`, runs(() => parseSmall(200_000 / q)[0]), c2[2], 'frames/s');

console.log('\nCrossing JS ↔ wasm (through the public API)\n');
const calls = 1_000_000 / q;
const [callBest] = bestMedian(runs(() => emptyCalls(calls)));
const nsCall = (callBest / calls) * 1e9;
console.log(`  empty call (outboundBuffered getter):                    ${nsCall.toFixed(0).padStart(6)} ns per call`);
const pings = 100_000 / q;
const [pingBest] = bestMedian(runs(() => pingPerCall(pings)));
const nsPing = (pingBest / pings) * 1e9;
console.log(`  receiveData of one PING ACK frame (one call, one event):  ${nsPing.toFixed(0).padStart(6)} ns per call`);
const nsEvent = 1e9 / rows.c2;
const nsNativeFrame = nativeResults.c2 ? 1e9 / nativeResults.c2.rate_best : undefined;
console.log(
  `  per event, batched (c2: WINDOW_UPDATE → WindowUpdated):   ${nsEvent.toFixed(0).padStart(6)} ns per event` +
    (nsNativeFrame ? `  (native ${nsNativeFrame.toFixed(0)} ns per frame: ${(nsEvent - nsNativeFrame).toFixed(0)} ns for the crossing and the JS object)` : ''),
);
const nsByteIn = 1e9 / (rows.c1 * MB);
const nsNativeByte = nativeResults.c1 ? 1e9 / (nativeResults.c1.rate_best * MB) : undefined;
console.log(
  `  per byte in (c1: receiveData, DATA payloads out):         ${nsByteIn.toFixed(3).padStart(6)} ns per byte` +
    (nsNativeByte ? `  (native ${nsNativeByte.toFixed(3)} ns per byte)` : ''),
);
const [chunkBest] = bestMedian(runs(() => parseData((64 << 20) / q, 65_536)[0]));
console.log(`  per byte in, 64 KiB receiveData calls (socket-sized):     ${((chunkBest / c1Octets) * 1e9).toFixed(3).padStart(6)} ns per byte  (${fmt(c1Octets / MB / chunkBest)} MB/s)`);
const outTotal = (64 << 20) / q;
const [outBest] = bestMedian(runs(() => sendOut(outTotal)));
console.log(`  per byte out (sendData 1 MiB calls + dataToSend):         ${((outBest / outTotal) * 1e9).toFixed(3).padStart(6)} ns per byte  (${fmt(outTotal / MB / outBest)} MB/s)`);

console.log('\nShipped sizes (js/dist)\n');
const dist = join(root, 'js', 'dist');
const wasm = readFileSync(join(dist, 'wasm', 'h2wasm_bg.wasm'));
const js = Buffer.concat([
  ...readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(dist, f))),
  readFileSync(join(dist, 'wasm', 'h2wasm.js')),
]);
const gz = (b) => gzipSync(b, { level: 9 }).length;
console.log(`  h2wasm_bg.wasm: ${fmt(wasm.length)} bytes, ${fmt(gz(wasm))} gzipped`);
console.log(`  JavaScript (the entry points, API and glue): ${fmt(js.length)} bytes, ${fmt(gz(js))} gzipped`);
