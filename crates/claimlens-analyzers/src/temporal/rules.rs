//! The rules that find time expressions in one sentence's tokens.
//!
//! The scanner walks the tokens once; at each position every rule looks at most a handful of
//! tokens ahead, the longest match wins and scanning resumes after it, so the cost is linear
//! in the sentence length. Two matches are then combined when a connective joins them: a
//! range ("between 2015 and 2017", "from March 3 to March 9") or a date with a clock time
//! ("Friday at 3 p.m."). Signal words that TimeML leaves outside the expression ("on", "in",
//! "since", "between", "for") stay outside the span.

use claimlens_core::Token;

use super::calendar::Date;
use super::value::{Dir, PartOfDay, Point, Season, Unit, When};
use crate::lexicon::{month_number, WEEKDAY_NAMES};
use crate::numerals::{ordinal, word_number};

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

/// Words before a bare month name that make it a date ("in March", not "the March").
const MONTH_SIGNALS: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "through",
    "during",
    "before",
    "after",
    "early",
    "mid",
    "late",
    "between",
    "and",
    "to",
    "of",
    "last",
    "next",
    "this",
    "since",
    "throughout",
    "from",
    "around",
];

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

/// Time zone abbreviations kept on a clock time.
const ZONES: &[&str] = &[
    "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "gmt", "utc",
    "bst", "cet", "cest", "eet", "msk", "e.t.", "p.t.",
];

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

    fn w(&self, i: usize) -> &str {
        self.low.get(i).map_or("", |s| s.as_ref())
    }

    fn prev(&self, i: usize) -> &str {
        if i == 0 {
            ""
        } else {
            self.w(i - 1)
        }
    }

    fn capitalised(&self, i: usize) -> bool {
        self.raw
            .get(i)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase)
    }

    /// A year written with four digits, within the calendar's range.
    fn year(&self, i: usize) -> Option<i32> {
        let w = self.w(i);
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse().ok())
            .flatten()
            .filter(|y| (1000..=2999).contains(y))
    }

    /// A day of the month: "5", "05", "5th".
    fn day(&self, i: usize) -> Option<u32> {
        let w = self.w(i);
        let d = if w.len() <= 2 && !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) {
            w.parse().ok()?
        } else {
            u32::try_from(ordinal(w).filter(|_| w.as_bytes()[0].is_ascii_digit())?).ok()?
        };
        (1..=31).contains(&d).then_some(d)
    }

    /// A capitalised month name or abbreviation.
    fn month(&self, i: usize) -> Option<u32> {
        // "May" and "March" are words too: only the capitalised form counts, and a bare one
        // needs a signal word (checked by the caller).
        month_number(self.w(i)).filter(|_| self.capitalised(i))
    }

    fn weekday(&self, i: usize) -> Option<u32> {
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
    fn count(&self, i: usize) -> Option<(Option<u64>, usize)> {
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

    fn bare_dir(&self, i: usize) -> Dir {
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

    fn iso_date(&self, i: usize) -> Option<Found> {
        let parts: Vec<&str> = self.w(i).split('-').collect();
        let all_digits = parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if !all_digits {
            return None;
        }
        let (expr, rule) = match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                let d = Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
                (date(When::Abs(Point::Day(d))), "iso-date")
            }
            // "2015-2017", "2015-17"
            [a, b] if a.len() == 4 && (b.len() == 4 || b.len() == 2) => {
                let from: i32 = a.parse().ok()?;
                let to: i32 = if b.len() == 2 {
                    from / 100 * 100 + b.parse::<i32>().ok()?
                } else {
                    b.parse().ok()?
                };
                if !(1900..=2099).contains(&from) || to <= from || to - from > 100 {
                    return None;
                }
                (
                    Expr::Range(
                        Box::new(date(When::Abs(Point::Year(from)))),
                        Box::new(date(When::Abs(Point::Year(to)))),
                    ),
                    "year-range",
                )
            }
            _ => return None,
        };
        Some(Found {
            start: i,
            end: i + 1,
            expr,
            rule,
        })
    }

    /// "April 14, 2018", "Feb. 5", "Monday, Feb. 4", "March 2016", "in March", "March 3-9".
    fn month_date(&self, i: usize) -> Option<Found> {
        let (start, j) = match self.weekday(i) {
            Some(_) if self.w(i + 1) == "," && self.month(i + 2).is_some() => (i, i + 2),
            _ => (i, i),
        };
        let m = self.month(j)?;
        let found = |end, when, rule| {
            Some(Found {
                start,
                end,
                expr: date(when),
                rule,
            })
        };
        if let Some(d) = self.day(j + 1) {
            let (year, end) = match (self.w(j + 2), self.year(j + 2), self.year(j + 3)) {
                (",", _, Some(y)) => (Some(y), j + 4),
                (_, Some(y), _) => (Some(y), j + 3),
                _ => (None, j + 2),
            };
            return match year {
                Some(y) => found(
                    end,
                    When::Abs(Point::Day(Date::new(y, m, d)?)),
                    "month-day-year",
                ),
                None => {
                    // Check the day exists in some year (February 29 does).
                    Date::new(2000, m, d)?;
                    found(end, When::MonthDay(m, d, self.bare_dir(start)), "month-day")
                }
            };
        }
        // "March 3-9"
        if let Some((a, b)) = self.w(j + 1).split_once('-') {
            let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
            Date::new(2000, m, a)?;
            Date::new(2000, m, b)?;
            if a >= b {
                return None;
            }
            let dir = self.bare_dir(start);
            return Some(Found {
                start,
                end: j + 2,
                expr: Expr::Range(
                    Box::new(date(When::MonthDay(m, a, dir))),
                    Box::new(date(When::MonthDay(m, b, dir))),
                ),
                rule: "month-day-range",
            });
        }
        let of = usize::from(matches!(self.w(j + 1), "of" | ","));
        if let Some(y) = self.year(j + 1 + of) {
            return found(j + 2 + of, When::Abs(Point::Month(y, m)), "month-year");
        }
        if start == j
            && MONTH_SIGNALS.contains(&self.prev(j))
            && !matches!(self.prev(j), "last" | "next" | "this")
        {
            return found(j + 1, When::Month(m, self.bare_dir(j)), "month");
        }
        None
    }

    /// "5 February 2019", "14th April".
    fn day_month(&self, i: usize) -> Option<Found> {
        let d = self.day(i)?;
        let of = usize::from(self.w(i + 1) == "of");
        let m = self.month(i + 1 + of)?;
        let j = i + 2 + of;
        let (when, end, rule) = match self.year(j) {
            Some(y) => (
                When::Abs(Point::Day(Date::new(y, m, d)?)),
                j + 1,
                "day-month-year",
            ),
            None => {
                Date::new(2000, m, d)?;
                (When::MonthDay(m, d, self.bare_dir(i)), j, "day-month")
            }
        };
        Some(Found {
            start: i,
            end,
            expr: date(when),
            rule,
        })
    }

    /// "2017", "the 1990s".
    fn year_or_decade(&self, i: usize) -> Option<Found> {
        let the = usize::from(self.w(i) == "the");
        let k = i + the;
        let w = self.w(k);
        if let Some(digits) = w
            .strip_suffix('s')
            .filter(|d| d.len() == 4 && d.ends_with('0'))
        {
            let y: i32 = digits
                .parse()
                .ok()
                .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))?;
            if !(1000..=2999).contains(&y) {
                return None;
            }
            return Some(Found {
                start: i,
                end: k + 1,
                expr: date(When::Abs(Point::Decade(y / 10))),
                rule: "decade",
            });
        }
        // "the 1990's": the tokenizer splits the clitic off.
        if let Some(y) = self.year(k).filter(|y| y % 10 == 0) {
            if matches!(self.w(k + 1), "'s" | "’s")
                && (the == 1
                    || self.prev(i) == "early"
                    || self.prev(i) == "late"
                    || self.prev(i) == "mid")
            {
                return Some(Found {
                    start: i,
                    end: k + 2,
                    expr: date(When::Abs(Point::Decade(y / 10))),
                    rule: "decade",
                });
            }
        }
        if the == 1 {
            return None;
        }
        let y = self.year(i)?;
        // A bare four-digit number is a year when it looks like one and is not an amount.
        let next = self.w(i + 1);
        let amount = matches!(self.prev(i), "$" | "€" | "£" | "no." | "number" | "#")
            || matches!(
                next,
                "%" | "percent" | "per" | "people" | "troops" | "votes"
            )
            || crate::numerals::scale_word(next).is_some()
            || crate::numerals::unit_of(next).is_some();
        if amount || !(1800..=2099).contains(&y) {
            return None;
        }
        Some(Found {
            start: i,
            end: i + 1,
            expr: date(When::Abs(Point::Year(y))),
            rule: "year",
        })
    }

    /// "on Friday", "last Tuesday", "Tuesday morning", "every Monday" is a SET elsewhere.
    fn weekday_expr(&self, i: usize) -> Option<Found> {
        let (dir, k) = match self.w(i) {
            "last" | "past" => (Some(Dir::Last), i + 1),
            "next" | "coming" => (Some(Dir::Next), i + 1),
            "this" => (Some(Dir::This), i + 1),
            _ => (None, i),
        };
        let wd = self.weekday(k)?;
        if self.w(k).ends_with("days") {
            // "on Mondays": a recurrence.
            return Some(Found {
                start: k,
                end: k + 1,
                expr: Expr::Set(format!("XXXX-WXX-{wd}")),
                rule: "weekday-plural",
            });
        }
        let dir = dir.unwrap_or_else(|| self.bare_dir(i));
        let mut when = When::Weekday(wd, dir);
        let mut end = k + 1;
        if let Some(p) = PartOfDay::from_word(self.w(k + 1)) {
            when = When::WithPart(Box::new(when), p);
            end += 1;
        }
        Some(Found {
            start: i,
            end,
            expr: date(when),
            rule: match dir {
                Dir::Last => "last-weekday",
                Dir::Next => "next-weekday",
                Dir::This => "this-weekday",
                Dir::Future => "weekday:future",
                Dir::Past => "weekday:past",
            },
        })
    }

    /// "today", "yesterday morning", "tonight", "this morning", "last night".
    fn relative_day(&self, i: usize) -> Option<Found> {
        // "Russia Today", "USA TODAY": capitalised after the sentence start it is a name.
        if self.w(i) == "today" && i > 0 && self.capitalised(i) {
            return None;
        }
        let (offset, mut end, rule) = match (self.w(i), self.w(i + 1)) {
            // "even today", "than today": the present in general (TIMEX3 PRESENT_REF).
            ("today", _) if matches!(self.prev(i), "even" | "than") => {
                return Some(Found {
                    start: i,
                    end: i + 1,
                    expr: Expr::PresentRef,
                    rule: "today:generic",
                })
            }
            ("today", _) => (0, i + 1, "today"),
            ("yesterday", _) => (-1, i + 1, "yesterday"),
            ("tomorrow", _) => (1, i + 1, "tomorrow"),
            ("tonight", _) => {
                return Some(Found {
                    start: i,
                    end: i + 1,
                    expr: date(When::WithPart(
                        Box::new(When::Offset(Unit::Day, 0)),
                        PartOfDay::Night,
                    )),
                    rule: "tonight",
                })
            }
            ("this", p) if PartOfDay::from_word(p).is_some() && p != "night" => {
                (0, i + 1, "this-part-of-day")
            }
            ("last", "night") => (-1, i + 1, "last-night"),
            _ => return None,
        };
        let mut when = When::Offset(Unit::Day, offset);
        if let Some(p) = PartOfDay::from_word(self.w(end)) {
            when = When::WithPart(Box::new(when), p);
            end += 1;
        } else if rule == "this-part-of-day" || rule == "last-night" {
            return None;
        }
        Some(Found {
            start: i,
            end,
            expr: date(when),
            rule,
        })
    }

    /// "last year", "next month", "this week", "earlier this week", "last March", "last
    /// summer", and durations such as "the past three years".
    fn deictic(&self, i: usize) -> Option<Found> {
        let the = usize::from(self.w(i) == "the");
        let mut k = i + the;
        let earlier = matches!(self.w(k), "earlier" | "later") && self.w(k + 1) == "this";
        if earlier {
            k += 1;
        }
        let w = self.w(k);
        let (n, dir) = match w {
            "last" | "previous" => (-1, Dir::Last),
            "past" => (-1, Dir::Last),
            "this" | "current" => (0, Dir::This),
            "next" | "coming" => (1, Dir::Next),
            _ => return None,
        };
        // "the past three years", "the last year", "the next two weeks": durations.
        if the == 1 || w == "past" {
            let (count, j) = match self.count(k + 1) {
                Some((c, j)) if self.w(k + 1) != "a" && self.w(k + 1) != "an" => (c, j),
                _ => (Some(1), k + 1),
            };
            let unit = Unit::from_word(self.w(j))?;
            if the == 0
                && w == "past"
                && j == k + 1
                && !matches!(self.prev(i), "the" | "over" | "in" | "during")
            {
                return None;
            }
            return Some(Found {
                start: i,
                end: j + 1,
                expr: Expr::Duration(unit.duration(count)),
                rule: "the-past-n-units",
            });
        }
        let next = self.w(k + 1);
        let (when, rule) = if let Some(unit) =
            // Singular only: "last years" is not "last year".
            Unit::from_word(next).filter(|_| !next.ends_with('s'))
        {
            (
                When::Offset(unit, n),
                match n {
                    -1 => "last-unit",
                    0 if earlier => "earlier-this-unit",
                    0 => "this-unit",
                    _ => "next-unit",
                },
            )
        } else if let Some(m) = self.month(k + 1) {
            (When::Month(m, dir), "deictic-month")
        } else if let Some(s) = Season::from_word(next) {
            (When::Season(s, dir), "deictic-season")
        } else {
            return None;
        };
        Some(Found {
            start: i,
            end: k + 2,
            expr: date(when),
            rule,
        })
    }

    /// "two weeks ago", "a few years ago", "for three years", "five-year", "24 hours".
    fn ago_or_duration(&self, i: usize) -> Option<Found> {
        // "a five-year plan", "10-year"
        if let Some((num, unit)) = self.w(i).rsplit_once('-') {
            if let (Some(u), Some(n)) = (
                Unit::from_word(unit).filter(|_| !unit.ends_with('s')),
                num.parse::<u64>().ok().or_else(|| word_number(num)),
            ) {
                return Some(Found {
                    start: i,
                    end: i + 1,
                    expr: Expr::Duration(u.duration(Some(n))),
                    rule: "n-unit-adjective",
                });
            }
        }
        // "for years", "for decades"
        if self.prev(i) == "for" {
            if let Some(u) = Unit::from_word(self.w(i)).filter(|_| self.w(i).ends_with('s')) {
                return Some(Found {
                    start: i,
                    end: i + 1,
                    expr: Expr::Duration(u.duration(None)),
                    rule: "for-units",
                });
            }
        }
        let (n, j) = self.count(i)?;
        let unit = Unit::from_word(self.w(j))?;
        if self.w(j + 1) == "ago" {
            // "a decade ago" is a year ten years back, not the previous decade.
            let (unit, n) = match unit {
                Unit::Decade => (Unit::Year, n.and_then(|n| n.checked_mul(10))),
                Unit::Century => (Unit::Year, n.and_then(|n| n.checked_mul(100))),
                _ => (unit, n),
            };
            let expr = match n {
                Some(n) => date(When::Offset(unit, -(i64::try_from(n).ok()?))),
                None => Expr::PastRef,
            };
            return Some(Found {
                start: i,
                end: j + 2,
                expr,
                rule: "n-units-ago",
            });
        }
        let article = matches!(self.w(i), "a" | "an");
        let signal = matches!(
            self.prev(i),
            "for"
                | "within"
                | "in"
                | "over"
                | "than"
                | "least"
                | "about"
                | "nearly"
                | "almost"
                | "after"
        );
        if self.w(j + 1) == "old" || (article && !signal) || (n.is_none() && !signal) {
            return None;
        }
        Some(Found {
            start: i,
            end: j + 1,
            expr: Expr::Duration(unit.duration(n)),
            rule: "n-units",
        })
    }

    /// "3 p.m.", "10:30 a.m. ET", "3pm", "at noon", "at 15:00".
    fn clock_time(&self, i: usize) -> Option<Found> {
        let w = self.w(i);
        let at = matches!(
            self.prev(i),
            "at" | "by" | "until" | "till" | "around" | "before" | "after" | "from"
        );
        let (hm, suffix, mut end) = if let Some(h) = ["a.m.", "p.m.", "am", "pm", "a.m", "p.m"]
            .iter()
            .find_map(|s| w.strip_suffix(s).filter(|h| !h.is_empty()).map(|h| (h, *s)))
        {
            (h.0, Some(h.1), i + 1)
        } else if matches!(self.w(i + 1), "a.m." | "p.m." | "am" | "pm" | "a.m" | "p.m") {
            (w, Some(self.w(i + 1)), i + 2)
        } else if (w == "noon" || w == "midnight") && at {
            (if w == "noon" { "12:00" } else { "0:00" }, None, i + 1)
        } else if at && w.contains(':') {
            (w, None, i + 1)
        } else {
            return None;
        };
        let (h, m) = match hm.split_once(':') {
            Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
            None => (hm.parse::<u32>().ok()?, 0),
            _ => return None,
        };
        if m > 59 || hm.len() > 5 {
            return None;
        }
        let hour = match suffix {
            Some(s) => {
                if !(1..=12).contains(&h) {
                    return None;
                }
                (h % 12) + if s.starts_with('p') { 12 } else { 0 }
            }
            None if h <= 23 => h,
            None => return None,
        };
        let zone = ZONES
            .contains(&self.w(end))
            .then(|| self.raw[end].to_owned());
        if zone.is_some() {
            end += 1;
        }
        Some(Found {
            start: i,
            end,
            expr: Expr::Time {
                date: None,
                hour,
                minute: m,
                zone,
            },
            rule: "clock-time",
        })
    }

    /// "every year", "each Monday", "annually", "twice a year".
    fn set(&self, i: usize) -> Option<Found> {
        let w = self.w(i);
        let (value, end) = if w == "annually" || w == "yearly" {
            ("P1Y".to_owned(), i + 1)
        } else if matches!(w, "every" | "each") {
            if let Some(wd) = self.weekday(i + 1) {
                (format!("XXXX-WXX-{wd}"), i + 2)
            } else {
                let u = Unit::from_word(self.w(i + 1)).filter(|_| !self.w(i + 1).ends_with('s'))?;
                (u.duration(Some(1)), i + 2)
            }
        } else if matches!(w, "once" | "twice") && matches!(self.w(i + 1), "a" | "per") {
            let u = Unit::from_word(self.w(i + 2))?;
            (u.duration(Some(1)), i + 3)
        } else {
            return None;
        };
        Some(Found {
            start: i,
            end,
            expr: Expr::Set(value),
            rule: "set",
        })
    }

    /// "the first quarter", "the third quarter of 2016", "Q1 2019".
    fn quarter(&self, i: usize) -> Option<Found> {
        let the = usize::from(self.w(i) == "the");
        let k = i + the;
        let (q, mut end) = if let Some(q) = self.w(k).strip_prefix('q') {
            (q.parse::<u32>().ok()?, k + 1)
        } else if self.w(k + 1) == "quarter" {
            let q = match self.w(k) {
                "last" | "final" | "fourth" | "4th" => 4,
                w => u32::try_from(ordinal(w)?).ok()?,
            };
            (q, k + 2)
        } else {
            return None;
        };
        if !(1..=4).contains(&q) {
            return None;
        }
        let of = usize::from(self.w(end) == "of");
        let when = match self.year(end + of) {
            Some(y) => {
                end += of + 1;
                When::Abs(Point::Quarter(y, q))
            }
            // "last quarter" without a year is the previous quarter (deictic rule).
            // "the last quarter of …" needs its year; "last quarter" alone is the deictic
            // rule's; a lower-case "q1" without a year is too ambiguous.
            None if matches!(self.w(k), "last" | "final")
                || (self.w(k).starts_with('q') && !self.capitalised(k)) =>
            {
                return None
            }
            None => When::Quarter(q, self.bare_dir(i)),
        };
        Some(Found {
            start: i,
            end,
            expr: date(when),
            rule: "quarter",
        })
    }

    /// "the 20th century", "the nineteenth century".
    fn century(&self, i: usize) -> Option<Found> {
        if self.w(i) != "the" || self.w(i + 2) != "century" {
            return None;
        }
        let n = i32::try_from(ordinal(self.w(i + 1))?).ok()?;
        if !(11..=30).contains(&n) {
            return None;
        }
        Some(Found {
            start: i,
            end: i + 3,
            expr: date(When::Abs(Point::Century(n - 1))),
            rule: "century",
        })
    }

    /// "summer 2018", "the summer of 2018".
    fn season(&self, i: usize) -> Option<Found> {
        let the = usize::from(self.w(i) == "the");
        let s = Season::from_word(self.w(i + the))?;
        let of = usize::from(self.w(i + the + 1) == "of");
        let y = self.year(i + the + 1 + of)?;
        Some(Found {
            start: i,
            end: i + the + 2 + of,
            expr: date(When::Abs(Point::Season(y, s))),
            rule: "season-year",
        })
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
