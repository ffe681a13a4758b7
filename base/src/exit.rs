//! YARN's container exit statuses (`ContainerExitStatus`) and what each one means.
//!
//! The one copy of these numbers in Spindle: the I/O-free allocator and the protocol crate
//! (which re-exports it as `spindle_protocol::yarn::records`) share it.

/// Container exit statuses (`ContainerExitStatus.java`); any other value is the process's own
/// exit code.
pub mod exit_status {
    /// Exited normally.
    pub const SUCCESS: i32 = 0;
    /// Not exited yet (the proto default).
    pub const INVALID: i32 = -1000;
    /// Released by the AM, allocation expired unused, lost node, and similar RM aborts.
    pub const ABORTED: i32 = -100;
    /// The node's disks failed.
    pub const DISKS_FAILED: i32 = -101;
    /// Preempted by the scheduler.
    pub const PREEMPTED: i32 = -102;
    /// Killed for exceeding its virtual-memory limit.
    pub const KILLED_EXCEEDED_VMEM: i32 = -103;
    /// Killed for exceeding its physical-memory limit.
    pub const KILLED_EXCEEDED_PMEM: i32 = -104;
    /// Stopped by the AM (`stopContainers`).
    pub const KILLED_BY_APPMASTER: i32 = -105;
    /// Killed by the ResourceManager.
    pub const KILLED_BY_RESOURCEMANAGER: i32 = -106;
    /// Killed because the application finished.
    pub const KILLED_AFTER_APP_COMPLETION: i32 = -107;
    /// Killed by the NM's container scheduler (e.g. an opportunistic container).
    pub const KILLED_BY_CONTAINER_SCHEDULER: i32 = -108;
    /// Killed for writing too many logs.
    pub const KILLED_FOR_EXCESS_LOGS: i32 = -109;
}

/// What a container's exit status means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContainerExit {
    /// Still running or not reported yet (-1000).
    NotExited,
    /// Exit status 0.
    Success,
    /// Taken back by the RM (-100): released, expired, node lost.
    Aborted,
    /// The node's disks failed (-101).
    DisksFailed,
    /// Preempted (-102).
    Preempted,
    /// Over its virtual-memory limit (-103).
    ExceededVirtualMemory,
    /// Over its physical-memory limit (-104).
    ExceededPhysicalMemory,
    /// Stopped by the AM (-105).
    KilledByAppMaster,
    /// Killed by the RM (-106).
    KilledByResourceManager,
    /// Killed after the application completed (-107).
    KilledAfterAppCompletion,
    /// Killed by the NM container scheduler (-108).
    KilledByContainerScheduler,
    /// Killed for excess logs (-109).
    KilledForExcessLogs,
    /// The process exited with this code (non-zero, or a negative value YARN does not define).
    Process(i32),
}

impl ContainerExit {
    /// Classifies a raw exit status.
    pub fn from_status(status: i32) -> Self {
        use exit_status::*;
        match status {
            INVALID => ContainerExit::NotExited,
            SUCCESS => ContainerExit::Success,
            ABORTED => ContainerExit::Aborted,
            DISKS_FAILED => ContainerExit::DisksFailed,
            PREEMPTED => ContainerExit::Preempted,
            KILLED_EXCEEDED_VMEM => ContainerExit::ExceededVirtualMemory,
            KILLED_EXCEEDED_PMEM => ContainerExit::ExceededPhysicalMemory,
            KILLED_BY_APPMASTER => ContainerExit::KilledByAppMaster,
            KILLED_BY_RESOURCEMANAGER => ContainerExit::KilledByResourceManager,
            KILLED_AFTER_APP_COMPLETION => ContainerExit::KilledAfterAppCompletion,
            KILLED_BY_CONTAINER_SCHEDULER => ContainerExit::KilledByContainerScheduler,
            KILLED_FOR_EXCESS_LOGS => ContainerExit::KilledForExcessLogs,
            code => ContainerExit::Process(code),
        }
    }

    /// Whether the container's own program is to blame (a non-zero process exit or a memory
    /// limit), as opposed to the cluster taking the container away.
    pub fn is_app_failure(&self) -> bool {
        matches!(
            self,
            ContainerExit::Process(_)
                | ContainerExit::ExceededPhysicalMemory
                | ContainerExit::ExceededVirtualMemory
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_status_round_trips_and_others_are_process_codes() {
        use exit_status::*;
        let named = [
            (INVALID, ContainerExit::NotExited),
            (SUCCESS, ContainerExit::Success),
            (ABORTED, ContainerExit::Aborted),
            (DISKS_FAILED, ContainerExit::DisksFailed),
            (PREEMPTED, ContainerExit::Preempted),
            (KILLED_EXCEEDED_VMEM, ContainerExit::ExceededVirtualMemory),
            (KILLED_EXCEEDED_PMEM, ContainerExit::ExceededPhysicalMemory),
            (KILLED_BY_APPMASTER, ContainerExit::KilledByAppMaster),
            (
                KILLED_BY_RESOURCEMANAGER,
                ContainerExit::KilledByResourceManager,
            ),
            (
                KILLED_AFTER_APP_COMPLETION,
                ContainerExit::KilledAfterAppCompletion,
            ),
            (
                KILLED_BY_CONTAINER_SCHEDULER,
                ContainerExit::KilledByContainerScheduler,
            ),
            (KILLED_FOR_EXCESS_LOGS, ContainerExit::KilledForExcessLogs),
        ];
        for (code, exit) in named {
            assert_eq!(ContainerExit::from_status(code), exit, "{code}");
        }
        for code in [1, 137, 143, -1, -110] {
            assert_eq!(
                ContainerExit::from_status(code),
                ContainerExit::Process(code)
            );
        }
    }

    #[test]
    fn only_the_programs_own_failures_are_app_failures() {
        assert!(ContainerExit::Process(1).is_app_failure());
        assert!(ContainerExit::ExceededPhysicalMemory.is_app_failure());
        assert!(ContainerExit::ExceededVirtualMemory.is_app_failure());
        assert!(!ContainerExit::Preempted.is_app_failure());
        assert!(!ContainerExit::KilledByAppMaster.is_app_failure());
        assert!(!ContainerExit::Success.is_app_failure());
    }
}
