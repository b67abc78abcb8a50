// A small HTTP/2 frame factory and parser for the tests: builds the exact bytes a peer would
// send (including ones the engine never produces, such as malformed frames), and splits the
// engine's output back into frames. Header blocks are HPACK literals without indexing, so
// no encoder state is needed. No runtime-specific API.

export const PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export const Type = Object.freeze({
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
  ALTSVC: 0xa,
  ORIGIN: 0xc,
  PRIORITY_UPDATE: 0x10,
});

export const Flag = Object.freeze({
  ACK: 0x1,
  END_STREAM: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
});

const latin1 = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const octets = (v) => (typeof v === 'string' ? latin1(v) : v);

/** Concatenates byte arrays. */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function u32(n) {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** One frame: the 9-octet header and the payload. `length` overrides the length field. */
export function frame(type, flags, streamId, payload = new Uint8Array(0), length = payload.length) {
  const header = Uint8Array.of(
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
    type,
    flags,
    ...u32(streamId),
  );
  return concat(header, octets(payload));
}

/** An HPACK integer with a `prefixBits`-bit prefix, the first octet carrying `firstBits`. */
function hpackInt(value, prefixBits, firstBits) {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [firstBits | value];
  const out = [firstBits | max];
  let rest = value - max;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/**
 * A header block of literals without indexing (`[name, value]`), or never indexed
 * (`[name, value, true]`). Names and values are ByteStrings or bytes, not Huffman-coded.
 */
export function headerBlock(fields) {
  const parts = [];
  for (const [name, value, neverIndexed] of fields) {
    const n = octets(name);
    const v = octets(value);
    parts.push(Uint8Array.of(neverIndexed ? 0x10 : 0x00, ...hpackInt(n.length, 7, 0)), n);
    parts.push(Uint8Array.of(...hpackInt(v.length, 7, 0)), v);
  }
  return concat(...parts);
}

function padded(body, padLength) {
  if (padLength === undefined) return body;
  return concat(Uint8Array.of(padLength), body, new Uint8Array(padLength));
}

function priorityFields({ dependsOn = 0, weight = 16, exclusive = false }) {
  return concat(u32((exclusive ? 0x80000000 : 0) + dependsOn), Uint8Array.of(weight - 1));
}

/** SETTINGS with `[identifier, value]` pairs. */
export function settings(pairs = []) {
  return frame(Type.SETTINGS, 0, 0, concat(...pairs.map(([id, v]) => concat(Uint8Array.of(id >> 8, id & 0xff), u32(v)))));
}

export function settingsAck() {
  return frame(Type.SETTINGS, Flag.ACK, 0);
}

/** PING with 8 octets (a ByteString or bytes). */
export function ping(data, { ack = false } = {}) {
  return frame(Type.PING, ack ? Flag.ACK : 0, 0, octets(data));
}

export function data(streamId, payload, { endStream = false, padLength } = {}) {
  const flags = (endStream ? Flag.END_STREAM : 0) | (padLength !== undefined ? Flag.PADDED : 0);
  return frame(Type.DATA, flags, streamId, padded(octets(payload), padLength));
}

/**
 * HEADERS carrying `fields` (see headerBlock) or, with `block`, those exact octets.
 * `priority` is `{ dependsOn, weight, exclusive }`.
 */
export function headers(streamId, fields, { endStream = false, endHeaders = true, priority, padLength, block } = {}) {
  let body = block ?? headerBlock(fields);
  if (priority) body = concat(priorityFields(priority), body);
  const flags =
    (endStream ? Flag.END_STREAM : 0) |
    (endHeaders ? Flag.END_HEADERS : 0) |
    (priority ? Flag.PRIORITY : 0) |
    (padLength !== undefined ? Flag.PADDED : 0);
  return frame(Type.HEADERS, flags, streamId, padded(body, padLength));
}

export function continuation(streamId, block, { endHeaders = true } = {}) {
  return frame(Type.CONTINUATION, endHeaders ? Flag.END_HEADERS : 0, streamId, block);
}

export function priority(streamId, fields = {}) {
  return frame(Type.PRIORITY, 0, streamId, priorityFields(fields));
}

export function rstStream(streamId, errorCode) {
  return frame(Type.RST_STREAM, 0, streamId, u32(errorCode));
}

export function pushPromise(streamId, promisedStreamId, fields) {
  return frame(Type.PUSH_PROMISE, Flag.END_HEADERS, streamId, concat(u32(promisedStreamId), headerBlock(fields)));
}

export function goaway(lastStreamId, errorCode, debugData = new Uint8Array(0)) {
  return frame(Type.GOAWAY, 0, 0, concat(u32(lastStreamId), u32(errorCode), octets(debugData)));
}

export function windowUpdate(streamId, increment) {
  return frame(Type.WINDOW_UPDATE, 0, streamId, u32(increment));
}

export function altsvc(streamId, origin, fieldValue) {
  const o = octets(origin);
  return frame(Type.ALTSVC, 0, streamId, concat(Uint8Array.of(o.length >> 8, o.length & 0xff), o, octets(fieldValue)));
}

export function origin(origins) {
  return frame(
    Type.ORIGIN,
    0,
    0,
    concat(...origins.map((o) => concat(Uint8Array.of(o.length >> 8, o.length & 0xff), latin1(o)))),
  );
}

export function priorityUpdate(prioritizedStreamId, fieldValue) {
  return frame(Type.PRIORITY_UPDATE, 0, 0, concat(u32(prioritizedStreamId), latin1(fieldValue)));
}

/**
 * Splits bytes into frames `{ type, flags, streamId, payload }`; a leading client preface is
 * skipped. Throws on a truncated frame.
 */
export function parseFrames(bytes) {
  let at = 0;
  if (bytes.length >= PREFACE.length && PREFACE.every((b, i) => bytes[i] === b)) at = PREFACE.length;
  const out = [];
  while (at < bytes.length) {
    if (bytes.length - at < 9) throw new Error(`truncated frame header at ${at}`);
    const length = (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2];
    const streamId = ((bytes[at + 5] & 0x7f) << 24) | (bytes[at + 6] << 16) | (bytes[at + 7] << 8) | bytes[at + 8];
    if (bytes.length - at - 9 < length) throw new Error(`truncated frame at ${at}`);
    out.push({ type: bytes[at + 3], flags: bytes[at + 4], streamId, payload: bytes.slice(at + 9, at + 9 + length) });
    at += 9 + length;
  }
  return out;
}

/** The 32-bit big-endian number at `at` of a payload. */
export function readU32(payload, at = 0) {
  return ((payload[at] << 24) >>> 0) + (payload[at + 1] << 16) + (payload[at + 2] << 8) + payload[at + 3];
}
