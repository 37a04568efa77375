//! The workbench's corpus pages: documents with filters, full-text search with the matched
//! words marked at their offsets, and who said what across the corpus. Server-rendered,
//! every value escaped, every link built from ids and percent-encoded query values.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use claimlens_export::HtmlEscape as Esc;
use claimlens_store::{DocumentQuery, Page, SearchHit, SearchQuery, SpeakerQuery, SpeakerSummary};

use crate::corpus_api::{form_query, read_library};
use crate::error::ApiError;
use crate::pages::{error_page, html, page_end, page_start, PAGE_POLICY};
use crate::state::{AppState, Library};

/// `GET /documents`: kept documents, newest first, filterable by outlet and date.
pub async fn documents_page(
    State(state): State<Arc<AppState>>,
    query: Result<Query<DocumentQuery>, QueryRejection>,
) -> Response {
    let result = async {
        let q: DocumentQuery = form_query(query)?;
        let page = read_library(&state, q.clone(), Library::documents).await?;
        Ok::<_, ApiError>((q, page))
    }
    .await;
    let (q, page) = match result {
        Ok(found) => found,
        Err(e) => return error_page(&state, e),
    };
    let mut out = String::with_capacity(16 * 1024);
    page_start(&mut out, "Documents", &state);
    out.push_str("<h1>Analysed documents</h1>\n");
    if state.library.has_store() {
        let _ = writeln!(
            out,
            "<form class=\"filters\" method=\"get\" action=\"/documents\">\
             {}<button type=\"submit\">Filter</button></form>",
            outlet_and_dates(&q.outlet, &q.published_from, &q.published_to),
        );
    } else {
        out.push_str(
            "<p class=\"limits\">Analyses made since the server started, kept in memory; \
             start it with <code>--db</code> to keep a corpus, search it and browse speakers.</p>\n",
        );
    }
    if page.items.is_empty() {
        out.push_str("<p>No documents. <a href=\"/\">Analyze an article</a>.</p>\n");
    } else {
        out.push_str(
            "<table class=\"documents\"><thead><tr><th>Title</th><th>Outlet</th><th>Published</th>\
             <th>Words</th><th>Claims</th><th>Quotes</th></tr></thead><tbody>\n",
        );
        for d in &page.items {
            let title = d
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| d.source_id.clone());
            let _ = writeln!(
                out,
                "<tr><td><a href=\"/documents/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                Esc(&d.doc_id),
                Esc(&title),
                Esc(d.outlet.as_deref().unwrap_or("")),
                Esc(d.published.as_deref().unwrap_or("")),
                d.words.map_or(String::new(), |w| w.to_string()),
                d.claims,
                d.quotes
            );
        }
        out.push_str("</tbody></table>\n");
    }
    pager(
        &mut out,
        "/documents",
        &page_params(&[
            ("outlet", &q.outlet),
            ("published_from", &q.published_from),
            ("published_to", &q.published_to),
        ]),
        q.offset,
        q.limit,
        page.total,
    );
    page_end(&mut out);
    html(StatusCode::OK, out, PAGE_POLICY)
}

/// `GET /search`: the search form and its results.
pub async fn search_page(
    State(state): State<Arc<AppState>>,
    query: Result<Query<SearchQuery>, QueryRejection>,
) -> Response {
    let q: SearchQuery = match form_query(query) {
        Ok(q) => q,
        Err(e) => return error_page(&state, e),
    };
    let mut out = String::with_capacity(16 * 1024);
    page_start(&mut out, "Search", &state);
    out.push_str("<h1>Search the corpus</h1>\n");
    let _ = writeln!(
        out,
        "<form id=\"search\" class=\"filters\" method=\"get\" action=\"/search\">\
         <label class=\"wide\">Words, \"a phrase\", OR, NOT, prefix* \
         <input id=\"query\" name=\"query\" type=\"search\" value=\"{}\"></label> \
         <label>Speaker <input name=\"speaker\" value=\"{}\"></label> \
         {}<button type=\"submit\">Search</button></form>",
        Esc(&q.query),
        Esc(q.speaker.as_deref().unwrap_or("")),
        outlet_and_dates(&q.outlet, &q.published_from, &q.published_to),
    );
    if !q.query.trim().is_empty() {
        match read_library(&state, q.clone(), Library::search).await {
            Ok(page) => search_results(&mut out, &q, &page),
            Err(e) => {
                let _ = writeln!(
                    out,
                    "<p class=\"error\" role=\"alert\">{}</p>",
                    Esc(&e.message)
                );
            }
        }
    }
    page_end(&mut out);
    html(StatusCode::OK, out, PAGE_POLICY)
}

fn search_results(out: &mut String, q: &SearchQuery, page: &Page<SearchHit>) {
    let _ = writeln!(
        out,
        "<p class=\"count\">{} document{}</p>\n<ol class=\"hits\">",
        page.total,
        if page.total == 1 { "" } else { "s" }
    );
    for hit in &page.items {
        let title = hit
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| hit.doc_id[..12].to_owned());
        let _ = write!(
            out,
            "<li class=\"hit\"><a href=\"/documents/{}\">{}</a> <span class=\"meta\">{} {}</span><p class=\"snippet\">",
            Esc(&hit.doc_id),
            Esc(&title),
            Esc(hit.outlet.as_deref().unwrap_or("")),
            Esc(hit.published.as_deref().unwrap_or(""))
        );
        marked_snippet(out, hit);
        out.push_str("</p></li>\n");
    }
    out.push_str("</ol>\n");
    pager(
        out,
        "/search",
        &page_params(&[
            ("query", &Some(q.query.clone())),
            ("speaker", &q.speaker),
            ("outlet", &q.outlet),
            ("published_from", &q.published_from),
            ("published_to", &q.published_to),
        ]),
        q.offset,
        q.limit,
        page.total,
    );
}

/// The snippet with each match in `<mark>`: the store gives code-point offsets into the
/// document, the snippet starts at `snippet.start`.
fn marked_snippet(out: &mut String, hit: &SearchHit) {
    let s = &hit.snippet;
    let chars: Vec<char> = s.text.chars().collect();
    let mut at = 0usize;
    let piece = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    if s.start > 0 {
        out.push('…');
    }
    for m in &s.matches {
        let (Some(a), Some(b)) = (m.start.checked_sub(s.start), m.end.checked_sub(s.start)) else {
            continue;
        };
        let (a, b) = (a as usize, (b as usize).min(chars.len()));
        if a < at || a >= b {
            continue;
        }
        let _ = write!(
            out,
            "{}<mark>{}</mark>",
            Esc(&piece(at, a)),
            Esc(&piece(a, b))
        );
        at = b;
    }
    // The store does not say whether the window reaches the text's end; a window ending a
    // sentence is shown without a trailing ellipsis.
    let ends_sentence = chars
        .iter()
        .rev()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '"' | '”' | '’' | ')'));
    let _ = write!(
        out,
        "{}{}",
        Esc(&piece(at, chars.len())),
        if ends_sentence { "" } else { "…" }
    );
}

/// `GET /speakers`: who said what across the corpus; `?name=` lists one speaker's quotes.
pub async fn speakers_page(
    State(state): State<Arc<AppState>>,
    query: Result<Query<SpeakerQuery>, QueryRejection>,
) -> Response {
    let result = async {
        let mut q: SpeakerQuery = form_query(query)?;
        q.with_quotes = q.name.is_some();
        let page = read_library(&state, q.clone(), Library::speakers).await?;
        Ok::<_, ApiError>((q, page))
    }
    .await;
    let (q, page) = match result {
        Ok(found) => found,
        Err(e) => return error_page(&state, e),
    };
    let mut out = String::with_capacity(16 * 1024);
    page_start(&mut out, "Speakers", &state);
    match &q.name {
        Some(name) => {
            let _ = writeln!(out, "<h1>What {} said</h1>", Esc(name));
            for speaker in &page.items {
                speaker_quotes(&mut out, speaker);
            }
        }
        None => {
            out.push_str("<h1>Who said what</h1>\n");
            let _ = write!(
                out,
                "<form class=\"filters\" method=\"get\" action=\"/speakers\">\
                 <label>Name contains <input name=\"name_contains\" value=\"{}\"></label> \
                 <button type=\"submit\">Filter</button></form>\n\
                 <table class=\"speakers\"><thead><tr><th>Speaker</th><th>Quotes</th><th>Documents</th></tr></thead><tbody>\n",
                Esc(q.name_contains.as_deref().unwrap_or(""))
            );
            for s in &page.items {
                let _ = writeln!(
                    out,
                    "<tr><td><a href=\"/speakers?name={}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                    encode(&s.name),
                    Esc(&s.name),
                    s.quote_count,
                    s.document_count
                );
            }
            out.push_str("</tbody></table>\n");
            pager(
                &mut out,
                "/speakers",
                &page_params(&[("name_contains", &q.name_contains)]),
                q.offset,
                q.limit,
                page.total,
            );
        }
    }
    page_end(&mut out);
    html(StatusCode::OK, out, PAGE_POLICY)
}

fn speaker_quotes(out: &mut String, speaker: &SpeakerSummary) {
    let _ = writeln!(
        out,
        "<p class=\"count\">{} quote{} in {} document{}</p>\n<ol class=\"quotes\">",
        speaker.quote_count,
        if speaker.quote_count == 1 { "" } else { "s" },
        speaker.document_count,
        if speaker.document_count == 1 { "" } else { "s" }
    );
    for quote in &speaker.quotes {
        let content: Vec<&str> = quote.content.iter().map(|p| p.text.as_str()).collect();
        let cue = quote.cue.as_ref().map_or("", |c| c.text.as_str());
        let _ = writeln!(
            out,
            "<li><span class=\"cue\">{}</span> “{}” <a href=\"/documents/{}\">{}</a> <span class=\"meta\">{}</span></li>",
            Esc(cue),
            Esc(&content.join(" … ")),
            Esc(&quote.doc_id),
            Esc(quote.title.as_deref().unwrap_or("document")),
            Esc(quote.published.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</ol>\n");
}

/// `key=value&…` of the filters that are set, percent-encoded.
pub(crate) fn page_params(pairs: &[(&str, &Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| {
            v.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}&", encode(v)))
        })
        .collect()
}

/// The outlet and date fields every corpus filter form has, filled with the query's values
/// (escaped), each followed by a space.
pub(crate) fn outlet_and_dates(
    outlet: &Option<String>,
    from: &Option<String>,
    to: &Option<String>,
) -> String {
    let value = |v: &Option<String>| Esc(v.as_deref().unwrap_or("")).to_string();
    format!(
        "<label>Outlet <input name=\"outlet\" value=\"{}\"></label> \
         <label>From <input name=\"published_from\" type=\"date\" value=\"{}\"></label> \
         <label>To <input name=\"published_to\" type=\"date\" value=\"{}\"></label> ",
        value(outlet),
        value(from),
        value(to)
    )
}

/// Previous / next links when the results span several pages.
pub(crate) fn pager(
    out: &mut String,
    path: &str,
    params: &str,
    offset: Option<u32>,
    limit: Option<u32>,
    total: u64,
) {
    let limit = u64::from(
        limit
            .unwrap_or(claimlens_store::DEFAULT_LIMIT)
            .clamp(1, claimlens_store::MAX_LIMIT),
    );
    let offset = u64::from(offset.unwrap_or(0));
    if total <= limit && offset == 0 {
        return;
    }
    out.push_str("<nav class=\"pager\">");
    if offset > 0 {
        let _ = write!(
            out,
            "<a href=\"{path}?{params}offset={}\">← previous</a> ",
            offset.saturating_sub(limit)
        );
    }
    let _ = write!(
        out,
        "{}–{} of {total}",
        (offset + 1).min(total),
        (offset + limit).min(total)
    );
    if offset + limit < total {
        let _ = write!(
            out,
            " <a href=\"{path}?{params}offset={}\">next →</a>",
            offset + limit
        );
    }
    out.push_str("</nav>\n");
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_store::{CharRange, Snippet};

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
        assert_eq!(
            page_params(&[
                ("q", &Some("x y".into())),
                ("o", &None),
                ("e", &Some(String::new()))
            ]),
            "q=x%20y&"
        );
    }

    #[test]
    fn snippet_marks_matches_at_code_point_offsets() {
        let hit = SearchHit {
            doc_id: "0".repeat(64),
            title: None,
            outlet: None,
            published: None,
            rank: 1.0,
            snippet: Snippet {
                text: "café <b> said".into(),
                start: 10,
                end: 23,
                matches: vec![
                    CharRange { start: 10, end: 14 },
                    CharRange { start: 19, end: 23 },
                ],
                total_matches: 2,
            },
        };
        let mut out = String::new();
        marked_snippet(&mut out, &hit);
        assert_eq!(out, "…<mark>café</mark> &lt;b&gt; <mark>said</mark>…");
        let mut whole = String::new();
        let mut ended = hit.clone();
        ended.snippet.text.push('.');
        marked_snippet(&mut whole, &ended);
        assert!(whole.ends_with("</mark>."), "{whole}");
    }
}
