//! Chooses the entity tagger's second pass on document folds of CoNLL-2003 train, never on
//! valid: for each fold, the first pass is trained on the other folds and tags it (the
//! baseline row), and each second-pass variant is trained on the other folds' held-out
//! first-pass predictions and scored on the fold. Scores are summed over the folds.
//!
//! ```sh
//! cargo run --release -p claimlens-eval --example ner_folds -- \
//!     ../shared/data/conll2003/train.txt --folds 5 --variants all,own,own+token+super
//! ```
//!
//! `--vote` adds, per variant, a row where every mention then takes the type most mentions
//! of the same words have in its document; `--epochs` sets the second pass's epochs;
//! `--beam` both passes' beam width (1: greedy; the default is the committed model's);
//! `--first-epochs` the first pass's epochs; `--min-weight` both passes' pruning threshold
//! (features whose averaged weights are all smaller are dropped).
//!
//! The second pass of fold `f` learns from first-pass predictions made by first passes that
//! saw fold `f` in training (one cross-fit serves every fold); those models never saw the
//! documents they tagged, which is what the second pass needs to learn from.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use claimlens_analyzers::entities::{
    cross_fit, fold_of, nonlocal_groups, train_second_pass, Model, NerDoc, SecondPassOptions,
    TrainOptions, CONLL_TYPES,
};
use claimlens_analyzers::learn::bio::spans;
use claimlens_eval::conll::read_conll;
use claimlens_eval::ner::evaluate_ner;
use claimlens_eval::Counts;

fn parse_groups(variant: &str) -> Result<u8, String> {
    if variant == "all" {
        return Ok(nonlocal_groups::ALL);
    }
    let mut mask = 0;
    for name in variant.split('+') {
        let (_, bit) = nonlocal_groups::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| format!("unknown feature group {name:?} in {variant:?}"))?;
        mask |= bit;
    }
    Ok(mask)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ner_folds: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (mut path, mut folds, mut variants, mut epochs) = (None, 5usize, "all".to_owned(), 12);
    let mut vote = false;
    let mut beam = TrainOptions::default().beam;
    let mut first_epochs = TrainOptions::default().epochs;
    let mut min_weight = None;
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--folds" => folds = value()?.parse().map_err(|e| format!("--folds: {e}"))?,
            "--epochs" => epochs = value()?.parse().map_err(|e| format!("--epochs: {e}"))?,
            "--variants" => variants = value()?,
            "--vote" => vote = true,
            "--beam" => beam = value()?.parse().map_err(|e| format!("--beam: {e}"))?,
            "--min-weight" => {
                min_weight = Some(value()?.parse().map_err(|e| format!("--min-weight: {e}"))?)
            }
            "--first-epochs" => {
                first_epochs = value()?
                    .parse()
                    .map_err(|e| format!("--first-epochs: {e}"))?
            }
            _ if path.is_none() => path = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    let path = path.ok_or("give a CoNLL-2003 training file")?;
    if folds < 2 {
        return Err("--folds must be at least 2".into());
    }
    let docs = read_conll(&path).map_err(|e| e.to_string())?;
    let opts = TrainOptions {
        second_pass: None,
        beam,
        epochs: first_epochs,
        min_weight: min_weight.unwrap_or(TrainOptions::default().min_weight),
        ..TrainOptions::default()
    };
    let start = Instant::now();
    let (firsts, tags) = cross_fit(&docs, &opts, folds);
    eprintln!("cross-fitted first pass: {:.1?}", start.elapsed());
    let in_fold = |f: usize| -> Vec<usize> {
        (0..docs.len())
            .filter(|&d| fold_of(d, folds) == f)
            .collect()
    };
    let row = |name: &str, per_fold: &[(Counts, Vec<Counts>)]| {
        let mut all = Counts::default();
        let mut types = vec![Counts::default(); CONLL_TYPES.len()];
        for (o, t) in per_fold {
            all.add(*o);
            for (a, b) in types.iter_mut().zip(t) {
                a.add(*b);
            }
        }
        let folds: Vec<String> = per_fold
            .iter()
            .map(|(o, _)| format!("{:.4}", o.f1()))
            .collect();
        println!(
            "| {name} | {:.4} | {:.4} | **{:.4}** | {} | {} |",
            all.precision(),
            all.recall(),
            all.f1(),
            types
                .iter()
                .map(|c| format!("{:.4}", c.f1()))
                .collect::<Vec<_>>()
                .join(" | "),
            folds.join(" "),
        );
    };
    println!("| variant | P | R | F1 | PER | ORG | LOC | MISC | F1 per fold |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let score = |model: &Model, f: usize| {
        let held: Vec<_> = in_fold(f).into_iter().map(|d| docs[d].clone()).collect();
        let r = evaluate_ner(model, &held);
        (
            r.overall,
            r.per_type.into_iter().map(|(_, c)| c).collect::<Vec<_>>(),
        )
    };
    let base: Vec<_> = (0..folds).map(|f| score(&firsts[f], f)).collect();
    row("first pass only", &base);
    for variant in variants.split(',') {
        let groups = parse_groups(variant)?;
        let second_opts = SecondPassOptions {
            groups,
            epochs,
            min_weight: min_weight.unwrap_or(SecondPassOptions::default().min_weight),
            ..SecondPassOptions::default()
        };
        let start = Instant::now();
        let per_fold: Vec<_> = (0..folds)
            .map(|f| {
                let rest: Vec<usize> = (0..docs.len())
                    .filter(|&d| fold_of(d, folds) != f)
                    .collect();
                let second =
                    train_second_pass(&docs, &tags, &rest, &second_opts, &opts, |_, _, _| {});
                score(&firsts[f].clone().with_second_pass(second), f)
            })
            .collect();
        eprintln!("{variant}: {:.1?}", start.elapsed());
        row(&format!("second pass: {variant}"), &per_fold);
        if vote {
            let voted: Vec<_> = (0..folds)
                .map(|f| {
                    let rest: Vec<usize> = (0..docs.len())
                        .filter(|&d| fold_of(d, folds) != f)
                        .collect();
                    let second =
                        train_second_pass(&docs, &tags, &rest, &second_opts, &opts, |_, _, _| {});
                    let model = firsts[f].clone().with_second_pass(second);
                    let held: Vec<_> = in_fold(f).into_iter().map(|d| &docs[d]).collect();
                    score_voted(&model, &held)
                })
                .collect();
            row(
                &format!("second pass: {variant}, then a type vote per name"),
                &voted,
            );
        }
    }
    Ok(())
}

/// Tags each document, then gives every mention the type most mentions of the same words
/// have in that document (ties: the mention's own), and scores exact spans and types.
fn score_voted(model: &Model, docs: &[&NerDoc]) -> (Counts, Vec<Counts>) {
    type Key = (usize, usize, usize, usize, u8);
    let (mut predicted, mut gold): (Vec<Key>, Vec<Key>) = (Vec::new(), Vec::new());
    for (d, doc) in docs.iter().enumerate() {
        let words = doc.word_slices();
        let found = model.tag_document(&words);
        let mut votes: HashMap<Vec<&str>, [usize; 4]> = HashMap::new();
        for (s, ents) in found.iter().enumerate() {
            for e in ents {
                votes.entry(words[s][e.words.clone()].to_vec()).or_default()[e.role as usize] += 1;
            }
        }
        for (s, ents) in found.iter().enumerate() {
            for e in ents {
                let v = votes[&words[s][e.words.clone()].to_vec()];
                let best = (0..4u8)
                    .max_by_key(|&r| (v[r as usize], r == e.role))
                    .expect("four types");
                predicted.push((d, s, e.words.start, e.words.end, best));
            }
        }
        for (s, sent) in doc.sentences.iter().enumerate() {
            for (role, r) in spans(&sent.tags) {
                gold.push((d, s, r.start, r.end, role));
            }
        }
    }
    let counts = |role: Option<u8>| {
        let pick = |v: &[Key]| {
            let mut v: Vec<Key> = v
                .iter()
                .copied()
                .filter(|k| role.is_none_or(|r| k.4 == r))
                .collect();
            v.sort_unstable();
            v
        };
        Counts::from_sorted_sets(&pick(&predicted), &pick(&gold))
    };
    (counts(None), (0..4).map(|r| counts(Some(r))).collect())
}
