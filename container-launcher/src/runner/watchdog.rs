//! The orphan watchdog: a small bash process that outlives the runner just long enough to kill the
//! process groups of containers that were still running when the runner died.
//!
//! The runner tells it each container's process group (`+<pgid>` when started, `-<pgid>` when gone)
//! over a pipe. When the pipe closes — because the runner dropped it, exited, or was killed with
//! SIGKILL (the kernel closes the runner's end) — the watchdog sends SIGTERM to every group still
//! registered, waits the kill grace period, sends SIGKILL, and exits. It lives in its own process group
//! and ignores INT/TERM/HUP/QUIT, so signals aimed at the runner's terminal or group do not stop it
//! before it has cleaned up. (Container leaders also get SIGKILL from the kernel through
//! `PR_SET_PDEATHSIG`; the watchdog covers the rest of their groups.)

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

const SCRIPT: &str = r#"trap '' INT TERM HUP QUIT
declare -A groups
while IFS= read -r line; do
  case "$line" in
    +[0-9]*) groups["${line:1}"]=1 ;;
    -[0-9]*) unset "groups[${line:1}]" ;;
  esac
done
[ "${#groups[@]}" -eq 0 ] && exit 0
for g in "${!groups[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
sleep "$1"
for g in "${!groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
exit 0
"#;

/// A running watchdog.
#[derive(Debug)]
pub struct Watchdog {
    stdin: Mutex<Option<ChildStdin>>,
    child: Mutex<Option<Child>>,
}

impl Watchdog {
    /// Starts the watchdog with this kill grace period.
    pub fn start(bash: &Path, grace: Duration) -> std::io::Result<Self> {
        let mut child = Command::new(bash)
            .arg("-c")
            .arg(SCRIPT)
            .arg("spindle-watchdog")
            .arg(format!("{:.3}", grace.as_secs_f64()))
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()?;
        let stdin = child.stdin.take();
        Ok(Watchdog {
            stdin: Mutex::new(stdin),
            child: Mutex::new(Some(child)),
        })
    }

    fn send(&self, line: String) {
        let mut stdin = self.stdin.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(pipe) = stdin.as_mut()
            && let Err(e) = pipe.write_all(line.as_bytes())
        {
            tracing::warn!(error = %e, "the orphan watchdog is gone; containers may outlive a killed runner");
            stdin.take();
        }
    }

    /// Registers a container's process group.
    pub fn watch(&self, pgid: i32) {
        self.send(format!("+{pgid}\n"));
    }

    /// Forgets a container's process group (it has been cleaned up).
    pub fn unwatch(&self, pgid: i32) {
        self.send(format!("-{pgid}\n"));
    }

    /// Closes the pipe; the watchdog kills whatever is still registered and exits. It is reaped on a
    /// background thread so that no zombie is left.
    pub fn close(&self) {
        self.stdin.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(mut child) = self.child.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = std::thread::Builder::new()
                .name("spindle-watchdog-reaper".into())
                .spawn(move || {
                    let _ = child.wait();
                });
        }
    }

    /// The watchdog's process id, if it is still owned by this runner.
    pub fn pid(&self) -> Option<u32> {
        self.child
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .map(|c| c.id())
    }
}
