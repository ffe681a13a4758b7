//! The driver's messages: targets and locality hints, kills, loss-reason queries, shutdown.

use super::containers::ContainerState;
use super::{Allocator, LossReasonQuery, Notice, TargetError, TargetUpdate, UnknownExecutor};
use crate::completion::ExecutorExit;
use crate::config::MAX_TARGET;
use crate::hosts::HostId;
use crate::types::ExecutorId;

impl Allocator {
    /// Applies the driver's request for executors. Returns whether a total changed (the
    /// shell then heartbeats early: see [`Allocator::next_heartbeat`]). Nothing is applied if
    /// any part is invalid.
    pub fn on_targets(&mut self, update: TargetUpdate) -> Result<bool, TargetError> {
        for (&p, &t) in &update.totals {
            if !self.profiles.contains_key(&p) {
                return Err(TargetError::UnknownProfile(p));
            }
            if t > MAX_TARGET {
                return Err(TargetError::TooLarge {
                    profile: p,
                    target: t,
                });
            }
        }
        for p in update
            .locality_aware_tasks
            .keys()
            .chain(update.host_task_counts.keys())
        {
            if !self.profiles.contains_key(p) {
                return Err(TargetError::UnknownProfile(*p));
            }
        }
        if let Some(hosts) = update.scheduler_excluded {
            self.exclusion.set_scheduler_excluded(hosts);
        }
        for (p, n) in update.locality_aware_tasks {
            if let Some(profile) = self.profiles.get_mut(&p) {
                profile.locality_tasks = n;
            }
        }
        for (p, tasks) in update.host_task_counts {
            let ids: Vec<HostId> = tasks.keys().map(|h| self.hosts.intern(h)).collect();
            if let Some(profile) = self.profiles.get_mut(&p) {
                profile.set_host_tasks(tasks, ids, self.hosts.len());
            }
        }
        let mut changed = false;
        for (p, t) in update.totals {
            if let Some(profile) = self.profiles.get_mut(&p)
                && profile.target != t
            {
                profile.target = t;
                changed = true;
            }
        }
        if changed {
            self.heartbeat.reset();
        }
        Ok(changed)
    }

    /// The driver asks to kill an executor: its container is released (sent with the next
    /// request) and it stops counting as running at once. Returns false, changing nothing,
    /// for an executor that is not running (unknown, starting, or already killed).
    pub fn kill_executor(&mut self, executor: ExecutorId) -> bool {
        let Some(cid) = self.containers.id_of(executor).cloned() else {
            self.notice(Notice::KillUnknownExecutor(executor));
            return false;
        };
        let Some(rec) = self.containers.get_mut(&cid) else {
            return false;
        };
        if rec.state != ContainerState::Running {
            self.notice(Notice::KillUnknownExecutor(executor));
            return false;
        }
        rec.state = ContainerState::Killed;
        let profile = rec.profile;
        if let Some(p) = self.profiles.get_mut(&profile) {
            p.running = p.running.saturating_sub(1);
        }
        self.containers.release(cid);
        true
    }

    /// The driver asks why an executor was lost. Known and still alive (or killed but not yet
    /// completed): the answer comes later as [`Action::LossReason`](crate::Action::LossReason) and the heartbeat stays
    /// fast meanwhile. Already gone: the stored reason, once.
    pub fn request_loss_reason(
        &mut self,
        executor: ExecutorId,
    ) -> Result<LossReasonQuery, UnknownExecutor> {
        if let Some(rec) = self.containers.of_executor(executor)
            && matches!(rec.state, ContainerState::Running | ContainerState::Killed)
        {
            self.loss_reasons.wait_for(executor);
            return Ok(LossReasonQuery::Pending);
        }
        self.loss_reasons
            .take_stored(executor)
            .map(LossReasonQuery::Ready)
            .ok_or(UnknownExecutor(executor))
    }

    /// The driver announced shutdown: containers ending from now on are not the
    /// application's fault and count as no failure.
    pub fn on_driver_shutdown(&mut self) {
        self.shutdown = true;
    }

    /// An executor was lost: answer a waiting loss-reason query or keep the reason.
    pub(super) fn deliver_loss_reason(&mut self, executor: ExecutorId, exit: ExecutorExit) {
        if let Some(answer) = self.loss_reasons.deliver(executor, exit) {
            self.actions.push_back(answer);
        }
    }
}
