//! Scenario files: JSON descriptions of heartbeats and the checks to make after them. The
//! format, this crate's extensions included, is described in `docs/allocator-scenarios.md`.
//!
//! This module takes the file's text; reading files is the caller's business (the
//! `scenarios` example and the tests), so the library stays free of I/O. It is built only
//! with the `scenario` feature.

mod expect;
mod format;
mod runner;

use thiserror::Error;

pub use runner::{Outcome, run_scenario};

/// A scenario file that cannot be run as written.
#[derive(Debug, Error)]
pub enum ScenarioError {
    /// Not JSON, or not the shape of a scenario (unknown keys included).
    #[error("malformed scenario: {0}")]
    Malformed(String),
    /// A step that cannot be carried out.
    #[error("step {step}: {message}")]
    Step {
        /// The step index, from 0.
        step: usize,
        /// What is wrong.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match run_scenario(text) {
            Err(e) => e.to_string(),
            Ok(o) => panic!("expected an error, got {o:?}"),
        }
    }

    fn failure(text: &str) -> (usize, String) {
        run_scenario(text)
            .expect("runs")
            .failure
            .expect("a failed check")
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(err(r#"{"name": "x", "steps": [], "typo": 1}"#).contains("typo"));
        assert!(
            err(r#"{"name": "x", "config": {"initial_executor": 1}, "steps": []}"#)
                .contains("initial_executor")
        );
        assert!(
            err(r#"{"name": "x", "steps": [{"allocate": {"alocated": []}}]}"#).contains("alocated")
        );
        assert!(err(r#"{"name": "x", "steps": [{"expect": {"runing": 1}}]}"#).contains("runing"));
        assert!(err(r#"{"name": "x", "steps": [{"frobnicate": 1}]}"#).contains("frobnicate"));
        assert!(
            err(r#"{"name": "x", "steps": [{"advance_ms": 1, "allocate": {}}]}"#)
                .contains("exactly one action")
        );
        assert!(err(r#"{"name": "x", "placement": {"containers": 1, "executor_cores": 1, "locality_aware_tasks": 0, "x": 1}, "expect": []}"#).contains("x"));
    }

    #[test]
    fn malformed_files_are_errors() {
        assert!(err("not json").contains("malformed"));
        assert!(err("[1, 2]").contains("one JSON object"));
        assert!(err(r#"{"steps": []}"#).contains("name"));
        assert!(
            err(r#"{"name": "x", "config": {"executor_cores": 0}, "steps": []}"#).contains("cores")
        );
        assert!(
            err(r#"{"name": "x", "config": {"initial_executors": -1}, "steps": []}"#)
                .contains("initial_executors")
        );
    }

    #[test]
    fn bad_steps_name_their_index() {
        let e = err(r#"{"name": "x", "steps": [{"allocate": {}}, {"targets": {"3": 1}}]}"#);
        assert!(e.starts_with("step 1:") && e.contains("profile 3"), "{e}");
        let e = err(r#"{"name": "x", "steps": [{"targets": {"0": -4}}]}"#);
        assert!(e.contains("-4"), "{e}");
        let e = err(r#"{"name": "x", "steps": [{"targets": {"0": 99999999}}]}"#);
        assert!(e.contains("exceeds the maximum"), "{e}");
        let e = err(r#"{"name": "x", "steps": [{"launch_succeeded": "c1"}]}"#);
        assert!(e.contains("not starting"), "{e}");
        let e = err(r#"{"name": "x", "steps": [{"advance_ms": 5}, {"at_ms": 4, "allocate": {}}]}"#);
        assert!(e.contains("back in time"), "{e}");
        let e = err(
            r#"{"name": "x", "steps": [{"allocate": {"updated_nodes": [{"host": "h", "state": "ON_FIRE"}]}}]}"#,
        );
        assert!(e.contains("ON_FIRE"), "{e}");
    }

    #[test]
    fn wrong_types_name_the_step_and_the_path() {
        let e = err(r#"{"name": "x", "steps": [{"allocate": {}}, {"kill_executor": 5}]}"#);
        assert!(
            e.starts_with("step 1: kill_executor:") && e.contains("expected a string"),
            "{e}"
        );
        let e = err(
            r#"{"name": "x", "steps": [{"allocate": {"allocated": [{"id": "c1", "host": "h", "memory_mb": "big"}]}}]}"#,
        );
        assert!(
            e.starts_with("step 0: allocate.allocated[0].memory_mb:"),
            "{e}"
        );
        let e = err(r#"{"name": "x", "steps": [{"at_ms": "soon", "allocate": {}}]}"#);
        assert!(e.starts_with("step 0: at_ms:"), "{e}");
        let e =
            err(r#"{"name": "x", "steps": [{"targets": {"0": 1}, "scheduler_excluded": "h1"}]}"#);
        assert!(
            e.contains("scheduler_excluded") && e.contains("sequence"),
            "{e}"
        );
        let e = err(r#"{"name": "x", "steps": [{"scheduler_excluded": [], "allocate": {}}]}"#);
        assert!(e.contains("exactly one action"), "{e}");
        let e = err(r#"{"name": "x", "steps": [{"allocate": {}}, 7]}"#);
        assert!(e.starts_with("step 1:") && e.contains("object"), "{e}");
        let e = err(r#"{"name": "x", "config": {"launch": "eventually"}, "steps": []}"#);
        assert!(
            e.contains("config.launch") && e.contains("eventually"),
            "{e}"
        );
    }

    #[test]
    fn a_malformed_step_runs_nothing() {
        // A failing check before a malformed step: the file is refused, not half run.
        let e = err(r#"{"name": "x", "steps": [{"expect": {"pending": 9}}, {"frobnicate": 1}]}"#);
        assert!(e.starts_with("step 1:") && e.contains("frobnicate"), "{e}");
    }

    #[test]
    fn failed_checks_report_step_and_values() {
        let (step, m) = failure(
            r#"{"name": "x", "config": {"initial_executors": 2}, "steps": [{"allocate": {}}, {"expect": {"pending": 3}}]}"#,
        );
        assert_eq!(step, 1);
        assert_eq!(m, "pending: expected 3, actual 2");
        let (_, m) = failure(r#"{"name": "x", "steps": [{"expect": {"excluded_nodes": ["a"]}}]}"#);
        assert!(m.contains(r#"expected ["a"], actual []"#), "{m}");
        let (_, m) = failure(
            r#"{"name": "p", "placement": {"containers": 2, "executor_cores": 1, "locality_aware_tasks": 0}, "expect": [null]}"#,
        );
        assert!(m.contains("expected [null], actual [null,null]"), "{m}");
        let (_, m) =
            failure(r#"{"name": "x", "steps": [{"expect": {"app_failed": {"exit_code": 11}}}]}"#);
        assert!(m.contains("app_failed"), "{m}");
        let (_, m) = failure(r#"{"name": "x", "steps": [{"expect": {"next_heartbeat_ms": 200}}]}"#);
        assert!(m.contains("null"), "{m}");
    }
}
