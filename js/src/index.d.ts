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

/** Base class of every error h2wasm throws. */
export class H2Error extends Error {
  /** The HTTP/2 error code this error maps to, if it is a protocol error. */
  readonly code: number | undefined;
  /** The stream concerned, if any. */
  readonly streamId: number | undefined;
  /** From `receiveData`: the events of the frames before the failing one. */
  readonly events: H2Event[];
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

// ---- byte transports ------------------------------------------------------------------
// Adapters that turn a connection into the byte stream pair a session driver runs over.
// Each adapter's caveats are in its source file (js/src/transports/) and docs/transports.md.

/** What a transport can do. */
export interface TransportCapabilities {
  /** `writable.close()` sends FIN/end while reading goes on (and the peer's EOF leaves writing open). */
  halfClose: boolean;
  /** Not reading `readable` stops the peer from sending (no unbounded buffering). */
  readBackpressure: boolean;
}

/** What is known about the connection. */
export interface TransportInfo {
  /** The protocol TLS ALPN negotiated, e.g. `'h2'`. */
  alpn?: string;
  secure?: boolean;
  /** The peer, e.g. `'127.0.0.1:8443'` or a URL. */
  remote?: string;
}

/**
 * A byte stream pair. Read EOF ends `readable`; a connection error errors it and settles
 * `closed`. A write resolves when the underlying layer accepted the whole chunk.
 */
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
