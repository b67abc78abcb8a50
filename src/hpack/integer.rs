//! Integer representation with an N-bit prefix ([RFC 7541 §5.1]).
//!
//! A value below `2^N - 1` fits in the prefix. A larger value fills the prefix with ones and
//! continues in octets of 7 bits each, least significant first, the high bit of each octet
//! saying whether another follows.
//!
//! The decoder accepts at most four continuation octets, so every value is below
//! `2^N - 1 + 2^28` and fits a `u32` without any chance of overflow. No field of HTTP/2 needs
//! more: lengths are bounded by the header block, and indexes and table sizes by settings
//! that are far smaller. A fifth continuation octet is [`DecodeError::IntegerOverflow`].
//!
//! [RFC 7541 §5.1]: https://www.rfc-editor.org/rfc/rfc7541#section-5.1

use super::DecodeError;

/// The most continuation octets the decoder accepts.
const MAX_CONTINUATIONS: u32 = 4;

/// Reads one integer whose prefix is the bits of `mask` (`0x7f` for a 7-bit prefix, and so
/// on) in the first octet of `input`, and advances `input` past it.
pub(crate) fn decode(input: &mut &[u8], mask: u8) -> Result<u32, DecodeError> {
    let (&first, rest) = input.split_first().ok_or(DecodeError::Truncated)?;
    *input = rest;
    let prefix = first & mask;
    if prefix < mask {
        return Ok(u32::from(prefix));
    }
    let mut extra: u32 = 0;
    let mut shift: u32 = 0;
    while shift < MAX_CONTINUATIONS.wrapping_mul(7) {
        let (&octet, rest) = input.split_first().ok_or(DecodeError::Truncated)?;
        *input = rest;
        // At most 4 × 7 = 28 bits are collected, so neither the shift nor the sum overflows.
        extra |= u32::from(octet & 0x7f).wrapping_shl(shift);
        if octet & 0x80 == 0 {
            return u32::from(mask).checked_add(extra).ok_or(DecodeError::IntegerOverflow);
        }
        shift = shift.wrapping_add(7);
    }
    Err(DecodeError::IntegerOverflow)
}

/// Appends `value` with an N-bit prefix given by `mask`; `flags` supplies the bits of the
/// first octet above the prefix.
#[inline]
pub(crate) fn encode(dst: &mut Vec<u8>, flags: u8, mask: u8, value: usize) {
    match value.checked_sub(usize::from(mask)) {
        // `value < mask`, so it fits in a u8 and in the prefix.
        None => dst.push(flags | (value as u8)),
        Some(rest) => encode_long(dst, flags | mask, rest),
    }
}

/// The continuation octets of an integer that fills its prefix.
#[cold]
fn encode_long(dst: &mut Vec<u8>, first: u8, mut rest: usize) {
    dst.push(first);
    while rest >= 0x80 {
        dst.push((rest as u8) | 0x80);
        rest = rest.wrapping_shr(7);
    }
    dst.push(rest as u8);
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn enc(flags: u8, mask: u8, value: usize) -> Vec<u8> {
        let mut out = Vec::new();
        encode(&mut out, flags, mask, value);
        out
    }

    #[test]
    fn rfc_c1_examples() {
        // C.1.1: 10 with a 5-bit prefix.
        assert_eq!(enc(0, 0x1f, 10), [0x0a]);
        assert_eq!(decode(&mut &[0x0a][..], 0x1f), Ok(10));
        // C.1.2: 1337 with a 5-bit prefix.
        assert_eq!(enc(0, 0x1f, 1337), [0x1f, 0x9a, 0x0a]);
        assert_eq!(decode(&mut &[0x1f, 0x9a, 0x0a][..], 0x1f), Ok(1337));
        // C.1.3: 42 at an octet boundary.
        assert_eq!(enc(0, 0xff, 42), [0x2a]);
        assert_eq!(decode(&mut &[0x2a][..], 0xff), Ok(42));
    }

    #[test]
    fn boundaries() {
        // Exactly the prefix maximum needs one continuation octet of 0.
        assert_eq!(enc(0x40, 0x3f, 63), [0x7f, 0x00]);
        assert_eq!(decode(&mut &[0x7f, 0x00][..], 0x3f), Ok(63));
        // The largest value four continuation octets can carry.
        let max = 0x7f + (1 << 28) - 1;
        let bytes = enc(0x80, 0x7f, max);
        assert_eq!(bytes, [0xff, 0xff, 0xff, 0xff, 0x7f]);
        assert_eq!(decode(&mut &bytes[..], 0x7f), Ok(max as u32));
        for v in [0usize, 1, 14, 15, 16, 127, 128, 255, 4096, 65_535, 1 << 20] {
            for mask in [0x0f, 0x1f, 0x3f, 0x7f] {
                let bytes = enc(0, mask, v);
                let mut input = &bytes[..];
                assert_eq!(decode(&mut input, mask), Ok(v as u32));
                assert!(input.is_empty());
            }
        }
    }

    #[test]
    fn errors() {
        assert_eq!(decode(&mut &[][..], 0x1f), Err(DecodeError::Truncated));
        assert_eq!(decode(&mut &[0x1f][..], 0x1f), Err(DecodeError::Truncated));
        assert_eq!(decode(&mut &[0x1f, 0x80][..], 0x1f), Err(DecodeError::Truncated));
        assert_eq!(
            decode(&mut &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f][..], 0x7f),
            Err(DecodeError::IntegerOverflow)
        );
        assert_eq!(
            decode(&mut &[0x1f, 0x80, 0x80, 0x80, 0x80, 0x00][..], 0x1f),
            Err(DecodeError::IntegerOverflow)
        );
    }
}
