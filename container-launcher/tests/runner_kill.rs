//! Stopping containers: kill reasons and their exit statuses, the SIGTERM → SIGKILL grace period,
//! physical-memory enforcement, and that no process of a container survives it.

mod common;

use std::time::{Duration, Instant};

use common::*;
use spindle_launcher::runner::StartError;
use spindle_launcher::{ContainerState, StopOutcome, StopReason};

/// A container that starts two background sleeps, records all pids, and waits. (`\$` defers the
/// expansion to the inner `bash -c`, as YARN commands must.)
const FAMILY: &str = "sleep 300 & echo \\$! > <LOG_DIR>/pids; sleep 300 & echo \\$! >> <LOG_DIR>/pids; \
                      echo \\$\\$ >> <LOG_DIR>/pids; wait";

async fn running_family(t: &mut TestRunner, app_n: u32, seq: u32, command: &str) -> Vec<i32> {
    let s = spec(app_n, seq, command);
    let log_dir = t.log_dir(&s);
    t.runner.start(s).unwrap();
    let text = wait_for_lines(&log_dir.join("pids"), 3, Duration::from_secs(20)).await;
    let pids = pids(&text);
    assert_eq!(pids.len(), 3);
    assert!(pids.iter().all(|p| alive(*p)));
    pids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_by_the_am_reports_minus_105_and_kills_the_whole_group() {
    let mut t = TestRunner::new();
    let pids = running_family(&mut t, 1, 2, FAMILY).await;
    let leader = pids[2];
    assert_eq!(
        t.runner.status(&cid(1, 2)),
        Some(ContainerState::Running { pid: leader })
    );
    assert_eq!(
        t.runner.stop(&cid(1, 2), StopReason::KilledByAppMaster),
        StopOutcome::Stopping
    );
    let exit = t.events.wait(&cid(1, 2), Duration::from_secs(10)).await;
    assert_exit(&exit, -105, &["Exit code is 143"]);
    assert_gone(&pids).await;
    assert_eq!(
        t.runner.stop(&cid(1, 2), StopReason::KilledByAppMaster),
        StopOutcome::AlreadyDone
    );
    assert_eq!(
        t.runner
            .stop("container_9_9999_01_000001", StopReason::Released),
        StopOutcome::Unknown
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn released_and_other_reasons_map_to_their_statuses() {
    let mut t = TestRunner::new();
    for (seq, reason, status) in [
        (2, StopReason::Released, -100),
        (3, StopReason::Preempted, -102),
        (4, StopReason::AfterAppCompletion, -107),
    ] {
        let pids = running_family(&mut t, 1, seq, FAMILY).await;
        t.runner.stop(&cid(1, seq), reason);
        let exit = t.events.wait(&cid(1, seq), Duration::from_secs(10)).await;
        assert_eq!(exit.exit_status, status, "{}", exit.diagnostics);
        assert_gone(&pids).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_that_ignores_sigterm_is_killed_after_the_grace_period() {
    let grace = Duration::from_millis(600);
    let mut t = TestRunner::with(|c| c.kill_grace = grace);
    let pids = running_family(&mut t, 1, 2, &format!("trap '' TERM; {FAMILY}")).await;
    let stopped = Instant::now();
    t.runner.stop(&cid(1, 2), StopReason::KilledByAppMaster);
    // Still alive while the grace period runs (SIGTERM is ignored).
    tokio::time::sleep(grace / 3).await;
    assert!(
        pids.iter().all(|p| alive(*p)),
        "SIGTERM must not have killed them"
    );
    let exit = t.events.wait(&cid(1, 2), Duration::from_secs(10)).await;
    assert!(
        stopped.elapsed() >= grace,
        "SIGKILL came before the grace period ended"
    );
    assert_exit(&exit, -105, &["Exit code is 137"]);
    assert_gone(&pids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leftover_processes_die_when_the_leader_exits() {
    let mut t = TestRunner::new();
    let s = spec(1, 2, "sleep 300 & echo \\$! > <LOG_DIR>/pids; exit 0");
    let log_dir = t.log_dir(&s);
    let exit = t.run(s).await;
    assert_eq!(exit.exit_status, 0);
    let left = pids(&read(&log_dir, "pids"));
    assert_eq!(left.len(), 1, "the background pid was recorded");
    assert_gone(&left).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_container_over_its_memory_limit_is_killed_with_minus_104() {
    let mut t = TestRunner::new();
    let mut s = spec(
        1,
        2,
        "echo \\$\\$ > <LOG_DIR>/pids; x=\\$(head -c 200000000 /dev/zero | tr '\\0' a); sleep 300",
    );
    s.memory_limit_mb = 64;
    let log_dir = t.log_dir(&s);
    t.runner.start(s).unwrap();
    let exit = t.events.wait(&cid(1, 2), Duration::from_secs(60)).await;
    assert_eq!(exit.exit_status, -104, "{}", exit.diagnostics);
    let re = regex::Regex::new(r"[0-9.]+ [KMG]B of [0-9.]+ [KMG]B (physical|virtual) memory used")
        .unwrap();
    assert!(re.is_match(&exit.diagnostics), "{}", exit.diagnostics);
    assert!(
        exit.diagnostics.contains("of 64 MB physical memory used"),
        "{}",
        exit.diagnostics
    );
    assert!(
        exit.diagnostics.contains("Dump of the process-tree"),
        "{}",
        exit.diagnostics
    );
    let leader = pids(&read(&log_dir, "pids"));
    assert_gone(&leader).await;

    // The same work under a generous limit is left alone.
    let mut s = spec(
        1,
        3,
        "x=\\$(head -c 20000000 /dev/zero | tr '\\0' a); sleep 0.5",
    );
    s.memory_limit_mb = 512;
    let exit = t.run(s).await;
    assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_runner_leaves_no_process_behind() {
    let mut t = TestRunner::new();
    let a = running_family(&mut t, 1, 2, FAMILY).await;
    let b = running_family(&mut t, 1, 3, &format!("trap '' TERM; {FAMILY}")).await;
    let watchdog = t.runner.watchdog_pid().expect("watchdog running") as i32;
    assert!(alive(watchdog));
    let TestRunner {
        runner,
        events,
        dir,
    } = t;
    drop(runner);
    let all: Vec<i32> = a.iter().chain(&b).copied().chain([watchdog]).collect();
    assert_gone(&all).await;
    drop((events, dir));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_stops_everything_and_refuses_new_containers() {
    let mut t = TestRunner::new();
    let a = running_family(&mut t, 1, 2, FAMILY).await;
    assert_eq!(
        t.runner.start(spec(1, 2, "true")),
        Err(StartError::Duplicate(cid(1, 2)))
    );
    assert!(t.runner.shutdown(Duration::from_secs(10)).await);
    let exit = t.events.wait(&cid(1, 2), Duration::from_secs(1)).await;
    assert_exit(&exit, -100, &["shutting down"]);
    assert_gone(&a).await;
    assert_eq!(
        t.runner.start(spec(1, 3, "true")),
        Err(StartError::ShutDown)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_that_started_its_own_session_is_stopped_too() {
    let mut t = TestRunner::new();
    let s = spec(
        1,
        2,
        "setsid sleep 300 & echo \\$! > <LOG_DIR>/pids; echo \\$\\$ >> <LOG_DIR>/pids; wait",
    );
    let log_dir = t.log_dir(&s);
    t.runner.start(s).unwrap();
    let pids = pids(&wait_for_lines(&log_dir.join("pids"), 2, Duration::from_secs(20)).await);
    // The escaped child really is in another session. `$!` is written right after the fork,
    // before the child has run setsid(), so wait (bounded) for the session to change.
    let session_of = |pid: i32| -> Option<i32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat[stat.rfind(')')? + 1..]
            .split_whitespace()
            .nth(3)?
            .parse()
            .ok()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let mut session = session_of(pids[0]);
    while session != Some(pids[0]) && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
        session = session_of(pids[0]);
    }
    assert_eq!(
        session,
        Some(pids[0]),
        "setsid made the child lead its own session"
    );
    t.runner.stop(&cid(1, 2), StopReason::KilledByAppMaster);
    let exit = t.events.wait(&cid(1, 2), Duration::from_secs(10)).await;
    assert_eq!(exit.exit_status, -105, "{}", exit.diagnostics);
    assert_gone(&pids).await;
}
