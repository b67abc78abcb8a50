//! The two transition tables, checked exhaustively against oracles written here from
//! RFC 9113 §5.1 (the stream diagram) and h2-behaviour §6.1/§6.2 (python h2's connection
//! machine and its extensions to the stream machine).
//!
//! Every (state, input) pair is looked up in the engine's table and in the oracle; the two
//! must agree on whether the input is allowed and where it leads. `StreamMachine::process`
//! and `ConnectionMachine::process` are then checked to force CLOSED on refused inputs.

use std::collections::HashSet;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use h2wasm::connection::state::{next_state, ConnectionInput, ConnectionMachine, ConnectionState};
use h2wasm::connection::stream::{
    transition, Action, ClosedBy, Fault, Outcome, StreamInput, StreamMachine, StreamState,
};

// ---- stream machine oracle --------------------------------------------------------------

/// What the oracle expects for one (state, input) pair.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rule {
    /// Allowed; the stream moves to (or stays in) this state.
    To(StreamState),
    /// A frame the state cannot take from the peer: the stream is reset with STREAM_CLOSED
    /// and ends CLOSED (h2's `reset_stream_on_error`).
    ResetOnError,
    /// Already closed: accepted and ignored.
    Ignored,
    /// Already closed: `StreamClosedError` (the connection decides between RST_STREAM and
    /// GOAWAY from how the stream closed).
    ClosedError,
    /// PUSH_PROMISE involving a closed stream: `StreamClosedError` or `ProtocolError`
    /// depending on how it closed.
    PushOnClosed,
    /// Not in the table: `ProtocolError`, and the stream is forced to CLOSED.
    Forbidden,
}

/// The stream oracle. Each state lists what it accepts; anything else is forbidden.
/// "RFC" marks a transition of the RFC 9113 §5.1 diagram or of the frame rules of that
/// section; "h2" marks python h2's additions and deviations.
fn stream_oracle(state: StreamState, input: StreamInput) -> Rule {
    use Rule::*;
    use StreamInput as I;
    use StreamState as S;
    match state {
        S::Idle => match input {
            // RFC: send/recv HEADERS opens the stream.
            I::SendHeaders | I::RecvHeaders => To(S::Open),
            // RFC: PUSH_PROMISE reserves the *promised* stream. h2 feeds the same input to
            // the promised (idle) stream and to the parent (see OPEN).
            I::SendPushPromise => To(S::ReservedLocal),
            I::RecvPushPromise => To(S::ReservedRemote),
            // h2: DATA on a stream object still idle (e.g. left behind by a failed push) is
            // a stream error; the RFC makes any frame but HEADERS/PRIORITY on an idle stream
            // a connection error. DATA on an id the connection never created is a connection
            // error before the stream machine is reached.
            I::RecvData => ResetOnError,
            // h2: ALTSVC on an idle stream is ignored.
            I::RecvAltSvc => To(S::Idle),
            // h2 (RFC 7540 §3.2): after an h2c upgrade stream 1 is half-closed on the side
            // that sent the HTTP/1.1 request.
            I::UpgradeClient => To(S::HalfClosedLocal),
            I::UpgradeServer => To(S::HalfClosedRemote),
            // RFC: RST_STREAM on an idle stream is a connection error. h2 never reaches the
            // stream machine with it: the connection ignores RST_STREAM for unknown streams.
            _ => Forbidden,
        },
        S::ReservedLocal => match input {
            // RFC: sending the response HEADERS half-closes (remote).
            I::SendHeaders => To(S::HalfClosedRemote),
            // RFC: RST_STREAM either way closes.
            I::SendRstStream | I::RecvRstStream => To(S::Closed),
            // RFC: WINDOW_UPDATE may be received.
            I::RecvWindowUpdate => To(S::ReservedLocal),
            // h2: sending WINDOW_UPDATE is accepted too (the RFC allows only HEADERS,
            // RST_STREAM and PRIORITY to be sent).
            I::SendWindowUpdate => To(S::ReservedLocal),
            // h2: DATA is a stream error (RFC: connection error PROTOCOL_ERROR).
            I::RecvData => ResetOnError,
            // h2: ALTSVC may be sent (before our response) and is ignored when received.
            I::SendAltSvc | I::RecvAltSvc => To(S::ReservedLocal),
            _ => Forbidden,
        },
        S::ReservedRemote => match input {
            // RFC: receiving the response HEADERS half-closes (local).
            I::RecvHeaders => To(S::HalfClosedLocal),
            // RFC: RST_STREAM either way closes.
            I::SendRstStream | I::RecvRstStream => To(S::Closed),
            // RFC: WINDOW_UPDATE may be sent.
            I::SendWindowUpdate => To(S::ReservedRemote),
            // h2: and received (the RFC lists only HEADERS, RST_STREAM, PRIORITY).
            I::RecvWindowUpdate => To(S::ReservedRemote),
            // h2: DATA is a stream error (RFC: connection error PROTOCOL_ERROR).
            I::RecvData => ResetOnError,
            // h2: ALTSVC for a pushed stream's origin.
            I::RecvAltSvc => To(S::ReservedRemote),
            _ => Forbidden,
        },
        S::Open => match input {
            // RFC: any frame either way; a second header block is trailers (h2).
            I::SendHeaders | I::RecvHeaders => To(S::Open),
            I::SendData | I::RecvData => To(S::Open),
            I::SendWindowUpdate | I::RecvWindowUpdate => To(S::Open),
            // RFC: END_STREAM half-closes on the side that sent it.
            I::SendEndStream => To(S::HalfClosedLocal),
            I::RecvEndStream => To(S::HalfClosedRemote),
            // RFC: RST_STREAM either way closes.
            I::SendRstStream | I::RecvRstStream => To(S::Closed),
            // RFC: the parent of a push stays open.
            I::SendPushPromise | I::RecvPushPromise => To(S::Open),
            // h2: 1xx header blocks and ALTSVC are their own inputs.
            I::SendInformationalHeaders | I::RecvInformationalHeaders => To(S::Open),
            I::SendAltSvc | I::RecvAltSvc => To(S::Open),
            // h2: CONTINUATION only exists inside a header block; a naked one is refused in
            // every state. The h2c upgrade applies to idle streams only.
            _ => Forbidden,
        },
        S::HalfClosedRemote => match input {
            // RFC: we may still send anything.
            I::SendHeaders | I::SendData | I::SendWindowUpdate => To(S::HalfClosedRemote),
            I::SendPushPromise | I::SendInformationalHeaders => To(S::HalfClosedRemote),
            I::SendAltSvc => To(S::HalfClosedRemote),
            // RFC: WINDOW_UPDATE may be received; h2: ALTSVC too.
            I::RecvWindowUpdate | I::RecvAltSvc => To(S::HalfClosedRemote),
            // RFC: our END_STREAM or RST_STREAM either way closes.
            I::SendEndStream | I::SendRstStream | I::RecvRstStream => To(S::Closed),
            // RFC: other frames are a stream error STREAM_CLOSED. h2 agrees for HEADERS and
            // DATA (it does not make late HEADERS a connection error); for PUSH_PROMISE the
            // connection refuses the promised stream instead (RST_STREAM REFUSED_STREAM).
            I::RecvHeaders | I::RecvData | I::RecvPushPromise => ResetOnError,
            // END_STREAM or a 1xx block can only come on a frame, which is reset above.
            _ => Forbidden,
        },
        S::HalfClosedLocal => match input {
            // RFC: we may receive anything.
            I::RecvHeaders | I::RecvData | I::RecvWindowUpdate => To(S::HalfClosedLocal),
            I::RecvPushPromise | I::RecvInformationalHeaders => To(S::HalfClosedLocal),
            I::RecvAltSvc => To(S::HalfClosedLocal),
            // RFC: we may still send WINDOW_UPDATE.
            I::SendWindowUpdate => To(S::HalfClosedLocal),
            // h2: ALTSVC is accepted by the table (its guard refuses it once our headers
            // went out, which sending END_STREAM implies for a server).
            I::SendAltSvc => To(S::HalfClosedLocal),
            // RFC: the peer's END_STREAM or RST_STREAM either way closes.
            I::RecvEndStream | I::SendRstStream | I::RecvRstStream => To(S::Closed),
            // RFC: we may not send HEADERS or DATA any more.
            _ => Forbidden,
        },
        S::Closed => match input {
            // RFC: WINDOW_UPDATE and RST_STREAM arriving shortly after closing may be
            // ignored; h2 also ignores END_STREAM and ALTSVC here.
            I::RecvWindowUpdate | I::RecvRstStream | I::RecvEndStream | I::RecvAltSvc => Ignored,
            // RFC: other frames are STREAM_CLOSED errors; h2 raises StreamClosedError and
            // lets the connection choose RST_STREAM or GOAWAY.
            I::RecvHeaders | I::RecvData => ClosedError,
            // RFC: nothing may be sent on a closed stream (PRIORITY aside).
            I::SendHeaders | I::SendData | I::SendWindowUpdate => ClosedError,
            I::SendEndStream | I::SendRstStream => ClosedError,
            // h2: pushes involving a closed stream.
            I::SendPushPromise | I::RecvPushPromise => PushOnClosed,
            _ => Forbidden,
        },
    }
}

/// The engine's table entry in the oracle's terms.
fn engine_rule(state: StreamState, input: StreamInput) -> Rule {
    match transition(state, input) {
        None => Rule::Forbidden,
        Some((Action::ResetStreamOnError, next)) => {
            assert_eq!(next, StreamState::Closed, "{state:?} × {input:?}");
            Rule::ResetOnError
        }
        Some((Action::RecvOnClosedStream | Action::SendOnClosedStream, next)) => {
            assert_eq!(next, StreamState::Closed, "{state:?} × {input:?}");
            Rule::ClosedError
        }
        Some((Action::RecvPushOnClosedStream | Action::SendPushOnClosedStream, next)) => {
            assert_eq!(next, StreamState::Closed, "{state:?} × {input:?}");
            Rule::PushOnClosed
        }
        Some((Action::None, StreamState::Closed)) if state == StreamState::Closed => Rule::Ignored,
        Some((_, next)) => Rule::To(next),
    }
}

/// Fails to compile if a stream input is added without updating the tests.
fn input_name(input: StreamInput) -> &'static str {
    use StreamInput as I;
    match input {
        I::SendHeaders => "SEND_HEADERS",
        I::SendPushPromise => "SEND_PUSH_PROMISE",
        I::SendRstStream => "SEND_RST_STREAM",
        I::SendData => "SEND_DATA",
        I::SendWindowUpdate => "SEND_WINDOW_UPDATE",
        I::SendEndStream => "SEND_END_STREAM",
        I::RecvHeaders => "RECV_HEADERS",
        I::RecvPushPromise => "RECV_PUSH_PROMISE",
        I::RecvRstStream => "RECV_RST_STREAM",
        I::RecvData => "RECV_DATA",
        I::RecvWindowUpdate => "RECV_WINDOW_UPDATE",
        I::RecvEndStream => "RECV_END_STREAM",
        I::RecvContinuation => "RECV_CONTINUATION",
        I::SendInformationalHeaders => "SEND_INFORMATIONAL_HEADERS",
        I::RecvInformationalHeaders => "RECV_INFORMATIONAL_HEADERS",
        I::SendAltSvc => "SEND_ALTERNATIVE_SERVICE",
        I::RecvAltSvc => "RECV_ALTERNATIVE_SERVICE",
        I::UpgradeClient => "UPGRADE_CLIENT",
        I::UpgradeServer => "UPGRADE_SERVER",
    }
}

fn state_name(state: StreamState) -> &'static str {
    match state {
        StreamState::Idle => "IDLE",
        StreamState::ReservedRemote => "RESERVED_REMOTE",
        StreamState::ReservedLocal => "RESERVED_LOCAL",
        StreamState::Open => "OPEN",
        StreamState::HalfClosedRemote => "HALF_CLOSED_REMOTE",
        StreamState::HalfClosedLocal => "HALF_CLOSED_LOCAL",
        StreamState::Closed => "CLOSED",
    }
}

fn all_pairs() -> impl Iterator<Item = (StreamState, StreamInput)> {
    StreamState::ALL.into_iter().flat_map(|s| StreamInput::ALL.into_iter().map(move |i| (s, i)))
}

#[test]
fn state_and_input_lists_are_complete() {
    let states: HashSet<_> = StreamState::ALL.iter().map(|&s| state_name(s)).collect();
    let inputs: HashSet<_> = StreamInput::ALL.iter().map(|&i| input_name(i)).collect();
    assert_eq!(states.len(), 7);
    assert_eq!(inputs.len(), 19);
}

#[test]
fn stream_table_matches_the_oracle_for_every_pair() {
    let mut mismatches = Vec::new();
    for (state, input) in all_pairs() {
        let (want, got) = (stream_oracle(state, input), engine_rule(state, input));
        if want != got {
            mismatches.push(format!(
                "{} × {}: oracle {want:?}, engine {got:?}",
                state_name(state),
                input_name(input)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn stream_table_allows_as_many_pairs_as_h2() {
    // python h2 4.4.1's table has 77 entries: 8 idle, 7 reserved (remote), 8 reserved
    // (local), 16 open, 14 half-closed (remote), 11 half-closed (local), 13 closed.
    let per_state: Vec<usize> = StreamState::ALL
        .iter()
        .map(|&s| {
            StreamInput::ALL.iter().filter(|&&i| stream_oracle(s, i) != Rule::Forbidden).count()
        })
        .collect();
    assert_eq!(per_state, [8, 7, 8, 16, 14, 11, 13]);
    let engine = all_pairs().filter(|&(s, i)| transition(s, i).is_some()).count();
    assert_eq!(engine, 77);
}

// ---- StreamMachine::process ----------------------------------------------------------------

fn machine(state: StreamState) -> StreamMachine {
    StreamMachine { state, ..StreamMachine::new() }
}

/// Every combination of the per-stream flags (and how a closed stream closed).
fn flag_variants(state: StreamState) -> Vec<StreamMachine> {
    let closed_by = [
        None,
        Some(ClosedBy::SendEndStream),
        Some(ClosedBy::RecvEndStream),
        Some(ClosedBy::SendRstStream),
        Some(ClosedBy::RecvRstStream),
    ];
    let mut out = Vec::new();
    for client in [None, Some(true), Some(false)] {
        for bits in 0u8..16 {
            for &closed_by in &closed_by {
                out.push(StreamMachine {
                    state,
                    client,
                    headers_sent: bits & 1 != 0,
                    trailers_sent: bits & 2 != 0,
                    headers_received: bits & 4 != 0,
                    trailers_received: bits & 8 != 0,
                    closed_by,
                });
            }
        }
    }
    out
}

#[test]
fn every_forbidden_input_is_a_protocol_error_that_forces_closed() {
    for (state, input) in all_pairs().filter(|&(s, i)| stream_oracle(s, i) == Rule::Forbidden) {
        for mut m in flag_variants(state) {
            let before = m;
            let result = m.process(input);
            assert!(
                matches!(result, Err(Fault::Protocol(_))),
                "{before:?} × {input:?}: {result:?}"
            );
            assert_eq!(m.state, StreamState::Closed, "{before:?} × {input:?}");
        }
    }
}

#[test]
fn process_agrees_with_the_oracle_for_every_pair_and_flag_combination() {
    for (state, input) in all_pairs() {
        let rule = stream_oracle(state, input);
        let mut taken = false;
        for mut m in flag_variants(state) {
            let before = m;
            let result = m.process(input);
            taken |= !matches!(result, Err(Fault::Protocol(_)));
            let ctx = format!("{before:?} × {input:?} → {result:?}, {:?}", m.state);
            match (&result, rule) {
                // A guard refused an allowed transition: same as a forbidden input.
                (Err(Fault::Protocol(_)), _) => assert_eq!(m.state, StreamState::Closed, "{ctx}"),
                (Ok(_), Rule::To(next)) => assert_eq!(m.state, next, "{ctx}"),
                (Ok(Outcome::Nothing), Rule::Ignored) => assert_eq!(m, before, "{ctx}"),
                (Err(Fault::ResetOnError), Rule::ResetOnError) => {
                    assert_eq!(m.state, StreamState::Closed, "{ctx}");
                    assert_eq!(m.closed_by, Some(ClosedBy::SendRstStream), "{ctx}");
                }
                (Err(Fault::Closed), Rule::ClosedError) => assert_eq!(m, before, "{ctx}"),
                (Err(Fault::Closed), Rule::PushOnClosed) => {
                    assert_eq!(input, StreamInput::RecvPushPromise, "{ctx}");
                    assert_eq!(before.closed_by, Some(ClosedBy::SendRstStream), "{ctx}");
                }
                _ => panic!("outcome does not match the oracle's {rule:?}: {ctx}"),
            }
        }
        // An allowed input must get through for some stream history (guards only narrow),
        // except pushing on a closed stream, which h2 lists only to refuse it.
        let always_refused = (state, input) == (StreamState::Closed, StreamInput::SendPushPromise);
        let expected = rule != Rule::Forbidden && !always_refused;
        assert_eq!(taken, expected, "{state:?} × {input:?} ({rule:?})");
    }
}

#[test]
fn transitions_into_closed_record_who_closed_the_stream() {
    // h2-behaviour §6.2: only the transition into CLOSED sets closed_by, from its input.
    for (state, input) in all_pairs() {
        if state == StreamState::Closed
            || stream_oracle(state, input) != Rule::To(StreamState::Closed)
        {
            continue;
        }
        let expected = match input {
            StreamInput::SendEndStream => ClosedBy::SendEndStream,
            StreamInput::RecvEndStream => ClosedBy::RecvEndStream,
            StreamInput::SendRstStream => ClosedBy::SendRstStream,
            StreamInput::RecvRstStream => ClosedBy::RecvRstStream,
            other => panic!("unexpected way into CLOSED: {other:?}"),
        };
        let mut m = machine(state);
        m.process(input).unwrap();
        assert_eq!(m.closed_by, Some(expected), "{state:?} × {input:?}");
    }
    // Half-closing records nothing.
    let mut m = machine(StreamState::Open);
    m.process(StreamInput::SendEndStream).unwrap();
    assert_eq!((m.state, m.closed_by), (StreamState::HalfClosedLocal, None));
}

#[test]
fn push_promise_on_a_closed_stream_depends_on_how_it_closed() {
    for closed_by in [
        None,
        Some(ClosedBy::SendEndStream),
        Some(ClosedBy::RecvEndStream),
        Some(ClosedBy::SendRstStream),
        Some(ClosedBy::RecvRstStream),
    ] {
        let closed = StreamMachine { closed_by, ..machine(StreamState::Closed) };
        // Received: only a parent we reset gives StreamClosedError (the promise is refused).
        let mut m = closed;
        let got = m.process(StreamInput::RecvPushPromise);
        if closed_by == Some(ClosedBy::SendRstStream) {
            assert_eq!(got, Err(Fault::Closed));
        } else {
            assert!(matches!(got, Err(Fault::Protocol(_))), "{closed_by:?}: {got:?}");
        }
        // Sent: always a ProtocolError.
        let mut m = closed;
        let got = m.process(StreamInput::SendPushPromise);
        assert!(matches!(got, Err(Fault::Protocol(_))), "{closed_by:?}: {got:?}");
        assert_eq!(m.state, StreamState::Closed);
    }
}

#[test]
fn guards_of_allowed_transitions_force_closed_when_they_fail() {
    // h2-behaviour §6.2: per-stream flags refuse some inputs the table allows.
    let open = machine(StreamState::Open);
    let client = StreamMachine { client: Some(true), headers_sent: true, ..open };
    let server = StreamMachine { client: Some(false), headers_received: true, ..open };
    let cases = [
        ("DATA before any headers", client, StreamInput::RecvData),
        (
            "1xx after the final response",
            StreamMachine { headers_received: true, ..client },
            StreamInput::RecvInformationalHeaders,
        ),
        (
            "sending 1xx after the final response",
            StreamMachine { headers_sent: true, ..server },
            StreamInput::SendInformationalHeaders,
        ),
        (
            "ALTSVC after our response",
            StreamMachine { headers_sent: true, ..server },
            StreamInput::SendAltSvc,
        ),
        (
            "a client sending a response",
            StreamMachine { headers_sent: false, ..client },
            StreamInput::SendHeaders,
        ),
        ("a client pushing", client, StreamInput::SendPushPromise),
        ("a push received by a server", server, StreamInput::RecvPushPromise),
        ("a push received on an unused stream", open, StreamInput::RecvPushPromise),
        (
            "a third block sent",
            StreamMachine { headers_sent: true, trailers_sent: true, ..server },
            StreamInput::SendHeaders,
        ),
        (
            "a third block received",
            StreamMachine { headers_received: true, trailers_received: true, ..client },
            StreamInput::RecvHeaders,
        ),
    ];
    for (what, before, input) in cases {
        assert!(transition(before.state, input).is_some(), "{what}: the table allows it");
        let mut m = before;
        let got = m.process(input);
        assert!(matches!(got, Err(Fault::Protocol(_))), "{what}: {got:?}");
        assert_eq!(m.state, StreamState::Closed, "{what}");
    }
}

#[test]
fn header_blocks_are_told_apart_by_the_stream_history() {
    // The outcomes h2 uses to pick request/response/trailers validation.
    let mut m = machine(StreamState::Idle);
    assert_eq!(m.process(StreamInput::SendHeaders), Ok(Outcome::RequestSent));
    assert_eq!(
        m.process(StreamInput::RecvInformationalHeaders),
        Ok(Outcome::InformationalReceived)
    );
    assert_eq!(m.process(StreamInput::RecvHeaders), Ok(Outcome::ResponseReceived));
    assert_eq!(m.process(StreamInput::RecvHeaders), Ok(Outcome::TrailersReceived));
    assert_eq!(m.process(StreamInput::RecvEndStream), Ok(Outcome::StreamEnded));
    assert_eq!(m.state, StreamState::HalfClosedRemote);

    let mut m = machine(StreamState::Idle);
    assert_eq!(m.process(StreamInput::RecvHeaders), Ok(Outcome::RequestReceived));
    assert_eq!(m.process(StreamInput::SendInformationalHeaders), Ok(Outcome::InformationalSent));
    assert_eq!(m.process(StreamInput::SendHeaders), Ok(Outcome::ResponseSent));
    assert_eq!(m.process(StreamInput::SendHeaders), Ok(Outcome::TrailersSent));
}

// ---- connection machine ----------------------------------------------------------------------

/// Fails to compile if a connection input or state is added without updating the tests.
fn connection_names(
    state: ConnectionState,
    input: ConnectionInput,
) -> (&'static str, &'static str) {
    use ConnectionInput as I;
    let s = match state {
        ConnectionState::Idle => "IDLE",
        ConnectionState::ClientOpen => "CLIENT_OPEN",
        ConnectionState::ServerOpen => "SERVER_OPEN",
        ConnectionState::Closed => "CLOSED",
    };
    let i = match input {
        I::SendHeaders => "SEND_HEADERS",
        I::SendPushPromise => "SEND_PUSH_PROMISE",
        I::SendData => "SEND_DATA",
        I::SendGoAway => "SEND_GOAWAY",
        I::SendWindowUpdate => "SEND_WINDOW_UPDATE",
        I::SendPing => "SEND_PING",
        I::SendSettings => "SEND_SETTINGS",
        I::SendRstStream => "SEND_RST_STREAM",
        I::SendPriority => "SEND_PRIORITY",
        I::SendAltSvc => "SEND_ALTERNATIVE_SERVICE",
        I::RecvHeaders => "RECV_HEADERS",
        I::RecvPushPromise => "RECV_PUSH_PROMISE",
        I::RecvData => "RECV_DATA",
        I::RecvGoAway => "RECV_GOAWAY",
        I::RecvWindowUpdate => "RECV_WINDOW_UPDATE",
        I::RecvPing => "RECV_PING",
        I::RecvSettings => "RECV_SETTINGS",
        I::RecvRstStream => "RECV_RST_STREAM",
        I::RecvPriority => "RECV_PRIORITY",
        I::RecvAltSvc => "RECV_ALTERNATIVE_SERVICE",
    };
    (s, i)
}

/// The connection oracle, from h2-behaviour §6.1.
fn connection_oracle(state: ConnectionState, input: ConnectionInput) -> Option<ConnectionState> {
    use ConnectionInput as I;
    use ConnectionState as S;
    // GOAWAY either way closes, from any state (CLOSED included).
    if matches!(input, I::SendGoAway | I::RecvGoAway) {
        return Some(S::Closed);
    }
    let allowed = match state {
        // SETTINGS, WINDOW_UPDATE, PING, PRIORITY either way keep it idle; the first HEADERS
        // or ALTSVC decides the flavour. DATA, RST_STREAM and PUSH_PROMISE are refused.
        S::Idle => {
            return match input {
                I::SendSettings | I::RecvSettings | I::SendWindowUpdate | I::RecvWindowUpdate => {
                    Some(S::Idle)
                }
                I::SendPing | I::RecvPing | I::SendPriority | I::RecvPriority => Some(S::Idle),
                I::SendHeaders | I::RecvAltSvc => Some(S::ClientOpen),
                I::RecvHeaders | I::SendAltSvc => Some(S::ServerOpen),
                _ => None,
            }
        }
        // A client may not push or advertise alternative services.
        S::ClientOpen => !matches!(input, I::SendPushPromise | I::SendAltSvc),
        // A server may not receive pushes.
        S::ServerOpen => input != I::RecvPushPromise,
        // Only GOAWAY (handled above).
        S::Closed => false,
    };
    allowed.then_some(state)
}

#[test]
fn connection_table_matches_the_oracle_for_every_pair() {
    let mut allowed = 0;
    let mut mismatches = Vec::new();
    for state in ConnectionState::ALL {
        for input in ConnectionInput::ALL {
            let want = connection_oracle(state, input);
            let got = next_state(state, input);
            allowed += usize::from(got.is_some());
            if want != got {
                let (s, i) = connection_names(state, input);
                mismatches.push(format!("{s} × {i}: oracle {want:?}, engine {got:?}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    // python h2 4.4.1's table has 53 entries: 14 idle, 18 client-open, 19 server-open, 2
    // closed.
    assert_eq!(allowed, 53);
    let inputs: HashSet<_> = ConnectionInput::ALL
        .iter()
        .map(|&i| connection_names(ConnectionState::Idle, i).1)
        .collect();
    assert_eq!(inputs.len(), 20);
}

#[test]
fn connection_machine_closes_on_every_refused_input() {
    for state in ConnectionState::ALL {
        for input in ConnectionInput::ALL {
            let mut m = ConnectionMachine { state };
            let result = m.process(input);
            match connection_oracle(state, input) {
                Some(next) => {
                    assert!(result.is_ok(), "{state:?} × {input:?}: {result:?}");
                    assert_eq!(m.state, next, "{state:?} × {input:?}");
                }
                None => {
                    let err = result.unwrap_err();
                    assert_eq!(err.type_name(), "ProtocolError", "{state:?} × {input:?}");
                    assert_eq!(m.state, ConnectionState::Closed, "{state:?} × {input:?}");
                }
            }
        }
    }
    assert_eq!(ConnectionMachine::new().state, ConnectionState::Idle);
}
