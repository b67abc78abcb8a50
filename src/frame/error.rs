//! Frame-level errors: the rules of RFC 9113 §4 and §6 (and of the extension frames) that can
//! be checked from one frame alone, without connection or stream state.

use core::fmt;

use super::head::{kind, FrameHeader};
use crate::error_code::ErrorCode;

/// Whether an error ends the connection or only the stream ([RFC 9113 §5.4]).
///
/// An endpoint may always treat a stream error as a connection error (§5.4.1 "An endpoint can
/// end a connection at any time"); the scope here is what the RFC requires at minimum.
///
/// [RFC 9113 §5.4]: https://www.rfc-editor.org/rfc/rfc9113#section-5.4
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ErrorScope {
    /// A connection error: send GOAWAY and close.
    Connection,
    /// A stream error on the given stream: send RST_STREAM.
    Stream(u32),
}

/// What is wrong with a frame.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FrameErrorKind {
    /// The payload is longer than the receiver's SETTINGS_MAX_FRAME_SIZE (§4.2). Detected from
    /// the 9-octet header, before the payload is buffered.
    TooLarge {
        /// The largest payload the receiver accepts.
        max: u32,
    },
    /// A stream frame (DATA, HEADERS, PRIORITY, RST_STREAM, PUSH_PROMISE, CONTINUATION) on
    /// stream 0 (§6.1–§6.4, §6.6, §6.10).
    StreamIdRequired,
    /// A connection frame (SETTINGS, PING, GOAWAY, PRIORITY_UPDATE) on a stream other than 0
    /// (§6.5, §6.7, §6.8; RFC 9218 §7.1).
    StreamIdForbidden,
    /// The payload length is wrong for the frame type: PRIORITY ≠ 5, RST_STREAM ≠ 4, PING ≠ 8,
    /// WINDOW_UPDATE ≠ 4, SETTINGS not a multiple of 6, GOAWAY < 8, or too short for a
    /// mandatory field (pad length, priority, promised stream id, ALTSVC origin length,
    /// PRIORITY_UPDATE stream id) (§4.2, §6).
    BadLength,
    /// A SETTINGS frame with ACK carries a payload (§6.5).
    SettingsAckWithPayload,
    /// The padding is as long as, or longer than, what follows the Pad Length field
    /// (§6.1, §6.2, §6.6).
    BadPadding,
    /// A WINDOW_UPDATE increment of 0 (§6.9).
    ZeroWindowIncrement,
    /// A PUSH_PROMISE promising stream 0 or an odd (client-initiated) stream (§5.1.1, §6.6).
    InvalidPromisedStreamId,
    /// A PRIORITY_UPDATE for stream 0 (RFC 9218 §7.1).
    InvalidPrioritizedStreamId,
    /// An ALTSVC origin length running past the end of the payload (RFC 7838 §4).
    BadAltSvcOrigin,
}

/// A frame that breaks a frame-level rule, with the header it arrived with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FrameError {
    /// What is wrong.
    pub kind: FrameErrorKind,
    /// The offending frame's header.
    pub header: FrameHeader,
}

impl FrameError {
    pub(crate) const fn new(kind: FrameErrorKind, header: FrameHeader) -> Self {
        FrameError { kind, header }
    }

    /// The error code RFC 9113 (or the extension RFC) prescribes.
    pub const fn code(&self) -> ErrorCode {
        match self.kind {
            FrameErrorKind::TooLarge { .. }
            | FrameErrorKind::BadLength
            | FrameErrorKind::BadAltSvcOrigin
            | FrameErrorKind::SettingsAckWithPayload => ErrorCode::FRAME_SIZE_ERROR,
            FrameErrorKind::StreamIdRequired
            | FrameErrorKind::StreamIdForbidden
            | FrameErrorKind::BadPadding
            | FrameErrorKind::ZeroWindowIncrement
            | FrameErrorKind::InvalidPromisedStreamId
            | FrameErrorKind::InvalidPrioritizedStreamId => ErrorCode::PROTOCOL_ERROR,
        }
    }

    /// The least the RFC requires: a stream error for a PRIORITY of the wrong length
    /// (§6.3) and for a zero WINDOW_UPDATE increment on a stream (§6.9); a connection error
    /// for everything else.
    pub const fn scope(&self) -> ErrorScope {
        match (self.kind, self.header.kind) {
            (FrameErrorKind::BadLength, kind::PRIORITY) if self.header.stream_id != 0 => {
                ErrorScope::Stream(self.header.stream_id)
            }
            (FrameErrorKind::ZeroWindowIncrement, _) if self.header.stream_id != 0 => {
                ErrorScope::Stream(self.header.stream_id)
            }
            _ => ErrorScope::Connection,
        }
    }
}

impl FrameError {
    /// The message `Display` writes.
    pub(crate) fn describe(&self) -> String {
        let name = kind::name(self.header.kind).unwrap_or("unknown");
        let h = &self.header;
        match self.kind {
            FrameErrorKind::TooLarge { max } => {
                msg!(name, " frame of ", h.length, " octets exceeds the maximum of ", max)
            }
            FrameErrorKind::StreamIdRequired => msg!(name, " frame on stream 0"),
            FrameErrorKind::StreamIdForbidden => {
                msg!(name, " frame on stream ", h.stream_id, "; it must be 0")
            }
            FrameErrorKind::BadLength => msg!(name, " frame with invalid length ", h.length),
            FrameErrorKind::SettingsAckWithPayload => {
                msg!("SETTINGS ACK with a ", h.length, "-octet payload")
            }
            FrameErrorKind::BadPadding => msg!(name, " frame padding is too long"),
            FrameErrorKind::ZeroWindowIncrement => {
                msg!("WINDOW_UPDATE with increment 0 on stream ", h.stream_id)
            }
            FrameErrorKind::InvalidPromisedStreamId => {
                msg!("PUSH_PROMISE on stream ", h.stream_id, " promises an invalid stream id")
            }
            FrameErrorKind::InvalidPrioritizedStreamId => msg!("PRIORITY_UPDATE for stream 0"),
            FrameErrorKind::BadAltSvcOrigin => msg!("ALTSVC origin length overruns frame"),
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl std::error::Error for FrameError {}
