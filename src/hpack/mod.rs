//! HPACK header compression ([RFC 7541]).
//!
//! One [`Decoder`] per connection reads the peer's header blocks, one [`Encoder`] writes
//! ours. Each keeps its own dynamic table in step with the peer's counterpart.
//!
//! | file | RFC 7541 |
//! |---|---|
//! | `integer.rs` | §5.1 integers with an N-bit prefix |
//! | `huffman.rs` | §5.2 and Appendix B: the Huffman code, derived at compile time |
//! | `table.rs` | §2.3, §4 and Appendix A: the static and dynamic tables |
//! | `decoder.rs` | §3, §6: header block decoding, §4.2 size updates |
//! | `encoder.rs` | §3, §6: header block encoding |
//! | `error.rs` | §6 and RFC 9113 §4.3: decoding errors |
//!
//! ```
//! use h2wasm::hpack::{Decoder, Encoder, Indexing};
//!
//! let mut encoder = Encoder::new();
//! let mut block = Vec::new();
//! encoder.encode(
//!     [
//!         (&b":method"[..], &b"GET"[..], Indexing::Auto),
//!         (b":path", b"/search?q=rust", Indexing::No),
//!         (b"authorization", b"Bearer secret", Indexing::Never),
//!     ],
//!     &mut block,
//! );
//!
//! let mut decoder = Decoder::new(4096);
//! decoder.set_max_header_list_size(Some(16 * 1024));
//! let mut fields = Vec::new();
//! decoder.decode(&block, |name, value, never_indexed| {
//!     fields.push((name.to_vec(), value.to_vec(), never_indexed));
//! })?;
//! assert_eq!(fields[2], (b"authorization".to_vec(), b"Bearer secret".to_vec(), true));
//! # Ok::<(), h2wasm::hpack::DecodeError>(())
//! ```
//!
//! ## Robustness
//!
//! Every input is hostile. No read is unchecked, no arithmetic can overflow, and no input
//! can make this module panic (in WebAssembly a panic kills the instance):
//!
//! * integers take at most four continuation octets (values below 2^28 + 2^N), so they
//!   fit a `u32`; more is [`DecodeError::IntegerOverflow`];
//! * a string's length is checked against what is left of the block before anything is
//!   decoded or reserved;
//! * Huffman decoding rejects EOS, padding over 7 bits and padding that is not all ones;
//! * the peer cannot grow the dynamic table past our SETTINGS_HEADER_TABLE_SIZE, nor send a
//!   size update anywhere but at the start of a block, nor skip the update we require after
//!   lowering the setting;
//! * the decoded header list is charged `name + value + 32` per field (RFC 9113 §6.5.2)
//!   while decoding, which stops "HPACK bombs" (a few octets pointing many times at one
//!   large entry) and floods of empty fields before they reach the caller.
//!
//! [RFC 7541]: https://www.rfc-editor.org/rfc/rfc7541
#![deny(clippy::arithmetic_side_effects)]

mod decoder;
mod encoder;
mod error;
mod huffman;
mod integer;
mod table;

#[cfg(test)]
mod tests;

use bytes::Bytes;

pub use decoder::Decoder;

/// Equality of two short octet strings (header names and values), cheaper than `==` for
/// the usual lengths: up to 16 octets are compared as two overlapping words, without a call
/// to `memcmp`.
#[inline]
pub(crate) fn octets_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    #[inline]
    fn word<const W: usize>(s: &[u8], at: usize) -> [u8; W] {
        s.get(at..).and_then(|s| s.first_chunk::<W>()).copied().unwrap_or([0; W])
    }
    match n {
        0 => true,
        1..=3 => a.first() == b.first() && a.last() == b.last() && a.get(1) == b.get(1),
        4..=7 => {
            let end = n.wrapping_sub(4);
            word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, end) == word::<4>(b, end)
        }
        8..=16 => {
            let end = n.wrapping_sub(8);
            word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, end) == word::<8>(b, end)
        }
        _ => a == b,
    }
}

/// A decoded name or value, with what the decoder knows of where it came from.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Octets<'a> {
    /// The octets.
    pub(crate) bytes: &'a [u8],
    /// The same octets when they are a static table string (RFC 7541 Appendix A), which a
    /// caller can keep without copying them.
    pub(crate) stat: Option<&'static [u8]>,
    /// The same octets as `Bytes`, when they are a dynamic table entry's: a caller can keep
    /// a clone instead of copying them.
    pub(crate) shared: Option<&'a Bytes>,
}

impl<'a> Octets<'a> {
    /// Octets that live in the block or a scratch buffer.
    #[inline]
    pub(crate) fn borrowed(bytes: &'a [u8]) -> Self {
        Octets { bytes, stat: None, shared: None }
    }

    /// A static table string.
    #[inline]
    pub(crate) fn of_static(bytes: &'static [u8]) -> Self {
        Octets { bytes, stat: Some(bytes), shared: None }
    }
}
pub use encoder::{Encoder, Indexing};
pub use error::DecodeError;
