// H2Session timers, all on an injected fake clock: handshake, SETTINGS acknowledgement
// (updateSettings), PING round trips and timeouts, idle close, keep-alive, request timeout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, H2Session, H2TimeoutError, memoryTransportPair, SettingCodes } from 'h2wasm';
import * as F from './frames.mjs';
import { FakeClock, goawayOf, req, ScriptedPeer, settle } from './session_support.mjs';

async function clientWithPeer(t, options = {}, { handshake = true } = {}) {
  const clock = options.clock ?? new FakeClock();
  const [a, b] = memoryTransportPair({ clock });
  const session = H2Session.client(a, { clock, ...options });
  t.after(() => session.destroy());
  const peer = new ScriptedPeer(b, { role: 'server' });
  if (handshake) {
    await peer.handshake();
    await session.ready;
  }
  return { session, peer, clock };
}

test('handshake timeout: no SETTINGS from the peer ends the session with GOAWAY(SETTINGS_TIMEOUT)', async (t) => {
  const { session, peer, clock } = await clientWithPeer(t, { handshakeTimeoutMs: 3000 }, { handshake: false });
  await clock.advance(2999);
  assert.equal(session.state, 'handshaking');
  await clock.advance(1);
  const info = await session.closed;
  assert.ok(info.error instanceof H2TimeoutError);
  assert.equal(info.error.kind, 'handshake');
  assert.equal(info.code, ErrorCodes.SETTINGS_TIMEOUT);
  await assert.rejects(session.ready, (e) => e === info.error);
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.equal(goawayOf(goaway).code, ErrorCodes.SETTINGS_TIMEOUT);
});

test('updateSettings resolves with the settings in force when the peer acknowledges them', async (t) => {
  const { session, peer } = await clientWithPeer(t);
  const updated = session.updateSettings({ maxConcurrentStreams: 7, [SettingCodes.INITIAL_WINDOW_SIZE]: 100_000 });
  const frame = await peer.waitFor((f) => f.type === F.Type.SETTINGS && !(f.flags & F.Flag.ACK) && f.payload.length === 12, 'the new SETTINGS');
  assert.ok(frame);
  let resolved = false;
  updated.then(() => (resolved = true));
  await settle();
  assert.equal(resolved, false, 'not before the ACK');
  await peer.send(F.settingsAck());
  const settings = await updated;
  assert.equal(settings.maxConcurrentStreams, 7);
  assert.equal(settings.initialWindowSize, 100_000);
  assert.equal(session.localSettings.maxConcurrentStreams, 7);
});

test('updateSettings not acknowledged in time: rejects, and GOAWAY(SETTINGS_TIMEOUT) ends the session', async (t) => {
  const { session, peer, clock } = await clientWithPeer(t);
  const updated = session.updateSettings({ maxConcurrentStreams: 7 }, { timeoutMs: 500 });
  await clock.advance(500);
  await assert.rejects(updated, (e) => e instanceof H2TimeoutError && e.kind === 'settingsAck');
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.equal(goawayOf(goaway).code, ErrorCodes.SETTINGS_TIMEOUT);
  const info = await session.closed;
  assert.equal(info.code, ErrorCodes.SETTINGS_TIMEOUT);
});

test('ping() resolves with the round-trip time measured on the injected clock', async (t) => {
  const clock = new FakeClock();
  const [a, b] = memoryTransportPair({ clock, latencyMs: 25 });
  const client = H2Session.client(a, { clock });
  const server = H2Session.server(b, { clock });
  t.after(() => Promise.all([client.destroy(), server.destroy()]));
  await clock.advance(100);
  await client.ready;
  const rtt = client.ping();
  await clock.advance(50);
  assert.equal(await rtt, 50);
  assert.equal(client.stats().rttMs, 50);
  const custom = client.ping(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
  await clock.advance(50);
  assert.equal(await custom, 50);
});

test('a ping without its ACK times out (H2TimeoutError "ping") and the session stays open', async (t) => {
  const { session, peer, clock } = await clientWithPeer(t);
  const ping = session.ping(undefined, { timeoutMs: 100 });
  await peer.waitFor((f) => f.type === F.Type.PING, 'PING');
  await clock.advance(100);
  await assert.rejects(ping, (e) => e instanceof H2TimeoutError && e.kind === 'ping');
  assert.equal(session.state, 'open');
});

test('idle timeout: with no stream for idleTimeoutMs the session closes gracefully', async (t) => {
  const { session, peer, clock } = await clientWithPeer(t, { idleTimeoutMs: 5000 });
  await clock.advance(3000);
  const stream = session.request(req('/'));
  await peer.waitFor((f) => f.type === F.Type.HEADERS, 'the request');
  await clock.advance(4000); // 7 s since the start, but the stream was active
  assert.equal(session.state, 'open');
  await peer.send(F.headers(1, [[':status', '204']], { endStream: true }));
  await stream.closed;
  await clock.advance(4999);
  assert.equal(session.state, 'open');
  await clock.advance(1);
  assert.equal(session.state, 'closing');
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.deepEqual(goawayOf(goaway), { lastStreamId: 0, code: 0, debug: '' });
  await peer.ended();
  await peer.closeWrite();
  assert.equal((await session.closed).error, undefined);
});

test('keep-alive: a PING every interval while nothing arrives; no ACK in time ends the session', async (t) => {
  const { session, peer, clock } = await clientWithPeer(t, { keepAlive: { intervalMs: 1000, timeoutMs: 300 } });
  const pings = () => peer.ofType(F.Type.PING).length;
  await clock.advance(999);
  assert.equal(pings(), 0);
  await clock.advance(1);
  const first = await peer.waitFor((f) => f.type === F.Type.PING, 'the first keep-alive PING');
  await peer.send(F.ping(first.payload, { ack: true }));
  await settle();
  await clock.advance(1000);
  assert.equal(pings(), 2, 'the next one an interval later');
  await clock.advance(299);
  assert.equal(session.state, 'open');
  await clock.advance(1);
  const info = await session.closed;
  assert.ok(info.error instanceof H2TimeoutError);
  assert.equal(info.error.kind, 'keepAlive');
});

test('keep-alive sends no PING while frames keep arriving', async (t) => {
  const { peer, clock } = await clientWithPeer(t, { keepAlive: { intervalMs: 1000, timeoutMs: 300 } });
  for (let i = 0; i < 5; i++) {
    await clock.advance(600);
    await peer.send(F.windowUpdate(0, 1));
    await settle();
  }
  assert.equal(peer.ofType(F.Type.PING).length, 0);
});

test('request timeoutMs: no response in time resets the stream (CANCEL) with H2TimeoutError "request"', async (t) => {
  const { session, peer, clock } = await clientWithPeer(t);
  const stream = session.request(req('/'), { timeoutMs: 300 });
  await peer.waitFor((f) => f.type === F.Type.HEADERS, 'the request');
  await clock.advance(300);
  await assert.rejects(stream.response, (e) => e instanceof H2TimeoutError && e.kind === 'request' && e.streamId === 1);
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'RST_STREAM');
  assert.equal(F.readU32(rst.payload), ErrorCodes.CANCEL);
  assert.equal(session.state, 'open');
});

test('an ended session leaves no timer behind', async (t) => {
  const clock = new FakeClock();
  const { session } = await clientWithPeer(t, { clock, keepAlive: { intervalMs: 1000 }, idleTimeoutMs: 5000 });
  session.request(req('/'), { timeoutMs: 300 });
  session.ping(undefined, { timeoutMs: 1000 }).catch(() => {});
  assert.ok(clock.pending > 0);
  await session.destroy();
  assert.equal(clock.pending, 0);
});
