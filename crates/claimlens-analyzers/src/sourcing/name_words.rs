//! Word lists the speaker resolution reads a source with: titles before a name, heads of
//! descriptions of things and organisations, anonymous heads, calendar words, party tags.

/// "R-Wis", "D-S.C", "I-Vt", or a bare party letter.
pub(super) fn is_party_tag(w: &str) -> bool {
    let b = w.as_bytes();
    (b.len() <= 7 && b.len() >= 3 && matches!(b[0], b'R' | b'D' | b'I') && b[1] == b'-')
        || matches!(w, "R" | "D" | "I")
}

/// Heads of descriptions that name a thing, not a person ("the ad", "the report"): they
/// do not refer back to the previous speaker.
pub(super) fn is_non_person_head(w: &str) -> bool {
    matches!(
        w,
        "ad" | "ads"
            | "piece"
            | "article"
            | "clip"
            | "report"
            | "study"
            | "poll"
            | "survey"
            | "statement"
            | "transcript"
            | "video"
            | "letter"
            | "memo"
            | "email"
            | "complaint"
            | "lawsuit"
            | "filing"
            | "document"
            | "documents"
            | "book"
            | "editorial"
            | "analysis"
            | "data"
            | "ruling"
            | "announcer"
            | "narrator"
            | "website"
            | "post"
            | "tweet"
            | "story"
            | "paper"
            | "findings"
            | "research"
            | "bill"
            | "law"
            | "plan"
            // Added 2026-12-06 from PolNeAR dev's sources labelled NONE that resolved to
            // the previous speaker ("the bankruptcy case", "the national debate").
            | "case"
            | "debate"
            | "debates"
            | "rule"
            | "rules"
            | "bylaws"
            | "crisis"
            | "endeavor"
            | "endeavors"
            | "transition"
            | "mind"
    )
}

/// Heads of descriptions that name an organisation ("the Trump campaign").
pub(super) fn is_organisation_head(w: &str) -> bool {
    matches!(
        w,
        "campaign"
            | "administration"
            | "government"
            | "ministry"
            | "department"
            | "agency"
            | "committee"
            | "party"
            | "company"
            | "firm"
            | "coalition"
            | "council"
            | "court"
            | "commission"
            | "bureau"
            | "office"
            | "board"
            | "union"
            | "alliance"
            | "embassy"
            | "foundation"
            | "institute"
            | "university"
            | "bank"
            | "team"
            | "group"
    )
}

/// Day and month names are capitalised but never a speaker's name.
pub(super) fn is_calendar_word(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// Heads of deliberately anonymous sources.
pub(super) const ANONYMOUS: &[&str] = &[
    "source",
    "sources",
    "official",
    "officials",
    "aide",
    "aides",
    "insider",
    "insiders",
    "people",
    "person",
    "someone",
    "analysts",
    "experts",
    "observers",
    "critics",
    "diplomats",
    "witnesses",
    "residents",
    "activists",
    "reports",
    "media",
    "reporters",
];

/// A word that titles or describes the person named after it ("Senator", "Chairman",
/// "Spokeswoman", "Billionaire"): the name starts after the last such word of a run ("FDIC
/// Chairman Martin Gruenberg" → "Martin Gruenberg"). Chosen from the capitalised words before
/// the names the stage gave PolNeAR **train**'s sources. Words that also open organisation
/// names ("Justice", "State", "General") are left out; "General" counts after another title
/// ("Attorney General", [`is_title_at`]).
pub(super) fn is_title(w: &str) -> bool {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    matches!(
        w.as_str(),
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "professor"
            | "gen"
            | "sen"
            | "sens"
            | "senator"
            | "senators"
            | "rep"
            | "reps"
            | "representative"
            | "representatives"
            | "congressman"
            | "congresswoman"
            | "gov"
            | "governor"
            | "mayor"
            | "president"
            | "minister"
            | "premier"
            | "chancellor"
            | "secretary"
            | "speaker"
            | "leader"
            | "chairman"
            | "chairwoman"
            | "chairperson"
            | "director"
            | "judge"
            | "attorney"
            | "ambassador"
            | "commissioner"
            | "adviser"
            | "advisor"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "ceo"
            | "founder"
            | "strategist"
            | "pollster"
            | "economist"
            | "columnist"
            | "correspondent"
            | "anchor"
            | "host"
            | "comedian"
            | "billionaire"
            | "businessman"
            | "businesswoman"
            | "candidate"
            | "nominee"
            | "widow"
            | "icon"
            | "republican"
            | "democrat"
            | "rival"
            | "former"
            | "fellow"
            | "incumbent"
            | "challenger"
            | "sir"
            | "lord"
            | "lady"
            | "pope"
            | "rev"
            | "col"
            | "colonel"
            | "lt"
            | "lieutenant"
            | "capt"
            | "captain"
            | "sgt"
            | "sergeant"
            | "adm"
            | "admiral"
            | "sheriff"
    )
}

/// Whether word `i` of a run is a title ([`is_title`]), "General" after one counting too
/// ("Attorney General", "Secretary General").
pub(super) fn is_title_at(run: &[&str], i: usize) -> bool {
    is_title(run[i]) || (run[i].eq_ignore_ascii_case("general") && i > 0 && is_title(run[i - 1]))
}

/// Last words of organisations' names ("… Committee", "… Association", "The … Times"): a run
/// ending so is not a titled person ("Republican National Committee" keeps "Republican").
pub(super) fn ends_organisation_name(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    is_organisation_head(&w)
        || matches!(
            w.as_str(),
            "association"
                | "center"
                | "centre"
                | "times"
                | "news"
                | "journal"
                | "network"
                | "post"
                | "press"
                | "senate"
                | "house"
                | "congress"
                | "caucus"
                | "conference"
                | "organization"
                | "organisation"
                | "magazine"
                | "review"
                | "tribune"
                | "herald"
                | "service"
                | "corporation"
                | "inc"
                | "corp"
                | "newspaper"
                | "paper"
                | "bank"
                | "station"
                | "channel"
                | "broadcaster"
                | "regulator"
                | "watchdog"
                | "airline"
        )
}
