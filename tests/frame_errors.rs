//! Every frame-level rule of RFC 9113 §4 and §6 (and of ALTSVC, ORIGIN and PRIORITY_UPDATE):
//! the error kind, its error code and its scope.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod common;

use bytes::Bytes;
use common::{hex, parse, parse_max, MAX};
use h2wasm::frame::{
    check_header, kind, Data, ErrorScope, Frame, FrameDecoder, FrameError, FrameErrorKind,
    FrameHeader,
};
use h2wasm::ErrorCode;

use ErrorScope::{Connection, Stream};
use FrameErrorKind::*;

const PROTOCOL: ErrorCode = ErrorCode::PROTOCOL_ERROR;
const FRAME_SIZE: ErrorCode = ErrorCode::FRAME_SIZE_ERROR;

/// Parsing `wire` fails with `kind`, `code` and `scope`, and the error names the frame's header.
#[track_caller]
fn expect_err(wire: &[u8], kind: FrameErrorKind, code: ErrorCode, scope: ErrorScope) -> FrameError {
    let err = parse(wire).expect_err("the frame must be rejected");
    assert_eq!(err.kind, kind, "kind for {wire:02x?}");
    assert_eq!(err.code(), code, "code for {wire:02x?}");
    assert_eq!(err.scope(), scope, "scope for {wire:02x?}");
    assert_eq!(err.header, FrameHeader::parse(wire).unwrap());
    assert!(!err.to_string().is_empty());
    err
}

/// A frame of `kind` with `flags` on `stream` carrying `payload`.
fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    FrameHeader { length: payload.len() as u32, kind, flags, stream_id: stream }.encode(&mut out);
    out.extend_from_slice(payload);
    out
}

/// A frame of `kind` with `flags` on `stream` and a payload of `len` octets of `fill`.
fn sized(kind: u8, flags: u8, stream: u32, len: usize, fill: u8) -> Vec<u8> {
    frame(kind, flags, stream, &vec![fill; len])
}

const PADDED: u8 = 0x8;
const PRIORITY_FLAG: u8 = 0x20;
const ACK: u8 = 0x1;

// ---- stream association (§6.1–§6.10, RFC 9218 §7.1) ----

#[test]
fn stream_frames_on_stream_0_are_connection_protocol_errors() {
    // Payloads that would otherwise be valid, so only the stream id is wrong.
    let cases: [(u8, Vec<u8>); 6] = [
        (kind::DATA, vec![]),
        (kind::HEADERS, vec![0x82]),
        (kind::PRIORITY, vec![0, 0, 0, 1, 15]),
        (kind::RST_STREAM, vec![0, 0, 0, 8]),
        (kind::PUSH_PROMISE, vec![0, 0, 0, 2]),
        (kind::CONTINUATION, vec![0x82]),
    ];
    for (k, payload) in cases {
        assert!(parse(&frame(k, 0, 1, &payload)).is_ok(), "type {k} on stream 1");
        expect_err(&frame(k, 0, 0, &payload), StreamIdRequired, PROTOCOL, Connection);
        // The reserved bit alone does not make a stream id.
        let mut wire = frame(k, 0, 0, &payload);
        wire[5] = 0x80;
        expect_err(&wire, StreamIdRequired, PROTOCOL, Connection);
    }
}

#[test]
fn connection_frames_on_a_stream_are_connection_protocol_errors() {
    let cases: [(u8, Vec<u8>); 4] = [
        (kind::SETTINGS, vec![]),
        (kind::PING, vec![0; 8]),
        (kind::GOAWAY, vec![0; 8]),
        (kind::PRIORITY_UPDATE, vec![0, 0, 0, 1]),
    ];
    for (k, payload) in cases {
        assert!(parse(&frame(k, 0, 0, &payload)).is_ok(), "type {k} on stream 0");
        for stream in [1, 2, 0x7fff_ffff] {
            expect_err(&frame(k, 0, stream, &payload), StreamIdForbidden, PROTOCOL, Connection);
        }
    }
}

#[test]
fn frames_allowed_on_any_stream_are_accepted_on_0_and_on_a_stream() {
    let cases: [(u8, Vec<u8>); 4] = [
        (kind::WINDOW_UPDATE, vec![0, 0, 0, 1]),
        (kind::ALTSVC, vec![0, 0]),
        (kind::ORIGIN, vec![]),
        (0xee, vec![]),
    ];
    for (k, payload) in cases {
        for stream in [0, 1, 2, 0x7fff_ffff] {
            assert!(parse(&frame(k, 0, stream, &payload)).is_ok(), "type {k} on stream {stream}");
        }
    }
}

#[test]
fn stream_association_is_checked_before_the_length() {
    let head = FrameHeader { length: MAX + 1, kind: kind::DATA, flags: 0, stream_id: 0 };
    assert_eq!(check_header(head, MAX).unwrap_err().kind, StreamIdRequired);
    let head = FrameHeader { length: MAX + 1, kind: kind::PING, flags: 0, stream_id: 1 };
    assert_eq!(check_header(head, MAX).unwrap_err().kind, StreamIdForbidden);
}

// ---- fixed lengths (§6.3, §6.4, §6.5, §6.7, §6.8, §6.9) ----

#[test]
fn priority_of_the_wrong_length_is_a_stream_frame_size_error() {
    for len in [0, 4, 6] {
        expect_err(&sized(kind::PRIORITY, 0, 5, len, 0), BadLength, FRAME_SIZE, Stream(5));
    }
    assert!(parse(&sized(kind::PRIORITY, 0, 5, 5, 0)).is_ok());
}

#[test]
fn rst_stream_of_the_wrong_length_is_a_connection_frame_size_error() {
    for len in [0, 3, 5] {
        expect_err(&sized(kind::RST_STREAM, 0, 1, len, 0), BadLength, FRAME_SIZE, Connection);
    }
}

#[test]
fn ping_of_the_wrong_length_is_a_connection_frame_size_error() {
    for len in [0, 7, 9] {
        for flags in [0, ACK] {
            expect_err(&sized(kind::PING, flags, 0, len, 0), BadLength, FRAME_SIZE, Connection);
        }
    }
}

#[test]
fn window_update_of_the_wrong_length_is_a_connection_frame_size_error() {
    for len in [0, 3, 5] {
        for stream in [0, 7] {
            let wire = sized(kind::WINDOW_UPDATE, 0, stream, len, 1);
            expect_err(&wire, BadLength, FRAME_SIZE, Connection);
        }
    }
}

#[test]
fn settings_not_a_multiple_of_6_is_a_connection_frame_size_error() {
    for len in [1, 5, 7, 13] {
        expect_err(&sized(kind::SETTINGS, 0, 0, len, 0), BadLength, FRAME_SIZE, Connection);
    }
    for len in [0, 6, 12, 18] {
        assert!(parse(&sized(kind::SETTINGS, 0, 0, len, 0)).is_ok());
    }
}

#[test]
fn settings_ack_with_a_payload_is_a_connection_frame_size_error() {
    for len in [1, 6, 12] {
        let wire = sized(kind::SETTINGS, ACK, 0, len, 0);
        expect_err(&wire, SettingsAckWithPayload, FRAME_SIZE, Connection);
    }
}

#[test]
fn goaway_shorter_than_8_is_a_connection_frame_size_error() {
    for len in [0, 4, 7] {
        expect_err(&sized(kind::GOAWAY, 0, 0, len, 0), BadLength, FRAME_SIZE, Connection);
    }
    assert!(parse(&sized(kind::GOAWAY, 0, 0, 8, 0)).is_ok());
}

// ---- fields the payload must hold (§6.1, §6.2, §6.6, RFC 7838, RFC 9218) ----

#[test]
fn padded_frames_without_a_pad_length_octet_are_frame_size_errors() {
    for k in [kind::DATA, kind::HEADERS, kind::PUSH_PROMISE] {
        expect_err(&frame(k, PADDED, 1, &[]), BadLength, FRAME_SIZE, Connection);
    }
    expect_err(
        &frame(kind::HEADERS, PADDED | PRIORITY_FLAG, 1, &[]),
        BadLength,
        FRAME_SIZE,
        Connection,
    );
}

#[test]
fn headers_with_priority_flag_shorter_than_5_is_a_frame_size_error() {
    for len in 0..5 {
        let wire = sized(kind::HEADERS, PRIORITY_FLAG, 1, len, 0);
        expect_err(&wire, BadLength, FRAME_SIZE, Connection);
    }
    assert!(parse(&sized(kind::HEADERS, PRIORITY_FLAG, 1, 5, 0)).is_ok());
    // Padded: Pad Length 0 followed by only 4 of the 5 priority octets.
    expect_err(
        &frame(kind::HEADERS, PADDED | PRIORITY_FLAG, 1, &[0, 0, 0, 0, 0]),
        BadLength,
        FRAME_SIZE,
        Connection,
    );
    assert!(parse(&frame(kind::HEADERS, PADDED | PRIORITY_FLAG, 1, &[0; 6])).is_ok());
}

#[test]
fn push_promise_without_room_for_the_promised_stream_id_is_a_frame_size_error() {
    for len in 0..4 {
        expect_err(&sized(kind::PUSH_PROMISE, 0, 1, len, 0), BadLength, FRAME_SIZE, Connection);
    }
    // Padded: Pad Length 0 and only three octets after it.
    expect_err(
        &frame(kind::PUSH_PROMISE, PADDED, 1, &[0, 0, 0, 2]),
        BadLength,
        FRAME_SIZE,
        Connection,
    );
    assert!(parse(&frame(kind::PUSH_PROMISE, PADDED, 1, &[0, 0, 0, 0, 2])).is_ok());
}

#[test]
fn altsvc_shorter_than_the_origin_length_field_is_a_frame_size_error() {
    for len in [0, 1] {
        for stream in [0, 3] {
            expect_err(&sized(kind::ALTSVC, 0, stream, len, 0), BadLength, FRAME_SIZE, Connection);
        }
    }
}

#[test]
fn altsvc_origin_running_past_the_payload_is_a_frame_size_error() {
    // Origin-Len 5, four octets of origin.
    let wire = frame(kind::ALTSVC, 0, 0, &hex("0005 61626364"));
    expect_err(&wire, BadAltSvcOrigin, FRAME_SIZE, Connection);
    let wire = frame(kind::ALTSVC, 0, 0, &hex("ffff"));
    expect_err(&wire, BadAltSvcOrigin, FRAME_SIZE, Connection);
    // Exactly filling the payload is fine: the field value is empty.
    assert!(parse(&frame(kind::ALTSVC, 0, 0, &hex("0004 61626364"))).is_ok());
}

#[test]
fn priority_update_shorter_than_4_is_a_frame_size_error() {
    for len in 0..4 {
        let wire = sized(kind::PRIORITY_UPDATE, 0, 0, len, 1);
        expect_err(&wire, BadLength, FRAME_SIZE, Connection);
    }
}

// ---- padding (§6.1, §6.2, §6.6) ----

/// `payload_len` octets of payload starting with Pad Length `pad`.
fn padded(kind: u8, flags: u8, payload_len: usize, pad: u8, fixed: &[u8]) -> Vec<u8> {
    let mut payload = vec![pad];
    payload.extend_from_slice(fixed);
    payload.resize(payload_len, 0);
    frame(kind, PADDED | flags, 1, &payload)
}

#[test]
fn data_padding_may_not_reach_the_payload_length() {
    for len in [1usize, 2, 10, 256] {
        let longest = (len - 1) as u8;
        let f = parse(&padded(kind::DATA, 0, len, longest, &[])).unwrap();
        assert_eq!(
            f,
            Data { stream_id: 1, end_stream: false, pad_len: Some(longest), data: Bytes::new() }
                .into()
        );
        if len <= 255 {
            let wire = padded(kind::DATA, 0, len, len as u8, &[]);
            expect_err(&wire, BadPadding, PROTOCOL, Connection);
        }
    }
    expect_err(&padded(kind::DATA, 0, 1, 255, &[]), BadPadding, PROTOCOL, Connection);
}

#[test]
fn headers_padding_may_not_reach_the_payload_length() {
    for len in [1usize, 2, 10, 255] {
        let longest = (len - 1) as u8;
        let Frame::Headers(h) = parse(&padded(kind::HEADERS, 0, len, longest, &[])).unwrap() else {
            panic!("not HEADERS")
        };
        assert_eq!((h.pad_len, h.fragment.len()), (Some(longest), 0));
        let wire = padded(kind::HEADERS, 0, len, len as u8, &[]);
        expect_err(&wire, BadPadding, PROTOCOL, Connection);
    }
}

#[test]
fn headers_padding_may_not_eat_into_the_priority_fields() {
    let prio = [0, 0, 0, 3, 15];
    for len in [6usize, 7, 20, 260] {
        let longest = (len - 6) as u8;
        let Frame::Headers(h) =
            parse(&padded(kind::HEADERS, PRIORITY_FLAG, len, longest, &prio)).unwrap()
        else {
            panic!("not HEADERS")
        };
        assert_eq!((h.pad_len, h.fragment.len()), (Some(longest), 0));
        assert_eq!(h.priority.unwrap().dependency, 3);
        let wire = padded(kind::HEADERS, PRIORITY_FLAG, len, longest + 1, &prio);
        expect_err(&wire, BadPadding, PROTOCOL, Connection);
    }
}

#[test]
fn push_promise_padding_may_not_eat_into_the_promised_stream_id() {
    let promised = [0, 0, 0, 2];
    for len in [5usize, 6, 20, 259] {
        let longest = (len - 5) as u8;
        let Frame::PushPromise(p) =
            parse(&padded(kind::PUSH_PROMISE, 0, len, longest, &promised)).unwrap()
        else {
            panic!("not PUSH_PROMISE")
        };
        assert_eq!((p.pad_len, p.promised_stream_id, p.fragment.len()), (Some(longest), 2, 0));
        let wire = padded(kind::PUSH_PROMISE, 0, len, longest + 1, &promised);
        expect_err(&wire, BadPadding, PROTOCOL, Connection);
    }
}

// ---- field values (§6.6, §6.9, RFC 9218 §7.1) ----

#[test]
fn window_update_of_zero_on_the_connection_is_a_connection_error() {
    for raw in ["00000000", "80000000"] {
        let wire = frame(kind::WINDOW_UPDATE, 0, 0, &hex(raw));
        expect_err(&wire, ZeroWindowIncrement, PROTOCOL, Connection);
    }
}

#[test]
fn window_update_of_zero_on_a_stream_is_a_stream_error() {
    for raw in ["00000000", "80000000"] {
        let wire = frame(kind::WINDOW_UPDATE, 0, 9, &hex(raw));
        expect_err(&wire, ZeroWindowIncrement, PROTOCOL, Stream(9));
    }
}

#[test]
fn push_promise_promising_0_or_an_odd_stream_is_a_protocol_error() {
    for promised in ["00000000", "80000000", "00000001", "00000003", "7fffffff"] {
        for flags in [0, 0x4] {
            let wire = frame(kind::PUSH_PROMISE, flags, 1, &hex(promised));
            expect_err(&wire, InvalidPromisedStreamId, PROTOCOL, Connection);
        }
        let wire = frame(kind::PUSH_PROMISE, PADDED, 1, &hex(&format!("01 {promised} 00")));
        expect_err(&wire, InvalidPromisedStreamId, PROTOCOL, Connection);
    }
}

#[test]
fn priority_update_for_stream_0_is_a_protocol_error() {
    for raw in ["00000000", "80000000", "00000000 753d31"] {
        let wire = frame(kind::PRIORITY_UPDATE, 0, 0, &hex(raw));
        expect_err(&wire, InvalidPrioritizedStreamId, PROTOCOL, Connection);
    }
}

// ---- maximum frame size (§4.2) ----

#[test]
fn a_frame_of_exactly_the_maximum_size_is_accepted() {
    for max in [MAX, 16_385, 1 << 20] {
        let wire = sized(kind::DATA, 0, 1, max as usize, 0x61);
        let Frame::Data(d) = parse_max(&wire, max).unwrap() else { panic!("not DATA") };
        assert_eq!(d.data.len(), max as usize);
        let mut dec = FrameDecoder::new(max);
        dec.push(&wire);
        assert!(matches!(dec.next_frame(), Ok(Some(Frame::Data(_)))));
    }
}

#[test]
fn a_frame_one_octet_over_the_maximum_is_rejected() {
    let wire = sized(kind::DATA, 0, 1, MAX as usize + 1, 0);
    let err = parse(&wire).unwrap_err();
    assert_eq!(err.kind, TooLarge { max: MAX });
    assert_eq!((err.code(), err.scope()), (FRAME_SIZE, Connection));
}

#[test]
fn parse_one_rejects_an_oversized_frame_from_its_header_alone() {
    let head = frame(kind::HEADERS, 0x4, 3, &[]);
    let mut wire = head.clone();
    wire[..3].copy_from_slice(&[0x00, 0x40, 0x01]);
    let err = Frame::parse_one(&Bytes::from(wire), MAX).unwrap_err();
    assert_eq!(err.kind, TooLarge { max: MAX });
    assert_eq!(err.header.length, MAX + 1);
}

/// Only the 9-octet header of a frame announcing `length` octets.
fn header_only(length: u32) -> Vec<u8> {
    let mut out = Vec::new();
    FrameHeader { length, kind: kind::DATA, flags: 0, stream_id: 1 }.encode(&mut out);
    out
}

#[test]
fn decoder_rejects_an_oversized_frame_before_any_payload_arrives() {
    for length in [MAX + 1, 0xff_ffff] {
        for copy in [true, false] {
            let mut dec = FrameDecoder::new(MAX);
            if copy {
                dec.push(&header_only(length));
            } else {
                dec.push_bytes(Bytes::from(header_only(length)));
            }
            let err = dec.next_frame().unwrap_err();
            assert_eq!(err.kind, TooLarge { max: MAX });
            assert_eq!((err.code(), err.scope()), (FRAME_SIZE, Connection));
            assert_eq!(err.header.length, length);
            assert_eq!(dec.buffered_len(), 0);
            assert_eq!(dec.error(), Some(&err));
        }
    }
}

#[test]
fn decoder_rejects_an_oversized_header_that_arrives_in_pieces() {
    let head = header_only(MAX + 1);
    let mut dec = FrameDecoder::new(MAX);
    for (i, octet) in head.iter().enumerate() {
        dec.push(&[*octet]);
        if i + 1 < head.len() {
            assert_eq!(dec.next_frame(), Ok(None));
        }
    }
    assert_eq!(dec.next_frame().unwrap_err().kind, TooLarge { max: MAX });
}

#[test]
fn decoder_waits_for_the_payload_of_a_frame_of_exactly_the_maximum_size() {
    let mut dec = FrameDecoder::new(MAX);
    dec.push(&header_only(MAX));
    assert_eq!(dec.next_frame(), Ok(None));
    dec.push(&vec![0; MAX as usize - 1]);
    assert_eq!(dec.next_frame(), Ok(None));
    dec.push(&[0]);
    assert!(matches!(dec.next_frame(), Ok(Some(Frame::Data(d))) if d.data.len() == MAX as usize));
    assert_eq!(dec.buffered_len(), 0);
}

#[test]
fn set_max_frame_size_applies_from_the_next_header() {
    let mut dec = FrameDecoder::new(MAX);
    assert_eq!(dec.max_frame_size(), MAX);
    dec.set_max_frame_size(MAX * 2);
    dec.push(&sized(kind::DATA, 0, 1, MAX as usize * 2, 0));
    assert!(dec.next_frame().unwrap().is_some());
    dec.set_max_frame_size(MAX);
    dec.push(&header_only(MAX + 1));
    assert_eq!(dec.next_frame().unwrap_err().kind, TooLarge { max: MAX });
}

#[test]
fn unknown_types_are_never_frame_errors() {
    for flags in [0, 0xff] {
        for len in [0, 1, 7, 100] {
            assert!(parse(&sized(0x20, flags, 0, len, 0xff)).is_ok());
        }
    }
}
