//! The techniques model: the lexicon span finder, the span tagger and one calibrated
//! logistic regression per technique over sentence features, each with the decision
//! threshold chosen on training folds; its file format; and [`predict`], which both the
//! stage and the evaluation call.
//!
//! File format (little-endian):
//!
//! ```text
//! magic "CLTECH02"  techniques u8  lexicon: packed length u32, deflate(entries)
//!   entry: key u64, technique u8, inside u32, total u32, text length u16, text UTF-8
//! per technique: present u8; if 1: threshold f32, model length u32, logistic model
//! tagger techniques u32 (bit t)  evidence-span techniques u32 (bit t)
//! tagger length u32, tagger weights (perceptron format, magic "CLTTAG01")
//! lexicon map, tagger map: present u8; if 1: a calibration map ([`Calibration::write`])
//! tagger role biases: f32 per role ([`tagger::ROLES`] order)
//! ```
//!
//! Version 3 ("CLTECH03", read only) ends after the maps: no role biases, so the tagger
//! takes its perceptron's own decisions. Version 2 ("CLTECH02", read only) ends after the tagger: no span calibration maps, so a
//! span's score is its uncalibrated one. Version 1 ("CLTECH01", read only) ends after the
//! classifiers: no tagger, whole sentences for classifier-only paragraphs.

use claimlens_core::{tokens_within, Doc, Span};

use super::catalogue::TECHNIQUES;
use super::features::{Extractor, FeatureName};
use super::lexicon::{Entry, Hit, Lexicon};
use super::tagger::{self, TagHit, Tagger};
use crate::learn::embedded::{deflate, inflate, Embedded};
use crate::learn::logistic::{err, Calibration, Logistic, Reader};
use crate::learn::map_choice::logit;
use crate::learn::perceptron::ModelFormatError;
use crate::LoadError;

const MAGIC: &[u8; 8] = b"CLTECH04";
const MAGIC_V3: &[u8; 8] = b"CLTECH03";
const MAGIC_V2: &[u8; 8] = b"CLTECH02";
const MAGIC_V1: &[u8; 8] = b"CLTECH01";

/// The committed model's bytes (`claimlens train techniques` writes them).
pub const EMBEDDED_MODEL: &[u8] = include_bytes!("../../models/techniques.bin");

static EMBEDDED: Embedded<Model> = Embedded::new("techniques", EMBEDDED_MODEL, Model::from_bytes);

/// The embedded model, decoded on first use.
pub fn embedded() -> Result<&'static Model, LoadError> {
    EMBEDDED.get()
}

/// One technique's sentence classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Classifier {
    /// The calibrated logistic regression.
    pub logistic: Logistic,
    /// A paragraph carries the technique when a sentence's calibrated probability reaches this.
    pub threshold: f32,
}

/// The whole model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    /// The span finder.
    pub lexicon: Lexicon,
    /// Per technique ([`TECHNIQUES`] order): its classifier, if it had enough examples.
    pub classifiers: Vec<Option<Classifier>>,
    /// The span tagger.
    pub tagger: Tagger,
    /// Bit t: the tagger's spans of technique t are predictions (chosen on training folds).
    pub tagger_techniques: u32,
    /// Bit t: a paragraph that only the classifier finds gets, as its span, the words
    /// that raised the sentence's score most rather than the whole sentence (techniques
    /// whose training spans are short).
    pub evidence_spans: u32,
    /// The maps that turn span scores into probabilities of being right.
    pub span_calibration: SpanCalibration,
}

/// Calibration maps of the span sources, each fitted on held-out spans of the training
/// folds (right: a gold span of the same technique overlaps it). Without a map a source's
/// spans keep their uncalibrated score.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpanCalibration {
    /// Lexicon matches; reads the log-odds of the entry's smoothed share inside spans.
    pub lexicon: Option<Calibration>,
    /// Tagger spans; reads the span's smallest tag margin ([`TagHit::margin`]).
    pub tagger: Option<Calibration>,
}

impl SpanCalibration {
    /// The reported score of a lexicon match of `entry`.
    pub fn lexicon_score(&self, entry: &Entry) -> f32 {
        let raw = entry.precision();
        self.lexicon.as_ref().map_or(raw, |c| c.apply(logit(raw)))
    }

    /// The reported score of a tagger span.
    pub fn tagger_score(&self, hit: &TagHit) -> f32 {
        self.tagger
            .as_ref()
            .map_or(hit.score, |c| c.apply(hit.margin))
    }
}

fn write_map(out: &mut Vec<u8>, map: Option<&Calibration>) {
    match map {
        None => out.push(0),
        Some(c) => {
            out.push(1);
            c.write(out);
        }
    }
}

fn read_map(r: &mut Reader<'_>) -> Result<Option<Calibration>, ModelFormatError> {
    match r.take(1)?[0] {
        0 => Ok(None),
        1 => Ok(Some(Calibration::read(r)?)),
        _ => Err(err("bad calibration map flag")),
    }
}

impl PartialEq for Tagger {
    fn eq(&self, other: &Tagger) -> bool {
        self.bias == other.bias && self.to_bytes() == other.to_bytes()
    }
}

impl Model {
    /// Serializes the model (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.push(self.classifiers.len() as u8);
        let mut lex = Vec::new();
        for e in &self.lexicon.entries {
            lex.extend_from_slice(&e.key.to_le_bytes());
            lex.push(e.technique);
            lex.extend_from_slice(&e.inside.to_le_bytes());
            lex.extend_from_slice(&e.total.to_le_bytes());
            let text = &e.text.as_bytes()[..e.text.len().min(u16::MAX as usize)];
            lex.extend_from_slice(&(text.len() as u16).to_le_bytes());
            lex.extend_from_slice(text);
        }
        let packed = deflate(&lex);
        out.extend_from_slice(&(lex.len() as u32).to_le_bytes());
        out.extend_from_slice(&(packed.len() as u32).to_le_bytes());
        out.extend_from_slice(&packed);
        for c in &self.classifiers {
            match c {
                None => out.push(0),
                Some(c) => {
                    out.push(1);
                    out.extend_from_slice(&c.threshold.to_le_bytes());
                    let bytes = c.logistic.to_bytes();
                    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                    out.extend_from_slice(&bytes);
                }
            }
        }
        out.extend_from_slice(&self.tagger_techniques.to_le_bytes());
        out.extend_from_slice(&self.evidence_spans.to_le_bytes());
        let tagger = self.tagger.to_bytes();
        out.extend_from_slice(&(tagger.len() as u32).to_le_bytes());
        out.extend_from_slice(&tagger);
        write_map(&mut out, self.span_calibration.lexicon.as_ref());
        write_map(&mut out, self.span_calibration.tagger.as_ref());
        for b in self.tagger.bias {
            out.extend_from_slice(&b.to_le_bytes());
        }
        out
    }

    /// Reads what [`Model::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFormatError> {
        let mut r = Reader(bytes);
        let version = match r.take(8)? {
            m if m == MAGIC => 4,
            m if m == MAGIC_V3 => 3,
            m if m == MAGIC_V2 => 2,
            m if m == MAGIC_V1 => 1,
            _ => return Err(err("not a techniques model")),
        };
        let n = usize::from(r.take(1)?[0]);
        if n != TECHNIQUES.len() {
            return Err(err("the model's technique count is not the catalogue's"));
        }
        let raw_len = u32::from_le_bytes(r.array()?) as usize;
        let packed_len = u32::from_le_bytes(r.array()?) as usize;
        let lex = inflate(r.take(packed_len)?, raw_len)?;
        let mut l = Reader(&lex);
        let mut entries = Vec::new();
        while !l.0.is_empty() {
            let key = u64::from_le_bytes(l.array()?);
            let technique = l.take(1)?[0];
            if usize::from(technique) >= n {
                return Err(err("lexicon entry names an unknown technique"));
            }
            let inside = u32::from_le_bytes(l.array()?);
            let total = u32::from_le_bytes(l.array()?);
            let len = usize::from(u16::from_le_bytes(l.array()?));
            let text = std::str::from_utf8(l.take(len)?)
                .map_err(|_| err("lexicon text is not UTF-8"))?
                .to_owned();
            entries.push(Entry {
                key,
                technique,
                inside,
                total,
                text,
            });
        }
        if !entries
            .windows(2)
            .all(|w| (w[0].key, w[0].technique) < (w[1].key, w[1].technique))
        {
            return Err(err("lexicon entries out of order"));
        }
        let mut classifiers = Vec::with_capacity(n);
        for _ in 0..n {
            classifiers.push(match r.take(1)?[0] {
                0 => None,
                1 => {
                    let threshold = f32::from_le_bytes(r.array()?);
                    let len = u32::from_le_bytes(r.array()?) as usize;
                    let logistic = Logistic::from_bytes(r.take(len)?)?;
                    Some(Classifier {
                        logistic,
                        threshold,
                    })
                }
                _ => return Err(err("bad classifier flag")),
            });
        }
        let (mut tagger_techniques, mut evidence_spans, mut tagger) = (0, 0, Tagger::default());
        if version >= 2 {
            tagger_techniques = u32::from_le_bytes(r.array()?);
            evidence_spans = u32::from_le_bytes(r.array()?);
            let len = u32::from_le_bytes(r.array()?) as usize;
            tagger = Tagger::from_bytes(r.take(len)?)?;
        }
        let mut span_calibration = SpanCalibration::default();
        if version >= 3 {
            span_calibration.lexicon = read_map(&mut r)?;
            span_calibration.tagger = read_map(&mut r)?;
        }
        if version >= 4 {
            for b in &mut tagger.bias {
                *b = f32::from_le_bytes(r.array()?);
                if !b.is_finite() {
                    return Err(err("a tagger role bias is not a number"));
                }
            }
        }
        if !r.0.is_empty() {
            return Err(err("bytes after the model"));
        }
        Ok(Model {
            lexicon: Lexicon::new(entries),
            classifiers,
            tagger,
            tagger_techniques,
            evidence_spans,
            span_calibration,
        })
    }
}

/// Where a prediction comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// A lexicon match (index into the lexicon's entries: the strongest merged entry).
    Lexicon(usize),
    /// The span tagger, with the span's smallest tag margin (what its map reads).
    Tagger {
        /// [`TagHit::margin`].
        margin: f32,
    },
    /// The sentence classifier; the strongest features of the sentence, described.
    Classifier(String),
}

impl Prediction {
    /// The log-odds the span calibration map of its source reads: the logit of a lexicon
    /// entry's share inside spans, a tagger span's smallest tag margin; `None` for a
    /// classifier sentence (its regression carries its own map).
    pub fn span_margin(&self, lexicon: &Lexicon) -> Option<f32> {
        match self.evidence {
            Evidence::Lexicon(e) => Some(logit(lexicon.entries[e].precision())),
            Evidence::Tagger { margin } => Some(margin),
            Evidence::Classifier(_) => None,
        }
    }
}

/// One technique found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Technique index.
    pub technique: u8,
    /// The span (bytes).
    pub span: Span,
    /// The probability that the span carries the technique: a lexicon match's or tagger
    /// span's score under the model's [`SpanCalibration`], or the sentence's calibrated
    /// probability.
    pub score: f32,
    /// The score before the span calibration map: the lexicon entry's smoothed share
    /// inside spans, the tagger's probability of the span's first tag, or (classifier) the
    /// same as `score`. For the evaluation's before-and-after reliability.
    pub uncalibrated: f32,
    /// Why.
    pub evidence: Evidence,
}

/// The span predictions of the lexicon matches and the tagger's spans of the techniques in
/// `tagger_techniques` (bit t): a tagger span that overlaps a lexicon match of its
/// technique is left out, the match already says the same. Shared by [`predict`] and the
/// trainer, which chooses the techniques on folds. Scores are mapped by `calibration`.
pub fn span_predictions(
    lexicon: &Lexicon,
    hits: &[Hit],
    tagged: &[TagHit],
    tagger_techniques: u32,
    calibration: &SpanCalibration,
) -> Vec<Prediction> {
    let mut out: Vec<Prediction> = hits
        .iter()
        .map(|h| {
            let entry = &lexicon.entries[h.entry];
            Prediction {
                technique: h.technique,
                span: h.span,
                score: calibration.lexicon_score(entry),
                uncalibrated: entry.precision(),
                evidence: Evidence::Lexicon(h.entry),
            }
        })
        .collect();
    for t in tagged {
        if tagger_techniques >> t.technique & 1 == 0 {
            continue;
        }
        let overlaps = hits.iter().any(|h| {
            h.technique == t.technique && h.span.start < t.span.end && t.span.start < h.span.end
        });
        if !overlaps {
            out.push(Prediction {
                technique: t.technique,
                span: t.span,
                score: calibration.tagger_score(t),
                uncalibrated: t.score,
                evidence: Evidence::Tagger { margin: t.margin },
            });
        }
    }
    out
}

/// Most tokens the sentence classifiers read as one unit. Every training sentence is far
/// shorter; a longer "sentence" (a text with no punctuation) is read in parts of this size,
/// whose features cost some 50 bytes a token while held.
pub const MAX_UNIT_TOKENS: usize = 1_000;

/// Reusable buffers of [`predict`].
#[derive(Debug, Default)]
pub struct Scratch {
    /// Sentence features of the classifiers.
    pub features: Extractor,
    /// The tagger's buffers.
    pub tagger: tagger::Scratch,
}

/// The techniques of `doc` (segmented): every lexicon match and tagger span, and for each
/// paragraph where a sentence's probability reaches a technique's threshold but no span of
/// that technique lies, a span over the sentence with the highest probability (or, for the
/// techniques of [`Model::evidence_spans`], over its words that raised the score most).
/// Sorted by span.
pub fn predict(model: &Model, doc: &Doc, scratch: &mut Scratch) -> Vec<Prediction> {
    let hits = model.lexicon.find(doc);
    let tagged = if model.tagger_techniques == 0 {
        Vec::new()
    } else {
        model.tagger.find(doc, &mut scratch.tagger)
    };
    let mut out = span_predictions(
        &model.lexicon,
        &hits,
        &tagged,
        model.tagger_techniques,
        &model.span_calibration,
    );
    let spans_before = out.len();
    let x = &mut scratch.features;
    let n = model.classifiers.len();
    // Per technique: the best firing sentence of the current paragraph.
    let mut best: Vec<Option<(f32, Span, String)>> = vec![None; n];
    let mut paragraph = None;
    let flush = |best: &mut Vec<Option<(f32, Span, String)>>, out: &mut Vec<Prediction>| {
        for (t, b) in best.iter_mut().enumerate() {
            if let Some((p, span, why)) = b.take() {
                let para = doc.paragraphs.iter().find(|q| q.span.contains(span));
                let covered = out[..spans_before].iter().any(|h| {
                    usize::from(h.technique) == t && para.is_some_and(|q| q.span.contains(h.span))
                });
                if !covered {
                    out.push(Prediction {
                        technique: t as u8,
                        span,
                        score: p,
                        uncalibrated: p,
                        evidence: Evidence::Classifier(why),
                    });
                }
            }
        }
    };
    x.reset();
    for s in &doc.sentences {
        if paragraph != Some(s.paragraph) {
            flush(&mut best, &mut out);
            paragraph = Some(s.paragraph);
        }
        let r = tokens_within(&doc.tokens, s.span);
        // A sentence longer than any the classifiers were trained on (an unpunctuated text)
        // is classified in parts, so its features cost what one part's do.
        let whole = r.len() <= MAX_UNIT_TOKENS;
        for part in crate::learn::parts(r.len(), MAX_UNIT_TOKENS) {
            let part = r.start + part.start..r.start + part.end;
            let unit = if whole {
                s.span
            } else {
                Span::new(
                    doc.tokens[part.start].span.start as usize,
                    doc.tokens[part.end - 1].span.end as usize,
                )
            };
            x.extract(doc, part.start, &doc.tokens[part]);
            for (t, c) in model.classifiers.iter().enumerate() {
                let Some(c) = c else { continue };
                let p = c.logistic.probability(&x.hashes);
                if p >= c.threshold && best[t].as_ref().is_none_or(|b| p > b.0) {
                    let span = if model.evidence_spans >> t & 1 == 1 {
                        evidence_span(doc, &c.logistic, x).unwrap_or(unit)
                    } else {
                        unit
                    };
                    best[t] = Some((p, span, strongest(doc, &c.logistic, x)));
                }
            }
        }
    }
    flush(&mut best, &mut out);
    out.sort_by_key(|p| (p.span.start, p.span.end, p.technique));
    out
}

/// The words of the word or word-pair feature with the highest positive weight in the
/// last extracted unit.
fn evidence_span(doc: &Doc, model: &Logistic, x: &Extractor) -> Option<Span> {
    let mut best: Option<(f32, usize, usize)> = None;
    for (h, name) in x.hashes.iter().zip(&x.names) {
        let (a, b) = match *name {
            FeatureName::Word(i) | FeatureName::Repeated(i) => (i, i),
            FeatureName::Pair(i, j) => (i, j),
            FeatureName::Cue(_) => continue,
        };
        let w = model.weight(*h);
        if w > 0.0 && best.is_none_or(|b| w > b.0) {
            best = Some((w, a, b));
        }
    }
    let (_, a, b) = best?;
    Some(Span::new(
        doc.tokens[a].span.start as usize,
        doc.tokens[b].span.end as usize,
    ))
}

/// The three features that raised the score most, with their weights.
fn strongest(doc: &Doc, model: &Logistic, x: &Extractor) -> String {
    crate::learn::logistic::strongest(model, &x.hashes, None, |i| x.names[i].describe(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_re_encodes_to_its_own_bytes() {
        let m = embedded().unwrap();
        assert_eq!(m.classifiers.len(), TECHNIQUES.len());
        assert!(m.to_bytes() == EMBEDDED_MODEL);
        assert!(Model::from_bytes(&EMBEDDED_MODEL[..EMBEDDED_MODEL.len() - 1]).is_err());
        assert!(Model::from_bytes(b"CLTECH01").is_err());
    }

    #[test]
    fn the_committed_model_maps_lexicon_and_tagger_scores_monotonically() {
        let c = &embedded().unwrap().span_calibration;
        let (lexicon, tagger) = (c.lexicon.as_ref().unwrap(), c.tagger.as_ref().unwrap());
        // A larger share or margin never makes a span less likely right, and neither map
        // claims certainty.
        let mut last = (0.0, 0.0);
        for i in -20..=20 {
            let x = i as f32 / 2.0;
            let (l, t) = (lexicon.apply(x), tagger.apply(x));
            assert!(l >= last.0 && t >= last.1, "{x}: {l} {t}");
            assert!((0.0..1.0).contains(&l) && (0.0..1.0).contains(&t));
            last = (l, t);
        }
    }

    #[test]
    fn span_maps_round_trip_and_a_model_without_them_keeps_raw_scores() {
        let mut m = Model {
            classifiers: vec![None; TECHNIQUES.len()],
            ..Model::default()
        };
        let hit = TagHit {
            technique: 14,
            span: Span::new(0, 4),
            score: 0.99,
            margin: 2.0,
        };
        assert_eq!(m.span_calibration.tagger_score(&hit), 0.99);
        m.span_calibration = SpanCalibration {
            lexicon: Some(Calibration::Isotonic(vec![(0.1, 0.05), (0.9, 0.6)])),
            tagger: Some(Calibration::Platt { a: 0.5, b: -1.0 }),
        };
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
        let p = back.span_calibration.tagger_score(&hit);
        assert!((p - 0.5).abs() < 1e-6, "{p}");
        let biases = 4 * tagger::ROLES.len();
        // The version-3 layout (no role biases) still reads, with none.
        m.tagger.bias = [0.5, 1.0, 0.0, 2.0, 0.0, 0.0, 4.0];
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.tagger.bias, m.tagger.bias);
        let mut v3 = m.to_bytes();
        v3.truncate(v3.len() - biases);
        v3[..8].copy_from_slice(MAGIC_V3);
        let old = Model::from_bytes(&v3).unwrap();
        assert_eq!(old.tagger.bias, tagger::RoleBias::default());
        assert_eq!(old.span_calibration, m.span_calibration);
        // The version-2 layout (no maps) still reads, without maps.
        let mut v2 = m.to_bytes();
        v2.truncate(v2.len() - biases - (1 + 1 + 4 + 16) - (1 + 1 + 8));
        v2[..8].copy_from_slice(MAGIC_V2);
        let old = Model::from_bytes(&v2).unwrap();
        assert_eq!(old.span_calibration, SpanCalibration::default());
        let mut bad = m.to_bytes();
        let n = bad.len();
        bad[n - biases - 9] = 7;
        assert!(Model::from_bytes(&bad).is_err(), "unknown map kind");
        let mut bad = m.to_bytes();
        let n = bad.len();
        bad[n - 4..].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(
            Model::from_bytes(&bad).is_err(),
            "a bias that is not a number"
        );
    }
}
