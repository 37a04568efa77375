//! How each layer's highlights look, and which are shown when the page opens.
//!
//! The quotes and their speakers (`attribution-parts` content and source) are the primary
//! highlights: filled backgrounds, shown by default. Every other layer is secondary and starts
//! hidden; when switched on it is an underline in its own colour and line style (solid,
//! dashed, dotted, double), so overlapping layers stay readable instead of blending their
//! backgrounds into grey. Colours are from the Okabe–Ito palette, which readers with the
//! common colour-vision deficiencies can tell apart, and no two layers share both colour and
//! line style.
//!
//! Classes are built from the layer catalogue's positions (`k{i}`), never from input text.

use std::io::{self, Write};

use claimlens_core::{Annotation, Doc, Layer};
use claimlens_schema::{layer, LAYERS};

/// The primary layer: its content and source parts are the highlights shown by default.
pub(super) const PRIMARY: &str = layer::ATTRIBUTION_PARTS;

/// Each secondary layer's underline: an Okabe–Ito colour (a CSS variable of report.css) and a
/// line style. Layers missing here (segmentation, which is never a mark) get grey.
const LINES: &[(&str, &str, &str)] = &[
    (layer::ATTRIBUTION_PARTS, "--oi-blue", "dotted"),
    (layer::ATTRIBUTIONS, "--oi-blue", "solid"),
    (layer::SPEAKERS, "--oi-sky", "dashed"),
    (layer::OUTLETS, "--oi-purple", "double"),
    (layer::SOURCING, "--oi-grey", "dotted"),
    (layer::SOURCE_CHAINS, "--oi-orange", "dashed"),
    (layer::ENTITIES, "--oi-green", "solid"),
    (layer::ENTITY_GROUPS, "--oi-green", "dotted"),
    (layer::TIMES, "--oi-vermillion", "solid"),
    (layer::QUANTIFIED, "--oi-orange", "dotted"),
    (layer::AMOUNTS, "--oi-orange", "solid"),
    (layer::PLACES, "--oi-purple", "solid"),
    (layer::CLAIMS, "--oi-vermillion", "double"),
    (layer::TECHNIQUES, "--oi-purple", "dashed"),
    (layer::DOCUMENT, "--oi-grey", "dashed"),
    (layer::NARRATIVES, "--oi-sky", "double"),
];

/// The colours of the technique families' underlines (`tf{j}`, `j` the family's place among
/// the document's families, [`technique_families`]); a family past the list keeps the
/// techniques layer's colour.
const FAMILY_COLOURS: &[&str] = &[
    "--oi-vermillion",
    "--oi-blue",
    "--oi-green",
    "--oi-orange",
    "--oi-sky",
    "--oi-purple",
    "--oi-yellow",
];

/// The families of the document's technique spans (their `family` attribute, as the
/// `techniques` stage set it), sorted by name: family `j` is drawn in class `tf{j}` and
/// toggled by `hide-tf{j}`.
pub(super) fn technique_families(doc: &Doc) -> Vec<&str> {
    let mut out: Vec<&str> = doc
        .layer(layer::TECHNIQUES)
        .map(|l| {
            l.annotations
                .iter()
                .filter_map(|a| a.attr_str("family"))
                .collect()
        })
        .unwrap_or_default();
    out.sort_unstable();
    out.dedup();
    out
}

/// The CSS rules of the technique families: each family's colour, and the rule that hides
/// its highlights when its legend entry is unticked (`hide-tf{j}` on the document).
pub(super) fn write_family_rules<W: Write>(w: &mut W, families: usize) -> io::Result<()> {
    for (j, colour) in FAMILY_COLOURS.iter().enumerate().take(families) {
        writeln!(w, ".tf{j}{{--c:var({colour})}}")?;
    }
    for j in 0..families {
        writeln!(
            w,
            ".hide-tf{j} mark.tf{j}{{background:transparent;border-color:transparent;padding:0;font-weight:inherit;cursor:auto}}"
        )?;
    }
    Ok(())
}

/// The CSS rules of the layer classes, written into the page head.
pub(super) fn write_layer_rules<W: Write>(w: &mut W) -> io::Result<()> {
    for (i, info) in LAYERS.iter().enumerate() {
        let (colour, line) = LINES
            .iter()
            .find(|(name, _, _)| *name == info.name)
            .map_or(("--oi-grey", "solid"), |&(_, c, l)| (c, l));
        // A double line needs room for both strokes and the gap between them.
        let width = if line == "double" { ";--lw:4px" } else { "" };
        writeln!(w, ".k{i}{{--c:var({colour});--ls:{line}{width}}}")?;
    }
    Ok(())
}

/// The style class of a layer's secondary highlight: `k{i}` for the catalogue's `i`-th
/// layer, `kx` for a layer the catalogue does not know.
pub(super) fn layer_class(name: &str) -> String {
    LAYERS
        .iter()
        .position(|l| l.name == name)
        .map_or_else(|| "kx".to_owned(), |i| format!("k{i}"))
}

/// The style class of one annotation's highlight: `pq` (a quote), `ps` (its speaker) or `pv`
/// (the reporting verb) for the primary layer's parts, else its layer's class; a technique
/// span also gets its family's class (`tf{j}`, `j` its place in `families`).
pub(super) fn mark_class(layer_name: &str, a: &Annotation, families: &[&str]) -> String {
    if layer_name == PRIMARY {
        match a.label.as_str() {
            "CONTENT" => return "pq".to_owned(),
            "SOURCE" => return "ps".to_owned(),
            "CUE" => return "pv".to_owned(),
            _ => {}
        }
    }
    let class = layer_class(layer_name);
    let family = (layer_name == layer::TECHNIQUES)
        .then(|| a.attr_str("family"))
        .flatten()
        .and_then(|f| families.iter().position(|g| *g == f));
    match family {
        Some(j) => format!("{class} tf{j}"),
        None => class,
    }
}

/// Whether each layer of the document is shown when the page opens: the primary layer only;
/// a document without it (another producer's layers) shows its layers that do not blanket
/// the text, so it is not blank.
pub(super) fn shown_by_default(doc: &Doc) -> Vec<bool> {
    let has_primary = doc.layers().iter().any(|l| l.name == PRIMARY);
    doc.layers()
        .iter()
        .map(|l| {
            if has_primary {
                l.name == PRIMARY
            } else {
                !blankets(l, doc.text().len())
            }
        })
        .collect()
}

/// True for layers whose annotations cover more than half of the text.
fn blankets(layer: &Layer, text_len: usize) -> bool {
    let covered: usize = layer.annotations.iter().map(|a| a.span.len()).sum();
    text_len > 0 && covered * 2 > text_len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_layers_look_alike() {
        let mut seen: Vec<(&str, &str)> = LINES.iter().map(|&(_, c, l)| (c, l)).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), LINES.len());
        for (name, _, _) in LINES {
            assert!(claimlens_schema::layer_info(name).is_some(), "{name}");
        }
    }

    fn ann(label: &'static str) -> Annotation {
        Annotation::new(
            claimlens_core::Span::new(0, 1),
            label,
            claimlens_core::Reason::rule("t", "r"),
        )
    }

    #[test]
    fn quotes_and_speakers_are_primary() {
        assert_eq!(mark_class(PRIMARY, &ann("CONTENT"), &[]), "pq");
        assert_eq!(mark_class(PRIMARY, &ann("SOURCE"), &[]), "ps");
        assert_eq!(mark_class(PRIMARY, &ann("CUE"), &[]), "pv");
        assert_eq!(
            mark_class(layer::TIMES, &ann("DATE"), &[]),
            layer_class(layer::TIMES)
        );
        assert_eq!(layer_class("someone-elses"), "kx");
    }

    #[test]
    fn technique_spans_are_drawn_by_family() {
        let mut doc = Doc::new("t", "Vile traitors.");
        let mut l = Layer::new(layer::TECHNIQUES, "techniques");
        for (t, f) in [
            ("Loaded_Language", "manipulative wording"),
            ("Name_Calling-Labeling", "attack on reputation"),
            ("Loaded_Language", "manipulative wording"),
        ] {
            l.push(ann(t).with_attr("family", f));
        }
        doc.insert_layer(l).unwrap();
        let families = technique_families(&doc);
        assert_eq!(families, ["attack on reputation", "manipulative wording"]);
        let k = layer_class(layer::TECHNIQUES);
        let a = &doc.layer(layer::TECHNIQUES).unwrap().annotations[0];
        assert_eq!(
            mark_class(layer::TECHNIQUES, a, &families),
            format!("{k} tf1")
        );
        assert_eq!(
            mark_class(layer::TECHNIQUES, &ann("Doubt"), &families),
            k,
            "no family attribute, the layer's colour"
        );
        let mut css = Vec::new();
        write_family_rules(&mut css, families.len()).unwrap();
        let css = String::from_utf8(css).unwrap();
        assert!(css.contains(".tf1{--c:var(--oi-blue)}"), "{css}");
        assert!(css.contains(".hide-tf0 mark.tf0{"), "{css}");
    }
}
