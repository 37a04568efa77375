//! The corpus routes on a real store: what is analysed is kept, listed, searched, and
//! survives a restart; without a store the corpus routes say what they need.

mod common;

use claimlens_server::ServerConfig;
use claimlens_testkit::http_server::LoopbackServer;
use serde_json::{json, Value};

use common::{client, start};

const ARTICLES: [&str; 3] = [
    "The harbour master said on Monday that the old quay would close for repairs next spring. \
     \"The pier is no longer safe,\" she told the Coastal Times.",
    "Fishermen accused the port authority of hiding a report on the quay. Their spokesman, \
     Marco Grech, said the report had been ready since January.",
    "The council voted to fund a new ferry terminal. The mayor said the vote was a turning point \
     for the island's economy.",
];

fn get(url: &str) -> (u16, Value) {
    let mut r = client().get(url).call().unwrap();
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
    )
}

fn analyze(base: &str, body: Value) -> (u16, Value) {
    let mut r = client()
        .post(format!("{base}/api/analyze"))
        .header("Content-Type", "application/json")
        .send(body.to_string().as_bytes())
        .unwrap();
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap())
}

#[test]
fn a_store_keeps_lists_and_searches_what_was_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    keeps_lists_and_searches(claimlens_store::Location::File(db));
}

/// The same on a PostgreSQL store.
#[test]
fn a_postgres_store_keeps_lists_and_searches_what_was_analysed() {
    let Some(database) = claimlens_testkit::postgres::database() else {
        return;
    };
    keeps_lists_and_searches(claimlens_store::Location::Postgres(database.url.clone()));
}

fn keeps_lists_and_searches(location: claimlens_store::Location) {
    let config = ServerConfig {
        db: Some(location),
        ..ServerConfig::default()
    };
    let server = start(config.clone());
    for text in ARTICLES {
        let (status, _) = analyze(&server.base, json!({"text": text}));
        assert_eq!(status, 200);
    }
    let (status, docs) = get(&format!("{}/api/documents", server.base));
    assert_eq!(status, 200);
    assert_eq!(docs["total"], 3, "{docs}");

    let (status, hits) = get(&format!("{}/api/search?query=quay", server.base));
    assert_eq!(status, 200, "{hits}");
    assert_eq!(hits["total"], 2, "{hits}");
    for hit in hits["items"].as_array().unwrap() {
        let snippet = &hit["snippet"];
        let text: Vec<char> = snippet["text"].as_str().unwrap().chars().collect();
        let start = snippet["start"].as_u64().unwrap();
        for m in snippet["matches"].as_array().unwrap() {
            let (a, b) = (
                m["start"].as_u64().unwrap() - start,
                m["end"].as_u64().unwrap() - start,
            );
            let word: String = text[a as usize..b as usize].iter().collect();
            assert_eq!(word.to_lowercase(), "quay");
        }
    }
    let (status, bad) = get(&format!("{}/api/search?query=%22unbalanced", server.base));
    assert_eq!(
        (status, bad["code"].as_str().unwrap()),
        (400, "bad_request"),
        "{bad}"
    );

    let (status, speakers) = get(&format!(
        "{}/api/speakers?name_contains=grech&with_quotes=true",
        server.base
    ));
    assert_eq!(status, 200);
    assert_eq!(speakers["items"][0]["name"], "Marco Grech", "{speakers}");
    // Every stored article is its own story: with singletons listed, one cluster each.
    let (status, clusters) = get(&format!("{}/api/clusters?min_size=1", server.base));
    assert_eq!(status, 200, "{clusters}");
    assert_eq!(clusters["total"], docs["total"], "{clusters}");
    assert_eq!(clusters["items"][0]["size"], 1, "{clusters}");
    let (status, clusters) = get(&format!("{}/api/clusters", server.base));
    assert_eq!(
        (status, clusters["total"].as_u64()),
        (200, Some(0)),
        "{clusters}"
    );
    let (status, bad) = get(&format!("{}/api/clusters?threshold=2", server.base));
    assert_eq!(
        (status, bad["code"].as_str().unwrap()),
        (400, "bad_request"),
        "{bad}"
    );

    // The pages render the same results.
    let page = client()
        .get(format!("{}/search?query=quay", server.base))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(page.matches("class=\"hit\"").count(), 2, "{page}");
    assert!(page.contains("<mark>quay</mark>"), "{page}");
    let page = client()
        .get(format!("{}/clusters?min_size=1", server.base))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(
        page.matches("<section class=\"cluster\">").count(),
        3,
        "{page}"
    );

    // A second server on the same store serves what the first one kept.
    let id = docs["items"][0]["doc_id"].as_str().unwrap().to_owned();
    let again = start(config);
    let (status, doc) = get(&format!("{}/api/documents/{id}", again.base));
    assert_eq!(status, 200);
    assert!(ARTICLES.contains(&doc["text"].as_str().unwrap()));
}

#[test]
fn without_a_store_the_corpus_routes_say_what_they_need() {
    let server = start(ServerConfig::default());
    let (status, body) = get(&format!("{}/api/search?query=quay", server.base));
    assert_eq!(status, 501);
    assert!(body["message"].as_str().unwrap().contains("--db"));
    let (status, docs) = get(&format!("{}/api/documents", server.base));
    assert_eq!((status, docs["total"].as_u64()), (200, Some(0)));
    analyze(&server.base, json!({"text": ARTICLES[0]}));
    let (_, docs) = get(&format!("{}/api/documents", server.base));
    assert_eq!(docs["total"], 1);
}

#[test]
fn links_are_fetched_but_never_into_the_servers_own_network() {
    let page = "<html><head><title>Quay to close</title></head><body><article>\
        <p>The harbour master said on Monday that the old quay would close for repairs next spring, \
        and that ferries would use the north pier until the work is done.</p>\
        <p>Fishermen said they had not been consulted about the closure or the new timetable.</p>\
        </article></body></html>";
    let origin = LoopbackServer::start(move |_, stream| {
        use std::io::Write;
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
            page.len()
        );
    });
    // Refused by default: the article server is on loopback.
    let guarded = start(ServerConfig::default());
    let (status, body) = analyze(&guarded.base, json!({"url": origin.url("/story")}));
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (403, "refused"),
        "{body}"
    );
    // Allowed when the server is told so.
    let open = start(ServerConfig {
        allow_private_fetch: true,
        ..ServerConfig::default()
    });
    let (status, doc) = analyze(&open.base, json!({"url": origin.url("/story")}));
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["meta"]["title"], "Quay to close");
    assert_eq!(doc["meta"]["fetched_url"], origin.url("/story"));
    assert!(doc["text"].as_str().unwrap().contains("north pier"));
}
