//! The examples of RFC 7541 Appendix C, and decoder/encoder behaviour that needs the
//! internals.
#![allow(clippy::arithmetic_side_effects)]

use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

type Field = (Vec<u8>, Vec<u8>, bool);

fn decode_all(d: &mut Decoder, block: &[u8]) -> Result<Vec<Field>, DecodeError> {
    let mut out = Vec::new();
    d.decode(block, |n, v, never| out.push((n.to_vec(), v.to_vec(), never)))?;
    Ok(out)
}

fn fields(list: &[(&str, &str)]) -> Vec<Field> {
    list.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec(), false)).collect()
}

fn encode_all(e: &mut Encoder, list: &[(&str, &str)]) -> Vec<u8> {
    let mut dst = Vec::new();
    e.encode(list.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes(), Indexing::Auto)), &mut dst);
    dst
}

/// The dynamic table, newest first.
fn dynamic_entries(d: &Decoder) -> Vec<(String, String)> {
    (0..d.table_len())
        .map(|i| {
            let (n, v) = d.table.field(62 + i).unwrap();
            (String::from_utf8(n.to_vec()).unwrap(), String::from_utf8(v.to_vec()).unwrap())
        })
        .collect()
}

#[test]
fn c2_1_literal_with_indexing() {
    let mut d = Decoder::new(4096);
    let block = hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
    assert_eq!(decode_all(&mut d, &block).unwrap(), fields(&[("custom-key", "custom-header")]));
    assert_eq!(d.table_size(), 55);
    assert_eq!(dynamic_entries(&d), [("custom-key".into(), "custom-header".into())]);
}

#[test]
fn c2_2_literal_without_indexing() {
    let mut d = Decoder::new(4096);
    let block = hex("040c 2f73 616d 706c 652f 7061 7468");
    assert_eq!(decode_all(&mut d, &block).unwrap(), fields(&[(":path", "/sample/path")]));
    assert_eq!(d.table_size(), 0);
    let mut e = Encoder::new();
    let mut out = Vec::new();
    e.encode([(&b":path"[..], &b"/sample/path"[..], Indexing::No)], &mut out);
    // Our encoder Huffman-codes the value, which makes it shorter.
    assert_eq!(out[0], 0x04);
    assert_eq!(out[1] & 0x80, 0x80);
    assert!(out.len() < block.len());
    assert_eq!(decode_all(&mut d, &out).unwrap(), fields(&[(":path", "/sample/path")]));
}

#[test]
fn c2_3_literal_never_indexed() {
    let mut d = Decoder::new(4096);
    let block = hex("1008 7061 7373 776f 7264 0673 6563 7265 74");
    let got = decode_all(&mut d, &block).unwrap();
    assert_eq!(got, [(b"password".to_vec(), b"secret".to_vec(), true)]);
    assert_eq!(d.table_size(), 0);
    let mut e = Encoder::new();
    let mut out = Vec::new();
    e.encode([(&b"password"[..], &b"secret"[..], Indexing::Never)], &mut out);
    assert_eq!(out[0] & 0xf0, 0x10);
    assert_eq!(decode_all(&mut d, &out).unwrap(), got);
    assert_eq!(e.table_size(), 0);
}

#[test]
fn c2_4_indexed() {
    let mut d = Decoder::new(4096);
    assert_eq!(decode_all(&mut d, &hex("82")).unwrap(), fields(&[(":method", "GET")]));
    assert_eq!(d.table_size(), 0);
    let mut e = Encoder::new();
    assert_eq!(encode_all(&mut e, &[(":method", "GET")]), hex("82"));
}

const REQ1: [(&str, &str); 4] =
    [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];
const REQ2: [(&str, &str); 5] = [
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
    ("cache-control", "no-cache"),
];
const REQ3: [(&str, &str); 5] = [
    (":method", "GET"),
    (":scheme", "https"),
    (":path", "/index.html"),
    (":authority", "www.example.com"),
    ("custom-key", "custom-value"),
];

#[test]
fn c3_requests_without_huffman() {
    let mut d = Decoder::new(4096);
    let b1 = hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
    assert_eq!(decode_all(&mut d, &b1).unwrap(), fields(&REQ1));
    assert_eq!(d.table_size(), 57);
    let b2 = hex("8286 84be 5808 6e6f 2d63 6163 6865");
    assert_eq!(decode_all(&mut d, &b2).unwrap(), fields(&REQ2));
    assert_eq!(d.table_size(), 110);
    let b3 = hex("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65");
    assert_eq!(decode_all(&mut d, &b3).unwrap(), fields(&REQ3));
    assert_eq!(d.table_size(), 164);
    assert_eq!(
        dynamic_entries(&d),
        [
            ("custom-key".into(), "custom-value".into()),
            ("cache-control".into(), "no-cache".into()),
            (":authority".into(), "www.example.com".into()),
        ]
    );
}

#[test]
fn c4_requests_with_huffman() {
    let blocks = [
        hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"),
        hex("8286 84be 5886 a8eb 1064 9cbf"),
        hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"),
    ];
    let lists: [&[(&str, &str)]; 3] = [&REQ1, &REQ2, &REQ3];
    let sizes = [57, 110, 164];
    let mut d = Decoder::new(4096);
    let mut e = Encoder::new();
    for ((block, list), size) in blocks.iter().zip(lists).zip(sizes) {
        assert_eq!(decode_all(&mut d, block).unwrap(), fields(list));
        assert_eq!(d.table_size(), size);
        // Our encoder makes the same choices as the RFC example, byte for byte.
        assert_eq!(&encode_all(&mut e, list), block);
        assert_eq!(e.table_size(), size);
    }
}

const RESP1: [(&str, &str); 4] = [
    (":status", "302"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("location", "https://www.example.com"),
];
const RESP2: [(&str, &str); 4] = [
    (":status", "307"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("location", "https://www.example.com"),
];
const RESP3: [(&str, &str); 6] = [
    (":status", "200"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
    ("location", "https://www.example.com"),
    ("content-encoding", "gzip"),
    ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
];

fn check_responses(blocks: [Vec<u8>; 3], encoder_matches: [bool; 3]) {
    let lists: [&[(&str, &str)]; 3] = [&RESP1, &RESP2, &RESP3];
    let sizes = [222, 222, 215];
    let mut d = Decoder::new(256);
    let mut e = Encoder::new();
    e.set_max_table_size(256);
    let mut e_dec = Decoder::new(4096);
    e_dec.set_max_allowed_table_size(256);
    for (i, ((block, list), size)) in blocks.iter().zip(lists).zip(sizes).enumerate() {
        assert_eq!(decode_all(&mut d, block).unwrap(), fields(list), "response {i}");
        assert_eq!(d.table_size(), size, "response {i}");
        let ours = encode_all(&mut e, list);
        if encoder_matches[i] {
            // The first block also carries our size update to 256 (3f e1 01).
            let expected =
                if i == 0 { [hex("3fe101"), block.clone()].concat() } else { block.clone() };
            assert_eq!(ours, expected, "response {i}");
        }
        assert_eq!(decode_all(&mut e_dec, &ours).unwrap(), fields(list), "response {i}");
        assert_eq!(e.table_size(), size, "response {i}");
        assert_eq!(e_dec.table_size(), size, "response {i}");
    }
    assert_eq!(
        dynamic_entries(&d),
        [
            (
                "set-cookie".into(),
                "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1".into()
            ),
            ("content-encoding".into(), "gzip".into()),
            ("date".into(), "Mon, 21 Oct 2013 20:13:22 GMT".into()),
        ]
    );
}

#[test]
fn c5_responses_without_huffman_and_eviction() {
    check_responses(
        [
            hex("4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230
                 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65
                 7861 6d70 6c65 2e63 6f6d"),
            hex("4803 3330 37c1 c0bf"),
            hex("88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220
                 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157
                 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076
                 6572 7369 6f6e 3d31"),
        ],
        [false; 3],
    );
}

#[test]
fn c6_responses_with_huffman_and_eviction() {
    check_responses(
        [
            hex("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0
                 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"),
            hex("4883 640e ffc1 c0bf"),
            hex("88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b
                 d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27
                 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"),
        ],
        // In the second response the RFC Huffman-codes "307", which is no shorter (3
        // octets); our encoder sends it raw then.
        [true, false, true],
    );
}

#[test]
fn encoder_signals_smallest_then_final_size() {
    let mut e = Encoder::new();
    let mut d = Decoder::new(4096);
    let first = encode_all(&mut e, &[("x-a", "1")]);
    decode_all(&mut d, &first).unwrap();
    assert_eq!(d.table_size(), 36);
    // The peer lowers its setting to 0, then raises it to 4096, before our next block.
    e.set_max_table_size(0);
    d.set_max_allowed_table_size(0);
    e.set_max_table_size(4096);
    d.set_max_allowed_table_size(4096);
    let block = encode_all(&mut e, &[("x-a", "1")]);
    assert_eq!(&block[..4], &hex("20 3fe11f")[..]);
    assert_eq!(decode_all(&mut d, &block).unwrap(), fields(&[("x-a", "1")]));
    assert_eq!((e.table_size(), d.table_size()), (36, 36));
    // No change, no update.
    e.set_max_table_size(4096);
    assert_eq!(encode_all(&mut e, &[("x-a", "1")]), hex("be"));
    // Our cap wins over a larger peer setting; a setting above the cap changes nothing.
    e.set_max_encoder_table_size(1024);
    e.set_max_table_size(65536);
    assert_eq!(e.max_table_size(), 1024);
    assert_eq!(&encode_all(&mut e, &[])[..], &hex("3fe107")[..]);
    e.set_max_table_size(8192);
    assert_eq!(encode_all(&mut e, &[]), b"");
}

#[test]
fn encoder_does_not_index_large_entries() {
    let mut e = Encoder::new();
    e.set_max_table_size(256);
    let mut d = Decoder::new(256);
    // 32 + 3 + 160 = 195 > 192 = 3/4 of 256: sent without indexing.
    let big = "v".repeat(160);
    let block = encode_all(&mut e, &[("x-b", &big)]);
    assert_eq!(e.table_size(), 0);
    assert_eq!(decode_all(&mut d, &block).unwrap(), fields(&[("x-b", &big)]));
    // 32 + 3 + 157 = 192: indexed.
    let fits = "v".repeat(157);
    encode_all(&mut e, &[("x-b", &fits)]);
    assert_eq!(e.table_size(), 192);
}

#[test]
fn encoder_modes() {
    let mut e = Encoder::new();
    let mut out = Vec::new();
    e.encode(
        [
            (&b"x-no"[..], &b"1"[..], Indexing::No),
            (&b":method"[..], &b"GET"[..], Indexing::Never),
            (&b"authorization"[..], &b"secret"[..], Indexing::Never),
            (&b"x-auto"[..], &b"2"[..], Indexing::Auto),
            (&b"x-auto"[..], &b"2"[..], Indexing::No),
        ],
        &mut out,
    );
    let mut d = Decoder::new(4096);
    let got = decode_all(&mut d, &out).unwrap();
    let expect: Vec<Field> = vec![
        (b"x-no".to_vec(), b"1".to_vec(), false),
        (b":method".to_vec(), b"GET".to_vec(), true),
        (b"authorization".to_vec(), b"secret".to_vec(), true),
        (b"x-auto".to_vec(), b"2".to_vec(), false),
        (b"x-auto".to_vec(), b"2".to_vec(), false),
    ];
    assert_eq!(got, expect);
    // Only x-auto went into the table; the last field was an indexed reference to it.
    assert_eq!(e.table_size(), 6 + 1 + 32);
    assert_eq!(d.table_size(), 6 + 1 + 32);
    assert_eq!(out.last(), Some(&0xbe));
    // Never uses the static name index 2 with the never-indexed pattern 0001xxxx.
    assert!(out.windows(2).any(|w| w == [0x12, 0x03]));
}

#[test]
fn octets_eq_agrees_with_slice_equality() {
    for len in 0..40usize {
        let a: Vec<u8> = (0..len).map(|i| (i * 7 + 1) as u8).collect();
        assert!(octets_eq(&a, &a.clone()), "{len}");
        for at in 0..len {
            let mut b = a.clone();
            b[at] ^= 0x20;
            assert!(!octets_eq(&a, &b), "{len} {at}");
        }
        let mut longer = a.clone();
        longer.push(0);
        assert!(!octets_eq(&a, &longer));
    }
}
