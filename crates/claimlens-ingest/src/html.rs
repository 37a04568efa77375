//! HTML pages into the main article text and its metadata.
//!
//! The main text comes from [`dom_smoothie`](https://crates.io/crates/dom_smoothie), a Rust
//! port of Mozilla's Readability.js; its formatted text is only re-flowed here: white space
//! runs inside a line become one space, and paragraphs are separated by exactly one blank
//! line. [`extract_article_with`] takes [`ExtractOptions`]: the other candidate extractor
//! ([`rs-trafilatura`](https://crates.io/crates/rs-trafilatura), behind a depth guard), a
//! fallback between the two, a per-page selector between their texts (`html_select`), and
//! the pipeline's own rules switched off. The default was chosen by 3-fold cross-validation
//! on the article-extraction benchmark (`claimlens eval extraction --folds 3`, see
//! `claimlens-eval`'s `extraction_cv`): both extractors run and the page keeps
//! trafilatura's text unless it has more words than Readability's (held-out F1 0.974, folds
//! 0.968-0.981, against 0.960 for Readability alone and 0.962 for trafilatura alone), at
//! about a fifth of Readability's speed. Neither rule (short unreadable pages, body
//! fallback) fires on any benchmark page.
//!
//! Metadata takes the extractor's own values where it has them (it reads `<meta>` tags,
//! JSON-LD and `<html lang>`; the outlet is the exception, `og:site_name` first), and fills
//! the gaps from the page (`html_page_meta`): `<meta>` tags (Open Graph,
//! `article:*`, Dublin Core, `author`), JSON-LD objects of an `Article` type (`NewsArticle`,
//! `BlogPosting`, ...), `<link rel=canonical>`, `<time datetime>` and `<title>`. The merged
//! values are then cleaned (`html_meta_clean`): a site-name suffix leaves the title;
//! prefixes, date lines and organisation names leave the byline; placeholder dates are
//! dropped.
//!
//! Malformed HTML never panics, and pathological nesting is refused before it costs
//! minutes: a linear scan of the raw tags refuses pages that keep more than
//! [`MAX_RAW_BLOCK_DEPTH`] block or formatting elements open (the HTML parser is quadratic
//! there), the page is parsed once and refused when its elements nest deeper than
//! [`MAX_DEPTH`] (the extractor is quadratic there), and a panic inside the extractor
//! becomes [`HtmlError::Extractor`].
//!
//! ```
//! use claimlens_ingest::html::extract_article;
//!
//! let page = r#"<html lang="en"><head><title>Harbour reopens | Coast Post</title>
//!   <meta property="og:site_name" content="Coast Post"></head>
//!   <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
//!   <article><h1>Harbour reopens</h1>
//!   <p>The harbour reopened on Monday after three weeks of repairs to the sea wall, the port
//!   authority said in a statement.</p>
//!   <p>Fishing crews returned before dawn, and the first catch was landed by seven.</p>
//!   </article><footer>© Coast Post</footer></body></html>"#;
//! let article = extract_article(page, Some("https://coast.example/harbour")).unwrap();
//! assert!(article.text.starts_with("The harbour reopened on Monday"));
//! assert!(article.text.contains("statement.\n\nFishing crews"));
//! assert_eq!(article.meta.outlet.as_deref(), Some("Coast Post"));
//! assert_eq!(article.meta.language.as_deref(), Some("en"));
//! ```

use std::panic::{catch_unwind, AssertUnwindSafe};

use claimlens_core::Metadata;
use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability, ReadabilityError, TextMode};

use crate::html_method;
pub use crate::html_method::{ExtractOptions, Extractor, TRAFILATURA_MAX_DEPTH};
use crate::html_page_meta::{absolute_url, PageMeta};

/// Deepest element nesting accepted. Real pages stay far below it (the deepest of the 121
/// benchmark pages nests 51 levels); generated or hostile pages beyond it would take the
/// extractor seconds to minutes.
pub const MAX_DEPTH: usize = 512;

/// Most block and formatting tags (`div`, `section`, `ul`, `b`, `font`, ...) a page may have
/// open at once, counted on the raw markup before parsing. The HTML parser itself takes
/// quadratic time on such nesting (it walks the open-element stack at each such tag), so a
/// page made of nothing but 100,000 `<div>`s would take the better part of a minute just to
/// parse; this scan refuses it in linear time. Set well above [`MAX_DEPTH`] because the
/// count ignores implied end tags.
pub const MAX_RAW_BLOCK_DEPTH: usize = 8 * MAX_DEPTH;

/// Fewest words an extraction needs when Readability's own "probably readable" check fails
/// on the page; below it the page is taken to have no article (a navigation-only page
/// otherwise yields its one link text).
const MIN_WORDS_UNREADABLE: usize = 20;

/// The main article of an HTML page (or, failing one, its body text: see
/// [`Extracted::whole_body`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Main article text: paragraphs separated by one blank line (`"\n\n"`), no leading or
    /// trailing white space.
    pub text: String,
    /// Title, outlet, canonical URL, byline, publication date and language, as found.
    pub meta: Metadata,
    /// The extractor found no article, and `text` is the page's body text (menus, scripts
    /// and other furniture left out) because it holds at least one real paragraph: short
    /// pages, such as a one-paragraph notice, that Readability gives up on.
    pub whole_body: bool,
    /// The extractor whose text `text` is (meaningless when `whole_body`).
    pub extractor: Extractor,
    /// rs-trafilatura was asked for but not run, because the page nests deeper than
    /// [`TRAFILATURA_MAX_DEPTH`].
    pub depth_guarded: bool,
}

/// Why no article could be extracted from a page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HtmlError {
    /// The input has no markup at all (no `<tag>`), so it is not an HTML page.
    #[error("input is not HTML: no markup tags found")]
    NotHtml,
    /// The page parsed, but the extractor found no article text in it.
    #[error("no article text found in the page")]
    NoArticle,
    /// The page nests elements deeper than [`MAX_DEPTH`] (or, before parsing, opens more
    /// unclosed block tags in a row than [`MAX_RAW_BLOCK_DEPTH`]).
    #[error("HTML elements nest too deeply: {depth} levels, over the limit of {limit}")]
    TooDeep {
        /// Deepest nesting found.
        depth: usize,
        /// The limit it exceeds.
        limit: usize,
    },
    /// The extractor reported an error or panicked.
    #[error("article extractor failed: {0}")]
    Extractor(String),
}

/// Extracts the main article text and metadata from an HTML page, with the default
/// [`ExtractOptions`].
///
/// `url` is where the page came from, when known: it resolves a relative canonical link and
/// is the URL of last resort.
pub fn extract_article(html: &str, url: Option<&str>) -> Result<Extracted, HtmlError> {
    extract_article_with(html, url, &ExtractOptions::default())
}

/// [`extract_article`] with the extractor and rules given by `options`.
pub fn extract_article_with(
    html: &str,
    url: Option<&str>,
    options: &ExtractOptions,
) -> Result<Extracted, HtmlError> {
    if !looks_like_html(html) {
        return Err(HtmlError::NotHtml);
    }
    match catch_unwind(AssertUnwindSafe(|| extract_unguarded(html, url, options))) {
        Ok(result) => result,
        Err(panic) => Err(HtmlError::Extractor(panic_message(panic.as_ref()))),
    }
}

fn extract_unguarded(
    html: &str,
    url: Option<&str>,
    options: &ExtractOptions,
) -> Result<Extracted, HtmlError> {
    let raw_depth = raw_open_depth(html);
    if raw_depth > MAX_RAW_BLOCK_DEPTH {
        return Err(HtmlError::TooDeep {
            depth: raw_depth,
            limit: MAX_RAW_BLOCK_DEPTH,
        });
    }
    let doc = Document::from(html);
    let depth = max_depth(doc.root());
    if depth > MAX_DEPTH {
        return Err(HtmlError::TooDeep {
            depth,
            limit: MAX_DEPTH,
        });
    }
    // Read before the extractor, which rewrites the document in place.
    let page = PageMeta::read(&doc, url);
    let readable = dom_smoothie::is_probably_readable(&doc, None, None);

    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    // The extractor only uses the URL to absolutise links, and rejects relative ones.
    let base = url.filter(|u| absolute_url(u, None).is_some());
    let article =
        match Readability::with_document(doc, base, Some(config)).and_then(|mut r| r.parse()) {
            Ok(article) => Some(article),
            Err(ReadabilityError::GrabFailed) => None,
            Err(other) => return Err(HtmlError::Extractor(other.to_string())),
        };
    let readability_text = article
        .as_ref()
        .map(|a| reflow(&a.text_content))
        .filter(|text| {
            let words = text.split_whitespace().count();
            text.chars().any(char::is_alphanumeric)
                && (readable || !options.short_unreadable_rule || words >= MIN_WORDS_UNREADABLE)
        });

    let depth_guarded = options.needs_trafilatura() && depth > TRAFILATURA_MAX_DEPTH;
    let trafilatura_text = if options.needs_trafilatura() && !depth_guarded {
        html_method::trafilatura_text(html, url).map(|t| reflow(&t))
    } else {
        None
    };

    let meta = match article {
        Some(article) => page.merge(article),
        None => page.alone(),
    };
    let chosen = options.choose(readability_text.as_deref(), trafilatura_text.as_deref());
    let text = match chosen {
        Some(Extractor::Trafilatura) => trafilatura_text,
        Some(_) => readability_text,
        None => None,
    };
    if let (Some(text), Some(extractor)) = (text, chosen) {
        return Ok(Extracted {
            text,
            meta,
            whole_body: false,
            extractor,
            depth_guarded,
        });
    }
    if !options.body_fallback {
        return Err(HtmlError::NoArticle);
    }
    body_fallback(html, meta, depth_guarded)
}

/// When no extractor finds an article, a page that still holds a real paragraph keeps its
/// body text ([`Extracted::whole_body`]); see `html_body`.
fn body_fallback(html: &str, meta: Metadata, depth_guarded: bool) -> Result<Extracted, HtmlError> {
    let text = crate::html_body::body_text(html).ok_or(HtmlError::NoArticle)?;
    Ok(Extracted {
        text,
        meta,
        whole_body: true,
        extractor: Extractor::default(),
        depth_guarded,
    })
}

/// True when the input contains at least one tag-like `<x`, `</x`, `<!` or `<?` followed
/// later by `>`.
fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'<', &b[from..]).map(|i| i + from) {
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        let starts_tag = next.is_ascii_alphabetic()
            || matches!(next, b'!' | b'?')
            || (next == b'/' && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic));
        if starts_tag && memchr::memchr(b'>', &b[i..]).is_some() {
            return true;
        }
        from = i + 1;
    }
    false
}

/// Elements the parser handles in time that grows with the open-element stack: block
/// elements (their start tag looks for an open `<p>`) and formatting elements (re-opened
/// before every text run while unclosed).
const STACK_COSTLY_TAGS: &[&[u8]] = &[
    b"div",
    b"section",
    b"article",
    b"aside",
    b"nav",
    b"header",
    b"footer",
    b"main",
    b"blockquote",
    b"ul",
    b"ol",
    b"dl",
    b"fieldset",
    b"figure",
    b"figcaption",
    b"details",
    b"summary",
    b"center",
    b"address",
    b"menu",
    b"dir",
    b"hgroup",
    b"dialog",
    b"a",
    b"b",
    b"big",
    b"code",
    b"em",
    b"font",
    b"i",
    b"nobr",
    b"s",
    b"small",
    b"strike",
    b"strong",
    b"tt",
    b"u",
];

/// Most [`STACK_COSTLY_TAGS`] open at once on the raw markup: each tag name counts its own
/// start tags up and end tags down, and the counts are summed (comments and scripts
/// included: a cheap upper bound, not a parse).
fn raw_open_depth(html: &str) -> usize {
    let b = html.as_bytes();
    let mut open = [0usize; STACK_COSTLY_TAGS.len()];
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut from = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[from..]).map(|i| i + from) {
        from = lt + 1;
        let closing = b.get(lt + 1) == Some(&b'/');
        let start = lt + 1 + usize::from(closing);
        let len = b[start..]
            .iter()
            .take(12)
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let ends = b
            .get(start + len)
            .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'));
        if !ends {
            continue;
        }
        let name = &b[start..start + len];
        let Some(tag) = STACK_COSTLY_TAGS
            .iter()
            .position(|t| t.eq_ignore_ascii_case(name))
        else {
            continue;
        };
        if !closing {
            open[tag] += 1;
            depth += 1;
            deepest = deepest.max(depth);
        } else if open[tag] > 0 {
            open[tag] -= 1;
            depth -= 1;
        }
    }
    deepest
}

/// Deepest element nesting below `root`, walked without recursion.
fn max_depth(root: NodeRef<'_>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        let mut child = node.first_child();
        while let Some(c) = child {
            if c.is_element() {
                stack.push((c, depth + 1));
            }
            child = c.next_sibling();
        }
    }
    deepest
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_owned());
    format!("internal failure ({what})")
}

/// Re-flows extractor output: white space runs inside a line become one space, lines are
/// trimmed, and one or more blank lines become exactly one blank line between paragraphs.
/// Single line breaks inside a paragraph (list items, `<br>`) are kept.
fn reflow(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_before = false;
    for line in raw.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            blank_before = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_before { "\n\n" } else { "\n" });
        }
        blank_before = false;
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A news page with the usual boilerplate around one article.
    const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Council approves harbour wall repairs | Northshore Gazette</title>
  <link rel="canonical" href="/news/2024/03/harbour-wall">
  <meta property="og:site_name" content="Northshore Gazette">
  <meta property="og:title" content="Council approves harbour wall repairs">
  <meta property="article:published_time" content="2024-03-05T08:30:00+00:00">
  <script type="application/ld+json">
  {"@context": "https://schema.org", "@type": "NewsArticle",
   "headline": "Council approves harbour wall repairs",
   "datePublished": "2024-03-05T08:30:00Z",
   "author": [{"@type": "Person", "name": "Maria Keane"},
              {"@type": "Person", "name": "Tom Ashby"}],
   "publisher": {"@type": "Organization", "name": "Northshore Gazette Ltd"}}
  </script>
</head>
<body>
  <header class="site-header">
    <nav class="main-nav"><ul>
      <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
      <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
      <li><a href="/subscribe">Subscribe today and save</a></li>
    </ul></nav>
  </header>
  <div class="ad-slot advert">Advertisement: Buy the new Harbourline kayak now, 20% off</div>
  <main>
    <article class="article">
      <h1>Council approves harbour wall repairs</h1>
      <p class="byline">By Maria Keane and Tom Ashby</p>
      <div class="article-body">
        <p>The town council voted on Tuesday to spend 2.4 million pounds repairing the harbour
        wall, which was damaged in the January storms, after a debate that lasted most of the
        evening.</p>
        <p>Councillor Ruth Dale said the work could not wait another winter. "Every tide takes
        a little more of the wall with it," she told the meeting, adding that engineers had
        warned of a partial collapse.</p>
        <p>Opponents argued that the money should come from the regional flood fund instead,
        but the motion passed by eleven votes to four. Work is expected to start in May and to
        last about six months.</p>
        <p>Fishing crews, who moor their boats inside the wall, welcomed the decision but asked
        for the works to be phased so that the harbour stays open during the summer season.</p>
      </div>
    </article>
    <aside class="related"><h3>Related stories</h3><ul>
      <li><a href="/a">Storm damage bill rises</a></li>
      <li><a href="/b">Ferry timetable changes</a></li></ul></aside>
  </main>
  <footer class="site-footer"><p>© 2024 Northshore Gazette. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body>
</html>"#;

    fn news() -> Extracted {
        extract_article(NEWS_PAGE, Some("https://northshore.example/news?id=7")).unwrap()
    }

    #[test]
    fn extracts_the_article_body_without_boilerplate() {
        let a = news();
        assert!(
            a.text.starts_with("The town council voted on Tuesday"),
            "{}",
            a.text
        );
        assert!(a.text.ends_with("during the summer season."), "{}", a.text);
        assert_eq!(a.text.split("\n\n").count(), 4, "{}", a.text);
        for boilerplate in [
            "Subscribe",
            "Advertisement",
            "Related stories",
            "Privacy",
            "rights reserved",
        ] {
            assert!(!a.text.contains(boilerplate), "{boilerplate} in {}", a.text);
        }
    }

    #[test]
    fn paragraphs_are_separated_by_exactly_one_blank_line() {
        let a = news();
        assert!(
            a.text.contains("evening.\n\nCouncillor Ruth Dale"),
            "{}",
            a.text
        );
        assert!(!a.text.contains("\n\n\n"));
        assert_eq!(a.text.trim(), a.text);
        // Source line breaks inside a paragraph are re-flowed.
        assert!(
            a.text.contains("repairing the harbour wall, which"),
            "{}",
            a.text
        );
        assert!(!a.text.contains("  "));
    }

    #[test]
    fn reads_metadata_from_meta_tags_and_json_ld() {
        let m = news().meta;
        assert_eq!(
            m.title.as_deref(),
            Some("Council approves harbour wall repairs")
        );
        // The outlet is the name the site gives itself (og:site_name), not the JSON-LD
        // publisher (often the company); the extractor prefers JSON-LD for the date.
        assert_eq!(m.outlet.as_deref(), Some("Northshore Gazette"));
        assert_eq!(m.published.as_deref(), Some("2024-03-05T08:30:00Z"));
        assert_eq!(m.author.as_deref(), Some("Maria Keane, Tom Ashby"));
        // The relative canonical link is resolved against the page URL.
        assert_eq!(
            m.url.as_deref(),
            Some("https://northshore.example/news/2024/03/harbour-wall")
        );
        assert_eq!(m.language.as_deref(), Some("en-GB"));
    }

    #[test]
    fn json_ld_fills_gaps_when_meta_tags_are_missing() {
        let page = r#"<html><head><title>Plain title</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"Valley Times Online"},
 {"@type":["ReportageNewsArticle"],"headline":"Bridge closed for inspection",
  "datePublished":"2023-11-02","inLanguage":"en-US",
  "author":[{"name":"Ana Lima"},{"name":"Joe Park"}],
  "publisher":{"@type":"Organization","name":"Valley Times"},
  "mainEntityOfPage":{"@id":"https://valley.example/bridge"}}]}
</script></head><body><div id="story">
<p>The old river bridge was closed to traffic on Thursday morning so that engineers could
inspect cracks found in two of its supporting piers during a routine survey.</p>
<p>Drivers were told to use the bypass, adding around fifteen minutes to journeys between the
two halves of the town, and buses were diverted until further notice.</p>
<p>The county said it expected to publish the inspection report within a fortnight.</p>
</div></body></html>"#;
        let m = extract_article(page, None).unwrap().meta;
        assert_eq!(m.author.as_deref(), Some("Ana Lima, Joe Park"));
        assert_eq!(m.outlet.as_deref(), Some("Valley Times"));
        assert_eq!(m.published.as_deref(), Some("2023-11-02"));
        assert_eq!(m.language.as_deref(), Some("en-US"));
        assert_eq!(m.url.as_deref(), Some("https://valley.example/bridge"));
    }

    #[test]
    fn malformed_json_ld_is_ignored_and_time_element_gives_the_date() {
        let page = r#"<html><head>
<script type="application/ld+json">{"@type": "NewsArticle", "author": [ {"name": }</script>
<meta name="author" content="Sam Rowe"></head><body><article>
<p>Posted <time datetime="2022-06-30T14:00:00+02:00">30 June</time></p>
<p>The library will stay open until nine in the evening during the exam period, the
university announced, after students collected more than two thousand signatures.</p>
<p>Extra staff will be hired for the late shifts, and the café on the ground floor will also
extend its hours until the end of July.</p>
</article></body></html>"#;
        let a = extract_article(page, Some("https://uni.example/library")).unwrap();
        assert!(a.text.contains("two thousand signatures"), "{}", a.text);
        assert_eq!(a.meta.author.as_deref(), Some("Sam Rowe"));
        assert_eq!(
            a.meta.published.as_deref(),
            Some("2022-06-30T14:00:00+02:00")
        );
        assert_eq!(a.meta.url.as_deref(), Some("https://uni.example/library"));
    }

    #[test]
    fn dates_from_multi_name_itemprop_and_microdata() {
        let body = "<article><p>The ferry service between the islands will run twice a day \
                    from June, the operator said, after a winter of single sailings and \
                    repeated cancellations caused by storms.</p><p>Tickets go on sale next week \
                    and prices stay the same as last year.</p></article>";
        let multi = format!(
            r#"<html><head><meta property="article:published" itemprop="datePublished dateCreated"
               content="2019-11-19T11:00:09.000Z"></head><body>{body}</body></html>"#
        );
        let m = extract_article(&multi, None).unwrap().meta;
        assert_eq!(m.published.as_deref(), Some("2019-11-19T11:00:09.000Z"));
        let microdata = format!(
            r#"<html><body><p>Published <span itemprop="datePublished">12 May 2021</span></p>
               {body}</body></html>"#
        );
        let m = extract_article(&microdata, None).unwrap().meta;
        assert_eq!(m.published.as_deref(), Some("12 May 2021"));
    }

    #[test]
    fn a_short_news_brief_is_still_an_article() {
        // Readability's own "probably readable" check fails here (no paragraph reaches 140
        // characters), but the extraction has enough words to be kept.
        let page = "<html><body><nav><a href='/'>Home</a></nav><article>\
                    <p>Police closed the coast road on Friday after a lorry overturned.</p>\
                    <p>No one was hurt, and the road reopened three hours later.</p>\
                    </article></body></html>";
        let a = extract_article(page, None).unwrap();
        assert_eq!(
            a.text,
            "Police closed the coast road on Friday after a lorry overturned.\n\n\
             No one was hurt, and the road reopened three hours later."
        );
    }

    #[test]
    fn keeps_non_ascii_text_intact() {
        let page = r#"<html lang="de"><head><meta charset="utf-8"><title>Rathaus</title></head>
<body><nav><a href="/">Startseite</a> · <a href="/politik">Politik</a></nav><article>
<p>Der Gemeinderat hat am Dienstag beschlossen, das Rathaus für 3,5 Millionen Euro zu
sanieren. „Wir können nicht länger warten“, sagte Bürgermeisterin Jördis Weiß.</p>
<p>Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern; während dieser Zeit
zieht die Verwaltung in ein Gebäude an der Großen Straße.</p>
<p>Tokyo 東京 and Zürich are twinned — naïve café résumé 🚀 stays as written.</p>
</article></body></html>"#;
        let a = extract_article(page, None).unwrap();
        assert!(
            a.text.contains("„Wir können nicht länger warten“"),
            "{}",
            a.text
        );
        assert!(a.text.contains("Jördis Weiß"));
        assert!(a.text.contains("東京"), "{}", a.text);
        assert!(a.text.contains("🚀"), "{}", a.text);
        assert!(!a.text.contains("Startseite"));
        assert_eq!(a.meta.language.as_deref(), Some("de"));
    }

    #[test]
    fn malformed_html_does_not_panic() {
        let article = "<p>Unclosed paragraph about the flood defences, which were raised \
                       by half a metre last year after repeated warnings from engineers.";
        let pages = [
            format!("<html><body><div><article>{article}<p>Second <b>bold <i>part"),
            format!("<<<>>><</>><!--{article}"),
            "<html><head><title>x</title></head><body></body></html>".to_owned(),
            "<html><body><table><tr><td><table><td>cell".repeat(50),
            "\u{0}<p>\u{0}</p>\u{feff}<script>var a = '</p>';".to_owned(),
            format!("<p>{}", "<span>".repeat(400)),
        ];
        for page in &pages {
            // Any outcome but a panic is fine; errors must say what went wrong.
            if let Err(e) = extract_article(page, Some("not a url")) {
                assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn refuses_pathologically_deep_nesting() {
        let page = format!(
            "<html><body>{}<p>deep text here</p></body></html>",
            "<div>".repeat(MAX_DEPTH + 10)
        );
        let err = extract_article(&page, None).unwrap_err();
        assert!(
            matches!(
                err,
                HtmlError::TooDeep {
                    limit: MAX_DEPTH,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("nest too deeply"), "{err}");
    }

    #[test]
    fn refuses_huge_block_nesting_before_parsing_it() {
        let page = format!("<html><body>{}<p>text</p>", "<div class=x>".repeat(100_000));
        let started = std::time::Instant::now();
        let err = extract_article(&page, None).unwrap_err();
        assert_eq!(
            err,
            HtmlError::TooDeep {
                depth: 100_000,
                limit: MAX_RAW_BLOCK_DEPTH
            }
        );
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        // Balanced blocks, however many, are fine for the scan.
        assert_eq!(raw_open_depth(&"<div><p>x</p></div>".repeat(10_000)), 1);
        assert_eq!(raw_open_depth("<DIV><Section><divx></Section>"), 2);
        // An end tag only closes its own name.
        assert_eq!(raw_open_depth(&"<b>x</i>".repeat(100)), 100);
    }

    #[test]
    fn nesting_at_the_limit_is_still_extracted() {
        let body = "The coastal path reopened after the landslide, and walkers returned in \
                    large numbers over the weekend despite the rain and the wind. "
            .repeat(4);
        let page = format!(
            "<html><body>{}<p>{body}</p></body></html>",
            "<div>".repeat(MAX_DEPTH - 5)
        );
        let a = extract_article(&page, None).unwrap();
        assert!(
            a.text.starts_with("The coastal path reopened"),
            "{}",
            a.text
        );
    }

    #[test]
    fn plain_text_is_not_html() {
        for input in [
            "",
            "   ",
            "Just a sentence, with 3 < 4 and 5 > 2.",
            "a <3 b",
        ] {
            assert_eq!(
                extract_article(input, None),
                Err(HtmlError::NotHtml),
                "{input:?}"
            );
        }
        assert_eq!(
            HtmlError::NotHtml.to_string(),
            "input is not HTML: no markup tags found"
        );
    }

    #[test]
    fn a_page_without_an_article_is_an_error() {
        let pages = [
            "<html><head><title>Empty</title></head><body></body></html>",
            "<html><body><nav><a href='/'>Home</a></nav><script>var x = 1;</script>\
             <footer><a href='/privacy'>Privacy</a></footer></body></html>",
            "<html><body><p> \u{a0} </p><p>...</p></body></html>",
        ];
        for page in pages {
            assert_eq!(
                extract_article(page, None),
                Err(HtmlError::NoArticle),
                "{page}"
            );
        }
    }

    #[test]
    fn reflow_normalises_white_space_and_paragraph_breaks() {
        assert_eq!(
            reflow("  One  two\tthree \n\n\n \u{a0}\n Four\nfive  \n\n"),
            "One two three\n\nFour\nfive"
        );
        assert_eq!(reflow(" \n \n"), "");
    }

    #[test]
    fn recognises_html_like_input() {
        assert!(looks_like_html("<p>x</p>"));
        assert!(looks_like_html("text <!-- c --> text"));
        assert!(looks_like_html("</div>"));
        assert!(!looks_like_html("x < y and y > z"));
        assert!(!looks_like_html("<p unterminated"));
    }

    #[test]
    fn absolute_urls_only() {
        assert_eq!(
            absolute_url("/a/b", Some("https://x.example/c")).as_deref(),
            Some("https://x.example/a/b")
        );
        assert_eq!(absolute_url("/a/b", None), None);
        assert_eq!(absolute_url("javascript:void(0)", None), None);
        assert_eq!(
            absolute_url(" https://x.example/p ", None).as_deref(),
            Some("https://x.example/p")
        );
    }
}
