//! ApplicationMasterProtocol inputs: register, allocate (asks, blacklist, releases, and the
//! response-id rule), finish.

use spindle_protocol::ids::{ApplicationAttemptId, ContainerId};
use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::{
    APPLICATION_MASTER_NOT_REGISTERED, INVALID_APPLICATION_MASTER_REQUEST,
    INVALID_CONTAINER_RELEASE, INVALID_RESOURCE_REQUEST,
};
use spindle_protocol::yarn::records::{is_allocate_retry, next_response_id};

use super::{RmState, attempt_not_found, err};
use crate::rm::apps::{App, AppState, AttemptState};
use crate::rm::ask_table::SchedulerKey;
use spindle_protocol::yarn::resources::Resources;

impl RmState {
    /// The live current attempt `id`, or ApplicationAttemptNotFoundException.
    fn live_attempt(&mut self, id: ApplicationAttemptId) -> Result<&mut App, ServiceError> {
        let app = self
            .apps
            .get_mut(&id.application_id)
            .ok_or_else(|| attempt_not_found(&id))?;
        match app.current() {
            Some(a) if a.id == id && !a.state.is_final() => Ok(app),
            _ => Err(attempt_not_found(&id)),
        }
    }

    /// `registerApplicationMaster` from attempt `id`.
    pub fn register(
        &mut self,
        id: ApplicationAttemptId,
        req: &RegisterApplicationMasterRequestProto,
        now_ms: i64,
    ) -> Result<RegisterApplicationMasterResponseProto, ServiceError> {
        let app = self.live_attempt(id)?;
        let app_id = app.id;
        let attempt = app.current_mut().ok_or_else(|| attempt_not_found(&id))?;
        if attempt.am.registered || attempt.state == AttemptState::Finishing {
            return Err(err(
                INVALID_APPLICATION_MASTER_REQUEST,
                format!("Application Master is already registered : {app_id}"),
            ));
        }
        let first_time = !attempt.am.ever_registered;
        attempt.am.registered = true;
        attempt.am.ever_registered = true;
        attempt.state = AttemptState::Running;
        attempt.am.restart_responses();
        attempt.am.last_heartbeat_ms = now_ms;
        let previous: Vec<ContainerId> = if first_time {
            std::mem::take(&mut attempt.outbox.from_previous)
        } else {
            Vec::new()
        };
        app.am_reported.register(
            req.host.as_deref(),
            req.rpc_port,
            req.tracking_url.as_deref(),
        );
        if !app.state.is_final() {
            app.state = AppState::Running;
        }
        let acls = app
            .submission
            .am_container_spec
            .as_ref()
            .map(|c| c.application_acls.clone())
            .unwrap_or_default();
        let queue = app.queue.clone();
        let (containers, nm_tokens) = self.hand_out(id, previous);
        Ok(RegisterApplicationMasterResponseProto {
            maximum_capability: Some(self.config.max_allocation.to_proto()),
            client_to_am_token_master_key: None,
            application_acls: acls,
            containers_from_previous_attempts: containers,
            queue: Some(queue),
            nm_tokens_from_previous_attempts: nm_tokens,
            scheduler_resource_types: vec![0, 1],
            ..Default::default()
        })
    }

    /// Checks one ask (capability, resource name, count, limits); returns its capability
    /// normalized to the minimum allocation.
    fn validate_ask(&self, ask: &ResourceRequestProto) -> Result<Resources, ServiceError> {
        let Some(cap) = &ask.capability else {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                "Invalid resource request: the capability is missing",
            ));
        };
        if ask.resource_name.as_deref().unwrap_or("").is_empty() {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                "Invalid resource request: the resource name is missing",
            ));
        }
        let n = ask.num_containers.unwrap_or(0);
        if n < 0 {
            return Err(err(
                INVALID_RESOURCE_REQUEST,
                format!(
                    "Invalid resource request! Cannot ask for a negative number of containers ({n}) at {}",
                    ask.resource_name()
                ),
            ));
        }
        let r = Resources::from_proto(cap);
        self.check_resource("ask", &r)?;
        Ok(r.normalized(&self.config.min_allocation))
    }

    /// `allocate` from attempt `id`.
    pub fn allocate(
        &mut self,
        id: ApplicationAttemptId,
        req: &AllocateRequestProto,
        now_ms: i64,
    ) -> Result<AllocateResponseProto, ServiceError> {
        {
            let app = self.live_attempt(id)?;
            let attempt = app.current_mut().ok_or_else(|| attempt_not_found(&id))?;
            if !attempt.am.registered {
                return Err(err(
                    APPLICATION_MASTER_NOT_REGISTERED,
                    format!(
                        "AM is not registered for known application attempt: {id} or RM had restarted after AM registered. AM should re-register."
                    ),
                ));
            }
            let rid = req.response_id.unwrap_or(0);
            // A repeat of the last request (its answer was lost) gets the same answer again.
            if let Some(last) = &attempt.am.last_response
                && is_allocate_retry(rid, attempt.am.last_response_id)
            {
                attempt.am.last_heartbeat_ms = now_ms;
                return Ok(last.clone());
            }
            if rid != attempt.am.last_response_id {
                return Err(err(
                    INVALID_APPLICATION_MASTER_REQUEST,
                    format!(
                        "Invalid responseId in AllocateRequest from application attempt: {id}, expect responseId to be {}, but get {rid}",
                        attempt.am.last_response_id
                    ),
                ));
            }
        }
        // Validate everything before changing anything.
        let mut asks = Vec::with_capacity(req.ask.len());
        for ask in &req.ask {
            asks.push((self.validate_ask(ask)?, ask));
        }
        for cid in &req.release {
            let c = ContainerId::from_proto(cid).map_err(|e| {
                err(
                    INVALID_CONTAINER_RELEASE,
                    format!("invalid container id in release: {e}"),
                )
            })?;
            if c.application_id() != id.application_id {
                return Err(err(
                    INVALID_CONTAINER_RELEASE,
                    format!(
                        "Cannot release container : {c} not belonging to this application attempt : {id}"
                    ),
                ));
            }
        }
        let app_id = id.application_id;
        let app = self.live_attempt(id)?;
        app.am_reported.track(req.tracking_url.as_deref());
        app.am_reported.set_progress(req.progress.unwrap_or(0.0));
        let attempt = app.current_mut().ok_or_else(|| attempt_not_found(&id))?;
        attempt.am.last_heartbeat_ms = now_ms;
        for (capability, ask) in asks {
            let key = SchedulerKey {
                priority: ask.priority.as_ref().and_then(|p| p.priority).unwrap_or(0),
                allocation_request_id: ask.allocation_request_id.unwrap_or(-1),
                execution_type: ask
                    .execution_type_request
                    .as_ref()
                    .and_then(|e| e.execution_type)
                    .unwrap_or(ExecutionTypeProto::Guaranteed as i32),
                capability,
            };
            attempt.asks.set(
                key,
                ask.resource_name(),
                ask.num_containers.unwrap_or(0),
                ask.relax_locality.unwrap_or(true),
            );
        }
        if let Some(b) = &req.blacklist_request {
            for add in &b.blacklist_additions {
                attempt.blacklist.insert(add.clone());
            }
            for rm in &b.blacklist_removals {
                attempt.blacklist.remove(rm);
            }
        }
        for cid in &req.release {
            if let Ok(c) = ContainerId::from_proto(cid) {
                self.release(app_id, c, now_ms);
            }
        }
        self.schedule(now_ms);
        Ok(self.build_allocate_response(id, now_ms))
    }

    /// The next allocate response of attempt `id`: what it has not been told yet, node
    /// changes since its last response, the headroom; remembered for a retry.
    fn build_allocate_response(
        &mut self,
        id: ApplicationAttemptId,
        now_ms: i64,
    ) -> AllocateResponseProto {
        let headroom = self.headroom();
        let num_nodes = self.usable_nodes();
        let node_seq = self.node_seq;
        let Some(attempt) = self
            .apps
            .get_mut(&id.application_id)
            .and_then(|app| app.current_mut())
        else {
            return AllocateResponseProto::default();
        };
        let new = std::mem::take(&mut attempt.outbox.new_containers);
        let (allocated, nm_tokens) = self.hand_out(id, new);
        let Some(app) = self.apps.get_mut(&id.application_id) else {
            return AllocateResponseProto::default();
        };
        let priority = app.priority;
        let Some(attempt) = app.current_mut() else {
            return AllocateResponseProto::default();
        };
        let completed: Vec<ContainerStatusProto> = attempt.outbox.completed.drain(..).collect();
        let updated_nodes = self
            .nodes
            .iter()
            .filter(|n| n.changed_seq > attempt.am.seen_node_seq)
            .map(|n| n.report(now_ms))
            .collect();
        attempt.am.seen_node_seq = node_seq;
        // After a master-key roll, every attempt gets a token of the new key once (as YARN's
        // ApplicationMasterService does); the AM uses it for its next connections.
        let rolled = (attempt.amrm_token_key_id() != Some(self.tokens.amrm_key_id())).then(|| {
            attempt.amrm_token = self.tokens.amrm_token(id);
            attempt.amrm_token.to_proto()
        });
        let response_id = next_response_id(attempt.am.last_response_id);
        let response = AllocateResponseProto {
            response_id: Some(response_id),
            allocated_containers: allocated,
            completed_container_statuses: completed,
            limit: Some(headroom.to_proto()),
            updated_nodes,
            num_cluster_nodes: Some(num_nodes),
            nm_tokens,
            application_priority: Some(PriorityProto::new(priority)),
            am_rm_token: rolled,
            ..Default::default()
        };
        attempt.am.last_response_id = response_id;
        attempt.am.last_response = Some(response.clone());
        response
    }

    /// `finishApplicationMaster` from attempt `id`.
    pub fn finish(
        &mut self,
        id: ApplicationAttemptId,
        req: &FinishApplicationMasterRequestProto,
        now_ms: i64,
    ) -> Result<FinishApplicationMasterResponseProto, ServiceError> {
        let app = self
            .apps
            .get_mut(&id.application_id)
            .ok_or_else(|| attempt_not_found(&id))?;
        let is_current = app.current().is_some_and(|a| a.id == id);
        let attempt = app.attempt_mut(id).ok_or_else(|| attempt_not_found(&id))?;
        if matches!(
            attempt.state,
            AttemptState::Finishing | AttemptState::Finished
        ) {
            return Ok(FinishApplicationMasterResponseProto {
                is_unregistered: Some(true),
            });
        }
        if !is_current || attempt.state.is_final() {
            return Err(attempt_not_found(&id));
        }
        if !attempt.am.registered {
            return Err(err(
                APPLICATION_MASTER_NOT_REGISTERED,
                format!("Application Master is trying to unregister before registering for: {id}"),
            ));
        }
        attempt.state = AttemptState::Finishing;
        attempt.am.registered = false;
        attempt.am.last_heartbeat_ms = now_ms;
        let final_status = req
            .final_application_status
            .and_then(|s| FinalApplicationStatusProto::try_from(s).ok())
            .unwrap_or(FinalApplicationStatusProto::AppUndefined);
        if !app.state.is_final() {
            app.state = AppState::Finished;
            app.final_status = final_status;
            app.diagnostics = req.diagnostics.clone().unwrap_or_default();
            app.finish_time_ms = now_ms;
            app.am_reported.progress = 1.0;
        }
        app.am_reported.track(req.tracking_url.as_deref());
        if app.unmanaged {
            if let Some(a) = app.current_mut() {
                a.state = AttemptState::Finished;
            }
            self.tokens.revoke_amrm(id);
            self.end_application(id.application_id, now_ms);
        }
        Ok(FinishApplicationMasterResponseProto {
            is_unregistered: Some(true),
        })
    }
}
