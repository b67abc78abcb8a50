//! Property tests for HPACK: anything our encoder writes, our decoder reads back the same,
//! whatever the fields, indexing modes and table-size changes; and no input makes the
//! decoder panic.

use h2wasm::hpack::{DecodeError, Decoder, Encoder, Indexing};
use proptest::prelude::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Names and values that hit the static table, mixed with arbitrary octets.
fn bytes_with_hits(
    common: &'static [&'static str],
    max_len: usize,
) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::sample::select(common).prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..max_len),
        // Repeats from a tiny alphabet, so the same field comes back and the table is used.
        proptest::collection::vec(proptest::sample::select(&b"ab"[..]), 0..3),
    ]
}

fn indexing() -> impl Strategy<Value = Indexing> {
    prop_oneof![Just(Indexing::Auto), Just(Indexing::No), Just(Indexing::Never)]
}

type Spec = (Vec<u8>, Vec<u8>, Indexing);

fn field() -> impl Strategy<Value = Spec> {
    (
        bytes_with_hits(
            &[":method", ":path", ":status", "cookie", "accept-encoding", "x-custom"],
            40,
        ),
        prop_oneof![
            4 => bytes_with_hits(&["GET", "/", "200", "gzip, deflate", ""], 80),
            1 => proptest::collection::vec(any::<u8>(), 100..3000),
        ],
        indexing(),
    )
}

/// A block: an optional change of the peer's table size before it, then its fields.
fn block() -> impl Strategy<Value = (Option<usize>, Option<usize>, Vec<Spec>)> {
    (
        proptest::option::weighted(0.2, 0usize..5000),
        proptest::option::weighted(0.1, 0usize..5000),
        proptest::collection::vec(field(), 0..20),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn encode_then_decode_is_identity(blocks in proptest::collection::vec(block(), 1..8)) {
        let mut encoder = Encoder::new();
        let mut decoder = Decoder::new(4096);
        let mut wire = Vec::new();
        let mut cap_now = 4096;
        for (peer_size, cap, fields) in &blocks {
            // Two changes may come between blocks: both must be signalled (RFC 7541 §4.2).
            if let Some(n) = peer_size {
                encoder.set_max_table_size(*n);
                decoder.set_max_allowed_table_size(*n);
            }
            if let Some(n) = cap {
                encoder.set_max_encoder_table_size(*n);
                cap_now = *n;
            }
            wire.clear();
            encoder.encode(fields.iter().map(|(n, v, i)| (n.as_slice(), v.as_slice(), *i)), &mut wire);
            let mut got = Vec::new();
            decoder.decode(&wire, |n, v, never| got.push((n.to_vec(), v.to_vec(), never))).unwrap();
            let expected: Vec<_> = fields
                .iter()
                .map(|(n, v, i)| (n.clone(), v.clone(), *i == Indexing::Never))
                .collect();
            prop_assert_eq!(got, expected);
            prop_assert_eq!(encoder.table_size(), decoder.table_size());
            prop_assert!(encoder.table_size() <= decoder.max_allowed_table_size());
            prop_assert!(encoder.table_size() <= cap_now);
        }
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(
        blocks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..4),
        limit in proptest::option::of(0usize..2000),
        allowed in 0usize..5000,
    ) {
        let mut decoder = Decoder::new(allowed);
        decoder.set_max_header_list_size(limit);
        for block in &blocks {
            let mut listed = 0usize;
            let result = decoder.decode(block, |n, v, _| listed += n.len() + v.len() + 32);
            if let Some(limit) = limit {
                prop_assert!(listed <= limit);
            }
            prop_assert!(decoder.table_size() <= decoder.max_table_size());
            prop_assert!(decoder.max_table_size() <= allowed.max(decoder.max_allowed_table_size()));
            match result {
                Ok(()) | Err(DecodeError::HeaderListTooLarge) => prop_assert_eq!(decoder.error(), None),
                Err(e) => prop_assert_eq!(decoder.error(), Some(e)),
            }
        }
    }

    #[test]
    fn decoding_mutated_valid_blocks_never_panics(
        fields in proptest::collection::vec(field(), 1..10),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut wire = Vec::new();
        Encoder::new().encode(fields.iter().map(|(n, v, i)| (n.as_slice(), v.as_slice(), *i)), &mut wire);
        for (at, byte) in &flips {
            let i = at.index(wire.len());
            wire[i] ^= byte;
        }
        wire.truncate(cut.index(wire.len() + 1));
        let mut decoder = Decoder::new(4096);
        let _ = decoder.decode(&wire, |_, _, _| {});
        prop_assert!(decoder.table_size() <= 4096);
    }
}
