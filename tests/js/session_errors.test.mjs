// H2Session errors: the GOAWAY of a protocol error goes out before the transport closes,
// connection loss fails everything exactly once with its cause, resets by the peer, throwing
// callbacks, the denial-of-service limits (rapid reset, control-frame flood, inbound cap),
// API misuse, and the error class hierarchy. Duck's defects 7, 10 and 12.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DenialOfServiceError,
  ErrorCodes,
  FrameDataMissingError,
  H2ConnectionLostError,
  H2Error,
  H2FlowControlTimeoutError,
  H2GoAwayError,
  H2ProtocolError,
  H2QueueFullError,
  H2RefusedStreamError,
  H2Session,
  H2SessionClosingError,
  H2StreamResetError,
  H2TimeoutError,
  H2UsageError,
  fromWebStreams,
  InvalidInputError,
  memoryTransportPair,
} from 'h2wasm';
import * as F from './frames.mjs';
import { FakeClock, goawayOf, pattern, req, ScriptedPeer, sessionPair, settle } from './session_support.mjs';

async function withPeer(t, role, options = {}, { settings = [], transport = {} } = {}) {
  const [peerEnd, end] = memoryTransportPair(transport);
  const session = role === 'server' ? H2Session.server(end, options) : H2Session.client(end, options);
  t.after(() => session.destroy());
  const peer = new ScriptedPeer(peerEnd, { role: role === 'server' ? 'client' : 'server' });
  await peer.handshake(settings);
  await session.ready;
  return { session, peer, end, peerEnd };
}

test("Duck #7: a protocol error's GOAWAY is flushed before the transport closes", async (t) => {
  let stream;
  const { session, peer } = await withPeer(t, 'server', {
    onstream(s) {
      stream = s;
    },
  });
  // A request, then a WINDOW_UPDATE three octets long: FRAME_SIZE_ERROR.
  await peer.send(F.headers(1, req('/'), { endStream: true }), F.frame(F.Type.WINDOW_UPDATE, 0, 0, new Uint8Array(3)));
  await peer.ended();
  const goaway = peer.ofType(F.Type.GOAWAY)[0];
  assert.ok(goaway, `a GOAWAY before the EOF; got ${peer.describe()}`);
  assert.equal(goawayOf(goaway).code, ErrorCodes.FRAME_SIZE_ERROR);
  assert.equal(peer.frames.at(-1), goaway, 'the GOAWAY is the last frame');
  const info = await session.closed;
  assert.equal(info.initiator, 'local');
  assert.equal(info.code, ErrorCodes.FRAME_SIZE_ERROR);
  assert.ok(info.error instanceof FrameDataMissingError);
  assert.equal(info.error.initiator, 'remote');
  // The request before the bad frame was dispatched, then failed with the same error.
  assert.ok(stream, 'the events before the error were handled');
  await assert.rejects(stream.closed, (e) => e === info.error);
});

test('Duck #10: EOF fails every stream and waiter exactly once', async (t) => {
  const { session, peer } = await withPeer(t, 'client', {}, { settings: [[0x4, 0]] }); // no window: writes wait
  const waiting = session.request(req('/a'));
  const writing = session.request(req('/b', 'POST'), { endStream: false });
  const write = writing.write(pattern(100));
  const ping = session.ping();
  const settings = session.updateSettings({ maxConcurrentStreams: 5 });
  let aborts = 0;
  for (const s of [waiting, writing]) s.signal.addEventListener('abort', () => aborts++);
  await settle();
  await peer.closeWrite(); // EOF, no GOAWAY
  const info = await session.closed;
  assert.equal(info.initiator, 'transport');
  assert.ok(info.error instanceof H2ConnectionLostError);
  const lost = (e) => e === info.error;
  await assert.rejects(waiting.response, lost);
  await assert.rejects(writing.closed, lost);
  await assert.rejects(write, lost);
  await assert.rejects(ping, lost);
  await assert.rejects(settings, lost);
  await assert.rejects(waiting.readable.getReader().read(), lost);
  await settle();
  assert.equal(aborts, 2, 'each stream aborted once');
  assert.equal(session.state, 'closed');
  assert.equal(session.bufferedAmount, 0);
});

test('Duck #10: a connection dropped mid-write is lost, with the transport error as cause', async (t) => {
  const { client, server, clientTransport } = await sessionPair({
    after: t,
    client: { outboundHighWaterMark: 8192 },
    transport: { writeHighWaterMark: 1024 },
  });
  clientTransport.stallWrites();
  const stream = client.request(req('/up', 'POST'), { endStream: false });
  const write = stream.write(pattern(50_000));
  await settle();
  assert.ok(clientTransport.bytesInFlight > 0, 'a write is under way');
  assert.ok(client.bufferedAmount >= 8192, 'and the chunk waits for the transport');
  const reset = new Error('connection reset by peer');
  clientTransport.drop(reset);
  const info = await client.closed;
  assert.ok(info.error instanceof H2ConnectionLostError);
  assert.equal(info.error.cause, reset);
  await assert.rejects(write, (e) => e === info.error);
  const serverInfo = await server.closed;
  assert.equal(serverInfo.error.cause, reset);
});

test('EOF after our GOAWAY with nothing under way is a clean close', async (t) => {
  const { session, peer } = await withPeer(t, 'client');
  const closed = session.close();
  await peer.ended();
  await peer.closeWrite();
  assert.deepEqual(await closed, { initiator: 'local', code: 0, lastStreamId: 0 });
});

test('RST_STREAM from the peer: H2StreamResetError; REFUSED_STREAM is a retryable H2RefusedStreamError', async (t) => {
  const { session, peer } = await withPeer(t, 'client');
  const a = session.request(req('/a'));
  const b = session.request(req('/b'));
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 3, 'both requests');
  await peer.send(F.rstStream(1, ErrorCodes.INTERNAL_ERROR), F.rstStream(3, ErrorCodes.REFUSED_STREAM));
  await assert.rejects(a.response, (e) => {
    assert.ok(e instanceof H2StreamResetError && !(e instanceof H2RefusedStreamError));
    assert.deepEqual([e.code, e.initiator, e.streamId, e.retryable], [ErrorCodes.INTERNAL_ERROR, 'remote', 1, false]);
    return true;
  });
  await assert.rejects(b.response, (e) => e instanceof H2RefusedStreamError && e.retryable && e.code === ErrorCodes.REFUSED_STREAM);
  assert.equal(session.state, 'open');
});

test('a stream reset before anyone asked for its bodies, signal or promises hands them out failed with the reset', async (t) => {
  // The session makes these only when first asked for; asked for late, they must look as
  // they would have had they existed all along.
  let stream;
  const { peer } = await withPeer(t, 'server', {
    onstream(s) {
      stream = s; // touches nothing
    },
  });
  await peer.send(F.headers(1, req('/', 'POST')), F.data(1, 'partial'));
  await settle();
  await peer.send(F.rstStream(1, ErrorCodes.CANCEL));
  await settle();
  const isReset = (e) => e instanceof H2StreamResetError && e.code === ErrorCodes.CANCEL && e.initiator === 'remote' && e.streamId === 1;
  assert.ok(stream.signal.aborted);
  assert.ok(isReset(stream.signal.reason));
  assert.equal(stream.signal, stream.signal, 'one signal');
  await assert.rejects(stream.closed, isReset);
  await assert.rejects(stream.trailers, isReset);
  await assert.rejects(stream.readable.getReader().read(), isReset);
  await assert.rejects(stream.writable.getWriter().write(new Uint8Array(1)), isReset);
  assert.equal(stream.readable, stream.readable, 'one readable');
  assert.equal(stream.writable, stream.writable, 'one writable');
});

test('a stream that ended cleanly before anyone asked for its body still delivers it, then closes', async (t) => {
  let stream;
  const { peer } = await withPeer(t, 'server', {
    onstream(s) {
      stream = s;
    },
  });
  await peer.send(F.headers(1, req('/', 'POST')), F.data(1, 'hello '), F.data(1, 'world', { endStream: true }));
  await settle();
  stream.respond(204, [], { endStream: true });
  await stream.closed; // both sides ended; the body was never read
  assert.equal(stream.signal.aborted, false);
  assert.equal(await stream.trailers, null);
  const chunks = [];
  for await (const chunk of stream.readable) chunks.push(new TextDecoder().decode(chunk));
  assert.equal(chunks.join(''), 'hello world');
});

test('a stream the engine resets for a peer error reports initiator "library"', async (t) => {
  let stream;
  const { peer } = await withPeer(t, 'server', {
    onstream(s) {
      stream = s;
    },
  });
  // DATA after END_STREAM: a stream error (STREAM_CLOSED).
  await peer.send(F.headers(1, req('/'), { endStream: true }), F.data(1, 'late'));
  await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'RST_STREAM');
  await assert.rejects(stream.closed, (e) => e instanceof H2StreamResetError && e.initiator === 'library' && e.code === ErrorCodes.STREAM_CLOSED);
});

test('a throwing stream handler resets its stream (INTERNAL_ERROR); the session goes on', async (t) => {
  const bug = new Error('handler bug');
  let stream;
  const { session, peer } = await withPeer(t, 'server', {
    onstream(s) {
      stream = s;
      if (s.request.path === '/throw') throw bug;
      if (s.request.path === '/reject') return Promise.reject(bug);
      s.respond(204, [], { endStream: true });
      return undefined;
    },
  });
  await peer.send(F.headers(1, req('/throw'), { endStream: true }), F.headers(3, req('/reject'), { endStream: true }), F.headers(5, req('/ok'), { endStream: true }));
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 5, 'the third response');
  await peer.waitFor((f) => f.type === F.Type.RST_STREAM && f.streamId === 3, 'the second reset');
  const resets = peer.ofType(F.Type.RST_STREAM);
  assert.deepEqual(resets.map((f) => [f.streamId, F.readU32(f.payload)]), [[1, ErrorCodes.INTERNAL_ERROR], [3, ErrorCodes.INTERNAL_ERROR]]);
  assert.equal(session.state, 'open');
  assert.equal(stream.id, 5);
});

test('a throwing trace callback destroys the session with that error', async (t) => {
  const bug = new Error('trace bug');
  const [a, b] = memoryTransportPair();
  const session = H2Session.client(a, {
    trace() {
      throw bug;
    },
  });
  t.after(() => session.destroy());
  new ScriptedPeer(b);
  const info = await session.closed;
  assert.ok(info.error instanceof H2GoAwayError);
  assert.equal(info.error.cause, bug);
});

test('rapid reset: too many streams reset before an answer, within the window, end in ENHANCE_YOUR_CALM', async (t) => {
  const clock = new FakeClock();
  const { session, peer } = await withPeer(t, 'server', { clock, maxRapidResets: 5, rapidResetWindowMs: 1000 });
  let id = 1;
  const burst = async (n) => {
    const frames = [];
    for (let i = 0; i < n; i++, id += 2) frames.push(F.headers(id, req('/'), { endStream: true }), F.rstStream(id, ErrorCodes.CANCEL));
    await peer.send(...frames);
    await settle();
  };
  await burst(5);
  await clock.advance(1001);
  await burst(5); // the first five left the window
  assert.equal(session.state, 'open');
  assert.equal(peer.ofType(F.Type.GOAWAY).length, 0);
  await burst(1); // six within the window
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.equal(goawayOf(goaway).code, ErrorCodes.ENHANCE_YOUR_CALM);
  const info = await session.closed;
  assert.ok(info.error instanceof DenialOfServiceError);
  assert.equal(info.error.initiator, 'remote');
});

test('control-frame flood: a peer that sends PINGs but does not read gets GOAWAY(ENHANCE_YOUR_CALM)', async (t) => {
  const { session, peer, end } = await withPeer(t, 'server', { maxOutboundControlBytes: 2000 }, { transport: { writeHighWaterMark: 512 } });
  end.stallWrites(); // the peer reads nothing from now on
  for (let batch = 0; batch < 15 && session.state === 'open'; batch++) {
    const pings = [];
    for (let i = 0; i < 20; i++) pings.push(F.ping(`p${String(batch * 20 + i).padStart(7, '0')}`));
    await peer.send(...pings);
    await settle();
  }
  assert.equal(session.state, 'closed', 'the session gave up');
  end.resumeWrites();
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.equal(goawayOf(goaway).code, ErrorCodes.ENHANCE_YOUR_CALM);
  assert.ok(peer.ofType(F.Type.PING).length < 300, 'not every PING was answered');
  const info = await session.closed;
  assert.ok(info.error instanceof DenialOfServiceError);
});

test('maxInboundBufferedBytes caps received data nobody reads', async (t) => {
  const { session, peer } = await withPeer(t, 'server', { maxInboundBufferedBytes: 10_000, connectionWindowSize: 65_535, onstream() {} });
  await peer.send(F.headers(1, req('/', 'POST')), F.data(1, pattern(8000)));
  await settle();
  assert.equal(session.state, 'open');
  await peer.send(F.data(1, pattern(8000)));
  const goaway = await peer.waitFor((f) => f.type === F.Type.GOAWAY, 'GOAWAY');
  assert.equal(goawayOf(goaway).code, ErrorCodes.ENHANCE_YOUR_CALM);
});

test('API misuse throws or rejects with H2UsageError', async (t) => {
  let stream;
  const { client, server } = await sessionPair({
    after: t,
    server: {
      onstream(s) {
        stream = s;
      },
    },
  });
  const request = client.request(req('/', 'POST'), { endStream: false });
  await settle();
  await assert.rejects(stream.write('early'), H2UsageError, 'write before respond()');
  stream.respond(200);
  assert.throws(() => stream.respond(200), H2UsageError, 'respond() twice');
  assert.throws(() => stream.informational(103), H2UsageError, 'informational() after respond()');
  assert.throws(() => stream.respond(99), H2UsageError, 'not a final status');
  await stream.end();
  await assert.rejects(stream.write('late'), H2UsageError, 'write after end()');
  await assert.rejects(stream.end(), H2UsageError, 'end() twice');
  assert.throws(() => server.request(req('/')), H2UsageError, 'request() on a server');
  assert.throws(() => client.incoming(), H2UsageError, 'incoming() on a client');
  server.incoming();
  assert.throws(() => server.incoming(), H2UsageError, 'incoming() twice');
  assert.throws(() => client.request(req('/'), { body: 'x', endStream: true }), H2UsageError);
  assert.throws(() => client.request([['x-no-pseudo', '1']]), H2UsageError);
  assert.throws(() => client.setConnectionWindow(1000), H2UsageError, 'the window cannot shrink');
  await assert.rejects(client.ping('short'), InvalidInputError);
  assert.throws(() => H2Session.client({ readable: 1, writable: 2 }), TypeError);
  assert.throws(() => H2Session.client(memoryTransportPair()[0], { nope: 1 }), InvalidInputError);
  await request.end();
});

test('a transport that negotiated another protocol is refused', () => {
  const [a] = memoryTransportPair();
  const transport = { readable: a.readable, writable: a.writable, capabilities: { halfClose: true, readBackpressure: true }, info: { alpn: 'http/1.1' } };
  assert.throws(() => H2Session.client(transport), H2UsageError);
});

test('the session error classes: one hierarchy under H2Error, with code, initiator and names', () => {
  const chain = (e) => {
    const names = [];
    for (let p = Object.getPrototypeOf(e); p !== Error.prototype; p = Object.getPrototypeOf(p)) names.push(p.constructor.name);
    return names;
  };
  const cases = [
    [new H2GoAwayError('x', { code: 2, lastStreamId: 5 }), ['H2GoAwayError', 'H2Error']],
    [new H2StreamResetError('x', { code: 8, streamId: 1 }), ['H2StreamResetError', 'H2Error']],
    [new H2RefusedStreamError('x', { code: 7 }), ['H2RefusedStreamError', 'H2StreamResetError', 'H2Error']],
    [new H2TimeoutError('x', { kind: 'ping' }), ['H2TimeoutError', 'H2Error']],
    [new H2FlowControlTimeoutError('x', { streamId: 3 }), ['H2FlowControlTimeoutError', 'H2TimeoutError', 'H2Error']],
    [new H2ConnectionLostError('x', { cause: 1 }), ['H2ConnectionLostError', 'H2Error']],
    [new H2UsageError('x'), ['H2UsageError', 'H2Error']],
    [new H2SessionClosingError('x'), ['H2SessionClosingError', 'H2Error']],
    [new H2QueueFullError('x', { limit: 3 }), ['H2QueueFullError', 'H2Error']],
    [new DenialOfServiceError('x', { code: 11, initiator: 'remote' }), ['DenialOfServiceError', 'H2ProtocolError', 'H2Error']],
  ];
  for (const [error, expected] of cases) {
    assert.deepEqual(chain(error), expected);
    assert.equal(error.name, expected[0]);
    assert.ok(error instanceof H2Error);
  }
  assert.equal(new H2FlowControlTimeoutError('x').kind, 'flowControl');
  assert.equal(new H2GoAwayError('x', { lastStreamId: 5 }).lastStreamId, 5);
  assert.equal(new H2ConnectionLostError('x', { cause: 'why' }).cause, 'why');
  assert.deepEqual(
    cases.map(([e]) => e.retryable),
    [false, false, true, false, false, false, false, true, true, false],
  );
  assert.equal(new H2QueueFullError('x', { limit: 3 }).limit, 3);
  assert.equal(new DenialOfServiceError('x', { initiator: 'remote' }).initiator, 'remote');
  assert.equal(new H2ProtocolError('x').initiator, undefined);
});

test("a transport's closed: rejected is a loss with its cause; resolved lets queued bytes be read first", async (t) => {
  const failure = new Error('socket error');
  const rejected = H2Session.client(
    fromWebStreams({ readable: new ReadableStream(), writable: new WritableStream(), closed: Promise.reject(failure) }),
  );
  t.after(() => rejected.destroy());
  const lost = await rejected.closed;
  assert.ok(lost.error instanceof H2ConnectionLostError);
  assert.equal(lost.error.cause, failure);

  // The server's whole answer is still in the readable when `closed` has already resolved.
  const clock = new FakeClock();
  const answer = F.concat(
    F.settings(),
    F.settingsAck(),
    F.headers(1, [[':status', '200']], { endStream: true }),
    F.goaway(1, ErrorCodes.NO_ERROR),
  );
  const readable = new ReadableStream({
    start(controller) {
      setTimeout(() => {
        controller.enqueue(answer);
        controller.close();
      }, 5);
    },
  });
  const session = H2Session.client(fromWebStreams({ readable, writable: new WritableStream(), closed: Promise.resolve() }), { clock });
  t.after(() => session.destroy());
  const stream = session.request(req('/'));
  assert.equal((await stream.response).status, 200);
  const info = await session.closed;
  assert.equal(info.error, undefined);
  assert.equal(info.initiator, 'remote');
});

test('a peer stream beyond maxConcurrentStreams is refused (REFUSED_STREAM) and the connection stays up', async (t) => {
  const [a, b] = memoryTransportPair();
  const seen = [];
  const session = H2Session.server(b, {
    maxConcurrentStreams: 1,
    onstream: (stream) => seen.push(stream.id),
  });
  t.after(() => session.destroy());
  const peer = new ScriptedPeer(a, { role: 'client' });
  await peer.handshake();
  await peer.send(F.headers(1, req()), F.headers(3, req(), { endStream: true }));
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'RST_STREAM');
  assert.equal(rst.streamId, 3);
  assert.equal(F.readU32(rst.payload), ErrorCodes.REFUSED_STREAM);
  await settle();
  assert.deepEqual(seen, [1]);
  assert.equal(session.state, 'open');
  assert.ok(!peer.frames.some((f) => f.type === F.Type.GOAWAY));
});
