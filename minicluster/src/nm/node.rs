//! [`NodeManager`]: one embedded NM — its container table, its local runner, and the link that
//! reports container starts and exits to the RM.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use spindle_launcher::{ContainerSpec, LocalRunner, RunnerConfig, StopOutcome, StopReason};
use spindle_protocol::ids::{ApplicationId, ContainerId, NodeId};
use spindle_protocol::ipc::IpcServer;
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, ContainerStateProto, ContainerStatusProto, ExecutionTypeProto,
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

#[derive(Debug, Clone)]
struct NmContainer {
    resource: Resources,
    exit: Option<(i32, String)>,
}

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
    finished_apps: Mutex<HashSet<ApplicationId>>,
    events: mpsc::UnboundedSender<(usize, NodeEvent)>,
    exited: Notify,
    server: Mutex<Option<IpcServer>>,
    shutdown_lock: tokio::sync::Mutex<()>,
    up: AtomicBool,
    local_dir: PathBuf,
    log_dir: PathBuf,
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
        config.node_http_port = 0;
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
            finished_apps: Mutex::new(HashSet::new()),
            events,
            exited: Notify::new(),
            server: Mutex::new(None),
            shutdown_lock: tokio::sync::Mutex::new(()),
            up: AtomicBool::new(true),
            local_dir: setup.local_dir,
            log_dir: setup.log_dir,
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
        let spec = ContainerSpec::from_launch_context(clc, &id, &user, memory_limit_mb, vcores)
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
        lock(&self.containers).contains_key(id)
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
        let table = lock(&self.containers);
        let c = table.get(id)?;
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

    /// The application ended: stop its containers, clean its folders, refuse new ones.
    pub async fn finish_application(&self, app: ApplicationId) {
        lock(&self.finished_apps).insert(app);
        if let Some(runner) = self.runner() {
            runner
                .finish_application(&app.to_string(), FINISH_WAIT)
                .await;
        }
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
        drop(lock(&self.runner).take());
    }
}
