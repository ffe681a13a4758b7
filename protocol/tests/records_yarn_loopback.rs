//! Loopback tests of the typed YARN protocols: our clients against the adapters the protocol
//! tables generate, on a real `IpcServer` with real AMRMToken / NMToken secret managers (SASL
//! DIGEST-MD5).
//!
//! Behind the adapters sits the least each test needs, written against the server traits: a
//! scheduler of one attempt, an NM that only tracks container states, and an RM client face of
//! one application. The real RM and NM are the embedded cluster's (`spindle-minicluster`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::{
    CallContext, ClientAuth, ClientConfig, IpcClient, IpcServer, RetryPolicy, SecretManager,
    ServerConfig, Service, ServiceError,
};
use spindle_protocol::proto::security::ContainerTokenIdentifierProto;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::{ContainerTokenIdentifier, KIND_NM_TOKEN, Token};
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::error::{
    APPLICATION_MASTER_NOT_REGISTERED, APPLICATION_NOT_FOUND, INVALID_APPLICATION_MASTER_REQUEST,
    YARN_EXCEPTION,
};
use spindle_protocol::yarn::nm::{ContainerManagerClient, NmTokenCache};
use spindle_protocol::yarn::records::{
    ANY_RESOURCE_NAME, ContainerExit, exit_status, is_allocate_retry, next_response_id,
};
use spindle_protocol::yarn::secret::{AmRmTokenSecretManager, NmTokenSecretManager};
use spindle_protocol::yarn::server::*;
use spindle_protocol::yarn::{APPLICATION_MASTER_PROTOCOL, YarnError, token_auth};

const TS: i64 = 1_700_000_000_000;

fn attempt(app: i32) -> ApplicationAttemptId {
    ApplicationAttemptId::new(ApplicationId::new(TS, app), 1)
}

fn nm_node() -> NodeId {
    NodeId::new("127.0.0.1", 28041)
}

fn nm_secrets() -> Arc<NmTokenSecretManager> {
    Arc::new(NmTokenSecretManager::new(
        1,
        b"interop-nmtoken-master-key".to_vec(),
        Some(nm_node()),
    ))
}

/// An NMToken of `attempt(1)` for this test's node.
fn nm_token(secrets: &NmTokenSecretManager) -> Token {
    secrets.create_token(attempt(1), nm_node(), "root", nm_node().to_string())
}

/// A client configuration for `server` without connect retries and with short timeouts.
fn fast(server: &IpcServer, protocol: &str, auth: ClientAuth) -> ClientConfig {
    let mut config = ClientConfig::new(server.local_addr().to_string(), protocol, auth);
    config.retry = RetryPolicy::none();
    config.connect_timeout = std::time::Duration::from_secs(5);
    config.call_timeout = std::time::Duration::from_secs(10);
    config
}

/// Serves `service` on a loopback port; SIMPLE is accepted, and TOKEN with `secrets`.
async fn serve(service: Arc<dyn Service>, secrets: Option<Arc<dyn SecretManager>>) -> IpcServer {
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    config.secret_manager = secrets;
    IpcServer::bind(config, vec![service]).await.unwrap()
}

/// An error of a token the server's SASL layer refused.
fn is_refused_token(err: &YarnError) -> bool {
    matches!(
        err,
        YarnError::Authentication(_) | YarnError::InvalidToken(_)
    )
}

/// One trait method, `name(&self, caller: Type, request: Type) -> Response { body }`, in fewer
/// lines than rustfmt lays it out.
macro_rules! rpc {
    ($name:ident(&$this:ident, $c:ident: $ct:ty, $r:ident: $rt:ty) -> $resp:ty $body:block) => {
        async fn $name(&$this, $c: $ct, $r: $rt) -> Result<$resp, ServiceError> $body
    };
}

// ---------------------------------------------------------------------------------------------
// ApplicationMasterProtocol: a scheduler of one attempt
// ---------------------------------------------------------------------------------------------

/// Registration, the protocol's response-id rule, `*` asks answered with containers on one
/// node (and its NMToken), and an AMRMToken roll-over when asked for.
struct Scheduler {
    amrm: Arc<AmRmTokenSecretManager>,
    nm_secrets: Arc<NmTokenSecretManager>,
    roll_amrm_key: AtomicBool,
    state: Mutex<AttemptState>,
}

#[derive(Default)]
struct AttemptState {
    registered: bool,
    last_response: Option<AllocateResponseProto>,
    last_container: i64,
}

impl ApplicationMasterProtocol for Scheduler {
    rpc!(register_application_master(
        &self,
        _c: AmCaller,
        request: RegisterApplicationMasterRequestProto
    ) -> RegisterApplicationMasterResponseProto {
        assert_eq!(request.host(), "am-host", "the request arrived whole");
        let mut st = self.state.lock().unwrap();
        if std::mem::replace(&mut st.registered, true) {
            let message = "Application Master is already registered";
            return Err(ServiceError::new(INVALID_APPLICATION_MASTER_REQUEST, message));
        }
        st.last_container = 1; // the AM's own container
        Ok(RegisterApplicationMasterResponseProto {
            maximum_capability: Some(ResourceProto::new(8192, 4)),
            ..Default::default()
        })
    });

    rpc!(allocate(&self, c: AmCaller, request: AllocateRequestProto) -> AllocateResponseProto {
        let mut st = self.state.lock().unwrap();
        if !st.registered {
            let message = format!("AM is not registered for attempt {}", c.attempt_id());
            return Err(ServiceError::new(APPLICATION_MASTER_NOT_REGISTERED, message));
        }
        let id = request.response_id();
        let last_id = st.last_response.as_ref().map_or(0, |r| r.response_id());
        if let Some(last) = st.last_response.as_ref().filter(|_| is_allocate_retry(id, last_id)) {
            return Ok(last.clone());
        }
        if id != last_id {
            let message = format!("expect responseId to be {last_id}, but get {id}");
            return Err(ServiceError::new(INVALID_APPLICATION_MASTER_REQUEST, message));
        }
        let mut resp = AllocateResponseProto {
            response_id: Some(next_response_id(id)),
            ..Default::default()
        };
        for ask in request.ask.iter().filter(|a| a.resource_name() == ANY_RESOURCE_NAME) {
            for _ in 0..ask.num_containers() {
                st.last_container += 1;
                resp.allocated_containers.push(ContainerProto {
                    id: Some(ContainerId::new(c.attempt_id(), st.last_container).to_proto()),
                    node_id: Some(nm_node().to_proto()),
                    resource: ask.capability.clone(),
                    ..Default::default()
                });
            }
        }
        if !resp.allocated_containers.is_empty() {
            let node = nm_node().to_string();
            let token = self.nm_secrets.create_token(c.attempt_id(), nm_node(), "root", node);
            resp.nm_tokens.push(NMTokenProto {
                node_id: Some(nm_node().to_proto()),
                token: Some(token.to_proto()),
            });
        }
        if self.roll_amrm_key.swap(false, Ordering::SeqCst) {
            self.amrm.roll_key(2, b"rolled-amrm-master-key".to_vec());
            resp.am_rm_token = Some(self.amrm.create_token(c.attempt_id()).to_proto());
        }
        st.last_response = Some(resp.clone());
        Ok(resp)
    });

    rpc!(finish_application_master(
        &self,
        _c: AmCaller,
        request: FinishApplicationMasterRequestProto
    ) -> FinishApplicationMasterResponseProto {
        let succeeded = FinalApplicationStatusProto::AppSucceeded;
        assert_eq!(request.final_application_status(), succeeded, "the request arrived whole");
        let was_registered = std::mem::take(&mut self.state.lock().unwrap().registered);
        Ok(FinishApplicationMasterResponseProto {
            is_unregistered: Some(was_registered),
        })
    });
}

struct Rm {
    server: IpcServer,
    scheduler: Arc<Scheduler>,
}

impl Rm {
    async fn start() -> Rm {
        let amrm = Arc::new(AmRmTokenSecretManager::new(
            1,
            b"interop-amrm-master-key".to_vec(),
        ));
        let scheduler = Arc::new(Scheduler {
            amrm: amrm.clone(),
            nm_secrets: nm_secrets(),
            roll_amrm_key: AtomicBool::new(false),
            state: Mutex::default(),
        });
        let service = Arc::new(AmService::new(scheduler.clone()));
        let server = serve(service, Some(amrm)).await;
        Rm { server, scheduler }
    }

    fn amrm(&self) -> &AmRmTokenSecretManager {
        &self.scheduler.amrm
    }

    /// An AM client authenticating with `token` (`ClientAuth::Token`) or as `auth`.
    fn am(&self, auth: ClientAuth) -> AmRmClient {
        AmRmClient::new(fast(&self.server, APPLICATION_MASTER_PROTOCOL, auth))
    }

    fn am_with(&self, token: &Token) -> AmRmClient {
        self.am(token_auth(token, "am"))
    }
}

fn register_request() -> RegisterApplicationMasterRequestProto {
    RegisterApplicationMasterRequestProto {
        host: Some("am-host".into()),
        rpc_port: Some(0),
        tracking_url: Some(String::new()),
        ..Default::default()
    }
}

fn heartbeat(response_id: i32) -> AllocateRequestProto {
    AllocateRequestProto {
        response_id: Some(response_id),
        ..Default::default()
    }
}

#[tokio::test]
async fn am_register_allocate_finish() {
    let rm = Rm::start().await;
    let am = rm.am_with(&rm.amrm().create_token(attempt(1)));

    // allocate before register: NotRegistered, with the Java class kept.
    let err = am.allocate(&heartbeat(0)).await.unwrap_err();
    assert!(matches!(err, YarnError::NotRegistered(_)), "{err}");
    assert_eq!(err.class_name(), Some(APPLICATION_MASTER_NOT_REGISTERED));

    let reg = am.register_application_master(&register_request()).await;
    assert_eq!(reg.unwrap().maximum_capability.unwrap().memory_mb(), 8192);
    let again = am.register_application_master(&register_request()).await;
    let again = again.unwrap_err();
    assert!(
        matches!(again, YarnError::InvalidApplicationMasterRequest(_)),
        "{again}"
    );

    let ask = ResourceRequestProto::new(1, ANY_RESOURCE_NAME, ResourceProto::new(256, 1), 2, 0);
    let req = AllocateRequestProto {
        ask: vec![ask],
        blacklist_request: Some(ResourceBlacklistRequestProto::default()),
        progress: Some(0.1),
        ..heartbeat(0)
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
    assert_eq!(am.allocate(&req).await.unwrap(), resp);
    // A stale id is refused.
    let err = am.allocate(&heartbeat(7)).await.unwrap_err();
    assert!(
        matches!(err, YarnError::InvalidApplicationMasterRequest(_)),
        "{err}"
    );

    let finish = FinishApplicationMasterRequestProto {
        final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
        ..Default::default()
    };
    let fin = am.finish_application_master(&finish).await.unwrap();
    assert!(fin.is_unregistered());
    rm.server.shutdown().await;
}

#[tokio::test]
async fn am_follows_an_amrm_token_roll_over() {
    let rm = Rm::start().await;
    let mut creds = Credentials::new();
    assert!(matches!(
        AmRmClient::from_credentials("127.0.0.1:1", &creds, "am"),
        Err(YarnError::NoToken { .. })
    ));
    // The token as the RM puts it in container_tokens: alias and service empty.
    creds.add_token("", rm.amrm().create_token(attempt(1)));
    let addr = rm.server.local_addr().to_string();
    let am = AmRmClient::from_credentials(addr, &creds, "am").unwrap();
    am.register_application_master(&register_request())
        .await
        .unwrap();

    rm.scheduler.roll_amrm_key.store(true, Ordering::SeqCst);
    let resp = am.allocate(&heartbeat(0)).await.unwrap();
    let rolled = Token::from_proto(resp.am_rm_token.as_ref().unwrap());
    assert_eq!(rolled.amrm_identifier().unwrap().key_id, 2);
    assert_eq!(am.current_amrm_token(), Some(rolled));

    // The RM stops accepting the old key; a new connection must use the new token.
    rm.amrm().retire_key(1);
    am.ipc().close().await;
    assert_eq!(am.allocate(&heartbeat(1)).await.unwrap().response_id(), 2);

    // The NMToken cache keeps what the RM sends once per node.
    let mut cache = NmTokenCache::new();
    let nm = nm_token(&rm.scheduler.nm_secrets);
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
async fn am_tokens_the_sasl_layer_refuses() {
    let rm = Rm::start().await;
    let mut wrong_password = rm.amrm().create_token(attempt(1));
    wrong_password.password[0] ^= 0xff;
    let err = rm
        .am_with(&wrong_password)
        .register_application_master(&register_request())
        .await
        .unwrap_err();
    assert!(matches!(err, YarnError::Authentication(_)), "{err:?}");

    let revoked = rm.amrm().create_token(attempt(3));
    rm.amrm().revoke_attempt(attempt(3));
    // An NMToken is not an AMRMToken: the secret manager cannot decode it as an
    // AMRMTokenIdentifier.
    let nm_token = nm_token(&rm.scheduler.nm_secrets);
    for token in [revoked, nm_token] {
        let am = rm.am_with(&token);
        let err = am.register_application_master(&register_request()).await;
        let err = err.unwrap_err();
        assert!(is_refused_token(&err), "{} {err:?}", token.kind);
    }
    rm.server.shutdown().await;
}

#[tokio::test]
async fn am_protocol_refuses_simple_callers_per_call() {
    let rm = Rm::start().await;
    let am = rm.am(ClientAuth::Simple {
        user: "intruder".into(),
    });
    for _ in 0..2 {
        let err = am.register_application_master(&register_request()).await;
        let err = err.unwrap_err();
        assert!(matches!(err, YarnError::AccessDenied(_)), "{err:?}");
        assert_eq!(err.class_name(), Some(YARN_EXCEPTION));
        let remote = err.remote().unwrap();
        assert!(
            remote
                .message
                .contains("No AMRMToken found for user intruder")
        );
        assert!(!remote.fatal, "the connection stays usable");
    }
    rm.server.shutdown().await;
}

#[tokio::test]
async fn unknown_method_is_no_such_method() {
    let rm = Rm::start().await;
    let token = rm.amrm().create_token(attempt(1));
    let auth = token_auth(&token, "am");
    let ipc = IpcClient::new(fast(&rm.server, APPLICATION_MASTER_PROTOCOL, auth));
    let err = ipc
        .call::<_, AllocateResponseProto>("allocateEverything", &heartbeat(0))
        .await
        .unwrap_err();
    let remote = err.remote().expect("a remote error");
    assert!(remote.is("RpcNoSuchMethodException"), "{remote}");
    assert_eq!(remote.code, Some(2));
    rm.server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// ContainerManagementProtocol: an NM that tracks container states
// ---------------------------------------------------------------------------------------------

/// A start with a container token of the caller's attempt runs the container, a stop completes
/// it as killed by the AM; nothing is launched.
#[derive(Default)]
struct NodeManager {
    containers: Mutex<HashMap<ContainerId, ContainerStatusProto>>,
}

fn container_id(p: &ContainerIdProto) -> Result<ContainerId, ServiceError> {
    ContainerId::from_proto(p).map_err(|e| ServiceError::new(YARN_EXCEPTION, e.to_string()))
}

impl ContainerManagementProtocol for NodeManager {
    rpc!(start_containers(&self, c: NmCaller, request: StartContainersRequestProto)
        -> StartContainersResponseProto {
        let mut resp = StartContainersResponseProto::default();
        for start in request.start_container_request {
            let token = start.container_token.as_ref().map(Token::from_proto);
            match token.map(|t| t.container_identifier()) {
                Some(Ok(id)) if id.container_id.application_attempt_id == c.attempt_id() => {
                    let status = ContainerStatusProto {
                        container_id: Some(id.container_id.to_proto()),
                        state: Some(ContainerStateProto::CRunning as i32),
                        ..Default::default()
                    };
                    self.containers.lock().unwrap().insert(id.container_id, status);
                    resp.succeeded_requests.push(id.container_id.to_proto());
                }
                _ => resp.failed_requests.push(ContainerExceptionMapProto {
                    container_id: None,
                    exception: Some(SerializedExceptionProto {
                        message: Some("Invalid ContainerToken".into()),
                        class_name: Some(YARN_EXCEPTION.into()),
                        ..Default::default()
                    }),
                }),
            }
        }
        Ok(resp)
    });

    rpc!(stop_containers(&self, _c: NmCaller, request: StopContainersRequestProto)
        -> StopContainersResponseProto {
        let mut resp = StopContainersResponseProto::default();
        for id in request.container_id {
            if let Some(st) = self.containers.lock().unwrap().get_mut(&container_id(&id)?) {
                st.state = Some(ContainerStateProto::CComplete as i32);
                st.exit_status = Some(exit_status::KILLED_BY_APPMASTER);
                resp.succeeded_requests.push(id);
            }
        }
        Ok(resp)
    });

    rpc!(get_container_statuses(
        &self,
        _c: NmCaller,
        request: GetContainerStatusesRequestProto
    ) -> GetContainerStatusesResponseProto {
        let containers = self.containers.lock().unwrap();
        let mut resp = GetContainerStatusesResponseProto::default();
        for id in &request.container_id {
            resp.status.extend(containers.get(&container_id(id)?).cloned());
        }
        Ok(resp)
    });
}

async fn start_nm(secrets: Arc<NmTokenSecretManager>) -> IpcServer {
    serve(
        Arc::new(NmService::new(Arc::new(NodeManager::default()))),
        Some(secrets),
    )
    .await
}

fn container_token(cid: ContainerId) -> Token {
    let proto = ContainerTokenIdentifierProto {
        container_id: Some(cid.to_proto()),
        nm_host_addr: Some(nm_node().to_string()),
        app_submitter: Some("root".into()),
        resource: Some(ResourceProto::new(256, 1)),
        ..Default::default()
    };
    ContainerTokenIdentifier::from_proto(proto)
        .unwrap()
        .issue(b"interop-container-master-key")
}

fn statuses_of(cid: ContainerId) -> GetContainerStatusesRequestProto {
    GetContainerStatusesRequestProto {
        container_id: vec![cid.to_proto()],
    }
}

#[tokio::test]
async fn nm_start_status_stop() {
    let secrets = nm_secrets();
    let server = start_nm(secrets.clone()).await;
    let auth = token_auth(&nm_token(&secrets), "am");
    let client = ContainerManagerClient::new(fast(&server, "ignored", auth));
    let cid = ContainerId::new(attempt(1), 2);
    let foreign = ContainerId::new(attempt(9), 2);
    let launch = ContainerLaunchContextProto {
        command: vec!["sleep 1".into()],
        ..Default::default()
    };
    let start = StartContainersRequestProto {
        start_container_request: vec![
            StartContainerRequestProto {
                container_launch_context: Some(launch),
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

    let running = client.get_container_statuses(&statuses_of(cid)).await;
    assert_eq!(running.unwrap().status[0].exit(), ContainerExit::NotExited);
    let stop = StopContainersRequestProto {
        container_id: vec![cid.to_proto()],
    };
    client.stop_containers(&stop).await.unwrap();
    let stopped = client.get_container_statuses(&statuses_of(cid)).await;
    let stopped = &stopped.unwrap().status[0];
    assert!(stopped.is_complete());
    assert_eq!(stopped.exit(), ContainerExit::KilledByAppMaster);

    // An optional RPC the implementation left out answers "not supported".
    let signal = SignalContainerRequestProto {
        container_id: cid.to_proto(),
        command: SignalContainerCommandProto::GracefulShutdown as i32,
    };
    let err = client.signal_to_container(&signal).await.unwrap_err();
    assert!(matches!(err, YarnError::Other(_)), "{err:?}");
    let message = &err.remote().unwrap().message;
    assert!(message.contains("signalToContainer is not supported"));
    server.shutdown().await;
}

#[tokio::test]
async fn nm_refuses_simple_and_foreign_node_tokens() {
    let secrets = nm_secrets();
    let server = start_nm(secrets.clone()).await;
    let anything = GetContainerStatusesRequestProto::default();
    let intruder = ClientAuth::Simple {
        user: "intruder".into(),
    };
    let simple = ContainerManagerClient::new(fast(&server, "ignored", intruder));
    let err = simple.get_container_statuses(&anything).await.unwrap_err();
    assert!(matches!(err, YarnError::AccessDenied(_)), "{err:?}");
    assert!(err.remote().unwrap().message.contains("Invalid NMToken"));

    let elsewhere = NodeId::new("10.1.1.1", 8041);
    let other_node = secrets.create_token(attempt(1), elsewhere, "root", "10.1.1.1:8041");
    let addr = server.local_addr().to_string();
    let foreign = ContainerManagerClient::with_token(addr, &other_node, "am");
    let err = foreign.get_container_statuses(&anything).await.unwrap_err();
    assert!(is_refused_token(&err), "{err:?}");
    server.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// ApplicationClientProtocol: an RM client face of one application
// ---------------------------------------------------------------------------------------------

/// Hands out application 1, keeps its report once submitted, and kills it on request; reports
/// one running node and the queue asked about.
#[derive(Default)]
struct ClientRm {
    report: Mutex<Option<ApplicationReportProto>>,
}

fn the_app() -> ApplicationId {
    ApplicationId::new(TS, 1)
}

impl ClientRm {
    /// Runs `f` on the report of the application `id` names, or says it does not exist.
    fn with_report<T>(
        &self,
        id: Option<ApplicationIdProto>,
        f: impl FnOnce(&mut ApplicationReportProto) -> T,
    ) -> Result<T, ServiceError> {
        let mut report = self.report.lock().unwrap();
        let id = id.and_then(|p| ApplicationId::from_proto(&p).ok());
        match report.as_mut().filter(|_| id == Some(the_app())) {
            Some(r) => Ok(f(r)),
            None => Err(ServiceError::new(
                APPLICATION_NOT_FOUND,
                format!("Application with id '{id:?}' doesn't exist in RM."),
            )),
        }
    }
}

impl ApplicationClientProtocol for ClientRm {
    rpc!(get_new_application(&self, _c: CallContext, _r: GetNewApplicationRequestProto)
        -> GetNewApplicationResponseProto {
        Ok(GetNewApplicationResponseProto {
            application_id: Some(the_app().to_proto()),
            maximum_capability: Some(ResourceProto::new(8192, 4)),
        })
    });

    rpc!(submit_application(&self, c: CallContext, request: SubmitApplicationRequestProto)
        -> SubmitApplicationResponseProto {
        let asc = request.application_submission_context.unwrap_or_default();
        *self.report.lock().unwrap() = Some(ApplicationReportProto {
            application_id: asc.application_id.clone(),
            user: Some(c.user),
            queue: Some(asc.queue().to_string()),
            name: Some(asc.application_name().to_string()),
            yarn_application_state: Some(YarnApplicationStateProto::Accepted as i32),
            ..Default::default()
        });
        Ok(SubmitApplicationResponseProto {})
    });

    rpc!(get_application_report(
        &self,
        _c: CallContext,
        request: GetApplicationReportRequestProto
    ) -> GetApplicationReportResponseProto {
        let report = self.with_report(request.application_id, |r| r.clone())?;
        Ok(GetApplicationReportResponseProto {
            application_report: Some(report),
        })
    });

    rpc!(get_applications(&self, _c: CallContext, _r: GetApplicationsRequestProto)
        -> GetApplicationsResponseProto {
        let applications = self.report.lock().unwrap().iter().cloned().collect();
        Ok(GetApplicationsResponseProto { applications })
    });

    rpc!(force_kill_application(&self, _c: CallContext, request: KillApplicationRequestProto)
        -> KillApplicationResponseProto {
        self.with_report(request.application_id, |r| {
            r.yarn_application_state = Some(YarnApplicationStateProto::Killed as i32);
            r.diagnostics = request.diagnostics;
        })?;
        Ok(KillApplicationResponseProto {
            is_kill_completed: Some(true),
        })
    });

    rpc!(get_cluster_metrics(&self, _c: CallContext, _r: GetClusterMetricsRequestProto)
        -> GetClusterMetricsResponseProto {
        let one = Some(1);
        Ok(GetClusterMetricsResponseProto {
            cluster_metrics: Some(YarnClusterMetricsProto {
                num_node_managers: one,
                num_active_nms: one,
                ..Default::default()
            }),
        })
    });

    rpc!(get_cluster_nodes(&self, _c: CallContext, request: GetClusterNodesRequestProto)
        -> GetClusterNodesResponseProto {
        let running = NodeStateProto::NsRunning as i32;
        let wanted = request.node_states.is_empty() || request.node_states.contains(&running);
        let node = NodeReportProto {
            node_id: Some(nm_node().to_proto()),
            node_state: Some(running),
            capability: Some(ResourceProto::new(8192, 4)),
            ..Default::default()
        };
        Ok(GetClusterNodesResponseProto {
            node_reports: wanted.then_some(node).into_iter().collect(),
        })
    });

    rpc!(get_queue_info(&self, _c: CallContext, request: GetQueueInfoRequestProto)
        -> GetQueueInfoResponseProto {
        Ok(GetQueueInfoResponseProto {
            queue_info: Some(QueueInfoProto {
                queue_name: request.queue_name,
                state: Some(QueueStateProto::QRunning as i32),
                ..Default::default()
            }),
        })
    });
}

#[tokio::test]
async fn client_protocol_submit_report_kill() {
    let server = serve(
        Arc::new(ClientService::new(Arc::new(ClientRm::default()))),
        None,
    )
    .await;
    let alice = ClientAuth::Simple {
        user: "alice".into(),
    };
    let client = ApplicationClient::new(fast(&server, "ignored", alice));
    let report_of = |app_id: ApplicationId| GetApplicationReportRequestProto {
        application_id: Some(app_id.to_proto()),
    };

    let new_app = client.get_new_application().await.unwrap();
    let app_id = ApplicationId::from_proto(new_app.application_id.as_ref().unwrap()).unwrap();
    assert_eq!(app_id.to_string(), "application_1700000000000_0001");

    let missing = client.get_application_report(&report_of(app_id)).await;
    let missing = missing.unwrap_err();
    assert!(
        matches!(missing, YarnError::ApplicationNotFound(_)),
        "{missing:?}"
    );
    assert_eq!(missing.class_name(), Some(APPLICATION_NOT_FOUND));

    let submission = ApplicationSubmissionContextProto::new(
        app_id,
        "spindle-test",
        ContainerLaunchContextProto::default(),
        ResourceProto::new(1024, 1),
    );
    let submit = SubmitApplicationRequestProto {
        application_submission_context: Some(submission),
    };
    client.submit_application(&submit).await.unwrap();
    let report = client.get_application_report(&report_of(app_id)).await;
    let report = report.unwrap().application_report.unwrap();
    assert_eq!(report.user(), "alice");
    assert_eq!(report.queue(), "default", "the proto default queue");
    let accepted = YarnApplicationStateProto::Accepted;
    assert_eq!(report.yarn_application_state(), accepted);

    let all = GetApplicationsRequestProto::default();
    assert_eq!(
        client
            .get_applications(&all)
            .await
            .unwrap()
            .applications
            .len(),
        1
    );
    let metrics = client.get_cluster_metrics().await.unwrap();
    assert_eq!(metrics.cluster_metrics.unwrap().num_active_nms(), 1);
    let nodes_in = |states: Vec<i32>| GetClusterNodesRequestProto {
        node_states: states,
    };
    let lost = nodes_in(vec![NodeStateProto::NsLost as i32]);
    let lost = client.get_cluster_nodes(&lost).await.unwrap();
    assert!(lost.node_reports.is_empty());
    let every = client.get_cluster_nodes(&nodes_in(Vec::new())).await;
    assert_eq!(every.unwrap().node_reports.len(), 1);
    let queue = GetQueueInfoRequestProto {
        queue_name: Some("default".into()),
        ..Default::default()
    };
    let queue = client
        .get_queue_info(&queue)
        .await
        .unwrap()
        .queue_info
        .unwrap();
    assert_eq!(queue.state(), QueueStateProto::QRunning);

    let kill = KillApplicationRequestProto {
        application_id: Some(app_id.to_proto()),
        diagnostics: Some("killed by test".into()),
    };
    assert!(
        client
            .force_kill_application(&kill)
            .await
            .unwrap()
            .is_kill_completed()
    );
    let report = client.get_application_report(&report_of(app_id)).await;
    let report = report.unwrap().application_report.unwrap();
    let killed = YarnApplicationStateProto::Killed;
    assert_eq!(report.yarn_application_state(), killed);
    assert_eq!(report.diagnostics(), "killed by test");

    let attempt_report = GetApplicationAttemptReportRequestProto::default();
    let err = client.get_application_attempt_report(&attempt_report).await;
    assert!(matches!(err.unwrap_err(), YarnError::Other(_)));
    server.shutdown().await;
}
