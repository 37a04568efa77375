//! Amounts: money, percentages, counts and measured quantities, with the value as a plain
//! decimal, the currency (ISO 4217) or unit, the qualifier ("over", "at least") and the noun
//! phrase a count quantifies.
//!
//! Adds two layers:
//!
//! * `amounts`: labels `MONEY` ("$5 million", "€2.3bn", "500 roubles"), `PERCENT` ("45
//!   percent", "12%"), `COUNT` ("over 460 such incidents", "three", "dozens of civilians") and
//!   `QUANTITY` ("10 kilometers", "5 tonnes"). The span covers the qualifier, the number and
//!   its currency or unit ("at least 30", "$5 million"). Attributes: `value` (decimal string,
//!   `5000000`; absent for vague counts), `currency`, `unit` (`km`, `kg`, `pp` for percentage
//!   points, …), `qualifier` (`over`, `at least`, `about`, …) and `vague` (`dozens`,
//!   `hundreds`, …).
//! * `quantified`: the noun phrase a count or percentage is about ("such incidents",
//!   "people", "voters" in "45 percent of voters"), label `QUANTIFIED`. The amount points to
//!   it with a link of role `quantifies` — the same standoff model as attribution parts and
//!   relations, so a phrase is a span with a reason of its own.
//!
//! Numbers inside a `times` annotation ("2017", "three years", "February 5") are left to the
//! temporal stage when that layer exists; without it, years, days next to a month name and
//! clock times are still skipped by local checks.

mod lexicon;

use claimlens_core::{
    tokens_within, Annotation, Diagnostic, Doc, Layer, Link, Reason, Span, Stage, Token, TokenKind,
};
use claimlens_schema::layer;

use crate::numerals::unit_of;
use crate::numerals::{scale_word, word_number, Decimal};
use lexicon::{
    currency_word, vague_count, CURRENCY_CODES, CURRENCY_SYMBOLS, IRREGULAR_PLURALS, PHRASE_STOPS,
    QUALIFIERS,
};

/// Stage name.
pub const STAGE: &str = "amounts";
/// The amounts layer.
pub const AMOUNTS_LAYER: &str = layer::AMOUNTS;
/// The quantified noun phrases.
pub const QUANTIFIED_LAYER: &str = layer::QUANTIFIED;

/// The amounts stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct AmountsStage;

impl Stage for AmountsStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::TOKENS, layer::SENTENCES]
    }

    fn uses(&self) -> &'static [&'static str] {
        // Numbers inside time expressions are left to `temporal`.
        &[layer::TIMES]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[AMOUNTS_LAYER, QUANTIFIED_LAYER]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let times: Vec<Span> = doc
            .layer(layer::TIMES)
            .map(|l| l.annotations.iter().map(|a| a.span).collect())
            .unwrap_or_default();
        let mut found: Vec<(Annotation, Option<Span>)> = Vec::new();
        for s in &doc.sentences {
            let tokens = &doc.tokens[tokens_within(&doc.tokens, s.span)];
            Sentence::new(doc.text(), tokens, &times).scan(&mut found);
        }
        // The quantified phrases first, sorted and deduplicated, so links can index them.
        let mut phrases: Vec<Span> = found.iter().filter_map(|(_, p)| *p).collect();
        phrases.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        phrases.dedup();
        let mut quantified = Layer::new(QUANTIFIED_LAYER, STAGE);
        for &p in &phrases {
            quantified.push(Annotation::new(
                p,
                "QUANTIFIED",
                Reason::rule(STAGE, "noun-phrase-after-count"),
            ));
        }
        let mut amounts = Layer::new(AMOUNTS_LAYER, STAGE);
        for (mut a, p) in found {
            if let Some(p) = p {
                // Same key as the sort above (and as `Layer::sort`), so the search is valid.
                let key = |s: &Span| (s.start, std::cmp::Reverse(s.end));
                let index = phrases.binary_search_by_key(&key(&p), key).unwrap_or(0) as u32;
                a = a.with_link(Link {
                    role: claimlens_schema::role::QUANTIFIES.into(),
                    layer: QUANTIFIED_LAYER.into(),
                    index,
                });
            }
            amounts.push(a);
        }
        amounts.sort();
        let mut diagnostics = Vec::new();
        for layer in [quantified, amounts] {
            if let Err(e) = doc.insert_layer(layer) {
                diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
            }
        }
        diagnostics
    }
}

/// One sentence's tokens with lower-case forms.
struct Sentence<'a> {
    tokens: &'a [Token],
    raw: Vec<&'a str>,
    low: Vec<std::borrow::Cow<'a, str>>,
    times: &'a [Span],
}

/// What follows the number.
enum Kind {
    Money(&'static str),
    Percent(Option<&'static str>),
    Quantity(String),
    Count,
}

impl<'a> Sentence<'a> {
    fn new(text: &'a str, tokens: &'a [Token], times: &'a [Span]) -> Sentence<'a> {
        let raw: Vec<&str> = tokens.iter().map(|t| &text[t.span.range()]).collect();
        let low = raw.iter().map(|s| crate::numerals::lower(s)).collect();
        Sentence {
            tokens,
            raw,
            low,
            times,
        }
    }

    /// A cheap test that an amount could start at `i` (a digit, a qualifier's first word, a
    /// currency, a number word); most tokens fail it.
    fn may_start(&self, i: usize) -> bool {
        let w = self.w(i);
        let Some(&first) = w.as_bytes().first() else {
            return false;
        };
        first.is_ascii_digit()
            || first >= 0x80
            || matches!(w, "$" | "us" | "a")
            || lexicon::opens_qualifier(w)
            || CURRENCY_CODES.contains(&self.raw[i])
            || word_number(w).is_some()
            || vague_count(w).is_some()
    }

    fn w(&self, i: usize) -> &str {
        self.low.get(i).map_or("", |s| s.as_ref())
    }

    fn in_time(&self, i: usize) -> bool {
        let span = self.tokens[i].span;
        let k = self.times.partition_point(|t| t.end <= span.start);
        self.times.get(k).is_some_and(|t| t.overlaps(span))
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            start: self.tokens[start].span.start,
            end: self.tokens[end - 1].span.end,
        }
    }

    fn scan(&self, out: &mut Vec<(Annotation, Option<Span>)>) {
        let mut i = 0;
        while i < self.low.len() {
            if !self.may_start(i) {
                i += 1;
                continue;
            }
            match self.amount_at(i) {
                Some((end, a, phrase)) => {
                    out.push((a, phrase));
                    i = end.max(i + 1);
                }
                None => i += 1,
            }
        }
    }

    fn qualifier(&self, i: usize) -> Option<(String, usize)> {
        if !lexicon::opens_qualifier(self.w(i)) {
            return None;
        }
        QUALIFIERS
            .iter()
            .filter(|q| q.iter().enumerate().all(|(k, w)| self.w(i + k) == *w))
            .max_by_key(|q| q.len())
            .map(|q| (q.join(" "), i + q.len()))
    }

    fn currency_before(&self, k: usize) -> Option<(&'static str, usize)> {
        if self.w(k) == "us" && self.w(k + 1) == "$" {
            return Some(("USD", k + 2));
        }
        if let Some((_, c)) = CURRENCY_SYMBOLS.iter().find(|(s, _)| *s == self.w(k)) {
            return Some((c, k + 1));
        }
        let raw = *self.raw.get(k)?;
        CURRENCY_CODES
            .iter()
            .find(|c| **c == raw)
            .map(|c| (*c, k + 1))
    }

    /// The amount starting at `i`: its end, annotation and quantified phrase.
    fn amount_at(&self, i: usize) -> Option<(usize, Annotation, Option<Span>)> {
        let (qualifier, k) = match self.qualifier(i) {
            Some(q) => (Some(q.0), q.1),
            None => (None, i),
        };
        let (currency, k) = match self.currency_before(k) {
            Some((c, k)) => (Some(c), k),
            None => (None, k),
        };
        if k >= self.low.len() || self.in_time(k) {
            return None;
        }
        let w = self.w(k);
        let mut rule = "number";
        let mut vague = None;
        let mut glued_unit = None;
        // The number and where it ends.
        let (mut value, mut j) = if let Some(v) = vague_count(w).filter(|_| self.w(k + 1) == "of") {
            rule = "vague-count";
            // "hundreds of thousands of": one vague count.
            match vague_count(self.w(k + 2)).filter(|_| self.w(k + 3) == "of") {
                Some(v2) => {
                    vague = Some(if v == "hundreds" && v2 == "thousands" {
                        "hundreds of thousands"
                    } else {
                        v2
                    });
                    (None, k + 4)
                }
                None => {
                    vague = Some(v);
                    (None, k + 2)
                }
            }
        } else if w == "a" && self.w(k + 1) == "dozen" {
            rule = "number-word";
            (Some(Decimal::int(12)), k + 2)
        } else if self.tokens[k].kind == TokenKind::Number
            || w.as_bytes().first().is_some_and(u8::is_ascii_digit)
        {
            let digits_end = w
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .unwrap_or(w.len());
            let (num, suffix) = w.split_at(digits_end);
            let d = Decimal::parse(num)?;
            let d = match suffix {
                "" => d,
                s if scale_word(s).is_some() => d.times(scale_word(s)?)?,
                s if unit_of(s).is_some() => {
                    glued_unit = unit_of(s);
                    d
                }
                _ => return None,
            };
            // "20 000": thousands separated by a space, as in much of Europe.
            let spaced = suffix.is_empty()
                && !num.contains([',', '.'])
                && num.len() <= 3
                && self.w(k + 1).len() == 3
                && self.w(k + 1).bytes().all(|b| b.is_ascii_digit());
            if spaced {
                let rest = Decimal::parse(self.w(k + 1))?;
                (Some(d.times(1000)?.plus(rest)?), k + 2)
            } else {
                (Some(d), k + 1)
            }
        } else if let Some(n) = word_number(w) {
            rule = "number-word";
            (Some(Decimal::int(n)), k + 1)
        } else {
            return None;
        };
        // "5 million", "2.3 bn"; a bare "m" or "b" only after a currency.
        if let Some(f) = scale_word(self.w(j))
            .filter(|_| self.w(j).len() > 1 || currency.is_some())
            .filter(|_| value.is_some())
        {
            value = Some(value?.times(f)?);
            j += 1;
        }
        let scaled = j > k + 1;
        // What the number counts or measures.
        let next = self.w(j);
        let (kind, end) = if let Some(c) = currency {
            (Kind::Money(c), j)
        } else if let Some(u) = glued_unit {
            (Kind::Quantity(u.to_owned()), j)
        } else if next == "%" || next == "percent" || next == "pct" {
            (Kind::Percent(None), j + 1)
        } else if next == "per" && self.w(j + 1) == "cent" {
            (Kind::Percent(None), j + 2)
        } else if next == "percentage" && self.w(j + 1) == "points" {
            (Kind::Percent(Some("pp")), j + 2)
        } else if let Some(c) = currency_word(next)
            .or_else(|| (scaled && matches!(next, "pounds" | "pound")).then_some("GBP"))
            .or_else(|| {
                CURRENCY_CODES
                    .iter()
                    .find(|c| **c == *self.raw.get(j).unwrap_or(&""))
                    .copied()
            })
        {
            (Kind::Money(c), j + 1)
        } else if let Some(u) = unit_of(next).filter(|u| next.len() > 1 || u.len() > 1) {
            (Kind::Quantity(u.to_owned()), j + 1)
        } else if next == "square" && unit_of(self.w(j + 1)).is_some() {
            (
                Kind::Quantity(format!("{}2", unit_of(self.w(j + 1))?)),
                j + 2,
            )
        } else {
            if !self.plausible_count(k, j, qualifier.is_some() || scaled || vague.is_some()) {
                return None;
            }
            (Kind::Count, j)
        };
        let (label, kind_rule) = match &kind {
            Kind::Money(_) => ("MONEY", "money"),
            Kind::Percent(_) => ("PERCENT", "percent"),
            Kind::Quantity(_) => ("QUANTITY", "quantity"),
            Kind::Count => ("COUNT", "count"),
        };
        let mut a = Annotation::new(
            self.span(i, end),
            label,
            Reason::rule(STAGE, format!("{kind_rule}:{rule}")),
        );
        if let Some(v) = value {
            a = a.with_attr("value", v.to_string());
        }
        match &kind {
            Kind::Money(c) => a = a.with_attr("currency", *c),
            Kind::Percent(Some(u)) => a = a.with_attr("unit", *u),
            Kind::Quantity(u) => a = a.with_attr("unit", u.clone()),
            _ => {}
        }
        if let Some(q) = qualifier {
            a = a.with_attr("qualifier", q);
        }
        if let Some(v) = vague {
            a = a.with_attr("vague", v);
        }
        let phrase = match kind {
            Kind::Count => self.phrase(end),
            Kind::Percent(_) if self.w(end) == "of" => self.phrase(end + 1),
            _ => None,
        };
        Some((end, a, phrase))
    }

    /// Rejects numbers that are not counts: a year, a day next to a month name, a clock time,
    /// the pronoun "one", an ordinal or a time unit's count (left to the temporal stage).
    fn plausible_count(&self, k: usize, j: usize, qualified: bool) -> bool {
        let w = self.w(k);
        let next = self.w(j);
        let month = |x: &str| crate::lexicon::month_number(x).is_some();
        if w.contains(':') || month(self.w(k.wrapping_sub(1))) || month(next) {
            return false;
        }
        if matches!(
            next,
            "a.m." | "p.m." | "am" | "pm" | "ago" | "old" | "-year" | "o'clock"
        ) || crate::lexicon::TimeUnit::from_word(next).is_some()
        {
            return false;
        }
        if w == "one" && !qualified {
            return false;
        }
        if qualified {
            return true;
        }
        let capital = |i: usize| {
            self.raw
                .get(i)
                .and_then(|s| s.chars().next())
                .is_some_and(char::is_uppercase)
        };
        // Names, not counts: "Ground Zero", "Round Two" (a capitalised number word after the
        // sentence start), "Fortune 500", "Boeing 737" (a number right after a capitalised
        // word), and ages in apposition ("Mr. King, 82, said").
        if (k > 0 && capital(k)) || (k > 1 && capital(k - 1)) {
            return false;
        }
        if k >= 2 && self.w(k - 1) == "," && self.w(j) == "," && capital(k - 2) {
            return false;
        }
        // Identifiers (tweet ids, timestamps): long digit strings without separators.
        if w.len() > 9 && w.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let year_like = w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (1800..=2099).contains(&w.parse::<u32>().unwrap_or(0));
        !year_like
    }

    /// The noun phrase after a count: up to four words that are not function words, ending
    /// at the last plural-looking one ("such incidents", "Russian diplomats") or, when none
    /// looks plural, the first word ("person").
    fn phrase(&self, mut p: usize) -> Option<Span> {
        if self.w(p) == "of" {
            p += 1;
        }
        if matches!(
            self.w(p),
            "the" | "those" | "these" | "them" | "their" | "his" | "her" | "its" | "our"
        ) {
            p += 1;
        }
        let mut last_plural = None;
        let mut q = p;
        while q < self.low.len() && q < p + 4 {
            let w = self.w(q);
            let is_word = self.tokens[q].kind == TokenKind::Word
                && w.chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’');
            if !is_word || PHRASE_STOPS.contains(&w) {
                break;
            }
            if (w.ends_with('s') && !w.ends_with("ss") && w.len() > 2)
                || IRREGULAR_PLURALS.contains(&w)
            {
                last_plural = Some(q);
            }
            q += 1;
        }
        if q == p {
            return None;
        }
        // "1 percent of the bank's 100,000 bankers": a possessive is not the head.
        if matches!(self.w(q - 1), "'s" | "’s")
            || self.w(q - 1).ends_with("'s")
            || self.w(q - 1).ends_with("’s")
        {
            return None;
        }
        let end = last_plural.map_or(p + 1, |l| l + 1);
        Some(self.span(p, end))
    }
}

#[cfg(test)]
mod tests;
