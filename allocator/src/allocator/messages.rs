//! What goes in and out of the allocator: the request to send, the actions for the shell,
//! the driver's target update, recovered containers and the application's failure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use crate::completion::ExecutorExit;
use crate::exclusion::ExclusionDelta;
use crate::types::{Container, ContainerId, ExecutorId, HostName, ProfileId, Resource};

/// One entry of YARN's ask table: the absolute number of containers wanted for a priority at
/// a location (host, rack or `*`). A count of 0 clears an entry the RM had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceAsk {
    /// The profile; equals `priority`.
    pub profile: ProfileId,
    /// YARN priority (the profile id).
    pub priority: i32,
    /// Host, rack, or `*`.
    pub resource_name: Arc<str>,
    /// The container size.
    pub capability: Resource,
    /// Containers wanted at this location.
    pub num_containers: u32,
    /// Always true: locality is a preference, never a requirement.
    pub relax_locality: bool,
    /// Node-label expression (only on `*` entries).
    pub node_label: Option<String>,
    /// YARN's allocation request id (the profile id).
    pub allocation_request_id: i64,
}

/// What to send in one allocate call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AllocateRequest {
    /// Ask-table entries that changed since the previous request, sorted by profile and
    /// location.
    pub asks: Vec<ResourceAsk>,
    /// Containers to give back.
    pub releases: Vec<ContainerId>,
    /// Exclusion changes (YARN's blacklist additions / removals).
    pub exclusions: ExclusionDelta,
    /// The progress to report (always 0.1, as Spark does).
    pub progress: f32,
}

/// Something the shell must do or know.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Start an executor in this container. In
    /// [`LaunchMode::Tracked`](crate::LaunchMode::Tracked), report the outcome with
    /// [`Allocator::on_launch_succeeded`](crate::Allocator::on_launch_succeeded) /
    /// [`Allocator::on_launch_failed`](crate::Allocator::on_launch_failed).
    Launch {
        /// The executor id to give it.
        executor_id: ExecutorId,
        /// Its profile.
        profile: ProfileId,
        /// The container.
        container: Container,
    },
    /// Tell the driver the executor is gone (Spark's `RemoveExecutor`). Not sent for
    /// executors the allocator released itself.
    ExecutorLost {
        /// The executor.
        executor_id: ExecutorId,
        /// Its container.
        container_id: ContainerId,
        /// Why.
        exit: ExecutorExit,
    },
    /// Answer every pending loss-reason query for this executor.
    LossReason {
        /// The executor.
        executor_id: ExecutorId,
        /// Why it was lost.
        exit: ExecutorExit,
    },
    /// Tell the driver that `host` is being decommissioned (once per host).
    DecommissionHost {
        /// The host.
        host: HostName,
    },
    /// A launch took too long; the container was released. Abort the launch if it is still
    /// running; its outcome will be refused.
    LaunchTimedOut {
        /// The executor id the launch had.
        executor_id: ExecutorId,
        /// The container.
        container_id: ContainerId,
    },
    /// The application cannot go on: finish it as FAILED with this exit code.
    FailApplication {
        /// Exit code (11 for executor failures).
        exit_code: i32,
        /// Diagnostics.
        message: String,
    },
    /// Something odd the shell should log.
    Notice(Notice),
}

/// Odd input the allocator tolerated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A container id seen before was granted again; ignored.
    DuplicateContainer(ContainerId),
    /// A container came with a priority no profile has; released.
    UnknownPriority {
        /// The container.
        container: ContainerId,
        /// Its priority.
        priority: i32,
    },
    /// A container smaller than its profile's ask; released.
    UndersizedContainer {
        /// The container.
        container: ContainerId,
        /// Memory it has.
        memory_mb: u64,
        /// Memory the profile asks for.
        wanted_mb: u64,
    },
    /// A container on an excluded host; released.
    ExcludedHost {
        /// The container.
        container: ContainerId,
        /// Its host.
        host: HostName,
    },
    /// A completion for a container the allocator never had; ignored.
    UnknownCompletion(ContainerId),
    /// The driver asked to kill an executor that is not running; ignored.
    KillUnknownExecutor(ExecutorId),
    /// Every host resolved to the default rack: rack locality means nothing (SPARK-19894).
    DefaultRackCollapse,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateContainer(c) => write!(
                f,
                "container {c} was granted twice; the second grant is ignored"
            ),
            Self::UnknownPriority {
                container,
                priority,
            } => {
                write!(
                    f,
                    "container {container} has priority {priority}, which no resource profile uses; released"
                )
            }
            Self::UndersizedContainer {
                container,
                memory_mb,
                wanted_mb,
            } => write!(
                f,
                "container {container} has {memory_mb} MiB but its profile asks for {wanted_mb} MiB; released"
            ),
            Self::ExcludedHost { container, host } => {
                write!(
                    f,
                    "container {container} is on excluded host {host}; released"
                )
            }
            Self::UnknownCompletion(c) => write!(f, "completion of unknown container {c} ignored"),
            Self::KillUnknownExecutor(e) => write!(f, "attempted to kill unknown executor {e}"),
            Self::DefaultRackCollapse => write!(
                f,
                "every host resolved to the default rack; rack locality is meaningless (check the topology script)"
            ),
        }
    }
}

/// The answer to a loss-reason query.
#[derive(Clone, Debug, PartialEq)]
pub enum LossReasonQuery {
    /// Known now.
    Ready(ExecutorExit),
    /// The executor is still known; the answer comes as [`Action::LossReason`].
    Pending,
}

/// The driver's request for executors (Spark's `RequestExecutors`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TargetUpdate {
    /// New totals for the profiles named; the others keep theirs.
    pub totals: BTreeMap<ProfileId, u32>,
    /// Locality-aware pending tasks per profile (replaces the profile's value).
    pub locality_aware_tasks: BTreeMap<ProfileId, u32>,
    /// Pending tasks per preferred host, per profile (replaces the profile's map).
    pub host_task_counts: BTreeMap<ProfileId, BTreeMap<HostName, u32>>,
    /// The driver's excluded hosts (replaces the set); `None` keeps it.
    pub scheduler_excluded: Option<BTreeSet<HostName>>,
}

/// A container recovered from a previous application attempt (work-preserving AM restart).
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveredContainer {
    /// The container.
    pub container: Container,
    /// The executor id it ran under, if the shell knows it.
    pub executor_id: Option<ExecutorId>,
}

/// Why the application must fail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppFailure {
    /// Exit code.
    pub exit_code: i32,
    /// Diagnostics.
    pub message: String,
}
