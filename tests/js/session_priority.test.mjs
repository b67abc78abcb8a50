// RFC 9218 priorities in H2Session: the client's `priority` option and header field,
// setPriority() and its PRIORITY_UPDATE, the server's view of a stream's priority (header,
// then PRIORITY_UPDATE, also one that comes before the HEADERS).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { H2Session, H2UsageError, memoryTransportPair } from 'h2wasm';
import * as F from './frames.mjs';
import { req, ScriptedPeer, sessionPair, settle } from './session_support.mjs';

/** A server session with a scripted client peer, handshaken with `settings`. */
async function serverWithPeer(t, options = {}, settings = []) {
  const [peerEnd, serverEnd] = memoryTransportPair();
  const server = H2Session.server(serverEnd, options);
  t.after(() => server.destroy());
  const peer = new ScriptedPeer(peerEnd, { role: 'client' });
  await peer.handshake(settings);
  await server.ready;
  return { server, peer };
}

/** A client session with a scripted server peer, handshaken. */
async function clientWithPeer(t, options = {}) {
  const [clientEnd, peerEnd] = memoryTransportPair();
  const client = H2Session.client(clientEnd, options);
  t.after(() => client.destroy());
  const peer = new ScriptedPeer(peerEnd, { role: 'server' });
  await peer.handshake();
  await client.ready;
  return { client, peer };
}

const fieldsOf = (stream) => stream.request.headers.filter(([name]) => name === 'priority').map(([, value]) => value);

/** The PRIORITY_UPDATE frames received: `{ id, field }`. */
const priorityUpdates = (peer) =>
  peer.ofType(F.Type.PRIORITY_UPDATE).map((f) => ({ id: F.readU32(f.payload) & 0x7fffffff, field: new TextDecoder().decode(f.payload.subarray(4)) }));

test('request(): the priority option is sent as the priority header field, and omitted for the defaults', async (t) => {
  const seen = new Map();
  const { client } = await sessionPair({
    after: t,
    server: {
      onstream(stream) {
        seen.set(stream.request.path, { fields: fieldsOf(stream), priority: stream.priority });
        stream.respond(200, [], { endStream: true });
      },
    },
  });
  const cases = [
    ['/u1i', { urgency: 1, incremental: true }, ['u=1, i'], { urgency: 1, incremental: true }],
    ['/u6', { urgency: 6 }, ['u=6'], { urgency: 6, incremental: false }],
    ['/i', { incremental: true }, ['i'], { urgency: 3, incremental: true }],
    ['/defaults', { urgency: 3, incremental: false }, [], { urgency: 3, incremental: false }],
    ['/none', undefined, [], { urgency: 3, incremental: false }],
  ];
  for (const [path, priority, fields, expected] of cases) {
    const stream = client.request(req(path), { priority });
    assert.deepEqual({ ...stream.priority }, expected, `${path}: the client stream's own priority`);
    await stream.response;
  }
  for (const [path, , fields, expected] of cases) {
    assert.deepEqual(seen.get(path).fields, fields, `${path}: the priority field sent`);
    assert.deepEqual({ ...seen.get(path).priority }, expected, `${path}: the server's view`);
  }
});

test('fetch(): init.priority sends the header; Fetch priority hints are accepted and send nothing', async (t) => {
  const seen = new Map();
  const { client } = await sessionPair({
    after: t,
    server: {
      onstream(stream) {
        seen.set(stream.request.path, fieldsOf(stream));
        stream.respond(200, [], { endStream: true });
      },
    },
  });
  await client.fetch('http://example.test/obj', { priority: { urgency: 0, incremental: true } });
  await client.fetch('http://example.test/hint', { priority: 'high' });
  assert.deepEqual(seen.get('/obj'), ['u=0, i']);
  assert.deepEqual(seen.get('/hint'), []);
});

test('setPriority() sends PRIORITY_UPDATE for an open request with the whole new signal', async (t) => {
  const { client, peer } = await clientWithPeer(t);
  const stream = client.request(req('/a'), { priority: { urgency: 5 } });
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === stream.id, 'the request');
  stream.setPriority({ urgency: 0, incremental: true });
  await peer.waitFor((f) => f.type === F.Type.PRIORITY_UPDATE, 'a PRIORITY_UPDATE');
  stream.setPriority({ urgency: 2 }); // incremental left out: back to its default
  stream.setPriority({});
  await peer.waitFor(() => priorityUpdates(peer).length === 3, 'three PRIORITY_UPDATEs');
  assert.deepEqual(priorityUpdates(peer), [
    { id: stream.id, field: 'u=0, i' },
    { id: stream.id, field: 'u=2' },
    { id: stream.id, field: '' },
  ]);
  assert.deepEqual({ ...stream.priority }, { urgency: 3, incremental: false });
});

test('the server stream priority follows the header, then each PRIORITY_UPDATE', async (t) => {
  const streams = new Map();
  const { peer } = await serverWithPeer(t, {
    onstream(stream) {
      streams.set(stream.id, stream); // left open: it is reprioritised below
    },
  });
  await peer.send(F.headers(1, req('/x', 'GET', [['priority', 'u=2, i']]), { endStream: true }));
  await settle();
  const stream = streams.get(1);
  assert.deepEqual({ ...stream.priority }, { urgency: 2, incremental: true });
  await peer.send(F.priorityUpdate(1, 'u=6'));
  await settle();
  assert.deepEqual({ ...stream.priority }, { urgency: 6, incremental: false });
  await peer.send(F.priorityUpdate(1, 'u=9, i, x=1')); // out of range ignored, unknown key ignored
  await settle();
  assert.deepEqual({ ...stream.priority }, { urgency: 3, incremental: true });
});

test('a PRIORITY_UPDATE that arrives before the HEADERS applies when the stream opens, over its header', async (t) => {
  const streams = new Map();
  const { peer } = await serverWithPeer(t, {
    onstream(stream) {
      streams.set(stream.id, stream);
      stream.respond(200, [], { endStream: true });
    },
  });
  await peer.send(F.priorityUpdate(3, 'u=0'), F.priorityUpdate(5, 'u=1, i'));
  await settle();
  await peer.send(
    F.headers(1, req('/one'), { endStream: true }),
    F.headers(3, req('/three', 'GET', [['priority', 'u=5']]), { endStream: true }),
    F.headers(5, req('/five'), { endStream: true }),
    F.headers(7, req('/seven', 'GET', [['priority', 'u=4']]), { endStream: true }),
  );
  await settle();
  assert.deepEqual({ ...streams.get(1).priority }, { urgency: 3, incremental: false });
  assert.deepEqual({ ...streams.get(3).priority }, { urgency: 0, incremental: false });
  assert.deepEqual({ ...streams.get(5).priority }, { urgency: 1, incremental: true });
  assert.deepEqual({ ...streams.get(7).priority }, { urgency: 4, incremental: false });
});

test('priority header values: unknown keys, parameters and wrong types are ignored; repeated lines combine', async (t) => {
  const streams = new Map();
  const { peer } = await serverWithPeer(t, {
    onstream(stream) {
      streams.set(stream.request.path, stream.priority);
      stream.respond(200, [], { endStream: true });
    },
  });
  const cases = [
    ['/a', [['priority', 'u=1;foo=2, i, ext=?1']], { urgency: 1, incremental: true }],
    ['/b', [['priority', 'u=8, i=?0']], { urgency: 3, incremental: false }],
    ['/c', [['priority', 'u="1", i=1']], { urgency: 3, incremental: false }],
    ['/d', [['priority', 'u=2'], ['priority', 'i']], { urgency: 2, incremental: true }],
    ['/e', [['priority', 'u=2, u=5']], { urgency: 5, incremental: false }],
  ];
  let id = 1;
  for (const [path, extra] of cases) {
    await peer.send(F.headers(id, req(path, 'GET', extra), { endStream: true }));
    id += 2;
  }
  await settle();
  for (const [path, , expected] of cases) assert.deepEqual({ ...streams.get(path) }, expected, path);
});

test('invalid priorities are refused: TypeError or RangeError, and setPriority() on an ended stream', async (t) => {
  const { client, peer } = await clientWithPeer(t);
  const bad = [
    [{ urgency: 8 }, RangeError],
    [{ urgency: -1 }, RangeError],
    [{ urgency: 1.5 }, TypeError],
    [{ urgency: '1' }, TypeError],
    [{ incremental: 'yes' }, TypeError],
    ['high', TypeError],
    [5, TypeError],
  ];
  for (const [priority, Class] of bad) {
    assert.throws(() => client.request(req('/'), { priority }), Class, `request() with ${JSON.stringify(priority)}`);
  }
  await assert.rejects(client.fetch('http://example.test/', { priority: { urgency: 9 } }), RangeError);
  await assert.rejects(client.fetch('http://example.test/', { priority: 'urgent' }), TypeError);
  const stream = client.request(req('/ok'));
  assert.throws(() => stream.setPriority(null), TypeError);
  assert.throws(() => stream.setPriority({ urgency: 7.5 }), TypeError);
  assert.throws(() => stream.setPriority({ urgency: 10 }), RangeError);
  assert.throws(() => stream.setPriority({ incremental: 1 }), TypeError);
  stream.reset();
  assert.throws(() => stream.setPriority({ urgency: 1 }), H2UsageError);
  await settle();
  assert.equal(peer.ofType(F.Type.HEADERS).length, 1, 'only the valid request went out');
  assert.equal(peer.ofType(F.Type.PRIORITY_UPDATE).length, 0, 'no PRIORITY_UPDATE for refused calls');
});
