//! The HTTP/2 frame codec: parse and serialise every frame of [RFC 9113 §6] plus ALTSVC
//! (RFC 7838), ORIGIN (RFC 8336) and PRIORITY_UPDATE (RFC 9218). Frames of any other type are
//! kept whole as [`Unknown`].
//!
//! This module holds no connection state. It checks what one frame alone can break — stream
//! association, lengths, padding, fixed fields — and reports each violation as a
//! [`FrameError`] that names its error code and scope. Rules that depend on stream or
//! connection state (which stream may send HEADERS, flow-control windows, CONTINUATION
//! sequencing) belong to the connection.
//!
//! [`FrameDecoder`] turns a byte stream that may end anywhere into frames, checking the
//! length against the local maximum from the 9-octet header before buffering the payload.
//! Payloads are zero-copy slices of the input when it is handed over as [`bytes::Bytes`].
//!
//! [RFC 9113 §6]: https://www.rfc-editor.org/rfc/rfc9113#section-6
#![deny(clippy::arithmetic_side_effects)]

mod control;
mod data;
mod decoder;
mod error;
mod extension;
mod head;
mod headers;

use bytes::{BufMut, Bytes};

pub use control::{GoAway, Ping, Priority, RstStream, Settings, WindowUpdate};
pub use data::Data;
pub use decoder::FrameDecoder;
pub use error::{ErrorScope, FrameError, FrameErrorKind};
pub use extension::{AltSvc, Origin, PriorityUpdate, Unknown};
pub use head::{flags, kind, FrameHeader, HEADER_LEN, STREAM_ID_MASK};
pub use headers::{Continuation, Headers, PrioritySpec, PushPromise};

/// The client connection preface (RFC 9113 §3.4), sent before the client's first SETTINGS.
pub const PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Any HTTP/2 frame.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Frame {
    /// DATA (0x0).
    Data(Data),
    /// HEADERS (0x1).
    Headers(Headers),
    /// PRIORITY (0x2).
    Priority(Priority),
    /// RST_STREAM (0x3).
    RstStream(RstStream),
    /// SETTINGS (0x4).
    Settings(Settings),
    /// PUSH_PROMISE (0x5).
    PushPromise(PushPromise),
    /// PING (0x6).
    Ping(Ping),
    /// GOAWAY (0x7).
    GoAway(GoAway),
    /// WINDOW_UPDATE (0x8).
    WindowUpdate(WindowUpdate),
    /// CONTINUATION (0x9).
    Continuation(Continuation),
    /// ALTSVC (0xa).
    AltSvc(AltSvc),
    /// ORIGIN (0xc).
    Origin(Origin),
    /// PRIORITY_UPDATE (0x10).
    PriorityUpdate(PriorityUpdate),
    /// Any other type, kept whole.
    Unknown(Unknown),
}

/// How a frame type relates to stream identifiers (RFC 9113 §6).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Association {
    /// Must be on a stream (never 0).
    Stream,
    /// Must be on stream 0.
    Connection,
    /// Either.
    Any,
}

fn association(frame_kind: u8) -> Association {
    match frame_kind {
        kind::DATA
        | kind::HEADERS
        | kind::PRIORITY
        | kind::RST_STREAM
        | kind::PUSH_PROMISE
        | kind::CONTINUATION => Association::Stream,
        kind::SETTINGS | kind::PING | kind::GOAWAY | kind::PRIORITY_UPDATE => {
            Association::Connection
        }
        _ => Association::Any,
    }
}

/// Checks what the 9-octet header alone can break: the stream association of the frame type
/// (RFC 9113 §6) and the length against `max_frame_size` (§4.2), in that order.
pub fn check_header(head: FrameHeader, max_frame_size: u32) -> Result<(), FrameError> {
    match (association(head.kind), head.stream_id) {
        (Association::Stream, 0) => {
            return Err(FrameError::new(FrameErrorKind::StreamIdRequired, head));
        }
        (Association::Connection, id) if id != 0 => {
            return Err(FrameError::new(FrameErrorKind::StreamIdForbidden, head));
        }
        _ => {}
    }
    if head.length > max_frame_size {
        return Err(FrameError::new(FrameErrorKind::TooLarge { max: max_frame_size }, head));
    }
    Ok(())
}

/// Whether every field of frames of this type is fixed (PRIORITY, RST_STREAM, SETTINGS, PING,
/// WINDOW_UPDATE): nothing of the payload is kept, so it can be read in place.
#[inline]
pub(crate) fn has_fixed_fields(frame_kind: u8) -> bool {
    matches!(
        frame_kind,
        kind::PRIORITY | kind::RST_STREAM | kind::SETTINGS | kind::PING | kind::WINDOW_UPDATE
    )
}

impl Frame {
    /// Parses the payload of a frame whose header passed [`check_header`]. `payload` must be
    /// exactly `head.length` octets.
    pub fn parse(head: FrameHeader, payload: Bytes) -> Result<Frame, FrameError> {
        if has_fixed_fields(head.kind) {
            return Frame::parse_fixed(head, &payload);
        }
        Ok(match head.kind {
            kind::DATA => Frame::Data(Data::parse(head, payload)?),
            kind::HEADERS => Frame::Headers(Headers::parse(head, payload)?),
            kind::PUSH_PROMISE => Frame::PushPromise(PushPromise::parse(head, payload)?),
            kind::GOAWAY => Frame::GoAway(GoAway::parse(head, payload)?),
            kind::CONTINUATION => Frame::Continuation(Continuation::parse(head, payload)),
            kind::ALTSVC => Frame::AltSvc(AltSvc::parse(head, payload)?),
            kind::ORIGIN => Frame::Origin(Origin { stream_id: head.stream_id, payload }),
            kind::PRIORITY_UPDATE => Frame::PriorityUpdate(PriorityUpdate::parse(head, payload)?),
            _ => Frame::Unknown(Unknown {
                kind: head.kind,
                flags: head.flags,
                stream_id: head.stream_id,
                payload,
            }),
        })
    }

    /// [`parse`](Self::parse) for a frame type with [`has_fixed_fields`], from borrowed
    /// octets.
    #[inline]
    pub(crate) fn parse_fixed(head: FrameHeader, payload: &[u8]) -> Result<Frame, FrameError> {
        match head.kind {
            kind::PRIORITY => Priority::parse(head, payload).map(Frame::Priority),
            kind::RST_STREAM => RstStream::parse(head, payload).map(Frame::RstStream),
            kind::SETTINGS => Settings::parse(head, payload).map(Frame::Settings),
            kind::PING => Ping::parse(head, payload).map(Frame::Ping),
            _ => WindowUpdate::parse(head, payload).map(Frame::WindowUpdate),
        }
    }

    /// Parses one complete frame (header and payload) from the start of `src`, checking the
    /// header against `max_frame_size`. Returns the frame and the octets it used, or
    /// `Ok(None)` when `src` does not yet hold a whole frame.
    pub fn parse_one(
        src: &Bytes,
        max_frame_size: u32,
    ) -> Result<Option<(Frame, usize)>, FrameError> {
        let Some(head) = FrameHeader::parse(src) else { return Ok(None) };
        check_header(head, max_frame_size)?;
        let Some(end) = usize::try_from(head.length).ok().and_then(|l| l.checked_add(HEADER_LEN))
        else {
            return Ok(None);
        };
        if src.len() < end {
            return Ok(None);
        }
        Ok(Some((Frame::parse(head, src.slice(HEADER_LEN..end))?, end)))
    }

    /// The frame type code.
    pub fn kind(&self) -> u8 {
        match self {
            Frame::Data(_) => kind::DATA,
            Frame::Headers(_) => kind::HEADERS,
            Frame::Priority(_) => kind::PRIORITY,
            Frame::RstStream(_) => kind::RST_STREAM,
            Frame::Settings(_) => kind::SETTINGS,
            Frame::PushPromise(_) => kind::PUSH_PROMISE,
            Frame::Ping(_) => kind::PING,
            Frame::GoAway(_) => kind::GOAWAY,
            Frame::WindowUpdate(_) => kind::WINDOW_UPDATE,
            Frame::Continuation(_) => kind::CONTINUATION,
            Frame::AltSvc(_) => kind::ALTSVC,
            Frame::Origin(_) => kind::ORIGIN,
            Frame::PriorityUpdate(_) => kind::PRIORITY_UPDATE,
            Frame::Unknown(u) => u.kind,
        }
    }

    /// The stream identifier (0 for connection frames).
    pub fn stream_id(&self) -> u32 {
        match self {
            Frame::Data(f) => f.stream_id,
            Frame::Headers(f) => f.stream_id,
            Frame::Priority(f) => f.stream_id,
            Frame::RstStream(f) => f.stream_id,
            Frame::PushPromise(f) => f.stream_id,
            Frame::WindowUpdate(f) => f.stream_id,
            Frame::Continuation(f) => f.stream_id,
            Frame::AltSvc(f) => f.stream_id,
            Frame::Origin(f) => f.stream_id,
            Frame::Unknown(f) => f.stream_id,
            Frame::Settings(_) | Frame::Ping(_) | Frame::GoAway(_) | Frame::PriorityUpdate(_) => 0,
        }
    }

    /// Appends the encoded frame. HEADERS and PUSH_PROMISE are written as single frames with
    /// their `end_headers` flag as given; use their `encode_split` to split a large block.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        match self {
            Frame::Data(f) => f.encode(dst),
            Frame::Headers(f) => f.encode(dst),
            Frame::Priority(f) => f.encode(dst),
            Frame::RstStream(f) => f.encode(dst),
            Frame::Settings(f) => f.encode(dst),
            Frame::PushPromise(f) => f.encode(dst),
            Frame::Ping(f) => f.encode(dst),
            Frame::GoAway(f) => f.encode(dst),
            Frame::WindowUpdate(f) => f.encode(dst),
            Frame::Continuation(f) => f.encode(dst),
            Frame::AltSvc(f) => f.encode(dst),
            Frame::Origin(f) => f.encode(dst),
            Frame::PriorityUpdate(f) => f.encode(dst),
            Frame::Unknown(f) => f.encode(dst),
        }
    }

    /// The encoded frame as a new buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }
}

macro_rules! impl_from {
    ($($variant:ident),*) => {$(
        impl From<$variant> for Frame {
            fn from(f: $variant) -> Frame {
                Frame::$variant(f)
            }
        }
    )*};
}
impl_from!(
    Data,
    Headers,
    Priority,
    RstStream,
    Settings,
    PushPromise,
    Ping,
    GoAway,
    WindowUpdate,
    Continuation,
    AltSvc,
    Origin,
    PriorityUpdate,
    Unknown
);
