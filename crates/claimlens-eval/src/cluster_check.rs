//! A quick, label-based check of word clusters: do they carry entity types to words the
//! labels never showed? Capitalised CoNLL-2003 *train* word forms are split in two halves
//! by a hash of the form; each cluster's entity-type distribution (O, PER, ORG, LOC, MISC)
//! is counted on one half and predicts the majority type of every form of the other half.
//! Token-weighted accuracy is reported beside the always-O baseline. Train only: the
//! evaluation split stays unseen.

use std::collections::HashMap;

use claimlens_analyzers::entities::NerDoc;
use claimlens_analyzers::learn::bio::role_of;
use claimlens_analyzers::learn::clusters::Clusters;

/// Accuracy of cluster-predicted entity types on held-out capitalised word forms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterCheck {
    /// With fine clusters.
    pub fine_accuracy: f64,
    /// With coarse clusters.
    pub coarse_accuracy: f64,
    /// Predicting O for every token.
    pub always_o: f64,
    /// Share of held-out tokens whose form has a cluster.
    pub coverage: f64,
}

/// Type classes: O, then the CoNLL types in role order.
const CLASSES: usize = 5;

fn held_out(word: &str) -> bool {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for b in word.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h % 2 == 1
}

/// Runs the check on CoNLL documents (train).
pub fn check_clusters(clusters: &Clusters, docs: &[NerDoc]) -> ClusterCheck {
    let mut by_word: HashMap<&str, [u64; CLASSES]> = HashMap::new();
    for sentence in docs.iter().flat_map(|d| &d.sentences) {
        for (word, &tag) in sentence.words.iter().zip(&sentence.tags) {
            if word.chars().next().is_some_and(char::is_uppercase) {
                let class = role_of(tag).map_or(0, |r| r as usize + 1);
                by_word.entry(word).or_default()[class.min(CLASSES - 1)] += 1;
            }
        }
    }
    let accuracy = |coarse: bool| {
        let key = |w: &str| clusters.lookup(w).map(|(c, f)| if coarse { c } else { f });
        let mut dist: HashMap<u16, [u64; CLASSES]> = HashMap::new();
        for (w, d) in &by_word {
            if let (false, Some(k)) = (held_out(w), key(w)) {
                let e = dist.entry(k).or_default();
                for (a, b) in e.iter_mut().zip(d) {
                    *a += b;
                }
            }
        }
        let (mut right, mut total, mut covered, mut o) = (0, 0, 0, 0);
        for (w, d) in by_word.iter().filter(|(w, _)| held_out(w)) {
            let k = key(w);
            let predicted = k.and_then(|k| dist.get(&k)).map_or(0, |e| {
                (0..CLASSES)
                    .max_by_key(|&i| (e[i], CLASSES - i))
                    .unwrap_or(0)
            });
            let n: u64 = d.iter().sum();
            total += n;
            covered += if k.is_some() { n } else { 0 };
            right += d[predicted];
            o += d[0];
        }
        let share = |x: u64| x as f64 / total.max(1) as f64;
        (share(right), share(o), share(covered))
    };
    let (fine_accuracy, always_o, coverage) = accuracy(false);
    ClusterCheck {
        fine_accuracy,
        coarse_accuracy: accuracy(true).0,
        always_o,
        coverage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_analyzers::entities::NerSentence;
    use claimlens_analyzers::learn::bio::{begin, O};

    #[test]
    fn cities_in_one_cluster_predict_location_for_each_other() {
        let cities = [
            "Paris", "Rome", "Berlin", "Madrid", "Oslo", "Vienna", "Lima", "Bern",
        ];
        let mut fine = HashMap::new();
        for c in cities {
            fine.insert(c.to_owned(), 0u16);
        }
        fine.insert("The".to_owned(), 1);
        let clusters = Clusters::new(vec![0, 1], fine);
        let mut sentence = NerSentence::default();
        for c in cities {
            sentence.words.push(c.to_owned());
            sentence.tags.push(begin(2));
            sentence.words.push("The".to_owned());
            sentence.tags.push(O);
        }
        let doc = NerDoc {
            sentences: vec![sentence],
        };
        let check = check_clusters(&clusters, &[doc]);
        assert_eq!(check.fine_accuracy, 1.0);
        assert!(check.coverage > 0.99);
    }
}
