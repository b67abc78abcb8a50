//! Allocation discipline: with warm tables, decoding and encoding a typical request
//! allocate nothing (fields are borrowed, scratch buffers and evicted entries are reused).
// Native only: it counts allocations through a global allocator.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use h2wasm::hpack::{Decoder, Encoder, Indexing};

/// Counts the allocations made by the current thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_in(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

const REQUEST: [(&str, &str); 8] = [
    (":method", "GET"),
    (":scheme", "https"),
    (":authority", "www.example.com"),
    (":path", "/search?q=hpack"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0"),
    ("accept", "text/html,application/xhtml+xml"),
    ("accept-encoding", "gzip, deflate, br"),
    ("cookie", "id=a3fWa; theme=light"),
];

fn fields(path: &str) -> Vec<(&[u8], &[u8], Indexing)> {
    REQUEST
        .iter()
        .map(|&(n, v)| match n {
            ":path" => (n.as_bytes(), path.as_bytes(), Indexing::No),
            "cookie" => (n.as_bytes(), v.as_bytes(), Indexing::Never),
            _ => (n.as_bytes(), v.as_bytes(), Indexing::Auto),
        })
        .collect()
}

#[test]
fn warm_decode_and_encode_do_not_allocate() {
    let mut encoder = Encoder::new();
    let mut decoder = Decoder::new(4096);
    let mut wire = Vec::with_capacity(1024);
    encoder.encode(fields("/"), &mut wire);
    decoder.decode(&wire, |_, _, _| {}).unwrap();

    // The next request: everything indexed except the new path (Huffman-coded) and the
    // never-indexed cookie.
    let next = fields("/search?q=hpack+decoder");
    wire.clear();
    encoder.encode(next.iter().copied(), &mut wire);
    let mut seen = 0;
    decoder.decode(&wire, |_, _, _| seen += 1).unwrap();
    assert_eq!(seen, REQUEST.len());

    for _ in 0..3 {
        let n = allocations_in(|| {
            decoder.decode(&wire, |n, v, _| seen += n.len() + v.len()).unwrap();
        });
        assert_eq!(n, 0, "decode allocated");
        let n = allocations_in(|| {
            wire.clear();
            encoder.encode(next.iter().copied(), &mut wire);
        });
        assert_eq!(n, 0, "encode allocated");
    }
}

#[test]
fn steady_state_insertions_reuse_evicted_buffers() {
    // A small table where every new field evicts an old one of the same size.
    let mut encoder = Encoder::new();
    encoder.set_max_table_size(256);
    let mut decoder = Decoder::new(256);
    let mut wire = Vec::with_capacity(1024);
    let values: Vec<String> = (0..200).map(|i| format!("value-{i:04}")).collect();
    let mut allocations = 0;
    // Two passes: the first sets the high-water mark of the scratch buffers, the second
    // must not allocate at all.
    for (i, v) in values.iter().chain(&values).enumerate() {
        let list = [(&b"x-counter"[..], v.as_bytes(), Indexing::Auto)];
        let n = allocations_in(|| {
            wire.clear();
            encoder.encode(list, &mut wire);
            decoder.decode(&wire, |_, _, _| {}).unwrap();
        });
        if i >= values.len() {
            allocations += n;
        }
    }
    assert_eq!(allocations, 0, "insertions allocated in steady state");
    assert_eq!(encoder.table_size(), decoder.table_size());
}
