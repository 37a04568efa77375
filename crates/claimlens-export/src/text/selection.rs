//! Which layers the terminal report lists annotation by annotation (`claimlens analyze
//! --layers`). The summaries a reader wants come first and always; the per-layer listing is
//! for checking the pipeline's work, so it is opt-in.
//!
//! The names a selection may hold are the layer catalogue's ([`claimlens_schema::LAYERS`]);
//! a selection is a bit set over that catalogue, so [`crate::TextOptions`] stays `Copy`.

use claimlens_schema::LAYERS;

/// The layers listed after the summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LayerDump {
    /// No listing: the summaries only (the default).
    #[default]
    None,
    /// Every layer the document has, including layers the catalogue does not know.
    All,
    /// The catalogue's layers in the set.
    Only(LayerSet),
}

/// A set of layers of the catalogue, by position in [`LAYERS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayerSet(u64);

// One bit per catalogue entry.
const _: () = assert!(LAYERS.len() <= 64);

impl LayerSet {
    /// True when the set holds the layer called `name`.
    pub fn contains(self, name: &str) -> bool {
        LAYERS
            .iter()
            .position(|l| l.name == name)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// True when no layer is in the set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// A `--layers` value naming a layer the catalogue does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLayer(pub String);

impl std::fmt::Display for UnknownLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let valid: Vec<&str> = LAYERS.iter().map(|l| l.name).collect();
        write!(
            f,
            "unknown layer `{}`; valid layers: all, {}",
            crate::terminal::clean(&self.0),
            valid.join(", ")
        )
    }
}

impl std::error::Error for UnknownLayer {}

impl LayerDump {
    /// True when the listing includes the layer called `name`.
    pub fn includes(self, name: &str) -> bool {
        match self {
            LayerDump::None => false,
            LayerDump::All => true,
            LayerDump::Only(set) => set.contains(name),
        }
    }

    /// Parses a `--layers` value: `all` (or nothing) for every layer, otherwise layer names
    /// separated by commas (`times,entities`). Names are matched exactly; an unknown one is an
    /// error that lists the valid names.
    pub fn parse(value: &str) -> Result<LayerDump, UnknownLayer> {
        let value = value.trim();
        if value.is_empty() || value == "all" {
            return Ok(LayerDump::All);
        }
        let mut set = 0u64;
        for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if name == "all" {
                return Ok(LayerDump::All);
            }
            let i = LAYERS
                .iter()
                .position(|l| l.name == name)
                .ok_or_else(|| UnknownLayer(name.to_owned()))?;
            set |= 1 << i;
        }
        Ok(LayerDump::Only(LayerSet(set)))
    }
}

impl std::str::FromStr for LayerDump {
    type Err = UnknownLayer;

    fn from_str(s: &str) -> Result<LayerDump, UnknownLayer> {
        LayerDump::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_and_empty_select_every_layer() {
        assert_eq!(LayerDump::parse("all"), Ok(LayerDump::All));
        assert_eq!(LayerDump::parse(""), Ok(LayerDump::All));
        assert_eq!(LayerDump::parse("times,all"), Ok(LayerDump::All));
        assert!(LayerDump::All.includes("someone-elses-layer"));
        assert!(!LayerDump::None.includes("times"));
    }

    #[test]
    fn names_select_those_layers_only() {
        let d = LayerDump::parse("times, entities,").unwrap();
        assert!(d.includes("times") && d.includes("entities"));
        assert!(!d.includes("claims") && !d.includes("someone-elses-layer"));
    }

    #[test]
    fn an_unknown_name_lists_the_valid_ones() {
        let e = LayerDump::parse("times,entites").unwrap_err();
        assert_eq!(e, UnknownLayer("entites".into()));
        let m = e.to_string();
        assert!(m.starts_with("unknown layer `entites`; valid layers: all, paragraphs,"));
        assert!(m.contains("entities") && m.contains("techniques"), "{m}");
    }
}
