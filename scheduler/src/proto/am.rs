//! `spindle.scheduler.AmProtocol`: the service the AM serves and the driver calls (Spark's
//! `YarnSchedulerBackend` → `AMEndpoint` messages). The driver learns the address from the
//! AM's `registerClusterManager` call.

use super::common::{ExecutorLossReasonProto, ResourceProfileProto};

/// Pending tasks that prefer one host.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct HostTaskCountProto {
    /// f1: the host.
    #[prost(string, tag = "1")]
    pub host: String,
    /// f2: how many pending tasks prefer it.
    #[prost(uint32, tag = "2")]
    pub tasks: u32,
}

/// The driver's wish for one resource profile.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct ProfileTargetProto {
    /// f1: the profile (defined in this request's `profiles` or an earlier one).
    #[prost(uint32, tag = "1")]
    pub profile_id: u32,
    /// f2: the total number of executors wanted (running + starting + pending).
    #[prost(uint32, tag = "2")]
    pub total: u32,
    /// f3: pending tasks that have a preferred host.
    #[prost(uint32, tag = "3")]
    pub locality_aware_tasks: u32,
    /// f4: pending tasks per preferred host.
    #[prost(message, repeated, tag = "4")]
    pub host_task_counts: Vec<HostTaskCountProto>,
}

/// `requestExecutors` request (Spark's `RequestExecutors`): absolute totals, never deltas,
/// so a lost or repeated call does no harm. An empty `targets` list sets every target to 0
/// (the driver is stopping; SPARK-12009).
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct RequestExecutorsRequestProto {
    /// f1: totals and locality hints per profile.
    #[prost(message, repeated, tag = "1")]
    pub targets: Vec<ProfileTargetProto>,
    /// f2: hosts the driver's scheduler excludes (replaces the previous set).
    #[prost(string, repeated, tag = "2")]
    pub excluded_nodes: Vec<String>,
    /// f3: definitions of the profiles named in `targets`; the AM adds profiles it does not
    /// know and ignores ones it does (a profile never changes once defined).
    #[prost(message, repeated, tag = "3")]
    pub profiles: Vec<ResourceProfileProto>,
}

/// `requestExecutors` reply.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct RequestExecutorsResponseProto {
    /// f1: false while the AM cannot take targets yet (its allocator is not built); the
    /// driver retries on its next change or revive.
    #[prost(bool, tag = "1")]
    pub accepted: bool,
}

/// `killExecutors` request (Spark's `KillExecutors`); idempotent.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct KillExecutorsRequestProto {
    /// f1: the executors to stop (their containers are released).
    #[prost(string, repeated, tag = "1")]
    pub executor_ids: Vec<String>,
}

/// `killExecutors` reply.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct KillExecutorsResponseProto {
    /// f1: the ids the AM did not know (already gone or never allocated).
    #[prost(string, repeated, tag = "1")]
    pub unknown_executor_ids: Vec<String>,
}

/// `getExecutorLossReason` request (Spark's `GetExecutorLossReason`). The AM answers when it
/// knows the reason (after its next allocate for a still-running container); the driver
/// bounds the wait with its call timeout. An executor the AM never knew is an RPC error.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct GetExecutorLossReasonRequestProto {
    /// f1: the executor.
    #[prost(string, tag = "1")]
    pub executor_id: String,
}

/// `getExecutorLossReason` reply.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct GetExecutorLossReasonResponseProto {
    /// f1: the reason.
    #[prost(message, optional, tag = "1")]
    pub reason: Option<ExecutorLossReasonProto>,
}

/// `updateDelegationTokens` request (Spark's `UpdateDelegationTokens`): client mode forwards
/// the driver's renewed tokens to the AM.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct UpdateDelegationTokensRequestProto {
    /// f1: a credentials file's bytes (`HDTS`, format 0 or 1), bounded by
    /// `limits::MAX_CREDENTIALS_BYTES`.
    #[prost(bytes = "vec", tag = "1")]
    pub credentials: Vec<u8>,
}

/// `shutdown` request (Spark's `Shutdown`): the driver is stopping cleanly; later container
/// exits are not the application's fault and a disconnect after it is not a failure.
#[derive(Clone, PartialEq, Eq, prost::Message)]
pub struct ShutdownRequestProto {
    /// f1: whether the application succeeded, as the driver sees it.
    #[prost(bool, tag = "1")]
    pub succeeded: bool,
    /// f2: diagnostics for the final status.
    #[prost(string, tag = "2")]
    pub diagnostics: String,
}
