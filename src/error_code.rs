//! HTTP/2 error codes ([RFC 9113 §7]).
//!
//! An error code is a 32-bit value carried by RST_STREAM and GOAWAY. RFC 9113 defines
//! fourteen; any other value is legal on the wire and must survive a round trip, so the
//! type is a newtype over `u32` with named constants rather than a closed enum.
//!
//! [RFC 9113 §7]: https://www.rfc-editor.org/rfc/rfc9113#section-7

use core::fmt;

/// An HTTP/2 error code ([RFC 9113 §7](https://www.rfc-editor.org/rfc/rfc9113#section-7)).
///
/// Unknown codes are kept as they are: `ErrorCode(0xdead)` is a valid value whose
/// [`name`](ErrorCode::name) is `None`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ErrorCode(pub u32);

impl ErrorCode {
    /// 0x0: graceful shutdown, or no error.
    pub const NO_ERROR: ErrorCode = ErrorCode(0x0);
    /// 0x1: the peer broke the protocol.
    pub const PROTOCOL_ERROR: ErrorCode = ErrorCode(0x1);
    /// 0x2: an unexpected internal error.
    pub const INTERNAL_ERROR: ErrorCode = ErrorCode(0x2);
    /// 0x3: the peer broke the flow-control rules.
    pub const FLOW_CONTROL_ERROR: ErrorCode = ErrorCode(0x3);
    /// 0x4: a SETTINGS frame was not acknowledged in time.
    pub const SETTINGS_TIMEOUT: ErrorCode = ErrorCode(0x4);
    /// 0x5: a frame arrived on a half-closed stream.
    pub const STREAM_CLOSED: ErrorCode = ErrorCode(0x5);
    /// 0x6: a frame had an invalid size.
    pub const FRAME_SIZE_ERROR: ErrorCode = ErrorCode(0x6);
    /// 0x7: the stream was refused before any processing.
    pub const REFUSED_STREAM: ErrorCode = ErrorCode(0x7);
    /// 0x8: the stream is no longer needed.
    pub const CANCEL: ErrorCode = ErrorCode(0x8);
    /// 0x9: the header compression context cannot be maintained.
    pub const COMPRESSION_ERROR: ErrorCode = ErrorCode(0x9);
    /// 0xa: the connection behind a CONNECT request failed.
    pub const CONNECT_ERROR: ErrorCode = ErrorCode(0xa);
    /// 0xb: the peer behaves in a way that may generate excessive load.
    pub const ENHANCE_YOUR_CALM: ErrorCode = ErrorCode(0xb);
    /// 0xc: the transport does not meet minimum security requirements.
    pub const INADEQUATE_SECURITY: ErrorCode = ErrorCode(0xc);
    /// 0xd: the peer must use HTTP/1.1 for this request.
    pub const HTTP_1_1_REQUIRED: ErrorCode = ErrorCode(0xd);

    /// Every code RFC 9113 names, in numeric order.
    pub const ALL_KNOWN: [ErrorCode; 14] = [
        Self::NO_ERROR,
        Self::PROTOCOL_ERROR,
        Self::INTERNAL_ERROR,
        Self::FLOW_CONTROL_ERROR,
        Self::SETTINGS_TIMEOUT,
        Self::STREAM_CLOSED,
        Self::FRAME_SIZE_ERROR,
        Self::REFUSED_STREAM,
        Self::CANCEL,
        Self::COMPRESSION_ERROR,
        Self::CONNECT_ERROR,
        Self::ENHANCE_YOUR_CALM,
        Self::INADEQUATE_SECURITY,
        Self::HTTP_1_1_REQUIRED,
    ];

    /// The RFC name of this code (`"PROTOCOL_ERROR"`), or `None` for a code RFC 9113 does not
    /// define.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x0 => "NO_ERROR",
            0x1 => "PROTOCOL_ERROR",
            0x2 => "INTERNAL_ERROR",
            0x3 => "FLOW_CONTROL_ERROR",
            0x4 => "SETTINGS_TIMEOUT",
            0x5 => "STREAM_CLOSED",
            0x6 => "FRAME_SIZE_ERROR",
            0x7 => "REFUSED_STREAM",
            0x8 => "CANCEL",
            0x9 => "COMPRESSION_ERROR",
            0xa => "CONNECT_ERROR",
            0xb => "ENHANCE_YOUR_CALM",
            0xc => "INADEQUATE_SECURITY",
            0xd => "HTTP_1_1_REQUIRED",
            _ => return None,
        })
    }

    /// Whether RFC 9113 defines this code.
    pub const fn is_known(self) -> bool {
        self.0 <= 0xd
    }
}

impl From<u32> for ErrorCode {
    fn from(code: u32) -> Self {
        ErrorCode(code)
    }
}

impl From<ErrorCode> for u32 {
    fn from(code: ErrorCode) -> Self {
        code.0
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "ErrorCode({:#x})", self.0),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn known_codes_have_their_rfc_names_and_values() {
        for (value, code) in ErrorCode::ALL_KNOWN.iter().enumerate() {
            assert_eq!(code.0 as usize, value);
            assert!(code.is_known());
            assert!(code.name().is_some());
        }
        assert_eq!(ErrorCode::ENHANCE_YOUR_CALM.name(), Some("ENHANCE_YOUR_CALM"));
        assert_eq!(format!("{}", ErrorCode::CANCEL), "CANCEL");
    }

    #[test]
    fn unknown_code_round_trips() {
        let code = ErrorCode::from(0xdead_beef);
        assert_eq!(code.name(), None);
        assert!(!code.is_known());
        assert_eq!(u32::from(code), 0xdead_beef);
        assert_eq!(format!("{code:?}"), "ErrorCode(0xdeadbeef)");
    }
}
