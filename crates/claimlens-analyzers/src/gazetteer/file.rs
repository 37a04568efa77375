//! The prebuilt gazetteer file (`data/gazetteer.bin`): the places of `data/gazetteer.tsv.gz`
//! in columns, with every name already folded ([`super::fold()`]) and deduplicated.
//!
//! Parsing the tab-separated file costs most of a one-article run (splitting 72,000 lines,
//! parsing their numbers, folding 210,000 spellings); decoding this format is inflating,
//! copying columns and sorting the index by hash. Little-endian:
//!
//! ```text
//! magic "CLGAZ001"  inflated length u32
//! deflate(place count P u32,
//!         kind u8 × P (0 country, 1 division, 2 place, 3 continent; +4 national capital),
//!         country [u8; 2] × P, GeoNames id u32 × P (u32::MAX: none),
//!         latitude f32 × P, longitude f32 × P, population u64 × P,
//!         admin1 code (u8 length + UTF-8) × P, name (u16 length + UTF-8) × P,
//!         indexed-name count u16 × P, then per indexed name (place order; canonical first)
//!         alternate u8 and key length u16, then all keys back to back)
//! ```
//!
//! Regenerate it with `cargo run --release -p claimlens-analyzers --example repack --
//! gazetteer crates/claimlens-analyzers/data/gazetteer.tsv.gz
//! crates/claimlens-analyzers/data/gazetteer.bin` (deterministic); a test fails when it no
//! longer matches the tab-separated file.

use super::{hash_key, Gazetteer, IndexEntry, NameEntry, Place, PlaceKind};
use crate::learn::embedded::{deflate, inflate};
use crate::learn::perceptron::ModelFormatError;

/// Magic and version of the file.
const MAGIC: &[u8; 8] = b"CLGAZ001";

fn err(m: &str) -> ModelFormatError {
    ModelFormatError(format!("gazetteer: {m}"))
}

impl Gazetteer {
    /// Serializes the gazetteer (deterministic: places in order, each place's names sorted).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&(self.places.len() as u32).to_le_bytes());
        b.extend(self.places.iter().map(|p| {
            let kind = match p.kind {
                PlaceKind::Country => 0,
                PlaceKind::Admin1 => 1,
                PlaceKind::City => 2,
                PlaceKind::Continent => 3,
            };
            kind | if p.capital { 4 } else { 0 }
        }));
        for p in &self.places {
            b.extend_from_slice(&p.country);
        }
        for p in &self.places {
            b.extend_from_slice(&p.geonames_id.unwrap_or(u32::MAX).to_le_bytes());
        }
        for p in &self.places {
            b.extend_from_slice(&p.lat.to_le_bytes());
        }
        for p in &self.places {
            b.extend_from_slice(&p.lon.to_le_bytes());
        }
        for p in &self.places {
            b.extend_from_slice(&p.population.to_le_bytes());
        }
        for p in &self.places {
            b.push(p.admin1.len() as u8);
            b.extend_from_slice(p.admin1.as_bytes());
        }
        for p in &self.places {
            b.extend_from_slice(&(p.name.len() as u16).to_le_bytes());
            b.extend_from_slice(p.name.as_bytes());
        }
        let mut names: Vec<(u32, bool, &str)> = self
            .index
            .iter()
            .map(|e| (e.entry.place, e.entry.alternate, self.key_of(e)))
            .collect();
        names.sort_unstable();
        let mut counts = vec![0u16; self.places.len()];
        for &(place, _, _) in &names {
            counts[place as usize] += 1;
        }
        for c in counts {
            b.extend_from_slice(&c.to_le_bytes());
        }
        for &(_, alternate, key) in &names {
            b.push(alternate as u8);
            b.extend_from_slice(&(key.len() as u16).to_le_bytes());
        }
        for &(_, _, key) in &names {
            b.extend_from_slice(key.as_bytes());
        }
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(b.len() as u32).to_le_bytes());
        out.extend_from_slice(&deflate(&b));
        out
    }

    /// Reads a gazetteer written by [`Gazetteer::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Gazetteer, ModelFormatError> {
        let (head, packed) = bytes
            .split_at_checked(MAGIC.len() + 4)
            .ok_or_else(|| err("truncated"))?;
        if !head.starts_with(MAGIC) {
            return Err(err("not a CLGAZ001 file"));
        }
        let len = u32::from_le_bytes(head[MAGIC.len()..].try_into().expect("4 bytes"));
        let body = inflate(packed, len as usize)?;
        let mut r = Columns { b: &body, pos: 0 };
        let n = r.u32()? as usize;
        let kinds = r.take(n)?;
        let countries = r.take(2 * n)?;
        let ids = r.take(4 * n)?;
        let lats = r.take(4 * n)?;
        let lons = r.take(4 * n)?;
        let pops = r.take(8 * n)?;
        let u32_at = |col: &[u8], i: usize| {
            u32::from_le_bytes(col[4 * i..4 * i + 4].try_into().expect("4 bytes"))
        };
        let mut places = Vec::with_capacity(n);
        for i in 0..n {
            let kind = match kinds[i] & 3 {
                0 => PlaceKind::Country,
                1 => PlaceKind::Admin1,
                2 => PlaceKind::City,
                _ => PlaceKind::Continent,
            };
            places.push(Place {
                geonames_id: Some(u32_at(ids, i)).filter(|&id| id != u32::MAX),
                kind,
                capital: kinds[i] & 4 != 0,
                country: [countries[2 * i], countries[2 * i + 1]],
                admin1: Box::default(),
                name: Box::default(),
                lat: f32::from_bits(u32_at(lats, i)),
                lon: f32::from_bits(u32_at(lons, i)),
                population: u64::from_le_bytes(pops[8 * i..8 * i + 8].try_into().expect("8")),
            });
        }
        for p in &mut places {
            let len = r.take(1)?[0] as usize;
            p.admin1 = r.str(len)?.into();
        }
        for p in &mut places {
            let len = r.u16()? as usize;
            p.name = r.str(len)?.into();
        }
        let mut g = Gazetteer::default();
        for (i, p) in places.iter().enumerate() {
            g.register(p, i as u32);
        }
        g.places = places;
        let counts = r.take(2 * n)?;
        let total: usize = (0..n)
            .map(|i| u16::from_le_bytes([counts[2 * i], counts[2 * i + 1]]) as usize)
            .sum();
        let heads = r.take(3 * total)?;
        let arena = r.take(body.len() - r.pos)?;
        g.keys = std::str::from_utf8(arena)
            .map_err(|_| err("name is not UTF-8"))?
            .to_owned();
        g.index.reserve_exact(total);
        let (mut k, mut start) = (0usize, 0usize);
        for place in 0..n {
            let count = u16::from_le_bytes([counts[2 * place], counts[2 * place + 1]]);
            for _ in 0..count {
                let h = &heads[3 * k..3 * k + 3];
                let len = u16::from_le_bytes([h[1], h[2]]) as usize;
                let key = g
                    .keys
                    .get(start..start + len)
                    .ok_or_else(|| err("name outside the key arena"))?;
                g.index.push(IndexEntry {
                    hash: hash_key(key),
                    start: start as u32,
                    len: len as u32,
                    entry: NameEntry {
                        place: place as u32,
                        alternate: h[0] != 0,
                    },
                });
                start += len;
                k += 1;
            }
        }
        if start != g.keys.len() {
            return Err(err("key arena longer than its names"));
        }
        g.finish_index();
        Ok(g)
    }
}

struct Columns<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Columns<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelFormatError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len());
        let s = &self.b[self.pos..end.ok_or_else(|| err("truncated"))?];
        self.pos += n;
        Ok(s)
    }

    fn u16(&mut self) -> Result<u16, ModelFormatError> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }

    fn u32(&mut self) -> Result<u32, ModelFormatError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn str(&mut self, n: usize) -> Result<&'a str, ModelFormatError> {
        std::str::from_utf8(self.take(n)?).map_err(|_| err("name is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// Every observable part of a gazetteer, for comparing two.
    fn summary(g: &Gazetteer) -> (Vec<Place>, Vec<(u64, NameEntry, String)>) {
        let mut names: Vec<(u64, NameEntry, String)> = g
            .index
            .iter()
            .map(|e| (e.hash, e.entry, g.key_of(e).to_owned()))
            .collect();
        names.sort_by_key(|(h, e, k)| (*h, e.place, e.alternate, k.clone()));
        (g.places.clone(), names)
    }

    #[test]
    fn committed_file_matches_the_tab_separated_source() {
        let gz = include_bytes!("../../data/gazetteer.tsv.gz");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        let parsed = Gazetteer::parse(&text);
        let bytes = parsed.to_bytes();
        assert!(
            bytes == super::super::EMBEDDED_GAZETTEER,
            "data/gazetteer.bin is stale: regenerate it (see gazetteer/file.rs)"
        );
        let loaded = Gazetteer::try_embedded().unwrap();
        assert!(summary(loaded) == summary(&parsed));
        assert_eq!(loaded.to_bytes(), bytes);
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let g = Gazetteer::parse(
            "C\t163843\tSY\t\tSyria\t35\t38\t1\tDamascus\tSyrie\n\
             P\t170654\tSY\t13\tDamascus\t33.5\t36.3\t1569394\tcapital\tDimashq|Damas\n",
        );
        let bytes = g.to_bytes();
        let back = Gazetteer::from_bytes(&bytes).unwrap();
        assert!(summary(&back) == summary(&g));
        assert!(back.place(1).capital && back.country(*b"SY").is_some());
        for cut in 0..bytes.len() {
            assert!(Gazetteer::from_bytes(&bytes[..cut]).is_err());
        }
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x41;
            let _ = Gazetteer::from_bytes(&bad);
        }
    }
}
