//! `claimlens clusters`: republication clusters of a store, as text or JSON. The clustering
//! and its rule live in the store and `claimlens_narratives::near_duplicates`; this file
//! reads flags, shows progress and prints.

use std::borrow::Cow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use claimlens_export::terminal::clean;
use claimlens_store::{ClusterQuery, StoryCluster};
use clap::{Args, ValueEnum};

use crate::ingest::existing_store_location;
use crate::inputs::terminal_bar;

/// Output formats of `claimlens clusters`.
#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One block per story: its first publication, then each republication.
    Text,
    /// The page as the store returns it: `{"total", "items": [StoryCluster]}` (docs/store.md).
    Json,
}

/// Arguments of `claimlens clusters`.
#[derive(Args)]
#[command(after_help = "\
Who first published each story, and who republished it. Documents are taken in publication
order; a document joins the cluster of the earlier document it most resembles when the
Jaccard similarity of their 5-word shingle sets is at least --threshold (checked exactly,
after MinHash/LSH finds the candidates), else it starts its own. Members are compared with
the cluster's first document only, so two stories linked through a third are not merged.
Details: docs/store.md, Republication clusters.

Examples:
  claimlens ingest --db corpus.db news.jsonl
  claimlens clusters --db corpus.db
  claimlens clusters --db corpus.db --threshold 0.7 --min-size 3
  claimlens clusters --db corpus.db --from 2026-03-01 --to 2026-03-31 --outlet 'The Gazette'
  claimlens clusters --db corpus.db --format json --limit 500 > clusters.json")]
pub struct ClustersArgs {
    /// The store written by `claimlens ingest`. Default: claimlens/corpus.db in the user's
    /// data folder.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Word-shingle Jaccard with a story's first document from which a document counts as a
    /// republication, above 0 and at most 1.
    #[arg(long, default_value_t = 0.5)]
    threshold: f64,
    /// List clusters of at least this many documents (1 lists every document).
    #[arg(long, value_name = "N", default_value_t = 2)]
    min_size: u32,
    /// Only clusters with a document from this outlet (the clustering spans every outlet).
    #[arg(long)]
    outlet: Option<String>,
    /// Only cluster documents published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only cluster documents published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Clusters to list (at most 500).
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: u32,
    /// Clusters to skip.
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: u32,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

pub fn run(args: ClustersArgs) -> Result<ExitCode> {
    let location = existing_store_location(
        args.db.as_deref(),
        "ingest articles first (claimlens ingest --db …)",
    )?;
    let store = location.open()?;
    let query = ClusterQuery {
        threshold: Some(args.threshold),
        min_size: Some(args.min_size),
        outlet: args.outlet,
        published_from: args.from,
        published_to: args.to,
        limit: Some(args.limit),
        offset: Some(args.offset),
    };
    let progress = terminal_bar(
        args.no_progress,
        None,
        "{bar:30} {pos}/{len} documents clustered  [{elapsed_precise}]",
    );
    let started = Instant::now();
    let page = store.clusters_with_progress(&query, &mut |done, total| {
        progress.set_length(total);
        progress.set_position(done);
    })?;
    let documents = progress.position();
    progress.finish_and_clear();
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&page)?),
        Format::Text => {
            for cluster in &page.items {
                print_cluster(cluster)?;
            }
            let seconds = started.elapsed().as_secs_f64();
            eprintln!(
                "claimlens: {} cluster(s) of at least {} (showing {}); {documents} document(s) \
                 read in {seconds:.2} s",
                page.total,
                args.min_size,
                page.items.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_cluster(cluster: &StoryCluster) -> Result<()> {
    let first = &cluster.first;
    outln!(
        "{} documents, {} outlet(s); first: {}",
        cluster.size,
        cluster.outlets.len(),
        describe(first)
    );
    for member in &cluster.timeline[1..] {
        outln!("  {:.2}  {}", member.jaccard, describe(member));
    }
    outln!();
    Ok(())
}

/// `published  outlet  "title"  doc_id` with absent fields as `-`, cleaned for a terminal.
fn describe(m: &claimlens_store::ClusterMember) -> String {
    fn or_dash(v: &Option<String>) -> Cow<'_, str> {
        v.as_deref().map_or(Cow::Borrowed("-"), clean)
    }
    format!(
        "{}  {}  \"{}\"  {}",
        or_dash(&m.published),
        or_dash(&m.outlet),
        or_dash(&m.title),
        &m.doc_id[..m.doc_id.len().min(12)]
    )
}
