//! The one-binary harness: one program is the driver and, started again by the cluster (or by
//! [`LocalExecutors`] when run by hand), its own executors.
//!
//! What a process is follows from its environment ([`started_as`]):
//! * `SPINDLE_EXECUTOR_ID` set → an executor (the ApplicationMaster or the local driver set it);
//! * else `HADOOP_TOKEN_FILE_LOCATION` set → a driver submitted with `spindle submit`: the
//!   application secret is in that credentials file and the ApplicationMaster starts executors;
//! * else → a driver run by hand: it starts its executors as local processes.

use std::ffi::OsString;
use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use spindle_scheduler::auth::AppSecret;
use spindle_scheduler::driver::{Driver, DriverConfig, LocalExecutors, driver_env};
use spindle_scheduler::executor::{
    ENV_EXECUTOR_ID, ENV_TOKEN_FILE, ExecutorConfig, TaskRegistry, run_executor,
};

/// Environment variable: how many executors the driver should ask for (`spindle submit` sets
/// it from `--num-executors`).
pub const ENV_NUM_EXECUTORS: &str = driver_env::NUM_EXECUTORS;
/// Environment variable: cores of each executor (`spindle submit` sets it from
/// `--executor-cores`); local executors get this many. The same variable tells an executor
/// how many tasks it runs at once.
pub const ENV_EXECUTOR_CORES: &str = driver_env::EXECUTOR_CORES;
/// Executors asked for when [`ENV_NUM_EXECUTORS`] is not set.
pub const DEFAULT_EXECUTORS: u32 = 2;
/// The most executors a local run starts.
pub const MAX_LOCAL_EXECUTORS: u32 = 64;

/// What this process was started as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Started {
    /// An executor of a driver.
    Executor,
    /// A driver submitted to a cluster (its secret in `HADOOP_TOKEN_FILE_LOCATION`).
    Submitted,
    /// A driver run by hand: it starts its own executors on this machine.
    Local,
}

/// Reads this process's role from its environment.
pub fn started_as() -> Started {
    if std::env::var_os(ENV_EXECUTOR_ID).is_some() {
        Started::Executor
    } else if std::env::var_os(ENV_TOKEN_FILE).is_some() {
        Started::Submitted
    } else {
        Started::Local
    }
}

/// A positive number from the environment variable `name`, or `default` when it is unset.
fn env_count(name: &str, default: u32) -> Result<u32, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{name}={text:?} is not a positive number")),
    }
}

/// How many executors the driver asks for ([`ENV_NUM_EXECUTORS`], default 2).
pub fn executors_wanted() -> Result<u32, String> {
    env_count(ENV_NUM_EXECUTORS, DEFAULT_EXECUTORS)
}

/// The program (and leading arguments) a local run starts as its executors.
#[derive(Debug, Clone)]
pub struct LocalProgram {
    /// The program.
    pub program: PathBuf,
    /// Its leading arguments (`executor` for the `spindle` binary; none for an example).
    pub args: Vec<OsString>,
}

impl LocalProgram {
    /// This very binary, with no arguments: an example binary that checks [`started_as`].
    pub fn this_binary() -> Result<Self, String> {
        let program = std::env::current_exe()
            .map_err(|e| format!("cannot find this program's path to start executors: {e}"))?;
        Ok(LocalProgram {
            program,
            args: Vec::new(),
        })
    }
}

/// Runs `driver_main` as the driver of an application: submitted (the secret from the
/// container, executors from the ApplicationMaster) or local (executors started from `local`).
/// The driver stops when `driver_main` returns, telling the ApplicationMaster whether it
/// succeeded.
pub async fn run_driver<F, Fut>(local: LocalProgram, driver_main: F) -> Result<(), String>
where
    F: FnOnce(Arc<Driver>) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let wanted = executors_wanted()?;
    match started_as() {
        Started::Executor => Err(format!(
            "{ENV_EXECUTOR_ID} is set: this process was started as an executor, not a driver"
        )),
        Started::Submitted => {
            let config = DriverConfig::for_application().map_err(|e| e.to_string())?;
            let driver = Arc::new(
                Driver::start(config)
                    .await
                    .map_err(|e| format!("cannot start the driver: {e}"))?,
            );
            driver.request_executors(wanted);
            finish(&driver, driver_main(driver.clone()).await).await
        }
        Started::Local => {
            let wanted = wanted.min(MAX_LOCAL_EXECUTORS);
            let cores = env_count(ENV_EXECUTOR_CORES, 1)?;
            let secret = AppSecret::generate(format!("local-{}", std::process::id()));
            let config = DriverConfig::new(([127, 0, 0, 1], 0).into(), secret);
            let driver = Arc::new(
                Driver::start(config)
                    .await
                    .map_err(|e| format!("cannot start the driver: {e}"))?,
            );
            let dir = tempfile::Builder::new()
                .prefix("spindle-local-")
                .tempdir()
                .map_err(|e| format!("cannot make a folder for the local executors: {e}"))?;
            let mut executors = LocalExecutors::new(
                &local.program,
                local.args.clone(),
                driver.address().to_string(),
                cores,
                driver.secret(),
                dir.path(),
            )
            .map_err(|e| format!("cannot prepare the local executors: {e}"))?;
            for _ in 0..wanted {
                executors.spawn().map_err(|e| {
                    format!(
                        "cannot start {} as an executor: {e}",
                        local.program.display()
                    )
                })?;
            }
            let result = finish(&driver, driver_main(driver.clone()).await).await;
            executors.wait_all(Duration::from_secs(10)).await;
            result
        }
    }
}

/// Stops the driver with `result`'s verdict and passes `result` on.
async fn finish(driver: &Driver, result: Result<(), String>) -> Result<(), String> {
    match &result {
        Ok(()) => driver.stop("the driver finished", true).await,
        Err(e) => driver.stop(e, false).await,
    }
    result
}

/// The whole `main` of an example binary: an executor running `registry`'s functions, or the
/// driver running `driver_main`. Errors go to standard error and exit with 1.
pub fn main<F, Fut>(registry: TaskRegistry, driver_main: F) -> ExitCode
where
    F: FnOnce(Arc<Driver>) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        if started_as() == Started::Executor {
            let config = ExecutorConfig::from_env().map_err(|e| e.to_string())?;
            return run_executor(config, registry)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string());
        }
        run_driver(LocalProgram::this_binary()?, driver_main).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
