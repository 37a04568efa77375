//! Shared word lists: calendar words that several stages need and no single stage owns.
//! `temporal` reads dates with them, `amounts` skips the days of dates and the counts of time
//! units, `sourcing` stops an outlet's name at a weekday. Keeping them here means a stage
//! never imports another stage's internals.

/// Weekday names, lowercase, Monday first.
pub(crate) const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Lower-case month names and abbreviations (with or without the period) → month number.
pub(crate) fn month_number(w: &str) -> Option<u32> {
    let w = w.strip_suffix('.').unwrap_or(w);
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// A calendar or clock unit, for offsets ("last year") and durations ("three years").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl TimeUnit {
    /// Singular or plural unit noun, lower case.
    pub(crate) fn from_word(w: &str) -> Option<TimeUnit> {
        let w = w.strip_suffix('s').unwrap_or(w);
        Some(match w {
            "second" | "sec" => TimeUnit::Second,
            "minute" | "min" => TimeUnit::Minute,
            "hour" | "hr" => TimeUnit::Hour,
            "day" => TimeUnit::Day,
            "week" => TimeUnit::Week,
            "weekend" => TimeUnit::Weekend,
            "month" => TimeUnit::Month,
            "quarter" => TimeUnit::Quarter,
            "year" | "yr" => TimeUnit::Year,
            "decade" => TimeUnit::Decade,
            "century" | "centurie" => TimeUnit::Century,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_words() {
        assert_eq!(month_number("sept."), Some(9));
        assert_eq!(month_number("mayday"), None);
        assert_eq!(TimeUnit::from_word("years"), Some(TimeUnit::Year));
        assert_eq!(TimeUnit::from_word("centuries"), Some(TimeUnit::Century));
        assert!(WEEKDAY_NAMES.contains(&"friday"));
    }
}
