//! Analysis on every core with output in input order: one thread reads, `jobs` threads work,
//! and the calling thread consumes the results in the order the reader produced the items.
//!
//! Memory stays bounded: at most `jobs + 2` items are in flight (read but not yet consumed),
//! however uneven their cost, because the reader takes a permit per item and the consumer
//! returns it only when it has consumed that item in order. The consumer runs on the
//! calling thread, so it may hold what cannot cross threads (a locked stdout, a database
//! connection).

use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Mutex;
use std::thread;

/// The number of worker threads to use when the caller does not say: one per core.
pub fn default_jobs() -> usize {
    thread::available_parallelism().map_or(1, usize::from)
}

/// Calls `work` on every item of `items` on `jobs` threads and `consume` on the results in
/// the order of `items`. Stops at the first error `consume` returns, and returns it.
///
/// With `jobs` ≤ 1 everything runs on the calling thread, item by item.
pub fn for_each_ordered<I, T, U, E, W, C>(
    jobs: usize,
    items: I,
    work: W,
    mut consume: C,
) -> Result<(), E>
where
    I: IntoIterator<Item = T>,
    I::IntoIter: Send,
    T: Send,
    U: Send,
    W: Fn(T) -> U + Sync,
    C: FnMut(U) -> Result<(), E>,
{
    if jobs <= 1 {
        for item in items {
            consume(work(item))?;
        }
        return Ok(());
    }
    let in_flight = jobs + 2;
    let items = items.into_iter();
    let (permit_tx, permit_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        permit_tx.send(()).expect("the receiver is alive");
    }
    let (job_tx, job_rx) = sync_channel::<(u64, T)>(in_flight);
    let (done_tx, done_rx) = sync_channel::<(u64, U)>(in_flight);
    let job_rx = Mutex::new(job_rx);
    let work = &work;
    thread::scope(|scope| {
        scope.spawn(move || {
            for (seq, item) in (0u64..).zip(items) {
                // No permit: the consumer stopped (or is `in_flight` items behind).
                if permit_rx.recv().is_err() || job_tx.send((seq, item)).is_err() {
                    return;
                }
            }
        });
        for _ in 0..jobs {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || {
                while let Some((seq, item)) = next_job(job_rx) {
                    if done_tx.send((seq, work(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        // Dropping `permit_tx` and `done_rx` on an early return stops the reader and the
        // workers, so the scope's joins finish.
        consume_in_order(done_rx, permit_tx, &mut consume)
    })
}

fn next_job<T>(jobs: &Mutex<Receiver<(u64, T)>>) -> Option<(u64, T)> {
    // A worker that panicked poisons the lock; the others still drain the queue, and the
    // panic resurfaces when the scope joins it.
    let rx = jobs.lock().unwrap_or_else(|p| p.into_inner());
    rx.recv().ok()
}

fn consume_in_order<U, E>(
    done: Receiver<(u64, U)>,
    permits: std::sync::mpsc::SyncSender<()>,
    consume: &mut impl FnMut(U) -> Result<(), E>,
) -> Result<(), E> {
    let mut waiting: BTreeMap<u64, U> = BTreeMap::new();
    let mut next = 0u64;
    for (seq, result) in done {
        waiting.insert(seq, result);
        while let Some(result) = waiting.remove(&next) {
            next += 1;
            consume(result)?;
            // The reader may have stopped already; a missing receiver is not an error.
            let _ = permits.send(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_each_item_costs() {
        for jobs in [1, 2, 4, 8] {
            let mut seen = Vec::new();
            let r: Result<(), ()> = for_each_ordered(
                jobs,
                0..200u64,
                |i| {
                    // Uneven work: later items often finish first.
                    thread::sleep(Duration::from_micros((200 - i) % 7 * 50));
                    i * 2
                },
                |x| {
                    seen.push(x);
                    Ok(())
                },
            );
            assert!(r.is_ok());
            assert_eq!(
                seen,
                (0..200).map(|i| i * 2).collect::<Vec<_>>(),
                "jobs {jobs}"
            );
        }
    }

    #[test]
    fn no_more_than_jobs_plus_two_items_are_in_flight() {
        let read = AtomicUsize::new(0);
        let items = (0..100).inspect(|_| {
            read.fetch_add(1, Ordering::SeqCst);
        });
        let mut consumed = 0;
        let r: Result<(), ()> = for_each_ordered(
            3,
            items,
            |i| i,
            |_| {
                consumed += 1;
                // Read items not yet consumed: at most jobs + 2 (+1 read and waiting for a
                // permit).
                assert!(read.load(Ordering::SeqCst) - consumed <= 3 + 2 + 1);
                thread::sleep(Duration::from_micros(100));
                Ok(())
            },
        );
        assert!(r.is_ok());
        assert_eq!(consumed, 100);
    }

    #[test]
    fn an_error_from_the_consumer_stops_everything_and_is_returned() {
        let worked = AtomicUsize::new(0);
        let mut consumed = 0;
        let r = for_each_ordered(
            2,
            0..1_000_000u64,
            |i| {
                worked.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i| {
                consumed += 1;
                if i == 10 {
                    Err("disk full")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("disk full"));
        assert_eq!(consumed, 11);
        assert!(
            worked.load(Ordering::SeqCst) < 100,
            "the reader stopped early"
        );
    }
}
