//! Decoding errors ([RFC 7541 §6], [RFC 9113 §4.3]).
//!
//! [RFC 7541 §6]: https://www.rfc-editor.org/rfc/rfc7541#section-6
//! [RFC 9113 §4.3]: https://www.rfc-editor.org/rfc/rfc9113#section-4.3

use core::fmt;

use crate::error_code::ErrorCode;

/// Why a header block could not be decoded.
///
/// A header block that cannot be decoded breaks the shared compression context, which
/// RFC 9113 §4.3 makes a connection error of type COMPRESSION_ERROR. The one exception is
/// [`HeaderListTooLarge`](DecodeError::HeaderListTooLarge): the block was decoded in full and
/// the context is intact, only the list is larger than we accept, so the connection may
/// refuse just that stream.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DecodeError {
    /// The block ends inside a representation: a missing integer octet, or a string longer
    /// than what is left (RFC 7541 §5.1, §5.2).
    Truncated,
    /// An integer with more than four continuation octets (RFC 7541 §5.1; see the
    /// [module](super) notes on integer limits).
    IntegerOverflow,
    /// Index 0, or an index past the end of the static and dynamic tables (RFC 7541 §2.3.3,
    /// §6.1).
    InvalidIndex,
    /// A Huffman-coded string that contains EOS, ends with more than 7 bits of padding, or
    /// ends with padding that is not all ones (RFC 7541 §5.2).
    InvalidHuffman,
    /// A dynamic table size update above the size we allow (our acknowledged
    /// SETTINGS_HEADER_TABLE_SIZE) (RFC 7541 §4.2, §6.3).
    SizeUpdateTooLarge,
    /// A dynamic table size update after the first field of a block (RFC 7541 §4.2).
    SizeUpdateNotAtStart,
    /// We lowered SETTINGS_HEADER_TABLE_SIZE below the table size the peer was using, and
    /// the peer's next block did not start with a size update (RFC 7541 §4.2).
    SizeUpdateMissing,
    /// The decoded header list (`name + value + 32` per field) is larger than
    /// SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2, §10.5.1). The block was still parsed
    /// to its end, so the decoder stays usable.
    HeaderListTooLarge,
}

impl DecodeError {
    /// The HTTP/2 error code for this error: COMPRESSION_ERROR (RFC 9113 §4.3), except
    /// ENHANCE_YOUR_CALM for [`HeaderListTooLarge`](DecodeError::HeaderListTooLarge), which
    /// the connection may instead answer with a stream error or a 431 response
    /// (RFC 9113 §10.5.1).
    pub const fn error_code(&self) -> ErrorCode {
        match self {
            DecodeError::HeaderListTooLarge => ErrorCode::ENHANCE_YOUR_CALM,
            _ => ErrorCode::COMPRESSION_ERROR,
        }
    }

    /// Whether the compression context is lost (RFC 9113 §4.3), so that the decoder cannot be
    /// used again (every error except [`HeaderListTooLarge`](DecodeError::HeaderListTooLarge)).
    pub const fn is_fatal(&self) -> bool {
        !matches!(self, DecodeError::HeaderListTooLarge)
    }
}

impl DecodeError {
    /// The message `Display` writes.
    pub(crate) const fn describe(&self) -> &'static str {
        match self {
            DecodeError::Truncated => "header block ends inside a representation",
            DecodeError::IntegerOverflow => "HPACK integer longer than 4 continuation octets",
            DecodeError::InvalidIndex => "HPACK index is 0 or past the end of the tables",
            DecodeError::InvalidHuffman => {
                "Huffman string contains EOS or ends with invalid padding"
            }
            DecodeError::SizeUpdateTooLarge => {
                "dynamic table size update above SETTINGS_HEADER_TABLE_SIZE"
            }
            DecodeError::SizeUpdateNotAtStart => {
                "dynamic table size update after the first header field"
            }
            DecodeError::SizeUpdateMissing => {
                "header block does not start with the required dynamic table size update"
            }
            DecodeError::HeaderListTooLarge => {
                "header list larger than SETTINGS_MAX_HEADER_LIST_SIZE"
            }
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl std::error::Error for DecodeError {}
