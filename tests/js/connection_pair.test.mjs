// A client and a server H2Connection exchanging many requests in memory: concurrent streams
// up to the server's limit, request and response bodies larger than the flow-control
// windows (acknowledged as consumed), and trailers both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as h2 from 'h2wasm';
import { SettingCodes } from 'h2wasm';
import { Outbox } from '../../examples/lib/pump.mjs';
import { ofType, Pair, request } from './pair.mjs';

/** Deterministic body bytes: octet i of stream s is (i * 31 + s) & 0xff. */
function body(streamId, length) {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + streamId) & 0xff;
  return out;
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * An echo server over `conn`: answers every request, once it has ended, with status 200,
 * the request body reversed, and trailers giving the body length and the request's
 * trailer (if any). Acknowledges every DATA frame as consumed.
 */
function echoServer(conn) {
  const outbox = new Outbox(conn);
  const streams = new Map();
  const stats = { requests: 0, maxOpen: 0 };
  const onEvents = (events) => {
    for (const e of events) {
      switch (e.type) {
        case 'RequestReceived':
          streams.set(e.streamId, { headers: e.headers, chunks: [], trailers: [] });
          stats.requests++;
          stats.maxOpen = Math.max(stats.maxOpen, conn.openInboundStreams);
          break;
        case 'DataReceived':
          streams.get(e.streamId).chunks.push(e.data);
          conn.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
          break;
        case 'TrailersReceived':
          streams.get(e.streamId).trailers = e.headers;
          break;
        case 'StreamEnded': {
          const s = streams.get(e.streamId);
          const received = concat(s.chunks).reverse();
          const echoed = s.trailers.find(([n]) => n === 'x-request-trailer')?.[1] ?? 'none';
          conn.sendHeaders(e.streamId, [[':status', '200'], ['content-type', 'application/octet-stream']]);
          outbox.send(e.streamId, received, {
            trailers: [
              ['x-body-length', String(received.length)],
              ['x-echoed-trailer', echoed],
            ],
          });
          streams.delete(e.streamId);
          break;
        }
      }
    }
    outbox.flush();
  };
  return { onEvents, stats };
}

/**
 * A client over `conn` that sends `plan` (a list of `{ method, size, trailer }`) keeping at
 * most the server's MAX_CONCURRENT_STREAMS open, and collects every response.
 */
function plannedClient(conn, plan) {
  const outbox = new Outbox(conn);
  const responses = new Map();
  let next = 0;
  let open = 0;
  const start = () => {
    const limit = conn.remoteSettings.maxConcurrentStreams;
    while (next < plan.length && open < limit) {
      const { method, size, trailer } = plan[next++];
      const id = conn.getNextAvailableStreamId();
      const hasBody = size > 0;
      conn.sendHeaders(id, request(`/item/${next}`, method), { endStream: !hasBody });
      if (hasBody) outbox.send(id, body(id, size), trailer ? { trailers: [['x-request-trailer', trailer]] } : { endStream: true });
      responses.set(id, { sent: { size, trailer }, chunks: [], headers: null, trailers: null, ended: false });
      open++;
    }
  };
  const onEvents = (events) => {
    for (const e of events) {
      const r = responses.get(e.streamId);
      switch (e.type) {
        case 'ResponseReceived':
          r.headers = e.headers;
          break;
        case 'DataReceived':
          r.chunks.push(e.data);
          conn.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
          break;
        case 'TrailersReceived':
          r.trailers = e.headers;
          break;
        case 'StreamEnded':
          r.ended = true;
          open--;
          break;
      }
    }
    outbox.flush();
    start();
  };
  return { start, onEvents, responses };
}

test('300 requests over 100 concurrent streams, with bodies above the window and trailers both ways', () => {
  const pair = Pair.open(h2);
  const plan = Array.from({ length: 300 }, (_, i) =>
    i % 3 === 0
      ? { method: 'GET', size: 0 }
      : i % 3 === 1
        ? { method: 'POST', size: 1000 + i, trailer: `t${i}` }
        : { method: 'PUT', size: i % 30 === 2 ? 200_000 : 20_000 },
  );
  const server = echoServer(pair.server);
  const client = plannedClient(pair.client, plan);
  client.start();
  pair.settle({ onClient: client.onEvents, onServer: server.onEvents });

  assert.equal(server.stats.requests, 300);
  assert.equal(server.stats.maxOpen, 100);
  assert.equal(client.responses.size, 300);
  let big = 0;
  for (const [id, r] of client.responses) {
    assert.ok(r.ended, `stream ${id} ended`);
    assert.deepEqual(r.headers[0], [':status', '200']);
    const received = concat(r.chunks);
    assert.equal(received.length, r.sent.size, `stream ${id} body length`);
    assert.deepEqual(received, body(id, r.sent.size).reverse(), `stream ${id} body`);
    assert.deepEqual(r.trailers, [
      ['x-body-length', String(r.sent.size)],
      ['x-echoed-trailer', r.sent.trailer ?? 'none'],
    ]);
    if (r.sent.size > 65_535) big++;
  }
  assert.equal(big, 10);
  // Everything consumed was acknowledged: both sides' receive windows are open again.
  assert.ok(pair.client.inboundFlowControlWindow > 32_767);
  assert.ok(pair.server.inboundFlowControlWindow > 32_767);
  assert.equal(pair.client.openOutboundStreams, 0);
  assert.equal(pair.server.openInboundStreams, 0);
});

test('a body larger than the window stalls at 65,535 octets until the receiver acknowledges what it consumed', () => {
  const pair = Pair.open(h2);
  const outbox = new Outbox(pair.client);
  pair.client.sendHeaders(1, request('/upload', 'POST'));
  outbox.send(1, body(1, 200_000), { endStream: true });
  const unacknowledged = pair.settle();
  const received = ofType(unacknowledged.server, 'DataReceived');
  assert.equal(received.reduce((n, e) => n + e.data.length, 0), 65_535);
  assert.equal(pair.client.localFlowControlWindow(1), 0);
  assert.equal(outbox.pending, 200_000 - 65_535);

  let total = 65_535;
  const acknowledge = (events) => {
    for (const e of ofType(events, 'DataReceived')) {
      total += e.data.length;
      pair.server.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
    }
  };
  for (const e of received) pair.server.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
  const rest = pair.settle({ onServer: acknowledge, onClient: () => outbox.flush() });
  assert.equal(total, 200_000);
  assert.equal(outbox.pending, 0);
  assert.equal(ofType(rest.server, 'StreamEnded').length, 1);
  assert.ok(ofType(rest.client, 'WindowUpdated').length >= 4);
});

test('larger windows and frames, set by SETTINGS, carry a 1 MB body in 64 KiB frames', () => {
  const pair = Pair.open(h2);
  pair.server.updateSettings({ [SettingCodes.INITIAL_WINDOW_SIZE]: 1 << 21, [SettingCodes.MAX_FRAME_SIZE]: 1 << 16 });
  pair.server.incrementFlowControlWindow((1 << 21) - 65_535);
  pair.settle();
  assert.equal(pair.client.maxOutboundFrameSize, 1 << 16);
  pair.client.sendHeaders(1, request('/upload', 'POST'));
  pair.client.sendData(1, body(1, 1_000_000), true);
  const events = pair.toServer();
  const data = ofType(events, 'DataReceived');
  assert.equal(data.length, Math.ceil(1_000_000 / (1 << 16)));
  assert.deepEqual(concat(data.map((e) => e.data)), body(1, 1_000_000));
});

test('a client reset while the server is still sending: the stream’s queued body is dropped, others complete', () => {
  const pair = Pair.open(h2);
  const outbox = new Outbox(pair.server);
  pair.client.sendHeaders(1, request('/a'), true);
  pair.client.sendHeaders(3, request('/b'), true);
  pair.toServer();
  for (const id of [1, 3]) {
    pair.server.sendHeaders(id, [[':status', '200']]);
    outbox.send(id, body(id, 100_000), { endStream: true });
  }
  pair.client.resetStream(1, h2.ErrorCodes.CANCEL);
  const seen = pair.settle({
    onServer: () => outbox.flush(),
    onClient: (events) => {
      for (const e of ofType(events, 'DataReceived')) pair.client.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
    },
  });
  const ended = ofType(seen.client, 'StreamEnded').map((e) => e.streamId);
  assert.deepEqual(ended, [3]);
  const onStream3 = ofType(seen.client, 'DataReceived').filter((e) => e.streamId === 3);
  assert.equal(onStream3.reduce((n, e) => n + e.data.length, 0), 100_000);
  assert.equal(outbox.pending, 0);
});
