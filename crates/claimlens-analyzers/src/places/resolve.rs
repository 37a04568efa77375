//! Choosing one place per mention. Each candidate gets a score from named components; the
//! best wins, the component that separated it most from the runner-up becomes the rule, and
//! the margin becomes the confidence.
//!
//! Components:
//! * `population`: log10 of the population (a city of 1M scores 6, of 10k 4);
//! * `kind`: a country name +3, a national capital +1.5, a first-level division +1, but −2
//!   when a city of the same country carries the same name and no "province" word follows
//!   (bare "Hama" is the city);
//! * `country-context`: +2.5 when the candidate's country is one the document is about: the
//!   country of a mention resolved with confidence ≥ 0.8 in a first pass without context
//!   ("Syria", or "Aleppo", whose candidates all lie in Syria);
//! * `canonical-name`: −1 when the text used an alternate spelling rather than the
//!   canonical name;
//! * `qualifier`: +6 when the next mention, after a comma, names the candidate's country or
//!   first-level division ("Damascus, Oregon"; "Hama, Syria");
//! * `cue:*`: +5 when a neighbouring word names the candidate's kind ("Idlib province",
//!   "the capital Damascus", "the city of Hama").

use std::collections::HashMap;

use super::fold::fold;
use super::gazetteer::{Gazetteer, NameEntry, Place, PlaceKind};
use super::mentions::{Cue, Mention};

/// A mention with its chosen place.
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    /// Index into the gazetteer.
    pub place: u32,
    /// The deciding rule.
    pub rule: &'static str,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// Number of candidates considered.
    pub candidates: usize,
}

const COMPONENTS: [&str; 6] = [
    "population",
    "kind",
    "country-context",
    "canonical-name",
    "cue",
    "qualifier",
];

/// Countries of the confident first-pass choices: those the document is about.
fn country_context(g: &Gazetteer, first_pass: &[Option<Resolved>]) -> HashMap<[u8; 2], u32> {
    let mut ctx: HashMap<[u8; 2], u32> = HashMap::new();
    for r in first_pass.iter().flatten() {
        if r.confidence >= CONTEXT_CONFIDENCE {
            *ctx.entry(g.place(r.place).country).or_default() += 1;
        }
    }
    ctx
}

/// First-pass confidence from which a choice sets the document's country context
/// (a score margin of about 1.4, e.g. a country name against a town of the same name).
const CONTEXT_CONFIDENCE: f32 = 0.8;

fn components(
    g: &Gazetteer,
    mentions: &[Mention],
    m: &Mention,
    e: &NameEntry,
    ctx: &HashMap<[u8; 2], u32>,
) -> [f32; 6] {
    let p: &Place = g.place(e.place);
    let population = ((p.population as f64) + 10.0).log10() as f32;
    let city_twin = || {
        m.candidates.iter().any(|o| {
            let q = g.place(o.place);
            q.kind == PlaceKind::City && q.country == p.country
        })
    };
    let kind = match p.kind {
        PlaceKind::Country => 3.0,
        PlaceKind::Admin1 if m.cue != Some(Cue::Admin) && city_twin() => -2.0,
        PlaceKind::Admin1 => 1.0,
        PlaceKind::City if p.capital => 1.5,
        PlaceKind::City => 0.0,
    };
    let context = if ctx.get(&p.country).copied().unwrap_or(0) > 0 {
        2.5
    } else {
        0.0
    };
    let canonical = if e.alternate { -1.0 } else { 0.0 };
    let cue = match (m.cue, p.kind) {
        (Some(Cue::Admin), PlaceKind::Admin1) => 5.0,
        (Some(Cue::City), PlaceKind::City) => 5.0,
        (Some(Cue::Capital), PlaceKind::City) if p.capital => 5.0,
        _ => 0.0,
    };
    let qualified = m.qualifier.is_some_and(|q| {
        mentions[q].candidates.iter().any(|o| {
            let q = g.place(o.place);
            q.country == p.country
                && match q.kind {
                    PlaceKind::Country => p.kind != PlaceKind::Country,
                    PlaceKind::Admin1 => p.kind == PlaceKind::City && q.admin1 == p.admin1,
                    PlaceKind::City => false,
                }
        })
    });
    let qualifier = if qualified { 6.0 } else { 0.0 };
    [population, kind, context, canonical, cue, qualifier]
}

/// Picks a place for every mention that has candidates: a first pass without context, then
/// a second with the countries of the confident first-pass choices.
pub(super) fn resolve(g: &Gazetteer, mentions: &[Mention]) -> Vec<Option<Resolved>> {
    let first = resolve_with(g, mentions, &HashMap::new());
    let ctx = country_context(g, &first);
    resolve_with(g, mentions, &ctx)
}

fn resolve_with(
    g: &Gazetteer,
    mentions: &[Mention],
    ctx: &HashMap<[u8; 2], u32>,
) -> Vec<Option<Resolved>> {
    mentions
        .iter()
        .map(|m| {
            let mut scored: Vec<(f32, [f32; 6], u32)> = m
                .candidates
                .iter()
                .map(|e| {
                    let c = components(g, mentions, m, e, ctx);
                    (c.iter().sum(), c, e.place)
                })
                .collect();
            // Highest score first; ties go to the earlier gazetteer entry (countries, then
            // divisions, then places), which keeps the choice deterministic.
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
            let (best_score, best, place) = *scored.first()?;
            // "Lattakia province" where only the city carries that spelling: the division
            // named after the city.
            if m.cue == Some(Cue::Admin) && g.place(place).kind == PlaceKind::City {
                if let Some(admin) = g.admin1_index_of(g.place(place)) {
                    if fold(&g.place(admin).name) == fold(&g.place(place).name) {
                        return Some(Resolved {
                            place: admin,
                            rule: "cue:admin-word→division-of-city",
                            confidence: 0.8,
                            candidates: scored.len(),
                        });
                    }
                }
            }
            let Some(&(second_score, second, _)) = scored.get(1) else {
                return Some(Resolved {
                    place,
                    rule: "only-candidate",
                    confidence: 0.95,
                    candidates: 1,
                });
            };
            let (k, _) = best
                .iter()
                .zip(second.iter())
                .map(|(a, b)| a - b)
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, 0.0));
            let rule = match (k, m.cue) {
                (4, Some(Cue::Admin)) => "cue:admin-word",
                (4, Some(Cue::City)) => "cue:city-word",
                (4, Some(Cue::Capital)) => "cue:capital",
                _ => COMPONENTS[k],
            };
            let margin = best_score - second_score;
            Some(Resolved {
                place,
                rule,
                confidence: (1.0 / (1.0 + (-margin).exp())).min(0.99),
                candidates: scored.len(),
            })
        })
        .collect()
}
