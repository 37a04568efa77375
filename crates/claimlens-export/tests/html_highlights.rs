//! The HTML report's reading order and highlights: the panel in the order a reader wants it,
//! quotes and speakers shown by default and every other layer switchable, and the data each
//! highlight carries for its info card (layer title, reason, score as a percentage) and for
//! the `linked` marks (a quote → its speaker, a speaker → their quotes, a claim → its source
//! chain's steps, an entity mention → its other mentions). The layers are built here, as the
//! pipeline's stages write them.

use std::borrow::Cow;

use claimlens_core::{Annotation, BoundaryRule, Doc, Layer, Paragraph, Reason, Sentence, Span};
use claimlens_export::{write_html, DocView};
use claimlens_schema::{
    label, layer, link, role, Attribution, ChainStep, ContentPart, StepRole, LAYERS,
};

const TEXT: &str = "Ana Ruiz said the port closes on Friday. \
                    Ruiz told the Harbour Post that fares rise. Ana Ruiz warned.";

fn at(needle: &str) -> Span {
    let s = TEXT.find(needle).expect(needle);
    Span::new(s, s + needle.len())
}

/// "Ruiz" in "Ruiz told".
fn ruiz() -> Span {
    let s = TEXT.find("Ruiz told").unwrap();
    Span::new(s, s + 4)
}

fn rule(stage: &'static str) -> Reason {
    Reason::rule(stage, "test")
}

/// Parts 0–2: source, cue, content of "Ana Ruiz said …"; 3–5: "Ruiz told … that fares rise";
/// 6–7: source and cue of "Ana Ruiz warned", which has no content.
fn document() -> Doc {
    let mut doc = Doc::new("highlights", TEXT);
    doc.paragraphs.push(Paragraph {
        span: Span::new(0, TEXT.len()),
    });
    for s in [
        "Ana Ruiz said the port closes on Friday.",
        "Ruiz told the Harbour Post that fares rise.",
        "Ana Ruiz warned.",
    ] {
        doc.sentences.push(Sentence {
            span: at(s),
            paragraph: 0,
            end_rule: BoundaryRule::TerminalPunctuation,
        });
    }
    let second = TEXT.rfind("Ana Ruiz").unwrap();
    let mut parts = Layer::new(layer::ATTRIBUTION_PARTS, "attribution");
    for (span, l) in [
        (at("Ana Ruiz"), "SOURCE"),
        (at("said"), "CUE"),
        (at("the port closes on Friday"), "CONTENT"),
        (ruiz(), "SOURCE"),
        (at("told"), "CUE"),
        (at("that fares rise"), "CONTENT"),
        (Span::new(second, second + 8), "SOURCE"),
        (at("warned"), "CUE"),
    ] {
        parts.push(Annotation::new(
            span,
            l,
            Reason::scored("attribution", "cue+arguments", 0.125),
        ));
    }
    doc.insert_layer(parts).unwrap();
    let mut relations = Layer::new(layer::ATTRIBUTIONS, "attribution");
    for (cue, source, content) in [(1, 0, Some(2)), (4, 3, Some(5)), (7, 6, None)] {
        let r = Attribution {
            index: 0,
            anchor: doc.layer(layer::ATTRIBUTION_PARTS).unwrap().annotations[cue].span,
            cue: Some(cue as u32),
            source: Some(source),
            content: content
                .map(|part| ContentPart {
                    part,
                    continuation: false,
                })
                .into_iter()
                .collect(),
        };
        relations.push(r.annotation(rule("attribution")));
    }
    doc.insert_layer(relations).unwrap();
    // All three sources resolve to one speaker.
    let mut speakers = Layer::new(layer::SPEAKERS, "sourcing");
    for part in [0, 3, 6] {
        let span = doc.layer(layer::ATTRIBUTION_PARTS).unwrap().annotations[part as usize].span;
        speakers.push(
            Annotation::new(span, "Ana Ruiz", rule("sourcing")).with_link(link(
                role::MENTION,
                layer::ATTRIBUTION_PARTS,
                part,
            )),
        );
    }
    doc.insert_layer(speakers).unwrap();
    let mut outlets = Layer::new(layer::OUTLETS, "sourcing");
    outlets.push(
        Annotation::new(at("the Harbour Post"), label::OUTLET, rule("sourcing"))
            .with_attr("role", "addressee"),
    );
    doc.insert_layer(outlets).unwrap();
    // The chain of the second attribution: the outlet it was told to, the speaker, the content.
    let mut chains = Layer::new(layer::SOURCE_CHAINS, "sourcing");
    let step = |n: u32, role: StepRole, cue, evidence: (&'static str, u32)| ChainStep {
        chain: 0,
        step: n,
        role,
        name: String::new(),
        kind: "".into(),
        claim: 1,
        cue,
        evidence: vec![(Cow::Borrowed(evidence.0), evidence.1)],
        sourcing: None,
    };
    for (s, span) in [
        (
            step(0, StepRole::Outlet, None, (layer::OUTLETS, 0)),
            at("the Harbour Post"),
        ),
        (
            step(1, StepRole::Speaker, Some(1), (layer::SPEAKERS, 1)),
            ruiz(),
        ),
        (
            step(2, StepRole::Content, None, (layer::ATTRIBUTION_PARTS, 5)),
            at("that fares rise"),
        ),
    ] {
        chains.push(s.annotation(span, rule("sourcing")));
    }
    doc.insert_layer(chains).unwrap();
    let mut entities = Layer::new(layer::ENTITIES, "entities");
    entities.push(Annotation::new(at("Ana Ruiz"), "PERSON", rule("entities")));
    entities.push(Annotation::new(ruiz(), "PERSON", rule("entities")));
    doc.insert_layer(entities).unwrap();
    let mut groups = Layer::new(layer::ENTITY_GROUPS, "entities");
    groups.push(
        Annotation::new(at("Ana Ruiz"), "PERSON", rule("entities"))
            .with_attr("canonical", "Ana Ruiz")
            .with_link(link(role::MENTION, layer::ENTITIES, 0))
            .with_link(link(role::MENTION, layer::ENTITIES, 1)),
    );
    doc.insert_layer(groups).unwrap();
    let mut times = Layer::new(layer::TIMES, "temporal");
    times.push(Annotation::new(at("Friday"), "DATE", rule("temporal")));
    doc.insert_layer(times).unwrap();
    let mut claims = Layer::new(layer::CLAIMS, "claims");
    claims.push(
        Annotation::new(at("that fares rise"), label::CLAIM, rule("claims"))
            .with_attr("rank", 1i64)
            .with_link(link(role::ATTRIBUTION, layer::ATTRIBUTIONS, 1)),
    );
    doc.insert_layer(claims).unwrap();
    doc
}

fn report(doc: &Doc) -> String {
    let mut out = Vec::new();
    write_html(&mut out, &[DocView::new(doc, &[])]).unwrap();
    String::from_utf8(out).unwrap()
}

/// The index of layer `name` in the document (what `l{k}` and `d1-a{k}-…` use).
fn k(doc: &Doc, name: &str) -> usize {
    doc.layers().iter().position(|l| l.name == name).unwrap()
}

/// The opening tag of the first fragment of annotation `j` of layer `name`.
fn mark<'h>(html: &'h str, doc: &Doc, name: &str, j: usize) -> &'h str {
    let id = format!("id=\"d1-a{}-{j}\"", k(doc, name));
    let at = html.find(&id).unwrap_or_else(|| panic!("{id}"));
    let start = html[..at].rfind("<mark").unwrap();
    &html[start..at + html[at..].find('>').unwrap()]
}

/// The highlights a mark links to, from its `data-links`.
fn links(tag: &str) -> Vec<String> {
    let Some(at) = tag.find("data-links=\"") else {
        return Vec::new();
    };
    let list = &tag[at + 12..];
    list[..list.find('"').unwrap()]
        .split(';')
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_panel_reads_in_the_order_a_reader_wants() {
    let html = report(&document());
    let pos = |summary: &str| {
        html.find(&format!("<summary>{summary}"))
            .unwrap_or_else(|| panic!("no section {summary}"))
    };
    let order = [
        html.find("<legend>Highlights</legend>").unwrap(),
        pos("Claims (ranked)"),
        pos("Who said what"),
        pos("Source chains"),
        pos("Entities"),
        pos("Timeline"),
        pos("Sentences"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The sentence list is last and collapsed.
    assert!(html.contains("<details class=\"sec\"><summary>Sentences"));
    // Panels and toggles never use internal layer names.
    for l in ["attribution-parts", "entity-groups", "source-chains"] {
        assert!(!html.contains(&format!("<bdi>{l}</bdi>")), "{l}");
    }
    for title in ["Quotes and speakers", "People, organisations and places"] {
        assert!(html.contains(&format!("<bdi>{title}</bdi>")), "{title}");
    }
}

#[test]
fn quotes_and_speakers_are_shown_and_the_rest_is_switchable() {
    let doc = document();
    let html = report(&doc);
    let primary = k(&doc, layer::ATTRIBUTION_PARTS);
    let article = &html[html.find("<article").unwrap()..];
    let classes = &article[..article.find('>').unwrap()];
    for (i, l) in doc.layers().iter().enumerate() {
        let hidden =
            classes.contains(&format!(" hide-l{i} ")) || classes.contains(&format!(" hide-l{i}\""));
        assert_eq!(hidden, i != primary, "{}: {classes}", l.name);
        let checked = html.contains(&format!("checked data-hide=\"hide-l{i}\""));
        assert_eq!(checked, i == primary, "{}", l.name);
    }
    assert!(
        classes.contains("hide-sent"),
        "no sentence shading at first"
    );
    // Quotes, speakers and verbs are told apart; other layers get their own line style.
    assert!(mark(&html, &doc, layer::ATTRIBUTION_PARTS, 2).contains("class=\"m l0 pq "));
    assert!(mark(&html, &doc, layer::ATTRIBUTION_PARTS, 0).contains(" ps "));
    assert!(mark(&html, &doc, layer::ATTRIBUTION_PARTS, 1).contains(" pv "));
    let times = LAYERS.iter().position(|l| l.name == layer::TIMES).unwrap();
    assert!(mark(&html, &doc, layer::TIMES, 0).contains(&format!(" k{times} ")));
    assert!(html.contains(&format!(".k{times}{{--c:var(--oi-vermillion);--ls:solid}}")));
}

#[test]
fn highlights_carry_their_info_card_and_links() {
    let doc = document();
    let html = report(&doc);
    let id = |name: &str, j: usize| format!("d1-a{}-{j}", k(&doc, name));
    let quote = mark(&html, &doc, layer::ATTRIBUTION_PARTS, 5);
    assert!(
        quote.contains("data-title=\"Quotes and speakers\""),
        "{quote}"
    );
    assert!(quote.contains("data-stage=\"attribution\" data-rule=\"cue+arguments\""));
    // 12.5 rounds half away from zero, as the script and a reader round.
    assert!(quote.contains("data-score=\"13%\""), "{quote}");
    let linked = links(quote);
    assert!(linked.contains(&format!("{}|speaker", id(layer::ATTRIBUTION_PARTS, 3))));
    assert!(linked.contains(&format!("{}|speaker", id(layer::SPEAKERS, 1))));
    // A speaker links to every quote of the same canonical speaker, under any of its names.
    let speaker = links(mark(&html, &doc, layer::ATTRIBUTION_PARTS, 0));
    for q in [2, 5] {
        assert!(speaker.contains(&format!("{}|quote", id(layer::ATTRIBUTION_PARTS, q))));
    }
    // A claim links to its source chain's steps: the outlet, the speaker, the content.
    let claim = links(mark(&html, &doc, layer::CLAIMS, 0));
    for step in [
        format!("{}|outlet", id(layer::OUTLETS, 0)),
        format!("{}|speaker", id(layer::SPEAKERS, 1)),
    ] {
        assert!(claim.contains(&step), "{claim:?} lacks {step}");
    }
    assert!(claim
        .iter()
        .any(|l| l.starts_with(&id(layer::ATTRIBUTION_PARTS, 5))));
    // An entity mention links to its other mentions.
    let mention = links(mark(&html, &doc, layer::ENTITIES, 1));
    assert!(mention.contains(&format!("{}|same entity", id(layer::ENTITIES, 0))));
}

#[test]
fn who_said_what_shows_the_verb_the_addressee_and_never_an_empty_quote() {
    let html = report(&document());
    let start = html.find("<summary>Who said what").unwrap();
    let section = &html[start..start + html[start..].find("</details>").unwrap()];
    assert!(section.contains(
        "<span class=\"rule\">told</span> <bdi class=\"to\">the Harbour Post</bdi> <span class=\"sep\">—</span> <bdi class=\"snip\">“that fares rise”</bdi>"
    ), "{section}");
    assert!(section.contains("<span class=\"rule\">said</span> <span class=\"sep\">—</span>"));
    // "Ana Ruiz warned." has no content: it is not listed.
    assert!(!section.contains(">warned<"), "{section}");
    assert!(section.contains("<strong><bdi>Ana Ruiz</bdi></strong> <span class=\"n\">(2)</span>"));
}
