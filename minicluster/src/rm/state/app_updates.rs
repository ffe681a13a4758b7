//! What clients change in an application after submitting it, with the answers and error
//! classes YARN's ClientRMService gives: its priority, its queue, its lifetime (and the monitor
//! that kills it when the lifetime is over), and signals to its containers.

use spindle_protocol::ids::{ApplicationId, ContainerId};
use spindle_protocol::ipc::ServiceError;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::error::{APPLICATION_NOT_FOUND, YARN_EXCEPTION};

use super::{ContainerPhase, Effect, RmState, err};
use crate::rm::apps::AppState;
use crate::rm::queues::Queue;
use crate::time::{format_iso8601, parse_iso8601};

/// What YARN's lifetime monitor writes into a killed application's diagnostics.
pub const LIFETIME_EXCEEDED: &str =
    "Application is killed by ResourceManager as it has exceeded the lifetime period.";

/// YARN's name of an application state in messages (`RMAppState`).
fn state_name(state: AppState) -> &'static str {
    match state {
        AppState::Accepted => "ACCEPTED",
        AppState::Running => "RUNNING",
        AppState::Finished => "FINISHED",
        AppState::Failed => "FAILED",
        AppState::Killed => "KILLED",
    }
}

impl RmState {
    /// A priority as the scheduler takes it: at most `yarn.cluster.max-application-priority`.
    pub(super) fn capped_priority(&self, requested: i32) -> i32 {
        requested.min(self.config.max_application_priority)
    }

    /// `updateApplicationPriority`: the priority the application has afterwards (an ended
    /// application keeps its own, as YARN skips the update then).
    pub fn update_priority(
        &mut self,
        id: &ApplicationId,
        priority: i32,
    ) -> Result<i32, ServiceError> {
        let capped = self.capped_priority(priority);
        let app = self.apps.get_mut(id).ok_or_else(|| {
            err(
                APPLICATION_NOT_FOUND,
                format!("Trying to update priority of an absent application {id}"),
            )
        })?;
        if !app.state.is_final() {
            app.priority = capped;
        }
        Ok(app.priority)
    }

    /// `moveApplicationAcrossQueues`: to the leaf it is in, nothing changes; anything else is
    /// refused as the CapacityScheduler refuses it (there is one leaf queue).
    pub fn move_to_queue(&mut self, id: &ApplicationId, target: &str) -> Result<(), ServiceError> {
        let app = self.apps.get_mut(id).ok_or_else(|| {
            err(
                APPLICATION_NOT_FOUND,
                format!("Trying to move an absent application {id}"),
            )
        })?;
        if app.state.is_final() {
            return Err(err(
                YARN_EXCEPTION,
                format!("App in {} state cannot be moved.", state_name(app.state)),
            ));
        }
        let leaf = Queue::leaf(target)?;
        app.queue = leaf.name().to_string();
        Ok(())
    }

    /// `updateApplicationTimeouts`: sets the `LIFETIME` expiry (ISO 8601); the application is
    /// killed when it passes. Answers the timeouts as given.
    pub fn update_timeouts(
        &mut self,
        req: &UpdateApplicationTimeoutsRequestProto,
        now_ms: i64,
    ) -> Result<UpdateApplicationTimeoutsResponseProto, ServiceError> {
        let id = ApplicationId::from_proto(&req.application_id)
            .map_err(|e| err(YARN_EXCEPTION, format!("invalid application id: {e}")))?;
        if req.application_timeouts.is_empty() {
            return Err(err(
                YARN_EXCEPTION,
                "At least one ApplicationTimeoutType should be configured for updating timeouts.",
            ));
        }
        let app = self.apps.get_mut(&id).ok_or_else(|| {
            err(
                APPLICATION_NOT_FOUND,
                format!("Trying to update timeout of an absent application {id}"),
            )
        })?;
        let answer = UpdateApplicationTimeoutsResponseProto {
            application_timeouts: req.application_timeouts.clone(),
        };
        if app.state.is_final() {
            return Ok(answer);
        }
        let mut expiry = None;
        for t in &req.application_timeouts {
            let kind = t.application_timeout_type.unwrap_or(0);
            if ApplicationTimeoutTypeProto::try_from(kind).is_err() {
                return Err(err(
                    YARN_EXCEPTION,
                    format!("Unknown application timeout type {kind}; the only type is LIFETIME"),
                ));
            }
            let text = t.expire_time.as_deref().unwrap_or("");
            let at = parse_iso8601(text).ok_or_else(|| {
                err(
                    YARN_EXCEPTION,
                    format!(
                        "Expire time is not in ISO8601 format. ISO8601 supported format is yyyy-MM-dd'T'HH:mm:ss.SSSZ (got '{}')",
                        text.chars().take(64).collect::<String>()
                    ),
                )
            })?;
            if at < now_ms {
                return Err(err(
                    YARN_EXCEPTION,
                    format!(
                        "Expire time is less than current time, current-time={} expire-time={}",
                        format_iso8601(now_ms),
                        format_iso8601(at)
                    ),
                ));
            }
            expiry = Some(at);
        }
        app.lifetime_expiry_ms = expiry;
        Ok(answer)
    }

    /// The `LIFETIME` of a submission: its expiry (submission time + seconds), or YARN's refusal
    /// of a timeout that is not positive.
    pub(super) fn submitted_lifetime(
        ctx: &ApplicationSubmissionContextProto,
        now_ms: i64,
    ) -> Result<Option<i64>, ServiceError> {
        let mut expiry = None;
        for t in &ctx.application_timeouts {
            let seconds = t.timeout.unwrap_or(0);
            if seconds <= 0 {
                return Err(err(
                    YARN_EXCEPTION,
                    format!("Invalid application timeout, value={seconds} for type=LIFETIME"),
                ));
            }
            expiry = Some(now_ms.saturating_add(seconds.saturating_mul(1000)));
        }
        Ok(expiry)
    }

    /// Kills the applications whose lifetime is over (YARN's `RMAppLifetimeMonitor`).
    pub(super) fn expire_lifetimes(&mut self, now_ms: i64) {
        let over: Vec<ApplicationId> = self
            .apps
            .values()
            .filter(|a| !a.state.is_final() && a.lifetime_expiry_ms.is_some_and(|t| t <= now_ms))
            .map(|a| a.id)
            .collect();
        for id in over {
            let _ = self.kill(&id, Some(LIFETIME_EXCEEDED), now_ms);
        }
    }

    /// `signalToContainer`: asks the container's node to signal its processes. A container the
    /// RM does not know live is refused with YARN's message.
    pub fn signal_container(&mut self, id: ContainerId, command: i32) -> Result<(), ServiceError> {
        let absent = || {
            err(
                YARN_EXCEPTION,
                format!("Trying to signal an absent container {id}"),
            )
        };
        let command = SignalContainerCommandProto::try_from(command).map_err(|_| {
            err(
                YARN_EXCEPTION,
                format!("Unknown signal command {command}: use OUTPUT_THREAD_DUMP, GRACEFUL_SHUTDOWN or FORCEFUL_SHUTDOWN"),
            )
        })?;
        if !self.apps.contains_key(&id.application_id()) {
            return Err(absent());
        }
        let c = self
            .containers
            .get(&id)
            .filter(|c| c.phase != ContainerPhase::Completed)
            .ok_or_else(absent)?;
        self.effects.push(Effect::SignalContainer {
            node: c.node,
            container: id,
            command,
        });
        Ok(())
    }
}
