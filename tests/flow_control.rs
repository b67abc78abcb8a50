//! Flow control through the connection: send and receive windows, SETTINGS-driven shifts,
//! WINDOW_UPDATE handling, and the automatic WINDOW_UPDATE batching of
//! `acknowledge_received_data` (h2-behaviour §8; §11.1 scenarios 88–105).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::events::*;
use h2wasm::frame::{self, Frame};
use h2wasm::{ErrorCode, H2Result, Setting, SettingCode};
use support::*;

const MAX_WINDOW: u32 = (1 << 31) - 1;

/// A client with stream 1 open (request sent without END_STREAM), output drained.
fn client_with_stream() -> h2wasm::H2Connection {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), false, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c
}

/// A server on which the peer opened stream 1 (no END_STREAM), output drained, with the
/// peer's frame factory (its HPACK state belongs to this connection).
fn server_with_stream() -> (h2wasm::H2Connection, FrameFactory) {
    let mut ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    (s, ff)
}

/// `n` octets of DATA on `stream_id` in frames of at most 16,384 octets.
fn data_frames(ff: &FrameFactory, stream_id: u32, mut n: usize, end_stream: bool) -> Vec<u8> {
    let mut out = Vec::new();
    while n > 16_384 {
        out.extend(ff.data(stream_id, &[b'x'; 16_384], false));
        n -= 16_384;
    }
    out.extend(ff.data(stream_id, &vec![b'x'; n], end_stream));
    out
}

fn window_updates(frames: &[Frame]) -> Vec<(u32, u32)> {
    frames
        .iter()
        .map(|f| match f {
            Frame::WindowUpdate(w) => (w.stream_id, w.increment),
            other => panic!("expected WINDOW_UPDATE, got {other:?}"),
        })
        .collect()
}

fn data_sizes(frames: &[Frame]) -> Vec<(usize, Option<u8>, bool)> {
    frames
        .iter()
        .map(|f| match f {
            Frame::Data(d) => (d.data.len(), d.pad_len, d.end_stream),
            other => panic!("expected DATA, got {other:?}"),
        })
        .collect()
}

fn kind_of<T>(r: H2Result<T>) -> (&'static str, Option<ErrorCode>) {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.type_name(), e.error_code()),
    }
}

// ---- send side ----------------------------------------------------------------------

// §11.1 #88
#[test]
fn default_windows_are_65535_and_local_window_is_the_smaller_of_both() {
    let mut c = client_with_stream();
    assert_eq!(c.outbound_flow_control_window(), 65_535);
    assert_eq!(c.inbound_flow_control_window(), 65_535);
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535);
    assert_eq!(c.remote_flow_control_window(1).unwrap(), 65_535);

    let ff = FrameFactory::new();
    // The stream window grows, the connection window does not: the connection limits.
    recv_ok(&mut c, &ff.window_update(1, 1_000));
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535);
    // Now the connection window is larger: the stream limits.
    recv_ok(&mut c, &ff.window_update(0, 5_000));
    assert_eq!(c.outbound_flow_control_window(), 70_535);
    assert_eq!(c.local_flow_control_window(1).unwrap(), 66_535);
}

// §11.1 #88
#[test]
fn window_queries_on_unknown_streams_fail() {
    let c = client_with_stream();
    assert_eq!(
        kind_of(c.local_flow_control_window(3)),
        ("NoSuchStreamError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert_eq!(kind_of(c.remote_flow_control_window(3)).0, "NoSuchStreamError");
}

// §11.1 #89
#[test]
fn sending_reduces_both_windows_and_padding_counts_pad_length_plus_one() {
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![0; 1_000]), false, None).unwrap();
    assert_eq!(c.local_flow_control_window(1).unwrap(), 64_535);
    assert_eq!(c.outbound_flow_control_window(), 64_535);

    c.send_data(1, Bytes::from(vec![0; 100]), false, Some(10)).unwrap();
    assert_eq!(c.local_flow_control_window(1).unwrap(), 64_535 - 111);
    assert_eq!(c.outbound_flow_control_window(), 64_535 - 111);
    assert_eq!(data_sizes(&sent(&mut c)), [(1_000, None, false), (100, Some(10), false)]);

    // A second stream has its own window but shares the connection's.
    c.send_headers(3, hdrs(REQUEST), false, no_priority()).unwrap();
    assert_eq!(c.local_flow_control_window(3).unwrap(), 64_535 - 111);
    recv_ok(&mut c, &FrameFactory::new().window_update(0, 10_000));
    assert_eq!(c.local_flow_control_window(3).unwrap(), 65_535);
}

// §11.1 #90
#[test]
fn send_data_above_the_window_is_a_flow_control_error_and_sends_nothing() {
    let mut c = client_with_stream();
    let err = c.send_data(1, Bytes::from(vec![0; 65_536]), false, None).unwrap_err();
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("FlowControlError", Some(ErrorCode::FLOW_CONTROL_ERROR))
    );
    assert!(c.data_to_send(None).is_empty());
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535);
    // Padding counts: 65,535 octets of data plus a Pad Length octet do not fit.
    let err = c.send_data(1, Bytes::from(vec![0; 65_535]), false, Some(0)).unwrap_err();
    assert_eq!(err.type_name(), "FlowControlError");
    // The stream is still usable.
    c.send_data(1, Bytes::from(vec![0; 65_535]), true, None).unwrap();
    assert_eq!(c.local_flow_control_window(1).unwrap(), 0);
}

/// Documented difference (docs/differences.md #11): h2 raises FrameTooLargeError for data
/// above the peer's SETTINGS_MAX_FRAME_SIZE; h2wasm splits it into several DATA frames,
/// END_STREAM on the last.
// §11.1 #90
#[test]
fn send_data_above_max_frame_size_is_split_with_end_stream_on_the_last_frame() {
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![7; 65_535]), true, None).unwrap();
    let frames = sent(&mut c);
    assert_eq!(
        data_sizes(&frames),
        [(16_384, None, false), (16_384, None, false), (16_384, None, false), (16_383, None, true)]
    );
    assert!(frames.iter().all(|f| f.stream_id() == 1));
    assert_eq!(c.local_flow_control_window(1).unwrap(), 0);
    assert_eq!(c.outbound_flow_control_window(), 0);
}

/// Documented difference (docs/differences.md #11): the split keeps the padding on the last
/// frame, within the frame size.
// §11.1 #90
#[test]
fn split_data_carries_the_padding_on_the_last_frame() {
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![7; 20_000]), false, Some(200)).unwrap();
    assert_eq!(data_sizes(&sent(&mut c)), [(16_384, None, false), (3_616, Some(200), false)]);
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535 - 20_201);
}

/// Documented difference (docs/differences.md #11): the window check applies to the whole
/// amount even though it would be sent as several frames.
// §11.1 #90
#[test]
fn split_data_must_fit_the_window_as_a_whole() {
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![0; 20_000]), false, None).unwrap();
    c.clear_outbound_data_buffer();
    let err = c.send_data(1, Bytes::from(vec![0; 45_536]), false, None).unwrap_err();
    assert_eq!(err.type_name(), "FlowControlError");
    assert!(c.data_to_send(None).is_empty(), "no partial frames");
    assert_eq!(c.local_flow_control_window(1).unwrap(), 45_535);
}

// §11.1 #91
#[test]
fn pad_length_zero_and_255_go_on_the_wire() {
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from_static(b"abc"), false, Some(0)).unwrap();
    let out = c.data_to_send(None);
    // PADDED flag, Pad Length 0, then the data.
    assert_eq!(&out[..], &[0, 0, 4, 0, 0x8, 0, 0, 0, 1, 0, b'a', b'b', b'c']);
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535 - 4);

    c.send_data(1, Bytes::from_static(b"abc"), true, Some(255)).unwrap();
    let out = c.data_to_send(None);
    assert_eq!(&out[..10], &[0, 1, 3, 0, 0x9, 0, 0, 0, 1, 255]);
    assert_eq!(&out[10..13], b"abc");
    assert!(out[13..].iter().all(|&b| b == 0));
    assert_eq!(out.len(), 9 + 1 + 3 + 255);
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535 - 4 - 259);
}

/// Sets up a client whose stream-1 send window is negative: 5,000 octets sent, then the
/// server lowers SETTINGS_INITIAL_WINDOW_SIZE to 1,000.
fn client_with_negative_window() -> h2wasm::H2Connection {
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![0; 5_000]), false, None).unwrap();
    c.clear_outbound_data_buffer();
    let ff = FrameFactory::new();
    recv_ok(&mut c, &ff.settings(&[(4, 1_000)]));
    c.clear_outbound_data_buffer();
    c
}

// §11.1 #92
#[test]
fn zero_length_data_is_allowed_with_a_negative_window() {
    let mut c = client_with_negative_window();
    assert_eq!(c.local_flow_control_window(1).unwrap(), -4_000);
    let err = c.send_data(1, Bytes::from_static(b"x"), false, None).unwrap_err();
    assert_eq!(err.type_name(), "FlowControlError");
    // A padded empty frame still costs one octet.
    let err = c.send_data(1, Bytes::new(), false, Some(0)).unwrap_err();
    assert_eq!(err.type_name(), "FlowControlError");
    c.send_data(1, Bytes::new(), true, None).unwrap();
    assert_eq!(data_sizes(&sent(&mut c)), [(0, None, true)]);
    assert_eq!(c.local_flow_control_window(1).unwrap(), -4_000);
}

// §11.1 #93
#[test]
fn remote_initial_window_size_shifts_stream_send_windows_but_not_the_connection() {
    let mut c = client_with_negative_window();
    // 65,535 − 5,000 + (1,000 − 65,535)
    assert_eq!(c.local_flow_control_window(1).unwrap(), -4_000);
    assert_eq!(c.outbound_flow_control_window(), 60_535);
    // New streams start at the new initial size.
    c.send_headers(3, hdrs(REQUEST), false, no_priority()).unwrap();
    assert_eq!(c.local_flow_control_window(3).unwrap(), 1_000);
    // Raising it again shifts both streams up by the delta.
    let ff = FrameFactory::new();
    recv_ok(&mut c, &ff.settings(&[(4, 11_000)]));
    assert_eq!(c.local_flow_control_window(1).unwrap(), 6_000);
    assert_eq!(c.local_flow_control_window(3).unwrap(), 11_000);
    assert_eq!(c.outbound_flow_control_window(), 60_535);
}

// §11.1 #93
#[test]
fn remote_initial_window_size_overflowing_a_stream_window_is_a_connection_error() {
    let mut c = client_with_stream();
    let ff = FrameFactory::new();
    recv_ok(&mut c, &ff.window_update(1, MAX_WINDOW - 65_535));
    let err = recv_err(&mut c, &ff.settings(&[(4, 65_536)]));
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("FlowControlError", Some(ErrorCode::FLOW_CONTROL_ERROR))
    );
    assert_eq!(expect_goaway(&mut c, ErrorCode::FLOW_CONTROL_ERROR), 0);
}

// §11.1 #94
#[test]
fn local_initial_window_size_applies_to_stream_receive_windows_after_the_ack() {
    let (mut s, mut ff) = server_with_stream();
    s.update_settings(&[Setting::new(SettingCode::INITIAL_WINDOW_SIZE, 1_000)]).unwrap();
    s.clear_outbound_data_buffer();
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 65_535, "not before the ACK");

    recv_ok(&mut s, &ff.settings_ack());
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 1_000);
    assert_eq!(s.inbound_flow_control_window(), 65_535, "connection window unchanged");
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    assert_eq!(s.remote_flow_control_window(3).unwrap(), 1_000);

    // The peer may now send only 1,000 octets on the stream.
    recv_ok(&mut s, &ff.data(1, &[0; 1_000], false));
    let err = recv_err(&mut s, &ff.data(3, &[0; 1_001], false));
    assert_eq!(err.type_name(), "FlowControlError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::FLOW_CONTROL_ERROR), 3);
}

// §11.1 #94
#[test]
fn raising_the_local_initial_window_size_lets_the_peer_send_more_on_a_stream() {
    let (mut s, ff) = server_with_stream();
    s.increment_flow_control_window(100_000, None).unwrap();
    s.update_settings(&[Setting::new(SettingCode::INITIAL_WINDOW_SIZE, 100_000)]).unwrap();
    recv_ok(&mut s, &ff.settings_ack());
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 100_000);
    let events = recv_ok(&mut s, &data_frames(&ff, 1, 70_000, false));
    assert_eq!(events.len(), 5);
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 30_000);
}

// ---- receive side -----------------------------------------------------------------------

// §11.1 #95
#[test]
fn received_data_reduces_the_receive_windows_including_padding() {
    let (mut s, ff) = server_with_stream();
    let events = recv_ok(&mut s, &ff.padded_data(1, &[1; 1_000], 10, false));
    let [Event::DataReceived(d)] = &events[..] else { panic!("{events:?}") };
    assert_eq!(d.flow_controlled_length, 1_011);
    assert_eq!(d.data.len(), 1_000);
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 65_535 - 1_011);
    assert_eq!(s.inbound_flow_control_window(), 65_535 - 1_011);
    assert!(s.data_to_send(None).is_empty(), "windows are not reopened automatically");
}

// §11.1 #96
#[test]
fn exceeding_the_connection_receive_window_is_a_connection_error() {
    let (mut s, mut ff) = server_with_stream();
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    recv_ok(&mut s, &data_frames(&ff, 1, 40_000, false));
    // Stream 3 has room for 65,535 but the connection only for 25,535.
    recv_ok(&mut s, &data_frames(&ff, 3, 25_535, false));
    let err = recv_err(&mut s, &ff.data(3, b"x", false));
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("FlowControlError", Some(ErrorCode::FLOW_CONTROL_ERROR))
    );
    assert_eq!(expect_goaway(&mut s, ErrorCode::FLOW_CONTROL_ERROR), 3);
}

// §11.1 #96
#[test]
fn exceeding_a_stream_receive_window_is_a_connection_error() {
    let (mut s, ff) = server_with_stream();
    s.increment_flow_control_window(100_000, None).unwrap();
    s.clear_outbound_data_buffer();
    recv_ok(&mut s, &data_frames(&ff, 1, 65_535, false));
    let err = recv_err(&mut s, &ff.padded_data(1, b"", 0, false));
    assert_eq!(err.type_name(), "FlowControlError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::FLOW_CONTROL_ERROR), 1);
}

// §11.1 #97
#[test]
fn connection_window_update_gives_window_updated_on_stream_0() {
    let mut c = client_with_stream();
    let ff = FrameFactory::new();
    let events = recv_ok(&mut c, &ff.window_update(0, 1_000));
    assert_eq!(events, [Event::WindowUpdated(WindowUpdated { stream_id: 0, delta: 1_000 })]);
    assert_eq!(c.outbound_flow_control_window(), 66_535);
    assert!(c.data_to_send(None).is_empty());
}

// §11.1 #97
#[test]
fn connection_window_update_overflow_is_a_connection_error() {
    let mut c = client_with_stream();
    let ff = FrameFactory::new();
    recv_ok(&mut c, &ff.window_update(0, MAX_WINDOW - 65_535));
    assert_eq!(c.outbound_flow_control_window(), i64::from(MAX_WINDOW));
    let err = recv_err(&mut c, &ff.window_update(0, 1));
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("FlowControlError", Some(ErrorCode::FLOW_CONTROL_ERROR))
    );
    assert_eq!(expect_goaway(&mut c, ErrorCode::FLOW_CONTROL_ERROR), 0);
}

// §11.1 #98
#[test]
fn stream_window_update_gives_window_updated_and_overflow_resets_the_stream() {
    let mut c = client_with_stream();
    let ff = FrameFactory::new();
    let events = recv_ok(&mut c, &ff.window_update(1, MAX_WINDOW - 65_535));
    assert_eq!(
        events,
        [Event::WindowUpdated(WindowUpdated { stream_id: 1, delta: MAX_WINDOW - 65_535 })]
    );
    let events = recv_ok(&mut c, &ff.window_update(1, 1));
    assert_eq!(
        events,
        [Event::StreamReset(StreamReset {
            stream_id: 1,
            error_code: ErrorCode::FLOW_CONTROL_ERROR,
            remote_reset: false,
        })]
    );
    assert_eq!(
        sent(&mut c),
        [Frame::RstStream(frame::RstStream {
            stream_id: 1,
            error_code: ErrorCode::FLOW_CONTROL_ERROR
        })]
    );
    assert_eq!(c.stream_state(1), Some(h2wasm::connection::StreamState::Closed));
    assert_eq!(
        c.send_data(1, Bytes::from_static(b"x"), false, None).unwrap_err().type_name(),
        "StreamClosedError"
    );
    // The connection is still usable.
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
}

// §11.1 #99
#[test]
fn window_update_with_increment_zero_is_a_protocol_error_on_stream_0_and_n() {
    let ff = FrameFactory::new();
    for stream_id in [0, 1] {
        let mut c = client_with_stream();
        let err = recv_err(&mut c, &ff.raw(frame::kind::WINDOW_UPDATE, 0, stream_id, &[0; 4]));
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR))
        );
        assert_eq!(expect_goaway(&mut c, ErrorCode::PROTOCOL_ERROR), 0);
    }
}

/// Documented difference (docs/differences.md #14): h2 rejects a WINDOW_UPDATE whose reserved
/// bit is set; h2wasm reads the 31-bit increment.
// §11.1 #99
#[test]
fn window_update_reserved_bit_is_ignored() {
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    let events = recv_ok(&mut c, &ff.raw(frame::kind::WINDOW_UPDATE, 0, 0, &[0x80, 0, 0x01, 0]));
    assert_eq!(events, [Event::WindowUpdated(WindowUpdated { stream_id: 0, delta: 256 })]);
    let events = recv_ok(&mut c, &ff.raw(frame::kind::WINDOW_UPDATE, 0, 1, &[0x80, 0, 0, 5]));
    assert_eq!(events, [Event::WindowUpdated(WindowUpdated { stream_id: 1, delta: 5 })]);
    // Reserved bit with a zero increment is still increment 0.
    let err = recv_err(&mut c, &ff.raw(frame::kind::WINDOW_UPDATE, 0, 1, &[0x80, 0, 0, 0]));
    assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
}

// ---- increment_flow_control_window ----------------------------------------------------

// §11.1 #100
#[test]
fn increment_flow_control_window_rejects_zero_and_two_to_the_31() {
    let (mut s, _) = server_with_stream();
    for bad in [0, 1 << 31, u32::MAX] {
        assert_eq!(
            kind_of(s.increment_flow_control_window(bad, None)),
            ("InvalidInputError", None)
        );
        assert_eq!(kind_of(s.increment_flow_control_window(bad, Some(1))).0, "InvalidInputError");
    }
    assert!(s.data_to_send(None).is_empty());
    s.increment_flow_control_window(1, Some(1)).unwrap();
    s.increment_flow_control_window(1, None).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(1, 1), (0, 1)]);
    assert_eq!(s.inbound_flow_control_window(), 65_536);
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 65_536);
}

// §11.1 #100
#[test]
fn increment_flow_control_window_overflow_is_a_flow_control_error() {
    let (mut s, _) = server_with_stream();
    let over = MAX_WINDOW - 65_535 + 1;
    assert_eq!(
        kind_of(s.increment_flow_control_window(over, None)),
        ("FlowControlError", Some(ErrorCode::FLOW_CONTROL_ERROR))
    );
    assert_eq!(kind_of(s.increment_flow_control_window(over, Some(1))).0, "FlowControlError");
    assert!(s.data_to_send(None).is_empty(), "no WINDOW_UPDATE for a refused increment");
    // Up to exactly 2^31 - 1 is fine (on a fresh connection: like h2, a refused increment
    // leaves the window past the maximum).
    let (mut s, _) = server_with_stream();
    s.increment_flow_control_window(over - 1, None).unwrap();
    s.increment_flow_control_window(over - 1, Some(1)).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, over - 1), (1, over - 1)]);
    assert_eq!(s.inbound_flow_control_window(), i64::from(MAX_WINDOW));
}

// §11.1 #100
#[test]
fn increment_flow_control_window_on_unknown_or_closed_streams_fails() {
    let (mut s, _) = server_with_stream();
    // Documented difference (docs/differences.md #5): h2 raises a bare KeyError here.
    assert_eq!(kind_of(s.increment_flow_control_window(10, Some(3))).0, "NoSuchStreamError");
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    assert_eq!(kind_of(s.increment_flow_control_window(10, Some(1))).0, "StreamClosedError");
}

// ---- acknowledge_received_data --------------------------------------------------------

// §11.1 #101
#[test]
fn acknowledging_small_amounts_emits_nothing_and_half_a_window_emits_both_updates() {
    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 40_000, false));
    s.acknowledge_received_data(1_000, 1).unwrap();
    assert!(s.data_to_send(None).is_empty());
    s.acknowledge_received_data(31_766, 1).unwrap();
    assert!(s.data_to_send(None).is_empty(), "32,766 acknowledged: below half the window");
    s.acknowledge_received_data(1, 1).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, 32_767), (1, 32_767)]);
    assert_eq!(s.inbound_flow_control_window(), 65_535 - 40_000 + 32_767);
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 65_535 - 40_000 + 32_767);
}

// §11.1 #101
#[test]
fn acknowledged_increments_never_open_a_window_beyond_its_size() {
    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &ff.data(1, &[0; 100], false));
    // 40,000 acknowledged but only 100 consumed: the increment is capped at 100.
    s.acknowledge_received_data(40_000, 1).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, 100), (1, 100)]);
    assert_eq!(s.inbound_flow_control_window(), 65_535);
}

// §11.1 #102
#[test]
fn with_an_exhausted_window_more_than_1024_acknowledged_octets_emit_updates() {
    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 65_535, false));
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 0);
    s.acknowledge_received_data(1_024, 1).unwrap();
    assert!(s.data_to_send(None).is_empty(), "exactly 1,024 is not enough");
    s.acknowledge_received_data(1, 1).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, 1_025), (1, 1_025)]);

    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 65_535, false));
    s.acknowledge_received_data(1_025, 1).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, 1_025), (1, 1_025)]);
}

// §11.1 #103
#[test]
fn acknowledging_on_a_closed_stream_only_updates_the_connection() {
    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 40_000, true));
    s.send_headers(1, hdrs(RESPONSE), true, no_priority()).unwrap();
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(1), Some(h2wasm::connection::StreamState::Closed));
    s.acknowledge_received_data(40_000, 1).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, 40_000)]);

    // Same once the stream has been forgotten (a new stream triggers the clean-up).
    let (mut s, mut ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 40_000, false));
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(1), None);
    s.acknowledge_received_data(40_000, 1).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, 40_000)]);
}

// §11.1 #103
#[test]
fn acknowledging_on_a_never_seen_stream_fails_after_crediting_the_connection() {
    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 40_000, false));
    let err = s.acknowledge_received_data(40_000, 99).unwrap_err();
    assert_eq!(err.type_name(), "NoSuchStreamError");
    assert_eq!(err.stream_id(), Some(99));
    // As in h2: the connection window was credited but its WINDOW_UPDATE is not queued.
    assert!(s.data_to_send(None).is_empty());
    assert_eq!(s.inbound_flow_control_window(), 65_535);
}

// §11.1 #103
#[test]
fn acknowledging_on_stream_0_is_invalid_input() {
    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 40_000, false));
    assert_eq!(kind_of(s.acknowledge_received_data(40_000, 0)), ("InvalidInputError", None));
    assert!(s.data_to_send(None).is_empty());
    assert_eq!(s.inbound_flow_control_window(), 25_535, "nothing credited");
    // An id beyond 2^31-1 is just a stream that does not exist, as in h2.
    assert_eq!(kind_of(s.acknowledge_received_data(40_000, 1 << 31)).0, "NoSuchStreamError");
    assert_eq!(s.inbound_flow_control_window(), 65_535);
}

// §11.1 #104
#[test]
fn manual_connection_increment_then_acknowledgement_only_updates_the_stream() {
    let (mut s, ff) = server_with_stream();
    recv_ok(&mut s, &data_frames(&ff, 1, 40_000, false));
    s.increment_flow_control_window(40_000, None).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(0, 40_000)]);
    s.acknowledge_received_data(40_000, 1).unwrap();
    assert_eq!(window_updates(&sent(&mut s)), [(1, 40_000)]);
    assert_eq!(s.inbound_flow_control_window(), 65_535);
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 65_535);
}

// §11.1 #105
#[test]
fn data_on_a_closed_stream_still_credits_the_connection_window() {
    let (mut s, ff) = server_with_stream();
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    s.clear_outbound_data_buffer();
    let rst = frame::RstStream { stream_id: 1, error_code: ErrorCode::STREAM_CLOSED };

    let events = recv_ok(&mut s, &ff.data(1, &[0; 16_384], false));
    assert!(events.is_empty());
    assert_eq!(sent(&mut s), [Frame::RstStream(rst)]);
    let events = recv_ok(&mut s, &ff.data(1, &[0; 16_382], false));
    assert!(events.is_empty());
    assert_eq!(sent(&mut s), [Frame::RstStream(rst)], "32,766 octets: not yet");
    recv_ok(&mut s, &ff.padded_data(1, b"", 0, false));
    assert_eq!(
        sent(&mut s),
        [
            Frame::WindowUpdate(frame::WindowUpdate { stream_id: 0, increment: 32_767 }),
            Frame::RstStream(rst)
        ]
    );
    assert_eq!(s.inbound_flow_control_window(), 65_535);
}

// ---- end to end -----------------------------------------------------------------------

/// A 1 MB upload over default windows, the receiver acknowledging every DataReceived: the
/// transfer completes, the sender's window never goes negative, and nobody sees a
/// FLOW_CONTROL error (`Pair::run` panics on any error).
#[test]
fn bulk_transfer_of_one_megabyte_completes_with_acknowledged_data() {
    const TOTAL: usize = 1 << 20;
    let mut p = Pair::new();
    p.client.send_headers(1, hdrs(REQUEST), false, no_priority()).unwrap();
    p.run();
    p.take_server_events();
    let mut sent_bytes = 0;
    let mut received = Vec::with_capacity(TOTAL);
    let mut ended = false;
    for _ in 0..10_000 {
        let window = p.client.local_flow_control_window(1).unwrap();
        assert!(window >= 0, "send window went negative: {window}");
        let n = (TOTAL - sent_bytes).min(usize::try_from(window).unwrap());
        if n > 0 || (sent_bytes == TOTAL && !ended) {
            let chunk: Vec<u8> = (sent_bytes..sent_bytes + n).map(|i| (i % 251) as u8).collect();
            sent_bytes += n;
            ended = sent_bytes == TOTAL;
            p.client.send_data(1, Bytes::from(chunk), ended, None).unwrap();
        }
        p.run();
        for e in p.take_server_events() {
            match e {
                Event::DataReceived(d) => {
                    received.extend_from_slice(&d.data);
                    p.server
                        .acknowledge_received_data(u64::from(d.flow_controlled_length), 1)
                        .unwrap();
                }
                Event::StreamEnded(_) => {}
                other => panic!("unexpected server event {other:?}"),
            }
        }
        p.run();
        assert!(p.take_client_events().iter().all(|e| matches!(e, Event::WindowUpdated(_))));
        if ended && received.len() == TOTAL {
            break;
        }
    }
    assert_eq!(received.len(), TOTAL);
    assert!(received.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    assert_eq!(p.server.stream_state(1), Some(h2wasm::connection::StreamState::HalfClosedRemote));
    assert!(p.client.local_flow_control_window(1).unwrap() >= 0);
}
