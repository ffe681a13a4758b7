//! The AM's NodeManager client against a real ContainerManagementProtocol server (Hadoop IPC with
//! SASL DIGEST-MD5 and NMToken checks) whose containers run on the local runner: launch events,
//! status, stop, the NMToken cache, bounded concurrency and the launch timeout.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use spindle_launcher::nm_client::{LaunchEvent, NmCallError, NmLauncher, NmLauncherConfig};
use spindle_launcher::{ContainerSpec, ContainerState, LocalRunner, RunnerConfig, StopReason};
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::{IpcServer, ServerConfig, Service, ServiceError};
use spindle_protocol::proto::security::ContainerTokenIdentifierProto;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::{ContainerTokenIdentifier, KIND_CONTAINER_TOKEN, Token};
use spindle_protocol::yarn::secret::NmTokenSecretManager;
use spindle_protocol::yarn::server::{ContainerManagementProtocol, NmCaller, NmService};
use tokio::sync::mpsc::UnboundedReceiver;

const TS: i64 = 1_700_000_000_000;
const NM_KEY: &[u8] = b"test-nmtoken-master-key";
const CONTAINER_KEY: &[u8] = b"test-container-master-key";
const YARN_EXCEPTION: &str = "org.apache.hadoop.yarn.exceptions.YarnException";

fn attempt(app: i32) -> ApplicationAttemptId {
    ApplicationAttemptId::new(ApplicationId::new(TS, app), 1)
}

/// A NodeManager: checks container tokens and runs containers on a [`LocalRunner`].
struct RunnerNm {
    runner: LocalRunner,
    delay: Duration,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

fn service_error(message: impl Into<String>) -> ServiceError {
    ServiceError::new(YARN_EXCEPTION, message.into())
}

fn failure(id: ContainerIdProto, message: String) -> ContainerExceptionMapProto {
    ContainerExceptionMapProto {
        container_id: Some(id),
        exception: Some(SerializedExceptionProto {
            message: Some(message),
            class_name: Some(YARN_EXCEPTION.into()),
            ..Default::default()
        }),
    }
}

impl RunnerNm {
    fn start_one(
        &self,
        caller: &NmCaller,
        req: StartContainerRequestProto,
    ) -> Result<ContainerIdProto, (Option<ContainerIdProto>, String)> {
        let token = req
            .container_token
            .ok_or((None, "Invalid ContainerToken: missing".to_string()))?;
        let token = Token::from_proto(&token);
        let ident = ContainerTokenIdentifier::decode(&token.identifier)
            .map_err(|e| (None, format!("Invalid ContainerToken: {e}")))?;
        let id_proto = ident.container_id.to_proto();
        if token.kind != KIND_CONTAINER_TOKEN || !token.verify(CONTAINER_KEY) {
            return Err((
                Some(id_proto),
                "Invalid ContainerToken: bad password".into(),
            ));
        }
        if ident.container_id.application_attempt_id != caller.attempt_id() {
            return Err((
                Some(id_proto),
                format!(
                    "Unauthorized request to start container. NMToken for application attempt : {} was used for starting container with container token issued for application attempt : {}",
                    caller.attempt_id(),
                    ident.container_id.application_attempt_id
                ),
            ));
        }
        let clc = req.container_launch_context.unwrap_or_default();
        let resource = ident.proto.resource.clone().unwrap_or_default();
        let spec = ContainerSpec::from_launch_context(
            &clc,
            &ident.container_id,
            ident.proto.app_submitter.as_deref().unwrap_or("nobody"),
            resource.memory.unwrap_or(0).max(0) as u64,
            resource.virtual_cores.unwrap_or(1).max(0) as u32,
        )
        .map_err(|e| (Some(id_proto.clone()), e.to_string()))?;
        self.runner
            .start(spec)
            .map_err(|e| (Some(id_proto.clone()), e.to_string()))?;
        Ok(id_proto)
    }
}

impl ContainerManagementProtocol for RunnerNm {
    async fn start_containers(
        &self,
        caller: NmCaller,
        request: StartContainersRequestProto,
    ) -> Result<StartContainersResponseProto, ServiceError> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.delay).await;
        let mut resp = StartContainersResponseProto::default();
        for req in request.start_container_request {
            match self.start_one(&caller, req) {
                Ok(id) => resp.succeeded_requests.push(id),
                Err((Some(id), message)) => resp.failed_requests.push(failure(id, message)),
                Err((None, message)) => {
                    self.in_flight.fetch_sub(1, Ordering::SeqCst);
                    return Err(service_error(message));
                }
            }
        }
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        Ok(resp)
    }

    async fn stop_containers(
        &self,
        _caller: NmCaller,
        request: StopContainersRequestProto,
    ) -> Result<StopContainersResponseProto, ServiceError> {
        let mut resp = StopContainersResponseProto::default();
        for id in request.container_id {
            let cid = ContainerId::from_proto(&id).map_err(|e| service_error(e.to_string()))?;
            match self
                .runner
                .stop(&cid.to_string(), StopReason::KilledByAppMaster)
            {
                spindle_launcher::StopOutcome::Unknown => resp.failed_requests.push(failure(
                    id,
                    format!("Container {cid} is not handled by this NodeManager"),
                )),
                _ => resp.succeeded_requests.push(id),
            }
        }
        Ok(resp)
    }

    async fn get_container_statuses(
        &self,
        _caller: NmCaller,
        request: GetContainerStatusesRequestProto,
    ) -> Result<GetContainerStatusesResponseProto, ServiceError> {
        let mut resp = GetContainerStatusesResponseProto::default();
        for id in request.container_id {
            let cid = ContainerId::from_proto(&id).map_err(|e| service_error(e.to_string()))?;
            let Some(state) = self.runner.status(&cid.to_string()) else {
                resp.failed_requests.push(failure(
                    id,
                    format!("Container {cid} is not handled by this NodeManager"),
                ));
                continue;
            };
            let (state, exit_status, diagnostics) = match state {
                ContainerState::Localizing => (ContainerStateProto::CNew, -1000, String::new()),
                ContainerState::Running { .. } | ContainerState::Killing { .. } => {
                    (ContainerStateProto::CRunning, -1000, String::new())
                }
                ContainerState::Complete(exit) => (
                    ContainerStateProto::CComplete,
                    exit.exit_status,
                    exit.diagnostics,
                ),
            };
            resp.status.push(ContainerStatusProto {
                container_id: Some(id),
                state: Some(state as i32),
                diagnostics: Some(diagnostics),
                exit_status: Some(exit_status),
                ..Default::default()
            });
        }
        Ok(resp)
    }
}

struct Cluster {
    server: IpcServer,
    nm: Arc<RunnerNm>,
    node: NodeId,
    nm_tokens: Arc<NmTokenSecretManager>,
    _dir: tempfile::TempDir,
}

async fn cluster(delay: Duration) -> Cluster {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RunnerConfig::new(
        vec![dir.path().join("local")],
        vec![dir.path().join("logs")],
    );
    config.memory_check_interval = Duration::ZERO;
    let (runner, _events) = LocalRunner::new(config).unwrap();
    let nm = Arc::new(RunnerNm {
        runner,
        delay,
        in_flight: AtomicUsize::new(0),
        max_in_flight: AtomicUsize::new(0),
    });
    // Bind first to learn the port, which is part of the node id the NMTokens are issued for.
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let node = NodeId::new("127.0.0.1", port as i32);
    let nm_tokens = Arc::new(NmTokenSecretManager::new(
        1,
        NM_KEY.to_vec(),
        Some(node.clone()),
    ));
    let mut server_config = ServerConfig::new(format!("127.0.0.1:{port}").parse().unwrap());
    server_config.secret_manager = Some(nm_tokens.clone());
    server_config.allow_simple = false;
    let server = IpcServer::bind(
        server_config,
        vec![Arc::new(NmService::new(nm.clone())) as Arc<dyn Service>],
    )
    .await
    .unwrap();
    Cluster {
        server,
        nm,
        node,
        nm_tokens,
        _dir: dir,
    }
}

impl Cluster {
    fn nm_token(&self, app: i32) -> NMTokenProto {
        let token = self.nm_tokens.create_token(
            attempt(app),
            self.node.clone(),
            "tester",
            self.node.to_string(),
        );
        NMTokenProto {
            node_id: Some(self.node.to_proto()),
            token: Some(token.to_proto()),
        }
    }

    fn container(&self, app: i32, seq: i64, host: &str) -> ContainerProto {
        let cid = ContainerId::new(attempt(app), seq);
        let ident = ContainerTokenIdentifierProto {
            container_id: Some(cid.to_proto()),
            nm_host_addr: Some(self.node.to_string()),
            app_submitter: Some("tester".into()),
            resource: Some(ResourceProto {
                memory: Some(256),
                virtual_cores: Some(1),
                ..Default::default()
            }),
            ..Default::default()
        };
        let token = ContainerTokenIdentifier::from_proto(ident)
            .unwrap()
            .issue(CONTAINER_KEY);
        ContainerProto {
            id: Some(cid.to_proto()),
            node_id: Some(NodeId::new(host, self.node.port).to_proto()),
            container_token: Some(token.to_proto()),
            ..Default::default()
        }
    }
}

fn clc(command: &str) -> ContainerLaunchContextProto {
    ContainerLaunchContextProto {
        command: vec![command.to_string()],
        ..Default::default()
    }
}

fn launcher(
    tweak: impl FnOnce(&mut NmLauncherConfig),
) -> (Arc<NmLauncher>, UnboundedReceiver<LaunchEvent>) {
    let mut config = NmLauncherConfig {
        connect_timeout: Duration::from_secs(5),
        launch_timeout: Duration::from_secs(20),
        connect_attempts: 1,
        user: "am".into(),
        ..Default::default()
    };
    tweak(&mut config);
    NmLauncher::new(config)
}

async fn next(events: &mut UnboundedReceiver<LaunchEvent>) -> LaunchEvent {
    tokio::time::timeout(Duration::from_secs(30), events.recv())
        .await
        .expect("a launch event within 30 s")
        .expect("launcher alive")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_status_and_stop_through_a_nodemanager() {
    let c = cluster(Duration::ZERO).await;
    let (launcher, mut events) = launcher(|_| {});
    assert_eq!(launcher.update_tokens(&[c.nm_token(1)]), 1);
    // The node is named by host name; the NMToken's service is ip:port.
    let container = c.container(1, 2, "localhost");
    launcher.launch(container.clone(), clc("sleep 30")).unwrap();
    match next(&mut events).await {
        LaunchEvent::Started { container_id, node } => {
            assert_eq!(container_id, ContainerId::new(attempt(1), 2));
            assert_eq!(node, NodeId::new("localhost", c.node.port));
        }
        other => panic!("{other:?}"),
    }
    // Accepted containers are NEW while localizing, then RUNNING.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let status = launcher.container_status(&container).await.unwrap();
        if status.state == Some(ContainerStateProto::CRunning as i32) {
            break;
        }
        assert_eq!(status.state, Some(ContainerStateProto::CNew as i32));
        assert!(
            tokio::time::Instant::now() < deadline,
            "the container did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    launcher.stop_container(&container).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let status = launcher.container_status(&container).await.unwrap();
        if status.state == Some(ContainerStateProto::CComplete as i32) {
            assert_eq!(status.exit_status, Some(-105), "{:?}", status.diagnostics);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the container did not stop"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    c.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_wrong_and_replaced_nm_tokens() {
    let c = cluster(Duration::ZERO).await;
    let (launcher, mut events) = launcher(|_| {});
    // No token for the node yet.
    launcher
        .launch(c.container(1, 2, "127.0.0.1"), clc("true"))
        .unwrap();
    let event = next(&mut events).await;
    let text = event.to_string();
    assert!(
        matches!(
            event,
            LaunchEvent::Failed {
                error: NmCallError::NoNmToken { .. },
                ..
            }
        ),
        "{event:?}"
    );
    assert!(text.contains("no NMToken for node"), "{text}");
    assert!(
        text.contains("Exception while starting container"),
        "{text}"
    );
    // A token signed with a key the NM does not know is refused by SASL ...
    let forged = NmTokenSecretManager::new(1, b"some-other-key".to_vec(), None);
    let bad = forged.create_token(attempt(1), c.node.clone(), "tester", c.node.to_string());
    launcher.update_tokens(&[NMTokenProto {
        node_id: Some(c.node.to_proto()),
        token: Some(bad.to_proto()),
    }]);
    launcher
        .launch(c.container(1, 3, "127.0.0.1"), clc("true"))
        .unwrap();
    assert!(matches!(
        next(&mut events).await,
        LaunchEvent::Failed { .. }
    ));
    // ... and a fresh token from the RM replaces it for the same node.
    launcher.update_tokens(&[c.nm_token(1)]);
    assert_eq!(launcher.known_nodes(), 1);
    launcher
        .launch(c.container(1, 4, "127.0.0.1"), clc("true"))
        .unwrap();
    assert!(matches!(
        next(&mut events).await,
        LaunchEvent::Started { .. }
    ));

    // A container of another attempt is refused by the NM in failed_requests.
    launcher
        .launch(c.container(2, 2, "127.0.0.1"), clc("true"))
        .unwrap();
    match next(&mut events).await {
        LaunchEvent::Failed { error, .. } => {
            assert!(matches!(error, NmCallError::Refused { .. }), "{error:?}");
            assert!(
                error.to_string().contains("refused the container"),
                "{error}"
            )
        }
        other => panic!("{other:?}"),
    }
    // A record without a node is reported, not panicked on.
    let mut incomplete = c.container(1, 5, "127.0.0.1");
    incomplete.node_id = None;
    let err = launcher
        .start_container(&incomplete, clc("true"))
        .await
        .unwrap_err();
    assert!(matches!(err, NmCallError::Incomplete("node id")), "{err}");
    let err = launcher.launch(incomplete, clc("true")).unwrap_err();
    assert!(matches!(err, NmCallError::Incomplete("node id")), "{err}");
    c.server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launches_are_bounded_and_timed_out() {
    let c = cluster(Duration::from_millis(300)).await;
    let (launcher, mut events) = launcher(|cfg| cfg.max_concurrent = 2);
    launcher.update_tokens(&[c.nm_token(1)]);
    for seq in 2..8 {
        launcher
            .launch(c.container(1, seq, "127.0.0.1"), clc("true"))
            .unwrap();
    }
    let mut started = HashMap::new();
    for _ in 2..8 {
        match next(&mut events).await {
            LaunchEvent::Started { container_id, .. } => {
                *started.entry(container_id).or_insert(0) += 1
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(started.len(), 6);
    assert_eq!(
        c.nm.max_in_flight.load(Ordering::SeqCst),
        2,
        "at most two launches at once"
    );

    let (slow, mut slow_events) = launcher_with_timeout(Duration::from_millis(100));
    slow.update_tokens(&[c.nm_token(1)]);
    slow.launch(c.container(1, 20, "127.0.0.1"), clc("true"))
        .unwrap();
    match next(&mut slow_events).await {
        LaunchEvent::Failed { error, .. } => {
            assert!(matches!(error, NmCallError::Timeout(_)), "{error:?}");
            assert!(
                error.to_string().contains("no answer from the NodeManager"),
                "{error}"
            )
        }
        other => panic!("{other:?}"),
    }
    c.server.shutdown().await;
}

fn launcher_with_timeout(timeout: Duration) -> (Arc<NmLauncher>, UnboundedReceiver<LaunchEvent>) {
    launcher(|cfg| cfg.launch_timeout = timeout)
}
