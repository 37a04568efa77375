//! The rules for calendar dates and periods: ISO dates, month and day dates ("March 3",
//! "3 March 2019"), years and decades, weekdays, quarters, centuries and seasons.

use super::{date, Expr, Found, Scanner};
use crate::numerals::ordinal;
use crate::temporal::calendar::Date;
use crate::temporal::value::{Dir, PartOfDay, Point, Season, When};

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

impl Scanner<'_> {
    pub(super) fn iso_date(&self, i: usize) -> Option<Found> {
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
    pub(super) fn month_date(&self, i: usize) -> Option<Found> {
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
    pub(super) fn day_month(&self, i: usize) -> Option<Found> {
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
    pub(super) fn year_or_decade(&self, i: usize) -> Option<Found> {
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
    pub(super) fn weekday_expr(&self, i: usize) -> Option<Found> {
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

    /// "the first quarter", "the third quarter of 2016", "Q1 2019".
    pub(super) fn quarter(&self, i: usize) -> Option<Found> {
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
    pub(super) fn century(&self, i: usize) -> Option<Found> {
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
    pub(super) fn season(&self, i: usize) -> Option<Found> {
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
}
