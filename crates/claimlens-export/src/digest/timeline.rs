//! The timeline: every normalised time expression in calendar order, with the sentence it
//! dates, built from the `times` layer.

use claimlens_core::{Doc, Span};
use claimlens_schema::layer;

use super::attr_text as text;

/// One dated entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    /// Index of the expression in the `times` layer.
    pub index: usize,
    /// TIMEX3 type (`DATE`, `TIME`, `RANGE`, ...).
    pub label: String,
    /// Normalised value (`2019-02-05`, `2018`, `2015/2017`); empty when unresolved.
    pub value: String,
    /// `absolute`, `publication` or `unresolved`.
    pub anchor: String,
    /// The expression.
    pub span: Span,
    /// The sentence it occurs in (the event it dates).
    pub sentence: Span,
}

/// Sort key: dated values first, by their calendar start (`2018`, `2019-02-05`,
/// `2019-W06`: TIMEX3 values compare as text); then values with an unknown year
/// (`XXXX-02-05`, a date whose year the publication date would have given); then the other
/// relative references (`PRESENT_REF`, `FUTURE_REF`); expressions without a value last.
fn key(value: &str) -> (u8, &str) {
    let group = match value.as_bytes().first() {
        Some(b'0'..=b'9') => 0,
        Some(b'X') => 1,
        Some(_) => 2,
        None => 3,
    };
    (group, value)
}

/// Dates, times and ranges in calendar order (durations and sets, which date nothing, are
/// left out). Empty when the layer is absent.
pub fn timeline(doc: &Doc) -> Vec<TimelineEntry> {
    let Some(times) = doc.layer(layer::TIMES) else {
        return Vec::new();
    };
    let mut out: Vec<TimelineEntry> = times
        .annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a.label.as_ref(), "DATE" | "TIME" | "RANGE"))
        .map(|(index, a)| {
            let k = doc
                .sentences
                .partition_point(|s| s.span.end <= a.span.start);
            let sentence = doc.sentences.get(k).map_or(a.span, |s| s.span);
            TimelineEntry {
                index,
                label: a.label.to_string(),
                value: text(a.attr("value")),
                anchor: text(a.attr("anchor")),
                span: a.span,
                sentence,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        key(&a.value)
            .cmp(&key(&b.value))
            .then(a.span.start.cmp(&b.span.start))
    });
    out
}

#[cfg(test)]
mod tests {
    use claimlens_core::{Annotation, BoundaryRule, Layer, Reason, Sentence, Span};

    use super::*;

    #[test]
    fn orders_by_value_and_puts_unknowns_last() {
        let mut doc = Doc::new(
            "d",
            "In 2019 it rained. On 5 May it was dry. Back in 2017 too.",
        );
        let mut layer = Layer::new("times", "test");
        let mut add = |start: usize, end: usize, value: Option<&str>| {
            let mut a = Annotation::new(Span::new(start, end), "DATE", Reason::rule("t", "r"));
            if let Some(v) = value {
                a = a.with_attr("value", v.to_owned());
            }
            layer.push(a);
        };
        add(3, 7, Some("2019"));
        add(22, 27, Some("XXXX-05-05"));
        add(48, 52, Some("2017"));
        add(8, 12, None);
        add(13, 17, Some("PRESENT_REF"));
        doc.insert_layer(layer).unwrap();
        doc.sentences = vec![Sentence {
            span: Span::new(0, 18),
            paragraph: 0,
            end_rule: BoundaryRule::TerminalPunctuation,
        }];
        let t = timeline(&doc);
        let values: Vec<&str> = t.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(values, ["2017", "2019", "XXXX-05-05", "PRESENT_REF", ""]);
        assert_eq!(t[1].sentence, Span::new(0, 18));
    }
}
