//! Engine benchmark: the scenarios of `../shared/bench/python_h2_baseline.py`, run on an
//! in-memory client–server pair (bytes handed straight from `data_to_send` to the peer's
//! `receive_bytes`), so the two can be compared in one run (see `bench/compare.py`).
//!
//! ```text
//! cargo bench --bench engine -- [--repeat N] [--quick] [--json OUT]
//! ```

use std::hint::black_box;
use std::time::Instant;

use bytes::Bytes;
use h2wasm::events::Event;
use h2wasm::frame::{self, Frame};
use h2wasm::hpack::{Encoder, Indexing};
use h2wasm::{H2Configuration, H2Connection, HeaderField, PriorityArgs, Setting, SettingCode};

const MB: f64 = 1_000_000.0;
const BODY: &[u8] = b"hello, world\n";

fn request() -> Vec<HeaderField> {
    [
        (":method", "GET"),
        (":path", "/index.html"),
        (":scheme", "https"),
        (":authority", "example.com"),
        ("user-agent", "bench/1.0"),
    ]
    .iter()
    .map(|(n, v)| HeaderField::new(n.as_bytes().to_vec(), v.as_bytes().to_vec()))
    .collect()
}

fn response() -> Vec<HeaderField> {
    [(":status", "200"), ("content-type", "text/plain"), ("content-length", "13")]
        .iter()
        .map(|(n, v)| HeaderField::new(n.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}

/// Moves output from one side to the other; the events land in `events` (reused, as the
/// allocation-free `receive_into` allows).
fn pump_into(from: &mut H2Connection, to: &mut H2Connection, events: &mut Vec<Event>) {
    events.clear();
    let bytes = from.data_to_send(None);
    if !bytes.is_empty() {
        to.receive_into(bytes, events).expect("peer rejected data");
    }
}

fn pump(from: &mut H2Connection, to: &mut H2Connection) -> Vec<Event> {
    let mut events = Vec::new();
    pump_into(from, to, &mut events);
    events
}

fn pair(server_settings: &[Setting]) -> (H2Connection, H2Connection) {
    let mut cli = H2Connection::new(H2Configuration::client());
    let mut srv = H2Connection::new(H2Configuration::server());
    cli.initiate_connection().unwrap();
    srv.initiate_connection().unwrap();
    if !server_settings.is_empty() {
        srv.update_settings(server_settings).unwrap();
    }
    pump(&mut cli, &mut srv);
    pump(&mut srv, &mut cli);
    pump(&mut cli, &mut srv);
    pump(&mut srv, &mut cli);
    (cli, srv)
}

fn serve(srv: &mut H2Connection, events: &[Event], response: &[HeaderField]) {
    for ev in events {
        if let Event::RequestReceived(r) = ev {
            srv.send_headers(r.stream_id, response, false, PriorityArgs::default()).unwrap();
            srv.send_data(r.stream_id, Bytes::from_static(BODY), true, None).unwrap();
        }
    }
}

fn client_consume(cli: &mut H2Connection, events: &[Event]) -> usize {
    let mut done = 0;
    for ev in events {
        match ev {
            Event::DataReceived(d) => cli
                .acknowledge_received_data(u64::from(d.flow_controlled_length), d.stream_id)
                .unwrap(),
            Event::StreamEnded(_) => done += 1,
            _ => {}
        }
    }
    done
}

/// a1: `n` GETs, one at a time.
fn get_sequential(n: usize) -> f64 {
    let (mut cli, mut srv) = pair(&[]);
    let (req, resp) = (request(), response());
    let mut done = 0;
    let mut ev = Vec::new();
    let t0 = Instant::now();
    for _ in 0..n {
        let id = cli.get_next_available_stream_id().unwrap();
        cli.send_headers(id, &req, true, PriorityArgs::default()).unwrap();
        pump_into(&mut cli, &mut srv, &mut ev);
        serve(&mut srv, &ev, &resp);
        pump_into(&mut srv, &mut cli, &mut ev);
        done += client_consume(&mut cli, &ev);
        pump_into(&mut cli, &mut srv, &mut ev);
    }
    let dt = t0.elapsed().as_secs_f64();
    assert_eq!(done, n);
    dt
}

/// a2: `n` GETs in waves of 100 concurrent streams.
fn get_concurrent(n: usize) -> f64 {
    let (mut cli, mut srv) = pair(&[]);
    let (req, resp) = (request(), response());
    let mut done = 0;
    let mut ev = Vec::new();
    let t0 = Instant::now();
    while done < n {
        for _ in 0..100.min(n - done) {
            let id = cli.get_next_available_stream_id().unwrap();
            cli.send_headers(id, &req, true, PriorityArgs::default()).unwrap();
        }
        pump_into(&mut cli, &mut srv, &mut ev);
        serve(&mut srv, &ev, &resp);
        pump_into(&mut srv, &mut cli, &mut ev);
        done += client_consume(&mut cli, &ev);
        pump_into(&mut cli, &mut srv, &mut ev);
    }
    let dt = t0.elapsed().as_secs_f64();
    assert_eq!(done, n);
    dt
}

/// b1/b2: upload `total` octets on one stream.
fn upload(total: usize, server_settings: &[Setting], conn_increment: Option<u32>) -> f64 {
    let (mut cli, mut srv) = pair(server_settings);
    if let Some(inc) = conn_increment {
        srv.increment_flow_control_window(inc, None).unwrap();
        pump(&mut srv, &mut cli);
    }
    let chunk = Bytes::from(vec![0u8; 1 << 24]);
    let headers: Vec<HeaderField> = [
        (":method", "POST"),
        (":path", "/upload"),
        (":scheme", "https"),
        (":authority", "example.com"),
    ]
    .iter()
    .map(|(n, v)| HeaderField::new(n.as_bytes().to_vec(), v.as_bytes().to_vec()))
    .collect();
    cli.send_headers(1, headers, false, PriorityArgs::default()).unwrap();
    let (mut sent, mut received) = (0usize, 0usize);
    let t0 = Instant::now();
    while received < total {
        while sent < total {
            let window = cli.local_flow_control_window(1).unwrap().max(0) as usize;
            let room = window.min(cli.max_outbound_frame_size() as usize).min(total - sent);
            if room == 0 {
                break;
            }
            cli.send_data(1, chunk.slice(..room), sent + room == total, None).unwrap();
            sent += room;
        }
        for ev in pump(&mut cli, &mut srv) {
            if let Event::DataReceived(d) = ev {
                received += d.data.len();
                srv.acknowledge_received_data(u64::from(d.flow_controlled_length), d.stream_id)
                    .unwrap();
            }
        }
        pump(&mut srv, &mut cli);
    }
    t0.elapsed().as_secs_f64()
}

/// A server that accepted a client preface and raised its windows and frame size.
fn big_window_server(max_frame: u32, window: u32, max_streams: Option<u32>) -> H2Connection {
    let mut srv = H2Connection::new(H2Configuration::server());
    srv.initiate_connection().unwrap();
    let mut preface = frame::PREFACE.to_vec();
    Frame::from(frame::Settings::default()).encode(&mut preface);
    srv.receive_data(&preface).unwrap();
    let mut settings = vec![
        Setting::new(SettingCode::INITIAL_WINDOW_SIZE, window),
        Setting::new(SettingCode::MAX_FRAME_SIZE, max_frame),
    ];
    if let Some(m) = max_streams {
        settings.push(Setting::new(SettingCode::MAX_CONCURRENT_STREAMS, m));
    }
    srv.update_settings(&settings).unwrap();
    srv.receive_data(&Frame::from(frame::Settings::ack()).to_bytes()).unwrap();
    if window > 65_535 {
        srv.increment_flow_control_window(window - 65_535, None).unwrap();
    }
    srv.clear_outbound_data_buffer();
    srv
}

fn encode_block(enc: &mut Encoder, headers: &[(&str, &str)]) -> Bytes {
    let mut out = Vec::new();
    enc.encode(headers.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes(), Indexing::Auto)), &mut out);
    Bytes::from(out)
}

const REQ: &[(&str, &str)] = &[
    (":method", "GET"),
    (":path", "/index.html"),
    (":scheme", "https"),
    (":authority", "example.com"),
    ("user-agent", "bench/1.0"),
];

/// c1: one buffer of 16 KiB DATA frames in one call. Returns (seconds, octets, frames).
fn parse_data(total: usize) -> (f64, usize, usize) {
    let frame_size = 16_384;
    let mut enc = Encoder::new();
    let mut buf = Vec::new();
    let head = frame::Headers {
        stream_id: 1,
        end_headers: true,
        fragment: encode_block(&mut enc, &REQ[..4]),
        ..Default::default()
    };
    Frame::from(head).encode(&mut buf);
    let one =
        Frame::from(frame::Data::new(1, Bytes::from(vec![0u8; frame_size]), false)).to_bytes();
    let n = total / frame_size;
    for _ in 0..n {
        buf.extend_from_slice(&one);
    }
    let mut srv = big_window_server(frame_size as u32, (1 << 31) - 1, None);
    let bytes = Bytes::from(buf);
    let len = bytes.len();
    let t0 = Instant::now();
    let events = srv.receive_bytes(bytes).unwrap();
    let dt = t0.elapsed().as_secs_f64();
    assert_eq!(events.len(), 1 + n);
    black_box(events);
    (dt, len, n + 1)
}

/// c2: `n` WINDOW_UPDATE frames on stream 0 in one call.
fn parse_small(n: usize) -> (f64, usize, usize) {
    let one = Frame::from(frame::WindowUpdate { stream_id: 0, increment: 1 }).to_bytes();
    let buf: Vec<u8> = one.iter().copied().cycle().take(one.len() * n).collect();
    let mut srv = big_window_server(16_384, 65_535, None);
    let bytes = Bytes::from(buf);
    let len = bytes.len();
    let t0 = Instant::now();
    let events = srv.receive_bytes(bytes).unwrap();
    let dt = t0.elapsed().as_secs_f64();
    assert_eq!(events.len(), n);
    (dt, len, n)
}

/// c3: `n` HEADERS(END_STREAM) + RST_STREAM(CANCEL) pairs in one call.
fn parse_headers_reset(n: usize) -> (f64, usize, usize) {
    let mut enc = Encoder::new();
    let mut buf = Vec::new();
    for i in 0..n {
        let id = 2 * i as u32 + 1;
        let h = frame::Headers {
            stream_id: id,
            end_stream: true,
            end_headers: true,
            fragment: encode_block(&mut enc, REQ),
            ..Default::default()
        };
        Frame::from(h).encode(&mut buf);
        Frame::from(frame::RstStream { stream_id: id, error_code: h2wasm::ErrorCode::CANCEL })
            .encode(&mut buf);
    }
    let mut srv = big_window_server(16_384, 65_535, None);
    let bytes = Bytes::from(buf);
    let len = bytes.len();
    let t0 = Instant::now();
    let events = srv.receive_bytes(bytes).unwrap();
    let dt = t0.elapsed().as_secs_f64();
    assert_eq!(events.len(), 3 * n);
    (dt, len, 2 * n)
}

/// c4: `n` HEADERS opening concurrent streams in one call.
fn parse_many_open(n: usize) -> (f64, usize, usize) {
    let mut enc = Encoder::new();
    let mut buf = Vec::new();
    for i in 0..n {
        let h = frame::Headers {
            stream_id: 2 * i as u32 + 1,
            end_headers: true,
            fragment: encode_block(&mut enc, REQ),
            ..Default::default()
        };
        Frame::from(h).encode(&mut buf);
    }
    let mut srv = big_window_server(16_384, 65_535, Some((1 << 31) - 1));
    let bytes = Bytes::from(buf);
    let len = bytes.len();
    let t0 = Instant::now();
    let events = srv.receive_bytes(bytes).unwrap();
    let dt = t0.elapsed().as_secs_f64();
    assert_eq!(events.len(), n);
    (dt, len, n)
}

fn best_median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (v[0], v[v.len() / 2])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let repeat = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let json_out = args.iter().position(|a| a == "--json").and_then(|i| args.get(i + 1)).cloned();
    let q = if quick { 10 } else { 1 };
    let n_req = 10_000 / q;
    let up = 100_000_000 / q;
    let only: Option<String> =
        args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    let wanted = |key: &str| only.as_deref().is_none_or(|o| o == key);
    let mut results = Vec::new();
    let mut report = |key: &str, label: String, times: Vec<f64>, units: f64, unit: &str| {
        let (best, med) = best_median(times);
        println!("{key:3} {label:62} best {best:8.4}s  median {med:8.4}s  {:14.0} {unit} (best)  {:14.0} {unit} (median)", units / best, units / med);
        results.push(format!(
            "\"{key}\": {{\"label\": \"{label}\", \"best_s\": {best}, \"median_s\": {med}, \"rate_best\": {}, \"rate_median\": {}, \"unit\": \"{unit}\"}}",
            units / best,
            units / med
        ));
    };
    println!("h2wasm {} (native, release), repeat={repeat}", env!("CARGO_PKG_VERSION"));
    if wanted("a1") {
        report(
            "a1",
            format!("{n_req} GETs sequential (1 in flight)"),
            (0..repeat).map(|_| get_sequential(n_req)).collect(),
            n_req as f64,
            "req/s",
        );
    }
    if wanted("a2") {
        report(
            "a2",
            format!("{n_req} GETs in waves of 100 concurrent streams"),
            (0..repeat).map(|_| get_concurrent(n_req)).collect(),
            n_req as f64,
            "req/s",
        );
    }
    if wanted("b1") {
        report(
            "b1",
            format!("{} MB upload, default 64KiB windows / 16KiB frames", up / 1_000_000),
            (0..repeat).map(|_| upload(up, &[], None)).collect(),
            up as f64 / MB,
            "MB/s",
        );
    }
    let big = [
        Setting::new(SettingCode::INITIAL_WINDOW_SIZE, 1 << 24),
        Setting::new(SettingCode::MAX_FRAME_SIZE, 1 << 20),
    ];
    if wanted("b2") {
        report(
            "b2",
            format!("{} MB upload, 16MiB windows / 1MiB frames", up / 1_000_000),
            (0..repeat).map(|_| upload(up, &big, Some((1 << 24) - 65_535))).collect(),
            up as f64 / MB,
            "MB/s",
        );
    }
    if wanted("c1") {
        let runs: Vec<_> = (0..repeat).map(|_| parse_data((64 << 20) / q)).collect();
        let (len, frames) = (runs[0].1, runs[0].2);
        report(
            "c1",
            format!(
                "parse {:.1} MB buffer of 16KiB DATA frames ({frames} frames)",
                len as f64 / MB
            ),
            runs.iter().map(|r| r.0).collect(),
            len as f64 / MB,
            "MB/s",
        );
    }
    if wanted("c2") {
        let runs: Vec<_> = (0..repeat).map(|_| parse_small(200_000 / q)).collect();
        let (len, frames) = (runs[0].1, runs[0].2);
        report(
            "c2",
            format!("parse {frames} WINDOW_UPDATE frames ({:.1} MB)", len as f64 / MB),
            runs.iter().map(|r| r.0).collect(),
            frames as f64,
            "frames/s",
        );
    }
    if wanted("c3") {
        let runs: Vec<_> = (0..repeat).map(|_| parse_headers_reset(10_000 / q)).collect();
        let (len, frames) = (runs[0].1, runs[0].2);
        report(
            "c3",
            format!("parse {} HEADERS+RST_STREAM pairs ({:.2} MB)", frames / 2, len as f64 / MB),
            runs.iter().map(|r| r.0).collect(),
            (frames / 2) as f64,
            "req/s",
        );
    }
    let base = 5_000 / q;
    for (key, n) in [("c4s", base / 10), ("c4", base), ("c4l", base * 10)] {
        if !wanted(key) {
            continue;
        }
        let runs: Vec<_> = (0..repeat).map(|_| parse_many_open(n)).collect();
        report(
            key,
            format!("parse {n} HEADERS opening concurrent streams"),
            runs.iter().map(|r| r.0).collect(),
            n as f64,
            "streams/s",
        );
    }
    if let Some(path) = json_out {
        let body = format!(
            "{{\"engine\": \"h2wasm\", \"repeat\": {repeat}, \"scenarios\": {{{}}}}}",
            results.join(", ")
        );
        std::fs::write(&path, body).expect("write json");
    }
}
