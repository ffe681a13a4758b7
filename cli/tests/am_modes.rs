//! End to end on the embedded cluster: applications with a driver (the scheduler protocol).
//!
//! * Cluster mode: the AM starts the driver as its child process (this test binary, re-run as
//!   `driver_entry`); executors are `spindle executor` processes in their containers; they run
//!   the driver's shell tasks; the driver's exit code decides the final status.
//! * Client mode: the driver runs in this test process; the AM only launches executors for it,
//!   and the driver's clean shutdown ends the application as SUCCEEDED.

mod common;

use std::time::Duration;

use common::*;
use spindle_minicluster::MiniCluster;
use spindle_protocol::credentials::Credentials;
use spindle_protocol::proto::yarn::FinalApplicationStatusProto::AppSucceeded;
use spindle_scheduler::auth::AppSecret;
use spindle_scheduler::core::{JobSpec, StageSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::{Driver, DriverConfig};

const DRIVER_ROLE: &str = "SPINDLE_TEST_DRIVER";
const TASKS: u32 = 40;

/// A job of `TASKS` shell tasks; every result must be its own index.
fn shell_job() -> JobSpec {
    JobSpec {
        stages: vec![StageSpec::new(
            (0..TASKS)
                .map(|i| TaskSpec::new(TaskKind::shell(format!("echo {i}"))))
                .collect(),
        )],
        ..JobSpec::default()
    }
}

/// Runs the job on `driver` with two executors and checks every result.
async fn run_job(driver: &Driver) -> Result<(), String> {
    driver.request_executors(2);
    let n = driver.wait_for_executors(2, Duration::from_secs(60)).await;
    if n < 2 {
        return Err(format!("only {n} executors registered"));
    }
    let output = driver.run(shell_job()).await.map_err(|e| e.to_string())?;
    for i in 0..TASKS {
        let got = output
            .results
            .get(&(0, i))
            .map(|b| String::from_utf8_lossy(b).trim().to_string());
        if got.as_deref() != Some(i.to_string().as_str()) {
            return Err(format!("task {i} returned {got:?}"));
        }
    }
    Ok(())
}

/// The cluster-mode driver, when the AM runs this binary with `DRIVER_ROLE` set: `ok` runs the
/// job and exits 0; `fail` exits 3 at once after starting.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn driver_entry() {
    let Ok(role) = std::env::var(DRIVER_ROLE) else {
        return;
    };
    let config = DriverConfig::for_application().expect("the application secret");
    let driver = Driver::start(config).await.expect("driver");
    if role == "fail" {
        eprintln!("driver: failing on purpose");
        driver.stop("failing on purpose", false).await;
        std::process::exit(3);
    }
    let result = run_job(&driver).await;
    println!("driver: job result {result:?}");
    driver.stop("done", result.is_ok()).await;
    std::process::exit(if result.is_ok() { 0 } else { 4 });
}

/// A new application and its secret (what `spindle submit` ships in the AM's credentials).
async fn app_with_secret(cluster: &MiniCluster) -> (App<'_>, AppSecret, Credentials) {
    let app = App::new(cluster).await;
    let secret = AppSecret::generate(app.id.to_string());
    let mut creds = Credentials::new();
    secret.add_to(&mut creds);
    (app, secret, creds)
}

/// Starts a cluster-mode application `name` whose AM (started with `am`'s flags) runs this
/// binary as the driver in `role` (see [`driver_entry`]).
async fn start_cluster_mode<'a>(
    cluster: &'a MiniCluster,
    name: &str,
    role: &str,
    am: Am,
) -> App<'a> {
    let (app, _, creds) = app_with_secret(cluster).await;
    let command = format!(
        "{DRIVER_ROLE}={role} '{}' --exact driver_entry --nocapture --test-threads=1",
        std::env::current_exe().expect("test binary").display()
    );
    let am = am.flag("--driver-command", &command).credentials(creds);
    app.start(name, &am).await;
    app
}

/// Starts a client-mode application `name` whose AM (started with `am`'s flags) launches
/// executors for a driver in this process; returns once it is RUNNING.
async fn start_client_mode<'a>(cluster: &'a MiniCluster, name: &str, am: Am) -> (App<'a>, Driver) {
    let (app, secret, creds) = app_with_secret(cluster).await;
    let driver = Driver::start(DriverConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        secret,
    ))
    .await
    .expect("driver");
    let am = am
        .flag("--driver-url", &driver.address().to_string())
        .credentials(creds);
    app.start(name, &am).await;
    app.running().await;
    (app, driver)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_mode_runs_the_drivers_job_on_its_executors() {
    let cluster = cluster(2).await;
    let am = Am::default().flag("--num-executors", "2");
    let app = start_cluster_mode(&cluster, "cluster-mode", "ok", am).await;
    let (_, logs) = app.ends(AppSucceeded).await;
    let stdouts = app.stdouts();
    assert!(
        stdouts.contains("driver: job result Ok(())"),
        "{stdouts}\n{logs}"
    );
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_cluster_mode_driver_fails_the_application() {
    let cluster = cluster(1).await;
    let app = start_cluster_mode(&cluster, "failing-driver", "fail", Am::default()).await;
    app.fails_with("The driver failed: the driver exited with code 3")
        .await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_mode_launches_executors_for_a_driver_in_this_process() {
    let cluster = cluster(2).await;
    let am = Am::default().flag("--num-executors", "2");
    let (app, driver) = start_client_mode(&cluster, "client-mode", am).await;
    assert_eq!(run_job(&driver).await, Ok(()), "{}", app.logs());
    driver.stop("done", true).await;
    app.ends(AppSucceeded).await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_mode_driver_that_vanishes_fails_the_application_with_exit_17() {
    let cluster = cluster(1).await;
    let am = Am::default()
        .flag("--num-executors", "1")
        .flag("--driver-disconnect-grace", "1s");
    let (app, driver) = start_client_mode(&cluster, "vanishing-driver", am).await;
    // No goodbye: the driver's port just closes.
    drop(driver);
    let logs = app.fails_with("Lost the connection to the driver").await;
    assert!(logs.contains("(exit 17)"), "{logs}");
    cluster.shutdown().await;
}
