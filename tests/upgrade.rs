//! The h2c upgrade (RFC 7540 §3.2): `initiate_upgrade_connection` on both sides
//! (h2-behaviour §1; §11.1 scenarios 138–139).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod support;

use h2wasm::connection::{ConnectionState, StreamState};
use h2wasm::events::*;
use h2wasm::frame::{self, Frame};
use h2wasm::{ErrorCode, H2Configuration, H2Connection, SettingCode};
use support::*;

/// Standard base64 decoding of the url-safe alphabet, for checking the client's header.
fn b64url_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            other => panic!("not base64url: {other:#x}"),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// base64url of a SETTINGS payload holding `pairs`.
fn settings_header(pairs: &[(u16, u32)]) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let payload: Vec<u8> = pairs
        .iter()
        .flat_map(|&(c, v)| c.to_be_bytes().into_iter().chain(v.to_be_bytes()))
        .collect();
    assert_eq!(payload.len() % 3, 0, "SETTINGS payloads never need base64 padding");
    payload
        .chunks(3)
        .flat_map(|c| {
            let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
            (0..4).map(move |i| ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize])
        })
        .collect()
}

fn upgraded_client() -> (H2Connection, String) {
    let mut c = H2Connection::new(H2Configuration::client());
    let header = c.initiate_upgrade_connection(None).unwrap().expect("a client gets a header");
    (c, header)
}

fn upgraded_server(header: &[u8]) -> H2Connection {
    let mut s = H2Connection::new(H2Configuration::server());
    assert_eq!(s.initiate_upgrade_connection(Some(header)).unwrap(), None);
    s
}

// ---- client ------------------------------------------------------------------------------

// §11.1 #138
#[test]
fn client_upgrade_returns_its_settings_as_base64url_and_queues_preface_and_settings() {
    let (mut c, header) = upgraded_client();
    let out = c.data_to_send(None);
    assert_eq!(&out[..24], frame::PREFACE);
    let frames = parse_frames(&out[24..]);
    let [Frame::Settings(settings)] = &frames[..] else { panic!("{frames:?}") };
    assert!(!settings.ack);
    // The header is the payload of that very SETTINGS frame.
    let mut payload = Vec::new();
    settings.encode_payload(&mut payload);
    assert_eq!(b64url_decode(&header), payload);
    // 42 octets encode to 56 characters, url-safe alphabet (65,535 gives "__").
    assert_eq!(header.len(), 56);
    assert!(header.contains("__"), "{header}");
    assert!(!header.contains(['+', '/']), "{header}");
}

// §11.1 #138
#[test]
fn client_upgrade_leaves_stream_1_half_closed_local() {
    let (mut c, _) = upgraded_client();
    c.clear_outbound_data_buffer();
    assert_eq!(c.stream_state(1), Some(StreamState::HalfClosedLocal));
    assert_eq!(c.state(), ConnectionState::ClientOpen);
    assert_eq!(c.get_next_available_stream_id().unwrap(), 3);
    assert_eq!(c.open_outbound_streams(), 1);
    // The HTTP/1.1 request was the request: nothing more may be sent on stream 1.
    let err = c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap_err();
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    assert!(c.data_to_send(None).is_empty());
}

// §11.1 #138
#[test]
fn client_upgrade_receives_the_response_on_stream_1() {
    let (mut c, _) = upgraded_client();
    c.clear_outbound_data_buffer();
    let mut ff = FrameFactory::new();
    let mut input = ff.settings(&[]);
    input.extend(ff.headers(1, RESPONSE).bytes());
    input.extend(ff.data(1, b"hello", true));
    let events = recv_ok(&mut c, &input);
    assert_eq!(
        names(&events),
        ["RemoteSettingsChanged", "ResponseReceived", "DataReceived", "StreamEnded"]
    );
    let Event::ResponseReceived(r) = &events[1] else { unreachable!() };
    assert_eq!((r.stream_id, pairs(&r.headers)), (1, owned(RESPONSE)));
    assert_eq!(c.stream_state(1), Some(StreamState::Closed));
}

// ---- server ------------------------------------------------------------------------------

// §11.1 #139
#[test]
fn server_upgrade_applies_the_client_settings_without_ack_or_event() {
    let header = settings_header(&[(3, 100), (4, 1_000), (2, 1)]);
    let mut s = upgraded_server(&header);
    assert_eq!(s.remote_settings().get(SettingCode::MAX_CONCURRENT_STREAMS), Some(100));
    assert_eq!(s.remote_settings().initial_window_size(), 1_000);
    assert!(s.remote_settings().enable_push());
    // Only the server's own SETTINGS is queued: no ACK.
    let frames = sent(&mut s);
    let [Frame::Settings(own)] = &frames[..] else { panic!("{frames:?}") };
    assert!(!own.ack);
    // Stream 1 was created after the settings took effect.
    assert_eq!(s.local_flow_control_window(1).unwrap(), 1_000);
}

// §11.1 #139
#[test]
fn server_upgrade_leaves_stream_1_half_closed_remote() {
    let mut s = upgraded_server(&settings_header(&[(3, 100)]));
    s.clear_outbound_data_buffer();
    assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote));
    assert_eq!(s.state(), ConnectionState::ServerOpen);
    assert_eq!(s.highest_inbound_stream_id(), 1);
    assert_eq!(s.open_inbound_streams(), 1);
    assert_eq!(s.get_next_available_stream_id().unwrap(), 2);
}

// §11.1 #139
#[test]
fn server_upgrade_still_requires_the_client_preface() {
    let ff = FrameFactory::new();
    let mut s = upgraded_server(&settings_header(&[(3, 100)]));
    s.clear_outbound_data_buffer();
    let err = s.receive_data(&ff.settings(&[])).unwrap_err();
    assert_eq!(err.error.type_name(), "ProtocolError");
    assert!(s.data_to_send(None).is_empty(), "no GOAWAY for a bad preface");
    let events = recv_ok(&mut s, &ff.preamble());
    assert_eq!(names(&events), ["RemoteSettingsChanged"]);
}

// §11.1 #139
#[test]
fn server_upgrade_can_respond_and_push_on_stream_1() {
    let (c, header) = upgraded_client();
    let s = upgraded_server(header.as_bytes());
    let mut p = Pair { client: c, server: s, client_events: vec![], server_events: vec![] };
    p.run();
    // No RequestReceived for stream 1: the HTTP/1.1 request was the request.
    assert_eq!(names(&p.take_server_events()), ["RemoteSettingsChanged", "SettingsAcknowledged"]);
    assert_eq!(names(&p.take_client_events()), ["RemoteSettingsChanged", "SettingsAcknowledged"]);

    let promised =
        [(":method", "GET"), (":path", "/style.css"), (":scheme", "http"), (":authority", "h")];
    p.server.push_stream(1, 2, hdrs(&promised)).unwrap();
    p.server.send_headers(1, hdrs(RESPONSE), false, no_priority()).unwrap();
    p.server.send_data(1, bytes::Bytes::from_static(b"body"), true, None).unwrap();
    p.server.send_headers(2, hdrs(RESPONSE), true, no_priority()).unwrap();
    p.run();
    assert_eq!(
        names(&p.take_client_events()),
        [
            "PushedStreamReceived",
            "ResponseReceived",
            "DataReceived",
            "StreamEnded",
            "ResponseReceived",
            "StreamEnded"
        ]
    );
    assert_eq!(p.client.stream_state(1), Some(StreamState::Closed));
    assert_eq!(p.server.stream_state(1), Some(StreamState::Closed));
}

// §11.1 #139
#[test]
fn server_upgrade_header_decoding_is_lenient() {
    let plain = settings_header(&[(3, 100), (4, 1_000)]);
    assert_eq!(plain, b"AAMAAABkAAQAAAPo");
    let mut padded = plain.clone();
    padded.extend(b"==");
    let mut spaced = plain.clone();
    spaced.insert(8, b'\n');
    spaced.insert(4, b' ');
    for header in [plain, padded, spaced] {
        let s = upgraded_server(&header);
        assert_eq!(s.remote_settings().initial_window_size(), 1_000, "{header:?}");
        assert_eq!(s.remote_settings().get(SettingCode::MAX_CONCURRENT_STREAMS), Some(100));
    }
    // No header, or an empty one, applies nothing.
    for header in [None, Some(&b""[..])] {
        let mut s = H2Connection::new(H2Configuration::server());
        assert_eq!(s.initiate_upgrade_connection(header).unwrap(), None);
        assert_eq!(s.remote_settings().get(SettingCode::MAX_CONCURRENT_STREAMS), None);
        assert_eq!(s.stream_state(1), Some(StreamState::HalfClosedRemote));
    }
}

/// Documented difference (docs/differences.md #5): h2 lets a hyperframe or binascii exception
/// escape for a malformed header; h2wasm raises ProtocolError.
// §11.1 #139
#[test]
fn server_upgrade_with_a_malformed_header_is_a_protocol_error() {
    // "AAAA" decodes to 3 octets, not a whole setting.
    for header in [&b"AAAA"[..], b"AA-_", b"AAMAAABkAAQAAAP"] {
        let mut s = H2Connection::new(H2Configuration::server());
        let err = s.initiate_upgrade_connection(Some(header)).unwrap_err();
        assert_eq!(
            (err.type_name(), err.error_code()),
            ("ProtocolError", Some(ErrorCode::PROTOCOL_ERROR)),
            "{header:?}"
        );
        assert_eq!(s.state(), ConnectionState::Idle);
        assert_eq!(s.stream_state(1), None);
    }
}

// §11.1 #139
#[test]
fn server_upgrade_with_an_invalid_setting_value_fails() {
    let mut s = H2Connection::new(H2Configuration::server());
    let err = s.initiate_upgrade_connection(Some(&settings_header(&[(2, 2)]))).unwrap_err();
    assert_eq!(
        (err.type_name(), err.error_code()),
        ("InvalidSettingsValueError", Some(ErrorCode::PROTOCOL_ERROR))
    );
    let mut s = H2Connection::new(H2Configuration::server());
    let err = s.initiate_upgrade_connection(Some(&settings_header(&[(4, 1 << 31)]))).unwrap_err();
    assert_eq!(err.error_code(), Some(ErrorCode::FLOW_CONTROL_ERROR));
    assert_eq!(s.stream_state(1), None);
}
