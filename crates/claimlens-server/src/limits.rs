//! Bounded analysis: a fixed number of blocking workers, a bounded queue in front of them,
//! and a deadline on every request.
//!
//! Analysis is CPU-bound and synchronous, so it runs on tokio's blocking threads, never on
//! the reactor threads that accept connections and answer `/healthz` while every worker is
//! busy. Admission is decided before any work: when `workers + queue` analyses are already
//! admitted the request gets 503 and `Retry-After` at once, so a burst costs the server a
//! refusal, not memory.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::ApiError;

/// The analysis pool's admission control.
#[derive(Debug)]
pub struct Limits {
    /// Permits for analyses running now.
    running: Arc<Semaphore>,
    /// Permits for analyses admitted (running or waiting).
    admitted: Arc<Semaphore>,
    timeout: Duration,
}

impl Limits {
    /// `workers` analyses at once, `queue` more waiting, each request at most `timeout`.
    pub fn new(workers: usize, queue: usize, timeout: Duration) -> Limits {
        let workers = workers.max(1);
        Limits {
            running: Arc::new(Semaphore::new(workers)),
            admitted: Arc::new(Semaphore::new(workers + queue)),
            timeout,
        }
    }

    /// The request deadline.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Runs `work` on a blocking thread once a worker is free, or refuses with 503 when the
    /// queue is full, or 504 when the deadline passes first. A job that has started keeps
    /// its worker until it ends even if its client has gone (a thread cannot be
    /// interrupted); the worker count stays honest because the permit moves into the job.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::busy())?;
        let running = self.running.clone();
        let job = async move {
            let permit = running
                .acquire_owned()
                .await
                .map_err(|e| ApiError::internal("the analysis pool", e))?;
            let handle = tokio::task::spawn_blocking(move || {
                let _permits = (permit, admitted);
                work()
            });
            handle
                .await
                .map_err(|e| ApiError::internal("an analysis", e))?
        };
        with_deadline(self.timeout, job).await
    }
}

/// `fut`, or 504 when it takes longer than `timeout`.
pub async fn with_deadline<T>(
    timeout: Duration,
    fut: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    tokio::time::timeout(timeout, fut)
        .await
        .unwrap_or_else(|_| Err(ApiError::timeout(timeout.as_secs().max(1))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn refuses_beyond_workers_plus_queue_and_recovers() {
        let limits = Arc::new(Limits::new(1, 1, Duration::from_secs(10)));
        let gate = Arc::new(std::sync::Barrier::new(2));
        let started = Arc::new(AtomicUsize::new(0));
        let spawn =
            |limits: Arc<Limits>, gate: Arc<std::sync::Barrier>, started: Arc<AtomicUsize>| {
                tokio::spawn(async move {
                    limits
                        .run(move || {
                            started.fetch_add(1, Ordering::SeqCst);
                            gate.wait();
                            Ok(())
                        })
                        .await
                })
            };
        let first = spawn(limits.clone(), gate.clone(), started.clone());
        while started.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        // One running, one admitted to wait; the third is refused at once.
        let second = spawn(limits.clone(), gate.clone(), started.clone());
        tokio::time::sleep(Duration::from_millis(50)).await;
        let third = limits.run(|| Ok(())).await.unwrap_err();
        assert_eq!(third.code, "busy");
        gate.wait();
        first.await.unwrap().unwrap();
        gate.wait();
        second.await.unwrap().unwrap();
        limits.run(|| Ok(())).await.unwrap();
    }

    #[tokio::test]
    async fn a_slow_job_times_out() {
        let limits = Limits::new(1, 0, Duration::from_millis(50));
        let err = limits
            .run(|| {
                std::thread::sleep(Duration::from_millis(300));
                Ok(())
            })
            .await
            .unwrap_err();
        assert_eq!(err.code, "timeout");
    }
}
