//! End to end on the embedded cluster: distributed-shell applications whose AM is
//! `spindle am`, run to their final status.

mod common;

use common::*;
use spindle_protocol::proto::yarn::FinalApplicationStatusProto::{AppFailed, AppSucceeded};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributed_shell_of_eight_containers_succeeds() {
    let cluster = cluster(2).await;
    let app = App::submit(
        &cluster,
        "dshell",
        // A heartbeat faster than Spark's 3 s, as `spindle.yarn.scheduler.heartbeat.interval-ms`
        // asks of the AM.
        &Am::shell("echo hello from $CONTAINER_ID", 8).flag("--heartbeat-interval", "500ms"),
    )
    .await;
    let (_, logs) = app.ends(AppSucceeded).await;
    // Eight executors, each of which said hello.
    assert_eq!(
        app.executors_saying("hello from container_").len(),
        8,
        "{logs}"
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_that_keeps_failing_fails_the_application_with_exit_11() {
    let cluster = cluster(2).await;
    let am = Am::shell("echo doomed >&2; exit 3", 2).flag("--max-executor-failures", "3");
    let app = App::submit(&cluster, "doomed", &am).await;
    let logs = app
        .fails_with("Max number of executor failures (3) reached")
        .await;
    // The AM exited with Spark's code for it.
    assert!(logs.contains("(exit 11)"), "{logs}");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staging_is_removed_only_when_the_application_is_final() {
    let cluster = cluster(1).await;
    let staging = tempfile::tempdir().expect("staging");
    // Attempt 1 of 2 fails: the RM will retry, so the staged files must stay for attempt 2,
    // which fails too: now the application is final and they go.
    let kept = staging.path().join("app-1");
    std::fs::create_dir_all(&kept).expect("staging dir");
    std::fs::write(kept.join("file"), b"staged").expect("staged file");
    let am = Am::shell("exit 3", 1)
        .flag("--max-executor-failures", "1")
        .flag("--staging-dir", &kept.to_string_lossy());
    let app = App::submit_with(&cluster, "staging", &am, |c| c.max_app_attempts = Some(2)).await;
    app.wait_for("attempt 2", |r| {
        r.current_application_attempt_id
            .as_ref()
            .and_then(|a| a.attempt_id)
            == Some(2)
    })
    .await;
    assert!(
        kept.join("file").exists(),
        "attempt 1 was not the last: staging must stay"
    );
    app.ends(AppFailed).await;
    assert!(
        !kept.exists(),
        "the failed application is final: staging must go"
    );
    cluster.shutdown().await;
}
