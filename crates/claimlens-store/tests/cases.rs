//! The `cases` table: upsert by (source, case_id), idempotent re-import, read back.

mod common;

use claimlens_store::{Case, CaseOutcome, SqliteStore, Store};
use common::backends;

fn case(id: &str, claim: &str) -> Case {
    Case {
        source: "factcheck-desk".into(),
        case_id: id.into(),
        claim: Some(claim.into()),
        verdict: Some("False".into()),
        keywords: vec!["bridge".into(), "harbour".into()],
        ..Case::default()
    }
}

#[test]
fn cases_are_upserted_by_source_and_id_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("c.db")).unwrap();
    let first = [
        case("1", "The bridge will close."),
        case("2", "Tolls will double."),
    ];
    assert_eq!(
        store.upsert_cases(&first).unwrap(),
        CaseOutcome {
            inserted: 2,
            updated: 0,
            unchanged: 0
        }
    );
    let stamp = |store: &SqliteStore| -> Vec<String> {
        let mut stmt = store
            .connection()
            .prepare("SELECT imported_at FROM cases ORDER BY case_id")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let before = stamp(&store);
    assert_eq!(
        store.upsert_cases(&first).unwrap(),
        CaseOutcome {
            inserted: 0,
            updated: 0,
            unchanged: 2
        }
    );
    assert_eq!(stamp(&store), before);

    // Same id, new wording: replaced, not added. Another source may reuse the id.
    let mut other = case("1", "The bridge will close.");
    other.source = "another-desk".into();
    let outcome = store
        .upsert_cases(&[case("1", "The bridge will close in May."), other])
        .unwrap();
    assert_eq!((outcome.inserted, outcome.updated), (1, 1));
    let cases = store.cases().unwrap();
    assert_eq!(cases.len(), 3);
    assert_eq!(cases[0].source, "another-desk");
    assert_eq!(
        cases[1].claim.as_deref(),
        Some("The bridge will close in May.")
    );
    assert_eq!(cases[1].keywords, ["bridge", "harbour"]);
    store.check_integrity().unwrap();
}

#[test]
fn case_vectors_are_kept_per_model_and_forgotten_when_the_case_changes() {
    for mut backend in backends() {
        let store = &mut *backend.store;
        store
            .upsert_cases(&[
                case("1", "The bridge will close."),
                case("2", "Vaccines hold chips."),
            ])
            .unwrap();
        assert_eq!(store.case_vectors("m").unwrap(), vec![None, None]);
        let (a, b) = ([1.0f32, -0.5], [0.25f32, 2.0]);
        store
            .put_case_vectors(
                "m",
                &[
                    ("factcheck-desk", "2", &a, &b),
                    ("factcheck-desk", "absent", &a, &b),
                ],
            )
            .unwrap();
        assert_eq!(
            store.case_vectors("m").unwrap(),
            vec![None, Some((a.to_vec(), b.to_vec()))]
        );
        assert_eq!(store.case_vectors("other").unwrap(), vec![None, None]);
        // The same case again keeps its vectors; a changed case loses them.
        store
            .upsert_cases(&[case("2", "Vaccines hold chips.")])
            .unwrap();
        assert!(store.case_vectors("m").unwrap()[1].is_some());
        store
            .upsert_cases(&[case("2", "Vaccines hold trackers.")])
            .unwrap();
        assert_eq!(store.case_vectors("m").unwrap(), vec![None, None]);
    }
}
