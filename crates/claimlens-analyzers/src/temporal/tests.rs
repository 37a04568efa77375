use super::*;
use crate::Segmenter;
use claimlens_core::AttrValue;

/// (text, label, value or "-") of every expression in `text`, published on `date`.
fn times(text: &str, date: Option<&str>) -> Vec<(String, String, String)> {
    let mut doc = Doc::new("t", text);
    doc.meta.published = date.map(str::to_owned);
    Segmenter.run(&mut doc);
    TemporalStage.run(&mut doc);
    doc.layer(TIMES_LAYER)
        .unwrap()
        .annotations
        .iter()
        .map(|a| {
            let v = match a.attr("value") {
                Some(AttrValue::Str(s)) => s.to_string(),
                _ => "-".to_owned(),
            };
            (doc.slice(a.span).to_owned(), a.label.to_string(), v)
        })
        .collect()
}

/// The single expression found in `text` (published Tuesday 2019-02-05).
fn one(text: &str) -> (String, String, String) {
    let found = times(text, Some("2019-02-05T10:00:00Z"));
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found.into_iter().next().unwrap()
}

#[track_caller]
fn check(text: &str, expr: &str, label: &str, value: &str) {
    let (e, l, v) = one(text);
    assert_eq!(
        (e.as_str(), l.as_str(), v.as_str()),
        (expr, label, value),
        "{text}"
    );
}

#[test]
fn absolute_dates() {
    check(
        "The vote was held On April 14, 2018, in Ohio.",
        "April 14, 2018",
        "DATE",
        "2018-04-14",
    );
    check("It opened in 2017 to acclaim.", "2017", "DATE", "2017");
    check(
        "Prices fell in March 2016.",
        "March 2016",
        "DATE",
        "2016-03",
    );
    check(
        "They met on 5 February 2019.",
        "5 February 2019",
        "DATE",
        "2019-02-05",
    );
    check("The law dates from the 1990s.", "the 1990s", "DATE", "199");
    check(
        "It was built in the 19th century.",
        "the 19th century",
        "DATE",
        "18",
    );
    check(
        "Profits rose in the third quarter of 2016.",
        "the third quarter of 2016",
        "DATE",
        "2016-Q3",
    );
    check(
        "The file is dated 2018-11-03.",
        "2018-11-03",
        "DATE",
        "2018-11-03",
    );
    check("Sales fell in early 2018.", "early 2018", "DATE", "2018");
    check("Sales fell in mid-2015.", "mid-2015", "DATE", "2015");
    check(
        "They married in the summer of 2010.",
        "the summer of 2010",
        "DATE",
        "2010-SU",
    );
}

#[test]
fn dates_relative_to_publication() {
    check(
        "Police said on Friday that nobody was hurt.",
        "Friday",
        "DATE",
        "2019-02-01",
    );
    check(
        "The minister resigned last year.",
        "last year",
        "DATE",
        "2018",
    );
    check(
        "The report came out February 1.",
        "February 1",
        "DATE",
        "2019-02-01",
    );
    check(
        "The deal was signed on Dec. 20 in Paris.",
        "Dec. 20",
        "DATE",
        "2018-12-20",
    );
    check(
        "He arrived two weeks ago.",
        "two weeks ago",
        "DATE",
        "2019-W04",
    );
    check("Talks resume next month.", "next month", "DATE", "2019-03");
    check(
        "The firm said earlier this week it would cut jobs.",
        "earlier this week",
        "DATE",
        "2019-W06",
    );
    check(
        "Protests began Tuesday morning.",
        "Tuesday morning",
        "DATE",
        "2019-02-05TMO",
    );
    check(
        "Temperatures soared last summer.",
        "last summer",
        "DATE",
        "2018-SU",
    );
    check(
        "Shares rose 3% yesterday.",
        "yesterday",
        "DATE",
        "2019-02-04",
    );
    check(
        "The summit will take place on Friday.",
        "Friday",
        "DATE",
        "2019-02-08",
    );
    check(
        "He left last Tuesday.",
        "last Tuesday",
        "DATE",
        "2019-01-29",
    );
    check("The museum was shut in March.", "March", "DATE", "2018-03");
    check(
        "A year ago the plant was closed.",
        "A year ago",
        "DATE",
        "2018",
    );
    check(
        "Results are due in the first quarter.",
        "the first quarter",
        "DATE",
        "2019-Q1",
    );
    check(
        "She spoke last night.",
        "last night",
        "DATE",
        "2019-02-04TNI",
    );
}

#[test]
fn modifiers() {
    let (e, l, v) = one("Since the beginning of the year, 40 ships docked.");
    assert_eq!(
        (e.as_str(), l.as_str(), v.as_str()),
        ("the beginning of the year", "DATE", "2019")
    );
    let mut doc = Doc::new("t", "Since the beginning of the year, 40 ships docked.");
    doc.meta.published = Some("2019-02-05".into());
    Segmenter.run(&mut doc);
    TemporalStage.run(&mut doc);
    let a = &doc.layer(TIMES_LAYER).unwrap().annotations[0];
    assert_eq!(a.attr("mod"), Some(&"START".into()));
    assert_eq!(a.attr("anchor"), Some(&"publication".into()));
    assert_eq!(a.attr("relative"), Some(&"+0Y".into()));
    check(
        "Work ends late next year.",
        "late next year",
        "DATE",
        "2020",
    );
}

#[test]
fn durations_sets_ranges_and_times() {
    check(
        "He served for three years.",
        "three years",
        "DURATION",
        "P3Y",
    );
    check(
        "Prices doubled over the past two weeks.",
        "the past two weeks",
        "DURATION",
        "P2W",
    );
    check(
        "A five-year plan was adopted.",
        "five-year",
        "DURATION",
        "P5Y",
    );
    check(
        "The talks lasted 36 hours.",
        "36 hours",
        "DURATION",
        "PT36H",
    );
    check(
        "Rents rose between 2015 and 2017.",
        "2015 and 2017",
        "RANGE",
        "2015/2017",
    );
    check(
        "The fair ran from March 3 to March 9.",
        "March 3 to March 9",
        "RANGE",
        "2018-03-03/2018-03-09",
    );
    check(
        "The fair ran from March 3 to 9.",
        "March 3 to 9",
        "RANGE",
        "2018-03-03/2018-03-09",
    );
    check("In 2015-17 exports fell.", "2015-17", "RANGE", "2015/2017");
    check(
        "The festival is held every year.",
        "every year",
        "SET",
        "P1Y",
    );
    check(
        "The shop closed at 3 p.m. sharp.",
        "3 p.m.",
        "TIME",
        "2019-02-05T15:00",
    );
    check(
        "The shop closed Friday at 3 p.m. sharp.",
        "Friday at 3 p.m.",
        "TIME",
        "2019-02-01T15:00",
    );
    check(
        "The polls close at 8 p.m. ET on Tuesday.",
        "8 p.m. ET on Tuesday",
        "TIME",
        "2019-02-05T20:00",
    );
}

#[test]
fn fixes_after_the_first_measurement() {
    check(
        "Even today the wall stands.",
        "today",
        "DATE",
        "PRESENT_REF",
    );
    check(
        "Reforms began in the early 1990's.",
        "early 1990's",
        "DATE",
        "199",
    );
    check(
        "It was filed in December, 2005.",
        "December, 2005",
        "DATE",
        "2005-12",
    );
    check(
        "The plant closed a decade ago.",
        "a decade ago",
        "DATE",
        "2009",
    );
    check(
        "His successor is to take over on Jan. 1.",
        "Jan. 1",
        "DATE",
        "2020-01-01",
    );
    check(
        "They kept going until 2 a.m. Friday.",
        "2 a.m. Friday",
        "TIME",
        "2019-02-01T02:00",
    );
}

#[test]
fn without_a_publication_date_relative_values_stay_relative() {
    let found = times(
        "He left last year, on Friday, and came back February 5.",
        None,
    );
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|(e, _, v)| (e.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("last year", "-"),
            ("Friday", "XXXX-WXX-5"),
            ("February 5", "XXXX-02-05")
        ]
    );
    assert_eq!(times("It shut at 3 p.m.", None)[0].2, "T15:00");
    let mut doc = Doc::new("t", "He left last year.");
    Segmenter.run(&mut doc);
    let diags = TemporalStage.run(&mut doc);
    assert_eq!(diags.len(), 1);
    assert!(diags[0].message.contains("publication date is unknown"));
    let a = &doc.layer(TIMES_LAYER).unwrap().annotations[0];
    assert_eq!(a.attr("anchor"), Some(&"unresolved".into()));
    assert_eq!(a.attr("relative"), Some(&"-1Y".into()));
}

#[test]
fn ignores_non_dates() {
    for text in [
        "You may go.",
        "The march was peaceful.",
        "It costs $2019 in total.",
        "He won 2016 votes.",
        "He was 45 years old.",
        "The year was good for us.",
        "She went to the fall fair.",
        "He told USA TODAY and Russia Today about it.",
    ] {
        assert_eq!(times(text, Some("2019-02-05")), vec![], "{text}");
    }
}

#[test]
fn bad_input_never_panics() {
    let long_digits = "9".repeat(10_000);
    let texts = [
        "It happened on February 31, 2019 and February 30.".to_owned(),
        "In the year 99999 and on 2019-02-31 and 2019-13-01.".to_owned(),
        format!("Since {long_digits} years ago, {long_digits} weeks."),
        "$$$ %%% --- at 99 p.m. at 25:00 at 3:99 a.m. Q9 2019 the 99th century".to_owned(),
        "99999999999999999999 years ago; 4000000000 days ago; the 0th century".to_owned(),
        "from to between and - – last next this the end of".to_owned(),
        "March 31-45, March 9-3, 2099-1900, 1900-2101".to_owned(),
    ];
    for t in &texts {
        for date in [
            Some("2019-02-05"),
            Some("2999-12-31"),
            Some("garbage"),
            None,
        ] {
            let _ = times(t, date);
        }
    }
    let (e, _, _) = times("It happened on February 31, 2019.", Some("2019-02-05"))
        .into_iter()
        .next()
        .unwrap_or_default();
    assert_ne!(e, "February 31, 2019");
    // Linear on long input: a long run of date-like tokens.
    let long = "on Friday last year between 2015 and 2017 at 3 p.m. and ".repeat(20_000);
    let start = std::time::Instant::now();
    assert_eq!(times(&long, Some("2019-02-05")).len(), 80_000);
    assert!(start.elapsed().as_secs() < 20);
}
