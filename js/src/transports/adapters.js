// The byte-transport adapters: each turns one kind of connection into the ByteTransport that
// the session driver runs over ({ readable, writable, closed?, close?, capabilities, info? }).
// Every adapter sits in its own file, whose header lists its capabilities and caveats; see
// also docs/transports.md. None imports anything runtime-specific, so every entry point
// re-exports them. `connectNode` (node_connect.js) imports node:net and node:tls and is
// exported by the Node entry point only.
export { fromCloudflareSocket } from './cloudflare.js';
export { fromDenoConn } from './deno_conn.js';
export { fromNodeSocket } from './node_socket.js';
export { TransportErrorCodes } from './support.js';
export { fromWebSocket } from './websocket.js';
export { fromWebSocketStream } from './websocket_stream.js';
export { fromWebTransportStream } from './webtransport.js';
