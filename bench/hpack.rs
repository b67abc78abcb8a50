//! HPACK throughput (not a test): `cargo bench --bench hpack`.
//!
//! * decode ns/block over every nghttp2 story of hpack-test-case, a fresh decoder per story;
//! * encode ns/block over every raw-data story, a fresh encoder per story, and the share of
//!   the raw names and values that goes on the wire;
//! * a typical 15-header browser request on a persistent connection (tables warm): decode of
//!   its Huffman-coded wire form, and encode. The bar (shared/spec/hpack.md) is a decode of
//!   at most 1 µs natively.
//!
//! Each figure is the best of several runs. The corpus is read from
//! `../shared/hpack-test-case` or `$HPACK_TEST_CASE_DIR`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use h2wasm::hpack::{Decoder, Encoder, Indexing};
use serde_json::Value;

const RUNS: usize = 7;

type Header = (Vec<u8>, Vec<u8>);

fn corpus_dir() -> PathBuf {
    std::env::var_os("HPACK_TEST_CASE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/hpack-test-case"))
}

fn load(folder: &Path) -> Vec<Value> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn headers(case: &Value) -> Vec<Header> {
    case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let (n, v) = o.as_object().unwrap().iter().next().unwrap();
            (n.as_bytes().to_vec(), v.as_str().unwrap().as_bytes().to_vec())
        })
        .collect()
}

/// Runs `f` `RUNS` times and returns the best time in nanoseconds divided by `per`.
fn best_ns(per: usize, mut f: impl FnMut()) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..RUNS {
        let start = Instant::now();
        f();
        best = best.min(start.elapsed().as_nanos() as f64 / per as f64);
    }
    best
}

const TYPICAL: [(&str, &str); 15] = [
    (":method", "GET"),
    (":scheme", "https"),
    (":authority", "www.example.com"),
    (":path", "/static/js/app.3f9a2c.js?v=20261122"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    ("accept", "*/*"),
    ("accept-language", "en-US,en;q=0.9"),
    ("accept-encoding", "gzip, deflate, br, zstd"),
    ("referer", "https://www.example.com/"),
    ("cookie", "session=8f14e45fceea167a5a36dedd4bea2543; theme=dark"),
    ("sec-fetch-dest", "script"),
    ("sec-fetch-mode", "no-cors"),
    ("sec-fetch-site", "same-origin"),
    ("sec-ch-ua", "\"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""),
    ("sec-ch-ua-platform", "\"Linux\""),
];

/// The typical request as the connection layer would send it: `:path` without indexing
/// (it changes from request to request), everything else with incremental indexing.
fn typical_fields(path: &str) -> Vec<(&[u8], &[u8], Indexing)> {
    TYPICAL
        .iter()
        .map(|&(n, v)| {
            if n == ":path" {
                (n.as_bytes(), path.as_bytes(), Indexing::No)
            } else {
                (n.as_bytes(), v.as_bytes(), Indexing::Auto)
            }
        })
        .collect()
}

fn main() {
    let dir = corpus_dir();

    // Decode: every nghttp2 story.
    let stories: Vec<Vec<Vec<u8>>> = load(&dir.join("nghttp2"))
        .iter()
        .map(|s| {
            s["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| unhex(c["wire"].as_str().unwrap()))
                .collect()
        })
        .collect();
    let blocks: usize = stories.iter().map(Vec::len).sum();
    let decode_ns = best_ns(blocks, || {
        for story in &stories {
            let mut d = Decoder::new(4096);
            for block in story {
                d.decode(black_box(block), |n, v, never| {
                    black_box((n, v, never));
                })
                .unwrap();
            }
        }
    });
    println!(
        "decode nghttp2 corpus: {decode_ns:.0} ns/block ({} stories, {blocks} blocks)",
        stories.len()
    );

    // Encode: every raw-data story.
    let raw: Vec<Vec<Vec<Header>>> = load(&dir.join("raw-data"))
        .iter()
        .map(|s| s["cases"].as_array().unwrap().iter().map(headers).collect())
        .collect();
    let raw_blocks: usize = raw.iter().map(Vec::len).sum();
    let raw_octets: usize = raw.iter().flatten().flatten().map(|(n, v)| n.len() + v.len()).sum();
    let mut wire_octets = 0usize;
    let mut wire = Vec::with_capacity(64 * 1024);
    let encode_ns = best_ns(raw_blocks, || {
        wire_octets = 0;
        for story in &raw {
            let mut e = Encoder::new();
            for list in story {
                wire.clear();
                e.encode(
                    list.iter().map(|(n, v)| (n.as_slice(), v.as_slice(), Indexing::Auto)),
                    &mut wire,
                );
                wire_octets += black_box(&wire).len();
            }
        }
    });
    println!(
        "encode raw-data corpus: {encode_ns:.0} ns/block ({} stories, {raw_blocks} blocks); \
         wire = {:.1} % of raw ({wire_octets} of {raw_octets} octets)",
        raw.len(),
        100.0 * wire_octets as f64 / raw_octets as f64
    );

    // The typical request, warm tables.
    let mut encoder = Encoder::new();
    let mut decoder = Decoder::new(4096);
    let mut first = Vec::new();
    encoder.encode(typical_fields(TYPICAL[3].1), &mut first);
    decoder.decode(&first, |_, _, _| {}).unwrap();
    let mut warm = Vec::new();
    encoder.encode(typical_fields("/static/css/main.8d2e1b.css?v=20261122"), &mut warm);
    let raw_typical: usize = TYPICAL.iter().map(|(n, v)| n.len() + v.len()).sum();
    println!(
        "typical request: {raw_typical} raw octets; {} on the wire cold, {} warm",
        first.len(),
        warm.len()
    );
    const ITER: usize = 200_000;
    let mut count = 0usize;
    let typical_decode = best_ns(ITER, || {
        for _ in 0..ITER {
            decoder
                .decode(black_box(&warm), |n, v, never| {
                    black_box((n, v, never));
                    count += 1;
                })
                .unwrap();
        }
    });
    assert_eq!(count, RUNS * ITER * 15);
    let mut out = Vec::with_capacity(256);
    let fields = typical_fields("/static/css/main.8d2e1b.css?v=20261122");
    let typical_encode = best_ns(ITER, || {
        for _ in 0..ITER {
            out.clear();
            encoder.encode(black_box(&fields).iter().copied(), &mut out);
            black_box(&out);
        }
    });
    assert_eq!(out, warm);
    println!("typical request, warm: decode {typical_decode:.0} ns/block, encode {typical_encode:.0} ns/block");
}
