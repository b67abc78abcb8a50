// H2Session start-up and observation: the preface and SETTINGS, `ready`, the settings
// options, the transports (memory pair, a bare Web Streams pair, fromWebStreams), the trace
// hook and stats().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, fromWebStreams, H2Session, memoryTransportPair, SettingCodes } from 'h2wasm';
import * as F from './frames.mjs';
import { FakeClock, readAll, req, ScriptedPeer, sessionPair, settle } from './session_support.mjs';

/** SETTINGS payload as `{ identifier: value }`. */
function settingsOf(frame) {
  const out = {};
  for (let at = 0; at + 6 <= frame.payload.length; at += 6) {
    out[(frame.payload[at] << 8) | frame.payload[at + 1]] = F.readU32(frame.payload, at + 2);
  }
  return out;
}

test('a client sends the preface and SETTINGS at once; ready resolves on the peer SETTINGS', async (t) => {
  const [a, b] = memoryTransportPair();
  const session = H2Session.client(a);
  t.after(() => session.destroy());
  assert.equal(session.role, 'client');
  assert.equal(session.state, 'handshaking');
  const peer = new ScriptedPeer(b, { role: 'server' }); // checks the preface comes first
  const settings = await peer.waitFor((f) => f.type === F.Type.SETTINGS, 'SETTINGS');
  assert.equal(peer.frames[0], settings);
  let ready = false;
  session.ready.then(() => (ready = true));
  await settle();
  assert.equal(ready, false);
  await peer.send(F.settings([[SettingCodes.MAX_CONCURRENT_STREAMS, 7]]));
  await session.ready;
  assert.equal(session.state, 'open');
  assert.equal(session.remoteSettings.maxConcurrentStreams, 7);
  await peer.waitFor((f) => f.type === F.Type.SETTINGS && f.flags & F.Flag.ACK, 'our SETTINGS ACK');
});

test('settings options become our SETTINGS; connectionWindowSize opens the connection window', async (t) => {
  const [a, b] = memoryTransportPair();
  const session = H2Session.server(b, { maxConcurrentStreams: 10, initialWindowSize: 100_000, maxHeaderListSize: 8192, connectionWindowSize: 1_000_000 });
  t.after(() => session.destroy());
  const peer = new ScriptedPeer(a, { role: 'client' });
  await peer.handshake();
  const ours = settingsOf(peer.frames.find((f) => f.type === F.Type.SETTINGS && !(f.flags & F.Flag.ACK)));
  assert.equal(ours[SettingCodes.MAX_CONCURRENT_STREAMS], 10);
  assert.equal(ours[SettingCodes.INITIAL_WINDOW_SIZE], 100_000);
  assert.equal(ours[SettingCodes.MAX_HEADER_LIST_SIZE], 8192);
  assert.equal(ours[SettingCodes.ENABLE_PUSH], 0);
  const update = await peer.waitFor((f) => f.type === F.Type.WINDOW_UPDATE, 'WINDOW_UPDATE');
  assert.equal(update.streamId, 0);
  assert.equal(F.readU32(update.payload), 1_000_000 - 65_535);
  assert.equal(session.localSettings.maxConcurrentStreams, 10);
  session.setConnectionWindow(2_000_000);
  await peer.waitFor((f) => f.type === F.Type.WINDOW_UPDATE && F.readU32(f.payload) === 1_000_000, 'the second WINDOW_UPDATE');
});

test('a bare { readable, writable } pair is accepted as a transport', async (t) => {
  const [a, b] = memoryTransportPair();
  const client = H2Session.client({ readable: a.readable, writable: a.writable });
  const server = H2Session.server({ readable: b.readable, writable: b.writable });
  t.after(() => Promise.all([client.destroy(), server.destroy()]));
  server.onstream = (s) => s.respond(204, [], { endStream: true });
  assert.equal((await client.request(req('/')).response).status, 204);
});

test('fromWebStreams declares the capabilities and passes closed and close through', () => {
  const { readable, writable } = new TransformStream();
  const closed = Promise.resolve();
  const close = () => {};
  const transport = fromWebStreams({ readable, writable, closed, close, halfClose: true, info: { alpn: 'h2', secure: true } });
  assert.deepEqual(transport.capabilities, { halfClose: true, readBackpressure: true });
  assert.equal(transport.closed, closed);
  assert.equal(transport.close, close);
  assert.deepEqual(transport.info, { alpn: 'h2', secure: true });
  assert.deepEqual(fromWebStreams({ readable, writable }).capabilities, { halfClose: false, readBackpressure: true });
  assert.throws(() => fromWebStreams({ readable }), TypeError);
});

test('a transport already locked by another reader is refused, and left as it was', () => {
  const [a] = memoryTransportPair();
  const reader = a.readable.getReader();
  assert.throws(() => H2Session.client(a), TypeError);
  assert.equal(a.writable.locked, false);
  reader.releaseLock();
});

test('memoryTransportPair: chunking splits writes, latency waits for the clock, EOF after the data', async () => {
  const clock = new FakeClock();
  const [a, b] = memoryTransportPair({ chunking: 3, latencyMs: 10, clock });
  const writer = a.writable.getWriter();
  const reader = b.readable.getReader();
  await writer.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7));
  await writer.close();
  let got = null;
  reader.read().then((r) => (got = r));
  await clock.advance(9);
  assert.equal(got, null, 'nothing before the latency');
  await clock.advance(1);
  assert.deepEqual([...got.value], [1, 2, 3]);
  assert.deepEqual([...(await reader.read()).value], [4, 5, 6]);
  assert.deepEqual([...(await reader.read()).value], [7]);
  assert.equal((await reader.read()).done, true);
  assert.deepEqual([...a.sentBytes()], [1, 2, 3, 4, 5, 6, 7]);
});

test('trace: every frame in and out, state changes, resets, GOAWAYs and timeouts', async (t) => {
  const records = [];
  const { client, server } = await sessionPair({
    after: t,
    client: { trace: (r) => records.push(r) },
    server: {
      onstream(s) {
        if (s.request.path === '/reset') s.reset(ErrorCodes.CANCEL);
        else s.respond(204, [], { endStream: true });
      },
    },
  });
  await client.request(req('/')).response;
  await client.request(req('/reset')).response.catch(() => {});
  await client.ping(undefined, { timeoutMs: 1000 });
  await client.close();
  await server.closed;
  await settle();
  const frames = records.filter((r) => r.kind === 'frame');
  const frame = (direction, typeName) => frames.some((f) => f.direction === direction && f.typeName === typeName);
  for (const name of ['SETTINGS', 'HEADERS', 'PING', 'GOAWAY']) assert.ok(frame('out', name), `${name} out`);
  for (const name of ['SETTINGS', 'HEADERS', 'RST_STREAM', 'PING', 'GOAWAY']) assert.ok(frame('in', name), `${name} in`);
  const headersOut = frames.find((f) => f.direction === 'out' && f.typeName === 'HEADERS');
  assert.deepEqual(Object.keys(headersOut).sort(), ['at', 'direction', 'flags', 'kind', 'length', 'streamId', 'type', 'typeName']);
  assert.equal(headersOut.streamId, 1);
  assert.ok(headersOut.flags & F.Flag.END_STREAM);
  const states = records.filter((r) => r.kind === 'state').map((r) => r.to);
  assert.deepEqual(states, ['handshaking', 'open', 'closing', 'closed']);
  assert.ok(records.some((r) => r.kind === 'reset' && r.streamId === 3 && r.code === ErrorCodes.CANCEL && r.initiator === 'remote'));
  assert.ok(records.some((r) => r.kind === 'goaway' && r.direction === 'out'));
  assert.ok(records.some((r) => r.kind === 'goaway' && r.direction === 'in'));
  assert.equal(records.filter((r) => r.kind === 'closed').length, 1);
  assert.deepEqual(records.map((r) => r.at).slice().sort((x, y) => x - y), records.map((r) => r.at), 'in time order');

  const clock = new FakeClock();
  const timeouts = [];
  const [a, b] = memoryTransportPair({ clock });
  const lonely = H2Session.client(a, { clock, handshakeTimeoutMs: 100, trace: (r) => r.kind === 'timeout' && timeouts.push(r) });
  new ScriptedPeer(b);
  lonely.ping(undefined, { timeoutMs: 50 }).catch(() => {});
  await clock.advance(100);
  await settle();
  assert.deepEqual(timeouts.map((r) => r.timeout), ['ping']);
  assert.equal((await lonely.closed).error.kind, 'handshake');
});

test('stats(): bytes, frames, streams, resets and windows', async (t) => {
  const { client, server } = await sessionPair({
    after: t,
    server: {
      async onstream(s) {
        if (s.request.path === '/reset') return s.reset();
        s.respond(200);
        await s.write('x'.repeat(1000));
        return s.end();
      },
    },
  });
  assert.equal((await readAll(client.request(req('/')).readable)).length, 1000);
  await client.request(req('/reset')).closed.catch(() => {});
  await settle(); // the last writes' promises settle after their bytes were read
  const c = client.stats();
  const s = server.stats();
  assert.equal(c.state, 'open');
  assert.equal(c.bytesOut, s.bytesIn);
  assert.equal(c.bytesIn, s.bytesOut);
  assert.equal(c.framesOut, s.framesIn);
  assert.equal(c.framesIn, s.framesOut);
  assert.equal(c.streamsTotal, 2);
  assert.equal(c.streamsOpen, 0);
  assert.equal(s.resetsSent, 1);
  assert.equal(c.resetsReceived, 1);
  assert.equal(c.bufferedAmount, 0);
  assert.ok(c.sendWindow > 0 && c.receiveWindow > 0);
});
