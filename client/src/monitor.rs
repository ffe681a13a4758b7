//! Following an application for a person: a line per state change, as Spark's client prints
//! them (`Application report for application_… (state: RUNNING)` and the details that matter
//! at that point), and between them a progress bar (indicatif, on standard error, only on a
//! terminal) with the state, the elapsed time and the executors running.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use spindle_protocol::proto::yarn::YarnApplicationStateProto;

use crate::report::AppReport;

/// Executors of the application as its AM's tracking page reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExecutorCounts {
    /// Executors wanted.
    pub target: u64,
    /// Executors running.
    pub running: u64,
}

/// Reads the executor counts from the AM's tracking JSON (`<tracking URL>/json`).
pub fn executor_counts(json: &str) -> Option<ExecutorCounts> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let profiles = v.get("status")?.get("profiles")?.as_array()?;
    let mut counts = ExecutorCounts::default();
    for p in profiles {
        counts.target += p.get("target")?.as_u64()?;
        counts.running += p.get("running")?.as_u64()?;
    }
    Some(counts)
}

/// The AM's tracking JSON, when its page answers quickly.
pub async fn fetch_executor_counts(tracking_url: &str) -> Option<ExecutorCounts> {
    let url = format!("{}/json", tracking_url.trim_end_matches('/'));
    let text = crate::http::get_text(&url, 4 * 1024 * 1024, Duration::from_millis(500))
        .await
        .ok()?;
    executor_counts(&text)
}

/// What a person sees while an application runs.
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    quiet: bool,
    last: Option<YarnApplicationStateProto>,
}

impl Progress {
    /// A progress display on standard error (a bar on a terminal, state lines always), or
    /// nothing at all when `quiet`.
    pub fn new(quiet: bool) -> Self {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        };
        Progress {
            bar,
            quiet,
            last: None,
        }
    }

    /// State lines only, no bar (when another program writes to the same terminal, as a
    /// client-mode driver does).
    pub fn lines_only() -> Self {
        Progress {
            bar: ProgressBar::hidden(),
            quiet: false,
            last: None,
        }
    }

    /// Prints a line above the bar (also when no bar is drawn).
    pub fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        self.bar.suspend(|| eprintln!("{text}"));
    }

    /// Takes a new report (and the executor counts, when known).
    pub fn update(&mut self, report: &AppReport, executors: Option<ExecutorCounts>) {
        if self.last != Some(report.state) {
            self.last = Some(report.state);
            for line in state_lines(report) {
                self.line(&line);
            }
        }
        let mut msg = format!("{} {}", report.id, report.state_name());
        if let Some(c) = executors {
            msg.push_str(&format!(" · {}/{} executors", c.running, c.target));
        }
        if report.progress > 0.0 {
            msg.push_str(&format!(" · {:.0}%", report.progress * 100.0));
        }
        self.bar.set_message(msg);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The lines printed when `report`'s state is new.
pub fn state_lines(report: &AppReport) -> Vec<String> {
    let mut lines = vec![format!(
        "Application report for {} (state: {})",
        report.id,
        report.state_name()
    )];
    let na = |v: Option<&str>| v.unwrap_or("N/A").to_string();
    match report.state {
        YarnApplicationStateProto::Running => {
            lines.push(format!(
                "\t ApplicationMaster host: {}",
                na(report.am_host.as_deref())
            ));
            lines.push(format!(
                "\t tracking URL: {}",
                na(report.tracking_url.as_deref())
            ));
            lines.push(format!("\t queue: {}, user: {}", report.queue, report.user));
        }
        s if report.is_final() || s == YarnApplicationStateProto::Accepted => {
            lines.push(format!("\t final status: {}", report.final_status_name()));
            if report.is_final()
                && let Some(url) = &report.tracking_url
            {
                lines.push(format!("\t tracking URL: {url}"));
            }
            if !report.diagnostics.is_empty() {
                lines.push(format!("\t diagnostics: {}", report.diagnostics));
            }
        }
        _ => {}
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_come_from_the_tracking_json() {
        let json = r#"{"application":{},"status":{"state":"REGISTERED","profiles":[{"profile":0,"target":8,"pending":2,"starting":1,"running":5}]}}"#;
        assert_eq!(
            executor_counts(json),
            Some(ExecutorCounts {
                target: 8,
                running: 5
            })
        );
        assert_eq!(executor_counts("not json"), None);
        assert_eq!(executor_counts(r#"{"status":{}}"#), None);
    }
}
