//! Extension frames: ALTSVC ([RFC 7838 §4]), ORIGIN ([RFC 8336 §2]), PRIORITY_UPDATE
//! ([RFC 9218 §7.1]), and any frame type this crate does not know, kept whole.
//!
//! [RFC 7838 §4]: https://www.rfc-editor.org/rfc/rfc7838#section-4
//! [RFC 8336 §2]: https://www.rfc-editor.org/rfc/rfc8336#section-2
//! [RFC 9218 §7.1]: https://www.rfc-editor.org/rfc/rfc9218#section-7.1

use bytes::{BufMut, Bytes};

use super::error::{FrameError, FrameErrorKind};
use super::head::{kind, FrameHeader, STREAM_ID_MASK};

fn header(length: usize, frame_kind: u8, frame_flags: u8, stream_id: u32) -> FrameHeader {
    FrameHeader {
        length: u32::try_from(length).unwrap_or(u32::MAX),
        kind: frame_kind,
        flags: frame_flags,
        stream_id,
    }
}

/// An ALTSVC frame (RFC 7838 §4).
///
/// On stream 0 the origin names the origin the alternative applies to; on any other stream
/// the origin is empty and the alternative applies to that stream's origin. Frames breaking
/// that rule are to be ignored by the receiver, which the connection decides.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct AltSvc {
    /// The stream, or 0.
    pub stream_id: u32,
    /// ASCII origin (may be empty).
    pub origin: Bytes,
    /// The Alt-Svc field value (RFC 7838 §3).
    pub field_value: Bytes,
}

impl AltSvc {
    pub(crate) fn parse(head: FrameHeader, payload: Bytes) -> Result<AltSvc, FrameError> {
        let origin_len = payload
            .get(..2)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map(|b| usize::from(u16::from_be_bytes(b)))
            .ok_or(FrameError::new(FrameErrorKind::BadLength, head))?;
        let end = origin_len.saturating_add(2);
        if end > payload.len() {
            return Err(FrameError::new(FrameErrorKind::BadAltSvcOrigin, head));
        }
        Ok(AltSvc {
            stream_id: head.stream_id,
            origin: payload.slice(2..end),
            field_value: payload.slice(end..),
        })
    }

    /// Appends the encoded frame. Origins longer than 65,535 octets are truncated.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let origin = self.origin.get(..self.origin.len().min(0xffff)).unwrap_or(&[]);
        let length = 2usize.saturating_add(origin.len()).saturating_add(self.field_value.len());
        header(length, kind::ALTSVC, 0, self.stream_id).encode(dst);
        dst.put_u16(u16::try_from(origin.len()).unwrap_or(u16::MAX));
        dst.put_slice(origin);
        dst.put_slice(&self.field_value);
    }
}

/// An ORIGIN frame (RFC 8336 §2): a list of ASCII origins the server is authoritative for.
///
/// The frame is kept as its raw payload; [`Origin::entries`] walks the Origin-Entry list. A
/// frame whose entries overrun the payload is malformed, and RFC 8336 makes ORIGIN
/// non-critical, so the connection ignores it rather than raising an error.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Origin {
    /// The stream identifier the frame arrived on (valid only when 0).
    pub stream_id: u32,
    /// The raw payload: a sequence of `Origin-Len (16) ASCII-Origin (..)`.
    pub payload: Bytes,
}

impl Origin {
    /// An ORIGIN frame for stream 0 listing `origins`. Entries longer than 65,535 octets are
    /// truncated.
    pub fn from_origins<I, T>(origins: I) -> Origin
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let mut payload = Vec::new();
        for o in origins {
            let o = o.as_ref();
            let o = o.get(..o.len().min(0xffff)).unwrap_or(&[]);
            payload.put_u16(u16::try_from(o.len()).unwrap_or(u16::MAX));
            payload.put_slice(o);
        }
        Origin { stream_id: 0, payload: Bytes::from(payload) }
    }

    /// The origins in order, or `None` if an entry overruns the payload.
    pub fn entries(&self) -> Option<Vec<Bytes>> {
        let mut out = Vec::new();
        let mut at = 0usize;
        while at < self.payload.len() {
            let start = at.checked_add(2)?;
            let len = <[u8; 2]>::try_from(self.payload.get(at..start)?).ok()?;
            let end = start.checked_add(usize::from(u16::from_be_bytes(len)))?;
            if end > self.payload.len() {
                return None;
            }
            out.push(self.payload.slice(start..end));
            at = end;
        }
        Some(out)
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        header(self.payload.len(), kind::ORIGIN, 0, self.stream_id).encode(dst);
        dst.put_slice(&self.payload);
    }
}

/// A PRIORITY_UPDATE frame (RFC 9218 §7.1), stream 0 only.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct PriorityUpdate {
    /// The stream whose priority changes (non-zero).
    pub prioritized_stream_id: u32,
    /// The Priority Field Value (RFC 9218 §5), e.g. `u=1, i`.
    pub field_value: Bytes,
}

impl PriorityUpdate {
    pub(crate) fn parse(head: FrameHeader, payload: Bytes) -> Result<PriorityUpdate, FrameError> {
        let id = payload
            .get(..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_be_bytes)
            .ok_or(FrameError::new(FrameErrorKind::BadLength, head))?
            & STREAM_ID_MASK;
        if id == 0 {
            return Err(FrameError::new(FrameErrorKind::InvalidPrioritizedStreamId, head));
        }
        Ok(PriorityUpdate { prioritized_stream_id: id, field_value: payload.slice(4..) })
    }

    /// Parses a payload received on stream 0, or `None` if it breaks a rule of RFC 9218 §7.1.
    pub fn from_payload(payload: Bytes) -> Option<PriorityUpdate> {
        let head = FrameHeader {
            length: u32::try_from(payload.len()).ok()?,
            kind: kind::PRIORITY_UPDATE,
            flags: 0,
            stream_id: 0,
        };
        PriorityUpdate::parse(head, payload).ok()
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        header(self.field_value.len().saturating_add(4), kind::PRIORITY_UPDATE, 0, 0).encode(dst);
        dst.put_u32(self.prioritized_stream_id & STREAM_ID_MASK);
        dst.put_slice(&self.field_value);
    }
}

/// A frame of a type this crate does not interpret, kept whole (RFC 9113 §4.1: "Implementations
/// MUST ignore and discard frames of unknown types").
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Unknown {
    /// The frame type code.
    pub kind: u8,
    /// The raw flag byte.
    pub flags: u8,
    /// The stream identifier (may be 0).
    pub stream_id: u32,
    /// The payload.
    pub payload: Bytes,
}

impl Unknown {
    /// Appends the encoded frame exactly as received.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        header(self.payload.len(), self.kind, self.flags, self.stream_id).encode(dst);
        dst.put_slice(&self.payload);
    }
}
