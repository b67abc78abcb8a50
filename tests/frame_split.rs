//! `Headers::encode_split` and `PushPromise::encode_split`: a field block cut into a HEADERS
//! or PUSH_PROMISE frame and CONTINUATION frames that each fit the peer's maximum frame size
//! (RFC 9113 §4.3, §6.10).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod common;

use bytes::Bytes;
use common::{drain, MAX};
use h2wasm::frame::{
    flags, kind, Frame, FrameDecoder, FrameHeader, Headers, PrioritySpec, PushPromise, HEADER_LEN,
};

/// A recognisable block of `len` octets.
fn block(len: usize) -> Bytes {
    Bytes::from((0..len).map(|i| (i % 253) as u8).collect::<Vec<u8>>())
}

/// The raw headers of every frame in `wire`, checking that the frames fill it exactly.
fn headers_of(wire: &[u8]) -> Vec<FrameHeader> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < wire.len() {
        let head = FrameHeader::parse(&wire[at..]).expect("a whole header");
        at += HEADER_LEN + head.length as usize;
        out.push(head);
    }
    assert_eq!(at, wire.len(), "the last frame is cut short");
    out
}

/// Decodes `wire` with a decoder limited to `max`, so any oversized frame fails here.
fn decode(wire: Vec<u8>, max: u32) -> Vec<Frame> {
    let mut dec = FrameDecoder::new(max);
    dec.push_bytes(Bytes::from(wire));
    let mut frames = Vec::new();
    assert_eq!(drain(&mut dec, &mut frames), None);
    assert_eq!(dec.buffered_len(), 0);
    frames
}

/// How many frames a block of `len` octets needs when the first frame has `room` octets.
fn expected_frames(len: usize, room: usize, max: usize) -> usize {
    if len <= room {
        1
    } else {
        1 + (len - room).div_ceil(max)
    }
}

/// The checks shared by both frame types: sizes, stream, types and END_HEADERS. Returns the
/// frame headers.
fn check_sequence(wire: &[u8], first_kind: u8, stream_id: u32, max: u32) -> Vec<FrameHeader> {
    let heads = headers_of(wire);
    let last = heads.len() - 1;
    for (i, h) in heads.iter().enumerate() {
        assert!(h.length <= max, "frame {i} of {} octets exceeds {max}", h.length);
        assert_eq!(h.stream_id, stream_id);
        assert_eq!(h.kind, if i == 0 { first_kind } else { kind::CONTINUATION });
        assert_eq!(
            h.has(flags::END_HEADERS),
            i == last,
            "END_HEADERS on frame {i} of {}",
            last + 1
        );
        if i > 0 {
            assert_eq!(h.flags & !flags::END_HEADERS, 0, "CONTINUATION {i} has other flags");
        }
    }
    heads
}

fn headers_sizes(overhead: usize) -> [usize; 5] {
    let room = MAX as usize - overhead;
    [0, 1, room, room + 1, MAX as usize * 7 / 2]
}

#[test]
fn headers_split_fits_the_maximum_and_reassembles() {
    let prio = PrioritySpec { dependency: 1, exclusive: true, weight: 42 };
    let variants: [(Option<u8>, Option<PrioritySpec>); 6] = [
        (None, None),
        (Some(0), None),
        (Some(255), None),
        (None, Some(prio)),
        (Some(10), Some(prio)),
        (Some(255), Some(prio)),
    ];
    for (pad_len, priority) in variants {
        let overhead =
            pad_len.map_or(0, |p| p as usize + 1) + if priority.is_some() { 5 } else { 0 };
        for len in headers_sizes(overhead) {
            for end_stream in [false, true] {
                // `end_headers` on the value is ignored by encode_split.
                for end_headers in [false, true] {
                    let fragment = block(len);
                    let h = Headers {
                        stream_id: 5,
                        end_stream,
                        end_headers,
                        pad_len,
                        priority,
                        fragment: fragment.clone(),
                    };
                    let mut wire = Vec::new();
                    h.encode_split(MAX, &mut wire);
                    let what =
                        format!("len {len}, pad {pad_len:?}, priority {}", priority.is_some());

                    let heads = check_sequence(&wire, kind::HEADERS, 5, MAX);
                    assert_eq!(
                        heads.len(),
                        expected_frames(len, MAX as usize - overhead, MAX as usize),
                        "{what}"
                    );
                    if heads.len() > 1 {
                        assert_eq!(heads[0].length, MAX, "the first frame is filled: {what}");
                    }
                    for (i, head) in heads.iter().enumerate() {
                        assert_eq!(head.has(flags::END_STREAM), i == 0 && end_stream, "{what}");
                    }

                    let frames = decode(wire, MAX);
                    let Frame::Headers(first) = &frames[0] else { panic!("not HEADERS") };
                    assert_eq!(
                        (first.pad_len, first.priority, first.end_stream),
                        (pad_len, priority, end_stream)
                    );
                    let mut joined = first.fragment.to_vec();
                    for f in &frames[1..] {
                        let Frame::Continuation(c) = f else { panic!("not CONTINUATION") };
                        joined.extend_from_slice(&c.fragment);
                    }
                    assert_eq!(joined, fragment, "{what}");
                }
            }
        }
    }
}

#[test]
fn push_promise_split_fits_the_maximum_and_reassembles() {
    for pad_len in [None, Some(0), Some(100), Some(255)] {
        let overhead = 4 + pad_len.map_or(0, |p| p as usize + 1);
        for len in headers_sizes(overhead) {
            let fragment = block(len);
            let p = PushPromise {
                stream_id: 7,
                promised_stream_id: 8,
                end_headers: false,
                pad_len,
                fragment: fragment.clone(),
            };
            let mut wire = Vec::new();
            p.encode_split(MAX, &mut wire);
            let what = format!("len {len}, pad {pad_len:?}");

            let heads = check_sequence(&wire, kind::PUSH_PROMISE, 7, MAX);
            assert_eq!(
                heads.len(),
                expected_frames(len, MAX as usize - overhead, MAX as usize),
                "{what}"
            );
            if heads.len() > 1 {
                assert_eq!(heads[0].length, MAX, "the first frame is filled: {what}");
            }

            let frames = decode(wire, MAX);
            let Frame::PushPromise(first) = &frames[0] else { panic!("not PUSH_PROMISE") };
            assert_eq!((first.promised_stream_id, first.pad_len), (8, pad_len));
            let mut joined = first.fragment.to_vec();
            for f in &frames[1..] {
                let Frame::Continuation(c) = f else { panic!("not CONTINUATION") };
                joined.extend_from_slice(&c.fragment);
            }
            assert_eq!(joined, fragment, "{what}");
        }
    }
}

#[test]
fn split_with_a_larger_maximum_uses_fewer_frames() {
    let max = 100_000;
    let h = Headers { stream_id: 1, fragment: block(250_000), ..Headers::default() };
    let mut wire = Vec::new();
    h.encode_split(max, &mut wire);
    let heads = check_sequence(&wire, kind::HEADERS, 1, max);
    let lengths: Vec<u32> = heads.iter().map(|h| h.length).collect();
    assert_eq!(lengths, [100_000, 100_000, 50_000]);
}

#[test]
fn a_block_that_fits_is_one_frame_equal_to_encode_with_end_headers() {
    let h = Headers {
        stream_id: 3,
        end_stream: true,
        end_headers: true,
        pad_len: Some(4),
        priority: Some(PrioritySpec::default()),
        fragment: block(1000),
    };
    let (mut split, mut single) = (Vec::new(), Vec::new());
    h.encode_split(MAX, &mut split);
    h.encode(&mut single);
    assert_eq!(split, single);
    let p = PushPromise {
        stream_id: 3,
        promised_stream_id: 2,
        end_headers: true,
        pad_len: None,
        fragment: block(10),
    };
    let (mut split, mut single) = (Vec::new(), Vec::new());
    p.encode_split(MAX, &mut split);
    p.encode(&mut single);
    assert_eq!(split, single);
}
