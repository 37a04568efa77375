//! Republication clusters read from a store built here: one story carried by three outlets
//! with small edits, an unrelated story with the same boilerplate line, filters and paging.

use claimlens_core::Doc;
mod common;

use claimlens_store::{content_id, ClusterQuery, Entry, StoreError};
use common::{backends, Backend};

const STORY: &str = "The harbour authority said on Monday that both cranes on the north quay \
will be replaced before the winter storms. The work will cost four million euros, paid from \
the port's reserve fund. Dock workers had complained for years that the cranes broke down in \
high wind. A spokesperson for the union welcomed the decision but asked for the night shifts \
to be kept during the works. The mayor told reporters the ferry service would not be \
interrupted. Shipping companies were informed by letter last week. The first crane is due to \
arrive from Rotterdam in October, the second in November.";

const OTHER: &str = "A new public library opened on Saturday in the old town hall, with a \
reading room for children and a cafe run by volunteers. The building had stood empty since \
the council moved to its offices by the station. Architects kept the painted ceiling of the \
main hall and added a glass lift at the back.";

const BOILERPLATE: &str = " Subscribe to the Coast Courier newsletter for local news.";

fn doc(text: &str, outlet: &str, published: &str) -> Entry {
    let mut d = Doc::new(format!("{outlet}-{published}"), text);
    d.meta.outlet = Some(outlet.into());
    d.meta.title = Some(format!("{outlet} story"));
    d.meta.published = Some(published.into());
    Entry::Document(Box::new(d))
}

/// Every back-end, each holding the same five documents.
fn stores() -> Vec<Backend> {
    let edited = STORY.replace("informed by letter", "told in a letter");
    let boilerplate = format!("{STORY}{BOILERPLATE}");
    let cut = STORY.rsplit_once(" The first crane").unwrap().0.to_owned();
    let other = format!("{OTHER}{BOILERPLATE}");
    let batch = [
        // Written out of order: the first-seen document is the earliest published.
        doc(&edited, "Herald", "2026-03-03"),
        doc(STORY, "Gazette", "2026-03-02T08:00:00Z"),
        doc(&boilerplate, "Courier", "2026-03-04"),
        doc(&cut, "Herald", "2026-03-05"),
        doc(&other, "Courier", "2026-03-04"),
    ];
    let mut all = backends();
    for b in &mut all {
        b.store.write_batch(&batch).unwrap();
    }
    all
}

#[test]
fn a_republished_story_is_one_cluster_with_its_timeline() {
    for backend in stores() {
        let store = &*backend.store;
        let page = store.clusters(&ClusterQuery::default()).unwrap();
        assert_eq!(page.total, 1);
        let cluster = &page.items[0];
        assert_eq!(cluster.size, 4);
        assert_eq!(cluster.first.doc_id, content_id(STORY));
        assert_eq!(cluster.first.outlet.as_deref(), Some("Gazette"));
        assert_eq!(cluster.first.jaccard, 1.0);
        assert_eq!(cluster.outlets, ["Gazette", "Herald", "Courier"]);
        let dates: Vec<_> = cluster
            .timeline
            .iter()
            .map(|m| m.published.clone().unwrap())
            .collect();
        assert_eq!(
            dates,
            [
                "2026-03-02T08:00:00Z",
                "2026-03-03",
                "2026-03-04",
                "2026-03-05"
            ]
        );
        assert!(cluster.timeline[1..]
            .iter()
            .all(|m| m.jaccard >= 0.5 && m.jaccard < 1.0));
        assert_eq!(cluster.timeline[1].title.as_deref(), Some("Herald story"));
        // Serialised as the other read types are, for a server to return as it is.
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["items"][0]["timeline"].as_array().unwrap().len(), 4);
    }
}

#[test]
fn filters_sizes_and_pages() {
    for backend in stores() {
        let store = &*backend.store;
        let q = |f: fn(&mut ClusterQuery)| {
            let mut q = ClusterQuery::default();
            f(&mut q);
            store.clusters(&q).unwrap()
        };
        // Singletons too: the unrelated story shares only the boilerplate line.
        let all = q(|q| q.min_size = Some(1));
        assert_eq!((all.total, all.items[1].size), (2, 1));
        // An outlet keeps the clusters it took part in; clustering still spans every outlet.
        assert_eq!(q(|q| q.outlet = Some("Herald".into())).items[0].size, 4);
        assert_eq!(q(|q| q.outlet = Some("Nowhere".into())).total, 0);
        // Dates choose the documents clustered: from 3 March the edited copy comes first.
        let later = q(|q| q.published_from = Some("2026-03-03".into()));
        assert_eq!(later.items[0].first.outlet.as_deref(), Some("Herald"));
        assert_eq!(later.items[0].size, 3);
        assert_eq!(q(|q| q.published_to = Some("2026-03-02".into())).total, 0);
        // Paging.
        let paged = q(|q| {
            q.min_size = Some(1);
            q.offset = Some(1);
            q.limit = Some(5);
        });
        assert_eq!((paged.total, paged.items.len()), (2, 1));
        // A threshold of 1 keeps only identical shingle sets.
        assert_eq!(q(|q| q.threshold = Some(1.0)).total, 0);
    }
}

#[test]
fn bad_queries_are_refused_with_a_reason() {
    for backend in stores() {
        let store = &*backend.store;
        for threshold in [0.0, 1.5, f64::NAN] {
            let q = ClusterQuery {
                threshold: Some(threshold),
                ..ClusterQuery::default()
            };
            let e = store.clusters(&q).unwrap_err();
            assert!(matches!(e, StoreError::InvalidQuery { .. }), "{e}");
            assert!(e.to_string().contains("threshold"), "{e}");
        }
        let q = ClusterQuery {
            published_from: Some("March 3".into()),
            ..ClusterQuery::default()
        };
        assert!(store
            .clusters(&q)
            .unwrap_err()
            .to_string()
            .contains("YYYY-MM-DD"));
    }
}

#[test]
fn progress_reaches_every_document() {
    for backend in stores() {
        let store = &*backend.store;
        let mut last = (0, 0);
        store
            .clusters_with_progress(&ClusterQuery::default(), &mut |done, total| {
                last = (done, total)
            })
            .unwrap();
        assert_eq!(last, (5, 5));
    }
}

#[test]
fn further_pages_of_a_clustering_are_cut_from_the_one_kept_until_the_documents_change() {
    for mut backend in stores() {
        let store = &mut *backend.store;
        let mut reads = 0;
        let mut count = |done: u64, _total: u64| reads += done;
        let first = store
            .clusters_with_progress(&ClusterQuery::default(), &mut count)
            .unwrap();
        assert_eq!((first.total, reads), (1, 5), "{}", backend.name);
        // Another page, size floor or outlet of the same clustering: nothing read again.
        for q in [
            ClusterQuery {
                min_size: Some(1),
                ..ClusterQuery::default()
            },
            ClusterQuery {
                outlet: Some("Courier".into()),
                offset: Some(1),
                ..ClusterQuery::default()
            },
        ] {
            let mut read_again = 0;
            let page = store
                .clusters_with_progress(&q, &mut |done, _| read_again += done)
                .unwrap();
            assert_eq!(read_again, 0, "{}: {q:?}", backend.name);
            assert!(page.total >= 1, "{}: {q:?}", backend.name);
        }
        // Another threshold is another clustering; a new document changes the store.
        let mut read_again = 0;
        store
            .clusters_with_progress(
                &ClusterQuery {
                    threshold: Some(0.9),
                    ..ClusterQuery::default()
                },
                &mut |done, _| read_again += done,
            )
            .unwrap();
        assert_eq!(read_again, 5, "{}", backend.name);
        let copy = format!("{STORY} Updated at noon.");
        store
            .write_batch(&[doc(&copy, "Observer", "2026-03-06")])
            .unwrap();
        let after = store.clusters(&ClusterQuery::default()).unwrap();
        assert_eq!(after.items[0].size, 5, "{}", backend.name);
    }
}
