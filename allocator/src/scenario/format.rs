//! The JSON shapes of scenario files. Field names are the file's keys; what each means is
//! in `docs/allocator-scenarios.md`. Every struct refuses unknown keys; an `Option` field may
//! be left out (serde reads a missing one as `None`, so it needs no `#[serde(default)]`). A
//! step is a [`Step`]: an optional clock and one [`StepAction`], which the file names by its
//! key (`{"allocate": {…}}`, serde's externally tagged enum).

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
    pub name: String,
    pub placement: PlacementSpec,
    pub expect: Option<Vec<Option<Vec<String>>>>,
    pub expect_count: Option<usize>,
    pub expect_null_count: Option<usize>,
}

/// Inputs of the placement strategy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacementSpec {
    pub executor_cores: u32,
    #[serde(default = "one")]
    pub task_cpus: u32,
    // Accepted for completeness: the node lists do not depend on racks.
    #[serde(default)]
    #[allow(dead_code)]
    pub racks: BTreeMap<String, String>,
    #[serde(default)]
    pub allocated: BTreeMap<String, u32>,
    #[serde(default)]
    pub pending: Vec<Vec<String>>,
    pub containers: usize,
    pub locality_aware_tasks: u32,
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
    pub name: String,
    #[serde(default)]
    pub config: ScenarioConfig,
    pub steps: Vec<Value>,
}

/// `launch_exclusion` of the configuration.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LaunchExclusionSpec {
    pub enabled: bool,
    pub max_failed_executors_per_node: Option<u32>,
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
    pub id: u32,
    pub executor_memory_mb: Option<u64>,
    pub executor_cores: Option<u32>,
    #[serde(default)]
    pub resources: BTreeMap<String, u64>,
    pub memory_overhead_mb: Option<u64>,
    #[serde(default)]
    pub off_heap_mb: u64,
}

/// The `config` object (every key optional). Keys after `task_cpus` are this crate's
/// extensions.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioConfig {
    pub initial_executors: u32,
    pub executor_memory_mb: Option<u64>,
    pub executor_cores: Option<u32>,
    pub memory_overhead_mb: Option<u64>,
    pub memory_overhead_factor: Option<f64>,
    pub min_memory_overhead_mb: Option<u64>,
    pub off_heap_mb: u64,
    pub executor_resources: BTreeMap<String, u64>,
    pub profiles: Vec<ProfileEntry>,
    pub max_executor_failures: Option<u32>,
    pub failures_validity_ms: Option<u64>,
    pub launch_exclusion: Option<LaunchExclusionSpec>,
    pub excluded_nodes: Vec<String>,
    pub racks: BTreeMap<String, String>,
    pub decommission_enabled: bool,
    pub heartbeat_interval_ms: Option<u64>,
    pub initial_allocation_interval_ms: Option<u64>,
    pub am_expiry_interval_ms: Option<u64>,
    pub launch: LaunchSpec,
    pub task_cpus: Option<u32>,
    pub max_failures_per_minute: Option<u32>,
    pub max_pending_requests: Option<u32>,
    pub cap_by_headroom: bool,
    pub release_on_excluded_hosts: bool,
    pub launch_timeout_ms: Option<u64>,
    pub last_executor_id: u64,
    pub node_label: Option<String>,
}

/// One step: the clock to set first (absolute, never back), and what happens.
#[derive(Debug)]
pub struct Step {
    pub at_ms: Option<u64>,
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
    pub targets: BTreeMap<String, i64>,
    pub scheduler_excluded: Option<Vec<String>>,
    pub locality_aware_tasks: Option<BTreeMap<String, u32>>,
    pub host_task_counts: Option<BTreeMap<String, BTreeMap<String, u32>>>,
}

/// A granted container.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerSpec {
    pub id: String,
    pub host: String,
    pub memory_mb: Option<u64>,
    pub vcores: Option<u32>,
    #[serde(default)]
    pub priority: i32,
    pub executor: Option<String>,
}

/// A completed container.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompletedSpec {
    pub id: String,
    pub exit_status: i32,
    #[serde(default)]
    pub diagnostics: String,
}

/// A node-state change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    pub host: String,
    pub state: String,
}

/// Headroom (extension).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    pub memory_mb: u64,
    pub vcores: u32,
}

/// The `allocate` step (every key optional).
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AllocateSpec {
    pub allocated: Vec<ContainerSpec>,
    pub completed: Vec<CompletedSpec>,
    pub updated_nodes: Vec<NodeSpec>,
    pub cluster_nodes: Option<i32>,
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
    #[serde(default)]
    pub profile: u32,
    pub memory_mb: Option<u64>,
    pub vcores: Option<u32>,
    pub resources: Option<BTreeMap<String, u64>>,
}

/// One entry of `removed_executors` / `loss_reason_replies` (fields named are checked).
#[derive(Debug, Deserialize, Clone, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExitSpec {
    pub executor: Option<String>,
    pub exit_status: Option<i32>,
    pub exit_caused_by_app: Option<bool>,
    pub message_contains: Option<String>,
    pub error: Option<bool>,
}

/// `app_failed` of `expect`.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AppFailedSpec {
    pub exit_code: Option<i32>,
    pub message_contains: Option<String>,
}

/// One ask-table entry (extension `asks`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskEntrySpec {
    #[serde(default)]
    pub profile: u32,
    pub location: String,
    pub count: u32,
    #[serde(default, deserialize_with = "double_option")]
    pub node_label: Option<Option<String>>,
}

/// The `expect` step: every field named is checked.
#[derive(Debug, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ExpectSpec {
    pub pending: Option<CountSpec>,
    pub running: Option<CountSpec>,
    pub starting: Option<CountSpec>,
    pub host_containers: Option<BTreeMap<String, u32>>,
    pub executor_of: Option<BTreeMap<String, String>>,
    pub released: Option<Vec<String>>,
    pub failed: Option<u64>,
    pub host_failures: Option<BTreeMap<String, u64>>,
    pub unexpected_releases: Option<u64>,
    pub excluded_nodes: Option<Vec<String>>,
    pub blacklist_additions: Option<Vec<String>>,
    pub blacklist_removals: Option<Vec<String>>,
    pub pending_localities: Option<Vec<Option<Vec<String>>>>,
    pub container_ask: Option<AskSpec>,
    pub removed_executors: Option<Vec<ExitSpec>>,
    pub decommission_notices: Option<Vec<String>>,
    #[serde(deserialize_with = "double_option")]
    pub app_failed: Option<Option<AppFailedSpec>>,
    pub next_heartbeat_ms: Option<u64>,
    pub loss_reason_replies: Option<Vec<ExitSpec>>,
    pub asks: Option<Vec<AskEntrySpec>>,
    pub sent_releases: Option<Vec<String>>,
    pub launch_timeouts: Option<Vec<String>>,
    pub launched: Option<Vec<String>>,
    pub notices: Option<usize>,
}
