//! Speaker resolution on hand-labelled PolNeAR sources (`data/speaker-labels/`).
//!
//! The labels file names gold attribution sources that are pronouns ("he", "who") or role
//! descriptions ("the senator", "the campaign") and, for each, the canonical speaker a reader
//! identifies from the article ("Lindsey Graham", "the Clinton campaign") or `NONE` when the
//! referent is not a named entity of the text (generic "you", an unnamed aide, a document).
//!
//! # What is measured
//!
//! Resolution **in isolation from tagging errors**: for every labelled document the text is
//! segmented, then the `attribution-parts` and `attributions` layers are built from the
//! **gold** relations ([`insert_gold_attributions`]), exactly in the shape the attribution
//! stage produces, and only then does [`SourcingStage`] run. Its `speakers` annotation whose
//! span equals a labelled source span is the prediction; its label is the canonical speaker.
//!
//! # Matching rule
//!
//! A prediction is correct when
//!
//! * the label is `NONE` and the prediction is `anonymous` or `unresolved`; or
//! * the label is a name and, after trimming, case folding and dropping a leading "the" ("the
//!   Trump campaign" is "Trump campaign"), the prediction equals it, or
//!   both end in the same word (the surname: "Mr Obama" matches "Barack Obama"; a final
//!   possessive `'s` is ignored). The surname rule is lenient: "Ivana Trump" matches
//!   "Donald Trump", and for a label naming two entities ("Obama and Hillary Clinton") the
//!   second one alone ("Hillary Clinton") counts while the first alone does not. Such matches
//!   are listed in [`SpeakerReport::surname_matches`] so they can be checked.
//! * A label may list other names the article uses for the same entity after ` | `
//!   ("the International Monetary Fund | the IMF", "Ban Ki-moon | Mr. Ban"); matching any of
//!   them counts.
//!
//! A labelled span without a `speakers` annotation counts as an error (`(missing)`).
//!
//! # Labels file
//!
//! Tab-separated, a header line, then `doc_id source_start source_end mention speaker [note]`
//! with **code-point** offsets as in the brat `.ann` files. `mention` is the span's text,
//! white space collapsed; long spans are cut to their first six words followed by ` …`. The
//! reader checks every mention against the article text, so labels and data cannot drift
//! apart silently. Blank lines and lines starting with `#` are skipped.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use claimlens_analyzers::attribution::{attribution_kind, Role, PARTS_LAYER, RELATIONS_LAYER};
use claimlens_analyzers::sourcing::SourcingStage;
use claimlens_analyzers::Segmenter;
use claimlens_core::{Annotation, AttrValue, Doc, Layer, ModelError, Reason, Span, Stage};
use claimlens_schema::{Attribution, ContentPart};
use serde::Serialize;

use crate::polnear::{read_polnear, GoldRelation, PolnearDoc};
use crate::EvalError;

/// The label meaning "not a named entity of the text".
pub const NONE_LABEL: &str = "NONE";

/// Rule recorded in the reasons of the gold attribution layers.
const GOLD_RULE: &str = "gold:polnear";

/// Words that make a one-word mention a pronoun; every other labelled mention is a role
/// description.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "we", "i", "it", "you", "who", "whom", "whose", "which", "that", "this",
    "his", "her", "him", "them", "us", "me", "my", "our", "its", "their", "one",
];

/// How a labelled source refers to its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionType {
    /// A single pronoun ("he", "who", "it").
    Pronoun,
    /// A description without the speaker's name ("the senator", "The Trump campaign").
    Role,
}

impl MentionType {
    /// Classifies a mention: one word from the pronoun list is a pronoun, anything else a role.
    pub fn of(mention: &str) -> MentionType {
        let words: Vec<&str> = mention.split_whitespace().collect();
        let is_pronoun = match words.as_slice() {
            [w] => {
                let w = w
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                PRONOUNS.contains(&w.as_str())
            }
            _ => false,
        };
        if is_pronoun {
            MentionType::Pronoun
        } else {
            MentionType::Role
        }
    }

    /// Stable identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            MentionType::Pronoun => "pronoun",
            MentionType::Role => "role",
        }
    }
}

/// One line of the labels file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerLabel {
    /// PolNeAR article id.
    pub doc_id: String,
    /// Source span start, code points.
    pub start: usize,
    /// Source span end, code points.
    pub end: usize,
    /// The span's text (white space collapsed, possibly cut and ending in ` …`).
    pub mention: String,
    /// The canonical speaker, or [`NONE_LABEL`].
    pub speaker: String,
    /// Free-text note.
    pub note: String,
    /// 1-based line in the labels file.
    pub line: u64,
}

impl SpeakerLabel {
    /// Pronoun or role description.
    pub fn mention_type(&self) -> MentionType {
        MentionType::of(&self.mention)
    }
}

/// Reads a labels file.
pub fn read_labels(path: &Path) -> Result<Vec<SpeakerLabel>, EvalError> {
    crate::tsv::read(path, parse_labels)
}

/// Parses the labels file format (see the module docs).
pub fn parse_labels(content: &str, path: &Path) -> Result<Vec<SpeakerLabel>, EvalError> {
    let format = |line: u64, message: String| crate::tsv::format_error(path, line, message);
    let mut labels = Vec::new();
    for crate::tsv::Row { line, cols } in crate::tsv::rows(content, path, "doc_id")? {
        crate::tsv::check_columns(path, line, &cols, &[5, 6])?;
        let offset = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| format(line, format!("bad offset `{s}`")))
        };
        let (start, end) = (offset(cols[1])?, offset(cols[2])?);
        if start >= end {
            return Err(format(line, format!("empty span {start}..{end}")));
        }
        let speaker = cols[4].trim();
        if speaker.is_empty() {
            return Err(format(line, "empty speaker label".into()));
        }
        labels.push(SpeakerLabel {
            doc_id: cols[0].to_owned(),
            start,
            end,
            mention: cols[3].to_owned(),
            speaker: speaker.to_owned(),
            note: cols.get(5).map_or(String::new(), |s| (*s).to_owned()),
            line,
        });
    }
    Ok(labels)
}

/// Accuracy over a group of labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Accuracy {
    /// Labels in the group.
    pub total: usize,
    /// Correctly resolved.
    pub correct: usize,
    /// `correct / total` (0 when empty).
    pub accuracy: f64,
}

impl Accuracy {
    fn add(&mut self, correct: bool) {
        self.total += 1;
        self.correct += usize::from(correct);
        self.accuracy = self.correct as f64 / self.total as f64;
    }
}

/// One labelled source with its prediction (an error, or a match by surname only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakerCase {
    /// PolNeAR article id.
    pub doc_id: String,
    /// Source start, code points.
    pub start: usize,
    /// Source end, code points.
    pub end: usize,
    /// The mention.
    pub mention: String,
    /// Pronoun or role.
    pub mention_type: MentionType,
    /// The hand label.
    pub expected: String,
    /// The `speakers` label, or `(missing)`.
    pub predicted: String,
    /// The sourcing stage's `attrs.kind` (`named`, `pronoun`, `role`, `anonymous`).
    pub predicted_kind: String,
    /// The sourcing stage's `reason.rule`.
    pub rule: String,
}

/// Speaker-resolution scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SpeakerReport {
    /// Documents with at least one label.
    pub docs: usize,
    /// Labels scored.
    pub total: usize,
    /// Correctly resolved.
    pub correct: usize,
    /// `correct / total`.
    pub accuracy: f64,
    /// By mention type (`pronoun`, `role`).
    pub by_mention: BTreeMap<MentionType, Accuracy>,
    /// Labels naming a speaker vs labels `NONE`.
    pub named_labels: Accuracy,
    /// Labels `NONE` (correct when the prediction is `anonymous` / `unresolved`).
    pub none_labels: Accuracy,
    /// Labelled spans the sourcing stage gave no `speakers` annotation.
    pub missing: usize,
    /// Every wrong prediction, in label order.
    pub errors: Vec<SpeakerCase>,
    /// Correct predictions that match the label only by the last word (see the module docs),
    /// to check how lenient that rule is ("Bill Clinton" for "Hillary Clinton" counts).
    pub surname_matches: Vec<SpeakerCase>,
    /// Correct with the name as a reader sees it: the correct predictions less the surname
    /// matches ("Trump" for "Donald Trump" is right about who, not about the name shown).
    pub exact_name: Accuracy,
}

impl SpeakerReport {
    /// The errors as a table, one per line.
    pub fn errors_table(&self) -> String {
        cases_table(&self.errors)
    }

    /// The matches by surname only as a table, one per line.
    pub fn surname_matches_table(&self) -> String {
        cases_table(&self.surname_matches)
    }
}

fn cases_table(cases: &[SpeakerCase]) -> String {
    let mut out = String::new();
    for e in cases {
        out.push_str(&format!(
            "  {} {}-{} [{}] {:?}: expected {:?}, predicted {:?} ({}, {})\n",
            e.doc_id,
            e.start,
            e.end,
            e.mention_type.as_str(),
            e.mention,
            e.expected,
            e.predicted,
            e.predicted_kind,
            e.rule
        ));
    }
    out
}

impl fmt::Display for SpeakerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "speaker resolution on gold sources ({} documents, {} labels)",
            self.docs, self.total
        )?;
        writeln!(
            f,
            "  {:<16} {:>6} {:>8} {:>9}",
            "", "total", "correct", "accuracy"
        )?;
        let mut rows: Vec<(String, Accuracy)> = vec![(
            "all".to_owned(),
            Accuracy {
                total: self.total,
                correct: self.correct,
                accuracy: self.accuracy,
            },
        )];
        for (kind, acc) in &self.by_mention {
            rows.push((kind.as_str().to_owned(), *acc));
        }
        rows.push(("label: named".to_owned(), self.named_labels));
        rows.push(("label: NONE".to_owned(), self.none_labels));
        rows.push(("exact name".to_owned(), self.exact_name));
        for (name, acc) in &rows {
            writeln!(
                f,
                "  {:<16} {:>6} {:>8} {:>9.4}",
                name, acc.total, acc.correct, acc.accuracy
            )?;
        }
        write!(
            f,
            "  errors: {} (missing speaker annotation: {}); correct by surname only: {}",
            self.errors.len(),
            self.missing,
            self.surname_matches.len()
        )
    }
}

/// Reads a PolNeAR split (the one the labels were made on: `dev` or `train`) and the labels,
/// runs the sourcing stage on gold attributions, scores it.
pub fn evaluate_speakers(polnear_split: &Path, labels: &Path) -> Result<SpeakerReport, EvalError> {
    let label_rows = read_labels(labels)?;
    let docs = read_polnear(polnear_split)?;
    score_speakers(&docs, &label_rows, labels)
}

/// Scores labels against documents already read; `labels_path` is used in error messages.
pub fn score_speakers(
    docs: &[PolnearDoc],
    labels: &[SpeakerLabel],
    labels_path: &Path,
) -> Result<SpeakerReport, EvalError> {
    let by_id: HashMap<&str, &PolnearDoc> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut grouped: BTreeMap<&str, Vec<&SpeakerLabel>> = BTreeMap::new();
    for l in labels {
        grouped.entry(l.doc_id.as_str()).or_default().push(l);
    }
    let format = |line: u64, message: String| EvalError::Format {
        path: PathBuf::from(labels_path),
        line,
        message,
    };
    let mut report = SpeakerReport {
        docs: grouped.len(),
        ..SpeakerReport::default()
    };
    let mut resolved: HashMap<&str, Doc> = HashMap::with_capacity(grouped.len());
    for (id, doc_labels) in &grouped {
        let Some(gold) = by_id.get(id) else {
            return Err(format(
                doc_labels[0].line,
                format!("document `{id}` is not in the PolNeAR split"),
            ));
        };
        let mut doc = Doc::new(gold.id.clone(), gold.text.clone());
        Segmenter.run(&mut doc);
        insert_gold_attributions(&mut doc, &gold.relations)
            .map_err(|e| format(doc_labels[0].line, format!("gold layers for `{id}`: {e}")))?;
        SourcingStage.run(&mut doc);
        resolved.insert(id, doc);
    }
    // Scored in label-file order, so errors come out in that order too.
    for l in labels {
        let doc = &resolved[l.doc_id.as_str()];
        let span = byte_span(doc.text(), l.start, l.end).ok_or_else(|| {
            format(
                l.line,
                format!("offsets {}..{} out of range", l.start, l.end),
            )
        })?;
        if !mention_matches(doc.slice(span), &l.mention) {
            return Err(format(
                l.line,
                format!(
                    "mention {:?} does not match the text {:?}",
                    l.mention,
                    doc.slice(span)
                ),
            ));
        }
        let predicted = doc
            .layer(claimlens_schema::layer::SPEAKERS)
            .and_then(|layer| layer.annotations.iter().find(|a| a.span == span));
        let matched = predicted.and_then(|a| match_speaker(&a.label, &l.speaker));
        let correct = matched.is_some();
        let kind = l.mention_type();
        report.total += 1;
        report.correct += usize::from(correct);
        report.by_mention.entry(kind).or_default().add(correct);
        if l.speaker == NONE_LABEL {
            report.none_labels.add(correct);
        } else {
            report.named_labels.add(correct);
        }
        report.missing += usize::from(predicted.is_none());
        if matches!(matched, None | Some(SpeakerMatch::Surname)) {
            let attr = |a: &Annotation, key: &str| match a.attr(key) {
                Some(AttrValue::Str(s)) => s.to_string(),
                _ => String::new(),
            };
            let case = SpeakerCase {
                doc_id: l.doc_id.clone(),
                start: l.start,
                end: l.end,
                mention: l.mention.clone(),
                mention_type: kind,
                expected: l.speaker.clone(),
                predicted: predicted.map_or("(missing)".to_owned(), |a| a.label.to_string()),
                predicted_kind: predicted.map_or(String::new(), |a| attr(a, "kind")),
                rule: predicted.map_or(String::new(), |a| a.reason.rule.to_string()),
            };
            if correct {
                report.surname_matches.push(case);
            } else {
                report.errors.push(case);
            }
        }
    }
    report.accuracy = if report.total == 0 {
        0.0
    } else {
        report.correct as f64 / report.total as f64
    };
    let exact = report.correct - report.surname_matches.len();
    report.exact_name = Accuracy {
        total: report.total,
        correct: exact,
        accuracy: exact as f64 / report.total.max(1) as f64,
    };
    Ok(report)
}

/// Separates alternative names of one entity in a label.
pub const ALIAS_SEPARATOR: &str = " | ";

/// How a prediction matched a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerMatch {
    /// Equal after trimming and case folding.
    Exact,
    /// Same last word only.
    Surname,
    /// A `NONE` label and an `anonymous` / `unresolved` prediction.
    Unnamed,
}

/// The matching rule (see the module docs): `true` when the prediction counts as correct.
pub fn speaker_matches(predicted: &str, expected: &str) -> bool {
    match_speaker(predicted, expected).is_some()
}

/// How `predicted` matches `expected` (trying every alias, best match first), if at all.
pub fn match_speaker(predicted: &str, expected: &str) -> Option<SpeakerMatch> {
    let matches: Vec<SpeakerMatch> = expected
        .split(ALIAS_SEPARATOR)
        .filter_map(|name| match_one(predicted, name))
        .collect();
    [
        SpeakerMatch::Exact,
        SpeakerMatch::Unnamed,
        SpeakerMatch::Surname,
    ]
    .into_iter()
    .find(|m| matches.contains(m))
}

fn match_one(predicted: &str, expected: &str) -> Option<SpeakerMatch> {
    // A leading article is how a sentence refers to an organisation, not part of its name:
    // "the Commission on Presidential Debates" is "Commission on Presidential Debates".
    let norm = |s: &str| {
        let s = s
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        match s.strip_prefix("the ") {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ => s,
        }
    };
    let (p, e) = (norm(predicted), norm(expected));
    let unresolved = p == "anonymous" || p == "unresolved" || p.is_empty();
    if e == NONE_LABEL.to_lowercase() {
        return (p == "anonymous" || p == "unresolved").then_some(SpeakerMatch::Unnamed);
    }
    if unresolved {
        return None;
    }
    if p == e {
        return Some(SpeakerMatch::Exact);
    }
    let last = |s: &str| -> String {
        let w = s
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .trim_matches(|c: char| !c.is_alphanumeric());
        w.strip_suffix("’s")
            .or_else(|| w.strip_suffix("'s"))
            .unwrap_or(w)
            .to_owned()
    };
    let (lp, le) = (last(&p), last(&e));
    (!lp.is_empty() && lp == le).then_some(SpeakerMatch::Surname)
}

/// True when `mention` (white space collapsed, possibly cut with a final ` …`) is `text`.
fn mention_matches(text: &str, mention: &str) -> bool {
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = collapse(text);
    match mention.strip_suffix(" …") {
        Some(prefix) => text.starts_with(&collapse(prefix)),
        None => text == collapse(mention),
    }
}

/// Code-point offsets → byte span, `None` when out of range.
pub(crate) fn byte_span(text: &str, start: usize, end: usize) -> Option<Span> {
    let mut byte_of = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let s = byte_of.nth(start)?;
    let e = if end == start {
        s
    } else {
        byte_of.nth(end - start - 1)?
    };
    Some(Span::new(s, e))
}

/// Adds `attribution-parts` and `attributions` built from gold relations, in the shape the
/// attribution stage produces: one `SOURCE` / `CUE` / `CONTENT` part per distinct span (a
/// source shared by several relations is one part), one `ATTRIBUTION` per relation anchored on
/// its cue and linking `cue`, `source` and `content` parts.
///
/// A role's fragments separated only by white space form one span (brat splits spans at line
/// breaks); the source and the cue are each one span from their first to their last fragment,
/// content fragments separated by other text stay separate spans. A relation without a cue
/// is anchored on its source (or, without either, on its content) so that it still sorts in
/// text order.
pub fn insert_gold_attributions(
    doc: &mut Doc,
    relations: &[GoldRelation],
) -> Result<(), ModelError> {
    let text = doc.text().to_owned();
    let whole = |frags: &[std::ops::Range<usize>]| -> Option<Span> {
        let start = frags.iter().map(|r| r.start).min()?;
        let end = frags.iter().map(|r| r.end).max()?;
        Some(Span::new(start, end))
    };
    let pieces = |frags: &[std::ops::Range<usize>]| -> Vec<Span> {
        let mut out: Vec<Span> = Vec::new();
        for f in frags {
            match out.last_mut() {
                Some(last)
                    if (last.end as usize) <= f.start
                        && text[last.end as usize..f.start].trim().is_empty() =>
                {
                    *last = Span::new(last.start as usize, f.end);
                }
                _ => out.push(Span::new(f.start, f.end)),
            }
        }
        out
    };
    struct Rel {
        anchor: Span,
        cue: Option<Span>,
        source: Option<Span>,
        content: Vec<Span>,
    }
    let rels: Vec<Rel> = relations
        .iter()
        .filter_map(|r| {
            let cue = whole(&r.cue);
            let source = whole(&r.source);
            let content = pieces(&r.content);
            let anchor = cue.or(source).or_else(|| content.first().copied())?;
            Some(Rel {
                anchor,
                cue,
                source,
                content,
            })
        })
        .collect();
    // Parts: distinct (role, span), sorted by position like the tagger's output.
    let mut parts: Vec<(Span, Role)> = Vec::new();
    for r in &rels {
        parts.extend(r.cue.map(|s| (s, Role::Cue)));
        parts.extend(r.source.map(|s| (s, Role::Source)));
        parts.extend(r.content.iter().map(|&s| (s, Role::Content)));
    }
    parts.sort_by_key(|(s, role)| (s.start, s.end, *role));
    parts.dedup();
    let index_of = |span: Span, role: Role| -> u32 {
        parts
            .binary_search_by_key(&(span.start, span.end, role), |(s, r)| (s.start, s.end, *r))
            .expect("every part was collected") as u32
    };
    let mut parts_layer = Layer::new(PARTS_LAYER, "attribution");
    for &(span, role) in &parts {
        let mut a = Annotation::new(span, role.label(), Reason::rule("attribution", GOLD_RULE));
        if role == Role::Content {
            a = a.with_attr("quoted", is_quoted(&text[span.range()]));
        }
        parts_layer.push(a);
    }
    let mut rel_layer = Layer::new(RELATIONS_LAYER, "attribution");
    let mut ordered: Vec<&Rel> = rels.iter().collect();
    ordered.sort_by_key(|r| (r.anchor.start, r.anchor.end));
    for r in ordered {
        let quoted = r
            .content
            .iter()
            .filter(|c| is_quoted(&text[c.range()]))
            .count();
        let cue_text = r.cue.map_or("", |c| &text[c.range()]);
        let kind = attribution_kind(cue_text, quoted, r.content.len());
        let relation = Attribution {
            index: rel_layer.annotations.len() as u32,
            anchor: r.anchor,
            cue: r.cue.map(|c| index_of(c, Role::Cue)),
            source: r.source.map(|s| index_of(s, Role::Source)),
            content: r
                .content
                .iter()
                .map(|&c| ContentPart {
                    part: index_of(c, Role::Content),
                    continuation: false,
                })
                .collect(),
        };
        let a = relation
            .annotation(Reason::rule("attribution", GOLD_RULE))
            .with_attr("kind", kind);
        rel_layer.push(a);
    }
    doc.insert_layer(parts_layer)?;
    doc.insert_layer(rel_layer)
}

/// A content span is quoted when it starts and ends with a quote mark (allowing a final
/// `,` / `.` before the closing mark or after it).
fn is_quoted(s: &str) -> bool {
    let quote = |c: char| matches!(c, '“' | '”' | '"' | '«' | '»' | '„');
    let t = s.trim().trim_end_matches([',', '.', '?', '!']);
    t.chars().next().is_some_and(quote) && t.chars().last().is_some_and(quote)
}

#[cfg(test)]
// Role spans are lists of fragments; one-fragment lists are the common case.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    /// Code points: `Ana Lopez` 0–9, `said` 10–14, `the plan works` 15–29; `“It is cheap,”`
    /// 31–45, `she` 46–49, `added` 50–55; `The spokeswoman` 57–72, `declined` 73–81,
    /// `to comment` 82–92; `They` 94–98, `say` 99–102, `prices will fall` 103–119;
    /// `Señor Ruiz` 121–131, `said` 132–136, `no` 137–139.
    const TEXT: &str = "Ana Lopez said the plan works. “It is cheap,” she added. \
The spokeswoman declined to comment. They say prices will fall. Señor Ruiz said no.";

    fn rel(source: (usize, usize), cue: (usize, usize), content: (usize, usize)) -> GoldRelation {
        // Byte offsets: the text is ASCII up to `“` at code point 31 (3 bytes), `”` at 44
        // and `ñ` at 123 (2 bytes each).
        let b = |cp: usize| byte_span(TEXT, cp, cp).unwrap().start as usize;
        GoldRelation {
            source: vec![b(source.0)..b(source.1)],
            cue: vec![b(cue.0)..b(cue.1)],
            content: vec![b(content.0)..b(content.1)],
        }
    }

    fn doc() -> PolnearDoc {
        PolnearDoc {
            id: "tiny".into(),
            text: TEXT.into(),
            relations: vec![
                rel((0, 9), (10, 14), (15, 29)),
                rel((46, 49), (50, 55), (31, 45)),
                rel((57, 72), (73, 81), (82, 92)),
                rel((94, 98), (99, 102), (103, 119)),
                rel((121, 131), (132, 136), (137, 139)),
            ],
        }
    }

    const LABELS: &str = "doc_id\tsource_start\tsource_end\tmention\tspeaker\tnote
tiny\t46\t49\tshe\tAna Lopez\t
tiny\t57\t72\tThe spokeswoman\tMs. Lopez\tsurname match
# a comment line

tiny\t94\t98\tThey\tNONE\tgeneric
";

    #[test]
    fn parses_labels_and_mention_types() {
        let labels = parse_labels(LABELS, Path::new("l.tsv")).unwrap();
        assert_eq!(labels.len(), 3);
        assert_eq!(labels[1].line, 3);
        assert_eq!(labels[1].note, "surname match");
        assert_eq!(labels[0].mention_type(), MentionType::Pronoun);
        assert_eq!(labels[1].mention_type(), MentionType::Role);
        assert_eq!(MentionType::of("who"), MentionType::Pronoun);
        assert_eq!(MentionType::of("the senator"), MentionType::Role);
        assert!(parse_labels("x\ty\n", Path::new("l")).is_err());
        assert!(parse_labels("doc_id\nd\t1\tx\tm\ts\n", Path::new("l")).is_err());
        assert!(parse_labels("doc_id\nd\t3\t1\tm\ts\n", Path::new("l")).is_err());
    }

    #[test]
    fn matching_rule() {
        assert!(speaker_matches("Barack Obama", "barack obama "));
        assert_eq!(
            match_speaker("Trump campaign", "the Trump campaign"),
            Some(SpeakerMatch::Exact)
        );
        assert_eq!(match_speaker("The", "the"), Some(SpeakerMatch::Exact));
        assert!(speaker_matches("Mr Obama", "Barack Obama"));
        assert!(speaker_matches("Trump’s", "Donald Trump"));
        assert!(!speaker_matches("Hillary Clinton", "Donald Trump"));
        assert!(speaker_matches("anonymous", "NONE"));
        assert!(speaker_matches("unresolved", "NONE"));
        assert!(!speaker_matches("Donald Trump", "NONE"));
        assert!(!speaker_matches("unresolved", "Donald Trump"));
        assert!(speaker_matches(
            "The IMF",
            "the International Monetary Fund | the IMF"
        ));
        assert!(speaker_matches("Ban", "Ban Ki-moon | Mr. Ban"));
        assert!(!speaker_matches("Fund", "the IMF | Ban Ki-moon"));
        assert_eq!(
            match_speaker("the imf", "Ban Ki-moon | the IMF"),
            Some(SpeakerMatch::Exact)
        );
        assert_eq!(
            match_speaker("Bill Clinton", "Hillary Clinton"),
            Some(SpeakerMatch::Surname)
        );
    }

    #[test]
    fn converts_code_points() {
        assert_eq!(byte_span(TEXT, 31, 45), Some(Span::new(31, 49)));
        assert_eq!(
            &TEXT[byte_span(TEXT, 121, 131).unwrap().range()],
            "Señor Ruiz"
        );
        assert_eq!(byte_span(TEXT, 0, 500), None);
        assert!(mention_matches("the  New\nYork", "the New York"));
        assert!(mention_matches(
            "one two three four five six seven",
            "one two …"
        ));
        assert!(!mention_matches("he", "she"));
    }

    #[test]
    fn builds_gold_layers_like_the_attribution_stage() {
        let gold = doc();
        let mut d = Doc::new("tiny", TEXT);
        Segmenter.run(&mut d);
        insert_gold_attributions(&mut d, &gold.relations).unwrap();
        let parts = d.layer(PARTS_LAYER).unwrap();
        assert_eq!(parts.annotations.len(), 15);
        let rels = d.layer(RELATIONS_LAYER).unwrap();
        assert_eq!(rels.annotations.len(), 5);
        let second = &rels.annotations[1];
        assert_eq!(d.slice(second.span), "added");
        assert_eq!(second.attr("kind"), Some(&AttrValue::Str("direct".into())));
        let source = second
            .links
            .iter()
            .find(|l| l.role == claimlens_schema::role::SOURCE)
            .unwrap();
        assert_eq!(
            d.slice(parts.annotations[source.index as usize].span),
            "she"
        );
    }

    #[test]
    fn scores_a_tiny_document() {
        let labels = parse_labels(LABELS, Path::new("l.tsv")).unwrap();
        let report = score_speakers(&[doc()], &labels, Path::new("l.tsv")).unwrap();
        assert_eq!((report.docs, report.total, report.missing), (1, 3, 0));
        // "she" → Ana Lopez (previous named speaker) and "The spokeswoman" → Ana Lopez
        // (surname matches "Ms. Lopez") are right; "They" finds no group or organisation
        // among the earlier speakers and stays unresolved, as the label (NONE) says.
        assert_eq!(report.correct, 3, "{report}\n{}", report.errors_table());
        assert_eq!(report.by_mention[&MentionType::Pronoun].total, 2);
        assert_eq!(report.by_mention[&MentionType::Role].correct, 1);
        assert_eq!(report.none_labels.total, 1);
        assert!(report.errors.is_empty());
        assert_eq!(report.surname_matches.len(), 1);
        assert_eq!(report.surname_matches[0].mention, "The spokeswoman");
        assert!(report
            .to_string()
            .contains("exact name            3        2"));
        assert!(report.to_string().contains("pronoun"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["by_mention"]["role"]["total"], 1);

        let bad = "doc_id\nother\t0\t3\tAna\tAna Lopez\n";
        let labels = parse_labels(bad, Path::new("l")).unwrap();
        assert!(score_speakers(&[doc()], &labels, Path::new("l")).is_err());
        let drift = "doc_id\ntiny\t0\t3\tBob\tBob\n";
        let labels = parse_labels(drift, Path::new("l")).unwrap();
        assert!(score_speakers(&[doc()], &labels, Path::new("l")).is_err());
    }
}
