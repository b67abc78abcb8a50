//! SETTINGS parameters ([RFC 9113 §6.5.2]), their defaults and the ranges a receiver must
//! enforce, plus the extension settings of [RFC 8441] (ENABLE_CONNECT_PROTOCOL) and
//! [RFC 9218] (NO_RFC7540_PRIORITIES).
//!
//! Unknown identifiers are legal and must be ignored by a receiver ([RFC 9113 §6.5.2]); this
//! module keeps them so that they can be reported and re-serialised in wire order.
//!
//! [RFC 9113 §6.5.2]: https://www.rfc-editor.org/rfc/rfc9113#section-6.5.2
//! [RFC 8441]: https://www.rfc-editor.org/rfc/rfc8441#section-3
//! [RFC 9218]: https://www.rfc-editor.org/rfc/rfc9218#section-2.1

use core::fmt;

use crate::error_code::ErrorCode;

/// A SETTINGS parameter identifier (16 bits on the wire).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SettingCode(pub u16);

impl SettingCode {
    /// 0x1: the largest HPACK dynamic table the sender's decoder allows (default 4,096).
    pub const HEADER_TABLE_SIZE: SettingCode = SettingCode(0x1);
    /// 0x2: whether server push is allowed (default 1; only a client may send 1).
    pub const ENABLE_PUSH: SettingCode = SettingCode(0x2);
    /// 0x3: the most concurrent streams the sender lets its peer open (default unlimited).
    pub const MAX_CONCURRENT_STREAMS: SettingCode = SettingCode(0x3);
    /// 0x4: the sender's initial stream-level receive window (default 65,535).
    pub const INITIAL_WINDOW_SIZE: SettingCode = SettingCode(0x4);
    /// 0x5: the largest frame payload the sender accepts (default 16,384).
    pub const MAX_FRAME_SIZE: SettingCode = SettingCode(0x5);
    /// 0x6: advisory limit on the decoded header list size (default unlimited).
    pub const MAX_HEADER_LIST_SIZE: SettingCode = SettingCode(0x6);
    /// 0x8: the sender accepts extended CONNECT with `:protocol` ([RFC 8441 §3]).
    ///
    /// [RFC 8441 §3]: https://www.rfc-editor.org/rfc/rfc8441#section-3
    pub const ENABLE_CONNECT_PROTOCOL: SettingCode = SettingCode(0x8);
    /// 0x9: the sender does not use RFC 7540 priorities ([RFC 9218 §2.1]).
    ///
    /// [RFC 9218 §2.1]: https://www.rfc-editor.org/rfc/rfc9218#section-2.1
    pub const NO_RFC7540_PRIORITIES: SettingCode = SettingCode(0x9);

    /// The RFC name of this identifier, or `None` when it is not one this crate knows.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x1 => "HEADER_TABLE_SIZE",
            0x2 => "ENABLE_PUSH",
            0x3 => "MAX_CONCURRENT_STREAMS",
            0x4 => "INITIAL_WINDOW_SIZE",
            0x5 => "MAX_FRAME_SIZE",
            0x6 => "MAX_HEADER_LIST_SIZE",
            0x8 => "ENABLE_CONNECT_PROTOCOL",
            0x9 => "NO_RFC7540_PRIORITIES",
            _ => return None,
        })
    }
}

impl SettingCode {
    /// What `Debug` writes: the RFC name, or `SettingCode(0x…)` for an unknown identifier.
    pub(crate) fn debug_name(self) -> String {
        match self.name() {
            Some(name) => name.to_owned(),
            None => msg!("SettingCode(", crate::msg::Hex(u64::from(self.0)), ")"),
        }
    }
}

impl fmt::Debug for SettingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug_name())
    }
}

impl From<u16> for SettingCode {
    fn from(code: u16) -> Self {
        SettingCode(code)
    }
}

/// One identifier/value pair of a SETTINGS frame.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Setting {
    /// The parameter.
    pub code: SettingCode,
    /// Its value.
    pub value: u32,
}

impl Setting {
    /// A pair.
    pub const fn new(code: SettingCode, value: u32) -> Self {
        Setting { code, value }
    }
}

/// Default SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2).
pub const DEFAULT_HEADER_TABLE_SIZE: u32 = 4_096;
/// Default SETTINGS_INITIAL_WINDOW_SIZE, also the initial connection window (RFC 9113 §6.9.2).
pub const DEFAULT_INITIAL_WINDOW_SIZE: u32 = 65_535;
/// Default, and smallest legal, SETTINGS_MAX_FRAME_SIZE.
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16_384;
/// Largest legal SETTINGS_MAX_FRAME_SIZE (2²⁴−1).
pub const MAX_MAX_FRAME_SIZE: u32 = (1 << 24) - 1;
/// Largest legal flow-control window and SETTINGS_INITIAL_WINDOW_SIZE (2³¹−1).
pub const MAX_WINDOW_SIZE: u32 = (1 << 31) - 1;

/// A SETTINGS value outside the range RFC 9113 §6.5.2 (or the extension RFCs) allows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct InvalidSetting {
    /// The offending pair.
    pub setting: Setting,
    /// The connection error a receiver must raise: FLOW_CONTROL_ERROR for
    /// INITIAL_WINDOW_SIZE, PROTOCOL_ERROR otherwise.
    pub error_code: ErrorCode,
}

impl InvalidSetting {
    /// The message `Display` writes.
    pub(crate) fn describe(&self) -> String {
        msg!("setting ", self.setting.code.debug_name(), " has invalid value ", self.setting.value)
    }
}

impl fmt::Display for InvalidSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Checks one value against the range its parameter allows.
///
/// * ENABLE_PUSH, ENABLE_CONNECT_PROTOCOL and NO_RFC7540_PRIORITIES: 0 or 1 (PROTOCOL_ERROR);
/// * INITIAL_WINDOW_SIZE: at most 2³¹−1 (FLOW_CONTROL_ERROR);
/// * MAX_FRAME_SIZE: 16,384 to 16,777,215 (PROTOCOL_ERROR);
/// * everything else, unknown identifiers included, is accepted.
///
/// Role-dependent rules (a server must not send ENABLE_PUSH = 1) belong to the connection.
pub fn validate(setting: Setting) -> Result<(), InvalidSetting> {
    let ok = match setting.code {
        SettingCode::ENABLE_PUSH
        | SettingCode::ENABLE_CONNECT_PROTOCOL
        | SettingCode::NO_RFC7540_PRIORITIES => setting.value <= 1,
        SettingCode::INITIAL_WINDOW_SIZE => setting.value <= MAX_WINDOW_SIZE,
        SettingCode::MAX_FRAME_SIZE => {
            (DEFAULT_MAX_FRAME_SIZE..=MAX_MAX_FRAME_SIZE).contains(&setting.value)
        }
        _ => true,
    };
    if ok {
        return Ok(());
    }
    let error_code = if setting.code == SettingCode::INITIAL_WINDOW_SIZE {
        ErrorCode::FLOW_CONTROL_ERROR
    } else {
        ErrorCode::PROTOCOL_ERROR
    };
    Err(InvalidSetting { setting, error_code })
}

/// An insertion-ordered set of settings with at most one value per identifier.
///
/// Setting an identifier that is already present replaces its value in place, which is how a
/// receiver must treat duplicates inside one SETTINGS frame ("processed in the order they
/// appear", RFC 9113 §6.5.3) while still remembering where each identifier first appeared.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Settings {
    entries: Vec<Setting>,
}

impl Settings {
    /// An empty set.
    pub const fn new() -> Self {
        Settings { entries: Vec::new() }
    }

    /// The value of `code`, if present.
    pub fn get(&self, code: SettingCode) -> Option<u32> {
        self.entries.iter().find(|s| s.code == code).map(|s| s.value)
    }

    /// Sets `code` to `value`, keeping the position of an existing entry.
    pub fn set(&mut self, code: SettingCode, value: u32) {
        match self.entries.iter_mut().find(|s| s.code == code) {
            Some(entry) => entry.value = value,
            None => self.entries.push(Setting { code, value }),
        }
    }

    /// Removes `code`, returning its value.
    pub fn remove(&mut self, code: SettingCode) -> Option<u32> {
        let index = self.entries.iter().position(|s| s.code == code)?;
        Some(self.entries.remove(index).value)
    }

    /// The entries in insertion order.
    pub fn iter(&self) -> core::slice::Iter<'_, Setting> {
        self.entries.iter()
    }

    /// The entries as a slice, in insertion order.
    pub fn as_slice(&self) -> &[Setting] {
        &self.entries
    }

    /// How many identifiers are present.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no identifier is present.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries.iter().map(|s| (s.code, s.value))).finish()
    }
}

impl FromIterator<Setting> for Settings {
    fn from_iter<I: IntoIterator<Item = Setting>>(iter: I) -> Self {
        let mut settings = Settings::new();
        for s in iter {
            settings.set(s.code, s.value);
        }
        settings
    }
}

impl<'a> IntoIterator for &'a Settings {
    type Item = &'a Setting;
    type IntoIter = core::slice::Iter<'a, Setting>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn check(code: SettingCode, value: u32) -> Result<(), ErrorCode> {
        validate(Setting::new(code, value)).map_err(|e| e.error_code)
    }

    #[test]
    fn ranges_follow_rfc_9113_section_6_5_2() {
        assert_eq!(check(SettingCode::ENABLE_PUSH, 1), Ok(()));
        assert_eq!(check(SettingCode::ENABLE_PUSH, 2), Err(ErrorCode::PROTOCOL_ERROR));
        assert_eq!(check(SettingCode::INITIAL_WINDOW_SIZE, MAX_WINDOW_SIZE), Ok(()));
        assert_eq!(
            check(SettingCode::INITIAL_WINDOW_SIZE, MAX_WINDOW_SIZE + 1),
            Err(ErrorCode::FLOW_CONTROL_ERROR)
        );
        assert_eq!(check(SettingCode::MAX_FRAME_SIZE, 16_383), Err(ErrorCode::PROTOCOL_ERROR));
        assert_eq!(check(SettingCode::MAX_FRAME_SIZE, 16_384), Ok(()));
        assert_eq!(check(SettingCode::MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE), Ok(()));
        assert_eq!(check(SettingCode::MAX_FRAME_SIZE, 1 << 24), Err(ErrorCode::PROTOCOL_ERROR));
        assert_eq!(check(SettingCode::ENABLE_CONNECT_PROTOCOL, 2), Err(ErrorCode::PROTOCOL_ERROR));
        assert_eq!(check(SettingCode::NO_RFC7540_PRIORITIES, 2), Err(ErrorCode::PROTOCOL_ERROR));
        assert_eq!(check(SettingCode::HEADER_TABLE_SIZE, u32::MAX), Ok(()));
        assert_eq!(check(SettingCode::MAX_CONCURRENT_STREAMS, 0), Ok(()));
        assert_eq!(check(SettingCode(0x42), u32::MAX), Ok(()));
    }

    #[test]
    fn set_keeps_first_position_and_last_value() {
        let mut s = Settings::new();
        s.set(SettingCode(0x42), 1);
        s.set(SettingCode::ENABLE_PUSH, 0);
        s.set(SettingCode(0x42), 7);
        let pairs: Vec<_> = s.iter().map(|s| (s.code.0, s.value)).collect();
        assert_eq!(pairs, vec![(0x42, 7), (0x2, 0)]);
        assert_eq!(s.remove(SettingCode(0x42)), Some(7));
        assert_eq!(s.len(), 1);
    }
}
