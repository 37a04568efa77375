//! Word clusters of a large general vocabulary, read from pre-trained word vectors: the
//! 400,000 lower-case words of GloVe 6B (Wikipedia and Gigaword newswire), k-means
//! clustered by `scripts/build-glove-clusters.py` (source, licence and method there).
//!
//! They complement [`super::clusters`], which are learnt here from 2.1 M words of unlabelled
//! shared text and know only the names that text uses: a company, club or person it never
//! names has no cluster there, and usually one here ("norilsk" beside "sumitomo",
//! "feyenoord" beside "juventus"). The vocabulary is lower-case, so a word is looked up
//! lower-cased and case stays the taggers' other features' business.
//!
//! Only 32-bit hashes of the words are kept, in an open-addressing table of 2^19 slots
//! (3 MB in memory, one cache miss a lookup: a binary search over the sorted keys cost the
//! entity tagger a third of its speed): two words of one hash read the more frequent word's
//! cluster, and an unknown word that hashes to a key (about one in ten thousand) reads that
//! key's cluster; features can afford both.

use super::embedded::{inflate, Embedded, LoadError};
use super::perceptron::ModelFormatError;

/// Magic bytes of the file format (described in [`VectorClusters::from_bytes`]).
pub const MAGIC: &[u8; 8] = b"CLVCLU01";

/// The committed clusters (`models/glove-clusters.bin`), embedded so no file is read at run
/// time.
pub const EMBEDDED_VECTOR_CLUSTERS: &[u8] = include_bytes!("../../models/glove-clusters.bin");

static EMBEDDED: Embedded<VectorClusters> = Embedded::new(
    "glove-clusters",
    EMBEDDED_VECTOR_CLUSTERS,
    VectorClusters::from_bytes,
);

/// Lower-cased word (by hash) → (coarse, fine) cluster ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VectorClusters {
    coarse_of_fine: Vec<u16>,
    /// Where each bucket (a key's top 16 bits) starts in `low` and `fine`; one more entry
    /// closes the last bucket.
    bucket_start: Vec<u32>,
    /// The keys' low 16 bits, ascending within a bucket ...
    low: Vec<u16>,
    /// ... and each key's fine cluster.
    fine: Vec<u16>,
}

/// Buckets: one per value of a key's top 16 bits.
const BUCKETS: usize = 1 << 16;

const FNV_OFFSET: u32 = 0x811c_9dc5;
const FNV_PRIME: u32 = 0x0100_0193;

/// 32-bit FNV-1a of the word's lower-case UTF-8 bytes, lower-cased as it is hashed (no
/// allocation): the key the build script computes from GloVe's already lower-case words.
pub fn key_of(word: &str) -> u32 {
    let mut h = FNV_OFFSET;
    if word.is_ascii() {
        for b in word.bytes() {
            h = (h ^ b.to_ascii_lowercase() as u32).wrapping_mul(FNV_PRIME);
        }
        return h;
    }
    let mut buf = [0u8; 4];
    for c in word.chars().flat_map(char::to_lowercase) {
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h = (h ^ b as u32).wrapping_mul(FNV_PRIME);
        }
    }
    h
}

impl VectorClusters {
    /// The committed clusters, decoded on first use.
    pub fn embedded() -> Result<&'static VectorClusters, LoadError> {
        EMBEDDED.get()
    }

    /// `(coarse, fine)` of the word, lower-cased.
    pub fn lookup(&self, word: &str) -> Option<(u16, u16)> {
        let key = key_of(word);
        let bucket = (key >> 16) as usize;
        let start = *self.bucket_start.get(bucket)? as usize;
        let end = *self.bucket_start.get(bucket + 1)? as usize;
        // About six keys a bucket: a scan beats a search.
        let at = start + self.low[start..end].iter().position(|&l| l == key as u16)?;
        let fine = self.fine[at];
        Some((self.coarse_of_fine[fine as usize], fine))
    }

    /// Number of words (keys) with a cluster.
    pub fn word_count(&self) -> usize {
        self.low.len()
    }

    /// Number of fine clusters.
    pub fn fine_count(&self) -> usize {
        self.coarse_of_fine.len()
    }

    /// Reads the format the build script writes, little-endian: [`MAGIC`], the u32 length of
    /// the body and the body raw-deflated. Body: u16 fine-cluster count, each fine cluster's
    /// coarse id (u16), u32 key count, the keys ascending as u32 differences from the
    /// previous key (the first from 0), then each key's fine id (u16), in key order.
    pub fn from_bytes(bytes: &[u8]) -> Result<VectorClusters, ModelFormatError> {
        let err = |m: &str| ModelFormatError(m.to_owned());
        let (head, packed) = bytes
            .split_at_checked(MAGIC.len() + 4)
            .filter(|(head, _)| head.starts_with(MAGIC))
            .ok_or_else(|| err("not a CLVCLU01 cluster file"))?;
        let len = u32::from_le_bytes(head[MAGIC.len()..].try_into().expect("4 bytes"));
        let body = inflate(packed, len as usize)?;
        let mut pos = 0usize;
        let mut take = |n: usize| -> Result<&[u8], ModelFormatError> {
            let s = body
                .get(pos..pos.saturating_add(n))
                .ok_or_else(|| err("truncated"))?;
            pos += n;
            Ok(s)
        };
        let nfine = u16::from_le_bytes(take(2)?.try_into().expect("2 bytes")) as usize;
        let coarse_of_fine = take(2 * nfine)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let nkeys = u32::from_le_bytes(take(4)?.try_into().expect("4 bytes")) as usize;
        let deltas = take(nkeys.saturating_mul(4))?;
        let fines = take(nkeys.saturating_mul(2))?;
        if take(1).is_ok() {
            return Err(err("trailing bytes"));
        }
        // Straight from the inflated body into the buckets: no vector of whole keys.
        let mut bucket_start = vec![0u32; BUCKETS + 1];
        let (mut low, mut fine) = (Vec::with_capacity(nkeys), Vec::with_capacity(nkeys));
        let mut key = 0u32;
        for (i, (delta, f)) in deltas
            .chunks_exact(4)
            .zip(fines.chunks_exact(2))
            .enumerate()
        {
            let delta = u32::from_le_bytes(delta.try_into().expect("4 bytes"));
            if i > 0 && delta == 0 {
                return Err(err("keys not ascending"));
            }
            key = key
                .checked_add(delta)
                .ok_or_else(|| err("key out of range"))?;
            let f = u16::from_le_bytes([f[0], f[1]]);
            if f as usize >= nfine {
                return Err(err("fine cluster id out of range"));
            }
            bucket_start[(key >> 16) as usize + 1] += 1;
            low.push(key as u16);
            fine.push(f);
        }
        for b in 1..bucket_start.len() {
            bucket_start[b] += bucket_start[b - 1];
        }
        Ok(VectorClusters {
            coarse_of_fine,
            bucket_start,
            low,
            fine,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fnv1a_of_the_lower_case_bytes() {
        // FNV-1a test vectors (the build script's function must agree).
        assert_eq!(key_of(""), 0x811c_9dc5);
        assert_eq!(key_of("a"), 0xe40c_292c);
        assert_eq!(key_of("foobar"), 0xbf9c_f968);
        assert_eq!(key_of("FooBar"), key_of("foobar"));
        assert_eq!(key_of("ÉLYSÉE"), key_of("élysée"));
    }

    #[test]
    fn the_committed_clusters_group_words_that_behave_alike() {
        let c = VectorClusters::embedded().expect("embedded clusters load");
        assert!(c.word_count() > 399_000, "{}", c.word_count());
        let coarse = |w: &str| c.lookup(w).map(|(coarse, _)| coarse);
        let fine = |w: &str| c.lookup(w).map(|(_, fine)| fine);
        // Football clubs with clubs, capitals with capitals, mining companies together.
        assert_eq!(fine("Juventus"), fine("feyenoord"));
        assert_eq!(fine("Paris"), fine("moscow"));
        assert_eq!(coarse("Paris"), coarse("BERLIN"));
        assert_ne!(coarse("Paris"), coarse("juventus"));
        assert_eq!(fine("NORILSK"), fine("newmont"));
        assert!(c.lookup("qzxjv-not-a-word-9").is_none());
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let bytes = EMBEDDED_VECTOR_CLUSTERS;
        assert!(VectorClusters::from_bytes(&bytes[..20]).is_err());
        assert!(VectorClusters::from_bytes(b"CLVCLU01").is_err());
        assert!(VectorClusters::from_bytes(b"").is_err());
        let mut wrong_length = bytes.to_vec();
        wrong_length[8] ^= 1;
        assert!(VectorClusters::from_bytes(&wrong_length).is_err());
    }
}
