//! Header fields as the connection sends and reports them.

use core::fmt;

use bytes::Bytes;

/// One header field: a name, a value, and whether it must never be added to an HPACK table
/// ([RFC 7541 §7.1.3]).
///
/// Names and values are octets. HTTP/2 field names are lowercase ASCII and values are
/// mostly ASCII; anything else is kept as it is and judged by header validation.
///
/// [RFC 7541 §7.1.3]: https://www.rfc-editor.org/rfc/rfc7541#section-7.1.3
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct HeaderField {
    /// The field name.
    pub name: Bytes,
    /// The field value.
    pub value: Bytes,
    /// Sent, or received, as a never-indexed literal (python h2's `NeverIndexedHeaderTuple`).
    pub never_indexed: bool,
}

impl HeaderField {
    /// A field that may be indexed.
    pub fn new(name: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        HeaderField { name: name.into(), value: value.into(), never_indexed: false }
    }

    /// A field that must never be indexed (credentials, short cookies).
    pub fn sensitive(name: impl Into<Bytes>, value: impl Into<Bytes>) -> Self {
        HeaderField { name: name.into(), value: value.into(), never_indexed: true }
    }

    /// A field built from borrowed octets (copied).
    pub fn copy_from(name: &[u8], value: &[u8]) -> Self {
        Self::new(Bytes::copy_from_slice(name), Bytes::copy_from_slice(value))
    }

    /// Whether this is a pseudo-header field (name starting with `:`).
    pub fn is_pseudo(&self) -> bool {
        self.name.first() == Some(&b':')
    }
}

impl<N: Into<Bytes>, V: Into<Bytes>> From<(N, V)> for HeaderField {
    fn from((name, value): (N, V)) -> Self {
        HeaderField::new(name, value)
    }
}

impl fmt::Debug for HeaderField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = String::from_utf8_lossy(&self.name);
        let value = String::from_utf8_lossy(&self.value);
        if self.never_indexed {
            write!(f, "({name:?}, {value:?}, never_indexed)")
        } else {
            write!(f, "({name:?}, {value:?})")
        }
    }
}

/// Finds the first field called `name` in a list.
pub fn find<'a>(headers: &'a [HeaderField], name: &[u8]) -> Option<&'a HeaderField> {
    headers.iter().find(|h| h.name.as_ref() == name)
}
