//! Frame-level behaviour seen through the connection: input cut anywhere, frame size and
//! stream-association errors, bad lengths and padding, CONTINUATION assembly and its limits,
//! unknown frame types, and what happens to the frames before a failing one
//! (h2-behaviour §9; §11.1 scenarios 106–115).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::events::*;
use h2wasm::frame::{self, kind, Frame};
use h2wasm::{ErrorCode, H2Configuration, H2Connection, Limits};
use support::*;

/// Feeds `data`, expects a connection error of `type_name` / `code`, and checks the GOAWAY
/// that follows it carries `code` and `last_stream_id`.
fn expect_conn_error(
    conn: &mut H2Connection,
    data: &[u8],
    type_name: &str,
    code: ErrorCode,
    last_stream_id: u32,
) {
    let err = recv_err(conn, data);
    assert_eq!((err.type_name(), err.error_code()), (type_name, Some(code)), "{err:?}");
    assert_eq!(expect_goaway(conn, code), last_stream_id, "GOAWAY last_stream_id");
}

/// A server on which the peer opened stream 1, with the peer's frame factory.
fn server_with_stream() -> (H2Connection, FrameFactory) {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    (s, ff)
}

/// A header block for stream `id` cut into HEADERS (with `first` applied) plus CONTINUATION
/// frames holding `cuts` fragments; END_HEADERS on the last frame.
fn split_block(
    ff: &mut FrameFactory,
    id: u32,
    headers: &[(&str, &str)],
    pieces: usize,
    first: impl FnOnce(HeadersBuilder) -> HeadersBuilder,
) -> Vec<u8> {
    let mut builder = first(ff.headers(id, headers).no_end_headers());
    let block = builder.fragment();
    let step = block.len().div_ceil(pieces);
    builder.0.fragment = block.slice(..step.min(block.len()));
    let mut out = builder.bytes();
    let mut at = step.min(block.len());
    for i in 1..pieces {
        let end = (at + step).min(block.len());
        out.extend(ff.continuation(id, &block[at..end], i == pieces - 1));
        at = end;
    }
    out
}

const BIG_REQUEST: &[(&str, &str)] = &[
    (":method", "POST"),
    (":path", "/upload/a/fairly/long/path/so/the/block/needs/splitting"),
    (":scheme", "https"),
    (":authority", "example.com"),
    ("user-agent", "h2wasm-tests/1.0 (a long user agent string to pad out the block)"),
    ("x-custom", "value-one"),
    ("x-other", "value-two"),
];

// ---- input cut anywhere ------------------------------------------------------------------

// §11.1 #106
#[test]
fn a_mixed_sequence_split_at_every_boundary_gives_the_same_events() {
    let mut ff = FrameFactory::new();
    let base = server();
    let mut input = Vec::new();
    input.extend(ff.settings(&[(3, 50), (4, 70_000)]));
    input.extend(split_block(&mut ff, 1, BIG_REQUEST, 3, |h| h.padded(7)));
    input.extend(ff.padded_data(1, b"hello world", 4, false));
    input.extend(ff.ping(*b"pingpong"));
    input.extend(ff.window_update(0, 1_000));
    input.extend(ff.headers(3, REQUEST).priority(1, 200, true).end_stream().bytes());
    input.extend(ff.priority(5, 3, 8, false));
    input.extend(ff.raw(0xbb, 0x5a, 7, b"extension"));
    input.extend(ff.data(1, b"bye", true));
    input.extend(ff.settings_ack());
    input.extend(ff.rst(3, ErrorCode::CANCEL));

    let mut whole = base.clone();
    let events = recv_ok(&mut whole, &input);
    assert_eq!(
        names(&events),
        [
            "RemoteSettingsChanged",
            "RequestReceived",
            "DataReceived",
            "PingReceived",
            "WindowUpdated",
            "RequestReceived",
            "StreamEnded",
            "PriorityUpdated",
            "PriorityUpdated",
            "UnknownFrameReceived",
            "DataReceived",
            "StreamEnded",
            "SettingsAcknowledged",
            "StreamReset",
        ]
    );
    let Event::RequestReceived(r) = &events[1] else { unreachable!() };
    assert_eq!(pairs(&r.headers), owned(BIG_REQUEST));
    let output = whole.data_to_send(None);

    for cut in 0..=input.len() {
        let mut conn = base.clone();
        let mut got = conn.receive_data(&input[..cut]).unwrap();
        got.extend(conn.receive_data(&input[cut..]).unwrap());
        assert_eq!(got, events, "events differ when cut at {cut}");
        assert_eq!(conn.data_to_send(None), output, "output differs when cut at {cut}");
    }
}

// ---- frame size ----------------------------------------------------------------------

/// Documented difference (docs/differences.md #1): the length is checked from the 9-octet
/// header, so the error comes before any payload arrives (h2 buffers the whole frame first).
// §11.1 #107
#[test]
fn an_oversized_frame_is_refused_from_its_header_alone() {
    let (mut s, ff) = server_with_stream();
    let full = ff.raw(kind::DATA, 0, 1, &[0; 16_385]);
    expect_conn_error(&mut s, &full[..9], "FrameTooLargeError", ErrorCode::FRAME_SIZE_ERROR, 1);

    // Any type, unknown ones included.
    let (mut s, ff) = server_with_stream();
    let full = ff.raw(0xbb, 0, 0, &[0; 20_000]);
    expect_conn_error(&mut s, &full[..9], "FrameTooLargeError", ErrorCode::FRAME_SIZE_ERROR, 1);
}

// §11.1 #107
#[test]
fn a_frame_of_exactly_the_maximum_size_is_accepted() {
    let (mut s, ff) = server_with_stream();
    let events = recv_ok(&mut s, &ff.data(1, &[0; 16_384], false));
    let [Event::DataReceived(d)] = &events[..] else { panic!("{events:?}") };
    assert_eq!(d.flow_controlled_length, 16_384);
    let events = recv_ok(&mut s, &ff.raw(0xbb, 0, 0, &[0; 16_384]));
    assert_eq!(names(&events), ["UnknownFrameReceived"]);
}

// ---- stream association and lengths -----------------------------------------------------

// §11.1 #108
#[test]
fn stream_frames_on_stream_0_are_protocol_errors() {
    let ff = FrameFactory::new();
    let cases: &[(&str, Vec<u8>)] = &[
        ("DATA", ff.raw(kind::DATA, 0, 0, b"ab")),
        ("HEADERS", ff.raw(kind::HEADERS, 0x4, 0, b"")),
        ("PRIORITY", ff.raw(kind::PRIORITY, 0, 0, &[0; 5])),
        ("RST_STREAM", ff.raw(kind::RST_STREAM, 0, 0, &[0; 4])),
        ("PUSH_PROMISE", ff.raw(kind::PUSH_PROMISE, 0x4, 0, &[0, 0, 0, 2])),
        ("CONTINUATION", ff.raw(kind::CONTINUATION, 0x4, 0, b"")),
    ];
    for (name, bytes) in cases {
        let (mut s, _) = server_with_stream();
        let err = recv_err(&mut s, bytes);
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR)),
            "{name}"
        );
        assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1, "{name}");
    }
}

// §11.1 #108
#[test]
fn connection_frames_on_a_stream_are_protocol_errors() {
    let ff = FrameFactory::new();
    for (name, bytes) in [
        ("PING", ff.raw(kind::PING, 0, 1, &[0; 8])),
        ("GOAWAY", ff.raw(kind::GOAWAY, 0, 1, &[0; 8])),
    ] {
        let (mut s, _) = server_with_stream();
        let err = recv_err(&mut s, &bytes);
        assert_eq!(err.type_name(), "ProtocolError", "{name}");
        assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1, "{name}");
    }
}

// §11.1 #109
#[test]
fn fixed_length_frames_with_a_wrong_length_are_frame_size_errors() {
    let ff = FrameFactory::new();
    let cases: &[(&str, Vec<u8>)] = &[
        ("PING 7", ff.raw(kind::PING, 0, 0, &[0; 7])),
        ("PING 9", ff.raw(kind::PING, 0, 0, &[0; 9])),
        ("RST_STREAM 3", ff.raw(kind::RST_STREAM, 0, 1, &[0; 3])),
        ("RST_STREAM 5", ff.raw(kind::RST_STREAM, 0, 1, &[0; 5])),
        ("PRIORITY 4", ff.raw(kind::PRIORITY, 0, 1, &[0; 4])),
        ("PRIORITY 6", ff.raw(kind::PRIORITY, 0, 1, &[0; 6])),
        ("WINDOW_UPDATE 3", ff.raw(kind::WINDOW_UPDATE, 0, 0, &[0, 0, 1])),
        ("WINDOW_UPDATE 5", ff.raw(kind::WINDOW_UPDATE, 0, 1, &[0, 0, 0, 1, 0])),
        ("GOAWAY 7", ff.raw(kind::GOAWAY, 0, 0, &[0; 7])),
    ];
    for (name, bytes) in cases {
        let (mut s, _) = server_with_stream();
        let err = recv_err(&mut s, bytes);
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("FrameDataMissingError", Some(ErrorCode::FRAME_SIZE_ERROR)),
            "{name}"
        );
        assert_eq!(expect_goaway(&mut s, ErrorCode::FRAME_SIZE_ERROR), 1, "{name}");
    }
}

// §11.1 #110
#[test]
fn padding_not_shorter_than_the_payload_is_a_protocol_error() {
    let ff = FrameFactory::new();
    let cases: &[(&str, Vec<u8>)] = &[
        // Pad Length octet + 2 data octets: 2 is the most padding that fits.
        ("DATA pad 3 of 3", ff.raw(kind::DATA, 0x8, 1, &[3, b'a', b'b'])),
        ("DATA pad 9 of 3", ff.raw(kind::DATA, 0x8, 1, &[9, b'a', b'b'])),
        ("HEADERS pad 3 of 3", ff.raw(kind::HEADERS, 0xc, 3, &[3, b'a', b'b'])),
    ];
    for (name, bytes) in cases {
        let (mut s, _) = server_with_stream();
        let err = recv_err(&mut s, bytes);
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR)),
            "{name}"
        );
        assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1, "{name}");
    }
    // Exactly all of the rest as padding is fine.
    let (mut s, _) = server_with_stream();
    let events = recv_ok(&mut s, &ff.raw(kind::DATA, 0x8, 1, &[2, 0, 0]));
    let [Event::DataReceived(d)] = &events[..] else { panic!("{events:?}") };
    assert_eq!((d.data.len(), d.flow_controlled_length), (0, 3));
    // PADDED without even the Pad Length octet is too short.
    let (mut s, _) = server_with_stream();
    let err = recv_err(&mut s, &ff.raw(kind::DATA, 0x8, 1, b""));
    assert_eq!(err.type_name(), "FrameDataMissingError");
    expect_goaway(&mut s, ErrorCode::FRAME_SIZE_ERROR);
}

// ---- CONTINUATION ------------------------------------------------------------------------

// §11.1 #111
#[test]
fn headers_and_continuations_are_assembled_keeping_the_first_frame_flags() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    let input = split_block(&mut ff, 1, BIG_REQUEST, 4, |h| {
        h.end_stream().priority(0, 42, false).padded(3)
    });
    let events = recv_ok(&mut s, &input);
    let priority = PriorityUpdated { stream_id: 1, weight: 42, depends_on: 0, exclusive: false };
    let ended = StreamEnded { stream_id: 1 };
    assert_eq!(
        events,
        [
            Event::RequestReceived(RequestReceived {
                stream_id: 1,
                headers: hdrs(BIG_REQUEST),
                stream_ended: Some(ended),
                priority_updated: Some(priority),
            }),
            Event::StreamEnded(ended),
            Event::PriorityUpdated(priority),
        ]
    );
}

// §11.1 #111
#[test]
fn push_promise_and_continuations_are_assembled() {
    let mut ff = FrameFactory::new();
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    let block = ff.block(BIG_REQUEST);
    let mut input = Frame::from(frame::PushPromise {
        stream_id: 1,
        promised_stream_id: 2,
        end_headers: false,
        pad_len: None,
        fragment: Bytes::copy_from_slice(&block[..20]),
    })
    .to_bytes();
    input.extend(ff.continuation(1, &block[20..], true));
    let events = recv_ok(&mut c, &input);
    assert_eq!(
        events,
        [Event::PushedStreamReceived(PushedStreamReceived {
            pushed_stream_id: 2,
            parent_stream_id: 1,
            headers: hdrs(BIG_REQUEST),
        })]
    );
}

// §11.1 #111
#[test]
fn any_other_frame_inside_a_header_block_is_a_protocol_error() {
    type Make = fn(&mut FrameFactory) -> Vec<u8>;
    let interlopers: [(&str, Make); 8] = [
        ("PING", |ff| ff.ping([0; 8])),
        ("DATA", |ff| ff.data(1, b"x", false)),
        ("HEADERS same stream", |ff| ff.headers(3, REQUEST).bytes()),
        ("HEADERS other stream", |ff| ff.headers(5, REQUEST).bytes()),
        ("unknown frame", |ff| ff.raw(0xbb, 0, 0, b"")),
        ("CONTINUATION other stream", |ff| ff.continuation(1, b"", true)),
        ("SETTINGS", |ff| ff.settings(&[])),
        ("PRIORITY_UPDATE", |ff| ff.raw(kind::PRIORITY_UPDATE, 0, 0, &[0, 0, 0, 1])),
    ];
    for (name, make) in interlopers {
        let (mut s, mut ff) = server_with_stream();
        let mut input = ff.headers(3, REQUEST).no_end_headers().bytes();
        input.extend(make(&mut ff));
        let err = recv_err(&mut s, &input);
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR)),
            "{name}"
        );
        // Stream 3 was never created.
        assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1, "{name}");
    }
}

/// HEADERS (with a real block) followed by `conts` empty CONTINUATIONs, the last one ending
/// the block.
fn block_with_continuations(ff: &mut FrameFactory, id: u32, conts: usize) -> Vec<u8> {
    let mut input = ff.headers(id, REQUEST).no_end_headers().bytes();
    for i in 0..conts {
        input.extend(ff.continuation(id, b"", i == conts - 1));
    }
    input
}

// §11.1 #112
#[test]
fn sixty_three_continuations_are_accepted_and_the_sixty_fourth_is_refused() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    let events = recv_ok(&mut s, &block_with_continuations(&mut ff, 1, 63));
    assert_eq!(names(&events), ["RequestReceived"]);

    // The 64th CONTINUATION is refused even though it ends the block.
    let (mut s, mut ff) = server_with_stream();
    let input = block_with_continuations(&mut ff, 3, 64);
    expect_conn_error(&mut s, &input, "ProtocolError", ErrorCode::PROTOCOL_ERROR, 1);
}

// §11.1 #112
#[test]
fn the_continuation_cap_follows_max_header_block_frames() {
    let config = H2Configuration {
        limits: Limits { max_header_block_frames: 3, ..Limits::default() },
        ..H2Configuration::server()
    };
    let mut ff = FrameFactory::new();
    let mut s = server_with(config.clone());
    let events = recv_ok(&mut s, &block_with_continuations(&mut ff, 1, 2));
    assert_eq!(names(&events), ["RequestReceived"]);
    let input = block_with_continuations(&mut ff, 3, 3);
    expect_conn_error(&mut s, &input, "ProtocolError", ErrorCode::PROTOCOL_ERROR, 1);
}

// §11.1 #112
#[test]
fn a_header_block_over_max_header_block_size_is_enhance_your_calm() {
    let config = H2Configuration {
        limits: Limits { max_header_block_size: 100, ..Limits::default() },
        ..H2Configuration::server()
    };
    // Split across frames: refused when the CONTINUATION pushes it past the limit.
    let ff = FrameFactory::new();
    let mut s = server_with(config.clone());
    let mut input = ff.raw(kind::HEADERS, 0, 1, &[0x82; 60]);
    input.extend(ff.continuation(1, &[0x82; 41], true));
    expect_conn_error(&mut s, &input, "DenialOfServiceError", ErrorCode::ENHANCE_YOUR_CALM, 0);

    // In one HEADERS without END_HEADERS.
    let mut s = server_with(config.clone());
    let input = ff.raw(kind::HEADERS, 0, 1, &[0x82; 101]);
    expect_conn_error(&mut s, &input, "DenialOfServiceError", ErrorCode::ENHANCE_YOUR_CALM, 0);

    // In one complete HEADERS frame.
    let mut s = server_with(config.clone());
    let input = ff.raw(kind::HEADERS, 0x4, 1, &[0x82; 101]);
    expect_conn_error(&mut s, &input, "DenialOfServiceError", ErrorCode::ENHANCE_YOUR_CALM, 0);

    // The default limit (1 MiB) holds for a single frame when our frame size is larger.
    let config = H2Configuration {
        limits: Limits { max_inbound_frame_size: 2 << 20, ..Limits::default() },
        ..H2Configuration::server()
    };
    let mut s = server_with(config);
    let input = ff.raw(kind::HEADERS, 0x4, 1, &vec![0x82; (1 << 20) + 1]);
    expect_conn_error(&mut s, &input, "DenialOfServiceError", ErrorCode::ENHANCE_YOUR_CALM, 0);

    // Exactly the limit is fine (the block itself is then judged by HPACK: 0x82 is
    // `:method GET`, repeated).
    let config = H2Configuration {
        limits: Limits { max_header_block_size: 100, ..Limits::default() },
        ..H2Configuration::server()
    };
    let mut s = server_with(config);
    let mut input = ff.raw(kind::HEADERS, 0, 1, &[0x82; 60]);
    input.extend(ff.continuation(1, &[0x82; 40], true));
    let err = recv_err(&mut s, &input);
    assert_eq!(err.type_name(), "ProtocolError", "duplicate :method, not a size error");
}

// §11.1 #113
#[test]
fn a_naked_continuation_on_an_open_or_idle_stream_is_a_protocol_error() {
    let (mut s, ff) = server_with_stream();
    let input = ff.continuation(1, b"", true);
    expect_conn_error(&mut s, &input, "ProtocolError", ErrorCode::PROTOCOL_ERROR, 1);

    let (mut s, ff) = server_with_stream();
    let input = ff.continuation(5, b"", true);
    expect_conn_error(&mut s, &input, "NoSuchStreamError", ErrorCode::PROTOCOL_ERROR, 1);
}

// §11.1 #113
#[test]
fn a_naked_continuation_on_a_closed_stream_is_a_protocol_error() {
    // Closed and still known (not yet cleaned up).
    let (mut s, ff) = server_with_stream();
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    s.clear_outbound_data_buffer();
    let input = ff.continuation(1, b"", true);
    expect_conn_error(&mut s, &input, "ProtocolError", ErrorCode::PROTOCOL_ERROR, 1);
}

/// Once a stream has been forgotten, a naked CONTINUATION on it is handled like any late
/// frame on a closed stream (h2's routing of StreamClosedError): RST_STREAM when it was
/// reset, GOAWAY STREAM_CLOSED when it ended normally.
// §11.1 #113
#[test]
fn a_naked_continuation_on_a_forgotten_stream_follows_how_it_closed() {
    let (mut s, mut ff) = server_with_stream();
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(1), None);
    let events = recv_ok(&mut s, &ff.continuation(1, b"", true));
    assert!(events.is_empty());
    assert_eq!(
        sent(&mut s),
        [Frame::RstStream(frame::RstStream { stream_id: 1, error_code: ErrorCode::STREAM_CLOSED })]
    );

    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    s.clear_outbound_data_buffer();
    let input = ff.continuation(1, b"", true);
    expect_conn_error(&mut s, &input, "StreamClosedError", ErrorCode::STREAM_CLOSED, 3);
}

// ---- unknown frames ----------------------------------------------------------------------

fn unknown(kind: u8, flags: u8, stream_id: u32, payload: &[u8]) -> Event {
    Event::UnknownFrameReceived(UnknownFrameReceived {
        frame: frame::Unknown { kind, flags, stream_id, payload: Bytes::copy_from_slice(payload) },
    })
}

// §11.1 #114
#[test]
fn unknown_frame_types_are_reported_whole_on_any_stream_and_nothing_is_sent() {
    let ff = FrameFactory::new();
    for conn in [server(), client()] {
        for kind in 0x0b..=0xffu8 {
            if kind == frame::kind::ORIGIN || kind == frame::kind::PRIORITY_UPDATE {
                continue;
            }
            for stream_id in [0, 1, 6, 0x7fff_ffff] {
                let mut c = conn.clone();
                let events = recv_ok(&mut c, &ff.raw(kind, 0xa5, stream_id, b"opaque"));
                assert_eq!(events, [unknown(kind, 0xa5, stream_id, b"opaque")]);
                assert!(c.data_to_send(None).is_empty());
                assert_eq!(c.state(), conn.state(), "no state change");
            }
        }
    }
}

// §11.1 #114
#[test]
fn an_unknown_frame_stream_id_has_its_reserved_bit_masked() {
    let ff = FrameFactory::new();
    let mut s = server();
    let events = recv_ok(&mut s, &ff.raw(0xbb, 0, 0x8000_0005, b""));
    assert_eq!(events, [unknown(0xbb, 0, 5, b"")]);
}

/// ORIGIN (0xc) is interpreted only by a client on stream 0 (docs/differences.md #18); a
/// server, another stream, or a malformed payload gives an unknown frame, as h2 does.
// §11.1 #114
#[test]
fn origin_frames_outside_the_client_stream_0_case_are_unknown_frames() {
    let ff = FrameFactory::new();
    let good = [0, 3, b'a', b'.', b'b'];
    let mut s = server();
    assert_eq!(
        recv_ok(&mut s, &ff.raw(kind::ORIGIN, 0, 0, &good)),
        [unknown(kind::ORIGIN, 0, 0, &good)]
    );
    let mut c = client();
    assert_eq!(
        recv_ok(&mut c, &ff.raw(kind::ORIGIN, 0x3, 1, &good)),
        [unknown(kind::ORIGIN, 0x3, 1, &good)]
    );
    // An entry overrunning the payload.
    let bad = [0, 9, b'a'];
    assert_eq!(
        recv_ok(&mut c, &ff.raw(kind::ORIGIN, 0xf0, 0, &bad)),
        [unknown(kind::ORIGIN, 0xf0, 0, &bad)]
    );
    assert!(c.data_to_send(None).is_empty());
    assert!(s.data_to_send(None).is_empty());
}

/// PRIORITY_UPDATE (0x10) is interpreted only by a server on stream 0 when well formed
/// (docs/differences.md #18); everything else is an unknown frame, as in h2.
// §11.1 #114
#[test]
fn priority_update_frames_outside_the_server_stream_0_case_are_unknown_frames() {
    let ff = FrameFactory::new();
    let good = [0, 0, 0, 1, b'u', b'=', b'1'];
    let pu = kind::PRIORITY_UPDATE;
    let mut c = client();
    assert_eq!(recv_ok(&mut c, &ff.raw(pu, 0, 0, &good)), [unknown(pu, 0, 0, &good)]);
    let mut s = server();
    assert_eq!(recv_ok(&mut s, &ff.raw(pu, 0x1, 1, &good)), [unknown(pu, 0x1, 1, &good)]);
    // Too short for the prioritized stream id, and a prioritized stream id of 0.
    assert_eq!(recv_ok(&mut s, &ff.raw(pu, 0, 0, &[0, 0, 1])), [unknown(pu, 0, 0, &[0, 0, 1])]);
    let zero = [0, 0, 0, 0, b'u', b'=', b'1'];
    assert_eq!(recv_ok(&mut s, &ff.raw(pu, 0, 0, &zero)), [unknown(pu, 0, 0, &zero)]);
    assert!(c.data_to_send(None).is_empty());
    assert!(s.data_to_send(None).is_empty());
}

// ---- events before a failing frame ----------------------------------------------------------

/// Documented difference (docs/differences.md #4): h2 discards the events of the frames
/// before the failing one; h2wasm returns them with the error. The ACKs those frames queued
/// stay ahead of the GOAWAY, as in h2.
// §11.1 #115
#[test]
fn events_before_a_failing_frame_come_back_with_the_error() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    let mut input = ff.ping(*b"12345678");
    input.extend(ff.settings(&[(3, 10)]));
    input.extend(ff.headers(1, REQUEST).bytes());
    input.extend(ff.raw(kind::PING, 0, 1, &[0; 8]));
    input.extend(ff.ping(*b"never!!!"));

    let err = s.clone().receive_data(&input).unwrap_err();
    assert_eq!(err.error.type_name(), "ProtocolError");
    assert_eq!(names(&err.events), ["PingReceived", "RemoteSettingsChanged", "RequestReceived"]);
    assert_eq!(err.events[0], Event::PingReceived(PingReceived { ping_data: *b"12345678" }));

    let (e, events) = recv(&mut s, &input).unwrap_err();
    assert_eq!(e, err.error);
    assert_eq!(events, err.events);
    let frames = sent(&mut s);
    assert_eq!(frames.len(), 3, "{frames:?}");
    assert_eq!(frames[0], Frame::Ping(frame::Ping { ack: true, payload: *b"12345678" }));
    assert_eq!(frames[1], Frame::Settings(frame::Settings::ack()));
    let Frame::GoAway(g) = &frames[2] else { panic!("{frames:?}") };
    assert_eq!((g.error_code, g.last_stream_id), (ErrorCode::PROTOCOL_ERROR, 1));
}

// §11.1 #115
#[test]
fn a_failing_frame_contributes_no_events_of_its_own() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    let mut input = ff.ping([1; 8]);
    // Trailers without END_STREAM on a stream opened in the same call.
    input.extend(ff.headers(1, REQUEST).bytes());
    input.extend(ff.headers(1, &[("x-trailer", "1")]).bytes());
    let (err, events) = recv(&mut s, &input).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(names(&events), ["PingReceived", "RequestReceived"]);
    let frames = sent(&mut s);
    assert!(matches!(&frames[..], [Frame::Ping(p), Frame::GoAway(_)] if p.ack), "{frames:?}");
}

// ---- control-frame floods ------------------------------------------------------------

fn server_with_control_limit(limit: usize) -> H2Connection {
    server_with(H2Configuration {
        limits: Limits { max_queued_control_frames: limit, ..Limits::default() },
        ..H2Configuration::server()
    })
}

/// Documented difference (docs/differences.md #2): h2 queues replies without limit.
#[test]
fn a_ping_flood_without_draining_is_enhance_your_calm() {
    let ff = FrameFactory::new();
    let mut s = server_with_control_limit(5);
    let flood: Vec<u8> = (0..6u8).flat_map(|i| ff.ping([i; 8])).collect();
    let (err, events) = recv(&mut s, &flood).unwrap_err();
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("DenialOfServiceError", Some(ErrorCode::ENHANCE_YOUR_CALM))
    );
    assert_eq!(events.len(), 6);
    let frames = sent(&mut s);
    assert_eq!(frames.len(), 7);
    assert!(frames[..6].iter().all(|f| matches!(f, Frame::Ping(p) if p.ack)));
    assert!(matches!(&frames[6], Frame::GoAway(g) if g.error_code == ErrorCode::ENHANCE_YOUR_CALM));
}

/// Documented difference (docs/differences.md #2).
#[test]
fn draining_the_output_resets_the_control_frame_count() {
    let ff = FrameFactory::new();
    let mut s = server_with_control_limit(5);
    let five: Vec<u8> = (0..5u8).flat_map(|i| ff.ping([i; 8])).collect();
    for _ in 0..10 {
        assert_eq!(recv_ok(&mut s, &five).len(), 5);
        assert_eq!(sent(&mut s).len(), 5);
    }
    // A partial drain does not reset the count.
    recv_ok(&mut s, &five);
    s.data_to_send(Some(17));
    let err = recv_err(&mut s, &ff.ping([9; 8]));
    assert_eq!(err.type_name(), "DenialOfServiceError");
}

/// Documented difference (docs/differences.md #2): SETTINGS ACKs and automatic RST_STREAMs
/// count too.
#[test]
fn settings_and_reset_floods_count_towards_the_limit() {
    let ff = FrameFactory::new();
    let mut s = server_with_control_limit(3);
    let flood: Vec<u8> = (0..4).flat_map(|_| ff.settings(&[])).collect();
    let err = recv_err(&mut s, &flood);
    assert_eq!(err.type_name(), "DenialOfServiceError");
    expect_goaway(&mut s, ErrorCode::ENHANCE_YOUR_CALM);

    let mut ff = FrameFactory::new();
    let mut s = server_with_control_limit(3);
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    s.clear_outbound_data_buffer();
    let flood: Vec<u8> = (0..4).flat_map(|_| ff.data(1, b"", false)).collect();
    let err = recv_err(&mut s, &flood);
    assert_eq!(err.type_name(), "DenialOfServiceError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::ENHANCE_YOUR_CALM), 1);
}
