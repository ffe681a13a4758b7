//! End to end on the embedded cluster: the AM survives a ResourceManager restart and an
//! AMRMToken roll-over, and is replaced after a SIGKILL by a second attempt that adopts the
//! running executors.

mod common;

use std::time::Duration;

use common::*;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use spindle_protocol::proto::yarn::FinalApplicationStatusProto::AppSucceeded;

/// The pid of the `spindle am` process among `pids`.
fn am_pid(pids: &[i32]) -> Option<i32> {
    pids.iter().copied().find(|pid| {
        std::fs::read(format!("/proc/{pid}/cmdline"))
            .map(|c| {
                let args: Vec<&[u8]> = c.split(|b| *b == 0).collect();
                args.len() > 1 && args[0].ends_with(b"spindle") && args[1] == b"am"
            })
            .unwrap_or(false)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_am_registers_again_after_an_rm_restart_and_the_application_finishes() {
    let cluster = cluster(2).await;
    let app = App::submit(&cluster, "restart", &Am::shell("sleep 2; echo done", 4)).await;
    app.running().await;
    // Let the executors start, then take the RM away and bring it back.
    tokio::time::sleep(Duration::from_millis(700)).await;
    cluster.stop_rm().await.expect("stop the RM");
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.restart_rm().await.expect("restart the RM");
    let (_, logs) = app.ends(AppSucceeded).await;
    assert!(
        logs.contains("registering again and resending every ask"),
        "{logs}"
    );
    assert_eq!(app.executors_saying("done").len(), 4, "{logs}");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempt_two_adopts_the_running_executors_after_the_am_is_killed() {
    let cluster = cluster(2).await;
    let (am, marker) = Am::shell("sleep 4; echo done", 3).marked(&unique(&cluster, "am-faults"));
    let app = App::submit_with(&cluster, "adopt", &am, |c| {
        c.max_app_attempts = Some(2);
        c.keep_containers_across_application_attempts = Some(true);
    })
    .await;
    app.running().await;
    // The AM and its three executors (sh and sleep) run.
    wait_processes(&marker, 4, &app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = am_pid(&processes_with(&marker)).expect("the AM process");
    kill(Pid::from_raw(pid), Signal::SIGKILL).expect("SIGKILL the AM");

    let (_, logs) = app.ends(AppSucceeded).await;
    assert!(
        logs.contains("3 containers from an earlier attempt"),
        "{logs}\n{:?}",
        app.containers()
    );
    // The first attempt's three executors finished; the second attempt started none.
    let finished = app.executors_saying("done");
    assert_eq!(finished.len(), 3, "{finished:?}\n{logs}");
    assert!(finished.iter().all(|c| c.contains("_01_")), "{finished:?}");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_am_survives_an_amrm_token_roll_over() {
    let cluster = cluster(2).await;
    let app = App::submit(&cluster, "roll-over", &Am::shell("sleep 4; echo done", 2)).await;
    app.running().await;
    let key = cluster.roll_amrm_key();
    // The AM's next heartbeat carries the token of the new key.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let current = cluster.inspect(|rm| {
            rm.app(&app.id)
                .and_then(|a| a.current())
                .and_then(|a| a.amrm_token_key_id())
        });
        if current == Some(key) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the AM never got the new token"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Old tokens are refused from now on; a restarted RM makes the AM open a new connection,
    // which only the new token can authenticate.
    cluster.retire_previous_amrm_keys();
    cluster.stop_rm().await.expect("stop the RM");
    cluster.restart_rm().await.expect("restart the RM");
    let (_, logs) = app.ends(AppSucceeded).await;
    assert!(logs.contains("AMRMToken rolled over"), "{logs}");
    assert_eq!(app.executors_saying("done").len(), 2, "{logs}");
    cluster.shutdown().await;
}
