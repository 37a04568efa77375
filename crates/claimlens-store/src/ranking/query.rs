//! A parsed search ([`crate::query::Node`]) and the listing filters as a query of the
//! ranking index: the same documents FTS5 matches (the same words, split and folded as
//! FTS5's `unicode61 remove_diacritics 2` does for Latin text), scored by BM25 with title
//! words weighing double, the filters adding nothing to the score.

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::Fields;
use crate::listing::{iso_date, Filters};
use crate::query::{Column, Node};
use crate::StoreError;

/// A prefix that expands to more terms than this is matched as a set without scores (each
/// scored term is a cursor of its own: `pr*` expands to thousands), and its matches rank by
/// the rest of the query, then by document.
const SCORED_EXPANSIONS: usize = 128;

/// What the query is built with: the index's fields, its word analyzer, and the searcher
/// whose term dictionaries expand prefixes.
pub(super) struct Builder<'a> {
    pub(super) fields: &'a Fields,
    pub(super) words: TextAnalyzer,
    pub(super) searcher: &'a Searcher,
}

impl Builder<'_> {
    /// The whole search: the text query, then each filter as a condition that must hold.
    pub(super) fn search(
        &mut self,
        node: &Node,
        filters: &Filters<'_>,
    ) -> Result<Box<dyn Query>, StoreError> {
        let mut clauses = vec![(Occur::Must, self.node(node)?)];
        for condition in self.filters(filters)? {
            // Zero weight: a filter chooses documents, it does not rank them.
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(condition, 0.0))));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    fn node(&mut self, node: &Node) -> Result<Box<dyn Query>, StoreError> {
        Ok(match node {
            Node::Words {
                words,
                prefix,
                column,
            } => {
                let tokens = super::tokens(&mut self.words, words);
                match column {
                    Some(Column::Title) => self.words(self.fields.title, &tokens, *prefix)?,
                    Some(Column::Text) => self.words(self.fields.text, &tokens, *prefix)?,
                    None => Box::new(BooleanQuery::new(vec![
                        (
                            Occur::Should,
                            Box::new(BoostQuery::new(
                                self.words(self.fields.title, &tokens, *prefix)?,
                                2.0,
                            )),
                        ),
                        (
                            Occur::Should,
                            self.words(self.fields.text, &tokens, *prefix)?,
                        ),
                    ])),
                }
            }
            Node::And(a, b) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.node(a)?),
                (Occur::Must, self.node(b)?),
            ])),
            Node::Or(a, b) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, self.node(a)?),
                (Occur::Should, self.node(b)?),
            ])),
            Node::Not(a, b) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.node(a)?),
                (Occur::MustNot, self.node(b)?),
            ])),
        })
    }

    /// One word or a phrase in one field, its last token a prefix when `prefix`.
    fn words(
        &self,
        field: Field,
        tokens: &[String],
        prefix: bool,
    ) -> Result<Box<dyn Query>, StoreError> {
        let term = |t: &String| Term::from_field_text(field, t);
        Ok(match (tokens, prefix) {
            // A word of punctuation only holds no token: FTS5 matches nothing for it.
            ([], _) => Box::new(EmptyQuery),
            ([one], false) => Box::new(TermQuery::new(term(one), IndexRecordOption::WithFreqs)),
            ([one], true) => self.prefix(field, one)?,
            (many, false) => Box::new(PhraseQuery::new(many.iter().map(term).collect())),
            (many, true) => {
                let expansions = self.expansions(field, &many[many.len() - 1])?.len();
                if expansions == 0 {
                    return Ok(Box::new(EmptyQuery));
                }
                let mut q = PhrasePrefixQuery::new(many.iter().map(term).collect());
                // FTS5 expands a phrase's prefix to every term; so does this (the query
                // reserves room for as many as it is allowed, so no more than there are).
                q.set_max_expansions(u32::try_from(expansions).unwrap_or(u32::MAX));
                Box::new(q)
            }
        })
    }

    /// `prefix*` alone: the terms it expands to, each scored while there are few.
    fn prefix(&self, field: Field, prefix: &str) -> Result<Box<dyn Query>, StoreError> {
        let terms = self.expansions(field, prefix)?;
        Ok(if terms.len() <= SCORED_EXPANSIONS {
            Box::new(BooleanQuery::new(
                terms
                    .into_iter()
                    .map(|t| -> (Occur, Box<dyn Query>) {
                        (
                            Occur::Should,
                            Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)),
                        )
                    })
                    .collect(),
            ))
        } else {
            Box::new(ConstScoreQuery::new(
                Box::new(TermSetQuery::new(terms)),
                1.0,
            ))
        })
    }

    /// Every term of `field` that starts with `prefix`, from each segment's dictionary.
    fn expansions(&self, field: Field, prefix: &str) -> Result<Vec<Term>, StoreError> {
        let mut terms: Vec<Vec<u8>> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(field).map_err(super::failed)?;
            let dictionary = index.terms();
            let mut range = dictionary.range().ge(prefix.as_bytes());
            if let Some(end) = after_prefix(prefix.as_bytes()) {
                range = range.lt(end);
            }
            let mut stream = range.into_stream().map_err(|e| super::failed(e.into()))?;
            while stream.advance() {
                terms.push(stream.key().to_vec());
            }
        }
        terms.sort_unstable();
        terms.dedup();
        Ok(terms
            .iter()
            .map(|t| Term::from_field_bytes(field, t))
            .collect())
    }

    /// The listing filters as conditions on the index's keyword fields: exact values, and
    /// the publication date as a range of its text (`2026-03-02T18:00Z` is on `2026-03-02`),
    /// as the SQL filters compare them.
    fn filters(&self, f: &Filters<'_>) -> Result<Vec<Box<dyn Query>>, StoreError> {
        let f_ = self.fields;
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let mut out = Vec::new();
        if let Some(v) = f.outlet {
            out.push(exact(f_.outlet, v));
        }
        if let Some(v) = f.language {
            out.push(exact(f_.language, v));
        }
        let from = f
            .published_from
            .map(|v| iso_date("published_from", v))
            .transpose()?;
        let to = f
            .published_to
            .map(|v| iso_date("published_to", v))
            .transpose()?;
        if from.is_some() || to.is_some() {
            let lower = match from {
                Some(day) => Bound::Included(Term::from_field_text(f_.published, day)),
                None => Bound::Unbounded,
            };
            let upper = match to.and_then(next_day) {
                Some(day) => Bound::Excluded(Term::from_field_text(f_.published, &day)),
                None => Bound::Unbounded,
            };
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        if let Some(v) = f.speaker {
            out.push(exact(f_.speaker, v));
        }
        match (f.layer, f.annotation_type) {
            (Some(layer), Some(t)) => out.push(exact(f_.layer_type, &layer_type(layer, t))),
            (Some(layer), None) => out.push(exact(f_.layer, layer)),
            (None, Some(t)) => out.push(exact(f_.annotation_type, t)),
            (None, None) => {}
        }
        Ok(out)
    }
}

/// The key of a layer and one of its annotation types: a separator no name holds.
pub(super) fn layer_type(layer: &str, annotation_type: &str) -> String {
    format!("{layer}\u{1f}{annotation_type}")
}

/// The smallest byte string after every string starting with `prefix`, if any.
fn after_prefix(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// The day after an ISO date (`iso_date` has checked it): the exclusive end of a filter
/// "published on or before".
fn next_day(day: &str) -> Option<String> {
    let (y, m, d): (i32, u32, u32) = (
        day[0..4].parse().ok()?,
        day[5..7].parse().ok()?,
        day[8..10].parse().ok()?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap => 29,
        _ => 28,
    };
    let (y, m, d) = if d < days {
        (y, m, d + 1)
    } else if m < 12 {
        (y, m + 1, 1)
    } else {
        (y + 1, 1, 1)
    };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_after_crosses_months_years_and_leap_days() {
        for (day, next) in [
            ("2026-03-02", "2026-03-03"),
            ("2026-01-31", "2026-02-01"),
            ("2024-02-28", "2024-02-29"),
            ("2024-02-29", "2024-03-01"),
            ("2100-02-28", "2100-03-01"),
            ("2000-02-28", "2000-02-29"),
            ("2026-12-31", "2027-01-01"),
            ("2026-04-30", "2026-05-01"),
        ] {
            assert_eq!(next_day(day).as_deref(), Some(next), "{day}");
        }
    }

    #[test]
    fn a_prefix_range_ends_after_its_last_byte() {
        assert_eq!(after_prefix(b"pr"), Some(b"ps".to_vec()));
        assert_eq!(after_prefix(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(after_prefix(b"\xff\xff"), None);
    }
}
