//! The rules for times counted from the text's own moment or clock: "yesterday", "next
//! week", "three years ago", "for two months", clock times with their zones, and
//! recurrences ("every Monday").

use super::{date, Expr, Found, Scanner};
use crate::numerals::word_number;
use crate::temporal::value::{Dir, PartOfDay, Season, Unit, When};

/// Time zone abbreviations kept on a clock time.
const ZONES: &[&str] = &[
    "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "gmt", "utc",
    "bst", "cet", "cest", "eet", "msk", "e.t.", "p.t.",
];

impl Scanner<'_> {
    /// "today", "yesterday morning", "tonight", "this morning", "last night".
    pub(super) fn relative_day(&self, i: usize) -> Option<Found> {
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
    pub(super) fn deictic(&self, i: usize) -> Option<Found> {
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
    pub(super) fn ago_or_duration(&self, i: usize) -> Option<Found> {
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
    pub(super) fn clock_time(&self, i: usize) -> Option<Found> {
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
    pub(super) fn set(&self, i: usize) -> Option<Found> {
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
}
