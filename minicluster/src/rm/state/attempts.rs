//! Attempts: started for new applications and after failures, failed when their AM container
//! exits or their AM falls silent, and the end of the application they belong to.

use spindle_launcher::StopReason;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::yarn::records::exit_status;

use super::{ContainerPhase, Effect, RmState};
use crate::rm::apps::{AppState, Attempt, AttemptState};

/// Whether an AM container exit of this status counts as a failed attempt (YARN does not count
/// containers the framework took away).
fn counts_as_failure(status: i32) -> bool {
    !matches!(
        status,
        exit_status::ABORTED
            | exit_status::PREEMPTED
            | exit_status::DISKS_FAILED
            | exit_status::KILLED_BY_RESOURCEMANAGER
    )
}

impl RmState {
    /// Starts the next attempt of the application (with a fresh AMRMToken); with
    /// keep-containers, the live containers of the previous attempt move to it.
    pub(super) fn start_attempt(&mut self, app_id: ApplicationId, now_ms: i64) {
        let node_seq = self.node_seq;
        let Some(app) = self.apps.get_mut(&app_id) else {
            return;
        };
        let id = ApplicationAttemptId::new(app_id, app.attempts.len() as i32 + 1);
        let token = self.tokens.amrm_token(id);
        let mut attempt = Attempt::new(id, token, now_ms, node_seq);
        if app.unmanaged {
            attempt.state = AttemptState::Launched;
        }
        let keep = app.keep_containers && !app.attempts.is_empty();
        app.attempts.push(attempt);
        if keep {
            let mut kept = Vec::new();
            for c in self.containers.values_mut() {
                if c.app == app_id && !c.is_am && c.phase != ContainerPhase::Completed {
                    c.owner = id;
                    kept.push(c.id);
                }
            }
            kept.sort();
            if let Some(a) = app.current_mut() {
                a.outbox.from_previous = kept;
            }
        }
    }

    /// An AM container ended with `status`: the attempt finishes if its AM had unregistered,
    /// else it fails.
    pub(super) fn am_finished(
        &mut self,
        id: ApplicationAttemptId,
        status: i32,
        diagnostics: &str,
        now_ms: i64,
    ) {
        let Some(app) = self.apps.get_mut(&id.application_id) else {
            return;
        };
        let Some(attempt) = app.attempt_mut(id) else {
            return;
        };
        match attempt.state {
            AttemptState::Finishing => {
                attempt.state = AttemptState::Finished;
                self.tokens.revoke_amrm(id);
                self.end_application(id.application_id, now_ms);
            }
            s if s.is_final() => {}
            _ => {
                attempt.state = AttemptState::Failed;
                attempt.am.registered = false;
                attempt.counts_as_failure = counts_as_failure(status);
                attempt.diagnostics = format!(
                    "AM Container for {id} exited with  exitCode: {status}\nFailing this attempt.Diagnostics: {diagnostics}"
                );
                self.tokens.revoke_amrm(id);
                self.after_attempt_failure(id.application_id, now_ms);
            }
        }
    }

    /// After a failed attempt: a new attempt while the application has attempts left, else
    /// the application fails.
    pub(super) fn after_attempt_failure(&mut self, app_id: ApplicationId, now_ms: i64) {
        let Some(app) = self.apps.get(&app_id) else {
            return;
        };
        if app.state.is_final() {
            self.end_application(app_id, now_ms);
            return;
        }
        let failures = app.counted_failures();
        let retry = failures < app.max_attempts
            && (app.attempts.len() as i32) < app.max_attempts.saturating_add(10);
        if retry {
            if !app.keep_containers {
                self.kill_app_containers(app_id, StopReason::KilledByResourceManager, now_ms);
            }
            if let Some(app) = self.apps.get_mut(&app_id) {
                app.state = AppState::Accepted;
            }
            self.start_attempt(app_id, now_ms);
            self.schedule(now_ms);
        } else {
            let Some(app) = self.apps.get_mut(&app_id) else {
                return;
            };
            let last = app
                .current()
                .map(|a| a.diagnostics.clone())
                .unwrap_or_default();
            app.state = AppState::Failed;
            app.final_status = FinalApplicationStatusProto::AppFailed;
            app.finish_time_ms = now_ms;
            app.diagnostics = format!(
                "Application {app_id} failed {} times due to {last}. Failing the application.",
                app.max_attempts.min(failures.max(1))
            );
            self.end_application(app_id, now_ms);
        }
    }

    /// Fails (or, when unregistering, finishes) the attempts whose AM has not been heard of for
    /// longer than the liveness expiry.
    pub(super) fn expire_silent_ams(&mut self, now_ms: i64) {
        let expiry = self.config.am_liveness_expiry_ms;
        let mut expired = Vec::new();
        for app in self.apps.values() {
            if app.state.is_final() && app.unmanaged {
                continue;
            }
            if let Some(a) = app.current()
                && matches!(
                    a.state,
                    AttemptState::Launched | AttemptState::Running | AttemptState::Finishing
                )
                && now_ms - a.am.last_heartbeat_ms > expiry
            {
                expired.push(a.id);
            }
        }
        for id in expired {
            self.expire_attempt(id, now_ms);
        }
    }

    /// An AM fell silent: its attempt fails (or finishes, if it had unregistered) and its
    /// container is stopped.
    pub(super) fn expire_attempt(&mut self, id: ApplicationAttemptId, now_ms: i64) {
        let Some(app) = self.apps.get_mut(&id.application_id) else {
            return;
        };
        let Some(attempt) = app.attempt_mut(id) else {
            return;
        };
        let was_finishing = attempt.state == AttemptState::Finishing;
        let am = attempt.am_container;
        attempt.am.registered = false;
        attempt.diagnostics = format!("ApplicationMaster for attempt {id} timed out");
        if was_finishing {
            attempt.state = AttemptState::Finished;
        } else {
            attempt.state = AttemptState::Failed;
            attempt.counts_as_failure = true;
        }
        self.tokens.revoke_amrm(id);
        if let Some(cid) = am {
            let why = format!("AM container of the failed attempt {id}");
            self.stop_container(cid, StopReason::KilledByResourceManager, why, now_ms);
        }
        if was_finishing {
            self.end_application(id.application_id, now_ms);
        } else {
            self.after_attempt_failure(id.application_id, now_ms);
        }
    }

    /// The application has ended: its containers go, its nodes clean it up (aggregating its
    /// logs when log aggregation is on), and it joins the completed applications the RM keeps.
    pub(super) fn end_application(&mut self, app_id: ApplicationId, now_ms: i64) {
        self.kill_app_containers(app_id, StopReason::AfterAppCompletion, now_ms);
        let aggregate_logs = self.config.log_aggregation;
        let nodes = self.nodes.len();
        let Some(app) = self.apps.get_mut(&app_id) else {
            return;
        };
        if app.ended {
            return;
        }
        app.ended = true;
        if aggregate_logs {
            app.logs.start(nodes);
        }
        match app.state {
            AppState::Failed => self.totals.failed += 1,
            AppState::Killed => self.totals.killed += 1,
            _ => self.totals.finished += 1,
        }
        self.effects.push(Effect::FinishApplication {
            app: app_id,
            user: app.user.clone(),
            aggregate_logs,
        });
        self.retain_completed(app_id);
    }

    /// The RM restarted (work-preserving): every AM must register again and re-send its asks.
    pub fn restarted(&mut self) {
        for app in self.apps.values_mut() {
            for a in app.attempts.iter_mut() {
                a.am.registered = false;
                a.asks.clear();
                a.am.restart_responses();
            }
        }
    }
}
