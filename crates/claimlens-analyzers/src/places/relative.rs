//! Relative locations: "about 10 kilometers northeast of the capital Damascus" becomes a
//! `RELATIVE` annotation with the distance, the bearing, a point estimated from the anchor,
//! and a link to the anchor place.
//!
//! The pattern is read backwards from the anchor's first token, over a handful of tokens:
//! `[about|some|around|...] NUMBER UNIT DIRECTION of [the] [capital|city|town|Syrian ...]`.
//! Without a distance ("north of Damascus") only the bearing is kept.

use claimlens_core::{Doc, Span, TokenKind};

/// What the pattern found before an anchor.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Relative {
    /// From the distance (or the direction) to the end of the anchor.
    pub span: Span,
    /// Distance in kilometres, when stated.
    pub distance_km: Option<f64>,
    /// Compass point: N, NE, E, SE, S, SW, W, NW.
    pub bearing: &'static str,
}

/// Words that may stand between "of" and the anchor name.
const BRIDGE_WORDS: &[&str] = &[
    "the",
    "capital",
    "city",
    "town",
    "village",
    "province",
    "provincial",
    "governorate",
    "region",
    "border",
    "of",
    "rebel-held",
    "besieged",
    "government-held",
    "key",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
];

const HEDGES: &[&str] = &[
    "about",
    "some",
    "around",
    "roughly",
    "approximately",
    "nearly",
    "almost",
    "just",
    "over",
    "under",
    "only",
    "approx",
    "circa",
];

const SPELLED: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// Compass point of a direction word (`northeast`, `north-east`).
fn bearing(word: &str) -> Option<&'static str> {
    let w: String = word
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    Some(match w.as_str() {
        "north" => "N",
        "northeast" => "NE",
        "east" => "E",
        "southeast" => "SE",
        "south" => "S",
        "southwest" => "SW",
        "west" => "W",
        "northwest" => "NW",
        _ => return None,
    })
}

/// Kilometres per unit.
fn unit(word: &str) -> Option<f64> {
    match word.to_ascii_lowercase().as_str() {
        "km" | "kms" | "kilometer" | "kilometers" | "kilometre" | "kilometres" => Some(1.0),
        "mi" | "mile" | "miles" => Some(1.609_344),
        _ => None,
    }
}

fn number(word: &str) -> Option<f64> {
    let lower = word.to_ascii_lowercase();
    if let Some(i) = SPELLED.iter().position(|s| *s == lower) {
        return Some(i as f64 + 1.0);
    }
    word.replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

/// The relative-location pattern ending at the anchor that starts at byte `anchor.start`.
pub(super) fn before(doc: &Doc, anchor: Span) -> Option<Relative> {
    let tokens = &doc.tokens;
    let first = tokens.partition_point(|t| t.span.start < anchor.start);
    let text = |k: usize| doc.slice(tokens[k].span);
    let mut k = first;
    // Bridge words and capitalised adjectives between "of" and the anchor.
    let mut bridged = 0;
    while k > 0 && bridged < 4 {
        let w = text(k - 1);
        let lower = w.to_ascii_lowercase();
        if lower == "of" && k >= 2 && bearing(text(k - 2)).is_some() {
            break;
        }
        let capitalised_word = tokens[k - 1].kind == TokenKind::Word
            && w.chars().next().is_some_and(char::is_uppercase);
        if BRIDGE_WORDS.contains(&lower.as_str()) || capitalised_word || w == "," {
            k -= 1;
            bridged += 1;
        } else {
            break;
        }
    }
    if k < 2 || !text(k - 1).eq_ignore_ascii_case("of") {
        return None;
    }
    let mut k = k - 1;
    let point = bearing(text(k - 1))?;
    k -= 1;
    // "in the south of Idlib" names a part of the place, not a direction from it.
    if k >= 1 && text(k - 1).eq_ignore_ascii_case("the") {
        return None;
    }
    let mut start = tokens[k].span.start;
    // Distance: NUMBER UNIT, or a token such as "10km".
    let mut distance = None;
    if k >= 1 {
        let u = text(k - 1);
        if let Some(per) = unit(u) {
            if k >= 2 {
                if let Some(n) = number(text(k - 2)) {
                    distance = Some(n * per);
                    k -= 2;
                }
            }
        } else if let Some(split) = u.find(|c: char| c.is_ascii_alphabetic()) {
            if let (Some(n), Some(per)) = (number(&u[..split]), unit(&u[split..])) {
                distance = Some(n * per);
                k -= 1;
            }
        }
        if distance.is_some() {
            if k >= 1 && HEDGES.contains(&text(k - 1).to_ascii_lowercase().as_str()) {
                k -= 1;
            }
            start = tokens[k].span.start;
        }
    }
    Some(Relative {
        span: Span::new(start as usize, anchor.end as usize),
        distance_km: distance,
        bearing: point,
    })
}

/// The point `distance_km` from (`lat`, `lon`) towards compass point `bearing`, on a
/// spherical earth (accurate to well under a kilometre at news distances).
pub(super) fn offset_point(lat: f64, lon: f64, distance_km: f64, bearing: &str) -> (f64, f64) {
    let degrees = match bearing {
        "N" => 0.0,
        "NE" => 45.0,
        "E" => 90.0,
        "SE" => 135.0,
        "S" => 180.0,
        "SW" => 225.0,
        "W" => 270.0,
        _ => 315.0,
    };
    let (r, d) = (6371.0_f64, distance_km);
    let (phi, lambda, theta) = (lat.to_radians(), lon.to_radians(), f64::to_radians(degrees));
    let delta = d / r;
    let phi2 = (phi.sin() * delta.cos() + phi.cos() * delta.sin() * theta.cos()).asin();
    let lambda2 = lambda
        + (theta.sin() * delta.sin() * phi.cos()).atan2(delta.cos() - phi.sin() * phi2.sin());
    (
        phi2.to_degrees(),
        (lambda2.to_degrees() + 540.0) % 360.0 - 180.0,
    )
}
