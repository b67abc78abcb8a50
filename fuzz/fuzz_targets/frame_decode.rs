//! Feeds arbitrary bytes to a `FrameDecoder` in chunks whose sizes come from the input, and
//! checks that:
//!
//! * chunked decoding gives the same frames (and the same error) as parsing the whole stream
//!   with `Frame::parse_one`;
//! * every parsed frame re-encodes to the same number of octets and parses back to an equal
//!   frame (undefined flag bits, reserved bits and padding contents are not kept by the typed
//!   frames, so comparing the typed frames is the normalisation);
//! * after an error the decoder stays failed and holds nothing.
#![no_main]

use bytes::Bytes;
use h2wasm::frame::{Frame, FrameDecoder, FrameError, HEADER_LEN};
use libfuzzer_sys::fuzz_target;

/// The largest payload any HTTP/2 frame header can announce.
const MAX_WIRE_LEN: u32 = (1 << 24) - 1;

/// Control octets taken from the front of the input before the stream itself.
const CONTROL: usize = 3;

fn parse_whole(stream: &Bytes, max: u32) -> (Vec<Frame>, Option<FrameError>) {
    let mut frames = Vec::new();
    let mut at = 0;
    loop {
        match Frame::parse_one(&stream.slice(at..), max) {
            Ok(Some((frame, used))) => {
                frames.push(frame);
                at += used;
            }
            Ok(None) => return (frames, None),
            Err(err) => return (frames, Some(err)),
        }
    }
}

/// Chunk lengths from a tiny xorshift generator seeded by the input.
struct Chunks {
    state: u32,
    limit: usize,
}

impl Chunks {
    fn next_len(&mut self) -> usize {
        if self.limit == 0 {
            return usize::MAX;
        }
        self.state ^= self.state << 13;
        self.state ^= self.state >> 17;
        self.state ^= self.state << 5;
        (self.state as usize % self.limit) + 1
    }
}

fn drain(dec: &mut FrameDecoder, out: &mut Vec<Frame>) -> Option<FrameError> {
    loop {
        match dec.next_frame() {
            Ok(Some(frame)) => out.push(frame),
            Ok(None) => return None,
            Err(err) => return Some(err),
        }
    }
}

fn check_reencode(frame: &Frame, original_len: usize) {
    let bytes = Bytes::from(frame.to_bytes());
    assert_eq!(bytes.len(), original_len, "re-encoding changed the length of {frame:?}");
    let (again, used) = Frame::parse_one(&bytes, MAX_WIRE_LEN)
        .expect("a re-encoded frame parses")
        .expect("a re-encoded frame is complete");
    assert_eq!(used, bytes.len());
    assert_eq!(&again, frame);
    assert_eq!(again.kind(), frame.kind());
    assert_eq!(again.stream_id(), frame.stream_id());
}

fuzz_target!(|input: &[u8]| {
    if input.len() < CONTROL {
        return;
    }
    let (control, stream) = input.split_at(CONTROL);
    // Octet 0: the local maximum frame size, small ones included so that the size check is
    // reached often; octets 1 and 2: how the stream is cut.
    let max = match control[0] {
        0 => 16_384,
        1 => MAX_WIRE_LEN,
        n => u32::from(n) * 8,
    };
    let mode = control[1];
    let mut chunks = Chunks {
        state: u32::from(control[2]) | (u32::from(mode) << 8) | 0x1_0000,
        limit: usize::from(mode & 0x3f),
    };
    let use_push_bytes = mode & 0x40 != 0;
    let drain_each_chunk = mode & 0x80 != 0;

    let whole = Bytes::copy_from_slice(stream);
    let (expected, expected_err) = parse_whole(&whole, max);

    let mut dec = FrameDecoder::new(max);
    let mut got = Vec::new();
    let mut err = None;
    let mut at = 0;
    while at < whole.len() {
        let n = chunks.next_len().min(whole.len() - at);
        let piece = whole.slice(at..at + n);
        at += n;
        if use_push_bytes {
            dec.push_bytes(piece);
        } else {
            dec.push(&piece);
        }
        if drain_each_chunk || at == whole.len() {
            if let Some(e) = drain(&mut dec, &mut got) {
                err = Some(e);
                break;
            }
        }
        // Never more than one partial frame of at most 9 + max octets beyond the last chunk.
        if drain_each_chunk {
            assert!(dec.buffered_len() < HEADER_LEN + max as usize);
        }
    }
    if err.is_none() && !drain_each_chunk {
        err = drain(&mut dec, &mut got);
    }

    assert_eq!(got, expected);
    assert_eq!(err, expected_err);

    if let Some(e) = err {
        // Sticky failure: the same error again, further input dropped.
        dec.push(stream);
        dec.push_bytes(whole.clone());
        assert_eq!(dec.next_frame(), Err(e));
        assert_eq!(dec.buffered_len(), 0);
        assert_eq!(dec.error(), Some(&e));
        let _ = (e.code(), e.scope(), e.to_string());
    }

    let mut at = 0;
    for frame in &got {
        let len = HEADER_LEN
            + usize::try_from(u32::from_be_bytes([0, whole[at], whole[at + 1], whole[at + 2]]))
                .unwrap();
        check_reencode(frame, len);
        at += len;
    }
});
