//! [`RmState`]: the ResourceManager as a plain, single-owner state machine. Every input (an RPC,
//! a container exit reported by an NM, a clock tick, a test hook) is a method taking `&mut self`
//! and the current time; what must happen outside (launch an AM container, stop a container,
//! clean an application up on the nodes, shut a node down) is queued as [`Effect`]s that the
//! caller takes with [`RmState::take_effects`] and carries out. No sockets, no clocks, no
//! tasks: it is tested directly.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use spindle_launcher::StopReason;
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::security::ContainerTokenIdentifierProto;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::ContainerTokenIdentifier;
use spindle_protocol::yarn::error::{
    APPLICATION_ATTEMPT_NOT_FOUND, APPLICATION_MASTER_NOT_REGISTERED, APPLICATION_NOT_FOUND,
    INVALID_APPLICATION_MASTER_REQUEST, INVALID_CONTAINER_RELEASE, INVALID_RESOURCE_REQUEST,
    YARN_EXCEPTION,
};
use spindle_protocol::yarn::records::exit_status;

use super::apps::{App, AppState, Attempt, AttemptState};
use super::ask_table::SchedulerKey;
use super::scheduler::{NodeView, consume, place};
use super::tokens::TokenIssuer;
use crate::resources::Resources;

/// Java class of a missing application id in a submission.
pub const APPLICATION_ID_NOT_PROVIDED: &str =
    "org.apache.hadoop.yarn.exceptions.ApplicationIdNotProvidedException";
/// The one queue.
pub const DEFAULT_QUEUE: &str = "default";

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
    /// The application ended: every node kills its remaining containers and cleans it up.
    FinishApplication {
        /// The application.
        app: ApplicationId,
    },
    /// A node was lost or decommissioned: shut its NodeManager down.
    ShutdownNode {
        /// Node index.
        node: usize,
    },
}

/// A NodeManager as the RM sees it.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    /// Its id (`host:port` of its ContainerManagement port).
    pub id: NodeId,
    /// Its rack.
    pub rack: String,
    /// Its web address (`host:port`).
    pub http_address: String,
    /// Capacity.
    pub capability: Resources,
    /// Allocated.
    pub used: Resources,
    /// State.
    pub state: NodeStateProto,
    /// Live containers.
    pub containers: BTreeSet<ContainerId>,
    /// Node-update sequence number of its last state change.
    pub changed_seq: u64,
}

impl NodeInfo {
    fn usable(&self) -> bool {
        self.state == NodeStateProto::NsRunning
    }

    fn report(&self, now_ms: i64) -> NodeReportProto {
        NodeReportProto {
            node_id: Some(self.id.to_proto()),
            http_address: Some(self.http_address.clone()),
            rack_name: Some(self.rack.clone()),
            used: Some(self.used.to_proto()),
            capability: Some(self.capability.to_proto()),
            num_containers: Some(self.containers.len() as i32),
            node_state: Some(self.state as i32),
            health_report: Some(String::new()),
            last_health_report_time: Some(now_ms),
            node_update_type: Some(if self.usable() {
                NodeUpdateTypeProto::NodeUsable as i32
            } else {
                NodeUpdateTypeProto::NodeUnusable as i32
            }),
            ..Default::default()
        }
    }
}

/// Where a container is, as the RM sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerPhase {
    /// Allocated at this time (ms); not started yet.
    Allocated(i64),
    /// Started on its node.
    Running,
    /// Completed (kept so late reports are ignored).
    Completed,
}

/// A container as the RM keeps it.
#[derive(Debug, Clone)]
pub struct RmContainer {
    /// Its id.
    pub id: ContainerId,
    /// Its application.
    pub app: ApplicationId,
    /// The attempt it currently belongs to (changes when kept across attempts).
    pub owner: ApplicationAttemptId,
    /// Node index.
    pub node: usize,
    /// Allocated resources.
    pub resource: Resources,
    /// Whether it is an AM container.
    pub is_am: bool,
    /// The record given to the AM.
    pub proto: ContainerProto,
    /// Where it is.
    pub phase: ContainerPhase,
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

/// Whether an AM container exit of this status counts as a failed attempt (YARN does not count
/// containers the framework took away).
fn counts_as_failure(status: i32) -> bool {
    !matches!(
        status,
        exit_status::ABORTED
            | exit_status::PREEMPTED
            | exit_status::DISKS_FAILED
            | exit_status::KILLED_BY_RESOURCEMANAGER
    )
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
        }
    }

    /// The settings.
    pub fn config(&self) -> &RmConfig {
        &self.config
    }

    /// The token issuer.
    pub fn tokens(&self) -> &TokenIssuer {
        &self.tokens
    }

    /// The effects queued since the last call.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// Adds a RUNNING node; returns its index.
    pub fn add_node(
        &mut self,
        id: NodeId,
        rack: String,
        http_address: String,
        capability: Resources,
        now_ms: i64,
    ) -> usize {
        self.node_seq += 1;
        self.nodes.push(NodeInfo {
            id,
            rack,
            http_address,
            capability,
            used: Resources::default(),
            state: NodeStateProto::NsRunning,
            containers: BTreeSet::new(),
            changed_seq: self.node_seq,
        });
        self.schedule(now_ms);
        self.nodes.len() - 1
    }

    /// The nodes.
    pub fn nodes(&self) -> &[NodeInfo] {
        &self.nodes
    }

    /// An application.
    pub fn app(&self, id: &ApplicationId) -> Option<&App> {
        self.apps.get(id)
    }

    /// A container.
    pub fn container(&self, id: &ContainerId) -> Option<&RmContainer> {
        self.containers.get(id)
    }

    fn usable_nodes(&self) -> i32 {
        self.nodes.iter().filter(|n| n.usable()).count() as i32
    }

    fn headroom(&self) -> Resources {
        let mut free = Resources::default();
        for n in self.nodes.iter().filter(|n| n.usable()) {
            free.add(&n.capability.minus(&n.used));
        }
        free
    }

    fn app_usage(&self, app: &ApplicationId) -> (i32, Resources) {
        let mut used = Resources::default();
        let mut n = 0;
        for c in self.containers.values() {
            if c.app == *app && c.phase != ContainerPhase::Completed {
                n += 1;
                used.add(&c.resource);
            }
        }
        (n, used)
    }

    // -----------------------------------------------------------------------------------------
    // ApplicationClientProtocol
    // -----------------------------------------------------------------------------------------

    /// `getNewApplication`: a fresh id and the largest container.
    pub fn new_application(&mut self) -> GetNewApplicationResponseProto {
        let id = ApplicationId::new(self.config.cluster_timestamp, self.next_app_id);
        self.next_app_id += 1;
        GetNewApplicationResponseProto {
            application_id: Some(id.to_proto()),
            maximum_capability: Some(self.config.max_allocation.to_proto()),
        }
    }

    fn check_resource(&self, what: &str, r: &Resources) -> Result<(), ServiceError> {
        if let Some(t) = r.negative_type() {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                format!(
                    "Invalid resource request! Cannot allocate containers as requested resource is less than 0! Requested resource type=[{t}], Requested resource={r} ({what})"
                ),
            ));
        }
        if let Some(t) = r.exceeding_type(&self.config.max_allocation) {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                format!(
                    "Invalid resource request! Cannot allocate containers as requested resource is greater than maximum allowed allocation. Requested resource type=[{t}], Requested resource={r}, maximum allowed allocation={} ({what})",
                    self.config.max_allocation
                ),
            ));
        }
        Ok(())
    }

    /// `submitApplication` by `user`.
    pub fn submit(
        &mut self,
        user: &str,
        ctx: ApplicationSubmissionContextProto,
        now_ms: i64,
    ) -> Result<(), ServiceError> {
        let id = match &ctx.application_id {
            Some(p) => ApplicationId::from_proto(p)
                .map_err(|e| err(YARN_EXCEPTION, format!("invalid application id: {e}")))?,
            None => {
                return Err(err(
                    APPLICATION_ID_NOT_PROVIDED,
                    "ApplicationIdNotProvidedException: applicationId is not provided in the submission context",
                ));
            }
        };
        if self.apps.contains_key(&id) {
            return Err(err(
                YARN_EXCEPTION,
                format!("Application with id {id} is already present! Cannot add a duplicate!"),
            ));
        }
        let unmanaged = ctx.unmanaged_am.unwrap_or(false);
        let am_ask = ctx.am_container_resource_request.first();
        let resource = match (am_ask.and_then(|r| r.capability.as_ref()), &ctx.resource) {
            (Some(r), _) | (None, Some(r)) => Resources::from_proto(r),
            (None, None) if unmanaged => Resources::new(0, 0),
            (None, None) => {
                return Err(err(
                    INVALID_RESOURCE_REQUEST,
                    format!(
                        "Invalid resource request, no resources requested for the AM container of {id}"
                    ),
                ));
            }
        };
        self.check_resource("AM container", &resource)?;
        if !unmanaged {
            let clc = ctx.am_container_spec.as_ref().ok_or_else(|| {
                err(
                    YARN_EXCEPTION,
                    format!("Application {id} has no AM container spec"),
                )
            })?;
            clc.credentials().map_err(|e| {
                err(
                    YARN_EXCEPTION,
                    format!("Unable to parse credentials for application {id}: {e}"),
                )
            })?;
            if clc.command.iter().all(|c| c.trim().is_empty()) {
                return Err(err(
                    YARN_EXCEPTION,
                    format!("Application {id} has an AM container spec without a command"),
                ));
            }
        }
        let global = self.config.max_app_attempts;
        let max_attempts = match ctx.max_app_attempts.unwrap_or(0) {
            n if n <= 0 || n > global => global,
            n => n,
        };
        let am_priority = am_ask
            .and_then(|r| r.priority.as_ref())
            .and_then(|p| p.priority)
            .unwrap_or(0);
        let app = App {
            id,
            user: user.to_string(),
            queue: DEFAULT_QUEUE.into(),
            state: AppState::Accepted,
            final_status: FinalApplicationStatusProto::AppUndefined,
            diagnostics: String::new(),
            attempts: Vec::new(),
            max_attempts,
            keep_containers: ctx
                .keep_containers_across_application_attempts
                .unwrap_or(false),
            unmanaged,
            am_resource: resource.normalized(&self.config.min_allocation),
            am_priority,
            next_container_seq: 1,
            submit_time_ms: now_ms,
            launch_time_ms: 0,
            finish_time_ms: 0,
            host: String::new(),
            rpc_port: -1,
            tracking_url: String::new(),
            progress: 0.0,
            submission: ctx,
        };
        self.apps.insert(id, app);
        self.order.push(id);
        self.start_attempt(id, now_ms);
        self.schedule(now_ms);
        Ok(())
    }

    /// `getApplicationReport`.
    pub fn report(&self, id: &ApplicationId) -> Result<ApplicationReportProto, ServiceError> {
        let app = self.apps.get(id).ok_or_else(|| app_not_found(id))?;
        let pending = app.current().map(|a| a.asks.pending()).unwrap_or_default();
        Ok(app.report(self.app_usage(id), pending))
    }

    /// `getApplications` with its filters.
    pub fn applications(&self, req: &GetApplicationsRequestProto) -> Vec<ApplicationReportProto> {
        let lower: HashSet<String> = req
            .application_types
            .iter()
            .map(|t| t.to_lowercase())
            .collect();
        let mut out = Vec::new();
        for id in &self.order {
            let Some(app) = self.apps.get(id) else {
                continue;
            };
            if !lower.is_empty() && !lower.contains(&app.app_type().to_lowercase()) {
                continue;
            }
            if !req.application_states.is_empty()
                && !req.application_states.contains(&(app.state.proto() as i32))
            {
                continue;
            }
            if !req.users.is_empty() && !req.users.contains(&app.user) {
                continue;
            }
            if !req.queues.is_empty() && !req.queues.contains(&app.queue) {
                continue;
            }
            if !req.application_tags.is_empty()
                && !req
                    .application_tags
                    .iter()
                    .any(|t| app.submission.application_tags.contains(t))
            {
                continue;
            }
            if let Some(name) = &req.name
                && !name.is_empty()
                && name != app.name()
            {
                continue;
            }
            let start = app.submit_time_ms;
            if req.start_begin.is_some_and(|b| start < b)
                || req.start_end.is_some_and(|e| start > e)
            {
                continue;
            }
            if let Ok(r) = self.report(id) {
                out.push(r);
            }
            if req.limit.is_some_and(|l| l > 0 && out.len() as i64 >= l) {
                break;
            }
        }
        out
    }

    /// `getApplicationAttempts`.
    pub fn attempt_reports(
        &self,
        id: &ApplicationId,
    ) -> Result<Vec<ApplicationAttemptReportProto>, ServiceError> {
        let app = self.apps.get(id).ok_or_else(|| app_not_found(id))?;
        Ok(app.attempts.iter().map(|a| app.attempt_report(a)).collect())
    }

    /// `getApplicationAttemptReport`.
    pub fn attempt_report(
        &self,
        id: ApplicationAttemptId,
    ) -> Result<ApplicationAttemptReportProto, ServiceError> {
        let app = self
            .apps
            .get(&id.application_id)
            .ok_or_else(|| app_not_found(&id.application_id))?;
        let attempt = app.attempts.iter().find(|a| a.id == id).ok_or_else(|| {
            err(
                APPLICATION_ATTEMPT_NOT_FOUND,
                format!("ApplicationAttempt with id '{id}' doesn't exist in RM."),
            )
        })?;
        Ok(app.attempt_report(attempt))
    }

    /// `failApplicationAttempt`: fails the current attempt as if its AM had crashed (a new
    /// attempt follows while the application has attempts left).
    pub fn fail_attempt(
        &mut self,
        id: ApplicationAttemptId,
        now_ms: i64,
    ) -> Result<(), ServiceError> {
        let app = self
            .apps
            .get_mut(&id.application_id)
            .ok_or_else(|| app_not_found(&id.application_id))?;
        if app.state.is_final() {
            return Err(err(
                YARN_EXCEPTION,
                format!(
                    "Cannot fail application attempt {id} as the application is already in a final state"
                ),
            ));
        }
        let Some(attempt) = app
            .current_mut()
            .filter(|a| a.id == id && !a.state.is_final())
        else {
            return Err(err(
                APPLICATION_ATTEMPT_NOT_FOUND,
                format!("ApplicationAttempt with id '{id}' is not the running attempt"),
            ));
        };
        let am = attempt.am_container;
        attempt.state = AttemptState::Failed;
        attempt.registered = false;
        attempt.counts_as_failure = true;
        attempt.diagnostics = format!("Attempt {id} failed by user.");
        self.tokens.revoke_amrm(id);
        if let Some(cid) = am
            && let Some(c) = self.containers.get(&cid)
            && c.phase != ContainerPhase::Completed
        {
            self.effects.push(Effect::StopContainer {
                node: c.node,
                container: cid,
                reason: StopReason::KilledByResourceManager,
            });
        }
        self.after_attempt_failure(id.application_id, now_ms);
        Ok(())
    }

    /// `forceKillApplication`: returns `is_kill_completed`.
    pub fn kill(
        &mut self,
        id: &ApplicationId,
        diagnostics: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, ServiceError> {
        let app = self.apps.get_mut(id).ok_or_else(|| app_not_found(id))?;
        if app.state.is_final() {
            return Ok(true);
        }
        app.state = AppState::Killed;
        app.final_status = FinalApplicationStatusProto::AppKilled;
        app.diagnostics = match diagnostics {
            Some(d) if !d.is_empty() => d.to_string(),
            _ => "Application killed by user.".into(),
        };
        app.finish_time_ms = now_ms;
        let mut revoked = Vec::new();
        for a in app.attempts.iter_mut().filter(|a| !a.state.is_final()) {
            a.state = AttemptState::Killed;
            revoked.push(a.id);
        }
        for a in revoked {
            self.tokens.revoke_amrm(a);
        }
        self.end_application(*id, now_ms);
        Ok(true)
    }

    /// `getClusterMetrics`.
    pub fn cluster_metrics(&self) -> YarnClusterMetricsProto {
        let count = |s: NodeStateProto| self.nodes.iter().filter(|n| n.state == s).count() as i32;
        YarnClusterMetricsProto {
            num_node_managers: Some(self.nodes.len() as i32),
            num_decommissioned_nms: Some(count(NodeStateProto::NsDecommissioned)),
            num_active_nms: Some(count(NodeStateProto::NsRunning)),
            num_lost_nms: Some(count(NodeStateProto::NsLost)),
            num_unhealthy_nms: Some(count(NodeStateProto::NsUnhealthy)),
            num_rebooted_nms: Some(count(NodeStateProto::NsRebooted)),
            num_decommissioning_nms: Some(0),
            num_shutdown_nms: Some(0),
        }
    }

    /// `getClusterNodes` (empty `states` = all).
    pub fn node_reports(&self, states: &[i32], now_ms: i64) -> Vec<NodeReportProto> {
        self.nodes
            .iter()
            .filter(|n| states.is_empty() || states.contains(&(n.state as i32)))
            .map(|n| n.report(now_ms))
            .collect()
    }

    /// `getQueueInfo`: the one FIFO queue, `default`.
    pub fn queue_info(
        &self,
        req: &GetQueueInfoRequestProto,
    ) -> Result<QueueInfoProto, ServiceError> {
        let name = req.queue_name.as_deref().unwrap_or(DEFAULT_QUEUE);
        if name != DEFAULT_QUEUE && name != "root.default" && !name.is_empty() {
            return Err(err("java.io.IOException", format!("Unknown queue: {name}")));
        }
        let total: i64 = self
            .nodes
            .iter()
            .filter(|n| n.usable())
            .map(|n| n.capability.memory_mb)
            .sum();
        let used: i64 = self
            .nodes
            .iter()
            .filter(|n| n.usable())
            .map(|n| n.used.memory_mb)
            .sum();
        let applications = if req.include_applications.unwrap_or(false) {
            self.order
                .iter()
                .filter_map(|id| self.report(id).ok())
                .collect()
        } else {
            Vec::new()
        };
        Ok(QueueInfoProto {
            queue_name: Some(DEFAULT_QUEUE.into()),
            capacity: Some(1.0),
            maximum_capacity: Some(1.0),
            current_capacity: Some(if total > 0 {
                used as f32 / total as f32
            } else {
                0.0
            }),
            state: Some(QueueStateProto::QRunning as i32),
            applications,
            ..Default::default()
        })
    }

    // -----------------------------------------------------------------------------------------
    // ApplicationMasterProtocol
    // -----------------------------------------------------------------------------------------

    /// The live current attempt `id`, or ApplicationAttemptNotFoundException.
    fn live_attempt(&mut self, id: ApplicationAttemptId) -> Result<&mut App, ServiceError> {
        let app = self
            .apps
            .get_mut(&id.application_id)
            .ok_or_else(|| attempt_not_found(&id))?;
        match app.current() {
            Some(a) if a.id == id && !a.state.is_final() => Ok(app),
            _ => Err(attempt_not_found(&id)),
        }
    }

    /// `registerApplicationMaster` from attempt `id`.
    pub fn register(
        &mut self,
        id: ApplicationAttemptId,
        req: &RegisterApplicationMasterRequestProto,
        now_ms: i64,
    ) -> Result<RegisterApplicationMasterResponseProto, ServiceError> {
        let app = self.live_attempt(id)?;
        let app_id = app.id;
        let attempt = app.current_mut().ok_or_else(|| attempt_not_found(&id))?;
        if attempt.registered || attempt.state == AttemptState::Finishing {
            return Err(err(
                INVALID_APPLICATION_MASTER_REQUEST,
                format!("Application Master is already registered : {app_id}"),
            ));
        }
        let first_time = !attempt.ever_registered;
        attempt.registered = true;
        attempt.ever_registered = true;
        attempt.state = AttemptState::Running;
        attempt.last_response_id = 0;
        attempt.last_response = None;
        attempt.last_heartbeat_ms = now_ms;
        let previous: Vec<ContainerId> = if first_time {
            std::mem::take(&mut attempt.from_previous)
        } else {
            Vec::new()
        };
        app.host = req.host.clone().unwrap_or_default();
        app.rpc_port = req.rpc_port.unwrap_or(-1);
        if let Some(url) = req.tracking_url.as_deref().filter(|u| !u.is_empty()) {
            app.tracking_url = url.to_string();
        }
        if !app.state.is_final() {
            app.state = AppState::Running;
        }
        let user = app.user.clone();
        let acls = app
            .submission
            .am_container_spec
            .as_ref()
            .map(|c| c.application_acls.clone())
            .unwrap_or_default();
        let mut containers = Vec::new();
        let mut nm_tokens = Vec::new();
        let mut token_nodes = Vec::new();
        for cid in previous {
            let Some(c) = self.containers.get(&cid) else {
                continue;
            };
            if c.phase == ContainerPhase::Completed {
                continue;
            }
            containers.push(c.proto.clone());
            let node = &self.nodes[c.node].id;
            let key = node.to_string();
            if !token_nodes.contains(&key) {
                token_nodes.push(key);
                nm_tokens.push(NMTokenProto {
                    node_id: Some(node.to_proto()),
                    token: Some((&self.tokens.nm_token(id, node, &user)).into()),
                });
            }
        }
        if let Some(a) = self.apps.get_mut(&app_id).and_then(|app| app.current_mut()) {
            a.nm_token_nodes.extend(token_nodes);
        }
        Ok(RegisterApplicationMasterResponseProto {
            maximum_capability: Some(self.config.max_allocation.to_proto()),
            client_to_am_token_master_key: None,
            application_acls: acls,
            containers_from_previous_attempts: containers,
            queue: Some(DEFAULT_QUEUE.into()),
            nm_tokens_from_previous_attempts: nm_tokens,
            scheduler_resource_types: vec![0, 1],
            ..Default::default()
        })
    }

    fn validate_ask(&self, ask: &ResourceRequestProto) -> Result<Resources, ServiceError> {
        let Some(cap) = &ask.capability else {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                "Invalid resource request: the capability is missing",
            ));
        };
        if ask.resource_name.as_deref().unwrap_or("").is_empty() {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                "Invalid resource request: the resource name is missing",
            ));
        }
        let n = ask.num_containers.unwrap_or(0);
        if n < 0 {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                format!(
                    "Invalid resource request! Cannot ask for a negative number of containers ({n}) at {}",
                    ask.resource_name()
                ),
            ));
        }
        let r = Resources::from_proto(cap);
        self.check_resource("ask", &r)?;
        Ok(r.normalized(&self.config.min_allocation))
    }

    /// `allocate` from attempt `id`.
    pub fn allocate(
        &mut self,
        id: ApplicationAttemptId,
        req: &AllocateRequestProto,
        now_ms: i64,
    ) -> Result<AllocateResponseProto, ServiceError> {
        {
            let app = self.live_attempt(id)?;
            let attempt = app.current_mut().ok_or_else(|| attempt_not_found(&id))?;
            if !attempt.registered {
                return Err(err(
                    APPLICATION_MASTER_NOT_REGISTERED,
                    format!(
                        "AM is not registered for known application attempt: {id} or RM had restarted after AM registered. AM should re-register."
                    ),
                ));
            }
            let rid = req.response_id.unwrap_or(0);
            if let Some(last) = &attempt.last_response
                && rid.wrapping_add(1) & 0x7fff_ffff == attempt.last_response_id
            {
                attempt.last_heartbeat_ms = now_ms;
                return Ok(last.clone());
            }
            if rid != attempt.last_response_id {
                return Err(err(
                    INVALID_APPLICATION_MASTER_REQUEST,
                    format!(
                        "Invalid responseId in AllocateRequest from application attempt: {id}, expect responseId to be {}, but get {rid}",
                        attempt.last_response_id
                    ),
                ));
            }
        }
        // Validate everything before changing anything.
        let mut asks = Vec::with_capacity(req.ask.len());
        for ask in &req.ask {
            asks.push((self.validate_ask(ask)?, ask));
        }
        for cid in &req.release {
            let c = ContainerId::from_proto(cid).map_err(|e| {
                err(
                    INVALID_CONTAINER_RELEASE,
                    format!("invalid container id in release: {e}"),
                )
            })?;
            if c.application_id() != id.application_id {
                return Err(err(
                    INVALID_CONTAINER_RELEASE,
                    format!(
                        "Cannot release container : {c} not belonging to this application attempt : {id}"
                    ),
                ));
            }
        }
        let app_id = id.application_id;
        let app = self.live_attempt(id)?;
        if let Some(url) = req.tracking_url.as_deref().filter(|u| !u.is_empty()) {
            app.tracking_url = url.to_string();
        }
        let progress = req.progress.unwrap_or(0.0);
        app.progress = if progress.is_finite() {
            progress.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let attempt = app.current_mut().ok_or_else(|| attempt_not_found(&id))?;
        attempt.last_heartbeat_ms = now_ms;
        for (capability, ask) in asks {
            let key = SchedulerKey {
                priority: ask.priority.as_ref().and_then(|p| p.priority).unwrap_or(0),
                allocation_request_id: ask.allocation_request_id.unwrap_or(-1),
                execution_type: ask
                    .execution_type_request
                    .as_ref()
                    .and_then(|e| e.execution_type)
                    .unwrap_or(ExecutionTypeProto::Guaranteed as i32),
                capability,
            };
            attempt.asks.set(
                key,
                ask.resource_name(),
                ask.num_containers.unwrap_or(0),
                ask.relax_locality.unwrap_or(true),
            );
        }
        if let Some(b) = &req.blacklist_request {
            for add in &b.blacklist_additions {
                attempt.blacklist.insert(add.clone());
            }
            for rm in &b.blacklist_removals {
                attempt.blacklist.remove(rm);
            }
        }
        for cid in &req.release {
            if let Ok(c) = ContainerId::from_proto(cid) {
                self.release(app_id, c, now_ms);
            }
        }
        self.schedule(now_ms);
        Ok(self.build_allocate_response(id, now_ms))
    }

    fn release(&mut self, app: ApplicationId, id: ContainerId, now_ms: i64) {
        let Some(c) = self.containers.get(&id) else {
            return;
        };
        if c.app != app || c.is_am {
            return;
        }
        let node = c.node;
        match c.phase {
            ContainerPhase::Completed => {}
            ContainerPhase::Allocated(_) => {
                self.effects.push(Effect::StopContainer {
                    node,
                    container: id,
                    reason: StopReason::Released,
                });
                self.complete(
                    id,
                    exit_status::ABORTED,
                    "Container released by application".into(),
                    now_ms,
                );
            }
            ContainerPhase::Running => self.effects.push(Effect::StopContainer {
                node,
                container: id,
                reason: StopReason::Released,
            }),
        }
    }

    fn build_allocate_response(
        &mut self,
        id: ApplicationAttemptId,
        now_ms: i64,
    ) -> AllocateResponseProto {
        let headroom = self.headroom();
        let num_nodes = self.usable_nodes();
        let node_seq = self.node_seq;
        let Some(app) = self.apps.get_mut(&id.application_id) else {
            return AllocateResponseProto::default();
        };
        let user = app.user.clone();
        let priority = app
            .submission
            .priority
            .as_ref()
            .and_then(|p| p.priority)
            .unwrap_or(0);
        let Some(attempt) = app.current_mut() else {
            return AllocateResponseProto::default();
        };
        let mut allocated = Vec::new();
        let mut nm_tokens = Vec::new();
        for cid in std::mem::take(&mut attempt.new_containers) {
            let Some(c) = self.containers.get(&cid) else {
                continue;
            };
            if c.phase == ContainerPhase::Completed {
                continue;
            }
            allocated.push(c.proto.clone());
            let node = &self.nodes[c.node].id;
            if attempt.nm_token_nodes.insert(node.to_string()) {
                nm_tokens.push(NMTokenProto {
                    node_id: Some(node.to_proto()),
                    token: Some((&self.tokens.nm_token(id, node, &user)).into()),
                });
            }
        }
        let completed: Vec<ContainerStatusProto> = attempt.completed.drain(..).collect();
        let updated_nodes = self
            .nodes
            .iter()
            .filter(|n| n.changed_seq > attempt.seen_node_seq)
            .map(|n| n.report(now_ms))
            .collect();
        attempt.seen_node_seq = node_seq;
        let response_id = attempt.last_response_id.wrapping_add(1) & 0x7fff_ffff;
        let response = AllocateResponseProto {
            response_id: Some(response_id),
            allocated_containers: allocated,
            completed_container_statuses: completed,
            limit: Some(headroom.to_proto()),
            updated_nodes,
            num_cluster_nodes: Some(num_nodes),
            nm_tokens,
            application_priority: Some(PriorityProto::new(priority)),
            ..Default::default()
        };
        attempt.last_response_id = response_id;
        attempt.last_response = Some(response.clone());
        response
    }

    /// `finishApplicationMaster` from attempt `id`.
    pub fn finish(
        &mut self,
        id: ApplicationAttemptId,
        req: &FinishApplicationMasterRequestProto,
        now_ms: i64,
    ) -> Result<FinishApplicationMasterResponseProto, ServiceError> {
        let app = self
            .apps
            .get_mut(&id.application_id)
            .ok_or_else(|| attempt_not_found(&id))?;
        let is_current = app.current().is_some_and(|a| a.id == id);
        let attempt = app.attempt_mut(id).ok_or_else(|| attempt_not_found(&id))?;
        if matches!(
            attempt.state,
            AttemptState::Finishing | AttemptState::Finished
        ) {
            return Ok(FinishApplicationMasterResponseProto {
                is_unregistered: Some(true),
            });
        }
        if !is_current || attempt.state.is_final() {
            return Err(attempt_not_found(&id));
        }
        if !attempt.registered {
            return Err(err(
                APPLICATION_MASTER_NOT_REGISTERED,
                format!("Application Master is trying to unregister before registering for: {id}"),
            ));
        }
        attempt.state = AttemptState::Finishing;
        attempt.registered = false;
        attempt.last_heartbeat_ms = now_ms;
        let final_status = req
            .final_application_status
            .and_then(|s| FinalApplicationStatusProto::try_from(s).ok())
            .unwrap_or(FinalApplicationStatusProto::AppUndefined);
        if !app.state.is_final() {
            app.state = AppState::Finished;
            app.final_status = final_status;
            app.diagnostics = req.diagnostics.clone().unwrap_or_default();
            app.finish_time_ms = now_ms;
            app.progress = 1.0;
        }
        if let Some(url) = req.tracking_url.as_deref().filter(|u| !u.is_empty()) {
            app.tracking_url = url.to_string();
        }
        if app.unmanaged {
            if let Some(a) = app.current_mut() {
                a.state = AttemptState::Finished;
            }
            self.tokens.revoke_amrm(id);
            self.end_application(id.application_id, now_ms);
        }
        Ok(FinishApplicationMasterResponseProto {
            is_unregistered: Some(true),
        })
    }

    // -----------------------------------------------------------------------------------------
    // Node events, clock, hooks
    // -----------------------------------------------------------------------------------------

    /// An NM started a container.
    pub fn container_started(&mut self, id: ContainerId) {
        if let Some(c) = self.containers.get_mut(&id)
            && matches!(c.phase, ContainerPhase::Allocated(_))
        {
            c.phase = ContainerPhase::Running;
        }
    }

    /// An NM reports a container's exit.
    pub fn container_exited(
        &mut self,
        id: ContainerId,
        exit_status: i32,
        diagnostics: String,
        now_ms: i64,
    ) {
        self.complete(id, exit_status, diagnostics, now_ms);
        self.schedule(now_ms);
    }

    /// The clock: expires silent AMs and unused allocations.
    pub fn tick(&mut self, now_ms: i64) {
        let expiry = self.config.am_liveness_expiry_ms;
        let mut expired = Vec::new();
        for app in self.apps.values() {
            if app.state.is_final() && app.unmanaged {
                continue;
            }
            if let Some(a) = app.current()
                && matches!(
                    a.state,
                    AttemptState::Launched | AttemptState::Running | AttemptState::Finishing
                )
                && now_ms - a.last_heartbeat_ms > expiry
            {
                expired.push(a.id);
            }
        }
        for id in expired {
            self.expire_attempt(id, now_ms);
        }
        let limit = self.config.allocation_expiry_ms;
        let stale: Vec<(ContainerId, usize)> = self
            .containers
            .values()
            .filter(|c| matches!(c.phase, ContainerPhase::Allocated(at) if now_ms - at > limit))
            .map(|c| (c.id, c.node))
            .collect();
        for (cid, node) in stale {
            self.effects.push(Effect::StopContainer {
                node,
                container: cid,
                reason: StopReason::Released,
            });
            self.complete(
                cid,
                exit_status::ABORTED,
                format!("Container expired since it was unused: {cid}"),
                now_ms,
            );
        }
        self.schedule(now_ms);
    }

    fn expire_attempt(&mut self, id: ApplicationAttemptId, now_ms: i64) {
        let Some(app) = self.apps.get_mut(&id.application_id) else {
            return;
        };
        let Some(attempt) = app.attempt_mut(id) else {
            return;
        };
        let was_finishing = attempt.state == AttemptState::Finishing;
        let am = attempt.am_container;
        attempt.registered = false;
        attempt.diagnostics = format!("ApplicationMaster for attempt {id} timed out");
        if was_finishing {
            attempt.state = AttemptState::Finished;
        } else {
            attempt.state = AttemptState::Failed;
            attempt.counts_as_failure = true;
        }
        self.tokens.revoke_amrm(id);
        if let Some(cid) = am
            && let Some(c) = self.containers.get(&cid)
            && c.phase != ContainerPhase::Completed
        {
            self.effects.push(Effect::StopContainer {
                node: c.node,
                container: cid,
                reason: StopReason::KilledByResourceManager,
            });
        }
        if was_finishing {
            self.end_application(id.application_id, now_ms);
        } else {
            self.after_attempt_failure(id.application_id, now_ms);
        }
    }

    /// A node is lost: its containers complete as ABORTED and it leaves the cluster.
    pub fn lose_node(&mut self, node: usize, now_ms: i64) {
        self.remove_node(
            node,
            NodeStateProto::NsLost,
            "Container released on a *lost* node",
            now_ms,
        );
    }

    /// A node is decommissioned: its containers complete as ABORTED and it leaves the cluster.
    pub fn decommission_node(&mut self, node: usize, now_ms: i64) {
        self.remove_node(
            node,
            NodeStateProto::NsDecommissioned,
            "Container released on a decommissioned node",
            now_ms,
        );
    }

    fn remove_node(&mut self, node: usize, state: NodeStateProto, why: &str, now_ms: i64) {
        let Some(n) = self.nodes.get_mut(node) else {
            return;
        };
        if !n.usable() {
            return;
        }
        self.node_seq += 1;
        n.state = state;
        n.changed_seq = self.node_seq;
        let live: Vec<ContainerId> = n.containers.iter().copied().collect();
        self.effects.push(Effect::ShutdownNode { node });
        for cid in live {
            self.complete(cid, exit_status::ABORTED, why.to_string(), now_ms);
        }
        self.schedule(now_ms);
    }

    /// The RM restarted (work-preserving): every AM must register again and re-send its asks.
    pub fn restarted(&mut self) {
        for app in self.apps.values_mut() {
            for a in app.attempts.iter_mut() {
                a.registered = false;
                a.asks.clear();
                a.last_response = None;
                a.last_response_id = 0;
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Internals
    // -----------------------------------------------------------------------------------------

    fn start_attempt(&mut self, app_id: ApplicationId, now_ms: i64) {
        let node_seq = self.node_seq;
        let Some(app) = self.apps.get_mut(&app_id) else {
            return;
        };
        let id = ApplicationAttemptId::new(app_id, app.attempts.len() as i32 + 1);
        let token = self.tokens.amrm_token(id);
        let mut attempt = Attempt::new(id, token, now_ms, node_seq);
        if app.unmanaged {
            attempt.state = AttemptState::Launched;
        }
        let keep = app.keep_containers && !app.attempts.is_empty();
        app.attempts.push(attempt);
        if keep {
            let mut kept = Vec::new();
            for c in self.containers.values_mut() {
                if c.app == app_id && !c.is_am && c.phase != ContainerPhase::Completed {
                    c.owner = id;
                    kept.push(c.id);
                }
            }
            kept.sort();
            if let Some(a) = app.current_mut() {
                a.from_previous = kept;
            }
        }
    }

    /// Marks a container complete, frees its resources, reports it to its attempt, and handles
    /// an AM container's end.
    fn complete(&mut self, id: ContainerId, status: i32, diagnostics: String, now_ms: i64) {
        let Some(c) = self.containers.get_mut(&id) else {
            return;
        };
        if c.phase == ContainerPhase::Completed {
            return;
        }
        c.phase = ContainerPhase::Completed;
        let (app_id, owner, node, is_am) = (c.app, c.owner, c.node, c.is_am);
        let resource = c.resource.clone();
        if let Some(n) = self.nodes.get_mut(node) {
            n.used.sub(&resource);
            n.containers.remove(&id);
        }
        let proto = ContainerStatusProto {
            container_id: Some(id.to_proto()),
            state: Some(ContainerStateProto::CComplete as i32),
            diagnostics: Some(diagnostics.clone()),
            exit_status: Some(status),
            capability: Some(resource.to_proto()),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            ..Default::default()
        };
        if let Some(app) = self.apps.get_mut(&app_id)
            && let Some(a) = app.current_mut()
            && a.id == owner
            && !a.state.is_final()
            && !is_am
        {
            a.completed.push_back(proto);
        }
        if is_am {
            self.am_finished(owner, status, &diagnostics, now_ms);
        }
    }

    fn am_finished(
        &mut self,
        id: ApplicationAttemptId,
        status: i32,
        diagnostics: &str,
        now_ms: i64,
    ) {
        let Some(app) = self.apps.get_mut(&id.application_id) else {
            return;
        };
        let Some(attempt) = app.attempt_mut(id) else {
            return;
        };
        match attempt.state {
            AttemptState::Finishing => {
                attempt.state = AttemptState::Finished;
                self.tokens.revoke_amrm(id);
                self.end_application(id.application_id, now_ms);
            }
            s if s.is_final() => {}
            _ => {
                attempt.state = AttemptState::Failed;
                attempt.registered = false;
                attempt.counts_as_failure = counts_as_failure(status);
                attempt.diagnostics = format!(
                    "AM Container for {id} exited with  exitCode: {status}\nFailing this attempt.Diagnostics: {diagnostics}"
                );
                self.tokens.revoke_amrm(id);
                self.after_attempt_failure(id.application_id, now_ms);
            }
        }
    }

    fn after_attempt_failure(&mut self, app_id: ApplicationId, now_ms: i64) {
        let Some(app) = self.apps.get(&app_id) else {
            return;
        };
        if app.state.is_final() {
            self.end_application(app_id, now_ms);
            return;
        }
        let failures = app.counted_failures();
        let retry = failures < app.max_attempts
            && (app.attempts.len() as i32) < app.max_attempts.saturating_add(10);
        if retry {
            if !app.keep_containers {
                self.kill_app_containers(app_id, StopReason::KilledByResourceManager, now_ms);
            }
            if let Some(app) = self.apps.get_mut(&app_id) {
                app.state = AppState::Accepted;
            }
            self.start_attempt(app_id, now_ms);
            self.schedule(now_ms);
        } else {
            let Some(app) = self.apps.get_mut(&app_id) else {
                return;
            };
            let last = app
                .current()
                .map(|a| a.diagnostics.clone())
                .unwrap_or_default();
            app.state = AppState::Failed;
            app.final_status = FinalApplicationStatusProto::AppFailed;
            app.finish_time_ms = now_ms;
            app.diagnostics = format!(
                "Application {app_id} failed {} times due to {last}. Failing the application.",
                app.max_attempts.min(failures.max(1))
            );
            self.end_application(app_id, now_ms);
        }
    }

    /// Kills every live container of the application (allocated ones complete at once).
    fn kill_app_containers(&mut self, app_id: ApplicationId, reason: StopReason, now_ms: i64) {
        let live: Vec<(ContainerId, usize, ContainerPhase)> = self
            .containers
            .values()
            .filter(|c| c.app == app_id && c.phase != ContainerPhase::Completed)
            .map(|c| (c.id, c.node, c.phase))
            .collect();
        for (cid, node, phase) in live {
            self.effects.push(Effect::StopContainer {
                node,
                container: cid,
                reason,
            });
            if matches!(phase, ContainerPhase::Allocated(_)) {
                self.complete(
                    cid,
                    exit_status::ABORTED,
                    "Container of a completed attempt".into(),
                    now_ms,
                );
            }
        }
    }

    /// The application has ended: its containers go, its nodes clean it up.
    fn end_application(&mut self, app_id: ApplicationId, now_ms: i64) {
        self.kill_app_containers(app_id, StopReason::AfterAppCompletion, now_ms);
        self.effects.push(Effect::FinishApplication { app: app_id });
    }

    fn node_views(&self) -> Vec<NodeView<'_>> {
        self.nodes
            .iter()
            .map(|n| NodeView {
                host: n.id.host.as_str(),
                rack: n.rack.as_str(),
                free: n.capability.minus(&n.used),
                usable: n.usable(),
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn new_container(
        &mut self,
        app_id: ApplicationId,
        owner: ApplicationAttemptId,
        node: usize,
        resource: Resources,
        priority: i32,
        allocation_request_id: i64,
        is_am: bool,
        now_ms: i64,
    ) -> Option<ContainerId> {
        let app = self.apps.get_mut(&app_id)?;
        let seq = app.next_container_seq;
        app.next_container_seq += 1;
        let user = app.user.clone();
        let id = ContainerId::new(owner, seq);
        let n = self.nodes.get_mut(node)?;
        n.used.add(&resource);
        n.containers.insert(id);
        let ident = ContainerTokenIdentifierProto {
            container_id: Some(id.to_proto()),
            nm_host_addr: Some(n.id.to_string()),
            app_submitter: Some(user),
            resource: Some(resource.to_proto()),
            expiry_time_stamp: Some(now_ms + self.config.allocation_expiry_ms),
            master_key_id: Some(super::tokens::KEY_ID),
            rm_identifier: Some(self.config.cluster_timestamp),
            priority: Some(PriorityProto::new(priority)),
            creation_time: Some(now_ms),
            container_type: Some(if is_am {
                ContainerTypeProto::ApplicationMaster as i32
            } else {
                ContainerTypeProto::Task as i32
            }),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            version: Some(0),
            allocation_request_id: Some(allocation_request_id),
            ..Default::default()
        };
        let token = ContainerTokenIdentifier::from_proto(ident)
            .map(|i| self.tokens.container_token(&i))
            .ok()?;
        let proto = ContainerProto {
            id: Some(id.to_proto()),
            node_id: Some(n.id.to_proto()),
            node_http_address: Some(n.http_address.clone()),
            resource: Some(resource.to_proto()),
            priority: Some(PriorityProto::new(priority)),
            container_token: Some((&token).into()),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            allocation_request_id: Some(allocation_request_id),
            version: Some(0),
            ..Default::default()
        };
        self.containers.insert(
            id,
            RmContainer {
                id,
                app: app_id,
                owner,
                node,
                resource,
                is_am,
                proto,
                phase: if is_am {
                    ContainerPhase::Running
                } else {
                    ContainerPhase::Allocated(now_ms)
                },
            },
        );
        Some(id)
    }

    /// One FIFO pass: AM containers first (in submission order), then the asks of registered
    /// attempts.
    fn schedule(&mut self, now_ms: i64) {
        let order = self.order.clone();
        for app_id in &order {
            self.place_am(*app_id, now_ms);
        }
        for app_id in order {
            self.place_asks(app_id, now_ms);
        }
    }

    fn place_am(&mut self, app_id: ApplicationId, now_ms: i64) {
        let Some(app) = self.apps.get(&app_id) else {
            return;
        };
        if app.state.is_final() || app.unmanaged {
            return;
        }
        let Some(attempt) = app.current() else {
            return;
        };
        if attempt.state != AttemptState::Scheduled {
            return;
        }
        let (attempt_id, resource, priority) =
            (attempt.id, app.am_resource.clone(), app.am_priority);
        let node = self
            .node_views()
            .iter()
            .enumerate()
            .filter(|(_, n)| n.usable && resource.fits_in(&n.free))
            .max_by_key(|(i, n)| (n.free.memory_mb, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        let Some(node) = node else {
            return;
        };
        let Some(cid) = self.new_container(
            app_id, attempt_id, node, resource, priority, 0, true, now_ms,
        ) else {
            return;
        };
        let container = self.containers.get(&cid).map(|c| c.proto.clone());
        let Some(app) = self.apps.get_mut(&app_id) else {
            return;
        };
        if app.launch_time_ms == 0 {
            app.launch_time_ms = now_ms;
        }
        let submit_time = app.submit_time_ms;
        let max_attempts = app.max_attempts;
        let user = app.user.clone();
        let mut clc = app.submission.am_container_spec.clone().unwrap_or_default();
        let Some(attempt) = app.current_mut() else {
            return;
        };
        attempt.am_container = Some(cid);
        attempt.state = AttemptState::Launched;
        attempt.last_heartbeat_ms = now_ms;
        let mut creds = clc.credentials().unwrap_or_else(|_| Credentials::new());
        creds.add_token("", attempt.amrm_token.clone());
        clc.set_credentials(&creds);
        for (k, v) in [
            ("APPLICATION_WEB_PROXY_BASE", format!("/proxy/{app_id}")),
            ("APP_SUBMIT_TIME_ENV", submit_time.to_string()),
            ("MAX_APP_ATTEMPTS", max_attempts.to_string()),
        ] {
            clc.environment.retain(|e| e.key.as_deref() != Some(k));
            clc.add_env(k, v);
        }
        if let Some(container) = container {
            self.effects.push(Effect::LaunchAm {
                node,
                container: Box::new(container),
                clc: Box::new(clc),
                user,
            });
        }
    }

    fn place_asks(&mut self, app_id: ApplicationId, now_ms: i64) {
        let Some(app) = self.apps.get_mut(&app_id) else {
            return;
        };
        if app.state.is_final() {
            return;
        }
        let Some(attempt) = app.current_mut() else {
            return;
        };
        if !attempt.registered || attempt.asks.is_empty() {
            return;
        }
        let attempt_id = attempt.id;
        let mut asks = std::mem::take(&mut attempt.asks);
        let blacklist = attempt.blacklist.clone();
        let mut new = Vec::new();
        for key in asks.wanted_keys() {
            loop {
                let views = self.node_views();
                let Some((node, locality)) = place(&asks, &key, &views, &blacklist) else {
                    break;
                };
                consume(&mut asks, &key, &views[node], locality);
                drop(views);
                match self.new_container(
                    app_id,
                    attempt_id,
                    node,
                    key.capability.clone(),
                    key.priority,
                    key.allocation_request_id,
                    false,
                    now_ms,
                ) {
                    Some(cid) => new.push(cid),
                    None => break,
                }
            }
        }
        if let Some(attempt) = self.apps.get_mut(&app_id).and_then(|a| a.current_mut()) {
            attempt.asks = asks;
            attempt.new_containers.extend(new);
        }
    }
}
