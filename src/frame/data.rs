//! DATA frames ([RFC 9113 §6.1]) and the padding rule shared with HEADERS and PUSH_PROMISE.
//!
//! ```text
//! DATA Frame {
//!   Length (24),
//!   Type (8) = 0x00,
//!   Unused Flags (4),
//!   PADDED Flag (1),
//!   Unused Flags (2),
//!   END_STREAM Flag (1),
//!   Reserved (1),
//!   Stream Identifier (31),
//!   [Pad Length (8)],
//!   Data (..),
//!   Padding (..2040),
//! }
//! ```
//!
//! [RFC 9113 §6.1]: https://www.rfc-editor.org/rfc/rfc9113#section-6.1

use bytes::{BufMut, Bytes};

use super::error::{FrameError, FrameErrorKind};
use super::head::{flags, kind, FrameHeader};

/// A DATA frame.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Data {
    /// The stream (never 0).
    pub stream_id: u32,
    /// END_STREAM: the last frame the sender sends on this stream.
    pub end_stream: bool,
    /// Pad Length when PADDED is set. `Some(0)` sends the Pad Length octet with no padding.
    pub pad_len: Option<u8>,
    /// The application data, without padding.
    pub data: Bytes,
}

impl Data {
    /// A DATA frame without padding.
    pub fn new(stream_id: u32, data: Bytes, end_stream: bool) -> Self {
        Data { stream_id, end_stream, pad_len: None, data }
    }

    /// The octets that count against flow control: the whole payload, Pad Length octet and
    /// padding included (RFC 9113 §6.9.1).
    pub fn flow_controlled_len(&self) -> usize {
        padded_len(self.data.len(), self.pad_len)
    }

    /// Parses a payload whose header has already been checked for stream association.
    pub(crate) fn parse(head: FrameHeader, mut payload: Bytes) -> Result<Data, FrameError> {
        let pad_len = strip_padding(head, &mut payload, 0)?;
        Ok(Data {
            stream_id: head.stream_id,
            end_stream: head.has(flags::END_STREAM),
            pad_len,
            data: payload,
        })
    }

    /// Appends the encoded frame. The caller keeps the payload within the peer's
    /// SETTINGS_MAX_FRAME_SIZE.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let mut f = 0;
        if self.end_stream {
            f |= flags::END_STREAM;
        }
        if self.pad_len.is_some() {
            f |= flags::PADDED;
        }
        encode_padded(dst, kind::DATA, f, self.stream_id, self.pad_len, &[], &[&self.data]);
    }
}

/// Payload length of `body` octets plus the padding described by `pad_len`.
pub(crate) fn padded_len(body: usize, pad_len: Option<u8>) -> usize {
    match pad_len {
        Some(p) => body.saturating_add(usize::from(p)).saturating_add(1),
        None => body,
    }
}

/// Removes the Pad Length octet and the padding from `payload` when PADDED is set.
///
/// `fixed` is the length of the fields between Pad Length and the body (5 for HEADERS with
/// PRIORITY, 4 for PUSH_PROMISE, 0 for DATA). A payload too short for Pad Length is a
/// FRAME_SIZE_ERROR; padding longer than what remains after the fixed fields is a
/// PROTOCOL_ERROR (RFC 9113 §6.1, §6.2, §6.6). The fixed fields stay at the front of
/// `payload`.
pub(crate) fn strip_padding(
    head: FrameHeader,
    payload: &mut Bytes,
    fixed: usize,
) -> Result<Option<u8>, FrameError> {
    if !head.has(flags::PADDED) {
        if payload.len() < fixed {
            return Err(FrameError::new(FrameErrorKind::BadLength, head));
        }
        return Ok(None);
    }
    let Some(&pad) = payload.first() else {
        return Err(FrameError::new(FrameErrorKind::BadLength, head));
    };
    let Some(body_room) = payload.len().saturating_sub(1).checked_sub(fixed) else {
        return Err(FrameError::new(FrameErrorKind::BadLength, head));
    };
    if usize::from(pad) > body_room {
        return Err(FrameError::new(FrameErrorKind::BadPadding, head));
    }
    // end >= 1 + fixed, so the range is valid.
    let end = payload.len().saturating_sub(usize::from(pad));
    *payload = payload.slice(1..end);
    Ok(Some(pad))
}

/// Writes a frame whose payload is `[Pad Length] fixed body… [Padding]`.
pub(crate) fn encode_padded<B: BufMut>(
    dst: &mut B,
    frame_kind: u8,
    frame_flags: u8,
    stream_id: u32,
    pad_len: Option<u8>,
    fixed: &[u8],
    body: &[&[u8]],
) {
    let body_len: usize = body.iter().map(|b| b.len()).sum();
    let length = padded_len(body_len.saturating_add(fixed.len()), pad_len);
    FrameHeader {
        length: u32::try_from(length).unwrap_or(u32::MAX),
        kind: frame_kind,
        flags: frame_flags,
        stream_id,
    }
    .encode(dst);
    if let Some(p) = pad_len {
        dst.put_u8(p);
    }
    dst.put_slice(fixed);
    for part in body {
        dst.put_slice(part);
    }
    if let Some(p) = pad_len {
        dst.put_bytes(0, usize::from(p));
    }
}
