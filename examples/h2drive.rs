//! h2drive: drive one H2Connection from a script, for debugging and differential runs.
//!
//! ```text
//! cargo run --release --example h2drive -- --role server|client [--config key=value ...] [--manual-send]
//! ```
//!
//! Reads lines from stdin:
//! * `recv HEX` — bytes from the peer, fed to `receive_data`;
//! * a JSON object calling a method, e.g.
//!   `{"op":"send_headers","stream_id":1,"headers":[[":status","200"]],"end_stream":true}`;
//! * blank lines and lines starting with `#` are ignored.
//!
//! Prints one JSON object per line: each event (`{"event":"RequestReceived",...}` with every
//! field; headers as `[name, value]` string pairs, octets above 0x7f as the same code point;
//! binary data as hex), each error (`{"error":"StreamClosedError","error_code":5,...}`), each
//! method result (`{"result":...}`), and after each input the outbound bytes with their frames
//! decoded (`{"send":"HEX","frames":[...]}`), unless `--manual-send` is given.
//!
//! Configuration keys: every `H2Configuration` switch (`validate_outbound_headers`,
//! `normalize_outbound_headers`, `split_outbound_cookies`, `validate_inbound_headers`,
//! `normalize_inbound_headers`, `enable_push`, `enable_connect_protocol`, `strict_rfc`,
//! `frame_trace`), every `Limits` field by name (e.g. `max_concurrent_streams=10`), and
//! `header_encoding` (accepted and ignored: headers are always printed as strings).

use std::io::{self, BufRead, Write};

use bytes::Bytes;
use h2wasm::events::*;
use h2wasm::frame::{self, Frame, FrameDecoder};
use h2wasm::hpack::Decoder;
use h2wasm::{
    ErrorCode, H2Configuration, H2Connection, H2Error, HeaderField, PriorityArgs, Setting,
    SettingCode,
};
use serde_json::{json, Map, Value};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() % 2 != 0 {
        return Err("odd hex length".into());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| e.to_string()))
        .collect()
}

/// Octets as a string, one char per octet (latin1), so nothing is lost.
fn text(b: &[u8]) -> String {
    b.iter().map(|&c| char::from(c)).collect()
}

fn untext(s: &str) -> Vec<u8> {
    s.chars()
        .flat_map(|c| if (c as u32) < 256 { vec![c as u8] } else { c.to_string().into_bytes() })
        .collect()
}

fn headers_json(h: &[HeaderField]) -> Value {
    Value::Array(h.iter().map(|f| json!([text(&f.name), text(&f.value)])).collect())
}

fn never_indexed(h: &[HeaderField]) -> Value {
    Value::Array(
        h.iter().enumerate().filter(|(_, f)| f.never_indexed).map(|(i, _)| json!(i)).collect(),
    )
}

fn stream_ended(e: &Option<StreamEnded>) -> Value {
    e.map_or(Value::Null, |e| json!({"stream_id": e.stream_id}))
}

fn priority(p: &Option<PriorityUpdated>) -> Value {
    p.map_or(Value::Null, |p| priority_fields(&p))
}

fn priority_fields(p: &PriorityUpdated) -> Value {
    json!({"stream_id": p.stream_id, "weight": p.weight, "depends_on": p.depends_on, "exclusive": p.exclusive})
}

fn changed(c: &[ChangedSetting]) -> Value {
    Value::Array(
        c.iter()
            .map(|c| json!({"setting": c.setting.0, "original_value": c.original_value, "new_value": c.new_value}))
            .collect(),
    )
}

fn event_json(e: &Event) -> Value {
    let mut v = match e {
        Event::RequestReceived(e) => {
            json!({"stream_id": e.stream_id, "headers": headers_json(&e.headers),
            "never_indexed": never_indexed(&e.headers), "stream_ended": stream_ended(&e.stream_ended),
            "priority_updated": priority(&e.priority_updated)})
        }
        Event::ResponseReceived(e) => {
            json!({"stream_id": e.stream_id, "headers": headers_json(&e.headers),
            "never_indexed": never_indexed(&e.headers), "stream_ended": stream_ended(&e.stream_ended),
            "priority_updated": priority(&e.priority_updated)})
        }
        Event::TrailersReceived(e) => {
            json!({"stream_id": e.stream_id, "headers": headers_json(&e.headers),
            "never_indexed": never_indexed(&e.headers), "stream_ended": stream_ended(&e.stream_ended),
            "priority_updated": priority(&e.priority_updated)})
        }
        Event::InformationalResponseReceived(e) => json!({"stream_id": e.stream_id,
            "headers": headers_json(&e.headers), "never_indexed": never_indexed(&e.headers),
            "priority_updated": priority(&e.priority_updated)}),
        Event::DataReceived(e) => json!({"stream_id": e.stream_id, "data": hex(&e.data),
            "flow_controlled_length": e.flow_controlled_length, "stream_ended": stream_ended(&e.stream_ended)}),
        Event::WindowUpdated(e) => json!({"stream_id": e.stream_id, "delta": e.delta}),
        Event::RemoteSettingsChanged(e) => {
            json!({"changed_settings": changed(&e.changed_settings)})
        }
        Event::SettingsAcknowledged(e) => json!({"changed_settings": changed(&e.changed_settings)}),
        Event::PingReceived(e) => json!({"ping_data": hex(&e.ping_data)}),
        Event::PingAckReceived(e) => json!({"ping_data": hex(&e.ping_data)}),
        Event::StreamEnded(e) => json!({"stream_id": e.stream_id}),
        Event::StreamReset(e) => {
            json!({"stream_id": e.stream_id, "error_code": e.error_code.0, "remote_reset": e.remote_reset})
        }
        Event::PushedStreamReceived(e) => json!({"pushed_stream_id": e.pushed_stream_id,
            "parent_stream_id": e.parent_stream_id, "headers": headers_json(&e.headers),
            "never_indexed": never_indexed(&e.headers)}),
        Event::PriorityUpdated(e) => priority_fields(e),
        Event::ConnectionTerminated(e) => {
            json!({"error_code": e.error_code.0, "last_stream_id": e.last_stream_id,
            "additional_data": e.additional_data.as_ref().map(|d| hex(d))})
        }
        Event::AlternativeServiceAvailable(e) => {
            json!({"origin": e.origin.as_ref().map(|o| text(o)),
            "field_value": text(&e.field_value)})
        }
        Event::UnknownFrameReceived(e) => {
            json!({"frame": {"type": e.frame.kind, "flags": e.frame.flags,
            "stream_id": e.frame.stream_id, "body": hex(&e.frame.payload)}})
        }
        Event::PriorityUpdateReceived(e) => {
            json!({"prioritized_stream_id": e.prioritized_stream_id,
            "urgency": e.urgency, "incremental": e.incremental, "field_value": text(&e.field_value)})
        }
        Event::OriginReceived(e) => {
            json!({"origins": e.origins.iter().map(|o| text(o)).collect::<Vec<_>>()})
        }
    };
    let mut out = Map::new();
    out.insert("event".into(), json!(e.name()));
    if let Value::Object(fields) = &mut v {
        out.append(fields);
    }
    Value::Object(out)
}

fn error_json(e: &H2Error) -> Value {
    let mut v = json!({"error": e.type_name(), "error_code": e.error_code().map(|c| c.0), "message": e.message()});
    if let Some(id) = e.stream_id() {
        v["stream_id"] = json!(id);
    }
    v
}

/// Decodes what our connection sends, following its HPACK state.
struct OutputReader {
    decoder: Decoder,
    frames: FrameDecoder,
    skip_preface: usize,
    block: Option<(Map<String, Value>, Vec<u8>, usize)>,
}

impl OutputReader {
    fn new(client: bool) -> Self {
        let mut decoder = Decoder::new(1 << 20);
        decoder.set_max_header_list_size(None);
        OutputReader {
            decoder,
            frames: FrameDecoder::new(16_777_215),
            skip_preface: if client { 24 } else { 0 },
            block: None,
        }
    }

    fn read(&mut self, mut bytes: &[u8]) -> Vec<Value> {
        let mut out = Vec::new();
        if self.skip_preface > 0 {
            let n = self.skip_preface.min(bytes.len());
            bytes = &bytes[n..];
            self.skip_preface -= n;
            if self.skip_preface == 0 {
                out.push(json!({"type": "PREFACE"}));
            }
        }
        self.frames.push(bytes);
        while let Ok(Some(f)) = self.frames.next_frame() {
            let head = self.frames.last_header().unwrap_or_default();
            if let Some(v) = self.frame_json(f, head) {
                out.push(v);
            }
        }
        out
    }

    fn finish_block(&mut self, mut obj: Map<String, Value>, block: &[u8], frames: usize) -> Value {
        let mut headers = Vec::new();
        let mut sensitive = Vec::new();
        let r = self.decoder.decode(block, |n, v, ni| {
            if ni {
                sensitive.push(json!(headers.len()));
            }
            headers.push(json!([text(n), text(v)]));
        });
        match r {
            Ok(()) => {
                obj.insert("headers".into(), Value::Array(headers));
                obj.insert("never_indexed".into(), Value::Array(sensitive));
            }
            Err(e) => {
                obj.insert("headers_error".into(), json!(e.to_string()));
            }
        }
        obj.insert("continuations".into(), json!(frames - 1));
        Value::Object(obj)
    }

    fn frame_json(&mut self, f: Frame, head: frame::FrameHeader) -> Option<Value> {
        let mut o = Map::new();
        let name = frame::kind::name(head.kind).unwrap_or("UNKNOWN");
        o.insert("type".into(), json!(name));
        o.insert("stream_id".into(), json!(head.stream_id));
        o.insert("flags".into(), json!(head.flags));
        o.insert("length".into(), json!(head.length));
        match f {
            Frame::Data(d) => {
                o.insert("end_stream".into(), json!(d.end_stream));
                o.insert("pad_length".into(), json!(d.pad_len));
                o.insert("data".into(), json!(hex(&d.data)));
            }
            Frame::Headers(h) => {
                o.insert("end_stream".into(), json!(h.end_stream));
                o.insert("priority".into(), h.priority.map_or(Value::Null, |p| {
                    json!({"depends_on": p.dependency, "weight": p.weight, "exclusive": p.exclusive})
                }));
                if h.end_headers {
                    return Some(self.finish_block(o, &h.fragment, 1));
                }
                self.block = Some((o, h.fragment.to_vec(), 1));
                return None;
            }
            Frame::PushPromise(p) => {
                o.insert("promised_stream_id".into(), json!(p.promised_stream_id));
                if p.end_headers {
                    return Some(self.finish_block(o, &p.fragment, 1));
                }
                self.block = Some((o, p.fragment.to_vec(), 1));
                return None;
            }
            Frame::Continuation(c) => {
                let (first, mut block, n) = self.block.take()?;
                block.extend_from_slice(&c.fragment);
                if c.end_headers {
                    return Some(self.finish_block(first, &block, n + 1));
                }
                self.block = Some((first, block, n + 1));
                return None;
            }
            Frame::Priority(p) => {
                o.insert("depends_on".into(), json!(p.spec.dependency));
                o.insert("weight".into(), json!(p.spec.weight));
                o.insert("exclusive".into(), json!(p.spec.exclusive));
            }
            Frame::RstStream(r) => {
                o.insert("error_code".into(), json!(r.error_code.0));
            }
            Frame::Settings(s) => {
                o.insert("ack".into(), json!(s.ack));
                o.insert(
                    "settings".into(),
                    Value::Array(s.settings.iter().map(|s| json!([s.code.0, s.value])).collect()),
                );
            }
            Frame::Ping(p) => {
                o.insert("ack".into(), json!(p.ack));
                o.insert("opaque_data".into(), json!(hex(&p.payload)));
            }
            Frame::GoAway(g) => {
                o.insert("last_stream_id".into(), json!(g.last_stream_id));
                o.insert("error_code".into(), json!(g.error_code.0));
                o.insert("additional_data".into(), json!(hex(&g.debug_data)));
            }
            Frame::WindowUpdate(w) => {
                o.insert("window_increment".into(), json!(w.increment));
            }
            Frame::AltSvc(a) => {
                o.insert("origin".into(), json!(text(&a.origin)));
                o.insert("field".into(), json!(text(&a.field_value)));
            }
            Frame::Origin(org) => {
                o.insert("body".into(), json!(hex(&org.payload)));
            }
            Frame::PriorityUpdate(p) => {
                o.insert("prioritized_stream_id".into(), json!(p.prioritized_stream_id));
                o.insert("field_value".into(), json!(text(&p.field_value)));
            }
            Frame::Unknown(u) => {
                o.insert("body".into(), json!(hex(&u.payload)));
            }
        }
        Some(Value::Object(o))
    }
}

fn parse_config(role_server: bool, pairs: &[String]) -> Result<H2Configuration, String> {
    let mut c = if role_server { H2Configuration::server() } else { H2Configuration::client() };
    for p in pairs {
        let (k, v) = p.split_once('=').ok_or_else(|| format!("bad --config {p}"))?;
        let flag = || match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" => Ok(false),
            _ => Err(format!("{k} needs a boolean, got {v}")),
        };
        let num = || v.parse::<u64>().map_err(|e| format!("{k}: {e}"));
        let l = &mut c.limits;
        match k {
            "client_side" => c.client_side = flag()?,
            "validate_outbound_headers" => c.validate_outbound_headers = flag()?,
            "normalize_outbound_headers" => c.normalize_outbound_headers = flag()?,
            "split_outbound_cookies" => c.split_outbound_cookies = flag()?,
            "validate_inbound_headers" => c.validate_inbound_headers = flag()?,
            "normalize_inbound_headers" => c.normalize_inbound_headers = flag()?,
            "enable_push" => c.enable_push = Some(flag()?),
            "enable_connect_protocol" => c.enable_connect_protocol = flag()?,
            "strict_rfc" => c.strict_rfc = flag()?,
            "graceful_shutdown" => c.graceful_shutdown = flag()?,
            "refuse_excess_streams" => c.refuse_excess_streams = flag()?,
            "frame_trace" => c.frame_trace = flag()?,
            "header_encoding" | "logger" => {}
            "max_concurrent_streams" => l.max_concurrent_streams = num()? as u32,
            "max_header_list_size" => l.max_header_list_size = num()? as u32,
            "initial_window_size" => l.initial_window_size = num()? as u32,
            "max_inbound_frame_size" => l.max_inbound_frame_size = num()? as u32,
            "header_table_size" => l.header_table_size = num()? as u32,
            "max_encoder_table_size" => l.max_encoder_table_size = num()? as u32,
            "max_closed_streams" => l.max_closed_streams = num()? as usize,
            "max_header_block_frames" => l.max_header_block_frames = num()? as usize,
            "max_header_block_size" => l.max_header_block_size = num()? as usize,
            "max_queued_control_frames" => l.max_queued_control_frames = num()? as usize,
            "max_trace_entries" => l.max_trace_entries = num()? as usize,
            _ => return Err(format!("unknown config key {k}")),
        }
    }
    Ok(c)
}

/// Why a command could not be run: a bad script line, or an engine error.
enum Failure {
    Usage(String),
    Engine(H2Error),
}

impl From<H2Error> for Failure {
    fn from(e: H2Error) -> Self {
        Failure::Engine(e)
    }
}

type Out = Result<Option<Value>, Failure>;

fn arg<'a>(cmd: &'a Value, key: &str) -> Option<&'a Value> {
    cmd.get(key).filter(|v| !v.is_null())
}

fn u32_arg(cmd: &Value, key: &str) -> Result<Option<u32>, Failure> {
    match arg(cmd, key) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .map(|n| Some(n.clamp(-1, u32::MAX as i64) as u32))
            .ok_or_else(|| Failure::Usage(format!("{key} must be an integer"))),
    }
}

fn req_u32(cmd: &Value, key: &str) -> Result<u32, Failure> {
    u32_arg(cmd, key)?.ok_or_else(|| Failure::Usage(format!("missing {key}")))
}

fn bool_arg(cmd: &Value, key: &str) -> bool {
    arg(cmd, key).and_then(Value::as_bool).unwrap_or(false)
}

/// Octets given as `{"hex": "..."}` or as a string (latin1).
fn bytes_arg(v: &Value) -> Result<Vec<u8>, Failure> {
    match v {
        Value::String(s) => Ok(untext(s)),
        Value::Object(o) => match o.get("hex").and_then(Value::as_str) {
            Some(h) => unhex(h).map_err(Failure::Usage),
            None => Err(Failure::Usage("bytes object needs \"hex\"".into())),
        },
        _ => Err(Failure::Usage("expected a string or {\"hex\": ...}".into())),
    }
}

fn headers_arg(cmd: &Value, key: &str) -> Result<Vec<HeaderField>, Failure> {
    let list = arg(cmd, key)
        .and_then(Value::as_array)
        .ok_or_else(|| Failure::Usage(format!("missing {key}")))?;
    list.iter()
        .map(|h| {
            let parts = h
                .as_array()
                .ok_or_else(|| Failure::Usage("header must be [name, value]".into()))?;
            let name = bytes_arg(parts.first().unwrap_or(&Value::Null))?;
            let value = bytes_arg(parts.get(1).unwrap_or(&Value::Null))?;
            let sensitive = parts.get(2).and_then(Value::as_bool).unwrap_or(false);
            Ok(HeaderField {
                name: Bytes::from(name),
                value: Bytes::from(value),
                never_indexed: sensitive,
            })
        })
        .collect()
}

fn priority_arg(cmd: &Value, prefix: &str) -> Result<PriorityArgs, Failure> {
    Ok(PriorityArgs {
        weight: u32_arg(cmd, &format!("{prefix}weight"))?,
        depends_on: u32_arg(cmd, &format!("{prefix}depends_on"))?,
        exclusive: arg(cmd, &format!("{prefix}exclusive")).and_then(Value::as_bool),
    })
}

fn run(conn: &mut H2Connection, cmd: &Value) -> Out {
    let op =
        cmd.get("op").and_then(Value::as_str).ok_or_else(|| Failure::Usage("missing op".into()))?;
    let ok = |_: ()| Ok(None);
    match op {
        "initiate_connection" => conn.initiate_connection().map_or_else(|e| Err(e.into()), ok),
        "initiate_upgrade_connection" => {
            let header = arg(cmd, "settings_header").map(bytes_arg).transpose()?;
            Ok(Some(json!(conn.initiate_upgrade_connection(header.as_deref())?)))
        }
        "get_next_available_stream_id" => Ok(Some(json!(conn.get_next_available_stream_id()?))),
        "send_headers" => {
            let id = req_u32(cmd, "stream_id")?;
            let headers = headers_arg(cmd, "headers")?;
            for key in ["priority_weight", "priority_depends_on"] {
                if arg(cmd, key).and_then(Value::as_i64).is_some_and(|v| !(0..=u32::MAX as i64).contains(&v)) {
                    return Err(Failure::Engine(H2Error::protocol(format!("{key} out of range"))));
                }
            }
            conn.send_headers(id, headers, bool_arg(cmd, "end_stream"), priority_arg(cmd, "priority_")?)?;
            Ok(None)
        }
        "send_data" => {
            let id = req_u32(cmd, "stream_id")?;
            let data = bytes_arg(arg(cmd, "data").unwrap_or(&json!("")))?;
            let pad = match arg(cmd, "pad_length") {
                None => None,
                Some(v) => match v.as_i64() {
                    Some(p) if (0..=255).contains(&p) => Some(p as u8),
                    _ => return Err(Failure::Engine(H2Error::invalid_input("pad_length must be within range: [0, 255]"))),
                },
            };
            conn.send_data(id, Bytes::from(data), bool_arg(cmd, "end_stream"), pad)?;
            Ok(None)
        }
        "end_stream" => conn.end_stream(req_u32(cmd, "stream_id")?).map_or_else(|e| Err(e.into()), ok),
        "increment_flow_control_window" => {
            let inc = arg(cmd, "increment").and_then(Value::as_i64).ok_or_else(|| Failure::Usage("missing increment".into()))?;
            let inc = u32::try_from(inc).unwrap_or(0);
            conn.increment_flow_control_window(inc, u32_arg(cmd, "stream_id")?)?;
            Ok(None)
        }
        "push_stream" => {
            conn.push_stream(req_u32(cmd, "stream_id")?, req_u32(cmd, "promised_stream_id")?, headers_arg(cmd, "request_headers")?)?;
            Ok(None)
        }
        "ping" => {
            let data = bytes_arg(arg(cmd, "opaque_data").unwrap_or(&json!("")))?;
            conn.ping(&data).map_or_else(|e| Err(e.into()), ok)
        }
        "reset_stream" => {
            let code = u32_arg(cmd, "error_code")?.unwrap_or(0);
            conn.reset_stream(req_u32(cmd, "stream_id")?, ErrorCode(code)).map_or_else(|e| Err(e.into()), ok)
        }
        "close_connection" => {
            let code = u32_arg(cmd, "error_code")?.unwrap_or(0);
            let data = arg(cmd, "additional_data").map(bytes_arg).transpose()?.map(Bytes::from);
            conn.close_connection(ErrorCode(code), data, u32_arg(cmd, "last_stream_id")?)?;
            Ok(None)
        }
        "send_goaway" => {
            let code = u32_arg(cmd, "error_code")?.unwrap_or(0);
            let data = arg(cmd, "additional_data").map(bytes_arg).transpose()?.map(Bytes::from);
            conn.send_goaway(ErrorCode(code), u32_arg(cmd, "last_stream_id")?, data)?;
            Ok(None)
        }
        "update_settings" => {
            let obj = arg(cmd, "new_settings").and_then(Value::as_object).ok_or_else(|| Failure::Usage("missing new_settings".into()))?;
            let mut list = Vec::new();
            for (k, v) in obj {
                let code = k.parse::<u16>().map_err(|_| Failure::Usage(format!("setting {k} must be numeric")))?;
                let v = v.as_i64().ok_or_else(|| Failure::Usage("setting values must be integers".into()))?;
                let v = u32::try_from(v).map_err(|_| {
                    Failure::Engine(H2Error::new(h2wasm::ErrorKind::InvalidSettingsValue(ErrorCode::PROTOCOL_ERROR), "value out of range"))
                })?;
                list.push(Setting::new(SettingCode(code), v));
            }
            conn.update_settings(&list).map_or_else(|e| Err(e.into()), ok)
        }
        "advertise_alternative_service" => {
            let field = bytes_arg(arg(cmd, "field_value").unwrap_or(&json!("")))?;
            let origin = arg(cmd, "origin").map(bytes_arg).transpose()?.map(Bytes::from);
            conn.advertise_alternative_service(Bytes::from(field), origin, u32_arg(cmd, "stream_id")?)?;
            Ok(None)
        }
        "prioritize" => {
            conn.prioritize(req_u32(cmd, "stream_id")?, priority_arg(cmd, "")?)?;
            Ok(None)
        }
        "local_flow_control_window" => Ok(Some(json!(conn.local_flow_control_window(req_u32(cmd, "stream_id")?)?))),
        "remote_flow_control_window" => Ok(Some(json!(conn.remote_flow_control_window(req_u32(cmd, "stream_id")?)?))),
        "acknowledge_received_data" => {
            let size = arg(cmd, "acknowledged_size").and_then(Value::as_i64).unwrap_or(0);
            let id = arg(cmd, "stream_id").and_then(Value::as_i64).unwrap_or(0);
            if size < 0 || id <= 0 {
                return Err(Failure::Engine(H2Error::invalid_input("invalid acknowledge_received_data arguments")));
            }
            conn.acknowledge_received_data(size as u64, u32::try_from(id).unwrap_or(u32::MAX))?;
            Ok(None)
        }
        "data_to_send" => {
            let amount = arg(cmd, "amount").and_then(Value::as_u64).map(|a| a as usize);
            Ok(Some(json!(hex(&conn.data_to_send(amount)))))
        }
        "clear_outbound_data_buffer" => {
            conn.clear_outbound_data_buffer();
            Ok(None)
        }
        "open_outbound_streams" => Ok(Some(json!(conn.open_outbound_streams()))),
        "open_inbound_streams" => Ok(Some(json!(conn.open_inbound_streams()))),
        "inbound_flow_control_window" => Ok(Some(json!(conn.inbound_flow_control_window()))),
        "outbound_flow_control_window" => Ok(Some(json!(conn.outbound_flow_control_window()))),
        "local_settings" | "remote_settings" => {
            let s = if op == "local_settings" { conn.local_settings() } else { conn.remote_settings() };
            Ok(Some(Value::Array(s.current_values().iter().map(|s| json!([s.code.0, s.value])).collect())))
        }
        "send_priority_update" => {
            let field = bytes_arg(arg(cmd, "field_value").unwrap_or(&json!("")))?;
            conn.send_priority_update(req_u32(cmd, "prioritized_stream_id")?, Bytes::from(field))?;
            Ok(None)
        }
        "send_origin" => {
            let list = arg(cmd, "origins").and_then(Value::as_array).ok_or_else(|| Failure::Usage("missing origins".into()))?;
            let origins = list.iter().map(|o| bytes_arg(o).map(Bytes::from)).collect::<Result<Vec<_>, _>>()?;
            conn.send_origin(&origins).map_or_else(|e| Err(e.into()), ok)
        }
        "send_extension_frame" => {
            let kind = u8::try_from(req_u32(cmd, "type")?).map_err(|_| Failure::Usage("type must fit a byte".into()))?;
            let flags = u8::try_from(u32_arg(cmd, "flags")?.unwrap_or(0)).map_err(|_| Failure::Usage("flags must fit a byte".into()))?;
            let body = bytes_arg(arg(cmd, "body").unwrap_or(&json!("")))?;
            conn.send_extension_frame(kind, flags, req_u32(cmd, "stream_id")?, Bytes::from(body))?;
            Ok(None)
        }
        "frame_trace" => Ok(Some(Value::Array(
            conn.take_frame_trace()
                .iter()
                .map(|t| json!({"direction": format!("{:?}", t.direction), "type": t.header.kind,
                    "flags": t.header.flags, "stream_id": t.header.stream_id, "length": t.header.length}))
                .collect(),
        ))),
        other => Err(Failure::Usage(format!("unknown op {other}"))),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut role = None;
    let mut config = Vec::new();
    let mut manual_send = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--role" => {
                role = args.get(i + 1).cloned();
                i += 1;
            }
            "--config" => {
                if let Some(c) = args.get(i + 1) {
                    config.push(c.clone());
                }
                i += 1;
            }
            "--manual-send" => manual_send = true,
            "-h" | "--help" => {
                eprintln!(
                    "usage: h2drive --role server|client [--config key=value ...] [--manual-send]"
                );
                return;
            }
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
        i += 1;
    }
    let server = match role.as_deref() {
        Some("server") => true,
        Some("client") => false,
        _ => {
            eprintln!("--role server|client is required");
            std::process::exit(2);
        }
    };
    let config = match parse_config(server, &config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut reader = OutputReader::new(config.client_side);
    let mut conn = H2Connection::new(config);
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let emit = |v: Value, out: &mut io::BufWriter<io::StdoutLock<'_>>| {
        let _ = writeln!(out, "{v}");
    };
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(h) = line.strip_prefix("recv") {
            match unhex(h) {
                Ok(bytes) => match conn.receive_bytes(Bytes::from(bytes)) {
                    Ok(events) => events.iter().for_each(|e| emit(event_json(e), &mut out)),
                    Err(e) => {
                        e.events.iter().for_each(|ev| emit(event_json(ev), &mut out));
                        emit(error_json(&e.error), &mut out);
                    }
                },
                Err(e) => emit(json!({"usage_error": e}), &mut out),
            }
        } else {
            match serde_json::from_str::<Value>(line) {
                Ok(cmd) => match run(&mut conn, &cmd) {
                    Ok(Some(result)) => emit(json!({"result": result}), &mut out),
                    Ok(None) => {}
                    Err(Failure::Engine(e)) => emit(error_json(&e), &mut out),
                    Err(Failure::Usage(u)) => emit(json!({"usage_error": u}), &mut out),
                },
                Err(e) => emit(json!({"usage_error": format!("bad JSON: {e}")}), &mut out),
            }
        }
        if !manual_send {
            let bytes = conn.data_to_send(None);
            let frames = reader.read(&bytes);
            emit(json!({"send": hex(&bytes), "frames": frames}), &mut out);
        }
        let _ = out.flush();
    }
}
