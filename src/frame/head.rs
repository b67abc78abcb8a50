//! The 9-octet frame header of [RFC 9113 §4.1].
//!
//! ```text
//! HTTP Frame {
//!   Length (24),
//!   Type (8),
//!   Flags (8),
//!   Reserved (1),
//!   Stream Identifier (31),
//!   Frame Payload (..),
//! }
//! ```
//!
//! [RFC 9113 §4.1]: https://www.rfc-editor.org/rfc/rfc9113#section-4.1

use bytes::BufMut;

/// Size of the frame header in octets.
pub const HEADER_LEN: usize = 9;

/// Mask for the 31-bit stream identifier; the reserved bit is ignored on receipt and never
/// sent ([RFC 9113 §4.1]).
///
/// [RFC 9113 §4.1]: https://www.rfc-editor.org/rfc/rfc9113#section-4.1
pub const STREAM_ID_MASK: u32 = 0x7fff_ffff;

/// Frame type codes: RFC 9113 §6, RFC 7838 (ALTSVC), RFC 8336 (ORIGIN), RFC 9218
/// (PRIORITY_UPDATE).
pub mod kind {
    /// DATA (RFC 9113 §6.1).
    pub const DATA: u8 = 0x0;
    /// HEADERS (RFC 9113 §6.2).
    pub const HEADERS: u8 = 0x1;
    /// PRIORITY (RFC 9113 §6.3).
    pub const PRIORITY: u8 = 0x2;
    /// RST_STREAM (RFC 9113 §6.4).
    pub const RST_STREAM: u8 = 0x3;
    /// SETTINGS (RFC 9113 §6.5).
    pub const SETTINGS: u8 = 0x4;
    /// PUSH_PROMISE (RFC 9113 §6.6).
    pub const PUSH_PROMISE: u8 = 0x5;
    /// PING (RFC 9113 §6.7).
    pub const PING: u8 = 0x6;
    /// GOAWAY (RFC 9113 §6.8).
    pub const GOAWAY: u8 = 0x7;
    /// WINDOW_UPDATE (RFC 9113 §6.9).
    pub const WINDOW_UPDATE: u8 = 0x8;
    /// CONTINUATION (RFC 9113 §6.10).
    pub const CONTINUATION: u8 = 0x9;
    /// ALTSVC (RFC 7838 §4).
    pub const ALTSVC: u8 = 0xa;
    /// ORIGIN (RFC 8336 §2).
    pub const ORIGIN: u8 = 0xc;
    /// PRIORITY_UPDATE (RFC 9218 §7.1).
    pub const PRIORITY_UPDATE: u8 = 0x10;

    /// The registry name of a frame type, or `None` for a type this crate does not know.
    pub const fn name(kind: u8) -> Option<&'static str> {
        Some(match kind {
            DATA => "DATA",
            HEADERS => "HEADERS",
            PRIORITY => "PRIORITY",
            RST_STREAM => "RST_STREAM",
            SETTINGS => "SETTINGS",
            PUSH_PROMISE => "PUSH_PROMISE",
            PING => "PING",
            GOAWAY => "GOAWAY",
            WINDOW_UPDATE => "WINDOW_UPDATE",
            CONTINUATION => "CONTINUATION",
            ALTSVC => "ALTSVC",
            ORIGIN => "ORIGIN",
            PRIORITY_UPDATE => "PRIORITY_UPDATE",
            _ => return None,
        })
    }
}

/// Flag bits (RFC 9113 §6). Undefined bits are ignored on receipt and left unset when sending.
pub mod flags {
    /// END_STREAM on DATA and HEADERS.
    pub const END_STREAM: u8 = 0x1;
    /// ACK on SETTINGS and PING.
    pub const ACK: u8 = 0x1;
    /// END_HEADERS on HEADERS, PUSH_PROMISE and CONTINUATION.
    pub const END_HEADERS: u8 = 0x4;
    /// PADDED on DATA, HEADERS and PUSH_PROMISE.
    pub const PADDED: u8 = 0x8;
    /// PRIORITY on HEADERS.
    pub const PRIORITY: u8 = 0x20;
}

/// A decoded frame header.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct FrameHeader {
    /// Payload length (24 bits).
    pub length: u32,
    /// Frame type code (see [`kind`]).
    pub kind: u8,
    /// Raw flag byte, undefined bits included.
    pub flags: u8,
    /// Stream identifier with the reserved bit cleared.
    pub stream_id: u32,
}

impl FrameHeader {
    /// Decodes the first 9 octets of `src`, or returns `None` when fewer are available.
    pub fn parse(src: &[u8]) -> Option<FrameHeader> {
        let h: &[u8; HEADER_LEN] = src.get(..HEADER_LEN)?.try_into().ok()?;
        Some(FrameHeader {
            length: u32::from_be_bytes([0, h[0], h[1], h[2]]),
            kind: h[3],
            flags: h[4],
            stream_id: u32::from_be_bytes([h[5], h[6], h[7], h[8]]) & STREAM_ID_MASK,
        })
    }

    /// Appends the 9-octet encoding. `length` must fit in 24 bits; higher bits are dropped.
    pub fn encode<B: BufMut>(&self, dst: &mut B) {
        let len = self.length.to_be_bytes();
        let id = (self.stream_id & STREAM_ID_MASK).to_be_bytes();
        dst.put_slice(&[len[1], len[2], len[3], self.kind, self.flags, id[0], id[1], id[2], id[3]]);
    }

    /// Whether `flag` is set.
    pub const fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn header_round_trips_and_masks_the_reserved_bit() {
        let raw = [0x00, 0x40, 0x01, 0x01, 0x25, 0x80, 0x00, 0x00, 0x03];
        let h = FrameHeader::parse(&raw).unwrap();
        assert_eq!(h, FrameHeader { length: 0x4001, kind: 1, flags: 0x25, stream_id: 3 });
        let mut out = Vec::new();
        h.encode(&mut out);
        assert_eq!(out, [0x00, 0x40, 0x01, 0x01, 0x25, 0x00, 0x00, 0x00, 0x03]);
        assert!(FrameHeader::parse(&raw[..8]).is_none());
    }
}
