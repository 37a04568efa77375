//! The BERT encoder, the WordPiece tokenizer and the pooling of all-MiniLM-L6-v2.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::package::ModelFiles;
use crate::EmbedError;

/// Length of every embedding.
pub const DIMENSIONS: usize = 384;

/// Word pieces per text: longer texts are cut, as sentence-transformers does with this
/// model's `max_seq_length`.
const MAX_TOKENS: usize = 256;

/// Texts encoded together. Texts are sorted by length first, so a batch pads little; larger
/// batches gain nothing on two cores and cost memory (batch × tokens² attention scores).
const BATCH: usize = 32;

/// all-MiniLM-L6-v2, loaded.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
}

fn model_error(what: &str) -> impl Fn(candle_core::Error) -> EmbedError + '_ {
    move |e| EmbedError::Model(format!("{what}: {e}"))
}

impl Embedder {
    /// Loads verified model files (see [`crate::package::locate`]).
    pub fn load(files: &ModelFiles) -> Result<Embedder, EmbedError> {
        let read = |path: &std::path::Path| {
            std::fs::read(path).map_err(|source| EmbedError::Io {
                path: path.display().to_string(),
                source,
            })
        };
        let config: Config = serde_json::from_slice(&read(&files.config)?)
            .map_err(|e| EmbedError::Model(format!("config.json: {e}")))?;
        let mut tokenizer = Tokenizer::from_bytes(read(&files.tokenizer)?)
            .map_err(|e| EmbedError::Model(format!("tokenizer.json: {e}")))?;
        // The packaged tokenizer pads every text to 128 pieces and cuts there; the model was
        // trained and is run by sentence-transformers with 256 and padding to the batch.
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| EmbedError::Model(format!("tokenizer: {e}")))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        // Read into memory rather than mapped: mapping a file is `unsafe` (another process
        // could change it under us), and the bytes were just hashed anyway.
        let weights = read(&files.weights)?;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(model_error("model.safetensors"))?;
        let model = BertModel::load(vb, &config).map_err(model_error("model.safetensors"))?;
        Ok(Embedder { model, tokenizer })
    }

    /// One L2-normalised embedding per text, in the order given.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
            for (&i, vector) in chunk.iter().zip(self.embed_batch(&batch)?) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Model(format!("tokenizer: {e}")))?;
        let rows = encodings.len();
        let width = encodings.first().map_or(0, |e| e.get_ids().len());
        let flat = |field: fn(&tokenizers::Encoding) -> &[u32]| -> Vec<u32> {
            encodings.iter().flat_map(|e| field(e).to_vec()).collect()
        };
        let tensor = |values: Vec<u32>| {
            Tensor::from_vec(values, (rows, width), &Device::Cpu).map_err(model_error("input"))
        };
        let ids = tensor(flat(tokenizers::Encoding::get_ids))?;
        let types = tensor(flat(tokenizers::Encoding::get_type_ids))?;
        let mask = tensor(flat(tokenizers::Encoding::get_attention_mask))?;
        let hidden = self
            .model
            .forward(&ids, &types, Some(&mask))
            .map_err(model_error("encoder"))?;
        let pooled = mean_pool(&hidden, &mask).map_err(model_error("pooling"))?;
        let vectors: Vec<Vec<f32>> = pooled.to_vec2().map_err(model_error("pooling"))?;
        Ok(vectors.into_iter().map(normalised).collect())
    }
}

/// The mean of the token vectors that are not padding (sentence-transformers' pooling for
/// this model).
fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1e-9, f32::MAX)?;
    summed.broadcast_div(&counts)
}

fn normalised(mut vector: Vec<f32>) -> Vec<f32> {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    vector.iter_mut().for_each(|x| *x /= norm);
    vector
}

/// Cosine similarity of two L2-normalised vectors (their dot product).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_unit_length_and_zero_stays_finite() {
        let v = normalised(vec![3.0, 4.0]);
        assert!((v[0] - 0.6).abs() < 1e-6 && (v[1] - 0.8).abs() < 1e-6);
        assert!(normalised(vec![0.0, 0.0]).iter().all(|x| x.is_finite()));
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-6);
    }

    #[test]
    fn pooling_ignores_padding() {
        let hidden = Tensor::from_vec(
            vec![1.0f32, 1.0, 3.0, 3.0, 100.0, 100.0],
            (1, 3, 2),
            &Device::Cpu,
        )
        .unwrap();
        let mask = Tensor::from_vec(vec![1u32, 1, 0], (1, 3), &Device::Cpu).unwrap();
        let pooled: Vec<Vec<f32>> = mean_pool(&hidden, &mask).unwrap().to_vec2().unwrap();
        assert_eq!(pooled, vec![vec![2.0, 2.0]]);
    }
}
