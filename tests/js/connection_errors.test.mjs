// Every error class: what raises it, its name, its place in the class hierarchy, its code
// and its extra fields; and what receiveData leaves behind when it throws.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as h2 from 'h2wasm';
import {
  DenialOfServiceError,
  ErrorCodes,
  FlowControlError,
  FrameDataMissingError,
  FrameTooLargeError,
  H2Connection,
  H2Error,
  H2ProtocolError,
  InvalidBodyLengthError,
  InvalidInputError,
  InvalidSettingsValueError,
  NoAvailableStreamIDError,
  NoSuchStreamError,
  ProtocolError,
  RFC1122Error,
  SettingCodes,
  StreamClosedError,
  StreamIDTooLowError,
  TooManyStreamsError,
} from 'h2wasm';
import * as F from './frames.mjs';
import { Pair, request } from './pair.mjs';

/** Runs `fn`, which must throw; returns the error. */
function caught(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}

/** The class chain of an error up to Error, e.g. ['StreamClosedError', 'NoSuchStreamError', ...]. */
function chain(error) {
  const names = [];
  for (let p = Object.getPrototypeOf(error); p && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
    names.push(p.constructor.name);
  }
  return names;
}

/** The GOAWAY the connection queued: [lastStreamId, errorCode], or undefined. */
function queuedGoaway(conn) {
  const goaway = F.parseFrames(conn.dataToSend()).find((f) => f.type === F.Type.GOAWAY);
  return goaway && [F.readU32(goaway.payload), F.readU32(goaway.payload, 4)];
}

function openPair(serverOptions) {
  return Pair.open(h2, {}, serverOptions);
}

const CASES = [
  {
    Class: H2ProtocolError,
    chain: ['H2ProtocolError', 'H2Error'],
    code: ErrorCodes.PROTOCOL_ERROR,
    what: 'a client that pushes',
    raise: () => openPair().client.pushStream(1, 2, request()),
  },
  {
    Class: FrameTooLargeError,
    chain: ['FrameTooLargeError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.FRAME_SIZE_ERROR,
    what: 'a frame header announcing more than MAX_FRAME_SIZE',
    raise: () => openPair().server.receiveData(F.frame(F.Type.DATA, 0, 1, new Uint8Array(0), 16_385)),
  },
  {
    Class: FrameDataMissingError,
    chain: ['FrameDataMissingError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.FRAME_SIZE_ERROR,
    what: 'a PING of 4 octets',
    raise: () => openPair().server.receiveData(F.frame(F.Type.PING, 0, 0, new Uint8Array(4))),
  },
  {
    Class: TooManyStreamsError,
    chain: ['TooManyStreamsError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.PROTOCOL_ERROR,
    what: 'opening a second stream when the peer allows one',
    raise: () => {
      const pair = openPair({ limits: { maxConcurrentStreams: 1 } });
      pair.client.sendHeaders(1, request());
      pair.client.sendHeaders(3, request());
    },
  },
  {
    Class: FlowControlError,
    chain: ['FlowControlError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.FLOW_CONTROL_ERROR,
    what: 'sending more than the window',
    raise: () => {
      const pair = openPair();
      pair.client.sendHeaders(1, request('/', 'POST'));
      pair.client.sendData(1, new Uint8Array(65_536));
    },
  },
  {
    Class: StreamIDTooLowError,
    chain: ['StreamIDTooLowError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.PROTOCOL_ERROR,
    streamId: 3,
    fields: { maxStreamId: 5 },
    what: 'opening stream 3 after stream 5',
    raise: () => {
      const pair = openPair();
      pair.client.sendHeaders(5, request());
      pair.client.sendHeaders(3, request());
    },
  },
  {
    Class: NoAvailableStreamIDError,
    chain: ['NoAvailableStreamIDError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.PROTOCOL_ERROR,
    what: 'asking for a stream id after 2^31-1',
    raise: () => {
      const pair = openPair();
      pair.client.sendHeaders(0x7fff_ffff, request());
      pair.client.getNextAvailableStreamId();
    },
  },
  {
    Class: NoSuchStreamError,
    chain: ['NoSuchStreamError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.PROTOCOL_ERROR,
    streamId: 99,
    what: 'sending data on an idle stream',
    raise: () => openPair().client.sendData(99, 'x'),
  },
  {
    Class: StreamClosedError,
    chain: ['StreamClosedError', 'NoSuchStreamError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.STREAM_CLOSED,
    streamId: 1,
    what: 'ending a stream that was reset',
    raise: () => {
      const pair = openPair();
      pair.client.sendHeaders(1, request());
      pair.client.resetStream(1);
      pair.client.endStream(1);
    },
  },
  {
    Class: InvalidSettingsValueError,
    chain: ['InvalidSettingsValueError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.PROTOCOL_ERROR,
    what: 'ENABLE_PUSH = 2',
    raise: () => openPair().client.updateSettings({ [SettingCodes.ENABLE_PUSH]: 2 }),
  },
  {
    Class: InvalidSettingsValueError,
    chain: ['InvalidSettingsValueError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.FLOW_CONTROL_ERROR,
    what: 'INITIAL_WINDOW_SIZE = 2^31',
    raise: () => openPair().client.updateSettings([[SettingCodes.INITIAL_WINDOW_SIZE, 2 ** 31]]),
  },
  {
    Class: InvalidBodyLengthError,
    chain: ['InvalidBodyLengthError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.PROTOCOL_ERROR,
    fields: { expectedLength: 5, actualLength: 3 },
    what: 'a request body shorter than its content-length',
    raise: () =>
      openPair().server.receiveData(
        F.concat(F.headers(1, request('/', 'POST', [['content-length', '5']])), F.data(1, 'abc', { endStream: true })),
      ),
  },
  {
    Class: DenialOfServiceError,
    chain: ['DenialOfServiceError', 'H2ProtocolError', 'H2Error'],
    code: ErrorCodes.ENHANCE_YOUR_CALM,
    what: 'a header list larger than MAX_HEADER_LIST_SIZE',
    raise: () =>
      openPair({ limits: { maxHeaderListSize: 100 } }).server.receiveData(F.headers(1, [...request(), ['x-big', 'y'.repeat(200)]])),
  },
  {
    Class: RFC1122Error,
    chain: ['RFC1122Error', 'H2Error'],
    code: undefined,
    what: 'a server that prioritises',
    raise: () => openPair().server.prioritize(1),
  },
  {
    Class: InvalidInputError,
    chain: ['InvalidInputError', 'H2Error'],
    code: undefined,
    what: 'a PING of 5 octets',
    raise: () => openPair().client.ping('short'),
  },
];

describe('error classes', () => {
  for (const c of CASES) {
    test(`${c.Class.name} (code ${c.code}): ${c.what}`, () => {
      const error = caught(c.raise);
      assert.ok(error instanceof c.Class, `${error} is a ${c.Class.name}`);
      assert.ok(error instanceof H2Error);
      assert.ok(error instanceof Error);
      assert.equal(error.constructor, c.Class);
      assert.deepEqual(chain(error), c.chain);
      assert.equal(error.name, c.chain[0]);
      assert.ok(String(error).startsWith(`${c.chain[0]}: `), String(error));
      assert.equal(typeof error.message, 'string');
      assert.ok(error.message.length > 0);
      assert.equal(error.code, c.code);
      assert.equal(error.streamId, c.streamId);
      for (const [k, v] of Object.entries(c.fields ?? {})) assert.equal(error[k], v, k);
      assert.ok(Array.isArray(error.events));
      assert.equal(error instanceof H2ProtocolError, c.chain.includes('H2ProtocolError'));
    });
  }

  test('every error class the package exports is covered', () => {
    const exported = Object.entries(h2)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof Error)
      .map(([k]) => k)
      .sort();
    // The session layer's classes are covered by session_errors.test.mjs.
    const session = [
      'H2ConnectionLostError',
      'H2FlowControlTimeoutError',
      'H2GoAwayError',
      'H2QueueFullError',
      'H2RefusedStreamError',
      'H2SessionClosingError',
      'H2StreamResetError',
      'H2TimeoutError',
      'H2UsageError',
    ];
    const covered = new Set([...CASES.map((c) => c.Class.name), 'H2Error', 'ProtocolError', ...session]);
    assert.deepEqual(exported.filter((name) => !covered.has(name)), []);
    assert.equal(exported.length, 16 + session.length);
  });

  test('ProtocolError is python h2’s name for H2ProtocolError', () => {
    assert.equal(ProtocolError, H2ProtocolError);
    assert.equal(H2Error.prototype.name, 'H2Error');
  });

  test('errors without a stream, a maxStreamId or lengths leave those fields undefined', () => {
    const error = caught(() => openPair().client.ping('short'));
    assert.equal(error.streamId, undefined);
    assert.deepEqual(error.events, []);
    const tooLow = caught(() => openPair().client.sendData(99, 'x'));
    assert.equal(tooLow.maxStreamId, undefined);
  });
});

describe('receiveData errors', () => {
  test('the events of the frames before the failing one come with the error; the GOAWAY is queued', () => {
    const pair = openPair();
    const error = caught(() =>
      pair.server.receiveData(F.concat(F.ping('12345678'), F.headers(1, request(), { endStream: true }), F.frame(F.Type.PING, 0, 0, new Uint8Array(3)))),
    );
    assert.ok(error instanceof FrameDataMissingError);
    assert.deepEqual(error.events.map((e) => e.type), ['PingReceived', 'RequestReceived', 'StreamEnded']);
    const frames = F.parseFrames(pair.server.dataToSend());
    assert.deepEqual(frames.map((f) => f.type), [F.Type.PING, F.Type.GOAWAY]);
    assert.deepEqual([F.readU32(frames[1].payload), F.readU32(frames[1].payload, 4)], [1, ErrorCodes.FRAME_SIZE_ERROR]);
    assert.equal(pair.server.state, 'Closed');
  });

  test('the error’s code is the code of the GOAWAY it queued', () => {
    const inputs = [
      [FrameTooLargeError, {}, F.frame(F.Type.DATA, 0, 1, new Uint8Array(0), 16_385)],
      [FrameDataMissingError, {}, F.frame(F.Type.PING, 0, 0, new Uint8Array(4))],
      [FlowControlError, {}, F.concat(F.headers(1, request('/', 'POST')), F.data(1, new Uint8Array(16_384)), F.data(1, new Uint8Array(16_384)), F.data(1, new Uint8Array(16_384)), F.data(1, new Uint8Array(16_384)))],
      [InvalidSettingsValueError, {}, F.settings([[SettingCodes.INITIAL_WINDOW_SIZE, 2 ** 31]])],
      [DenialOfServiceError, { limits: { maxHeaderListSize: 100 } }, F.headers(1, [...request(), ['x-big', 'y'.repeat(200)]])],
    ];
    for (const [Class, options, bytes] of inputs) {
      const pair = openPair(options);
      const error = caught(() => pair.server.receiveData(bytes));
      assert.equal(error.constructor, Class);
      assert.equal(queuedGoaway(pair.server)[1], error.code, Class.name);
    }
  });

  test('an InvalidBodyLengthError reports the request that came before it', () => {
    const pair = openPair();
    const error = caught(() =>
      pair.server.receiveData(F.concat(F.headers(1, request('/', 'POST', [['content-length', '5']])), F.data(1, 'abc', { endStream: true }))),
    );
    assert.deepEqual(error.events.map((e) => e.type), ['RequestReceived']);
    assert.deepEqual(queuedGoaway(pair.server), [1, ErrorCodes.PROTOCOL_ERROR]);
  });

  test('a bad client preface is a ProtocolError with no GOAWAY', () => {
    const server = new H2Connection({ clientSide: false });
    server.initiateConnection();
    server.clearOutboundDataBuffer();
    const error = caught(() => server.receiveData(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')));
    assert.equal(error.constructor, H2ProtocolError);
    assert.equal(server.outboundBuffered, 0);
  });

  test('after a receiveData error the connection refuses further frames', () => {
    const pair = openPair();
    caught(() => pair.server.receiveData(F.frame(F.Type.PING, 0, 0, new Uint8Array(4))));
    pair.server.clearOutboundDataBuffer();
    const error = caught(() => pair.server.receiveData(F.ping('12345678')));
    assert.ok(error instanceof H2ProtocolError);
  });
});

describe('argument checks throw InvalidInputError', () => {
  const conn = () => {
    const pair = openPair();
    pair.client.sendHeaders(1, request('/', 'POST'));
    return pair.client;
  };
  const cases = [
    ['a negative stream id', (c) => c.sendData(-1, 'x')],
    ['a fractional stream id', (c) => c.endStream(1.5)],
    ['a stream id given as a string', (c) => c.resetStream('1')],
    ['a missing stream id', (c) => c.localFlowControlWindow()],
    ['a stream id above 2^32-1', (c) => c.streamState(2 ** 32)],
    ['a window increment of 0', (c) => c.incrementFlowControlWindow(0)],
    ['a window increment above 2^31-1', (c) => c.incrementFlowControlWindow(2 ** 31)],
    ['padLength 256', (c) => c.sendData(1, 'x', { padLength: 256 })],
    ['a PING of 9 octets', (c) => c.ping(new Uint8Array(9))],
    ['a setting identifier above 0xffff', (c) => c.updateSettings([[0x10000, 1]])],
    ['a negative setting value', (c) => c.updateSettings({ 1: -1 })],
    ['a header that is neither a pair nor { name, value }', (c) => c.sendHeaders(3, [[':method']])],
    ['headers that are not a list', (c) => c.sendHeaders(3, 42)],
    ['a negative acknowledged size', (c) => c.acknowledgeReceivedData(-1, 1)],
    ['a negative dataToSend amount', (c) => c.dataToSend(-1)],
    ['a negative error code', (c) => c.closeConnection(-1)],
    // Not truncated to 0x00 (DATA) or 0xf0: refused.
    ['an extension frame type above 0xFF', (c) => c.sendExtensionFrame(0x100, 0, 1, 'x')],
    ['an extension frame type of 0x1F0', (c) => c.sendExtensionFrame(0x1f0, 0, 1, 'x')],
    ['extension frame flags above 0xFF', (c) => c.sendExtensionFrame(0xf0, 0x1ff, 1, 'x')],
  ];
  for (const [what, call] of cases) {
    test(what, () => {
      const error = caught(() => call(conn()));
      assert.ok(error instanceof InvalidInputError, `${error}`);
      assert.equal(error.code, undefined);
    });
  }

  test('data that is neither bytes nor a string is a TypeError', () => {
    assert.throws(() => conn().sendData(1, 42), TypeError);
    assert.throws(() => conn().receiveData('text'), TypeError);
  });
});
