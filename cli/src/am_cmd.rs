//! `spindle am`: the ApplicationMaster, as a NodeManager starts it in the application's first
//! container. Its exit code is the attempt's (Spark's codes: 0, 10 … 17).

use std::process::ExitCode;

use spindle_am::app::{AmOptions, Workload, run_in_container};
use spindle_am::outcome::exit_code;
use tokio::sync::mpsc;

use crate::args::AmArgs;
use crate::signals::StopSignals;

/// Runs the AM; the exit code tells the NodeManager (and the ResourceManager) how it ended.
pub async fn run(args: AmArgs) -> ExitCode {
    let options = AmOptions {
        workload: Workload::Shell {
            command: args.shell,
            count: args.num_executors,
        },
        executor_memory_mb: u64::try_from(args.executor_memory).unwrap_or(1024),
        executor_cores: args.executor_cores,
        max_executor_failures: args.max_executor_failures,
        executor_env: args.env,
        staging_dir: args.staging_dir,
    };
    let (stop_tx, stop_rx) = mpsc::channel(1);
    match StopSignals::install() {
        Ok(mut signals) => {
            tokio::spawn(async move {
                let name = signals.next().await;
                stop_tx.send(name.to_string()).await.ok();
            });
        }
        Err(e) => tracing::warn!("cannot listen for SIGTERM: {e}"),
    }
    match run_in_container(options, stop_rx).await {
        Ok(decision) => {
            if decision.exit_code == 0 {
                eprintln!("spindle am: {}", decision.status);
            } else {
                eprintln!(
                    "spindle am: {} (exit {}): {}",
                    decision.status, decision.exit_code, decision.diagnostics
                );
            }
            ExitCode::from(u8::try_from(decision.exit_code).unwrap_or(1))
        }
        Err(e) => {
            eprintln!("spindle am: cannot start: {e}");
            ExitCode::from(u8::try_from(exit_code::UNCAUGHT_EXCEPTION).unwrap_or(1))
        }
    }
}
