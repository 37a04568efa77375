//! The binary file format of a perceptron's weights ([`Model`]).
//!
//! Version 2 (written): most cells of an averaged perceptron's weight rows are exactly zero
//! (a feature is only ever updated for the gold and the predicted tag: 38–81 % of the cells
//! of the committed models), and the low bytes of an `f32` are noise that deflate cannot
//! shrink. So a row is stored as a bit mask of its non-zero cells plus those cells' values,
//! and the values are split into byte planes: the sign-and-exponent plane is deflated with
//! the word list, the feature ids (sorted, as deltas) and the masks; the three low planes are
//! stored raw, which costs nothing to decode. Little-endian:
//!
//! ```text
//! magic [8]  features u32  non-zero cells u32  packed length u32  inflated length u32
//! deflate(word count u32, words (u16 length + UTF-8, sorted),
//!         feature-id deltas as four byte planes (feature count each, low plane first),
//!         masks (⌈N/8⌉ bytes per feature, bit t = tag t),
//!         value byte 3 of each non-zero cell)
//! value byte 2, value byte 1, value byte 0 (non-zero cells each, in row order)
//! ```
//!
//! A cell is "non-zero" by its bits, so `-0.0` survives: decoding gives back exactly the
//! weights that were written, and scores are byte-identical. Sorting (words, features)
//! makes retrains byte-identical.
//!
//! Version 1 (read only, for older model files): the magic, the word list as above, then
//! u32 feature count and per feature its u32 id and N `f32`.

use super::embedded::{deflate, inflate};
use super::perceptron::{Model, ModelFormatError, Weights};

fn err(m: &str) -> ModelFormatError {
    ModelFormatError(m.to_owned())
}

impl<const N: usize> Model<N> {
    const MASK_BYTES: usize = N.div_ceil(8);

    /// Serializes the model under `magic` (version 2, see the module docs).
    pub fn to_bytes(&self, magic: &[u8; 8]) -> Vec<u8> {
        let mut feats: Vec<(u32, &[f32; N])> = self.weights.iter().map(|(f, w)| (*f, w)).collect();
        feats.sort_unstable_by_key(|(f, _)| *f);
        let mut packed = Vec::new();
        let mut words: Vec<&str> = self.words.iter().map(String::as_str).collect();
        words.sort_unstable();
        packed.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for w in words {
            packed.extend_from_slice(&(w.len() as u16).to_le_bytes());
            packed.extend_from_slice(w.as_bytes());
        }
        let mut prev = 0u32;
        let deltas: Vec<[u8; 4]> = feats
            .iter()
            .map(|&(f, _)| (f - std::mem::replace(&mut prev, f)).to_le_bytes())
            .collect();
        for plane in 0..4 {
            packed.extend(deltas.iter().map(|d| d[plane]));
        }
        let mut values: Vec<[u8; 4]> = Vec::new();
        for (_, row) in &feats {
            let mut mask = [0u8; 8];
            for (t, x) in row.iter().enumerate() {
                if x.to_bits() != 0 {
                    mask[t / 8] |= 1 << (t % 8);
                    values.push(x.to_le_bytes());
                }
            }
            packed.extend_from_slice(&mask[..Self::MASK_BYTES]);
        }
        packed.extend(values.iter().map(|v| v[3]));
        let deflated = deflate(&packed);
        let mut out = Vec::with_capacity(24 + deflated.len() + 3 * values.len());
        out.extend_from_slice(magic);
        for n in [feats.len(), values.len(), deflated.len(), packed.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        out.extend_from_slice(&deflated);
        for plane in (0..3).rev() {
            out.extend(values.iter().map(|v| v[plane]));
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`] with the same `magic`.
    pub fn from_bytes(bytes: &[u8], magic: &[u8; 8]) -> Result<Model<N>, ModelFormatError> {
        let mut r = Reader { bytes, pos: 0 };
        r.magic(magic)?;
        let nfeat = r.u32()? as usize;
        let nvalues = r.u32()? as usize;
        let packed_len = r.u32()? as usize;
        let inflated_len = r.u32()? as usize;
        let packed = inflate(r.take(packed_len)?, inflated_len)?;
        let low = [r.take(nvalues)?, r.take(nvalues)?, r.take(nvalues)?];
        if r.pos != bytes.len() {
            return Err(err("trailing bytes"));
        }
        let mut p = Reader {
            bytes: &packed,
            pos: 0,
        };
        let words = p.words(bytes.len())?;
        let deltas = [
            p.take(nfeat)?,
            p.take(nfeat)?,
            p.take(nfeat)?,
            p.take(nfeat)?,
        ];
        let masks = p.take(
            nfeat
                .checked_mul(Self::MASK_BYTES)
                .ok_or_else(|| err("too big"))?,
        )?;
        let top = p.take(nvalues)?;
        if p.pos != packed.len() {
            return Err(err("trailing packed bytes"));
        }
        let mut weights = Weights::with_capacity_and_hasher(nfeat, Default::default());
        let (mut f, mut v) = (0u32, 0usize);
        // Iterators over the columns rather than indexes: no bounds check per byte.
        let columns = deltas[0]
            .iter()
            .zip(deltas[1])
            .zip(deltas[2])
            .zip(deltas[3]);
        for (k, ((((&d0, &d1), &d2), &d3), mask)) in columns
            .zip(masks.chunks_exact(Self::MASK_BYTES))
            .enumerate()
        {
            let delta = u32::from_le_bytes([d0, d1, d2, d3]);
            if k > 0 && delta == 0 {
                return Err(err("feature ids not increasing"));
            }
            f = f
                .checked_add(delta)
                .ok_or_else(|| err("feature id overflows"))?;
            let mask = mask
                .iter()
                .rev()
                .fold(0u64, |m, &b| (m << 8) | u64::from(b));
            if N < 64 && mask >> N != 0 {
                return Err(err("mask names a tag the model does not have"));
            }
            let cells = mask.count_ones() as usize;
            if cells > nvalues - v {
                return Err(err("more non-zero cells than stored values"));
            }
            let at = v..v + cells;
            let planes = low[2][at.clone()].iter().zip(&low[1][at.clone()]);
            let planes = planes.zip(&low[0][at.clone()]).zip(&top[at]);
            // Visit only the set bits: most cells of most rows are zero.
            let mut row = [0f32; N];
            let mut bits = mask;
            for (((&b0, &b1), &b2), &b3) in planes {
                let t = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(x) = row.get_mut(t) {
                    *x = f32::from_le_bytes([b0, b1, b2, b3]);
                }
            }
            v += cells;
            weights.insert(f, row);
        }
        if v != nvalues {
            return Err(err("fewer non-zero cells than stored values"));
        }
        Ok(Model::from_parts(weights, words))
    }

    /// Reads a version-1 model file (see the module docs).
    pub fn from_v1_bytes(bytes: &[u8], magic: &[u8; 8]) -> Result<Model<N>, ModelFormatError> {
        let mut r = Reader { bytes, pos: 0 };
        r.magic(magic)?;
        let words = r.words(bytes.len())?;
        let nfeat = r.u32()? as usize;
        let mut weights =
            Weights::with_capacity_and_hasher(nfeat.min(bytes.len() / 4), Default::default());
        for _ in 0..nfeat {
            let f = r.u32()?;
            let mut w = [0f32; N];
            for x in &mut w {
                *x = f32::from_le_bytes(r.take(4)?.try_into().expect("4 bytes"));
            }
            weights.insert(f, w);
        }
        if r.pos != bytes.len() {
            return Err(err("trailing bytes"));
        }
        Ok(Model::from_parts(weights, words))
    }

    /// Writes version 1 (for tests of the reader of older files).
    #[cfg(test)]
    pub(crate) fn to_v1_bytes(&self, magic: &[u8; 8]) -> Vec<u8> {
        let mut out = magic.to_vec();
        let mut words: Vec<&str> = self.words.iter().map(String::as_str).collect();
        words.sort_unstable();
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for w in words {
            out.extend_from_slice(&(w.len() as u16).to_le_bytes());
            out.extend_from_slice(w.as_bytes());
        }
        let mut feats: Vec<(&u32, &[f32; N])> = self.weights.iter().collect();
        feats.sort_unstable_by_key(|(f, _)| **f);
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (f, w) in feats {
            out.extend_from_slice(&f.to_le_bytes());
            for x in w {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelFormatError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| err("truncated"))?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn u32(&mut self) -> Result<u32, ModelFormatError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn magic(&mut self, magic: &[u8; 8]) -> Result<(), ModelFormatError> {
        if self.take(8)? != magic {
            return Err(ModelFormatError(format!(
                "not a {} model",
                String::from_utf8_lossy(magic)
            )));
        }
        Ok(())
    }

    /// The word list; `limit` caps the up-front allocation a damaged count could ask for.
    fn words(&mut self, limit: usize) -> Result<Vec<String>, ModelFormatError> {
        let n = self.u32()? as usize;
        let mut words = Vec::with_capacity(n.min(limit));
        for _ in 0..n {
            let len = u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")) as usize;
            let w = std::str::from_utf8(self.take(len)?).map_err(|_| err("word is not UTF-8"))?;
            words.push(w.to_owned());
        }
        Ok(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model<9> {
        let mut weights = Weights::default();
        weights.insert(7, [0.0, 1.5, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -3.25]);
        weights.insert(3, [0.0; 9]);
        weights.insert(u32::MAX, [1e-7, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        Model::from_parts(weights, vec!["zeta".into(), "alpha".into()])
    }

    #[test]
    fn version_2_round_trips_every_bit_and_reads_version_1() {
        let m = model();
        let bytes = m.to_bytes(b"TESTMDL2");
        let back = Model::<9>::from_bytes(&bytes, b"TESTMDL2").unwrap();
        assert_eq!(back.to_bytes(b"TESTMDL2"), bytes);
        assert_eq!(back.words, vec!["alpha", "zeta"]);
        let bits = |m: &Model<9>, f: u32| m.weights[&f].map(f32::to_bits);
        for f in [3, 7, u32::MAX] {
            assert_eq!(bits(&back, f), bits(&m, f), "feature {f}");
        }
        let v1 = m.to_v1_bytes(b"TESTMDL1");
        let old = Model::<9>::from_v1_bytes(&v1, b"TESTMDL1").unwrap();
        assert_eq!(old.to_bytes(b"TESTMDL2"), bytes);
    }

    #[test]
    fn damaged_files_are_errors_not_panics() {
        let bytes = model().to_bytes(b"TESTMDL2");
        assert!(Model::<9>::from_bytes(&bytes, b"OTHERMDL").is_err());
        for cut in 0..bytes.len() {
            assert!(Model::<9>::from_bytes(&bytes[..cut], b"TESTMDL2").is_err());
        }
        for i in 8..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x5a;
            // Flipped value bytes still decode (to other weights); nothing may panic.
            let _ = Model::<9>::from_bytes(&bad, b"TESTMDL2");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(Model::<9>::from_bytes(&extra, b"TESTMDL2").is_err());
    }
}
