//! Configuration: python h2's `H2Configuration` options plus every limit this engine enforces,
//! in one place, each with a documented default.
//!
//! Defaults reproduce python h2 4.4.1 byte for byte where h2 has the same knob (the initial
//! SETTINGS frame, window sizes, the closed-stream memory, the CONTINUATION cap). Limits that
//! h2 lacks default to values that never trigger in ordinary traffic.

use std::fmt;
use std::sync::Arc;

/// A sink for debug messages (python h2's `logger`). It is called only when set, so logging
/// costs nothing by default.
pub type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// Every limit the engine enforces. The first five are advertised to the peer in our initial
/// SETTINGS frame; the rest are local.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// SETTINGS_MAX_CONCURRENT_STREAMS we advertise and enforce: a new inbound stream beyond
    /// it is a connection error (h2 behaviour). Default **100**.
    pub max_concurrent_streams: u32,
    /// SETTINGS_MAX_HEADER_LIST_SIZE we advertise and enforce while decoding (name + value +
    /// 32 per field); a larger list is a connection error ENHANCE_YOUR_CALM. Default **65,536**.
    pub max_header_list_size: u32,
    /// SETTINGS_INITIAL_WINDOW_SIZE we advertise: the receive window of each new stream.
    /// A value below 65,535 binds only once the peer has acknowledged our first SETTINGS
    /// (RFC 9113 §6.5.3); until then streams get the default window. Default **65,535**.
    pub initial_window_size: u32,
    /// SETTINGS_MAX_FRAME_SIZE we advertise: the largest frame payload we accept
    /// (16,384 to 16,777,215). Larger frames are rejected from their 9-octet header, before
    /// the payload is buffered. Default **16,384**.
    pub max_inbound_frame_size: u32,
    /// SETTINGS_HEADER_TABLE_SIZE we advertise: the largest HPACK dynamic table the peer may
    /// make us keep. A value below 4,096 binds only once the peer has acknowledged our first
    /// SETTINGS (RFC 9113 §6.5.3; after that its next header block must start with a table
    /// size update). Default **4,096**.
    pub header_table_size: u32,
    /// The most memory our HPACK *encoder* table may use, whatever the peer allows.
    /// Default **4,096** (hyperium/h2, nghttp2 and Node use the same cap).
    pub max_encoder_table_size: u32,
    /// How many closed streams are remembered (to answer late frames with RST_STREAM rather
    /// than a connection error). Oldest are forgotten first. Default **65,536** (h2's
    /// `MAX_CLOSED_STREAMS`).
    pub max_closed_streams: usize,
    /// Frames in one header block (HEADERS or PUSH_PROMISE plus CONTINUATIONs); one more is a
    /// connection error. Default **64** (h2's `CONTINUATION_BACKLOG`).
    pub max_header_block_frames: usize,
    /// Octets in one header block before decoding. Default **1 MiB** (64 frames of 16 KiB,
    /// h2's effective bound at default settings).
    pub max_header_block_size: usize,
    /// Control frames (SETTINGS ACK, PING ACK, RST_STREAM) the engine queues in reply to the
    /// peer while the application does not drain [`data_to_send`]; past it, the peer is
    /// flooding us (CVE-2019-9512/9514/9515) and the connection fails with
    /// ENHANCE_YOUR_CALM. Default **10,000**.
    ///
    /// [`data_to_send`]: crate::H2Connection::data_to_send
    pub max_queued_control_frames: usize,
    /// Entries kept by the opt-in frame trace before the oldest are dropped.
    /// Default **4,096**.
    pub max_trace_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_concurrent_streams: 100,
            max_header_list_size: 65_536,
            initial_window_size: 65_535,
            max_inbound_frame_size: 16_384,
            header_table_size: 4_096,
            max_encoder_table_size: 4_096,
            max_closed_streams: 65_536,
            max_header_block_frames: 64,
            max_header_block_size: 1 << 20,
            max_queued_control_frames: 10_000,
            max_trace_entries: 4_096,
        }
    }
}

/// How an [`H2Connection`](crate::H2Connection) behaves (python h2's `H2Configuration`, plus
/// [`Limits`] and a few switches h2 lacks).
#[derive(Clone)]
pub struct H2Configuration {
    /// Client or server. Decides the preface, stream-id parity, the default ENABLE_PUSH and
    /// who may push or prioritise. Default **true**.
    pub client_side: bool,
    /// Check outbound header blocks (RFC 9113 §8.2–8.3) before sending. Default **true**.
    pub validate_outbound_headers: bool,
    /// Lowercase outbound names, strip surrounding whitespace, drop connection-specific
    /// fields, never-index credentials and short cookies. Default **true**.
    pub normalize_outbound_headers: bool,
    /// With normalisation, split each outbound `cookie` on `"; "` into separate fields
    /// (better HPACK compression). Default **false**.
    pub split_outbound_cookies: bool,
    /// Check inbound header blocks; a failure is a connection error PROTOCOL_ERROR.
    /// Default **true**.
    pub validate_inbound_headers: bool,
    /// Join inbound `cookie` fields into one, placed last. Default **true**.
    pub normalize_inbound_headers: bool,
    /// Advertise SETTINGS_ENABLE_PUSH = 1. `None` means the role default: yes for a client,
    /// no for a server. Default **None**.
    pub enable_push: Option<bool>,
    /// Advertise SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (RFC 8441) so the peer may send
    /// extended CONNECT. Default **false**.
    pub enable_connect_protocol: bool,
    /// Where python h2 departs from the RFCs, follow the RFCs: HPACK errors are
    /// COMPRESSION_ERROR (h2: PROTOCOL_ERROR), a SETTINGS ACK with a payload is
    /// FRAME_SIZE_ERROR (h2: PROTOCOL_ERROR), and a malformed PRIORITY_UPDATE is a connection
    /// error (default: reported as an unknown frame, as h2 does). Default **false**.
    pub strict_rfc: bool,
    /// A GOAWAY from the peer leaves the connection working for the streams it already
    /// accepted (RFC 9113 §6.8) instead of ending everything as python h2 does; see
    /// [`send_goaway`](crate::H2Connection::send_goaway) for our side. Session drivers turn
    /// it on. Default **false**.
    pub graceful_shutdown: bool,
    /// A peer stream beyond our SETTINGS_MAX_CONCURRENT_STREAMS is refused with RST_STREAM
    /// REFUSED_STREAM, a stream error the peer may retry (RFC 9113 §5.1.2), instead of
    /// python h2's connection error PROTOCOL_ERROR. Session drivers turn it on.
    /// Default **false**.
    pub refuse_excess_streams: bool,
    /// Record the header of every frame sent and received for
    /// [`take_frame_trace`](crate::H2Connection::take_frame_trace). Default **false**.
    pub frame_trace: bool,
    /// Debug messages sink. Default **None**.
    pub logger: Option<Logger>,
    /// Limits; see [`Limits`].
    pub limits: Limits,
}

impl Default for H2Configuration {
    fn default() -> Self {
        H2Configuration {
            client_side: true,
            validate_outbound_headers: true,
            normalize_outbound_headers: true,
            split_outbound_cookies: false,
            validate_inbound_headers: true,
            normalize_inbound_headers: true,
            enable_push: None,
            enable_connect_protocol: false,
            strict_rfc: false,
            graceful_shutdown: false,
            refuse_excess_streams: false,
            frame_trace: false,
            logger: None,
            limits: Limits::default(),
        }
    }
}

impl H2Configuration {
    /// The default client configuration.
    pub fn client() -> Self {
        Self::default()
    }

    /// The default server configuration.
    pub fn server() -> Self {
        H2Configuration { client_side: false, ..Self::default() }
    }
}

impl fmt::Debug for H2Configuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("H2Configuration")
            .field("client_side", &self.client_side)
            .field("validate_outbound_headers", &self.validate_outbound_headers)
            .field("normalize_outbound_headers", &self.normalize_outbound_headers)
            .field("split_outbound_cookies", &self.split_outbound_cookies)
            .field("validate_inbound_headers", &self.validate_inbound_headers)
            .field("normalize_inbound_headers", &self.normalize_inbound_headers)
            .field("enable_push", &self.enable_push)
            .field("enable_connect_protocol", &self.enable_connect_protocol)
            .field("strict_rfc", &self.strict_rfc)
            .field("refuse_excess_streams", &self.refuse_excess_streams)
            .field("graceful_shutdown", &self.graceful_shutdown)
            .field("frame_trace", &self.frame_trace)
            .field("logger", &self.logger.as_ref().map(|_| "<fn>"))
            .field("limits", &self.limits)
            .finish()
    }
}
