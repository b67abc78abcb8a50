//! Late frames on closed streams, before and after the closed stream is cleaned up, and the
//! bounded memory of forgotten streams (h2-behaviour §6.3; §11.1 scenarios 116–120).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use h2wasm::connection::StreamState;
use h2wasm::events::*;
use h2wasm::frame::{self, Frame};
use h2wasm::{ErrorCode, H2Configuration, H2Connection, Limits};
use support::*;

/// How stream 1 came to be closed.
#[derive(Clone, Copy, Debug)]
enum Closed {
    /// Request and response both carried END_STREAM.
    EndStream,
    /// We reset it.
    OurReset,
    /// The peer reset it.
    PeerReset,
}

/// A server whose stream 1 is closed `how`; with `cleanup`, the peer then opened stream 3 so
/// stream 1 was moved to the closed-stream memory. Output drained.
fn server_with_closed_stream(how: Closed, cleanup: bool) -> (H2Connection, FrameFactory) {
    let mut ff = FrameFactory::new();
    let mut s = server();
    match how {
        Closed::EndStream => {
            recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
            s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
        }
        Closed::OurReset => {
            recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
            s.reset_stream(1, ErrorCode::CANCEL).unwrap();
        }
        Closed::PeerReset => {
            recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
            let events = recv_ok(&mut s, &ff.rst(1, ErrorCode::CANCEL));
            assert_eq!(names(&events), ["StreamReset"]);
        }
    }
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    if cleanup {
        recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
        assert_eq!(s.stream_state(1), None, "cleaned up when stream 3 opened");
    }
    s.clear_outbound_data_buffer();
    (s, ff)
}

fn rst_closed(stream_id: u32) -> Frame {
    Frame::RstStream(frame::RstStream { stream_id, error_code: ErrorCode::STREAM_CLOSED })
}

// §11.1 #116
#[test]
fn headers_after_the_stream_ended_is_a_stream_closed_connection_error() {
    for cleanup in [false, true] {
        let (mut s, mut ff) = server_with_closed_stream(Closed::EndStream, cleanup);
        let err = recv_err(&mut s, &ff.headers(1, RESPONSE).end_stream().bytes());
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("StreamClosedError", Some(ErrorCode::STREAM_CLOSED)),
            "cleanup: {cleanup}"
        );
        assert_eq!(err.stream_id(), Some(1));
        let last = if cleanup { 3 } else { 1 };
        assert_eq!(expect_goaway(&mut s, ErrorCode::STREAM_CLOSED), last);
    }
}

// §11.1 #116
#[test]
fn data_after_the_stream_ended_is_answered_with_rst_stream_closed() {
    for cleanup in [false, true] {
        let (mut s, ff) = server_with_closed_stream(Closed::EndStream, cleanup);
        let mut input = ff.data(1, b"late", false);
        input.extend(ff.data(1, b"later", true));
        let events = recv_ok(&mut s, &input);
        assert!(events.is_empty(), "cleanup {cleanup}: {events:?}");
        assert_eq!(sent(&mut s), [rst_closed(1), rst_closed(1)], "cleanup: {cleanup}");
    }
}

// §11.1 #116
#[test]
fn a_client_answers_late_frames_on_a_stream_closed_by_the_response() {
    let mut ff = FrameFactory::new();
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    let events = recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    assert_eq!(names(&events), ["ResponseReceived", "StreamEnded"]);
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
    c.clear_outbound_data_buffer();
    assert!(recv_ok(&mut c, &ff.data(1, b"x", false)).is_empty());
    assert_eq!(sent(&mut c), [rst_closed(1)]);
    let err = recv_err(&mut c, &ff.headers(1, &[("x-trailer", "1")]).end_stream().bytes());
    assert_eq!(err.type_name(), "StreamClosedError");
    assert_eq!(expect_goaway(&mut c, ErrorCode::STREAM_CLOSED), 0);
}

fn late_headers_and_data_are_reset_each_time(how: Closed) {
    for cleanup in [false, true] {
        let (mut s, mut ff) = server_with_closed_stream(how, cleanup);
        let mut input = ff.headers(1, REQUEST).end_stream().bytes();
        input.extend(ff.data(1, b"x", false));
        input.extend(ff.headers(1, &[("x-late", "1")]).bytes());
        input.extend(ff.data(1, b"y", true));
        let events = recv_ok(&mut s, &input);
        assert!(events.is_empty(), "{how:?} cleanup {cleanup}: {events:?}");
        assert_eq!(
            sent(&mut s),
            [rst_closed(1), rst_closed(1), rst_closed(1), rst_closed(1)],
            "{how:?} cleanup {cleanup}"
        );
        // The late blocks were decoded: the peer's HPACK state still agrees with ours.
        let events = recv_ok(
            &mut s,
            &ff.headers(
                5,
                &[
                    (":method", "GET"),
                    (":path", "/"),
                    (":scheme", "https"),
                    (":authority", "example.com"),
                    ("x-late", "1"),
                ],
            )
            .end_stream()
            .bytes(),
        );
        let [Event::RequestReceived(r), Event::StreamEnded(_)] = &events[..] else {
            panic!("{events:?}")
        };
        assert_eq!(r.stream_id, 5);
    }
}

// §11.1 #117
#[test]
fn after_our_reset_late_headers_and_data_get_rst_stream_closed_each_time() {
    late_headers_and_data_are_reset_each_time(Closed::OurReset);
}

// §11.1 #118
#[test]
fn after_the_peers_reset_late_headers_and_data_get_rst_stream_closed_each_time() {
    late_headers_and_data_are_reset_each_time(Closed::PeerReset);
}

// §11.1 #119
#[test]
fn window_update_and_rst_stream_on_closed_streams_are_ignored() {
    for how in [Closed::EndStream, Closed::OurReset, Closed::PeerReset] {
        for cleanup in [false, true] {
            let (mut s, ff) = server_with_closed_stream(how, cleanup);
            let mut input = ff.window_update(1, 100);
            input.extend(ff.rst(1, ErrorCode::INTERNAL_ERROR));
            input.extend(ff.window_update(1, 100));
            input.extend(ff.rst(1, ErrorCode::CANCEL));
            let events = recv_ok(&mut s, &input);
            assert!(events.is_empty(), "{how:?} cleanup {cleanup}: {events:?}");
            assert!(s.data_to_send(None).is_empty(), "{how:?} cleanup {cleanup}");
        }
    }
}

// §11.1 #119
#[test]
fn priority_on_a_closed_stream_is_still_reported() {
    for cleanup in [false, true] {
        let (mut s, ff) = server_with_closed_stream(Closed::OurReset, cleanup);
        let events = recv_ok(&mut s, &ff.priority(1, 0, 8, false));
        assert_eq!(
            events,
            [Event::PriorityUpdated(PriorityUpdated {
                stream_id: 1,
                weight: 8,
                depends_on: 0,
                exclusive: false
            })]
        );
        assert!(s.data_to_send(None).is_empty());
    }
}

#[test]
fn closed_streams_stay_visible_until_a_new_stream_opens_or_open_streams_are_counted() {
    let (mut s, ff) = server_with_closed_stream(Closed::OurReset, false);
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    recv_ok(&mut s, &ff.priority(9, 0, 16, false));
    assert_eq!(s.stream_state(1), Some(StreamState::Closed), "PRIORITY opens nothing");
    assert_eq!(s.open_inbound_streams(), 0);
    assert_eq!(s.stream_state(1), None, "counting cleans up");

    let (mut s, mut ff) = server_with_closed_stream(Closed::PeerReset, false);
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    assert_eq!(s.stream_state(1), None, "a new stream cleans up");
}

// ---- the closed-stream memory ----------------------------------------------------------

/// Opens and resets (by the peer) streams 1, 3, … `2n − 1` with one input.
fn open_and_reset(s: &mut H2Connection, ff: &mut FrameFactory, n: u32) {
    let mut input = Vec::new();
    for i in 0..n {
        let id = 2 * i + 1;
        input.extend(ff.headers(id, REQUEST).bytes());
        input.extend(ff.rst(id, ErrorCode::CANCEL));
    }
    let events = s.receive_data(&input).unwrap();
    assert_eq!(events.len(), 2 * n as usize);
}

// §11.1 #120
#[test]
fn the_closed_stream_memory_follows_max_closed_streams() {
    let config = H2Configuration {
        limits: Limits { max_closed_streams: 3, ..Limits::default() },
        ..H2Configuration::server()
    };
    let mut ff = FrameFactory::new();
    let mut s = server_with(config);
    // Streams 1..9 reset; opening 11 moves 9 to the memory, which keeps 5, 7, 9.
    open_and_reset(&mut s, &mut ff, 5);
    recv_ok(&mut s, &ff.headers(11, REQUEST).bytes());
    s.clear_outbound_data_buffer();

    for remembered in [5, 7, 9] {
        assert!(recv_ok(&mut s, &ff.headers(remembered, REQUEST).bytes()).is_empty());
        assert_eq!(sent(&mut s), [rst_closed(remembered)]);
    }
    // DATA is always answered with RST_STREAM, remembered or not.
    assert!(recv_ok(&mut s, &ff.data(3, b"x", false)).is_empty());
    assert_eq!(sent(&mut s), [rst_closed(3)]);
    // WINDOW_UPDATE and RST_STREAM on a forgotten id are still ignored.
    let mut input = ff.window_update(3, 1);
    input.extend(ff.rst(3, ErrorCode::CANCEL));
    assert!(recv_ok(&mut s, &input).is_empty());
    assert!(s.data_to_send(None).is_empty());
    // Late HEADERS on an id the memory dropped look like a reused stream id.
    let err = recv_err(&mut s, &ff.headers(3, REQUEST).bytes());
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("StreamIDTooLowError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 11);
}

// §11.1 #120
#[test]
fn the_default_closed_stream_memory_holds_65536_ids() {
    assert_eq!(Limits::default().max_closed_streams, 65_536);
    let mut ff = FrameFactory::new();
    let mut s = server();
    // Streams 1 … 131,073 (65,537 of them) reset, then stream 131,075 opened: the clean-up
    // moves the 65,537 closed streams to the memory, which drops the oldest, stream 1.
    open_and_reset(&mut s, &mut ff, 65_537);
    let last = 2 * 65_537 + 1;
    recv_ok(&mut s, &ff.headers(last, REQUEST).bytes());
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(3), None);

    let mut remembered = s.clone();
    assert!(recv_ok(&mut remembered, &ff.headers(3, REQUEST).bytes()).is_empty());
    assert_eq!(sent(&mut remembered), [rst_closed(3)]);

    let err = recv_err(&mut s, &ff.headers(1, REQUEST).bytes());
    assert_eq!(err.type_name(), "StreamIDTooLowError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), last);
}

/// A late HEADERS on an unknown id is itself a new-stream attempt, so it first moves the
/// closed streams still in the live map to the memory — which can evict the oldest.
#[test]
fn late_headers_clean_up_before_they_are_judged() {
    let config = H2Configuration {
        limits: Limits { max_closed_streams: 2, ..Limits::default() },
        ..H2Configuration::server()
    };
    let mut ff = FrameFactory::new();
    let mut s = server_with(config);
    // 1, 3 and 5 reset; opening 5 moved 1 and 3 to the memory; 5 is still live.
    open_and_reset(&mut s, &mut ff, 3);
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(5), Some(StreamState::Closed));
    // HEADERS on 1: the clean-up moves 5 in and evicts 1 before the lookup.
    let err = recv_err(&mut s, &ff.headers(1, REQUEST).bytes());
    assert_eq!(err.type_name(), "StreamIDTooLowError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 5);
}

#[test]
fn headers_on_a_skipped_stream_id_is_a_protocol_error() {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(5, REQUEST).bytes());
    let err = recv_err(&mut s, &ff.headers(3, REQUEST).bytes());
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("StreamIDTooLowError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 5);
}

/// With an empty `send_data` on a forgotten stream h2 raises a bare KeyError; h2wasm raises
/// StreamClosedError (documented difference, docs/differences.md #5).
#[test]
fn sending_on_closed_or_forgotten_streams_is_a_stream_closed_error() {
    for cleanup in [false, true] {
        let (mut s, _) = server_with_closed_stream(Closed::PeerReset, cleanup);
        let err = s.send_data(1, bytes::Bytes::new(), true, None).unwrap_err();
        assert_eq!(err.type_name(), "StreamClosedError", "cleanup {cleanup}");
        assert_eq!(
            s.reset_stream(1, ErrorCode::CANCEL).unwrap_err().type_name(),
            "StreamClosedError"
        );
        assert_eq!(s.end_stream(1).unwrap_err().type_name(), "StreamClosedError");
        assert!(s.data_to_send(None).is_empty());
    }
}
