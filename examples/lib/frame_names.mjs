// Names for frame types and flags, for the examples' frame traces. Flags are per frame type
// (RFC 9113 §6); a bit with no name for that type prints as hex.

import { FrameTypes } from 'h2wasm';

const TYPE_NAMES = Object.fromEntries(Object.entries(FrameTypes).map(([name, type]) => [type, name]));

const FLAG_NAMES = {
  [FrameTypes.DATA]: { 0x1: 'END_STREAM', 0x8: 'PADDED' },
  [FrameTypes.HEADERS]: { 0x1: 'END_STREAM', 0x4: 'END_HEADERS', 0x8: 'PADDED', 0x20: 'PRIORITY' },
  [FrameTypes.SETTINGS]: { 0x1: 'ACK' },
  [FrameTypes.PING]: { 0x1: 'ACK' },
  [FrameTypes.PUSH_PROMISE]: { 0x4: 'END_HEADERS', 0x8: 'PADDED' },
  [FrameTypes.CONTINUATION]: { 0x4: 'END_HEADERS' },
};

/** The name of frame type `type` (`DATA`, `HEADERS`, …), or its hex value when unknown. */
export const frameTypeName = (type) => TYPE_NAMES[type] ?? `0x${type.toString(16)}`;

/** The set flags of a frame of type `type`, joined by `|` (empty when none is set). */
export function flagText(type, flags) {
  const names = FLAG_NAMES[type] ?? {};
  const parts = [];
  for (let bit = 1; bit <= 0x80; bit <<= 1) {
    if (flags & bit) parts.push(names[bit] ?? `0x${bit.toString(16)}`);
  }
  return parts.join('|');
}
