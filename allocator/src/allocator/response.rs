//! Steps 4–6 of a heartbeat: apply the RM's response (cluster size, node updates, granted
//! containers, completed ones), schedule the next heartbeat, and decide whether the
//! application must fail.

use super::containers::ContainerState;
use super::{Action, Allocator, AppFailure, Notice};
use crate::completion::{ExitClass, describe_exit};
use crate::config::{EXIT_EXECUTOR_FAILURES, LaunchMode};
use crate::fasthash::FastSet;
use crate::matching::{Candidate, match_containers};
use crate::types::{
    AllocateResponse, CompletedContainer, Container, HostName, Millis, NodeState, ProfileId,
};

impl Allocator {
    /// Steps 4–6 of a heartbeat: apply the response (cluster size, node updates, granted
    /// containers, then completed ones), schedule the next heartbeat, and check whether the
    /// application must fail.
    pub fn on_response(&mut self, response: AllocateResponse, now: Millis) {
        if let Some(n) = response.cluster_nodes {
            self.cluster_nodes = Some(n);
        }
        if let Some(h) = response.available_resources {
            self.headroom = Some(h);
        }
        for u in &response.updated_nodes {
            if u.state == NodeState::Decommissioning && self.config.decommission_enabled {
                self.announce_decommission(&u.host);
            }
        }
        self.take_allocated(response.allocated, now);
        for c in response.completed {
            self.take_completed(c, now);
        }
        if self.racks.take_collapse_notice() {
            self.notice(Notice::DefaultRackCollapse);
        }
        let pending = self.profiles.values().any(|p| !p.book.is_empty())
            || self.loss_reasons.anyone_waiting();
        self.heartbeat.after_allocate(now, pending);
        self.check_failure(now);
    }

    /// Tells the driver about a decommissioning host, once per host.
    fn announce_decommission(&mut self, host: &HostName) {
        if self.decommissioned.contains(host) {
            return;
        }
        self.decommissioned.insert(host.clone());
        self.actions
            .push_back(Action::DecommissionHost { host: host.clone() });
    }

    /// Refuses odd grants, matches the others to requests, and launches what a profile still
    /// wants; the rest is released.
    fn take_allocated(&mut self, allocated: Vec<Container>, now: Millis) {
        // Repeats inside this response, found by borrowing the ids (no reference counts
        // touched on 10,000s of ids).
        let repeated: Vec<bool> = {
            let mut seen: FastSet<&str> =
                FastSet::with_capacity_and_hasher(allocated.len(), Default::default());
            allocated
                .iter()
                .map(|c| !seen.insert(c.id.as_str()))
                .collect()
        };
        let mut usable: Vec<Option<Container>> = Vec::with_capacity(allocated.len());
        let mut candidates: Vec<Candidate> = Vec::with_capacity(allocated.len());
        for (c, repeated) in allocated.into_iter().zip(repeated) {
            if repeated || self.containers.is_known(&c.id) {
                self.notice(Notice::DuplicateContainer(c.id));
                continue;
            }
            let profile = match self.admit(&c) {
                Ok(profile) => profile,
                Err(notice) => {
                    self.notice(notice);
                    self.containers.release(c.id);
                    continue;
                }
            };
            let host = self.hosts.intern(&c.host);
            candidates.push(Candidate {
                index: usable.len(),
                profile,
                host,
            });
            usable.push(Some(c));
        }
        self.containers.reserve(usable.len());
        self.actions.reserve(usable.len());
        if self.config.launch_mode == LaunchMode::Tracked && self.config.launch_timeout_ms.is_some()
        {
            self.launch_deadlines.reserve(usable.len());
        }
        let matches = match_containers(
            &candidates,
            &mut self.profiles,
            &mut self.hosts,
            &mut self.racks,
        );
        let mut slots = usable;
        for idx in matches.unmatched {
            if let Some(c) = slots[idx].take() {
                self.containers.release(c.id);
            }
        }
        for (idx, _pass) in matches.matched {
            let Some(c) = slots[idx].take() else { continue };
            if let Err(c) = self.launch(c, candidates[idx].profile, now) {
                self.containers.release(c.id);
            }
        }
    }

    /// The profile of a granted container that may be matched, or why it is given back.
    fn admit(&self, c: &Container) -> Result<ProfileId, Notice> {
        let Some((profile, p)) = self.profile_of_priority(c.priority) else {
            return Err(Notice::UnknownPriority {
                container: c.id.clone(),
                priority: c.priority,
            });
        };
        if c.resource.memory_mb < p.ask.memory_mb {
            return Err(Notice::UndersizedContainer {
                container: c.id.clone(),
                memory_mb: c.resource.memory_mb,
                wanted_mb: p.ask.memory_mb,
            });
        }
        if self.config.exclusion.release_on_excluded_hosts && self.exclusion.is_excluded(&c.host) {
            return Err(Notice::ExcludedHost {
                container: c.id.clone(),
                host: c.host.clone(),
            });
        }
        Ok(profile)
    }

    /// Accounts for a completed container: whose fault, what to tell the driver.
    fn take_completed(&mut self, status: CompletedContainer, now: Millis) {
        let id = status.id.clone();
        if self.containers.take_released(&id) {
            // We asked for it: not a failure, nothing to tell the driver unprompted.
            if let Some(rec) = self.containers.remove(&id) {
                if rec.state == ContainerState::Killed
                    && let Some(p) = self.profiles.get_mut(&rec.profile)
                {
                    p.drop_host_container(&rec.container.host);
                }
                let exit = describe_exit(
                    ExitClass::ReleasedByAllocator,
                    &id,
                    Some(&rec.container.host),
                    status.exit_status,
                    &status.diagnostics,
                );
                self.deliver_loss_reason(rec.executor, exit);
            }
            return;
        }
        let Some(rec) = self.containers.get_mut(&id) else {
            self.notice(Notice::UnknownCompletion(id));
            return;
        };
        let class = if self.shutdown {
            ExitClass::AfterShutdown
        } else {
            ExitClass::of_status(status.exit_status)
        };
        match rec.state {
            ContainerState::Starting {
                completed: true, ..
            }
            | ContainerState::Killed => {}
            ContainerState::Starting {
                since,
                completed: false,
            } => {
                // The launch has not ended: it will not make the container running. Its
                // failure counts globally only (the executor never existed for the driver).
                rec.state = ContainerState::Starting {
                    since,
                    completed: true,
                };
                if class.counts_as_failure() {
                    self.failures.record(now);
                }
            }
            ContainerState::Running => {
                let Some(rec) = self.containers.remove(&id) else {
                    return;
                };
                let host = rec.container.host.clone();
                if let Some(p) = self.profiles.get_mut(&rec.profile) {
                    p.running = p.running.saturating_sub(1);
                    p.drop_host_container(&host);
                }
                if class.counts_as_failure() {
                    self.count_failure(&host, now);
                }
                let exit = describe_exit(
                    class,
                    &id,
                    Some(&host),
                    status.exit_status,
                    &status.diagnostics,
                );
                self.unexpected_releases += 1;
                self.actions.push_back(Action::ExecutorLost {
                    executor_id: rec.executor,
                    container_id: id,
                    exit: exit.clone(),
                });
                self.deliver_loss_reason(rec.executor, exit);
            }
        }
    }

    /// Counts a failure of a running executor on `host`, excluding the host when it has
    /// failed too often.
    fn count_failure(&mut self, host: &HostName, now: Millis) {
        let ex = &self.config.exclusion;
        if !ex.launch_exclusion_enabled {
            self.failures.record(now);
            return;
        }
        if self.exclusion.excluded_by_scheduler_or_allocator(host) {
            // A late report from a host we already gave up on must not fail the application.
            return;
        }
        self.failures.record_on_host(host, now);
        if self.failures.host_failures(host, now) > u64::from(ex.max_failed_executors_per_node) {
            let until = now.saturating_add(ex.timeout_ms);
            self.exclusion.exclude_until(host, until);
        }
    }

    /// Fails the application (once) when too many executors failed or every node is excluded.
    fn check_failure(&mut self, now: Millis) {
        if self.app_failed.is_some() {
            return;
        }
        let failed = self.failures.failures(now);
        let failure = if let Some(max) = self.config.failures.max_executor_failures
            && failed >= u64::from(max)
        {
            Some(format!("Max number of executor failures ({max}) reached"))
        } else if let Some(rate) = self.config.failures.max_failures_per_minute
            && self.failures.failures_last_minute(now) > u64::from(rate)
        {
            Some(format!(
                "Executor failure rate exceeded: {} failures in the last minute, more than the limit of {rate} per minute",
                self.failures.failures_last_minute(now)
            ))
        } else if self.all_nodes_excluded() {
            Some("Due to executor failures all available nodes are excluded".to_string())
        } else {
            None
        };
        if let Some(message) = failure {
            let f = AppFailure {
                exit_code: EXIT_EXECUTOR_FAILURES,
                message,
            };
            self.actions.push_back(Action::FailApplication {
                exit_code: f.exit_code,
                message: f.message.clone(),
            });
            self.app_failed = Some(f);
        }
    }

    fn all_nodes_excluded(&self) -> bool {
        match self.cluster_nodes {
            Some(n) if n > 0 => self.exclusion.count() >= n as usize,
            _ => false,
        }
    }
}
