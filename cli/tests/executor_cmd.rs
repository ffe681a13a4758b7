//! `spindle executor` against an in-process driver: it registers, runs shell tasks, and
//! exits when the driver stops it; a missing credentials file is a clear error.

use std::process::Stdio;
use std::time::Duration;

use spindle_scheduler::auth::AppSecret;
use spindle_scheduler::core::{JobSpec, StageSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::{Driver, DriverConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executor_runs_shell_tasks_and_exits_when_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let secret = AppSecret::generate("application_1_0009");
    let creds = dir.path().join("creds");
    secret.write_file(&creds).unwrap();
    let driver = Driver::start(DriverConfig::new("127.0.0.1:0".parse().unwrap(), secret))
        .await
        .unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_spindle"))
        .args(["executor", "--driver-url"])
        .arg(driver.address().to_string())
        .args([
            "--executor-id",
            "1",
            "--cores",
            "2",
            "--hostname",
            "localhost",
        ])
        .arg("--credentials")
        .arg(&creds)
        .stdin(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    assert_eq!(
        driver.wait_for_executors(1, Duration::from_secs(20)).await,
        1
    );
    let out = driver
        .run(JobSpec {
            stages: vec![StageSpec::new(vec![
                TaskSpec::new(TaskKind::shell("echo one")),
                TaskSpec::new(TaskKind::shell("echo two")),
            ])],
            ..JobSpec::default()
        })
        .await
        .unwrap();
    assert_eq!(out.stage(0), vec!["one\n", "two\n"]);
    driver.stop("test done", true).await;
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("the executor exits when stopped")
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn executor_without_credentials_says_what_to_pass() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_spindle"))
        .args([
            "executor",
            "--driver-url",
            "127.0.0.1:1",
            "--executor-id",
            "1",
            "--cores",
            "1",
        ])
        .env_remove("HADOOP_TOKEN_FILE_LOCATION")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no credentials file"), "{err}");
    assert!(err.contains("--credentials"), "{err}");
}
