//! ApplicationClientProtocol inputs: new applications and submissions, reports, kills and
//! failed attempts, and the cluster's node and queue views.

use std::collections::HashSet;

use spindle_launcher::StopReason;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId};
use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::{
    APPLICATION_ATTEMPT_NOT_FOUND, INVALID_RESOURCE_REQUEST, YARN_EXCEPTION,
};

use super::{APPLICATION_ID_NOT_PROVIDED, DEFAULT_QUEUE, RmState, app_not_found, err};
use crate::rm::apps::{AmReported, App, AppState, AttemptState, LogAggregation, Usage};
use crate::rm::queues::Queue;
use spindle_protocol::yarn::resources::Resources;

impl RmState {
    /// `getNewApplication`: a fresh id and the largest container.
    pub fn new_application(&mut self) -> GetNewApplicationResponseProto {
        let id = ApplicationId::new(self.config.cluster_timestamp, self.next_app_id);
        self.next_app_id += 1;
        GetNewApplicationResponseProto {
            application_id: Some(id.to_proto()),
            maximum_capability: Some(self.config.max_allocation.to_proto()),
        }
    }

    /// Refuses a negative resource or one beyond the maximum allocation; `what` names the
    /// request in the message.
    pub(super) fn check_resource(&self, what: &str, r: &Resources) -> Result<(), ServiceError> {
        if let Some(t) = r.negative_type() {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                format!(
                    "Invalid resource request! Cannot allocate containers as requested resource is less than 0! Requested resource type=[{t}], Requested resource={r} ({what})"
                ),
            ));
        }
        if let Some(t) = r.exceeding_type(&self.config.max_allocation) {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                format!(
                    "Invalid resource request! Cannot allocate containers as requested resource is greater than maximum allowed allocation. Requested resource type=[{t}], Requested resource={r}, maximum allowed allocation={} ({what})",
                    self.config.max_allocation
                ),
            ));
        }
        Ok(())
    }

    /// `submitApplication` by `user`.
    pub fn submit(
        &mut self,
        user: &str,
        ctx: ApplicationSubmissionContextProto,
        now_ms: i64,
    ) -> Result<(), ServiceError> {
        let id = match &ctx.application_id {
            Some(p) => ApplicationId::from_proto(p)
                .map_err(|e| err(YARN_EXCEPTION, format!("invalid application id: {e}")))?,
            None => {
                return Err(err(
                    APPLICATION_ID_NOT_PROVIDED,
                    "ApplicationIdNotProvidedException: applicationId is not provided in the submission context",
                ));
            }
        };
        if self.apps.contains_key(&id) {
            return Err(err(
                YARN_EXCEPTION,
                format!("Application with id {id} is already present! Cannot add a duplicate!"),
            ));
        }
        let unmanaged = ctx.unmanaged_am.unwrap_or(false);
        let am_ask = ctx.am_container_resource_request.first();
        let resource = match (am_ask.and_then(|r| r.capability.as_ref()), &ctx.resource) {
            (Some(r), _) | (None, Some(r)) => Resources::from_proto(r),
            (None, None) if unmanaged => Resources::new(0, 0),
            (None, None) => {
                return Err(err(
                    INVALID_RESOURCE_REQUEST,
                    format!(
                        "Invalid resource request, no resources requested for the AM container of {id}"
                    ),
                ));
            }
        };
        self.check_resource("AM container", &resource)?;
        if !unmanaged {
            let clc = ctx.am_container_spec.as_ref().ok_or_else(|| {
                err(
                    YARN_EXCEPTION,
                    format!("Application {id} has no AM container spec"),
                )
            })?;
            clc.credentials().map_err(|e| {
                err(
                    YARN_EXCEPTION,
                    format!("Unable to parse credentials for application {id}: {e}"),
                )
            })?;
            if clc.command.iter().all(|c| c.trim().is_empty()) {
                return Err(err(
                    YARN_EXCEPTION,
                    format!("Application {id} has an AM container spec without a command"),
                ));
            }
        }
        let global = self.config.max_app_attempts;
        let max_attempts = match ctx.max_app_attempts.unwrap_or(0) {
            n if n <= 0 || n > global => global,
            n => n,
        };
        let am_priority = am_ask
            .and_then(|r| r.priority.as_ref())
            .and_then(|p| p.priority)
            .unwrap_or(0);
        let lifetime_expiry_ms = RmState::submitted_lifetime(&ctx, now_ms)?;
        let priority =
            self.capped_priority(ctx.priority.as_ref().and_then(|p| p.priority).unwrap_or(0));
        // A queue the scheduler does not have is not an error of the call: YARN accepts the
        // submission and the application fails at once, saying why.
        let asked_queue = ctx
            .queue
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .unwrap_or(DEFAULT_QUEUE);
        let (queue, rejection) = match Queue::resolve(asked_queue) {
            Some(q) if q.is_leaf() => (q.name().to_string(), None),
            Some(q) => (
                q.name().to_string(),
                Some(format!(
                    "Application {id} submitted by user {user} to non-leaf queue: {}",
                    q.name()
                )),
            ),
            None => (
                asked_queue.to_string(),
                Some(format!(
                    "Application {id} submitted by user {user} to unknown queue: {asked_queue}"
                )),
            ),
        };
        let app = App {
            id,
            user: user.to_string(),
            queue,
            state: AppState::Accepted,
            final_status: FinalApplicationStatusProto::AppUndefined,
            diagnostics: String::new(),
            attempts: Vec::new(),
            max_attempts,
            keep_containers: ctx
                .keep_containers_across_application_attempts
                .unwrap_or(false),
            unmanaged,
            am_resource: resource.normalized(&self.config.min_allocation),
            am_priority,
            next_container_seq: 1,
            submit_time_ms: now_ms,
            launch_time_ms: 0,
            finish_time_ms: 0,
            am_reported: AmReported::default(),
            priority,
            lifetime_expiry_ms,
            containers: Vec::new(),
            usage: Usage::default(),
            logs: LogAggregation::new(self.config.log_aggregation),
            ended: false,
            submission: ctx,
        };
        self.apps.insert(id, app);
        self.order.push(id);
        self.totals.submitted += 1;
        if let Some(why) = rejection {
            self.reject(id, why, now_ms);
            return Ok(());
        }
        self.start_attempt(id, now_ms);
        self.schedule(now_ms);
        Ok(())
    }

    /// An accepted submission the scheduler refuses (an unknown queue): FAILED at once with
    /// `why`, as YARN's RM rejects it after accepting the call.
    fn reject(&mut self, id: ApplicationId, why: String, now_ms: i64) {
        if let Some(app) = self.apps.get_mut(&id) {
            app.state = AppState::Failed;
            app.final_status = FinalApplicationStatusProto::AppFailed;
            app.diagnostics = why;
            app.finish_time_ms = now_ms;
        }
        self.end_application(id, now_ms);
    }

    /// `getApplicationReport` (live usage is taken at the RM's clock).
    pub fn report(&self, id: &ApplicationId) -> Result<ApplicationReportProto, ServiceError> {
        let app = self.apps.get(id).ok_or_else(|| app_not_found(id))?;
        Ok(app.report(&self.report_inputs(id)))
    }

    /// `getApplications` with its filters.
    pub fn applications(&self, req: &GetApplicationsRequestProto) -> Vec<ApplicationReportProto> {
        let lower: HashSet<String> = req
            .application_types
            .iter()
            .map(|t| t.to_lowercase())
            .collect();
        let mut out = Vec::new();
        for id in &self.order {
            let Some(app) = self.apps.get(id) else {
                continue;
            };
            if !lower.is_empty() && !lower.contains(&app.app_type().to_lowercase()) {
                continue;
            }
            if !req.application_states.is_empty()
                && !req.application_states.contains(&(app.state.proto() as i32))
            {
                continue;
            }
            if !req.users.is_empty() && !req.users.contains(&app.user) {
                continue;
            }
            if !req.queues.is_empty() && !req.queues.contains(&app.queue) {
                continue;
            }
            if !req.application_tags.is_empty()
                && !req
                    .application_tags
                    .iter()
                    .any(|t| app.submission.application_tags.contains(t))
            {
                continue;
            }
            if let Some(name) = &req.name
                && !name.is_empty()
                && name != app.name()
            {
                continue;
            }
            let start = app.submit_time_ms;
            if req.start_begin.is_some_and(|b| start < b)
                || req.start_end.is_some_and(|e| start > e)
            {
                continue;
            }
            if let Ok(r) = self.report(id) {
                out.push(r);
            }
            if req.limit.is_some_and(|l| l > 0 && out.len() as i64 >= l) {
                break;
            }
        }
        out
    }

    /// `getApplicationAttempts`.
    pub fn attempt_reports(
        &self,
        id: &ApplicationId,
    ) -> Result<Vec<ApplicationAttemptReportProto>, ServiceError> {
        let app = self.apps.get(id).ok_or_else(|| app_not_found(id))?;
        Ok(app.attempts.iter().map(|a| app.attempt_report(a)).collect())
    }

    /// `getApplicationAttemptReport`.
    pub fn attempt_report(
        &self,
        id: ApplicationAttemptId,
    ) -> Result<ApplicationAttemptReportProto, ServiceError> {
        let app = self
            .apps
            .get(&id.application_id)
            .ok_or_else(|| app_not_found(&id.application_id))?;
        let attempt = app.attempts.iter().find(|a| a.id == id).ok_or_else(|| {
            err(
                APPLICATION_ATTEMPT_NOT_FOUND,
                format!("ApplicationAttempt with id '{id}' doesn't exist in RM."),
            )
        })?;
        Ok(app.attempt_report(attempt))
    }

    /// `failApplicationAttempt`: fails the current attempt as if its AM had crashed (a new
    /// attempt follows while the application has attempts left).
    pub fn fail_attempt(
        &mut self,
        id: ApplicationAttemptId,
        now_ms: i64,
    ) -> Result<(), ServiceError> {
        let app = self
            .apps
            .get_mut(&id.application_id)
            .ok_or_else(|| app_not_found(&id.application_id))?;
        if app.state.is_final() {
            return Err(err(
                YARN_EXCEPTION,
                format!(
                    "Cannot fail application attempt {id} as the application is already in a final state"
                ),
            ));
        }
        let Some(attempt) = app
            .current_mut()
            .filter(|a| a.id == id && !a.state.is_final())
        else {
            return Err(err(
                APPLICATION_ATTEMPT_NOT_FOUND,
                format!("ApplicationAttempt with id '{id}' is not the running attempt"),
            ));
        };
        let am = attempt.am_container;
        attempt.state = AttemptState::Failed;
        attempt.am.registered = false;
        attempt.counts_as_failure = true;
        attempt.diagnostics = format!("Attempt {id} failed by user.");
        self.tokens.revoke_amrm(id);
        if let Some(cid) = am {
            let why = format!("AM container of the failed attempt {id}");
            self.stop_container(cid, StopReason::KilledByResourceManager, why, now_ms);
        }
        self.after_attempt_failure(id.application_id, now_ms);
        Ok(())
    }

    /// `forceKillApplication`: returns `is_kill_completed`.
    pub fn kill(
        &mut self,
        id: &ApplicationId,
        diagnostics: Option<&str>,
        now_ms: i64,
    ) -> Result<bool, ServiceError> {
        let app = self.apps.get_mut(id).ok_or_else(|| app_not_found(id))?;
        if app.state.is_final() {
            return Ok(true);
        }
        app.state = AppState::Killed;
        app.final_status = FinalApplicationStatusProto::AppKilled;
        app.diagnostics = match diagnostics {
            Some(d) if !d.is_empty() => d.to_string(),
            _ => "Application killed by user.".into(),
        };
        app.finish_time_ms = now_ms;
        let mut revoked = Vec::new();
        for a in app.attempts.iter_mut().filter(|a| !a.state.is_final()) {
            a.state = AttemptState::Killed;
            revoked.push(a.id);
        }
        for a in revoked {
            self.tokens.revoke_amrm(a);
        }
        self.end_application(*id, now_ms);
        Ok(true)
    }

    /// `getClusterMetrics`.
    pub fn cluster_metrics(&self) -> YarnClusterMetricsProto {
        let count = |s: NodeStateProto| self.nodes.iter().filter(|n| n.state == s).count() as i32;
        YarnClusterMetricsProto {
            num_node_managers: Some(self.nodes.len() as i32),
            num_decommissioned_nms: Some(count(NodeStateProto::NsDecommissioned)),
            num_active_nms: Some(count(NodeStateProto::NsRunning)),
            num_lost_nms: Some(count(NodeStateProto::NsLost)),
            num_unhealthy_nms: Some(count(NodeStateProto::NsUnhealthy)),
            num_rebooted_nms: Some(count(NodeStateProto::NsRebooted)),
            num_decommissioning_nms: Some(0),
            num_shutdown_nms: Some(0),
        }
    }

    /// `getClusterNodes` (empty `states` = all).
    pub fn node_reports(&self, states: &[i32], now_ms: i64) -> Vec<NodeReportProto> {
        self.nodes
            .iter()
            .filter(|n| states.is_empty() || states.contains(&(n.state as i32)))
            .map(|n| n.report(now_ms))
            .collect()
    }
}
