// HTTP/2 error codes (RFC 9113 §7) and SETTINGS identifiers (RFC 9113 §6.5.2, RFC 8441,
// RFC 9218), as frozen lookup objects both ways.

/** HTTP/2 error codes. Unknown codes travel as plain numbers. */
export const ErrorCodes = Object.freeze({
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
});

/** SETTINGS parameter identifiers. Unknown identifiers travel as plain numbers. */
export const SettingCodes = Object.freeze({
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
  ENABLE_CONNECT_PROTOCOL: 0x8,
  NO_RFC7540_PRIORITIES: 0x9,
});

/**
 * The settings with a camelCase name (`Settings` getters, `updateSettings()` keys) and their
 * identifiers. Internal: not exported by the package.
 */
export const SETTING_IDS = Object.freeze({
  headerTableSize: SettingCodes.HEADER_TABLE_SIZE,
  enablePush: SettingCodes.ENABLE_PUSH,
  maxConcurrentStreams: SettingCodes.MAX_CONCURRENT_STREAMS,
  initialWindowSize: SettingCodes.INITIAL_WINDOW_SIZE,
  maxFrameSize: SettingCodes.MAX_FRAME_SIZE,
  maxHeaderListSize: SettingCodes.MAX_HEADER_LIST_SIZE,
  enableConnectProtocol: SettingCodes.ENABLE_CONNECT_PROTOCOL,
});

/** Frame type codes (RFC 9113 §6 and extensions). */
export const FrameTypes = Object.freeze({
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

function invert(table) {
  return Object.freeze(Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k])));
}

const ERROR_NAMES = invert(ErrorCodes);
const SETTING_NAMES = invert(SettingCodes);
const FRAME_NAMES = invert(FrameTypes);

/** The RFC name of an error code (`1` → `"PROTOCOL_ERROR"`), or `undefined`. */
export function errorCodeName(code) {
  return ERROR_NAMES[code];
}

/** The RFC name of a SETTINGS identifier (`4` → `"INITIAL_WINDOW_SIZE"`), or `undefined`. */
export function settingName(code) {
  return SETTING_NAMES[code];
}

/** The registry name of a frame type (`1` → `"HEADERS"`), or `undefined`. */
export function frameTypeName(type) {
  return FRAME_NAMES[type];
}
