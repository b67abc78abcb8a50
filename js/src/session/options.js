// The options of an H2Session: defaults, checks, and the engine configuration they imply.

import { H2Configuration } from '../connection.js';
import { SETTING_IDS } from '../constants.js';
import { InvalidInputError } from '../errors.js';
import { checkClock, realClock } from './clock.js';

/** Every session option with its default (see docs/session.md). */
export const SESSION_DEFAULTS = Object.freeze({
  handshakeTimeoutMs: 10_000,
  settingsAckTimeoutMs: 10_000,
  idleTimeoutMs: 0,
  keepAlive: null,
  flowControlTimeoutMs: 30_000,
  onFlowControlTimeout: 'reset',
  closeTimeoutMs: 30_000,
  goawayFlushTimeoutMs: 1_000,
  goawayRttTimeoutMs: 1_000,
  lingerMs: 1_000,
  outboundHighWaterMark: 128 * 1024,
  writableHighWaterMark: 64 * 1024,
  maxOutboundControlBytes: 64 * 1024,
  maxInboundBufferedBytes: 16 * 1024 * 1024,
  maxRapidResets: 100,
  rapidResetWindowMs: 10_000,
  connectionWindowSize: 1024 * 1024,
  maxQueuedRequests: 1000,
});

const DURATIONS = [
  'handshakeTimeoutMs',
  'settingsAckTimeoutMs',
  'idleTimeoutMs',
  'flowControlTimeoutMs',
  'closeTimeoutMs',
  'goawayFlushTimeoutMs',
  'goawayRttTimeoutMs',
  'lingerMs',
  'rapidResetWindowMs',
];
const SIZES = [
  'outboundHighWaterMark',
  'writableHighWaterMark',
  'maxOutboundControlBytes',
  'maxInboundBufferedBytes',
  'maxRapidResets',
  'connectionWindowSize',
  'maxQueuedRequests',
];
/** Session options that become engine limits (our SETTINGS). */
const LIMIT_OPTIONS = {
  maxConcurrentStreams: 'maxConcurrentStreams',
  initialWindowSize: 'initialWindowSize',
  maxHeaderListSize: 'maxHeaderListSize',
  maxFrameSize: 'maxInboundFrameSize',
  headerTableSize: 'headerTableSize',
};
const OTHER = new Set([
  'clock',
  'trace',
  'onstream',
  'onpush',
  'ongoaway',
  'enablePush',
  'enableConnectProtocol',
  'engine',
  'keepAlive',
  'onFlowControlTimeout',
]);

function nonNegative(value, name) {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new InvalidInputError(`option ${name} must be a number >= 0, got ${value}`);
  }
  return value;
}

/** Checks `options` and fills in the defaults; throws InvalidInputError on a bad option. */
export function sessionOptions(role, options = {}) {
  if (options === null || typeof options !== 'object') throw new InvalidInputError('options must be an object');
  const o = { ...SESSION_DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (DURATIONS.includes(key) || SIZES.includes(key)) {
      o[key] = nonNegative(value, key);
    } else if (key in LIMIT_OPTIONS) {
      if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
        throw new InvalidInputError(`option ${key} must be an integer in 0..2^32-1`);
      }
      o[key] = value;
    } else if (OTHER.has(key)) {
      o[key] = value;
    } else {
      throw new InvalidInputError(`unknown session option ${key}`);
    }
  }
  if (o.onFlowControlTimeout !== 'reset' && o.onFlowControlTimeout !== 'error') {
    throw new InvalidInputError(`onFlowControlTimeout must be 'reset' or 'error'`);
  }
  if (o.keepAlive !== null) {
    const { intervalMs, timeoutMs = intervalMs } = o.keepAlive;
    o.keepAlive = { intervalMs: nonNegative(intervalMs, 'keepAlive.intervalMs'), timeoutMs: nonNegative(timeoutMs, 'keepAlive.timeoutMs') };
  }
  for (const name of ['trace', 'onstream', 'onpush', 'ongoaway']) {
    if (o[name] !== undefined && o[name] !== null && typeof o[name] !== 'function') {
      throw new InvalidInputError(`option ${name} must be a function`);
    }
  }
  if (o.connectionWindowSize > 0x7fffffff) throw new InvalidInputError('connectionWindowSize must be at most 2^31-1');
  o.clock = checkClock(o.clock ?? realClock);
  o.role = role;
  return o;
}

/** The engine configuration for a session of `role` with checked options `o`. */
export function engineConfig(role, o) {
  const extra = o.engine ?? {};
  for (const key of ['clientSide', 'gracefulShutdown', 'frameTrace', 'rawHeaders']) {
    if (key in extra) throw new InvalidInputError(`engine.${key} is set by the session`);
  }
  // The frame trace feeds stats() and `trace`; it is drained after every read and before
  // every write, so only one read holding more frames than this could lose entries.
  const limits = { maxTraceEntries: 65_536, ...(extra.limits ?? {}) };
  for (const [option, limit] of Object.entries(LIMIT_OPTIONS)) {
    if (o[option] !== undefined) limits[limit] = o[option];
  }
  // Push is offered only to a client that handles pushed streams.
  const enablePush = role === 'client' ? (o.enablePush ?? typeof o.onpush === 'function') : undefined;
  return new H2Configuration({
    // A peer stream over our limit is refused (retryable), not a connection error, unless
    // the application asks for python h2's behaviour through `engine`.
    refuseExcessStreams: true,
    ...extra,
    clientSide: role === 'client',
    gracefulShutdown: true,
    frameTrace: true,
    rawHeaders: false,
    enablePush,
    enableConnectProtocol: o.enableConnectProtocol ?? extra.enableConnectProtocol ?? false,
    limits,
  });
}

/** `[identifier, value]` pairs from `{ maxConcurrentStreams: 10 }`, `{ 3: 10 }` or pairs. */
export function settingPairs(partial) {
  const entries = partial instanceof Map || Array.isArray(partial) ? [...partial] : Object.entries(partial ?? {});
  return entries.map(([key, value]) => {
    const id = SETTING_IDS[key] ?? Number(key);
    if (!Number.isInteger(id)) throw new InvalidInputError(`unknown setting ${key}`);
    const v = typeof value === 'boolean' ? Number(value) : value;
    return [id, v];
  });
}
