//! `claimlens ingest`: read inputs as `analyze` does, analyse each new document and keep it,
//! with every layer, in the corpus store.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use claimlens_export::terminal::clean;
use claimlens_ingest::{read, IngestError, Ingested};
use claimlens_pipeline::parallel::for_each_ordered;
use claimlens_store::{content_id, BatchOutcome, Entry, Location, Rejection, Store};
use clap::Args;
use indicatif::ProgressBar;

use crate::inputs::{
    document_done, input_done, input_help, plural, progress_bar, report_skipped, InputArgs,
    PipelineArgs,
};

/// Arguments of `claimlens ingest`.
#[derive(Args)]
#[command(after_help = concat!(input_help!(), "\
Store: one SQLite file (WAL mode), by default claimlens/corpus.db in your data folder
($XDG_DATA_HOME, else ~/.local/share); --db names another. A document's id is the SHA-256 of
its text: a document already stored (by an earlier run, another file or a concurrent ingest)
is skipped and counted, not analysed again. Documents are written --batch at a time, each
batch in one transaction (by a thread of its own while the next batch is analysed), so an
interrupted ingest loses at most the two batches in progress and re-running the same command
completes the corpus. Records that cannot be read are stored in the `rejected` table with the
reason and listed on stderr. Two ingests into one store take turns writing. A store written by a newer claimlens is refused. Tables and example queries:
docs/store.md.

Exit status: 0 when at least one document was stored or already there, 1 when none could be
(or, with --strict, when any record was rejected), 2 on a usage error or a store that cannot
be opened or written.

Examples:
  claimlens ingest examples/
  claimlens ingest --db corpus.db news.jsonl
  claimlens ingest --db corpus.db https://example.org/story
  claimlens ingest --db corpus.db --field text=body --input-format csv export.csv
  cat feed.jsonl | claimlens ingest --db corpus.db --input-format jsonl -
  sqlite3 corpus.db 'SELECT outlet, count(*) FROM documents GROUP BY outlet'"))]
pub struct IngestArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The store (an SQLite file, created if missing; its folder must exist). Default:
    /// claimlens/corpus.db in the user's data folder.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// Documents written per transaction.
    #[arg(long, value_name = "N", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    batch: u32,
    /// Exit with status 1 if any input or record was rejected.
    #[arg(long)]
    strict: bool,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let location = store_location(args.db.as_deref())?;
    // Opened before anything is read, so a store that cannot be written fails at once.
    let mut store = location.open()?;
    // A store written before the search index existed gets it now, not inside the first
    // batch's write (where the progress bar would stand still).
    prepare_search(&location, &*store);
    let opts = args.input.ingest_options()?;
    let analyzer = args.pipeline.build()?;
    // The store's own files (and its search index's folder) are never read back as inputs.
    let own_files = match &location {
        Location::File(db) => ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| {
                let mut p = db.clone().into_os_string();
                p.push(suffix);
                PathBuf::from(p)
            })
            .chain([claimlens_store::search_index_dir(db)])
            .collect(),
        Location::Postgres(_) => Vec::new(),
    };
    let expanded = args.input.expand(own_files);
    report_skipped(&expanded.skipped);

    let mut tally = Tally::default();
    let mut batch = Batch::new(args.batch as usize);
    for e in &expanded.errors {
        batch.reject(e, &ProgressBar::hidden(), &mut tally);
    }
    let progress = progress_bar(args.no_progress, &args.input, expanded.inputs.len());
    // Documents are read on one thread, looked up and analysed on `jobs` (each with the
    // look-up connection in turn: an indexed read), and written here in input order.
    let lookup = Mutex::new(location.open()?);
    let items = expanded.inputs.iter().flat_map(|input| {
        read(input, &opts)
            .with_diagnostics()
            .map(Some)
            .chain(std::iter::once(None))
    });
    let analyze = |item: Option<Result<Ingested, IngestError>>| -> Result<Outcome> {
        Ok(match item {
            None => Outcome::InputDone,
            Some(Err(e)) => Outcome::Rejected(e),
            Some(Ok(Ingested { mut doc, .. })) => {
                let id = content_id(doc.text());
                let stored = lookup
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .contains(&id)?;
                if stored {
                    Outcome::AlreadyStored
                } else {
                    analyzer.run(&mut doc);
                    Outcome::Analyzed(id, Box::new(doc))
                }
            }
        })
    };
    let written = Written::default();
    std::thread::scope(|scope| -> Result<()> {
        // A rendezvous channel: a full batch is handed over only when the writer is free, so
        // one batch is written while the next fills, and no more are held.
        let (to_writer, batches) = sync_channel::<Vec<Entry>>(0);
        let writer = scope.spawn(|| write_batches(&mut *store, batches, &written));
        let analysed = for_each_ordered(analyzer.jobs, items, analyze, |outcome| -> Result<()> {
            match outcome? {
                Outcome::InputDone => {
                    input_done(&progress);
                    return Ok(());
                }
                Outcome::AlreadyStored => tally.skipped += 1,
                // The same text twice in one batch.
                Outcome::Analyzed(id, _) if batch.holds(&id) => tally.skipped += 1,
                Outcome::Analyzed(id, doc) => batch.add(id, *doc),
                Outcome::Rejected(e) => batch.reject(&e, &progress, &mut tally),
            }
            document_done(&progress);
            if batch.is_full() {
                hand_over(&to_writer, batch.take())?;
            }
            progress.set_message(tally.progress(&written));
            Ok(())
        })
        .and_then(|()| hand_over(&to_writer, batch.take()));
        drop(to_writer);
        // The writer's own error comes first: a failed write is why the hand-over failed.
        writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        analysed
    })?;
    tally.add(written.outcome());
    progress.finish_and_clear();
    tally.report(&location, expanded.skipped.len());

    if tally.stored + tally.skipped == 0 {
        if tally.rejected == 0 {
            bail!("no input documents found");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(if args.strict && tally.rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What became of one item read.
enum Outcome {
    /// The end of an input.
    InputDone,
    /// A document whose text the store holds.
    AlreadyStored,
    /// A new document, analysed, with its content id.
    Analyzed(String, Box<claimlens_core::Doc>),
    /// A record that could not be read.
    Rejected(IngestError),
}

/// Builds or completes the search index beside a SQLite store, saying so when it is built
/// from nothing for documents already stored.
pub(crate) fn prepare_search(location: &Location, store: &dyn Store) {
    if let Location::File(db) = location {
        let stored = store
            .documents(&claimlens_store::DocumentQuery {
                limit: Some(0),
                ..Default::default()
            })
            .map_or(0, |page| page.total);
        if stored > 0 && !claimlens_store::search_index_dir(db).exists() {
            eprintln!(
                "claimlens: building the search index of {stored} stored document(s) beside \
                 the store (once; under a minute per 100,000)"
            );
        }
    }
    store.prepare_search();
}

/// The store `--db` names (a path or a `postgres://` URL), else the default SQLite store in
/// the user's data folder (its folder created if needed).
pub(crate) fn store_location(db: Option<&std::path::Path>) -> Result<Location> {
    match db.map(Location::of) {
        Some(url @ Location::Postgres(_)) => Ok(url),
        _ => Ok(Location::File(store_path(db)?)),
    }
}

/// [`store_location`] for a command that reads a store: one that is not there is an error
/// saying what to run first, rather than an empty store created on the spot.
pub(crate) fn existing_store_location(
    db: Option<&std::path::Path>,
    first: &str,
) -> Result<Location> {
    let location = store_location(db)?;
    if !location.exists() {
        bail!("no store at {location}: {first}");
    }
    Ok(location)
}

/// `--db`, else the default store in the user's data folder (its folder created if needed).
pub(crate) fn store_path(db: Option<&std::path::Path>) -> Result<PathBuf> {
    if let Some(db) = db {
        return Ok(db.to_owned());
    }
    let Some(path) = claimlens_store::default_path() else {
        bail!("no data folder is known for this user (no home directory): pass --db PATH");
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the store's folder {}", dir.display()))?;
    }
    Ok(path)
}

/// The entries waiting for the next transaction.
struct Batch {
    entries: Vec<Entry>,
    ids: HashSet<String>,
    size: usize,
}

impl Batch {
    fn new(size: usize) -> Batch {
        Batch {
            entries: Vec::with_capacity(size),
            ids: HashSet::new(),
            size,
        }
    }

    /// Whether a document with this id waits in the batch (the same text twice in a row).
    fn holds(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    fn add(&mut self, id: String, doc: claimlens_core::Doc) {
        self.ids.insert(id);
        self.entries.push(Entry::Document(Box::new(doc)));
    }

    fn reject(&mut self, e: &IngestError, progress: &ProgressBar, tally: &mut Tally) {
        progress.suspend(|| eprintln!("claimlens: {}", clean(&e.to_string())));
        let reason = e.kind.to_string();
        *tally.reasons.entry(reason.clone()).or_default() += 1;
        tally.rejected += 1;
        self.entries.push(Entry::Rejected(Rejection {
            source: e.source.clone(),
            record: e.record,
            reason,
        }));
    }

    fn is_full(&self) -> bool {
        self.entries.len() >= self.size
    }

    /// The waiting entries, for the writer; the batch starts again empty.
    fn take(&mut self) -> Vec<Entry> {
        self.ids.clear();
        std::mem::replace(&mut self.entries, Vec::with_capacity(self.size))
    }
}

/// Hands a batch to the writer thread, waiting until it is free. An empty batch is not sent.
fn hand_over(writer: &std::sync::mpsc::SyncSender<Vec<Entry>>, entries: Vec<Entry>) -> Result<()> {
    if entries.is_empty() || writer.send(entries).is_ok() {
        return Ok(());
    }
    bail!("the store's writer stopped")
}

/// Writes each batch in one transaction, on a thread of its own: on the thread that hands out
/// the analysed documents, every commit stalled the analysis workers (at most `jobs + 2`
/// documents are in flight), so writing and analysis took turns instead of sharing the cores.
fn write_batches(
    store: &mut (dyn Store + Send),
    batches: Receiver<Vec<Entry>>,
    written: &Written,
) -> Result<()> {
    for entries in batches {
        written.add(store.write_batch(&entries)?);
    }
    Ok(())
}

/// What the writer thread has committed so far: read by the progress bar as it goes and by
/// the summary at the end.
#[derive(Default)]
struct Written {
    stored: AtomicU64,
    already_stored: AtomicU64,
}

impl Written {
    fn add(&self, outcome: BatchOutcome) {
        self.stored.fetch_add(outcome.stored, Ordering::Relaxed);
        self.already_stored
            .fetch_add(outcome.already_stored, Ordering::Relaxed);
    }

    /// Documents stored and found already stored (rejections are counted as they are read).
    fn outcome(&self) -> BatchOutcome {
        BatchOutcome {
            stored: self.stored.load(Ordering::Relaxed),
            already_stored: self.already_stored.load(Ordering::Relaxed),
            rejected: 0,
        }
    }
}

/// What the run did, for the progress bar and the summary.
#[derive(Default)]
struct Tally {
    stored: u64,
    skipped: u64,
    rejected: u64,
    reasons: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, outcome: BatchOutcome) {
        self.stored += outcome.stored;
        // Stored by a concurrent ingest between our look-up and our write.
        self.skipped += outcome.already_stored;
    }

    fn progress(&self, written: &Written) -> String {
        let so_far = written.outcome();
        format!(
            "{} stored, {} skipped, {} rejected",
            so_far.stored,
            self.skipped + so_far.already_stored,
            self.rejected
        )
    }

    fn report(&self, location: &Location, skipped_files: usize) {
        eprintln!(
            "claimlens: stored {} document{} in {}; skipped {} already stored; rejected {}; \
             {} skipped file{}",
            self.stored,
            plural(self.stored),
            clean(&location.to_string()),
            self.skipped,
            self.rejected,
            skipped_files,
            plural(skipped_files as u64),
        );
        // The most frequent reasons first; the full list is in the store.
        let mut reasons: Vec<(&String, &u64)> = self.reasons.iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (reason, count) in reasons.iter().take(5) {
            eprintln!("claimlens: rejected {count} × {}", clean(reason));
        }
        if reasons.len() > 5 {
            eprintln!(
                "claimlens: … and {} other reasons (SELECT reason, count(*) FROM rejected GROUP BY reason)",
                reasons.len() - 5
            );
        }
    }
}
