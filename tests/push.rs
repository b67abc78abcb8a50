//! Server push (RFC 9113 §8.4): sending PUSH_PROMISE and answering the promised stream,
//! every reason `push_stream` refuses, receiving promises and their responses, and every
//! reason a received PUSH_PROMISE is refused (h2-behaviour §1 `push_stream`, §6.2, §6.3;
//! §11.1 scenarios 121–128).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod peer_view;
mod support;

use bytes::Bytes;
use h2wasm::connection::StreamState;
use h2wasm::events::*;
use h2wasm::frame::{flags, kind, Frame};
use h2wasm::{ErrorCode, ErrorKind, H2Configuration, H2Connection, Setting, SettingCode};
use peer_view::*;
use support::*;

/// The promised request.
const PUSHED: &[(&str, &str)] = &[
    (":method", "GET"),
    (":path", "/style.css"),
    (":scheme", "https"),
    (":authority", "example.com"),
];

/// A server that received a complete GET on stream 1 (the client allows push by default).
fn server_with_get() -> H2Connection {
    let mut s = server();
    recv_ok(&mut s, &FrameFactory::new().headers(1, REQUEST).end_stream().bytes());
    s.clear_outbound_data_buffer();
    s
}

/// A client that sent a GET on stream 1 with END_STREAM, and the factory playing the server.
fn client_with_get() -> (H2Connection, FrameFactory) {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    (c, FrameFactory::new())
}

fn assert_goaway(conn: &mut H2Connection, code: ErrorCode, last_stream_id: u32) {
    let frames = sent(conn);
    let [Frame::GoAway(g)] = &frames[..] else { panic!("expected one GOAWAY, got {frames:?}") };
    assert_eq!((g.error_code, g.last_stream_id), (code, last_stream_id));
}

fn pushed_event(parent: u32, promised: u32) -> Event {
    Event::PushedStreamReceived(PushedStreamReceived {
        pushed_stream_id: promised,
        parent_stream_id: parent,
        headers: hdrs(PUSHED),
    })
}

// ---- sending -------------------------------------------------------------------------------

#[test]
fn push_sends_push_promise_on_the_parent_and_reserves_the_promised_stream() {
    // §11.1 #121
    let mut s = server_with_get();
    let mut view = PeerView::new();
    s.push_stream(1, 2, hdrs(PUSHED)).unwrap();
    let items = view.read(&mut s);
    assert_eq!(items.len(), 1);
    let promise = items[0].block();
    assert_eq!(promise.kind, kind::PUSH_PROMISE);
    assert_eq!((promise.stream_id, promise.promised), (1, Some(2)));
    assert_eq!(promise.pairs(), owned(PUSHED));
    assert_eq!(promise.heads[0].flags, flags::END_HEADERS);
    assert_eq!(s.stream_state(2), Some(StreamState::ReservedLocal));
    assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote), "the parent is untouched");
    assert_eq!(s.highest_outbound_stream_id(), 2);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 4);
}

#[test]
fn the_promised_stream_is_answered_with_send_headers_and_data() {
    // §11.1 #121: RESERVED_LOCAL → HALF_CLOSED_REMOTE on the response, CLOSED at its end.
    let mut s = server_with_get();
    let mut view = PeerView::new();
    s.push_stream(1, 2, hdrs(PUSHED)).unwrap();
    s.send_headers(
        2,
        hdrs(&[(":status", "200"), ("content-type", "text/css")]),
        false,
        no_priority(),
    )
    .unwrap();
    assert_eq!(s.stream_state(2), Some(StreamState::HalfClosedRemote));
    s.send_data(2, Bytes::from_static(b"body{}"), true, None).unwrap();
    assert_eq!(s.stream_state(2), Some(StreamState::Closed));
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    let items = view.read(&mut s);
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].block().kind, kind::PUSH_PROMISE);
    let response = items[1].block();
    assert_eq!((response.kind, response.stream_id, response.end_stream), (kind::HEADERS, 2, false));
    assert_eq!(response.pairs(), owned(&[(":status", "200"), ("content-type", "text/css")]));
    let Item::Frame(Frame::Data(d)) = &items[2] else { panic!("{:?}", items[2]) };
    assert_eq!((d.stream_id, d.data.as_ref(), d.end_stream), (2, &b"body{}"[..], true));
    assert_eq!(items[3].block().stream_id, 1);
}

#[test]
fn push_is_allowed_on_an_open_parent() {
    // §11.1 #121: the parent may still be receiving its request body.
    let mut s = server();
    recv_ok(&mut s, &FrameFactory::new().headers(1, REQUEST).bytes());
    s.clear_outbound_data_buffer();
    s.push_stream(1, 2, hdrs(PUSHED)).unwrap();
    assert_eq!(s.stream_state(1), Some(StreamState::Open));
    assert_eq!(s.stream_state(2), Some(StreamState::ReservedLocal));
}

#[test]
fn pushed_request_headers_are_normalised_like_any_block() {
    // §11.1 #121 with §7.2: the promised request goes through outbound normalisation.
    let mut s = server_with_get();
    let mut view = PeerView::new();
    let mut promised = hdrs(PUSHED);
    promised.extend(hdrs(&[("Accept", " text/css "), ("connection", "close")]));
    s.push_stream(1, 2, promised).unwrap();
    let mut want = owned(PUSHED);
    want.push(("accept".into(), "text/css".into()));
    assert_eq!(view.blocks(&mut s)[0].pairs(), want);
}

#[test]
fn push_is_refused_when_the_peer_disabled_it() {
    // §11.1 #122: nothing is created or sent.
    let mut s = server_with_get();
    recv_ok(&mut s, &FrameFactory::new().settings(&[(0x2, 0)]));
    s.clear_outbound_data_buffer();
    let err = s.push_stream(1, 2, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.stream_state(2), None);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 2);
}

#[test]
fn push_is_refused_for_a_client() {
    // §11.1 #122: a server's ENABLE_PUSH is always 0 as seen by the client.
    let (mut c, _) = client_with_get();
    let err = c.push_stream(1, 2, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(c.outbound_buffered(), 0);
    assert_eq!(c.stream_state(2), None);
}

#[test]
fn push_on_a_pushed_stream_is_refused() {
    // §11.1 #122: the parent must be a client-initiated (odd) stream; refused before the
    // promised stream is created.
    let mut s = server_with_get();
    s.push_stream(1, 2, hdrs(PUSHED)).unwrap();
    s.clear_outbound_data_buffer();
    let err = s.push_stream(2, 4, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.stream_state(4), None);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 4);
}

#[test]
fn push_on_a_closed_parent_is_refused_and_leaves_an_idle_promised_stream() {
    // §11.1 #122: the promised stream is created before the parent is checked, so — as in
    // h2 — it stays behind, idle, and its id is used up.
    let mut s = server_with_get();
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(1), Some(StreamState::Closed));
    let err = s.push_stream(1, 2, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.stream_state(2), Some(StreamState::Idle));
    assert_eq!(s.highest_outbound_stream_id(), 2);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 4);
}

#[test]
fn push_on_a_forgotten_parent_is_a_stream_closed_error() {
    // §11.1 #122: once the closed parent was cleaned up (another stream opened), the lookup
    // fails first, with StreamClosedError, and no promised stream is created.
    let mut s = server_with_get();
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    let mut ff = FrameFactory::new();
    ff.block(REQUEST);
    recv_ok(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert_eq!(s.stream_state(1), None);
    s.clear_outbound_data_buffer();
    let err = s.push_stream(1, 2, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "StreamClosedError");
    assert_eq!(err.error_code(), Some(ErrorCode::STREAM_CLOSED));
    assert_eq!(s.stream_state(2), None);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 2);
}

#[test]
fn push_with_an_invalid_request_is_refused_and_leaves_an_idle_promised_stream() {
    // §11.1 #122/#128 (send side): the promised request is validated as a request.
    let mut s = server_with_get();
    let no_method: Vec<_> = hdrs(PUSHED).into_iter().skip(1).collect();
    let err = s.push_stream(1, 2, no_method).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.stream_state(2), Some(StreamState::Idle));
    assert_eq!(s.get_next_available_stream_id().unwrap(), 4);
    // The next push works, on the next id.
    s.push_stream(1, 4, hdrs(PUSHED)).unwrap();
    assert_eq!(s.stream_state(4), Some(StreamState::ReservedLocal));
}

#[test]
fn push_with_a_bad_promised_stream_id_is_refused() {
    // §11.1 #122: the promised id must be even and above every id we used.
    let mut s = server_with_get();
    s.push_stream(1, 4, hdrs(PUSHED)).unwrap();
    s.clear_outbound_data_buffer();
    let err = s.push_stream(1, 2, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "StreamIDTooLowError");
    assert_eq!(err.kind(), &ErrorKind::StreamIdTooLow { stream_id: 2, max_stream_id: 4 });
    let err = s.push_stream(1, 7, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 6);
}

#[test]
fn push_with_a_promised_id_above_2_31_is_refused() {
    // §11.1 #122 — documented difference (docs/differences.md #13): h2 accepts any id and
    // masks it on the wire; h2wasm refuses ids above 2³¹−1 before creating anything.
    let mut s = server_with_get();
    let err = s.push_stream(1, 1 << 31, hdrs(PUSHED)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(s.outbound_buffered(), 0);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 2);
}

#[test]
fn pushed_streams_do_not_count_against_the_peer_concurrency_limit() {
    // Pushes are never checked against the client's SETTINGS_MAX_CONCURRENT_STREAMS, even once
    // answered (h2 behaviour).
    let mut s = server_with_get();
    recv_ok(&mut s, &FrameFactory::new().settings(&[(0x3, 1)]));
    s.clear_outbound_data_buffer();
    for id in [2, 4, 6] {
        s.push_stream(1, id, hdrs(PUSHED)).unwrap();
    }
    assert_eq!(s.open_outbound_streams(), 0, "reserved streams are not open");
    for id in [2, 4, 6] {
        s.send_headers(id, hdrs(RESPONSE), false, no_priority()).unwrap();
    }
    assert_eq!(s.open_outbound_streams(), 3);
    // A stream the server opens itself is checked.
    let err = s.send_headers(8, hdrs(REQUEST), false, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "TooManyStreamsError");
}

// ---- receiving -------------------------------------------------------------------------------

#[test]
fn client_receives_a_push_promise_and_then_the_pushed_response() {
    // §11.1 #123
    let (mut c, mut ff) = client_with_get();
    let events = recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED));
    assert_eq!(events, vec![pushed_event(1, 2)]);
    assert_eq!(c.stream_state(2), Some(StreamState::ReservedRemote));
    assert!(sent(&mut c).is_empty());

    let events = recv_ok(&mut c, &ff.headers(2, RESPONSE).bytes());
    assert_eq!(
        events,
        vec![Event::ResponseReceived(ResponseReceived {
            stream_id: 2,
            headers: hdrs(RESPONSE),
            stream_ended: None,
            priority_updated: None,
        })]
    );
    assert_eq!(c.stream_state(2), Some(StreamState::HalfClosedLocal));
    let events = recv_ok(&mut c, &ff.data(2, b"body{}", true));
    assert_eq!(names(&events), ["DataReceived", "StreamEnded"]);
    assert_eq!(c.stream_state(2), Some(StreamState::Closed));
    assert_eq!(c.highest_inbound_stream_id(), 2);
}

#[test]
fn the_reserved_bit_of_a_promised_stream_id_is_ignored() {
    // §11.1 #123 — documented difference (docs/differences.md #14): the promised id
    // 0x8000_0002 is stream 2 (h2 takes it as 2,147,483,650).
    let (mut c, mut ff) = client_with_get();
    let mut payload = 0x8000_0002u32.to_be_bytes().to_vec();
    payload.extend(ff.block(PUSHED));
    let events = recv_ok(&mut c, &ff.raw(kind::PUSH_PROMISE, flags::END_HEADERS, 1, &payload));
    assert_eq!(events, vec![pushed_event(1, 2)]);
    assert_eq!(c.stream_state(2), Some(StreamState::ReservedRemote));
    assert_eq!(names(&recv_ok(&mut c, &ff.headers(2, RESPONSE).bytes())), ["ResponseReceived"]);
}

#[test]
fn a_push_promise_may_arrive_after_the_parent_response_started() {
    // §11.1 #123: the parent is half-closed (local) and still open for the response body.
    let (mut c, mut ff) = client_with_get();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).bytes());
    assert_eq!(recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED)), vec![pushed_event(1, 2)]);
    assert_eq!(recv_ok(&mut c, &ff.push_promise(1, 4, PUSHED)), vec![pushed_event(1, 4)]);
}

#[test]
fn push_promise_with_an_odd_or_zero_promised_id_is_a_connection_error() {
    // §11.1 #124
    for promised in [3u32, 0] {
        let (mut c, mut ff) = client_with_get();
        let mut payload = promised.to_be_bytes().to_vec();
        payload.extend(ff.block(PUSHED));
        let err = recv_err(&mut c, &ff.raw(kind::PUSH_PROMISE, flags::END_HEADERS, 1, &payload));
        assert_eq!(err.type_name(), "ProtocolError", "promised {promised}");
        assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
    }
}

#[test]
fn push_promise_reusing_a_closed_pushed_stream_is_stream_closed() {
    // §11.1 #124: the first pushed stream 2 ended; promising 2 again is a connection error
    // STREAM_CLOSED.
    let (mut c, mut ff) = client_with_get();
    recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED));
    recv_ok(&mut c, &ff.headers(2, RESPONSE).end_stream().bytes());
    let err = recv_err(&mut c, &ff.push_promise(1, 2, PUSHED));
    assert_eq!(err.type_name(), "StreamClosedError");
    assert_goaway(&mut c, ErrorCode::STREAM_CLOSED, 2);
}

#[test]
fn push_promise_reusing_a_reserved_or_lower_id_is_stream_id_too_low() {
    // §11.1 #124: a promised id not above the highest inbound id that did not end cleanly is
    // a connection error PROTOCOL_ERROR.
    let (mut c, mut ff) = client_with_get();
    recv_ok(&mut c, &ff.push_promise(1, 4, PUSHED));
    let err = recv_err(&mut c, &ff.push_promise(1, 4, PUSHED));
    assert_eq!(err.type_name(), "StreamIDTooLowError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 4);

    let (mut c, mut ff) = client_with_get();
    recv_ok(&mut c, &ff.push_promise(1, 4, PUSHED));
    let err = recv_err(&mut c, &ff.push_promise(1, 2, PUSHED));
    assert_eq!(err.kind(), &ErrorKind::StreamIdTooLow { stream_id: 2, max_stream_id: 4 });
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 4);
}

#[test]
fn push_promise_after_we_disabled_push_is_accepted_until_the_ack() {
    // §11.1 #125: our ENABLE_PUSH=0 takes effect when acknowledged.
    let (mut c, mut ff) = client_with_get();
    c.update_settings(&[Setting::new(SettingCode::ENABLE_PUSH, 0)]).unwrap();
    c.clear_outbound_data_buffer();
    assert_eq!(recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED)), vec![pushed_event(1, 2)]);
    recv_ok(&mut c, &ff.settings_ack());
    let err = recv_err(&mut c, &ff.push_promise(1, 4, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 2);
    assert_eq!(c.stream_state(4), None);
}

#[test]
fn push_promise_is_refused_when_push_was_disabled_from_the_start() {
    // §11.1 #125 with `enable_push: Some(false)`: the initial SETTINGS already said 0.
    let config = H2Configuration { enable_push: Some(false), ..client_config() };
    let mut c = client_with(config);
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let err = recv_err(&mut c, &FrameFactory::new().push_promise(1, 2, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn push_promise_received_by_a_server_is_a_connection_error() {
    // §11.1 #125: a server's own ENABLE_PUSH is 0.
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let err = recv_err(&mut s, &ff.push_promise(1, 2, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut s, ErrorCode::PROTOCOL_ERROR, 1);
}

#[test]
fn push_promise_on_a_parent_we_reset_is_refused_with_refused_stream() {
    // §11.1 #126: RST_STREAM(promised, REFUSED_STREAM), no event, no stream — and the block
    // was decoded, so the next promise (whose block refers to the first one's table entries)
    // still decodes.
    let (mut c, mut ff) = client_with_get();
    c.reset_stream(1, ErrorCode::CANCEL).unwrap();
    c.clear_outbound_data_buffer();
    assert!(recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED)).is_empty());
    let frames = sent(&mut c);
    let [Frame::RstStream(r)] = &frames[..] else { panic!("{frames:?}") };
    assert_eq!((r.stream_id, r.error_code), (2, ErrorCode::REFUSED_STREAM));
    assert_eq!(c.stream_state(2), None);

    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let second = ff.push_promise(3, 4, PUSHED);
    assert!(second.len() < 9 + 4 + 8, "the second block is mostly table references");
    assert_eq!(recv_ok(&mut c, &second), vec![pushed_event(3, 4)]);
}

#[test]
fn push_promise_on_a_forgotten_parent_we_reset_is_refused_with_refused_stream() {
    // §11.1 #126 after the reset parent moved to the closed-stream memory.
    let (mut c, mut ff) = client_with_get();
    c.reset_stream(1, ErrorCode::CANCEL).unwrap();
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.stream_state(1), None);
    c.clear_outbound_data_buffer();
    assert!(recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED)).is_empty());
    assert!(matches!(
        &sent(&mut c)[..],
        [Frame::RstStream(r)] if r.stream_id == 2 && r.error_code == ErrorCode::REFUSED_STREAM
    ));
}

#[test]
fn push_promise_on_a_parent_the_peer_reset_is_a_connection_error() {
    // §11.1 #126: only our own reset excuses a promise in flight.
    let (mut c, mut ff) = client_with_get();
    let events = recv_ok(&mut c, &ff.rst(1, ErrorCode::CANCEL));
    assert_eq!(names(&events), ["StreamReset"]);
    let err = recv_err(&mut c, &ff.push_promise(1, 2, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn push_promise_on_a_half_closed_remote_parent_is_refused_and_closes_the_parent() {
    // §6.2 (h2 behaviour): the server already ended the parent; the promise is refused with
    // RST_STREAM(promised, REFUSED_STREAM) only, and the parent is closed silently — no RST
    // for it, no event.
    let mut c = client();
    c.send_headers(1, hdrs(POST_REQUEST), false, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let mut ff = FrameFactory::new();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    assert_eq!(c.stream_state(1), Some(StreamState::HalfClosedRemote));
    assert!(recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED)).is_empty());
    let frames = sent(&mut c);
    let [Frame::RstStream(r)] = &frames[..] else { panic!("{frames:?}") };
    assert_eq!((r.stream_id, r.error_code), (2, ErrorCode::REFUSED_STREAM));
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
    let err = c.send_data(1, Bytes::from_static(b"x"), false, None).unwrap_err();
    assert_eq!(err.type_name(), "StreamClosedError");
}

const POST_REQUEST: &[(&str, &str)] =
    &[(":method", "POST"), (":path", "/"), (":scheme", "https"), (":authority", "example.com")];

#[test]
fn push_promise_on_a_pushed_stream_is_a_connection_error() {
    // §11.1 #127
    let (mut c, mut ff) = client_with_get();
    recv_ok(&mut c, &ff.push_promise(1, 2, PUSHED));
    recv_ok(&mut c, &ff.headers(2, RESPONSE).bytes());
    let err = recv_err(&mut c, &ff.push_promise(2, 4, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 2);
    assert_eq!(c.stream_state(4), None);
}

#[test]
fn push_promise_on_a_naturally_closed_parent_is_a_connection_error() {
    // §11.1 #127: both sides ended stream 1, in the live map and after clean-up.
    let (mut c, mut ff) = client_with_get();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
    let err = recv_err(&mut c, &ff.push_promise(1, 2, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);

    let (mut c, mut ff) = client_with_get();
    recv_ok(&mut c, &ff.headers(1, RESPONSE).end_stream().bytes());
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    assert_eq!(c.stream_state(1), None);
    c.clear_outbound_data_buffer();
    let err = recv_err(&mut c, &ff.push_promise(1, 2, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
}

#[test]
fn push_promise_on_an_idle_parent_is_a_connection_error() {
    // §11.1 #127: stream 3 was never opened.
    let (mut c, mut ff) = client_with_get();
    let err = recv_err(&mut c, &ff.push_promise(3, 2, PUSHED));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
    assert_eq!(c.stream_state(2), None);
}

#[test]
fn pushed_request_headers_are_validated_as_a_request() {
    // §11.1 #128: the promise is refused before the pushed stream is created.
    let cases: [(&str, Vec<(&str, &str)>); 4] = [
        ("no :method", PUSHED[1..].to_vec()),
        ("with :status", [PUSHED, &[(":status", "200")]].concat()),
        ("no :authority or host", PUSHED[..3].to_vec()),
        ("uppercase name", [PUSHED, &[("X-Upper", "1")]].concat()),
    ];
    for (case, fields) in cases {
        let (mut c, mut ff) = client_with_get();
        let err = recv_err(&mut c, &ff.push_promise(1, 2, &fields));
        assert_eq!(err.type_name(), "ProtocolError", "{case}");
        assert_goaway(&mut c, ErrorCode::PROTOCOL_ERROR, 0);
        assert_eq!(c.stream_state(2), None, "{case}");
    }
}

#[test]
fn pushed_streams_are_not_checked_against_our_concurrency_limit() {
    // Receiving promises and their responses never hits our SETTINGS_MAX_CONCURRENT_STREAMS.
    let mut config = client_config();
    config.limits.max_concurrent_streams = 1;
    let mut c = client_with(config);
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let mut ff = FrameFactory::new();
    for id in [2, 4, 6] {
        recv_ok(&mut c, &ff.push_promise(1, id, PUSHED));
    }
    for id in [2, 4, 6] {
        assert_eq!(
            names(&recv_ok(&mut c, &ff.headers(id, RESPONSE).bytes())),
            ["ResponseReceived"]
        );
    }
    assert_eq!(c.open_inbound_streams(), 3);
}

// ---- end to end ----------------------------------------------------------------------------------

#[test]
fn push_travels_end_to_end_with_its_response_and_body() {
    // §11.1 #121 + #123 over a client–server pair.
    let mut p = Pair::new();
    p.client.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    p.run();
    assert_eq!(names(&p.take_server_events()), ["RequestReceived", "StreamEnded"]);

    let promised = p.server.get_next_available_stream_id().unwrap();
    assert_eq!(promised, 2);
    p.server.push_stream(1, promised, hdrs(PUSHED)).unwrap();
    p.server.send_headers(1, hdrs(RESPONSE), false, no_priority()).unwrap();
    p.server
        .send_headers(
            2,
            hdrs(&[(":status", "200"), ("content-type", "text/css")]),
            false,
            no_priority(),
        )
        .unwrap();
    p.server.send_data(2, Bytes::from_static(b"body{color:red}"), true, None).unwrap();
    p.server.send_data(1, Bytes::from_static(b"<html>"), true, None).unwrap();
    p.run();

    let ev = p.take_client_events();
    assert_eq!(
        names(&ev),
        [
            "PushedStreamReceived",
            "ResponseReceived",
            "ResponseReceived",
            "DataReceived",
            "StreamEnded",
            "DataReceived",
            "StreamEnded"
        ]
    );
    assert_eq!(ev[0], pushed_event(1, 2));
    let Event::ResponseReceived(r) = &ev[2] else { unreachable!() };
    assert_eq!(r.stream_id, 2);
    assert_eq!(r.headers, hdrs(&[(":status", "200"), ("content-type", "text/css")]));
    let Event::DataReceived(d) = &ev[3] else { unreachable!() };
    assert_eq!((d.stream_id, d.data.as_ref()), (2, &b"body{color:red}"[..]));
    assert_eq!(ev[4], Event::StreamEnded(StreamEnded { stream_id: 2 }));
    let Event::DataReceived(d) = &ev[5] else { unreachable!() };
    assert_eq!((d.stream_id, d.data.as_ref()), (1, &b"<html>"[..]));
    assert_eq!(p.client.stream_state(2), Some(StreamState::Closed));
    assert_eq!(p.server.stream_state(2), Some(StreamState::Closed));
    assert!(p.take_server_events().is_empty());
}

#[test]
fn a_client_can_refuse_a_push_by_resetting_the_promised_stream() {
    // §11.1 #123: the client cancels the reserved stream; the server sees the reset and can
    // no longer answer the promise.
    let mut p = Pair::new();
    p.client.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    p.run();
    p.take_server_events();
    p.server.push_stream(1, 2, hdrs(PUSHED)).unwrap();
    p.run();
    assert_eq!(names(&p.take_client_events()), ["PushedStreamReceived"]);
    p.client.reset_stream(2, ErrorCode::CANCEL).unwrap();
    p.run();
    let ev = p.take_server_events();
    assert_eq!(
        ev,
        vec![Event::StreamReset(StreamReset {
            stream_id: 2,
            error_code: ErrorCode::CANCEL,
            remote_reset: true
        })]
    );
    assert_eq!(p.server.stream_state(2), Some(StreamState::Closed));
    let err = p.server.send_headers(2, hdrs(RESPONSE), false, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "StreamClosedError");
}
