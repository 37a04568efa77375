//! The baseline a reader would reach for first for document classification: TF-IDF vectors
//! over lowercased words (scikit-learn's `TfidfVectorizer` defaults: raw counts, smoothed
//! idf `ln((1 + n) / (1 + df)) + 1`, rows L2-normalised) and a logistic regression per
//! class (L2 with C = 1, as `LogisticRegression` defaults), optionally with balanced class
//! weights. It is scored beside the claimlens models on the same folds, so their figures
//! say what the stage adds over it.
//!
//! The regression takes real-valued features, which the stages' hashed binary learner does
//! not, so it has its own small trainer: AdaGrad over examples in a fixed shuffled order, so
//! runs are deterministic.

use std::collections::HashMap;

use claimlens_core::{Doc, TokenKind};

/// A sparse row: (column, value).
pub type Row = Vec<(usize, f32)>;

/// The lowercased words (and numbers) of a segmented document.
pub fn words(doc: &Doc) -> Vec<String> {
    doc.tokens
        .iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| doc.slice(t.span).to_lowercase())
        .collect()
}

/// A vocabulary with its inverse document frequencies, fitted on training documents.
#[derive(Debug, Clone, Default)]
pub struct TfIdf {
    columns: HashMap<String, usize>,
    idf: Vec<f32>,
}

impl TfIdf {
    /// Fits the vocabulary and idf on `docs` (each a list of words).
    pub fn fit(docs: &[&[String]]) -> TfIdf {
        let mut columns: HashMap<String, usize> = HashMap::new();
        let mut df: Vec<u32> = Vec::new();
        for d in docs {
            let mut seen = std::collections::HashSet::new();
            for w in d.iter() {
                if seen.insert(w.as_str()) {
                    let next = columns.len();
                    let c = *columns.entry(w.clone()).or_insert(next);
                    if c == df.len() {
                        df.push(0);
                    }
                    df[c] += 1;
                }
            }
        }
        let n = docs.len() as f32;
        let idf = df
            .iter()
            .map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0)
            .collect();
        TfIdf { columns, idf }
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.idf.len()
    }

    /// The L2-normalised TF-IDF row of a document (unknown words ignored).
    pub fn row(&self, words: &[String]) -> Row {
        let mut counts: HashMap<usize, f32> = HashMap::new();
        for w in words {
            if let Some(&c) = self.columns.get(w) {
                *counts.entry(c).or_default() += 1.0;
            }
        }
        let mut row: Row = counts
            .into_iter()
            .map(|(c, n)| (c, n * self.idf[c]))
            .collect();
        row.sort_by_key(|e| e.0);
        let norm = row.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
        if norm > 0.0 {
            for e in &mut row {
                e.1 /= norm;
            }
        }
        row
    }
}

/// A trained binary regression over [`Row`]s.
#[derive(Debug, Clone)]
pub struct Linear {
    weights: Vec<f32>,
    bias: f32,
}

impl Linear {
    /// The probability of the positive class.
    pub fn probability(&self, row: &Row) -> f32 {
        let z = self.bias + row.iter().map(|&(c, v)| self.weights[c] * v).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Trains a logistic regression (log loss, L2 penalty `||w||² / 2`, C = 1) on `rows` with
/// labels `y`; with `balanced`, each class's examples weigh `n / (2 · class count)`.
pub fn train(rows: &[Row], y: &[bool], width: usize, balanced: bool) -> Linear {
    const EPOCHS: usize = 60;
    const RATE: f32 = 0.5;
    let n = rows.len().max(1) as f32;
    let pos = y.iter().filter(|b| **b).count().max(1) as f32;
    let neg = (n - pos).max(1.0);
    let weight = |p: bool| match (balanced, p) {
        (false, _) => 1.0,
        (true, true) => n / (2.0 * pos),
        (true, false) => n / (2.0 * neg),
    };
    let (mut w, mut g2) = (vec![0f32; width], vec![0f32; width]);
    let (mut bias, mut b2) = (0f32, 0f32);
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let mut state = 0x7f1d_f00d_u64;
    for _ in 0..EPOCHS {
        claimlens_analyzers::learn::shuffle(&mut order, &mut state);
        for &i in &order {
            let z = bias + rows[i].iter().map(|&(c, v)| w[c] * v).sum::<f32>();
            let g = (1.0 / (1.0 + (-z).exp()) - f32::from(u8::from(y[i]))) * weight(y[i]);
            for &(c, v) in &rows[i] {
                // The penalty's share per example: the sum over an epoch is the whole penalty.
                let grad = g * v + w[c] / n;
                g2[c] += grad * grad;
                w[c] -= RATE * grad / (g2[c] + 1e-8).sqrt();
            }
            b2 += g * g;
            bias -= RATE * g / (b2 + 1e-8).sqrt();
        }
    }
    Linear { weights: w, bias }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(words: &str) -> Vec<String> {
        words.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn rows_are_normalised_and_the_regression_separates() {
        let docs = [
            s("war troops army"),
            s("tax budget economy"),
            s("war army"),
            s("tax economy"),
        ];
        let refs: Vec<&[String]> = docs.iter().map(Vec::as_slice).collect();
        let v = TfIdf::fit(&refs);
        assert_eq!(v.width(), 6);
        let rows: Vec<Row> = docs.iter().map(|d| v.row(d)).collect();
        for r in &rows {
            let norm: f32 = r.iter().map(|e| e.1 * e.1).sum();
            assert!((norm - 1.0).abs() < 1e-5);
        }
        assert!(v.row(&s("unknown words")).is_empty());
        let y = [true, false, true, false];
        let m = train(&rows, &y, v.width(), true);
        assert!(m.probability(&v.row(&s("army"))) > 0.5);
        assert!(m.probability(&v.row(&s("budget"))) < 0.5);
    }
}
