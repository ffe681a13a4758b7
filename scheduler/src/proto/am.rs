//! `spindle.scheduler.AmProtocol`: the service the AM serves and the driver calls (Spark's
//! `YarnSchedulerBackend` → `AMEndpoint` messages). The driver learns the address from the
//! AM's `registerClusterManager` call.

use super::common::{ExecutorLossReasonProto, ResourceProfileProto};

spindle_protocol::proto_messages! {
    /// Pending tasks that prefer one host.
    #[derive(Eq)]
    pub struct HostTaskCountProto {
        /// The host.
        1 host: required string,
        /// How many pending tasks prefer it.
        2 tasks: required uint32,
    }

    /// The driver's wish for one resource profile.
    #[derive(Eq)]
    pub struct ProfileTargetProto {
        /// The profile (defined in this request's `profiles` or an earlier one).
        1 profile_id: required uint32,
        /// The total number of executors wanted (running + starting + pending).
        2 total: required uint32,
        /// Pending tasks that have a preferred host.
        3 locality_aware_tasks: required uint32,
        /// Pending tasks per preferred host.
        4 host_task_counts: repeated message(HostTaskCountProto),
    }

    /// `requestExecutors` request (Spark's `RequestExecutors`): absolute totals, never deltas,
    /// so a lost or repeated call does no harm. An empty `targets` list sets every target to 0
    /// (the driver is stopping; SPARK-12009).
    #[derive(Eq)]
    pub struct RequestExecutorsRequestProto {
        /// Totals and locality hints per profile.
        1 targets: repeated message(ProfileTargetProto),
        /// Hosts the driver's scheduler excludes (replaces the previous set).
        2 excluded_nodes: repeated string,
        /// Definitions of the profiles named in `targets`; the AM adds profiles it does not
        /// know and ignores ones it does (a profile never changes once defined).
        3 profiles: repeated message(ResourceProfileProto),
    }

    /// `requestExecutors` reply.
    #[derive(Eq)]
    pub struct RequestExecutorsResponseProto {
        /// False while the AM cannot take targets yet (its allocator is not built); the
        /// driver retries on its next change or revive.
        1 accepted: required bool,
    }

    /// `killExecutors` request (Spark's `KillExecutors`); idempotent.
    #[derive(Eq)]
    pub struct KillExecutorsRequestProto {
        /// The executors to stop (their containers are released).
        1 executor_ids: repeated string,
    }

    /// `killExecutors` reply.
    #[derive(Eq)]
    pub struct KillExecutorsResponseProto {
        /// The ids the AM did not know (already gone or never allocated).
        1 unknown_executor_ids: repeated string,
    }

    /// `getExecutorLossReason` request (Spark's `GetExecutorLossReason`). The AM answers when it
    /// knows the reason (after its next allocate for a still-running container); the driver
    /// bounds the wait with its call timeout. An executor the AM never knew is an RPC error.
    #[derive(Eq)]
    pub struct GetExecutorLossReasonRequestProto {
        /// The executor.
        1 executor_id: required string,
    }

    /// `getExecutorLossReason` reply.
    #[derive(Eq)]
    pub struct GetExecutorLossReasonResponseProto {
        /// The reason.
        1 reason: optional message(ExecutorLossReasonProto),
    }

    /// `updateDelegationTokens` request (Spark's `UpdateDelegationTokens`): client mode forwards
    /// the driver's renewed tokens to the AM.
    #[derive(Eq)]
    pub struct UpdateDelegationTokensRequestProto {
        /// A credentials file's bytes (`HDTS`, format 0 or 1), bounded by
        /// `limits::MAX_CREDENTIALS_BYTES`.
        1 credentials: required bytes,
    }

    /// `shutdown` request (Spark's `Shutdown`): the driver is stopping cleanly; later container
    /// exits are not the application's fault and a disconnect after it is not a failure.
    #[derive(Eq)]
    pub struct ShutdownRequestProto {
        /// Whether the application succeeded, as the driver sees it.
        1 succeeded: required bool,
        /// Diagnostics for the final status.
        2 diagnostics: required string,
    }
}
