// Client requests beyond the peer's MAX_CONCURRENT_STREAMS: they wait in a FIFO queue (the
// stream's id is null meanwhile), start as streams close or the limit rises, keep their body
// until then, honour their signal and timeout while queued, are bounded by
// maxQueuedRequests, and fail with H2SessionClosingError (retryable) when the session goes
// away. The peer is scripted (raw frames) and advertises MAX_CONCURRENT_STREAMS = 2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ErrorCodes,
  H2ConnectionLostError,
  H2QueueFullError,
  H2Session,
  H2SessionClosingError,
  H2StreamResetError,
  H2TimeoutError,
  memoryTransportPair,
  SettingCodes,
} from 'h2wasm';
import * as F from './frames.mjs';
import { FakeClock, readAll, req, ScriptedPeer, settle } from './session_support.mjs';

const MCS = SettingCodes.MAX_CONCURRENT_STREAMS;
const text = (bytes) => new TextDecoder().decode(bytes);

/** A client session against a scripted server that advertises `settings` (default MCS 2). */
async function clientWithPeer(t, options = {}, settings = [[MCS, 2]]) {
  const [end, peerEnd] = memoryTransportPair(options.clock ? { clock: options.clock } : {});
  const client = H2Session.client(end, options);
  t.after(() => client.destroy());
  const peer = new ScriptedPeer(peerEnd, { role: 'server' });
  await peer.handshake(settings);
  await client.ready;
  return { client, peer };
}

/** Stream ids the peer received HEADERS on, in order. */
const headersSeen = (peer) => peer.ofType(F.Type.HEADERS).map((f) => f.streamId);

/** The scripted server answers stream `id` with 200 and `body`. */
function answer(peer, id, body = `answer ${id}`) {
  return peer.send(F.headers(id, [[':status', '200']]), F.data(id, body, { endStream: true }));
}

test('requests beyond MAX_CONCURRENT_STREAMS wait, then start in order as streams close', async (t) => {
  const { client, peer } = await clientWithPeer(t);
  const streams = ['/a', '/b', '/c', '/d'].map((path) => client.request(req(path)));
  assert.deepEqual(streams.map((s) => s.id), [1, 3, null, null]);
  assert.equal(client.stats().queuedRequests, 2);
  await settle();
  assert.deepEqual(headersSeen(peer), [1, 3], 'only two requests reach the peer');

  await answer(peer, 1);
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 5, 'the third request');
  assert.equal(streams[2].id, 5);
  assert.equal(streams[3].id, null, 'the fourth still waits: two streams are open');
  assert.equal(streams[2].request.path, '/c');

  await answer(peer, 3);
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 7, 'the fourth request');
  assert.equal(streams[3].id, 7);
  assert.equal(client.stats().queuedRequests, 0);
  await answer(peer, 5);
  await answer(peer, 7);
  const bodies = await Promise.all(streams.map((s) => readAll(s.readable).then(text)));
  assert.deepEqual(bodies, ['answer 1', 'answer 3', 'answer 5', 'answer 7']);
  assert.deepEqual(headersSeen(peer), [1, 3, 5, 7]);
  // Each request kept its own headers through the queue.
  assert.deepEqual(streams.map((s) => [s.id, s.request.path]), [[1, '/a'], [3, '/b'], [5, '/c'], [7, '/d']]);
});

test("a queued request's body waits for its start, then follows its HEADERS", async (t) => {
  const { client, peer } = await clientWithPeer(t);
  client.request(req('/1'));
  client.request(req('/2'));
  const upload = client.request(req('/upload', 'POST'), { body: 'queued body' });
  const streamed = client.request(req('/streamed', 'POST'), { endStream: false });
  const written = streamed.write('written while queued').then(() => streamed.end([['x-trailer', 'yes']]));
  await settle();
  assert.equal(peer.ofType(F.Type.DATA).length, 0, 'nothing of a queued body goes out');
  assert.equal(upload.localWindow, 0);

  await answer(peer, 1);
  await answer(peer, 3);
  await peer.waitFor((f) => f.type === F.Type.DATA && f.streamId === 5 && f.flags & F.Flag.END_STREAM, 'the upload body');
  await written;
  // The trailers: a second HEADERS on stream 7, ending it.
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 7 && f.flags & F.Flag.END_STREAM, 'the trailers');
  const onFive = peer.frames.filter((f) => f.streamId === 5).map((f) => f.type);
  assert.equal(onFive[0], F.Type.HEADERS, 'HEADERS first');
  assert.ok(onFive.length > 1 && onFive.slice(1).every((type) => type === F.Type.DATA), `then DATA only: ${onFive}`);
  assert.equal(text(peer.frames.find((f) => f.type === F.Type.DATA && f.streamId === 5).payload), 'queued body');
  assert.equal(text(peer.frames.find((f) => f.type === F.Type.DATA && f.streamId === 7).payload), 'written while queued');
});

test('maxQueuedRequests bounds the queue: beyond it request() throws H2QueueFullError, fetch() rejects', async (t) => {
  const { client, peer } = await clientWithPeer(t, { maxQueuedRequests: 1 });
  client.request(req('/1'));
  client.request(req('/2'));
  const queued = client.request(req('/3'));
  assert.equal(queued.id, null);
  let thrown;
  assert.throws(() => client.request(req('/4')), (error) => (thrown = error) instanceof H2QueueFullError);
  assert.equal(thrown.retryable, true);
  assert.equal(thrown.limit, 1);
  await assert.rejects(client.fetch('http://example.test/5'), H2QueueFullError);
  // Once the queue moves, there is room again.
  await answer(peer, 1);
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 5, 'the queued request');
  assert.equal(client.request(req('/6')).id, null);
});

test('with maxQueuedRequests 0 nothing is queued: a request beyond the limit throws at once', async (t) => {
  const { client } = await clientWithPeer(t, { maxQueuedRequests: 0 });
  client.request(req('/1'));
  client.request(req('/2'));
  assert.throws(() => client.request(req('/3')), H2QueueFullError);
});

test('a queued request whose signal aborts leaves the queue without reaching the wire', async (t) => {
  const { client, peer } = await clientWithPeer(t);
  client.request(req('/1'));
  client.request(req('/2'));
  const controller = new AbortController();
  const aborted = client.request(req('/aborted'), { signal: controller.signal });
  const fetched = new AbortController();
  const fetching = client.fetch('http://example.test/fetch-aborted', { signal: fetched.signal });
  const next = client.request(req('/next'));
  assert.equal(client.stats().queuedRequests, 3);
  controller.abort(new Error('changed my mind'));
  fetched.abort(new Error('fetch aborted'));
  await assert.rejects(aborted.response, (error) => error instanceof H2StreamResetError && error.code === ErrorCodes.CANCEL && error.cause.message === 'changed my mind');
  await assert.rejects(fetching, /fetch aborted/);
  await assert.rejects(aborted.closed, H2StreamResetError);
  assert.equal(aborted.signal.aborted, true);
  assert.equal(client.stats().queuedRequests, 1);
  await answer(peer, 1);
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 5, 'the next request');
  assert.equal(next.id, 5, 'the next request takes the freed slot');
  assert.equal(aborted.id, null);
  assert.equal(peer.ofType(F.Type.RST_STREAM).length, 0, 'no RST_STREAM for a request never sent');
});

test('reset() and cancelling the readable of a queued request drop it from the queue', async (t) => {
  const { client, peer } = await clientWithPeer(t);
  client.request(req('/1'));
  client.request(req('/2'));
  const reset = client.request(req('/reset'));
  const cancelled = client.request(req('/cancelled'));
  reset.reset();
  await cancelled.readable.cancel();
  await assert.rejects(reset.closed, (error) => error.code === ErrorCodes.CANCEL);
  await assert.rejects(cancelled.response, (error) => error.code === ErrorCodes.CANCEL);
  assert.equal(client.stats().queuedRequests, 0);
  await answer(peer, 1);
  await settle();
  assert.deepEqual(headersSeen(peer), [1, 3]);
});

test('timeoutMs counts the time spent queued', async (t) => {
  const clock = new FakeClock();
  const { client, peer } = await clientWithPeer(t, { clock });
  client.request(req('/1'));
  client.request(req('/2'));
  const slow = client.request(req('/slow'), { timeoutMs: 1_000 });
  await clock.advance(999);
  assert.equal(slow.id, null);
  await clock.advance(1);
  await assert.rejects(slow.response, (error) => error instanceof H2TimeoutError && error.kind === 'request' && error.streamId === undefined);
  assert.equal(client.stats().queuedRequests, 0);
  await answer(peer, 1);
  await settle();
  assert.deepEqual(headersSeen(peer), [1, 3], 'the timed-out request never went out');
});

test("the peer's GOAWAY fails queued requests with H2SessionClosingError (retryable); streams under way finish", async (t) => {
  const { client, peer } = await clientWithPeer(t);
  const first = client.request(req('/1'));
  client.request(req('/2'));
  const queued = client.request(req('/3'));
  await settle();
  await peer.send(F.goaway(1, ErrorCodes.NO_ERROR));
  const error = await queued.response.then(
    () => assert.fail('the queued request should fail'),
    (e) => e,
  );
  assert.ok(error instanceof H2SessionClosingError, `got ${error}`);
  assert.equal(error.retryable, true);
  assert.equal(queued.id, null);
  await answer(peer, 1);
  assert.equal(text(await readAll(first.readable)), 'answer 1');
  await settle();
  assert.deepEqual(headersSeen(peer), [1, 3]);
});

test('close() fails queued requests; a lost connection fails them with the loss as cause', async (t) => {
  {
    const { client } = await clientWithPeer(t);
    client.request(req('/1'));
    client.request(req('/2'));
    const queued = client.request(req('/3'));
    client.close({ timeoutMs: 10 });
    await assert.rejects(queued.response, H2SessionClosingError);
    assert.throws(() => client.request(req('/4')), H2SessionClosingError);
  }
  {
    const [end, peerEnd] = memoryTransportPair();
    const client = H2Session.client(end);
    t.after(() => client.destroy());
    const peer = new ScriptedPeer(peerEnd, { role: 'server' });
    await peer.handshake([[MCS, 1]]);
    await client.ready;
    const running = client.request(req('/1'));
    const queued = client.request(req('/2'));
    end.drop(new Error('cable cut'));
    await assert.rejects(running.response, H2ConnectionLostError);
    const error = await queued.response.catch((e) => e);
    assert.ok(error instanceof H2SessionClosingError, `got ${error}`);
    assert.ok(error.cause instanceof H2ConnectionLostError, 'the cause is the connection loss');
  }
});

test('a SETTINGS raising MAX_CONCURRENT_STREAMS starts queued requests; 0 queues every request', async (t) => {
  const { client, peer } = await clientWithPeer(t, {}, [[MCS, 0]]);
  const streams = [1, 2, 3].map((n) => client.request(req(`/${n}`)));
  assert.deepEqual(streams.map((s) => s.id), [null, null, null]);
  await peer.send(F.settings([[MCS, 2]]));
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 3, 'two requests');
  assert.deepEqual(streams.map((s) => s.id), [1, 3, null]);
  await peer.send(F.settings([[MCS, 10]]));
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 5, 'the third');
  assert.deepEqual(headersSeen(peer), [1, 3, 5]);
});

test("before the peer's first SETTINGS, 100 streams start and the rest wait", async (t) => {
  const [end, peerEnd] = memoryTransportPair();
  const client = H2Session.client(end);
  t.after(() => client.destroy());
  const streams = Array.from({ length: 102 }, (_, i) => client.request(req(`/${i}`)));
  assert.equal(streams.filter((s) => s.id !== null).length, 100);
  assert.equal(streams[100].id, null);
  const peer = new ScriptedPeer(peerEnd, { role: 'server' });
  await peer.handshake([]); // no MAX_CONCURRENT_STREAMS: unlimited
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 203, 'the 102nd request');
  assert.deepEqual([streams[100].id, streams[101].id], [201, 203]);
});

test('fetch() waits in the queue and resolves once its request is answered', async (t) => {
  const { client, peer } = await clientWithPeer(t);
  const responses = [1, 2, 3].map((n) => client.fetch(`http://example.test/${n}`));
  await settle();
  assert.deepEqual(headersSeen(peer), [1, 3]);
  await answer(peer, 3);
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 5, 'the third fetch');
  await answer(peer, 1);
  await answer(peer, 5);
  assert.deepEqual(await Promise.all(responses.map((r) => r.then((x) => x.text()))), ['answer 1', 'answer 3', 'answer 5']);
});
