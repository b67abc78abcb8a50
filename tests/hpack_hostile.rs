//! Hostile header blocks: each must give a clean, typed error (or a correct result), never a
//! panic, and finish quickly. See shared/spec/hpack.md and shared/spec/security.md §3
//! items 11–15.

use std::time::Duration;
#[cfg(not(target_arch = "wasm32"))]
use std::time::Instant;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// wasm32-unknown-unknown has no clock (`Instant::now` panics there), so under wasm32 the
/// time bounds of these tests are not checked; everything else is.
#[cfg(target_arch = "wasm32")]
struct Instant;

#[cfg(target_arch = "wasm32")]
impl Instant {
    fn now() -> Self {
        Instant
    }

    fn elapsed(&self) -> Duration {
        Duration::ZERO
    }
}

use h2wasm::hpack::{DecodeError, Decoder, Encoder, Indexing};
use h2wasm::ErrorCode;

type Field = (Vec<u8>, Vec<u8>, bool);

fn decode(d: &mut Decoder, block: &[u8]) -> Result<Vec<Field>, DecodeError> {
    let mut out = Vec::new();
    d.decode(block, |n, v, never| out.push((n.to_vec(), v.to_vec(), never)))?;
    Ok(out)
}

fn decode_fresh(block: &[u8]) -> Result<Vec<Field>, DecodeError> {
    decode(&mut Decoder::new(4096), block)
}

fn field(n: &str, v: &str) -> Field {
    (n.as_bytes().to_vec(), v.as_bytes().to_vec(), false)
}

/// A generous bound: these blocks take microseconds to milliseconds even in a debug build.
const QUICK: Duration = Duration::from_secs(2);

#[test]
fn truncated_size_update_3f() {
    // The one-byte block that panics `hpack` 0.3.0 (RUSTSEC-2023-0085).
    assert_eq!(decode_fresh(&[0x3f]), Err(DecodeError::Truncated));
}

#[test]
fn truncated_everywhere() {
    let valid: &[u8] = &[
        0x82, 0x41, 0x8c, 0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff,
        0x40, 0x03, b'a', b'b', b'c', 0x81, 0x1f,
    ];
    assert!(decode_fresh(valid).is_ok());
    // Every proper prefix that cuts a representation short is Truncated; the ones that end
    // between representations decode.
    for cut in 0..valid.len() {
        match decode_fresh(&valid[..cut]) {
            Ok(_) => assert!([0, 1, 15].contains(&cut), "prefix {cut} decoded"),
            Err(e) => assert_eq!(e, DecodeError::Truncated, "prefix {cut}"),
        }
    }
    for block in [&[0x40][..], &[0x40, 0x01], &[0x40, 0x01, b'a'], &[0x00, 0x81], &[0x1f]] {
        assert_eq!(decode_fresh(block), Err(DecodeError::Truncated), "{block:02x?}");
    }
}

#[test]
fn size_update_above_the_allowed_size() {
    // 4096 is allowed, 4097 is not.
    assert_eq!(decode_fresh(&[0x3f, 0xe1, 0x1f]), Ok(vec![]));
    assert_eq!(decode_fresh(&[0x3f, 0xe2, 0x1f]), Err(DecodeError::SizeUpdateTooLarge));
    // The largest size an integer can carry.
    assert_eq!(decode_fresh(&[0x3f, 0xff, 0xff, 0xff, 0x7f]), Err(DecodeError::SizeUpdateTooLarge));
    // A table bomb: 24 KB of literals with incremental indexing cannot grow the table past
    // the allowed size.
    let mut d = Decoder::new(4096);
    let mut block = Vec::new();
    for i in 0..1000u32 {
        block.extend_from_slice(&[0x40, 0x04]);
        block.extend_from_slice(&i.to_be_bytes());
        block.extend_from_slice(&[0x10]);
        block.extend_from_slice(&[b'v'; 16]);
    }
    assert_eq!(decode(&mut d, &block).unwrap().len(), 1000);
    assert!(d.table_size() <= 4096);
    assert_eq!(d.max_table_size(), 4096);
}

#[test]
fn size_update_after_a_field() {
    assert_eq!(decode_fresh(&[0x82, 0x20]), Err(DecodeError::SizeUpdateNotAtStart));
    assert_eq!(decode_fresh(&[0x82, 0x20, 0x82]), Err(DecodeError::SizeUpdateNotAtStart));
    // Several updates at the start are fine, and so is a block of nothing but an update.
    assert_eq!(decode_fresh(&[0x20, 0x3f, 0xe1, 0x1f, 0x82]), Ok(vec![field(":method", "GET")]));
    let mut d = Decoder::new(4096);
    assert_eq!(decode(&mut d, &[0x3f, 0x11]), Ok(vec![]));
    assert_eq!(d.max_table_size(), 48);
}

#[test]
fn missing_size_update_after_we_lowered_the_setting() {
    let mut d = Decoder::new(4096);
    d.set_max_allowed_table_size(1024);
    assert_eq!(decode(&mut d, &[0x82]), Err(DecodeError::SizeUpdateMissing));

    // With the update it is accepted, but not above the new limit.
    let mut d = Decoder::new(4096);
    d.set_max_allowed_table_size(1024);
    assert_eq!(decode(&mut d, &[0x3f, 0xe2, 0x07, 0x82]), Err(DecodeError::SizeUpdateTooLarge));
    let mut d = Decoder::new(4096);
    d.set_max_allowed_table_size(1024);
    assert_eq!(decode(&mut d, &[0x3f, 0xe1, 0x07, 0x82]), Ok(vec![field(":method", "GET")]));
    assert_eq!(d.max_table_size(), 1024);
    // Only the first block after the change needs one.
    assert_eq!(decode(&mut d, &[0x82]), Ok(vec![field(":method", "GET")]));

    // Raising the setting does not require an update.
    let mut d = Decoder::new(4096);
    d.set_max_allowed_table_size(8192);
    assert_eq!(decode(&mut d, &[0x82]), Ok(vec![field(":method", "GET")]));
    assert_eq!(decode(&mut d, &[0x3f, 0xe1, 0x3f]), Ok(vec![]));
    assert_eq!(d.max_table_size(), 8192);
}

#[test]
fn huffman_flood_of_empty_literals() {
    // 16 KiB of literals without indexing whose name and value are empty Huffman strings.
    let block: Vec<u8> = [0x00, 0x80, 0x80].repeat(16 * 1024 / 3);
    let start = Instant::now();
    let mut d = Decoder::new(4096);
    let fields = decode(&mut d, &block).unwrap();
    assert_eq!(fields.len(), block.len() / 3);
    assert!(fields.iter().all(|f| f.0.is_empty() && f.1.is_empty()));
    // With a list limit the same block trips it (32 octets per empty field).
    let mut d = Decoder::new(4096);
    d.set_max_header_list_size(Some(16 * 1024));
    let mut delivered = 0;
    assert_eq!(d.decode(&block, |_, _, _| delivered += 1), Err(DecodeError::HeaderListTooLarge));
    assert_eq!(delivered, 16 * 1024 / 32);
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
}

#[test]
fn huffman_flood_of_long_literals() {
    // One 16 KiB Huffman string of 'a' (5 bits each): about 26,000 symbols.
    let mut encoder = Encoder::new();
    let value = "a".repeat(26_000);
    let mut block = Vec::new();
    encoder.encode([(&b"x"[..], value.as_bytes(), Indexing::No)], &mut block);
    assert!(block.len() < 17_000, "{}", block.len());
    let start = Instant::now();
    let fields = decode_fresh(&block).unwrap();
    assert_eq!(fields, vec![field("x", &value)]);
    // The same string ending in EOS is rejected only at its end, still quickly.
    let mut bad = block.clone();
    let n = bad.len();
    bad[n - 4..].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    assert_eq!(decode_fresh(&bad), Err(DecodeError::InvalidHuffman));
    // Many long strings in one block: 64 × 256 octets.
    let mut block = Vec::new();
    let long = "e".repeat(400);
    for _ in 0..64 {
        encoder.encode([(&b"y"[..], long.as_bytes(), Indexing::No)], &mut block);
    }
    assert_eq!(decode_fresh(&block).unwrap().len(), 64);
    assert!(start.elapsed() < QUICK, "took {:?}", start.elapsed());
}

#[test]
fn integer_overflow() {
    for block in [
        &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f][..],
        &[0xff, 0x80, 0x80, 0x80, 0x80, 0x00],
        &[0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        &[0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f],
        &[0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f],
        // A string length that does not fit.
        &[0x00, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f],
        &[0x00, 0x01, b'a', 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f],
    ] {
        assert_eq!(decode_fresh(block), Err(DecodeError::IntegerOverflow), "{block:02x?}");
    }
    // The largest integer that does fit, as an index: past the table.
    assert_eq!(decode_fresh(&[0xff, 0xff, 0xff, 0xff, 0x7f]), Err(DecodeError::InvalidIndex));
    // As a string length: longer than the block, rejected before any allocation.
    assert_eq!(decode_fresh(&[0x00, 0x7f, 0xff, 0xff, 0xff, 0x7f]), Err(DecodeError::Truncated));
    assert_eq!(
        decode_fresh(&[0x00, 0x01, b'a', 0xff, 0xff, 0xff, 0xff, 0x7f]),
        Err(DecodeError::Truncated)
    );
}

#[test]
fn index_zero_and_past_the_table() {
    assert_eq!(decode_fresh(&[0x80]), Err(DecodeError::InvalidIndex));
    assert_eq!(decode_fresh(&[0xbe]), Err(DecodeError::InvalidIndex));
    assert_eq!(decode_fresh(&[0xbd]), Ok(vec![field("www-authenticate", "")]));
    // Literal names by index past the table.
    assert_eq!(decode_fresh(&[0x7e, 0x00]), Err(DecodeError::InvalidIndex));
    assert_eq!(decode_fresh(&[0x0f, 0x2f, 0x00]), Err(DecodeError::InvalidIndex));
    assert_eq!(decode_fresh(&[0x1f, 0x2f, 0x00]), Err(DecodeError::InvalidIndex));
    // One dynamic entry: 62 exists, 63 does not.
    let mut d = Decoder::new(4096);
    decode(&mut d, &[0x40, 0x01, b'a', 0x01, b'b']).unwrap();
    assert_eq!(decode(&mut d, &[0xbe]), Ok(vec![field("a", "b")]));
    assert_eq!(decode(&mut d, &[0xbf]), Err(DecodeError::InvalidIndex));
}

#[test]
fn huffman_errors() {
    // Value of :authority (literal without indexing, name index 1), Huffman-coded.
    let with_value = |huffman: &[u8]| {
        let mut block = vec![0x01, 0x80 | huffman.len() as u8];
        block.extend_from_slice(huffman);
        decode_fresh(&block)
    };
    // EOS (30 ones) inside the string.
    assert_eq!(with_value(&[0xff, 0xff, 0xff, 0xff]), Err(DecodeError::InvalidHuffman));
    assert_eq!(with_value(&[0x1f, 0xff, 0xff, 0xff, 0xfe]), Err(DecodeError::InvalidHuffman));
    // 8 and more bits of padding.
    assert_eq!(with_value(&[0xff]), Err(DecodeError::InvalidHuffman));
    assert_eq!(with_value(&[0x1f, 0xff]), Err(DecodeError::InvalidHuffman));
    // Padding with a zero bit: 'a' = 00011, then 110 / 000.
    assert_eq!(with_value(&[0x1e]), Err(DecodeError::InvalidHuffman));
    assert_eq!(with_value(&[0x18]), Err(DecodeError::InvalidHuffman));
    // The valid forms.
    assert_eq!(with_value(&[0x1f]), Ok(vec![field(":authority", "a")]));
    assert_eq!(with_value(&[]), Ok(vec![field(":authority", "")]));
    // The same errors in a name.
    assert_eq!(decode_fresh(&[0x00, 0x81, 0xff, 0x00]), Err(DecodeError::InvalidHuffman));
}

/// Literal with incremental indexing, new name `x`, a value of `len` octets.
fn big_entry(len: usize) -> Vec<u8> {
    let mut block = vec![0x40, 0x01, b'x', 0x7f];
    let mut rest = len - 127;
    while rest >= 128 {
        block.push((rest as u8 & 0x7f) | 0x80);
        rest >>= 7;
    }
    block.push(rest as u8);
    block.extend_from_slice(&vec![b'B'; len]);
    block
}

#[test]
fn hpack_bomb_is_stopped_and_the_table_stays_in_sync() {
    let mut d = Decoder::new(4096);
    d.set_max_header_list_size(Some(16 * 1024));
    // One entry of about 4 KiB.
    let first = big_entry(4000);
    assert_eq!(decode(&mut d, &first).unwrap().len(), 1);
    assert_eq!(d.table_size(), 4033);
    // Thousands of references to it (40 MB of decoded headers from 10 KB), then a new entry
    // that must still reach the table.
    let mut bomb = vec![0xbe; 10_000];
    bomb.extend_from_slice(&[0x40, 0x01, b'y', 0x01, b'z']);
    let start = Instant::now();
    let mut delivered = 0usize;
    let mut copied = 0usize;
    let result = d.decode(&bomb, |n, v, _| {
        delivered += 1;
        copied += n.len() + v.len();
    });
    assert_eq!(result, Err(DecodeError::HeaderListTooLarge));
    assert_eq!(DecodeError::HeaderListTooLarge.error_code(), ErrorCode::ENHANCE_YOUR_CALM);
    // 4033 octets per field against 16 KiB: four fields get through, then nothing.
    assert_eq!(delivered, 4);
    assert!(copied <= 16 * 1024);
    assert!(start.elapsed() < QUICK);
    // The decoder is still usable and in step: y: z went in after the limit was passed.
    assert_eq!(d.error(), None);
    assert_eq!(d.table_size(), 4033 + 34);
    assert_eq!(decode(&mut d, &[0xbe]), Ok(vec![field("y", "z")]));
    assert_eq!(decode(&mut d, &[0xbf]), Ok(vec![field("x", &"B".repeat(4000))]));
    assert_eq!(decode(&mut d, &[0xc0]), Err(DecodeError::InvalidIndex));
}

#[test]
fn ten_thousand_empty_fields_trip_the_list_limit() {
    // Literal without indexing, empty raw name, empty raw value.
    let block: Vec<u8> = [0x00, 0x00, 0x00].repeat(10_000);
    let mut d = Decoder::new(4096);
    d.set_max_header_list_size(Some(16 * 1024));
    let mut delivered = 0;
    assert_eq!(d.decode(&block, |_, _, _| delivered += 1), Err(DecodeError::HeaderListTooLarge));
    assert_eq!(delivered, 512);
    // The limit is per block: a small block afterwards is fine.
    assert_eq!(decode(&mut d, &[0x82]), Ok(vec![field(":method", "GET")]));
    // With a tiny limit, even one field is too many.
    d.set_max_header_list_size(Some(31));
    assert_eq!(decode(&mut d, &[0x00, 0x00, 0x00]), Err(DecodeError::HeaderListTooLarge));
    d.set_max_header_list_size(Some(32));
    assert_eq!(decode(&mut d, &[0x00, 0x00, 0x00]).unwrap().len(), 1);
}

#[test]
fn a_fatal_error_kills_the_decoder() {
    let mut d = Decoder::new(4096);
    assert_eq!(decode(&mut d, &[0x80]), Err(DecodeError::InvalidIndex));
    assert_eq!(d.error(), Some(DecodeError::InvalidIndex));
    assert_eq!(decode(&mut d, &[0x82]), Err(DecodeError::InvalidIndex));
    assert_eq!(decode(&mut d, &[]), Err(DecodeError::InvalidIndex));
    for e in [
        DecodeError::Truncated,
        DecodeError::IntegerOverflow,
        DecodeError::InvalidIndex,
        DecodeError::InvalidHuffman,
        DecodeError::SizeUpdateTooLarge,
        DecodeError::SizeUpdateNotAtStart,
        DecodeError::SizeUpdateMissing,
    ] {
        assert_eq!(e.error_code(), ErrorCode::COMPRESSION_ERROR);
        assert!(e.is_fatal());
        assert!(!e.to_string().is_empty());
    }
    let boxed: Box<dyn std::error::Error> = Box::new(DecodeError::Truncated);
    assert!(boxed.to_string().contains("header block"));
}

#[test]
fn long_runs_of_indexed_fields_scale_linearly() {
    let mut d = Decoder::new(4096);
    let small = vec![0x82; 64 * 1024];
    let big = vec![0x82; 256 * 1024];
    let t = Instant::now();
    let mut n = 0usize;
    d.decode(&small, |_, _, _| n += 1).unwrap();
    d.decode(&big, |_, _, _| n += 1).unwrap();
    assert_eq!(n, 320 * 1024);
    assert!(t.elapsed() < QUICK, "took {:?}", t.elapsed());
}
