//! How an application attempt ends: one state machine that turns the first ending event into the
//! final status, the AM's exit code, the diagnostics, and whether to unregister and clean up.
//!
//! The rules (Spark's ApplicationMaster, with its known pain points fixed by construction):
//! * The first ending wins; anything later (a driver exiting because executors were stopped, a
//!   SIGTERM during shutdown) changes nothing.
//! * The AM unregisters only when the application is final: it succeeded or was killed, or this
//!   is the last attempt. Otherwise it exits without unregistering, and the ResourceManager starts
//!   another attempt.
//! * Staging files are removed exactly when the AM unregisters (the application is final), and
//!   only once.
//! * Exit codes are Spark's, so scripts that read them keep working ([`exit_code`]).

use std::fmt;

/// The AM process's exit codes (Spark's `ApplicationMaster` codes).
pub mod exit_code {
    /// Success.
    pub const SUCCESS: i32 = 0;
    /// An error in the AM itself.
    pub const UNCAUGHT_EXCEPTION: i32 = 10;
    /// Too many executors failed, or every node is excluded.
    pub const MAX_EXECUTOR_FAILURES: i32 = 11;
    /// Heartbeats to the ResourceManager kept failing.
    pub const REPORTER_FAILURE: i32 = 12;
    /// The driver never started (cluster mode).
    pub const DRIVER_NEVER_STARTED: i32 = 13;
    /// The user's driver failed.
    pub const USER_CODE: i32 = 15;
    /// The AM was told to stop (SIGTERM) before a final status was known.
    pub const EARLY_EXIT: i32 = 16;
    /// The driver went away without saying goodbye (client mode).
    pub const DISCONNECTED: i32 = 17;
}

/// Longest diagnostics sent to the ResourceManager (Spark's `spark.yarn.am.finalMessageLimit`,
/// 1 MiB); longer text keeps its start and end.
pub const DIAGNOSTICS_LIMIT: usize = 1024 * 1024;

/// Where the driver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// In the AM's container: its exit decides the final status.
    Cluster,
    /// Beside the submitting client: the AM only launches executors.
    Client,
}

/// The application's final status as YARN records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalStatus {
    /// Finished successfully.
    Succeeded,
    /// Failed.
    Failed,
    /// Killed (by the user through the driver).
    Killed,
}

impl fmt::Display for FinalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FinalStatus::Succeeded => "SUCCEEDED",
            FinalStatus::Failed => "FAILED",
            FinalStatus::Killed => "KILLED",
        })
    }
}

/// Something that ends the attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Cluster mode: the driver finished successfully (exit code 0, or the in-process driver
    /// returned `Ok`).
    DriverSucceeded,
    /// Cluster mode: the driver failed; `reason` says how (`exited with code 3`, `killed by
    /// signal 9`, the in-process error), with the end of its stderr when there is one.
    DriverFailed {
        /// What happened, for the diagnostics.
        reason: String,
    },
    /// Cluster mode: the driver did not start (its command could not be run, or it never
    /// registered within the wait).
    DriverNeverStarted {
        /// Why.
        reason: String,
    },
    /// Client mode: the driver said it is shutting down; `succeeded` is its verdict.
    DriverShutdown {
        /// Whether the driver's application succeeded.
        succeeded: bool,
        /// The driver's message, if any.
        message: String,
    },
    /// The driver asked to kill the application.
    DriverKilled {
        /// Who asked, or why.
        message: String,
    },
    /// Client mode: the connection to the driver was lost and not restored within the grace
    /// period.
    DriverDisconnected {
        /// The last connection error.
        reason: String,
    },
    /// Too many executors failed.
    MaxExecutorFailures {
        /// The allocator's message (it names the limit).
        message: String,
    },
    /// Every node of the cluster is excluded.
    AllNodesExcluded,
    /// The ResourceManager could not be reached or refused the AM's calls, too often in a row.
    ReporterFailed {
        /// The last error and the count.
        message: String,
    },
    /// The NodeManager asked the AM to stop (SIGTERM) before anything else ended the attempt.
    Terminated {
        /// The signal's name.
        signal: String,
    },
    /// An error of the AM itself.
    Internal {
        /// What went wrong.
        message: String,
    },
}

/// What the AM does at the end of its attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The final status reported when unregistering.
    pub status: FinalStatus,
    /// The AM process's exit code.
    pub exit_code: i32,
    /// The diagnostics (at most [`DIAGNOSTICS_LIMIT`] bytes).
    pub diagnostics: String,
    /// Whether to unregister (the application is final).
    pub unregister: bool,
    /// Whether to remove the application's staging files (exactly when unregistering).
    pub clean_staging: bool,
}

/// The attempt's ending, decided once.
#[derive(Debug, Clone)]
pub struct Outcome {
    mode: Mode,
    attempt: u32,
    max_attempts: u32,
    decided: Option<Decision>,
    staging_cleaned: bool,
}

impl Outcome {
    /// An attempt (1-based) of at most `max_attempts`.
    pub fn new(mode: Mode, attempt: u32, max_attempts: u32) -> Self {
        Outcome {
            mode,
            attempt,
            max_attempts: max_attempts.max(1),
            decided: None,
            staging_cleaned: false,
        }
    }

    /// Whether the ResourceManager will not start another attempt after this one.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt >= self.max_attempts
    }

    /// The decision, once made.
    pub fn decision(&self) -> Option<&Decision> {
        self.decided.as_ref()
    }

    /// Feeds an ending; returns the decision if this ending made it (the first one does),
    /// `None` if the attempt had already ended.
    pub fn on(&mut self, ending: Ending) -> Option<&Decision> {
        if self.decided.is_some() {
            return None;
        }
        let (status, exit_code, diagnostics) = self.classify(ending);
        let unregister = matches!(status, FinalStatus::Succeeded | FinalStatus::Killed)
            || self.is_last_attempt();
        self.decided = Some(Decision {
            status,
            exit_code,
            diagnostics: abbreviate(diagnostics, DIAGNOSTICS_LIMIT),
            unregister,
            clean_staging: unregister,
        });
        self.decided.as_ref()
    }

    /// Whether staging files should be removed now: the decision says so and they were not
    /// removed before. Marks them removed.
    pub fn take_staging_cleanup(&mut self) -> bool {
        let due = self.decided.as_ref().is_some_and(|d| d.clean_staging) && !self.staging_cleaned;
        self.staging_cleaned |= due;
        due
    }

    fn classify(&self, ending: Ending) -> (FinalStatus, i32, String) {
        use FinalStatus::*;
        use exit_code::*;
        let attempt_note = if self.is_last_attempt() {
            String::new()
        } else {
            format!(
                " (attempt {} of {}: the ResourceManager will retry)",
                self.attempt, self.max_attempts
            )
        };
        match ending {
            Ending::DriverSucceeded => (Succeeded, SUCCESS, String::new()),
            Ending::DriverFailed { reason } => (
                Failed,
                USER_CODE,
                format!("The driver failed: {reason}{attempt_note}"),
            ),
            Ending::DriverNeverStarted { reason } => (
                Failed,
                DRIVER_NEVER_STARTED,
                format!("The driver did not start: {reason}{attempt_note}"),
            ),
            Ending::DriverShutdown {
                succeeded: true,
                message,
            } => (Succeeded, SUCCESS, message),
            Ending::DriverShutdown {
                succeeded: false,
                message,
            } => (
                Failed,
                USER_CODE,
                format!("The driver reported failure: {message}{attempt_note}"),
            ),
            Ending::DriverKilled { message } => (Killed, SUCCESS, format!("Killed: {message}")),
            Ending::DriverDisconnected { reason } => (
                Failed,
                DISCONNECTED,
                format!(
                    "Lost the connection to the driver and it did not come back: {reason}{attempt_note}"
                ),
            ),
            Ending::MaxExecutorFailures { message } => (
                Failed,
                MAX_EXECUTOR_FAILURES,
                format!("{message}{attempt_note}"),
            ),
            Ending::AllNodesExcluded => (
                Failed,
                MAX_EXECUTOR_FAILURES,
                format!("Due to executor failures all available nodes are excluded{attempt_note}"),
            ),
            Ending::ReporterFailed { message } => {
                (Failed, REPORTER_FAILURE, format!("{message}{attempt_note}"))
            }
            Ending::Terminated { signal } => {
                let what = match self.mode {
                    Mode::Cluster => "before the driver finished",
                    Mode::Client => "before the driver said it was done",
                };
                (
                    Failed,
                    EARLY_EXIT,
                    format!("The ApplicationMaster received {signal} {what}{attempt_note}"),
                )
            }
            Ending::Internal { message } => (
                Failed,
                UNCAUGHT_EXCEPTION,
                format!("ApplicationMaster error: {message}{attempt_note}"),
            ),
        }
    }
}

/// The diagnostics the AM unregisters with: the decision's, and for a failure its exit code as
/// `[exit code N]` at the end, so that a client that followed the application can exit with
/// it (`spindle_client::report::am_exit_code` reads it back).
pub fn reported_diagnostics(decision: &Decision) -> String {
    if decision.exit_code == exit_code::SUCCESS {
        return decision.diagnostics.clone();
    }
    let note = format!("[exit code {}]", decision.exit_code);
    if decision.diagnostics.is_empty() {
        note
    } else {
        format!("{} {note}", decision.diagnostics)
    }
}

/// `text` cut to at most `limit` bytes, keeping its start and end around a marker.
pub fn abbreviate(text: String, limit: usize) -> String {
    if text.len() <= limit {
        return text;
    }
    let marker = "\n…\n";
    let keep = limit.saturating_sub(marker.len()) / 2;
    let mut head_end = keep;
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let mut tail_start = text.len() - keep;
    while !text.is_char_boundary(tail_start) {
        tail_start += 1;
    }
    format!("{}{marker}{}", &text[..head_end], &text[tail_start..])
}

#[cfg(test)]
mod tests;
