// fromWebSocket with npm `ws` (and Node's global WebSocket where it exists) against a real
// `ws` server in this process that bridges each WebSocket to a real TCP server: byte
// integrity, the inbound cap, write backpressure, close and error propagation, and an
// HTTP/2 GET with the bare engine through the tunnel to a node:http2 server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fromWebSocket, H2Connection, TransportErrorCodes } from 'h2wasm';
import { WebSocket as WsWebSocket, WebSocketServer } from 'ws';
import {
  assertSameBytes,
  engineGet,
  pattern,
  readExactly,
  settlesWithin,
  withTimeout,
  writeInChunks,
} from './transport_helpers.mjs';
import { echo, startBridge, startH2Server, startServer } from './transport_servers.mjs';

const MB = 1024 * 1024;
const T = { timeout: 30_000 };

/**
 * Writes `data` in chunks while reading the same amount back (a WebSocket cannot half-close,
 * so the socket may only be closed once everything came back).
 */
async function echoThrough(transport, data) {
  const writer = transport.writable.getWriter();
  const reader = transport.readable.getReader();
  const [, back] = await Promise.all([writeInChunks(writer, data), readExactly(reader, data.length)]);
  writer.releaseLock();
  reader.releaseLock();
  return back;
}

/** Resolves with the close code the bridge's WebSocket (server side) saw. */
function serverCloseCode(bridge) {
  return new Promise((resolve) => {
    const [{ ws }] = bridge.bridges;
    ws.once('close', (code) => resolve(code));
  });
}

/** Waits until the bridge has a connection (the WebSocket handshake reached it). */
async function bridged(bridge) {
  const deadline = Date.now() + 5_000;
  while (bridge.bridges.size === 0) {
    if (Date.now() > deadline) throw new Error('no WebSocket reached the bridge');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Each WebSocket implementation under test: npm ws always, and the runtime's global one where
 * it exists (Bun, Deno, Node 22+). `sends` tells whether scripts may send close codes 1003 and
 * 1008: browsers and Deno allow only 1000 and 3000-4999, so the adapter closes those without
 * a code and the peer sees 1005.
 */
const implementations = [
  { name: 'npm ws', WebSocket: WsWebSocket },
  { name: 'global WebSocket', WebSocket: globalThis.WebSocket },
];

/** Whether `WebSocket#close(code)` accepts `code` (1003, 1008) in this implementation. */
function acceptsCloseCode(WebSocket, code) {
  const ws = new WebSocket('ws://127.0.0.1:9/');
  ws.addEventListener?.('error', () => {});
  ws.on?.('error', () => {});
  try {
    ws.close(code);
    return true;
  } catch {
    ws.close();
    return false;
  }
}

for (const { name, WebSocket } of implementations) {
  const runtime = globalThis.Deno ? `Deno ${Deno.version.deno}` : `Node ${process.version}`;
  const skip = WebSocket === undefined ? `${runtime} has no global WebSocket (Node has one from 22)` : false;
  const closeCode = (code) => (WebSocket && acceptsCloseCode(WebSocket, code) ? code : 1005);

  describe(`fromWebSocket (${name}) through a ws bridge to TCP`, { skip }, () => {
    let echoServer;
    let echoBridge;
    before(async () => {
      echoServer = await startServer(echo);
      echoBridge = await startBridge(echoServer.port);
    });
    after(async () => {
      await echoBridge?.close();
      await echoServer?.close();
    });

    test('4 MB echoed byte for byte, in chunks of 1 octet to 100 KB, written before the socket opened', T, async () => {
      const ws = new WebSocket(echoBridge.url);
      const transport = fromWebSocket(ws);
      assert.deepEqual(transport.capabilities, { halfClose: false, readBackpressure: false });
      assert.deepEqual(transport.info, { secure: false, remote: echoBridge.url });
      assert.equal(ws.readyState, 0, 'the socket is still connecting');
      const data = pattern(4 * MB, 11);
      const back = await withTimeout(echoThrough(transport, data), 20_000, 'the echo');
      assertSameBytes(back, data, 'echoed bytes');
      await transport.writable.close();
      assert.deepEqual(await withTimeout(transport.closed, 5_000, 'closed'), { code: 1000, reason: '' });
    });

    test('a text message errors the transport (ERR_TRANSPORT_NOT_BYTES) and closes the socket with 1003 (or no code)', T, async () => {
      const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await new Promise((resolve) => server.once('listening', resolve));
      const peerCode = new Promise((resolve) =>
        server.on('connection', (ws) => {
          ws.on('close', (code) => resolve(code));
          ws.send('a text message');
        }),
      );
      try {
        const transport = fromWebSocket(new WebSocket(`ws://127.0.0.1:${server.address().port}/`));
        const reader = transport.readable.getReader();
        await assert.rejects(reader.read(), { name: 'TypeError', code: TransportErrorCodes.NOT_BYTES });
        await assert.rejects(transport.closed, { code: TransportErrorCodes.NOT_BYTES });
        assert.equal(await withTimeout(peerCode, 5_000, 'the server seeing the close'), closeCode(1003));
      } finally {
        await new Promise((resolve) => server.close(resolve));
        for (const ws of server.clients) ws.terminate();
      }
    });

    test('inbound cap: more unread octets than maxBufferedBytes error the transport, 1008 (or no code) to the peer', T, async () => {
      const flood = await startServer((socket) => socket.write(pattern(2 * MB, 12)));
      const bridge = await startBridge(flood.port);
      try {
        const transport = fromWebSocket(new WebSocket(bridge.url), { maxBufferedBytes: 256 * 1024 });
        await bridged(bridge);
        const code = serverCloseCode(bridge);
        // Nobody reads: the 2 MB pile up until the cap trips.
        await assert.rejects(withTimeout(transport.closed, 10_000, 'closed'), {
          code: TransportErrorCodes.INBOUND_CAP,
        });
        await assert.rejects(transport.readable.getReader().read(), { code: TransportErrorCodes.INBOUND_CAP });
        await assert.rejects(transport.writable.getWriter().write(new Uint8Array(1)), {
          code: TransportErrorCodes.INBOUND_CAP,
        });
        assert.equal(await withTimeout(code, 5_000, 'the bridge seeing the close'), closeCode(1008));
      } finally {
        await bridge.close();
        await flood.close();
      }
    });

    test('write backpressure: writes wait while bufferedAmount is above writeHighWaterMark, then finish', T, async () => {
      let target;
      const sink = await startServer((socket) => {
        socket.pause();
        target = socket;
      });
      const bridge = await startBridge(sink.port);
      try {
        const ws = new WebSocket(bridge.url);
        const highWaterMark = 256 * 1024;
        const transport = fromWebSocket(ws, { writeHighWaterMark: highWaterMark, pollIntervalMs: 5 });
        const writer = transport.writable.getWriter();
        const data = pattern(128 * MB, 13);
        const writes = [];
        let at = 0;
        let stalled = false;
        while (at < data.length) {
          writes.push(writer.write(data.subarray(at, at + MB)));
          at += MB;
          if ((await settlesWithin(writes.at(-1), 300)) === 'pending') {
            stalled = true;
            break;
          }
        }
        assert.ok(stalled, 'every write resolved although the target read nothing');
        assert.ok(ws.bufferedAmount > highWaterMark, `bufferedAmount ${ws.bufferedAmount} while a write waits`);
        assert.ok(writer.desiredSize <= 0, `desiredSize ${writer.desiredSize}`);
        // The target reads: the waiting write resolves, and the rest goes through.
        const received = [];
        let length = 0;
        const all = new Promise((resolve) =>
          target.on('data', (chunk) => {
            received.push(chunk);
            length += chunk.length;
            if (length >= at) resolve();
          }),
        );
        target.resume();
        await withTimeout(Promise.all(writes), 20_000, 'the writes');
        await withTimeout(all, 20_000, 'the target reading');
        assertSameBytes(new Uint8Array(Buffer.concat(received)), data.subarray(0, at), 'bytes the target read');
        await transport.close();
      } finally {
        await bridge.close();
        await sink.close();
      }
    });

    test('the target ending its TCP side closes the WebSocket: readable ends, closed resolves, writes fail', T, async () => {
      const bye = await startServer((socket) => socket.end('bye\n'));
      const bridge = await startBridge(bye.port);
      try {
        const transport = fromWebSocket(new WebSocket(bridge.url));
        const reader = transport.readable.getReader();
        const { value } = await withTimeout(reader.read(), 5_000, 'the first read');
        assert.equal(new TextDecoder().decode(value), 'bye\n');
        assert.deepEqual(await withTimeout(reader.read(), 5_000, 'the end'), { done: true, value: undefined });
        const { code } = await withTimeout(transport.closed, 5_000, 'closed');
        assert.ok(code === 1000 || code === 1005, `close code ${code}`);
        await assert.rejects(transport.writable.getWriter().write(new Uint8Array(1)), {
          code: TransportErrorCodes.LOST,
        });
      } finally {
        await bridge.close();
        await bye.close();
      }
    });

    test('writable.close() closes the WebSocket with 1000, and the target sees the TCP end', T, async () => {
      let ended;
      const seen = new Promise((resolve) => (ended = resolve));
      const sink = await startServer((socket) => {
        const chunks = [];
        socket.on('data', (c) => chunks.push(c)).on('end', () => ended(Buffer.concat(chunks).toString()));
      });
      const bridge = await startBridge(sink.port);
      try {
        const transport = fromWebSocket(new WebSocket(bridge.url));
        const writer = transport.writable.getWriter();
        await writer.write(new TextEncoder().encode('last words'));
        await bridged(bridge);
        const code = serverCloseCode(bridge);
        await withTimeout(writer.close(), 5_000, 'writer.close()');
        assert.equal(await code, 1000);
        assert.equal(await withTimeout(seen, 5_000, 'the target seeing the end'), 'last words');
        assert.deepEqual(await transport.readable.getReader().read(), { done: true, value: undefined });
      } finally {
        await bridge.close();
        await sink.close();
      }
    });

    test('an abnormal close (the target resets, the bridge terminates) errors readable and rejects closed', T, async () => {
      const reset = await startServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
      const bridge = await startBridge(reset.port);
      try {
        const transport = fromWebSocket(new WebSocket(bridge.url));
        const reader = transport.readable.getReader();
        await transport.writable.getWriter().write(new Uint8Array([1, 2, 3]));
        await assert.rejects(withTimeout(reader.read(), 5_000, 'the read'), {
          code: TransportErrorCodes.LOST,
          message: /closed abnormally/, // code 1006 (Deno's global WebSocket reports 0)
        });
        await assert.rejects(transport.closed, { code: TransportErrorCodes.LOST });
      } finally {
        await bridge.close();
        await reset.close();
      }
    });

    test('close() closes at once: the streams error with ERR_TRANSPORT_CLOSED, closed resolves', T, async () => {
      const transport = fromWebSocket(new WebSocket(echoBridge.url));
      const writer = transport.writable.getWriter();
      await writer.write(new Uint8Array([1]));
      const reader = transport.readable.getReader();
      await reader.read(); // the echo: the socket is open
      const pending = reader.read().then(() => null, (error) => error);
      await withTimeout(transport.close(), 5_000, 'close()');
      assert.equal((await pending)?.code, TransportErrorCodes.CLOSED);
      await assert.rejects(writer.write(new Uint8Array(1)), { code: TransportErrorCodes.CLOSED });
      await withTimeout(transport.closed, 1_000, 'closed');
    });

    describe('HTTP/2 through the tunnel', () => {
      let h2Server;
      let h2Bridge;
      const big = pattern(300_000, 14);
      before(async () => {
        h2Server = await startH2Server(big);
        h2Bridge = await startBridge(h2Server.port);
      });
      after(async () => {
        await h2Bridge?.close();
        await h2Server?.close();
      });

      test('the bare engine GETs / from node:http2 over fromWebSocket', T, async () => {
        const transport = fromWebSocket(new WebSocket(h2Bridge.url));
        const response = await withTimeout(
          engineGet(H2Connection, transport, { authority: `127.0.0.1:${h2Server.port}`, path: '/hello' }),
          10_000,
          'the GET',
        );
        assert.equal(response.status, 200);
        assert.deepEqual(response.headers.find(([n]) => n === 'x-path'), ['x-path', '/hello']);
        assert.equal(new TextDecoder().decode(response.body), 'hello from node:http2 at /hello\n');
        assert.equal(response.engineState, 'Closed');
        await withTimeout(transport.closed, 5_000, 'closed');
      });

      test('a 300 kB body (over the 65,535-octet window) arrives intact', T, async () => {
        const transport = fromWebSocket(new WebSocket(h2Bridge.url));
        const response = await withTimeout(
          engineGet(H2Connection, transport, { authority: `127.0.0.1:${h2Server.port}`, path: '/big' }),
          10_000,
          'the GET',
        );
        assert.equal(response.status, 200);
        assertSameBytes(response.body, big, 'the body');
      });
    });
  });
}

describe('fromWebSocket (npm ws, EventEmitter interface only)', () => {
  let echoServer;
  let echoBridge;
  before(async () => {
    echoServer = await startServer(echo);
    echoBridge = await startBridge(echoServer.port);
  });
  after(async () => {
    await echoBridge?.close();
    await echoServer?.close();
  });

  test('a socket with on/off but no addEventListener echoes and closes the same way', T, async () => {
    const ws = new WsWebSocket(echoBridge.url);
    // The same npm ws socket, seen without its EventTarget methods.
    const emitterOnly = new Proxy(ws, {
      get(target, key) {
        if (key === 'addEventListener' || key === 'removeEventListener') return undefined;
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
      set(target, key, value) {
        return Reflect.set(target, key, value, target);
      },
    });
    const transport = fromWebSocket(emitterOnly);
    const data = pattern(512 * 1024, 15);
    assertSameBytes(await withTimeout(echoThrough(transport, data), 10_000, 'the echo'), data, 'echoed bytes');
    assert.equal(ws.binaryType, 'arraybuffer');
    await transport.writable.close();
    assert.deepEqual(await transport.closed, { code: 1000, reason: '' });
  });
});
