#!/usr/bin/env node
// Builds the npm package into js/dist/ from a clean checkout:
//   1. cargo build of the crate for wasm32-unknown-unknown with the `wasm-release` profile;
//   2. wasm-bindgen --target web (its version must equal the wasm-bindgen crate's);
//   3. wasm-opt from npm `binaryen`, for size (Debian's wasm-opt 108 corrupts this output);
//   4. the hand-written entry points and declarations from js/src/.
// Then prints the shipped sizes. Needs the tools that scripts/setup.sh installs.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'js', 'dist');
const wasmOut = join(dist, 'wasm');
const crateWasm = join(root, 'target', 'wasm32-unknown-unknown', 'wasm-release', 'h2wasm.wasm');
const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');

function run(cmd, args) {
  const started = performance.now();
  console.log(`build: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return (performance.now() - started) / 1000;
}

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

// The npm package and the crate carry one version.
const cargoToml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const crateVersion = /^version\s*=\s*"([^"]+)"/m.exec(cargoToml)?.[1];
const pkgVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
if (crateVersion !== pkgVersion) {
  fail(`package.json version ${pkgVersion} differs from Cargo.toml version ${crateVersion}`);
}

// The wasm-bindgen CLI must match the crate exactly, or its output does not load.
const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8');
const wantBindgen = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock)?.[1];
let haveBindgen;
try {
  haveBindgen = execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' }).trim().split(' ')[1];
} catch {
  fail('wasm-bindgen is not on PATH; run scripts/setup.sh');
}
if (wantBindgen !== haveBindgen) {
  fail(`wasm-bindgen CLI ${haveBindgen} does not match the crate's ${wantBindgen}; run scripts/setup.sh`);
}
if (!existsSync(wasmOpt)) fail('node_modules/.bin/wasm-opt is missing; run scripts/setup.sh');

const times = {};
times.cargo = run('cargo', [
  'build', '--target', 'wasm32-unknown-unknown', '--profile', 'wasm-release', '--lib',
]);
rmSync(dist, { recursive: true, force: true });
times.bindgen = run('wasm-bindgen', ['--target', 'web', '--out-dir', relative(root, wasmOut), relative(root, crateWasm)]);
const bgWasm = join(wasmOut, 'h2wasm_bg.wasm');
const beforeOpt = statSync(bgWasm).size;
// Features come from the module's target_features section; names, producers and that
// section are metadata the runtimes don't need. -Oz alone leaves about 500 gzipped bytes that
// a control-flow rebuild (flatten + rereloop) and a second -Oz take off, with no measurable
// change in speed (docs/packaging.md, "Size").
times.wasmOpt = run(wasmOpt, [
  '-Oz', '--flatten', '--rereloop', '-Oz', '-Oz',
  '--strip-debug', '--strip-producers', '--strip-target-features',
  relative(root, bgWasm), '-o', relative(root, bgWasm),
]);
cpSync(join(root, 'js', 'src'), dist, { recursive: true });

// Sizes of what ships (the files that package.json "files" lists under js/dist/).
const jsIn = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => join(dir, f)) : []);
const shippedJs = [
  ...jsIn(dist),
  ...jsIn(join(dist, 'session')),
  ...jsIn(join(dist, 'transports')),
  join(wasmOut, 'h2wasm.js'),
];
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const wasmBytes = readFileSync(bgWasm);
const jsBytes = Buffer.concat(shippedJs.map((f) => readFileSync(f)));
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log('build: done');
console.log(`  crate .wasm (cargo):      ${kb(statSync(crateWasm).size)}`);
console.log(`  after wasm-bindgen:       ${kb(beforeOpt)}`);
console.log(`  h2wasm_bg.wasm (shipped): ${wasmBytes.length} bytes (${kb(wasmBytes.length)}), gzip ${gz(wasmBytes)} bytes (${kb(gz(wasmBytes))})`);
console.log(`  JS, ${shippedJs.length} files:            ${jsBytes.length} bytes, gzip ${gz(jsBytes)} bytes (${kb(gz(jsBytes))})`);
console.log(
  `  times: cargo ${times.cargo.toFixed(1)} s, wasm-bindgen ${times.bindgen.toFixed(1)} s, wasm-opt ${times.wasmOpt.toFixed(1)} s`,
);
