//! Versioned schema migrations, keyed by SQLite's `PRAGMA user_version`.
//!
//! Policy (docs/store.md): `MIGRATIONS[i]` takes a store from version `i` to `i + 1`. The
//! list only grows; a released migration is never edited. Each runs in its own `BEGIN
//! IMMEDIATE` transaction together with the `user_version` bump, so a crash leaves the store
//! at the old version or the new one, never between; two processes opening a fresh store at
//! once serialise on the write lock and the second finds the work done.

use rusqlite::{Connection, TransactionBehavior};

use crate::derived;

/// Version 1: documents, layers, annotations, links, rejected records.
const V1: &str = r#"
CREATE TABLE documents (
    doc         INTEGER PRIMARY KEY,      -- local key for joins inside this store
    doc_id      TEXT NOT NULL UNIQUE,     -- SHA-256 (hex) of the UTF-8 text: stable across stores
    source_id   TEXT NOT NULL,            -- the record's own id, else path or path:record
    source      TEXT NOT NULL,            -- file path, or '-' for stdin
    record      INTEGER,                  -- 1-based line / record / element inside source
    format      TEXT NOT NULL,            -- text, html, jsonl, json, csv
    title       TEXT,
    outlet      TEXT,
    url         TEXT,
    author      TEXT,
    published   TEXT,
    language    TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL             -- UTC, RFC 3339
);
CREATE INDEX documents_outlet ON documents (outlet, published);
CREATE INDEX documents_published ON documents (published);

CREATE TABLE layers (
    doc   INTEGER NOT NULL REFERENCES documents (doc) ON DELETE CASCADE,
    name  TEXT NOT NULL,
    stage TEXT NOT NULL,                  -- the stage that produced the layer
    PRIMARY KEY (doc, name)
) WITHOUT ROWID;

CREATE TABLE annotations (
    doc        INTEGER NOT NULL,
    layer      TEXT NOT NULL,
    idx        INTEGER NOT NULL,          -- index inside the layer, the target of links
    type       TEXT NOT NULL,
    start_byte INTEGER NOT NULL,          -- UTF-8 byte offsets into documents.text
    end_byte   INTEGER NOT NULL,
    start_char INTEGER NOT NULL,          -- code-point offsets, as in the JSON export
    end_char   INTEGER NOT NULL,
    text       TEXT NOT NULL,             -- the covered text
    stage      TEXT NOT NULL,             -- reason.stage
    rule       TEXT,                      -- reason.rule
    score      REAL,                      -- reason.score
    attrs      TEXT NOT NULL DEFAULT '{}',-- JSON object of scalar attributes
    PRIMARY KEY (doc, layer, idx),
    FOREIGN KEY (doc, layer) REFERENCES layers (doc, name) ON DELETE CASCADE
);
CREATE INDEX annotations_type ON annotations (layer, type);

CREATE TABLE links (
    doc        INTEGER NOT NULL,
    from_layer TEXT NOT NULL,
    from_idx   INTEGER NOT NULL,
    position   INTEGER NOT NULL,          -- order among the annotation's links
    role       TEXT NOT NULL,
    to_layer   TEXT NOT NULL,
    to_idx     INTEGER NOT NULL,
    PRIMARY KEY (doc, from_layer, from_idx, position),
    FOREIGN KEY (doc, from_layer, from_idx) REFERENCES annotations (doc, layer, idx) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE rejected (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    record      INTEGER,
    reason      TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);
-- A record rejected again by a re-run is not listed twice.
CREATE UNIQUE INDEX rejected_once ON rejected (source, IFNULL(record, 0), reason);
"#;

/// Version 2: known narratives, the fact-checks and documented disinformation cases that
/// `claimlens narratives import` reads. The matcher reads every case and builds its BM25
/// index in memory, so the unique key is the only index it needs.
const V2: &str = r#"
CREATE TABLE cases (
    case_key    INTEGER PRIMARY KEY,      -- local key inside this store
    source      TEXT NOT NULL,            -- data set or publisher: euvsdisinfo, clef2020, a fact-checker
    case_id     TEXT NOT NULL,            -- the case's id inside its source
    title       TEXT,
    claim       TEXT,                     -- the claim checked or documented
    summary     TEXT,
    verdict     TEXT,                     -- as the source words it
    url         TEXT,
    date        TEXT,                     -- ISO YYYY-MM-DD when the source's date could be read
    keywords    TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    imported_at TEXT NOT NULL,            -- UTC, RFC 3339: when this version of the case was stored
    UNIQUE (source, case_id)
);
"#;

/// Version 3: what reading a document back needs beyond version 2 (the metadata and origin
/// fields it left out, the order of layers, tokens, word counts), the full-text index over
/// title and text, and who said what (`said`). The index is an external-content
/// FTS5 table (it holds the index only, not a second copy of the text), back-filled here and
/// kept in step by triggers, so every writer of `documents` updates it in the same
/// transaction. Documents stored before version 3 keep NULL in the new columns.
/// Who said what, decided once for both back-ends (the view of version 3, SQLite's and
/// PostgreSQL's alike): one row per attribution relation whose source the sourcing stage
/// resolved to a named speaker, read as the export's "who said what" digest reads the
/// layers: the relation's first `source` link, and the first `speakers` annotation naming
/// that part as its `mention`. No aggregate, so a `doc = ?` condition reaches the links'
/// primary key. A macro, so that `concat!` splices it into each migration's text.
macro_rules! said_from_layers {
    () => {
        r#"CREATE VIEW said_from_layers AS
SELECT src.doc AS doc, src.from_idx AS relation, s.type AS speaker
FROM links src
JOIN links m ON m.doc = src.doc AND m.from_layer = 'speakers' AND m.role = 'mention'
            AND m.to_layer = 'attribution-parts' AND m.to_idx = src.to_idx
JOIN annotations s ON s.doc = m.doc AND s.layer = 'speakers' AND s.idx = m.from_idx
WHERE src.from_layer = 'attributions' AND src.role = 'source'
  AND src.to_layer = 'attribution-parts'
  AND NOT EXISTS (SELECT 1 FROM links e WHERE e.doc = src.doc AND e.from_layer = 'attributions'
                  AND e.from_idx = src.from_idx AND e.role = 'source'
                  AND e.to_layer = 'attribution-parts' AND e.position < src.position)
  AND NOT EXISTS (SELECT 1 FROM links e WHERE e.doc = m.doc AND e.from_layer = 'speakers'
                  AND e.role = 'mention' AND e.to_layer = 'attribution-parts'
                  AND e.to_idx = m.to_idx AND e.from_idx < m.from_idx)
  AND s.type NOT IN ('anonymous', 'unresolved');
"#
    };
}
pub(crate) use said_from_layers;

const V3: &str = concat!(
    r#"
ALTER TABLE documents ADD COLUMN fetched_url TEXT;
ALTER TABLE documents ADD COLUMN fetched_at TEXT;
ALTER TABLE documents ADD COLUMN encoding TEXT;   -- the encoding the bytes were decoded from
ALTER TABLE documents ADD COLUMN words INTEGER;   -- word, number and URL tokens
ALTER TABLE layers ADD COLUMN position INTEGER;   -- order of the layer in the document

-- Tokens, packed (crates/claimlens-store/src/tokens.rs): a row per token would be a dozen
-- rows per sentence that no query needs, but the JSON export of a document read back does.
CREATE TABLE tokens (
    doc    INTEGER PRIMARY KEY REFERENCES documents (doc) ON DELETE CASCADE,
    packed BLOB NOT NULL
);

CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, text,
    content = 'documents', content_rowid = 'doc',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.doc, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.doc, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.doc, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.doc, new.title, new.text);
END;

-- Who said what, decided once here: one row per attribution relation whose source the
-- sourcing stage resolved to a named speaker, read as the export's "who said what" digest
-- reads the layers: the relation's first `source` link, and the first `speakers` annotation
-- naming that part as its `mention`. No aggregate, so a `doc = ?` condition reaches the
-- links' primary key.
"#,
    said_from_layers!(),
    r#"
-- The same rows, kept: a corpus-wide count by speaker from the view scans every link, from
-- this table it reads an index. The writer fills it from the view for each new document in
-- the batch's transaction.
CREATE TABLE said (
    doc      INTEGER NOT NULL REFERENCES documents (doc) ON DELETE CASCADE,
    relation INTEGER NOT NULL,            -- index in the document's `attributions` layer
    speaker  TEXT NOT NULL,               -- canonical name: the `speakers` annotation's type
    PRIMARY KEY (doc, relation)
) WITHOUT ROWID;
CREATE INDEX said_speaker ON said (speaker, doc);
INSERT INTO said (doc, relation, speaker) SELECT doc, relation, speaker FROM said_from_layers;
"#
);

/// Version 4: the sentence embeddings of the cases, kept so that matching does not embed
/// every case again on each run (minutes for 24,000 cases). One row per case and model; an
/// upsert that changes a case deletes its row (the vectors would describe the old text).
const V4: &str = r#"
CREATE TABLE case_vectors (
    case_key INTEGER NOT NULL REFERENCES cases (case_key) ON DELETE CASCADE,
    model    TEXT NOT NULL,               -- the encoder's name, e.g. all-MiniLM-L6-v2
    claim    BLOB NOT NULL,               -- the claim's (else title's) vector: little-endian f32
    full     BLOB NOT NULL,               -- the vector of title, claim and summary together
    PRIMARY KEY (case_key, model)
) WITHOUT ROWID;
"#;

/// Version 5: what makes corpus-wide reads answer from an index (docs/store.md): the
/// layers and types of each document (`layer_types`, for search filters on a layer or an
/// annotation type), the quotes and documents of each speaker (`speaker_counts`, for the
/// speakers page), both back-filled here and then added by the writer (`derived.rs`); and
/// the full-text index rebuilt with prefix indexes, so that `immigr*` reads one prefix's
/// postings instead of merging every term it expands to (FTS5 uses a prefix index for a
/// prefix of exactly its length). A speaker's count follows a deletion from `said` by hand
/// (or by a document's deletion, which cascades), so it stays what `said` holds.
const V5: &str = concat!(
    r#"
CREATE TABLE layer_types (
    doc   INTEGER NOT NULL REFERENCES documents (doc) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    type  TEXT NOT NULL,
    count INTEGER NOT NULL,               -- annotations of this type in this layer
    PRIMARY KEY (doc, layer, type)
) WITHOUT ROWID;
CREATE INDEX layer_types_layer ON layer_types (layer, type);
CREATE INDEX layer_types_type ON layer_types (type);
"#,
    derived::layer_types_from_annotations!("IS NOT NULL"),
    r#";
ALTER TABLE layers ADD COLUMN annotations INTEGER;   -- annotations in the layer
UPDATE layers SET annotations = coalesce((SELECT sum(lt.count) FROM layer_types lt
                                          WHERE lt.doc = layers.doc AND lt.layer = layers.name), 0);
-- `annotations` in the index makes it cover `name = ? AND annotations > 0` (without it
-- each entry read the table's row); `doc` before it keeps a layer's documents in key order,
-- which is how the search's membership list is built fastest.
CREATE INDEX layers_annotated ON layers (name, doc, annotations) WHERE annotations > 0;
CREATE TABLE speaker_counts (
    speaker   TEXT PRIMARY KEY,
    quotes    INTEGER NOT NULL,           -- rows of `said`
    documents INTEGER NOT NULL            -- distinct documents among them
) WITHOUT ROWID;
CREATE INDEX speaker_counts_order ON speaker_counts (quotes DESC, speaker);
"#,
    derived::speaker_counts_from_said!("IS NOT NULL"),
    r#";
CREATE TRIGGER said_delete AFTER DELETE ON said BEGIN
    UPDATE speaker_counts SET
        quotes = quotes - 1,
        documents = documents - NOT EXISTS (SELECT 1 FROM said s
                                            WHERE s.doc = old.doc AND s.speaker = old.speaker)
    WHERE speaker = old.speaker;
    DELETE FROM speaker_counts WHERE speaker = old.speaker AND quotes <= 0;
END;

-- No insert trigger any more: the writer indexes a batch's new documents in one statement
-- at the batch's end (sqlite.rs, `Writer::index_text`). FTS5 writes its pending rows out as
-- a new segment whenever a statement opens a savepoint, which the trigger's documents insert
-- and every multi-row insert after it did: a segment per document, merged again and again.
-- The delete and update triggers stay: they are on `documents` and name the index only in
-- their bodies, so they outlive it and keep the rebuilt one in step.
DROP TRIGGER documents_fts_insert;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE documents_fts USING fts5 (
    title, text,
    content = 'documents', content_rowid = 'doc',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);
INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
"#
);

/// Every migration, oldest first: `MIGRATIONS[i]` goes from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What [`migrate`] found.
pub(crate) enum Migrated {
    /// The store is at [`SCHEMA_VERSION`] (possibly after migrating).
    Current,
    /// The store is newer than this binary.
    Newer(i64),
    /// Version 0 but with tables: some other application's database.
    Foreign,
}

/// Brings the store to [`SCHEMA_VERSION`], one transaction per step.
pub(crate) fn migrate(conn: &mut Connection) -> rusqlite::Result<Migrated> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Ok(Migrated::Newer(version));
        }
        if version == SCHEMA_VERSION {
            return Ok(Migrated::Current);
        }
        if version == 0 {
            let tables: i64 =
                tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            if tables > 0 {
                return Ok(Migrated::Foreign);
            }
        }
        tx.execute_batch(MIGRATIONS[version as usize])?;
        // PRAGMA takes no bound parameters; the value is our own integer.
        tx.execute_batch(&format!("PRAGMA user_version = {}", version + 1))?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_reaches_the_current_version_and_stays_there() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert!(matches!(migrate(&mut conn).unwrap(), Migrated::Current));
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        // Idempotent: a second open changes nothing.
        assert!(matches!(migrate(&mut conn).unwrap(), Migrated::Current));
    }

    #[test]
    fn a_newer_store_is_reported_not_touched() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("PRAGMA user_version = 99").unwrap();
        assert!(matches!(migrate(&mut conn).unwrap(), Migrated::Newer(99)));
    }

    #[test]
    fn another_applications_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE people (name TEXT)")
            .unwrap();
        assert!(matches!(migrate(&mut conn).unwrap(), Migrated::Foreign));
    }
}
