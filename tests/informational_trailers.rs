//! Informational (1xx) responses, trailers, content-length and HEAD
//! (h2-behaviour §6.2, §7.1; §11.1 scenarios 78–87).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod peer_view;
mod support;

use bytes::Bytes;
use h2wasm::connection::StreamState;
use h2wasm::events::*;
use h2wasm::frame::Frame;
use h2wasm::{ErrorCode, ErrorKind, H2Connection, H2Error};
use peer_view::*;
use support::*;

const POST: &[(&str, &str)] =
    &[(":method", "POST"), (":path", "/"), (":scheme", "https"), (":authority", "example.com")];
const HEAD: &[(&str, &str)] =
    &[(":method", "HEAD"), (":path", "/"), (":scheme", "https"), (":authority", "example.com")];

/// A server that received a complete GET on stream 1.
fn server_with_get() -> H2Connection {
    let mut s = server();
    recv_ok(&mut s, &FrameFactory::new().headers(1, REQUEST).end_stream().bytes());
    s.clear_outbound_data_buffer();
    s
}

/// A client that sent `request` on stream 1 (with END_STREAM when `end`).
fn client_sent(request: &[(&str, &str)], end: bool) -> H2Connection {
    let mut c = client();
    c.send_headers(1, hdrs(request), end, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c
}

fn assert_goaway(conn: &mut H2Connection, code: ErrorCode, last_stream_id: u32) {
    let frames = sent(conn);
    let [Frame::GoAway(g)] = &frames[..] else { panic!("expected one GOAWAY, got {frames:?}") };
    assert_eq!((g.error_code, g.last_stream_id), (code, last_stream_id));
}

fn assert_body_length_error(e: &H2Error, expected: u64, actual: u64) {
    assert_eq!(e.type_name(), "InvalidBodyLengthError", "{e:?}");
    assert_eq!(e.kind(), &ErrorKind::InvalidBodyLength { expected, actual });
    assert_eq!(e.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
}

// ---- informational responses ---------------------------------------------------------------

#[test]
fn server_sends_several_informational_responses_then_the_final_one() {
    // §11.1 #78
    let mut s = server_with_get();
    let mut view = PeerView::new();
    s.send_headers(1, hdrs(&[(":status", "100")]), false, no_priority()).unwrap();
    s.send_headers(
        1,
        hdrs(&[(":status", "103"), ("link", "</s.css>; rel=preload")]),
        false,
        no_priority(),
    )
    .unwrap();
    s.send_headers(1, hdrs(&[(":status", "200")]), false, no_priority()).unwrap();
    s.send_data(1, Bytes::from_static(b"done"), true, None).unwrap();
    let items = view.read(&mut s);
    assert_eq!(items.len(), 4);
    let statuses: Vec<(String, bool)> =
        items[..3].iter().map(|i| (i.block().pairs()[0].1.clone(), i.block().end_stream)).collect();
    assert_eq!(statuses, [("100".into(), false), ("103".into(), false), ("200".into(), false)]);
    assert_eq!(items[1].block().pairs()[1], ("link".into(), "</s.css>; rel=preload".into()));
    let Item::Frame(Frame::Data(d)) = &items[3] else { panic!("{:?}", items[3]) };
    assert!(d.end_stream);
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
}

#[test]
fn informational_response_with_end_stream_is_refused_without_changing_the_stream() {
    // §11.1 #78: the check comes before the state machine, so the stream is untouched and the
    // final response can still be sent.
    let mut s = server_with_get();
    let err = s.send_headers(1, hdrs(&[(":status", "100")]), true, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote));
    s.send_headers(1, hdrs(&[(":status", "200")]), true, no_priority()).unwrap();
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
}

#[test]
fn informational_response_after_the_final_response_is_refused_and_closes_the_stream() {
    // §11.1 #79 (send): a stream-machine error, so — as in h2 — the stream is closed without
    // any frame and later sends on it fail with StreamClosedError.
    let mut s = server_with_get();
    s.send_headers(1, hdrs(&[(":status", "200")]), false, no_priority()).unwrap();
    s.clear_outbound_data_buffer();
    let err = s.send_headers(1, hdrs(&[(":status", "100")]), false, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    let err = s.send_data(1, Bytes::from_static(b"x"), true, None).unwrap_err();
    assert_eq!(err.type_name(), "StreamClosedError");
}

#[test]
fn client_receives_informational_responses_then_the_final_response() {
    // §11.1 #80: every block whose leading :status starts with '1' is informational, junk
    // included.
    let mut c = client_sent(REQUEST, true);
    let mut ff = FrameFactory::new();
    for status in ["100", "103", "1xx"] {
        let events = recv_ok(&mut c, &ff.headers(1, &[(":status", status), ("x-i", "1")]).bytes());
        assert_eq!(
            events,
            vec![Event::InformationalResponseReceived(InformationalResponseReceived {
                stream_id: 1,
                headers: hdrs(&[(":status", status), ("x-i", "1")]),
                priority_updated: None,
            })],
            "{status}"
        );
    }
    let events = recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    assert_eq!(names(&events), ["ResponseReceived", "StreamEnded"]);
    let Event::ResponseReceived(r) = &events[0] else { unreachable!() };
    assert_eq!(r.headers, hdrs(RESPONSE));
    assert_eq!(r.stream_ended, Some(StreamEnded { stream_id: 1 }));
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
}

#[test]
fn informational_response_with_end_stream_is_a_connection_error() {
    // §11.1 #80
    let mut c = client_sent(REQUEST, true);
    let input = FrameFactory::new().headers(1, &[(":status", "103")]).end_stream().bytes();
    let err = recv_err(&mut c, &input);
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn informational_response_after_the_final_response_is_a_connection_error() {
    // §11.1 #79 (receive)
    let mut c = client_sent(REQUEST, true);
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).bytes());
    let err = recv_err(&mut c, &ff.headers(1, &[(":status", "100")]).bytes());
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn informational_responses_travel_end_to_end() {
    // §11.1 #78/#80 over a client–server pair.
    let mut p = Pair::new();
    p.client.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    p.run();
    p.take_server_events();
    p.server.send_headers(1, hdrs(&[(":status", "100")]), false, no_priority()).unwrap();
    p.server.send_headers(1, hdrs(&[(":status", "103")]), false, no_priority()).unwrap();
    p.server.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    p.run();
    assert_eq!(
        names(&p.take_client_events()),
        [
            "InformationalResponseReceived",
            "InformationalResponseReceived",
            "ResponseReceived",
            "StreamEnded"
        ]
    );
}

// ---- trailers ----------------------------------------------------------------------------------

#[test]
fn client_trailers_end_the_stream() {
    // §11.1 #81: trailers are the second block we send; they carry END_STREAM.
    let mut c = client_sent(POST, false);
    let mut view = PeerView::new();
    c.send_data(1, Bytes::from_static(b"body"), false, None).unwrap();
    c.send_headers(1, hdrs(&[("x-checksum", "abc")]), true, no_priority()).unwrap();
    let items = view.read(&mut c);
    assert!(matches!(&items[0], Item::Frame(Frame::Data(d)) if !d.end_stream));
    let trailers = items[1].block();
    assert!(trailers.end_stream);
    assert_eq!(trailers.pairs(), owned(&[("x-checksum", "abc")]));
    assert_eq!(c.stream_state(1), Some(StreamState::HalfClosedLocal));
}

#[test]
fn client_trailers_without_end_stream_are_refused() {
    // §11.1 #81
    let mut c = client_sent(POST, false);
    let err = c.send_headers(1, hdrs(&[("x-checksum", "abc")]), false, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(c.outbound_buffered(), 0);
}

#[test]
fn server_trailers_without_end_stream_are_refused() {
    // §11.1 #81
    let mut s = server_with_get();
    s.send_headers(1, hdrs(RESPONSE), false, no_priority()).unwrap();
    s.send_data(1, Bytes::from_static(b"body"), false, None).unwrap();
    s.clear_outbound_data_buffer();
    let err = s.send_headers(1, hdrs(&[("x-checksum", "abc")]), false, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
}

#[test]
fn refused_trailers_leave_the_hpack_encoder_untouched() {
    // §11.1 #81 — documented difference (docs/differences.md #7): the END_STREAM check comes
    // before encoding, so the refused block adds nothing to our HPACK table and a later block
    // with the same fields (here on stream 3) decodes correctly at the peer. h2 has already
    // indexed the refused fields and its next block refers to entries the peer never got.
    let mut c = client();
    let mut view = PeerView::new();
    c.send_headers(1, hdrs(POST), false, no_priority()).unwrap();
    c.send_headers(3, hdrs(POST), false, no_priority()).unwrap();
    view.read(&mut c);
    let trailers = hdrs(&[("x-checksum", "abc123"), ("x-trailer-only", "1")]);
    let err = c.send_headers(1, trailers.clone(), false, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    c.send_headers(3, trailers, true, no_priority()).unwrap();
    let blocks = view.blocks(&mut c);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].stream_id, 3);
    assert_eq!(blocks[0].pairs(), owned(&[("x-checksum", "abc123"), ("x-trailer-only", "1")]));
}

#[test]
fn received_trailers_with_end_stream_give_trailers_received_and_stream_ended() {
    // §11.1 #82, server side.
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, POST).bytes());
    recv_ok(&mut s, &ff.data(1, b"abc", false));
    let events = recv_ok(&mut s, &ff.headers(1, &[("x-checksum", "abc")]).end_stream().bytes());
    let se = StreamEnded { stream_id: 1 };
    assert_eq!(
        events,
        vec![
            Event::TrailersReceived(TrailersReceived {
                stream_id: 1,
                headers: hdrs(&[("x-checksum", "abc")]),
                stream_ended: Some(se),
                priority_updated: None,
            }),
            Event::StreamEnded(se),
        ]
    );
    assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote));
}

#[test]
fn client_receives_trailers_after_a_response_body() {
    // §11.1 #82, client side.
    let mut c = client_sent(REQUEST, true);
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).bytes());
    recv_ok(&mut c, &ff.data(1, b"body", false));
    let events = recv_ok(&mut c, &ff.headers(1, &[("grpc-status", "0")]).end_stream().bytes());
    assert_eq!(names(&events), ["TrailersReceived", "StreamEnded"]);
    let Event::TrailersReceived(t) = &events[0] else { unreachable!() };
    assert_eq!(t.headers, hdrs(&[("grpc-status", "0")]));
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
}

#[test]
fn received_trailers_without_end_stream_are_a_connection_error() {
    // §11.1 #82
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, POST).bytes());
    let err = recv_err(&mut s, &ff.headers(1, &[("x-checksum", "abc")]).bytes());
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);

    let mut c = client_sent(REQUEST, true);
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).bytes());
    let err = recv_err(&mut c, &ff.headers(1, &[("x-checksum", "abc")]).bytes());
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn a_third_block_we_send_is_refused() {
    // §11.1 #83: after trailers the stream is half-closed (local) or closed.
    let mut c = client_sent(POST, false);
    c.send_headers(1, hdrs(&[("x-t", "1")]), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let err = c.send_headers(1, hdrs(&[("x-t", "2")]), true, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(c.outbound_buffered(), 0);

    let mut s = server_with_get();
    s.send_headers(1, hdrs(RESPONSE), false, no_priority()).unwrap();
    s.send_headers(1, hdrs(&[("x-t", "1")]), true, no_priority()).unwrap();
    s.clear_outbound_data_buffer();
    let err = s.send_headers(1, hdrs(&[("x-t", "2")]), true, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "StreamClosedError");
    assert_eq!(err.error_code(), Some(ErrorCode::STREAM_CLOSED));
    assert_eq!(s.outbound_buffered(), 0);
}

#[test]
fn a_third_block_received_on_a_half_closed_stream_resets_it() {
    // §11.1 #83, server side: the stream is half-closed (remote) after the trailers, so a
    // further block is a stream error STREAM_CLOSED, reported once.
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, POST).bytes());
    recv_ok(&mut s, &ff.headers(1, &[("x-t", "1")]).end_stream().bytes());
    s.clear_outbound_data_buffer();
    let events = recv_ok(&mut s, &ff.headers(1, &[("x-t", "2")]).end_stream().bytes());
    assert_eq!(
        events,
        vec![Event::StreamReset(StreamReset {
            stream_id: 1,
            error_code: ErrorCode::STREAM_CLOSED,
            remote_reset: false,
        })]
    );
    let frames = sent(&mut s);
    let [Frame::RstStream(r)] = &frames[..] else { panic!("{frames:?}") };
    assert_eq!((r.stream_id, r.error_code), (1, ErrorCode::STREAM_CLOSED));
    // A fourth block: another RST_STREAM, no second event.
    assert!(recv_ok(&mut s, &ff.headers(1, &[("x-t", "3")]).end_stream().bytes()).is_empty());
    assert!(matches!(&sent(&mut s)[..], [Frame::RstStream(r)] if r.stream_id == 1));
}

#[test]
fn a_third_block_received_on_a_closed_stream_is_a_connection_error() {
    // §11.1 #83, client side: the request ended and the trailers closed the stream, so a
    // further block is a connection error STREAM_CLOSED.
    let mut c = client_sent(REQUEST, true);
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).bytes());
    recv_ok(&mut c, &ff.headers(1, &[("x-t", "1")]).end_stream().bytes());
    let err = recv_err(&mut c, &ff.headers(1, &[("x-t", "2")]).end_stream().bytes());
    assert_eq!(err.type_name(), "StreamClosedError");
    assert_goaway(&mut c, ErrorCode::STREAM_CLOSED, 0);
}

// ---- content-length --------------------------------------------------------------------------

/// Feeds a POST with the given content-length fields; returns the server, the peer's frame
/// factory (its HPACK state in step with the server's) and the outcome.
fn post_with_lengths(values: &[&str]) -> (H2Connection, FrameFactory, Received) {
    let mut s = server();
    let mut ff = FrameFactory::new();
    let mut request = POST.to_vec();
    request.extend(values.iter().map(|v| ("content-length", *v)));
    let r = recv(&mut s, &ff.headers(1, &request).bytes());
    (s, ff, r)
}

#[test]
fn content_length_must_be_ascii_digits() {
    // §11.1 #84
    for value in ["abc", "", "+5", "-5", "5, 5", "0x10", "1.0", "5 ", "\u{0665}"] {
        let (mut s, _, r) = post_with_lengths(&[value]);
        let Err((e, events)) = r else { panic!("{value:?} accepted") };
        assert_eq!(e.type_name(), "ProtocolError", "{value:?}");
        assert!(events.is_empty());
        assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);
    }
}

#[test]
fn content_length_on_a_response_is_checked_the_same_way() {
    // §11.1 #84 on the client side.
    let mut c = client_sent(REQUEST, true);
    let input =
        FrameFactory::new().headers(1, &[(":status", "200"), ("content-length", "-1")]).bytes();
    let err = recv_err(&mut c, &input);
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn equal_duplicate_content_lengths_are_accepted_and_enforced() {
    // §11.1 #85: values are compared as numbers (leading zeros allowed).
    let (mut s, ff, r) = post_with_lengths(&["5", "005", "5"]);
    assert_eq!(names(&r.unwrap()), ["RequestReceived"]);
    let events = recv_ok(&mut s, &ff.data(1, b"12345", true));
    assert_eq!(names(&events), ["DataReceived", "StreamEnded"]);

    let (mut s, ff, _) = post_with_lengths(&["5", "5"]);
    let err = recv_err(&mut s, &ff.data(1, b"123456", false));
    assert_body_length_error(&err, 5, 6);
}

#[test]
fn differing_content_lengths_are_a_connection_error() {
    // §11.1 #85
    for values in [&["5", "6"][..], &["0", "1"], &["5", "5", "50"]] {
        let (mut s, _, r) = post_with_lengths(values);
        let Err((e, _)) = r else { panic!("{values:?} accepted") };
        assert_eq!(e.type_name(), "ProtocolError", "{values:?}");
        assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);
    }
}

#[test]
fn content_lengths_beyond_u64_are_compared_exactly() {
    // §11.1 #85: values too large for 64 bits still conflict when they differ (h2 compares
    // arbitrary-precision integers); equal ones, leading zeros aside, are accepted.
    let (mut s, _, r) = post_with_lengths(&["100000000000000000000", "100000000000000000001"]);
    let Err((e, _)) = r else { panic!("conflicting 21-digit lengths accepted") };
    assert_eq!(e.type_name(), "ProtocolError");
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);

    let (_, _, r) = post_with_lengths(&["100000000000000000000", "0100000000000000000000"]);
    assert_eq!(names(&r.unwrap()), ["RequestReceived"]);
}

#[test]
fn more_data_than_content_length_is_an_invalid_body_length() {
    // §11.1 #86: detected on the frame that goes over, whose events are not delivered; the
    // earlier frame's DataReceived comes back with the error (docs/differences.md #4).
    let (mut s, ff, _) = post_with_lengths(&["5"]);
    let mut input = ff.data(1, b"123", false);
    input.extend(ff.data(1, b"456", false));
    let (err, events) = recv(&mut s, &input).unwrap_err();
    assert_body_length_error(&err, 5, 6);
    assert_eq!(names(&events), ["DataReceived"]);
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);
}

#[test]
fn less_data_than_content_length_at_end_stream_is_an_invalid_body_length() {
    // §11.1 #86
    let (mut s, ff, _) = post_with_lengths(&["5"]);
    let err = recv_err(&mut s, &ff.data(1, b"1234", true));
    assert_body_length_error(&err, 5, 4);
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);
}

#[test]
fn exact_content_length_over_several_frames_with_padding_is_accepted() {
    // §11.1 #86: padding is flow-controlled but is not content.
    let (mut s, ff, _) = post_with_lengths(&["5"]);
    recv_ok(&mut s, &ff.padded_data(1, b"12", 20, false));
    let events = recv_ok(&mut s, &ff.padded_data(1, b"345", 0, true));
    assert_eq!(names(&events), ["DataReceived", "StreamEnded"]);
}

#[test]
fn end_stream_on_headers_with_a_nonzero_content_length_is_an_invalid_body_length() {
    // §11.1 #86 — documented difference (docs/differences.md #9): h2 does not check the length
    // when END_STREAM is on the header block.
    let mut s = server();
    let mut request = POST.to_vec();
    request.push(("content-length", "5"));
    let err = recv_err(&mut s, &FrameFactory::new().headers(1, &request).end_stream().bytes());
    assert_body_length_error(&err, 5, 0);
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);

    // content-length 0 with END_STREAM on HEADERS is fine.
    let mut s = server();
    let mut request = POST.to_vec();
    request.push(("content-length", "0"));
    let events = recv_ok(&mut s, &FrameFactory::new().headers(1, &request).end_stream().bytes());
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
}

#[test]
fn errors_h2_reports_come_before_the_end_stream_length_check() {
    // §11.1 #86: the END_STREAM-on-HEADERS length check (docs/differences.md #9) only applies
    // to blocks h2 accepts; a block h2 rejects for another reason gets h2's error. Here the
    // request also carries a connection-specific field, and in the second case a priority
    // self-dependency.
    let mut s = server();
    let mut request = POST.to_vec();
    request.extend([("content-length", "5"), ("connection", "close")]);
    let err = recv_err(&mut s, &FrameFactory::new().headers(1, &request).end_stream().bytes());
    assert_eq!(err.type_name(), "ProtocolError", "{err:?}");
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);

    let mut s = server();
    let mut request = POST.to_vec();
    request.push(("content-length", "5"));
    let input =
        FrameFactory::new().headers(1, &request).end_stream().priority(1, 16, false).bytes();
    let err = recv_err(&mut s, &input);
    assert_eq!(err.type_name(), "ProtocolError", "{err:?}");
}

#[test]
fn trailers_ending_a_short_body_are_an_invalid_body_length() {
    // §11.1 #86 — documented difference (docs/differences.md #9): trailers do not reset the
    // expected length (h2 would take content-length 3 from the trailers and check nothing).
    let (mut s, mut ff, _) = post_with_lengths(&["5"]);
    recv_ok(&mut s, &ff.data(1, b"123", false));
    let trailers = ff.headers(1, &[("content-length", "3")]).end_stream().bytes();
    let err = recv_err(&mut s, &trailers);
    assert_body_length_error(&err, 5, 3);
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);
}

#[test]
fn trailers_ending_a_complete_body_are_accepted() {
    // §11.1 #86 control for the test above.
    let (mut s, mut ff, _) = post_with_lengths(&["3"]);
    recv_ok(&mut s, &ff.data(1, b"123", false));
    let events = recv_ok(&mut s, &ff.headers(1, &[("x-t", "1")]).end_stream().bytes());
    assert_eq!(names(&events), ["TrailersReceived", "StreamEnded"]);
}

#[test]
fn responses_204_and_304_carry_no_content_whatever_their_content_length() {
    // §11.1 #86 — documented difference (docs/differences.md #9): h2 expects the
    // content-length of a 204/304 response.
    for status in ["204", "304"] {
        let response = [(":status", status), ("content-length", "5")];
        // END_STREAM on the response: no content, nothing missing.
        let mut c = client_sent(REQUEST, true);
        let events =
            recv_ok(&mut c, &FrameFactory::new().headers(1, &response).end_stream().bytes());
        assert_eq!(names(&events), ["ResponseReceived", "StreamEnded"], "{status}");
        // An empty DATA frame with END_STREAM is also fine.
        let mut c = client_sent(REQUEST, true);
        let mut ff = FrameFactory::new();
        recv_ok(&mut c, &ff.headers(1, &response).bytes());
        assert_eq!(
            names(&recv_ok(&mut c, &ff.data(1, b"", true))),
            ["DataReceived", "StreamEnded"]
        );
        // One octet of content is too much.
        let mut c = client_sent(REQUEST, true);
        let mut ff = FrameFactory::new();
        recv_ok(&mut c, &ff.headers(1, &response).bytes());
        let err = recv_err(&mut c, &ff.data(1, b"x", false));
        assert_body_length_error(&err, 0, 1);
        assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
    }
}

// ---- HEAD ------------------------------------------------------------------------------------

#[test]
fn head_response_content_length_is_ignored_and_empty_end_stream_data_accepted() {
    // §11.1 #87: the response's content-length is not even parsed; the body must be empty.
    let mut c = client_sent(HEAD, true);
    let mut ff = FrameFactory::new();
    let events =
        recv_ok(&mut c, &ff.headers(1, &[(":status", "200"), ("content-length", "abc")]).bytes());
    assert_eq!(names(&events), ["ResponseReceived"]);
    let events = recv_ok(&mut c, &ff.data(1, b"", true));
    assert_eq!(
        events,
        vec![
            Event::DataReceived(DataReceived {
                stream_id: 1,
                data: Bytes::new(),
                flow_controlled_length: 0,
                stream_ended: Some(StreamEnded { stream_id: 1 }),
            }),
            Event::StreamEnded(StreamEnded { stream_id: 1 }),
        ]
    );
}

#[test]
fn head_response_with_end_stream_on_headers_and_a_content_length_is_accepted() {
    // §11.1 #87 with the END_STREAM check of docs/differences.md #9: HEAD responses have no
    // content, so content-length 1000 does not make END_STREAM on HEADERS short.
    let mut c = client_sent(HEAD, true);
    let input = FrameFactory::new()
        .headers(1, &[(":status", "200"), ("content-length", "1000")])
        .end_stream()
        .bytes();
    assert_eq!(names(&recv_ok(&mut c, &input)), ["ResponseReceived", "StreamEnded"]);
}

#[test]
fn any_data_in_a_head_response_is_an_invalid_body_length() {
    // §11.1 #87
    let mut c = client_sent(HEAD, true);
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, &[(":status", "200"), ("content-length", "1000")]).bytes());
    let err = recv_err(&mut c, &ff.data(1, b"x", true));
    assert_body_length_error(&err, 0, 1);
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn head_is_remembered_after_we_send_trailers() {
    // §11.1 #87 — documented difference (docs/differences.md #10): h2 takes the method from
    // every block it sends, so trailers after a HEAD request make it forget the HEAD.
    let mut c = client_sent(HEAD, false);
    c.send_headers(1, hdrs(&[("x-t", "1")]), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, &[(":status", "200"), ("content-length", "3")]).bytes());
    let err = recv_err(&mut c, &ff.data(1, b"abc", true));
    assert_body_length_error(&err, 0, 3);
}

#[test]
fn a_get_response_is_held_to_its_content_length() {
    // §11.1 #87 control: the HEAD rule applies to HEAD only.
    let mut c = client_sent(REQUEST, true);
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, &[(":status", "200"), ("content-length", "3")]).bytes());
    assert_eq!(names(&recv_ok(&mut c, &ff.data(1, b"abc", true))), ["DataReceived", "StreamEnded"]);
}

#[test]
fn error_types_are_distinct_for_bad_values_and_bad_lengths() {
    // §11.1 #84/#86: a malformed value is a plain ProtocolError; a body mismatch is its
    // InvalidBodyLengthError subclass. Both map to PROTOCOL_ERROR.
    let (_, _, r) = post_with_lengths(&["x"]);
    let (e, _) = r.unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::Protocol(ErrorCode::PROTOCOL_ERROR));
    let (mut s, ff, _) = post_with_lengths(&["1"]);
    let e = recv_err(&mut s, &ff.data(1, b"", true));
    assert!(matches!(e.kind(), ErrorKind::InvalidBodyLength { expected: 1, actual: 0 }));
}
