//! HPACK at the connection level: undecodable blocks, the header-list bomb, table size
//! updates beyond our limit, and the compression context kept across reset streams
//! (h2-behaviour §4, §6.3, §7.1; §11.1 scenarios 74–77).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod peer_view;
mod support;

use h2wasm::events::*;
use h2wasm::frame::Frame;
use h2wasm::{ErrorCode, H2Configuration, H2Connection};
use peer_view::*;
use support::*;

/// Header blocks no HPACK decoder may accept, each with what is wrong with it.
const BAD_BLOCKS: [(&str, &[u8]); 9] = [
    ("indexed field 0", b"\x80"),
    ("index beyond both tables", b"\xc6"),
    ("integer cut short", b"\xff"),
    ("integer too large", b"\xff\xff\xff\xff\xff\xff\xff\xff\x7f"),
    ("string cut short", b"\x00\x05a"),
    ("Huffman padding of eight bits", b"\x00\x81\xff\x01a"),
    ("Huffman EOS symbol", b"\x00\x84\xff\xff\xff\xff\x01a"),
    ("size update after a field", b"\x82\x20"),
    ("size update above our limit", b"\x3f\xe2\x1f\x82\x84\x87"),
];

/// A server that accepted a complete request on stream 1.
fn server_after_stream_1(config: H2Configuration) -> H2Connection {
    let mut s = server_with(config);
    let ff = &mut FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).end_stream().bytes());
    s.clear_outbound_data_buffer();
    s
}

fn assert_hpack_failure(config: H2Configuration, code: ErrorCode) {
    for (case, block) in BAD_BLOCKS {
        let mut s = server_after_stream_1(config.clone());
        let err = match recv(&mut s, &headers_frame(3, block.to_vec(), true)) {
            Ok(ev) => panic!("{case}: accepted: {ev:?}"),
            Err((e, events)) => {
                assert!(events.is_empty(), "{case}: {events:?}");
                e
            }
        };
        assert_eq!(err.type_name(), "ProtocolError", "{case}: {err:?}");
        assert_eq!(err.error_code(), Some(code), "{case}");
        let frames = sent(&mut s);
        let [Frame::GoAway(g)] = &frames[..] else { panic!("{case}: {frames:?}") };
        assert_eq!(g.error_code, code, "{case}");
        assert_eq!(g.last_stream_id, 1, "{case}: stream 3 was never opened");
        assert_eq!(s.highest_inbound_stream_id(), 1, "{case}");
        assert_eq!(s.stream_state(3), None, "{case}");
    }
}

#[test]
fn undecodable_header_block_is_a_protocol_error_excluding_the_new_stream() {
    // §11.1 #74: h2 reports HPACK errors as PROTOCOL_ERROR, and decoding happens before the
    // stream is created, so the GOAWAY's last stream id is the previous stream.
    assert_hpack_failure(server_config(), ErrorCode::PROTOCOL_ERROR);
}

#[test]
fn undecodable_header_block_is_a_compression_error_with_strict_rfc() {
    // §11.1 #74 — documented difference (docs/differences.md #19), opt-in: with `strict_rfc`
    // the code is COMPRESSION_ERROR as RFC 9113 §4.3 requires.
    let config = H2Configuration { strict_rfc: true, ..server_config() };
    assert_hpack_failure(config, ErrorCode::COMPRESSION_ERROR);
}

#[test]
fn undecodable_first_block_gives_goaway_with_last_stream_id_0() {
    // §11.1 #74 on a fresh connection.
    let mut s = server();
    let err = recv_err(&mut s, &headers_frame(1, b"\x80".to_vec(), true));
    assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 0);
    assert_eq!(s.highest_inbound_stream_id(), 0);
}

#[test]
fn undecodable_trailers_and_push_promise_blocks_are_protocol_errors() {
    // §11.1 #74 for the other kinds of header block.
    let mut s = server();
    recv_ok(&mut s, &FrameFactory::new().headers(1, REQUEST).bytes());
    s.clear_outbound_data_buffer();
    let err = recv_err(&mut s, &headers_frame(1, b"\x00\x05a".to_vec(), true));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);

    let mut c = client();
    c.send_headers(1, hdrs(REQUEST), true, no_priority()).unwrap();
    c.clear_outbound_data_buffer();
    let err = recv_err(&mut c, &push_promise_frame(1, 2, b"\xc6".to_vec()));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(expect_goaway(&mut c, ErrorCode::PROTOCOL_ERROR), 0);
    assert_eq!(c.stream_state(2), None, "no pushed stream was reserved");
}

#[test]
fn a_header_list_bomb_is_refused_with_enhance_your_calm() {
    // §11.1 #75: one 4,000-octet entry indexed once, then referenced 17 times: the decoded
    // list (17 × 4,033 octets plus the request) exceeds our 65,536-octet
    // SETTINGS_MAX_HEADER_LIST_SIZE although the block is only about 4 KiB.
    let mut block = b"\x82\x84\x87\x41\x0bexample.com".to_vec();
    block.extend([0x40, 0x01, b'x', 0x7f, 0xa1, 0x1e]); // new name "x", value length 4,000
    block.extend(std::iter::repeat_n(b'a', 4000));
    block.extend([0xbe; 17]); // index 62: the entry just added
    assert!(block.len() < 4200);
    let mut s = server();
    let err = recv_err(&mut s, &headers_frame(1, block, true));
    assert_eq!(err.type_name(), "DenialOfServiceError");
    assert_eq!(err.error_code(), Some(ErrorCode::ENHANCE_YOUR_CALM));
    assert_eq!(expect_goaway(&mut s, ErrorCode::ENHANCE_YOUR_CALM), 0);
}

#[test]
fn a_list_just_under_the_limit_is_accepted() {
    // §11.1 #75 control: 15 references stay under 65,536 octets.
    let mut block = b"\x82\x84\x87\x41\x0bexample.com".to_vec();
    block.extend([0x40, 0x01, b'x', 0x7f, 0xa1, 0x1e]);
    block.extend(std::iter::repeat_n(b'a', 4000));
    block.extend([0xbe; 15]);
    let mut s = server();
    let events = recv_ok(&mut s, &headers_frame(1, block, true));
    let Event::RequestReceived(r) = &events[0] else { panic!("{events:?}") };
    assert_eq!(r.headers.len(), 4 + 16);
}

#[test]
fn table_size_update_above_our_setting_is_a_protocol_error() {
    // §11.1 #76: our SETTINGS_HEADER_TABLE_SIZE is 4,096; an update to 4,097 is refused.
    let mut s = server();
    let mut block = vec![0x3f, 0xe2, 0x1f]; // size update to 4,097
    block.extend(FrameFactory::new().block(REQUEST));
    let err = recv_err(&mut s, &headers_frame(1, block, true));
    assert_eq!(err.type_name(), "ProtocolError");
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 0);
}

#[test]
fn table_size_updates_within_our_setting_are_accepted() {
    // §11.1 #76 control: shrinking to 0 and growing back to 4,096 in one block.
    let mut s = server();
    let mut block = vec![0x20, 0x3f, 0xe1, 0x1f]; // size updates to 0, then 4,096
    block.extend(FrameFactory::new().block(REQUEST));
    let events = recv_ok(&mut s, &headers_frame(1, block, true));
    assert_eq!(names(&events), ["RequestReceived", "StreamEnded"]);
}

// ---- the compression context across reset streams ---------------------------------------

/// The fields of the RequestReceived in `events`.
fn request_fields(events: &[Event]) -> Vec<(String, String)> {
    match &events[0] {
        Event::RequestReceived(r) => pairs(&r.headers),
        other => panic!("expected RequestReceived, got {other:?}"),
    }
}

#[test]
fn late_headers_on_a_stream_we_reset_are_still_decoded() {
    // §11.1 #77: the trailers arrive after our RST_STREAM; they get RST_STREAM(STREAM_CLOSED)
    // and no event, but their new table entry is kept, so the next request — which refers
    // to it by index — decodes correctly.
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    s.clear_outbound_data_buffer();

    let late = ff.headers(1, &[("x-late-entry", "indexed-now")]).end_stream().bytes();
    assert!(recv_ok(&mut s, &late).is_empty());
    let frames = sent(&mut s);
    let [Frame::RstStream(r)] = &frames[..] else { panic!("{frames:?}") };
    assert_eq!((r.stream_id, r.error_code), (1, ErrorCode::STREAM_CLOSED));

    let mut request = REQUEST.to_vec();
    request.push(("x-late-entry", "indexed-now"));
    let next = ff.headers(3, &request).end_stream().bytes();
    // The factory's encoder refers to the entry by index: the block is short.
    assert!(next.len() < 9 + 6, "{} octets", next.len());
    let events = recv_ok(&mut s, &next);
    assert_eq!(request_fields(&events), owned(&request));
}

#[test]
fn late_headers_on_a_stream_the_peer_reset_are_still_decoded() {
    // §11.1 #77 with the reset coming from the peer.
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    recv_ok(&mut s, &ff.rst(1, ErrorCode::CANCEL));
    s.clear_outbound_data_buffer();
    assert!(recv_ok(&mut s, &ff.headers(1, &[("x-late", "1")]).end_stream().bytes()).is_empty());
    assert!(matches!(&sent(&mut s)[..], [Frame::RstStream(r)] if r.stream_id == 1));
    let mut request = REQUEST.to_vec();
    request.push(("x-late", "1"));
    let events = recv_ok(&mut s, &ff.headers(3, &request).end_stream().bytes());
    assert_eq!(request_fields(&events), owned(&request));
}

#[test]
fn late_headers_on_a_forgotten_reset_stream_are_still_decoded() {
    // §11.1 #77 after the reset stream moved to the closed-stream memory (another stream was
    // opened in between).
    let mut s = server();
    let mut ff = FrameFactory::new();
    recv_ok(&mut s, &ff.headers(1, REQUEST).bytes());
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    recv_ok(&mut s, &ff.headers(3, REQUEST).bytes());
    assert_eq!(s.stream_state(1), None, "stream 1 was cleaned up");
    s.clear_outbound_data_buffer();

    assert!(recv_ok(&mut s, &ff.headers(1, &[("x-late", "2")]).end_stream().bytes()).is_empty());
    let frames = sent(&mut s);
    let [Frame::RstStream(r)] = &frames[..] else { panic!("{frames:?}") };
    assert_eq!((r.stream_id, r.error_code), (1, ErrorCode::STREAM_CLOSED));

    let mut request = REQUEST.to_vec();
    request.push(("x-late", "2"));
    let events = recv_ok(&mut s, &ff.headers(5, &request).end_stream().bytes());
    assert_eq!(request_fields(&events), owned(&request));
}

#[test]
fn an_undecodable_block_on_a_reset_stream_is_still_a_connection_error() {
    // §11.1 #74/#77: late blocks are decoded, so their HPACK errors count.
    let mut s = server();
    recv_ok(&mut s, &FrameFactory::new().headers(1, REQUEST).bytes());
    s.reset_stream(1, ErrorCode::CANCEL).unwrap();
    s.clear_outbound_data_buffer();
    let err = recv_err(&mut s, &headers_frame(1, b"\x80".to_vec(), true));
    assert_eq!(err.error_code(), Some(ErrorCode::PROTOCOL_ERROR));
    assert_eq!(expect_goaway(&mut s, ErrorCode::PROTOCOL_ERROR), 1);
}
