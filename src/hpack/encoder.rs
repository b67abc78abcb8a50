//! The HPACK encoder ([RFC 7541 §3], §6): turns our header lists into header blocks.

use super::table::{
    entry_size, static_field, static_name, DynamicTable, EntryName, Lookup, StaticName,
};
use super::{huffman, integer, octets_eq};

/// The default SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2), and our default cap.
const DEFAULT_TABLE_SIZE: usize = 4096;

/// How the encoder may use the dynamic table for one field ([RFC 7541 §6.2]).
///
/// [RFC 7541 §6.2]: https://www.rfc-editor.org/rfc/rfc7541#section-6.2
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Indexing {
    /// Use an exact table match if there is one; otherwise send a literal with incremental
    /// indexing (§6.2.1) so later blocks can refer to it, unless the field is too large to be
    /// worth a table slot (over ¾ of the table), in which case it is sent without indexing.
    #[default]
    Auto,
    /// Use an exact table match if there is one; otherwise send a literal without indexing
    /// (§6.2.2). For large or one-off values such as `:path` query strings.
    No,
    /// Always send a literal never indexed (§6.2.3), which intermediaries must forward the
    /// same way. For secrets that must not be guessable through compression (§7.1):
    /// `authorization`, `proxy-authorization`, short `cookie` values.
    Never,
}

/// Encodes the header blocks we send on one connection ([RFC 7541 §3]).
///
/// Strings are Huffman-coded when that makes them shorter (§5.2). The table's maximum
/// size is the smaller of the peer's SETTINGS_HEADER_TABLE_SIZE and our own cap, and any
/// change is signalled at the start of the next block (§4.2). Encoding never fails; it only
/// appends to the caller's buffer, and in steady state it does not allocate.
///
/// [RFC 7541 §3]: https://www.rfc-editor.org/rfc/rfc7541#section-3
#[derive(Clone, Debug)]
pub struct Encoder {
    table: DynamicTable,
    /// The peer's SETTINGS_HEADER_TABLE_SIZE.
    peer_max: usize,
    /// Our own cap on the table's memory.
    cap: usize,
    /// The smallest maximum size chosen since the last block, when it changed (§4.2).
    pending_min: Option<usize>,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder::new()
    }
}

impl Encoder {
    /// An encoder with a 4096-octet table, the size every HTTP/2 peer starts with
    /// (RFC 7541 §4.2, RFC 9113 §6.5.2).
    pub fn new() -> Self {
        Encoder {
            table: DynamicTable::new(DEFAULT_TABLE_SIZE),
            peer_max: DEFAULT_TABLE_SIZE,
            cap: DEFAULT_TABLE_SIZE,
            pending_min: None,
        }
    }

    /// Applies the peer's SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §4.2, RFC 9113 §6.5.2). The
    /// table then uses `min(n, cap)`; if that differs from the size in use, the next block
    /// starts with size updates: the smallest size chosen since the last block, then the
    /// final one.
    pub fn set_max_table_size(&mut self, n: usize) {
        self.peer_max = n;
        self.choose_size();
    }

    /// Caps the table's memory on our side (4096 by default), whatever the peer allows
    /// (RFC 7541 §4.2: the encoder may use less than the maximum). Takes effect like
    /// [`set_max_table_size`](Self::set_max_table_size).
    pub fn set_max_encoder_table_size(&mut self, cap: usize) {
        self.cap = cap;
        self.choose_size();
    }

    /// The current size of the dynamic table: `name + value + 32` summed over its entries
    /// (RFC 7541 §4.1).
    pub fn table_size(&self) -> usize {
        self.table.size()
    }

    /// The maximum size of the table, counting a change not yet signalled (RFC 7541 §4.2).
    pub fn max_table_size(&self) -> usize {
        self.target_size()
    }

    fn target_size(&self) -> usize {
        self.peer_max.min(self.cap)
    }

    fn choose_size(&mut self) {
        let target = self.target_size();
        let lowest = self.pending_min.unwrap_or(self.table.max_size()).min(target);
        if lowest != self.table.max_size() || target != self.table.max_size() {
            self.pending_min = Some(lowest);
        }
    }

    /// Encodes one header block (RFC 7541 §6), appending it to `dst`. Each field comes with
    /// its [`Indexing`]. Pending dynamic table size updates come first (§4.2, §6.3).
    pub fn encode<'a, I>(&mut self, fields: I, dst: &mut Vec<u8>)
    where
        I: IntoIterator<Item = (&'a [u8], &'a [u8], Indexing)>,
    {
        if let Some(lowest) = self.pending_min.take() {
            let target = self.target_size();
            if lowest < target {
                integer::encode(dst, 0x20, 0x1f, lowest);
                self.table.set_max_size(lowest);
            }
            integer::encode(dst, 0x20, 0x1f, target);
            self.table.set_max_size(target);
        }
        for (name, value, indexing) in fields {
            self.encode_field(name, value, indexing, dst);
        }
    }

    #[inline]
    fn encode_field(&mut self, name: &[u8], value: &[u8], indexing: Indexing, dst: &mut Vec<u8>) {
        let from_static = static_name(name);
        if indexing != Indexing::Never {
            if let Some(i) = self.find_field(from_static, name, value) {
                // Indexed header field (§6.1).
                integer::encode(dst, 0x80, 0x7f, i);
                return;
            }
        }
        self.encode_literal(from_static, name, value, indexing, dst);
    }

    /// The index of an entry matching both name and value: static first, then dynamic.
    #[inline]
    fn find_field(
        &self,
        from_static: Option<StaticName>,
        name: &[u8],
        value: &[u8],
    ) -> Option<usize> {
        if let Some((index, entries)) = from_static {
            for (i, &(_, v)) in entries.iter().enumerate() {
                if octets_eq(v, value) {
                    return Some(index.wrapping_add(i));
                }
            }
        }
        match self.table.lookup(name, value) {
            Lookup::Field(i) => Some(i),
            _ => None,
        }
    }

    /// A literal field (§6.2): the name by index when a table has it (a static name rather
    /// than a dynamic one: its index is smaller and never moves), the value as a string.
    #[inline(never)]
    fn encode_literal(
        &mut self,
        from_static: Option<StaticName>,
        name: &[u8],
        value: &[u8],
        indexing: Indexing,
        dst: &mut Vec<u8>,
    ) {
        let exact = match indexing {
            // A never-indexed literal may still name a matching entry.
            Indexing::Never => self.find_field(from_static, name, value),
            Indexing::Auto | Indexing::No => None,
        };
        let name_index = match (exact, from_static) {
            (Some(i), _) => i,
            (None, Some((i, _))) => i,
            (None, None) => match self.table.lookup(name, value) {
                Lookup::Field(i) | Lookup::Name(i) => i,
                Lookup::None => 0,
            },
        };
        let size = entry_size(name.len(), value.len());
        let worth_indexing = size.saturating_mul(4) <= self.table.max_size().saturating_mul(3);
        match indexing {
            Indexing::Auto if worth_indexing => {
                // Literal with incremental indexing (§6.2.1).
                integer::encode(dst, 0x40, 0x3f, name_index);
                write_name_value(dst, name_index, name, value);
                let entry_name = match from_static {
                    Some((index, _)) => match static_field(index) {
                        Some((s, _)) => EntryName::Static(s),
                        None => EntryName::Copy(name),
                    },
                    None => EntryName::Copy(name),
                };
                self.table.insert(entry_name, value);
            }
            Indexing::Auto | Indexing::No => {
                // Literal without indexing (§6.2.2).
                integer::encode(dst, 0x00, 0x0f, name_index);
                write_name_value(dst, name_index, name, value);
            }
            Indexing::Never => {
                // Literal never indexed (§6.2.3).
                integer::encode(dst, 0x10, 0x0f, name_index);
                write_name_value(dst, name_index, name, value);
            }
        }
    }
}

/// Writes the name string (only when it is not indexed) and the value string of a literal.
#[inline]
fn write_name_value(dst: &mut Vec<u8>, name_index: usize, name: &[u8], value: &[u8]) {
    if name_index == 0 {
        write_string(dst, name);
    }
    write_string(dst, value);
}

/// Writes a string literal (§5.2), Huffman-coded when that is shorter.
#[inline]
fn write_string(dst: &mut Vec<u8>, s: &[u8]) {
    let coded_len = huffman::encoded_len(s);
    if coded_len < s.len() {
        integer::encode(dst, 0x80, 0x7f, coded_len);
        dst.reserve(coded_len);
        huffman::encode(s, dst);
    } else {
        integer::encode(dst, 0x00, 0x7f, s.len());
        dst.extend_from_slice(s);
    }
}
