//! [`NodeManager`]: one embedded NM — its container table, its local runner, and the link that
//! reports container starts and exits to the RM.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use spindle_base::recent::{RecentMap, RecentSet};
use spindle_launcher::{
    ContainerSpec, ContainerState, LocalRunner, RunnerConfig, StopOutcome, StopReason,
};
use spindle_protocol::ids::{ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::IpcServer;
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, ContainerStateProto, ContainerStatusProto, ExecutionTypeProto,
    SignalContainerCommandProto, StringStringMapProto,
};
use spindle_protocol::token::ContainerTokenIdentifier;
use spindle_protocol::yarn::error::YARN_EXCEPTION;
use spindle_protocol::yarn::records::exit_status;
use tokio::sync::{Notify, mpsc};
use tracing::{debug, warn};

use crate::resources::Resources;
use crate::rm::tokens::ClusterSecrets;

/// What an NM tells the RM (in process; real NMs heartbeat).
#[derive(Debug, Clone)]
pub enum NodeEvent {
    /// A container started on the node.
    Started {
        /// The container.
        container: ContainerId,
    },
    /// A container finished (or could not start).
    Exited {
        /// The container.
        container: ContainerId,
        /// YARN exit status.
        exit_status: i32,
        /// Diagnostics.
        diagnostics: String,
    },
    /// The node is done with an ended application's logs (`ok`: aggregated, or it had none).
    LogsAggregated {
        /// The application.
        app: ApplicationId,
        /// Whether its file was written (or there was nothing to write).
        ok: bool,
    },
}

/// A refused container start or stop: Java class and message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{class_name}: {message}")]
pub struct NmRefusal {
    /// Java exception class.
    pub class_name: String,
    /// Message.
    pub message: String,
}

fn refusal(message: String) -> NmRefusal {
    NmRefusal {
        class_name: YARN_EXCEPTION.into(),
        message,
    }
}

/// A container as its node keeps it while its application runs.
#[derive(Debug, Clone)]
pub struct NmContainer {
    /// Its resources.
    pub resource: Resources,
    /// The user it runs as.
    pub user: String,
    /// When it was started (ms).
    pub started_ms: i64,
    /// Its exit status and diagnostics, once it ended.
    pub exit: Option<(i32, String)>,
}

/// How many ended applications a node remembers (it refuses their containers).
const FINISHED_APPS_KEPT: usize = 10_000;
/// How many containers of ended applications a node still answers about.
const ENDED_CONTAINERS_KEPT: usize = 10_000;

/// How long `stopContainers` waits for the stopped containers to be gone.
const STOP_WAIT: Duration = Duration::from_secs(5);
/// How long an application's cleanup waits for its containers.
const FINISH_WAIT: Duration = Duration::from_secs(10);

/// One embedded NodeManager.
#[derive(Debug)]
pub struct NodeManager {
    index: usize,
    node_id: NodeId,
    secrets: ClusterSecrets,
    pmem_check: bool,
    runner: Mutex<Option<Arc<LocalRunner>>>,
    containers: Mutex<HashMap<ContainerId, NmContainer>>,
    ended: Mutex<RecentMap<ContainerId, NmContainer>>,
    finished_apps: Mutex<RecentSet<ApplicationId>>,
    events: mpsc::UnboundedSender<(usize, NodeEvent)>,
    exited: Notify,
    server: Mutex<Option<IpcServer>>,
    web: Mutex<Option<super::web::NodeWebServer>>,
    shutdown_lock: tokio::sync::Mutex<()>,
    up: AtomicBool,
    local_dir: PathBuf,
    log_dir: PathBuf,
    http_port: u16,
    remote_log_dir: Option<PathBuf>,
    started_ms: i64,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// What a node needs to start.
#[derive(Debug, Clone)]
pub struct NodeSetup {
    /// Node index in the cluster.
    pub index: usize,
    /// Node id (`host:port` of its IPC port, already bound).
    pub node_id: NodeId,
    /// Cluster secrets.
    pub secrets: ClusterSecrets,
    /// Local folder.
    pub local_dir: PathBuf,
    /// Log folder.
    pub log_dir: PathBuf,
    /// Variables passed to containers that do not set them (JAVA_HOME, HADOOP_CONF_DIR, ...).
    pub env_passthrough: Vec<(String, String)>,
    /// SIGTERM → SIGKILL delay.
    pub kill_grace: Duration,
    /// Whether memory limits are enforced.
    pub pmem_check: bool,
    /// Keep finished work folders.
    pub keep_container_dirs: bool,
    /// The node's web port (`NM_HTTP_PORT`), 0 when it serves none.
    pub http_port: u16,
    /// `yarn.nodemanager.remote-app-log-dir`: where ended applications' logs are aggregated.
    pub remote_log_dir: Option<PathBuf>,
}

impl NodeManager {
    /// Starts the node's runner and its exit-forwarding task.
    pub fn start(
        setup: NodeSetup,
        events: mpsc::UnboundedSender<(usize, NodeEvent)>,
    ) -> Result<Arc<NodeManager>, String> {
        for d in [&setup.local_dir, &setup.log_dir] {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        let mut config =
            RunnerConfig::new(vec![setup.local_dir.clone()], vec![setup.log_dir.clone()]);
        config.node_host = setup.node_id.host.clone();
        config.node_port = u16::try_from(setup.node_id.port).unwrap_or(0);
        config.node_http_port = setup.http_port;
        config.kill_grace = setup.kill_grace;
        config.keep_container_dirs = setup.keep_container_dirs;
        if !setup.pmem_check {
            config.memory_check_interval = Duration::ZERO;
        }
        for (k, v) in &setup.env_passthrough {
            config.env_passthrough.retain(|(key, _)| key != k);
            config.env_passthrough.push((k.clone(), v.clone()));
        }
        let (runner, mut exits) = LocalRunner::new(config).map_err(|e| e.to_string())?;
        let nm = Arc::new(NodeManager {
            index: setup.index,
            node_id: setup.node_id,
            secrets: setup.secrets,
            pmem_check: setup.pmem_check,
            runner: Mutex::new(Some(Arc::new(runner))),
            containers: Mutex::new(HashMap::new()),
            ended: Mutex::new(RecentMap::new(ENDED_CONTAINERS_KEPT)),
            finished_apps: Mutex::new(RecentSet::new(FINISHED_APPS_KEPT)),
            events,
            exited: Notify::new(),
            server: Mutex::new(None),
            web: Mutex::new(None),
            shutdown_lock: tokio::sync::Mutex::new(()),
            up: AtomicBool::new(true),
            local_dir: setup.local_dir,
            log_dir: setup.log_dir,
            http_port: setup.http_port,
            remote_log_dir: setup.remote_log_dir,
            started_ms: crate::cluster::now_ms(),
        });
        let weak = Arc::downgrade(&nm);
        tokio::spawn(async move {
            while let Some(exit) = exits.recv().await {
                let Some(nm) = weak.upgrade() else {
                    break;
                };
                let Ok(id) = exit.id.parse::<ContainerId>() else {
                    warn!(id = %exit.id, "runner reported an unparsable container id");
                    continue;
                };
                nm.record_exit(id, exit.exit_status, exit.diagnostics);
            }
        });
        Ok(nm)
    }

    /// Node index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Node id.
    pub fn node_id(&self) -> &NodeId {
        &self.node_id
    }

    /// The cluster secrets (container-token checks).
    pub fn secrets(&self) -> &ClusterSecrets {
        &self.secrets
    }

    /// The node's local folder.
    pub fn local_dir(&self) -> &PathBuf {
        &self.local_dir
    }

    /// The node's log folder (`<log dir>/<appId>/<containerId>/{stdout,stderr}`).
    pub fn log_dir(&self) -> &PathBuf {
        &self.log_dir
    }

    /// Whether containers' memory is checked.
    pub fn pmem_check(&self) -> bool {
        self.pmem_check
    }

    /// Keeps the node's web server (stopped with the node).
    pub fn set_web(&self, web: super::web::NodeWebServer) {
        *lock(&self.web) = Some(web);
    }

    /// The node's web port (0 when it serves none).
    pub fn http_port(&self) -> u16 {
        self.http_port
    }

    /// The node's web address (`host:port`).
    pub fn http_address(&self) -> String {
        format!("{}:{}", self.node_id.host, self.http_port)
    }

    /// When the node started (ms).
    pub fn started_ms(&self) -> i64 {
        self.started_ms
    }

    /// The containers of applications that have not ended, with what the node knows of them.
    pub fn containers(&self) -> Vec<(ContainerId, NmContainer)> {
        let mut v: Vec<(ContainerId, NmContainer)> = lock(&self.containers)
            .iter()
            .map(|(id, c)| (*id, c.clone()))
            .collect();
        v.sort_by_key(|(id, _)| *id);
        v
    }

    /// One container, if the node knows it (containers of ended applications are remembered
    /// for a while).
    pub fn container(&self, id: &ContainerId) -> Option<NmContainer> {
        lock(&self.containers)
            .get(id)
            .cloned()
            .or_else(|| lock(&self.ended).get(id).cloned())
    }

    /// Where a known container is in its life (`LOCALIZING`, `RUNNING`, `KILLING`, `DONE`).
    pub fn container_state(&self, id: &ContainerId) -> &'static str {
        if lock(&self.containers)
            .get(id)
            .is_some_and(|c| c.exit.is_some())
        {
            return "DONE";
        }
        match self.runner().and_then(|r| r.status(&id.to_string())) {
            Some(ContainerState::Localizing) => "LOCALIZING",
            Some(ContainerState::Running { .. }) => "RUNNING",
            Some(ContainerState::Killing { .. }) => "KILLING",
            Some(ContainerState::Complete(_)) | None => "DONE",
        }
    }

    /// Whether the node has been told `app` ended.
    pub fn app_finished(&self, app: &ApplicationId) -> bool {
        lock(&self.finished_apps).contains(app)
    }

    /// Whether the node is serving.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::SeqCst)
    }

    /// Keeps the node's IPC server (stopped with the node).
    pub fn set_server(&self, server: IpcServer) {
        *lock(&self.server) = Some(server);
    }

    fn runner(&self) -> Option<Arc<LocalRunner>> {
        lock(&self.runner).clone()
    }

    fn record_exit(&self, id: ContainerId, status: i32, diagnostics: String) {
        if let Some(c) = lock(&self.containers).get_mut(&id) {
            c.exit = Some((status, diagnostics.clone()));
        }
        self.exited.notify_waiters();
        let _ = self.events.send((
            self.index,
            NodeEvent::Exited {
                container: id,
                exit_status: status,
                diagnostics,
            },
        ));
    }

    /// Starts a container whose token was verified (by [`super::container_tokens::verify`], or
    /// issued by the RM itself for an AM container).
    pub fn start_container(
        &self,
        ident: &ContainerTokenIdentifier,
        clc: &ContainerLaunchContextProto,
    ) -> Result<(), NmRefusal> {
        let id = ident.container_id;
        let app = id.application_id();
        if !self.is_up() {
            return Err(refusal(format!(
                "NodeManager {} is shutting down; container {id} refused",
                self.node_id
            )));
        }
        if lock(&self.finished_apps).contains(&app) {
            return Err(refusal(format!(
                "Container {id} rejected as application {app} has already finished"
            )));
        }
        let resource = ident
            .proto
            .resource
            .as_ref()
            .map(Resources::from_proto)
            .unwrap_or_default();
        let user = ident.proto.app_submitter.clone().unwrap_or_default();
        let memory_limit_mb = if self.pmem_check {
            u64::try_from(resource.memory_mb).unwrap_or(0)
        } else {
            0
        };
        let vcores = u32::try_from(resource.vcores).unwrap_or(0);
        let clc = ordered_environment(clc);
        let spec = ContainerSpec::from_launch_context(&clc, &id, &user, memory_limit_mb, vcores)
            .map_err(|e| refusal(format!("Container {id} cannot be launched: {e}")))?;
        {
            let mut table = lock(&self.containers);
            if table.contains_key(&id) {
                return Err(refusal(format!(
                    "Attempt to relaunch the same container with id {id}."
                )));
            }
            let Some(runner) = self.runner() else {
                return Err(refusal(format!("NodeManager {} is stopped", self.node_id)));
            };
            runner
                .start(spec)
                .map_err(|e| refusal(format!("Container {id} cannot be started: {e}")))?;
            table.insert(
                id,
                NmContainer {
                    resource,
                    user,
                    started_ms: crate::cluster::now_ms(),
                    exit: None,
                },
            );
        }
        debug!(node = %self.node_id, container = %id, "container started");
        let _ = self
            .events
            .send((self.index, NodeEvent::Started { container: id }));
        Ok(())
    }

    /// Launches an AM container for the RM; a refusal is reported as the container's exit.
    pub fn launch_am(&self, ident: &ContainerTokenIdentifier, clc: &ContainerLaunchContextProto) {
        if let Err(e) = self.start_container(ident, clc) {
            warn!(node = %self.node_id, container = %ident.container_id, error = %e, "AM container launch failed");
            let _ = self.events.send((
                self.index,
                NodeEvent::Exited {
                    container: ident.container_id,
                    exit_status: exit_status::INVALID,
                    diagnostics: e.message,
                },
            ));
        }
    }

    /// Whether the node knows the container.
    pub fn knows(&self, id: &ContainerId) -> bool {
        lock(&self.containers).contains_key(id) || lock(&self.ended).contains(id)
    }

    /// Asks the runner to stop a container (its exit follows as an event).
    pub fn stop(&self, id: &ContainerId, reason: StopReason) -> StopOutcome {
        match self.runner() {
            Some(r) => r.stop(&id.to_string(), reason),
            None => StopOutcome::Unknown,
        }
    }

    /// Waits (bounded) until every container in `ids` has exited.
    pub async fn wait_exited(&self, ids: &[ContainerId]) {
        let deadline = tokio::time::Instant::now() + STOP_WAIT;
        loop {
            let notified = self.exited.notified();
            let pending = {
                let table = lock(&self.containers);
                ids.iter()
                    .any(|id| table.get(id).is_some_and(|c| c.exit.is_none()))
            };
            if !pending {
                return;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return;
            }
        }
    }

    /// The status of a container this node knows.
    pub fn status(&self, id: &ContainerId) -> Option<ContainerStatusProto> {
        let c = self.container(id)?;
        let (state, status, diagnostics) = match &c.exit {
            Some((s, d)) => (ContainerStateProto::CComplete, *s, d.clone()),
            None => (
                ContainerStateProto::CRunning,
                exit_status::INVALID,
                String::new(),
            ),
        };
        Some(ContainerStatusProto {
            container_id: Some(id.to_proto()),
            state: Some(state as i32),
            diagnostics: Some(diagnostics),
            exit_status: Some(status),
            capability: Some(c.resource.to_proto()),
            execution_type: Some(ExecutionTypeProto::Guaranteed as i32),
            ..Default::default()
        })
    }

    /// The application ended: stop its containers, clean its folders, refuse new ones, move
    /// its containers to the bounded memory of ended ones, and (with `aggregate_logs`) aggregate its logs into the remote log folder
    /// as `user`'s, telling the RM when done.
    pub async fn finish_application(&self, app: ApplicationId, user: &str, aggregate_logs: bool) {
        lock(&self.finished_apps).insert(app);
        let runner = self.runner();
        if let Some(runner) = &runner {
            runner
                .finish_application(&app.to_string(), FINISH_WAIT)
                .await;
        }
        // Its containers move to the bounded memory of ended ones.
        let gone: Vec<(ContainerId, NmContainer)> = {
            let mut table = lock(&self.containers);
            let ids: Vec<ContainerId> = table
                .keys()
                .filter(|id| id.application_id() == app)
                .copied()
                .collect();
            ids.into_iter()
                .filter_map(|id| table.remove(&id).map(|c| (id, c)))
                .collect()
        };
        {
            let mut ended = lock(&self.ended);
            for (id, c) in gone {
                ended.insert(id, c);
            }
        }
        if !aggregate_logs {
            return;
        }
        // A node that is gone has nothing to contribute (its logs stay where they are).
        let ok = match (&self.remote_log_dir, runner.is_some()) {
            (Some(root), true) => {
                let (logs, node, user, root) = (
                    self.log_dir.clone(),
                    self.node_id.clone(),
                    user.to_string(),
                    root.clone(),
                );
                let done = tokio::task::spawn_blocking(move || {
                    crate::logs::aggregate_app(&logs, &app, &node, &user, &root)
                })
                .await;
                match done {
                    Ok(Ok(_)) => true,
                    Ok(Err(e)) => {
                        warn!(node = %self.node_id, %app, error = %e, "log aggregation failed");
                        false
                    }
                    Err(e) => {
                        warn!(node = %self.node_id, %app, error = %e, "log aggregation task failed");
                        false
                    }
                }
            }
            _ => true,
        };
        let _ = self
            .events
            .send((self.index, NodeEvent::LogsAggregated { app, ok }));
    }

    /// Sends a container's processes the signal of `command` (`OUTPUT_THREAD_DUMP` → SIGQUIT,
    /// `GRACEFUL_SHUTDOWN` → SIGTERM, `FORCEFUL_SHUTDOWN` → SIGKILL), to its process group as
    /// YARN's default executor does. `false` if the container is not running here.
    pub fn signal(&self, id: &ContainerId, command: SignalContainerCommandProto) -> bool {
        use nix::sys::signal::{Signal, killpg};
        let Some(ContainerState::Running { pid }) =
            self.runner().and_then(|r| r.status(&id.to_string()))
        else {
            return false;
        };
        let signal = match command {
            SignalContainerCommandProto::OutputThreadDump => Signal::SIGQUIT,
            SignalContainerCommandProto::GracefulShutdown => Signal::SIGTERM,
            SignalContainerCommandProto::ForcefulShutdown => Signal::SIGKILL,
        };
        killpg(nix::unistd::Pid::from_raw(pid), signal).is_ok()
    }

    /// Stops serving: closes the IPC port and stops every container (reported as ABORTED).
    /// Concurrent calls return when the first one has finished.
    pub async fn shutdown(&self) {
        let _serial = self.shutdown_lock.lock().await;
        self.up.store(false, Ordering::SeqCst);
        let server = lock(&self.server).take();
        if let Some(s) = server {
            s.shutdown().await;
        }
        let web = lock(&self.web).take();
        if let Some(w) = web {
            w.shutdown().await;
        }
        let runner = lock(&self.runner).take();
        if let Some(r) = runner {
            r.shutdown(FINISH_WAIT).await;
        }
    }

    /// Kills everything at once (drop path): the runner is dropped, which SIGKILLs every
    /// container.
    pub fn kill_now(&self) {
        self.up.store(false, Ordering::SeqCst);
        drop(lock(&self.server).take());
        drop(lock(&self.web).take());
        drop(lock(&self.runner).take());
    }
}

/// The launch context with its environment in dependency order (see [`super::env_order`]).
fn ordered_environment(clc: &ContainerLaunchContextProto) -> ContainerLaunchContextProto {
    let env: Vec<(String, String)> = clc
        .environment
        .iter()
        .map(|e| {
            (
                e.key.clone().unwrap_or_default(),
                e.value.clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut out = clc.clone();
    out.environment = super::env_order::order_by_dependencies(env)
        .into_iter()
        .map(|(k, v)| StringStringMapProto {
            key: Some(k),
            value: Some(v),
        })
        .collect();
    out
}
