//! Submission latency on the embedded cluster, for an application of 8 executors of 256 MB:
//!
//! * `client_mode/submit_to_8_executors_registered`: from `getNewApplication` to the 8th
//!   executor registered with a driver in this process (the AM container started, registered,
//!   asked for and launched 8 `spindle executor` containers, each registered);
//! * `client_mode/submit_to_finished`: the same application running 8 shell tasks, from
//!   `getNewApplication` to the ResourceManager reporting FINISHED;
//! * `cluster_mode/submit_to_finished`: `spindle example dshell 8 true` as the driver in the AM's
//!   container (it waits for its 8 executors, runs one task on each), to FINISHED.
//!
//! Spark's SparkPi on the same kind of machine takes about 20 s from submit to FINISHED
//! (INTEROP.md). Run: `cargo bench -p spindle --bench submit` (optimized), or with
//! `--profile dev` for the debug binaries `spindle demo` uses.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use spindle_client::{AppRequest, Client, ClientConfig, Executors, Progress, Workload};
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_scheduler::core::{JobSpec, StageSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::{Driver, DriverConfig};

const EXECUTORS: u32 = 8;

fn request(workload: Workload) -> AppRequest {
    let mut request = AppRequest::new(workload, env!("CARGO_BIN_EXE_spindle"));
    request.submission.name = "bench".into();
    request.executors = Executors {
        count: EXECUTORS,
        memory_mb: 256,
        ..Executors::default()
    };
    request
}

/// One client-mode application: (submit → 8 registered, submit → FINISHED).
async fn client_mode(client: &Client) -> (Duration, Duration) {
    let started = Instant::now();
    let app = client.new_application().await.expect("new application");
    let driver = Driver::start(DriverConfig::new(
        "127.0.0.1:0".parse().expect("addr"),
        app.secret.clone(),
    ))
    .await
    .expect("driver");
    driver.request_executors(EXECUTORS);
    let url = driver.address().to_string();
    let submitted = client
        .submit(&app, &request(Workload::ClientDriver { url }))
        .await
        .expect("submit");
    let n = driver
        .wait_for_executors(EXECUTORS as usize, Duration::from_secs(60))
        .await;
    assert_eq!(n, EXECUTORS as usize, "every executor registered");
    let registered = started.elapsed();
    let job = JobSpec {
        stages: vec![StageSpec::new(
            (0..EXECUTORS)
                .map(|_| TaskSpec::new(TaskKind::shell("true")))
                .collect(),
        )],
        ..JobSpec::default()
    };
    driver.run(job).await.expect("job");
    driver.stop("done", true).await;
    let report = client
        .follow(submitted.id, &mut Progress::new(true))
        .await
        .expect("follow");
    assert!(report.succeeded(), "{report}");
    let finished = started.elapsed();
    client.clean_up(&submitted);
    (registered, finished)
}

/// One cluster-mode application: submit → FINISHED.
async fn cluster_mode(client: &Client) -> Duration {
    let started = Instant::now();
    let app = client.new_application().await.expect("new application");
    let argv = ["spindle", "example", "dshell", "8", "true"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let submitted = client
        .submit(&app, &request(Workload::ClusterDriver { argv }))
        .await
        .expect("submit");
    let report = client
        .follow(submitted.id, &mut Progress::new(true))
        .await
        .expect("follow");
    assert!(report.succeeded(), "{report}");
    client.clean_up(&submitted);
    started.elapsed()
}

/// What one iteration measures.
#[derive(Clone, Copy)]
enum Measure {
    Registered,
    ClientFinished,
    ClusterFinished,
}

/// The time `measure` takes, summed over `iters` applications.
async fn total(client: &Client, measure: Measure, iters: u64) -> Duration {
    let mut sum = Duration::ZERO;
    for _ in 0..iters {
        sum += match measure {
            Measure::Registered => client_mode(client).await.0,
            Measure::ClientFinished => client_mode(client).await.1,
            Measure::ClusterFinished => cluster_mode(client).await,
        };
    }
    sum
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let staging = tempfile::tempdir().expect("staging");
    let (cluster, client) = rt.block_on(async {
        // Room for two applications at once: the containers of the one that just finished
        // are still being stopped when the next is submitted, and the measurement is of
        // submission, not of waiting for a busy cluster.
        let mut o = MiniClusterOptions::with_nodes(2, 16384, 32);
        o.monitor_interval = Duration::from_millis(100);
        let cluster = MiniCluster::start(o).await.expect("cluster");
        let overrides = vec![
            (
                "spindle.yarn.report.interval".to_string(),
                "10ms".to_string(),
            ),
            (
                "spindle.yarn.stagingDir".to_string(),
                format!("file://{}", staging.path().display()),
            ),
        ];
        let config = ClientConfig::from_dir(cluster.conf_dir(), &overrides).expect("config");
        (cluster, Client::new(config, overrides))
    });
    // Each measurement is one whole application, timed by the code itself (iter_custom).
    let cases: [(&str, &str, Measure); 3] = [
        (
            "client_mode",
            "submit_to_8_executors_registered",
            Measure::Registered,
        ),
        ("client_mode", "submit_to_finished", Measure::ClientFinished),
        (
            "cluster_mode",
            "submit_to_finished",
            Measure::ClusterFinished,
        ),
    ];
    for (group_name, name, measure) in cases {
        let mut group = c.benchmark_group(group_name);
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(10));
        group.bench_function(name, |b| {
            b.iter_custom(|iters| rt.block_on(total(&client, measure, iters)))
        });
        group.finish();
    }
    rt.block_on(cluster.shutdown());
}

criterion_group!(benches, bench);
criterion_main!(benches);
