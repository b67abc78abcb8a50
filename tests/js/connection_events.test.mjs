// Every event type that receiveData reports (the 19 of index.d.ts): its exact fields and
// their types, and how events are bundled.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as h2 from 'h2wasm';
import { ErrorCodes, H2Connection, SettingCodes } from 'h2wasm';
import * as F from './frames.mjs';
import { ofType, Pair, request } from './pair.mjs';

// Field types: a typeof name, 'Uint8Array', 'null', 'headers' (a list of ByteString
// pairs), an array [type] of one element type, an object of field types, orNull(type), or
// several alternatives joined by '|'.
class OrNull {
  constructor(type) {
    this.type = type;
  }
}
const orNull = (type) => new OrNull(type);

function check(value, type, path) {
  if (type instanceof OrNull) return value === null || check(value, type.type, path);
  if (typeof type === 'string' && type.includes('|')) {
    const errors = [];
    for (const alt of type.split('|')) {
      try {
        return check(value, alt, path);
      } catch (e) {
        errors.push(e.message);
      }
    }
    assert.fail(errors.join('; '));
  }
  if (type === 'null') return assert.equal(value, null, `${path} is null`);
  if (type === 'Uint8Array') return assert.ok(value instanceof Uint8Array, `${path} is a Uint8Array`);
  if (type === 'headers') {
    assert.ok(Array.isArray(value) && value.length > 0, `${path} is a non-empty array`);
    for (const [i, field] of value.entries()) {
      assert.ok(field.length === 2 || (field.length === 3 && field[2] === true), `${path}[${i}] is [name, value(, true)]`);
      assert.equal(typeof field[0], 'string', `${path}[${i}][0]`);
      assert.equal(typeof field[1], 'string', `${path}[${i}][1]`);
    }
    return;
  }
  if (Array.isArray(type)) {
    assert.ok(Array.isArray(value), `${path} is an array`);
    value.forEach((v, i) => check(v, type[0], `${path}[${i}]`));
    return;
  }
  if (typeof type === 'object') {
    assert.ok(value !== null && typeof value === 'object', `${path} is an object`);
    assert.deepEqual(Object.keys(value).sort(), Object.keys(type).sort(), `${path} has exactly the fields ${Object.keys(type)}`);
    for (const [k, t] of Object.entries(type)) check(value[k], t, `${path}.${k}`);
    return;
  }
  assert.equal(typeof value, type, `${path} is a ${type}`);
}

const STREAM_ENDED = { type: 'string', streamId: 'number' };
const PRIORITY_UPDATED = { type: 'string', streamId: 'number', weight: 'number', dependsOn: 'number', exclusive: 'boolean' };
const CHANGED = { setting: 'number', originalValue: 'number|null', newValue: 'number' };

/** The shape of every event type, as index.d.ts declares it. */
const SHAPES = {
  RequestReceived: { streamId: 'number', headers: 'headers', streamEnded: orNull(STREAM_ENDED), priorityUpdated: orNull(PRIORITY_UPDATED) },
  ResponseReceived: { streamId: 'number', headers: 'headers', streamEnded: orNull(STREAM_ENDED), priorityUpdated: orNull(PRIORITY_UPDATED) },
  TrailersReceived: { streamId: 'number', headers: 'headers', streamEnded: orNull(STREAM_ENDED), priorityUpdated: orNull(PRIORITY_UPDATED) },
  InformationalResponseReceived: { streamId: 'number', headers: 'headers', priorityUpdated: orNull(PRIORITY_UPDATED) },
  DataReceived: { streamId: 'number', data: 'Uint8Array', flowControlledLength: 'number', streamEnded: orNull(STREAM_ENDED) },
  WindowUpdated: { streamId: 'number', delta: 'number' },
  RemoteSettingsChanged: { changedSettings: [CHANGED] },
  SettingsAcknowledged: { changedSettings: [CHANGED] },
  PingReceived: { pingData: 'Uint8Array' },
  PingAckReceived: { pingData: 'Uint8Array' },
  StreamEnded: { streamId: 'number' },
  StreamReset: { streamId: 'number', errorCode: 'number', remoteReset: 'boolean' },
  PushedStreamReceived: { pushedStreamId: 'number', parentStreamId: 'number', headers: 'headers' },
  PriorityUpdated: { streamId: 'number', weight: 'number', dependsOn: 'number', exclusive: 'boolean' },
  ConnectionTerminated: { errorCode: 'number', lastStreamId: 'number', additionalData: 'Uint8Array|null' },
  AlternativeServiceAvailable: { origin: 'string|null', fieldValue: 'string' },
  UnknownFrameReceived: { frame: { type: 'number', flags: 'number', streamId: 'number', payload: 'Uint8Array' } },
  PriorityUpdateReceived: { prioritizedStreamId: 'number', urgency: 'number', incremental: 'boolean', fieldValue: 'string' },
  OriginReceived: { origins: ['string'] },
};

/** Asserts that `event` is of type `type` and has exactly that type's fields, of their types. */
function assertShape(event, type) {
  assert.equal(event.type, type);
  const shape = SHAPES[type];
  assert.deepEqual(Object.keys(event).sort(), ['type', ...Object.keys(shape)].sort(), `${type} has exactly its fields`);
  for (const [k, t] of Object.entries(shape)) check(event[k], t, `${type}.${k}`);
}

/** The one event of `type` in `events`, shape-checked. */
function single(events, type) {
  const found = ofType(events, type);
  assert.equal(found.length, 1, `one ${type} in ${events.map((e) => e.type)}`);
  assertShape(found[0], type);
  return found[0];
}

test('the table covers the 19 event types of index.d.ts', () => {
  assert.equal(Object.keys(SHAPES).length, 19);
});

describe('header events', () => {
  test('RequestReceived: streamId, headers, streamEnded, priorityUpdated', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request('/a'));
    const e = single(pair.toServer(), 'RequestReceived');
    assert.deepEqual(e, { type: 'RequestReceived', streamId: 1, headers: request('/a'), streamEnded: null, priorityUpdated: null });
  });

  test('HEADERS with END_STREAM: the StreamEnded is attached and also listed right after', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), true);
    const events = pair.toServer();
    assert.deepEqual(events.map((e) => e.type), ['RequestReceived', 'StreamEnded']);
    assertShape(events[0], 'RequestReceived');
    assertShape(events[1], 'StreamEnded');
    assert.deepEqual(events[0].streamEnded, { type: 'StreamEnded', streamId: 1 });
    assert.deepEqual(events[0].streamEnded, events[1]);
  });

  test('HEADERS with PRIORITY and END_STREAM: RequestReceived, StreamEnded, then PriorityUpdated', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), { endStream: true, priorityWeight: 42 });
    const events = pair.toServer();
    assert.deepEqual(events.map((e) => e.type), ['RequestReceived', 'StreamEnded', 'PriorityUpdated']);
    assertShape(events[0], 'RequestReceived');
    assertShape(events[2], 'PriorityUpdated');
    assert.deepEqual(events[0].priorityUpdated, { type: 'PriorityUpdated', streamId: 1, weight: 42, dependsOn: 0, exclusive: false });
    assert.deepEqual(events[2], events[0].priorityUpdated);
  });

  test('ResponseReceived, InformationalResponseReceived and TrailersReceived', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request());
    pair.toServer();
    pair.server.sendHeaders(1, [[':status', '103'], ['link', '</style.css>; rel=preload']]);
    pair.server.sendHeaders(1, [[':status', '200']]);
    pair.server.sendHeaders(1, [['grpc-status', '0']], true);
    const events = pair.toClient();
    assert.deepEqual(events.map((e) => e.type), ['InformationalResponseReceived', 'ResponseReceived', 'TrailersReceived', 'StreamEnded']);
    assertShape(events[0], 'InformationalResponseReceived');
    assertShape(events[1], 'ResponseReceived');
    assertShape(events[2], 'TrailersReceived');
    assert.deepEqual(events[0].headers, [[':status', '103'], ['link', '</style.css>; rel=preload']]);
    assert.equal(events[1].streamEnded, null);
    assert.deepEqual(events[2].headers, [['grpc-status', '0']]);
    assert.deepEqual(events[2].streamEnded, { type: 'StreamEnded', streamId: 1 });
  });

  test('a never-indexed field arrives as [name, value, true]', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, [...request(), ['x-secret', 's3cret', true], { name: 'x-also', value: 'v', sensitive: true }], true);
    const e = single(pair.toServer(), 'RequestReceived');
    assert.deepEqual(e.headers.slice(4), [
      ['x-secret', 's3cret', true],
      ['x-also', 'v', true],
    ]);
  });

  test('PushedStreamReceived: pushedStreamId, parentStreamId, headers', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), true);
    pair.toServer();
    pair.server.pushStream(1, 2, request('/pushed'));
    const e = single(pair.toClient(), 'PushedStreamReceived');
    assert.deepEqual(e, { type: 'PushedStreamReceived', pushedStreamId: 2, parentStreamId: 1, headers: request('/pushed') });
  });
});

describe('data and flow-control events', () => {
  test('DataReceived: data, flowControlledLength (padding included), streamEnded; then StreamEnded', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request('/', 'POST'));
    pair.toServer();
    pair.client.sendData(1, 'hello', { endStream: true, padLength: 3 });
    const events = pair.toServer();
    assert.deepEqual(events.map((e) => e.type), ['DataReceived', 'StreamEnded']);
    assertShape(events[0], 'DataReceived');
    assert.equal(new TextDecoder().decode(events[0].data), 'hello');
    assert.equal(events[0].flowControlledLength, 5 + 3 + 1);
    assert.deepEqual(events[0].streamEnded, events[1]);
  });

  test('WindowUpdated: streamId (0 for the connection) and delta', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request());
    pair.toServer();
    pair.server.incrementFlowControlWindow(100);
    pair.server.incrementFlowControlWindow(200, 1);
    const events = pair.toClient();
    events.forEach((e) => assertShape(e, 'WindowUpdated'));
    assert.deepEqual(events.map((e) => [e.streamId, e.delta]), [
      [0, 100],
      [1, 200],
    ]);
  });
});

describe('settings events', () => {
  test('RemoteSettingsChanged lists every setting of the frame: setting, originalValue (null if never set), newValue', () => {
    const client = new H2Connection();
    client.initiateConnection();
    const server = new H2Connection({ clientSide: false });
    const e = single(server.receiveData(client.dataToSend()), 'RemoteSettingsChanged');
    const byId = new Map(e.changedSettings.map((c) => [c.setting, c]));
    // A server starts from the defaults of a client's settings (ENABLE_PUSH 1), as in h2.
    assert.deepEqual(byId.get(SettingCodes.ENABLE_PUSH), { setting: SettingCodes.ENABLE_PUSH, originalValue: 1, newValue: 1 });
    assert.deepEqual(byId.get(SettingCodes.MAX_CONCURRENT_STREAMS), { setting: SettingCodes.MAX_CONCURRENT_STREAMS, originalValue: null, newValue: 100 });
    assert.equal(e.changedSettings.length, 7);
  });

  test('SettingsAcknowledged lists the local settings that the ACK applied', () => {
    const pair = Pair.open(h2);
    const initial = ofType(pair.handshake.client, 'SettingsAcknowledged');
    assert.equal(initial.length, 1);
    assertShape(initial[0], 'SettingsAcknowledged');
    assert.deepEqual(initial[0].changedSettings, []);
    pair.client.updateSettings({ [SettingCodes.HEADER_TABLE_SIZE]: 8192 });
    pair.toServer();
    const e = single(pair.toClient(), 'SettingsAcknowledged');
    assert.deepEqual(e.changedSettings, [{ setting: SettingCodes.HEADER_TABLE_SIZE, originalValue: 4096, newValue: 8192 }]);
  });
});

describe('control events', () => {
  test('PingReceived and PingAckReceived carry the 8 octets', () => {
    const pair = Pair.open(h2);
    pair.client.ping('abcdefgh');
    const received = single(pair.toServer(), 'PingReceived');
    const acked = single(pair.toClient(), 'PingAckReceived');
    assert.deepEqual([...received.pingData], [...new TextEncoder().encode('abcdefgh')]);
    assert.deepEqual(acked.pingData, received.pingData);
  });

  test('StreamReset from the peer: remoteReset true', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request());
    pair.toServer();
    pair.server.resetStream(1, ErrorCodes.REFUSED_STREAM);
    const e = single(pair.toClient(), 'StreamReset');
    assert.deepEqual(e, { type: 'StreamReset', streamId: 1, errorCode: ErrorCodes.REFUSED_STREAM, remoteReset: true });
  });

  test('StreamReset by this engine (a stream WINDOW_UPDATE overflow): remoteReset false', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request());
    pair.toServer();
    const e = single(pair.client.receiveData(F.windowUpdate(1, 0x7fff_ffff)), 'StreamReset');
    assert.deepEqual(e, { type: 'StreamReset', streamId: 1, errorCode: ErrorCodes.FLOW_CONTROL_ERROR, remoteReset: false });
    const [rst] = F.parseFrames(pair.client.dataToSend());
    assert.deepEqual([rst.type, rst.streamId, F.readU32(rst.payload)], [F.Type.RST_STREAM, 1, ErrorCodes.FLOW_CONTROL_ERROR]);
  });

  test('PriorityUpdated from a PRIORITY frame: streamId, weight 1..256, dependsOn, exclusive', () => {
    const pair = Pair.open(h2);
    const e = single(pair.server.receiveData(F.priority(5, { dependsOn: 3, weight: 1, exclusive: true })), 'PriorityUpdated');
    assert.deepEqual(e, { type: 'PriorityUpdated', streamId: 5, weight: 1, dependsOn: 3, exclusive: true });
  });

  test('ConnectionTerminated: errorCode, lastStreamId, additionalData (null when empty)', () => {
    const pair = Pair.open(h2);
    const withData = single(pair.client.receiveData(F.goaway(3, ErrorCodes.INTERNAL_ERROR, 'oops')), 'ConnectionTerminated');
    assert.equal(withData.errorCode, ErrorCodes.INTERNAL_ERROR);
    assert.equal(withData.lastStreamId, 3);
    assert.equal(new TextDecoder().decode(withData.additionalData), 'oops');
    const without = single(pair.client.receiveData(F.goaway(3, 0x1234)), 'ConnectionTerminated');
    assert.deepEqual(without, { type: 'ConnectionTerminated', errorCode: 0x1234, lastStreamId: 3, additionalData: null });
  });
});

describe('extension events', () => {
  test('AlternativeServiceAvailable: origin and fieldValue', () => {
    const pair = Pair.open(h2);
    const e = single(pair.client.receiveData(F.altsvc(0, 'https://example.test', 'h2=":8443"; ma=60')), 'AlternativeServiceAvailable');
    assert.deepEqual(e, { type: 'AlternativeServiceAvailable', origin: 'https://example.test', fieldValue: 'h2=":8443"; ma=60' });
  });

  test('UnknownFrameReceived: frame { type, flags, streamId, payload }', () => {
    const pair = Pair.open(h2);
    const e = single(pair.server.receiveData(F.frame(0x42, 0xff, 7, Uint8Array.of(9, 8, 7))), 'UnknownFrameReceived');
    assert.deepEqual(e.frame.type, 0x42);
    assert.deepEqual(e.frame.flags, 0xff);
    assert.deepEqual(e.frame.streamId, 7);
    assert.deepEqual([...e.frame.payload], [9, 8, 7]);
  });

  test('PriorityUpdateReceived: prioritizedStreamId, urgency, incremental, fieldValue', () => {
    const pair = Pair.open(h2);
    const e = single(pair.server.receiveData(F.priorityUpdate(1, 'u=5, i')), 'PriorityUpdateReceived');
    assert.deepEqual(e, { type: 'PriorityUpdateReceived', prioritizedStreamId: 1, urgency: 5, incremental: true, fieldValue: 'u=5, i' });
    const defaults = single(pair.server.receiveData(F.priorityUpdate(3, '')), 'PriorityUpdateReceived');
    assert.deepEqual([defaults.urgency, defaults.incremental], [3, false]);
  });

  test('OriginReceived: origins', () => {
    const pair = Pair.open(h2);
    const e = single(pair.client.receiveData(F.origin(['https://a.test', 'https://b.test:8443'])), 'OriginReceived');
    assert.deepEqual(e, { type: 'OriginReceived', origins: ['https://a.test', 'https://b.test:8443'] });
  });

  test('PRIORITY_UPDATE at a client, and ORIGIN at a server, are UnknownFrameReceived', () => {
    const pair = Pair.open(h2);
    single(pair.client.receiveData(F.priorityUpdate(1, 'u=1')), 'UnknownFrameReceived');
    single(pair.server.receiveData(F.origin(['https://a.test'])), 'UnknownFrameReceived');
  });
});

test('rawHeaders: header names and values (also in PushedStreamReceived) are Uint8Arrays', () => {
  const pair = Pair.open(h2, { rawHeaders: true }, { rawHeaders: true });
  pair.client.sendHeaders(1, [...request(), ['x-secret', 'v', true]], true);
  const req = ofType(pair.toServer(), 'RequestReceived')[0];
  for (const field of req.headers) {
    assert.ok(field[0] instanceof Uint8Array && field[1] instanceof Uint8Array);
  }
  assert.deepEqual(new TextDecoder().decode(req.headers[1][1]), '/');
  assert.equal(req.headers[4][2], true);
  pair.server.pushStream(1, 2, request('/p'));
  const pushed = ofType(pair.toClient(), 'PushedStreamReceived')[0];
  assert.ok(pushed.headers.every(([n, v]) => n instanceof Uint8Array && v instanceof Uint8Array));
  // Other string fields stay strings.
  const alt = pair.client.receiveData(F.altsvc(0, 'https://x.test', 'h2=":1"'))[0];
  assert.equal(typeof alt.origin, 'string');
});
