//! The launcher's NodeManager client (`spindle_launcher::nm_client::NmLauncher`) against Hadoop's
//! real ContainerManagementProtocol server (SASL TOKEN with NMTokens, the harness's NM handler).
//! Containers, container tokens and NMTokens come from Hadoop's AM server through our
//! `AmRmClient`, as an AM gets them; launch contexts are built with the launcher's
//! `LaunchTemplate`.
//!
//! Concurrency and timeouts are observed through a loopback TCP proxy in front of the NM that can
//! hold new connections: the containers' node address and the NMTokens' service are pointed at
//! the proxy (the NM checks the node inside the tokens, not the address the client dialled).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use spindle_launcher::context::{ExecutorId, ExecutorIdentity, LaunchTemplate};
use spindle_launcher::nm_client::{LaunchEvent, NmCallError, NmLauncher, NmLauncherConfig};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ContainerId, NodeId};
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, ContainerProto, ContainerStateProto, NodeIdProto, ResourceProto,
    ResourceRequestProto,
};
use spindle_protocol::proto::yarn_service::{
    AllocateRequestProto, NMTokenProto, RegisterApplicationMasterRequestProto,
};
use spindle_protocol::token::token_service_for;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::records::{ANY_RESOURCE_NAME, ContainerExit, exit_status};
use spindle_tests::servers::JavaYarnServers;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// How long any single wait in these tests may take before the test fails.
const WAIT: Duration = Duration::from_secs(60);

/// What the harness RM handed out: containers and the NMTokens for their node.
struct Allocation {
    containers: Vec<ContainerProto>,
    nm_tokens: Vec<NMTokenProto>,
}

/// Registers with Hadoop's AM server and allocates `count` containers in one ask.
async fn allocate(s: &JavaYarnServers, count: i32) -> Allocation {
    let am = AmRmClient::with_token(s.am_addr.to_string(), &s.am_token.to_token(), "spindle");
    am.register_application_master(&RegisterApplicationMasterRequestProto {
        host: Some("127.0.0.1".into()),
        rpc_port: Some(0),
        tracking_url: Some(String::new()),
        ..Default::default()
    })
    .await
    .expect("register");
    let r = am
        .allocate(&AllocateRequestProto {
            ask: vec![ResourceRequestProto::new(
                1,
                ANY_RESOURCE_NAME,
                ResourceProto::new(512, 1),
                count,
                0,
            )],
            response_id: Some(0),
            progress: Some(0.0),
            ..Default::default()
        })
        .await
        .expect("allocate");
    assert_eq!(
        r.allocated_containers.len(),
        count as usize,
        "the harness RM grants the whole ask at once"
    );
    assert_eq!(r.nm_tokens.len(), 1, "one NMToken for the one node");
    Allocation {
        containers: r.allocated_containers,
        nm_tokens: r.nm_tokens,
    }
}

/// The application's launch template: a JVM executor with an environment, an ACL and the AM's
/// credentials (whose AMRMToken the template strips).
fn template(s: &JavaYarnServers) -> LaunchTemplate {
    let mut credentials = Credentials::new();
    credentials.add_token("amrm", s.am_token.to_token());
    credentials.add_token("nm", s.nm_token.to_token());
    LaunchTemplate {
        program: vec![
            "{{JAVA_HOME}}/bin/java".into(),
            "-Xmx384m".into(),
            "-cp".into(),
            "{{PWD}}/lib/*".into(),
            "spindle.Executor".into(),
        ],
        args: vec!["--interop".into(), "it's quoted".into()],
        driver_url: "spindle://127.0.0.1:7077".into(),
        app_id: "application_1700000000000_0001".into(),
        app_secret: Some("s3cret".into()),
        env: vec![("SPINDLE_INTEROP".into(), "1".into())],
        credentials: Some(credentials),
        view_acl: Some("spindle".into()),
        modify_acl: Some("spindle".into()),
        ..Default::default()
    }
}

/// One executor's launch context for `container`.
fn launch_context(
    t: &LaunchTemplate,
    container: &ContainerProto,
    n: usize,
) -> ContainerLaunchContextProto {
    let node = node_of(container);
    t.build(&ExecutorIdentity {
        executor_id: ExecutorId(n as u64),
        hostname: node.host.as_str().into(),
        cores: 1,
        resource_profile_id: 0,
    })
    .expect("launch context")
}

fn id_of(c: &ContainerProto) -> ContainerId {
    ContainerId::from_proto(c.id.as_ref().expect("container id")).expect("container id")
}

fn node_of(c: &ContainerProto) -> NodeId {
    NodeId::from_proto(c.node_id.as_ref().expect("node id")).expect("node id")
}

/// The next launch event, failing the test if none comes in time.
async fn next_event(rx: &mut mpsc::UnboundedReceiver<LaunchEvent>) -> LaunchEvent {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("a launch event in time")
        .expect("the launcher is alive")
}

/// The next launch event, which must be the failure of `c` (named by id and node); its error
/// and the event's text.
async fn expect_failed(
    rx: &mut mpsc::UnboundedReceiver<LaunchEvent>,
    c: &ContainerProto,
) -> (NmCallError, String) {
    let event = next_event(rx).await;
    let text = event.to_string();
    match event {
        LaunchEvent::Failed {
            container_id,
            node,
            error,
        } => {
            assert_eq!(container_id, id_of(c), "{error}");
            assert_eq!(node, node_of(c), "{error}");
            assert!(
                text.contains("Exception while starting container"),
                "{text}"
            );
            (error, text)
        }
        other => panic!("expected a failed launch of {}, got {other:?}", id_of(c)),
    }
}

/// The next launch event, which must be the start of `container_id` on `node`.
async fn expect_started(
    rx: &mut mpsc::UnboundedReceiver<LaunchEvent>,
    container_id: ContainerId,
    node: NodeId,
) {
    match next_event(rx).await {
        LaunchEvent::Started {
            container_id: id,
            node: on,
        } => assert_eq!((id, on), (container_id, node)),
        other => panic!("expected {container_id} to start, got {other:?}"),
    }
}

fn config(max_concurrent: usize, launch_timeout: Duration) -> NmLauncherConfig {
    NmLauncherConfig {
        max_concurrent,
        launch_timeout,
        connect_timeout: Duration::from_secs(10),
        connect_attempts: 1,
        ..NmLauncherConfig::default()
    }
}

/// A loopback TCP proxy to the NM that holds every new connection until [`GatedProxy::open`].
struct GatedProxy {
    addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
    gate: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl GatedProxy {
    async fn start(upstream: SocketAddr) -> GatedProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let (gate, open) = watch::channel(false);
        let counter = accepted.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let mut open = open.clone();
                tokio::spawn(async move {
                    if open.wait_for(|open| *open).await.is_err() {
                        return;
                    }
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        GatedProxy {
            addr,
            accepted,
            gate,
            task,
        }
    }

    /// Connections accepted so far (held or forwarded).
    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Forwards every held connection and every later one.
    fn open(&self) {
        self.gate.send_replace(true);
    }

    /// Waits until `n` connections have been accepted.
    async fn wait_accepted(&self, n: usize) {
        tokio::time::timeout(WAIT, async {
            while self.accepted() < n {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{n} connections in time (have {})", self.accepted()));
    }

    /// `c` addressed to the proxy instead of the NM.
    fn redirect(&self, c: &ContainerProto) -> ContainerProto {
        let mut c = c.clone();
        c.node_id = Some(NodeIdProto {
            host: Some(self.addr.ip().to_string()),
            port: Some(i32::from(self.addr.port())),
        });
        c
    }

    /// NMTokens whose service is the proxy's address.
    fn redirect_tokens(&self, tokens: &[NMTokenProto]) -> Vec<NMTokenProto> {
        tokens
            .iter()
            .cloned()
            .map(|mut t| {
                if let Some(token) = t.token.as_mut() {
                    token.service = token_service_for(self.addr);
                }
                t
            })
            .collect()
    }
}

impl Drop for GatedProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_status_stop_with_nm_token() {
    let s = JavaYarnServers::start()
        .await
        .expect("start JavaYarnServers");
    let a = allocate(&s, 1).await;
    let c = &a.containers[0];
    let t = template(&s);

    let (launcher, mut events) = NmLauncher::new(config(4, Duration::from_secs(30)));
    assert_eq!(launcher.update_tokens(&a.nm_tokens), 1);
    assert_eq!(launcher.known_nodes(), 1);

    let clc = launch_context(&t, c, 1);
    let tokens = Credentials::from_bytes(clc.tokens.as_deref().expect("tokens")).expect("tokens");
    assert_eq!(tokens.all_tokens().count(), 1, "the AMRMToken is not sent");
    launcher.launch(c.clone(), clc).expect("launch");
    expect_started(&mut events, id_of(c), node_of(c)).await;

    let status = launcher.container_status(c).await.expect("status");
    assert_eq!(status.known_state(), Ok(ContainerStateProto::CRunning));
    assert_eq!(status.exit(), ContainerExit::NotExited);

    // Launching the same container again: the NM refuses it, and the event says why.
    launcher
        .launch(c.clone(), launch_context(&t, c, 1))
        .expect("launch");
    let (error, text) = expect_failed(&mut events, c).await;
    assert!(matches!(error, NmCallError::Refused { .. }), "{error:?}");
    assert!(text.contains("already is running"), "{text}");
    assert!(text.contains(&id_of(c).to_string()), "{text}");

    launcher.stop_container(c).await.expect("stop");
    let status = launcher
        .container_status(c)
        .await
        .expect("status after stop");
    assert_eq!(status.known_state(), Ok(ContainerStateProto::CComplete));
    assert_eq!(status.exit_status, Some(exit_status::KILLED_BY_APPMASTER));
    assert_eq!(status.exit(), ContainerExit::KilledByAppMaster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_wrong_nm_token_fails_the_launch_clearly() {
    let s = JavaYarnServers::start()
        .await
        .expect("start JavaYarnServers");
    let a = allocate(&s, 1).await;
    let c = &a.containers[0];
    let clc = launch_context(&template(&s), c, 1);

    // No NMToken for the node: the launch fails before dialling, naming the node and the cure.
    let (launcher, mut events) = NmLauncher::new(config(2, Duration::from_secs(30)));
    launcher.launch(c.clone(), clc.clone()).expect("launch");
    let (error, text) = expect_failed(&mut events, c).await;
    assert!(matches!(error, NmCallError::NoNmToken { .. }), "{error:?}");
    assert!(text.contains("no NMToken for node"), "{text}");
    assert!(text.contains(&node_of(c).to_string()), "{text}");
    let err = launcher
        .container_status(c)
        .await
        .expect_err("status without a token");
    assert!(matches!(err, NmCallError::NoNmToken { .. }), "{err:?}");

    // An NMToken with a wrong password: Hadoop's SASL server refuses the connection.
    let mut wrong = a.nm_tokens.clone();
    wrong[0].token.as_mut().expect("token").password[2] ^= 0x01;
    let (launcher, mut events) = NmLauncher::new(config(2, Duration::from_secs(30)));
    assert_eq!(launcher.update_tokens(&wrong), 1);
    launcher.launch(c.clone(), clc.clone()).expect("launch");
    let (error, text) = expect_failed(&mut events, c).await;
    assert!(matches!(error, NmCallError::Rpc(_)), "{error:?}");
    assert!(text.contains("authentication failed"), "{text}");

    // Nothing was started: with the right token the NM does not know the container, and a
    // newer (right) token replaces the wrong one for the node.
    assert_eq!(launcher.update_tokens(&a.nm_tokens), 1);
    assert_eq!(launcher.known_nodes(), 1);
    match launcher.container_status(c).await {
        Err(NmCallError::Refused { message, .. }) => {
            assert!(message.contains("is not handled"), "{message}")
        }
        other => panic!("expected the NM to refuse an unknown container, got {other:?}"),
    }
    launcher.launch(c.clone(), clc).expect("launch");
    expect_started(&mut events, id_of(c), node_of(c)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launches_are_bounded_by_max_concurrent() {
    const CONTAINERS: usize = 5;
    const BOUND: usize = 2;
    let s = JavaYarnServers::start()
        .await
        .expect("start JavaYarnServers");
    let a = allocate(&s, CONTAINERS as i32).await;
    let t = template(&s);
    let proxy = GatedProxy::start(s.nm_addr).await;

    let (launcher, mut events) = NmLauncher::new(config(BOUND, Duration::from_secs(30)));
    assert_eq!(
        launcher.update_tokens(&proxy.redirect_tokens(&a.nm_tokens)),
        1
    );
    let routed: Vec<ContainerProto> = a.containers.iter().map(|c| proxy.redirect(c)).collect();
    for (n, c) in routed.iter().enumerate() {
        launcher
            .launch(c.clone(), launch_context(&t, c, n + 1))
            .expect("launch");
    }

    // While the proxy holds the first connections, the other launches wait for a slot and do
    // not dial the NM at all.
    proxy.wait_accepted(BOUND).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        proxy.accepted(),
        BOUND,
        "launches beyond the bound dialled the NM"
    );
    assert!(
        events.try_recv().is_err(),
        "no launch can have finished yet"
    );

    proxy.open();
    let mut started = Vec::new();
    for _ in 0..CONTAINERS {
        match next_event(&mut events).await {
            LaunchEvent::Started { container_id, .. } => started.push(container_id),
            other => panic!("expected every launch to start, got {other:?}"),
        }
    }
    started.sort();
    let mut expected: Vec<ContainerId> = a.containers.iter().map(id_of).collect();
    expected.sort();
    assert_eq!(started, expected);
    assert_eq!(proxy.accepted(), CONTAINERS, "one connection per launch");

    // Hadoop's NM knows all of them as running; stop them all.
    for c in &routed {
        let status = launcher.container_status(c).await.expect("status");
        assert_eq!(status.known_state(), Ok(ContainerStateProto::CRunning));
    }
    for c in &routed {
        launcher.stop_container(c).await.expect("stop");
        let status = launcher.container_status(c).await.expect("status");
        assert_eq!(status.exit(), ContainerExit::KilledByAppMaster);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_nodemanager_fails_the_launch_after_the_timeout() {
    let s = JavaYarnServers::start()
        .await
        .expect("start JavaYarnServers");
    let a = allocate(&s, 1).await;
    let c = &a.containers[0];
    let proxy = GatedProxy::start(s.nm_addr).await;

    let timeout = Duration::from_secs(1);
    let (launcher, mut events) = NmLauncher::new(config(1, timeout));
    launcher.update_tokens(&proxy.redirect_tokens(&a.nm_tokens));
    let routed = proxy.redirect(c);
    launcher
        .launch(routed.clone(), launch_context(&template(&s), c, 1))
        .expect("launch");
    let (error, text) = expect_failed(&mut events, &routed).await;
    assert!(
        matches!(error, NmCallError::Timeout(t) if t == timeout),
        "{error:?}"
    );
    assert!(text.contains("no answer from the NodeManager"), "{text}");
    assert!(text.contains(&format!("{timeout:?}")), "{text}");

    // The slot was given back: once the node answers, the next launch starts the container.
    proxy.open();
    launcher
        .launch(routed.clone(), launch_context(&template(&s), c, 1))
        .expect("launch");
    expect_started(&mut events, id_of(c), node_of(&routed)).await;
    let status = launcher.container_status(&routed).await.expect("status");
    assert_eq!(status.known_state(), Ok(ContainerStateProto::CRunning));
}
