//! A claim's type, in Full Fact's categories, decided by stated evidence only: the first of
//! these that holds, in this order, names the type and its evidence.
//!
//! 1. `quantity`: an `amounts` span inside the claim ("over 460", "$5 million").
//! 2. `correlation/causation`: a causal connective ("because", "led to", "blamed").
//! 3. `rules/laws`: a word of laws and rules ("law", "illegal", "sanctions").
//! 4. `prediction`: a future or predictive word ("will", "going to", "expects").
//! 5. `personal experience`: a first-person pronoun with a verb of experience ("I saw").
//! 6. `other`.
//!
//! The order puts the most specific, most checkable evidence first: "sanctions will cost
//! $2 billion" is checked as a quantity.

use claimlens_core::{tokens_within, Doc, Span, TokenKind};

use super::features::LayerIndex;
use super::lexicon::{self, contains};

/// Full Fact's claim types.
pub const TYPES: [&str; 6] = [
    "quantity",
    "correlation/causation",
    "rules/laws",
    "prediction",
    "personal experience",
    "other",
];

/// A claim's type and the evidence for it (what the reason says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimType {
    /// One of [`TYPES`].
    pub name: &'static str,
    /// The evidence, e.g. ``amount `$5 million` ``; empty for `other`.
    pub evidence: String,
}

/// Decides the type of the claim at `span`.
pub fn claim_type(doc: &Doc, index: &LayerIndex<'_>, span: Span) -> ClaimType {
    if let Some(&(s, _, l)) = index.amounts.within(span).next() {
        return ClaimType {
            name: TYPES[0],
            evidence: format!("{} `{}`", l.to_lowercase(), doc.slice(s)),
        };
    }
    let mut buf = String::new();
    let mut first_word = |list: &[&str]| -> Option<String> {
        doc.tokens[tokens_within(&doc.tokens, span)]
            .iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| doc.slice(t.span))
            .find(|w| {
                buf.clear();
                buf.extend(w.chars().map(|c| match c {
                    '\u{2019}' => '\'',
                    c => c.to_ascii_lowercase(),
                }));
                contains(list, &buf)
            })
            .map(str::to_owned)
    };
    let lists: [(&str, &[&str], usize); 3] = [
        ("causal connective", lexicon::CAUSAL, 1),
        ("law or rule word", lexicon::LAWS, 2),
        ("future or predictive word", lexicon::FUTURE, 3),
    ];
    for (what, list, t) in lists {
        if let Some(w) = first_word(list) {
            return ClaimType {
                name: TYPES[t],
                evidence: format!("{what} `{w}`"),
            };
        }
    }
    if let (Some(p), Some(v)) = (
        first_word(lexicon::FIRST_PERSON),
        first_word(lexicon::EXPERIENCE),
    ) {
        return ClaimType {
            name: TYPES[4],
            evidence: format!("first person `{p}` with experience verb `{v}`"),
        };
    }
    ClaimType {
        name: TYPES[5],
        evidence: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amounts::AmountsStage;
    use crate::Segmenter;
    use claimlens_core::Stage;

    fn type_of(text: &str) -> ClaimType {
        let mut d = Doc::new("t", text);
        Segmenter.run(&mut d);
        AmountsStage.run(&mut d);
        let index = LayerIndex::new(&d);
        claim_type(&d, &index, Span::new(0, text.len()))
    }

    #[test]
    fn each_type_from_its_evidence() {
        let t = type_of("Sanctions will cost $2 billion.");
        assert_eq!(t.name, "quantity");
        assert_eq!(t.evidence, "money `$2 billion`");
        assert_eq!(
            type_of("Prices rose because of the war.").name,
            "correlation/causation"
        );
        assert_eq!(type_of("The law bans it.").name, "rules/laws");
        assert_eq!(
            type_of("Prices Will fall.").evidence,
            "future or predictive word `Will`"
        );
        let t = type_of("I saw the trucks myself.");
        assert_eq!(t.name, "personal experience");
        assert_eq!(type_of("The sky is blue.").name, "other");
        assert_eq!(type_of("").name, "other");
    }
}
