//! `spindle example` and the role driver (`spindle roles`): the built-in drivers. Run by hand,
//! they start `spindle executor` processes on this machine; submitted, they take the
//! application's secret from their container and get executors from the ApplicationMaster
//! (`spindle_examples::app`). `spindle executor` registers the examples' task functions, so
//! the one `spindle` binary is driver and executor.

use std::sync::Arc;

use spindle_client::spec::AppSpec;
use spindle_examples::app::{LocalProgram, run_driver};
use spindle_examples::{dshell, pi, wordcount};
use spindle_scheduler::driver::Driver;

use crate::app_args::{ExampleArgs, ExampleName, RolesArgs};
use crate::error::CliError;

/// Reduce tasks of the word count.
const WORDCOUNT_BUCKETS: u32 = 4;

/// `spindle executor`, as local executors of a driver run by hand.
fn spindle_executor() -> Result<LocalProgram, CliError> {
    let program = std::env::current_exe()
        .map_err(|e| CliError::Driver(format!("cannot find the spindle binary: {e}")))?;
    Ok(LocalProgram {
        program,
        args: vec!["executor".into()],
    })
}

/// Runs Monte-Carlo pi on `driver` and prints its line.
pub async fn pi_driver(driver: Arc<Driver>, args: Vec<String>) -> Result<(), String> {
    let settings = pi::PiSettings::from_args(&args)?;
    let result = pi::run(&driver, settings).await?;
    println!("{result}");
    Ok(())
}

/// Runs `spindle example …` to the end.
pub async fn run(args: ExampleArgs) -> Result<(), CliError> {
    let local = spindle_executor()?;
    let ExampleArgs { example, args } = args;
    let result = match example {
        ExampleName::Pi => run_driver(local, |driver| pi_driver(driver, args)).await,
        ExampleName::Wordcount => {
            run_driver(local, |driver| async move {
                let counts = wordcount::run(&driver, &args, WORDCOUNT_BUCKETS).await?;
                print!("{}", counts.summary(20, args.len()));
                Ok(())
            })
            .await
        }
        ExampleName::Dshell => {
            run_driver(local, |driver| async move {
                let parsed = dshell::DshellArgs::from_args(&args)?;
                let executors = spindle_examples::app::executors_wanted()?;
                let count = parsed.count.unwrap_or(executors);
                let outputs = dshell::run(&driver, &parsed.command, count, executors).await?;
                print!("{}", dshell::render(&outputs));
                Ok(())
            })
            .await
        }
    };
    result.map_err(CliError::Driver)
}

/// Runs every role instance of `spec` as one shell task, each on its own executor, and prints
/// their outputs as `[role index] line`. Fails when an instance keeps failing.
pub async fn run_roles(driver: &Driver, spec: &AppSpec) -> Result<(), String> {
    let tasks = spec.role_tasks();
    let total = tasks.len();
    driver.request_executors(u32::try_from(total).unwrap_or(u32::MAX));
    driver
        .wait_for_executors(total, dshell::EXECUTOR_WAIT)
        .await;
    let names: Vec<(String, u32)> = tasks.iter().map(|t| (t.role.clone(), t.index)).collect();
    let shell_tasks = tasks
        .into_iter()
        .map(|t| dshell::ShellTask {
            command: t.command,
            env: t.env,
        })
        .collect();
    let outputs = dshell::run_tasks(driver, shell_tasks).await?;
    for ((role, index), out) in names.iter().zip(&outputs) {
        for line in out.lines() {
            println!("[{role} {index}] {line}");
        }
    }
    let roles: Vec<String> = spec
        .roles
        .iter()
        .map(|r| format!("{} × {}", r.instances, r.name))
        .collect();
    println!("roles done: {}", roles.join(", "));
    Ok(())
}

/// Runs `spindle roles SPEC` to the end.
pub async fn run_roles_cmd(args: RolesArgs) -> Result<(), CliError> {
    let spec = AppSpec::from_file(&args.spec)?;
    if spec.roles.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no [[role]] tables",
            args.spec.display()
        )));
    }
    run_driver(spindle_executor()?, |driver| async move {
        run_roles(&driver, &spec).await
    })
    .await
    .map_err(CliError::Driver)
}
