//! # h2wasm — a sans-I/O HTTP/2 engine
//!
//! h2wasm speaks HTTP/2 ([RFC 9113]) with its own HPACK ([RFC 7541]) and frame codec. It does
//! no I/O and reads no clock: bytes go in, events and bytes come out. The same crate compiles
//! natively and to `wasm32-unknown-unknown`, where a thin binding layer exposes it to every
//! JavaScript runtime.
//!
//! ## Layout
//!
//! | module | concern |
//! |---|---|
//! | [`error_code`] | HTTP/2 error codes ([RFC 9113 §7]) as a `u32` newtype |
//! | [`settings`] | SETTINGS parameters, defaults and validation ([RFC 9113 §6.5.2]) |
//! | [`frame`] | parsing and serialising every frame; no connection state |
//! | [`hpack`] | header compression: decoder, encoder, Huffman code, dynamic table |
//! | [`connection`] | [`H2Connection`]: state machines, flow control, header rules, events |
//! | [`config`] | [`H2Configuration`] and every [`Limits`] knob with its default |
//! | [`events`] | [`Event`]s reported by `receive_data` |
//! | [`error`] | [`H2Error`], mirroring python h2's exceptions |
//!
//! ## Safety rules
//!
//! No peer input can make this crate panic: in WebAssembly a panic traps and kills the whole
//! instance. `unwrap`, `expect`, `panic!` and unchecked slice indexing are denied in `src/`
//! (tests may use them), and the parsers are fuzzed.
//!
//! [RFC 9113]: https://www.rfc-editor.org/rfc/rfc9113
//! [RFC 7541]: https://www.rfc-editor.org/rfc/rfc7541
//! [RFC 9113 §7]: https://www.rfc-editor.org/rfc/rfc9113#section-7
//! [RFC 9113 §6.5.2]: https://www.rfc-editor.org/rfc/rfc9113#section-6.5.2
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations, unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

#[macro_use]
mod msg;

pub mod config;
pub mod connection;
pub mod error;
pub mod error_code;
pub mod events;
pub mod frame;
pub mod header;
pub mod hpack;
pub mod settings;
#[cfg(all(target_arch = "wasm32", not(feature = "no-js")))]
pub mod wasm;

pub use config::{H2Configuration, Limits};
pub use connection::send::PriorityArgs;
pub use connection::{H2Connection, ReceiveError};
pub use error::{ErrorKind, H2Error, H2Result};
pub use error_code::ErrorCode;
pub use events::Event;
pub use header::HeaderField;
pub use settings::{Setting, SettingCode};
