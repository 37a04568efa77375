//! How far two PolNeAR annotators agree, scored exactly as the tagger is: a human ceiling for
//! the attribution figures.
//!
//! A few PolNeAR articles were annotated by two or more annotators (agreement checks). For
//! each, the reference annotator (the id that sorts first, as [`crate::polnear`] reads it)
//! is gold and the next one is scored as if it were a system, with
//! [`crate::attribution::score_attribution`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::attribution::{score_attribution, AttributionReport, PredictedRelation};
use crate::error::{read_text, EvalError};
use crate::polnear::{parse_brat, PolnearDoc, PolnearStats};

/// Agreement over the doubly annotated articles of some splits.
pub struct Agreement {
    /// Articles with a second annotation.
    pub articles: usize,
    /// The second annotator scored against the reference.
    pub report: AttributionReport,
}

/// Reads every split directory and scores the second annotator of each article that has one.
pub fn annotator_agreement(split_dirs: &[&Path]) -> Result<Agreement, EvalError> {
    let mut pairs: Vec<(PolnearDoc, Vec<PredictedRelation>)> = Vec::new();
    let mut stats = PolnearStats::default();
    for dir in split_dirs {
        let ann_dir = dir.join("attributions");
        let entries =
            std::fs::read_dir(&ann_dir).map_err(|source| EvalError::io(&ann_dir, source))?;
        let mut articles: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for entry in entries {
            let entry = entry.map_err(|source| EvalError::io(&ann_dir, source))?;
            let name = entry.file_name();
            let Some((article, annotator)) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".ann"))
                .and_then(|s| s.rsplit_once('_'))
            else {
                continue;
            };
            articles
                .entry(article.to_owned())
                .or_default()
                .push(annotator.to_owned());
        }
        for (id, mut annotators) in articles {
            if annotators.len() < 2 {
                continue;
            }
            annotators.sort();
            let text_path = dir.join("text").join(format!("{id}.txt"));
            let text = read_text(&text_path)?;
            let read = |annotator: &str, stats: &mut PolnearStats| {
                let path = ann_dir.join(format!("{id}_{annotator}.ann"));
                let ann = read_text(&path)?;
                parse_brat(&ann, &text, &path, stats)
            };
            let relations = read(&annotators[0], &mut stats)?;
            let second = read(&annotators[1], &mut stats)?;
            pairs.push((
                PolnearDoc {
                    id,
                    text: text.clone(),
                    relations,
                },
                second.iter().map(PredictedRelation::from).collect(),
            ));
        }
    }
    let refs: Vec<(&PolnearDoc, Vec<PredictedRelation>)> =
        pairs.iter().map(|(d, p)| (d, p.clone())).collect();
    Ok(Agreement {
        articles: pairs.len(),
        report: score_attribution(&refs),
    })
}
