// Every H2Connection method and property, through the package as a consumer installs it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as h2 from 'h2wasm';
import { ErrorCodes, H2Configuration, H2Connection, SettingCodes, Settings } from 'h2wasm';
import * as F from './frames.mjs';
import { ofType, Pair, request } from './pair.mjs';

const RESPONSE = [[':status', '200']];

/** A pair with stream 1 open (request headers sent without END_STREAM, response not yet). */
function withOpenStream(clientOptions, serverOptions) {
  const pair = Pair.open(h2, clientOptions, serverOptions);
  pair.client.sendHeaders(1, request('/upload', 'POST'));
  pair.toServer();
  return pair;
}

function base64urlDecode(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

describe('construction', () => {
  test('the default connection is a client with the default configuration', () => {
    const conn = new H2Connection();
    assert.ok(conn.config instanceof H2Configuration);
    assert.equal(conn.config.clientSide, true);
    assert.equal(conn.state, 'Idle');
    assert.equal(conn.getNextAvailableStreamId(), 1);
  });

  test('takes an H2Configuration or a plain options object', () => {
    const config = new H2Configuration({ clientSide: false });
    const a = new H2Connection(config);
    assert.equal(a.config, config);
    const b = new H2Connection({ clientSide: false });
    assert.ok(b.config instanceof H2Configuration);
    assert.equal(b.config.clientSide, false);
    assert.equal(a.getNextAvailableStreamId(), 2);
    assert.equal(b.getNextAvailableStreamId(), 2);
  });
});

describe('initiateConnection', () => {
  test('a client queues the preface, then one SETTINGS frame listing every local setting', () => {
    const conn = new H2Connection();
    conn.initiateConnection();
    const out = conn.dataToSend();
    assert.deepEqual(out.subarray(0, F.PREFACE.length), F.PREFACE);
    const frames = F.parseFrames(out);
    assert.equal(frames.length, 1);
    assert.equal(frames[0].type, F.Type.SETTINGS);
    assert.equal(frames[0].payload.length, 42);
  });

  test('a server queues SETTINGS without a preface', () => {
    const conn = new H2Connection({ clientSide: false });
    conn.initiateConnection();
    const out = conn.dataToSend();
    assert.equal(out[3], F.Type.SETTINGS);
    assert.equal(out.length, 9 + 42);
  });
});

describe('initiateUpgradeConnection', () => {
  test('a client gets the HTTP2-Settings value (base64url SETTINGS payload) and stream 1 half-closed (local)', () => {
    const conn = new H2Connection({ limits: { maxConcurrentStreams: 7 } });
    const header = conn.initiateUpgradeConnection();
    assert.equal(typeof header, 'string');
    assert.match(header, /^[A-Za-z0-9_-]+=*$/);
    const payload = base64urlDecode(header);
    assert.equal(payload.length % 6, 0);
    const pairs = [];
    for (let i = 0; i < payload.length; i += 6) pairs.push([(payload[i] << 8) | payload[i + 1], F.readU32(payload, i + 2)]);
    assert.deepEqual(pairs, [...conn.localSettings]);
    assert.equal(conn.state, 'ClientOpen');
    assert.equal(conn.streamState(1), 'HalfClosedLocal');
    assert.equal(conn.getNextAvailableStreamId(), 3);
  });

  test('a server applies the client header, returns undefined, and answers on stream 1', () => {
    const client = new H2Connection({ limits: { maxConcurrentStreams: 7 } });
    const header = client.initiateUpgradeConnection();
    const server = new H2Connection({ clientSide: false });
    assert.equal(server.initiateUpgradeConnection(header), undefined);
    assert.equal(server.state, 'ServerOpen');
    assert.equal(server.streamState(1), 'HalfClosedRemote');
    assert.equal(server.remoteSettings.maxConcurrentStreams, 7);
    server.sendHeaders(1, RESPONSE, true);
    const events = client.receiveData(server.dataToSend());
    assert.deepEqual(
      events.map((e) => e.type),
      ['RemoteSettingsChanged', 'ResponseReceived', 'StreamEnded'],
    );
    // The server still expects the client preface on the upgraded connection.
    assert.deepEqual(ofType(server.receiveData(client.dataToSend()), 'RemoteSettingsChanged').length, 1);
  });

  test('a server takes the header as bytes too', () => {
    const header = new H2Connection().initiateUpgradeConnection();
    const server = new H2Connection({ clientSide: false });
    server.initiateUpgradeConnection(new TextEncoder().encode(header));
    assert.equal(server.remoteSettings.enablePush, 1);
  });
});

describe('streams', () => {
  test('getNextAvailableStreamId counts up by two from 1 (client) or 2 (server) without reserving', () => {
    const pair = Pair.open(h2);
    assert.equal(pair.client.getNextAvailableStreamId(), 1);
    assert.equal(pair.client.getNextAvailableStreamId(), 1);
    pair.client.sendHeaders(1, request(), true);
    assert.equal(pair.client.getNextAvailableStreamId(), 3);
    pair.toServer();
    assert.equal(pair.server.getNextAvailableStreamId(), 2);
    pair.server.pushStream(1, 2, request('/pushed'));
    assert.equal(pair.server.getNextAvailableStreamId(), 4);
  });

  test('sendHeaders takes an array, an object, a Map or a Headers, and a boolean or options for endStream', () => {
    const pair = Pair.open(h2);
    const forms = [
      [request('/array'), true],
      [{ ':method': 'GET', ':path': '/object', ':scheme': 'http', ':authority': 'a.test', 'x-n': 5, 'x-list': ['1', '2'] }, { endStream: true }],
      [new Map(request('/map')), { endStream: true }],
      [new Headers([['x-from', 'headers']]), true],
    ];
    // A Headers object sorts its names and cannot hold pseudo-headers: send it as trailers.
    pair.client.sendHeaders(1, forms[0][0], forms[0][1]);
    pair.client.sendHeaders(3, forms[1][0], forms[1][1]);
    pair.client.sendHeaders(5, forms[2][0], forms[2][1]);
    pair.client.sendHeaders(7, request('/trailers', 'POST'));
    pair.client.sendHeaders(7, forms[3][0], forms[3][1]);
    const events = pair.toServer();
    const byStream = (id, type) => events.find((e) => e.streamId === id && e.type === type).headers;
    assert.deepEqual(byStream(1, 'RequestReceived')[1], [':path', '/array']);
    assert.deepEqual(byStream(3, 'RequestReceived').slice(1), [
      [':path', '/object'],
      [':scheme', 'http'],
      [':authority', 'a.test'],
      ['x-n', '5'],
      ['x-list', '1'],
      ['x-list', '2'],
    ]);
    assert.deepEqual(byStream(5, 'RequestReceived')[1], [':path', '/map']);
    assert.deepEqual(byStream(7, 'TrailersReceived'), [['x-from', 'headers']]);
    assert.equal(ofType(events, 'StreamEnded').length, 4);
  });

  test('a header list larger than a frame goes out as HEADERS and CONTINUATION frames and arrives whole', () => {
    const pair = Pair.open(h2);
    const big = 'v'.repeat(40_000);
    pair.client.sendHeaders(1, request('/', 'GET', [['x-big', big]]), true);
    const bytes = pair.client.dataToSend();
    const frames = F.parseFrames(bytes);
    assert.deepEqual(frames.map((f) => f.type), [F.Type.HEADERS, F.Type.CONTINUATION, F.Type.CONTINUATION]);
    const [req] = pair.server.receiveData(bytes);
    assert.deepEqual(req.headers[4], ['x-big', big]);
  });

  test('sendHeaders with priority options sets the PRIORITY flag (weight, dependency, exclusive)', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), { endStream: true });
    pair.client.sendHeaders(3, request(), { priorityWeight: 200, priorityDependsOn: 1, priorityExclusive: true });
    const events = pair.toServer();
    const req = events.find((e) => e.type === 'RequestReceived' && e.streamId === 3);
    assert.deepEqual(req.priorityUpdated, { type: 'PriorityUpdated', streamId: 3, weight: 200, dependsOn: 1, exclusive: true });
  });

  test('sendData takes bytes, any view, an ArrayBuffer, or a string as UTF-8', () => {
    const pair = withOpenStream();
    pair.client.sendData(1, Uint8Array.of(1, 2));
    pair.client.sendData(1, new DataView(Uint8Array.of(3).buffer));
    pair.client.sendData(1, Uint16Array.of(0x0504).buffer);
    pair.client.sendData(1, 'é', false);
    pair.client.sendData(1, new Uint8Array(0), { endStream: true });
    const events = ofType(pair.toServer(), 'DataReceived');
    assert.deepEqual(
      events.map((e) => [...e.data]),
      [[1, 2], [3], [4, 5], [0xc3, 0xa9], []],
    );
    assert.equal(events[4].streamEnded?.streamId, 1);
  });

  test('sendData pads with padLength: the peer counts data + padding + 1 as flow controlled', () => {
    const pair = withOpenStream();
    pair.client.sendData(1, 'abc', { padLength: 10 });
    const [event] = pair.toServer();
    assert.equal(event.flowControlledLength, 3 + 10 + 1);
    assert.equal(pair.client.localFlowControlWindow(1), 65_535 - 14);
    assert.equal(pair.server.remoteFlowControlWindow(1), 65_535 - 14);
  });

  test('sendData splits data larger than the peer frame size into several DATA frames', () => {
    const pair = withOpenStream();
    pair.client.sendData(1, new Uint8Array(40_000), true);
    const frames = F.parseFrames(pair.client.dataToSend());
    assert.deepEqual(
      frames.map((f) => [f.type, f.payload.length, f.flags]),
      [
        [F.Type.DATA, 16_384, 0],
        [F.Type.DATA, 16_384, 0],
        [F.Type.DATA, 7_232, F.Flag.END_STREAM],
      ],
    );
  });

  test('endStream sends an empty DATA frame with END_STREAM', () => {
    const pair = withOpenStream();
    pair.client.endStream(1);
    const [frame] = F.parseFrames(pair.client.dataToSend());
    assert.deepEqual([frame.type, frame.flags, frame.streamId, frame.payload.length], [F.Type.DATA, F.Flag.END_STREAM, 1, 0]);
    assert.equal(pair.client.streamState(1), 'HalfClosedLocal');
  });

  test('pushStream promises a stream that the server can then answer on', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), true);
    pair.toServer();
    pair.server.pushStream(1, 2, request('/style.css'));
    assert.equal(pair.server.streamState(2), 'ReservedLocal');
    assert.equal(ofType(pair.toClient(), 'PushedStreamReceived').length, 1);
    assert.equal(pair.client.streamState(2), 'ReservedRemote');
    pair.server.pushStream(1, 4, request('/script.js'));
    pair.server.sendHeaders(4, RESPONSE, true);
    const events = pair.toClient();
    assert.deepEqual(events.map((e) => e.type), ['PushedStreamReceived', 'ResponseReceived', 'StreamEnded']);
    assert.deepEqual([events[0].pushedStreamId, events[0].parentStreamId], [4, 1]);
    assert.equal(pair.server.highestOutboundStreamId, 4);
  });

  test('resetStream sends RST_STREAM, NO_ERROR by default', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request());
    pair.client.sendHeaders(3, request());
    pair.client.resetStream(1);
    pair.client.resetStream(3, ErrorCodes.CANCEL);
    const resets = ofType(pair.toServer(), 'StreamReset');
    assert.deepEqual(
      resets.map((e) => [e.streamId, e.errorCode, e.remoteReset]),
      [
        [1, 0, true],
        [3, 8, true],
      ],
    );
    assert.equal(pair.client.streamState(1), 'Closed');
  });

  test('streamState follows a stream through its states, and is undefined for an idle stream', () => {
    const pair = Pair.open(h2);
    assert.equal(pair.client.streamState(1), undefined);
    pair.client.sendHeaders(1, request());
    assert.equal(pair.client.streamState(1), 'Open');
    pair.client.endStream(1);
    assert.equal(pair.client.streamState(1), 'HalfClosedLocal');
    pair.toServer();
    assert.equal(pair.server.streamState(1), 'HalfClosedRemote');
    pair.server.sendHeaders(1, RESPONSE, true);
    pair.toClient();
    assert.equal(pair.client.streamState(1), 'Closed');
  });

  test('openOutboundStreams and openInboundStreams count open streams of each side', () => {
    const pair = Pair.open(h2);
    for (const id of [1, 3, 5]) pair.client.sendHeaders(id, request());
    pair.toServer();
    assert.equal(pair.client.openOutboundStreams, 3);
    assert.equal(pair.client.openInboundStreams, 0);
    assert.equal(pair.server.openInboundStreams, 3);
    pair.client.resetStream(3);
    pair.toServer();
    assert.equal(pair.client.openOutboundStreams, 2);
    assert.equal(pair.server.openInboundStreams, 2);
    pair.server.pushStream(1, 2, request('/p'));
    // Reserved streams do not count.
    assert.equal(pair.server.openOutboundStreams, 0);
  });

  test('highestInboundStreamId and highestOutboundStreamId', () => {
    const pair = Pair.open(h2);
    assert.deepEqual([pair.client.highestOutboundStreamId, pair.server.highestInboundStreamId], [0, 0]);
    pair.client.sendHeaders(7, request(), true);
    pair.toServer();
    assert.deepEqual([pair.client.highestOutboundStreamId, pair.server.highestInboundStreamId], [7, 7]);
    assert.deepEqual([pair.client.highestInboundStreamId, pair.server.highestOutboundStreamId], [0, 0]);
  });
});

describe('connection state and control frames', () => {
  test('state goes Idle, ClientOpen/ServerOpen, Closed', () => {
    const pair = new Pair(new H2Connection(), new H2Connection({ clientSide: false }));
    assert.deepEqual([pair.client.state, pair.server.state], ['Idle', 'Idle']);
    pair.client.initiateConnection();
    pair.server.initiateConnection();
    pair.settle();
    pair.client.sendHeaders(1, request(), true);
    pair.toServer();
    assert.deepEqual([pair.client.state, pair.server.state], ['ClientOpen', 'ServerOpen']);
    pair.client.closeConnection();
    pair.toServer();
    assert.deepEqual([pair.client.state, pair.server.state], ['Closed', 'Closed']);
  });

  test('ping takes 8 octets as a ByteString or bytes; the peer answers automatically', () => {
    const pair = Pair.open(h2);
    pair.client.ping('pingpong');
    pair.client.ping(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    const atServer = pair.toServer();
    assert.deepEqual(atServer.map((e) => e.type), ['PingReceived', 'PingReceived']);
    const acks = pair.toClient();
    assert.deepEqual(acks.map((e) => [...e.pingData]), [[...new TextEncoder().encode('pingpong')], [1, 2, 3, 4, 5, 6, 7, 8]]);
  });

  test('closeConnection(errorCode, additionalData, lastStreamId), positional', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), true);
    pair.toServer();
    pair.server.closeConnection(ErrorCodes.ENHANCE_YOUR_CALM, 'calm down', 0);
    const [event] = pair.toClient();
    assert.equal(event.type, 'ConnectionTerminated');
    assert.equal(event.errorCode, ErrorCodes.ENHANCE_YOUR_CALM);
    assert.equal(event.lastStreamId, 0);
    assert.equal(new TextDecoder().decode(event.additionalData), 'calm down');
  });

  test('closeConnection(errorCode, { additionalData, lastStreamId })', () => {
    const pair = Pair.open(h2);
    pair.server.closeConnection(ErrorCodes.NO_ERROR, { additionalData: Uint8Array.of(1, 2), lastStreamId: 9 });
    const [event] = pair.toClient();
    assert.deepEqual([event.errorCode, event.lastStreamId, [...event.additionalData]], [0, 9, [1, 2]]);
  });

  test('closeConnection() defaults to NO_ERROR, no data, and the highest inbound stream id', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(5, request(), true);
    pair.toServer();
    pair.server.closeConnection();
    const [event] = pair.toClient();
    assert.deepEqual([event.errorCode, event.lastStreamId, event.additionalData], [0, 5, null]);
  });

  for (const [form, value] of [
    ['an object', { [SettingCodes.MAX_CONCURRENT_STREAMS]: 10, [SettingCodes.INITIAL_WINDOW_SIZE]: 1000 }],
    [
      'a Map',
      new Map([
        [SettingCodes.MAX_CONCURRENT_STREAMS, 10],
        [SettingCodes.INITIAL_WINDOW_SIZE, 1000],
      ]),
    ],
    [
      'an array of pairs',
      [
        [SettingCodes.MAX_CONCURRENT_STREAMS, 10],
        [SettingCodes.INITIAL_WINDOW_SIZE, 1000],
      ],
    ],
  ]) {
    test(`updateSettings takes ${form}; the settings apply when the peer acknowledges`, () => {
      const pair = Pair.open(h2);
      pair.server.updateSettings(value);
      assert.equal(pair.server.localSettings.maxConcurrentStreams, 100);
      const [changed] = pair.toClient();
      assert.equal(changed.type, 'RemoteSettingsChanged');
      assert.deepEqual(
        new Map(changed.changedSettings.map((c) => [c.setting, c.newValue])),
        new Map([
          [SettingCodes.MAX_CONCURRENT_STREAMS, 10],
          [SettingCodes.INITIAL_WINDOW_SIZE, 1000],
        ]),
      );
      assert.equal(pair.client.remoteSettings.maxConcurrentStreams, 10);
      const [acked] = pair.toServer();
      assert.equal(acked.type, 'SettingsAcknowledged');
      assert.equal(pair.server.localSettings.maxConcurrentStreams, 10);
      assert.equal(pair.server.localSettings.initialWindowSize, 1000);
    });
  }

  test('maxInboundFrameSize and maxOutboundFrameSize follow an acknowledged MAX_FRAME_SIZE', () => {
    const pair = Pair.open(h2);
    assert.deepEqual([pair.server.maxInboundFrameSize, pair.client.maxOutboundFrameSize], [16_384, 16_384]);
    pair.server.updateSettings({ [SettingCodes.MAX_FRAME_SIZE]: 32_768 });
    pair.settle();
    assert.deepEqual([pair.server.maxInboundFrameSize, pair.client.maxOutboundFrameSize], [32_768, 32_768]);
    assert.deepEqual([pair.server.maxOutboundFrameSize, pair.client.maxInboundFrameSize], [16_384, 16_384]);
  });

  test('localSettings and remoteSettings are Settings snapshots with get, has, entries and named getters', () => {
    const pair = Pair.open(h2, { limits: { maxConcurrentStreams: 33 } });
    const local = pair.client.localSettings;
    assert.ok(local instanceof Settings);
    assert.equal(local.get(SettingCodes.MAX_CONCURRENT_STREAMS), 33);
    assert.equal(local.maxConcurrentStreams, 33);
    assert.equal(local.has(SettingCodes.ENABLE_PUSH), true);
    assert.equal(local.has(0x99), false);
    assert.equal(local.get(0x99), undefined);
    assert.deepEqual(
      [...local],
      [
        [SettingCodes.HEADER_TABLE_SIZE, 4096],
        [SettingCodes.ENABLE_PUSH, 1],
        [SettingCodes.INITIAL_WINDOW_SIZE, 65_535],
        [SettingCodes.MAX_FRAME_SIZE, 16_384],
        [SettingCodes.ENABLE_CONNECT_PROTOCOL, 0],
        [SettingCodes.MAX_CONCURRENT_STREAMS, 33],
        [SettingCodes.MAX_HEADER_LIST_SIZE, 65_536],
      ],
    );
    assert.deepEqual([...local.entries()], [...local]);
    assert.deepEqual(
      {
        headerTableSize: local.headerTableSize,
        enablePush: local.enablePush,
        initialWindowSize: local.initialWindowSize,
        maxFrameSize: local.maxFrameSize,
        maxHeaderListSize: local.maxHeaderListSize,
        enableConnectProtocol: local.enableConnectProtocol,
      },
      { headerTableSize: 4096, enablePush: 1, initialWindowSize: 65_535, maxFrameSize: 16_384, maxHeaderListSize: 65_536, enableConnectProtocol: 0 },
    );
    assert.equal(pair.server.remoteSettings.maxConcurrentStreams, 33);
    // A snapshot: later changes do not show through it.
    pair.client.updateSettings({ [SettingCodes.MAX_CONCURRENT_STREAMS]: 5 });
    pair.settle();
    assert.equal(local.maxConcurrentStreams, 33);
    assert.equal(pair.client.localSettings.maxConcurrentStreams, 5);
  });

  test('advertiseAlternativeService for an origin (stream 0) or for a stream', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), true);
    pair.toServer();
    pair.server.advertiseAlternativeService('h2=":8443"', { origin: 'https://example.test' });
    pair.server.advertiseAlternativeService(new TextEncoder().encode('h3=":443"'), { streamId: 1 });
    const events = pair.toClient();
    assert.deepEqual(
      events.map((e) => [e.type, e.origin, e.fieldValue]),
      [
        ['AlternativeServiceAvailable', 'https://example.test', 'h2=":8443"'],
        ['AlternativeServiceAvailable', 'example.test', 'h3=":443"'],
      ],
    );
  });

  test('prioritize sends PRIORITY for any stream; defaults weight 16, no dependency, not exclusive', () => {
    const pair = Pair.open(h2);
    pair.client.prioritize(1);
    pair.client.prioritize(3, { weight: 256, dependsOn: 1, exclusive: true });
    const events = pair.toServer();
    assert.deepEqual(
      events.map((e) => [e.type, e.streamId, e.weight, e.dependsOn, e.exclusive]),
      [
        ['PriorityUpdated', 1, 16, 0, false],
        ['PriorityUpdated', 3, 256, 1, true],
      ],
    );
  });

  test('sendPriorityUpdate (client), sendOrigin (server) and sendExtensionFrame reach the peer', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request(), true);
    pair.client.sendPriorityUpdate(1, 'u=0');
    pair.client.sendExtensionFrame(0xf0, 0x3, 1, 'payload');
    pair.client.sendExtensionFrame(0xf1, 0, 0);
    const atServer = pair.toServer();
    assert.deepEqual(
      atServer.map((e) => e.type),
      ['RequestReceived', 'StreamEnded', 'PriorityUpdateReceived', 'UnknownFrameReceived', 'UnknownFrameReceived'],
    );
    assert.equal(atServer[2].urgency, 0);
    assert.deepEqual([atServer[3].frame.type, atServer[3].frame.flags, atServer[3].frame.streamId], [0xf0, 3, 1]);
    assert.equal(new TextDecoder().decode(atServer[3].frame.payload), 'payload');
    assert.equal(atServer[4].frame.payload.length, 0);
    pair.server.sendOrigin(['https://a.test', new TextEncoder().encode('https://b.test')]);
    assert.deepEqual(pair.toClient()[0].origins, ['https://a.test', 'https://b.test']);
  });
});

describe('flow control', () => {
  test('localFlowControlWindow and remoteFlowControlWindow shrink as data is sent', () => {
    const pair = withOpenStream();
    assert.equal(pair.client.localFlowControlWindow(1), 65_535);
    assert.equal(pair.server.remoteFlowControlWindow(1), 65_535);
    pair.client.sendData(1, new Uint8Array(1000));
    pair.toServer();
    assert.equal(pair.client.localFlowControlWindow(1), 64_535);
    assert.equal(pair.client.outboundFlowControlWindow, 64_535);
    assert.equal(pair.server.remoteFlowControlWindow(1), 64_535);
    assert.equal(pair.server.inboundFlowControlWindow, 64_535);
  });

  test('localFlowControlWindow goes negative when the peer shrinks INITIAL_WINDOW_SIZE below what is in flight', () => {
    const pair = withOpenStream();
    pair.client.sendData(1, new Uint8Array(1000));
    pair.toServer();
    pair.server.updateSettings({ [SettingCodes.INITIAL_WINDOW_SIZE]: 0 });
    pair.toClient();
    assert.equal(pair.client.localFlowControlWindow(1), -1000);
    assert.throws(() => pair.client.sendData(1, 'x'), h2.FlowControlError);
    // Sending nothing is still allowed.
    pair.client.endStream(1);
    assert.equal(pair.client.streamState(1), 'HalfClosedLocal');
  });

  test('incrementFlowControlWindow opens the connection window or a stream window (number or { streamId })', () => {
    const pair = withOpenStream();
    pair.server.incrementFlowControlWindow(1000);
    pair.server.incrementFlowControlWindow(2000, 1);
    pair.server.incrementFlowControlWindow(3000, { streamId: 1 });
    pair.server.incrementFlowControlWindow(4000, {});
    assert.equal(pair.server.inboundFlowControlWindow, 65_535 + 5000);
    const events = pair.toClient();
    assert.deepEqual(
      events.map((e) => [e.type, e.streamId, e.delta]),
      [
        ['WindowUpdated', 0, 1000],
        ['WindowUpdated', 1, 2000],
        ['WindowUpdated', 1, 3000],
        ['WindowUpdated', 0, 4000],
      ],
    );
    assert.equal(pair.client.outboundFlowControlWindow, 65_535 + 5000);
    assert.equal(pair.client.localFlowControlWindow(1), 65_535 + 5000);
  });

  test('acknowledgeReceivedData queues WINDOW_UPDATEs once half a window is consumed', () => {
    const pair = withOpenStream();
    const consume = () => {
      for (const e of pair.toServer()) pair.server.acknowledgeReceivedData(e.flowControlledLength, e.streamId);
    };
    pair.client.sendData(1, new Uint8Array(30_000));
    consume();
    assert.equal(pair.server.outboundBuffered, 0, 'below half the window: no update yet');
    pair.client.sendData(1, new Uint8Array(5_000));
    consume();
    const updates = pair.toClient();
    assert.deepEqual(
      updates.map((e) => [e.streamId, e.delta]),
      [
        [0, 35_000],
        [1, 35_000],
      ],
    );
    assert.equal(pair.client.localFlowControlWindow(1), 65_535);
  });
});

describe('output', () => {
  test('dataToSend(amount) takes at most amount octets and leaves the rest; outboundBuffered counts it', () => {
    const conn = new H2Connection();
    conn.initiateConnection();
    const total = conn.outboundBuffered;
    assert.equal(total, 24 + 9 + 42);
    const head = conn.dataToSend(10);
    assert.equal(head.length, 10);
    assert.equal(conn.outboundBuffered, total - 10);
    const rest = conn.dataToSend(1_000_000);
    assert.equal(rest.length, total - 10);
    assert.equal(conn.dataToSend().length, 0);
    assert.equal(conn.dataToSend(0).length, 0);
  });

  test('clearOutboundDataBuffer discards the queued output', () => {
    const conn = new H2Connection();
    conn.initiateConnection();
    conn.clearOutboundDataBuffer();
    assert.equal(conn.outboundBuffered, 0);
    assert.equal(conn.dataToSend().length, 0);
  });

  test('receiveData takes a Uint8Array, a Buffer, an ArrayBuffer or a DataView, in pieces of any size', () => {
    const client = new H2Connection();
    client.initiateConnection();
    client.sendHeaders(1, request(), true);
    const bytes = client.dataToSend();
    const server = new H2Connection({ clientSide: false });
    const events = [];
    const forms = [(b) => b, (b) => Buffer.from(b), (b) => b.slice().buffer, (b) => new DataView(b.slice().buffer)];
    for (let i = 0; i < bytes.length; i++) {
      events.push(...server.receiveData(forms[i % forms.length](bytes.subarray(i, i + 1))));
    }
    assert.deepEqual(events.map((e) => e.type), ['RemoteSettingsChanged', 'RequestReceived', 'StreamEnded']);
  });

  test('takeFrameTrace returns each frame sent and received once, with its header fields', () => {
    const pair = Pair.open(h2, { frameTrace: true });
    const trace = pair.client.takeFrameTrace();
    assert.deepEqual(
      trace.map((t) => `${t.direction} ${t.typeName} ${t.flags} ${t.streamId} ${t.length}`),
      ['out SETTINGS 0 0 42', 'in SETTINGS 0 0 42', 'out SETTINGS 1 0 0', 'in SETTINGS 1 0 0'],
    );
    assert.deepEqual(Object.keys(trace[0]).sort(), ['direction', 'flags', 'length', 'streamId', 'type', 'typeName']);
    assert.equal(trace[0].type, F.Type.SETTINGS);
    assert.deepEqual(pair.client.takeFrameTrace(), []);
    pair.client.sendExtensionFrame(0xee, 0, 0, 'x');
    assert.deepEqual(pair.client.takeFrameTrace()[0], { direction: 'out', type: 0xee, typeName: 'UNKNOWN', flags: 0, streamId: 0, length: 1 });
  });

  test('takeFrameTrace is empty without the frameTrace option', () => {
    const pair = Pair.open(h2);
    assert.deepEqual(pair.client.takeFrameTrace(), []);
  });
});

describe('free', () => {
  test('free releases the connection; later calls throw an error that says so; a second free is harmless', () => {
    const conn = new H2Connection();
    conn.initiateConnection();
    conn.free();
    conn.free();
    assert.throws(() => conn.dataToSend(), /freed/);
    assert.throws(() => conn.state, /freed/);
    assert.throws(() => conn.sendHeaders(1, request()), /freed/);
  });

  test('Symbol.dispose frees it too', () => {
    const conn = new H2Connection();
    conn[Symbol.dispose]();
    assert.throws(() => conn.getNextAvailableStreamId(), /freed/);
  });
});
