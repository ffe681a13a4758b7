//! `spindle am`: the ApplicationMaster, as a NodeManager starts it in the application's first
//! container. Its exit code is the attempt's (Spark's codes: 0, 10 … 17).

use std::process::ExitCode;

use spindle_am::app::{AmOptions, DriverSpec, Workload, run_in_container};
use spindle_am::outcome::exit_code;
use tokio::sync::mpsc;

use crate::args::AmArgs;
use crate::signals::StopSignals;

/// Runs the AM; the exit code tells the NodeManager (and the ResourceManager) how it ended.
pub async fn run(args: AmArgs) -> ExitCode {
    let workload = match (args.shell, args.driver_command, args.driver_url) {
        (Some(command), _, _) => Workload::Shell {
            command,
            count: args.num_executors,
        },
        (None, command, url) => {
            let executor = match args.executor_program {
                Some(program) => std::iter::once(program).chain(args.executor_args).collect(),
                None => {
                    let me = std::env::current_exe()
                        .map(|p| p.to_string_lossy().into_owned())
                        .unwrap_or_else(|_| "spindle".to_string());
                    let mut v = vec![me, "executor".to_string()];
                    v.extend(args.executor_args);
                    v
                }
            };
            let driver = match (command, url) {
                (Some(command), _) => DriverSpec::Child { command },
                (None, Some(url)) => DriverSpec::Remote { url },
                // clap's group requires one of the three.
                (None, None) => DriverSpec::Remote { url: String::new() },
            };
            Workload::Driver {
                driver,
                executor,
                initial_executors: args.num_executors,
            }
        }
    };
    let mut options = AmOptions::new(workload);
    options.executor.memory_mb = u64::try_from(args.executor_memory).unwrap_or(1024);
    options.executor.cores = args.executor_cores;
    options.max_executor_failures = args.max_executor_failures;
    options.executor_env = args.env;
    options.staging_dir = args.staging_dir;
    if let Some(list) = &args.executor_resources {
        match spindle_client::staging::read_manifest(list) {
            Ok(resources) => options.executor_resources = resources,
            Err(e) => {
                eprintln!("spindle am: cannot start: {e}");
                return ExitCode::from(u8::try_from(exit_code::UNCAUGHT_EXCEPTION).unwrap_or(1));
            }
        }
    }
    options.driver_start_timeout = args.driver_start_timeout;
    options.driver_disconnect_grace = args.driver_disconnect_grace;
    options.heartbeat_interval = args.heartbeat_interval;
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
