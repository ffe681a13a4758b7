//! The RM's two RPC faces as thin [`spindle_protocol::yarn::server`] trait impls: each call
//! locks the state, runs one method, and carries out the effects it queued.

use std::sync::Arc;

use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId};
use spindle_protocol::ipc::{CallContext, ServiceError};
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::YARN_EXCEPTION;
use spindle_protocol::yarn::server::{
    AmCaller, ApplicationClientProtocol, ApplicationMasterProtocol,
};

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

fn app_id(
    p: Option<&spindle_protocol::proto::yarn::ApplicationIdProto>,
) -> Result<ApplicationId, ServiceError> {
    let p = p.ok_or_else(|| {
        ServiceError::new(
            "org.apache.hadoop.yarn.exceptions.ApplicationIdNotProvidedException",
            "the request has no application id",
        )
    })?;
    ApplicationId::from_proto(p)
        .map_err(|e| ServiceError::new(YARN_EXCEPTION, format!("invalid application id: {e}")))
}

fn attempt_id(
    p: Option<&spindle_protocol::proto::yarn::ApplicationAttemptIdProto>,
) -> Result<ApplicationAttemptId, ServiceError> {
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

impl ApplicationClientProtocol for RmRpc {
    async fn get_new_application(
        &self,
        _ctx: CallContext,
        _request: GetNewApplicationRequestProto,
    ) -> Result<GetNewApplicationResponseProto, ServiceError> {
        Ok(self.core.with_rm(|rm, _| rm.new_application()))
    }

    async fn submit_application(
        &self,
        ctx: CallContext,
        request: SubmitApplicationRequestProto,
    ) -> Result<SubmitApplicationResponseProto, ServiceError> {
        let sub = request.application_submission_context.ok_or_else(|| {
            ServiceError::new(
                YARN_EXCEPTION,
                "the request has no application submission context",
            )
        })?;
        self.core
            .with_rm(|rm, now| rm.submit(&ctx.user, sub, now))?;
        Ok(SubmitApplicationResponseProto {})
    }

    async fn get_application_report(
        &self,
        _ctx: CallContext,
        request: GetApplicationReportRequestProto,
    ) -> Result<GetApplicationReportResponseProto, ServiceError> {
        let id = app_id(request.application_id.as_ref())?;
        let report = self.core.with_rm(|rm, _| rm.report(&id))?;
        Ok(GetApplicationReportResponseProto {
            application_report: Some(report),
        })
    }

    async fn get_applications(
        &self,
        _ctx: CallContext,
        request: GetApplicationsRequestProto,
    ) -> Result<GetApplicationsResponseProto, ServiceError> {
        Ok(GetApplicationsResponseProto {
            applications: self.core.with_rm(|rm, _| rm.applications(&request)),
        })
    }

    async fn force_kill_application(
        &self,
        _ctx: CallContext,
        request: KillApplicationRequestProto,
    ) -> Result<KillApplicationResponseProto, ServiceError> {
        let id = app_id(request.application_id.as_ref())?;
        let done = self
            .core
            .with_rm(|rm, now| rm.kill(&id, request.diagnostics.as_deref(), now))?;
        Ok(KillApplicationResponseProto {
            is_kill_completed: Some(done),
        })
    }

    async fn get_cluster_metrics(
        &self,
        _ctx: CallContext,
        _request: GetClusterMetricsRequestProto,
    ) -> Result<GetClusterMetricsResponseProto, ServiceError> {
        Ok(GetClusterMetricsResponseProto {
            cluster_metrics: Some(self.core.with_rm(|rm, _| rm.cluster_metrics())),
        })
    }

    async fn get_cluster_nodes(
        &self,
        _ctx: CallContext,
        request: GetClusterNodesRequestProto,
    ) -> Result<GetClusterNodesResponseProto, ServiceError> {
        Ok(GetClusterNodesResponseProto {
            node_reports: self
                .core
                .with_rm(|rm, now| rm.node_reports(&request.node_states, now)),
        })
    }

    async fn get_queue_info(
        &self,
        _ctx: CallContext,
        request: GetQueueInfoRequestProto,
    ) -> Result<GetQueueInfoResponseProto, ServiceError> {
        let info = self.core.with_rm(|rm, _| rm.queue_info(&request))?;
        Ok(GetQueueInfoResponseProto {
            queue_info: Some(info),
        })
    }

    async fn get_application_attempt_report(
        &self,
        _ctx: CallContext,
        request: GetApplicationAttemptReportRequestProto,
    ) -> Result<GetApplicationAttemptReportResponseProto, ServiceError> {
        let id = attempt_id(request.application_attempt_id.as_ref())?;
        let report = self.core.with_rm(|rm, _| rm.attempt_report(id))?;
        Ok(GetApplicationAttemptReportResponseProto {
            application_attempt_report: Some(report),
        })
    }

    async fn get_application_attempts(
        &self,
        _ctx: CallContext,
        request: GetApplicationAttemptsRequestProto,
    ) -> Result<GetApplicationAttemptsResponseProto, ServiceError> {
        let id = app_id(request.application_id.as_ref())?;
        Ok(GetApplicationAttemptsResponseProto {
            application_attempts: self.core.with_rm(|rm, _| rm.attempt_reports(&id))?,
        })
    }

    async fn fail_application_attempt(
        &self,
        _ctx: CallContext,
        request: FailApplicationAttemptRequestProto,
    ) -> Result<FailApplicationAttemptResponseProto, ServiceError> {
        let id = attempt_id(request.application_attempt_id.as_ref())?;
        self.core.with_rm(|rm, now| rm.fail_attempt(id, now))?;
        Ok(FailApplicationAttemptResponseProto {})
    }
}

impl ApplicationMasterProtocol for RmRpc {
    async fn register_application_master(
        &self,
        caller: AmCaller,
        request: RegisterApplicationMasterRequestProto,
    ) -> Result<RegisterApplicationMasterResponseProto, ServiceError> {
        let id = caller.attempt_id();
        self.core.with_rm(|rm, now| rm.register(id, &request, now))
    }

    async fn allocate(
        &self,
        caller: AmCaller,
        request: AllocateRequestProto,
    ) -> Result<AllocateResponseProto, ServiceError> {
        let id = caller.attempt_id();
        self.core.with_rm(|rm, now| rm.allocate(id, &request, now))
    }

    async fn finish_application_master(
        &self,
        caller: AmCaller,
        request: FinishApplicationMasterRequestProto,
    ) -> Result<FinishApplicationMasterResponseProto, ServiceError> {
        let id = caller.attempt_id();
        self.core.with_rm(|rm, now| rm.finish(id, &request, now))
    }
}
