//! The AM's NodeManager client: starts, stops and queries containers on the nodes they were
//! allocated on, over ContainerManagementProtocol with each node's NMToken.
//!
//! * NMTokens are kept per node service (`ip:port`) for the whole attempt; a newer token for a
//!   node replaces the old one ([`NmLauncher::update_tokens`], fed from every allocate response).
//! * One client per NodeManager, reused by every start, stop and status call: one connection and
//!   one SASL handshake, not one per call. A new NMToken for the node gets a new client; an idle
//!   connection is closed after `idle_timeout` and a broken one is dropped, and either is opened
//!   again on the next call. At most `max_clients` clients are kept (the least recently used is
//!   closed first; the `clients` module).
//! * A call whose connection was lost under it is sent once more on a new connection, as
//!   Hadoop's NM proxy retries on a broken connection. A start that did run the first time is
//!   then refused as a duplicate by the NodeManager, so a container is never started twice.
//! * At most `max_concurrent` launches talk to NodeManagers at once (Spark's
//!   `spark.yarn.containerLauncherMaxThreads`, 25); each call is bounded by `launch_timeout`.
//! * Every accepted launch ends in exactly one [`LaunchEvent`]: started, or failed with the reason
//!   (so the allocator can release the container).

mod clients;
mod event;

use spindle_protocol::sasl::qop::Qop;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use spindle_protocol::ids::{ContainerId, NodeId};
use spindle_protocol::ipc::{ClientConfig, IpcError, RetryPolicy};
use spindle_protocol::proto::yarn::{
    ContainerIdProto, ContainerLaunchContextProto, ContainerProto, ContainerStatusProto,
};
use spindle_protocol::proto::yarn_service::{
    ContainerExceptionMapProto, GetContainerStatusesRequestProto, NMTokenProto,
    StartContainerRequestProto, StartContainersRequestProto, StopContainersRequestProto,
};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::nm::ContainerManagerClient;
use spindle_protocol::yarn::{CONTAINER_MANAGEMENT_PROTOCOL, YarnError, token_auth};
use tokio::sync::{Semaphore, mpsc};
use tracing::debug;

use clients::NodeClients;
pub use event::{LaunchEvent, NmCallError};

/// How the launcher talks to NodeManagers.
#[derive(Debug, Clone)]
pub struct NmLauncherConfig {
    /// Launches in flight at once (Spark: `spark.yarn.containerLauncherMaxThreads` = 25).
    pub max_concurrent: usize,
    /// The most one call (connect, SASL, `startContainers`) may take.
    pub launch_timeout: Duration,
    /// TCP connect timeout per attempt.
    pub connect_timeout: Duration,
    /// Connection attempts per call.
    pub connect_attempts: u32,
    /// The user named if a NodeManager offers only SIMPLE authentication.
    pub user: String,
    /// NodeManager clients kept at once (Hadoop's `yarn.client.max-nodemanagers-proxies`, 500).
    pub max_clients: usize,
    /// A connection with no call for this long is closed (Hadoop's
    /// `ipc.client.connection.maxidletime`, 10 s); the next call opens a new one.
    pub idle_timeout: Duration,
    /// The SASL protection NodeManagers ask for (`hadoop.rpc.protection`).
    pub qop: Vec<Qop>,
}

impl Default for NmLauncherConfig {
    fn default() -> Self {
        NmLauncherConfig {
            max_concurrent: 25,
            launch_timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(20),
            connect_attempts: 3,
            user: "spindle".into(),
            max_clients: 500,
            idle_timeout: Duration::from_secs(10),
            qop: vec![Qop::Auth],
        }
    }
}

/// Starts and stops containers on NodeManagers for one application attempt.
#[derive(Debug)]
pub struct NmLauncher {
    config: NmLauncherConfig,
    clients: Mutex<NodeClients>,
    permits: Arc<Semaphore>,
    events: mpsc::UnboundedSender<LaunchEvent>,
}

impl NmLauncher {
    /// A launcher and the channel its [`LaunchEvent`]s arrive on.
    pub fn new(
        config: NmLauncherConfig,
    ) -> (Arc<NmLauncher>, mpsc::UnboundedReceiver<LaunchEvent>) {
        let (events, rx) = mpsc::unbounded_channel();
        let permits = Arc::new(Semaphore::new(config.max_concurrent.max(1)));
        let clients = Mutex::new(NodeClients::new(config.max_clients));
        (
            Arc::new(NmLauncher {
                config,
                clients,
                permits,
                events,
            }),
            rx,
        )
    }

    fn clients(&self) -> MutexGuard<'_, NodeClients> {
        self.clients.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores the NMTokens of an allocate (or register) response; a token for a node that already
    /// has one replaces it (and, from the next call on, the node's client). Returns how many were
    /// stored.
    pub fn update_tokens(&self, nm_tokens: &[NMTokenProto]) -> usize {
        self.clients().update_tokens(nm_tokens)
    }

    /// How many nodes have an NMToken.
    pub fn known_nodes(&self) -> usize {
        self.clients().known_nodes()
    }

    /// How many NodeManager clients are kept (at most `max_clients`).
    pub fn cached_clients(&self) -> usize {
        self.clients().len()
    }

    /// How many launches hold a launch slot now (at most `max_concurrent`).
    pub fn launches_in_flight(&self) -> usize {
        self.config.max_concurrent.max(1) - self.permits.available_permits()
    }

    /// Starts `clc` in `container` in the background (waiting for a launch slot first); the result
    /// arrives as a [`LaunchEvent`]. A record without a well-formed container id or node is refused
    /// at once, with no event.
    pub fn launch(
        self: &Arc<Self>,
        container: ContainerProto,
        clc: ContainerLaunchContextProto,
    ) -> Result<tokio::task::JoinHandle<()>, NmCallError> {
        let target = Target::of(&container)?;
        let container_id = ContainerId::from_proto(&target.id)
            .map_err(|e| NmCallError::Malformed(e.to_string()))?;
        let node = target.node;
        let this = self.clone();
        Ok(tokio::spawn(async move {
            let result = match this.permits.clone().acquire_owned().await {
                Ok(_permit) => this.start_container(&container, clc).await,
                Err(_) => Err(NmCallError::NoAnswer),
            };
            let event = match result {
                Ok(()) => LaunchEvent::Started { container_id, node },
                Err(error) => LaunchEvent::Failed {
                    container_id,
                    node,
                    error,
                },
            };
            let _ = this.events.send(event);
        }))
    }

    /// Starts one container now (no launch slot, no event), within the launch timeout.
    pub async fn start_container(
        &self,
        container: &ContainerProto,
        clc: ContainerLaunchContextProto,
    ) -> Result<(), NmCallError> {
        let target = Target::of(container)?;
        let token = container
            .container_token
            .clone()
            .ok_or(NmCallError::Incomplete("container token"))?;
        let request = &StartContainersRequestProto {
            start_container_request: vec![StartContainerRequestProto {
                container_launch_context: Some(clc),
                container_token: Some(token),
            }],
        };
        let response = self
            .call(&target.node, |c| async move {
                c.start_containers(request).await
            })
            .await?;
        if response.succeeded_requests.contains(&target.id) {
            return Ok(());
        }
        Err(target.failure(&response.failed_requests))
    }

    /// Asks the container's NodeManager to stop it (it completes with −105).
    pub async fn stop_container(&self, container: &ContainerProto) -> Result<(), NmCallError> {
        let target = Target::of(container)?;
        let request = &StopContainersRequestProto {
            container_id: vec![target.id.clone()],
        };
        let response = self
            .call(
                &target.node,
                |c| async move { c.stop_containers(request).await },
            )
            .await?;
        if response.succeeded_requests.contains(&target.id) {
            return Ok(());
        }
        Err(target.failure(&response.failed_requests))
    }

    /// The container's status as its NodeManager reports it.
    pub async fn container_status(
        &self,
        container: &ContainerProto,
    ) -> Result<ContainerStatusProto, NmCallError> {
        let target = Target::of(container)?;
        let request = &GetContainerStatusesRequestProto {
            container_id: vec![target.id.clone()],
        };
        let response = self
            .call(&target.node, |c| async move {
                c.get_container_statuses(request).await
            })
            .await?;
        match response
            .status
            .into_iter()
            .find(|s| s.container_id.as_ref() == Some(&target.id))
        {
            Some(status) => Ok(status),
            None => Err(target.failure(&response.failed_requests)),
        }
    }

    /// Runs one call on `node`'s client within the launch timeout, once more on a new connection
    /// if the connection was lost under it.
    async fn call<T, F>(
        &self,
        node: &NodeId,
        call: impl Fn(ContainerManagerClient) -> F,
    ) -> Result<T, NmCallError>
    where
        F: Future<Output = Result<T, YarnError>>,
    {
        let timeout = self.config.launch_timeout;
        let attempts = async {
            let client = self.client_for(node).await?;
            match call(client.clone()).await {
                Err(YarnError::Transport(IpcError::ConnectionLost(why))) => {
                    debug!(%node, %why, "connection to the NodeManager lost; calling again on a new one");
                    Ok(call(client).await?)
                }
                result => Ok(result?),
            }
        };
        tokio::time::timeout(timeout, attempts)
            .await
            .map_err(|_| NmCallError::Timeout(timeout))?
    }

    /// The client for `node`, authenticated with its NMToken: the kept one, or a new one. The
    /// token is looked up by the node's `host:port` and by every `ip:port` the host resolves to
    /// (NMToken services are `ip:port`).
    async fn client_for(&self, node: &NodeId) -> Result<ContainerManagerClient, NmCallError> {
        if let Some(client) = self.clients().cached(node) {
            return Ok(client);
        }
        let addr = node.to_string();
        let mut services = vec![addr.clone()];
        if let Ok(Ok(resolved)) = tokio::time::timeout(
            self.config.connect_timeout,
            tokio::net::lookup_host(addr.clone()),
        )
        .await
        {
            for sa in resolved {
                let s = spindle_protocol::token::token_service_for(sa);
                if !services.contains(&s) {
                    services.push(s);
                }
            }
        }
        let mut clients = self.clients();
        let Some(token) = clients.token_of(&services).cloned() else {
            return Err(NmCallError::NoNmToken {
                node: addr,
                services,
            });
        };
        Ok(clients.insert(node, services, token, |t| self.new_client(addr, t)))
    }

    fn new_client(&self, addr: String, token: &Token) -> ContainerManagerClient {
        let mut config = ClientConfig::new(
            addr,
            CONTAINER_MANAGEMENT_PROTOCOL,
            token_auth(token, self.config.user.clone()),
        );
        config.connect_timeout = self.config.connect_timeout;
        // The launch timeout (around the whole call) decides; the IPC layer's own limit is a backstop.
        config.call_timeout = self.config.launch_timeout + Duration::from_secs(5);
        config.max_idle = self.config.idle_timeout;
        config.qop = self.config.qop.clone();
        config.retry = RetryPolicy {
            max_attempts: self.config.connect_attempts.max(1),
            ..RetryPolicy::default()
        };
        ContainerManagerClient::new(config)
    }
}

/// What a call needs from a container record: the container's id and its node.
struct Target {
    id: ContainerIdProto,
    node: NodeId,
}

impl Target {
    fn of(container: &ContainerProto) -> Result<Target, NmCallError> {
        let id = container
            .id
            .clone()
            .ok_or(NmCallError::Incomplete("container id"))?;
        let node = container
            .node_id
            .as_ref()
            .ok_or(NmCallError::Incomplete("node id"))?;
        let node = NodeId::from_proto(node).map_err(|e| NmCallError::Malformed(e.to_string()))?;
        Ok(Target { id, node })
    }

    /// Why a batch call did not succeed for this container: the NodeManager's per-container
    /// exception, or [`NmCallError::NoAnswer`] when it did not mention the container at all.
    fn failure(&self, failed: &[ContainerExceptionMapProto]) -> NmCallError {
        let Some(failure) = failed
            .iter()
            .find(|f| f.container_id.as_ref() == Some(&self.id))
        else {
            return NmCallError::NoAnswer;
        };
        let e = failure.exception.as_ref();
        NmCallError::Refused {
            class: e
                .and_then(|e| e.class_name.clone())
                .unwrap_or_else(|| "unknown".into()),
            message: e.and_then(|e| e.message.clone()).unwrap_or_default(),
        }
    }
}
