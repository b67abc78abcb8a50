// RFC 9218 priorities in H2Session: the client's `priority` option and header field,
// setPriority() and its PRIORITY_UPDATE, the server's view of a stream's priority (header,
// then PRIORITY_UPDATE, also one that comes before the HEADERS), and the order in which
// waiting senders get the connection window: most urgent first, non-incremental streams one
// at a time by stream id, incremental ones of one urgency in turn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { H2Session, H2UsageError, memoryTransportPair } from 'h2wasm';
import * as F from './frames.mjs';
import { FakeClock, pattern, req, ScriptedPeer, sessionPair, settle } from './session_support.mjs';

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

/** Stream ids of the DATA frames received from index `from` on. */
const dataOrder = (peer, from) => peer.frames.slice(from).filter((f) => f.type === F.Type.DATA && f.payload.length > 0).map((f) => f.streamId);

/** Collapses runs of one id: [3, 3, 5, 3] → [3, 5, 3]. */
const runs = (ids) => ids.filter((id, i) => i === 0 || ids[i - 1] !== id);

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

/**
 * A server whose responses wait for the connection window: `/fill` takes the whole window,
 * then the other requests' responses of `size` octets each start in the order given by
 * `startOrder` (paths). Returns the peer and a function that opens the window.
 */
async function blockedResponses(t, requests, startOrder, size) {
  const gates = new Map();
  const { server, peer } = await serverWithPeer(
    t,
    {
      async onstream(stream) {
        stream.respond(200);
        if (stream.request.path === '/fill') {
          await stream.write(pattern(65_535));
        } else {
          await new Promise((resolve) => gates.set(stream.request.path, resolve));
          await stream.write(pattern(size));
        }
        await stream.end();
      },
    },
    [[0x4, 1 << 20]], // INITIAL_WINDOW_SIZE: only the connection window limits
  );
  await peer.send(F.headers(1, req('/fill'), { endStream: true }));
  await peer.waitFor(() => peer.ofType(F.Type.DATA).reduce((n, f) => n + f.payload.length, 0) === 65_535, 'the window filled');
  let id = 3;
  for (const [path, fields] of requests) {
    await peer.send(F.headers(id, req(path, 'GET', fields), { endStream: true }));
    id += 2;
  }
  await settle();
  for (const path of startOrder) {
    gates.get(path)();
    await settle();
  }
  assert.equal(server.stats().blockedStreams, requests.length, 'every response waits for the window');
  const mark = peer.frames.length;
  return {
    peer,
    async open() {
      await peer.send(F.windowUpdate(0, requests.length * size));
      await peer.waitFor(
        () => peer.frames.slice(mark).filter((f) => f.type === F.Type.DATA && f.flags & F.Flag.END_STREAM).length === requests.length,
        'every response to end',
      );
      return dataOrder(peer, mark);
    },
  };
}

test('after a WINDOW_UPDATE the most urgent waiting response goes first, then the next', async (t) => {
  const size = 40_000; // three frames each
  const { open } = await blockedResponses(
    t,
    [
      ['/u5', [['priority', 'u=5']]], // stream 3
      ['/u1', [['priority', 'u=1']]], // stream 5
      ['/u3', []], // stream 7, the default urgency
    ],
    ['/u5', '/u3', '/u1'],
    size,
  );
  const order = await open();
  assert.deepEqual(runs(order), [5, 7, 3], `DATA order ${order.join(' ')}`);
});

test('a PRIORITY_UPDATE reorders the responses already waiting', async (t) => {
  const { peer, open } = await blockedResponses(t, [['/a', []], ['/b', []]], ['/a', '/b'], 40_000);
  await peer.send(F.priorityUpdate(5, 'u=0'));
  await settle();
  const order = await open();
  assert.deepEqual(runs(order), [5, 3], `DATA order ${order.join(' ')}`);
});

test('non-incremental responses of one urgency go one at a time, by stream id', async (t) => {
  const { open } = await blockedResponses(
    t,
    [['/a', []], ['/b', []], ['/c', []]], // streams 3, 5, 7
    ['/c', '/b', '/a'], // they start waiting in the reverse order
    40_000,
  );
  const order = await open();
  assert.deepEqual(runs(order), [3, 5, 7], `DATA order ${order.join(' ')}`);
});

test('incremental responses of one urgency take turns, frame by frame', async (t) => {
  const { open } = await blockedResponses(
    t,
    [
      ['/a', [['priority', 'u=2, i']]],
      ['/b', [['priority', 'u=2, i']]],
      ['/c', [['priority', 'u=2, i']]],
    ],
    ['/a', '/b', '/c'],
    40_000,
  );
  const order = await open();
  assert.equal(order.length, 9, `DATA order ${order.join(' ')}`);
  assert.equal(runs(order).length, 9, `no stream gets two frames in a row: ${order.join(' ')}`);
  assert.deepEqual(new Set(order.slice(0, 3)), new Set([3, 5, 7]), 'each stream gets one of the first three frames');
});

test('a client request body is scheduled by its own priority', async (t) => {
  const { client, peer } = await clientWithPeer(t);
  const filler = client.request(req('/fill', 'POST'), { endStream: false });
  await filler.write(pattern(65_535));
  await peer.waitFor(() => peer.ofType(F.Type.DATA).reduce((n, f) => n + f.payload.length, 0) === 65_535, 'the window filled');
  const mark = peer.frames.length;
  const low = client.request(req('/low', 'POST'), { body: pattern(40_000), priority: { urgency: 6 } });
  const high = client.request(req('/high', 'POST'), { body: pattern(40_000), priority: { urgency: 0 } });
  await settle();
  assert.equal(client.stats().blockedStreams, 2);
  await peer.send(F.windowUpdate(0, 80_000), F.windowUpdate(low.id, 80_000), F.windowUpdate(high.id, 80_000));
  await peer.waitFor(
    () => peer.frames.slice(mark).filter((f) => f.type === F.Type.DATA && f.flags & F.Flag.END_STREAM).length === 2,
    'both bodies to end',
  );
  const order = dataOrder(peer, mark);
  assert.deepEqual(runs(order), [high.id, low.id], `DATA order ${order.join(' ')}`);
});

test('a response held back by more urgent ones does not hit the flow-control timeout while others progress', async (t) => {
  const clock = new FakeClock();
  const { peer } = await serverWithPeer(
    t,
    {
      clock,
      flowControlTimeoutMs: 1000,
      async onstream(stream) {
        stream.respond(200);
        const size = { '/fill': 65_535, '/urgent': 5 * 16_384, '/low': 1000 }[stream.request.path];
        await stream.write(pattern(size));
        await stream.end();
      },
    },
    [[0x4, 1 << 20]],
  );
  await peer.send(F.headers(1, req('/fill'), { endStream: true }));
  await peer.waitFor(() => peer.ofType(F.Type.DATA).reduce((n, f) => n + f.payload.length, 0) === 65_535, 'the window filled');
  await peer.send(
    F.headers(3, req('/urgent', 'GET', [['priority', 'u=0']]), { endStream: true }),
    F.headers(5, req('/low', 'GET', [['priority', 'u=7']]), { endStream: true }),
  );
  await settle();
  for (let round = 1; round <= 4; round++) {
    await clock.advance(600); // 2.4 s in all: more than twice the timeout for /low
    await peer.send(F.windowUpdate(0, 16_384));
    await peer.waitFor(() => peer.ofType(F.Type.DATA).filter((f) => f.streamId === 3).length === round, `urgent frame ${round}`);
  }
  assert.equal(peer.ofType(F.Type.DATA).filter((f) => f.streamId === 5).length, 0, '/low waited for its turn');
  assert.equal(peer.ofType(F.Type.RST_STREAM).length, 0, 'and was not reset');
  await peer.send(F.windowUpdate(0, 20_000));
  await peer.waitFor((f) => f.type === F.Type.DATA && f.streamId === 5 && f.flags & F.Flag.END_STREAM, '/low to finish');
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
