use claimlens_core::{AttrValue, Doc, Stage};

use super::*;
use crate::Segmenter;

fn run(text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    assert!(Segmenter.run(&mut doc).is_empty());
    assert!(EntityStage.run(&mut doc).is_empty());
    doc
}

fn mentions(doc: &Doc) -> Vec<(String, String, String)> {
    let layer = doc.layer(MENTIONS_LAYER).expect("layer");
    layer
        .annotations
        .iter()
        .map(|a| {
            let canonical = match a.attr("canonical") {
                Some(AttrValue::Str(s)) => s.to_string(),
                _ => String::new(),
            };
            (doc.slice(a.span).to_owned(), a.label.to_string(), canonical)
        })
        .collect()
}

#[test]
fn tags_people_places_and_organisations_with_canonical_names() {
    let doc = run(
        "Harbour master Elena Petrova told the Baltic Shipping Authority (BSA) on \
         Monday that ferries from Helsinki were late. Petrova said the BSA had ignored her. \
         German and Finnish crews agreed.",
    );
    let m = mentions(&doc);
    let find = |s: &str| {
        m.iter()
            .find(|x| x.0 == s)
            .unwrap_or_else(|| panic!("{s} in {m:?}"))
    };
    assert_eq!(find("Elena Petrova").1, "PERSON");
    assert_eq!(find("Petrova").2, "Elena Petrova");
    assert_eq!(find("Baltic Shipping Authority").1, "ORG");
    // The acronym's definition and its later use join the full name.
    let bsa: Vec<_> = m.iter().filter(|x| x.0 == "BSA").collect();
    assert_eq!(bsa.len(), 2, "{m:?}");
    assert!(bsa.iter().all(|x| x.2 == "Baltic Shipping Authority"));
    assert_eq!(find("German").1, "NORP");
    let groups = doc.layer(GROUPS_LAYER).unwrap();
    let bsa_group = groups
        .annotations
        .iter()
        .find(|a| a.attr("canonical") == Some(&AttrValue::from("Baltic Shipping Authority")))
        .unwrap();
    assert_eq!(bsa_group.links.len(), 3);
    assert_eq!(bsa_group.attr("aliases"), Some(&AttrValue::from("BSA")));
}

#[test]
fn alias_phrases_join_former_names() {
    let doc = run(
        "Fighters of the Levant Liberation Front, formerly known as Jaysh al-Fatah, \
         entered the town on Friday.",
    );
    let m = mentions(&doc);
    let former = m
        .iter()
        .find(|x| x.0.contains("Fatah"))
        .unwrap_or_else(|| panic!("{m:?}"));
    assert_eq!(former.2, "Levant Liberation Front", "{m:?}");
}

#[test]
fn names_of_one_place_are_one_entity() {
    let doc = run(
        "The United States and Britain sent ships to Lattakia on Monday. The US said the \
         UK would stay. Later, officials in Latakia said the ships had left. Mexico and \
         Mexico City sent no one.",
    );
    let m = mentions(&doc);
    let canonical = |s: &str| {
        m.iter()
            .find(|x| x.0 == s)
            .map(|x| x.2.clone())
            .unwrap_or_else(|| panic!("{s} in {m:?}"))
    };
    assert_eq!(canonical("US"), "United States", "{m:?}");
    assert_eq!(canonical("UK"), canonical("Britain"), "{m:?}");
    assert_eq!(canonical("Latakia"), canonical("Lattakia"), "{m:?}");
    assert_ne!(canonical("Mexico"), canonical("Mexico City"), "{m:?}");
}

#[test]
fn every_mention_is_a_valid_span_with_a_reason() {
    let doc = run("“Nobody (NB) came,” said Dr. Jo Smith of Acme Corp. in New York. NB left.");
    for a in &doc.layer(MENTIONS_LAYER).unwrap().annotations {
        assert!(a.span.is_valid_for(doc.text()));
        assert!(!a.reason.rule.is_empty());
        // A tagged mention's score is the calibrated probability, and its reason says so;
        // a rule-found mention has no score.
        match a.reason.score {
            Some(p) => {
                assert_eq!(a.reason.rule, CALIBRATED_RULE);
                assert!((0.01..=0.99).contains(&p), "{p}");
            }
            None => assert_ne!(a.reason.rule, MODEL_RULE),
        }
    }
}

#[test]
fn hostile_input_is_linear_and_safe() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(if i % 3 == 0 { "(ABC) " } else { "Xyz " });
    }
    text.push_str("formerly known as aka a.k.a. ( ) (");
    let start = std::time::Instant::now();
    let doc = run(&text);
    assert!(start.elapsed().as_secs() < 10);
    assert!(doc.layer(MENTIONS_LAYER).is_some());
    run("");
    run("(((((");
}

#[test]
fn group_labels_are_split_off_names_used_alone() {
    let doc = run(
        "Members of the Salafi Levant Liberation Front attacked the town. Levant \
         Liberation Front fighters withdrew later.",
    );
    let m = mentions(&doc);
    assert!(m.iter().any(|x| x.0 == "Salafi" && x.1 == "NORP"), "{m:?}");
    assert!(
        m.iter()
            .filter(|x| x.0 == "Levant Liberation Front")
            .count()
            == 2,
        "{m:?}"
    );
}

#[test]
fn split_group_modifiers_splits_only_when_the_rest_stands_alone() {
    let text = "The Takfiri Nusra Front Brigade moved. Nusra Front Brigade denied it. \
                The Takfiri Union Party met.";
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    let tokens = &doc.tokens;
    let mention = |words: &str, from: usize| {
        let start = from + text[from..].find(words).unwrap();
        tagged(tokens, start, words, ("ORG", "ORG"))
    };
    let alone = text.find("moved").unwrap();
    let mut ms = vec![
        mention("Takfiri Nusra Front Brigade", 0),
        mention("Nusra Front Brigade", alone),
        mention("Takfiri Union Party", 0),
    ];
    super::split_group_modifiers(text, tokens, &mut ms);
    let got: Vec<(&str, &str)> = ms
        .iter()
        .map(|m| (&text[m.span.range()], m.label))
        .collect();
    assert_eq!(
        got,
        [
            ("Takfiri", "NORP"),
            ("Nusra Front Brigade", "ORG"),
            ("Nusra Front Brigade", "ORG"),
            ("Takfiri Union Party", "ORG"),
        ]
    );
}

/// Tagged mentions, each `(words, nth occurrence, type, CoNLL type)`, grouped into entities:
/// each mention's text, type, type rule and entity.
fn grouped<'t>(
    text: &'t str,
    mentions: &[(&str, usize, &'static str, &'static str)],
) -> Vec<(&'t str, &'static str, Option<&'static str>, usize)> {
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    let tokens = &doc.tokens;
    let mut ms: Vec<Mention> = mentions
        .iter()
        .map(|&(words, nth, label, conll)| {
            let start = text.match_indices(words).nth(nth).unwrap().0;
            tagged(tokens, start, words, (label, conll))
        })
        .collect();
    super::aliases::group(text, tokens, &mut ms);
    ms.iter()
        .map(|m| (&text[m.span.range()], m.label, m.type_rule, m.entity))
        .collect()
}

#[test]
fn a_surname_typed_as_an_organisation_joins_the_first_named_person() {
    let text = "Donald Trump spoke. Trump said Ford would stay. Michael Jordan visited Jordan. \
                Trump left.";
    let got = grouped(
        text,
        &[
            ("Donald Trump", 0, "PERSON", "PER"),
            ("Trump", 1, "ORG", "ORG"),
            ("Ford", 0, "ORG", "ORG"),
            ("Michael Jordan", 0, "PERSON", "PER"),
            ("Jordan", 1, "GPE", "LOC"),
            ("Trump", 2, "MISC", "MISC"),
        ],
    );
    let trump = got[0].3;
    assert_eq!(
        got[1],
        ("Trump", "PERSON", Some("surname-of-person"), trump)
    );
    assert_eq!(
        got[5],
        ("Trump", "PERSON", Some("surname-of-person"), trump)
    );
    // No person named Ford; a place keeps its type beside a person of the same name.
    assert_eq!((got[2].1, got[2].2), ("ORG", None));
    assert_eq!(got[4].1, "GPE");
    assert_ne!(got[4].3, got[3].3);
}

#[test]
fn a_person_defined_with_initials_typed_otherwise_takes_their_type() {
    let text =
        "Hayat Tahrir al-Sham (HTS) attacked. Later HTS withdrew. Ann Lee Smith (ALS) spoke.";
    let got = grouped(
        text,
        &[
            ("Hayat Tahrir al-Sham", 0, "PERSON", "PER"),
            ("HTS", 0, "ORG", "ORG"),
            ("HTS", 1, "ORG", "ORG"),
            ("Ann Lee Smith", 0, "PERSON", "PER"),
            // Initials the tagger itself reads as a person: nothing to go by, no change.
            ("ALS", 0, "PERSON", "PER"),
        ],
    );
    assert_eq!(got[0].1, "ORG");
    assert_eq!(got[0].2, Some("acronym-not-person"));
    assert_eq!(got[0].3, got[1].3, "the definition groups name and acronym");
    assert_eq!(got[1].3, got[2].3);
    assert_eq!((got[3].1, got[3].2), ("PERSON", None));
    assert_eq!(got[4].1, "PERSON");
}

/// A mention of `words` at byte `start`, as the tagger would give it (type and CoNLL type).
fn tagged(
    tokens: &[claimlens_core::Token],
    start: usize,
    words: &str,
    (label, conll): (&'static str, &'static str),
) -> Mention {
    let span = Span::new(start, start + words.len());
    Mention {
        span,
        tokens: claimlens_core::tokens_within(tokens, span),
        label,
        conll,
        found_by: MODEL_RULE,
        type_rule: None,
        score: 0.9,
        evidence: None,
        alias_rule: None,
        entity: 0,
        secondary: false,
    }
}

#[test]
fn a_name_before_news_agency_is_the_agency() {
    // The tagger reads "Sputnik" as a place (it is a village's name too); the words after
    // it say it is an agency. A nationality keeps its type.
    let doc = run(
        "A spokesman told Russia’s Sputnik news agency on Monday that the convoy had left \
         the border town. The Iranian news agency said nothing.",
    );
    let found = mentions(&doc);
    assert!(
        found
            .iter()
            .any(|(text, label, _)| text == "Sputnik" && label == "ORG"),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(text, label, _)| text == "Iranian" && label == "NORP"),
        "{found:?}"
    );
}
