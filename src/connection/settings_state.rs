//! Settings in force on each side of the connection, and those waiting for an ACK
//! ([RFC 9113 §6.5.3]).
//!
//! Each setting holds its current value and a queue of pending values. A SETTINGS ACK moves
//! **every** setting that has a pending value forward by one — python h2's rule, kept for
//! parity (with two SETTINGS frames outstanding that change different settings, the first ACK
//! applies both).
//!
//! [RFC 9113 §6.5.3]: https://www.rfc-editor.org/rfc/rfc9113#section-6.5.3

use std::collections::VecDeque;

use crate::events::ChangedSetting;
use crate::settings::{self, Setting, SettingCode};

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    code: SettingCode,
    current: Option<u32>,
    pending: VecDeque<u32>,
}

/// One side's settings: current values plus values sent but not yet acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsState {
    entries: Vec<Entry>,
    /// The current values of the settings coded 0 to 15, by code, mirrored from `entries`:
    /// the engine reads them on every stream and header block.
    known: [Option<u32>; KNOWN],
}

/// How many setting codes [`SettingsState`] mirrors for fast reads.
const KNOWN: usize = 16;

impl SettingsState {
    /// The defaults every endpoint starts from (RFC 9113 §6.5.2): HEADER_TABLE_SIZE 4,096,
    /// ENABLE_PUSH (1 for a client's settings, 0 for a server's), INITIAL_WINDOW_SIZE 65,535,
    /// MAX_FRAME_SIZE 16,384, ENABLE_CONNECT_PROTOCOL 0. MAX_CONCURRENT_STREAMS and
    /// MAX_HEADER_LIST_SIZE start unset (unlimited).
    pub fn with_defaults(client: bool) -> Self {
        let initial = [
            (SettingCode::HEADER_TABLE_SIZE, settings::DEFAULT_HEADER_TABLE_SIZE),
            (SettingCode::ENABLE_PUSH, u32::from(client)),
            (SettingCode::INITIAL_WINDOW_SIZE, settings::DEFAULT_INITIAL_WINDOW_SIZE),
            (SettingCode::MAX_FRAME_SIZE, settings::DEFAULT_MAX_FRAME_SIZE),
            (SettingCode::ENABLE_CONNECT_PROTOCOL, 0),
        ];
        let mut state = SettingsState { entries: Vec::new(), known: [None; KNOWN] };
        for (code, value) in initial {
            state.set_current(code, value);
        }
        state
    }

    /// Keeps `known` in step with a current value.
    fn mirror(&mut self, code: SettingCode, value: Option<u32>) {
        if let Some(slot) = self.known.get_mut(usize::from(code.0)) {
            *slot = value;
        }
    }

    /// Sets a current value directly (initial configuration), keeping the position of an
    /// existing entry.
    pub fn set_current(&mut self, code: SettingCode, value: u32) {
        match self.entries.iter_mut().find(|e| e.code == code) {
            Some(e) => e.current = Some(value),
            None => {
                self.entries.push(Entry { code, current: Some(value), pending: VecDeque::new() })
            }
        }
        self.mirror(code, Some(value));
    }

    /// The value in force, if any.
    #[inline]
    pub fn get(&self, code: SettingCode) -> Option<u32> {
        match self.known.get(usize::from(code.0)) {
            Some(&value) => value,
            None => self.entries.iter().find(|e| e.code == code).and_then(|e| e.current),
        }
    }

    /// The value that will be in force once everything sent is acknowledged.
    pub fn latest(&self, code: SettingCode) -> Option<u32> {
        self.entries
            .iter()
            .find(|e| e.code == code)
            .and_then(|e| e.pending.back().copied().or(e.current))
    }

    /// SETTINGS_HEADER_TABLE_SIZE in force.
    pub fn header_table_size(&self) -> u32 {
        self.get(SettingCode::HEADER_TABLE_SIZE).unwrap_or(settings::DEFAULT_HEADER_TABLE_SIZE)
    }

    /// SETTINGS_ENABLE_PUSH in force, as a flag.
    pub fn enable_push(&self) -> bool {
        self.get(SettingCode::ENABLE_PUSH).unwrap_or(0) != 0
    }

    /// SETTINGS_INITIAL_WINDOW_SIZE in force.
    pub fn initial_window_size(&self) -> u32 {
        self.get(SettingCode::INITIAL_WINDOW_SIZE).unwrap_or(settings::DEFAULT_INITIAL_WINDOW_SIZE)
    }

    /// SETTINGS_MAX_FRAME_SIZE in force.
    pub fn max_frame_size(&self) -> u32 {
        self.get(SettingCode::MAX_FRAME_SIZE).unwrap_or(settings::DEFAULT_MAX_FRAME_SIZE)
    }

    /// SETTINGS_MAX_CONCURRENT_STREAMS in force (`u64` so that "unset" can read as more than
    /// any `u32`, as in h2 where it reads 2³²+1).
    pub fn max_concurrent_streams(&self) -> u64 {
        self.get(SettingCode::MAX_CONCURRENT_STREAMS).map_or((1 << 32) + 1, u64::from)
    }

    /// SETTINGS_MAX_HEADER_LIST_SIZE in force, `None` when unset.
    pub fn max_header_list_size(&self) -> Option<u32> {
        self.get(SettingCode::MAX_HEADER_LIST_SIZE)
    }

    /// SETTINGS_ENABLE_CONNECT_PROTOCOL in force, as a flag.
    pub fn enable_connect_protocol(&self) -> bool {
        self.get(SettingCode::ENABLE_CONNECT_PROTOCOL).unwrap_or(0) != 0
    }

    /// Every setting that has a current value, in order.
    pub fn current_values(&self) -> Vec<Setting> {
        self.entries.iter().filter_map(|e| Some(Setting::new(e.code, e.current?))).collect()
    }

    /// Every setting with a value, each at the value it will have once everything sent is
    /// acknowledged, in order: what our first SETTINGS frame announces.
    pub fn latest_values(&self) -> Vec<Setting> {
        self.entries
            .iter()
            .filter_map(|e| Some(Setting::new(e.code, e.pending.back().copied().or(e.current)?)))
            .collect()
    }

    /// Queues `value` behind the values already pending for `code`.
    pub fn push_pending(&mut self, code: SettingCode, value: u32) {
        match self.entries.iter_mut().find(|e| e.code == code) {
            Some(e) => e.pending.push_back(value),
            None => {
                self.entries.push(Entry { code, current: None, pending: VecDeque::from([value]) })
            }
        }
    }

    /// Applies an ACK: every setting with a pending value moves forward by one. Returns the
    /// changes in setting order.
    pub fn acknowledge(&mut self) -> Vec<ChangedSetting> {
        let mut changes = Vec::new();
        for e in &mut self.entries {
            if let Some(new_value) = e.pending.pop_front() {
                changes.push(ChangedSetting {
                    setting: e.code,
                    original_value: e.current,
                    new_value,
                });
                e.current = Some(new_value);
            }
        }
        for change in &changes {
            self.mirror(change.setting, Some(change.new_value));
        }
        changes
    }

    /// Whether any value awaits an ACK.
    pub fn has_pending(&self) -> bool {
        self.entries.iter().any(|e| !e.pending.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn ack_moves_every_pending_setting_by_one() {
        let mut s = SettingsState::with_defaults(true);
        s.push_pending(SettingCode::MAX_FRAME_SIZE, 20_000);
        s.push_pending(SettingCode::MAX_FRAME_SIZE, 30_000);
        s.push_pending(SettingCode(0x42), 7);
        assert_eq!(s.get(SettingCode::MAX_FRAME_SIZE), Some(16_384));
        assert_eq!(s.latest(SettingCode::MAX_FRAME_SIZE), Some(30_000));
        let first = s.acknowledge();
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].original_value, Some(16_384));
        assert_eq!(
            first[1],
            ChangedSetting { setting: SettingCode(0x42), original_value: None, new_value: 7 }
        );
        assert_eq!(s.get(SettingCode(0x42)), Some(7));
        assert_eq!(s.get(SettingCode::MAX_FRAME_SIZE), Some(20_000));
        let second = s.acknowledge();
        assert_eq!(second.len(), 1);
        assert_eq!(s.max_frame_size(), 30_000);
        assert!(s.acknowledge().is_empty());
        assert_eq!(s.max_concurrent_streams(), (1 << 32) + 1);
    }
}
