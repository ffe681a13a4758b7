//! Exit-status classes of completed containers: whose fault it was, whether it counts as a
//! failure, and what to tell the driver.

use crate::types::{ContainerId, HostName};

/// YARN's exit statuses, from the one shared table.
pub use spindle_base::exit::exit_status;

/// Why a container ended, as the allocator sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitClass {
    /// The allocator released it (kill, surplus, failed launch).
    ReleasedByAllocator,
    /// It ended after the driver announced shutdown.
    AfterShutdown,
    /// Exit status 0: a YARN event, not an error of the job.
    Success,
    /// Preempted (SPARK-8167: not the job's fault).
    Preempted,
    /// Killed for exceeding virtual memory (the app's fault, not a node problem).
    VirtualMemoryExceeded,
    /// Killed for exceeding physical memory (the app's fault, not a node problem).
    PhysicalMemoryExceeded,
    /// Killed by the RM or AM, aborted, disks failed: neither the app's nor the node's fault
    /// (Hadoop's `shouldCountTowardsNodeBlacklisting`).
    NotAppFault,
    /// Anything else: a failure that counts against the budget and the host.
    Failure,
}

impl ExitClass {
    /// Classifies an exit status of a container the allocator did not release, before any
    /// shutdown.
    pub fn of_status(status: i32) -> Self {
        use exit_status::*;
        match status {
            SUCCESS => Self::Success,
            PREEMPTED => Self::Preempted,
            KILLED_EXCEEDED_VMEM => Self::VirtualMemoryExceeded,
            KILLED_EXCEEDED_PMEM => Self::PhysicalMemoryExceeded,
            KILLED_BY_RESOURCEMANAGER
            | KILLED_BY_APPMASTER
            | KILLED_AFTER_APP_COMPLETION
            | ABORTED
            | DISKS_FAILED => Self::NotAppFault,
            _ => Self::Failure,
        }
    }

    /// Whether the exit is the application's fault (what the driver's scheduler uses to
    /// count task failures).
    pub fn caused_by_app(self) -> bool {
        matches!(
            self,
            Self::VirtualMemoryExceeded | Self::PhysicalMemoryExceeded | Self::Failure
        )
    }

    /// Whether it counts toward the failure budget and the host's failures.
    pub fn counts_as_failure(self) -> bool {
        matches!(self, Self::Failure)
    }
}

/// Why an executor's container ended: what the driver is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorExit {
    /// YARN's exit status.
    pub exit_status: i32,
    /// Whether the application is to blame.
    pub exit_caused_by_app: bool,
    /// The class the status fell in.
    pub class: ExitClass,
    /// A human-readable explanation.
    pub message: String,
}

/// Builds the exit record of a completed container.
pub fn describe_exit(
    class: ExitClass,
    container: &ContainerId,
    host: Option<&HostName>,
    status: i32,
    diagnostics: &str,
) -> ExecutorExit {
    let on_host = host.map(|h| format!(" on host {h}")).unwrap_or_default();
    let message = match class {
        ExitClass::ReleasedByAllocator => {
            format!(
                "Container {container} exited because the application master asked for it to be stopped."
            )
        }
        ExitClass::AfterShutdown => {
            format!("Container {container}{on_host} exited after the application shut down.")
        }
        ExitClass::Success => format!(
            "Container {container}{on_host} exited with status 0: a YARN event (such as preemption), not an error of the job."
        ),
        ExitClass::Preempted => format!("Container {container}{on_host} was preempted."),
        ExitClass::VirtualMemoryExceeded => format!(
            "Container {container}{on_host} was killed by YARN for exceeding virtual memory limits.{} \
             Raise the executor memory overhead, raise yarn.nodemanager.vmem-pmem-ratio, or disable \
             yarn.nodemanager.vmem-check-enabled (YARN-4714).",
            memory_usage(diagnostics, "virtual")
                .map(|u| format!(" {u}."))
                .unwrap_or_default()
        ),
        ExitClass::PhysicalMemoryExceeded => format!(
            "Container {container}{on_host} was killed by YARN for exceeding physical memory limits.{} \
             Raise the executor memory overhead.",
            memory_usage(diagnostics, "physical")
                .map(|u| format!(" {u}."))
                .unwrap_or_default()
        ),
        ExitClass::NotAppFault => format!(
            "Container {container}{on_host} was stopped by YARN (exit status {status}), not by a fault of the \
             application. Diagnostics: {diagnostics}"
        ),
        ExitClass::Failure => format!(
            "Container {container}{on_host} failed with exit status {status} ({}). Diagnostics: {diagnostics}",
            explain_status(status)
        ),
    };
    ExecutorExit {
        exit_status: status,
        exit_caused_by_app: class.caused_by_app(),
        class,
        message,
    }
}

/// A short explanation of common exit statuses.
pub fn explain_status(status: i32) -> &'static str {
    match status {
        exit_status::INVALID => "no exit status was recorded",
        exit_status::KILLED_BY_CONTAINER_SCHEDULER => {
            "killed by the NodeManager's container scheduler"
        }
        exit_status::KILLED_FOR_EXCESS_LOGS => "killed for writing too many logs",
        1 => "the executor exited with an error",
        137 => "killed with SIGKILL, often by the out-of-memory killer",
        143 => "terminated with SIGTERM",
        154 => "the NodeManager lost the container",
        _ => "see the container's logs",
    }
}

/// Finds `"<n> <K|M|G>B of <n> <K|M|G>B <kind> memory used"` in YARN's diagnostics.
pub fn memory_usage<'a>(diagnostics: &'a str, kind: &str) -> Option<&'a str> {
    let tail = format!(" {kind} memory used");
    let end_of_phrase = diagnostics.find(&tail)? + tail.len();
    let head = &diagnostics[..end_of_phrase - tail.len()];
    // head ends with "<n> XB of <n> XB"; walk back over two amounts separated by " of ".
    let second = amount_start(head)?;
    let before = head[..second].strip_suffix(" of ")?;
    let first = amount_start(before)?;
    Some(&diagnostics[first..end_of_phrase])
}

/// If `s` ends with `<digits/dots> <K|M|G>B`, the byte index where the number starts.
fn amount_start(s: &str) -> Option<usize> {
    let s_bytes = s.as_bytes();
    let n = s_bytes.len();
    if n < 4
        || s_bytes[n - 1] != b'B'
        || !matches!(s_bytes[n - 2], b'K' | b'M' | b'G')
        || s_bytes[n - 3] != b' '
    {
        return None;
    }
    let mut i = n - 3;
    while i > 0 && (s_bytes[i - 1].is_ascii_digit() || s_bytes[i - 1] == b'.') {
        i -= 1;
    }
    (i < n - 3).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_table() {
        use exit_status::*;
        for s in [
            SUCCESS,
            PREEMPTED,
            KILLED_BY_RESOURCEMANAGER,
            KILLED_BY_APPMASTER,
            KILLED_AFTER_APP_COMPLETION,
            ABORTED,
            DISKS_FAILED,
        ] {
            let c = ExitClass::of_status(s);
            assert!(!c.caused_by_app() && !c.counts_as_failure(), "{s}");
        }
        for s in [KILLED_EXCEEDED_VMEM, KILLED_EXCEEDED_PMEM] {
            let c = ExitClass::of_status(s);
            assert!(c.caused_by_app() && !c.counts_as_failure(), "{s}");
        }
        for s in [
            1,
            137,
            143,
            INVALID,
            KILLED_BY_CONTAINER_SCHEDULER,
            KILLED_FOR_EXCESS_LOGS,
            -1,
        ] {
            let c = ExitClass::of_status(s);
            assert!(c.caused_by_app() && c.counts_as_failure(), "{s}");
        }
    }

    #[test]
    fn memory_usage_is_extracted() {
        let d = "Container [pid=1,containerID=c] is running beyond physical memory limits. \
                 Current usage: 2.1 GB of 2 GB physical memory used; 4.5 GB of 4.2 GB virtual memory used. Killing.";
        assert_eq!(
            memory_usage(d, "physical"),
            Some("2.1 GB of 2 GB physical memory used")
        );
        assert_eq!(
            memory_usage(d, "virtual"),
            Some("4.5 GB of 4.2 GB virtual memory used")
        );
        assert_eq!(memory_usage("nothing here", "physical"), None);
        assert_eq!(memory_usage("x physical memory used", "physical"), None);
        let e = describe_exit(
            ExitClass::PhysicalMemoryExceeded,
            &"c1".into(),
            None,
            -104,
            d,
        );
        assert!(
            e.message.contains("2.1 GB of 2 GB physical memory used."),
            "{}",
            e.message
        );
        assert!(e.exit_caused_by_app);
    }
}
