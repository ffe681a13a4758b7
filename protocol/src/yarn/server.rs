//! Server side of the YARN protocols: one trait per protocol with one async method per RPC,
//! and adapters ([`AmService`], [`NmService`], [`ClientService`]) that implement
//! [`crate::ipc::Service`].
//!
//! An adapter, for each call: rejects unknown methods (`RpcNoSuchMethodException`,
//! `ERROR_NO_SUCH_METHOD`), decodes the request (`RpcServerException` when it cannot),
//! enforces per-call authentication, calls the trait and encodes the reply.
//!
//! Per-call authentication, as the real RM and NM do it:
//! * ApplicationMasterProtocol: the connection must be TOKEN-authenticated with an
//!   AMRMTokenIdentifier whose user is the caller, else
//!   `org.apache.hadoop.yarn.exceptions.YarnException` "No AMRMToken found for user X" (the class
//!   a real RM uses; clients sort it into [`YarnError::AccessDenied`](super::YarnError)).
//! * ContainerManagementProtocol: likewise with an NMTokenIdentifier ("Invalid NMToken").
//! * ApplicationClientProtocol: any authenticated caller (SIMPLE included).

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use futures::future::BoxFuture;
use prost::Message;

use crate::ids::{ApplicationAttemptId, NodeId};
use crate::ipc::{CallContext, CallerAuth, Service, ServiceError};
use crate::proto::yarn::ContainerIdProto;
use crate::proto::yarn_service::*;
use crate::token::{AmRmTokenIdentifier, NmTokenIdentifier};
use crate::yarn::error::YARN_EXCEPTION;
use crate::yarn::{
    APPLICATION_CLIENT_PROTOCOL, APPLICATION_MASTER_PROTOCOL, CONTAINER_MANAGEMENT_PROTOCOL,
};

/// The error a default (unimplemented) RPC returns.
pub fn unsupported(method: &str) -> ServiceError {
    ServiceError::new(
        YARN_EXCEPTION,
        format!("{method} is not supported by this server"),
    )
}

fn decode<M: Message + Default>(method: &str, request: &Bytes) -> Result<M, ServiceError> {
    M::decode(request.as_ref()).map_err(|e| ServiceError::bad_request(method, e))
}

fn encode<M: Message>(reply: M) -> Bytes {
    Bytes::from(reply.encode_to_vec())
}

/// Decodes the request, authenticates the caller, runs the RPC and encodes the reply.
macro_rules! rpc {
    ($inner:ident . $func:ident, $method:expr, $request:expr, $caller:expr) => {{
        let req = decode($method, &$request)?;
        let caller = $caller?;
        Ok(encode($inner.$func(caller, req).await?))
    }};
}

// ---------------------------------------------------------------------------------------------
// ApplicationMasterProtocol
// ---------------------------------------------------------------------------------------------

/// An AM caller whose AMRMToken was verified.
#[derive(Debug, Clone)]
pub struct AmCaller {
    /// The AMRMToken identifier the connection authenticated with.
    pub identifier: AmRmTokenIdentifier,
    /// The call context.
    pub ctx: CallContext,
}

impl AmCaller {
    /// The calling attempt.
    pub fn attempt_id(&self) -> ApplicationAttemptId {
        self.identifier.attempt_id
    }
}

fn am_caller(ctx: CallContext) -> Result<AmCaller, ServiceError> {
    if let CallerAuth::Token { identifier } = &ctx.auth
        && let Ok(id) = AmRmTokenIdentifier::decode(identifier)
        && id.user() == ctx.user
    {
        return Ok(AmCaller {
            identifier: id,
            ctx,
        });
    }
    // A real RM throws `RPCUtil.getRemoteException(message)`, i.e. a plain YarnException.
    Err(ServiceError::new(
        YARN_EXCEPTION,
        format!("No AMRMToken found for user {}", ctx.user),
    ))
}

/// The RM side of ApplicationMasterProtocol.
pub trait ApplicationMasterProtocol: Send + Sync + 'static {
    /// `registerApplicationMaster`.
    fn register_application_master(
        &self,
        caller: AmCaller,
        request: RegisterApplicationMasterRequestProto,
    ) -> impl Future<Output = Result<RegisterApplicationMasterResponseProto, ServiceError>> + Send;

    /// `allocate`.
    fn allocate(
        &self,
        caller: AmCaller,
        request: AllocateRequestProto,
    ) -> impl Future<Output = Result<AllocateResponseProto, ServiceError>> + Send;

    /// `finishApplicationMaster`.
    fn finish_application_master(
        &self,
        caller: AmCaller,
        request: FinishApplicationMasterRequestProto,
    ) -> impl Future<Output = Result<FinishApplicationMasterResponseProto, ServiceError>> + Send;
}

/// [`Service`] adapter for an [`ApplicationMasterProtocol`] implementation.
pub struct AmService<T> {
    inner: Arc<T>,
}

impl<T: ApplicationMasterProtocol> AmService<T> {
    /// Serves `inner`.
    pub fn new(inner: Arc<T>) -> Self {
        AmService { inner }
    }
}

impl<T: ApplicationMasterProtocol> Service for AmService<T> {
    fn protocol_name(&self) -> &str {
        APPLICATION_MASTER_PROTOCOL
    }

    fn call(
        &self,
        ctx: CallContext,
        method: &str,
        request: Bytes,
    ) -> BoxFuture<'static, Result<Bytes, ServiceError>> {
        let inner = self.inner.clone();
        let method = method.to_string();
        Box::pin(async move {
            let m = method.as_str();
            match m {
                "registerApplicationMaster" => {
                    rpc!(
                        inner.register_application_master,
                        m,
                        request,
                        am_caller(ctx)
                    )
                }
                "allocate" => rpc!(inner.allocate, m, request, am_caller(ctx)),
                "finishApplicationMaster" => {
                    rpc!(inner.finish_application_master, m, request, am_caller(ctx))
                }
                _ => Err(ServiceError::no_such_method(APPLICATION_MASTER_PROTOCOL, m)),
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// ContainerManagementProtocol
// ---------------------------------------------------------------------------------------------

/// An NM caller whose NMToken was verified.
#[derive(Debug, Clone)]
pub struct NmCaller {
    /// The NMToken identifier the connection authenticated with.
    pub identifier: NmTokenIdentifier,
    /// The call context.
    pub ctx: CallContext,
}

impl NmCaller {
    /// The calling attempt.
    pub fn attempt_id(&self) -> ApplicationAttemptId {
        self.identifier.attempt_id
    }

    /// The node the NMToken was issued for.
    pub fn node_id(&self) -> &NodeId {
        &self.identifier.node_id
    }
}

fn nm_caller(ctx: CallContext) -> Result<NmCaller, ServiceError> {
    if let CallerAuth::Token { identifier } = &ctx.auth
        && let Ok(id) = NmTokenIdentifier::decode(identifier)
        && id.user() == ctx.user
    {
        return Ok(NmCaller {
            identifier: id,
            ctx,
        });
    }
    // A real NM throws `RPCUtil.getRemoteException("Invalid NMToken")`: a plain YarnException.
    Err(ServiceError::new(
        YARN_EXCEPTION,
        format!("Invalid NMToken: no NMToken found for user {}", ctx.user),
    ))
}

/// The NM side of ContainerManagementProtocol. The three calls an AM needs are required; the
/// others answer "not supported" unless implemented.
pub trait ContainerManagementProtocol: Send + Sync + 'static {
    /// `startContainers`.
    fn start_containers(
        &self,
        caller: NmCaller,
        request: StartContainersRequestProto,
    ) -> impl Future<Output = Result<StartContainersResponseProto, ServiceError>> + Send;

    /// `stopContainers`.
    fn stop_containers(
        &self,
        caller: NmCaller,
        request: StopContainersRequestProto,
    ) -> impl Future<Output = Result<StopContainersResponseProto, ServiceError>> + Send;

    /// `getContainerStatuses`.
    fn get_container_statuses(
        &self,
        caller: NmCaller,
        request: GetContainerStatusesRequestProto,
    ) -> impl Future<Output = Result<GetContainerStatusesResponseProto, ServiceError>> + Send;

    /// `signalToContainer`.
    fn signal_to_container(
        &self,
        caller: NmCaller,
        request: SignalContainerRequestProto,
    ) -> impl Future<Output = Result<SignalContainerResponseProto, ServiceError>> + Send {
        let _ = (caller, request);
        async { Err(unsupported("signalToContainer")) }
    }

    /// `increaseContainersResource`.
    fn increase_containers_resource(
        &self,
        caller: NmCaller,
        request: IncreaseContainersResourceRequestProto,
    ) -> impl Future<Output = Result<IncreaseContainersResourceResponseProto, ServiceError>> + Send
    {
        let _ = (caller, request);
        async { Err(unsupported("increaseContainersResource")) }
    }

    /// `updateContainer`.
    fn update_container(
        &self,
        caller: NmCaller,
        request: ContainerUpdateRequestProto,
    ) -> impl Future<Output = Result<ContainerUpdateResponseProto, ServiceError>> + Send {
        let _ = (caller, request);
        async { Err(unsupported("updateContainer")) }
    }

    /// `localize`.
    fn localize(
        &self,
        caller: NmCaller,
        request: ResourceLocalizationRequestProto,
    ) -> impl Future<Output = Result<ResourceLocalizationResponseProto, ServiceError>> + Send {
        let _ = (caller, request);
        async { Err(unsupported("localize")) }
    }

    /// `reInitializeContainer`.
    fn re_initialize_container(
        &self,
        caller: NmCaller,
        request: ReInitializeContainerRequestProto,
    ) -> impl Future<Output = Result<ReInitializeContainerResponseProto, ServiceError>> + Send {
        let _ = (caller, request);
        async { Err(unsupported("reInitializeContainer")) }
    }

    /// `restartContainer`.
    fn restart_container(
        &self,
        caller: NmCaller,
        request: ContainerIdProto,
    ) -> impl Future<Output = Result<RestartContainerResponseProto, ServiceError>> + Send {
        let _ = (caller, request);
        async { Err(unsupported("restartContainer")) }
    }

    /// `rollbackLastReInitialization`.
    fn rollback_last_re_initialization(
        &self,
        caller: NmCaller,
        request: ContainerIdProto,
    ) -> impl Future<Output = Result<RollbackResponseProto, ServiceError>> + Send {
        let _ = (caller, request);
        async { Err(unsupported("rollbackLastReInitialization")) }
    }

    /// `commitLastReInitialization`.
    fn commit_last_re_initialization(
        &self,
        caller: NmCaller,
        request: ContainerIdProto,
    ) -> impl Future<Output = Result<CommitResponseProto, ServiceError>> + Send {
        let _ = (caller, request);
        async { Err(unsupported("commitLastReInitialization")) }
    }

    /// `getLocalizationStatuses`.
    fn get_localization_statuses(
        &self,
        caller: NmCaller,
        request: GetLocalizationStatusesRequestProto,
    ) -> impl Future<Output = Result<GetLocalizationStatusesResponseProto, ServiceError>> + Send
    {
        let _ = (caller, request);
        async { Err(unsupported("getLocalizationStatuses")) }
    }
}

/// [`Service`] adapter for a [`ContainerManagementProtocol`] implementation.
pub struct NmService<T> {
    inner: Arc<T>,
}

impl<T: ContainerManagementProtocol> NmService<T> {
    /// Serves `inner`.
    pub fn new(inner: Arc<T>) -> Self {
        NmService { inner }
    }
}

impl<T: ContainerManagementProtocol> Service for NmService<T> {
    fn protocol_name(&self) -> &str {
        CONTAINER_MANAGEMENT_PROTOCOL
    }

    fn call(
        &self,
        ctx: CallContext,
        method: &str,
        request: Bytes,
    ) -> BoxFuture<'static, Result<Bytes, ServiceError>> {
        let inner = self.inner.clone();
        let method = method.to_string();
        Box::pin(async move {
            let m = method.as_str();
            match m {
                "startContainers" => rpc!(inner.start_containers, m, request, nm_caller(ctx)),
                "stopContainers" => rpc!(inner.stop_containers, m, request, nm_caller(ctx)),
                "getContainerStatuses" => {
                    rpc!(inner.get_container_statuses, m, request, nm_caller(ctx))
                }
                "signalToContainer" => {
                    rpc!(inner.signal_to_container, m, request, nm_caller(ctx))
                }
                "increaseContainersResource" => {
                    rpc!(
                        inner.increase_containers_resource,
                        m,
                        request,
                        nm_caller(ctx)
                    )
                }
                "updateContainer" => rpc!(inner.update_container, m, request, nm_caller(ctx)),
                "localize" => rpc!(inner.localize, m, request, nm_caller(ctx)),
                "reInitializeContainer" => {
                    rpc!(inner.re_initialize_container, m, request, nm_caller(ctx))
                }
                "restartContainer" => rpc!(inner.restart_container, m, request, nm_caller(ctx)),
                "rollbackLastReInitialization" => {
                    rpc!(
                        inner.rollback_last_re_initialization,
                        m,
                        request,
                        nm_caller(ctx)
                    )
                }
                "commitLastReInitialization" => {
                    rpc!(
                        inner.commit_last_re_initialization,
                        m,
                        request,
                        nm_caller(ctx)
                    )
                }
                "getLocalizationStatuses" => {
                    rpc!(inner.get_localization_statuses, m, request, nm_caller(ctx))
                }
                _ => Err(ServiceError::no_such_method(
                    CONTAINER_MANAGEMENT_PROTOCOL,
                    m,
                )),
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// ApplicationClientProtocol
// ---------------------------------------------------------------------------------------------

/// The RM side of ApplicationClientProtocol. The calls a client needs are required; the others
/// answer "not supported" unless implemented.
pub trait ApplicationClientProtocol: Send + Sync + 'static {
    /// `getNewApplication`.
    fn get_new_application(
        &self,
        ctx: CallContext,
        request: GetNewApplicationRequestProto,
    ) -> impl Future<Output = Result<GetNewApplicationResponseProto, ServiceError>> + Send;

    /// `submitApplication`.
    fn submit_application(
        &self,
        ctx: CallContext,
        request: SubmitApplicationRequestProto,
    ) -> impl Future<Output = Result<SubmitApplicationResponseProto, ServiceError>> + Send;

    /// `getApplicationReport`.
    fn get_application_report(
        &self,
        ctx: CallContext,
        request: GetApplicationReportRequestProto,
    ) -> impl Future<Output = Result<GetApplicationReportResponseProto, ServiceError>> + Send;

    /// `getApplications`.
    fn get_applications(
        &self,
        ctx: CallContext,
        request: GetApplicationsRequestProto,
    ) -> impl Future<Output = Result<GetApplicationsResponseProto, ServiceError>> + Send;

    /// `forceKillApplication`.
    fn force_kill_application(
        &self,
        ctx: CallContext,
        request: KillApplicationRequestProto,
    ) -> impl Future<Output = Result<KillApplicationResponseProto, ServiceError>> + Send;

    /// `getClusterMetrics`.
    fn get_cluster_metrics(
        &self,
        ctx: CallContext,
        request: GetClusterMetricsRequestProto,
    ) -> impl Future<Output = Result<GetClusterMetricsResponseProto, ServiceError>> + Send;

    /// `getClusterNodes`.
    fn get_cluster_nodes(
        &self,
        ctx: CallContext,
        request: GetClusterNodesRequestProto,
    ) -> impl Future<Output = Result<GetClusterNodesResponseProto, ServiceError>> + Send;

    /// `getQueueInfo`.
    fn get_queue_info(
        &self,
        ctx: CallContext,
        request: GetQueueInfoRequestProto,
    ) -> impl Future<Output = Result<GetQueueInfoResponseProto, ServiceError>> + Send;

    /// `getApplicationAttemptReport`.
    fn get_application_attempt_report(
        &self,
        ctx: CallContext,
        request: GetApplicationAttemptReportRequestProto,
    ) -> impl Future<Output = Result<GetApplicationAttemptReportResponseProto, ServiceError>> + Send
    {
        let _ = (ctx, request);
        async { Err(unsupported("getApplicationAttemptReport")) }
    }

    /// `getApplicationAttempts`.
    fn get_application_attempts(
        &self,
        ctx: CallContext,
        request: GetApplicationAttemptsRequestProto,
    ) -> impl Future<Output = Result<GetApplicationAttemptsResponseProto, ServiceError>> + Send
    {
        let _ = (ctx, request);
        async { Err(unsupported("getApplicationAttempts")) }
    }

    /// `getContainerReport`.
    fn get_container_report(
        &self,
        ctx: CallContext,
        request: GetContainerReportRequestProto,
    ) -> impl Future<Output = Result<GetContainerReportResponseProto, ServiceError>> + Send {
        let _ = (ctx, request);
        async { Err(unsupported("getContainerReport")) }
    }

    /// `getContainers`.
    fn get_containers(
        &self,
        ctx: CallContext,
        request: GetContainersRequestProto,
    ) -> impl Future<Output = Result<GetContainersResponseProto, ServiceError>> + Send {
        let _ = (ctx, request);
        async { Err(unsupported("getContainers")) }
    }

    /// `failApplicationAttempt`.
    fn fail_application_attempt(
        &self,
        ctx: CallContext,
        request: FailApplicationAttemptRequestProto,
    ) -> impl Future<Output = Result<FailApplicationAttemptResponseProto, ServiceError>> + Send
    {
        let _ = (ctx, request);
        async { Err(unsupported("failApplicationAttempt")) }
    }

    /// `moveApplicationAcrossQueues`.
    fn move_application_across_queues(
        &self,
        ctx: CallContext,
        request: MoveApplicationAcrossQueuesRequestProto,
    ) -> impl Future<Output = Result<MoveApplicationAcrossQueuesResponseProto, ServiceError>> + Send
    {
        let _ = (ctx, request);
        async { Err(unsupported("moveApplicationAcrossQueues")) }
    }

    /// `updateApplicationPriority`.
    fn update_application_priority(
        &self,
        ctx: CallContext,
        request: UpdateApplicationPriorityRequestProto,
    ) -> impl Future<Output = Result<UpdateApplicationPriorityResponseProto, ServiceError>> + Send
    {
        let _ = (ctx, request);
        async { Err(unsupported("updateApplicationPriority")) }
    }

    /// `signalToContainer`.
    fn signal_to_container(
        &self,
        ctx: CallContext,
        request: SignalContainerRequestProto,
    ) -> impl Future<Output = Result<SignalContainerResponseProto, ServiceError>> + Send {
        let _ = (ctx, request);
        async { Err(unsupported("signalToContainer")) }
    }

    /// `getQueueUserAcls`.
    fn get_queue_user_acls(
        &self,
        ctx: CallContext,
        request: GetQueueUserAclsInfoRequestProto,
    ) -> impl Future<Output = Result<GetQueueUserAclsInfoResponseProto, ServiceError>> + Send {
        let _ = (ctx, request);
        async { Err(unsupported("getQueueUserAcls")) }
    }
}

/// [`Service`] adapter for an [`ApplicationClientProtocol`] implementation.
pub struct ClientService<T> {
    inner: Arc<T>,
}

impl<T: ApplicationClientProtocol> ClientService<T> {
    /// Serves `inner`.
    pub fn new(inner: Arc<T>) -> Self {
        ClientService { inner }
    }
}

impl<T: ApplicationClientProtocol> Service for ClientService<T> {
    fn protocol_name(&self) -> &str {
        APPLICATION_CLIENT_PROTOCOL
    }

    fn call(
        &self,
        ctx: CallContext,
        method: &str,
        request: Bytes,
    ) -> BoxFuture<'static, Result<Bytes, ServiceError>> {
        let inner = self.inner.clone();
        let method = method.to_string();
        Box::pin(async move {
            let m = method.as_str();
            let ok = Ok::<_, ServiceError>(ctx);
            match m {
                "getNewApplication" => rpc!(inner.get_new_application, m, request, ok),
                "submitApplication" => rpc!(inner.submit_application, m, request, ok),
                "getApplicationReport" => rpc!(inner.get_application_report, m, request, ok),
                "getApplications" => rpc!(inner.get_applications, m, request, ok),
                "forceKillApplication" => rpc!(inner.force_kill_application, m, request, ok),
                "getClusterMetrics" => rpc!(inner.get_cluster_metrics, m, request, ok),
                "getClusterNodes" => rpc!(inner.get_cluster_nodes, m, request, ok),
                "getQueueInfo" => rpc!(inner.get_queue_info, m, request, ok),
                "getApplicationAttemptReport" => {
                    rpc!(inner.get_application_attempt_report, m, request, ok)
                }
                "getApplicationAttempts" => rpc!(inner.get_application_attempts, m, request, ok),
                "getContainerReport" => rpc!(inner.get_container_report, m, request, ok),
                "getContainers" => rpc!(inner.get_containers, m, request, ok),
                "failApplicationAttempt" => rpc!(inner.fail_application_attempt, m, request, ok),
                "moveApplicationAcrossQueues" => {
                    rpc!(inner.move_application_across_queues, m, request, ok)
                }
                "updateApplicationPriority" => {
                    rpc!(inner.update_application_priority, m, request, ok)
                }
                "signalToContainer" => rpc!(inner.signal_to_container, m, request, ok),
                "getQueueUserAcls" => rpc!(inner.get_queue_user_acls, m, request, ok),
                _ => Err(ServiceError::no_such_method(APPLICATION_CLIENT_PROTOCOL, m)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::rpc::RpcErrorCodeProto;
    use crate::yarn::error::YARN_EXCEPTION;

    /// Answers every call with an empty reply and counts the calls that got through.
    #[derive(Default)]
    struct Counting {
        calls: std::sync::atomic::AtomicUsize,
    }

    impl Counting {
        fn hit(&self) {
            self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    impl ApplicationMasterProtocol for Counting {
        async fn register_application_master(
            &self,
            _c: AmCaller,
            _r: RegisterApplicationMasterRequestProto,
        ) -> Result<RegisterApplicationMasterResponseProto, ServiceError> {
            self.hit();
            Ok(Default::default())
        }
        async fn allocate(
            &self,
            c: AmCaller,
            _r: AllocateRequestProto,
        ) -> Result<AllocateResponseProto, ServiceError> {
            self.hit();
            Ok(AllocateResponseProto {
                response_id: Some(c.attempt_id().attempt_id),
                ..Default::default()
            })
        }
        async fn finish_application_master(
            &self,
            _c: AmCaller,
            _r: FinishApplicationMasterRequestProto,
        ) -> Result<FinishApplicationMasterResponseProto, ServiceError> {
            self.hit();
            Ok(Default::default())
        }
    }

    fn ctx(user: &str, auth: CallerAuth) -> CallContext {
        CallContext {
            user: user.into(),
            auth,
            protocol: APPLICATION_MASTER_PROTOCOL.into(),
            peer: "127.0.0.1:1".parse().unwrap(),
            call_id: 0,
            client_id: vec![0; 16],
        }
    }

    fn token_ctx() -> CallContext {
        let id = AmRmTokenIdentifier {
            attempt_id: "appattempt_1_0002_000003".parse().unwrap(),
            key_id: 1,
        };
        ctx(
            &id.user(),
            CallerAuth::Token {
                identifier: id.encode(),
            },
        )
    }

    #[tokio::test]
    async fn am_adapter_orders_method_decode_auth_call() {
        let inner = Arc::new(Counting::default());
        let svc = AmService::new(inner.clone());
        assert_eq!(svc.protocol_name(), APPLICATION_MASTER_PROTOCOL);

        let err = svc
            .call(token_ctx(), "nope", Bytes::new())
            .await
            .unwrap_err();
        assert_eq!(err.code, RpcErrorCodeProto::ErrorNoSuchMethod as i32);

        let err = svc
            .call(token_ctx(), "allocate", Bytes::from_static(&[0x0a, 0x7f]))
            .await
            .unwrap_err();
        assert_eq!(err.code, RpcErrorCodeProto::ErrorRpcServer as i32, "{err}");

        let err = svc
            .call(ctx("mallory", CallerAuth::Simple), "allocate", Bytes::new())
            .await
            .unwrap_err();
        assert_eq!(err.class_name, YARN_EXCEPTION);
        assert_eq!(err.message, "No AMRMToken found for user mallory");

        // A token whose user is not the connection's user is not accepted either.
        let mut wrong_user = token_ctx();
        wrong_user.user = "appattempt_1_0002_000004".into();
        assert!(
            svc.call(wrong_user, "allocate", Bytes::new())
                .await
                .is_err()
        );
        // An NMToken identifier is not an AMRMToken identifier.
        let nm = NmTokenIdentifier {
            attempt_id: "appattempt_1_0002_000003".parse().unwrap(),
            node_id: NodeId::new("h", 1),
            app_submitter: "u".into(),
            key_id: 1,
        };
        let nm_ctx = ctx(
            &nm.user(),
            CallerAuth::Token {
                identifier: nm.encode(),
            },
        );
        let err = svc
            .call(nm_ctx, "allocate", Bytes::new())
            .await
            .unwrap_err();
        assert_eq!(err.class_name, YARN_EXCEPTION);
        assert_eq!(inner.calls.load(std::sync::atomic::Ordering::SeqCst), 0);

        let reply = svc
            .call(token_ctx(), "allocate", Bytes::new())
            .await
            .unwrap();
        let resp = AllocateResponseProto::decode(reply.as_ref()).unwrap();
        assert_eq!(
            resp.response_id,
            Some(3),
            "the trait saw the token's attempt"
        );
        assert_eq!(inner.calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn garbage_requests_never_reach_the_implementation() {
        let inner = Arc::new(Counting::default());
        let svc = AmService::new(inner.clone());
        let mut seed: u32 = 12345;
        for len in 0..200usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (seed >> 16) as u8
                })
                .collect();
            for method in [
                "registerApplicationMaster",
                "allocate",
                "finishApplicationMaster",
            ] {
                // Either a clean decode (then the call runs) or a bad-request error; no panic.
                if let Err(e) = svc
                    .call(token_ctx(), method, Bytes::from(bytes.clone()))
                    .await
                {
                    assert_eq!(e.code, RpcErrorCodeProto::ErrorRpcServer as i32, "{e}");
                }
            }
        }
    }
}
