// fromCloudflareSocket in Cloudflare workerd: transports_worker_entry.mjs, bundled with the
// `workerd` condition, is served by `workerd serve` on 127.0.0.1 and connects with
// `connect()` (cloudflare:sockets) to servers in this process. workerd refuses private and
// local addresses by default (its "internet" network allows "public" only), so the config
// gives the Worker a `globalOutbound` network service that allows "local" (127.0.0.0/8).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { freePort, installedPackageDir, toolBin } from './support.mjs';
import { pattern } from './transport_helpers.mjs';
import { echo, startH2Server, startServer } from './transport_servers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const STARTUP_MS = 20_000;
const CASE_MS = 20_000;
let workdir;
let workerd;
let log = '';
let base;
let ports;
const peers = [];
const pumpLog = [];
const MB = 1024 * 1024;

before(async () => {
  workdir = mkdtempSync(join(here, '..', '.workerd-transports-'));
  await build({
    entryPoints: [join(here, 'transports_worker_entry.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['*.wasm', 'cloudflare:sockets'],
    outfile: join(workdir, 'worker.js'),
    logLevel: 'warning',
  });
  mkdirSync(join(workdir, 'wasm'));
  copyFileSync(join(installedPackageDir(), 'js/dist/wasm/h2wasm_bg.wasm'), join(workdir, 'wasm/h2wasm_bg.wasm'));

  const echoServer = await startServer(echo);
  const afterEof = await startServer((socket) => {
    let n = 0;
    socket.on('data', (chunk) => (n += chunk.length));
    socket.on('end', () => socket.end(`got ${n} after EOF\n`));
  });
  const h2Server = await startH2Server(pattern(300_000, 14));
  // Writes 64 MB in 1 MB chunks as fast as its socket takes them, noting when each was taken.
  const pumpData = pattern(64 * MB, 43);
  const pumpServer = await startServer((socket) => {
    let offered = 0;
    const more = () => {
      while (offered < pumpData.length) {
        const ok = socket.write(pumpData.subarray(offered, offered + MB));
        offered += MB;
        pumpLog.push({ at: performance.now(), offered });
        if (!ok) return;
      }
      socket.end();
    };
    pumpLog.length = 0;
    pumpLog.start = performance.now();
    socket.on('drain', more);
    more();
  });
  peers.push(pumpServer);
  const closedPort = await freePort();
  peers.push(echoServer, afterEof, h2Server);

  const port = await freePort();
  writeFileSync(
    join(workdir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .transportsWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const transportsWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "wasm/h2wasm_bg.wasm", wasm = embed "wasm/h2wasm_bg.wasm"),
  ],
  compatibilityDate = "2025-01-01",
  globalOutbound = "loopback",
);
`,
  );
  workerd = spawn(toolBin('workerd'), ['serve', 'config.capnp'], { cwd: workdir });
  workerd.stdout.on('data', (d) => (log += d));
  workerd.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => workerd.once('exit', (code) => resolve(code)));

  base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (workerd.exitCode !== null) throw new Error(`workerd exited (${workerd.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${base}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`workerd did not answer in ${STARTUP_MS} ms:\n${log}`);
    await Promise.race([new Promise((r) => setTimeout(r, 100)), exited]);
  }
  ports = { echo: echoServer.port, afterEof: afterEof.port, h2: h2Server.port, pump: pumpServer.port, closed: closedPort };
});

after(async () => {
  if (workerd && workerd.exitCode === null) {
    // SIGTERM drains: workerd waits for open connections, which a hung case would keep.
    const exited = new Promise((resolve) => workerd.once('exit', resolve));
    workerd.kill('SIGTERM');
    const timer = setTimeout(() => workerd.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
  }
  for (const peer of peers) await peer.close();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

/** Runs one case of the Worker; resolves with its value, or throws its error. */
async function runCase(name) {
  const query = new URLSearchParams({ name, ...ports });
  const res = await fetch(`${base}/case?${query}`, { signal: AbortSignal.timeout(CASE_MS) }).catch((error) => {
    throw new Error(`${name}: ${error}\n${log}`);
  });
  if (!res.ok) throw new Error(`${name}: HTTP ${res.status} ${await res.text()}\n${log}`);
  const answer = await res.json();
  if (!answer.ok) throw new Error(`${answer.error}\n${log}`);
  assert.equal(answer.userAgent, 'Cloudflare-Workers');
  return answer.value;
}

test('connect() to loopback: 1 MB echoed byte for byte, ended by a half-close', async () => {
  const { capabilities, info } = await runCase('1 MB echoed with half-close');
  assert.deepEqual(capabilities, { halfClose: true, readBackpressure: true });
  assert.equal(info.secure, false);
  assert.equal(info.alpn, undefined);
  assert.equal(info.remote, `127.0.0.1:${ports.echo}`, 'info.remote, from opened.remoteAddress');
});

test('half-close: closing writable sends FIN, and the peer’s reply after it arrives', async () => {
  assert.equal(await runCase('half-close: the reply after our EOF arrives'), 'got 100000 after EOF\n');
});

test('without allowHalfOpen the transport declares halfClose false', async () => {
  assert.deepEqual(await runCase('allowHalfOpen false: halfClose false'), { halfClose: false, readBackpressure: true });
});

test('the bare engine GETs a 300 kB body from node:http2 over fromCloudflareSocket', async () => {
  assert.deepEqual(await runCase('HTTP/2 GET /big from node:http2 (h2c, prior knowledge)'), {
    status: 200,
    length: 300_000,
    engineState: 'Closed',
  });
});

test('close(): the streams error with ERR_TRANSPORT_CLOSED and closed resolves', async () => {
  assert.equal(await runCase('close(): the streams error with ERR_TRANSPORT_CLOSED, closed resolves'), 'ERR_TRANSPORT_CLOSED');
});

test('read backpressure: while the Worker does not read, the peer’s writes stop draining', async () => {
  assert.equal(await runCase('read backpressure: nothing read for 1 s, then everything'), 64 * MB);
  // The Worker read nothing during its first second: what the peer got rid of by then sat in
  // kernel buffers (and workerd's), and it stopped growing well before the second was over.
  const during = pumpLog.filter((e) => e.at - pumpLog.start < 900);
  const stalledAt = during.at(-1).offered;
  const lastProgress = during.at(-1).at - pumpLog.start;
  assert.ok(stalledAt < 32 * MB, `the peer wrote ${stalledAt} octets while nothing read`);
  assert.ok(lastProgress < 600, `the peer was still writing ${lastProgress.toFixed(0)} ms in`);
});

test('a refused connection makes fromCloudflareSocket reject', async () => {
  assert.match(await runCase('a refused connection rejects'), /^rejected: /);
});
