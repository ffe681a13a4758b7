//! Containers launched per second by the local runner: 1,000 trivial containers (`true`) started at
//! once, timed from the first `start` to the last exit. Goal: at least 200 per second on 2 cores.
//!
//! Before the timed runs, one batch is measured for CPU time (runner and container processes), which
//! gives the rate an idle 2-core machine reaches even when the benchmark itself shares the machine.
//! `SPINDLE_BENCH_DIR` picks the folder the node's local and log folders go to (default: the system
//! temporary folder), e.g. `/dev/shm` to leave the disk's inode allocation out.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spindle_launcher::{ContainerSpec, LocalRunner, RunnerConfig};

const CONTAINERS: usize = 1000;

fn launch_batch(rt: &tokio::runtime::Runtime, round: usize) -> Duration {
    rt.block_on(async {
        let dir = match std::env::var_os("SPINDLE_BENCH_DIR").filter(|d| !d.is_empty()) {
            Some(base) => tempfile::tempdir_in(base),
            None => tempfile::tempdir(),
        }
        .expect("temp folder");
        let mut config = RunnerConfig::new(
            vec![dir.path().join("local")],
            vec![dir.path().join("logs")],
        );
        config.memory_check_interval = Duration::ZERO;
        let (runner, mut events) = LocalRunner::new(config).expect("runner");
        let start = Instant::now();
        for i in 0..CONTAINERS {
            runner
                .start(ContainerSpec {
                    container_id: format!("container_1_{round:04}_01_{i:06}"),
                    app_id: format!("application_1_{round:04}"),
                    user: "bench".into(),
                    commands: vec!["true".into()],
                    ..Default::default()
                })
                .expect("start");
        }
        for _ in 0..CONTAINERS {
            let exit = tokio::time::timeout(Duration::from_secs(120), events.recv())
                .await
                .expect("containers finish within 2 minutes")
                .expect("event channel open");
            assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);
        }
        let elapsed = start.elapsed();
        runner.shutdown(Duration::from_secs(5)).await;
        elapsed
    })
}

/// (own, children) CPU time of this process in seconds, from `/proc/self/stat`.
fn cpu_seconds() -> (f64, f64) {
    let text = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    let after = &text[text.rfind(')').expect("stat format") + 1..];
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14-17 (utime, stime, cutime, cstime) are at 11..15 after the command name.
    let tick = 100.0;
    ((f[11] + f[12]) / tick, (f[13] + f[14]) / tick)
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    // CPU cost per container, which bounds the rate on an idle machine independent of load.
    let (own0, kids0) = cpu_seconds();
    let wall = launch_batch(&rt, 0);
    let (own1, kids1) = cpu_seconds();
    let per = |s: f64| s * 1000.0 / CONTAINERS as f64;
    eprintln!(
        "local_runner: {CONTAINERS} containers in {:.2} s wall ({:.0}/s); CPU per container: runner {:.2} ms, \
         container processes {:.2} ms; CPU-bound limit on 2 cores: {:.0}/s",
        wall.as_secs_f64(),
        CONTAINERS as f64 / wall.as_secs_f64(),
        per(own1 - own0),
        per(kids1 - kids0),
        2000.0 / (per(own1 - own0) + per(kids1 - kids0)).max(0.001),
    );
    let mut group = c.benchmark_group("local_runner");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements(CONTAINERS as u64));
    let mut round = 0;
    group.bench_function("launch_1000_true_containers", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                total += launch_batch(&rt, round);
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
