//! The file format of [`Clusters`] (`models/clusters.bin`).

use rustc_hash::FxHashMap;

use super::clusters::{Clusters, MAGIC};
use super::embedded::{deflate, inflate};
use super::perceptron::ModelFormatError;

/// Magic bytes of version 1 (uncompressed; still read).
const MAGIC_V1: &[u8; 8] = b"CLCLUS01";

impl Clusters {
    /// Binary format, little-endian: [`MAGIC`], the u32 length of the version-1 body and
    /// that body deflated ([`super::embedded::deflate`]: sorted words compress to half).
    /// Version 1 is `CLCLUS01` and the body: u16 fine-cluster count, the coarse id of each
    /// fine cluster (u16 each), u32 word count, then per word (sorted by bytes) a u8 length,
    /// its UTF-8 bytes and its u16 fine id. Words longer than 255 bytes are left out.
    pub fn to_bytes(&self) -> Vec<u8> {
        let v1 = self.to_v1_bytes();
        let body = &v1[MAGIC_V1.len()..];
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(&deflate(body));
        out
    }

    pub(super) fn to_v1_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.fine_of_word.len() * 12);
        out.extend_from_slice(MAGIC_V1);
        out.extend_from_slice(&(self.coarse_of_fine.len() as u16).to_le_bytes());
        for c in &self.coarse_of_fine {
            out.extend_from_slice(&c.to_le_bytes());
        }
        let mut words: Vec<(&str, u16)> = self
            .fine_of_word
            .iter()
            .filter(|(w, _)| w.len() <= 255)
            .map(|(w, &f)| (w.as_str(), f))
            .collect();
        words.sort_unstable();
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for (w, f) in words {
            out.push(w.len() as u8);
            out.extend_from_slice(w.as_bytes());
            out.extend_from_slice(&f.to_le_bytes());
        }
        out
    }

    /// Reads clusters written by [`Clusters::to_bytes`] (or version 1).
    pub fn from_bytes(bytes: &[u8]) -> Result<Clusters, ModelFormatError> {
        match bytes.split_at_checked(MAGIC.len() + 4) {
            Some((head, packed)) if head.starts_with(MAGIC) => {
                let len = u32::from_le_bytes(head[MAGIC.len()..].try_into().expect("4 bytes"));
                let mut v1 = MAGIC_V1.to_vec();
                v1.extend_from_slice(&inflate(packed, len as usize)?);
                Clusters::from_v1_bytes(&v1)
            }
            _ => Clusters::from_v1_bytes(bytes),
        }
    }

    fn from_v1_bytes(bytes: &[u8]) -> Result<Clusters, ModelFormatError> {
        let err = |m: &str| ModelFormatError(m.to_owned());
        let mut pos = 0;
        let mut take = |n: usize| -> Result<&[u8], ModelFormatError> {
            let end = pos + n;
            let s = bytes.get(pos..end).ok_or_else(|| err("truncated"))?;
            pos = end;
            Ok(s)
        };
        if take(8)? != MAGIC_V1 {
            return Err(err("not a CLCLUS02 cluster file"));
        }
        let u16_of = |b: &[u8]| u16::from_le_bytes([b[0], b[1]]);
        let nfine = u16_of(take(2)?) as usize;
        let mut coarse_of_fine = Vec::with_capacity(nfine);
        for _ in 0..nfine {
            coarse_of_fine.push(u16_of(take(2)?));
        }
        let b = take(4)?;
        let nwords = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let mut fine_of_word =
            FxHashMap::with_capacity_and_hasher(nwords.min(bytes.len() / 4), Default::default());
        for _ in 0..nwords {
            let len = take(1)?[0] as usize;
            let w = std::str::from_utf8(take(len)?).map_err(|_| err("word is not UTF-8"))?;
            let w = w.to_owned();
            let fine = u16_of(take(2)?);
            if fine as usize >= nfine {
                return Err(err("fine cluster id out of range"));
            }
            fine_of_word.insert(w, fine);
        }
        if take(1).is_ok() {
            return Err(err("trailing bytes"));
        }
        Ok(Clusters {
            coarse_of_fine,
            fine_of_word,
        })
    }
}
