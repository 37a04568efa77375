//! Finer entity types from CoNLL's four: PERSON, ORG, GPE, LOC, NORP, FACILITY, EVENT, MISC.
//!
//! CoNLL-2003 folds nationalities, events and products into MISC and buildings, regions and
//! countries into LOC. Head words and word endings separate them again; each refinement
//! records the rule that made it, and anything unsure keeps the CoNLL-level type.

/// A refined type and the rule that chose it (`None` when it is the CoNLL default mapping).
pub type Refined = (&'static str, Option<&'static str>);

/// Last words of facility names ("Heathrow Airport", "Evin Prison").
const FACILITY_HEADS: &[&str] = &[
    "airport",
    "airbase",
    "base",
    "bridge",
    "building",
    "camp",
    "cathedral",
    "church",
    "dam",
    "embassy",
    "hospital",
    "hotel",
    "mosque",
    "museum",
    "palace",
    "plant",
    "port",
    "prison",
    "square",
    "stadium",
    "station",
    "synagogue",
    "temple",
    "tower",
    "tunnel",
];

/// Words of natural or continental locations, which are not political entities.
const NATURAL_WORDS: &[&str] = &[
    "africa",
    "america",
    "antarctica",
    "arctic",
    "asia",
    "atlantic",
    "balkans",
    "basin",
    "bay",
    "caribbean",
    "caucasus",
    "coast",
    "desert",
    "east",
    "europe",
    "gulf",
    "heights",
    "hills",
    "island",
    "islands",
    "lake",
    "mediterranean",
    "mount",
    "mountains",
    "ocean",
    "pacific",
    "peninsula",
    "river",
    "sea",
    "strait",
    "valley",
    "west",
];

/// Words that make a MISC name an event.
const EVENT_WORDS: &[&str] = &[
    "attack",
    "attacks",
    "championship",
    "championships",
    "conference",
    "crisis",
    "cup",
    "election",
    "elections",
    "festival",
    "forum",
    "games",
    "grand",
    "marathon",
    "massacre",
    "olympics",
    "open",
    "revolution",
    "summit",
    "tour",
    "uprising",
    "war",
];

/// Religious and political group names that CoNLL calls MISC and OntoNotes NORP.
const GROUP_WORDS: &[&str] = &[
    "alawite",
    "alawites",
    "buddhist",
    "buddhists",
    "catholic",
    "catholics",
    "christian",
    "christians",
    "communist",
    "communists",
    "democrat",
    "democrats",
    "druze",
    "hindu",
    "hindus",
    "islamist",
    "islamists",
    "jew",
    "jews",
    "jewish",
    "muslim",
    "muslims",
    "protestant",
    "protestants",
    "republican",
    "republicans",
    "salafi",
    "shia",
    "shiite",
    "shiites",
    "socialist",
    "socialists",
    "sunni",
    "sunnis",
    "takfiri",
    "wahhabi",
];

/// Endings of demonyms ("German", "Syrian", "Chinese", "British", "Iraqi", "Swiss").
const DEMONYM_ENDINGS: &[&str] = &[
    "an", "ans", "ese", "ish", "i", "is", "ic", "ch", "ss", "ek", "eks",
];

fn lower_words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Refines a CoNLL type (`PER`, `ORG`, `LOC`, `MISC`) for the mention text `name`.
pub fn refine(conll: &str, name: &str) -> Refined {
    let words: Vec<String> = lower_words(name).collect();
    let last = words.last().cloned().unwrap_or_default();
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    match conll {
        _ if words.len() <= 2 && any(GROUP_WORDS) => ("NORP", Some("group-word")),
        "PER" if is_place_not_person(name) => ("GPE", Some("gazetteer-place")),
        "PER" => ("PERSON", None),
        "ORG" if FACILITY_HEADS.contains(&last.as_str()) && words.len() > 1 => {
            ("FACILITY", Some("facility-head"))
        }
        "ORG" => ("ORG", None),
        "LOC" if FACILITY_HEADS.contains(&last.as_str()) && words.len() > 1 => {
            ("FACILITY", Some("facility-head"))
        }
        "LOC" if any(NATURAL_WORDS) => ("LOC", Some("natural-or-continental")),
        "LOC" => ("GPE", Some("loc-default-gpe")),
        "MISC" if any(EVENT_WORDS) && words.len() > 1 => ("EVENT", Some("event-word")),
        "MISC" if words.len() == 1 && is_demonym(name) => ("NORP", Some("demonym-ending")),
        "MISC" => ("MISC", None),
        _ => ("MISC", None),
    }
}

/// A multi-word "person" that the gazetteer holds whole as a place name, in its spelling or
/// in another transliteration of it, and that does not start with a first name ("Khan
/// Shaykhun", "Jisr al-Shugur"; not "Paris Hilton", not "Jordan Peterson").
fn is_place_not_person(name: &str) -> bool {
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or_default();
    if words.next().is_none() || crate::first_names::is_first_name(first) {
        return false;
    }
    let key = crate::gazetteer::fold(name);
    let gazetteer = crate::gazetteer::Gazetteer::embedded();
    gazetteer.kind_mask(&key) != 0 || !gazetteer.lookup_by_spelling(&key).is_empty()
}

/// True for a religious or political group word ("Takfiri", "Sunni").
pub fn is_group_word(word: &str) -> bool {
    GROUP_WORDS.contains(&word.to_lowercase().as_str())
}

fn is_demonym(word: &str) -> bool {
    let lower = word.to_lowercase();
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().all(char::is_alphabetic)
        && word.chars().count() >= 4
        && DEMONYM_ENDINGS.iter().any(|e| lower.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refines_conll_types() {
        assert_eq!(refine("PER", "Ann Lee").0, "PERSON");
        assert_eq!(refine("PER", "Khan Shaykhun").0, "GPE");
        assert_eq!(refine("PER", "Elizabeth City").0, "PERSON");
        assert_eq!(refine("LOC", "Heathrow Airport").0, "FACILITY");
        assert_eq!(refine("LOC", "Syria").0, "GPE");
        assert_eq!(refine("LOC", "Middle East").0, "LOC");
        assert_eq!(refine("LOC", "Red Sea").0, "LOC");
        assert_eq!(refine("MISC", "German").0, "NORP");
        assert_eq!(refine("MISC", "Chinese").0, "NORP");
        assert_eq!(refine("MISC", "Shiite").0, "NORP");
        assert_eq!(refine("LOC", "Salafi").0, "NORP");
        assert_eq!(refine("LOC", "Iran").0, "GPE");
        assert_eq!(refine("MISC", "World Cup").0, "EVENT");
        assert_eq!(refine("MISC", "Windows").0, "MISC");
        assert_eq!(refine("ORG", "Evin Prison").0, "FACILITY");
        assert_eq!(refine("ORG", "Reuters").0, "ORG");
    }
}
