//! The place map at the top of the Places section: an inline SVG world outline (Natural Earth
//! 1:110m land, embedded; see `scripts/build-world-outline.py`) with one dot per place whose
//! coordinates the places stage decided. Nothing is fetched, so the page's
//! `default-src 'none'` policy holds.
//!
//! The projection is equirectangular in degrees: x = lon + 180, y = 90 − lat, the whole world
//! being `viewBox="0 0 360 180"`. When the places lie in a small region the view is their
//! bounding box with a margin ([`view_box`]), so a story about one country is not a dot on a
//! world map. Longitudes do not wrap: places either side of the antimeridian (Fiji and Samoa)
//! span most of the map, so they are shown on the whole world rather than on a box that
//! crosses its edge.
//!
//! The outline is written once per page ([`write_outline`], a hidden `<svg>` after the
//! documents) and each map draws it with `<use href="#world-land">`, so a report of many
//! documents does not repeat it.
//!
//! Each dot is `<circle data-target data-dot>`: `data-target` is its place's first highlight
//! (a click jumps there and flashes it, like a panel entry), `data-dot` lists the highlights of
//! all its mentions (a click on any of them flashes the dot; `report.js`).

use std::io::{self, Write};

use super::Esc;
use crate::digest::PlaceEntry;

/// The land outline: one path in units of [`OUTLINE_UNIT`] degrees.
const WORLD_OUTLINE: &str = include_str!("world.svgpath");
/// The outline's unit in degrees (`UNIT` of the generator script).
const OUTLINE_UNIT: f64 = 0.25;
/// The whole world, and the largest view.
const WORLD: ViewBox = ViewBox {
    x: 0.0,
    y: 0.0,
    w: 360.0,
    h: 180.0,
};
/// The narrowest view in degrees of longitude: a single city still shows its surroundings.
const MIN_SPAN: f64 = 20.0;
/// Views wider than this show the whole world: a crop that large hides more than it helps.
const MAX_CROP_SPAN: f64 = 240.0;
/// Margin around the places, as a share of their span (at least [`MIN_MARGIN`] degrees).
const MARGIN_SHARE: f64 = 0.15;
const MIN_MARGIN: f64 = 3.0;

/// The visible part of the map, in map units (degrees). Always twice as wide as high, like
/// the world, so the map keeps its size in the panel whatever it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A place's position on the map, or `None` for coordinates that are not on the globe.
pub(super) fn project(lat: f64, lon: f64) -> Option<(f64, f64)> {
    let on_globe = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
    on_globe.then_some((lon + 180.0, 90.0 - lat))
}

/// The view of the projected `points`: their bounding box with a margin, widened to
/// [`MIN_SPAN`] and to the world's 2:1 shape and kept inside the world; the whole world when
/// there are no points or the box would be wider than [`MAX_CROP_SPAN`].
pub(super) fn view_box(points: &[(f64, f64)]) -> ViewBox {
    let Some(&(x0, y0)) = points.first() else {
        return WORLD;
    };
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (x0, x0, y0, y0);
    for &(x, y) in points {
        (min_x, max_x) = (min_x.min(x), max_x.max(x));
        (min_y, max_y) = (min_y.min(y), max_y.max(y));
    }
    let margin = |span: f64| (span * MARGIN_SHARE).max(MIN_MARGIN);
    let w = max_x - min_x + 2.0 * margin(max_x - min_x);
    let h = max_y - min_y + 2.0 * margin(max_y - min_y);
    let w = w.max(2.0 * h).max(MIN_SPAN);
    if w > MAX_CROP_SPAN {
        return WORLD;
    }
    let h = w / 2.0;
    let (cx, cy) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);
    ViewBox {
        x: (cx - w / 2.0).clamp(0.0, WORLD.w - w),
        y: (cy - h / 2.0).clamp(0.0, WORLD.h - h),
        w,
        h,
    }
}

/// The id of the outline's path, which every map `<use>`s.
const OUTLINE_ID: &str = "world-land";

/// Whether the document's map has any dot, i.e. whether the page needs the outline.
pub(super) fn has_dots(places: &[PlaceEntry]) -> bool {
    places
        .iter()
        .any(|p| p.point.and_then(|(lat, lon)| project(lat, lon)).is_some())
}

/// The outline, once per page: a hidden `<svg>` holding the path that the maps use.
pub(super) fn write_outline<W: Write>(w: &mut W) -> io::Result<()> {
    // The stroke keeps its width whatever the zoom; `vector-effect` is not inherited through
    // `<use>`, so it is set on the path itself. Explicit end tags rather than `/>`: the same
    // markup rules as the rest of the page.
    writeln!(
        w,
        "<svg class=\"outline\" aria-hidden=\"true\" width=\"0\" height=\"0\"><defs><path id=\"{OUTLINE_ID}\" vector-effect=\"non-scaling-stroke\" d=\"{}\"></path></defs></svg>",
        WORLD_OUTLINE.trim_end()
    )
}

/// A place that gets a dot: its entry and its map position.
struct Dot<'a> {
    place: &'a PlaceEntry,
    x: f64,
    y: f64,
}

/// Writes the map figure for `places`; nothing when none of them has coordinates.
/// `highlight` gives the element id of annotation `j` of the `places` layer.
pub(super) fn write_map<W: Write>(
    w: &mut W,
    places: &[PlaceEntry],
    highlight: impl Fn(usize) -> String,
) -> io::Result<()> {
    let dots: Vec<Dot<'_>> = places
        .iter()
        .filter_map(|place| {
            let (lat, lon) = place.point?;
            let (x, y) = project(lat, lon)?;
            Some(Dot { place, x, y })
        })
        .collect();
    if dots.is_empty() {
        return Ok(());
    }
    let view = view_box(&dots.iter().map(|d| (d.x, d.y)).collect::<Vec<_>>());
    let names: Vec<&str> = dots.iter().map(|d| d.place.name.as_str()).collect();
    writeln!(
        w,
        "<figure class=\"map\"><svg viewBox=\"{:.1} {:.1} {:.1} {:.1}\" role=\"img\" aria-label=\"Map of the places mentioned: {}\">",
        view.x,
        view.y,
        view.w,
        view.h,
        Esc(&names.join(", "))
    )?;
    writeln!(
        w,
        "<rect class=\"sea\" width=\"360\" height=\"180\"></rect><use class=\"land\" href=\"#{OUTLINE_ID}\" transform=\"scale({OUTLINE_UNIT})\"></use>"
    )?;
    // The dot keeps its size on screen whatever the zoom: its radius is a share of the view.
    let r = view.w / 90.0;
    for dot in &dots {
        write_dot(w, dot, r, &highlight)?;
    }
    writeln!(
        w,
        "</svg><figcaption>Map: Natural Earth. Click a dot to find its first mention.</figcaption></figure>"
    )
}

fn write_dot<W: Write>(
    w: &mut W,
    dot: &Dot<'_>,
    r: f64,
    highlight: &impl Fn(usize) -> String,
) -> io::Result<()> {
    let place = dot.place;
    let (lat, lon) = place.point.unwrap_or_default();
    let ids: Vec<String> = place
        .mention_indices
        .iter()
        .map(|&j| highlight(j))
        .collect();
    let (class, estimated) = if place.label == "RELATIVE" {
        ("dot rel", " (estimated)")
    } else {
        ("dot", "")
    };
    writeln!(
        w,
        "<circle class=\"{class}\" cx=\"{:.2}\" cy=\"{:.2}\" r=\"{r:.2}\" data-target=\"{}\" data-dot=\"{}\"><title>{} ({}) {lat:.4}, {lon:.4}{estimated}</title></circle>",
        dot.x,
        dot.y,
        Esc(&highlight(place.index)),
        Esc(&ids.join(" ")),
        Esc(&place.name),
        Esc(&place.description()),
    )
}

#[cfg(test)]
mod tests {
    use claimlens_core::Span;

    use super::*;

    fn close(a: ViewBox, b: ViewBox) -> bool {
        [(a.x, b.x), (a.y, b.y), (a.w, b.w), (a.h, b.h)]
            .iter()
            .all(|(p, q)| (p - q).abs() < 1e-9)
    }

    #[test]
    fn projection_is_equirectangular_in_degrees() {
        assert_eq!(project(0.0, 0.0), Some((180.0, 90.0)));
        assert_eq!(project(90.0, -180.0), Some((0.0, 0.0)));
        assert_eq!(project(-90.0, 180.0), Some((360.0, 180.0)));
        assert_eq!(project(51.5, -0.1), Some((179.9, 38.5)));
        assert_eq!(project(91.0, 0.0), None);
        assert_eq!(project(0.0, f64::NAN), None);
    }

    #[test]
    fn a_single_place_is_shown_with_its_surroundings() {
        // Rome: x 192.48, y 48.11; the view is MIN_SPAN wide, centred on it.
        let (x, y) = project(41.89, 12.48).unwrap();
        let v = view_box(&[(x, y)]);
        assert!(close(
            v,
            ViewBox {
                x: x - 10.0,
                y: y - 5.0,
                w: 20.0,
                h: 10.0
            }
        ));
    }

    #[test]
    fn a_region_is_its_bounding_box_with_a_margin_in_the_world_shape() {
        // Damascus and Moscow: 22.1° of latitude apart, 7.3° of longitude.
        let points = [
            project(33.51, 36.29).unwrap(),
            project(55.75, 37.62).unwrap(),
        ];
        let v = view_box(&points);
        let h = 22.24 + 2.0 * 22.24 * MARGIN_SHARE;
        assert!((v.h - h).abs() < 1e-9, "{v:?}");
        assert!((v.w - 2.0 * h).abs() < 1e-9);
        for (x, y) in points {
            assert!(x > v.x && x < v.x + v.w && y > v.y && y < v.y + v.h);
        }
    }

    #[test]
    fn places_spread_across_the_world_show_the_world() {
        let points = [
            project(40.71, -74.0).unwrap(),
            project(35.68, 139.69).unwrap(),
        ];
        assert_eq!(view_box(&points), WORLD);
        assert_eq!(view_box(&[]), WORLD);
    }

    #[test]
    fn a_view_near_the_edge_stays_inside_the_world() {
        // Near the north pole and the antimeridian: shifted in, not cut.
        let v = view_box(&[project(89.0, 179.0).unwrap()]);
        assert!(close(
            v,
            ViewBox {
                x: 340.0,
                y: 0.0,
                w: 20.0,
                h: 10.0
            }
        ));
    }

    #[test]
    fn places_either_side_of_the_antimeridian_show_the_world() {
        // Suva (Fiji) and Apia (Samoa) are 11° apart across the antimeridian; longitudes do
        // not wrap, so they are 350° apart on the map and the whole world is shown.
        let points = [
            project(-18.14, 178.44).unwrap(),
            project(-13.83, -171.77).unwrap(),
        ];
        assert_eq!(view_box(&points), WORLD);
    }

    fn entry(name: &str, label: &str, point: Option<(f64, f64)>, indices: &[usize]) -> PlaceEntry {
        PlaceEntry {
            index: indices[0],
            label: label.into(),
            name: name.into(),
            kind: "city".into(),
            country: "SY".into(),
            admin1: String::new(),
            point,
            span: Span::new(0, 1),
            mentions: indices.len(),
            mention_indices: indices.to_vec(),
        }
    }

    fn render(places: &[PlaceEntry]) -> String {
        let mut out = Vec::new();
        write_map(&mut out, places, |j| format!("d1-a7-{j}")).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_dot_per_place_with_coordinates_linked_to_all_its_mentions() {
        let html = render(&[
            entry("Damascus", "PLACE", Some((33.5, 36.3)), &[0, 4]),
            entry("Nowhere", "PLACE", None, &[1]),
            entry("Aleppo <b>", "PLACE", Some((36.2, 37.15)), &[2]),
        ]);
        assert_eq!(html.matches("<circle").count(), 2, "{html}");
        assert!(html.contains(
            "cx=\"216.30\" cy=\"56.50\" r=\"0.22\" data-target=\"d1-a7-0\" data-dot=\"d1-a7-0 d1-a7-4\"><title>Damascus (city, SY) 33.5000, 36.3000</title>"
        ));
        assert!(html.contains("<title>Aleppo &lt;b&gt; (city, SY)"));
        assert!(
            html.contains("aria-label=\"Map of the places mentioned: Damascus, Aleppo &lt;b&gt;\"")
        );
        assert!(html.contains("Map: Natural Earth"));
    }

    #[test]
    fn no_map_without_coordinates() {
        assert_eq!(render(&[entry("Nowhere", "PLACE", None, &[0])]), "");
        assert_eq!(
            render(&[entry("Mars", "PLACE", Some((95.0, 0.0)), &[0])]),
            ""
        );
        assert_eq!(render(&[]), "");
    }

    #[test]
    fn the_outline_is_written_once_per_page_and_used_by_each_map() {
        let places = [entry("Damascus", "PLACE", Some((33.5, 36.3)), &[0])];
        assert!(has_dots(&places));
        assert!(!has_dots(&[entry(
            "Mars",
            "PLACE",
            Some((95.0, 0.0)),
            &[0]
        )]));
        assert!(render(&places).contains("<use class=\"land\" href=\"#world-land\""));
        assert!(!render(&places).contains(WORLD_OUTLINE.trim_end()));
        let mut out = Vec::new();
        write_outline(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("<path id=\"world-land\""));
        assert!(out.contains(WORLD_OUTLINE.trim_end()));
    }

    #[test]
    fn the_outline_is_one_small_path() {
        assert!(WORLD_OUTLINE.starts_with('M') && WORLD_OUTLINE.trim_end().ends_with('z'));
        assert!(WORLD_OUTLINE.len() < 40_000);
        assert!(!WORLD_OUTLINE.contains(['"', '<', '&']));
    }
}
