// The byte-transport adapters in Deno (`deno test --unstable-net --allow-read --allow-net
// --allow-run=openssl`): fromDenoConn over real loopback connections (Deno.listen /
// Deno.connect, and TLS with ALPN through Deno.listenTls / Deno.connectTls), connectNode
// through Deno's node:net and node:tls, and fromWebTransportStream over a Deno WebTransport
// session. The TCP peers are plain Deno connections driven with conn.read / conn.write.
import { connectNode, fromDenoConn, fromWebTransportStream, TransportErrorCodes } from 'h2wasm';
import { assertSameBytes, pattern, readExactly, readToEnd, withTimeout, writeInChunks } from './transport_helpers.mjs';

const MB = 1024 * 1024;
const text = (bytes) => new TextDecoder().decode(bytes);
const utf8 = (s) => new TextEncoder().encode(s);

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: ${a}, expected ${b}`);
}

async function writeAll(conn, bytes) {
  for (let at = 0; at < bytes.length; ) at += await conn.write(bytes.subarray(at));
}

/** Reads a raw Deno connection to EOF (conn.read, so the connection stays writable). */
async function readAllRaw(conn) {
  const chunks = [];
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) break;
    chunks.push(buffer.slice(0, n));
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A listener on 127.0.0.1 whose first connection goes to `peer(conn)`; resolves with
 * `{ port, done, close() }`, `done` being what `peer` returned.
 */
function serve(peer, listen = (o) => Deno.listen(o), options = {}) {
  const listener = listen({ hostname: '127.0.0.1', port: 0, ...options });
  const done = listener.accept().then(async (conn) => {
    try {
      return await peer(conn);
    } finally {
      try {
        conn.close();
      } catch {
        // the peer closed it already
      }
    }
  });
  done.catch(() => {}); // a test that fails early never awaits it
  return { port: listener.addr.port, done, close: () => listener.close() };
}

/** Echoes until EOF, then half-closes. */
async function echoPeer(conn) {
  const buffer = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await conn.read(buffer);
    if (n === null) break;
    await writeAll(conn, buffer.subarray(0, n));
  }
  await conn.closeWrite();
}

/** A self-signed certificate for localhost / 127.0.0.1 from the openssl command line. */
async function selfSignedCert() {
  const { success, stdout, stderr } = await new Deno.Command('openssl', {
    args: [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', '/dev/stdout', '-out', '/dev/stdout', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:FALSE',
    ],
  }).output();
  if (!success) throw new Error(`openssl failed: ${text(stderr)}`);
  const pem = text(stdout);
  const key = /-----BEGIN PRIVATE KEY-----[^]*?-----END PRIVATE KEY-----\n/.exec(pem)?.[0];
  const cert = /-----BEGIN CERTIFICATE-----[^]*?-----END CERTIFICATE-----\n/.exec(pem)?.[0];
  if (!key || !cert) throw new Error(`openssl printed no key or certificate:\n${pem}`);
  return { key, cert };
}

Deno.test('fromDenoConn: 4 MB echoed byte for byte; half-close ends the echo; the connection is released', async () => {
  const server = serve(echoPeer);
  try {
    const conn = await Deno.connect({ hostname: '127.0.0.1', port: server.port });
    const transport = await fromDenoConn(conn);
    equal(transport.capabilities, { halfClose: true, readBackpressure: true }, 'capabilities');
    equal(transport.info, { secure: false, remote: `127.0.0.1:${server.port}` }, 'info');
    const data = pattern(4 * MB, 21);
    const writer = transport.writable.getWriter();
    const [, back] = await withTimeout(
      Promise.all([writeInChunks(writer, data).then(() => writer.close()), readToEnd(transport.readable.getReader())]),
      20_000,
      'the echo',
    );
    assertSameBytes(back.bytes, data, 'echoed bytes');
    await withTimeout(transport.closed, 5_000, 'closed');
    await server.done;
    let closeError = null;
    try {
      conn.close();
    } catch (error) {
      closeError = error;
    }
    assert(closeError instanceof Deno.errors.BadResource, `the transport left the connection open (${closeError})`);
  } finally {
    server.close();
  }
});

Deno.test('fromDenoConn half-close: closing writable sends EOF (closeWrite), and the reply after it arrives', async () => {
  const server = serve(async (conn) => {
    const got = await readAllRaw(conn);
    await writeAll(conn, utf8(`got ${got.length} after EOF\n`));
    await conn.closeWrite();
  });
  try {
    const transport = await fromDenoConn(await Deno.connect({ hostname: '127.0.0.1', port: server.port }));
    const writer = transport.writable.getWriter();
    await writer.write(pattern(100_000, 22));
    await writer.close();
    const back = await withTimeout(readToEnd(transport.readable.getReader()), 5_000, 'reading');
    equal(text(back.bytes), 'got 100000 after EOF\n', 'the reply');
    await withTimeout(transport.closed, 5_000, 'closed');
    await server.done;
  } finally {
    server.close();
  }
});

Deno.test('fromDenoConn: after the peer’s EOF we can still write (conn.readable would have closed the connection)', async () => {
  const server = serve(async (conn) => {
    await writeAll(conn, utf8('bye\n'));
    await conn.closeWrite();
    return text(await readAllRaw(conn));
  });
  try {
    const transport = await fromDenoConn(await Deno.connect({ hostname: '127.0.0.1', port: server.port }));
    const back = await withTimeout(readToEnd(transport.readable.getReader()), 5_000, 'reading');
    equal(text(back.bytes), 'bye\n', 'what the peer sent');
    const writer = transport.writable.getWriter();
    await writer.write(utf8('late words'));
    await writer.close();
    equal(await withTimeout(server.done, 5_000, 'the peer reading'), 'late words', 'what the peer read after its EOF');
    await withTimeout(transport.closed, 5_000, 'closed');
  } finally {
    server.close();
  }
});

Deno.test('fromDenoConn read backpressure: while nothing reads, the peer’s writes stop completing', async () => {
  const data = pattern(64 * MB, 23);
  let written = 0;
  const server = serve(async (conn) => {
    for (; written < data.length; written += MB) await writeAll(conn, data.subarray(written, written + MB));
    await conn.closeWrite();
  });
  try {
    const transport = await fromDenoConn(await Deno.connect({ hostname: '127.0.0.1', port: server.port }));
    await new Promise((r) => setTimeout(r, 300));
    const first = written;
    await new Promise((r) => setTimeout(r, 300));
    equal(written, first, 'octets the peer wrote while nothing read (stalled)');
    assert(written < 32 * MB, `${written} octets were written before the stall`);
    const back = await withTimeout(readToEnd(transport.readable.getReader()), 20_000, 'reading');
    assertSameBytes(back.bytes, data, 'bytes read');
    await transport.writable.close();
    await withTimeout(transport.closed, 5_000, 'closed');
    await server.done;
  } finally {
    server.close();
  }
});

Deno.test('fromDenoConn close(): our streams error with ERR_TRANSPORT_CLOSED, the peer sees the end', async () => {
  const server = serve((conn) => readAllRaw(conn).then((b) => b.length));
  try {
    const transport = await fromDenoConn(await Deno.connect({ hostname: '127.0.0.1', port: server.port }));
    const pending = transport.readable.getReader().read().then(() => null, (error) => error);
    await transport.close();
    equal((await pending)?.code, TransportErrorCodes.CLOSED, 'the pending read’s error code');
    await withTimeout(transport.closed, 1_000, 'closed');
    equal(await withTimeout(server.done, 5_000, 'the peer seeing the end'), 0, 'octets the peer read');
  } finally {
    server.close();
  }
});

Deno.test('fromDenoConn over TLS: the handshake gives alpn h2; 1 MB echoed with half-close', async () => {
  const { key, cert } = await selfSignedCert();
  const server = serve(echoPeer, (o) => Deno.listenTls(o), { key, cert, alpnProtocols: ['h2'] });
  try {
    const conn = await Deno.connectTls({
      hostname: 'localhost',
      port: server.port,
      caCerts: [cert],
      alpnProtocols: ['h2'],
    });
    const transport = await fromDenoConn(conn);
    equal(transport.info, { alpn: 'h2', secure: true, remote: `127.0.0.1:${server.port}` }, 'info');
    const data = pattern(MB, 24);
    const writer = transport.writable.getWriter();
    const [, back] = await withTimeout(
      Promise.all([writeInChunks(writer, data).then(() => writer.close()), readToEnd(transport.readable.getReader())]),
      20_000,
      'the echo',
    );
    assertSameBytes(back.bytes, data, 'echoed bytes');
    await withTimeout(transport.closed, 5_000, 'closed');
    await server.done;
  } finally {
    server.close();
  }
});

Deno.test('connectNode in Deno (node:net): 1 MB echoed with half-close', async () => {
  const server = serve(echoPeer);
  try {
    const transport = await connectNode({ host: '127.0.0.1', port: server.port });
    equal(transport.capabilities, { halfClose: true, readBackpressure: true }, 'capabilities');
    const data = pattern(MB, 25);
    const writer = transport.writable.getWriter();
    const [, back] = await withTimeout(
      Promise.all([writeInChunks(writer, data).then(() => writer.close()), readToEnd(transport.readable.getReader())]),
      20_000,
      'the echo',
    );
    assertSameBytes(back.bytes, data, 'echoed bytes');
    await withTimeout(transport.closed, 5_000, 'closed');
    await server.done;
  } finally {
    server.close();
  }
});

Deno.test('connectNode in Deno (node:tls): ALPN h2 negotiated and reported', async () => {
  const { key, cert } = await selfSignedCert();
  const server = serve(echoPeer, (o) => Deno.listenTls(o), { key, cert, alpnProtocols: ['h2'] });
  try {
    const transport = await connectNode({
      host: '127.0.0.1',
      port: server.port,
      tls: true,
      servername: 'localhost',
      ca: cert,
    });
    equal([transport.info.alpn, transport.info.secure], ['h2', true], 'alpn and secure');
    const writer = transport.writable.getWriter();
    await writer.write(utf8('ping'));
    await writer.close();
    equal(text((await readToEnd(transport.readable.getReader())).bytes), 'ping', 'the echo');
    await withTimeout(transport.closed, 5_000, 'closed');
    await server.done;
  } finally {
    server.close();
  }
});

// ---- WebTransport: Deno's own server (Deno.QuicEndpoint + Deno.upgradeWebTransport) and
// client (WebTransport), both behind --unstable-net. In Deno 2.9.6 only data crosses on a
// stream: a closed send side (FIN) and a reset (RESET_STREAM / STOP_SENDING) never reach the
// peer, in either direction (only closing the session does). So these tests read exact
// lengths and check neither half-close nor the peer seeing a reset.

const hasWebTransport = typeof Deno.QuicEndpoint === 'function' && typeof globalThis.WebTransport === 'function';

/**
 * A WebTransport session between a Deno server and client on 127.0.0.1. The server hands each
 * bidirectional stream the client opens to `peer(bidi)`. Returns `{ client, done, close() }`.
 */
async function webTransportPair(peer) {
  const { key, cert } = await selfSignedCert();
  const endpoint = new Deno.QuicEndpoint({ hostname: '127.0.0.1', port: 0 });
  const listener = endpoint.listen({ cert, key, alpnProtocols: ['h3'] });
  let session;
  const done = (async () => {
    session = await Deno.upgradeWebTransport(await (await listener.incoming()).accept());
    await session.ready;
    const reader = session.incomingBidirectionalStreams.getReader();
    const { value: bidi } = await reader.read();
    reader.releaseLock();
    return peer(bidi);
  })();
  done.catch(() => {});
  const der = Uint8Array.from(atob(cert.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
  const client = new WebTransport(`https://127.0.0.1:${endpoint.addr.port}/h2`, {
    serverCertificateHashes: [{ algorithm: 'sha-256', value: hash }],
  });
  await client.ready;
  return {
    client,
    done,
    close() {
      client.close();
      session?.close();
      endpoint.close();
    },
  };
}

Deno.test({
  name: 'fromWebTransportStream: 1 MB echoed byte for byte over a Deno WebTransport session',
  ignore: !hasWebTransport,
  async fn() {
    const data = pattern(MB, 26);
    const pair = await webTransportPair(async (bidi) => {
      const reader = bidi.readable.getReader();
      const writer = bidi.writable.getWriter();
      for (let n = 0; n < data.length; ) {
        const { value, done } = await reader.read();
        if (done) break;
        await writer.write(value);
        n += value.length;
      }
    });
    try {
      const transport = fromWebTransportStream(await pair.client.createBidirectionalStream());
      equal(transport.capabilities, { halfClose: true, readBackpressure: true }, 'capabilities');
      equal(transport.info, { secure: true }, 'info');
      const [, back] = await withTimeout(
        Promise.all([
          writeInChunks(transport.writable.getWriter(), data),
          readExactly(transport.readable.getReader(), data.length),
        ]),
        20_000,
        'the echo',
      );
      assertSameBytes(back, data, 'echoed bytes');
      await withTimeout(pair.done, 5_000, 'the peer');
      await transport.close();
    } finally {
      pair.close();
    }
  },
});

Deno.test({
  name: 'fromWebTransportStream close(): our streams error with ERR_TRANSPORT_CLOSED, closed resolves',
  ignore: !hasWebTransport,
  async fn() {
    const pair = await webTransportPair(async (bidi) => {
      const { value } = await bidi.readable.getReader().read();
      return value.length;
    });
    try {
      const transport = fromWebTransportStream(await pair.client.createBidirectionalStream());
      const writer = transport.writable.getWriter();
      await writer.write(utf8('hello'));
      equal(await withTimeout(pair.done, 5_000, 'the peer'), 5, 'octets the peer read');
      const pending = transport.readable.getReader().read().then(() => null, (error) => error);
      await transport.close();
      equal((await pending)?.code, TransportErrorCodes.CLOSED, 'our pending read’s error code');
      const writeError = await writer.write(utf8('more')).then(() => null, (error) => error);
      equal(writeError?.code, TransportErrorCodes.CLOSED, 'a write after close()');
      await withTimeout(transport.closed, 1_000, 'closed');
    } finally {
      pair.close();
    }
  },
});
