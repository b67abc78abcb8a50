//! Commands: everything the application asks the connection to send.

use std::borrow::Cow;

use bytes::Bytes;

use super::headers::{self, BlockKind};
use super::state::ConnectionInput as CI;
use super::stream::{Fault, Outcome, StreamInput as SI};
use super::{usize_of, H2Connection, MAX_STREAM_ID};
use crate::error::{ErrorKind, H2Error, H2Result};
use crate::error_code::ErrorCode;
use crate::frame::{self, PrioritySpec};
use crate::header::HeaderField;
use crate::hpack::Indexing;
use crate::settings::{self as st, Setting};

/// RFC 7540 priority fields for [`H2Connection::send_headers`] and
/// [`H2Connection::prioritize`]; unset fields take the defaults (weight 16, depends on 0,
/// not exclusive).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PriorityArgs {
    /// Weight, 1 to 256.
    pub weight: Option<u32>,
    /// The stream depended on.
    pub depends_on: Option<u32>,
    /// Exclusive dependency.
    pub exclusive: Option<bool>,
}

impl PriorityArgs {
    fn is_set(&self) -> bool {
        self.weight.is_some() || self.depends_on.is_some() || self.exclusive.is_some()
    }

    /// Checks the fields for `stream_id` (python h2's `_add_frame_priority`).
    fn to_spec(self, stream_id: u32) -> H2Result<PrioritySpec> {
        if self.depends_on == Some(stream_id) {
            return Err(H2Error::protocol(msg!("stream ", stream_id, " may not depend on itself")));
        }
        let weight = self.weight.unwrap_or(16);
        if !(1..=256).contains(&weight) {
            return Err(H2Error::protocol(msg!("weight must be between 1 and 256, not ", weight)));
        }
        Ok(PrioritySpec {
            dependency: self.depends_on.unwrap_or(0),
            exclusive: self.exclusive.unwrap_or(false),
            weight: u16::try_from(weight).unwrap_or(16),
        })
    }
}

fn stream_fault(stream_id: u32, fault: Fault) -> H2Error {
    match fault {
        Fault::Protocol(msg) => H2Error::protocol(msg),
        Fault::Closed | Fault::ResetOnError => H2Error::stream_closed(stream_id),
    }
}

/// The HPACK indexing choice for an outbound field: never-indexed when flagged, no indexing
/// for `:path` values with a query string (one-off), automatic otherwise.
fn indexing(h: &HeaderField) -> Indexing {
    if h.never_indexed {
        Indexing::Never
    } else if h.name.as_ref() == b":path" && h.value.contains(&b'?') {
        Indexing::No
    } else {
        Indexing::Auto
    }
}

impl H2Connection {
    fn stream_input(&mut self, stream_id: u32, input: SI) -> H2Result<Outcome> {
        match self.streams.process(stream_id, input) {
            Some(r) => r.map_err(|f| stream_fault(stream_id, f)),
            None => Err(H2Error::no_such_stream(stream_id)),
        }
    }

    /// Queues the connection preface: the client's 24-octet magic, then a SETTINGS frame
    /// listing every local setting (RFC 9113 §3.4). Both roles must call it first.
    pub fn initiate_connection(&mut self) -> H2Result<()> {
        self.conn_input(CI::SendSettings)?;
        let start = self.out.len();
        if self.config.client_side {
            self.out.extend_from_slice(frame::PREFACE);
        }
        let settings = frame::Settings { ack: false, settings: self.local.latest_values() };
        settings.encode(&mut self.out);
        let preface_len = if self.config.client_side { frame::PREFACE.len() } else { 0 };
        self.traced_since(start.saturating_add(preface_len));
        Ok(())
    }

    /// The h2c upgrade path (RFC 7540 §3.2). A client gets the `HTTP2-Settings` header value
    /// to send with its HTTP/1.1 `Upgrade: h2c` request (base64url of a SETTINGS payload) and
    /// stream 1 becomes half-closed (local). A server passes the client's header value (if
    /// any), whose settings are applied as if received (without an ACK), and stream 1 becomes
    /// half-closed (remote), ready for the response. Calls
    /// [`initiate_connection`](Self::initiate_connection) itself.
    pub fn initiate_upgrade_connection(
        &mut self,
        settings_header: Option<&[u8]>,
    ) -> H2Result<Option<String>> {
        self.initiate_connection()?;
        let mut header_value = None;
        if self.config.client_side {
            let mut payload = Vec::new();
            frame::Settings { ack: false, settings: self.local.latest_values() }
                .encode_payload(&mut payload);
            header_value = Some(base64url_encode(&payload));
        } else if let Some(value) = settings_header.filter(|v| !v.is_empty()) {
            let payload = base64url_decode(value);
            if payload.len() % 6 != 0 {
                return Err(H2Error::protocol("invalid HTTP2-Settings header"));
            }
            let pairs: Vec<Setting> = payload
                .chunks_exact(6)
                .filter_map(|c| <[u8; 6]>::try_from(c).ok())
                .map(|c| Setting {
                    code: st::SettingCode(u16::from_be_bytes([c[0], c[1]])),
                    value: u32::from_be_bytes([c[2], c[3], c[4], c[5]]),
                })
                .collect();
            self.conn_input(CI::RecvSettings)?;
            self.apply_remote_settings(&pairs)?;
        }
        let client = self.config.client_side;
        self.conn_input(if client { CI::SendHeaders } else { CI::RecvHeaders })?;
        self.begin_stream(1, true)?;
        self.stream_input(1, if client { SI::UpgradeClient } else { SI::UpgradeServer })?;
        Ok(header_value)
    }

    /// The next stream id this endpoint may open (not reserved until used).
    pub fn get_next_available_stream_id(&self) -> H2Result<u32> {
        let next = if self.highest_outbound == 0 {
            if self.config.client_side {
                1
            } else {
                2
            }
        } else {
            self.highest_outbound.saturating_add(2)
        };
        if next > MAX_STREAM_ID {
            return Err(H2Error::new(
                ErrorKind::NoAvailableStreamId,
                "exhausted allowed stream ids",
            ));
        }
        Ok(next)
    }

    /// Sends a header block on a stream: a request on a new stream, a response (1xx or
    /// final), or trailers (which must end the stream). Blocks larger than the peer's frame
    /// size are split into HEADERS + CONTINUATION. `priority` is for clients only.
    ///
    /// `headers` may be owned (`Vec<HeaderField>`) or borrowed (`&[HeaderField]`,
    /// `&Vec<HeaderField>`): a list sent again and again need not be cloned, since a block
    /// that normalisation leaves unchanged is encoded straight from it.
    pub fn send_headers<'h>(
        &mut self,
        stream_id: u32,
        headers: impl Into<Cow<'h, [HeaderField]>>,
        end_stream: bool,
        priority: PriorityArgs,
    ) -> H2Result<()> {
        self.send_header_block(stream_id, headers.into(), end_stream, priority)
    }

    fn send_header_block(
        &mut self,
        stream_id: u32,
        headers: Cow<'_, [HeaderField]>,
        end_stream: bool,
        priority: PriorityArgs,
    ) -> H2Result<()> {
        if stream_id > MAX_STREAM_ID {
            return Err(H2Error::protocol(msg!("invalid stream id ", stream_id)));
        }
        if !self.streams.contains(stream_id) {
            self.check_may_open_stream()?;
            let odd = self.config.client_side;
            let open = self.streams.count_open(odd) as u64;
            let max = self.remote.max_concurrent_streams();
            if open.saturating_add(1) > max {
                return Err(H2Error::new(
                    ErrorKind::TooManyStreams,
                    msg!("max outbound streams is ", max, ", ", open, " open"),
                ));
            }
        }
        self.conn_input(CI::SendHeaders)?;
        if !self.streams.contains(stream_id) {
            self.begin_stream(stream_id, self.config.client_side)?;
        }
        let client = self.streams.get(stream_id).and_then(|s| s.machine.client);
        let informational = client != Some(true) && headers::is_informational_response(&headers);
        if informational && end_stream {
            return Err(H2Error::protocol("cannot set END_STREAM on informational responses"));
        }
        let outcome = self.stream_input(
            stream_id,
            if informational { SI::SendInformationalHeaders } else { SI::SendHeaders },
        )?;
        if outcome == Outcome::TrailersSent && !end_stream {
            return Err(H2Error::protocol("trailers must have END_STREAM set"));
        }
        let spec = if priority.is_set() {
            if !self.config.client_side {
                return Err(H2Error::new(
                    ErrorKind::Rfc1122,
                    "servers should not prioritize streams",
                ));
            }
            Some(priority.to_spec(stream_id)?)
        } else {
            None
        };
        let kind = match outcome {
            Outcome::TrailersSent => BlockKind::TRAILERS,
            Outcome::ResponseSent | Outcome::InformationalSent => BlockKind::RESPONSE,
            _ => BlockKind::REQUEST,
        };
        // Taken from the block as given, before normalisation (as h2 does).
        let keep_authority = self
            .streams
            .get(stream_id)
            .is_some_and(|s| s.machine.client == Some(true) && s.authority.is_none());
        let authority = if keep_authority {
            headers::first_value(&headers, b":authority").cloned()
        } else {
            None
        };
        let is_head = outcome == Outcome::RequestSent
            && headers::first_value(&headers, b":method").is_some_and(|m| m.as_ref() == b"HEAD");
        let block = self.prepare_block(headers, kind)?;
        let mut fragment = std::mem::take(&mut self.scratch);
        fragment.clear();
        self.encode_block(&block, &mut fragment);
        let frame = frame::Headers {
            stream_id,
            end_stream,
            end_headers: true,
            pad_len: None,
            priority: spec,
            fragment: Bytes::new(),
        };
        // Frame header, priority fields, and one more header per CONTINUATION frame.
        let frames = fragment.len() / usize_of(self.max_outbound_frame_size).max(1);
        self.reserve_out(
            fragment.len().saturating_add(14).saturating_add(frames.saturating_mul(9)),
        );
        let start = self.out.len();
        frame.encode_split_block(&fragment, self.max_outbound_frame_size, &mut self.out);
        self.scratch = fragment;
        self.traced_since(start);
        if end_stream {
            self.stream_input(stream_id, SI::SendEndStream)?;
        }
        if let Some(stream) = self.streams.get_mut(stream_id) {
            if keep_authority {
                stream.authority = authority;
            }
            if outcome == Outcome::RequestSent {
                stream.sent_head_request = is_head;
            }
        }
        Ok(())
    }

    /// Outbound normalisation and validation of a block.
    fn prepare_block<'h>(
        &self,
        headers: Cow<'h, [HeaderField]>,
        kind: BlockKind,
    ) -> H2Result<Cow<'h, [HeaderField]>> {
        let how = headers::Outbound {
            normalize: self.config.normalize_outbound_headers,
            split_cookies: self.config.split_outbound_cookies,
            validate: self
                .config
                .validate_outbound_headers
                .then(|| self.remote.enable_connect_protocol()),
        };
        headers::prepare_outbound(headers, kind, how)
    }

    /// HPACK-encodes `block`, appending to `dst`.
    fn encode_block(&mut self, block: &[HeaderField], dst: &mut Vec<u8>) {
        self.encoder
            .encode(block.iter().map(|h| (h.name.as_ref(), h.value.as_ref(), indexing(h))), dst);
    }

    /// Sends data on a stream. Data larger than the peer's SETTINGS_MAX_FRAME_SIZE is split
    /// into several DATA frames (END_STREAM and padding go on the last). The whole amount,
    /// padding included, must fit the flow-control window (`FlowControlError` otherwise).
    /// `pad_length` adds a Pad Length octet and that many zero octets of padding.
    pub fn send_data(
        &mut self,
        stream_id: u32,
        data: Bytes,
        end_stream: bool,
        pad_length: Option<u8>,
    ) -> H2Result<()> {
        let pad_cost = pad_length.map_or(0, |p| usize::from(p).saturating_add(1));
        let frame_size = data.len().saturating_add(pad_cost);
        let size = i64::try_from(frame_size).unwrap_or(i64::MAX);
        if frame_size > 0 {
            let window = self.local_flow_control_window(stream_id)?;
            if size > window {
                return Err(H2Error::flow_control(msg!(
                    "cannot send ",
                    frame_size,
                    " bytes, flow control window is ",
                    window
                )));
            }
        }
        self.conn_input(CI::SendData)?;
        self.lookup(stream_id)?;
        self.stream_input(stream_id, SI::SendData)?;
        if end_stream {
            self.stream_input(stream_id, SI::SendEndStream)?;
        }
        let max = usize_of(self.max_outbound_frame_size).max(1);
        self.reserve_out(frame_size.saturating_add(frame_size / max.max(1) * 9).saturating_add(9));
        let start = self.out.len();
        let mut rest = data;
        while rest.len().saturating_add(pad_cost) > max {
            let chunk = rest.split_to(max.min(rest.len()));
            frame::Data::new(stream_id, chunk, false).encode(&mut self.out);
        }
        frame::Data { stream_id, end_stream, pad_len: pad_length, data: rest }
            .encode(&mut self.out);
        self.traced_since(start);
        if let Some(stream) = self.streams.get_mut(stream_id) {
            stream.send_window = stream.send_window.saturating_sub(size);
        }
        self.send_window = self.send_window.saturating_sub(size);
        Ok(())
    }

    /// Ends our side of a stream with an empty DATA frame carrying END_STREAM.
    pub fn end_stream(&mut self, stream_id: u32) -> H2Result<()> {
        self.conn_input(CI::SendData)?;
        self.lookup(stream_id)?;
        self.stream_input(stream_id, SI::SendEndStream)?;
        self.queue(frame::Data::new(stream_id, Bytes::new(), true));
        Ok(())
    }

    /// Opens a receive window by `increment` (1 to 2³¹−1) and sends the WINDOW_UPDATE: the
    /// connection window when `stream_id` is `None`.
    pub fn increment_flow_control_window(
        &mut self,
        increment: u32,
        stream_id: Option<u32>,
    ) -> H2Result<()> {
        if !(1..=MAX_STREAM_ID).contains(&increment) {
            return Err(H2Error::invalid_input(msg!(
                "flow control increment must be between 1 and ",
                MAX_STREAM_ID
            )));
        }
        self.conn_input(CI::SendWindowUpdate)?;
        let id = match stream_id {
            Some(id) => {
                self.lookup(id)?;
                self.stream_input(id, SI::SendWindowUpdate)?;
                if let Some(stream) = self.streams.get_mut(id) {
                    stream.recv_window.open(i64::from(increment))?;
                }
                id
            }
            None => {
                self.recv_window.open(i64::from(increment))?;
                0
            }
        };
        self.queue(frame::WindowUpdate { stream_id: id, increment });
        Ok(())
    }

    /// Server push (RFC 9113 §8.4): promises `promised_stream_id` (even, above every stream
    /// we used) on the client-initiated stream `stream_id`, with the promised request's
    /// header block. The promised stream becomes reserved (local); answer it with
    /// [`send_headers`](Self::send_headers).
    pub fn push_stream(
        &mut self,
        stream_id: u32,
        promised_stream_id: u32,
        request_headers: Vec<HeaderField>,
    ) -> H2Result<()> {
        if !self.remote.enable_push() {
            return Err(H2Error::protocol("remote peer has disabled stream push"));
        }
        self.check_may_open_stream()?;
        self.conn_input(CI::SendPushPromise)?;
        self.lookup(stream_id)?;
        if stream_id % 2 == 0 {
            return Err(H2Error::protocol("cannot recursively push streams"));
        }
        if promised_stream_id > MAX_STREAM_ID {
            return Err(H2Error::protocol(msg!("invalid stream id ", promised_stream_id)));
        }
        self.begin_stream(promised_stream_id, false)?;
        self.stream_input(stream_id, SI::SendPushPromise)?;
        let block = self.prepare_block(Cow::Owned(request_headers), BlockKind::REQUEST)?;
        let authority = headers::first_value(&block, b":authority").cloned();
        let mut fragment = std::mem::take(&mut self.scratch);
        fragment.clear();
        self.encode_block(&block, &mut fragment);
        let frame = frame::PushPromise {
            stream_id,
            promised_stream_id,
            end_headers: true,
            pad_len: None,
            fragment: Bytes::new(),
        };
        let result = self.stream_input(promised_stream_id, SI::SendPushPromise);
        if result.is_ok() {
            self.reserve_out(fragment.len().saturating_add(64));
            let start = self.out.len();
            frame.encode_split_block(&fragment, self.max_outbound_frame_size, &mut self.out);
            self.traced_since(start);
        }
        self.scratch = fragment;
        result?;
        if let Some(stream) = self.streams.get_mut(promised_stream_id) {
            stream.authority = authority;
        }
        Ok(())
    }

    /// Sends a PING with 8 octets of opaque data.
    pub fn ping(&mut self, opaque_data: &[u8]) -> H2Result<()> {
        let payload: [u8; 8] = opaque_data.try_into().map_err(|_| {
            H2Error::invalid_input(msg!(
                "invalid value for ping data: ",
                opaque_data.len(),
                " octets"
            ))
        })?;
        self.conn_input(CI::SendPing)?;
        self.queue(frame::Ping { ack: false, payload });
        Ok(())
    }

    /// Resets a stream with RST_STREAM.
    pub fn reset_stream(&mut self, stream_id: u32, error_code: ErrorCode) -> H2Result<()> {
        self.conn_input(CI::SendRstStream)?;
        self.lookup(stream_id)?;
        self.stream_input(stream_id, SI::SendRstStream)?;
        self.queue(frame::RstStream { stream_id, error_code });
        Ok(())
    }

    /// Sends GOAWAY and closes the connection state machine. `last_stream_id` defaults to the
    /// highest stream the peer opened. May be called again (each call sends a GOAWAY).
    pub fn close_connection(
        &mut self,
        error_code: ErrorCode,
        additional_data: Option<Bytes>,
        last_stream_id: Option<u32>,
    ) -> H2Result<()> {
        self.conn_input(CI::SendGoAway)?;
        let last_stream_id = last_stream_id.unwrap_or(self.highest_inbound);
        self.queue(frame::GoAway {
            last_stream_id,
            error_code,
            debug_data: additional_data.unwrap_or_default(),
        });
        Ok(())
    }

    /// Sends a SETTINGS frame with the given settings (a repeated setting keeps its first
    /// position and last value). They take effect when the peer acknowledges them. Every
    /// value is checked first: an invalid one raises `InvalidSettingsValueError` and nothing
    /// is queued or recorded.
    pub fn update_settings(&mut self, new_settings: &[Setting]) -> H2Result<()> {
        self.conn_input(CI::SendSettings)?;
        let collapsed: st::Settings = new_settings.iter().copied().collect();
        for s in collapsed.iter() {
            if let Err(e) = st::validate(*s) {
                return Err(H2Error::new(
                    ErrorKind::InvalidSettingsValue(e.error_code),
                    e.describe(),
                ));
            }
        }
        for s in collapsed.iter() {
            self.local.push_pending(s.code, s.value);
        }
        self.queue(frame::Settings { ack: false, settings: collapsed.as_slice().to_vec() });
        Ok(())
    }

    /// Advertises an alternative service (RFC 7838): for `origin` on stream 0, or for the
    /// origin of `stream_id` (only before the response headers on it). Servers only.
    pub fn advertise_alternative_service(
        &mut self,
        field_value: Bytes,
        origin: Option<Bytes>,
        stream_id: Option<u32>,
    ) -> H2Result<()> {
        if origin.is_some() && stream_id.is_some() {
            return Err(H2Error::invalid_input("must not provide both origin and stream_id"));
        }
        self.conn_input(CI::SendAltSvc)?;
        if let Some(origin) = origin {
            self.queue(frame::AltSvc { stream_id: 0, origin, field_value });
            return Ok(());
        }
        let id = stream_id.unwrap_or(0);
        self.lookup(id)?;
        self.stream_input(id, SI::SendAltSvc)?;
        self.queue(frame::AltSvc { stream_id: id, origin: Bytes::new(), field_value });
        Ok(())
    }

    /// Sends a PRIORITY frame (RFC 7540 priorities; clients only). Any stream id but 0 is
    /// accepted, idle and closed ones included.
    pub fn prioritize(&mut self, stream_id: u32, priority: PriorityArgs) -> H2Result<()> {
        if !self.config.client_side {
            return Err(H2Error::new(ErrorKind::Rfc1122, "servers should not prioritize streams"));
        }
        self.conn_input(CI::SendPriority)?;
        if stream_id == 0 || stream_id > MAX_STREAM_ID {
            return Err(H2Error::protocol(msg!("invalid stream id ", stream_id, " for PRIORITY")));
        }
        let spec = priority.to_spec(stream_id)?;
        self.queue(frame::Priority { stream_id, spec });
        Ok(())
    }

    /// What we may send on a stream now: the smaller of the connection and stream send
    /// windows (may be negative).
    pub fn local_flow_control_window(&self, stream_id: u32) -> H2Result<i64> {
        self.lookup(stream_id)?;
        let stream = self.streams.get(stream_id).map_or(0, |s| s.send_window);
        Ok(self.send_window.min(stream))
    }

    /// What the peer may send on a stream now: the smaller of the connection and stream
    /// receive windows.
    pub fn remote_flow_control_window(&self, stream_id: u32) -> H2Result<i64> {
        self.lookup(stream_id)?;
        let stream = self.streams.get(stream_id).map_or(0, |s| s.recv_window.current());
        Ok(self.recv_window.current().min(stream))
    }

    /// Tells the engine the application has consumed `acknowledged_size` flow-controlled
    /// octets of `stream_id` (use `flow_controlled_length`, padding included). WINDOW_UPDATE
    /// frames are sent for the connection and the stream once enough is acknowledged (half
    /// the window, or 1,025 octets of an exhausted one).
    pub fn acknowledge_received_data(
        &mut self,
        acknowledged_size: u64,
        stream_id: u32,
    ) -> H2Result<()> {
        // Only 0 is refused up front (h2's `stream_id <= 0` ValueError); any other unknown
        // id, even one above 2^31-1, is a NoSuchStreamError after the connection is credited.
        if stream_id == 0 {
            return Err(H2Error::invalid_input(msg!(
                "stream id ",
                stream_id,
                " is not valid for acknowledge_received_data"
            )));
        }
        let conn_increment = self.recv_window.process_bytes(acknowledged_size);
        let stream_increment = match self.lookup(stream_id) {
            Ok(()) => match self.streams.get_mut(stream_id) {
                Some(s) if s.state().is_open() => s.recv_window.process_bytes(acknowledged_size),
                _ => None,
            },
            Err(e) if matches!(e.kind(), ErrorKind::StreamClosed { .. }) => None,
            Err(e) => return Err(e),
        };
        if let Some(increment) = conn_increment {
            self.queue(frame::WindowUpdate { stream_id: 0, increment });
        }
        if let Some(increment) = stream_increment {
            self.queue(frame::WindowUpdate { stream_id, increment });
        }
        Ok(())
    }

    /// Sends an RFC 9218 PRIORITY_UPDATE for `prioritized_stream_id` with a Priority Field
    /// Value such as `u=1, i`. Clients only (servers get `RFC1122Error`).
    pub fn send_priority_update(
        &mut self,
        prioritized_stream_id: u32,
        field_value: Bytes,
    ) -> H2Result<()> {
        if !self.config.client_side {
            return Err(H2Error::new(ErrorKind::Rfc1122, "servers must not send PRIORITY_UPDATE"));
        }
        if prioritized_stream_id == 0 || prioritized_stream_id > MAX_STREAM_ID {
            return Err(H2Error::protocol(msg!(
                "invalid prioritized stream id ",
                prioritized_stream_id
            )));
        }
        self.check_open_for_extension()?;
        self.queue_extension(frame::PriorityUpdate { prioritized_stream_id, field_value }.into())
    }

    /// Sends an RFC 8336 ORIGIN frame listing the origins this server is authoritative for.
    /// Servers only.
    pub fn send_origin(&mut self, origins: &[Bytes]) -> H2Result<()> {
        if self.config.client_side {
            return Err(H2Error::protocol("clients must not send ORIGIN"));
        }
        self.check_open_for_extension()?;
        self.queue_extension(frame::Origin::from_origins(origins).into())
    }

    /// Sends an arbitrary extension frame (RFC 9113 §5.5). Types 0x0–0x9 are refused: they
    /// would bypass the state machines.
    pub fn send_extension_frame(
        &mut self,
        kind: u8,
        flags: u8,
        stream_id: u32,
        payload: Bytes,
    ) -> H2Result<()> {
        if kind <= frame::kind::CONTINUATION {
            return Err(H2Error::invalid_input(msg!(
                "frame type ",
                crate::msg::Hex(u64::from(kind)),
                " is not an extension type"
            )));
        }
        if stream_id > MAX_STREAM_ID {
            return Err(H2Error::invalid_input(msg!("invalid stream id ", stream_id)));
        }
        self.check_open_for_extension()?;
        self.queue_extension(frame::Unknown { kind, flags, stream_id, payload }.into())
    }

    fn check_open_for_extension(&self) -> H2Result<()> {
        if self.machine.state == super::ConnectionState::Closed {
            return Err(H2Error::protocol("connection is closed"));
        }
        Ok(())
    }

    fn queue_extension(&mut self, f: frame::Frame) -> H2Result<()> {
        let start = self.out.len();
        f.encode(&mut self.out);
        let payload_len = self.out.len().saturating_sub(start).saturating_sub(frame::HEADER_LEN);
        if payload_len > usize_of(self.max_outbound_frame_size) {
            self.out.truncate(start);
            return Err(H2Error::new(
                ErrorKind::FrameTooLarge,
                msg!(
                    "frame of ",
                    payload_len,
                    " octets exceeds the peer's maximum of ",
                    self.max_outbound_frame_size
                ),
            ));
        }
        self.traced_since(start);
        Ok(())
    }
}

const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url with `=` padding (python's `urlsafe_b64encode`).
fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3).saturating_mul(4));
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len().saturating_add(1);
        for i in 0..4usize {
            if i < chars {
                let index =
                    usize::try_from((n >> (18usize.saturating_sub(i.saturating_mul(6)))) & 0x3f)
                        .unwrap_or(0);
                out.push(char::from(B64URL.get(index).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Lenient base64url decoding: characters outside the alphabet (padding, whitespace) are
/// skipped and a trailing partial group is decoded as far as it goes.
fn base64url_decode(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len().saturating_mul(3) / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap_or(0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base64url_round_trips_with_padding() {
        for len in 0..20 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 5) as u8).collect();
            let text = base64url_encode(&data);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(base64url_decode(text.as_bytes()), data);
        }
        assert_eq!(base64url_encode(b"\xfb\xff"), "-_8=");
    }
}
