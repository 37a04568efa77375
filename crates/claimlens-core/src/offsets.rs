//! Conversion from byte offsets to Unicode code-point offsets.
//!
//! Rust strings are indexed by UTF-8 bytes; Python, spaCy, brat and most annotation tools use
//! code points. Exports therefore convert every offset. Converting one offset by counting from
//! the start of the text would make a layer export quadratic, so [`CharIndex`] stores the
//! code-point count at every 64th byte and counts only the short remainder.

const BLOCK: usize = 64;

/// Byte-offset to code-point-offset converter for one text.
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    text: &'a str,
    /// `blocks[i]` = number of code points in `text[..i * BLOCK]`; empty when the text is ASCII.
    blocks: Vec<u32>,
}

impl<'a> CharIndex<'a> {
    /// Builds the index in one pass over the text.
    pub fn new(text: &'a str) -> CharIndex<'a> {
        if text.is_ascii() {
            return CharIndex {
                text,
                blocks: Vec::new(),
            };
        }
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut count = 0u32;
        for chunk in bytes.chunks(BLOCK) {
            blocks.push(count);
            // A code point starts at every byte that is not a UTF-8 continuation byte.
            count += chunk.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32;
        }
        blocks.push(count);
        CharIndex { text, blocks }
    }

    /// Code-point offset of a byte offset that lies on a character boundary.
    #[inline]
    pub fn char_offset(&self, byte: u32) -> u32 {
        let byte = byte as usize;
        debug_assert!(self.text.is_char_boundary(byte));
        if self.blocks.is_empty() {
            return byte as u32;
        }
        let block = byte / BLOCK;
        let base = self.blocks[block];
        let rest = &self.text.as_bytes()[block * BLOCK..byte];
        base + rest.iter().filter(|&&b| (b as i8) >= -0x40).count() as u32
    }

    /// Total number of code points.
    pub fn char_len(&self) -> u32 {
        self.char_offset(self.text.len() as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_code_points_in_mixed_scripts() {
        let text = "“Café” said 👩‍🔬 in العربية.";
        let idx = CharIndex::new(text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_offset(bi as u32), ci as u32);
        }
        assert_eq!(idx.char_len() as usize, text.chars().count());
    }

    proptest! {
        #[test]
        fn matches_naive_count(text in "\\PC{0,300}") {
            let idx = CharIndex::new(&text);
            for (bi, _) in text.char_indices() {
                prop_assert_eq!(idx.char_offset(bi as u32) as usize, text[..bi].chars().count());
            }
            prop_assert_eq!(idx.char_len() as usize, text.chars().count());
        }
    }
}
