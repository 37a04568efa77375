//! The "Known narratives" section of the side panel: each matched claim (a jump to its
//! highlight) with its cases beside it — title, date, verdict, source, summary, score and a
//! link to the case — then the article's best cases. Everything from the cases is escaped,
//! and a case's address becomes a link only when it is an http(s) URL.

use std::io::{self, Write};

use claimlens_core::{CharIndex, Doc};
use claimlens_schema::layer;

use super::panel::highlight_id;
use super::{Esc, Shown};
use crate::digest::{CaseMatch, KnownNarratives};
use crate::snippet::{Snippet, SNIPPET_CHARS};

/// Writes the section; nothing without a `narratives` layer (no store of cases was used).
pub(super) fn write_narratives<W: Write>(
    w: &mut W,
    n: usize,
    doc: &Doc,
    idx: &CharIndex<'_>,
    known: Option<&KnownNarratives>,
) -> io::Result<()> {
    let Some(known) = known else {
        return Ok(());
    };
    writeln!(
        w,
        "<details class=\"sec narratives\" open><summary>Known narratives <span class=\"n\">({})</span></summary>",
        known.claims.len()
    )?;
    if known.claims.is_empty() {
        w.write_all(b"<p class=\"none\">No stored case matches this article's claims.</p>\n")?;
        return w.write_all(b"</details>\n");
    }
    if let Some(matcher) = &known.matcher {
        writeln!(w, "<p class=\"hint\">Matcher: {}</p>", Shown::text(matcher))?;
    }
    writeln!(
        w,
        "<p class=\"hint\">{}</p>",
        Shown::text(crate::digest::PROBABILITY_NOTE)
    )?;
    w.write_all(b"<ul class=\"items\">\n")?;
    for claim in &known.claims {
        let shown: Shown<'_> = Snippet::of(doc.text(), idx, claim.span, SNIPPET_CHARS).into();
        let target = highlight_id(doc, n, layer::NARRATIVES, claim.cases[0].index);
        writeln!(
            w,
            "<li class=\"item\"><button type=\"button\" class=\"jump\" data-target=\"{}\"><bdi class=\"snip\"{}>{}</bdi></button>",
            Esc(&target),
            shown.title(),
            shown
        )?;
        write_cases(w, &claim.cases)?;
        w.write_all(b"</li>\n")?;
    }
    w.write_all(b"</ul>\n")?;
    if !known.article.is_empty() {
        w.write_all(b"<p class=\"hint\">The article's best:</p>\n")?;
        write_cases(w, &known.article)?;
    }
    w.write_all(b"</details>\n")
}

fn write_cases<W: Write>(w: &mut W, cases: &[CaseMatch]) -> io::Result<()> {
    w.write_all(b"<ol class=\"cases\">\n")?;
    for case in cases {
        let headline = Shown::text(&case.headline);
        w.write_all(b"<li class=\"case\">")?;
        match case.url.as_deref().and_then(web_link) {
            Some(url) => write!(
                w,
                "<a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\"><strong><bdi>{}</bdi></strong></a>",
                Esc(url),
                headline
            )?,
            None => write!(w, "<strong><bdi>{headline}</bdi></strong>")?,
        }
        if let Some(date) = &case.date {
            write!(w, " <span class=\"off\">{}</span>", Shown::text(date))?;
        }
        if let Some(verdict) = &case.verdict {
            write!(w, " <span class=\"rule\">{}</span>", Shown::text(verdict))?;
        }
        write!(
            w,
            " <span class=\"n\">{} · probability {:.2}",
            Shown::text(&case.source),
            case.score
        )?;
        if let Some(similarity) = case.similarity {
            write!(w, " · similarity {similarity:.2}")?;
        }
        w.write_all(b"</span>")?;
        if let Some(summary) = &case.summary {
            write!(w, " <bdi class=\"snip\">{}</bdi>", Shown::text(summary))?;
        }
        w.write_all(b"</li>\n")?;
    }
    w.write_all(b"</ol>\n")
}

/// The address when it is an http or https URL without white space or control characters
/// (a `javascript:` or `data:` address is shown as text, never linked).
fn web_link(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control());
    (web && clean && url.len() > "https://".len()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::web_link;

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            web_link(" https://checks.example/a?b=1&c=2 "),
            Some("https://checks.example/a?b=1&c=2")
        );
        assert_eq!(web_link("HTTP://x.example"), Some("HTTP://x.example"));
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<b>",
            "//evil.example",
            "https://a b",
            "http://",
            "ftp://x.example",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
    }
}
