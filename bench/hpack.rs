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

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use h2wasm::hpack::{Decoder, Encoder, Indexing};
use serde_json::Value;

const RUNS: usize = 7;

/// Counts allocations (and reallocations), to report them per block.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

// Native only: in wasm32 the h2wasm binding sets its own global allocator (talc). The
// benchmark runs natively; `clippy --all-targets` still compiles it for wasm32.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations per unit made by one more call of `f`.
fn allocs_per(per: usize, f: impl FnOnce()) -> f64 {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    f();
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / per as f64
}

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
    let decode_corpus = || {
        for story in &stories {
            let mut d = Decoder::new(4096);
            for block in story {
                d.decode(black_box(block), |n, v, never| {
                    black_box((n, v, never));
                })
                .unwrap();
            }
        }
    };
    let decode_ns = best_ns(blocks, decode_corpus);
    let decode_allocs = allocs_per(blocks, decode_corpus);
    println!(
        "decode nghttp2 corpus: {decode_ns:.0} ns/block, {decode_allocs:.2} allocs/block \
         ({} stories, {blocks} blocks)",
        stories.len()
    );

    // Encode: every raw-data story.
    let raw: Vec<Vec<Vec<Header>>> = load(&dir.join("raw-data"))
        .iter()
        .map(|s| s["cases"].as_array().unwrap().iter().map(headers).collect())
        .collect();
    let raw_blocks: usize = raw.iter().map(Vec::len).sum();
    let raw_octets: usize = raw.iter().flatten().flatten().map(|(n, v)| n.len() + v.len()).sum();
    let mut wire = Vec::with_capacity(64 * 1024);
    let mut encode_corpus = || {
        let mut wire_octets = 0usize;
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
        wire_octets
    };
    let wire_octets = encode_corpus();
    let encode_ns = best_ns(raw_blocks, || {
        encode_corpus();
    });
    let encode_allocs = allocs_per(raw_blocks, || {
        encode_corpus();
    });
    println!(
        "encode raw-data corpus: {encode_ns:.0} ns/block, {encode_allocs:.2} allocs/block \
         ({} stories, {raw_blocks} blocks); wire = {:.1} % of raw ({wire_octets} of \
         {raw_octets} octets)",
        raw.len(),
        100.0 * wire_octets as f64 / raw_octets as f64
    );

    // The typical request, warm tables.
    let mut encoder = Encoder::new();
    let mut decoder = Decoder::new(4096);
    let mut first = Vec::new();
    encoder.encode(typical_fields(TYPICAL[3].1), &mut first);
    decoder.decode(&first, |_, _, _| {}).unwrap();
    let fields = typical_fields("/static/css/main.8d2e1b.css?v=20261122");
    let mut warm = Vec::new();
    encoder.encode(fields.iter().copied(), &mut warm);
    let raw_typical: usize = TYPICAL.iter().map(|(n, v)| n.len() + v.len()).sum();
    println!(
        "typical request: {raw_typical} raw octets; {} on the wire cold, {} warm",
        first.len(),
        warm.len()
    );
    const ITER: usize = 200_000;
    let mut count = 0usize;
    let mut decode_typical = |iterations: usize| {
        for _ in 0..iterations {
            decoder
                .decode(black_box(&warm), |n, v, never| {
                    black_box((n, v, never));
                    count += 1;
                })
                .unwrap();
        }
    };
    let typical_decode = best_ns(ITER, || decode_typical(ITER));
    let typical_decode_allocs = allocs_per(1000, || decode_typical(1000));
    assert_eq!(count, (RUNS * ITER + 1000) * 15);
    let mut out = Vec::with_capacity(256);
    let mut encode_typical = |iterations: usize| {
        for _ in 0..iterations {
            out.clear();
            encoder.encode(black_box(&fields).iter().copied(), &mut out);
            black_box(&out);
        }
    };
    let typical_encode = best_ns(ITER, || encode_typical(ITER));
    let typical_encode_allocs = allocs_per(1000, || encode_typical(1000));
    assert_eq!(out, warm);
    println!(
        "typical request, warm: decode {typical_decode:.0} ns/block \
         ({typical_decode_allocs:.2} allocs), encode {typical_encode:.0} ns/block \
         ({typical_encode_allocs:.2} allocs)"
    );
}
