//! What each highlight is linked to, for the info card a click opens and the `linked` class
//! the script puts on the linked highlights. Everything here is read from the layers' links
//! and the digests, which the pipeline decided; the script only shows the list.
//!
//! * every annotation → the annotations its own links point at (role as stored);
//! * a quote (an `attribution-parts` content part) → its speaker's source part and `speakers`
//!   annotation, and its reporting verb;
//! * a speaker (a source part, or a `speakers` annotation) → every quote of every attribution
//!   whose source was resolved to the same canonical speaker (the speaker's own attributions
//!   when it was not resolved to a name);
//! * a claim → the highlights of its source chain's steps (outlet, voices, content);
//! * an entity mention → the other mentions of its entity (its aliases included).

use std::collections::HashMap;

use claimlens_core::Doc;
use claimlens_schema::{layer, role, Attribution, SpeakerIndex};

use crate::SourceChain;

/// A highlight: (layer index in the document, annotation index).
pub(super) type MarkRef = (usize, usize);

/// Each highlight's links: (role, target), in the order they are shown, without repeats.
#[derive(Debug, Default)]
pub(super) struct Links {
    by_mark: HashMap<MarkRef, Vec<(String, MarkRef)>>,
}

impl Links {
    /// The links of highlight `m` (empty when it has none).
    pub(super) fn of(&self, m: MarkRef) -> &[(String, MarkRef)] {
        self.by_mark.get(&m).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, from: MarkRef, role: &str, to: MarkRef) {
        if from == to {
            return;
        }
        let list = self.by_mark.entry(from).or_default();
        if !list.iter().any(|(_, t)| *t == to) {
            list.push((role.to_owned(), to));
        }
    }

    /// Reads the links of every highlight of `doc`.
    pub(super) fn of_doc(doc: &Doc, chains: &[SourceChain<'_>]) -> Links {
        let mut links = Links::default();
        let k_of = |name: &str| doc.layers().iter().position(|l| l.name == name);
        let exists = |k: usize, j: usize| doc.layers()[k].annotations.len() > j;
        // The annotations' own links.
        for (k, l) in doc.layers().iter().enumerate() {
            for (j, a) in l.annotations.iter().enumerate() {
                for link in &a.links {
                    if let Some(tk) = k_of(&link.layer) {
                        if exists(tk, link.index as usize) {
                            links.add((k, j), &link.role, (tk, link.index as usize));
                        }
                    }
                }
            }
        }
        links.quotes_and_speakers(doc, &k_of);
        links.claims(doc, chains, &k_of);
        links.mentions(doc, &k_of);
        links
    }

    fn quotes_and_speakers(&mut self, doc: &Doc, k_of: &dyn Fn(&str) -> Option<usize>) {
        let (Some(read), Some(pk)) = (Attribution::read_all(doc), k_of(layer::ATTRIBUTION_PARTS))
        else {
            return;
        };
        let speakers = SpeakerIndex::new(doc);
        let sk = k_of(layer::SPEAKERS);
        // Who each attribution's source is: its canonical name, or (not resolved to a name)
        // its own source part.
        let who = |r: &Attribution| {
            let part = r.source?;
            Some(match speakers.name_of_part(part) {
                Some(name) => (Some(name), 0),
                None => (None, part),
            })
        };
        let mut quotes_of: HashMap<(Option<&str>, u32), Vec<usize>> = HashMap::new();
        for r in &read.all {
            if let Some(w) = who(r) {
                let quotes = quotes_of.entry(w).or_default();
                quotes.extend(r.content.iter().map(|c| c.part as usize));
            }
        }
        for r in &read.all {
            let source = r.source.map(|p| (pk, p as usize));
            let speaker = r
                .source
                .and_then(|p| Some((sk?, speakers.of_part(p)?.0 as usize)));
            for c in &r.content {
                let quote = (pk, c.part as usize);
                for s in [source, speaker].into_iter().flatten() {
                    self.add(quote, "speaker", s);
                }
                if let Some(cue) = r.cue {
                    self.add(quote, "reporting verb", (pk, cue as usize));
                }
            }
            let Some(quotes) = who(r).and_then(|w| quotes_of.get(&w)) else {
                continue;
            };
            for from in [source, speaker].into_iter().flatten() {
                for &q in quotes {
                    self.add(from, "quote", (pk, q));
                }
            }
        }
    }

    fn claims(
        &mut self,
        doc: &Doc,
        chains: &[SourceChain<'_>],
        k_of: &dyn Fn(&str) -> Option<usize>,
    ) {
        let Some(ck) = k_of(layer::CLAIMS) else {
            return;
        };
        let by_relation: HashMap<usize, &SourceChain<'_>> =
            chains.iter().map(|c| (c.relation, c)).collect();
        for (j, a) in doc.layers()[ck].annotations.iter().enumerate() {
            let relations = a
                .links
                .iter()
                .filter(|l| l.role == role::ATTRIBUTION && l.layer == layer::ATTRIBUTIONS);
            for l in relations {
                let Some(chain) = by_relation.get(&(l.index as usize)) else {
                    continue;
                };
                for step in &chain.steps {
                    let refs = step.spans.iter().chain(&step.cue);
                    for (name, i) in refs.filter_map(|r| r.target) {
                        if let Some(tk) = k_of(name) {
                            self.add((ck, j), step.role.as_str(), (tk, i));
                        }
                    }
                }
            }
        }
    }

    fn mentions(&mut self, doc: &Doc, k_of: &dyn Fn(&str) -> Option<usize>) {
        let (Some(gk), Some(ek)) = (k_of(layer::ENTITY_GROUPS), k_of(layer::ENTITIES)) else {
            return;
        };
        for group in &doc.layers()[gk].annotations {
            let mentions: Vec<usize> = group
                .links
                .iter()
                .filter(|l| l.role == role::MENTION && l.layer == layer::ENTITIES)
                .map(|l| l.index as usize)
                .filter(|&i| doc.layers()[ek].annotations.len() > i)
                .collect();
            for &m in &mentions {
                for &other in &mentions {
                    self.add((ek, m), "same entity", (ek, other));
                }
            }
        }
    }
}
