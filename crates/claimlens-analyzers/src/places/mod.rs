//! Places: place names resolved offline against a GeoNames-derived gazetteer, with
//! coordinates. Reads `tokens` and `sentences` (and, when another stage produced it, the
//! optional `entities` layer); adds the `places` layer:
//!
//! * `PLACE` on each resolved name ("Idlib province", "Damascus" in "Damascus-based",
//!   "Russia" in "Russia's"): `attrs.name` (canonical), `kind` (country / admin1 / city),
//!   `country` (ISO 3166-1 alpha-2), `admin1` (division name, for cities), `lat`, `lon`,
//!   `geonames_id` (when known), `capital` (for national capitals), `candidates`; the reason
//!   names the deciding rule ([`resolve`]'s components) and the probability that the
//!   annotation is a place resolved to the right entity: the resolver's rule confidence,
//!   read as the margin it stands for ([`calibration_raw`]), mapped by the `places`
//!   calibration ([`crate::learn::calibration`]; the rule confidence itself without that
//!   map). `attrs.rule_confidence` keeps the rule confidence.
//! * `UNRESOLVED` on a `GPE`/`LOC` entity the gazetteer does not know.
//! * `RELATIVE` on "about 10 kilometers northeast of the capital Damascus": `distance_km`
//!   (when stated), `bearing` (N, NE, …), `anchor` (the place's name), `lat`/`lon` of the
//!   estimated point, and an `anchor` link to the place's `PLACE` annotation.
//!
//! How names are found is in [`mentions`], how one place is chosen in [`resolve`].
//! Demonyms ("Syrian") are not places here: they are left to named-entity recognition, and
//! only count as evidence of the country the document is about.

mod mentions;
mod relative;
mod resolve;
mod words;

use claimlens_core::{Annotation, Diagnostic, Doc, Layer, Link, Reason, Stage};
use claimlens_schema::layer;

use crate::gazetteer::Gazetteer;
use crate::learn::calibration::{calibrated, CalibrationTable, Component};

/// Stage name.
pub const STAGE: &str = "places";
/// The layer this stage assigns.
pub const PLACES_LAYER: &str = layer::PLACES;

/// The place-resolution stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct PlacesStage;

impl Stage for PlacesStage {
    fn name(&self) -> &'static str {
        STAGE
    }

    fn requires(&self) -> &'static [&'static str] {
        &[layer::TOKENS, layer::SENTENCES]
    }

    fn uses(&self) -> &'static [&'static str] {
        // Entity types filter person and organisation names out of place candidates.
        &[layer::ENTITIES]
    }

    fn assigns(&self) -> &'static [&'static str] {
        &[PLACES_LAYER]
    }

    fn run(&self, doc: &mut Doc) -> Vec<Diagnostic> {
        let g = match Gazetteer::try_embedded() {
            Ok(g) => g,
            Err(e) => return vec![e.diagnostic(STAGE, "no places layer")],
        };
        let mut diags = Vec::new();
        if let Err(e) = CalibrationTable::embedded() {
            diags.push(e.diagnostic(STAGE, "place scores are uncalibrated rule confidences"));
        }
        let layer = places_layer(doc, g);
        if let Err(e) = doc.insert_layer(layer) {
            diags.push(Diagnostic::warning(STAGE, e.to_string()));
        }
        diags
    }
}

/// The mentions of a segmented document and the place chosen for each.
fn resolve_document(
    doc: &Doc,
    g: &Gazetteer,
) -> (Vec<mentions::Mention>, Vec<Option<resolve::Resolved>>) {
    let entities = mentions::entities(doc);
    let mentions::Found {
        mentions: found,
        demonyms,
    } = mentions::find(doc, g, &entities);
    let resolved = resolve::resolve(g, &found, &demonyms);
    (found, resolved)
}

/// The span of every resolved mention with the resolver's rule confidence (the layer carries
/// the calibrated probability; [`calibration_raw`] gives what the map reads).
pub fn raw_confidences(doc: &Doc, g: &Gazetteer) -> Vec<(claimlens_core::Span, f32)> {
    let (found, resolved) = resolve_document(doc, g);
    found
        .iter()
        .zip(&resolved)
        .filter_map(|(m, r)| Some((m.span, r.as_ref()?.confidence)))
        .collect()
}

/// What the `places` calibration map reads: the log-odds of the rule confidence, which for a
/// choice among candidates is the winning score margin (up to the 0.99 cap), and for the
/// fixed confidences (0.95 for a name with one candidate, 0.8 for the division-of-city rule)
/// the margin they stand for. The log-odds rank as the confidence does but do not crowd
/// near 1, so a logistic map of them fits both ends (docs/evaluation.md).
pub fn calibration_raw(confidence: f32) -> f32 {
    if confidence.is_nan() {
        return 0.0;
    }
    let c = f64::from(confidence).clamp(0.001, 0.999);
    (c / (1.0 - c)).ln() as f32
}

/// The probability reported for a resolution of rule confidence `confidence`: its
/// calibrated probability under the embedded `places` map, or the confidence itself when
/// the table has no such map.
pub fn place_probability(confidence: f32) -> f32 {
    calibrated(Component::Places, calibration_raw(confidence)).unwrap_or(confidence)
}

/// Builds the `places` layer of a segmented document against a gazetteer.
pub fn places_layer(doc: &Doc, g: &'static Gazetteer) -> Layer {
    let (found, resolved) = resolve_document(doc, g);
    // Annotations are built unsorted, then sorted; links are remapped through the
    // permutation because they address annotations by index.
    let mut anns: Vec<Annotation> = Vec::with_capacity(found.len());
    let mut pending_links: Vec<(usize, usize)> = Vec::new(); // (relative, anchor)
    for (m, r) in found.iter().zip(&resolved) {
        let Some(r) = r else {
            if !m.found_by.starts_with("entity") {
                continue;
            }
            anns.push(
                Annotation::new(
                    m.span,
                    "UNRESOLVED",
                    Reason::rule(STAGE, "entity:not-in-gazetteer"),
                )
                .with_attr("mention", doc.slice(m.span).to_owned()),
            );
            continue;
        };
        let p = g.place(r.place);
        let score = place_probability(r.confidence);
        let mut a = Annotation::new(m.span, "PLACE", Reason::scored(STAGE, r.rule, score))
            .with_attr("name", p.name.as_ref())
            .with_attr("kind", p.kind.as_str());
        // A continent lies in no country.
        if !p.country_code().is_empty() {
            a = a.with_attr("country", p.country_code());
        }
        if let Some(admin) = g.admin1_of(p) {
            a = a.with_attr("admin1", admin.name.as_ref());
        }
        a = a
            .with_attr("lat", round4(p.lat))
            .with_attr("lon", round4(p.lon));
        if let Some(id) = p.geonames_id {
            a = a.with_attr("geonames_id", i64::from(id));
        }
        if p.capital {
            a = a.with_attr("capital", true);
        }
        a = a
            .with_attr("rule_confidence", round4(r.confidence))
            .with_attr("candidates", r.candidates as i64)
            .with_attr("found_by", m.found_by);
        let anchor = anns.len();
        anns.push(a);
        if let Some(rel) = relative::before(doc, m.span) {
            let mut ra = Annotation::new(
                rel.span,
                "RELATIVE",
                Reason::rule(
                    STAGE,
                    if rel.distance_km.is_some() {
                        "distance-direction-of-place"
                    } else {
                        "direction-of-place"
                    },
                ),
            )
            .with_attr("bearing", rel.bearing)
            .with_attr("anchor", p.name.as_ref());
            if let Some(d) = rel.distance_km {
                let (lat, lon) =
                    relative::offset_point(f64::from(p.lat), f64::from(p.lon), d, rel.bearing);
                ra = ra
                    .with_attr("distance_km", (d * 1000.0).round() / 1000.0)
                    .with_attr("lat", (lat * 1e4).round() / 1e4)
                    .with_attr("lon", (lon * 1e4).round() / 1e4);
            }
            pending_links.push((anns.len(), anchor));
            anns.push(ra);
        }
    }
    let mut order: Vec<usize> = (0..anns.len()).collect();
    order.sort_by_key(|&i| (anns[i].span.start, std::cmp::Reverse(anns[i].span.end), i));
    let mut new_index = vec![0u32; anns.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new as u32;
    }
    for (rel, anchor) in pending_links {
        anns[rel].push_link(Link {
            role: claimlens_schema::role::ANCHOR.into(),
            layer: PLACES_LAYER.into(),
            index: new_index[anchor],
        });
    }
    let mut slots: Vec<Option<Annotation>> = anns.into_iter().map(Some).collect();
    let mut layer = Layer::new(PLACES_LAYER, STAGE);
    for i in order {
        if let Some(a) = slots[i].take() {
            layer.push(a);
        }
    }
    layer
}

fn round4(v: f32) -> f64 {
    (f64::from(v) * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests;
