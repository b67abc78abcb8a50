//! The hpack-test-case corpus (RFC 7541 interoperability vectors).
//!
//! Every encoder folder (all but `raw-data`) holds stories: sequences of header blocks that
//! share one compression context. Each block is decoded in order with one decoder per story
//! and compared with the expected header list. Then every `raw-data` story is encoded with
//! our encoder and decoded back with our decoder.
//!
//! The corpus lives in `../shared/hpack-test-case` next to the crate, or wherever the
//! `HPACK_TEST_CASE_DIR` environment variable points. A missing corpus is a failure, not a
//! skip. Run with `--nocapture` to see the counts.
// Native only: it reads the test vectors from the file system.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use h2wasm::hpack::{Decoder, Encoder, Indexing};
use serde_json::Value;

const ENV_VAR: &str = "HPACK_TEST_CASE_DIR";

fn corpus_dir() -> PathBuf {
    let dir = match std::env::var_os(ENV_VAR) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/hpack-test-case"),
    };
    assert!(
        dir.is_dir(),
        "hpack-test-case corpus not found at {} (set {ENV_VAR} to its directory)",
        dir.display()
    );
    dir
}

/// The JSON files of one folder, in name order.
fn stories(folder: &Path) -> Vec<(PathBuf, Value)> {
    let mut paths: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            let json = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", p.display()));
            (p, json)
        })
        .collect()
}

/// The encoder folders of the corpus, in name order.
fn encoder_folders(dir: &Path) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "raw-data"))
        .collect();
    folders.sort();
    folders
}

type Field = (Vec<u8>, Vec<u8>);

/// A case's `headers`: a list of single-key objects.
fn expected_headers(case: &Value) -> Vec<Field> {
    case["headers"]
        .as_array()
        .expect("headers is an array")
        .iter()
        .map(|obj| {
            let obj = obj.as_object().expect("each header is an object");
            assert_eq!(obj.len(), 1, "each header object has one key");
            let (name, value) = obj.iter().next().unwrap();
            (name.as_bytes().to_vec(), value.as_str().expect("string value").as_bytes().to_vec())
        })
        .collect()
}

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd-length hex");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn decode(decoder: &mut Decoder, block: &[u8]) -> Result<Vec<Field>, h2wasm::hpack::DecodeError> {
    let mut out = Vec::new();
    decoder.decode(block, |n, v, _| out.push((n.to_vec(), v.to_vec())))?;
    Ok(out)
}

#[test]
fn decodes_every_encoder_story() {
    let dir = corpus_dir();
    let (mut story_count, mut block_count) = (0usize, 0usize);
    for folder in encoder_folders(&dir) {
        let stories = stories(&folder);
        assert!(!stories.is_empty(), "{} holds no stories", folder.display());
        for (path, story) in stories {
            let mut decoder = Decoder::new(4096);
            for case in story["cases"].as_array().expect("cases is an array") {
                if let Some(size) = case.get("header_table_size").and_then(Value::as_u64) {
                    decoder.set_max_allowed_table_size(size as usize);
                }
                let wire = unhex(case["wire"].as_str().expect("wire is a string"));
                let seqno = &case["seqno"];
                let got = decode(&mut decoder, &wire)
                    .unwrap_or_else(|e| panic!("{} case {seqno}: {e}", path.display()));
                assert_eq!(got, expected_headers(case), "{} case {seqno}", path.display());
                block_count += 1;
            }
            story_count += 1;
        }
    }
    println!("decoded {story_count} stories, {block_count} blocks from {}", dir.display());
    assert!(story_count > 0 && block_count > 0);
}

#[test]
fn encodes_raw_data_and_decodes_it_back() {
    let dir = corpus_dir();
    let (mut story_count, mut block_count) = (0usize, 0usize);
    let (mut raw_bytes, mut wire_bytes) = (0usize, 0usize);
    let stories = stories(&dir.join("raw-data"));
    assert!(!stories.is_empty(), "raw-data holds no stories");
    for (path, story) in stories {
        let mut encoder = Encoder::new();
        let mut decoder = Decoder::new(4096);
        let mut wire = Vec::new();
        for (i, case) in story["cases"].as_array().expect("cases is an array").iter().enumerate() {
            let headers = expected_headers(case);
            wire.clear();
            encoder.encode(
                headers.iter().map(|(n, v)| (n.as_slice(), v.as_slice(), Indexing::Auto)),
                &mut wire,
            );
            let got = decode(&mut decoder, &wire)
                .unwrap_or_else(|e| panic!("{} case {i}: {e}", path.display()));
            assert_eq!(got, headers, "{} case {i}", path.display());
            assert_eq!(encoder.table_size(), decoder.table_size());
            raw_bytes += headers.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>();
            wire_bytes += wire.len();
            block_count += 1;
        }
        story_count += 1;
    }
    println!(
        "encoded and decoded back {story_count} raw-data stories, {block_count} blocks: \
         {wire_bytes} wire octets for {raw_bytes} octets of names and values ({:.1} %)",
        100.0 * wire_bytes as f64 / raw_bytes as f64
    );
}
