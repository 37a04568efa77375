//! `claimlens eval genre` and `claimlens eval frames`: what the `genre` stage decides of
//! whole articles, scored on SemEval-2023 Task 3 labels (subtasks 1 and 2).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::eval::{print, refuse_test_or_dev};

/// The arguments of `eval genre` and `eval frames`.
#[derive(Args)]
pub struct DocLabelArgs {
    /// Folder of article<ID>.txt files.
    #[arg(long)]
    articles: PathBuf,
    /// Labels: ID<TAB>genre (genre) or ID<TAB>Frame,Frame (frames).
    #[arg(long)]
    labels: PathBuf,
    /// Cross-validate by article with this many folds.
    #[arg(long)]
    folds: Option<usize>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `eval genre` (`frames` false) or `eval frames`.
pub fn eval(args: DocLabelArgs, frames: bool) -> Result<ExitCode> {
    use claimlens_eval::{frames as fr, genre};
    let DocLabelArgs {
        articles,
        labels,
        folds,
        json,
    } = args;
    if folds.is_some() {
        refuse_test_or_dev(&[articles.as_path(), labels.as_path()])?;
    }
    let (g, f) = if frames {
        (None, Some(labels.as_path()))
    } else {
        (Some(labels.as_path()), None)
    };
    let data = genre::read(&articles, g, f)?;
    let model = match folds {
        None => Some(genre::embedded_model()?),
        Some(_) => None,
    };
    let opts = claimlens_eval::train::GenreOptions::default();
    let log = |line: &str| eprintln!("{line}");
    let k = folds.unwrap_or(5);
    if frames {
        let report = fr::evaluate_frames(&data, &articles, model, k, &opts, &log);
        print(&report, json, None, false)
    } else {
        let report = genre::evaluate_genre(&data, &articles, model, k, &opts, &log);
        print(&report, json, None, false)
    }
}
