//! Reader for PolNeAR, the Political News Attribution Relations corpus (brat standoff).
//!
//! A split directory (`train/`, `dev/`) holds `text/<article>.txt` and
//! `attributions/<article>_<annotator>.ann`. Reading rules:
//!
//! * **One reference per article.** A few articles were annotated by several annotators; the
//!   file whose annotator id sorts first is the reference and the others are skipped.
//! * **Offsets.** brat offsets are Unicode code points; they are converted to UTF-8 **byte**
//!   offsets into [`PolnearDoc::text`], which is the `.txt` file unchanged.
//! * **Text-bound lines** (`T3\tContent 120 180;185 211\ttext`): brat splits spans at line
//!   breaks into `start end;start end` fragments, and joins the fragments' text with one space
//!   in the third column. Every line's quoted text is compared with the text slices and
//!   mismatches are counted ([`PolnearStats::text_mismatches`]), not fatal. A span whose
//!   fragment contains a line break continues its quoted text on the next physical line(s);
//!   such continuation lines are joined back with `\n`.
//! * **Relations** are the event lines (`E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1`) of
//!   type `Attribution` or `Attribution-no-source`. The role *name* decides the role:
//!   `Source`, `Cue`, and `Content`/`Content2`/… (all content roles together are the content).
//!   The trigger (`Attribution:T4`, normally the cue's span again) is not a role. An event
//!   without any role argument is dropped (counted): in PolNeAR these are duplicates of a full
//!   event on the same trigger.
//! * **Everything else is counted and ignored**: text-bound spans no relation uses
//!   (`Discuss`, `Discard`, a few orphan `Source`/`Cue`/`Content` spans), annotator notes
//!   (`#1\tAnnotatorNotes …`) and any other record kind.
//!
//! Malformed lines (bad offsets, unknown span ids) are [`EvalError::Format`] errors.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::read_text;
use crate::EvalError;

/// One article with its reference attribution relations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolnearDoc {
    /// The article's file stem (`<publisher>_<date>_<slug>`).
    pub id: String,
    /// The article text, exactly as in `text/<id>.txt`.
    pub text: String,
    /// Attribution relations in file order.
    pub relations: Vec<GoldRelation>,
}

/// One attribution relation: who (source) said (cue) what (content).
///
/// Each role is a sorted list of UTF-8 byte ranges into the document text (several fragments
/// when brat split the span at a line break or the role is discontinuous); a role may be empty
/// (e.g. no source: "it is said that …").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldRelation {
    /// The source's fragments.
    pub source: Vec<Range<usize>>,
    /// The cue's fragments.
    pub cue: Vec<Range<usize>>,
    /// The content's fragments (`Content` and `Content2` together).
    pub content: Vec<Range<usize>>,
}

/// What reading a split found, including the quirks that were counted and skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PolnearStats {
    /// Articles read (one reference annotation each).
    pub articles: u64,
    /// `.ann` files in the split, reference or not.
    pub annotation_files: u64,
    /// `.ann` files skipped because another annotator's id sorts first.
    pub skipped_annotator_files: u64,
    /// Text-bound (`T`) lines in the reference files.
    pub text_bound: u64,
    /// Text-bound lines with more than one fragment.
    pub discontinuous: u64,
    /// Text-bound lines whose quoted text differs from the text slices.
    pub text_mismatches: u64,
    /// Physical lines that continue a text-bound line's quoted text (a span across a newline).
    pub continuation_lines: u64,
    /// Texts starting with a byte-order mark.
    pub texts_with_bom: u64,
    /// Texts containing a carriage return.
    pub texts_with_cr: u64,
    /// Relations kept.
    pub relations: u64,
    /// Relations kept, by event type (`Attribution`, `Attribution-no-source`).
    pub relations_by_type: BTreeMap<String, u64>,
    /// Events without any role argument, dropped.
    pub empty_relations_dropped: u64,
    /// Kept relations without a source.
    pub without_source: u64,
    /// Kept relations without a cue.
    pub without_cue: u64,
    /// Kept relations without a content.
    pub without_content: u64,
    /// Kept relations with more than one content role (`Content2`, …).
    pub multi_content: u64,
    /// Role arguments whose span has another type (e.g. `Cue:T7` where T7 is a `Discuss`).
    pub role_type_mismatches: u64,
    /// Relations whose trigger span differs from their cue span.
    pub trigger_differs_from_cue: u64,
    /// Role arguments with an unknown role name, ignored.
    pub unknown_roles: u64,
    /// Text-bound spans neither used as a role nor as a trigger, by type.
    pub unreferenced_spans: BTreeMap<String, u64>,
    /// Ignored records, by kind (`#AnnotatorNotes`, `R`, `A`, …).
    pub ignored_records: BTreeMap<String, u64>,
}

/// Reads one split directory (`…/polnear/dev`), documents sorted by id.
pub fn read_polnear(split_dir: &Path) -> Result<Vec<PolnearDoc>, EvalError> {
    read_polnear_with_stats(split_dir).map(|(docs, _)| docs)
}

/// Like [`read_polnear`], also returning what was counted and skipped.
pub fn read_polnear_with_stats(
    split_dir: &Path,
) -> Result<(Vec<PolnearDoc>, PolnearStats), EvalError> {
    let ann_dir = split_dir.join("attributions");
    let entries = std::fs::read_dir(&ann_dir).map_err(|source| EvalError::io(&ann_dir, source))?;
    // article id → annotator ids
    let mut articles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stats = PolnearStats::default();
    for entry in entries {
        let entry = entry.map_err(|source| EvalError::io(&ann_dir, source))?;
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".ann")) else {
            continue;
        };
        let Some((article, annotator)) = stem.rsplit_once('_') else {
            return Err(EvalError::Format {
                path: entry.path(),
                line: 0,
                message: "expected `<article>_<annotator>.ann`".to_owned(),
            });
        };
        stats.annotation_files += 1;
        articles
            .entry(article.to_owned())
            .or_default()
            .push(annotator.to_owned());
    }
    let mut docs = Vec::with_capacity(articles.len());
    for (id, mut annotators) in articles {
        annotators.sort();
        stats.skipped_annotator_files += annotators.len() as u64 - 1;
        let text_path = split_dir.join("text").join(format!("{id}.txt"));
        let text = read_text(&text_path)?;
        let ann_path = ann_dir.join(format!("{id}_{}.ann", annotators[0]));
        let ann = read_text(&ann_path)?;
        stats.articles += 1;
        stats.texts_with_bom += u64::from(text.starts_with('\u{feff}'));
        stats.texts_with_cr += u64::from(text.contains('\r'));
        let relations = parse_brat(&ann, &text, &ann_path, &mut stats)?;
        docs.push(PolnearDoc {
            id,
            text,
            relations,
        });
    }
    Ok((docs, stats))
}

/// Code-point offset → byte offset for one text.
#[derive(Debug)]
struct ByteOffsets<'a> {
    text: &'a str,
    /// `starts[i]` = byte offset of code point `i`, plus `text.len()` at the end; empty for ASCII.
    starts: Vec<usize>,
}

impl<'a> ByteOffsets<'a> {
    fn new(text: &'a str) -> ByteOffsets<'a> {
        let starts = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        ByteOffsets { text, starts }
    }

    /// The byte offset of code point `cp`, `None` past the end of the text.
    fn byte(&self, cp: usize) -> Option<usize> {
        if self.starts.is_empty() {
            (cp <= self.text.len()).then_some(cp)
        } else {
            self.starts.get(cp).copied()
        }
    }
}

/// A text-bound (`T`) line.
#[derive(Debug)]
struct TextBound {
    kind: String,
    fragments: Vec<Range<usize>>,
}

/// One logical record: its first physical line number and its text (continuations joined).
struct Record {
    line: u64,
    text: String,
}

/// True when a physical line starts a brat record (`T12\t`, `E3\t`, `#1\t`, `*\t`, …).
fn starts_record(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('T' | 'E' | 'R' | 'A' | 'M' | 'N' | '#' | '*') => {}
        _ => return false,
    }
    let rest = chars.as_str();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest[digits..].starts_with('\t')
}

/// Parses one brat `.ann` file against its text (see the module docs for the rules).
pub fn parse_brat(
    ann: &str,
    text: &str,
    path: &Path,
    stats: &mut PolnearStats,
) -> Result<Vec<GoldRelation>, EvalError> {
    let bad = BadLine(path);
    let records = join_records(ann, bad, stats)?;
    let offsets = ByteOffsets::new(text);
    let mut spans: HashMap<&str, TextBound> = HashMap::new();
    let mut events: Vec<&Record> = Vec::new();
    for record in &records {
        let mut cols = record.text.splitn(3, '\t');
        let id = cols.next().unwrap_or_default();
        let body = cols.next().unwrap_or_default();
        match id.as_bytes()[0] {
            b'T' => {
                let quoted = cols.next().unwrap_or_default();
                let span = text_bound(record, id, body, quoted, &offsets, bad, stats)?;
                if spans.insert(id, span).is_some() {
                    return Err(bad.at(record.line, format!("duplicate id {id}")));
                }
            }
            b'E' => events.push(record),
            _ => {
                let kind = if id.starts_with('#') {
                    format!("#{}", body.split(' ').next().unwrap_or_default())
                } else {
                    id.trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()
                };
                *stats.ignored_records.entry(kind).or_default() += 1;
            }
        }
    }

    let mut referenced: HashSet<&str> = HashSet::new(); // span ids used as a role or trigger
    let mut relations = Vec::with_capacity(events.len());
    for record in events {
        if let Some(relation) = relation(record, &spans, &mut referenced, bad, stats)? {
            relations.push(relation);
        }
    }
    for (id, span) in &spans {
        if !referenced.contains(id) {
            *stats
                .unreferenced_spans
                .entry(span.kind.clone())
                .or_default() += 1;
        }
    }
    Ok(relations)
}

/// Makes the format errors of one `.ann` file.
#[derive(Clone, Copy)]
struct BadLine<'a>(&'a Path);

impl BadLine<'_> {
    fn at(self, line: u64, message: String) -> EvalError {
        EvalError::Format {
            path: PathBuf::from(self.0),
            line,
            message,
        }
    }
}

/// The file's records, each continuation line joined to the record it continues.
fn join_records(
    ann: &str,
    bad: BadLine<'_>,
    stats: &mut PolnearStats,
) -> Result<Vec<Record>, EvalError> {
    let mut records: Vec<Record> = Vec::new();
    for (i, line) in ann.lines().enumerate() {
        let line_no = i as u64 + 1;
        if starts_record(line) {
            records.push(Record {
                line: line_no,
                text: line.to_owned(),
            });
        } else {
            match records.last_mut() {
                Some(r) if r.text.starts_with('T') => {
                    r.text.push('\n');
                    r.text.push_str(line);
                    stats.continuation_lines += 1;
                }
                _ if line.trim().is_empty() => {}
                _ => return Err(bad.at(line_no, "not a brat record".to_owned())),
            }
        }
    }
    Ok(records)
}

/// A text-bound record (`T1\tSource 110 112;120 125\twe`): its kind and byte ranges, after
/// checking them against the text.
fn text_bound(
    record: &Record,
    id: &str,
    body: &str,
    quoted: &str,
    offsets: &ByteOffsets<'_>,
    bad: BadLine<'_>,
    stats: &mut PolnearStats,
) -> Result<TextBound, EvalError> {
    let text = offsets.text;
    let (kind, ranges) = body
        .split_once(' ')
        .ok_or_else(|| bad.at(record.line, format!("{id}: no offsets")))?;
    let mut fragments = Vec::new();
    let mut slices = Vec::new();
    for range in ranges.split(';') {
        let parsed = range
            .split_once(' ')
            .and_then(|(s, e)| Some((s.parse::<usize>().ok()?, e.parse::<usize>().ok()?)));
        let (start, end) = parsed
            .filter(|(s, e)| s <= e)
            .ok_or_else(|| bad.at(record.line, format!("{id}: bad offsets `{range}`")))?;
        let (Some(start), Some(end)) = (offsets.byte(start), offsets.byte(end)) else {
            return Err(bad.at(
                record.line,
                format!("{id}: offsets `{range}` past the end of the text"),
            ));
        };
        slices.push(&text[start..end]);
        fragments.push(start..end);
    }
    stats.text_bound += 1;
    stats.discontinuous += u64::from(fragments.len() > 1);
    stats.text_mismatches += u64::from(slices.join(" ") != quoted);
    fragments.sort_by_key(|r| (r.start, r.end));
    Ok(TextBound {
        kind: kind.to_owned(),
        fragments,
    })
}

/// The relation of an event record (`E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1`),
/// marking the spans it uses as referenced; `None` for an event without roles.
fn relation<'s>(
    record: &'s Record,
    spans: &HashMap<&str, TextBound>,
    referenced: &mut HashSet<&'s str>,
    bad: BadLine<'_>,
    stats: &mut PolnearStats,
) -> Result<Option<GoldRelation>, EvalError> {
    let body = record.text.split('\t').nth(1).unwrap_or_default();
    let mut args = body.split_whitespace();
    let trigger = args.next().unwrap_or_default();
    let (event_type, trigger_id) = trigger
        .split_once(':')
        .ok_or_else(|| bad.at(record.line, format!("bad event trigger `{trigger}`")))?;
    let trigger_span = spans
        .get(trigger_id)
        .ok_or_else(|| bad.at(record.line, format!("unknown span {trigger_id}")))?;
    referenced.insert(trigger_id);
    let mut relation = GoldRelation::default();
    let (mut n_roles, mut n_content) = (0, 0);
    for arg in args {
        let (role, span_id) = arg
            .split_once(':')
            .ok_or_else(|| bad.at(record.line, format!("bad argument `{arg}`")))?;
        let span = spans
            .get(span_id)
            .ok_or_else(|| bad.at(record.line, format!("unknown span {span_id}")))?;
        referenced.insert(span_id);
        n_roles += 1;
        let base = role.trim_end_matches(|c: char| c.is_ascii_digit());
        let target = match base {
            "Source" => &mut relation.source,
            "Cue" => &mut relation.cue,
            "Content" => {
                n_content += 1;
                &mut relation.content
            }
            _ => {
                stats.unknown_roles += 1;
                continue;
            }
        };
        stats.role_type_mismatches += u64::from(span.kind != base);
        target.extend(span.fragments.iter().cloned());
    }
    if n_roles == 0 {
        stats.empty_relations_dropped += 1;
        return Ok(None);
    }
    for role in [
        &mut relation.source,
        &mut relation.cue,
        &mut relation.content,
    ] {
        role.sort_by_key(|r| (r.start, r.end));
        role.dedup();
    }
    stats.relations += 1;
    *stats
        .relations_by_type
        .entry(event_type.to_owned())
        .or_default() += 1;
    stats.without_source += u64::from(relation.source.is_empty());
    stats.without_cue += u64::from(relation.cue.is_empty());
    stats.without_content += u64::from(relation.content.is_empty());
    stats.multi_content += u64::from(n_content > 1);
    stats.trigger_differs_from_cue +=
        u64::from(!relation.cue.is_empty() && relation.cue != trigger_span.fragments);
    Ok(Some(relation))
}

#[cfg(test)]
// Role spans are lists of fragments; one-fragment lists are the common case.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    /// Code points: `Ünïcode` 0–7, `“Hello,”` 8–16, `Ana` 17–20, `said` 21–25,
    /// `“world.”` 27–35, `Bob` 36–39, `told reporters` 40–54, `that` 55–59,
    /// `prices rise` 60–71.
    const TEXT: &str =
        "Ünïcode “Hello,” Ana said, “world.”\nBob told reporters that\nprices rise.\n";

    const ANN: &str = "T1\tSource 17 20\tAna\n\
T2\tCue 21 25\tsaid\n\
T3\tContent 8 16\t“Hello,”\n\
T4\tContent 27 35\t“world.”\n\
T5\tAttribution 21 25\tsaid\n\
E1\tAttribution:T5 Content:T3 Cue:T2 Source:T1 Content2:T4\n\
T6\tSource 36 39\tBob\n\
T7\tCue 40 54\ttold reporters\n\
T8\tContent 55 59;60 71\tthat prices rise\n\
T9\tAttribution 40 54\ttold reporters\n\
E2\tAttribution:T9 Content:T8 Cue:T7 Source:T6\n\
T10\tCue 40 44\ttold\n\
T11\tAttribution-no-source 40 44\ttold\n\
E3\tAttribution-no-source:T11 Cue:T10\n\
E4\tAttribution-no-source:T11 \n\
T12\tDiscard 21 39\tsaid, “world.”\n\
Bob\n\
T13\tDiscuss 0 7\tUnicode\n\
#1\tAnnotatorNotes T12\tan unrelated note\n";

    fn parse() -> (Vec<GoldRelation>, PolnearStats) {
        let mut stats = PolnearStats::default();
        let rels = parse_brat(ANN, TEXT, Path::new("x.ann"), &mut stats).unwrap();
        (rels, stats)
    }

    #[test]
    fn converts_code_points_to_bytes() {
        let (rels, _) = parse();
        assert_eq!(rels.len(), 3);
        let r = &rels[0];
        assert_eq!(r.source, vec![23..26]);
        assert_eq!(&TEXT[r.source[0].clone()], "Ana");
        assert_eq!(&TEXT[r.cue[0].clone()], "said");
        // Content and Content2 together, sorted.
        assert_eq!(r.content, vec![10..22, 33..45]);
        assert_eq!(&TEXT[r.content[0].clone()], "“Hello,”");
        assert_eq!(&TEXT[r.content[1].clone()], "“world.”");
    }

    #[test]
    fn keeps_discontinuous_fragments() {
        let (rels, _) = parse();
        let r = &rels[1];
        assert_eq!(&TEXT[r.source[0].clone()], "Bob");
        assert_eq!(&TEXT[r.cue[0].clone()], "told reporters");
        let parts: Vec<&str> = r.content.iter().map(|f| &TEXT[f.clone()]).collect();
        assert_eq!(parts, ["that", "prices rise"]);
    }

    #[test]
    fn counts_quirks() {
        let (rels, stats) = parse();
        assert!(rels[2].source.is_empty() && rels[2].content.is_empty());
        assert_eq!(stats.text_bound, 13);
        assert_eq!(stats.discontinuous, 1);
        assert_eq!(stats.continuation_lines, 1);
        // T13's quoted text says "Unicode", the text "Ünïcode".
        assert_eq!(stats.text_mismatches, 1);
        assert_eq!(stats.relations, 3);
        assert_eq!(stats.relations_by_type["Attribution"], 2);
        assert_eq!(stats.relations_by_type["Attribution-no-source"], 1);
        assert_eq!(stats.empty_relations_dropped, 1);
        assert_eq!(
            (
                stats.without_source,
                stats.without_cue,
                stats.without_content
            ),
            (1, 0, 1)
        );
        assert_eq!(stats.multi_content, 1);
        assert_eq!(stats.role_type_mismatches, 0);
        assert_eq!(stats.unreferenced_spans["Discard"], 1);
        assert_eq!(stats.unreferenced_spans["Discuss"], 1);
        assert_eq!(stats.unreferenced_spans.len(), 2);
        assert_eq!(stats.ignored_records["#AnnotatorNotes"], 1);
    }

    #[test]
    fn rejects_bad_offsets_and_unknown_ids() {
        let mut stats = PolnearStats::default();
        let past_end = "T1\tCue 70 99\tx\n";
        assert!(matches!(
            parse_brat(past_end, TEXT, Path::new("x"), &mut stats),
            Err(EvalError::Format { line: 1, .. })
        ));
        let unknown = "T1\tCue 0 3\tÜnï\nE1\tAttribution:T1 Cue:T1 Source:T9\n";
        assert!(matches!(
            parse_brat(unknown, TEXT, Path::new("x"), &mut stats),
            Err(EvalError::Format { line: 2, .. })
        ));
        assert!(parse_brat("garbage\n", TEXT, Path::new("x"), &mut stats).is_err());
    }

    #[test]
    fn byte_offsets_match_char_indices() {
        let idx = ByteOffsets::new(TEXT);
        for (cp, (b, _)) in TEXT.char_indices().enumerate() {
            assert_eq!(idx.byte(cp), Some(b));
        }
        let n = TEXT.chars().count();
        assert_eq!(idx.byte(n), Some(TEXT.len()));
        assert_eq!(idx.byte(n + 1), None);
        assert_eq!(ByteOffsets::new("abc").byte(3), Some(3));
        assert_eq!(ByteOffsets::new("abc").byte(4), None);
    }

    #[test]
    fn reads_a_split_directory() {
        let dir = std::env::temp_dir().join(format!("polnear-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("text")).unwrap();
        std::fs::create_dir_all(dir.join("attributions")).unwrap();
        std::fs::write(dir.join("text/b.txt"), TEXT).unwrap();
        std::fs::write(dir.join("text/a_x.txt"), "He said so.").unwrap();
        std::fs::write(dir.join("attributions/b_ff.ann"), ANN).unwrap();
        std::fs::write(dir.join("attributions/b_aa.ann"), "T1\tCue 21 25\tsaid\n").unwrap();
        let a = "T1\tSource 0 2\tHe\nT2\tCue 3 7\tsaid\nT3\tContent 8 10\tso\n\
                 E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n";
        std::fs::write(dir.join("attributions/a_x_01.ann"), a).unwrap();
        let result = read_polnear_with_stats(&dir);
        let missing = read_polnear(&dir.join("nowhere"));
        std::fs::remove_dir_all(&dir).unwrap();
        let (docs, stats) = result.unwrap();
        assert_eq!(
            docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
            ["a_x", "b"]
        );
        assert_eq!(docs[0].relations.len(), 1);
        // b_aa sorts first and has no relation.
        assert!(docs[1].relations.is_empty());
        assert_eq!(stats.annotation_files, 3);
        assert_eq!(stats.skipped_annotator_files, 1);
        assert_eq!(stats.unreferenced_spans["Cue"], 1);
        assert!(matches!(missing, Err(EvalError::MissingData(_))));
    }
}
