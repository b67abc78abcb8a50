//! Incremental frame parsing from a byte stream that may be cut anywhere.

use bytes::{Buf, Bytes, BytesMut};

use super::error::FrameError;
use super::head::{FrameHeader, HEADER_LEN};
use super::{check_header, Frame};

/// Turns a byte stream into frames.
///
/// Feed bytes with [`push`](FrameDecoder::push) (copied) or
/// [`push_bytes`](FrameDecoder::push_bytes) (zero-copy), then call
/// [`next_frame`](FrameDecoder::next_frame) until it returns `Ok(None)`.
///
/// * The header of each frame is checked ([`check_header`]) as soon as its 9 octets are
///   available, so a frame longer than the local maximum is rejected before any of its
///   payload is buffered: the decoder never holds more than one frame of at most
///   `9 + max_frame_size` octets beyond the input it was handed.
/// * Frames that arrive whole inside one [`Bytes`] are sliced out of it without copying; only
///   a frame cut across two inputs is copied, once.
/// * After an error the decoder is failed: it drops further input and returns the same error
///   again, so a caller that keeps feeding a broken connection cannot make it grow.
#[derive(Clone, Debug)]
pub struct FrameDecoder {
    /// The beginning of the stream not yet returned, when it had to be copied.
    partial: BytesMut,
    /// Input handed over whole, following `partial`.
    input: Bytes,
    max_frame_size: u32,
    failed: Option<FrameError>,
    strict_extensions: bool,
    last_header: Option<FrameHeader>,
}

impl FrameDecoder {
    /// A decoder accepting payloads up to `max_frame_size` octets.
    pub fn new(max_frame_size: u32) -> Self {
        FrameDecoder {
            partial: BytesMut::new(),
            input: Bytes::new(),
            max_frame_size,
            failed: None,
            strict_extensions: true,
            last_header: None,
        }
    }

    /// Whether PRIORITY_UPDATE frames are interpreted (and their rules enforced). When off,
    /// they come out as [`Frame::Unknown`], as from an endpoint that does not implement
    /// RFC 9218. On by default.
    pub fn set_strict_extensions(&mut self, strict: bool) {
        self.strict_extensions = strict;
    }

    /// The header of the frame most recently returned by
    /// [`next_frame`](FrameDecoder::next_frame).
    pub fn last_header(&self) -> Option<FrameHeader> {
        self.last_header
    }

    fn interpreted(&self, head: FrameHeader) -> bool {
        self.strict_extensions || head.kind != super::head::kind::PRIORITY_UPDATE
    }

    fn check(&self, head: FrameHeader) -> Result<(), FrameError> {
        if self.interpreted(head) {
            check_header(head, self.max_frame_size)
        } else {
            // Only the length rule applies to a frame we treat as unknown.
            check_header(FrameHeader { kind: 0xff, ..head }, self.max_frame_size)
        }
    }

    fn parse(&mut self, head: FrameHeader, payload: Bytes) -> Result<Frame, FrameError> {
        self.last_header = Some(head);
        if self.interpreted(head) {
            Frame::parse(head, payload)
        } else {
            Ok(Frame::Unknown(super::Unknown {
                kind: head.kind,
                flags: head.flags,
                stream_id: head.stream_id,
                payload,
            }))
        }
    }

    /// The largest payload accepted.
    pub fn max_frame_size(&self) -> u32 {
        self.max_frame_size
    }

    /// Changes the largest payload accepted, from the next frame header on.
    pub fn set_max_frame_size(&mut self, max_frame_size: u32) {
        self.max_frame_size = max_frame_size;
    }

    /// Octets received but not yet returned as frames.
    pub fn buffered_len(&self) -> usize {
        self.partial.len().saturating_add(self.input.len())
    }

    /// The error that failed this decoder, if any.
    pub fn error(&self) -> Option<&FrameError> {
        self.failed.as_ref()
    }

    /// Appends `data` (copied).
    pub fn push(&mut self, data: &[u8]) {
        if self.failed.is_some() || data.is_empty() {
            return;
        }
        self.flush_input_to_partial();
        self.partial.extend_from_slice(data);
    }

    /// Appends `data` without copying it. A frame cut across the previous input and this one
    /// is copied when it is completed; frames lying whole inside `data` are sliced from it.
    pub fn push_bytes(&mut self, data: Bytes) {
        if self.failed.is_some() || data.is_empty() {
            return;
        }
        // Input not yet looked at is copied behind `partial` to keep the order; `data` then
        // waits whole in `input`, and `next_frame` takes from it only what a cut frame lacks.
        self.flush_input_to_partial();
        self.input = data;
    }

    fn flush_input_to_partial(&mut self) {
        if !self.input.is_empty() {
            self.partial.extend_from_slice(&self.input);
            self.input = Bytes::new();
        }
    }

    /// Moves up to `want` octets from `input` to the end of `partial`.
    fn fill_partial(&mut self, want: usize) {
        let take = want.saturating_sub(self.partial.len()).min(self.input.len());
        if take > 0 {
            self.partial.extend_from_slice(self.input.get(..take).unwrap_or(&[]));
            self.input.advance(take);
        }
    }

    fn fail(&mut self, err: FrameError) -> Result<Option<Frame>, FrameError> {
        self.failed = Some(err);
        self.partial = BytesMut::new();
        self.input = Bytes::new();
        Err(err)
    }

    /// The next complete frame, `Ok(None)` when more input is needed, or the first frame-level
    /// error (after which the decoder stays failed).
    pub fn next_frame(&mut self) -> Result<Option<Frame>, FrameError> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        if self.partial.is_empty() {
            let Some(head) = FrameHeader::parse(&self.input) else {
                self.flush_input_to_partial();
                return Ok(None);
            };
            if let Err(err) = self.check(head) {
                return self.fail(err);
            }
            let need =
                usize::try_from(head.length).unwrap_or(usize::MAX).saturating_add(HEADER_LEN);
            if self.input.len() < need {
                self.flush_input_to_partial();
                return Ok(None);
            }
            // Fixed-field frames are read in place; the others keep a slice of the input.
            let parsed = if super::has_fixed_fields(head.kind) {
                self.last_header = Some(head);
                let payload = self.input.get(HEADER_LEN..need).unwrap_or(&[]);
                Frame::parse_fixed(head, payload)
            } else {
                let payload = self.input.slice(HEADER_LEN..need);
                self.parse(head, payload)
            };
            self.input.advance(need);
            return match parsed {
                Ok(frame) => Ok(Some(frame)),
                Err(err) => self.fail(err),
            };
        }
        self.fill_partial(HEADER_LEN);
        let Some(head) = FrameHeader::parse(&self.partial) else { return Ok(None) };
        if let Err(err) = self.check(head) {
            return self.fail(err);
        }
        let need = usize::try_from(head.length).unwrap_or(usize::MAX).saturating_add(HEADER_LEN);
        self.fill_partial(need);
        if self.partial.len() < need {
            return Ok(None);
        }
        let mut frame = self.partial.split_to(need).freeze();
        frame.advance(HEADER_LEN);
        match self.parse(head, frame) {
            Ok(frame) => Ok(Some(frame)),
            Err(err) => self.fail(err),
        }
    }
}
