//! Priorities: RFC 7540 PRIORITY frames and HEADERS priority fields, received and sent
//! (h2-behaviour §9 "Priority"; §11.1 scenarios 129–132), and RFC 9218 PRIORITY_UPDATE
//! (docs/differences.md #18, #19).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::connection::{ConnectionState, StreamState};
use h2wasm::events::*;
use h2wasm::frame::{self, kind, Frame, PrioritySpec};
use h2wasm::{ErrorCode, H2Configuration, PriorityArgs};
use support::*;

fn prio(stream_id: u32, weight: u16, depends_on: u32, exclusive: bool) -> PriorityUpdated {
    PriorityUpdated { stream_id, weight, depends_on, exclusive }
}

fn args(weight: Option<u32>, depends_on: Option<u32>, exclusive: Option<bool>) -> PriorityArgs {
    PriorityArgs { weight, depends_on, exclusive }
}

fn spec(dependency: u32, weight: u16, exclusive: bool) -> PrioritySpec {
    PrioritySpec { dependency, exclusive, weight }
}

// ---- receiving RFC 7540 priorities ------------------------------------------------------

// §11.1 #129
#[test]
fn a_priority_frame_gives_priority_updated_with_the_wire_weight_plus_one() {
    let ff = FrameFactory::new();
    let mut s = server();
    // Wire weight octets 0 and 255, exclusive bit set on the second.
    let events = recv_ok(&mut s, &ff.raw(kind::PRIORITY, 0, 1, &[0, 0, 0, 0, 0]));
    assert_eq!(events, [Event::PriorityUpdated(prio(1, 1, 0, false))]);
    let events = recv_ok(&mut s, &ff.raw(kind::PRIORITY, 0, 3, &[0x80, 0, 0, 7, 255]));
    assert_eq!(events, [Event::PriorityUpdated(prio(3, 256, 7, true))]);
    assert!(s.data_to_send(None).is_empty());
}

// §11.1 #129
#[test]
fn priority_on_an_idle_stream_creates_no_stream() {
    let ff = FrameFactory::new();
    let mut s = server();
    let events = recv_ok(&mut s, &ff.priority(9, 3, 100, false));
    assert_eq!(events, [Event::PriorityUpdated(prio(9, 100, 3, false))]);
    assert_eq!(s.stream_state(9), None);
    assert_eq!(s.highest_inbound_stream_id(), 0);
    assert_eq!(s.state(), ConnectionState::Idle, "PRIORITY keeps the connection idle");
    // A lower stream id can still be opened.
    let mut ff = ff;
    assert_eq!(names(&recv_ok(&mut s, &ff.headers(1, REQUEST).bytes())), ["RequestReceived"]);
}

// §11.1 #129
#[test]
fn priority_on_closed_streams_is_reported() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    let events = recv_ok(&mut s, &ff.priority(1, 0, 16, false));
    assert_eq!(events, [Event::PriorityUpdated(prio(1, 16, 0, false))]);
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    assert_eq!(s.stream_state(1), None);
    let events = recv_ok(&mut s, &ff.priority(1, 3, 20, true));
    assert_eq!(events, [Event::PriorityUpdated(prio(1, 20, 3, true))]);
    assert!(s.data_to_send(None).is_empty());
}

// §11.1 #130
#[test]
fn headers_with_priority_and_end_stream_bundle_three_events() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    let events =
        recv_ok(&mut s, &ff.headers(1, REQUEST).priority(0, 42, true).end_stream().bytes());
    let p = prio(1, 42, 0, true);
    let e = StreamEnded { stream_id: 1 };
    assert_eq!(
        events,
        [
            Event::RequestReceived(RequestReceived {
                stream_id: 1,
                headers: hdrs(REQUEST),
                stream_ended: Some(e),
                priority_updated: Some(p),
            }),
            Event::StreamEnded(e),
            Event::PriorityUpdated(p),
        ]
    );
}

// §11.1 #130
#[test]
fn headers_with_priority_without_end_stream_bundle_two_events() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    let events = recv_ok(&mut s, &ff.headers(3, REQUEST).priority(1, 256, false).bytes());
    let p = prio(3, 256, 1, false);
    assert_eq!(
        events,
        [
            Event::RequestReceived(RequestReceived {
                stream_id: 3,
                headers: hdrs(REQUEST),
                stream_ended: None,
                priority_updated: Some(p),
            }),
            Event::PriorityUpdated(p),
        ]
    );
}

// §11.1 #130
#[test]
fn responses_and_trailers_with_priority_carry_priority_updated() {
    let mut ff = FrameFactory::new();
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    let events = recv_ok(&mut c, &ff.headers(1, RESPONSE).priority(0, 1, true).bytes());
    let p = prio(1, 1, 0, true);
    assert_eq!(
        events,
        [
            Event::ResponseReceived(ResponseReceived {
                stream_id: 1,
                headers: hdrs(RESPONSE),
                stream_ended: None,
                priority_updated: Some(p),
            }),
            Event::PriorityUpdated(p),
        ]
    );
    let trailers = [("x-checksum", "abc")];
    let events =
        recv_ok(&mut c, &ff.headers(1, &trailers).priority(0, 7, false).end_stream().bytes());
    let p = prio(1, 7, 0, false);
    let e = StreamEnded { stream_id: 1 };
    assert_eq!(
        events,
        [
            Event::TrailersReceived(TrailersReceived {
                stream_id: 1,
                headers: hdrs(&trailers),
                stream_ended: Some(e),
                priority_updated: Some(p),
            }),
            Event::StreamEnded(e),
            Event::PriorityUpdated(p),
        ]
    );
}

// §11.1 #131
#[test]
fn a_priority_frame_depending_on_its_own_stream_is_a_protocol_error() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let err = recv_err(&mut s, &ff.priority(3, 3, 10, false));
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);
}

// §11.1 #131
#[test]
fn headers_depending_on_their_own_stream_is_a_protocol_error() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let (err, events) = recv(&mut s, &ff.headers(3, REQUEST).priority(3, 10, false).bytes())
        .expect_err("self-dependency");
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert!(events.is_empty(), "no RequestReceived for the failing block");
    // The stream was opened before the priority fields were judged.
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 3);
}

// ---- sending RFC 7540 priorities ----------------------------------------------------------

fn priority_frame(f: &Frame) -> (u32, PrioritySpec) {
    match f {
        Frame::Priority(p) => (p.stream_id, p.spec),
        other => panic!("expected PRIORITY, got {other:?}"),
    }
}

// §11.1 #132
#[test]
fn prioritize_defaults_to_weight_16_on_stream_0_not_exclusive() {
    let mut c = client();
    c.prioritize(1, no_priority()).unwrap();
    let out = c.data_to_send(None);
    // The wire weight is 15.
    assert_eq!(&out[..], &[0, 0, 5, kind::PRIORITY, 0, 0, 0, 0, 1, 0, 0, 0, 0, 15]);
    c.prioritize(5, args(Some(256), Some(3), Some(true))).unwrap();
    c.prioritize(7, args(Some(1), None, None)).unwrap();
    let frames = sent(&mut c);
    assert_eq!(priority_frame(&frames[0]), (5, spec(3, 256, true)));
    assert_eq!(priority_frame(&frames[1]), (7, spec(0, 1, false)));
    // Streams need not exist, and the connection stays idle.
    assert_eq!(c.stream_state(5), None);
    assert_eq!(c.state(), ConnectionState::Idle);
}

// §11.1 #132
#[test]
fn prioritize_checks_the_weight_range_and_self_dependency() {
    let mut c = client();
    for bad in [args(Some(0), None, None), args(Some(257), None, None), args(None, Some(1), None)] {
        let err = c.prioritize(1, bad).unwrap_err();
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR)),
            "{bad:?}"
        );
    }
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.state(), ConnectionState::Idle, "the connection is still usable");
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
}

/// Documented difference (docs/differences.md #5): h2 lets a hyperframe exception escape.
// §11.1 #132
#[test]
fn prioritize_on_stream_0_is_a_protocol_error() {
    let mut c = client();
    assert_eq!(c.prioritize(0, no_priority()).unwrap_err().type_name(), "ProtocolError");
    assert!(c.data_to_send(None).is_empty());
}

// §11.1 #132
#[test]
fn servers_may_not_prioritize() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let err = s.prioritize(1, no_priority()).unwrap_err();
    assert_eq!((err.type_name(), err.error_code()), ("RFC1122Error", None));
    assert!(s.data_to_send(None).is_empty());
}

/// A server passing priority arguments to send_headers gets RFC1122Error before the block
/// is encoded (docs/differences.md #7); the stream transition before it happens as in h2.
// §11.1 #132
#[test]
fn servers_may_not_send_headers_with_priority() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let err = s.send_headers(1, hdrs(RESPONSE), false, args(None, None, Some(false))).unwrap_err();
    assert_eq!((err.type_name(), err.error_code()), ("RFC1122Error", None));
    assert!(s.data_to_send(None).is_empty());
}

// §11.1 #132
#[test]
fn client_send_headers_with_priority_sets_the_priority_flag_and_fields() {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, args(None, None, Some(true))).unwrap();
    c.send_headers(3, hdrs(REQUEST), false, args(Some(200), Some(1), None)).unwrap();
    let frames = sent(&mut c);
    let specs: Vec<_> = frames
        .iter()
        .map(|f| match f {
            Frame::Headers(h) => (h.stream_id, h.end_stream, h.priority),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(specs, [(1, true, Some(spec(0, 16, true))), (3, false, Some(spec(1, 200, false)))]);
}

/// The priority arguments are checked before encoding (docs/differences.md #7); as in h2,
/// the stream has already opened.
// §11.1 #132
#[test]
fn client_send_headers_with_bad_priority_is_a_protocol_error() {
    let mut c = client();
    let err = c.send_headers(1, hdrs(REQUEST), true, args(Some(0), None, None)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    let err = c.send_headers(3, hdrs(REQUEST), true, args(None, Some(3), None)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.stream_state(1), Some(StreamState::Open));
    assert_eq!(c.get_next_available_stream_id().unwrap(), 5);
}

// ---- RFC 9218 PRIORITY_UPDATE ---------------------------------------------------------------

fn priority_update(ff: &FrameFactory, id: u32, value: &[u8]) -> Vec<u8> {
    let mut payload = id.to_be_bytes().to_vec();
    payload.extend_from_slice(value);
    ff.raw(kind::PRIORITY_UPDATE, 0, 0, &payload)
}

fn update_event(id: u32, urgency: u8, incremental: bool, value: &'static [u8]) -> Event {
    Event::PriorityUpdateReceived(PriorityUpdateReceived {
        prioritized_stream_id: id,
        urgency,
        incremental,
        field_value: Bytes::from_static(value),
    })
}

/// Documented extension (docs/differences.md #18): h2 reports these as unknown frames.
#[test]
fn a_server_parses_priority_update_on_stream_0() {
    let ff = FrameFactory::new();
    let mut s = server();
    let cases: [(&[u8], u8, bool); 7] = [
        (b"u=1, i", 1, true),
        (b"", 3, false),
        (b"i", 3, true),
        (b"u=0,i=?0", 0, false),
        (b"i=?1, u=7", 7, true),
        // Out-of-range or malformed members are ignored.
        (b"u=9, x=1", 3, false),
        (b"u=12", 3, false),
    ];
    for (value, urgency, incremental) in cases {
        let events = recv_ok(&mut s, &priority_update(&ff, 5, value));
        let expected = Event::PriorityUpdateReceived(PriorityUpdateReceived {
            prioritized_stream_id: 5,
            urgency,
            incremental,
            field_value: Bytes::copy_from_slice(value),
        });
        assert_eq!(events, [expected], "{:?}", String::from_utf8_lossy(value));
    }
    assert_eq!(s.stream_state(5), None, "no stream created");
    assert!(s.data_to_send(None).is_empty());
    // The reserved bit of the prioritized stream id is masked.
    let events = recv_ok(&mut s, &priority_update(&ff, 0x8000_0003, b"u=2"));
    assert_eq!(events, [update_event(3, 2, false, b"u=2")]);
}

/// Documented extension (docs/differences.md #18).
#[test]
fn a_client_sends_priority_update_on_stream_0() {
    let mut c = client();
    c.send_priority_update(1, Bytes::from_static(b"u=0, i")).unwrap();
    assert_eq!(
        sent(&mut c),
        [Frame::PriorityUpdate(frame::PriorityUpdate {
            prioritized_stream_id: 1,
            field_value: Bytes::from_static(b"u=0, i"),
        })]
    );
    // It reaches a server as PriorityUpdateReceived.
    let mut p = Pair::new();
    p.client.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    p.client.send_priority_update(1, Bytes::from_static(b"u=5")).unwrap();
    p.run();
    let events = p.take_server_events();
    assert_eq!(events.last(), Some(&update_event(1, 5, false, b"u=5")));
}

/// Documented extension (docs/differences.md #18).
#[test]
fn send_priority_update_refuses_servers_stream_0_and_closed_connections() {
    let mut s = server();
    let err = s.send_priority_update(1, Bytes::from_static(b"u=1")).unwrap_err();
    assert_eq!((err.type_name(), err.error_code()), ("RFC1122Error", None));
    let mut c = client();
    assert_eq!(
        c.send_priority_update(0, Bytes::from_static(b"u=1")).unwrap_err().type_name(),
        "ProtocolError"
    );
    let err = c.send_priority_update(1, Bytes::from(vec![b'a'; 16_381])).unwrap_err();
    assert_eq!(err.type_name(), "FrameTooLargeError", "4 + 16,381 octets is over 16,384");
    c.send_priority_update(1, Bytes::from(vec![b'a'; 16_380])).unwrap();
    c.clear_outbound_data_buffer();
    c.close_connection(ErrorCode::NO_ERROR, None, None).unwrap();
    c.clear_outbound_data_buffer();
    let err = c.send_priority_update(1, Bytes::from_static(b"u=1")).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert!(c.data_to_send(None).is_empty());
}

fn strict(client_side: bool) -> H2Configuration {
    H2Configuration { client_side, strict_rfc: true, ..H2Configuration::default() }
}

/// Documented difference (docs/differences.md #19): with `strict_rfc` a PRIORITY_UPDATE
/// reaching a client, or a malformed one, is a connection error.
#[test]
fn with_strict_rfc_bad_priority_updates_are_protocol_errors() {
    let ff = FrameFactory::new();
    let mut c = client_with(strict(true));
    let err = recv_err(&mut c, &priority_update(&ff, 1, b"u=1"));
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    expect_goaway(&mut c, ErrorCode::PROTOCOL_ERROR);

    let bad: [(&str, Vec<u8>, &str, ErrorCode); 3] = [
        (
            "prioritized id 0",
            priority_update(&ff, 0, b"u=1"),
            "ProtocolError",
            ErrorCode::PROTOCOL_ERROR,
        ),
        (
            "on a stream",
            ff.raw(kind::PRIORITY_UPDATE, 0, 1, &[0, 0, 0, 1]),
            "ProtocolError",
            ErrorCode::PROTOCOL_ERROR,
        ),
        // Too short for its mandatory field: FRAME_SIZE_ERROR (RFC 9113 §4.2).
        (
            "too short",
            ff.raw(kind::PRIORITY_UPDATE, 0, 0, &[0, 0, 1]),
            "FrameDataMissingError",
            ErrorCode::FRAME_SIZE_ERROR,
        ),
    ];
    for (name, input, type_name, code) in bad {
        let mut s = server_with(strict(false));
        let err = recv_err(&mut s, &input);
        assert_eq!((err.type_name(), err.error_code()), (type_name, Some(code)), "{name}");
        expect_goaway(&mut s, code);
    }
    // A well-formed one still reaches a strict server.
    let mut s = server_with(strict(false));
    assert_eq!(recv_ok(&mut s, &priority_update(&ff, 1, b"i")), [update_event(1, 3, true, b"i")]);
}
