//! `claimlens search`: full-text search of a store with the listing filters, as text or
//! JSON. The query language, ranking and snippets are the store's (docs/store.md, Search);
//! this file reads flags and prints.

use std::borrow::Cow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use claimlens_export::terminal::clean;
use claimlens_store::{SearchHit, SearchQuery};
use clap::{Args, ValueEnum};

use crate::ingest::existing_store_location;

/// Output formats of `claimlens search`.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One block per document: date, outlet, title, id, then the snippet with matches in
    /// brackets.
    Text,
    /// The page as the store returns it: `{"total", "items": [SearchHit]}` (docs/store.md).
    Json,
}

/// Arguments of `claimlens search`.
#[derive(Args)]
#[command(after_help = "\
The query: words (all must occur), \"a phrase\", OR, NOT, AND, parentheses, prefix*, and
title:word or text:word for one column (NEAR(…) too on SQLite). Words match whatever their
case and accents. Results are ranked best first; snippets show where the words matched.

Examples:
  claimlens ingest --db corpus.db news.jsonl
  claimlens search --db corpus.db 'harbour reopen*'
  claimlens search --db corpus.db '\"chemical attack\" NOT exercise' --from 2019-05-01 --to 2019-05-31
  claimlens search --db corpus.db 'port' --speaker 'Maria Lopez' --outlet 'Daily Ledger'
  claimlens search --db corpus.db 'ceasefire' --layer claims --type CLAIM --format json")]
pub struct SearchArgs {
    /// What to search for.
    query: String,
    /// The store written by `claimlens ingest`: a path, or a postgres:// URL. Default:
    /// claimlens/corpus.db in the user's data folder.
    #[arg(long, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    /// Only documents quoting this speaker (a name as `claimlens speakers` lists it).
    #[arg(long)]
    speaker: Option<String>,
    /// Only this outlet (exact).
    #[arg(long)]
    outlet: Option<String>,
    /// Only documents published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only documents published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Only this language tag (exact, as stored: en, en-GB).
    #[arg(long)]
    language: Option<String>,
    /// Only documents with an annotation in this layer (claims, techniques, entities, …).
    #[arg(long)]
    layer: Option<String>,
    /// Only documents with an annotation of this type (CLAIM, Loaded_Language, …), in
    /// --layer when given.
    #[arg(long = "type", value_name = "TYPE")]
    annotation_type: Option<String>,
    /// Hits to list (at most 500).
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: u32,
    /// Hits to skip.
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: u32,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Accepted as every corpus command accepts it, so a script can pass it to all; this
    /// command shows no progress bar.
    #[arg(long, hide = true)]
    no_progress: bool,
}

pub fn run(args: SearchArgs) -> Result<ExitCode> {
    let location = existing_store_location(
        args.db.as_deref(),
        "ingest articles first (claimlens ingest --db …)",
    )?;
    let store = location.open()?;
    crate::ingest::prepare_search(&location, &*store);
    let query = SearchQuery {
        query: args.query,
        outlet: args.outlet,
        published_from: args.from,
        published_to: args.to,
        language: args.language,
        speaker: args.speaker,
        layer: args.layer,
        annotation_type: args.annotation_type,
        limit: Some(args.limit),
        offset: Some(args.offset),
    };
    let started = Instant::now();
    let page = store.search(&query)?;
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&page)?),
        Format::Text => {
            for hit in &page.items {
                print_hit(hit)?;
            }
            eprintln!(
                "claimlens: {} document(s) match (showing {} from {}); {:.3} s",
                page.total,
                page.items.len(),
                args.offset + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_hit(hit: &SearchHit) -> Result<()> {
    fn or_dash(v: &Option<String>) -> Cow<'_, str> {
        v.as_deref().map_or(Cow::Borrowed("-"), clean)
    }
    outln!(
        "{}  {}  \"{}\"  {}",
        or_dash(&hit.published),
        or_dash(&hit.outlet),
        or_dash(&hit.title),
        &hit.doc_id[..hit.doc_id.len().min(12)]
    );
    outln!("    {}", marked_snippet(hit));
    outln!();
    Ok(())
}

/// The snippet on one line, each match in `[…]`, cleaned for a terminal.
fn marked_snippet(hit: &SearchHit) -> String {
    let s = &hit.snippet;
    let mut out = String::with_capacity(s.text.len() + 8);
    let mut matches = s.matches.iter().peekable();
    for (i, c) in s.text.chars().enumerate() {
        let at = s.start + i as u32;
        if matches.peek().is_some_and(|m| m.start == at) {
            out.push('[');
        }
        out.push(if c.is_whitespace() { ' ' } else { c });
        if let Some(m) = matches.peek() {
            if m.end == at + 1 {
                out.push(']');
                matches.next();
            }
        }
    }
    clean(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use claimlens_store::{CharRange, Snippet};

    #[test]
    fn matches_are_bracketed_at_their_code_points() {
        let hit = SearchHit {
            doc_id: "abc".into(),
            title: None,
            outlet: None,
            published: None,
            snippet: Snippet {
                text: "Élodie said\nport".into(),
                start: 10,
                end: 26,
                matches: vec![
                    CharRange { start: 10, end: 16 },
                    CharRange { start: 22, end: 26 },
                ],
                total_matches: 2,
            },
            rank: 1.0,
        };
        assert_eq!(marked_snippet(&hit), "[Élodie] said [port]");
    }
}
