// Header lists for the session layer: every accepted input shape turned into one ordered list
// of fields, and received lists split into their pseudo-header fields and the rest (repeats
// kept, order kept).

import { InvalidInputError } from '../errors.js';

/**
 * An ordered list of `[name, value]` (or `[name, value, true]` / `{name, value, sensitive}`)
 * fields from an array, a `Headers`, a `Map`, any iterable of pairs, or a plain object whose
 * values may be arrays (one field per element). Never returns the argument itself.
 */
export function headerList(headers) {
  if (headers === undefined || headers === null) return [];
  if (Array.isArray(headers)) return headers.slice();
  if (typeof headers === 'object' && typeof headers.entries === 'function') return Array.from(headers.entries());
  if (typeof headers === 'object' && typeof headers[Symbol.iterator] === 'function') return Array.from(headers);
  if (typeof headers === 'object') {
    const out = [];
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) out.push([name, String(v)]);
    }
    return out;
  }
  throw new InvalidInputError('headers must be an array of [name, value] pairs, a Headers, a Map or an object');
}

const fieldName = (field) => (Array.isArray(field) ? field[0] : field.name);
const fieldValue = (field) => (Array.isArray(field) ? field[1] : field.value);

/** A header name or value as a string (bytes as latin1, as received fields are). */
const fieldText = (v) => (typeof v === 'string' ? v : v instanceof Uint8Array ? String.fromCharCode(...v) : String(v));

/** The value of the first field named `name` in an outbound list, or `undefined`. */
export function findField(list, name) {
  for (const field of list) {
    if (fieldText(fieldName(field)).toLowerCase() === name) return fieldText(fieldValue(field));
  }
  return undefined;
}

/** The values of every field named `name` (lower case) in a list, in order. */
export function fieldValues(list, name) {
  const out = [];
  for (const field of list) {
    if (fieldText(fieldName(field)).toLowerCase() === name) out.push(fieldText(fieldValue(field)));
  }
  return out;
}

/** `list` without its fields named `name` (lower case). */
export function withoutField(list, name) {
  return list.filter((field) => fieldText(fieldName(field)).toLowerCase() !== name);
}

/** Whether an outbound list already has a pseudo-header field (a name starting with ':'). */
export function hasPseudo(list) {
  return list.some((field) => fieldText(fieldName(field)).startsWith(':'));
}

/**
 * Splits a received request header list: `{ method, scheme, authority, path, protocol,
 * headers }`, the pseudo-header fields by name (absent ones `undefined`) and the regular
 * fields in order.
 */
export function requestOf(received) {
  const out = { method: undefined, scheme: undefined, authority: undefined, path: undefined, protocol: undefined, headers: [] };
  for (const field of received) {
    switch (field[0]) {
      case ':method':
        out.method = field[1];
        break;
      case ':scheme':
        out.scheme = field[1];
        break;
      case ':authority':
        out.authority = field[1];
        break;
      case ':path':
        out.path = field[1];
        break;
      case ':protocol':
        out.protocol = field[1];
        break;
      default:
        if (!field[0].startsWith(':')) out.headers.push(field);
    }
  }
  return out;
}

/** Splits a received response (or 1xx) header list: `{ status, headers }`. */
export function responseOf(received) {
  let status = 0;
  const headers = [];
  for (const field of received) {
    if (field[0] === ':status') status = Number(field[1]);
    else if (!field[0].startsWith(':')) headers.push(field);
  }
  return { status, headers };
}

/** A request header list from a request description (for upgrades and outbound lists). */
export function requestFields({ method = 'GET', scheme = 'http', authority, path = '/', protocol, headers } = {}) {
  const out = [
    [':method', method],
    [':scheme', scheme],
  ];
  if (authority !== undefined) out.push([':authority', authority]);
  out.push([':path', path]);
  if (protocol !== undefined) out.push([':protocol', protocol]);
  return out.concat(headerList(headers));
}

/**
 * The promised request of a push: a header list, or a description `{ method, path, ... }`.
 * Missing `:scheme` and `:authority` come from the parent request; pseudo fields go first.
 */
export function pushFields(headers, parent) {
  const described = headers !== null && typeof headers === 'object' && !Array.isArray(headers) && 'path' in headers && !(':path' in headers);
  const list = described ? requestFields(headers) : headerList(headers);
  const pseudo = list.filter((f) => fieldText(fieldName(f)).startsWith(':'));
  const regular = list.filter((f) => !pseudo.includes(f));
  if (findField(list, ':scheme') === undefined && parent.scheme !== undefined) pseudo.push([':scheme', parent.scheme]);
  if (findField(list, ':authority') === undefined && parent.authority !== undefined) pseudo.push([':authority', parent.authority]);
  return pseudo.concat(regular);
}


/**
 * The description of an outbound request list (what ClientStream.request and a pushed
 * ServerStream.request show): pseudo fields by name, regular fields in order, lowercased.
 */
export function describeRequest(list) {
  const out = { method: undefined, scheme: undefined, authority: undefined, path: undefined, protocol: undefined, headers: [] };
  for (const field of list) {
    const name = fieldText(fieldName(field)).toLowerCase();
    const value = fieldText(fieldValue(field));
    switch (name) {
      case ':method':
        out.method = value;
        break;
      case ':scheme':
        out.scheme = value;
        break;
      case ':authority':
        out.authority = value;
        break;
      case ':path':
        out.path = value;
        break;
      case ':protocol':
        out.protocol = value;
        break;
      default:
        if (!name.startsWith(':')) out.headers.push([name, value]);
    }
  }
  return out;
}
