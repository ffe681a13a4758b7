//! Host exclusion from three sources — static, the driver's, and the allocator's own after
//! failures (expiring) — sent to the RM as net differences from what it was last told.

use std::collections::{BTreeMap, BTreeSet};

use crate::types::{HostName, Millis};

/// The additions and removals of one allocate request, each sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExclusionDelta {
    /// Hosts the RM should stop offering.
    pub additions: Vec<HostName>,
    /// Hosts the RM may offer again.
    pub removals: Vec<HostName>,
}

impl ExclusionDelta {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.additions.is_empty() && self.removals.is_empty()
    }
}

/// The exclusion state.
#[derive(Clone, Debug, Default)]
pub struct ExclusionTracker {
    static_hosts: BTreeSet<HostName>,
    scheduler: BTreeSet<HostName>,
    /// Allocator exclusions: host → time of exclusion + timeout.
    own: BTreeMap<HostName, Millis>,
    last_sent: BTreeSet<HostName>,
}

impl ExclusionTracker {
    /// A tracker with statically excluded hosts (sent in the first request, never removed).
    pub fn new(static_hosts: BTreeSet<HostName>) -> Self {
        Self {
            static_hosts,
            ..Self::default()
        }
    }

    /// Replaces the driver's excluded hosts.
    pub fn set_scheduler_excluded(&mut self, hosts: BTreeSet<HostName>) {
        self.scheduler = hosts;
    }

    /// Excludes `host` until `until` (an exclusion already in place is extended, never
    /// shortened).
    pub fn exclude_until(&mut self, host: &HostName, until: Millis) {
        let e = self.own.entry(host.clone()).or_insert(until);
        *e = (*e).max(until);
    }

    /// Drops the allocator's exclusions whose time is up (`now >= until`).
    pub fn expire(&mut self, now: Millis) {
        self.own.retain(|_, until| now < *until);
    }

    /// True if the driver or the allocator excludes `host` (static exclusions not included).
    pub fn excluded_by_scheduler_or_allocator(&self, host: &str) -> bool {
        self.scheduler.contains(host) || self.own.contains_key(host)
    }

    /// True if any source excludes `host`.
    pub fn is_excluded(&self, host: &str) -> bool {
        self.static_hosts.contains(host) || self.excluded_by_scheduler_or_allocator(host)
    }

    /// The current set (static ∪ driver's ∪ own), including changes not yet sent.
    pub fn current(&self) -> BTreeSet<HostName> {
        let mut all = self.static_hosts.clone();
        all.extend(self.scheduler.iter().cloned());
        all.extend(self.own.keys().cloned());
        all
    }

    /// The number of hosts currently excluded.
    pub fn count(&self) -> usize {
        self.current().len()
    }

    /// The net difference between the set last sent and the current one; records it as sent.
    pub fn take_delta(&mut self) -> ExclusionDelta {
        let current = self.current();
        let additions = current.difference(&self.last_sent).cloned().collect();
        let removals = self.last_sent.difference(&current).cloned().collect();
        self.last_sent = current;
        ExclusionDelta {
            additions,
            removals,
        }
    }

    /// Forgets what was sent, so the next delta re-sends the whole set (after an RM resync).
    pub fn forget_sent(&mut self) {
        self.last_sent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(hosts: &[&str]) -> BTreeSet<HostName> {
        hosts.iter().map(|h| HostName::from(*h)).collect()
    }

    #[test]
    fn deltas_are_net_and_sorted() {
        let mut t = ExclusionTracker::new(set(&["s"]));
        t.set_scheduler_excluded(set(&["b", "a"]));
        let d = t.take_delta();
        assert_eq!(
            d.additions,
            vec![HostName::from("a"), "b".into(), "s".into()]
        );
        assert!(d.removals.is_empty());
        assert!(t.take_delta().is_empty());
        t.exclude_until(&"c".into(), 100);
        t.set_scheduler_excluded(set(&["a"]));
        let d = t.take_delta();
        assert_eq!(d.additions, vec![HostName::from("c")]);
        assert_eq!(d.removals, vec![HostName::from("b")]);
        t.expire(99);
        assert!(t.is_excluded("c"));
        t.expire(100);
        assert!(!t.is_excluded("c"));
        assert_eq!(t.take_delta().removals, vec![HostName::from("c")]);
        // Added and removed again before a send: nothing to tell.
        t.exclude_until(&"d".into(), 10);
        t.expire(10);
        assert!(t.take_delta().is_empty());
        t.forget_sent();
        assert_eq!(t.take_delta().additions.len(), 2);
    }
}
