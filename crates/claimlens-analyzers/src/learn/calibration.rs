//! Calibration: turning a tagger's or resolver's raw confidence into a probability that
//! means what it says (of the spans scored 0.8, about 80% are right).
//!
//! * [`SpanEvidence`]: the raw scores of one tagged span, read from the per-token tag
//!   scores: the mean local softmax probability of the chosen tags (saturates near 1 because
//!   perceptron scores differ by large margins) and the smallest margin between the chosen
//!   tag and the best other allowed tag (does not saturate, so it still ranks the spans the
//!   softmax puts at 1.00).
//! * [`PlattMap`]: `p = 1 / (1 + exp(-(intercept + slope × raw)))`, fitted by logistic
//!   regression (Newton's method) on held-out outcomes: the shipped map. [`IsotonicMap`]
//!   (pool-adjacent-violators) is the alternative it was chosen over by held-out Brier score;
//!   `claimlens train calibration` prints both.
//! * [`CalibrationTable`]: one Platt map per [`Component`], read from the committed
//!   `models/calibration.tsv` (written by `claimlens train calibration`) and embedded.

use std::fmt::Write as _;
use std::ops::Range;

use super::bio::{allowed, previous, Tag};
use super::embedded::{Embedded, LoadError};
use super::perceptron::{probability, ModelFormatError};

pub use claimlens_core::probability::{IsotonicMap, PlattMap, FLOOR};

/// The raw scores of one tagged span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpanEvidence {
    /// Mean over the span's tokens of the chosen tag's softmax probability among the tags
    /// allowed after the previous tag.
    pub mean_probability: f32,
    /// Smallest, over the span's tokens, of the chosen tag's score minus the best other
    /// allowed tag's score (negative where the beam chose a tag the token's own scores
    /// disfavour).
    pub min_margin: f32,
}

impl SpanEvidence {
    /// The evidence of the tokens `r` given every token's tag scores and the chosen tags.
    pub fn of<const N: usize>(scores: &[[f32; N]], tags: &[Tag], r: Range<usize>) -> Self {
        let len = r.len().max(1) as f32;
        let mut sum = 0.0;
        let mut min_margin = f32::INFINITY;
        for i in r {
            let (prev, t) = (previous(tags, i), tags[i] as usize);
            sum += probability(&scores[i], prev, t);
            let best_other = (0..N)
                .filter(|&k| k != t && allowed(prev, k as Tag))
                .map(|k| scores[i][k])
                .fold(f32::NEG_INFINITY, f32::max);
            min_margin = min_margin.min(scores[i][t] - best_other);
        }
        SpanEvidence {
            mean_probability: sum / len,
            // No alternative (or no token): nothing to weigh against.
            min_margin: if min_margin.is_finite() {
                min_margin
            } else {
                0.0
            },
        }
    }

    /// The raw score the calibration maps read.
    pub fn raw(&self) -> f32 {
        self.min_margin
    }

    /// The evidence of two adjacent spans joined into one: the length-weighted mean
    /// probability and the smaller margin.
    pub fn join(self, len: usize, other: SpanEvidence, other_len: usize) -> Self {
        let (a, b) = (len as f32, other_len as f32);
        SpanEvidence {
            mean_probability: (self.mean_probability * a + other.mean_probability * b)
                / (a + b).max(1.0),
            min_margin: self.min_margin.min(other.min_margin),
        }
    }
}

/// The score reported for a span of `component`: its probability under the embedded table's
/// map, or, when the table has no map for it (or failed to load), the mean probability. The
/// flag says which, so the reason can name what the score is.
pub fn reported_score(component: Component, evidence: &SpanEvidence) -> (f32, bool) {
    calibrated(component, evidence.raw()).map_or((evidence.mean_probability, false), |p| (p, true))
}

/// A raw score's probability under the embedded table's map for `component`; `None` when
/// the table has no map for it or failed to load.
pub fn calibrated(component: Component, raw: f32) -> Option<f32> {
    CalibrationTable::embedded()
        .ok()?
        .probability(component, raw)
}

/// What a calibration map is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Component {
    /// Attribution cues (the cue tagger).
    AttributionCue,
    /// Attribution sources (the argument tagger).
    AttributionSource,
    /// Attribution contents (the argument tagger).
    AttributionContent,
    /// Entity mentions found by the CoNLL-2003 tagger.
    Entities,
    /// Place resolutions.
    Places,
}

impl Component {
    /// Every component, in table order.
    pub const ALL: [Component; 5] = [
        Component::AttributionCue,
        Component::AttributionSource,
        Component::AttributionContent,
        Component::Entities,
        Component::Places,
    ];

    /// Its name in the table file.
    pub fn name(self) -> &'static str {
        match self {
            Component::AttributionCue => "attribution-cue",
            Component::AttributionSource => "attribution-source",
            Component::AttributionContent => "attribution-content",
            Component::Entities => "entities",
            Component::Places => "places",
        }
    }

    fn from_name(name: &str) -> Option<Component> {
        Component::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The calibration maps of every component that has one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalibrationTable {
    maps: Vec<(Component, PlattMap)>,
}

/// The committed table, embedded so no file is read at run time.
pub const EMBEDDED_TABLE: &[u8] = include_bytes!("../../models/calibration.tsv");

static EMBEDDED: Embedded<CalibrationTable> =
    Embedded::new("calibration", EMBEDDED_TABLE, CalibrationTable::from_bytes);

impl CalibrationTable {
    /// The committed table, decoded on first use.
    pub fn embedded() -> Result<&'static CalibrationTable, LoadError> {
        EMBEDDED.get()
    }

    /// Sets (or replaces) a component's map.
    pub fn insert(&mut self, component: Component, map: PlattMap) {
        self.maps.retain(|(c, _)| *c != component);
        self.maps.push((component, map));
        self.maps.sort_by_key(|(c, _)| *c);
    }

    /// A component's map, if the table has one.
    pub fn map(&self, component: Component) -> Option<&PlattMap> {
        self.maps
            .iter()
            .find(|(c, _)| *c == component)
            .map(|(_, m)| m)
    }

    /// A component's calibrated probability for a raw score; `None` when the table has no
    /// map for it.
    pub fn probability(&self, component: Component, raw: f32) -> Option<f32> {
        Some(self.map(component)?.probability(raw))
    }

    /// The table as TSV: `#` comment lines (`header`, one per line), then
    /// `component<TAB>intercept<TAB>slope` per map. Numbers are written so they read back
    /// bit for bit.
    pub fn to_tsv(&self, header: &str) -> String {
        let mut out = String::new();
        for line in header.lines() {
            let _ = writeln!(out, "# {line}");
        }
        out.push_str(TSV_HEADER);
        out.push('\n');
        for (c, m) in &self.maps {
            let _ = writeln!(out, "{}\t{}\t{}", c.name(), m.intercept, m.slope);
        }
        out
    }

    /// Reads what [`CalibrationTable::to_tsv`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<CalibrationTable, ModelFormatError> {
        let bad = |line: usize, what: &str| {
            ModelFormatError(format!("calibration table line {}: {what}", line + 1))
        };
        let text = std::str::from_utf8(bytes).map_err(|_| bad(0, "not UTF-8"))?;
        let mut rows = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty());
        match rows.next() {
            Some((_, TSV_HEADER)) => {}
            Some((i, _)) => return Err(bad(i, "expected the header `component intercept slope`")),
            None => return Err(bad(0, "no header")),
        }
        let mut table = CalibrationTable::default();
        for (i, line) in rows {
            let cells: Vec<&str> = line.split('\t').collect();
            let [name, a, b] = cells[..] else {
                return Err(bad(i, "expected three tab-separated cells"));
            };
            let c = Component::from_name(name).ok_or_else(|| bad(i, "unknown component"))?;
            let number = |v: &str| v.parse::<f32>().ok().filter(|v| v.is_finite());
            let (Some(intercept), Some(slope)) = (number(a), number(b)) else {
                return Err(bad(i, "intercept and slope must be finite numbers"));
            };
            if slope < 0.0 {
                // A larger margin must never make a span less likely right.
                return Err(bad(i, "negative slope"));
            }
            if table.map(c).is_some() {
                return Err(bad(i, "a second map for the component"));
            }
            table.insert(c, PlattMap { intercept, slope });
        }
        Ok(table)
    }
}

/// The column header of the table file.
const TSV_HEADER: &str = "component\tintercept\tslope";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_round_trips_and_rejects_damage() {
        let mut t = CalibrationTable::default();
        let map = |intercept, slope| PlattMap { intercept, slope };
        t.insert(Component::Places, map(0.1, 0.7));
        t.insert(Component::AttributionCue, map(-1.5, 0.025));
        let tsv = t.to_tsv("fitted on nothing real\nsecond line");
        assert!(tsv.starts_with("# fitted on nothing real\n# second line\n"));
        assert_eq!(CalibrationTable::from_bytes(tsv.as_bytes()), Ok(t.clone()));
        assert_eq!(t.probability(Component::Entities, 1.0), None);
        assert_eq!(t.probability(Component::Places, -1.0 / 7.0), Some(0.5));

        let h = TSV_HEADER;
        let cases = [
            (String::new(), "no header"),
            ("x\n".to_owned(), "expected the header"),
            (format!("{h}\nplaces\t1\n"), "three"),
            (format!("{h}\ntowns\t1\t0.5\n"), "unknown component"),
            (format!("{h}\nplaces\tx\t0.5\n"), "finite numbers"),
            (format!("{h}\nplaces\t1\tinf\n"), "finite numbers"),
            (format!("{h}\nplaces\t1\t-0.5\n"), "negative slope"),
            (format!("{h}\nplaces\t1\t1\nplaces\t2\t1\n"), "second map"),
        ];
        for (text, want) in cases {
            let e = CalibrationTable::from_bytes(text.as_bytes()).unwrap_err();
            assert!(e.0.contains(want), "{text:?}: {e}");
        }
        assert!(CalibrationTable::from_bytes(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn span_evidence_reads_probability_and_margin() {
        use crate::learn::bio::{begin, inside};
        // Two roles: tags O, B-0, I-0, B-1, I-1.
        let scores = [[0.0, 2.0, 0.0, 1.0, 0.0], [0.0, 0.0, 3.0, 0.0, 5.0]];
        let tags = [begin(0), inside(0)];
        let e = SpanEvidence::of(&scores, &tags, 0..2);
        // Token 0: B-0 beats B-1 by 1 (I tags are not allowed at the start); token 1: I-1
        // is not allowed after B-0, so I-0 beats the best allowed other (all at 0) by 3.
        assert_eq!(e.min_margin, 1.0);
        assert!(e.mean_probability > 0.5 && e.mean_probability < 1.0);
        let joined = e.join(
            2,
            SpanEvidence {
                mean_probability: 0.1,
                min_margin: -2.0,
            },
            2,
        );
        assert_eq!(joined.min_margin, -2.0);
        assert!((joined.mean_probability - (e.mean_probability + 0.1) / 2.0).abs() < 1e-6);
    }

    #[test]
    fn the_committed_table_maps_every_component() {
        let t = CalibrationTable::embedded().expect("models/calibration.tsv");
        for c in &Component::ALL {
            let m = t
                .map(*c)
                .unwrap_or_else(|| panic!("no map for {}", c.name()));
            // A larger margin makes an item likelier right, and the ends are not certainties.
            assert!(m.slope > 0.0, "{m:?}");
            assert_eq!(m.probability(-1e6), FLOOR);
            assert_eq!(m.probability(1e6), 1.0 - FLOOR);
        }
    }
}
