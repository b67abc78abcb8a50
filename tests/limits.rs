//! Limits the engine enforces on the peer, and how it answers when one is reached
//! (`Limits`, `H2Configuration::refuse_excess_streams`).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use h2wasm::frame::{self, Frame};
use h2wasm::{ErrorCode, H2Configuration, H2Connection};
use support::*;

/// A server allowing `max` concurrent streams, configured to refuse the excess ones.
fn refusing_server(max: u32) -> H2Connection {
    let mut config = H2Configuration::server();
    config.refuse_excess_streams = true;
    config.limits.max_concurrent_streams = max;
    server_with(config)
}

#[test]
fn refuse_excess_streams_answers_rst_stream_refused_and_keeps_the_connection() {
    let mut s = refusing_server(1);
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.clear_outbound_data_buffer();
    let events = recv_ok(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert!(events.is_empty(), "{events:?}");
    let frames = sent(&mut s);
    assert_eq!(
        frames,
        vec![Frame::RstStream(frame::RstStream {
            stream_id: 3,
            error_code: ErrorCode::REFUSED_STREAM
        })]
    );
    // HPACK stayed in step and the connection works: a later stream is served once 1 ends.
    recv_ok(&mut s, &ff.data(1, b"x", true));
    s.send_headers(1, hdrs(&[(":status", "200")]), true, no_priority()).unwrap();
    let events = recv_ok(&mut s, &ff.headers(5, REQUEST).end_stream().bytes());
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
    // DATA the peer had in flight on the refused stream is answered, not fatal.
    recv_ok(&mut s, &ff.data(3, b"late", false));
}

#[test]
fn excess_streams_without_the_option_are_a_connection_error() {
    let mut config = H2Configuration::server();
    config.limits.max_concurrent_streams = 1;
    let mut s = server_with(config);
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let err = recv_err(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    assert_eq!(err.type_name(), "TooManyStreamsError");
}
