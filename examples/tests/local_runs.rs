//! The examples' drivers against real executor processes on this machine: this test binary,
//! started again with the executor environment, is the executor (it registers the examples'
//! functions), the way an example binary is its own executor.

use std::sync::Arc;
use std::time::Duration;

use spindle_examples::{dshell, pi, registry, wordcount};
use spindle_scheduler::auth::AppSecret;
use spindle_scheduler::driver::{Driver, DriverConfig, LocalExecutors};
use spindle_scheduler::executor::{ENV_EXECUTOR_ID, ExecutorConfig, run_executor};

/// The executor, when this binary is started by `LocalExecutors`.
#[test]
fn executor_entry() {
    if std::env::var_os(ENV_EXECUTOR_ID).is_none() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let config = ExecutorConfig::from_env().expect("executor environment");
        run_executor(config, registry()).await.expect("executor");
    });
    std::process::exit(0);
}

/// A driver on this machine with `n` executors of this binary; `f` runs on it.
async fn with_driver<F, Fut>(n: usize, f: F)
where
    F: FnOnce(Arc<Driver>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let secret = AppSecret::generate("application_1_0001");
    let driver = Arc::new(
        Driver::start(DriverConfig::new("127.0.0.1:0".parse().unwrap(), secret))
            .await
            .expect("driver"),
    );
    let dir = tempfile::tempdir().expect("dir");
    let mut executors = LocalExecutors::new(
        std::env::current_exe().expect("this test binary"),
        [
            "--exact",
            "executor_entry",
            "--nocapture",
            "--test-threads=1",
        ],
        driver.address().to_string(),
        2,
        driver.secret(),
        dir.path(),
    )
    .expect("executors");
    for _ in 0..n {
        executors.spawn().expect("spawn an executor");
    }
    assert_eq!(
        driver.wait_for_executors(n, Duration::from_secs(30)).await,
        n
    );
    f(driver.clone()).await;
    driver.stop("done", true).await;
    executors.wait_all(Duration::from_secs(10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pi_is_found_by_function_tasks() {
    with_driver(2, |driver| async move {
        let settings = pi::PiSettings {
            slices: 8,
            samples_per_slice: 50_000,
        };
        let r = pi::run(&driver, settings).await.expect("pi");
        assert_eq!(r.samples, 400_000);
        assert!((r.estimate - std::f64::consts::PI).abs() < 0.02, "{r}");
        assert!(r.to_string().starts_with("Pi is roughly 3.1"), "{r}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn word_count_adds_up_every_file_in_two_stages() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "the quick brown fox\njumps over the lazy dog\n").unwrap();
    std::fs::write(&b, "The dog sleeps. THE END").unwrap();
    let files = vec![a.display().to_string(), b.display().to_string()];
    with_driver(2, |driver| async move {
        let counts = wordcount::run(&driver, &files, 3)
            .await
            .expect("word count");
        assert_eq!(counts.counts.get("the"), Some(&4));
        assert_eq!(counts.counts.get("dog"), Some(&2));
        assert_eq!(counts.total(), 14);
        assert_eq!(counts.top(1), vec![("the", 4)]);
        let missing = wordcount::run(&driver, &["/no/such/file".to_string()], 2).await;
        let err = missing.expect_err("a missing file fails the job");
        assert!(err.contains("cannot read /no/such/file"), "{err}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_distributed_shell_collects_every_output() {
    with_driver(2, |driver| async move {
        let outputs = dshell::run(&driver, "echo task $SPINDLE_TASK_INDEX", 3, 2)
            .await
            .expect("dshell");
        assert_eq!(outputs, vec!["task 0\n", "task 1\n", "task 2\n"]);
        assert_eq!(
            dshell::render(&outputs),
            "[0] task 0\n[1] task 1\n[2] task 2\n"
        );
    })
    .await;
}
