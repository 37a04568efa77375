//! Digests: per-document summaries that the reports print beside the raw layers, each built
//! only from documented layers (docs/schema.md), so any producer of those layers gets them.
//!
//! * [`who_said_what`]: attributions grouped by canonical speaker.
//! * [`entity_list`]: entities with their type, canonical name, aliases and mention count.

mod entities;
mod speakers;

pub use entities::{entity_list, EntityEntry};
pub use speakers::{who_said_what, Said};
