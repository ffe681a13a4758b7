use super::*;

fn endings() -> Vec<(Ending, FinalStatus, i32)> {
    use FinalStatus::*;
    use exit_code::*;
    let s = |t: &str| t.to_string();
    vec![
        (Ending::DriverSucceeded, Succeeded, SUCCESS),
        (
            Ending::DriverFailed {
                reason: s("exited with code 3"),
            },
            Failed,
            USER_CODE,
        ),
        (
            Ending::DriverNeverStarted {
                reason: s("no such file"),
            },
            Failed,
            DRIVER_NEVER_STARTED,
        ),
        (
            Ending::DriverShutdown {
                succeeded: true,
                message: s(""),
            },
            Succeeded,
            SUCCESS,
        ),
        (
            Ending::DriverShutdown {
                succeeded: false,
                message: s("job 3 failed"),
            },
            Failed,
            USER_CODE,
        ),
        (
            Ending::DriverKilled {
                message: s("by alice"),
            },
            Killed,
            SUCCESS,
        ),
        (
            Ending::DriverDisconnected { reason: s("reset") },
            Failed,
            DISCONNECTED,
        ),
        (
            Ending::MaxExecutorFailures {
                message: s("Max number of executor failures (3) reached"),
            },
            Failed,
            MAX_EXECUTOR_FAILURES,
        ),
        (Ending::AllNodesExcluded, Failed, MAX_EXECUTOR_FAILURES),
        (
            Ending::ReporterFailed {
                message: s("5 heartbeats failed in a row"),
            },
            Failed,
            REPORTER_FAILURE,
        ),
        (
            Ending::Terminated {
                signal: s("SIGTERM"),
            },
            Failed,
            EARLY_EXIT,
        ),
        (
            Ending::Internal { message: s("bug") },
            Failed,
            UNCAUGHT_EXCEPTION,
        ),
    ]
}

/// The whole table: mode × ending × (first, middle, last attempt).
#[test]
fn mode_outcome_attempt_table() {
    for mode in [Mode::Cluster, Mode::Client] {
        for (attempt, max) in [(1, 2), (2, 3), (2, 2), (1, 1)] {
            for (ending, status, code) in endings() {
                let mut o = Outcome::new(mode, attempt, max);
                let last = attempt >= max;
                let d = o.on(ending.clone()).expect("first ending decides").clone();
                let case = format!("{mode:?} attempt {attempt}/{max} {ending:?}");
                assert_eq!(d.status, status, "{case}");
                assert_eq!(d.exit_code, code, "{case}");
                // Unregister only when the application is final.
                let final_app = status != FinalStatus::Failed || last;
                assert_eq!(d.unregister, final_app, "{case}");
                assert_eq!(d.clean_staging, final_app, "{case}");
                // A failure that will be retried says so.
                if status == FinalStatus::Failed {
                    assert_eq!(
                        d.diagnostics.contains("will retry"),
                        !last,
                        "{case}: {}",
                        d.diagnostics
                    );
                    assert!(!d.diagnostics.is_empty(), "{case}");
                }
                // Staging is cleaned at most once, and only when final.
                assert_eq!(o.take_staging_cleanup(), final_app, "{case}");
                assert!(!o.take_staging_cleanup(), "{case}");
                // Nothing later changes the decision.
                assert_eq!(
                    o.on(Ending::Terminated {
                        signal: "SIGTERM".into()
                    }),
                    None
                );
                assert_eq!(o.on(Ending::DriverSucceeded), None);
                assert_eq!(o.decision(), Some(&d), "{case}");
            }
        }
    }
}

#[test]
fn nothing_to_clean_before_a_decision() {
    let mut o = Outcome::new(Mode::Cluster, 1, 2);
    assert!(!o.take_staging_cleanup());
    assert!(o.decision().is_none());
    assert!(!o.is_last_attempt());
    // A zero max is read as one attempt.
    assert!(Outcome::new(Mode::Client, 1, 0).is_last_attempt());
}

#[test]
fn sigterm_names_the_mode() {
    for (mode, expected) in [
        (Mode::Cluster, "before the driver finished"),
        (Mode::Client, "before the driver said"),
    ] {
        let mut outcome = Outcome::new(mode, 1, 1);
        let d = outcome
            .on(Ending::Terminated {
                signal: "SIGTERM".into(),
            })
            .unwrap();
        assert!(
            d.diagnostics.contains(expected),
            "{mode:?}: {}",
            d.diagnostics
        );
    }
}

#[test]
fn long_diagnostics_keep_both_ends() {
    let text = format!("START{}END", "é".repeat(DIAGNOSTICS_LIMIT));
    let cut = abbreviate(text, 101);
    assert!(cut.len() <= 101, "{}", cut.len());
    assert!(cut.starts_with("START") && cut.ends_with("END"), "{cut}");
    assert_eq!(abbreviate("short".into(), 10), "short");
    let mut o = Outcome::new(Mode::Cluster, 1, 1);
    let d = o
        .on(Ending::DriverFailed {
            reason: "x".repeat(3 * DIAGNOSTICS_LIMIT),
        })
        .unwrap();
    assert!(d.diagnostics.len() <= DIAGNOSTICS_LIMIT);
}

#[test]
fn a_failure_reports_its_exit_code_to_the_resource_manager() {
    let mut o = Outcome::new(Mode::Cluster, 1, 1);
    let d = o
        .on(Ending::MaxExecutorFailures {
            message: "Max number of executor failures (2) reached".into(),
        })
        .unwrap()
        .clone();
    assert_eq!(
        reported_diagnostics(&d),
        "Max number of executor failures (2) reached [exit code 11]"
    );
    let mut ok = Outcome::new(Mode::Cluster, 1, 1);
    let d = ok.on(Ending::DriverSucceeded).unwrap().clone();
    assert_eq!(reported_diagnostics(&d), "");
}
