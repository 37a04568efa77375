//! Unit tests of the span tagger: training on a toy text, the rules applied to tagged spans,
//! the gold tags of each layer, and the model format.

use super::*;
use crate::Segmenter;
use claimlens_core::Stage;

fn doc(text: &str) -> Doc {
    let mut d = Doc::new("t", text);
    Segmenter.run(&mut d);
    d
}

#[test]
fn learns_short_spans_and_tags_them_in_new_sentences() {
    let train_doc = doc("The vile mob marched on. Our brave soldiers stood firm. The mob left.");
    let vile = train_doc.text().find("vile").unwrap();
    let spans = [(14u8, Span::new(vile, vile + 4))];
    let docs: Vec<(&Doc, &[(u8, Span)])> = (0..5).map(|_| (&train_doc, &spans[..])).collect();
    let tagger = train(docs, &TaggerOptions::default());
    let bytes = tagger.to_bytes();
    let tagger = Tagger::from_bytes(&bytes).unwrap();
    let test = doc("A vile crowd gathered.");
    let hits = tagger.find(&test, &mut Scratch::default());
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(test.slice(hits[0].span), "vile");
    assert_eq!(hits[0].technique, 14);
    assert!((0.0..=1.0).contains(&hits[0].score));
    assert!(
        hits[0].margin > 0.0,
        "the span's tags beat every alternative"
    );
    assert!(Tagger::default()
        .find(&test, &mut Scratch::default())
        .is_empty());
}

#[test]
fn a_doubt_stub_in_a_question_runs_to_its_question_mark() {
    let d = doc("How could anyone believe the official story? Nobody did.");
    let roles = layer_roles(1);
    let doubt = roles.iter().position(|&r| r == DOUBT).unwrap() as u8;
    let question = tokens_within(&d.tokens, d.sentences[0].span);
    let mut tags = vec![bio::O; question.len()];
    tags[0] = bio::begin(doubt);
    let scores = vec![[0f32; TAGS]; tags.len()];
    let seen = vec![(0, 0); tags.len()];
    let mut out = Vec::new();
    spans_of_part(&d, question.start, roles, &tags, &scores, &seen, &mut out);
    assert_eq!(
        d.slice(out[0].span),
        "How could anyone believe the official story?"
    );
    // Not in a statement, and not for other techniques.
    let statement = tokens_within(&d.tokens, d.sentences[1].span);
    let mut tags = vec![bio::O; statement.len()];
    tags[0] = bio::begin(doubt);
    out.clear();
    spans_of_part(
        &d,
        statement.start,
        roles,
        &tags,
        &scores[..tags.len()],
        &seen[..tags.len()],
        &mut out,
    );
    assert_eq!(d.slice(out[0].span), "Nobody");
    let mut tags = vec![bio::O; question.len()];
    tags[0] = bio::begin(0);
    out.clear();
    spans_of_part(&d, question.start, roles, &tags, &scores, &seen, &mut out);
    assert_eq!(d.slice(out[0].span), "How");
}

#[test]
fn repetition_spans_must_repeat_something_the_text_said_before() {
    let d = doc("The migrant invasion began. We fear the migrant invasion. Invasion!");
    let mut x = Scratch::default();
    x.document(&d);
    let at = |w: &str, nth: usize| {
        let start = d.text().match_indices(w).nth(nth).unwrap().0;
        d.tokens
            .iter()
            .position(|t| t.span.start as usize == start)
            .unwrap()
    };
    // "the migrant invasion" the second time: both words and both pairs seen before
    // (a pair needs one word of four letters or more).
    let (m2, i2) = (at("migrant", 1), at("invasion", 1));
    assert_eq!(x.seen[m2], (1, 3));
    assert_eq!(x.seen[i2], (1, 2));
    assert_eq!(x.seen[at("migrant", 0)], (0, 0), "a first use");
    assert_eq!(x.seen[at("Invasion", 0)].0, 2, "case is ignored");
    assert_eq!(x.seen[at("fear", 0)], (0, 0));
    let roles = layer_roles(0);
    let repetition = roles.iter().position(|&r| r == REPETITION).unwrap() as u8;
    let mut out = Vec::new();
    for s in &d.sentences[..2] {
        let r = tokens_within(&d.tokens, s.span);
        let mut tags = vec![bio::O; r.len()];
        let m = r
            .clone()
            .position(|i| d.slice(d.tokens[i].span) == "migrant");
        let m = m.unwrap();
        tags[m] = bio::begin(repetition);
        tags[m + 1] = bio::inside(repetition);
        let scores = vec![[0f32; TAGS]; tags.len()];
        spans_of_part(
            &d,
            r.start,
            roles,
            &tags,
            &scores,
            &x.seen[r.clone()],
            &mut out,
        );
    }
    assert_eq!(out.len(), 1, "the first use is not a repetition: {out:?}");
    assert_eq!(d.slice(out[0].span), "migrant invasion");
    assert!(out[0].span.start as usize > d.text().find("We").unwrap());
}

#[test]
fn gold_tags_keep_the_shorter_of_overlapping_spans() {
    let d = doc("They are vile lying thugs.");
    let all = tokens_within(&d.tokens, d.sentences[0].span);
    let lying = d.text().find("vile lying thugs").unwrap();
    let spans = vec![
        (18u8, Span::new(lying, lying + 16)),
        (14u8, Span::new(lying, lying + 4)),
    ];
    let tags = gold_tags(&d, all, &spans, layer_roles(0));
    assert_eq!(tags[2], bio::begin(0));
    assert_eq!(&tags[3..], &[bio::O, bio::O, bio::O]);
}

#[test]
fn a_loaded_word_inside_a_doubt_keeps_both_in_their_layers() {
    let d = doc("Can we trust these lying thugs?");
    let all = tokens_within(&d.tokens, d.sentences[0].span);
    let lying = d.text().find("lying").unwrap();
    let spans = vec![
        (DOUBT, Span::new(0, d.text().len())),
        (14u8, Span::new(lying, lying + 5)),
    ];
    let short = gold_tags(&d, all.clone(), &spans, layer_roles(0));
    let loaded = layer_roles(0).iter().position(|&r| r == 14).unwrap() as u8;
    assert_eq!(short[4], bio::begin(loaded));
    assert_eq!(short.iter().filter(|&&t| t != bio::O).count(), 1);
    let long = gold_tags(&d, all, &spans, layer_roles(1));
    let doubt = layer_roles(1).iter().position(|&r| r == DOUBT).unwrap() as u8;
    assert_eq!(long[0], bio::begin(doubt));
    assert!(
        long[1..].iter().all(|&t| t == bio::inside(doubt)),
        "{long:?}"
    );
}

#[test]
fn the_layers_cover_every_role_once_and_fit_the_tag_set() {
    let mut covered: Vec<usize> = LAYERS.iter().flat_map(|l| l.clone()).collect();
    covered.sort_unstable();
    assert_eq!(covered, (0..ROLES.len()).collect::<Vec<_>>());
    assert!(LAYERS.iter().all(|l| l.len() <= LAYER_ROLES));
    // An untrained tagger round-trips and an earlier single-layer blob is refused.
    let t = Tagger::default();
    assert_eq!(Tagger::from_bytes(&t.to_bytes()).unwrap().layers.len(), 0);
    let err = Tagger::from_bytes(b"CLTTAG01rest").unwrap_err();
    assert!(err.0.contains("retrain"), "{err}");
    assert!(
        Tagger::from_bytes(b"CLTTAG02\x02\x09").is_err(),
        "truncated"
    );
}
