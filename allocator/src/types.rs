//! Plain data types the allocator reads and writes.
//!
//! They mirror YARN's records (container, container status, node report, resource) without
//! depending on any protocol crate: the ApplicationMaster converts them to and from protobuf
//! at its edge.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A host name as YARN reports it (the NodeManager's host, without the port).
pub type HostName = Arc<str>;

/// A network location ("rack") such as `/rack1`.
pub type RackName = Arc<str>;

/// A resource-profile id. It is also the YARN priority of the profile's requests.
pub type ProfileId = u32;

/// A point on the allocator's clock, in milliseconds. The clock only needs to be monotonic;
/// its origin is the caller's choice.
pub type Millis = u64;

/// The rack every host belongs to when nothing better is known (Hadoop's `/default-rack`).
pub const DEFAULT_RACK: &str = "/default-rack";

/// The resource name YARN uses for "any location" in a resource request.
pub const ANY_LOCATION: &str = "*";

spindle_base::text_id! {
    /// An opaque container id (YARN's `container_e17_1700000000000_0001_01_000002` string form).
    pub struct ContainerId;
}

/// An executor id: `1`, `2`, … assigned in the order containers are matched. Shown (and sent
/// to the driver) as its decimal string, like Spark's executor ids.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ExecutorId(pub u64);

impl fmt::Display for ExecutorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An amount of resources: memory, virtual cores and any custom resource types
/// (`yarn.io/gpu`, `yarn.io/fpga`, …).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Resource {
    /// Memory in MiB.
    pub memory_mb: u64,
    /// Virtual cores.
    pub vcores: u32,
    /// Custom resource types by YARN name, in the unit YARN uses for them.
    pub custom: BTreeMap<String, u64>,
}

impl Resource {
    /// A resource with memory and vcores only.
    pub fn new(memory_mb: u64, vcores: u32) -> Self {
        Self {
            memory_mb,
            vcores,
            custom: BTreeMap::new(),
        }
    }

    /// How many whole copies of `unit` fit into `self` (memory, vcores and every custom type
    /// `unit` names). A zero-sized dimension of `unit` never limits the result.
    pub fn fits(&self, unit: &Resource) -> u64 {
        let mut n = u64::MAX;
        if let Some(k) = self.memory_mb.checked_div(unit.memory_mb) {
            n = n.min(k);
        }
        if let Some(k) = u64::from(self.vcores).checked_div(u64::from(unit.vcores)) {
            n = n.min(k);
        }
        for (name, amount) in &unit.custom {
            if let Some(k) = self
                .custom
                .get(name)
                .copied()
                .unwrap_or(0)
                .checked_div(*amount)
            {
                n = n.min(k);
            }
        }
        n
    }
}

/// A container granted by the ResourceManager.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Container {
    /// The container's id.
    pub id: ContainerId,
    /// The host of the NodeManager that runs it.
    pub host: HostName,
    /// What the container was given (may exceed what was asked: the scheduler rounds up).
    pub resource: Resource,
    /// The priority of the request it satisfies (= the resource-profile id).
    pub priority: i32,
}

/// The final status of a container, as reported in an allocate response.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CompletedContainer {
    /// The container's id.
    pub id: ContainerId,
    /// YARN's exit status: the process exit code, or one of the special values in
    /// [`crate::exit_status`].
    pub exit_status: i32,
    /// YARN's diagnostics text.
    pub diagnostics: String,
}

/// A NodeManager's state, as in YARN's `NodeState`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum NodeState {
    /// New node.
    New,
    /// Running node.
    Running,
    /// Node is unhealthy.
    Unhealthy,
    /// Node is out of service.
    Decommissioned,
    /// Node has not sent a heartbeat for some configured time threshold.
    Lost,
    /// Node has rebooted.
    Rebooted,
    /// Node decommission is in progress.
    Decommissioning,
    /// Node has shut down gracefully.
    Shutdown,
}

impl NodeState {
    /// Parses YARN's upper-case spelling (`RUNNING`, `DECOMMISSIONING`, …).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "NEW" => Self::New,
            "RUNNING" => Self::Running,
            "UNHEALTHY" => Self::Unhealthy,
            "DECOMMISSIONED" => Self::Decommissioned,
            "LOST" => Self::Lost,
            "REBOOTED" => Self::Rebooted,
            "DECOMMISSIONING" => Self::Decommissioning,
            "SHUTDOWN" => Self::Shutdown,
            _ => return None,
        })
    }
}

/// A node whose state changed, from an allocate response's `updated_nodes`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct NodeUpdate {
    /// The node's host.
    pub host: HostName,
    /// Its new state.
    pub state: NodeState,
}

/// What one allocate call returned, reduced to what the allocator needs.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct AllocateResponse {
    /// Newly granted containers.
    pub allocated: Vec<Container>,
    /// Containers that finished.
    pub completed: Vec<CompletedContainer>,
    /// Nodes whose state changed.
    pub updated_nodes: Vec<NodeUpdate>,
    /// The number of nodes in the cluster (`num_cluster_nodes`); `None` keeps the last value.
    pub cluster_nodes: Option<i32>,
    /// The application's headroom (`available_resources`); `None` keeps the last value.
    pub available_resources: Option<Resource>,
}
