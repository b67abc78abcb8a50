//! The JavaScript binding, compiled only for `wasm32`.
//!
//! This module converts values between Rust and JavaScript and maps errors; it holds no
//! protocol logic. What it exports is internal: the npm package wraps it in the hand-written
//! API of `js/src/` (`H2Connection` in `js/src/connection.js`, see `docs/packaging.md`).
//!
//! Conventions of the raw interface:
//! * errors are thrown as plain objects `{ kind, code, message, streamId, ... }` (plus
//!   `events` when `receiveData` failed after some events); the JS layer turns them into
//!   `Error` subclasses;
//! * events come out of `receiveData` as one compact buffer per call (see [`convert`]), which
//!   `js/src/events.js` turns into plain objects; DATA payloads are views into that buffer
//!   (one copy out of wasm memory);
//! * outbound header lists arrive packed in one `Uint8Array` (see [`convert::unpack_headers`]),
//!   so a whole list crosses the boundary once;
//! * received bytes and DATA payloads cross once, as `Vec<u8>` handed over to the engine
//!   without another copy.

mod convert;
mod js;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use wasm_bindgen::prelude::*;

use crate::error::{H2Error, H2Result};
use crate::{ErrorCode, H2Connection, PriorityArgs, Setting, SettingCode};

use self::convert::{error_object, unpack_headers, usage_object, EventWriter, JsConfig};

/// The allocator of the WebAssembly module: talc instead of Rust's default dlmalloc, for its
/// smaller code (about 6 KB less) and faster large allocations. It reuses freed memory and
/// grows the linear memory as needed; the memory never shrinks, as with dlmalloc.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The version of the crate that built this module, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// 64 random bits from two calls of the host's `Math.random` (32 bits from each), for the
/// keys of the engine's hash of forgotten stream ids.
pub(crate) fn random_u64() -> u64 {
    // Math.random is in [0, 1): scaled by 2^32 and truncated, each call gives 32 bits.
    let half = || (js::math_random() * 4_294_967_296.0) as u64;
    (half() << 32) ^ half()
}

fn js_error(e: &H2Error) -> JsValue {
    error_object(e).into()
}

fn usage(message: String) -> JsValue {
    usage_object(&message).into()
}

fn map<T>(r: H2Result<T>) -> Result<T, JsValue> {
    r.map_err(|e| js_error(&e))
}

/// One engine connection, as the JS layer drives it.
#[wasm_bindgen]
#[derive(Debug)]
pub struct RawConnection {
    inner: H2Connection,
    raw_headers: bool,
    log: Option<Arc<Mutex<Vec<String>>>>,
    events: Vec<crate::Event>,
    writer: EventWriter,
}

impl RawConnection {
    /// The encoded events, as a new `Uint8Array` (the one copy out of wasm memory).
    fn encoded_events(&mut self) -> js::Uint8Array {
        self.writer.buf.clear();
        for e in &self.events {
            self.writer.event(e);
        }
        self.events.clear();
        js::Uint8Array::copy_of(self.writer.buf.as_slice())
    }
}

#[wasm_bindgen]
impl RawConnection {
    /// A connection configured by a plain object (see `JsConfig`); `undefined` gives the
    /// default client.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<RawConnection, JsValue> {
        let js = JsConfig::read(&config).map_err(|e| usage(msg!("invalid configuration: ", e)))?;
        let mut cfg = js.config;
        let log = js.logger.then(|| Arc::new(Mutex::new(Vec::new())));
        if let Some(sink) = &log {
            let sink = Arc::clone(sink);
            cfg.logger = Some(Arc::new(move |line: &str| {
                if let Ok(mut lines) = sink.lock() {
                    lines.push(line.to_owned());
                }
            }));
        }
        Ok(RawConnection {
            inner: H2Connection::new(cfg),
            raw_headers: js.raw_headers,
            log,
            events: Vec::new(),
            writer: EventWriter::default(),
        })
    }

    /// Debug messages logged since the last call (only with `logger: true`).
    #[wasm_bindgen(js_name = takeLog)]
    pub fn take_log(&mut self) -> Vec<String> {
        self.log
            .as_ref()
            .and_then(|l| l.lock().ok().map(|mut v| std::mem::take(&mut *v)))
            .unwrap_or_default()
    }

    /// Bytes from the peer; returns the events, encoded (see [`convert`]). On failure throws
    /// an error object whose `events` holds the encoded events of the frames before the
    /// failing one.
    #[wasm_bindgen(js_name = receiveData)]
    pub fn receive_data(&mut self, data: Vec<u8>) -> Result<JsValue, JsValue> {
        self.events.clear();
        let result = self.inner.receive_into(Bytes::from(data), &mut self.events);
        let encoded = self.encoded_events();
        match result {
            Ok(()) => Ok(encoded.into()),
            Err(e) => {
                let err = error_object(&e);
                js::set(&err, "events", &encoded);
                Err(err.into())
            }
        }
    }

    /// Whether header names and values should be handed to JS as bytes.
    #[wasm_bindgen(js_name = rawHeaders)]
    pub fn raw_headers(&self) -> bool {
        self.raw_headers
    }

    /// Up to `amount` octets of output (all when `undefined`).
    #[wasm_bindgen(js_name = dataToSend)]
    pub fn data_to_send(&mut self, amount: Option<u32>) -> JsValue {
        let amount = amount.map(|a| usize::try_from(a).unwrap_or(usize::MAX));
        js::Uint8Array::copy_of(self.inner.data_to_send(amount).as_ref()).into()
    }

    /// Octets waiting in the output buffer.
    #[wasm_bindgen(js_name = outboundBuffered)]
    pub fn outbound_buffered(&self) -> u32 {
        u32::try_from(self.inner.outbound_buffered()).unwrap_or(u32::MAX)
    }

    /// Discards the output buffer.
    #[wasm_bindgen(js_name = clearOutboundDataBuffer)]
    pub fn clear_outbound_data_buffer(&mut self) {
        self.inner.clear_outbound_data_buffer();
    }

    /// Queues the preface and initial SETTINGS.
    #[wasm_bindgen(js_name = initiateConnection)]
    pub fn initiate_connection(&mut self) -> Result<(), JsValue> {
        map(self.inner.initiate_connection())
    }

    /// h2c upgrade; returns the client's `HTTP2-Settings` value, or `undefined` for a server.
    #[wasm_bindgen(js_name = initiateUpgradeConnection)]
    pub fn initiate_upgrade_connection(
        &mut self,
        settings_header: Option<Vec<u8>>,
    ) -> Result<Option<String>, JsValue> {
        map(self.inner.initiate_upgrade_connection(settings_header.as_deref()))
    }

    /// The next stream id this side may open.
    #[wasm_bindgen(js_name = getNextAvailableStreamId)]
    pub fn get_next_available_stream_id(&self) -> Result<u32, JsValue> {
        map(self.inner.get_next_available_stream_id())
    }

    /// Sends a header block; `headers` is the packed list.
    #[wasm_bindgen(js_name = sendHeaders)]
    pub fn send_headers(
        &mut self,
        stream_id: u32,
        headers: &[u8],
        end_stream: bool,
        weight: Option<u32>,
        depends_on: Option<u32>,
        exclusive: Option<bool>,
    ) -> Result<(), JsValue> {
        let headers = unpack_headers(headers).map_err(usage)?;
        let priority = PriorityArgs { weight, depends_on, exclusive };
        map(self.inner.send_headers(stream_id, headers, end_stream, priority))
    }

    /// Sends data (split into frames as needed).
    #[wasm_bindgen(js_name = sendData)]
    pub fn send_data(
        &mut self,
        stream_id: u32,
        data: Vec<u8>,
        end_stream: bool,
        pad_length: Option<u8>,
    ) -> Result<(), JsValue> {
        map(self.inner.send_data(stream_id, Bytes::from(data), end_stream, pad_length))
    }

    /// Ends our side of a stream.
    #[wasm_bindgen(js_name = endStream)]
    pub fn end_stream(&mut self, stream_id: u32) -> Result<(), JsValue> {
        map(self.inner.end_stream(stream_id))
    }

    /// Opens a receive window.
    #[wasm_bindgen(js_name = incrementFlowControlWindow)]
    pub fn increment_flow_control_window(
        &mut self,
        increment: u32,
        stream_id: Option<u32>,
    ) -> Result<(), JsValue> {
        map(self.inner.increment_flow_control_window(increment, stream_id))
    }

    /// Server push.
    #[wasm_bindgen(js_name = pushStream)]
    pub fn push_stream(
        &mut self,
        stream_id: u32,
        promised_stream_id: u32,
        headers: &[u8],
    ) -> Result<(), JsValue> {
        let headers = unpack_headers(headers).map_err(usage)?;
        map(self.inner.push_stream(stream_id, promised_stream_id, headers))
    }

    /// Sends a PING.
    pub fn ping(&mut self, opaque_data: &[u8]) -> Result<(), JsValue> {
        map(self.inner.ping(opaque_data))
    }

    /// Resets a stream.
    #[wasm_bindgen(js_name = resetStream)]
    pub fn reset_stream(&mut self, stream_id: u32, error_code: u32) -> Result<(), JsValue> {
        map(self.inner.reset_stream(stream_id, ErrorCode(error_code)))
    }

    /// Sends GOAWAY.
    #[wasm_bindgen(js_name = closeConnection)]
    pub fn close_connection(
        &mut self,
        error_code: u32,
        additional_data: Option<Vec<u8>>,
        last_stream_id: Option<u32>,
    ) -> Result<(), JsValue> {
        map(self.inner.close_connection(
            ErrorCode(error_code),
            additional_data.map(Bytes::from),
            last_stream_id,
        ))
    }

    /// Sends a graceful GOAWAY (the connection keeps serving streams up to its last id).
    #[wasm_bindgen(js_name = sendGoaway)]
    pub fn send_goaway(
        &mut self,
        error_code: u32,
        additional_data: Option<Vec<u8>>,
        last_stream_id: Option<u32>,
    ) -> Result<(), JsValue> {
        map(self.inner.send_goaway(
            ErrorCode(error_code),
            last_stream_id,
            additional_data.map(Bytes::from),
        ))
    }

    /// The last-stream-id of our graceful GOAWAY, if sent.
    #[wasm_bindgen(js_name = goawaySent)]
    pub fn goaway_sent(&self) -> Option<u32> {
        self.inner.goaway_sent()
    }

    /// The last-stream-id of the peer's GOAWAY (with `gracefulShutdown`).
    #[wasm_bindgen(js_name = goawayReceived)]
    pub fn goaway_received(&self) -> Option<u32> {
        self.inner.goaway_received()
    }

    /// Sends SETTINGS; `pairs` alternates identifiers and values.
    #[wasm_bindgen(js_name = updateSettings)]
    pub fn update_settings(&mut self, pairs: &[u32]) -> Result<(), JsValue> {
        let settings: Vec<Setting> = pairs
            .chunks_exact(2)
            .filter_map(|p| match p {
                [code, value] => Some(Setting::new(
                    SettingCode(u16::try_from(*code).unwrap_or(u16::MAX)),
                    *value,
                )),
                _ => None,
            })
            .collect();
        map(self.inner.update_settings(&settings))
    }

    /// Sends ALTSVC.
    #[wasm_bindgen(js_name = advertiseAlternativeService)]
    pub fn advertise_alternative_service(
        &mut self,
        field_value: Vec<u8>,
        origin: Option<Vec<u8>>,
        stream_id: Option<u32>,
    ) -> Result<(), JsValue> {
        map(self.inner.advertise_alternative_service(
            Bytes::from(field_value),
            origin.map(Bytes::from),
            stream_id,
        ))
    }

    /// Sends PRIORITY.
    pub fn prioritize(
        &mut self,
        stream_id: u32,
        weight: Option<u32>,
        depends_on: Option<u32>,
        exclusive: Option<bool>,
    ) -> Result<(), JsValue> {
        map(self.inner.prioritize(stream_id, PriorityArgs { weight, depends_on, exclusive }))
    }

    /// What we may send on a stream.
    #[wasm_bindgen(js_name = localFlowControlWindow)]
    pub fn local_flow_control_window(&self, stream_id: u32) -> Result<f64, JsValue> {
        map(self.inner.local_flow_control_window(stream_id)).map(|w| w as f64)
    }

    /// What the peer may send on a stream.
    #[wasm_bindgen(js_name = remoteFlowControlWindow)]
    pub fn remote_flow_control_window(&self, stream_id: u32) -> Result<f64, JsValue> {
        map(self.inner.remote_flow_control_window(stream_id)).map(|w| w as f64)
    }

    /// Acknowledges consumed data.
    #[wasm_bindgen(js_name = acknowledgeReceivedData)]
    pub fn acknowledge_received_data(&mut self, size: u32, stream_id: u32) -> Result<(), JsValue> {
        map(self.inner.acknowledge_received_data(u64::from(size), stream_id))
    }

    /// Open streams we initiated (cleans up closed streams, as h2's property does).
    #[wasm_bindgen(js_name = openOutboundStreams)]
    pub fn open_outbound_streams(&mut self) -> u32 {
        u32::try_from(self.inner.open_outbound_streams()).unwrap_or(u32::MAX)
    }

    /// Open streams the peer initiated.
    #[wasm_bindgen(js_name = openInboundStreams)]
    pub fn open_inbound_streams(&mut self) -> u32 {
        u32::try_from(self.inner.open_inbound_streams()).unwrap_or(u32::MAX)
    }

    /// The connection receive window.
    #[wasm_bindgen(js_name = inboundFlowControlWindow)]
    pub fn inbound_flow_control_window(&self) -> f64 {
        self.inner.inbound_flow_control_window() as f64
    }

    /// The connection send window.
    #[wasm_bindgen(js_name = outboundFlowControlWindow)]
    pub fn outbound_flow_control_window(&self) -> f64 {
        self.inner.outbound_flow_control_window() as f64
    }

    /// The peer's SETTINGS_MAX_FRAME_SIZE.
    #[wasm_bindgen(js_name = maxOutboundFrameSize)]
    pub fn max_outbound_frame_size(&self) -> u32 {
        self.inner.max_outbound_frame_size()
    }

    /// Our acknowledged SETTINGS_MAX_FRAME_SIZE.
    #[wasm_bindgen(js_name = maxInboundFrameSize)]
    pub fn max_inbound_frame_size(&self) -> u32 {
        self.inner.max_inbound_frame_size()
    }

    /// The highest stream id the peer opened.
    #[wasm_bindgen(js_name = highestInboundStreamId)]
    pub fn highest_inbound_stream_id(&self) -> u32 {
        self.inner.highest_inbound_stream_id()
    }

    /// The highest stream id we opened.
    #[wasm_bindgen(js_name = highestOutboundStreamId)]
    pub fn highest_outbound_stream_id(&self) -> u32 {
        self.inner.highest_outbound_stream_id()
    }

    /// The connection state machine's state name.
    pub fn state(&self) -> String {
        self.inner.state().name().to_owned()
    }

    /// A stream's state name, or `undefined` if idle or forgotten.
    #[wasm_bindgen(js_name = streamState)]
    pub fn stream_state(&self, stream_id: u32) -> Option<String> {
        self.inner.stream_state(stream_id).map(|s| s.name().to_owned())
    }

    /// Current local settings as `[id, value, id, value, ...]`.
    #[wasm_bindgen(js_name = localSettings)]
    pub fn local_settings(&self) -> Vec<u32> {
        flat(&self.inner.local_settings().current_values())
    }

    /// Current remote settings as `[id, value, ...]`.
    #[wasm_bindgen(js_name = remoteSettings)]
    pub fn remote_settings(&self) -> Vec<u32> {
        flat(&self.inner.remote_settings().current_values())
    }

    /// RFC 9218 PRIORITY_UPDATE.
    #[wasm_bindgen(js_name = sendPriorityUpdate)]
    pub fn send_priority_update(
        &mut self,
        prioritized_stream_id: u32,
        field_value: Vec<u8>,
    ) -> Result<(), JsValue> {
        map(self.inner.send_priority_update(prioritized_stream_id, Bytes::from(field_value)))
    }

    /// RFC 8336 ORIGIN; `origins` is the packed list (values ignored, names are the origins).
    #[wasm_bindgen(js_name = sendOrigin)]
    pub fn send_origin(&mut self, origins: &[u8]) -> Result<(), JsValue> {
        let list = unpack_headers(origins).map_err(usage)?;
        let origins: Vec<Bytes> = list.into_iter().map(|h| h.name).collect();
        map(self.inner.send_origin(&origins))
    }

    /// Any extension frame.
    #[wasm_bindgen(js_name = sendExtensionFrame)]
    pub fn send_extension_frame(
        &mut self,
        kind: u8,
        flags: u8,
        stream_id: u32,
        payload: Vec<u8>,
    ) -> Result<(), JsValue> {
        map(self.inner.send_extension_frame(kind, flags, stream_id, Bytes::from(payload)))
    }

    /// The frame trace: `[direction (0 in, 1 out), type, flags, streamId, length, ...]`.
    #[wasm_bindgen(js_name = takeFrameTrace)]
    pub fn take_frame_trace(&mut self) -> Vec<u32> {
        let mut out = Vec::new();
        for t in self.inner.take_frame_trace() {
            let dir = u32::from(t.direction == crate::connection::Direction::Outbound);
            out.extend([
                dir,
                u32::from(t.header.kind),
                u32::from(t.header.flags),
                t.header.stream_id,
                t.header.length,
            ]);
        }
        out
    }
}

fn flat(settings: &[Setting]) -> Vec<u32> {
    settings.iter().flat_map(|s| [u32::from(s.code.0), s.value]).collect()
}
