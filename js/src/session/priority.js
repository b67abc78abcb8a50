// RFC 9218 priorities in the session: the `{ urgency, incremental }` shape the API takes and
// gives, the Priority field value that carries it (header field and PRIORITY_UPDATE), and
// the bounded buffer a server keeps for PRIORITY_UPDATE frames that arrive before their
// stream's HEADERS.
//
// A priority signal is complete (RFC 9218 §4): a member it leaves out takes its default,
// urgency 3 and not incremental.

import { fieldValues } from './headers.js';

export const DEFAULT_URGENCY = 3;

/** The priority of a stream nobody signalled anything for. */
export const DEFAULT_PRIORITY = Object.freeze({ urgency: DEFAULT_URGENCY, incremental: false });

/**
 * Checks a `{ urgency?, incremental? }` argument and returns it frozen with the defaults
 * filled in. TypeError for a wrong type, RangeError for an urgency outside 0..7.
 */
export function checkPriority(value, what = 'priority') {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`${what} must be an object { urgency, incremental }, got ${value === null ? 'null' : typeof value}`);
  }
  const { urgency = DEFAULT_URGENCY, incremental = false } = value;
  if (typeof urgency !== 'number' || !Number.isInteger(urgency)) {
    throw new TypeError(`${what}.urgency must be an integer, got ${typeof urgency === 'number' ? urgency : typeof urgency}`);
  }
  if (urgency < 0 || urgency > 7) throw new RangeError(`${what}.urgency must be 0..7, got ${urgency}`);
  if (typeof incremental !== 'boolean') throw new TypeError(`${what}.incremental must be a boolean, got ${typeof incremental}`);
  return Object.freeze({ urgency, incremental });
}

/** The Priority field value of `priority`: `'u=1, i'`; `''` when both members are defaults. */
export function priorityField({ urgency, incremental }) {
  const members = [];
  if (urgency !== DEFAULT_URGENCY) members.push(`u=${urgency}`);
  if (incremental) members.push('i');
  return members.join(', ');
}

const KEY = /^[a-z*][a-z0-9_\-.*]*$/;
const INTEGER = /^-?[0-9]{1,15}$/;

/**
 * Reads a Priority field value (RFC 9218 §4, an RFC 8941 Dictionary; several field lines
 * joined with commas) into `{ urgency, incremental }`. Per member: `u` counts only as an
 * integer 0..7 and `i` only as a Boolean (bare `i` is true); parameters after `;` are
 * ignored, and so are unknown keys, members of the wrong type or out of range, and members
 * that do not parse. A repeated key: the last one counts. Anything else gives the defaults.
 */
export function parsePriority(fieldValue) {
  let urgency = DEFAULT_URGENCY;
  let incremental = false;
  if (typeof fieldValue !== 'string' || fieldValue === '') return DEFAULT_PRIORITY;
  for (const raw of fieldValue.split(',')) {
    const member = raw.trim().split(';', 1)[0].trim();
    const eq = member.indexOf('=');
    const key = eq < 0 ? member : member.slice(0, eq);
    if (!KEY.test(key)) continue;
    const value = eq < 0 ? '?1' : member.slice(eq + 1);
    if (key === 'u') {
      if (!INTEGER.test(value)) continue;
      const n = Number(value);
      if (n >= 0 && n <= 7) urgency = n;
    } else if (key === 'i') {
      if (value === '?1') incremental = true;
      else if (value === '?0') incremental = false;
    }
  }
  return urgency === DEFAULT_URGENCY && !incremental ? DEFAULT_PRIORITY : Object.freeze({ urgency, incremental });
}

/** The priority a request's header list signals: its `priority` field lines, joined. */
export function priorityOfFields(list) {
  const values = fieldValues(list, 'priority');
  return values.length === 0 ? DEFAULT_PRIORITY : parsePriority(values.join(', '));
}

/**
 * PRIORITY_UPDATE frames a server received for streams the client has not opened yet
 * (RFC 9218 §7.1 lets a server buffer a bounded number of them). At most `limit` streams are
 * remembered; past that the oldest is forgotten. A newer update for a stream replaces the
 * older one.
 */
export class EarlyPriorities {
  #limit;
  #byStream = new Map();

  constructor(limit) {
    this.#limit = limit;
  }

  get size() {
    return this.#byStream.size;
  }

  remember(streamId, priority) {
    this.#byStream.delete(streamId);
    this.#byStream.set(streamId, priority);
    if (this.#byStream.size > this.#limit) this.#byStream.delete(this.#byStream.keys().next().value);
  }

  /** The buffered priority of `streamId` (forgotten once taken), or `undefined`. */
  take(streamId) {
    const priority = this.#byStream.get(streamId);
    if (priority !== undefined) this.#byStream.delete(streamId);
    return priority;
  }
}
