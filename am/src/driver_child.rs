//! Cluster mode: the driver runs as a child process of the AM, in the AM's container. Its
//! stdout and stderr are the AM's (the container's logs); it announces where it listens by
//! writing its address to a file ([`spindle_base::executor_env::DRIVER_URL_FILE`]); its exit
//! decides the application's final status. When the AM ends first, the driver's process group is
//! stopped (SIGTERM, then SIGKILL after a grace period), so nothing outlives the attempt.

use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::Duration;

use tokio::process::{Child, Command};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::master::Input;
use crate::outcome::Ending;

/// How long a stopped driver has between SIGTERM and SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A driver child that has announced its address.
pub struct DriverChild {
    /// Where the driver listens (`host:port`).
    pub url: String,
    child: Child,
}

/// Why the driver did not come up.
#[derive(Debug, thiserror::Error)]
pub enum DriverStartError {
    /// The command could not be started at all.
    #[error("cannot run the driver command {command:?}: {source}")]
    Spawn {
        /// The command.
        command: String,
        /// Why.
        source: std::io::Error,
    },
    /// It exited before it listened.
    #[error(
        "the driver exited ({status}) before it started listening; its output is in the AM's container logs"
    )]
    ExitedEarly {
        /// How it exited.
        status: String,
    },
    /// It did not announce an address in time.
    #[error(
        "the driver did not start listening within {0:?} (Spark: \"Timed out waiting for SparkContext\")"
    )]
    Timeout(Duration),
}

/// How a process ended, in words.
pub fn describe_exit(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with code {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => "ended".to_string(),
    }
}

impl DriverChild {
    /// Starts `command` with `sh -c` in its own process group, with `env` added, and waits up
    /// to `wait` for it to announce its address in `url_file`.
    pub async fn start(
        command: &str,
        env: &[(String, String)],
        url_file: &Path,
        wait: Duration,
    ) -> Result<DriverChild, DriverStartError> {
        let _ = std::fs::remove_file(url_file);
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(command)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env(spindle_base::executor_env::DRIVER_URL_FILE, url_file)
            .process_group(0)
            .kill_on_drop(true);
        let mut child = cmd.spawn().map_err(|source| DriverStartError::Spawn {
            command: command.to_string(),
            source,
        })?;
        let deadline = Instant::now() + wait;
        loop {
            if let Ok(url) = std::fs::read_to_string(url_file)
                && !url.trim().is_empty()
            {
                return Ok(DriverChild {
                    url: url.trim().to_string(),
                    child,
                });
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(DriverStartError::ExitedEarly {
                    status: describe_exit(status),
                });
            }
            if Instant::now() >= deadline {
                stop_group(&mut child).await;
                return Err(DriverStartError::Timeout(wait));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// `Some(ending)` once the driver has exited (0 → success, else failure with how it
    /// ended), `None` while it runs.
    pub fn ended(&mut self) -> Option<Ending> {
        match self.child.try_wait() {
            Ok(None) => None,
            Ok(Some(status)) => Some(ending_of(status)),
            Err(e) => Some(Ending::DriverFailed {
                reason: format!("cannot wait for the driver: {e}"),
            }),
        }
    }

    /// Watches the driver: its exit ends the attempt (0 → SUCCEEDED, else FAILED with how it
    /// ended). A message on `stop` (the attempt ended first) stops its process group instead.
    pub async fn watch(mut self, inputs: mpsc::Sender<Input>, stop: oneshot::Receiver<()>) {
        tokio::select! {
            status = self.child.wait() => {
                let ending = match status {
                    Ok(s) => ending_of(s),
                    Err(e) => Ending::DriverFailed { reason: format!("cannot wait for the driver: {e}") },
                };
                inputs.send(Input::End(ending)).await.ok();
            }
            _ = stop => stop_group(&mut self.child).await,
        }
    }
}

/// What a driver's exit means for the application.
fn ending_of(status: ExitStatus) -> Ending {
    if status.success() {
        Ending::DriverSucceeded
    } else {
        Ending::DriverFailed {
            reason: format!("the driver {}", describe_exit(status)),
        }
    }
}

/// SIGTERM to the child's process group, SIGKILL after [`STOP_GRACE`].
async fn stop_group(child: &mut Child) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) else {
        return;
    };
    let group = Pid::from_raw(pid);
    let _ = killpg(group, Signal::SIGTERM);
    if tokio::time::timeout(STOP_GRACE, child.wait())
        .await
        .is_err()
    {
        let _ = killpg(group, Signal::SIGKILL);
        let _ = child.wait().await;
    }
}

/// Where the driver announces itself: a file in the container's first local folder, or the
/// working folder.
pub fn url_file(local_dirs: &[PathBuf]) -> PathBuf {
    local_dirs
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("spindle-driver.url")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_driver_that_announces_is_watched_until_it_exits() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("url");
        let child = DriverChild::start(
            "printf 'h:1234' > \"$SPINDLE_DRIVER_URL_FILE.tmp\" && mv \"$SPINDLE_DRIVER_URL_FILE.tmp\" \"$SPINDLE_DRIVER_URL_FILE\"; sleep 0.2; exit 3",
            &[],
            &file,
            Duration::from_secs(10),
        )
        .await
        .unwrap();
        assert_eq!(child.url, "h:1234");
        let (tx, mut rx) = mpsc::channel(1);
        let (_stop, stop) = oneshot::channel();
        child.watch(tx, stop).await;
        match rx.recv().await {
            Some(Input::End(Ending::DriverFailed { reason })) => {
                assert_eq!(reason, "the driver exited with code 3")
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_driver_that_never_listens_is_reported_and_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("url");
        let early = DriverChild::start("exit 4", &[], &file, Duration::from_secs(10)).await;
        assert!(
            matches!(early, Err(DriverStartError::ExitedEarly { ref status }) if status == "exited with code 4")
        );
        let started = Instant::now();
        let slow = DriverChild::start("sleep 30", &[], &file, Duration::from_millis(300)).await;
        assert!(matches!(slow, Err(DriverStartError::Timeout(_))));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the sleeping driver was stopped"
        );
        let missing =
            DriverChild::start("/no/such/driver", &[], &file, Duration::from_secs(5)).await;
        assert!(
            matches!(missing, Err(DriverStartError::ExitedEarly { ref status }) if status == "exited with code 127")
        );
    }
}
