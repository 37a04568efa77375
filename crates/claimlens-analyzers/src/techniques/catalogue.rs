//! The 23 persuasion techniques of SemEval-2023 Task 3 (subtask 3), named exactly as the
//! task's label files write them, each with the family the task groups it into.

/// The six families the task groups the techniques into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Appeals that stand in for a reason (authority, popularity, values, fear, the flag).
    Justification,
    /// A complex matter reduced to one cause, two options or a chain of consequences.
    Simplification,
    /// Attention turned away from the argument (straw man, red herring, whataboutism).
    Distraction,
    /// Calls that stop thought or demand action (slogans, time pressure, conversation killers).
    Call,
    /// Wording that works on the reader rather than informing (loaded words, repetition, …).
    ManipulativeWording,
    /// Attacks on the opponent instead of the argument (name calling, doubt, …).
    AttackOnReputation,
}

impl Family {
    /// The family's name in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Justification => "justification",
            Family::Simplification => "simplification",
            Family::Distraction => "distraction",
            Family::Call => "call",
            Family::ManipulativeWording => "manipulative wording",
            Family::AttackOnReputation => "attack on reputation",
        }
    }
}

/// Every technique with its family. The English training data uses 19 of them; the other
/// four (`Appeal_to_Values`, `Consequential_Oversimplification`, `Appeal_to_Time`,
/// `Questioning_the_Reputation`) are listed so that labels in other files are known names.
pub const TECHNIQUES: &[(&str, Family)] = &[
    ("Appeal_to_Authority", Family::Justification),
    ("Appeal_to_Popularity", Family::Justification),
    ("Appeal_to_Values", Family::Justification),
    ("Appeal_to_Fear-Prejudice", Family::Justification),
    ("Flag_Waving", Family::Justification),
    ("Causal_Oversimplification", Family::Simplification),
    ("False_Dilemma-No_Choice", Family::Simplification),
    ("Consequential_Oversimplification", Family::Simplification),
    ("Straw_Man", Family::Distraction),
    ("Red_Herring", Family::Distraction),
    ("Whataboutism", Family::Distraction),
    ("Slogans", Family::Call),
    ("Appeal_to_Time", Family::Call),
    ("Conversation_Killer", Family::Call),
    ("Loaded_Language", Family::ManipulativeWording),
    ("Repetition", Family::ManipulativeWording),
    ("Exaggeration-Minimisation", Family::ManipulativeWording),
    (
        "Obfuscation-Vagueness-Confusion",
        Family::ManipulativeWording,
    ),
    ("Name_Calling-Labeling", Family::AttackOnReputation),
    ("Doubt", Family::AttackOnReputation),
    ("Guilt_by_Association", Family::AttackOnReputation),
    ("Appeal_to_Hypocrisy", Family::AttackOnReputation),
    ("Questioning_the_Reputation", Family::AttackOnReputation),
];

/// Index of a technique in [`TECHNIQUES`], by its exact name.
pub fn index_of(name: &str) -> Option<usize> {
    TECHNIQUES.iter().position(|(n, _)| *n == name)
}

/// Name of technique `i`.
pub fn name(i: usize) -> &'static str {
    TECHNIQUES[i].0
}

/// Family of technique `i`.
pub fn family(i: usize) -> Family {
    TECHNIQUES[i].1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_three_distinct_names_in_six_families() {
        assert_eq!(TECHNIQUES.len(), 23);
        for (i, (n, _)) in TECHNIQUES.iter().enumerate() {
            assert_eq!(index_of(n), Some(i));
        }
        let count = |f| TECHNIQUES.iter().filter(|t| t.1 == f).count();
        assert_eq!(count(Family::Justification), 5);
        assert_eq!(count(Family::Simplification), 3);
        assert_eq!(count(Family::Distraction), 3);
        assert_eq!(count(Family::Call), 3);
        assert_eq!(count(Family::ManipulativeWording), 4);
        assert_eq!(count(Family::AttackOnReputation), 5);
        assert_eq!(index_of("loaded_language"), None);
    }
}
