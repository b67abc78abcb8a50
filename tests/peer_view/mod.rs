//! Helpers shared by the header, informational/trailers and push tests: building header
//! blocks octet by octet, and reading a connection's output as its peer would — every frame
//! with its raw 9-octet header, and every header block reassembled from HEADERS or
//! PUSH_PROMISE + CONTINUATION and decoded by one HPACK decoder that follows the whole
//! output (so dynamic-table references and never-indexed flags are checked too).
#![allow(dead_code)]

use bytes::Bytes;
use h2wasm::frame::{self, Frame, FrameDecoder, FrameHeader, PrioritySpec};
use h2wasm::hpack::{Decoder, Encoder, Indexing};
use h2wasm::{H2Connection, HeaderField};

/// A header block whose every field is a literal without indexing, so it decodes the same
/// whatever the receiver's dynamic table holds. Names and values are taken as raw octets.
pub fn literal_block(fields: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    Encoder::new().encode(fields.iter().map(|(n, v)| (*n, *v, Indexing::No)), &mut out);
    out
}

/// Byte-string pairs from string pairs.
pub fn b<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(&'a [u8], &'a [u8])> {
    fields.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect()
}

/// A HEADERS frame carrying `block` with END_HEADERS.
pub fn headers_frame(stream_id: u32, block: Vec<u8>, end_stream: bool) -> Vec<u8> {
    Frame::from(frame::Headers {
        stream_id,
        end_stream,
        end_headers: true,
        pad_len: None,
        priority: None,
        fragment: Bytes::from(block),
    })
    .to_bytes()
}

/// A PUSH_PROMISE frame carrying `block` with END_HEADERS.
pub fn push_promise_frame(stream_id: u32, promised: u32, block: Vec<u8>) -> Vec<u8> {
    Frame::from(frame::PushPromise {
        stream_id,
        promised_stream_id: promised,
        end_headers: true,
        pad_len: None,
        fragment: Bytes::from(block),
    })
    .to_bytes()
}

/// One header block as the peer sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// `frame::kind::HEADERS` or `frame::kind::PUSH_PROMISE`.
    pub kind: u8,
    pub stream_id: u32,
    /// The promised stream of a PUSH_PROMISE.
    pub promised: Option<u32>,
    pub end_stream: bool,
    pub priority: Option<PrioritySpec>,
    /// The decoded fields, never-indexed flags included.
    pub fields: Vec<HeaderField>,
    /// The raw headers of the first frame and every CONTINUATION, in order.
    pub heads: Vec<FrameHeader>,
}

impl Block {
    /// The fields as string pairs.
    pub fn pairs(&self) -> Vec<(String, String)> {
        crate::support::pairs(&self.fields)
    }

    /// Names of the never-indexed fields.
    pub fn never_indexed(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|h| h.never_indexed)
            .map(|h| String::from_utf8_lossy(&h.name).into_owned())
            .collect()
    }
}

/// Something a connection sent: a complete header block, or any other frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Block(Block),
    Frame(Frame),
}

impl Item {
    pub fn block(&self) -> &Block {
        match self {
            Item::Block(b) => b,
            Item::Frame(f) => panic!("expected a header block, got {f:?}"),
        }
    }
}

/// The peer's view of one connection's output.
pub struct PeerView {
    decoder: Decoder,
    frames: FrameDecoder,
    preface: usize,
    pending: Option<(Block, Vec<u8>)>,
}

impl Default for PeerView {
    fn default() -> Self {
        Self::new()
    }
}

impl PeerView {
    /// For output that starts at a frame boundary (fixtures discard the preface).
    pub fn new() -> Self {
        PeerView {
            decoder: Decoder::new(4096),
            frames: FrameDecoder::new(16_777_215),
            preface: 0,
            pending: None,
        }
    }

    /// For a fresh client's whole output, starting with the 24-octet preface.
    pub fn of_fresh_client() -> Self {
        PeerView { preface: frame::PREFACE.len(), ..Self::new() }
    }

    /// Entries in the peer's HPACK dynamic table (what our encoder chose to index).
    pub fn table_len(&self) -> usize {
        self.decoder.table_len()
    }

    /// Drains `conn`'s output and reads it.
    pub fn read(&mut self, conn: &mut H2Connection) -> Vec<Item> {
        let bytes = conn.data_to_send(None);
        self.feed(&bytes)
    }

    /// Drains `conn`'s output and returns its header blocks, asserting there is nothing else.
    pub fn blocks(&mut self, conn: &mut H2Connection) -> Vec<Block> {
        self.read(conn).iter().map(|i| i.block().clone()).collect()
    }

    /// Reads bytes of output.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Vec<Item> {
        if self.preface > 0 {
            let n = self.preface.min(bytes.len());
            assert_eq!(&bytes[..n], &frame::PREFACE[frame::PREFACE.len() - self.preface..][..n]);
            self.preface -= n;
            bytes = &bytes[n..];
        }
        self.frames.push(bytes);
        let mut out = Vec::new();
        while let Some(f) = self.frames.next_frame().expect("engine output must parse") {
            let head = self.frames.last_header().expect("a frame has a header");
            if let Some((mut block, mut fragment)) = self.pending.take() {
                let Frame::Continuation(c) = f else {
                    panic!("expected CONTINUATION on stream {}, got {f:?}", block.stream_id)
                };
                assert_eq!(c.stream_id, block.stream_id, "CONTINUATION on another stream");
                block.heads.push(head);
                fragment.extend_from_slice(&c.fragment);
                if c.end_headers {
                    out.push(Item::Block(self.finish(block, &fragment)));
                } else {
                    self.pending = Some((block, fragment));
                }
                continue;
            }
            let (block, fragment, end_headers) = match f {
                Frame::Headers(h) => (
                    Block {
                        kind: frame::kind::HEADERS,
                        stream_id: h.stream_id,
                        promised: None,
                        end_stream: h.end_stream,
                        priority: h.priority,
                        fields: Vec::new(),
                        heads: vec![head],
                    },
                    h.fragment.to_vec(),
                    h.end_headers,
                ),
                Frame::PushPromise(p) => (
                    Block {
                        kind: frame::kind::PUSH_PROMISE,
                        stream_id: p.stream_id,
                        promised: Some(p.promised_stream_id),
                        end_stream: false,
                        priority: None,
                        fields: Vec::new(),
                        heads: vec![head],
                    },
                    p.fragment.to_vec(),
                    p.end_headers,
                ),
                other => {
                    out.push(Item::Frame(other));
                    continue;
                }
            };
            if end_headers {
                out.push(Item::Block(self.finish(block, &fragment)));
            } else {
                self.pending = Some((block, fragment));
            }
        }
        assert_eq!(self.frames.buffered_len(), 0, "output ends mid-frame");
        assert!(self.pending.is_none(), "output ends mid header block");
        out
    }

    fn finish(&mut self, mut block: Block, fragment: &[u8]) -> Block {
        let mut fields = Vec::new();
        self.decoder
            .decode(fragment, |n, v, never| {
                let mut h = HeaderField::copy_from(n, v);
                h.never_indexed = never;
                fields.push(h);
            })
            .expect("every header block the engine sends decodes at its peer");
        block.fields = fields;
        block
    }
}
