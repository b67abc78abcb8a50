//! Flow-control window arithmetic ([RFC 9113 §5.2, §6.9]).
//!
//! Send windows are plain signed counters (they may go negative after the peer lowers
//! SETTINGS_INITIAL_WINDOW_SIZE, §6.9.2). Receive windows are managed by [`WindowManager`],
//! which also decides when acknowledged data is worth a WINDOW_UPDATE, with python h2's
//! batching rule so that the frames on the wire match it.
//!
//! [RFC 9113 §5.2, §6.9]: https://www.rfc-editor.org/rfc/rfc9113#section-6.9
#![deny(clippy::arithmetic_side_effects)]

use crate::error::{H2Error, H2Result};

/// The largest legal window, 2³¹−1 (RFC 9113 §6.9.1).
pub const MAX_WINDOW: i64 = (1 << 31) - 1;

/// Adds `increment` to a send window, failing with `FlowControlError` past 2³¹−1.
pub fn guarded_add(window: i64, increment: i64) -> H2Result<i64> {
    match window.checked_add(increment) {
        Some(w) if w <= MAX_WINDOW => Ok(w),
        _ => Err(H2Error::flow_control(msg!(
            "may not increment flow control window past ",
            MAX_WINDOW
        ))),
    }
}

/// A receive window and the bookkeeping behind automatic WINDOW_UPDATEs.
///
/// `current` is what the peer may still send; `max` is the size we aim to keep open;
/// `processed` counts octets the application has acknowledged since the last update.
/// [`process_bytes`](WindowManager::process_bytes) returns an increment when either
///
/// * the window is exhausted and more than `min(1024, max / 4)` octets are acknowledged, or
/// * at least `max / 2` octets are acknowledged,
///
/// capped so the window never exceeds `max`. This is python h2's rule: with the default
/// 65,535 window nothing is sent before 32,767 octets are acknowledged, or 1,025 once the
/// window is used up.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct WindowManager {
    max: i64,
    current: i64,
    processed: i64,
}

impl WindowManager {
    /// A window of `size` octets, fully open.
    pub fn new(size: u32) -> Self {
        let size = i64::from(size).min(MAX_WINDOW);
        WindowManager { max: size, current: size, processed: 0 }
    }

    /// What the peer may still send.
    pub fn current(&self) -> i64 {
        self.current
    }

    /// The size this window aims to keep open.
    pub fn max(&self) -> i64 {
        self.max
    }

    /// The peer sent `size` flow-controlled octets; going below zero is a
    /// `FlowControlError`. An empty frame consumes nothing and is accepted even when the
    /// window is negative after a SETTINGS decrease (RFC 9113 §6.9.2).
    pub fn consume(&mut self, size: u32) -> H2Result<()> {
        if size == 0 {
            return Ok(());
        }
        self.current = self.current.saturating_sub(i64::from(size));
        if self.current < 0 {
            return Err(H2Error::flow_control("flow control window shrunk below 0"));
        }
        Ok(())
    }

    /// We opened the window by `size` (negative for a SETTINGS decrease); past 2³¹−1 is a
    /// `FlowControlError`. The target size grows with it.
    pub fn open(&mut self, size: i64) -> H2Result<()> {
        self.current = self.current.saturating_add(size);
        if self.current > MAX_WINDOW {
            return Err(H2Error::flow_control(msg!(
                "flow control window mustn't exceed ",
                MAX_WINDOW
            )));
        }
        self.max = self.max.max(self.current);
        Ok(())
    }

    /// SETTINGS_INITIAL_WINDOW_SIZE changed by `delta` (after our SETTINGS were
    /// acknowledged): shift both the window and its target.
    pub fn shift(&mut self, delta: i64) -> H2Result<()> {
        let target = self.max.saturating_add(delta);
        self.open(delta)?;
        self.max = target;
        Ok(())
    }

    /// The application consumed `size` octets; returns the WINDOW_UPDATE increment to send,
    /// if one is due.
    pub fn process_bytes(&mut self, size: u64) -> Option<u32> {
        let size = i64::try_from(size).unwrap_or(i64::MAX);
        self.processed = self.processed.saturating_add(size);
        if self.processed == 0 {
            return None;
        }
        let room = self.max.saturating_sub(self.current);
        let exhausted_rule = self.current == 0 && self.processed > (self.max / 4).min(1024);
        let half_rule = self.processed >= self.max / 2;
        let mut increment = 0;
        if exhausted_rule || half_rule {
            increment = self.processed.min(room).max(0);
            self.processed = 0;
        }
        self.current = self.current.saturating_add(increment);
        u32::try_from(increment).ok().filter(|&i| i > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn batching_follows_h2_thresholds() {
        let mut w = WindowManager::new(65_535);
        w.consume(40_000).unwrap();
        assert_eq!(w.process_bytes(32_766), None);
        assert_eq!(w.process_bytes(1), Some(32_767));
        assert_eq!(w.current(), 65_535 - 40_000 + 32_767);
    }

    #[test]
    fn exhausted_window_updates_after_1024() {
        let mut w = WindowManager::new(65_535);
        w.consume(65_535).unwrap();
        assert_eq!(w.process_bytes(1024), None);
        assert_eq!(w.process_bytes(1), Some(1025));
    }

    #[test]
    fn an_empty_frame_is_accepted_by_a_negative_window() {
        let mut w = WindowManager::new(100);
        w.consume(100).unwrap();
        w.shift(-50).unwrap();
        assert_eq!(w.current(), -50);
        w.consume(0).unwrap();
        assert!(w.consume(1).is_err());
    }

    #[test]
    fn overflow_and_underflow_are_errors() {
        let mut w = WindowManager::new(10);
        assert!(w.consume(11).is_err());
        let mut w = WindowManager::new(MAX_WINDOW as u32);
        assert!(w.open(1).is_err());
        assert!(guarded_add(MAX_WINDOW, 1).is_err());
        assert_eq!(guarded_add(-5, 10).unwrap(), 5);
    }
}
