//! `claimlens eval`: score stages against labelled data.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use claimlens_eval::attribution_model::evaluate_attribution_model;
use claimlens_eval::conll::read_conll;
use claimlens_eval::ner::evaluate_ner;
use claimlens_eval::pos::{evaluate_pos, read_conll_pos, read_conllu_pos};
use claimlens_eval::sentences::{evaluate_sentences, read_conllu};
use claimlens_eval::{
    agreement, dates, extraction, extraction_cv, models, page_metadata, place_outputs, places,
    polnear, speakers,
};
use claimlens_eval::{OnFile, Report};
use clap::{Args, Subcommand};

/// Arguments of `claimlens eval`.
#[derive(Args)]
#[command(after_help = "\
Examples:
  claimlens eval sentences --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu
  claimlens eval extraction --data ../shared/data/article-extraction --folds 3
  claimlens eval metadata --table data/page-metadata/labels.tsv --data ../shared/data/article-extraction
  claimlens eval attribution --polnear ../shared/data/polnear/dev
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt
  claimlens eval dates --table data/date-expressions/expressions.tsv
  claimlens eval places --table data/place-mentions/mentions.tsv
  claimlens eval checkworthy --claimbuster ../shared/data/checkworthiness/claimbuster_kfold_25ncs.csv --folds 5
  claimlens eval techniques --articles ../shared/data/semeval2023-persuasion-en/train-articles \\
      --labels ../shared/data/semeval2023-persuasion-en/train-labels-paragraphs.txt \\
      --spans ../shared/data/semeval2023-persuasion-en/train-labels-spans --folds 5
  claimlens eval genre --articles ../shared/data/semeval2023-persuasion-en/train-articles \\
      --labels ../shared/data/semeval2023-persuasion-en/train-labels-genre.txt --folds 5
  claimlens eval frames --articles ../shared/data/semeval2023-persuasion-en/train-articles \\
      --labels ../shared/data/semeval2023-persuasion-en/train-labels-framing.txt --folds 5
  claimlens eval retrieval --claims /tmp/clef2020/v3.0/verified_claims.docs.tsv \\
      --queries /tmp/clef2020/v3.0/dev/tweets.queries.tsv \\
      --qrels /tmp/clef2020/v3.0/dev/tweet-vclaim-pairs.qrels")]
pub struct EvalArgs {
    #[command(subcommand)]
    task: EvalTask,
}

#[derive(Subcommand)]
enum EvalTask {
    /// Persuasion techniques (SemEval-2023 Task 3 subtask 3): paragraph micro/macro-F1 as
    /// the official scorer, span F1 by partial overlap, a per-technique table.
    #[command(after_help = "\
Without --folds the embedded model is scored (on its own training articles that measures
fit, not accuracy). With --folds k the articles are split into k folds by a hash of the
article id and each fold is scored by a model trained on the others, every threshold and
calibration chosen inside those training folds (needs --spans); a paragraph-level logistic
regression over words and word pairs is trained and scored the same way beside it. With
--spans, the reliability of the span scores (Brier, ten-bin ECE) is printed per source
(lexicon, tagger, sentence classifier), before and after the span calibration maps.
With --repeats r the k-fold cross-validation runs on r partitions of the articles (partition 0
is the one --folds alone uses) and every figure is given as mean ± sample standard deviation:
on a few hundred articles the draw of the folds moves a figure as much as most changes do.
Folders or files named test or dev are refused with --folds: nothing is tuned on them.

Examples:
  claimlens eval techniques --articles ../shared/data/semeval2023-persuasion-en/train-articles \\
      --labels ../shared/data/semeval2023-persuasion-en/train-labels-paragraphs.txt \\
      --spans ../shared/data/semeval2023-persuasion-en/train-labels-spans --folds 5
  claimlens eval techniques --articles ../shared/data/semeval2023-persuasion-en/train-articles \\
      --labels ../shared/data/semeval2023-persuasion-en/train-labels-paragraphs.txt \\
      --spans ../shared/data/semeval2023-persuasion-en/train-labels-spans --folds 5 --repeats 3
  claimlens eval techniques --articles dev-articles --labels dev-labels-subtask-3.txt")]
    Techniques {
        /// Folder of article<ID>.txt files.
        #[arg(long)]
        articles: PathBuf,
        /// Paragraph labels (ID<TAB>line<TAB>technique,technique).
        #[arg(long)]
        labels: PathBuf,
        /// Folder of span label files (article<ID>-labels-subtask-3.txt).
        #[arg(long)]
        spans: Option<PathBuf>,
        /// Cross-validate by article with this many folds.
        #[arg(long)]
        folds: Option<usize>,
        /// Cross-validate on this many partitions of the articles (mean and spread).
        #[arg(long, requires = "folds", value_parser = clap::value_parser!(u16).range(1..=100))]
        repeats: Option<u16>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Genre (SemEval-2023 Task 3 subtask 1): macro-F1 (the task's measure), accuracy and
    /// per-genre P/R/F1, beside TF-IDF + logistic regression and the majority genre.
    #[command(after_help = "\
Without --folds the embedded model is scored (on its own training articles that measures
fit, not accuracy). With --folds k the articles are split into k folds by a hash of the
article id (the folds of `eval techniques`) and each fold is scored by a model trained on
the others, calibration and decision weights chosen inside those training folds; TF-IDF +
logistic regression (plain, and with balanced class weights) and the majority genre of the
training folds are scored on the same folds beside it.
Folders or files named test or dev are refused with --folds: nothing is tuned on them.

Examples:
  claimlens eval genre --articles ../shared/data/semeval2023-persuasion-en/train-articles \\
      --labels ../shared/data/semeval2023-persuasion-en/train-labels-genre.txt --folds 5
  claimlens eval genre --articles dev-articles --labels dev-labels-subtask-1.txt")]
    Genre(crate::document_labels::DocLabelArgs),
    /// Frames (SemEval-2023 Task 3 subtask 2): micro-F1 (the task's measure), macro-F1 and
    /// a per-frame table, beside TF-IDF + logistic regression.
    #[command(after_help = "\
Without --folds the embedded model is scored (on its own training articles that measures
fit, not accuracy). With --folds k the articles are split into k folds by a hash of the
article id and each fold is scored by a model trained on the others, calibration and
thresholds chosen inside those training folds; TF-IDF + logistic regression per frame
(plain, and with balanced class weights; a frame at probability 0.5) beside it.
Folders or files named test or dev are refused with --folds: nothing is tuned on them.

Examples:
  claimlens eval frames --articles ../shared/data/semeval2023-persuasion-en/train-articles \\
      --labels ../shared/data/semeval2023-persuasion-en/train-labels-framing.txt --folds 5
  claimlens eval frames --articles dev-articles --labels dev-labels-subtask-2.txt")]
    Frames(crate::document_labels::DocLabelArgs),
    /// Check-worthiness of the claims model: ClaimBuster k-fold P/R/F1, CLEF 2019 Task 1
    /// MAP, R-precision, P@5, P@10 (shipped model, or leave-one-debate-out).
    #[command(after_help = "\
Every line goes through the stages before `claims` (attribution, sourcing, entities, times,
amounts, places), as an article would. Cross-validation trains, calibrates and chooses the
decision threshold on the training folds only; ClaimBuster folds are fixed by a hash of
sentence_id. Each run also scores two baselines with the same learner: words and word pairs,
and words only (close to TF-IDF + logistic regression).

Examples:
  claimlens eval checkworthy --claimbuster ../shared/data/checkworthiness/claimbuster_kfold_25ncs.csv --folds 5
  claimlens eval checkworthy --clef2019 ../shared/data/checkworthiness/clef2019_t1_train.csv --leave-one-out
  claimlens eval checkworthy --clef2019 ../shared/data/checkworthiness/clef2019_t1_train.csv --leave-one-out \\
      --claimbuster ../shared/data/checkworthiness/claimbuster_kfold_25ncs.csv
  claimlens eval checkworthy --clef2019 clef2019_t1_test.csv")]
    Checkworthy {
        /// A file in the ClaimBuster layout (sentence_id,screening,label,text): k-fold.
        #[arg(long)]
        claimbuster: Option<PathBuf>,
        /// Number of folds for --claimbuster.
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// A file in the CLEF 2019 Task 1 layout (line_number,speaker,text,label,file_name):
        /// one ranking per file_name, scored with the shipped model (or --model).
        #[arg(long)]
        clef2019: Option<PathBuf>,
        /// With --clef2019: leave-one-debate-out, each debate ranked by a model trained on
        /// the others (and, with --claimbuster, on the ClaimBuster sentences too, less any
        /// copy of a line of the held-out debate).
        #[arg(long)]
        leave_one_out: bool,
        /// A model file instead of the embedded one (for --clef2019 without --leave-one-out).
        #[arg(long)]
        model: Option<PathBuf>,
        #[command(flatten)]
        learner: crate::checkworthy::LearnerArgs,
    },
    /// Claim retrieval (CLEF 2020 Task 2 layout): BM25, MiniLM embeddings and their fusion
    /// over the verified claims, MAP@1/3/5, MRR and P@1.
    #[command(after_help = "\
Each query (tweet) ranks every verified claim (vclaim and title) with BM25; MAP@k divides
the precision summed at the relevant claims' ranks within the first k by the number of
relevant claims (capped at k); MRR uses the whole ranking. The shipped tokenisation and k1, b
were chosen with --grid on the training queries. Then, unless --bm25-only, every claim and
query is embedded with all-MiniLM-L6-v2 (fetched on first need unless --offline; minutes on a
CPU) and the table adds MiniLM alone, the linear mix (every weight with --grid; the weight
chosen on the training queries otherwise) and reciprocal-rank fusion, which `narratives
match` ranks by. Last, the match probability a match reports (a Platt map from the normalised
BM25 score, or from the linear mix with embeddings) is checked on each matcher's first five
cases per query: Brier score and ten-bin ECE of the raw score read as a probability and of the
embedded map. --write-probability FILE refits both maps on the queries given (the committed
crates/claimlens-narratives/models/match-probability.tsv: on the training queries; test or dev
refused). The release is a zip: extract it first.

Examples:
  unzip -o ../shared/data/clef2020-claim-retrieval/v3.zip -d /tmp/clef2020
  claimlens eval retrieval --claims /tmp/clef2020/v3.0/verified_claims.docs.tsv \\
      --queries /tmp/clef2020/v3.0/dev/tweets.queries.tsv \\
      --qrels /tmp/clef2020/v3.0/dev/tweet-vclaim-pairs.qrels
  claimlens eval retrieval --grid --claims /tmp/clef2020/v3.0/verified_claims.docs.tsv \\
      --queries /tmp/clef2020/v3.0/train/tweets.queries.tsv \\
      --qrels /tmp/clef2020/v3.0/train/tweet-vclaim-pairs.qrels
  claimlens eval retrieval --claims /tmp/clef2020/v3.0/verified_claims.docs.tsv \\
      --queries /tmp/clef2020/v3.0/train/tweets.queries.tsv \\
      --qrels /tmp/clef2020/v3.0/train/tweet-vclaim-pairs.qrels \\
      --write-probability crates/claimlens-narratives/models/match-probability.tsv")]
    Retrieval(crate::retrieval::RetrievalArgs),
    /// Sentence boundaries on a CoNLL-U treebank (UD English EWT dev).
    #[command(after_help = "\
Each `# newdoc` is rebuilt as one text (sentences joined by a space, or a newline at
`# newpar`); boundaries are sentence-end code-point offsets, document ends excluded.

Examples:
  claimlens eval sentences --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu
  claimlens eval sentences --conllu en_ewt-ud-dev.conllu --baseline bench/out/sentences.json")]
    Sentences {
        /// The CoNLL-U file.
        #[arg(long)]
        conllu: PathBuf,
        /// JSON written by bench/sentences_baselines.py, printed side by side.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// HTML article extraction on the article-extraction benchmark (shingle P/R/F1, pages/s).
    #[command(after_help = "\
Metric as defined by the benchmark: 4-token shingles of \\w+ tokens, per-page tp/fp/fn
normalised, precision and recall averaged over pages, F1 their harmonic mean.

With --folds K, every candidate extraction method (extractor, fallback order, switch
threshold, each post-processing rule on or off) is scored on K folds fixed by a hash of the
page id: held-out F1 per fold, mean, sd and range, pages/s, and the method the selection
rule picks on the training folds of each fold.

Examples:
  claimlens eval extraction --data ../shared/data/article-extraction
  claimlens eval extraction --data ../shared/data/article-extraction --baseline bench/out/extraction.json
  claimlens eval extraction --data ../shared/data/article-extraction --folds 3
  claimlens eval extraction --data ../shared/data/article-extraction --folds 3 --pages")]
    Extraction {
        /// The benchmark directory (ground-truth.json and html/).
        #[arg(long)]
        data: PathBuf,
        /// Cross-validate the choice of extraction method over this many folds (2 or more).
        #[arg(long, value_parser = clap::value_parser!(u16).range(2..=20))]
        folds: Option<u16>,
        /// With --folds: print the per-page F1 table too.
        #[arg(long, requires = "folds")]
        pages: bool,
        /// JSON written by bench/extraction_baselines.py, printed side by side.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Attribution relations (source, cue, content) on a PolNeAR split.
    #[command(after_help = "\
Scores cue, source and content spans (exact after trimming edge punctuation, and overlap)
and whole relations against the reference annotator; then direct quotes alone (contents
enclosed in quotation marks) and quotes with their source; then how well the span scores
predict an exact match (Brier score, expected calibration error, share right per score bin):
the reported (calibrated) scores, whose map was fitted on PolNeAR dev, so in-sample there; the
uncalibrated mean tag probabilities; and calibrated scores cross-fitted over five folds of
documents (each fold mapped by a map fitted on the others), the honest figure on any split.

Examples:
  claimlens eval attribution --polnear ../shared/data/polnear/dev
  claimlens eval attribution --polnear ../shared/data/polnear/dev --model /tmp/attribution.bin")]
    Attribution {
        /// A PolNeAR split directory (text/ and attributions/).
        #[arg(long)]
        polnear: PathBuf,
        /// A model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Page metadata (title, authors, date, site name, language, canonical URL) against hand
    /// labels of article-extraction benchmark pages: accuracy per field.
    #[command(after_help = "\
Values are compared after normalising form only (case, quotes and dashes, white space; authors
as a set of names; the written calendar day; site names as letters and digits; the primary
language subtag; URLs without scheme, www. or trailing slash). The pages are split in two
halves by a hash of the page id: fixes are chosen on the dev half, whose mismatches --verbose
lists, and the held-out half reports on pages that did not guide them.

Example:
  claimlens eval metadata --table data/page-metadata/labels.tsv --data ../shared/data/article-extraction
  claimlens eval metadata --table data/page-metadata/labels.tsv --data ../shared/data/article-extraction --verbose")]
    Metadata {
        /// The label table (id, title, authors, published, site_name, language, canonical_url).
        #[arg(long)]
        table: PathBuf,
        /// The article-extraction benchmark directory holding the pages.
        #[arg(long)]
        data: PathBuf,
        /// List the dev half's mismatches.
        #[arg(long)]
        verbose: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Human agreement on attribution: PolNeAR's doubly annotated articles, one annotator
    /// scored against the other exactly as `eval attribution` scores the tagger.
    #[command(after_help = "\
The reference annotator (id sorting first) is gold and the next one is scored; figures are a
ceiling for the tagger's on the same metric.

Example:
  claimlens eval agreement --polnear ../shared/data/polnear/train --polnear ../shared/data/polnear/dev")]
    Agreement {
        /// PolNeAR split directories (repeat the flag for several).
        #[arg(long, required = true)]
        polnear: Vec<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Named entities on CoNLL-2003 (conlleval semantics), with tagging speed.
    #[command(after_help = "\
An entity counts as found only with exact boundaries and type (PER, ORG, LOC, MISC); scores are
micro-averaged. The gold tokenization is used, so only the tagger is measured; words/s counts
feature extraction and decoding on one core, not reading the file. Then how well the entity
scores predict an exact match: uncalibrated, and calibrated cross-fitted over five folds of
documents (Brier score, expected calibration error, share right per score bin).

Examples:
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt --baseline bench/out/ner.json
  claimlens eval ner --conll ../shared/data/conll2003/valid.txt --model /tmp/entities.bin --json")]
    Ner {
        /// A CoNLL-2003 file (`word POS chunk tag`).
        #[arg(long)]
        conll: PathBuf,
        /// A model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// JSON written by bench/ner_baselines.py, printed side by side.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Part-of-speech classes on Penn Treebank-tagged text (CoNLL-2003 or CoNLL-U XPOS).
    #[command(after_help = "\
Treebank tags are mapped to the tagger's twenty coarse classes; accuracy is per token, on
the gold tokenization. Give --conll (CoNLL-2003 columns) or --conllu (the XPOS column).

Examples:
  claimlens eval pos --conll ../shared/data/conll2003/valid.txt
  claimlens eval pos --conllu ../shared/data/ud-english-ewt/en_ewt-ud-dev.conllu --json")]
    Pos {
        /// A CoNLL-2003 file (`word POS chunk tag`).
        #[arg(long, conflicts_with = "conllu", required_unless_present = "conllu")]
        conll: Option<PathBuf>,
        /// A CoNLL-U file (XPOS column).
        #[arg(long)]
        conllu: Option<PathBuf>,
        /// A model file instead of the embedded one.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Speaker resolution on hand-labelled pronoun and role-description sources of PolNeAR.
    #[command(after_help = "\
Runs the sourcing stage on gold attribution layers built from the PolNeAR relations, so that
only speaker resolution is measured, and compares each labelled source's canonical speaker
with the hand label (data/speaker-labels/README.md): correct when equal ignoring case or when
both end in the same word (surname); a NONE label is correct when the prediction is
`anonymous` or `unresolved`.

Examples:
  claimlens eval speakers --polnear ../shared/data/polnear/dev \\
      --labels data/speaker-labels/polnear-dev.tsv
  claimlens eval speakers --polnear ../shared/data/polnear/dev \\
      --labels data/speaker-labels/polnear-dev.tsv --verbose
  claimlens eval speakers --polnear ../shared/data/polnear/dev \\
      --labels data/speaker-labels/polnear-dev.tsv --json > speakers.json
  claimlens eval speakers --polnear ../shared/data/polnear/train \\
      --labels data/speaker-labels/polnear-train-heldout.tsv   # held out")]
    Speakers {
        /// The PolNeAR split directory the labels were made on (text/ and attributions/):
        /// `dev` for polnear-dev.tsv, `train` for polnear-train-heldout.tsv.
        #[arg(long)]
        polnear: PathBuf,
        /// The hand labels (TSV).
        #[arg(long)]
        labels: PathBuf,
        /// Print the report as JSON (errors included).
        #[arg(long)]
        json: bool,
        /// Also print every wrongly resolved source and every match by surname only.
        #[arg(long)]
        verbose: bool,
    },
    /// Time-expression detection and normalisation on hand-labelled expressions in their
    /// real context.
    #[command(after_help = "\
Each row names a shared file, a code-point offset, the expression, a reference date and the
expected TIMEX3 / ISO 8601 value (data/date-expressions/README.md). The expression's line
(its field for CSV files) is analysed by segment + temporal with that reference date;
detection = a `times` annotation overlaps it, accuracy = the most overlapping annotation's
value equals the expected one (over all rows).

Examples:
  claimlens eval dates --table data/date-expressions/expressions.tsv
  claimlens eval dates --table data/date-expressions/expressions.tsv --shared ../shared/data --verbose
  claimlens eval dates --table data/date-expressions/expressions.tsv --json > dates.json")]
    Dates {
        /// The labelled expressions (TSV).
        #[arg(long)]
        table: PathBuf,
        /// The shared data directory the table's paths are relative to.
        #[arg(long, default_value = "../shared/data")]
        shared: PathBuf,
        /// Print the report as JSON (mistakes included).
        #[arg(long)]
        json: bool,
        /// Also print every missed or wrongly normalised expression.
        #[arg(long)]
        verbose: bool,
    },
    /// Place resolution on hand-labelled place mentions (data/place-mentions/).
    #[command(after_help = "\
Reads each labelled article from the data directory, runs segmentation, the entity tagger
and the places stage (as the default pipeline does), and scores every labelled mention:
detected (a PLACE annotation overlaps it) and correct (the same GeoNames id, or, when the
label has none, the same country and kind and the same name or a point within 25 km). Also prints the places stage's time per document and the one-off
gazetteer load.

Given a table of the stage's own outputs (a `label` column: right, wrong-resolution,
not-a-place; data/place-mentions/outputs-train.tsv), prints instead the reliability of the
place scores: how many outputs of each label still match the stage, the Brier score,
expected calibration error and share right per score bin of the rule confidence and of the
calibrated probability, cross-fitted over five folds of documents, and of the reported
scores; --verbose lists outputs that changed since labelling, and outputs no row labels
(as table rows whose label is `?`).

Examples:
  claimlens eval places --table data/place-mentions/mentions.tsv
  claimlens eval places --table data/place-mentions/seed.tsv --verbose
  claimlens eval places --table data/place-mentions/mentions.tsv --data ../shared/data --json
  claimlens eval places --table data/place-mentions/outputs-train.tsv")]
    Places {
        /// The labelled mentions or labelled outputs (TSV; data/place-mentions/README.md).
        #[arg(long)]
        table: PathBuf,
        /// Directory the table's file paths are relative to.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Print the report as JSON (mistakes included).
        #[arg(long)]
        json: bool,
        /// Also print every mention that was missed or resolved wrongly.
        #[arg(long)]
        verbose: bool,
    },
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    match args.task {
        EvalTask::Retrieval(args) => crate::retrieval::run(args),
        EvalTask::Sentences {
            conllu,
            baseline,
            json,
        } => {
            let report = evaluate_sentences(&read_conllu(&conllu)?);
            print(&OnFile::new(&conllu, report), json, baseline, false)
        }
        EvalTask::Extraction {
            data,
            folds: Some(folds),
            pages,
            json,
            ..
        } => {
            let benchmark = extraction::read_benchmark(&data, 1)?;
            let mut report = extraction_cv::cross_validate(&benchmark, usize::from(folds));
            report.show_pages = pages;
            print(&report, json, None, false)
        }
        EvalTask::Extraction {
            data,
            baseline,
            json,
            ..
        } => print(
            &extraction::evaluate_extraction(&data)?,
            json,
            baseline,
            false,
        ),
        EvalTask::Attribution {
            polnear,
            model,
            json,
        } => {
            let docs = polnear::read_polnear(&polnear)?;
            let model = models::attribution(read_model(model)?.as_deref())?;
            let run = evaluate_attribution_model(&docs, &model);
            print(&OnFile::new(&polnear, run), json, None, false)
        }
        EvalTask::Metadata {
            table,
            data,
            verbose,
            json,
        } => print(
            &page_metadata::evaluate_metadata(&table, &data)?,
            json,
            None,
            verbose,
        ),
        EvalTask::Agreement { polnear, json } => {
            let dirs: Vec<&Path> = polnear.iter().map(PathBuf::as_path).collect();
            print(&agreement::annotator_agreement(&dirs)?, json, None, false)
        }
        EvalTask::Ner {
            conll,
            model,
            baseline,
            json,
        } => {
            let model = models::entities(read_model(model)?.as_deref())?;
            let report = evaluate_ner(&model, &read_conll(&conll)?);
            print(&OnFile::new(&conll, report), json, baseline, false)
        }
        EvalTask::Pos {
            conll,
            conllu,
            model,
            json,
        } => {
            let (sentences, path) = match (conll, conllu) {
                (Some(p), _) => (read_conll_pos(&p)?, p),
                (None, Some(p)) => (read_conllu_pos(&p)?, p),
                (None, None) => anyhow::bail!("give --conll or --conllu"),
            };
            let model = models::pos(read_model(model)?.as_deref())?;
            let report = evaluate_pos(&model, &sentences);
            print(&OnFile::new(&path, report), json, None, false)
        }
        EvalTask::Speakers {
            polnear,
            labels,
            json,
            verbose,
        } => {
            let report = speakers::evaluate_speakers(&polnear, &labels)?;
            print(&report, json, None, verbose)
        }
        EvalTask::Dates {
            table,
            shared,
            json,
            verbose,
        } => print(
            &dates::evaluate_dates(&table, &shared)?,
            json,
            None,
            verbose,
        ),
        EvalTask::Techniques {
            articles,
            labels,
            spans,
            folds,
            repeats,
            json,
        } => {
            use claimlens_eval::techniques;
            let data = techniques::read(&articles, &labels, spans.as_deref())?;
            if let (Some(k), Some(r)) = (folds, repeats) {
                refuse_test_or_dev(&[articles.as_path(), labels.as_path()])?;
                if spans.is_none() {
                    anyhow::bail!("--folds trains models, which needs --spans");
                }
                let report = claimlens_eval::technique_repeats::cross_validate_repeated(
                    &data,
                    &articles,
                    k,
                    usize::from(r),
                    &claimlens_eval::train::TechniquesOptions::default(),
                    &|line| eprintln!("{line}"),
                );
                return print(&report, json, None, false);
            }
            let report = match folds {
                None => {
                    let model = techniques::embedded_model()?;
                    techniques::evaluate(model, &data, &articles, spans.is_some())
                }
                Some(k) => {
                    refuse_test_or_dev(&[articles.as_path(), labels.as_path()])?;
                    if spans.is_none() {
                        anyhow::bail!("--folds trains models, which needs --spans");
                    }
                    techniques::cross_validate(
                        &data,
                        &articles,
                        k,
                        &claimlens_eval::train::TechniquesOptions::default(),
                        &|line| eprintln!("{line}"),
                    )
                }
            };
            print(&report, json, None, false)
        }
        EvalTask::Genre(args) => crate::document_labels::eval(args, false),
        EvalTask::Frames(args) => crate::document_labels::eval(args, true),
        EvalTask::Checkworthy {
            claimbuster,
            folds,
            clef2019,
            leave_one_out,
            model,
            learner,
        } => crate::checkworthy::eval(claimbuster, folds, clef2019, leave_one_out, model, learner),
        EvalTask::Places {
            table,
            data,
            json,
            verbose,
        } if place_outputs::is_outputs_table(&table)? => print(
            &place_outputs::evaluate_place_outputs(&data, &table)?,
            json,
            None,
            verbose,
        ),
        EvalTask::Places {
            table,
            data,
            json,
            verbose,
        } => print(
            &places::evaluate_places(&data, &table)?,
            json,
            None,
            verbose,
        ),
    }
}

/// Refuses to train on (and so tune to) a split whose path names it test or dev.
pub(crate) fn refuse_test_or_dev(paths: &[&Path]) -> Result<()> {
    let named = |p: &Path| {
        let s = p.to_string_lossy().to_lowercase();
        s.contains("test") || s.contains("dev")
    };
    if paths.iter().any(|p| named(p)) {
        anyhow::bail!("this fits to the data given: refusing a test or dev split");
    }
    Ok(())
}

/// Prints a report as every task does: JSON with `--json`; otherwise the text, then the
/// tools of a `--baseline` file side by side, then with `--verbose` the mistakes.
pub(crate) fn print(
    report: &dyn Report,
    json: bool,
    baseline: Option<PathBuf>,
    verbose: bool,
) -> Result<ExitCode> {
    if json {
        outln!("{}", report.to_json()?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut text = String::new();
    report.write_text(&mut text)?;
    out!("{text}");
    if let Some(path) = baseline {
        let file = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let baselines: serde_json::Value =
            serde_json::from_str(&file).with_context(|| format!("parsing {}", path.display()))?;
        text.clear();
        report.write_baselines(&baselines, &mut text)?;
        out!("{text}");
    }
    if verbose {
        for (heading, table) in report.mistakes() {
            outln!("{heading}:");
            out!("{table}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The bytes of the `--model` file, when one is given.
fn read_model(path: Option<PathBuf>) -> Result<Option<Vec<u8>>> {
    let Some(path) = path else { return Ok(None) };
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Some(bytes))
}
