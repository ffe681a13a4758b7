//! Our servers (`spindle_protocol::ipc::IpcServer` with the `yarn::server` adapters) on
//! 127.0.0.1, backed by a small stateful one-node cluster written for the interop tests: the
//! Rust twin of the Java harness's handlers, held to the same rules a real RM/NM applies
//! (registration before allocate, response-id sequence, ask validation, container-token checks,
//! per-container failures, application states that follow the AM).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::{CallContext, IpcServer, ServerConfig, Service, ServiceError};
use spindle_protocol::proto::security::ContainerTokenIdentifierProto;
use spindle_protocol::proto::yarn::{
    ApplicationAttemptIdProto, ApplicationReportProto, ApplicationSubmissionContextProto,
    ContainerIdProto, ContainerProto, ContainerStateProto, ContainerStatusProto,
    ContainerTypeProto, ExecutionTypeProto, FinalApplicationStatusProto, ResourceProto,
    ResourceRequestProto, SerializedExceptionProto, YarnApplicationStateProto,
    YarnClusterMetricsProto,
};
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::{ContainerTokenIdentifier, Token, token_service_for};
use spindle_protocol::yarn::error::{
    APPLICATION_ATTEMPT_NOT_FOUND, APPLICATION_MASTER_NOT_REGISTERED, APPLICATION_NOT_FOUND,
    INVALID_APPLICATION_MASTER_REQUEST, INVALID_RESOURCE_REQUEST, INVALID_TOKEN, YARN_EXCEPTION,
};
use spindle_protocol::yarn::records::ANY_RESOURCE_NAME;
use spindle_protocol::yarn::secret::{AmRmTokenSecretManager, NmTokenSecretManager};
use spindle_protocol::yarn::server::{
    AmCaller, AmService, ApplicationClientProtocol, ApplicationMasterProtocol, ClientService,
    ContainerManagementProtocol, NmCaller, NmService,
};

use crate::error::Result;
use crate::servers::{AMRM_KEY, CLUSTER_TIMESTAMP, CONTAINER_KEY, NMTOKEN_KEY};

/// Master key id of every token the test cluster issues.
pub const KEY_ID: i32 = 1;
/// The submitter named in NMTokens and container tokens.
pub const APP_SUBMITTER: &str = "spindle";
/// Largest container (MB, vcores).
pub const MAX_CAPABILITY: (i64, i32) = (8192, 4);
/// Size of the one node (MB, vcores).
pub const NODE_CAPACITY: (i64, i32) = (65536, 32);

const ABORTED: i32 = -100;
const KILLED_BY_APPMASTER: i32 = -105;
const INVALID_EXIT: i32 = -1000;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

struct App {
    context: ApplicationSubmissionContextProto,
    state: YarnApplicationStateProto,
    final_status: FinalApplicationStatusProto,
    diagnostics: String,
    user: String,
    submit_time: i64,
    finish_time: i64,
}

#[derive(Default)]
struct Attempt {
    registered: bool,
    unregistered: bool,
    host: String,
    rpc_port: i32,
    tracking_url: String,
    last_response_id: i32,
    last_response: Option<AllocateResponseProto>,
    /// Outstanding ANY asks by (priority, memory, vcores, allocation request id).
    outstanding: BTreeMap<(i32, i64, i32, i64), ResourceRequestProto>,
    live: BTreeMap<i64, ResourceProto>,
    completed_to_report: Vec<ContainerStatusProto>,
    nm_token_sent: bool,
    next_container: i64,
}

struct NmContainer {
    state: ContainerStateProto,
    exit_status: i32,
    diagnostics: String,
    resource: ResourceProto,
}

#[derive(Default)]
struct State {
    next_app: i32,
    issued: HashSet<ApplicationId>,
    apps: BTreeMap<(i64, i32), App>,
    attempts: HashMap<ApplicationAttemptId, Attempt>,
    containers: HashMap<ContainerId, NmContainer>,
}

impl State {
    fn container_completed(&mut self, id: ContainerId, exit: i32, diagnostics: &str) {
        if let Some(a) = self.attempts.get_mut(&id.application_attempt_id)
            && a.live.remove(&id.id).is_some()
        {
            a.completed_to_report.push(status(
                id,
                ContainerStateProto::CComplete,
                exit,
                diagnostics,
                None,
            ));
        }
    }
}

fn status(
    id: ContainerId,
    state: ContainerStateProto,
    exit: i32,
    diagnostics: &str,
    capability: Option<ResourceProto>,
) -> ContainerStatusProto {
    ContainerStatusProto {
        container_id: Some(id.to_proto()),
        state: Some(state as i32),
        diagnostics: Some(diagnostics.to_string()),
        exit_status: Some(exit),
        capability,
        ..Default::default()
    }
}

fn failure(class: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(class, message)
}

fn serialized(message: impl Into<String>) -> SerializedExceptionProto {
    SerializedExceptionProto {
        message: Some(message.into()),
        trace: None,
        class_name: Some(YARN_EXCEPTION.to_string()),
        cause: None,
    }
}

fn container_failure(
    id: &ContainerIdProto,
    message: impl Into<String>,
) -> ContainerExceptionMapProto {
    ContainerExceptionMapProto {
        container_id: Some(id.clone()),
        exception: Some(serialized(message)),
    }
}

fn final_state(s: YarnApplicationStateProto) -> bool {
    matches!(
        s,
        YarnApplicationStateProto::Finished
            | YarnApplicationStateProto::Failed
            | YarnApplicationStateProto::Killed
    )
}

/// The test cluster's state and handlers (one node); implements all three server traits.
pub struct TestCluster {
    state: Mutex<State>,
    /// The NM's node, set once its server listens (before any address is handed out).
    node: OnceLock<NodeId>,
}

impl TestCluster {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn node(&self) -> NodeId {
        self.node
            .get()
            .cloned()
            .unwrap_or_else(|| NodeId::new("127.0.0.1", 0))
    }

    /// Number of containers the NM side has been asked to start (for assertions).
    pub fn started_containers(&self) -> usize {
        self.lock().containers.len()
    }

    fn new_container(
        &self,
        attempt_id: ApplicationAttemptId,
        a: &mut Attempt,
        ask: &ResourceRequestProto,
    ) -> ContainerProto {
        let id = ContainerId::new(attempt_id, a.next_container);
        a.next_container += 1;
        let capability = ask.capability.clone().unwrap_or_default();
        let resource = ResourceProto::new_like_java(capability.memory_mb(), capability.vcores());
        let now = now_ms();
        let ident = ContainerTokenIdentifier::from_proto(ContainerTokenIdentifierProto {
            container_id: Some(id.to_proto()),
            nm_host_addr: Some(self.node().to_string()),
            app_submitter: Some(APP_SUBMITTER.into()),
            resource: Some(resource.clone()),
            expiry_time_stamp: Some(now + 600_000),
            master_key_id: Some(KEY_ID),
            rm_identifier: Some(CLUSTER_TIMESTAMP),
            priority: ask.priority.clone(),
            creation_time: Some(now),
            log_aggregation_context: None,
            node_label_expression: Some(String::new()),
            container_type: Some(ContainerTypeProto::Task as i32),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            version: Some(0),
            allocation_request_id: ask.allocation_request_id,
            allocation_tags: Vec::new(),
        })
        .expect("a container id is set");
        a.live.insert(id.id, resource.clone());
        ContainerProto {
            id: Some(id.to_proto()),
            node_id: Some(self.node().to_proto()),
            node_http_address: Some(format!("{}:0", self.node().host)),
            resource: Some(resource),
            priority: ask.priority.clone(),
            container_token: Some(ident.issue(CONTAINER_KEY).to_proto()),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            allocation_request_id: ask.allocation_request_id,
            version: Some(0),
            ..Default::default()
        }
    }

    fn report(&self, st: &State, id: ApplicationId, app: &App) -> ApplicationReportProto {
        let attempt_id = ApplicationAttemptId::new(id, 1);
        let am = st.attempts.get(&attempt_id).filter(|a| a.registered);
        ApplicationReportProto {
            application_id: Some(id.to_proto()),
            current_application_attempt_id: Some(ApplicationAttemptIdProto::from(attempt_id)),
            user: Some(app.user.clone()),
            queue: Some(
                app.context
                    .queue
                    .clone()
                    .unwrap_or_else(|| "default".into()),
            ),
            name: Some(app.context.application_name.clone().unwrap_or_default()),
            application_type: Some(
                app.context
                    .application_type
                    .clone()
                    .unwrap_or_else(|| "YARN".into()),
            ),
            host: Some(am.map_or_else(|| "N/A".to_string(), |a| a.host.clone())),
            rpc_port: Some(am.map_or(-1, |a| a.rpc_port)),
            tracking_url: Some(am.map(|a| a.tracking_url.clone()).unwrap_or_default()),
            original_tracking_url: Some(am.map(|a| a.tracking_url.clone()).unwrap_or_default()),
            yarn_application_state: Some(app.state as i32),
            final_application_status: Some(app.final_status as i32),
            diagnostics: Some(app.diagnostics.clone()),
            start_time: Some(app.submit_time),
            submit_time: Some(app.submit_time),
            finish_time: Some(app.finish_time),
            progress: Some(if final_state(app.state) { 1.0 } else { 0.0 }),
            ..Default::default()
        }
    }
}

fn validate(ask: &ResourceRequestProto) -> std::result::Result<(), ServiceError> {
    let Some(c) = ask.capability.as_ref() else {
        return Err(failure(
            INVALID_RESOURCE_REQUEST,
            "Invalid resource request, no capability given",
        ));
    };
    let n = ask.num_containers.unwrap_or(1);
    if n < 0 {
        return Err(failure(
            INVALID_RESOURCE_REQUEST,
            format!("Invalid resource request, number of containers is negative: {n}"),
        ));
    }
    let (mem, cores) = (c.memory_mb(), c.vcores());
    if mem < 0 || mem > MAX_CAPABILITY.0 || cores < 0 || cores > MAX_CAPABILITY.1 {
        return Err(failure(
            INVALID_RESOURCE_REQUEST,
            format!(
                "Invalid resource request, requested resource <memory:{mem}, vCores:{cores}> is negative or \
                 above the maximum allowed allocation <memory:{}, vCores:{}>",
                MAX_CAPABILITY.0, MAX_CAPABILITY.1
            ),
        ));
    }
    Ok(())
}

impl ApplicationMasterProtocol for TestCluster {
    async fn register_application_master(
        &self,
        caller: AmCaller,
        request: RegisterApplicationMasterRequestProto,
    ) -> std::result::Result<RegisterApplicationMasterResponseProto, ServiceError> {
        let id = caller.attempt_id();
        let mut st = self.lock();
        let a = st.attempts.entry(id).or_insert_with(|| Attempt {
            next_container: 2,
            ..Default::default()
        });
        if a.unregistered {
            return Err(failure(
                APPLICATION_ATTEMPT_NOT_FOUND,
                format!("Application attempt {id} has already finished"),
            ));
        }
        if a.registered {
            return Err(failure(
                INVALID_APPLICATION_MASTER_REQUEST,
                format!(
                    "Application Master is already registered : {}",
                    id.application_id
                ),
            ));
        }
        a.registered = true;
        a.host = request.host.unwrap_or_default();
        a.rpc_port = request.rpc_port.unwrap_or(-1);
        a.tracking_url = request.tracking_url.unwrap_or_default();
        a.last_response_id = 0;
        let key = (id.application_id.cluster_timestamp, id.application_id.id);
        if let Some(app) = st.apps.get_mut(&key)
            && app.state == YarnApplicationStateProto::Accepted
        {
            app.state = YarnApplicationStateProto::Running;
        }
        Ok(RegisterApplicationMasterResponseProto {
            maximum_capability: Some(ResourceProto::new_like_java(
                MAX_CAPABILITY.0,
                MAX_CAPABILITY.1,
            )),
            client_to_am_token_master_key: Some(b"interop-client-to-am-key".to_vec()),
            queue: Some("default".into()),
            scheduler_resource_types: vec![
                SchedulerResourceTypes::Memory as i32,
                SchedulerResourceTypes::Cpu as i32,
            ],
            ..Default::default()
        })
    }

    async fn allocate(
        &self,
        caller: AmCaller,
        request: AllocateRequestProto,
    ) -> std::result::Result<AllocateResponseProto, ServiceError> {
        let id = caller.attempt_id();
        let mut guard = self.lock();
        let st = &mut *guard;
        let Some(a) = st.attempts.get_mut(&id).filter(|a| a.registered) else {
            return Err(failure(
                APPLICATION_MASTER_NOT_REGISTERED,
                format!(
                    "AM is not registered for known application attempt: {id} or RM had restarted after AM \
                     registered. AM should re-register."
                ),
            ));
        };
        if a.unregistered {
            return Err(failure(
                APPLICATION_ATTEMPT_NOT_FOUND,
                format!(
                    "Application attempt {id} doesn't exist in ApplicationMasterService cache."
                ),
            ));
        }
        let rid = request.response_id.unwrap_or(0);
        if let Some(last) = &a.last_response
            && rid.wrapping_add(1) == a.last_response_id
        {
            return Ok(last.clone());
        }
        if rid != a.last_response_id {
            return Err(failure(
                INVALID_APPLICATION_MASTER_REQUEST,
                format!(
                    "Invalid responseId in AllocateRequest from application attempt: {id}, expect responseId to \
                     be {}, but get {rid}",
                    a.last_response_id
                ),
            ));
        }
        for ask in &request.ask {
            validate(ask)?;
        }
        for ask in request.ask {
            if ask.resource_name.as_deref() == Some(ANY_RESOURCE_NAME) {
                let c = ask.capability.clone().unwrap_or_default();
                let key = (
                    ask.priority.as_ref().and_then(|p| p.priority).unwrap_or(0),
                    c.memory_mb(),
                    c.vcores(),
                    ask.allocation_request_id.unwrap_or(-1),
                );
                a.outstanding.insert(key, ask);
            }
        }
        let mut released = Vec::new();
        for r in &request.release {
            if let Ok(cid) = ContainerId::from_proto(r)
                && cid.application_attempt_id == id
                && a.live.contains_key(&cid.id)
            {
                released.push(cid);
            }
        }
        let mut allocated = Vec::new();
        let asks: Vec<ResourceRequestProto> = a.outstanding.values().cloned().collect();
        for ask in asks {
            for _ in 0..ask.num_containers.unwrap_or(0) {
                allocated.push(self.new_container(id, a, &ask));
            }
        }
        for ask in a.outstanding.values_mut() {
            ask.num_containers = Some(0);
        }
        let mut nm_tokens = Vec::new();
        if !allocated.is_empty() && !a.nm_token_sent {
            a.nm_token_sent = true;
            let nm_secrets = NmTokenSecretManager::new(KEY_ID, NMTOKEN_KEY, Some(self.node()));
            let token =
                nm_secrets.create_token(id, self.node(), APP_SUBMITTER, self.node().to_string());
            nm_tokens.push(NMTokenProto {
                node_id: Some(self.node().to_proto()),
                token: Some(token.to_proto()),
            });
        }
        for cid in released {
            if let Some(c) = st.containers.get_mut(&cid) {
                c.state = ContainerStateProto::CComplete;
                c.exit_status = ABORTED;
                c.diagnostics = "Container released by application".into();
            }
            st.container_completed(cid, ABORTED, "Container released by application");
        }
        let a = st.attempts.get_mut(&id).expect("attempt exists");
        let completed = std::mem::take(&mut a.completed_to_report);
        let (mem, cores) = a.live.values().fold((0i64, 0i32), |(m, c), r| {
            (m + r.memory_mb(), c + r.vcores())
        });
        let next = if rid == i32::MAX { 0 } else { rid + 1 };
        let response = AllocateResponseProto {
            response_id: Some(next),
            allocated_containers: allocated,
            completed_container_statuses: completed,
            limit: Some(ResourceProto::new_like_java(
                NODE_CAPACITY.0 - mem,
                NODE_CAPACITY.1 - cores,
            )),
            num_cluster_nodes: Some(1),
            nm_tokens,
            ..Default::default()
        };
        a.last_response = Some(response.clone());
        a.last_response_id = next;
        Ok(response)
    }

    async fn finish_application_master(
        &self,
        caller: AmCaller,
        request: FinishApplicationMasterRequestProto,
    ) -> std::result::Result<FinishApplicationMasterResponseProto, ServiceError> {
        let id = caller.attempt_id();
        let mut guard = self.lock();
        let st = &mut *guard;
        let Some(a) = st.attempts.get_mut(&id).filter(|a| a.registered) else {
            return Err(failure(
                APPLICATION_MASTER_NOT_REGISTERED,
                format!("Application Master is trying to unregister before registering for: {id}"),
            ));
        };
        if !a.unregistered {
            a.unregistered = true;
            let live: Vec<i64> = a.live.keys().copied().collect();
            for n in live {
                let cid = ContainerId::new(id, n);
                if let Some(c) = st.containers.get_mut(&cid) {
                    c.state = ContainerStateProto::CComplete;
                    c.exit_status = ABORTED;
                    c.diagnostics = "Container of a completed application".into();
                }
                st.container_completed(cid, ABORTED, "Container of a completed application");
            }
            let key = (id.application_id.cluster_timestamp, id.application_id.id);
            if let Some(app) = st.apps.get_mut(&key)
                && !final_state(app.state)
            {
                app.state = YarnApplicationStateProto::Finished;
                app.final_status = request
                    .final_application_status
                    .and_then(|s| FinalApplicationStatusProto::try_from(s).ok())
                    .unwrap_or(FinalApplicationStatusProto::AppUndefined);
                app.diagnostics = request.diagnostics.unwrap_or_default();
                app.finish_time = now_ms();
            }
        }
        Ok(FinishApplicationMasterResponseProto {
            is_unregistered: Some(true),
        })
    }
}

impl TestCluster {
    /// Why this NMToken holder may not see or touch `id`, if it may not.
    fn refusal(&self, st: &State, caller: &NmCaller, id: &ContainerId) -> Option<String> {
        if id.application_id() != caller.attempt_id().application_id {
            return Some(format!(
                "Unauthorized request to access container {id} of another application; NMToken application \
                 attempt : {}",
                caller.attempt_id()
            ));
        }
        if !st.containers.contains_key(id) {
            return Some(format!("Container {id} is not handled by this NodeManager"));
        }
        None
    }

    fn check_node(&self, caller: &NmCaller) -> std::result::Result<(), ServiceError> {
        if *caller.node_id() != self.node() {
            return Err(failure(
                INVALID_TOKEN,
                format!(
                    "NMToken for node {} used at node {}",
                    caller.node_id(),
                    self.node()
                ),
            ));
        }
        Ok(())
    }
}

impl ContainerManagementProtocol for TestCluster {
    async fn start_containers(
        &self,
        caller: NmCaller,
        request: StartContainersRequestProto,
    ) -> std::result::Result<StartContainersResponseProto, ServiceError> {
        self.check_node(&caller)?;
        let mut st = self.lock();
        let mut ok = Vec::new();
        let mut failed = Vec::new();
        for r in request.start_container_request {
            let Some(tp) = r.container_token.as_ref() else {
                return Err(failure(YARN_EXCEPTION, "Invalid ContainerToken"));
            };
            let token = Token::from_proto(tp);
            if !token.verify(CONTAINER_KEY) {
                return Err(failure(
                    INVALID_TOKEN,
                    format!(
                        "Invalid container token used for starting container on : {}",
                        self.node()
                    ),
                ));
            }
            let ident = token
                .container_identifier()
                .map_err(|e| failure(YARN_EXCEPTION, format!("Invalid ContainerToken: {e}")))?;
            let id = ident.container_id;
            let problem = if id.application_id() != caller.attempt_id().application_id {
                Some(format!(
                    "Unauthorized request to start container. NMToken for application attempt : {} was used for \
                     starting container with container token issued for application attempt : {}",
                    caller.attempt_id(),
                    id.application_attempt_id
                ))
            } else if ident.nm_host_addr() != self.node().to_string() {
                Some(format!(
                    "Unauthorized request to start container. This token is meant for {}, not for {}",
                    ident.nm_host_addr(),
                    self.node()
                ))
            } else if ident.expiry_time_stamp() < now_ms() {
                Some(format!(
                    "This token is expired. current time is {}",
                    now_ms()
                ))
            } else if r.container_launch_context.is_none() {
                Some(format!("No ContainerLaunchContext for container {id}"))
            } else if st.containers.contains_key(&id) {
                Some(format!("Container {id} already is running on this node!!"))
            } else {
                None
            };
            if let Some(p) = problem {
                failed.push(container_failure(&id.to_proto(), p));
                continue;
            }
            st.containers.insert(
                id,
                NmContainer {
                    state: ContainerStateProto::CRunning,
                    exit_status: INVALID_EXIT,
                    diagnostics: String::new(),
                    resource: ident.proto.resource.clone().unwrap_or_default(),
                },
            );
            ok.push(id.to_proto());
        }
        Ok(StartContainersResponseProto {
            services_meta_data: Vec::new(),
            succeeded_requests: ok,
            failed_requests: failed,
        })
    }

    async fn stop_containers(
        &self,
        caller: NmCaller,
        request: StopContainersRequestProto,
    ) -> std::result::Result<StopContainersResponseProto, ServiceError> {
        self.check_node(&caller)?;
        let mut guard = self.lock();
        let st = &mut *guard;
        let mut ok = Vec::new();
        let mut failed = Vec::new();
        for p in &request.container_id {
            let id =
                ContainerId::from_proto(p).map_err(|e| failure(YARN_EXCEPTION, e.to_string()))?;
            if let Some(why) = self.refusal(st, &caller, &id) {
                failed.push(container_failure(p, why));
                continue;
            }
            let c = st.containers.get_mut(&id).expect("checked above");
            if c.state != ContainerStateProto::CComplete {
                c.state = ContainerStateProto::CComplete;
                c.exit_status = KILLED_BY_APPMASTER;
                c.diagnostics = "Container killed by the ApplicationMaster.".into();
                st.container_completed(
                    id,
                    KILLED_BY_APPMASTER,
                    "Container killed by the ApplicationMaster.",
                );
            }
            ok.push(p.clone());
        }
        Ok(StopContainersResponseProto {
            succeeded_requests: ok,
            failed_requests: failed,
        })
    }

    async fn get_container_statuses(
        &self,
        caller: NmCaller,
        request: GetContainerStatusesRequestProto,
    ) -> std::result::Result<GetContainerStatusesResponseProto, ServiceError> {
        self.check_node(&caller)?;
        let st = self.lock();
        let mut statuses = Vec::new();
        let mut failed = Vec::new();
        for p in &request.container_id {
            let id =
                ContainerId::from_proto(p).map_err(|e| failure(YARN_EXCEPTION, e.to_string()))?;
            if let Some(why) = self.refusal(&st, &caller, &id) {
                failed.push(container_failure(p, why));
                continue;
            }
            let c = &st.containers[&id];
            statuses.push(status(
                id,
                c.state,
                c.exit_status,
                &c.diagnostics,
                Some(c.resource.clone()),
            ));
        }
        Ok(GetContainerStatusesResponseProto {
            status: statuses,
            failed_requests: failed,
        })
    }
}

fn app_id(
    p: Option<&spindle_protocol::proto::yarn::ApplicationIdProto>,
) -> std::result::Result<ApplicationId, ServiceError> {
    let p = p.ok_or_else(|| failure(YARN_EXCEPTION, "no application id in the request"))?;
    ApplicationId::from_proto(p).map_err(|e| failure(YARN_EXCEPTION, e.to_string()))
}

fn not_found(id: ApplicationId) -> ServiceError {
    failure(
        APPLICATION_NOT_FOUND,
        format!(
            "Application with id '{id}' doesn't exist in RM. Please check that the job submission was successful."
        ),
    )
}

impl ApplicationClientProtocol for TestCluster {
    async fn get_new_application(
        &self,
        _ctx: CallContext,
        _request: GetNewApplicationRequestProto,
    ) -> std::result::Result<GetNewApplicationResponseProto, ServiceError> {
        let mut st = self.lock();
        st.next_app += 1;
        let id = ApplicationId::new(CLUSTER_TIMESTAMP, st.next_app);
        st.issued.insert(id);
        Ok(GetNewApplicationResponseProto {
            application_id: Some(id.to_proto()),
            maximum_capability: Some(ResourceProto::new_like_java(
                MAX_CAPABILITY.0,
                MAX_CAPABILITY.1,
            )),
        })
    }

    async fn submit_application(
        &self,
        ctx: CallContext,
        request: SubmitApplicationRequestProto,
    ) -> std::result::Result<SubmitApplicationResponseProto, ServiceError> {
        let context = request
            .application_submission_context
            .ok_or_else(|| failure(YARN_EXCEPTION, "Invalid submission: no submission context"))?;
        let id = app_id(context.application_id.as_ref())?;
        let mut st = self.lock();
        let key = (id.cluster_timestamp, id.id);
        if st.apps.contains_key(&key) {
            return Ok(SubmitApplicationResponseProto {});
        }
        if !st.issued.contains(&id) {
            return Err(failure(
                YARN_EXCEPTION,
                format!("Application id {id} was not issued by this ResourceManager"),
            ));
        }
        if let Some(r) = &context.resource
            && (r.memory_mb() > MAX_CAPABILITY.0 || r.vcores() > MAX_CAPABILITY.1)
        {
            return Err(failure(
                INVALID_RESOURCE_REQUEST,
                format!(
                    "Invalid resource request, requested AM resource <memory:{}, vCores:{}> is above the maximum \
                     allowed allocation",
                    r.memory_mb(),
                    r.vcores()
                ),
            ));
        }
        st.apps.insert(
            key,
            App {
                context,
                state: YarnApplicationStateProto::Accepted,
                final_status: FinalApplicationStatusProto::AppUndefined,
                diagnostics: String::new(),
                user: ctx.user,
                submit_time: now_ms(),
                finish_time: 0,
            },
        );
        Ok(SubmitApplicationResponseProto {})
    }

    async fn get_application_report(
        &self,
        _ctx: CallContext,
        request: GetApplicationReportRequestProto,
    ) -> std::result::Result<GetApplicationReportResponseProto, ServiceError> {
        let id = app_id(request.application_id.as_ref())?;
        let st = self.lock();
        let app = st
            .apps
            .get(&(id.cluster_timestamp, id.id))
            .ok_or_else(|| not_found(id))?;
        Ok(GetApplicationReportResponseProto {
            application_report: Some(self.report(&st, id, app)),
        })
    }

    async fn get_applications(
        &self,
        _ctx: CallContext,
        _request: GetApplicationsRequestProto,
    ) -> std::result::Result<GetApplicationsResponseProto, ServiceError> {
        let st = self.lock();
        let applications = st
            .apps
            .iter()
            .map(|((ts, n), app)| self.report(&st, ApplicationId::new(*ts, *n), app))
            .collect();
        Ok(GetApplicationsResponseProto { applications })
    }

    async fn force_kill_application(
        &self,
        _ctx: CallContext,
        request: KillApplicationRequestProto,
    ) -> std::result::Result<KillApplicationResponseProto, ServiceError> {
        let id = app_id(request.application_id.as_ref())?;
        let mut st = self.lock();
        let app = st
            .apps
            .get_mut(&(id.cluster_timestamp, id.id))
            .ok_or_else(|| not_found(id))?;
        if !final_state(app.state) {
            app.state = YarnApplicationStateProto::Killed;
            app.final_status = FinalApplicationStatusProto::AppKilled;
            app.diagnostics = request
                .diagnostics
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "Application killed by user.".into());
            app.finish_time = now_ms();
        }
        Ok(KillApplicationResponseProto {
            is_kill_completed: Some(true),
        })
    }

    async fn get_cluster_metrics(
        &self,
        _ctx: CallContext,
        _request: GetClusterMetricsRequestProto,
    ) -> std::result::Result<GetClusterMetricsResponseProto, ServiceError> {
        Ok(GetClusterMetricsResponseProto {
            cluster_metrics: Some(YarnClusterMetricsProto {
                num_node_managers: Some(1),
                num_active_nms: Some(1),
                ..Default::default()
            }),
        })
    }

    async fn get_cluster_nodes(
        &self,
        _ctx: CallContext,
        _request: GetClusterNodesRequestProto,
    ) -> std::result::Result<GetClusterNodesResponseProto, ServiceError> {
        Err(spindle_protocol::yarn::server::unsupported(
            "getClusterNodes",
        ))
    }

    async fn get_queue_info(
        &self,
        _ctx: CallContext,
        _request: GetQueueInfoRequestProto,
    ) -> std::result::Result<GetQueueInfoResponseProto, ServiceError> {
        Err(spindle_protocol::yarn::server::unsupported("getQueueInfo"))
    }
}

/// Our three servers on 127.0.0.1 ephemeral ports, sharing one [`TestCluster`].
pub struct RustYarnServers {
    /// The shared state and handlers.
    pub cluster: Arc<TestCluster>,
    /// ApplicationMasterProtocol (TOKEN with AMRMTokens; SIMPLE callers are refused per call).
    pub am_addr: SocketAddr,
    /// ContainerManagementProtocol (TOKEN with NMTokens; SIMPLE callers are refused per call).
    pub nm_addr: SocketAddr,
    /// ApplicationClientProtocol (SIMPLE).
    pub client_addr: SocketAddr,
    /// AMRMToken of attempt 1 of application 1, service = `am_addr`.
    pub amrm_token: Token,
    /// Credentials file (written by our code) holding `amrm_token`.
    pub token_file: PathBuf,
    am_secrets: Arc<AmRmTokenSecretManager>,
    servers: Vec<IpcServer>,
    _dir: tempfile::TempDir,
}

impl RustYarnServers {
    /// Binds the three servers and writes the token file.
    pub async fn start() -> Result<Self> {
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        // The NM's node id needs its port, which is known only once it listens: its secret
        // manager therefore does not pin the node, and the handler checks the NMToken's node on
        // every call instead (`TestCluster::check_node`).
        let cluster = Arc::new(TestCluster {
            state: Mutex::new(State::default()),
            node: OnceLock::new(),
        });
        let mut nm_config = ServerConfig::new(loopback);
        nm_config.secret_manager = Some(Arc::new(NmTokenSecretManager::new(
            KEY_ID,
            NMTOKEN_KEY,
            None,
        )));
        let nm = IpcServer::bind(
            nm_config,
            vec![Arc::new(NmService::new(cluster.clone())) as Arc<dyn Service>],
        )
        .await?;
        let node = NodeId::new("127.0.0.1", i32::from(nm.local_addr().port()));
        let _ = cluster.node.set(node);

        let am_secrets = Arc::new(AmRmTokenSecretManager::new(KEY_ID, AMRM_KEY));
        let mut am_config = ServerConfig::new(loopback);
        am_config.secret_manager = Some(am_secrets.clone());
        let am = IpcServer::bind(
            am_config,
            vec![Arc::new(AmService::new(cluster.clone())) as Arc<dyn Service>],
        )
        .await?;

        let client = IpcServer::bind(
            ServerConfig::new(loopback),
            vec![Arc::new(ClientService::new(cluster.clone())) as Arc<dyn Service>],
        )
        .await?;

        let attempt = ApplicationAttemptId::new(ApplicationId::new(CLUSTER_TIMESTAMP, 1), 1);
        let mut amrm_token = am_secrets.create_token(attempt);
        amrm_token.service = token_service_for(am.local_addr());
        let dir = tempfile::tempdir()?;
        let token_file = dir.path().join("container_tokens");
        let mut creds = Credentials::new();
        creds.add_token(amrm_token.service.clone(), amrm_token.clone());
        creds
            .write_file(&token_file)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(RustYarnServers {
            cluster,
            am_addr: am.local_addr(),
            nm_addr: nm.local_addr(),
            client_addr: client.local_addr(),
            amrm_token,
            token_file,
            am_secrets,
            servers: vec![am, nm, client],
            _dir: dir,
        })
    }

    /// An AMRMToken for attempt 1 of application `app` (service = `am_addr`).
    pub fn amrm_token_for(&self, app: i32) -> Token {
        let attempt = ApplicationAttemptId::new(ApplicationId::new(CLUSTER_TIMESTAMP, app), 1);
        let mut token = self.am_secrets.create_token(attempt);
        token.service = token_service_for(self.am_addr);
        token
    }

    /// Stops the servers (graceful, bounded).
    pub async fn shutdown(self) {
        for s in self.servers {
            s.shutdown().await;
        }
    }
}
