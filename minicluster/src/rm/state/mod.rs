//! [`RmState`]: the ResourceManager as a plain, single-owner state machine. Every input (an RPC,
//! a container exit reported by an NM, a clock tick, a test hook) is a method taking `&mut self`
//! and the current time; what must happen outside (launch an AM container, stop a container,
//! clean an application up on the nodes, shut a node down) is queued as [`Effect`]s that the
//! caller takes with [`RmState::take_effects`] and carries out. No sockets, no clocks, no
//! tasks: it is tested directly.
//!
//! The inputs and their consequences, one file each:
//! * `client_protocol`: ApplicationClientProtocol calls (submit, reports, kill, cluster views).
//! * `am_protocol`: ApplicationMasterProtocol calls (register, allocate, finish).
//! * `nodes`: nodes joining, being lost or decommissioned.
//! * `containers`: the container records, their exits and releases, and unused allocations.
//! * `attempts`: attempts starting, failing, expiring, and applications ending.
//! * `scheduling`: the FIFO pass that places AM containers and asks.
//! * `app_updates`: what clients change in a running application (priority, queue, lifetime,
//!   signals) and the lifetime monitor.
//! * `views`: read-only views for clients (containers, queues, usage).
//! * `retention`: completed applications kept up to a bound, and log aggregation's progress.

use std::collections::{BTreeMap, HashMap, VecDeque};

use spindle_launcher::StopReason;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::yarn::error::{APPLICATION_ATTEMPT_NOT_FOUND, APPLICATION_NOT_FOUND};

use super::apps::App;
use super::tokens::TokenIssuer;
use spindle_protocol::yarn::resources::Resources;

mod am_protocol;
mod app_updates;
mod attempts;
mod client_protocol;
mod containers;
mod nodes;
mod retention;
mod scheduling;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_clients;
mod views;

pub use containers::{ContainerPhase, RmContainer};
pub use nodes::NodeInfo;

pub use crate::rm::queues::DEFAULT_QUEUE;
pub use spindle_protocol::yarn::error::{
    APPLICATION_ID_NOT_PROVIDED, CONTAINER_NOT_FOUND, FEATURE_NOT_ENABLED,
};
/// YARN's `yarn.resourcemanager.max-completed-applications`.
pub const DEFAULT_MAX_COMPLETED_APPS: usize = 1000;

/// The RM's fixed settings.
#[derive(Debug, Clone)]
pub struct RmConfig {
    /// Cluster timestamp of every application id.
    pub cluster_timestamp: i64,
    /// Smallest container (asks are rounded up to multiples).
    pub min_allocation: Resources,
    /// Largest container.
    pub max_allocation: Resources,
    /// Default and upper bound of attempts per application.
    pub max_app_attempts: i32,
    /// AM liveness expiry (ms).
    pub am_liveness_expiry_ms: i64,
    /// Unused-allocation expiry (ms).
    pub allocation_expiry_ms: i64,
    /// `yarn.resourcemanager.max-completed-applications`: completed applications kept (their
    /// containers with them); the oldest are forgotten.
    pub max_completed_apps: usize,
    /// `yarn.cluster.max-application-priority`: higher priorities are lowered to it.
    pub max_application_priority: i32,
    /// The RM web proxy's base (`http://host:port`), when the RM serves one: managed
    /// applications' tracking URLs point there.
    pub proxy_base: Option<String>,
    /// `yarn.log-aggregation-enable`: the nodes aggregate an application's logs when it ends.
    pub log_aggregation: bool,
}

impl RmConfig {
    /// Settings with YARN's defaults for what a test does not care about: the given cluster
    /// timestamp and allocation bounds, 2 attempts, 10 min AM expiry, 10 min allocation expiry.
    pub fn new(
        cluster_timestamp: i64,
        min_allocation: Resources,
        max_allocation: Resources,
    ) -> Self {
        RmConfig {
            cluster_timestamp,
            min_allocation,
            max_allocation,
            max_app_attempts: 2,
            am_liveness_expiry_ms: 600_000,
            allocation_expiry_ms: 600_000,
            max_completed_apps: DEFAULT_MAX_COMPLETED_APPS,
            max_application_priority: 0,
            proxy_base: None,
            log_aggregation: false,
        }
    }
}

/// Something the caller must do after a state change.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Start an AM container on node `node` (what YARN's AMLauncher does over RPC).
    LaunchAm {
        /// Node index.
        node: usize,
        /// The allocated container (with its container token).
        container: Box<ContainerProto>,
        /// The launch context: the submitted one plus the AMRMToken and the AM environment.
        clc: Box<ContainerLaunchContextProto>,
        /// The submitting user.
        user: String,
    },
    /// Stop a container on a node.
    StopContainer {
        /// Node index.
        node: usize,
        /// The container.
        container: ContainerId,
        /// Why (decides the reported exit status).
        reason: StopReason,
    },
    /// The application ended: every node kills its remaining containers, aggregates its logs
    /// (when log aggregation is on) and cleans it up.
    FinishApplication {
        /// The application.
        app: ApplicationId,
        /// Its user (the owner of its aggregated logs).
        user: String,
        /// Whether its logs are aggregated.
        aggregate_logs: bool,
    },
    /// Send a signal to a container's processes (`signalToContainer`).
    SignalContainer {
        /// Node index.
        node: usize,
        /// The container.
        container: ContainerId,
        /// What to do.
        command: SignalContainerCommandProto,
    },
    /// A node was lost or decommissioned: shut its NodeManager down.
    ShutdownNode {
        /// Node index.
        node: usize,
    },
}

/// The ResourceManager's state. See the module docs.
#[derive(Debug)]
pub struct RmState {
    config: RmConfig,
    tokens: TokenIssuer,
    nodes: Vec<NodeInfo>,
    apps: BTreeMap<ApplicationId, App>,
    order: Vec<ApplicationId>,
    next_app_id: i32,
    containers: HashMap<ContainerId, RmContainer>,
    node_seq: u64,
    effects: Vec<Effect>,
    /// The latest time an input carried (reports of live usage are taken at it).
    clock_ms: i64,
    /// Completed applications, oldest first (see `retention`).
    completed: VecDeque<ApplicationId>,
    /// Applications ever submitted, and how the ended ones ended, since the RM started.
    totals: AppTotals,
}

/// Counts of applications since the RM started (they outlive the applications' records).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppTotals {
    /// Submitted.
    pub submitted: i64,
    /// Ended FINISHED.
    pub finished: i64,
    /// Ended FAILED.
    pub failed: i64,
    /// Ended KILLED.
    pub killed: i64,
}

impl RmState {
    /// An RM with no nodes and no applications.
    pub fn new(config: RmConfig, tokens: TokenIssuer) -> Self {
        RmState {
            config,
            tokens,
            nodes: Vec::new(),
            apps: BTreeMap::new(),
            order: Vec::new(),
            next_app_id: 1,
            containers: HashMap::new(),
            node_seq: 0,
            effects: Vec::new(),
            clock_ms: 0,
            completed: VecDeque::new(),
            totals: AppTotals::default(),
        }
    }

    /// Moves the clock forward to `now_ms` (never back); reports of live usage are taken at it.
    pub fn advance_clock(&mut self, now_ms: i64) {
        self.clock_ms = self.clock_ms.max(now_ms);
    }

    /// Applications since the RM started.
    pub fn totals(&self) -> AppTotals {
        self.totals
    }

    /// The settings.
    pub fn config(&self) -> &RmConfig {
        &self.config
    }

    /// The token issuer.
    pub fn tokens(&self) -> &TokenIssuer {
        &self.tokens
    }

    /// Rolls the AMRMToken master key; every attempt gets a token of the new key with its next
    /// allocate response. Returns the new key id.
    pub fn roll_amrm_key(&mut self) -> i32 {
        self.tokens.roll_amrm_key()
    }

    /// The effects queued since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// An application.
    pub fn app(&self, id: &ApplicationId) -> Option<&App> {
        self.apps.get(id)
    }

    /// A container.
    pub fn container(&self, id: &ContainerId) -> Option<&RmContainer> {
        self.containers.get(id)
    }

    /// The clock: expires silent AMs, unused allocations and applications past their lifetime,
    /// then schedules what that freed.
    pub fn tick(&mut self, now_ms: i64) {
        self.advance_clock(now_ms);
        self.expire_lifetimes(now_ms);
        self.expire_silent_ams(now_ms);
        self.expire_unused_allocations(now_ms);
        self.schedule(now_ms);
    }
}

fn err(class: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(class, message)
}

fn app_not_found(id: &ApplicationId) -> ServiceError {
    err(
        APPLICATION_NOT_FOUND,
        format!(
            "Application with id '{id}' doesn't exist in RM. Please check that the job submission was successful."
        ),
    )
}

fn attempt_not_found(id: &ApplicationAttemptId) -> ServiceError {
    err(
        APPLICATION_ATTEMPT_NOT_FOUND,
        format!("Application attempt {id} doesn't exist in ApplicationMasterService cache."),
    )
}
