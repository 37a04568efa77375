use super::agreement::*;
use super::*;

#[test]
fn gendered_pronouns_and_descriptions_skip_speakers_of_the_other_gender() {
    let recent: Vec<(String, u32)> = ["Hillary Clinton", "Jordan Smith", "Lopez", "Brian Fallon"]
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_string(), i as u32))
        .collect();
    let roles = |name: &str| match name {
        "Lopez" => Some("Foreign Ministry spokeswoman"),
        // A stated role can be a relative clause: its pronouns say nothing of the speaker.
        "Brian Fallon" => Some("who has backed Hillary Clinton since her first bid"),
        _ => None,
    };
    let of = |mention: &str, kind: MentionKind, upto: usize| {
        antecedent(mention, kind, &recent[..upto], roles).map(|(n, _)| n.as_str())
    };
    assert_eq!(of("he", MentionKind::Pronoun, 4), Some("Brian Fallon"));
    // "Lopez" has no first name, but her stated role is a woman's; "Jordan" is either.
    assert_eq!(of("she", MentionKind::Pronoun, 4), Some("Lopez"));
    assert_eq!(of("he", MentionKind::Pronoun, 3), Some("Jordan Smith"));
    assert_eq!(of("she", MentionKind::Pronoun, 2), Some("Jordan Smith"));
    assert_eq!(of("his", MentionKind::Pronoun, 1), None);
    assert_eq!(
        of("The spokesman", MentionKind::Role, 3),
        Some("Jordan Smith")
    );
    assert_eq!(of("the woman", MentionKind::Role, 4), Some("Lopez"));
}

#[test]
fn pronouns_and_descriptions_refer_to_speakers_they_can_denote() {
    let recent: Vec<(String, u32)> = ["Maria Lopez", "The New Yorker", "FBI"]
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_string(), i as u32))
        .collect();
    let roles = |name: &str| (name == "FBI").then_some("the federal police");
    let of = |mention: &str, kind: MentionKind| {
        antecedent(mention, kind, &recent, roles).map(|(n, _)| n.as_str())
    };
    assert_eq!(of("she", MentionKind::Pronoun), Some("Maria Lopez"));
    assert_eq!(of("it", MentionKind::Pronoun), Some("FBI"));
    assert_eq!(of("they", MentionKind::Pronoun), Some("FBI"));
    assert_eq!(
        antecedent("they", MentionKind::Pronoun, &recent[..1], roles),
        None,
        "one person is no 'they'"
    );
    let pair = vec![("Ann Lee and Bo Tan".to_string(), 0)];
    let found = antecedent("They", MentionKind::Pronoun, &pair, roles);
    assert_eq!(found.map(|(n, _)| n.as_str()), Some("Ann Lee and Bo Tan"));
    assert!(is_generic_you("You") && !is_generic_you("we"));
    assert_eq!(of("the woman", MentionKind::Role), Some("Maria Lopez"));
    assert_eq!(of("the magazine", MentionKind::Role), Some("FBI"));
    assert_eq!(
        antecedent("he", MentionKind::Pronoun, &recent[1..], roles),
        None
    );
    // A description naming an earlier speaker's role finds that speaker.
    let recent: Vec<(String, u32)> = vec![("Mike Pence".into(), 0), ("Ann Lee".into(), 1)];
    let roles = |name: &str| (name == "Mike Pence").then_some("Indiana Gov.");
    let found = antecedent("The Indiana governor", MentionKind::Role, &recent, roles);
    assert_eq!(found.map(|(n, _)| n.as_str()), Some("Mike Pence"));
    let found = antecedent("the woman", MentionKind::Role, &recent, roles);
    assert_eq!(found.map(|(n, _)| n.as_str()), Some("Ann Lee"));
    // A plural of people takes only people named together, or no one.
    let recent: Vec<(String, u32)> = vec![
        ("Chuck Grassley and Patrick Leahy".into(), 0),
        ("Vermont".into(), 1),
        ("FBI".into(), 2),
    ];
    let of = |mention: &str, upto: usize| {
        antecedent(mention, MentionKind::Role, &recent[..upto], roles).map(|(n, _)| n.as_str())
    };
    assert_eq!(
        of("the senators", 3),
        Some("Chuck Grassley and Patrick Leahy")
    );
    assert_eq!(
        of("The two men", 3),
        Some("Chuck Grassley and Patrick Leahy")
    );
    assert_eq!(of("the candidates", 0), None);
    assert_eq!(
        of("the president's", 2),
        Some("Vermont"),
        "a possessive, not a plural"
    );
    assert_eq!(of("the campus", 2), Some("Vermont"));
    assert!(names_organisation("The New Yorker"));
    assert!(names_organisation("Democratic National Committee"));
    assert!(!names_organisation("Loretta E. Lynch"));
    assert!(!names_organisation("Jeh Johnson"));
}

#[test]
fn names_lose_their_titles_and_keep_their_initials() {
    let named = |source: &str| classify(source, false);
    let (_, name, role) = named("Attorney General Loretta E. Lynch");
    assert_eq!(name.as_deref(), Some("Loretta E. Lynch"));
    assert_eq!(role.as_deref(), Some("Attorney General"));
    for (source, expected) in [
        ("FDIC Chairman Martin Gruenberg", "Martin Gruenberg"),
        ("House Speaker Paul Ryan", "Paul Ryan"),
        ("Secretary of State John F. Kerry", "John F. Kerry"),
        ("NBC’s Dante Chinni", "Dante Chinni"),
        ("Republican Donald J. Trump", "Donald J. Trump"),
        ("Joseph F. Dunford Jr.", "Joseph F. Dunford Jr."),
        // Organisations keep their first words.
        (
            "Republican National Committee",
            "Republican National Committee",
        ),
        ("Senate Majority Leader", "Leader"),
    ] {
        assert_eq!(named(source).1.as_deref(), Some(expected), "{source}");
    }
    assert_eq!(name_word("“E.,"), "E.");
    assert_eq!(name_word("said."), "said");
    assert_eq!(name_word("U.S.,"), "U.S.");
}

#[test]
fn coordinated_names_are_one_group_speaker() {
    let (k, name, role) = classify("Britain and France", false);
    assert_eq!(k, MentionKind::Named);
    assert_eq!(name.as_deref(), Some("Britain and France"));
    assert_eq!(role, None);
    let (_, name, role) = classify("Sens. Charles E. Grassley and Patrick J. Leahy", false);
    assert_eq!(
        name.as_deref(),
        Some("Charles E. Grassley and Patrick J. Leahy")
    );
    assert_eq!(role.as_deref(), Some("Sens"));
    assert_eq!(
        classify("Bill and Hillary Clinton", false).1.as_deref(),
        Some("Bill and Hillary Clinton")
    );
    assert!(names_group("Britain and France"));
}

#[test]
fn a_name_with_its_allies_is_a_group_and_descriptors_are_no_name() {
    let (k, name, _) = classify("Washington and its allies", true);
    assert_eq!(k, MentionKind::Named);
    assert_eq!(
        classify("Officials and their allies", true).0,
        MentionKind::Anonymous
    );
    assert_eq!(name.as_deref(), Some("Washington and its allies"));
    assert!(names_group("Washington and its allies"));
    let name = |s: &str| classify(s, false).1;
    assert_eq!(
        name("Liberal Oscar-winner Susan Sarandon").as_deref(),
        Some("Susan Sarandon")
    );
    assert_eq!(
        name("Jean-Pierre Raffarin").as_deref(),
        Some("Jean-Pierre Raffarin")
    );
    assert_eq!(name("Bashar al-Assad").as_deref(), Some("Bashar al-Assad"));
}

#[test]
fn a_possessive_campaign_is_named_after_its_person() {
    assert_eq!(
        possessed_organisation("His campaign"),
        Some(("His", "campaign"))
    );
    assert_eq!(possessed_organisation("his company"), None);
    assert_eq!(possessed_organisation("his campaign staff"), None);
    assert_eq!(
        organisation_named_after("Bernie Sanders", "campaign").as_deref(),
        Some("Sanders campaign")
    );
    assert_eq!(
        organisation_named_after("Obama and Hillary Clinton", "campaign"),
        None
    );
    assert_eq!(
        classify("Hillary Clinton’s campaign", true).1.as_deref(),
        Some("Clinton campaign")
    );
    assert_eq!(classify("Clinton's team", false).0, MentionKind::Anonymous);
    assert_eq!(organisation_named_after("The FBI", "campaign"), None);
}

#[test]
fn organisation_names_joined_by_of_stay_whole() {
    let name = |s: &str| classify(s, false).1;
    assert_eq!(
        name("the Commission on Presidential Debates").as_deref(),
        Some("Commission on Presidential Debates")
    );
    assert_eq!(
        name("the Association of Flight Attendants").as_deref(),
        Some("Association of Flight Attendants")
    );
    assert!(names_organisation("Association of Flight Attendants"));
    assert!(!names_organisation("Patrick J. Leahy"));
    // A title of office is no organisation: the name still drops it.
    assert_eq!(
        name("Secretary of State John F. Kerry").as_deref(),
        Some("John F. Kerry")
    );
    assert_eq!(
        name("University of Michigan economist Justin Wolfers").as_deref(),
        Some("Justin Wolfers")
    );
}

#[test]
fn classifies_sources() {
    let (k, name, role) = classify(
        "Russia’s Foreign Ministry spokeswoman Maria Zakharova",
        false,
    );
    assert_eq!(k, MentionKind::Named);
    assert_eq!(name.as_deref(), Some("Maria Zakharova"));
    assert_eq!(
        role.as_deref(),
        Some("Russia’s Foreign Ministry spokeswoman")
    );
    let (k, name, _) = classify(
        "Head of Damascus-based Syrian Human Rights Network, Ahmad Kazem,",
        true,
    );
    assert_eq!(
        (k, name.as_deref()),
        (MentionKind::Named, Some("Ahmad Kazem"))
    );
    assert_eq!(classify("he", false).0, MentionKind::Pronoun);
    let (_, name, role) = classify("port authority spokeswoman Dr. Elena Vassallo", false);
    assert_eq!(name.as_deref(), Some("Elena Vassallo"));
    assert_eq!(role.as_deref(), Some("port authority spokeswoman Dr."));
    assert_eq!(classify("a statement", false).0, MentionKind::Anonymous);
    let (_, name, role) = classify(
        "Michael Oppenheimer, a professor at Princeton University",
        true,
    );
    assert_eq!(name.as_deref(), Some("Michael Oppenheimer"));
    assert_eq!(role.as_deref(), Some("a professor at Princeton University"));
    assert_eq!(
        classify("Paul Ryan, R-Wis.,", true).1.as_deref(),
        Some("Paul Ryan")
    );
    assert_eq!(
        classify("Donald Trump's", true).1.as_deref(),
        Some("Donald Trump")
    );
    assert_eq!(classify("which", false).0, MentionKind::Pronoun);
    assert_eq!(
        classify("Sen. Jim Clyburn, D-S.C.,", true).1.as_deref(),
        Some("Jim Clyburn")
    );
    assert_eq!(
        classify("Massachusetts Sen. Elizabeth Warren", true)
            .1
            .as_deref(),
        Some("Elizabeth Warren")
    );
    assert_eq!(
        classify("The Trump campaign", true).1.as_deref(),
        Some("Trump campaign")
    );
    assert_eq!(classify("The ad", true).0, MentionKind::Anonymous);
    assert_eq!(classify("The Russian official", true).0, MentionKind::Role);
    assert_eq!(
        classify("senior administration officials", false).0,
        MentionKind::Anonymous
    );
    assert_eq!(classify("Critics", true).0, MentionKind::Anonymous);
    assert_eq!(
        classify("Pentagon officials", true).0,
        MentionKind::Anonymous
    );
}

#[test]
fn resolves_a_surname_to_the_one_full_name_given_later() {
    let given = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let names = given(&["Trump", "Donald Trump", "Trump"]);
    assert_eq!(
        later_full_name("Trump", &names).map(String::as_str),
        Some("Donald Trump")
    );
    // Two people share the surname: left as it is.
    let names = given(&["Clinton", "Hillary Clinton", "Bill Clinton"]);
    assert_eq!(later_full_name("Clinton", &names), None);
    // A word ending, not a word: "Rump" is not "Trump".
    assert_eq!(later_full_name("rump", &given(&["Donald Trump"])), None);
    // Only one-word names are expanded, and never to themselves.
    assert_eq!(
        later_full_name("Donald Trump", &given(&["Donald Trump"])),
        None
    );
    assert_eq!(later_full_name("Trump", &given(&["Trump"])), None);
}

#[test]
fn expands_surnames() {
    let known = vec!["Maria Zakharova".to_string(), "Ahmad Kazem".to_string()];
    assert_eq!(
        expand_name("Kazem", &known).map(String::as_str),
        Some("Ahmad Kazem")
    );
    assert_eq!(expand_name("Putin", &known), None);
}
