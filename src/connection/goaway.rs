//! Graceful shutdown ([RFC 9113 §6.8]): GOAWAY that announces the end of the connection
//! without ending the streams already under way.
//!
//! python h2 treats GOAWAY, sent or received, as the end of everything: the connection machine
//! moves to CLOSED and any further frame is a protocol error, so streams cannot be drained
//! (python-hyper/h2 #1181, #1199). h2wasm keeps that behaviour for
//! [`close_connection`](H2Connection::close_connection) and for received GOAWAY by default,
//! and adds the RFC's graceful path:
//!
//! * [`send_goaway`](H2Connection::send_goaway) queues a GOAWAY and keeps the connection
//!   working for the streams at or below its last-stream-id; it may be sent again with a lower
//!   id (the double GOAWAY of §6.8: first 2³¹−1, then the real last id one round trip later).
//!   New streams the peer opens above the id are refused with RST_STREAM(REFUSED_STREAM), their
//!   header blocks still decoded to keep HPACK in step; we open no new streams.
//! * With `graceful_shutdown` in the configuration, a GOAWAY from the peer is reported
//!   (`ConnectionTerminated`) but leaves the connection working for the streams the peer has
//!   already accepted; opening new streams is refused.
//!
//! [RFC 9113 §6.8]: https://www.rfc-editor.org/rfc/rfc9113#section-6.8

use bytes::Bytes;

use super::state::ConnectionState;
use super::H2Connection;
use crate::error::{H2Error, H2Result};
use crate::error_code::ErrorCode;
use crate::frame;

impl H2Connection {
    /// Sends GOAWAY without closing the connection: streams the peer opened up to
    /// `last_stream_id` (default: the highest it opened) may still complete; newer ones are
    /// refused. May be called again to lower the id. After [`close_connection`] or a
    /// connection error it simply queues another GOAWAY, as `close_connection` would.
    ///
    /// [`close_connection`]: H2Connection::close_connection
    pub fn send_goaway(
        &mut self,
        error_code: ErrorCode,
        last_stream_id: Option<u32>,
        debug_data: Option<Bytes>,
    ) -> H2Result<()> {
        if self.machine.state == ConnectionState::Closed {
            return self.close_connection(error_code, debug_data, last_stream_id);
        }
        let last = last_stream_id.unwrap_or(self.highest_inbound).min(super::MAX_STREAM_ID);
        let last = self.local_goaway.map_or(last, |previous| previous.min(last));
        self.local_goaway = Some(last);
        self.queue(frame::GoAway {
            last_stream_id: last,
            error_code,
            debug_data: debug_data.unwrap_or_default(),
        });
        Ok(())
    }

    /// The last-stream-id of the GOAWAY we sent with [`send_goaway`](Self::send_goaway), if any.
    pub fn goaway_sent(&self) -> Option<u32> {
        self.local_goaway
    }

    /// The last-stream-id of the GOAWAY the peer sent (recorded with `graceful_shutdown`).
    pub fn goaway_received(&self) -> Option<u32> {
        self.remote_goaway
    }

    /// Whether a new stream `stream_id` from the peer comes after our GOAWAY and must be
    /// refused.
    pub(super) fn refused_by_goaway(&self, stream_id: u32) -> bool {
        self.local_goaway.is_some_and(|last| stream_id > last) && !self.streams.contains(stream_id)
    }

    /// Refuses a stream the peer opened after our GOAWAY: RST_STREAM(REFUSED_STREAM), and the
    /// id is remembered as closed by that reset so that its late frames get RST_STREAM too.
    pub(super) fn refuse_stream(&mut self, stream_id: u32) {
        if stream_id > self.highest_inbound {
            self.highest_inbound = stream_id;
        }
        self.streams.remember_refused(stream_id);
        self.queued_control = self.queued_control.saturating_add(1);
        self.queue(frame::RstStream { stream_id, error_code: ErrorCode::REFUSED_STREAM });
    }

    /// Refuses to open a stream once either side has sent GOAWAY.
    pub(super) fn check_may_open_stream(&self) -> H2Result<()> {
        if self.local_goaway.is_some() || self.remote_goaway.is_some() {
            return Err(H2Error::protocol("connection is shutting down (GOAWAY): no new streams"));
        }
        Ok(())
    }

    /// A GOAWAY from the peer under `graceful_shutdown`: record its last-stream-id.
    pub(super) fn note_remote_goaway(&mut self, last_stream_id: u32) {
        self.remote_goaway =
            Some(self.remote_goaway.map_or(last_stream_id, |p| p.min(last_stream_id)));
    }
}
