//! The AM's NodeManager client against a real ContainerManagementProtocol server (Hadoop IPC with
//! SASL DIGEST-MD5 and NMToken checks) whose containers run on the local runner: launch events,
//! status, stop, the NMToken cache, one reused connection per node (counted by the server), its
//! recovery after the NodeManager restarts or the connection idles out, the bound on kept
//! clients, bounded concurrency and the launch timeout.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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

/// A NodeManager: checks container tokens and runs containers on a [`LocalRunner`]; counts the
/// connections its calls came on and the starts running at once.
struct RunnerNm {
    runner: LocalRunner,
    delay: Duration,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    peers: Mutex<HashSet<SocketAddr>>,
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
    fn new(runner: LocalRunner, delay: Duration) -> Self {
        RunnerNm {
            runner,
            delay,
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            peers: Mutex::new(HashSet::new()),
        }
    }

    /// How many connections (client ports) calls arrived on.
    fn connections(&self) -> usize {
        self.peers.lock().unwrap().len()
    }

    fn called_by(&self, caller: &NmCaller) {
        self.peers.lock().unwrap().insert(caller.ctx.peer);
    }

    /// The containers of a stop or status request that the runner knows, with their runner name
    /// and state; the others go to `failed`.
    fn known(
        &self,
        caller: &NmCaller,
        ids: Vec<ContainerIdProto>,
        failed: &mut Vec<ContainerExceptionMapProto>,
    ) -> Result<Vec<(ContainerIdProto, String, ContainerState)>, ServiceError> {
        self.called_by(caller);
        let mut known = Vec::new();
        for id in ids {
            let cid = ContainerId::from_proto(&id).map_err(|e| service_error(e.to_string()))?;
            let name = cid.to_string();
            match self.runner.status(&name) {
                Some(state) => known.push((id, name, state)),
                None => failed.push(failure(
                    id,
                    format!("Container {cid} is not handled by this NodeManager"),
                )),
            }
        }
        Ok(known)
    }

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
        self.called_by(&caller);
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
        caller: NmCaller,
        request: StopContainersRequestProto,
    ) -> Result<StopContainersResponseProto, ServiceError> {
        let mut resp = StopContainersResponseProto::default();
        for (id, name, _) in self.known(&caller, request.container_id, &mut resp.failed_requests)? {
            self.runner.stop(&name, StopReason::KilledByAppMaster);
            resp.succeeded_requests.push(id);
        }
        Ok(resp)
    }

    async fn get_container_statuses(
        &self,
        caller: NmCaller,
        request: GetContainerStatusesRequestProto,
    ) -> Result<GetContainerStatusesResponseProto, ServiceError> {
        let mut resp = GetContainerStatusesResponseProto::default();
        let known = self.known(&caller, request.container_id, &mut resp.failed_requests)?;
        resp.status = known
            .into_iter()
            .map(|(id, _, state)| status(id, state))
            .collect();
        Ok(resp)
    }
}

/// A container's status as a NodeManager reports it.
fn status(id: ContainerIdProto, state: ContainerState) -> ContainerStatusProto {
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
    ContainerStatusProto {
        container_id: Some(id),
        state: Some(state as i32),
        diagnostics: Some(diagnostics),
        exit_status: Some(exit_status),
        ..Default::default()
    }
}

/// One NodeManager on a loopback port, with its NMToken and container-token keys.
struct Cluster {
    server: Option<IpcServer>,
    nm: Arc<RunnerNm>,
    node: NodeId,
    nm_tokens: Arc<NmTokenSecretManager>,
    delay: Duration,
    dir: tempfile::TempDir,
}

fn runner_nm(dir: &std::path::Path, delay: Duration) -> Arc<RunnerNm> {
    let mut config = RunnerConfig::new(vec![dir.join("local")], vec![dir.join("logs")]);
    config.memory_check_interval = Duration::ZERO;
    let (runner, _events) = LocalRunner::new(config).unwrap();
    Arc::new(RunnerNm::new(runner, delay))
}

/// Serves `nm` on `node`'s port with NMToken authentication. Right after a restart the port can
/// still be held by the old server's side of a connection the client has not closed yet, so a
/// busy port is tried again for a while.
async fn serve(
    nm: &Arc<RunnerNm>,
    node: &NodeId,
    nm_tokens: &Arc<NmTokenSecretManager>,
) -> IpcServer {
    let mut config = ServerConfig::new(format!("{node}").parse().unwrap());
    config.secret_manager = Some(nm_tokens.clone());
    config.allow_simple = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let service = Arc::new(NmService::new(nm.clone())) as Arc<dyn Service>;
        match IpcServer::bind(config.clone(), vec![service]).await {
            Ok(server) => return server,
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse
                    && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            Err(e) => panic!("cannot serve on {node}: {e}"),
        }
    }
}

/// A free loopback port below the kernel's range for outgoing connections, so that no client
/// socket (of this or another test) can take it while a NodeManager restarts on it. The port is
/// part of the node id the tokens are issued for, so it is chosen before the server binds it.
fn free_port() -> u16 {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let ephemeral_low = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|range| range.split_whitespace().next()?.parse::<usize>().ok())
        .unwrap_or(32768)
        .min(usize::from(u16::MAX));
    let (low, span) = (10_000, ephemeral_low.saturating_sub(10_000).max(1));
    let seed = std::process::id() as usize * 7919;
    for _ in 0..span {
        let port = (low + (seed + NEXT.fetch_add(1, Ordering::SeqCst)) % span) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free loopback port below {ephemeral_low}");
}

async fn cluster(delay: Duration) -> Cluster {
    let dir = tempfile::tempdir().unwrap();
    let nm = runner_nm(dir.path(), delay);
    let node = NodeId::new("127.0.0.1", i32::from(free_port()));
    let nm_tokens = Arc::new(NmTokenSecretManager::new(
        1,
        NM_KEY.to_vec(),
        Some(node.clone()),
    ));
    let server = serve(&nm, &node, &nm_tokens).await;
    Cluster {
        server: Some(server),
        nm,
        node,
        nm_tokens,
        delay,
        dir,
    }
}

impl Cluster {
    /// Stops the NodeManager and starts a new one on the same port with the same keys; it knows
    /// no containers (a restart without recovery).
    async fn restart(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
        self.nm = runner_nm(&self.dir.path().join("restarted"), self.delay);
        self.server = Some(serve(&self.nm, &self.node, &self.nm_tokens).await);
    }

    async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

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

/// The AM side: a launcher and the events of its launches.
struct Am {
    launcher: Arc<NmLauncher>,
    events: UnboundedReceiver<LaunchEvent>,
}

fn new_am(tweak: impl FnOnce(&mut NmLauncherConfig)) -> Am {
    let mut config = NmLauncherConfig {
        connect_timeout: Duration::from_secs(5),
        launch_timeout: Duration::from_secs(20),
        connect_attempts: 1,
        user: "am".into(),
        ..Default::default()
    };
    tweak(&mut config);
    let (launcher, events) = NmLauncher::new(config);
    Am { launcher, events }
}

impl Am {
    async fn next(&mut self) -> LaunchEvent {
        tokio::time::timeout(Duration::from_secs(30), self.events.recv())
            .await
            .expect("a launch event within 30 s")
            .expect("launcher alive")
    }

    /// Launches `command` in `container`; the launch must be reported started.
    async fn start(&mut self, container: &ContainerProto, command: &str) {
        self.launcher
            .launch(container.clone(), clc(command))
            .unwrap();
        match self.next().await {
            LaunchEvent::Started { container_id, node } => {
                let id = ContainerId::from_proto(container.id.as_ref().unwrap()).unwrap();
                let on = NodeId::from_proto(container.node_id.as_ref().unwrap()).unwrap();
                assert_eq!((container_id, node), (id, on));
            }
            other => panic!("expected a start, got {other}"),
        }
    }

    /// Launches `true` in `container`; the launch must be reported failed. Its error, and the
    /// event's text.
    async fn fail(&mut self, container: &ContainerProto) -> (NmCallError, String) {
        self.launcher
            .launch(container.clone(), clc("true"))
            .unwrap();
        let event = self.next().await;
        let text = event.to_string();
        match event {
            LaunchEvent::Failed { error, .. } => {
                assert!(
                    text.contains("Exception while starting container"),
                    "{text}"
                );
                (error, text)
            }
            other => panic!("expected a failure, got {other}"),
        }
    }

    /// Polls the container's status until it is `want` (within 10 s); every other state seen on
    /// the way must be `interim`, if given.
    async fn wait_for(
        &self,
        container: &ContainerProto,
        want: ContainerStateProto,
        interim: Option<ContainerStateProto>,
    ) -> ContainerStatusProto {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let status = self.launcher.container_status(container).await.unwrap();
            if status.state == Some(want as i32) {
                return status;
            }
            if let Some(interim) = interim {
                assert_eq!(status.state, Some(interim as i32));
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the container did not reach {want:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Asserts that the NodeManager saw calls on `connections` connections in all, and that the
/// launcher keeps one client.
#[track_caller]
fn assert_connections(c: &Cluster, am: &Am, connections: usize, why: &str) {
    assert_eq!(c.nm.connections(), connections, "{why}");
    assert_eq!(am.launcher.cached_clients(), 1);
}

/// A NodeManager, and a launcher with attempt 1's NMToken that started a `sleep 30` container of
/// that attempt on it, the node named `host`.
async fn running(
    host: &str,
    tweak: impl FnOnce(&mut NmLauncherConfig),
) -> (Cluster, Am, ContainerProto) {
    let c = cluster(Duration::ZERO).await;
    let mut am = new_am(tweak);
    assert_eq!(am.launcher.update_tokens(&[c.nm_token(1)]), 1);
    let container = c.container(1, 2, host);
    am.start(&container, "sleep 30").await;
    (c, am, container)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_status_and_stop_through_a_nodemanager() {
    // The node is named by host name; the NMToken's service is ip:port.
    let (c, am, container) = running("localhost", |_| {}).await;
    // Accepted containers are NEW while localizing, then RUNNING.
    use ContainerStateProto::{CComplete, CNew, CRunning};
    am.wait_for(&container, CRunning, Some(CNew)).await;
    am.launcher.stop_container(&container).await.unwrap();
    let status = am.wait_for(&container, CComplete, None).await;
    assert_eq!(status.exit_status, Some(-105), "{:?}", status.diagnostics);
    assert_connections(
        &c,
        &am,
        1,
        "the start and every stop and status call came on one connection",
    );
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_wrong_and_replaced_nm_tokens() {
    let c = cluster(Duration::ZERO).await;
    let mut am = new_am(|_| {});
    // No token for the node yet.
    let (error, text) = am.fail(&c.container(1, 2, "127.0.0.1")).await;
    assert!(matches!(error, NmCallError::NoNmToken { .. }), "{error:?}");
    assert!(text.contains("no NMToken for node"), "{text}");
    // A token signed with a key the NM does not know is refused by SASL ...
    let forged = NmTokenSecretManager::new(1, b"some-other-key".to_vec(), None);
    let bad = forged.create_token(attempt(1), c.node.clone(), "tester", c.node.to_string());
    am.launcher.update_tokens(&[NMTokenProto {
        node_id: Some(c.node.to_proto()),
        token: Some(bad.to_proto()),
    }]);
    am.fail(&c.container(1, 3, "127.0.0.1")).await;
    // ... and a fresh token from the RM replaces it (and its client) for the same node.
    am.launcher.update_tokens(&[c.nm_token(1)]);
    assert_eq!(am.launcher.known_nodes(), 1);
    am.start(&c.container(1, 4, "127.0.0.1"), "true").await;

    // A container of another attempt is refused by the NM in failed_requests.
    let (error, text) = am.fail(&c.container(2, 2, "127.0.0.1")).await;
    assert!(matches!(error, NmCallError::Refused { .. }), "{error:?}");
    assert!(text.contains("refused the container"), "{text}");
    // A record without a node is reported, not panicked on.
    let mut incomplete = c.container(1, 5, "127.0.0.1");
    incomplete.node_id = None;
    let err = am
        .launcher
        .start_container(&incomplete, clc("true"))
        .await
        .unwrap_err();
    assert!(matches!(err, NmCallError::Incomplete("node id")), "{err}");
    let err = am.launcher.launch(incomplete, clc("true")).unwrap_err();
    assert!(matches!(err, NmCallError::Incomplete("node id")), "{err}");
    assert_eq!(c.nm.connections(), 1, "one client for the fresh token");

    // The NMToken of another attempt replaces the node's client: a new connection, on which
    // that attempt's container starts.
    am.launcher.update_tokens(&[c.nm_token(2)]);
    am.start(&c.container(2, 3, "127.0.0.1"), "true").await;
    assert_connections(&c, &am, 2, "a new connection for the new token");
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launches_are_bounded_and_timed_out() {
    let c = cluster(Duration::from_millis(300)).await;
    let mut am = new_am(|cfg| cfg.max_concurrent = 2);
    am.launcher.update_tokens(&[c.nm_token(1)]);
    for seq in 2..8 {
        am.launcher
            .launch(c.container(1, seq, "127.0.0.1"), clc("true"))
            .unwrap();
    }
    let mut started = HashMap::new();
    for _ in 2..8 {
        match am.next().await {
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

    let mut slow = new_am(|cfg| cfg.launch_timeout = Duration::from_millis(100));
    slow.launcher.update_tokens(&[c.nm_token(1)]);
    let (error, text) = slow.fail(&c.container(1, 20, "127.0.0.1")).await;
    assert!(matches!(error, NmCallError::Timeout(_)), "{error:?}");
    assert!(text.contains("no answer from the NodeManager"), "{text}");
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_nodemanager_is_reached_on_a_new_connection() {
    let (mut c, mut am, first) = running("127.0.0.1", |_| {}).await;
    c.restart().await;
    // The restarted NodeManager answers on a new connection: it lost the first container ...
    match am.launcher.container_status(&first).await {
        Err(NmCallError::Refused { message, .. }) => {
            assert!(message.contains("is not handled"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // ... and starts new ones, on that same connection.
    am.start(&c.container(1, 3, "127.0.0.1"), "true").await;
    assert_connections(&c, &am, 1, "one connection to the restarted NodeManager");
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_is_closed_and_opened_again() {
    let (c, am, container) = running("127.0.0.1", |cfg| {
        cfg.idle_timeout = Duration::from_millis(200)
    })
    .await;
    am.launcher.container_status(&container).await.unwrap();
    assert_eq!(c.nm.connections(), 1);
    tokio::time::sleep(Duration::from_millis(800)).await;
    am.launcher.container_status(&container).await.unwrap();
    assert_connections(
        &c,
        &am,
        2,
        "the idle connection was closed and the next call opened a new one",
    );
    c.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_least_recently_used_client_is_closed_beyond_the_bound() {
    let a = cluster(Duration::ZERO).await;
    let b = cluster(Duration::ZERO).await;
    let mut am = new_am(|cfg| cfg.max_clients = 1);
    am.launcher.update_tokens(&[a.nm_token(1), b.nm_token(1)]);
    for (c, seq) in [(&a, 2), (&b, 3), (&a, 4)] {
        am.start(&c.container(1, seq, "127.0.0.1"), "true").await;
        assert_eq!(am.launcher.cached_clients(), 1);
    }
    assert_eq!(
        (a.nm.connections(), b.nm.connections()),
        (2, 1),
        "a's client was closed to make room for b's, then made anew"
    );
    a.stop().await;
    b.stop().await;
}
