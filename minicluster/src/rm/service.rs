//! The RM's two RPC faces as thin [`spindle_protocol::yarn::server`] trait impls: each call
//! locks the state, runs one method, and carries out the effects it queued.

use std::sync::Arc;

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::ipc::{CallContext, ServiceError};
use spindle_protocol::proto::security::{
    CancelDelegationTokenRequestProto, CancelDelegationTokenResponseProto,
    GetDelegationTokenRequestProto, GetDelegationTokenResponseProto,
    RenewDelegationTokenRequestProto, RenewDelegationTokenResponseProto,
};
use spindle_protocol::proto::yarn::{
    ApplicationAttemptIdProto, ApplicationIdProto, ContainerIdProto, PriorityProto,
};
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::client::UnreadMessage;
use spindle_protocol::yarn::error::YARN_EXCEPTION;
use spindle_protocol::yarn::server::{
    AmCaller, ApplicationClientProtocol, ApplicationMasterProtocol,
};

use super::state::{APPLICATION_ID_NOT_PROVIDED, FEATURE_NOT_ENABLED};
use crate::cluster::Core;

/// The RM's RPC handler (both protocols).
#[derive(Debug, Clone)]
pub struct RmRpc {
    core: Arc<Core>,
}

impl RmRpc {
    /// Serves `core`.
    pub(crate) fn new(core: Arc<Core>) -> Self {
        RmRpc { core }
    }
}

fn app_id(p: Option<&ApplicationIdProto>) -> Result<ApplicationId, ServiceError> {
    let p = p.ok_or_else(|| {
        ServiceError::new(
            APPLICATION_ID_NOT_PROVIDED,
            "the request has no application id",
        )
    })?;
    ApplicationId::from_proto(p)
        .map_err(|e| ServiceError::new(YARN_EXCEPTION, format!("invalid application id: {e}")))
}

fn attempt_id(p: Option<&ApplicationAttemptIdProto>) -> Result<ApplicationAttemptId, ServiceError> {
    let p = p.ok_or_else(|| {
        ServiceError::new(YARN_EXCEPTION, "the request has no application attempt id")
    })?;
    ApplicationAttemptId::from_proto(p).map_err(|e| {
        ServiceError::new(
            YARN_EXCEPTION,
            format!("invalid application attempt id: {e}"),
        )
    })
}

fn container_id(p: Option<&ContainerIdProto>) -> Result<ContainerId, ServiceError> {
    let p =
        p.ok_or_else(|| ServiceError::new(YARN_EXCEPTION, "the request has no container id"))?;
    ContainerId::from_proto(p)
        .map_err(|e| ServiceError::new(YARN_EXCEPTION, format!("invalid container id: {e}")))
}

/// YARN's answer to the resource-profile calls while `yarn.resourcemanager.resource-profiles.enabled`
/// is off (its default, and this RM's setting).
fn profiles_disabled() -> ServiceError {
    ServiceError::new(
        FEATURE_NOT_ENABLED,
        "Resource profile is not enabled, please enable resource profile feature before using its functions. (by setting yarn.resourcemanager.resource-profiles.enabled to true)",
    )
}

/// YARN's answer to the calls that make reservations when the reservation system is off (its
/// default, and this RM's setting); listing them answers an empty list.
fn reservations_disabled() -> ServiceError {
    ServiceError::new(
        YARN_EXCEPTION,
        "Reservation is not enabled. Please enable & try again",
    )
}

/// YARN's answer to delegation-token calls on a cluster without Kerberos: tokens are issued,
/// renewed and cancelled only for Kerberos-authenticated callers.
fn simple_auth_refusal(what: &str) -> ServiceError {
    ServiceError::new(
        YARN_EXCEPTION,
        format!(
            "java.io.IOException: Delegation Token can be {what} only with kerberos authentication"
        ),
    )
}

/// Implements a protocol trait for [`RmRpc`] from a table, one row per RPC: the method, the
/// bindings of its caller and request, its reply type, and its body. The body runs with the
/// RM state locked (`rm`) at the time `now`; the effects it queued are carried out after the
/// lock is released (see `Core::with_rm`).
macro_rules! rm_rpcs {
    (
        impl $protocol:ident for RmRpc, caller: $Caller:ty;
        $(
            fn $method:ident($caller:pat, $request:ident: $Request:ty) -> $Reply:ty =
                |$rm:ident, $now:pat_param| $body:expr;
        )*
    ) => {
        impl $protocol for RmRpc {
            $(
                async fn $method(
                    &self,
                    $caller: $Caller,
                    $request: $Request,
                ) -> Result<$Reply, ServiceError> {
                    self.core.with_rm(|$rm, $now| $body)
                }
            )*
        }
    };
}

rm_rpcs! {
    impl ApplicationClientProtocol for RmRpc, caller: CallContext;

    fn get_new_application(_, _request: GetNewApplicationRequestProto)
        -> GetNewApplicationResponseProto = |rm, _now| Ok(rm.new_application());

    fn submit_application(ctx, request: SubmitApplicationRequestProto)
        -> SubmitApplicationResponseProto = |rm, now| {
            let submission = request.application_submission_context.ok_or_else(|| {
                let what = "the request has no application submission context";
                ServiceError::new(YARN_EXCEPTION, what)
            })?;
            rm.submit(&ctx.user, submission, now)?;
            Ok(SubmitApplicationResponseProto {})
        };

    fn get_application_report(_, request: GetApplicationReportRequestProto)
        -> GetApplicationReportResponseProto = |rm, _now| {
            let report = rm.report(&app_id(request.application_id.as_ref())?)?;
            Ok(GetApplicationReportResponseProto { application_report: Some(report) })
        };

    fn get_applications(_, request: GetApplicationsRequestProto)
        -> GetApplicationsResponseProto = |rm, _now| {
            Ok(GetApplicationsResponseProto { applications: rm.applications(&request) })
        };

    fn force_kill_application(_, request: KillApplicationRequestProto)
        -> KillApplicationResponseProto = |rm, now| {
            let id = app_id(request.application_id.as_ref())?;
            let done = rm.kill(&id, request.diagnostics.as_deref(), now)?;
            Ok(KillApplicationResponseProto { is_kill_completed: Some(done) })
        };

    fn get_cluster_metrics(_, _request: GetClusterMetricsRequestProto)
        -> GetClusterMetricsResponseProto = |rm, _now| {
            Ok(GetClusterMetricsResponseProto { cluster_metrics: Some(rm.cluster_metrics()) })
        };

    fn get_cluster_nodes(_, request: GetClusterNodesRequestProto)
        -> GetClusterNodesResponseProto = |rm, now| {
            let node_reports = rm.node_reports(&request.node_states, now);
            Ok(GetClusterNodesResponseProto { node_reports })
        };

    fn get_queue_info(_, request: GetQueueInfoRequestProto)
        -> GetQueueInfoResponseProto = |rm, _now| {
            Ok(GetQueueInfoResponseProto { queue_info: rm.queue_info(&request) })
        };

    fn get_queue_user_acls(_, _request: GetQueueUserAclsInfoRequestProto)
        -> GetQueueUserAclsInfoResponseProto = |rm, _now| {
            Ok(GetQueueUserAclsInfoResponseProto { queue_user_acls: rm.queue_user_acls() })
        };

    fn get_container_report(_, request: GetContainerReportRequestProto)
        -> GetContainerReportResponseProto = |rm, _now| {
            let id = container_id(request.container_id.as_ref())?;
            Ok(GetContainerReportResponseProto {
                container_report: Some(rm.container_report_of(id)?),
            })
        };

    fn get_containers(_, request: GetContainersRequestProto)
        -> GetContainersResponseProto = |rm, _now| {
            let attempt = attempt_id(request.application_attempt_id.as_ref())?;
            Ok(GetContainersResponseProto { containers: rm.container_reports(attempt)? })
        };

    fn move_application_across_queues(_, request: MoveApplicationAcrossQueuesRequestProto)
        -> MoveApplicationAcrossQueuesResponseProto = |rm, _now| {
            let id = app_id(Some(&request.application_id))?;
            rm.move_to_queue(&id, &request.target_queue)?;
            Ok(MoveApplicationAcrossQueuesResponseProto {})
        };

    fn update_application_priority(_, request: UpdateApplicationPriorityRequestProto)
        -> UpdateApplicationPriorityResponseProto = |rm, _now| {
            let id = app_id(Some(&request.application_id))?;
            let wanted = request.application_priority.priority.unwrap_or(0);
            let priority = rm.update_priority(&id, wanted)?;
            Ok(UpdateApplicationPriorityResponseProto {
                application_priority: Some(PriorityProto::new(priority)),
            })
        };

    fn update_application_timeouts(_, request: UpdateApplicationTimeoutsRequestProto)
        -> UpdateApplicationTimeoutsResponseProto = |rm, now| rm.update_timeouts(&request, now);

    fn signal_to_container(_, request: SignalContainerRequestProto)
        -> SignalContainerResponseProto = |rm, _now| {
            let id = container_id(Some(&request.container_id))?;
            rm.signal_container(id, request.command)?;
            Ok(SignalContainerResponseProto {})
        };

    fn get_node_to_labels(_, _request: GetNodesToLabelsRequestProto)
        -> GetNodesToLabelsResponseProto = |_rm, _now| Ok(Default::default());

    fn get_labels_to_nodes(_, _request: GetLabelsToNodesRequestProto)
        -> GetLabelsToNodesResponseProto = |_rm, _now| Ok(Default::default());

    fn get_cluster_node_labels(_, _request: GetClusterNodeLabelsRequestProto)
        -> GetClusterNodeLabelsResponseProto = |_rm, _now| Ok(Default::default());

    fn get_cluster_node_attributes(_, _request: GetClusterNodeAttributesRequestProto)
        -> GetClusterNodeAttributesResponseProto = |_rm, _now| Ok(Default::default());

    fn get_attributes_to_nodes(_, _request: GetAttributesToNodesRequestProto)
        -> GetAttributesToNodesResponseProto = |_rm, _now| Ok(Default::default());

    fn get_nodes_to_attributes(_, _request: GetNodesToAttributesRequestProto)
        -> GetNodesToAttributesResponseProto = |_rm, _now| Ok(Default::default());

    fn get_resource_type_info(_, _request: GetAllResourceTypeInfoRequestProto)
        -> GetAllResourceTypeInfoResponseProto = |rm, _now| {
            Ok(GetAllResourceTypeInfoResponseProto { resource_type_info: rm.resource_types() })
        };

    fn get_resource_profiles(_, _request: GetAllResourceProfilesRequestProto)
        -> GetAllResourceProfilesResponseProto = |_rm, _now| Err(profiles_disabled());

    fn get_resource_profile(_, _request: GetResourceProfileRequestProto)
        -> GetResourceProfileResponseProto = |_rm, _now| Err(profiles_disabled());

    fn get_delegation_token(_, _request: GetDelegationTokenRequestProto)
        -> GetDelegationTokenResponseProto = |_rm, _now| Err(simple_auth_refusal("issued"));

    fn renew_delegation_token(_, _request: RenewDelegationTokenRequestProto)
        -> RenewDelegationTokenResponseProto = |_rm, _now| Err(simple_auth_refusal("renewed"));

    fn cancel_delegation_token(_, _request: CancelDelegationTokenRequestProto)
        -> CancelDelegationTokenResponseProto = |_rm, _now| Err(simple_auth_refusal("cancelled"));

    fn get_new_reservation(_, _request: UnreadMessage)
        -> UnreadMessage = |_rm, _now| Err(reservations_disabled());

    fn submit_reservation(_, _request: UnreadMessage)
        -> UnreadMessage = |_rm, _now| Err(reservations_disabled());

    fn update_reservation(_, _request: UnreadMessage)
        -> UnreadMessage = |_rm, _now| Err(reservations_disabled());

    fn delete_reservation(_, _request: UnreadMessage)
        -> UnreadMessage = |_rm, _now| Err(reservations_disabled());

    // No reservation exists: the answer is an empty list.
    fn list_reservations(_, _request: UnreadMessage)
        -> UnreadMessage = |_rm, _now| Ok(UnreadMessage {});

    fn get_application_attempt_report(_, request: GetApplicationAttemptReportRequestProto)
        -> GetApplicationAttemptReportResponseProto = |rm, _now| {
            let id = attempt_id(request.application_attempt_id.as_ref())?;
            let application_attempt_report = Some(rm.attempt_report(id)?);
            Ok(GetApplicationAttemptReportResponseProto { application_attempt_report })
        };

    fn get_application_attempts(_, request: GetApplicationAttemptsRequestProto)
        -> GetApplicationAttemptsResponseProto = |rm, _now| {
            let attempts = rm.attempt_reports(&app_id(request.application_id.as_ref())?)?;
            Ok(GetApplicationAttemptsResponseProto { application_attempts: attempts })
        };

    fn fail_application_attempt(_, request: FailApplicationAttemptRequestProto)
        -> FailApplicationAttemptResponseProto = |rm, now| {
            rm.fail_attempt(attempt_id(request.application_attempt_id.as_ref())?, now)?;
            Ok(FailApplicationAttemptResponseProto {})
        };
}

// The scheduler port authenticated the caller with its attempt's AMRMToken.
rm_rpcs! {
    impl ApplicationMasterProtocol for RmRpc, caller: AmCaller;

    fn register_application_master(caller, request: RegisterApplicationMasterRequestProto)
        -> RegisterApplicationMasterResponseProto =
        |rm, now| rm.register(caller.attempt_id(), &request, now);

    fn allocate(caller, request: AllocateRequestProto)
        -> AllocateResponseProto =
        |rm, now| rm.allocate(caller.attempt_id(), &request, now);

    fn finish_application_master(caller, request: FinishApplicationMasterRequestProto)
        -> FinishApplicationMasterResponseProto =
        |rm, now| rm.finish(caller.attempt_id(), &request, now);
}
