//! The PostgreSQL schema and its versioned migrations: the SQLite schema (`migrations.rs`)
//! step for step, so both back-ends are at the same [`crate::SCHEMA_VERSION`] with the same
//! tables, columns and meanings (docs/store.md).
//!
//! Differences, each for a reason:
//! * the version lives in a one-row table `claimlens_schema` (PostgreSQL has no
//!   `user_version`), and every step runs under a transaction-scoped advisory lock, so two
//!   processes opening a fresh database at once serialise and the second finds the work done;
//! * text columns that are compared or ordered are `COLLATE "C"` (byte order, as SQLite's
//!   `BINARY`): ISO dates, ids and names order the same on both back-ends, whatever the
//!   database's default collation;
//! * `annotations` and `links` have no foreign keys (SQLite's refer to `layers` and
//!   `annotations`): PostgreSQL checks a foreign key with a trigger per row, which made
//!   writing 1.7 times slower (112 against 190 documents a second, `examples/write_rate`),
//!   and the writer adds a document's layers, annotations and links in one transaction.
//!   [`crate::Store::check_integrity`] checks both references instead;
//! * `attrs` is `json` (kept as written, so a document read back exports byte for byte; cast
//!   to `jsonb` to query it: `attrs::jsonb ->> 'family'`);
//! * the full-text index is a generated `tsvector` column (`search`, title weighted `A`, text
//!   `B`, the configuration `claimlens_words`: PostgreSQL's `simple` with the `unaccent`
//!   extension, so words are lower-cased and stripped of accents with no stemming, as FTS5's
//!   `unicode61 remove_diacritics 2`) with a GIN index. `unaccent` ships with PostgreSQL
//!   (contrib) and is a trusted extension: the database's owner may create it. PostgreSQL caps one `tsvector` at 1 MB, so it covers the first
//!   [`INDEXED_CHARS`] characters of a text (about 50,000 words; longer texts are still
//!   stored whole).

/// Characters of a text the PostgreSQL full-text index covers.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const INDEXED_CHARS: usize = 200_000;

/// Characters the full-text index reads as spaces (typographic quotes, dashes, ellipses):
/// separators to FTS5, letters to PostgreSQL's parser. One character each, so offsets into
/// the text are the same with or without them.
pub(crate) const WORD_BREAKS: &str = "‘’‚‛“”„‟…–—―‐‑‒«»‹›";

/// Version 1: documents, layers, annotations, links, rejected records.
const V1: &str = r#"
CREATE TABLE documents (
    doc         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id      text COLLATE "C" NOT NULL UNIQUE,
    source_id   text COLLATE "C" NOT NULL,
    source      text COLLATE "C" NOT NULL,
    record      bigint,
    format      text NOT NULL,
    title       text,
    outlet      text COLLATE "C",
    url         text,
    author      text,
    published   text COLLATE "C",
    language    text COLLATE "C",
    text        text NOT NULL,
    ingested_at text COLLATE "C" NOT NULL
);
CREATE INDEX documents_outlet ON documents (outlet, published);
CREATE INDEX documents_published ON documents (published);

CREATE TABLE layers (
    doc   bigint NOT NULL REFERENCES documents (doc) ON DELETE CASCADE,
    name  text COLLATE "C" NOT NULL,
    stage text NOT NULL,
    PRIMARY KEY (doc, name)
);

CREATE TABLE annotations (
    doc        bigint NOT NULL,
    layer      text COLLATE "C" NOT NULL,
    idx        bigint NOT NULL,
    type       text COLLATE "C" NOT NULL,
    start_byte bigint NOT NULL,
    end_byte   bigint NOT NULL,
    start_char bigint NOT NULL,
    end_char   bigint NOT NULL,
    text       text NOT NULL,
    stage      text NOT NULL,
    rule       text,
    score      double precision,
    attrs      json NOT NULL DEFAULT '{}',
    PRIMARY KEY (doc, layer, idx)
);
CREATE INDEX annotations_type ON annotations (layer, type);

CREATE TABLE links (
    doc        bigint NOT NULL,
    from_layer text COLLATE "C" NOT NULL,
    from_idx   bigint NOT NULL,
    position   bigint NOT NULL,
    role       text COLLATE "C" NOT NULL,
    to_layer   text COLLATE "C" NOT NULL,
    to_idx     bigint NOT NULL,
    PRIMARY KEY (doc, from_layer, from_idx, position)
);

CREATE TABLE rejected (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      text COLLATE "C" NOT NULL,
    record      bigint,
    reason      text COLLATE "C" NOT NULL,
    rejected_at text COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX rejected_once ON rejected (source, COALESCE(record, 0), reason);
"#;

/// Version 2: known narratives.
const V2: &str = r#"
CREATE TABLE cases (
    case_key    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source      text COLLATE "C" NOT NULL,
    case_id     text COLLATE "C" NOT NULL,
    title       text,
    claim       text,
    summary     text,
    verdict     text,
    url         text,
    date        text COLLATE "C",
    keywords    text NOT NULL DEFAULT '[]',
    imported_at text COLLATE "C" NOT NULL,
    UNIQUE (source, case_id)
);
"#;

/// Version 3: the columns reading a document back needs, tokens, the full-text index and
/// who said what (the same view and table as SQLite's version 3).
const V3: &str = concat!(
    r#"
ALTER TABLE documents ADD COLUMN fetched_url text;
ALTER TABLE documents ADD COLUMN fetched_at text;
ALTER TABLE documents ADD COLUMN encoding text;
ALTER TABLE documents ADD COLUMN words bigint;
ALTER TABLE layers ADD COLUMN position bigint;

CREATE TABLE tokens (
    doc    bigint PRIMARY KEY REFERENCES documents (doc) ON DELETE CASCADE,
    packed bytea NOT NULL
);

-- Words lower-cased and stripped of accents, as FTS5's `unicode61 remove_diacritics 2`.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION claimlens_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION claimlens_words
    ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart
    WITH unaccent, simple;
-- Typographic quotes, dashes and ellipses become spaces first: PostgreSQL's parser reads
-- them as letters (`Clinton’s` one word, which `unaccent` then spells `clinton's`), FTS5 as
-- separators (`clinton`, `s`).
ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('claimlens_words',
        translate(coalesce(title, ''), '‘’‚‛“”„‟…–—―‐‑‒«»‹›', '                   ')), 'A')
    || setweight(to_tsvector('claimlens_words',
        translate(left(text, 200000), '‘’‚‛“”„‟…–—―‐‑‒«»‹›', '                   ')), 'B')
) STORED;
CREATE INDEX documents_search ON documents USING gin (search);

"#,
    crate::migrations::said_from_layers!(),
    r#"
CREATE TABLE said (
    doc      bigint NOT NULL REFERENCES documents (doc) ON DELETE CASCADE,
    relation bigint NOT NULL,
    speaker  text COLLATE "C" NOT NULL,
    PRIMARY KEY (doc, relation)
);
CREATE INDEX said_speaker ON said (speaker, doc);
INSERT INTO said (doc, relation, speaker) SELECT doc, relation, speaker FROM said_from_layers;
"#
);

/// Version 4: the sentence embeddings of the cases.
const V4: &str = r#"
CREATE TABLE case_vectors (
    case_key bigint NOT NULL REFERENCES cases (case_key) ON DELETE CASCADE,
    model    text COLLATE "C" NOT NULL,
    claim    bytea NOT NULL,
    "full"   bytea NOT NULL,
    PRIMARY KEY (case_key, model)
);
"#;

/// Version 5: the derived tables `layer_types` and `speaker_counts` (SQLite's version 5;
/// the full-text index needs no change: a GIN index answers a prefix from its sorted keys).
/// A deletion from `said` (a document's deletion cascades to it) takes its quotes off the
/// speaker's counts; a statement-level trigger, because a row-level one runs after the
/// whole statement and would see none of a document's other quotes left.
const V5: &str = concat!(
    r#"
CREATE TABLE layer_types (
    doc   bigint NOT NULL REFERENCES documents (doc) ON DELETE CASCADE,
    layer text COLLATE "C" NOT NULL,
    type  text COLLATE "C" NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (doc, layer, type)
);
CREATE INDEX layer_types_layer ON layer_types (layer, type, doc);
CREATE INDEX layer_types_type ON layer_types (type, doc);
"#,
    crate::derived::layer_types_from_annotations!("IS NOT NULL"),
    r#";
ALTER TABLE layers ADD COLUMN annotations bigint;   -- annotations in the layer
UPDATE layers SET annotations = coalesce((SELECT sum(lt.count) FROM layer_types lt
                                          WHERE lt.doc = layers.doc AND lt.layer = layers.name), 0);
CREATE INDEX layers_annotated ON layers (name, doc) WHERE annotations > 0;
CREATE TABLE speaker_counts (
    speaker   text COLLATE "C" PRIMARY KEY,
    quotes    bigint NOT NULL,
    documents bigint NOT NULL
);
CREATE INDEX speaker_counts_order ON speaker_counts (quotes DESC, speaker);
"#,
    crate::derived::speaker_counts_from_said!("IS NOT NULL"),
    r#";
CREATE FUNCTION claimlens_said_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE speaker_counts c SET quotes = c.quotes - g.quotes, documents = c.documents - g.documents
    FROM (SELECT o.speaker, count(*) AS quotes,
                 count(DISTINCT o.doc) FILTER (WHERE NOT EXISTS (
                     SELECT 1 FROM said s WHERE s.doc = o.doc AND s.speaker = o.speaker)) AS documents
          FROM said_gone o GROUP BY o.speaker) g
    WHERE c.speaker = g.speaker;
    DELETE FROM speaker_counts WHERE quotes <= 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER said_delete AFTER DELETE ON said REFERENCING OLD TABLE AS said_gone
    FOR EACH STATEMENT EXECUTE FUNCTION claimlens_said_deleted();
"#
);

/// Every migration, oldest first, in step with SQLite's list.
const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5];

/// The advisory lock every migration step holds (an arbitrary constant: "claimlen" in ASCII).
const MIGRATION_LOCK: i64 = 0x636c_6169_6d6c_656e;

/// What [`migrate`] found (as `crate::migrations::Migrated`).
pub(crate) enum Migrated {
    Current,
    Newer(i64),
    Foreign,
}

/// Brings the database's current schema to [`crate::SCHEMA_VERSION`], one transaction per
/// step.
pub(crate) fn migrate(client: &mut postgres::Client) -> Result<Migrated, postgres::Error> {
    const _: () = assert!(MIGRATIONS.len() == crate::migrations::MIGRATIONS.len());
    loop {
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        let has_version: bool = tx
            .query_one("SELECT to_regclass('claimlens_schema') IS NOT NULL", &[])?
            .get(0);
        if !has_version {
            let tables: i64 = tx
                .query_one(
                    "SELECT count(*) FROM information_schema.tables
                     WHERE table_schema = current_schema()",
                    &[],
                )?
                .get(0);
            if tables > 0 {
                return Ok(Migrated::Foreign);
            }
            tx.batch_execute(
                "CREATE TABLE claimlens_schema (version bigint NOT NULL);
                 INSERT INTO claimlens_schema (version) VALUES (0);",
            )?;
        }
        let version: i64 = tx
            .query_one("SELECT version FROM claimlens_schema", &[])?
            .get(0);
        if version > crate::SCHEMA_VERSION {
            return Ok(Migrated::Newer(version));
        }
        if version == crate::SCHEMA_VERSION {
            tx.commit()?;
            return Ok(Migrated::Current);
        }
        tx.batch_execute(MIGRATIONS[version as usize])?;
        tx.execute(
            "UPDATE claimlens_schema SET version = $1",
            &[&(version + 1)],
        )?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_covers_the_characters_the_docs_say() {
        assert!(V3.contains(&format!("left(text, {INDEXED_CHARS})")));
    }

    #[test]
    fn the_index_and_the_snippets_break_words_at_the_same_characters() {
        let spaces = " ".repeat(WORD_BREAKS.chars().count());
        let translate = format!("'{WORD_BREAKS}', '{spaces}')");
        assert_eq!(V3.matches(&translate).count(), 2);
    }
}
