//! The AM's NodeManager client: starts, stops and queries containers on the nodes they were
//! allocated on, over ContainerManagementProtocol with each node's NMToken.
//!
//! * NMTokens are cached per node service (`ip:port`) for the whole attempt; a newer token for a node
//!   replaces the old one ([`NmLauncher::update_tokens`], fed from every allocate response).
//! * At most `max_concurrent` launches talk to NodeManagers at once (Spark's
//!   `spark.yarn.containerLauncherMaxThreads`, 25); each is bounded by `launch_timeout`.
//! * Every accepted launch ends in exactly one [`LaunchEvent`]: started, or failed with the reason
//!   (so the allocator can release the container).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use spindle_protocol::ids::{ContainerId, NodeId};
use spindle_protocol::ipc::{ClientConfig, RetryPolicy};
use spindle_protocol::proto::yarn::{
    ContainerIdProto, ContainerLaunchContextProto, ContainerProto, ContainerStatusProto,
    SerializedExceptionProto,
};
use spindle_protocol::proto::yarn_service::{
    ContainerExceptionMapProto, GetContainerStatusesRequestProto, NMTokenProto,
    StartContainerRequestProto, StartContainersRequestProto, StopContainersRequestProto,
};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::nm::{ContainerManagerClient, NmTokenCache};
use spindle_protocol::yarn::{CONTAINER_MANAGEMENT_PROTOCOL, YarnError, token_auth};
use tokio::sync::{Semaphore, mpsc};

/// How the launcher talks to NodeManagers.
#[derive(Debug, Clone)]
pub struct NmLauncherConfig {
    /// Launches in flight at once (Spark: `spark.yarn.containerLauncherMaxThreads` = 25).
    pub max_concurrent: usize,
    /// The most one start (connect, SASL, `startContainers`) may take.
    pub launch_timeout: Duration,
    /// TCP connect timeout per attempt.
    pub connect_timeout: Duration,
    /// Connection attempts per call.
    pub connect_attempts: u32,
    /// The user named if a NodeManager offers only SIMPLE authentication.
    pub user: String,
}

impl Default for NmLauncherConfig {
    fn default() -> Self {
        NmLauncherConfig {
            max_concurrent: 25,
            launch_timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(20),
            connect_attempts: 3,
            user: "spindle".into(),
        }
    }
}

/// The outcome of a launch, one per accepted [`NmLauncher::launch`].
#[derive(Debug)]
pub enum LaunchEvent {
    /// The NodeManager accepted the container.
    Started {
        /// The container.
        container_id: ContainerId,
        /// The node it was started on.
        node: NodeId,
    },
    /// The container was not started; release it.
    Failed {
        /// The container.
        container_id: ContainerId,
        /// The node it was to start on.
        node: NodeId,
        /// What went wrong.
        error: NmCallError,
    },
}

impl LaunchEvent {
    /// The container the event is about.
    pub fn container_id(&self) -> ContainerId {
        match self {
            LaunchEvent::Started { container_id, .. }
            | LaunchEvent::Failed { container_id, .. } => *container_id,
        }
    }

    /// The node the container was to start on.
    pub fn node(&self) -> &NodeId {
        match self {
            LaunchEvent::Started { node, .. } | LaunchEvent::Failed { node, .. } => node,
        }
    }
}

impl std::fmt::Display for LaunchEvent {
    /// One line for the log; a failure reads as Spark's, fit for the container's release reason.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LaunchEvent::Started { container_id, node } => {
                write!(f, "container {container_id} started on {node}")
            }
            LaunchEvent::Failed {
                container_id,
                node,
                error,
            } => write!(
                f,
                "Exception while starting container {container_id} on host {node}: {error}"
            ),
        }
    }
}

/// Why a call to a NodeManager failed.
#[derive(Debug, thiserror::Error)]
pub enum NmCallError {
    /// The container record lacks a field the call needs.
    #[error("the container record has no {0}")]
    Incomplete(&'static str),
    /// The container id or node id in the record is malformed.
    #[error("the container record is malformed: {0}")]
    Malformed(String),
    /// No NMToken is known for the node.
    #[error(
        "no NMToken for node {node} (looked up as {services:?}); the RM sends one with the node's first container"
    )]
    NoNmToken {
        /// The node.
        node: String,
        /// The service strings tried.
        services: Vec<String>,
    },
    /// The call did not finish in time.
    #[error("no answer from the NodeManager within {0:?}")]
    Timeout(Duration),
    /// The NodeManager refused this container.
    #[error("the NodeManager refused the container: {class}: {message}")]
    Refused {
        /// The Java exception class.
        class: String,
        /// The message.
        message: String,
    },
    /// The NodeManager answered without mentioning the container.
    #[error("the NodeManager did not report on the container")]
    NoAnswer,
    /// The RPC failed.
    #[error(transparent)]
    Rpc(#[from] YarnError),
}

/// Starts and stops containers on NodeManagers for one application attempt.
#[derive(Debug)]
pub struct NmLauncher {
    config: NmLauncherConfig,
    tokens: Mutex<NmTokenCache>,
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
        (
            Arc::new(NmLauncher {
                config,
                tokens: Mutex::new(NmTokenCache::new()),
                permits,
                events,
            }),
            rx,
        )
    }

    /// Stores the NMTokens of an allocate (or register) response; a token for a node that already
    /// has one replaces it. Returns how many were stored.
    pub fn update_tokens(&self, nm_tokens: &[NMTokenProto]) -> usize {
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .update(nm_tokens)
    }

    /// How many nodes have an NMToken.
    pub fn known_nodes(&self) -> usize {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Starts `clc` in `container` in the background (waiting for a launch slot first); the result
    /// arrives as a [`LaunchEvent`]. A record without a well-formed container id or node is refused
    /// at once, with no event.
    pub fn launch(
        self: &Arc<Self>,
        container: ContainerProto,
        clc: ContainerLaunchContextProto,
    ) -> Result<tokio::task::JoinHandle<()>, NmCallError> {
        let container_id = ContainerId::from_proto(&id_of(&container)?)
            .map_err(|e| NmCallError::Malformed(e.to_string()))?;
        let node = node_of(&container)?;
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
        let id = id_of(container)?;
        let node = node_of(container)?;
        let token = container
            .container_token
            .clone()
            .ok_or(NmCallError::Incomplete("container token"))?;
        let client = self.client_for(&node).await?;
        let request = StartContainersRequestProto {
            start_container_request: vec![StartContainerRequestProto {
                container_launch_context: Some(clc),
                container_token: Some(token),
            }],
        };
        let response = self.within(client.start_containers(&request)).await?;
        if response.succeeded_requests.contains(&id) {
            return Ok(());
        }
        Err(failure_for(&id, &response.failed_requests))
    }

    /// Asks the container's NodeManager to stop it (it completes with −105).
    pub async fn stop_container(&self, container: &ContainerProto) -> Result<(), NmCallError> {
        let id = id_of(container)?;
        let client = self.client_for(&node_of(container)?).await?;
        let request = StopContainersRequestProto {
            container_id: vec![id.clone()],
        };
        let response = self.within(client.stop_containers(&request)).await?;
        if response.succeeded_requests.contains(&id) {
            return Ok(());
        }
        Err(failure_for(&id, &response.failed_requests))
    }

    /// The container's status as its NodeManager reports it.
    pub async fn container_status(
        &self,
        container: &ContainerProto,
    ) -> Result<ContainerStatusProto, NmCallError> {
        let id = id_of(container)?;
        let client = self.client_for(&node_of(container)?).await?;
        let request = GetContainerStatusesRequestProto {
            container_id: vec![id.clone()],
        };
        let response = self.within(client.get_container_statuses(&request)).await?;
        match response
            .status
            .into_iter()
            .find(|s| s.container_id.as_ref() == Some(&id))
        {
            Some(status) => Ok(status),
            None => Err(failure_for(&id, &response.failed_requests)),
        }
    }

    /// Runs one NodeManager call, giving up after the launch timeout.
    async fn within<T>(
        &self,
        call: impl Future<Output = Result<T, YarnError>>,
    ) -> Result<T, NmCallError> {
        let timeout = self.config.launch_timeout;
        Ok(tokio::time::timeout(timeout, call)
            .await
            .map_err(|_| NmCallError::Timeout(timeout))??)
    }

    /// A client for `node` authenticated with its NMToken. The token is looked up by the node's
    /// `host:port` and by every `ip:port` the host resolves to (NMToken services are `ip:port`).
    async fn client_for(&self, node: &NodeId) -> Result<ContainerManagerClient, NmCallError> {
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
        let token: Option<Token> = {
            let cache = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
            services.iter().find_map(|s| cache.get(s).cloned())
        };
        let token = token.ok_or_else(|| NmCallError::NoNmToken {
            node: addr.clone(),
            services,
        })?;
        let mut config = ClientConfig::new(
            addr,
            CONTAINER_MANAGEMENT_PROTOCOL,
            token_auth(&token, self.config.user.clone()),
        );
        config.connect_timeout = self.config.connect_timeout;
        // The launch timeout (around the whole call) decides; the IPC layer's own limit is a backstop.
        config.call_timeout = self.config.launch_timeout + Duration::from_secs(5);
        config.retry = RetryPolicy {
            max_attempts: self.config.connect_attempts.max(1),
            ..RetryPolicy::default()
        };
        Ok(ContainerManagerClient::new(config))
    }
}

/// Why a batch call did not succeed for `id`: the NodeManager's per-container exception, or
/// [`NmCallError::NoAnswer`] when it did not mention the container at all.
fn failure_for(id: &ContainerIdProto, failed: &[ContainerExceptionMapProto]) -> NmCallError {
    match failed.iter().find(|f| f.container_id.as_ref() == Some(id)) {
        Some(failure) => refused(failure.exception.as_ref()),
        None => NmCallError::NoAnswer,
    }
}

fn refused(e: Option<&SerializedExceptionProto>) -> NmCallError {
    NmCallError::Refused {
        class: e
            .and_then(|e| e.class_name.clone())
            .unwrap_or_else(|| "unknown".into()),
        message: e.and_then(|e| e.message.clone()).unwrap_or_default(),
    }
}

fn id_of(container: &ContainerProto) -> Result<ContainerIdProto, NmCallError> {
    container
        .id
        .clone()
        .ok_or(NmCallError::Incomplete("container id"))
}

fn node_of(container: &ContainerProto) -> Result<NodeId, NmCallError> {
    let node = container
        .node_id
        .as_ref()
        .ok_or(NmCallError::Incomplete("node id"))?;
    NodeId::from_proto(node).map_err(|e| NmCallError::Malformed(e.to_string()))
}
