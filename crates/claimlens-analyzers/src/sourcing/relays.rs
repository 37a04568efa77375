//! Relays: which attribution passes on which, and through which outlets. A cue ending in a
//! colon ("Press TV reports:") relays the attributions after it in its paragraph; an
//! attribution whose cue lies inside another's content is relayed by it; "told <outlet>" names
//! the outlet a speaker spoke through.

use claimlens_core::{Doc, Layer, Span};

use super::{outlets, Rel};

/// How many earlier attributions may relay a later one.
const RELAY_WINDOW: usize = 64;

/// How one attribution came to the article, when not straight from its speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Relay {
    /// Position in the relation list of the attribution relaying this one.
    pub relayer: Option<usize>,
    /// The relayer's content holds this attribution's cue and the relayer's cue is no colon:
    /// this is a source the relayer's speaker cites ("X said that, according to Y, …"), not a
    /// voice the relayer passes on ("Radio Z reported: Y said …").
    pub cited: bool,
    /// `relay`, `told-outlet` or `relay+told-outlet`.
    pub rule: &'static str,
    /// The `outlets` the step passes through: the addressee of "told" first, then the
    /// relaying and the relayed source when they name an outlet.
    pub outlets: Vec<u32>,
}

/// The relay of each relation (same order as `rels`), and the `outlets` layer they name:
/// the addressee of "told" and any relaying or relayed source that names an outlet.
pub(super) fn relays(
    doc: &Doc,
    rels: &[Rel],
    who: &dyn Fn(usize) -> String,
) -> (Vec<Option<Relay>>, Layer) {
    let mut outlets = outlets::Outlets::default();
    // Paragraphs are sorted: the one holding a span is found by binary search.
    let paragraph_of = |s: Span| {
        let k = doc.paragraphs.partition_point(|p| p.span.end < s.end);
        doc.paragraphs
            .get(k)
            .filter(|p| p.span.contains(s))
            .map(|_| k)
    };
    let mut found = Vec::with_capacity(rels.len());
    for (b, rb) in rels.iter().enumerate() {
        // Relays are local: look back over the previous RELAY_WINDOW relations only, which
        // keeps a document with thousands of attributions linear.
        let window = b.saturating_sub(RELAY_WINDOW)..b;
        let colon = |ra: &Rel| doc.slice(ra.cue).trim_end().ends_with(':');
        let holds = |ra: &Rel| ra.content.iter().any(|c| c.contains(rb.cue));
        let relayer = rels[window.clone()]
            .iter()
            .zip(window)
            .rev()
            .find(|(ra, _)| {
                ra.cue.start < rb.cue.start
                    && ((colon(ra) && paragraph_of(ra.cue) == paragraph_of(rb.cue)) || holds(ra))
            })
            .map(|(_, a)| a);
        let cited = relayer.is_some_and(|a| !colon(&rels[a]) && holds(&rels[a]));
        let told = outlets::told_outlet(doc.text(), rb.cue);
        if relayer.is_none() && told.is_none() {
            found.push(None);
            continue;
        }
        let mut through: Vec<u32> = told
            .map(|span| outlets.addressee(span))
            .into_iter()
            .collect();
        // Voices that are outlets: the relaying one ("Press TV reports:"), then the relayed
        // one ("…, according to the Daily Post, …"). The speaker must name the outlet too,
        // so "the Daily Post's Ines Vidal" is a person, not an outlet.
        for i in relayer.into_iter().chain([b]) {
            if let (Some(span), Some(part)) = (rels[i].source, rels[i].source_part) {
                through.extend(outlets.source(doc.text(), span, &who(i), part));
            }
        }
        found.push(Some(Relay {
            relayer,
            cited,
            rule: match (relayer.is_some(), told.is_some()) {
                (true, true) => "relay+told-outlet",
                (true, false) => "relay",
                _ => "told-outlet",
            },
            outlets: through,
        }));
    }
    (found, outlets.into_layer())
}
