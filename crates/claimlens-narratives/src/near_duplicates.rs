//! Near-duplicate documents: which articles are republications of an earlier one, with small
//! edits. Pure and IO-free: the store feeds it texts in publication order.
//!
//! * **Shingles**: every run of `k` consecutive lower-cased words (alphanumeric runs, as the
//!   retrieval tokenizer splits them, without stop-word removal or stemming), hashed to `u64`
//!   with xxh3; a text shorter than `k` words is one shingle. Sets are sorted and deduplicated.
//! * **MinHash**: one xxh3 hash per shingle, then per permutation `i` the bijection
//!   `fmix64(h·aᵢ + bᵢ)` (odd `aᵢ`; each step is invertible on `u64`, so each is a true
//!   permutation of the hash space) and the minimum over the set: 128 values by default.
//! * **LSH banding** ([`Banding::for_threshold`]): `b` bands of `r` rows, the largest `r`
//!   (fewest spurious candidates) whose S-curve `1 − (1 − J^r)^b` still makes a pair *at* the
//!   threshold a candidate with probability ≥ 0.95. Its inflection `(1/b)^(1/r)` then lies
//!   below the threshold: banding is biased to recall, because every candidate is checked
//!   exactly afterwards and a missed pair cannot be recovered.
//! * **Clusters by first-seen document** ([`Clusterer`]): documents arrive in publication
//!   order. A document joins the cluster whose *first-seen* document it resembles most, when
//!   their **exact** shingle Jaccard is ≥ the threshold; otherwise it starts a cluster of its
//!   own. Only first-seen documents are indexed, so a chain A ~ B ~ C where A and C are below
//!   the threshold never merges A and C (B joins A; C, unlike A, starts its own cluster or
//!   joins another first-seen document it does resemble). Every member's Jaccard is measured
//!   against the article the cluster is *about*, which is what "who copied this story" asks.
//!
//! Why no crate: `gaoya` (the MinHash/LSH crate the request named) brings its own clustering
//! of LSH candidates (transitive, without the exact check above), pulls `rayon`, `fnv` and
//! others, and hashes shingles its own way; the parts needed here — a shingler, 128
//! multiply-add-mix hashes and a band table — are about a hundred lines, tested below.
//! Hashing uses `xxhash-rust` (xxh3), a small, well-kept, dependency-free crate.
//!
//! ```
//! use claimlens_narratives::near_duplicates::{Clusterer, Settings};
//!
//! let story = "The harbour authority said on Monday that both cranes on the north quay \
//!              will be replaced before the winter storms, at a cost of four million euros.";
//! let copy = format!("{story} Reporting by the Gazette.");
//! let other = "A new library opened in the old town hall, with a reading room for children \
//!              and a cafe run by volunteers from the neighbourhood association.";
//! let mut clusterer = Clusterer::new(Settings::default()).unwrap();
//! for text in [story, copy.as_str(), other] {
//!     clusterer.add(text);
//! }
//! let clusters = clusterer.into_clusters();
//! assert_eq!(clusters.len(), 2);
//! assert_eq!(clusters[0].members.iter().map(|m| m.doc).collect::<Vec<_>>(), [0, 1]);
//! ```

use std::collections::HashMap;

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use crate::bm25::Tokenizer;

/// Words per shingle when none is asked for: five words make a phrase specific enough that two
/// unrelated articles rarely share it, and short enough that one edited word spoils few.
pub const DEFAULT_SHINGLE_WORDS: usize = 5;
/// MinHash values per document.
pub const DEFAULT_PERMUTATIONS: usize = 128;
/// Jaccard similarity of shingle sets from which two articles count as one story.
pub const DEFAULT_THRESHOLD: f64 = 0.5;
/// Probability that a pair exactly at the threshold shares a band (see [`Banding`]).
const CANDIDATE_PROBABILITY_AT_THRESHOLD: f64 = 0.95;

/// How near-duplicates are found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Exact shingle Jaccard from which a document joins a cluster, in `(0, 1]`.
    pub threshold: f64,
    /// Words per shingle, 1 to 64.
    pub shingle_words: usize,
    /// MinHash values per document, 1 to 1024.
    pub permutations: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            threshold: DEFAULT_THRESHOLD,
            shingle_words: DEFAULT_SHINGLE_WORDS,
            permutations: DEFAULT_PERMUTATIONS,
        }
    }
}

/// Settings that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidSettings(pub String);

impl Settings {
    /// Checks every field's range.
    pub fn validate(&self) -> Result<(), InvalidSettings> {
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(InvalidSettings(format!(
                "the similarity threshold must be above 0 and at most 1, not {}",
                self.threshold
            )));
        }
        if !(1..=64).contains(&self.shingle_words) {
            return Err(InvalidSettings(format!(
                "shingles must have 1 to 64 words, not {}",
                self.shingle_words
            )));
        }
        if !(1..=1024).contains(&self.permutations) {
            return Err(InvalidSettings(format!(
                "MinHash needs 1 to 1024 permutations, not {}",
                self.permutations
            )));
        }
        Ok(())
    }
}

/// The sorted, deduplicated hashes of the `k`-word shingles of `text`. Empty for a text
/// without words; one shingle for a text shorter than `k` words.
pub fn shingles(text: &str, k: usize) -> Vec<u64> {
    let k = k.max(1);
    let plain = Tokenizer {
        stop_words: false,
        stem: false,
    };
    let mut words = Vec::new();
    plain.terms(text, |w| words.push(xxh3_64(w.as_bytes())));
    let mut bytes = Vec::with_capacity(8 * k);
    let mut hash_run = |run: &[u64]| {
        bytes.clear();
        for w in run {
            bytes.extend_from_slice(&w.to_le_bytes());
        }
        xxh3_64(&bytes)
    };
    let mut set: Vec<u64> = if words.len() <= k {
        if words.is_empty() {
            return Vec::new();
        }
        vec![hash_run(&words)]
    } else {
        words.windows(k).map(hash_run).collect()
    };
    set.sort_unstable();
    set.dedup();
    set
}

/// Exact Jaccard similarity of two sorted, deduplicated sets. Two empty sets score 0: a
/// document without words is nobody's duplicate.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

/// MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the output.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// MinHash signatures: one permutation of the 64-bit hash space per value.
#[derive(Debug, Clone)]
pub struct MinHasher {
    /// `(a, b)` of each permutation `h ↦ fmix64(h·a + b)`, `a` odd.
    permutations: Vec<(u64, u64)>,
}

impl MinHasher {
    /// `n` permutations drawn deterministically (the same signatures in every run).
    pub fn new(n: usize) -> MinHasher {
        let draw = |i: usize, salt: u64| xxh3_64_with_seed(&(i as u64).to_le_bytes(), salt);
        MinHasher {
            permutations: (0..n).map(|i| (draw(i, 1) | 1, draw(i, 2))).collect(),
        }
    }

    /// The signature of a shingle set: per permutation, the least permuted hash (`u64::MAX`
    /// for an empty set).
    pub fn signature(&self, shingles: &[u64]) -> Vec<u64> {
        let mut signature = vec![u64::MAX; self.permutations.len()];
        for &s in shingles {
            for (min, &(a, b)) in signature.iter_mut().zip(&self.permutations) {
                *min = (*min).min(fmix64(s.wrapping_mul(a).wrapping_add(b)));
            }
        }
        signature
    }
}

/// The fraction of equal positions of two signatures: an unbiased estimate of the Jaccard
/// similarity of their sets.
pub fn estimated_jaccard(a: &[u64], b: &[u64]) -> f64 {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f64 / a.len().max(1) as f64
}

/// LSH banding: a signature cut into `bands` runs of `rows` values; two documents are
/// candidates when any band is equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    /// Number of bands.
    pub bands: usize,
    /// Signature values per band.
    pub rows: usize,
}

impl Banding {
    /// The banding for a Jaccard threshold: the largest `rows` whose S-curve still makes a
    /// pair at the threshold a candidate with probability ≥ 0.95 (with as many bands as the
    /// permutations allow). See the module documentation for why recall is favoured.
    pub fn for_threshold(threshold: f64, permutations: usize) -> Banding {
        let permutations = permutations.max(1);
        (1..=permutations)
            .rev()
            .map(|rows| Banding {
                bands: permutations / rows,
                rows,
            })
            .find(|b| b.candidate_probability(threshold) >= CANDIDATE_PROBABILITY_AT_THRESHOLD)
            .unwrap_or(Banding {
                bands: permutations,
                rows: 1,
            })
    }

    /// Probability that two documents of Jaccard `j` share at least one band.
    pub fn candidate_probability(&self, j: f64) -> f64 {
        1.0 - (1.0 - j.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// Where the S-curve is steepest, `(1/b)^(1/r)`.
    pub fn inflection(&self) -> f64 {
        (1.0 / self.bands as f64).powf(1.0 / self.rows as f64)
    }

    /// The bucket key of each band of a signature.
    fn keys(&self, signature: &[u64]) -> Vec<u64> {
        signature
            .chunks_exact(self.rows)
            .take(self.bands)
            .map(|band| {
                let mut bytes = [0u8; 8];
                let mut key = 0u64;
                for v in band {
                    bytes.copy_from_slice(&v.to_le_bytes());
                    key = xxh3_64_with_seed(&bytes, key);
                }
                key
            })
            .collect()
    }
}

/// One document's place in a cluster.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    /// The document's position in the order [`Clusterer::add`] received it (0-based).
    pub doc: usize,
    /// Exact shingle Jaccard with the cluster's first-seen document (1 for that document).
    pub jaccard: f64,
}

/// A story and its republications.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Members in the order they were added (publication order), the first-seen document
    /// first.
    pub members: Vec<Member>,
}

/// A document that started a cluster: kept with its shingles for the exact check.
#[derive(Debug)]
struct FirstSeen {
    shingles: Vec<u64>,
}

/// A document's shingles and band keys, ready for [`Clusterer::add_prepared`]. Preparing is
/// most of the clustering's time (the signature takes every shingle through every
/// permutation) and needs nothing the clusterer changes, so a caller may prepare documents
/// on several threads ([`Preparer`]) and add them in publication order.
#[derive(Debug, Clone)]
pub struct Prepared {
    shingles: Vec<u64>,
    keys: Vec<u64>,
}

/// What preparing a document needs: the shingle width, the permutations and the banding of
/// one [`Clusterer`]. `Sync`: share it between threads.
#[derive(Debug, Clone)]
pub struct Preparer {
    shingle_words: usize,
    hasher: MinHasher,
    banding: Banding,
}

impl Preparer {
    /// The shingles and band keys of `text`.
    pub fn prepare(&self, text: &str) -> Prepared {
        let shingles = shingles(text, self.shingle_words);
        let keys = self.banding.keys(&self.hasher.signature(&shingles));
        Prepared { shingles, keys }
    }
}

/// Clusters documents by first-seen document (module documentation), one at a time.
#[derive(Debug)]
pub struct Clusterer {
    settings: Settings,
    preparer: Preparer,
    /// One per cluster, in the order clusters were started.
    first_seen: Vec<FirstSeen>,
    clusters: Vec<Cluster>,
    /// Per band, bucket key → clusters whose first-seen document has that band.
    buckets: Vec<HashMap<u64, Vec<u32>>>,
    added: usize,
}

impl Clusterer {
    /// A clusterer with these settings, when they are valid.
    pub fn new(settings: Settings) -> Result<Clusterer, InvalidSettings> {
        settings.validate()?;
        let banding = Banding::for_threshold(settings.threshold, settings.permutations);
        Ok(Clusterer {
            settings,
            preparer: Preparer {
                shingle_words: settings.shingle_words,
                hasher: MinHasher::new(settings.permutations),
                banding,
            },
            first_seen: Vec::new(),
            clusters: Vec::new(),
            buckets: vec![HashMap::new(); banding.bands],
            added: 0,
        })
    }

    /// The banding in use.
    pub fn banding(&self) -> Banding {
        self.preparer.banding
    }

    /// What prepares documents for [`Clusterer::add_prepared`] with this clusterer's
    /// settings.
    pub fn preparer(&self) -> &Preparer {
        &self.preparer
    }

    /// Adds the next document (documents must come in publication order) and returns the
    /// index of the cluster it joined or started, and its Jaccard with that cluster's first
    /// document.
    pub fn add(&mut self, text: &str) -> (usize, f64) {
        let prepared = self.preparer.prepare(text);
        self.add_prepared(prepared)
    }

    /// [`Clusterer::add`] of a document prepared by this clusterer's [`Preparer`].
    pub fn add_prepared(&mut self, prepared: Prepared) -> (usize, f64) {
        let Prepared { shingles, keys } = prepared;
        let doc = self.added;
        self.added += 1;
        if !shingles.is_empty() {
            let mut candidates: Vec<u32> = keys
                .iter()
                .zip(&self.buckets)
                .filter_map(|(key, bucket)| bucket.get(key))
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            // The most similar first-seen document; on a tie the earliest cluster.
            let mut best: Option<(usize, f64)> = None;
            for c in candidates {
                let j = jaccard(&shingles, &self.first_seen[c as usize].shingles);
                if j >= self.settings.threshold && best.is_none_or(|(_, b)| j > b) {
                    best = Some((c as usize, j));
                }
            }
            if let Some((cluster, j)) = best {
                self.clusters[cluster]
                    .members
                    .push(Member { doc, jaccard: j });
                return (cluster, j);
            }
        }
        let cluster = self.clusters.len();
        // A document without words is never indexed: it can be nobody's original.
        if !shingles.is_empty() {
            for (key, bucket) in keys.into_iter().zip(&mut self.buckets) {
                bucket.entry(key).or_default().push(cluster as u32);
            }
        }
        self.first_seen.push(FirstSeen { shingles });
        self.clusters.push(Cluster {
            members: vec![Member { doc, jaccard: 1.0 }],
        });
        (cluster, 1.0)
    }

    /// Every cluster, singletons included, in the order they were started.
    pub fn into_clusters(self) -> Vec<Cluster> {
        self.clusters
    }
}

#[cfg(test)]
mod tests;
