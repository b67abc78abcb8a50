//! A server engine fed arbitrary bytes after a valid client preface.
#![no_main]

mod connection;

libfuzzer_sys::fuzz_target!(|data: &[u8]| connection::run(data, false));
