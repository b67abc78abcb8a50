// The smoke suite in Cloudflare workerd: worker_entry.mjs is bundled by esbuild with the
// `workerd` export condition, served by `workerd serve` on 127.0.0.1 and queried from Node.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { smokeCases } from './smoke_cases.mjs';
import { freePort, installedPackageDir, toolBin } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const STARTUP_MS = 20_000;
let workdir;
let workerd;
let log = '';
let answer;

before(async () => {
  workdir = mkdtempSync(join(here, '..', '.workerd-'));
  await build({
    entryPoints: [join(here, 'worker_entry.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['*.wasm'],
    outfile: join(workdir, 'worker.js'),
    logLevel: 'warning',
  });
  // workerd.js imports './wasm/h2wasm_bg.wasm'; esbuild keeps that import as it is.
  mkdirSync(join(workdir, 'wasm'));
  copyFileSync(
    join(installedPackageDir(), 'js/dist/wasm/h2wasm_bg.wasm'),
    join(workdir, 'wasm/h2wasm_bg.wasm'),
  );
  const port = await freePort();
  writeFileSync(
    join(workdir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .smokeWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const smokeWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "wasm/h2wasm_bg.wasm", wasm = embed "wasm/h2wasm_bg.wasm"),
  ],
  compatibilityDate = "2025-01-01",
);
`,
  );
  workerd = spawn(toolBin('workerd'), ['serve', 'config.capnp'], { cwd: workdir });
  workerd.stdout.on('data', (d) => (log += d));
  workerd.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => workerd.once('exit', (code) => resolve(code)));

  const base = `http://127.0.0.1:${port}`;
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
  const res = await fetch(`${base}/smoke`);
  if (!res.ok) throw new Error(`GET /smoke: ${res.status} ${await res.text()}\n${log}`);
  answer = await res.json();
});

after(async () => {
  if (workerd && workerd.exitCode === null) {
    const exited = new Promise((resolve) => workerd.once('exit', resolve));
    workerd.kill('SIGTERM');
    await exited;
  }
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

test('the Worker runs in workerd', () => {
  if (answer.userAgent !== 'Cloudflare-Workers') {
    throw new Error(`navigator.userAgent is ${answer.userAgent}`);
  }
});

smokeCases({ initialisedAtImport: true }).forEach((c, i) => {
  test(c.name, () => {
    const result = answer.results[i];
    if (result?.name !== c.name) throw new Error(`no result for this case: ${JSON.stringify(result)}`);
    if (!result.ok) throw new Error(result.error);
  });
});
