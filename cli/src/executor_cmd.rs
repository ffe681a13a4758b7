//! `spindle executor`: the executor backend with shell-command tasks and the task functions of
//! the built-in examples (`spindle example`, `spindle demo`); an application that ships its own
//! task functions runs its own binary as the executor instead.

use spindle_scheduler::auth::AppSecret;
use spindle_scheduler::executor::{
    ENV_TOKEN_FILE, ExecutorConfig, ExecutorError, ExecutorExit, run_executor,
};
use tracing::info;

use crate::args::ExecutorArgs;
use crate::error::CliError;

/// Runs the executor until it is told to stop, the driver is gone, or SIGTERM.
pub async fn run(args: ExecutorArgs) -> Result<(), CliError> {
    let credentials = match args.credentials {
        Some(path) => path,
        None => std::env::var_os(ENV_TOKEN_FILE)
            .map(Into::into)
            .ok_or_else(|| {
                ExecutorError::Config(format!(
                    "no credentials file: pass --credentials or set {ENV_TOKEN_FILE}"
                ))
            })?,
    };
    let secret = AppSecret::from_file(&credentials).map_err(ExecutorError::from)?;
    if let Some(app) = &args.app_id
        && app != secret.app_id()
    {
        return Err(ExecutorError::Config(format!(
            "--app-id {app} does not match the credentials' application {}",
            secret.app_id()
        ))
        .into());
    }
    let mut config = ExecutorConfig::new(args.driver_url, args.executor_id, args.cores, secret);
    if let Some(host) = args.hostname {
        config.host = host;
    }
    config.driver_timeout = args.driver_timeout;
    match run_executor(config, spindle_examples::registry()).await? {
        ExecutorExit::Stopped(reason) => info!(%reason, "executor stopped by the driver"),
        ExecutorExit::Terminated => info!("executor terminated by SIGTERM"),
    }
    Ok(())
}
