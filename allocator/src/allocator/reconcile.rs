//! Steps 1–3 of a heartbeat: expire what timed out, reconcile each profile's outstanding
//! requests with its target (Spark's control law and locality placement), and build the
//! request as changes to YARN's ask table.

use std::sync::Arc;

use super::profiles::Profile;
use super::{AllocateRequest, Allocator, Notice, ResourceAsk};
use crate::hosts::HostId;
use crate::placement::{PlacementInput, place};
use crate::requests::{RequestBook, Split};
use crate::types::{ANY_LOCATION, HostName, Millis, ProfileId, Resource};

impl Allocator {
    /// Forgets what the RM was told (after it lost our state: RM restart / resync), so the
    /// next request carries the whole ask table and exclusion set again.
    pub fn resync(&mut self) {
        for p in self.profiles.values_mut() {
            p.last_sent = Default::default();
        }
        self.exclusion.forget_sent();
    }

    /// Steps 1–3 of a heartbeat: expire exclusions and stuck launches, reconcile each
    /// profile's requests with its target (ascending profile id), and build the request.
    pub fn next_request(&mut self, now: Millis) -> AllocateRequest {
        self.exclusion.expire(now);
        self.failures.prune_hosts(now);
        self.expire_launches(now);
        let ids: Vec<ProfileId> = self.profiles.keys().copied().collect();
        for p in ids {
            self.reconcile(p);
        }
        if self.racks.take_collapse_notice() {
            self.notice(Notice::DefaultRackCollapse);
        }
        AllocateRequest {
            asks: self.ask_changes(),
            releases: self.containers.take_unsent(),
            exclusions: self.exclusion.take_delta(),
            progress: 0.1,
        }
    }

    /// The cap on a profile's outstanding requests, if any.
    fn ask_cap(&self, ask: &Resource) -> Option<usize> {
        let mut cap: Option<usize> = self.config.ask_cap.max_pending.map(|m| m as usize);
        if self.config.ask_cap.by_headroom
            && let Some(h) = &self.headroom
        {
            let fit = usize::try_from(h.fits(ask)).unwrap_or(usize::MAX).max(1);
            cap = Some(cap.map_or(fit, |c| c.min(fit)));
        }
        cap
    }

    /// Spark's control law for one profile: `missing = target − pending − running −
    /// starting`; new requests are placed by locality, surplus ones cancelled in Spark's order.
    fn reconcile(&mut self, pid: ProfileId) {
        let Some(cap) = self.profiles.get(&pid).map(|p| self.ask_cap(&p.ask)) else {
            return;
        };
        let task_cpus = self.config.task_cpus;
        let Some(p) = self.profiles.get_mut(&pid) else {
            return;
        };
        let pending = p.book.len() as i64;
        let missing = i64::from(p.target) - pending - i64::from(p.running) - i64::from(p.starting);
        if missing > 0 {
            // Cancel every stale request: the driver no longer wants those hosts.
            let stale = p.book.stale(|h| p.is_preferred(h));
            for &seq in &stale {
                p.book.remove(seq);
            }
            let cancelled = stale.len() as i64;
            let mut available = missing + cancelled;
            if let Some(cap) = cap {
                let room = (cap as i64 - (pending - cancelled)).max(0);
                available = available.min(room);
            }
            let available = available.max(0) as usize;
            let potential = available + p.book.any_host_count();
            let matched: Vec<(Vec<HostName>, usize)> = p
                .book
                .matched_sets(|h| p.is_preferred(h))
                .into_iter()
                .map(|(ids, n)| (ids.iter().map(|&h| self.hosts.name(h).clone()).collect(), n))
                .collect();
            let pending_view: Vec<(&[HostName], usize)> =
                matched.iter().map(|(n, c)| (&n[..], *c)).collect();
            let placement = place(&PlacementInput {
                containers: potential,
                locality_aware_tasks: p.locality_tasks,
                host_task_counts: &p.host_tasks,
                allocated: &p.host_containers,
                pending: &pending_view,
                executor_cores: p.executor_cores,
                task_cpus,
            });
            let localized = placement.localized();
            let any_to_add = if available >= localized {
                available - localized
            } else {
                // Give up some any-host requests so that localized ones take their place.
                for seq in p.book.first_any_host(localized - available) {
                    p.book.remove(seq);
                }
                0
            };
            p.book.reserve(localized + any_to_add);
            // The first group holds every preferred host: resolve them in one batch.
            if let Some(first) = placement.groups.first() {
                let ids: Vec<HostId> = first
                    .positions
                    .iter()
                    .map(|&i| p.host_task_ids[i as usize])
                    .collect();
                self.hosts.resolve(&ids, &mut self.racks);
            }
            for g in &placement.groups {
                let host_ids: Vec<HostId> = g
                    .positions
                    .iter()
                    .map(|&i| p.host_task_ids[i as usize])
                    .collect();
                let mut seen = vec![false; self.hosts.rack_count()];
                let mut rack_ids = Vec::new();
                for &h in &host_ids {
                    let r = self.hosts.rack(h, &mut self.racks);
                    if seen.len() <= r as usize {
                        seen.resize(r as usize + 1, false);
                    }
                    if !seen[r as usize] {
                        seen[r as usize] = true;
                        rack_ids.push(r);
                    }
                }
                p.book.add_set(host_ids, rack_ids, g.count);
            }
            for _ in 0..any_to_add {
                p.book.add_any();
            }
        } else if missing < 0 && pending > 0 {
            // (With nothing missing nor surplus the split, a pass over every request, is
            // skipped: that is most heartbeats of a steady application.)
            let split = split_by_preference(p);
            let n = pending.min(-missing) as usize;
            cancel_in_order(&mut p.book, &split, n);
        }
        if let Some(cap) = cap
            && p.book.len() > cap
        {
            let split = split_by_preference(p);
            let n = p.book.len() - cap;
            cancel_in_order(&mut p.book, &split, n);
        }
    }

    /// The ask-table entries that changed since the last request, per profile.
    fn ask_changes(&mut self) -> Vec<ResourceAsk> {
        let mut out = Vec::new();
        let (host_count, rack_count) = (self.hosts.len(), self.hosts.rack_count());
        for (&pid, p) in &mut self.profiles {
            let current = p.book.ask_table(host_count, rack_count);
            if p.last_sent == current {
                continue;
            }
            let last = &p.last_sent;
            // Every entry of either table may change: reserve once instead of regrowing a
            // vector of large asks.
            out.reserve(
                1 + current.racks.len().max(last.racks.len())
                    + current.hosts.len().max(last.hosts.len()),
            );
            let ask = |name: Arc<str>, n: u32, any: bool| ResourceAsk {
                profile: pid,
                priority: pid as i32,
                resource_name: name,
                capability: p.ask.clone(),
                num_containers: n,
                relax_locality: true,
                node_label: if any {
                    self.config.node_label.clone()
                } else {
                    None
                },
                allocation_request_id: i64::from(pid),
            };
            if current.any != last.any {
                out.push(ask(Arc::from(ANY_LOCATION), current.any, true));
            }
            for (id, n) in diff(&last.racks, &current.racks) {
                out.push(ask(self.hosts.rack_name(id).clone(), n, false));
            }
            for (id, n) in diff(&last.hosts, &current.hosts) {
                out.push(ask(self.hosts.name(id).clone(), n, false));
            }
            p.last_sent = current;
        }
        out
    }
}

/// The profile's pending requests split by the driver's current preferences.
fn split_by_preference(p: &Profile) -> Split {
    p.book.split(|h| p.is_preferred(h))
}

/// Cancels `n` requests: stale first, then any-host, then localized (Spark's order).
fn cancel_in_order(book: &mut RequestBook, split: &Split, n: usize) {
    let order = split
        .stale
        .iter()
        .chain(&split.any_host)
        .chain(&split.matched);
    for &seq in order.take(n) {
        book.remove(seq);
    }
}

/// Entries of `current` that differ from `last`, and entries of `last` gone from `current`
/// (as 0); both lists are sorted by id.
fn diff(last: &[(u32, u32)], current: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < last.len() || j < current.len() {
        match (last.get(i), current.get(j)) {
            (Some(&(a, x)), Some(&(b, y))) if a == b => {
                if x != y {
                    out.push((b, y));
                }
                i += 1;
                j += 1;
            }
            (Some(&(a, _)), Some(&(b, _))) if a < b => {
                out.push((a, 0));
                i += 1;
            }
            (Some(&(a, _)), None) => {
                out.push((a, 0));
                i += 1;
            }
            (_, Some(&(b, y))) => {
                out.push((b, y));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}
