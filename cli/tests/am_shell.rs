//! End to end on the embedded cluster: applications whose AM is `spindle am`, submitted with
//! our ApplicationClient, run to their final status.

mod common;

use common::*;
use spindle_protocol::proto::yarn::FinalApplicationStatusProto;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributed_shell_of_eight_containers_succeeds() {
    let cluster = cluster(2).await;
    let client = client(&cluster);
    let clc = am_context(&[
        "--shell",
        "echo hello from $CONTAINER_ID",
        "--num-executors",
        "8",
        "--executor-memory",
        "128m",
    ]);
    let id = submit(&client, "dshell", clc, 1).await;
    let report = wait_finished(&client, id).await;
    let logs = container_logs(cluster.base_dir(), id);
    let am_log = logs
        .iter()
        .find(|p| p.to_string_lossy().ends_with("000001"))
        .map(|p| read(&p.join("stderr")))
        .unwrap_or_default();
    assert_eq!(
        report.final_application_status(),
        FinalApplicationStatusProto::AppSucceeded,
        "{report:?}\nAM log:\n{am_log}"
    );
    // The AM's container plus eight executors, each of which said hello.
    let hellos: Vec<String> = logs
        .iter()
        .map(|p| read(&p.join("stdout")))
        .filter(|s| s.starts_with("hello from container_"))
        .collect();
    assert_eq!(hellos.len(), 8, "logs: {logs:?}\nAM log:\n{am_log}");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_that_keeps_failing_fails_the_application_with_exit_11() {
    let cluster = cluster(2).await;
    let client = client(&cluster);
    let clc = am_context(&[
        "--shell",
        "echo doomed >&2; exit 3",
        "--num-executors",
        "2",
        "--executor-memory",
        "128m",
        "--max-executor-failures",
        "3",
    ]);
    let id = submit(&client, "doomed", clc, 1).await;
    let report = wait_finished(&client, id).await;
    assert_eq!(
        report.final_application_status(),
        FinalApplicationStatusProto::AppFailed,
        "{report:?}"
    );
    let diagnostics = report.diagnostics.clone().unwrap_or_default();
    assert!(
        diagnostics.contains("Max number of executor failures (3) reached"),
        "{diagnostics}"
    );
    // The AM exited with Spark's code for it.
    let logs = container_logs(cluster.base_dir(), id);
    let am_log = read(&logs[0].join("stderr"));
    assert!(am_log.contains("(exit 11)"), "{am_log}");
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staging_is_removed_only_when_the_application_is_final() {
    let cluster = cluster(1).await;
    let client = client(&cluster);
    let staging = tempfile::tempdir().expect("staging");
    // Attempt 1 of 2 fails: the RM will retry, so the staged files must stay for attempt 2,
    // which fails too: now the application is final and they go.
    let kept = staging.path().join("app-1");
    std::fs::create_dir_all(&kept).expect("staging dir");
    std::fs::write(kept.join("file"), b"staged").expect("staged file");
    let clc = am_context(&[
        "--shell",
        "exit 3",
        "--num-executors",
        "1",
        "--executor-memory",
        "128m",
        "--max-executor-failures",
        "1",
        "--staging-dir",
        &kept.to_string_lossy(),
    ]);
    let id = submit(&client, "staging", clc, 2).await;
    wait_for(&client, id, "attempt 2", |r| {
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
    let r = wait_finished(&client, id).await;
    assert_eq!(
        r.final_application_status(),
        FinalApplicationStatusProto::AppFailed,
        "{r:?}"
    );
    assert!(
        !kept.exists(),
        "the failed application is final: staging must go"
    );
    cluster.shutdown().await;
}
