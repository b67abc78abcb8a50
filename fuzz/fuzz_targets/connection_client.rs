//! A client engine with two open requests, fed arbitrary bytes as the server's.
#![no_main]

mod connection;

libfuzzer_sys::fuzz_target!(|data: &[u8]| connection::run(data, true));
