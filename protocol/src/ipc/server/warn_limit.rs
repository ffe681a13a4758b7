//! Rate limiting of repeated warnings: a hostile or broken peer must not fill the log (a
//! probe once produced 15,958 identical refusal lines in a minute).
//!
//! Each kind of warning is logged at most once per [`WINDOW`]; the first line after a window
//! in which some were held back says how many.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// One warning of each kind per this long.
pub(crate) const WINDOW: Duration = Duration::from_secs(10);

#[derive(Debug)]
struct Kind {
    window_start: Instant,
    suppressed: u64,
}

/// Per-kind counters; cheap to call on every refusal.
#[derive(Debug, Default)]
pub(crate) struct WarnLimit {
    kinds: Mutex<HashMap<&'static str, Kind>>,
}

/// Whether to log this occurrence, and how many were held back before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Log it; `suppressed` similar warnings were not logged since the last one.
    Log {
        /// How many were held back.
        suppressed: u64,
    },
    /// Do not log it.
    Quiet,
}

impl WarnLimit {
    /// Counts one occurrence of `kind` at `now`.
    pub(crate) fn check(&self, kind: &'static str, now: Instant) -> Verdict {
        let mut kinds = self.kinds.lock().unwrap_or_else(|p| p.into_inner());
        match kinds.get_mut(kind) {
            Some(k) if now < k.window_start + WINDOW => {
                k.suppressed += 1;
                Verdict::Quiet
            }
            Some(k) => {
                let suppressed = std::mem::take(&mut k.suppressed);
                k.window_start = now;
                Verdict::Log { suppressed }
            }
            None => {
                kinds.insert(
                    kind,
                    Kind {
                        window_start: now,
                        suppressed: 0,
                    },
                );
                Verdict::Log { suppressed: 0 }
            }
        }
    }
}

/// Logs a warning through `$limit` (a [`WarnLimit`]) at most once per window for `$kind`.
macro_rules! limited_warn {
    ($limit:expr, $kind:expr, $($arg:tt)+) => {
        if let $crate::ipc::server::warn_limit::Verdict::Log { suppressed } =
            $limit.check($kind, tokio::time::Instant::now())
        {
            tracing::warn!(kind = $kind, suppressed_since_last = suppressed, $($arg)+);
        }
    };
}
pub(crate) use limited_warn;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_window_then_the_count_of_held_back_ones() {
        let limit = WarnLimit::default();
        let t0 = Instant::now();
        assert_eq!(limit.check("full", t0), Verdict::Log { suppressed: 0 });
        for i in 1..=1000 {
            assert_eq!(
                limit.check("full", t0 + Duration::from_millis(i)),
                Verdict::Quiet
            );
        }
        // Another kind has its own window.
        assert_eq!(
            limit.check("preamble", t0 + Duration::from_millis(5)),
            Verdict::Log { suppressed: 0 }
        );
        assert_eq!(
            limit.check("full", t0 + WINDOW),
            Verdict::Log { suppressed: 1000 }
        );
        assert_eq!(
            limit.check("full", t0 + WINDOW + Duration::from_millis(1)),
            Verdict::Quiet
        );
    }
}
