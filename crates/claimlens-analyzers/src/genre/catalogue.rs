//! The labels of SemEval-2023 Task 3 subtasks 1 and 2, named exactly as the task's label
//! files write them: the three genres and the fourteen frames (the Media Frames Corpus
//! dimensions of Card et al. 2015).

/// The genres, in model order.
pub const GENRES: [&str; 3] = ["opinion", "reporting", "satire"];

/// The frames, in model order.
pub const FRAMES: [&str; 14] = [
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
];

/// Index of a genre in [`GENRES`], by its exact name.
pub fn genre_index(name: &str) -> Option<usize> {
    GENRES.iter().position(|g| *g == name)
}

/// Index of a frame in [`FRAMES`], by its exact name.
pub fn frame_index(name: &str) -> Option<usize> {
    FRAMES.iter().position(|f| *f == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_found_exactly() {
        for (i, f) in FRAMES.iter().enumerate() {
            assert_eq!(frame_index(f), Some(i));
        }
        for (i, g) in GENRES.iter().enumerate() {
            assert_eq!(genre_index(g), Some(i));
        }
        assert_eq!(frame_index("political"), None);
        assert_eq!(genre_index("Opinion"), None);
    }
}
