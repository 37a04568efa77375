//! The coarse word classes the tagger predicts, and their mapping from Penn Treebank tags.
//!
//! Twenty classes rather than the Treebank's 45: the consumers (the attribution taggers) need
//! the verb forms (a reporting verb is mostly past or present tense, a content clause starts
//! with an infinitive or a gerund), nouns against names, and the clause-building function
//! words; finer distinctions (JJR against JJS) would cost model size for nothing.

use crate::learn::bio::Tag;

/// A coarse part of speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum PosClass {
    /// Common noun (NN, NNS).
    Noun = 0,
    /// Proper noun (NNP, NNPS).
    Propn,
    /// Pronoun (PRP, PRP$, EX).
    Pron,
    /// Past-tense verb (VBD).
    VerbPast,
    /// Present-tense verb (VBZ, VBP).
    VerbPresent,
    /// Base-form verb (VB).
    VerbBase,
    /// Gerund or present participle (VBG).
    VerbGerund,
    /// Past participle (VBN).
    VerbParticiple,
    /// Modal (MD).
    Modal,
    /// Adjective (JJ, JJR, JJS).
    Adj,
    /// Adverb (RB, RBR, RBS).
    Adv,
    /// Preposition, subordinating conjunction or particle (IN, RP).
    Adp,
    /// Infinitival or prepositional "to" (TO).
    To,
    /// Determiner (DT, PDT).
    Det,
    /// Wh-word (WDT, WP, WP$, WRB).
    Wh,
    /// Coordinating conjunction (CC).
    Conj,
    /// Number (CD).
    Num,
    /// Possessive ending (POS).
    Possessive,
    /// Punctuation and quote marks.
    Punct,
    /// Anything else: symbols, foreign words, interjections, list markers.
    Other,
}

/// Number of classes (the tagger's `N`).
pub const CLASS_COUNT: usize = 20;

const ALL: [PosClass; CLASS_COUNT] = [
    PosClass::Noun,
    PosClass::Propn,
    PosClass::Pron,
    PosClass::VerbPast,
    PosClass::VerbPresent,
    PosClass::VerbBase,
    PosClass::VerbGerund,
    PosClass::VerbParticiple,
    PosClass::Modal,
    PosClass::Adj,
    PosClass::Adv,
    PosClass::Adp,
    PosClass::To,
    PosClass::Det,
    PosClass::Wh,
    PosClass::Conj,
    PosClass::Num,
    PosClass::Possessive,
    PosClass::Punct,
    PosClass::Other,
];

impl PosClass {
    /// The class of a Penn Treebank tag (as in CoNLL-2003 and UD's XPOS column); `None`
    /// for a tag outside the Treebank set.
    pub fn from_ptb(tag: &str) -> Option<PosClass> {
        use PosClass::*;
        Some(match tag {
            "NN" | "NNS" => Noun,
            "NNP" | "NNPS" => Propn,
            "PRP" | "PRP$" | "EX" => Pron,
            "VBD" => VerbPast,
            "VBZ" | "VBP" => VerbPresent,
            "VB" => VerbBase,
            "VBG" => VerbGerund,
            "VBN" => VerbParticiple,
            "MD" => Modal,
            "JJ" | "JJR" | "JJS" => Adj,
            "RB" | "RBR" | "RBS" => Adv,
            "IN" | "RP" => Adp,
            "TO" => To,
            "DT" | "PDT" => Det,
            "WDT" | "WP" | "WP$" | "WRB" => Wh,
            "CC" => Conj,
            "CD" => Num,
            "POS" => Possessive,
            "." | "," | ":" | "``" | "''" | "\"" | "(" | ")" | "-LRB-" | "-RRB-" | "HYPH"
            | "NFP" => Punct,
            "$" | "#" | "SYM" | "FW" | "UH" | "LS" | "ADD" | "AFX" | "GW" | "XX" | "NIL" => Other,
            _ => return None,
        })
    }

    /// The class with this tag index.
    pub fn from_tag(tag: Tag) -> PosClass {
        ALL.get(tag as usize).copied().unwrap_or(PosClass::Other)
    }

    /// The tag index.
    pub fn tag(self) -> Tag {
        self as Tag
    }

    /// True for the verb forms (not modals).
    pub fn is_verb(self) -> bool {
        matches!(
            self,
            PosClass::VerbPast
                | PosClass::VerbPresent
                | PosClass::VerbBase
                | PosClass::VerbGerund
                | PosClass::VerbParticiple
        )
    }

    /// Stable short name (used in features and reports).
    pub fn as_str(self) -> &'static str {
        use PosClass::*;
        match self {
            Noun => "NOUN",
            Propn => "PROPN",
            Pron => "PRON",
            VerbPast => "VBD",
            VerbPresent => "VBP",
            VerbBase => "VB",
            VerbGerund => "VBG",
            VerbParticiple => "VBN",
            Modal => "MD",
            Adj => "ADJ",
            Adv => "ADV",
            Adp => "ADP",
            To => "TO",
            Det => "DET",
            Wh => "WH",
            Conj => "CONJ",
            Num => "NUM",
            Possessive => "POS",
            Punct => "PUNCT",
            Other => "X",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip_and_treebank_tags_map() {
        for (i, c) in ALL.iter().enumerate() {
            assert_eq!(c.tag() as usize, i);
            assert_eq!(PosClass::from_tag(c.tag()), *c);
        }
        assert_eq!(PosClass::from_ptb("VBD"), Some(PosClass::VerbPast));
        assert_eq!(PosClass::from_ptb("PRP$"), Some(PosClass::Pron));
        assert_eq!(PosClass::from_ptb("``"), Some(PosClass::Punct));
        assert_eq!(PosClass::from_ptb("NN|SYM"), None);
        assert!(PosClass::VerbGerund.is_verb() && !PosClass::Modal.is_verb());
    }
}
