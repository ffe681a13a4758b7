//! Loopback tests of the typed YARN protocols: our clients against our `ipc::Service` adapters
//! on a real `IpcServer`, with real AMRMToken / NMToken secret managers (SASL DIGEST-MD5).
//!
//! The protocol implementations below are small but behave like the RM/NM parts they stand
//! for: registration state, response-id checking, container allocation with NMTokens, container
//! state tracking, application bookkeeping.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::{
    CallContext, ClientAuth, ClientConfig, IpcClient, IpcServer, RetryPolicy, ServerConfig,
    Service, ServiceError,
};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::{KIND_NM_TOKEN, Token};
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::error::{
    APPLICATION_MASTER_NOT_REGISTERED, APPLICATION_NOT_FOUND, INVALID_APPLICATION_MASTER_REQUEST,
    YARN_EXCEPTION,
};
use spindle_protocol::yarn::nm::ContainerManagerClient;
use spindle_protocol::yarn::records::{ANY_RESOURCE_NAME, ContainerExit, exit_status};
use spindle_protocol::yarn::secret::{AmRmTokenSecretManager, NmTokenSecretManager};
use spindle_protocol::yarn::server::*;
use spindle_protocol::yarn::{APPLICATION_MASTER_PROTOCOL, YarnError};

const TS: i64 = 1_700_000_000_000;
const NM_KEY: &[u8] = b"interop-nmtoken-master-key";
const AMRM_KEY: &[u8] = b"interop-amrm-master-key";

fn attempt(app: i32) -> ApplicationAttemptId {
    ApplicationAttemptId::new(ApplicationId::new(TS, app), 1)
}

fn nm_node() -> NodeId {
    NodeId::new("127.0.0.1", 28041)
}

fn fast(mut config: ClientConfig) -> ClientConfig {
    config.retry = RetryPolicy::none();
    config.connect_timeout = std::time::Duration::from_secs(5);
    config.call_timeout = std::time::Duration::from_secs(10);
    config
}

// ---------------------------------------------------------------------------------------------
// A scheduler (ApplicationMasterProtocol)
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct AttemptState {
    registered: bool,
    last_response_id: i32,
    last_response: Option<AllocateResponseProto>,
    next_container: i64,
    nm_token_sent: bool,
}

struct Scheduler {
    nm_tokens: Arc<NmTokenSecretManager>,
    amrm: Arc<AmRmTokenSecretManager>,
    /// Roll the AMRM master key on the next allocate and hand out the new token.
    roll_amrm_key: std::sync::atomic::AtomicBool,
    attempts: Mutex<HashMap<ApplicationAttemptId, AttemptState>>,
}

impl ApplicationMasterProtocol for Scheduler {
    async fn register_application_master(
        &self,
        caller: AmCaller,
        request: RegisterApplicationMasterRequestProto,
    ) -> Result<RegisterApplicationMasterResponseProto, ServiceError> {
        let mut attempts = self.attempts.lock().unwrap();
        let st = attempts.entry(caller.attempt_id()).or_default();
        if st.registered {
            return Err(ServiceError::new(
                INVALID_APPLICATION_MASTER_REQUEST,
                "Application Master is already registered",
            ));
        }
        assert_eq!(request.host(), "am-host");
        st.registered = true;
        st.next_container = 2;
        Ok(RegisterApplicationMasterResponseProto {
            maximum_capability: Some(ResourceProto::new(8192, 4)),
            queue: Some("default".into()),
            ..Default::default()
        })
    }

    async fn allocate(
        &self,
        caller: AmCaller,
        request: AllocateRequestProto,
    ) -> Result<AllocateResponseProto, ServiceError> {
        let mut attempts = self.attempts.lock().unwrap();
        let Some(st) = attempts
            .get_mut(&caller.attempt_id())
            .filter(|s| s.registered)
        else {
            return Err(ServiceError::new(
                APPLICATION_MASTER_NOT_REGISTERED,
                format!(
                    "AM is not registered for known application attempt: {}",
                    caller.attempt_id()
                ),
            ));
        };
        let id = request.response_id();
        if id + 1 == st.last_response_id
            && let Some(last) = &st.last_response
        {
            return Ok(last.clone());
        }
        if id != st.last_response_id {
            return Err(ServiceError::new(
                INVALID_APPLICATION_MASTER_REQUEST,
                format!(
                    "expect responseId to be {}, but get {id}",
                    st.last_response_id
                ),
            ));
        }
        let mut resp = AllocateResponseProto {
            response_id: Some((id + 1) & 0x7FFF_FFFF),
            num_cluster_nodes: Some(1),
            limit: Some(ResourceProto::new(8192, 4)),
            ..Default::default()
        };
        for ask in request
            .ask
            .iter()
            .filter(|a| a.resource_name() == ANY_RESOURCE_NAME)
        {
            for _ in 0..ask.num_containers() {
                let cid = ContainerId::new(caller.attempt_id(), st.next_container);
                st.next_container += 1;
                resp.allocated_containers.push(ContainerProto {
                    id: Some(cid.to_proto()),
                    node_id: Some(nm_node().to_proto()),
                    node_http_address: Some("127.0.0.1:28042".into()),
                    resource: ask.capability.clone(),
                    priority: ask.priority.clone(),
                    allocation_request_id: Some(ask.allocation_request_id()),
                    ..Default::default()
                });
            }
        }
        if !resp.allocated_containers.is_empty() && !st.nm_token_sent {
            st.nm_token_sent = true;
            let token = self.nm_tokens.create_token(
                caller.attempt_id(),
                nm_node(),
                "root",
                nm_node().to_string(),
            );
            resp.nm_tokens.push(NMTokenProto {
                node_id: Some(nm_node().to_proto()),
                token: Some(token.to_proto()),
            });
        }
        if self
            .roll_amrm_key
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            self.amrm.roll_key(2, b"rolled-amrm-master-key".to_vec());
            resp.am_rm_token = Some(self.amrm.create_token(caller.attempt_id()).to_proto());
        }
        st.last_response_id = resp.response_id();
        st.last_response = Some(resp.clone());
        Ok(resp)
    }

    async fn finish_application_master(
        &self,
        caller: AmCaller,
        request: FinishApplicationMasterRequestProto,
    ) -> Result<FinishApplicationMasterResponseProto, ServiceError> {
        assert_eq!(
            request.final_application_status(),
            FinalApplicationStatusProto::AppSucceeded
        );
        let mut attempts = self.attempts.lock().unwrap();
        let registered = attempts
            .get_mut(&caller.attempt_id())
            .map(|s| std::mem::take(&mut s.registered))
            .unwrap_or(false);
        Ok(FinishApplicationMasterResponseProto {
            is_unregistered: Some(registered),
        })
    }
}

struct Rm {
    server: IpcServer,
    scheduler: Arc<Scheduler>,
    amrm: Arc<AmRmTokenSecretManager>,
    nm_tokens: Arc<NmTokenSecretManager>,
}

async fn start_scheduler() -> Rm {
    let amrm = Arc::new(AmRmTokenSecretManager::new(1, AMRM_KEY.to_vec()));
    let nm_tokens = Arc::new(NmTokenSecretManager::new(
        1,
        NM_KEY.to_vec(),
        Some(nm_node()),
    ));
    let scheduler = Arc::new(Scheduler {
        nm_tokens: nm_tokens.clone(),
        amrm: amrm.clone(),
        roll_amrm_key: Default::default(),
        attempts: Mutex::new(HashMap::new()),
    });
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    config.secret_manager = Some(amrm.clone());
    config.allow_simple = true;
    let services: Vec<Arc<dyn Service>> = vec![Arc::new(AmService::new(scheduler.clone()))];
    let server = IpcServer::bind(config, services).await.unwrap();
    Rm {
        server,
        scheduler,
        amrm,
        nm_tokens,
    }
}

fn am_client(addr: SocketAddr, token: &Token) -> AmRmClient {
    AmRmClient::new(fast(ClientConfig::new(
        addr.to_string(),
        APPLICATION_MASTER_PROTOCOL,
        spindle_protocol::yarn::token_auth(token, "am"),
    )))
}

fn register_request() -> RegisterApplicationMasterRequestProto {
    RegisterApplicationMasterRequestProto {
        host: Some("am-host".into()),
        rpc_port: Some(0),
        tracking_url: Some(String::new()),
        ..Default::default()
    }
}

#[tokio::test]
async fn am_register_allocate_finish() {
    let rm = start_scheduler().await;
    let token = rm.amrm.create_token(attempt(1));
    let am = am_client(rm.server.local_addr(), &token);

    // allocate before register: NotRegistered, with the Java class kept.
    let err = am
        .allocate(&AllocateRequestProto::default())
        .await
        .unwrap_err();
    assert!(matches!(err, YarnError::NotRegistered(_)), "{err}");
    assert_eq!(err.class_name(), Some(APPLICATION_MASTER_NOT_REGISTERED));

    let reg = am
        .register_application_master(&register_request())
        .await
        .unwrap();
    assert_eq!(reg.maximum_capability.unwrap().memory_mb(), 8192);
    let again = am
        .register_application_master(&register_request())
        .await
        .unwrap_err();
    assert!(
        matches!(again, YarnError::InvalidApplicationMasterRequest(_)),
        "{again}"
    );

    let ask = ResourceRequestProto::new(1, ANY_RESOURCE_NAME, ResourceProto::new(256, 1), 2, 0);
    let req = AllocateRequestProto {
        ask: vec![ask],
        blacklist_request: Some(ResourceBlacklistRequestProto::default()),
        response_id: Some(0),
        progress: Some(0.1),
        ..Default::default()
    };
    let resp = am.allocate(&req).await.unwrap();
    assert_eq!(resp.response_id(), 1);
    let ids: Vec<String> = resp
        .allocated_containers
        .iter()
        .map(|c| c.container_id().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        [
            "container_1700000000000_0001_01_000002",
            "container_1700000000000_0001_01_000003"
        ]
    );
    assert_eq!(resp.nm_tokens.len(), 1);
    let nm_token = Token::from_proto(resp.nm_tokens[0].token.as_ref().unwrap());
    assert_eq!(nm_token.kind, KIND_NM_TOKEN);
    assert_eq!(nm_token.nm_identifier().unwrap().attempt_id, attempt(1));

    // Retrying the same response id returns the same reply (safe retry).
    let retry = am.allocate(&req).await.unwrap();
    assert_eq!(retry, resp);
    // A stale id is refused.
    let stale = AllocateRequestProto {
        response_id: Some(7),
        ..Default::default()
    };
    let err = am.allocate(&stale).await.unwrap_err();
    assert!(
        matches!(err, YarnError::InvalidApplicationMasterRequest(_)),
        "{err}"
    );

    let fin = am
        .finish_application_master(&FinishApplicationMasterRequestProto {
            final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(fin.is_unregistered());
    rm.server.shutdown().await;
}

#[tokio::test]
async fn am_follows_an_amrm_token_roll_over() {
    let rm = start_scheduler().await;
    let mut creds = spindle_protocol::credentials::Credentials::new();
    assert!(matches!(
        AmRmClient::from_credentials("127.0.0.1:1", &creds, "am"),
        Err(YarnError::NoToken { .. })
    ));
    // The token as the RM puts it in container_tokens: alias and service empty.
    creds.add_token("", rm.amrm.create_token(attempt(1)));
    let am =
        AmRmClient::from_credentials(rm.server.local_addr().to_string(), &creds, "am").unwrap();
    am.register_application_master(&register_request())
        .await
        .unwrap();

    rm.scheduler
        .roll_amrm_key
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let resp = am
        .allocate(&AllocateRequestProto {
            response_id: Some(0),
            ..Default::default()
        })
        .await
        .unwrap();
    let rolled = Token::from_proto(resp.am_rm_token.as_ref().unwrap());
    assert_eq!(rolled.amrm_identifier().unwrap().key_id, 2);
    assert_eq!(am.current_amrm_token(), Some(rolled));

    // The RM stops accepting the old key; a new connection must use the new token.
    rm.amrm.retire_key(1);
    am.ipc().close().await;
    let resp = am
        .allocate(&AllocateRequestProto {
            response_id: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(resp.response_id(), 2);

    // The NMToken cache keeps what the RM sends once per node.
    let mut cache = spindle_protocol::yarn::nm::NmTokenCache::new();
    let nm = rm
        .nm_tokens
        .create_token(attempt(1), nm_node(), "root", nm_node().to_string());
    let stored = cache.update(&[NMTokenProto {
        node_id: Some(nm_node().to_proto()),
        token: Some(nm.to_proto()),
    }]);
    assert_eq!(stored, 1);
    assert_eq!(cache.get("127.0.0.1:28041"), Some(&nm));
    assert!(cache.get("127.0.0.1:28042").is_none());
    rm.server.shutdown().await;
}

#[tokio::test]
async fn am_with_wrong_password_fails_authentication() {
    let rm = start_scheduler().await;
    let mut token = rm.amrm.create_token(attempt(1));
    token.password[0] ^= 0xff;
    let am = am_client(rm.server.local_addr(), &token);
    let err = am
        .register_application_master(&register_request())
        .await
        .unwrap_err();
    assert!(matches!(err, YarnError::Authentication(_)), "{err:?}");
    rm.server.shutdown().await;
}

#[tokio::test]
async fn am_with_revoked_attempt_is_refused() {
    let rm = start_scheduler().await;
    let token = rm.amrm.create_token(attempt(3));
    rm.amrm.revoke_attempt(attempt(3));
    let am = am_client(rm.server.local_addr(), &token);
    let err = am
        .register_application_master(&register_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            YarnError::Authentication(_) | YarnError::InvalidToken(_)
        ),
        "{err:?}"
    );
    rm.server.shutdown().await;
}

#[tokio::test]
async fn am_protocol_refuses_simple_callers_per_call() {
    let rm = start_scheduler().await;
    let am = AmRmClient::new(fast(ClientConfig::new(
        rm.server.local_addr().to_string(),
        APPLICATION_MASTER_PROTOCOL,
        ClientAuth::Simple {
            user: "intruder".into(),
        },
    )));
    for _ in 0..2 {
        let err = am
            .register_application_master(&register_request())
            .await
            .unwrap_err();
        assert!(matches!(err, YarnError::AccessDenied(_)), "{err:?}");
        assert_eq!(err.class_name(), Some(YARN_EXCEPTION));
        assert!(
            err.remote()
                .unwrap()
                .message
                .contains("No AMRMToken found for user intruder")
        );
        assert!(!err.remote().unwrap().fatal, "the connection stays usable");
    }
    // An NMToken is not an AMRMToken: the SASL layer refuses it (the secret manager cannot
    // decode it as an AMRMTokenIdentifier).
    let nm_token = rm
        .nm_tokens
        .create_token(attempt(1), nm_node(), "root", nm_node().to_string());
    let err = am_client(rm.server.local_addr(), &nm_token)
        .register_application_master(&register_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            YarnError::Authentication(_) | YarnError::InvalidToken(_)
        ),
        "{err:?}"
    );
    rm.server.shutdown().await;
}

#[tokio::test]
async fn unknown_method_is_no_such_method() {
    let rm = start_scheduler().await;
    let token = rm.amrm.create_token(attempt(1));
    let ipc = IpcClient::new(fast(ClientConfig::new(
        rm.server.local_addr().to_string(),
        APPLICATION_MASTER_PROTOCOL,
        spindle_protocol::yarn::token_auth(&token, "am"),
    )));
    let err = ipc
        .call::<_, AllocateResponseProto>("allocateEverything", &AllocateRequestProto::default())
        .await
        .unwrap_err();
    let remote = err.remote().expect("a remote error");
    assert!(remote.is("RpcNoSuchMethodException"), "{remote}");
    assert_eq!(remote.code, Some(2));
    rm.server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// A NodeManager (ContainerManagementProtocol)
// ---------------------------------------------------------------------------------------------

struct NodeManager {
    containers: Mutex<HashMap<ContainerId, ContainerStatusProto>>,
}

impl ContainerManagementProtocol for NodeManager {
    async fn start_containers(
        &self,
        caller: NmCaller,
        request: StartContainersRequestProto,
    ) -> Result<StartContainersResponseProto, ServiceError> {
        let mut resp = StartContainersResponseProto::default();
        let mut containers = self.containers.lock().unwrap();
        for start in request.start_container_request {
            let token = start.container_token.as_ref().map(Token::from_proto);
            let ident = token.as_ref().map(|t| t.container_identifier());
            match ident {
                Some(Ok(id)) if id.container_id.application_attempt_id == caller.attempt_id() => {
                    containers.insert(
                        id.container_id,
                        ContainerStatusProto {
                            container_id: Some(id.container_id.to_proto()),
                            state: Some(ContainerStateProto::CRunning as i32),
                            ..Default::default()
                        },
                    );
                    resp.succeeded_requests.push(id.container_id.to_proto());
                }
                _ => resp.failed_requests.push(ContainerExceptionMapProto {
                    container_id: None,
                    exception: Some(SerializedExceptionProto {
                        message: Some("Invalid ContainerToken".into()),
                        class_name: Some("org.apache.hadoop.yarn.exceptions.YarnException".into()),
                        ..Default::default()
                    }),
                }),
            }
        }
        Ok(resp)
    }

    async fn stop_containers(
        &self,
        _caller: NmCaller,
        request: StopContainersRequestProto,
    ) -> Result<StopContainersResponseProto, ServiceError> {
        let mut containers = self.containers.lock().unwrap();
        let mut resp = StopContainersResponseProto::default();
        for id in request.container_id {
            let cid = ContainerId::from_proto(&id).map_err(|e| {
                ServiceError::new(
                    "org.apache.hadoop.yarn.exceptions.YarnException",
                    e.to_string(),
                )
            })?;
            if let Some(st) = containers.get_mut(&cid) {
                st.state = Some(ContainerStateProto::CComplete as i32);
                st.exit_status = Some(exit_status::KILLED_BY_APPMASTER);
                st.diagnostics = Some("Container killed by the ApplicationMaster.".into());
                resp.succeeded_requests.push(id);
            }
        }
        Ok(resp)
    }

    async fn get_container_statuses(
        &self,
        _caller: NmCaller,
        request: GetContainerStatusesRequestProto,
    ) -> Result<GetContainerStatusesResponseProto, ServiceError> {
        let containers = self.containers.lock().unwrap();
        let mut resp = GetContainerStatusesResponseProto::default();
        for id in request.container_id {
            if let Some(st) = ContainerId::from_proto(&id)
                .ok()
                .and_then(|c| containers.get(&c))
            {
                resp.status.push(st.clone());
            }
        }
        Ok(resp)
    }
}

async fn start_nm(nm_tokens: Arc<NmTokenSecretManager>) -> IpcServer {
    let nm = Arc::new(NodeManager {
        containers: Mutex::new(HashMap::new()),
    });
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    config.secret_manager = Some(nm_tokens);
    config.allow_simple = true;
    IpcServer::bind(
        config,
        vec![Arc::new(NmService::new(nm)) as Arc<dyn Service>],
    )
    .await
    .unwrap()
}

fn container_token(cid: ContainerId) -> Token {
    let proto = spindle_protocol::proto::security::ContainerTokenIdentifierProto {
        container_id: Some(cid.to_proto()),
        nm_host_addr: Some(nm_node().to_string()),
        app_submitter: Some("root".into()),
        resource: Some(ResourceProto::new(256, 1)),
        ..Default::default()
    };
    spindle_protocol::token::ContainerTokenIdentifier::from_proto(proto)
        .unwrap()
        .issue(b"interop-container-master-key")
}

#[tokio::test]
async fn nm_start_status_stop() {
    let nm_tokens = Arc::new(NmTokenSecretManager::new(
        1,
        NM_KEY.to_vec(),
        Some(nm_node()),
    ));
    let server = start_nm(nm_tokens.clone()).await;
    let token = nm_tokens.create_token(attempt(1), nm_node(), "root", nm_node().to_string());
    let client = ContainerManagerClient::new(fast(ClientConfig::new(
        server.local_addr().to_string(),
        "ignored",
        spindle_protocol::yarn::token_auth(&token, "am"),
    )));
    let cid = ContainerId::new(attempt(1), 2);
    let foreign = ContainerId::new(attempt(9), 2);
    let start = StartContainersRequestProto {
        start_container_request: vec![
            StartContainerRequestProto {
                container_launch_context: Some(ContainerLaunchContextProto {
                    command: vec!["sleep 1".into()],
                    ..Default::default()
                }),
                container_token: Some(container_token(cid).to_proto()),
            },
            StartContainerRequestProto {
                container_launch_context: None,
                container_token: Some(container_token(foreign).to_proto()),
            },
        ],
    };
    let started = client.start_containers(&start).await.unwrap();
    assert_eq!(started.succeeded_requests, vec![cid.to_proto()]);
    assert_eq!(started.failed_requests.len(), 1);

    let statuses = client
        .get_container_statuses(&GetContainerStatusesRequestProto {
            container_id: vec![cid.to_proto()],
        })
        .await
        .unwrap();
    assert_eq!(statuses.status[0].exit(), ContainerExit::NotExited);
    client
        .stop_containers(&StopContainersRequestProto {
            container_id: vec![cid.to_proto()],
        })
        .await
        .unwrap();
    let statuses = client
        .get_container_statuses(&GetContainerStatusesRequestProto {
            container_id: vec![cid.to_proto()],
        })
        .await
        .unwrap();
    assert!(statuses.status[0].is_complete());
    assert_eq!(statuses.status[0].exit(), ContainerExit::KilledByAppMaster);

    // An optional RPC the implementation left out answers "not supported".
    let err = client
        .signal_to_container(&SignalContainerRequestProto {
            container_id: cid.to_proto(),
            command: SignalContainerCommandProto::GracefulShutdown as i32,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, YarnError::Other(_)), "{err:?}");
    assert!(
        err.remote()
            .unwrap()
            .message
            .contains("signalToContainer is not supported")
    );
    server.shutdown().await;
}

#[tokio::test]
async fn nm_refuses_simple_and_foreign_node_tokens() {
    let nm_tokens = Arc::new(NmTokenSecretManager::new(
        1,
        NM_KEY.to_vec(),
        Some(nm_node()),
    ));
    let server = start_nm(nm_tokens.clone()).await;
    let addr = server.local_addr().to_string();
    let simple = ContainerManagerClient::new(fast(ClientConfig::new(
        addr.clone(),
        "ignored",
        ClientAuth::Simple {
            user: "intruder".into(),
        },
    )));
    let err = simple
        .get_container_statuses(&GetContainerStatusesRequestProto::default())
        .await
        .unwrap_err();
    assert!(matches!(err, YarnError::AccessDenied(_)), "{err:?}");
    assert!(err.remote().unwrap().message.contains("Invalid NMToken"));

    let other_node = nm_tokens.create_token(
        attempt(1),
        NodeId::new("10.1.1.1", 8041),
        "root",
        "10.1.1.1:8041",
    );
    let foreign = ContainerManagerClient::with_token(addr, &other_node, "am");
    let err = foreign
        .get_container_statuses(&GetContainerStatusesRequestProto::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            YarnError::Authentication(_) | YarnError::InvalidToken(_)
        ),
        "{err:?}"
    );
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// A client RM service (ApplicationClientProtocol)
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Apps {
    next: i32,
    reports: HashMap<ApplicationId, ApplicationReportProto>,
}

struct ClientRm {
    apps: Mutex<Apps>,
}

fn not_found(id: &ApplicationIdProto) -> ServiceError {
    let text = ApplicationId::from_proto(id)
        .map(|a| a.to_string())
        .unwrap_or_default();
    ServiceError::new(
        APPLICATION_NOT_FOUND,
        format!("Application with id '{text}' doesn't exist in RM."),
    )
}

impl ApplicationClientProtocol for ClientRm {
    async fn get_new_application(
        &self,
        _ctx: CallContext,
        _request: GetNewApplicationRequestProto,
    ) -> Result<GetNewApplicationResponseProto, ServiceError> {
        let mut apps = self.apps.lock().unwrap();
        apps.next += 1;
        Ok(GetNewApplicationResponseProto {
            application_id: Some(ApplicationId::new(TS, apps.next).to_proto()),
            maximum_capability: Some(ResourceProto::new(8192, 4)),
        })
    }

    async fn submit_application(
        &self,
        ctx: CallContext,
        request: SubmitApplicationRequestProto,
    ) -> Result<SubmitApplicationResponseProto, ServiceError> {
        let asc = request.application_submission_context.unwrap_or_default();
        let id = asc.application_id.clone().unwrap_or_default();
        let app = ApplicationId::from_proto(&id).map_err(|e| {
            ServiceError::new(
                "org.apache.hadoop.yarn.exceptions.YarnException",
                e.to_string(),
            )
        })?;
        self.apps.lock().unwrap().reports.insert(
            app,
            ApplicationReportProto {
                application_id: Some(id),
                user: Some(ctx.user.clone()),
                queue: Some(asc.queue().to_string()),
                name: Some(asc.application_name().to_string()),
                yarn_application_state: Some(YarnApplicationStateProto::Accepted as i32),
                ..Default::default()
            },
        );
        Ok(SubmitApplicationResponseProto {})
    }

    async fn get_application_report(
        &self,
        _ctx: CallContext,
        request: GetApplicationReportRequestProto,
    ) -> Result<GetApplicationReportResponseProto, ServiceError> {
        let id = request.application_id.unwrap_or_default();
        let apps = self.apps.lock().unwrap();
        let report = ApplicationId::from_proto(&id)
            .ok()
            .and_then(|a| apps.reports.get(&a).cloned())
            .ok_or_else(|| not_found(&id))?;
        Ok(GetApplicationReportResponseProto {
            application_report: Some(report),
        })
    }

    async fn get_applications(
        &self,
        _ctx: CallContext,
        _request: GetApplicationsRequestProto,
    ) -> Result<GetApplicationsResponseProto, ServiceError> {
        Ok(GetApplicationsResponseProto {
            applications: self
                .apps
                .lock()
                .unwrap()
                .reports
                .values()
                .cloned()
                .collect(),
        })
    }

    async fn force_kill_application(
        &self,
        _ctx: CallContext,
        request: KillApplicationRequestProto,
    ) -> Result<KillApplicationResponseProto, ServiceError> {
        let id = request.application_id.unwrap_or_default();
        let mut apps = self.apps.lock().unwrap();
        let report = ApplicationId::from_proto(&id)
            .ok()
            .and_then(|a| apps.reports.get_mut(&a))
            .ok_or_else(|| not_found(&id))?;
        report.yarn_application_state = Some(YarnApplicationStateProto::Killed as i32);
        report.diagnostics = request.diagnostics;
        Ok(KillApplicationResponseProto {
            is_kill_completed: Some(true),
        })
    }

    async fn get_cluster_metrics(
        &self,
        _ctx: CallContext,
        _request: GetClusterMetricsRequestProto,
    ) -> Result<GetClusterMetricsResponseProto, ServiceError> {
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
        request: GetClusterNodesRequestProto,
    ) -> Result<GetClusterNodesResponseProto, ServiceError> {
        let running = NodeStateProto::NsRunning as i32;
        let nodes = if request.node_states.is_empty() || request.node_states.contains(&running) {
            vec![NodeReportProto {
                node_id: Some(nm_node().to_proto()),
                node_state: Some(running),
                capability: Some(ResourceProto::new(8192, 4)),
                ..Default::default()
            }]
        } else {
            Vec::new()
        };
        Ok(GetClusterNodesResponseProto {
            node_reports: nodes,
        })
    }

    async fn get_queue_info(
        &self,
        _ctx: CallContext,
        request: GetQueueInfoRequestProto,
    ) -> Result<GetQueueInfoResponseProto, ServiceError> {
        Ok(GetQueueInfoResponseProto {
            queue_info: Some(QueueInfoProto {
                queue_name: request.queue_name,
                capacity: Some(1.0),
                state: Some(QueueStateProto::QRunning as i32),
                ..Default::default()
            }),
        })
    }
}

#[tokio::test]
async fn client_protocol_submit_report_kill() {
    let rm = Arc::new(ClientRm {
        apps: Mutex::new(Apps::default()),
    });
    let config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    let server = IpcServer::bind(
        config,
        vec![Arc::new(ClientService::new(rm)) as Arc<dyn Service>],
    )
    .await
    .unwrap();
    let mut cfg = ClientConfig::new(
        server.local_addr().to_string(),
        "ignored",
        ClientAuth::Simple {
            user: "alice".into(),
        },
    );
    cfg = fast(cfg);
    let client = ApplicationClient::new(cfg);

    let new_app = client.get_new_application().await.unwrap();
    let app_id = ApplicationId::from_proto(new_app.application_id.as_ref().unwrap()).unwrap();
    assert_eq!(app_id.to_string(), "application_1700000000000_0001");

    let missing = client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(app_id.to_proto()),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(missing, YarnError::ApplicationNotFound(_)),
        "{missing:?}"
    );
    assert_eq!(missing.class_name(), Some(APPLICATION_NOT_FOUND));

    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(ApplicationSubmissionContextProto {
                application_id: Some(app_id.to_proto()),
                application_name: Some("spindle-test".into()),
                resource: Some(ResourceProto::new(1024, 1)),
                ..Default::default()
            }),
        })
        .await
        .unwrap();
    let report = client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(app_id.to_proto()),
        })
        .await
        .unwrap()
        .application_report
        .unwrap();
    assert_eq!(report.user(), "alice");
    assert_eq!(report.queue(), "default", "the proto default queue");
    assert_eq!(
        report.yarn_application_state(),
        YarnApplicationStateProto::Accepted
    );

    let apps = client
        .get_applications(&GetApplicationsRequestProto::default())
        .await
        .unwrap();
    assert_eq!(apps.applications.len(), 1);
    let metrics = client.get_cluster_metrics().await.unwrap();
    assert_eq!(metrics.cluster_metrics.unwrap().num_active_nms(), 1);
    let nodes = client
        .get_cluster_nodes(&GetClusterNodesRequestProto {
            node_states: vec![NodeStateProto::NsLost as i32],
        })
        .await
        .unwrap();
    assert!(nodes.node_reports.is_empty());
    let nodes = client
        .get_cluster_nodes(&GetClusterNodesRequestProto::default())
        .await
        .unwrap();
    assert_eq!(nodes.node_reports.len(), 1);
    let queue = client
        .get_queue_info(&GetQueueInfoRequestProto {
            queue_name: Some("default".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(queue.queue_info.unwrap().state(), QueueStateProto::QRunning);

    let killed = client
        .force_kill_application(&KillApplicationRequestProto {
            application_id: Some(app_id.to_proto()),
            diagnostics: Some("killed by test".into()),
        })
        .await
        .unwrap();
    assert!(killed.is_kill_completed());
    let report = client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(app_id.to_proto()),
        })
        .await
        .unwrap()
        .application_report
        .unwrap();
    assert_eq!(
        report.yarn_application_state(),
        YarnApplicationStateProto::Killed
    );
    assert_eq!(report.diagnostics(), "killed by test");

    let err = client
        .get_application_attempt_report(&GetApplicationAttemptReportRequestProto::default())
        .await
        .unwrap_err();
    assert!(matches!(err, YarnError::Other(_)), "{err:?}");
    server.shutdown().await;
}
