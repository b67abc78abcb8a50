//! Events reported by [`H2Connection::receive_data`](crate::H2Connection::receive_data).
//!
//! Every event of python h2 4.4.1 exists here with the same fields, plus
//! [`PriorityUpdateReceived`] (RFC 9218) and [`OriginReceived`] (RFC 8336). Related events
//! are bundled as h2 bundles them:
//!
//! * a header block with END_STREAM gives `[XReceived { stream_ended: Some(e), .. }, StreamEnded(e)]`;
//! * a header block with the PRIORITY flag adds `PriorityUpdated`, attached to the first event
//!   and listed after any `StreamEnded`: `[RequestReceived, StreamEnded, PriorityUpdated]`;
//! * DATA with END_STREAM gives `[DataReceived { stream_ended: Some(e), .. }, StreamEnded(e)]`;
//! * every non-ACK SETTINGS gives exactly one `RemoteSettingsChanged` (its ACK is already queued).

use bytes::Bytes;

use crate::error_code::ErrorCode;
use crate::frame::Unknown;
use crate::header::HeaderField;
use crate::settings::SettingCode;

/// Anything the peer did that the application may need to know.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Event {
    /// A request header block opened a stream (server side).
    RequestReceived(RequestReceived),
    /// The final response header block arrived on a stream we opened or that was pushed.
    ResponseReceived(ResponseReceived),
    /// A second header block (trailers) arrived; it always ends the stream.
    TrailersReceived(TrailersReceived),
    /// A 1xx response header block arrived.
    InformationalResponseReceived(InformationalResponseReceived),
    /// A DATA frame arrived (empty ones included).
    DataReceived(DataReceived),
    /// The peer's WINDOW_UPDATE opened a send window (stream 0 = connection).
    WindowUpdated(WindowUpdated),
    /// The peer's SETTINGS were applied and acknowledged.
    RemoteSettingsChanged(RemoteSettingsChanged),
    /// The peer acknowledged our SETTINGS.
    SettingsAcknowledged(SettingsAcknowledged),
    /// The peer sent a PING (the ACK is already queued).
    PingReceived(PingReceived),
    /// The peer answered one of our PINGs.
    PingAckReceived(PingAckReceived),
    /// The peer ended its side of a stream.
    StreamEnded(StreamEnded),
    /// A stream was reset, by the peer or by this engine in reaction to a peer error.
    StreamReset(StreamReset),
    /// The peer promised a pushed stream (client side).
    PushedStreamReceived(PushedStreamReceived),
    /// RFC 7540 priority information arrived (PRIORITY frame or HEADERS flag).
    PriorityUpdated(PriorityUpdated),
    /// The peer sent GOAWAY.
    ConnectionTerminated(ConnectionTerminated),
    /// The peer advertised an alternative service (RFC 7838, client side).
    AlternativeServiceAvailable(AlternativeServiceAvailable),
    /// A frame this engine does not act on.
    UnknownFrameReceived(UnknownFrameReceived),
    /// An RFC 9218 PRIORITY_UPDATE arrived (server side).
    PriorityUpdateReceived(PriorityUpdateReceived),
    /// An RFC 8336 ORIGIN frame arrived (client side).
    OriginReceived(OriginReceived),
}

impl Event {
    /// The python h2 class name of this event (`"RequestReceived"`).
    pub fn name(&self) -> &'static str {
        match self {
            Event::RequestReceived(_) => "RequestReceived",
            Event::ResponseReceived(_) => "ResponseReceived",
            Event::TrailersReceived(_) => "TrailersReceived",
            Event::InformationalResponseReceived(_) => "InformationalResponseReceived",
            Event::DataReceived(_) => "DataReceived",
            Event::WindowUpdated(_) => "WindowUpdated",
            Event::RemoteSettingsChanged(_) => "RemoteSettingsChanged",
            Event::SettingsAcknowledged(_) => "SettingsAcknowledged",
            Event::PingReceived(_) => "PingReceived",
            Event::PingAckReceived(_) => "PingAckReceived",
            Event::StreamEnded(_) => "StreamEnded",
            Event::StreamReset(_) => "StreamReset",
            Event::PushedStreamReceived(_) => "PushedStreamReceived",
            Event::PriorityUpdated(_) => "PriorityUpdated",
            Event::ConnectionTerminated(_) => "ConnectionTerminated",
            Event::AlternativeServiceAvailable(_) => "AlternativeServiceAvailable",
            Event::UnknownFrameReceived(_) => "UnknownFrameReceived",
            Event::PriorityUpdateReceived(_) => "PriorityUpdateReceived",
            Event::OriginReceived(_) => "OriginReceived",
        }
    }

    /// The stream the event concerns, if any (0 is never returned).
    pub fn stream_id(&self) -> Option<u32> {
        let id = match self {
            Event::RequestReceived(e) => e.stream_id,
            Event::ResponseReceived(e) => e.stream_id,
            Event::TrailersReceived(e) => e.stream_id,
            Event::InformationalResponseReceived(e) => e.stream_id,
            Event::DataReceived(e) => e.stream_id,
            Event::WindowUpdated(e) => e.stream_id,
            Event::StreamEnded(e) => e.stream_id,
            Event::StreamReset(e) => e.stream_id,
            Event::PushedStreamReceived(e) => e.parent_stream_id,
            Event::PriorityUpdated(e) => e.stream_id,
            Event::PriorityUpdateReceived(e) => e.prioritized_stream_id,
            Event::UnknownFrameReceived(e) => e.frame.stream_id,
            _ => 0,
        };
        (id != 0).then_some(id)
    }
}

/// A request header block opened a stream.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct RequestReceived {
    /// The new stream.
    pub stream_id: u32,
    /// The request header fields, in order.
    pub headers: Vec<HeaderField>,
    /// Set when the block carried END_STREAM (the same event follows in the list).
    pub stream_ended: Option<StreamEnded>,
    /// Set when the block carried priority fields (the same event follows in the list).
    pub priority_updated: Option<PriorityUpdated>,
}

/// The final (non-1xx) response header block arrived.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ResponseReceived {
    /// The stream.
    pub stream_id: u32,
    /// The response header fields.
    pub headers: Vec<HeaderField>,
    /// Set when the block carried END_STREAM.
    pub stream_ended: Option<StreamEnded>,
    /// Set when the block carried priority fields.
    pub priority_updated: Option<PriorityUpdated>,
}

/// Trailers arrived.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct TrailersReceived {
    /// The stream.
    pub stream_id: u32,
    /// The trailer fields.
    pub headers: Vec<HeaderField>,
    /// Always set: trailers end the stream.
    pub stream_ended: Option<StreamEnded>,
    /// Set when the block carried priority fields.
    pub priority_updated: Option<PriorityUpdated>,
}

/// A 1xx response arrived.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct InformationalResponseReceived {
    /// The stream.
    pub stream_id: u32,
    /// The header fields.
    pub headers: Vec<HeaderField>,
    /// Set when the block carried priority fields.
    pub priority_updated: Option<PriorityUpdated>,
}

/// A DATA frame arrived.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct DataReceived {
    /// The stream.
    pub stream_id: u32,
    /// The data, without padding.
    pub data: Bytes,
    /// What the frame used of the flow-control windows: the data plus, when padded, the Pad
    /// Length octet and the padding. Acknowledge this amount, not `data.len()`.
    pub flow_controlled_length: u32,
    /// Set when the frame carried END_STREAM.
    pub stream_ended: Option<StreamEnded>,
}

/// A WINDOW_UPDATE opened one of our send windows.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct WindowUpdated {
    /// The stream, or 0 for the connection window.
    pub stream_id: u32,
    /// The increment.
    pub delta: u32,
}

/// One setting that changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ChangedSetting {
    /// The setting.
    pub setting: SettingCode,
    /// The value in force before, or `None` if it had never been set.
    pub original_value: Option<u32>,
    /// The value in force now.
    pub new_value: u32,
}

/// The peer's SETTINGS frame, applied.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct RemoteSettingsChanged {
    /// Every setting in the frame, even unchanged ones, in the order each first appeared
    /// (a duplicate keeps the first position and the last value).
    pub changed_settings: Vec<ChangedSetting>,
}

/// The peer acknowledged our SETTINGS.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct SettingsAcknowledged {
    /// The local settings whose pending values became current.
    pub changed_settings: Vec<ChangedSetting>,
}

/// A PING arrived; the ACK is already queued.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PingReceived {
    /// The opaque data.
    pub ping_data: [u8; 8],
}

/// A PING ACK arrived.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PingAckReceived {
    /// The opaque data.
    pub ping_data: [u8; 8],
}

/// The peer ended its side of a stream.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct StreamEnded {
    /// The stream.
    pub stream_id: u32,
}

/// A stream was reset.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct StreamReset {
    /// The stream.
    pub stream_id: u32,
    /// The reason.
    pub error_code: ErrorCode,
    /// `true` when the peer sent RST_STREAM; `false` when this engine reset the stream
    /// because of something the peer sent (the RST_STREAM is already queued).
    pub remote_reset: bool,
}

/// The peer promised a pushed stream.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct PushedStreamReceived {
    /// The promised (even) stream.
    pub pushed_stream_id: u32,
    /// The stream the promise arrived on.
    pub parent_stream_id: u32,
    /// The promised request's header fields.
    pub headers: Vec<HeaderField>,
}

/// RFC 7540 priority information.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PriorityUpdated {
    /// The stream.
    pub stream_id: u32,
    /// Weight, 1 to 256.
    pub weight: u16,
    /// The stream depended on.
    pub depends_on: u32,
    /// Exclusive dependency.
    pub exclusive: bool,
}

/// The peer sent GOAWAY.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ConnectionTerminated {
    /// The reason.
    pub error_code: ErrorCode,
    /// The highest stream of ours the peer may have processed.
    pub last_stream_id: u32,
    /// The debug data, or `None` when empty.
    pub additional_data: Option<Bytes>,
}

/// An alternative service was advertised (RFC 7838).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct AlternativeServiceAvailable {
    /// The origin it applies to: from the frame on stream 0, or the `:authority` of the
    /// stream it arrived on (`None` if that request had none).
    pub origin: Option<Bytes>,
    /// The Alt-Svc field value.
    pub field_value: Bytes,
}

/// A frame this engine does not act on, kept whole.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct UnknownFrameReceived {
    /// The frame.
    pub frame: Unknown,
}

/// An RFC 9218 PRIORITY_UPDATE frame.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct PriorityUpdateReceived {
    /// The stream whose priority changes.
    pub prioritized_stream_id: u32,
    /// Urgency 0 (highest) to 7 parsed from the field value (default 3).
    pub urgency: u8,
    /// Incremental delivery parsed from the field value (default false).
    pub incremental: bool,
    /// The raw Priority Field Value.
    pub field_value: Bytes,
}

/// An RFC 8336 ORIGIN frame.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct OriginReceived {
    /// The origins, in frame order.
    pub origins: Vec<Bytes>,
}
