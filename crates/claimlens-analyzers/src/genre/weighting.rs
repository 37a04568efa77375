//! TF-IDF weighting of a document's hashed features, as the classic document classifier
//! weighs words (scikit-learn's `TfidfVectorizer` defaults): a feature's count times its
//! smoothed inverse document frequency `ln((1 + n) / (1 + df)) + 1` over the `n` training
//! articles, the row then scaled to unit length. A feature the training articles used fewer
//! than `min_doc_count` times is out of the vocabulary: it gets no value and no share of the
//! length. Binary presence let a long article's hundreds of rare words outvote its style;
//! measured on the task's folds, the weighted rows separate the genres and frames better
//! (docs/evaluation.md).
//!
//! Features are hashed to `2^bits` buckets, so the vocabulary is one document frequency per
//! bucket. File format (little-endian):
//!
//! ```text
//! bits u8  documents u32  packed length u32  deflate(2^bits frequencies as u16, two byte planes)
//! ```

use crate::learn::embedded::{deflate, inflate};
use crate::learn::logistic::{err, Reader};
use crate::learn::perceptron::ModelFormatError;

/// Document frequencies of hashed features over training articles.
#[derive(Debug, Clone, PartialEq)]
pub struct Idf {
    bits: u8,
    documents: u32,
    /// Per bucket: training articles using it (0: out of the vocabulary).
    frequency: Vec<u16>,
}

/// A weighted document: its in-vocabulary feature hashes and their TF-IDF values (unit
/// length), index for index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Feature hashes.
    pub hashes: Vec<u32>,
    /// Their values.
    pub values: Vec<f32>,
    /// For each, its index in the document's features (for the reason's names).
    pub source: Vec<u32>,
}

impl Idf {
    /// The frequencies of `docs` (each a list of distinct feature hashes), hashed to `bits`;
    /// buckets used by fewer than `min_doc_count` documents are left out.
    pub fn fit<'a>(docs: impl IntoIterator<Item = &'a [u32]>, bits: u8, min_doc_count: u32) -> Idf {
        let bits = bits.clamp(8, 24);
        let mut counts = vec![0u32; 1 << bits];
        let mut documents = 0u32;
        for d in docs {
            documents += 1;
            let mut buckets: Vec<usize> = d.iter().map(|&h| bucket(h, bits)).collect();
            buckets.sort_unstable();
            buckets.dedup();
            for b in buckets {
                counts[b] += 1;
            }
        }
        let frequency = counts
            .into_iter()
            .map(|c| {
                if c >= min_doc_count.max(1) {
                    c.min(u32::from(u16::MAX)) as u16
                } else {
                    0
                }
            })
            .collect();
        Idf {
            bits,
            documents,
            frequency,
        }
    }

    /// The weight of a feature in the vocabulary, `None` outside it.
    fn idf(&self, hash: u32) -> Option<f32> {
        let df = self.frequency[bucket(hash, self.bits)];
        (df > 0).then(|| ((1.0 + self.documents as f32) / (1.0 + f32::from(df))).ln() + 1.0)
    }

    /// Buckets in the vocabulary.
    pub fn vocabulary(&self) -> usize {
        self.frequency.iter().filter(|&&f| f > 0).count()
    }

    /// The TF-IDF row of a document's distinct feature hashes and their counts (see the
    /// module docs).
    pub fn row(&self, hashes: &[u32], counts: &[f32]) -> Row {
        let mut row = Row::default();
        for (i, (&h, &count)) in hashes.iter().zip(counts).enumerate() {
            if let Some(idf) = self.idf(h) {
                row.hashes.push(h);
                row.values.push(count * idf);
                row.source.push(i as u32);
            }
        }
        let norm = row.values.iter().map(|v| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            for v in &mut row.values {
                *v /= norm;
            }
        }
        row
    }

    /// Serializes the frequencies (see the module docs).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.push(self.bits);
        out.extend_from_slice(&self.documents.to_le_bytes());
        let mut planes = Vec::with_capacity(self.frequency.len() * 2);
        for plane in 0..2 {
            planes.extend(self.frequency.iter().map(|f| f.to_le_bytes()[plane]));
        }
        let packed = deflate(&planes);
        out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
        out.extend_from_slice(&packed);
    }

    /// Reads what [`Idf::write`] wrote.
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Idf, ModelFormatError> {
        let bits = r.take(1)?[0];
        if !(8..=24).contains(&bits) {
            return Err(err("vocabulary bits out of range"));
        }
        let documents = r.u32()?;
        let len = r.u32()? as usize;
        let n = 1usize << bits;
        let planes = inflate(r.take(len)?, n * 2)?;
        let frequency = (0..n)
            .map(|i| u16::from_le_bytes([planes[i], planes[n + i]]))
            .collect();
        Ok(Idf {
            bits,
            documents,
            frequency,
        })
    }
}

fn bucket(hash: u32, bits: u8) -> usize {
    (hash & ((1u32 << bits) - 1)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_features_weigh_more_rows_have_unit_length() {
        let docs: [&[u32]; 4] = [&[1, 2], &[1, 3], &[1, 2], &[1, 9]];
        let idf = Idf::fit(docs, 10, 2);
        assert_eq!(idf.vocabulary(), 2, "3 and 9 are used once: out");
        let row = idf.row(&[1, 2, 3], &[1.0, 1.0, 5.0]);
        assert_eq!(row.hashes, vec![1, 2]);
        assert_eq!(row.source, vec![0, 1]);
        assert!(row.values[1] > row.values[0], "2 is rarer than 1");
        let norm: f32 = row.values.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        assert!(idf.row(&[3], &[1.0]).values.is_empty());
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let docs: [&[u32]; 3] = [&[1, 2], &[1, 300], &[70_000]];
        let idf = Idf::fit(docs, 12, 1);
        let mut bytes = Vec::new();
        idf.write(&mut bytes);
        assert_eq!(Idf::read(&mut Reader(&bytes)).unwrap(), idf);
        assert!(Idf::read(&mut Reader(&bytes[..bytes.len() - 1])).is_err());
        assert!(Idf::read(&mut Reader(&[30])).is_err());
    }
}
