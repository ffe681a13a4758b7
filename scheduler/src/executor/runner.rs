//! Running one task: a shell command in its own process group (killed as a group, output
//! bounded), or a registered function on the blocking pool.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::Notify;

use super::registry::{TaskContext, TaskRegistry};
use crate::core::TaskError;
use crate::limits::{MAX_ERROR_MESSAGE_LEN, truncate_utf8};
use crate::proto::{LaunchTaskProto, TaskKindProto};

/// Keep this much of a failing shell task's stderr.
const STDERR_TAIL: usize = 4096;

/// How a task run ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    Finished(Vec<u8>),
    Failed(TaskError),
    Killed,
}

/// A kill switch shared by the runner and the executor.
#[derive(Debug, Default)]
pub(crate) struct KillSwitch {
    pub(crate) killed: Arc<AtomicBool>,
    pub(crate) notify: Notify,
}

impl KillSwitch {
    pub(crate) fn kill(&self) {
        self.killed.store(true, Ordering::Relaxed);
        self.notify.notify_waiters();
        self.notify.notify_one();
    }

    fn is_killed(&self) -> bool {
        self.killed.load(Ordering::Relaxed)
    }
}

/// Runs `launch` to its end (or until killed).
pub(crate) async fn run(
    launch: LaunchTaskProto,
    registry: &TaskRegistry,
    kill: &KillSwitch,
    max_result: usize,
) -> Outcome {
    let outcome = match launch.kind {
        Some(TaskKindProto::Function(f)) => {
            let Some(registered) = registry.get_registered(&f.name).cloned() else {
                return Outcome::Failed(TaskError::new(format!(
                    "no task function named {:?} in this executor (it has: {}); register it in the binary's TaskRegistry",
                    f.name,
                    registry.names().join(", ")
                )));
            };
            let ctx = TaskContext::new(launch.index, launch.attempt, kill.killed.clone());
            let input = f.input;
            let func = registered.f;
            if registered.inline {
                let r =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| func(&ctx, &input)));
                return finish(
                    match r {
                        Ok(Ok(out)) => Outcome::Finished(out),
                        Ok(Err(message)) => Outcome::Failed(TaskError::new(message)),
                        Err(panic) => Outcome::Failed(TaskError::new(format!(
                            "task function {:?} panicked: {}",
                            f.name,
                            panic_message(&panic)
                        ))),
                    },
                    kill,
                    max_result,
                );
            }
            let job = tokio::task::spawn_blocking(move || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| func(&ctx, &input)))
            });
            tokio::select! {
                r = job => match r {
                    Ok(Ok(Ok(out))) => Outcome::Finished(out),
                    Ok(Ok(Err(message))) => Outcome::Failed(TaskError::new(message)),
                    Ok(Err(panic)) => Outcome::Failed(TaskError::new(format!("task function {:?} panicked: {}", f.name, panic_message(&panic)))),
                    Err(e) => Outcome::Failed(TaskError::new(format!("task function {:?} could not run: {e}", f.name))),
                },
                _ = kill.notify.notified() => Outcome::Killed,
            }
        }
        Some(TaskKindProto::Shell(s)) => run_shell(&s.command, &s.env, kill, max_result).await,
        None => Outcome::Failed(TaskError::new("the launch names no task kind")),
    };
    finish(outcome, kill, max_result)
}

/// A killed task is reported killed whatever it returned; a result over the limit fails.
fn finish(outcome: Outcome, kill: &KillSwitch, max_result: usize) -> Outcome {
    if kill.is_killed() {
        return Outcome::Killed;
    }
    match outcome {
        Outcome::Finished(out) if out.len() > max_result => {
            Outcome::Failed(TaskError::new(format!(
                "the task's result of {} bytes exceeds the driver's limit of {max_result} bytes (max_result_bytes); write large outputs to files",
                out.len()
            )))
        }
        other => other,
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic".into())
}

/// Reads all of `r`, keeping at most `keep` bytes (the first ones, or the last ones when
/// `tail`), and returns them with the total length.
async fn read_bounded(mut r: impl AsyncRead + Unpin, keep: usize, tail: bool) -> (Vec<u8>, usize) {
    let mut kept = Vec::new();
    let mut total = 0usize;
    let mut buf = vec![0u8; 16 << 10];
    loop {
        let n = match r.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        total += n;
        if tail {
            kept.extend_from_slice(&buf[..n]);
            if kept.len() > keep {
                kept.drain(..kept.len() - keep);
            }
        } else if kept.len() < keep {
            let room = keep - kept.len();
            kept.extend_from_slice(&buf[..n.min(room)]);
        }
    }
    (kept, total)
}

async fn run_shell(command: &str, env: &[String], kill: &KillSwitch, max_result: usize) -> Outcome {
    let mut cmd = tokio::process::Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a kill reaches everything it started.
        .process_group(0)
        .kill_on_drop(true);
    for kv in env {
        if let Some((k, v)) = kv.split_once('=') {
            cmd.env(k, v);
        }
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(TaskError::new(format!("cannot start sh: {e}"))),
    };
    let pgid = child.id().map(|id| Pid::from_raw(id as i32));
    let stdout = child.stdout.take().expect("piped");
    let stderr = child.stderr.take().expect("piped");
    let out = tokio::spawn(read_bounded(stdout, max_result.saturating_add(1), false));
    let err = tokio::spawn(read_bounded(stderr, STDERR_TAIL, true));
    let status = tokio::select! {
        s = child.wait() => s,
        _ = kill.notify.notified() => {
            if let Some(pgid) = pgid {
                let _ = killpg(pgid, Signal::SIGKILL);
            }
            let _ = child.wait().await;
            return Outcome::Killed;
        }
    };
    let (stdout, total) = out.await.unwrap_or_default();
    let (stderr, _) = err.await.unwrap_or_default();
    // Whatever the shell left running in its group goes with it.
    if let Some(pgid) = pgid {
        let _ = killpg(pgid, Signal::SIGKILL);
    }
    let status = match status {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(TaskError::new(format!("waiting for sh failed: {e}"))),
    };
    if total > max_result {
        return Outcome::Failed(TaskError::new(format!(
            "the command wrote {total} bytes to stdout, over the driver's result limit of {max_result} bytes"
        )));
    }
    if status.success() {
        return Outcome::Finished(stdout);
    }
    let stderr = truncate_utf8(
        String::from_utf8_lossy(&stderr).into_owned(),
        MAX_ERROR_MESSAGE_LEN,
    );
    let (message, exit_code) = match status.code() {
        Some(code) => (
            format!("command `{}` exited with code {code}", short(command)),
            Some(code),
        ),
        None => (
            format!("command `{}` was killed by a signal", short(command)),
            None,
        ),
    };
    Outcome::Failed(TaskError {
        message,
        detail: stderr,
        exit_code,
    })
}

fn short(command: &str) -> String {
    truncate_utf8(command.to_string(), 200)
}
