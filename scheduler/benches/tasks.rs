//! Empty tasks through one driver and 8 executor processes of 2 cores (this binary is the
//! executor too): tasks per second, and launch → result latency of single-task jobs (p50 and
//! p99 printed besides criterion's estimate).

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use spindle_scheduler::auth::AppSecret;
use spindle_scheduler::core::{JobSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::{Driver, DriverConfig, LocalExecutors};
use spindle_scheduler::executor::{ENV_EXECUTOR_ID, ExecutorConfig, TaskRegistry, run_executor};

const EXECUTORS: usize = 8;
const CORES: u32 = 2;
const TASKS_PER_JOB: u32 = 20_000;

fn registry() -> TaskRegistry {
    let mut registry = TaskRegistry::new();
    registry.register_inline("noop", |_, _| Ok(Vec::new()));
    registry
}

fn noop_job(n: u32) -> JobSpec {
    JobSpec::one_stage(
        (0..n)
            .map(|_| TaskSpec::new(TaskKind::function("noop", Vec::new())))
            .collect(),
    )
}

fn run_as_executor() -> ! {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let code = rt.block_on(async {
        let config = ExecutorConfig::from_env().expect("executor environment");
        match run_executor(config, registry()).await {
            Ok(_) => 0,
            Err(e) => {
                eprintln!("executor: {e}");
                1
            }
        }
    });
    std::process::exit(code)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    if std::env::var(ENV_EXECUTOR_ID).is_ok() {
        run_as_executor();
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (driver, mut local) = rt.block_on(async {
        let mut config = DriverConfig::new(
            "127.0.0.1:0".parse().unwrap(),
            AppSecret::generate("application_bench_0001"),
        );
        config.endpoint.executor_cores = CORES;
        let driver = Driver::start(config).await.unwrap();
        let mut local = LocalExecutors::new(
            std::env::current_exe().unwrap(),
            Vec::<String>::new(),
            driver.address().to_string(),
            CORES,
            driver.secret(),
            dir.path(),
        )
        .unwrap();
        for _ in 0..EXECUTORS {
            local.spawn().unwrap();
        }
        let n = driver
            .wait_for_executors(EXECUTORS, Duration::from_secs(60))
            .await;
        assert_eq!(n, EXECUTORS);
        (driver, local)
    });

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    let mut group = c.benchmark_group("empty_tasks_8x2");
    group.throughput(Throughput::Elements(u64::from(TASKS_PER_JOB)));
    group.bench_function("one_job_of_20000", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                rt.block_on(driver.run(noop_job(TASKS_PER_JOB))).unwrap();
            }
            start.elapsed()
        })
    });
    group.finish();

    let mut group = c.benchmark_group("launch_to_result");
    group.bench_function("single_task_job", |b| {
        b.iter(|| rt.block_on(driver.run(noop_job(1))).unwrap())
    });
    group.finish();

    // Percentiles criterion does not give: 2,000 single-task jobs one after another.
    let mut samples: Vec<Duration> = (0..2000)
        .map(|_| {
            let t = Instant::now();
            rt.block_on(driver.run(noop_job(1))).unwrap();
            t.elapsed()
        })
        .collect();
    samples.sort();
    println!(
        "launch_to_result single-task job latency over {} jobs: p50 {:?}, p99 {:?}, max {:?}",
        samples.len(),
        percentile(&samples, 0.50),
        percentile(&samples, 0.99),
        samples[samples.len() - 1]
    );
    let t = Instant::now();
    rt.block_on(driver.run(noop_job(100_000))).unwrap();
    let took = t.elapsed();
    println!(
        "100,000 empty tasks on {EXECUTORS} executors x {CORES} cores: {took:?} = {:.0} tasks/s",
        100_000.0 / took.as_secs_f64()
    );

    rt.block_on(async {
        driver.stop("benchmark done", true).await;
        local.wait_all(Duration::from_secs(10)).await;
    });
    c.final_summary();
}
