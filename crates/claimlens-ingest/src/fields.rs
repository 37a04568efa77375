//! Which JSONL keys and CSV columns hold which document field.

use claimlens_core::Metadata;

/// Names accepted for each document field, first match wins. The defaults cover the common
/// corpus dumps (news-please, CommonCrawl news extracts, Kaggle news CSVs, our own JSONL).
#[derive(Debug, Clone)]
pub struct FieldMap {
    /// Plain article text.
    pub text: Vec<String>,
    /// Raw HTML of the page (extracted like an HTML file) when no text field is present.
    pub html: Vec<String>,
    /// Document id.
    pub id: Vec<String>,
    /// Headline.
    pub title: Vec<String>,
    /// URL.
    pub url: Vec<String>,
    /// Outlet.
    pub outlet: Vec<String>,
    /// Byline.
    pub author: Vec<String>,
    /// Publication date.
    pub published: Vec<String>,
    /// Language tag.
    pub language: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

impl Default for FieldMap {
    fn default() -> Self {
        FieldMap {
            text: names(&[
                "text",
                "body",
                "content",
                "articleBody",
                "maintext",
                "article",
            ]),
            html: names(&["html", "raw_html", "page"]),
            id: names(&["id", "doc_id", "uuid", "article_id"]),
            title: names(&["title", "headline"]),
            url: names(&["url", "link", "source_url"]),
            outlet: names(&["outlet", "source", "site", "publisher", "source_domain"]),
            author: names(&["author", "authors", "byline"]),
            published: names(&[
                "published",
                "date",
                "date_publish",
                "published_at",
                "datePublished",
                "publish_date",
            ]),
            language: names(&["language", "lang"]),
        }
    }
}

impl FieldMap {
    /// Overrides one field's accepted names from a `FIELD=NAME` option; the given name is the
    /// only one accepted afterwards. Returns an error message for an unknown field.
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (field, name) = spec
            .split_once('=')
            .ok_or_else(|| format!("`{spec}`: expected FIELD=NAME, e.g. text=body"))?;
        let slot = match field {
            "text" => &mut self.text,
            "html" => &mut self.html,
            "id" => &mut self.id,
            "title" => &mut self.title,
            "url" => &mut self.url,
            "outlet" => &mut self.outlet,
            "author" => &mut self.author,
            "published" => &mut self.published,
            "language" => &mut self.language,
            other => {
                return Err(format!(
                    "unknown field `{other}` (text, html, id, title, url, outlet, author, \
                     published, language)"
                ))
            }
        };
        *slot = vec![name.to_owned()];
        Ok(())
    }

    /// The article-bearing field names, for error messages.
    pub fn describe_text_fields(&self) -> String {
        let all: Vec<&str> = self
            .text
            .iter()
            .chain(&self.html)
            .map(String::as_str)
            .collect();
        all.join(", ")
    }
}

/// A record's fields after mapping, before it becomes a `Doc`.
#[derive(Debug, Default)]
pub(crate) struct Record {
    pub text: Option<String>,
    pub html: Option<String>,
    pub id: Option<String>,
    pub meta: Metadata,
}

impl Record {
    /// Fills a record by asking `get` for each field's accepted names in order.
    pub fn from_lookup(map: &FieldMap, mut get: impl FnMut(&str) -> Option<String>) -> Record {
        let mut first = |names: &[String]| {
            names
                .iter()
                .find_map(|n| get(n).filter(|v| !v.trim().is_empty()))
        };
        Record {
            text: first(&map.text),
            html: first(&map.html),
            id: first(&map.id),
            meta: Metadata {
                title: first(&map.title),
                url: first(&map.url),
                outlet: first(&map.outlet),
                author: first(&map.author),
                published: first(&map.published),
                language: first(&map.language),
                ..Metadata::default()
            },
        }
    }
}
