//! Proleptic Gregorian calendar arithmetic on plain dates (no time zones), and parsing of the
//! publication date as ingest records it.
//!
//! Day counts use Howard Hinnant's `days_from_civil` algorithm; every constructor validates,
//! so "February 31" or year 99999 are rejected rather than silently rolled over.

use crate::lexicon::month_number;

/// Years outside this range are not treated as calendar dates.
pub(crate) const MIN_YEAR: i32 = 1000;
/// See [`MIN_YEAR`].
pub(crate) const MAX_YEAR: i32 = 2999;

/// A valid calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year (between 1000 and 2999).
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of month, 1–31.
    pub day: u32,
}

/// Days in a month of a year.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, if it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01.
    pub(crate) fn days(self) -> i64 {
        let y = self.year as i64 - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01, if its year is in range.
    pub(crate) fn from_days(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month, day)
    }

    /// The date `n` days later (earlier when negative).
    pub(crate) fn add_days(self, n: i64) -> Option<Date> {
        Date::from_days(self.days().checked_add(n)?)
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    pub(crate) fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.days() + 3).rem_euclid(7) + 1) as u32
    }

    /// ISO 8601 week-numbering year and week.
    pub(crate) fn iso_week(self) -> (i32, u32) {
        let thursday = self.days() - self.weekday() as i64 + 4;
        let Some(t) = Date::from_days(thursday) else {
            return (self.year, 1);
        };
        let jan1 = Date {
            year: t.year,
            month: 1,
            day: 1,
        };
        (t.year, ((thursday - jan1.days()) / 7 + 1) as u32)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Month and year `n` months after `(year, month)`.
pub(crate) fn add_months(year: i32, month: u32, n: i64) -> Option<(i32, u32)> {
    let total = (year as i64).checked_mul(12)? + month as i64 - 1 + n;
    let y = i32::try_from(total.div_euclid(12)).ok()?;
    ((MIN_YEAR..=MAX_YEAR).contains(&y)).then_some((y, (total.rem_euclid(12) + 1) as u32))
}

/// Parses a publication date as ingest finds it: ISO dates and datetimes (`2019-02-05`,
/// `2019-02-05T08:30:00Z`, `2019/02/05`), and written forms (`5 February 2019`,
/// `Feb. 5, 2019`, `Tue, 05 Feb 2019 08:30:00 GMT`). The calendar date is taken as written;
/// a time zone offset does not move it to UTC.
pub fn parse_published(s: &str) -> Option<Date> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        (!part.is_empty() && part.bytes().all(|c| c.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    if b.len() >= 10 && matches!(b.get(4), Some(b'-' | b'/')) && b.get(7) == b.get(4) {
        let y = digits(0..4)?;
        return Date::new(y as i32, digits(5..7)?, digits(8..10)?);
    }
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return Date::new(digits(0..4)? as i32, digits(4..6)?, digits(6..8)?);
    }
    let (mut year, mut month, mut day) = (None, None, None);
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let lw = w.to_ascii_lowercase();
        if let Some(m) = month_number(&lw) {
            month.get_or_insert(m);
        } else if w.bytes().all(|c| c.is_ascii_digit()) {
            match w.len() {
                4 if year.is_none() => year = w.parse().ok(),
                1 | 2 if day.is_none() => day = w.parse().ok(),
                _ => {}
            }
        } else if let Some(d) = lw
            .strip_suffix("st")
            .or_else(|| lw.strip_suffix("nd"))
            .or_else(|| lw.strip_suffix("rd"))
            .or_else(|| lw.strip_suffix("th"))
            .and_then(|d| d.parse().ok())
        {
            day.get_or_insert(d);
        }
    }
    Date::new(year?, month?, day?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Date {
        Date::new(y, m, dd).unwrap()
    }

    #[test]
    fn day_arithmetic_round_trips() {
        assert_eq!(d(1970, 1, 1).days(), 0);
        assert_eq!(d(2019, 2, 5).weekday(), 2); // a Tuesday
        assert_eq!(d(2019, 3, 1).add_days(-1), Some(d(2019, 2, 28)));
        assert_eq!(d(2016, 3, 1).add_days(-1), Some(d(2016, 2, 29)));
        for days in [-200_000, -1, 0, 1, 17_000, 300_000] {
            if let Some(x) = Date::from_days(days) {
                assert_eq!(x.days(), days);
            }
        }
        assert_eq!(d(2999, 12, 31).add_days(1), None);
        assert_eq!(d(2019, 1, 1).add_days(i64::MAX), None);
    }

    #[test]
    fn iso_weeks() {
        assert_eq!(d(2019, 2, 5).iso_week(), (2019, 6));
        assert_eq!(d(2021, 1, 1).iso_week(), (2020, 53));
        assert_eq!(d(2018, 12, 31).iso_week(), (2019, 1));
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::new(2019, 2, 31).is_none());
        assert!(Date::new(2019, 2, 29).is_none());
        assert!(Date::new(99_999, 1, 1).is_none());
        assert!(Date::new(2019, 13, 1).is_none());
        assert_eq!(add_months(2019, 1, -1), Some((2018, 12)));
        assert_eq!(add_months(2019, 1, i64::MAX / 2), None);
    }

    #[test]
    fn parses_publication_dates() {
        let want = Some(d(2019, 2, 5));
        for s in [
            "2019-02-05",
            "2019-02-05T08:30:00+01:00",
            "2019-02-05T23:30:00.000Z",
            "2019/02/05",
            "20190205",
            "5 February 2019",
            "Feb. 5, 2019",
            "February 5th, 2019",
            "Tue, 05 Feb 2019 08:30:00 GMT",
        ] {
            assert_eq!(parse_published(s), want, "{s}");
        }
        for s in [
            "",
            "yesterday",
            "2019-02-31",
            "99999-01-01",
            "2019-xx-05",
            "February 2019",
        ] {
            assert_eq!(parse_published(s), None, "{s}");
        }
    }
}
