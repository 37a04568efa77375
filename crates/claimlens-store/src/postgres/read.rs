//! Reading from PostgreSQL: contents, documents, lists, speakers and cases, with the same
//! SQL as the SQLite back-end wherever the two dialects agree.

use std::collections::BTreeMap;

use claimlens_core::Doc;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::Client;

use crate::listing::{page_bounds, Dialect, Filters};
use crate::read_doc::{AnnotationRecord, Assembler, Header, LayerRow, LinkRecord, ReadError};
use crate::search::CharRange;
use crate::{
    Case, Contents, DocumentQuery, DocumentSummary, Page, Quote, QuotePart, SpeakerQuery,
    SpeakerSummary, StoreError, VectorPair, MAX_QUOTES_PER_SPEAKER,
};

/// Parameters of one query, each bound as text or a 64-bit integer.
#[derive(Default)]
pub(super) struct Params(Vec<Box<dyn ToSql + Sync>>);

impl Params {
    /// Keeps `value` and returns its placeholder.
    pub(super) fn text(&mut self, value: &str) -> String {
        self.0.push(Box::new(value.to_owned()));
        format!("${}", self.0.len())
    }

    pub(super) fn int(&mut self, value: i64) -> String {
        self.0.push(Box::new(value));
        format!("${}", self.0.len())
    }

    pub(super) fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.0.iter().map(|p| p.as_ref()).collect()
    }

    /// The conditions of `filters` on the document key `key`, bound here.
    pub(super) fn filters(
        &mut self,
        filters: &Filters<'_>,
        key: &str,
    ) -> Result<String, StoreError> {
        filters.sql_in(Dialect::Postgres, key, &mut |v| self.text(v))
    }
}

pub(super) fn contents(client: &mut Client) -> Result<Contents, postgres::Error> {
    let doc_ids = client
        .query("SELECT doc_id FROM documents ORDER BY doc_id", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let annotations: BTreeMap<String, u64> = client
        .query(
            "SELECT layer, count(*) FROM annotations GROUP BY layer",
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
        .collect();
    let rejected = client
        .query_one("SELECT count(*) FROM rejected", &[])?
        .get::<_, i64>(0) as u64;
    Ok(Contents {
        doc_ids,
        annotations,
        rejected,
    })
}

/// What is wrong with the rows, if anything: every annotation belongs to a stored layer and
/// every link to a stored annotation, every stored document has its tokens, and the derived
/// tables (`said`, `layer_types`, `speaker_counts`) hold exactly what the layers say.
pub(super) fn integrity(client: &mut Client) -> Result<Option<String>, postgres::Error> {
    let without_tokens: i64 = client
        .query_one(
            "SELECT count(*) FROM documents d
             WHERE d.words IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.doc = d.doc)",
            &[],
        )?
        .get(0);
    // The references SQLite's foreign keys keep and this schema leaves to the writer.
    let orphan_annotations: i64 = client
        .query_one(
            "SELECT count(*) FROM annotations a
             WHERE NOT EXISTS (SELECT 1 FROM layers l WHERE l.doc = a.doc AND l.name = a.layer)",
            &[],
        )?
        .get(0);
    let orphan_links: i64 = client
        .query_one(
            "SELECT count(*) FROM links k
             WHERE NOT EXISTS (SELECT 1 FROM annotations a
                               WHERE a.doc = k.doc AND a.layer = k.from_layer AND a.idx = k.from_idx)",
            &[],
        )?
        .get(0);
    let mut problems = Vec::new();
    if orphan_annotations > 0 {
        problems.push(format!(
            "{orphan_annotations} annotations of a layer not stored"
        ));
    }
    if orphan_links > 0 {
        problems.push(format!(
            "{orphan_links} links from an annotation not stored"
        ));
    }
    if without_tokens > 0 {
        problems.push(format!("{without_tokens} documents without their tokens"));
    }
    for (what, sql) in crate::derived::DIFFERENCES {
        let differ: i64 = client.query_one(sql, &[])?.get(0);
        if differ > 0 {
            problems.push(format!("{differ} {what}"));
        }
    }
    Ok((!problems.is_empty()).then(|| problems.join("; ")))
}

pub(super) fn document(
    client: &mut Client,
    doc_id: &str,
) -> Result<Option<Doc>, ReadError<postgres::Error>> {
    let store = ReadError::Store;
    let Some(r) = client
        .query_opt(
            "SELECT doc, source_id, source, record, format, encoding, title, outlet, url,
                    author, published, language, fetched_url, fetched_at, text
             FROM documents WHERE doc_id = $1",
            &[&doc_id],
        )
        .map_err(store)?
    else {
        return Ok(None);
    };
    let key: i64 = r.get(0);
    let header = Header {
        source_id: r.get(1),
        source: r.get(2),
        record: r.get::<_, Option<i64>>(3).map(|v| v as u64),
        format: r.get(4),
        encoding: r.get(5),
        title: r.get(6),
        outlet: r.get(7),
        url: r.get(8),
        author: r.get(9),
        published: r.get(10),
        language: r.get(11),
        fetched_url: r.get(12),
        fetched_at: r.get(13),
        text: r.get(14),
    };
    let packed: Option<Vec<u8>> = client
        .query_opt("SELECT packed FROM tokens WHERE doc = $1", &[&key])
        .map_err(store)?
        .map(|r| r.get(0));
    let layers = client
        .query(
            "SELECT name, stage, position FROM layers WHERE doc = $1",
            &[&key],
        )
        .map_err(store)?
        .iter()
        .map(|r| LayerRow {
            name: r.get(0),
            stage: r.get(1),
            position: r.get(2),
        })
        .collect();
    let mut doc = Assembler::new(doc_id, header, packed.as_deref(), layers)?;
    // Streamed: a long document's rows are handed on one at a time, not held all at once
    // beside the document they rebuild.
    let mut rows = client
        .query_raw(
            "SELECT layer, idx, type, start_byte, end_byte, stage, rule, score, attrs::text
             FROM annotations WHERE doc = $1 ORDER BY layer, idx",
            [key],
        )
        .map_err(store)?;
    while let Some(r) = rows.next().map_err(store)? {
        doc.annotation(AnnotationRecord {
            layer: r.get(0),
            idx: r.get(1),
            label: r.get(2),
            start_byte: r.get(3),
            end_byte: r.get(4),
            stage: r.get(5),
            rule: r.get(6),
            score: r.get(7),
            attrs: r.get(8),
        })?;
    }
    drop(rows);
    let mut rows = client
        .query_raw(
            "SELECT from_layer, from_idx, role, to_layer, to_idx
             FROM links WHERE doc = $1 ORDER BY from_layer, from_idx, position",
            [key],
        )
        .map_err(store)?;
    while let Some(r) = rows.next().map_err(store)? {
        let index = |i: usize| -> Result<u32, ReadError<postgres::Error>> {
            u32::try_from(r.get::<_, i64>(i))
                .map_err(|_| ReadError::Damaged(format!("a link of document {doc_id}")))
        };
        doc.link(LinkRecord {
            from_layer: r.get(0),
            from_idx: index(1)?,
            role: r.get(2),
            to_layer: r.get(3),
            to_idx: index(4)?,
        })?;
    }
    doc.finish().map(Some)
}

pub(super) fn documents(
    client: &mut Client,
    q: &DocumentQuery,
) -> Result<Result<Page<DocumentSummary>, postgres::Error>, StoreError> {
    let mut params = Params::default();
    let filters = params.filters(&Filters::of_documents(q), "d.doc")?;
    Ok((|| {
        let total: i64 = client
            .query_one(
                &format!("SELECT count(*) FROM documents d WHERE 1 = 1{filters}"),
                &params.refs(),
            )?
            .get(0);
        let (limit, offset) = page_bounds(q.limit, q.offset);
        let (limit, offset) = (params.int(limit), params.int(offset));
        // As in SQLite: the page first, then its counts. NULLS LAST: SQLite orders NULL
        // below every value, so its descending lists end with the undated documents, where
        // PostgreSQL's default would put them first.
        let order = "ORDER BY d.published DESC NULLS LAST, d.doc_id";
        let sql = format!(
            "SELECT d.doc_id, d.source_id, d.title, d.outlet, d.url, d.published, d.language,
                    length(d.text), d.words,
                    (SELECT count(*) FROM annotations a
                     WHERE a.doc = d.doc AND a.layer = 'claims' AND a.type = 'CLAIM'),
                    (SELECT count(*) FROM annotations a
                     WHERE a.doc = d.doc AND a.layer = 'attributions'),
                    (SELECT count(*) FROM annotations a
                     WHERE a.doc = d.doc AND a.layer = 'entities')
             FROM (SELECT d.doc FROM documents d WHERE 1 = 1{filters}
                   {order} LIMIT {limit} OFFSET {offset}) page
             JOIN documents d ON d.doc = page.doc
             {order}"
        );
        let items = client
            .query(&sql, &params.refs())?
            .iter()
            .map(|r| DocumentSummary {
                doc_id: r.get(0),
                source_id: r.get(1),
                title: r.get(2),
                outlet: r.get(3),
                url: r.get(4),
                published: r.get(5),
                language: r.get(6),
                chars: r.get::<_, i32>(7) as u64,
                words: r.get::<_, Option<i64>>(8).map(|w| w as u64),
                claims: r.get::<_, i64>(9) as u64,
                quotes: r.get::<_, i64>(10) as u64,
                entities: r.get::<_, i64>(11) as u64,
            })
            .collect();
        Ok(Page {
            total: total as u64,
            items,
        })
    })())
}

pub(super) fn speakers(
    client: &mut Client,
    q: &SpeakerQuery,
) -> Result<Result<Page<SpeakerSummary>, postgres::Error>, StoreError> {
    let mut params = Params::default();
    let document_filters = params.filters(
        &Filters {
            outlet: q.outlet.as_deref(),
            published_from: q.published_from.as_deref(),
            published_to: q.published_to.as_deref(),
            ..Filters::default()
        },
        "d.doc",
    )?;
    let mut speaker_filters = String::new();
    if let Some(name) = &q.name {
        speaker_filters.push_str(&format!(" AND s.speaker = {}", params.text(name)));
    }
    if let Some(part) = &q.name_contains {
        let p = params.text(&part.to_lowercase());
        speaker_filters.push_str(&format!(" AND strpos(lower(s.speaker), {p}) > 0"));
    }
    Ok((|| {
        let (count, page) = crate::speakers::summary_sql(&document_filters, &speaker_filters);
        let total: i64 = client.query_one(&count, &params.refs())?.get(0);
        let filter_count = params.0.len();
        let (limit, offset) = page_bounds(q.limit, q.offset);
        let (limit, offset) = (params.int(limit), params.int(offset));
        let rows = client.query(
            &format!("{page} LIMIT {limit} OFFSET {offset}"),
            &params.refs(),
        )?;
        let mut items: Vec<SpeakerSummary> = rows
            .iter()
            .map(|r| SpeakerSummary {
                name: r.get(0),
                quote_count: r.get::<_, i64>(1) as u64,
                document_count: r.get::<_, i64>(2) as u64,
                quotes: Vec::new(),
            })
            .collect();
        params.0.truncate(filter_count);
        if q.with_quotes {
            let from = crate::speakers::quotes_from(&document_filters, &speaker_filters);
            for speaker in &mut items {
                speaker.quotes = quotes(client, &from, &mut params, &speaker.name)?;
            }
        }
        Ok(Page {
            total: total as u64,
            items,
        })
    })())
}

/// A speaker's quotes under the same filters, newest first (see `crate::speakers`).
fn quotes(
    client: &mut Client,
    from: &str,
    params: &mut Params,
    name: &str,
) -> Result<Vec<Quote>, postgres::Error> {
    let filter_count = params.0.len();
    let speaker = params.text(name);
    let limit = params.int(MAX_QUOTES_PER_SPEAKER as i64);
    let rows = client.query(
        &format!(
            "SELECT s.doc, s.relation, d.doc_id, d.title, d.outlet, d.published {from}
               AND s.speaker = {speaker}
             ORDER BY d.published DESC NULLS LAST, d.doc_id, s.relation LIMIT {limit}"
        ),
        &params.refs(),
    )?;
    params.0.truncate(filter_count);
    let parts = client.prepare(
        "SELECT l.role, p.start_char, p.end_char, p.text
         FROM links l
         JOIN annotations p ON p.doc = l.doc AND p.layer = l.to_layer AND p.idx = l.to_idx
         WHERE l.doc = $1 AND l.from_layer = 'attributions' AND l.from_idx = $2
           AND l.to_layer = 'attribution-parts'
         ORDER BY l.position",
    )?;
    let mut quotes = Vec::with_capacity(rows.len());
    for r in rows {
        let (doc, relation): (i64, i64) = (r.get(0), r.get(1));
        let mut quote = Quote {
            relation: relation as u32,
            doc_id: r.get(2),
            title: r.get(3),
            outlet: r.get(4),
            published: r.get(5),
            cue: None,
            content: Vec::new(),
        };
        for p in client.query(&parts, &[&doc, &relation])? {
            let role: String = p.get(0);
            let part = QuotePart {
                range: CharRange {
                    start: p.get::<_, i64>(1) as u32,
                    end: p.get::<_, i64>(2) as u32,
                },
                text: p.get(3),
            };
            match role.as_str() {
                claimlens_schema::role::CUE if quote.cue.is_none() => quote.cue = Some(part),
                claimlens_schema::role::CONTENT | claimlens_schema::role::CONTINUATION => {
                    quote.content.push(part)
                }
                _ => {}
            }
        }
        quotes.push(quote);
    }
    Ok(quotes)
}

pub(super) fn cases(client: &mut Client) -> Result<Vec<Case>, postgres::Error> {
    Ok(client
        .query(
            "SELECT source, case_id, title, claim, summary, verdict, url, date, keywords
             FROM cases ORDER BY source, case_id",
            &[],
        )?
        .iter()
        .map(|r| Case {
            source: r.get(0),
            case_id: r.get(1),
            title: r.get(2),
            claim: r.get(3),
            summary: r.get(4),
            verdict: r.get(5),
            url: r.get(6),
            date: r.get(7),
            keywords: serde_json::from_str(r.get(8)).unwrap_or_default(),
        })
        .collect())
}

pub(super) fn case_vectors(
    client: &mut Client,
    model: &str,
) -> Result<Vec<Option<VectorPair>>, postgres::Error> {
    Ok(client
        .query(
            r#"SELECT v.claim, v."full" FROM cases c
               LEFT JOIN case_vectors v ON v.case_key = c.case_key AND v.model = $1
               ORDER BY c.source, c.case_id"#,
            &[&model],
        )?
        .iter()
        .map(|r| {
            let claim: Option<Vec<u8>> = r.get(0);
            let full: Option<Vec<u8>> = r.get(1);
            claim
                .zip(full)
                .map(|(c, f)| (crate::cases::floats(&c), crate::cases::floats(&f)))
        })
        .collect())
}
