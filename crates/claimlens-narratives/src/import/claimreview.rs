//! schema.org ClaimReview (JSON or JSON-LD, as fact-checkers embed it in their pages and the
//! Google Fact Check tools export it): one object, an array of them, or an object whose
//! `@graph` holds them. Nodes of other types (the publisher, the page) are passed over and
//! counted.
//!
//! Fields: `claimReviewed` (required) is the claim, `reviewRating.alternateName` the verdict,
//! `url` the case's id and url (else `@id`, else a stable hash of the claim), `datePublished`
//! the date, `name` or `headline` the title, `reviewBody` or `description` the summary,
//! `keywords` (a comma-separated string or an array), and `author.name` the source (unless
//! `--source` names one; `claimreview` when neither does).

use serde_json::Value;

use super::{stable_id, Collector, ImportError};
use crate::Case;

pub(super) fn read(
    input: &str,
    source: Option<&str>,
    out: &mut Collector,
) -> Result<(), ImportError> {
    let value: Value = serde_json::from_str(input).map_err(|e| {
        ImportError(format!(
            "not valid JSON at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let nodes: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => match map.get("@graph") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => vec![other],
            None => vec![&value],
        },
        _ => {
            return Err(ImportError(
                "expected a ClaimReview object, an array or an @graph".into(),
            ))
        }
    };
    for (index, node) in nodes.into_iter().enumerate() {
        let element = index as u64 + 1;
        let Some(object) = node.as_object() else {
            out.reject("element", element, "not a JSON object");
            continue;
        };
        if !is_claim_review(object.get("@type")) {
            if object.contains_key("@type") {
                out.imported.other_nodes += 1;
            } else {
                out.reject("element", element, "no @type (expected ClaimReview)");
            }
            continue;
        }
        let Some(claim) = string(object.get("claimReviewed")) else {
            out.reject("element", element, "a ClaimReview without claimReviewed");
            continue;
        };
        let url = string(object.get("url"));
        let case_id = url
            .clone()
            .or_else(|| string(object.get("@id")))
            .unwrap_or_else(|| stable_id(&[&claim]));
        let author = object.get("author").and_then(|a| match a {
            Value::Array(list) => list.first().and_then(name),
            other => name(other),
        });
        out.case(Case {
            source: source
                .map(str::to_owned)
                .or(author)
                .unwrap_or_else(|| "claimreview".to_owned()),
            case_id,
            title: string(object.get("name")).or_else(|| string(object.get("headline"))),
            summary: string(object.get("reviewBody")).or_else(|| string(object.get("description"))),
            verdict: object
                .get("reviewRating")
                .and_then(|r| string(r.get("alternateName"))),
            url,
            date: string(object.get("datePublished")),
            keywords: keywords(object.get("keywords")),
            claim: Some(claim),
        });
    }
    Ok(())
}

fn is_claim_review(kind: Option<&Value>) -> bool {
    match kind {
        Some(Value::String(s)) => s == "ClaimReview" || s.ends_with("/ClaimReview"),
        Some(Value::Array(kinds)) => kinds.iter().any(|k| is_claim_review(Some(k))),
        _ => false,
    }
}

/// A non-empty trimmed string.
fn string(value: Option<&Value>) -> Option<String> {
    super::text(value.and_then(Value::as_str))
}

/// An author or publisher: a string, or an object with `name`.
fn name(value: &Value) -> Option<String> {
    match value {
        Value::String(_) => string(Some(value)),
        Value::Object(map) => string(map.get("name")),
        _ => None,
    }
}

fn keywords(value: Option<&Value>) -> Vec<String> {
    let words: Vec<String> = match value {
        Some(Value::String(s)) => s.split(',').map(str::to_owned).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    words
        .into_iter()
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}
