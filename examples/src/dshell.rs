//! Distributed shell (Hadoop's DistributedShell, driven by a Spindle driver): one command on N
//! executors, each run with `sh -c` in its container, its standard output collected by the
//! driver. Shell tasks need no registered function, so any executor runs them (`spindle
//! executor` included).

use std::time::Duration;

use spindle_scheduler::core::{JobSpec, StageSpec, TaskKind, TaskSpec};
use spindle_scheduler::driver::Driver;

use crate::number_in;

/// Environment variable each task gets: its index (0-based).
pub const ENV_TASK_INDEX: &str = "SPINDLE_TASK_INDEX";
/// How long [`run`] waits for the executors before it starts anyway.
pub const EXECUTOR_WAIT: Duration = Duration::from_secs(60);

/// One shell task: a command and extra environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellTask {
    /// Run with `sh -c`.
    pub command: String,
    /// Extra environment variables.
    pub env: Vec<(String, String)>,
}

/// The command line of the example: `[COUNT] COMMAND…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DshellArgs {
    /// How many times the command runs (default: the executors asked for).
    pub count: Option<u32>,
    /// The command (the remaining arguments joined with blanks).
    pub command: String,
}

impl DshellArgs {
    /// Reads `[COUNT] COMMAND…`.
    pub fn from_args(args: &[String]) -> Result<Self, String> {
        let (count, rest) = match args.split_first() {
            Some((first, rest)) if first.parse::<u32>().is_ok() => {
                (Some(number_in("COUNT", first, 1..=10_000)?), rest)
            }
            _ => (None, args),
        };
        if rest.is_empty() {
            return Err("give the command to run, e.g. dshell 4 'hostname; uptime'".into());
        }
        Ok(DshellArgs {
            count,
            command: rest.join(" "),
        })
    }
}

/// Runs `tasks` as one job and returns each task's standard output, in task order.
pub async fn run_tasks(driver: &Driver, tasks: Vec<ShellTask>) -> Result<Vec<String>, String> {
    let specs = tasks
        .into_iter()
        .map(|t| {
            TaskSpec::new(TaskKind::Shell {
                command: t.command,
                env: t.env.into_iter().map(|(k, v)| format!("{k}={v}")).collect(),
            })
        })
        .collect();
    let job = JobSpec {
        stages: vec![StageSpec::new(specs)],
        ..JobSpec::default()
    };
    let output = driver.run(job).await.map_err(|e| e.to_string())?;
    Ok(output
        .stage(0)
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect())
}

/// Runs `command` `count` times. Waits (up to [`EXECUTOR_WAIT`]) for `executors` executors
/// first, so that the tasks spread over all of them instead of going to the first one up.
pub async fn run(
    driver: &Driver,
    command: &str,
    count: u32,
    executors: u32,
) -> Result<Vec<String>, String> {
    driver
        .wait_for_executors(executors.min(count) as usize, EXECUTOR_WAIT)
        .await;
    let tasks = (0..count)
        .map(|i| ShellTask {
            command: command.to_string(),
            env: vec![(ENV_TASK_INDEX.to_string(), i.to_string())],
        })
        .collect();
    run_tasks(driver, tasks).await
}

/// The outputs as the example prints them: `[i] line` for every line of task `i`.
pub fn render(outputs: &[String]) -> String {
    let mut text = String::new();
    for (i, out) in outputs.iter().enumerate() {
        for line in out.lines() {
            text.push_str(&format!("[{i}] {line}\n"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            DshellArgs::from_args(&a(&["3", "echo", "hi"])),
            Ok(DshellArgs {
                count: Some(3),
                command: "echo hi".into()
            })
        );
        assert_eq!(
            DshellArgs::from_args(&a(&["hostname"])).map(|d| d.count),
            Ok(None)
        );
        assert!(DshellArgs::from_args(&a(&["3"])).is_err());
        assert!(DshellArgs::from_args(&a(&["0", "x"])).is_err());
        assert!(DshellArgs::from_args(&[]).is_err());
    }

    #[test]
    fn outputs_are_prefixed_by_task() {
        assert_eq!(
            render(&["a\nb\n".into(), "c".into()]),
            "[0] a\n[0] b\n[1] c\n"
        );
    }
}
