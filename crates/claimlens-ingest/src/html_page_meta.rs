//! Metadata read from a page's own markup, for [`crate::html`]: `<meta>` tags (Open Graph,
//! `article:*`, Dublin Core, `author`), JSON-LD objects of an `Article` type, `<link
//! rel=canonical>`, microdata and `<time datetime>` dates and `<title>`; then merged with
//! what the extractor read (its values first, the outlet excepted) and cleaned
//! (`html_meta_clean`).

use claimlens_core::Metadata;
use dom_query::Document;
use dom_smoothie::Article;
use serde_json::Value;

use crate::html_meta_clean::{clean_byline, plausible_date, strip_site_suffix};

/// Trimmed, white-space-collapsed, non-empty.
fn clean(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// Metadata read directly from the page's markup.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    title: Option<String>,
    /// `og:site_name`: the name the site gives itself.
    og_site_name: Option<String>,
    /// `og:site_name`, else the JSON-LD publisher.
    site_name: Option<String>,
    /// Organisation names from JSON-LD (publisher, authors typed as organisations): never
    /// a byline, never a title suffix.
    organisations: Vec<String>,
    url: Option<String>,
    author: Option<String>,
    published: Option<String>,
    language: Option<String>,
}

/// `<meta>` keys (lower-cased `property`, `name` or `itemprop`) that give a publication
/// date, in order of preference after `article:published_time`.
const DATE_KEYS: &[&str] = &[
    "article:published",
    "datepublished",
    "og:published_time",
    "og:article:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "date",
];

/// `<meta>` keys that give a byline, in order of preference.
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
];

impl PageMeta {
    pub(crate) fn read(doc: &Document, given_url: Option<&str>) -> PageMeta {
        let metas = MetaTags::read(doc);
        let ld = JsonLd::read(doc);

        let canonical = doc
            .select("link[rel]")
            .nodes()
            .iter()
            .find(|n| {
                n.attr("rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("canonical"))
                })
            })
            .and_then(|n| n.attr("href"))
            .and_then(|href| absolute_url(&href, given_url));

        // Microdata `itemprop="datePublished"` on a visible element: its `datetime` or
        // `content` attribute, or its (short) text.
        let microdata_date = doc
            .select("[itemprop]")
            .nodes()
            .iter()
            .filter(|n| n.node_name().is_none_or(|name| &*name != "meta"))
            .find(|n| {
                n.attr("itemprop").is_some_and(|p| {
                    p.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("datePublished"))
                })
            })
            .and_then(|n| {
                n.attr("datetime")
                    .or_else(|| n.attr("content"))
                    .and_then(|d| clean(&d))
                    .or_else(|| clean(&n.text()).filter(|t| t.chars().count() <= 64))
            });
        let time_datetime = {
            let times = doc.select("time[datetime]");
            let nodes = times.nodes();
            nodes
                .iter()
                .find(|n| n.has_attr("pubdate"))
                .or_else(|| nodes.first())
                .and_then(|n| n.attr("datetime"))
                .and_then(|d| clean(&d))
        };

        let html_lang = doc
            .select("html[lang]")
            .nodes()
            .first()
            .and_then(|n| n.attr("lang"))
            .and_then(|l| clean(&l));

        let doc_title = doc
            .select("title")
            .nodes()
            .first()
            .and_then(|n| clean(&n.text()));

        let meta_author = {
            let names: Vec<String> = AUTHOR_KEYS
                .iter()
                .flat_map(|k| metas.all(k))
                .filter(|v| !v.starts_with("http://") && !v.starts_with("https://"))
                .collect();
            join_distinct(names)
        };

        PageMeta {
            title: metas
                .first("og:title")
                .or_else(|| metas.first("twitter:title"))
                .or_else(|| ld.headline.clone())
                .or(doc_title),
            og_site_name: metas.first("og:site_name"),
            site_name: metas.first("og:site_name").or_else(|| ld.publisher.clone()),
            organisations: ld.organisations.clone(),
            url: canonical
                .or_else(|| {
                    metas
                        .first("og:url")
                        .and_then(|u| absolute_url(&u, given_url))
                })
                .or_else(|| ld.url.as_deref().and_then(|u| absolute_url(u, given_url)))
                .or_else(|| given_url.and_then(clean)),
            author: meta_author.or_else(|| ld.author.clone()),
            published: metas
                .first("article:published_time")
                .filter(|d| plausible_date(d))
                .or_else(|| ld.date_published.clone().filter(|d| plausible_date(d)))
                .or_else(|| {
                    DATE_KEYS
                        .iter()
                        .find_map(|k| metas.first(k).filter(|d| plausible_date(d)))
                })
                .or(microdata_date)
                .or(time_datetime),
            language: html_lang
                .or_else(|| ld.language.clone())
                .or_else(|| metas.first("content-language"))
                .or_else(|| metas.first("dc.language"))
                .or_else(|| metas.first("language")),
        }
    }

    /// The page's own metadata, when the extractor produced none.
    pub(crate) fn alone(self) -> Metadata {
        let meta = Metadata {
            title: self.title,
            outlet: self.site_name,
            url: self.url,
            author: self.author,
            published: self.published,
            language: self.language,
            ..Metadata::default()
        };
        finish(meta, &self.organisations, None)
    }

    /// The extractor's values first; the page's fill the gaps. The outlet is the exception:
    /// `og:site_name` is the name a site gives itself, where the extractor prefers the
    /// JSON-LD publisher, often the company (`DH News Service` for `Deccan Herald`).
    pub(crate) fn merge(self, found: Article) -> Metadata {
        let pick = |theirs: Option<String>, ours: Option<String>| {
            theirs.as_deref().and_then(clean).or(ours)
        };
        let publisher = found.site_name.clone();
        let meta = Metadata {
            title: pick(Some(found.title), self.title),
            outlet: self
                .og_site_name
                .or_else(|| pick(found.site_name, self.site_name)),
            url: found
                .url
                .as_deref()
                .and_then(|u| absolute_url(u, self.url.as_deref()))
                .or(self.url),
            author: pick(found.byline, self.author),
            published: pick(
                found.published_time.filter(|d| plausible_date(d)),
                self.published,
            ),
            language: pick(found.lang, self.language),
            ..Metadata::default()
        };
        finish(meta, &self.organisations, publisher.as_deref())
    }
}

/// The cleaning rules of `html_meta_clean` applied to merged metadata: the title loses a
/// site-name suffix, the byline its prefixes, date lines and organisation names.
fn finish(mut meta: Metadata, organisations: &[String], publisher: Option<&str>) -> Metadata {
    let mut names: Vec<&str> = organisations.iter().map(String::as_str).collect();
    names.extend(meta.outlet.as_deref());
    names.extend(publisher);
    meta.title = meta.title.map(|t| strip_site_suffix(t, &names));
    meta.author = meta.author.and_then(|a| clean_byline(&a, &names));
    meta
}

/// `<meta>` key/content pairs, keys lower-cased (`property`, `name`, `itemprop` or
/// `http-equiv`).
struct MetaTags(Vec<(String, String)>);

impl MetaTags {
    fn read(doc: &Document) -> MetaTags {
        let mut pairs = Vec::new();
        for node in doc.select("meta[content]").nodes() {
            let Some(content) = node.attr("content").and_then(|c| clean(&c)) else {
                continue;
            };
            for attr in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(keys) = node.attr(attr) {
                    // `itemprop` and RDFa `property` may list several names.
                    for key in keys.split_ascii_whitespace() {
                        pairs.push((key.to_ascii_lowercase(), content.clone()));
                    }
                }
            }
        }
        MetaTags(pairs)
    }

    fn first(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// Fields of the first JSON-LD object of an `Article` type (`NewsArticle`, `BlogPosting`,
/// ...), searched through top-level arrays and `@graph`. Scripts that do not parse are
/// skipped.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    date_published: Option<String>,
    language: Option<String>,
    url: Option<String>,
    organisations: Vec<String>,
}

impl JsonLd {
    fn read(doc: &Document) -> JsonLd {
        for node in doc.select("script[type]").nodes() {
            let is_ld = node
                .attr("type")
                .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
            if !is_ld {
                continue;
            }
            let Ok(value) = serde_json::from_str::<Value>(node.text().trim()) else {
                continue;
            };
            if let Some(article) = find_article(&value) {
                return JsonLd::from_article(article);
            }
        }
        JsonLd::default()
    }

    fn from_article(a: &Value) -> JsonLd {
        let text = |key: &str| a.get(key).and_then(Value::as_str).and_then(clean);
        JsonLd {
            headline: text("headline").or_else(|| text("name")),
            author: a.get("author").and_then(|v| join_distinct(names(v))),
            organisations: ["author", "publisher"]
                .iter()
                .filter_map(|k| a.get(*k))
                .flat_map(organisation_names)
                .collect(),
            publisher: a.get("publisher").and_then(|v| names(v).into_iter().next()),
            date_published: text("datePublished"),
            language: text("inLanguage"),
            url: text("url").or_else(|| match a.get("mainEntityOfPage") {
                Some(Value::String(s)) => clean(s),
                Some(v) => v.get("@id").and_then(Value::as_str).and_then(clean),
                None => None,
            }),
        }
    }
}

/// Depth-first search for an object whose `@type` names an article.
fn find_article(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(map) => {
            if map.get("@type").is_some_and(is_article_type) {
                Some(v)
            } else {
                map.get("@graph").and_then(find_article)
            }
        }
        _ => None,
    }
}

fn is_article_type(t: &Value) -> bool {
    match t {
        Value::String(s) => s.ends_with("Article") || s.ends_with("BlogPosting"),
        Value::Array(ts) => ts.iter().any(is_article_type),
        _ => false,
    }
}

/// Names in a JSON-LD person/organisation value: a string, an object with `name`, or an
/// array of those.
fn names(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => clean(s).into_iter().collect(),
        Value::Object(map) => match map.get("name") {
            Some(Value::String(s)) => clean(s).into_iter().collect(),
            Some(other @ Value::Array(_)) => names(other),
            _ => Vec::new(),
        },
        Value::Array(items) => items.iter().flat_map(names).collect(),
        _ => Vec::new(),
    }
}

/// Names of the objects typed as an organisation (`Organization`,
/// `NewsMediaOrganization`, ...) in a JSON-LD author or publisher value.
fn organisation_names(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(organisation_names).collect(),
        Value::Object(map) => {
            let is_org = |t: &Value| t.as_str().is_some_and(|t| t.ends_with("Organization"));
            let typed = match map.get("@type") {
                Some(Value::Array(ts)) => ts.iter().any(is_org),
                Some(t) => is_org(t),
                None => false,
            };
            if typed {
                names(v)
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    }
}

/// Distinct values in first-seen order, joined with ", ".
fn join_distinct(values: Vec<String>) -> Option<String> {
    let mut seen: Vec<String> = Vec::new();
    for v in values {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(&v)) {
            seen.push(v);
        }
    }
    (!seen.is_empty()).then(|| seen.join(", "))
}

/// An absolute http(s) URL: `href` itself, or a root-relative (`/path`) or
/// scheme-relative (`//host/path`) `href` resolved against an absolute `base`.
pub(crate) fn absolute_url(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if has_http_scheme(href) {
        return (href.len() > href.find("://")? + 3).then(|| href.to_owned());
    }
    let base = base.map(str::trim).filter(|b| has_http_scheme(b))?;
    let scheme_end = base.find("://")?;
    if let Some(rest) = href.strip_prefix("//") {
        return (!rest.is_empty()).then(|| format!("{}//{rest}", &base[..=scheme_end]));
    }
    if href.starts_with('/') {
        let host_end = base[scheme_end + 3..]
            .find(['/', '?', '#'])
            .map_or(base.len(), |i| scheme_end + 3 + i);
        return Some(format!("{}{href}", &base[..host_end]));
    }
    None
}

fn has_http_scheme(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}
