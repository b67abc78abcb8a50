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
// ├── InvalidInputError                    (no code; python h2's ValueError/TypeError)
// │   session layer (H2Session and its streams):
// ├── H2GoAwayError                        a GOAWAY ended the connection (code: its code)
// ├── H2StreamResetError                   RST_STREAM ended a stream (code: its code)
// │   └── H2RefusedStreamError             REFUSED_STREAM, or above a GOAWAY's last id; retryable
// ├── H2TimeoutError                       a deadline passed (kind says which)
// │   └── H2FlowControlTimeoutError        no flow-control progress for flowControlTimeoutMs
// ├── H2ConnectionLostError                EOF, read or write error, transport closed (cause)
// ├── H2UsageError                         API misuse (writing after end(), ...)
// ├── H2SessionClosingError                no new stream: GOAWAY sent or received; retryable
// └── H2QueueFullError                     a request beyond maxQueuedRequests; retryable
//
// Every class also carries `initiator` where it is known: 'local' (this application asked for
// it), 'remote' (the peer sent it or caused it) or 'library' (h2wasm decided: a timeout, a
// limit). The engine's own errors (the python h2 mirror) leave it undefined when thrown by a
// command; the session sets it to 'remote' on the ones the peer's bytes caused.

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
    /** Who the error comes from: `'local'`, `'remote'`, `'library'`, or `undefined`. */
    this.initiator = details.initiator ?? undefined;
    if (details.cause !== undefined) this.cause = details.cause;
  }

  /** Whether the same request may be retried on another connection (false by default). */
  get retryable() {
    return false;
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

// ---- the session layer -----------------------------------------------------------------

/** A GOAWAY ended the connection; `code` is its error code, `lastStreamId` its last id. */
export class H2GoAwayError extends H2Error {
  constructor(message, details = {}) {
    super(message, details);
    /** The last-stream-id the GOAWAY carried. */
    this.lastStreamId = details.lastStreamId ?? undefined;
    /** The GOAWAY's debug data, if any. */
    this.debugData = details.debugData ?? undefined;
  }
}

/** RST_STREAM ended a stream; `code` is its error code, `initiator` who sent it. */
export class H2StreamResetError extends H2Error {}

/**
 * The peer did not process the stream: RST_STREAM(REFUSED_STREAM), or a stream above the
 * last-stream-id of the peer's GOAWAY. Safe to retry on another connection.
 */
export class H2RefusedStreamError extends H2StreamResetError {
  get retryable() {
    return true;
  }
}

/** A deadline passed. `kind` names it: `'handshake'`, `'settingsAck'`, `'ping'`, ... */
export class H2TimeoutError extends H2Error {
  constructor(message, details = {}) {
    super(message, details);
    /** Which deadline: see docs/session.md for the list. */
    this.kind = details.kind ?? undefined;
  }
}

/** A write made no flow-control progress for `flowControlTimeoutMs` (kind `'flowControl'`). */
export class H2FlowControlTimeoutError extends H2TimeoutError {
  constructor(message, details = {}) {
    super(message, { ...details, kind: 'flowControl' });
  }
}

/** The transport ended under the session (EOF, read or write error); `cause` says how. */
export class H2ConnectionLostError extends H2Error {}

/** The API was used the wrong way (writing after `end()`, responding twice, ...). */
export class H2UsageError extends H2Error {}

/** No new stream: this session sent or received GOAWAY, or is closed. Retry elsewhere. */
export class H2SessionClosingError extends H2Error {
  get retryable() {
    return true;
  }
}

/**
 * A client request found every stream slot taken (the peer's MAX_CONCURRENT_STREAMS) and the
 * session's queue full (`maxQueuedRequests`). Nothing was sent: retry later or elsewhere.
 */
export class H2QueueFullError extends H2Error {
  constructor(message, details = {}) {
    super(message, details);
    /** The queue's capacity (`maxQueuedRequests`). */
    this.limit = details.limit ?? undefined;
  }

  get retryable() {
    return true;
  }
}

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
const SESSION_CLASSES = {
  H2GoAwayError,
  H2StreamResetError,
  H2RefusedStreamError,
  H2TimeoutError,
  H2FlowControlTimeoutError,
  H2ConnectionLostError,
  H2UsageError,
  H2SessionClosingError,
  H2QueueFullError,
};
for (const [name, Class] of Object.entries({ H2Error, H2ProtocolError, ...BY_KIND, ...SESSION_CLASSES })) {
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
