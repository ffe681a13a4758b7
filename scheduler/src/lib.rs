//! # spindle-scheduler
//!
//! The driver and executor backends of Spindle (Spark's `TaskSchedulerImpl`,
//! `CoarseGrainedSchedulerBackend.DriverEndpoint` and `CoarseGrainedExecutorBackend`, rebuilt
//! as a Rust library), and the driver ↔ AM messages. Any Rust program can be a driver, and
//! the same binary its executors.
//!
//! * [`core`]: the sans-IO state machines — [`core::TaskScheduler`] (jobs as stage DAGs,
//!   FIFO/FAIR pools, delay scheduling, retries, exclusion) and [`core::DriverEndpoint`]
//!   (executor registry, free cores, command outboxes, liveness, loss reasons, allocation).
//! * [`driver`]: the tokio shell around them: [`driver::Driver`] serves `DriverProtocol`,
//!   runs jobs and streams their results; [`driver::LocalExecutors`] starts executors as
//!   local processes.
//! * [`executor`]: the executor backend ([`executor::run_executor`]) and the
//!   [`executor::TaskRegistry`] of named task functions.
//! * [`proto`], [`wire`], [`limits`], [`auth`]: the messages, their RPC tables over
//!   `spindle-protocol`'s Hadoop IPC, their bounds, and the application token (see
//!   `docs/scheduler-protocol.md`).
//!
//! ## Example: one binary, driver and executors
//!
//! ```no_run
//! use std::time::Duration;
//! use spindle_scheduler::auth::AppSecret;
//! use spindle_scheduler::core::{JobSpec, TaskKind, TaskSpec};
//! use spindle_scheduler::driver::{Driver, DriverConfig, JobEvent, LocalExecutors};
//! use spindle_scheduler::executor::{self, ExecutorConfig, TaskContext, TaskRegistry};
//!
//! fn square(_: &TaskContext, input: &[u8]) -> Result<Vec<u8>, String> {
//!     let n = u64::from(*input.first().ok_or("empty input")?);
//!     Ok((n * n).to_le_bytes().to_vec())
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let registry = spindle_scheduler::tasks![square];
//!     // Started by LocalExecutors (or an AM) with the executor environment: be an executor.
//!     if std::env::var(executor::ENV_EXECUTOR_ID).is_ok() {
//!         executor::run_executor(ExecutorConfig::from_env()?, registry).await?;
//!         return Ok(());
//!     }
//!     // Otherwise be the driver: start it, ask for executors, run a job.
//!     let secret = AppSecret::generate("application_1_0001");
//!     let driver = Driver::start(DriverConfig::new("127.0.0.1:0".parse()?, secret)).await?;
//!     let dir = std::env::temp_dir();
//!     let mut local = LocalExecutors::new(
//!         std::env::current_exe()?, Vec::<String>::new(),
//!         driver.address().to_string(), 2, driver.secret(), &dir)?;
//!     for _ in 0..4 {
//!         local.spawn()?;
//!     }
//!     driver.wait_for_executors(4, Duration::from_secs(30)).await;
//!     let job = JobSpec::one_stage(
//!         (0..100u8).map(|i| TaskSpec::new(TaskKind::function("square", vec![i]))).collect(),
//!     );
//!     // Stream the results as they come (or call `wait()` for all of them; `cancel()` stops it).
//!     let mut handle = driver.submit(job).await?;
//!     while let Some(event) = handle.next_event().await {
//!         match event {
//!             JobEvent::Result { index, result, .. } => println!("{index}: {result:?}"),
//!             JobEvent::Failed(why) => return Err(why.into()),
//!             JobEvent::Succeeded => break,
//!             JobEvent::TaskEnded { .. } => {}
//!         }
//!     }
//!     driver.stop("done", true).await;
//!     local.wait_all(Duration::from_secs(10)).await;
//!     Ok(())
//! }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod auth;
pub mod core;
pub mod driver;
pub mod executor;
pub mod limits;
pub mod proto;
pub mod wire;
