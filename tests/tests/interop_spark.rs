//! Spark's own `spark-submit --master yarn` (Spark 4.3.0, from the `pyspark` sdist) runs a small
//! Pi job on Spindle's embedded mini cluster, in cluster mode (the driver runs in the AM
//! container) and in client mode (the driver runs in `spark-submit`, the AM is Spark's
//! ExecutorLauncher): Spark's YARN client submits, the NM launches the AM with its localized
//! `__spark_conf__` archive and app jar, the AM registers, gets an executor container, starts
//! it through the NM, the job runs, the AM unregisters, and the RM reports FINISHED/SUCCEEDED.
//! Then a job that throws (cluster mode, one attempt) makes spark-submit fail and the RM report
//! FINISHED/FAILED with the job's exception in the diagnostics.
//!
//! All runs are in one test function, one after the other, so that they never compete with
//! each other for the machine (each starts three JVMs).
//!
//! On failure the test prints spark-submit's output and every container's logs. Set
//! `SPINDLE_SPARK_VERBOSE=1` to print them (whole) on success too.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{FinalApplicationStatusProto, YarnApplicationStateProto};
use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;
use spindle_tests::ours::{assert_nodes_empty, container_logs, find_file_text, log_dirs};
use spindle_tests::spark::{DeployMode, SparkSubmit, SubmitOutcome, spark_home, spark_pi_jar};

/// What the job prints.
const PI_LINE: &str = "Pi is roughly";
/// What SparkPi throws when told to fail.
const FAIL_MESSAGE: &str = "SparkPi was asked to fail";
/// Time limit for one `spark-submit`.
const SUBMIT_TIMEOUT: Duration = Duration::from_secs(240);

/// The applications the RM knows.
fn app_ids(cluster: &MiniCluster) -> Vec<ApplicationId> {
    cluster.inspect(|rm| {
        rm.applications(&GetApplicationsRequestProto::default())
            .iter()
            .filter_map(|r| r.application_id.as_ref())
            .filter_map(|id| ApplicationId::from_proto(id).ok())
            .collect()
    })
}

/// The application's (state, final status, diagnostics) in the RM.
fn final_state(cluster: &MiniCluster, app: &ApplicationId) -> (String, String, String) {
    cluster.inspect(|rm| match rm.report(app) {
        Ok(r) => (
            r.yarn_application_state
                .and_then(|s| YarnApplicationStateProto::try_from(s).ok())
                .map(|s| format!("{s:?}"))
                .unwrap_or_else(|| "?".into()),
            r.final_application_status
                .and_then(|s| FinalApplicationStatusProto::try_from(s).ok())
                .map(|s| format!("{s:?}"))
                .unwrap_or_else(|| "?".into()),
            r.diagnostics.unwrap_or_default(),
        ),
        Err(e) => ("unknown".into(), format!("{e:?}"), String::new()),
    })
}

/// When (since spark-submit started) the RM first showed the new application submitted,
/// RUNNING (its AM registered) and in a final state.
#[derive(Debug, Default)]
struct Milestones {
    submitted: Option<Duration>,
    running: Option<Duration>,
    finished: Option<Duration>,
}

impl Milestones {
    fn observe(&mut self, cluster: &MiniCluster, before: &HashSet<ApplicationId>, at: Duration) {
        let Some(app) = app_ids(cluster).into_iter().find(|a| !before.contains(a)) else {
            return;
        };
        self.submitted.get_or_insert(at);
        let (state, _, _) = final_state(cluster, &app);
        if state == "Running" {
            self.running.get_or_insert(at);
        }
        if matches!(state.as_str(), "Finished" | "Failed" | "Killed") {
            self.running.get_or_insert(at);
            self.finished.get_or_insert(at);
        }
    }
}

fn secs(d: Option<Duration>) -> String {
    d.map(|d| format!("{:.1} s", d.as_secs_f64()))
        .unwrap_or_else(|| "-".into())
}

/// One finished `spark-submit` run and what the RM saw of it.
struct Run {
    mode: DeployMode,
    outcome: SubmitOutcome,
    new_apps: Vec<ApplicationId>,
    milestones: Milestones,
    verbose: bool,
}

impl Run {
    /// A failure report: why, the applications' states, spark-submit's output, container logs.
    fn report(&self, cluster: &MiniCluster, why: &str) -> String {
        format!(
            "{:?} mode: {why}\napplications: {:?} {:?}\n{}\n--- container logs\n{}",
            self.mode,
            self.new_apps,
            self.new_apps
                .iter()
                .map(|a| final_state(cluster, a))
                .collect::<Vec<_>>(),
            self.outcome.report(),
            container_logs(cluster, if self.verbose { 200_000 } else { 6000 })
        )
    }

    /// The one application the run submitted.
    fn app(&self, cluster: &MiniCluster) -> ApplicationId {
        assert_eq!(
            self.new_apps.len(),
            1,
            "{}",
            self.report(cluster, "expected exactly one new application")
        );
        self.new_apps[0]
    }

    /// Waits for the application to be final in the RM and asserts it FINISHED with `status`
    /// (`AppSucceeded`, `AppFailed`); its diagnostics. In client mode spark-submit may exit before
    /// the AM's unregistration is through; the RM gets there within a few seconds.
    async fn assert_settled(&self, cluster: &MiniCluster, status: &str) -> String {
        let app = self.app(cluster);
        let deadline = Instant::now() + Duration::from_secs(30);
        let (state, got, diagnostics) = loop {
            let s = final_state(cluster, &app);
            if matches!(s.0.as_str(), "Finished" | "Failed" | "Killed") || Instant::now() > deadline
            {
                break s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(
            (state.as_str(), got.as_str()),
            ("Finished", status),
            "{}",
            self.report(cluster, &format!("final state in the RM ({diagnostics})"))
        );
        diagnostics
    }

    /// The stdout of the application's AM container (sequence 1: the driver in cluster mode).
    fn am_stdout(&self, cluster: &MiniCluster) -> String {
        let app = self.app(cluster);
        let am = format!(
            "{}_01_000001",
            app.to_string().replace("application_", "container_")
        );
        log_dirs(cluster)
            .iter()
            .find_map(|d| find_file_text(&d.join(app.to_string()).join(&am), "stdout"))
            .unwrap_or_default()
    }
}

/// Runs `spark-submit` of SparkPi with `args` in `mode`, watching the RM meanwhile.
async fn submit_pi(
    cluster: &MiniCluster,
    spark_home: &Path,
    jar: &Path,
    mode: DeployMode,
    args: &[&str],
    conf: &[(&str, &str)],
) -> Run {
    let scratch = tempfile::Builder::new()
        .prefix(&format!("spindle-spark-{}-", mode.as_str()))
        .tempdir()
        .expect("scratch dir");
    let before: HashSet<ApplicationId> = app_ids(cluster).into_iter().collect();
    let mut submit = SparkSubmit::new(
        spark_home,
        cluster.conf_dir(),
        scratch.path(),
        mode,
        "SparkPi",
        jar,
    );
    submit.args = args.iter().map(|a| a.to_string()).collect();
    submit.conf = conf
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    submit.timeout = SUBMIT_TIMEOUT;
    // Watch the RM while spark-submit runs, for a breakdown of where the time goes.
    let started = Instant::now();
    let mut milestones = Milestones::default();
    let run = submit.run();
    tokio::pin!(run);
    let outcome = loop {
        tokio::select! {
            r = &mut run => break r.expect("run spark-submit"),
            _ = tokio::time::sleep(Duration::from_millis(50)) => {
                milestones.observe(cluster, &before, started.elapsed());
            }
        }
    };
    milestones.observe(cluster, &before, started.elapsed());
    let new_apps = app_ids(cluster)
        .into_iter()
        .filter(|a| !before.contains(a))
        .collect();
    Run {
        mode,
        outcome,
        new_apps,
        milestones,
        verbose: std::env::var_os("SPINDLE_SPARK_VERBOSE").is_some_and(|v| !v.is_empty()),
    }
}

/// Runs SparkPi in `mode`, asserts success; returns spark-submit's wall time.
async fn run_pi(
    cluster: &MiniCluster,
    spark_home: &Path,
    jar: &Path,
    mode: DeployMode,
) -> Duration {
    let run = submit_pi(cluster, spark_home, jar, mode, &["2"], &[]).await;
    assert!(
        run.outcome.succeeded(),
        "{}",
        run.report(cluster, "spark-submit failed")
    );
    let app = run.app(cluster);
    run.assert_settled(cluster, "AppSucceeded").await;
    let (where_, text) = match mode {
        DeployMode::Cluster => (
            "the driver's (AM container's) stdout",
            run.am_stdout(cluster),
        ),
        DeployMode::Client => ("spark-submit's stdout", run.outcome.stdout.clone()),
    };
    assert!(
        text.contains(PI_LINE),
        "{}",
        run.report(cluster, &format!("{where_} lacks `{PI_LINE}`"))
    );
    if run.verbose {
        eprintln!(
            "{}",
            run.report(cluster, "succeeded (SPINDLE_SPARK_VERBOSE is set)")
        );
    }
    let m = &run.milestones;
    eprintln!(
        "spark-submit --deploy-mode {}: {app} FINISHED/SUCCEEDED, wall {:.1} s (RM saw it submitted at {}, RUNNING at {}, final at {})",
        mode.as_str(),
        run.outcome.wall.as_secs_f64(),
        secs(m.submitted),
        secs(m.running),
        secs(m.finished),
    );
    run.outcome.wall
}

/// Runs SparkPi told to fail, in cluster mode with one attempt: spark-submit must fail and the
/// RM must report the AM's FAILED final status with its diagnostics.
async fn run_failing_pi(cluster: &MiniCluster, spark_home: &Path, jar: &Path) {
    let run = submit_pi(
        cluster,
        spark_home,
        jar,
        DeployMode::Cluster,
        &["2", "fail"],
        &[("spark.yarn.maxAppAttempts", "1")],
    )
    .await;
    assert!(
        !run.outcome.timed_out && run.outcome.status.is_some() && !run.outcome.succeeded(),
        "{}",
        run.report(cluster, "spark-submit should have exited with a failure")
    );
    let diagnostics = run.assert_settled(cluster, "AppFailed").await;
    assert!(
        diagnostics.contains(FAIL_MESSAGE),
        "{}",
        run.report(
            cluster,
            &format!("the RM's diagnostics lack `{FAIL_MESSAGE}`: {diagnostics}")
        )
    );
    assert!(
        run.am_stdout(cluster).contains(PI_LINE),
        "{}",
        run.report(cluster, "the job did not run before failing")
    );
    eprintln!(
        "spark-submit of a failing job: FINISHED/FAILED with the job's exception in the diagnostics, wall {:.1} s",
        run.outcome.wall.as_secs_f64()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_submit_runs_pi_in_cluster_and_client_mode() {
    let home = spark_home().await.expect("Spark distribution");
    let jar = spark_pi_jar().await.expect("build SparkPi");
    // AM and executor each ask 512 MB + 384 MB overhead = 896 MB, 1 vcore.
    let cluster = MiniCluster::start(MiniClusterOptions::with_nodes(1, 4096, 4))
        .await
        .expect("start the mini cluster");

    let cluster_wall = run_pi(&cluster, &home, &jar, DeployMode::Cluster).await;
    let client_wall = run_pi(&cluster, &home, &jar, DeployMode::Client).await;
    run_failing_pi(&cluster, &home, &jar).await;
    eprintln!(
        "SparkPi on the mini cluster: cluster mode {:.1} s, client mode {:.1} s (spark-submit start to exit)",
        cluster_wall.as_secs_f64(),
        client_wall.as_secs_f64()
    );

    // Nothing of either application is left running on the node.
    assert_nodes_empty(&cluster, Duration::from_secs(30)).await;
    cluster.shutdown().await;
}
