//! SETTINGS: local updates and their acknowledgement, validation of received values, and the
//! effect of each setting (h2-behaviour §5; §11.1 scenarios 11–28).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::events::*;
use h2wasm::frame::{self, Frame};
use h2wasm::hpack::{Decoder, Encoder, Indexing};
use h2wasm::{ErrorCode, H2Configuration, H2Connection, Setting, SettingCode};
use support::*;

const MAX_WINDOW: u32 = (1 << 31) - 1;

fn set(code: SettingCode, value: u32) -> Setting {
    Setting::new(code, value)
}

fn change(setting: SettingCode, original_value: Option<u32>, new_value: u32) -> ChangedSetting {
    ChangedSetting { setting, original_value, new_value }
}

/// The only event of a SETTINGS ACK.
fn acked(events: &[Event]) -> Vec<ChangedSetting> {
    match events {
        [Event::SettingsAcknowledged(a)] => a.changed_settings.clone(),
        other => panic!("expected one SettingsAcknowledged, got {other:?}"),
    }
}

/// The only event of a non-ACK SETTINGS.
fn remote_changed(events: &[Event]) -> Vec<ChangedSetting> {
    match events {
        [Event::RemoteSettingsChanged(r)] => r.changed_settings.clone(),
        other => panic!("expected one RemoteSettingsChanged, got {other:?}"),
    }
}

fn settings_pairs(f: &Frame) -> (bool, Vec<(u16, u32)>) {
    match f {
        Frame::Settings(s) => (s.ack, s.settings.iter().map(|s| (s.code.0, s.value)).collect()),
        other => panic!("expected SETTINGS, got {other:?}"),
    }
}

/// Feeds a SETTINGS frame that must fail validation: `InvalidSettingsValueError` with `code`,
/// and a GOAWAY with the same code and last stream id 0.
fn expect_invalid_setting(conn: &mut H2Connection, pairs: &[(u16, u32)], code: ErrorCode) {
    let ff = FrameFactory::new();
    let err = recv_err(conn, &ff.settings(pairs));
    assert_eq!(err.type_name(), "InvalidSettingsValueError", "{pairs:?}");
    assert_eq!(err.error_code(), Some(code), "{pairs:?}");
    assert_eq!(expect_goaway(conn, code), 0);
}

/// A client with stream 1 open (request sent, not ended).
fn client_with_stream() -> H2Connection {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), false, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c
}

/// A server with stream 1 open (request received, not ended).
fn server_with_stream(config: H2Configuration) -> H2Connection {
    let mut s = server_with(config);
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s
}

// ---- local updates and ACKs ------------------------------------------------------------

#[test]
fn update_settings_sends_only_the_given_settings() {
    // §11.1 #11
    let mut c = client();
    c.update_settings(&[
        set(SettingCode::MAX_CONCURRENT_STREAMS, 5),
        set(SettingCode::INITIAL_WINDOW_SIZE, 1000),
    ])
    .unwrap();
    let frames = sent(&mut c);
    assert_eq!(frames.len(), 1);
    assert_eq!(settings_pairs(&frames[0]), (false, vec![(3, 5), (4, 1000)]));
}

#[test]
fn updated_settings_take_effect_only_on_ack() {
    // §11.1 #11
    let mut c = client_with_stream();
    c.update_settings(&[set(SettingCode::INITIAL_WINDOW_SIZE, 1000)]).unwrap();
    let local = c.local_settings();
    assert_eq!(local.initial_window_size(), 65_535);
    assert_eq!(local.latest(SettingCode::INITIAL_WINDOW_SIZE), Some(1000));
    assert!(local.has_pending());
    assert_eq!(c.remote_flow_control_window(1).unwrap(), 65_535);

    let ff = FrameFactory::new();
    let changes = acked(&recv_ok(&mut c, &ff.settings_ack()));
    assert_eq!(changes, vec![change(SettingCode::INITIAL_WINDOW_SIZE, Some(65_535), 1000)]);
    assert_eq!(c.local_settings().initial_window_size(), 1000);
    assert!(!c.local_settings().has_pending());
    // The stream receive window moved by the delta; the connection window did not.
    assert_eq!(c.remote_flow_control_window(1).unwrap(), 1000);
    assert_eq!(c.inbound_flow_control_window(), 65_535);
}

#[test]
fn inbound_concurrency_limit_applies_only_after_ack() {
    // §11.1 #11: a lowered MAX_CONCURRENT_STREAMS binds the peer only once acknowledged.
    let mut s = server();
    let mut ff = FrameFactory::new();
    s.update_settings(&[set(SettingCode::MAX_CONCURRENT_STREAMS, 1)]).unwrap();
    s.clear_outbound_data_buffer();
    recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    recv_ok(&mut s, &ff.headers(3, REQUEST).end_stream().bytes());
    let changes = acked(&recv_ok(&mut s, &ff.settings_ack()));
    assert_eq!(changes, vec![change(SettingCode::MAX_CONCURRENT_STREAMS, Some(100), 1)]);
    let err = recv_err(&mut s, &ff.headers(5, REQUEST).end_stream().bytes());
    assert_eq!(err.type_name(), "TooManyStreamsError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 3);
}

#[test]
fn settings_acknowledged_lists_exactly_the_settings_that_became_current() {
    // §11.1 #12: in the order the settings are kept (h2's dict order), not the update's.
    let mut c = client();
    c.update_settings(&[
        set(SettingCode::MAX_HEADER_LIST_SIZE, 1000),
        set(SettingCode::MAX_FRAME_SIZE, 20_000),
        set(SettingCode(0x42), 7),
    ])
    .unwrap();
    let ff = FrameFactory::new();
    let changes = acked(&recv_ok(&mut c, &ff.settings_ack()));
    assert_eq!(
        changes,
        vec![
            change(SettingCode::MAX_FRAME_SIZE, Some(16_384), 20_000),
            change(SettingCode::MAX_HEADER_LIST_SIZE, Some(65_536), 1000),
            change(SettingCode(0x42), None, 7),
        ]
    );
    assert_eq!(c.max_inbound_frame_size(), 20_000);
    assert!(acked(&recv_ok(&mut c, &ff.settings_ack())).is_empty());
}

#[test]
fn each_ack_advances_every_setting_with_a_pending_value() {
    // §11.1 #13: python h2's rule, kept: the first ACK applies both outstanding frames' keys.
    let mut c = client();
    let ff = FrameFactory::new();
    c.update_settings(&[set(SettingCode::MAX_FRAME_SIZE, 20_000)]).unwrap();
    c.update_settings(&[
        set(SettingCode::HEADER_TABLE_SIZE, 8192),
        set(SettingCode::MAX_FRAME_SIZE, 30_000),
    ])
    .unwrap();
    assert_eq!(
        acked(&recv_ok(&mut c, &ff.settings_ack())),
        vec![
            change(SettingCode::HEADER_TABLE_SIZE, Some(4096), 8192),
            change(SettingCode::MAX_FRAME_SIZE, Some(16_384), 20_000),
        ]
    );
    assert_eq!(c.local_settings().header_table_size(), 8192);
    assert_eq!(c.max_inbound_frame_size(), 20_000);
    assert_eq!(
        acked(&recv_ok(&mut c, &ff.settings_ack())),
        vec![change(SettingCode::MAX_FRAME_SIZE, Some(20_000), 30_000)]
    );
    assert_eq!(c.max_inbound_frame_size(), 30_000);
    assert!(acked(&recv_ok(&mut c, &ff.settings_ack())).is_empty());
}

#[test]
fn invalid_update_settings_value_raises_and_sends_nothing() {
    // §11.1 #28 (0x9 is checked too: documented difference #16).
    let cases = [
        (SettingCode::ENABLE_PUSH, 2, ErrorCode::PROTOCOL_ERROR),
        (SettingCode::INITIAL_WINDOW_SIZE, MAX_WINDOW + 1, ErrorCode::FLOW_CONTROL_ERROR),
        (SettingCode::MAX_FRAME_SIZE, 16_383, ErrorCode::PROTOCOL_ERROR),
        (SettingCode::MAX_FRAME_SIZE, 1 << 24, ErrorCode::PROTOCOL_ERROR),
        (SettingCode::ENABLE_CONNECT_PROTOCOL, 2, ErrorCode::PROTOCOL_ERROR),
        (SettingCode::NO_RFC7540_PRIORITIES, 2, ErrorCode::PROTOCOL_ERROR),
    ];
    for (code, value, error_code) in cases {
        let mut c = client();
        let err = c.update_settings(&[set(code, value)]).unwrap_err();
        assert_eq!(err.type_name(), "InvalidSettingsValueError", "{code:?}={value}");
        assert_eq!(err.error_code(), Some(error_code), "{code:?}={value}");
        assert!(c.data_to_send(None).is_empty(), "{code:?}={value}: nothing may be sent");
    }
}

/// Documented difference #8: h2 records the values before the invalid one as pending and
/// the next ACK applies them; h2wasm checks every value first and records nothing.
#[test]
fn invalid_update_settings_leaves_nothing_pending() {
    // §11.1 #28
    let mut c = client();
    let err = c
        .update_settings(&[
            set(SettingCode::MAX_FRAME_SIZE, 20_000),
            set(SettingCode::ENABLE_PUSH, 2),
        ])
        .unwrap_err();
    assert_eq!(err.type_name(), "InvalidSettingsValueError");
    assert!(!c.local_settings().has_pending());
    let ff = FrameFactory::new();
    assert!(acked(&recv_ok(&mut c, &ff.settings_ack())).is_empty());
    assert_eq!(c.max_inbound_frame_size(), 16_384);
    assert_eq!(c.local_settings().max_frame_size(), 16_384);
}

// ---- validation of received values --------------------------------------------------------

#[test]
fn received_enable_push_2_is_a_protocol_error() {
    // §11.1 #14
    expect_invalid_setting(&mut server(), &[(2, 2)], ErrorCode::PROTOCOL_ERROR);
    expect_invalid_setting(&mut client(), &[(2, 2)], ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn client_rejects_enable_push_1_from_a_server() {
    // §11.1 #15
    expect_invalid_setting(&mut client(), &[(2, 1)], ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn client_accepts_enable_push_0_and_server_accepts_1() {
    // §11.1 #15
    let ff = FrameFactory::new();
    let mut c = client();
    let changes = remote_changed(&recv_ok(&mut c, &ff.settings(&[(2, 0)])));
    assert_eq!(changes, vec![change(SettingCode::ENABLE_PUSH, Some(0), 0)]);
    let mut s = server();
    let changes = remote_changed(&recv_ok(&mut s, &ff.settings(&[(2, 0)])));
    assert_eq!(changes, vec![change(SettingCode::ENABLE_PUSH, Some(1), 0)]);
    let changes = remote_changed(&recv_ok(&mut s, &ff.settings(&[(2, 1)])));
    assert_eq!(changes, vec![change(SettingCode::ENABLE_PUSH, Some(0), 1)]);
    assert!(s.remote_settings().enable_push());
}

#[test]
fn received_initial_window_size_above_2_31_minus_1_is_a_flow_control_error() {
    // §11.1 #16
    expect_invalid_setting(&mut server(), &[(4, MAX_WINDOW + 1)], ErrorCode::FLOW_CONTROL_ERROR);
    expect_invalid_setting(&mut client(), &[(4, u32::MAX)], ErrorCode::FLOW_CONTROL_ERROR);
}

#[test]
fn received_max_frame_size_outside_its_range_is_a_protocol_error() {
    // §11.1 #17
    for value in [0, 16_383, 1 << 24, u32::MAX] {
        expect_invalid_setting(&mut server(), &[(5, value)], ErrorCode::PROTOCOL_ERROR);
    }
}

#[test]
fn received_boundary_values_are_accepted() {
    // §11.1 #16, #17: the largest window, both frame-size bounds, zero limits.
    let ff = FrameFactory::new();
    let mut c = client();
    let pairs = [(4, MAX_WINDOW), (5, (1 << 24) - 1), (8, 1), (6, 0), (3, 0)];
    let changes = remote_changed(&recv_ok(&mut c, &ff.settings(&pairs)));
    assert_eq!(
        changes,
        vec![
            change(SettingCode::INITIAL_WINDOW_SIZE, Some(65_535), MAX_WINDOW),
            change(SettingCode::MAX_FRAME_SIZE, Some(16_384), (1 << 24) - 1),
            change(SettingCode::ENABLE_CONNECT_PROTOCOL, Some(0), 1),
            change(SettingCode::MAX_HEADER_LIST_SIZE, None, 0),
            change(SettingCode::MAX_CONCURRENT_STREAMS, None, 0),
        ]
    );
    assert_eq!(c.max_outbound_frame_size(), (1 << 24) - 1);
    recv_ok(&mut c, &ff.settings(&[(5, 16_384)]));
    assert_eq!(c.max_outbound_frame_size(), 16_384);
}

#[test]
fn received_enable_connect_protocol_2_is_a_protocol_error() {
    // §11.1 #18
    expect_invalid_setting(&mut server(), &[(8, 2)], ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn an_invalid_value_applies_none_of_the_frame() {
    // §11.1 #14–18: every pair is checked before any is applied.
    let mut s = server();
    expect_invalid_setting(&mut s, &[(3, 10), (5, 20_000), (2, 2)], ErrorCode::PROTOCOL_ERROR);
    assert_eq!(s.remote_settings().get(SettingCode::MAX_CONCURRENT_STREAMS), None);
    assert_eq!(s.max_outbound_frame_size(), 16_384);
}

#[test]
fn unknown_setting_is_accepted_and_reported_without_original_value() {
    // §11.1 #19
    let ff = FrameFactory::new();
    let mut c = client();
    let changes = remote_changed(&recv_ok(&mut c, &ff.settings(&[(0x42, 5), (0xffff, 0)])));
    assert_eq!(
        changes,
        vec![change(SettingCode(0x42), None, 5), change(SettingCode(0xffff), None, 0)]
    );
    assert_eq!(
        sent(&mut c),
        vec![Frame::Settings(frame::Settings::ack())],
        "acknowledged like any other"
    );
    let changes = remote_changed(&recv_ok(&mut c, &ff.settings(&[(0x42, 6)])));
    assert_eq!(changes, vec![change(SettingCode(0x42), Some(5), 6)]);
}

#[test]
fn duplicate_setting_ids_keep_first_position_and_last_value() {
    // An invalid earlier value of a repeated id is overridden before validation, as in h2
    // (hyperframe folds the pairs into a dict).
    let ff = FrameFactory::new();
    let mut s = server();
    let pairs = [(4, MAX_WINDOW + 1), (3, 7), (4, 100), (0x42, 1), (3, 9)];
    let changes = remote_changed(&recv_ok(&mut s, &ff.settings(&pairs)));
    assert_eq!(
        changes,
        vec![
            change(SettingCode::INITIAL_WINDOW_SIZE, Some(65_535), 100),
            change(SettingCode::MAX_CONCURRENT_STREAMS, None, 9),
            change(SettingCode(0x42), None, 1),
        ]
    );
    assert_eq!(s.remote_settings().initial_window_size(), 100);
    assert_eq!(s.remote_settings().max_concurrent_streams(), 9);
}

#[test]
fn remote_settings_changed_lists_every_setting_with_its_original_value() {
    let ff = FrameFactory::new();
    let mut s = server();
    recv_ok(&mut s, &ff.settings(&[(3, 9)]));
    // Unchanged values are listed too.
    let changes = remote_changed(&recv_ok(&mut s, &ff.settings(&[(3, 10), (1, 4096), (6, 1)])));
    assert_eq!(
        changes,
        vec![
            change(SettingCode::MAX_CONCURRENT_STREAMS, Some(9), 10),
            change(SettingCode::HEADER_TABLE_SIZE, Some(4096), 4096),
            change(SettingCode::MAX_HEADER_LIST_SIZE, None, 1),
        ]
    );
    // An empty SETTINGS still gives one (empty) event and an ACK.
    assert!(remote_changed(&recv_ok(&mut s, &ff.settings(&[]))).is_empty());
    assert_eq!(sent(&mut s).len(), 3, "one ACK per SETTINGS");
}

// ---- malformed SETTINGS frames -----------------------------------------------------------

#[test]
fn settings_ack_with_payload_is_a_protocol_error() {
    // §11.1 #20 (the ACK check comes before the length check)
    let ff = FrameFactory::new();
    for payload in [&[0, 3, 0, 0, 0, 1][..], &[0, 3, 0, 0, 0][..]] {
        let mut c = client();
        let err = recv_err(&mut c, &ff.raw(0x4, 0x1, 0, payload));
        assert_eq!(err.type_name(), "ProtocolError");
        assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
        assert_eq!(expect_goaway(&mut c, ErrorCode::PROTOCOL_ERROR), 0);
    }
}

/// Documented difference #19: with `strict_rfc` the RFC's FRAME_SIZE_ERROR is used.
#[test]
fn settings_ack_with_payload_is_a_frame_size_error_with_strict_rfc() {
    // §11.1 #20
    let ff = FrameFactory::new();
    let mut c = client_with(H2Configuration { strict_rfc: true, ..H2Configuration::client() });
    let err = recv_err(&mut c, &ff.raw(0x4, 0x1, 0, &[0, 3, 0, 0, 0, 1]));
    assert_eq!(err.error_code(), Some(ErrorCode::FRAME_SIZE_ERROR));
    assert_eq!(expect_goaway(&mut c, ErrorCode::FRAME_SIZE_ERROR), 0);
}

#[test]
fn settings_length_not_a_multiple_of_6_is_a_frame_size_error() {
    // §11.1 #21
    let ff = FrameFactory::new();
    for len in [1, 5, 7, 13] {
        let mut s = server_with_stream(H2Configuration::server());
        let err = recv_err(&mut s, &ff.raw(0x4, 0, 0, &vec![0; len]));
        assert_eq!(err.type_name(), "FrameDataMissingError", "length {len}");
        assert_eq!(err.error_code(), Some(ErrorCode::FRAME_SIZE_ERROR));
        assert_eq!(expect_goaway(&mut s, ErrorCode::FRAME_SIZE_ERROR), 1);
    }
}

#[test]
fn settings_on_a_stream_is_a_protocol_error() {
    // §11.1 #22
    let ff = FrameFactory::new();
    for (flags, payload) in [(0, &[][..]), (0, &[0, 3, 0, 0, 0, 1][..]), (1, &[][..])] {
        let mut s = server();
        let err = recv_err(&mut s, &ff.raw(0x4, flags, 1, payload));
        assert_eq!(err.type_name(), "ProtocolError");
        assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 0);
    }
}

// ---- what each setting does ---------------------------------------------------------------

/// The fragment of the only HEADERS frame sent.
fn sent_fragment(conn: &mut H2Connection) -> Bytes {
    match &sent(conn)[..] {
        [Frame::Headers(h)] => h.fragment.clone(),
        other => panic!("expected one HEADERS, got {other:?}"),
    }
}

#[test]
fn remote_header_table_size_is_signalled_at_the_start_of_the_next_block() {
    // §11.1 #23
    let ff = FrameFactory::new();
    let mut c = client();
    recv_ok(&mut c, &ff.settings(&[(1, 0)]));
    c.clear_outbound_data_buffer();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    let first = sent_fragment(&mut c);
    assert_eq!(first[0], 0x20, "dynamic table size update to 0 first: {first:02x?}");
    let mut peer = Decoder::new(4096);
    assert_eq!(decode(&mut peer, &first), owned(REQUEST));
    assert_eq!(peer.max_table_size(), 0);
    // Signalled once: the following block starts with a field.
    c.send_headers(3, hdrs(REQUEST), true, no_priority()).unwrap();
    let second = sent_fragment(&mut c);
    assert_ne!(second[0] & 0xe0, 0x20, "no second size update: {second:02x?}");
    assert_eq!(decode(&mut peer, &second), owned(REQUEST));
}

#[test]
fn two_table_size_changes_before_a_block_signal_the_minimum_then_the_final_size() {
    // §11.1 #23 (RFC 7541 §4.2); h2 emits the same two updates.
    let ff = FrameFactory::new();
    let mut c = client();
    recv_ok(&mut c, &ff.settings(&[(1, 0)]));
    recv_ok(&mut c, &ff.settings(&[(1, 1000)]));
    c.clear_outbound_data_buffer();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    let block = sent_fragment(&mut c);
    assert_eq!(&block[..4], &[0x20, 0x3f, 0xc9, 0x07], "updates to 0 then 1000: {block:02x?}");
    let mut peer = Decoder::new(4096);
    assert_eq!(decode(&mut peer, &block), owned(REQUEST));
    assert_eq!(peer.max_table_size(), 1000);
}

/// Documented difference #17: the encoder table is capped at 4 KiB, so a raise beyond it
/// changes nothing and is not signalled (h2 signals 8192). Decoded blocks are identical.
#[test]
fn remote_header_table_size_raise_beyond_the_encoder_cap_is_not_signalled() {
    // §11.1 #23
    let ff = FrameFactory::new();
    let mut c = client();
    recv_ok(&mut c, &ff.settings(&[(1, 8192)]));
    assert_eq!(c.remote_settings().header_table_size(), 8192);
    c.clear_outbound_data_buffer();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    let block = sent_fragment(&mut c);
    assert_ne!(block[0] & 0xe0, 0x20, "{block:02x?}");
    assert_eq!(decode(&mut Decoder::new(8192), &block), owned(REQUEST));
}

/// The DATA frames sent: (length, end_stream, pad_len).
fn data_frames(conn: &mut H2Connection) -> Vec<(usize, bool, Option<u8>)> {
    sent(conn)
        .iter()
        .map(|f| match f {
            Frame::Data(d) => (d.data.len(), d.end_stream, d.pad_len),
            other => panic!("expected DATA, got {other:?}"),
        })
        .collect()
}

/// Documented difference #11: h2 raises FrameTooLargeError; h2wasm splits the data into
/// DATA frames of the peer's SETTINGS_MAX_FRAME_SIZE, END_STREAM and padding on the last.
#[test]
fn send_data_above_the_peer_max_frame_size_is_split() {
    // §11.1 #24
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![b'x'; 17_000]), true, None).unwrap();
    assert_eq!(data_frames(&mut c), vec![(16_384, false, None), (616, true, None)]);
    assert_eq!(c.local_flow_control_window(1).unwrap(), 65_535 - 17_000);

    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![b'x'; 17_000]), false, Some(10)).unwrap();
    assert_eq!(data_frames(&mut c), vec![(16_384, false, None), (616, false, Some(10))]);
    assert_eq!(c.outbound_flow_control_window(), 65_535 - 17_011);
}

#[test]
fn send_data_fits_one_frame_once_the_peer_allows_it() {
    // §11.1 #24
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    recv_ok(&mut c, &ff.settings(&[(5, 17_001)]));
    c.clear_outbound_data_buffer();
    assert_eq!(c.max_outbound_frame_size(), 17_001);
    c.send_data(1, Bytes::from(vec![b'x'; 17_000]), true, None).unwrap();
    assert_eq!(data_frames(&mut c), vec![(17_000, true, None)]);
}

#[test]
fn local_max_frame_size_raise_applies_only_after_ack() {
    // §11.1 #25
    let ff = FrameFactory::new();
    let raised = || {
        let mut s = server_with_stream(H2Configuration::server());
        s.update_settings(&[set(SettingCode::MAX_FRAME_SIZE, 20_000)]).unwrap();
        s.clear_outbound_data_buffer();
        s
    };
    // Before the ACK the old limit holds.
    let mut s = raised();
    let err = recv_err(&mut s, &ff.data(1, &[b'a'; 16_385], false));
    assert_eq!(err.type_name(), "FrameTooLargeError");
    assert_eq!(err.error_code(), Some(ErrorCode::FRAME_SIZE_ERROR));
    assert_eq!(expect_goaway(&mut s, ErrorCode::FRAME_SIZE_ERROR), 1);

    // After it, exactly the new maximum is fine and one more octet is not.
    let mut s = raised();
    recv_ok(&mut s, &ff.settings_ack());
    assert_eq!(s.max_inbound_frame_size(), 20_000);
    let events = recv_ok(&mut s, &ff.data(1, &[b'b'; 20_000], false));
    assert!(
        matches!(&events[..], [Event::DataReceived(d)] if d.data.len() == 20_000 && d.flow_controlled_length == 20_000),
        "{events:?}"
    );
    let err = recv_err(&mut s, &ff.data(1, &[b'c'; 20_001], false));
    assert_eq!(err.type_name(), "FrameTooLargeError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::FRAME_SIZE_ERROR), 1);
}

/// Documented difference #1: the length is checked from the 9-octet header, so no payload
/// needs to arrive (h2 buffers the whole frame first).
#[test]
fn oversized_frame_is_rejected_from_its_header() {
    // §11.1 #25
    let ff = FrameFactory::new();
    let mut s = server_with_stream(H2Configuration::server());
    let frame = ff.data(1, &[b'x'; 16_385], false);
    let err = recv_err(&mut s, &frame[..9]);
    assert_eq!(err.type_name(), "FrameTooLargeError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::FRAME_SIZE_ERROR), 1);
}

/// The limit of a `receive_data` call is the one in force when the call starts, so a frame
/// following the ACK in the same call is still held to the old limit. Fed one octet at a
/// time the ACK lands in an earlier call and the frame is accepted: that is why this test
/// uses `recv_whole`. (h2 also drops the SettingsAcknowledged: documented difference #4.)
#[test]
fn frame_size_limit_of_a_call_is_the_one_in_force_at_its_start() {
    // §11.1 #25
    let ff = FrameFactory::new();
    let mut s = server_with_stream(H2Configuration::server());
    s.update_settings(&[set(SettingCode::MAX_FRAME_SIZE, 20_000)]).unwrap();
    s.clear_outbound_data_buffer();
    let mut input = ff.settings_ack();
    input.extend(ff.data(1, &[b'b'; 20_000], false));
    let (err, events) = recv_whole(&mut s, &input).unwrap_err();
    assert_eq!(err.type_name(), "FrameTooLargeError");
    assert_eq!(names(&events), ["SettingsAcknowledged"]);
    assert_eq!(expect_goaway(&mut s, ErrorCode::FRAME_SIZE_ERROR), 1);
}

#[test]
fn local_max_header_list_size_shrink_is_enforced_after_ack() {
    // §11.1 #26: the list weighs 314 octets (name + value + 32 per field).
    let mut ff = FrameFactory::new();
    let pad = "p".repeat(100);
    let mut request = REQUEST.to_vec();
    request.push(("x-pad", &pad));
    let mut s = server();
    s.update_settings(&[set(SettingCode::MAX_HEADER_LIST_SIZE, 200)]).unwrap();
    s.clear_outbound_data_buffer();
    let events = recv_ok(&mut s, &ff.headers(1, &request).end_stream().bytes());
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
    recv_ok(&mut s, &ff.settings_ack());
    let err = recv_err(&mut s, &ff.headers(3, &request).end_stream().bytes());
    assert_eq!(err.type_name(), "DenialOfServiceError");
    assert_eq!(err.error_code(), Some(ErrorCode::ENHANCE_YOUR_CALM));
    assert_eq!(expect_goaway(&mut s, ErrorCode::ENHANCE_YOUR_CALM), 1);
}

/// A HEADERS frame whose block starts with a dynamic table size update to `size`.
fn headers_with_size_update(stream_id: u32, size: usize) -> Vec<u8> {
    let mut enc = Encoder::new();
    enc.set_max_table_size(size);
    let mut block = Vec::new();
    enc.encode(
        REQUEST.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes(), Indexing::Auto)),
        &mut block,
    );
    Frame::from(frame::Headers {
        stream_id,
        end_stream: true,
        end_headers: true,
        pad_len: None,
        priority: None,
        fragment: Bytes::from(block),
    })
    .to_bytes()
}

fn server_with_table_size_0(config: H2Configuration) -> H2Connection {
    let mut s = server_with(config);
    s.update_settings(&[set(SettingCode::HEADER_TABLE_SIZE, 0)]).unwrap();
    recv_ok(&mut s, &FrameFactory::new().settings_ack());
    s.clear_outbound_data_buffer();
    s
}

#[test]
fn local_header_table_size_shrink_requires_a_size_update_from_the_peer() {
    // §11.1 #27
    let mut ff = FrameFactory::new();
    let mut s = server_with_table_size_0(H2Configuration::server());
    let err = recv_err(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
    // The stream was not opened: last_stream_id excludes it.
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 0);
}

#[test]
fn local_header_table_size_shrink_accepts_a_block_starting_with_the_update() {
    // §11.1 #27
    let mut s = server_with_table_size_0(H2Configuration::server());
    let events = recv_ok(&mut s, &headers_with_size_update(1, 0));
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
    let Event::RequestReceived(r) = &events[0] else { unreachable!() };
    assert_eq!(pairs(&r.headers), owned(REQUEST));
}

/// Documented difference #19: with `strict_rfc` an HPACK error is COMPRESSION_ERROR.
#[test]
fn missing_table_size_update_is_a_compression_error_with_strict_rfc() {
    // §11.1 #27
    let mut ff = FrameFactory::new();
    let config = H2Configuration { strict_rfc: true, ..H2Configuration::server() };
    let mut s = server_with_table_size_0(config);
    let err = recv_err(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    assert_eq!(err.error_code(), Some(ErrorCode::COMPRESSION_ERROR));
    assert_eq!(expect_goaway(&mut s, ErrorCode::COMPRESSION_ERROR), 0);
}

#[test]
fn remote_initial_window_size_shifts_stream_send_windows_but_not_the_connection_window() {
    // Scenario 93's rule as seen from SETTINGS: the stream window may go negative.
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    c.send_data(1, Bytes::from(vec![b'x'; 1000]), false, None).unwrap();
    recv_ok(&mut c, &ff.settings(&[(4, 500)]));
    c.clear_outbound_data_buffer();
    assert_eq!(c.local_flow_control_window(1).unwrap(), 500 - 1000);
    assert_eq!(c.outbound_flow_control_window(), 65_535 - 1000);
    // An empty DATA frame is still allowed; one octet is not.
    c.send_data(1, Bytes::new(), false, None).unwrap();
    let err = c.send_data(1, Bytes::from_static(b"y"), false, None).unwrap_err();
    assert_eq!(err.type_name(), "FlowControlError");
    // A new stream starts from the new initial size.
    c.send_headers(3, hdrs(REQUEST), false, no_priority()).unwrap();
    assert_eq!(c.local_flow_control_window(3).unwrap(), 500);
}

#[test]
fn remote_initial_window_size_overflowing_a_stream_window_is_a_flow_control_error() {
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    let events = recv_ok(&mut c, &ff.window_update(1, MAX_WINDOW - 65_535));
    assert_eq!(
        events,
        vec![Event::WindowUpdated(WindowUpdated { stream_id: 1, delta: MAX_WINDOW - 65_535 })]
    );
    let err = recv_err(&mut c, &ff.settings(&[(4, 65_536)]));
    assert_eq!(err.type_name(), "FlowControlError");
    assert_eq!(err.error_code(), Some(ErrorCode::FLOW_CONTROL_ERROR));
    assert_eq!(expect_goaway(&mut c, ErrorCode::FLOW_CONTROL_ERROR), 0);
}

#[test]
fn remote_initial_window_size_also_shifts_closed_streams_until_they_are_cleaned_up() {
    // Closed streams stay in the live map until the next new stream (h2's rule), and a
    // SETTINGS change reaches them there.
    let ff = FrameFactory::new();
    let overflowing = || {
        let mut c = client_with_stream();
        recv_ok(&mut c, &ff.window_update(1, MAX_WINDOW - 65_535));
        c.reset_stream(1, ErrorCode::CANCEL).unwrap();
        c.clear_outbound_data_buffer();
        c
    };
    let mut c = overflowing();
    let err = recv_err(&mut c, &ff.settings(&[(4, 65_536)]));
    assert_eq!(err.type_name(), "FlowControlError");
    assert_eq!(expect_goaway(&mut c, ErrorCode::FLOW_CONTROL_ERROR), 0);

    let mut c = overflowing();
    c.send_headers(3, hdrs(REQUEST), false, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    assert_eq!(remote_changed(&recv_ok(&mut c, &ff.settings(&[(4, 65_536)]))).len(), 1);
    assert_eq!(c.local_flow_control_window(3).unwrap(), 65_535, "connection window limits");
}

#[test]
fn local_initial_window_size_overflowing_a_stream_receive_window_fails_on_ack() {
    let ff = FrameFactory::new();
    let mut c = client_with_stream();
    c.increment_flow_control_window(MAX_WINDOW - 65_535, Some(1)).unwrap();
    c.update_settings(&[set(SettingCode::INITIAL_WINDOW_SIZE, 65_536)]).unwrap();
    c.clear_outbound_data_buffer();
    let err = recv_err(&mut c, &ff.settings_ack());
    assert_eq!(err.type_name(), "FlowControlError");
    assert_eq!(err.error_code(), Some(ErrorCode::FLOW_CONTROL_ERROR));
    assert_eq!(expect_goaway(&mut c, ErrorCode::FLOW_CONTROL_ERROR), 0);
}

/// A server configured with `limits`, its first SETTINGS frame as sent, and the connection
/// (preface received, nothing acknowledged yet).
fn server_with_limits(limits: h2wasm::Limits) -> (Vec<(u16, u32)>, H2Connection) {
    let mut s = H2Connection::new(H2Configuration { limits, ..H2Configuration::server() });
    s.initiate_connection().unwrap();
    let frames = sent(&mut s);
    let (_, pairs) = settings_pairs(&frames[0]);
    recv_ok(&mut s, &FrameFactory::new().preamble());
    s.clear_outbound_data_buffer();
    (pairs, s)
}

#[test]
fn configured_small_initial_window_binds_only_after_the_first_ack() {
    // RFC 9113 §6.5.3: before our SETTINGS is acknowledged the peer may send a stream the
    // default 65,535 octets, whatever we announced.
    let (pairs, mut s) =
        server_with_limits(h2wasm::Limits { initial_window_size: 1000, ..Default::default() });
    assert!(pairs.contains(&(4, 1000)), "{pairs:?}");
    assert_eq!(s.local_settings().initial_window_size(), 65_535);
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    let events = recv_ok(&mut s, &ff.data(1, &[7; 16_000], false));
    assert!(matches!(&events[..], [Event::DataReceived(d)] if d.data.len() == 16_000));

    let changes = acked(&recv_ok(&mut s, &ff.settings_ack()));
    assert_eq!(changes, vec![change(SettingCode::INITIAL_WINDOW_SIZE, Some(65_535), 1000)]);
    assert_eq!(s.local_settings().initial_window_size(), 1000);
    // Stream 1 lost the difference (its window is now negative); a new stream gets 1,000.
    let err = recv_err(&mut s, &ff.data(1, &[7; 1], false));
    assert_eq!(err.type_name(), "FlowControlError");
}

#[test]
fn configured_small_initial_window_applies_to_streams_opened_after_the_ack() {
    let (_, mut s) =
        server_with_limits(h2wasm::Limits { initial_window_size: 1000, ..Default::default() });
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.settings_ack());
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    assert_eq!(s.remote_flow_control_window(1).unwrap(), 1000);
    recv_ok(&mut s, &ff.data(1, &[7; 1000], false));
    let err = recv_err(&mut s, &ff.data(1, &[7; 1], false));
    assert_eq!(err.type_name(), "FlowControlError");
}

#[test]
fn configured_small_header_table_binds_only_after_the_first_ack() {
    // Before the ACK the peer's encoder may still fill, and refer to, a 4,096-octet table.
    let (pairs, mut s) =
        server_with_limits(h2wasm::Limits { header_table_size: 0, ..Default::default() });
    assert!(pairs.contains(&(1, 0)), "{pairs:?}");
    let mut ff = FrameFactory::new();
    for id in [1, 3] {
        // The second block refers to the entries the first one inserted.
        let events = recv_ok(&mut s, &ff.headers(id, REQUEST).end_stream().bytes());
        assert_eq!(names(&events), ["RequestReceived", "StreamEnded"], "stream {id}");
    }
    recv_ok(&mut s, &ff.settings_ack());
    assert_eq!(s.local_settings().header_table_size(), 0);
    // From now on a block must start with a table size update.
    let err = recv_err(&mut s, &ff.headers(5, REQUEST).end_stream().bytes());
    assert_eq!(err.type_name(), "ProtocolError");
}
