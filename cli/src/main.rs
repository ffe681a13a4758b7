//! The `spindle` command. Commands are thin: the work is done by library crates
//! (`spindle-minicluster` for `spindle cluster`, `spindle-scheduler` for `spindle executor`).

mod args;
mod cluster_cmd;
mod error;
mod executor_cmd;
mod memory_size;
mod signals;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::error::CliError;

fn main() -> ExitCode {
    // Usage errors print clap's message and exit with 2; --help / --version exit with 0.
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
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

fn run(cli: Cli) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    match cli.command {
        Command::Cluster(args) => runtime.block_on(cluster_cmd::run(args)),
        Command::Executor(args) => runtime.block_on(executor_cmd::run(args)),
    }
}

/// Logs go to standard error, filtered by `SPINDLE_LOG` (or `RUST_LOG`), warnings by default.
fn init_logging() {
    let filter = std::env::var("SPINDLE_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .unwrap_or_else(|_| "warn".to_string());
    let filter = tracing_subscriber::EnvFilter::try_new(&filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
