//! [`MiniCluster`]: starts the RM and the NMs in this process, writes the conf dir, runs the
//! RM's event loop (node reports, liveness clock), and offers hooks for tests (stop/restart the
//! RM, lose or decommission a node). Everything stops on [`MiniCluster::shutdown`]; dropping the
//! cluster kills every container at once.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use spindle_protocol::gssapi::AcceptorCredential;
use spindle_protocol::gssapi::principal::{canonical_host_here, replace_host};
use spindle_protocol::ids::{ApplicationId, NodeId};
use spindle_protocol::ipc::{IpcServer, SecretManager, ServerConfig, Service};
use spindle_protocol::proto::yarn::ApplicationSubmissionContextProto;
use spindle_protocol::proto::yarn_service::{
    GetApplicationReportRequestProto, SubmitApplicationRequestProto,
};
use spindle_protocol::token::{Token, token_service_for};
use spindle_protocol::yarn::YarnError;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::delegation::{DelegationTokenSecretManager, DelegationTokenService};
use spindle_protocol::yarn::server::{AmService, ClientService, NmService};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tracing::{info, warn};

use crate::conf::{detect_java_home, write_conf_dir};
use crate::error::ClusterError;
use crate::nm::node::NodeSetup;
use crate::nm::service::{LateNmSecretManager, NmRpc};
use crate::nm::{NodeEvent, NodeManager};
use crate::options::MiniClusterOptions;
use crate::rm::service::RmRpc;
use crate::rm::state::{Effect, RmConfig, RmState};
use crate::rm::tokens::{ClusterSecrets, TokenIssuer};

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The RM state and the nodes, shared by the RPC handlers and the event loop.
#[derive(Debug)]
pub(crate) struct Core {
    rm: Mutex<RmState>,
    nodes: Vec<Arc<NodeManager>>,
}

impl Core {
    /// Runs `f` on the RM state at the current time, then carries out the effects it queued.
    pub(crate) fn with_rm<R>(&self, f: impl FnOnce(&mut RmState, i64) -> R) -> R {
        let (result, effects) = {
            let mut rm = lock(&self.rm);
            let now = now_ms();
            rm.advance_clock(now);
            let r = f(&mut rm, now);
            (r, rm.take_effects())
        };
        self.apply(effects);
        result
    }

    fn apply(&self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::LaunchAm {
                    node,
                    container,
                    clc,
                    user: _,
                } => {
                    let Some(nm) = self.nodes.get(node) else {
                        continue;
                    };
                    let ident = container
                        .container_token
                        .as_ref()
                        .map(spindle_protocol::token::Token::from_proto)
                        .and_then(|t| t.container_identifier().ok());
                    match ident {
                        Some(ident) => nm.launch_am(&ident, &clc),
                        None => warn!("AM container without a decodable container token"),
                    }
                }
                Effect::StopContainer {
                    node,
                    container,
                    reason,
                } => {
                    if let Some(nm) = self.nodes.get(node) {
                        nm.stop(&container, reason);
                    }
                }
                Effect::FinishApplication {
                    app,
                    user,
                    aggregate_logs,
                } => {
                    for nm in &self.nodes {
                        let (nm, user) = (nm.clone(), user.clone());
                        tokio::spawn(async move {
                            nm.finish_application(app, &user, aggregate_logs).await
                        });
                    }
                }
                Effect::SignalContainer {
                    node,
                    container,
                    command,
                } => {
                    if let Some(nm) = self.nodes.get(node)
                        && !nm.signal(&container, command)
                    {
                        warn!(%container, "signal to a container that is not running here");
                    }
                }
                Effect::ShutdownNode { node } => {
                    if let Some(nm) = self.nodes.get(node) {
                        let nm = nm.clone();
                        tokio::spawn(async move { nm.shutdown().await });
                    }
                }
            }
        }
    }

    fn handle(&self, event: NodeEvent) {
        self.with_rm(|rm, now| match event {
            NodeEvent::Started { container } => rm.container_started(container),
            NodeEvent::Exited {
                container,
                exit_status,
                diagnostics,
            } => rm.container_exited(container, exit_status, diagnostics, now),
            NodeEvent::LogsAggregated { app, ok } => rm.logs_aggregated(app, ok),
        });
    }
}

struct RmServers {
    client: IpcServer,
    scheduler: IpcServer,
}

/// An embedded YARN cluster: one RM and N NMs in this process. See the module docs.
pub struct MiniCluster {
    core: Arc<Core>,
    options: MiniClusterOptions,
    rm_servers: tokio::sync::Mutex<Option<RmServers>>,
    rm_addr: SocketAddr,
    scheduler_addr: SocketAddr,
    amrm_sm: Arc<dyn SecretManager>,
    /// RM delegation tokens, kept across RM restarts.
    rm_delegation: Arc<DelegationTokenSecretManager>,
    base_dir: PathBuf,
    conf_dir: PathBuf,
    cluster_timestamp: i64,
    stop_tx: watch::Sender<bool>,
    driver: Option<JoinHandle<()>>,
    temp: Option<tempfile::TempDir>,
    rest: Option<crate::rest::RestServer>,
}

impl std::fmt::Debug for MiniCluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MiniCluster")
            .field("rm", &self.rm_addr)
            .field("scheduler", &self.scheduler_addr)
            .field("nodes", &self.node_ids())
            .field("conf_dir", &self.conf_dir)
            .finish()
    }
}

fn server_config(
    bind: SocketAddr,
    sm: Option<Arc<dyn SecretManager>>,
    options: &MiniClusterOptions,
) -> ServerConfig {
    let mut c = ServerConfig::new(bind);
    c.secret_manager = sm;
    c.qop = options.rpc_protection.clone();
    // A secure cluster takes no one's word for who they are.
    c.allow_simple = options.kerberos.is_none();
    c.shutdown_grace = Duration::from_millis(500);
    c
}

async fn bind(
    what: &str,
    config: ServerConfig,
    services: Vec<Arc<dyn Service>>,
) -> Result<IpcServer, ClusterError> {
    let addr = config.bind;
    IpcServer::bind(config, services)
        .await
        .map_err(|source| ClusterError::Bind {
            what: what.to_string(),
            addr: addr.to_string(),
            source,
        })
}

fn parse_addr(host: &str, port: u16) -> Result<SocketAddr, ClusterError> {
    format!("{host}:{port}")
        .parse()
        .map_err(|e| ClusterError::Options(format!("host '{host}' is not an IP address: {e}")))
}

impl MiniCluster {
    /// Starts a cluster: binds the NMs and the RM (client and scheduler ports), writes
    /// `<base>/conf/{yarn,core}-site.xml`, and returns once every port accepts calls. Must be
    /// called inside a tokio runtime.
    pub async fn start(options: MiniClusterOptions) -> Result<MiniCluster, ClusterError> {
        options.validate()?;
        tokio::runtime::Handle::try_current().map_err(|_| ClusterError::NoRuntime)?;
        let (temp, base_dir) = match &options.base_dir {
            Some(d) => (None, d.clone()),
            None => {
                let t = tempfile::Builder::new()
                    .prefix("spindle-mini-")
                    .tempdir()
                    .map_err(|source| ClusterError::Io {
                        path: std::env::temp_dir(),
                        source,
                    })?;
                let p = t.path().to_path_buf();
                (Some(t), p)
            }
        };
        let conf_dir = base_dir.join("conf");
        let (cluster_timestamp, secrets) = match &options.fixed_secrets {
            Some(f) => (
                f.cluster_timestamp,
                ClusterSecrets {
                    amrm_key: f.amrm_key.clone(),
                    nm_token_key: f.nm_token_key.clone(),
                    container_key: f.container_key.clone(),
                },
            ),
            None => (now_ms(), ClusterSecrets::random()),
        };
        let (events_tx, mut events_rx) = mpsc::unbounded_channel::<(usize, NodeEvent)>();
        let mut passthrough = vec![(
            "HADOOP_CONF_DIR".to_string(),
            conf_dir.to_string_lossy().into_owned(),
        )];
        if let Some(home) = options.java_home.clone().or_else(detect_java_home) {
            passthrough.push(("JAVA_HOME".into(), home.to_string_lossy().into_owned()));
        }
        passthrough.extend(options.container_env.iter().cloned());
        let remote_log_dir = options
            .remote_app_log_dir
            .clone()
            .unwrap_or_else(|| base_dir.join("app-logs"));

        let mut nodes = Vec::with_capacity(options.nodes);
        for i in 0..options.nodes {
            let host = options.node_host(i);
            let rpc = Arc::new(NmRpc::new());
            let sm = Arc::new(LateNmSecretManager::default());
            let server = bind(
                &format!("NodeManager {i}"),
                server_config(parse_addr(&host, 0)?, Some(sm.clone()), &options),
                vec![Arc::new(NmService::new(rpc.clone()))],
            )
            .await?;
            let web = if options.nm_web {
                let addr = parse_addr(&host, 0)?;
                Some(
                    tokio::net::TcpListener::bind(addr)
                        .await
                        .map_err(|source| ClusterError::Bind {
                            what: format!("NodeManager {i} web port"),
                            addr: addr.to_string(),
                            source,
                        })?,
                )
            } else {
                None
            };
            let http_port = web
                .as_ref()
                .and_then(|l| l.local_addr().ok())
                .map_or(0, |a| a.port());
            let node_id = NodeId::new(host, i32::from(server.local_addr().port()));
            sm.set(secrets.nm_secret_manager(&node_id));
            let dir = base_dir.join("nodes").join(format!("nm-{i}"));
            let nm = NodeManager::start(
                NodeSetup {
                    index: i,
                    node_id,
                    secrets: secrets.clone(),
                    local_dir: dir.join("local"),
                    log_dir: dir.join("logs"),
                    env_passthrough: passthrough.clone(),
                    kill_grace: options.kill_grace,
                    pmem_check: options.pmem_check,
                    keep_container_dirs: options.keep_container_dirs,
                    http_port,
                    remote_log_dir: options.log_aggregation.then(|| remote_log_dir.clone()),
                },
                events_tx.clone(),
            )
            .map_err(|reason| ClusterError::Runner { node: i, reason })?;
            rpc.set_node(nm.clone());
            nm.set_server(server);
            if let Some(listener) = web {
                let served = crate::nm::web::NodeWebServer::serve(listener, nm.clone()).map_err(
                    |reason| ClusterError::Runner {
                        node: i,
                        reason: format!("its web server: {reason}"),
                    },
                )?;
                nm.set_web(served);
            }
            nodes.push(nm);
        }

        // Every NodeManager runs on this machine: clients read container logs from their
        // folders (`spindle logs`), as on a one-machine Hadoop cluster.
        let log_dirs = nodes
            .iter()
            .map(|n| n.log_dir().display().to_string())
            .collect::<Vec<_>>()
            .join(",");

        // The RM's web port is bound first: managed applications' tracking URLs name it.
        let web_listener = if options.rest {
            let addr = parse_addr(&options.host, 0)?;
            Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(|source| ClusterError::Bind {
                        what: "RM web (REST) port".into(),
                        addr: addr.to_string(),
                        source,
                    })?,
            )
        } else {
            None
        };
        let web_addr = web_listener.as_ref().and_then(|l| l.local_addr().ok());
        let issuer = TokenIssuer::new(secrets);
        let amrm_sm: Arc<dyn SecretManager> = issuer.amrm_secret_manager();
        let mut rm = RmState::new(
            RmConfig {
                cluster_timestamp,
                min_allocation: options.min_allocation(),
                max_allocation: options.max_allocation(),
                max_app_attempts: options.max_app_attempts,
                am_liveness_expiry_ms: options.am_liveness_expiry.as_millis() as i64,
                allocation_expiry_ms: options.container_allocation_expiry.as_millis() as i64,
                max_completed_apps: options.max_completed_apps,
                max_application_priority: options.max_application_priority,
                proxy_base: web_addr.map(|a| format!("http://{a}")),
                log_aggregation: options.log_aggregation,
            },
            issuer,
        );
        for (i, nm) in nodes.iter().enumerate() {
            rm.add_node(
                nm.node_id().clone(),
                options.node_rack(i),
                nm.http_address(),
                options.node_capacity(),
                cluster_timestamp,
            );
        }
        let core = Arc::new(Core {
            rm: Mutex::new(rm),
            nodes,
        });
        let rm_delegation = Arc::new(DelegationTokenSecretManager::new(
            1,
            rand::random::<[u8; 32]>().to_vec(),
        ));
        let servers = start_rm_servers(
            &core,
            parse_addr(&options.host, options.rm_port)?,
            parse_addr(&options.host, options.scheduler_port)?,
            (amrm_sm.clone(), rm_delegation.clone()),
            &options,
        )
        .await?;
        let rm_addr = servers.client.local_addr();
        let scheduler_addr = servers.scheduler.local_addr();

        let rest = match web_listener {
            Some(listener) => Some(
                crate::rest::RestServer::serve(
                    listener,
                    core.clone(),
                    crate::rest::RestConfig::default(),
                )
                .map_err(|source| ClusterError::Bind {
                    what: "RM web (REST) port".into(),
                    addr: options.host.clone(),
                    source,
                })?,
            ),
            None => None,
        };
        let mut yarn = yarn_site(&options, rm_addr, scheduler_addr, &remote_log_dir);
        yarn.push(("yarn.nodemanager.log-dirs".into(), log_dirs));
        if let (Some(k), Some(principal)) = (&options.kerberos, rm_principal(&options)) {
            yarn.push(("yarn.resourcemanager.principal".into(), principal));
            yarn.push((
                "yarn.resourcemanager.keytab".into(),
                k.keytab.display().to_string(),
            ));
        }
        if let Some(r) = &rest {
            yarn.push((
                "yarn.resourcemanager.webapp.address".into(),
                r.local_addr().to_string(),
            ));
        }
        let core_site = vec![
            ("fs.defaultFS".to_string(), "file:///".to_string()),
            (
                "hadoop.security.authentication".to_string(),
                if options.kerberos.is_some() {
                    "kerberos"
                } else {
                    "simple"
                }
                .to_string(),
            ),
            (
                "hadoop.rpc.protection".to_string(),
                spindle_protocol::sasl::qop::protection_names(&options.rpc_protection),
            ),
        ];
        write_conf_dir(&conf_dir, &yarn, &core_site)
            .map_err(|(path, source)| ClusterError::Io { path, source })?;

        let (stop_tx, mut stop_rx) = watch::channel(false);
        let loop_core = core.clone();
        let interval = options.monitor_interval;
        let driver = tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = stop_rx.wait_for(|s| *s) => break,
                    ev = events_rx.recv() => match ev {
                        Some((_, ev)) => loop_core.handle(ev),
                        None => break,
                    },
                    _ = tick.tick() => loop_core.with_rm(|rm, now| rm.tick(now)),
                }
            }
        });
        info!(rm = %rm_addr, scheduler = %scheduler_addr, nodes = options.nodes, conf = %conf_dir.display(), "mini cluster started");
        Ok(MiniCluster {
            core,
            options,
            rm_servers: tokio::sync::Mutex::new(Some(servers)),
            rm_addr,
            scheduler_addr,
            amrm_sm,
            rm_delegation,
            base_dir,
            conf_dir,
            cluster_timestamp,
            stop_tx,
            driver: Some(driver),
            temp,
            rest,
        })
    }

    /// The RM client port (ApplicationClientProtocol, `yarn.resourcemanager.address`).
    pub fn rm_address(&self) -> SocketAddr {
        self.rm_addr
    }

    /// The RM scheduler port (ApplicationMasterProtocol, `yarn.resourcemanager.scheduler.address`).
    pub fn scheduler_address(&self) -> SocketAddr {
        self.scheduler_addr
    }

    /// The RM web (REST) address (`yarn.resourcemanager.webapp.address`), unless
    /// [`MiniClusterOptions::rest`] is off.
    pub fn rest_address(&self) -> Option<SocketAddr> {
        self.rest.as_ref().map(|r| r.local_addr())
    }

    /// The `HADOOP_CONF_DIR` holding `yarn-site.xml` and `core-site.xml`.
    pub fn conf_dir(&self) -> &Path {
        &self.conf_dir
    }

    /// The cluster's folder (conf dir, node folders and container logs).
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// The cluster timestamp in every application id.
    pub fn cluster_timestamp(&self) -> i64 {
        self.cluster_timestamp
    }

    /// The options it was started with.
    pub fn options(&self) -> &MiniClusterOptions {
        &self.options
    }

    /// The NodeManagers' ids (`host:port` of their ContainerManagement ports).
    pub fn node_ids(&self) -> Vec<NodeId> {
        self.core
            .nodes
            .iter()
            .map(|n| n.node_id().clone())
            .collect()
    }

    /// Node `index`.
    pub fn node(&self, index: usize) -> Option<&Arc<NodeManager>> {
        self.core.nodes.get(index)
    }

    /// Submits an application with an unmanaged AM (the AM runs wherever the caller runs it,
    /// as Spark's `spark.yarn.unmanagedAM.enabled`), as `user`: returns its id and the attempt's
    /// AMRMToken (service set to the scheduler port), ready for an AM in this process or another.
    /// On a secure cluster, where the client port refuses SIMPLE, the submission authenticates
    /// with an RM delegation token the cluster issues to `user` for it (and cancels after).
    pub async fn submit_unmanaged(
        &self,
        user: &str,
        name: &str,
    ) -> Result<(ApplicationId, Token), ClusterError> {
        let addr = self.rm_address().to_string();
        if self.options.kerberos.is_none() {
            let client = ApplicationClient::simple(addr, user);
            return self.submit_unmanaged_through(&client, name).await;
        }
        let token = self.rm_delegation.issue(user, "", "");
        let client =
            ApplicationClient::with_delegation_token(addr, &token, &self.options.rpc_protection);
        let submitted = self.submit_unmanaged_through(&client, name).await;
        // The token was only for this submission; a cancelled one stops being accepted.
        if let Err(e) = self.rm_delegation.cancel(&token, user) {
            warn!("cancelling the submission's own delegation token: {e}");
        }
        submitted
    }

    /// [`MiniCluster::submit_unmanaged`] through `client` (any authentication the client port
    /// accepts, e.g. Kerberos on a secure cluster), as the client's user.
    pub async fn submit_unmanaged_through(
        &self,
        client: &ApplicationClient,
        name: &str,
    ) -> Result<(ApplicationId, Token), ClusterError> {
        let refused = |call: &'static str| {
            move |e: YarnError| ClusterError::Call {
                call,
                reason: e.to_string(),
            }
        };
        let new = client
            .get_new_application()
            .await
            .map_err(refused("getNewApplication"))?;
        let id = new
            .application_id
            .as_ref()
            .and_then(|p| ApplicationId::from_proto(p).ok())
            .ok_or_else(|| ClusterError::State("getNewApplication returned no id".into()))?;
        client
            .submit_application(&SubmitApplicationRequestProto {
                application_submission_context: Some(ApplicationSubmissionContextProto {
                    application_id: Some(id.to_proto()),
                    application_name: Some(name.to_string()),
                    unmanaged_am: Some(true),
                    ..Default::default()
                }),
            })
            .await
            .map_err(refused("submitApplication"))?;
        let report = client
            .get_application_report(&GetApplicationReportRequestProto {
                application_id: Some(id.to_proto()),
            })
            .await
            .map_err(refused("getApplicationReport"))?
            .application_report
            .ok_or_else(|| ClusterError::State(format!("no report for {id}")))?;
        let mut token = Token::from_proto(report.am_rm_token.as_ref().ok_or_else(|| {
            ClusterError::State(format!("the report of unmanaged {id} has no AMRMToken"))
        })?);
        token.service = token_service_for(self.scheduler_address());
        Ok((id, token))
    }

    /// The ResourceManager's RPC handler itself (both protocol traits), for callers in this
    /// process that want its behaviour without a socket (in-process AMs in tests and
    /// benchmarks). Calls through it are the same calls the ports serve, except the three
    /// delegation-token calls, which the client port serves in front of it.
    pub fn rm_rpc(&self) -> Arc<RmRpc> {
        Arc::new(RmRpc::new(self.core.clone()))
    }

    /// Runs `f` on the RM state (read-only), for tests and diagnostics.
    pub fn inspect<R>(&self, f: impl FnOnce(&RmState) -> R) -> R {
        f(&lock(&self.core.rm))
    }

    /// Test hook: stops the RM's two ports (clients and AMs get connection errors); the state is
    /// kept for [`MiniCluster::restart_rm`].
    pub async fn stop_rm(&self) -> Result<(), ClusterError> {
        let servers = self.rm_servers.lock().await.take();
        let Some(s) = servers else {
            return Err(ClusterError::State("the RM is already stopped".into()));
        };
        s.client.shutdown().await;
        s.scheduler.shutdown().await;
        Ok(())
    }

    /// Test hook: restarts a stopped RM on the same ports, work-preserving: applications and
    /// containers survive, every AM must register again (its next allocate gets
    /// `ApplicationMasterNotRegisteredException`) and re-send its asks.
    pub async fn restart_rm(&self) -> Result<(), ClusterError> {
        let mut guard = self.rm_servers.lock().await;
        if guard.is_some() {
            return Err(ClusterError::State(
                "the RM is running; stop it first".into(),
            ));
        }
        self.core.with_rm(|rm, _| rm.restarted());
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        loop {
            match start_rm_servers(
                &self.core,
                self.rm_addr,
                self.scheduler_addr,
                (self.amrm_sm.clone(), self.rm_delegation.clone()),
                &self.options,
            )
            .await
            {
                Ok(s) => {
                    *guard = Some(s);
                    return Ok(());
                }
                Err(e) if tokio::time::Instant::now() >= deadline => return Err(e),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Test hook: node `index` is lost. Its containers complete as ABORTED (-100) for their
    /// AMs, it shows as LOST in node reports and `updated_nodes`, and its NM stops.
    pub async fn lose_node(&self, index: usize) -> Result<(), ClusterError> {
        let nm = self
            .node(index)
            .ok_or(ClusterError::NoSuchNode(index))?
            .clone();
        self.core.with_rm(|rm, now| rm.lose_node(index, now));
        nm.shutdown().await;
        Ok(())
    }

    /// Test hook: node `index` is decommissioned (like [`MiniCluster::lose_node`], reported as
    /// DECOMMISSIONED).
    pub async fn decommission_node(&self, index: usize) -> Result<(), ClusterError> {
        let nm = self
            .node(index)
            .ok_or(ClusterError::NoSuchNode(index))?
            .clone();
        self.core
            .with_rm(|rm, now| rm.decommission_node(index, now));
        nm.shutdown().await;
        Ok(())
    }

    /// Test hook: rolls the AMRMToken master key (as YARN does every
    /// `yarn.resourcemanager.am-rm-tokens.master-key-rolling-interval-secs`); running AMs get a
    /// new token in their next allocate response. Returns the new key id.
    pub fn roll_amrm_key(&self) -> i32 {
        self.core.with_rm(|rm, _| rm.roll_amrm_key())
    }

    /// Test hook: the scheduler port stops accepting AMRMTokens of keys before the current one
    /// (an AM still using an old token cannot open a new connection).
    pub fn retire_previous_amrm_keys(&self) {
        self.core
            .with_rm(|rm, _| rm.tokens().retire_previous_amrm_key());
    }

    /// Stops everything: the RM ports, the event loop, every NM (containers are stopped and
    /// reported), and deletes the temporary folder if the cluster made one.
    pub async fn shutdown(mut self) {
        if let Some(r) = self.rest.take() {
            r.shutdown().await;
        }
        if let Some(s) = self.rm_servers.lock().await.take() {
            s.client.shutdown().await;
            s.scheduler.shutdown().await;
        }
        let nodes = self.core.nodes.clone();
        futures::future::join_all(nodes.iter().map(|n| n.shutdown())).await;
        let _ = self.stop_tx.send(true);
        if let Some(d) = self.driver.take() {
            let _ = d.await;
        }
        if let Some(t) = self.temp.take() {
            let _ = t.close();
        }
    }
}

impl Drop for MiniCluster {
    /// Kills every container at once and stops every server.
    fn drop(&mut self) {
        let _ = self.stop_tx.send(true);
        if let Some(d) = self.driver.take() {
            d.abort();
        }
        for n in &self.core.nodes {
            n.kill_now();
        }
        if let Ok(mut g) = self.rm_servers.try_lock() {
            drop(g.take());
        }
    }
}

async fn start_rm_servers(
    core: &Arc<Core>,
    client: SocketAddr,
    scheduler: SocketAddr,
    (amrm_sm, rm_delegation): (Arc<dyn SecretManager>, Arc<DelegationTokenSecretManager>),
    options: &MiniClusterOptions,
) -> Result<RmServers, ClusterError> {
    let rpc = Arc::new(RmRpc::new(core.clone()));
    // As a real RM: the client port also accepts RM delegation tokens (SASL TOKEN), and serves
    // their three calls in front of the protocol's other calls.
    let mut client_config = server_config(client, Some(rm_delegation.clone()), options);
    client_config.kerberos = rm_kerberos(options)?;
    let client_service = DelegationTokenService::wrap(
        Arc::new(ClientService::new(rpc.clone())),
        rm_delegation,
        options.kerberos.is_some(),
        // Like the RM: clients set the service to the address they used.
        "",
    );
    let client = bind("RM client port", client_config, vec![client_service]).await?;
    let scheduler = bind(
        "RM scheduler port",
        server_config(scheduler, Some(amrm_sm), options),
        vec![Arc::new(AmService::new(rpc))],
    )
    .await?;
    Ok(RmServers { client, scheduler })
}

/// The RM's acceptor credential when the cluster is secure.
fn rm_kerberos(options: &MiniClusterOptions) -> Result<Option<AcceptorCredential>, ClusterError> {
    let Some(k) = &options.kerberos else {
        return Ok(None);
    };
    let principal = rm_principal(options).unwrap_or_default();
    AcceptorCredential::from_keytab(&principal, &k.keytab)
        .map(Some)
        .map_err(|e| ClusterError::Options(format!("RM Kerberos login as {principal}: {e}")))
}

/// `yarn.resourcemanager.principal` with `_HOST` replaced, when the cluster is secure.
fn rm_principal(options: &MiniClusterOptions) -> Option<String> {
    let k = options.kerberos.as_ref()?;
    Some(replace_host(
        &k.principal,
        &canonical_host_here(&options.host),
    ))
}

fn yarn_site(
    o: &MiniClusterOptions,
    rm: SocketAddr,
    scheduler: SocketAddr,
    remote_log_dir: &Path,
) -> Vec<(String, String)> {
    let max = o.max_allocation();
    let liveness_ms = o.am_liveness_expiry.as_millis();
    let log_dir = remote_log_dir.display();
    let props: &[(&str, &dyn std::fmt::Display)] = &[
        ("yarn.resourcemanager.hostname", &o.host),
        ("yarn.resourcemanager.address", &rm),
        ("yarn.resourcemanager.scheduler.address", &scheduler),
        ("yarn.resourcemanager.am.max-attempts", &o.max_app_attempts),
        ("yarn.scheduler.minimum-allocation-mb", &o.min_allocation_mb),
        (
            "yarn.scheduler.minimum-allocation-vcores",
            &o.min_allocation_vcores,
        ),
        ("yarn.scheduler.maximum-allocation-mb", &max.memory_mb),
        ("yarn.scheduler.maximum-allocation-vcores", &max.vcores),
        ("yarn.nodemanager.resource.memory-mb", &o.node_memory_mb),
        ("yarn.nodemanager.resource.cpu-vcores", &o.node_vcores),
        ("yarn.am.liveness-monitor.expiry-interval-ms", &liveness_ms),
        ("yarn.resourcemanager.connect.retry-interval.ms", &500),
        ("yarn.client.nodemanager-connect.retry-interval-ms", &500),
        ("yarn.log-aggregation-enable", &o.log_aggregation),
        ("yarn.nodemanager.remote-app-log-dir", &log_dir),
        (
            "yarn.resourcemanager.max-completed-applications",
            &o.max_completed_apps,
        ),
        (
            "yarn.cluster.max-application-priority",
            &o.max_application_priority,
        ),
    ];
    let mut props: Vec<(String, String)> = props
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(cp) = &o.application_classpath {
        props.push(("yarn.application.classpath".into(), cp.clone()));
    }
    props
}
