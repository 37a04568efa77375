//! claimlens analyzers: the pipeline stages.
//!
//! # Brief overview
//!
//! Each analyzer is a [`claimlens_core::Stage`] in its own folder; it reads earlier layers of a
//! `Doc` and adds its own. Stages know each other only through layer names.
//!
//! 1. [`Segmenter`] (`segment/`): paragraphs, tokens, sentences.
//! 2. [`attribution::AttributionStage`] (`attribution/`): source, cue and content spans and
//!    the relations between them.
//! 3. [`sourcing::SourcingStage`] (`sourcing/`): speakers, source chains, per-sentence
//!    sourcing labels.
//! 4. [`entities::EntityStage`] (`entities/`): typed name mentions grouped into entities
//!    with canonical names and aliases.
//! 5. [`temporal::TemporalStage`] (`temporal/`): dates, times, durations, sets and ranges,
//!    normalised to ISO 8601 / TIMEX3 against the publication date.
//! 6. [`amounts::AmountsStage`] (`amounts/`): money, percentages, counts and quantities, with
//!    the noun phrase a count quantifies.
//! 7. [`places::PlacesStage`] (`places/`): place names resolved against an embedded
//!    GeoNames-derived gazetteer, with coordinates and relative locations.
//! 8. [`claims::ClaimsStage`] (`claims/`): every attribution content and unattributed
//!    sentence as a claim, scored for check-worthiness by a calibrated logistic regression
//!    over words and the layers above, typed, ranked, with speaker and sourcing label.
//! 9. [`techniques::TechniquesStage`] (`techniques/`): persuasion techniques (SemEval-2023
//!    Task 3 subtask 3), lexicon spans and sentence classifiers.
//! 10. [`genre::GenreStage`] (`genre/`): the article's genre and frames (subtasks 1 and 2),
//!     calibrated document classifiers, in the `document` layer.
//!
//! [`learn`] holds the machinery the statistical taggers share; [`pos`] tags coarse parts of
//! speech, evidence for the attribution taggers (not a stage of its own).

pub mod amounts;
pub mod attribution;
pub mod claims;
pub mod entities;
mod first_names;
pub mod gazetteer;
pub mod genre;
pub mod learn;
mod lexicon;
mod numerals;
pub mod places;
pub mod pos;
mod segment;
pub mod sourcing;
pub mod techniques;
pub mod temporal;

pub use learn::embedded::LoadError;
pub use segment::{reads_as_english, Segmenter, SEGMENT_LAYERS};
