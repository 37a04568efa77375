//! The analyzed document's memory stays a bounded multiple of its text: every layer of the
//! default pipeline on a synthetic article (built here), measured with `Doc::heap_bytes`.
//! Every sentence of this article carries an attribution, names, a date, an amount and a
//! place, so it holds about three times the annotations per byte that news text does: it
//! measured 61.9 bytes per byte of text once layers were trimmed to size (docs/evaluation.md,
//! memory section), and 75.9 once the claims layer was added (a claim per sentence, linked to
//! every entity, amount, time and place in it, with its strongest features in its reason), and
//! 52.1 once attribute keys, link roles and layers became interned names and enumerated
//! values were borrowed from the binary. A layer that grows its items or keeps spare capacity
//! shows up here.

use claimlens_core::Doc;
use claimlens_pipeline::Pipeline;

/// About `bytes` of news-like paragraphs: attributions, names, dates, amounts and places,
/// varied so the entity and speaker layers see many distinct names.
fn article(bytes: usize) -> String {
    let people = [
        "Maria Lopez",
        "John Carter",
        "Ahmed Nasser",
        "Li Wei",
        "Anna Berg",
    ];
    let places = ["Paris", "Nairobi", "Texas", "Moscow", "Lima"];
    let mut text = String::new();
    let mut i = 0usize;
    while text.len() < bytes {
        let (who, place) = (people[i % 5], places[(i / 5) % 5]);
        text.push_str(&format!(
            "“The talks in {place} will resume on Monday,” {who} said on March {day}, 2016. \
             The ministry of {place} spent $ {amount} million on {n} new schools, according \
             to officials who asked not to be named. {who} told Reuters that about {pct} \
             percent of voters in {place} backed the plan.\n\n",
            day = 1 + i % 28,
            amount = 10 + i % 90,
            n = 3 + i % 40,
            pct = 20 + i % 60,
        ));
        i += 1;
    }
    text
}

#[test]
fn an_annotation_dense_document_holds_at_most_sixty_bytes_per_byte_of_text() {
    let text = article(64 * 1024);
    let mut doc = Doc::new("memory", text);
    Pipeline::default_pipeline().run_with_reference_date(&mut doc, Some("2016-03-01"));
    assert!(doc.layer("attributions").unwrap().annotations.len() > 500);
    let ratio = doc.heap_bytes() as f64 / doc.text().len() as f64;
    println!("{ratio:.1} bytes per byte of text");
    assert!(
        ratio <= 60.0,
        "the analyzed document holds {ratio:.1} bytes per byte of text"
    );
}
