//! The JSON shapes of scenario files (`docs/allocator-scenarios.md`). Every struct refuses
//! unknown keys. A step is a [`Step`]: an optional clock and one [`StepAction`], which the
//! file names by its key (`{"allocate": {…}}`, serde's externally tagged enum).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// Deserializes a field that may be absent (outer `None`) or `null` (inner `None`).
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Deserializes `value`, naming the path of the first bad value in the error
/// (`allocate.allocated[0].memory_mb: invalid type: …`).
pub fn typed<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.into_inner().to_string()
        } else {
            format!("{path}: {}", e.into_inner())
        }
    })
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
    /// The steps, each turned into a [`Step`] on its own so that errors name its index.
    pub steps: Vec<Value>,
}

/// `launch_exclusion` of the configuration.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LaunchExclusionSpec {
    /// Enabled.
    pub enabled: bool,
    /// Failures a host may have before exclusion (strictly more excludes it).
    pub max_failed_executors_per_node: Option<u32>,
    /// How long an exclusion lasts.
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

/// The `config` object (every key optional). Keys after `task_cpus` are this crate's
/// extensions.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioConfig {
    /// Target of profile 0 at construction.
    pub initial_executors: u32,
    /// Heap of profile 0.
    pub executor_memory_mb: Option<u64>,
    /// Cores of profile 0.
    pub executor_cores: Option<u32>,
    /// Explicit overhead of profile 0.
    pub memory_overhead_mb: Option<u64>,
    /// Overhead factor.
    pub memory_overhead_factor: Option<f64>,
    /// Minimum overhead.
    pub min_memory_overhead_mb: Option<u64>,
    /// Off-heap memory of profile 0.
    pub off_heap_mb: u64,
    /// Custom resources of profile 0.
    pub executor_resources: BTreeMap<String, u64>,
    /// More profiles.
    pub profiles: Vec<ProfileEntry>,
    /// Failure limit.
    pub max_executor_failures: Option<u32>,
    /// Failure validity window.
    pub failures_validity_ms: Option<u64>,
    /// Launch-failure exclusion.
    pub launch_exclusion: Option<LaunchExclusionSpec>,
    /// Statically excluded hosts.
    pub excluded_nodes: Vec<String>,
    /// Host → rack.
    pub racks: BTreeMap<String, String>,
    /// Announce decommissioning hosts.
    pub decommission_enabled: bool,
    /// Steady heartbeat.
    pub heartbeat_interval_ms: Option<u64>,
    /// First fast heartbeat.
    pub initial_allocation_interval_ms: Option<u64>,
    /// AM liveness expiry.
    pub am_expiry_interval_ms: Option<u64>,
    /// How launches end.
    pub launch: LaunchSpec,
    /// Cores per task.
    pub task_cpus: Option<u32>,
    /// Extension: fail when more failures than this happened in the last minute.
    pub max_failures_per_minute: Option<u32>,
    /// Extension: cap outstanding requests per profile.
    pub max_pending_requests: Option<u32>,
    /// Extension: cap outstanding requests by the reported headroom.
    pub cap_by_headroom: bool,
    /// Extension: release containers granted on excluded hosts.
    pub release_on_excluded_hosts: bool,
    /// Extension: abandon launches that take longer than this (manual launches only).
    pub launch_timeout_ms: Option<u64>,
    /// Extension: the driver's last executor id (new ids continue after it).
    pub last_executor_id: u64,
    /// Extension: node-label expression for any-location asks.
    pub node_label: Option<String>,
}

/// One step: the clock to set first (absolute, never back), and what happens.
#[derive(Debug)]
pub struct Step {
    /// `at_ms`.
    pub at_ms: Option<u64>,
    /// The action.
    pub action: StepAction,
}

/// What a step does. The file names it by its key, e.g. `{"advance_ms": 100}`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    /// The driver's request for executors.
    Targets(TargetsSpec),
    /// One heartbeat: the request, then this response.
    Allocate(AllocateSpec),
    /// The driver kills an executor (by id).
    KillExecutor(String),
    /// A manual launch (by container id) succeeded.
    LaunchSucceeded(String),
    /// A manual launch (by container id) failed.
    LaunchFailed(String),
    /// Moves the clock.
    AdvanceMs(u64),
    /// Checks the state.
    Expect(Box<ExpectSpec>),
    /// Extension: the driver announced shutdown (when true).
    DriverShutdown(bool),
    /// Extension: the RM lost our state (when true).
    Resync(bool),
    /// Extension: the driver asks why an executor (by id) was lost.
    LossReason(String),
    /// Extension: containers recovered from a previous attempt.
    Adopt(Vec<ContainerSpec>),
}

/// Keys of the `targets` action that stand beside it in the step object.
const TARGETS_OPTIONS: [&str; 3] = [
    "scheduler_excluded",
    "locality_aware_tasks",
    "host_task_counts",
];

impl Step {
    /// Reads one step object: `at_ms` plus exactly one action key (`targets` keeps its
    /// options beside it).
    pub fn from_value(value: Value) -> Result<Step, String> {
        let Value::Object(mut obj) = value else {
            return Err("a step must be a JSON object".into());
        };
        let at_ms = match obj.remove("at_ms") {
            Some(v) => Some(typed::<u64>(v).map_err(|e| format!("at_ms: {e}"))?),
            None => None,
        };
        if let Some(totals) = obj.remove("targets") {
            let mut spec = Map::new();
            spec.insert("targets".into(), totals);
            for key in TARGETS_OPTIONS {
                if let Some(v) = obj.remove(key) {
                    spec.insert(key.into(), v);
                }
            }
            obj.insert("targets".into(), Value::Object(spec));
        }
        if obj.len() != 1 {
            let keys: Vec<&String> = obj.keys().collect();
            return Err(format!(
                "a step needs exactly one action key besides at_ms, found {keys:?}"
            ));
        }
        let action = typed(Value::Object(obj))?;
        Ok(Step { at_ms, action })
    }
}

/// The `targets` action with its options.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetsSpec {
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

/// The `allocate` step (every key optional).
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AllocateSpec {
    /// Granted containers.
    pub allocated: Vec<ContainerSpec>,
    /// Completed containers.
    pub completed: Vec<CompletedSpec>,
    /// Node updates.
    pub updated_nodes: Vec<NodeSpec>,
    /// Cluster size.
    pub cluster_nodes: Option<i32>,
    /// Extension: the application's headroom.
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

/// One entry of `removed_executors` / `loss_reason_replies` (fields named are checked).
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExitSpec {
    /// Executor id.
    pub executor: Option<String>,
    /// Exit status.
    pub exit_status: Option<i32>,
    /// Caused by the app.
    pub exit_caused_by_app: Option<bool>,
    /// Extension: a substring of the message.
    pub message_contains: Option<String>,
    /// Extension (`loss_reason_replies` only): the query failed (unknown executor).
    pub error: Option<bool>,
}

/// `app_failed` of `expect`.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AppFailedSpec {
    /// Exit code.
    pub exit_code: Option<i32>,
    /// A substring of the message.
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

/// The `expect` step: every field named is checked.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExpectSpec {
    /// Outstanding requests.
    pub pending: Option<CountSpec>,
    /// Running executors.
    pub running: Option<CountSpec>,
    /// Starting executors.
    pub starting: Option<CountSpec>,
    /// Exact host → running containers.
    pub host_containers: Option<BTreeMap<String, u32>>,
    /// Partial container → executor.
    pub executor_of: Option<BTreeMap<String, String>>,
    /// Exact set of released containers.
    pub released: Option<Vec<String>>,
    /// Failures counted now.
    pub failed: Option<u64>,
    /// Partial host → failures.
    pub host_failures: Option<BTreeMap<String, u64>>,
    /// Unexpected releases.
    pub unexpected_releases: Option<u64>,
    /// Exact excluded set.
    pub excluded_nodes: Option<Vec<String>>,
    /// Exact additions sent.
    pub blacklist_additions: Option<Vec<String>>,
    /// Exact removals sent.
    pub blacklist_removals: Option<Vec<String>>,
    /// Multiset of pending node lists.
    pub pending_localities: Option<Vec<Option<Vec<String>>>>,
    /// A profile's ask.
    pub container_ask: Option<AskSpec>,
    /// Multiset of loss notices.
    pub removed_executors: Option<Vec<ExitSpec>>,
    /// Decommission notices, in order.
    pub decommission_notices: Option<Vec<String>>,
    /// `null` or the failure.
    #[serde(deserialize_with = "double_option")]
    pub app_failed: Option<Option<AppFailedSpec>>,
    /// Interval after the last allocate.
    pub next_heartbeat_ms: Option<u64>,
    /// Extension: loss-reason answers so far, in order.
    pub loss_reason_replies: Option<Vec<ExitSpec>>,
    /// Extension: ask-table entries sent in the most recent request (partial: entries named).
    pub asks: Option<Vec<AskEntrySpec>>,
    /// Extension: the releases sent in the most recent request (exact set).
    pub sent_releases: Option<Vec<String>>,
    /// Extension: executors whose launch timed out, in order.
    pub launch_timeouts: Option<Vec<String>>,
    /// Extension: the launch actions so far, as executor ids in order.
    pub launched: Option<Vec<String>>,
    /// Extension: the number of notices (odd input tolerated) so far.
    pub notices: Option<usize>,
}
