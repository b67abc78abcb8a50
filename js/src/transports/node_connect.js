/**
 * `connectNode(options)`: opens a TCP or TLS connection with `node:net` / `node:tls` and
 * returns it as a ByteTransport (see node_socket.js for the capabilities and caveats).
 *
 * Exported by the Node entry point only (Node, Deno and Bun load it), never from api.js, so
 * browser and workerd bundles never see `node:*` specifiers; the modules are loaded by a
 * dynamic import on the first call. Deno and Bun serve them through their Node compatibility.
 *
 * - Plain TCP (`tls` unset) is h2c with prior knowledge: nothing is negotiated.
 * - With `tls`, ALPN offers `ALPNProtocols` (default `['h2']`) and the promise rejects (code
 *   ERR_TRANSPORT_ALPN, socket destroyed) unless the server picked `h2`.
 * - Sockets are created with `allowHalfOpen: true` (so `halfClose` is true) and `noDelay`.
 */
import { fromNodeSocket } from './node_socket.js';
import { transportError, TransportErrorCodes } from './support.js';

/**
 * Connects and resolves with the transport once the connection (and the TLS handshake) is
 * up. Other options are passed to `net.connect` / `tls.connect` as they are.
 *
 * @param {object} options
 * @param {string} [options.host] default `'localhost'`
 * @param {number} options.port
 * @param {boolean | object} [options.tls] true, or extra `tls.connect` options, for TLS
 * @param {string} [options.servername] SNI and certificate name (TLS)
 * @param {string | Buffer | Array<string | Buffer>} [options.ca] trusted CA certificates (TLS)
 * @param {string[]} [options.ALPNProtocols] offered protocols (TLS), default `['h2']`
 * @param {AbortSignal} [options.signal] aborts the connection attempt
 * @param {number} [options.readHighWaterMark] see `fromNodeSocket`
 */
export async function connectNode(options) {
  const {
    host = 'localhost',
    port,
    tls: useTls,
    ALPNProtocols = ['h2'],
    signal,
    readHighWaterMark,
    ...rest
  } = options ?? {};
  if (!Number.isInteger(port)) throw new TypeError(`connectNode: port must be an integer, got ${port}`);
  signal?.throwIfAborted();

  let socket;
  if (useTls) {
    const tls = await import('node:tls');
    const extra = typeof useTls === 'object' ? useTls : {};
    socket = tls.connect({ allowHalfOpen: true, noDelay: true, ...rest, ...extra, host, port, ALPNProtocols });
  } else {
    const net = await import('node:net');
    socket = net.connect({ allowHalfOpen: true, noDelay: true, ...rest, host, port });
  }

  await new Promise((resolve, reject) => {
    const ready = useTls ? 'secureConnect' : 'connect';
    const onAbort = () => done(signal.reason);
    const onReady = () => done();
    const done = (error) => {
      socket.off(ready, onReady).off('error', done);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve();
      }
    };
    socket.once(ready, onReady).once('error', done);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

  if (useTls && socket.alpnProtocol !== 'h2') {
    socket.destroy();
    const got = socket.alpnProtocol ? `'${socket.alpnProtocol}'` : 'no protocol';
    throw transportError(`TLS ALPN negotiated ${got}, not 'h2'`, TransportErrorCodes.ALPN);
  }
  return fromNodeSocket(socket, { readHighWaterMark });
}
