//! [`H2Connection`]: one HTTP/2 connection, sans I/O ([RFC 9113]).
//!
//! Bytes from the peer go in through [`receive_data`](H2Connection::receive_data), which
//! returns [`Event`]s; the application acts through the `send_*` and other command methods;
//! everything to write to the transport comes out of
//! [`data_to_send`](H2Connection::data_to_send). There is no clock and no I/O.
//!
//! The behaviour follows python-hyper/h2 4.4.1 — method by method, event by event, frame by
//! frame — except for the deliberate differences listed in `docs/differences.md`.
//!
//! Call order, for both roles:
//! 1. [`initiate_connection`](H2Connection::initiate_connection) (or
//!    [`initiate_upgrade_connection`](H2Connection::initiate_upgrade_connection) for h2c);
//! 2. loop: feed received bytes to `receive_data`, handle the events, issue commands, and
//!    write `data_to_send()` to the transport;
//! 3. when `receive_data` fails, the connection is dead but the GOAWAY explaining why is
//!    already queued: write `data_to_send()` before closing the transport.
//!
//! [RFC 9113]: https://www.rfc-editor.org/rfc/rfc9113

mod goaway;
mod headers;
mod recv;
pub mod send;
mod settings_state;
pub mod state;
mod store;

pub mod flow;
pub mod stream;

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};

pub use self::recv::ReceiveError;
pub use self::settings_state::SettingsState;
pub use self::state::{ConnectionInput, ConnectionMachine, ConnectionState};
pub use self::stream::{ClosedBy, StreamState};

use self::flow::WindowManager;
use self::store::StreamStore;
use crate::config::H2Configuration;
use crate::error::{ErrorKind, H2Error, H2Result};
use crate::error_code::ErrorCode;
use crate::frame::{self, FrameDecoder, FrameHeader, HEADER_LEN};
use crate::hpack;
use crate::settings::{SettingCode, MAX_WINDOW_SIZE};

/// The highest stream id (2³¹−1).
pub const MAX_STREAM_ID: u32 = (1 << 31) - 1;

/// Which way a traced frame went.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    /// Received from the peer.
    Inbound,
    /// Queued for the peer.
    Outbound,
}

/// One entry of the opt-in frame trace.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TraceEntry {
    /// Which way it went.
    pub direction: Direction,
    /// Its header: type, flags, stream and payload length.
    pub header: FrameHeader,
}

/// A CONTINUATION sequence being assembled.
#[derive(Clone, Debug)]
struct PendingBlock {
    first: frame::Frame,
    fragment: BytesMut,
    frames: usize,
}

/// One HTTP/2 connection. See the [module documentation](self).
///
/// Cloning snapshots the whole connection (useful for tests and speculative processing).
#[derive(Clone)]
pub struct H2Connection {
    config: H2Configuration,
    machine: ConnectionMachine,
    streams: StreamStore,
    highest_inbound: u32,
    highest_outbound: u32,
    encoder: hpack::Encoder,
    decoder: hpack::Decoder,
    local: SettingsState,
    remote: SettingsState,
    /// Connection-level send window.
    send_window: i64,
    max_outbound_frame_size: u32,
    max_inbound_frame_size: u32,
    /// Connection-level receive window.
    recv_window: WindowManager,
    frames: FrameDecoder,
    /// Octets of the client preface a server still expects.
    preface_remaining: usize,
    block: Option<PendingBlock>,
    out: BytesMut,
    /// Control frames queued in reply to the peer since the output was last drained.
    queued_control: usize,
    trace: VecDeque<TraceEntry>,
    /// Reusable buffer for HPACK output.
    scratch: Vec<u8>,
    /// Last-stream-id of our graceful GOAWAY, if sent.
    local_goaway: Option<u32>,
    /// Last-stream-id of the peer's GOAWAY, under `graceful_shutdown`.
    remote_goaway: Option<u32>,
    /// Spare room where decoded names and values that are not static table strings are
    /// copied; each field then holds a slice of it, and the room is reused once the
    /// application has dropped them (see `recv::keep`).
    decode_arena: BytesMut,
    /// The number of fields in the last block decoded: the capacity of the next list.
    decode_hint: usize,
}

impl std::fmt::Debug for H2Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H2Connection")
            .field("client_side", &self.config.client_side)
            .field("state", &self.machine.state)
            .field("live_streams", &self.streams.live_len())
            .field("highest_inbound_stream_id", &self.highest_inbound)
            .field("highest_outbound_stream_id", &self.highest_outbound)
            .field("outbound_buffered", &self.out.len())
            .finish_non_exhaustive()
    }
}

impl H2Connection {
    /// A connection in the IDLE state. Nothing is queued until
    /// [`initiate_connection`](Self::initiate_connection) is called.
    pub fn new(config: H2Configuration) -> Self {
        let limits = &config.limits;
        let client = config.client_side;
        let mut local = SettingsState::with_defaults(client);
        // A value below the protocol default binds the peer only once it has acknowledged
        // our SETTINGS (RFC 9113 §6.5.3): until then it may rely on the default, so the
        // default stays in force and the configured value waits for the first ACK.
        let mut below_default = |code: SettingCode, value: u32, default: u32| {
            if value < default {
                local.set_current(code, default);
                local.push_pending(code, value);
            } else {
                local.set_current(code, value);
            }
        };
        below_default(
            SettingCode::HEADER_TABLE_SIZE,
            limits.header_table_size,
            crate::settings::DEFAULT_HEADER_TABLE_SIZE,
        );
        below_default(
            SettingCode::INITIAL_WINDOW_SIZE,
            limits.initial_window_size.min(MAX_WINDOW_SIZE),
            crate::settings::DEFAULT_INITIAL_WINDOW_SIZE,
        );
        local
            .set_current(SettingCode::ENABLE_PUSH, u32::from(config.enable_push.unwrap_or(client)));
        local.set_current(
            SettingCode::MAX_FRAME_SIZE,
            limits.max_inbound_frame_size.clamp(
                crate::settings::DEFAULT_MAX_FRAME_SIZE,
                crate::settings::MAX_MAX_FRAME_SIZE,
            ),
        );
        local.set_current(
            SettingCode::ENABLE_CONNECT_PROTOCOL,
            u32::from(config.enable_connect_protocol),
        );
        local.set_current(SettingCode::MAX_CONCURRENT_STREAMS, limits.max_concurrent_streams);
        local.set_current(SettingCode::MAX_HEADER_LIST_SIZE, limits.max_header_list_size);
        let remote = SettingsState::with_defaults(!client);

        let mut decoder = hpack::Decoder::new(usize_of(local.header_table_size()));
        decoder.set_max_header_list_size(local.max_header_list_size().map(usize_of));
        let mut encoder = hpack::Encoder::new();
        encoder.set_max_encoder_table_size(usize_of(limits.max_encoder_table_size));

        let mut frames = FrameDecoder::new(local.max_frame_size());
        frames.set_strict_extensions(config.strict_rfc);
        H2Connection {
            machine: ConnectionMachine::new(),
            streams: StreamStore::new(limits.max_closed_streams),
            highest_inbound: 0,
            highest_outbound: 0,
            encoder,
            decoder,
            send_window: i64::from(remote.initial_window_size()),
            max_outbound_frame_size: remote.max_frame_size(),
            max_inbound_frame_size: local.max_frame_size(),
            recv_window: WindowManager::new(crate::settings::DEFAULT_INITIAL_WINDOW_SIZE),
            frames,
            preface_remaining: if client { 0 } else { frame::PREFACE.len() },
            block: None,
            out: BytesMut::new(),
            queued_control: 0,
            trace: VecDeque::new(),
            scratch: Vec::new(),
            local_goaway: None,
            remote_goaway: None,
            decode_arena: BytesMut::new(),
            decode_hint: 8,
            local,
            remote,
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &H2Configuration {
        &self.config
    }

    /// The connection state machine's state.
    pub fn state(&self) -> ConnectionState {
        self.machine.state
    }

    /// Our settings: current values and those awaiting the peer's ACK.
    pub fn local_settings(&self) -> &SettingsState {
        &self.local
    }

    /// The peer's settings in force.
    pub fn remote_settings(&self) -> &SettingsState {
        &self.remote
    }

    /// The highest stream id the peer has opened (0 if none).
    pub fn highest_inbound_stream_id(&self) -> u32 {
        self.highest_inbound
    }

    /// The highest stream id we have opened or promised (0 if none).
    pub fn highest_outbound_stream_id(&self) -> u32 {
        self.highest_outbound
    }

    /// The largest frame payload the peer accepts (its SETTINGS_MAX_FRAME_SIZE).
    pub fn max_outbound_frame_size(&self) -> u32 {
        self.max_outbound_frame_size
    }

    /// The largest frame payload we accept (our acknowledged SETTINGS_MAX_FRAME_SIZE).
    pub fn max_inbound_frame_size(&self) -> u32 {
        self.max_inbound_frame_size
    }

    /// The connection-level send window (may be negative).
    pub fn outbound_flow_control_window(&self) -> i64 {
        self.send_window
    }

    /// The connection-level receive window: what the peer may still send on all streams.
    pub fn inbound_flow_control_window(&self) -> i64 {
        self.recv_window.current()
    }

    /// The state of a known stream, `None` if it is idle or has been forgotten.
    pub fn stream_state(&self, stream_id: u32) -> Option<StreamState> {
        self.streams.get(stream_id).map(|s| s.state())
    }

    /// Streams we opened (our parity) that are OPEN or half-closed. Reading it moves closed
    /// streams to the closed-stream memory, as python h2's property does.
    pub fn open_outbound_streams(&mut self) -> usize {
        let odd = self.config.client_side;
        self.streams.count_open(odd)
    }

    /// Streams the peer opened that are OPEN or half-closed (same side effect).
    pub fn open_inbound_streams(&mut self) -> usize {
        let odd = !self.config.client_side;
        self.streams.count_open(odd)
    }

    /// Up to `amount` octets of queued output (everything when `None`), removed from the
    /// buffer.
    pub fn data_to_send(&mut self, amount: Option<usize>) -> Bytes {
        let n = amount.map_or(self.out.len(), |a| a.min(self.out.len()));
        let chunk = if n == 0 { Bytes::new() } else { self.out.split_to(n).freeze() };
        if self.out.is_empty() {
            self.queued_control = 0;
        }
        chunk
    }

    /// Octets queued for the peer.
    pub fn outbound_buffered(&self) -> usize {
        self.out.len()
    }

    /// Discards all queued output.
    pub fn clear_outbound_data_buffer(&mut self) {
        self.out.clear();
        self.queued_control = 0;
    }

    /// Takes the frame trace recorded so far (empty unless `config.frame_trace`).
    pub fn take_frame_trace(&mut self) -> Vec<TraceEntry> {
        // Collected rather than `Vec::from`, which makes the ring contiguous first and links in
        // slice rotation (about 1 KB of WebAssembly) for a call made once per trace read.
        std::mem::take(&mut self.trace).into_iter().collect()
    }

    // ---- shared helpers -------------------------------------------------------------

    fn log(&self, message: impl FnOnce() -> String) {
        if let Some(logger) = &self.config.logger {
            logger(&message());
        }
    }

    fn conn_input(&mut self, input: ConnectionInput) -> H2Result<()> {
        self.machine.process(input)
    }

    /// Whether `stream_id` belongs to our side (odd for a client, even for a server).
    fn is_outbound(&self, stream_id: u32) -> bool {
        (stream_id % 2 == 1) == self.config.client_side
    }

    /// python h2's `_get_stream_by_id`: a live stream, or `NoSuchStreamError` for an id
    /// above the highest of its direction (idle), or `StreamClosedError` otherwise.
    fn lookup(&self, stream_id: u32) -> H2Result<()> {
        if stream_id != 0 && self.streams.contains(stream_id) {
            return Ok(());
        }
        let highest =
            if self.is_outbound(stream_id) { self.highest_outbound } else { self.highest_inbound };
        if stream_id == 0 || stream_id > highest {
            Err(H2Error::no_such_stream(stream_id))
        } else {
            Err(H2Error::stream_closed(stream_id))
        }
    }

    /// python h2's `_begin_new_stream`: creates an idle stream after checking that its id
    /// is above the highest of its direction and of the `odd` parity.
    fn begin_stream(&mut self, stream_id: u32, odd: bool) -> H2Result<()> {
        let outbound = self.is_outbound(stream_id);
        let highest = if outbound { self.highest_outbound } else { self.highest_inbound };
        if stream_id <= highest {
            return Err(H2Error::new(
                ErrorKind::StreamIdTooLow { stream_id, max_stream_id: highest },
                msg!("stream id ", stream_id, " is lower than ", highest),
            ));
        }
        if (stream_id % 2 == 1) != odd {
            return Err(H2Error::protocol("invalid stream id for peer"));
        }
        let stream = store::Stream::new(
            stream_id,
            self.remote.initial_window_size(),
            self.local.initial_window_size(),
        );
        self.streams.insert(stream);
        if outbound {
            self.highest_outbound = stream_id;
        } else {
            self.highest_inbound = stream_id;
        }
        self.log(|| msg!("stream ", stream_id, " created"));
        Ok(())
    }

    /// Records the frames written to `out` since `start` in the trace.
    fn traced_since(&mut self, start: usize) {
        if !self.config.frame_trace {
            return;
        }
        let mut at = start;
        while let Some(head) = self.out.get(at..).and_then(FrameHeader::parse) {
            self.record(Direction::Outbound, head);
            let len = usize::try_from(head.length).unwrap_or(usize::MAX);
            at = at.saturating_add(HEADER_LEN).saturating_add(len);
        }
    }

    fn record(&mut self, direction: Direction, header: FrameHeader) {
        if self.trace.len() >= self.config.limits.max_trace_entries {
            self.trace.pop_front();
        }
        if self.config.limits.max_trace_entries > 0 {
            self.trace.push_back(TraceEntry { direction, header });
        }
    }

    /// Makes room for `n` more octets of output, growing in steps of at least 8 KiB so that
    /// a burst of small frames does not reallocate for each one.
    fn reserve_out(&mut self, n: usize) {
        if self.out.capacity().saturating_sub(self.out.len()) < n {
            self.out.reserve(n.max(8192));
        }
    }

    /// Queues one frame.
    fn queue<F: Into<frame::Frame>>(&mut self, f: F) {
        self.reserve_out(64);
        let start = self.out.len();
        f.into().encode(&mut self.out);
        self.traced_since(start);
    }

    /// GOAWAY for a connection error detected on receipt (python h2's
    /// `_terminate_connection`).
    fn terminate(&mut self, code: ErrorCode) {
        let _ = self.conn_input(ConnectionInput::SendGoAway);
        let last_stream_id = self.highest_inbound;
        self.queue(frame::GoAway { last_stream_id, error_code: code, debug_data: Bytes::new() });
    }
}

fn usize_of(v: u32) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}
