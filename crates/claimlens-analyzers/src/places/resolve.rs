//! Choosing one place per mention. Each candidate gets a score from named components; the
//! best wins, the component that separated it most from the runner-up becomes the rule, and
//! the margin becomes the confidence.
//!
//! Components:
//! * `population`: log10 of the population (a city of 1M scores 6, of 10k 4);
//! * `kind`: a country name +3, a national capital +1.5, a first-level division +1, but −2
//!   when a city of the same country with at least a tenth of the division's population
//!   carries the same name and no "province" word follows (bare "Hama" is the city);
//! * `country-context`: +2.5 when the candidate's country is one the document is about: the
//!   country of a mention resolved with confidence ≥ 0.65 in a first pass without context
//!   ("Syria", or "Aleppo", whose candidates all lie in Syria), other than this name itself,
//!   or that a nationality adjective names ("Syrian troops"); +1.5 more for a city whose
//!   first-level division is such a mention or holds one ("Williamsburg" in an article that
//!   names Virginia);
//! * `canonical-name`: −1 when the text used an alternate spelling rather than the
//!   canonical name;
//! * `qualifier`: +6 when the next mention, after a comma, names the candidate's country or
//!   first-level division ("Damascus, Oregon"; "Hama, Syria");
//! * `list-kind`: +3 when a name coordinated with this one ("Georgia and Ukraine") was
//!   confidently resolved, in the first pass, to a place of the candidate's kind;
//! * `cue:*`: +5 when a neighbouring word names the candidate's kind ("Idlib province",
//!   "the capital Damascus", "the city of Hama").
//!
//! Two rules override the scores: a winning town under 100,000 inhabitants (not a national
//! capital) whose country nothing else in the document supports is dropped, and "Lattakia
//! province", where only the city carries the spelling, becomes the division named after
//! that city (`cue:admin-word→division-of-city`).

use std::collections::{HashMap, HashSet};

use super::mentions::{Cue, Mention};
use crate::gazetteer::{fold, Gazetteer, NameEntry, Place, PlaceKind};

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

const COMPONENTS: [&str; 7] = [
    "population",
    "kind",
    "country-context",
    "canonical-name",
    "cue",
    "qualifier",
    "list-kind",
];

/// Countries and first-level divisions of the confident first-pass choices: what the
/// document is about. Each remembers the names that support it, so that a name is not its
/// own evidence ("Georgia" does not make the country Georgia likelier).
#[derive(Debug, Default)]
struct Context {
    countries: HashMap<[u8; 2], HashSet<String>>,
    /// (country, admin1 code) of confident divisions and of the divisions of confident cities.
    divisions: HashMap<([u8; 2], Box<str>), HashSet<String>>,
    /// The kind of each mention's confident first-pass choice.
    kinds: Vec<Option<PlaceKind>>,
}

impl Context {
    fn supports_country(&self, country: [u8; 2], key: &str) -> bool {
        self.countries
            .get(&country)
            .is_some_and(|keys| keys.iter().any(|k| k != key))
    }

    fn supports_division(&self, country: [u8; 2], admin1: &str, key: &str) -> bool {
        self.divisions
            .get(&(country, admin1.into()))
            .is_some_and(|keys| keys.iter().any(|k| k != key))
    }
}

fn context(
    g: &Gazetteer,
    mentions: &[Mention],
    demonyms: &[([u8; 2], String)],
    first_pass: &[Option<Resolved>],
) -> Context {
    let mut ctx = Context {
        kinds: vec![None; mentions.len()],
        ..Context::default()
    };
    for (country, word) in demonyms {
        ctx.countries
            .entry(*country)
            .or_default()
            .insert(word.clone());
    }
    for (k, (m, r)) in mentions.iter().zip(first_pass).enumerate() {
        let Some(r) = r else { continue };
        let p = g.place(r.place);
        // A continent is no country's evidence.
        if r.confidence >= CONTEXT_CONFIDENCE && p.kind != PlaceKind::Continent {
            ctx.kinds[k] = Some(p.kind);
            ctx.countries
                .entry(p.country)
                .or_default()
                .insert(m.key.clone());
            if p.kind != PlaceKind::Country {
                ctx.divisions
                    .entry((p.country, p.admin1.clone()))
                    .or_default()
                    .insert(m.key.clone());
            }
        }
    }
    ctx
}

/// Towns below this population need support from the document's country context.
const SMALL_TOWN_POPULATION: u64 = 100_000;

/// First-pass confidence from which a choice sets the document's context (a score margin of
/// about 0.6: "Virginia", the state, against Virginia, a South African city of 120,000).
const CONTEXT_CONFIDENCE: f32 = 0.65;

fn components(
    g: &Gazetteer,
    mentions: &[Mention],
    m: &Mention,
    e: &NameEntry,
    ctx: &Context,
) -> [f32; 7] {
    let p: &Place = g.place(e.place);
    let population = ((p.population as f64) + 10.0).log10() as f32;
    // The division's main city carries the same name ("Hama"), rather than some small town
    // that lists "Georgia" among its alternate names: at least a tenth of its population.
    let city_twin = || {
        m.candidates.iter().any(|o| {
            let q = g.place(o.place);
            q.kind == PlaceKind::City
                && q.country == p.country
                && q.population.saturating_mul(10) >= p.population
        })
    };
    let kind = match p.kind {
        // "Europe" the continent, not a town that lists it among its alternate names.
        PlaceKind::Continent => 4.0,
        PlaceKind::Country => 3.0,
        PlaceKind::Admin1 if m.cue != Some(Cue::Admin) && city_twin() => -2.0,
        PlaceKind::Admin1 => 1.0,
        PlaceKind::City if p.capital => 1.5,
        PlaceKind::City => 0.0,
    };
    let mut context = 0.0;
    if ctx.supports_country(p.country, &m.key) {
        context += 2.5;
        // Cities only: a division is not made likelier by its own earlier mention.
        if p.kind == PlaceKind::City && ctx.supports_division(p.country, &p.admin1, &m.key) {
            context += 1.5;
        }
    }
    let canonical = if e.alternate { -1.0 } else { 0.0 };
    let cue = match (m.cue, p.kind) {
        (Some(Cue::Admin), PlaceKind::Admin1) => 5.0,
        (Some(Cue::City), PlaceKind::City) => 5.0,
        (Some(Cue::Capital), PlaceKind::City) if p.capital => 5.0,
        _ => 0.0,
    };
    // A name that can be a country is not qualified by the next one: "with Canada, Mexico
    // should sue" lists two countries.
    let can_be_country = m
        .candidates
        .iter()
        .any(|o| !o.alternate && g.place(o.place).kind == PlaceKind::Country);
    let qualified = !can_be_country
        && m.qualifier.is_some_and(|q| {
            mentions[q].candidates.iter().any(|o| {
                let q = g.place(o.place);
                q.country == p.country
                    && match q.kind {
                        PlaceKind::Country => p.kind != PlaceKind::Country,
                        PlaceKind::Admin1 => p.kind == PlaceKind::City && q.admin1 == p.admin1,
                        PlaceKind::City | PlaceKind::Continent => false,
                    }
            })
        });
    let qualifier = if qualified { 6.0 } else { 0.0 };
    // Coordinated names are of one kind: "Georgia and Ukraine" are countries, "Georgia and
    // Florida" states. A list-mate counts when its first-pass choice was confident.
    let list_kind = m
        .list_mates
        .iter()
        .any(|&k| ctx.kinds.get(k).copied().flatten() == Some(p.kind));
    let list = if list_kind { 3.0 } else { 0.0 };
    [population, kind, context, canonical, cue, qualifier, list]
}

/// Picks a place for every mention that has candidates: a first pass without context, then
/// a second with the countries of the confident first-pass choices. `None` for a mention
/// without candidates, and for a town under 100,000 inhabitants (not a national capital) in
/// a country that no other name of the document supports.
pub(super) fn resolve(
    g: &Gazetteer,
    mentions: &[Mention],
    demonyms: &[([u8; 2], String)],
) -> Vec<Option<Resolved>> {
    let first = resolve_with(g, mentions, &Context::default());
    let ctx = context(g, mentions, demonyms, &first);
    resolve_with(g, mentions, &ctx)
}

fn resolve_with(g: &Gazetteer, mentions: &[Mention], ctx: &Context) -> Vec<Option<Resolved>> {
    mentions
        .iter()
        .map(|m| {
            let mut scored: Vec<(f32, [f32; 7], u32)> = m
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
            // A small town in a country nothing else in the document points to is more likely
            // a word or a name ("Allah", "Obama", "Amalia"): towns come with their region.
            let p = g.place(place);
            if p.kind == PlaceKind::City
                && !p.capital
                && p.population < SMALL_TOWN_POPULATION
                && !ctx.supports_country(p.country, &m.key)
            {
                return None;
            }
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
