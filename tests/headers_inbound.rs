//! Header blocks received: validation of names, values, pseudo-header fields and request /
//! response / trailer shapes, CONNECT and extended CONNECT, the `validate_inbound_headers`
//! switch, cookie joining, never-indexed flags and arbitrary octets
//! (h2-behaviour §7.1; §11.1 scenarios 55–68, 71, 72).
//!
//! Every header-validation failure is a connection error: `ProtocolError`, GOAWAY
//! PROTOCOL_ERROR whose last stream id includes the new stream (it was created before the
//! block was validated), and no event.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod peer_view;
mod support;

use h2wasm::events::*;
use h2wasm::frame::Frame;
use h2wasm::hpack::{Encoder, Indexing};
use h2wasm::{ErrorCode, H2Configuration, H2Connection, HeaderField, Setting, SettingCode};
use peer_view::*;
use support::*;

type Fields = Vec<(&'static [u8], &'static [u8])>;

/// The default request, as octets.
fn req() -> Fields {
    vec![
        (b":method", b"GET"),
        (b":path", b"/"),
        (b":scheme", b"https"),
        (b":authority", b"example.com"),
    ]
}

/// The default request followed by one more field.
fn req_plus(name: &'static [u8], value: &'static [u8]) -> Fields {
    let mut f = req();
    f.push((name, value));
    f
}

fn show(fields: &[(&[u8], &[u8])]) -> String {
    fields
        .iter()
        .map(|(n, v)| format!("{}: {}", String::from_utf8_lossy(n), String::from_utf8_lossy(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Feeds `fields` as a request (HEADERS with END_STREAM on stream 1) to a server built from
/// `config`, and asserts the connection error every validation failure gives.
fn assert_request_rejected(config: H2Configuration, case: &str, fields: &[(&[u8], &[u8])]) {
    let mut s = server_with(config);
    let input = headers_frame(1, literal_block(fields), true);
    match recv(&mut s, &input) {
        Ok(ev) => panic!("{case}: request [{}] accepted: {ev:?}", show(fields)),
        Err((e, events)) => {
            assert_eq!(e.type_name(), "ProtocolError", "{case}: {e:?}");
            assert_eq!(e.error_code(), Some(ErrorCode::PROTOCOL_ERROR), "{case}");
            assert!(events.is_empty(), "{case}: no event may precede the error: {events:?}");
        }
    }
    let frames = sent(&mut s);
    match &frames[..] {
        [Frame::GoAway(g)] => {
            assert_eq!(g.error_code, ErrorCode::PROTOCOL_ERROR, "{case}");
            assert_eq!(g.last_stream_id, 1, "{case}: the new stream counts as processed");
        }
        other => panic!("{case}: expected one GOAWAY, got {other:?}"),
    }
}

/// Feeds `fields` as a request with END_STREAM and returns the RequestReceived's fields.
fn assert_request_accepted(
    config: H2Configuration,
    case: &str,
    fields: &[(&[u8], &[u8])],
) -> Vec<HeaderField> {
    let mut s = server_with(config);
    let input = headers_frame(1, literal_block(fields), true);
    let events = match recv(&mut s, &input) {
        Ok(ev) => ev,
        Err((e, _)) => panic!("{case}: request [{}] rejected: {e:?}", show(fields)),
    };
    assert!(sent(&mut s).is_empty(), "{case}: nothing is sent for a valid request");
    match &events[..] {
        [Event::RequestReceived(r), Event::StreamEnded(se)] => {
            assert_eq!(r.stream_id, 1, "{case}");
            assert_eq!(r.stream_ended, Some(*se), "{case}");
            assert_eq!(se.stream_id, 1, "{case}");
            r.headers.clone()
        }
        other => panic!("{case}: expected [RequestReceived, StreamEnded], got {other:?}"),
    }
}

fn as_octets(fields: &[HeaderField]) -> Vec<(Vec<u8>, Vec<u8>)> {
    fields.iter().map(|h| (h.name.to_vec(), h.value.to_vec())).collect()
}

fn octets(fields: &[(&[u8], &[u8])]) -> Vec<(Vec<u8>, Vec<u8>)> {
    fields.iter().map(|(n, v)| (n.to_vec(), v.to_vec())).collect()
}

/// A client that sent a GET on stream 1 (END_STREAM) and discarded its output.
fn client_with_request() -> H2Connection {
    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    c
}

fn assert_goaway_protocol_error(conn: &mut H2Connection, last_stream_id: u32, case: &str) {
    let frames = sent(conn);
    match &frames[..] {
        [Frame::GoAway(g)] => {
            assert_eq!(g.error_code, ErrorCode::PROTOCOL_ERROR, "{case}");
            assert_eq!(g.last_stream_id, last_stream_id, "{case}");
        }
        other => panic!("{case}: expected one GOAWAY, got {other:?}"),
    }
}

// ---- characters -----------------------------------------------------------------------

#[test]
fn uppercase_header_name_is_a_connection_protocol_error() {
    // §11.1 #56
    for name in [&b"X-Custom"[..], b"content-Type", b"Z"] {
        let mut f = req();
        f.push((name, b"1"));
        assert_request_rejected(server_config(), &String::from_utf8_lossy(name), &f);
    }
}

#[test]
fn header_names_with_separators_controls_colons_or_high_octets_are_rejected() {
    // §11.1 #57
    let cases: [(&str, &[u8]); 11] = [
        ("space", b"x foo"),
        ("htab", b"x\tfoo"),
        ("CR", b"x\rfoo"),
        ("LF", b"x\nfoo"),
        ("NUL", b"x\x00foo"),
        ("0x01", b"x\x01foo"),
        ("colon inside", b"x:foo"),
        ("colon at the end", b"xfoo:"),
        ("DEL 0x7f", b"x\x7ffoo"),
        ("0x80", b"x\x80foo"),
        ("0xff", b"x\xfffoo"),
    ];
    for (case, name) in cases {
        let mut f = req();
        f.push((name, b"1"));
        assert_request_rejected(server_config(), case, &f);
    }
}

#[test]
fn header_values_with_cr_lf_nul_or_surrounding_whitespace_are_rejected() {
    // §11.1 #58
    let cases: [(&str, &[u8]); 9] = [
        ("CR", b"a\rb"),
        ("LF", b"a\nb"),
        ("NUL", b"a\x00b"),
        ("leading SP", b" a"),
        ("trailing SP", b"a "),
        ("leading HTAB", b"\ta"),
        ("trailing HTAB", b"a\t"),
        ("only SP", b" "),
        ("trailing CRLF", b"a\r\n"),
    ];
    for (case, value) in cases {
        let mut f = req();
        f.push((b"x-value", value));
        assert_request_rejected(server_config(), case, &f);
    }
}

#[test]
fn empty_values_inner_whitespace_and_other_controls_in_values_are_accepted() {
    // §11.1 #58: only CR, LF, NUL and surrounding SP/HTAB are forbidden in values.
    let cases: [(&str, &[u8]); 4] = [
        ("empty", b""),
        ("inner SP and HTAB", b"a b\tc"),
        ("0x01 and DEL", b"a\x01\x7fb"),
        ("high octets", b"\x80\xfe\xff"),
    ];
    for (case, value) in cases {
        let mut f = req();
        f.push((b"x-value", value));
        let got = assert_request_accepted(server_config(), case, &f);
        assert_eq!(as_octets(&got), octets(&f), "{case}: fields are reported unchanged");
    }
}

#[test]
fn empty_header_name_is_rejected() {
    // §11.1 #59
    assert_request_rejected(server_config(), "empty name", &req_plus(b"", b"x"));
    let mut first = vec![(&b""[..], &b"x"[..])];
    first.extend(req());
    assert_request_rejected(server_config(), "empty name first", &first);
}

#[test]
fn non_ascii_octets_in_values_reach_the_event_unchanged() {
    // §11.1 #72: headers are octets; nothing is decoded as text, and any octet the rules
    // allow in a value arrives as sent.
    let value: &[u8] = b"caf\xc3\xa9 \xe2\x82\xac \xff\xfe\x80";
    let got =
        assert_request_accepted(server_config(), "utf-8 and latin-1", &req_plus(b"x-text", value));
    let field = got.iter().find(|h| h.name.as_ref() == b"x-text").unwrap();
    assert_eq!(field.value.as_ref(), value);
}

// ---- TE and connection-specific fields ---------------------------------------------

#[test]
fn te_trailers_is_accepted_in_any_letter_case() {
    // §11.1 #55 (inbound)
    for value in [&b"trailers"[..], b"Trailers", b"TRAILERS", b"tRaIlErS"] {
        let got = assert_request_accepted(server_config(), "te", &req_plus(b"te", value));
        assert_eq!(got.last().unwrap().value.as_ref(), value, "the value is kept as received");
    }
}

#[test]
fn te_values_other_than_trailers_are_rejected() {
    // §11.1 #55 (inbound)
    for value in [&b"gzip"[..], b"trailers, deflate", b"", b"trailers;q=1", b"chunked"] {
        assert_request_rejected(
            server_config(),
            &format!("te: {}", String::from_utf8_lossy(value)),
            &req_plus(b"te", value),
        );
    }
}

#[test]
fn received_connection_specific_fields_are_rejected() {
    // §7.1 rule 5 (the inbound side of §11.1 #52/#53).
    for name in
        [&b"connection"[..], b"proxy-connection", b"keep-alive", b"transfer-encoding", b"upgrade"]
    {
        assert_request_rejected(
            server_config(),
            &String::from_utf8_lossy(name),
            &req_plus(name, b"x"),
        );
    }
}

// ---- pseudo-header fields --------------------------------------------------------------

#[test]
fn duplicate_misplaced_or_unknown_pseudo_headers_are_rejected() {
    // §11.1 #60
    let cases: [(&str, Fields); 5] = [
        ("duplicate :method", req_plus(b":method", b"GET")),
        (
            "duplicate :path",
            vec![
                (b":method", b"GET"),
                (b":path", b"/"),
                (b":path", b"/other"),
                (b":scheme", b"https"),
                (b":authority", b"a"),
            ],
        ),
        (
            "pseudo after a regular field",
            vec![
                (b":method", b"GET"),
                (b"x-early", b"1"),
                (b":path", b"/"),
                (b":scheme", b"https"),
                (b":authority", b"a"),
            ],
        ),
        ("unknown pseudo", req_plus(b":foo", b"bar")),
        ("unknown pseudo after a regular field", {
            let mut f = req_plus(b"x-a", b"1");
            f.push((b":foo", b"bar"));
            f
        }),
    ];
    for (case, fields) in cases {
        assert_request_rejected(server_config(), case, &fields);
    }
}

#[test]
fn requests_missing_method_scheme_or_path_or_with_an_empty_path_are_rejected() {
    // §11.1 #61
    let without =
        |skip: &[u8]| -> Fields { req().into_iter().filter(|(n, _)| *n != skip).collect() };
    let cases: [(&str, Fields); 4] = [
        ("no :method", without(b":method")),
        ("no :scheme", without(b":scheme")),
        ("no :path", without(b":path")),
        (
            "empty :path",
            vec![
                (b":method", b"GET"),
                (b":path", b""),
                (b":scheme", b"https"),
                (b":authority", b"a"),
            ],
        ),
    ];
    for (case, fields) in cases {
        assert_request_rejected(server_config(), case, &fields);
    }
}

#[test]
fn request_without_authority_or_host_is_rejected() {
    // §11.1 #62
    let fields: Fields = vec![(b":method", b"GET"), (b":path", b"/"), (b":scheme", b"https")];
    assert_request_rejected(server_config(), "neither :authority nor host", &fields);
}

#[test]
fn request_with_host_only_or_a_matching_host_is_accepted() {
    // §11.1 #62
    let host_only: Fields = vec![
        (b":method", b"GET"),
        (b":path", b"/"),
        (b":scheme", b"https"),
        (b"host", b"example.com"),
    ];
    let got = assert_request_accepted(server_config(), "host only", &host_only);
    assert_eq!(as_octets(&got), octets(&host_only));
    let both = req_plus(b"host", b"example.com");
    let got = assert_request_accepted(server_config(), "equal host", &both);
    assert_eq!(as_octets(&got), octets(&both));
}

#[test]
fn mismatched_authority_and_host_or_two_host_fields_are_rejected() {
    // §11.1 #63
    let two_hosts: Fields = vec![
        (b":method", b"GET"),
        (b":path", b"/"),
        (b":scheme", b"https"),
        (b"host", b"example.com"),
        (b"host", b"example.com"),
    ];
    let cases: [(&str, Fields); 3] = [
        ("mismatch", req_plus(b"host", b"other.example")),
        ("mismatch by case", req_plus(b"host", b"EXAMPLE.com")),
        ("two equal host fields", two_hosts),
    ];
    for (case, fields) in cases {
        assert_request_rejected(server_config(), case, &fields);
    }
}

#[test]
fn status_in_a_request_is_rejected() {
    // §11.1 #64
    assert_request_rejected(server_config(), ":status last", &req_plus(b":status", b"200"));
    let mut first: Fields = vec![(b":status", b"200")];
    first.extend(req());
    assert_request_rejected(server_config(), ":status first", &first);
}

#[test]
fn responses_with_request_pseudo_headers_or_without_status_are_rejected() {
    // §11.1 #64
    let cases: [(&str, Fields); 8] = [
        ("no :status", vec![(b"content-type", b"text/plain")]),
        ("empty block", vec![]),
        (":method", vec![(b":status", b"200"), (b":method", b"GET")]),
        (":path", vec![(b":status", b"200"), (b":path", b"/")]),
        (":scheme", vec![(b":status", b"200"), (b":scheme", b"https")]),
        (":authority", vec![(b":status", b"200"), (b":authority", b"a")]),
        (":protocol", vec![(b":status", b"200"), (b":protocol", b"websocket")]),
        ("1xx with :path", vec![(b":status", b"103"), (b":path", b"/")]),
    ];
    for (case, fields) in cases {
        let mut c = client_with_request();
        let err = recv_err(&mut c, &headers_frame(1, literal_block(&fields), false));
        assert_eq!(err.type_name(), "ProtocolError", "{case}");
        assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR), "{case}");
        // A client has no inbound streams: the GOAWAY's last stream id is 0.
        assert_goaway_protocol_error(&mut c, 0, case);
    }
}

#[test]
fn response_status_syntax_is_not_checked() {
    // §7.1 "not checked": `:status abc` is a final response as far as h2 is concerned.
    let mut c = client_with_request();
    let events = recv_ok(&mut c, &headers_frame(1, literal_block(&[(b":status", b"abc")]), false));
    let [Event::ResponseReceived(r)] = &events[..] else { panic!("{events:?}") };
    assert_eq!(pairs(&r.headers), owned(&[(":status", "abc")]));
}

#[test]
fn pseudo_headers_in_received_trailers_are_rejected() {
    // §11.1 #65 (receive side; the send side is in headers_outbound.rs)
    for (case, name, value) in [
        ("server: :path", &b":path"[..], &b"/"[..]),
        ("server: :status", b":status", b"200"),
        ("server: :method", b":method", b"POST"),
    ] {
        let mut s = server();
        recv_ok(&mut s, &headers_frame(1, literal_block(&req()), false));
        let trailers = literal_block(&[(b"x-checksum", b"1"), (name, value)]);
        let err = recv_err(&mut s, &headers_frame(1, trailers, true));
        assert_eq!(err.type_name(), "ProtocolError", "{case}");
        assert_goaway_protocol_error(&mut s, 1, case);
    }
    for (case, name, value) in
        [("client: :status", &b":status"[..], &b"200"[..]), ("client: :path", b":path", b"/")]
    {
        let mut c = client_with_request();
        recv_ok(&mut c, &headers_frame(1, literal_block(&[(b":status", b"200")]), false));
        let trailers = literal_block(&[(name, value), (b"x-checksum", b"1")]);
        let err = recv_err(&mut c, &headers_frame(1, trailers, true));
        assert_eq!(err.type_name(), "ProtocolError", "{case}");
        assert_goaway_protocol_error(&mut c, 0, case);
    }
}

// ---- CONNECT ---------------------------------------------------------------------------

#[test]
fn ordinary_connect_needs_authority_or_host_and_forbids_scheme_and_path() {
    // §11.1 #66
    let ok: [(&str, Fields); 2] = [
        ("authority", vec![(b":method", b"CONNECT"), (b":authority", b"proxy.example:443")]),
        ("host only", vec![(b":method", b"CONNECT"), (b"host", b"proxy.example:443")]),
    ];
    for (case, fields) in ok {
        let got = assert_request_accepted(server_config(), case, &fields);
        assert_eq!(as_octets(&got), octets(&fields), "{case}");
    }
    let bad: [(&str, Fields); 4] = [
        ("no authority", vec![(b":method", b"CONNECT")]),
        (
            "with :scheme",
            vec![(b":method", b"CONNECT"), (b":authority", b"a:443"), (b":scheme", b"https")],
        ),
        ("with :path", vec![(b":method", b"CONNECT"), (b":authority", b"a:443"), (b":path", b"/")]),
        (":protocol without CONNECT", req_plus(b":protocol", b"websocket")),
    ];
    for (case, fields) in bad {
        assert_request_rejected(server_config(), case, &fields);
    }
}

fn extended_connect() -> Fields {
    vec![
        (b":method", b"CONNECT"),
        (b":protocol", b"websocket"),
        (b":scheme", b"https"),
        (b":path", b"/chat"),
        (b":authority", b"example.com"),
    ]
}

fn connect_protocol_server() -> H2Configuration {
    H2Configuration { enable_connect_protocol: true, ..server_config() }
}

#[test]
fn extended_connect_is_accepted_when_we_advertise_enable_connect_protocol() {
    // §11.1 #66
    let fields = extended_connect();
    let got = assert_request_accepted(connect_protocol_server(), "extended CONNECT", &fields);
    assert_eq!(as_octets(&got), octets(&fields));
}

#[test]
fn extended_connect_needs_scheme_and_path() {
    // §11.1 #66
    let without = |skip: &[u8]| -> Fields {
        extended_connect().into_iter().filter(|(n, _)| *n != skip).collect()
    };
    assert_request_rejected(connect_protocol_server(), "no :scheme", &without(b":scheme"));
    assert_request_rejected(connect_protocol_server(), "no :path", &without(b":path"));
}

#[test]
fn extended_connect_is_rejected_unless_we_advertised_enable_connect_protocol() {
    // §11.1 #66 — documented difference (docs/differences.md #12): h2 accepts `:protocol`
    // whatever SETTINGS_ENABLE_CONNECT_PROTOCOL says; h2wasm rejects it unless we advertised 1.
    assert_request_rejected(server_config(), "default config", &extended_connect());
}

#[test]
fn extended_connect_is_accepted_once_our_enable_connect_protocol_is_acknowledged() {
    // §11.1 #66 — documented difference (docs/differences.md #12): the setting counts once
    // the peer has acknowledged it.
    let mut s = server();
    s.update_settings(&[Setting::new(SettingCode::ENABLE_CONNECT_PROTOCOL, 1)]).unwrap();
    let mut pending = s.clone();
    s.clear_outbound_data_buffer();
    let ff = FrameFactory::new();
    let events = recv_ok(&mut s, &ff.settings_ack());
    assert_eq!(names(&events), ["SettingsAcknowledged"]);
    let input = headers_frame(1, literal_block(&extended_connect()), true);
    assert_eq!(names(&recv_ok(&mut s, &input)), ["RequestReceived", "StreamEnded"]);

    // Before the ACK the pending value does not count.
    pending.clear_outbound_data_buffer();
    let err = recv_err(&mut pending, &input);
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway_protocol_error(&mut pending, 1, "before the ACK");
}

// ---- validate_inbound_headers = false --------------------------------------------------------

#[test]
fn with_inbound_validation_off_every_invalid_block_is_delivered_unchanged() {
    // §11.1 #67: each block below fails validation by default (see the tests above) and is
    // delivered field for field when validation is off. Content-length is still parsed.
    let config = H2Configuration { validate_inbound_headers: false, ..server_config() };
    let cases: Vec<(&str, Fields)> = vec![
        ("uppercase name", req_plus(b"X-Custom", b"1")),
        ("space in name", req_plus(b"x foo", b"1")),
        ("NUL in name", req_plus(b"x\x00", b"1")),
        ("high octet in name", req_plus(b"x\xff", b"1")),
        ("colon in name", req_plus(b"x:y", b"1")),
        ("CR in value", req_plus(b"x", b"a\rb")),
        ("surrounding SP", req_plus(b"x", b" a ")),
        ("empty name", req_plus(b"", b"x")),
        ("te gzip", req_plus(b"te", b"gzip")),
        ("connection", req_plus(b"connection", b"close")),
        ("duplicate pseudo", req_plus(b":method", b"GET")),
        ("unknown pseudo", req_plus(b":foo", b"1")),
        ("pseudo after regular", vec![(b"x-a", b"1"), (b":method", b"GET")]),
        ("no :method", vec![(b":path", b"/")]),
        (
            "empty :path",
            vec![
                (b":method", b"GET"),
                (b":path", b""),
                (b":scheme", b"https"),
                (b":authority", b"a"),
            ],
        ),
        ("no authority", vec![(b":method", b"GET"), (b":path", b"/"), (b":scheme", b"https")]),
        ("host mismatch", req_plus(b"host", b"other")),
        (":status in request", req_plus(b":status", b"200")),
        ("CONNECT with :path", vec![(b":method", b"CONNECT"), (b":path", b"/")]),
        (":protocol without CONNECT", req_plus(b":protocol", b"websocket")),
        ("extended CONNECT without the setting", extended_connect()),
    ];
    for (case, fields) in cases {
        let got = assert_request_accepted(config.clone(), case, &fields);
        assert_eq!(as_octets(&got), octets(&fields), "{case}: fields must be unchanged");
    }
}

#[test]
fn with_inbound_validation_off_content_length_is_still_checked() {
    // §11.1 #67 / §2: content-length parsing is not governed by validate_inbound_headers.
    let config = H2Configuration { validate_inbound_headers: false, ..server_config() };
    let mut s = server_with(config);
    let fields = req_plus(b"content-length", b"abc");
    let err = recv_err(&mut s, &headers_frame(1, literal_block(&fields), false));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_goaway_protocol_error(&mut s, 1, "content-length abc");
}

#[test]
fn with_inbound_validation_off_invalid_responses_and_trailers_are_delivered() {
    // §11.1 #67 on the client side: a response without :status, then trailers carrying a
    // pseudo-header.
    let config = H2Configuration { validate_inbound_headers: false, ..client_config() };
    let mut c = client_with(config);
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let events =
        recv_ok(&mut c, &headers_frame(1, literal_block(&[(b"x-no-status", b"1")]), false));
    let [Event::ResponseReceived(r)] = &events[..] else { panic!("{events:?}") };
    assert_eq!(pairs(&r.headers), owned(&[("x-no-status", "1")]));
    let events = recv_ok(&mut c, &headers_frame(1, literal_block(&[(b":path", b"/t")]), true));
    let [Event::TrailersReceived(t), Event::StreamEnded(_)] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(pairs(&t.headers), owned(&[(":path", "/t")]));
}

// ---- cookies and never-indexed flags -------------------------------------------------------

#[test]
fn received_cookie_fields_are_joined_and_moved_last_as_never_indexed() {
    // §11.1 #68
    let fields: Fields = vec![
        (b"cookie", b"a=1"),
        (b":method", b"GET"),
        (b":path", b"/"),
        (b":scheme", b"https"),
        (b":authority", b"example.com"),
        (b"cookie", b"b=2"),
        (b"x-mid", b"m"),
        (b"cookie", b"c=3"),
    ];
    let got = assert_request_accepted(server_config(), "cookies", &fields);
    assert_eq!(
        pairs(&got),
        owned(&[
            (":method", "GET"),
            (":path", "/"),
            (":scheme", "https"),
            (":authority", "example.com"),
            ("x-mid", "m"),
            ("cookie", "a=1; b=2; c=3"),
        ])
    );
    let flags: Vec<bool> = got.iter().map(|h| h.never_indexed).collect();
    assert_eq!(flags, [false, false, false, false, false, true]);
}

#[test]
fn a_single_received_cookie_is_still_moved_last_and_marked_never_indexed() {
    // §11.1 #68: the join applies to one cookie field as well.
    let mut fields: Fields = vec![(b"cookie", b"only=1")];
    fields.extend(req());
    let got = assert_request_accepted(server_config(), "one cookie", &fields);
    let last = got.last().unwrap();
    assert_eq!((last.name.as_ref(), last.value.as_ref()), (&b"cookie"[..], &b"only=1"[..]));
    assert!(last.never_indexed);
    assert_eq!(got.len(), 5);
}

#[test]
fn with_inbound_normalisation_off_cookie_fields_stay_separate_and_in_place() {
    // §11.1 #68
    let config = H2Configuration { normalize_inbound_headers: false, ..server_config() };
    let mut fields = req();
    fields.extend([(&b"cookie"[..], &b"a=1"[..]), (b"x-mid", b"m"), (b"cookie", b"b=2")]);
    let got = assert_request_accepted(config, "cookies kept", &fields);
    assert_eq!(as_octets(&got), octets(&fields));
    assert!(got.iter().all(|h| !h.never_indexed), "literals without indexing stay indexable");
}

#[test]
fn never_indexed_flags_of_received_fields_are_preserved_in_events() {
    // §11.1 #71: fields sent as never-indexed literals arrive flagged; the others do not.
    let mut block = Vec::new();
    let fields: [(&[u8], &[u8], Indexing); 7] = [
        (b":method", b"GET", Indexing::Auto),
        (b":path", b"/", Indexing::Auto),
        (b":scheme", b"https", Indexing::Auto),
        (b":authority", b"example.com", Indexing::Never),
        (b"authorization", b"secret", Indexing::Never),
        (b"x-plain", b"1", Indexing::No),
        (b"x-indexed", b"2", Indexing::Auto),
    ];
    Encoder::new().encode(fields.iter().copied(), &mut block);
    let mut s = server();
    let events = recv_ok(&mut s, &headers_frame(1, block, true));
    let Event::RequestReceived(r) = &events[0] else { panic!("{events:?}") };
    let got: Vec<(&[u8], bool)> =
        r.headers.iter().map(|h| (h.name.as_ref(), h.never_indexed)).collect();
    let want: Vec<(&[u8], bool)> =
        fields.iter().map(|(n, _, i)| (*n, *i == Indexing::Never)).collect();
    assert_eq!(got, want);
}

#[test]
fn never_indexed_flags_are_preserved_in_pushed_request_and_response_events() {
    // §11.1 #71 on the client side: PUSH_PROMISE and response blocks keep the flags too.
    let mut c = client_with_request();
    let mut enc = Encoder::new();
    let mut promise = Vec::new();
    enc.encode(
        [
            (&b":method"[..], &b"GET"[..], Indexing::Auto),
            (b":path", b"/style.css", Indexing::Auto),
            (b":scheme", b"https", Indexing::Auto),
            (b":authority", b"example.com", Indexing::Never),
            (b"x-after", b"1", Indexing::Auto),
        ],
        &mut promise,
    );
    let events = recv_ok(&mut c, &push_promise_frame(1, 2, promise));
    let [Event::PushedStreamReceived(p)] = &events[..] else { panic!("{events:?}") };
    let flags: Vec<bool> = p.headers.iter().map(|h| h.never_indexed).collect();
    assert_eq!(flags, [false, false, false, true, false]);
    let mut response = Vec::new();
    enc.encode(
        [(&b":status"[..], &b"200"[..], Indexing::Auto), (b"set-cookie", b"k=v", Indexing::Never)],
        &mut response,
    );
    let events = recv_ok(&mut c, &headers_frame(1, response, false));
    let [Event::ResponseReceived(r)] = &events[..] else { panic!("{events:?}") };
    let flags: Vec<bool> = r.headers.iter().map(|h| h.never_indexed).collect();
    assert_eq!(flags, [false, true]);
}
