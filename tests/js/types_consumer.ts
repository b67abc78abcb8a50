// Type-checked by package.test.mjs against the installed package's index.d.ts (never run).
// Each `@ts-expect-error` line must fail to type-check, so the declarations are checked in
// both directions: what they allow and what they refuse.
import {
  connect,
  connectNode,
  fetch as h2fetch,
  type ConnectOptions,
  fromCloudflareSocket,
  fromDenoConn,
  fromNodeSocket,
  fromWebSocket,
  fromWebSocketStream,
  fromWebTransportStream,
  TransportErrorCodes,
  type AdaptedTransport,
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
  ClientStream,
  fromWebStreams,
  H2ConnectionLostError,
  H2FlowControlTimeoutError,
  H2GoAwayError,
  H2RefusedStreamError,
  H2Session,
  H2SessionClosingError,
  H2QueueFullError,
  H2Stream,
  H2StreamResetError,
  H2TimeoutError,
  H2UsageError,
  memoryTransportPair,
  serve,
  ServerStream,
  type ByteTransport,
  type Clock,
  type CloseInfo,
  type H2Response,
  type StreamPriority,
  type H2SessionOptions,
  type ServeInfo,
  type SessionStats,
  type StreamRequest,
  type TraceRecord,
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

// ---- the session layer
const [clientEnd, serverEnd] = memoryTransportPair({ chunking: 100, latencyMs: 1, writeHighWaterMark: 1024 });
clientEnd.stallWrites();
clientEnd.resumeWrites();
const sentBytes: Uint8Array = clientEnd.sentBytes();
const fakeClock: Clock = { now: () => 0, setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h) };
const sessionOptions: H2SessionOptions = {
  clock: fakeClock,
  maxConcurrentStreams: 10,
  keepAlive: { intervalMs: 30_000, timeoutMs: 5_000 },
  flowControlTimeoutMs: 0,
  onFlowControlTimeout: 'error',
  maxQueuedRequests: 50,
  trace(record: TraceRecord) {
    if (record.kind === 'frame') void `${record.direction} ${record.typeName} ${record.streamId} ${record.length} ${record.flags}`;
    else if (record.kind === 'goaway') void record.lastStreamId;
    else if (record.kind === 'timeout') void record.timeout;
  },
};
// @ts-expect-error the policy is 'reset' or 'error'
const badPolicy: H2SessionOptions = { onFlowControlTimeout: 'ignore' };
const server2 = H2Session.server(serverEnd, { enableConnectProtocol: true });
const client2 = H2Session.client(clientEnd, sessionOptions);
const plain = H2Session.client({ readable: new ReadableStream<Uint8Array>(), writable: new WritableStream<Uint8Array>() });
const fromStreams: ByteTransport = fromWebStreams({ readable: new ReadableStream<Uint8Array>(), writable: new WritableStream<Uint8Array>(), halfClose: true });
server2.onstream = (stream: ServerStream) => {
  const request: StreamRequest = stream.request;
  const first: string | undefined = request.headers[0]?.[1];
  stream.informational(103, [['link', '</a>']]);
  stream.respond(200, { 'content-type': 'text/plain' });
  const pushed: ServerStream = stream.push({ path: '/style.css' });
  void [first, pushed.pushed];
  return stream.readable.pipeTo(stream.writable);
};
async function session(): Promise<void> {
  await client2.ready;
  const state: 'handshaking' | 'open' | 'closing' | 'closed' = client2.state;
  const stream: ClientStream = client2.request([[':method', 'GET'], [':scheme', 'https'], [':authority', 'a'], [':path', '/']], {
    signal: AbortSignal.timeout(1000),
    timeoutMs: 500,
    priority: { urgency: 1, incremental: true },
  });
  stream.setPriority({ urgency: 5 });
  const priority: StreamPriority = stream.priority;
  const urgency: number = priority.urgency;
  // @ts-expect-error an RFC 9218 priority is an object, not a Fetch hint, in request()
  client2.request([[':method', 'GET'], [':scheme', 'https'], [':authority', 'a'], [':path', '/']], { priority: 'high' });
  await client2.fetch('https://a/', { priority: { incremental: true } });
  await client2.fetch('https://a/', { priority: 'low' });
  void urgency;
  stream.oninformational = ({ status }) => void status;
  const queuedId: number | null = stream.id;
  // @ts-expect-error a client stream's id is null while it waits in the queue
  const startedId: number = stream.id;
  const { status, headers } = await stream.response;
  const trailers = await stream.trailers;
  await stream.write('text', { timeoutMs: 100 });
  await stream.end([['x-trailer', '1']]);
  stream.reset(ErrorCodes.CANCEL);
  const base: H2Stream = stream;
  const windows: number = base.localWindow + base.remoteWindow;
  const rtt: number = await client2.ping();
  const settings: Settings = await client2.updateSettings({ maxConcurrentStreams: 5 });
  client2.setConnectionWindow(1 << 20);
  const stats: SessionStats = client2.stats();
  const waiting: number = stats.queuedRequests;
  const response: H2Response = await client2.fetch('https://a/', { method: 'POST', body: 'x' });
  const responseTrailers: Headers = await response.trailers;
  for await (const incoming of server2.incoming()) {
    const serverId: number = incoming.id;
    void serverId;
  }
  const info: CloseInfo = await client2.close({ code: 0, debug: 'bye', timeoutMs: 1000 });
  const initiator: 'local' | 'remote' | 'transport' = info.initiator;
  await client2.destroy(new Error('x'), ErrorCodes.INTERNAL_ERROR);
  await client2[Symbol.asyncDispose]();
  const upgrade = H2Session.serverFromUpgrade(serverEnd, { http2Settings: H2Session.upgradeSettings(), request: { path: '/' } });
  const upgradedStream: ServerStream = upgrade.stream;
  void [queuedId, startedId, waiting];
  void [state, status, headers, trailers, windows, rtt, settings, stats, responseTrailers, initiator, upgradedStream, sentBytes, plain, fromStreams, badPolicy];
  // @ts-expect-error streams are made by sessions
  new ClientStream();
  // @ts-expect-error sessions are made by H2Session.client()/server()
  new H2Session();
  // @ts-expect-error request headers are a header list
  client2.request(42);
}
serve(serverEnd, async (request: Request, info: ServeInfo) => {
  const body = await request.text();
  const response = new Response(body) as Response & { trailers?: HeadersInit };
  response.trailers = { 'x-length': String(body.length) };
  void info.rawHeaders;
  return response;
}, { onerror: (error) => void error });
function classify(error: unknown): string {
  if (error instanceof H2RefusedStreamError) return `retry ${error.retryable} ${error.streamId}`;
  if (error instanceof H2StreamResetError) return `reset ${error.code} by ${error.initiator}`;
  if (error instanceof H2FlowControlTimeoutError) return `stalled ${error.kind}`;
  if (error instanceof H2TimeoutError) return `timeout ${error.kind}`;
  if (error instanceof H2GoAwayError) return `goaway ${error.lastStreamId}`;
  if (error instanceof H2ConnectionLostError) return `lost ${String(error.cause)}`;
  if (error instanceof H2QueueFullError) return `queue full at ${error.limit}, retry ${error.retryable}`;
  if (error instanceof H2SessionClosingError || error instanceof H2UsageError) return error.message;
  return 'other';
}

export { v, name, wrong, setting, frame, calm, side, push, upgrade, buffered, frameSize, pairs, state, direction, describeEvent, dataOnly, session, classify };

// ---- byte transports
declare const nodeSocket: NodeSocketLike;
const viaNode: AdaptedTransport = fromNodeSocket(nodeSocket, { readHighWaterMark: 1 << 16 });
const caps: TransportCapabilities = viaNode.capabilities;
const adapted: ByteTransport = viaNode;
const alpn: string | undefined = viaNode.info.alpn;
const chunks: ReadableStream<Uint8Array> = adapted.readable;
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

// ---- connect() and fetch() (Node entry)
async function nodeFetch(): Promise<void> {
  const options: ConnectOptions = { tls: { rejectUnauthorized: false }, signal: AbortSignal.timeout(1000), maxQueuedRequests: 10 };
  const session: H2Session = await connect('https://example.test/', options);
  const viaUrl: H2Session = await connect(new URL('http://127.0.0.1:8080'));
  const response: H2Response = await h2fetch('http://127.0.0.1:8080/', { method: 'POST', body: 'x', connect: { tls: { ca: 'PEM' } } });
  const trailers: Headers = await response.trailers;
  void [session, viaUrl, trailers];
  // @ts-expect-error the URL is required
  await connect();
  // @ts-expect-error tls options are an object
  await connect('https://a/', { tls: 1 });
}
export { nodeFetch };
