// h2c upgrade (RFC 7540 §3.2) in both roles: the HTTP/1.1 exchange is the caller's, then
// H2Session.serverFromUpgrade answers the upgraded request on stream 1 and
// H2Session.clientFromUpgrade receives that response. Duck's defect 9.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { H2Session, H2UsageError, memoryTransportPair } from 'h2wasm';
import { readAll, req } from './session_support.mjs';

const latin1 = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (bytes) => new TextDecoder().decode(bytes);

/** Reads an HTTP/1.1 head off `readable`; returns `{ head, rest }` and releases the lock. */
async function readHead(readable) {
  const reader = readable.getReader();
  let buffered = new Uint8Array(0);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('EOF before the end of the HTTP/1.1 head');
    const joined = new Uint8Array(buffered.length + value.length);
    joined.set(buffered);
    joined.set(value, buffered.length);
    buffered = joined;
    const end = text(buffered).indexOf('\r\n\r\n');
    if (end >= 0) {
      reader.releaseLock();
      return { head: text(buffered.subarray(0, end)), rest: buffered.subarray(end + 4) };
    }
  }
}

async function write(writable, bytes) {
  const writer = writable.getWriter();
  await writer.write(bytes);
  writer.releaseLock();
}

test('Duck #9: an h2c upgrade, both roles: stream 1 answers the upgraded request', async (t) => {
  const [clientEnd, serverEnd] = memoryTransportPair();
  const settingsHeader = H2Session.upgradeSettings();
  await write(
    clientEnd.writable,
    latin1(`GET /upgraded HTTP/1.1\r\nHost: example.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: ${settingsHeader}\r\nX-Tag: a\r\n\r\n`),
  );

  // The server side reads the HTTP/1.1 request, agrees, and hands the transport over.
  const { head, rest } = await readHead(serverEnd.readable);
  const [requestLine, ...lines] = head.split('\r\n');
  const fields = lines.map((l) => l.split(/:\s*/, 2));
  const get = (name) => fields.find(([n]) => n.toLowerCase() === name)?.[1];
  assert.equal(get('upgrade'), 'h2c');
  await write(serverEnd.writable, latin1('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n'));
  const [method, path] = requestLine.split(' ');
  const { session: server, stream: upgraded } = H2Session.serverFromUpgrade(serverEnd, {
    http2Settings: get('http2-settings'),
    request: { method, path, authority: get('host'), headers: fields.filter(([n]) => n.toLowerCase() === 'x-tag') },
    head: rest,
  });
  t.after(() => server.destroy());
  server.onstream = async (stream) => {
    stream.respond(200);
    await stream.write(`h2 on ${stream.request.path}`);
    await stream.end();
  };
  assert.equal(upgraded.id, 1);
  assert.equal(upgraded.request.method, 'GET');
  assert.equal(upgraded.request.path, '/upgraded');
  assert.equal(upgraded.request.authority, 'example.test');
  assert.deepEqual(upgraded.request.headers, [['x-tag', 'a']]);
  upgraded.respond(200, [['content-type', 'text/plain']]);
  const answered = upgraded.write('answered on stream 1').then(() => upgraded.end());

  // The client side reads the 101, then continues in HTTP/2.
  const response101 = await readHead(clientEnd.readable);
  assert.match(response101.head, /^HTTP\/1\.1 101 /);
  const { session: client, stream } = H2Session.clientFromUpgrade(clientEnd, { http2Settings: settingsHeader, head: response101.rest });
  t.after(() => client.destroy());
  assert.equal(stream.id, 1);
  assert.equal((await stream.response).status, 200);
  assert.equal(text(await readAll(stream.readable)), 'answered on stream 1');
  await answered;

  // The connection then carries ordinary HTTP/2 requests.
  const next = client.request(req('/next'));
  assert.equal(next.id, 3);
  assert.equal(text(await readAll(next.readable)), 'h2 on /next');
  await client.close();
  assert.equal((await server.closed).initiator, 'remote');
});

test('clientFromUpgrade refuses an HTTP2-Settings value other than its own', () => {
  const [a] = memoryTransportPair();
  assert.throws(() => H2Session.clientFromUpgrade(a, { http2Settings: 'AAMAAABk' }), H2UsageError);
  // The transport was not taken.
  assert.equal(a.readable.locked, false);
});

test('serverFromUpgrade needs the HTTP2-Settings value', () => {
  const [, b] = memoryTransportPair();
  assert.throws(() => H2Session.serverFromUpgrade(b, {}), H2UsageError);
});
