//! Training runs: read the labelled (or unlabelled) data, train a model deterministically,
//! write its file and log what happened. `claimlens train` only turns its arguments into
//! the options re-exported here.
//!
//! Everything the run says goes to the `log` callback a line at a time (the command prints
//! it to standard error), so a run can be logged anywhere.

use std::path::Path;
use std::time::Instant;

use claimlens_analyzers::learn::clusters::{self, ClusterCorpus, Clusters};
use claimlens_analyzers::{attribution, entities, pos};

pub use claimlens_analyzers::attribution::{
    BeamWidths, MinWeights, TrainOptions as AttributionOptions,
};
pub use claimlens_analyzers::entities::SecondPassOptions as NerSecondPassOptions;
pub use claimlens_analyzers::entities::TrainOptions as NerOptions;
pub use claimlens_analyzers::genre::train::TrainOptions as GenreOptions;
pub use claimlens_analyzers::learn::clusters::ClusterOptions;
pub use claimlens_analyzers::pos::TrainOptions as PosOptions;
pub use claimlens_analyzers::techniques::train::TrainOptions as TechniquesOptions;

use claimlens_analyzers::learn::calibration::{CalibrationTable, Component};

use crate::attribution_model::{evaluate_attribution_model, train_docs, AttributionRun};
use crate::calibration_fit::{cross_fit, cross_fit_by, fit, Method, Outcome, FOLDS};
use crate::cluster_check::check_clusters;
use crate::conll::read_conll;
use crate::ner::evaluate_ner;
use crate::place_outputs::{evaluate_place_outputs, is_outputs_table};
use crate::places::evaluate_places;
use crate::polnear::read_polnear;
use crate::pos::read_conll_pos;
use crate::unlabelled::read_unlabelled;
use crate::EvalError;

/// Where a training run reports progress: one line per call.
pub type Log<'a> = &'a mut dyn FnMut(&str);

/// Trains the attribution taggers on a PolNeAR split and writes the model to `out`.
pub fn attribution(
    polnear: &Path,
    out: &Path,
    opts: AttributionOptions,
    log: Log<'_>,
) -> Result<(), EvalError> {
    let start = Instant::now();
    let docs = read_polnear(polnear)?;
    let train_set = train_docs(&docs);
    log(&format!(
        "training on {} documents from {}",
        docs.len(),
        polnear.display()
    ));
    let epochs = opts.epochs;
    let model = attribution::train(&train_set, opts, epoch_logger(epochs, &mut *log));
    let what = format!(
        "{} features, {} lexicon words",
        model.feature_count(),
        model.lexicon.len()
    );
    write_model(out, &model.to_bytes(), &what, start, log)
}

/// Trains the entity tagger on a CoNLL-2003 file and writes the model to `out`.
pub fn ner(conll: &Path, out: &Path, opts: &NerOptions, log: Log<'_>) -> Result<(), EvalError> {
    let start = Instant::now();
    let docs = read_conll(conll)?;
    log(&format!(
        "training on {} documents from {}",
        docs.len(),
        conll.display()
    ));
    let model = entities::train(&docs, opts, epoch_logger(opts.epochs, &mut *log));
    let what = match model.second_pass() {
        Some(second) => format!(
            "{} features, {} of them in the second pass",
            model.feature_count(),
            second.feature_count()
        ),
        None => format!("{} features", model.feature_count()),
    };
    write_model(out, &model.to_bytes(), &what, start, log)
}

/// Trains the part-of-speech tagger on a CoNLL-2003 file's Treebank tags and writes the
/// model to `out`.
pub fn pos(conll: &Path, out: &Path, opts: &PosOptions, log: Log<'_>) -> Result<(), EvalError> {
    let start = Instant::now();
    let sentences = read_conll_pos(conll)?;
    log(&format!(
        "training on {} sentences from {}",
        sentences.len(),
        conll.display()
    ));
    let model = pos::train(&sentences, opts, epoch_logger(opts.epochs, &mut *log));
    let what = format!("{} features", model.feature_count());
    write_model(out, &model.to_bytes(), &what, start, log)
}

/// Clusters the words of the unlabelled shared texts under `data`, writes the clusters to
/// `out`, checks them on CoNLL-2003 train and logs the clusters of the words in `show`.
pub fn clusters(
    data: &Path,
    out: &Path,
    opts: &ClusterOptions,
    show: &[String],
    log: Log<'_>,
) -> Result<(), EvalError> {
    let start = Instant::now();
    let corpus = cluster_corpus(data, start, &mut *log)?;
    let model = clusters::train(&corpus, opts, |line| log(line));
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).map_err(|source| write_error(out, source))?;
    log(&format!(
        "wrote {} ({} words, {} fine / {} coarse clusters, {:.2} MB) in {:.1} s",
        out.display(),
        model.word_count(),
        model.fine_count(),
        model.coarse_count(),
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    ));
    // Train only: the check must not look at the evaluation split.
    let check = check_clusters(&model, &read_conll(&data.join("conll2003/train.txt"))?);
    log(&format!(
        "check on held-out capitalised CoNLL-2003 train forms: type accuracy {:.3} fine, \
         {:.3} coarse (always O {:.3}; {:.1}% covered)",
        check.fine_accuracy,
        check.coarse_accuracy,
        check.always_o,
        100.0 * check.coverage
    ));
    for word in show {
        log(&cluster_of(&model, word));
    }
    Ok(())
}

/// Where a calibration is fitted: development splits only (never one named test or held-out).
pub struct CalibrationData<'a> {
    /// A PolNeAR split the attribution model was not trained on (dev).
    pub polnear: &'a Path,
    /// A CoNLL-2003 file the entity model was not trained on (valid).
    pub conll: &'a Path,
    /// A place table and the shared data directory its articles are under: the labelled
    /// outputs of the places stage (`data/place-mentions/outputs-train.tsv`), whose wrong
    /// outputs let a map be fitted, or a table of chosen mentions (`mentions.tsv`), which
    /// holds too few wrong resolutions to fit on and is only measured.
    pub places: (&'a Path, &'a Path),
}

/// A component is fitted only with at least this many right and this many wrong items: with
/// fewer, the map would only restate the data's share right, not which items are wrong.
const MIN_OUTCOMES: usize = 10;

/// Fits the calibration maps of every component on held-out outcomes of the embedded
/// models, logs each component's cross-fitted Brier and ECE before and after (and those of
/// the alternative raw score, the mean tag probability), and writes the table fitted on all
/// of each set to `out`.
pub fn calibration(data: &CalibrationData<'_>, out: &Path, log: Log<'_>) -> Result<(), EvalError> {
    for path in [data.polnear, data.conll, data.places.0] {
        refuse_reporting_split(path)?;
    }
    let start = Instant::now();
    let attribution_model = attribution::Model::embedded()?;
    let run = evaluate_attribution_model(&read_polnear(data.polnear)?, attribution_model);
    let ner = evaluate_ner(entities::Model::embedded()?, &read_conll(data.conll)?);
    let places = if is_outputs_table(data.places.0)? {
        evaluate_place_outputs(data.places.1, data.places.0)?.outcomes
    } else {
        evaluate_places(data.places.1, data.places.0)?.outcomes
    };
    let sets: Vec<(Component, &[Outcome])> = AttributionRun::COMPONENTS
        .iter()
        .zip(&run.outcomes)
        .map(|(&c, o)| (c, o.as_slice()))
        .chain([
            (Component::Entities, ner.outcomes.as_slice()),
            (Component::Places, places.as_slice()),
        ])
        .collect();
    let mut table = CalibrationTable::default();
    log(&format!(
        "cross-fitted over {FOLDS} folds of documents (before = the uncalibrated score):"
    ));
    for (component, outcomes) in &sets {
        let r = cross_fit(outcomes);
        log(&format!("{}:", component.name()));
        log(&format!("  before: {}", r.before));
        log(&format!("  after:  {}", r.after));
        // The alternatives the shipped map was chosen over by held-out Brier score: an
        // isotonic map of the same raw score, and either map of the mean tag probability.
        let by_mean: Vec<Outcome> = outcomes
            .iter()
            .map(|o| Outcome { raw: o.score, ..*o })
            .collect();
        let alternatives: [(&str, &[Outcome], Method); 3] = [
            ("isotonic map of the raw score", *outcomes, Method::Isotonic),
            (
                "Platt map of the uncalibrated score",
                &by_mean[..],
                Method::Platt,
            ),
            (
                "isotonic map of the uncalibrated score",
                &by_mean[..],
                Method::Isotonic,
            ),
        ];
        for (what, set, method) in alternatives {
            let alt = cross_fit_by(set, method).after;
            log(&format!(
                "  instead, {what}: Brier {:.3}, ECE {:.3} (smoothed {:.3})",
                alt.brier(),
                alt.ece(),
                alt.smooth_ece()
            ));
        }
        let right = outcomes.iter().filter(|o| o.right).count();
        let wrong = outcomes.len() - right;
        if right.min(wrong) < MIN_OUTCOMES {
            log(&format!(
                "  not fitted: {right} right and {wrong} wrong items; a map needs at least \
                 {MIN_OUTCOMES} of each to tell right from wrong, so the score stays uncalibrated"
            ));
            continue;
        }
        if let Some(map) = fit(outcomes) {
            table.insert(*component, map);
        }
    }
    let header = format!(
        "Calibration maps: probability of being right = 1 / (1 + exp(-(intercept + slope * raw))),\n\
         fitted by logistic regression (Platt scaling). The raw score is a tagged span's\n\
         smallest tag margin (attribution, entities) or the log-odds of the resolver's rule\n\
         confidence, its score margin (places); a component without a row has no map and\n\
         keeps its uncalibrated score.\n\
         Written by `claimlens train calibration` from {}, {} and {}.",
        file_name(data.polnear),
        file_name(data.conll),
        file_name(data.places.0)
    );
    let text = table.to_tsv(&header);
    std::fs::write(out, &text).map_err(|source| write_error(out, source))?;
    log(&format!(
        "wrote {} ({} maps) in {:.1} s",
        out.display(),
        Component::ALL.iter().filter_map(|&c| table.map(c)).count(),
        start.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// The last two components of a path (`polnear/dev`), so the file records its sources
/// without this machine's directories.
fn file_name(path: &Path) -> String {
    let parts: Vec<_> = path.components().rev().take(2).collect();
    parts
        .iter()
        .rev()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A split named for reporting (`test`, `heldout`, `held-out`) must not be fitted on.
fn refuse_reporting_split(path: &Path) -> Result<(), EvalError> {
    let reporting = path.components().any(|c| {
        let name = c.as_os_str().to_string_lossy().to_lowercase();
        name.contains("test") || name.contains("heldout") || name.contains("held-out")
    });
    if reporting {
        return Err(EvalError::ReportingSplit(path.to_owned()));
    }
    Ok(())
}

/// Reads the unlabelled texts into a corpus, logging how much each source contributed.
fn cluster_corpus(data: &Path, start: Instant, log: Log<'_>) -> Result<ClusterCorpus, EvalError> {
    let texts = read_unlabelled(data)?;
    let mut corpus = ClusterCorpus::default();
    // (source, texts, tokens), in reading order; the texts of a source come together.
    let mut per_source: Vec<(&str, usize, usize)> = Vec::new();
    for t in &texts {
        let before = corpus.token_count();
        corpus.add_text(&t.text);
        match per_source.last_mut() {
            Some(last) if last.0 == t.source => {
                last.1 += 1;
                last.2 += corpus.token_count() - before;
            }
            _ => per_source.push((t.source, 1, corpus.token_count() - before)),
        }
    }
    for (source, docs, tokens) in &per_source {
        log(&format!("  {source}: {docs} texts, {tokens} tokens"));
    }
    log(&format!(
        "corpus: {} texts, {} sentences, {} tokens, {} distinct forms ({:.1} s)",
        corpus.doc_count(),
        corpus.sentence_count(),
        corpus.token_count(),
        corpus.distinct_words(),
        start.elapsed().as_secs_f64()
    ));
    Ok(corpus)
}

/// A word's clusters and a sample of its fine cluster's members.
fn cluster_of(model: &Clusters, word: &str) -> String {
    match model.lookup(word) {
        Some((c, f)) => {
            let members = model.members(f);
            let sample: Vec<&str> = members.iter().take(40).copied().collect();
            format!(
                "{word}: coarse {c}, fine {f} ({} words): {}",
                members.len(),
                sample.join(" ")
            )
        }
        None => format!("{word}: no cluster"),
    }
}

/// Logs each epoch's token errors.
fn epoch_logger<'a>(epochs: usize, log: Log<'a>) -> impl FnMut(usize, usize, usize) + 'a {
    move |epoch, errors, tokens| {
        log(&format!(
            "  epoch {epoch}/{epochs}: {errors} token errors ({:.2}% of {tokens})",
            100.0 * errors as f64 / tokens.max(1) as f64
        ));
    }
}

/// The files of a SemEval-2023 Task 3 English folder: `train-articles/`,
/// `train-labels-paragraphs.txt`, `train-labels-spans/`.
pub fn semeval_paths(data: &Path) -> [std::path::PathBuf; 3] {
    [
        data.join("train-articles"),
        data.join("train-labels-paragraphs.txt"),
        data.join("train-labels-spans"),
    ]
}

/// Trains the techniques model on the training articles of a SemEval-2023 Task 3 English
/// folder ([`semeval_paths`]) and writes it to `out`.
pub fn techniques(
    data: &Path,
    out: &Path,
    opts: &TechniquesOptions,
    log: Log<'_>,
) -> Result<(), EvalError> {
    let start = Instant::now();
    let [articles, labels, spans] = semeval_paths(data);
    let read = crate::techniques::read(&articles, &labels, Some(&spans))?;
    let docs = crate::techniques::training_docs(&read);
    log(&format!(
        "{}: {} articles, {} gold spans ({} labels naming no known technique skipped)",
        data.display(),
        docs.len(),
        docs.iter().map(|d| d.spans.len()).sum::<usize>(),
        read.unknown_labels
    ));
    let (model, choices) = claimlens_analyzers::techniques::train::train_with_choices(&docs, opts);
    for (source, choice) in [("lexicon", &choices.lexicon), ("tagger", &choices.tagger)] {
        log(&crate::techniques::describe_choice(source, choice.as_ref()));
    }
    let tagged: Vec<String> = claimlens_analyzers::techniques::tagger::ROLES
        .iter()
        .zip(model.tagger.bias)
        .filter(|(t, _)| model.tagger_techniques >> **t & 1 == 1)
        .map(|(t, b)| {
            let name = claimlens_analyzers::techniques::catalogue::name(usize::from(*t));
            format!("{name} (role bias {b})")
        })
        .collect();
    log(&format!("tagger spans for: {}", tagged.join(", ")));
    let classifiers = model.classifiers.iter().flatten().count();
    let what = format!(
        "{} lexicon entries, {classifiers} sentence classifiers",
        model.lexicon.entries.len()
    );
    write_model(out, &model.to_bytes(), &what, start, log)
}

/// Trains the genre and frames model on the training articles of a SemEval-2023 Task 3
/// English folder (`train-articles/`, `train-labels-genre.txt`, `train-labels-framing.txt`)
/// and writes it to `out`.
pub fn genre(data: &Path, out: &Path, opts: &GenreOptions, log: Log<'_>) -> Result<(), EvalError> {
    let start = Instant::now();
    let read = crate::genre::read(
        &data.join("train-articles"),
        Some(&data.join("train-labels-genre.txt")),
        Some(&data.join("train-labels-framing.txt")),
    )?;
    let prepared = crate::genre::prepare(&read);
    log(&format!(
        "{}: {} articles, {} with a genre, {} with frames{}",
        data.display(),
        read.articles.len(),
        read.articles.iter().filter(|a| a.genre.is_some()).count(),
        read.articles.iter().filter(|a| a.frames.is_some()).count(),
        crate::genre::skipped(read.unknown_labels, read.missing_articles)
    ));
    let model = claimlens_analyzers::genre::train::train(&prepared.training, opts);
    let weights: usize = model
        .genres
        .iter()
        .chain(model.frames.iter().flatten().map(|f| &f.logistic))
        .map(|l| l.feature_count())
        .sum();
    let what = format!(
        "3 genre and {} frame classifiers, {weights} weights, genre decision weights {:?}",
        model.frames.iter().flatten().count(),
        model.genre_weights
    );
    write_model(out, &model.to_bytes(), &what, start, log)
}

/// Writes a model file and logs what was written (`what`: its feature counts) and how long
/// training took since `start`.
fn write_model(
    out: &Path,
    bytes: &[u8],
    what: &str,
    start: Instant,
    log: Log<'_>,
) -> Result<(), EvalError> {
    std::fs::write(out, bytes).map_err(|source| write_error(out, source))?;
    log(&format!(
        "wrote {} ({what}, {:.1} MB) in {:.1} s",
        out.display(),
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    ));
    Ok(())
}

fn write_error(path: &Path, source: std::io::Error) -> EvalError {
    EvalError::Write {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporting_splits_are_refused() {
        for p in [
            "polnear/test",
            "conll2003/test.txt",
            "place-mentions/heldout.tsv",
            "x/Held-Out",
        ] {
            assert!(
                matches!(
                    refuse_reporting_split(Path::new(p)),
                    Err(EvalError::ReportingSplit(_))
                ),
                "{p}"
            );
        }
        for p in [
            "polnear/dev",
            "conll2003/valid.txt",
            "place-mentions/mentions.tsv",
        ] {
            assert!(refuse_reporting_split(Path::new(p)).is_ok(), "{p}");
        }
        assert_eq!(
            file_name(Path::new("../shared/data/polnear/dev")),
            "polnear/dev"
        );
    }
}
