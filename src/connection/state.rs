//! The connection-level state machine: which kinds of frame may be sent or received.
//!
//! RFC 9113 has no connection state diagram; this one is python h2's, kept for parity. The
//! flavour (client or server) is fixed by the direction of the first HEADERS (or ALTSVC),
//! not by the configuration.
//!
//! ```text
//!                         IDLE
//!   send HEADERS / recv ALTSVC |   | recv HEADERS / send ALTSVC
//!                 +------------+   +--------------+
//!                 v                               v
//!            CLIENT_OPEN                     SERVER_OPEN
//!                 |   send or recv GOAWAY         |
//!                 +---------------+---------------+
//!                                 v
//!                               CLOSED   (only GOAWAY, either way)
//! ```
//!
//! In IDLE only SETTINGS, WINDOW_UPDATE, PING, PRIORITY and GOAWAY move without opening the
//! connection. CLIENT_OPEN may not send PUSH_PROMISE or ALTSVC; SERVER_OPEN may not receive
//! PUSH_PROMISE. Any input not allowed is a `ProtocolError` and **moves the machine to
//! CLOSED**, whether it came from the peer or from a local call.

use crate::error::{H2Error, H2Result};

/// State of the connection machine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ConnectionState {
    /// Nothing but SETTINGS, WINDOW_UPDATE, PING, PRIORITY exchanged yet.
    Idle,
    /// We sent the first HEADERS (or received ALTSVC): we act as a client.
    ClientOpen,
    /// We received the first HEADERS (or sent ALTSVC): we act as a server.
    ServerOpen,
    /// GOAWAY was sent or received.
    Closed,
}

impl ConnectionState {
    /// Every state, in declaration order (for exhaustive tests and tables).
    pub const ALL: [ConnectionState; 4] = [
        ConnectionState::Idle,
        ConnectionState::ClientOpen,
        ConnectionState::ServerOpen,
        ConnectionState::Closed,
    ];

    /// The state's name (`"ClientOpen"`).
    pub const fn name(self) -> &'static str {
        match self {
            ConnectionState::Idle => "Idle",
            ConnectionState::ClientOpen => "ClientOpen",
            ConnectionState::ServerOpen => "ServerOpen",
            ConnectionState::Closed => "Closed",
        }
    }
}

/// What happened, from the connection machine's point of view.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[allow(missing_docs)]
pub enum ConnectionInput {
    SendHeaders,
    SendPushPromise,
    SendData,
    SendGoAway,
    SendWindowUpdate,
    SendPing,
    SendSettings,
    SendRstStream,
    SendPriority,
    SendAltSvc,
    RecvHeaders,
    RecvPushPromise,
    RecvData,
    RecvGoAway,
    RecvWindowUpdate,
    RecvPing,
    RecvSettings,
    RecvRstStream,
    RecvPriority,
    RecvAltSvc,
}

impl ConnectionInput {
    /// Every input, in declaration order (for exhaustive tests and tables).
    pub const ALL: [ConnectionInput; 20] = [
        ConnectionInput::SendHeaders,
        ConnectionInput::SendPushPromise,
        ConnectionInput::SendData,
        ConnectionInput::SendGoAway,
        ConnectionInput::SendWindowUpdate,
        ConnectionInput::SendPing,
        ConnectionInput::SendSettings,
        ConnectionInput::SendRstStream,
        ConnectionInput::SendPriority,
        ConnectionInput::SendAltSvc,
        ConnectionInput::RecvHeaders,
        ConnectionInput::RecvPushPromise,
        ConnectionInput::RecvData,
        ConnectionInput::RecvGoAway,
        ConnectionInput::RecvWindowUpdate,
        ConnectionInput::RecvPing,
        ConnectionInput::RecvSettings,
        ConnectionInput::RecvRstStream,
        ConnectionInput::RecvPriority,
        ConnectionInput::RecvAltSvc,
    ];

    /// The input's name, as `Debug` writes it (`"SendHeaders"`), for messages.
    pub const fn name(self) -> &'static str {
        match self {
            ConnectionInput::SendHeaders => "SendHeaders",
            ConnectionInput::SendPushPromise => "SendPushPromise",
            ConnectionInput::SendData => "SendData",
            ConnectionInput::SendGoAway => "SendGoAway",
            ConnectionInput::SendWindowUpdate => "SendWindowUpdate",
            ConnectionInput::SendPing => "SendPing",
            ConnectionInput::SendSettings => "SendSettings",
            ConnectionInput::SendRstStream => "SendRstStream",
            ConnectionInput::SendPriority => "SendPriority",
            ConnectionInput::SendAltSvc => "SendAltSvc",
            ConnectionInput::RecvHeaders => "RecvHeaders",
            ConnectionInput::RecvPushPromise => "RecvPushPromise",
            ConnectionInput::RecvData => "RecvData",
            ConnectionInput::RecvGoAway => "RecvGoAway",
            ConnectionInput::RecvWindowUpdate => "RecvWindowUpdate",
            ConnectionInput::RecvPing => "RecvPing",
            ConnectionInput::RecvSettings => "RecvSettings",
            ConnectionInput::RecvRstStream => "RecvRstStream",
            ConnectionInput::RecvPriority => "RecvPriority",
            ConnectionInput::RecvAltSvc => "RecvAltSvc",
        }
    }
}

/// The transition table: the next state, or `None` when `input` is not allowed in `state`.
pub fn next_state(state: ConnectionState, input: ConnectionInput) -> Option<ConnectionState> {
    use ConnectionInput as I;
    use ConnectionState as S;
    Some(match (state, input) {
        (_, I::SendGoAway | I::RecvGoAway) => S::Closed,
        (S::Closed, _) => return None,
        (
            S::Idle,
            I::SendSettings
            | I::RecvSettings
            | I::SendWindowUpdate
            | I::RecvWindowUpdate
            | I::SendPing
            | I::RecvPing
            | I::SendPriority
            | I::RecvPriority,
        ) => S::Idle,
        (S::Idle, I::SendHeaders | I::RecvAltSvc) => S::ClientOpen,
        (S::Idle, I::RecvHeaders | I::SendAltSvc) => S::ServerOpen,
        (S::Idle, _) => return None,
        (S::ClientOpen, I::SendPushPromise | I::SendAltSvc) => return None,
        (S::ServerOpen, I::RecvPushPromise) => return None,
        (open, _) => open,
    })
}

/// The connection machine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ConnectionMachine {
    /// The current state.
    pub state: ConnectionState,
}

impl ConnectionMachine {
    /// A machine in IDLE.
    pub const fn new() -> Self {
        ConnectionMachine { state: ConnectionState::Idle }
    }

    /// Applies `input`; on a forbidden input the machine moves to CLOSED and returns a
    /// `ProtocolError`.
    pub fn process(&mut self, input: ConnectionInput) -> H2Result<()> {
        match next_state(self.state, input) {
            Some(next) => {
                self.state = next;
                Ok(())
            }
            None => {
                let old = self.state;
                self.state = ConnectionState::Closed;
                Err(H2Error::protocol(msg!(
                    "invalid input ",
                    input.name(),
                    " in state ",
                    old.name()
                )))
            }
        }
    }
}

impl Default for ConnectionMachine {
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
        for input in ConnectionInput::ALL {
            assert_eq!(input.name(), format!("{input:?}"));
        }
        for state in ConnectionState::ALL {
            assert_eq!(state.name(), format!("{state:?}"));
        }
    }
}
