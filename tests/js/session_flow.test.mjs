// H2Session flow control and backpressure: the reader never waits for the application,
// outbound bodies wait for WINDOW_UPDATE by event (never by polling) under a progress
// deadline, inbound data is acknowledged as it is read (padding at once), the transport's
// backlog bounds writes, and writes are never cut part-way. Duck's defects 1, 2, 4 and 6.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, H2FlowControlTimeoutError, H2Session, H2StreamResetError, memoryTransportPair } from 'h2wasm';
import * as F from './frames.mjs';
import { FakeClock, pattern, readAll, req, ScriptedPeer, sessionPair, settle } from './session_support.mjs';

/** A server session with a scripted client peer, handshaken. */
async function serverWithPeer(t, options = {}, { transport = {}, settings = [] } = {}) {
  const [peerEnd, serverEnd] = memoryTransportPair(transport);
  const server = H2Session.server(serverEnd, options);
  t.after(() => server.destroy());
  const peer = new ScriptedPeer(peerEnd, { role: 'client' });
  await peer.handshake(settings);
  await server.ready;
  return { server, peer, serverEnd, peerEnd };
}

const dataBytes = (peer, streamId) =>
  peer.ofType(F.Type.DATA).filter((f) => f.streamId === streamId).reduce((n, f) => n + f.payload.length, 0);

const sumUpdates = (peer, streamId) =>
  peer
    .ofType(F.Type.WINDOW_UPDATE)
    .filter((f) => f.streamId === streamId)
    .reduce((n, f) => n + F.readU32(f.payload), 0);

test('Duck #2: a slow application does not stop reading (PING answered, other stream served)', async (t) => {
  const { server, peer } = await serverWithPeer(t, {
    onstream(stream) {
      if (stream.request.path === '/slow') return new Promise(() => {}); // never answers
      stream.respond(200, [], { endStream: true });
      return undefined;
    },
  });
  await peer.send(F.headers(1, req('/slow'), { endStream: true }), F.ping('abcdefgh'), F.headers(3, req('/fast'), { endStream: true }));
  const ack = await peer.waitFor((f) => f.type === F.Type.PING && f.flags & F.Flag.ACK, 'PING ACK');
  assert.equal(new TextDecoder().decode(ack.payload), 'abcdefgh');
  const response = await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 3, 'the response on stream 3');
  assert.ok(response.flags & F.Flag.END_STREAM);
  assert.equal(peer.frames.filter((f) => f.streamId === 1).length, 0, 'the slow stream is still unanswered');
  await server.destroy();
});

test('Duck #4: a response larger than the window completes on WINDOW_UPDATE, without polling', async (t) => {
  const clock = new FakeClock(); // never advanced: only events can wake the writer
  let writeDone = false;
  const { server, peer } = await serverWithPeer(t, {
    clock,
    async onstream(stream) {
      stream.respond(200);
      await stream.write(pattern(100_000));
      writeDone = true;
      await stream.end();
    },
  });
  await peer.send(F.headers(1, req('/big'), { endStream: true }));
  await peer.waitFor(() => dataBytes(peer, 1) === 65_535, 'a full window of DATA');
  await settle();
  assert.equal(dataBytes(peer, 1), 65_535, 'nothing beyond the window');
  assert.equal(writeDone, false);
  assert.equal(server.stats().blockedStreams, 1);
  await peer.send(F.windowUpdate(0, 40_000), F.windowUpdate(1, 40_000));
  await peer.waitFor((f) => f.type === F.Type.DATA && f.streamId === 1 && f.flags & F.Flag.END_STREAM, 'END_STREAM');
  assert.equal(dataBytes(peer, 1), 100_000);
  assert.equal(writeDone, true);
  assert.equal(clock.now(), 0);
  await server.destroy();
});

test('Duck #4: a flow-control wait without progress times out, rejects, and resets the stream (CANCEL)', async (t) => {
  const clock = new FakeClock();
  let failure;
  let stream;
  const { server, peer } = await serverWithPeer(t, {
    clock,
    flowControlTimeoutMs: 1000,
    async onstream(s) {
      stream = s;
      s.respond(200);
      try {
        await s.write(pattern(100_000));
      } catch (error) {
        failure = error;
      }
    },
  });
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await peer.waitFor(() => dataBytes(peer, 1) === 65_535, 'a full window');
  await clock.advance(999);
  assert.equal(failure, undefined, 'not before the deadline');
  await clock.advance(1);
  assert.ok(failure instanceof H2FlowControlTimeoutError, `got ${failure}`);
  assert.equal(failure.kind, 'flowControl');
  assert.equal(failure.streamId, 1);
  assert.equal(failure.initiator, 'library');
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM && f.streamId === 1, 'RST_STREAM');
  assert.equal(F.readU32(rst.payload), ErrorCodes.CANCEL);
  assert.equal(stream.signal.reason, failure);
  assert.equal(server.state, 'open', 'the connection goes on');
  await server.destroy();
});

test('progress restarts the flow-control deadline; it measures time without progress', async (t) => {
  const clock = new FakeClock();
  let failure;
  let failedAt;
  const { server, peer } = await serverWithPeer(t, {
    clock,
    flowControlTimeoutMs: 1000,
    async onstream(s) {
      s.respond(200);
      try {
        await s.write(pattern(100_000));
      } catch (error) {
        failure = error;
        failedAt = clock.now();
      }
    },
  });
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await peer.waitFor(() => dataBytes(peer, 1) === 65_535, 'a full window');
  await clock.advance(900);
  await peer.send(F.windowUpdate(0, 10_000), F.windowUpdate(1, 10_000));
  await peer.waitFor(() => dataBytes(peer, 1) === 75_535, 'the next 10,000 octets');
  await clock.advance(900);
  assert.equal(failure, undefined, '1,800 ms in all, but only 900 without progress');
  await clock.advance(200);
  assert.ok(failure instanceof H2FlowControlTimeoutError);
  assert.equal(failedAt, 1900, 'one full timeout after the last progress');
  await server.destroy();
});

test("Duck #4: a timed-out waiter woken later does no harm (onFlowControlTimeout: 'error' keeps the stream)", async (t) => {
  const clock = new FakeClock();
  let failure;
  let stream;
  const { server, peer } = await serverWithPeer(t, {
    clock,
    flowControlTimeoutMs: 100,
    onFlowControlTimeout: 'error',
    async onstream(s) {
      stream = s;
      s.respond(200);
      await s.write(pattern(65_535));
      try {
        await s.write(pattern(10));
      } catch (error) {
        failure = error;
      }
    },
  });
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await clock.advance(100);
  assert.ok(failure instanceof H2FlowControlTimeoutError);
  assert.equal(peer.ofType(F.Type.RST_STREAM).length, 0);
  assert.equal(stream.signal.aborted, false);
  await peer.send(F.windowUpdate(0, 100), F.windowUpdate(1, 100));
  await stream.write(pattern(10));
  await stream.end();
  await peer.waitFor((f) => f.type === F.Type.DATA && f.flags & F.Flag.END_STREAM, 'the end');
  await server.destroy();
});

test('a write aborted by its signal rejects with the reason and resets the stream (CANCEL)', async (t) => {
  const controller = new AbortController();
  let failure;
  const { server, peer } = await serverWithPeer(t, {
    async onstream(s) {
      s.respond(200);
      try {
        await s.write(pattern(100_000), { signal: controller.signal });
      } catch (error) {
        failure = error;
      }
    },
  });
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await peer.waitFor(() => dataBytes(peer, 1) === 65_535, 'a full window');
  const reason = new Error('user gave up');
  controller.abort(reason);
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'RST_STREAM');
  assert.equal(F.readU32(rst.payload), ErrorCodes.CANCEL);
  assert.equal(failure, reason);
  await server.destroy();
});

test('Duck #6: padded DATA returns its padding to the connection window at once', async (t) => {
  let stream;
  const { server, peer } = await serverWithPeer(t, {
    connectionWindowSize: 65_535,
    onstream(s) {
      stream = s; // the body is not read
    },
  });
  const frames = [F.headers(1, req('/', 'POST'))];
  for (let i = 0; i < 200; i++) frames.push(F.data(1, Uint8Array.of(i), { padLength: 255 }));
  await peer.send(...frames);
  await peer.waitFor(() => sumUpdates(peer, 0) > 0, 'a connection WINDOW_UPDATE');
  await settle();
  const padding = 200 * 256; // 255 octets of padding plus the Pad Length octet, per frame
  assert.ok(sumUpdates(peer, 0) <= padding, 'no more than the padding came back');
  assert.ok(sumUpdates(peer, 0) >= padding / 2, `the padding came back (${sumUpdates(peer, 0)})`);
  assert.equal(server.stats().inboundBuffered, 200, 'the 200 data octets are still unread');
  const reader = stream.readable.getReader();
  const first = await reader.read();
  assert.deepEqual([...first.value], [0]);
  await server.destroy();
});

test('Duck #6: inbound memory is bounded by the advertised window; reading releases it', async (t) => {
  let stream;
  const { server, peer } = await serverWithPeer(t, {
    connectionWindowSize: 65_535,
    onstream(s) {
      stream = s;
    },
  });
  const body = pattern(65_535);
  await peer.send(
    F.headers(1, req('/', 'POST')),
    F.data(1, body.subarray(0, 16_384)),
    F.data(1, body.subarray(16_384, 32_768)),
    F.data(1, body.subarray(32_768, 49_152)),
    F.data(1, body.subarray(49_152)),
  );
  await settle();
  assert.equal(server.stats().inboundBuffered, 65_535);
  assert.equal(peer.ofType(F.Type.WINDOW_UPDATE).length, 0, 'unread data gives no window back');
  const reader = stream.readable.getReader();
  let read = 0;
  while (read < body.length) read += (await reader.read()).value.length;
  // The engine returns window in batches once half of it is consumed.
  await peer.waitFor(() => sumUpdates(peer, 0) >= 32_768 && sumUpdates(peer, 1) >= 32_768, 'both windows reopened');
  assert.equal(server.stats().inboundBuffered, 0);
  await server.destroy();
});

test('Duck #6: a 6.8 MB upload passes without overflowing any window', async (t) => {
  const size = 6_800_000;
  const body = pattern(size, 3);
  let checksum = 0;
  for (let i = 0; i < size; i += 4099) checksum = (checksum + body[i] * i) % 1_000_000_007;
  const { client, server } = await sessionPair({
    after: t,
    server: {
      async onstream(stream) {
        const got = await readAll(stream.readable);
        let sum = 0;
        for (let i = 0; i < got.length; i += 4099) sum = (sum + got[i] * i) % 1_000_000_007;
        stream.respond(200);
        await stream.write(`${got.length} ${sum}`);
        await stream.end();
      },
    },
  });
  const stream = client.request(req('/upload', 'POST'), { body });
  const text = new TextDecoder().decode(await readAll(stream.readable));
  assert.equal(text, `${size} ${checksum}`);
  assert.equal(server.state, 'open');
  assert.equal(client.state, 'open');
  await client.close();
  await server.closed;
});

test('connection-window wakes are round-robin: blocked incremental streams of one urgency get one frame each in turn', async (t) => {
  const { server, peer } = await serverWithPeer(t, 
    {
      async onstream(s) {
        s.respond(200);
        await s.write(pattern(300_000));
      },
    },
    { settings: [[0x4, 1_000_000]] }, // large stream windows: only the connection window binds
  );
  // RFC 9218: incremental streams share; non-incremental ones (the default) would go one by one.
  const incremental = [['priority', 'i']];
  await peer.send(
    F.headers(1, req('/a', 'GET', incremental), { endStream: true }),
    F.headers(3, req('/b', 'GET', incremental), { endStream: true }),
    F.headers(5, req('/c', 'GET', incremental), { endStream: true }),
  );
  await peer.waitFor(() => peer.ofType(F.Type.DATA).reduce((n, f) => n + f.payload.length, 0) === 65_535, 'the connection window');
  await settle();
  for (let round = 0; round < 3; round++) {
    const before = peer.ofType(F.Type.DATA).length;
    await peer.send(F.windowUpdate(0, 3 * 16_384));
    await peer.waitFor(() => peer.ofType(F.Type.DATA).length === before + 3, 'three more frames');
    await settle();
    const turn = peer.ofType(F.Type.DATA).slice(before);
    assert.equal(turn.length, 3, 'exactly three frames for three frames of window');
    assert.deepEqual(
      turn.map((f) => f.streamId).sort(),
      [1, 3, 5],
      `round ${round}: one frame per stream, got ${turn.map((f) => f.streamId)}`,
    );
  }
  await server.destroy();
});

test('cancelling the readable resets the stream (CANCEL) and gives back the unread window', async (t) => {
  const { server, peer } = await serverWithPeer(t, {
    connectionWindowSize: 65_535,
    async onstream(s) {
      const reader = s.readable.getReader();
      await reader.read();
      await reader.cancel(new Error('enough'));
    },
  });
  const body = pattern(40_000);
  await peer.send(F.headers(1, req('/', 'POST')), F.data(1, body.subarray(0, 16_384)), F.data(1, body.subarray(16_384, 32_768)), F.data(1, body.subarray(32_768)));
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'RST_STREAM');
  assert.equal(F.readU32(rst.payload), ErrorCodes.CANCEL);
  await peer.waitFor(() => sumUpdates(peer, 0) === 40_000, 'the whole body acknowledged on the connection');
  await server.destroy();
});

test('a server that has sent its whole response stops the request body with NO_ERROR', async (t) => {
  let stream;
  const { server, peer } = await serverWithPeer(t, {
    async onstream(s) {
      stream = s;
      s.respond(200, [], { endStream: true });
      await s.readable.cancel();
    },
  });
  await peer.send(F.headers(1, req('/', 'POST')), F.data(1, 'partial'));
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'RST_STREAM');
  assert.equal(F.readU32(rst.payload), ErrorCodes.NO_ERROR);
  await stream.closed; // a normal end, not an error
  assert.equal(stream.signal.aborted, false);
  await server.destroy();
});

test('a write resolves only once the transport backlog is below outboundHighWaterMark', async (t) => {
  let done = false;
  let stream;
  const { client, server, serverTransport } = await sessionPair({
    after: t,
    server: {
      outboundHighWaterMark: 20_000,
      async onstream(s) {
        stream = s;
        s.respond(200);
        await s.write(pattern(60_000));
        done = true;
        await s.end();
      },
    },
    transport: { writeHighWaterMark: 4096 },
  });
  serverTransport.stallWrites();
  const request = client.request(req('/'));
  await settle();
  assert.ok(stream, 'the request arrived');
  assert.equal(done, false, 'the write waits for the stalled transport');
  assert.ok(server.bufferedAmount >= 20_000, `backlog ${server.bufferedAmount}`);
  serverTransport.resumeWrites();
  assert.equal((await readAll(request.readable)).length, 60_000);
  assert.equal(done, true);
  await client.close();
  await server.closed;
});

test('Duck #1: writes are never cut part-way: a stalled transport and a timeout leave whole frames', async (t) => {
  const clock = new FakeClock();
  let failure;
  const { server, peer, serverEnd } = await serverWithPeer(t, 
    {
      clock,
      flowControlTimeoutMs: 500,
      outboundHighWaterMark: 8_000,
      async onstream(s) {
        s.respond(200);
        try {
          await s.write(pattern(60_000));
        } catch (error) {
          failure = error;
        }
      },
    },
    { transport: { writeHighWaterMark: 1000, chunking: 100, clock } },
  );
  serverEnd.stallWrites();
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await settle();
  assert.ok(serverEnd.bytesInFlight > 0, 'a write is under way in the transport');
  await clock.advance(500);
  assert.ok(failure instanceof H2FlowControlTimeoutError, `got ${failure}`);
  serverEnd.resumeWrites();
  const rst = await peer.waitFor((f) => f.type === F.Type.RST_STREAM, 'the RST_STREAM after the data');
  assert.equal(F.readU32(rst.payload), ErrorCodes.CANCEL);
  await settle();
  assert.equal(peer.leftover, 0, 'no partial frame anywhere');
  const afterRst = peer.frames.slice(peer.frames.indexOf(rst) + 1).filter((f) => f.streamId === 1);
  assert.deepEqual(afterRst, [], 'nothing on the stream after its reset');
  for (const f of peer.ofType(F.Type.DATA)) assert.ok(f.payload.length <= 16_384);
  await server.destroy();
});

test('remote RST_STREAM fails the stream with H2StreamResetError and wakes its blocked writer', async (t) => {
  let failure;
  let stream;
  const { server, peer } = await serverWithPeer(t, {
    async onstream(s) {
      stream = s;
      s.respond(200);
      try {
        await s.write(pattern(100_000));
      } catch (error) {
        failure = error;
      }
    },
  });
  await peer.send(F.headers(1, req('/'), { endStream: true }));
  await peer.waitFor(() => dataBytes(peer, 1) === 65_535, 'a full window');
  await peer.send(F.rstStream(1, ErrorCodes.CANCEL));
  await settle();
  assert.ok(failure instanceof H2StreamResetError);
  assert.equal(failure.code, ErrorCodes.CANCEL);
  assert.equal(failure.initiator, 'remote');
  assert.equal(stream.signal.reason, failure);
  await assert.rejects(stream.closed, (e) => e === failure);
  await server.destroy();
});

test('Duck #3: no delay between reads: a request in 7-octet pieces is answered with the clock standing still', async (t) => {
  const clock = new FakeClock();
  const { client } = await (async () => {
    const [a, b] = memoryTransportPair({ chunking: 7, clock });
    const server = H2Session.server(b, {
      clock,
      async onstream(s) {
        const body = await readAll(s.readable);
        s.respond(200);
        await s.write(body);
        await s.end();
      },
    });
    const c = H2Session.client(a, { clock });
    t.after(() => Promise.all([c.destroy(), server.destroy()]));
    await c.ready;
    return { client: c };
  })();
  const body = pattern(40_000);
  const stream = client.request(req('/', 'POST'), { body });
  assert.deepEqual(await readAll(stream.readable), body);
  assert.equal(clock.now(), 0, 'thousands of reads, no time spent between them');
});

test('Duck #5: an idle session does no work: nothing is written and no timer is left running', async (t) => {
  const clock = new FakeClock();
  const records = [];
  const [a, b] = memoryTransportPair({ clock });
  const server = H2Session.server(b, { clock });
  const client = H2Session.client(a, { clock, trace: (r) => records.push(r) });
  t.after(() => Promise.all([client.destroy(), server.destroy()]));
  await client.ready;
  await settle(10);
  const before = records.length;
  const written = a.sent.length;
  await settle(50);
  await clock.advance(3_600_000); // an hour, with no idle timeout or keep-alive configured
  assert.equal(records.length, before, 'no frame, no state change');
  assert.equal(a.sent.length, written, 'no write');
  assert.equal(clock.pending, 0, 'no timer scheduled');
  assert.equal(client.state, 'open');
});

/** The `[identifier, value]` pairs of a SETTINGS frame. */
const settingsOf = (frame) =>
  Array.from({ length: frame.payload.length / 6 }, (_, i) => [(frame.payload[i * 6] << 8) | frame.payload[i * 6 + 1], F.readU32(frame.payload, i * 6 + 2)]);

test('a stream window below 65,535 binds only once our SETTINGS is acknowledged: data sent before the ACK within the RFC default is accepted', async (t) => {
  const [peerEnd, serverEnd] = memoryTransportPair();
  const received = [];
  const server = H2Session.server(serverEnd, {
    initialWindowSize: 16_384,
    async onstream(stream) {
      received.push((await readAll(stream.readable)).length);
      stream.respond(200, [], { endStream: true });
    },
  });
  t.after(() => server.destroy());
  const peer = new ScriptedPeer(peerEnd, { role: 'client' });
  // A client that sends its request body at once, as nghttp does, before reading our SETTINGS:
  // it may, within the 65,535 octets every stream starts with (RFC 9113 §6.9.3).
  await peer.send(F.PREFACE, F.settings([]), F.headers(1, req('/upload', 'POST')));
  const body = pattern(40_000);
  await peer.send(F.data(1, body.subarray(0, 16_384)), F.data(1, body.subarray(16_384, 32_768)), F.data(1, body.subarray(32_768), { endStream: true }));
  const first = await peer.waitFor((f) => f.type === F.Type.SETTINGS && !(f.flags & F.Flag.ACK), 'SETTINGS');
  const windowOf = (frame) => settingsOf(frame).find(([id]) => id === 0x4)?.[1];
  assert.equal(windowOf(first), 16_384, 'the one SETTINGS frame advertises the smaller window');
  await peer.waitFor((f) => f.type === F.Type.HEADERS && f.streamId === 1, 'the response');
  assert.deepEqual(received, [40_000]);
  assert.equal(peer.ofType(F.Type.GOAWAY).length, 0, 'no FLOW_CONTROL_ERROR');
  assert.equal(peer.ofType(F.Type.SETTINGS).filter((f) => !(f.flags & F.Flag.ACK)).length, 1, 'no second SETTINGS');
  // Once the SETTINGS is acknowledged, 16,384 is in force: a stream may not exceed it.
  await peer.send(F.settingsAck(), F.headers(3, req('/upload', 'POST')), F.data(3, pattern(16_384)), F.data(3, pattern(1)));
  const refused = await peer.waitFor((f) => f.type === F.Type.GOAWAY || (f.type === F.Type.RST_STREAM && f.streamId === 3), 'the window enforced');
  assert.equal(F.readU32(refused.payload, refused.type === F.Type.GOAWAY ? 4 : 0), ErrorCodes.FLOW_CONTROL_ERROR, 'one octet beyond the acknowledged window is a flow-control error');
});
