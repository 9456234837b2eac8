//! Byte offsets (what Rust's `str` and regexes count) as UTF-16 code units (what a
//! JavaScript string index counts): a character outside the Basic Multilingual Plane (most
//! emoji) is two units, every other character one, and combining marks are characters of
//! their own.

/// The UTF-16 offset of byte offset `byte` of `text` (clamped to the text, and back to a
/// character boundary).
pub fn utf16_offset(text: &str, byte: usize) -> u32 {
    Utf16Offsets::new(text).at(byte)
}

/// Converts many byte offsets of one text, cheaply when they come in increasing order.
pub(crate) struct Utf16Offsets<'a> {
    text: &'a str,
    byte: usize,
    units: u32,
}

impl<'a> Utf16Offsets<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Utf16Offsets {
            text,
            byte: 0,
            units: 0,
        }
    }

    /// The UTF-16 offset of byte offset `byte`.
    pub(crate) fn at(&mut self, byte: usize) -> u32 {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte < self.byte {
            self.byte = 0;
            self.units = 0;
        }
        let units: usize = self.text[self.byte..byte]
            .chars()
            .map(char::len_utf16)
            .sum();
        self.units += u32::try_from(units).unwrap_or(u32::MAX);
        self.byte = byte;
        self.units
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_count_two_units_and_marks_one() {
        let text = "🙂 e\u{301}! 📞";
        assert_eq!(utf16_offset(text, 0), 0);
        assert_eq!(utf16_offset(text, 4), 2); // after the emoji
        assert_eq!(utf16_offset(text, 5), 3); // "e"
        assert_eq!(utf16_offset(text, 8), 5); // after the combining acute
        assert_eq!(utf16_offset(text, text.len()), 9);
        let mut offsets = Utf16Offsets::new(text);
        assert_eq!(offsets.at(8), 5);
        assert_eq!(offsets.at(4), 2);
        assert_eq!(offsets.at(100), 9);
    }
}
