//! Document features for the genre and frame classifiers: the lowercased words and word
//! pairs the document uses, each with how often it occurs (the model weighs them by TF-IDF
//! and scales the document to unit length, so a long article does not outvote a short one by
//! repetition alone), and a few bucketed style cues that tell a
//! report from an opinion piece or satire where single words are too sparse — how many
//! sentences quote someone, ask a question, exclaim or speak in the first person, and the
//! article's length.
//!
//! Each feature keeps a name ([`FeatureName`]) beside its hash, so a prediction's reason can
//! show the words that carried it.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use claimlens_core::{tokens_within, Doc, TokenKind};

use crate::learn::features::{lowercase_into, Hasher};
use crate::learn::perceptron::IdentityHasher;

#[repr(u8)]
#[derive(Clone, Copy)]
enum Template {
    Word = 11,
    Pair = 12,
    Cue = 13,
}

impl From<Template> for u8 {
    fn from(t: Template) -> u8 {
        t as u8
    }
}

/// The style cues, by index in [`FeatureName::Cue`].
const CUES: [&str; 5] = [
    "quotes",
    "questions",
    "exclamations",
    "first-person",
    "length",
];

/// The cues' buckets, by index in [`FeatureName::Cue`].
const BUCKETS: [&str; 9] = [
    "none",
    "under-10%",
    "10-25%",
    "25-50%",
    "over-half",
    "under-300-words",
    "300-700-words",
    "700-1500-words",
    "over-1500-words",
];

/// What a feature is, for the reason text. Twelve bytes: a document has one per distinct word
/// and word pair, all held while the stage runs (it was 40 bytes, most of the stage's memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureName {
    /// The word of token `i` (its first occurrence).
    Word(u32),
    /// Tokens `i` and `j`, consecutive words (their first occurrence).
    Pair(u32, u32),
    /// A style cue and its bucket, as indices into the cue and bucket lists.
    Cue(u8, u8),
}

impl FeatureName {
    /// How the reason shows it: `'word'`, `'two words'`, `quotes:over-half`.
    pub fn describe(self, doc: &Doc) -> String {
        let word = |i: u32| doc.slice(doc.tokens[i as usize].span).to_lowercase();
        match self {
            FeatureName::Word(i) => format!("'{}'", word(i)),
            FeatureName::Pair(i, j) => format!("'{} {}'", word(i), word(j)),
            FeatureName::Cue(c, b) => format!("{}:{}", CUES[c as usize], BUCKETS[b as usize]),
        }
    }

    /// The name of cue `cue` in bucket `bucket` (both from the lists above).
    fn cue(cue: &str, bucket: &str) -> FeatureName {
        let index = |list: &[&str], s: &str| list.iter().position(|x| *x == s).unwrap_or(0) as u8;
        FeatureName::Cue(index(&CUES, cue), index(&BUCKETS, bucket))
    }
}

/// The features of one document: hashes (distinct), their names and their counts, index
/// for index.
#[derive(Debug, Default, Clone)]
pub struct DocFeatures {
    /// Distinct feature hashes.
    pub hashes: Vec<u32>,
    /// Their names.
    pub names: Vec<FeatureName>,
    /// How often each occurs (1 for a style cue).
    pub counts: Vec<f32>,
}

/// The bucket of a share of sentences.
fn share_bucket(count: usize, of: usize) -> &'static str {
    match (count, count * 100 / of.max(1)) {
        (0, _) => "none",
        (_, 0..=9) => "under-10%",
        (_, 10..=24) => "10-25%",
        (_, 25..=49) => "25-50%",
        _ => "over-half",
    }
}

/// The features of a segmented document (see the module docs).
pub fn extract(doc: &Doc) -> DocFeatures {
    let mut out = DocFeatures::default();
    // Keys are FNV hashes already: the weight tables' hasher spreads them without rehashing.
    let mut seen: HashMap<u32, usize, BuildHasherDefault<IdentityHasher>> = HashMap::default();
    let mut push = |out: &mut DocFeatures, h: u32, name: FeatureName| match seen.entry(h) {
        Entry::Occupied(e) => out.counts[*e.get()] += 1.0,
        Entry::Vacant(e) => {
            e.insert(out.hashes.len());
            out.hashes.push(h);
            out.names.push(name);
            out.counts.push(1.0);
        }
    };
    let (mut lower, mut previous_word) = (String::new(), String::new());
    let mut previous: Option<usize>;
    // Sentences with a quotation mark, a question mark, an exclamation mark, a first-person
    // singular pronoun.
    let mut cues = [0usize; 4];
    let mut words = 0usize;
    for s in &doc.sentences {
        let r = tokens_within(&doc.tokens, s.span);
        let mut has = [false; 4];
        previous = None;
        for (i, t) in doc.tokens[r.clone()].iter().enumerate() {
            let i = r.start + i;
            let text = doc.slice(t.span);
            match t.kind {
                TokenKind::Punct => {
                    has[0] |= matches!(text, "\"" | "“" | "”" | "‘" | "’" | "«" | "»");
                    has[1] |= text == "?";
                    has[2] |= text == "!";
                    continue;
                }
                TokenKind::Word | TokenKind::Number => {}
                _ => continue,
            }
            words += 1;
            lowercase_into(&mut lower, text);
            has[3] |= matches!(lower.as_str(), "i" | "me" | "my" | "mine");
            push(
                &mut out,
                Hasher::new(Template::Word).word(&lower).finish(),
                FeatureName::Word(i as u32),
            );
            if let Some(j) = previous {
                push(
                    &mut out,
                    Hasher::new(Template::Pair)
                        .word(&previous_word)
                        .word(&lower)
                        .finish(),
                    FeatureName::Pair(j as u32, i as u32),
                );
            }
            previous = Some(i);
            std::mem::swap(&mut previous_word, &mut lower);
        }
        for (c, h) in cues.iter_mut().zip(has) {
            *c += usize::from(h);
        }
    }
    let sentences = doc.sentences.len();
    for (name, count) in ["quotes", "questions", "exclamations", "first-person"]
        .into_iter()
        .zip(cues)
    {
        let bucket = share_bucket(count, sentences);
        push(
            &mut out,
            Hasher::new(Template::Cue).word(name).word(bucket).finish(),
            FeatureName::cue(name, bucket),
        );
    }
    let length = match words {
        0..=299 => "under-300-words",
        300..=699 => "300-700-words",
        700..=1499 => "700-1500-words",
        _ => "over-1500-words",
    };
    push(
        &mut out,
        Hasher::new(Template::Cue)
            .word("length")
            .word(length)
            .finish(),
        FeatureName::cue("length", length),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;
    use claimlens_core::Stage;

    #[test]
    fn every_cue_and_bucket_names_itself() {
        let doc = Doc::new("t", "");
        for cue in CUES {
            for bucket in BUCKETS {
                let described = FeatureName::cue(cue, bucket).describe(&doc);
                assert_eq!(described, format!("{cue}:{bucket}"));
            }
        }
        assert_eq!(std::mem::size_of::<FeatureName>(), 12);
    }

    #[test]
    fn words_and_pairs_once_each_with_style_cues() {
        let mut doc = Doc::new(
            "t",
            "The minister said “we will act”. The minister left.\n\nWhy would I care?",
        );
        Segmenter.run(&mut doc);
        let f = extract(&doc);
        let described: Vec<String> = f.names.iter().map(|n| n.describe(&doc)).collect();
        assert_eq!(f.hashes.len(), f.names.len());
        let count = |s: &str| described.iter().filter(|d| *d == s).count();
        assert_eq!(count("'minister'"), 1, "{described:?}");
        let at = |s: &str| f.counts[described.iter().position(|d| d == s).unwrap()];
        assert_eq!(at("'minister'"), 2.0, "counted, named once");
        assert_eq!(at("'we'"), 1.0);
        assert_eq!(count("'the minister'"), 1);
        assert_eq!(count("'left why'"), 0, "pairs stay inside a sentence");
        assert_eq!(count("quotes:over-half"), 0, "{described:?}");
        assert_eq!(count("quotes:25-50%"), 1, "{described:?}");
        assert_eq!(count("first-person:25-50%"), 1);
        assert_eq!(count("length:under-300-words"), 1);
        let unique: std::collections::HashSet<u32> = f.hashes.iter().copied().collect();
        assert_eq!(unique.len(), f.hashes.len());
    }
}
