//! The RM's two RPC faces as thin [`spindle_protocol::yarn::server`] trait impls: each call
//! locks the state, runs one method, and carries out the effects it queued.

use std::sync::Arc;

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId};
use spindle_protocol::ipc::{CallContext, ServiceError};
use spindle_protocol::proto::yarn::{ApplicationAttemptIdProto, ApplicationIdProto};
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::YARN_EXCEPTION;
use spindle_protocol::yarn::server::{
    AmCaller, ApplicationClientProtocol, ApplicationMasterProtocol,
};

use super::state::APPLICATION_ID_NOT_PROVIDED;
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
            Ok(GetQueueInfoResponseProto { queue_info: Some(rm.queue_info(&request)?) })
        };

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
