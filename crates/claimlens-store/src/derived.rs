//! Tables derived from the stored layers, kept so that corpus-wide questions read a small
//! index instead of every annotation of the corpus: `layer_types` (which layers and
//! annotation types a document has, and how many) and `speaker_counts` (quotes and documents
//! per speaker of `said`). (`layers.annotations`, the count of a layer's annotations, is
//! written with the layer's row.)
//!
//! Each table is filled by one statement, written once here for both back-ends and for the
//! migration that back-fills a store written before the table existed: the writer runs it in
//! the transaction that stores the documents, on the rows just written (`layer_types` rows
//! are counted as the annotations are written, `rows::LayerRows::type_counts`: reading them
//! back to group them made writing 13 % slower; [`DIFFERENCES`] keeps the two equal). The macros take the
//! condition on the documents (`"= ?1"`, `"= ANY($1)"`, `"IS NOT NULL"`) and expand to string
//! literals, so that a migration's text stays one constant. A released migration is never
//! edited, so neither is what these expand to.

/// Adds the `layer_types` rows of the documents whose key satisfies `doc $docs`: the
/// migration's back-fill (the writer counts a new document's types as it writes them).
macro_rules! layer_types_from_annotations {
    ($docs:literal) => {
        concat!(
            "INSERT INTO layer_types (doc, layer, type, count)
             SELECT doc, layer, type, count(*) FROM annotations
             WHERE doc ",
            $docs,
            " GROUP BY doc, layer, type"
        )
    };
}
pub(crate) use layer_types_from_annotations;

/// Adds the `said` rows of the documents whose key satisfies `doc $docs` to
/// `speaker_counts`. The documents must be new to `speaker_counts` (the writer runs it on
/// the documents its transaction inserted), so their documents add to each speaker's count.
macro_rules! speaker_counts_from_said {
    ($docs:literal) => {
        concat!(
            "INSERT INTO speaker_counts (speaker, quotes, documents)
             SELECT speaker, count(*), count(DISTINCT doc) FROM said
             WHERE doc ",
            $docs,
            " GROUP BY speaker
             ON CONFLICT (speaker) DO UPDATE SET
                 quotes = speaker_counts.quotes + excluded.quotes,
                 documents = speaker_counts.documents + excluded.documents"
        )
    };
}
pub(crate) use speaker_counts_from_said;

/// Rows of the derived tables that differ from what the layers say: `(what, SQL counting
/// them)`, the same SQL on both back-ends, for [`crate::Store::check_integrity`].
pub(crate) const DIFFERENCES: [(&str, &str); 4] = [
    (
        "rows of `said` differ from the attributions they come from",
        "SELECT count(*) FROM (
             SELECT * FROM (SELECT doc, relation, speaker FROM said
                            EXCEPT SELECT doc, relation, speaker FROM said_from_layers) a
             UNION ALL
             SELECT * FROM (SELECT doc, relation, speaker FROM said_from_layers
                            EXCEPT SELECT doc, relation, speaker FROM said) b) differ",
    ),
    (
        "rows of `layer_types` differ from the annotations they count",
        "SELECT count(*) FROM (
             SELECT * FROM (SELECT doc, layer, type, count FROM layer_types
                            EXCEPT SELECT doc, layer, type, count(*) FROM annotations
                                   GROUP BY doc, layer, type) a
             UNION ALL
             SELECT * FROM (SELECT doc, layer, type, count(*) FROM annotations
                            GROUP BY doc, layer, type
                            EXCEPT SELECT doc, layer, type, count FROM layer_types) b) differ",
    ),
    (
        "layers count their annotations wrongly",
        "SELECT count(*) FROM layers l
         WHERE l.annotations IS DISTINCT FROM (SELECT count(*) FROM annotations a
                                               WHERE a.doc = l.doc AND a.layer = l.name)",
    ),
    (
        "rows of `speaker_counts` differ from `said`",
        "SELECT count(*) FROM (
             SELECT * FROM (SELECT speaker, quotes, documents FROM speaker_counts
                            EXCEPT SELECT speaker, count(*), count(DISTINCT doc) FROM said
                                   GROUP BY speaker) a
             UNION ALL
             SELECT * FROM (SELECT speaker, count(*), count(DISTINCT doc) FROM said
                            GROUP BY speaker
                            EXCEPT SELECT speaker, quotes, documents FROM speaker_counts) b) differ",
    ),
];
