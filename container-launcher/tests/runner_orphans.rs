//! No orphans when the runner's process is killed with SIGKILL: a child test process runs a runner
//! with containers (one of which ignores SIGTERM), the parent kills that process outright and checks
//! that every process of every container, and the watchdog, is gone.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use common::*;
use spindle_launcher::ContainerState;

const DIR_VAR: &str = "SPINDLE_ORPHAN_TEST_DIR";

/// Runs only as the child process of `runner_killed_with_sigkill_leaves_no_orphans`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "helper: started by runner_killed_with_sigkill_leaves_no_orphans"]
async fn child_runner_process() {
    let Some(dir) = std::env::var_os(DIR_VAR).map(PathBuf::from) else {
        return;
    };
    let t = TestRunner::new();
    let family = "sleep 300 & sleep 300 & echo started > <LOG_DIR>/marker; wait";
    let commands = [family.to_string(), format!("trap '' TERM; {family}")];
    let mut leaders = Vec::new();
    for (i, command) in commands.iter().enumerate() {
        let s = spec(1, 2 + i as u32, command);
        let log_dir = t.log_dir(&s);
        t.runner.start(s).unwrap();
        wait_for_lines(&log_dir.join("marker"), 1, Duration::from_secs(20)).await;
        match t.runner.status(&cid(1, 2 + i as u32)) {
            Some(ContainerState::Running { pid }) => leaders.push(pid),
            other => panic!("container not running: {other:?}"),
        }
    }
    let watchdog = t.runner.watchdog_pid().unwrap();
    let text = format!(
        "{}\n{}\n",
        leaders
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        watchdog
    );
    std::fs::write(dir.join("ready.tmp"), text).unwrap();
    std::fs::rename(dir.join("ready.tmp"), dir.join("ready")).unwrap();
    // Wait to be killed (bounded, in case the parent is gone).
    tokio::time::sleep(Duration::from_secs(60)).await;
}

/// Every live process in the session led by `leader`.
fn session_members(leader: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some(close) = text.rfind(')') else {
            continue;
        };
        let f: Vec<&str> = text[close + 1..].split_whitespace().collect();
        if f.len() > 3 && f[3].parse::<i32>().ok() == Some(leader) && f[0] != "Z" {
            out.push(pid);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runner_killed_with_sigkill_leaves_no_orphans() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_runner_process",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR_VAR, dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let ready = dir.path().join("ready");
    let text = wait_for_lines(&ready, 2, Duration::from_secs(60)).await;
    let mut lines = text.lines();
    let leaders: Vec<i32> = lines
        .next()
        .unwrap()
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect();
    let watchdog: i32 = lines.next().unwrap().trim().parse().unwrap();
    let mut members: Vec<i32> = leaders.iter().flat_map(|l| session_members(*l)).collect();
    assert_eq!(leaders.len(), 2);
    assert!(
        members.len() >= 6,
        "each container has a leader and two sleeps: {members:?}"
    );
    assert!(alive(watchdog));

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());

    members.push(watchdog);
    let survivors = wait_gone(&members, Duration::from_secs(10)).await;
    assert_eq!(
        survivors,
        Vec::<i32>::new(),
        "processes outlived the killed runner"
    );
    for leader in leaders {
        assert_eq!(session_members(leader), Vec::<i32>::new());
    }
}
