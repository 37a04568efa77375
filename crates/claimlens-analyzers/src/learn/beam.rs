//! Beam search over a perceptron's tag scores, and training for it with early updates.
//!
//! Greedy decoding commits to each token's best tag; a beam keeps the `width` best partial
//! taggings by summed score, so a span is not cut short by one weak token. Weights trained
//! greedily score a beam's alternatives badly (measured: worse than greedy), so a beam
//! decoder is trained with a beam: when the gold tagging falls out of the beam, the weights
//! are updated towards the gold prefix and away from the best prefix in the beam, and the
//! sequence is abandoned (Collins & Roark 2004, "early update"). Deterministic like the rest.

use super::bio::{allowed, begin, role_of, Tag, O};
use super::features::Features;
use super::perceptron::{
    add_scores, history, history_word, run_epochs, token_scores, word_feature, Example,
    HistoryWeights, Model, Trainer, Weights,
};

/// One kept partial tagging at a position: where it came from and its tag there.
#[derive(Clone, Copy)]
struct Item {
    parent: u32,
    tag: Tag,
}

/// The outcome of a search. Items are stored flat (no allocation per position): position
/// `i`'s kept items, best first, are `items[offsets[i]..offsets[i + 1]]`.
struct Search<const N: usize> {
    items: Vec<Item>,
    /// Tag scores each kept item saw (parallel to `items`).
    scores: Vec<[f32; N]>,
    offsets: Vec<usize>,
    /// In training: the position where the gold prefix left the beam.
    fell_out: Option<usize>,
}

impl<const N: usize> Search<N> {
    fn at(&self, i: usize, item: usize) -> usize {
        self.offsets[i] + item
    }

    /// The tags of item `item` at position `end`, from the start.
    fn path(&self, end: usize, mut item: usize, tags: &mut Vec<Tag>) {
        tags.clear();
        tags.resize(end + 1, O);
        for i in (0..=end).rev() {
            let it = self.items[self.at(i, item)];
            tags[i] = it.tag;
            item = it.parent as usize;
        }
    }
}

fn search<const N: usize>(
    weights: &Weights<N>,
    history: &HistoryWeights<N>,
    feats: &Features,
    width: usize,
    gold: Option<&[Tag]>,
) -> Search<N> {
    let width = width.max(1);
    let n = feats.len();
    let mut out = Search {
        items: Vec::with_capacity(n * width),
        scores: Vec::with_capacity(n * width),
        offsets: Vec::with_capacity(n + 1),
        fell_out: None,
    };
    out.offsets.push(0);
    // Current items: (total score, last tag, tag before it); the gold item's index.
    let mut beam: Vec<(f32, Tag, Tag)> = Vec::with_capacity(width);
    beam.push((0.0, O, O));
    let mut next_beam: Vec<(f32, Tag, Tag)> = Vec::with_capacity(width);
    let mut gold_at = Some(0usize);
    let mut kept: Vec<Candidate> = Vec::with_capacity(width);
    let mut seen: Vec<[f32; N]> = Vec::with_capacity(width);
    // The tag-only history weights are the same at every position (`history`, looked up
    // once per model or, in training, per sequence); the one with the word is looked up
    // once per position and previous tag, not once per beam item. Added in `history`'s
    // order, so every score is the same sum as the greedy tagger's.
    let mut with_word: Vec<Option<Option<&[f32; N]>>> = vec![None; N];
    // Decoding looks every token's features up first (`token_scores`); training, which
    // may abandon a sequence early, looks them up as it goes.
    let bases = match gold {
        None => token_scores(weights, feats),
        Some(_) => Vec::new(),
    };
    for i in 0..n {
        let base = bases.get(i).copied().unwrap_or_else(|| {
            let mut base = [0f32; N];
            add_scores(weights, feats.of(i), &[], &mut base);
            base
        });
        kept.clear();
        seen.clear();
        let w0 = word_feature(feats, i);
        with_word.fill(None);
        for (b, &(total, p1, p2)) in beam.iter().enumerate() {
            let mut s = base;
            history.add_tags(p1, p2, &mut s);
            let word =
                *with_word[p1 as usize].get_or_insert_with(|| weights.get(&history_word(p1, w0)));
            if let Some(w) = word {
                for (x, y) in s.iter_mut().zip(w) {
                    *x += y;
                }
            }
            for (t, &score) in s.iter().enumerate() {
                if allowed(p1, t as Tag) {
                    keep_best(
                        &mut kept,
                        width,
                        Candidate {
                            total: total + score,
                            parent: b as u32,
                            tag: t as Tag,
                            seen: seen.len(),
                        },
                    );
                }
            }
            seen.push(s);
        }
        next_beam.clear();
        let mut next_gold = None;
        for (k, c) in kept.iter().enumerate() {
            next_beam.push((c.total, c.tag, beam[c.parent as usize].1));
            out.items.push(Item {
                parent: c.parent,
                tag: c.tag,
            });
            out.scores.push(seen[c.seen]);
            if let (Some(g), Some(gold)) = (gold_at, gold) {
                if c.parent as usize == g && c.tag == gold[i] {
                    next_gold = Some(k);
                }
            }
        }
        out.offsets.push(out.items.len());
        std::mem::swap(&mut beam, &mut next_beam);
        gold_at = next_gold;
        if gold.is_some() && gold_at.is_none() {
            out.fell_out = Some(i);
            return out;
        }
    }
    out
}

/// One way to extend the beam: its total score, the item it extends, its tag, and which of
/// the position's score rows (`seen`) it was picked from.
#[derive(Clone, Copy)]
struct Candidate {
    total: f32,
    parent: u32,
    tag: Tag,
    seen: usize,
}

/// Offers `c` to `kept`, the best candidates so far (at most `width`, best first). Candidates
/// are offered in (parent, tag) order, so inserting after every equal score breaks ties in
/// that order, as a stable sort by score would; and the beam stays deterministic. A
/// candidate no better than the worst kept one is dismissed at once, which is most of them:
/// collecting every candidate first and then selecting cost more than the selection (a
/// profile of `claimlens bench`).
fn keep_best(kept: &mut Vec<Candidate>, width: usize, c: Candidate) {
    // `total_cmp`, not `>`: a total order (a negative zero below zero), as before.
    let better = |a: &Candidate, b: &Candidate| a.total.total_cmp(&b.total).is_gt();
    if width == 0 || (kept.len() == width && !better(&c, &kept[width - 1])) {
        return;
    }
    if kept.len() == width {
        kept.pop();
    }
    let mut j = kept.len();
    while j > 0 && better(&c, &kept[j - 1]) {
        j -= 1;
    }
    kept.insert(j, c);
}

impl<const N: usize> Model<N> {
    /// Tags a sequence with a beam of `width` (see the module docs); `scores` receives the
    /// tag scores each chosen tag was picked from.
    pub fn tag_beam(
        &self,
        feats: &Features,
        width: usize,
        tags: &mut Vec<Tag>,
        scores: &mut Vec<[f32; N]>,
    ) {
        scores.clear();
        let n = feats.len();
        if n == 0 {
            tags.clear();
            return;
        }
        let found = search(&self.weights, self.history(), feats, width, None);
        found.path(n - 1, 0, tags);
        let mut item = 0;
        scores.resize(n, [0.0; N]);
        for i in (0..n).rev() {
            let at = found.at(i, item);
            scores[i] = found.scores[at];
            item = found.items[at].parent as usize;
        }
    }
}

/// Gold tags made decodable: an I tag that cannot follow its predecessor becomes B.
fn decodable(gold: &[Tag]) -> Vec<Tag> {
    let mut out = Vec::with_capacity(gold.len());
    let mut prev = O;
    for &g in gold {
        let g = if allowed(prev, g) {
            g
        } else {
            begin(role_of(g).expect("I tags have a role"))
        };
        out.push(g);
        prev = g;
    }
    out
}

impl<const N: usize> Trainer<N> {
    /// Adds `delta` to the features of `tags[..=end]` along that tagging's own history,
    /// skipping positions where `other` made the same move from the same history.
    fn update_path(&mut self, feats: &Features, tags: &[Tag], other: &[Tag], delta: f32) {
        let at = |v: &[Tag], j: usize, back: usize| j.checked_sub(back).map_or(O, |k| v[k]);
        for j in 0..tags.len() {
            let (p1, p2) = (at(tags, j, 1), at(tags, j, 2));
            if tags[j] == other[j] && p1 == at(other, j, 1) && p2 == at(other, j, 2) {
                continue;
            }
            for &f in feats.of(j).iter().chain(&history(feats, j, p1, p2)) {
                self.update(f, tags[j], delta);
            }
        }
    }

    /// One beam-training pass over `examples` in the given order; returns the number of
    /// wrong tags in the prefixes it updated on.
    pub fn epoch_beam(&mut self, examples: &[Example], order: &[usize], width: usize) -> usize {
        let mut errors = 0;
        let mut predicted = Vec::new();
        for &k in order {
            let ex = &examples[k];
            if ex.gold.is_empty() {
                continue;
            }
            let gold = decodable(&ex.gold);
            // The weights change with every update, so their history part is looked up anew.
            let history = HistoryWeights::of(&self.w);
            let found = search(&self.w, &history, &ex.features, width, Some(&gold));
            let end = found.fell_out.unwrap_or(gold.len() - 1);
            self.c += (end + 1) as f32;
            found.path(end, 0, &mut predicted);
            let gold = &gold[..=end];
            if predicted == gold {
                continue;
            }
            errors += predicted.iter().zip(gold).filter(|(p, g)| p != g).count();
            self.update_path(&ex.features, gold, &predicted, 1.0);
            let p = predicted.clone();
            self.update_path(&ex.features, &p, gold, -1.0);
        }
        errors
    }
}

/// Beam-trains for `epochs` passes (seeded shuffle before each, as
/// [`super::perceptron::train_epochs`]).
pub fn train_epochs_beam<const N: usize>(
    examples: &[Example],
    epochs: usize,
    seed: u64,
    width: usize,
    progress: impl FnMut(usize, usize, usize),
) -> Trainer<N> {
    run_epochs(examples, epochs, seed, progress, |t, ex, order| {
        t.epoch_beam(ex, order, width)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::bio::inside;
    use crate::learn::features::Hasher;

    /// Token features: the word only (plus a bias).
    fn feats(words: &[&str]) -> Features {
        let mut f = Features::default();
        for w in words {
            f.starts.push(f.values.len());
            f.values.push(Hasher::new(1).finish());
            f.values.push(Hasher::new(2).word(w).finish());
        }
        f.starts.push(f.values.len());
        f
    }

    #[test]
    fn beam_training_learns_spans_and_decoding_reproduces_them() {
        // Role 0 spans over "big red X" patterns.
        let data: Vec<(Vec<&str>, Vec<Tag>)> = vec![
            (
                vec!["a", "big", "red", "ship", "sails"],
                vec![O, begin(0), inside(0), inside(0), O],
            ),
            (
                vec!["the", "red", "ship", "sank"],
                vec![O, begin(0), inside(0), O],
            ),
            (vec!["a", "big", "ship"], vec![O, begin(0), inside(0)]),
        ];
        let examples: Vec<Example> = data
            .iter()
            .map(|(w, g)| Example {
                features: feats(w),
                gold: g.clone(),
            })
            .collect();
        let model =
            train_epochs_beam::<3>(&examples, 10, 7, 4, |_, _, _| {}).finish(Vec::new(), 0.0);
        let (mut tags, mut scores) = (Vec::new(), Vec::new());
        for ex in &examples {
            model.tag_beam(&ex.features, 4, &mut tags, &mut scores);
            assert_eq!(tags, ex.gold);
            assert_eq!(scores.len(), tags.len());
        }
        // Width 1 is a valid (greedy) decoder too; empty input is fine.
        model.tag_beam(&feats(&[]), 4, &mut tags, &mut scores);
        assert!(tags.is_empty());
    }

    #[test]
    fn keeping_the_best_matches_a_stable_sort_with_ties_in_push_order() {
        // Scores with many ties (and a negative zero, which total_cmp orders below zero).
        let scores = [
            1.0f32, 2.0, 1.0, -0.0, 0.0, 2.0, 1.0, 3.0, 2.0, 1.0, -1.0, 2.0,
        ];
        let all: Vec<(f32, u32, Tag, usize)> = scores
            .iter()
            .enumerate()
            .map(|(k, &s)| (s, (k / 3) as u32, (k % 3) as Tag, k))
            .collect();
        for width in 1..=all.len() + 1 {
            let mut expected = all.clone();
            expected.sort_by(|a, b| b.0.total_cmp(&a.0));
            expected.truncate(width);
            let mut kept = Vec::new();
            for &(total, parent, tag, seen) in &all {
                let c = Candidate {
                    total,
                    parent,
                    tag,
                    seen,
                };
                keep_best(&mut kept, width, c);
            }
            let kept: Vec<(u32, u32, Tag, usize)> = kept
                .iter()
                .map(|c| (c.total.to_bits(), c.parent, c.tag, c.seen))
                .collect();
            let expected: Vec<(u32, u32, Tag, usize)> = expected
                .iter()
                .map(|c| (c.0.to_bits(), c.1, c.2, c.3))
                .collect();
            assert_eq!(kept, expected, "width {width}");
        }
    }

    #[test]
    fn stray_inside_tags_become_begins() {
        assert_eq!(
            decodable(&[O, inside(0), inside(0)]),
            vec![O, begin(0), inside(0)]
        );
    }
}
