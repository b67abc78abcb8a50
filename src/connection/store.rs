//! Stream bookkeeping: live streams, closed streams awaiting clean-up, the bounded memory of
//! forgotten streams, and the count of open streams per direction.
//!
//! python h2 counts open streams by scanning every stream each time a new one opens, which
//! makes N concurrent streams cost O(N²). Here every state change goes through
//! [`StreamStore::process`], which keeps per-parity counters up to date, so counting is O(1)
//! and clean-up is proportional to the streams that actually closed.
//!
//! Observable behaviour is h2's: a closed stream stays in the live map until the next new
//! stream is opened (or [`StreamStore::count_open`] is called), then moves to the closed-stream
//! memory, which keeps at most `max_closed` ids and forgets the oldest first.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use bytes::Bytes;

use super::flow::WindowManager;
use super::stream::{ClosedBy, Fault, Outcome, StreamInput, StreamMachine, StreamState};

/// One stream's state.
#[derive(Clone, Debug)]
pub(super) struct Stream {
    /// The stream id.
    pub(super) id: u32,
    /// Its state machine.
    pub(super) machine: StreamMachine,
    /// What we may still send (may be negative after a SETTINGS decrease).
    pub(super) send_window: i64,
    /// What the peer may still send, with automatic WINDOW_UPDATE bookkeeping.
    pub(super) recv_window: WindowManager,
    /// We sent a HEAD request on it, so the response has no content.
    pub(super) sent_head_request: bool,
    /// The peer's content-length, if it sent one.
    pub(super) expected_length: Option<u64>,
    /// DATA octets (without padding) received so far.
    pub(super) received_length: u64,
    /// The `:authority` of the request (ours, or the one promised to us).
    pub(super) authority: Option<Bytes>,
    seq: u64,
}

impl Stream {
    /// A stream in IDLE with the given windows.
    pub(super) fn new(id: u32, send_window: u32, recv_window: u32) -> Self {
        Stream {
            id,
            machine: StreamMachine::new(),
            send_window: i64::from(send_window),
            recv_window: WindowManager::new(recv_window),
            sent_head_request: false,
            expected_length: None,
            received_length: 0,
            authority: None,
            seq: 0,
        }
    }

    /// The state.
    pub(super) fn state(&self) -> StreamState {
        self.machine.state
    }
}

/// A fast hasher for stream ids in the live map. The live map holds at most the streams the
/// concurrency limits allow plus those closed since the last clean-up, so a peer choosing
/// colliding ids cannot make lookups expensive; the larger memory of forgotten streams has
/// a keyed hash ([`SeededIds`]).
#[derive(Clone, Copy, Default, Debug)]
pub(super) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u32(&mut self, id: u32) {
        // Multiply-shift: spreads consecutive ids over the high bits hashbrown uses.
        let x = u64::from(id).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = x ^ (x >> 29);
    }
}

type LiveMap = HashMap<u32, usize, BuildHasherDefault<IdHasher>>;

/// A keyed hash for the memory of forgotten streams, whose ids the peer picks (rising, but
/// with any gaps it likes) and which holds up to `max_closed_streams` of them: the id, mixed
/// with a per-connection random key, goes through a folded 64×64→128-bit multiply (the
/// construction of foldhash, hashbrown's default). Without the key, colliding ids cannot be
/// chosen; it is much cheaper than std's SipHash for one `u32`.
#[derive(Clone, Copy, Debug)]
pub(super) struct SeededIds {
    k0: u64,
    k1: u64,
}

impl Default for SeededIds {
    fn default() -> Self {
        let (k0, k1) = random_keys();
        SeededIds { k0, k1: k1 | 1 }
    }
}

/// Two random keys. std's RandomState holds random keys where the platform has randomness;
/// two hashes of constants turn them into ours.
#[cfg(not(all(target_arch = "wasm32", not(feature = "no-js"))))]
fn random_keys() -> (u64, u64) {
    let random = std::collections::hash_map::RandomState::new();
    (random.hash_one(0x5eed_u64), random.hash_one(0x1d5_u64))
}

/// Two random keys. In the JavaScript binding they come from the host's `Math.random`:
/// wasm32-unknown-unknown has no entropy source, so std's RandomState falls back to the
/// addresses of a stack and a heap variable there, which a peer could predict, and hashing
/// them costs SipHash in the module.
#[cfg(all(target_arch = "wasm32", not(feature = "no-js")))]
fn random_keys() -> (u64, u64) {
    (crate::wasm::random_u64(), crate::wasm::random_u64())
}

impl BuildHasher for SeededIds {
    type Hasher = SeededIdHasher;

    fn build_hasher(&self) -> SeededIdHasher {
        SeededIdHasher { keys: *self, hash: 0 }
    }
}

/// The hasher of [`SeededIds`].
#[derive(Clone, Copy, Debug)]
pub(super) struct SeededIdHasher {
    keys: SeededIds,
    hash: u64,
}

impl SeededIdHasher {
    fn mix(&mut self, x: u64) {
        let product =
            u128::from(self.hash ^ x ^ self.keys.k0).wrapping_mul(u128::from(self.keys.k1));
        self.hash = (product as u64) ^ ((product >> 64) as u64);
    }
}

impl Hasher for SeededIdHasher {
    fn finish(&self) -> u64 {
        self.hash
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.mix(u64::from(b));
        }
    }

    fn write_u32(&mut self, id: u32) {
        self.mix(u64::from(id));
    }
}

/// Forgotten streams: id → how it closed, bounded, oldest dropped first.
#[derive(Clone, Debug, Default)]
struct ClosedMemory {
    by_id: HashMap<u32, Option<ClosedBy>, SeededIds>,
    order: VecDeque<u32>,
    cap: usize,
}

impl ClosedMemory {
    fn insert(&mut self, id: u32, closed_by: Option<ClosedBy>) {
        if self.cap == 0 {
            return;
        }
        if self.by_id.insert(id, closed_by).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > self.cap {
            if let Some(old) = self.order.pop_front() {
                self.by_id.remove(&old);
            }
        }
    }
}

/// Every stream the connection knows.
///
/// Live streams sit in a dense list indexed by id through a hash map; the position of the
/// stream used last is remembered, since the engine works on one stream several times in a
/// row (state changes, windows, bookkeeping), and those accesses then skip the hash lookup.
#[derive(Clone, Debug, Default)]
pub(super) struct StreamStore {
    /// Stream id → position in `slots`.
    live: LiveMap,
    /// The live streams, in no particular order.
    slots: Vec<Stream>,
    /// The id and position of the stream used last.
    last: Option<(u32, usize)>,
    /// Closed streams still in `live`, with their creation order.
    closed_live: Vec<(u64, u32)>,
    forgotten: ClosedMemory,
    /// Open (OPEN / half-closed) streams in `live`, by parity: [even, odd].
    open: [usize; 2],
    next_seq: u64,
}

fn parity(id: u32) -> usize {
    usize::from(id % 2 == 1)
}

impl StreamStore {
    /// An empty store remembering at most `max_closed` forgotten streams.
    pub(super) fn new(max_closed: usize) -> Self {
        StreamStore {
            forgotten: ClosedMemory { cap: max_closed, ..Default::default() },
            ..Default::default()
        }
    }

    /// The position of live stream `id`.
    #[inline]
    fn slot(&self, id: u32) -> Option<usize> {
        match self.last {
            Some((last, at)) if last == id => Some(at),
            _ => self.live.get(&id).copied(),
        }
    }

    /// The position of live stream `id`, remembered for the next access.
    #[inline]
    fn slot_mut(&mut self, id: u32) -> Option<usize> {
        let at = self.slot(id)?;
        self.last = Some((id, at));
        Some(at)
    }

    /// Whether `id` is in the live map (open, reserved, idle-but-created, or closed and not
    /// yet cleaned up).
    pub(super) fn contains(&self, id: u32) -> bool {
        self.slot(id).is_some()
    }

    /// A live stream.
    pub(super) fn get(&self, id: u32) -> Option<&Stream> {
        self.slots.get(self.slot(id)?)
    }

    /// A live stream, mutably. State changes must go through [`process`](Self::process).
    pub(super) fn get_mut(&mut self, id: u32) -> Option<&mut Stream> {
        let at = self.slot_mut(id)?;
        self.slots.get_mut(at)
    }

    /// Every live stream, mutably (for SETTINGS-driven window shifts).
    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Stream> {
        self.slots.iter_mut()
    }

    /// Number of live streams.
    pub(super) fn live_len(&self) -> usize {
        self.slots.len()
    }

    /// Adds a new (idle) stream.
    pub(super) fn insert(&mut self, mut stream: Stream) {
        stream.seq = self.next_seq;
        self.next_seq = self.next_seq.saturating_add(1);
        self.account(stream.id, StreamState::Idle, stream.state(), stream.seq);
        let id = stream.id;
        match self.slot(id) {
            // Not done by the engine (ids only grow); replaces, as a map would.
            Some(at) => {
                if let Some(old) = self.slots.get_mut(at) {
                    *old = stream;
                }
            }
            None => {
                let at = self.slots.len();
                self.slots.push(stream);
                self.live.insert(id, at);
                self.last = Some((id, at));
            }
        }
    }

    /// Removes live stream `id`, moving the last one into its place.
    fn remove(&mut self, id: u32) -> Option<Stream> {
        let at = self.live.remove(&id)?;
        self.last = None;
        if at >= self.slots.len() {
            return None;
        }
        let stream = self.slots.swap_remove(at);
        if let Some(moved) = self.slots.get(at) {
            self.live.insert(moved.id, at);
        }
        Some(stream)
    }

    fn account(&mut self, id: u32, before: StreamState, after: StreamState, seq: u64) {
        let p = parity(id);
        if let Some(count) = self.open.get_mut(p) {
            match (before.is_open(), after.is_open()) {
                (false, true) => *count = count.saturating_add(1),
                (true, false) => *count = count.saturating_sub(1),
                _ => {}
            }
        }
        if before != StreamState::Closed && after == StreamState::Closed {
            self.closed_live.push((seq, id));
        }
    }

    /// Feeds `input` to the machine of live stream `id`, keeping the counters in step.
    /// Returns `None` when the stream is not live.
    pub(super) fn process(
        &mut self,
        id: u32,
        input: StreamInput,
    ) -> Option<Result<Outcome, Fault>> {
        let at = self.slot_mut(id)?;
        let stream = self.slots.get_mut(at)?;
        let before = stream.state();
        let result = stream.machine.process(input);
        let after = stream.state();
        let seq = stream.seq;
        self.account(id, before, after, seq);
        Some(result)
    }

    /// How `id` was closed, looking at live streams first and then at the memory of
    /// forgotten ones (`None` when unknown, open, or closed without a recorded cause).
    pub(super) fn closed_by(&self, id: u32) -> Option<ClosedBy> {
        match self.get(id) {
            Some(s) => s.machine.closed_by,
            None => self.forgotten.by_id.get(&id).copied().flatten(),
        }
    }

    /// Remembers a stream refused without ever being created (after our GOAWAY) as closed by
    /// our reset.
    pub(super) fn remember_refused(&mut self, id: u32) {
        self.forgotten.insert(id, Some(ClosedBy::SendRstStream));
    }

    /// Moves closed streams out of the live map into the memory of forgotten streams, in the
    /// order they were created.
    pub(super) fn clean_up(&mut self) {
        if self.closed_live.is_empty() {
            return;
        }
        let mut closed = std::mem::take(&mut self.closed_live);
        // Creation order; the list is short and nearly sorted, so an insertion sort is both
        // quick and small.
        for i in 1..closed.len() {
            let mut j = i;
            while j > 0 && closed.get(j.saturating_sub(1)) > closed.get(j) {
                closed.swap(j.saturating_sub(1), j);
                j = j.saturating_sub(1);
            }
        }
        for (_, id) in closed.drain(..) {
            if let Some(stream) = self.remove(id) {
                self.forgotten.insert(id, stream.machine.closed_by);
            }
        }
        self.closed_live = closed;
    }

    /// Open streams of the given parity (`true` = odd ids), after cleaning up closed
    /// streams — python h2's `open_outbound_streams` / `open_inbound_streams`.
    pub(super) fn count_open(&mut self, odd: bool) -> usize {
        self.clean_up();
        self.open.get(usize::from(odd)).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn streams_stay_findable_as_others_are_cleaned_up() {
        let mut store = StreamStore::new(4);
        let ids: Vec<u32> = (0..20).map(|i| 2 * i + 1).collect();
        for &id in &ids {
            store.insert(Stream::new(id, 100, 100));
            assert_eq!(
                store.process(id, StreamInput::RecvHeaders),
                Some(Ok(Outcome::RequestReceived))
            );
        }
        // Close every third stream, in a scattered order, then clean up.
        let closed: Vec<u32> = ids.iter().copied().filter(|id| id % 3 == 0).collect();
        for &id in closed.iter().rev() {
            assert!(store.process(id, StreamInput::RecvRstStream).is_some());
        }
        assert_eq!(store.count_open(true), ids.len() - closed.len());
        assert_eq!(store.live_len(), ids.len() - closed.len());
        for &id in &ids {
            let live = store.get(id).map(|s| s.id);
            if closed.contains(&id) {
                assert_eq!(live, None, "{id}");
                // Forgotten in creation order, of which the memory keeps the last four.
                let kept = closed.iter().rev().take(4).any(|&c| c == id);
                let expected = kept.then_some(ClosedBy::RecvRstStream);
                assert_eq!(store.closed_by(id), expected, "{id}");
            } else {
                assert_eq!(live, Some(id), "{id}");
                assert_eq!(store.get_mut(id).map(|s| s.id), Some(id));
                assert!(store.contains(id));
            }
        }
        assert!(!store.contains(0));
        assert!(store.get(2).is_none());
    }
}
