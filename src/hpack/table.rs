//! The static table ([RFC 7541 §2.3.1], Appendix A) and the dynamic table ([RFC 7541 §2.3.2],
//! §4).
//!
//! Both tables share one index space (§2.3.3): 1–61 is the static table, 62 and up the
//! dynamic table, newest entry first. Index 0 is never valid.
//!
//! [RFC 7541 §2.3.1]: https://www.rfc-editor.org/rfc/rfc7541#section-2.3.1
//! [RFC 7541 §2.3.2]: https://www.rfc-editor.org/rfc/rfc7541#section-2.3.2

use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};

use super::{octets_eq, Octets};

/// The number of static table entries.
pub(crate) const STATIC_LEN: usize = 61;

/// The overhead RFC 7541 §4.1 adds to each entry: `name.len() + value.len() + 32`.
pub(crate) const ENTRY_OVERHEAD: usize = 32;

/// The static table, RFC 7541 Appendix A; position `i` holds index `i + 1`.
const STATIC: [(&[u8], &[u8]); STATIC_LEN] = [
    (b":authority", b""),
    (b":method", b"GET"),
    (b":method", b"POST"),
    (b":path", b"/"),
    (b":path", b"/index.html"),
    (b":scheme", b"http"),
    (b":scheme", b"https"),
    (b":status", b"200"),
    (b":status", b"204"),
    (b":status", b"206"),
    (b":status", b"304"),
    (b":status", b"400"),
    (b":status", b"404"),
    (b":status", b"500"),
    (b"accept-charset", b""),
    (b"accept-encoding", b"gzip, deflate"),
    (b"accept-language", b""),
    (b"accept-ranges", b""),
    (b"accept", b""),
    (b"access-control-allow-origin", b""),
    (b"age", b""),
    (b"allow", b""),
    (b"authorization", b""),
    (b"cache-control", b""),
    (b"content-disposition", b""),
    (b"content-encoding", b""),
    (b"content-language", b""),
    (b"content-length", b""),
    (b"content-location", b""),
    (b"content-range", b""),
    (b"content-type", b""),
    (b"cookie", b""),
    (b"date", b""),
    (b"etag", b""),
    (b"expect", b""),
    (b"expires", b""),
    (b"from", b""),
    (b"host", b""),
    (b"if-match", b""),
    (b"if-modified-since", b""),
    (b"if-none-match", b""),
    (b"if-range", b""),
    (b"if-unmodified-since", b""),
    (b"last-modified", b""),
    (b"link", b""),
    (b"location", b""),
    (b"max-forwards", b""),
    (b"proxy-authenticate", b""),
    (b"proxy-authorization", b""),
    (b"range", b""),
    (b"referer", b""),
    (b"refresh", b""),
    (b"retry-after", b""),
    (b"server", b""),
    (b"set-cookie", b""),
    (b"strict-transport-security", b""),
    (b"transfer-encoding", b""),
    (b"user-agent", b""),
    (b"vary", b""),
    (b"via", b""),
    (b"www-authenticate", b""),
];

/// The static entry at `index` (1-based), if there is one.
#[inline]
pub(crate) fn static_field(index: usize) -> Option<(&'static [u8], &'static [u8])> {
    STATIC.get(index.checked_sub(1)?).copied()
}

/// Slots of the perfect hash of the static table's names ([`name_slot`]).
const NAME_SLOTS: usize = 128;

/// A perfect hash of the 52 distinct names of the static table: their length, first and last
/// octets give each its own slot (the constants were searched for that). Other names may
/// land anywhere, so a slot's name is compared before use.
#[inline]
const fn name_slot(len: usize, first: u8, last: u8) -> usize {
    len.wrapping_mul(3)
        .wrapping_add((first as usize).wrapping_mul(54))
        .wrapping_add((last as usize).wrapping_mul(59))
        & (NAME_SLOTS - 1)
}

/// The encoder's index of the static table by name: for each slot, `1 + ` the position in
/// `STATIC` of the first entry with the name hashed there (0 for none), and how many entries
/// in a row carry that name.
struct ByName {
    first: [u8; NAME_SLOTS],
    run: [u8; NAME_SLOTS],
}

/// Builds [`BY_NAME`]. Runs only at compile time, where a collision, an overflow or an index
/// out of bounds is a compile error rather than a panic.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn build_by_name() -> ByName {
    let mut t = ByName { first: [0; NAME_SLOTS], run: [0; NAME_SLOTS] };
    let mut i = 0;
    while i < STATIC_LEN {
        let name = STATIC[i].0;
        let slot = name_slot(name.len(), name[0], name[name.len() - 1]);
        if i > 0 && same(STATIC[i - 1].0, name) {
            t.run[slot] += 1;
        } else {
            assert!(t.first[slot] == 0, "two static table names share a hash slot");
            t.first[slot] = (i + 1) as u8;
            t.run[slot] = 1;
        }
        i += 1;
    }
    t
}

/// Byte-string equality usable in a `const fn`.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

static BY_NAME: ByName = build_by_name();

/// A name found in the static table: the index of its first entry, and the entries carrying
/// it (adjacent in the table).
pub(crate) type StaticName = (usize, &'static [(&'static [u8], &'static [u8])]);

/// Finds a name in the static table.
#[inline]
pub(crate) fn static_name(name: &[u8]) -> Option<StaticName> {
    let (&first, &last) = (name.first()?, name.last()?);
    let slot = name_slot(name.len(), first, last);
    let index = usize::from(*BY_NAME.first.get(slot)?);
    let run = usize::from(*BY_NAME.run.get(slot)?);
    let entries = STATIC.get(index.checked_sub(1)?..)?.get(..run)?;
    match entries.first() {
        Some(&(n, _)) if octets_eq(n, name) => Some((index, entries)),
        _ => None,
    }
}

/// Looks a field up in the static table. Returns the index of an entry matching both name
/// and value, if any, and otherwise the index of the first entry with that name, if any.
#[cfg(test)]
pub(crate) fn static_lookup(name: &[u8], value: &[u8]) -> Lookup {
    let Some((index, entries)) = static_name(name) else { return Lookup::None };
    for (i, &(_, v)) in entries.iter().enumerate() {
        if octets_eq(v, value) {
            return Lookup::Field(index.wrapping_add(i));
        }
    }
    Lookup::Name(index)
}

/// The result of a table lookup for the encoder.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Lookup {
    /// An entry with this name and value, at this index.
    Field(usize),
    /// An entry with this name (but another value), at this index.
    Name(usize),
    /// Nothing.
    None,
}

/// One dynamic table entry. Name and value are `Bytes` so that a decoded field can be handed
/// out without copying; they live in the table's [`Arena`] (a static table name is
/// referenced, and a name taken from another entry is shared with it).
#[derive(Clone, Debug)]
struct Entry {
    name: Bytes,
    value: Bytes,
    /// The name as a static table string, when it was taken from the static table.
    static_name: Option<&'static [u8]>,
}

impl Entry {
    #[inline]
    fn field(&self) -> (&[u8], &[u8]) {
        (&self.name, &self.value)
    }

    #[inline]
    fn octets(&self) -> (Octets<'_>, Octets<'_>) {
        (
            Octets { bytes: &self.name, stat: self.static_name, shared: Some(&self.name) },
            Octets { bytes: &self.value, stat: None, shared: Some(&self.value) },
        )
    }

    /// The size RFC 7541 §4.1 charges for this entry.
    #[inline]
    fn size(&self) -> usize {
        entry_size(self.name.len(), self.value.len())
    }
}

/// The name of an entry to add.
#[derive(Clone, Debug)]
pub(crate) enum EntryName<'a> {
    /// A static table name: referenced.
    Static(&'static [u8]),
    /// The name of another entry: shared with it.
    Shared(Bytes),
    /// Octets to copy.
    Copy(&'a [u8]),
}

impl EntryName<'_> {
    /// The name's octets.
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            EntryName::Static(s) => s,
            EntryName::Shared(b) => b,
            EntryName::Copy(c) => c,
        }
    }
}

/// Where entry octets are copied: chunks the size of the table's maximum size, within
/// [`MIN_CHUNK`] and [`MAX_CHUNK`] (or of one entry, if larger), that entries are split
/// from. A full chunk is set aside; when the current one fills up, the oldest chunk set
/// aside is reused if nothing refers to it any more, which is the case in steady state (the
/// entries still in the table were added after it). So a table in steady state does not
/// allocate, and holds at most three chunks (plus any chunk a field kept by the application
/// still refers to).
#[derive(Clone, Debug, Default)]
struct Arena {
    current: BytesMut,
    older: VecDeque<BytesMut>,
}

/// The smallest chunk of an [`Arena`].
const MIN_CHUNK: usize = 512;

/// The largest chunk of an [`Arena`]: with a larger table, entries span more chunks and a
/// chunk is reclaimed less often, but the chunks held stay small.
const MAX_CHUNK: usize = 16 * 1024;

/// Chunks an [`Arena`] sets aside for reuse.
const OLDER_CHUNKS: usize = 2;

impl Arena {
    /// Copies `octets` in, returning them as `Bytes`.
    fn copy(&mut self, octets: &[u8], chunk: usize) -> Bytes {
        let n = octets.len();
        if n == 0 {
            return Bytes::new();
        }
        if self.current.capacity().saturating_sub(self.current.len()) < n {
            self.refill(n, chunk);
        }
        self.current.extend_from_slice(octets);
        self.current.split().freeze()
    }

    fn refill(&mut self, need: usize, chunk: usize) {
        let want = need.max(chunk.clamp(MIN_CHUNK, MAX_CHUNK));
        self.older.push_back(std::mem::take(&mut self.current));
        if self.older.len() > OLDER_CHUNKS {
            if let Some(mut oldest) = self.older.pop_front() {
                if oldest.try_reclaim(want) {
                    self.current = oldest;
                    return;
                }
            }
        }
        self.current = BytesMut::with_capacity(want);
    }
}

/// The dynamic table (RFC 7541 §2.3.2, §4): a FIFO of entries, newest first, whose total
/// size (`name + value + 32` per entry) never exceeds `max_size`.
#[derive(Clone, Debug)]
pub(crate) struct DynamicTable {
    entries: VecDeque<Entry>,
    size: usize,
    max_size: usize,
    arena: Arena,
}

impl DynamicTable {
    pub(crate) fn new(max_size: usize) -> Self {
        DynamicTable { entries: VecDeque::new(), size: 0, max_size, arena: Arena::default() }
    }

    /// The current size: the sum of `name + value + 32` over the entries (§4.1).
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// The current maximum size (§4.2).
    pub(crate) fn max_size(&self) -> usize {
        self.max_size
    }

    /// The number of entries.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The field at `index` in the shared index space (§2.3.3): 1–61 static, 62 and up
    /// dynamic. `None` for 0 and for indexes past the end.
    #[cfg(test)]
    pub(crate) fn field(&self, index: usize) -> Option<(&[u8], &[u8])> {
        match index.checked_sub(STATIC_LEN.wrapping_add(1)) {
            None => static_field(index),
            Some(i) => self.entries.get(i).map(Entry::field),
        }
    }

    /// Like [`field`](Self::field), telling which octets are static table strings and
    /// handing out the `Bytes` of dynamic ones.
    #[inline]
    pub(crate) fn octets(&self, index: usize) -> Option<(Octets<'_>, Octets<'_>)> {
        match index.checked_sub(STATIC_LEN.wrapping_add(1)) {
            None => static_field(index).map(|(n, v)| (Octets::of_static(n), Octets::of_static(v))),
            Some(i) => self.entries.get(i).map(Entry::octets),
        }
    }

    /// Sets a new maximum size, evicting the oldest entries until the table fits (§4.3).
    pub(crate) fn set_max_size(&mut self, max_size: usize) {
        self.max_size = max_size;
        self.evict_to(max_size);
    }

    /// Evicts the oldest entries until the size is at most `target`.
    fn evict_to(&mut self, target: usize) {
        while self.size > target {
            let Some(old) = self.entries.pop_back() else {
                self.size = 0;
                break;
            };
            self.size = self.size.saturating_sub(old.size());
        }
    }

    /// Empties the table, keeping its maximum size (§4.4: what adding an entry larger than
    /// the maximum does).
    pub(crate) fn evict_all(&mut self) {
        self.evict_to(0);
    }

    /// Whether an entry of `name_len + value_len` octets would fit at all (§4.4).
    pub(crate) fn fits(&self, name_len: usize, value_len: usize) -> bool {
        entry_size(name_len, value_len) <= self.max_size
    }

    /// Adds an entry, evicting old entries to make room. An entry larger than the maximum
    /// size empties the table and is not added (§4.4).
    pub(crate) fn insert(&mut self, name: EntryName<'_>, value: &[u8]) {
        let size = entry_size(name.bytes().len(), value.len());
        if size > self.max_size {
            self.evict_to(0);
            return;
        }
        // Copied before anything is evicted (a shared name stays valid anyway).
        let chunk = self.max_size;
        let (name, static_name) = match name {
            EntryName::Static(s) => (Bytes::from_static(s), Some(s)),
            EntryName::Shared(b) => (b, None),
            EntryName::Copy(c) => (self.arena.copy(c, chunk), None),
        };
        let value = self.arena.copy(value, chunk);
        self.evict_to(self.max_size.saturating_sub(size));
        self.entries.push_front(Entry { name, value, static_name });
        self.size = self.size.saturating_add(size);
    }

    /// Looks a field up in the dynamic table for the encoder, returning an index in the
    /// shared index space.
    pub(crate) fn lookup(&self, name: &[u8], value: &[u8]) -> Lookup {
        let (newer, older) = self.entries.as_slices();
        let first = STATIC_LEN.wrapping_add(1);
        match scan(newer, first, name, value) {
            Lookup::Field(i) => Lookup::Field(i),
            found => match (found, scan(older, first.saturating_add(newer.len()), name, value)) {
                (_, Lookup::Field(i)) => Lookup::Field(i),
                (Lookup::Name(i), _) | (Lookup::None, Lookup::Name(i)) => Lookup::Name(i),
                _ => Lookup::None,
            },
        }
    }
}

/// [`DynamicTable::lookup`] over a run of entries whose first has index `first`.
#[inline]
fn scan(entries: &[Entry], first: usize, name: &[u8], value: &[u8]) -> Lookup {
    let mut found = Lookup::None;
    for (i, entry) in entries.iter().enumerate() {
        if entry.name.len() != name.len() {
            continue;
        }
        let (n, v) = entry.field();
        if !octets_eq(n, name) {
            continue;
        }
        let index = first.saturating_add(i);
        if octets_eq(v, value) {
            return Lookup::Field(index);
        }
        if found == Lookup::None {
            found = Lookup::Name(index);
        }
    }
    found
}

/// The size RFC 7541 §4.1 charges for an entry: `name + value + 32`.
#[inline]
pub(crate) fn entry_size(name_len: usize, value_len: usize) -> usize {
    name_len.saturating_add(value_len).saturating_add(ENTRY_OVERHEAD)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn static_table_edges() {
        assert_eq!(static_field(0), None);
        assert_eq!(static_field(1), Some((&b":authority"[..], &b""[..])));
        assert_eq!(static_field(61), Some((&b"www-authenticate"[..], &b""[..])));
        assert_eq!(static_field(62), None);
    }

    #[test]
    fn static_lookup_finds_every_entry() {
        for (i, (name, value)) in STATIC.iter().enumerate() {
            assert_eq!(static_lookup(name, value), Lookup::Field(i + 1), "{i}");
        }
        for (i, (name, _)) in STATIC.iter().enumerate() {
            let first = STATIC.iter().position(|(n, _)| n == name).unwrap() + 1;
            assert_eq!(static_lookup(name, b"\0other"), Lookup::Name(first), "{i}");
            let mut upper = name.to_vec();
            upper.make_ascii_uppercase();
            assert_eq!(static_lookup(&upper, b""), Lookup::None, "{i}");
        }
        assert_eq!(static_lookup(b":method", b"PUT"), Lookup::Name(2));
        assert_eq!(static_lookup(b":status", b"201"), Lookup::Name(8));
        assert_eq!(static_lookup(b"accept-encoding", b"br"), Lookup::Name(16));
        assert_eq!(static_lookup(b"x-custom", b""), Lookup::None);
        assert_eq!(static_lookup(&[b'a'; 100], b""), Lookup::None);
        assert_eq!(static_lookup(b"", b""), Lookup::None);
    }

    #[test]
    fn eviction_is_fifo_and_sized() {
        let mut t = DynamicTable::new(100);
        t.insert(EntryName::Copy(b"a"), b"1"); // 34
        t.insert(EntryName::Copy(b"b"), b"2"); // 34
        assert_eq!((t.len(), t.size()), (2, 68));
        assert_eq!(t.field(62), Some((&b"b"[..], &b"2"[..])));
        assert_eq!(t.field(63), Some((&b"a"[..], &b"1"[..])));
        assert_eq!(t.field(64), None);
        t.insert(EntryName::Copy(b"c"), b"3"); // evicts a
        assert_eq!((t.len(), t.size()), (2, 68));
        assert_eq!(t.field(63), Some((&b"b"[..], &b"2"[..])));
        assert_eq!(t.lookup(b"c", b"3"), Lookup::Field(62));
        assert_eq!(t.lookup(b"b", b"x"), Lookup::Name(63));
        assert_eq!(t.lookup(b"a", b"1"), Lookup::None);
        // An entry larger than the table empties it.
        t.insert(EntryName::Copy(b"big"), &[b'x'; 80]);
        assert_eq!((t.len(), t.size()), (0, 0));
        // Shrinking evicts.
        t.insert(EntryName::Copy(b"a"), b"1");
        t.insert(EntryName::Copy(b"b"), b"2");
        t.set_max_size(40);
        assert_eq!((t.len(), t.size()), (1, 34));
        t.set_max_size(0);
        assert_eq!((t.len(), t.size()), (0, 0));
    }
}
