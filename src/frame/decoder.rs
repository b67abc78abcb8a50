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
#[derive(Debug)]
pub struct FrameDecoder {
    /// The beginning of the stream not yet returned, when it had to be copied.
    partial: BytesMut,
    /// Input handed over whole, following `partial`.
    input: Bytes,
    max_frame_size: u32,
    failed: Option<FrameError>,
}

impl FrameDecoder {
    /// A decoder accepting payloads up to `max_frame_size` octets.
    pub fn new(max_frame_size: u32) -> Self {
        FrameDecoder { partial: BytesMut::new(), input: Bytes::new(), max_frame_size, failed: None }
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
            return match Frame::parse_one(&self.input, self.max_frame_size) {
                Ok(Some((frame, used))) => {
                    self.input.advance(used);
                    Ok(Some(frame))
                }
                Ok(None) => {
                    self.flush_input_to_partial();
                    Ok(None)
                }
                Err(err) => self.fail(err),
            };
        }
        self.fill_partial(HEADER_LEN);
        let Some(head) = FrameHeader::parse(&self.partial) else { return Ok(None) };
        if let Err(err) = check_header(head, self.max_frame_size) {
            return self.fail(err);
        }
        let need = usize::try_from(head.length).unwrap_or(usize::MAX).saturating_add(HEADER_LEN);
        self.fill_partial(need);
        if self.partial.len() < need {
            return Ok(None);
        }
        let mut frame = self.partial.split_to(need).freeze();
        frame.advance(HEADER_LEN);
        match Frame::parse(head, frame) {
            Ok(frame) => Ok(Some(frame)),
            Err(err) => self.fail(err),
        }
    }
}
