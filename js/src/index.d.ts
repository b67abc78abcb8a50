// Hand-written declarations for the h2wasm package (the ones wasm-bindgen generates stay
// internal). They hold for every entry point.

/** Where `init()` may load the WebAssembly module from. */
export type InitSource =
  | string
  | URL
  | Request
  | Response
  | PromiseLike<Response>
  | BufferSource
  | WebAssembly.Module;

/**
 * Makes the package ready. In Node, Deno, Bun and workerd the WebAssembly module is
 * instantiated at import and this resolves at once; in browsers it must be awaited before
 * the first call. Calling it again is harmless.
 *
 * @param source where to load the module from (browsers only); by default the `.wasm` file
 *   shipped next to the entry point.
 */
export function init(source?: InitSource): Promise<void>;

/** The version of the h2wasm crate inside this package, e.g. `"0.1.0"`. */
export function version(): string;

// ---- constants ------------------------------------------------------------------------

/** HTTP/2 error codes (RFC 9113 §7). Unknown codes travel as plain numbers. */
export const ErrorCodes: Readonly<{
  NO_ERROR: 0x0;
  PROTOCOL_ERROR: 0x1;
  INTERNAL_ERROR: 0x2;
  FLOW_CONTROL_ERROR: 0x3;
  SETTINGS_TIMEOUT: 0x4;
  STREAM_CLOSED: 0x5;
  FRAME_SIZE_ERROR: 0x6;
  REFUSED_STREAM: 0x7;
  CANCEL: 0x8;
  COMPRESSION_ERROR: 0x9;
  CONNECT_ERROR: 0xa;
  ENHANCE_YOUR_CALM: 0xb;
  INADEQUATE_SECURITY: 0xc;
  HTTP_1_1_REQUIRED: 0xd;
}>;

/** SETTINGS identifiers (RFC 9113 §6.5.2, RFC 8441, RFC 9218). */
export const SettingCodes: Readonly<{
  HEADER_TABLE_SIZE: 0x1;
  ENABLE_PUSH: 0x2;
  MAX_CONCURRENT_STREAMS: 0x3;
  INITIAL_WINDOW_SIZE: 0x4;
  MAX_FRAME_SIZE: 0x5;
  MAX_HEADER_LIST_SIZE: 0x6;
  ENABLE_CONNECT_PROTOCOL: 0x8;
  NO_RFC7540_PRIORITIES: 0x9;
}>;

/** Frame type codes. */
export const FrameTypes: Readonly<{
  DATA: 0x0;
  HEADERS: 0x1;
  PRIORITY: 0x2;
  RST_STREAM: 0x3;
  SETTINGS: 0x4;
  PUSH_PROMISE: 0x5;
  PING: 0x6;
  GOAWAY: 0x7;
  WINDOW_UPDATE: 0x8;
  CONTINUATION: 0x9;
  ALTSVC: 0xa;
  ORIGIN: 0xc;
  PRIORITY_UPDATE: 0x10;
}>;

/** The RFC name of an HTTP/2 error code (`1` → `"PROTOCOL_ERROR"`), or `undefined`. */
export function errorCodeName(code: number): string | undefined;
/** The RFC name of a SETTINGS identifier, or `undefined`. */
export function settingName(code: number): string | undefined;
/** The registry name of a frame type, or `undefined`. */
export function frameTypeName(type: number): string | undefined;

// ---- headers --------------------------------------------------------------------------

/** Octets of a header name or value: a ByteString (code units ≤ 0xFF) or bytes. */
export type FieldOctets = string | Uint8Array;

/**
 * A header field going out: `[name, value]`, `[name, value, true]` for a field that must
 * never be indexed (credentials), or an object.
 */
export type OutboundHeader =
  | readonly [FieldOctets, FieldOctets]
  | readonly [FieldOctets, FieldOctets, boolean]
  | { name: FieldOctets; value: FieldOctets; sensitive?: boolean };

/** Header lists accepted by `sendHeaders` and `pushStream`. */
export type OutboundHeaders =
  | readonly OutboundHeader[]
  | Iterable<readonly [string, string]>
  | Record<string, string | number | readonly string[]>;

/**
 * A header field received: `[name, value]`, with a third element `true` when the peer sent
 * it never-indexed. Names and values are ByteStrings, or `Uint8Array`s with `rawHeaders`.
 */
export type ReceivedHeader<T = string> = [name: T, value: T] | [name: T, value: T, neverIndexed: true];

// ---- configuration --------------------------------------------------------------------

/** Every limit the engine enforces; unset ones take the default shown. */
export interface Limits {
  /** SETTINGS_MAX_CONCURRENT_STREAMS we advertise and enforce (100). */
  maxConcurrentStreams?: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE we advertise and enforce while decoding (65,536). */
  maxHeaderListSize?: number;
  /** SETTINGS_INITIAL_WINDOW_SIZE we advertise (65,535). */
  initialWindowSize?: number;
  /** SETTINGS_MAX_FRAME_SIZE we advertise and enforce (16,384). */
  maxInboundFrameSize?: number;
  /** SETTINGS_HEADER_TABLE_SIZE we advertise (4,096). */
  headerTableSize?: number;
  /** Our HPACK encoder's table cap whatever the peer allows (4,096). */
  maxEncoderTableSize?: number;
  /** Closed streams remembered for late frames (65,536). */
  maxClosedStreams?: number;
  /** Frames in one header block, HEADERS included (64). */
  maxHeaderBlockFrames?: number;
  /** Octets in one header block before decoding (1,048,576). */
  maxHeaderBlockSize?: number;
  /** Control frames queued in reply to the peer while output is not drained (10,000). */
  maxQueuedControlFrames?: number;
  /** Frame-trace entries kept (4,096). */
  maxTraceEntries?: number;
}

export interface H2ConfigurationOptions {
  /** Client or server (default `true`, client). */
  clientSide?: boolean;
  /** Check outbound header blocks (default `true`). */
  validateOutboundHeaders?: boolean;
  /** Lowercase, strip, drop connection headers, never-index credentials (default `true`). */
  normalizeOutboundHeaders?: boolean;
  /** Split outbound `cookie` values on `"; "` (default `false`). */
  splitOutboundCookies?: boolean;
  /** Check inbound header blocks (default `true`). */
  validateInboundHeaders?: boolean;
  /** Join inbound cookies (default `true`). */
  normalizeInboundHeaders?: boolean;
  /** Advertise SETTINGS_ENABLE_PUSH = 1 (default: yes for clients, no for servers). */
  enablePush?: boolean;
  /** Advertise SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441; default `false`). */
  enableConnectProtocol?: boolean;
  /** Follow the RFCs where python h2 does not (default `false`). */
  strictRfc?: boolean;
  /**
   * A GOAWAY from the peer leaves the connection working for the streams it already accepted
   * (RFC 9113 §6.8) instead of ending everything as python h2 does (default `false`).
   */
  gracefulShutdown?: boolean;
  /**
   * Refuse a peer stream beyond our SETTINGS_MAX_CONCURRENT_STREAMS with RST_STREAM
   * REFUSED_STREAM (retryable, RFC 9113 §5.1.2) instead of python h2's connection error
   * (default `false`; sessions turn it on).
   */
  refuseExcessStreams?: boolean;
  /** Record every frame's header for `takeFrameTrace()` (default `false`). */
  frameTrace?: boolean;
  /** Report header names and values as `Uint8Array`s instead of ByteStrings (default `false`). */
  rawHeaders?: boolean;
  /** Receives the engine's debug messages. */
  logger?: (message: string) => void;
  /** Limits; see {@link Limits}. */
  limits?: Limits;
}

/** python h2's H2Configuration in camelCase, plus h2wasm's limits. */
export class H2Configuration implements H2ConfigurationOptions {
  constructor(options?: H2ConfigurationOptions);
  clientSide: boolean;
  validateOutboundHeaders: boolean;
  normalizeOutboundHeaders: boolean;
  splitOutboundCookies: boolean;
  validateInboundHeaders: boolean;
  normalizeInboundHeaders: boolean;
  enablePush: boolean | undefined;
  enableConnectProtocol: boolean;
  strictRfc: boolean;
  gracefulShutdown: boolean;
  refuseExcessStreams: boolean;
  frameTrace: boolean;
  rawHeaders: boolean;
  logger: ((message: string) => void) | undefined;
  limits: Limits;
}

/** A snapshot of one side's settings in force. */
export class Settings implements Iterable<[number, number]> {
  get(code: number): number | undefined;
  has(code: number): boolean;
  entries(): IterableIterator<[number, number]>;
  [Symbol.iterator](): IterableIterator<[number, number]>;
  readonly headerTableSize: number | undefined;
  readonly enablePush: number | undefined;
  readonly maxConcurrentStreams: number | undefined;
  readonly initialWindowSize: number | undefined;
  readonly maxFrameSize: number | undefined;
  readonly maxHeaderListSize: number | undefined;
  readonly enableConnectProtocol: number | undefined;
}

// ---- events ---------------------------------------------------------------------------

export interface StreamEnded {
  type: 'StreamEnded';
  streamId: number;
}

export interface PriorityUpdated {
  type: 'PriorityUpdated';
  streamId: number;
  /** 1 to 256. */
  weight: number;
  dependsOn: number;
  exclusive: boolean;
}

export interface RequestReceived<T = string> {
  type: 'RequestReceived';
  streamId: number;
  headers: ReceivedHeader<T>[];
  streamEnded: StreamEnded | null;
  priorityUpdated: PriorityUpdated | null;
}

export interface ResponseReceived<T = string> {
  type: 'ResponseReceived';
  streamId: number;
  headers: ReceivedHeader<T>[];
  streamEnded: StreamEnded | null;
  priorityUpdated: PriorityUpdated | null;
}

export interface TrailersReceived<T = string> {
  type: 'TrailersReceived';
  streamId: number;
  headers: ReceivedHeader<T>[];
  streamEnded: StreamEnded | null;
  priorityUpdated: PriorityUpdated | null;
}

export interface InformationalResponseReceived<T = string> {
  type: 'InformationalResponseReceived';
  streamId: number;
  headers: ReceivedHeader<T>[];
  priorityUpdated: PriorityUpdated | null;
}

export interface DataReceived {
  type: 'DataReceived';
  streamId: number;
  data: Uint8Array;
  /** Data plus padding: acknowledge this amount. */
  flowControlledLength: number;
  streamEnded: StreamEnded | null;
}

export interface WindowUpdated {
  type: 'WindowUpdated';
  /** 0 for the connection window. */
  streamId: number;
  delta: number;
}

export interface ChangedSetting {
  setting: number;
  originalValue: number | null;
  newValue: number;
}

export interface RemoteSettingsChanged {
  type: 'RemoteSettingsChanged';
  changedSettings: ChangedSetting[];
}

export interface SettingsAcknowledged {
  type: 'SettingsAcknowledged';
  changedSettings: ChangedSetting[];
}

export interface PingReceived {
  type: 'PingReceived';
  pingData: Uint8Array;
}

export interface PingAckReceived {
  type: 'PingAckReceived';
  pingData: Uint8Array;
}

export interface StreamReset {
  type: 'StreamReset';
  streamId: number;
  errorCode: number;
  /** `false` when this engine reset the stream because of something the peer sent. */
  remoteReset: boolean;
}

export interface PushedStreamReceived<T = string> {
  type: 'PushedStreamReceived';
  pushedStreamId: number;
  parentStreamId: number;
  headers: ReceivedHeader<T>[];
}

export interface ConnectionTerminated {
  type: 'ConnectionTerminated';
  errorCode: number;
  lastStreamId: number;
  additionalData: Uint8Array | null;
}

export interface AlternativeServiceAvailable {
  type: 'AlternativeServiceAvailable';
  origin: string | null;
  fieldValue: string;
}

export interface UnknownFrameReceived {
  type: 'UnknownFrameReceived';
  frame: { type: number; flags: number; streamId: number; payload: Uint8Array };
}

export interface PriorityUpdateReceived {
  type: 'PriorityUpdateReceived';
  prioritizedStreamId: number;
  /** 0 (highest) to 7. */
  urgency: number;
  incremental: boolean;
  fieldValue: string;
}

export interface OriginReceived {
  type: 'OriginReceived';
  origins: string[];
}

/** Everything `receiveData` reports; switch on `type`. */
export type H2Event<T = string> =
  | RequestReceived<T>
  | ResponseReceived<T>
  | TrailersReceived<T>
  | InformationalResponseReceived<T>
  | DataReceived
  | WindowUpdated
  | RemoteSettingsChanged
  | SettingsAcknowledged
  | PingReceived
  | PingAckReceived
  | StreamEnded
  | StreamReset
  | PushedStreamReceived<T>
  | PriorityUpdated
  | ConnectionTerminated
  | AlternativeServiceAvailable
  | UnknownFrameReceived
  | PriorityUpdateReceived
  | OriginReceived;

/** One entry of the frame trace. */
export interface TraceEntry {
  direction: 'in' | 'out';
  type: number;
  typeName: string;
  flags: number;
  streamId: number;
  length: number;
}

// ---- the connection -------------------------------------------------------------------

declare global {
  // `Symbol.dispose` (explicit resource management) is in TypeScript's lib only from
  // `esnext.disposable` on; declared here too, as @types/node does, so that consumers
  // compiling with an older `lib` (say es2022) can still check these declarations.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
}

/** Binary input: bytes or a view of them. */
export type Bytes = Uint8Array | ArrayBuffer | ArrayBufferView;

export interface SendHeadersOptions {
  endStream?: boolean;
  /** Clients only: RFC 7540 priority fields. */
  priorityWeight?: number;
  priorityDependsOn?: number;
  priorityExclusive?: boolean;
}

export interface SendDataOptions {
  endStream?: boolean;
  /** 0 to 255 octets of padding (plus the Pad Length octet). */
  padLength?: number;
}

/**
 * One HTTP/2 connection, sans I/O (python h2's H2Connection in camelCase). Feed the peer's
 * bytes to `receiveData`, act on the events, issue commands, and write `dataToSend()` to the
 * transport. When `receiveData` throws, the GOAWAY is queued: send `dataToSend()` before
 * closing.
 */
export class H2Connection {
  constructor(config?: H2Configuration | H2ConfigurationOptions);
  readonly config: H2Configuration;
  initiateConnection(): void;
  initiateUpgradeConnection(settingsHeader?: FieldOctets): string | undefined;
  getNextAvailableStreamId(): number;
  sendHeaders(streamId: number, headers: OutboundHeaders, options?: SendHeadersOptions | boolean): void;
  sendData(streamId: number, data: Bytes | string, options?: SendDataOptions | boolean): void;
  endStream(streamId: number): void;
  incrementFlowControlWindow(increment: number, streamId?: number | { streamId?: number }): void;
  pushStream(streamId: number, promisedStreamId: number, requestHeaders: OutboundHeaders): void;
  ping(opaqueData: Bytes | string): void;
  resetStream(streamId: number, errorCode?: number): void;
  closeConnection(
    errorCode?: number,
    additionalData?: Bytes | string | { additionalData?: Bytes | string; lastStreamId?: number },
    lastStreamId?: number,
  ): void;
  /** Graceful GOAWAY: streams up to `lastStreamId` may complete; newer ones are refused. */
  sendGoaway(errorCode?: number, options?: { lastStreamId?: number; additionalData?: Bytes | string }): void;
  readonly goawaySent: number | undefined;
  readonly goawayReceived: number | undefined;
  updateSettings(newSettings: Record<number, number> | Map<number, number> | Array<[number, number]>): void;
  advertiseAlternativeService(fieldValue: FieldOctets, options?: { origin?: FieldOctets; streamId?: number }): void;
  prioritize(streamId: number, options?: { weight?: number; dependsOn?: number; exclusive?: boolean }): void;
  localFlowControlWindow(streamId: number): number;
  remoteFlowControlWindow(streamId: number): number;
  acknowledgeReceivedData(acknowledgedSize: number, streamId: number): void;
  dataToSend(amount?: number): Uint8Array;
  readonly outboundBuffered: number;
  clearOutboundDataBuffer(): void;
  receiveData(data: Bytes): H2Event[];
  readonly openOutboundStreams: number;
  readonly openInboundStreams: number;
  readonly inboundFlowControlWindow: number;
  readonly outboundFlowControlWindow: number;
  readonly maxOutboundFrameSize: number;
  readonly maxInboundFrameSize: number;
  readonly highestInboundStreamId: number;
  readonly highestOutboundStreamId: number;
  readonly state: 'Idle' | 'ClientOpen' | 'ServerOpen' | 'Closed';
  streamState(
    streamId: number,
  ): 'Idle' | 'ReservedRemote' | 'ReservedLocal' | 'Open' | 'HalfClosedRemote' | 'HalfClosedLocal' | 'Closed' | undefined;
  readonly localSettings: Settings;
  readonly remoteSettings: Settings;
  sendPriorityUpdate(prioritizedStreamId: number, fieldValue: FieldOctets): void;
  sendOrigin(origins: Iterable<FieldOctets>): void;
  sendExtensionFrame(type: number, flags: number, streamId: number, payload?: Bytes | string): void;
  takeFrameTrace(): TraceEntry[];
  free(): void;
  [Symbol.dispose](): void;
}

// ---- errors ---------------------------------------------------------------------------

/** Who an error comes from: the application, the peer, or h2wasm itself (a timeout, a limit). */
export type ErrorInitiator = 'local' | 'remote' | 'library';

/** Fields accepted by the error constructors. */
export interface H2ErrorDetails {
  code?: number;
  streamId?: number;
  initiator?: ErrorInitiator;
  cause?: unknown;
}

/** Base class of every error h2wasm throws. */
export class H2Error extends Error {
  constructor(message?: string, details?: H2ErrorDetails);
  /** The HTTP/2 error code this error maps to, if it is a protocol error. */
  readonly code: number | undefined;
  /** The stream concerned, if any. */
  readonly streamId: number | undefined;
  /** From `receiveData`: the events of the frames before the failing one. */
  readonly events: H2Event[];
  /** Who the error comes from, where known (the session layer always sets it). */
  initiator: ErrorInitiator | undefined;
  /** Whether the same request may be retried on another connection. */
  readonly retryable: boolean;
}
/** python h2's ProtocolError. */
export class H2ProtocolError extends H2Error {}
export { H2ProtocolError as ProtocolError };
export class FrameTooLargeError extends H2ProtocolError {}
export class FrameDataMissingError extends H2ProtocolError {}
export class TooManyStreamsError extends H2ProtocolError {}
export class FlowControlError extends H2ProtocolError {}
export class StreamIDTooLowError extends H2ProtocolError {
  readonly maxStreamId: number | undefined;
}
export class NoAvailableStreamIDError extends H2ProtocolError {}
export class NoSuchStreamError extends H2ProtocolError {}
export class StreamClosedError extends NoSuchStreamError {}
export class InvalidSettingsValueError extends H2ProtocolError {}
export class InvalidBodyLengthError extends H2ProtocolError {
  readonly expectedLength: number | undefined;
  readonly actualLength: number | undefined;
}
export class DenialOfServiceError extends H2ProtocolError {}
export class RFC1122Error extends H2Error {}
export class InvalidInputError extends H2Error {}

// ---- session-layer errors --------------------------------------------------------------

/** A GOAWAY ended the connection (`code` is its error code). */
export class H2GoAwayError extends H2Error {
  constructor(message?: string, details?: H2ErrorDetails & { lastStreamId?: number; debugData?: Uint8Array });
  readonly lastStreamId: number | undefined;
  readonly debugData: Uint8Array | undefined;
}
/** RST_STREAM ended a stream (`code` is its error code, `initiator` who sent it). */
export class H2StreamResetError extends H2Error {}
/** REFUSED_STREAM, or a stream above the peer's GOAWAY last id: `retryable` is true. */
export class H2RefusedStreamError extends H2StreamResetError {}
/** Which deadline passed. */
export type TimeoutKind =
  | 'handshake'
  | 'settingsAck'
  | 'ping'
  | 'keepAlive'
  | 'idle'
  | 'request'
  | 'flowControl'
  | 'close'
  | 'goawayFlush'
  | 'linger';
/** A deadline passed. */
export class H2TimeoutError extends H2Error {
  constructor(message?: string, details?: H2ErrorDetails & { kind?: TimeoutKind });
  readonly kind: TimeoutKind | undefined;
}
/** A write made no flow-control progress for `flowControlTimeoutMs` (kind `'flowControl'`). */
export class H2FlowControlTimeoutError extends H2TimeoutError {}
/** The transport ended under the session; `cause` says how. */
export class H2ConnectionLostError extends H2Error {}
/** The API was used the wrong way. */
export class H2UsageError extends H2Error {}
/** No new stream: GOAWAY sent or received, or the session is closed (`retryable`). */
export class H2SessionClosingError extends H2Error {}
/**
 * A client request found every stream slot taken and `maxQueuedRequests` requests already
 * queued; nothing was sent (`retryable`).
 */
export class H2QueueFullError extends H2Error {
  /** The queue's capacity (`maxQueuedRequests`). */
  readonly limit: number | undefined;
}

// ---- transports -------------------------------------------------------------------------

/** What a transport can do; see docs/session.md. */
export interface TransportCapabilities {
  /** Closing `writable` ends our direction only (a FIN); the peer's last bytes still arrive. */
  halfClose: boolean;
  /** Not reading `readable` makes the peer stop sending. */
  readBackpressure: boolean;
}

/** What is known of the connection under a transport. */
export interface TransportInfo {
  alpn?: string;
  secure?: boolean;
  remote?: string;
}

/** A byte stream both ways: what an H2Session runs on. */
export interface ByteTransport {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  /** Settles when the underlying connection is gone. */
  closed?: Promise<unknown>;
  /** Hard close of both directions. */
  close?(reason?: unknown): void | Promise<void>;
  capabilities: TransportCapabilities;
  info?: TransportInfo;
}

/** What `H2Session.client/server` accept: a ByteTransport or a bare Web Streams pair. */
export type TransportLike = ByteTransport | { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };

export interface FromWebStreamsOptions {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  closed?: Promise<unknown>;
  close?(reason?: unknown): void | Promise<void>;
  /** Default `false`. */
  halfClose?: boolean;
  /** Default `true`. */
  readBackpressure?: boolean;
  info?: TransportInfo;
}

/** A ByteTransport over a Web Streams pair. */
export function fromWebStreams(options: FromWebStreamsOptions): ByteTransport;

/** The clock a session (or a memory transport) uses; inject a fake one in tests. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: any): void;
}

export interface MemoryTransportOptions {
  /** Each write reaches the peer in pieces of this size, or of the sizes returned. */
  chunking?: number | ((length: number) => number[]);
  /** Delivery delay, on `clock` (default 0). */
  latencyMs?: number;
  /** Octets a direction buffers before writes wait for the reader (default 64 KiB). */
  writeHighWaterMark?: number;
  clock?: Clock;
  /** Declared capabilities (default `true`). */
  halfClose?: boolean;
  readBackpressure?: boolean;
}

/** One end of a memory connection, with test controls. */
export interface MemoryTransport extends ByteTransport {
  readonly closed: Promise<void>;
  close(): void;
  /** Holds back everything this side writes until `resumeWrites()`. */
  stallWrites(): void;
  resumeWrites(): void;
  /** Drops the connection: pending and later reads and writes on both sides fail. */
  drop(error?: unknown): void;
  /** Copies of every chunk this side wrote. */
  readonly sent: Uint8Array[];
  sentBytes(): Uint8Array;
  readonly bytesDelivered: number;
  readonly bytesInFlight: number;
}

/** Two connected transports: what the first writes, the second reads, and back. */
export function memoryTransportPair(options?: MemoryTransportOptions): [MemoryTransport, MemoryTransport];

// ---- the session ------------------------------------------------------------------------

/** `'handshaking'` until the peer's SETTINGS, `'open'`, `'closing'` after a GOAWAY, `'closed'`. */
export type SessionState = 'handshaking' | 'open' | 'closing' | 'closed';

/** How a session ended. */
export interface CloseInfo {
  /** Who ended it: we ('local'), the peer's GOAWAY ('remote'), or the transport. */
  readonly initiator: 'local' | 'remote' | 'transport';
  /** The GOAWAY's error code (INTERNAL_ERROR for a lost transport). */
  readonly code: number;
  readonly lastStreamId: number;
  /** Set unless the end was clean. */
  readonly error?: H2Error;
}

/** A GOAWAY received. */
export interface GoAwayInfo {
  readonly code: number;
  readonly lastStreamId: number;
  readonly debugData: Uint8Array | undefined;
}

/** A request as a stream carries it; `headers` are the regular fields, in order, repeats kept. */
export interface StreamRequest {
  readonly method: string | undefined;
  readonly scheme: string | undefined;
  readonly authority: string | undefined;
  readonly path: string | undefined;
  readonly protocol: string | undefined;
  readonly headers: readonly ReceivedHeader[];
}

/** A response head (final or informational). */
export interface ResponseHead {
  status: number;
  headers: ReceivedHeader[];
}

/** A record for the `trace` option. */
export type TraceRecord = { at: number } & (
  | ({ kind: 'frame' } & TraceEntry)
  | { kind: 'state'; from: SessionState | null; to: SessionState }
  | { kind: 'reset'; streamId: number; code: number; initiator: ErrorInitiator }
  | { kind: 'goaway'; direction: 'in' | 'out'; code: number; lastStreamId: number }
  | { kind: 'timeout'; timeout: TimeoutKind; streamId?: number }
  | ({ kind: 'closed' } & Omit<CloseInfo, never>)
);

export interface H2SessionOptions {
  /** Our SETTINGS (engine limits): see {@link Limits}. */
  maxConcurrentStreams?: number;
  initialWindowSize?: number;
  maxHeaderListSize?: number;
  maxFrameSize?: number;
  headerTableSize?: number;
  /** Client: offer server push (default: whether `onpush` is set). */
  enablePush?: boolean;
  /** Server: advertise extended CONNECT, RFC 8441 (default `false`). */
  enableConnectProtocol?: boolean;
  /** Our connection receive window (default 1 MiB; the RFC's initial 65,535 is raised at once). */
  connectionWindowSize?: number;
  /** Other engine options (validation, normalisation, limits). */
  engine?: Omit<H2ConfigurationOptions, 'clientSide' | 'gracefulShutdown' | 'frameTrace' | 'rawHeaders'>;
  /** Default the real clock. */
  clock?: Clock;
  /** Preface plus the peer's first SETTINGS (10,000 ms). */
  handshakeTimeoutMs?: number;
  /** Each SETTINGS we send (10,000 ms); on expiry GOAWAY(SETTINGS_TIMEOUT). */
  settingsAckTimeoutMs?: number;
  /** Graceful close after this long without a stream (0: never, the default). */
  idleTimeoutMs?: number;
  /** PING after `intervalMs` without a frame; no ACK in `timeoutMs` ends the session. */
  keepAlive?: { intervalMs: number; timeoutMs?: number } | null;
  /** A write's time without progress (30,000 ms; 0: none). */
  flowControlTimeoutMs?: number;
  /** What a flow-control timeout does besides rejecting the write (default 'reset'). */
  onFlowControlTimeout?: 'reset' | 'error';
  /** close()'s default time for streams to finish (30,000 ms). */
  closeTimeoutMs?: number;
  /** Bound on flushing a final GOAWAY (1,000 ms). */
  goawayFlushTimeoutMs?: number;
  /** Wait for the PING ACK between a server's two GOAWAYs (1,000 ms). */
  goawayRttTimeoutMs?: number;
  /** Wait for the peer's EOF after our FIN (1,000 ms). */
  lingerMs?: number;
  /** Transport backlog under which writes resolve (128 KiB). */
  outboundHighWaterMark?: number;
  /** Each stream's WritableStream high-water mark, in octets (64 KiB). */
  writableHighWaterMark?: number;
  /** Replies the peer does not read before GOAWAY(ENHANCE_YOUR_CALM) (64 KiB). */
  maxOutboundControlBytes?: number;
  /** Data received and not read, across streams (16 MiB). */
  maxInboundBufferedBytes?: number;
  /**
   * Client: requests that may wait for a stream slot when the peer's MAX_CONCURRENT_STREAMS
   * is reached (1,000; 0: none). Beyond it `request()` throws H2QueueFullError.
   */
  maxQueuedRequests?: number;
  /** Peer resets of unanswered streams within `rapidResetWindowMs` (100; 0: no limit). */
  maxRapidResets?: number;
  rapidResetWindowMs?: number;
  /** Receives frames in and out, state changes, resets, GOAWAYs and timeouts. */
  trace?: (record: TraceRecord) => void;
  onstream?: ((stream: ServerStream) => unknown) | null;
  onpush?: ((pushed: ClientStream, parent: ClientStream | undefined) => boolean | void) | null;
  ongoaway?: ((info: GoAwayInfo) => unknown) | null;
}

export interface RequestOptions {
  /** Sent, then the stream is ended. */
  body?: Uint8Array | ArrayBuffer | ArrayBufferView | string | Blob | ReadableStream<Uint8Array>;
  /** Default: `true` without a body, except for CONNECT. */
  endStream?: boolean;
  /** Resets the stream with CANCEL. */
  signal?: AbortSignal;
  /** Bound on the wait for the response headers, time spent queued included. */
  timeoutMs?: number;
  /**
   * RFC 9218 priority, sent as the `priority` field (none when both are defaults). TypeError
   * for a wrong type, RangeError for an urgency outside 0..7.
   */
  priority?: PriorityInit;
}

/** An RFC 9218 priority signal: members left out take their defaults. */
export interface PriorityInit {
  /** 0 (most urgent) to 7; default 3. */
  urgency?: number;
  /** Whether the response is useful in parts (shares bandwidth); default false. */
  incremental?: boolean;
}

/** A stream's RFC 9218 priority. */
export interface StreamPriority {
  readonly urgency: number;
  readonly incremental: boolean;
}

/**
 * `session.fetch()`'s init: `priority` is an RFC 9218 object, or one of Fetch's priority
 * hints, which are accepted and ignored.
 */
export type H2RequestInit = Omit<RequestInit, 'priority'> & { priority?: PriorityInit | 'high' | 'low' | 'auto' };

export interface SessionStats {
  state: SessionState;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
  streamsOpen: number;
  streamsTotal: number;
  resetsSent: number;
  resetsReceived: number;
  pingsSent: number;
  rttMs: number | undefined;
  sendWindow: number;
  receiveWindow: number;
  bufferedAmount: number;
  inboundBuffered: number;
  blockedStreams: number;
  /** Client requests waiting for a stream slot. */
  queuedRequests: number;
}

/** The Response of `session.fetch()`, with what a standard Response cannot carry. */
export type H2Response = Response & {
  /** The response trailers (empty Headers when none). */
  readonly trailers: Promise<Headers>;
  /** The received fields, in order, repeats kept. */
  readonly rawHeaders: readonly ReceivedHeader[];
  readonly stream: ClientStream;
};

/** A settings change for `updateSettings`. */
export type SettingsUpdate =
  | { [K in 'headerTableSize' | 'enablePush' | 'maxConcurrentStreams' | 'initialWindowSize' | 'maxFrameSize' | 'maxHeaderListSize' | 'enableConnectProtocol']?: number | boolean }
  | Record<number, number>
  | Map<number, number>
  | Array<[number, number]>;

export interface UpgradeRequest {
  method?: string;
  scheme?: string;
  authority?: string;
  path?: string;
  headers?: OutboundHeaders;
}

/** One HTTP/2 connection over a ByteTransport, driven for the application. */
export class H2Session {
  private constructor();
  static client(transport: TransportLike, options?: H2SessionOptions): H2Session;
  static server(transport: TransportLike, options?: H2SessionOptions): H2Session;
  /** After an `Upgrade: h2c` the caller answered with 101: stream 1 is the upgraded request. */
  static serverFromUpgrade(
    transport: TransportLike,
    options: H2SessionOptions & { http2Settings: string | Uint8Array; request?: UpgradeRequest; head?: Uint8Array },
  ): { session: H2Session; stream: ServerStream };
  /** After the server's 101: stream 1 receives the response to the upgraded request. */
  static clientFromUpgrade(
    transport: TransportLike,
    options?: H2SessionOptions & { http2Settings?: string; request?: UpgradeRequest; head?: Uint8Array },
  ): { session: H2Session; stream: ClientStream };
  /** The HTTP2-Settings value a client with `options` sends. */
  static upgradeSettings(options?: H2SessionOptions): string;
  readonly role: 'client' | 'server';
  readonly state: SessionState;
  readonly ready: Promise<void>;
  readonly closed: Promise<CloseInfo>;
  readonly localSettings: Settings;
  readonly remoteSettings: Settings;
  readonly bufferedAmount: number;
  onstream: ((stream: ServerStream) => unknown) | null;
  onpush: ((pushed: ClientStream, parent: ClientStream | undefined) => boolean | void) | null;
  ongoaway: ((info: GoAwayInfo) => unknown) | null;
  stats(): SessionStats;
  /**
   * Opens a request stream; beyond the peer's MAX_CONCURRENT_STREAMS it waits in a FIFO
   * queue (its `id` is `null` until it starts). Throws H2QueueFullError when the queue is
   * full, H2SessionClosingError once GOAWAY was sent or received.
   */
  request(headers: OutboundHeaders, options?: RequestOptions): ClientStream;
  fetch(input: string | URL | Request, init?: H2RequestInit): Promise<H2Response>;
  incoming(): AsyncIterableIterator<ServerStream>;
  ping(payload?: Uint8Array | string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<number>;
  updateSettings(settings: SettingsUpdate, options?: { timeoutMs?: number }): Promise<Settings>;
  setConnectionWindow(bytes: number): void;
  close(options?: { code?: number; debug?: string | Uint8Array; timeoutMs?: number }): Promise<CloseInfo>;
  destroy(error?: unknown, code?: number): Promise<CloseInfo>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** What both kinds of stream share. */
export class H2Stream {
  protected constructor();
  /** The stream id; `null` while a client request waits in the queue for a stream slot. */
  readonly id: number | null;
  readonly session: H2Session;
  /** Aborted with the error when the stream is reset or its session ends. */
  readonly signal: AbortSignal;
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array | string | ArrayBuffer | ArrayBufferView>;
  readonly trailers: Promise<ReceivedHeader[] | null>;
  readonly closed: Promise<void>;
  readonly localWindow: number;
  readonly remoteWindow: number;
  readonly localEnded: boolean;
  readonly remoteEnded: boolean;
  /**
   * RFC 9218: on a server what the client signalled (header, then PRIORITY_UPDATE), on a
   * client what we signalled. Our outbound DATA is scheduled by it.
   */
  readonly priority: StreamPriority;
  write(chunk: Uint8Array | string | ArrayBuffer | ArrayBufferView, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<void>;
  end(trailers?: OutboundHeaders): Promise<void>;
  reset(code?: number): void;
}

/** A request to answer (or a stream we pushed). */
export class ServerStream extends H2Stream {
  readonly id: number;
  readonly request: StreamRequest;
  readonly pushed: boolean;
  readonly responded: boolean;
  respond(status: number, headers?: OutboundHeaders, options?: { endStream?: boolean }): void;
  informational(status: number, headers?: OutboundHeaders): void;
  push(headers: OutboundHeaders | UpgradeRequest & { path: string; method?: string }): ServerStream;
}

/** A request we sent (or a stream the server pushed). */
export class ClientStream extends H2Stream {
  readonly request: StreamRequest;
  readonly pushed: boolean;
  readonly response: Promise<ResponseHead>;
  oninformational: ((info: ResponseHead) => unknown) | null;
  /**
   * Sends PRIORITY_UPDATE with this complete signal (a queued request starts with it
   * instead). TypeError/RangeError on a bad argument, H2UsageError once the stream ended or
   * for a pushed stream.
   */
  setPriority(priority: PriorityInit): void;
}

/** What a `serve()` handler gets besides the Request. */
export interface ServeInfo {
  stream: ServerStream;
  session: H2Session;
  rawHeaders: readonly ReceivedHeader[];
  trailers: Promise<ReceivedHeader[] | null>;
}

/** A handler's Response may carry trailers, sent after its body. */
export type ServeResponse = Response & { trailers?: HeadersInit | Promise<HeadersInit> | (() => HeadersInit | Promise<HeadersInit>) };

export interface ServeOptions extends H2SessionOptions {
  /** Errors of the handler (answered 500) or of sending its response (reset). */
  onerror?: (error: unknown, request: Request | undefined) => void;
  /** CONNECT requests (a Request cannot describe them); default: 501. */
  onconnect?: (stream: ServerStream) => unknown;
}

/** Answers every request of a server session (made from `target` if it is a transport). */
export function serve(
  target: H2Session | TransportLike,
  handler: (request: Request, info: ServeInfo) => ServeResponse | Promise<ServeResponse>,
  options?: ServeOptions,
): H2Session;

// ---- transport adapters -----------------------------------------------------------------
// Adapters that turn a connection into a ByteTransport (above). Each adapter's caveats are in
// its source file (js/src/transports/) and docs/transports.md.

/** The transports the adapters return: `closed`, `close()` and `info` are always there. */
export interface AdaptedTransport extends ByteTransport {
  closed: Promise<unknown>;
  /** Closes both directions at once; the streams error with `reason`; resolves when closed. */
  close(reason?: unknown): Promise<void>;
  info: TransportInfo;
}

/** `error.code` of the errors the adapters create themselves. */
export const TransportErrorCodes: Readonly<{
  CLOSED: 'ERR_TRANSPORT_CLOSED';
  LOST: 'ERR_TRANSPORT_LOST';
  INBOUND_CAP: 'ERR_TRANSPORT_INBOUND_CAP';
  NOT_BYTES: 'ERR_TRANSPORT_NOT_BYTES';
  ALPN: 'ERR_TRANSPORT_ALPN';
}>;

/** The parts of a Node `net.Socket` / `tls.TLSSocket` that `fromNodeSocket` uses. */
export interface NodeSocketLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  write(chunk: Uint8Array, callback: (error?: Error | null) => void): boolean;
  end(): unknown;
  destroy(): unknown;
  pause(): unknown;
  resume(): unknown;
  isPaused(): boolean;
  readonly destroyed: boolean;
  readonly writableFinished: boolean;
  readonly allowHalfOpen?: boolean;
  readonly closed?: boolean;
  readonly alpnProtocol?: string | false | null;
  readonly encrypted?: boolean;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}

/**
 * A Node socket as a transport: pull-based reading with `pause()`/`resume()`, writes that
 * resolve on the write callback, half-close through `end()` when `socket.allowHalfOpen`.
 */
export function fromNodeSocket(socket: NodeSocketLike, options?: { readHighWaterMark?: number }): AdaptedTransport;

export interface ConnectNodeOptions {
  /** Default `'localhost'`. */
  host?: string;
  port: number;
  /** TLS (true, or extra `tls.connect` options); without it, h2c with prior knowledge. */
  tls?: boolean | Record<string, unknown>;
  servername?: string;
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Offered through ALPN (TLS); default `['h2']`. The connection is refused unless `h2` is picked. */
  ALPNProtocols?: string[];
  signal?: AbortSignal;
  readHighWaterMark?: number;
  /** Anything else goes to `net.connect` / `tls.connect`. */
  [option: string]: unknown;
}

/**
 * Node, Deno and Bun only (the package's Node entry point): connects with `node:net` or
 * `node:tls` and resolves with the transport; with TLS, rejects (code ERR_TRANSPORT_ALPN)
 * unless ALPN picked `h2`.
 */
export function connectNode(options: ConnectNodeOptions): Promise<AdaptedTransport>;

/** Options of `connect()` (and `init.connect` of the Node `fetch()`): session options plus the connection's. */
export interface ConnectOptions extends H2SessionOptions {
  /** Extra `tls.connect` options for `https:` URLs: `ca`, `rejectUnauthorized`, `servername`, `cert`, `key`, … */
  tls?: Record<string, unknown>;
  /** Aborts the connection attempt. */
  signal?: AbortSignal;
}

/**
 * Node, Deno and Bun only: opens a connection to the origin of `url` (h2c with prior
 * knowledge for `http:`, TLS with ALPN `h2` for `https:`) and resolves with a client session
 * on it once the connection is up. Close the session when done.
 */
export function connect(url: string | URL, options?: ConnectOptions): Promise<H2Session>;

/**
 * Node, Deno and Bun only: `fetch()` over HTTP/2 on a connection of its own (see `connect`),
 * closed once the response has ended or its body was cancelled.
 */
export function fetch(input: string | URL | Request, init?: H2RequestInit & { connect?: ConnectOptions }): Promise<H2Response>;

/** The parts of a classic WebSocket (DOM, Deno, Bun, npm `ws`) that `fromWebSocket` uses. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly url?: string;
  /** Called with a Uint8Array (typed loosely so that every implementation fits). */
  send(data: any): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
  addEventListener?(type: string, listener: (event: any) => void): void;
  removeEventListener?(type: string, listener: (event: any) => void): void;
  on?(event: string, listener: (...args: any[]) => void): unknown;
  off?(event: string, listener: (...args: any[]) => void): unknown;
}

export interface FromWebSocketOptions {
  /** Errors the transport once more inbound octets than this wait unread (default: no cap). */
  maxBufferedBytes?: number;
  /** Writes wait while `bufferedAmount` is above this (default 1 MiB). */
  writeHighWaterMark?: number;
  /** How often that wait polls `bufferedAmount` (default 10 ms). */
  pollIntervalMs?: number;
}

/**
 * A classic WebSocket as a transport: binary messages are chunks; no read backpressure
 * (use `maxBufferedBytes`), no half-close; write backpressure by polling `bufferedAmount`.
 */
export function fromWebSocket(ws: WebSocketLike, options?: FromWebSocketOptions): AdaptedTransport;

/** The parts of a `WebSocketStream` that `fromWebSocketStream` uses. */
export interface WebSocketStreamLike {
  readonly url?: string;
  readonly opened: Promise<{ readable: ReadableStream<any>; writable: WritableStream<any> }>;
  readonly closed: Promise<unknown>;
  close(closeInfo?: { closeCode?: number; reason?: string }): void;
}

/**
 * Resolves once the WebSocketStream opened. Messages are chunks; no half-close;
 * `readBackpressure` is declared false unless `options.readBackpressure` says otherwise.
 */
export function fromWebSocketStream(
  wss: WebSocketStreamLike,
  options?: { readBackpressure?: boolean },
): Promise<AdaptedTransport>;

/**
 * One WebTransport bidirectional stream as a transport: half-close sends FIN; `close()` and
 * abort reset the stream.
 */
export function fromWebTransportStream(bidi: {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
}): AdaptedTransport;

/** The parts of a `Deno.Conn` (or `Deno.TlsConn`) that `fromDenoConn` uses. */
export interface DenoConnLike {
  read(buffer: Uint8Array): Promise<number | null>;
  readonly writable: WritableStream<Uint8Array>;
  closeWrite(): Promise<void>;
  close(): void;
  readonly remoteAddr: { transport: string; hostname?: string; port?: number; path?: string };
  handshake?(): Promise<{ alpnProtocol: string | null }>;
}

/**
 * A Deno connection as a transport (resolves after the TLS handshake, if any). The transport
 * owns `conn.close()` from then on.
 */
export function fromDenoConn(conn: DenoConnLike, options?: { readSize?: number }): Promise<AdaptedTransport>;

/** The parts of a Cloudflare `connect()` socket that `fromCloudflareSocket` uses. */
export interface CloudflareSocketLike {
  readonly readable: ReadableStream<any>;
  readonly writable: WritableStream<any>;
  readonly opened: Promise<{ remoteAddress?: string; localAddress?: string }>;
  readonly closed: Promise<unknown>;
  close(): Promise<unknown> | void;
}

/**
 * A Cloudflare socket as a transport (resolves once it opened). ALPN is not exposed: use h2
 * with prior knowledge or know the server. Pass the options given to `connect()`:
 * `allowHalfOpen` decides `halfClose`, `secureTransport: 'on'` sets `info.secure`.
 */
export function fromCloudflareSocket(
  socket: CloudflareSocketLike,
  options?: { allowHalfOpen?: boolean; secureTransport?: 'off' | 'on' | 'starttls' },
): Promise<AdaptedTransport>;
