//! The entity list, from the `entity-groups` layer.

use claimlens_core::{Doc, Span};
use claimlens_schema::{layer, role};

use super::attr_text as text;

/// One entity of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityEntry {
    /// Index of the group in the `entity-groups` layer.
    pub group: usize,
    /// Type label (`PERSON`, `ORG`, ...).
    pub label: String,
    /// Canonical name.
    pub canonical: String,
    /// The canonical mention.
    pub span: Span,
    /// Number of mentions.
    pub mentions: usize,
    /// Other names used for it.
    pub aliases: Vec<String>,
}

/// Entities in order of first mention. Empty when the layer is absent.
pub fn entity_list(doc: &Doc) -> Vec<EntityEntry> {
    let Some(groups) = doc.layer(layer::ENTITY_GROUPS) else {
        return Vec::new();
    };
    let first_mention = |a: &claimlens_core::Annotation| {
        a.links
            .iter()
            .filter(|l| l.role == role::MENTION)
            .map(|l| l.index)
            .min()
            .unwrap_or(0)
    };
    let mut order: Vec<usize> = (0..groups.annotations.len()).collect();
    order.sort_by_key(|&g| first_mention(&groups.annotations[g]));
    order
        .into_iter()
        .map(|g| {
            let a = &groups.annotations[g];
            let aliases = text(a.attr("aliases"));
            EntityEntry {
                group: g,
                label: a.label.to_string(),
                canonical: text(a.attr("canonical")),
                span: a.span,
                mentions: a.links.iter().filter(|l| l.role == role::MENTION).count(),
                aliases: aliases
                    .split(" | ")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            }
        })
        .collect()
}
