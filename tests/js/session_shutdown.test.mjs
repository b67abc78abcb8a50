// H2Session shutdown: the double GOAWAY of a graceful server close, close() arguments, the
// drain of streams under way, the close timeout, the peer's GOAWAY (refused streams are
// retryable), destroy(), and asyncDispose. Duck's defect 8 (no graceful shutdown, and
// close_connection ignoring its arguments).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ErrorCodes,
  H2GoAwayError,
  H2RefusedStreamError,
  H2Session,
  H2SessionClosingError,
  H2TimeoutError,
  memoryTransportPair,
} from 'h2wasm';
import * as F from './frames.mjs';
import { FakeClock, goawayOf, readAll, req, ScriptedPeer, sessionPair, settle } from './session_support.mjs';

async function withPeer(t, role, options = {}, { settings = [], transport = {} } = {}) {
  const [peerEnd, end] = memoryTransportPair(transport);
  const session = role === 'server' ? H2Session.server(end, options) : H2Session.client(end, options);
  t.after(() => session.destroy());
  const peer = new ScriptedPeer(peerEnd, { role: role === 'server' ? 'client' : 'server' });
  await peer.handshake(settings);
  await session.ready;
  return { session, peer, end, peerEnd };
}

/** A handler that answers each stream when the test calls `release(id)`. */
function heldResponses() {
  const held = new Map();
  const seen = [];
  return {
    seen,
    onstream(stream) {
      seen.push(stream.id);
      return new Promise((resolve) => held.set(stream.id, resolve)).then(() => stream.respond(200, [], { endStream: true }));
    },
    release(id) {
      held.get(id)();
    },
  };
}

test('Duck #8: a graceful server close sends GOAWAY(2^31-1) and PING, then GOAWAY(last id) on the PING ACK', async (t) => {
  const app = heldResponses();
  const { session, peer } = await withPeer(t, 'server', { onstream: app.onstream });
  await peer.send(F.headers(1, req('/one'), { endStream: true }));
  await settle();
  const closed = session.close();
  assert.equal(session.state, 'closing');
  const first = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'the first GOAWAY');
  assert.deepEqual(goawayOf(first), { lastStreamId: 0x7fffffff, code: 0, debug: '' });
  const ping = await peer.waitFor((f) => f.type === F.Type.PING && !(f.flags & F.Flag.ACK), 'the PING');
  assert.ok(peer.frames.indexOf(ping) > peer.frames.indexOf(first), 'the PING follows the GOAWAY');
  // A request already in flight when the first GOAWAY was sent is still accepted.
  await peer.send(F.headers(3, req('/two'), { endStream: true }));
  await settle();
  assert.deepEqual(app.seen, [1, 3]);
  assert.equal(peer.ofType(F.Type.GOAWAY).length, 1, 'the second GOAWAY waits for the PING ACK');
  await peer.send(F.ping(ping.payload, { ack: true }));
  const second = await peer.waitFor((f) => f.type === F.Type.GOAWAY && goawayOf(f).lastStreamId !== 0x7fffffff, 'the final GOAWAY');
  assert.deepEqual(goawayOf(second), { lastStreamId: 3, code: 0, debug: '' });
  // A stream above the last id is refused.
  await peer.send(F.headers(5, req('/late'), { endStream: true }));
  const refused = await peer.waitFor((f) => f.type === F.Type.RST_STREAM && f.streamId === 5, 'REFUSED_STREAM');
  assert.equal(F.readU32(refused.payload), ErrorCodes.REFUSED_STREAM);
  assert.deepEqual(app.seen, [1, 3]);
  // Both accepted streams are served before the end.
  app.release(1);
  app.release(3);
  await peer.ended(); // the server half-closed after flushing
  assert.ok(peer.frames.some((f) => f.type === F.Type.HEADERS && f.streamId === 1));
  assert.ok(peer.frames.some((f) => f.type === F.Type.HEADERS && f.streamId === 3));
  await peer.closeWrite();
  assert.deepEqual(await closed, { initiator: 'local', code: 0, lastStreamId: 3 });
  assert.equal(session.state, 'closed');
});

test('without a PING ACK the final GOAWAY goes out after goawayRttTimeoutMs', async (t) => {
  const clock = new FakeClock();
  const { session, peer } = await withPeer(t, 'server', { clock, goawayRttTimeoutMs: 250 });
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await settle();
  session.close();
  await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'the first GOAWAY');
  await clock.advance(249);
  assert.equal(peer.ofType(F.Type.GOAWAY).length, 1);
  await clock.advance(1);
  const final = await peer.waitFor((f) => f.type === F.Type.GOAWAY && goawayOf(f).lastStreamId !== 0x7fffffff, 'the final GOAWAY');
  assert.equal(goawayOf(final).lastStreamId, 1);
});

test('Duck #8: close() honours its code and debug data', async (t) => {
  const { session, peer } = await withPeer(t, 'client');
  const closed = session.close({ code: ErrorCodes.INTERNAL_ERROR, debug: 'maintenance' });
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.deepEqual(goawayOf(goaway), { lastStreamId: 0, code: ErrorCodes.INTERNAL_ERROR, debug: 'maintenance' });
  await peer.ended();
  await peer.closeWrite();
  assert.deepEqual(await closed, { initiator: 'local', code: ErrorCodes.INTERNAL_ERROR, lastStreamId: 0 });
});

test('a server close() with debug data puts it in both GOAWAYs', async (t) => {
  const { session, peer } = await withPeer(t, 'server');
  session.close({ debug: 'draining' });
  const ping = await peer.waitFor((f) => f.type === F.Type.PING, 'PING');
  await peer.send(F.ping(ping.payload, { ack: true }));
  await peer.waitFor(() => peer.ofType(F.Type.GOAWAY).length === 2, 'two GOAWAYs');
  assert.deepEqual(peer.ofType(F.Type.GOAWAY).map((f) => goawayOf(f).debug), ['draining', 'draining']);
});

test('close() lets streams under way finish, then both sides end cleanly', async (t) => {
  let respond;
  const { client, server } = await sessionPair({
    after: t,
    server: {
      onstream(stream) {
        respond = async () => {
          stream.respond(200);
          await stream.write('late but whole');
          await stream.end();
        };
      },
    },
  });
  const stream = client.request(req('/'));
  await settle();
  let serverClosed = false;
  const closing = server.close().then((info) => ((serverClosed = true), info));
  await settle();
  assert.equal(serverClosed, false, 'the server waits for its stream');
  assert.throws(() => client.request(req('/new')), H2SessionClosingError, 'the client saw the GOAWAY');
  await respond();
  assert.equal(new TextDecoder().decode(await readAll(stream.readable)), 'late but whole');
  assert.deepEqual(await closing, { initiator: 'local', code: 0, lastStreamId: 1 });
  assert.deepEqual(await client.closed, { initiator: 'remote', code: 0, lastStreamId: 1 });
});

test('streams still open at the close timeout are reset with CANCEL', async (t) => {
  const clock = new FakeClock();
  let stream;
  const { session, peer } = await withPeer(t, 'server', {
    clock,
    onstream(s) {
      stream = s; // never answered
    },
  });
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await settle();
  const closed = session.close({ timeoutMs: 1000 });
  const ping = await peer.waitFor((f) => f.type === F.Type.PING, 'PING');
  await peer.send(F.ping(ping.payload, { ack: true }));
  await clock.advance(999);
  assert.equal(peer.ofType(F.Type.RST_STREAM).length, 0);
  await clock.advance(1);
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'RST_STREAM');
  assert.equal(rst.streamId, 1);
  assert.equal(F.readU32(rst.payload), ErrorCodes.CANCEL);
  assert.ok(stream.signal.reason instanceof H2TimeoutError);
  assert.equal(stream.signal.reason.kind, 'close');
  await peer.ended();
  await peer.closeWrite();
  assert.equal((await closed).initiator, 'local');
});

test("the peer's GOAWAY: streams above its last id fail retryable, the others finish", async (t) => {
  const goaways = [];
  const { session, peer } = await withPeer(t, 'client', { ongoaway: (info) => goaways.push(info) });
  const s1 = session.request(req('/1'));
  const s3 = session.request(req('/3'));
  const s5 = session.request(req('/5'));
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 5, 'the three requests');
  await peer.send(F.goaway(1, ErrorCodes.NO_ERROR, 'bye'));
  await settle();
  assert.equal(goaways.length, 1);
  assert.equal(goaways[0].code, 0);
  assert.equal(goaways[0].lastStreamId, 1);
  assert.equal(new TextDecoder().decode(goaways[0].debugData), 'bye');
  for (const s of [s3, s5]) {
    await assert.rejects(s.response, (e) => {
      assert.ok(e instanceof H2RefusedStreamError, `got ${e}`);
      assert.equal(e.retryable, true);
      assert.equal(e.code, ErrorCodes.REFUSED_STREAM);
      assert.equal(e.initiator, 'remote');
      assert.equal(e.streamId, s.id);
      return true;
    });
  }
  assert.equal(session.state, 'closing');
  assert.throws(() => session.request(req('/new')), (e) => e instanceof H2SessionClosingError && e.retryable);
  await peer.send(F.headers(1, [[':status', '200']], { endStream: true }));
  assert.equal((await s1.response).status, 200);
  const ours = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'our GOAWAY');
  assert.equal(goawayOf(ours).code, 0);
  await peer.ended();
  await peer.closeWrite();
  assert.deepEqual(await session.closed, { initiator: 'remote', code: 0, lastStreamId: 1 });
});

test("the peer's GOAWAY with an error code fails every stream with H2GoAwayError", async (t) => {
  const { session, peer } = await withPeer(t, 'client');
  const s1 = session.request(req('/1'));
  await peer.waitFor((f) => f.type === F.Type.HEADERS, 'the request');
  await peer.send(F.goaway(1, ErrorCodes.ENHANCE_YOUR_CALM, 'slow down'));
  await assert.rejects(s1.response, (e) => e instanceof H2GoAwayError && e.code === ErrorCodes.ENHANCE_YOUR_CALM && e.initiator === 'remote');
  const info = await session.closed;
  assert.equal(info.initiator, 'remote');
  assert.equal(info.code, ErrorCodes.ENHANCE_YOUR_CALM);
  assert.ok(info.error instanceof H2GoAwayError);
  assert.equal(new TextDecoder().decode(info.error.debugData), 'slow down');
});

test('request() throws H2SessionClosingError synchronously once close() was called', async (t) => {
  const { client } = await sessionPair({ after: t });
  const closing = client.close();
  assert.throws(() => client.request(req('/')), H2SessionClosingError);
  await closing;
  assert.throws(() => client.request(req('/')), H2SessionClosingError);
});

test('destroy(error, code): GOAWAY with the code, streams fail, closed carries the error', async (t) => {
  const { session, peer } = await withPeer(t, 'client');
  const stream = session.request(req('/'));
  const cause = new Error('shutting down');
  const closed = session.destroy(cause, ErrorCodes.CANCEL);
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.equal(goawayOf(goaway).code, ErrorCodes.CANCEL);
  await assert.rejects(stream.response, (e) => e instanceof H2GoAwayError && e.cause === cause && e.code === ErrorCodes.CANCEL);
  const info = await closed;
  assert.equal(info.initiator, 'local');
  assert.equal(info.code, ErrorCodes.CANCEL);
  assert.equal(info.error.cause, cause);
  await peer.ended();
});

test('destroy() without an error sends GOAWAY(NO_ERROR) and reports no error', async (t) => {
  const { session, peer } = await withPeer(t, 'server');
  const info = await session.destroy();
  assert.deepEqual(info, { initiator: 'local', code: 0, lastStreamId: 0 });
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.equal(goawayOf(goaway).code, 0);
});

test('Symbol.asyncDispose closes the session gracefully', async (t) => {
  const { client, server } = await sessionPair({ after: t });
  await client[Symbol.asyncDispose]();
  assert.equal(client.state, 'closed');
  assert.equal((await client.closed).error, undefined);
  assert.equal((await server.closed).initiator, 'remote');
});
