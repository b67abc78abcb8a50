//! The static Huffman code of [RFC 7541 Appendix B], used for string literals (§5.2).
//!
//! The code is canonical: within one length, codes rise with the symbol value, and each
//! length starts where the previous one stopped, shifted left by one bit. So the 257 code
//! lengths alone define it. [`build`] derives everything at compile time from [`LENGTHS`]:
//!
//! * the code of each symbol, for the encoder;
//! * for the decoder, the symbols sorted by (length, value) and, per length, the
//!   left-justified limit of its codes and the offset from a code to its position in that
//!   sorted list. Decoding peeks 32 bits and walks the limits from the shortest length until
//!   the peeked value falls below one;
//! * a 256-entry table of the codes of at most 8 bits, indexed by the next 8 bits, which
//!   decodes the frequent symbols (letters, digits, common punctuation) in one step and
//!   leaves the rare ones to the walk above. All tables together take about 1.1 KB.
//!
//! [RFC 7541 Appendix B]: https://www.rfc-editor.org/rfc/rfc7541#appendix-B

use super::DecodeError;

/// The number of symbols: the 256 octets and EOS.
const SYMBOLS: usize = 257;
/// The EOS symbol, which must never appear inside a string (§5.2).
const EOS: usize = 256;
/// The shortest code length in the table.
const MIN_LEN: u32 = 5;
/// The longest code length in the table.
const MAX_LEN: u32 = 30;
/// Number of lengths from `MIN_LEN` to `MAX_LEN` inclusive.
const LEN_SLOTS: usize = (MAX_LEN - MIN_LEN + 1) as usize;

/// Code length in bits of each symbol, 0–255 then EOS (RFC 7541 Appendix B).
#[rustfmt::skip]
const LENGTHS: [u8; SYMBOLS] = [
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, //   0.. 15
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, //  16.. 31
     6, 10, 10, 12, 13,  6,  8, 11, 10, 10,  8, 11,  8,  6,  6,  6, //  32.. 47
     5,  5,  5,  6,  6,  6,  6,  6,  6,  6,  7,  8, 15,  6, 12, 10, //  48.. 63
    13,  6,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7,  7, //  64.. 79
     7,  7,  7,  7,  7,  7,  7,  7,  8,  7,  8, 13, 19, 13, 14,  6, //  80.. 95
    15,  5,  6,  5,  6,  5,  6,  6,  6,  5,  7,  7,  6,  6,  6,  5, //  96..111
     6,  7,  6,  5,  5,  6,  7,  7,  7,  7,  7, 15, 11, 14, 13, 28, // 112..127
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128..143
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144..159
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160..175
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176..191
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192..207
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208..223
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224..239
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240..255
    30,                                                             // EOS
];

/// Everything derived from [`LENGTHS`].
struct Tables {
    /// The code of each symbol, right-aligned.
    codes: [u32; SYMBOLS],
    /// Symbols 0–255 sorted by (code length, value). EOS, the last in that order (the
    /// longest length and the highest value), is position 256 and is not stored.
    sorted: [u8; 256],
    /// Per length `MIN_LEN + i`: one past the last code of that length, left-justified to
    /// 32 bits. A peeked 32-bit value below `limits[i]` (and not below the previous limit)
    /// starts with a code of that length. The last limit is 2^32.
    limits: [u64; LEN_SLOTS],
    /// Per length: the first code of that length minus the position of its symbol in
    /// `sorted`, in wrapping arithmetic, so that `code - delta` is the position.
    deltas: [u32; LEN_SLOTS],
    /// Indexed by the next 8 bits: `(length << 8) | symbol` when they start with a code of
    /// at most 8 bits (the frequent symbols: letters, digits, common punctuation), else 0.
    short: [u16; 256],
}

/// Derives the canonical code and the decoding tables from the code lengths.
///
/// Runs only at compile time (it initialises a `const`), where an overflow or an index out
/// of bounds is a compile error rather than a panic; the unit tests check the result against
/// codes printed in the RFC.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn build() -> Tables {
    let mut t = Tables {
        codes: [0; SYMBOLS],
        sorted: [0; 256],
        limits: [0; LEN_SLOTS],
        deltas: [0; LEN_SLOTS],
        short: [0; 256],
    };
    let mut code: u32 = 0;
    let mut position: usize = 0;
    let mut len = MIN_LEN;
    while len <= MAX_LEN {
        let slot = (len - MIN_LEN) as usize;
        t.deltas[slot] = code.wrapping_sub(position as u32);
        let mut sym = 0;
        while sym < SYMBOLS {
            if LENGTHS[sym] as u32 == len {
                t.codes[sym] = code;
                if sym < 256 {
                    t.sorted[position] = sym as u8;
                }
                code += 1;
                position += 1;
            }
            sym += 1;
        }
        t.limits[slot] = (code as u64) << (32 - len);
        if len <= 8 {
            // Every 8-bit window that starts with one of this length's codes.
            let mut sym = 0;
            while sym < 256 {
                if LENGTHS[sym] as u32 == len {
                    let first = (t.codes[sym] << (8 - len)) as usize;
                    let mut k = 0;
                    while k < 1 << (8 - len) {
                        t.short[first + k] = ((len as u16) << 8) | sym as u16;
                        k += 1;
                    }
                }
                sym += 1;
            }
        }
        if len < MAX_LEN {
            code <<= 1;
        }
        len += 1;
    }
    t
}

static TABLES: Tables = build();

/// The code of `symbol` and its length in bits.
#[inline]
fn code_of(symbol: u8) -> (u32, u32) {
    let i = usize::from(symbol);
    let code = TABLES.codes.get(i).copied().unwrap_or(0);
    let len = LENGTHS.get(i).copied().unwrap_or(0);
    (code, u32::from(len))
}

/// The length in octets of `src` once Huffman-coded and padded (§5.2).
pub(crate) fn encoded_len(src: &[u8]) -> usize {
    let bits: u64 = src
        .iter()
        .map(|&b| u64::from(LENGTHS.get(usize::from(b)).copied().unwrap_or(0)))
        .fold(0u64, u64::saturating_add);
    usize::try_from(bits.div_ceil(8)).unwrap_or(usize::MAX)
}

/// Appends the Huffman coding of `src` to `dst`, padded with the high bits of EOS (all ones)
/// to an octet boundary (§5.2).
pub(crate) fn encode(src: &[u8], dst: &mut Vec<u8>) {
    // Pending bits sit at the low end of `acc`; `n` of them are not yet written. `n` stays
    // below 8 between symbols, so with a 30-bit code at most 37 bits are live.
    let mut acc: u64 = 0;
    let mut n: u32 = 0;
    for &b in src {
        let (code, len) = code_of(b);
        acc = acc.wrapping_shl(len) | u64::from(code);
        n = n.wrapping_add(len);
        while n >= 8 {
            n = n.wrapping_sub(8);
            dst.push(acc.wrapping_shr(n) as u8);
        }
    }
    if n > 0 {
        let pad = 8u32.wrapping_sub(n);
        dst.push((acc.wrapping_shl(pad) as u8) | (0xffu8.wrapping_shr(n)));
    }
}

/// Decodes the Huffman-coded string `src`, appending the octets to `dst` (§5.2).
///
/// Fails with [`DecodeError::InvalidHuffman`] if the string contains EOS, ends with more
/// than 7 bits of padding, or ends with padding that is not a prefix of EOS (all ones).
pub(crate) fn decode(src: &[u8], dst: &mut Vec<u8>) -> Result<(), DecodeError> {
    // Each code is at least 5 bits long, so a string of n octets holds at most 8n/5 symbols.
    dst.reserve(src.len().saturating_mul(8) / 5);
    // Unread bits sit at the top of `acc`; `nbits` of them are valid, the rest are zero.
    let mut acc: u64 = 0;
    let mut nbits: u32 = 0;
    let mut input = src.iter();
    loop {
        while nbits <= 56 {
            match input.next() {
                Some(&b) => {
                    acc |= u64::from(b).wrapping_shl(56u32.wrapping_sub(nbits));
                    nbits = nbits.wrapping_add(8);
                }
                None => break,
            }
        }
        // Here either at least 57 bits are buffered, or the input is used up.
        if nbits == 0 {
            return Ok(());
        }
        if nbits <= 7 {
            // The input is used up. What is left must be padding: the high bits of EOS.
            // No complete code is all ones and 7 bits or shorter, so this is unambiguous.
            let pad_mask = !(u64::MAX.wrapping_shr(nbits));
            if acc & pad_mask == pad_mask {
                return Ok(());
            }
        }
        // The frequent case: a code of at most 8 bits.
        let short = TABLES.short.get((acc.wrapping_shr(56)) as usize).copied().unwrap_or(0);
        let short_len = u32::from(short.wrapping_shr(8));
        if short != 0 && short_len <= nbits {
            dst.push(short as u8);
            acc = acc.wrapping_shl(short_len);
            nbits = nbits.wrapping_sub(short_len);
            continue;
        }
        let peek = acc.wrapping_shr(32);
        let mut slot = 0usize;
        let mut len = MIN_LEN;
        while let Some(&limit) = TABLES.limits.get(slot) {
            if peek < limit {
                break;
            }
            slot = slot.wrapping_add(1);
            len = len.wrapping_add(1);
        }
        if len > nbits {
            // The bits left cannot complete a code: padding that is too long or not all ones.
            return Err(DecodeError::InvalidHuffman);
        }
        let code = peek.wrapping_shr(32u32.wrapping_sub(len)) as u32;
        let delta = TABLES.deltas.get(slot).copied().unwrap_or(0);
        let position = usize::try_from(code.wrapping_sub(delta)).unwrap_or(EOS);
        match TABLES.sorted.get(position) {
            Some(&symbol) => dst.push(symbol),
            // Position 256 is EOS, which a string must not contain.
            None => return Err(DecodeError::InvalidHuffman),
        }
        acc = acc.wrapping_shl(len);
        nbits = nbits.wrapping_sub(len);
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn decode_vec(src: &[u8]) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::new();
        decode(src, &mut out).map(|()| out)
    }

    fn encode_vec(src: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        encode(src, &mut out);
        assert_eq!(out.len(), encoded_len(src));
        out
    }

    #[test]
    fn derived_codes_match_the_rfc() {
        // (symbol, code, length) as printed in RFC 7541 Appendix B.
        let samples: [(usize, u32, u8); 12] = [
            (0, 0x1ff8, 13),
            (10, 0x3fff_fffc, 30),
            (b' ' as usize, 0x14, 6),
            (b'0' as usize, 0x0, 5),
            (b'a' as usize, 0x3, 5),
            (b't' as usize, 0x9, 5),
            (b'z' as usize, 0x7b, 7),
            (b'~' as usize, 0x1ffd, 13),
            (128, 0xfffe6, 20),
            (200, 0x3ff_ffe2, 26),
            (255, 0x3ff_ffee, 26),
            (EOS, 0x3fff_ffff, 30),
        ];
        for (sym, code, len) in samples {
            assert_eq!(TABLES.codes[sym], code, "symbol {sym}");
            assert_eq!(LENGTHS[sym], len, "symbol {sym}");
        }
    }

    #[test]
    fn code_is_complete_and_prefix_free() {
        // Kraft sum of exactly 1: the code fills the whole tree.
        let sum: u64 = LENGTHS.iter().map(|&l| 1u64 << (30 - l)).sum();
        assert_eq!(sum, 1 << 30);
        assert_eq!(*TABLES.limits.last().unwrap(), 1 << 32);
        // Every symbol decodes back to itself.
        for b in 0..=255u8 {
            let coded = encode_vec(&[b]);
            assert_eq!(decode_vec(&coded).unwrap(), vec![b], "symbol {b}");
        }
    }

    #[test]
    fn rfc_examples() {
        // RFC 7541 C.4.1 and C.6.1.
        assert_eq!(
            encode_vec(b"www.example.com"),
            [0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff]
        );
        assert_eq!(encode_vec(b"no-cache"), [0xa8, 0xeb, 0x10, 0x64, 0x9c, 0xbf]);
        assert_eq!(encode_vec(b"302"), [0x64, 0x02]);
        assert_eq!(decode_vec(&[0xae, 0xc3, 0x77, 0x1a, 0x4b]).unwrap(), b"private");
    }

    #[test]
    fn all_octets_round_trip() {
        let all: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        assert_eq!(decode_vec(&encode_vec(&all)).unwrap(), all);
        assert_eq!(decode_vec(&[]).unwrap(), b"");
    }

    #[test]
    fn rejects_eos_and_bad_padding() {
        // EOS itself (30 ones) padded with two more ones.
        assert_eq!(decode_vec(&[0xff, 0xff, 0xff, 0xff]), Err(DecodeError::InvalidHuffman));
        // 'a' (00011) then EOS.
        assert_eq!(decode_vec(&[0x1f, 0xff, 0xff, 0xff, 0xfe]), Err(DecodeError::InvalidHuffman));
        // Eight bits of padding.
        assert_eq!(decode_vec(&[0xff]), Err(DecodeError::InvalidHuffman));
        // 'a' then 3 bits of padding that are not all ones (00011 000).
        assert_eq!(decode_vec(&[0x18]), Err(DecodeError::InvalidHuffman));
        // 'a' then 0b110: a zero bit in the padding.
        assert_eq!(decode_vec(&[0x1e]), Err(DecodeError::InvalidHuffman));
        // 'a' with valid padding 0b111.
        assert_eq!(decode_vec(&[0x1f]).unwrap(), b"a");
        // 'a' then 11 bits of padding.
        assert_eq!(decode_vec(&[0x1f, 0xff]), Err(DecodeError::InvalidHuffman));
    }
}
