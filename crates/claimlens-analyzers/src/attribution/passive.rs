//! Passives of speaking to or about someone ("was told", "has been accused of"): their
//! subject is the one addressed, never the speaker, so the attribution stage takes no source
//! before such a cue.

use std::ops::Range;

use claimlens_core::Token;

/// Past participles whose passive subject is the one spoken to or about ("was told", "was
/// asked", "has been accused", "is named in reports"), never the speaker. Psychological
/// passives ("is concerned", "are convinced") are left out: PolNeAR makes their subject the
/// source of a belief. On PolNeAR train, with the committed model, a source before such a cue
/// matched no gold source 22 times in 23.
pub(super) const ADDRESSEE_PASSIVES: &[&str] = &[
    "accused",
    "announced",
    "asked",
    "blamed",
    "challenged",
    "charged",
    "condemned",
    "criticised",
    "criticized",
    "informed",
    "named",
    "pressed",
    "questioned",
    "released",
    "told",
    "urged",
    "warned",
];

/// Whether the cue is the passive of an [`ADDRESSEE_PASSIVES`] verb: its participle (the
/// cue's first word that is no form of "be" or "have" and no adverb) after a form of "be", with only
/// adverbs between ("has been repeatedly accused of").
pub(super) fn addressee_passive(text: &str, tokens: &[Token], cue: &Range<usize>) -> bool {
    let word = |i: usize| &text[tokens[i].span.range()];
    let be = |w: &str| {
        ["is", "was", "were", "are", "be", "been", "being"]
            .iter()
            .any(|b| b.eq_ignore_ascii_case(w))
    };
    let adverb = |w: &str| {
        w.len() > 3 && w.to_ascii_lowercase().ends_with("ly")
            || ["also", "not", "never", "long", "since"]
                .iter()
                .any(|a| a.eq_ignore_ascii_case(w))
    };
    let have = |w: &str| {
        ["has", "have", "had"]
            .iter()
            .any(|h| h.eq_ignore_ascii_case(w))
    };
    let Some(participle) = cue
        .clone()
        .find(|&i| !be(word(i)) && !adverb(word(i)) && !have(word(i)))
    else {
        return false;
    };
    if !ADDRESSEE_PASSIVES
        .iter()
        .any(|p| p.eq_ignore_ascii_case(word(participle)))
    {
        return false;
    }
    let mut i = participle;
    while i > 0 {
        i -= 1;
        let w = word(i);
        if be(w) {
            return true;
        }
        if !adverb(w) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segmenter;
    use claimlens_core::{Doc, Stage};

    #[test]
    fn passives_of_speaking_to_or_about_are_found() {
        let passive = |text: &str, cue: &str| {
            let mut doc = Doc::new("t", text);
            Segmenter.run(&mut doc);
            let words: Vec<&str> = doc.tokens.iter().map(|t| doc.slice(t.span)).collect();
            let n = cue.split(' ').count();
            let start = (0..words.len())
                .find(|&i| words[i..].starts_with(&cue.split(' ').collect::<Vec<_>>()))
                .unwrap();
            addressee_passive(text, &doc.tokens, &(start..start + n))
        };
        assert!(passive(
            "The group, which has been repeatedly accused of staging attacks, denied it.",
            "has been repeatedly accused of"
        ));
        assert!(passive(
            "The senator was told that the vote had failed.",
            "told"
        ));
        assert!(passive("Voters were also asked who would win.", "asked"));
        assert!(!passive(
            "The senator told reporters the vote had failed.",
            "told"
        ));
        assert!(!passive(
            "Democrats are concerned that turnout is low.",
            "concerned"
        ));
        assert!(!passive("She was quoted as saying it.", "quoted"));
    }
}
