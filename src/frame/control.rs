//! Fixed-layout control frames of RFC 9113: PRIORITY (§6.3), RST_STREAM (§6.4), SETTINGS
//! (§6.5), PING (§6.7), GOAWAY (§6.8) and WINDOW_UPDATE (§6.9).

use bytes::{BufMut, Bytes};

use super::error::{FrameError, FrameErrorKind};
use super::head::{flags, kind, FrameHeader, STREAM_ID_MASK};
use super::headers::PrioritySpec;
use crate::error_code::ErrorCode;
use crate::settings::{Setting, SettingCode};

fn be_u32(src: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(src.get(..4)?.try_into().ok()?))
}

fn header(length: usize, frame_kind: u8, frame_flags: u8, stream_id: u32) -> FrameHeader {
    FrameHeader {
        length: u32::try_from(length).unwrap_or(u32::MAX),
        kind: frame_kind,
        flags: frame_flags,
        stream_id,
    }
}

/// A PRIORITY frame (RFC 9113 §6.3): exactly 5 octets, never on stream 0.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Priority {
    /// The stream being prioritised.
    pub stream_id: u32,
    /// The priority fields.
    pub spec: PrioritySpec,
}

impl Priority {
    pub(crate) fn parse(head: FrameHeader, payload: &[u8]) -> Result<Priority, FrameError> {
        if payload.len() != 5 {
            return Err(FrameError::new(FrameErrorKind::BadLength, head));
        }
        let spec =
            PrioritySpec::parse(payload).ok_or(FrameError::new(FrameErrorKind::BadLength, head))?;
        Ok(Priority { stream_id: head.stream_id, spec })
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        header(5, kind::PRIORITY, 0, self.stream_id).encode(dst);
        dst.put_slice(&self.spec.to_bytes());
    }
}

/// An RST_STREAM frame (RFC 9113 §6.4): exactly 4 octets, never on stream 0.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RstStream {
    /// The stream being reset.
    pub stream_id: u32,
    /// Why.
    pub error_code: ErrorCode,
}

impl RstStream {
    pub(crate) fn parse(head: FrameHeader, payload: &[u8]) -> Result<RstStream, FrameError> {
        match (payload.len(), be_u32(payload)) {
            (4, Some(code)) => {
                Ok(RstStream { stream_id: head.stream_id, error_code: ErrorCode(code) })
            }
            _ => Err(FrameError::new(FrameErrorKind::BadLength, head)),
        }
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        header(4, kind::RST_STREAM, 0, self.stream_id).encode(dst);
        dst.put_u32(self.error_code.0);
    }
}

/// A SETTINGS frame (RFC 9113 §6.5), stream 0 only.
///
/// The pairs are kept in wire order, duplicates and unknown identifiers included.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Settings {
    /// ACK: acknowledges the peer's SETTINGS; carries no pairs.
    pub ack: bool,
    /// The pairs, in wire order.
    pub settings: Vec<Setting>,
}

impl Settings {
    /// A SETTINGS ACK.
    pub fn ack() -> Self {
        Settings { ack: true, settings: Vec::new() }
    }

    pub(crate) fn parse(head: FrameHeader, payload: &[u8]) -> Result<Settings, FrameError> {
        let ack = head.has(flags::ACK);
        if ack && !payload.is_empty() {
            return Err(FrameError::new(FrameErrorKind::SettingsAckWithPayload, head));
        }
        if payload.len() % 6 != 0 {
            return Err(FrameError::new(FrameErrorKind::BadLength, head));
        }
        let settings = payload
            .chunks_exact(6)
            .filter_map(|c| <&[u8; 6]>::try_from(c).ok())
            .map(|c| Setting {
                code: SettingCode(u16::from_be_bytes([c[0], c[1]])),
                value: u32::from_be_bytes([c[2], c[3], c[4], c[5]]),
            })
            .collect();
        Ok(Settings { ack, settings })
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let f = if self.ack { flags::ACK } else { 0 };
        header(self.settings.len().saturating_mul(6), kind::SETTINGS, f, 0).encode(dst);
        self.encode_payload(dst);
    }

    /// Appends only the payload (the pairs), as the `HTTP2-Settings` header of an h2c upgrade
    /// carries it (RFC 7540 §3.2.1).
    pub fn encode_payload<B: BufMut>(&self, dst: &mut B) {
        for s in &self.settings {
            dst.put_u16(s.code.0);
            dst.put_u32(s.value);
        }
    }
}

/// A PING frame (RFC 9113 §6.7): exactly 8 octets, stream 0 only.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Ping {
    /// ACK: this is a response.
    pub ack: bool,
    /// The opaque data, echoed by the ACK.
    pub payload: [u8; 8],
}

impl Ping {
    pub(crate) fn parse(head: FrameHeader, payload: &[u8]) -> Result<Ping, FrameError> {
        let payload: [u8; 8] =
            payload.try_into().map_err(|_| FrameError::new(FrameErrorKind::BadLength, head))?;
        Ok(Ping { ack: head.has(flags::ACK), payload })
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let f = if self.ack { flags::ACK } else { 0 };
        header(8, kind::PING, f, 0).encode(dst);
        dst.put_slice(&self.payload);
    }
}

/// A GOAWAY frame (RFC 9113 §6.8): at least 8 octets, stream 0 only.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct GoAway {
    /// The highest peer-initiated stream the sender may have processed (31 bits).
    pub last_stream_id: u32,
    /// Why the connection is closing.
    pub error_code: ErrorCode,
    /// Opaque diagnostic data.
    pub debug_data: Bytes,
}

impl GoAway {
    pub(crate) fn parse(head: FrameHeader, payload: Bytes) -> Result<GoAway, FrameError> {
        match (be_u32(&payload), payload.get(4..).and_then(be_u32)) {
            (Some(last), Some(code)) => Ok(GoAway {
                last_stream_id: last & STREAM_ID_MASK,
                error_code: ErrorCode(code),
                debug_data: payload.slice(8..),
            }),
            _ => Err(FrameError::new(FrameErrorKind::BadLength, head)),
        }
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        header(self.debug_data.len().saturating_add(8), kind::GOAWAY, 0, 0).encode(dst);
        dst.put_u32(self.last_stream_id & STREAM_ID_MASK);
        dst.put_u32(self.error_code.0);
        dst.put_slice(&self.debug_data);
    }
}

/// A WINDOW_UPDATE frame (RFC 9113 §6.9): exactly 4 octets, any stream.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct WindowUpdate {
    /// The stream, or 0 for the connection window.
    pub stream_id: u32,
    /// The increment, 1 to 2³¹−1. The reserved high bit is ignored on receipt.
    pub increment: u32,
}

impl WindowUpdate {
    pub(crate) fn parse(head: FrameHeader, payload: &[u8]) -> Result<WindowUpdate, FrameError> {
        let raw = match (payload.len(), be_u32(payload)) {
            (4, Some(raw)) => raw,
            _ => return Err(FrameError::new(FrameErrorKind::BadLength, head)),
        };
        let increment = raw & STREAM_ID_MASK;
        if increment == 0 {
            return Err(FrameError::new(FrameErrorKind::ZeroWindowIncrement, head));
        }
        Ok(WindowUpdate { stream_id: head.stream_id, increment })
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        header(4, kind::WINDOW_UPDATE, 0, self.stream_id).encode(dst);
        dst.put_u32(self.increment & STREAM_ID_MASK);
    }
}
