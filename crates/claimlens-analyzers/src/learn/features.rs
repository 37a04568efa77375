//! Hashed token features.
//!
//! Every feature is a template id and a value hashed together with 32-bit FNV-1a, so
//! extraction allocates nothing per token: the features of a sequence go into one flat
//! vector with per-token start offsets. By convention a token's second feature (index 1)
//! is its word identity, which the perceptron's history features combine with past tags.

/// Features of every token of one sequence, flattened.
#[derive(Debug, Default, Clone)]
pub struct Features {
    /// All feature hashes.
    pub values: Vec<u32>,
    /// `values[starts[i]..starts[i + 1]]` are token i's features.
    pub starts: Vec<usize>,
}

impl Features {
    /// Token i's features.
    pub fn of(&self, i: usize) -> &[u32] {
        &self.values[self.starts[i]..self.starts[i + 1]]
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// The features of tokens `range` as a sequence of their own.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Features {
        let (a, b) = (self.starts[range.start], self.starts[range.end]);
        Features {
            values: self.values[a..b].to_vec(),
            starts: self.starts[range]
                .iter()
                .map(|s| s - a)
                .chain([b - a])
                .collect(),
        }
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Replaces `out` with `s` lowercased by Unicode's rules; an ASCII word (most of them)
/// byte by byte, which gives the same and skips decoding characters.
pub fn lowercase_into(out: &mut String, s: &str) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

const FNV_OFFSET: u32 = 0x811c9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// FNV-1a over a template id and values: one feature hash, no allocation.
#[derive(Clone, Copy)]
pub struct Hasher(u32);

impl Hasher {
    /// Starts a feature of template `template`: each tagger's `#[repr(u8)]` template enum,
    /// whose discriminants are thereby part of its trained model.
    pub fn new(template: impl Into<u8>) -> Self {
        Hasher((FNV_OFFSET ^ template.into() as u32).wrapping_mul(FNV_PRIME))
    }
    /// Adds one byte.
    pub fn byte(mut self, b: u8) -> Self {
        self.0 = (self.0 ^ b as u32).wrapping_mul(FNV_PRIME);
        self
    }
    /// Adds a word lowercased (ASCII), digits folded to `0`, then a terminator.
    pub fn word(mut self, w: &str) -> Self {
        for &b in w.as_bytes() {
            let b = if b.is_ascii_digit() {
                b'0'
            } else {
                b.to_ascii_lowercase()
            };
            self = self.byte(b);
        }
        self.byte(0xff)
    }
    /// Adds bytes as they are (case kept), then a terminator.
    pub fn raw(mut self, s: &[u8]) -> Self {
        for &b in s {
            self = self.byte(b);
        }
        self.byte(0xff)
    }
    /// The feature hash.
    pub fn finish(self) -> u32 {
        self.0
    }
}
