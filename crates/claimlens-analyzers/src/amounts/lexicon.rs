//! Currencies, units and qualifiers the amounts stage recognises (lower case).

/// Currency symbols written before the number, and their ISO 4217 codes.
pub(crate) const CURRENCY_SYMBOLS: &[(&str, &str)] = &[
    ("$", "USD"),
    ("us$", "USD"),
    ("€", "EUR"),
    ("£", "GBP"),
    ("¥", "JPY"),
    ("₽", "RUB"),
    ("₴", "UAH"),
    ("₹", "INR"),
];

/// ISO 4217 codes accepted before or after a number when written in capitals.
pub(crate) const CURRENCY_CODES: &[&str] = &[
    "USD", "EUR", "GBP", "RUB", "JPY", "CNY", "UAH", "CHF", "INR", "TRY", "PLN", "CAD", "AUD",
    "CZK", "SEK", "NOK", "DKK", "HUF", "RON", "BGN", "GEL", "MDL", "BYN", "KZT", "AZN", "AMD",
    "RSD",
];

/// Currency names written after the number.
pub(crate) fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" => "USD",
        "euro" | "euros" => "EUR",
        "ruble" | "rubles" | "rouble" | "roubles" => "RUB",
        "yuan" | "renminbi" => "CNY",
        "yen" => "JPY",
        "hryvnia" | "hryvnias" | "hryvnas" => "UAH",
        "rupee" | "rupees" => "INR",
        "lira" | "liras" => "TRY",
        "zloty" | "zlotys" => "PLN",
        "sterling" => "GBP",
        _ => return None,
    })
}

/// Qualifiers before a number, longest first within each first word, with the value
/// reported in `attrs.qualifier`.
pub(crate) const QUALIFIERS: &[&[&str]] = &[
    &["more", "than"],
    &["less", "than"],
    &["fewer", "than"],
    &["at", "least"],
    &["at", "most"],
    &["up", "to"],
    &["as", "many", "as"],
    &["as", "much", "as"],
    &["as", "few", "as"],
    &["close", "to"],
    &["just", "over"],
    &["just", "under"],
    &["well", "over"],
    &["upwards", "of"],
    &["in", "excess", "of"],
    &["an", "estimated"],
    &["nearly"],
    &["almost"],
    &["about"],
    &["around"],
    &["approximately"],
    &["roughly"],
    &["over"],
    &["under"],
    &["some"],
    &["only"],
    &["exactly"],
    &["above"],
    &["below"],
];

/// True for the first word of some qualifier (checked on every token, hence a `match`).
pub(crate) fn opens_qualifier(w: &str) -> bool {
    matches!(
        w,
        "more"
            | "less"
            | "fewer"
            | "at"
            | "up"
            | "as"
            | "close"
            | "just"
            | "well"
            | "upwards"
            | "in"
            | "an"
            | "nearly"
            | "almost"
            | "about"
            | "around"
            | "approximately"
            | "roughly"
            | "over"
            | "under"
            | "some"
            | "only"
            | "exactly"
            | "above"
            | "below"
    )
}

/// Vague plural counts: "dozens of", "hundreds of".
pub(crate) fn vague_count(w: &str) -> Option<&'static str> {
    Some(match w {
        "dozens" => "dozens",
        "scores" => "scores",
        "hundreds" => "hundreds",
        "thousands" => "thousands",
        "tens" => "tens of thousands",
        "millions" => "millions",
        "billions" => "billions",
        _ => return None,
    })
}

/// Words that end the quantified noun phrase after a count.
pub(crate) const PHRASE_STOPS: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but",
    "that", "which", "who", "whom", "were", "was", "are", "is", "be", "been", "have", "has", "had",
    "will", "would", "could", "should", "may", "might", "said", "says", "of", "as", "than", "last",
    "this", "since", "during", "over", "into", "per", "each", "every", "while", "when", "where",
    "if", "not", "it", "they", "he", "she", "we", "did", "do", "does", "ago", "more", "less",
    "out", "up",
];

/// Plural nouns without a final "s", which end the quantified noun phrase like one.
pub(crate) const IRREGULAR_PLURALS: &[&str] = &[
    "people",
    "men",
    "women",
    "children",
    "police",
    "personnel",
    "staff",
    "cattle",
    "sheep",
    "fish",
    "troops",
    "feet",
    "teeth",
    "mice",
    "geese",
    "crew",
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_qualifier_opens_with_a_listed_word() {
        for q in super::QUALIFIERS {
            assert!(super::opens_qualifier(q[0]), "{q:?}");
        }
    }
}
