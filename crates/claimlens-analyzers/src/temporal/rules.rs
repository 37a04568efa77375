//! The rules that find time expressions in one sentence's tokens.
//!
//! The scanner walks the tokens once; at each position every rule looks at most a handful of
//! tokens ahead, the longest match wins and scanning resumes after it, so the cost is linear
//! in the sentence length. Two matches are then combined when a connective joins them: a
//! range ("between 2015 and 2017", "from March 3 to March 9") or a date with a clock time
//! ("Friday at 3 p.m."). Signal words that TimeML leaves outside the expression ("on", "in",
//! "since", "between", "for") stay outside the span.
//!
//! Here: the scanner, its word tests and the combination of matches; the rules for calendar
//! dates and periods are in [`dates`], those for times counted from the text's moment or a
//! clock in [`relative`].

use claimlens_core::Token;

use super::calendar::Date;
use super::value::{Dir, Point, Season, Unit, When};
use crate::lexicon::{month_number, WEEKDAY_NAMES};
use crate::numerals::{ordinal, word_number};

mod dates;
mod relative;

/// A time expression before resolution against the reference date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    /// A calendar date or period, with a TIMEX3 `mod` (`START`, `MID`, `END`).
    Date {
        when: When,
        modifier: Option<&'static str>,
    },
    /// A clock time, on a date when one is attached.
    Time {
        date: Option<When>,
        hour: u32,
        minute: u32,
        zone: Option<String>,
    },
    /// An ISO 8601 duration (`P3Y`).
    Duration(String),
    /// A recurrence, as a TIMEX3 SET value (`P1Y`, `XXXX-WXX-1`).
    Set(String),
    /// From one date to another.
    Range(Box<Expr>, Box<Expr>),
    /// A vague past ("a few years ago"): TIMEX3 `PAST_REF`.
    PastRef,
    /// The present in general ("even today"): TIMEX3 `PRESENT_REF`.
    PresentRef,
}

/// A match: token range `[start, end)` inside the sentence, the meaning, the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub start: usize,
    pub end: usize,
    pub expr: Expr,
    pub rule: &'static str,
}

/// Words in the preceding tokens that put a bare weekday or month in the future.
const FUTURE_CUES: &[&str] = &[
    "will",
    "'ll",
    "’ll",
    "shall",
    "upcoming",
    "scheduled",
    "plans",
    "planned",
    "expected",
    "due",
    "slated",
];

/// Two-word future cues: "going to", and "be to" + infinitive ("is to take over").
const FUTURE_BIGRAMS: &[(&str, &str)] = &[("going", "to"), ("is", "to"), ("are", "to")];

/// Words that can open an expression besides numbers, names of months, weekdays and seasons
/// and number words (see `Scanner::may_start`).
fn is_starter(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "this"
            | "last"
            | "next"
            | "past"
            | "previous"
            | "coming"
            | "current"
            | "earlier"
            | "later"
            | "early"
            | "mid"
            | "middle"
            | "late"
            | "today"
            | "yesterday"
            | "tomorrow"
            | "tonight"
            | "every"
            | "each"
            | "once"
            | "twice"
            | "annually"
            | "yearly"
            | "a"
            | "an"
            | "several"
            | "many"
            | "few"
            | "noon"
            | "midnight"
            | "final"
    )
}

/// Tokens of one sentence with their lower-case forms.
pub(crate) struct Scanner<'a> {
    raw: Vec<&'a str>,
    low: Vec<std::borrow::Cow<'a, str>>,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str, tokens: &[Token]) -> Scanner<'a> {
        let raw: Vec<&str> = tokens.iter().map(|t| &text[t.span.range()]).collect();
        let low = raw.iter().map(|s| crate::numerals::lower(s)).collect();
        Scanner { raw, low }
    }

    /// Every expression, left to right, non-overlapping.
    pub(crate) fn scan(&self) -> Vec<Found> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.low.len() {
            if !self.may_start(i) {
                i += 1;
                continue;
            }
            match self.expr_at(i).map(|f| self.combine(f)) {
                Some(f) if f.end > i => {
                    i = f.end;
                    out.push(f);
                }
                _ => i += 1,
            }
        }
        out
    }

    /// A cheap test that some rule could match at `i`; most tokens fail it, which keeps the
    /// scan fast.
    fn may_start(&self, i: usize) -> bool {
        let w = self.w(i);
        let Some(&first) = w.as_bytes().first() else {
            return false;
        };
        first.is_ascii_digit()
            || is_starter(w)
            || w.contains('-')
            || (first == b'q' && w.len() == 2)
            || month_number(w).is_some()
            || self.weekday(i).is_some()
            || word_number(w).is_some()
            || ordinal(w).is_some()
            || Season::from_word(w).is_some()
            || (self.prev(i) == "for" && Unit::from_word(w).is_some())
    }

    pub(super) fn w(&self, i: usize) -> &str {
        self.low.get(i).map_or("", |s| s.as_ref())
    }

    pub(super) fn prev(&self, i: usize) -> &str {
        if i == 0 {
            ""
        } else {
            self.w(i - 1)
        }
    }

    pub(super) fn capitalised(&self, i: usize) -> bool {
        self.raw
            .get(i)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase)
    }

    /// A year written with four digits, within the calendar's range.
    pub(super) fn year(&self, i: usize) -> Option<i32> {
        let w = self.w(i);
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
            .filter(|y| (1000..=2999).contains(y))
    }

    /// A day of the month: "5", "05", "5th".
    pub(super) fn day(&self, i: usize) -> Option<u32> {
        let w = self.w(i);
        let d = if w.len() <= 2 && !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) {
            w.parse().ok()?
        } else {
            u32::try_from(ordinal(w).filter(|_| w.as_bytes()[0].is_ascii_digit())?).ok()?
        };
        (1..=31).contains(&d).then_some(d)
    }

    /// A capitalised month name or abbreviation.
    pub(super) fn month(&self, i: usize) -> Option<u32> {
        // "May" and "March" are words too: only the capitalised form counts, and a bare one
        // needs a signal word (checked by the caller).
        month_number(self.w(i)).filter(|_| self.capitalised(i))
    }

    pub(super) fn weekday(&self, i: usize) -> Option<u32> {
        let w = self.w(i);
        let w = w
            .strip_suffix('s')
            .filter(|_| w.ends_with("days"))
            .unwrap_or(w);
        WEEKDAY_NAMES
            .iter()
            .position(|n| *n == w)
            .filter(|_| self.capitalised(i))
            .map(|p| p as u32 + 1)
    }

    /// A small count: digits, a number word, or "a"/"an". `None` inside `Some` is a vague
    /// count ("several", "a few"). Returns the index after it.
    pub(super) fn count(&self, i: usize) -> Option<(Option<u64>, usize)> {
        let w = self.w(i);
        if w == "a" || w == "an" {
            if self.w(i + 1) == "few" || self.w(i + 1) == "couple" {
                let next = if self.w(i + 2) == "of" { i + 3 } else { i + 2 };
                return Some((None, next));
            }
            return Some((Some(1), i + 1));
        }
        if matches!(w, "several" | "many" | "few") {
            return Some((None, i + 1));
        }
        if !w.is_empty() && w.len() <= 6 && w.bytes().all(|b| b.is_ascii_digit()) {
            return Some((Some(w.parse().ok()?), i + 1));
        }
        word_number(w).map(|n| (Some(n), i + 1))
    }

    /// A future cue among the eight preceding tokens.
    fn future(&self, i: usize) -> bool {
        (i.saturating_sub(8)..i).any(|k| {
            FUTURE_CUES.contains(&self.w(k)) || FUTURE_BIGRAMS.contains(&(self.w(k), self.w(k + 1)))
        })
    }

    pub(super) fn bare_dir(&self, i: usize) -> Dir {
        if self.future(i) {
            Dir::Future
        } else {
            Dir::Past
        }
    }

    /// The longest single expression starting at `i`, with modifiers such as "early" or
    /// "the end of" applied.
    fn expr_at(&self, i: usize) -> Option<Found> {
        let w = self.w(i);
        // "early 2018", "late last year", "mid-March"
        let modifier = match w {
            "early" => Some("START"),
            "mid" | "middle" => Some("MID"),
            "late" => Some("END"),
            _ => None,
        };
        if let Some(m) = modifier {
            let inner = self.base(i + 1).or_else(|| self.anaphoric_unit(i + 1));
            if let Some(f) = inner.and_then(|f| with_mod(f, m)) {
                return Some(Found { start: i, ..f });
            }
        }
        for (prefix, m) in [("mid-", "MID"), ("early-", "START"), ("late-", "END")] {
            if let Some(rest) = w.strip_prefix(prefix) {
                let when = if let Some(y) = rest.parse().ok().filter(|_| rest.len() == 4) {
                    When::Abs(Point::Year(y))
                } else {
                    When::Month(month_number(rest)?, self.bare_dir(i))
                };
                return Some(Found {
                    start: i,
                    end: i + 1,
                    expr: Expr::Date {
                        when,
                        modifier: Some(m),
                    },
                    rule: "modifier:prefix",
                });
            }
        }
        // "the beginning of the year", "the end of March"
        if w == "the" && self.w(i + 2) == "of" {
            let m = match self.w(i + 1) {
                "beginning" | "start" => Some("START"),
                "middle" => Some("MID"),
                "end" => Some("END"),
                _ => None,
            };
            if let Some(m) = m {
                let inner = self.base(i + 3).or_else(|| self.anaphoric_unit(i + 3));
                if let Some(f) = inner.and_then(|f| with_mod(f, m)) {
                    return Some(Found {
                        start: i,
                        rule: "modifier:the-end-of",
                        ..f
                    });
                }
            }
        }
        self.base(i)
    }

    /// "the year", "this year", "the month": only after a modifier ("the end of the year").
    fn anaphoric_unit(&self, i: usize) -> Option<Found> {
        if !matches!(self.w(i), "the" | "this") {
            return None;
        }
        let unit = Unit::from_word(self.w(i + 1))
            .filter(|u| matches!(u, Unit::Week | Unit::Month | Unit::Year | Unit::Decade))?;
        Some(Found {
            start: i,
            end: i + 2,
            expr: date(When::Offset(unit, 0)),
            rule: "this-unit",
        })
    }

    /// The longest match of the plain rules at `i`.
    fn base(&self, i: usize) -> Option<Found> {
        if i >= self.low.len() {
            return None;
        }
        [
            self.iso_date(i),
            self.month_date(i),
            self.day_month(i),
            self.year_or_decade(i),
            self.weekday_expr(i),
            self.relative_day(i),
            self.deictic(i),
            self.ago_or_duration(i),
            self.clock_time(i),
            self.set(i),
            self.quarter(i),
            self.century(i),
            self.season(i),
        ]
        .into_iter()
        .flatten()
        .max_by_key(|f| f.end)
    }

    /// Joins a match with the next one into a range or a dated clock time.
    fn combine(&self, f: Found) -> Found {
        let j = f.end;
        let joiner = self.w(j);
        let signal = self.prev(f.start);
        let is_date = matches!(f.expr, Expr::Date { .. });
        // Ranges: "between 2015 and 2017", "from March 3 to March 9", "from March 3 to 9".
        let ranged = (signal == "between" && joiner == "and")
            || (signal == "from"
                && matches!(
                    joiner,
                    "to" | "until" | "till" | "through" | "-" | "–" | "—"
                ))
            || (matches!(joiner, "-" | "–" | "—" | "to")
                && self.year(f.start).is_some()
                && f.end == f.start + 1
                && self.year(j + 1).is_some());
        if is_date && ranged {
            let second = self
                .expr_at(j + 1)
                .filter(|g| matches!(g.expr, Expr::Date { .. }))
                .or_else(|| {
                    // "from March 3 to 9": the day alone borrows the month.
                    let d = self.day(j + 1)?;
                    let Expr::Date {
                        when: When::MonthDay(m, _, dir),
                        ..
                    } = &f.expr
                    else {
                        return None;
                    };
                    Date::new(2000, *m, d)?;
                    Some(Found {
                        start: j + 1,
                        end: j + 2,
                        expr: date(When::MonthDay(*m, d, *dir)),
                        rule: "day",
                    })
                });
            if let Some(g) = second {
                return Found {
                    start: f.start,
                    end: g.end,
                    expr: Expr::Range(Box::new(f.expr), Box::new(g.expr)),
                    rule: if signal == "between" {
                        "range:between"
                    } else {
                        "range:from-to"
                    },
                };
            }
        }
        // "Friday at 3 p.m.", "Feb. 5 at noon"
        if let Expr::Date {
            when,
            modifier: None,
        } = &f.expr
        {
            if is_day(when) {
                let t = if joiner == "at" || joiner == "," {
                    j + 1
                } else {
                    j
                };
                if let Some(Found {
                    end,
                    expr:
                        Expr::Time {
                            hour, minute, zone, ..
                        },
                    ..
                }) = self
                    .clock_time(t)
                    .filter(|_| joiner != "," || self.w(t + 1).contains('m'))
                {
                    return Found {
                        start: f.start,
                        end,
                        expr: Expr::Time {
                            date: Some(when.clone()),
                            hour,
                            minute,
                            zone,
                        },
                        rule: "date+time",
                    };
                }
            }
        }
        // "3 p.m. Friday", "10 a.m. on Monday"
        if let Expr::Time {
            date: None,
            hour,
            minute,
            zone,
        } = &f.expr
        {
            let d = if joiner == "on" { j + 1 } else { j };
            if let Some(g) = self.base(d) {
                if let Expr::Date {
                    when,
                    modifier: None,
                } = g.expr
                {
                    if is_day(&when) {
                        return Found {
                            start: f.start,
                            end: g.end,
                            expr: Expr::Time {
                                date: Some(when),
                                hour: *hour,
                                minute: *minute,
                                zone: zone.clone(),
                            },
                            rule: "time+date",
                        };
                    }
                }
            }
        }
        f
    }
}

fn date(when: When) -> Expr {
    Expr::Date {
        when,
        modifier: None,
    }
}

/// Applies a TIMEX3 `mod` to a date of month granularity or coarser.
fn with_mod(f: Found, m: &'static str) -> Option<Found> {
    match f.expr {
        Expr::Date {
            when,
            modifier: None,
        } if !is_day(&when) => Some(Found {
            expr: Expr::Date {
                when,
                modifier: Some(m),
            },
            ..f
        }),
        _ => None,
    }
}

/// True when the date is a single day (a clock time can attach to it).
fn is_day(w: &When) -> bool {
    match w {
        When::Abs(Point::Day(_)) | When::Weekday(..) | When::MonthDay(..) => true,
        When::Offset(u, _) => *u == Unit::Day,
        _ => false,
    }
}
