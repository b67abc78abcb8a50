//! Streams through the connection API: the stream state machine, stream ids, concurrency,
//! resets, and misuse of either machine (h2-behaviour §6; §11.1 scenarios 29–50).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::connection::{ConnectionState, StreamState};
use h2wasm::events::*;
use h2wasm::frame::{self, Frame};
use h2wasm::{ErrorCode, ErrorKind, H2Configuration, H2Connection, H2Error, HeaderField, Limits};
use support::*;

const MAX_ID: u32 = (1 << 31) - 1;

fn assert_error(err: &H2Error, type_name: &str, code: ErrorCode) {
    assert_eq!(err.type_name(), type_name, "{err:?}");
    assert_eq!(err.error_code(), Some(code), "{err:?}");
}

fn rst(stream_id: u32, error_code: ErrorCode) -> Frame {
    Frame::RstStream(frame::RstStream { stream_id, error_code })
}

fn reset_event(stream_id: u32, error_code: ErrorCode, remote_reset: bool) -> Event {
    Event::StreamReset(StreamReset { stream_id, error_code, remote_reset })
}

/// A client with stream 1 open (request sent without END_STREAM).
fn client_with_stream() -> H2Connection {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), false, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c
}

/// A server that received a request on stream 1 (`end` = with END_STREAM).
fn server_with_request(ff: &mut FrameFactory, end: bool) -> H2Connection {
    let mut s = server();
    let h = ff.headers(1, REQUEST);
    recv_ok(&mut s, &if end { h.end_stream() } else { h }.bytes());
    s
}

fn server_with_limit(max_concurrent_streams: u32) -> H2Connection {
    let limits = Limits { max_concurrent_streams, ..Limits::default() };
    server_with(H2Configuration { limits, ..H2Configuration::server() })
}

// ---- request and response ----------------------------------------------------------------

#[test]
fn client_request_with_end_stream_half_closes_and_response_with_end_stream_closes() {
    // §11.1 #29
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    assert!(matches!(&sent(&mut c)[..], [Frame::Headers(h)] if h.stream_id == 1 && h.end_stream));
    assert_eq!(c.stream_state(1), Some(StreamState::HalfClosedLocal));

    let mut ff = FrameFactory::new();
    let events = recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    let ended = StreamEnded { stream_id: 1 };
    assert_eq!(
        events,
        vec![
            Event::ResponseReceived(ResponseReceived {
                stream_id: 1,
                headers: hdrs(RESPONSE),
                stream_ended: Some(ended),
                priority_updated: None,
            }),
            Event::StreamEnded(ended),
        ]
    );
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
}

#[test]
fn server_request_with_end_stream_gives_request_received_and_stream_ended() {
    // §11.1 #30
    let mut ff = FrameFactory::new();
    let mut s = server();
    let events = recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    let ended = StreamEnded { stream_id: 1 };
    assert_eq!(
        events,
        vec![
            Event::RequestReceived(RequestReceived {
                stream_id: 1,
                headers: hdrs(REQUEST),
                stream_ended: Some(ended),
                priority_updated: None,
            }),
            Event::StreamEnded(ended),
        ]
    );
    assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote));
    assert!(sent(&mut s).is_empty());
}

// ---- stream ids ----------------------------------------------------------------------------

#[test]
fn opening_a_stream_below_the_highest_used_id_is_stream_id_too_low() {
    // §11.1 #31
    let mut c = client();
    c.send_headers(5, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let err = c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_error(&err, "StreamIDTooLowError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(err.kind(), &ErrorKind::StreamIdTooLow { stream_id: 3, max_stream_id: 5 });
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.stream_state(3), None);

    // A promised id is checked the same way.
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    s.push_stream(1, 4, hdrs(REQUEST)).unwrap();
    let err = s.push_stream(1, 2, hdrs(REQUEST)).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::StreamIdTooLow { stream_id: 2, max_stream_id: 4 });
}

#[test]
fn client_opening_an_even_stream_is_a_protocol_error() {
    // §11.1 #32
    let mut c = client();
    let err = c.send_headers(2, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.stream_state(2), None);
}

#[test]
fn server_answering_on_a_new_odd_stream_is_a_protocol_error() {
    // §11.1 #32
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, true);
    s.clear_outbound_data_buffer();
    let err = s.send_headers(3, hdrs(RESPONSE), true, no_priority()).unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert!(s.data_to_send(None).is_empty());
    assert_eq!(s.stream_state(3), None);
}

#[test]
fn next_available_stream_id_counts_up_by_two_from_the_role_start() {
    // §11.1 #33
    let mut c = client();
    assert_eq!(c.get_next_available_stream_id().unwrap(), 1);
    assert_eq!(c.get_next_available_stream_id().unwrap(), 1, "not reserved until used");
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.get_next_available_stream_id().unwrap(), 3);
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.get_next_available_stream_id().unwrap(), 5);
    c.send_headers(9, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.get_next_available_stream_id().unwrap(), 11);

    let mut ff = FrameFactory::new();
    let mut s = server();
    assert_eq!(s.get_next_available_stream_id().unwrap(), 2);
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    assert_eq!(s.get_next_available_stream_id().unwrap(), 2, "inbound ids do not count");
    s.push_stream(1, 2, hdrs(REQUEST)).unwrap();
    assert_eq!(s.get_next_available_stream_id().unwrap(), 4);
    s.push_stream(1, 4, hdrs(REQUEST)).unwrap();
    assert_eq!(s.get_next_available_stream_id().unwrap(), 6);
}

#[test]
fn next_available_stream_id_is_exhausted_after_2_31_minus_1() {
    // §11.1 #33: reach the end by using the last id directly.
    let mut c = client();
    c.send_headers(MAX_ID, hdrs(REQUEST), true, no_priority()).unwrap();
    let err = c.get_next_available_stream_id().unwrap_err();
    assert_error(&err, "NoAvailableStreamIDError", ErrorCode::PROTOCOL_ERROR);

    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    s.push_stream(1, MAX_ID - 1, hdrs(REQUEST)).unwrap();
    let err = s.get_next_available_stream_id().unwrap_err();
    assert_eq!(err.type_name(), "NoAvailableStreamIDError");
}

/// Documented difference #13: h2 masks the id on the wire; h2wasm refuses it.
#[test]
fn outbound_stream_id_above_2_31_minus_1_is_refused() {
    let mut c = client();
    let err = c.send_headers(MAX_ID + 2, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.state(), ConnectionState::Idle, "refused before the connection machine");
    assert_eq!(c.get_next_available_stream_id().unwrap(), 1);

    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    let err = s.push_stream(1, MAX_ID + 1, hdrs(REQUEST)).unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert!(s.data_to_send(None).is_empty());
}

#[test]
fn stream_id_2_31_minus_1_works_end_to_end() {
    let mut p = Pair::new();
    p.client.send_headers(MAX_ID, hdrs(REQUEST), true, no_priority()).unwrap();
    p.run();
    let ev = p.take_server_events();
    assert_eq!(names(&ev), ["RequestReceived", "StreamEnded"]);
    assert_eq!(ev[0].stream_id(), Some(MAX_ID));
    p.server.send_headers(MAX_ID, hdrs(RESPONSE), false, no_priority()).unwrap();
    p.server.send_data(MAX_ID, Bytes::from_static(b"end"), true, None).unwrap();
    p.run();
    let ev = p.take_client_events();
    assert_eq!(names(&ev), ["ResponseReceived", "DataReceived", "StreamEnded"]);
    assert!(ev.iter().all(|e| e.stream_id() == Some(MAX_ID)));
    assert_eq!(p.client.stream_state(MAX_ID), Some(StreamState::Closed));
    assert_eq!(p.server.stream_state(MAX_ID), Some(StreamState::Closed));
}

#[test]
fn jump_to_the_highest_inbound_id_closes_every_lower_idle_id() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(MAX_ID, REQUEST).end_stream().bytes());
    // No per-id work: one live stream, not 2^30.
    assert!(format!("{s:?}").contains("live_streams: 1"), "{s:?}");
    assert_eq!(s.open_inbound_streams(), 1);
    assert_eq!(s.highest_inbound_stream_id(), MAX_ID);
    s.send_headers(MAX_ID, hdrs(RESPONSE), true, no_priority()).unwrap();
    s.clear_outbound_data_buffer();

    // DATA on a skipped id is a stream error, like DATA on any closed stream.
    let events = recv_ok(&mut s, &ff.data(3, b"x", false));
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(sent(&mut s), vec![rst(3, ErrorCode::STREAM_CLOSED)]);
    // HEADERS on a skipped id is a connection error.
    let err = recv_err(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert_eq!(err.kind(), &ErrorKind::StreamIdTooLow { stream_id: 3, max_stream_id: MAX_ID });
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), MAX_ID);
}

// ---- concurrency ---------------------------------------------------------------------------

#[test]
fn peer_max_concurrent_streams_limits_new_outbound_streams() {
    // §11.1 #34, and #36: a closed stream no longer counts.
    let mut ff = FrameFactory::new();
    let mut c = client();
    recv_ok(&mut c, &ff.settings(&[(3, 1)]));
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let err = c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_error(&err, "TooManyStreamsError", ErrorCode::PROTOCOL_ERROR);
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.stream_state(3), None);
    assert_eq!(c.get_next_available_stream_id().unwrap(), 3);

    recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    assert!(matches!(&sent(&mut c)[..], [Frame::Headers(h)] if h.stream_id == 3));
}

#[test]
fn inbound_stream_over_the_local_limit_is_a_connection_error() {
    // §11.1 #35
    let mut ff = FrameFactory::new();
    let mut s = server_with_limit(1);
    recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    let err = recv_err(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert_error(&err, "TooManyStreamsError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);
    assert_eq!(s.stream_state(3), None);
}

#[test]
fn closed_inbound_streams_do_not_count_toward_the_local_limit() {
    // §11.1 #36
    let mut ff = FrameFactory::new();
    let mut s = server_with_limit(1);
    recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    let events = recv_ok(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
}

#[test]
fn reserved_streams_never_count_and_half_closed_ones_do() {
    // §11.1 #36, server side: pushes are reserved (local) until answered.
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    assert_eq!(s.open_inbound_streams(), 1);
    s.push_stream(1, 2, hdrs(REQUEST)).unwrap();
    s.push_stream(1, 4, hdrs(REQUEST)).unwrap();
    assert_eq!(s.stream_state(2), Some(StreamState::ReservedLocal));
    assert_eq!(s.open_outbound_streams(), 0);
    s.send_headers(2, hdrs(RESPONSE), false, no_priority()).unwrap();
    assert_eq!(s.stream_state(2), Some(StreamState::HalfClosedRemote));
    assert_eq!(s.open_outbound_streams(), 1);
    s.send_data(2, Bytes::from_static(b"pushed"), true, None).unwrap();
    s.reset_stream(4, ErrorCode::CANCEL).unwrap();
    assert_eq!(s.open_outbound_streams(), 0);
    recv_ok(&mut s, &ff.data(1, b"", true));
    assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote));
    assert_eq!(s.open_inbound_streams(), 1);
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    assert_eq!(s.open_inbound_streams(), 0);

    // Client side: a promised stream is reserved (remote) until its response arrives.
    let mut ff = FrameFactory::new();
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    recv_ok(&mut c, &ff.push_promise(1, 2, REQUEST));
    assert_eq!(c.stream_state(2), Some(StreamState::ReservedRemote));
    assert_eq!(c.open_inbound_streams(), 0);
    recv_ok(&mut c, &ff.headers(2, RESPONSE).bytes());
    assert_eq!(c.stream_state(2), Some(StreamState::HalfClosedLocal));
    assert_eq!(c.open_inbound_streams(), 1);
}

#[test]
fn reserved_remote_streams_do_not_count_toward_the_local_limit() {
    // §11.1 #36, inbound: a client limited to one inbound stream still takes a request on an
    // unpromised even stream (h2's quirk) while a promised stream is reserved; the next one
    // is over the limit.
    let mut ff = FrameFactory::new();
    let limits = Limits { max_concurrent_streams: 1, ..Limits::default() };
    let mut c = client_with(H2Configuration { limits, ..H2Configuration::client() });
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    recv_ok(&mut c, &ff.push_promise(1, 2, REQUEST));
    let events = recv_ok(&mut c, &ff.headers(4, REQUEST).end_stream().bytes());
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
    c.clear_outbound_data_buffer();
    let err = recv_err(&mut c, &ff.headers(6, REQUEST).end_stream().bytes());
    assert_error(&err, "TooManyStreamsError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(expect_goaway(&mut c, ErrorCode::PROTOCOL_ERROR), 4);
}

/// A client whose stream 1 is closed (both sides ended it) but still in the live map.
fn client_with_closed_stream(ff: &mut FrameFactory) -> H2Connection {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    c.clear_outbound_data_buffer();
    c
}

#[test]
fn closed_streams_leave_the_live_map_at_the_next_new_stream() {
    // §11.1 #36
    let mut ff = FrameFactory::new();
    let mut c = client_with_closed_stream(&mut ff);
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535);
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.stream_state(1), None);
    let err = c.local_flow_control_window(1).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::StreamClosed { stream_id: 1 });

    // An inbound new stream cleans up too.
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, true);
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    assert_eq!(s.stream_state(1), None);
}

#[test]
fn reading_the_open_stream_counts_cleans_up_closed_streams() {
    // §11.1 #36: h2's open_*_streams properties have the same side effect.
    let mut c = client_with_closed_stream(&mut FrameFactory::new());
    assert_eq!(c.open_inbound_streams(), 0);
    assert_eq!(c.stream_state(1), None);
    let mut c = client_with_closed_stream(&mut FrameFactory::new());
    assert_eq!(c.open_outbound_streams(), 0);
    assert_eq!(c.stream_state(1), None);
}

// ---- end_stream and reset_stream -----------------------------------------------------------

#[test]
fn end_stream_sends_an_empty_data_frame_with_end_stream() {
    // §11.1 #37
    let mut c = client_with_stream();
    c.end_stream(1).unwrap();
    assert_eq!(sent(&mut c), vec![Frame::Data(frame::Data::new(1, Bytes::new(), true))]);
    assert_eq!(c.stream_state(1), Some(StreamState::HalfClosedLocal));
}

#[test]
fn end_stream_on_an_unknown_id_is_no_such_stream() {
    // §11.1 #37
    let mut c = client_with_stream();
    let err = c.end_stream(5).unwrap_err();
    assert_error(&err, "NoSuchStreamError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(err.kind(), &ErrorKind::NoSuchStream { stream_id: 5 });
    assert!(c.data_to_send(None).is_empty());
}

#[test]
fn end_stream_on_an_old_id_is_stream_closed() {
    // §11.1 #37: a skipped id, a closed stream still known, a forgotten one.
    let mut ff = FrameFactory::new();
    let mut c = client_with_closed_stream(&mut ff);
    let err = c.end_stream(1).unwrap_err();
    assert_error(&err, "StreamClosedError", ErrorCode::STREAM_CLOSED);
    c.send_headers(5, hdrs(REQUEST), false, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    for id in [1, 3] {
        let err = c.end_stream(id).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::StreamClosed { stream_id: id });
    }
    assert!(c.data_to_send(None).is_empty());
}

#[test]
fn reset_stream_sends_rst_stream_with_the_given_code() {
    // §11.1 #38
    let mut c = client_with_stream();
    c.send_headers(3, hdrs(REQUEST), false, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c.reset_stream(1, ErrorCode::CANCEL).unwrap();
    c.reset_stream(3, ErrorCode(0x1234)).unwrap();
    assert_eq!(sent(&mut c), vec![rst(1, ErrorCode::CANCEL), rst(3, ErrorCode(0x1234))]);
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
}

#[test]
fn sends_on_a_reset_stream_raise_stream_closed() {
    // §11.1 #38
    let mut c = client_with_stream();
    c.reset_stream(1, ErrorCode::CANCEL).unwrap();
    c.clear_outbound_data_buffer();
    let trailers = hdrs(&[("x-t", "1")]);
    let attempts: Vec<(&str, Result<(), H2Error>)> = vec![
        ("send_data", c.send_data(1, Bytes::from_static(b"x"), false, None)),
        ("send_headers", c.send_headers(1, trailers, true, no_priority())),
        ("end_stream", c.end_stream(1)),
        ("reset_stream", c.reset_stream(1, ErrorCode::NO_ERROR)),
        ("increment_flow_control_window", c.increment_flow_control_window(10, Some(1))),
    ];
    for (what, r) in attempts {
        let err = r.unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::StreamClosed { stream_id: 1 }, "{what}");
    }
    assert!(c.data_to_send(None).is_empty());
}

#[test]
fn peer_rst_stream_gives_stream_reset_with_remote_reset() {
    // §11.1 #39: a known code and an unknown one, kept raw.
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let events = recv_ok(&mut c, &ff.rst(1, ErrorCode::CANCEL));
    assert_eq!(events, vec![reset_event(1, ErrorCode::CANCEL, true)]);
    let events = recv_ok(&mut c, &ff.rst(3, ErrorCode(0x1234)));
    assert_eq!(events, vec![reset_event(3, ErrorCode(0x1234), true)]);
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
    assert_eq!(c.stream_state(3), Some(StreamState::Closed));
    assert!(c.data_to_send(None).is_empty(), "nothing is sent in reply");
}

#[test]
fn only_the_first_peer_rst_stream_is_reported() {
    // §11.1 #40
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    recv_ok(&mut c, &ff.rst(1, ErrorCode::CANCEL));
    for code in [ErrorCode::INTERNAL_ERROR, ErrorCode::CANCEL] {
        assert!(recv_ok(&mut c, &ff.rst(1, code)).is_empty());
    }
    assert!(c.data_to_send(None).is_empty());
}

// ---- frames the stream state does not allow ----------------------------------------------

#[test]
fn data_before_headers_on_a_client_stream_is_a_protocol_error() {
    // §11.1 #41
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    let err = recv_err(&mut c, &ff.data(1, b"x", false));
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(expect_goaway(&mut c, ErrorCode::PROTOCOL_ERROR), 0);
}

#[test]
fn data_on_a_half_closed_remote_stream_resets_it_with_stream_closed() {
    // §11.1 #42: every late frame gets its RST_STREAM, only the first a StreamReset.
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, true);
    let events = recv_ok(&mut s, &ff.data(1, b"late", false));
    assert_eq!(events, vec![reset_event(1, ErrorCode::STREAM_CLOSED, false)]);
    assert_eq!(sent(&mut s), vec![rst(1, ErrorCode::STREAM_CLOSED)]);
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));

    assert!(recv_ok(&mut s, &ff.data(1, b"again", true)).is_empty());
    assert_eq!(sent(&mut s), vec![rst(1, ErrorCode::STREAM_CLOSED)]);
    // The connection is unharmed.
    let events = recv_ok(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
}

#[test]
fn headers_on_a_half_closed_remote_stream_resets_it_with_stream_closed() {
    // §11.1 #43 (h2's table; the RFC diagram would make it a connection error)
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, true);
    let late = ff.headers(1, &[("x-trailer", "1")]).end_stream().bytes();
    let events = recv_ok(&mut s, &late);
    assert_eq!(events, vec![reset_event(1, ErrorCode::STREAM_CLOSED, false)]);
    assert_eq!(sent(&mut s), vec![rst(1, ErrorCode::STREAM_CLOSED)]);
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    // The late block was decoded: the next one refers to the entry it added.
    let request: Vec<_> = REQUEST.iter().copied().chain([("x-trailer", "1")]).collect();
    let events = recv_ok(&mut s, &ff.headers(3, &request).end_stream().bytes());
    let Event::RequestReceived(r) = &events[0] else { panic!("{events:?}") };
    assert_eq!(pairs(&r.headers), owned(&request));
}

#[test]
fn data_on_an_idle_stream_is_a_connection_error() {
    // §11.1 #44
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    let err = recv_err(&mut s, &ff.data(3, b"x", false));
    assert_error(&err, "NoSuchStreamError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(err.kind(), &ErrorKind::NoSuchStream { stream_id: 3 });
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);
}

#[test]
fn window_update_on_an_idle_stream_is_a_connection_error() {
    // §11.1 #45
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    let err = recv_err(&mut s, &ff.window_update(3, 10));
    assert_error(&err, "NoSuchStreamError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);
}

#[test]
fn rst_stream_on_an_idle_stream_is_ignored_once_the_connection_is_open() {
    // §11.1 #46: h2's behaviour, kept on purpose (RFC 9113 says PROTOCOL_ERROR).
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    assert!(recv_ok(&mut s, &ff.rst(5, ErrorCode::CANCEL)).is_empty());
    assert!(s.data_to_send(None).is_empty());
    assert_eq!(s.stream_state(5), None);
    // The id was not used up.
    let events = recv_ok(&mut s, &ff.headers(5, REQUEST).bytes());
    assert_eq!(names(&events), ["RequestReceived"]);
}

#[test]
fn rst_stream_as_the_first_frame_is_a_connection_error() {
    // §11.1 #46: RST_STREAM is not allowed while the connection machine is IDLE.
    let ff = FrameFactory::new();
    let mut s = server();
    let err = recv_err(&mut s, &ff.rst(1, ErrorCode::NO_ERROR));
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 0);
}

#[test]
fn headers_on_a_skipped_lower_id_is_a_connection_error() {
    // §11.1 #47
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(5, REQUEST).end_stream().bytes());
    let err = recv_err(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert_error(&err, "StreamIDTooLowError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(err.kind(), &ErrorKind::StreamIdTooLow { stream_id: 3, max_stream_id: 5 });
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 5);
}

// ---- local misuse ----------------------------------------------------------------------------

#[test]
fn sending_after_half_closing_locally_is_a_protocol_error() {
    // §11.1 #48: DATA, trailers and a second END_STREAM on a half-closed (local) stream.
    let trailers = || hdrs(&[("x-t", "1")]);
    type Attempt = fn(&mut H2Connection, Vec<HeaderField>) -> Result<(), H2Error>;
    let attempts: [(&str, Attempt); 3] = [
        ("send_data", |c, _| c.send_data(1, Bytes::from_static(b"x"), false, None)),
        ("send_headers", |c, t| c.send_headers(1, t, true, no_priority())),
        ("end_stream", |c, _| c.end_stream(1)),
    ];
    for (what, attempt) in attempts {
        let mut c = client_with_stream();
        c.end_stream(1).unwrap();
        c.clear_outbound_data_buffer();
        let err = attempt(&mut c, trailers()).unwrap_err();
        assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
        assert!(c.data_to_send(None).is_empty(), "{what}: nothing sent");
    }
}

#[test]
fn local_connection_misuse_closes_the_connection() {
    // §11.1 #49: a client may not send ALTSVC; afterwards only GOAWAY is possible.
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    let err = c
        .advertise_alternative_service(
            Bytes::from_static(b"h2=\":8000\""),
            Some(Bytes::from_static(b"example.com")),
            None,
        )
        .unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(c.state(), ConnectionState::Closed);
    assert!(c.data_to_send(None).is_empty(), "local misuse sends nothing");

    let attempts = [
        c.send_headers(3, hdrs(REQUEST), true, no_priority()),
        c.send_data(1, Bytes::from_static(b"x"), false, None),
        c.end_stream(1),
        c.reset_stream(1, ErrorCode::CANCEL),
        c.ping(b"12345678"),
        c.update_settings(&[]),
        c.increment_flow_control_window(1, None),
    ];
    for r in attempts {
        assert_error(&r.unwrap_err(), "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    }
    assert!(c.data_to_send(None).is_empty());
    // Received frames fail too, with a GOAWAY.
    let err = recv_err(&mut c, &ff.ping(*b"abcdefgh"));
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(expect_goaway(&mut c, ErrorCode::PROTOCOL_ERROR), 0);
    // GOAWAY is still allowed.
    c.close_connection(ErrorCode::NO_ERROR, None, None).unwrap();
    assert_eq!(expect_goaway(&mut c, ErrorCode::NO_ERROR), 0);
}

#[test]
fn reset_stream_while_the_connection_is_idle_closes_it() {
    // §11.1 #49: SEND_RST_STREAM is not allowed in IDLE.
    let mut c = client();
    let err = c.reset_stream(1, ErrorCode::CANCEL).unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert_eq!(c.state(), ConnectionState::Closed);
    let err = c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn local_stream_misuse_closes_only_that_stream() {
    // §11.1 #50: DATA on a reserved (local) stream: the stream closes silently.
    let mut ff = FrameFactory::new();
    let mut s = server_with_request(&mut ff, false);
    s.push_stream(1, 2, hdrs(REQUEST)).unwrap();
    s.clear_outbound_data_buffer();
    let err = s.send_data(2, Bytes::from_static(b"x"), false, None).unwrap_err();
    assert_error(&err, "ProtocolError", ErrorCode::PROTOCOL_ERROR);
    assert!(s.data_to_send(None).is_empty(), "no RST_STREAM for local misuse");
    assert_eq!(s.stream_state(2), Some(StreamState::Closed));
    assert_eq!(s.state(), ConnectionState::ServerOpen);
    let err = s.send_headers(2, hdrs(RESPONSE), true, no_priority()).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::StreamClosed { stream_id: 2 });

    // The parent stream is unaffected.
    s.send_headers(1, hdrs(RESPONSE), false, no_priority()).unwrap();
    s.send_data(1, Bytes::from_static(b"ok"), true, None).unwrap();
    let frames = sent(&mut s);
    assert!(matches!(&frames[..], [Frame::Headers(h), Frame::Data(d)]
        if h.stream_id == 1 && d.stream_id == 1 && d.end_stream && &d.data[..] == b"ok"));
}

#[test]
fn failed_send_on_a_half_closed_local_stream_closes_it() {
    // §11.1 #48 and #50: the forced CLOSED is visible, and the peer's response then finds
    // a closed stream.
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.send_data(1, Bytes::from_static(b"x"), false, None).unwrap_err();
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
    assert_eq!(c.state(), ConnectionState::ClientOpen);
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.stream_state(3), Some(StreamState::HalfClosedLocal));
}
