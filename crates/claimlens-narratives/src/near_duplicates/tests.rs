use super::*;

const STORY: &str = "The harbour authority said on Monday that both cranes on the north quay \
will be replaced before the winter storms. The work will cost four million euros, paid from \
the port's reserve fund. Dock workers had complained for years that the cranes broke down in \
high wind. A spokesperson for the union welcomed the decision but asked for the night shifts \
to be kept during the works. The mayor, Maria Lopez, told reporters the ferry service would \
not be interrupted. Shipping companies were informed by letter last week. The first crane is \
due to arrive from Rotterdam in October, the second in November. Critics on the city council \
said the tender had been rushed and that only two bids were received. The authority denied \
this and said the process followed European rules. Traffic on the quay road will be diverted \
for three weekends while the old cranes are dismantled.";

const UNRELATED: &str = "A new public library opened on Saturday in the old town hall, with \
a reading room for children and a cafe run by volunteers. The building had stood empty since \
the council moved to its offices by the station. Architects kept the painted ceiling of the \
main hall and added a glass lift at the back. Opening hours are from nine to seven on weekdays \
and until noon on Sundays. The first week brought more than two thousand visitors, the \
librarians said, many of them pupils from the nearby schools.";

const BOILERPLATE: &str = " This article is published by the North Coast Gazette. \
Subscribe to our newsletter for the latest local news every morning.";

/// `n` distinct words `w{start}` … `w{start + n − 1}`.
fn words(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn cluster(texts: &[&str], threshold: f64) -> Vec<Vec<usize>> {
    let mut clusterer = Clusterer::new(Settings {
        threshold,
        ..Settings::default()
    })
    .unwrap();
    for t in texts {
        clusterer.add(t);
    }
    clusterer
        .into_clusters()
        .into_iter()
        .map(|c| c.members.iter().map(|m| m.doc).collect())
        .collect()
}

#[test]
fn shingles_are_lowercased_word_runs() {
    assert_eq!(
        shingles("The Cranes, the QUAY!", 2),
        shingles("the cranes the quay", 2)
    );
    // Four words make three 2-word shingles; a repeated shingle counts once.
    assert_eq!(shingles("a b c d", 2).len(), 3);
    assert_eq!(shingles("a b a b a b", 2).len(), 2);
    // Order matters inside a shingle.
    assert_ne!(shingles("a b", 2), shingles("b a", 2));
    // Shorter than k: one shingle; no words: none.
    assert_eq!(shingles("only three words", 5).len(), 1);
    assert!(shingles(" ... — !", 5).is_empty());
}

#[test]
fn jaccard_is_exact() {
    assert_eq!(jaccard(&[1, 2, 3, 4], &[3, 4, 5, 6]), 2.0 / 6.0);
    assert_eq!(jaccard(&[1, 2], &[1, 2]), 1.0);
    assert_eq!(jaccard(&[], &[]), 0.0);
    assert_eq!(jaccard(&[1], &[]), 0.0);
}

#[test]
fn minhash_estimates_jaccard() {
    // Word sets w0..w300 and w100..w400 (k = 1): Jaccard 200 / 400 = 0.5.
    let a = shingles(&words(0, 300), 1);
    let b = shingles(&words(100, 300), 1);
    assert_eq!(jaccard(&a, &b), 0.5);
    let hasher = MinHasher::new(DEFAULT_PERMUTATIONS);
    let estimate = estimated_jaccard(&hasher.signature(&a), &hasher.signature(&b));
    // Standard error sqrt(0.25 / 128) ≈ 0.044: three of them.
    assert!((estimate - 0.5).abs() < 0.14, "{estimate}");
    assert_eq!(hasher.signature(&a), MinHasher::new(128).signature(&a));
    assert_eq!(
        estimated_jaccard(&hasher.signature(&a), &hasher.signature(&a)),
        1.0
    );
}

#[test]
fn banding_favours_recall_at_the_threshold() {
    for threshold in [0.3, 0.5, 0.7, 0.8, 0.9] {
        let b = Banding::for_threshold(threshold, 128);
        assert!(b.bands * b.rows <= 128);
        assert!(
            b.candidate_probability(threshold) >= 0.95,
            "{threshold} {b:?}"
        );
        assert!(b.inflection() < threshold, "{threshold} {b:?}");
        // One more row would fall below the target: the banding is not needlessly loose.
        let tighter = Banding {
            rows: b.rows + 1,
            bands: 128 / (b.rows + 1),
        };
        assert!(
            tighter.candidate_probability(threshold) < 0.95,
            "{threshold}"
        );
    }
    assert_eq!(
        Banding::for_threshold(0.5, 128),
        Banding { bands: 42, rows: 3 }
    );
}

#[test]
fn a_story_republished_with_small_edits_is_one_cluster() {
    let replaced = STORY.replace(
        "Shipping companies were informed by letter last week.",
        "Shipping firms received a letter about it last week.",
    );
    let with_boilerplate = format!("{STORY}{BOILERPLATE}");
    let cut = STORY
        .rsplit_once(" Traffic on the quay road")
        .unwrap()
        .0
        .to_owned();
    let unrelated_with_boilerplate = format!("{UNRELATED}{BOILERPLATE}");
    let texts = [
        STORY,
        UNRELATED,
        &replaced,
        &with_boilerplate,
        &unrelated_with_boilerplate,
        &cut,
    ];
    assert_eq!(cluster(&texts, 0.5), [vec![0, 2, 3, 5], vec![1, 4]]);
    // Sharing only the boilerplate is not enough.
    let story_with = shingles(&with_boilerplate, 5);
    let unrelated_with = shingles(&unrelated_with_boilerplate, 5);
    assert!(jaccard(&story_with, &unrelated_with) < 0.1);
}

#[test]
fn a_chain_does_not_join_its_ends() {
    // A = w0..w100, B = w30..w130, C = w60..w160: 5-word shingles give A~B and B~C a Jaccard
    // of 66/126 ≈ 0.52, A and C 36/156 ≈ 0.23.
    let (a, b, c) = (words(0, 100), words(30, 100), words(60, 100));
    assert!(jaccard(&shingles(&a, 5), &shingles(&b, 5)) > 0.5);
    assert!(jaccard(&shingles(&a, 5), &shingles(&c, 5)) < 0.5);
    let clusters = cluster(&[&a, &b, &c], 0.5);
    assert_eq!(clusters, [vec![0, 1], vec![2]]);
}

#[test]
fn a_document_joins_the_first_seen_document_it_resembles_most() {
    let (a, b) = (words(0, 100), words(1000, 100));
    // Mostly b, a little of a: it must join b's cluster.
    let mixed = format!("{} {}", words(1000, 90), words(0, 10));
    let mut clusterer = Clusterer::new(Settings::default()).unwrap();
    clusterer.add(&a);
    clusterer.add(&b);
    let (cluster, j) = clusterer.add(&mixed);
    assert_eq!(cluster, 1);
    assert!(j > 0.5 && j < 1.0);
}

#[test]
fn documents_without_words_stay_alone() {
    assert_eq!(cluster(&["", "", "!!"], 0.5), [vec![0], vec![1], vec![2]]);
}

#[test]
fn bad_settings_are_refused_with_a_reason() {
    for threshold in [0.0, -0.1, 1.5, f64::NAN] {
        let e = Clusterer::new(Settings {
            threshold,
            ..Settings::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("threshold"), "{e}");
    }
    let e = Settings {
        shingle_words: 0,
        ..Settings::default()
    }
    .validate()
    .unwrap_err();
    assert!(e.to_string().contains("words"), "{e}");
}
