//! Connection start: prefaces, the initial SETTINGS exchange, and the outbound buffer
//! (h2-behaviour §11.1 scenarios 1–10).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use bytes::Bytes;
use h2wasm::events::*;
use h2wasm::frame::{self, Frame};
use h2wasm::{ErrorKind, H2Configuration, H2Connection, SettingCode};
use support::*;

fn initial_settings(client: bool) -> Vec<(u16, u32)> {
    vec![(1, 4096), (2, u32::from(client)), (4, 65535), (5, 16384), (8, 0), (3, 100), (6, 65536)]
}

fn settings_pairs(f: &Frame) -> Vec<(u16, u32)> {
    match f {
        Frame::Settings(s) => s.settings.iter().map(|s| (s.code.0, s.value)).collect(),
        other => panic!("expected SETTINGS, got {other:?}"),
    }
}

#[test]
fn client_sends_preface_and_seven_settings_in_h2_order() {
    let mut c = H2Connection::new(H2Configuration::client());
    c.initiate_connection().unwrap();
    let out = c.data_to_send(None);
    assert_eq!(&out[..24], frame::PREFACE);
    // 9-octet header + 7 settings of 6 octets = 42-octet payload.
    assert_eq!(out.len(), 24 + 9 + 42);
    let frames = parse_frames(&out[24..]);
    assert_eq!(frames.len(), 1);
    assert_eq!(settings_pairs(&frames[0]), initial_settings(true));
}

#[test]
fn server_sends_settings_without_preface_and_with_push_disabled() {
    let mut s = H2Connection::new(H2Configuration::server());
    s.initiate_connection().unwrap();
    let frames = parse_frames(&s.data_to_send(None));
    assert_eq!(frames.len(), 1);
    assert_eq!(settings_pairs(&frames[0]), initial_settings(false));
}

#[test]
fn server_accepts_the_preface_one_octet_at_a_time() {
    let mut s = H2Connection::new(H2Configuration::server());
    s.initiate_connection().unwrap();
    s.clear_outbound_data_buffer();
    let ff = FrameFactory::new();
    let mut events = Vec::new();
    for b in ff.preamble() {
        events.extend(s.receive_data(&[b]).unwrap());
    }
    assert_eq!(names(&events), ["RemoteSettingsChanged"]);
    assert!(matches!(&sent(&mut s)[..], [Frame::Settings(a)] if a.ack));
}

#[test]
fn wrong_preface_is_a_protocol_error_without_goaway_or_state_change() {
    let mut s = H2Connection::new(H2Configuration::server());
    s.initiate_connection().unwrap();
    s.clear_outbound_data_buffer();
    let err = s.receive_data(b"GET / HTTP/1.1\r\n\r\n").unwrap_err();
    assert_eq!(err.error.type_name(), "ProtocolError");
    assert!(err.events.is_empty());
    assert!(s.data_to_send(None).is_empty(), "no GOAWAY for a bad preface");
    assert_eq!(s.state(), h2wasm::connection::ConnectionState::Idle);
    // A correct preface still works afterwards: the bad bytes were not consumed.
    let ff = FrameFactory::new();
    assert_eq!(names(&s.receive_data(&ff.preamble()).unwrap()), ["RemoteSettingsChanged"]);
}

#[test]
fn client_takes_server_settings_as_first_bytes() {
    let mut c = client();
    let ff = FrameFactory::new();
    let events = recv_ok(&mut c, &ff.settings(&[(3, 50)]));
    let [Event::RemoteSettingsChanged(e)] = &events[..] else { panic!("{events:?}") };
    assert_eq!(e.changed_settings.len(), 1);
    assert_eq!(e.changed_settings[0].setting, SettingCode::MAX_CONCURRENT_STREAMS);
    assert_eq!(e.changed_settings[0].original_value, None);
    assert_eq!(e.changed_settings[0].new_value, 50);
}

#[test]
fn peer_settings_are_acknowledged_with_an_empty_ack() {
    let mut c = client();
    let ff = FrameFactory::new();
    recv_ok(&mut c, &ff.settings(&[(4, 1000)]));
    let frames = sent(&mut c);
    assert_eq!(frames, vec![Frame::Settings(frame::Settings::ack())]);
    assert_eq!(c.remote_settings().initial_window_size(), 1000);
}

#[test]
fn ack_of_initial_settings_reports_no_changes() {
    let mut c = client();
    let ff = FrameFactory::new();
    let events = recv_ok(&mut c, &ff.settings_ack());
    assert_eq!(
        events,
        vec![Event::SettingsAcknowledged(SettingsAcknowledged { changed_settings: vec![] })]
    );
}

#[test]
fn receive_accepts_owned_and_borrowed_buffers() {
    let ff = FrameFactory::new();
    let mut a = client();
    let mut b = client();
    let data = ff.ping([1; 8]);
    let borrowed = a.receive_data(&data).unwrap();
    let owned = b.receive_bytes(Bytes::from(data.clone())).unwrap();
    assert_eq!(borrowed, owned);
    let mut reused = Vec::new();
    client().receive_into(Bytes::from(data), &mut reused).unwrap();
    assert_eq!(reused, owned);
}

#[test]
fn data_to_send_with_an_amount_keeps_the_rest() {
    let mut c = H2Connection::new(H2Configuration::client());
    c.initiate_connection().unwrap();
    let total = c.outbound_buffered();
    let first = c.data_to_send(Some(10));
    assert_eq!(first.len(), 10);
    assert_eq!(c.outbound_buffered(), total - 10);
    let rest = c.data_to_send(Some(10_000));
    assert_eq!(rest.len(), total - 10);
    assert_eq!(&first[..], &frame::PREFACE[..10]);
}

#[test]
fn clear_outbound_data_buffer_empties_it() {
    let mut c = H2Connection::new(H2Configuration::client());
    c.initiate_connection().unwrap();
    assert!(c.outbound_buffered() > 0);
    c.clear_outbound_data_buffer();
    assert!(c.data_to_send(None).is_empty());
}

#[test]
fn pair_exchanges_a_request_and_response() {
    let mut p = Pair::new();
    let id = p.client.get_next_available_stream_id().unwrap();
    p.client.send_headers(id, hdrs(REQUEST), true, no_priority()).unwrap();
    p.run();
    let ev = p.take_server_events();
    assert_eq!(names(&ev), ["RequestReceived", "StreamEnded"]);
    let Event::RequestReceived(r) = &ev[0] else { unreachable!() };
    assert_eq!(pairs(&r.headers), owned(REQUEST));
    p.server.send_headers(id, hdrs(RESPONSE), false, no_priority()).unwrap();
    p.server.send_data(id, Bytes::from_static(b"hello"), true, None).unwrap();
    p.run();
    let ev = p.take_client_events();
    assert_eq!(names(&ev), ["ResponseReceived", "DataReceived", "StreamEnded"]);
    assert!(
        matches!(&ev[1], Event::DataReceived(d) if &d.data[..] == b"hello" && d.flow_controlled_length == 5)
    );
}

#[test]
fn invalid_settings_value_in_initiate_is_impossible_but_update_settings_checks() {
    let mut c = client();
    let err = c.update_settings(&[h2wasm::Setting::new(SettingCode::ENABLE_PUSH, 2)]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidSettingsValue(_)));
}
