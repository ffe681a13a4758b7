//! The `spindle` command. Commands are thin: the work is done by library crates
//! (`spindle-minicluster` for `spindle cluster`, `spindle-scheduler` for `spindle executor`).

mod am_cmd;
mod args;
mod cluster_cmd;
mod error;
mod executor_cmd;
mod memory_size;
mod signals;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::error::CliError;

fn main() -> ExitCode {
    // Usage errors print clap's message and exit with 2; --help / --version exit with 0.
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => return report(Err(CliError::Runtime(e))),
    };
    match cli.command {
        Command::Cluster(args) => report(runtime.block_on(cluster_cmd::run(args))),
        // The AM's exit code is its attempt's outcome, not a command-line error.
        Command::Am(args) => runtime.block_on(am_cmd::run(args)),
        Command::Executor(args) => report(runtime.block_on(executor_cmd::run(args))),
    }
}

/// Prints a failed command's error and hint; the exit code says whether it failed.
fn report(result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e}");
            if let Some(hint) = e.hint() {
                let _ = writeln!(err, "hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Logs go to standard error, filtered by `SPINDLE_LOG` (or `RUST_LOG`), warnings by default.
fn init_logging() {
    let filter = std::env::var("SPINDLE_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".to_string());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // Colours only on a terminal: container logs are files that people and tools read.
    let _ = tracing_subscriber::fmt()
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
