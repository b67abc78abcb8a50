//! Shared driver for the connection fuzz targets: an engine fed arbitrary bytes after a
//! valid preface, in chunks whose sizes come from the input, reacting to every event the way
//! an application would (responding, sending data, acknowledging, resetting), so that both
//! the receive and the send paths see hostile states. Any panic is a finding; errors are not.

use bytes::Bytes;
use h2wasm::events::Event;
use h2wasm::{ErrorCode, H2Configuration, H2Connection, HeaderField, PriorityArgs};

fn hdrs(pairs: &[(&str, &str)]) -> Vec<HeaderField> {
    pairs.iter().map(|(n, v)| HeaderField::new(n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect()
}

/// Runs one input against a server (`client = false`) or a client engine.
pub fn run(data: &[u8], client: bool) {
    let Some((&knobs, rest)) = data.split_first() else { return };
    let mut config = if client { H2Configuration::client() } else { H2Configuration::server() };
    config.strict_rfc = knobs & 1 != 0;
    config.validate_inbound_headers = knobs & 2 == 0;
    config.normalize_inbound_headers = knobs & 4 == 0;
    config.enable_connect_protocol = knobs & 8 != 0;
    config.frame_trace = knobs & 16 != 0;
    if knobs & 32 != 0 {
        config.limits.max_closed_streams = 4;
        config.limits.max_header_block_frames = 3;
        config.limits.max_queued_control_frames = 16;
        config.limits.max_concurrent_streams = 3;
    }
    let mut conn = H2Connection::new(config);
    let _ = conn.initiate_connection();
    if client {
        for id in [1, 3] {
            let _ = conn.send_headers(
                id,
                hdrs(&[(":method", "POST"), (":path", "/"), (":scheme", "https"), (":authority", "a")]),
                false,
                PriorityArgs::default(),
            );
        }
    } else {
        let _ = conn.receive_data(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00");
    }
    let mut input = rest;
    while let Some((&len, tail)) = input.split_first() {
        let n = usize::from(len).min(tail.len());
        let (chunk, next) = tail.split_at(n.max(1).min(tail.len()));
        input = next;
        let events = match conn.receive_bytes(Bytes::copy_from_slice(chunk)) {
            Ok(events) => events,
            Err(e) => e.events,
        };
        for ev in &events {
            react(&mut conn, ev, len, client);
        }
        let _ = conn.data_to_send(Some(usize::from(len) * 64));
        let _ = conn.take_frame_trace();
        if chunk.is_empty() {
            break;
        }
    }
}

fn react(conn: &mut H2Connection, ev: &Event, seed: u8, client: bool) {
    match ev {
        Event::RequestReceived(r) if !client => {
            let id = r.stream_id;
            if seed % 7 == 0 {
                let _ = conn.push_stream(id, conn.get_next_available_stream_id().unwrap_or(2), hdrs(&[(":method", "GET"), (":path", "/p"), (":scheme", "https"), (":authority", "a")]));
            }
            let _ = conn.send_headers(id, hdrs(&[(":status", "200")]), false, PriorityArgs::default());
            let _ = conn.send_data(id, Bytes::from(vec![b'x'; usize::from(seed) * 97]), seed % 2 == 0, (seed % 3 == 0).then_some(seed));
            if seed % 5 == 0 {
                let _ = conn.send_headers(id, hdrs(&[("x-trailer", "1")]), true, PriorityArgs::default());
            }
        }
        Event::DataReceived(d) => {
            let _ = conn.acknowledge_received_data(u64::from(d.flow_controlled_length), d.stream_id);
            if seed % 11 == 0 {
                let _ = conn.reset_stream(d.stream_id, ErrorCode::CANCEL);
            }
        }
        Event::ResponseReceived(r) if seed % 3 == 0 => {
            let _ = conn.send_data(r.stream_id, Bytes::from_static(b"body"), true, None);
        }
        Event::WindowUpdated(w) if w.stream_id != 0 => {
            let _ = conn.local_flow_control_window(w.stream_id);
            let _ = conn.end_stream(w.stream_id);
        }
        Event::PingReceived(_) if seed % 13 == 0 => {
            let _ = conn.ping(b"fuzzping");
            let _ = conn.update_settings(&[h2wasm::Setting::new(h2wasm::SettingCode::INITIAL_WINDOW_SIZE, u32::from(seed) * 1000)]);
        }
        Event::PushedStreamReceived(p) if seed % 2 == 1 => {
            let _ = conn.reset_stream(p.pushed_stream_id, ErrorCode::REFUSED_STREAM);
        }
        _ => {}
    }
    let _ = conn.open_inbound_streams();
}
