// Client throughput: h2wasm's `session.fetch()` (on `connect()`) against node:http2's own
// client, each sending GET / with a fixed number of requests in flight on one connection to
// the same node:http2 server (a child process), in alternating rounds.
//
//   node bench/client_compare.mjs [--requests 20000] [--concurrency 100] [--rounds 3]
//
// Needs `node scripts/build.mjs` first. Prints req/s and this process's CPU time per request
// (user + system) for each round, then the best of each and the ratios.

import { spawn } from 'node:child_process';
import http2 from 'node:http2';
import { parseArgs } from 'node:util';
import { connect } from 'h2wasm';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', short: 'n', default: '20000' },
    concurrency: { type: 'string', short: 'c', default: '100' },
    rounds: { type: 'string', default: '3' },
  },
});
const N = Number(args.requests);
const C = Number(args.concurrency);

const SERVER = `
import http2 from 'node:http2';
const server = http2.createServer({ settings: { maxConcurrentStreams: 1000 } });
server.on('stream', (stream) => {
  stream.respond({ ':status': 200, 'content-type': 'text/plain; charset=utf-8' });
  stream.end('hello from node:http2\\n');
});
server.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'));
`;
const server = spawn(process.execPath, ['--input-type=module', '-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
const origin = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.setEncoding('utf8');
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
    if (m) resolve(m[0]);
  });
  server.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
});

/** Runs `n` requests, `C` at a time, with `one()`. */
async function run(n, one) {
  let started = 0;
  const worker = async () => {
    while (started++ < n) await one();
  };
  await Promise.all(Array.from({ length: C }, worker));
}

const session = await connect(origin, { maxQueuedRequests: C });
const h2wasm = async () => {
  const response = await session.fetch(`${origin}/`);
  await response.text();
};

const nodeClient = http2.connect(origin);
const nodeHttp2 = () =>
  new Promise((resolve, reject) => {
    const request = nodeClient.request({ ':path': '/' });
    request.setEncoding('utf8');
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
    request.end();
  });

const clients = [
  ['h2wasm', h2wasm],
  ['node:http2', nodeHttp2],
];
const best = new Map(clients.map(([name]) => [name, { rps: 0, cpu: Infinity }]));
try {
  for (const [, one] of clients) await run(2000, one); // warm up
  console.log(`GET / x ${N}, ${C} in flight, ${args.rounds} round(s)`);
  for (let round = 1; round <= Number(args.rounds); round++) {
    for (const [name, one] of clients) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await run(N, one);
      const rps = (N * 1000) / (performance.now() - t0);
      const used = process.cpuUsage(cpu0);
      const cpu = (used.user + used.system) / N;
      const b = best.get(name);
      best.set(name, { rps: Math.max(b.rps, rps), cpu: Math.min(b.cpu, cpu) });
      console.log(`round ${round}  ${name.padEnd(10)} ${rps.toFixed(0).padStart(8)} req/s  ${cpu.toFixed(1).padStart(6)} us CPU/req`);
    }
  }
  const a = best.get('h2wasm');
  const b = best.get('node:http2');
  console.log(`best      h2wasm ${a.rps.toFixed(0)} req/s, node:http2 ${b.rps.toFixed(0)} req/s, ratio ${(a.rps / b.rps).toFixed(2)}`);
  console.log(`least CPU h2wasm ${a.cpu.toFixed(1)} us/req, node:http2 ${b.cpu.toFixed(1)} us/req, ratio ${(a.cpu / b.cpu).toFixed(2)}`);
} finally {
  await session.close();
  nodeClient.close();
  server.kill();
}
