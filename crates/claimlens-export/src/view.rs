//! The report view: what every writer renders, built once per document — the document, its
//! diagnostics and the byte → code-point index. The JSON, JSONL, text and HTML writers all
//! take a [`DocView`], so none of them builds its own index, and a server renders exactly
//! what the CLI does.
//!
//! The [`Digests`] borrow from the document and are built by the writer that renders them:
//! the text and HTML reports build them all once per document, while the JSON export reads
//! each from the layers just as it writes it, holding one at a time, and the ranked claims
//! and source chains (the largest) one entry at a time (together they cost several bytes
//! per byte of text).

use claimlens_core::{CharIndex, Diagnostic, Doc, Span};

use crate::digest::{
    entity_list, known_narratives, place_list, ranked_claims, source_chains, technique_list,
    timeline, who_said_what, ClaimEntry, EntityEntry, KnownNarratives, PlaceEntry, Said,
    SourceChain, TechniqueEntry, TimelineEntry,
};

/// The per-document summaries the reports print beside the raw layers.
#[derive(Debug, Clone, Default)]
pub struct Digests<'a> {
    /// The `claims` layer's claims by rank, most check-worthy first.
    pub claims: Vec<ClaimEntry<'a>>,
    /// Attributions grouped by canonical speaker, in order of first appearance.
    pub who_said_what: Vec<(String, Vec<Said>)>,
    /// One chain per claim, as the sourcing stage decided them.
    pub source_chains: Vec<SourceChain<'a>>,
    /// Entities in order of first mention.
    pub entities: Vec<EntityEntry>,
    /// Resolved places and relative locations.
    pub places: Vec<PlaceEntry>,
    /// Dated expressions in calendar order.
    pub timeline: Vec<TimelineEntry>,
    /// Persuasion techniques, most spans first.
    pub techniques: Vec<TechniqueEntry>,
    /// Known narratives the claims match; `None` without a `narratives` layer.
    pub narratives: Option<KnownNarratives>,
}

impl Digests<'_> {
    /// Reads every digest from the document's layers.
    pub fn of(doc: &Doc) -> Digests<'_> {
        Digests {
            claims: ranked_claims(doc),
            who_said_what: who_said_what(doc),
            source_chains: source_chains(doc),
            entities: entity_list(doc),
            places: place_list(doc),
            timeline: timeline(doc),
            techniques: technique_list(doc),
            narratives: known_narratives(doc),
        }
    }
}

/// One analyzed document, ready to render.
#[derive(Debug)]
pub struct DocView<'a> {
    /// The document.
    pub doc: &'a Doc,
    /// What the stages reported while analyzing it.
    pub diagnostics: &'a [Diagnostic],
    /// Byte → code-point offsets of its text.
    pub index: CharIndex<'a>,
}

impl<'a> DocView<'a> {
    /// Builds the view: indexes the text.
    pub fn new(doc: &'a Doc, diagnostics: &'a [Diagnostic]) -> DocView<'a> {
        DocView {
            doc,
            diagnostics,
            index: CharIndex::new(doc.text()),
        }
    }

    /// A byte span as code-point offsets.
    pub fn chars(&self, span: Span) -> (u32, u32) {
        (
            self.index.char_offset(span.start),
            self.index.char_offset(span.end),
        )
    }
}
