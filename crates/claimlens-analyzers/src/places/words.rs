//! Small closed word lists the place matcher consults (folded, lower case).

/// Capitalised words that are also gazetteer names but in news text are almost always
/// something else: months, weekdays, function words at a sentence start, common nouns and
/// adjectives that name small towns somewhere ("Police", "Most", "Of").
#[rustfmt::skip]
pub const NOT_PLACES: &[&str] = &[
    "a", "about", "after", "all", "along", "also", "an", "and", "any", "april", "as", "at",
    "august", "bar", "bath", "before", "best", "bias", "but", "by", "can", "colon", "deal",
    "december", "during", "each", "february", "for", "friday", "from", "god", "hope", "how",
    "i", "if", "in", "is", "it", "january", "july", "june", "just", "march", "many", "may",
    "mobile", "monday", "more", "most", "much", "my", "nice", "no", "none", "not", "november",
    "now", "october", "of", "on", "once", "one", "or", "our", "over", "police", "reading",
    "sale", "saturday", "september", "since", "so", "some", "split", "such", "sunday", "that",
    "the", "then", "there", "these", "they", "this", "those", "thursday", "to", "tuesday",
    "under", "union", "until", "up", "van", "was", "we", "wednesday", "what", "when", "where",
    "which", "while", "who", "why", "will", "with", "yet", "you",
    // Month abbreviations ("Nov. 9").
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    // Directions and regions that name divisions somewhere ("West", "Central").
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "midwest", "middle",
    // Common nouns and adjectives, and a building.
    "media", "center", "centre", "arab", "white house",
];

/// Words before a name that make it a person's: "President Obama", "Sen. Warren".
#[rustfmt::skip]
pub const TITLES: &[&str] = &[
    "president", "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "gov", "governor", "rep",
    "representative", "secretary", "minister", "gen", "general", "judge", "justice", "pope",
    "king", "queen", "prince", "princess", "lord", "lady", "sir", "col", "colonel", "lt",
    "sgt", "capt", "captain", "commander", "chancellor", "speaker", "mayor", "chairman",
    "ambassador", "adm", "admiral", "prof", "professor", "rev", "father", "sister", "brother",
    "saint", "st", "candidate", "nominee", "leader",
];

/// Titles of office that a place name stands before as a modifier: "Ohio Gov. John Kasich",
/// "U.S. Rep. Keith Ellison", "Minnesota Attorney General". The place is still named there
/// (the office's jurisdiction), so a following title does not make it part of a longer name.
#[rustfmt::skip]
pub const OFFICE_TITLES: &[&str] = &[
    "gov", "governor", "lt", "lieutenant", "sen", "senator", "rep", "representative",
    "congressman", "congresswoman", "assemblyman", "assemblywoman", "attorney", "secretary",
    "mayor", "president", "prime", "premier", "minister", "ambassador", "judge", "sheriff",
    "treasurer", "comptroller",
];

/// Capitalised words that may stand before a place name without making it part of another
/// name: "Northern Syria", "Greater London", "In Damascus".
#[rustfmt::skip]
pub const PLACE_MODIFIERS: &[&str] = &[
    "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "northeastern", "northwestern", "southeastern", "southwestern", "central", "greater",
    "upper", "lower", "downtown", "rural", "coastal", "occupied", "rebel", "besieged",
    "metropolitan", "in", "from", "to", "near", "outside", "across", "and", "or", "at", "the",
    "of", "by", "with", "for", "via",
];

/// Words after a name that make it a first-level division: "Idlib province".
#[rustfmt::skip]
pub const ADMIN_WORDS: &[&str] = &[
    "province", "governorate", "state", "region", "oblast", "county", "prefecture",
    "district", "provinces", "governorates", "territory", "canton", "voivodeship",
];

/// Head words of natural features named after a place or a people: "the Congo river",
/// "the Jordan Valley", "the Sea of Japan" name the river, the valley and the sea, not the
/// country.
#[rustfmt::skip]
pub const FEATURE_WORDS: &[&str] = &[
    "river", "rivers", "lake", "lakes", "sea", "ocean", "gulf", "bay", "strait", "straits",
    "channel", "canal", "valley", "mountains", "hills", "heights", "desert", "basin",
    "plateau", "peninsula", "delta", "island", "islands",
];

/// Words after or before a name that make it a populated place: "Aleppo city", "town of".
pub const CITY_WORDS: &[&str] = &["city", "town", "village", "municipality"];

/// Lower-case words that may sit inside a multi-word place name ("Isle of Man", "Deir ez-Zor").
#[rustfmt::skip]
pub const NAME_CONNECTORS: &[&str] = &[
    "of", "and", "the", "al", "el", "ez", "ad", "as", "an", "ash", "ar", "at", "de", "del",
    "la", "le", "les", "los", "las", "das", "do", "da", "di", "dos", "du", "sur", "upon", "on",
    "am", "im", "bin", "ibn", "abu", "y", "en",
];

/// True when `word` (folded) is in `list`.
pub fn contains(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// Nationality adjectives and the country they point to. Demonyms are not places (named-entity
/// recognition tags them `NORP`), but "Syrian troops" says the document is about Syria, so
/// they count as country context. Ambiguous ones ("Korean", "Indian", "Georgian") are left out.
#[rustfmt::skip]
pub const DEMONYMS: &[(&str, &str)] = &[
    ("afghan", "AF"), ("albanian", "AL"), ("algerian", "DZ"), ("american", "US"),
    ("argentine", "AR"), ("argentinian", "AR"), ("armenian", "AM"), ("australian", "AU"),
    ("austrian", "AT"), ("azerbaijani", "AZ"), ("bahraini", "BH"), ("bangladeshi", "BD"),
    ("belarusian", "BY"), ("belgian", "BE"), ("bolivian", "BO"), ("bosnian", "BA"),
    ("brazilian", "BR"), ("british", "GB"), ("bulgarian", "BG"), ("burmese", "MM"),
    ("cambodian", "KH"), ("canadian", "CA"), ("chilean", "CL"), ("chinese", "CN"),
    ("colombian", "CO"), ("croatian", "HR"), ("cuban", "CU"), ("cypriot", "CY"),
    ("czech", "CZ"), ("danish", "DK"), ("dutch", "NL"), ("ecuadorian", "EC"),
    ("ecuadorean", "EC"), ("egyptian", "EG"), ("emirati", "AE"), ("eritrean", "ER"),
    ("estonian", "EE"), ("ethiopian", "ET"), ("filipino", "PH"), ("finnish", "FI"),
    ("french", "FR"), ("german", "DE"), ("greek", "GR"), ("haitian", "HT"),
    ("hungarian", "HU"), ("icelandic", "IS"), ("indonesian", "ID"), ("iranian", "IR"),
    ("iraqi", "IQ"), ("irish", "IE"), ("israeli", "IL"), ("italian", "IT"),
    ("japanese", "JP"), ("jordanian", "JO"), ("kazakh", "KZ"), ("kenyan", "KE"),
    ("kuwaiti", "KW"), ("latvian", "LV"), ("lebanese", "LB"), ("libyan", "LY"),
    ("lithuanian", "LT"), ("malaysian", "MY"), ("mexican", "MX"), ("moldovan", "MD"),
    ("mongolian", "MN"), ("moroccan", "MA"), ("nepalese", "NP"), ("nigerian", "NG"),
    ("norwegian", "NO"), ("omani", "OM"), ("pakistani", "PK"), ("palestinian", "PS"),
    ("peruvian", "PE"), ("polish", "PL"), ("portuguese", "PT"), ("qatari", "QA"),
    ("romanian", "RO"), ("russian", "RU"), ("rwandan", "RW"), ("saudi", "SA"),
    ("serbian", "RS"), ("singaporean", "SG"), ("slovak", "SK"), ("slovenian", "SI"),
    ("somali", "SO"), ("spanish", "ES"), ("sudanese", "SD"), ("swedish", "SE"),
    ("swiss", "CH"), ("syrian", "SY"), ("taiwanese", "TW"), ("thai", "TH"),
    ("tunisian", "TN"), ("turkish", "TR"), ("ugandan", "UG"), ("ukrainian", "UA"),
    ("uzbek", "UZ"), ("venezuelan", "VE"), ("vietnamese", "VN"), ("yemeni", "YE"),
    ("zimbabwean", "ZW"),
];

/// The country a demonym points to.
pub fn demonym_country(word: &str) -> Option<[u8; 2]> {
    DEMONYMS
        .iter()
        .find(|(d, _)| *d == word)
        .and_then(|(_, c)| c.as_bytes().try_into().ok())
}

/// Associated Press abbreviations of US states (folded, periods dropped) and their GeoNames
/// admin1 codes, read only in "Norfolk, Va." position: after a place name and a comma, with
/// the abbreviation's period.
#[rustfmt::skip]
pub const US_STATE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("ala", "AL"), ("ariz", "AZ"), ("ark", "AR"), ("calif", "CA"), ("colo", "CO"),
    ("conn", "CT"), ("del", "DE"), ("fla", "FL"), ("ga", "GA"), ("ill", "IL"), ("ind", "IN"),
    ("kan", "KS"), ("kans", "KS"), ("ky", "KY"), ("la", "LA"), ("md", "MD"), ("mass", "MA"),
    ("mich", "MI"), ("minn", "MN"), ("miss", "MS"), ("mo", "MO"), ("mont", "MT"),
    ("neb", "NE"), ("nebr", "NE"), ("nev", "NV"), ("nh", "NH"), ("nj", "NJ"), ("nm", "NM"),
    ("ny", "NY"), ("nc", "NC"), ("nd", "ND"), ("okla", "OK"), ("ore", "OR"), ("pa", "PA"),
    ("ri", "RI"), ("sc", "SC"), ("sd", "SD"), ("tenn", "TN"), ("tex", "TX"), ("vt", "VT"),
    ("va", "VA"), ("wash", "WA"), ("wva", "WV"), ("wis", "WI"), ("wyo", "WY"), ("dc", "DC"),
];
