//! Hadoop's own tools against applications whose AM is `spindle am`, on the embedded cluster:
//! `YarnClient` submits one and sees it FINISHED/SUCCEEDED; `yarn application -kill`
//! (`ApplicationCLI`) kills one, and nothing of it is left running.

mod common;

use std::time::Duration;

use common::*;
use spindle_tests::process::JavaCommand;

fn spindle() -> &'static str {
    env!("CARGO_BIN_EXE_spindle")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoops_yarnclient_runs_a_spindle_am_application_to_success() {
    let cluster = cluster(2).await;
    let command = format!(
        "{} am --shell 'echo hello from $CONTAINER_ID' --num-executors 4 --executor-memory 128m",
        spindle()
    );
    let mut p = JavaCommand::new("spindle.interop.SubmitCommand")
        .arg("--conf-dir")
        .arg(cluster.conf_dir())
        .arg("--command")
        .arg(&command)
        .spawn()
        .await
        .expect("start YarnClient");
    let status = p.finish(Duration::from_secs(200)).await;
    let app = App {
        cluster: &cluster,
        client: client(&cluster),
        id: p.fact("app_id").expect("app id").parse().expect("id"),
    };
    let report = format!(
        "output:\n{}\nstderr:\n{}\nAM:\n{}",
        p.output().join("\n"),
        p.stderr_tail(),
        app.logs()
    );
    assert!(status.is_ok_and(|s| s.success()), "{report}");
    assert_eq!(p.fact("final_state").ok(), Some("FINISHED"), "{report}");
    assert_eq!(p.fact("final_status").ok(), Some("SUCCEEDED"), "{report}");
    let states = p.fact("states").unwrap_or_default().to_string();
    // YarnClient's submit already waits past SUBMITTED; ACCEPTED may be over by the first poll.
    assert!(
        states.contains("RUNNING") && states.ends_with("FINISHED") && !states.contains("FAILED"),
        "{states}"
    );
    assert_eq!(
        app.executors_saying("hello from container_").len(),
        4,
        "{report}"
    );
    eprintln!(
        "YarnClient → spindle am, 4 executors: submit→FINISHED {} ms",
        p.fact("submit_to_final_ms").unwrap_or("?")
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yarn_application_kill_ends_a_spindle_am_application_and_its_processes() {
    let cluster = cluster(2).await;
    let (am, marker) = Am::shell("sleep 600", 2).marked(&unique(&cluster, "am-interop-kill"));
    let app = App::submit(&cluster, "to-kill", &am).await;
    app.running().await;
    // Both executors run before the kill.
    wait_processes(&marker, 3, &app).await;

    let mut cli = JavaCommand::new("org.apache.hadoop.yarn.client.cli.ApplicationCLI")
        .classpath(cluster.conf_dir())
        .arg("application")
        .arg("-kill")
        .arg(app.id.to_string())
        .spawn()
        .await
        .expect("start ApplicationCLI");
    let status = cli.finish(Duration::from_secs(120)).await;
    let out = format!("{}\n{}", cli.output().join("\n"), cli.stderr_tail());
    assert!(status.is_ok_and(|s| s.success()), "{out}");
    // What the CLI prints itself (its "Killed application" line goes to a logger).
    assert!(
        out.contains(&format!("Killing application {}", app.id)),
        "{out}"
    );

    app.killed_and_gone(&marker).await;
    cluster.shutdown().await;
}
