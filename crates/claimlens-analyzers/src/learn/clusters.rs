//! Distributional word clusters learnt from unlabelled text, as features for the taggers:
//! a word the labelled data never showed still gets the cluster of the words it behaves
//! like ("Tskhinvali" beside "Moscow").
//!
//! Method (k-means over context vectors, in the manner of Lin & Wu 2009, a cheap stand-in
//! for Brown clusters):
//! 1. Text is tokenized by the project's own [`Segmenter`], so clustered forms are the forms
//!    seen at run time; sentence ends are boundaries.
//! 2. Words are clustered **as written** (case kept: "Bush" the person and "bush" the
//!    plant behave differently, and case is the strongest NER cue), keeping forms seen at
//!    least `min_count` times (2: predicting the entity type of held-out CoNLL-2003 train
//!    words from their cluster, the wider coverage outweighed the noisier rare vectors).
//!    [`Clusters::lookup`] falls back to the title-case and then the lower-case form for
//!    unseen capitalisations (headlines in capitals).
//! 3. Each word is described by its neighbours at offsets −2, −1, +1, +2: the most frequent
//!    `context_words` forms by name, any other by its shape (capitalised, lower, all-caps,
//!    digits, other, boundary). Counts become positive PMI with context-distribution
//!    smoothing (α = 0.75, Levy et al. 2015); rows are L2-normalised.
//! 4. Spherical k-means (k-means++ seeding, seeded; see [`super::kmeans`]) gives `fine`
//!    clusters; the fine centroids, weighted by their word count, are clustered again into
//!    `coarse` groups, so the two granularities nest. Ids are renumbered by corpus
//!    frequency (coarse 0 is the most frequent group; fine ids are contiguous within a
//!    coarse group). Training is single-threaded and seeded: retrains are byte-identical.
//!
//! The committed model `models/clusters.bin` is produced (in about 10 s) by
//! `claimlens train clusters --data ../shared/data --out crates/claimlens-analyzers/models/clusters.bin`,
//! which also prints `claimlens_eval::cluster_check`: how well a cluster predicts the
//! entity type of held-out capitalised CoNLL-2003 train words (the settings were chosen on it).

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use claimlens_core::tokens_within;

use super::embedded::{Embedded, LoadError};
use super::kmeans::{spherical_kmeans, KMeansOptions, SparseRows};
use crate::Segmenter;

/// Magic bytes of the cluster file format (version 2: version 1 deflated; the format is in
/// [`super::clusters_file`]).
pub const MAGIC: &[u8; 8] = b"CLCLUS02";

/// The committed clusters (`models/clusters.bin`), embedded so no file is read at run time.
pub const EMBEDDED_CLUSTERS: &[u8] = include_bytes!("../../models/clusters.bin");

static EMBEDDED: Embedded<Clusters> =
    Embedded::new("clusters", EMBEDDED_CLUSTERS, Clusters::from_bytes);

/// Word → (coarse, fine) cluster ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clusters {
    pub(super) coarse_of_fine: Vec<u16>,
    /// Fx-hashed: looked up for every token of every document, twice per entity pass; the
    /// default SipHash was most of the lookup's cost (a profile of the whole pipeline).
    pub(super) fine_of_word: FxHashMap<String, u16>,
}

impl Clusters {
    /// The committed clusters, decoded on first use.
    pub fn embedded() -> Result<&'static Clusters, LoadError> {
        EMBEDDED.get()
    }

    /// Builds clusters from fine ids and the coarse group of each fine id.
    pub fn new(coarse_of_fine: Vec<u16>, fine_of_word: HashMap<String, u16>) -> Clusters {
        Clusters {
            coarse_of_fine,
            fine_of_word: fine_of_word.into_iter().collect(),
        }
    }

    /// `(coarse, fine)` of the word as written, else of its title-case form, else of its
    /// lower-case form (so "MOSCOW" in a headline finds "Moscow").
    pub fn lookup(&self, word: &str) -> Option<(u16, u16)> {
        self.lookup_exact(word).or_else(|| {
            if !word.chars().any(char::is_uppercase) {
                return None;
            }
            let lower = word.to_lowercase();
            let mut chars = lower.chars();
            let title: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            self.lookup_exact(&title)
                .or_else(|| self.lookup_exact(&lower))
        })
    }

    /// `(coarse, fine)` of exactly this form.
    pub fn lookup_exact(&self, word: &str) -> Option<(u16, u16)> {
        let fine = *self.fine_of_word.get(word)?;
        Some((*self.coarse_of_fine.get(fine as usize)?, fine))
    }

    /// Number of clustered word forms.
    pub fn word_count(&self) -> usize {
        self.fine_of_word.len()
    }

    /// Number of fine clusters.
    pub fn fine_count(&self) -> usize {
        self.coarse_of_fine.len()
    }

    /// Number of coarse clusters.
    pub fn coarse_count(&self) -> usize {
        self.coarse_of_fine
            .iter()
            .map(|&c| c as usize + 1)
            .max()
            .unwrap_or(0)
    }

    /// The words of a fine cluster, sorted (for inspection).
    pub fn members(&self, fine: u16) -> Vec<&str> {
        let mut words: Vec<&str> = self
            .fine_of_word
            .iter()
            .filter(|(_, &f)| f == fine)
            .map(|(w, _)| w.as_str())
            .collect();
        words.sort_unstable();
        words
    }
}

/// Marks a sentence boundary in the token stream.
const BOUNDARY: u32 = u32::MAX;

/// Unlabelled text as a stream of interned word ids, sentences separated by boundaries.
#[derive(Debug, Default)]
pub struct ClusterCorpus {
    ids: HashMap<String, u32>,
    words: Vec<String>,
    counts: Vec<u64>,
    stream: Vec<u32>,
    docs: usize,
    sentences: usize,
}

impl ClusterCorpus {
    /// Segments `text` and appends its tokens, sentence by sentence.
    pub fn add_text(&mut self, text: &str) {
        let (mut p, mut t, mut s) = (Vec::new(), Vec::new(), Vec::new());
        Segmenter::segment_into(text, &mut p, &mut t, &mut s);
        self.docs += 1;
        for sentence in &s {
            self.stream.push(BOUNDARY);
            self.sentences += 1;
            for tok in &t[tokens_within(&t, sentence.span)] {
                let word = &text[tok.span.range()];
                let id = match self.ids.get(word) {
                    Some(&id) => id,
                    None => {
                        let id = self.words.len() as u32;
                        self.ids.insert(word.to_owned(), id);
                        self.words.push(word.to_owned());
                        self.counts.push(0);
                        id
                    }
                };
                self.counts[id as usize] += 1;
                self.stream.push(id);
            }
        }
    }

    /// Tokens added.
    pub fn token_count(&self) -> usize {
        self.stream.len() - self.sentences
    }

    /// Texts added.
    pub fn doc_count(&self) -> usize {
        self.docs
    }

    /// Sentences added.
    pub fn sentence_count(&self) -> usize {
        self.sentences
    }

    /// Distinct word forms.
    pub fn distinct_words(&self) -> usize {
        self.words.len()
    }
}

/// Training settings. The defaults are the committed model's settings.
#[derive(Debug, Clone, Copy)]
pub struct ClusterOptions {
    /// A form is clustered when seen at least this often.
    pub min_count: u64,
    /// At most this many forms (the most frequent) are clustered.
    pub max_words: usize,
    /// Neighbours among this many most frequent forms are features by name.
    pub context_words: usize,
    /// Number of fine clusters.
    pub fine: usize,
    /// Number of coarse clusters.
    pub coarse: usize,
    /// k-means rounds at most.
    pub iterations: usize,
    /// Seed of the k-means++ draws.
    pub seed: u64,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            min_count: 2,
            max_words: 40_000,
            context_words: 2_000,
            fine: 512,
            coarse: 64,
            iterations: 30,
            seed: 2026,
        }
    }
}

/// Shape classes of neighbours outside the named context words.
const SHAPES: usize = 6;
const SHAPE_BOUNDARY: usize = 0;

fn shape(word: &str) -> usize {
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    if word.chars().any(|c| c.is_ascii_digit()) {
        2
    } else if first.is_uppercase() {
        if word.chars().filter(|c| c.is_alphabetic()).count() > 1
            && !word.chars().any(char::is_lowercase)
        {
            3
        } else {
            1
        }
    } else if first.is_alphabetic() {
        4
    } else {
        5
    }
}

/// The neighbour offsets (equal weights: halving ±2 lowered the held-out type check).
const OFFSETS: [isize; 4] = [-2, -1, 1, 2];

/// Learns clusters; `progress` receives one line per step.
pub fn train(
    corpus: &ClusterCorpus,
    opts: &ClusterOptions,
    mut progress: impl FnMut(&str),
) -> Clusters {
    // Vocabulary: frequent forms, most frequent first (ties by bytes, for determinism).
    let mut by_freq: Vec<u32> = (0..corpus.words.len() as u32).collect();
    by_freq.sort_by(|&a, &b| {
        corpus.counts[b as usize]
            .cmp(&corpus.counts[a as usize])
            .then_with(|| corpus.words[a as usize].cmp(&corpus.words[b as usize]))
    });
    let vocab: Vec<u32> = by_freq
        .iter()
        .copied()
        .take_while(|&w| corpus.counts[w as usize] >= opts.min_count)
        .filter(|&w| corpus.words[w as usize].len() <= 255)
        .take(opts.max_words)
        .collect();
    let mut row_of = vec![u32::MAX; corpus.words.len()];
    for (r, &w) in vocab.iter().enumerate() {
        row_of[w as usize] = r as u32;
    }
    // Context column of every word at one offset: its rank if frequent, else its shape.
    let named = opts.context_words.min(vocab.len());
    let per_offset = named + SHAPES;
    let mut context_of: Vec<u32> = corpus
        .words
        .iter()
        .map(|w| (named + shape(w)) as u32)
        .collect();
    for (rank, &w) in vocab.iter().take(named).enumerate() {
        context_of[w as usize] = rank as u32;
    }
    progress(&format!(
        "{} forms seen ≥ {} times (of {}), {} context columns",
        vocab.len(),
        opts.min_count,
        corpus.words.len(),
        per_offset * OFFSETS.len()
    ));

    // Co-occurrence counts per vocabulary word.
    let mut cooc: Vec<HashMap<u32, u32>> = vec![HashMap::new(); vocab.len()];
    let mut column_total = vec![0f64; per_offset * OFFSETS.len()];
    let stream = &corpus.stream;
    for (i, &w) in stream.iter().enumerate() {
        if w == BOUNDARY || row_of[w as usize] == u32::MAX {
            continue;
        }
        let row = &mut cooc[row_of[w as usize] as usize];
        for (slot, &offset) in OFFSETS.iter().enumerate() {
            let column = neighbour(stream, i, offset)
                .map_or(SHAPE_BOUNDARY + named, |n| context_of[n as usize] as usize)
                + slot * per_offset;
            *row.entry(column as u32).or_insert(0) += 1;
            column_total[column] += 1.0;
        }
    }

    // Positive PMI with smoothed context probabilities, per offset.
    let mut smoothed = vec![0f64; column_total.len()];
    for slot in 0..OFFSETS.len() {
        let range = slot * per_offset..(slot + 1) * per_offset;
        let z: f64 = column_total[range.clone()]
            .iter()
            .map(|c| c.powf(0.75))
            .sum();
        for c in range {
            smoothed[c] = column_total[c].powf(0.75) / z.max(f64::MIN_POSITIVE);
        }
    }
    let mut rows = SparseRows::default();
    let mut entries: Vec<(u32, f32)> = Vec::new();
    for (r, counts) in cooc.iter().enumerate() {
        let n_w = corpus.counts[vocab[r] as usize] as f64;
        entries.clear();
        for (&column, &n) in counts {
            let pmi = (n as f64 / (n_w * smoothed[column as usize])).ln();
            if pmi > 0.0 {
                entries.push((column, pmi as f32));
            }
        }
        entries.sort_unstable_by_key(|e| e.0);
        rows.push_normalised(&entries);
    }
    drop(cooc);

    let dims = column_total.len();
    let ones = vec![1f32; rows.len()];
    let fine = spherical_kmeans(
        &rows,
        &ones,
        dims,
        KMeansOptions {
            k: opts.fine,
            iterations: opts.iterations,
            seed: opts.seed,
        },
        |it, moved, sim| {
            progress(&format!(
                "  fine k-means round {it}: {moved} moved, mean cosine {sim:.3}"
            ))
        },
    );
    let k_fine = fine.centroids.len() / dims.max(1);
    let mut fine_sizes = vec![0f32; k_fine];
    for &a in &fine.assignment {
        fine_sizes[a as usize] += 1.0;
    }
    let mut centroid_rows = SparseRows::default();
    for c in fine.centroids.chunks(dims) {
        let row: Vec<(u32, f32)> = c
            .iter()
            .enumerate()
            .filter(|(_, &v)| v != 0.0)
            .map(|(i, &v)| (i as u32, v))
            .collect();
        centroid_rows.push_normalised(&row);
    }
    let coarse = spherical_kmeans(
        &centroid_rows,
        &fine_sizes,
        dims,
        KMeansOptions {
            k: opts.coarse,
            iterations: opts.iterations,
            seed: opts.seed ^ 0x5eed,
        },
        |it, moved, sim| {
            progress(&format!(
                "  coarse k-means round {it}: {moved} moved, mean cosine {sim:.3}"
            ))
        },
    );
    renumber(corpus, &vocab, &fine.assignment, &coarse.assignment)
}

/// The word at `offset` from `i` within the same sentence.
fn neighbour(stream: &[u32], i: usize, offset: isize) -> Option<u32> {
    let step: isize = offset.signum();
    let mut j = i as isize;
    for _ in 0..offset.unsigned_abs() {
        j += step;
        let w = *stream.get(usize::try_from(j).ok()?)?;
        if w == BOUNDARY {
            return None;
        }
    }
    Some(stream[j as usize])
}

/// Orders coarse groups by token frequency, and fine clusters by (coarse, frequency).
fn renumber(
    corpus: &ClusterCorpus,
    vocab: &[u32],
    fine: &[u32],
    coarse_of_fine: &[u32],
) -> Clusters {
    let k_fine = coarse_of_fine.len();
    let k_coarse = coarse_of_fine
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut fine_freq = vec![0u64; k_fine];
    for (r, &f) in fine.iter().enumerate() {
        fine_freq[f as usize] += corpus.counts[vocab[r] as usize];
    }
    let mut coarse_freq = vec![0u64; k_coarse];
    for (f, &c) in coarse_of_fine.iter().enumerate() {
        coarse_freq[c as usize] += fine_freq[f];
    }
    let mut coarse_order: Vec<usize> = (0..k_coarse).collect();
    coarse_order.sort_by_key(|&c| (std::cmp::Reverse(coarse_freq[c]), c));
    let mut new_coarse = vec![0u16; k_coarse];
    for (new, &old) in coarse_order.iter().enumerate() {
        new_coarse[old] = new as u16;
    }
    let mut fine_order: Vec<usize> = (0..k_fine).filter(|&f| fine_freq[f] > 0).collect();
    fine_order.sort_by_key(|&f| {
        (
            new_coarse[coarse_of_fine[f] as usize],
            std::cmp::Reverse(fine_freq[f]),
            f,
        )
    });
    let mut new_fine = vec![u16::MAX; k_fine];
    let mut coarse_of_new_fine = Vec::with_capacity(fine_order.len());
    for (new, &old) in fine_order.iter().enumerate() {
        new_fine[old] = new as u16;
        coarse_of_new_fine.push(new_coarse[coarse_of_fine[old] as usize]);
    }
    let fine_of_word = vocab
        .iter()
        .zip(fine)
        .map(|(&w, &f)| (corpus.words[w as usize].clone(), new_fine[f as usize]))
        .collect();
    Clusters::new(coarse_of_new_fine, fine_of_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Clusters {
        let words = [("Moscow", 0u16), ("Paris", 0), ("said", 1), ("the", 2)];
        Clusters::new(
            vec![0, 1, 1],
            words.iter().map(|&(w, f)| (w.to_owned(), f)).collect(),
        )
    }

    #[test]
    fn round_trips_and_rejects_damaged_files() {
        let c = toy();
        let bytes = c.to_bytes();
        let back = Clusters::from_bytes(&bytes).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.to_bytes(), bytes);
        assert!(Clusters::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(Clusters::from_bytes(&extra).is_err());
        assert!(Clusters::from_bytes(b"CLPERC01\0\0\0\0\0\0").is_err());
        assert!(Clusters::from_bytes(&[]).is_err());
        assert_eq!(Clusters::from_bytes(&c.to_v1_bytes()).unwrap(), c);
    }

    #[test]
    fn looks_up_exact_then_title_then_lower_case() {
        let c = toy();
        assert_eq!(c.lookup("Moscow"), Some((0, 0)));
        assert_eq!(c.lookup("MOSCOW"), Some((0, 0)));
        assert_eq!(c.lookup("SAID"), Some((1, 1)));
        assert_eq!(c.lookup("moscow"), None);
        assert_eq!(c.lookup(""), None);
        assert_eq!(c.lookup_exact("MOSCOW"), None);
        assert_eq!(c.coarse_count(), 2);
        assert_eq!(c.members(0), ["Moscow", "Paris"]);
    }

    #[test]
    fn embedded_clusters_parse() {
        let c = Clusters::embedded().unwrap();
        assert!(c.fine_count() <= u16::MAX as usize);
        for w in ["the", "said", "Moscow"] {
            if c.word_count() > 0 {
                assert!(c.lookup(w).is_some(), "{w} has no cluster");
            }
        }
    }

    #[test]
    fn training_groups_words_that_share_contexts() {
        let mut corpus = ClusterCorpus::default();
        let cities = ["Paris", "Rome", "Berlin", "Madrid"];
        let verbs = ["said", "added", "stated", "noted"];
        for round in 0..6 {
            for (i, city) in cities.iter().enumerate() {
                let verb = verbs[(i + round) % 4];
                corpus.add_text(&format!(
                    "He flew to {city} on Monday. The minister {verb} that it rained.\n\n"
                ));
            }
        }
        let opts = ClusterOptions {
            fine: 4,
            coarse: 2,
            ..ClusterOptions::default()
        };
        let c = train(&corpus, &opts, |_| {});
        let again = train(&corpus, &opts, |_| {});
        assert_eq!(c.to_bytes(), again.to_bytes());
        let of = |w: &str| c.lookup_exact(w).unwrap().1;
        assert!(cities.iter().all(|w| of(w) == of("Paris")));
        assert!(verbs.iter().all(|w| of(w) == of("said")));
        assert_ne!(of("Paris"), of("said"));
    }
}
