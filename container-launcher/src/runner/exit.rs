//! Stop reasons, exit records and what the runner reports. The YARN exit statuses themselves
//! (`ContainerExitStatus`) are the protocol crate's
//! [`exit_status`](spindle_protocol::yarn::records::exit_status) constants.

use spindle_protocol::yarn::records::exit_status::{
    ABORTED, INVALID, KILLED_AFTER_APP_COMPLETION, KILLED_BY_APPMASTER, KILLED_BY_RESOURCEMANAGER,
    PREEMPTED,
};

/// Why a running container is being stopped; decides the exit status reported for it. The kill reason
/// replaces the 143/137 the process itself returns, as the NodeManager does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// `stopContainers` from the AM: −105.
    KilledByAppMaster,
    /// Released by the AM / aborted by the RM: −100.
    Released,
    /// Preempted: −102.
    Preempted,
    /// Killed by the ResourceManager: −106.
    KilledByResourceManager,
    /// The application finished: −107.
    AfterAppCompletion,
    /// Any other status the caller wants reported.
    Status(i32),
}

impl StopReason {
    /// The exit status reported for a container stopped for this reason.
    pub fn exit_status(self) -> i32 {
        match self {
            StopReason::KilledByAppMaster => KILLED_BY_APPMASTER,
            StopReason::Released => ABORTED,
            StopReason::Preempted => PREEMPTED,
            StopReason::KilledByResourceManager => KILLED_BY_RESOURCEMANAGER,
            StopReason::AfterAppCompletion => KILLED_AFTER_APP_COMPLETION,
            StopReason::Status(s) => s,
        }
    }

    /// The diagnostics line for a container stopped for this reason.
    pub fn diagnostics(self) -> String {
        match self {
            StopReason::KilledByAppMaster => "Container killed by the ApplicationMaster.".into(),
            StopReason::Released => "Container released or aborted by the framework.".into(),
            StopReason::Preempted => "Container preempted by the scheduler.".into(),
            StopReason::KilledByResourceManager => {
                "Container killed by the ResourceManager.".into()
            }
            StopReason::AfterAppCompletion => "Container killed on application completion.".into(),
            StopReason::Status(s) => format!("Container killed on request (exit status {s})."),
        }
    }
}

/// The runner's report of a container's end, sent once for every container it accepted, when the
/// container has finished (or failed to start). Not to be confused with the protocol's
/// `ContainerExit`, which classifies an exit status for an AM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerExit {
    /// The container id.
    pub id: String,
    /// The application it belonged to.
    pub app_id: String,
    /// The YARN exit status: the process's own code, a kill reason (−100, −104, −105 …), or −1000 when
    /// it never ran.
    pub exit_status: i32,
    /// Human-readable diagnostics ("" on success).
    pub diagnostics: String,
}

/// Where a container is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    /// Accepted; folders and resources are being prepared.
    Localizing,
    /// The process is running.
    Running {
        /// The process id of the session leader (also its process group id).
        pid: i32,
    },
    /// A stop was requested and the process group is being terminated.
    Killing {
        /// The process id of the session leader.
        pid: i32,
    },
    /// Finished; the exit record is final.
    Complete(RunnerExit),
}

/// The status to report for a process that exited by itself: its code, or 128 + the signal number
/// when a signal killed it (what bash and the NodeManager's wrapper script report).
pub fn process_exit_status(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(sig)) => 128 + sig,
        (None, None) => INVALID,
    }
}

/// A short hint for well-known shell exit codes, added to the diagnostics.
pub fn explain_exit_code(code: i32) -> Option<&'static str> {
    match code {
        126 => Some("the command was found but could not be executed (permission denied?)"),
        127 => Some("command not found"),
        137 => Some("killed by SIGKILL"),
        143 => Some("terminated by SIGTERM"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_reasons_map_to_yarn_statuses() {
        assert_eq!(StopReason::KilledByAppMaster.exit_status(), -105);
        assert_eq!(StopReason::Released.exit_status(), -100);
        assert_eq!(StopReason::Preempted.exit_status(), -102);
        assert_eq!(StopReason::KilledByResourceManager.exit_status(), -106);
        assert_eq!(StopReason::AfterAppCompletion.exit_status(), -107);
        assert_eq!(StopReason::Status(-101).exit_status(), -101);
    }

    #[test]
    fn signal_deaths_are_128_plus_signal() {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            process_exit_status(std::process::ExitStatus::from_raw(9)),
            137
        );
        assert_eq!(
            process_exit_status(std::process::ExitStatus::from_raw(3 << 8)),
            3
        );
    }
}
