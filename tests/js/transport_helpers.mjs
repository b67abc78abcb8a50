// Helpers for the byte-transport tests that run in any runtime (Node, Deno, Chromium): byte
// patterns, reading and writing a transport, and an HTTP/2 GET driven by the bare engine.
// No import: the engine class is passed in, so pages and Workers can bundle this file.

/** `length` deterministic octets that differ per `seed`. */
export function pattern(length, seed = 1) {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    // xorshift32: no short period a missing or repeated chunk could hide in
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The chunk sizes used to cut `length` octets: 1 octet up to ~100 KB, cycling. */
export function chunkSizes(length) {
  const cycle = [1, 7, 100, 1500, 16_384, 65_536, 100_003, 3];
  const sizes = [];
  for (let at = 0, i = 0; at < length; i++) {
    const n = Math.min(cycle[i % cycle.length], length - at);
    sizes.push(n);
    at += n;
  }
  return sizes;
}

/** Writes `data` to `writer` in chunks of `chunkSizes`, awaiting `ready` before each. */
export async function writeInChunks(writer, data) {
  let at = 0;
  for (const n of chunkSizes(data.length)) {
    await writer.ready;
    await writer.write(data.slice(at, at + n));
    at += n;
  }
}

/** Reads `reader` to its end; resolves with all octets and the number of chunks. */
export async function readToEnd(reader) {
  const chunks = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) throw new Error(`read a ${Object.prototype.toString.call(value)}`);
    chunks.push(value);
  }
  return { bytes: concat(chunks), chunks: chunks.length };
}

/** Reads exactly `length` octets (more arriving in the last chunk is an error). */
export async function readExactly(reader, length) {
  const chunks = [];
  let got = 0;
  while (got < length) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`end of stream after ${got} of ${length} octets`);
    chunks.push(value);
    got += value.length;
  }
  if (got !== length) throw new Error(`read ${got} octets, wanted ${length}`);
  return concat(chunks);
}

export function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Throws unless `a` and `b` hold the same octets; names the first difference. */
export function assertSameBytes(a, b, what) {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} octets, expected ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) throw new Error(`${what}: octet ${i} is ${a[i]}, expected ${b[i]}`);
  }
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with 'settled' if `promise` settles within `ms`, else 'pending'. */
export async function settlesWithin(promise, ms) {
  let timer;
  const pending = new Promise((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  const settled = promise.then(
    () => 'settled',
    () => 'settled',
  );
  return Promise.race([settled, pending]).finally(() => clearTimeout(timer));
}

/**
 * One HTTP/2 GET over `transport` with the bare engine (`new H2Connection()`; no session
 * driver): preface and SETTINGS, the request, then reads until the response ended, acknowledging
 * each DATA frame so that bodies larger than the initial window flow. Then GOAWAY, the
 * writable closed, and the readable read to its end. Resolves with
 * `{ status, headers, body, engineState }` (the engine's state after its GOAWAY: 'Closed').
 */
export async function engineGet(H2Connection, transport, { authority, path = '/' }) {
  const conn = new H2Connection({ clientSide: true });
  const writer = transport.writable.getWriter();
  const reader = transport.readable.getReader();
  const flush = async () => {
    const bytes = conn.dataToSend();
    if (bytes.length > 0) {
      await writer.ready;
      await writer.write(bytes);
    }
  };
  try {
    conn.initiateConnection();
    const id = conn.getNextAvailableStreamId();
    conn.sendHeaders(
      id,
      [
        [':method', 'GET'],
        [':path', path],
        [':scheme', 'http'],
        [':authority', authority],
      ],
      { endStream: true },
    );
    await flush();
    const response = { status: null, headers: [], chunks: [] };
    for (let ended = false; !ended; ) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the transport ended before the response did');
      for (const e of conn.receiveData(value)) {
        if (e.type === 'ResponseReceived' && e.streamId === id) {
          response.headers = e.headers;
          response.status = Number(e.headers.find(([n]) => n === ':status')?.[1]);
        } else if (e.type === 'DataReceived' && e.streamId === id) {
          response.chunks.push(e.data);
          conn.acknowledgeReceivedData(e.flowControlledLength, id);
        } else if (e.type === 'StreamEnded' && e.streamId === id) {
          ended = true;
        } else if (e.type === 'StreamReset' || e.type === 'ConnectionTerminated') {
          throw new Error(`${e.type} (error code ${e.errorCode})`);
        }
      }
      await flush();
    }
    conn.closeConnection();
    await flush();
    await writer.close();
    // Whatever the server still sends (its own GOAWAY, say), up to the end of the stream.
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
    }
    return {
      status: response.status,
      headers: response.headers,
      body: concat(response.chunks),
      engineState: conn.state,
    };
  } finally {
    conn.free();
  }
}
