//! Shared test support: a frame factory that builds any frame (malformed ones included), helpers
//! to read what a connection sent, connection fixtures, and a client–server pair that runs
//! both engines to idle.
//!
//! Every `receive` through [`recv`] is checked twice: the same bytes fed one octet at a time
//! to a clone of the connection must give the same events, error and output.
#![allow(dead_code)]

use bytes::Bytes;
use h2wasm::events::*;
use h2wasm::frame::{self, Frame, FrameDecoder, PrioritySpec};
use h2wasm::hpack::{Decoder, Encoder, Indexing};
use h2wasm::{
    ErrorCode, H2Configuration, H2Connection, H2Error, HeaderField, PriorityArgs, Setting,
    SettingCode,
};

/// Builds frames as a peer would send them, with its own HPACK encoder.
pub struct FrameFactory {
    encoder: Encoder,
}

impl Default for FrameFactory {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameFactory {
    pub fn new() -> Self {
        FrameFactory { encoder: Encoder::new() }
    }

    /// The client preface followed by an empty SETTINGS frame.
    pub fn preamble(&self) -> Vec<u8> {
        let mut out = frame::PREFACE.to_vec();
        out.extend(self.settings(&[]));
        out
    }

    /// HPACK-encodes a header list with this factory's encoder.
    pub fn block(&mut self, headers: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        self.encoder.encode(
            headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes(), Indexing::Auto)),
            &mut out,
        );
        out
    }

    /// A HEADERS frame with END_HEADERS.
    pub fn headers(&mut self, stream_id: u32, headers: &[(&str, &str)]) -> HeadersBuilder {
        let block = self.block(headers);
        HeadersBuilder(frame::Headers {
            stream_id,
            end_stream: false,
            end_headers: true,
            pad_len: None,
            priority: None,
            fragment: Bytes::from(block),
        })
    }

    pub fn data(&self, stream_id: u32, data: &[u8], end_stream: bool) -> Vec<u8> {
        Frame::from(frame::Data::new(stream_id, Bytes::copy_from_slice(data), end_stream))
            .to_bytes()
    }

    pub fn padded_data(&self, stream_id: u32, data: &[u8], pad: u8, end_stream: bool) -> Vec<u8> {
        Frame::from(frame::Data {
            stream_id,
            end_stream,
            pad_len: Some(pad),
            data: Bytes::copy_from_slice(data),
        })
        .to_bytes()
    }

    pub fn settings(&self, pairs: &[(u16, u32)]) -> Vec<u8> {
        let settings = pairs.iter().map(|&(c, v)| Setting::new(SettingCode(c), v)).collect();
        Frame::from(frame::Settings { ack: false, settings }).to_bytes()
    }

    pub fn settings_ack(&self) -> Vec<u8> {
        Frame::from(frame::Settings::ack()).to_bytes()
    }

    pub fn rst(&self, stream_id: u32, code: ErrorCode) -> Vec<u8> {
        Frame::from(frame::RstStream { stream_id, error_code: code }).to_bytes()
    }

    pub fn ping(&self, data: [u8; 8]) -> Vec<u8> {
        Frame::from(frame::Ping { ack: false, payload: data }).to_bytes()
    }

    pub fn ping_ack(&self, data: [u8; 8]) -> Vec<u8> {
        Frame::from(frame::Ping { ack: true, payload: data }).to_bytes()
    }

    pub fn goaway(&self, last_stream_id: u32, code: ErrorCode, debug: &[u8]) -> Vec<u8> {
        Frame::from(frame::GoAway {
            last_stream_id,
            error_code: code,
            debug_data: Bytes::copy_from_slice(debug),
        })
        .to_bytes()
    }

    pub fn window_update(&self, stream_id: u32, increment: u32) -> Vec<u8> {
        Frame::from(frame::WindowUpdate { stream_id, increment }).to_bytes()
    }

    pub fn priority(
        &self,
        stream_id: u32,
        depends_on: u32,
        weight: u16,
        exclusive: bool,
    ) -> Vec<u8> {
        let spec = PrioritySpec { dependency: depends_on, exclusive, weight };
        Frame::from(frame::Priority { stream_id, spec }).to_bytes()
    }

    pub fn push_promise(
        &mut self,
        stream_id: u32,
        promised: u32,
        headers: &[(&str, &str)],
    ) -> Vec<u8> {
        let fragment = Bytes::from(self.block(headers));
        Frame::from(frame::PushPromise {
            stream_id,
            promised_stream_id: promised,
            end_headers: true,
            pad_len: None,
            fragment,
        })
        .to_bytes()
    }

    pub fn continuation(&self, stream_id: u32, block: &[u8], end_headers: bool) -> Vec<u8> {
        Frame::from(frame::Continuation {
            stream_id,
            end_headers,
            fragment: Bytes::copy_from_slice(block),
        })
        .to_bytes()
    }

    pub fn altsvc(&self, stream_id: u32, origin: &[u8], field: &[u8]) -> Vec<u8> {
        Frame::from(frame::AltSvc {
            stream_id,
            origin: Bytes::copy_from_slice(origin),
            field_value: Bytes::copy_from_slice(field),
        })
        .to_bytes()
    }

    /// Any frame, byte for byte: type, flags, stream id (reserved bit included) and payload.
    pub fn raw(&self, kind: u8, flags: u8, stream_id: u32, payload: &[u8]) -> Vec<u8> {
        let len = payload.len() as u32;
        let mut out = vec![(len >> 16) as u8, (len >> 8) as u8, len as u8, kind, flags];
        out.extend(stream_id.to_be_bytes());
        out.extend(payload);
        out
    }
}

/// A HEADERS frame under construction.
pub struct HeadersBuilder(pub frame::Headers);

impl HeadersBuilder {
    pub fn end_stream(mut self) -> Self {
        self.0.end_stream = true;
        self
    }
    pub fn no_end_headers(mut self) -> Self {
        self.0.end_headers = false;
        self
    }
    pub fn padded(mut self, pad: u8) -> Self {
        self.0.pad_len = Some(pad);
        self
    }
    pub fn priority(mut self, depends_on: u32, weight: u16, exclusive: bool) -> Self {
        self.0.priority = Some(PrioritySpec { dependency: depends_on, exclusive, weight });
        self
    }
    pub fn bytes(self) -> Vec<u8> {
        Frame::from(self.0).to_bytes()
    }
    /// The header block, to split by hand into CONTINUATIONs.
    pub fn fragment(&self) -> Bytes {
        self.0.fragment.clone()
    }
}

impl From<HeadersBuilder> for Vec<u8> {
    fn from(b: HeadersBuilder) -> Vec<u8> {
        b.bytes()
    }
}

// ---- requests and responses -------------------------------------------------------

pub const REQUEST: &[(&str, &str)] =
    &[(":method", "GET"), (":path", "/"), (":scheme", "https"), (":authority", "example.com")];
pub const RESPONSE: &[(&str, &str)] = &[(":status", "200"), ("content-type", "text/plain")];

/// Owned header fields from string pairs.
pub fn hdrs(pairs: &[(&str, &str)]) -> Vec<HeaderField> {
    pairs
        .iter()
        .map(|(n, v)| HeaderField::new(n.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}

/// Header fields as string pairs, for comparisons.
pub fn pairs(fields: &[HeaderField]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|h| {
            (
                String::from_utf8_lossy(&h.name).into_owned(),
                String::from_utf8_lossy(&h.value).into_owned(),
            )
        })
        .collect()
}

pub fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

// ---- connections -----------------------------------------------------------------------

pub fn client_config() -> H2Configuration {
    H2Configuration::client()
}

pub fn server_config() -> H2Configuration {
    H2Configuration::server()
}

/// A client that has sent its preface and whose output was discarded.
pub fn client() -> H2Connection {
    let mut c = H2Connection::new(client_config());
    c.initiate_connection().unwrap();
    c.clear_outbound_data_buffer();
    c
}

/// A server that has received a client preface and whose output was discarded.
pub fn server() -> H2Connection {
    server_with(server_config())
}

pub fn server_with(config: H2Configuration) -> H2Connection {
    let mut s = H2Connection::new(config);
    s.initiate_connection().unwrap();
    let ff = FrameFactory::new();
    recv(&mut s, &ff.preamble()).unwrap();
    s.clear_outbound_data_buffer();
    s
}

/// A client that has received a server's (empty) SETTINGS and discarded its output.
pub fn client_with(config: H2Configuration) -> H2Connection {
    let mut c = H2Connection::new(config);
    c.initiate_connection().unwrap();
    c.clear_outbound_data_buffer();
    c
}

/// The outcome of feeding bytes: the events, and the error if the call failed (with the
/// events before it).
pub type Received = Result<Vec<Event>, (H2Error, Vec<Event>)>;

/// Feeds `data` to `conn`, and checks that feeding it one octet at a time to a clone gives
/// the same events, error and output.
pub fn recv(conn: &mut H2Connection, data: &[u8]) -> Received {
    let mut twin = conn.clone();
    let whole = conn.receive_data(data).map_err(|e| (e.error, e.events));

    let mut events = Vec::new();
    let mut error = None;
    for b in data {
        match twin.receive_data(std::slice::from_ref(b)) {
            Ok(ev) => events.extend(ev),
            Err(e) => {
                events.extend(e.events);
                error = Some(e.error);
                break;
            }
        }
    }
    let split: Received = match error {
        None => Ok(events),
        Some(e) => Err((e, events)),
    };
    if data.len() > 1 {
        let (w_ev, w_err) = flatten(&whole);
        let (s_ev, s_err) = flatten(&split);
        assert_eq!(w_ev, s_ev, "events differ when the input is fed one octet at a time");
        assert_eq!(
            w_err.map(|e| (e.type_name(), e.error_code())),
            s_err.map(|e| (e.type_name(), e.error_code())),
            "errors differ when the input is fed one octet at a time"
        );
        assert_eq!(
            conn.clone().data_to_send(None),
            twin.data_to_send(None),
            "output differs when the input is fed one octet at a time"
        );
    }
    whole
}

/// Feeds `data` without the octet-at-a-time cross-check (for inputs where the per-call
/// frame-size rule makes the two legitimately differ).
pub fn recv_whole(conn: &mut H2Connection, data: &[u8]) -> Received {
    conn.receive_data(data).map_err(|e| (e.error, e.events))
}

fn flatten(r: &Received) -> (&Vec<Event>, Option<&H2Error>) {
    match r {
        Ok(ev) => (ev, None),
        Err((e, ev)) => (ev, Some(e)),
    }
}

/// Feeds bytes that must not fail; returns the events.
pub fn recv_ok(conn: &mut H2Connection, data: &[u8]) -> Vec<Event> {
    match recv(conn, data) {
        Ok(ev) => ev,
        Err((e, _)) => panic!("unexpected error: {e:?}"),
    }
}

/// Feeds bytes that must fail; returns the error (the GOAWAY is then checked by the caller).
pub fn recv_err(conn: &mut H2Connection, data: &[u8]) -> H2Error {
    match recv(conn, data) {
        Ok(ev) => panic!("expected an error, got events {ev:?}"),
        Err((e, _)) => e,
    }
}

// ---- reading output ---------------------------------------------------------------------

/// Parses bytes into frames (no preface expected).
pub fn parse_frames(bytes: &[u8]) -> Vec<Frame> {
    let mut d = FrameDecoder::new(16_777_215);
    d.push(bytes);
    let mut out = Vec::new();
    while let Some(f) = d.next_frame().expect("engine output must parse") {
        out.push(f);
    }
    assert_eq!(d.buffered_len(), 0, "engine output ends mid-frame");
    out
}

/// Drains and parses a connection's output.
pub fn sent(conn: &mut H2Connection) -> Vec<Frame> {
    let bytes = conn.data_to_send(None);
    parse_frames(&bytes)
}

/// Asserts that the connection queued exactly one GOAWAY with `code` (after any other
/// frames) and returns its last stream id.
pub fn expect_goaway(conn: &mut H2Connection, code: ErrorCode) -> u32 {
    let frames = sent(conn);
    match frames.last() {
        Some(Frame::GoAway(g)) => {
            assert_eq!(g.error_code, code, "GOAWAY code");
            g.last_stream_id
        }
        other => panic!("expected GOAWAY({code:?}), got {other:?} in {frames:?}"),
    }
}

/// Decodes a header block with a fresh decoder (for blocks sent by a fresh encoder).
pub fn decode(decoder: &mut Decoder, block: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    decoder
        .decode(block, |n, v, _| {
            out.push((
                String::from_utf8_lossy(n).into_owned(),
                String::from_utf8_lossy(v).into_owned(),
            ))
        })
        .unwrap();
    out
}

pub fn no_priority() -> PriorityArgs {
    PriorityArgs::default()
}

// ---- client–server pair -------------------------------------------------------------------

/// A client and a server wired back to back in memory.
pub struct Pair {
    pub client: H2Connection,
    pub server: H2Connection,
    /// Events each side received, in order.
    pub client_events: Vec<Event>,
    pub server_events: Vec<Event>,
}

impl Pair {
    /// Both sides initiated and their SETTINGS exchanged and acknowledged.
    pub fn new() -> Pair {
        Self::with(client_config(), server_config())
    }

    pub fn with(client: H2Configuration, server: H2Configuration) -> Pair {
        let mut p = Pair {
            client: H2Connection::new(client),
            server: H2Connection::new(server),
            client_events: Vec::new(),
            server_events: Vec::new(),
        };
        p.client.initiate_connection().unwrap();
        p.server.initiate_connection().unwrap();
        p.run();
        p.client_events.clear();
        p.server_events.clear();
        p
    }

    /// Moves bytes both ways until neither side has anything to send. Panics on errors.
    pub fn run(&mut self) {
        for _ in 0..10_000 {
            let c2s = self.client.data_to_send(None);
            let s2c = self.server.data_to_send(None);
            if c2s.is_empty() && s2c.is_empty() {
                return;
            }
            if !c2s.is_empty() {
                let ev = self.server.receive_bytes(c2s).expect("server failed");
                self.server_events.extend(ev);
            }
            if !s2c.is_empty() {
                let ev = self.client.receive_bytes(s2c).expect("client failed");
                self.client_events.extend(ev);
            }
        }
        panic!("pair did not go idle");
    }

    pub fn take_client_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.client_events)
    }

    pub fn take_server_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.server_events)
    }
}

impl Default for Pair {
    fn default() -> Self {
        Self::new()
    }
}

/// Event names, for compact assertions.
pub fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::name).collect()
}
