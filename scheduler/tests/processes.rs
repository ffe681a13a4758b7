//! A driver and real executor processes on one machine. This test binary is both: started
//! with the executor environment, its `executor_entry` test runs an executor (and
//! `driver_entry` a lone driver process); otherwise the tests start executors as children.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use nix::sys::signal::Signal;
use spindle_scheduler::auth::AppSecret;
use spindle_scheduler::core::{JobSpec, StageSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::{Driver, DriverConfig, JobError, LocalExecutors};
use spindle_scheduler::executor::{
    ENV_DRIVER_TIMEOUT, ExecutorConfig, ExecutorError, TaskContext, TaskRegistry, run_executor,
};

const ROLE_DRIVER_SECRET: &str = "SPINDLE_TEST_DRIVER_CREDS";

/// The square of a little-endian `u32`, as a little-endian `u64`.
fn square(input: &[u8]) -> Result<Vec<u8>, String> {
    let n = u64::from(u32::from_le_bytes(
        input.try_into().map_err(|_| "need 4 bytes")?,
    ));
    Ok((n * n).to_le_bytes().to_vec())
}

fn registry() -> TaskRegistry {
    TaskRegistry::new()
        .with("square", |_: &TaskContext, input: &[u8]| square(input))
        .with("slow_square", |_: &TaskContext, input: &[u8]| {
            std::thread::sleep(Duration::from_millis(20));
            square(input)
        })
        .with("sum", |_: &TaskContext, input: &[u8]| {
            let total: u64 = input
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
                .sum();
            Ok(total.to_le_bytes().to_vec())
        })
        .with("always_fails", |ctx: &TaskContext, _: &[u8]| {
            Err(format!("deliberate failure on attempt {}", ctx.attempt))
        })
}

/// Runs `work` to completion on a multi-thread runtime (the entries below are plain tests that
/// become the process's main work).
fn block_on<F: std::future::Future>(work: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(work)
}

/// Runs an executor when this binary was started as one.
#[test]
fn executor_entry() {
    if std::env::var(spindle_scheduler::executor::ENV_EXECUTOR_ID).is_err() {
        return;
    }
    let code = block_on(async {
        let config = match ExecutorConfig::from_env() {
            Ok(c) => c,
            Err(e) => {
                eprintln!("executor: {e}");
                return 2;
            }
        };
        match run_executor(config, registry()).await {
            Ok(_) => 0,
            Err(e) => {
                eprintln!("executor: {e}");
                1
            }
        }
    });
    std::process::exit(code);
}

/// Runs a lone driver process when asked: prints its address and waits to be killed.
#[test]
fn driver_entry() {
    let Ok(creds) = std::env::var(ROLE_DRIVER_SECRET) else {
        return;
    };
    block_on(async {
        let secret = AppSecret::from_file(creds.as_ref()).unwrap();
        let driver = Driver::start(DriverConfig::new("127.0.0.1:0".parse().unwrap(), secret))
            .await
            .unwrap();
        println!("DRIVER {}", driver.address());
        tokio::time::sleep(Duration::from_secs(600)).await;
    });
    std::process::exit(0);
}

fn this_binary() -> std::path::PathBuf {
    std::env::current_exe().unwrap()
}

fn executor_args() -> Vec<&'static str> {
    vec![
        "--exact",
        "executor_entry",
        "--nocapture",
        "--test-threads=1",
    ]
}

fn config(secret: AppSecret) -> DriverConfig {
    let mut c = DriverConfig::new("127.0.0.1:0".parse().unwrap(), secret);
    c.endpoint.poll_wait = 500;
    c.endpoint.executor_timeout = 2000;
    c.endpoint.executor_cores = 2;
    c
}

fn u32_task(name: &str, i: u32) -> TaskSpec {
    TaskSpec::new(TaskKind::function(name, i.to_le_bytes().to_vec()))
}

fn u64s(b: &[Bytes]) -> Vec<u64> {
    b.iter()
        .map(|x| u64::from_le_bytes(x[..8].try_into().unwrap()))
        .collect()
}

/// Stage 0: `n` squares; stage 1: ten sums of a tenth of them each.
fn two_stage_job(task: &str, n: u32) -> JobSpec {
    JobSpec {
        stages: vec![
            StageSpec::new((0..n).map(|i| u32_task(task, i)).collect()),
            StageSpec::from_parents(vec![0], move |parents| {
                let squares = &parents[0];
                Ok(squares
                    .chunks(squares.len().div_ceil(10))
                    .map(|chunk| {
                        let input: Vec<u8> = chunk.iter().flat_map(|b| b.to_vec()).collect();
                        TaskSpec::new(TaskKind::function("sum", input))
                    })
                    .collect())
            }),
        ],
        ..JobSpec::default()
    }
}

async fn start(executors: usize) -> (Driver, LocalExecutors, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let driver = Driver::start(config(AppSecret::generate("application_1_0001")))
        .await
        .unwrap();
    let mut local = LocalExecutors::new(
        this_binary(),
        executor_args(),
        driver.address().to_string(),
        2,
        driver.secret(),
        dir.path(),
    )
    .unwrap();
    local.env(ENV_DRIVER_TIMEOUT, "5");
    for _ in 0..executors {
        local.spawn().unwrap();
    }
    let n = driver
        .wait_for_executors(executors, Duration::from_secs(30))
        .await;
    assert_eq!(n, executors, "executors registered");
    (driver, local, dir)
}

async fn finish(driver: Driver, mut local: LocalExecutors) -> BTreeMap<String, Option<i32>> {
    driver.stop("test done", true).await;
    local.wait_all(Duration::from_secs(10)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_executors_run_a_two_stage_job_of_1000_tasks() {
    let (driver, local, _dir) = start(4).await;
    let out = driver.run(two_stage_job("square", 1000)).await.unwrap();
    let sums = u64s(&out.stage(1));
    assert_eq!(sums.len(), 10);
    let expected: u64 = (0..1000u64).map(|i| i * i).sum();
    assert_eq!(sums.iter().sum::<u64>(), expected);
    let codes = finish(driver, local).await;
    assert!(
        codes.values().all(|c| *c == Some(0)),
        "clean exits: {codes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigkilled_executor_mid_job_does_not_stop_the_job() {
    let (driver, local, _dir) = start(4).await;
    let mut job = driver
        .submit(two_stage_job("slow_square", 400))
        .await
        .unwrap();
    // Kill executor 2 once the job is well under way.
    let mut ended = 0;
    while ended < 40 {
        match job.next_event().await.unwrap() {
            spindle_scheduler::driver::JobEvent::TaskEnded { .. } => ended += 1,
            other => panic!("unexpected {other:?}"),
        }
    }
    local.signal("2", Signal::SIGKILL).unwrap();
    let out = job.wait().await.unwrap();
    let expected: u64 = (0..400u64).map(|i| i * i).sum();
    assert_eq!(u64s(&out.stage(1)).iter().sum::<u64>(), expected);
    assert_eq!(
        driver.executor_count().await,
        3,
        "the killed one was removed"
    );
    let codes = finish(driver, local).await;
    assert_eq!(codes["2"], None, "killed by the signal");
    assert!(
        ["1", "3", "4"].iter().all(|id| codes[*id] == Some(0)),
        "{codes:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_that_always_fails_fails_the_job_after_four_attempts_with_its_error() {
    let (driver, local, _dir) = start(4).await;
    let mut tasks: Vec<TaskSpec> = (0..20).map(|i| u32_task("square", i)).collect();
    tasks.push(TaskSpec::new(TaskKind::function(
        "always_fails",
        Vec::new(),
    )));
    let err = driver.run(JobSpec::one_stage(tasks)).await.unwrap_err();
    let JobError::Failed(message) = err else {
        panic!("{err:?}")
    };
    assert!(message.contains("failed 4 times"), "{message}");
    assert!(
        message.contains("deliberate failure on attempt 3"),
        "the last attempt's error: {message}"
    );
    // An unknown function name fails its job with a clear error too.
    let err = driver
        .run(JobSpec::one_stage(vec![TaskSpec::new(TaskKind::function(
            "no_such_fn",
            Vec::new(),
        ))]))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no task function named \"no_such_fn\""),
        "{err}"
    );
    finish(driver, local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_tasks_report_output_and_exit_codes() {
    let (driver, local, _dir) = start(1).await;
    let out = driver
        .run(JobSpec::one_stage(vec![
            TaskSpec::new(TaskKind::shell("echo hello")),
            TaskSpec::new(TaskKind::Shell {
                command: "printf %s \"$WHO\"".into(),
                env: vec!["WHO=spindle".into()],
            }),
        ]))
        .await
        .unwrap();
    assert_eq!(
        out.stage(0),
        vec![Bytes::from("hello\n"), Bytes::from("spindle")]
    );
    let err = driver
        .run(JobSpec::one_stage(vec![TaskSpec::new(TaskKind::shell(
            "echo oops >&2; exit 3",
        ))]))
        .await
        .unwrap_err();
    let m = err.to_string();
    assert!(
        m.contains("exited with code 3") && m.contains("oops"),
        "{m}"
    );
    finish(driver, local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_refused() {
    let driver = Driver::start(config(AppSecret::generate("application_1_0001")))
        .await
        .unwrap();
    let wrong = AppSecret::generate("application_1_0001");
    let mut c = ExecutorConfig::new(driver.address().to_string(), "1", 1, wrong);
    c.driver_timeout = Duration::from_secs(2);
    let started = Instant::now();
    let err = run_executor(c, registry()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    let m = err.to_string();
    assert!(
        matches!(
            err,
            ExecutorError::Refused(_) | ExecutorError::DriverGone { .. }
        ),
        "{err:?}"
    );
    assert!(
        m.contains("DIGEST-MD5") || m.contains("InvalidToken") || m.contains("auth"),
        "names the authentication failure: {m}"
    );
    assert_eq!(driver.executor_count().await, 0);
    // Another application's token is refused too, even with the right bytes elsewhere.
    let other_app = AppSecret::generate("application_1_0002");
    let mut c = ExecutorConfig::new(driver.address().to_string(), "2", 1, other_app);
    c.driver_timeout = Duration::from_secs(1);
    assert!(run_executor(c, registry()).await.is_err());
    assert_eq!(driver.executor_count().await, 0);
    driver.stop("done", true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn executors_exit_in_bounded_time_when_the_driver_vanishes() {
    let dir = tempfile::tempdir().unwrap();
    let secret = AppSecret::generate("application_1_0003");
    let creds = dir.path().join("driver.creds");
    secret.write_file(&creds).unwrap();
    let mut driver = Command::new(this_binary())
        .args(["--exact", "driver_entry", "--nocapture", "--test-threads=1"])
        .env(ROLE_DRIVER_SECRET, &creds)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut reader = BufReader::new(driver.stdout.take().unwrap());
    let address = loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "driver exited early"
        );
        // libtest prints "test driver_entry ... " without a newline before our line.
        if let Some(at) = line.find("DRIVER ") {
            break line[at + 7..].trim().to_string();
        }
    };
    let mut local = LocalExecutors::new(
        this_binary(),
        executor_args(),
        address,
        1,
        &secret,
        dir.path(),
    )
    .unwrap();
    local.env(ENV_DRIVER_TIMEOUT, "2");
    local.spawn().unwrap();
    local.spawn().unwrap();
    // Both registered and polling: give them a moment, then make the driver vanish.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let pids: Vec<u32> = ["1", "2"].iter().filter_map(|id| local.pid(id)).collect();
    assert_eq!(pids.len(), 2, "both executors still run");
    driver.kill().unwrap();
    driver.wait().unwrap();
    let started = Instant::now();
    let codes = local.wait_all(Duration::from_secs(15)).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "exited after {took:?}");
    assert_eq!(
        codes.values().copied().collect::<Vec<_>>(),
        vec![Some(1), Some(1)],
        "exited on their own with the driver-gone error: {codes:?}"
    );
    for pid in pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "no orphan: {pid} is gone"
        );
    }
}
