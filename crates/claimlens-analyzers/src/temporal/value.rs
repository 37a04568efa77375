//! What a time expression means before and after resolution against the reference date, and
//! its TIMEX3-style value string.

use super::calendar::{add_months, Date, MAX_YEAR, MIN_YEAR};

/// Calendar units are shared words ([`crate::lexicon::TimeUnit`]); durations are this
/// stage's.
pub(crate) use crate::lexicon::TimeUnit as Unit;

impl Unit {
    /// ISO 8601 duration of `n` units (`P3Y`, `PT2H`); `n = None` is "some" (`PXY`).
    pub(crate) fn duration(self, n: Option<u64>) -> String {
        let (time, mul, code) = match self {
            Unit::Second => (true, 1, 'S'),
            Unit::Minute => (true, 1, 'M'),
            Unit::Hour => (true, 1, 'H'),
            Unit::Day => (false, 1, 'D'),
            Unit::Week => (false, 1, 'W'),
            Unit::Weekend => (false, 1, 'W'),
            Unit::Month => (false, 1, 'M'),
            Unit::Quarter => (false, 3, 'M'),
            Unit::Year => (false, 1, 'Y'),
            Unit::Decade => (false, 10, 'Y'),
            Unit::Century => (false, 100, 'Y'),
        };
        let amount = match n.and_then(|n| n.checked_mul(mul)) {
            Some(v) => v.to_string(),
            None => "X".to_owned(),
        };
        format!("P{}{amount}{code}", if time { "T" } else { "" })
    }

    fn code(self) -> &'static str {
        match self {
            Unit::Second => "S",
            Unit::Minute => "MIN",
            Unit::Hour => "H",
            Unit::Day => "D",
            Unit::Week | Unit::Weekend => "W",
            Unit::Month => "M",
            Unit::Quarter => "Q",
            Unit::Year => "Y",
            Unit::Decade => "DE",
            Unit::Century => "CE",
        }
    }
}

/// Which occurrence of a weekday, month or season is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// Bare ("on Friday", "in March") in a past or present context: the latest one on or
    /// before the reference.
    Past,
    /// Bare, with a future cue nearby ("will meet on Friday"): the first on or after it.
    Future,
    /// "last Friday": strictly before the reference.
    Last,
    /// "next Friday": strictly after.
    Next,
    /// "this Friday": in the reference's week (month, year).
    This,
}

/// Part of a day, TIMEX3 codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl PartOfDay {
    pub(crate) fn from_word(w: &str) -> Option<PartOfDay> {
        Some(match w {
            "morning" => PartOfDay::Morning,
            "afternoon" => PartOfDay::Afternoon,
            "evening" => PartOfDay::Evening,
            "night" | "overnight" => PartOfDay::Night,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            PartOfDay::Morning => "MO",
            PartOfDay::Afternoon => "AF",
            PartOfDay::Evening => "EV",
            PartOfDay::Night => "NI",
        }
    }
}

/// Seasons, meteorological: spring is March–May, …, winter December–February and belongs to
/// the year of its December.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    pub(crate) fn from_word(w: &str) -> Option<Season> {
        Some(match w {
            "spring" => Season::Spring,
            "summer" => Season::Summer,
            "fall" | "autumn" => Season::Fall,
            "winter" => Season::Winter,
            _ => return None,
        })
    }

    fn index(self) -> i64 {
        self as i64
    }

    fn code(self) -> &'static str {
        ["SP", "SU", "FA", "WI"][self as usize]
    }

    fn of_index(k: i64) -> Season {
        [Season::Spring, Season::Summer, Season::Fall, Season::Winter][k.rem_euclid(4) as usize]
    }
}

/// A resolved point or period on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Point {
    Day(Date),
    PartOfDay(Date, PartOfDay),
    Week(i32, u32),
    Weekend(i32, u32),
    Month(i32, u32),
    Quarter(i32, u32),
    Season(i32, Season),
    Year(i32),
    /// The first three digits of the years: 199 is the 1990s.
    Decade(i32),
    /// The first two digits: 19 is the twentieth century.
    Century(i32),
}

impl Point {
    /// The TIMEX3 value: ISO 8601 where ISO has a form, TIMEX3 codes otherwise.
    pub(crate) fn value(self) -> String {
        match self {
            Point::Day(d) => d.to_string(),
            Point::PartOfDay(d, p) => format!("{d}T{}", p.code()),
            Point::Week(y, w) => format!("{y:04}-W{w:02}"),
            Point::Weekend(y, w) => format!("{y:04}-W{w:02}-WE"),
            Point::Month(y, m) => format!("{y:04}-{m:02}"),
            Point::Quarter(y, q) => format!("{y:04}-Q{q}"),
            Point::Season(y, s) => format!("{y:04}-{}", s.code()),
            Point::Year(y) => format!("{y:04}"),
            Point::Decade(d) => format!("{d:03}"),
            Point::Century(c) => format!("{c:02}"),
        }
    }

    pub(crate) fn granularity(self) -> &'static str {
        match self {
            Point::Day(_) => "day",
            Point::PartOfDay(..) => "part-of-day",
            Point::Week(..) | Point::Weekend(..) => "week",
            Point::Month(..) => "month",
            Point::Quarter(..) => "quarter",
            Point::Season(..) => "season",
            Point::Year(_) => "year",
            Point::Decade(_) => "decade",
            Point::Century(_) => "century",
        }
    }
}

/// A date expression as written: absolute, or relative to the reference date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum When {
    Abs(Point),
    /// `n` units from the reference's unit ("last year" = Year −1, "today" = Day 0).
    Offset(Unit, i64),
    Weekday(u32, Dir),
    /// Month and day without a year.
    MonthDay(u32, u32, Dir),
    Month(u32, Dir),
    Season(Season, Dir),
    /// Quarter number without a year.
    Quarter(u32, Dir),
    WithPart(Box<When>, PartOfDay),
}

const WEEKDAYS: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

impl When {
    /// True when the value needs the reference date.
    pub(crate) fn is_relative(&self) -> bool {
        !matches!(self, When::Abs(_))
    }

    /// The relative form kept in `attrs.relative`: `-1Y`, `+0D`, `FRI<` (latest Friday on or
    /// before), `XXXX-02-05` (year unknown).
    pub(crate) fn relative_form(&self) -> Option<String> {
        let dir = |d: Dir| match d {
            Dir::Past => "<=",
            Dir::Future => ">=",
            Dir::Last => "<",
            Dir::Next => ">",
            Dir::This => "=",
        };
        Some(match self {
            When::Abs(_) => return None,
            When::Offset(u, n) => format!("{n:+}{}", u.code()),
            When::Weekday(w, d) => format!("{}{}", WEEKDAYS[(*w as usize - 1) % 7], dir(*d)),
            When::MonthDay(m, d, dr) => format!("XXXX-{m:02}-{d:02}{}", dir(*dr)),
            When::Month(m, dr) => format!("XXXX-{m:02}{}", dir(*dr)),
            When::Season(s, dr) => format!("XXXX-{}{}", s.code(), dir(*dr)),
            When::Quarter(q, dr) => format!("XXXX-Q{q}{}", dir(*dr)),
            When::WithPart(w, p) => format!("{}T{}", w.relative_form()?, p.code()),
        })
    }

    /// The TIMEX3 value with unknown parts as `X` when there is no reference date
    /// (`XXXX-02-05`), or `None` when nothing is known without it ("last year").
    pub(crate) fn unresolved_value(&self) -> Option<String> {
        Some(match self {
            When::Abs(p) => p.value(),
            When::MonthDay(m, d, _) => format!("XXXX-{m:02}-{d:02}"),
            When::Month(m, _) => format!("XXXX-{m:02}"),
            When::Weekday(w, _) => format!("XXXX-WXX-{w}"),
            When::Season(s, _) => format!("XXXX-{}", s.code()),
            When::Quarter(q, _) => format!("XXXX-Q{q}"),
            When::Offset(..) | When::WithPart(..) => return None,
        })
    }

    /// The calendar point, given the reference date.
    pub(crate) fn resolve(&self, r: Date) -> Option<Point> {
        Some(match self {
            When::Abs(p) => *p,
            When::Offset(unit, n) => offset(r, *unit, *n)?,
            When::Weekday(w, dir) => Point::Day(weekday(r, *w, *dir)?),
            When::MonthDay(m, d, dir) => {
                let y = year_for_month(r, *m, *dir)?;
                Point::Day(Date::new(y, *m, *d)?)
            }
            When::Month(m, dir) => Point::Month(year_for_month(r, *m, *dir)?, *m),
            When::Season(s, dir) => season(r, *s, *dir)?,
            When::Quarter(q, dir) => {
                let cur = (r.month - 1) / 3 + 1;
                let y = match dir {
                    Dir::Past | Dir::Last if *q > cur => r.year - 1,
                    Dir::Future | Dir::Next if *q < cur => r.year + 1,
                    _ => r.year,
                };
                Point::Quarter(y, *q)
            }
            When::WithPart(w, p) => match w.resolve(r)? {
                Point::Day(d) => Point::PartOfDay(d, *p),
                other => other,
            },
        })
    }
}

fn in_range(y: i32) -> Option<i32> {
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(y)
}

fn offset(r: Date, unit: Unit, n: i64) -> Option<Point> {
    let n32 = i32::try_from(n).ok()?;
    Some(match unit {
        Unit::Second | Unit::Minute | Unit::Hour | Unit::Day => {
            Point::Day(r.add_days(n.checked_mul(i64::from(unit == Unit::Day))?)?)
        }
        Unit::Week | Unit::Weekend => {
            let (y, w) = r.add_days(n.checked_mul(7)?)?.iso_week();
            if unit == Unit::Week {
                Point::Week(y, w)
            } else {
                Point::Weekend(y, w)
            }
        }
        Unit::Month => {
            let (y, m) = add_months(r.year, r.month, n)?;
            Point::Month(y, m)
        }
        Unit::Quarter => {
            let (y, m) = add_months(r.year, r.month, n.checked_mul(3)?)?;
            Point::Quarter(y, (m - 1) / 3 + 1)
        }
        Unit::Year => Point::Year(in_range(r.year.checked_add(n32)?)?),
        Unit::Decade => Point::Decade(r.year / 10 + n32),
        Unit::Century => Point::Century(r.year / 100 + n32),
    })
}

fn weekday(r: Date, w: u32, dir: Dir) -> Option<Date> {
    let cur = r.weekday() as i64;
    let w = w as i64;
    let back = (cur - w).rem_euclid(7); // days back to the latest such weekday, 0 = today
    let ahead = (w - cur).rem_euclid(7);
    let delta = match dir {
        Dir::Past => -back,
        Dir::Last => -(if back == 0 { 7 } else { back }),
        Dir::Future => ahead,
        Dir::Next => {
            if ahead == 0 {
                7
            } else {
                ahead
            }
        }
        Dir::This => w - cur,
    };
    r.add_days(delta)
}

/// The year of a month named without one: the reference year, moved back (past contexts) or
/// forward (future contexts) when the month lies on the other side of the reference month.
fn year_for_month(r: Date, m: u32, dir: Dir) -> Option<i32> {
    in_range(match dir {
        Dir::Past if m > r.month => r.year - 1,
        Dir::Future if m < r.month => r.year + 1,
        Dir::Last if m >= r.month => r.year - 1,
        Dir::Next if m <= r.month => r.year + 1,
        _ => r.year,
    })
}

fn season(r: Date, s: Season, dir: Dir) -> Option<Point> {
    // Seasons numbered consecutively: year * 4 + index, winter counted in its December's year.
    let (sy, cur) = match r.month {
        3..=5 => (r.year, Season::Spring),
        6..=8 => (r.year, Season::Summer),
        9..=11 => (r.year, Season::Fall),
        12 => (r.year, Season::Winter),
        _ => (r.year - 1, Season::Winter),
    };
    let now = sy as i64 * 4 + cur.index();
    let diff = (s.index() - cur.index()).rem_euclid(4);
    let k = match dir {
        Dir::Last => now - if diff == 0 { 4 } else { 4 - diff },
        Dir::Past => now - (4 - diff) % 4,
        Dir::Next => now + if diff == 0 { 4 } else { diff },
        Dir::Future => now + diff,
        Dir::This => r.year as i64 * 4 + s.index(),
    };
    let y = i32::try_from(k.div_euclid(4)).ok()?;
    Some(Point::Season(in_range(y)?, Season::of_index(k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r() -> Date {
        Date::new(2019, 2, 5).unwrap() // a Tuesday
    }

    fn v(w: When) -> String {
        w.resolve(r()).unwrap().value()
    }

    #[test]
    fn resolves_against_the_reference() {
        assert_eq!(v(When::Offset(Unit::Year, -1)), "2018");
        assert_eq!(v(When::Offset(Unit::Month, 1)), "2019-03");
        assert_eq!(v(When::Offset(Unit::Week, -2)), "2019-W04");
        assert_eq!(v(When::Offset(Unit::Day, -1)), "2019-02-04");
        assert_eq!(v(When::Weekday(5, Dir::Past)), "2019-02-01");
        assert_eq!(v(When::Weekday(2, Dir::Past)), "2019-02-05");
        assert_eq!(v(When::Weekday(2, Dir::Last)), "2019-01-29");
        assert_eq!(v(When::Weekday(5, Dir::Future)), "2019-02-08");
        assert_eq!(v(When::MonthDay(12, 20, Dir::Past)), "2018-12-20");
        assert_eq!(v(When::MonthDay(2, 1, Dir::Past)), "2019-02-01");
        assert_eq!(v(When::Month(1, Dir::Next)), "2020-01");
        assert_eq!(v(When::Season(Season::Summer, Dir::Last)), "2018-SU");
        assert_eq!(v(When::Season(Season::Winter, Dir::This)), "2019-WI");
        assert_eq!(v(When::Quarter(3, Dir::Past)), "2018-Q3");
        assert_eq!(
            v(When::WithPart(
                Box::new(When::Weekday(2, Dir::Past)),
                PartOfDay::Morning
            )),
            "2019-02-05TMO"
        );
        assert_eq!(v(When::Offset(Unit::Decade, 0)), "201");
    }

    #[test]
    fn durations_and_unresolved_forms() {
        assert_eq!(Unit::Year.duration(Some(3)), "P3Y");
        assert_eq!(Unit::Hour.duration(Some(2)), "PT2H");
        assert_eq!(Unit::Decade.duration(None), "PXY");
        assert_eq!(Unit::Century.duration(Some(u64::MAX)), "PXY");
        assert_eq!(When::Offset(Unit::Year, -1).relative_form().unwrap(), "-1Y");
        assert_eq!(
            When::MonthDay(2, 5, Dir::Past).unresolved_value().unwrap(),
            "XXXX-02-05"
        );
        assert!(When::Offset(Unit::Year, i64::MAX).resolve(r()).is_none());
    }
}
