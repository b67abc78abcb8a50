// The smoke suite that runs unchanged in Node, Deno, Bun, workerd and Chromium. It uses no
// runtime-specific API (no node:assert, no node:test) so that it can be bundled for a Worker
// or a web page; each runtime's harness imports it and reports the results its own way.

import { ofType, Pair, request } from './pair.mjs';

/** What the package exports, in every runtime (sorted). */
export const PUBLIC_API = [
  'ClientStream',
  'DenialOfServiceError',
  'ErrorCodes',
  'FlowControlError',
  'FrameDataMissingError',
  'FrameTooLargeError',
  'FrameTypes',
  'H2Configuration',
  'H2Connection',
  'H2ConnectionLostError',
  'H2Error',
  'H2FlowControlTimeoutError',
  'H2GoAwayError',
  'H2ProtocolError',
  'H2QueueFullError',
  'H2RefusedStreamError',
  'H2Session',
  'H2SessionClosingError',
  'H2Stream',
  'H2StreamResetError',
  'H2TimeoutError',
  'H2UsageError',
  'InvalidBodyLengthError',
  'InvalidInputError',
  'InvalidSettingsValueError',
  'NoAvailableStreamIDError',
  'NoSuchStreamError',
  'ProtocolError',
  'RFC1122Error',
  'ServerStream',
  'SettingCodes',
  'Settings',
  'StreamClosedError',
  'StreamIDTooLowError',
  'TooManyStreamsError',
  'TransportErrorCodes',
  'errorCodeName',
  'frameTypeName',
  'fromCloudflareSocket',
  'fromDenoConn',
  'fromNodeSocket',
  'fromWebSocket',
  'fromWebSocketStream',
  'fromWebStreams',
  'fromWebTransportStream',
  'init',
  'memoryTransportPair',
  'serve',
  'settingName',
  'version',
];

/** What the Node entry point (Node, Deno, Bun) exports besides PUBLIC_API: it imports node:*. */
export const NODE_ENTRY_API = ['connect', 'connectNode', 'fetch'];

const RFC_9113_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

function equal(actual, expected, what) {
  if (!Object.is(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/**
 * The cases, in the order they must run. `initialisedAtImport` is true where the entry point
 * instantiates the module synchronously (Node, Deno, Bun, workerd) and false in browsers,
 * where `await init()` must come first. `nodeEntry` is true where the package resolves to its
 * Node entry point (Node, Deno, Bun), which adds NODE_ENTRY_API. `expected.version` is the
 * installed package's version.
 */
export function smokeCases({ initialisedAtImport, nodeEntry = false }) {
  const api = nodeEntry ? [...PUBLIC_API, ...NODE_ENTRY_API].sort() : PUBLIC_API;
  const cases = [
    {
      name: 'exports exactly the public API',
      run(h2) {
        equal(Object.keys(h2).sort().join(', '), api.join(', '), 'exported names');
      },
    },
    initialisedAtImport
      ? {
          name: 'is ready at import, before init()',
          run(h2) {
            equal(typeof h2.version(), 'string', 'typeof version() before init()');
          },
        }
      : {
          name: 'refuses calls before init() with an error that says to await init()',
          run(h2) {
            let message = null;
            try {
              h2.version();
            } catch (error) {
              message = String(error?.message);
            }
            if (message === null || !message.includes('await init()')) {
              throw new Error(`version() before init() should throw; got message ${message}`);
            }
          },
        },
    {
      name: 'init() resolves, and calling it again or twice at once is harmless',
      async run(h2) {
        equal(await h2.init(), undefined, 'first init()');
        const again = await Promise.all([h2.init(), h2.init()]);
        equal(again.length, 2, 'concurrent init() calls');
        equal(again[0], undefined, 'second init()');
        equal(h2.errorCodeName(0), 'NO_ERROR', 'errorCodeName(0) after repeated init()');
      },
    },
    {
      name: 'version() is the package version',
      run(h2, expected) {
        equal(h2.version(), expected.version, 'version()');
      },
    },
    {
      name: "errorCodeName(1) is 'PROTOCOL_ERROR'",
      run(h2) {
        equal(h2.errorCodeName(1), 'PROTOCOL_ERROR', 'errorCodeName(1)');
      },
    },
    {
      name: 'errorCodeName names the 14 RFC 9113 codes and no others',
      run(h2) {
        RFC_9113_NAMES.forEach((name, code) => equal(h2.errorCodeName(code), name, `code ${code}`));
        for (const code of [14, 0xff, 0xdead, 0xffff_ffff]) {
          equal(h2.errorCodeName(code), undefined, `code ${code}`);
        }
      },
    },
    {
      name: 'a client and a server H2Connection complete the handshake in memory',
      run(h2) {
        const pair = Pair.open(h2);
        for (const side of ['client', 'server']) {
          const types = pair.handshake[side].map((e) => e.type).join(', ');
          equal(types, 'RemoteSettingsChanged, SettingsAcknowledged', `${side} handshake events`);
        }
        equal(pair.client.remoteSettings.maxConcurrentStreams, 100, 'the server settings at the client');
        equal(pair.server.remoteSettings.enablePush, 1, 'the client settings at the server');
        pair.free();
      },
    },
    {
      name: 'a request with a body gets a response with a body and trailers',
      run(h2) {
        const pair = Pair.open(h2);
        const id = pair.client.getNextAvailableStreamId();
        pair.client.sendHeaders(id, request('/echo', 'POST'));
        pair.client.sendData(id, 'ping', { endStream: true });
        const atServer = pair.toServer();
        equal(atServer.map((e) => e.type).join(', '), 'RequestReceived, DataReceived, StreamEnded', 'server events');
        equal(atServer[0].headers[1][1], '/echo', ':path at the server');
        equal(new TextDecoder().decode(atServer[1].data), 'ping', 'request body');
        pair.server.sendHeaders(id, [[':status', '200'], ['content-type', 'text/plain']]);
        pair.server.sendData(id, 'pong');
        pair.server.sendHeaders(id, [['x-checksum', '42']], { endStream: true });
        const atClient = pair.toClient();
        const types = atClient.map((e) => e.type).join(', ');
        equal(types, 'ResponseReceived, DataReceived, TrailersReceived, StreamEnded', 'client events');
        equal(JSON.stringify(atClient[0].headers), '[[":status","200"],["content-type","text/plain"]]', 'response headers');
        equal(new TextDecoder().decode(ofType(atClient, 'DataReceived')[0].data), 'pong', 'response body');
        equal(JSON.stringify(atClient[2].headers), '[["x-checksum","42"]]', 'trailers');
        equal(pair.client.streamState(id), 'Closed', 'stream state');
        pair.free();
      },
    },
    {
      name: 'sending on an idle stream throws NoSuchStreamError (code 1, streamId, class chain)',
      run(h2) {
        const pair = Pair.open(h2);
        let error = null;
        try {
          pair.client.sendData(7, 'x');
        } catch (e) {
          error = e;
        }
        equal(error instanceof h2.NoSuchStreamError, true, 'instanceof NoSuchStreamError');
        equal(error instanceof h2.H2ProtocolError, true, 'instanceof H2ProtocolError');
        equal(error instanceof h2.H2Error, true, 'instanceof H2Error');
        equal(error instanceof Error, true, 'instanceof Error');
        equal(error instanceof h2.StreamClosedError, false, 'instanceof StreamClosedError');
        equal(error.name, 'NoSuchStreamError', 'name');
        equal(error.code, h2.ErrorCodes.PROTOCOL_ERROR, 'code');
        equal(error.streamId, 7, 'streamId');
        pair.free();
      },
    },
    {
      name: 'a malformed frame throws FrameDataMissingError with the events before it, and queues GOAWAY',
      run(h2) {
        const pair = Pair.open(h2);
        // PING (8 octets), then PING with 4 octets: FRAME_SIZE_ERROR.
        const ping = [0, 0, 8, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        const short = [0, 0, 4, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4];
        let error = null;
        try {
          pair.server.receiveData(Uint8Array.from([...ping, ...short]));
        } catch (e) {
          error = e;
        }
        equal(error instanceof h2.FrameDataMissingError, true, 'instanceof FrameDataMissingError');
        equal(error.code, h2.ErrorCodes.FRAME_SIZE_ERROR, 'code');
        equal(error.events.map((e) => e.type).join(), 'PingReceived', 'events before the error');
        const out = pair.server.dataToSend();
        // The PING ACK (17 octets), then GOAWAY (9 + 8): last stream 0, FRAME_SIZE_ERROR.
        equal(out.length, 17 + 17, 'queued octets');
        equal(out[17 + 3], h2.FrameTypes.GOAWAY, 'frame type');
        equal(out[17 + 9 + 7], h2.ErrorCodes.FRAME_SIZE_ERROR, 'GOAWAY error code');
        pair.free();
      },
    },
    {
      name: 'an H2Session client and server exchange a request, a body and trailers, then close',
      async run(h2) {
        const [clientEnd, serverEnd] = h2.memoryTransportPair();
        const server = h2.H2Session.server(serverEnd, {
          async onstream(stream) {
            const chunks = [];
            for await (const chunk of stream.readable) chunks.push(...chunk);
            stream.respond(200, [['content-type', 'application/octet-stream']]);
            await stream.write(Uint8Array.from(chunks).reverse());
            await stream.end([['x-length', String(chunks.length)]]);
          },
        });
        const client = h2.H2Session.client(clientEnd);
        const body = new Uint8Array(70_000).map((_, i) => i & 0xff); // more than one window
        const stream = client.request(request('/echo', 'POST'), { body });
        const response = await stream.response;
        equal(response.status, 200, 'status');
        let length = 0;
        let last = -1;
        for await (const chunk of stream.readable) {
          length += chunk.length;
          last = chunk[chunk.length - 1];
        }
        equal(length, body.length, 'echoed length');
        equal(last, body[0], 'last octet echoed is the first sent');
        equal(JSON.stringify(await stream.trailers), JSON.stringify([['x-length', '70000']]), 'trailers');
        const closed = await client.close();
        equal(closed.initiator, 'local', 'client closed by us');
        equal((await server.closed).initiator, 'remote', 'server closed by the peer');
      },
    },
  ];
  return cases;
}

/** Runs the cases in order; returns `[{ name, ok, error }]` and never throws. */
export async function runCases(h2, cases, expected) {
  const results = [];
  for (const c of cases) {
    try {
      await c.run(h2, expected);
      results.push({ name: c.name, ok: true });
    } catch (error) {
      results.push({ name: c.name, ok: false, error: String(error?.message ?? error) });
    }
  }
  return results;
}
