//! The JSON shapes of scenario files (format v1, `shared/allocator-scenarios/FORMAT.md`),
//! plus this crate's documented extensions. Every struct refuses unknown keys.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// Deserializes a field that may be absent (outer `None`) or `null` (inner `None`).
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The placement-strategy scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementFile {
    /// Scenario name.
    pub name: String,
    /// The inputs.
    pub placement: PlacementSpec,
    /// One entry per request: sorted preferred nodes, or `null`.
    #[serde(default)]
    pub expect: Option<Vec<Option<Vec<String>>>>,
    /// How many requests come back.
    #[serde(default)]
    pub expect_count: Option<usize>,
    /// How many of them have no preference.
    #[serde(default)]
    pub expect_null_count: Option<usize>,
}

/// Inputs of the placement strategy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementSpec {
    /// Executor cores.
    pub executor_cores: u32,
    /// Cores per task.
    #[serde(default = "one")]
    pub task_cpus: u32,
    /// Host → rack (accepted for completeness; the node lists do not depend on it).
    #[serde(default)]
    #[allow(dead_code)]
    pub racks: BTreeMap<String, String>,
    /// Running containers per host.
    #[serde(default)]
    pub allocated: BTreeMap<String, u32>,
    /// Node lists of the locality-matched pending requests.
    #[serde(default)]
    pub pending: Vec<Vec<String>>,
    /// New requests to place.
    pub containers: usize,
    /// Locality-aware pending tasks.
    pub locality_aware_tasks: u32,
    /// Pending tasks per host.
    #[serde(default)]
    pub host_task_counts: BTreeMap<String, u32>,
}

fn one() -> u32 {
    1
}

/// The allocator scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocatorFile {
    /// Scenario name.
    pub name: String,
    /// Configuration.
    #[serde(default)]
    pub config: ScenarioConfig,
    /// The steps, parsed one by one (each has exactly one action key).
    pub steps: Vec<serde_json::Value>,
}

/// `launch_exclusion` of the configuration.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct LaunchExclusionSpec {
    /// Enabled.
    #[serde(default)]
    pub enabled: bool,
    /// Failures a host may have before exclusion (strictly more excludes it).
    #[serde(default)]
    pub max_failed_executors_per_node: Option<u32>,
    /// How long an exclusion lasts.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// How launches end.
#[derive(Debug, Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LaunchSpec {
    /// A matched container is launched successfully at once.
    #[default]
    Immediate,
    /// It stays starting until a `launch_succeeded` / `launch_failed` step.
    Manual,
}

/// One more resource profile.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileEntry {
    /// Profile id (= priority).
    pub id: u32,
    /// Heap, MiB (default 1024).
    #[serde(default)]
    pub executor_memory_mb: Option<u64>,
    /// Cores (default 1).
    #[serde(default)]
    pub executor_cores: Option<u32>,
    /// Custom resources.
    #[serde(default)]
    pub resources: BTreeMap<String, u64>,
    /// Explicit overhead.
    #[serde(default)]
    pub memory_overhead_mb: Option<u64>,
    /// Off-heap memory.
    #[serde(default)]
    pub off_heap_mb: u64,
}

/// The `config` object. Keys after `task_cpus` are this crate's extensions.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ScenarioConfig {
    /// Target of profile 0 at construction.
    #[serde(default)]
    pub initial_executors: u32,
    /// Heap of profile 0.
    #[serde(default)]
    pub executor_memory_mb: Option<u64>,
    /// Cores of profile 0.
    #[serde(default)]
    pub executor_cores: Option<u32>,
    /// Explicit overhead of profile 0.
    #[serde(default)]
    pub memory_overhead_mb: Option<u64>,
    /// Overhead factor.
    #[serde(default)]
    pub memory_overhead_factor: Option<f64>,
    /// Minimum overhead.
    #[serde(default)]
    pub min_memory_overhead_mb: Option<u64>,
    /// Off-heap memory of profile 0.
    #[serde(default)]
    pub off_heap_mb: u64,
    /// Custom resources of profile 0.
    #[serde(default)]
    pub executor_resources: BTreeMap<String, u64>,
    /// More profiles.
    #[serde(default)]
    pub profiles: Vec<ProfileEntry>,
    /// Failure limit.
    #[serde(default)]
    pub max_executor_failures: Option<u32>,
    /// Failure validity window.
    #[serde(default)]
    pub failures_validity_ms: Option<u64>,
    /// Launch-failure exclusion.
    #[serde(default)]
    pub launch_exclusion: Option<LaunchExclusionSpec>,
    /// Statically excluded hosts.
    #[serde(default)]
    pub excluded_nodes: Vec<String>,
    /// Host → rack.
    #[serde(default)]
    pub racks: BTreeMap<String, String>,
    /// Announce decommissioning hosts.
    #[serde(default)]
    pub decommission_enabled: bool,
    /// Steady heartbeat.
    #[serde(default)]
    pub heartbeat_interval_ms: Option<u64>,
    /// First fast heartbeat.
    #[serde(default)]
    pub initial_allocation_interval_ms: Option<u64>,
    /// AM liveness expiry.
    #[serde(default)]
    pub am_expiry_interval_ms: Option<u64>,
    /// How launches end.
    #[serde(default)]
    pub launch: LaunchSpec,
    /// Cores per task.
    #[serde(default)]
    pub task_cpus: Option<u32>,
    /// Extension: fail when more failures than this happened in the last minute.
    #[serde(default)]
    pub max_failures_per_minute: Option<u32>,
    /// Extension: cap outstanding requests per profile.
    #[serde(default)]
    pub max_pending_requests: Option<u32>,
    /// Extension: cap outstanding requests by the reported headroom.
    #[serde(default)]
    pub cap_by_headroom: bool,
    /// Extension: release containers granted on excluded hosts.
    #[serde(default)]
    pub release_on_excluded_hosts: bool,
    /// Extension: abandon launches that take longer than this (manual launches only).
    #[serde(default)]
    pub launch_timeout_ms: Option<u64>,
    /// Extension: the driver's last executor id (new ids continue after it).
    #[serde(default)]
    pub last_executor_id: u64,
    /// Extension: node-label expression for any-location asks.
    #[serde(default)]
    pub node_label: Option<String>,
}

/// The `targets` step (the driver's request for executors).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsStep {
    /// Totals per profile id.
    pub targets: BTreeMap<String, i64>,
    /// The driver's excluded hosts.
    #[serde(default)]
    pub scheduler_excluded: Option<Vec<String>>,
    /// Locality-aware tasks per profile.
    #[serde(default)]
    pub locality_aware_tasks: Option<BTreeMap<String, u32>>,
    /// Tasks per host per profile.
    #[serde(default)]
    pub host_task_counts: Option<BTreeMap<String, BTreeMap<String, u32>>>,
    /// Clock.
    #[serde(default)]
    pub at_ms: Option<u64>,
}

/// A granted container.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerSpec {
    /// Id.
    pub id: String,
    /// Host.
    pub host: String,
    /// Memory (default: the profile's ask).
    #[serde(default)]
    pub memory_mb: Option<u64>,
    /// Vcores (default: the profile's ask).
    #[serde(default)]
    pub vcores: Option<u32>,
    /// Priority (default 0).
    #[serde(default)]
    pub priority: i32,
    /// Extension (`adopt` only): the executor id it ran under.
    #[serde(default)]
    pub executor: Option<String>,
}

/// A completed container.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompletedSpec {
    /// Id.
    pub id: String,
    /// Exit status.
    pub exit_status: i32,
    /// Diagnostics.
    #[serde(default)]
    pub diagnostics: String,
}

/// A node-state change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    /// Host.
    pub host: String,
    /// YARN node state (`RUNNING`, `DECOMMISSIONING`, …).
    pub state: String,
}

/// Headroom (extension).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    /// Memory.
    pub memory_mb: u64,
    /// Vcores.
    pub vcores: u32,
}

/// The `allocate` step.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AllocateSpec {
    /// Granted containers.
    #[serde(default)]
    pub allocated: Vec<ContainerSpec>,
    /// Completed containers.
    #[serde(default)]
    pub completed: Vec<CompletedSpec>,
    /// Node updates.
    #[serde(default)]
    pub updated_nodes: Vec<NodeSpec>,
    /// Cluster size.
    #[serde(default)]
    pub cluster_nodes: Option<i32>,
    /// Extension: the application's headroom.
    #[serde(default)]
    pub available_resources: Option<ResourceSpec>,
}

/// A per-profile or total count.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum CountSpec {
    /// Over all profiles.
    Total(u64),
    /// For the profiles named.
    PerProfile(BTreeMap<String, u64>),
}

/// `container_ask` of `expect`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskSpec {
    /// Profile (default 0).
    #[serde(default)]
    pub profile: u32,
    /// Memory.
    #[serde(default)]
    pub memory_mb: Option<u64>,
    /// Vcores.
    #[serde(default)]
    pub vcores: Option<u32>,
    /// Custom resources checked.
    #[serde(default)]
    pub resources: Option<BTreeMap<String, u64>>,
}

/// One entry of `removed_executors` / `loss_reason_replies`.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExitSpec {
    /// Executor id.
    #[serde(default)]
    pub executor: Option<String>,
    /// Exit status.
    #[serde(default)]
    pub exit_status: Option<i32>,
    /// Caused by the app.
    #[serde(default)]
    pub exit_caused_by_app: Option<bool>,
    /// Extension: a substring of the message.
    #[serde(default)]
    pub message_contains: Option<String>,
    /// Extension (`loss_reason_replies` only): the query failed (unknown executor).
    #[serde(default)]
    pub error: Option<bool>,
}

/// `app_failed` of `expect`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppFailedSpec {
    /// Exit code.
    #[serde(default)]
    pub exit_code: Option<i32>,
    /// A substring of the message.
    #[serde(default)]
    pub message_contains: Option<String>,
}

/// One ask-table entry (extension `asks`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskEntrySpec {
    /// Profile (default 0).
    #[serde(default)]
    pub profile: u32,
    /// Location: host, rack or `*`.
    pub location: String,
    /// Containers wanted there.
    pub count: u32,
    /// Node label, checked when named.
    #[serde(default, deserialize_with = "double_option")]
    pub node_label: Option<Option<String>>,
}

/// The `expect` step.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectSpec {
    /// Outstanding requests.
    #[serde(default)]
    pub pending: Option<CountSpec>,
    /// Running executors.
    #[serde(default)]
    pub running: Option<CountSpec>,
    /// Starting executors.
    #[serde(default)]
    pub starting: Option<CountSpec>,
    /// Exact host → running containers.
    #[serde(default)]
    pub host_containers: Option<BTreeMap<String, u32>>,
    /// Partial container → executor.
    #[serde(default)]
    pub executor_of: Option<BTreeMap<String, String>>,
    /// Exact set of released containers.
    #[serde(default)]
    pub released: Option<Vec<String>>,
    /// Failures counted now.
    #[serde(default)]
    pub failed: Option<u64>,
    /// Partial host → failures.
    #[serde(default)]
    pub host_failures: Option<BTreeMap<String, u64>>,
    /// Unexpected releases.
    #[serde(default)]
    pub unexpected_releases: Option<u64>,
    /// Exact excluded set.
    #[serde(default)]
    pub excluded_nodes: Option<Vec<String>>,
    /// Exact additions sent.
    #[serde(default)]
    pub blacklist_additions: Option<Vec<String>>,
    /// Exact removals sent.
    #[serde(default)]
    pub blacklist_removals: Option<Vec<String>>,
    /// Multiset of pending node lists.
    #[serde(default)]
    pub pending_localities: Option<Vec<Option<Vec<String>>>>,
    /// A profile's ask.
    #[serde(default)]
    pub container_ask: Option<AskSpec>,
    /// Multiset of loss notices.
    #[serde(default)]
    pub removed_executors: Option<Vec<ExitSpec>>,
    /// Decommission notices, in order.
    #[serde(default)]
    pub decommission_notices: Option<Vec<String>>,
    /// `null` or the failure.
    #[serde(default, deserialize_with = "double_option")]
    pub app_failed: Option<Option<AppFailedSpec>>,
    /// Interval after the last allocate.
    #[serde(default)]
    pub next_heartbeat_ms: Option<u64>,
    /// Extension: loss-reason answers so far, in order.
    #[serde(default)]
    pub loss_reason_replies: Option<Vec<ExitSpec>>,
    /// Extension: ask-table entries sent in the most recent request (partial: entries named).
    #[serde(default)]
    pub asks: Option<Vec<AskEntrySpec>>,
    /// Extension: the releases sent in the most recent request (exact set).
    #[serde(default)]
    pub sent_releases: Option<Vec<String>>,
    /// Extension: executors whose launch timed out, in order.
    #[serde(default)]
    pub launch_timeouts: Option<Vec<String>>,
    /// Extension: the launch actions so far, as executor ids in order.
    #[serde(default)]
    pub launched: Option<Vec<String>>,
    /// Extension: the number of notices (odd input tolerated) so far.
    #[serde(default)]
    pub notices: Option<usize>,
}

/// `adopt` step entries (extension).
pub type AdoptSpec = Vec<ContainerSpec>;
