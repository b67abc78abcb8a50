//! Header block rules of [RFC 9113 §8.2–8.3] (and RFC 8441 for extended CONNECT): inbound
//! validation and normalisation, outbound normalisation and validation, content-length.
//!
//! The checks and their scope follow python h2 4.4.1; every failure is a `ProtocolError`,
//! which on receipt becomes a connection error PROTOCOL_ERROR.
//!
//! [RFC 9113 §8.2–8.3]: https://www.rfc-editor.org/rfc/rfc9113#section-8.2

use bytes::{Bytes, BytesMut};

use crate::error::{H2Error, H2Result};
use crate::header::HeaderField;

/// Fields that are meaningful only on a single hop and must not appear in HTTP/2
/// (RFC 9113 §8.2.2).
const CONNECTION_HEADERS: [&[u8]; 5] =
    [b"connection", b"proxy-connection", b"keep-alive", b"transfer-encoding", b"upgrade"];

/// The pseudo-header fields HTTP/2 defines (RFC 9113 §8.3, RFC 8441 §4).
const PSEUDO_HEADERS: [&[u8]; 6] =
    [b":method", b":scheme", b":authority", b":path", b":status", b":protocol"];

/// What kind of header block is being checked.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub(super) struct BlockKind {
    /// The block is trailers.
    pub(super) is_trailer: bool,
    /// The block is a response (1xx included).
    pub(super) is_response: bool,
}

impl BlockKind {
    /// A request block (also a PUSH_PROMISE's promised request).
    pub(super) const REQUEST: BlockKind = BlockKind { is_trailer: false, is_response: false };
    /// A response block.
    pub(super) const RESPONSE: BlockKind = BlockKind { is_trailer: false, is_response: true };
    /// Trailers.
    pub(super) const TRAILERS: BlockKind = BlockKind { is_trailer: true, is_response: false };

    fn is_request(self) -> bool {
        !self.is_trailer && !self.is_response
    }
}

fn err(msg: impl Into<String>) -> H2Error {
    H2Error::protocol(msg.into())
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Whether the block is an informational (1xx) response: its first `:status` among the
/// leading pseudo-header fields starts with `1`.
pub(super) fn is_informational_response(headers: &[HeaderField]) -> bool {
    for h in headers {
        if !h.is_pseudo() {
            return false;
        }
        if h.name.as_ref() == b":status" {
            return h.value.first() == Some(&b'1');
        }
    }
    false
}

/// The value of the first field named `name`.
pub(super) fn first_value<'a>(headers: &'a [HeaderField], name: &[u8]) -> Option<&'a Bytes> {
    headers.iter().find(|h| h.name.as_ref() == name).map(|h| &h.value)
}

/// Parses every `content-length` field: each must be ASCII digits (RFC 9110 §8.6) and all
/// must agree. Agreement is decided on the digits without leading zeros, so values too large
/// for `u64` are compared exactly (as h2 does with Python integers); the returned length
/// saturates.
pub(super) fn content_length(headers: &[HeaderField]) -> H2Result<Option<u64>> {
    let mut found: Option<(&[u8], u64)> = None;
    for h in headers.iter().filter(|h| h.name.as_ref() == b"content-length") {
        if h.value.is_empty() || !h.value.iter().all(u8::is_ascii_digit) {
            return Err(err(format!("invalid content-length header: {:?}", show(&h.value))));
        }
        let start = h.value.iter().position(|&d| d != b'0').unwrap_or(h.value.len());
        let digits = h.value.get(start..).unwrap_or(&[]);
        let n = digits.iter().fold(0u64, |acc, d| {
            acc.saturating_mul(10).saturating_add(u64::from(d.saturating_sub(b'0')))
        });
        match found {
            Some((prev, _)) if prev != digits => {
                let show_num = |d: &[u8]| if d.is_empty() { "0".to_owned() } else { show(d) };
                return Err(err(format!(
                    "conflicting content-length headers: {} and {}",
                    show_num(prev),
                    show_num(digits)
                )));
            }
            Some(_) => {}
            None => found = Some((digits, n)),
        }
    }
    Ok(found.map(|(_, n)| n))
}

/// Inbound normalisation: every `cookie` field is removed from its place and the values are
/// joined with `"; "` into one never-indexed `cookie` field at the end (RFC 9113 §8.2.3).
pub(super) fn join_cookies(headers: &mut Vec<HeaderField>) {
    if !headers.iter().any(|h| h.name.as_ref() == b"cookie") {
        return;
    }
    let mut joined = BytesMut::new();
    let mut first = true;
    headers.retain(|h| {
        if h.name.as_ref() != b"cookie" {
            return true;
        }
        if !first {
            joined.extend_from_slice(b"; ");
        }
        first = false;
        joined.extend_from_slice(&h.value);
        false
    });
    headers.push(HeaderField::sensitive(Bytes::from_static(b"cookie"), joined.freeze()));
}

/// Checks one field name and value for characters HTTP/2 forbids (RFC 9113 §8.2.1).
fn check_field_chars(h: &HeaderField) -> H2Result<()> {
    for &c in h.name.iter() {
        if c.is_ascii_uppercase() {
            return Err(err(format!("received uppercase header name {:?}", show(&h.name))));
        }
        if c <= 0x20 || c >= 0x7f {
            return Err(err(format!("illegal character in header name {:?}", show(&h.name))));
        }
    }
    if h.name.get(1..).is_some_and(|rest| rest.contains(&b':')) {
        return Err(err(format!("illegal character ':' in header name {:?}", show(&h.name))));
    }
    if let (Some(&first), Some(&last)) = (h.value.first(), h.value.last()) {
        if h.value.iter().any(|&c| c == 0 || c == b'\n' || c == b'\r') {
            return Err(err(format!("illegal character in header value {:?}", show(&h.value))));
        }
        if matches!(first, b' ' | b'\t') || matches!(last, b' ' | b'\t') {
            return Err(err(format!("header value surrounded by whitespace {:?}", show(&h.value))));
        }
    }
    Ok(())
}

/// The checks shared by both directions: `te`, connection-specific fields, pseudo-header
/// rules, `:authority`/`host` and `:path`. `check_chars` adds the inbound character checks.
fn validate_block(
    headers: &[HeaderField],
    kind: BlockKind,
    check_chars: bool,
    connect_protocol_allowed: bool,
) -> H2Result<()> {
    let mut seen: [bool; 6] = [false; 6];
    let mut seen_regular = false;
    let mut method: Option<&Bytes> = None;
    let mut authority: Option<&Bytes> = None;
    let mut host: Option<&Bytes> = None;
    for h in headers {
        if check_chars {
            check_field_chars(h)?;
        }
        if h.name.is_empty() {
            return Err(err("received header name with zero length"));
        }
        let name = h.name.as_ref();
        if name == b"te" && !h.value.eq_ignore_ascii_case(b"trailers") {
            return Err(err(format!("invalid value for TE header: {:?}", show(&h.value))));
        }
        if CONNECTION_HEADERS.contains(&name) {
            return Err(err(format!("connection-specific header field present: {:?}", show(name))));
        }
        if h.is_pseudo() {
            let Some(index) = PSEUDO_HEADERS.iter().position(|p| *p == name) else {
                if seen_regular {
                    return Err(err(format!(
                        "pseudo-header field out of sequence: {:?}",
                        show(name)
                    )));
                }
                return Err(err(format!("received custom pseudo-header field {:?}", show(name))));
            };
            if seen.get(index).copied().unwrap_or(false) {
                return Err(err(format!(
                    "received duplicate pseudo-header field {:?}",
                    show(name)
                )));
            }
            if seen_regular {
                return Err(err(format!("pseudo-header field out of sequence: {:?}", show(name))));
            }
            if let Some(slot) = seen.get_mut(index) {
                *slot = true;
            }
            if name == b":method" {
                method = Some(&h.value);
            }
        } else {
            seen_regular = true;
        }
        if kind.is_request() {
            if name == b":authority" {
                authority = Some(&h.value);
            } else if name == b"host" {
                if host.is_some() {
                    return Err(err("request header block has multiple Host headers"));
                }
                host = Some(&h.value);
            }
            if name == b":path" && h.value.is_empty() {
                return Err(err("an empty :path header is forbidden"));
            }
        }
    }
    let has = |p: &[u8]| {
        PSEUDO_HEADERS
            .iter()
            .position(|q| *q == p)
            .and_then(|i| seen.get(i))
            .copied()
            .unwrap_or(false)
    };
    let any_pseudo = seen.iter().any(|&s| s);
    if kind.is_trailer && any_pseudo {
        return Err(err("received pseudo-header in trailer"));
    }
    if kind.is_response {
        if !has(b":status") {
            return Err(err("header block missing mandatory :status header"));
        }
        if [&b":scheme"[..], b":path", b":authority", b":method", b":protocol"]
            .iter()
            .any(|p| has(p))
        {
            return Err(err("encountered request-only headers in a response"));
        }
    } else if !kind.is_trailer {
        if !has(b":method") {
            return Err(err("header block missing mandatory :method header"));
        }
        let is_connect = method.is_some_and(|m| m.as_ref() == b"CONNECT");
        let extended = is_connect && has(b":protocol");
        if is_connect && !extended {
            if has(b":scheme") || has(b":path") {
                return Err(err("ordinary CONNECT must not include :scheme or :path"));
            }
        } else {
            if !has(b":scheme") {
                return Err(err("header block missing mandatory :scheme header"));
            }
            if !has(b":path") {
                return Err(err("header block missing mandatory :path header"));
            }
        }
        if has(b":status") {
            return Err(err("encountered response-only headers in a request"));
        }
        if !is_connect && has(b":protocol") {
            return Err(err("encountered connect-request-only header :protocol"));
        }
        if extended && !connect_protocol_allowed {
            return Err(err(
                "extended CONNECT (:protocol) without SETTINGS_ENABLE_CONNECT_PROTOCOL = 1",
            ));
        }
        match (authority, host) {
            (None, None) => {
                return Err(err("request header block has neither :authority nor Host header"));
            }
            (Some(a), Some(h)) if a != h => {
                return Err(err("request header block has mismatched :authority and Host headers"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Inbound validation (RFC 9113 §8.2–8.3): characters, empty names, `te`, connection-specific
/// fields, pseudo-header presence and order, request/response/trailer shape, CONNECT and
/// extended CONNECT (which needs our SETTINGS_ENABLE_CONNECT_PROTOCOL = 1), `host` vs
/// `:authority`, empty `:path`.
pub(super) fn validate_inbound(
    headers: &[HeaderField],
    kind: BlockKind,
    connect_protocol_allowed: bool,
) -> H2Result<()> {
    validate_block(headers, kind, true, connect_protocol_allowed)
}

/// Outbound validation: the same as inbound without the character checks (as in h2), with
/// extended CONNECT allowed only once the peer sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
pub(super) fn validate_outbound(
    headers: &[HeaderField],
    kind: BlockKind,
    connect_protocol_allowed: bool,
) -> H2Result<()> {
    validate_block(headers, kind, false, connect_protocol_allowed)
}

/// Whitespace python's `bytes.strip()` removes.
fn is_strip_space(c: &u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn strip(b: &Bytes) -> Bytes {
    let start = b.iter().position(|c| !is_strip_space(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !is_strip_space(c)).map_or(start, |i| i.saturating_add(1));
    b.slice(start..end.max(start))
}

/// Outbound normalisation: lowercase names, optionally split cookies on `"; "`, strip
/// surrounding whitespace, drop connection-specific fields, and mark `authorization`,
/// `proxy-authorization` and cookies shorter than 20 octets never-indexed (RFC 7541 §7.1.3).
pub(super) fn normalize_outbound(
    headers: Vec<HeaderField>,
    split_cookies: bool,
) -> Vec<HeaderField> {
    let mut out = Vec::with_capacity(headers.len());
    for mut h in headers {
        if h.name.iter().any(u8::is_ascii_uppercase) {
            h.name = Bytes::from(h.name.to_ascii_lowercase());
        }
        if split_cookies && h.name.as_ref() == b"cookie" {
            let mut rest = h.value.clone();
            loop {
                match rest.windows(2).position(|w| w == b"; ") {
                    Some(i) => {
                        out.push(HeaderField { value: rest.slice(..i), ..h.clone() });
                        rest = rest.slice(i.saturating_add(2)..);
                    }
                    None => {
                        out.push(HeaderField { value: rest, ..h });
                        break;
                    }
                }
            }
        } else {
            out.push(h);
        }
    }
    out.retain_mut(|h| {
        h.name = strip(&h.name);
        h.value = strip(&h.value);
        !CONNECTION_HEADERS.contains(&h.name.as_ref())
    });
    for h in &mut out {
        let name = h.name.as_ref();
        if name == b"authorization"
            || name == b"proxy-authorization"
            || (name == b"cookie" && h.value.len() < 20)
        {
            h.never_indexed = true;
        }
    }
    out
}
