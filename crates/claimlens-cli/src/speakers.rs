//! `claimlens speakers`: who is quoted in a store, how often, and (with --quotes) what they
//! said. The counting is the store's (`said`, docs/store.md); this file reads flags and
//! prints.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use claimlens_export::terminal::clean;
use claimlens_store::SpeakerQuery;
use clap::{Args, ValueEnum};

use crate::ingest::existing_store_location;

/// Output formats of `claimlens speakers`.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One line per speaker (quotes, documents, name), their quotes indented below.
    Text,
    /// The page as the store returns it: `{"total", "items": [SpeakerSummary]}`.
    Json,
}

/// Arguments of `claimlens speakers`.
#[derive(Args)]
#[command(after_help = "\
Speakers are the canonical names the sourcing stage resolved (\"Lopez\" and \"Maria Lopez\"
in one article are one speaker); anonymous and unresolved sources are left out. Most quoted
first.

Examples:
  claimlens speakers --db corpus.db
  claimlens speakers --db corpus.db --name-contains lopez --quotes
  claimlens speakers --db corpus.db --outlet 'Daily Ledger' --from 2026-03-01 --to 2026-03-31
  claimlens speakers --db corpus.db --format json --limit 500 > speakers.json")]
pub struct SpeakersArgs {
    /// The store written by `claimlens ingest`: a path, or a postgres:// URL. Default:
    /// claimlens/corpus.db in the user's data folder.
    #[arg(long, value_name = "PATH|URL")]
    db: Option<PathBuf>,
    /// Only this speaker (exact canonical name).
    #[arg(long)]
    name: Option<String>,
    /// Only speakers whose name contains this text (any case).
    #[arg(long, value_name = "TEXT")]
    name_contains: Option<String>,
    /// Only quotes in documents of this outlet.
    #[arg(long)]
    outlet: Option<String>,
    /// Only quotes in documents published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only quotes in documents published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// List each speaker's quotes (newest first, at most 20 each).
    #[arg(long)]
    quotes: bool,
    /// Speakers to list (at most 500).
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: u32,
    /// Speakers to skip.
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

pub fn run(args: SpeakersArgs) -> Result<ExitCode> {
    let location = existing_store_location(
        args.db.as_deref(),
        "ingest articles first (claimlens ingest --db …)",
    )?;
    let store = location.open()?;
    let page = store.speakers(&SpeakerQuery {
        name: args.name,
        name_contains: args.name_contains,
        outlet: args.outlet,
        published_from: args.from,
        published_to: args.to,
        with_quotes: args.quotes,
        limit: Some(args.limit),
        offset: Some(args.offset),
    })?;
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&page)?),
        Format::Text => {
            for s in &page.items {
                outln!(
                    "{:>6} quotes {:>6} documents  {}",
                    s.quote_count,
                    s.document_count,
                    clean(&s.name)
                );
                for q in &s.quotes {
                    let cue = q.cue.as_ref().map_or("-", |c| c.text.as_str());
                    let content: Vec<&str> = q.content.iter().map(|p| p.text.as_str()).collect();
                    outln!(
                        "    {}  {}  {}: {}",
                        clean(q.published.as_deref().unwrap_or("-")),
                        clean(q.outlet.as_deref().unwrap_or("-")),
                        clean(cue),
                        clean(&content.join(" … ").replace(char::is_whitespace, " "))
                    );
                }
            }
            eprintln!(
                "claimlens: {} speaker(s) (showing {})",
                page.total,
                page.items.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
