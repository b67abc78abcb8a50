//! Graceful shutdown (RFC 9113 §6.8): `send_goaway` and the `graceful_shutdown` option, which
//! let streams already under way complete after a GOAWAY — python h2 cannot do this (every
//! frame after GOAWAY is a protocol error there), so this is h2wasm's own behaviour.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::events::*;
use h2wasm::frame::Frame;
use h2wasm::{ErrorCode, H2Configuration};
use support::*;

const MAX_ID: u32 = (1 << 31) - 1;

fn goaways(frames: &[Frame]) -> Vec<(u32, ErrorCode)> {
    frames
        .iter()
        .filter_map(|f| match f {
            Frame::GoAway(g) => Some((g.last_stream_id, g.error_code)),
            _ => None,
        })
        .collect()
}

#[test]
fn send_goaway_keeps_streams_at_or_below_its_last_id_working() {
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.send_goaway(ErrorCode::NO_ERROR, None, None).unwrap();
    assert_eq!(goaways(&sent(&mut s)), [(1, ErrorCode::NO_ERROR)]);
    assert_eq!(s.goaway_sent(), Some(1));
    // The request body still arrives, and the response still goes out.
    let ev = recv_ok(&mut s, &ff.data(1, b"body", true));
    assert_eq!(names(&ev), ["DataReceived", "StreamEnded"]);
    s.send_headers(1, hdrs(RESPONSE), false, no_priority()).unwrap();
    s.send_data(1, Bytes::from_static(b"ok"), true, None).unwrap();
    let frames = sent(&mut s);
    assert!(matches!(&frames[..], [Frame::Headers(_), Frame::Data(d)] if d.end_stream));
}

#[test]
fn streams_opened_after_our_goaway_are_refused_without_an_event() {
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.send_goaway(ErrorCode::NO_ERROR, None, None).unwrap();
    s.clear_outbound_data_buffer();
    let ev = recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    assert!(ev.is_empty(), "{ev:?}");
    assert_eq!(
        sent(&mut s),
        [Frame::RstStream(h2wasm::frame::RstStream {
            stream_id: 3,
            error_code: ErrorCode::REFUSED_STREAM
        })]
    );
    // Its late DATA gets RST_STREAM(STREAM_CLOSED), not a connection error.
    assert!(recv_ok(&mut s, &ff.data(3, b"x", false)).is_empty());
    assert!(
        matches!(&sent(&mut s)[..], [Frame::RstStream(r)] if r.stream_id == 3 && r.error_code == ErrorCode::STREAM_CLOSED)
    );
}

#[test]
fn a_refused_stream_still_updates_the_hpack_state() {
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.send_goaway(ErrorCode::NO_ERROR, Some(1), None).unwrap();
    // The refused request adds `x-new: 1` to the peer's table…
    let mut req = REQUEST.to_vec();
    req.push(("x-new", "1"));
    recv_ok(&mut s, &ff.headers(3, &req).bytes());
    // …and the trailers of stream 1 refer to it: they must decode.
    let ev = recv_ok(&mut s, &ff.headers(1, &[("x-new", "1")]).end_stream().bytes());
    let Event::TrailersReceived(t) = &ev[0] else { panic!("{ev:?}") };
    assert_eq!(pairs(&t.headers), owned(&[("x-new", "1")]));
}

#[test]
fn the_double_goaway_lowers_the_last_id_and_never_raises_it() {
    let mut s = server();
    let mut ff = FrameFactory::new();
    s.send_goaway(ErrorCode::NO_ERROR, Some(MAX_ID), None).unwrap();
    // Between the two GOAWAYs the peer may still open streams.
    let ev = recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    assert_eq!(names(&ev), ["RequestReceived", "StreamEnded"]);
    s.send_goaway(ErrorCode::NO_ERROR, Some(1), None).unwrap();
    s.send_goaway(ErrorCode::NO_ERROR, Some(99), None).unwrap();
    assert_eq!(
        goaways(&sent(&mut s)),
        [(MAX_ID, ErrorCode::NO_ERROR), (1, ErrorCode::NO_ERROR), (1, ErrorCode::NO_ERROR)]
    );
    assert_eq!(s.goaway_sent(), Some(1));
}

#[test]
fn no_new_streams_after_our_goaway() {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.send_goaway(ErrorCode::NO_ERROR, None, None).unwrap();
    let err = c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.send_goaway(ErrorCode::NO_ERROR, None, None).unwrap();
    // The client enabled push, but the server may not promise new streams now.
    let err = s.push_stream(1, 2, hdrs(REQUEST)).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
}

fn graceful_client() -> h2wasm::H2Connection {
    let mut config = H2Configuration::client();
    config.graceful_shutdown = true;
    client_with(config)
}

#[test]
fn with_graceful_shutdown_a_received_goaway_lets_accepted_streams_finish() {
    let mut c = graceful_client();
    let mut ff = FrameFactory::new();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c.ping(b"12345678").unwrap();
    let ev = recv_ok(&mut c, &ff.goaway(1, ErrorCode::NO_ERROR, b""));
    assert!(matches!(&ev[..], [Event::ConnectionTerminated(t)] if t.last_stream_id == 1));
    assert_eq!(c.goaway_received(), Some(1));
    // Unlike h2, the queued PING was not thrown away…
    assert!(matches!(&sent(&mut c)[..], [Frame::Ping(_)]));
    // …and stream 1 still completes.
    let mut frames = ff.headers(1, RESPONSE).bytes();
    frames.extend(ff.data(1, b"done", true));
    let ev = recv_ok(&mut c, &frames);
    assert_eq!(names(&ev), ["ResponseReceived", "DataReceived", "StreamEnded"]);
    // No new stream may be opened.
    let err = c.send_headers(5, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_eq!(err.type_name(), "ProtocolError");
}

#[test]
fn without_graceful_shutdown_a_received_goaway_ends_everything_as_in_h2() {
    let mut c = client();
    let mut ff = FrameFactory::new();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.ping(b"12345678").unwrap();
    recv_ok(&mut c, &ff.goaway(1, ErrorCode::NO_ERROR, b""));
    assert!(c.data_to_send(None).is_empty(), "h2 clears the output buffer on GOAWAY");
    assert_eq!(c.goaway_received(), None);
    let err = recv_err(&mut c, &ff.headers(1, RESPONSE).bytes());
    assert_eq!(err.type_name(), "ProtocolError");
}

#[test]
fn send_goaway_after_close_connection_queues_another_goaway() {
    let mut s = server();
    s.close_connection(ErrorCode::PROTOCOL_ERROR, None, None).unwrap();
    s.send_goaway(ErrorCode::NO_ERROR, Some(0), None).unwrap();
    assert_eq!(goaways(&sent(&mut s)), [(0, ErrorCode::PROTOCOL_ERROR), (0, ErrorCode::NO_ERROR)]);
}
