//! The `spindle` command. Commands are thin: the work is done by library crates
//! (`spindle-client` for `submit`/`status`/`kill`/`logs`/`list`, `spindle-minicluster` for
//! `spindle cluster`, `spindle-am` for `spindle am`, `spindle-scheduler` for `spindle executor`,
//! `spindle-examples` for `spindle example` and `spindle demo`).

mod am_cmd;
mod app_args;
mod app_cmds;
mod args;
mod cluster_cmd;
mod demo_cmd;
mod error;
mod example_cmd;
mod executor_cmd;
mod memory_size;
mod signals;
mod submit_cmd;

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
        // The application's outcome is the exit code; a command-line error exits 1.
        Command::Submit(args) => outcome(runtime.block_on(submit_cmd::run(args))),
        Command::Demo(args) => outcome(runtime.block_on(demo_cmd::run(args))),
        Command::Status(args) => report(runtime.block_on(app_cmds::status(args))),
        Command::Kill(args) => report(runtime.block_on(app_cmds::kill(args))),
        Command::Logs(args) => report(runtime.block_on(app_cmds::logs(args))),
        Command::List(args) => report(runtime.block_on(app_cmds::list(args))),
        Command::Example(args) => report(runtime.block_on(example_cmd::run(args))),
        Command::Roles(args) => report(runtime.block_on(example_cmd::run_roles_cmd(args))),
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

/// An exit code the command decided, or a command-line error (printed, exit 1; 130 when a
/// signal stopped it, as a shell reports Ctrl-C).
fn outcome(result: Result<ExitCode, CliError>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e @ CliError::Interrupted(_)) => {
            report(Err(e));
            ExitCode::from(130)
        }
        Err(e) => report(Err(e)),
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
