use super::*;
use crate::temporal::TemporalStage;
use crate::Segmenter;
use claimlens_core::AttrValue;

/// (text, label, value, currency-or-unit, qualifier, quantified) of every amount.
fn amounts(text: &str) -> Vec<[String; 6]> {
    let mut doc = Doc::new("t", text);
    doc.meta.published = Some("2019-02-05".into());
    Segmenter.run(&mut doc);
    TemporalStage.run(&mut doc);
    assert!(AmountsStage.run(&mut doc).is_empty());
    let s = |a: &Annotation, k: &str| match a.attr(k) {
        Some(AttrValue::Str(s)) => s.to_string(),
        _ => String::new(),
    };
    let quantified = doc.layer(QUANTIFIED_LAYER).unwrap();
    doc.layer(AMOUNTS_LAYER)
        .unwrap()
        .annotations
        .iter()
        .map(|a| {
            let q = a
                .links
                .iter()
                .find(|l| l.role == "quantifies")
                .map(|l| {
                    doc.slice(quantified.annotations[l.index as usize].span)
                        .to_owned()
                })
                .unwrap_or_default();
            [
                doc.slice(a.span).to_owned(),
                a.label.to_string(),
                s(a, "value"),
                s(a, "currency") + &s(a, "unit"),
                s(a, "qualifier"),
                q,
            ]
        })
        .collect()
}

#[track_caller]
fn check(text: &str, want: [&str; 6]) {
    let got = amounts(text);
    assert_eq!(got.len(), 1, "{text}: {got:?}");
    assert_eq!(got[0].each_ref().map(String::as_str), want, "{text}");
}

#[test]
fn money() {
    check(
        "The city paid $5 million for it.",
        ["$5 million", "MONEY", "5000000", "USD", "", ""],
    );
    check(
        "Brussels offered €2.3bn in aid.",
        ["€2.3bn", "MONEY", "2300000000", "EUR", "", ""],
    );
    check(
        "He was fined 500 roubles.",
        ["500 roubles", "MONEY", "500", "RUB", "", ""],
    );
    check(
        "It cost about £1,200.50 in total.",
        ["about £1,200.50", "MONEY", "1200.5", "GBP", "about", ""],
    );
    check(
        "A loan of US$ 3 billion was agreed.",
        ["US$ 3 billion", "MONEY", "3000000000", "USD", "", ""],
    );
    check(
        "They spent 40 million pounds.",
        ["40 million pounds", "MONEY", "40000000", "GBP", "", ""],
    );
}

#[test]
fn percentages_and_quantities() {
    check(
        "Turnout was 45 percent on the day.",
        ["45 percent", "PERCENT", "45", "", "", ""],
    );
    check(
        "Only 12% of voters agreed.",
        ["Only 12%", "PERCENT", "12", "", "only", "voters"],
    );
    check(
        "Support fell 3.5 percentage points.",
        ["3.5 percentage points", "PERCENT", "3.5", "pp", "", ""],
    );
    check(
        "The blast hit 10 kilometers northeast of Aleppo.",
        ["10 kilometers", "QUANTITY", "10", "km", "", ""],
    );
    check(
        "The blast hit 10km northeast of Aleppo.",
        ["10km", "QUANTITY", "10", "km", "", ""],
    );
    check(
        "They seized 5 tonnes of cocaine.",
        ["5 tonnes", "QUANTITY", "5", "t", "", ""],
    );
}

#[test]
fn counts_and_what_they_quantify() {
    check(
        "We recorded over 460 such incidents.",
        ["over 460", "COUNT", "460", "", "over", "such incidents"],
    );
    check(
        "At least 30 people were killed.",
        ["At least 30", "COUNT", "30", "", "at least", "people"],
    );
    check(
        "Dozens of civilians fled.",
        ["Dozens of", "COUNT", "", "", "", "civilians"],
    );
    check(
        "Police arrested three Russian diplomats on Monday.",
        ["three", "COUNT", "3", "", "", "Russian diplomats"],
    );
    check(
        "Some 2,500 troops remain.",
        ["Some 2,500", "COUNT", "2500", "", "some", "troops"],
    );
    check(
        "A dozen police officers came.",
        ["A dozen", "COUNT", "12", "", "", "police officers"],
    );
}

#[test]
fn leaves_dates_and_times_alone() {
    for text in [
        "It opened in 2017.",
        "He served for three years.",
        "They met on February 5.",
        "The vote was at 3 p.m.",
        "One of them left.",
        "He was 45 years old.",
        "They met at Ground Zero before Round Two.",
        "Most Fortune 500 firms pay.",
        "Mr. King, 82, told me.",
        "See tweet_id 778257943577919488 here.",
    ] {
        assert_eq!(amounts(text), Vec::<[String; 6]>::new(), "{text}");
    }
}

#[test]
fn bad_input_never_panics() {
    let digits = "9".repeat(10_000);
    for text in [
        "$$$ €€€ %%% £".to_owned(),
        format!("It cost ${digits} billion or {digits}%."),
        "99999999999999999999999999999999999999 trillion dollars".to_owned(),
        "1,2,3 people and 1..5 km and 5.5.5 euros and $ . m".to_owned(),
        "over at least up to more than".to_owned(),
        "dozens of".to_owned(),
    ] {
        let _ = amounts(&text);
    }
    let long = "over 460 such incidents cost $5 million, ".repeat(20_000);
    assert_eq!(amounts(&long).len(), 40_000);
}

#[test]
fn links_point_at_their_own_phrase() {
    // Several counts, some sharing a phrase start, each linked to the phrase it precedes.
    let text = "Over 460 such incidents, 30 people, 12 percent of voters and 3 people.";
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    AmountsStage.run(&mut doc);
    let q = doc.layer(QUANTIFIED_LAYER).unwrap();
    for a in &doc.layer(AMOUNTS_LAYER).unwrap().annotations {
        for l in &a.links {
            let target = q.annotations[l.index as usize].span;
            assert!(target.start >= a.span.end, "{a:?} -> {target:?}");
            let between = &text[a.span.end as usize..target.start as usize];
            assert!(between.len() <= 4, "{between:?}");
        }
    }
}
