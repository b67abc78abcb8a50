//! Conversions between engine values and JavaScript values. No protocol logic.
//!
//! Events cross the boundary as one compact buffer per `receiveData` call, which
//! `js/src/events.js` turns into plain objects: building each object field by field from Rust
//! costs one boundary crossing per property (about 1 µs per event measured), one buffer costs
//! one crossing per call. The layout, little-endian:
//!
//! ```text
//! record   = tag:u8 fields…
//! u32      = 4 octets;  bytes = len:u32 octets…;  headers = count:u32 (flags:u8 bytes bytes)…
//! 1 RequestReceived / 2 ResponseReceived / 3 TrailersReceived / 4 InformationalResponseReceived
//!          = streamId:u32 flags:u8 [weight:u32 dependsOn:u32 exclusive:u8 if flags&2] headers
//!            (flags: 1 stream ended, 2 priority present; header flags: 1 never indexed)
//! 5 DataReceived            = streamId:u32 flowControlledLength:u32 ended:u8 bytes
//! 6 WindowUpdated           = streamId:u32 delta:u32
//! 7 RemoteSettingsChanged / 8 SettingsAcknowledged
//!                           = count:u32 (setting:u32 hasOriginal:u8 original:u32 new:u32)…
//! 9 PingReceived / 10 PingAckReceived = 8 octets
//! 11 StreamEnded            = streamId:u32
//! 12 StreamReset            = streamId:u32 errorCode:u32 remote:u8
//! 13 PushedStreamReceived   = pushedStreamId:u32 parentStreamId:u32 headers
//! 14 PriorityUpdated        = streamId:u32 weight:u32 dependsOn:u32 exclusive:u8
//! 15 ConnectionTerminated   = errorCode:u32 lastStreamId:u32 hasData:u8 bytes
//! 16 AlternativeServiceAvailable = hasOrigin:u8 bytes(origin) bytes(fieldValue)
//! 17 UnknownFrameReceived   = type:u8 flags:u8 streamId:u32 bytes
//! 18 PriorityUpdateReceived = prioritizedStreamId:u32 urgency:u8 incremental:u8 bytes
//! 19 OriginReceived         = count:u32 bytes…
//! ```

use bytes::Bytes;
use wasm_bindgen::JsValue;

use crate::config::H2Configuration;
use crate::error::{ErrorKind, H2Error};
use crate::events::*;
use crate::header::HeaderField;

use super::js::{get, set, Object};

/// Appends events to a reusable buffer in the layout above.
#[derive(Debug, Default)]
pub(super) struct EventWriter {
    pub(super) buf: Vec<u8>,
}

fn len32(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes()
}

impl EventWriter {
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(&len32(b.len()));
        self.buf.extend_from_slice(b);
    }

    fn headers(&mut self, fields: &[HeaderField]) {
        self.buf.extend_from_slice(&len32(fields.len()));
        for f in fields {
            self.u8(u8::from(f.never_indexed));
            self.bytes(&f.name);
            self.bytes(&f.value);
        }
    }

    fn block(
        &mut self,
        tag: u8,
        stream_id: u32,
        ended: bool,
        priority: Option<PriorityUpdated>,
        headers: &[HeaderField],
    ) {
        self.u8(tag);
        self.u32(stream_id);
        self.u8(u8::from(ended) | if priority.is_some() { 2 } else { 0 });
        if let Some(p) = priority {
            self.u32(u32::from(p.weight));
            self.u32(p.depends_on);
            self.u8(u8::from(p.exclusive));
        }
        self.headers(headers);
    }

    fn changes(&mut self, tag: u8, changes: &[ChangedSetting]) {
        self.u8(tag);
        self.buf.extend_from_slice(&len32(changes.len()));
        for c in changes {
            self.u32(u32::from(c.setting.0));
            self.u8(u8::from(c.original_value.is_some()));
            self.u32(c.original_value.unwrap_or(0));
            self.u32(c.new_value);
        }
    }

    /// Appends one event.
    pub(super) fn event(&mut self, e: &Event) {
        match e {
            Event::RequestReceived(e) => {
                self.block(1, e.stream_id, e.stream_ended.is_some(), e.priority_updated, &e.headers)
            }
            Event::ResponseReceived(e) => {
                self.block(2, e.stream_id, e.stream_ended.is_some(), e.priority_updated, &e.headers)
            }
            Event::TrailersReceived(e) => {
                self.block(3, e.stream_id, e.stream_ended.is_some(), e.priority_updated, &e.headers)
            }
            Event::InformationalResponseReceived(e) => {
                self.block(4, e.stream_id, false, e.priority_updated, &e.headers)
            }
            Event::DataReceived(e) => {
                self.u8(5);
                self.u32(e.stream_id);
                self.u32(e.flow_controlled_length);
                self.u8(u8::from(e.stream_ended.is_some()));
                self.bytes(&e.data);
            }
            Event::WindowUpdated(e) => {
                self.u8(6);
                self.u32(e.stream_id);
                self.u32(e.delta);
            }
            Event::RemoteSettingsChanged(e) => self.changes(7, &e.changed_settings),
            Event::SettingsAcknowledged(e) => self.changes(8, &e.changed_settings),
            Event::PingReceived(e) => {
                self.u8(9);
                self.buf.extend_from_slice(&e.ping_data);
            }
            Event::PingAckReceived(e) => {
                self.u8(10);
                self.buf.extend_from_slice(&e.ping_data);
            }
            Event::StreamEnded(e) => {
                self.u8(11);
                self.u32(e.stream_id);
            }
            Event::StreamReset(e) => {
                self.u8(12);
                self.u32(e.stream_id);
                self.u32(e.error_code.0);
                self.u8(u8::from(e.remote_reset));
            }
            Event::PushedStreamReceived(e) => {
                self.u8(13);
                self.u32(e.pushed_stream_id);
                self.u32(e.parent_stream_id);
                self.headers(&e.headers);
            }
            Event::PriorityUpdated(p) => {
                self.u8(14);
                self.u32(p.stream_id);
                self.u32(u32::from(p.weight));
                self.u32(p.depends_on);
                self.u8(u8::from(p.exclusive));
            }
            Event::ConnectionTerminated(e) => {
                self.u8(15);
                self.u32(e.error_code.0);
                self.u32(e.last_stream_id);
                self.u8(u8::from(e.additional_data.is_some()));
                self.bytes(e.additional_data.as_deref().unwrap_or(&[]));
            }
            Event::AlternativeServiceAvailable(e) => {
                self.u8(16);
                self.u8(u8::from(e.origin.is_some()));
                self.bytes(e.origin.as_deref().unwrap_or(&[]));
                self.bytes(&e.field_value);
            }
            Event::UnknownFrameReceived(e) => {
                self.u8(17);
                self.u8(e.frame.kind);
                self.u8(e.frame.flags);
                self.u32(e.frame.stream_id);
                self.bytes(&e.frame.payload);
            }
            Event::PriorityUpdateReceived(e) => {
                self.u8(18);
                self.u32(e.prioritized_stream_id);
                self.u8(e.urgency);
                self.u8(u8::from(e.incremental));
                self.bytes(&e.field_value);
            }
            Event::OriginReceived(e) => {
                self.u8(19);
                self.buf.extend_from_slice(&len32(e.origins.len()));
                for o in &e.origins {
                    self.bytes(o);
                }
            }
        }
    }
}

/// The JS error object for an engine error: `{ kind, code, message, streamId, maxStreamId,
/// expectedLength, actualLength }`; the JS layer turns it into an `Error` subclass.
pub(super) fn error_object(e: &H2Error) -> Object {
    let obj = Object::new();
    set(&obj, "kind", &JsValue::from_str(e.type_name()));
    set(&obj, "message", &JsValue::from_str(e.message()));
    if let Some(code) = e.error_code() {
        set(&obj, "code", &JsValue::from(code.0));
    }
    if let Some(id) = e.stream_id() {
        set(&obj, "streamId", &JsValue::from(id));
    }
    match *e.kind() {
        ErrorKind::StreamIdTooLow { max_stream_id, .. } => {
            set(&obj, "maxStreamId", &JsValue::from(max_stream_id));
        }
        ErrorKind::InvalidBodyLength { expected, actual } => {
            set(&obj, "expectedLength", &JsValue::from(expected as f64));
            set(&obj, "actualLength", &JsValue::from(actual as f64));
        }
        _ => {}
    }
    obj
}

/// An `InvalidInputError` object for a malformed argument.
pub(super) fn usage_object(message: &str) -> Object {
    let obj = Object::new();
    set(&obj, "kind", &JsValue::from_str("InvalidInputError"));
    set(&obj, "message", &JsValue::from_str(message));
    obj
}

fn us(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

/// Reads an optional boolean property; anything but a boolean or `undefined` is an error.
fn flag(obj: &JsValue, key: &str) -> Result<Option<bool>, String> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or_else(|| msg!(key, " must be a boolean"))
}

/// Reads an optional unsigned 32-bit integer property.
fn number(obj: &JsValue, key: &str) -> Result<Option<u32>, String> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if (0.0..=f64::from(u32::MAX)).contains(&n) && n.fract() == 0.0 => {
            Ok(Some(n as u32))
        }
        _ => Err(msg!(key, " must be an integer in 0..2^32-1")),
    }
}

/// The configuration object the JS layer passes (camelCase; every field optional).
#[derive(Default)]
pub(super) struct JsConfig {
    pub(super) config: H2Configuration,
    pub(super) raw_headers: bool,
    pub(super) logger: bool,
}

impl JsConfig {
    /// Reads `{ clientSide, validateOutboundHeaders, ..., limits: { maxConcurrentStreams, ... } }`.
    pub(super) fn read(obj: &JsValue) -> Result<JsConfig, String> {
        if obj.is_undefined() || obj.is_null() {
            return Ok(JsConfig::default());
        }
        let client_side = flag(obj, "clientSide")?.unwrap_or(true);
        let mut c = if client_side { H2Configuration::client() } else { H2Configuration::server() };
        let switches: [(&str, &mut bool); 10] = [
            ("gracefulShutdown", &mut c.graceful_shutdown),
            ("refuseExcessStreams", &mut c.refuse_excess_streams),
            ("validateOutboundHeaders", &mut c.validate_outbound_headers),
            ("normalizeOutboundHeaders", &mut c.normalize_outbound_headers),
            ("splitOutboundCookies", &mut c.split_outbound_cookies),
            ("validateInboundHeaders", &mut c.validate_inbound_headers),
            ("normalizeInboundHeaders", &mut c.normalize_inbound_headers),
            ("enableConnectProtocol", &mut c.enable_connect_protocol),
            ("strictRfc", &mut c.strict_rfc),
            ("frameTrace", &mut c.frame_trace),
        ];
        for (key, target) in switches {
            if let Some(v) = flag(obj, key)? {
                *target = v;
            }
        }
        c.enable_push = flag(obj, "enablePush")?;
        let limits = get(obj, "limits");
        if !limits.is_undefined() && !limits.is_null() {
            let l = &mut c.limits;
            let u32s: [(&str, &mut u32); 6] = [
                ("maxConcurrentStreams", &mut l.max_concurrent_streams),
                ("maxHeaderListSize", &mut l.max_header_list_size),
                ("initialWindowSize", &mut l.initial_window_size),
                ("maxInboundFrameSize", &mut l.max_inbound_frame_size),
                ("headerTableSize", &mut l.header_table_size),
                ("maxEncoderTableSize", &mut l.max_encoder_table_size),
            ];
            for (key, target) in u32s {
                if let Some(v) = number(&limits, key)? {
                    *target = v;
                }
            }
            let sizes: [(&str, &mut usize); 5] = [
                ("maxClosedStreams", &mut l.max_closed_streams),
                ("maxHeaderBlockFrames", &mut l.max_header_block_frames),
                ("maxHeaderBlockSize", &mut l.max_header_block_size),
                ("maxQueuedControlFrames", &mut l.max_queued_control_frames),
                ("maxTraceEntries", &mut l.max_trace_entries),
            ];
            for (key, target) in sizes {
                if let Some(v) = number(&limits, key)? {
                    *target = us(v);
                }
            }
        }
        Ok(JsConfig {
            config: c,
            raw_headers: flag(obj, "rawHeaders")?.unwrap_or(false),
            logger: flag(obj, "logger")?.unwrap_or(false),
        })
    }
}

/// Reads the compact header list the JS layer packs: per field, one flag octet (bit 0:
/// never indexed), then the name and the value, each as a 32-bit little-endian length and
/// the octets.
pub(super) fn unpack_headers(packed: &[u8]) -> Result<Vec<HeaderField>, String> {
    fn take<'a>(src: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
        if src.len() < n {
            return Err("truncated header list".into());
        }
        let (head, tail) = src.split_at(n);
        *src = tail;
        Ok(head)
    }
    fn len(src: &mut &[u8]) -> Result<usize, String> {
        let b: [u8; 4] =
            take(src, 4)?.try_into().map_err(|_| "truncated header list".to_owned())?;
        Ok(us(u32::from_le_bytes(b)))
    }
    let all = Bytes::copy_from_slice(packed);
    let mut src = packed;
    let mut out = Vec::new();
    while !src.is_empty() {
        let flags = take(&mut src, 1)?.first().copied().unwrap_or(0);
        let n = len(&mut src)?;
        let name_at = packed.len().saturating_sub(src.len());
        take(&mut src, n)?;
        let v = len(&mut src)?;
        let value_at = packed.len().saturating_sub(src.len());
        take(&mut src, v)?;
        out.push(HeaderField {
            name: all.slice(name_at..name_at.saturating_add(n)),
            value: all.slice(value_at..value_at.saturating_add(v)),
            never_indexed: flags & 1 != 0,
        });
    }
    Ok(out)
}
