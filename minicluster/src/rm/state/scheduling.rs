//! The FIFO scheduling pass: AM containers first, in submission order, on the usable node with
//! the most free memory; then the asks of registered attempts, node → rack → any.

use spindle_base::yarn_env;
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::ApplicationId;

use super::{Effect, RmState};
use crate::rm::apps::AttemptState;
use crate::rm::scheduler::{consume, place};

impl RmState {
    /// One FIFO pass: AM containers first (in submission order), then the asks of registered
    /// attempts.
    pub(super) fn schedule(&mut self, now_ms: i64) {
        // Higher priority first, submission order among equals (the CapacityScheduler's
        // ordering policy within a queue); ended applications take no part.
        let mut order: Vec<(i32, ApplicationId)> = self
            .order
            .iter()
            .filter_map(|id| self.apps.get(id))
            .filter(|a| !a.state.is_final())
            .map(|a| (a.priority, a.id))
            .collect();
        order.sort_by_key(|(p, _)| std::cmp::Reverse(*p));
        let order: Vec<ApplicationId> = order.into_iter().map(|(_, id)| id).collect();
        for app_id in &order {
            self.place_am(*app_id, now_ms);
        }
        for app_id in order {
            self.place_asks(app_id, now_ms);
        }
    }

    /// Places the AM container of a scheduled attempt on the usable node with the most free
    /// memory, and queues its launch with the AMRMToken and AM environment added.
    fn place_am(&mut self, app_id: ApplicationId, now_ms: i64) {
        let Some(app) = self.apps.get(&app_id) else {
            return;
        };
        if app.state.is_final() || app.unmanaged {
            return;
        }
        let Some(attempt) = app.current() else {
            return;
        };
        if attempt.state != AttemptState::Scheduled {
            return;
        }
        let (attempt_id, resource, priority) =
            (attempt.id, app.am_resource.clone(), app.am_priority);
        let node = self
            .node_views()
            .iter()
            .enumerate()
            .filter(|(_, n)| n.usable && resource.fits_in(&n.free))
            .max_by_key(|(i, n)| (n.free.memory_mb, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        let Some(node) = node else {
            return;
        };
        let Some(cid) = self.new_container(
            app_id, attempt_id, node, resource, priority, 0, true, now_ms,
        ) else {
            return;
        };
        let container = self.containers.get(&cid).map(|c| c.proto.clone());
        let Some(app) = self.apps.get_mut(&app_id) else {
            return;
        };
        if app.launch_time_ms == 0 {
            app.launch_time_ms = now_ms;
        }
        let submit_time = app.submit_time_ms;
        let max_attempts = app.max_attempts;
        let user = app.user.clone();
        let mut clc = app.submission.am_container_spec.clone().unwrap_or_default();
        let Some(attempt) = app.current_mut() else {
            return;
        };
        attempt.am_container = Some(cid);
        attempt.state = AttemptState::Launched;
        attempt.am.last_heartbeat_ms = now_ms;
        let mut creds = clc.credentials().unwrap_or_else(|_| Credentials::new());
        creds.add_token("", attempt.amrm_token.clone());
        clc.set_credentials(&creds);
        for (k, v) in [
            (
                yarn_env::APPLICATION_WEB_PROXY_BASE,
                format!("/proxy/{app_id}"),
            ),
            (yarn_env::APP_SUBMIT_TIME_ENV, submit_time.to_string()),
            (yarn_env::MAX_APP_ATTEMPTS, max_attempts.to_string()),
        ] {
            clc.environment.retain(|e| e.key.as_deref() != Some(k));
            clc.add_env(k, v);
        }
        if let Some(container) = container {
            self.effects.push(Effect::LaunchAm {
                node,
                container: Box::new(container),
                clc: Box::new(clc),
                user,
            });
        }
    }

    /// Places as many of a registered attempt's asks as fit, node → rack → any.
    fn place_asks(&mut self, app_id: ApplicationId, now_ms: i64) {
        let Some(app) = self.apps.get_mut(&app_id) else {
            return;
        };
        if app.state.is_final() {
            return;
        }
        let Some(attempt) = app.current_mut() else {
            return;
        };
        if !attempt.am.registered || attempt.asks.is_empty() {
            return;
        }
        let attempt_id = attempt.id;
        let mut asks = std::mem::take(&mut attempt.asks);
        let blacklist = attempt.blacklist.clone();
        let mut new = Vec::new();
        for key in asks.wanted_keys() {
            loop {
                let views = self.node_views();
                let Some((node, locality)) = place(&asks, &key, &views, &blacklist) else {
                    break;
                };
                consume(&mut asks, &key, &views[node], locality);
                drop(views);
                match self.new_container(
                    app_id,
                    attempt_id,
                    node,
                    key.capability.clone(),
                    key.priority,
                    key.allocation_request_id,
                    false,
                    now_ms,
                ) {
                    Some(cid) => new.push(cid),
                    None => break,
                }
            }
        }
        if let Some(attempt) = self.apps.get_mut(&app_id).and_then(|a| a.current_mut()) {
            attempt.asks = asks;
            attempt.outbox.new_containers.extend(new);
        }
    }
}
