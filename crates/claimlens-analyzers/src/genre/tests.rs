//! Stage tests on articles written here.

use super::*;
use crate::Segmenter;

fn run(text: &str) -> (Doc, Vec<Diagnostic>) {
    let mut doc = Doc::new("t", text);
    Segmenter.run(&mut doc);
    let d = GenreStage.run(&mut doc);
    (doc, d)
}

fn float(a: &Annotation, key: &str) -> f64 {
    match a.attr(key) {
        Some(claimlens_core::AttrValue::Float(f)) => *f,
        other => panic!("{key}: {other:?}"),
    }
}

#[test]
fn a_plain_news_report_gets_a_genre_with_probabilities_and_valid_frames() {
    let (doc, d) = run(
        "BRUSSELS (Reuters) - European Union finance ministers agreed on Tuesday to extend \
         a loan programme for member states hit by flooding, officials said.\n\n\
         The ministers approved 2.1 billion euros in credit lines, according to a statement \
         released after the meeting. The programme will run until the end of next year.\n\n\
         “We expect the first payments in March,” the commission's spokesman, Marco Ferri, \
         told reporters. Germany and the Netherlands abstained, two diplomats said.\n\n\
         The floods in September damaged roads and bridges in three countries, the \
         commission said in a report published last month.",
    );
    assert!(d.is_empty(), "{d:?}");
    let layer = doc.layer(layer::DOCUMENT).unwrap();
    let whole = Span::new(0, doc.text().len());
    let genre: Vec<&Annotation> = layer
        .annotations
        .iter()
        .filter(|a| a.label == label::GENRE)
        .collect();
    assert_eq!(genre.len(), 1);
    let g = genre[0];
    assert_eq!(g.span, whole);
    let chosen = g.attr_str("label").unwrap();
    assert!(GENRES.contains(&chosen));
    let sum: f64 = GENRES.iter().map(|n| float(g, n)).sum();
    assert!((sum - 1.0).abs() < 1e-3, "{sum}");
    assert!((f64::from(g.reason.score.unwrap()) - float(g, chosen)).abs() < 1e-3);
    assert!(
        g.reason.rule.starts_with(train::MODEL_NAME),
        "{}",
        g.reason.rule
    );
    let mut last = 1.0;
    for f in layer.annotations.iter().filter(|a| a.label == label::FRAME) {
        assert_eq!(f.span, whole);
        assert!(catalogue::frame_index(f.attr_str("label").unwrap()).is_some());
        let p = f.reason.score.unwrap();
        assert!(
            (0.0..=1.0).contains(&p) && p <= last,
            "descending probabilities"
        );
        last = p;
    }
    assert_eq!(
        layer.annotations.len(),
        1 + layer
            .annotations
            .iter()
            .filter(|a| a.label == label::FRAME)
            .count()
    );
    eprintln!(
        "genre {chosen} {:?}; frames {:?}",
        GENRES.map(|n| float(g, n)),
        layer
            .annotations
            .iter()
            .skip(1)
            .map(|a| (a.attr_str("label").unwrap(), a.reason.score.unwrap()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn empty_and_foreign_texts_get_an_empty_layer_and_say_why() {
    let (doc, d) = run("  \n ");
    assert!(d[0].message.contains("no sentences"));
    assert!(doc.layer(layer::DOCUMENT).unwrap().annotations.is_empty());
    let (doc, d) = run(
        "Die Regierung hat am Montag beschlossen, dass die Steuern im nächsten Jahr steigen \
         werden, obwohl viele Bürger und Unternehmen dagegen protestiert haben.",
    );
    assert!(d[0].message.contains("does not look like English"), "{d:?}");
    assert!(doc.layer(layer::DOCUMENT).unwrap().annotations.is_empty());
}
