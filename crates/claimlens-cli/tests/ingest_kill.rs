//! Durability for real: `claimlens ingest` killed with SIGKILL at several seeded moments,
//! restarted each time, must end with the same store as an uninterrupted run, and the store
//! must pass its integrity check after every kill; on SQLite and on PostgreSQL.

mod timed;

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use claimlens_store::{Contents, Location};
use timed::{command_with_stdin, write, DEADLINE};

/// How many articles the generated corpus holds (plus a few bad and repeated lines).
const ARTICLES: usize = 300;

/// Small deterministic generator (xorshift64*): the kill moments are random but the same
/// on every run, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// JSONL articles with names, numbers, quotations and non-ASCII text; every 37th line is
/// malformed (a rejected record) and every 50th repeats an earlier article (a skip).
fn corpus() -> String {
    let speakers = [
        "Maria Lopez",
        "Jürgen Weiß",
        "the ministry",
        "Ana Sørensen",
        "police",
    ];
    let outlets = ["Daily Ledger", "Coast Radio", "Harbour Weekly"];
    let mut lines = Vec::new();
    for i in 0..ARTICLES {
        let who = speakers[i % speakers.len()];
        let text = format!(
            "{who} said on Monday that {} boats had left the harbour at Ærø. “We will reopen \
             the port by June {},” {who} told reporters. Critics disputed the figure of {} \
             tonnes, citing a report by the Coast Guard.",
            i + 3,
            1 + i % 28,
            i * 7
        );
        lines.push(
            serde_json::json!({
                "id": format!("a{i}"),
                "outlet": outlets[i % outlets.len()],
                "published": format!("2026-03-{:02}", 1 + i % 28),
                "text": text,
            })
            .to_string(),
        );
        if i % 37 == 36 {
            lines.push(format!("{{\"id\": \"broken{i}\", \"text\": "));
        }
        if i % 50 == 49 {
            lines.push(lines[i / 2].clone());
        }
    }
    lines.join("\n") + "\n"
}

fn ingest_args<'a>(db: &'a OsStr, feed: &'a Path) -> [&'a OsStr; 5] {
    // Small batches: more commits, so the kills land before, inside and after many of them.
    [
        OsStr::new("--batch"),
        OsStr::new("8"),
        OsStr::new("--db"),
        db,
        feed.as_os_str(),
    ]
}

/// Documents stored without all their layers (batches are atomic, so none may be).
const INCOMPLETE: &str = "SELECT count(*) FROM documents d
     WHERE (SELECT count(*) FROM layers l WHERE l.doc = d.doc)
         <> (SELECT max(n) FROM (SELECT count(*) AS n FROM layers GROUP BY doc) per_doc)";

/// Opens the store as a restarted ingest would, checks it and says what it holds.
#[track_caller]
fn checked_contents(db: &OsStr) -> Contents {
    let location = Location::of(Path::new(db));
    let store = location
        .open()
        .expect("a killed ingest leaves a store that opens");
    store
        .check_integrity()
        .expect("integrity check after a kill");
    let incomplete: i64 = match &location {
        Location::File(path) => rusqlite::Connection::open(path)
            .unwrap()
            .query_row(INCOMPLETE, [], |r| r.get(0))
            .unwrap(),
        Location::Postgres(url) => postgres::Client::connect(url, postgres::NoTls)
            .unwrap()
            .query_one(INCOMPLETE, &[])
            .unwrap()
            .get::<_, Option<i64>>(0)
            .unwrap_or(0),
    };
    assert_eq!(incomplete, 0, "documents stored without all their layers");
    store.contents().unwrap()
}

#[test]
fn an_ingest_killed_at_random_moments_resumes_to_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let killed = dir.path().join("killed.db");
    kill_and_resume(dir.path(), killed.as_os_str());
}

/// The same on a PostgreSQL store (the reference run stays on SQLite: both back-ends must
/// end with the same documents and annotations).
#[test]
fn an_ingest_into_postgres_killed_at_random_moments_resumes_to_the_same_store() {
    let Some(database) = claimlens_testkit::postgres::database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    kill_and_resume(dir.path(), OsStr::new(&database.url));
}

fn kill_and_resume(dir: &Path, db: &OsStr) {
    let feed = write(dir, "corpus.jsonl", corpus());

    // The reference: one uninterrupted run.
    let reference_db = dir.join("reference.db");
    let reference_db = reference_db.as_os_str();
    let started = Instant::now();
    let run = command_with_stdin("ingest", ingest_args(reference_db, &feed), b"");
    let full_run = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reference = checked_contents(reference_db);
    assert_eq!(reference.doc_ids.len(), ARTICLES);
    assert_eq!(reference.rejected, (ARTICLES / 37) as u64);

    // The same ingest, killed at seeded moments: each run lives 15-50% of a full run (start-up included), so
    // the kills fall at start-up, inside batches and between them, and the corpus still
    // advances from one restart to the next.
    let mut rng = Rng(0x5EED_C1A1_2026);
    let mut kills = 0;
    let mut stored_before = 0;
    let mut progress = Vec::new();
    for _ in 0..5 {
        let delay = full_run.mul_f64(0.15 + 0.35 * rng.unit());
        let mut child =
            claimlens_testkit::without_user_data(Command::new(env!("CARGO_BIN_EXE_claimlens")))
                .arg("ingest")
                .arg("--no-progress")
                .args(ingest_args(db, &feed))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            // `Child::kill` is SIGKILL on Unix: no chance to finish a transaction.
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        let now = checked_contents(db);
        assert!(
            now.doc_ids.len() >= stored_before,
            "a restart lost stored documents"
        );
        stored_before = now.doc_ids.len();
        progress.push(stored_before);
        assert!(
            started.elapsed() < DEADLINE * 2,
            "the kill loop takes too long"
        );
        if finished {
            break;
        }
    }
    assert!(
        kills > 0,
        "no run was killed: the kill moments are too late"
    );

    // Restarted once more to completion: the same documents and layers as the reference.
    let run = command_with_stdin("ingest", ingest_args(db, &feed), b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let resumed = checked_contents(db);
    assert_eq!(resumed.doc_ids, reference.doc_ids);
    assert_eq!(resumed.annotations, reference.annotations);
    assert_eq!(resumed.rejected, reference.rejected);
    eprintln!(
        "{kills} kills; full run {full_run:?}; stored after each kill: {progress:?} of {ARTICLES}"
    );
}
