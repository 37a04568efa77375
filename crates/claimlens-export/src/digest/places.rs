//! The place list: each resolved place once, with its coordinates and mention count, and
//! each relative location with its anchor, built from the `places` layer.

use claimlens_core::{AttrValue, Doc, Span};
use claimlens_schema::layer;

use super::attr_text as text;

/// One place of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceEntry {
    /// Index of its first annotation in the `places` layer.
    pub index: usize,
    /// `PLACE` or `RELATIVE`.
    pub label: String,
    /// Canonical name (`PLACE`), or the relative expression (`RELATIVE`).
    pub name: String,
    /// `continent`, `country`, `admin1`, `city`; for `RELATIVE`, the bearing and distance.
    pub kind: String,
    /// ISO country code (empty for `RELATIVE` and for a continent).
    pub country: String,
    /// First-level division, when known.
    pub admin1: String,
    /// Coordinates (the estimated point for `RELATIVE`), when known.
    pub point: Option<(f64, f64)>,
    /// First mention.
    pub span: Span,
    /// Number of mentions resolved to it.
    pub mentions: usize,
    /// Index in the `places` layer of every mention resolved to it, `index` first (the map
    /// of the HTML report flashes a place's dot when any of them is clicked).
    pub mention_indices: Vec<usize>,
}

impl PlaceEntry {
    /// "city, Idlib, SY": kind, division and country, the known ones.
    pub fn description(&self) -> String {
        [
            self.kind.as_str(),
            self.admin1.as_str(),
            self.country.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

fn number(v: Option<&AttrValue>) -> Option<f64> {
    match v {
        Some(AttrValue::Float(f)) => Some(*f),
        Some(AttrValue::Int(i)) => Some(*i as f64),
        Some(AttrValue::Str(s)) => s.parse().ok(),
        _ => None,
    }
}

/// Places in order of first mention (one entry per distinct place), relative locations in
/// text order. Empty when the layer is absent.
pub fn place_list(doc: &Doc) -> Vec<PlaceEntry> {
    let Some(places) = doc.layer(layer::PLACES) else {
        return Vec::new();
    };
    let mut out: Vec<PlaceEntry> = Vec::new();
    for (index, a) in places.annotations.iter().enumerate() {
        let point = number(a.attr("lat")).zip(number(a.attr("lon")));
        match a.label.as_ref() {
            "PLACE" => {
                let (name, country) = (text(a.attr("name")), text(a.attr("country")));
                let kind = text(a.attr("kind"));
                if let Some(e) = out.iter_mut().find(|e| {
                    e.label == "PLACE" && e.name == name && e.country == country && e.kind == kind
                }) {
                    e.mentions += 1;
                    e.mention_indices.push(index);
                    continue;
                }
                out.push(PlaceEntry {
                    index,
                    label: "PLACE".into(),
                    name,
                    kind,
                    country,
                    admin1: text(a.attr("admin1")),
                    point,
                    span: a.span,
                    mentions: 1,
                    mention_indices: vec![index],
                });
            }
            "RELATIVE" => {
                let distance = text(a.attr("distance_km"));
                let bearing = text(a.attr("bearing"));
                let kind = if distance.is_empty() {
                    bearing
                } else {
                    format!("{distance} km {bearing}")
                };
                out.push(PlaceEntry {
                    index,
                    label: "RELATIVE".into(),
                    name: doc.slice(a.span).to_owned(),
                    kind: format!("{kind} of {}", text(a.attr("anchor"))),
                    country: String::new(),
                    admin1: String::new(),
                    point,
                    span: a.span,
                    mentions: 1,
                    mention_indices: vec![index],
                });
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use claimlens_core::{Annotation, Layer, Reason};

    use super::*;

    #[test]
    fn one_entry_per_place_and_relative_locations_kept() {
        let text = "Rome and Rome again, 5 km north of Rome.";
        let mut doc = Doc::new("d", text);
        let mut layer = Layer::new("places", "test");
        let place = |start: usize| {
            Annotation::new(Span::new(start, start + 4), "PLACE", Reason::rule("t", "r"))
                .with_attr("name", "Rome")
                .with_attr("kind", "city")
                .with_attr("country", "IT")
                .with_attr("lat", 41.89)
                .with_attr("lon", 12.48)
        };
        layer.push(place(0));
        layer.push(place(9));
        layer.push(
            Annotation::new(Span::new(21, 39), "RELATIVE", Reason::rule("t", "r"))
                .with_attr("bearing", "N")
                .with_attr("distance_km", 5.0)
                .with_attr("anchor", "Rome"),
        );
        layer.push(place(35));
        doc.insert_layer(layer).unwrap();
        let list = place_list(&doc);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].mentions, 3);
        assert_eq!(list[0].mention_indices, [0, 1, 3]);
        assert_eq!(list[0].point, Some((41.89, 12.48)));
        assert_eq!(list[1].label, "RELATIVE");
        assert_eq!(list[1].kind, "5 km N of Rome");
        assert_eq!(list[1].point, None);
    }
}
