//! The speaker a personal pronoun continues when the text has just made someone its subject.
//!
//! The latest speaker is the usual antecedent of a pronoun source, but not after a sentence
//! about someone else: "Mr. Obama dismissed the criticism as the voice of Mr. Tribe's client.
//! “You know, I love Larry,” he said" — Tribe spoke last, yet "he" is Obama, the subject of
//! the sentence before (the centre a text keeps, in centering theory's terms). So a pronoun
//! whose own sentence, before it, or else the sentence before, opens with the name of a
//! speaker already heard refers to that speaker, when it can denote them.

use claimlens_core::{Doc, Span};

use super::name_words::is_title;

/// Capitalised words at most in a subject name ("Laurence H. Tribe").
const MAX_NAME_WORDS: usize = 4;

/// The last word of the name a sentence opens with, when it opens with one: optional titles
/// ([`is_title`]: "Mr.", "Sen.", "Republican"), then a run of capitalised words (initials
/// with their periods included) that does not end with a title, followed
/// by a lower-case word or a comma ("The White House" opens with "The", which no name
/// starts with; a quotation opens with a quote mark; "Mr. Obama's aides" have the aides for
/// their subject).
fn opening_surname(doc: &Doc, sentence: Span, before: u32) -> Option<&str> {
    let tokens = &doc.tokens;
    let mut i = tokens.partition_point(|t| t.span.start < sentence.start);
    let end = tokens.partition_point(|t| t.span.start < before.min(sentence.end));
    let word = |i: usize| doc.slice(tokens[i].span);
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase)
    };
    while i < end && is_title(word(i)) {
        i += 1;
        if i < end && word(i) == "." {
            i += 1;
        }
    }
    let mut last = None;
    let mut words = 0;
    while i < end && words < MAX_NAME_WORDS {
        let w = word(i);
        let upper_letter = |w: &str| w.chars().count() == 1 && w.chars().all(char::is_uppercase);
        if upper_letter(w) && i + 1 < end && word(i + 1) == "." {
            i += 2;
            words += 1;
            continue;
        }
        if w.ends_with('.') && upper_letter(w.trim_end_matches('.')) {
            i += 1;
            words += 1;
            continue;
        }
        if !capitalised(w) {
            break;
        }
        last = Some(w);
        words += 1;
        i += 1;
    }
    let next = (i < end).then(|| word(i))?;
    let possessive = |w: &str| w.ends_with("'s") || w.ends_with("’s");
    let ends_name =
        next == "," || (next.chars().next().is_some_and(char::is_lowercase) && !possessive(next));
    last.filter(|w| ends_name && !possessive(w) && !is_title(w))
}

/// The speaker in `recent` (latest last) whose name's last word the pronoun's sentence opens
/// with before `pronoun`, or else the sentence before it; `None` when neither opens with a
/// speaker heard so far, and for any pronoun but a third-person singular one ("he", "her":
/// "they" and "we" are as often a group the subject belongs to).
pub(super) fn subject_speaker<'a>(
    doc: &Doc,
    pronoun: Span,
    recent: &'a [(String, u32)],
) -> Option<&'a (String, u32)> {
    let singular = matches!(
        doc.slice(pronoun).to_lowercase().as_str(),
        "he" | "she" | "him" | "his" | "her"
    );
    if !singular {
        return None;
    }
    let k = doc
        .sentences
        .partition_point(|s| s.span.start <= pronoun.start)
        .checked_sub(1)?;
    let own = doc.sentences[k].span;
    let previous = k.checked_sub(1).map(|p| doc.sentences[p].span);
    let surname = opening_surname(doc, own, pronoun.start)
        .or_else(|| previous.and_then(|p| opening_surname(doc, p, p.end)))?;
    recent
        .iter()
        .rev()
        .find(|(name, _)| name.split_whitespace().last() == Some(surname))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Segmenter;
    use claimlens_core::Stage;

    fn subject(text: &str, pronoun: &str, recent: &[(String, u32)]) -> Option<String> {
        let mut doc = Doc::new("t", text);
        Segmenter.run(&mut doc);
        let start = text.rfind(pronoun).unwrap();
        let span = Span::new(start, start + pronoun.len());
        subject_speaker(&doc, span, recent).map(|(n, _)| n.clone())
    }

    #[test]
    fn a_pronoun_continues_the_speaker_its_sentence_or_the_one_before_opens_with() {
        let recent = vec![
            ("Barack Obama".to_owned(), 0),
            ("Laurence H. Tribe".to_owned(), 1),
        ];
        let text = "Mr. Obama dismissed the criticism as the voice of Mr. Tribe's client. \
                    \"You know, I love Larry,\" he said.";
        assert_eq!(
            subject(text, "he", &recent).as_deref(),
            Some("Barack Obama")
        );
        let text = "Mr. Obama unveiled the plan last year, and he summoned an adviser.";
        assert_eq!(
            subject(text, "he", &recent).as_deref(),
            Some("Barack Obama")
        );
        let text = "Laurence H. Tribe, a scholar, objected. \"It is wrong,\" he said.";
        assert_eq!(
            subject(text, "he", &recent).as_deref(),
            Some("Laurence H. Tribe")
        );
    }

    #[test]
    fn no_subject_name_or_an_unheard_one_leaves_the_latest_speaker() {
        let recent = vec![("Barack Obama".to_owned(), 0), ("Republican".to_owned(), 1)];
        // A sentence opening with an article, a quotation, someone who has not spoken, the
        // name as a possessive, or a party word.
        for (text, pronoun) in [
            (
                "Republican nominee Donald Trump spoke. \"No,\" he said.",
                "he",
            ),
            ("Mr. Obama spoke. \"No,\" we said.", "we"),
            ("Mr. Obama's aides objected. \"No,\" he said.", "he"),
            ("The White House said nothing. \"No,\" he said.", "he"),
            (
                "\"It works,\" Mr. Obama said. \"It is fine,\" he added.",
                "he",
            ),
            ("Jane Roe disagreed. \"No,\" she said.", "she"),
            (
                "In defeat, the president appeared cowed. Then he left.",
                "he",
            ),
        ] {
            assert_eq!(subject(text, pronoun, &recent), None, "{text}");
        }
    }
}
