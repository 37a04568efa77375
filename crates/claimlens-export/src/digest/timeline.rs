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

/// Sort key: the calendar start of a value (`2018` → `2018`, `2019-W06` → `2019-W06`);
/// values with unknown parts (`XXXX-02-05`) and without a value sort last.
fn key(value: &str) -> (bool, &str) {
    (value.is_empty() || value.starts_with('X'), value)
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
                a = a.with_attr("value", v);
            }
            layer.push(a);
        };
        add(3, 7, Some("2019"));
        add(22, 27, Some("XXXX-05-05"));
        add(48, 52, Some("2017"));
        doc.insert_layer(layer).unwrap();
        doc.sentences = vec![Sentence {
            span: Span::new(0, 18),
            paragraph: 0,
            end_rule: BoundaryRule::TerminalPunctuation,
        }];
        let t = timeline(&doc);
        let values: Vec<&str> = t.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(values, ["2017", "2019", "XXXX-05-05"]);
        assert_eq!(t[1].sentence, Span::new(0, 18));
    }
}
