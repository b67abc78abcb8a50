//! The receive path: preface, frame decoding, CONTINUATION assembly, and one handler per
//! frame type (RFC 9113 §6), producing events.

use bytes::{Bytes, BytesMut};

use super::headers::{self, BlockKind, CharCheck};
use super::state::ConnectionInput as CI;
use super::stream::{ClosedBy, Fault, Outcome, StreamInput as SI};
use super::{Direction, H2Connection, PendingBlock};
use crate::error::{ErrorKind, H2Error, H2Result};
use crate::error_code::ErrorCode;
use crate::events::*;
use crate::frame::{self, Frame, FrameError, FrameErrorKind};
use crate::header::HeaderField;
use crate::hpack;
use crate::settings::{self as st, SettingCode};

/// `receive_data` failed: the connection is dead and the GOAWAY is queued. `events` holds
/// everything the frames before the failing one produced, which the application should
/// still handle.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ReceiveError {
    /// What went wrong.
    pub error: H2Error,
    /// Events of the frames processed before the error.
    pub events: Vec<Event>,
}

impl std::fmt::Display for ReceiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (after {} events)", self.error, self.events.len())
    }
}

impl std::error::Error for ReceiveError {}

/// Why a frame handler stopped. Mirrors how python h2 routes exceptions out of frame
/// handlers: stream-closed conditions may become RST_STREAM instead of GOAWAY.
#[derive(Debug)]
pub(super) enum Stop {
    /// A connection error.
    Conn(H2Error),
    /// python h2's `StreamClosedError` raised by a handler; `reset` carries the StreamReset
    /// of an automatic reset.
    Closed { stream_id: u32, reset: bool },
    /// python h2's `StreamIDTooLowError` raised while creating a stream.
    TooLow(H2Error, u32),
}

impl From<H2Error> for Stop {
    fn from(e: H2Error) -> Self {
        match e.kind() {
            ErrorKind::StreamClosed { stream_id } => {
                Stop::Closed { stream_id: *stream_id, reset: false }
            }
            ErrorKind::StreamIdTooLow { stream_id, .. } => {
                let id = *stream_id;
                Stop::TooLow(e, id)
            }
            _ => Stop::Conn(e),
        }
    }
}

type Handled = Result<(), Stop>;

fn fault_to_stop(stream_id: u32, fault: Fault) -> Stop {
    match fault {
        Fault::Protocol(msg) => Stop::Conn(H2Error::protocol(msg)),
        Fault::Closed => Stop::Closed { stream_id, reset: false },
        Fault::ResetOnError => Stop::Closed { stream_id, reset: true },
    }
}

/// Parses an RFC 9218 Priority Field Value (`u=N, i`): urgency 0–7 (default 3) and the
/// incremental flag (default false). Unknown or malformed members are ignored (§4).
fn parse_priority_field(value: &[u8]) -> (u8, bool) {
    let mut urgency = 3;
    let mut incremental = false;
    for member in value.split(|&c| c == b',') {
        let member = member.trim_ascii();
        let (key, val) = match member.iter().position(|&c| c == b'=') {
            Some(i) => (
                member.get(..i).unwrap_or(&[]),
                Some(member.get(i.saturating_add(1)..).unwrap_or(&[])),
            ),
            None => (member, None),
        };
        match (key, val) {
            (b"u", Some([d])) if (b'0'..=b'7').contains(d) => urgency = d.saturating_sub(b'0'),
            (b"i", None) | (b"i", Some(b"?1")) => incremental = true,
            (b"i", Some(b"?0")) => incremental = false,
            _ => {}
        }
    }
    (urgency, incremental)
}

impl H2Connection {
    /// Processes bytes received from the peer and returns the resulting events.
    ///
    /// On a connection error the GOAWAY is queued, the connection is CLOSED, and the error
    /// comes back together with the events of every frame processed before it (python h2
    /// loses those). A server's malformed client preface is the one error that queues no
    /// GOAWAY and changes no state.
    pub fn receive_data(&mut self, data: &[u8]) -> Result<Vec<Event>, ReceiveError> {
        self.receive_bytes(Bytes::copy_from_slice(data))
    }

    /// Like [`receive_data`](Self::receive_data), taking ownership of the bytes so DATA
    /// payloads are handed out without copying.
    pub fn receive_bytes(&mut self, data: Bytes) -> Result<Vec<Event>, ReceiveError> {
        let mut events = Vec::new();
        match self.receive_into(data, &mut events) {
            Ok(()) => Ok(events),
            Err(error) => Err(ReceiveError { error, events }),
        }
    }

    /// The allocation-free core of [`receive_bytes`](Self::receive_bytes): events are
    /// appended to `events`, which the caller may reuse.
    pub fn receive_into(&mut self, mut data: Bytes, events: &mut Vec<Event>) -> H2Result<()> {
        if self.preface_remaining > 0 {
            let offset = frame::PREFACE.len().saturating_sub(self.preface_remaining);
            let take = self.preface_remaining.min(data.len());
            let expected = frame::PREFACE.get(offset..offset.saturating_add(take)).unwrap_or(&[]);
            if data.get(..take) != Some(expected) {
                return Err(H2Error::protocol("invalid HTTP/2 preamble"));
            }
            self.preface_remaining = self.preface_remaining.saturating_sub(take);
            data = data.slice(take..);
        }
        self.frames.set_max_frame_size(self.max_inbound_frame_size);
        self.frames.push_bytes(data);
        loop {
            let next = match self.frames.next_frame() {
                Ok(Some(f)) => f,
                Ok(None) => return Ok(()),
                Err(e) => return Err(self.fail(self.frame_error(e))),
            };
            if let Some(head) = self.frames.last_header() {
                if self.config.frame_trace {
                    self.record(Direction::Inbound, head);
                }
            }
            // Most frames need no assembly: only header blocks do, or any frame while one is
            // being assembled.
            let next = if self.block.is_none() && !self.needs_assembly(&next) {
                next
            } else {
                match self.assemble(next) {
                    Ok(Some(f)) => f,
                    Ok(None) => continue,
                    Err(e) => return Err(self.fail(e)),
                }
            };
            if let Err(e) = self.receive_frame(next, events) {
                return Err(self.fail(e));
            }
            if self.queued_control > self.config.limits.max_queued_control_frames {
                let e = H2Error::new(
                    ErrorKind::DenialOfService,
                    "too many control frames queued while the output is not drained",
                );
                return Err(self.fail(e));
            }
        }
    }

    fn fail(&mut self, e: H2Error) -> H2Error {
        self.terminate(e.error_code().unwrap_or(ErrorCode::PROTOCOL_ERROR));
        e
    }

    /// Maps a frame-level error to the error python h2 raises for it.
    fn frame_error(&self, e: FrameError) -> H2Error {
        let msg = e.describe();
        let strict = self.config.strict_rfc;
        match e.kind {
            FrameErrorKind::TooLarge { .. } => H2Error::new(ErrorKind::FrameTooLarge, msg),
            FrameErrorKind::BadLength | FrameErrorKind::BadAltSvcOrigin => {
                H2Error::new(ErrorKind::FrameDataMissing, msg)
            }
            FrameErrorKind::SettingsAckWithPayload if strict => {
                H2Error::protocol_with(ErrorCode::FRAME_SIZE_ERROR, msg)
            }
            _ => H2Error::protocol(msg),
        }
    }

    /// Whether a frame received outside a header block needs [`assemble`](Self::assemble): a
    /// HEADERS or PUSH_PROMISE that starts a block, or whose block is too large.
    #[inline]
    fn needs_assembly(&self, f: &Frame) -> bool {
        let (fragment, complete) = match f {
            Frame::Headers(h) => (&h.fragment, h.end_headers),
            Frame::PushPromise(p) => (&p.fragment, p.end_headers),
            _ => return false,
        };
        !complete || fragment.len() > self.config.limits.max_header_block_size
    }

    /// CONTINUATION assembly (RFC 9113 §6.10): returns a complete frame, or `None` while a
    /// header block is incomplete.
    fn assemble(&mut self, f: Frame) -> H2Result<Option<Frame>> {
        let limits = &self.config.limits;
        if let Some(block) = &mut self.block {
            let cont = match f {
                Frame::Continuation(c) if c.stream_id == block.first.stream_id() => c,
                _ => return Err(H2Error::protocol("invalid frame during header block")),
            };
            block.frames = block.frames.saturating_add(1);
            if block.frames > limits.max_header_block_frames {
                return Err(H2Error::protocol("too many continuation frames received"));
            }
            if block.fragment.len().saturating_add(cont.fragment.len())
                > limits.max_header_block_size
            {
                return Err(H2Error::new(ErrorKind::DenialOfService, "header block too large"));
            }
            block.fragment.extend_from_slice(&cont.fragment);
            if !cont.end_headers {
                return Ok(None);
            }
            let Some(PendingBlock { mut first, fragment, .. }) = self.block.take() else {
                return Ok(None);
            };
            match &mut first {
                Frame::Headers(h) => {
                    h.fragment = fragment.freeze();
                    h.end_headers = true;
                }
                Frame::PushPromise(p) => {
                    p.fragment = fragment.freeze();
                    p.end_headers = true;
                }
                _ => {}
            }
            return Ok(Some(first));
        }
        let (fragment, complete) = match &f {
            Frame::Headers(h) => (&h.fragment, h.end_headers),
            Frame::PushPromise(p) => (&p.fragment, p.end_headers),
            _ => return Ok(Some(f)),
        };
        // A block in a single frame is bounded too (it can exceed the limit when our
        // SETTINGS_MAX_FRAME_SIZE is larger).
        if fragment.len() > limits.max_header_block_size {
            return Err(H2Error::new(ErrorKind::DenialOfService, "header block too large"));
        }
        if complete {
            return Ok(Some(f));
        }
        let fragment = BytesMut::from(fragment.as_ref());
        self.block = Some(PendingBlock { first: f, fragment, frames: 1 });
        Ok(None)
    }

    /// Dispatches one complete frame and turns stream-closed conditions into RST_STREAM
    /// where python h2 does (its `_receive_frame`).
    fn receive_frame(&mut self, f: Frame, events: &mut Vec<Event>) -> H2Result<()> {
        let mark = events.len();
        let out_mark = self.out.len();
        let result = match f {
            Frame::Data(d) => self.on_data(d, events),
            Frame::Headers(h) => self.on_headers(h, events),
            Frame::Priority(p) => self.on_priority(p.stream_id, p.spec, events),
            Frame::RstStream(r) => self.on_rst_stream(r, events),
            Frame::Settings(s) => self.on_settings(s, events),
            Frame::PushPromise(p) => self.on_push_promise(p, events),
            Frame::Ping(p) => self.on_ping(p, events),
            Frame::GoAway(g) => self.on_goaway(g, events),
            Frame::WindowUpdate(w) => self.on_window_update(w, events),
            Frame::Continuation(c) => self.on_naked_continuation(c.stream_id),
            Frame::AltSvc(a) => self.on_altsvc(a, events),
            Frame::Origin(o) => self.on_origin(o, events),
            Frame::PriorityUpdate(p) => self.on_priority_update(p, events),
            Frame::Unknown(u) => self.on_unknown(u, events),
        };
        let stop = match result {
            Ok(()) => return Ok(()),
            Err(stop) => stop,
        };
        events.truncate(mark);
        self.out.truncate(out_mark);
        match stop {
            Stop::Conn(e) => Err(e),
            Stop::Closed { stream_id, reset } => {
                if !self.closed_by_reset(stream_id) {
                    return Err(H2Error::stream_closed(stream_id));
                }
                self.queue_control_rst(stream_id, ErrorCode::STREAM_CLOSED);
                if reset {
                    events.push(reset_event(stream_id));
                }
                Ok(())
            }
            Stop::TooLow(e, stream_id) => match self.streams.closed_by(stream_id) {
                Some(c) if c.by_reset() => {
                    self.queue_control_rst(stream_id, ErrorCode::STREAM_CLOSED);
                    Ok(())
                }
                Some(_) => Err(H2Error::stream_closed(stream_id)),
                None => Err(e),
            },
        }
    }

    fn closed_by_reset(&self, stream_id: u32) -> bool {
        self.streams.closed_by(stream_id).is_some_and(ClosedBy::by_reset)
    }

    fn queue_control_rst(&mut self, stream_id: u32, error_code: ErrorCode) {
        self.queued_control = self.queued_control.saturating_add(1);
        self.queue(frame::RstStream { stream_id, error_code });
    }

    /// Decodes a header block into fields, borrowing nothing from the decoder: static table
    /// strings are referenced, everything else is copied into the decode arena (see [`keep`]).
    /// The octets copied are also given the inbound character checks, whose outcome comes
    /// back for [`process_received`](Self::process_received).
    fn decode_block(&mut self, block: &[u8]) -> H2Result<Decoded> {
        let mut arena = std::mem::take(&mut self.decode_arena);
        // Sized like the previous block, the usual case being a block like the last one.
        let mut list = Vec::with_capacity(self.decode_hint);
        let check = self.config.validate_inbound_headers;
        let mut bad = None;
        let (mut cookies, mut content_length) = (false, false);
        let result = self.decoder.decode_octets(block, |name, value, never_indexed| {
            cookies |= name.bytes == b"cookie";
            content_length |= name.bytes == b"content-length";
            if check
                && bad.is_none()
                && !((name.stat.is_some() || headers::name_chars_ok(name.bytes))
                    && (value.stat.is_some() || headers::value_chars_ok(value.bytes)))
            {
                bad = Some(list.len());
            }
            list.push(HeaderField {
                name: keep(&mut arena, name),
                value: keep(&mut arena, value),
                never_indexed,
            });
        });
        self.decode_arena = arena;
        self.decode_hint = list.len().clamp(1, 64);
        let fields = result.map(|()| Decoded {
            fields: list,
            chars: CharCheck::Only(bad),
            cookies,
            content_length,
        });
        fields.map_err(|e| match e {
            hpack::DecodeError::HeaderListTooLarge => H2Error::new(
                ErrorKind::DenialOfService,
                msg!("oversized header block: ", e.describe()),
            ),
            _ => {
                let code = if self.config.strict_rfc {
                    ErrorCode::COMPRESSION_ERROR
                } else {
                    ErrorCode::PROTOCOL_ERROR
                };
                H2Error::protocol_with(code, msg!("error decoding header block: ", e.describe()))
            }
        })
    }

    /// Inbound normalisation and validation of a decoded block.
    fn process_received(&self, decoded: Decoded, kind: BlockKind) -> H2Result<Vec<HeaderField>> {
        let Decoded { mut fields, mut chars, cookies, .. } = decoded;
        if self.config.normalize_inbound_headers && cookies && headers::join_cookies(&mut fields) {
            // The joined cookie is checked as a whole, and the fields moved.
            chars = CharCheck::All;
        }
        if self.config.validate_inbound_headers {
            let connect_protocol = self.local.enable_connect_protocol();
            headers::validate_inbound(&fields, kind, chars, connect_protocol)?;
        }
        Ok(fields)
    }

    fn input(&mut self, stream_id: u32, input: SI) -> Result<Outcome, Stop> {
        match self.streams.process(stream_id, input) {
            Some(r) => r.map_err(|f| fault_to_stop(stream_id, f)),
            None => Err(Stop::Conn(H2Error::no_such_stream(stream_id))),
        }
    }

    // ---- DATA ---------------------------------------------------------------------

    fn on_data(&mut self, d: frame::Data, events: &mut Vec<Event>) -> Handled {
        let len = u32::try_from(d.flow_controlled_len()).unwrap_or(u32::MAX);
        self.conn_input(CI::RecvData)?;
        self.recv_window.consume(len)?;
        let id = d.stream_id;
        let outcome =
            self.lookup(id).map_err(Stop::from).and_then(|()| self.input(id, SI::RecvData));
        match outcome {
            Ok(_) => {}
            Err(Stop::Closed { stream_id, reset }) => {
                if let Some(inc) = self.recv_window.process_bytes(u64::from(len)) {
                    self.queue(frame::WindowUpdate { stream_id: 0, increment: inc });
                }
                self.queue_control_rst(stream_id, ErrorCode::STREAM_CLOSED);
                if reset {
                    events.push(reset_event(stream_id));
                }
                return Ok(());
            }
            Err(other) => return Err(other),
        }
        let stream =
            self.streams.get_mut(id).ok_or_else(|| Stop::Conn(H2Error::no_such_stream(id)))?;
        stream.recv_window.consume(len)?;
        stream.received_length = stream.received_length.saturating_add(d.data.len() as u64);
        if let Some(expected) = stream.expected_length {
            let actual = stream.received_length;
            if expected < actual || (d.end_stream && expected != actual) {
                return Err(Stop::Conn(body_length_error(expected, actual)));
            }
        }
        let stream_ended = if d.end_stream {
            self.input(id, SI::RecvEndStream)?;
            Some(StreamEnded { stream_id: id })
        } else {
            None
        };
        events.push(Event::DataReceived(DataReceived {
            stream_id: id,
            data: d.data,
            flow_controlled_length: len,
            stream_ended,
        }));
        if let Some(se) = stream_ended {
            events.push(Event::StreamEnded(se));
        }
        Ok(())
    }

    // ---- HEADERS ------------------------------------------------------------------

    fn on_headers(&mut self, h: frame::Headers, events: &mut Vec<Event>) -> Handled {
        let id = h.stream_id;
        let peer_odd = !self.config.client_side;
        if self.refused_by_goaway(id) && (id % 2 == 1) == peer_odd && id > self.highest_inbound {
            // After our GOAWAY: decode (HPACK must stay in step), then refuse.
            self.decode_block(&h.fragment)?;
            self.refuse_stream(id);
            return Ok(());
        }
        if !self.streams.contains(id) {
            let open = self.streams.count_open(peer_odd) as u64;
            let max = self.local.max_concurrent_streams();
            if open.saturating_add(1) > max {
                let new_peer_stream = (id % 2 == 1) == peer_odd && id > self.highest_inbound;
                if self.config.refuse_excess_streams && new_peer_stream {
                    // A stream error instead (RFC 9113 §5.1.2): decode (HPACK must stay in
                    // step), then refuse, so the peer may retry it.
                    self.decode_block(&h.fragment)?;
                    self.refuse_stream(id);
                    return Ok(());
                }
                return Err(Stop::Conn(H2Error::new(
                    ErrorKind::TooManyStreams,
                    msg!("max inbound streams is ", max, ", ", open, " open"),
                )));
            }
        }
        let fields = self.decode_block(&h.fragment)?;
        self.conn_input(CI::RecvHeaders)?;
        if !self.streams.contains(id) {
            self.begin_stream(id, peer_odd)?;
        }
        let informational = headers::is_informational_response(&fields.fields);
        if informational && h.end_stream {
            return Err(Stop::Conn(H2Error::protocol(
                "cannot set END_STREAM on informational responses",
            )));
        }
        let outcome = self.input(
            id,
            if informational { SI::RecvInformationalHeaders } else { SI::RecvHeaders },
        )?;
        let stream_ended = if h.end_stream {
            self.input(id, SI::RecvEndStream)?;
            Some(StreamEnded { stream_id: id })
        } else {
            None
        };
        self.track_content_length(id, &fields, outcome)?;
        if outcome == Outcome::TrailersReceived && !h.end_stream {
            return Err(Stop::Conn(H2Error::protocol("trailers must have END_STREAM set")));
        }
        let kind = match outcome {
            Outcome::TrailersReceived => BlockKind::TRAILERS,
            Outcome::ResponseReceived | Outcome::InformationalReceived => BlockKind::RESPONSE,
            _ => BlockKind::REQUEST,
        };
        let fields = self.process_received(fields, kind)?;
        let priority_updated = match h.priority {
            Some(spec) => {
                self.conn_input(CI::RecvPriority)?;
                Some(priority_event(id, spec)?)
            }
            None => None,
        };
        // Last, so that any error h2 raises for this block comes first.
        self.check_length_at_end_stream(id, outcome, h.end_stream)?;
        let event = match outcome {
            Outcome::RequestReceived => Event::RequestReceived(RequestReceived {
                stream_id: id,
                headers: fields,
                stream_ended,
                priority_updated,
            }),
            Outcome::ResponseReceived => Event::ResponseReceived(ResponseReceived {
                stream_id: id,
                headers: fields,
                stream_ended,
                priority_updated,
            }),
            Outcome::TrailersReceived => Event::TrailersReceived(TrailersReceived {
                stream_id: id,
                headers: fields,
                stream_ended,
                priority_updated,
            }),
            _ => Event::InformationalResponseReceived(InformationalResponseReceived {
                stream_id: id,
                headers: fields,
                priority_updated,
            }),
        };
        events.push(event);
        if let Some(se) = stream_ended {
            events.push(Event::StreamEnded(se));
        }
        if let Some(pu) = priority_updated {
            events.push(Event::PriorityUpdated(pu));
        }
        Ok(())
    }

    /// content-length (RFC 9113 §8.1.1): parsed from the request or response block (and
    /// checked, not applied, on 1xx and trailers, as h2 parses every block); forced to 0 for
    /// the response to our HEAD and for 204/304 responses.
    fn track_content_length(&mut self, id: u32, decoded: &Decoded, outcome: Outcome) -> Handled {
        let fields = &decoded.fields;
        let Some(stream) = self.streams.get_mut(id) else { return Ok(()) };
        if stream.sent_head_request {
            // python h2 skips parsing entirely for the response to a HEAD request.
            if matches!(outcome, Outcome::RequestReceived | Outcome::ResponseReceived) {
                stream.expected_length = Some(0);
            }
        } else {
            let parsed =
                if decoded.content_length { headers::content_length(fields)? } else { None };
            if matches!(outcome, Outcome::RequestReceived | Outcome::ResponseReceived) {
                let no_content = headers::first_value(fields, b":status")
                    .is_some_and(|s| s.as_ref() == b"204" || s.as_ref() == b"304");
                stream.expected_length = if no_content { Some(0) } else { parsed };
            }
        }
        Ok(())
    }

    /// When END_STREAM arrives on a header block, the DATA received must match the
    /// content-length (h2 checks only on DATA frames). Done after every check h2 makes on the
    /// block, so it only rejects blocks h2 would accept.
    fn check_length_at_end_stream(
        &mut self,
        id: u32,
        outcome: Outcome,
        end_stream: bool,
    ) -> Handled {
        let Some(stream) = self.streams.get(id) else { return Ok(()) };
        if end_stream
            && matches!(
                outcome,
                Outcome::RequestReceived | Outcome::ResponseReceived | Outcome::TrailersReceived
            )
        {
            if let Some(expected) = stream.expected_length {
                if expected != stream.received_length {
                    return Err(Stop::Conn(body_length_error(expected, stream.received_length)));
                }
            }
        }
        Ok(())
    }

    // ---- PRIORITY, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE ---------------

    fn on_priority(
        &mut self,
        stream_id: u32,
        spec: frame::PrioritySpec,
        events: &mut Vec<Event>,
    ) -> Handled {
        self.conn_input(CI::RecvPriority)?;
        events.push(Event::PriorityUpdated(priority_event(stream_id, spec)?));
        Ok(())
    }

    fn on_rst_stream(&mut self, r: frame::RstStream, events: &mut Vec<Event>) -> Handled {
        self.conn_input(CI::RecvRstStream)?;
        if self.lookup(r.stream_id).is_err() {
            return Ok(());
        }
        if self.input(r.stream_id, SI::RecvRstStream)? == Outcome::StreamReset {
            events.push(Event::StreamReset(StreamReset {
                stream_id: r.stream_id,
                error_code: r.error_code,
                remote_reset: true,
            }));
        }
        Ok(())
    }

    fn on_settings(&mut self, s: frame::Settings, events: &mut Vec<Event>) -> Handled {
        self.conn_input(CI::RecvSettings)?;
        if s.ack {
            let changed_settings = self.local.acknowledge();
            self.apply_local_changes(&changed_settings)?;
            events.push(Event::SettingsAcknowledged(SettingsAcknowledged { changed_settings }));
            return Ok(());
        }
        let event = self.apply_remote_settings(&s.settings)?;
        self.queued_control = self.queued_control.saturating_add(1);
        self.queue(frame::Settings::ack());
        events.push(Event::RemoteSettingsChanged(event));
        Ok(())
    }

    /// Validates and applies the peer's settings (also used for the h2c `HTTP2-Settings`
    /// header). The caller queues the ACK.
    pub(super) fn apply_remote_settings(
        &mut self,
        pairs: &[st::Setting],
    ) -> H2Result<RemoteSettingsChanged> {
        let collapsed: st::Settings = pairs.iter().copied().collect();
        for s in collapsed.iter() {
            let invalid = st::validate(*s).err().map(|e| e.error_code).or_else(|| {
                // A server may not enable push (RFC 9113 §6.5.2).
                (self.config.client_side && s.code == SettingCode::ENABLE_PUSH && s.value != 0)
                    .then_some(ErrorCode::PROTOCOL_ERROR)
            });
            if let Some(code) = invalid {
                return Err(H2Error::new(
                    ErrorKind::InvalidSettingsValue(code),
                    msg!("setting ", s.code.debug_name(), " has invalid value ", s.value),
                ));
            }
        }
        let changed_settings = collapsed
            .iter()
            .map(|s| ChangedSetting {
                setting: s.code,
                original_value: self.remote.get(s.code),
                new_value: s.value,
            })
            .collect();
        for s in collapsed.iter() {
            self.remote.push_pending(s.code, s.value);
        }
        self.conn_input(CI::SendSettings)?;
        for change in self.remote.acknowledge() {
            match change.setting {
                SettingCode::INITIAL_WINDOW_SIZE => {
                    let delta =
                        i64::from(change.new_value) - i64::from(change.original_value.unwrap_or(0));
                    for stream in self.streams.iter_mut() {
                        stream.send_window = super::flow::guarded_add(stream.send_window, delta)?;
                    }
                }
                SettingCode::HEADER_TABLE_SIZE => {
                    self.encoder.set_max_table_size(super::usize_of(change.new_value));
                }
                SettingCode::MAX_FRAME_SIZE => self.max_outbound_frame_size = change.new_value,
                _ => {}
            }
        }
        Ok(RemoteSettingsChanged { changed_settings })
    }

    /// Applies our settings once the peer acknowledged them.
    fn apply_local_changes(&mut self, changes: &[ChangedSetting]) -> H2Result<()> {
        for change in changes {
            match change.setting {
                SettingCode::INITIAL_WINDOW_SIZE => {
                    let delta =
                        i64::from(change.new_value) - i64::from(change.original_value.unwrap_or(0));
                    for stream in self.streams.iter_mut() {
                        stream.recv_window.shift(delta)?;
                    }
                }
                SettingCode::MAX_HEADER_LIST_SIZE => {
                    self.decoder.set_max_header_list_size(Some(super::usize_of(change.new_value)));
                }
                SettingCode::MAX_FRAME_SIZE => self.max_inbound_frame_size = change.new_value,
                SettingCode::HEADER_TABLE_SIZE => {
                    self.decoder.set_max_allowed_table_size(super::usize_of(change.new_value));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn on_ping(&mut self, p: frame::Ping, events: &mut Vec<Event>) -> Handled {
        self.conn_input(CI::RecvPing)?;
        if p.ack {
            events.push(Event::PingAckReceived(PingAckReceived { ping_data: p.payload }));
        } else {
            self.queued_control = self.queued_control.saturating_add(1);
            self.queue(frame::Ping { ack: true, payload: p.payload });
            events.push(Event::PingReceived(PingReceived { ping_data: p.payload }));
        }
        Ok(())
    }

    fn on_goaway(&mut self, g: frame::GoAway, events: &mut Vec<Event>) -> Handled {
        if self.config.graceful_shutdown && self.machine.state != super::ConnectionState::Closed {
            self.note_remote_goaway(g.last_stream_id);
        } else {
            self.conn_input(CI::RecvGoAway)?;
            self.clear_outbound_data_buffer();
        }
        events.push(Event::ConnectionTerminated(ConnectionTerminated {
            error_code: g.error_code,
            last_stream_id: g.last_stream_id,
            additional_data: (!g.debug_data.is_empty()).then_some(g.debug_data),
        }));
        Ok(())
    }

    fn on_window_update(&mut self, w: frame::WindowUpdate, events: &mut Vec<Event>) -> Handled {
        self.conn_input(CI::RecvWindowUpdate)?;
        let id = w.stream_id;
        if id == 0 {
            self.send_window = super::flow::guarded_add(self.send_window, i64::from(w.increment))?;
            events.push(Event::WindowUpdated(WindowUpdated { stream_id: 0, delta: w.increment }));
            return Ok(());
        }
        match self.lookup(id).map_err(Stop::from) {
            Err(Stop::Closed { .. }) => return Ok(()),
            Err(other) => return Err(other),
            Ok(()) => {}
        }
        if self.input(id, SI::RecvWindowUpdate)? != Outcome::WindowUpdated {
            return Ok(());
        }
        let Some(stream) = self.streams.get_mut(id) else { return Ok(()) };
        match super::flow::guarded_add(stream.send_window, i64::from(w.increment)) {
            Ok(window) => {
                stream.send_window = window;
                events.push(Event::WindowUpdated(WindowUpdated {
                    stream_id: id,
                    delta: w.increment,
                }));
            }
            Err(_) => {
                self.input(id, SI::SendRstStream)?;
                self.queue_control_rst(id, ErrorCode::FLOW_CONTROL_ERROR);
                events.push(Event::StreamReset(StreamReset {
                    stream_id: id,
                    error_code: ErrorCode::FLOW_CONTROL_ERROR,
                    remote_reset: false,
                }));
            }
        }
        Ok(())
    }

    // ---- PUSH_PROMISE, CONTINUATION -------------------------------------------------

    fn on_push_promise(&mut self, p: frame::PushPromise, events: &mut Vec<Event>) -> Handled {
        if !self.local.enable_push() {
            return Err(Stop::Conn(H2Error::protocol("received pushed stream")));
        }
        let fields = self.decode_block(&p.fragment)?;
        self.conn_input(CI::RecvPushPromise)?;
        let parent = p.stream_id;
        let promised = p.promised_stream_id;
        if let Err(e) = self.lookup(parent) {
            if self.streams.closed_by(parent) == Some(ClosedBy::SendRstStream) {
                self.queue_control_rst(promised, ErrorCode::REFUSED_STREAM);
                return Ok(());
            }
            let _ = e;
            return Err(Stop::Conn(H2Error::protocol("attempted to push on closed stream")));
        }
        if parent % 2 == 0 {
            return Err(Stop::Conn(H2Error::protocol("cannot recursively push streams")));
        }
        match self.input(parent, SI::RecvPushPromise) {
            Ok(_) => {}
            Err(Stop::Closed { .. }) => {
                self.queue_control_rst(promised, ErrorCode::REFUSED_STREAM);
                return Ok(());
            }
            Err(other) => return Err(other),
        }
        let fields = self.process_received(fields, BlockKind::REQUEST)?;
        self.begin_stream(promised, false)?;
        self.input(promised, SI::RecvPushPromise)?;
        if let Some(stream) = self.streams.get_mut(promised) {
            stream.authority = headers::first_value(&fields, b":authority").cloned();
        }
        events.push(Event::PushedStreamReceived(PushedStreamReceived {
            pushed_stream_id: promised,
            parent_stream_id: parent,
            headers: fields,
        }));
        Ok(())
    }

    fn on_naked_continuation(&mut self, stream_id: u32) -> Handled {
        self.lookup(stream_id)?;
        self.input(stream_id, SI::RecvContinuation)?;
        Err(Stop::Conn(H2Error::protocol("CONTINUATION without a header block")))
    }

    // ---- extensions ----------------------------------------------------------------

    fn on_altsvc(&mut self, a: frame::AltSvc, events: &mut Vec<Event>) -> Handled {
        self.conn_input(CI::RecvAltSvc)?;
        if a.stream_id == 0 {
            if !a.origin.is_empty() && self.config.client_side {
                events.push(Event::AlternativeServiceAvailable(AlternativeServiceAvailable {
                    origin: Some(a.origin),
                    field_value: a.field_value,
                }));
            }
            return Ok(());
        }
        if self.lookup(a.stream_id).is_err() || !a.origin.is_empty() {
            return Ok(());
        }
        if self.input(a.stream_id, SI::RecvAltSvc)? == Outcome::AltSvcAvailable {
            let origin = self.streams.get(a.stream_id).and_then(|s| s.authority.clone());
            events.push(Event::AlternativeServiceAvailable(AlternativeServiceAvailable {
                origin,
                field_value: a.field_value,
            }));
        }
        Ok(())
    }

    fn on_origin(&mut self, o: frame::Origin, events: &mut Vec<Event>) -> Handled {
        // RFC 8336 §2.1: only on stream 0 and only meaningful to a client; anything else (and
        // a malformed frame) is ignored, surfaced as an unknown frame like h2 does.
        let origins = (self.config.client_side && o.stream_id == 0).then(|| o.entries()).flatten();
        match origins {
            Some(origins) => events.push(Event::OriginReceived(OriginReceived { origins })),
            None => events.push(Event::UnknownFrameReceived(UnknownFrameReceived {
                frame: frame::Unknown {
                    kind: frame::kind::ORIGIN,
                    flags: self.frames.last_header().map_or(0, |h| h.flags),
                    stream_id: o.stream_id,
                    payload: o.payload,
                },
            })),
        }
        Ok(())
    }

    fn on_unknown(&mut self, u: frame::Unknown, events: &mut Vec<Event>) -> Handled {
        // Without `strict_rfc` the decoder hands PRIORITY_UPDATE over unparsed; a
        // well-formed one reaching a server is still reported as such.
        if u.kind == frame::kind::PRIORITY_UPDATE && u.stream_id == 0 && !self.config.client_side {
            if let Some(p) = frame::PriorityUpdate::from_payload(u.payload.clone()) {
                return self.on_priority_update(p, events);
            }
        }
        events.push(Event::UnknownFrameReceived(UnknownFrameReceived { frame: u }));
        Ok(())
    }

    fn on_priority_update(&mut self, p: frame::PriorityUpdate, events: &mut Vec<Event>) -> Handled {
        if self.config.client_side {
            // RFC 9218 §7.1: servers do not send PRIORITY_UPDATE.
            return Err(Stop::Conn(H2Error::protocol("PRIORITY_UPDATE received by a client")));
        }
        let (urgency, incremental) = parse_priority_field(&p.field_value);
        events.push(Event::PriorityUpdateReceived(PriorityUpdateReceived {
            prioritized_stream_id: p.prioritized_stream_id,
            urgency,
            incremental,
            field_value: p.field_value,
        }));
        Ok(())
    }
}

/// `PriorityUpdated` for a PRIORITY frame or HEADERS priority fields; a stream may not
/// depend on itself (a connection error, as in h2).
fn priority_event(stream_id: u32, spec: frame::PrioritySpec) -> Result<PriorityUpdated, Stop> {
    if spec.dependency == stream_id {
        return Err(Stop::Conn(H2Error::protocol(msg!(
            "stream ",
            stream_id,
            " may not depend on itself"
        ))));
    }
    Ok(PriorityUpdated {
        stream_id,
        weight: spec.weight,
        depends_on: spec.dependency,
        exclusive: spec.exclusive,
    })
}

/// A decoded header block, with what was noticed while decoding it.
#[derive(Debug)]
struct Decoded {
    fields: Vec<HeaderField>,
    /// Which fields still need the character checks.
    chars: CharCheck,
    /// Some field is named `cookie`.
    cookies: bool,
    /// Some field is named `content-length`.
    content_length: bool,
}

/// Room reserved in the decode arena at a time. Fields the application keeps pin the chunk
/// they were copied to, so it is kept small; once every field of a chunk is dropped the
/// chunk is reused in place.
const ARENA_CHUNK: usize = 512;

/// A decoded name or value as `Bytes`: a static table string is referenced as it is, a
/// dynamic table entry's octets are shared with it, other octets are copied into `arena`
/// (see [`copy_to_arena`]).
#[inline]
fn keep(arena: &mut BytesMut, octets: hpack::Octets<'_>) -> Bytes {
    match (octets.stat, octets.shared) {
        (Some(s), _) => Bytes::from_static(s),
        (None, Some(b)) => b.clone(),
        (None, None) => copy_to_arena(arena, octets.bytes),
    }
}

/// Copies `octets` into `arena` and splits them off it: no allocation while the arena has
/// room.
fn copy_to_arena(arena: &mut BytesMut, octets: &[u8]) -> Bytes {
    let n = octets.len();
    if n == 0 {
        return Bytes::new();
    }
    if arena.capacity().saturating_sub(arena.len()) < n {
        arena.reserve(n.max(ARENA_CHUNK));
    }
    arena.extend_from_slice(octets);
    arena.split().freeze()
}

fn reset_event(stream_id: u32) -> Event {
    Event::StreamReset(StreamReset {
        stream_id,
        error_code: ErrorCode::STREAM_CLOSED,
        remote_reset: false,
    })
}

fn body_length_error(expected: u64, actual: u64) -> H2Error {
    H2Error::new(
        ErrorKind::InvalidBodyLength { expected, actual },
        msg!("expected ", expected, " bytes, received ", actual),
    )
}
