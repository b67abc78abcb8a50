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

function normaliseField(field, index) {
  if (Array.isArray(field)) {
    if (field.length < 2) throw new InvalidInputError(`header ${index} must be [name, value]`);
    return [field[0], field[1], field[2] === true];
  }
  if (field !== null && typeof field === 'object' && 'name' in field && 'value' in field) {
    return [field.name, field.value, field.sensitive === true || field.neverIndexed === true];
  }
  throw new InvalidInputError(`header ${index} must be [name, value] or { name, value }`);
}

/**
 * Packs a header list for the binding. Accepts an array of `[name, value]` or
 * `[name, value, true]` (never indexed) or `{ name, value, sensitive }`, a `Headers`-like
 * object with `entries()`, a `Map`, or a plain object of name → value (or array of values).
 */
export function packHeaders(headers) {
  let list;
  if (Array.isArray(headers)) {
    list = headers.map(normaliseField);
  } else if (headers && typeof headers.entries === 'function' && !(headers instanceof Uint8Array)) {
    list = Array.from(headers.entries(), (f, i) => normaliseField(f, i));
  } else if (headers && typeof headers === 'object') {
    list = [];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) list.push([name, String(v), false]);
    }
  } else {
    throw new InvalidInputError('headers must be an array of [name, value] pairs');
  }
  const parts = list.map(([n, v, s], i) => [
    fieldOctets(n, `name of header ${i}`),
    fieldOctets(typeof v === 'number' ? String(v) : v, `value of header ${i}`),
    s,
  ]);
  let size = 0;
  for (const [n, v] of parts) size += 9 + n.length + v.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [n, v, s] of parts) {
    out[at] = s ? 1 : 0;
    view.setUint32(at + 1, n.length, true);
    out.set(n, at + 5);
    at += 5 + n.length;
    view.setUint32(at, v.length, true);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  return out;
}
