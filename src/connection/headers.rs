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
            return Err(err(format!("invalid content-length header: '{}'", show(&h.value))));
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

/// Octets allowed in a field name after the first: lowercase tokens (RFC 9113 §8.2.1 bans
/// uppercase, controls, space, DEL, non-ASCII; python h2 also bans `:` after position 0).
#[allow(clippy::indexing_slicing)] // evaluated at compile time
const NAME_OCTET_OK: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0x21;
    while c < 0x7f {
        t[c] = !(c >= b'A' as usize && c <= b'Z' as usize) && c != b':' as usize;
        c += 1;
    }
    t
};

/// Checks one field name and value for characters HTTP/2 forbids (RFC 9113 §8.2.1).
fn check_field_chars(h: &HeaderField) -> H2Result<()> {
    let mut rest = h.name.iter();
    if h.name.first() == Some(&b':') {
        rest.next();
    }
    if !rest.all(|&c| NAME_OCTET_OK.get(usize::from(c)).copied().unwrap_or(false)) {
        let msg = if h.name.iter().any(u8::is_ascii_uppercase) {
            "received uppercase header name"
        } else {
            "illegal character in header name"
        };
        return Err(err(format!("{msg} '{}'", show(&h.name))));
    }
    if let (Some(&first), Some(&last)) = (h.value.first(), h.value.last()) {
        if h.value.iter().any(|&c| c < 0x0e && (c == 0 || c == b'\n' || c == b'\r')) {
            return Err(err(format!("illegal character in header value '{}'", show(&h.value))));
        }
        if matches!(first, b' ' | b'\t') || matches!(last, b' ' | b'\t') {
            return Err(err(format!("header value surrounded by whitespace '{}'", show(&h.value))));
        }
    }
    Ok(())
}

/// Pseudo-header fields, as bits.
const METHOD: u8 = 1;
const SCHEME: u8 = 2;
const AUTHORITY: u8 = 4;
const PATH: u8 = 8;
const STATUS: u8 = 16;
const PROTOCOL: u8 = 32;

/// The checks shared by both directions: `te`, connection-specific fields, pseudo-header
/// rules, `:authority`/`host` and `:path`. `check_chars` adds the inbound character checks.
fn validate_block(
    headers: &[HeaderField],
    kind: BlockKind,
    check_chars: bool,
    connect_protocol_allowed: bool,
) -> H2Result<()> {
    let mut seen: u8 = 0;
    let mut seen_regular = false;
    let mut method: Option<&Bytes> = None;
    let mut authority: Option<&Bytes> = None;
    let mut host: Option<&Bytes> = None;
    let request = kind.is_request();
    for h in headers {
        if check_chars {
            check_field_chars(h)?;
        }
        let name = h.name.as_ref();
        let Some(&first) = name.first() else {
            return Err(err("received header name with zero length"));
        };
        if first == b':' {
            let bit = match name {
                b":method" => METHOD,
                b":scheme" => SCHEME,
                b":authority" => AUTHORITY,
                b":path" => PATH,
                b":status" => STATUS,
                b":protocol" => PROTOCOL,
                _ if seen_regular => {
                    return Err(err(format!(
                        "pseudo-header field out of sequence: '{}'",
                        show(name)
                    )));
                }
                _ => {
                    return Err(err(format!(
                        "received custom pseudo-header field '{}'",
                        show(name)
                    )))
                }
            };
            if seen & bit != 0 {
                return Err(err(format!(
                    "received duplicate pseudo-header field '{}'",
                    show(name)
                )));
            }
            if seen_regular {
                return Err(err(format!("pseudo-header field out of sequence: '{}'", show(name))));
            }
            seen |= bit;
            match bit {
                METHOD => method = Some(&h.value),
                AUTHORITY if request => authority = Some(&h.value),
                PATH if request && h.value.is_empty() => {
                    return Err(err("an empty :path header is forbidden"));
                }
                _ => {}
            }
            continue;
        }
        seen_regular = true;
        match name {
            b"te" if !h.value.eq_ignore_ascii_case(b"trailers") => {
                return Err(err(format!("invalid value for TE header: '{}'", show(&h.value))));
            }
            b"connection" | b"proxy-connection" | b"keep-alive" | b"transfer-encoding"
            | b"upgrade" => {
                return Err(err(format!(
                    "connection-specific header field present: '{}'",
                    show(name)
                )));
            }
            b"host" if request => {
                if host.is_some() {
                    return Err(err("request header block has multiple Host headers"));
                }
                host = Some(&h.value);
            }
            _ => {}
        }
    }
    let has = |bit: u8| seen & bit != 0;
    if kind.is_trailer && seen != 0 {
        return Err(err("received pseudo-header in trailer"));
    }
    if kind.is_response {
        if !has(STATUS) {
            return Err(err("header block missing mandatory :status header"));
        }
        if has(SCHEME | PATH | AUTHORITY | METHOD | PROTOCOL) {
            return Err(err("encountered request-only headers in a response"));
        }
    } else if !kind.is_trailer {
        if !has(METHOD) {
            return Err(err("header block missing mandatory :method header"));
        }
        let is_connect = method.is_some_and(|m| m.as_ref() == b"CONNECT");
        let extended = is_connect && has(PROTOCOL);
        if is_connect && !extended {
            if has(SCHEME | PATH) {
                return Err(err("ordinary CONNECT must not include :scheme or :path"));
            }
        } else {
            if !has(SCHEME) {
                return Err(err("header block missing mandatory :scheme header"));
            }
            if !has(PATH) {
                return Err(err("header block missing mandatory :path header"));
            }
        }
        if has(STATUS) {
            return Err(err("encountered response-only headers in a request"));
        }
        if !is_connect && has(PROTOCOL) {
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
/// Works in place; only fields that need a change are touched.
pub(super) fn normalize_outbound(
    mut headers: Vec<HeaderField>,
    split_cookies: bool,
) -> Vec<HeaderField> {
    for h in &mut headers {
        if h.name.iter().any(u8::is_ascii_uppercase) {
            h.name = Bytes::from(h.name.to_ascii_lowercase());
        }
    }
    if split_cookies && headers.iter().any(|h| h.name.as_ref() == b"cookie") {
        headers = split_cookie_fields(headers);
    }
    headers.retain_mut(|h| {
        if h.name.first().is_some_and(is_strip_space) || h.name.last().is_some_and(is_strip_space) {
            h.name = strip(&h.name);
        }
        if h.value.first().is_some_and(is_strip_space) || h.value.last().is_some_and(is_strip_space)
        {
            h.value = strip(&h.value);
        }
        let name = h.name.as_ref();
        if CONNECTION_HEADERS.contains(&name) {
            return false;
        }
        if name == b"authorization"
            || name == b"proxy-authorization"
            || (name == b"cookie" && h.value.len() < 20)
        {
            h.never_indexed = true;
        }
        true
    });
    headers
}

/// Splits every `cookie` field on `"; "` into one field per crumb (RFC 9113 §8.2.3).
fn split_cookie_fields(headers: Vec<HeaderField>) -> Vec<HeaderField> {
    let mut out = Vec::with_capacity(headers.len());
    for h in headers {
        if h.name.as_ref() != b"cookie" {
            out.push(h);
            continue;
        }
        let mut rest = h.value.clone();
        while let Some(i) = rest.windows(2).position(|w| w == b"; ") {
            out.push(HeaderField { value: rest.slice(..i), ..h.clone() });
            rest = rest.slice(i.saturating_add(2)..);
        }
        out.push(HeaderField { value: rest, ..h });
    }
    out
}
