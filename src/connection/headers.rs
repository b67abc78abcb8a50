//! Header block rules of [RFC 9113 §8.2–8.3] (and RFC 8441 for extended CONNECT): inbound
//! validation and normalisation, outbound normalisation and validation, content-length.
//!
//! The checks and their scope follow python h2 4.4.1; every failure is a `ProtocolError`,
//! which on receipt becomes a connection error PROTOCOL_ERROR.
//!
//! [RFC 9113 §8.2–8.3]: https://www.rfc-editor.org/rfc/rfc9113#section-8.2

use std::borrow::Cow;

use bytes::{Bytes, BytesMut};

use crate::error::{H2Error, H2Result};
use crate::header::HeaderField;

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
    headers.iter().find(|h| crate::hpack::octets_eq(&h.name, name)).map(|h| &h.value)
}

/// Parses every `content-length` field: each must be ASCII digits (RFC 9110 §8.6) and all
/// must agree. Agreement is decided on the digits without leading zeros, so values too large
/// for `u64` are compared exactly (as h2 does with Python integers); the returned length
/// saturates.
pub(super) fn content_length(headers: &[HeaderField]) -> H2Result<Option<u64>> {
    let mut found: Option<(&[u8], u64)> = None;
    for h in headers.iter().filter(|h| h.name.as_ref() == b"content-length") {
        if h.value.is_empty() || !h.value.iter().all(u8::is_ascii_digit) {
            return Err(err(msg!("invalid content-length header: '", show(&h.value), "'")));
        }
        let start = h.value.iter().position(|&d| d != b'0').unwrap_or(h.value.len());
        let digits = h.value.get(start..).unwrap_or(&[]);
        let n = digits.iter().fold(0u64, |acc, d| {
            acc.saturating_mul(10).saturating_add(u64::from(d.saturating_sub(b'0')))
        });
        match found {
            Some((prev, _)) if prev != digits => {
                let show_num = |d: &[u8]| if d.is_empty() { "0".to_owned() } else { show(d) };
                return Err(err(msg!(
                    "conflicting content-length headers: ",
                    show_num(prev),
                    " and ",
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
/// Returns whether there were any.
pub(super) fn join_cookies(headers: &mut Vec<HeaderField>) -> bool {
    if !headers.iter().any(|h| h.name.as_ref() == b"cookie") {
        return false;
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
    true
}

/// What a field name means to the header rules, found by [`classify`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Name {
    /// The empty name.
    Empty,
    /// One of the pseudo-header fields, as its bit ([`METHOD`] and the others).
    Pseudo(u8),
    /// Any other name starting with `:`.
    OtherPseudo,
    /// `te`.
    Te,
    /// A connection-specific field (RFC 9113 §8.2.2).
    ConnectionSpecific,
    /// `host`.
    Host,
    /// `cookie`.
    Cookie,
    /// `authorization` or `proxy-authorization`.
    Authorization,
    /// Any other name.
    Other,
}

/// Classifies a field name: its length picks the few candidates, which are compared with
/// fixed-length comparisons.
// Inlined into each caller natively (the hot paths); the WebAssembly build favours size.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(super) fn classify(name: &[u8]) -> Name {
    let class = match name.len() {
        0 => return Name::Empty,
        2 if name == b"te" => Name::Te,
        4 if name == b"host" => Name::Host,
        5 if name == b":path" => Name::Pseudo(PATH),
        6 if name == b"cookie" => Name::Cookie,
        7 => match name {
            b":method" => Name::Pseudo(METHOD),
            b":scheme" => Name::Pseudo(SCHEME),
            b":status" => Name::Pseudo(STATUS),
            b"upgrade" => Name::ConnectionSpecific,
            _ => Name::Other,
        },
        9 if name == b":protocol" => Name::Pseudo(PROTOCOL),
        10 => match name {
            b":authority" => Name::Pseudo(AUTHORITY),
            b"connection" | b"keep-alive" => Name::ConnectionSpecific,
            _ => Name::Other,
        },
        13 if name == b"authorization" => Name::Authorization,
        16 if name == b"proxy-connection" => Name::ConnectionSpecific,
        17 if name == b"transfer-encoding" => Name::ConnectionSpecific,
        19 if name == b"proxy-authorization" => Name::Authorization,
        _ => Name::Other,
    };
    if class == Name::Other && name.first() == Some(&b':') {
        return Name::OtherPseudo;
    }
    class
}

/// Octet classes for the character checks of RFC 9113 §8.2.1: bit 0 marks octets not allowed
/// in a field name after its first octet (anything but lowercase tokens; python h2 also bans
/// `:` after position 0), bit 1 those not allowed in a value (NUL, CR, LF).
#[allow(clippy::indexing_slicing)] // evaluated at compile time
const OCTET_CLASS: [u8; 256] = {
    let mut t = [1u8; 256];
    let mut c = 0x21;
    while c < 0x7f {
        if !(c >= b'A' as usize && c <= b'Z' as usize) && c != b':' as usize {
            t[c] = 0;
        }
        c += 1;
    }
    t[0] |= 2;
    t[b'\n' as usize] |= 2;
    t[b'\r' as usize] |= 2;
    t
};

/// The union of the classes of `octets`, without early exit (the loop stays branch-free).
#[inline]
fn classes(octets: &[u8]) -> u8 {
    octets.iter().fold(0, |acc, &c| acc | OCTET_CLASS.get(usize::from(c)).copied().unwrap_or(3))
}

/// Whether a name has only the characters HTTP/2 allows (RFC 9113 §8.2.1).
#[inline]
pub(super) fn name_chars_ok(name: &[u8]) -> bool {
    let rest = match name.split_first() {
        Some((b':', rest)) => rest,
        _ => name,
    };
    classes(rest) & 1 == 0
}

/// Whether a value has only the characters HTTP/2 allows and no surrounding whitespace
/// (RFC 9113 §8.2.1).
#[inline]
pub(super) fn value_chars_ok(value: &[u8]) -> bool {
    match (value.first(), value.last()) {
        (Some(&first), Some(&last)) => {
            !matches!(first, b' ' | b'\t')
                && !matches!(last, b' ' | b'\t')
                && classes(value) & 2 == 0
        }
        _ => true,
    }
}

/// Checks one field name and value for characters HTTP/2 forbids (RFC 9113 §8.2.1).
fn check_field_chars(h: &HeaderField) -> H2Result<()> {
    if !name_chars_ok(&h.name) {
        let msg = if has_uppercase(&h.name) {
            "received uppercase header name"
        } else {
            "illegal character in header name"
        };
        return Err(err(msg!(msg, " '", show(&h.name), "'")));
    }
    if !value_chars_ok(&h.value) {
        if h.value.iter().any(|&c| c == 0 || c == b'\n' || c == b'\r') {
            return Err(err(msg!("illegal character in header value '", show(&h.value), "'")));
        }
        return Err(err(msg!("header value surrounded by whitespace '", show(&h.value), "'")));
    }
    Ok(())
}

/// Whether `s` holds an ASCII uppercase letter, eight octets at a time.
fn has_uppercase(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    /// The high bit of each octet of `x` that is in `A..=Z`.
    fn upper(x: u64) -> u64 {
        let low = x & (ONES * 0x7f);
        // Per octet, `low + c` stays below 0x100: no carry crosses octets.
        let at_least_a = low.wrapping_add(ONES * (0x80 - 0x41));
        let past_z = low.wrapping_add(ONES * (0x80 - 0x5b));
        at_least_a & !past_z & !x & (ONES * 0x80)
    }
    fn word<const W: usize>(s: &[u8], at: usize) -> [u8; W] {
        s.get(at..).and_then(|s| s.first_chunk::<W>()).copied().unwrap_or([0; W])
    }
    let n = s.len();
    let found = if n >= 8 {
        let chunks = s.chunks_exact(8);
        // The last (possibly overlapping) word covers the remainder.
        let last = upper(u64::from_le_bytes(word::<8>(s, n.saturating_sub(8))));
        chunks.fold(last, |acc, c| acc | upper(u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))))
    } else if n >= 4 {
        let a = u32::from_le_bytes(word::<4>(s, 0));
        let b = u32::from_le_bytes(word::<4>(s, n.saturating_sub(4)));
        upper(u64::from(a) | (u64::from(b) << 32))
    } else {
        s.iter().fold(0, |acc, &c| acc | upper(u64::from(c)))
    };
    found != 0
}

/// Pseudo-header fields, as bits.
const METHOD: u8 = 1;
const SCHEME: u8 = 2;
const AUTHORITY: u8 = 4;
const PATH: u8 = 8;
const STATUS: u8 = 16;
const PROTOCOL: u8 = 32;

/// The rules shared by both directions, fed one field at a time: `te`, connection-specific
/// fields, pseudo-header presence and order, request/response/trailer shape, CONNECT and
/// extended CONNECT, `:authority`/`host` and `:path`.
struct Rules<'a> {
    kind: BlockKind,
    connect_protocol_allowed: bool,
    seen: u8,
    seen_regular: bool,
    method: Option<&'a Bytes>,
    authority: Option<&'a Bytes>,
    host: Option<&'a Bytes>,
}

/// A broken rule, for [`Rules`]; the message is only built when it is reported.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Broken {
    ZeroLengthName,
    DuplicatePseudo,
    PseudoOutOfSequence,
    CustomPseudo,
    Te,
    ConnectionSpecific,
    MultipleHosts,
    EmptyPath,
    PseudoInTrailer,
    MissingStatus,
    RequestOnlyInResponse,
    MissingMethod,
    OrdinaryConnectWithSchemeOrPath,
    MissingScheme,
    MissingPath,
    ResponseOnlyInRequest,
    ProtocolWithoutConnect,
    ExtendedConnectNotEnabled,
    NoAuthorityNorHost,
    AuthorityHostMismatch,
}

impl Broken {
    /// The error, naming `h` for the rules that concern one field.
    #[cold]
    fn error(self, h: Option<&HeaderField>) -> H2Error {
        let name = h.map_or_else(String::new, |h| show(&h.name));
        let value = h.map_or_else(String::new, |h| show(&h.value));
        err(match self {
            Broken::ZeroLengthName => "received header name with zero length".to_owned(),
            Broken::DuplicatePseudo => {
                msg!("received duplicate pseudo-header field '", &name, "'")
            }
            Broken::PseudoOutOfSequence => {
                msg!("pseudo-header field out of sequence: '", &name, "'")
            }
            Broken::CustomPseudo => msg!("received custom pseudo-header field '", &name, "'"),
            Broken::Te => msg!("invalid value for TE header: '", &value, "'"),
            Broken::ConnectionSpecific => {
                msg!("connection-specific header field present: '", &name, "'")
            }
            Broken::MultipleHosts => "request header block has multiple Host headers".to_owned(),
            Broken::EmptyPath => "an empty :path header is forbidden".to_owned(),
            Broken::PseudoInTrailer => "received pseudo-header in trailer".to_owned(),
            Broken::MissingStatus => "header block missing mandatory :status header".to_owned(),
            Broken::RequestOnlyInResponse => {
                "encountered request-only headers in a response".to_owned()
            }
            Broken::MissingMethod => "header block missing mandatory :method header".to_owned(),
            Broken::OrdinaryConnectWithSchemeOrPath => {
                "ordinary CONNECT must not include :scheme or :path".to_owned()
            }
            Broken::MissingScheme => "header block missing mandatory :scheme header".to_owned(),
            Broken::MissingPath => "header block missing mandatory :path header".to_owned(),
            Broken::ResponseOnlyInRequest => {
                "encountered response-only headers in a request".to_owned()
            }
            Broken::ProtocolWithoutConnect => {
                "encountered connect-request-only header :protocol".to_owned()
            }
            Broken::ExtendedConnectNotEnabled => {
                "extended CONNECT (:protocol) without SETTINGS_ENABLE_CONNECT_PROTOCOL = 1"
                    .to_owned()
            }
            Broken::NoAuthorityNorHost => {
                "request header block has neither :authority nor Host header".to_owned()
            }
            Broken::AuthorityHostMismatch => {
                "request header block has mismatched :authority and Host headers".to_owned()
            }
        })
    }
}

impl<'a> Rules<'a> {
    fn new(kind: BlockKind, connect_protocol_allowed: bool) -> Self {
        Rules {
            kind,
            connect_protocol_allowed,
            seen: 0,
            seen_regular: false,
            method: None,
            authority: None,
            host: None,
        }
    }

    /// Checks the next field, whose name is of class `class`.
    #[inline]
    fn field(&mut self, h: &'a HeaderField, class: Name) -> H2Result<()> {
        self.check(h, class).map_err(|broken| broken.error(Some(h)))
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn check(&mut self, h: &'a HeaderField, class: Name) -> Result<(), Broken> {
        let request = self.kind.is_request();
        match class {
            Name::Other | Name::Cookie | Name::Authorization => {
                self.seen_regular = true;
                Ok(())
            }
            Name::Pseudo(bit) => {
                if self.seen & bit != 0 {
                    return Err(Broken::DuplicatePseudo);
                }
                if self.seen_regular {
                    return Err(Broken::PseudoOutOfSequence);
                }
                self.seen |= bit;
                match bit {
                    METHOD => self.method = Some(&h.value),
                    AUTHORITY if request => self.authority = Some(&h.value),
                    PATH if request && h.value.is_empty() => return Err(Broken::EmptyPath),
                    _ => {}
                }
                Ok(())
            }
            Name::Empty => Err(Broken::ZeroLengthName),
            Name::OtherPseudo if self.seen_regular => Err(Broken::PseudoOutOfSequence),
            Name::OtherPseudo => Err(Broken::CustomPseudo),
            Name::Te if !h.value.eq_ignore_ascii_case(b"trailers") => Err(Broken::Te),
            Name::ConnectionSpecific => Err(Broken::ConnectionSpecific),
            Name::Host if request => {
                self.seen_regular = true;
                if self.host.is_some() {
                    return Err(Broken::MultipleHosts);
                }
                self.host = Some(&h.value);
                Ok(())
            }
            Name::Te | Name::Host => {
                self.seen_regular = true;
                Ok(())
            }
        }
    }

    /// The checks on the block as a whole, once every field has been seen.
    #[inline]
    fn finish(&self) -> H2Result<()> {
        self.check_block().map_err(|broken| broken.error(None))
    }

    fn check_block(&self) -> Result<(), Broken> {
        let kind = self.kind;
        let has = |bit: u8| self.seen & bit != 0;
        if kind.is_trailer && self.seen != 0 {
            return Err(Broken::PseudoInTrailer);
        }
        if kind.is_response {
            if !has(STATUS) {
                return Err(Broken::MissingStatus);
            }
            if has(SCHEME | PATH | AUTHORITY | METHOD | PROTOCOL) {
                return Err(Broken::RequestOnlyInResponse);
            }
        } else if !kind.is_trailer {
            if !has(METHOD) {
                return Err(Broken::MissingMethod);
            }
            let is_connect = self.method.is_some_and(|m| m.as_ref() == b"CONNECT");
            let extended = is_connect && has(PROTOCOL);
            if is_connect && !extended {
                if has(SCHEME | PATH) {
                    return Err(Broken::OrdinaryConnectWithSchemeOrPath);
                }
            } else {
                if !has(SCHEME) {
                    return Err(Broken::MissingScheme);
                }
                if !has(PATH) {
                    return Err(Broken::MissingPath);
                }
            }
            if has(STATUS) {
                return Err(Broken::ResponseOnlyInRequest);
            }
            if !is_connect && has(PROTOCOL) {
                return Err(Broken::ProtocolWithoutConnect);
            }
            if extended && !self.connect_protocol_allowed {
                return Err(Broken::ExtendedConnectNotEnabled);
            }
            match (self.authority, self.host) {
                (None, None) => return Err(Broken::NoAuthorityNorHost),
                (Some(a), Some(h)) if a != h => return Err(Broken::AuthorityHostMismatch),
                _ => {}
            }
        }
        Ok(())
    }
}

/// Which fields need the inbound character checks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum CharCheck {
    /// Every field.
    All,
    /// Only the field at this index (`None`: no field), the others being known good: the
    /// decoder checked every octet that did not come from the static table.
    Only(Option<usize>),
}

/// Inbound validation (RFC 9113 §8.2–8.3): characters (as `chars` says), empty names, `te`,
/// connection-specific fields, pseudo-header presence and order, request/response/trailer
/// shape, CONNECT and extended CONNECT (which needs our SETTINGS_ENABLE_CONNECT_PROTOCOL =
/// 1), `host` vs `:authority`, empty `:path`.
pub(super) fn validate_inbound(
    headers: &[HeaderField],
    kind: BlockKind,
    chars: CharCheck,
    connect_protocol_allowed: bool,
) -> H2Result<()> {
    let mut rules = Rules::new(kind, connect_protocol_allowed);
    for (i, h) in headers.iter().enumerate() {
        let check = match chars {
            CharCheck::All => true,
            CharCheck::Only(bad) => bad == Some(i),
        };
        if check {
            check_field_chars(h)?;
        }
        rules.field(h, classify(&h.name))?;
    }
    rules.finish()
}

/// Whitespace python's `bytes.strip()` removes.
fn is_strip_space(c: &u8) -> bool {
    // Space, and `\t` `\n` `\x0b` `\x0c` `\r` (9 to 13), as bits of one mask.
    *c <= b' ' && (1u64 << *c) & 0x1_0000_3e00 != 0
}

fn strip(b: &Bytes) -> Bytes {
    let start = b.iter().position(|c| !is_strip_space(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !is_strip_space(c)).map_or(start, |i| i.saturating_add(1));
    b.slice(start..end.max(start))
}

/// What [`prepare_outbound`] does to a block.
#[derive(Clone, Copy, Debug)]
pub(super) struct Outbound {
    /// Normalise (see [`prepare_outbound`]).
    pub(super) normalize: bool,
    /// Split cookies on `"; "` while normalising.
    pub(super) split_cookies: bool,
    /// Validate, with extended CONNECT allowed or not (the peer's
    /// SETTINGS_ENABLE_CONNECT_PROTOCOL); `None` skips validation.
    pub(super) validate: Option<bool>,
}

/// Outbound normalisation, then validation, in one pass over the fields.
///
/// Normalisation (as h2's): lowercase names, optionally split cookies on `"; "`, strip
/// surrounding whitespace, drop connection-specific fields, and mark `authorization`,
/// `proxy-authorization` and cookies shorter than 20 octets never-indexed (RFC 7541 §7.1.3).
/// A block it would leave unchanged (the usual case) is returned as it came, borrowed or
/// not; otherwise only the fields that need a change are touched.
///
/// Validation is the inbound one without the character checks (as in h2), on the normalised
/// block.
pub(super) fn prepare_outbound(
    headers: Cow<'_, [HeaderField]>,
    kind: BlockKind,
    how: Outbound,
) -> H2Result<Cow<'_, [HeaderField]>> {
    let mut rules = how.validate.map(|connect| Rules::new(kind, connect));
    // Validation as we go while every field is already normal: then the block is final.
    // Fields before the first one needing a change are the same after normalisation, so an
    // error found here is the error the full path would report.
    let mut normal = true;
    for h in headers.iter() {
        let class = classify(&h.name);
        if how.normalize && !is_normal(h, class, how.split_cookies) {
            normal = false;
            break;
        }
        if let Some(rules) = &mut rules {
            rules.field(h, class)?;
        }
    }
    if normal {
        if let Some(rules) = &rules {
            rules.finish()?;
        }
        return Ok(headers);
    }
    normalize_and_validate(headers.into_owned(), kind, how).map(Cow::Owned)
}

/// Whether normalisation leaves a field of class `class` as it is.
fn is_normal(h: &HeaderField, class: Name, split_cookies: bool) -> bool {
    let spaced =
        |b: &Bytes| b.first().is_some_and(is_strip_space) || b.last().is_some_and(is_strip_space);
    // A name `classify` recognised is one of its lowercase, unpadded names.
    let name_normal = match class {
        Name::ConnectionSpecific => return false,
        Name::Authorization if !h.never_indexed => return false,
        Name::Cookie if split_cookies || (h.value.len() < 20 && !h.never_indexed) => return false,
        Name::Other | Name::OtherPseudo => !has_uppercase(&h.name) && !spaced(&h.name),
        _ => true,
    };
    name_normal && !spaced(&h.value)
}

/// The full path of [`prepare_outbound`], for blocks normalisation changes.
fn normalize_and_validate(
    mut headers: Vec<HeaderField>,
    kind: BlockKind,
    how: Outbound,
) -> H2Result<Vec<HeaderField>> {
    let mut rules = how.validate.map(|connect| Rules::new(kind, connect));
    let mut cookies = false;
    for h in &mut headers {
        if has_uppercase(&h.name) {
            h.name = Bytes::from(h.name.to_ascii_lowercase());
        }
        cookies |= h.name.as_ref() == b"cookie";
    }
    if how.split_cookies && cookies {
        headers = split_cookie_fields(headers);
    }
    let mut drop_some = false;
    for h in &mut headers {
        if h.name.first().is_some_and(is_strip_space) || h.name.last().is_some_and(is_strip_space) {
            h.name = strip(&h.name);
        }
        if h.value.first().is_some_and(is_strip_space) || h.value.last().is_some_and(is_strip_space)
        {
            h.value = strip(&h.value);
        }
        let class = classify(&h.name);
        match class {
            Name::ConnectionSpecific => {
                // Dropped below, so never validated.
                drop_some = true;
                continue;
            }
            Name::Authorization => h.never_indexed = true,
            Name::Cookie if h.value.len() < 20 => h.never_indexed = true,
            _ => {}
        }
        if let Some(rules) = &mut rules {
            rules.field(h, class)?;
        }
    }
    if let Some(rules) = &rules {
        rules.finish()?;
    }
    if drop_some {
        headers.retain(|h| classify(&h.name) != Name::ConnectionSpecific);
    }
    Ok(headers)
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

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn has_uppercase_agrees_with_a_byte_scan() {
        for len in 0..24usize {
            for at in 0..len {
                for c in 0..=255u8 {
                    let mut s = vec![b'a'; len];
                    s[at] = c;
                    assert_eq!(has_uppercase(&s), c.is_ascii_uppercase(), "{len} {at} {c}");
                }
            }
        }
    }

    #[test]
    fn classify_names() {
        let cases: [(&[u8], Name); 16] = [
            (b"", Name::Empty),
            (b":method", Name::Pseudo(METHOD)),
            (b":scheme", Name::Pseudo(SCHEME)),
            (b":authority", Name::Pseudo(AUTHORITY)),
            (b":path", Name::Pseudo(PATH)),
            (b":status", Name::Pseudo(STATUS)),
            (b":protocol", Name::Pseudo(PROTOCOL)),
            (b":other", Name::OtherPseudo),
            (b"te", Name::Te),
            (b"upgrade", Name::ConnectionSpecific),
            (b"keep-alive", Name::ConnectionSpecific),
            (b"transfer-encoding", Name::ConnectionSpecific),
            (b"host", Name::Host),
            (b"cookie", Name::Cookie),
            (b"proxy-authorization", Name::Authorization),
            (b"content-type", Name::Other),
        ];
        for (name, class) in cases {
            assert_eq!(classify(name), class, "{}", show(name));
        }
        assert_eq!(classify(b"connection"), Name::ConnectionSpecific);
        assert_eq!(classify(b"proxy-connection"), Name::ConnectionSpecific);
        assert_eq!(classify(b"authorization"), Name::Authorization);
        assert_eq!(classify(b"Host"), Name::Other);
    }
}
