//! The claimlens layer schema: the one place that names every layer, its labels and its link
//! roles, and reads and writes the layers whose structure other code relies on.
//!
//! # Brief overview
//!
//! * [`layer`]: every layer name, and [`LAYERS`], the catalogue (name, producing stage and
//!   the title readers see) that `docs/schema.md` documents and the pipeline checks stages
//!   against.
//! * [`role`]: every link role; [`label`]: the labels readers test for.
//! * [`Attribution`]: an `attributions` relation and the `attribution-parts` it links,
//!   written by the attribution stage (and the gold readers of evaluation), read by sourcing
//!   and the digests.
//! * [`SpeakerIndex`]: which `speakers` annotation resolved each source mention.
//! * [`ChainStep`]: one step of a whole source chain in the `source-chains` layer, decided by
//!   the sourcing stage and only read elsewhere.
//!
//! Stages and readers spell layer names and link roles through these constants only, so a
//! renamed layer is one edit and a typo is a compile error.
//!
//! ```
//! use claimlens_core::{Doc, Layer};
//! use claimlens_schema::{layer, Attribution};
//!
//! let doc = Doc::new("d", "Nobody spoke.");
//! assert!(Attribution::read_all(&doc).is_none());
//! assert_eq!(layer::ATTRIBUTIONS, "attributions");
//! ```

mod attribution;
mod chains;
mod speakers;

use claimlens_core::{Link, Span};

pub use attribution::{Attribution, AttributionLayers, ContentPart};
pub use chains::{ChainStep, StepRole};
pub use speakers::{is_resolved, SpeakerIndex};

/// Layer names, one constant per layer.
pub mod layer {
    /// Paragraph spans (segmentation; a top-level array in exports).
    pub const PARAGRAPHS: &str = "paragraphs";
    /// Sentence spans (segmentation).
    pub const SENTENCES: &str = "sentences";
    /// Tokens (segmentation).
    pub const TOKENS: &str = "tokens";
    /// Source, cue and content spans of attributions.
    pub const ATTRIBUTION_PARTS: &str = "attribution-parts";
    /// Attribution relations, anchored on their cues.
    pub const ATTRIBUTIONS: &str = "attributions";
    /// Canonical speakers of attribution sources.
    pub const SPEAKERS: &str = "speakers";
    /// News outlets that source chains pass through.
    pub const OUTLETS: &str = "outlets";
    /// Whole source chains, one annotation per step.
    pub const SOURCE_CHAINS: &str = "source-chains";
    /// Per-sentence sourcing labels and a summary.
    pub const SOURCING: &str = "sourcing";
    /// Typed name mentions.
    pub const ENTITIES: &str = "entities";
    /// One annotation per entity, linking its mentions.
    pub const ENTITY_GROUPS: &str = "entity-groups";
    /// Time expressions.
    pub const TIMES: &str = "times";
    /// Money, percentages, counts and quantities.
    pub const AMOUNTS: &str = "amounts";
    /// Noun phrases that counts quantify.
    pub const QUANTIFIED: &str = "quantified";
    /// Places resolved against the gazetteer, and relative locations.
    pub const PLACES: &str = "places";
    /// Checkable claims, scored for check-worthiness, typed and ranked.
    pub const CLAIMS: &str = "claims";
    /// Persuasion techniques (SemEval-2023 Task 3 subtask 3), one annotation per span.
    pub const TECHNIQUES: &str = "techniques";
    /// What is said of the document as a whole (SemEval-2023 Task 3 subtasks 1 and 2): its
    /// genre and frames, each annotation spanning the whole text.
    pub const DOCUMENT: &str = "document";
    /// Known narratives (fact-checks, documented disinformation cases) each claim resembles,
    /// and the article's best; assigned by the `narratives` stage, which a front-end adds when
    /// it has a store of cases.
    pub const NARRATIVES: &str = "narratives";
}

/// Link roles, one constant per role.
pub mod role {
    /// An attribution's cue part.
    pub const CUE: &str = "cue";
    /// An attribution's source part.
    pub const SOURCE: &str = "source";
    /// An attribution's content fragment.
    pub const CONTENT: &str = "content";
    /// A content fragment in a later paragraph than the cue.
    pub const CONTINUATION: &str = "continuation";
    /// The mention an annotation stands for (speakers → parts, entity groups → entities,
    /// outlets → parts).
    pub const MENTION: &str = "mention";
    /// The earlier speaker a pronoun, role or surname resolves to.
    pub const ANTECEDENT: &str = "antecedent";
    /// The claim a chain step belongs to (an attribution relaying no other), or the `claims`
    /// annotation a narrative match was found for.
    pub const CLAIM: &str = "claim";
    /// The annotations that show a chain step: a speaker, a source part, an outlet, content.
    pub const EVIDENCE: &str = "evidence";
    /// The sentence sourcing label of a chain's claim.
    pub const SOURCING: &str = "sourcing";
    /// The noun phrase a count quantifies.
    pub const QUANTIFIES: &str = "quantifies";
    /// The place a relative location is measured from.
    pub const ANCHOR: &str = "anchor";
    /// The attribution relation a claim is the content of.
    pub const ATTRIBUTION: &str = "attribution";
    /// The speaker of a claim.
    pub const SPEAKER: &str = "speaker";
    /// An entity mention inside a claim.
    pub const ENTITY: &str = "entity";
    /// An amount inside a claim.
    pub const AMOUNT: &str = "amount";
    /// A time expression inside a claim.
    pub const TIME: &str = "time";
    /// A place inside a claim.
    pub const PLACE: &str = "place";
}

/// Labels that readers test for.
pub mod label {
    /// An attribution relation.
    pub const ATTRIBUTION: &str = "ATTRIBUTION";
    /// A speaker that names no one ("officials", "sources").
    pub const ANONYMOUS: &str = "anonymous";
    /// A pronoun or role with no earlier speaker to resolve to.
    pub const UNRESOLVED: &str = "unresolved";
    /// The whole-text summary of the `sourcing` layer.
    pub const SUMMARY: &str = "SUMMARY";
    /// A news outlet.
    pub const OUTLET: &str = "OUTLET";
    /// A claim of the `claims` layer.
    pub const CLAIM: &str = "CLAIM";
    /// The genre of a document (`document` layer; `attrs.label` names it).
    pub const GENRE: &str = "genre";
    /// A frame a document uses (`document` layer; `attrs.label` names it).
    pub const FRAME: &str = "frame";
    /// A known case a claim (or sentence) resembles (`narratives` layer).
    pub const MATCH: &str = "MATCH";
    /// A known case among the article's best (`narratives` layer; spans the whole text).
    pub const ARTICLE_MATCH: &str = "ARTICLE_MATCH";
}

/// One entry of the layer catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerInfo {
    /// Layer name.
    pub name: &'static str,
    /// The stage that assigns it.
    pub stage: &'static str,
    /// What a reader calls it ("Quotes and speakers" for `attribution-parts`): every
    /// front-end titles the layer's panels, toggles and listings with it, so they agree.
    pub title: &'static str,
}

/// Every layer, in the order the default pipeline assigns them (then `narratives`, whose
/// stage a front-end adds after them when it has a store of cases). `docs/schema.md` has a row
/// for each (a test checks), and the pipeline rejects a stage that assigns a layer missing
/// here, so a new stage comes with its schema entry.
pub const LAYERS: &[LayerInfo] = &[
    info(layer::PARAGRAPHS, "segment", "Paragraphs"),
    info(layer::SENTENCES, "segment", "Sentences"),
    info(layer::TOKENS, "segment", "Words and punctuation"),
    info(
        layer::ATTRIBUTION_PARTS,
        "attribution",
        "Quotes and speakers",
    ),
    info(layer::ATTRIBUTIONS, "attribution", "Attributions"),
    info(layer::SPEAKERS, "sourcing", "Speakers, as resolved"),
    info(layer::OUTLETS, "sourcing", "News outlets"),
    info(layer::SOURCING, "sourcing", "How each sentence is sourced"),
    info(layer::SOURCE_CHAINS, "sourcing", "Source chain steps"),
    info(
        layer::ENTITIES,
        "entities",
        "Names of people, organisations and places",
    ),
    info(
        layer::ENTITY_GROUPS,
        "entities",
        "People, organisations and places",
    ),
    info(layer::TIMES, "temporal", "Dates and times"),
    info(layer::QUANTIFIED, "amounts", "What is counted"),
    info(layer::AMOUNTS, "amounts", "Numbers and amounts"),
    info(layer::PLACES, "places", "Places on the map"),
    info(layer::CLAIMS, "claims", "Check-worthy claims"),
    info(layer::TECHNIQUES, "techniques", "Persuasion techniques"),
    info(layer::DOCUMENT, "genre", "Genre and frames"),
    info(layer::NARRATIVES, "narratives", "Known narratives"),
];

const fn info(name: &'static str, stage: &'static str, title: &'static str) -> LayerInfo {
    LayerInfo { name, stage, title }
}

/// The catalogue entry of a layer.
pub fn layer_info(name: &str) -> Option<&'static LayerInfo> {
    LAYERS.iter().find(|l| l.name == name)
}

/// The human title of a layer: the catalogue's, or the name itself for a layer the catalogue
/// does not know (another producer's).
///
/// ```
/// assert_eq!(claimlens_schema::layer_title("entity-groups"), "People, organisations and places");
/// assert_eq!(claimlens_schema::layer_title("my-layer"), "my-layer");
/// ```
pub fn layer_title(name: &str) -> &str {
    layer_info(name).map_or(name, |l| l.title)
}

/// A link of `role` to annotation `index` of `layer`.
pub fn link(role: &'static str, layer: &'static str, index: u32) -> Link {
    Link {
        role: role.into(),
        layer: layer.into(),
        index,
    }
}

/// The indices an annotation links to with `role` in `layer`, in link order.
pub fn linked<'a>(
    a: &'a claimlens_core::Annotation,
    role: &'a str,
    layer: &'a str,
) -> impl Iterator<Item = u32> + 'a {
    a.links
        .iter()
        .filter(move |l| l.role == role && l.layer == layer)
        .map(|l| l.index)
}

/// The span of annotation `index` of `layer` in `doc`, when both exist.
pub fn span_of(doc: &claimlens_core::Doc, layer: &str, index: u32) -> Option<Span> {
    doc.layer(layer)?
        .annotations
        .get(index as usize)
        .map(|a| a.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_names_are_unique_and_documented() {
        let mut names: Vec<&str> = LAYERS.iter().map(|l| l.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), LAYERS.len());
        let doc = include_str!("../../../docs/schema.md");
        for l in LAYERS {
            assert!(
                doc.contains(&format!("`{}`", l.name)),
                "docs/schema.md does not document layer `{}`",
                l.name
            );
            assert!(
                doc.contains(&format!("| `{}` | {} |", l.name, l.title)),
                "docs/schema.md does not give layer `{}` its title {:?}",
                l.name,
                l.title
            );
        }
    }

    #[test]
    fn titles_are_unique_and_readable() {
        let mut titles: Vec<&str> = LAYERS.iter().map(|l| l.title).collect();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(titles.len(), LAYERS.len());
        for l in LAYERS {
            assert!(
                l.title.starts_with(|c: char| c.is_uppercase()),
                "{}",
                l.title
            );
            assert_ne!(l.title, l.name);
        }
    }
}
