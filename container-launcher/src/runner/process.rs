//! Starting container processes and signalling them.
//!
//! Every container process is forked from one long-lived *spawner thread* of the runner. The child
//! starts its own session (so it leads a new session and process group) and asks the kernel for
//! `SIGKILL` when its parent thread dies (`PR_SET_PDEATHSIG`). The death signal is tied to the thread
//! that forked, not the process, which is why forks happen on a thread that lives exactly as long as
//! the runner rather than on short-lived runtime threads.

use std::fs::File;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread::JoinHandle;

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;
use tokio::sync::oneshot;

use super::procfs;

/// What to run: `bash <script>` in `work_dir` with stdout/stderr going to the given files.
#[derive(Debug)]
pub struct SpawnRequest {
    /// The shell.
    pub bash: PathBuf,
    /// The launch script.
    pub script: PathBuf,
    /// The working folder.
    pub work_dir: PathBuf,
    /// Where the process's standard output goes.
    pub stdout: File,
    /// Where the process's standard error goes.
    pub stderr: File,
}

#[derive(Debug)]
struct Job {
    request: SpawnRequest,
    reply: oneshot::Sender<std::io::Result<tokio::process::Child>>,
}

/// The runner's spawner thread.
#[derive(Debug)]
pub struct Spawner {
    tx: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Spawner {
    /// Starts the spawner thread; children are registered with the runtime behind `handle`.
    pub fn start(handle: tokio::runtime::Handle) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("spindle-spawner".into())
            .spawn(move || {
                let _enter = handle.enter();
                let runner_pid = nix::unistd::getpid();
                for job in rx {
                    let result = spawn_one(job.request, runner_pid);
                    // The requester may have given up; the child then has no owner, so kill it.
                    if let Err(Ok(mut child)) = job.reply.send(result) {
                        let _ = child.start_kill();
                    }
                }
            })?;
        Ok(Spawner {
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Forks and executes the request on the spawner thread.
    pub async fn spawn(&self, request: SpawnRequest) -> std::io::Result<tokio::process::Child> {
        let (reply, answer) = oneshot::channel();
        let sent = {
            let tx = self.tx.lock().unwrap_or_else(|p| p.into_inner());
            match tx.as_ref() {
                Some(tx) => tx.send(Job { request, reply }).is_ok(),
                None => false,
            }
        };
        let closed = || std::io::Error::other("the runner's spawner thread has stopped");
        if !sent {
            return Err(closed());
        }
        answer.await.map_err(|_| closed())?
    }

    /// Stops the thread. Processes it started get their parent-death signal when it ends.
    pub fn close(&self, join: bool) {
        self.tx.lock().unwrap_or_else(|p| p.into_inner()).take();
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if join && let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

fn spawn_one(request: SpawnRequest, runner_pid: Pid) -> std::io::Result<tokio::process::Child> {
    let mut cmd = tokio::process::Command::new(&request.bash);
    cmd.arg(&request.script)
        .current_dir(&request.work_dir)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::from(request.stdout))
        .stderr(Stdio::from(request.stderr))
        .kill_on_drop(false);
    // SAFETY: the closure runs in the forked child before exec and only makes async-signal-safe
    // system calls (setsid, prctl, getppid); it allocates nothing and touches no locks.
    unsafe {
        cmd.pre_exec(move || child_setup(runner_pid));
    }
    cmd.spawn()
}

/// Runs in the child between fork and exec: new session, death signal, and a check that the runner
/// did not die before the death signal was armed.
fn child_setup(runner_pid: Pid) -> std::io::Result<()> {
    nix::unistd::setsid()?;
    nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
    if nix::unistd::getppid() != runner_pid {
        return Err(std::io::Error::from_raw_os_error(nix::libc::ESRCH));
    }
    Ok(())
}

/// Sends `signal` to the container led by `leader`: its process group, plus (with `scan`) every
/// other member found in `/proc` — session members and descendants that left the group — and the
/// `known` pids found by earlier scans (children that escaped the group are reparented once the
/// leader dies, so they can only be found while it lives). The process table is read before the
/// group is signalled for the same reason. Returns the pids outside the group that were signalled.
pub fn signal_container(leader: i32, signal: Signal, scan: bool, known: &[i32]) -> Vec<i32> {
    let mut extra: Vec<i32> = Vec::new();
    if scan && let Ok(snapshot) = procfs::snapshot() {
        extra.extend(
            procfs::container_members(&snapshot, leader)
                .iter()
                .filter(|p| p.pgrp != leader)
                .map(|p| p.pid),
        );
    }
    let _ = killpg(Pid::from_raw(leader), signal);
    for pid in known {
        if !extra.contains(pid) {
            extra.push(*pid);
        }
    }
    for pid in &extra {
        let _ = kill(Pid::from_raw(*pid), signal);
    }
    extra
}

/// Whether any live (non-zombie) process of the container led by `leader` is left, counting the
/// `known` escaped pids too.
pub fn container_alive(leader: i32, known: &[i32]) -> bool {
    match procfs::snapshot() {
        Ok(snapshot) => {
            !procfs::container_members(&snapshot, leader).is_empty()
                || snapshot
                    .iter()
                    .any(|p| known.contains(&p.pid) && !p.is_zombie())
        }
        // Without /proc, fall back to asking the kernel about the group.
        Err(_) => killpg(Pid::from_raw(leader), None).is_ok(),
    }
}
