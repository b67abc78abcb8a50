// Extended CONNECT (RFC 8441) through H2Session: a tunnel is a stream with bodies both ways,
// still under flow control; it needs the server's SETTINGS_ENABLE_CONNECT_PROTOCOL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { H2ProtocolError } from 'h2wasm';
import { pattern, readAll, sessionPair } from './session_support.mjs';

const connect = (protocol = 'websocket') => [
  [':method', 'CONNECT'],
  [':protocol', protocol],
  [':scheme', 'https'],
  [':authority', 'example.test'],
  [':path', '/chat'],
];

test('an extended CONNECT tunnel echoes more bytes than the flow-control windows hold', async (t) => {
  let tunnel;
  const { client, server } = await sessionPair({
    after: t,
    server: {
      enableConnectProtocol: true,
      onstream(stream) {
        tunnel = stream.request;
        stream.respond(200);
        return stream.readable.pipeTo(stream.writable);
      },
    },
  });
  assert.equal(client.remoteSettings.enableConnectProtocol, 1);
  const stream = client.request(connect());
  assert.equal((await stream.response).status, 200);
  assert.equal(tunnel.method, 'CONNECT');
  assert.equal(tunnel.protocol, 'websocket');
  const sent = pattern(300_000, 9); // about 4.6 windows of 65,535 octets, each way
  const echoed = readAll(stream.readable);
  const writer = stream.writable.getWriter();
  for (let at = 0; at < sent.length; at += 10_000) await writer.write(sent.subarray(at, at + 10_000));
  await writer.close();
  assert.deepEqual(await echoed, sent);
  await stream.closed;
  assert.equal(server.stats().streamsOpen, 0);
});

test('extended CONNECT is refused at once when the server did not enable it', async (t) => {
  const { client } = await sessionPair({ after: t });
  assert.equal(client.remoteSettings.enableConnectProtocol, 0);
  assert.throws(() => client.request(connect()), H2ProtocolError);
  assert.equal(client.state, 'open');
});
