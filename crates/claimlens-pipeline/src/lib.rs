//! claimlens pipeline: the stage registry and the runner.
//!
//! # Brief overview
//!
//! * [`builtin_stages`] lists every built-in stage in run order; this is the registry:
//!   1. `segment` ([`claimlens_analyzers::Segmenter`]): assigns `paragraphs`, `sentences`,
//!      `tokens`.
//!   2. `attribution` ([`claimlens_analyzers::attribution::AttributionStage`]): assigns
//!      `attribution-parts` (source, cue, content spans) and `attributions` (relations).
//!   3. `sourcing` ([`claimlens_analyzers::sourcing::SourcingStage`]): assigns `speakers`,
//!      `outlets` (the outlets chains pass through), `source-chains` and `sourcing`
//!      (per-sentence labels and a summary).
//!   4. `entities` ([`claimlens_analyzers::entities::EntityStage`]): assigns `entities`
//!      (typed mentions with canonical names) and `entity-groups` (one per entity).
//!   5. `temporal` ([`claimlens_analyzers::temporal::TemporalStage`]): assigns `times`
//!      (dates, times, durations, sets, ranges normalised against the publication date).
//!   6. `amounts` ([`claimlens_analyzers::amounts::AmountsStage`]): assigns `amounts` (money,
//!      percentages, counts, quantities) and `quantified` (the noun phrases counts are
//!      about); it skips numbers inside `times` when that layer exists.
//!   7. `places` ([`claimlens_analyzers::places::PlacesStage`]): assigns `places` (place
//!      names resolved against the embedded GeoNames-derived gazetteer, with coordinates,
//!      and relative locations).
//!   8. `claims` ([`claimlens_analyzers::claims::ClaimsStage`]): assigns `claims` (each
//!      attribution content and each unattributed sentence, scored for check-worthiness,
//!      typed, ranked, with speaker and sourcing label, linked to what it mentions).
//!   9. `techniques` ([`claimlens_analyzers::techniques::TechniquesStage`]): assigns
//!      `techniques` (persuasion techniques of SemEval-2023 Task 3: lexicon spans and
//!      sentence classifiers, each span typed with the technique's name and family).
//!  10. `genre` ([`claimlens_analyzers::genre::GenreStage`]): assigns `document` (the
//!      article's genre with the probability of each genre, and the frames it uses, each
//!      with its calibrated probability; SemEval-2023 Task 3 subtasks 1 and 2).
//! * [`PipelineBuilder`] takes stages, honours `disable`, and rejects an order in which a
//!   stage would run before a layer it requires exists ([`PipelineError`]).
//! * [`Pipeline::run`] is `Doc` in, `Doc` out (by `&mut`), returning diagnostics.
//! * [`parallel::for_each_ordered`] runs work (such as the pipeline) on every core and hands
//!   the results back in input order, with a bounded number of documents in flight.
//!
//! ```
//! use claimlens_core::Doc;
//! use claimlens_pipeline::Pipeline;
//!
//! let pipeline = Pipeline::default_pipeline();
//! let mut doc = Doc::new("d", "The mayor spoke. Nobody listened. It rained.");
//! let diagnostics = pipeline.run(&mut doc);
//! assert!(diagnostics.is_empty());
//! assert_eq!(doc.sentences.len(), 3);
//! ```

pub mod parallel;

use std::collections::BTreeSet;
use std::fmt;

use claimlens_core::{Diagnostic, Doc, Stage};

/// Every built-in stage, in the order the default pipeline runs them.
pub fn builtin_stages() -> Vec<Box<dyn Stage>> {
    vec![
        Box::new(claimlens_analyzers::Segmenter),
        Box::new(claimlens_analyzers::attribution::AttributionStage),
        Box::new(claimlens_analyzers::sourcing::SourcingStage),
        Box::new(claimlens_analyzers::entities::EntityStage),
        Box::new(claimlens_analyzers::temporal::TemporalStage),
        Box::new(claimlens_analyzers::amounts::AmountsStage),
        Box::new(claimlens_analyzers::places::PlacesStage),
        Box::new(claimlens_analyzers::claims::ClaimsStage),
        Box::new(claimlens_analyzers::techniques::TechniquesStage),
        Box::new(claimlens_analyzers::genre::GenreStage),
    ]
}

/// Names of the built-in stages, in run order.
pub fn builtin_stage_names() -> Vec<&'static str> {
    builtin_stages().iter().map(|s| s.name()).collect()
}

/// Accepts a reference date for relative time expressions: an existing calendar date written
/// `YYYY-MM-DD`.
pub fn parse_reference_date(s: &str) -> Result<String, String> {
    if s.len() == 10 && claimlens_analyzers::temporal::parse_published(s).is_some() {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}` is not an existing date written YYYY-MM-DD"))
    }
}

/// A configuration error found before anything runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PipelineError {
    /// `disable` named a stage that does not exist.
    UnknownStage(String),
    /// A stage requires a layer that no earlier stage assigns.
    MissingLayer {
        /// The stage.
        stage: &'static str,
        /// The layer it needs.
        layer: &'static str,
    },
    /// Two stages share a name.
    DuplicateStage(&'static str),
    /// A stage uses a layer (when present) that only a later stage assigns, so its results
    /// would silently differ from the intended order's.
    UsedBeforeAssigned {
        /// The stage.
        stage: &'static str,
        /// The layer it uses.
        layer: &'static str,
        /// The later stage assigning it.
        by: &'static str,
    },
    /// A stage assigns a layer the schema does not know (`claimlens_schema::LAYERS`).
    UnknownLayer {
        /// The stage.
        stage: &'static str,
        /// The layer.
        layer: &'static str,
    },
}

impl fmt::Display for PipelineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineError::UnknownStage(s) => write!(
                f,
                "unknown stage `{s}` (stages: {})",
                builtin_stage_names().join(", ")
            ),
            PipelineError::MissingLayer { stage, layer } => write!(
                f,
                "stage `{stage}` requires layer `{layer}`, which no earlier enabled stage assigns"
            ),
            PipelineError::DuplicateStage(s) => write!(f, "stage `{s}` added twice"),
            PipelineError::UsedBeforeAssigned { stage, layer, by } => write!(
                f,
                "stage `{stage}` uses layer `{layer}`, which the later stage `{by}` assigns: \
                 run `{by}` first"
            ),
            PipelineError::UnknownLayer { stage, layer } => write!(
                f,
                "stage `{stage}` assigns layer `{layer}`, which has no entry in the schema \
                 (claimlens_schema::LAYERS, docs/schema.md)"
            ),
        }
    }
}

impl std::error::Error for PipelineError {}

/// Builds a [`Pipeline`], checking stage order.
#[derive(Default)]
pub struct PipelineBuilder {
    stages: Vec<Box<dyn Stage>>,
    disabled: Vec<String>,
}

impl PipelineBuilder {
    /// Appends a stage.
    pub fn stage(mut self, stage: Box<dyn Stage>) -> Self {
        self.stages.push(stage);
        self
    }

    /// Skips the named stage.
    pub fn disable(mut self, name: impl Into<String>) -> Self {
        self.disabled.push(name.into());
        self
    }

    /// Checks names and the requires/assigns order, then builds.
    pub fn build(self) -> Result<Pipeline, PipelineError> {
        for d in &self.disabled {
            if !self.stages.iter().any(|s| s.name() == d) {
                return Err(PipelineError::UnknownStage(d.clone()));
            }
        }
        let mut names = BTreeSet::new();
        let mut available: BTreeSet<&'static str> = BTreeSet::new();
        let mut kept = Vec::new();
        for stage in self.stages {
            if !names.insert(stage.name()) {
                return Err(PipelineError::DuplicateStage(stage.name()));
            }
            if self.disabled.iter().any(|d| d == stage.name()) {
                continue;
            }
            for &layer in stage.requires() {
                if !available.contains(layer) {
                    return Err(PipelineError::MissingLayer {
                        stage: stage.name(),
                        layer,
                    });
                }
            }
            if let Some(&layer) = stage
                .assigns()
                .iter()
                .find(|l| claimlens_schema::layer_info(l).is_none())
            {
                return Err(PipelineError::UnknownLayer {
                    stage: stage.name(),
                    layer,
                });
            }
            available.extend(stage.assigns().iter().copied());
            kept.push(stage);
        }
        // A layer used "when present" must not come from a later stage.
        for (i, stage) in kept.iter().enumerate() {
            for &layer in stage.uses() {
                if let Some(later) = kept[i + 1..].iter().find(|s| s.assigns().contains(&layer)) {
                    return Err(PipelineError::UsedBeforeAssigned {
                        stage: stage.name(),
                        layer,
                        by: later.name(),
                    });
                }
            }
        }
        Ok(Pipeline { stages: kept })
    }
}

/// An ordered, checked list of stages.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// A builder with no stages.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// All built-in stages, minus `disabled`.
    pub fn with_disabled(disabled: &[String]) -> Result<Pipeline, PipelineError> {
        let mut b = builtin_stages()
            .into_iter()
            .fold(Pipeline::builder(), PipelineBuilder::stage);
        for d in disabled {
            b = b.disable(d.clone());
        }
        b.build()
    }

    /// All built-in stages.
    pub fn default_pipeline() -> Pipeline {
        Pipeline::with_disabled(&[]).expect("built-in stages are in a valid order")
    }

    /// Names of the stages that will run.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage with `reference_date` (a date [`parse_reference_date`] accepted), when
    /// given, as the publication date relative time expressions are resolved against; it
    /// overrides the date found in the document's metadata.
    pub fn run_with_reference_date(
        &self,
        doc: &mut Doc,
        reference_date: Option<&str>,
    ) -> Vec<Diagnostic> {
        if let Some(d) = reference_date {
            doc.meta.published = Some(d.to_owned());
        }
        self.run(doc)
    }

    /// Runs every stage like [`Pipeline::run`], adding each stage's wall time to
    /// `elapsed[i]` (in [`Pipeline::stage_names`] order; resized to fit): where the time of a
    /// pipeline goes, for `claimlens bench`.
    pub fn run_timed(
        &self,
        doc: &mut Doc,
        elapsed: &mut Vec<std::time::Duration>,
    ) -> Vec<Diagnostic> {
        elapsed.resize(self.stages.len(), std::time::Duration::ZERO);
        let mut diagnostics = Vec::new();
        for (stage, total) in self.stages.iter().zip(elapsed.iter_mut()) {
            let start = std::time::Instant::now();
            diagnostics.extend(stage.run(doc));
            *total += start.elapsed();
        }
        diagnostics
    }

    /// Runs every stage once on a short built-in article, so each decodes what it embeds
    /// (models, gazetteer: once per process, on first use) now rather than inside the first
    /// real document: a server's first request, or a benchmark's first timed article.
    pub fn warm_up(&self) {
        let mut doc = Doc::new("warm-up", WARM_UP_ARTICLE);
        self.run(&mut doc);
    }

    /// Runs every stage on the document, collecting diagnostics.
    pub fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for stage in &self.stages {
            diagnostics.extend(stage.run(doc));
        }
        diagnostics
    }
}

/// [`Pipeline::warm_up`]'s article: a quotation with its speaker, a report relayed, a
/// place, a date, an amount, loaded words, so every stage has something to read.
const WARM_UP_ARTICLE: &str = "LISBON, March 3 (Harbour Wire) - The port authority said on \
Monday that 40 fishing boats had blocked the harbour, a claim the notorious union denied.

\u{201c}We will not be held hostage,\u{201d} the minister, Ana Costa, told reporters in Porto. \
Local media reported that the blockade cost \u{20ac}2 million a day.";

#[cfg(test)]
mod tests {
    use super::*;

    struct Needs;
    impl Stage for Needs {
        fn name(&self) -> &'static str {
            "needs"
        }
        fn requires(&self) -> &'static [&'static str] {
            &["sentences"]
        }
        fn assigns(&self) -> &'static [&'static str] {
            &[claimlens_schema::layer::QUANTIFIED]
        }
        fn run(&self, _doc: &mut Doc) -> Vec<Diagnostic> {
            Vec::new()
        }
    }

    #[test]
    fn registry_lists_builtin_stages() {
        assert_eq!(
            builtin_stage_names(),
            vec![
                "segment",
                "attribution",
                "sourcing",
                "entities",
                "temporal",
                "amounts",
                "places",
                "claims",
                "techniques",
                "genre"
            ]
        );
    }

    #[test]
    fn rejects_bad_order_and_unknown_names() {
        let err = Pipeline::builder()
            .stage(Box::new(Needs))
            .build()
            .err()
            .unwrap();
        assert_eq!(
            err,
            PipelineError::MissingLayer {
                stage: "needs",
                layer: "sentences"
            }
        );
        assert!(Pipeline::with_disabled(&["nope".into()]).is_err());
        let ok = Pipeline::builder()
            .stage(Box::new(claimlens_analyzers::Segmenter))
            .stage(Box::new(Needs))
            .build()
            .unwrap();
        assert_eq!(ok.stage_names(), vec!["segment", "needs"]);
        let err = Pipeline::builder()
            .stage(Box::new(claimlens_analyzers::Segmenter))
            .stage(Box::new(Needs))
            .disable("segment")
            .build()
            .err()
            .unwrap();
        assert!(matches!(err, PipelineError::MissingLayer { .. }));
    }

    struct Unlisted;
    impl Stage for Unlisted {
        fn name(&self) -> &'static str {
            "unlisted"
        }
        fn requires(&self) -> &'static [&'static str] {
            &[]
        }
        fn assigns(&self) -> &'static [&'static str] {
            &["not-in-the-schema"]
        }
        fn run(&self, _doc: &mut Doc) -> Vec<Diagnostic> {
            Vec::new()
        }
    }

    #[test]
    fn rejects_layers_outside_the_schema_and_uses_before_assignment() {
        let err = Pipeline::builder()
            .stage(Box::new(Unlisted))
            .build()
            .err()
            .unwrap();
        assert!(matches!(err, PipelineError::UnknownLayer { .. }), "{err}");
        // amounts reads `times` when present: running it before temporal is refused.
        let err = Pipeline::builder()
            .stage(Box::new(claimlens_analyzers::Segmenter))
            .stage(Box::new(claimlens_analyzers::amounts::AmountsStage))
            .stage(Box::new(claimlens_analyzers::temporal::TemporalStage))
            .build()
            .err()
            .unwrap();
        assert_eq!(
            err,
            PipelineError::UsedBeforeAssigned {
                stage: "amounts",
                layer: claimlens_schema::layer::TIMES,
                by: "temporal"
            }
        );
        // Disabling the later stage is fine: the layer is then simply absent.
        assert!(Pipeline::with_disabled(&["temporal".into()]).is_ok());
    }

    #[test]
    fn every_builtin_layer_is_in_the_schema() {
        for stage in builtin_stages() {
            for layer in stage.assigns() {
                let info = claimlens_schema::layer_info(layer).expect("in the schema");
                assert_eq!(info.stage, stage.name(), "{layer}");
            }
        }
    }

    #[test]
    fn reference_dates_are_checked_and_override_metadata() {
        assert_eq!(parse_reference_date("2019-02-08").unwrap(), "2019-02-08");
        assert!(parse_reference_date("2019-02-30").is_err());
        assert!(parse_reference_date("Feb 8").is_err());
        let mut doc = Doc::new("d", "It rained last year.");
        doc.meta.published = Some("2001-01-01".into());
        Pipeline::default_pipeline().run_with_reference_date(&mut doc, Some("2019-02-08"));
        assert_eq!(doc.meta.published.as_deref(), Some("2019-02-08"));
    }
}
