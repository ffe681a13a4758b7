//! Spark's own `spark-submit --master yarn` (Spark 4.3.0, from the `pyspark` sdist) runs a small
//! Pi job on Spindle's embedded mini cluster, in cluster mode (the driver runs in the AM
//! container) and in client mode (the driver runs in `spark-submit`, the AM is Spark's
//! ExecutorLauncher): Spark's YARN client submits, the NM launches the AM with its localized
//! `__spark_conf__` archive and app jar, the AM registers, gets an executor container, starts
//! it through the NM, the job runs, the AM unregisters, and the RM reports FINISHED/SUCCEEDED.
//!
//! Both modes run in one test function, one after the other, so that they never compete with
//! each other for the machine (each starts three JVMs).
//!
//! On failure the test prints spark-submit's output and every container's logs. Set
//! `SPINDLE_SPARK_VERBOSE=1` to print them (whole) on success too.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{FinalApplicationStatusProto, YarnApplicationStateProto};
use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;
use spindle_tests::spark::{
    DeployMode, SparkSubmit, container_logs, find_file_text, spark_home, spark_pi_jar,
};

/// What the job prints.
const PI_LINE: &str = "Pi is roughly";
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

fn log_dirs(cluster: &MiniCluster) -> Vec<PathBuf> {
    (0..cluster.node_ids().len())
        .filter_map(|i| cluster.node(i).map(|n| n.log_dir().clone()))
        .collect()
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

/// Runs SparkPi in `mode`, asserts success; returns spark-submit's wall time.
async fn run_pi(
    cluster: &MiniCluster,
    spark_home: &std::path::Path,
    jar: &std::path::Path,
    mode: DeployMode,
) -> Duration {
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
    submit.args = vec!["2".into()];
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
    let new_apps: Vec<ApplicationId> = app_ids(cluster)
        .into_iter()
        .filter(|a| !before.contains(a))
        .collect();
    let verbose = std::env::var_os("SPINDLE_SPARK_VERBOSE").is_some_and(|v| !v.is_empty());
    let log_tail = if verbose { 200_000 } else { 6000 };
    let report = |why: &str| {
        format!(
            "{mode:?} mode: {why}\napplications: {:?} {:?}\n{}\n--- container logs\n{}",
            new_apps,
            new_apps
                .iter()
                .map(|a| final_state(cluster, a))
                .collect::<Vec<_>>(),
            outcome.report(),
            container_logs(&log_dirs(cluster), log_tail)
        )
    };
    assert!(outcome.succeeded(), "{}", report("spark-submit failed"));
    assert_eq!(
        new_apps.len(),
        1,
        "{}",
        report("expected exactly one new application")
    );
    let app = new_apps[0];
    // In client mode spark-submit may exit before the AM's unregistration is through; the RM
    // gets there within a few seconds.
    let deadline = Instant::now() + Duration::from_secs(30);
    let (state, status, diagnostics) = loop {
        let s = final_state(cluster, &app);
        if s.0 == "Finished" || s.0 == "Failed" || s.0 == "Killed" || Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        (state.as_str(), status.as_str()),
        ("Finished", "AppSucceeded"),
        "{}",
        report(&format!("final state in the RM ({diagnostics})"))
    );
    match mode {
        DeployMode::Cluster => {
            // The driver ran in the AM container (sequence 1): its stdout has the result.
            let am = format!(
                "{}_01_000001",
                app.to_string().replace("application_", "container_")
            );
            let driver_out = log_dirs(cluster)
                .iter()
                .find_map(|d| find_file_text(&d.join(app.to_string()).join(&am), "stdout"))
                .unwrap_or_default();
            assert!(
                driver_out.contains(PI_LINE),
                "{}",
                report(&format!("the driver's stdout ({am}) lacks `{PI_LINE}`"))
            );
        }
        DeployMode::Client => {
            assert!(
                outcome.stdout.contains(PI_LINE),
                "{}",
                report(&format!("spark-submit's stdout lacks `{PI_LINE}`"))
            );
        }
    }
    if verbose {
        eprintln!("{}", report("succeeded (SPINDLE_SPARK_VERBOSE is set)"));
    }
    eprintln!(
        "spark-submit --deploy-mode {}: {app} FINISHED/SUCCEEDED, wall {:.1} s (RM saw it submitted at {}, RUNNING at {}, final at {})",
        mode.as_str(),
        outcome.wall.as_secs_f64(),
        secs(milestones.submitted),
        secs(milestones.running),
        secs(milestones.finished),
    );
    outcome.wall
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spark_submit_runs_pi_in_cluster_and_client_mode() {
    let home = spark_home().await.expect("Spark distribution");
    let jar = spark_pi_jar().await.expect("build SparkPi");
    // AM and executor each ask 512 MB + 384 MB overhead = 896 MB, 1 vcore.
    let mut options = MiniClusterOptions::with_nodes(1, 4096, 4);
    options.min_allocation_mb = 128;
    let cluster = MiniCluster::start(options)
        .await
        .expect("start the mini cluster");

    let cluster_wall = run_pi(&cluster, &home, &jar, DeployMode::Cluster).await;
    let client_wall = run_pi(&cluster, &home, &jar, DeployMode::Client).await;
    eprintln!(
        "SparkPi on the mini cluster: cluster mode {:.1} s, client mode {:.1} s (spark-submit start to exit)",
        cluster_wall.as_secs_f64(),
        client_wall.as_secs_f64()
    );

    // Nothing of either application is left running on the node.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cluster.inspect(|rm| rm.nodes().iter().all(|n| n.containers.is_empty())) {
        assert!(
            Instant::now() < deadline,
            "containers left: {:?}",
            cluster.inspect(|rm| rm.nodes().to_vec())
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    cluster.shutdown().await;
}
