//! Conversions between engine values and JavaScript values. No protocol logic.

use bytes::Bytes;
use serde::ser::{Serialize, SerializeSeq, SerializeTuple, Serializer};
use wasm_bindgen::JsValue;

use crate::config::H2Configuration;
use crate::error::{ErrorKind, H2Error};
use crate::events::*;
use crate::header::HeaderField;

/// Octets shown to JavaScript as a string with one code unit per octet (a ByteString, as
/// `fetch` Headers use), or as a `Uint8Array` when raw headers were asked for.
pub(super) struct Octets<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) raw: bool,
}

impl Serialize for Octets<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.raw {
            return s.serialize_bytes(self.bytes);
        }
        match std::str::from_utf8(self.bytes) {
            Ok(text) if self.bytes.is_ascii() => s.serialize_str(text),
            _ => s.serialize_str(&self.bytes.iter().map(|&b| char::from(b)).collect::<String>()),
        }
    }
}

/// Binary data, always a `Uint8Array`.
pub(super) struct Data<'a>(pub(super) &'a [u8]);

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

/// A header list: `[name, value]` pairs, `[name, value, true]` for never-indexed fields.
struct HeaderList<'a> {
    fields: &'a [HeaderField],
    raw: bool,
}

impl Serialize for HeaderList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.fields.len()))?;
        for f in self.fields {
            seq.serialize_element(&Field { field: f, raw: self.raw })?;
        }
        seq.end()
    }
}

struct Field<'a> {
    field: &'a HeaderField,
    raw: bool,
}

impl Serialize for Field<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = if self.field.never_indexed { 3 } else { 2 };
        let mut t = s.serialize_tuple(n)?;
        t.serialize_element(&Octets { bytes: &self.field.name, raw: self.raw })?;
        t.serialize_element(&Octets { bytes: &self.field.value, raw: self.raw })?;
        if self.field.never_indexed {
            t.serialize_element(&true)?;
        }
        t.end()
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsStreamEnded {
    r#type: &'static str,
    stream_id: u32,
}

fn stream_ended(e: Option<StreamEnded>) -> Option<JsStreamEnded> {
    e.map(|e| JsStreamEnded { r#type: "StreamEnded", stream_id: e.stream_id })
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsPriority {
    r#type: &'static str,
    stream_id: u32,
    weight: u16,
    depends_on: u32,
    exclusive: bool,
}

fn priority(p: PriorityUpdated) -> JsPriority {
    JsPriority {
        r#type: "PriorityUpdated",
        stream_id: p.stream_id,
        weight: p.weight,
        depends_on: p.depends_on,
        exclusive: p.exclusive,
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsChanged {
    setting: u16,
    original_value: Option<u32>,
    new_value: u32,
}

fn changed(c: &[ChangedSetting]) -> Vec<JsChanged> {
    c.iter()
        .map(|c| JsChanged {
            setting: c.setting.0,
            original_value: c.original_value,
            new_value: c.new_value,
        })
        .collect()
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct JsUnknownFrame<'a> {
    r#type: u8,
    flags: u8,
    stream_id: u32,
    payload: Data<'a>,
}

/// One event as a plain JS object: `{ type: "RequestReceived", streamId, headers, ... }`.
#[derive(serde::Serialize)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
enum JsEvent<'a> {
    RequestReceived {
        stream_id: u32,
        headers: HeaderList<'a>,
        stream_ended: Option<JsStreamEnded>,
        priority_updated: Option<JsPriority>,
    },
    ResponseReceived {
        stream_id: u32,
        headers: HeaderList<'a>,
        stream_ended: Option<JsStreamEnded>,
        priority_updated: Option<JsPriority>,
    },
    TrailersReceived {
        stream_id: u32,
        headers: HeaderList<'a>,
        stream_ended: Option<JsStreamEnded>,
        priority_updated: Option<JsPriority>,
    },
    InformationalResponseReceived {
        stream_id: u32,
        headers: HeaderList<'a>,
        priority_updated: Option<JsPriority>,
    },
    DataReceived {
        stream_id: u32,
        data: Data<'a>,
        flow_controlled_length: u32,
        stream_ended: Option<JsStreamEnded>,
    },
    WindowUpdated {
        stream_id: u32,
        delta: u32,
    },
    RemoteSettingsChanged {
        changed_settings: Vec<JsChanged>,
    },
    SettingsAcknowledged {
        changed_settings: Vec<JsChanged>,
    },
    PingReceived {
        ping_data: Data<'a>,
    },
    PingAckReceived {
        ping_data: Data<'a>,
    },
    StreamEnded {
        stream_id: u32,
    },
    StreamReset {
        stream_id: u32,
        error_code: u32,
        remote_reset: bool,
    },
    PushedStreamReceived {
        pushed_stream_id: u32,
        parent_stream_id: u32,
        headers: HeaderList<'a>,
    },
    PriorityUpdated {
        stream_id: u32,
        weight: u16,
        depends_on: u32,
        exclusive: bool,
    },
    ConnectionTerminated {
        error_code: u32,
        last_stream_id: u32,
        additional_data: Option<Data<'a>>,
    },
    AlternativeServiceAvailable {
        origin: Option<Octets<'a>>,
        field_value: Octets<'a>,
    },
    UnknownFrameReceived {
        frame: JsUnknownFrame<'a>,
    },
    PriorityUpdateReceived {
        prioritized_stream_id: u32,
        urgency: u8,
        incremental: bool,
        field_value: Octets<'a>,
    },
    OriginReceived {
        origins: Vec<Octets<'a>>,
    },
}

/// The JS shape of an event.
pub(super) fn js_event(e: &Event, raw: bool) -> impl Serialize + '_ {
    fn text(bytes: &Bytes) -> Octets<'_> {
        Octets { bytes, raw: false }
    }
    fn list(fields: &[HeaderField], raw: bool) -> HeaderList<'_> {
        HeaderList { fields, raw }
    }
    match e {
        Event::RequestReceived(e) => JsEvent::RequestReceived {
            stream_id: e.stream_id,
            headers: list(&e.headers, raw),
            stream_ended: stream_ended(e.stream_ended),
            priority_updated: e.priority_updated.map(priority),
        },
        Event::ResponseReceived(e) => JsEvent::ResponseReceived {
            stream_id: e.stream_id,
            headers: list(&e.headers, raw),
            stream_ended: stream_ended(e.stream_ended),
            priority_updated: e.priority_updated.map(priority),
        },
        Event::TrailersReceived(e) => JsEvent::TrailersReceived {
            stream_id: e.stream_id,
            headers: list(&e.headers, raw),
            stream_ended: stream_ended(e.stream_ended),
            priority_updated: e.priority_updated.map(priority),
        },
        Event::InformationalResponseReceived(e) => JsEvent::InformationalResponseReceived {
            stream_id: e.stream_id,
            headers: list(&e.headers, raw),
            priority_updated: e.priority_updated.map(priority),
        },
        Event::DataReceived(e) => JsEvent::DataReceived {
            stream_id: e.stream_id,
            data: Data(&e.data),
            flow_controlled_length: e.flow_controlled_length,
            stream_ended: stream_ended(e.stream_ended),
        },
        Event::WindowUpdated(e) => {
            JsEvent::WindowUpdated { stream_id: e.stream_id, delta: e.delta }
        }
        Event::RemoteSettingsChanged(e) => {
            JsEvent::RemoteSettingsChanged { changed_settings: changed(&e.changed_settings) }
        }
        Event::SettingsAcknowledged(e) => {
            JsEvent::SettingsAcknowledged { changed_settings: changed(&e.changed_settings) }
        }
        Event::PingReceived(e) => JsEvent::PingReceived { ping_data: Data(&e.ping_data) },
        Event::PingAckReceived(e) => JsEvent::PingAckReceived { ping_data: Data(&e.ping_data) },
        Event::StreamEnded(e) => JsEvent::StreamEnded { stream_id: e.stream_id },
        Event::StreamReset(e) => JsEvent::StreamReset {
            stream_id: e.stream_id,
            error_code: e.error_code.0,
            remote_reset: e.remote_reset,
        },
        Event::PushedStreamReceived(e) => JsEvent::PushedStreamReceived {
            pushed_stream_id: e.pushed_stream_id,
            parent_stream_id: e.parent_stream_id,
            headers: list(&e.headers, raw),
        },
        Event::PriorityUpdated(p) => JsEvent::PriorityUpdated {
            stream_id: p.stream_id,
            weight: p.weight,
            depends_on: p.depends_on,
            exclusive: p.exclusive,
        },
        Event::ConnectionTerminated(e) => JsEvent::ConnectionTerminated {
            error_code: e.error_code.0,
            last_stream_id: e.last_stream_id,
            additional_data: e.additional_data.as_deref().map(Data),
        },
        Event::AlternativeServiceAvailable(e) => JsEvent::AlternativeServiceAvailable {
            origin: e.origin.as_ref().map(text),
            field_value: text(&e.field_value),
        },
        Event::UnknownFrameReceived(e) => JsEvent::UnknownFrameReceived {
            frame: JsUnknownFrame {
                r#type: e.frame.kind,
                flags: e.frame.flags,
                stream_id: e.frame.stream_id,
                payload: Data(&e.frame.payload),
            },
        },
        Event::PriorityUpdateReceived(e) => JsEvent::PriorityUpdateReceived {
            prioritized_stream_id: e.prioritized_stream_id,
            urgency: e.urgency,
            incremental: e.incremental,
            field_value: text(&e.field_value),
        },
        Event::OriginReceived(e) => {
            JsEvent::OriginReceived { origins: e.origins.iter().map(text).collect() }
        }
    }
}

/// Every field of a JS error object, before the JS layer turns it into an `Error` subclass.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct JsError {
    pub(super) kind: &'static str,
    pub(super) code: Option<u32>,
    pub(super) message: String,
    pub(super) stream_id: Option<u32>,
    pub(super) max_stream_id: Option<u32>,
    pub(super) expected_length: Option<f64>,
    pub(super) actual_length: Option<f64>,
}

impl From<&H2Error> for JsError {
    fn from(e: &H2Error) -> Self {
        let (max_stream_id, expected_length, actual_length) = match *e.kind() {
            ErrorKind::StreamIdTooLow { max_stream_id, .. } => (Some(max_stream_id), None, None),
            ErrorKind::InvalidBodyLength { expected, actual } => {
                (None, Some(expected as f64), Some(actual as f64))
            }
            _ => (None, None, None),
        };
        JsError {
            kind: e.type_name(),
            code: e.error_code().map(|c| c.0),
            message: e.message().to_owned(),
            stream_id: e.stream_id(),
            max_stream_id,
            expected_length,
            actual_length,
        }
    }
}

fn us(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

/// Reads an optional boolean property; anything but a boolean or `undefined` is an error.
fn flag(obj: &JsValue, key: &str) -> Result<Option<bool>, String> {
    let v = js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .map_err(|_| format!("cannot read {key}"))?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or_else(|| format!("{key} must be a boolean"))
}

/// Reads an optional unsigned 32-bit integer property.
fn number(obj: &JsValue, key: &str) -> Result<Option<u32>, String> {
    let v = js_sys::Reflect::get(obj, &JsValue::from_str(key))
        .map_err(|_| format!("cannot read {key}"))?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0 => Ok(Some(n as u32)),
        _ => Err(format!("{key} must be an integer in 0..2^32-1")),
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
        let set = |target: &mut bool, key: &str| -> Result<(), String> {
            if let Some(v) = flag(obj, key)? {
                *target = v;
            }
            Ok(())
        };
        set(&mut c.validate_outbound_headers, "validateOutboundHeaders")?;
        set(&mut c.normalize_outbound_headers, "normalizeOutboundHeaders")?;
        set(&mut c.split_outbound_cookies, "splitOutboundCookies")?;
        set(&mut c.validate_inbound_headers, "validateInboundHeaders")?;
        set(&mut c.normalize_inbound_headers, "normalizeInboundHeaders")?;
        set(&mut c.enable_connect_protocol, "enableConnectProtocol")?;
        set(&mut c.strict_rfc, "strictRfc")?;
        set(&mut c.frame_trace, "frameTrace")?;
        c.enable_push = flag(obj, "enablePush")?;
        let limits =
            js_sys::Reflect::get(obj, &JsValue::from_str("limits")).unwrap_or(JsValue::UNDEFINED);
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
