//! Property tests: arbitrary valid frames of every type survive encode → parse, and arbitrary
//! input never makes the decoder panic; it gives frames, then at most one error.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod common;

use bytes::Bytes;
use common::{drain, parse_all};
use h2wasm::frame::{
    kind, AltSvc, Continuation, Data, Frame, FrameDecoder, FrameHeader, GoAway, Headers, Origin,
    Ping, Priority, PrioritySpec, PriorityUpdate, PushPromise, RstStream, Settings, Unknown,
    WindowUpdate, HEADER_LEN, STREAM_ID_MASK,
};
use h2wasm::settings::{Setting, SettingCode};
use h2wasm::ErrorCode;
use proptest::prelude::*;

/// The largest payload a frame header can announce.
const MAX_WIRE: u32 = (1 << 24) - 1;

fn stream_id() -> impl Strategy<Value = u32> {
    1..=STREAM_ID_MASK
}

fn any_stream_id() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0u32), 0..=STREAM_ID_MASK]
}

fn bytes(max: usize) -> impl Strategy<Value = Bytes> {
    prop::collection::vec(any::<u8>(), 0..max).prop_map(Bytes::from)
}

fn priority_spec() -> impl Strategy<Value = PrioritySpec> {
    (0..=STREAM_ID_MASK, any::<bool>(), 1..=256u16)
        .prop_map(|(dependency, exclusive, weight)| PrioritySpec { dependency, exclusive, weight })
}

/// Any valid frame of any type.
fn frame() -> impl Strategy<Value = Frame> {
    prop_oneof![
        (stream_id(), any::<bool>(), any::<Option<u8>>(), bytes(300)).prop_map(
            |(stream_id, end_stream, pad_len, data)| Data { stream_id, end_stream, pad_len, data }
                .into()
        ),
        (
            stream_id(),
            any::<bool>(),
            any::<bool>(),
            any::<Option<u8>>(),
            prop::option::of(priority_spec()),
            bytes(300)
        )
            .prop_map(
                |(stream_id, end_stream, end_headers, pad_len, priority, fragment)| {
                    Headers { stream_id, end_stream, end_headers, pad_len, priority, fragment }
                        .into()
                }
            ),
        (stream_id(), priority_spec())
            .prop_map(|(stream_id, spec)| Priority { stream_id, spec }.into()),
        (stream_id(), any::<u32>()).prop_map(|(stream_id, code)| RstStream {
            stream_id,
            error_code: ErrorCode(code)
        }
        .into()),
        prop_oneof![
            Just(Settings::ack()),
            prop::collection::vec((any::<u16>(), any::<u32>()), 0..20).prop_map(|pairs| Settings {
                ack: false,
                settings: pairs.into_iter().map(|(c, v)| Setting::new(SettingCode(c), v)).collect(),
            }),
        ]
        .prop_map(Frame::from),
        (stream_id(), 1..=STREAM_ID_MASK / 2, any::<bool>(), any::<Option<u8>>(), bytes(300))
            .prop_map(|(stream_id, half, end_headers, pad_len, fragment)| PushPromise {
                stream_id,
                promised_stream_id: half * 2,
                end_headers,
                pad_len,
                fragment,
            }
            .into()),
        (any::<bool>(), any::<[u8; 8]>()).prop_map(|(ack, payload)| Ping { ack, payload }.into()),
        (0..=STREAM_ID_MASK, any::<u32>(), bytes(100)).prop_map(|(last, code, debug_data)| {
            GoAway { last_stream_id: last, error_code: ErrorCode(code), debug_data }.into()
        }),
        (any_stream_id(), 1..=STREAM_ID_MASK).prop_map(|(stream_id, increment)| WindowUpdate {
            stream_id,
            increment
        }
        .into()),
        (stream_id(), any::<bool>(), bytes(300)).prop_map(|(stream_id, end_headers, fragment)| {
            Continuation { stream_id, end_headers, fragment }.into()
        }),
        (any_stream_id(), bytes(100), bytes(100)).prop_map(|(stream_id, origin, field_value)| {
            AltSvc { stream_id, origin, field_value }.into()
        }),
        (any_stream_id(), bytes(200)).prop_map(|(stream_id, payload)| Origin {
            stream_id,
            payload
        }
        .into()),
        (1..=STREAM_ID_MASK, bytes(100)).prop_map(|(id, field_value)| PriorityUpdate {
            prioritized_stream_id: id,
            field_value
        }
        .into()),
        (
            any::<u8>().prop_filter("an unknown type", |k| kind::name(*k).is_none()),
            any::<u8>(),
            any_stream_id(),
            bytes(100)
        )
            .prop_map(|(kind, flags, stream_id, payload)| Unknown {
                kind,
                flags,
                stream_id,
                payload
            }
            .into()),
    ]
}

/// A frame header with any type, flags and a small stream id, and a payload that may or may not
/// suit the type: the raw material of both valid and invalid frames.
fn frameish() -> impl Strategy<Value = Vec<u8>> {
    (0..=0x12u8, any::<u8>(), prop_oneof![Just(0u32), Just(1), Just(2), any::<u32>()], bytes(40))
        .prop_map(|(kind, flags, stream_id, payload)| {
            let mut out = Vec::new();
            FrameHeader { length: payload.len() as u32, kind, flags, stream_id }.encode(&mut out);
            out.extend_from_slice(&payload);
            out
        })
}

/// Feeds `wire` in pieces of the given sizes (cycled), alternating copy and share as
/// `share` says, and drains after each piece. Returns the frames and the error, if any.
fn feed_in_pieces(
    wire: &Bytes,
    sizes: &[usize],
    share: &[bool],
    max: u32,
) -> (Vec<Frame>, Option<h2wasm::frame::FrameError>, FrameDecoder) {
    let mut dec = FrameDecoder::new(max);
    let mut frames = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while at < wire.len() {
        let n = sizes[i % sizes.len()].min(wire.len() - at);
        let piece = wire.slice(at..at + n);
        if share[i % share.len()] {
            dec.push_bytes(piece);
        } else {
            dec.push(&piece);
        }
        at += n;
        i += 1;
        if let Some(err) = drain(&mut dec, &mut frames) {
            return (frames, Some(err), dec);
        }
        assert!(dec.buffered_len() < HEADER_LEN + max as usize);
    }
    let err = drain(&mut dec, &mut frames);
    (frames, err, dec)
}

/// A parsed frame re-encodes to `len` octets and parses back equal.
fn assert_reencodes(frame: &Frame, len: usize) {
    let wire = Bytes::from(frame.to_bytes());
    assert_eq!(wire.len(), len, "re-encoding changed the length of {frame:?}");
    let (again, used) = Frame::parse_one(&wire, MAX_WIRE).unwrap().unwrap();
    assert_eq!(used, len);
    assert_eq!(&again, frame);
}

proptest! {
    #[test]
    fn any_valid_frame_survives_encode_and_parse(f in frame()) {
        let wire = Bytes::from(f.to_bytes());
        let head = FrameHeader::parse(&wire).unwrap();
        prop_assert_eq!(head.length as usize, wire.len() - HEADER_LEN);
        prop_assert_eq!((head.kind, head.stream_id), (f.kind(), f.stream_id()));
        let (back, used) = Frame::parse_one(&wire, MAX_WIRE).unwrap().unwrap();
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(back, f);
    }

    #[test]
    fn any_frame_sequence_in_any_pieces_gives_the_same_frames(
        frames in prop::collection::vec(frame(), 0..12),
        sizes in prop::collection::vec(1..600usize, 1..8),
        share in prop::collection::vec(any::<bool>(), 1..4),
    ) {
        let wire = Bytes::from(common::encode_all(&frames));
        let (got, err, dec) = feed_in_pieces(&wire, &sizes, &share, MAX_WIRE);
        prop_assert_eq!(err, None);
        prop_assert_eq!(got, frames);
        prop_assert_eq!(dec.buffered_len(), 0);
    }

    #[test]
    fn origin_entries_read_back_what_from_origins_wrote(
        origins in prop::collection::vec(bytes(60), 0..10),
    ) {
        let f = Origin::from_origins(&origins);
        prop_assert_eq!(f.entries(), Some(origins));
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(
        wire in bytes(2_000),
        sizes in prop::collection::vec(1..300usize, 1..8),
        share in prop::collection::vec(any::<bool>(), 1..4),
        max in prop_oneof![Just(16_384u32), 0..100u32, Just(MAX_WIRE)],
    ) {
        check_any_input(&wire, &sizes, &share, max)?;
    }

    #[test]
    fn frame_shaped_input_never_panics_the_decoder(
        pieces in prop::collection::vec(frameish(), 0..20),
        sizes in prop::collection::vec(1..100usize, 1..8),
        share in prop::collection::vec(any::<bool>(), 1..4),
    ) {
        let wire = Bytes::from(pieces.concat());
        check_any_input(&wire, &sizes, &share, 16_384)?;
    }
}

/// The decoder gives the frames of parsing `wire` whole, then at most one error, which stays;
/// every frame it gives re-encodes to an equal frame of the same length.
fn check_any_input(
    wire: &Bytes,
    sizes: &[usize],
    share: &[bool],
    max: u32,
) -> Result<(), TestCaseError> {
    let (expected, expected_err) = parse_all(wire, max);
    let (got, err, mut dec) = feed_in_pieces(wire, sizes, share, max);
    prop_assert_eq!(&got, &expected);
    prop_assert_eq!(err, expected_err);
    if let Some(e) = err {
        dec.push(wire);
        dec.push_bytes(wire.clone());
        prop_assert_eq!(dec.next_frame(), Err(e));
        prop_assert_eq!(dec.buffered_len(), 0);
    }
    let mut at = 0;
    for f in &got {
        let len = HEADER_LEN + FrameHeader::parse(&wire[at..]).unwrap().length as usize;
        assert_reencodes(f, len);
        at += len;
    }
    Ok(())
}
