//! The committed part-of-speech model on CoNLL-2003 valid (in domain) and UD English EWT dev
//! (web text), when ../shared/data is present.

use std::path::PathBuf;

use claimlens_analyzers::pos::Model;
use claimlens_eval::pos::{evaluate_pos, read_conll_pos, read_conllu_pos};

fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        claimlens_testkit::skip(
            claimlens_testkit::Requirement::SharedData,
            &format!("{} not present", p.display()),
        );
        None
    }
}

#[test]
fn committed_model_scores_above_floor() {
    let model = Model::embedded().unwrap();
    // Measured 2026-11-26: 0.9526 (verb forms 0.8988) and 0.8774 (0.8364).
    if let Some(p) = shared("conll2003/valid.txt") {
        let r = evaluate_pos(model, &read_conll_pos(&p).unwrap());
        assert!(
            r.accuracy() > 0.945,
            "CoNLL valid accuracy {:.4}",
            r.accuracy()
        );
        assert!(r.verb_accuracy() > 0.89, "verbs {:.4}", r.verb_accuracy());
    }
    if let Some(p) = shared("ud-english-ewt/en_ewt-ud-dev.conllu") {
        let r = evaluate_pos(model, &read_conllu_pos(&p).unwrap());
        assert!(r.accuracy() > 0.87, "EWT dev accuracy {:.4}", r.accuracy());
    }
}
