//! The workbench's republication page: each story that several documents carry, who
//! published it first, who republished it and when. The clusters are the store's
//! (`Store::clusters`); this page only renders them.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use claimlens_export::HtmlEscape as Esc;
use claimlens_store::{ClusterMember, ClusterQuery, StoryCluster};

use crate::corpus_api::{form_query, read_library};
use crate::corpus_pages::{outlet_and_dates, page_params, pager};
use crate::pages::{error_page, html, page_end, page_start, PAGE_POLICY};
use crate::state::{AppState, Library};

/// The similarity the form shows when the query names none: the store's default.
const SHOWN_THRESHOLD: f64 = 0.5;

/// `GET /clusters`: republished stories, largest first as the store orders them.
pub async fn clusters_page(
    State(state): State<Arc<AppState>>,
    query: Result<Query<ClusterQuery>, QueryRejection>,
) -> Response {
    let q: ClusterQuery = match form_query(query) {
        Ok(q) => q,
        Err(e) => return error_page(&state, e),
    };
    let page = match read_library(&state, q.clone(), Library::clusters).await {
        Ok(page) => page,
        Err(e) => return error_page(&state, e),
    };
    let threshold = q.threshold.unwrap_or(SHOWN_THRESHOLD);
    let mut out = String::with_capacity(16 * 1024);
    page_start(&mut out, "Republished stories", &state);
    out.push_str("<h1>Republished stories</h1>\n");
    let _ = writeln!(
        out,
        "<form class=\"filters\" method=\"get\" action=\"/clusters\">\
         <label>Shared wording ≥ <input name=\"threshold\" type=\"number\" min=\"0.05\" max=\"1\" \
         step=\"0.05\" value=\"{threshold}\"></label> \
         {}<button type=\"submit\">Find</button></form>\n\
         <p class=\"limits\">A document joins a story when the share of five-word runs it has in \
         common with the story's first-seen document (Jaccard) is at least the threshold.</p>",
        outlet_and_dates(&q.outlet, &q.published_from, &q.published_to),
    );
    if page.items.is_empty() {
        out.push_str("<p>No story is carried by more than one document.</p>\n");
    }
    for cluster in &page.items {
        story(&mut out, cluster);
    }
    let threshold = q.threshold.map(|t| t.to_string());
    pager(
        &mut out,
        "/clusters",
        &page_params(&[
            ("threshold", &threshold),
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

/// One story: its first-seen document as the heading, the outlets in the order they carried
/// it, then every document in publication order.
fn story(out: &mut String, cluster: &StoryCluster) {
    let _ = writeln!(
        out,
        "<section class=\"cluster\"><h2>{}</h2>\n<p class=\"count\">{} documents · first seen {} · \
         carried by {}</p>\n<ol class=\"timeline\">",
        member_link(&cluster.first),
        cluster.size,
        Esc(&where_and_when(&cluster.first)),
        Esc(&cluster.outlets.join(" → ")),
    );
    for member in &cluster.timeline {
        let _ = writeln!(
            out,
            "<li>{} · {} · <span class=\"score\" title=\"Jaccard of five-word runs with the \
             first-seen document\">{:.2}</span></li>",
            Esc(&where_and_when(member)),
            member_link(member),
            member.jaccard
        );
    }
    out.push_str("</ol></section>\n");
}

fn member_link(member: &ClusterMember) -> String {
    let title = member
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or("(untitled)");
    format!(
        "<a href=\"/documents/{}\">{}</a>",
        Esc(&member.doc_id),
        Esc(title)
    )
}

fn where_and_when(member: &ClusterMember) -> String {
    format!(
        "{}, {}",
        member.outlet.as_deref().unwrap_or("unknown outlet"),
        member.published.as_deref().unwrap_or("undated")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(title: &str, outlet: &str, published: &str, jaccard: f64) -> ClusterMember {
        ClusterMember {
            doc_id: format!("id-{outlet}"),
            title: Some(title.to_owned()),
            outlet: Some(outlet.to_owned()),
            published: Some(published.to_owned()),
            jaccard,
        }
    }

    #[test]
    fn a_story_lists_its_documents_in_order_with_every_value_escaped() {
        let first = member("Port <b>reopens</b>", "Ledger", "2026-03-02", 1.0);
        let copy = member("Port reopens", "Coast & Radio", "2026-03-03", 0.8125);
        let cluster = StoryCluster {
            size: 2,
            first: first.clone(),
            outlets: vec!["Ledger".into(), "Coast & Radio".into()],
            timeline: vec![first, copy],
        };
        let mut out = String::new();
        story(&mut out, &cluster);
        assert!(
            out.contains(
                "<h2><a href=\"/documents/id-Ledger\">Port &lt;b&gt;reopens&lt;/b&gt;</a></h2>"
            ),
            "{out}"
        );
        assert!(
            out.contains("carried by Ledger → Coast &amp; Radio"),
            "{out}"
        );
        assert_eq!(out.matches("<li>").count(), 2);
        assert!(out.contains(">0.81</span>"), "{out}");
        assert!(!out.contains("<b>"));
    }
}
