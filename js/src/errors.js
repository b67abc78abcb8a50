// Error classes. The hierarchy mirrors python h2's exceptions; every class carries the
// HTTP/2 error code it maps to (`code`), and `streamId` where one stream is concerned.
//
// H2Error
// ├── H2ProtocolError (ProtocolError)      PROTOCOL_ERROR or the code it carries
// │   ├── FrameTooLargeError               FRAME_SIZE_ERROR
// │   ├── FrameDataMissingError            FRAME_SIZE_ERROR
// │   ├── TooManyStreamsError              PROTOCOL_ERROR
// │   ├── FlowControlError                 FLOW_CONTROL_ERROR
// │   ├── StreamIDTooLowError              PROTOCOL_ERROR (streamId, maxStreamId)
// │   ├── NoAvailableStreamIDError         PROTOCOL_ERROR
// │   ├── NoSuchStreamError                PROTOCOL_ERROR (streamId)
// │   │   └── StreamClosedError            STREAM_CLOSED  (streamId)
// │   ├── InvalidSettingsValueError        PROTOCOL_ERROR or FLOW_CONTROL_ERROR
// │   ├── InvalidBodyLengthError           PROTOCOL_ERROR (expectedLength, actualLength)
// │   └── DenialOfServiceError             ENHANCE_YOUR_CALM
// ├── RFC1122Error                         (no code)
// └── InvalidInputError                    (no code; python h2's ValueError/TypeError)

/** Base class of every error h2wasm throws. */
export class H2Error extends Error {
  constructor(message, details = {}) {
    super(message);
    /** The HTTP/2 error code this error maps to, or `undefined`. */
    this.code = details.code ?? undefined;
    /** The stream concerned, if any. */
    this.streamId = details.streamId ?? undefined;
    /**
     * For errors thrown by `receiveData`: the events of the frames processed before the
     * failing one. Handle them: they happened.
     */
    this.events = details.events ?? [];
  }
}

/** The peer (or a call) broke the protocol. python h2's `ProtocolError`. */
export class H2ProtocolError extends H2Error {}
export class FrameTooLargeError extends H2ProtocolError {}
export class FrameDataMissingError extends H2ProtocolError {}
export class TooManyStreamsError extends H2ProtocolError {}
export class FlowControlError extends H2ProtocolError {}
export class StreamIDTooLowError extends H2ProtocolError {
  constructor(message, details = {}) {
    super(message, details);
    /** The highest stream id already used. */
    this.maxStreamId = details.maxStreamId ?? undefined;
  }
}
export class NoAvailableStreamIDError extends H2ProtocolError {}
export class NoSuchStreamError extends H2ProtocolError {}
export class StreamClosedError extends NoSuchStreamError {}
export class InvalidSettingsValueError extends H2ProtocolError {}
export class InvalidBodyLengthError extends H2ProtocolError {
  constructor(message, details = {}) {
    super(message, details);
    /** The content-length. */
    this.expectedLength = details.expectedLength ?? undefined;
    /** The octets received. */
    this.actualLength = details.actualLength ?? undefined;
  }
}
export class DenialOfServiceError extends H2ProtocolError {}
/** A server tried to prioritise. */
export class RFC1122Error extends H2Error {}
/** An argument is out of range or of the wrong type. */
export class InvalidInputError extends H2Error {}

/** python h2's name for `H2ProtocolError`. */
export const ProtocolError = H2ProtocolError;

const BY_KIND = {
  ProtocolError: H2ProtocolError,
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
};

// `name` is set on each prototype explicitly so that it survives minification.
for (const [name, Class] of Object.entries({ H2Error, H2ProtocolError, ...BY_KIND })) {
  if (Class !== H2ProtocolError || name === 'H2ProtocolError') {
    Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true });
  }
}

/** Turns what the binding throws into an instance of the matching class. */
export function fromBinding(raw) {
  if (raw instanceof Error) {
    return raw;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.kind !== 'string') {
    return new H2Error(String(raw));
  }
  const Class = BY_KIND[raw.kind] ?? H2Error;
  return new Class(raw.message, {
    code: raw.code ?? undefined,
    streamId: raw.streamId ?? undefined,
    maxStreamId: raw.maxStreamId ?? undefined,
    expectedLength: raw.expectedLength ?? undefined,
    actualLength: raw.actualLength ?? undefined,
    events: raw.events ?? [],
  });
}
