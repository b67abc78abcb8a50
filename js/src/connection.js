// The low-level H2Connection: python h2's H2Connection API in camelCase, over the engine in
// WebAssembly. Bytes in (`receiveData`), events out; commands queue frames; `dataToSend`
// drains them. No I/O, no timers.

import { RawConnection } from './wasm/h2wasm.js';
import { assertReady } from './core.js';
import { frameTypeName, SETTING_IDS } from './constants.js';
import { fromBinding, InvalidInputError } from './errors.js';
import { decodeEvents } from './events.js';
import { byteString, bytesOf, dataOf, fieldOctets, packHeaders } from './octets.js';

const BOOLEAN_OPTIONS = [
  'clientSide',
  'validateOutboundHeaders',
  'normalizeOutboundHeaders',
  'splitOutboundCookies',
  'validateInboundHeaders',
  'normalizeInboundHeaders',
  'enableConnectProtocol',
  'strictRfc',
  'gracefulShutdown',
  'refuseExcessStreams',
  'frameTrace',
  'rawHeaders',
];

const LIMITS = [
  'maxConcurrentStreams',
  'maxHeaderListSize',
  'initialWindowSize',
  'maxInboundFrameSize',
  'headerTableSize',
  'maxEncoderTableSize',
  'maxClosedStreams',
  'maxHeaderBlockFrames',
  'maxHeaderBlockSize',
  'maxQueuedControlFrames',
  'maxTraceEntries',
];

/**
 * How a connection behaves: python h2's H2Configuration (camelCase) plus h2wasm's limits.
 * Every option is optional; see index.d.ts for the defaults.
 */
export class H2Configuration {
  constructor(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidInputError('configuration must be an object');
    }
    this.clientSide = true;
    this.validateOutboundHeaders = true;
    this.normalizeOutboundHeaders = true;
    this.splitOutboundCookies = false;
    this.validateInboundHeaders = true;
    this.normalizeInboundHeaders = true;
    this.enablePush = undefined;
    this.enableConnectProtocol = false;
    this.strictRfc = false;
    this.gracefulShutdown = false;
    this.refuseExcessStreams = false;
    this.frameTrace = false;
    this.rawHeaders = false;
    this.logger = undefined;
    this.limits = {};
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue;
      if (BOOLEAN_OPTIONS.includes(key) || key === 'enablePush') {
        if (typeof value !== 'boolean') {
          throw new InvalidInputError(`configuration option ${key} must be a boolean, got ${typeof value}`);
        }
      } else if (key === 'logger') {
        if (typeof value !== 'function') throw new InvalidInputError('logger must be a function');
      } else if (key === 'limits') {
        if (value === null || typeof value !== 'object') {
          throw new InvalidInputError(`configuration option limits must be an object, got ${value}`);
        }
        const limits = {};
        for (const [name, limit] of Object.entries(value)) {
          if (!LIMITS.includes(name)) throw new InvalidInputError(`unknown limit ${name}`);
          if (limit === undefined) continue; // unset, like an undefined option
          if (!Number.isInteger(limit) || limit < 0 || limit > 0xffffffff) {
            throw new InvalidInputError(`limit ${name} must be an integer in 0..2^32-1`);
          }
          limits[name] = limit;
        }
        this.limits = limits;
        continue;
      } else {
        throw new InvalidInputError(`unknown configuration option ${key}`);
      }
      this[key] = value;
    }
  }

  /** The object handed to the binding. */
  toBinding() {
    const out = { logger: typeof this.logger === 'function', limits: this.limits };
    for (const key of BOOLEAN_OPTIONS) out[key] = this[key];
    if (this.enablePush !== undefined) out.enablePush = this.enablePush;
    return out;
  }
}

/** A read-only snapshot of one side's settings in force (python h2's `Settings`). */
export class Settings {
  #values;
  constructor(flat) {
    this.#values = new Map();
    for (let i = 0; i + 1 < flat.length; i += 2) this.#values.set(flat[i], flat[i + 1]);
    for (const [name, code] of Object.entries(SETTING_IDS)) {
      Object.defineProperty(this, name, { value: this.#values.get(code), enumerable: true });
    }
  }
  /** The value in force for an identifier, or `undefined`. */
  get(code) {
    return this.#values.get(code);
  }
  has(code) {
    return this.#values.has(code);
  }
  /** `[identifier, value]` pairs in the order they were first set. */
  entries() {
    return this.#values.entries();
  }
  [Symbol.iterator]() {
    return this.#values.entries();
  }
}

function call(fn) {
  try {
    return fn();
  } catch (e) {
    throw fromBinding(e);
  }
}

function optionalId(value, what) {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new InvalidInputError(`${what} must be an integer in 0..2^32-1`);
  }
  return value;
}

function id(value, what = 'streamId') {
  const v = optionalId(value, what);
  if (v === undefined) throw new InvalidInputError(`${what} is required`);
  return v;
}

function octet(value, what) {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new InvalidInputError(`${what} must be an integer in 0..255`);
  }
  return value;
}

function isOptions(value) {
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer);
}

function opaque(value, what) {
  return typeof value === 'string' ? byteString(value, what) : bytesOf(value, what);
}

/**
 * One HTTP/2 connection, sans I/O. Feed the peer's bytes to `receiveData`, act on the events,
 * issue commands, and write `dataToSend()` to the transport. When `receiveData` throws, the
 * connection is dead but the GOAWAY explaining why is queued: send `dataToSend()` before
 * closing the transport.
 */
export class H2Connection {
  #raw;
  #config;

  constructor(config = new H2Configuration()) {
    assertReady();
    this.#config = config instanceof H2Configuration ? config : new H2Configuration(config);
    this.#raw = call(() => new RawConnection(this.#config.toBinding()));
  }

  /** The engine, or a clear error once `free()` was called. */
  get #live() {
    if (this.#raw === undefined) throw new Error('h2wasm: this H2Connection was freed; create a new one');
    return this.#raw;
  }

  /** The configuration. */
  get config() {
    return this.#config;
  }

  #flushLog() {
    if (this.#config.logger && this.#raw !== undefined) {
      for (const line of this.#raw.takeLog()) this.#config.logger(line);
    }
  }

  #do(fn) {
    try {
      return call(fn);
    } finally {
      this.#flushLog();
    }
  }

  /** Queues the preface (client) and the initial SETTINGS. Both roles call it first. */
  initiateConnection() {
    this.#do(() => this.#live.initiateConnection());
  }

  /**
   * h2c upgrade. A client gets the `HTTP2-Settings` header value to send; a server passes the
   * client's header value and gets `undefined`.
   */
  initiateUpgradeConnection(settingsHeader) {
    const header = settingsHeader === undefined || settingsHeader === null ? undefined : fieldOctets(settingsHeader, 'settingsHeader');
    return this.#do(() => this.#live.initiateUpgradeConnection(header)) ?? undefined;
  }

  /** The next stream id this side may open (not reserved until used). */
  getNextAvailableStreamId() {
    return this.#do(() => this.#live.getNextAvailableStreamId());
  }

  /**
   * Sends a header block: a request, a response (1xx or final) or trailers.
   * `options` is `{ endStream, priorityWeight, priorityDependsOn, priorityExclusive }`, or a
   * boolean `endStream`.
   */
  sendHeaders(streamId, headers, options = {}) {
    const o = typeof options === 'boolean' ? { endStream: options } : options;
    const packed = packHeaders(headers);
    this.#do(() =>
      this.#live.sendHeaders(
        id(streamId),
        packed,
        o.endStream === true,
        optionalId(o.priorityWeight, 'priorityWeight'),
        optionalId(o.priorityDependsOn, 'priorityDependsOn'),
        o.priorityExclusive ?? undefined,
      ),
    );
  }

  /**
   * Sends data (bytes, or a string as UTF-8). Data larger than the peer's frame size is split.
   * `options` is `{ endStream, padLength }`, or a boolean `endStream`.
   */
  sendData(streamId, data, options = {}) {
    const o = typeof options === 'boolean' ? { endStream: options } : options;
    const pad = o.padLength;
    if (pad !== undefined && pad !== null && (!Number.isInteger(pad) || pad < 0 || pad > 255)) {
      throw new InvalidInputError('padLength must be an integer within [0, 255]');
    }
    const bytes = dataOf(data);
    this.#do(() => this.#live.sendData(id(streamId), bytes, o.endStream === true, pad ?? undefined));
  }

  /** Ends our side of a stream with an empty DATA frame carrying END_STREAM. */
  endStream(streamId) {
    this.#do(() => this.#live.endStream(id(streamId)));
  }

  /** Opens a receive window by `increment`: the connection's, or a stream's. */
  incrementFlowControlWindow(increment, streamId) {
    const sid = isOptions(streamId) ? streamId.streamId : streamId;
    if (!Number.isInteger(increment) || increment < 1 || increment > 0x7fffffff) {
      throw new InvalidInputError('increment must be an integer between 1 and 2^31-1');
    }
    this.#do(() => this.#live.incrementFlowControlWindow(increment, optionalId(sid, 'streamId')));
  }

  /** Server push: promises `promisedStreamId` on `streamId` with the promised request headers. */
  pushStream(streamId, promisedStreamId, requestHeaders) {
    const packed = packHeaders(requestHeaders);
    this.#do(() => this.#live.pushStream(id(streamId), id(promisedStreamId, 'promisedStreamId'), packed));
  }

  /** Sends a PING with exactly 8 octets of opaque data. */
  ping(opaqueData) {
    const bytes = opaque(opaqueData, 'opaqueData');
    this.#do(() => this.#live.ping(bytes));
  }

  /** Resets a stream (error code NO_ERROR by default, as in h2). */
  resetStream(streamId, errorCode = 0) {
    this.#do(() => this.#live.resetStream(id(streamId), id(errorCode, 'errorCode')));
  }

  /**
   * Sends GOAWAY: `closeConnection(errorCode?, additionalData?, lastStreamId?)`, or
   * `closeConnection(errorCode, { additionalData, lastStreamId })`.
   */
  closeConnection(errorCode = 0, additionalData, lastStreamId) {
    let data = additionalData;
    let last = lastStreamId;
    if (isOptions(additionalData)) {
      data = additionalData.additionalData;
      last = additionalData.lastStreamId;
    }
    const bytes = data === undefined || data === null ? undefined : opaque(data, 'additionalData');
    this.#do(() => this.#live.closeConnection(id(errorCode, 'errorCode'), bytes, optionalId(last, 'lastStreamId')));
  }

  /**
   * Sends GOAWAY without ending the connection (RFC 9113 §6.8): streams the peer opened up to
   * `lastStreamId` (default: the highest it opened) may still complete, newer ones are
   * refused with RST_STREAM(REFUSED_STREAM). Call it again to lower the id: first with
   * 2^31-1, then, one round trip later, with the real last id (the double GOAWAY).
   * `options` is `{ lastStreamId, additionalData }`.
   */
  sendGoaway(errorCode = 0, options = {}) {
    const data = options.additionalData === undefined || options.additionalData === null
      ? undefined
      : opaque(options.additionalData, 'additionalData');
    this.#do(() => this.#live.sendGoaway(id(errorCode, 'errorCode'), data, optionalId(options.lastStreamId, 'lastStreamId')));
  }

  /** The last-stream-id of our `sendGoaway`, or `undefined`. */
  get goawaySent() {
    return this.#live.goawaySent() ?? undefined;
  }

  /** The last-stream-id of the peer's GOAWAY (with `gracefulShutdown`), or `undefined`. */
  get goawayReceived() {
    return this.#live.goawayReceived() ?? undefined;
  }

  /**
   * Sends SETTINGS; they apply when acknowledged. `newSettings` is an object or Map of
   * identifier → value (e.g. `{ [SettingCodes.MAX_CONCURRENT_STREAMS]: 10 }`) or an array of
   * `[identifier, value]` pairs.
   */
  updateSettings(newSettings) {
    const entries = newSettings instanceof Map || Array.isArray(newSettings) ? [...newSettings] : Object.entries(newSettings ?? {});
    const flat = new Uint32Array(entries.length * 2);
    entries.forEach(([code, value], i) => {
      const c = Number(code);
      if (!Number.isInteger(c) || c < 0 || c > 0xffff) throw new InvalidInputError(`invalid setting identifier ${code}`);
      if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
        throw new InvalidInputError(`setting ${code} must be an integer in 0..2^32-1`);
      }
      flat[2 * i] = c;
      flat[2 * i + 1] = value;
    });
    this.#do(() => this.#live.updateSettings(flat));
  }

  /** Advertises an alternative service for `{ origin }` or for the origin of `{ streamId }`. */
  advertiseAlternativeService(fieldValue, options = {}) {
    const field = fieldOctets(fieldValue, 'fieldValue');
    const origin = options.origin === undefined || options.origin === null ? undefined : fieldOctets(options.origin, 'origin');
    this.#do(() => this.#live.advertiseAlternativeService(field, origin, optionalId(options.streamId, 'streamId')));
  }

  /** Sends a PRIORITY frame (clients only): `{ weight, dependsOn, exclusive }`. */
  prioritize(streamId, options = {}) {
    this.#do(() =>
      this.#live.prioritize(
        id(streamId),
        optionalId(options.weight, 'weight'),
        optionalId(options.dependsOn, 'dependsOn'),
        options.exclusive ?? undefined,
      ),
    );
  }

  /** What we may send on a stream now (the smaller of the connection and stream windows). */
  localFlowControlWindow(streamId) {
    return this.#do(() => this.#live.localFlowControlWindow(id(streamId)));
  }

  /** What the peer may send on a stream now. */
  remoteFlowControlWindow(streamId) {
    return this.#do(() => this.#live.remoteFlowControlWindow(id(streamId)));
  }

  /**
   * Reports consumed data (use the event's `flowControlledLength`, padding included);
   * WINDOW_UPDATEs are queued when enough has been consumed.
   */
  acknowledgeReceivedData(acknowledgedSize, streamId) {
    const size = optionalId(acknowledgedSize, 'acknowledgedSize');
    if (size === undefined) throw new InvalidInputError('acknowledgedSize is required');
    this.#do(() => this.#live.acknowledgeReceivedData(size, id(streamId)));
  }

  /** Takes up to `amount` octets of output (all of it by default). */
  dataToSend(amount) {
    return this.#live.dataToSend(optionalId(amount, 'amount'));
  }

  /** Octets of output waiting to be taken. */
  get outboundBuffered() {
    return this.#live.outboundBuffered();
  }

  /** Discards all queued output. */
  clearOutboundDataBuffer() {
    this.#live.clearOutboundDataBuffer();
  }

  /**
   * Processes bytes from the peer and returns the events. On a connection error it throws
   * (the GOAWAY is queued); the error's `events` holds the events that came before it.
   */
  receiveData(data) {
    const bytes = bytesOf(data, 'data');
    const raw = this.#config.rawHeaders;
    try {
      return decodeEvents(this.#live.receiveData(bytes), raw);
    } catch (e) {
      if (e !== null && typeof e === 'object' && e.events instanceof Uint8Array) {
        e.events = decodeEvents(e.events, raw);
      }
      throw fromBinding(e);
    } finally {
      this.#flushLog();
    }
  }

  /** Open streams this side initiated. Reading it forgets closed streams, as in h2. */
  get openOutboundStreams() {
    return this.#live.openOutboundStreams();
  }

  /** Open streams the peer initiated (same side effect). */
  get openInboundStreams() {
    return this.#live.openInboundStreams();
  }

  /** The connection receive window. */
  get inboundFlowControlWindow() {
    return this.#live.inboundFlowControlWindow();
  }

  /** The connection send window. */
  get outboundFlowControlWindow() {
    return this.#live.outboundFlowControlWindow();
  }

  /** The peer's SETTINGS_MAX_FRAME_SIZE. */
  get maxOutboundFrameSize() {
    return this.#live.maxOutboundFrameSize();
  }

  /** Our acknowledged SETTINGS_MAX_FRAME_SIZE. */
  get maxInboundFrameSize() {
    return this.#live.maxInboundFrameSize();
  }

  /** The highest stream id the peer opened. */
  get highestInboundStreamId() {
    return this.#live.highestInboundStreamId();
  }

  /** The highest stream id this side opened or promised. */
  get highestOutboundStreamId() {
    return this.#live.highestOutboundStreamId();
  }

  /** The connection state machine: `'Idle' | 'ClientOpen' | 'ServerOpen' | 'Closed'`. */
  get state() {
    return this.#live.state();
  }

  /** A stream's state (`'Open'`, `'HalfClosedLocal'`, …), or `undefined` if idle or forgotten. */
  streamState(streamId) {
    return this.#live.streamState(id(streamId)) ?? undefined;
  }

  /** Our settings in force. */
  get localSettings() {
    return new Settings(this.#live.localSettings());
  }

  /** The peer's settings in force. */
  get remoteSettings() {
    return new Settings(this.#live.remoteSettings());
  }

  /** Sends an RFC 9218 PRIORITY_UPDATE (clients only), e.g. `'u=1, i'`. */
  sendPriorityUpdate(prioritizedStreamId, fieldValue) {
    const field = fieldOctets(fieldValue, 'fieldValue');
    this.#do(() => this.#live.sendPriorityUpdate(id(prioritizedStreamId, 'prioritizedStreamId'), field));
  }

  /** Sends an RFC 8336 ORIGIN frame (servers only). */
  sendOrigin(origins) {
    const packed = packHeaders(Array.from(origins, (o) => [o, '']));
    this.#do(() => this.#live.sendOrigin(packed));
  }

  /** Sends an extension frame of a type above 0x9. */
  sendExtensionFrame(type, flags, streamId, payload) {
    const bytes = payload === undefined ? new Uint8Array(0) : dataOf(payload, 'payload');
    // Checked here: the binding takes octets, and would silently keep the low 8 bits.
    this.#do(() => this.#live.sendExtensionFrame(octet(type, 'type'), octet(flags, 'flags'), id(streamId), bytes));
  }

  /** The frames recorded since the last call (with `frameTrace: true`). */
  takeFrameTrace() {
    const flat = this.#live.takeFrameTrace();
    const out = [];
    for (let i = 0; i + 4 < flat.length; i += 5) {
      out.push({
        direction: flat[i] === 1 ? 'out' : 'in',
        type: flat[i + 1],
        typeName: frameTypeName(flat[i + 1]) ?? 'UNKNOWN',
        flags: flat[i + 2],
        streamId: flat[i + 3],
        length: flat[i + 4],
      });
    }
    return out;
  }

  /** Releases the engine's memory; the connection is unusable afterwards. */
  free() {
    this.#raw?.free();
    this.#raw = undefined;
  }

  [Symbol.dispose]() {
    this.free();
  }
}
