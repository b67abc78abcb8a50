//! The stream state machine of [RFC 9113 §5.1], with python h2's transition table.
//!
//! ```text
//!                              +--------+
//!                      send PP |        | recv PP
//!                     ,--------+  idle  +--------.
//!                    /         |        |         \
//!                   v          +--------+          v
//!            +----------+          |           +----------+
//!            |          |          | send H /  |          |
//!     ,------+ reserved |          | recv H    | reserved +------.
//!     |      | (local)  |          |           | (remote) |      |
//!     |      +---+------+          v           +------+---+      |
//!     |          |             +--------+             |          |
//!     |          |     recv ES |        | send ES     |          |
//!     |   send H |     ,-------+  open  +-------.     | recv H   |
//!     |          |    /        |        |        \    |          |
//!     |          v   v         +---+----+         v   v          |
//!     |      +----------+          |           +----------+      |
//!     |      |   half-  |          |           |   half-  |      |
//!     |      |  closed  |          | send R /  |  closed  |      |
//!     |      | (remote) |          | recv R    | (local)  |      |
//!     |      +----+-----+          |           +-----+----+      |
//!     |           |                |                 |           |
//!     |           | send ES /      |       recv ES / |           |
//!     |           |  send R /      v        send R / |           |
//!     |           |  recv R    +--------+   recv R   |           |
//!     | send R /  `----------->|        |<-----------'  send R / |
//!     | recv R                 | closed |               recv R   |
//!     `----------------------->|        |<-----------------------'
//!                              +--------+
//!
//!    send: endpoint sends this frame        H:  HEADERS frame (with implied CONTINUATION)
//!    recv: endpoint receives this frame     ES: END_STREAM flag
//!                                           R:  RST_STREAM frame
//!                                           PP: PUSH_PROMISE frame (with implied CONTINUATION)
//! ```
//!
//! Beyond the diagram, python h2 (and so this engine) distinguishes informational (1xx)
//! header blocks, ALTSVC, WINDOW_UPDATE, DATA and the h2c upgrade, and applies three rules:
//!
//! * an input the table does not list is a `ProtocolError` and moves the stream to CLOSED
//!   (no RST_STREAM is sent for local misuse; for received frames it becomes a connection
//!   error);
//! * DATA or HEADERS received on a half-closed (remote) stream, or DATA on an idle or reserved
//!   one, resets the stream with STREAM_CLOSED (the first time with a `StreamReset` event);
//! * frames received on a closed stream fail with `StreamClosedError`, which the connection
//!   turns into RST_STREAM or GOAWAY depending on how the stream closed.
//!
//! [RFC 9113 §5.1]: https://www.rfc-editor.org/rfc/rfc9113#section-5.1

/// Stream states (RFC 9113 §5.1).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum StreamState {
    /// Not yet used.
    Idle,
    /// Promised by the peer (PUSH_PROMISE received).
    ReservedRemote,
    /// Promised by us (PUSH_PROMISE sent).
    ReservedLocal,
    /// Both sides may send.
    Open,
    /// The peer has ended its side.
    HalfClosedRemote,
    /// We have ended our side.
    HalfClosedLocal,
    /// Done.
    Closed,
}

impl StreamState {
    /// Whether the stream counts as open: OPEN or either half-closed state (reserved streams
    /// do not count towards SETTINGS_MAX_CONCURRENT_STREAMS).
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            StreamState::Open | StreamState::HalfClosedLocal | StreamState::HalfClosedRemote
        )
    }

    /// The state's name (`"HalfClosedLocal"`).
    pub const fn name(self) -> &'static str {
        match self {
            StreamState::Idle => "Idle",
            StreamState::ReservedRemote => "ReservedRemote",
            StreamState::ReservedLocal => "ReservedLocal",
            StreamState::Open => "Open",
            StreamState::HalfClosedRemote => "HalfClosedRemote",
            StreamState::HalfClosedLocal => "HalfClosedLocal",
            StreamState::Closed => "Closed",
        }
    }

    /// Every state, for exhaustive tests.
    pub const ALL: [StreamState; 7] = [
        StreamState::Idle,
        StreamState::ReservedRemote,
        StreamState::ReservedLocal,
        StreamState::Open,
        StreamState::HalfClosedRemote,
        StreamState::HalfClosedLocal,
        StreamState::Closed,
    ];
}

/// Inputs to the stream machine.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
#[allow(missing_docs)]
pub enum StreamInput {
    SendHeaders,
    SendPushPromise,
    SendRstStream,
    SendData,
    SendWindowUpdate,
    SendEndStream,
    RecvHeaders,
    RecvPushPromise,
    RecvRstStream,
    RecvData,
    RecvWindowUpdate,
    RecvEndStream,
    RecvContinuation,
    SendInformationalHeaders,
    RecvInformationalHeaders,
    SendAltSvc,
    RecvAltSvc,
    UpgradeClient,
    UpgradeServer,
}

impl StreamInput {
    /// The input's name, as `Debug` writes it (`"SendHeaders"`), for messages.
    pub const fn name(self) -> &'static str {
        match self {
            StreamInput::SendHeaders => "SendHeaders",
            StreamInput::SendPushPromise => "SendPushPromise",
            StreamInput::SendRstStream => "SendRstStream",
            StreamInput::SendData => "SendData",
            StreamInput::SendWindowUpdate => "SendWindowUpdate",
            StreamInput::SendEndStream => "SendEndStream",
            StreamInput::RecvHeaders => "RecvHeaders",
            StreamInput::RecvPushPromise => "RecvPushPromise",
            StreamInput::RecvRstStream => "RecvRstStream",
            StreamInput::RecvData => "RecvData",
            StreamInput::RecvWindowUpdate => "RecvWindowUpdate",
            StreamInput::RecvEndStream => "RecvEndStream",
            StreamInput::RecvContinuation => "RecvContinuation",
            StreamInput::SendInformationalHeaders => "SendInformationalHeaders",
            StreamInput::RecvInformationalHeaders => "RecvInformationalHeaders",
            StreamInput::SendAltSvc => "SendAltSvc",
            StreamInput::RecvAltSvc => "RecvAltSvc",
            StreamInput::UpgradeClient => "UpgradeClient",
            StreamInput::UpgradeServer => "UpgradeServer",
        }
    }
}

impl StreamInput {
    /// Every input, for exhaustive tests.
    pub const ALL: [StreamInput; 19] = [
        StreamInput::SendHeaders,
        StreamInput::SendPushPromise,
        StreamInput::SendRstStream,
        StreamInput::SendData,
        StreamInput::SendWindowUpdate,
        StreamInput::SendEndStream,
        StreamInput::RecvHeaders,
        StreamInput::RecvPushPromise,
        StreamInput::RecvRstStream,
        StreamInput::RecvData,
        StreamInput::RecvWindowUpdate,
        StreamInput::RecvEndStream,
        StreamInput::RecvContinuation,
        StreamInput::SendInformationalHeaders,
        StreamInput::RecvInformationalHeaders,
        StreamInput::SendAltSvc,
        StreamInput::RecvAltSvc,
        StreamInput::UpgradeClient,
        StreamInput::UpgradeServer,
    ];
}

/// The side effect attached to a transition.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
    /// Nothing.
    None,
    /// We sent a request header block (we are the client of this stream).
    RequestSent,
    /// We sent a response (or trailers, if a response was already sent).
    ResponseSent,
    /// We received a request header block.
    RequestReceived,
    /// We received a response (or trailers).
    ResponseReceived,
    /// DATA received.
    DataReceived,
    /// WINDOW_UPDATE received.
    WindowUpdated,
    /// END_STREAM received, stream now half-closed (remote).
    StreamHalfClosed,
    /// END_STREAM received, stream now closed.
    StreamEnded,
    /// RST_STREAM received.
    StreamReset,
    /// We promised this (idle) stream.
    SendNewPushedStream,
    /// The peer promised this (idle) stream.
    RecvNewPushedStream,
    /// We sent PUSH_PROMISE on this stream.
    SendPushPromise,
    /// We received PUSH_PROMISE on this stream.
    RecvPushPromise,
    /// We ended our side, stream now closed.
    SendEndStream,
    /// We sent RST_STREAM.
    SendResetStream,
    /// The peer sent something this state cannot take: reset with STREAM_CLOSED.
    ResetStreamOnError,
    /// Frame received on a closed stream.
    RecvOnClosedStream,
    /// PUSH_PROMISE received on a closed stream.
    RecvPushOnClosedStream,
    /// We tried to send on a closed stream.
    SendOnClosedStream,
    /// We tried to push on a closed stream.
    SendPushOnClosedStream,
    /// We sent a 1xx response.
    SendInformationalResponse,
    /// We received a 1xx response.
    RecvInformationalResponse,
    /// ALTSVC received.
    RecvAltSvc,
    /// We sent ALTSVC.
    SendAltSvc,
}

/// The transition table: `(action, next state)`, or `None` when the input is not allowed.
pub const fn transition(state: StreamState, input: StreamInput) -> Option<(Action, StreamState)> {
    use Action as A;
    use StreamInput as I;
    use StreamState as S;
    Some(match (state, input) {
        (S::Idle, I::SendHeaders) => (A::RequestSent, S::Open),
        (S::Idle, I::RecvHeaders) => (A::RequestReceived, S::Open),
        (S::Idle, I::RecvData) => (A::ResetStreamOnError, S::Closed),
        (S::Idle, I::SendPushPromise) => (A::SendNewPushedStream, S::ReservedLocal),
        (S::Idle, I::RecvPushPromise) => (A::RecvNewPushedStream, S::ReservedRemote),
        (S::Idle, I::RecvAltSvc) => (A::None, S::Idle),
        (S::Idle, I::UpgradeClient) => (A::RequestSent, S::HalfClosedLocal),
        (S::Idle, I::UpgradeServer) => (A::RequestReceived, S::HalfClosedRemote),

        (S::ReservedLocal, I::SendHeaders) => (A::ResponseSent, S::HalfClosedRemote),
        (S::ReservedLocal, I::RecvData) => (A::ResetStreamOnError, S::Closed),
        (S::ReservedLocal, I::SendWindowUpdate) => (A::None, S::ReservedLocal),
        (S::ReservedLocal, I::RecvWindowUpdate) => (A::WindowUpdated, S::ReservedLocal),
        (S::ReservedLocal, I::SendRstStream) => (A::SendResetStream, S::Closed),
        (S::ReservedLocal, I::RecvRstStream) => (A::StreamReset, S::Closed),
        (S::ReservedLocal, I::SendAltSvc) => (A::SendAltSvc, S::ReservedLocal),
        (S::ReservedLocal, I::RecvAltSvc) => (A::None, S::ReservedLocal),

        (S::ReservedRemote, I::RecvHeaders) => (A::ResponseReceived, S::HalfClosedLocal),
        (S::ReservedRemote, I::RecvData) => (A::ResetStreamOnError, S::Closed),
        (S::ReservedRemote, I::SendWindowUpdate) => (A::None, S::ReservedRemote),
        (S::ReservedRemote, I::RecvWindowUpdate) => (A::WindowUpdated, S::ReservedRemote),
        (S::ReservedRemote, I::SendRstStream) => (A::SendResetStream, S::Closed),
        (S::ReservedRemote, I::RecvRstStream) => (A::StreamReset, S::Closed),
        (S::ReservedRemote, I::RecvAltSvc) => (A::RecvAltSvc, S::ReservedRemote),

        (S::Open, I::SendHeaders) => (A::ResponseSent, S::Open),
        (S::Open, I::RecvHeaders) => (A::ResponseReceived, S::Open),
        (S::Open, I::SendData) => (A::None, S::Open),
        (S::Open, I::RecvData) => (A::DataReceived, S::Open),
        (S::Open, I::SendEndStream) => (A::None, S::HalfClosedLocal),
        (S::Open, I::RecvEndStream) => (A::StreamHalfClosed, S::HalfClosedRemote),
        (S::Open, I::SendWindowUpdate) => (A::None, S::Open),
        (S::Open, I::RecvWindowUpdate) => (A::WindowUpdated, S::Open),
        (S::Open, I::SendRstStream) => (A::SendResetStream, S::Closed),
        (S::Open, I::RecvRstStream) => (A::StreamReset, S::Closed),
        (S::Open, I::SendPushPromise) => (A::SendPushPromise, S::Open),
        (S::Open, I::RecvPushPromise) => (A::RecvPushPromise, S::Open),
        (S::Open, I::SendInformationalHeaders) => (A::SendInformationalResponse, S::Open),
        (S::Open, I::RecvInformationalHeaders) => (A::RecvInformationalResponse, S::Open),
        (S::Open, I::SendAltSvc) => (A::SendAltSvc, S::Open),
        (S::Open, I::RecvAltSvc) => (A::RecvAltSvc, S::Open),

        (S::HalfClosedRemote, I::SendHeaders) => (A::ResponseSent, S::HalfClosedRemote),
        (S::HalfClosedRemote, I::RecvHeaders) => (A::ResetStreamOnError, S::Closed),
        (S::HalfClosedRemote, I::SendData) => (A::None, S::HalfClosedRemote),
        (S::HalfClosedRemote, I::RecvData) => (A::ResetStreamOnError, S::Closed),
        (S::HalfClosedRemote, I::SendEndStream) => (A::SendEndStream, S::Closed),
        (S::HalfClosedRemote, I::SendWindowUpdate) => (A::None, S::HalfClosedRemote),
        (S::HalfClosedRemote, I::RecvWindowUpdate) => (A::WindowUpdated, S::HalfClosedRemote),
        (S::HalfClosedRemote, I::SendRstStream) => (A::SendResetStream, S::Closed),
        (S::HalfClosedRemote, I::RecvRstStream) => (A::StreamReset, S::Closed),
        (S::HalfClosedRemote, I::SendPushPromise) => (A::SendPushPromise, S::HalfClosedRemote),
        (S::HalfClosedRemote, I::RecvPushPromise) => (A::ResetStreamOnError, S::Closed),
        (S::HalfClosedRemote, I::SendInformationalHeaders) => {
            (A::SendInformationalResponse, S::HalfClosedRemote)
        }
        (S::HalfClosedRemote, I::SendAltSvc) => (A::SendAltSvc, S::HalfClosedRemote),
        (S::HalfClosedRemote, I::RecvAltSvc) => (A::RecvAltSvc, S::HalfClosedRemote),

        (S::HalfClosedLocal, I::RecvHeaders) => (A::ResponseReceived, S::HalfClosedLocal),
        (S::HalfClosedLocal, I::RecvData) => (A::DataReceived, S::HalfClosedLocal),
        (S::HalfClosedLocal, I::RecvEndStream) => (A::StreamEnded, S::Closed),
        (S::HalfClosedLocal, I::SendWindowUpdate) => (A::None, S::HalfClosedLocal),
        (S::HalfClosedLocal, I::RecvWindowUpdate) => (A::WindowUpdated, S::HalfClosedLocal),
        (S::HalfClosedLocal, I::SendRstStream) => (A::SendResetStream, S::Closed),
        (S::HalfClosedLocal, I::RecvRstStream) => (A::StreamReset, S::Closed),
        (S::HalfClosedLocal, I::RecvPushPromise) => (A::RecvPushPromise, S::HalfClosedLocal),
        (S::HalfClosedLocal, I::RecvInformationalHeaders) => {
            (A::RecvInformationalResponse, S::HalfClosedLocal)
        }
        (S::HalfClosedLocal, I::SendAltSvc) => (A::SendAltSvc, S::HalfClosedLocal),
        (S::HalfClosedLocal, I::RecvAltSvc) => (A::RecvAltSvc, S::HalfClosedLocal),

        (S::Closed, I::RecvEndStream | I::RecvAltSvc | I::RecvWindowUpdate | I::RecvRstStream) => {
            (A::None, S::Closed)
        }
        (S::Closed, I::RecvHeaders | I::RecvData) => (A::RecvOnClosedStream, S::Closed),
        (S::Closed, I::RecvPushPromise) => (A::RecvPushOnClosedStream, S::Closed),
        (S::Closed, I::SendPushPromise) => (A::SendPushOnClosedStream, S::Closed),
        (
            S::Closed,
            I::SendHeaders
            | I::SendRstStream
            | I::SendData
            | I::SendWindowUpdate
            | I::SendEndStream,
        ) => (A::SendOnClosedStream, S::Closed),

        _ => return None,
    })
}

/// [`transition`] for every state and input, computed at compile time: the machine looks its
/// transitions up instead of matching.
#[allow(clippy::indexing_slicing)] // evaluated at compile time
static TABLE: [[Option<(Action, StreamState)>; StreamInput::ALL.len()]; StreamState::ALL.len()] = {
    let mut table = [[None; StreamInput::ALL.len()]; StreamState::ALL.len()];
    let mut s = 0;
    while s < StreamState::ALL.len() {
        let mut i = 0;
        while i < StreamInput::ALL.len() {
            let (state, input) = (StreamState::ALL[s], StreamInput::ALL[i]);
            table[state as usize][input as usize] = transition(state, input);
            i += 1;
        }
        s += 1;
    }
    table
};

/// How a stream came to be closed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum ClosedBy {
    /// We sent END_STREAM last.
    SendEndStream,
    /// The peer sent END_STREAM last.
    RecvEndStream,
    /// We sent RST_STREAM (or reset the stream because of a peer error).
    SendRstStream,
    /// The peer sent RST_STREAM.
    RecvRstStream,
}

impl ClosedBy {
    /// Whether the stream was closed by a reset in either direction.
    pub const fn by_reset(self) -> bool {
        matches!(self, ClosedBy::SendRstStream | ClosedBy::RecvRstStream)
    }
}

/// What a successful transition means for the caller (python h2's internal events).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// Nothing to report.
    Nothing,
    /// We sent a request header block.
    RequestSent,
    /// We sent a final response header block.
    ResponseSent,
    /// We sent a 1xx header block.
    InformationalSent,
    /// We sent trailers.
    TrailersSent,
    /// We sent a PUSH_PROMISE on this stream.
    PushedRequestSent,
    /// A request header block arrived.
    RequestReceived,
    /// A final response header block arrived.
    ResponseReceived,
    /// Trailers arrived.
    TrailersReceived,
    /// A 1xx header block arrived.
    InformationalReceived,
    /// DATA arrived.
    DataReceived,
    /// WINDOW_UPDATE arrived on an open or reserved stream.
    WindowUpdated,
    /// END_STREAM arrived.
    StreamEnded,
    /// RST_STREAM arrived.
    StreamReset,
    /// PUSH_PROMISE arrived on this stream.
    PushedStreamReceived,
    /// ALTSVC that applies to this stream's origin arrived.
    AltSvcAvailable,
}

/// Why a transition failed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Fault {
    /// A `ProtocolError`; the stream is now CLOSED.
    Protocol(String),
    /// A `StreamClosedError` (the stream was already closed).
    Closed,
    /// The peer sent a frame the state cannot take: the stream is reset with STREAM_CLOSED and
    /// a `StreamReset { remote_reset: false }` is due.
    ResetOnError,
}

/// python h2's per-stream state machine: the state plus who sent what so far.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct StreamMachine {
    /// The RFC 9113 state.
    pub state: StreamState,
    /// `Some(true)` when we are the client of this stream (we sent, or were promised, the
    /// request), `Some(false)` when we are the server, `None` before the first header block.
    pub client: Option<bool>,
    /// We sent the final header block (request or response).
    pub headers_sent: bool,
    /// We sent trailers.
    pub trailers_sent: bool,
    /// We received the final header block.
    pub headers_received: bool,
    /// We received trailers.
    pub trailers_received: bool,
    /// How the stream closed (set only by the transition into CLOSED that has one).
    pub closed_by: Option<ClosedBy>,
}

impl StreamMachine {
    /// A machine in IDLE.
    pub const fn new() -> Self {
        StreamMachine {
            state: StreamState::Idle,
            client: None,
            headers_sent: false,
            trailers_sent: false,
            headers_received: false,
            trailers_received: false,
            closed_by: None,
        }
    }

    /// Applies `input`. A [`Fault::Protocol`] forces the state to CLOSED.
    pub fn process(&mut self, input: StreamInput) -> Result<Outcome, Fault> {
        let entry = TABLE.get(self.state as usize).and_then(|row| row.get(input as usize));
        let Some(&Some((action, next))) = entry else {
            let old = self.state;
            self.state = StreamState::Closed;
            return Err(Fault::Protocol(msg!(
                "invalid input ",
                input.name(),
                " in state ",
                old.name()
            )));
        };
        self.state = next;
        let result = self.act(action);
        if let Err(Fault::Protocol(_)) = result {
            self.state = StreamState::Closed;
        }
        result
    }

    fn protocol(msg: &str) -> Result<Outcome, Fault> {
        Err(Fault::Protocol(msg.to_owned()))
    }

    fn act(&mut self, action: Action) -> Result<Outcome, Fault> {
        Ok(match action {
            Action::None => Outcome::Nothing,
            Action::RequestSent => {
                self.client = Some(true);
                self.headers_sent = true;
                Outcome::RequestSent
            }
            Action::ResponseSent if !self.headers_sent => {
                if self.client != Some(false) {
                    return Self::protocol("client cannot send responses");
                }
                self.headers_sent = true;
                Outcome::ResponseSent
            }
            Action::ResponseSent => {
                if self.trailers_sent {
                    return Self::protocol("trailers already sent");
                }
                self.trailers_sent = true;
                Outcome::TrailersSent
            }
            Action::RequestReceived => {
                if self.headers_received || self.trailers_received {
                    return Self::protocol("request already received");
                }
                self.client = Some(false);
                self.headers_received = true;
                Outcome::RequestReceived
            }
            Action::ResponseReceived if !self.headers_received => {
                if self.client != Some(true) {
                    return Self::protocol("response received on a stream we did not open");
                }
                self.headers_received = true;
                Outcome::ResponseReceived
            }
            Action::ResponseReceived => {
                if self.trailers_received {
                    return Self::protocol("trailers already received");
                }
                self.trailers_received = true;
                Outcome::TrailersReceived
            }
            Action::DataReceived => {
                if !self.headers_received {
                    return Self::protocol("cannot receive data before headers");
                }
                Outcome::DataReceived
            }
            Action::WindowUpdated => Outcome::WindowUpdated,
            Action::StreamHalfClosed => Outcome::StreamEnded,
            Action::StreamEnded => {
                self.closed_by = Some(ClosedBy::RecvEndStream);
                Outcome::StreamEnded
            }
            Action::StreamReset => {
                self.closed_by = Some(ClosedBy::RecvRstStream);
                Outcome::StreamReset
            }
            Action::SendNewPushedStream => {
                if self.client.is_some() {
                    return Self::protocol("stream already in use");
                }
                self.client = Some(false);
                self.headers_received = true;
                Outcome::Nothing
            }
            Action::RecvNewPushedStream => {
                if self.client.is_some() {
                    return Self::protocol("stream already in use");
                }
                self.client = Some(true);
                self.headers_sent = true;
                Outcome::Nothing
            }
            Action::SendPushPromise => {
                if self.client == Some(true) {
                    return Self::protocol("cannot push streams from client peers");
                }
                Outcome::PushedRequestSent
            }
            Action::RecvPushPromise => match self.client {
                Some(true) => Outcome::PushedStreamReceived,
                Some(false) => return Self::protocol("cannot receive pushed streams as a server"),
                None => return Self::protocol("idle streams cannot receive pushes"),
            },
            Action::SendEndStream => {
                self.closed_by = Some(ClosedBy::SendEndStream);
                Outcome::Nothing
            }
            Action::SendResetStream => {
                self.closed_by = Some(ClosedBy::SendRstStream);
                Outcome::Nothing
            }
            Action::ResetStreamOnError => {
                self.closed_by = Some(ClosedBy::SendRstStream);
                return Err(Fault::ResetOnError);
            }
            Action::RecvOnClosedStream | Action::SendOnClosedStream => return Err(Fault::Closed),
            Action::RecvPushOnClosedStream => {
                if self.closed_by == Some(ClosedBy::SendRstStream) {
                    return Err(Fault::Closed);
                }
                return Self::protocol("attempted to push on closed stream");
            }
            Action::SendPushOnClosedStream => {
                return Self::protocol("attempted to push on closed stream");
            }
            Action::SendInformationalResponse => {
                if self.headers_sent {
                    return Self::protocol("informational response after final response");
                }
                Outcome::InformationalSent
            }
            Action::RecvInformationalResponse => {
                if self.headers_received {
                    return Self::protocol("informational response after final response");
                }
                Outcome::InformationalReceived
            }
            Action::RecvAltSvc => {
                if self.client == Some(false) || self.headers_received {
                    Outcome::Nothing
                } else {
                    Outcome::AltSvcAvailable
                }
            }
            Action::SendAltSvc => {
                if self.headers_sent {
                    return Self::protocol("cannot send ALTSVC after sending response headers");
                }
                Outcome::Nothing
            }
        })
    }
}

impl Default for StreamMachine {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_are_what_debug_writes() {
        for input in StreamInput::ALL {
            assert_eq!(input.name(), format!("{input:?}"));
        }
        for state in StreamState::ALL {
            assert_eq!(state.name(), format!("{state:?}"));
        }
    }

    #[test]
    fn the_lookup_table_is_the_transition_function() {
        for state in StreamState::ALL {
            for input in StreamInput::ALL {
                assert_eq!(TABLE[state as usize][input as usize], transition(state, input));
            }
        }
    }
}
