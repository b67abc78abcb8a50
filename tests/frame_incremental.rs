//! Incremental parsing with `FrameDecoder`: however the byte stream is cut and fed, the
//! frames are exactly those of parsing it whole; after an error the decoder stays failed;
//! frames handed over in one `Bytes` are not copied.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod common;

use bytes::Bytes;
use common::{drain, encode_all, parse_all, sample_frames, Rng, MAX};
use h2wasm::frame::{
    kind, Data, Frame, FrameDecoder, FrameError, FrameErrorKind, FrameHeader, Headers,
    PrioritySpec, PushPromise, HEADER_LEN,
};

/// Many frames of every type, a DATA frame of the maximum size, and field blocks split over
/// HEADERS / PUSH_PROMISE + CONTINUATION frames.
fn stream() -> (Bytes, Vec<Frame>) {
    let mut out = encode_all(&sample_frames());
    let big: Vec<u8> = (0..MAX).map(|i| (i % 251) as u8).collect();
    Frame::from(Data::new(11, Bytes::from(big), true)).encode(&mut out);
    let block: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 256) as u8).collect();
    Headers {
        stream_id: 13,
        end_stream: true,
        pad_len: Some(10),
        priority: Some(PrioritySpec { dependency: 11, exclusive: true, weight: 200 }),
        fragment: Bytes::from(block.clone()),
        ..Headers::default()
    }
    .encode_split(MAX, &mut out);
    PushPromise {
        stream_id: 13,
        promised_stream_id: 14,
        fragment: Bytes::from(block[..20_000].to_vec()),
        ..PushPromise::default()
    }
    .encode_split(MAX, &mut out);
    out.extend(encode_all(&sample_frames()));
    let out = Bytes::from(out);
    let (frames, err) = parse_all(&out, MAX);
    assert_eq!(err, None);
    // Two sample sets, the big DATA, 1 + 2 and 1 + 1 field block frames.
    assert_eq!(frames.len(), 2 * sample_frames().len() + 1 + 3 + 2);
    let parsed_len: usize = frames.iter().map(|f| f.to_bytes().len()).sum();
    assert_eq!(parsed_len, out.len(), "the whole stream parses");
    (out, frames)
}

/// How a piece of input is handed to the decoder.
#[derive(Clone, Copy, Debug)]
enum Feed {
    Copy,
    Share,
}

fn feed(dec: &mut FrameDecoder, piece: Bytes, how: Feed) {
    match how {
        Feed::Copy => dec.push(&piece),
        Feed::Share => dec.push_bytes(piece),
    }
}

#[test]
fn parse_whole_through_the_decoder_matches_parse_one() {
    let (wire, expected) = stream();
    for how in [Feed::Copy, Feed::Share] {
        let mut dec = FrameDecoder::new(MAX);
        feed(&mut dec, wire.clone(), how);
        let mut got = Vec::new();
        assert_eq!(drain(&mut dec, &mut got), None);
        assert_eq!(got, expected);
        assert_eq!(dec.buffered_len(), 0);
        assert_eq!(dec.next_frame(), Ok(None));
    }
}

#[test]
fn two_pieces_cut_at_every_boundary_give_the_same_frames() {
    let (wire, expected) = stream();
    let modes = [
        (Feed::Copy, Feed::Copy),
        (Feed::Copy, Feed::Share),
        (Feed::Share, Feed::Copy),
        (Feed::Share, Feed::Share),
    ];
    let mut got = Vec::with_capacity(expected.len());
    for cut in 0..=wire.len() {
        let (first, second) = modes[cut % modes.len()];
        let mut dec = FrameDecoder::new(MAX);
        got.clear();
        feed(&mut dec, wire.slice(..cut), first);
        assert_eq!(drain(&mut dec, &mut got), None, "cut at {cut}");
        assert!(dec.buffered_len() < HEADER_LEN + MAX as usize);
        feed(&mut dec, wire.slice(cut..), second);
        assert_eq!(drain(&mut dec, &mut got), None, "cut at {cut}");
        assert!(got == expected, "cut at {cut} ({first:?}, {second:?}) gives other frames");
        assert_eq!(dec.buffered_len(), 0);
    }
}

#[test]
fn one_octet_at_a_time_gives_the_same_frames() {
    let (wire, expected) = stream();
    for how in [Feed::Copy, Feed::Share] {
        let mut dec = FrameDecoder::new(MAX);
        let mut got = Vec::new();
        for at in 0..wire.len() {
            feed(&mut dec, wire.slice(at..at + 1), how);
            assert_eq!(drain(&mut dec, &mut got), None);
            assert!(dec.buffered_len() < HEADER_LEN + MAX as usize);
        }
        assert_eq!(got, expected);
        assert_eq!(dec.buffered_len(), 0);
    }
}

#[test]
fn random_chunk_sizes_give_the_same_frames() {
    let (wire, expected) = stream();
    for seed in 0..24u64 {
        let mut rng = Rng::new(seed);
        let limit = [3, 64, 1_000, 20_000, 100_000][seed as usize % 5];
        // 0: copy, 1: share, 2: either at random.
        let method = (seed / 5) % 3;
        // Draining only now and then leaves several frames buffered at once.
        let drain_every = [1, 1, 3, usize::MAX][(seed % 4) as usize];
        let mut dec = FrameDecoder::new(MAX);
        let mut got = Vec::new();
        let (mut at, mut pieces) = (0, 0);
        while at < wire.len() {
            let n = rng.between_1_and(limit).min(wire.len() - at);
            let how = match method {
                0 => Feed::Copy,
                1 => Feed::Share,
                _ if rng.next_u64() % 2 == 0 => Feed::Copy,
                _ => Feed::Share,
            };
            feed(&mut dec, wire.slice(at..at + n), how);
            at += n;
            pieces += 1;
            if pieces % drain_every == 0 {
                assert_eq!(drain(&mut dec, &mut got), None);
                assert!(dec.buffered_len() < HEADER_LEN + MAX as usize);
            }
        }
        assert_eq!(drain(&mut dec, &mut got), None);
        assert!(got == expected, "seed {seed}: other frames");
        assert_eq!(dec.buffered_len(), 0);
    }
}

#[test]
fn empty_pushes_change_nothing() {
    let (wire, expected) = stream();
    let mut dec = FrameDecoder::new(MAX);
    let mut got = Vec::new();
    dec.push(&[]);
    dec.push_bytes(Bytes::new());
    assert_eq!(dec.next_frame(), Ok(None));
    let mut at = 0;
    while at < wire.len() {
        let n = 777.min(wire.len() - at);
        dec.push_bytes(wire.slice(at..at + n));
        dec.push(&[]);
        dec.push_bytes(Bytes::new());
        at += n;
        assert_eq!(drain(&mut dec, &mut got), None);
    }
    assert_eq!(got, expected);
}

// ---- failure is sticky ----

/// Valid frames, then a PING of 7 octets, then more valid frames.
fn stream_with_error() -> (Bytes, Vec<Frame>, FrameError) {
    let mut out = encode_all(&sample_frames());
    let mut bad = Vec::new();
    FrameHeader { length: 7, kind: kind::PING, flags: 0, stream_id: 0 }.encode(&mut bad);
    bad.extend_from_slice(&[0; 7]);
    out.extend_from_slice(&bad);
    out.extend(encode_all(&sample_frames()));
    let out = Bytes::from(out);
    let (frames, err) = parse_all(&out, MAX);
    let err = err.expect("the stream holds an error");
    assert_eq!(err.kind, FrameErrorKind::BadLength);
    assert_eq!(frames.len(), sample_frames().len());
    (out, frames, err)
}

#[test]
fn after_an_error_the_decoder_stays_failed_however_the_input_was_cut() {
    let (wire, expected, expected_err) = stream_with_error();
    for chunk in [1, 2, 9, 10, 100, wire.len()] {
        for how in [Feed::Copy, Feed::Share] {
            let mut dec = FrameDecoder::new(MAX);
            let mut got = Vec::new();
            let mut err = None;
            for piece in wire.chunks(chunk) {
                feed(&mut dec, Bytes::copy_from_slice(piece), how);
                if let Some(e) = drain(&mut dec, &mut got) {
                    err = Some(e);
                    break;
                }
            }
            assert_eq!(got, expected, "chunk {chunk} {how:?}");
            assert_eq!(err, Some(expected_err));
            assert_eq!(dec.error(), Some(&expected_err));
            assert_eq!(dec.buffered_len(), 0);
            // More input is dropped and the same error comes back every time.
            for _ in 0..3 {
                dec.push(&wire);
                dec.push_bytes(wire.clone());
                dec.push(&vec![0; 1 << 20]);
                assert_eq!(dec.buffered_len(), 0);
                assert_eq!(dec.next_frame(), Err(expected_err));
            }
        }
    }
}

#[test]
fn an_oversized_header_fails_the_decoder_for_good() {
    let mut dec = FrameDecoder::new(MAX);
    let mut head = Vec::new();
    FrameHeader { length: MAX + 1, kind: kind::DATA, flags: 0, stream_id: 1 }.encode(&mut head);
    dec.push(&head);
    let err = dec.next_frame().unwrap_err();
    // Even a smaller limit and a valid frame do not revive it.
    dec.set_max_frame_size(1 << 24);
    dec.push(&Frame::from(Data::new(1, Bytes::from_static(b"x"), false)).to_bytes());
    assert_eq!(dec.next_frame(), Err(err));
    assert_eq!(dec.buffered_len(), 0);
}

// ---- zero copy ----

/// Whether `inner` lies entirely inside `outer`'s memory.
fn lies_within(inner: &[u8], outer: &[u8]) -> bool {
    let (start, end) = (outer.as_ptr() as usize, outer.as_ptr() as usize + outer.len());
    let at = inner.as_ptr() as usize;
    at >= start && at + inner.len() <= end
}

#[test]
fn data_handed_over_as_bytes_is_not_copied() {
    let mut wire = encode_all(&sample_frames()[..3]);
    let offset = wire.len() + HEADER_LEN;
    Frame::from(Data::new(1, Bytes::from(vec![0x5a; 5000]), false)).encode(&mut wire);
    let input = Bytes::from(wire);
    let mut dec = FrameDecoder::new(MAX);
    dec.push_bytes(input.clone());
    let mut got = Vec::new();
    assert_eq!(drain(&mut dec, &mut got), None);
    let Some(Frame::Data(d)) = got.last() else { panic!("last frame is not DATA") };
    assert_eq!(d.data.len(), 5000);
    assert!(lies_within(&d.data, &input));
    assert_eq!(d.data.as_ptr(), input[offset..].as_ptr());
}

#[test]
fn padded_data_and_header_blocks_are_slices_of_the_input() {
    let frames: Vec<Frame> = vec![
        Data {
            stream_id: 1,
            end_stream: false,
            pad_len: Some(9),
            data: Bytes::from_static(b"payload"),
        }
        .into(),
        Headers {
            stream_id: 3,
            end_headers: true,
            pad_len: Some(2),
            priority: Some(PrioritySpec::default()),
            fragment: Bytes::from_static(b"block"),
            ..Headers::default()
        }
        .into(),
    ];
    let input = Bytes::from(encode_all(&frames));
    let mut dec = FrameDecoder::new(MAX);
    dec.push_bytes(input.clone());
    let Ok(Some(Frame::Data(d))) = dec.next_frame() else { panic!("DATA") };
    assert!(lies_within(&d.data, &input));
    let Ok(Some(Frame::Headers(h))) = dec.next_frame() else { panic!("HEADERS") };
    assert!(lies_within(&h.fragment, &input));
}

#[test]
fn copied_input_is_not_shared_with_the_caller() {
    let wire = Frame::from(Data::new(1, Bytes::from(vec![1; 100]), false)).to_bytes();
    let mut dec = FrameDecoder::new(MAX);
    dec.push(&wire);
    let Ok(Some(Frame::Data(d))) = dec.next_frame() else { panic!("DATA") };
    assert!(!lies_within(&d.data, &wire));
    assert_eq!(&d.data[..], &wire[HEADER_LEN..]);
}

#[test]
fn a_whole_frame_after_a_cut_one_is_still_not_copied() {
    // The first input ends inside the first DATA frame; the second input holds its tail and
    // then a whole second DATA frame, which must be sliced from the second input.
    let first = Frame::from(Data::new(1, Bytes::from(vec![1; 300]), false)).to_bytes();
    let second = Frame::from(Data::new(3, Bytes::from(vec![2; 400]), true)).to_bytes();
    let cut = 100;
    let mut tail = first[cut..].to_vec();
    tail.extend_from_slice(&second);
    let tail = Bytes::from(tail);

    let mut dec = FrameDecoder::new(MAX);
    dec.push_bytes(Bytes::copy_from_slice(&first[..cut]));
    assert_eq!(dec.next_frame(), Ok(None));
    dec.push_bytes(tail.clone());
    let Ok(Some(Frame::Data(a))) = dec.next_frame() else { panic!("first DATA") };
    assert_eq!((a.stream_id, a.data.len()), (1, 300));
    let Ok(Some(Frame::Data(b))) = dec.next_frame() else { panic!("second DATA") };
    assert_eq!((b.stream_id, b.data.len()), (3, 400));
    assert!(lies_within(&b.data, &tail), "the whole frame was copied");
    assert_eq!(dec.buffered_len(), 0);
}
