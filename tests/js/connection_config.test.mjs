// H2Configuration: the defaults, what each option changes, each limit, and the options that
// are refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as h2 from 'h2wasm';
import { ErrorCodes, H2Configuration, H2Connection, InvalidInputError, SettingCodes } from 'h2wasm';
import * as F from './frames.mjs';
import { ofType, Pair, request } from './pair.mjs';

function caught(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

/** The header fields after the four pseudo-headers of the first request the server sees. */
function extraFieldsAtServer(clientOptions, serverOptions, extra) {
  const pair = Pair.open(h2, clientOptions, serverOptions);
  pair.client.sendHeaders(1, request('/', 'GET', extra), true);
  return ofType(pair.toServer(), 'RequestReceived')[0].headers.slice(4);
}

test('H2Configuration defaults', () => {
  const config = new H2Configuration();
  assert.deepEqual(
    { ...config },
    {
      clientSide: true,
      validateOutboundHeaders: true,
      normalizeOutboundHeaders: true,
      splitOutboundCookies: false,
      validateInboundHeaders: true,
      normalizeInboundHeaders: true,
      enablePush: undefined,
      enableConnectProtocol: false,
      strictRfc: false,
      gracefulShutdown: false,
      refuseExcessStreams: false,
      frameTrace: false,
      rawHeaders: false,
      logger: undefined,
      limits: {},
    },
  );
});

test('H2Configuration keeps the options it was given; undefined ones take the default', () => {
  const logger = () => {};
  const config = new H2Configuration({ clientSide: false, strictRfc: true, logger, limits: { maxConcurrentStreams: 5 }, frameTrace: undefined });
  assert.equal(config.clientSide, false);
  assert.equal(config.strictRfc, true);
  assert.equal(config.logger, logger);
  assert.equal(config.frameTrace, false);
  assert.deepEqual(config.limits, { maxConcurrentStreams: 5 });
});

describe('each option changes what the engine does', () => {
  test('clientSide: a client sends the preface and opens odd streams; a server neither', () => {
    for (const [clientSide, preface, next] of [
      [true, true, 1],
      [false, false, 2],
    ]) {
      const conn = new H2Connection({ clientSide });
      conn.initiateConnection();
      const out = conn.dataToSend();
      assert.equal(F.PREFACE.every((b, i) => out[i] === b), preface);
      assert.equal(conn.getNextAvailableStreamId(), next);
    }
  });

  test('validateOutboundHeaders: a connection-specific header is refused only when on', () => {
    const extra = [['connection', 'close']];
    const on = Pair.open(h2, { normalizeOutboundHeaders: false });
    assert.ok(caught(() => on.client.sendHeaders(1, request('/', 'GET', extra), true)) instanceof h2.ProtocolError);
    const off = Pair.open(h2, { normalizeOutboundHeaders: false, validateOutboundHeaders: false });
    off.client.sendHeaders(1, request('/', 'GET', extra), true);
    assert.ok(off.client.outboundBuffered > 0);
  });

  test('normalizeOutboundHeaders: lowercases and trims, and marks credentials never-indexed', () => {
    const extra = [
      ['X-Upper', ' v '],
      ['authorization', 'secret'],
    ];
    assert.deepEqual(extraFieldsAtServer({}, {}, extra), [
      ['x-upper', 'v'],
      ['authorization', 'secret', true],
    ]);
    assert.deepEqual(extraFieldsAtServer({ normalizeOutboundHeaders: false, validateOutboundHeaders: false }, { validateInboundHeaders: false }, extra), [
      ['X-Upper', ' v '],
      ['authorization', 'secret'],
    ]);
  });

  test('splitOutboundCookies: one cookie field per crumb', () => {
    const extra = [['cookie', 'a=1; b=2']];
    assert.deepEqual(extraFieldsAtServer({ splitOutboundCookies: true }, { normalizeInboundHeaders: false }, extra), [
      ['cookie', 'a=1', true],
      ['cookie', 'b=2', true],
    ]);
    assert.deepEqual(extraFieldsAtServer({}, { normalizeInboundHeaders: false }, extra), [['cookie', 'a=1; b=2', true]]);
  });

  test('normalizeInboundHeaders: cookie crumbs are joined only when on', () => {
    const extra = [['cookie', 'a=1; b=2']];
    assert.deepEqual(extraFieldsAtServer({ splitOutboundCookies: true }, {}, extra), [['cookie', 'a=1; b=2', true]]);
    assert.equal(extraFieldsAtServer({ splitOutboundCookies: true }, { normalizeInboundHeaders: false }, extra).length, 2);
  });

  test('validateInboundHeaders: an uppercase header name is a ProtocolError only when on', () => {
    const bytes = F.headers(1, [...request(), ['X-Up', '1']], { endStream: true });
    const on = Pair.open(h2);
    const error = caught(() => on.server.receiveData(bytes));
    assert.equal(error.constructor, h2.H2ProtocolError);
    const off = Pair.open(h2, {}, { validateInboundHeaders: false });
    assert.deepEqual(ofType(off.server.receiveData(bytes), 'RequestReceived')[0].headers[4], ['X-Up', '1']);
  });

  test('enablePush: advertised ENABLE_PUSH (default 1 for clients, 0 for servers)', () => {
    const push = (options) => new H2Connection(options).localSettings.enablePush;
    assert.deepEqual([push({}), push({ enablePush: false }), push({ enablePush: true })], [1, 0, 1]);
    assert.deepEqual([push({ clientSide: false }), push({ clientSide: false, enablePush: true })], [0, 1]);
    // A server cannot push to a client that disabled it.
    const pair = Pair.open(h2, { enablePush: false });
    pair.client.sendHeaders(1, request(), true);
    pair.toServer();
    assert.ok(caught(() => pair.server.pushStream(1, 2, request('/p'))) instanceof h2.ProtocolError);
  });

  test('enableConnectProtocol: advertises ENABLE_CONNECT_PROTOCOL = 1 and accepts extended CONNECT', () => {
    const connect = [[':method', 'CONNECT'], [':protocol', 'websocket'], [':scheme', 'http'], [':path', '/chat'], [':authority', 'example.test']];
    const on = Pair.open(h2, {}, { enableConnectProtocol: true });
    assert.equal(on.server.localSettings.enableConnectProtocol, 1);
    on.client.sendHeaders(1, connect);
    assert.equal(ofType(on.toServer(), 'RequestReceived').length, 1);
    const off = Pair.open(h2);
    assert.ok(caught(() => off.client.sendHeaders(1, connect)) instanceof h2.ProtocolError);
  });

  test('strictRfc: a SETTINGS ACK with a payload is FRAME_SIZE_ERROR instead of PROTOCOL_ERROR', () => {
    const ack = F.frame(F.Type.SETTINGS, F.Flag.ACK, 0, new Uint8Array(6));
    assert.equal(caught(() => Pair.open(h2).server.receiveData(ack)).code, ErrorCodes.PROTOCOL_ERROR);
    assert.equal(caught(() => Pair.open(h2, {}, { strictRfc: true }).server.receiveData(ack)).code, ErrorCodes.FRAME_SIZE_ERROR);
  });

  test('frameTrace: takeFrameTrace has entries only when on', () => {
    assert.equal(Pair.open(h2, { frameTrace: true }).client.takeFrameTrace().length, 4);
    assert.equal(Pair.open(h2).client.takeFrameTrace().length, 0);
  });

  test('rawHeaders: received names and values are Uint8Arrays', () => {
    const [field] = extraFieldsAtServer({}, { rawHeaders: true }, [['x-a', 'b']]);
    assert.deepEqual(field, [Uint8Array.of(0x78, 0x2d, 0x61), Uint8Array.of(0x62)]);
  });

  test('logger: receives the engine’s debug messages as strings', () => {
    const lines = [];
    const pair = Pair.open(h2, { logger: (line) => lines.push(line) });
    pair.client.sendHeaders(1, request(), true);
    assert.deepEqual(lines, ['stream 1 created']);
  });
});

describe('each limit changes what the engine does', () => {
  test('maxConcurrentStreams, maxHeaderListSize, initialWindowSize, maxInboundFrameSize, headerTableSize are advertised', () => {
    const conn = new H2Connection({
      limits: { maxConcurrentStreams: 7, maxHeaderListSize: 1000, initialWindowSize: 1000, maxInboundFrameSize: 20_000, headerTableSize: 100 },
    });
    conn.initiateConnection();
    const [settingsFrame] = F.parseFrames(conn.dataToSend().subarray(F.PREFACE.length));
    assert.equal(settingsFrame.type, F.Type.SETTINGS);
    const advertised = new Map();
    for (let at = 0; at < settingsFrame.payload.length; at += 6) {
      advertised.set((settingsFrame.payload[at] << 8) | settingsFrame.payload[at + 1], F.readU32(settingsFrame.payload, at + 2));
    }
    assert.deepEqual(
      advertised,
      new Map([
        [SettingCodes.HEADER_TABLE_SIZE, 100],
        [SettingCodes.ENABLE_PUSH, 1],
        [SettingCodes.INITIAL_WINDOW_SIZE, 1000],
        [SettingCodes.MAX_FRAME_SIZE, 20_000],
        [SettingCodes.ENABLE_CONNECT_PROTOCOL, 0],
        [SettingCodes.MAX_CONCURRENT_STREAMS, 7],
        [SettingCodes.MAX_HEADER_LIST_SIZE, 1000],
      ]),
    );
    // Values below the protocol defaults are in force only once the peer acknowledges them.
    assert.equal(conn.localSettings.get(SettingCodes.HEADER_TABLE_SIZE), 4096);
    assert.equal(conn.localSettings.get(SettingCodes.INITIAL_WINDOW_SIZE), 65_535);
    conn.receiveData(F.settingsAck());
    assert.equal(conn.localSettings.get(SettingCodes.HEADER_TABLE_SIZE), 100);
    assert.equal(conn.localSettings.get(SettingCodes.INITIAL_WINDOW_SIZE), 1000);
  });

  test('maxConcurrentStreams is enforced on inbound streams', () => {
    const pair = Pair.open(h2, {}, { limits: { maxConcurrentStreams: 1 } });
    const error = caught(() => pair.server.receiveData(F.concat(F.headers(1, request()), F.headers(3, request()))));
    assert.ok(error instanceof h2.TooManyStreamsError);
  });

  test('refuseExcessStreams answers a stream over maxConcurrentStreams with RST_STREAM REFUSED_STREAM', () => {
    const pair = Pair.open(h2, {}, { refuseExcessStreams: true, limits: { maxConcurrentStreams: 1 } });
    const events = pair.server.receiveData(F.concat(F.headers(1, request()), F.headers(3, request())));
    assert.deepEqual(events.map((e) => e.type), ['RequestReceived']);
    const [rst] = F.parseFrames(pair.server.dataToSend());
    assert.equal(rst.type, F.Type.RST_STREAM);
    assert.equal(rst.streamId, 3);
    assert.equal(F.readU32(rst.payload), ErrorCodes.REFUSED_STREAM);
  });

  test('initialWindowSize bounds what the peer may send on a stream', () => {
    const pair = Pair.open(h2, {}, { limits: { initialWindowSize: 1000 } });
    pair.client.sendHeaders(1, request('/', 'POST'));
    assert.equal(pair.client.localFlowControlWindow(1), 1000);
    assert.ok(caught(() => pair.client.sendData(1, new Uint8Array(1001))) instanceof h2.FlowControlError);
  });

  test('maxInboundFrameSize is clamped to the RFC range 16,384..16,777,215', () => {
    assert.equal(new H2Connection({ limits: { maxInboundFrameSize: 100 } }).localSettings.maxFrameSize, 16_384);
    assert.equal(new H2Connection({ limits: { maxInboundFrameSize: 2 ** 30 } }).localSettings.maxFrameSize, 16_777_215);
  });

  test('maxEncoderTableSize 0: repeated headers are not indexed', () => {
    const sizes = (limits) => {
      const pair = Pair.open(h2, { limits });
      const extra = [['x-long', 'y'.repeat(100)]];
      pair.client.sendHeaders(1, request('/', 'GET', extra), true);
      const first = pair.client.dataToSend().length;
      pair.client.sendHeaders(3, request('/', 'GET', extra), true);
      return [first, pair.client.dataToSend().length];
    };
    const [first, second] = sizes({});
    assert.ok(second < first / 4, `indexed: ${first} then ${second}`);
    const [a, b] = sizes({ maxEncoderTableSize: 0 });
    assert.ok(b >= a - 1, `not indexed: ${a} then ${b}`);
  });

  test('maxClosedStreams 0: a late HEADERS on a forgotten stream is StreamIDTooLow, not StreamClosed', () => {
    const lateHeaders = (limits) => {
      const pair = Pair.open(h2, {}, { limits });
      pair.client.sendHeaders(1, request(), true);
      pair.toServer();
      pair.server.sendHeaders(1, [[':status', '204']], true);
      pair.toClient();
      pair.client.sendHeaders(3, request(), true);
      pair.toServer();
      return caught(() => pair.server.receiveData(F.headers(1, request(), { endStream: true })));
    };
    assert.equal(lateHeaders({}).constructor, h2.StreamClosedError);
    assert.equal(lateHeaders({ maxClosedStreams: 0 }).constructor, h2.StreamIDTooLowError);
  });

  test('maxHeaderBlockFrames bounds HEADERS + CONTINUATION frames per block', () => {
    const block = F.headerBlock(request());
    const bytes = F.concat(
      F.headers(1, null, { block: block.subarray(0, 5), endHeaders: false, endStream: true }),
      F.continuation(1, block.subarray(5, 10), { endHeaders: false }),
      F.continuation(1, block.subarray(10)),
    );
    assert.equal(ofType(Pair.open(h2).server.receiveData(bytes), 'RequestReceived').length, 1);
    const error = caught(() => Pair.open(h2, {}, { limits: { maxHeaderBlockFrames: 2 } }).server.receiveData(bytes));
    assert.ok(error instanceof h2.ProtocolError);
  });

  test('maxHeaderBlockSize bounds the octets of one header block', () => {
    const bytes = F.headers(1, request(), { endStream: true });
    assert.equal(Pair.open(h2).server.receiveData(bytes).length, 2);
    const error = caught(() => Pair.open(h2, {}, { limits: { maxHeaderBlockSize: 50 } }).server.receiveData(bytes));
    assert.ok(error instanceof h2.DenialOfServiceError);
  });

  test('maxQueuedControlFrames bounds automatic replies while output is not drained', () => {
    const pings = F.concat(...Array.from({ length: 5 }, () => F.ping('abcdefgh')));
    assert.equal(Pair.open(h2).server.receiveData(pings).length, 5);
    const error = caught(() => Pair.open(h2, {}, { limits: { maxQueuedControlFrames: 3 } }).server.receiveData(pings));
    assert.ok(error instanceof h2.DenialOfServiceError);
    assert.equal(error.code, ErrorCodes.ENHANCE_YOUR_CALM);
  });

  test('maxTraceEntries bounds the frame trace', () => {
    assert.equal(Pair.open(h2, { frameTrace: true, limits: { maxTraceEntries: 2 } }).client.takeFrameTrace().length, 2);
  });

  test('maxHeaderListSize is enforced on received header lists', () => {
    const pair = Pair.open(h2, {}, { limits: { maxHeaderListSize: 100 } });
    const error = caught(() => pair.server.receiveData(F.headers(1, [...request(), ['x', 'y'.repeat(200)]])));
    assert.ok(error instanceof h2.DenialOfServiceError);
  });

  test('headerTableSize bounds the dynamic table the peer may use', () => {
    // A table-size update above what we advertised is a compression error (h2: PROTOCOL_ERROR).
    const resize = Uint8Array.of(0x3f, 0xe1, 0x1f); // dynamic table size update to 4096
    const bytes = F.headers(1, null, { block: F.concat(resize, F.headerBlock(request())) });
    assert.equal(ofType(Pair.open(h2).server.receiveData(bytes), 'RequestReceived').length, 1);
    const pair = Pair.open(h2, {}, { limits: { headerTableSize: 100 } });
    const error = caught(() => pair.server.receiveData(bytes));
    assert.ok(error instanceof h2.ProtocolError);
  });
});

describe('refused configurations throw InvalidInputError', () => {
  const cases = [
    ['an unknown option', { nope: true }],
    ['a non-boolean boolean option', { clientSide: 'yes' }],
    ['a non-boolean enablePush', { enablePush: 1 }],
    ['a logger that is not a function', { logger: 'console' }],
    ['limits that are not an object', { limits: 5 }],
    ['an unknown limit', { limits: { maxStreams: 1 } }],
    ['a negative limit', { limits: { maxConcurrentStreams: -1 } }],
    ['a fractional limit', { limits: { maxConcurrentStreams: 1.5 } }],
    ['a limit above 2^32-1', { limits: { maxHeaderListSize: 2 ** 32 } }],
    ['null', null],
    ['a number', 5],
  ];
  for (const [what, options] of cases) {
    test(what, () => {
      assert.throws(() => new H2Connection(options), InvalidInputError);
      if (options !== null && typeof options === 'object') assert.throws(() => new H2Configuration(options), InvalidInputError);
    });
  }

  test('an undefined limit is unset, like an undefined option', () => {
    const conn = new H2Connection({ limits: { maxConcurrentStreams: undefined } });
    assert.equal(conn.localSettings.maxConcurrentStreams, 100);
  });

  test('an H2Configuration changed after construction is checked again by the engine', () => {
    const config = new H2Configuration();
    config.clientSide = 'no';
    assert.throws(() => new H2Connection(config), InvalidInputError);
  });
});
