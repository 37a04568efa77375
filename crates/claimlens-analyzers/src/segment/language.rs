//! Whether a text is English, decided once by the segmenter and kept as the document's
//! `meta.language`, so every English-trained stage reads the same answer instead of deciding
//! it again.

use claimlens_core::{Doc, TokenKind};

use crate::learn::features::lowercase_into;

/// Words common in English text and rare elsewhere: a document in which almost no word is
/// one of these is not English, and models trained on English do not apply.
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with", "he",
    "as", "be", "by", "at", "have", "are", "this", "not", "but", "from", "they", "his", "she",
    "or", "which", "an", "were", "has", "been", "their", "we", "said", "will",
];

/// How many words are read: the start of a long text says as much as the whole of it.
const WORDS_READ: usize = 2000;

/// Fewer words than this say too little to tell a language.
const WORDS_NEEDED: usize = 20;

/// The language tag of a segmented text whose metadata gives none: `en` when at least one
/// word in twenty of its first 2,000 is a common English function word (English prose runs
/// at 40–50 %), `und` (BCP 47 "undetermined": some other language, not identified) when
/// fewer are, and `None` when it has under 20 words.
pub(super) fn detect(doc: &Doc) -> Option<&'static str> {
    let mut buf = String::new();
    let (mut words, mut common) = (0usize, 0usize);
    for t in doc
        .tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .take(WORDS_READ)
    {
        words += 1;
        lowercase_into(&mut buf, doc.slice(t.span));
        common += usize::from(ENGLISH_FUNCTION_WORDS.contains(&buf.as_str()));
    }
    if words < WORDS_NEEDED {
        None
    } else if common * 20 >= words {
        Some("en")
    } else {
        Some("und")
    }
}

/// False when the document's language (from its metadata, or as the segmenter detected it)
/// is other than English; true for English and for texts too short to tell.
///
/// ```
/// use claimlens_analyzers::{reads_as_english, Segmenter};
/// use claimlens_core::{Doc, Stage};
///
/// let mut doc = Doc::new("d", "Die Regierung hat am Montag beschlossen, dass die Steuern im \
///     nächsten Jahr steigen werden, obwohl viele Bürger und Unternehmen dagegen protestiert haben.");
/// Segmenter.run(&mut doc);
/// assert_eq!(doc.meta.language.as_deref(), Some("und"));
/// assert!(!reads_as_english(&doc));
/// ```
pub fn reads_as_english(doc: &Doc) -> bool {
    let Some(tag) = doc.meta.language.as_deref().map(str::trim) else {
        return true;
    };
    // The primary subtag: "en" of "en-GB", also ISO 639-2's "eng" and the name some pages
    // write.
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    primary.is_empty()
        || ["en", "eng", "english"]
            .iter()
            .any(|e| primary.eq_ignore_ascii_case(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;
    use claimlens_core::Stage;

    fn segmented(text: &str, language: Option<&str>) -> Doc {
        let mut doc = Doc::new("t", text);
        doc.meta.language = language.map(str::to_owned);
        Segmenter.run(&mut doc);
        doc
    }

    #[test]
    fn detected_only_when_the_metadata_says_nothing() {
        let english = "The minister said on Monday that the taxes will rise next year, although \
                       many of the citizens and companies that have protested want them cut.";
        assert_eq!(
            segmented(english, None).meta.language.as_deref(),
            Some("en")
        );
        let german = "Die Regierung hat am Montag beschlossen, dass die Steuern im nächsten Jahr \
                      steigen werden, obwohl viele Bürger und Unternehmen dagegen protestiert \
                      haben und eine Senkung fordern.";
        assert_eq!(
            segmented(german, None).meta.language.as_deref(),
            Some("und")
        );
        assert_eq!(segmented("Too short to tell.", None).meta.language, None);
        // The source's own tag is kept, even when the text disagrees with it.
        let doc = segmented(english, Some("fr"));
        assert_eq!(doc.meta.language.as_deref(), Some("fr"));
        assert!(!reads_as_english(&doc));
    }

    #[test]
    fn english_tags_are_read_as_english() {
        for (tag, english) in [
            ("en", true),
            ("EN-gb", true),
            (" en_US ", true),
            ("", true),
            ("und", false),
            ("eng", true),
            ("English", true),
            ("enx", false),
            ("fr", false),
            ("e", false),
        ] {
            let mut doc = Doc::new("t", "x");
            doc.meta.language = Some(tag.into());
            assert_eq!(reads_as_english(&doc), english, "{tag:?}");
        }
    }
}
