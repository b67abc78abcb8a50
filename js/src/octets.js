// Turning JS values into octets for the binding: ByteStrings for header names and values
// (one code unit per octet, as `fetch` Headers treat them), UTF-8 for string bodies, and the
// packed header-list format the binding reads in one call.

import { InvalidInputError } from './errors.js';

const utf8 = new TextEncoder();

/** Octets of a ByteString; a code unit above 0xFF is a TypeError, as in `fetch`. */
export function byteString(value, what) {
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) {
      throw new TypeError(`${what} is not a ByteString: code unit ${c} at index ${i}`);
    }
    out[i] = c;
  }
  return out;
}

/** A view of binary input: Uint8Array as is, other views and ArrayBuffers wrapped. */
export function bytesOf(value, what) {
  if (value instanceof Uint8Array) return value;
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`${what} must be a Uint8Array, an ArrayBuffer or a view`);
}

/** Body data: bytes as is, strings as UTF-8. */
export function dataOf(value, what = 'data') {
  if (typeof value === 'string') return utf8.encode(value);
  return bytesOf(value, what);
}

/** Header-ish octets: strings as ByteStrings, bytes as is. */
export function fieldOctets(value, what) {
  if (typeof value === 'string') return byteString(value, what);
  if (value instanceof Uint8Array || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return bytesOf(value, what);
  }
  throw new TypeError(`${what} must be a string or bytes, got ${typeof value}`);
}

/** How many octets a name or value packs into. */
function octetLength(value, what) {
  if (typeof value === 'string') return value.length; // a ByteString: one octet per code unit
  if (value instanceof Uint8Array) return value.length;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  throw new TypeError(`${what} must be a string or bytes, got ${typeof value}`);
}

/** Writes a 32-bit little-endian length and the octets of `value` at `at`; returns the end. */
function writeOctets(out, at, value, length, what) {
  out[at] = length & 0xff;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = (length >>> 16) & 0xff;
  out[at + 3] = length >>> 24;
  at += 4;
  if (typeof value === 'string') {
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0xff) throw new TypeError(`${what} is not a ByteString: code unit ${c} at index ${i}`);
      out[at + i] = c;
    }
  } else {
    out.set(bytesOf(value, what), at);
  }
  return at + length;
}

function checkField(field, i) {
  if (Array.isArray(field)) {
    if (field.length < 2) throw new InvalidInputError(`header ${i} must be [name, value]`);
  } else if (field === null || typeof field !== 'object' || !('name' in field) || !('value' in field)) {
    throw new InvalidInputError(`header ${i} must be [name, value] or { name, value }`);
  }
}

const nameOf = (field) => (Array.isArray(field) ? field[0] : field.name);

function valueOf(field) {
  const value = Array.isArray(field) ? field[1] : field.value;
  return typeof value === 'number' ? String(value) : value;
}

function neverIndexed(field) {
  return Array.isArray(field) ? field[2] === true : field.sensitive === true || field.neverIndexed === true;
}

// Packed lists are written here and copied into WebAssembly memory at once by the binding,
// so one buffer serves every call; lists larger than it get their own.
const SCRATCH_SIZE = 16 * 1024;
const scratch = new Uint8Array(SCRATCH_SIZE);

/**
 * Packs a header list for the binding. Accepts an array of `[name, value]` or
 * `[name, value, true]` (never indexed) or `{ name, value, sensitive }`, a `Headers`-like
 * object with `entries()`, a `Map`, or a plain object of name → value (or array of values).
 * Values may also be numbers. The packed form is, per field, one flag octet (1: never
 * indexed), then the name and the value, each as a 32-bit little-endian length and the
 * octets.
 *
 * The result may be a view of a shared buffer: pass it to the binding before packing
 * another list.
 */
export function packHeaders(headers) {
  let list;
  if (Array.isArray(headers)) {
    list = headers;
  } else if (headers && typeof headers.entries === 'function' && !(headers instanceof Uint8Array)) {
    list = Array.from(headers.entries());
  } else if (headers && typeof headers === 'object') {
    list = [];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) list.push([name, String(v)]);
    }
  } else {
    throw new InvalidInputError('headers must be an array of [name, value] pairs');
  }
  // First pass: check the shape of every field and measure it.
  let size = 0;
  for (let i = 0; i < list.length; i++) {
    const field = list[i];
    checkField(field, i);
    size += 9 + octetLength(nameOf(field), `name of header ${i}`) + octetLength(valueOf(field), `value of header ${i}`);
  }
  // Second pass: write.
  const out = size <= SCRATCH_SIZE ? scratch : new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    const field = list[i];
    const name = nameOf(field);
    const value = valueOf(field);
    out[at++] = neverIndexed(field) ? 1 : 0;
    at = writeOctets(out, at, name, octetLength(name), `name of header ${i}`);
    at = writeOctets(out, at, value, octetLength(value), `value of header ${i}`);
  }
  return out.subarray(0, size);
}
