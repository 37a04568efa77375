//! Non-local evidence for the entity tagger's second pass (Krishnan & Manning 2006; Ratinov
//! & Roth 2009): what the first pass predicted for the same word and the same name
//! elsewhere in the document.
//!
//! The first pass tags each sentence with local evidence only, so one document can type
//! "Assange" ORG next to the person "Julian Assange", or a company "Norilsk" LOC in one
//! sentence and ORG in the next. The second pass sees the first pass's tags aggregated over
//! the whole document, always leaving out the word's own prediction ("elsewhere"), and
//! learns how far to trust them: it is trained on first-pass predictions made on held-out
//! folds of the training data, so the errors it learns to correct are realistic ones.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::learn::bio::{spans, Tag, O};
use crate::learn::features::Hasher;
use crate::learn::perceptron::IdentityHasher;

/// Feature groups of the second pass (a bit set, stored with the model so tagging computes
/// what training did).
pub mod groups {
    /// The first pass's tag at the word and its neighbours.
    pub const OWN: u8 = 1;
    /// The labels the first pass gave the same (capitalised) word elsewhere.
    pub const TOKEN: u8 = 2;
    /// The types the first pass gave the same mention string elsewhere.
    pub const ENTITY: u8 = 4;
    /// The type of the longest mention elsewhere that contains the word ("Assange" in
    /// "Julian Assange").
    pub const SUPER: u8 = 8;
    /// Whether mentions elsewhere end at the previous word and start at this one, and
    /// whether the two words ever stand together inside one (tables: "Real Madrid
    /// Barcelona").
    pub const BOUNDARY: u8 = 16;
    /// Every group.
    pub const ALL: u8 = OWN | TOKEN | ENTITY | SUPER | BOUNDARY;
    /// The names of the groups, in bit order (for command-line selection).
    pub const NAMES: [(&str, u8); 5] = [
        ("own", OWN),
        ("token", TOKEN),
        ("entity", ENTITY),
        ("super", SUPER),
        ("boundary", BOUNDARY),
    ];
}

/// Feature templates of the second pass. They share the weight table with the first pass's
/// templates ([`super::features`], ids 1–34), so their ids start well above those.
#[derive(Clone, Copy)]
#[repr(u8)]
enum N {
    Own = 100,
    OwnWindow,
    TokenMajority,
    TokenMajorityOwn,
    TokenLabels,
    EntityMajority,
    Super,
    SuperOwn,
    Boundary,
}

impl From<N> for u8 {
    fn from(t: N) -> u8 {
        t as u8
    }
}

type Map<V> = HashMap<u32, V, BuildHasherDefault<IdentityHasher>>;

/// A mention of length ≥ 2 that contains a word: its id, length, role and where in it the
/// word stands (0 first, 1 inside, 2 last).
#[derive(Debug, Clone, Copy)]
struct Container {
    id: u32,
    len: u16,
    role: u8,
    position: u8,
}

/// What the first pass did with one word, counted over the document.
#[derive(Debug, Default, Clone, Copy)]
struct WordStats {
    /// Occurrences per label: 0 outside a mention, `1 + role` inside one.
    labels: [u16; 5],
    /// Mentions starting / ending with the word.
    starts: u16,
    ends: u16,
    /// The two longest multi-word mentions containing it (two, so that one other than the
    /// word's own is always at hand).
    containers: [Option<Container>; 2],
}

/// The first pass's predictions over one document, indexed for the second pass's features.
#[derive(Debug, Default)]
pub struct DocPredictions {
    words: Map<WordStats>,
    /// Roles per mention string.
    entities: Map<[u16; 4]>,
    /// Adjacent word pairs inside one mention.
    pairs: Map<u16>,
    /// Id of each sentence's first mention.
    first_mention: Vec<u32>,
}

/// A word counts for token-level evidence when it starts with a capital letter (lowercase
/// words are mostly function words, whose labels say nothing).
fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Case-folded key of a word: "NORILSK" in a headline is "Norilsk" in the text.
fn key(w: &str) -> u32 {
    Hasher::new(0u8).word(w).finish()
}

fn pair_key(a: u32, b: u32) -> u32 {
    a.rotate_left(7) ^ b.wrapping_mul(0x9e37_79b9)
}

fn mention_key(words: &[&str]) -> u32 {
    let mut h = Hasher::new(1u8);
    for w in words {
        h = h.word(w);
    }
    h.finish()
}

fn label(tag: Tag) -> usize {
    if tag == O {
        0
    } else {
        1 + (tag as usize - 1) / 2
    }
}

fn saturating_inc(x: &mut u16) {
    *x = x.saturating_add(1);
}

impl DocPredictions {
    /// Indexes the first pass's tags of every sentence of a document.
    pub fn new<S: AsRef<[Tag]>>(sentences: &[&[&str]], tags: &[S]) -> DocPredictions {
        let mut p = DocPredictions::default();
        let mut id = 0u32;
        for (words, tags) in sentences.iter().zip(tags) {
            let tags = tags.as_ref();
            p.first_mention.push(id);
            for (w, &t) in words.iter().zip(tags) {
                if capitalised(w) {
                    saturating_inc(&mut p.words.entry(key(w)).or_default().labels[label(t)]);
                }
            }
            for (role, r) in spans(tags) {
                let m = &words[r.clone()];
                saturating_inc(&mut p.entities.entry(mention_key(m)).or_default()[role as usize]);
                saturating_inc(&mut p.words.entry(key(m[0])).or_default().starts);
                saturating_inc(&mut p.words.entry(key(m[m.len() - 1])).or_default().ends);
                for pair in m.windows(2) {
                    saturating_inc(
                        p.pairs
                            .entry(pair_key(key(pair[0]), key(pair[1])))
                            .or_default(),
                    );
                }
                if m.len() >= 2 {
                    for (k, w) in m.iter().enumerate() {
                        let position = match k {
                            0 => 0,
                            k if k + 1 == m.len() => 2,
                            _ => 1,
                        };
                        let c = Container {
                            id,
                            len: m.len().min(u16::MAX as usize) as u16,
                            role,
                            position,
                        };
                        let stats = p.words.entry(key(w)).or_default();
                        // Keep the two longest, the earlier of equals first.
                        match stats.containers {
                            [None, _] => stats.containers[0] = Some(c),
                            [Some(a), _] if c.len > a.len => {
                                stats.containers = [Some(c), Some(a)];
                            }
                            [Some(_), None] => stats.containers[1] = Some(c),
                            [Some(_), Some(b)] if c.len > b.len => stats.containers[1] = Some(c),
                            _ => {}
                        }
                    }
                }
                id += 1;
            }
        }
        p
    }

    /// Appends the non-local features (groups in `mask`) of every word of sentence `s`,
    /// whose first-pass tags are `tags`, calling `push(i, feature)`.
    pub fn features(
        &self,
        s: usize,
        words: &[&str],
        tags: &[Tag],
        mask: u8,
        mut push: impl FnMut(usize, u32),
    ) {
        use groups::*;
        let first_id = self.first_mention.get(s).copied().unwrap_or(0);
        // The word's own mention: (id, range, role) per word.
        let mut own: Vec<Option<(u32, std::ops::Range<usize>, u8)>> = vec![None; words.len()];
        for (k, (role, r)) in spans(tags).into_iter().enumerate() {
            for o in &mut own[r.clone()] {
                *o = Some((first_id + k as u32, r.clone(), role));
            }
        }
        let tag_at = |i: isize| -> u8 {
            if i < 0 || i as usize >= tags.len() {
                0xff
            } else {
                tags[i as usize]
            }
        };
        for (i, w) in words.iter().enumerate() {
            let t = tags[i];
            let l = label(t) as u8;
            if mask & OWN != 0 {
                push(i, Hasher::new(N::Own).byte(t).finish());
                let ii = i as isize;
                push(
                    i,
                    Hasher::new(N::OwnWindow)
                        .byte(tag_at(ii - 1))
                        .byte(t)
                        .byte(tag_at(ii + 1))
                        .finish(),
                );
            }
            let stats = capitalised(w).then(|| self.words.get(&key(w))).flatten();
            if let (Some(stats), true) = (stats, mask & TOKEN != 0) {
                let mut others = stats.labels;
                others[l as usize] = others[l as usize].saturating_sub(1);
                let total: u32 = others.iter().map(|&c| c as u32).sum();
                if total > 0 {
                    let (majority, &count) = others
                        .iter()
                        .enumerate()
                        .max_by_key(|&(k, c)| (*c, std::cmp::Reverse(k)))
                        .expect("five labels");
                    let share = if count as u32 == total {
                        2
                    } else if count as u32 * 3 >= total * 2 {
                        1
                    } else {
                        0
                    };
                    let majority = majority as u8;
                    push(
                        i,
                        Hasher::new(N::TokenMajority)
                            .byte(majority)
                            .byte(share)
                            .finish(),
                    );
                    push(
                        i,
                        Hasher::new(N::TokenMajorityOwn)
                            .byte(majority)
                            .byte(l)
                            .finish(),
                    );
                    let seen = others
                        .iter()
                        .enumerate()
                        .fold(0u8, |m, (k, &c)| m | ((c > 0) as u8) << k);
                    push(i, Hasher::new(N::TokenLabels).byte(seen).finish());
                }
            }
            let own_mention = own[i].as_ref();
            if let (Some((_, r, role)), true) = (own_mention, mask & ENTITY != 0) {
                if let Some(counts) = self.entities.get(&mention_key(&words[r.clone()])) {
                    let mut others = *counts;
                    others[*role as usize] = others[*role as usize].saturating_sub(1);
                    if let Some((majority, _)) = others
                        .iter()
                        .enumerate()
                        .filter(|(_, &c)| c > 0)
                        .max_by_key(|&(k, c)| (*c, std::cmp::Reverse(k)))
                    {
                        let begins = (i == r.start) as u8;
                        push(
                            i,
                            Hasher::new(N::EntityMajority)
                                .byte(majority as u8)
                                .byte(*role)
                                .byte(begins)
                                .finish(),
                        );
                    }
                }
            }
            if let (Some(stats), true) = (stats, mask & SUPER != 0) {
                let own_id = own_mention.map(|(id, _, _)| *id);
                let own_len = own_mention.map_or(0, |(_, r, _)| r.len());
                let longer = stats
                    .containers
                    .iter()
                    .flatten()
                    .find(|c| Some(c.id) != own_id && c.len as usize > own_len);
                if let Some(c) = longer {
                    push(
                        i,
                        Hasher::new(N::Super).byte(c.role).byte(c.position).finish(),
                    );
                    push(
                        i,
                        Hasher::new(N::SuperOwn)
                            .byte(c.role)
                            .byte(c.position)
                            .byte(l)
                            .finish(),
                    );
                }
            }
            if mask & BOUNDARY != 0 && i > 0 && capitalised(w) && capitalised(words[i - 1]) {
                let (kp, kc) = (key(words[i - 1]), key(w));
                let own_range = |j: usize| own[j].as_ref().map(|(_, r, _)| r.clone());
                let prev_ends_own = own_range(i - 1).is_some_and(|r| r.end == i) as u16;
                let cur_starts_own = own_range(i).is_some_and(|r| r.start == i) as u16;
                let together_own = match (&own[i - 1], &own[i]) {
                    (Some((a, _, _)), Some((b, _, _))) => (a == b) as u16,
                    _ => 0,
                };
                let ends = self.words.get(&kp).map_or(0, |s| s.ends) > prev_ends_own;
                let starts = self.words.get(&kc).map_or(0, |s| s.starts) > cur_starts_own;
                let together =
                    self.pairs.get(&pair_key(kp, kc)).copied().unwrap_or(0) > together_own;
                push(
                    i,
                    Hasher::new(N::Boundary)
                        .byte(ends as u8 | (starts as u8) << 1 | (together as u8) << 2)
                        .byte(l)
                        .finish(),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::bio::{begin, inside};

    fn features_of(
        p: &DocPredictions,
        s: usize,
        words: &[&str],
        tags: &[Tag],
        mask: u8,
    ) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); words.len()];
        p.features(s, words, tags, mask, |i, f| out[i].push(f));
        out
    }

    #[test]
    fn a_surname_alone_sees_the_full_name_elsewhere() {
        let s0 = ["Julian", "Assange", "spoke", "."];
        let s1 = ["Assange", "left", "."];
        let t0 = [begin(0), inside(0), O, O];
        let t1 = [begin(1), O, O];
        let sentences = [&s0[..], &s1[..]];
        let p = DocPredictions::new(&sentences, &[&t0[..], &t1[..]]);
        let f = features_of(&p, 1, &s1, &t1, groups::SUPER);
        let person_last = Hasher::new(N::Super).byte(0).byte(2).finish();
        assert!(f[0].contains(&person_last));
        // In its own sentence the full name has no longer container elsewhere.
        let f = features_of(&p, 0, &s0, &t0, groups::SUPER);
        assert!(f[1].is_empty());
    }

    #[test]
    fn token_evidence_leaves_the_word_itself_out() {
        let s0 = ["Norilsk", "rose", "."];
        let s1 = ["Norilsk", "fell", "."];
        let t = [begin(2), O, O];
        let sentences = [&s0[..], &s1[..]];
        let p = DocPredictions::new(&sentences, &[&t[..], &t[..]]);
        let f = features_of(&p, 0, &s0, &t, groups::TOKEN);
        // The other occurrence is LOC (label 3), all of them.
        assert!(f[0].contains(&Hasher::new(N::TokenMajority).byte(3).byte(2).finish()));
        // A document with the word once gives no token evidence.
        let alone = DocPredictions::new(&sentences[..1], &[&t[..]]);
        assert!(features_of(&alone, 0, &s0, &t, groups::TOKEN)[0].is_empty());
    }

    #[test]
    fn boundaries_elsewhere_split_a_fused_pair() {
        let s0 = ["Real", "Madrid", "won", "."];
        let s1 = ["Barcelona", "lost", "."];
        let s2 = ["Real", "Madrid", "Barcelona"];
        let t0 = [begin(1), inside(1), O, O];
        let t1 = [begin(1), O, O];
        let t2 = [begin(1), inside(1), inside(1)];
        let sentences = [&s0[..], &s1[..], &s2[..]];
        let p = DocPredictions::new(&sentences, &[&t0[..], &t1[..], &t2[..]]);
        let f = features_of(&p, 2, &s2, &t2, groups::BOUNDARY);
        let split = Hasher::new(N::Boundary).byte(0b011).byte(2).finish();
        assert_eq!(f[2], vec![split]);
        // "Real Madrid" stands together elsewhere.
        let together = Hasher::new(N::Boundary).byte(0b100).byte(2).finish();
        assert_eq!(f[1], vec![together]);
    }
}
