//! Frames that carry a field block: HEADERS ([RFC 9113 §6.2]), PUSH_PROMISE ([§6.6]) and
//! CONTINUATION ([§6.10]), plus the priority fields HEADERS shares with PRIORITY.
//!
//! A field block larger than one frame is sent as HEADERS or PUSH_PROMISE followed by
//! CONTINUATION frames; [`Headers::encode_split`] and [`PushPromise::encode_split`] do that
//! split for a given SETTINGS_MAX_FRAME_SIZE, accounting for the padding, priority and
//! promised-stream fields of the first frame.
//!
//! [RFC 9113 §6.2]: https://www.rfc-editor.org/rfc/rfc9113#section-6.2
//! [§6.6]: https://www.rfc-editor.org/rfc/rfc9113#section-6.6
//! [§6.10]: https://www.rfc-editor.org/rfc/rfc9113#section-6.10

use bytes::{BufMut, Bytes};

use super::data::{encode_padded, strip_padding};
use super::error::{FrameError, FrameErrorKind};
use super::head::{flags, kind, FrameHeader, STREAM_ID_MASK};

/// RFC 7540 priority fields (RFC 9113 §5.3.2 keeps them on the wire, deprecated).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PrioritySpec {
    /// The stream this one depends on (31 bits).
    pub dependency: u32,
    /// Exclusive dependency flag.
    pub exclusive: bool,
    /// Weight between 1 and 256; the wire carries `weight - 1`.
    pub weight: u16,
}

impl Default for PrioritySpec {
    /// Depends on stream 0, not exclusive, weight 16 (RFC 7540 §5.3.5).
    fn default() -> Self {
        PrioritySpec { dependency: 0, exclusive: false, weight: 16 }
    }
}

impl PrioritySpec {
    /// Decodes the 5-octet field, or `None` when `src` is shorter.
    pub(crate) fn parse(src: &[u8]) -> Option<PrioritySpec> {
        let f: &[u8; 5] = src.get(..5)?.try_into().ok()?;
        let dep = u32::from_be_bytes([f[0], f[1], f[2], f[3]]);
        Some(PrioritySpec {
            dependency: dep & STREAM_ID_MASK,
            exclusive: dep & !STREAM_ID_MASK != 0,
            weight: u16::from(f[4]) + 1,
        })
    }

    /// The 5-octet encoding. Weights outside 1..=256 are clamped.
    pub fn to_bytes(&self) -> [u8; 5] {
        let mut dep = self.dependency & STREAM_ID_MASK;
        if self.exclusive {
            dep |= !STREAM_ID_MASK;
        }
        let d = dep.to_be_bytes();
        let w = u8::try_from(self.weight.clamp(1, 256).saturating_sub(1)).unwrap_or(u8::MAX);
        [d[0], d[1], d[2], d[3], w]
    }
}

/// A HEADERS frame.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Headers {
    /// The stream (never 0).
    pub stream_id: u32,
    /// END_STREAM.
    pub end_stream: bool,
    /// END_HEADERS: no CONTINUATION follows.
    pub end_headers: bool,
    /// Pad Length when PADDED is set.
    pub pad_len: Option<u8>,
    /// The PRIORITY fields when the PRIORITY flag is set.
    pub priority: Option<PrioritySpec>,
    /// The field block fragment, without padding or priority fields.
    pub fragment: Bytes,
}

impl Headers {
    pub(crate) fn parse(head: FrameHeader, mut payload: Bytes) -> Result<Headers, FrameError> {
        let has_priority = head.has(flags::PRIORITY);
        let pad_len = strip_padding(head, &mut payload, if has_priority { 5 } else { 0 })?;
        let priority = if has_priority {
            let spec = PrioritySpec::parse(&payload)
                .ok_or(FrameError::new(FrameErrorKind::BadLength, head))?;
            payload = payload.slice(5..);
            Some(spec)
        } else {
            None
        };
        Ok(Headers {
            stream_id: head.stream_id,
            end_stream: head.has(flags::END_STREAM),
            end_headers: head.has(flags::END_HEADERS),
            pad_len,
            priority,
            fragment: payload,
        })
    }

    fn flags(&self) -> u8 {
        let mut f = 0;
        if self.end_stream {
            f |= flags::END_STREAM;
        }
        if self.pad_len.is_some() {
            f |= flags::PADDED;
        }
        if self.priority.is_some() {
            f |= flags::PRIORITY;
        }
        f
    }

    fn fixed(&self) -> ([u8; 5], usize) {
        match self.priority {
            Some(p) => (p.to_bytes(), 5),
            None => ([0; 5], 0),
        }
    }

    /// Appends this frame as one HEADERS frame, `end_headers` as given.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let (fixed, n) = self.fixed();
        let mut f = self.flags();
        if self.end_headers {
            f |= flags::END_HEADERS;
        }
        let fixed = fixed.get(..n).unwrap_or(&[]);
        encode_padded(
            dst,
            kind::HEADERS,
            f,
            self.stream_id,
            self.pad_len,
            fixed,
            &[&self.fragment],
        );
    }

    /// Appends `self.fragment` as a complete field block: one HEADERS frame, followed by as
    /// many CONTINUATION frames as `max_frame_size` requires. END_STREAM goes on the HEADERS
    /// frame and END_HEADERS on the last frame; `self.end_headers` is ignored.
    pub fn encode_split<B: BufMut>(&self, max_frame_size: u32, dst: &mut B) {
        self.encode_split_block(&self.fragment, max_frame_size, dst);
    }

    /// [`encode_split`](Self::encode_split) for a block held elsewhere: `self.fragment` is
    /// ignored and `block` is sent in its place (no `Bytes` needed).
    pub fn encode_split_block<B: BufMut>(&self, block: &[u8], max_frame_size: u32, dst: &mut B) {
        let (fixed, n) = self.fixed();
        let fixed = fixed.get(..n).unwrap_or(&[]);
        let overhead = n.saturating_add(pad_overhead(self.pad_len));
        let (first, rest) = split_first(block, max_frame_size, overhead);
        let mut f = self.flags();
        if rest.is_empty() {
            f |= flags::END_HEADERS;
        }
        encode_padded(dst, kind::HEADERS, f, self.stream_id, self.pad_len, fixed, &[first]);
        encode_continuations(dst, self.stream_id, rest, max_frame_size);
    }
}

/// A PUSH_PROMISE frame.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct PushPromise {
    /// The stream the promise is associated with (never 0).
    pub stream_id: u32,
    /// The stream the server promises to open (even, non-zero).
    pub promised_stream_id: u32,
    /// END_HEADERS.
    pub end_headers: bool,
    /// Pad Length when PADDED is set.
    pub pad_len: Option<u8>,
    /// The field block fragment of the promised request.
    pub fragment: Bytes,
}

impl PushPromise {
    pub(crate) fn parse(head: FrameHeader, mut payload: Bytes) -> Result<PushPromise, FrameError> {
        let pad_len = strip_padding(head, &mut payload, 4)?;
        let promised = payload
            .get(..4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_be_bytes)
            .ok_or(FrameError::new(FrameErrorKind::BadLength, head))?
            & STREAM_ID_MASK;
        if promised == 0 || promised % 2 != 0 {
            return Err(FrameError::new(FrameErrorKind::InvalidPromisedStreamId, head));
        }
        Ok(PushPromise {
            stream_id: head.stream_id,
            promised_stream_id: promised,
            end_headers: head.has(flags::END_HEADERS),
            pad_len,
            fragment: payload.slice(4..),
        })
    }

    fn flags(&self) -> u8 {
        if self.pad_len.is_some() {
            flags::PADDED
        } else {
            0
        }
    }

    /// Appends this frame as one PUSH_PROMISE frame, `end_headers` as given.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let mut f = self.flags();
        if self.end_headers {
            f |= flags::END_HEADERS;
        }
        let fixed = (self.promised_stream_id & STREAM_ID_MASK).to_be_bytes();
        let body: [&[u8]; 1] = [&self.fragment];
        encode_padded(dst, kind::PUSH_PROMISE, f, self.stream_id, self.pad_len, &fixed, &body);
    }

    /// Appends `self.fragment` as a complete field block split into PUSH_PROMISE and
    /// CONTINUATION frames of at most `max_frame_size` octets.
    pub fn encode_split<B: BufMut>(&self, max_frame_size: u32, dst: &mut B) {
        self.encode_split_block(&self.fragment, max_frame_size, dst);
    }

    /// [`encode_split`](Self::encode_split) for a block held elsewhere: `self.fragment` is
    /// ignored and `block` is sent in its place (no `Bytes` needed).
    pub fn encode_split_block<B: BufMut>(&self, block: &[u8], max_frame_size: u32, dst: &mut B) {
        let fixed = (self.promised_stream_id & STREAM_ID_MASK).to_be_bytes();
        let overhead = pad_overhead(self.pad_len).saturating_add(4);
        let (first, rest) = split_first(block, max_frame_size, overhead);
        let mut f = self.flags();
        if rest.is_empty() {
            f |= flags::END_HEADERS;
        }
        encode_padded(dst, kind::PUSH_PROMISE, f, self.stream_id, self.pad_len, &fixed, &[first]);
        encode_continuations(dst, self.stream_id, rest, max_frame_size);
    }
}

/// A CONTINUATION frame.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Continuation {
    /// The stream (never 0).
    pub stream_id: u32,
    /// END_HEADERS.
    pub end_headers: bool,
    /// The field block fragment.
    pub fragment: Bytes,
}

impl Continuation {
    pub(crate) fn parse(head: FrameHeader, payload: Bytes) -> Continuation {
        Continuation {
            stream_id: head.stream_id,
            end_headers: head.has(flags::END_HEADERS),
            fragment: payload,
        }
    }

    /// Appends the encoded frame.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let f = if self.end_headers { flags::END_HEADERS } else { 0 };
        encode_padded(dst, kind::CONTINUATION, f, self.stream_id, None, &[], &[&self.fragment]);
    }
}

/// Octets the Pad Length field and padding add to a frame.
fn pad_overhead(pad_len: Option<u8>) -> usize {
    pad_len.map_or(0, |p| usize::from(p).saturating_add(1))
}

/// Splits a block into what fits in the first frame after `overhead` octets of fixed
/// fields, and the rest.
fn split_first(block: &[u8], max_frame_size: u32, overhead: usize) -> (&[u8], &[u8]) {
    let max = usize::try_from(max_frame_size).unwrap_or(usize::MAX);
    // max_frame_size is at least 16,384 and overhead at most 261, so room is never zero in a
    // conforming connection; `.max(1)` keeps the split well defined for any input.
    let room = max.saturating_sub(overhead).max(1);
    block.split_at(room.min(block.len()))
}

fn encode_continuations<B: BufMut>(dst: &mut B, stream_id: u32, mut rest: &[u8], max: u32) {
    let max = usize::try_from(max).unwrap_or(usize::MAX).max(1);
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(max.min(rest.len()));
        let f = if tail.is_empty() { flags::END_HEADERS } else { 0 };
        encode_padded(dst, kind::CONTINUATION, f, stream_id, None, &[], &[chunk]);
        rest = tail;
    }
}
