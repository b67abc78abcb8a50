//! Decodes arbitrary header blocks; whatever decodes is encoded again with our encoder and
//! decoded back, and must come out the same.
//!
//! Input layout: the first octet picks the decoder's settings (bits 0–1: allowed table size
//! 0, 64, 256 or 4096; bit 2: a 1024-octet header list limit; bit 3: several blocks). With
//! several blocks, each is an octet of length followed by that many octets (the last takes
//! whatever is left), and they share one compression context, as on a connection.
#![no_main]

use h2wasm::hpack::{DecodeError, Decoder, Encoder, Indexing};
use libfuzzer_sys::fuzz_target;

type Field = (Vec<u8>, Vec<u8>, bool);

fuzz_target!(|data: &[u8]| {
    let Some((&control, mut rest)) = data.split_first() else { return };
    let table_size = [0, 64, 256, 4096][usize::from(control & 3)];
    let mut decoder = Decoder::new(table_size);
    if control & 4 != 0 {
        decoder.set_max_header_list_size(Some(1024));
    }
    let mut blocks = Vec::new();
    if control & 8 == 0 {
        blocks.push(rest);
    } else {
        while let Some((&len, tail)) = rest.split_first() {
            let len = usize::from(len).min(tail.len());
            let (block, tail) = tail.split_at(len);
            blocks.push(block);
            rest = tail;
        }
    }

    // The re-encoding side: its own context, also shared across blocks.
    let mut encoder = Encoder::new();
    encoder.set_max_table_size(table_size);
    let mut checker = Decoder::new(4096);
    checker.set_max_allowed_table_size(table_size);

    let mut fields: Vec<Field> = Vec::new();
    let mut wire = Vec::new();
    let mut again: Vec<Field> = Vec::new();
    for block in blocks {
        fields.clear();
        let result =
            decoder.decode(block, |n, v, never| fields.push((n.to_vec(), v.to_vec(), never)));
        match result {
            Ok(()) => {}
            // The list was cut short, but the context is intact: go on with the next block.
            Err(DecodeError::HeaderListTooLarge) => continue,
            Err(_) => {
                assert!(decoder.error().is_some());
                return;
            }
        }
        assert!(decoder.table_size() <= decoder.max_table_size());
        assert!(decoder.max_table_size() <= table_size.max(4096));

        wire.clear();
        encoder.encode(
            fields.iter().map(|(n, v, never)| {
                (n.as_slice(), v.as_slice(), if *never { Indexing::Never } else { Indexing::Auto })
            }),
            &mut wire,
        );
        again.clear();
        checker
            .decode(&wire, |n, v, never| again.push((n.to_vec(), v.to_vec(), never)))
            .expect("our own block decodes");
        assert_eq!(fields, again);
        assert_eq!(encoder.table_size(), checker.table_size());
    }
});
