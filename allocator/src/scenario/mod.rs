//! Scenario files: JSON descriptions of heartbeats and the checks to make after them
//! (format v1, see `allocator/scenarios/README.md` and `shared/allocator-scenarios/FORMAT.md`).
//!
//! This module takes the file's text; reading files is the caller's business (the
//! `scenarios` example and the tests), so the library stays free of I/O.
//!
//! Extensions beyond format v1 (all optional; files using only v1 keys run unchanged):
//!
//! * `config`: `max_failures_per_minute`, `max_pending_requests`, `cap_by_headroom`,
//!   `release_on_excluded_hosts`, `launch_timeout_ms`, `last_executor_id`, `node_label`.
//! * steps: `{"driver_shutdown": true}`, `{"loss_reason": "1"}` (the driver asks why
//!   executor 1 was lost), `{"adopt": [containers]}` (containers from a previous attempt,
//!   each may name `"executor"`), `{"resync": true}` (the RM lost our state).
//! * `allocate`: `available_resources` (`{"memory_mb", "vcores"}`, the headroom).
//! * `expect`: `loss_reason_replies`, `asks`, `sent_releases`, `launch_timeouts`,
//!   `launched`, `notices`.

mod format;
mod runner;

use thiserror::Error;

pub use runner::{Outcome, run_scenario};

/// A scenario file that cannot be run as written.
#[derive(Debug, Error)]
pub enum ScenarioError {
    /// Not JSON, or not the shape of a scenario (unknown keys included).
    #[error("malformed scenario: {0}")]
    Malformed(String),
    /// A step that cannot be carried out.
    #[error("step {step}: {message}")]
    Step {
        /// The step index, from 0.
        step: usize,
        /// What is wrong.
        message: String,
    },
}
