//! Words for retrieval: lower-cased alphanumeric runs, optionally without English function
//! words and with plural endings folded, so "vaccines" in a claim finds "vaccine" in a case.

/// English function words: frequent in every text, so they only add noise to a match.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "for", "from",
    "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "just", "me", "more", "most", "my", "no", "not", "now", "of", "on", "only", "or",
    "other", "our", "out", "over", "s", "said", "says", "she", "so", "some", "such", "t", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which",
    "while", "who", "whom", "why", "will", "with", "would", "you", "your",
];

/// How text becomes index terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tokenizer {
    /// Drop English function words.
    pub stop_words: bool,
    /// Fold plural endings (`-ies` → `-y`, `-es`/`-s` dropped after a consonant).
    pub stem: bool,
}

impl Tokenizer {
    /// Calls `emit` with each term of `text`, in order.
    pub fn terms(&self, text: &str, mut emit: impl FnMut(String)) {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let lower = word.to_lowercase();
            if self.stop_words && STOP_WORDS.binary_search(&lower.as_str()).is_ok() {
                continue;
            }
            emit(if self.stem { fold_plural(lower) } else { lower });
        }
    }
}

/// A light, predictable plural folding (not a full stemmer: it never merges unrelated words
/// such as "news" and "new", because words ending in "ss", "us", "is" or "ws" are kept).
fn fold_plural(word: String) -> String {
    let n = word.len();
    if n <= 3 || !word.is_ascii() {
        return word;
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for keep in ["ss", "us", "is", "ws"] {
        if word.ends_with(keep) {
            return word;
        }
    }
    if let Some(stem) = word.strip_suffix("es") {
        if ["sh", "ch", "ss", "x"].iter().any(|e| stem.ends_with(e)) {
            return stem.to_owned();
        }
    }
    match word.strip_suffix('s') {
        Some(stem) => stem.to_owned(),
        None => word,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: Tokenizer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        t.terms(text, |w| out.push(w));
        out
    }

    #[test]
    fn the_stop_word_list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_are_lower_cased_filtered_and_folded() {
        let t = Tokenizer {
            stop_words: true,
            stem: true,
        };
        assert_eq!(
            terms(t, "The Vaccines contain chips; NEWS of bosses' policies."),
            ["vaccine", "contain", "chip", "news", "boss", "policy"]
        );
        let plain = Tokenizer {
            stop_words: false,
            stem: false,
        };
        assert_eq!(terms(plain, "The Vaccines"), ["the", "vaccines"]);
    }
}
