//! Helpers shared by the frame codec tests.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use bytes::Bytes;
use h2wasm::frame::{
    AltSvc, Continuation, Data, Frame, FrameDecoder, FrameError, GoAway, Headers, Origin, Ping,
    Priority, PrioritySpec, PriorityUpdate, PushPromise, RstStream, Settings, Unknown,
    WindowUpdate,
};
use h2wasm::settings::{Setting, SettingCode};
use h2wasm::ErrorCode;

/// The default SETTINGS_MAX_FRAME_SIZE.
pub const MAX: u32 = 16_384;

/// Decodes hex written with optional spaces and newlines: `"000005 00 01"`.
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits in {s:?}");
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

/// Parses exactly one frame that fills `wire`, with the default maximum frame size.
pub fn parse(wire: &[u8]) -> Result<Frame, FrameError> {
    parse_max(wire, MAX)
}

/// Parses exactly one frame that fills `wire`, accepting payloads up to `max` octets.
pub fn parse_max(wire: &[u8], max: u32) -> Result<Frame, FrameError> {
    let src = Bytes::copy_from_slice(wire);
    let (frame, used) = Frame::parse_one(&src, max)?.expect("a complete frame");
    assert_eq!(used, wire.len(), "the frame does not fill the input");
    Ok(frame)
}

/// Parses a whole stream with `Frame::parse_one`, stopping at the first error or at an
/// incomplete tail.
pub fn parse_all(stream: &Bytes, max: u32) -> (Vec<Frame>, Option<FrameError>) {
    let mut frames = Vec::new();
    let mut at = 0;
    loop {
        match Frame::parse_one(&stream.slice(at..), max) {
            Ok(Some((frame, used))) => {
                frames.push(frame);
                at += used;
            }
            Ok(None) => return (frames, None),
            Err(err) => return (frames, Some(err)),
        }
    }
}

/// Takes every frame the decoder can give now; stops at `Ok(None)` or at the first error.
pub fn drain(dec: &mut FrameDecoder, out: &mut Vec<Frame>) -> Option<FrameError> {
    loop {
        match dec.next_frame() {
            Ok(Some(frame)) => out.push(frame),
            Ok(None) => return None,
            Err(err) => return Some(err),
        }
    }
}

/// A small deterministic generator (xorshift64*) for chunk sizes.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `1..=max`.
    pub fn between_1_and(&mut self, max: usize) -> usize {
        (self.next_u64() % max as u64) as usize + 1
    }
}

/// One frame of every type the codec knows, plus an unknown one, in several variants.
pub fn sample_frames() -> Vec<Frame> {
    let prio = PrioritySpec { dependency: 3, exclusive: true, weight: 256 };
    vec![
        Settings {
            ack: false,
            settings: vec![
                Setting::new(SettingCode::MAX_CONCURRENT_STREAMS, 100),
                Setting::new(SettingCode(0x7777), 1),
            ],
        }
        .into(),
        Settings::ack().into(),
        Headers {
            stream_id: 1,
            end_stream: false,
            end_headers: true,
            pad_len: None,
            priority: None,
            fragment: Bytes::from_static(&[0x82, 0x86, 0x84, 0x41]),
        }
        .into(),
        Headers {
            stream_id: 3,
            end_stream: true,
            end_headers: false,
            pad_len: Some(7),
            priority: Some(prio),
            fragment: Bytes::from_static(b"abc"),
        }
        .into(),
        Continuation { stream_id: 3, end_headers: true, fragment: Bytes::from_static(b"def") }
            .into(),
        Data::new(1, Bytes::from_static(b"hello"), false).into(),
        Data { stream_id: 1, end_stream: true, pad_len: Some(0), data: Bytes::from_static(b"x") }
            .into(),
        Data { stream_id: 5, end_stream: false, pad_len: Some(255), data: Bytes::new() }.into(),
        Priority {
            stream_id: 7,
            spec: PrioritySpec { dependency: 1, exclusive: false, weight: 1 },
        }
        .into(),
        RstStream { stream_id: 7, error_code: ErrorCode::CANCEL }.into(),
        PushPromise {
            stream_id: 1,
            promised_stream_id: 2,
            end_headers: true,
            pad_len: Some(3),
            fragment: Bytes::from_static(b"pp"),
        }
        .into(),
        Ping { ack: false, payload: *b"12345678" }.into(),
        Ping { ack: true, payload: *b"87654321" }.into(),
        GoAway {
            last_stream_id: 9,
            error_code: ErrorCode::NO_ERROR,
            debug_data: Bytes::from_static(b"bye"),
        }
        .into(),
        WindowUpdate { stream_id: 0, increment: 1 << 20 }.into(),
        WindowUpdate { stream_id: 1, increment: 0x7fff_ffff }.into(),
        AltSvc {
            stream_id: 0,
            origin: Bytes::from_static(b"https://example.com"),
            field_value: Bytes::from_static(b"h2=\":443\""),
        }
        .into(),
        AltSvc { stream_id: 1, origin: Bytes::new(), field_value: Bytes::from_static(b"clear") }
            .into(),
        Origin::from_origins(["https://a.example", "https://b.example"]).into(),
        PriorityUpdate { prioritized_stream_id: 1, field_value: Bytes::from_static(b"u=1, i") }
            .into(),
        Unknown {
            kind: 0xfa,
            flags: 0xff,
            stream_id: 0x7fff_ffff,
            payload: Bytes::from_static(b"?"),
        }
        .into(),
        Unknown { kind: 0x0b, flags: 0, stream_id: 0, payload: Bytes::new() }.into(),
    ]
}

/// Serialises frames one after another.
pub fn encode_all(frames: &[Frame]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in frames {
        f.encode(&mut out);
    }
    out
}
