//! The ApplicationMaster's whole view of a resource manager.
//!
//! An AM needs four things from the cluster it runs on: to register, to trade its allocator's
//! requests for granted and completed containers on every heartbeat, to unregister with a final
//! status, and to start and stop executors in the containers it was granted. [`ResourceManager`]
//! is those four, in the allocator's plain types, so the AM's loop never sees a wire format.
//!
//! Implementations in this crate: [`crate::yarn::YarnResourceManager`], over YARN's
//! ApplicationMasterProtocol, either through the network (`AmRmClient`, the same code against
//! the embedded cluster and a real Hadoop cluster) or in-process with no sockets (straight into
//! any `ApplicationMasterProtocol` server implementation, for fast tests and benchmarks).
//!
//! Writing another one (a different cluster manager): map registration to whatever announces
//! the application; in [`ResourceManager::allocate`], treat each [`ResourceAsk`] as an
//! *absolute* number of containers wanted at (profile, location, size) — a later ask replaces an
//! earlier one, 0 cancels — release the listed containers, honour the exclusion deltas, and
//! return every container granted or ended since the last call exactly once; report exits with
//! YARN's exit statuses (`spindle_protocol::yarn::records::exit_status`) so the allocator can
//! tell a failure from a preemption. Return [`RmError::NotRegistered`] when the manager lost the
//! AM's state (the AM re-registers and re-sends its whole ask table), and
//! [`RmError::AttemptGone`] when the application was ended from outside.
//!
//! [`ResourceAsk`]: spindle_allocator::ResourceAsk

use std::future::Future;

use spindle_allocator::{AllocateRequest, AllocateResponse, Container, ContainerId, Resource};

use crate::outcome::FinalStatus;

/// What the AM announces when it registers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registration {
    /// The host the AM runs on.
    pub host: String,
    /// A port clients may call the AM on, if it serves one.
    pub rpc_port: Option<u16>,
    /// The AM's web page (the ResourceManager links to it).
    pub tracking_url: Option<String>,
}

/// What the resource manager answers to a registration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registered {
    /// The largest container it grants.
    pub max_capability: Resource,
    /// The queue the application runs in.
    pub queue: Option<String>,
    /// Containers still running from an earlier attempt (work-preserving restart), to adopt.
    pub previous_containers: Vec<Container>,
}

/// One heartbeat's result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allocation {
    /// What the allocator reads.
    pub response: AllocateResponse,
    /// Parts of the reply that could not be used, for the log.
    pub notes: Vec<String>,
}

/// How the AM ends its registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unregistration {
    /// The application's final status.
    pub status: FinalStatus,
    /// Why, for the user.
    pub diagnostics: String,
    /// Where the user finds the application's history, if anywhere.
    pub tracking_url: Option<String>,
}

/// A failed call, sorted by what the AM does next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RmError {
    /// The resource manager no longer knows this AM (it restarted or failed over): register
    /// again and re-send the whole ask table.
    #[error("the resource manager does not know this application master (any more): {0}")]
    NotRegistered(String),
    /// The attempt was ended from outside (killed, expired): stop now.
    #[error("this application attempt is gone: {0}")]
    AttemptGone(String),
    /// The call could not be made or answered (network, timeout, a standby or restarting
    /// resource manager): try again at the next heartbeat.
    #[error("the resource manager could not be reached: {0}")]
    Unavailable(String),
    /// The resource manager refused the call itself (credentials, an invalid request): repeating
    /// it will not help.
    #[error("the resource manager refused the call: {0}")]
    Refused(String),
}

/// Starts and stops executors in granted containers.
pub trait ExecutorStarter: Clone + Send + Sync + 'static {
    /// What an executor needs besides its container (command, environment, files).
    type Launch: Send + Sync + 'static;

    /// Starts `launch` in `container`; resolves once the node accepted it.
    fn start(
        &self,
        container: &Container,
        launch: &Self::Launch,
    ) -> impl Future<Output = Result<(), String>> + Send;

    /// Stops the executor in `container` (best effort: the resource manager also kills it
    /// when the AM releases it).
    fn stop(&self, container: &ContainerId) -> impl Future<Output = Result<(), String>> + Send;

    /// Where the executor's logs can be read while it runs, if the cluster serves them.
    fn log_url(&self, container: &ContainerId) -> Option<String> {
        let _ = container;
        None
    }
}

/// A resource manager, as the ApplicationMaster sees it.
pub trait ResourceManager: Send + 'static {
    /// How this resource manager's containers are started.
    type Starter: ExecutorStarter;

    /// Registers the AM.
    fn register(
        &mut self,
        registration: &Registration,
    ) -> impl Future<Output = Result<Registered, RmError>> + Send;

    /// One heartbeat: sends the allocator's request, returns what changed since the last one.
    fn allocate(
        &mut self,
        request: &AllocateRequest,
    ) -> impl Future<Output = Result<Allocation, RmError>> + Send;

    /// Ends the registration with a final status.
    fn unregister(
        &mut self,
        unregistration: &Unregistration,
    ) -> impl Future<Output = Result<(), RmError>> + Send;

    /// The handle that starts and stops executors in this manager's containers.
    fn starter(&self) -> Self::Starter;
}
