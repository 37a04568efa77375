//! Time expressions: dates, clock times, durations, recurrences and ranges, normalised to
//! ISO 8601 / TIMEX3 values against the publication date.
//!
//! Adds the layer `times`. Labels (TIMEX3 types, plus RANGE):
//!
//! | label | examples | `value` |
//! |---|---|---|
//! | `DATE` | "on Friday", "last year", "February 5", "the 1990s", "last summer", "Tuesday morning" | `2019-02-01`, `2018`, `2019-02-05`, `199`, `2018-SU`, `2019-02-05TMO` |
//! | `DATE` (vague) | "a few years ago", "even today" | `PAST_REF`, `PRESENT_REF` |
//! | `TIME` | "at 3 p.m.", "Friday at 10 a.m." | `2019-02-05T15:00`, `2019-02-01T10:00` |
//! | `DURATION` | "for three years", "the past two weeks", "a five-year plan" | `P3Y`, `P2W`, `P5Y` |
//! | `SET` | "every year", "each Monday", "annually" | `P1Y`, `XXXX-WXX-1` |
//! | `RANGE` | "between 2015 and 2017", "from March 3 to March 9", "2015-17" | `2015/2017`, `2019-03-03/2019-03-09` |
//!
//! Attributes: `value` (absent when nothing can be said without the reference date),
//! `anchor` (`absolute`: the text fixes it; `publication`: resolved against the reference
//! date; `unresolved`: it needs a reference that is missing — the publication date is unknown,
//! or a clock time has no day), `granularity` (day, week, month, …), `relative` (the
//! relative form, e.g. `-1Y`, `FRI<=`, `XXXX-02-05<=`), `mod` (`START`/`MID`/`END` for "early
//! 2018", "the end of the year"), `zone` on clock times, and `reference` (the date used).
//! The reason's rule names the pattern (`last-unit`, `weekday:past`, `month-day-year`, …).
//!
//! # Reference date
//!
//! `doc.meta.published` parsed by [`parse_published`] (ISO dates and datetimes, written
//! forms); `claimlens analyze --date` overrides it. Without one, relative expressions keep the
//! parts known from the text as `X` placeholders (`XXXX-02-05`, `XXXX-WXX-5`) or no value,
//! with anchor `unresolved`, and the stage reports an info diagnostic saying so.
//!
//! # Choices (TimeML practice for news)
//!
//! * A bare weekday or month is the latest one **on or before** the reference ("said on
//!   Friday" in an article of Tuesday 5 February 2019 is 2019-02-01), unless a future cue
//!   ("will", "scheduled", "expected", "going to", "is to", …) precedes it within eight tokens, when it is the
//!   first on or after. A month-day without a year takes the reference year, moved back a
//!   year when its month lies after the reference month (forward under a future cue).
//! * "last Friday" is strictly before the reference, "next Friday" strictly after, "this
//!   Friday" in the reference's ISO week. "two weeks ago" is the ISO week two weeks back
//!   (`2019-W04`); "last summer" the latest summer before the current season.
//! * A clock time with no day next to it ("at 3 p.m.") is on the publication day; without a
//!   reference date its value is the bare ISO time `T15:00`, anchor `unresolved`.
//! * "a decade ago" is the year ten years back (`2006`), not the previous decade.
//! * A decade is written as TIMEX3 does: the first three digits (`199` = the 1990s); a
//!   century by its first two (`19` = the twentieth century).

mod calendar;
mod rules;

mod value;

use claimlens_core::{tokens_within, Annotation, Diagnostic, Doc, Layer, Reason, Severity, Stage};
use claimlens_schema::layer;

pub use calendar::{parse_published, Date};
use rules::{Expr, Found, Scanner};
use value::When;

/// Stage name.
pub const STAGE: &str = "temporal";
/// The layer this stage adds.
pub const TIMES_LAYER: &str = layer::TIMES;

/// The temporal stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct TemporalStage;

impl Stage for TemporalStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::TOKENS, layer::SENTENCES]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[TIMES_LAYER]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let reference = doc.meta.published.as_deref().and_then(parse_published);
        let mut layer = Layer::new(TIMES_LAYER, STAGE);
        let mut unresolved = 0usize;
        for s in &doc.sentences {
            let tokens = &doc.tokens[tokens_within(&doc.tokens, s.span)];
            for f in Scanner::new(doc.text(), tokens).scan() {
                let span = claimlens_core::Span {
                    start: tokens[f.start].span.start,
                    end: tokens[f.end - 1].span.end,
                };
                let a = annotate(span, &f, reference);
                if a.attr("anchor") == Some(&"unresolved".into()) && reference.is_none() {
                    unresolved += 1;
                }
                layer.push(a);
            }
        }
        layer.sort();
        let mut diagnostics = Vec::new();
        if unresolved > 0 {
            let why = match &doc.meta.published {
                Some(p) => format!("the publication date `{p}` could not be read"),
                None => "the publication date is unknown".to_owned(),
            };
            diagnostics.push(Diagnostic {
                severity: Severity::Info,
                stage: STAGE.into(),
                message: format!(
                    "{why}: {unresolved} relative time expression{} left unresolved (pass --date YYYY-MM-DD)",
                    if unresolved == 1 { "" } else { "s" }
                ),
                span: None,
            });
        }
        if let Err(e) = doc.insert_layer(layer) {
            diagnostics.push(Diagnostic::warning(STAGE, e.to_string()));
        }
        diagnostics
    }
}

/// A normalised expression: label and attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// DATE, TIME, DURATION, SET or RANGE.
    pub label: &'static str,
    /// The TIMEX3 / ISO 8601 value, when known.
    pub value: Option<String>,
    /// `absolute`, `publication` or `unresolved`.
    pub anchor: &'static str,
    /// day, week, month, …, when the expression is a point.
    pub granularity: Option<&'static str>,
    /// The relative form, for expressions that need the reference date.
    pub relative: Option<String>,
    /// TIMEX3 `mod`.
    pub modifier: Option<&'static str>,
}

/// Normalises an expression against an optional reference date.
fn normalise(expr: &Expr, r: Option<Date>) -> Timex {
    let mut t = Timex {
        label: "DATE",
        value: None,
        anchor: "absolute",
        granularity: None,
        relative: None,
        modifier: None,
    };
    match expr {
        Expr::Date { when, modifier } => {
            t.modifier = *modifier;
            date_value(when, r, &mut t);
        }
        Expr::Time {
            date, hour, minute, ..
        } => {
            t.label = "TIME";
            t.granularity = Some("time");
            let clock = format!("T{hour:02}:{minute:02}");
            match date {
                Some(w) => {
                    date_value(w, r, &mut t);
                    t.granularity = Some("time");
                    t.value = t.value.map(|d| format!("{d}{clock}"));
                }
                // A clock time alone is on the publication day (TimeML practice for news).
                None => match r {
                    Some(r) => {
                        t.anchor = "publication";
                        t.relative = Some(clock.clone());
                        t.value = Some(format!("{r}{clock}"));
                    }
                    None => {
                        t.anchor = "unresolved";
                        t.value = Some(clock);
                    }
                },
            }
        }
        Expr::Duration(v) => {
            t.label = "DURATION";
            t.value = Some(v.clone());
        }
        Expr::Set(v) => {
            t.label = "SET";
            t.value = Some(v.clone());
        }
        Expr::PastRef | Expr::PresentRef => {
            let v = if *expr == Expr::PastRef {
                "PAST_REF"
            } else {
                "PRESENT_REF"
            };
            t.value = Some(v.to_owned());
            t.anchor = "publication";
        }
        Expr::Range(a, b) => {
            let (a, b) = (normalise(a, r), normalise(b, r));
            t.label = "RANGE";
            t.anchor = worst(a.anchor, b.anchor);
            t.granularity = a.granularity;
            t.value = a.value.zip(b.value).map(|(a, b)| format!("{a}/{b}"));
            t.relative = match (a.relative, b.relative) {
                (None, None) => None,
                (x, y) => Some(format!(
                    "{}/{}",
                    x.unwrap_or_else(|| "abs".into()),
                    y.unwrap_or_else(|| "abs".into())
                )),
            };
        }
    }
    t
}

fn date_value(when: &When, r: Option<Date>, t: &mut Timex) {
    if !when.is_relative() {
        let p = when.resolve(Date::new(2000, 1, 1).expect("valid"));
        t.value = p.map(|p| p.value());
        t.granularity = p.map(|p| p.granularity());
        return;
    }
    t.relative = when.relative_form();
    match r.and_then(|r| when.resolve(r)) {
        Some(p) => {
            t.anchor = "publication";
            t.value = Some(p.value());
            t.granularity = Some(p.granularity());
        }
        None => {
            t.anchor = "unresolved";
            t.value = when.unresolved_value();
        }
    }
}

fn worst(a: &'static str, b: &'static str) -> &'static str {
    if a == "unresolved" || b == "unresolved" {
        "unresolved"
    } else if a == "publication" || b == "publication" {
        "publication"
    } else {
        "absolute"
    }
}

fn annotate(span: claimlens_core::Span, f: &Found, r: Option<Date>) -> Annotation {
    let t = normalise(&f.expr, r);
    let mut a = Annotation::new(span, t.label, Reason::rule(STAGE, f.rule));
    if let Some(v) = t.value {
        a = a.with_attr("value", v);
    }
    a = a.with_attr("anchor", t.anchor);
    if let Some(g) = t.granularity {
        a = a.with_attr("granularity", g);
    }
    if let Some(rel) = t.relative {
        a = a.with_attr("relative", rel);
        if let Some(r) = r {
            a = a.with_attr("reference", r.to_string());
        }
    }
    if let Some(m) = t.modifier {
        a = a.with_attr("mod", m);
    }
    if let Expr::Time { zone: Some(z), .. } = &f.expr {
        a = a.with_attr("zone", z.clone());
    }
    a
}

#[cfg(test)]
mod tests;
