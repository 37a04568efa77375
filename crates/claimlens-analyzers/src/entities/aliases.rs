//! In-document aliases: which mentions name the same entity.
//!
//! Rules, each recorded on the mention it joins:
//! * `same-name`: equal names ignoring case, a leading "the" and a possessive (whatever
//!   type the tagger gave each; the entity then takes the type with the largest total
//!   confidence, rule `entity-vote`).
//! * `surname`: a one-word person mention equal to the last word of a longer person name; a
//!   one-word organisation or `MISC` mention joins too when that name starts with a listed
//!   first name ("Trump" beside "Donald Trump"), and becomes a person (`type_rule`
//!   `surname-of-person`).
//! * A person followed by its bracketed initials, which the tagger typed otherwise, takes
//!   the acronym's type (`type_rule` `acronym-not-person`): people are not introduced that way.
//! * `acronym-definition`: "Hayat Tahrir al-Sham (HTS)": a parenthesised all-caps word right
//!   after a name whose initials it spells (or any such word after an organisation); the
//!   acronym becomes a mention when the tagger missed it, and so do its later uses
//!   (`acronym-use`).
//! * `alias-phrase`: "X, formerly known as Y", "also known as", "a.k.a.", "now called": the
//!   name after the phrase (a mention, or a capitalised run the tagger missed) joins the
//!   nearest name before it in the sentence.
//!
//! * `same-place`: two place names (CoNLL `LOC`) the gazetteer reads as one place — both name
//!   the same country and no other ("US", "United States", "America"), or one names a single
//!   city that is all the other names besides the city's own division ("Lattakia" beside
//!   "Latakia", the city and its governorate). "Mexico" (a country, a state and several
//!   cities) and "Mexico City" stay apart.
//!
//! Each entity's canonical name is its longest mention that is neither an acronym nor a
//! former name.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use claimlens_core::{Span, Token};

use crate::first_names::is_first_name;
use crate::gazetteer::{fold_into, Gazetteer, PlaceKind};

/// One entity mention, with the token range it covers.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Byte span.
    pub span: Span,
    /// Document token indexes.
    pub tokens: Range<usize>,
    /// Refined type label (`PERSON`, `ORG`, ...).
    pub label: &'static str,
    /// CoNLL type (`PER`, `ORG`, `LOC`, `MISC`).
    pub conll: &'static str,
    /// The rule that found the mention.
    pub found_by: &'static str,
    /// The rule that refined the type, if any.
    pub type_rule: Option<&'static str>,
    /// Model confidence (1 for rule-found mentions): the tagger's mean tag probability,
    /// which weighs type votes.
    pub score: f32,
    /// The tagger's raw scores, from which the reported probability is calibrated (`None`
    /// for rule-found mentions).
    pub evidence: Option<crate::learn::calibration::SpanEvidence>,
    /// How it joined its entity (`None` for the first mention).
    pub alias_rule: Option<&'static str>,
    /// The entity (index into the groups [`group`] returns).
    pub entity: usize,
    /// True for an acronym or a former name (never canonical).
    pub secondary: bool,
}

/// One entity: its mentions (indexes, in text order) and canonical mention.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Mention indexes.
    pub mentions: Vec<usize>,
    /// The canonical mention.
    pub canonical: usize,
}

const TITLES: &[&str] = &[
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "sen.",
    "rep.",
    "gov.",
    "gen.",
    "president",
    "minister",
    "senator",
    "governor",
    "general",
    "sheikh",
    "prince",
    "king",
    "queen",
];

const ALIAS_PHRASES: &[&[&str]] = &[
    &["formerly", "known", "as"],
    &["previously", "known", "as"],
    &["also", "known", "as"],
    &["now", "known", "as"],
    &["better", "known", "as"],
    &["formerly", "called"],
    &["now", "called"],
    &["a.k.a."],
    &["aka"],
];

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    /// Joins `b`'s set to `a`'s; true when they were apart.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[rb.max(ra)] = rb.min(ra);
        }
        ra != rb
    }
}

/// The words of a mention for name comparison: lowercased, without a leading "the", titles
/// and a trailing possessive.
fn name_key(text: &str, tokens: &[Token], range: Range<usize>) -> Vec<String> {
    let mut words: Vec<String> = tokens[range]
        .iter()
        .map(|t| text[t.span.range()].to_lowercase())
        .collect();
    while words.len() > 1 && (words[0] == "the" || TITLES.contains(&words[0].as_str())) {
        words.remove(0);
    }
    if words.len() > 1 && matches!(words.last().map(String::as_str), Some("'s" | "’s")) {
        words.pop();
    }
    words
}

/// Whether the mention's first word, after any title ("Sen.", "President"), is a listed
/// first name. Not "Al", which is also the Arabic article ("Al Qaeda" typed as a person
/// would make every "Qaeda" one).
fn first_word_is_first_name(text: &str, tokens: &[Token], m: &Mention) -> bool {
    tokens[m.tokens.clone()]
        .iter()
        .map(|t| &text[t.span.range()])
        .find(|w| !TITLES.contains(&w.to_lowercase().as_str()))
        .is_some_and(|w| is_first_name(w) && !w.eq_ignore_ascii_case("al"))
}

fn is_acronym(w: &str) -> bool {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    (2..=8).contains(&letters)
        && w.chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// True when the acronym's letters are, in order, initials of the name's word parts (split
/// at hyphens), starting with the first.
fn spells_initials(acronym: &str, name: &str) -> bool {
    let initials: Vec<char> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter_map(|p| p.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    let letters: Vec<char> = acronym.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.first() != initials.first() {
        return false;
    }
    let mut it = initials.iter();
    letters.iter().all(|l| it.any(|i| i == l))
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        || (w.len() > 3
            && w.split_once('-').is_some_and(|(p, rest)| {
                p.len() <= 3 && p.chars().all(char::is_lowercase) && is_capitalised(rest)
            }))
}

/// Adds mentions the tagger missed (acronyms, alias-phrase names) to `mentions`, then groups
/// all mentions into entities. `mentions` must be sorted by position and non-overlapping;
/// they stay sorted.
pub fn group(text: &str, tokens: &[Token], mentions: &mut Vec<Mention>) -> Vec<Entity> {
    let word = |i: usize| &text[tokens[i].span.range()];
    // Pass 1: find new mentions and alias pairs (indexes into `mentions` refer to a list
    // that grows, so record pairs by token start and resolve after sorting).
    let mut added: Vec<Mention> = Vec::new();
    let mut pairs: Vec<(usize, usize, &'static str)> = Vec::new(); // (token start, token start, rule)
    let mut acronyms: HashMap<String, (usize, &'static str, &'static str)> = HashMap::new();
    let covered = |mentions: &[Mention], i: usize| {
        let k = mentions.partition_point(|m| m.tokens.end <= i);
        mentions.get(k).filter(|m| m.tokens.start <= i).map(|_| k)
    };
    for k in 0..mentions.len() {
        let e = mentions[k].tokens.end;
        if e + 2 < tokens.len() && word(e) == "(" && word(e + 2) == ")" && is_acronym(word(e + 1)) {
            let acr = word(e + 1);
            let name = &text[mentions[k].span.range()];
            let initials = spells_initials(acr, name);
            // People are not introduced with their initials in brackets: a "person" whose
            // bracketed initials the tagger itself reads as an organisation ("Hayat Tahrir
            // al-Sham (HTS)") takes the acronym's type.
            if mentions[k].label == "PERSON" && initials {
                let acronym_type = covered(mentions, e + 1)
                    .map(|a| &mentions[a])
                    .filter(|a| a.tokens == (e + 1..e + 2) && a.label != "PERSON")
                    .map(|a| (a.label, a.conll));
                if let Some((label, conll)) = acronym_type {
                    let m = &mut mentions[k];
                    (m.label, m.conll) = (label, conll);
                    m.type_rule = Some("acronym-not-person");
                }
            }
            let m = &mentions[k];
            if m.label != "PERSON" && (initials || m.conll == "ORG") {
                acronyms.insert(acr.to_owned(), (m.tokens.start, m.label, m.conll));
                if covered(mentions, e + 1).is_none() {
                    added.push(rule_mention(
                        tokens,
                        e + 1..e + 2,
                        (m.label, m.conll),
                        "acronym-definition",
                    ));
                }
                pairs.push((m.tokens.start, e + 1, "acronym-definition"));
            }
        }
    }
    // Alias phrases: "<name> ... formerly known as <name>".
    // Compared in place, ASCII case folded: no per-token lower-case copies.
    let phrase_at = |i: usize, p: &[&str]| {
        i + p.len() <= tokens.len()
            && p.iter()
                .enumerate()
                .all(|(k, w)| word(i + k).eq_ignore_ascii_case(w))
    };
    for i in 0..tokens.len() {
        let Some(phrase) = ALIAS_PHRASES.iter().find(|p| phrase_at(i, p)) else {
            continue;
        };
        let after = i + phrase.len();
        // The name before: the nearest mention ending at most 6 tokens before the phrase.
        let before = mentions
            .iter()
            .rev()
            .find(|m| m.tokens.end <= i && i - m.tokens.end <= 6 && m.label != "NORP");
        let Some(before) = before else { continue };
        if (before.tokens.end..i).any(|k| matches!(word(k), "." | ";" | "!" | "?")) {
            continue;
        }
        let target = match covered(mentions, after) {
            Some(k) if mentions[k].tokens.start == after => Some(after),
            Some(_) => None,
            None => {
                let mut end = after;
                while end < tokens.len() && end - after < 6 && is_capitalised(word(end)) {
                    end += 1;
                }
                (end > after && covered(mentions, end - 1).is_none()).then(|| {
                    added.push(rule_mention(
                        tokens,
                        after..end,
                        (before.label, before.conll),
                        "alias-phrase",
                    ));
                    after
                })
            }
        };
        if let Some(t) = target {
            pairs.push((before.tokens.start, t, "alias-phrase"));
        }
    }
    // Later uses of defined acronyms.
    for i in 0..tokens.len() {
        if let Some(&(start, label, conll)) = acronyms.get(word(i)) {
            let taken =
                covered(mentions, i).is_some() || added.iter().any(|m| m.tokens.contains(&i));
            if !taken {
                added.push(rule_mention(
                    tokens,
                    i..i + 1,
                    (label, conll),
                    "acronym-use",
                ));
            }
            pairs.push((start, i, "acronym-use"));
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.tokens.start);
    let at = |start: usize, mentions: &[Mention]| {
        mentions
            .binary_search_by_key(&start, |m| m.tokens.start)
            .ok()
    };

    let n = mentions.len();
    let mut uf = UnionFind((0..n).collect());
    let mut rule: Vec<Option<&'static str>> = vec![None; n];
    let mut secondary = vec![false; n];
    for &(a, b, r) in &pairs {
        if let (Some(a), Some(b)) = (at(a, mentions), at(b, mentions)) {
            if uf.union(a, b) {
                rule[b.max(a)] = Some(r);
            }
            secondary[b] = true;
        }
    }
    // Same name, and person surnames.
    let keys: Vec<Vec<String>> = mentions
        .iter()
        .map(|m| name_key(text, tokens, m.tokens.clone()))
        .collect();
    let mut first_by_name: HashMap<&[String], usize> = HashMap::new();
    let mut surname_of: HashMap<&str, usize> = HashMap::new();
    // Surnames of people named with a listed first name ("Donald Trump"): the strongest
    // evidence a document gives that the surname alone is that person.
    let mut surname_of_first_named: HashMap<&str, usize> = HashMap::new();
    for (k, key) in keys.iter().enumerate() {
        let person = mentions[k].label == "PERSON";
        if let Some(&j) = first_by_name.get(key.as_slice()) {
            if uf.union(j, k) {
                rule[k] = Some("same-name");
            }
        } else {
            first_by_name.insert(key, k);
        }
        if person && key.len() > 1 {
            let surname = key.last().expect("non-empty").as_str();
            surname_of.entry(surname).or_insert(k);
            if first_word_is_first_name(text, tokens, &mentions[k]) {
                surname_of_first_named.entry(surname).or_insert(k);
            }
        }
    }
    for (k, key) in keys.iter().enumerate() {
        if key.len() != 1 {
            continue;
        }
        let m = &mut mentions[k];
        let joined = if m.label == "PERSON" {
            surname_of.get(key[0].as_str())
        } else if matches!(m.label, "ORG" | "MISC") && !is_acronym(&text[m.span.range()]) {
            // (An acronym is an organisation's short name even when a mistagged person's
            // name ends with it: "Carter Page FISA".)
            // "Trump" typed ORG beside "Donald Trump": the tagger's type for a one-word
            // name is its weakest guess; the person's full name in the same document decides.
            let j = surname_of_first_named.get(key[0].as_str());
            if j.is_some() {
                (m.label, m.conll) = ("PERSON", "PER");
                m.type_rule = Some("surname-of-person");
            }
            j
        } else {
            None
        };
        if let Some(&j) = joined {
            if uf.union(j, k) {
                rule[k.max(j)] = Some("surname");
            }
        }
    }
    for (a, b) in same_place_pairs(mentions, &keys) {
        if uf.union(a, b) {
            rule[b.max(a)] = Some("same-place");
        }
    }
    // Entities in order of first mention.
    let mut index_of_root: HashMap<usize, usize> = HashMap::new();
    let mut entities: Vec<Entity> = Vec::new();
    for k in 0..n {
        let root = uf.find(k);
        let e = *index_of_root.entry(root).or_insert_with(|| {
            entities.push(Entity {
                mentions: Vec::new(),
                canonical: k,
            });
            entities.len() - 1
        });
        entities[e].mentions.push(k);
        let m = &mut mentions[k];
        m.entity = e;
        m.alias_rule = rule[k];
        m.secondary = secondary[k] || (m.found_by.starts_with("acronym"));
    }
    for e in &entities {
        vote_type(mentions, &e.mentions);
        person_after_article(text, tokens, mentions, &e.mentions);
    }
    for e in &mut entities {
        let best = e
            .mentions
            .iter()
            .copied()
            .filter(|&k| !mentions[k].secondary)
            .max_by_key(|&k| (mentions[k].span.len(), std::cmp::Reverse(k)));
        e.canonical = best.unwrap_or(e.mentions[0]);
    }
    entities
}

/// Most distinct place names compared pairwise in one document (a table of hundreds of
/// towns gains nothing from the quadratic comparison).
const MAX_PLACE_NAMES: usize = 200;

/// Pairs of place mentions (first mentions of distinct names) that name one place (see the
/// module docs).
fn same_place_pairs(mentions: &[Mention], keys: &[Vec<String>]) -> Vec<(usize, usize)> {
    let gazetteer = Gazetteer::embedded();
    let mut seen: HashSet<&[String]> = HashSet::new();
    let mut readings: Vec<Reading> = Vec::new();
    let mut key = String::new();
    for (k, m) in mentions.iter().enumerate() {
        if !matches!(m.conll, "LOC" | "ORG") || !seen.insert(keys[k].as_slice()) {
            continue;
        }
        fold_into(&keys[k].join(" "), &mut key);
        let mut places: Vec<u32> = gazetteer.lookup(&key).iter().map(|e| e.place).collect();
        places.sort_unstable();
        places.dedup();
        if places.is_empty() {
            continue;
        }
        let mut countries = places
            .iter()
            .filter(|&&p| gazetteer.place(p).kind == PlaceKind::Country);
        let country = match (countries.next(), countries.next()) {
            (Some(&c), None) => Some(c),
            _ => None,
        };
        readings.push(Reading {
            mention: k,
            place_name: m.conll == "LOC",
            places,
            country,
        });
        if readings.len() == MAX_PLACE_NAMES {
            break;
        }
    }
    let mut pairs = Vec::new();
    for (i, a) in readings.iter().enumerate() {
        for b in &readings[i + 1..] {
            // A country's name typed as an organisation ("the US said") is the country
            // speaking; a city's name typed so is more often a club or a firm.
            let one_country = a.country.is_some() && a.country == b.country;
            let joined = match (a.place_name, b.place_name) {
                (true, true) => one_country || one_city(gazetteer, &a.places, &b.places),
                (true, false) | (false, true) => one_country,
                (false, false) => false,
            };
            if joined {
                pairs.push((a.mention, b.mention));
            }
        }
    }
    pairs
}

/// What the gazetteer reads a distinct place name as.
struct Reading {
    /// Its first mention.
    mention: usize,
    /// Typed as a place (CoNLL `LOC`), not an organisation.
    place_name: bool,
    /// Every place it names, sorted.
    places: Vec<u32>,
    /// The one country among them, if exactly one.
    country: Option<u32>,
}

/// Whether one name reads as a single city and the other as that city and at most its
/// division, either way round.
fn one_city(g: &Gazetteer, a: &[u32], b: &[u32]) -> bool {
    city_and_division(g, a, b) || city_and_division(g, b, a)
}

fn city_and_division(g: &Gazetteer, a: &[u32], b: &[u32]) -> bool {
    let [city] = a else { return false };
    let place = g.place(*city);
    let division = g.admin1_index_of(place);
    place.kind == PlaceKind::City
        && b.contains(city)
        && b.iter().all(|p| p == city || Some(*p) == division)
}

/// One entity, one type: the type with the largest total tagger confidence among its
/// mentions wins, and mentions typed otherwise are relabelled (`type_rule` `entity-vote`).
fn vote_type(mentions: &mut [Mention], members: &[usize]) {
    let mut totals: Vec<(&'static str, &'static str, f32)> = Vec::new();
    for &k in members {
        let m = &mentions[k];
        match totals.iter_mut().find(|t| t.0 == m.label) {
            Some(t) => t.2 += m.score,
            None => totals.push((m.label, m.conll, m.score)),
        }
    }
    let Some(&(label, conll, _)) = totals.iter().reduce(|a, b| if b.2 > a.2 { b } else { a })
    else {
        return;
    };
    for &k in members {
        let m = &mut mentions[k];
        if m.label != label {
            m.label = label;
            m.conll = conll;
            m.type_rule = Some("entity-vote");
        }
    }
}

/// People are not named with an article: a "person" most of whose mentions follow "the"
/// ("the White Helmets") is a group, relabelled `ORG` (`type_rule` `article-not-person`).
fn person_after_article(text: &str, tokens: &[Token], mentions: &mut [Mention], members: &[usize]) {
    if mentions[members[0]].label != "PERSON" {
        return;
    }
    let after_the = members
        .iter()
        .filter(|&&k| {
            let start = mentions[k].tokens.start;
            start > 0 && text[tokens[start - 1].span.range()].eq_ignore_ascii_case("the")
        })
        .count();
    if after_the * 2 > members.len() {
        for &k in members {
            mentions[k].label = "ORG";
            mentions[k].conll = "ORG";
            mentions[k].type_rule = Some("article-not-person");
        }
    }
}

/// A mention found by a rule, typed like the name it is an alias of.
fn rule_mention(
    tokens: &[Token],
    range: Range<usize>,
    (label, conll): (&'static str, &'static str),
    rule: &'static str,
) -> Mention {
    Mention {
        span: Span::new(
            tokens[range.start].span.start as usize,
            tokens[range.end - 1].span.end as usize,
        ),
        tokens: range,
        label,
        conll,
        found_by: rule,
        type_rule: None,
        score: 1.0,
        evidence: None,
        alias_rule: None,
        entity: 0,
        secondary: false,
    }
}
