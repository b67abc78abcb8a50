// Real peers for the byte-transport tests, run inside the Node test process: TCP and TLS
// servers on 127.0.0.1, a self-signed certificate made with openssl, an h2c server
// (node:http2), and a WebSocket-to-TCP bridge on npm `ws`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { createWebSocketStream, WebSocketServer } from 'ws';

/**
 * A self-signed certificate for `localhost` and 127.0.0.1 (P-256, valid two days), made now
 * with the openssl command line (scripts/setup.sh installs it). Returns `{ key, cert }` PEM.
 */
export function selfSignedCert() {
  const dir = mkdtempSync(join(tmpdir(), 'h2wasm-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2',
        '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:FALSE',
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A TCP (or, with `tlsOptions`, TLS) server on 127.0.0.1 that hands each connection to
 * `onConnection(socket)`. Half-open connections are allowed. Returns
 * `{ port, sockets, connections(), close() }`: `connections()` counts the TCP connections
 * still open (TLS ones too, handshake done or not); `close()` destroys the sockets still open.
 */
export async function startServer(onConnection, tlsOptions) {
  const sockets = new Set();
  const handler = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // each test looks at what it expects
    onConnection(socket);
  };
  const server = tlsOptions
    ? tls.createServer({ allowHalfOpen: true, ...tlsOptions }, handler)
    : net.createServer({ allowHalfOpen: true }, handler);
  server.on('tlsClientError', () => {});
  // Every TCP connection, TLS handshake done or not, so that close() can end them all.
  const raw = new Set();
  server.on('connection', (socket) => {
    raw.add(socket);
    socket.on('close', () => raw.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    sockets,
    connections: () => new Promise((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n)))),
    close() {
      for (const s of [...sockets, ...raw]) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Echoes every connection's bytes back, and ends its side after the peer's end. */
export function echo(socket) {
  socket.pipe(socket);
}

/**
 * An h2c server (node:http2, prior knowledge) that answers GET `/big` with `bigBody` and any
 * other path with a short text. Returns `{ port, close() }`.
 */
export async function startH2Server(bigBody) {
  const server = http2.createServer();
  const sessions = new Set();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    if (headers[':path'] === '/big') {
      stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'x-length': String(bigBody.length) });
      stream.end(bigBody);
    } else {
      stream.respond({ ':status': 200, 'content-type': 'text/plain', 'x-path': headers[':path'] });
      stream.end(`hello from node:http2 at ${headers[':path']}\n`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close() {
      for (const s of sessions) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A WebSocket server that bridges each connection to a new TCP connection to `targetPort`
 * on 127.0.0.1 and pipes bytes both ways: binary messages to the TCP socket, TCP data as
 * binary messages, with backpressure both ways (npm `ws` createWebSocketStream pauses the
 * WebSocket's socket while the TCP side does not drain, and the other way round). The TCP
 * end ends the WebSocket (close 1000) and the other way round; a TCP error or reset
 * terminates the WebSocket (close 1006 at the client).
 *
 * Returns `{ url, port, bridges, close() }`; `bridges` holds `{ ws, tcp }` per connection.
 */
export async function startBridge(targetPort) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const bridges = new Set();
  wss.on('connection', (ws) => {
    const tcp = net.connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
    const duplex = createWebSocketStream(ws);
    // When the TCP side ends, close with 1000 (ws's own ending closes without a code, which
    // the client sees as 1005, and does so only when the client's close had not come first:
    // a race). _final runs after every earlier write reached ws.send, so the data goes first.
    duplex._final = (callback) => {
      if (ws.readyState === ws.OPEN) ws.close(1000);
      callback();
    };
    const bridge = { ws, tcp, duplex };
    bridges.add(bridge);
    duplex.on('error', () => tcp.destroy());
    tcp.on('error', () => ws.terminate());
    ws.on('close', () => {
      bridges.delete(bridge);
      tcp.destroy();
    });
    duplex.pipe(tcp);
    tcp.pipe(duplex);
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  const { port } = wss.address();
  return {
    url: `ws://127.0.0.1:${port}/`,
    port,
    bridges,
    close() {
      for (const { ws, tcp } of bridges) {
        ws.terminate();
        tcp.destroy();
      }
      return new Promise((resolve) => wss.close(resolve));
    },
  };
}
