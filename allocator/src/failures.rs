//! Failure accounting: a global count with an optional validity window, a per-minute rate,
//! and per-host counts for exclusion.

use std::collections::VecDeque;

use crate::fasthash::FastMap;

use crate::types::{HostName, Millis};

/// One minute, the window of the rate limit.
pub const RATE_WINDOW_MS: Millis = 60_000;

/// Timestamps of failures, pruned to what a window can still see.
#[derive(Debug, Clone, Default)]
struct Timestamps {
    /// Failures that fell out of every window we keep (counted only when there is no window).
    expired: u64,
    recent: VecDeque<Millis>,
}

impl Timestamps {
    fn push(&mut self, at: Millis) {
        self.recent.push_back(at);
    }

    /// Drops entries no window of length `keep` (ending at `now`) can see.
    fn prune(&mut self, now: Millis, keep: Millis) {
        let floor = now.saturating_sub(keep);
        while self.recent.front().is_some_and(|&t| t < floor) {
            self.recent.pop_front();
            self.expired += 1;
        }
    }

    /// Entries with `t >= now − window`, or all entries ever when `window` is `None`.
    fn count(&self, now: Millis, window: Option<Millis>) -> u64 {
        match window {
            None => self.expired + self.recent.len() as u64,
            Some(w) => {
                let floor = now.saturating_sub(w);
                // Entries are pushed in clock order, so the in-window ones are a suffix.
                let older = self.recent.partition_point(|&t| t < floor);
                (self.recent.len() - older) as u64
            }
        }
    }
}

/// Counts executor failures.
#[derive(Debug, Clone)]
pub struct FailureTracker {
    window: Option<Millis>,
    keep: Option<Millis>,
    global: Timestamps,
    per_host: FastMap<HostName, Timestamps>,
}

impl FailureTracker {
    /// A tracker whose counts see failures inside `window` (`None`: forever); with
    /// `rate_limited`, the last minute is kept too.
    pub fn new(window: Option<Millis>, rate_limited: bool) -> Self {
        let keep = match (window, rate_limited) {
            (None, _) => None,
            (Some(w), true) => Some(w.max(RATE_WINDOW_MS)),
            (Some(w), false) => Some(w),
        };
        Self {
            window,
            keep,
            global: Timestamps::default(),
            per_host: FastMap::default(),
        }
    }

    /// Records a failure that counts globally only.
    pub fn record(&mut self, now: Millis) {
        self.global.push(now);
        self.prune(now);
    }

    /// Records a failure on `host` (counted globally too).
    pub fn record_on_host(&mut self, host: &HostName, now: Millis) {
        self.global.push(now);
        self.per_host.entry(host.clone()).or_default().push(now);
        self.prune(now);
    }

    fn prune(&mut self, now: Millis) {
        if let Some(keep) = self.keep {
            self.global.prune(now, keep);
        } else if self.global.recent.len() > 4096 {
            // No window at all: only a rate might look at old entries, and only at the last
            // minute; fold the rest into the total.
            self.global.prune(now, RATE_WINDOW_MS);
        }
    }

    /// Failures counted toward the limit at `now`.
    pub fn failures(&self, now: Millis) -> u64 {
        self.global.count(now, self.window)
    }

    /// Failures in the last minute.
    pub fn failures_last_minute(&self, now: Millis) -> u64 {
        self.global.count(now, Some(RATE_WINDOW_MS))
    }

    /// Failures on `host` counted for exclusion at `now`.
    pub fn host_failures(&self, host: &str, now: Millis) -> u64 {
        self.per_host
            .get(host)
            .map(|t| t.count(now, self.window))
            .unwrap_or(0)
    }

    /// Drops per-host entries that no longer count (bounds memory on big clusters).
    pub fn prune_hosts(&mut self, now: Millis) {
        if let Some(w) = self.window {
            self.per_host.retain(|_, t| {
                t.prune(now, w);
                !t.recent.is_empty()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_inclusive() {
        let mut t = FailureTracker::new(Some(100), false);
        t.record_on_host(&"h".into(), 0);
        t.record(50);
        assert_eq!(
            t.failures(100),
            2,
            "a failure at t counts while t >= now - window"
        );
        assert_eq!(t.failures(101), 1);
        assert_eq!(t.host_failures("h", 100), 1);
        assert_eq!(t.host_failures("h", 101), 0);
        assert_eq!(t.failures(151), 0);
    }

    #[test]
    fn no_window_counts_forever() {
        let mut t = FailureTracker::new(None, true);
        for i in 0..10_000 {
            t.record(i * 1000);
        }
        assert_eq!(t.failures(u64::MAX / 2), 10_000);
        assert_eq!(t.failures_last_minute(9_999_000), 61);
    }

    #[test]
    fn rate_counts_last_minute() {
        let mut t = FailureTracker::new(Some(10), true);
        t.record(0);
        t.record(30_000);
        assert_eq!(t.failures(30_000), 1);
        assert_eq!(t.failures_last_minute(60_000), 2);
        assert_eq!(t.failures_last_minute(60_001), 1);
    }
}
