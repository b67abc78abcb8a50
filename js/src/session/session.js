// H2Session: one HTTP/2 connection over one ByteTransport, driven for the application.
//
// One reader feeds every chunk to the engine and dispatches the events at once into the
// stream objects; it never waits for application code (callbacks run later, in microtasks,
// and a throwing one resets its stream). One single-flight writer drains the engine into the
// transport; a write error is the end of the connection, never a reason to carry on. Every
// outcome has one owner: the promise of the call that caused it, the stream (its signal,
// bodies and promises), or the session (`closed`).

import { H2Connection } from '../connection.js';
import { ErrorCodes, SettingCodes } from '../constants.js';
import {
  DenialOfServiceError,
  H2ConnectionLostError,
  H2Error,
  H2RefusedStreamError,
  H2SessionClosingError,
  H2TimeoutError,
  H2UsageError,
  InvalidInputError,
  NoSuchStreamError,
} from '../errors.js';
import { bytesOf } from '../octets.js';
import { toByteTransport } from '../transports/index.js';
import { TimerSet } from './clock.js';
import { destroyedError, IncomingQueue, keepAlive, peerGoAwayError, PingTracker, SettingsAcks, SlidingCount, Tracer } from './control.js';
import { runSessionCallback, runStreamCallback } from './control.js';
import { deferred } from './deferred.js';
import { sessionFetch } from './fetch.js';
import { FlowGate } from './flow.js';
import { describeRequest, pushFields, requestOf, responseOf } from './headers.js';
import { ControlBacklog, Link } from './link.js';
import { engineConfig, sessionOptions, settingPairs } from './options.js';
import { EarlyPriorities, priorityField, priorityOfFields } from './priority.js';
import { ASSUMED_MAX_CONCURRENT_STREAMS, ClientRequests } from './requests.js';
import { ClientStream, deliverResponse, INTERNAL, resetError, ServerStream, streamEntry } from './stream.js';
import { initiate, upgradeSettings } from './upgrade.js';

const MAX_STREAM_ID = 0x7fffffff;

/**
 * Server: how many streams not opened yet may have a PRIORITY_UPDATE buffered for them
 * (RFC 9218 §7.1 lets a server bound this); past it the oldest is forgotten.
 */
export const MAX_EARLY_PRIORITY_UPDATES = 16;

/** GOAWAY debug data: the ASCII of a short message. */
const debugOf = (message) => String(message).replace(/[^\x20-\x7e]/g, '?').slice(0, 120);

/**
 * One HTTP/2 connection over a ByteTransport. Create it with `H2Session.client()`,
 * `H2Session.server()` or the `...FromUpgrade()` variants; it starts at once.
 */
export class H2Session {
  #role;
  #o;
  #transport;
  #timers;
  #engine;
  #link;
  #flow;
  #backlog;
  #core;
  #requests;
  #state = 'handshaking';
  #streams = new Map();
  #ready = deferred();
  #closed = deferred();
  #incoming = new IncomingQueue();
  #pings;
  #settingsAcks;
  #goawayReceived = null;
  #localGoaway = null;
  #finalGoawaySent = false;
  #closeRequested = false;
  #closeInfo = null;
  #ending = false;
  #finishing = false;
  #idleTimer = null;
  #handshakeTimer = null;
  #inboundBuffered = 0;
  #lastReceiveAt = 0;
  #rapidResets;
  #tracer = null;
  #earlyPriorities = new EarlyPriorities(MAX_EARLY_PRIORITY_UPDATES);
  #connectionWindow = 65_535;
  /**
   * The peer's MAX_CONCURRENT_STREAMS (Infinity: none set), read from the engine at most once
   * per chunk received: a settings snapshot per request is measurable, and only a received
   * SETTINGS frame can change it. `undefined`: read it again.
   */
  #peerStreamLimit = undefined;
  #lastSettings = { local: undefined, remote: undefined };
  #stats = { framesIn: 0, framesOut: 0, streamsTotal: 0, resetsSent: 0, resetsReceived: 0 };
  /** Server: called (later, in a microtask) with each new ServerStream; else use incoming(). */
  onstream = null;
  /** Client: called with `(pushed, parent)` for each pushed stream; returning `false` refuses it. */
  onpush = null;
  /** Called with `{ code, lastStreamId, debugData }` when the peer sends GOAWAY. */
  ongoaway = null;

  /** A client session over `transport` (prior knowledge: the preface goes out at once). */
  static client(transport, options = {}) {
    return new H2Session(INTERNAL, 'client', transport, options, null);
  }

  /** A server session over `transport`. */
  static server(transport, options = {}) {
    return new H2Session(INTERNAL, 'server', transport, options, null);
  }

  /**
   * A server session after an HTTP/1.1 `Upgrade: h2c` (the caller has sent the 101 response).
   * `http2Settings` is the request's HTTP2-Settings header, `request` the upgraded request
   * (`{ method, path, authority, scheme, headers }`), `head` any bytes already read past it.
   * Returns `{ session, stream }`, stream 1 carrying that request, to be answered.
   */
  static serverFromUpgrade(transport, { http2Settings, request = {}, head, ...options } = {}) {
    const session = new H2Session(INTERNAL, 'server', transport, options, { settings: http2Settings, request, head });
    return { session, stream: session.#streams.get(1).stream };
  }

  /**
   * A client session after the server answered `101 Switching Protocols` to a request that
   * carried `H2Session.upgradeSettings(options)` as HTTP2-Settings. `request` describes that
   * request; `head` is any bytes already read past the 101 response. Returns
   * `{ session, stream }`, stream 1 receiving the response.
   */
  static clientFromUpgrade(transport, { http2Settings, request = {}, head, ...options } = {}) {
    const session = new H2Session(INTERNAL, 'client', transport, options, { settings: http2Settings, request, head });
    return { session, stream: session.#streams.get(1).stream };
  }

  /** The HTTP2-Settings header value a client with `options` sends in its upgrade request. */
  static upgradeSettings(options = {}) {
    return upgradeSettings(options);
  }

  constructor(token, role, transport, options, upgrade) {
    if (token !== INTERNAL) throw new TypeError('use H2Session.client(), H2Session.server() or the ...FromUpgrade() variants');
    this.#role = role;
    const o = (this.#o = sessionOptions(role, options));
    const t = (this.#transport = toByteTransport(transport));
    if (t.info?.alpn !== undefined && t.info.alpn !== 'h2') {
      throw new H2UsageError(`the transport negotiated ${t.info.alpn}, not h2`, { initiator: 'local' });
    }
    this.onstream = o.onstream ?? null;
    this.onpush = o.onpush ?? null;
    this.ongoaway = o.ongoaway ?? null;
    this.#timers = new TimerSet(o.clock);
    this.#rapidResets = new SlidingCount(o.clock, o.rapidResetWindowMs);
    if (typeof o.trace === 'function') this.#tracer = new Tracer(o.trace, o.clock, (error) => this.destroy(error));
    const engine = (this.#engine = new H2Connection(engineConfig(role, o)));
    let upgraded = null;
    try {
      upgraded = initiate(engine, role, upgrade);
      const growth = o.connectionWindowSize - this.#connectionWindow;
      if (growth > 0) {
        engine.incrementFlowControlWindow(growth);
        this.#connectionWindow += growth;
      }
      this.#link = new Link(
        t,
        { pending: () => this.#engine?.outboundBuffered ?? 0, take: () => this.#take() },
        {
          onBytes: (bytes) => this.#receive(bytes),
          onEnd: (kind, cause) => this.#onTransportEnd(kind, cause),
          onDrain: () => this.#flow.drained(),
        },
      );
    } catch (error) {
      engine.free();
      this.#engine = null;
      throw error;
    }
    this.#backlog = new ControlBacklog(this.#link);
    this.#flow = new FlowGate({
      window: (id) => this.#window(id),
      connectionWindow: () => this.#engine?.outboundFlowControlWindow ?? 0,
      maxFrameSize: () => this.#engine?.maxOutboundFrameSize ?? 16_384,
      send: (id, bytes) => {
        this.#engine.sendData(id, bytes);
        this.#link.schedule();
      },
      buffered: () => this.#link.bufferedAmount,
      highWaterMark: o.outboundHighWaterMark,
      timers: this.#timers,
    });
    this.#pings = new PingTracker(
      this.#timers,
      (bytes) => {
        this.#live();
        this.#engine.ping(bytes);
        this.#link.schedule();
      },
      () => this.#trace({ kind: 'timeout', timeout: 'ping' }),
    );
    this.#settingsAcks = new SettingsAcks(this.#timers);
    this.#core = this.#makeCore();
    this.#requests = new ClientRequests(
      {
        core: this.#core,
        timers: this.#timers,
        trace: (record) => this.#trace(record),
        slots: () => this.#slots(),
        mayStart: () => !this.#closingOrClosed(),
        open: (list, endStream) => this.#openOnWire(list, endStream),
        register: (entry) => this.#register(entry.stream, entry),
      },
      o.maxQueuedRequests,
    );
    if (upgraded !== null) {
      this.#register(
        role === 'server'
          ? new ServerStream(INTERNAL, this.#core, 1, upgraded, { remoteEnded: true })
          : new ClientStream(INTERNAL, this.#core, 1, upgraded, { endStream: true }),
      );
    }
    this.#handshakeTimer = this.#timers.start(o.handshakeTimeoutMs, () => {
      if (this.#state !== 'handshaking') return;
      this.#fatal(new H2TimeoutError(`no SETTINGS from the peer within ${o.handshakeTimeoutMs} ms`, { kind: 'handshake', initiator: 'library' }), ErrorCodes.SETTINGS_TIMEOUT);
    });
    this.#expectSettingsAck(o.settingsAckTimeoutMs);
    this.#trace({ kind: 'state', from: null, to: 'handshaking' });
    this.#link.start(upgrade?.head === undefined ? undefined : bytesOf(upgrade.head, 'head'), this.#timers, o.lingerMs);
    this.#link.schedule();
  }

  /** What streams may ask of their session. */
  #makeCore() {
    const o = this.#o;
    return {
      session: this,
      role: this.#role,
      writableHighWaterMark: o.writableHighWaterMark,
      flowControlTimeoutMs: o.flowControlTimeoutMs,
      onFlowControlTimeout: o.onFlowControlTimeout,
      sendBody: (wire, bytes, options) => this.#flow.send(wire, bytes, options),
      failStreamWaits: (wire, error) => this.#flow.failStream(wire, error),
      finish: (id, trailers) => {
        this.#live();
        if (trailers === undefined) this.#engine.endStream(id);
        else this.#engine.sendHeaders(id, trailers, { endStream: true });
        this.#link.schedule();
      },
      sendHeaders: (id, list, endStream) => {
        this.#live();
        this.#engine.sendHeaders(id, list, { endStream });
        this.#link.schedule();
      },
      reset: (id, code) => {
        if (id !== null) this.#resetOnWire(id, code); // a queued request has nothing on the wire
      },
      ack: (id, n) => this.#ack(id, n),
      window: (id) => this.#window(id),
      remoteWindow: (id) => this.#window(id, 'remoteFlowControlWindow'),
      streamDone: (stream) => this.#streamDone(stream),
      push: (parent, headers) => this.#push(parent, headers),
      reprioritize: (stream, priority) => this.#reprioritize(stream, priority),
      inbound: (delta) => (this.#inboundBuffered += delta),
      traceTimeout: (kind, streamId) => this.#trace({ kind: 'timeout', timeout: kind, streamId }),
    };
  }

  // ---- state ----------------------------------------------------------------------------

  /** `'client'` or `'server'`. */
  get role() {
    return this.#role;
  }

  /** `'handshaking'`, `'open'`, `'closing'` or `'closed'`. */
  get state() {
    return this.#state;
  }

  /** Resolves when the peer's SETTINGS arrive; rejects if the session ends first. */
  get ready() {
    return this.#ready.promise;
  }

  /** Always resolves, once the session is over, with `{ initiator, code, lastStreamId, error? }`. */
  get closed() {
    return this.#closed.promise;
  }

  /** Our settings in force (a snapshot). */
  get localSettings() {
    return this.#engine?.localSettings ?? this.#lastSettings.local;
  }

  /** The peer's settings in force (a snapshot). */
  get remoteSettings() {
    return this.#engine?.remoteSettings ?? this.#lastSettings.remote;
  }

  /** Engine output not yet accepted by the transport, in octets. */
  get bufferedAmount() {
    return this.#link.bufferedAmount;
  }

  /** Counters and windows, for monitoring. */
  stats() {
    const e = this.#engine;
    return {
      state: this.#state,
      bytesIn: this.#link.bytesIn,
      bytesOut: this.#link.bytesOut,
      framesIn: this.#stats.framesIn,
      framesOut: this.#stats.framesOut,
      streamsOpen: this.#streams.size,
      streamsTotal: this.#stats.streamsTotal,
      resetsSent: this.#stats.resetsSent,
      resetsReceived: this.#stats.resetsReceived,
      pingsSent: this.#pings.sent,
      rttMs: this.#pings.rttMs,
      sendWindow: e ? e.outboundFlowControlWindow : 0,
      receiveWindow: e ? e.inboundFlowControlWindow : 0,
      bufferedAmount: this.bufferedAmount,
      inboundBuffered: this.#inboundBuffered,
      blockedStreams: this.#flow.blocked,
      queuedRequests: this.#requests.queued,
    };
  }

  #setState(to) {
    if (this.#state === to) return;
    const from = this.#state;
    this.#state = to;
    this.#trace({ kind: 'state', from, to });
  }

  /** Throws the right error when the engine can no longer take commands. */
  #live() {
    if (this.#engine === null || this.#ending) throw this.#closedError();
  }

  #closedError() {
    return new H2SessionClosingError('the session is closed', { initiator: 'local' });
  }

  // ---- reading --------------------------------------------------------------------------

  #receive(bytes) {
    if (this.#ending || this.#engine === null) return;
    const engine = this.#engine;
    this.#lastReceiveAt = this.#o.clock.now();
    this.#peerStreamLimit = undefined; // these bytes may carry SETTINGS
    const before = engine.outboundBuffered;
    let events;
    let failure = null;
    try {
      events = engine.receiveData(bytes);
    } catch (error) {
      failure = error;
      events = Array.isArray(error?.events) ? error.events : [];
    }
    this.#collectFrames();
    for (const event of events) {
      if (this.#ending) break;
      try {
        this.#handle(event);
      } catch (error) {
        this.#bug(error);
        return;
      }
    }
    if (failure !== null) {
      this.#onProtocolError(failure);
      return;
    }
    if (this.#ending || this.#engine === null) return;
    const after = engine.outboundBuffered;
    this.#backlog.add(after - before, this.#link.taken + after);
    if (this.#backlog.bytes > this.#o.maxOutboundControlBytes) {
      this.#calm(`control-frame flood: ${this.#backlog.bytes} octets of replies the peer does not read`);
      return;
    }
    if (this.#inboundBuffered > this.#o.maxInboundBufferedBytes) {
      this.#calm(`${this.#inboundBuffered} octets received and not read, over maxInboundBufferedBytes`);
      return;
    }
    this.#link.schedule();
  }

  #handle(event) {
    const entry = event.streamId === undefined ? undefined : this.#streams.get(event.streamId);
    switch (event.type) {
      case 'RemoteSettingsChanged':
        this.#onRemoteSettings(event);
        break;
      case 'SettingsAcknowledged':
        this.#settingsAcks.acknowledged(this.#engine.localSettings);
        break;
      case 'PingAckReceived':
        this.#pings.acknowledged(event.pingData);
        break;
      case 'RequestReceived':
        this.#onRequest(event);
        break;
      case 'ResponseReceived':
        if (entry) {
          entry.onResponse?.();
          deliverResponse(entry.stream, event.headers);
        }
        break;
      case 'InformationalResponseReceived':
        if (entry) {
          const info = responseOf(event.headers);
          runStreamCallback(entry, () => entry.stream.oninformational?.(info));
        }
        break;
      case 'TrailersReceived':
        entry?.control.trailers(event.headers);
        break;
      case 'DataReceived':
        if (entry) entry.control.data(event.data, event.flowControlledLength);
        else this.#ack(event.streamId, event.flowControlledLength);
        break;
      case 'StreamEnded':
        entry?.control.remoteEnd();
        break;
      case 'StreamReset':
        this.#onStreamReset(event, entry);
        break;
      case 'WindowUpdated':
        this.#flow.wake();
        break;
      case 'PushedStreamReceived':
        this.#onPushed(event);
        break;
      case 'PriorityUpdateReceived':
        this.#onPriorityUpdate(event);
        break;
      case 'ConnectionTerminated':
        this.#onGoaway(event);
        break;
      default:
        // PRIORITY, ALTSVC, ORIGIN and unknown frames need nothing from the
        // driver; they show up in the frame trace.
        break;
    }
  }

  #onRemoteSettings(event) {
    if (this.#state === 'handshaking') {
      this.#handshakeTimer?.cancel();
      this.#setState('open');
      this.#ready.resolve();
      if (this.#streams.size === 0) this.#armIdle();
      this.#armKeepAlive();
    }
    const flowChanged = event.changedSettings.some(
      (c) => c.setting === SettingCodes.INITIAL_WINDOW_SIZE || c.setting === SettingCodes.MAX_FRAME_SIZE,
    );
    if (flowChanged) this.#flow.wake();
    // The first SETTINGS replace the assumed stream limit; a later one may raise it.
    this.#requests.pump();
  }

  #onRequest(event) {
    if (this.#role !== 'server') {
      // A request-shaped block on a stream a server opened: nothing we asked for.
      this.#resetOnWire(event.streamId, ErrorCodes.REFUSED_STREAM);
      return;
    }
    const request = requestOf(event.headers);
    // A PRIORITY_UPDATE sent before the request is the client's later word: it wins.
    const priority = this.#earlyPriorities.take(event.streamId) ?? priorityOfFields(request.headers);
    const stream = new ServerStream(INTERNAL, this.#core, event.streamId, request, { priority });
    const entry = this.#register(stream);
    if (typeof this.onstream === 'function') {
      const handler = this.onstream;
      runStreamCallback(entry, () => handler.call(this, stream));
    } else {
      this.#incoming.push(stream);
    }
  }

  /**
   * Server: a client's PRIORITY_UPDATE (the engine has parsed the field value). An open
   * stream takes it at once; one the client has not opened yet gets it when it opens (a
   * bounded buffer); a stream that has ended needs nothing.
   */
  #onPriorityUpdate(event) {
    if (this.#role !== 'server') return;
    const id = event.prioritizedStreamId;
    const priority = Object.freeze({ urgency: event.urgency, incremental: event.incremental });
    const entry = this.#streams.get(id);
    if (entry !== undefined) {
      entry.control.prioritize(priority);
      this.#flow.wake();
    } else if (id % 2 === 1 && id > (this.#engine?.highestInboundStreamId ?? 0)) {
      this.#earlyPriorities.remember(id, priority);
    }
  }

  /** Client: a new priority for one of our requests (ClientStream.setPriority). */
  #reprioritize(stream, priority) {
    const ended = () =>
      new H2UsageError(`${stream.id === null ? 'a queued request' : `stream ${stream.id}`}: setPriority() after the stream ended`, {
        streamId: stream.id ?? undefined,
        initiator: 'local',
      });
    if (stream.id === null) {
      // Still queued: it will start with the new priority field.
      const control = this.#requests.reprioritize(stream, priorityField(priority));
      if (control === undefined) throw ended();
      control.prioritize(priority);
      return;
    }
    const entry = this.#streams.get(stream.id);
    if (entry === undefined || entry.stream !== stream || entry.control.done) throw ended();
    this.#live();
    this.#engine.sendPriorityUpdate(stream.id, priorityField(priority));
    this.#link.schedule();
    entry.control.prioritize(priority);
    this.#flow.wake();
  }

  #onStreamReset(event, entry) {
    if (event.remoteReset) this.#stats.resetsReceived++;
    this.#trace({ kind: 'reset', streamId: event.streamId, code: event.errorCode, initiator: event.remoteReset ? 'remote' : 'library' });
    if (!entry) return;
    const unanswered = this.#role === 'server' && !entry.stream.pushed && !entry.stream.responded;
    entry.control.fail(resetError(event.streamId, event.errorCode, event.remoteReset ? 'remote' : 'library'));
    if (event.remoteReset && unanswered && this.#o.maxRapidResets > 0) {
      const count = this.#rapidResets.hit();
      if (count > this.#o.maxRapidResets) {
        this.#calm(`rapid reset: ${count} streams reset before an answer within ${this.#o.rapidResetWindowMs} ms`);
      }
    }
  }

  #onPushed(event) {
    const parent = this.#streams.get(event.parentStreamId)?.stream;
    const stream = new ClientStream(INTERNAL, this.#core, event.pushedStreamId, requestOf(event.headers), { pushed: true });
    const entry = this.#register(stream);
    const handler = this.onpush;
    if (typeof handler !== 'function') {
      entry.control.resetWith(ErrorCodes.CANCEL, resetError(stream.id, ErrorCodes.CANCEL, 'local'));
      return;
    }
    runStreamCallback(entry, () => {
      if (handler.call(this, stream, parent) === false) stream.reset(ErrorCodes.CANCEL);
    });
  }

  #onGoaway(event) {
    const info = Object.freeze({ code: event.errorCode, lastStreamId: event.lastStreamId, debugData: event.additionalData ?? undefined });
    this.#goawayReceived = info;
    this.#trace({ kind: 'goaway', direction: 'in', code: info.code, lastStreamId: info.lastStreamId });
    if (typeof this.ongoaway === 'function') runSessionCallback(this, this.ongoaway, info);
    if (this.#closeInfo === null) this.#closeInfo = { initiator: 'remote', code: info.code, lastStreamId: info.lastStreamId };
    else if (this.#closeInfo.initiator === 'remote') Object.assign(this.#closeInfo, { code: info.code, lastStreamId: info.lastStreamId });
    this.#armIdle(false);
    if (this.#state === 'handshaking' || this.#state === 'open') this.#setState('closing');
    this.#requests.failQueued(`the peer sent GOAWAY (${info.code === ErrorCodes.NO_ERROR ? 'graceful' : `code ${info.code}`})`);
    // Streams we opened above the last id were never processed: safe to retry elsewhere.
    const ours = this.#role === 'client' ? 1 : 0;
    for (const { stream, control } of [...this.#streams.values()]) {
      if (stream.id % 2 !== ours || stream.id <= info.lastStreamId) continue;
      const message = `stream ${stream.id} was not processed: the peer's GOAWAY ends at stream ${info.lastStreamId}`;
      control.fail(new H2RefusedStreamError(message, { code: ErrorCodes.REFUSED_STREAM, streamId: stream.id, initiator: 'remote' }));
    }
    if (info.code !== ErrorCodes.NO_ERROR) {
      const error = peerGoAwayError(info);
      this.#end({ initiator: 'remote', code: info.code, lastStreamId: info.lastStreamId, error }, error, true);
      return;
    }
    this.#maybeDrained();
  }

  #onProtocolError(error) {
    if (!(error instanceof H2Error)) {
      this.#bug(error);
      return;
    }
    error.initiator ??= 'remote';
    // The engine has queued the GOAWAY saying why: it goes out before the transport closes.
    const lastStreamId = this.#engine.highestInboundStreamId;
    this.#localGoaway ??= { code: error.code ?? ErrorCodes.PROTOCOL_ERROR };
    this.#trace({ kind: 'goaway', direction: 'out', code: error.code ?? ErrorCodes.PROTOCOL_ERROR, lastStreamId });
    this.#end({ initiator: 'local', code: error.code ?? ErrorCodes.PROTOCOL_ERROR, lastStreamId, error }, error, true);
  }

  #onTransportEnd(kind, cause) {
    if (this.#ending) {
      this.#link.shutdown(cause);
      return;
    }
    if (this.#finishing) {
      if (kind !== 'eof') this.#link.shutdown(cause);
      return;
    }
    const announced = this.#localGoaway !== null || this.#goawayReceived !== null;
    if (kind === 'eof' && announced && this.#streams.size === 0) {
      this.#end(this.#closeInfoNow(), undefined, true); // our own last frames still go out
      return;
    }
    const how = { eof: 'the peer closed the connection', read: 'reading failed', write: 'writing failed', closed: 'the transport closed' }[kind];
    const error = new H2ConnectionLostError(`connection lost: ${how}`, { cause, initiator: 'remote' });
    this.#end({ initiator: 'transport', code: ErrorCodes.INTERNAL_ERROR, lastStreamId: this.#highestStreamId(), error }, error, false);
  }

  // ---- writing --------------------------------------------------------------------------

  #take() {
    this.#collectFrames();
    return this.#engine.dataToSend();
  }

  #collectFrames() {
    const engine = this.#engine;
    if (engine === null) return;
    const frames = engine.takeFrameTrace();
    if (frames.length === 0) return;
    const tracing = this.#tracer !== null;
    for (const f of frames) {
      if (f.direction === 'in') this.#stats.framesIn++;
      else this.#stats.framesOut++;
      if (tracing) this.#trace({ kind: 'frame', ...f });
    }
  }

  /** A stream's send window (or, with 'remoteFlowControlWindow', its receive window). */
  #window(id, which = 'localFlowControlWindow') {
    if (this.#engine === null || id === null) return 0;
    try {
      return this.#engine[which](id);
    } catch (error) {
      // A stream the engine has closed or forgotten has no window; its sender learns why
      // from the stream's own error.
      if (error instanceof NoSuchStreamError) return 0;
      throw error;
    }
  }

  #ack(id, n) {
    if (this.#engine === null || this.#ending || !(n > 0)) return;
    try {
      this.#engine.acknowledgeReceivedData(n, id);
    } catch (error) {
      this.#bug(error);
      return;
    }
    this.#link.schedule();
  }

  /** RST_STREAM on the wire; a stream the engine already closed needs none. */
  #resetOnWire(id, code) {
    if (this.#engine === null || this.#ending) return;
    try {
      this.#engine.resetStream(id, code);
    } catch (error) {
      if (error instanceof NoSuchStreamError) return; // closed meanwhile (StreamClosedError too)
      this.#bug(error);
      return;
    }
    this.#stats.resetsSent++;
    this.#trace({ kind: 'reset', streamId: id, code, initiator: 'local' });
    this.#link.schedule();
  }

  // ---- streams --------------------------------------------------------------------------

  #register(stream, entry = streamEntry(stream)) {
    this.#streams.set(stream.id, entry);
    this.#stats.streamsTotal++;
    this.#armIdle(false);
    return entry;
  }

  #streamDone(stream) {
    if (stream.id === null) {
      this.#requests.forget(stream); // failed while queued
      return;
    }
    const entry = this.#streams.get(stream.id);
    if (entry === undefined || entry.stream !== stream) return;
    this.#streams.delete(stream.id);
    for (const undo of entry.cleanup) undo();
    this.#requests.pump();
    if (this.#streams.size === 0 && this.#requests.queued === 0 && this.#state === 'open') this.#armIdle();
    this.#maybeDrained();
  }

  /**
   * Opens a request stream (clients). `headers` must hold the pseudo-header fields
   * (`:method`, `:scheme`, `:authority`, `:path`, and `:protocol` for extended CONNECT).
   * With `body` (bytes, a string, a Blob or a ReadableStream) it is sent and the stream
   * ended; without, the stream ends with the headers unless `endStream: false` (the default
   * for CONNECT). `signal` resets the stream with CANCEL; `timeoutMs` bounds the wait for
   * the response headers (time spent queued included).
   *
   * When the peer's MAX_CONCURRENT_STREAMS is reached the request waits in a FIFO queue (its
   * stream's `id` is `null` until it starts); beyond `maxQueuedRequests` waiting requests this
   * throws `H2QueueFullError`. Throws `H2SessionClosingError` once GOAWAY was sent or
   * received; queued requests then fail with it.
   */
  request(headers, options) {
    if (this.#role !== 'client') throw new H2UsageError('request() is for client sessions (servers push with stream.push())', { initiator: 'local' });
    this.#assertMayOpen();
    return this.#requests.open(headers, options);
  }

  /** Sends a request's HEADERS on the next stream id; returns the id. */
  #openOnWire(list, endStream) {
    const engine = this.#engine;
    const id = engine.getNextAvailableStreamId();
    engine.sendHeaders(id, list, { endStream });
    this.#link.schedule();
    return id;
  }

  /**
   * How many more streams we may open now: the peer's MAX_CONCURRENT_STREAMS (unlimited when
   * it set none, ASSUMED_MAX_CONCURRENT_STREAMS before its first SETTINGS) minus the streams
   * the engine counts as open.
   */
  #slots() {
    const engine = this.#engine;
    if (engine === null) return 0;
    this.#peerStreamLimit ??= engine.remoteSettings.maxConcurrentStreams ?? Infinity;
    let limit = this.#peerStreamLimit;
    if (this.#state === 'handshaking') limit = Math.min(limit, ASSUMED_MAX_CONCURRENT_STREAMS);
    return limit - engine.openOutboundStreams;
  }

  #closingOrClosed() {
    return this.#ending || this.#finishing || this.#state === 'closing' || this.#state === 'closed' || this.#localGoaway !== null || this.#goawayReceived !== null;
  }

  #assertMayOpen() {
    if (this.#closingOrClosed()) {
      throw new H2SessionClosingError('no new stream: the session is closing (GOAWAY sent or received)', { initiator: 'local' });
    }
  }

  #push(parent, headers) {
    this.#assertMayOpen();
    const settings = this.#engine.remoteSettings;
    if (settings.enablePush === 0) throw new H2UsageError('the client disabled server push (SETTINGS_ENABLE_PUSH = 0)', { initiator: 'local' });
    const list = pushFields(headers, parent.request);
    const id = this.#engine.getNextAvailableStreamId();
    this.#engine.pushStream(parent.id, id, list);
    const stream = new ServerStream(INTERNAL, this.#core, id, describeRequest(list), { pushed: true });
    this.#register(stream);
    this.#link.schedule();
    return stream;
  }

  /**
   * Server: the peer's new streams, in order, as they arrive (when no `onstream` handler is
   * set). Ends when the session ends. May be iterated once.
   */
  incoming() {
    if (this.#role !== 'server') throw new H2UsageError('incoming() is for server sessions', { initiator: 'local' });
    const iterator = this.#incoming.take();
    if (iterator === undefined) throw new H2UsageError('incoming() may be iterated once', { initiator: 'local' });
    return iterator;
  }

  /** Fetch-style request: resolves with a standard Response (see fetch.js). */
  fetch(input, init) {
    return sessionFetch(this, input, init);
  }

  // ---- control --------------------------------------------------------------------------

  /**
   * Sends a PING (8 octets; by default a counter) and resolves with the round-trip time in
   * ms, by the session's clock. `timeoutMs` rejects with H2TimeoutError (kind `'ping'`);
   * `signal` with its reason. Neither ends the session.
   */
  ping(payload, options) {
    return this.#ending ? Promise.reject(this.#closedError()) : this.#pings.ping(payload, options);
  }

  /**
   * Sends SETTINGS (`{ maxConcurrentStreams: 10 }`, identifiers as keys, or pairs) and
   * resolves with our settings in force once the peer acknowledges them. Without an ACK
   * within `timeoutMs` the connection ends with GOAWAY(SETTINGS_TIMEOUT).
   */
  updateSettings(partial, { timeoutMs = this.#o.settingsAckTimeoutMs } = {}) {
    if (this.#ending) return Promise.reject(this.#closedError());
    try {
      this.#engine.updateSettings(settingPairs(partial));
    } catch (error) {
      return Promise.reject(error);
    }
    this.#link.schedule();
    return this.#expectSettingsAck(timeoutMs);
  }

  #expectSettingsAck(timeoutMs) {
    return this.#settingsAcks.expect(timeoutMs, () => {
      this.#trace({ kind: 'timeout', timeout: 'settingsAck' });
      const error = new H2TimeoutError(`SETTINGS not acknowledged within ${timeoutMs} ms`, { kind: 'settingsAck', initiator: 'library' });
      this.#fatal(error, ErrorCodes.SETTINGS_TIMEOUT);
    });
  }

  /**
   * Opens the connection receive window to `bytes` in total (WINDOW_UPDATE on stream 0).
   * The window can only grow.
   */
  setConnectionWindow(bytes) {
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_STREAM_ID) {
      throw new InvalidInputError('setConnectionWindow needs an integer in 0..2^31-1');
    }
    this.#live();
    if (bytes < this.#connectionWindow) {
      throw new H2UsageError(`the connection window is ${this.#connectionWindow} and cannot shrink to ${bytes}`, { initiator: 'local' });
    }
    if (bytes === this.#connectionWindow) return;
    this.#engine.incrementFlowControlWindow(bytes - this.#connectionWindow);
    this.#connectionWindow = bytes;
    this.#link.schedule();
  }

  // ---- timers ---------------------------------------------------------------------------

  /** (Re)starts the idle timer, or with `false` cancels it. */
  #armIdle(start = true) {
    this.#idleTimer?.cancel();
    this.#idleTimer = null;
    if (!start || this.#ending) return;
    const ms = this.#o.idleTimeoutMs;
    this.#idleTimer = this.#timers.start(ms, () => {
      if (this.#streams.size > 0 || this.#requests.queued > 0 || this.#state !== 'open') return;
      this.#trace({ kind: 'timeout', timeout: 'idle' });
      this.close();
    });
  }

  #armKeepAlive() {
    const k = this.#o.keepAlive;
    if (k === null) return;
    keepAlive(this.#timers, k, {
      lastReceiveAt: () => this.#lastReceiveAt,
      ping: (timeoutMs) => this.ping(undefined, { timeoutMs }),
      stopped: () => this.#ending || this.#finishing,
      dead: (error) => {
        this.#trace({ kind: 'timeout', timeout: 'keepAlive' });
        this.#fatal(new H2TimeoutError(`keep-alive: no PING ACK within ${k.timeoutMs} ms`, { kind: 'keepAlive', initiator: 'library', cause: error }), ErrorCodes.NO_ERROR);
      },
    });
  }

  // ---- shutdown -------------------------------------------------------------------------

  /**
   * Graceful close. A server with `code` NO_ERROR sends GOAWAY(2^31-1) and a PING, then, on
   * the PING ACK or after `goawayRttTimeoutMs`, GOAWAY with the last stream it took; other
   * cases send one GOAWAY. Streams under way finish; those still open after `timeoutMs`
   * (default `closeTimeoutMs`) are reset with CANCEL. Then the output is flushed, the
   * writable closed (half-close), the peer's EOF awaited up to `lingerMs`, and the transport
   * closed. Resolves like `closed`.
   */
  close({ code = ErrorCodes.NO_ERROR, debug, timeoutMs } = {}) {
    if (!Number.isInteger(code) || code < 0 || code > 0xffffffff) return Promise.reject(new InvalidInputError('close(): code must be an integer error code'));
    if (this.#ending || this.#finishing || this.#closeRequested) return this.closed;
    this.#closeRequested = true;
    const limit = timeoutMs ?? this.#o.closeTimeoutMs;
    this.#closeInfo ??= { initiator: 'local', code, lastStreamId: 0 };
    const wasOpen = this.#state === 'open';
    this.#setState('closing');
    this.#armIdle(false);
    this.#requests.failQueued('close() was called first');
    try {
      if (this.#localGoaway === null) {
        this.#localGoaway = { code, debug };
        if (this.#role === 'server' && code === ErrorCodes.NO_ERROR && wasOpen && this.#goawayReceived === null) {
          this.#sendGoaway(code, debug, MAX_STREAM_ID);
          const done = () => this.#sendFinalGoaway();
          this.ping(undefined, { timeoutMs: this.#o.goawayRttTimeoutMs }).then(done, done);
        } else {
          this.#sendGoaway(code, debug, undefined);
          this.#finalGoawaySent = true;
        }
      }
    } catch (error) {
      return this.destroy(error);
    }
    this.#timers.start(limit, () => this.#closeTimedOut(limit));
    this.#maybeDrained();
    return this.closed;
  }

  #sendGoaway(code, debug, lastStreamId) {
    this.#engine.sendGoaway(code, { lastStreamId, additionalData: debug });
    const sent = this.#engine.goawaySent;
    if (this.#closeInfo?.initiator === 'local') this.#closeInfo.lastStreamId = sent;
    this.#trace({ kind: 'goaway', direction: 'out', code, lastStreamId: sent });
    this.#link.schedule();
  }

  #sendFinalGoaway() {
    if (this.#finalGoawaySent || this.#ending || this.#engine === null) return;
    this.#finalGoawaySent = true;
    const { code, debug } = this.#localGoaway;
    this.#sendGoaway(code, debug, this.#engine.highestInboundStreamId);
    this.#maybeDrained();
  }

  #closeTimedOut(limit) {
    if (this.#ending || this.#finishing) return;
    this.#trace({ kind: 'timeout', timeout: 'close' });
    this.#sendFinalGoaway();
    for (const entry of [...this.#streams.values()]) {
      const id = entry.stream.id;
      entry.control.resetWith(
        ErrorCodes.CANCEL,
        new H2TimeoutError(`stream ${id} still open ${limit} ms after close()`, { kind: 'close', streamId: id, initiator: 'library' }),
      );
    }
    this.#maybeDrained();
  }

  /** Once closing, nothing left to wait for, and the last GOAWAY sent: finish. */
  #maybeDrained() {
    if (this.#state !== 'closing' || this.#finishing || this.#ending) return;
    if (this.#localGoaway !== null && !this.#finalGoawaySent) return;
    if (this.#streams.size > 0) return;
    this.#finish();
  }

  /** The graceful end: our GOAWAY if none yet, flush, half-close, linger, close. */
  async #finish() {
    this.#finishing = true;
    this.#armIdle(false);
    if (this.#localGoaway === null && this.#engine !== null) {
      this.#localGoaway = { code: ErrorCodes.NO_ERROR };
      this.#finalGoawaySent = true;
      this.#sendGoaway(ErrorCodes.NO_ERROR, undefined, undefined);
    }
    const timers = this.#timers;
    const link = this.#link;
    const flushed = await link.whenFlushed(timers, this.#o.goawayFlushTimeoutMs);
    if (!flushed) this.#trace({ kind: 'timeout', timeout: 'goawayFlush' });
    if (flushed && !this.#ending && (await link.closeWrite(timers, this.#o.goawayFlushTimeoutMs)) && this.#transport.capabilities.halfClose && !this.#ending) {
      const eof = await link.whenEof(timers, this.#o.lingerMs);
      if (!eof && !this.#ending) this.#trace({ kind: 'timeout', timeout: 'linger' });
    }
    this.#end(this.#closeInfoNow(), undefined, false);
  }

  #closeInfoNow() {
    return this.#closeInfo ?? { initiator: 'local', code: ErrorCodes.NO_ERROR, lastStreamId: this.#engine?.goawaySent ?? 0 };
  }

  #highestStreamId() {
    const e = this.#engine;
    return e === null ? 0 : Math.max(e.highestInboundStreamId, e.highestOutboundStreamId);
  }

  /**
   * Abrupt end: GOAWAY(`code`) flushed within `goawayFlushTimeoutMs` at most, then the
   * transport closed. Every stream fails (with `error` when it is an H2Error, else with an
   * H2GoAwayError whose cause is `error`). `code` defaults to INTERNAL_ERROR with an error,
   * NO_ERROR without. Resolves like `closed`.
   */
  destroy(error, code) {
    if (this.#ending) return this.closed;
    const c = code ?? (error === undefined ? ErrorCodes.NO_ERROR : ErrorCodes.INTERNAL_ERROR);
    const streamError = destroyedError(error, c);
    this.#fatal(streamError, c, { reported: error === undefined ? undefined : streamError });
    return this.closed;
  }

  /**
   * GOAWAY(`code`) now, then end with `error` once it is flushed (bounded). `reported` is the
   * error `closed` carries (the same unless given, even as undefined).
   */
  #fatal(error, code, options = {}) {
    const reported = 'reported' in options ? options.reported : error;
    if (this.#ending) return;
    const engine = this.#engine;
    const lastStreamId = engine.highestInboundStreamId;
    try {
      engine.closeConnection(code, error instanceof H2Error && error.initiator === 'library' ? debugOf(error.message) : undefined, lastStreamId);
      this.#localGoaway ??= { code };
      this.#trace({ kind: 'goaway', direction: 'out', code, lastStreamId });
    } catch {
      // The engine is past taking a GOAWAY (it already sent one): the end goes on regardless.
    }
    this.#end({ initiator: 'local', code, lastStreamId, error: reported }, error, true);
  }

  /** A limit the peer broke: GOAWAY(ENHANCE_YOUR_CALM). */
  #calm(message) {
    this.#fatal(new DenialOfServiceError(message, { code: ErrorCodes.ENHANCE_YOUR_CALM, initiator: 'remote' }), ErrorCodes.ENHANCE_YOUR_CALM);
  }

  /** A driver bug: end the session loudly rather than carry on in an unknown state. */
  #bug(error) {
    this.destroy(error, ErrorCodes.INTERNAL_ERROR);
  }

  /**
   * The one end of every session, run once: every stream, waiter, ping and settings update
   * gets `error`; timers stop; then (after flushing the output if `flush`, bounded by
   * `goawayFlushTimeoutMs`) the transport is shut and `closed` resolves with `info`.
   */
  #end(info, error, flush) {
    if (this.#ending) return;
    this.#ending = true;
    this.#setState('closed');
    this.#closeInfo = info;
    const cause = error ?? this.#closedError();
    this.#requests.failQueued('the session ended', error);
    for (const entry of [...this.#streams.values()]) entry.control.fail(cause);
    this.#flow.failAll(cause);
    this.#pings.failAll(cause);
    this.#settingsAcks.failAll(cause);
    this.#ready.reject(cause);
    this.#incoming.end();
    this.#timers.clearAll();
    const finish = () => {
      this.#collectFrames();
      if (this.#engine !== null) {
        this.#lastSettings = { local: this.#engine.localSettings, remote: this.#engine.remoteSettings };
      }
      this.#link.shutdown(cause);
      this.#engine?.free();
      this.#engine = null;
      const result = { initiator: info.initiator, code: info.code, lastStreamId: info.lastStreamId };
      if (info.error !== undefined) result.error = info.error;
      this.#trace({ kind: 'closed', ...result });
      this.#closed.resolve(Object.freeze(result));
    };
    if (flush && !this.#link.ended) {
      this.#link.whenFlushed(this.#timers, this.#o.goawayFlushTimeoutMs).then(async (ok) => {
        if (ok) await this.#link.closeWrite(this.#timers, this.#o.goawayFlushTimeoutMs);
        else this.#trace({ kind: 'timeout', timeout: 'goawayFlush' });
        finish();
      });
    } else {
      finish();
    }
  }

  // ---- tracing --------------------------------------------------------------------------

  /** Hands a record to `options.trace` (later, in order). */
  #trace(record) {
    this.#tracer?.record(record);
  }
}

if (typeof Symbol.asyncDispose === 'symbol') {
  Object.defineProperty(H2Session.prototype, Symbol.asyncDispose, {
    value: function asyncDispose() {
      return this.close().then(() => undefined);
    },
    writable: true,
    configurable: true,
  });
}
