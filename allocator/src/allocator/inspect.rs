//! Read-only views of the allocator's state, for the shell's metrics and for tests.

use std::collections::{BTreeMap, BTreeSet};

use super::containers::ContainerState;
use super::{Allocator, AppFailure};
use crate::types::{Container, ContainerId, ExecutorId, HostName, Millis, ProfileId, Resource};

impl Allocator {
    /// The target of a profile.
    pub fn target(&self, profile: ProfileId) -> Option<u32> {
        self.profiles.get(&profile).map(|p| p.target)
    }

    /// Outstanding requests of a profile.
    pub fn pending(&self, profile: ProfileId) -> usize {
        self.profiles.get(&profile).map_or(0, |p| p.book.len())
    }

    /// Running executors of a profile.
    pub fn running(&self, profile: ProfileId) -> u32 {
        self.profiles.get(&profile).map_or(0, |p| p.running)
    }

    /// Starting executors of a profile.
    pub fn starting(&self, profile: ProfileId) -> u32 {
        self.profiles.get(&profile).map_or(0, |p| p.starting)
    }

    /// The profile ids, ascending.
    pub fn profile_ids(&self) -> impl Iterator<Item = ProfileId> + '_ {
        self.profiles.keys().copied()
    }

    /// What a profile asks for.
    pub fn container_ask(&self, profile: ProfileId) -> Option<&Resource> {
        self.profiles.get(&profile).map(|p| &p.ask)
    }

    /// Launched, not yet completed containers per host (all profiles).
    pub fn host_containers(&self) -> BTreeMap<HostName, u32> {
        let mut m = BTreeMap::new();
        for p in self.profiles.values() {
            for (h, n) in &p.host_containers {
                *m.entry(h.clone()).or_insert(0) += n;
            }
        }
        m
    }

    /// The executor of a container the allocator still tracks.
    pub fn executor_of(&self, container: &ContainerId) -> Option<ExecutorId> {
        self.containers.get(container).map(|r| r.executor)
    }

    /// The container of an executor the allocator still tracks.
    pub fn container_of(&self, executor: ExecutorId) -> Option<&Container> {
        self.containers.of_executor(executor).map(|r| &r.container)
    }

    /// Containers whose executor is running (launched, not completed, not killed).
    pub fn running_containers(&self) -> impl Iterator<Item = (&ContainerId, ExecutorId)> + '_ {
        self.containers
            .iter()
            .filter(|(_, r)| r.state == ContainerState::Running)
            .map(|(id, r)| (id, r.executor))
    }

    /// Releases decided but not yet sent.
    pub fn unsent_releases(&self) -> &[ContainerId] {
        self.containers.unsent()
    }

    /// Failures counted toward the limit at `now`.
    pub fn failures(&self, now: Millis) -> u64 {
        self.failures.failures(now)
    }

    /// Failures counted on `host` for exclusion at `now`.
    pub fn host_failures(&self, host: &str, now: Millis) -> u64 {
        self.failures.host_failures(host, now)
    }

    /// Containers that completed without the allocator having released them.
    pub fn unexpected_releases(&self) -> u64 {
        self.unexpected_releases
    }

    /// Hosts excluded now (static ∪ driver's ∪ own), including changes not yet sent.
    /// Exclusions whose time is up are dropped at the next `next_request`.
    pub fn excluded_nodes(&self) -> BTreeSet<HostName> {
        self.exclusion.current()
    }

    /// The node list of every pending request, per profile in ascending order
    /// (`None`: any host).
    pub fn pending_localities(&self) -> Vec<(ProfileId, Option<Vec<HostName>>)> {
        let mut out = Vec::new();
        for (&pid, p) in &self.profiles {
            for l in p.book.localities() {
                let names = l.map(|ids| ids.iter().map(|&h| self.hosts.name(h).clone()).collect());
                out.push((pid, names));
            }
        }
        out
    }

    /// Why the application must fail, once decided.
    pub fn app_failed(&self) -> Option<&AppFailure> {
        self.app_failed.as_ref()
    }

    /// The number of cluster nodes last reported.
    pub fn cluster_nodes(&self) -> Option<i32> {
        self.cluster_nodes
    }
}
