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

use claimlens_core::{Doc, Layer};
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
/// (the reporting verb) for the primary layer's parts, else its layer's class.
pub(super) fn mark_class(layer_name: &str, label: &str) -> String {
    if layer_name == PRIMARY {
        match label {
            "CONTENT" => return "pq".to_owned(),
            "SOURCE" => return "ps".to_owned(),
            "CUE" => return "pv".to_owned(),
            _ => {}
        }
    }
    layer_class(layer_name)
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

    #[test]
    fn quotes_and_speakers_are_primary() {
        assert_eq!(mark_class(PRIMARY, "CONTENT"), "pq");
        assert_eq!(mark_class(PRIMARY, "SOURCE"), "ps");
        assert_eq!(mark_class(PRIMARY, "CUE"), "pv");
        assert_eq!(mark_class(layer::TIMES, "DATE"), layer_class(layer::TIMES));
        assert_eq!(layer_class("someone-elses"), "kx");
    }
}
