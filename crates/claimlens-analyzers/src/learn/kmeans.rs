//! Weighted spherical k-means (cosine similarity) over sparse, L2-normalised rows, seeded
//! with k-means++. Single-threaded with a fixed summation order, so the result is the same
//! on every run.

/// Sparse rows in compressed form: row `r` holds `(index[i], value[i])` for `i` in
/// `starts[r]..starts[r + 1]`.
#[derive(Debug, Clone, Default)]
pub struct SparseRows {
    /// Row boundaries (`rows + 1` entries once finished).
    pub starts: Vec<usize>,
    /// Column of each stored value.
    pub index: Vec<u32>,
    /// The stored values.
    pub value: Vec<f32>,
}

impl SparseRows {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a row, scaled to unit length (an all-zero row stays zero).
    pub fn push_normalised(&mut self, row: &[(u32, f32)]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let norm = row.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        for &(i, v) in row {
            if v != 0.0 {
                self.index.push(i);
                self.value.push(v / norm);
            }
        }
        self.starts.push(self.index.len());
    }

    fn row(&self, r: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let range = self.starts[r]..self.starts[r + 1];
        self.index[range.clone()]
            .iter()
            .zip(&self.value[range])
            .map(|(&i, &v)| (i as usize, v))
    }
}

/// Settings of one clustering run.
#[derive(Debug, Clone, Copy)]
pub struct KMeansOptions {
    /// Number of clusters (at most the number of rows).
    pub k: usize,
    /// Maximum assignment/update rounds (stops earlier when nothing moves).
    pub iterations: usize,
    /// Seed of the k-means++ draws.
    pub seed: u64,
}

/// A clustering: each row's cluster and the unit-length centroids (`k × dims`, row-major).
#[derive(Debug, Clone)]
pub struct KMeansResult {
    /// Cluster of each row.
    pub assignment: Vec<u32>,
    /// Centroids, row-major.
    pub centroids: Vec<f32>,
    /// Weighted mean cosine similarity of rows to their centroids.
    pub mean_similarity: f32,
}

fn next_random(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*state >> 11) as f64 / (1u64 << 53) as f64
}

/// Clusters `rows` (in a space of `dims` columns) into `opts.k` groups; heavier rows pull
/// centroids harder. `progress(iteration, moved_rows, mean_similarity)` after each round.
pub fn spherical_kmeans(
    rows: &SparseRows,
    weights: &[f32],
    dims: usize,
    opts: KMeansOptions,
    mut progress: impl FnMut(usize, usize, f32),
) -> KMeansResult {
    let n = rows.len();
    let k = opts.k.clamp(1, n.max(1));
    // Centroids column-major (`dims × k`): scoring a sparse row then walks contiguous memory.
    let mut by_column = seed_plus_plus(rows, weights, dims, k, opts.seed);
    let mut assignment = vec![u32::MAX; n];
    let mut similarity = vec![0f32; n];
    let mut scores = vec![0f32; k];
    let mut mean_similarity = 0.0;
    for iteration in 0..opts.iterations.max(1) {
        let mut moved = 0;
        for r in 0..n {
            scores.fill(0.0);
            for (i, v) in rows.row(r) {
                let column = &by_column[i * k..(i + 1) * k];
                for (s, c) in scores.iter_mut().zip(column) {
                    *s += v * c;
                }
            }
            let (best, &sim) =
                scores
                    .iter()
                    .enumerate()
                    .fold((0, &f32::MIN), |a, b| if b.1 > a.1 { b } else { a });
            if assignment[r] != best as u32 {
                moved += 1;
                assignment[r] = best as u32;
            }
            similarity[r] = sim;
        }
        let total_weight: f32 = weights.iter().sum::<f32>().max(f32::MIN_POSITIVE);
        mean_similarity = weights
            .iter()
            .zip(&similarity)
            .map(|(w, s)| w * s)
            .sum::<f32>()
            / total_weight;
        progress(iteration + 1, moved, mean_similarity);
        reseed_empty(&mut assignment, &similarity, k);
        by_column = centroids_by_column(rows, weights, &assignment, dims, k);
        if moved == 0 {
            break;
        }
    }
    let mut centroids = vec![0f32; k * dims];
    for i in 0..dims {
        for j in 0..k {
            centroids[j * dims + i] = by_column[i * k + j];
        }
    }
    KMeansResult {
        assignment,
        centroids,
        mean_similarity,
    }
}

/// k-means++ (Arthur & Vassilvitskii 2007): each next seed is drawn with probability
/// proportional to weight × squared distance to the nearest seed so far.
fn seed_plus_plus(
    rows: &SparseRows,
    weights: &[f32],
    dims: usize,
    k: usize,
    seed: u64,
) -> Vec<f32> {
    let n = rows.len();
    let mut state = seed;
    let mut by_column = vec![0f32; dims * k];
    let mut best = vec![f32::MIN; n];
    let mut dense = vec![0f32; dims];
    let draw = |mass: &dyn Fn(usize) -> f64, state: &mut u64| -> usize {
        let total: f64 = (0..n).map(mass).sum();
        let mut target = next_random(state) * total;
        for r in 0..n {
            target -= mass(r);
            if target < 0.0 {
                return r;
            }
        }
        n - 1
    };
    for j in 0..k.min(n) {
        let chosen = if j == 0 {
            draw(&|r| weights[r] as f64, &mut state)
        } else {
            // Squared distance between unit vectors: 2 − 2·cos.
            draw(
                &|r| weights[r] as f64 * (2.0 - 2.0 * best[r] as f64).max(0.0),
                &mut state,
            )
        };
        dense.fill(0.0);
        for (i, v) in rows.row(chosen) {
            dense[i] = v;
            by_column[i * k + j] = v;
        }
        for (r, b) in best.iter_mut().enumerate() {
            let sim: f32 = rows.row(r).map(|(i, v)| v * dense[i]).sum();
            *b = b.max(sim);
        }
    }
    by_column
}

/// An empty cluster takes the worst-fitting row of a cluster that has more than one.
fn reseed_empty(assignment: &mut [u32], similarity: &[f32], k: usize) {
    let mut sizes = vec![0usize; k];
    for &a in assignment.iter() {
        sizes[a as usize] += 1;
    }
    let mut worst_first: Vec<usize> = (0..assignment.len()).collect();
    worst_first.sort_by(|&a, &b| similarity[a].total_cmp(&similarity[b]).then(a.cmp(&b)));
    let mut donors = worst_first.into_iter();
    for j in 0..k {
        if sizes[j] > 0 {
            continue;
        }
        for r in donors.by_ref() {
            let from = assignment[r] as usize;
            if sizes[from] > 1 {
                sizes[from] -= 1;
                sizes[j] += 1;
                assignment[r] = j as u32;
                break;
            }
        }
    }
}

/// Weighted mean of each cluster's rows, scaled to unit length; column-major.
fn centroids_by_column(
    rows: &SparseRows,
    weights: &[f32],
    assignment: &[u32],
    dims: usize,
    k: usize,
) -> Vec<f32> {
    let mut by_column = vec![0f32; dims * k];
    for (r, &a) in assignment.iter().enumerate() {
        for (i, v) in rows.row(r) {
            by_column[i * k + a as usize] += weights[r] * v;
        }
    }
    let mut norms = vec![0f32; k];
    for column in by_column.chunks(k) {
        for (n, c) in norms.iter_mut().zip(column) {
            *n += c * c;
        }
    }
    for column in by_column.chunks_mut(k) {
        for (c, n) in column.iter_mut().zip(&norms) {
            if *n > 0.0 {
                *c /= n.sqrt();
            }
        }
    }
    by_column
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_two_obvious_groups_deterministically() {
        let mut rows = SparseRows::default();
        for row in [
            vec![(0, 1.0), (1, 0.1)],
            vec![(0, 0.9), (1, 0.2)],
            vec![(2, 1.0), (3, 0.3)],
            vec![(2, 0.8), (3, 0.1)],
            vec![(0, 1.0)],
        ] {
            rows.push_normalised(&row);
        }
        let weights = vec![1.0; rows.len()];
        let opts = KMeansOptions {
            k: 2,
            iterations: 10,
            seed: 7,
        };
        let a = spherical_kmeans(&rows, &weights, 4, opts, |_, _, _| {});
        let b = spherical_kmeans(&rows, &weights, 4, opts, |_, _, _| {});
        assert_eq!(a.assignment, b.assignment);
        let g = &a.assignment;
        assert_eq!(g[0], g[1]);
        assert_eq!(g[0], g[4]);
        assert_eq!(g[2], g[3]);
        assert_ne!(g[0], g[2]);
        assert!(a.mean_similarity > 0.9);
    }

    #[test]
    fn more_clusters_than_rows_and_empty_input_do_not_panic() {
        let mut rows = SparseRows::default();
        rows.push_normalised(&[(0, 1.0)]);
        let opts = KMeansOptions {
            k: 5,
            iterations: 3,
            seed: 1,
        };
        let r = spherical_kmeans(&rows, &[1.0], 1, opts, |_, _, _| {});
        assert_eq!(r.assignment, vec![0]);
        let empty = SparseRows::default();
        let r = spherical_kmeans(&empty, &[], 1, opts, |_, _, _| {});
        assert!(r.assignment.is_empty());
    }
}
