//! A long-running RM stays bounded: completed applications are kept up to
//! `yarn.resourcemanager.max-completed-applications` (YARN's default 1000) and the oldest are
//! forgotten with their attempts and container records. Also the progress of an ended
//! application's log aggregation, as its nodes report it.

use spindle_protocol::ids::{ApplicationId, ContainerId};
use spindle_protocol::yarn::records::exit_status;

use super::{ContainerPhase, RmState};

impl RmState {
    /// `app` has ended: it joins the completed applications, and the oldest beyond the bound
    /// are forgotten.
    pub(super) fn retain_completed(&mut self, app: ApplicationId) {
        self.completed.push_back(app);
        while self.completed.len() > self.config.max_completed_apps {
            match self.completed.pop_front() {
                Some(old) => self.forget_app(old),
                None => break,
            }
        }
    }

    /// Forgets a completed application: its record, its attempts and its containers. A
    /// container whose exit its node has not reported yet is completed now (its node's
    /// resources are freed; the late report is then ignored like any unknown container's).
    fn forget_app(&mut self, id: ApplicationId) {
        let Some(app) = self.apps.remove(&id) else {
            return;
        };
        if let Some(i) = self.order.iter().position(|a| *a == id) {
            self.order.remove(i);
        }
        let clock = self.clock_ms;
        for cid in &app.containers {
            if self
                .containers
                .get(cid)
                .is_some_and(|c| c.phase != ContainerPhase::Completed)
            {
                self.release_forgotten(*cid, clock);
            }
            self.containers.remove(cid);
        }
    }

    /// Frees the node resources of a live container of a forgotten application.
    fn release_forgotten(&mut self, id: ContainerId, now_ms: i64) {
        if let Some(c) = self.containers.get_mut(&id) {
            c.phase = ContainerPhase::Completed;
            c.finished_ms = now_ms;
            c.exit_status = exit_status::ABORTED;
            let (node, resource) = (c.node, c.resource.clone());
            if let Some(n) = self.nodes.get_mut(node) {
                n.used.sub(&resource);
                n.containers.remove(&id);
            }
        }
    }

    /// How many completed applications the RM keeps now.
    pub fn completed_apps(&self) -> usize {
        self.completed.len()
    }

    /// How many container records the RM keeps now (live and completed).
    pub fn container_records(&self) -> usize {
        self.containers.len()
    }

    /// A node finished aggregating the logs of `app` (`ok`: its file is written, or it had no
    /// logs of it). The application's status becomes SUCCEEDED once every node has answered,
    /// FAILED if one could not write its file.
    pub fn logs_aggregated(&mut self, app: ApplicationId, ok: bool) {
        let Some(a) = self.apps.get_mut(&app) else {
            return;
        };
        a.logs.node_done(ok);
    }
}
