//! Round trips for every frame type, checked against hand-written wire bytes laid out as in
//! RFC 9113 §6, RFC 7838 §4, RFC 8336 §2 and RFC 9218 §7.1.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
mod common;

use bytes::Bytes;
use common::{hex, parse, parse_max};
use h2wasm::frame::{
    kind, AltSvc, Continuation, Data, Frame, FrameHeader, GoAway, Headers, Origin, Ping, Priority,
    PrioritySpec, PriorityUpdate, PushPromise, RstStream, Settings, Unknown, WindowUpdate,
    HEADER_LEN, PREFACE,
};
use h2wasm::settings::{Setting, SettingCode};
use h2wasm::ErrorCode;

/// `frame` encodes to exactly `wire`, and `wire` parses back to `frame`.
#[track_caller]
fn check_wire(frame: impl Into<Frame>, wire: &str) {
    let frame = frame.into();
    let wire = hex(wire);
    assert_eq!(frame.to_bytes(), wire, "encoding of {frame:?}");
    assert_eq!(parse(&wire).unwrap(), frame, "parse of {wire:02x?}");
}

/// `frame` survives encode → parse and keeps its kind and stream id.
#[track_caller]
fn round_trip(frame: impl Into<Frame>) -> Frame {
    let frame = frame.into();
    let wire = frame.to_bytes();
    let head = FrameHeader::parse(&wire).unwrap();
    assert_eq!(head.length as usize, wire.len() - HEADER_LEN);
    assert_eq!(head.kind, frame.kind());
    assert_eq!(head.stream_id, frame.stream_id());
    let back = parse(&wire).unwrap();
    assert_eq!(back, frame);
    back
}

fn b(s: &'static [u8]) -> Bytes {
    Bytes::from_static(s)
}

#[test]
fn preface_is_the_rfc_9113_octet_sequence() {
    assert_eq!(&PREFACE[..], &hex("505249202a20485454502f322e300d0a0d0a534d0d0a0d0a")[..]);
}

// ---- DATA (§6.1) ----

#[test]
fn data_plain_with_end_stream_matches_wire_layout() {
    check_wire(Data::new(1, b(b"hello"), true), "000005 00 01 00000001 68656c6c6f");
}

#[test]
fn data_without_end_stream_clears_the_flag() {
    check_wire(Data::new(0x7fff_ffff, b(b"hi"), false), "000002 00 00 7fffffff 6869");
}

#[test]
fn data_padded_carries_pad_length_and_zero_padding() {
    let f = Data { stream_id: 3, end_stream: false, pad_len: Some(3), data: b(b"hi") };
    assert_eq!(f.flow_controlled_len(), 6);
    check_wire(f, "000006 00 08 00000003 03 6869 000000");
}

#[test]
fn data_pad_length_zero_keeps_the_pad_length_octet() {
    let f = Data { stream_id: 5, end_stream: true, pad_len: Some(0), data: b(b"hi") };
    assert_eq!(f.flow_controlled_len(), 3);
    check_wire(f, "000003 00 09 00000005 00 6869");
}

#[test]
fn data_empty_round_trips() {
    check_wire(Data::new(1, Bytes::new(), true), "000000 00 01 00000001");
    round_trip(Data { stream_id: 1, end_stream: false, pad_len: Some(255), data: Bytes::new() });
}

#[test]
fn data_padding_contents_are_not_checked_on_receipt() {
    let f = parse(&hex("000004 00 08 00000001 02 41 ffee")).unwrap();
    assert_eq!(f, Data { stream_id: 1, end_stream: false, pad_len: Some(2), data: b(b"A") }.into());
}

// ---- HEADERS (§6.2) ----

#[test]
fn headers_plain_with_end_stream_and_end_headers_matches_wire_layout() {
    let f = Headers {
        stream_id: 1,
        end_stream: true,
        end_headers: true,
        pad_len: None,
        priority: None,
        fragment: b(&[0x82, 0x86, 0x84, 0x41]),
    };
    check_wire(f, "000004 01 05 00000001 82868441");
}

#[test]
fn headers_without_end_flags_clears_them() {
    let f = Headers { stream_id: 3, fragment: b(&[0x82]), ..Headers::default() };
    check_wire(f, "000001 01 00 00000003 82");
}

#[test]
fn headers_padded_matches_wire_layout() {
    let f = Headers {
        stream_id: 1,
        end_headers: true,
        pad_len: Some(2),
        fragment: b(&[0x82, 0x86]),
        ..Headers::default()
    };
    check_wire(f, "000005 01 0c 00000001 02 8286 0000");
}

#[test]
fn headers_with_exclusive_priority_and_weight_256_matches_wire_layout() {
    let f = Headers {
        stream_id: 3,
        end_stream: false,
        end_headers: true,
        pad_len: None,
        priority: Some(PrioritySpec { dependency: 1, exclusive: true, weight: 256 }),
        fragment: b(&[0x82]),
    };
    check_wire(f, "000006 01 24 00000003 80000001 ff 82");
}

#[test]
fn headers_with_weight_1_and_padding_matches_wire_layout() {
    let f = Headers {
        stream_id: 3,
        end_stream: true,
        end_headers: false,
        pad_len: Some(2),
        priority: Some(PrioritySpec { dependency: 0x7fff_ffff, exclusive: false, weight: 1 }),
        fragment: b(&[0x82]),
    };
    check_wire(f, "000009 01 29 00000003 02 7fffffff 00 82 0000");
}

#[test]
fn headers_variants_round_trip() {
    for end_stream in [false, true] {
        for end_headers in [false, true] {
            for pad_len in [None, Some(0), Some(1), Some(255)] {
                for priority in [
                    None,
                    Some(PrioritySpec::default()),
                    Some(PrioritySpec { dependency: 5, exclusive: true, weight: 1 }),
                    Some(PrioritySpec { dependency: 0, exclusive: true, weight: 256 }),
                ] {
                    round_trip(Headers {
                        stream_id: 9,
                        end_stream,
                        end_headers,
                        pad_len,
                        priority,
                        fragment: b(b"field block"),
                    });
                }
            }
        }
    }
}

#[test]
fn priority_spec_default_is_weight_16_on_stream_0() {
    assert_eq!(PrioritySpec::default().to_bytes(), [0, 0, 0, 0, 15]);
}

// ---- PRIORITY (§6.3) ----

#[test]
fn priority_matches_wire_layout() {
    let f = Priority {
        stream_id: 5,
        spec: PrioritySpec { dependency: 3, exclusive: false, weight: 16 },
    };
    check_wire(f, "000005 02 00 00000005 00000003 0f");
    let f =
        Priority { stream_id: 5, spec: PrioritySpec { dependency: 0, exclusive: true, weight: 1 } };
    check_wire(f, "000005 02 00 00000005 80000000 00");
}

// ---- RST_STREAM (§6.4) ----

#[test]
fn rst_stream_matches_wire_layout() {
    check_wire(
        RstStream { stream_id: 1, error_code: ErrorCode::CANCEL },
        "000004 03 00 00000001 00000008",
    );
}

#[test]
fn rst_stream_keeps_an_unknown_error_code() {
    let f = RstStream { stream_id: 7, error_code: ErrorCode(0xdead_beef) };
    check_wire(f, "000004 03 00 00000007 deadbeef");
    for code in ErrorCode::ALL_KNOWN {
        round_trip(RstStream { stream_id: 1, error_code: code });
    }
}

// ---- SETTINGS (§6.5) ----

#[test]
fn settings_keep_unknown_ids_and_duplicates_in_wire_order() {
    let f = Settings {
        ack: false,
        settings: vec![
            Setting::new(SettingCode::HEADER_TABLE_SIZE, 4096),
            Setting::new(SettingCode::ENABLE_PUSH, 0),
            Setting::new(SettingCode(0xabcd), 7),
            Setting::new(SettingCode::HEADER_TABLE_SIZE, 0),
        ],
    };
    check_wire(f, "000018 04 00 00000000 0001 00001000 0002 00000000 abcd 00000007 0001 00000000");
}

#[test]
fn settings_empty_and_ack_match_wire_layout() {
    check_wire(Settings::default(), "000000 04 00 00000000");
    check_wire(Settings::ack(), "000000 04 01 00000000");
}

#[test]
fn settings_all_known_ids_round_trip() {
    let settings = [
        SettingCode::HEADER_TABLE_SIZE,
        SettingCode::ENABLE_PUSH,
        SettingCode::MAX_CONCURRENT_STREAMS,
        SettingCode::INITIAL_WINDOW_SIZE,
        SettingCode::MAX_FRAME_SIZE,
        SettingCode::MAX_HEADER_LIST_SIZE,
        SettingCode::ENABLE_CONNECT_PROTOCOL,
        SettingCode::NO_RFC7540_PRIORITIES,
    ]
    .into_iter()
    .enumerate()
    .map(|(i, code)| Setting::new(code, i as u32 * 1000))
    .collect();
    round_trip(Settings { ack: false, settings });
}

#[test]
fn settings_payload_alone_is_the_pairs() {
    let f =
        Settings { ack: false, settings: vec![Setting::new(SettingCode::MAX_FRAME_SIZE, 0x4000)] };
    let mut out = Vec::new();
    f.encode_payload(&mut out);
    assert_eq!(out, hex("0005 00004000"));
}

// ---- PUSH_PROMISE (§6.6) ----

#[test]
fn push_promise_matches_wire_layout() {
    let f = PushPromise {
        stream_id: 1,
        promised_stream_id: 2,
        end_headers: true,
        pad_len: None,
        fragment: b(&[0x82, 0x87]),
    };
    check_wire(f, "000006 05 04 00000001 00000002 8287");
}

#[test]
fn push_promise_padded_matches_wire_layout() {
    let f = PushPromise {
        stream_id: 3,
        promised_stream_id: 0x7fff_fffe,
        end_headers: false,
        pad_len: Some(4),
        fragment: b(&[0x82, 0x87]),
    };
    check_wire(f, "00000b 05 08 00000003 04 7ffffffe 8287 00000000");
}

#[test]
fn push_promise_variants_round_trip() {
    for pad_len in [None, Some(0), Some(255)] {
        for end_headers in [false, true] {
            for fragment in [Bytes::new(), b(b"promised request")] {
                round_trip(PushPromise {
                    stream_id: 1,
                    promised_stream_id: 4,
                    end_headers,
                    pad_len,
                    fragment,
                });
            }
        }
    }
}

// ---- PING (§6.7) ----

#[test]
fn ping_and_ping_ack_match_wire_layout() {
    check_wire(
        Ping { ack: false, payload: [1, 2, 3, 4, 5, 6, 7, 8] },
        "000008 06 00 00000000 0102030405060708",
    );
    check_wire(Ping { ack: true, payload: [0xff; 8] }, "000008 06 01 00000000 ffffffffffffffff");
}

// ---- GOAWAY (§6.8) ----

#[test]
fn goaway_without_debug_data_matches_wire_layout() {
    let f = GoAway {
        last_stream_id: 7,
        error_code: ErrorCode::PROTOCOL_ERROR,
        debug_data: Bytes::new(),
    };
    check_wire(f, "000008 07 00 00000000 00000007 00000001");
}

#[test]
fn goaway_with_debug_data_matches_wire_layout() {
    let f = GoAway {
        last_stream_id: 0x7fff_ffff,
        error_code: ErrorCode(0x1234),
        debug_data: b(b"bye"),
    };
    check_wire(f, "00000b 07 00 00000000 7fffffff 00001234 627965");
}

// ---- WINDOW_UPDATE (§6.9) ----

#[test]
fn window_update_on_the_connection_matches_wire_layout() {
    check_wire(WindowUpdate { stream_id: 0, increment: 65_535 }, "000004 08 00 00000000 0000ffff");
}

#[test]
fn window_update_on_a_stream_with_the_largest_increment_matches_wire_layout() {
    check_wire(
        WindowUpdate { stream_id: 9, increment: 0x7fff_ffff },
        "000004 08 00 00000009 7fffffff",
    );
    round_trip(WindowUpdate { stream_id: 0, increment: 1 });
}

// ---- CONTINUATION (§6.10) ----

#[test]
fn continuation_matches_wire_layout() {
    check_wire(
        Continuation { stream_id: 1, end_headers: true, fragment: b(&[0x84, 0x85]) },
        "000002 09 04 00000001 8485",
    );
    check_wire(
        Continuation { stream_id: 1, end_headers: false, fragment: Bytes::new() },
        "000000 09 00 00000001",
    );
}

// ---- ALTSVC (RFC 7838 §4) ----

#[test]
fn altsvc_on_stream_0_with_origin_matches_wire_layout() {
    let f =
        AltSvc { stream_id: 0, origin: b(b"https://example.com"), field_value: b(b"h2=\":443\"") };
    check_wire(
        f,
        "00001e 0a 00 00000000 0013 68747470733a2f2f6578616d706c652e636f6d 68323d223a34343322",
    );
}

#[test]
fn altsvc_on_a_stream_without_origin_matches_wire_layout() {
    let f = AltSvc { stream_id: 3, origin: Bytes::new(), field_value: b(b"h2=\":443\"") };
    check_wire(f, "00000b 0a 00 00000003 0000 68323d223a34343322");
    round_trip(AltSvc { stream_id: 3, origin: Bytes::new(), field_value: Bytes::new() });
}

// ---- ORIGIN (RFC 8336 §2) ----

#[test]
fn origin_from_origins_matches_wire_layout_and_entries_read_it_back() {
    let f = Origin::from_origins(["https://a.example", "https://b.example"]);
    assert_eq!(f.stream_id, 0);
    check_wire(
        f.clone(),
        "000026 0c 00 00000000 0011 68747470733a2f2f612e6578616d706c65 \
         0011 68747470733a2f2f622e6578616d706c65",
    );
    let Frame::Origin(back) = parse(&Frame::from(f).to_bytes()).unwrap() else {
        panic!("not ORIGIN")
    };
    assert_eq!(back.entries().unwrap(), vec![b(b"https://a.example"), b(b"https://b.example")]);
}

#[test]
fn origin_with_no_entries_round_trips() {
    let f = Origin::from_origins(Vec::<&[u8]>::new());
    assert_eq!(f.entries().unwrap(), Vec::<Bytes>::new());
    check_wire(f, "000000 0c 00 00000000");
}

#[test]
fn origin_with_empty_entry_and_many_entries_round_trips() {
    let names: Vec<String> = (0..50).map(|i| format!("https://h{i}.example")).collect();
    let mut all: Vec<&[u8]> = vec![b""];
    all.extend(names.iter().map(|n| n.as_bytes()));
    let f = Origin::from_origins(&all);
    let Frame::Origin(back) = round_trip(f) else { panic!("not ORIGIN") };
    let entries = back.entries().unwrap();
    assert_eq!(entries.len(), all.len());
    for (got, want) in entries.iter().zip(&all) {
        assert_eq!(&got[..], *want);
    }
}

#[test]
fn malformed_origin_is_kept_raw_and_entries_are_none() {
    // One entry announcing 5 octets with only 3 present, then a lone length octet.
    for payload in ["0005 616263", "0001 61 00"] {
        let wire = format!("{:06x} 0c 00 00000000 {payload}", hex(payload).len());
        let Frame::Origin(f) = parse(&hex(&wire)).unwrap() else { panic!("not ORIGIN") };
        assert_eq!(f.payload, hex(payload));
        assert_eq!(f.entries(), None);
        assert_eq!(Frame::from(f).to_bytes(), hex(&wire));
    }
}

#[test]
fn origin_on_a_non_zero_stream_is_kept_for_the_connection_to_ignore() {
    let Frame::Origin(f) = parse(&hex("000000 0c 00 00000005")).unwrap() else {
        panic!("not ORIGIN")
    };
    assert_eq!(f.stream_id, 5);
}

// ---- PRIORITY_UPDATE (RFC 9218 §7.1) ----

#[test]
fn priority_update_matches_wire_layout() {
    let f = PriorityUpdate { prioritized_stream_id: 5, field_value: b(b"u=1, i") };
    check_wire(f, "00000a 10 00 00000000 00000005 753d312c2069");
    check_wire(
        PriorityUpdate { prioritized_stream_id: 0x7fff_ffff, field_value: Bytes::new() },
        "000004 10 00 00000000 7fffffff",
    );
}

// ---- unknown types (§4.1, §5.5) ----

#[test]
fn unknown_type_is_kept_whole_with_flags_and_stream_id() {
    let f = Unknown { kind: 0xfa, flags: 0xff, stream_id: 0x7fff_ffff, payload: b(&[0xab, 0xcd]) };
    check_wire(f, "000002 fa ff 7fffffff abcd");
    let f = Unknown { kind: 0x0b, flags: 0x01, stream_id: 0, payload: Bytes::new() };
    check_wire(f, "000000 0b 01 00000000");
}

#[test]
fn every_unassigned_type_code_parses_as_unknown() {
    for k in 0..=u8::MAX {
        let wire = [0, 0, 1, k, 0x5a, 0, 0, 0, 1, 0x42];
        let head = FrameHeader::parse(&wire).unwrap();
        if kind::name(k).is_some() {
            continue;
        }
        let f = parse(&wire).unwrap();
        assert_eq!(f, Unknown { kind: k, flags: 0x5a, stream_id: 1, payload: b(&[0x42]) }.into());
        assert_eq!((f.kind(), f.stream_id()), (head.kind, head.stream_id));
        assert_eq!(f.to_bytes(), wire);
    }
}

// ---- reserved bits and undefined flags (§4.1) ----

#[test]
fn reserved_bit_of_the_stream_id_is_ignored_on_receipt_and_never_sent() {
    let f = parse(&hex("000001 00 00 80000003 41")).unwrap();
    assert_eq!(f, Data::new(3, b(b"A"), false).into());
    assert_eq!(f.to_bytes(), hex("000001 00 00 00000003 41"));
    let f = parse(&hex("000000 fa 00 ffffffff")).unwrap();
    assert_eq!(f.stream_id(), 0x7fff_ffff);
}

#[test]
fn reserved_bits_of_payload_stream_ids_and_increments_are_ignored() {
    assert_eq!(
        parse(&hex("000004 08 00 00000001 80000010")).unwrap(),
        WindowUpdate { stream_id: 1, increment: 16 }.into()
    );
    assert_eq!(
        parse(&hex("000004 05 04 00000001 80000002")).unwrap(),
        PushPromise {
            stream_id: 1,
            promised_stream_id: 2,
            end_headers: true,
            ..Default::default()
        }
        .into()
    );
    assert_eq!(
        parse(&hex("000004 10 00 00000000 80000007")).unwrap(),
        PriorityUpdate { prioritized_stream_id: 7, field_value: Bytes::new() }.into()
    );
    assert_eq!(
        parse(&hex("000008 07 00 00000000 80000009 00000000")).unwrap(),
        GoAway { last_stream_id: 9, ..Default::default() }.into()
    );
}

#[test]
fn undefined_flags_are_ignored_on_receipt_and_not_sent() {
    // DATA with every flag but PADDED; only END_STREAM means anything.
    let f = parse(&hex("000001 00 f7 00000001 41")).unwrap();
    assert_eq!(f, Data::new(1, b(b"A"), true).into());
    assert_eq!(f.to_bytes(), hex("000001 00 01 00000001 41"));
    let f = parse(&hex("000008 06 fe 00000000 0000000000000000")).unwrap();
    assert_eq!(f, Ping { ack: false, payload: [0; 8] }.into());
    let f = parse(&hex("000004 03 ff 00000001 00000000")).unwrap();
    assert_eq!(f.to_bytes(), hex("000004 03 00 00000001 00000000"));
}

#[test]
fn a_payload_of_the_largest_24_bit_length_round_trips() {
    let max = (1 << 24) - 1;
    let f = Data::new(1, Bytes::from(vec![7; max as usize]), false);
    let wire = Frame::from(f.clone()).to_bytes();
    assert_eq!(&wire[..3], &[0xff, 0xff, 0xff]);
    assert_eq!(parse_max(&wire, max).unwrap(), f.into());
}
