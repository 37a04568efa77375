//! The weight table a trained model tags with: its rows sorted by feature id in one vector,
//! and a directory from the top bits of an id to the run of rows that start with them.
//!
//! Why not the hash map the trainer uses: a model file stores its rows sorted by feature id,
//! so decoding into this table is appending rows and one sequential pass over them for the
//! directory, where filling a hash map was about 520,000 inserts at random places in a
//! cold table (a quarter of a one-article run). Lookups cost the same two cache misses as
//! the map (the directory, then the rows of one bucket, id and weights side by side):
//! feature ids are FNV hashes, spread evenly over `u32`, so with about one bucket per row a
//! bucket holds one or two rows.

use super::perceptron::Weights;

/// Where a tagger's weights are looked up: the trainer's hash map or a trained [`Table`].
pub trait Rows<const N: usize> {
    /// The weights of feature `f`, if it has any.
    fn row(&self, f: u32) -> Option<&[f32; N]>;
}

impl<const N: usize> Rows<N> for Weights<N> {
    #[inline]
    fn row(&self, f: u32) -> Option<&[f32; N]> {
        self.get(&f)
    }
}

/// Trained weights: rows sorted by feature id, with a directory by the id's top bits.
#[derive(Debug, Clone)]
pub struct Table<const N: usize> {
    /// (feature id, weights), ids strictly increasing.
    entries: Vec<(u32, [f32; N])>,
    /// `entries[dir[b]..dir[b + 1]]` are the rows whose id shifted right by `shift` is `b`.
    dir: Vec<u32>,
    shift: u32,
}

impl<const N: usize> Default for Table<N> {
    fn default() -> Self {
        Table::from_sorted(Vec::new())
    }
}

impl<const N: usize> Table<N> {
    /// A table over rows already sorted by strictly increasing id (what a model file
    /// holds; the decoder checks the order).
    pub fn from_sorted(entries: Vec<(u32, [f32; N])>) -> Table<N> {
        debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
        // About one bucket per row, between 2 and 2^24 buckets.
        let bits = entries.len().max(2).ilog2().clamp(1, 24);
        let shift = 32 - bits;
        let mut dir = Vec::with_capacity((1 << bits) + 1);
        dir.push(0);
        // The ids are sorted, so their buckets come in order: one pass fills the directory.
        let mut next = 0usize;
        for b in 1..=(1u64 << bits) {
            while next < entries.len() && u64::from(entries[next].0 >> shift) < b {
                next += 1;
            }
            dir.push(next as u32);
        }
        Table {
            entries,
            dir,
            shift,
        }
    }

    /// A table over rows in any order; of rows with the same id the last one counts (as
    /// inserting them into a map one by one would).
    pub fn from_unsorted(mut entries: Vec<(u32, [f32; N])>) -> Table<N> {
        // Stable, so equal ids keep their order and the last can be kept.
        entries.sort_by_key(|e| e.0);
        let mut kept: Vec<(u32, [f32; N])> = Vec::with_capacity(entries.len());
        for e in entries {
            match kept.last_mut() {
                Some(last) if last.0 == e.0 => *last = e,
                _ => kept.push(e),
            }
        }
        Table::from_sorted(kept)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The weights of feature `f`.
    #[inline]
    pub fn get(&self, f: u32) -> Option<&[f32; N]> {
        let b = (f >> self.shift) as usize;
        let (lo, hi) = (self.dir[b] as usize, self.dir[b + 1] as usize);
        self.entries[lo..hi].iter().find(|e| e.0 == f).map(|e| &e.1)
    }

    /// Every row, by increasing id.
    pub fn iter(&self) -> impl Iterator<Item = &(u32, [f32; N])> {
        self.entries.iter()
    }
}

impl<const N: usize> Rows<N> for Table<N> {
    #[inline]
    fn row(&self, f: u32) -> Option<&[f32; N]> {
        self.get(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_row_and_nothing_else() {
        let ids = [0u32, 1, 5, 0x7fff_ffff, 0x8000_0000, 0xdead_beef, u32::MAX];
        let t = Table::from_sorted(ids.iter().map(|&f| (f, [f as f32, 1.0])).collect());
        assert_eq!(t.len(), ids.len());
        for f in ids {
            assert_eq!(t.get(f), Some(&[f as f32, 1.0]));
        }
        for f in [2u32, 6, 0x8000_0001, u32::MAX - 1] {
            assert_eq!(t.get(f), None);
        }
        let empty = Table::<3>::default();
        assert!(empty.is_empty() && empty.get(0).is_none() && empty.get(u32::MAX).is_none());
        let last_wins = Table::from_unsorted(vec![(9, [1.0]), (3, [2.0]), (9, [3.0])]);
        let rows: Vec<_> = last_wins.iter().copied().collect();
        assert_eq!(rows, vec![(3, [2.0]), (9, [3.0])]);
    }

    #[test]
    fn many_random_ids() {
        let mut state = 7u64;
        let mut rows: Vec<(u32, [f32; 1])> = (0..5000)
            .map(|i| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                ((state >> 32) as u32, [i as f32])
            })
            .collect();
        let t = Table::from_unsorted(rows.clone());
        rows.sort_by_key(|r| r.0);
        for (f, w) in &rows {
            assert_eq!(t.get(*f), Some(w));
        }
    }
}
