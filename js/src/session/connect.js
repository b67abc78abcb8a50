// `connect(url)` and `fetch(input, init)` for Node, Deno and Bun: a client H2Session over a
// connection this module opens itself with `connectNode` (node:net / node:tls). Only the Node
// entry point (node.js) imports this file, so browser and workerd bundles never see it.
//
// - `http:` URLs are h2c with prior knowledge (the preface goes out at once, no upgrade);
// - `https:` URLs are TLS with ALPN `h2` (the connection is refused unless the server picks
//   it), SNI set to the host name (not to an IP address, which RFC 6066 forbids).

import { connectNode } from '../transports/node_connect.js';
import { H2Session } from './session.js';

const isIpLiteral = (host) => host.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

/**
 * Opens a connection to the origin of `url` and resolves with a client H2Session on it, once
 * the TCP connection (and the TLS handshake) is up; the HTTP/2 handshake goes on in the
 * background (`session.ready`). `options` are H2Session options plus `tls` (extra
 * `tls.connect` options for `https:`, e.g. `ca`, `rejectUnauthorized`, `servername`) and
 * `signal` (aborts the connection attempt). Close the session when done.
 *
 * @param {string | URL} url an `http:` or `https:` URL; its path is ignored
 * @param {object} [options]
 * @returns {Promise<H2Session>}
 */
export async function connect(url, options = {}) {
  const { tls, signal, ...sessionOptions } = options ?? {};
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new TypeError(`connect(): ${target.protocol} URLs are not supported (http: or https:)`);
  }
  const secure = target.protocol === 'https:';
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = target.port === '' ? (secure ? 443 : 80) : Number(target.port);
  const tlsOptions = secure ? { ...(isIpLiteral(host) ? {} : { servername: host }), ...tls } : undefined;
  const transport = await connectNode({ host, port, signal, tls: tlsOptions });
  try {
    return H2Session.client(transport, sessionOptions);
  } catch (error) {
    await transport.close(error);
    throw error;
  }
}

/**
 * `fetch()` over HTTP/2 on a connection of its own: opens a session to the URL's origin (as
 * `connect()` does, with `init.connect` as its options), sends the one request and resolves
 * with its Response (as `session.fetch()` does: `trailers`, `rawHeaders`, `stream` beside
 * it). The session closes gracefully once the response has ended or was cancelled, so read
 * or cancel the body. Rejects with the connection's error (ECONNREFUSED, ERR_TRANSPORT_ALPN,
 * a TLS error) or the session's H2Error classes; an aborted signal rejects with its reason.
 *
 * @param {string | URL | Request} input
 * @param {RequestInit & { connect?: object }} [init]
 */
export async function fetch(input, init) {
  const { connect: connectOptions, ...requestInit } = init ?? {};
  const isRequest = typeof Request !== 'undefined' && input instanceof Request;
  const url = isRequest ? input.url : input instanceof URL ? input.href : String(input);
  const signal = requestInit.signal ?? (isRequest ? input.signal : undefined);
  signal?.throwIfAborted();
  const session = await connect(url, { signal, ...connectOptions });
  const closeSession = () => {
    session.close();
  };
  let response;
  try {
    response = await session.fetch(input, init === undefined ? undefined : requestInit);
  } catch (error) {
    closeSession();
    throw error;
  }
  response.stream.closed.then(closeSession, closeSession);
  return response;
}
