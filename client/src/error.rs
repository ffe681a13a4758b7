//! [`ClientError`]: why a submission or a query failed, sorted by what the user does next.

use std::path::PathBuf;

use spindle_conf::ConfError;
use spindle_protocol::yarn::YarnError;

/// Why a client call failed. [`ClientError::hint`] says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The Hadoop configuration cannot be read or holds a wrong value: fix the conf dir or the
    /// `--conf` given.
    #[error("the Hadoop configuration: {0}")]
    Conf(#[from] ConfError),
    /// The request itself is wrong (a missing file, a bad setting): fix the command line or
    /// the spec file.
    #[error("{0}")]
    Invalid(String),
    /// The cluster cannot run the application as asked (a container larger than it allows).
    #[error("{what}: {detail}")]
    Unfit {
        /// What does not fit.
        what: String,
        /// The numbers.
        detail: String,
    },
    /// Staging a file failed (permissions, a full disk).
    #[error("cannot stage {what} in {}: {source}", dir.display())]
    Staging {
        /// The file or folder being staged.
        what: String,
        /// The staging folder.
        dir: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// No ResourceManager could be reached.
    #[error("cannot reach the ResourceManager at {addresses}: {source}")]
    Unreachable {
        /// The addresses tried.
        addresses: String,
        /// The last error.
        source: YarnError,
    },
    /// The ResourceManager refused a call.
    #[error("the ResourceManager refused {call}: {source}")]
    Refused {
        /// The call.
        call: &'static str,
        /// Its error.
        source: YarnError,
    },
    /// The application is not known to the ResourceManager.
    #[error("{0} is not known to this cluster's ResourceManager")]
    NotFound(String),
    /// Logs could not be read.
    #[error("cannot read the logs of {what}: {detail}")]
    Logs {
        /// The container or application.
        what: String,
        /// Why.
        detail: String,
    },
}

impl ClientError {
    /// A line telling the user what to do next, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            ClientError::Conf(ConfError::Io { .. }) => Some(
                "point HADOOP_CONF_DIR at a readable folder holding yarn-site.xml and core-site.xml \
                 (for the embedded cluster: the HADOOP_CONF_DIR line `spindle cluster` prints), \
                 or unset it and use --master embedded"
                    .into(),
            ),
            ClientError::Conf(_) => {
                Some("fix that value in the named file, or override it with --conf KEY=VALUE".into())
            }
            ClientError::Unfit { .. } => Some(
                "ask for less (--executor-memory, --executor-cores, --conf spindle.yarn.am.memory), \
                 or raise yarn.scheduler.maximum-allocation-mb / -vcores on the cluster"
                    .into(),
            ),
            ClientError::Staging { .. } => Some(
                "make the staging folder writable, or choose another with --conf \
                 spindle.yarn.stagingDir=file:///path (a folder every node can read)"
                    .into(),
            ),
            ClientError::Unreachable { .. } => Some(
                "check that the ResourceManager runs and that yarn.resourcemanager.address in \
                 HADOOP_CONF_DIR names it (`spindle cluster` prints a HADOOP_CONF_DIR for its \
                 embedded cluster)"
                    .into(),
            ),
            ClientError::NotFound(_) => Some(
                "list the applications with `spindle list`; HADOOP_CONF_DIR must point at the \
                 cluster that ran it"
                    .into(),
            ),
            ClientError::Invalid(_) | ClientError::Refused { .. } | ClientError::Logs { .. } => {
                None
            }
        }
    }
}

/// Turns a ResourceManager error into a [`ClientError`] for `call`.
pub(crate) fn from_yarn(call: &'static str, addresses: &str, error: YarnError) -> ClientError {
    match error {
        YarnError::Transport(_) => ClientError::Unreachable {
            addresses: addresses.to_string(),
            source: error,
        },
        YarnError::ApplicationNotFound(ref r) => {
            // The message names the application: "Application with id '…' doesn't exist in RM."
            let id = r
                .message
                .split('\'')
                .nth(1)
                .unwrap_or("the application")
                .to_string();
            ClientError::NotFound(id)
        }
        other => ClientError::Refused {
            call,
            source: other,
        },
    }
}
