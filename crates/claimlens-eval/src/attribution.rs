//! Attribution scoring: predicted (source, cue, content) relations against gold relations.
//!
//! The scorer knows nothing about any analyzer: it takes gold documents (see
//! [`crate::polnear`]) and, for each, the predicted relations as byte ranges into the same text.
//!
//! # Span normalisation
//!
//! Gold spans come from brat (split at line breaks, annotators include or exclude the quote
//! marks and final full stop inconsistently), predictions from token-based analyzers. Scorers
//! of the PARC/citron family compare *token* spans; the character-level analogue used here is
//! to compare spans after normalising them to a **key**, a sorted list of disjoint byte ranges:
//!
//! 1. Each fragment is clamped to the text and widened to character boundaries; empty
//!    fragments are dropped.
//! 2. Fragments are sorted and merged when they overlap, touch, or are separated only by
//!    *insignificant* characters (so a span brat split at a line break equals the contiguous
//!    span).
//! 3. Each merged range is trimmed of insignificant characters at both edges. When that would
//!    leave nothing (a cue that is just `:`), only white space is trimmed instead.
//!
//! *Insignificant* characters are white space ([`char::is_whitespace`]) and punctuation: the
//! ASCII characters of Unicode category P (``!"#%&'()*,-./:;?@[\]_{}``; the ASCII symbols
//! ``$+<=>^`|~`` are kept) and the non-ASCII punctuation most common in news text:
//! `¡ § « ¶ · » ¿`, U+2010–U+2027 (hyphens, dashes, curly quotes, bullets, ellipsis),
//! U+2030–U+205E (per mille, primes, `‹ ›`, …), U+2E00–U+2E7F (supplemental punctuation),
//! U+3001–U+3003 and U+3008–U+3011 (CJK comma, full stop, brackets) and the full-width
//! forms U+FF01–U+FF0F except `＄ ＋`. A span whose key is empty is *absent*.
//!
//! # Scores
//!
//! For each **role** (cue, source, content) the items of a document are the *distinct*
//! non-empty keys of that role over its relations (a source shared by two relations counts
//! once):
//!
//! * **exact**: a predicted key equals a gold key;
//! * **overlap**: a predicted and a gold span share at least one character (after
//!   normalisation); each gold and each predicted span is matched at most once, greedily by
//!   the largest number of shared characters.
//!
//! For whole **relations** (every relation counts, duplicates included):
//!
//! * **exact**: cue, source and content keys are all equal; an absent role equals only an
//!   absent role (a relation without source matches a gold relation without source);
//! * **overlap**: each role is absent in both or overlaps in both; one-to-one, greedily by the
//!   total number of shared characters.
//!
//! **Direct quotes** are scored again on their own, to compare with quotation extractors
//! such as Quootstrap: a content is a direct quote when each of its fragments is enclosed in
//! quotation marks (looking past white space and punctuation at each edge, so `“Up,” she
//! said` counts and `said that “up”` does not). The same test is applied to gold and
//! predicted contents, so the scorer needs no analyzer's notion of a quote. Reported are the
//! quoted contents alone and **quote + source** pairs (a quotation with the span it is
//! attributed to, the cue left out; an absent source equals only an absent source).
//!
//! Counts are summed over documents (micro average).

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::polnear::{GoldRelation, PolnearDoc};
use crate::Counts;

/// A predicted attribution relation; each role is a list of byte ranges into the document
/// text and may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PredictedRelation {
    /// The source's fragments.
    pub source: Vec<Range<usize>>,
    /// The cue's fragments.
    pub cue: Vec<Range<usize>>,
    /// The content's fragments.
    pub content: Vec<Range<usize>>,
}

impl From<&GoldRelation> for PredictedRelation {
    fn from(gold: &GoldRelation) -> PredictedRelation {
        PredictedRelation {
            source: gold.source.clone(),
            cue: gold.cue.clone(),
            content: gold.content.clone(),
        }
    }
}

/// Scores of one role (or of whole relations).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RoleScores {
    /// Exact-match counts.
    pub exact: Counts,
    /// Overlap-match counts.
    pub overlap: Counts,
    /// Gold items.
    pub gold: u64,
    /// Predicted items.
    pub predicted: u64,
}

impl RoleScores {
    fn add(&mut self, exact: Counts, overlap: Counts, gold: usize, predicted: usize) {
        self.exact.add(exact);
        self.overlap.add(overlap);
        self.gold += gold as u64;
        self.predicted += predicted as u64;
    }
}

/// The scores of an attribution evaluation (see the module docs for the definitions).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AttributionReport {
    /// Documents scored.
    pub docs: usize,
    /// Cue spans.
    pub cue: RoleScores,
    /// Source spans.
    pub source: RoleScores,
    /// Content spans.
    pub content: RoleScores,
    /// Whole relations.
    pub relation: RoleScores,
    /// Contents that are direct quotes (see the module docs).
    pub quote: RoleScores,
    /// Direct quotes with their source, cue left out.
    pub quote_source: RoleScores,
}

/// A normalised span: sorted, disjoint byte ranges (empty = absent).
type Key = Vec<(usize, usize)>;

/// True for the characters trimmed from span edges (see the module docs).
pub fn is_insignificant(c: char) -> bool {
    if c.is_whitespace() {
        return true;
    }
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(c,
        '\u{a1}' | '\u{a7}' | '\u{ab}' | '\u{b6}' | '\u{b7}' | '\u{bb}' | '\u{bf}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205e}'
        | '\u{2e00}'..='\u{2e7f}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{ff01}'..='\u{ff0f}'
    ) && !matches!(c, '\u{ff04}' | '\u{ff0b}')
}

/// The exact-match key of a span given as fragments (see the module docs).
pub fn normalize_span(text: &str, fragments: &[Range<usize>]) -> Vec<Range<usize>> {
    span_key(text, fragments)
        .into_iter()
        .map(|(s, e)| s..e)
        .collect()
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn span_key(text: &str, fragments: &[Range<usize>]) -> Key {
    let mut ranges: Vec<(usize, usize)> = fragments
        .iter()
        .map(|r| (floor_boundary(text, r.start), ceil_boundary(text, r.end)))
        .filter(|(s, e)| s < e)
        .collect();
    ranges.sort_unstable();
    let mut merged: Key = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 || text[last.1..s].chars().all(is_insignificant) => {
                last.1 = last.1.max(e);
            }
            _ => merged.push((s, e)),
        }
    }
    let trimmed: Key = merged
        .iter()
        .filter_map(|&(s, e)| trim(text, s, e, is_insignificant))
        .collect();
    if !trimmed.is_empty() {
        return trimmed;
    }
    // Only punctuation (e.g. a `:` cue): keep it, without surrounding white space.
    merged
        .iter()
        .filter_map(|&(s, e)| trim(text, s, e, char::is_whitespace))
        .collect()
}

fn trim(text: &str, s: usize, e: usize, strip: fn(char) -> bool) -> Option<(usize, usize)> {
    let slice = &text[s..e];
    let start = s + (slice.len() - slice.trim_start_matches(strip).len());
    let end = s + slice.trim_end_matches(strip).len();
    (start < end).then_some((start, end))
}

/// Characters shared by two keys.
fn shared_chars(text: &str, a: &Key, b: &Key) -> usize {
    let mut n = 0;
    for &(s1, e1) in a {
        for &(s2, e2) in b {
            let (s, e) = (s1.max(s2), e1.min(e2));
            if s < e {
                n += text[s..e].chars().count();
            }
        }
    }
    n
}

/// Greedy one-to-one matching of `(score, gold index, predicted index)` candidates with a
/// positive score, largest score first; returns the number of matches.
fn greedy_matches(mut candidates: Vec<(usize, usize, usize)>, n_gold: usize, n_pred: usize) -> u64 {
    candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut gold_used = vec![false; n_gold];
    let mut pred_used = vec![false; n_pred];
    let mut matches = 0;
    for (_, g, p) in candidates {
        if !gold_used[g] && !pred_used[p] {
            gold_used[g] = true;
            pred_used[p] = true;
            matches += 1;
        }
    }
    matches
}

fn counts(tp: u64, n_gold: usize, n_pred: usize) -> Counts {
    Counts {
        tp,
        fp: n_pred as u64 - tp,
        fn_: n_gold as u64 - tp,
    }
}

/// Multiset intersection size of two sorted lists.
fn sorted_intersection<T: Ord>(a: &[T], b: &[T]) -> u64 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Scores the distinct non-empty keys of one role.
fn score_role(text: &str, gold: &[&Key], pred: &[&Key]) -> (Counts, Counts, usize, usize) {
    let distinct = |keys: &[&Key]| {
        let mut v: Vec<Key> = keys
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| (*k).clone())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let (gold, pred) = (distinct(gold), distinct(pred));
    let exact = counts(sorted_intersection(&gold, &pred), gold.len(), pred.len());
    let mut candidates = Vec::new();
    for (g, gk) in gold.iter().enumerate() {
        for (p, pk) in pred.iter().enumerate() {
            let n = shared_chars(text, gk, pk);
            if n > 0 {
                candidates.push((n, g, p));
            }
        }
    }
    let overlap = counts(
        greedy_matches(candidates, gold.len(), pred.len()),
        gold.len(),
        pred.len(),
    );
    (exact, overlap, gold.len(), pred.len())
}

/// Normalised (cue, source, content).
type RelationKey = (Key, Key, Key);

fn relation_overlap(text: &str, g: &RelationKey, p: &RelationKey) -> Option<usize> {
    let mut total = 0;
    for (a, b) in [(&g.0, &p.0), (&g.1, &p.1), (&g.2, &p.2)] {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => {}
            (false, false) => {
                let n = shared_chars(text, a, b);
                if n == 0 {
                    return None;
                }
                total += n;
            }
            _ => return None,
        }
    }
    Some(total)
}

/// Scores predicted relations against each document's gold relations (micro average).
pub fn score_attribution(gold: &[(&PolnearDoc, Vec<PredictedRelation>)]) -> AttributionReport {
    let mut report = AttributionReport {
        docs: gold.len(),
        ..AttributionReport::default()
    };
    for (doc, predicted) in gold {
        let text = doc.text.as_str();
        let key = |cue: &[Range<usize>], source: &[Range<usize>], content: &[Range<usize>]| {
            (
                span_key(text, cue),
                span_key(text, source),
                span_key(text, content),
            )
        };
        let gold_keys: Vec<RelationKey> = doc
            .relations
            .iter()
            .map(|r| key(&r.cue, &r.source, &r.content))
            .collect();
        let pred_keys: Vec<RelationKey> = predicted
            .iter()
            .map(|r| key(&r.cue, &r.source, &r.content))
            .collect();

        type Pick = fn(&RelationKey) -> &Key;
        let roles: [(Pick, &mut RoleScores); 3] = [
            (|k| &k.0, &mut report.cue),
            (|k| &k.1, &mut report.source),
            (|k| &k.2, &mut report.content),
        ];
        for (pick, scores) in roles {
            let g: Vec<&Key> = gold_keys.iter().map(pick).collect();
            let p: Vec<&Key> = pred_keys.iter().map(pick).collect();
            let (exact, overlap, n_gold, n_pred) = score_role(text, &g, &p);
            scores.add(exact, overlap, n_gold, n_pred);
        }

        let (exact, overlap, n_gold, n_pred) = score_relations(text, &gold_keys, &pred_keys);
        report.relation.add(exact, overlap, n_gold, n_pred);

        let quotes = |keys: &[RelationKey]| -> Vec<RelationKey> {
            keys.iter()
                .filter(|k| is_direct_quote(text, &k.2))
                .map(|k| (Key::new(), k.1.clone(), k.2.clone()))
                .collect()
        };
        let (gold_quotes, pred_quotes) = (quotes(&gold_keys), quotes(&pred_keys));
        let g: Vec<&Key> = gold_quotes.iter().map(|k| &k.2).collect();
        let p: Vec<&Key> = pred_quotes.iter().map(|k| &k.2).collect();
        let (exact, overlap, n_gold, n_pred) = score_role(text, &g, &p);
        report.quote.add(exact, overlap, n_gold, n_pred);
        let (exact, overlap, n_gold, n_pred) = score_relations(text, &gold_quotes, &pred_quotes);
        report.quote_source.add(exact, overlap, n_gold, n_pred);
    }
    report
}

/// Scores whole relations (every relation counts, duplicates included).
fn score_relations(
    text: &str,
    gold: &[RelationKey],
    pred: &[RelationKey],
) -> (Counts, Counts, usize, usize) {
    let mut g_sorted = gold.to_vec();
    let mut p_sorted = pred.to_vec();
    g_sorted.sort_unstable();
    p_sorted.sort_unstable();
    let (n_gold, n_pred) = (gold.len(), pred.len());
    let exact = counts(sorted_intersection(&g_sorted, &p_sorted), n_gold, n_pred);
    let mut candidates = Vec::new();
    for (g, gk) in gold.iter().enumerate() {
        for (p, pk) in pred.iter().enumerate() {
            if let Some(n) = relation_overlap(text, gk, pk) {
                // +1: two relations whose roles are all absent still match.
                candidates.push((n + 1, g, p));
            }
        }
    }
    let overlap = counts(greedy_matches(candidates, n_gold, n_pred), n_gold, n_pred);
    (exact, overlap, n_gold, n_pred)
}

fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{2018}'..='\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{2039}' | '\u{203a}'
    )
}

/// True when every fragment of a non-empty content key is enclosed in quotation marks: a
/// quote mark among the white space and punctuation just before it and just after it.
pub fn is_direct_quote(text: &str, content: &[(usize, usize)]) -> bool {
    fn edge_has_quote(chars: impl Iterator<Item = char>) -> bool {
        chars
            .take_while(|&c| is_insignificant(c))
            .any(is_quote_mark)
    }
    !content.is_empty()
        && content.iter().all(|&(s, e)| {
            edge_has_quote(text[..s].chars().rev()) && edge_has_quote(text[e..].chars())
        })
}

impl fmt::Display for AttributionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "attribution ({} documents)", self.docs)?;
        writeln!(
            f,
            "            {:<24}{:<20}  {:>7}  {:>7}",
            "exact", "overlap", "gold", "pred"
        )?;
        writeln!(
            f,
            "            {:>6} {:>6} {:>6}    {:>6} {:>6} {:>6}",
            "P", "R", "F1", "P", "R", "F1"
        )?;
        let rows = [
            ("cue", &self.cue),
            ("source", &self.source),
            ("content", &self.content),
            ("relation", &self.relation),
            ("quote", &self.quote),
            ("quote+src", &self.quote_source),
        ];
        for (i, (name, s)) in rows.iter().enumerate() {
            write!(
                f,
                "  {:<9} {:>6.4} {:>6.4} {:>6.4}    {:>6.4} {:>6.4} {:>6.4}  {:>7}  {:>7}",
                name,
                s.exact.precision(),
                s.exact.recall(),
                s.exact.f1(),
                s.overlap.precision(),
                s.overlap.recall(),
                s.overlap.f1(),
                s.gold,
                s.predicted
            )?;
            if i + 1 < rows.len() {
                writeln!(f)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
// Role spans are lists of fragments; one-fragment lists are the common case.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    // 0         1         2         3         4         5         6
    // 0123456789012345678901234567890123456789012345678901234567890123456789
    // "Taxes are up," Smith said. Jones told reporters that it was false.
    const TEXT: &str = "\"Taxes are up,\" Smith said. Jones told reporters that it was false.";

    fn doc(relations: Vec<GoldRelation>) -> PolnearDoc {
        PolnearDoc {
            id: "d".to_owned(),
            text: TEXT.to_owned(),
            relations,
        }
    }

    fn rel(
        source: &[Range<usize>],
        cue: &[Range<usize>],
        content: &[Range<usize>],
    ) -> GoldRelation {
        GoldRelation {
            source: source.to_vec(),
            cue: cue.to_vec(),
            content: content.to_vec(),
        }
    }

    fn pred(
        source: &[Range<usize>],
        cue: &[Range<usize>],
        content: &[Range<usize>],
    ) -> PredictedRelation {
        PredictedRelation::from(&rel(source, cue, content))
    }

    /// Gold: (Smith, said, "Taxes are up,") and (Jones, told reporters, that it was false).
    fn gold() -> PolnearDoc {
        doc(vec![
            rel(&[16..21], &[22..26], &[0..15]),
            rel(&[28..33], &[34..48], &[49..66]),
        ])
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn normalisation_trims_punctuation_and_merges_split_spans() {
        assert_eq!(normalize_span(TEXT, &[0..15]), vec![1..13]); // Taxes are up
        assert_eq!(normalize_span(TEXT, &[1..13]), vec![1..13]);
        // Split at a space (brat line-break split) = contiguous.
        assert_eq!(normalize_span(TEXT, &[34..38, 39..48]), vec![34..48]);
        // A real gap stays.
        assert_eq!(
            normalize_span(TEXT, &[16..21, 28..33]),
            vec![16..21, 28..33]
        );
        // Only punctuation: kept.
        assert_eq!(normalize_span(TEXT, &[26..28]), vec![26..27]);
        assert!(normalize_span(TEXT, &[]).is_empty());
        assert!(normalize_span(TEXT, &[5..5]).is_empty());
        // Curly quotes and a dash; out-of-range and mid-character ends are repaired.
        let t = "“Yes — no.”";
        assert_eq!(&t[normalize_span(t, &[0..t.len()])[0].clone()], "Yes — no");
        assert_eq!(normalize_span(t, &[1..100]), vec![3..13]);
        assert!(
            !is_insignificant('$') && is_insignificant('\u{201d}') && is_insignificant('\u{a0}')
        );
    }

    #[test]
    fn gold_against_itself_is_perfect() {
        let g = gold();
        let p: Vec<PredictedRelation> = g.relations.iter().map(PredictedRelation::from).collect();
        let r = score_attribution(&[(&g, p)]);
        for s in [r.cue, r.source, r.content, r.relation] {
            assert_eq!(s.exact.f1(), 1.0);
            assert_eq!(s.overlap.f1(), 1.0);
            assert_eq!((s.gold, s.predicted), (2, 2));
        }
    }

    #[test]
    fn exact_versus_overlap() {
        let g = gold();
        // First relation: quote marks included differently (still exact), source "Smith said"
        // (overlap only). Second: content "it was false" (overlap only), cue exact.
        let p = vec![
            pred(&[16..26], &[22..26], &[1..13]),
            pred(&[28..33], &[34..48], &[54..67]),
        ];
        let r = score_attribution(&[(&g, p)]);
        assert_eq!((r.cue.exact.tp, r.cue.exact.fp, r.cue.exact.fn_), (2, 0, 0));
        assert_eq!(
            (r.source.exact.tp, r.source.exact.fp, r.source.exact.fn_),
            (1, 1, 1)
        );
        assert_eq!(r.source.overlap.tp, 2);
        assert_eq!((r.content.exact.tp, r.content.exact.fp), (1, 1));
        assert!(close(r.content.exact.f1(), 0.5));
        assert_eq!(r.content.overlap.f1(), 1.0);
        // No relation is exactly right; both overlap.
        assert_eq!(
            (
                r.relation.exact.tp,
                r.relation.exact.fp,
                r.relation.exact.fn_
            ),
            (0, 2, 2)
        );
        assert_eq!(r.relation.overlap.tp, 2);
    }

    #[test]
    fn missing_source() {
        // Gold: "it was false", told reporters — no source.
        let g = doc(vec![rel(&[], &[34..48], &[49..66])]);
        let without = score_attribution(&[(&g, vec![pred(&[], &[34..48], &[49..66])])]);
        assert_eq!(without.relation.exact.f1(), 1.0);
        assert_eq!(without.relation.overlap.f1(), 1.0);
        assert_eq!((without.source.gold, without.source.predicted), (0, 0));
        assert_eq!(without.source.exact.f1(), 0.0); // nothing to score
                                                    // Predicting a source where there is none: the source is a false positive and the
                                                    // relation does not match, not even by overlap.
        let with = score_attribution(&[(&g, vec![pred(&[28..33], &[34..48], &[49..66])])]);
        assert_eq!((with.source.exact.fp, with.source.exact.fn_), (1, 0));
        assert_eq!(
            (
                with.relation.exact.tp,
                with.relation.exact.fp,
                with.relation.exact.fn_
            ),
            (0, 1, 1)
        );
        assert_eq!(with.relation.overlap.tp, 0);
        assert_eq!(with.cue.exact.f1(), 1.0);
    }

    #[test]
    fn disjoint_relations_share_nothing() {
        let g = doc(vec![rel(&[16..21], &[22..26], &[0..15])]);
        // A prediction elsewhere in the text and a second one on the gold cue only.
        let p = vec![
            pred(&[28..33], &[34..48], &[49..66]),
            pred(&[], &[22..26], &[]),
        ];
        let r = score_attribution(&[(&g, p)]);
        assert_eq!((r.cue.exact.tp, r.cue.exact.fp, r.cue.exact.fn_), (1, 1, 0));
        assert!(close(r.cue.exact.f1(), 2.0 / 3.0));
        assert_eq!(
            (
                r.source.overlap.tp,
                r.source.overlap.fp,
                r.source.overlap.fn_
            ),
            (0, 1, 1)
        );
        assert_eq!(
            (
                r.content.overlap.tp,
                r.content.overlap.fp,
                r.content.overlap.fn_
            ),
            (0, 1, 1)
        );
        assert_eq!(
            (
                r.relation.overlap.tp,
                r.relation.overlap.fp,
                r.relation.overlap.fn_
            ),
            (0, 2, 1)
        );
        assert_eq!((r.relation.gold, r.relation.predicted), (1, 2));
    }

    #[test]
    fn overlap_matches_each_gold_span_once_largest_first() {
        // Gold sources "Smith" and "Jones". The prediction "Smith said. Jones" shares 5
        // characters with each, "Jon" shares 3 with "Jones". Largest first, ties to the lower
        // gold index: "Smith said. Jones"↔"Smith", then "Jon"↔"Jones".
        let g = doc(vec![
            rel(&[16..21], &[22..26], &[0..15]),
            rel(&[28..33], &[34..48], &[49..66]),
        ]);
        let p = vec![pred(&[16..33], &[], &[]), pred(&[28..31], &[], &[])];
        let r = score_attribution(&[(&g, p)]);
        assert_eq!(r.source.exact.tp, 0);
        assert_eq!(
            (
                r.source.overlap.tp,
                r.source.overlap.fp,
                r.source.overlap.fn_
            ),
            (2, 0, 0)
        );
        // Two predictions on one gold span: one match, one false positive.
        let p = vec![pred(&[16..19], &[], &[]), pred(&[18..21], &[], &[])];
        let r = score_attribution(&[(&g, p)]);
        assert_eq!(
            (
                r.source.overlap.tp,
                r.source.overlap.fp,
                r.source.overlap.fn_
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn shared_source_counts_once_per_role_but_per_relation() {
        // Smith said X and added Y: one source span, two relations.
        let g = doc(vec![
            rel(&[16..21], &[22..26], &[0..15]),
            rel(&[16..21], &[34..48], &[49..66]),
        ]);
        let p = vec![pred(&[16..21], &[22..26], &[0..15])];
        let r = score_attribution(&[(&g, p)]);
        assert_eq!((r.source.gold, r.source.exact.tp), (1, 1));
        assert_eq!(
            (r.relation.gold, r.relation.exact.tp, r.relation.exact.fn_),
            (2, 1, 1)
        );
    }

    #[test]
    fn micro_averages_and_displays() {
        let g = gold();
        let perfect: Vec<PredictedRelation> =
            g.relations.iter().map(PredictedRelation::from).collect();
        let r = score_attribution(&[(&g, perfect), (&g, Vec::new())]);
        assert_eq!(r.docs, 2);
        assert_eq!((r.relation.exact.tp, r.relation.exact.fn_), (2, 2));
        assert!(close(r.relation.exact.recall(), 0.5));
        let shown = r.to_string();
        assert!(
            shown.contains("  relation  1.0000 0.5000 0.6667"),
            "{shown}"
        );
        assert_eq!(shown.lines().count(), 9);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["relation"]["gold"], 4);
    }

    #[test]
    fn direct_quotes_are_enclosed_in_quote_marks_at_both_edges() {
        let key = |r: Range<usize>| span_key(TEXT, &[r]);
        // "Taxes are up," — the comma and the closing mark are skipped over.
        assert!(is_direct_quote(TEXT, &key(0..15)));
        assert!(is_direct_quote(TEXT, &key(1..13)));
        assert!(!is_direct_quote(TEXT, &key(49..66)));
        assert!(!is_direct_quote(TEXT, &[]));
        // Curly and guillemet marks; a quotation split by its cue is direct when both parts
        // are enclosed; a partial quotation inside reported speech is not.
        let t = "\u{201c}No,\u{201d} she said. \u{201c}Never.\u{201d} He called it \u{ab}a sham\u{bb} today.";
        let no = t.find("No").unwrap();
        let never = t.find("Never").unwrap();
        let sham = t.find("a sham").unwrap();
        assert!(is_direct_quote(t, &[(no, no + 2), (never, never + 5)]));
        assert!(is_direct_quote(t, &[(sham, sham + 6)]));
        let called = t.find("called").unwrap();
        assert!(!is_direct_quote(t, &[(called + 7, sham + 6)]));
    }

    #[test]
    fn direct_quotes_are_scored_with_and_without_their_source() {
        let g = gold();
        // The quoted relation with the right content but the wrong source; the reported one
        // exactly right (it is not a quote, so it does not count here).
        let r = score_attribution(&[(
            &g,
            vec![
                pred(&[28..33], &[22..26], &[0..15]),
                pred(&[28..33], &[34..48], &[49..66]),
            ],
        )]);
        assert_eq!(
            (r.quote.gold, r.quote.predicted, r.quote.exact.tp),
            (1, 1, 1)
        );
        assert_eq!(
            (
                r.quote_source.gold,
                r.quote_source.exact.tp,
                r.quote_source.overlap.tp
            ),
            (1, 0, 0)
        );
        let right = score_attribution(&[(&g, vec![pred(&[16..21], &[0..0], &[0..15])])]);
        assert_eq!(right.quote_source.exact.tp, 1, "the cue is left out");
    }
}
