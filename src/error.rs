//! Errors raised by [`H2Connection`](crate::H2Connection) methods.
//!
//! The kinds mirror python-hyper/h2's exception hierarchy so that code written against either
//! reads the same:
//!
//! ```text
//! H2Error
//! ├── ProtocolError                    PROTOCOL_ERROR (or the code it carries)
//! │   ├── FrameTooLargeError           FRAME_SIZE_ERROR
//! │   ├── FrameDataMissingError        FRAME_SIZE_ERROR
//! │   ├── TooManyStreamsError          PROTOCOL_ERROR
//! │   ├── FlowControlError             FLOW_CONTROL_ERROR
//! │   ├── StreamIDTooLowError          PROTOCOL_ERROR
//! │   ├── NoAvailableStreamIDError     PROTOCOL_ERROR
//! │   ├── NoSuchStreamError            PROTOCOL_ERROR
//! │   │   └── StreamClosedError        STREAM_CLOSED
//! │   ├── InvalidSettingsValueError    PROTOCOL_ERROR or FLOW_CONTROL_ERROR
//! │   ├── InvalidBodyLengthError       PROTOCOL_ERROR
//! │   └── DenialOfServiceError         ENHANCE_YOUR_CALM
//! ├── RFC1122Error                     (no code: a server tried to prioritise)
//! └── InvalidInputError                (no code: an argument out of range; h2's ValueError)
//! ```
//!
//! When an error comes out of [`receive_data`](crate::H2Connection::receive_data) it is a
//! connection error: the GOAWAY carrying [`H2Error::error_code`] is already queued in the
//! outbound buffer, and the caller should send it before closing the transport.

use std::borrow::Cow;
use std::fmt;

use crate::error_code::ErrorCode;

/// What went wrong; see the [module documentation](self) for the hierarchy.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The protocol was broken (by the peer, or by a call that the state machines forbid).
    /// The code is normally PROTOCOL_ERROR; connection errors detected on receipt may carry
    /// another (STREAM_CLOSED, COMPRESSION_ERROR…).
    Protocol(ErrorCode),
    /// A frame larger than the receiver's SETTINGS_MAX_FRAME_SIZE (FRAME_SIZE_ERROR).
    FrameTooLarge,
    /// A frame too short for its mandatory fields (FRAME_SIZE_ERROR).
    FrameDataMissing,
    /// Opening a stream would exceed SETTINGS_MAX_CONCURRENT_STREAMS (PROTOCOL_ERROR).
    TooManyStreams,
    /// A flow-control window was exceeded or would overflow (FLOW_CONTROL_ERROR).
    FlowControl,
    /// A new stream id is not above the highest one already used in its direction.
    StreamIdTooLow {
        /// The id that was used.
        stream_id: u32,
        /// The highest id already used.
        max_stream_id: u32,
    },
    /// Every stream id of this endpoint's parity up to 2³¹−1 has been used.
    NoAvailableStreamId,
    /// The stream has never existed (it is idle).
    NoSuchStream {
        /// The stream.
        stream_id: u32,
    },
    /// The stream existed and is closed (STREAM_CLOSED).
    StreamClosed {
        /// The stream.
        stream_id: u32,
    },
    /// A SETTINGS value out of range; the code is PROTOCOL_ERROR, or FLOW_CONTROL_ERROR for
    /// SETTINGS_INITIAL_WINDOW_SIZE.
    InvalidSettingsValue(ErrorCode),
    /// The DATA received does not match content-length (PROTOCOL_ERROR).
    InvalidBodyLength {
        /// The content-length.
        expected: u64,
        /// The octets received so far.
        actual: u64,
    },
    /// The peer's behaviour looks like an attack, e.g. a header list over
    /// SETTINGS_MAX_HEADER_LIST_SIZE or a flood of frames that each force a reply
    /// (ENHANCE_YOUR_CALM).
    DenialOfService,
    /// A server tried to send priority information (RFC 1122 "be conservative in what you
    /// send": servers should not prioritise streams).
    Rfc1122,
    /// A method argument is out of range (python h2 raises `ValueError`/`TypeError`).
    InvalidInput,
}

/// An error from an [`H2Connection`](crate::H2Connection) method.
#[derive(Clone, PartialEq, Eq)]
pub struct H2Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
}

impl H2Error {
    /// An error of `kind` with a human-readable message.
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        H2Error { kind, message: message.into() }
    }

    /// A `ProtocolError` with code PROTOCOL_ERROR.
    pub fn protocol(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Protocol(ErrorCode::PROTOCOL_ERROR), message)
    }

    /// A `ProtocolError` carrying `code`.
    pub fn protocol_with(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::Protocol(code), message)
    }

    /// An `InvalidInputError` (h2's `ValueError`).
    pub fn invalid_input(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::InvalidInput, message)
    }

    /// A `FlowControlError`.
    pub fn flow_control(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::FlowControl, message)
    }

    /// A `NoSuchStreamError`.
    pub fn no_such_stream(stream_id: u32) -> Self {
        Self::new(
            ErrorKind::NoSuchStream { stream_id },
            msg!("stream ", stream_id, " does not exist"),
        )
    }

    /// A `StreamClosedError`.
    pub fn stream_closed(stream_id: u32) -> Self {
        Self::new(ErrorKind::StreamClosed { stream_id }, msg!("stream ", stream_id, " is closed"))
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP/2 error code this error maps to, or `None` for `RFC1122Error` and
    /// `InvalidInputError`, which are not protocol errors.
    pub fn error_code(&self) -> Option<ErrorCode> {
        Some(match self.kind {
            ErrorKind::Protocol(code) | ErrorKind::InvalidSettingsValue(code) => code,
            ErrorKind::FrameTooLarge | ErrorKind::FrameDataMissing => ErrorCode::FRAME_SIZE_ERROR,
            ErrorKind::FlowControl => ErrorCode::FLOW_CONTROL_ERROR,
            ErrorKind::StreamClosed { .. } => ErrorCode::STREAM_CLOSED,
            ErrorKind::DenialOfService => ErrorCode::ENHANCE_YOUR_CALM,
            ErrorKind::TooManyStreams
            | ErrorKind::StreamIdTooLow { .. }
            | ErrorKind::NoAvailableStreamId
            | ErrorKind::NoSuchStream { .. }
            | ErrorKind::InvalidBodyLength { .. } => ErrorCode::PROTOCOL_ERROR,
            ErrorKind::Rfc1122 | ErrorKind::InvalidInput => return None,
        })
    }

    /// Whether this is a `ProtocolError` or one of its subclasses.
    pub fn is_protocol_error(&self) -> bool {
        self.error_code().is_some()
    }

    /// The stream the error concerns, when there is one.
    pub fn stream_id(&self) -> Option<u32> {
        match self.kind {
            ErrorKind::StreamIdTooLow { stream_id, .. }
            | ErrorKind::NoSuchStream { stream_id }
            | ErrorKind::StreamClosed { stream_id } => Some(stream_id),
            _ => None,
        }
    }

    /// The name of the matching python h2 exception class (`"StreamClosedError"`), used by the
    /// JS layer and the differential driver.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            ErrorKind::Protocol(_) => "ProtocolError",
            ErrorKind::FrameTooLarge => "FrameTooLargeError",
            ErrorKind::FrameDataMissing => "FrameDataMissingError",
            ErrorKind::TooManyStreams => "TooManyStreamsError",
            ErrorKind::FlowControl => "FlowControlError",
            ErrorKind::StreamIdTooLow { .. } => "StreamIDTooLowError",
            ErrorKind::NoAvailableStreamId => "NoAvailableStreamIDError",
            ErrorKind::NoSuchStream { .. } => "NoSuchStreamError",
            ErrorKind::StreamClosed { .. } => "StreamClosedError",
            ErrorKind::InvalidSettingsValue(_) => "InvalidSettingsValueError",
            ErrorKind::InvalidBodyLength { .. } => "InvalidBodyLengthError",
            ErrorKind::DenialOfService => "DenialOfServiceError",
            ErrorKind::Rfc1122 => "RFC1122Error",
            ErrorKind::InvalidInput => "InvalidInputError",
        }
    }
}

impl fmt::Debug for H2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?}: {})", self.type_name(), self.kind, self.message)
    }
}

impl fmt::Display for H2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.type_name(), self.message)
    }
}

impl std::error::Error for H2Error {}

/// Result of an [`H2Connection`](crate::H2Connection) method.
pub type H2Result<T> = Result<T, H2Error>;

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn codes_follow_the_h2_hierarchy() {
        assert_eq!(H2Error::stream_closed(3).error_code(), Some(ErrorCode::STREAM_CLOSED));
        assert_eq!(H2Error::stream_closed(3).stream_id(), Some(3));
        assert_eq!(H2Error::no_such_stream(5).error_code(), Some(ErrorCode::PROTOCOL_ERROR));
        assert_eq!(H2Error::invalid_input("x").error_code(), None);
        assert!(!H2Error::new(ErrorKind::Rfc1122, "x").is_protocol_error());
        assert_eq!(
            H2Error::new(ErrorKind::DenialOfService, "x").error_code(),
            Some(ErrorCode::ENHANCE_YOUR_CALM)
        );
        assert_eq!(H2Error::flow_control("x").type_name(), "FlowControlError");
    }
}
