// The harness of the interop tests (tests/js/interop_*.test.mjs, the `interop` step of
// scripts/test.sh): real peers over loopback TCP. It finds the command-line tools (and fails
// loudly when one is missing: the suite never skips an interop test), starts processes that
// are killed in the test's `after()` hook, prints their output when a test fails, starts
// examples/server.mjs and nghttpd on free ports, and makes certificates and test bodies.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './support.mjs';
import { selfSignedCert } from './transport_servers.mjs';

/** examples/<name>, in the repository and in the consumer install alike (same layout). */
export const examplePath = (name) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

/** Where Debian puts tools that are not on a normal user's PATH. */
const TOOL_PATHS = { nghttpd: ['/usr/sbin/nghttpd'] };

/**
 * The path of a command-line tool the interop tests need. Throws (so the test file fails)
 * when it is not installed: scripts/setup.sh installs nghttp2-client, nghttp2-server, curl
 * and openssl.
 */
export function tool(name) {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const candidate of [...(TOOL_PATHS[name] ?? []), ...dirs.map((dir) => join(dir, name))]) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: look further
    }
  }
  throw new Error(`the interop tests need ${name}, which is not installed (scripts/setup.sh installs nghttp2-client, nghttp2-server, curl and openssl)`);
}

/** Every tool the interop step uses, checked at once. */
export function requireTools() {
  return Object.fromEntries(['nghttpd', 'nghttp', 'h2load', 'curl', 'openssl'].map((name) => [name, tool(name)]));
}

/** A process started for a test: its output so far, its exit, and how to stop it. */
class Child {
  constructor(name, proc) {
    this.name = name;
    this.proc = proc;
    this.stdoutChunks = [];
    this.stderr = '';
    this.exit = new Promise((resolve) => {
      proc.on('exit', (code, signal) => resolve({ code, signal }));
      proc.on('error', (error) => resolve({ code: null, signal: null, error }));
    });
    proc.stdout?.on('data', (chunk) => this.stdoutChunks.push(chunk));
    proc.stderr?.setEncoding('utf8').on('data', (s) => (this.stderr += s));
  }

  /** Standard output as bytes (a Buffer). */
  get stdoutBytes() {
    if (this.stdoutChunks.length > 1) this.stdoutChunks = [Buffer.concat(this.stdoutChunks)];
    return this.stdoutChunks[0] ?? Buffer.alloc(0);
  }

  /** Standard output as UTF-8 text. */
  get stdout() {
    return this.stdoutBytes.toString('utf8');
  }

  get exited() {
    return this.proc.exitCode !== null || this.proc.signalCode !== null;
  }

  /** SIGTERM, then SIGKILL if it is still there after `graceMs`; resolves once it exited. */
  async stop(graceMs = 3_000) {
    if (!this.exited) this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.exited || this.proc.kill('SIGKILL'), graceMs);
    await this.exit;
    clearTimeout(timer);
  }

  /** Resolves once `pattern` matches stdout (or stderr); rejects if the process exits first. */
  waitForOutput(pattern, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.stdout) ?? pattern.exec(this.stderr);
        if (match) done(null, match);
      };
      const onData = () => check();
      const timer = setTimeout(() => done(new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms`)), timeoutMs);
      const done = (error, match) => {
        clearTimeout(timer);
        this.proc.stdout?.off('data', onData);
        this.proc.stderr?.off('data', onData);
        if (error) reject(error);
        else resolve(match);
      };
      this.proc.stdout?.on('data', onData);
      this.proc.stderr?.on('data', onData);
      this.exit.then(({ code, signal }) => done(new Error(`${this.name} exited (code ${code}, signal ${signal}) before printing ${pattern}`)));
      check();
    });
  }

  describe() {
    return `---- ${this.name} (pid ${this.proc.pid})\n-- stdout:\n${this.stdout.slice(-4000)}\n-- stderr:\n${this.stderr.slice(-8000)}`;
  }
}

/** What a test body gets: process starting, temp dirs, all cleaned up after the test. */
export class Interop {
  #t;
  children = [];

  constructor(t) {
    this.#t = t;
  }

  /** Starts `command args`; it is stopped (SIGTERM, then SIGKILL) after the test. */
  spawn(name, command, args, options = {}) {
    const child = new Child(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
    this.children.push(child);
    this.#t.after(() => child.stop());
    return child;
  }

  /**
   * Runs `command args` to its end (asynchronously: the test's own servers keep running).
   * Resolves with `{ code, signal, stdout, stdoutBytes, stderr }`; a run longer than
   * `timeoutMs` is killed.
   */
  async run(name, command, args, { timeoutMs = 60_000, ...options } = {}) {
    const child = this.spawn(name, command, args, options);
    const timer = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
    const { code, signal, error } = await child.exit;
    clearTimeout(timer);
    if (error) throw error;
    return { code, signal, stdout: child.stdout, stdoutBytes: child.stdoutBytes, stderr: child.stderr };
  }

  /** A temporary directory, removed after the test. */
  tempDir(prefix = 'h2wasm-interop-') {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.#t.after(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** A self-signed certificate for localhost / 127.0.0.1 written to files: `{ cert, key, certFile, keyFile }`. */
  certificate() {
    const dir = this.tempDir('h2wasm-cert-');
    const { cert, key } = selfSignedCert();
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    writeFileSync(certFile, cert);
    writeFileSync(keyFile, key);
    return { cert, key, certFile, keyFile };
  }

  /**
   * examples/server.mjs on 127.0.0.1 and a free port (`--port 0`; the port is read from its
   * first line). Resolves with `{ url, port, child }` once it listens.
   */
  async exampleServer(args = []) {
    const child = this.spawn('examples/server.mjs', process.execPath, [examplePath('server.mjs'), '--port', '0', ...args]);
    const [, url] = await child.waitForOutput(/listening on (\S+)/);
    return { url, port: Number(new URL(url).port), child };
  }

  /** examples/client.mjs with `args`, to its end: `{ code, stdout, stderr }`. */
  exampleClient(args, options) {
    return this.run('examples/client.mjs', process.execPath, [examplePath('client.mjs'), ...args], options);
  }

  /**
   * nghttpd serving `dir` on 127.0.0.1 and a free port: h2c (`--no-tls`) or, with `tls`
   * (`{ certFile, keyFile }`), TLS with ALPN h2. Resolves with `{ url, port, child }` once it
   * accepts connections.
   */
  async nghttpd(dir, { tls, args = [] } = {}) {
    const port = await freePort();
    const where = tls ? [String(port), tls.keyFile, tls.certFile] : ['--no-tls', String(port)];
    const child = this.spawn('nghttpd', tool('nghttpd'), ['-a', '127.0.0.1', '-d', dir, ...args, ...where]);
    await untilListening(port, child);
    return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, child };
  }
}

/** Resolves once 127.0.0.1:`port` accepts a TCP connection (polls every 20 ms, 10 s at most). */
async function untilListening(port, child) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exited) throw new Error(`${child.name} exited before listening on ${port}:\n${child.describe()}`);
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${child.name} did not listen on ${port} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * `test()` for the interop files: the body gets `(t, interop)`; when it fails, the output of
 * every process it started is printed before the error.
 */
export function interopTest(name, options, fn) {
  return test(name, { timeout: 60_000, ...options }, async (t) => {
    const interop = new Interop(t);
    try {
      await fn(t, interop);
    } catch (error) {
      for (const child of interop.children) console.error(child.describe());
      throw error;
    }
  });
}

/** Octet `i` of examples/server.mjs's `/bytes/N?seed=S` bodies (the same formula). */
export function patternBytes(length, seed = 0, from = 0) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.imul(from + i + seed, 0x9e3779b1) >>> 24;
  return out;
}

/** SHA-256, hex, of bytes or of a list of chunks. */
export function sha256(data) {
  const hash = createHash('sha256');
  for (const chunk of Array.isArray(data) ? data : [data]) hash.update(chunk);
  return hash.digest('hex');
}

/** Reads a ReadableStream of bytes (or an async iterable) to its end: `{ hash, length, chunks }`. */
export async function hashStream(readable) {
  const hash = createHash('sha256');
  let length = 0;
  let chunks = 0;
  for await (const chunk of readable) {
    hash.update(chunk);
    length += chunk.byteLength;
    chunks++;
  }
  return { hash: hash.digest('hex'), length, chunks };
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    }),
  ]);
}

/** Milliseconds since `t0` (performance.now()), one decimal. */
export const since = (t0) => Math.round((performance.now() - t0) * 10) / 10;
