//! [`CliError`]: why a command failed, with what to do about it.

use std::path::PathBuf;

use spindle_minicluster::ClusterError;

/// Why a `spindle` command failed. [`CliError::hint`] tells the user what to do next.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The async runtime could not be built.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The signal handlers could not be installed.
    #[error("cannot listen for Ctrl-C / SIGTERM: {0}")]
    Signals(std::io::Error),
    /// The temporary base dir could not be made.
    #[error("cannot create a folder for the cluster under {path}: {source}")]
    TempDir {
        /// The parent folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The base dir given with `--base-dir` could not be created.
    #[error("cannot create the base dir {path}: {source}")]
    BaseDir {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The embedded cluster did not start.
    #[error("cannot start the embedded cluster: {0}")]
    ClusterStart(#[from] ClusterError),
    /// The executor could not start or had to stop.
    #[error("executor: {0}")]
    Executor(#[from] spindle_scheduler::executor::ExecutorError),
    /// The cluster did not stop in time, or a second signal cut its shutdown short.
    #[error("the cluster was stopped forcibly ({0}); its containers were killed at once")]
    ForcedStop(&'static str),
    /// A submission, a query or a kill failed.
    #[error("{0}")]
    Client(#[from] spindle_client::ClientError),
    /// A built-in driver (an example, the role driver) failed.
    #[error("{0}")]
    Driver(String),
    /// The command line asks for something that cannot be done.
    #[error("{0}")]
    Usage(String),
    /// Ctrl-C or SIGTERM stopped the command (it exits with 130).
    #[error("stopped by {0}")]
    Interrupted(&'static str),
}

impl CliError {
    /// A line telling the user what to do next, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            CliError::Executor(e) => executor_hint(e),
            CliError::Runtime(_) | CliError::Signals(_) => {
                Some("check the process limits (ulimit -n, ulimit -u) and try again".into())
            }
            CliError::TempDir { .. } => Some(
                "make the temp dir writable (or set TMPDIR), or pick a folder with --base-dir DIR"
                    .into(),
            ),
            CliError::BaseDir { .. } => Some(
                "pick a folder you can write to with --base-dir DIR, or leave the flag out".into(),
            ),
            CliError::ClusterStart(e) => match e {
                ClusterError::Bind { .. } => Some(
                    "another process holds that port: pick another with --rm-port / \
                     --scheduler-port, or 0 for a free one"
                        .into(),
                ),
                ClusterError::Io { .. } => Some(
                    "make that folder writable, or pick another one with --base-dir DIR".into(),
                ),
                ClusterError::Options(_) => Some("check the flags (spindle cluster --help)".into()),
                ClusterError::Runner { .. } => Some(
                    "the NodeManager could not start its container runner; check the machine can \
                     start processes (ulimit -u) and that the base dir is writable"
                        .into(),
                ),
                _ => None,
            },
            CliError::Client(e) => e.hint(),
            CliError::Driver(_) | CliError::Interrupted(_) => None,
            CliError::Usage(_) => None,
            CliError::ForcedStop(_) => Some(
                "look for leftover processes under the cluster's base dir if a container ignored \
                 SIGKILL"
                    .into(),
            ),
        }
    }
}

fn executor_hint(e: &spindle_scheduler::executor::ExecutorError) -> Option<String> {
    use spindle_scheduler::executor::ExecutorError as E;
    match e {
        E::Secret(_) => Some(
            "pass --credentials FILE (or set HADOOP_TOKEN_FILE_LOCATION) to the application's credentials file"
                .into(),
        ),
        E::DriverGone { .. } => {
            Some("check that the driver runs and --driver-url is its address".into())
        }
        E::Refused(_) | E::NotAuthentic(_) => Some(
            "check that the credentials file belongs to this application and the executor id is not in use"
                .into(),
        ),
        E::Config(_) => None,
    }
}
