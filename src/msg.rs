//! Error and log messages assembled without `core::fmt`.
//!
//! In WebAssembly every `format!` call site builds an argument table, and printing a type
//! through `Display` or `Debug` links that impl and the formatter paths it uses; the engine's
//! messages only ever join text and integers. [`msg!`] appends its parts to a `String` one by
//! one, and the messages read exactly as the `format!` strings they replace.

/// One part of a message: text, or an integer written in decimal.
pub(crate) trait Part {
    /// Appends the part to `out`.
    fn put(self, out: &mut String);
}

impl Part for &str {
    fn put(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Part for &String {
    fn put(self, out: &mut String) {
        out.push_str(self);
    }
}

impl Part for String {
    fn put(self, out: &mut String) {
        out.push_str(&self);
    }
}

impl Part for u64 {
    fn put(self, out: &mut String) {
        digits(self, 10, out);
    }
}

impl Part for u32 {
    fn put(self, out: &mut String) {
        digits(u64::from(self), 10, out);
    }
}

impl Part for u16 {
    fn put(self, out: &mut String) {
        digits(u64::from(self), 10, out);
    }
}

impl Part for u8 {
    fn put(self, out: &mut String) {
        digits(u64::from(self), 10, out);
    }
}

impl Part for usize {
    fn put(self, out: &mut String) {
        digits(u64::try_from(self).unwrap_or(u64::MAX), 10, out);
    }
}

impl Part for i64 {
    fn put(self, out: &mut String) {
        if self < 0 {
            out.push('-');
        }
        digits(self.unsigned_abs(), 10, out);
    }
}

/// An integer written as `{:#x}` writes it: `0x` and lowercase hex digits.
pub(crate) struct Hex(pub(crate) u64);

impl Part for Hex {
    fn put(self, out: &mut String) {
        out.push_str("0x");
        digits(self.0, 16, out);
    }
}

/// Appends `n` in base `radix` (at most 16), most significant digit first.
fn digits(mut n: u64, radix: u64, out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    // u64::MAX has 20 decimal digits.
    let mut buf = [0u8; 20];
    let mut len = 0usize;
    loop {
        let d = DIGITS.get(usize::try_from(n % radix).unwrap_or(0)).copied().unwrap_or(b'0');
        if let Some(slot) = buf.get_mut(len) {
            *slot = d;
        }
        len = len.saturating_add(1);
        n /= radix;
        if n == 0 {
            break;
        }
    }
    for &d in buf.iter().take(len).rev() {
        out.push(char::from(d));
    }
}

/// Joins the parts (each a [`Part`]: `&str`, `String`, an integer, [`Hex`]) into a `String`.
macro_rules! msg {
    ($($part:expr),+ $(,)?) => {{
        let mut out = ::std::string::String::new();
        $( $crate::msg::Part::put($part, &mut out); )+
        out
    }};
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn parts_read_as_format_writes_them() {
        for n in [0u64, 1, 9, 10, 99, 100, 65_535, 2_147_483_647, u64::MAX] {
            assert_eq!(msg!(n), format!("{n}"));
            assert_eq!(msg!(Hex(n)), format!("{n:#x}"));
        }
        for n in [0i64, -1, 1, -2_147_483_648, i64::MIN, i64::MAX] {
            assert_eq!(msg!(n), format!("{n}"));
        }
        assert_eq!(
            msg!(u32::MAX, " ", usize::MAX, " ", 255u8, " ", 7u16),
            format!("{} {} 255 7", u32::MAX, usize::MAX)
        );
        assert_eq!(crate::SettingCode(0xabcd).debug_name(), "SettingCode(0xabcd)");
        assert_eq!(crate::SettingCode(0x4).debug_name(), "INITIAL_WINDOW_SIZE");
        let s = String::from("b");
        assert_eq!(msg!("a", &s, s.clone(), "c"), "abbc");
    }
}
