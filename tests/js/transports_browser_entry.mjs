// The page script of transports_chromium.test.mjs, bundled by esbuild with the `browser`
// export condition. The browser's own WebSocket (and WebSocketStream, where it exists) goes
// through fromWebSocket / fromWebSocketStream to the ws bridges that the Node test process
// runs: one to a node:http2 server (an HTTP/2 GET with the bare engine), one to a TCP echo
// server, one to a TCP sink that the test pauses (write backpressure). The query string
// names the bridges. Results land in `globalThis.transportResults`; the backpressure check
// runs in two steps that the test calls through `globalThis.backpressure`.
import * as h2 from 'h2wasm';
import { assertSameBytes, engineGet, pattern, readExactly, settlesWithin, writeInChunks } from './transport_helpers.mjs';

const params = new URL(location.href).searchParams;
const authority = params.get('authority');
const MB = 1024 * 1024;

async function run(name, fn) {
  try {
    return { name, ok: true, value: await fn() };
  } catch (error) {
    return { name, ok: false, error: String(error?.stack ?? error) };
  }
}

async function get(transport, path) {
  const response = await engineGet(h2.H2Connection, transport, { authority, path });
  return { status: response.status, body: response.body, engineState: response.engineState };
}

async function echo(transport, length, seed) {
  const data = pattern(length, seed);
  const writer = transport.writable.getWriter();
  const reader = transport.readable.getReader();
  const [, back] = await Promise.all([writeInChunks(writer, data), readExactly(reader, data.length)]);
  assertSameBytes(back, data, 'echoed bytes');
  writer.releaseLock();
  await transport.writable.close();
  return { echoed: back.length, closed: await transport.closed };
}

async function main() {
  await h2.init();
  const big = pattern(300_000, 14);
  const hasStream = typeof globalThis.WebSocketStream === 'function';
  const results = [
    await run('WebSocket: GET /hello', async () => {
      const transport = h2.fromWebSocket(new WebSocket(params.get('h2')));
      const response = await get(transport, '/hello');
      return {
        ...response,
        body: new TextDecoder().decode(response.body),
        capabilities: transport.capabilities,
        closed: await transport.closed,
      };
    }),
    await run('WebSocket: GET /big (300 kB)', async () => {
      const response = await get(h2.fromWebSocket(new WebSocket(params.get('h2'))), '/big');
      assertSameBytes(response.body, big, 'the body');
      return { status: response.status, length: response.body.length };
    }),
    await run('WebSocket: 2 MB echo', () =>
      echo(h2.fromWebSocket(new WebSocket(params.get('echo')), { maxBufferedBytes: 4 * MB }), 2 * MB, 31),
    ),
    await run('WebSocketStream: GET /big (300 kB)', async () => {
      if (!hasStream) return 'no WebSocketStream in this browser';
      const transport = await h2.fromWebSocketStream(new WebSocketStream(params.get('h2')));
      const response = await get(transport, '/big');
      assertSameBytes(response.body, big, 'the body');
      return { status: response.status, length: response.body.length, capabilities: transport.capabilities };
    }),
    await run('WebSocketStream: 2 MB echo', async () => {
      if (!hasStream) return 'no WebSocketStream in this browser';
      return echo(await h2.fromWebSocketStream(new WebSocketStream(params.get('echo'))), 2 * MB, 32);
    }),
  ];
  globalThis.transportResults = { results, hasStream, userAgent: navigator.userAgent };
}

// Write backpressure, step 1: write 1 MB chunks to the paused sink until one write has waited
// 300 ms; step 2 (after the test resumed the sink): wait for every write.
let pending;
globalThis.backpressure = {
  async start(highWaterMark) {
    const ws = new WebSocket(params.get('sink'));
    const transport = h2.fromWebSocket(ws, { writeHighWaterMark: highWaterMark, pollIntervalMs: 5 });
    const writer = transport.writable.getWriter();
    const chunk = pattern(MB, 33);
    const writes = [];
    for (let i = 0; i < 256; i++) {
      writes.push(writer.write(chunk));
      if ((await settlesWithin(writes.at(-1), 300)) === 'pending') {
        pending = { writes, transport };
        return { stalled: true, written: writes.length * MB, bufferedAmount: ws.bufferedAmount };
      }
    }
    return { stalled: false, written: writes.length * MB, bufferedAmount: ws.bufferedAmount };
  },
  async finish() {
    await Promise.all(pending.writes);
    await pending.transport.close();
    return pending.writes.length * MB;
  },
};

main();
