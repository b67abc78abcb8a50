// fromNodeSocket and connectNode over real loopback TCP and TLS connections (the peers are
// node:net / node:tls servers in this process; TLS uses a self-signed certificate made with
// openssl at test time, and ALPN h2).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connectNode, fromNodeSocket, TransportErrorCodes } from 'h2wasm';
import {
  assertSameBytes,
  pattern,
  readExactly,
  readToEnd,
  settlesWithin,
  withTimeout,
  writeInChunks,
} from './transport_helpers.mjs';
import { echo, selfSignedCert, startServer } from './transport_servers.mjs';

const MB = 1024 * 1024;
const T = { timeout: 30_000 };

/** Echoes `data` through `transport`, writing and reading at once; returns what came back. */
async function echoThrough(transport, data) {
  const writer = transport.writable.getWriter();
  const reader = transport.readable.getReader();
  const [, back] = await Promise.all([
    writeInChunks(writer, data).then(() => writer.close()),
    readToEnd(reader),
  ]);
  return back;
}

/** A plain socket to `port`, connected. */
async function connected(port, options = {}) {
  const socket = net.connect({ host: '127.0.0.1', port, ...options });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

/** Resolves with `progress()` once it has not changed for `quietMs`. */
async function stall(progress, quietMs) {
  for (let last = progress(); ; ) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = progress();
    if (now === last) return now;
    last = now;
  }
}

/** The first connection `server` gets, as a promise (servers made with `startServer(hook)`). */
function nextConnection() {
  let give;
  const promise = new Promise((resolve) => (give = resolve));
  return { promise, hook: (socket) => give(socket) };
}

describe('fromNodeSocket over loopback TCP', () => {
  let echoServer;
  before(async () => {
    echoServer = await startServer(echo);
  });
  after(() => echoServer.close());

  test('connectNode: 4 MB echoed both ways byte for byte, in chunks of 1 octet to 100 KB', T, async () => {
    const transport = await connectNode({ host: '127.0.0.1', port: echoServer.port });
    assert.deepEqual(transport.capabilities, { halfClose: true, readBackpressure: true });
    assert.equal(transport.info.secure, false);
    assert.equal(transport.info.alpn, undefined);
    assert.equal(transport.info.remote, `127.0.0.1:${echoServer.port}`);
    const data = pattern(4 * MB, 1);
    const back = await withTimeout(echoThrough(transport, data), 20_000, 'the echo');
    assertSameBytes(back.bytes, data, 'echoed bytes');
    assert.ok(back.chunks > 1);
    await withTimeout(transport.closed, 5_000, 'closed');
  });

  test('read backpressure: an unread readable pauses the socket, so the peer’s writes stop draining', T, async () => {
    const conn = nextConnection();
    const server = await startServer(conn.hook);
    try {
      const socket = await connected(server.port, { allowHalfOpen: true });
      const transport = fromNodeSocket(socket, { readHighWaterMark: 64 * 1024 });
      const peer = await conn.promise;
      // The peer writes 1 MB chunks whenever its socket takes more, and ends after 64 MB.
      const data = pattern(64 * MB, 2);
      let offered = 0;
      const pump = () => {
        while (offered < data.length) {
          const ok = peer.write(data.subarray(offered, offered + MB));
          offered += MB;
          if (!ok) return;
        }
        peer.end();
      };
      peer.on('drain', pump);
      pump();
      // Nobody reads: the transport pauses the socket, and the peer's writes stop draining.
      const stalledAt = await withTimeout(stall(() => offered, 500), 10_000, 'the peer stalling');
      assert.ok(stalledAt < 32 * MB, `the peer wrote ${stalledAt} octets while nothing read`);
      assert.equal(socket.isPaused(), true, 'the socket was not paused');
      // Reading resumes the socket: the peer drains, writes the rest and ends.
      const back = await withTimeout(readToEnd(transport.readable.getReader()), 20_000, 'reading');
      assertSameBytes(back.bytes, data, 'bytes read');
      await transport.writable.close();
      await withTimeout(transport.closed, 5_000, 'closed');
    } finally {
      await server.close();
    }
  });

  test('write backpressure: writes stay pending while the peer does not read, and finish when it does', T, async () => {
    const conn = nextConnection();
    const server = await startServer((socket) => {
      socket.pause();
      conn.hook(socket);
    });
    try {
      const transport = await connectNode({ host: '127.0.0.1', port: server.port });
      const peer = await conn.promise;
      const writer = transport.writable.getWriter();
      const data = pattern(64 * MB, 3);
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
      assert.ok(stalled, 'every write resolved although the peer read nothing');
      assert.ok(writer.desiredSize <= 0, `desiredSize ${writer.desiredSize}`);
      const stalledAt = at;
      // The peer reads: the pending write resolves, and the rest goes through.
      const received = readExactly(
        new ReadableStream({
          start(c) {
            peer.on('data', (chunk) => c.enqueue(new Uint8Array(chunk)));
          },
        }).getReader(),
        data.length,
      );
      peer.resume();
      while (at < data.length) {
        writes.push(writer.write(data.subarray(at, at + MB)));
        at += MB;
      }
      await withTimeout(Promise.all(writes), 20_000, 'the writes');
      assertSameBytes(await withTimeout(received, 20_000, 'the peer reading'), data, 'bytes the peer read');
      assert.ok(stalledAt < 48 * MB, `${stalledAt} octets were taken before the stall`);
      await transport.close();
    } finally {
      await server.close();
    }
  });

  test('half-close: closing writable sends EOF to the peer, and reading goes on', T, async () => {
    const reply = pattern(MB, 4);
    const server = await startServer((socket) => {
      let n = 0;
      socket.on('data', (chunk) => (n += chunk.length));
      socket.on('end', () => {
        // Only after our EOF: what the peer saw, then a megabyte, then its own EOF.
        socket.write(`got ${n}\n`);
        socket.end(reply);
      });
    });
    try {
      const transport = await connectNode({ host: '127.0.0.1', port: server.port });
      const writer = transport.writable.getWriter();
      await writer.write(pattern(100_000, 5));
      await withTimeout(writer.close(), 5_000, 'writer.close()');
      const back = await withTimeout(readToEnd(transport.readable.getReader()), 10_000, 'reading');
      const head = new TextDecoder().decode(back.bytes.subarray(0, 11));
      assert.equal(head, 'got 100000\n');
      assertSameBytes(back.bytes.subarray(11), reply, 'bytes sent after our EOF');
      await withTimeout(transport.closed, 5_000, 'closed');
    } finally {
      await server.close();
    }
  });

  test('the peer’s EOF ends readable; writing goes on until we end, then closed resolves', T, async () => {
    const conn = nextConnection();
    const server = await startServer((socket) => {
      socket.end('bye\n');
      conn.hook(socket);
    });
    try {
      const transport = await connectNode({ host: '127.0.0.1', port: server.port });
      const peer = await conn.promise;
      const seen = [];
      const peerEnded = new Promise((resolve) => peer.on('data', (c) => seen.push(c)).on('end', resolve));
      const back = await withTimeout(readToEnd(transport.readable.getReader()), 5_000, 'reading');
      assert.equal(new TextDecoder().decode(back.bytes), 'bye\n');
      assert.equal(await settlesWithin(transport.closed, 100), 'pending', 'closed settled while we could still write');
      const writer = transport.writable.getWriter();
      await writer.write(new TextEncoder().encode('late words'));
      await writer.close();
      await withTimeout(peerEnded, 5_000, 'the peer seeing our EOF');
      assert.equal(Buffer.concat(seen).toString(), 'late words');
      await withTimeout(transport.closed, 5_000, 'closed');
    } finally {
      await server.close();
    }
  });

  test('a connection reset errors readable and writable and rejects closed', T, async () => {
    const server = await startServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    try {
      const transport = await connectNode({ host: '127.0.0.1', port: server.port });
      const reader = transport.readable.getReader();
      const writer = transport.writable.getWriter();
      await writer.write(new Uint8Array([1, 2, 3]));
      const readError = await withTimeout(reader.read().then(() => null, (e) => e), 5_000, 'the read');
      assert.equal(readError?.code, 'ECONNRESET');
      await assert.rejects(withTimeout(transport.closed, 5_000, 'closed'), { code: 'ECONNRESET' });
      await assert.rejects(writer.write(new Uint8Array([4])), { code: 'ECONNRESET' });
    } finally {
      await server.close();
    }
  });

  test('close() destroys the socket: the peer sees the end, our streams error, closed resolves', T, async () => {
    const conn = nextConnection();
    const server = await startServer(conn.hook);
    try {
      const transport = await connectNode({ host: '127.0.0.1', port: server.port });
      const peer = await conn.promise;
      const peerEnded = new Promise((resolve) => peer.on('end', resolve));
      peer.resume();
      const reader = transport.readable.getReader();
      const pendingRead = reader.read().then(() => null, (error) => error);
      await transport.close();
      assert.equal((await pendingRead)?.code, TransportErrorCodes.CLOSED);
      await assert.rejects(transport.writable.getWriter().write(new Uint8Array(1)), {
        code: TransportErrorCodes.CLOSED,
      });
      await withTimeout(transport.closed, 1_000, 'closed');
      await withTimeout(peerEnded, 5_000, 'the peer seeing the end');
    } finally {
      await server.close();
    }
  });

  test('without allowHalfOpen, halfClose is false: the peer’s EOF ends our writing too', T, async () => {
    const server = await startServer((socket) => socket.end('bye\n'));
    try {
      const socket = await connected(server.port); // allowHalfOpen: false, Node's default
      const transport = fromNodeSocket(socket);
      assert.deepEqual(transport.capabilities, { halfClose: false, readBackpressure: true });
      const back = await readToEnd(transport.readable.getReader());
      assert.equal(new TextDecoder().decode(back.bytes), 'bye\n');
      await assert.rejects(transport.writable.getWriter().write(new Uint8Array([1])));
      await withTimeout(transport.closed.catch(() => {}), 5_000, 'closed');
    } finally {
      await server.close();
    }
  });

  test('chunks that are not bytes are refused with a TypeError', T, async () => {
    const transport = await connectNode({ host: '127.0.0.1', port: echoServer.port });
    await assert.rejects(transport.writable.getWriter().write('text'), {
      name: 'TypeError',
      code: TransportErrorCodes.NOT_BYTES,
    });
    await transport.close();
  });

  test('connectNode rejects a refused connection and an aborted attempt', T, async () => {
    const closedPort = await startServer(() => {}).then(async (s) => {
      await s.close();
      return s.port;
    });
    await assert.rejects(connectNode({ host: '127.0.0.1', port: closedPort }), { code: 'ECONNREFUSED' });
    await assert.rejects(
      connectNode({ host: '127.0.0.1', port: echoServer.port, signal: AbortSignal.abort() }),
      { name: 'AbortError' },
    );
  });
});

describe('fromNodeSocket over TLS with ALPN', () => {
  let cert;
  let h2Server;
  before(async () => {
    cert = selfSignedCert();
    h2Server = await startServer(echo, { ...cert, ALPNProtocols: ['h2'] });
  });
  after(() => h2Server?.close());

  const tlsOptions = () => ({ host: '127.0.0.1', tls: true, servername: 'localhost', ca: cert.cert });

  test('connectNode negotiates h2; info says alpn h2, secure; 4 MB echoed both ways', T, async () => {
    const transport = await connectNode({ ...tlsOptions(), port: h2Server.port });
    assert.equal(transport.info.alpn, 'h2');
    assert.equal(transport.info.secure, true);
    assert.equal(transport.info.remote, `127.0.0.1:${h2Server.port}`);
    assert.deepEqual(transport.capabilities, { halfClose: true, readBackpressure: true });
    const data = pattern(4 * MB, 6);
    const back = await withTimeout(echoThrough(transport, data), 20_000, 'the echo');
    assertSameBytes(back.bytes, data, 'echoed bytes');
    await withTimeout(transport.closed, 5_000, 'closed');
  });

  test('half-close over TLS: the peer sees EOF and its reply still arrives', T, async () => {
    const server = await startServer(
      (socket) => {
        let n = 0;
        socket.on('data', (chunk) => (n += chunk.length));
        socket.on('end', () => socket.end(`got ${n} after EOF\n`));
      },
      { ...cert, ALPNProtocols: ['h2'] },
    );
    try {
      const transport = await connectNode({ ...tlsOptions(), port: server.port });
      const writer = transport.writable.getWriter();
      await writer.write(pattern(300_000, 7));
      await writer.close();
      const back = await withTimeout(readToEnd(transport.readable.getReader()), 10_000, 'reading');
      assert.equal(new TextDecoder().decode(back.bytes), 'got 300000 after EOF\n');
      await withTimeout(transport.closed, 5_000, 'closed');
    } finally {
      await server.close();
    }
  });

  test('connectNode rejects when the server selects no ALPN protocol, and closes the connection', T, async () => {
    // No ALPNProtocols; and not half-open, so the server closes once our end arrives.
    const server = await startServer(() => {}, { ...cert, allowHalfOpen: false });
    try {
      await assert.rejects(connectNode({ ...tlsOptions(), port: server.port }), {
        code: TransportErrorCodes.ALPN,
        message: /no protocol/,
      });
      const deadline = Date.now() + 5_000;
      while ((await server.connections()) > 0) {
        if (Date.now() > deadline) throw new Error('the connection stayed open at the server');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await server.close();
    }
  });

  test('connectNode rejects a certificate it cannot verify', T, async () => {
    await assert.rejects(
      connectNode({ host: '127.0.0.1', port: h2Server.port, tls: true, servername: 'localhost' }),
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    );
  });
});
