//! The HPACK decoder ([RFC 7541 §3], §6): turns the peer's header blocks into fields.

use super::error::DecodeError;
use bytes::Bytes;

use super::table::{entry_size, DynamicTable, EntryName, STATIC_LEN};
use super::{huffman, integer, Octets};

/// The default SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2).
const DEFAULT_TABLE_SIZE: usize = 4096;

/// Decodes the header blocks one peer sends on one connection ([RFC 7541 §3]).
///
/// The decoder owns the dynamic table the peer's encoder fills. Fields are handed to a
/// callback as slices borrowed from the block, the tables or internal scratch buffers, so
/// decoding allocates nothing per field except the copy of a field added to the dynamic
/// table (and even that goes into chunks the table reuses once their entries are evicted).
///
/// After any error other than [`DecodeError::HeaderListTooLarge`] the compression context
/// is lost: the decoder is dead and every later call returns the same error.
///
/// [RFC 7541 §3]: https://www.rfc-editor.org/rfc/rfc7541#section-3
#[derive(Clone, Debug)]
pub struct Decoder {
    pub(super) table: DynamicTable,
    /// Our acknowledged SETTINGS_HEADER_TABLE_SIZE: no size update may exceed it.
    max_allowed: usize,
    /// Set when we lowered `max_allowed` below the peer's table maximum: the next block must
    /// start with a size update.
    update_required: bool,
    /// SETTINGS_MAX_HEADER_LIST_SIZE, or `None` for no limit.
    max_list_size: Option<usize>,
    /// Scratch for Huffman-decoded names and values, reused across fields and blocks.
    name_buf: Vec<u8>,
    value_buf: Vec<u8>,
    /// The fatal error that killed this decoder, if any.
    failed: Option<DecodeError>,
}

impl Default for Decoder {
    fn default() -> Self {
        Decoder::new(DEFAULT_TABLE_SIZE)
    }
}

/// The header-list accounting of one block (RFC 9113 §6.5.2).
struct ListBudget {
    used: usize,
    max: Option<usize>,
    exceeded: bool,
}

impl ListBudget {
    /// Charges one field; returns whether it may still be handed to the caller.
    #[inline]
    fn charge(&mut self, name: &[u8], value: &[u8]) -> bool {
        self.used = self.used.saturating_add(entry_size(name.len(), value.len()));
        if let Some(max) = self.max {
            if self.used > max {
                self.exceeded = true;
            }
        }
        !self.exceeded
    }
}

impl Decoder {
    /// A decoder whose dynamic table may grow to `max_allowed_table_size`, our
    /// SETTINGS_HEADER_TABLE_SIZE (4096 unless we advertise another value) (RFC 7541 §4.2).
    pub fn new(max_allowed_table_size: usize) -> Self {
        Decoder {
            table: DynamicTable::new(max_allowed_table_size),
            max_allowed: max_allowed_table_size,
            update_required: false,
            max_list_size: None,
            name_buf: Vec::new(),
            value_buf: Vec::new(),
            failed: None,
        }
    }

    /// Applies a new SETTINGS_HEADER_TABLE_SIZE of ours once the peer has acknowledged it
    /// (RFC 7541 §4.2, RFC 9113 §6.5.3).
    ///
    /// Size updates above `n` are rejected from now on. If `n` is below the maximum the
    /// peer's encoder currently uses, the peer's next block must start with a size update
    /// that brings it down, or decoding fails with [`DecodeError::SizeUpdateMissing`].
    pub fn set_max_allowed_table_size(&mut self, n: usize) {
        self.max_allowed = n;
        if n < self.table.max_size() {
            self.update_required = true;
        }
    }

    /// Sets our SETTINGS_MAX_HEADER_LIST_SIZE (RFC 9113 §6.5.2): the most a decoded list may
    /// weigh, counting `name + value + 32` octets per field. `None` means no limit.
    pub fn set_max_header_list_size(&mut self, n: Option<usize>) {
        self.max_list_size = n;
    }

    /// The header list limit (RFC 9113 §6.5.2) set by
    /// [`set_max_header_list_size`](Self::set_max_header_list_size).
    pub fn max_header_list_size(&self) -> Option<usize> {
        self.max_list_size
    }

    /// Decodes one complete header block (RFC 7541 §3, §6), calling
    /// `on_field(name, value, never_indexed)` for each field in order. `never_indexed` is
    /// true for a literal never indexed (§6.2.3), which an intermediary must forward the
    /// same way.
    ///
    /// If the list grows past the header list limit, `on_field` is no longer called, but the
    /// rest of the block is still parsed so the dynamic table stays in step with the peer;
    /// the call then returns [`DecodeError::HeaderListTooLarge`] and the decoder remains
    /// usable. Any other error is fatal (see [`Decoder`]).
    pub fn decode<F: FnMut(&[u8], &[u8], bool)>(
        &mut self,
        block: &[u8],
        mut on_field: F,
    ) -> Result<(), DecodeError> {
        self.decode_octets(block, |name, value, never_indexed| {
            on_field(name.bytes, value.bytes, never_indexed);
        })
    }

    /// [`decode`](Self::decode), telling the caller which names and values are static table
    /// strings (so that it can keep them without copying).
    pub(crate) fn decode_octets<F: FnMut(Octets<'_>, Octets<'_>, bool)>(
        &mut self,
        block: &[u8],
        mut on_field: F,
    ) -> Result<(), DecodeError> {
        if let Some(err) = self.failed {
            return Err(err);
        }
        let result = self.decode_block(block, &mut on_field);
        if let Err(err) = result {
            if err.is_fatal() {
                self.failed = Some(err);
            }
        }
        result
    }

    /// The current size of the dynamic table: `name + value + 32` summed over its entries
    /// (RFC 7541 §4.1).
    pub fn table_size(&self) -> usize {
        self.table.size()
    }

    /// The number of entries in the dynamic table (RFC 7541 §2.3.2).
    pub fn table_len(&self) -> usize {
        self.table.len()
    }

    /// The maximum size of the dynamic table, as set by the peer's last size update
    /// (RFC 7541 §4.2); it starts at the allowed size.
    pub fn max_table_size(&self) -> usize {
        self.table.max_size()
    }

    /// The largest table size the peer may choose: our acknowledged
    /// SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §4.2).
    pub fn max_allowed_table_size(&self) -> usize {
        self.max_allowed
    }

    /// The fatal error this decoder hit, if any; once set, every call to
    /// [`decode`](Self::decode) returns it, since the compression context shared with the
    /// peer is lost (RFC 7541 §2.2, RFC 9113 §4.3).
    pub fn error(&self) -> Option<DecodeError> {
        self.failed
    }

    /// The decoding loop, generic over the callback so that the connection's is inlined.
    fn decode_block<F: FnMut(Octets<'_>, Octets<'_>, bool)>(
        &mut self,
        block: &[u8],
        on_field: &mut F,
    ) -> Result<(), DecodeError> {
        let mut input = block;
        let mut budget = ListBudget { used: 0, max: self.max_list_size, exceeded: false };
        // Dynamic table size updates (§6.3) may only come first, before any field.
        while let Some(&first) = input.first() {
            if first & 0xe0 != 0x20 {
                break;
            }
            let size = integer::decode(&mut input, 0x1f)?;
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            if size > self.max_allowed {
                return Err(DecodeError::SizeUpdateTooLarge);
            }
            self.table.set_max_size(size);
            self.update_required = false;
        }
        if self.update_required {
            return Err(DecodeError::SizeUpdateMissing);
        }
        while let Some(&first) = input.first() {
            if first & 0x80 != 0 {
                // Indexed header field (§6.1).
                let index = integer::decode(&mut input, 0x7f)?;
                let index = usize::try_from(index).unwrap_or(usize::MAX);
                let (name, value) = self.table.octets(index).ok_or(DecodeError::InvalidIndex)?;
                if budget.charge(name.bytes, value.bytes) {
                    on_field(name, value, false);
                }
            } else if first & 0x40 != 0 {
                // Literal with incremental indexing (§6.2.1).
                self.literal_with_indexing(&mut input, &mut budget, on_field)?;
            } else if first & 0x20 != 0 {
                // A size update after a field (§4.2: only at the start of a block).
                return Err(DecodeError::SizeUpdateNotAtStart);
            } else {
                // Literal without indexing (0000xxxx, §6.2.2) or never indexed (0001xxxx,
                // §6.2.3).
                let never_indexed = first & 0x10 != 0;
                let Decoder { table, name_buf, value_buf, .. } = self;
                let index = integer::decode(&mut input, 0x0f)?;
                let name = read_name(&mut input, index, table, name_buf)?;
                let value = read_string(&mut input, value_buf)?;
                if budget.charge(name.bytes, value) {
                    on_field(name, Octets::borrowed(value), never_indexed);
                }
            }
        }
        if budget.exceeded {
            return Err(DecodeError::HeaderListTooLarge);
        }
        Ok(())
    }

    /// Decodes a literal with incremental indexing (§6.2.1) and adds it to the table.
    fn literal_with_indexing<F: FnMut(Octets<'_>, Octets<'_>, bool)>(
        &mut self,
        input: &mut &[u8],
        budget: &mut ListBudget,
        on_field: &mut F,
    ) -> Result<(), DecodeError> {
        let index = integer::decode(input, 0x3f)?;
        let Decoder { table, name_buf, value_buf, .. } = self;
        // A name from the tables is referenced (static) or shared (dynamic), so that it no
        // longer borrows the table about to change; a literal name is copied on insertion.
        let name = if index == 0 {
            EntryName::Copy(read_string(input, name_buf)?)
        } else {
            let index = usize::try_from(index).unwrap_or(usize::MAX);
            let (name, _) = table.octets(index).ok_or(DecodeError::InvalidIndex)?;
            match (name.stat, name.shared) {
                (Some(s), _) => EntryName::Static(s),
                (None, Some(b)) => EntryName::Shared(b.clone()),
                (None, None) => EntryName::Shared(Bytes::copy_from_slice(name.bytes)),
            }
        };
        let value = read_string(input, value_buf)?;
        let deliver = budget.charge(name.bytes(), value);
        if !table.fits(name.bytes().len(), value.len()) {
            // Too large for the table: it empties the table and is not added (§4.4). Hand
            // the field over without copying it.
            if deliver {
                let stat = match name {
                    EntryName::Static(s) => Some(s),
                    _ => None,
                };
                on_field(
                    Octets { bytes: name.bytes(), stat, shared: None },
                    Octets::borrowed(value),
                    false,
                );
            }
            table.evict_all();
            return Ok(());
        }
        table.insert(name, value);
        if deliver {
            // The entry just added, handed over from the table.
            let (name, value) =
                table.octets(STATIC_LEN.wrapping_add(1)).ok_or(DecodeError::InvalidIndex)?;
            on_field(name, value, false);
        }
        Ok(())
    }
}

/// Reads the name of a literal (§6.2): from the tables when `index` is not 0, otherwise as a
/// string literal that follows.
#[inline]
fn read_name<'r, 'b: 'r, 't: 'r, 's: 'r>(
    input: &mut &'b [u8],
    index: u32,
    table: &'t DynamicTable,
    scratch: &'s mut Vec<u8>,
) -> Result<Octets<'r>, DecodeError> {
    if index == 0 {
        return read_string(input, scratch).map(Octets::borrowed);
    }
    let index = usize::try_from(index).unwrap_or(usize::MAX);
    table.octets(index).map(|(name, _)| name).ok_or(DecodeError::InvalidIndex)
}

/// Reads a string literal (§5.2): the raw octets borrowed from the block, or the
/// Huffman-decoded octets in `scratch`. The length is checked against the input left before
/// anything is decoded or reserved.
#[inline]
fn read_string<'r, 'b: 'r, 's: 'r>(
    input: &mut &'b [u8],
    scratch: &'s mut Vec<u8>,
) -> Result<&'r [u8], DecodeError> {
    let huffman = input.first().is_some_and(|&b| b & 0x80 != 0);
    let len = integer::decode(input, 0x7f)?;
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    let (raw, rest) = input.split_at_checked(len).ok_or(DecodeError::Truncated)?;
    *input = rest;
    if !huffman {
        return Ok(raw);
    }
    scratch.clear();
    huffman::decode(raw, scratch)?;
    Ok(scratch)
}
