//! The workbench's pages, rendered on the server: the analyze form, the report of an analysed
//! document (the same HTML report as `claimlens analyze --format html`, with the workbench's
//! bar above it) and the list of kept documents. Every piece of input is escaped; the forms
//! work without JavaScript.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use claimlens_export::{HtmlEscape as Esc, HtmlOptions};

use crate::api::{run_analysis, Rendering};
use crate::error::ApiError;
use crate::state::AppState;
use crate::submission::Submission;

/// The workbench's stylesheet, served at `/assets/workbench.css`.
pub const WORKBENCH_CSS: &str = include_str!("assets/workbench.css");
/// The workbench's script, served at `/assets/workbench.js`: progressive enhancement only.
pub const WORKBENCH_JS: &str = include_str!("assets/workbench.js");

/// Workbench pages load only their own assets, and may not be framed.
pub(crate) const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
    img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/// The report carries its own inline style and script (it is also a file people save); the
/// article text in it is escaped, and nothing else may load.
const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
    script-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; \
    frame-ancestors 'none'";

/// An HTML response with the security headers every page gets.
pub(crate) fn html(
    status: StatusCode,
    body: impl Into<axum::body::Body>,
    policy: &'static str,
) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(policy),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// The head and navigation bar shared by the workbench's own pages.
pub(crate) fn page_start(out: &mut String, title: &str, state: &AppState) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · claimlens</title>\n\
         <link rel=\"stylesheet\" href=\"/assets/workbench.css\">\n\
         <script src=\"/assets/workbench.js\" defer></script>\n</head>\n<body>\n",
        Esc(title)
    );
    out.push_str(&nav_bar(state));
    out.push_str("<main>\n");
}

fn nav_bar(state: &AppState) -> String {
    let corpus = if state.library.has_store() {
        "<a href=\"/documents\">Documents</a> <a href=\"/search\">Search</a> \
         <a href=\"/speakers\">Speakers</a> <a href=\"/clusters\">Republished</a>"
    } else {
        "<a href=\"/documents\">Recent</a>"
    };
    format!(
        "<nav class=\"workbench-bar\" aria-label=\"claimlens\"><a class=\"brand\" href=\"/\">claimlens</a> \
         <a href=\"/\">Analyze</a> {corpus} <a href=\"/api/openapi.json\">API</a></nav>\n"
    )
}

pub(crate) fn page_end(out: &mut String) {
    out.push_str("</main>\n</body>\n</html>\n");
}

/// `GET /`: the analyze form and the most recent analyses.
pub async fn home(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    Ok(html(
        StatusCode::OK,
        analyze_form(&state, None)?,
        PAGE_POLICY,
    ))
}

fn analyze_form(state: &AppState, error: Option<&ApiError>) -> Result<String, ApiError> {
    let mut out = String::with_capacity(8 * 1024);
    page_start(&mut out, "Analyze an article", state);
    out.push_str("<h1>Analyze an article</h1>\n");
    if let Some(e) = error {
        let _ = writeln!(
            out,
            "<p class=\"error\" role=\"alert\">{}</p>",
            Esc(&e.message)
        );
    }
    let _ = write!(
        out,
        "<form id=\"analyze\" method=\"post\" action=\"/analyze\" enctype=\"multipart/form-data\">\n\
         <label for=\"text\">Paste the article</label>\n\
         <textarea id=\"text\" name=\"text\" rows=\"14\" placeholder=\"Paste a news article here…\"></textarea>\n\
         <div class=\"or\">\n\
         <label for=\"file\">or upload a .txt or .html file</label>\n\
         <input id=\"file\" name=\"file\" type=\"file\" accept=\".txt,.html,.htm,text/plain,text/html\">\n\
         <label for=\"url\">or give a link</label>\n\
         <input id=\"url\" name=\"url\" type=\"url\" placeholder=\"https://…\">\n\
         </div>\n\
         <label for=\"date\">Published on (optional, resolves “yesterday”)</label>\n\
         <input id=\"date\" name=\"date\" type=\"date\">\n\
         <button type=\"submit\">Analyze</button>\n\
         <p class=\"limits\">Up to {} MB. Analyses are kept {}.</p>\n\
         </form>\n",
        state.config.max_body_bytes / (1024 * 1024),
        if state.library.has_store() {
            "in the corpus store"
        } else {
            "in memory while the server runs"
        }
    );
    let recent = state.library.recent()?;
    if !recent.is_empty() {
        out.push_str("<h2>Recent analyses</h2>\n<ul class=\"documents\">\n");
        for a in recent.iter().take(20) {
            let title = a
                .doc
                .meta
                .title
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| first_words(a.doc.text(), 12));
            let _ = writeln!(
                out,
                "<li><a href=\"/documents/{}\">{}</a></li>",
                a.id,
                Esc(&title)
            );
        }
        out.push_str("</ul>\n");
    }
    page_end(&mut out);
    Ok(out)
}

/// The first `n` words of a text, for a document without a title.
pub(crate) fn first_words(text: &str, n: usize) -> String {
    let mut words = text.split_whitespace();
    let mut out: Vec<&str> = words.by_ref().take(n).collect();
    if words.next().is_some() {
        out.push("…");
    }
    out.join(" ")
}

/// `POST /analyze`: the form's submission; on success, a redirect to the permalink.
pub async fn analyze_submit(
    State(state): State<Arc<AppState>>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let result = async {
        let multipart = multipart.map_err(|e| ApiError::bad_request(e.body_text()))?;
        let (submission, date) = read_form(&state, multipart).await?;
        run_analysis(&state, submission, date, true, Rendering::Json).await
    }
    .await;
    match result {
        Ok((analysis, _)) => Redirect::to(&format!("/documents/{}", analysis.id)).into_response(),
        Err(e) => match analyze_form(&state, Some(&e)) {
            Ok(page) => html(e.status, page, PAGE_POLICY),
            Err(e) => e.into_response(),
        },
    }
}

/// Reads the form: text, file or URL (the first one given, in that order) and the date.
async fn read_form(
    state: &AppState,
    mut form: Multipart,
) -> Result<(Submission, Option<String>), ApiError> {
    let mut text = None;
    let mut file = None;
    let mut url = None;
    let mut date = None;
    let field_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(state.config.max_body_bytes)
        } else {
            ApiError::bad_request(e.body_text())
        }
    };
    while let Some(field) = form.next_field().await.map_err(field_error)? {
        let name = field.name().unwrap_or("").to_owned();
        match name.as_str() {
            "text" => text = Some(field.text().await.map_err(field_error)?),
            "url" => url = Some(field.text().await.map_err(field_error)?),
            "date" => date = Some(field.text().await.map_err(field_error)?),
            "file" => {
                let file_name = field.file_name().unwrap_or("upload").to_owned();
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(field_error)?;
                if !bytes.is_empty() {
                    file = Some(Submission::Bytes {
                        name: file_name,
                        content_type: upload_type(content_type.as_deref()),
                        bytes: bytes.to_vec(),
                    });
                }
            }
            _ => {}
        }
    }
    let submission = match (text.filter(|t| !t.trim().is_empty()), file, url) {
        (Some(text), _, _) => Submission::Text {
            name: "pasted".into(),
            text,
        },
        (None, Some(file), _) => file,
        (None, None, Some(url)) if !url.trim().is_empty() => Submission::Url(url.trim().into()),
        _ => {
            return Err(ApiError::unprocessable(
                "paste an article, choose a file or give a link",
            ))
        }
    };
    Ok((submission, date.filter(|d| !d.trim().is_empty())))
}

/// The type an upload is read as: what the browser said unless that is a generic type, in
/// which case the reader sniffs the bytes.
fn upload_type(declared: Option<&str>) -> Option<String> {
    declared
        .filter(|t| !t.starts_with("application/octet-stream"))
        .map(str::to_owned)
}

/// `GET /documents/{id}`: the report of a kept document.
pub async fn document_page(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Response {
    let worker_state = state.clone();
    let result = state
        .reads
        .run(move || {
            let analysis = worker_state
                .library
                .get(&id)?
                .ok_or_else(|| ApiError::not_found("no document with this id"))?;
            analysis.to_html(HtmlOptions {
                banner: Some(&workbench_banner(&worker_state)),
            })
        })
        .await;
    match result {
        Ok(page) => html(StatusCode::OK, page, REPORT_POLICY),
        Err(e) => error_page(&state, e),
    }
}

/// The workbench's bar, as the report's banner. Its style is inline because the report page
/// loads nothing.
fn workbench_banner(state: &AppState) -> String {
    const BAR_STYLE: &str = "<style>.workbench-bar{display:flex;gap:1em;align-items:baseline;\
        padding:.5em 1em;border-bottom:1px solid #8884;font:14px system-ui,sans-serif}\
        .workbench-bar .brand{font-weight:700}</style>\n";
    format!("{BAR_STYLE}{}", nav_bar(state))
}

/// An error as a workbench page, with the status it deserves.
pub fn error_page(state: &AppState, e: ApiError) -> Response {
    let mut out = String::new();
    page_start(&mut out, "Error", state);
    let _ = write!(
        out,
        "<h1>{}</h1>\n<p class=\"error\" role=\"alert\">{}</p>\n",
        e.status.canonical_reason().unwrap_or("Error"),
        Esc(&e.message)
    );
    page_end(&mut out);
    html(e.status, out, PAGE_POLICY)
}

/// `/assets/…`: the embedded stylesheet and script.
pub async fn asset(Path(name): Path<String>) -> Response {
    let (body, content_type) = match name.as_str() {
        "workbench.css" => (WORKBENCH_CSS, "text/css; charset=utf-8"),
        "workbench.js" => (WORKBENCH_JS, "text/javascript; charset=utf-8"),
        _ => return ApiError::not_found("no such asset").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_marks_a_cut() {
        assert_eq!(first_words("a b c", 2), "a b …");
        assert_eq!(first_words("a b", 2), "a b");
    }
}
