//! The `narratives` pipeline stage: the known cases each claim resembles, as layer data.
//!
//! The stage wraps a [`Matcher`] built once per run (cases, BM25 index, and the encoder with
//! the cases' vectors when one is given) and writes the `narratives` layer: one `MATCH` per
//! (claim, matched case) on the claim's span (each sentence's when the `claims` layer is
//! absent or empty, as [`Matcher::match_doc`] queries), and one `ARTICLE_MATCH` per case of
//! the article's best, spanning the whole text (like the `document` layer: the article as a
//! whole resembles the case, no single span does). Front-ends only render the layer.
//!
//! The stage is not a built-in: it needs cases from a store, so the front-end that has one
//! appends it to the pipeline after `claims`.

use std::collections::BTreeSet;
use std::sync::Arc;

use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Reason, Span, Stage};
use claimlens_schema::{label, layer, link, role};

use crate::bm25::Settings as BmSettings;
use crate::matcher::{Hit, Matcher};
use crate::Case;

/// The stage's name (`--disable narratives`, reasons, diagnostics).
pub const STAGE: &str = "narratives";

/// Longest text attribute (summary, claim, title) a match carries, in characters: a case's
/// summary can be pages long, and the report must stay linear in the article, not in the
/// cases.
pub const MAX_SNIPPET_CHARS: usize = 300;

/// What the stage keeps of the matcher's ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Cases kept per claim, and for the article.
    pub top: usize,
    /// The least calibrated probability ([`Hit::probability`]) a reported case needs: 0.24,
    /// the floor with the best F1 on the first five cases of the CLEF 2020 training queries
    /// under BM25 alone (precision 0.61, recall 0.66 there; printed by `claimlens eval
    /// retrieval`). A match is a lead to check, shown with its probability, so the floor
    /// balances missed and false leads rather than asking for certainty. Reciprocal-rank
    /// fusion ranks every case, so without a floor every claim would list `top` cases.
    pub min_probability: f32,
    /// The fewest distinct words (index terms: no function words, plurals folded) a claim
    /// must share with a case to match by its words. The normalised score is relative to the
    /// claim, so a short claim ("his letter") sharing its one content word with a case scores
    /// high; one shared word is a coincidence whatever the score.
    pub min_shared_words: usize,
    /// With an encoder, the least similarity ((1 + cos) / 2) that lets a case match without
    /// sharing enough words: 0.75 is a cosine of 0.5, where MiniLM sentence pairs start to
    /// say related things (unrelated news sentences mostly stay under a cosine of 0.3).
    pub min_similarity: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            top: 3,
            min_probability: 0.24,
            min_shared_words: 2,
            min_similarity: 0.75,
        }
    }
}

impl Settings {
    /// Whether a hit is likely and close enough to be reported, given how many distinct
    /// words its query shares with the case.
    pub fn keeps(&self, hit: &Hit, shared_words: usize) -> bool {
        hit.probability >= self.min_probability
            && (shared_words >= self.min_shared_words
                || hit.similarity.is_some_and(|s| s >= self.min_similarity))
    }
}

/// How many distinct index terms `query` shares with `case` (as the matcher's index reads
/// both).
fn shared_words(query: &str, case: &Case) -> usize {
    let tokenizer = BmSettings::default().tokenizer;
    let mut terms = BTreeSet::new();
    tokenizer.terms(query, |t| {
        terms.insert(t);
    });
    let mut shared = BTreeSet::new();
    tokenizer.terms(&case.search_text(), |t| {
        if terms.contains(&t) {
            shared.insert(t);
        }
    });
    shared.len()
}

/// The known-narratives stage (see the module docs).
pub struct NarrativesStage {
    matcher: Arc<Matcher>,
    settings: Settings,
}

impl NarrativesStage {
    /// A stage over `matcher`'s cases.
    pub fn new(matcher: Arc<Matcher>, settings: Settings) -> NarrativesStage {
        NarrativesStage { matcher, settings }
    }

    /// The matcher the stage ranks with.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The `narratives` layer of an analysed document, or the encoder's error.
    pub fn layer(&self, doc: &Doc) -> Result<Layer, String> {
        let found = self.matcher.match_doc(doc, self.settings.top)?;
        let name = self.matcher.name();
        let cases = self.matcher.cases();
        let has_claims = doc
            .layer(layer::CLAIMS)
            .is_some_and(|l| !l.annotations.is_empty());
        let mut out = Layer::new(layer::NARRATIVES, STAGE);
        let mut matched = vec![false; cases.len()];
        let mut claim_matches = Vec::new();
        for (index, query) in found.queries.iter().enumerate() {
            let text = doc.slice(query.span);
            let kept = query
                .hits
                .iter()
                .filter(|h| self.settings.keeps(h, shared_words(text, &cases[h.case])));
            for (rank, hit) in kept.enumerate() {
                matched[hit.case] = true;
                let mut a = annotation(query.span, label::MATCH, hit, &cases[hit.case], &name)
                    .with_attr("rank", rank as i64 + 1)
                    .with_attr("query", if query.is_claim { "claim" } else { "sentence" });
                if query.is_claim && has_claims {
                    a = a.with_link(link(role::CLAIM, layer::CLAIMS, index as u32));
                }
                claim_matches.push(a);
            }
        }
        // The article's best cases, kept only when some claim matched them, so every case
        // the article is said to resemble is shown beside a claim too.
        let whole = Span::new(0, doc.text().len());
        let article = found.article.iter().filter(|h| matched[h.case]);
        for (rank, hit) in article.enumerate() {
            out.push(
                annotation(whole, label::ARTICLE_MATCH, hit, &cases[hit.case], &name)
                    .with_attr("rank", rank as i64 + 1),
            );
        }
        out.annotations.extend(claim_matches);
        // Stable: a claim's cases stay best first; the whole-text ones come first.
        out.sort();
        Ok(out)
    }
}

impl Stage for NarrativesStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::SENTENCES]
    }

    fn uses(&self) -> &'static [&'static str] {
        &[layer::CLAIMS]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[layer::NARRATIVES]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let layer = match self.layer(doc) {
            Ok(layer) => layer,
            Err(e) => {
                return vec![Diagnostic::warning(
                    STAGE,
                    format!(
                        "{} failed ({e}): no known narratives were matched",
                        self.matcher.name()
                    ),
                )]
            }
        };
        match doc.insert_layer(layer) {
            Ok(()) => Vec::new(),
            Err(e) => vec![Diagnostic::warning(STAGE, e.to_string())],
        }
    }
}

/// One match of `case` on `span`, with the case's fields and the scores.
fn annotation(span: Span, kind: &'static str, hit: &Hit, case: &Case, matcher: &str) -> Annotation {
    let mut a = Annotation::new(
        span,
        kind,
        Reason::scored(STAGE, matcher.to_owned(), hit.probability),
    )
    .with_attr("source", case.source.clone())
    .with_attr("case_id", case.case_id.clone());
    let texts = [
        ("title", &case.title),
        ("claim", &case.claim),
        ("summary", &case.summary),
        ("verdict", &case.verdict),
        ("date", &case.date),
        ("url", &case.url),
    ];
    for (key, value) in texts {
        if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            a = a.with_attr(key, snippet(value, MAX_SNIPPET_CHARS));
        }
    }
    a = a
        .with_attr("score", round4(hit.probability))
        .with_attr("rank_score", round4(hit.rank_score))
        .with_attr("bm25", round4(hit.normalised))
        .with_attr("bm25_raw", round4(hit.score));
    if let Some(similarity) = hit.similarity {
        a = a.with_attr("similarity", round4(similarity));
    }
    a.with_attr("matcher", matcher.to_owned())
}

/// `text` with its white space runs made single spaces, cut at `max_chars` characters with an
/// ellipsis.
pub fn snippet(text: &str, max_chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn round4(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantic::{CaseVectors, Encoder};
    use claimlens_core::{AttrValue, BoundaryRule, Sentence};

    fn case(id: &str, title: &str, claim: &str) -> Case {
        Case {
            source: "desk".into(),
            case_id: id.into(),
            title: Some(title.into()),
            claim: Some(claim.into()),
            summary: Some("A long summary. ".repeat(100)),
            verdict: Some("False".into()),
            url: Some(format!("https://example.org/{id}")),
            date: Some("2021-03-04".into()),
            ..Case::default()
        }
    }

    fn stage() -> NarrativesStage {
        let cases = vec![
            case(
                "moon",
                "Moon landing hoax",
                "The moon landing was filmed in a studio.",
            ),
            case(
                "chips",
                "Microchips in vaccines",
                "Vaccines contain microchips.",
            ),
            case(
                "bridge",
                "Bridge closure",
                "The harbour bridge will close in May.",
            ),
            case(
                "water",
                "Tap water",
                "Fluoride in tap water lowers intelligence.",
            ),
        ];
        NarrativesStage::new(Arc::new(Matcher::new(cases)), Settings::default())
    }

    /// A document whose sentences are `sentences` joined by spaces.
    fn doc(sentences: &[&str]) -> Doc {
        let text = sentences.join(" ");
        let mut doc = Doc::new("d", text.as_str());
        let mut start = 0;
        for s in sentences {
            doc.sentences.push(Sentence {
                span: Span::new(start, start + s.len()),
                paragraph: 0,
                end_rule: BoundaryRule::TerminalPunctuation,
            });
            start += s.len() + 1;
        }
        doc
    }

    fn with_claim(mut doc: Doc, claim: &str) -> Doc {
        let start = doc.text().find(claim).unwrap();
        let mut claims = Layer::new(layer::CLAIMS, "claims");
        claims.push(Annotation::new(
            Span::new(start, start + claim.len()),
            label::CLAIM,
            Reason::rule("claims", "test"),
        ));
        doc.insert_layer(claims).unwrap();
        doc
    }

    fn matches<'a>(doc: &'a Doc, kind: &str) -> Vec<&'a Annotation> {
        doc.layer(layer::NARRATIVES)
            .unwrap()
            .annotations
            .iter()
            .filter(|a| a.label == kind)
            .collect()
    }

    #[test]
    fn a_claim_matches_the_case_it_repeats_with_the_case_beside_it() {
        let mut d = with_claim(
            doc(&["Officials say vaccines contain microchips.", "It rained."]),
            "vaccines contain microchips",
        );
        assert!(stage().run(&mut d).is_empty());
        let found = matches(&d, label::MATCH);
        assert_eq!(found.len(), 1, "{found:?}");
        let m = found[0];
        assert_eq!(d.slice(m.span), "vaccines contain microchips");
        assert_eq!(m.attr_str("case_id"), Some("chips"));
        assert_eq!(m.attr_str("title"), Some("Microchips in vaccines"));
        assert_eq!(m.attr_str("verdict"), Some("False"));
        assert_eq!(m.attr_str("url"), Some("https://example.org/chips"));
        assert_eq!(m.attr_str("query"), Some("claim"));
        assert_eq!(m.attr_str("matcher"), Some("bm25"));
        assert_eq!(m.reason.stage, STAGE);
        assert_eq!(m.reason.rule, "bm25");
        assert_eq!(&*m.links, [link(role::CLAIM, layer::CLAIMS, 0)]);
        // The summary is capped: the report stays linear in the article.
        let summary = m.attr_str("summary").unwrap();
        assert_eq!(summary.chars().count(), MAX_SNIPPET_CHARS + 1);
        assert!(summary.ends_with('…'));
        assert!(m.attr("similarity").is_none());
        // The score is the calibrated probability, the reason's score too.
        let Some(AttrValue::Float(score)) = m.attr("score") else {
            panic!("no score: {m:?}")
        };
        assert!((0.24..=1.0).contains(score), "{score}");
        let reason = f64::from(m.reason.score.unwrap());
        assert!((reason - score).abs() < 1e-4, "{reason} vs {score}");
        let article = matches(&d, label::ARTICLE_MATCH);
        assert_eq!(article.len(), 1);
        assert_eq!(article[0].span, Span::new(0, d.text().len()));
        assert_eq!(article[0].attr_str("case_id"), Some("chips"));
    }

    #[test]
    fn an_unrelated_sentence_matches_nothing() {
        let mut d = doc(&["The weather was mild and the harvest came early this autumn."]);
        assert!(stage().run(&mut d).is_empty());
        assert!(d.layer(layer::NARRATIVES).unwrap().annotations.is_empty());
    }

    #[test]
    fn one_shared_common_word_is_not_a_match() {
        // "water" is the only word shared with a case, in a long sentence.
        let text = "Council engineers inspected the old pumping station on Tuesday and found \
                    water leaking from three corroded valves near the northern reservoir gate.";
        let stage = stage();
        let found = stage.matcher().match_doc(&doc(&[text]), 3).unwrap();
        let hit = found.queries[0].hits[0];
        assert_eq!(stage.matcher().cases()[hit.case].case_id, "water");
        assert!(!stage.settings.keeps(&hit, 1), "{hit:?}");
        let mut d = doc(&[text]);
        stage.run(&mut d);
        assert!(d.layer(layer::NARRATIVES).unwrap().annotations.is_empty());
    }

    #[test]
    fn a_short_claim_sharing_one_word_is_not_a_match_however_high_its_score() {
        let mut d = with_claim(doc(&["He sent his letter about tap water."]), "tap water");
        let stage = stage();
        let found = stage.matcher().match_doc(&d, 3).unwrap();
        let hit = found.queries[0].hits[0];
        assert!(hit.probability >= stage.settings.min_probability, "{hit:?}");
        stage.run(&mut d);
        // "tap" and "water" are two words: the case matches.
        assert_eq!(matches(&d, label::MATCH).len(), 1);
        let mut d = with_claim(doc(&["He sent his letter about water."]), "water");
        stage.run(&mut d);
        assert!(matches(&d, label::MATCH).is_empty());
    }

    #[test]
    fn sentences_are_matched_when_there_are_no_claims() {
        let mut d = doc(&[
            "It rained.",
            "The harbour bridge will close in May, officials warned.",
        ]);
        stage().run(&mut d);
        let found = matches(&d, label::MATCH);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            d.slice(found[0].span),
            "The harbour bridge will close in May, officials warned."
        );
        assert_eq!(found[0].attr_str("query"), Some("sentence"));
        assert_eq!(found[0].attr_str("case_id"), Some("bridge"));
        assert!(found[0].links.is_empty());
    }

    #[test]
    fn an_encoder_failure_is_a_warning_and_no_layer() {
        struct Broken;
        impl Encoder for Broken {
            fn name(&self) -> &str {
                "broken"
            }
            fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
                if texts.iter().any(|t| t.contains("vaccines")) {
                    Err("out of memory".into())
                } else {
                    Ok(texts.iter().map(|_| vec![1.0]).collect())
                }
            }
        }
        let cases = vec![case("moon", "Moon", "The moon landing was staged.")];
        let vectors = CaseVectors::build(&cases, &Broken).unwrap();
        let matcher = Matcher::new(cases)
            .with_semantic(Box::new(Broken), vectors)
            .unwrap();
        let stage = NarrativesStage::new(Arc::new(matcher), Settings::default());
        let mut d = doc(&["Officials say vaccines contain microchips."]);
        let diagnostics = stage.run(&mut d);
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("out of memory"));
        assert!(d.layer(layer::NARRATIVES).is_none());
    }
}
