// Checks of the package as a consumer installs it from the `npm pack` tarball (Node only).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { installedPackageDir, toolBin } from './support.mjs';
import { NODE_ENTRY_API, PUBLIC_API } from './smoke_cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = installedPackageDir();
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(pkgDir, path)];
  });
}

function exportTargets(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value).flatMap(exportTargets);
}

function fail(message) {
  throw new Error(message);
}

test('the tarball holds the built entry points, declarations and wasm, and nothing else', () => {
  const expected = [
    'LICENSE',
    'js/dist/api.js',
    'js/dist/browser.js',
    'js/dist/connection.js',
    'js/dist/constants.js',
    'js/dist/core.js',
    'js/dist/errors.js',
    'js/dist/events.js',
    'js/dist/index.d.ts',
    'js/dist/node.js',
    'js/dist/octets.js',
    'js/dist/session/clock.js',
    'js/dist/session/connect.js',
    'js/dist/session/control.js',
    'js/dist/session/deferred.js',
    'js/dist/session/fetch.js',
    'js/dist/session/flow.js',
    'js/dist/session/headers.js',
    'js/dist/session/link.js',
    'js/dist/session/options.js',
    'js/dist/session/priority.js',
    'js/dist/session/requests.js',
    'js/dist/session/session.js',
    'js/dist/session/stream.js',
    'js/dist/session/upgrade.js',
    'js/dist/wasm/h2wasm.js',
    'js/dist/wasm/h2wasm_bg.wasm',
    'js/dist/workerd.js',
    'package.json',
  ];
  // npm always packs a README; the repository may or may not have one yet. Transport
  // adapters are one file each in js/dist/transports/: any number of them, with at least
  // the interface, the two built-in transports and the adapters (docs/transports.md).
  const all = filesUnder(pkgDir).filter((f) => f !== 'README.md').sort();
  const transports = all.filter((f) => f.startsWith('js/dist/transports/'));
  for (const f of transports) if (!/^js\/dist\/transports\/[\w-]+\.js$/.test(f)) fail(`unexpected ${f}`);
  const required = [
    ...['index', 'memory', 'webstreams'],
    ...['adapters', 'cloudflare', 'deno_conn', 'node_connect', 'node_socket', 'stream_pair', 'support'],
    ...['websocket', 'websocket_stream', 'webtransport'],
  ];
  for (const f of required.map((name) => `${name}.js`)) {
    if (!transports.includes(`js/dist/transports/${f}`)) fail(`js/dist/transports/${f} is not packed`);
  }
  const actual = all.filter((f) => !transports.includes(f));
  if (actual.join('\n') !== expected.join('\n')) {
    fail(`packed files:\n  ${actual.join('\n  ')}\nexpected:\n  ${expected.join('\n  ')}`);
  }
});

test('package.json has no runtime dependencies and no install scripts', () => {
  for (const key of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    if (pkg[key] && Object.keys(pkg[key]).length > 0) fail(`${key}: ${JSON.stringify(pkg[key])}`);
  }
  for (const hook of ['preinstall', 'install', 'postinstall']) {
    if (pkg.scripts?.[hook]) fail(`scripts.${hook} would run in every consumer`);
  }
});

test('every exports target exists in the package', () => {
  const targets = exportTargets(pkg.exports);
  if (targets.length < 8) fail(`only ${targets.length} targets in exports`);
  for (const target of targets) {
    if (!existsSync(join(pkgDir, target))) fail(`exports names ${target}, which is not packed`);
  }
});

test('the exports conditions map each runtime to its entry point', () => {
  const dot = pkg.exports['.'];
  const want = {
    types: './js/dist/index.d.ts',
    workerd: './js/dist/workerd.js',
    worker: './js/dist/workerd.js',
    deno: './js/dist/node.js',
    bun: './js/dist/node.js',
    node: './js/dist/node.js',
    browser: './js/dist/browser.js',
    default: './js/dist/browser.js',
  };
  // Order matters: the first matching condition wins, `types` first and `default` last.
  if (JSON.stringify(Object.entries(dot)) !== JSON.stringify(Object.entries(want))) {
    fail(`exports["."] is ${JSON.stringify(dot)}`);
  }
});

test('the .wasm file is reachable through the h2wasm/h2wasm.wasm subpath', () => {
  const path = fileURLToPath(import.meta.resolve('h2wasm/h2wasm.wasm'));
  const bytes = readFileSync(path);
  if (!WebAssembly.validate(bytes)) fail(`${path} is not valid WebAssembly`);
});

test('CommonJS code can require the package and run a connection', () => {
  const require = createRequire(import.meta.url);
  const h2 = require('h2wasm');
  if (h2.errorCodeName(1) !== 'PROTOCOL_ERROR') fail(`errorCodeName(1) is ${h2.errorCodeName(1)}`);
  const conn = new h2.H2Connection();
  conn.initiateConnection();
  if (conn.dataToSend().length !== 24 + 9 + 42) fail('the client preface and SETTINGS were not queued');
  conn.free();
});

test('the ES module and require() share one module instance and one set of classes', async () => {
  const require = createRequire(import.meta.url);
  const esm = await import('h2wasm');
  if (require('h2wasm').H2Error !== esm.H2Error) fail('require() and import give different H2Error classes');
});

test('the hand-written declarations name exactly the runtime exports', () => {
  const dts = readFileSync(join(pkgDir, 'js/dist/index.d.ts'), 'utf8');
  // Values only: functions, classes and constants, and re-exports under another name.
  const declared = [
    ...[...dts.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]),
    ...[...dts.matchAll(/^export \{ \w+ as (\w+) \};/gm)].map((m) => m[1]),
  ];
  const unique = [...new Set(declared)].sort();
  // One declaration file serves every entry point; it also declares the Node entry's extras.
  const exported = [...PUBLIC_API, ...NODE_ENTRY_API].sort();
  if (unique.join() !== exported.join()) fail(`index.d.ts declares ${unique}\nthe package exports ${exported}`);
});

test('TypeScript type-checks a consumer against the declarations', () => {
  const dir = mkdtempSync(join(here, '..', '.types-'));
  try {
    writeFileSync(join(dir, 'consumer.ts'), readFileSync(join(here, 'types_consumer.ts')));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['es2022', 'dom'],
          types: [],
          skipDefaultLibCheck: true, // lib.dom.d.ts is not ours; index.d.ts is still checked
        },
        files: ['consumer.ts'],
      }),
    );
    try {
      execFileSync(toolBin('tsc'), ['-p', dir], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      fail(`tsc failed:\n${error.stdout}${error.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
