// Decodes the compact event buffer `receiveData` gets from the binding (layout documented in
// src/wasm/convert.rs) into the plain event objects of index.d.ts. Binary payloads are views
// into the one buffer copied out of WebAssembly memory, so DATA is copied exactly once.

const NAMES = [
  undefined,
  'RequestReceived',
  'ResponseReceived',
  'TrailersReceived',
  'InformationalResponseReceived',
];

/** Octets as a ByteString: one UTF-16 code unit per octet (latin1, not windows-1252). */
function latin1(bytes, start, end) {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)));
  }
  return out;
}

class Reader {
  constructor(bytes, raw) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.at = 0;
    this.raw = raw;
  }
  u8() {
    return this.bytes[this.at++];
  }
  u32() {
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  bytesField() {
    const n = this.u32();
    const v = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  text() {
    const n = this.u32();
    const s = latin1(this.bytes, this.at, this.at + n);
    this.at += n;
    return s;
  }
  octets() {
    return this.raw ? this.bytesField() : this.text();
  }
  headers() {
    const count = this.u32();
    const out = new Array(count);
    for (let i = 0; i < count; i++) {
      const neverIndexed = this.u8() & 1;
      const name = this.octets();
      const value = this.octets();
      out[i] = neverIndexed ? [name, value, true] : [name, value];
    }
    return out;
  }
  changes() {
    const count = this.u32();
    const out = new Array(count);
    for (let i = 0; i < count; i++) {
      const setting = this.u32();
      const hasOriginal = this.u8();
      const original = this.u32();
      out[i] = { setting, originalValue: hasOriginal ? original : null, newValue: this.u32() };
    }
    return out;
  }
  ping() {
    const v = this.bytes.subarray(this.at, this.at + 8);
    this.at += 8;
    return v;
  }
}

/**
 * Decodes an event buffer. `rawHeaders` makes header names and values `Uint8Array` views
 * instead of ByteStrings.
 */
export function decodeEvents(bytes, rawHeaders = false) {
  const r = new Reader(bytes, rawHeaders);
  const events = [];
  while (r.at < bytes.length) {
    const tag = r.u8();
    switch (tag) {
      case 1:
      case 2:
      case 3:
      case 4: {
        const streamId = r.u32();
        const flags = r.u8();
        let priorityUpdated = null;
        if (flags & 2) {
          const weight = r.u32();
          const dependsOn = r.u32();
          priorityUpdated = { type: 'PriorityUpdated', streamId, weight, dependsOn, exclusive: r.u8() === 1 };
        }
        const headers = r.headers();
        const streamEnded = flags & 1 ? { type: 'StreamEnded', streamId } : null;
        events.push(
          tag === 4
            ? { type: NAMES[tag], streamId, headers, priorityUpdated }
            : { type: NAMES[tag], streamId, headers, streamEnded, priorityUpdated },
        );
        break;
      }
      case 5: {
        const streamId = r.u32();
        const flowControlledLength = r.u32();
        const ended = r.u8() === 1;
        const data = r.bytesField();
        events.push({
          type: 'DataReceived',
          streamId,
          data,
          flowControlledLength,
          streamEnded: ended ? { type: 'StreamEnded', streamId } : null,
        });
        break;
      }
      case 6: {
        const streamId = r.u32();
        events.push({ type: 'WindowUpdated', streamId, delta: r.u32() });
        break;
      }
      case 7:
        events.push({ type: 'RemoteSettingsChanged', changedSettings: r.changes() });
        break;
      case 8:
        events.push({ type: 'SettingsAcknowledged', changedSettings: r.changes() });
        break;
      case 9:
        events.push({ type: 'PingReceived', pingData: r.ping() });
        break;
      case 10:
        events.push({ type: 'PingAckReceived', pingData: r.ping() });
        break;
      case 11:
        events.push({ type: 'StreamEnded', streamId: r.u32() });
        break;
      case 12: {
        const streamId = r.u32();
        const errorCode = r.u32();
        events.push({ type: 'StreamReset', streamId, errorCode, remoteReset: r.u8() === 1 });
        break;
      }
      case 13: {
        const pushedStreamId = r.u32();
        const parentStreamId = r.u32();
        events.push({ type: 'PushedStreamReceived', pushedStreamId, parentStreamId, headers: r.headers() });
        break;
      }
      case 14: {
        const streamId = r.u32();
        const weight = r.u32();
        const dependsOn = r.u32();
        events.push({ type: 'PriorityUpdated', streamId, weight, dependsOn, exclusive: r.u8() === 1 });
        break;
      }
      case 15: {
        const errorCode = r.u32();
        const lastStreamId = r.u32();
        const hasData = r.u8() === 1;
        const data = r.bytesField();
        events.push({ type: 'ConnectionTerminated', errorCode, lastStreamId, additionalData: hasData ? data : null });
        break;
      }
      case 16: {
        const hasOrigin = r.u8() === 1;
        const origin = r.text();
        events.push({ type: 'AlternativeServiceAvailable', origin: hasOrigin ? origin : null, fieldValue: r.text() });
        break;
      }
      case 17: {
        const type = r.u8();
        const flags = r.u8();
        const streamId = r.u32();
        events.push({ type: 'UnknownFrameReceived', frame: { type, flags, streamId, payload: r.bytesField() } });
        break;
      }
      case 18: {
        const prioritizedStreamId = r.u32();
        const urgency = r.u8();
        const incremental = r.u8() === 1;
        events.push({ type: 'PriorityUpdateReceived', prioritizedStreamId, urgency, incremental, fieldValue: r.text() });
        break;
      }
      case 19: {
        const count = r.u32();
        const origins = [];
        for (let i = 0; i < count; i++) origins.push(r.text());
        events.push({ type: 'OriginReceived', origins });
        break;
      }
      default:
        throw new Error(`h2wasm: unknown event record ${tag} in the binding's output`);
    }
  }
  return events;
}
