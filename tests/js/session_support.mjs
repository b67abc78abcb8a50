// Harnesses for the H2Session tests: a fake clock, a client-server session pair over a
// memory transport, and a scripted peer that speaks raw frames (tests/js/frames.mjs) and
// records every frame it receives.
import { H2Session, memoryTransportPair } from 'h2wasm';
import * as F from './frames.mjs';

/** Lets every pending promise job and I/O callback run (the memory transport is all promises). */
export async function settle(rounds = 3) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A clock that moves only when told to. Timers fire in time order during `advance()`. */
export class FakeClock {
  #now = 0;
  #timers = new Map();
  #seq = 0;

  now() {
    return this.#now;
  }

  setTimeout(fn, ms) {
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn, id });
    return id;
  }

  clearTimeout(id) {
    this.#timers.delete(id);
  }

  /** Timers still pending. */
  get pending() {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers one by one and settling after each. */
  async advance(ms) {
    const target = this.#now + ms;
    for (;;) {
      await settle();
      let next = null;
      for (const t of this.#timers.values()) {
        if (t.at <= target && (next === null || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      }
      if (next === null) break;
      this.#timers.delete(next.id);
      this.#now = next.at;
      next.fn();
    }
    this.#now = target;
    await settle();
  }
}

/** Request header list for `path` (GET by default). */
export function req(path = '/', method = 'GET', extra = []) {
  return [[':method', method], [':scheme', 'http'], [':authority', 'example.test'], [':path', path], ...extra];
}

/**
 * A client and a server H2Session over a memory transport pair, both ready. Options:
 * `client`, `server` (session options), `transport` (memoryTransportPair options), `clock`
 * (given to the transport and both sessions), `after` (the test context: both sessions are
 * destroyed after the test, whatever its outcome).
 */
export async function sessionPair({ client = {}, server = {}, transport = {}, clock, after } = {}) {
  const [clientTransport, serverTransport] = memoryTransportPair({ ...(clock ? { clock } : {}), ...transport });
  const withClock = clock ? { clock } : {};
  const s = H2Session.server(serverTransport, { ...withClock, ...server });
  const c = H2Session.client(clientTransport, { ...withClock, ...client });
  after?.after(() => Promise.all([c.destroy(), s.destroy()]));
  await Promise.all([c.ready, s.ready]);
  return { client: c, server: s, clientTransport, serverTransport };
}

/** Reads a whole ReadableStream of bytes into one Uint8Array. */
export async function readAll(readable) {
  const chunks = [];
  for await (const chunk of readable) chunks.push(chunk);
  return F.concat(...chunks);
}

/** Deterministic bytes: octet i is (i * 7 + seed) & 0xff. */
export function pattern(length, seed = 0) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + seed) & 0xff;
  return out;
}

/** GOAWAY payload fields. */
export function goawayOf(frame) {
  return {
    lastStreamId: F.readU32(frame.payload) & 0x7fffffff,
    code: F.readU32(frame.payload, 4),
    debug: new TextDecoder().decode(frame.payload.subarray(8)),
  };
}

/**
 * The other end of a session's transport, played by the test with raw frames. Records the
 * frames it receives (`frames`), waits for them (`waitFor`), and keeps any trailing partial
 * frame in `leftover` so a test can check that no frame was ever cut.
 */
export class ScriptedPeer {
  #reader;
  #writer;
  #buffer = new Uint8Array(0);
  #prefaceSkipped;
  #waiters = new Set();
  frames = [];
  eof = false;
  error = null;

  /** `role` is the peer's: `'server'` (it expects the client preface) or `'client'`. */
  constructor(transport, { role = 'server' } = {}) {
    this.transport = transport;
    this.role = role;
    this.#prefaceSkipped = role !== 'server';
    this.#reader = transport.readable.getReader();
    this.#writer = transport.writable.getWriter();
    this.#readLoop();
  }

  async #readLoop() {
    for (;;) {
      let result;
      try {
        result = await this.#reader.read();
      } catch (error) {
        this.error = error;
        break;
      }
      if (result.done) {
        this.eof = true;
        break;
      }
      this.#buffer = F.concat(this.#buffer, result.value);
      this.#parse();
    }
    this.#notify();
  }

  #parse() {
    let at = 0;
    const b = this.#buffer;
    if (!this.#prefaceSkipped) {
      if (b.length < F.PREFACE.length) return;
      if (!F.PREFACE.every((x, i) => b[i] === x)) throw new Error('the client did not start with the preface');
      at = F.PREFACE.length;
      this.#prefaceSkipped = true;
    }
    while (b.length - at >= 9) {
      const length = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
      if (b.length - at - 9 < length) break;
      const [frame] = F.parseFrames(b.subarray(at, at + 9 + length));
      this.frames.push(frame);
      at += 9 + length;
    }
    this.#buffer = b.slice(at);
    this.#notify();
  }

  #notify() {
    for (const check of [...this.#waiters]) check();
  }

  /** Octets received that do not (yet) make a whole frame. */
  get leftover() {
    return this.#buffer.length;
  }

  /** Writes frames (byte arrays) as one chunk. */
  async send(...frames) {
    await this.#writer.write(F.concat(...frames));
  }

  /** Ends our direction (FIN). */
  async closeWrite() {
    await this.#writer.close();
  }

  /** Resolves with the first received frame matching `pred` (already here or to come). */
  waitFor(pred, what = 'a frame') {
    return new Promise((resolve, reject) => {
      const check = () => {
        const frame = this.frames.find(pred);
        if (frame) {
          this.#waiters.delete(check);
          resolve(frame);
        } else if (this.eof || this.error) {
          this.#waiters.delete(check);
          reject(new Error(`connection ended before ${what}; got ${this.describe()}`));
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves at EOF (or a read error). */
  ended() {
    return new Promise((resolve) => {
      const check = () => {
        if (this.eof || this.error) {
          this.#waiters.delete(check);
          resolve();
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Frames of a type received so far. */
  ofType(type) {
    return this.frames.filter((f) => f.type === type);
  }

  /** The frames so far, as `TYPE/flags/stream` words, for failure messages. */
  describe() {
    const names = Object.fromEntries(Object.entries(F.Type).map(([k, v]) => [v, k]));
    return this.frames.map((f) => `${names[f.type] ?? f.type}/${f.flags}/${f.streamId}`).join(' ');
  }

  /**
   * The handshake from the peer's side: its SETTINGS (with `settings` pairs), then it waits
   * for the session's SETTINGS and acknowledges them. A peer client sends the preface first.
   */
  async handshake(settings = []) {
    if (this.role === 'client') await this.send(F.PREFACE, F.settings(settings));
    else await this.send(F.settings(settings));
    await this.waitFor((f) => f.type === F.Type.SETTINGS && (f.flags & F.Flag.ACK) === 0, 'SETTINGS');
    await this.send(F.settingsAck());
  }
}
