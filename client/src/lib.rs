//! # spindle-client
//!
//! Submitting Spindle applications to a YARN cluster (Spark's `Client` rebuilt): read the
//! Hadoop configuration, stage the local files, build the ApplicationMaster's launch context
//! with the application's secret, submit, follow until the end, kill, list, and find the
//! containers' logs. The `spindle` command's `submit`, `status`, `kill`, `logs` and `list` are
//! thin shells over this crate.
//!
//! ```no_run
//! # async fn demo() -> Result<(), spindle_client::ClientError> {
//! use spindle_client::{
//!     AppRequest, Client, ClientConfig, ExecutorProgram, Executors, Progress, Workload,
//! };
//!
//! let config = ClientConfig::from_env(&[])?;
//! let client = Client::new(config, Vec::new());
//! let request = AppRequest {
//!     submission: Default::default(),
//!     workload: Workload::ClusterDriver {
//!         argv: vec!["spindle".into(), "example".into(), "pi".into()],
//!     },
//!     executors: Executors::default(),
//!     executor_program: ExecutorProgram::Spindle,
//!     files: Vec::new(),
//!     archives: Vec::new(),
//!     env: Vec::new(),
//!     spindle_binary: "/usr/local/bin/spindle".into(),
//! };
//! request.check()?;
//! let app = client.new_application().await?;
//! let submitted = client.submit(&app, &request).await?;
//! let report = client.follow(submitted.id, &mut Progress::new(false)).await?;
//! client.clean_up(&submitted);
//! std::process::exit(report.exit_code().unwrap_or(1));
//! # }
//! ```
//!
//! Modules: [`config`] (what is read from `HADOOP_CONF_DIR`), [`submission`] (the submission
//! context), [`staging`] (local files as YARN local resources), [`launch`] (the AM's launch
//! context), [`rm`] (the ResourceManager's client port, with HA), [`report`] (reports and exit
//! codes), [`monitor`] (state lines and the progress bar), [`logs`] (container logs), [`spec`]
//! (the TOML spec file), [`memory`] (memory sizes), [`http`] (a bounded GET).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
pub mod config;
pub mod error;
pub mod http;
pub mod launch;
mod local_file;
pub mod logs;
pub mod memory;
pub mod monitor;
pub mod report;
pub mod rm;
pub mod spec;
pub mod staging;
pub mod submission;

pub use client::{
    AppRequest, Client, ExecutorProgram, NewApplication, Submitted, Workload, check_reachable,
    split_link,
};
pub use config::ClientConfig;
pub use error::ClientError;
pub use launch::Executors;
pub use monitor::Progress;
pub use report::AppReport;
pub use submission::Submission;
