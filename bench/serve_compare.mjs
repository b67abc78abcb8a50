// Server throughput: examples/server.mjs (h2wasm's H2Session + serve()) against a plain
// node:http2 server answering the same `GET /`, each loaded by h2load in the same run.
//
//   node bench/serve_compare.mjs [--requests 20000] [--clients 10] [--streams 10] [--rounds 2] [--path /]
//
// Needs `node scripts/build.mjs` first (the examples import the built package) and h2load
// (nghttp2-client on Debian). Each server runs in a process of its own; the rounds
// alternate between the two so that background load hits both alike. Prints every round's
// req/s and, on Linux, the server's CPU time per request (user + system, from /proc: steadier
// than req/s on a busy machine), then the best of each and the ratios h2wasm / node:http2.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const H2LOAD = process.env.H2LOAD ?? '/usr/bin/h2load';
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', short: 'n', default: '20000' },
    clients: { type: 'string', short: 'c', default: '10' },
    streams: { type: 'string', short: 'm', default: '10' },
    rounds: { type: 'string', default: '2' },
    path: { type: 'string', default: '/' },
  },
});

if (!existsSync(H2LOAD) || spawnSync(H2LOAD, ['--version']).status !== 0) {
  console.error(`serve_compare: h2load is missing (looked for ${H2LOAD}; set H2LOAD=/path/to/h2load).`);
  console.error('serve_compare: on Debian/Ubuntu: apt-get install nghttp2-client');
  process.exit(2);
}

// The node:http2 reference: the same answer examples/server.mjs gives to GET / (status,
// content-type, server header, a short text).
const NODE_SERVER = `
import http2 from 'node:http2';
import { version } from 'h2wasm';
const SERVER = 'h2wasm/' + version();
const body = 'hello from ' + SERVER + '\\n';
const server = http2.createServer({ settings: { maxConcurrentStreams: 100 } });
server.on('stream', (stream, headers) => {
  stream.respond({ ':status': 200, 'content-type': 'text/plain; charset=utf-8', server: SERVER });
  stream.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write('listening on http://127.0.0.1:' + server.address().port + '\\n'));
`;

/** Starts a server process; resolves with `{ child, port }` once it printed its address. */
function start(name, argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: here('..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ name, child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}) before listening: ${out}`)));
  });
}

/** CPU time (user + system) of process `pid` in ms, from /proc; NaN where there is none. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks: USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** One h2load run against `port`; resolves with req/s (and the failure count). */
function load(port) {
  return new Promise((resolve, reject) => {
    const h2 = spawn(H2LOAD, ['-n', args.requests, '-c', args.clients, '-m', args.streams, `http://127.0.0.1:${port}${args.path}`]);
    let out = '';
    h2.stdout.setEncoding('utf8');
    h2.stdout.on('data', (chunk) => (out += chunk));
    h2.stderr.resume();
    h2.on('exit', () => {
      const rate = /finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(out);
      const failed = /requests: .* (\d+) failed/.exec(out);
      if (!rate) reject(new Error(`h2load output not understood:\n${out}`));
      else resolve({ rps: Number(rate[1]), failed: failed ? Number(failed[1]) : NaN });
    });
  });
}

const servers = [
  await start('h2wasm', [here('../examples/server.mjs'), '--port', '0']),
  await start('node:http2', ['--input-type=module', '-e', NODE_SERVER]),
];
const best = new Map(servers.map((s) => [s.name, 0]));
const leastCpu = new Map(servers.map((s) => [s.name, Infinity]));
try {
  console.log(`h2load -n ${args.requests} -c ${args.clients} -m ${args.streams} GET ${args.path}, ${args.rounds} round(s)`);
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const server of servers) {
      const before = cpuMs(server.child.pid);
      const { rps, failed } = await load(server.port);
      const cpu = ((cpuMs(server.child.pid) - before) * 1000) / Number(args.requests);
      best.set(server.name, Math.max(best.get(server.name), rps));
      if (round > 1 || Number(args.rounds) === 1) leastCpu.set(server.name, Math.min(leastCpu.get(server.name), cpu));
      const cpuText = Number.isNaN(cpu) ? '' : `  ${cpu.toFixed(1).padStart(6)} us CPU/req`;
      console.log(`round ${round}  ${server.name.padEnd(10)} ${rps.toFixed(0).padStart(8)} req/s${cpuText}${failed ? `  (${failed} failed)` : ''}`);
    }
  }
  const a = best.get('h2wasm');
  const b = best.get('node:http2');
  console.log(`best      h2wasm ${a.toFixed(0)} req/s, node:http2 ${b.toFixed(0)} req/s, ratio ${(a / b).toFixed(2)}`);
  const ca = leastCpu.get('h2wasm');
  const cb = leastCpu.get('node:http2');
  if (Number.isFinite(ca) && Number.isFinite(cb)) {
    console.log(`least CPU h2wasm ${ca.toFixed(1)} us/req, node:http2 ${cb.toFixed(1)} us/req, ratio ${(ca / cb).toFixed(2)} (rounds after the first)`);
  }
} finally {
  for (const s of servers) s.child.kill('SIGKILL');
}
