// The public API, shared by every entry point.
import * as binding from './wasm/h2wasm.js';
import { assertReady } from './core.js';

export { H2Configuration, H2Connection, Settings } from './connection.js';
export { ErrorCodes, SettingCodes, FrameTypes, errorCodeName, settingName, frameTypeName } from './constants.js';
export {
  H2Error,
  H2ProtocolError,
  ProtocolError,
  FrameTooLargeError,
  FrameDataMissingError,
  TooManyStreamsError,
  FlowControlError,
  StreamIDTooLowError,
  NoAvailableStreamIDError,
  NoSuchStreamError,
  StreamClosedError,
  InvalidSettingsValueError,
  InvalidBodyLengthError,
  DenialOfServiceError,
  RFC1122Error,
  InvalidInputError,
  H2GoAwayError,
  H2StreamResetError,
  H2RefusedStreamError,
  H2TimeoutError,
  H2FlowControlTimeoutError,
  H2ConnectionLostError,
  H2UsageError,
  H2SessionClosingError,
  H2QueueFullError,
} from './errors.js';
export { H2Session } from './session/session.js';
export { H2Stream, ServerStream, ClientStream } from './session/stream.js';
export { serve } from './session/fetch.js';
export { fromWebStreams, memoryTransportPair } from './transports/index.js';
export {
  fromCloudflareSocket,
  fromDenoConn,
  fromNodeSocket,
  fromWebSocket,
  fromWebSocketStream,
  fromWebTransportStream,
  TransportErrorCodes,
} from './transports/adapters.js';

/** The version of the h2wasm crate inside this package, e.g. `"0.1.0"`. */
export function version() {
  assertReady();
  return binding.version();
}
