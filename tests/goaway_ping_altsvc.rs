//! ALTSVC (RFC 7838), GOAWAY, PING, ORIGIN (RFC 8336) and arbitrary extension frames
//! (h2-behaviour §9; §11.1 scenarios 133–137; docs/differences.md #18).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::connection::{ConnectionState, StreamState};
use h2wasm::events::*;
use h2wasm::frame::{self, kind, Frame};
use h2wasm::{ErrorCode, H2Connection};
use support::*;

fn alt(origin: Option<&'static [u8]>, field_value: &'static [u8]) -> Event {
    Event::AlternativeServiceAvailable(AlternativeServiceAvailable {
        origin: origin.map(Bytes::from_static),
        field_value: Bytes::from_static(field_value),
    })
}

/// A client that sent a request on stream 1 (END_STREAM), output drained.
fn client_with_request(headers: &[(&str, &str)]) -> H2Connection {
    let mut c = client();
    c.send_headers(1, hdrs(headers), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c
}

// ---- ALTSVC, client side ----------------------------------------------------------------

// §11.1 #133
#[test]
fn client_reports_altsvc_on_stream_0_with_an_origin() {
    let ff = FrameFactory::new();
    let mut c = client();
    let events = recv_ok(&mut c, &ff.altsvc(0, b"https://a.example", b"h2=\":443\""));
    assert_eq!(events, [alt(Some(b"https://a.example"), b"h2=\":443\"")]);
    assert_eq!(c.state(), ConnectionState::ClientOpen, "ALTSVC opens an idle connection");
    assert!(c.data_to_send(None).is_empty());
}

// §11.1 #133
#[test]
fn client_ignores_altsvc_on_stream_0_without_an_origin() {
    let ff = FrameFactory::new();
    let mut c = client();
    assert!(recv_ok(&mut c, &ff.altsvc(0, b"", b"h2=\":443\"")).is_empty());
    assert!(c.data_to_send(None).is_empty());
}

// §11.1 #133
#[test]
fn client_reports_altsvc_on_an_open_stream_with_its_authority() {
    let ff = FrameFactory::new();
    let mut c = client_with_request(REQUEST);
    let events = recv_ok(&mut c, &ff.altsvc(1, b"", b"h2=\"alt:443\""));
    assert_eq!(events, [alt(Some(b"example.com"), b"h2=\"alt:443\"")]);

    // A request without :authority gives no origin.
    let mut c = client_with_request(&[
        (":method", "GET"),
        (":path", "/"),
        (":scheme", "https"),
        ("host", "h.example"),
    ]);
    assert_eq!(recv_ok(&mut c, &ff.altsvc(1, b"", b"x")), [alt(None, b"x")]);
}

// §11.1 #133
#[test]
fn client_reports_altsvc_on_a_pushed_stream_with_the_promised_authority() {
    let mut ff = FrameFactory::new();
    let mut c = client_with_request(REQUEST);
    let promised =
        [(":method", "GET"), (":path", "/p"), (":scheme", "https"), (":authority", "push.example")];
    recv_ok(&mut c, &ff.push_promise(1, 2, &promised));
    assert_eq!(c.stream_state(2), Some(StreamState::ReservedRemote));
    assert_eq!(recv_ok(&mut c, &ff.altsvc(2, b"", b"x")), [alt(Some(b"push.example"), b"x")]);
}

// §11.1 #133
#[test]
fn client_ignores_altsvc_after_the_response_or_on_other_streams() {
    let mut ff = FrameFactory::new();
    let mut c = client_with_request(REQUEST);
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    // An origin on a non-zero stream.
    assert!(recv_ok(&mut c, &ff.altsvc(1, b"https://o.example", b"x")).is_empty());
    // After the response headers.
    recv_ok(&mut c, &ff.headers(1, RESPONSE).bytes());
    assert!(recv_ok(&mut c, &ff.altsvc(1, b"", b"x")).is_empty());
    // On a closed stream, live or forgotten.
    recv_ok(&mut c, &ff.headers(3, RESPONSE).end_stream().bytes());
    assert_eq!(c.stream_state(3), Some(StreamState::Closed));
    assert!(recv_ok(&mut c, &ff.altsvc(3, b"", b"x")).is_empty());
    c.send_headers(5, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.stream_state(3), None);
    assert!(recv_ok(&mut c, &ff.altsvc(3, b"", b"x")).is_empty());
    // On a stream that never existed.
    assert!(recv_ok(&mut c, &ff.altsvc(7, b"", b"x")).is_empty());
    c.clear_outbound_data_buffer();
    assert!(c.data_to_send(None).is_empty());
}

// ---- ALTSVC, server side -------------------------------------------------------------------

// §11.1 #134
#[test]
fn server_ignores_received_altsvc() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let mut input = ff.altsvc(0, b"https://o.example", b"x");
    input.extend(ff.altsvc(1, b"", b"y"));
    assert!(recv_ok(&mut s, &input).is_empty());
    assert!(s.data_to_send(None).is_empty());
}

// §11.1 #134
#[test]
fn server_advertises_an_explicit_origin_on_stream_0() {
    let mut s = server();
    s.advertise_alternative_service(
        Bytes::from_static(b"h2=\":8443\""),
        Some(Bytes::from_static(b"https://o.example")),
        None,
    )
    .unwrap();
    assert_eq!(s.state(), ConnectionState::ServerOpen);
    assert_eq!(
        sent(&mut s),
        [Frame::AltSvc(frame::AltSvc {
            stream_id: 0,
            origin: Bytes::from_static(b"https://o.example"),
            field_value: Bytes::from_static(b"h2=\":8443\""),
        })]
    );
}

// §11.1 #134
#[test]
fn server_advertises_implicitly_on_a_stream_until_it_responds() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    recv_ok(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    s.advertise_alternative_service(Bytes::from_static(b"h2=\":8443\""), None, Some(1)).unwrap();
    assert_eq!(
        sent(&mut s),
        [Frame::AltSvc(frame::AltSvc {
            stream_id: 1,
            origin: Bytes::new(),
            field_value: Bytes::from_static(b"h2=\":8443\""),
        })]
    );
    s.send_headers(1, hdrs(RESPONSE), false, no_priority()).unwrap();
    s.clear_outbound_data_buffer();
    let err = s.advertise_alternative_service(Bytes::from_static(b"x"), None, Some(1)).unwrap_err();
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert!(s.data_to_send(None).is_empty());
    // Local misuse of a stream closes that stream only.
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    s.send_headers(3, hdrs(RESPONSE), true, no_priority()).unwrap();
}

// §11.1 #134
#[test]
fn advertise_alternative_service_argument_errors() {
    let mut s = server();
    let err = s
        .advertise_alternative_service(
            Bytes::from_static(b"x"),
            Some(Bytes::from_static(b"https://o.example")),
            Some(1),
        )
        .unwrap_err();
    assert_eq!((err.type_name(), err.error_code()), ("InvalidInputError", None));
    // Neither an origin nor a stream.
    let err = s.advertise_alternative_service(Bytes::from_static(b"x"), None, None).unwrap_err();
    assert_eq!(err.type_name(), "NoSuchStreamError");
    // An unknown stream.
    let err = s.advertise_alternative_service(Bytes::from_static(b"x"), None, Some(1)).unwrap_err();
    assert_eq!(err.type_name(), "NoSuchStreamError");
    assert!(s.data_to_send(None).is_empty());
}

#[test]
fn a_client_advertising_altsvc_closes_its_connection() {
    let mut c = client_with_request(REQUEST);
    let err = c
        .advertise_alternative_service(
            Bytes::from_static(b"x"),
            Some(Bytes::from_static(b"https://o.example")),
            None,
        )
        .unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(c.state(), ConnectionState::Closed);
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.ping(b"12345678").unwrap_err().type_name(), "ProtocolError");
}

// ---- GOAWAY received ------------------------------------------------------------------------

// §11.1 #135
#[test]
fn goaway_gives_connection_terminated_and_clears_the_output() {
    let ff = FrameFactory::new();
    let mut c = client_with_request(REQUEST);
    c.ping(b"queued!!").unwrap();
    let events = recv_ok(&mut c, &ff.goaway(1, ErrorCode::ENHANCE_YOUR_CALM, b"calm down"));
    assert_eq!(
        events,
        [Event::ConnectionTerminated(ConnectionTerminated {
            error_code: ErrorCode::ENHANCE_YOUR_CALM,
            last_stream_id: 1,
            additional_data: Some(Bytes::from_static(b"calm down")),
        })]
    );
    assert!(c.data_to_send(None).is_empty(), "the queued PING was discarded");
    assert_eq!(c.state(), ConnectionState::Closed);
    assert_eq!(c.stream_state(1), Some(StreamState::HalfClosedLocal), "streams untouched");
}

// §11.1 #135
#[test]
fn goaway_reports_unknown_codes_raw_and_empty_debug_data_as_none() {
    let ff = FrameFactory::new();
    let mut c = client_with_request(REQUEST);
    // Reserved bit of the last stream id set: masked (docs/differences.md #14).
    let mut payload = 0x8000_0003u32.to_be_bytes().to_vec();
    payload.extend(0xdeadu32.to_be_bytes());
    let events = recv_ok(&mut c, &ff.raw(kind::GOAWAY, 0, 0, &payload));
    assert_eq!(
        events,
        [Event::ConnectionTerminated(ConnectionTerminated {
            error_code: ErrorCode(0xdead),
            last_stream_id: 3,
            additional_data: None,
        })]
    );
    // A second GOAWAY gives a second event.
    let events = recv_ok(&mut c, &ff.goaway(1, ErrorCode::NO_ERROR, b""));
    assert_eq!(names(&events), ["ConnectionTerminated"]);
    assert!(c.data_to_send(None).is_empty());
}

// §11.1 #135
#[test]
fn frames_after_a_received_goaway_are_protocol_errors() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let mut input = ff.goaway(0, ErrorCode::NO_ERROR, b"");
    input.extend(ff.ping([0; 8]));
    let (err, events) = recv(&mut s, &input).unwrap_err();
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert_eq!(names(&events), ["ConnectionTerminated"]);
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);

    // Sending is refused too.
    let mut c = client_with_request(REQUEST);
    recv_ok(&mut c, &ff.goaway(0, ErrorCode::NO_ERROR, b""));
    let err = c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(c.ping(b"12345678").unwrap_err().type_name(), "ProtocolError");
    assert!(c.data_to_send(None).is_empty());
}

// ---- GOAWAY sent ------------------------------------------------------------------------------

fn goaway_of(f: &Frame) -> (u32, ErrorCode, &[u8]) {
    match f {
        Frame::GoAway(g) => (g.last_stream_id, g.error_code, &g.debug_data[..]),
        other => panic!("expected GOAWAY, got {other:?}"),
    }
}

// §11.1 #136
#[test]
fn close_connection_defaults_last_stream_id_to_the_highest_inbound_stream() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    recv_ok(&mut s, &ff.headers(5, REQUEST).bytes());
    s.close_connection(ErrorCode::NO_ERROR, None, None).unwrap();
    let frames = sent(&mut s);
    assert_eq!(frames.len(), 1);
    assert_eq!(goaway_of(&frames[0]), (5, ErrorCode::NO_ERROR, &b""[..]));
    assert_eq!(s.state(), ConnectionState::Closed);

    // A client that never received a stream says 0.
    let mut c = client_with_request(REQUEST);
    c.close_connection(ErrorCode::CANCEL, None, None).unwrap();
    assert_eq!(goaway_of(&sent(&mut c)[0]), (0, ErrorCode::CANCEL, &b""[..]));
}

// §11.1 #136
#[test]
fn close_connection_can_be_repeated_with_explicit_fields() {
    let mut s = server();
    s.close_connection(ErrorCode::NO_ERROR, None, Some(0x7fff_ffff)).unwrap();
    s.close_connection(ErrorCode(0x1234), Some(Bytes::from_static(b"bye")), Some(7)).unwrap();
    s.close_connection(ErrorCode::PROTOCOL_ERROR, None, None).unwrap();
    let frames = sent(&mut s);
    let got: Vec<_> = frames.iter().map(goaway_of).collect();
    assert_eq!(
        got,
        [
            (0x7fff_ffff, ErrorCode::NO_ERROR, &b""[..]),
            (7, ErrorCode(0x1234), &b"bye"[..]),
            (0, ErrorCode::PROTOCOL_ERROR, &b""[..]),
        ]
    );
}

// §11.1 #136
#[test]
fn after_close_connection_only_goaway_is_accepted() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.close_connection(ErrorCode::NO_ERROR, None, None).unwrap();
    s.clear_outbound_data_buffer();
    assert_eq!(
        s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap_err().type_name(),
        "ProtocolError"
    );
    assert!(s.data_to_send(None).is_empty());
    let events = recv_ok(&mut s, &ff.goaway(0, ErrorCode::NO_ERROR, b""));
    assert_eq!(names(&events), ["ConnectionTerminated"]);
    let err = recv_err(&mut s, &ff.data(1, b"x", false));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);
}

// ---- PING ------------------------------------------------------------------------------------

// §11.1 #137
#[test]
fn ping_is_reported_and_acknowledged_automatically() {
    let ff = FrameFactory::new();
    let mut c = client();
    let events = recv_ok(&mut c, &ff.ping(*b"abcdefgh"));
    assert_eq!(events, [Event::PingReceived(PingReceived { ping_data: *b"abcdefgh" })]);
    assert_eq!(sent(&mut c), [Frame::Ping(frame::Ping { ack: true, payload: *b"abcdefgh" })]);
    // Unknown flag bits do not make it an ACK.
    let events = recv_ok(&mut c, &ff.raw(kind::PING, 0xfe, 0, b"12345678"));
    assert_eq!(events, [Event::PingReceived(PingReceived { ping_data: *b"12345678" })]);
    assert_eq!(sent(&mut c), [Frame::Ping(frame::Ping { ack: true, payload: *b"12345678" })]);
}

// §11.1 #137
#[test]
fn ping_ack_is_reported_and_not_answered() {
    let ff = FrameFactory::new();
    let mut c = client();
    let events = recv_ok(&mut c, &ff.ping_ack(*b"abcdefgh"));
    assert_eq!(events, [Event::PingAckReceived(PingAckReceived { ping_data: *b"abcdefgh" })]);
    // No correlation with PINGs we sent is required.
    let events = recv_ok(&mut c, &ff.raw(kind::PING, 0xff, 0, b"unasked!"));
    assert_eq!(events, [Event::PingAckReceived(PingAckReceived { ping_data: *b"unasked!" })]);
    assert!(c.data_to_send(None).is_empty());
}

// §11.1 #137
#[test]
fn ping_needs_exactly_eight_octets() {
    let mut c = client();
    for bad in [&b""[..], b"1234567", b"123456789"] {
        let err = c.ping(bad).unwrap_err();
        assert_eq!((err.type_name(), err.error_code()), ("InvalidInputError", None));
    }
    assert!(c.data_to_send(None).is_empty());
    c.ping(b"12345678").unwrap();
    assert_eq!(sent(&mut c), [Frame::Ping(frame::Ping { ack: false, payload: *b"12345678" })]);
    assert_eq!(c.state(), ConnectionState::Idle);
}

#[test]
fn a_ping_round_trip_over_a_pair() {
    let mut p = Pair::new();
    p.client.ping(b"roundtrp").unwrap();
    p.run();
    assert_eq!(
        p.take_server_events(),
        [Event::PingReceived(PingReceived { ping_data: *b"roundtrp" })]
    );
    assert_eq!(
        p.take_client_events(),
        [Event::PingAckReceived(PingAckReceived { ping_data: *b"roundtrp" })]
    );
}

// ---- ORIGIN (RFC 8336) -----------------------------------------------------------------------

/// Documented extension (docs/differences.md #18): h2 reports ORIGIN as an unknown frame.
#[test]
fn a_client_reports_origin_frames_on_stream_0() {
    let ff = FrameFactory::new();
    let mut c = client();
    let payload = [0, 9, b'a', b'.', b'e', b'x', b'a', b'm', b'p', b'l', b'e', 0, 1, b'b'];
    let events = recv_ok(&mut c, &ff.raw(kind::ORIGIN, 0, 0, &payload));
    assert_eq!(
        events,
        [Event::OriginReceived(OriginReceived {
            origins: vec![Bytes::from_static(b"a.example"), Bytes::from_static(b"b")],
        })]
    );
    let events = recv_ok(&mut c, &ff.raw(kind::ORIGIN, 0, 0, b""));
    assert_eq!(events, [Event::OriginReceived(OriginReceived { origins: vec![] })]);
    assert!(c.data_to_send(None).is_empty());
}

/// Documented extension (docs/differences.md #18).
#[test]
fn a_server_sends_origin_and_a_client_may_not() {
    let mut s = server();
    let origins = [Bytes::from_static(b"https://a.example"), Bytes::from_static(b"https://b")];
    s.send_origin(&origins).unwrap();
    let frames = sent(&mut s);
    let [Frame::Origin(o)] = &frames[..] else { panic!("{frames:?}") };
    assert_eq!(o.stream_id, 0);
    assert_eq!(o.entries(), Some(origins.to_vec()));

    let mut c = client();
    assert_eq!(c.send_origin(&origins).unwrap_err().type_name(), "ProtocolError");
    assert!(c.data_to_send(None).is_empty());

    s.close_connection(ErrorCode::NO_ERROR, None, None).unwrap();
    s.clear_outbound_data_buffer();
    assert_eq!(s.send_origin(&origins).unwrap_err().type_name(), "ProtocolError");
    assert!(s.data_to_send(None).is_empty());
}

#[test]
fn origin_travels_from_server_to_client_over_a_pair() {
    let mut p = Pair::new();
    p.server.send_origin(&[Bytes::from_static(b"https://a.example")]).unwrap();
    p.run();
    assert_eq!(
        p.take_client_events(),
        [Event::OriginReceived(OriginReceived {
            origins: vec![Bytes::from_static(b"https://a.example")]
        })]
    );
}

// ---- send_extension_frame -----------------------------------------------------------------

/// Documented extension (docs/differences.md #18).
#[test]
fn send_extension_frame_writes_the_frame_verbatim() {
    let mut c = client();
    c.send_extension_frame(0xfa, 0x12, 3, Bytes::from_static(b"payload")).unwrap();
    c.send_extension_frame(kind::ALTSVC + 1, 0, 0, Bytes::new()).unwrap();
    let frames = sent(&mut c);
    assert_eq!(
        frames,
        [
            Frame::Unknown(frame::Unknown {
                kind: 0xfa,
                flags: 0x12,
                stream_id: 3,
                payload: Bytes::from_static(b"payload"),
            }),
            Frame::Unknown(frame::Unknown {
                kind: 0xb,
                flags: 0,
                stream_id: 0,
                payload: Bytes::new()
            }),
        ]
    );
    assert_eq!(c.state(), ConnectionState::Idle, "no state change");
    assert_eq!(c.stream_state(3), None);

    // The peer sees it as an unknown frame.
    let mut p = Pair::new();
    p.client.send_extension_frame(0xfa, 0x12, 3, Bytes::from_static(b"payload")).unwrap();
    p.run();
    let events = p.take_server_events();
    let [Event::UnknownFrameReceived(u)] = &events[..] else { panic!("{events:?}") };
    assert_eq!((u.frame.kind, u.frame.flags, u.frame.stream_id), (0xfa, 0x12, 3));
}

/// Documented extension (docs/differences.md #18).
#[test]
fn send_extension_frame_refuses_core_types_bad_ids_oversize_and_closed_connections() {
    let mut c = client();
    for core in 0..=kind::CONTINUATION {
        let err = c.send_extension_frame(core, 0, 1, Bytes::new()).unwrap_err();
        assert_eq!((err.type_name(), err.error_code()), ("InvalidInputError", None), "type {core}");
    }
    let err = c.send_extension_frame(0xfa, 0, 1 << 31, Bytes::new()).unwrap_err();
    assert_eq!(err.type_name(), "InvalidInputError");
    let err = c.send_extension_frame(0xfa, 0, 0, Bytes::from(vec![0; 16_385])).unwrap_err();
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("FrameTooLargeError", Some(ErrorCode::FRAME_SIZE_ERROR))
    );
    assert!(c.data_to_send(None).is_empty());
    c.send_extension_frame(0xfa, 0, 0, Bytes::from(vec![0; 16_384])).unwrap();
    c.close_connection(ErrorCode::NO_ERROR, None, None).unwrap();
    c.clear_outbound_data_buffer();
    let err = c.send_extension_frame(0xfa, 0, 0, Bytes::new()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert!(c.data_to_send(None).is_empty());
}
