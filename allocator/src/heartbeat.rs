//! The heartbeat schedule: fast while something is pending (200 ms doubling up to the steady
//! interval), steady otherwise, and an early wake-up (rate-limited to the initial interval)
//! when the driver changes a target.

use crate::config::HeartbeatConfig;
use crate::types::Millis;

/// When the next allocate call is due.
#[derive(Clone, Debug)]
pub struct HeartbeatSchedule {
    steady: Millis,
    initial: Millis,
    next_fast: Millis,
    last_at: Option<Millis>,
    last_interval: Option<Millis>,
    woken: bool,
}

impl HeartbeatSchedule {
    /// A schedule: steady = `min(expiry / 2, interval)`, initial = `min(initial, steady)`.
    pub fn new(c: &HeartbeatConfig) -> Self {
        let steady = (c.am_expiry_interval_ms / 2).min(c.interval_ms);
        let initial = c.initial_allocation_interval_ms.min(steady);
        Self {
            steady,
            initial,
            next_fast: initial,
            last_at: None,
            last_interval: None,
            woken: false,
        }
    }

    /// The steady heartbeat.
    pub fn steady(&self) -> Millis {
        self.steady
    }

    /// Records an allocate call at `now` and returns how long to wait before the next one.
    pub fn after_allocate(&mut self, now: Millis, something_pending: bool) -> Millis {
        let interval = if something_pending {
            let current = self.steady.min(self.next_fast);
            self.next_fast = current.saturating_mul(2);
            current
        } else {
            self.next_fast = self.initial;
            self.steady
        };
        self.last_at = Some(now);
        self.last_interval = Some(interval);
        self.woken = false;
        interval
    }

    /// A target changed: restart the back-off and wake the loop early.
    pub fn reset(&mut self) {
        self.next_fast = self.initial;
        self.woken = true;
    }

    /// How long the most recent allocate said to wait (`None` before the first).
    pub fn last_interval(&self) -> Option<Millis> {
        self.last_interval
    }

    /// The clock value at which the next allocate is due (`None` before the first: now).
    /// After a wake-up it is at least the initial interval after the last allocate.
    pub fn next_at(&self) -> Option<Millis> {
        let last = self.last_at?;
        let wait = self.last_interval.unwrap_or(self.steady);
        let wait = if self.woken {
            wait.min(self.initial)
        } else {
            wait
        };
        Some(last.saturating_add(wait))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_then_steady() {
        let mut h = HeartbeatSchedule::new(&HeartbeatConfig::default());
        let seq: Vec<Millis> = (0..7).map(|i| h.after_allocate(i, true)).collect();
        assert_eq!(seq, vec![200, 400, 800, 1600, 3000, 3000, 3000]);
        assert_eq!(h.after_allocate(10, false), 3000);
        assert_eq!(h.after_allocate(20, true), 200);
        assert_eq!(h.after_allocate(30, true), 400);
        h.reset();
        assert_eq!(h.next_at(), Some(30 + 200));
        assert_eq!(h.after_allocate(40, true), 200);
        assert_eq!(h.next_at(), Some(240));
    }

    #[test]
    fn steady_is_capped_by_expiry() {
        let c = HeartbeatConfig {
            interval_ms: 3000,
            initial_allocation_interval_ms: 5000,
            am_expiry_interval_ms: 2000,
        };
        let mut h = HeartbeatSchedule::new(&c);
        assert_eq!(h.steady(), 1000);
        assert_eq!(h.after_allocate(0, true), 1000);
        assert_eq!(h.after_allocate(0, false), 1000);
    }
}
