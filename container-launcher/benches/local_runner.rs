//! Containers launched per second by the local runner: 1,000 trivial containers (`true`) started at
//! once, timed from the first `start` to the last exit. Goal: at least 200 per second on 2 cores.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spindle_launcher::{ContainerSpec, LocalRunner, RunnerConfig};

const CONTAINERS: usize = 1000;

fn launch_batch(rt: &tokio::runtime::Runtime, round: usize) -> Duration {
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("temp folder");
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

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
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
