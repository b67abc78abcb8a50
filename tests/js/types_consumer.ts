// Type-checked by package.test.mjs against the installed package's index.d.ts (never run).
// Each `@ts-expect-error` line must fail to type-check, so the declarations are checked in
// both directions: what they allow and what they refuse.
import {
  connectNode,
  fromCloudflareSocket,
  fromDenoConn,
  fromNodeSocket,
  fromWebSocket,
  fromWebSocketStream,
  fromWebTransportStream,
  TransportErrorCodes,
  type AdaptedTransport,
  type ByteTransport,
  type CloudflareSocketLike,
  type DenoConnLike,
  type NodeSocketLike,
  type TransportCapabilities,
  type WebSocketStreamLike,
  errorCodeName,
  ErrorCodes,
  frameTypeName,
  FrameTypes,
  H2Configuration,
  H2Connection,
  H2Error,
  H2ProtocolError,
  init,
  InvalidBodyLengthError,
  NoSuchStreamError,
  ProtocolError,
  SettingCodes,
  settingName,
  Settings,
  StreamClosedError,
  StreamIDTooLowError,
  version,
  type H2ConfigurationOptions,
  type H2Event,
  type InitSource,
  type Limits,
  type OutboundHeaders,
  type ReceivedHeader,
  type TraceEntry,
} from 'h2wasm';

await init();
await init(new URL('https://example.invalid/h2wasm.wasm') satisfies InitSource);
const v: string = version();
const name: string | undefined = errorCodeName(1);
const setting: string | undefined = settingName(SettingCodes.MAX_FRAME_SIZE);
const frame: string | undefined = frameTypeName(FrameTypes.DATA);
const calm: 0xb = ErrorCodes.ENHANCE_YOUR_CALM;

// @ts-expect-error the name may be undefined
const wrong: string = errorCodeName(99);
// @ts-expect-error the code is a number
errorCodeName('1');

// ---- configuration
const limits: Limits = { maxConcurrentStreams: 10, initialWindowSize: 1 << 20, maxTraceEntries: 100 };
const options: H2ConfigurationOptions = {
  clientSide: false,
  frameTrace: true,
  rawHeaders: false,
  logger: (message: string) => void message,
  limits,
};
const config = new H2Configuration(options);
const side: boolean = config.clientSide;
const push: boolean | undefined = config.enablePush;
// @ts-expect-error options are booleans
new H2Configuration({ clientSide: 'no' });
// @ts-expect-error unknown limits are refused
new H2Configuration({ limits: { maxStreams: 1 } });

// ---- the connection
const client = new H2Connection();
const server = new H2Connection({ clientSide: false });
const fromConfig = new H2Connection(config);
client.initiateConnection();
const upgrade: string | undefined = client.initiateUpgradeConnection();
const id: number = client.getNextAvailableStreamId();
const headers: OutboundHeaders = [
  [':method', 'GET'],
  [':path', '/'],
  ['authorization', 'secret', true],
  { name: new Uint8Array([120]), value: 'v', sensitive: true },
];
client.sendHeaders(id, headers, { endStream: true, priorityWeight: 16 });
client.sendHeaders(id + 2, { ':method': 'GET', ':path': '/', 'x-n': 5, 'x-list': ['a', 'b'] }, true);
client.sendHeaders(id + 4, new Map([['x', 'y']]));
client.sendData(id + 4, new Uint8Array(3), { endStream: false, padLength: 4 });
client.sendData(id + 4, 'text', true);
client.incrementFlowControlWindow(100, { streamId: id + 4 });
client.closeConnection(ErrorCodes.NO_ERROR, { additionalData: 'bye', lastStreamId: 0 });
client.closeConnection(0, new Uint8Array(0), 3);
client.updateSettings({ [SettingCodes.MAX_CONCURRENT_STREAMS]: 5 });
client.updateSettings(new Map([[SettingCodes.ENABLE_PUSH, 0]]));
client.updateSettings([[SettingCodes.INITIAL_WINDOW_SIZE, 1000]]);
server.advertiseAlternativeService('h2=":443"', { origin: 'https://example.test' });
const out: Uint8Array = client.dataToSend(1024);
const buffered: number = client.outboundBuffered;
const local: Settings = client.localSettings;
const frameSize: number | undefined = local.maxFrameSize;
const pairs: [number, number][] = [...client.remoteSettings];
const state: 'Idle' | 'ClientOpen' | 'ServerOpen' | 'Closed' = client.state;
const trace: TraceEntry[] = fromConfig.takeFrameTrace();
const direction: 'in' | 'out' | undefined = trace[0]?.direction;
// @ts-expect-error stream ids are numbers
client.endStream('1');
// @ts-expect-error receiveData takes bytes, not text
client.receiveData('PRI * HTTP/2.0');
// @ts-expect-error read-only
client.state = 'Closed';

// ---- events: the union narrows on `type`
function describeEvent(event: H2Event): string {
  switch (event.type) {
    case 'RequestReceived': {
      const [first]: ReceivedHeader[] = event.headers;
      const ended: number | undefined = event.streamEnded?.streamId;
      return `${event.streamId} ${first?.[0]} ${ended}`;
    }
    case 'ResponseReceived':
    case 'TrailersReceived':
      return `${event.streamId} ${event.headers.length} ${event.priorityUpdated?.weight}`;
    case 'InformationalResponseReceived':
      // @ts-expect-error informational responses never end the stream
      return String(event.streamEnded);
    case 'DataReceived': {
      const data: Uint8Array = event.data;
      return `${data.length} of ${event.flowControlledLength}`;
    }
    case 'WindowUpdated':
      return `${event.streamId} +${event.delta}`;
    case 'RemoteSettingsChanged':
    case 'SettingsAcknowledged':
      return event.changedSettings.map((c) => `${c.setting}: ${c.originalValue ?? '-'} → ${c.newValue}`).join();
    case 'PingReceived':
    case 'PingAckReceived':
      return String(event.pingData.length);
    case 'StreamEnded':
      return String(event.streamId);
    case 'StreamReset':
      return `${event.errorCode} ${event.remoteReset}`;
    case 'PushedStreamReceived':
      return `${event.pushedStreamId} on ${event.parentStreamId}`;
    case 'PriorityUpdated':
      return `${event.weight} ${event.dependsOn} ${event.exclusive}`;
    case 'ConnectionTerminated': {
      const data: Uint8Array | null = event.additionalData;
      return `${event.errorCode} ${event.lastStreamId} ${data?.length}`;
    }
    case 'AlternativeServiceAvailable':
      return `${event.origin ?? ''} ${event.fieldValue}`;
    case 'UnknownFrameReceived':
      return `${event.frame.type} ${event.frame.flags} ${event.frame.payload.length}`;
    case 'PriorityUpdateReceived':
      return `${event.prioritizedStreamId} u=${event.urgency} ${event.incremental}`;
    case 'OriginReceived':
      return event.origins.join();
    default: {
      // Every event type is handled above.
      const unreachable: never = event;
      return unreachable;
    }
  }
}

function dataOnly(event: H2Event): void {
  // @ts-expect-error not every event has data
  void event.data;
  if (event.type === 'DataReceived') void event.data;
}

// ---- errors
try {
  for (const e of server.receiveData(out)) describeEvent(e);
} catch (error) {
  if (error instanceof StreamIDTooLowError) {
    const max: number | undefined = error.maxStreamId;
    void max;
  } else if (error instanceof InvalidBodyLengthError) {
    const lengths: [number | undefined, number | undefined] = [error.expectedLength, error.actualLength];
    void lengths;
  } else if (error instanceof StreamClosedError) {
    const asNoSuch: NoSuchStreamError = error;
    void asNoSuch.streamId;
  } else if (error instanceof H2Error) {
    const code: number | undefined = error.code;
    const before: H2Event[] = error.events;
    const protocol: boolean = error instanceof H2ProtocolError && error instanceof ProtocolError;
    void [code, before, protocol];
  }
}
const protocolError: H2Error = new H2ProtocolError('x');
// @ts-expect-error only StreamIDTooLowError has maxStreamId
void protocolError.maxStreamId;
client.free();
server[Symbol.dispose]();

// ---- byte transports
declare const nodeSocket: NodeSocketLike;
const viaNode: AdaptedTransport = fromNodeSocket(nodeSocket, { readHighWaterMark: 1 << 16 });
const caps: TransportCapabilities = viaNode.capabilities;
const plain: ByteTransport = viaNode;
const alpn: string | undefined = viaNode.info.alpn;
const chunks: ReadableStream<Uint8Array> = plain.readable;
const overTls: Promise<AdaptedTransport> = connectNode({
  host: 'example.test',
  port: 443,
  tls: true,
  servername: 'example.test',
  ALPNProtocols: ['h2'],
  signal: AbortSignal.timeout(1000),
});
// @ts-expect-error the port is required
void connectNode({ host: 'example.test' });
const viaWs: AdaptedTransport = fromWebSocket(new WebSocket('wss://example.test/tunnel'), {
  maxBufferedBytes: 1 << 20,
  writeHighWaterMark: 1 << 16,
  pollIntervalMs: 5,
});
// @ts-expect-error not a WebSocket
fromWebSocket({ send() {} });
declare const wss: WebSocketStreamLike;
const viaWss: Promise<AdaptedTransport> = fromWebSocketStream(wss, { readBackpressure: false });
declare const bidi: WebTransportBidirectionalStream;
const viaWt: AdaptedTransport = fromWebTransportStream(bidi);
declare const denoConn: DenoConnLike;
const viaDeno: Promise<AdaptedTransport> = fromDenoConn(denoConn, { readSize: 1 << 14 });
declare const cfSocket: CloudflareSocketLike;
const viaCf: Promise<AdaptedTransport> = fromCloudflareSocket(cfSocket, { allowHalfOpen: true, secureTransport: 'on' });
// @ts-expect-error secureTransport is 'off', 'on' or 'starttls'
void fromCloudflareSocket(cfSocket, { secureTransport: true });
const capCode: 'ERR_TRANSPORT_INBOUND_CAP' = TransportErrorCodes.INBOUND_CAP;
await viaWs.close(new Error('done'));

export { caps, alpn, chunks, overTls, viaWss, viaWt, viaDeno, viaCf, capCode };
export { v, name, wrong, setting, frame, calm, side, push, upgrade, buffered, frameSize, pairs, state, direction, describeEvent, dataOnly };
