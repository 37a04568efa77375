//! The embedded GeoNames-derived gazetteer, a resource shared by stages (places resolves
//! names with it, entities types them with it) and owned by none: continents, countries,
//! first-level divisions and populated places of 5,000 or more inhabitants
//! (`data/gazetteer.tsv.gz`, built by `scripts/build-gazetteer.py`; attribution in
//! `data/NOTICE.md`): about 72,000 places, an index from folded name ([`fold()`]) to every
//! place that carries the name, and a lookup by another transliteration ([`spelling`]).
//!
//! The tab-separated file is the reviewable source; what is compiled into the binary is
//! `data/gazetteer.bin`, the same places with their names already folded
//! (`file.rs`), so start-up decodes columns instead of splitting lines,
//! parsing numbers and folding every spelling. A test keeps the two files in step.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

mod file;
mod fold;
pub mod spelling;

use crate::learn::embedded::{Embedded, LoadError};
pub use fold::{fold, fold_into};

/// The prebuilt gazetteer (see `file.rs` for the format).
pub const EMBEDDED_GAZETTEER: &[u8] = include_bytes!("../../data/gazetteer.bin");

static EMBEDDED: Embedded<Gazetteer> =
    Embedded::new("gazetteer", EMBEDDED_GAZETTEER, Gazetteer::from_bytes);

/// What [`Gazetteer::embedded`] hands out when the embedded file does not load.
static EMPTY: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::parse(""));

/// Names longer than this many words are not indexed (the matcher never looks further).
pub const MAX_NAME_WORDS: usize = 6;

/// What kind of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    /// A continent (no country).
    Continent,
    /// A country or dependent territory.
    Country,
    /// A first-level administrative division (province, state, governorate, oblast).
    Admin1,
    /// A populated place.
    City,
}

impl PlaceKind {
    /// Stable identifier used in annotations.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Continent => "continent",
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::City => "city",
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id; `None` for first-level divisions outside the US, whose ids the source
    /// packages do not ship.
    pub geonames_id: Option<u32>,
    /// Country, first-level division or populated place.
    pub kind: PlaceKind,
    /// National capital (populated places only).
    pub capital: bool,
    /// ISO 3166-1 alpha-2 country code.
    pub country: [u8; 2],
    /// GeoNames admin1 code (empty for countries).
    pub admin1: Box<str>,
    /// Canonical GeoNames name.
    pub name: Box<str>,
    /// Latitude, degrees. For a country: a point inside its largest land polygon (Natural
    /// Earth, via `scripts/build-gazetteer.py`); for a division: the median of its places.
    pub lat: f32,
    /// Longitude, degrees.
    pub lon: f32,
    /// Population (for divisions: the sum over their places of 500 or more inhabitants).
    pub population: u64,
}

impl Place {
    /// The country code as text.
    pub fn country_code(&self) -> &str {
        if self.country == NO_COUNTRY {
            return "";
        }
        std::str::from_utf8(&self.country).unwrap_or("")
    }
}

/// The country code of a place in no country (a continent).
pub const NO_COUNTRY: [u8; 2] = [0, 0];

/// One name of a place in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameEntry {
    /// Index into [`Gazetteer::places`].
    pub place: u32,
    /// True when the name is an alternate spelling, not the canonical one.
    pub alternate: bool,
}

/// One indexed name: its hash, where its folded text sits in the key arena, and the place.
#[derive(Debug, Clone, Copy)]
pub(super) struct IndexEntry {
    pub(super) hash: u64,
    pub(super) start: u32,
    pub(super) len: u32,
    pub(super) entry: NameEntry,
}

/// The parsed gazetteer.
///
/// Names are indexed by a sorted vector of (hash, arena range, place) rather than a map of
/// owned strings: building it is a handful of allocations and one sort, which keeps the
/// one-off parse cheap.
#[derive(Debug, Default)]
pub struct Gazetteer {
    /// Every entry, in file order (countries, divisions, places).
    pub places: Vec<Place>,
    /// Folded names, back to back.
    pub(super) keys: String,
    /// Sorted by hash.
    pub(super) index: Vec<IndexEntry>,
    /// `index[buckets[b]..buckets[b + 1]]` are the entries whose hash's top
    /// [`BUCKET_BITS`] bits are `b`: a lookup searches a handful of entries, not the whole
    /// index (a binary search over it missed the cache about 20 times per word).
    buckets: Vec<u32>,
    countries: HashMap<[u8; 2], u32>,
    admin1: HashMap<([u8; 2], Box<str>), u32>,
    /// (low half of the hash of a name's [`spelling::skeleton`], its position in `index`),
    /// sorted; built on first use. Eight bytes an entry, so half a hash: a lookup checks the
    /// skeleton of what it finds.
    by_skeleton: OnceLock<Vec<(u32, u32)>>,
}

/// FNV-1a: small, fast on short keys, and stable across runs (the index is sorted by it).
pub(super) fn hash_key(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Bits of the hash that pick a bucket of the index (about 8 entries per bucket).
const BUCKET_BITS: u32 = 16;

fn bucket_of(hash: u64) -> usize {
    (hash >> (64 - BUCKET_BITS)) as usize
}

impl Gazetteer {
    /// The embedded gazetteer, decoded on first use.
    pub fn try_embedded() -> Result<&'static Gazetteer, LoadError> {
        EMBEDDED.get()
    }

    /// The embedded gazetteer, or an empty one if it does not load: for feature code that
    /// must not fail. The stages that use it report the failure
    /// ([`Gazetteer::try_embedded`]).
    pub fn embedded() -> &'static Gazetteer {
        Gazetteer::try_embedded().unwrap_or(&EMPTY)
    }

    /// Parses the tab-separated format; malformed lines are skipped.
    pub fn parse(text: &str) -> Gazetteer {
        let mut g = Gazetteer::default();
        let mut key = String::new();
        for line in text.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let Some((place, alternates)) = parse_line(line) else {
                continue;
            };
            let index = g.places.len() as u32;
            g.register(&place, index);
            let names = std::iter::once((place.name.as_ref(), false))
                .chain(alternates.split('|').map(|a| (a, true)));
            for (name, alternate) in names {
                fold_into(name, &mut key);
                if key.is_empty() || key.split(' ').count() > MAX_NAME_WORDS {
                    continue;
                }
                let start = g.keys.len() as u32;
                g.keys.push_str(&key);
                g.index.push(IndexEntry {
                    hash: hash_key(&key),
                    start,
                    len: key.len() as u32,
                    entry: NameEntry {
                        place: index,
                        alternate,
                    },
                });
            }
            g.places.push(place);
        }
        g.finish_index();
        g
    }

    /// Registers place `index` in the country or division table (by its kind).
    pub(super) fn register(&mut self, place: &Place, index: u32) {
        match place.kind {
            PlaceKind::Country => {
                self.countries.insert(place.country, index);
            }
            PlaceKind::Admin1 => {
                self.admin1
                    .insert((place.country, place.admin1.clone()), index);
            }
            PlaceKind::Continent | PlaceKind::City => {}
        }
    }

    /// Sorts the name index by hash, drops repeated names of a place and builds the bucket
    /// directory.
    ///
    /// The sort is by bucket first (counting the entries of each bucket, then placing them)
    /// and then within each bucket of a handful of entries: two linear passes instead of a
    /// comparison sort of all 210,000 entries, which was an eighth of a one-article run.
    pub(super) fn finish_index(&mut self) {
        let nbuckets = 1usize << BUCKET_BITS;
        let mut starts = vec![0u32; nbuckets + 1];
        for e in &self.index {
            starts[bucket_of(e.hash) + 1] += 1;
        }
        for b in 0..nbuckets {
            starts[b + 1] += starts[b];
        }
        if let Some(&first) = self.index.first() {
            let mut next = starts.clone();
            let mut sorted = vec![first; self.index.len()];
            for e in &self.index {
                let slot = &mut next[bucket_of(e.hash)];
                sorted[*slot as usize] = *e;
                *slot += 1;
            }
            self.index = sorted;
        }
        // Canonical names sort before alternates of the same place, so deduplication keeps
        // the canonical entry when a spelling folds to the canonical key. The arena offset
        // last makes the order total (it only separates repeats of one name).
        for b in 0..nbuckets {
            self.index[starts[b] as usize..starts[b + 1] as usize]
                .sort_unstable_by_key(|e| (e.hash, e.entry.place, e.entry.alternate, e.start));
        }
        let keys = &self.keys;
        let text = |e: &IndexEntry| &keys[e.start as usize..(e.start + e.len) as usize];
        self.index.dedup_by(|b, a| {
            a.hash == b.hash && a.entry.place == b.entry.place && text(a) == text(b)
        });
        // Deduplication moved entries down: the directory is rebuilt in one pass over the
        // (bucket-ordered) index.
        let mut next = 0usize;
        self.buckets = (0..=nbuckets)
            .map(|b| {
                while next < self.index.len() && bucket_of(self.index[next].hash) < b {
                    next += 1;
                }
                next as u32
            })
            .collect();
    }

    /// The folded text of an index entry.
    pub(super) fn key_of(&self, e: &IndexEntry) -> &str {
        &self.keys[e.start as usize..(e.start + e.len) as usize]
    }

    fn matching<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a IndexEntry> + 'a {
        let hash = hash_key(key);
        let b = bucket_of(hash);
        let bucket = match (self.buckets.get(b), self.buckets.get(b + 1)) {
            (Some(&lo), Some(&hi)) => &self.index[lo as usize..hi as usize],
            _ => &[][..],
        };
        let first = bucket.partition_point(|e| e.hash < hash);
        bucket[first..]
            .iter()
            .take_while(move |e| e.hash == hash)
            .filter(move |e| self.key_of(e) == key)
    }

    /// Places whose name or alternate name folds to `key`.
    pub fn lookup(&self, key: &str) -> Vec<NameEntry> {
        self.matching(key).map(|e| e.entry).collect()
    }

    /// Places one of whose names is another transliteration of `key` (a folded name the
    /// exact lookup does not know: "jisr al shugur" finds Jisr ash Shughūr; see
    /// [`spelling`]), each marked as an alternate spelling; none unless every place so spelt
    /// lies in one country. A one-word name reads only as a country or a division: on real
    /// news a one-word near-match to a town was a common word the name tagger took for a
    /// place ("Mosques" for Moscow, "Force" for Pforzheim). The skeleton index (about 2 MB)
    /// is built on the first call.
    pub fn lookup_by_spelling(&self, key: &str) -> Vec<NameEntry> {
        let Some(skeleton) = spelling::skeleton(key) else {
            return Vec::new();
        };
        let index = self.by_skeleton.get_or_init(|| {
            let mut v: Vec<(u32, u32)> = self
                .index
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let s = spelling::skeleton(self.key_of(e))?;
                    Some((hash_key(&s) as u32, i as u32))
                })
                .collect();
            v.sort_unstable();
            v
        });
        let hash = hash_key(&skeleton) as u32;
        let first = index.partition_point(|e| e.0 < hash);
        let mut out: Vec<NameEntry> = index[first..]
            .iter()
            .take_while(|e| e.0 == hash)
            .map(|&(_, i)| &self.index[i as usize])
            .filter(|e| {
                let name = self.key_of(e);
                spelling::transliterations(key, name)
                    && spelling::skeleton(name).as_deref() == Some(skeleton.as_str())
            })
            .map(|e| NameEntry {
                place: e.entry.place,
                alternate: true,
            })
            .filter(|e| key.contains(' ') || self.place(e.place).kind != PlaceKind::City)
            .collect();
        out.sort_unstable_by_key(|e| e.place);
        out.dedup_by_key(|e| e.place);
        let country = |e: &NameEntry| self.place(e.place).country;
        if out.windows(2).any(|w| country(&w[0]) != country(&w[1])) {
            out.clear();
        }
        out
    }

    /// The kinds of the places called `key`, as a bit set (bit 0 country, 1 division, 2 city,
    /// 3 city of 100,000 or more); 0 when none (no allocation). Continents set no bit: the
    /// entity tagger reads these marks and was trained before the gazetteer held them.
    pub fn kind_mask(&self, key: &str) -> u8 {
        self.matching(key).fold(0, |mask, e| {
            let p = &self.places[e.entry.place as usize];
            mask | match p.kind {
                PlaceKind::Continent => 0,
                PlaceKind::Country => 1,
                PlaceKind::Admin1 => 2,
                PlaceKind::City if p.population >= 100_000 => 4 | 8,
                PlaceKind::City => 4,
            }
        })
    }

    /// True when some place's name or alternate name folds to `key` (no allocation).
    pub fn contains_key(&self, key: &str) -> bool {
        self.matching(key).next().is_some()
    }

    /// A place by index.
    pub fn place(&self, index: u32) -> &Place {
        &self.places[index as usize]
    }

    /// The country entry for a code.
    pub fn country(&self, code: [u8; 2]) -> Option<&Place> {
        self.countries.get(&code).map(|&i| self.place(i))
    }

    /// Index of a first-level division by country and GeoNames admin1 code.
    pub fn admin1_index(&self, country: [u8; 2], code: &str) -> Option<u32> {
        self.admin1.get(&(country, code.into())).copied()
    }

    /// The first-level division a place lies in.
    pub fn admin1_of(&self, place: &Place) -> Option<&Place> {
        self.admin1_index_of(place).map(|i| self.place(i))
    }

    /// Index of the first-level division a place lies in.
    pub fn admin1_index_of(&self, place: &Place) -> Option<u32> {
        if place.kind != PlaceKind::City {
            return None;
        }
        self.admin1
            .get(&(place.country, place.admin1.clone()))
            .copied()
    }

    /// Number of (name, place) pairs indexed.
    pub fn name_count(&self) -> usize {
        self.index.len()
    }
}

/// `record geonameid country admin1 name lat lon population kind alternates`
fn parse_line(line: &str) -> Option<(Place, &str)> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 10 {
        return None;
    }
    let kind = match cols[0] {
        "K" => PlaceKind::Continent,
        "C" => PlaceKind::Country,
        "A" => PlaceKind::Admin1,
        "P" => PlaceKind::City,
        _ => return None,
    };
    let country: [u8; 2] = match kind {
        PlaceKind::Continent => NO_COUNTRY,
        _ => cols[2].as_bytes().try_into().ok()?,
    };
    let place = Place {
        geonames_id: cols[1].parse().ok(),
        kind,
        capital: kind == PlaceKind::City && cols[8] == "capital",
        country,
        admin1: cols[3].into(),
        name: cols[4].into(),
        lat: cols[5].parse().ok()?,
        lon: cols[6].parse().ok()?,
        population: cols[7].parse().unwrap_or(0),
    };
    Some((place, cols[9]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_gazetteer_parses_and_indexes_spellings() {
        let g = Gazetteer::embedded();
        assert!(g.places.len() > 60_000, "{} places", g.places.len());
        let ids = |key: &str| -> Vec<Option<u32>> {
            g.lookup(key)
                .iter()
                .map(|e| g.place(e.place).geonames_id)
                .collect()
        };
        // Khān Shaykhūn by its GeoNames spelling and by a press spelling.
        assert!(ids("khan shaykhun").contains(&Some(168325)));
        assert!(ids("khan sheikhoun").contains(&Some(168325)));
        let syria = g.country(*b"SY").unwrap();
        assert_eq!(
            (syria.name.as_ref(), syria.geonames_id),
            ("Syria", Some(163843))
        );
        let idlib_city = g
            .lookup("idlib")
            .iter()
            .map(|e| g.place(e.place))
            .find(|p| p.kind == PlaceKind::City)
            .unwrap();
        assert_eq!(g.admin1_of(idlib_city).unwrap().name.as_ref(), "Idlib");
        assert_eq!(g.lookup("united states").len(), 1);
        assert!(g.contains_key("syria") && !g.contains_key("syri"));
        assert!(g.lookup("no such place anywhere").is_empty());
    }

    #[test]
    fn countries_lie_inside_their_own_territory() {
        // Boxes around each country's interior, not its cities' median (which put the United
        // States in Indiana, the United Kingdom at Coventry and Russia west of the Volga).
        let g = Gazetteer::embedded();
        for (code, lat, lon) in [
            (*b"US", 30.0..45.0, -110.0..-92.0),
            (*b"GB", 53.0..56.0, -4.0..-1.0),
            (*b"RU", 55.0..68.0, 70.0..120.0),
            (*b"AU", -30.0..-20.0, 125.0..140.0),
            (*b"FR", 44.0..48.5, 0.0..4.5),
        ] {
            let c = g.country(code).unwrap();
            assert!(
                lat.contains(&c.lat) && lon.contains(&c.lon),
                "{}: {}, {}",
                c.name,
                c.lat,
                c.lon
            );
        }
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let g = Gazetteer::parse("# c\nX\t1\nP\t1\tSY\t12\tIdlib\tnan?\t36\t0\tcity\t\n\n");
        assert!(g.places.is_empty());
        let g = Gazetteer::parse("P\t1\tSY\t12\tIdlib\t35.9\t36.6\t0\tcity\tIdleb|\n");
        assert_eq!(g.places.len(), 1);
        assert_eq!(g.lookup("idleb")[0].place, 0);
        assert!(g.lookup("idleb")[0].alternate);
    }
}
