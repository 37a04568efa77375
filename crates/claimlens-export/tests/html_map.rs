//! The HTML report's place map: a document whose `places` layer carries coordinates gets an
//! inline SVG in its Places section with one dot per place, at x = lon + 180, y = 90 − lat,
//! linked to the place's highlights; a document without coordinates gets no map.

use claimlens_core::{Annotation, Doc, Layer, Reason, Span};
use claimlens_export::{write_html, DocView};

const TEXT: &str =
    "Shelling hit Aleppo on Monday. In Damascus, officials met; Damascus denied it. \
    Russia said nothing. A convoy stopped 10 km north of Aleppo. Atlantis was quiet.";

fn find(needle: &str, nth: usize) -> Span {
    let start = TEXT
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in the text"))
        .0;
    Span::new(start, start + needle.len())
}

fn place(
    span: Span,
    name: &'static str,
    kind: &'static str,
    country: &'static str,
    point: Option<(f64, f64)>,
) -> Annotation {
    let a = Annotation::new(span, "PLACE", Reason::rule("places", "population"))
        .with_attr("name", name)
        .with_attr("kind", kind)
        .with_attr("country", country);
    match point {
        Some((lat, lon)) => a.with_attr("lat", lat).with_attr("lon", lon),
        None => a,
    }
}

/// Aleppo, Damascus twice, Russia, a relative location with an estimated point and a place
/// without coordinates.
fn doc_with_places(with_coordinates: bool) -> Doc {
    let mut doc = Doc::new("places", TEXT);
    let mut layer = Layer::new("places", "places");
    let at = |p: (f64, f64)| with_coordinates.then_some(p);
    layer.push(place(
        find("Aleppo", 0),
        "Aleppo",
        "city",
        "SY",
        at((36.2021, 37.1343)),
    ));
    layer.push(place(
        find("Damascus", 0),
        "Damascus",
        "city",
        "SY",
        at((33.5102, 36.2913)),
    ));
    layer.push(place(
        find("Damascus", 1),
        "Damascus",
        "city",
        "SY",
        at((33.5102, 36.2913)),
    ));
    layer.push(place(
        find("Russia", 0),
        "Russia",
        "country",
        "RU",
        at((55.7522, 37.6156)),
    ));
    let relative = Annotation::new(
        find("10 km north of Aleppo", 0),
        "RELATIVE",
        Reason::rule("places", "relative"),
    )
    .with_attr("bearing", "N")
    .with_attr("distance_km", 10.0)
    .with_attr("anchor", "Aleppo");
    layer.push(if with_coordinates {
        relative.with_attr("lat", 36.292).with_attr("lon", 37.1343)
    } else {
        relative
    });
    layer.push(place(find("Atlantis", 0), "Atlantis", "city", "XX", None));
    doc.insert_layer(layer).unwrap();
    doc
}

fn render(doc: &Doc) -> String {
    let mut out = Vec::new();
    write_html(&mut out, &[DocView::new(doc, &[])]).unwrap();
    String::from_utf8(out).unwrap()
}

/// The value of attribute `name` in a tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + name.len()
        + 3;
    &tag[start..start + tag[start..].find('"').unwrap()]
}

#[test]
fn each_place_with_coordinates_is_a_dot_where_it_lies() {
    let html = render(&doc_with_places(true));
    let map = &html[html.find("<figure class=\"map\">").expect("a map")..];
    let map = &map[..map.find("</figure>").unwrap()];
    assert!(map.contains("role=\"img\" aria-label=\"Map of the places mentioned: Aleppo, Damascus, Russia, 10 km north of Aleppo\""));
    assert!(map.contains("Map: Natural Earth"));
    // Inline only: the page's policy forbids loading anything. The map draws the page's one
    // copy of the outline.
    assert!(!map.contains("src=") && !map.contains("url("));
    assert_eq!(map.matches("href=").count(), 1);
    assert!(map.contains("<use class=\"land\" href=\"#world-land\""));
    assert_eq!(html.matches("id=\"world-land\"").count(), 1);
    let dots: Vec<&str> = map.split("<circle").skip(1).collect();
    // Damascus once for its two mentions; Atlantis has no coordinates.
    assert_eq!(dots.len(), 4, "{map}");
    // The places layer is the document's only layer.
    let layer = "d1-a0";
    let expected = [
        ("Aleppo", 37.1343 + 180.0, 90.0 - 36.2021, "0", "0"),
        ("Damascus", 36.2913 + 180.0, 90.0 - 33.5102, "1", "1 2"),
        ("Russia", 37.6156 + 180.0, 90.0 - 55.7522, "3", "3"),
        (
            "10 km north of Aleppo",
            37.1343 + 180.0,
            90.0 - 36.292,
            "4",
            "4",
        ),
    ];
    for (dot, (name, x, y, first, all)) in dots.iter().zip(expected) {
        let cx: f64 = attr(dot, "cx").parse().unwrap();
        let cy: f64 = attr(dot, "cy").parse().unwrap();
        assert!(
            (cx - x).abs() < 0.006 && (cy - y).abs() < 0.006,
            "{name}: {dot}"
        );
        assert_eq!(attr(dot, "data-target"), format!("{layer}-{first}"));
        let mentions: Vec<String> = all.split(' ').map(|j| format!("{layer}-{j}")).collect();
        assert_eq!(attr(dot, "data-dot"), mentions.join(" "));
        assert!(dot.contains(&format!("<title>{name} (")), "{dot}");
        // Every dot's target is a highlight in the text.
        assert!(html.contains(&format!("id=\"{layer}-{first}\"")));
    }
    assert!(dots[3].starts_with(" class=\"dot rel\""));
    // Syria and Moscow: zoomed to the region, not the world.
    let view: Vec<f64> = attr(map, "viewBox")
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(
        view[2] < 100.0 && (view[2] - 2.0 * view[3]).abs() < 0.2,
        "{view:?}"
    );
    for (_, x, y, _, _) in expected {
        assert!(x > view[0] && x < view[0] + view[2] && y > view[1] && y < view[1] + view[3]);
    }
}

#[test]
fn no_map_without_coordinates() {
    let html = render(&doc_with_places(false));
    assert!(html.contains("<summary>Places"), "the list is still shown");
    assert!(!html.contains("<figure class=\"map\">"));
    assert!(!html.contains("<circle"));
    assert!(!html.contains("world-land"), "no outline without a map");
}

#[test]
fn several_documents_share_one_outline() {
    let (a, b, c) = (
        doc_with_places(true),
        doc_with_places(false),
        doc_with_places(true),
    );
    let mut out = Vec::new();
    let views = [&a, &b, &c].map(|d| DocView::new(d, &[]));
    write_html(&mut out, &views).unwrap();
    let html = String::from_utf8(out).unwrap();
    assert_eq!(html.matches("<figure class=\"map\">").count(), 2);
    assert_eq!(html.matches("href=\"#world-land\"").count(), 2);
    assert_eq!(html.matches("id=\"world-land\"").count(), 1);
    // Dots link to their own document's highlights.
    assert!(html.contains("data-target=\"d3-a0-0\""));
}
