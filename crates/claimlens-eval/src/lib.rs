//! claimlens evaluation: each stage scored against real labelled data.
//!
//! # Brief overview
//!
//! * [`Counts`]: one precision/recall/F1 scorer for every layer.
//! * [`sentences`]: sentence boundaries on CoNLL-U (UD English EWT).
//! * [`extraction`]: HTML article extraction on the article-extraction benchmark;
//!   [`extraction_cv`] chooses the extractor and its rules by cross-validation over its pages;
//!   [`extraction_select`] fits per-page selectors between the two extractors' texts.
//! * [`page_metadata`]: page metadata (title, authors, date, site, language, canonical URL)
//!   against hand labels of benchmark pages.
//! * [`ner`]: named entities on CoNLL-2003 (conlleval semantics), read by [`conll`].
//! * [`dates`]: time-expression detection and normalisation on hand-labelled expressions.
//! * [`agreement`]: PolNeAR annotators scored against each other, a ceiling for attribution.
//! * [`checkworthy`]: the claims model's check-worthiness on ClaimBuster (k-fold) and CLEF
//!   2019 Task 1 (MAP and friends per debate, shipped model or leave-one-debate-out).
//! * [`places`]: place resolution on hand-labelled mentions (`data/place-mentions/`);
//!   [`place_outputs`]: every `PLACE` the stage outputs on a sample of articles, labelled,
//!   for the reliability of its scores.
//! * [`genre`], [`frames`]: the genre and frames of SemEval-2023 Task 3 articles (macro-F1,
//!   micro-F1), cross-validated beside TF-IDF + logistic regression and the majority genre.
//! * [`techniques`]: persuasion techniques (paragraph and span F1), with the reliability of
//!   the span scores per source in [`technique_scores`], repeated cross-validation in
//!   [`technique_repeats`] and the SemEval-2023 folder layout read by [`semeval_layout`].
//! * [`Report`]: what every evaluation's result offers for printing (text table, JSON,
//!   mistakes, baseline tools side by side).
//! * [`calibration`]: are scores probabilities (Brier, expected calibration error)?
//!   [`calibration_fit`] fits the maps that make them so on held-out folds of documents.
//! * [`models`]: the embedded models, or a model file's, for the evaluations that take one.
//! * [`train`]: training runs (read the data, train, write the model file, log progress).
//! * [`unlabelled`]: the raw-text corpus (no evaluation splits) for word clusters;
//!   [`cluster_check`] measures whether the clusters carry entity types to unseen words.
//!
//! Evaluations read the shared data sets when they exist and return
//! [`EvalError::MissingData`] otherwise, so callers can say the evaluation was skipped.

pub mod agreement;
pub mod attribution;
pub mod attribution_model;
pub mod calibration;
pub mod calibration_fit;
pub mod checkworthy;
pub mod cluster_check;
pub mod conll;
pub mod dates;
mod error;
pub mod extraction;
pub mod extraction_cv;
mod extraction_cv_table;
pub mod extraction_select;
pub mod frames;
pub mod genre;
pub mod models;
pub mod ner;
pub mod page_metadata;
pub mod place_outputs;
pub mod places;
pub mod polnear;
pub mod pos;
mod prf;
pub mod report;
pub mod semeval_layout;
pub mod sentences;
pub mod speakers;
pub mod technique_repeats;
pub mod technique_scores;
pub mod techniques;
mod tfidf;
pub mod train;
mod tsv;
pub mod unlabelled;

pub use error::EvalError;
pub use prf::Counts;
pub use report::{OnFile, Report};
