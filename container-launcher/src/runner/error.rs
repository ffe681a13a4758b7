//! Errors of the local runner. Their `Display` text becomes a failed container's diagnostics, so each
//! says what went wrong and, where it helps, what to do.

use std::path::PathBuf;

use crate::spec::SpecError;

/// Why a local resource could not be localized.
#[derive(Debug, thiserror::Error)]
pub enum LocalizeError {
    /// The source URL has a scheme this runner cannot read.
    #[error(
        "resource {source_url}: unsupported scheme (only file:// URLs and absolute paths can be localized on this node)"
    )]
    UnsupportedScheme {
        /// The resource's source.
        source_url: String,
    },
    /// The source does not exist or cannot be read.
    #[error("resource {path} is missing or unreadable: {error}")]
    Missing {
        /// The source path.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The source's modification time differs from the launch context's timestamp.
    #[error(
        "resource {path} changed on src filesystem (expected {expected_ms}, was {actual_ms}); \
         upload it again and submit with its new modification time"
    )]
    Changed {
        /// The source path.
        path: PathBuf,
        /// The timestamp in the launch context.
        expected_ms: i64,
        /// The modification time on disk.
        actual_ms: i64,
    },
    /// An ARCHIVE/PATTERN source that is not a zip, tar.gz or tar file, or is damaged.
    #[error("resource {path} cannot be unpacked: {reason}")]
    BadArchive {
        /// The source path.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Copying, unpacking or linking failed on the node's disks.
    #[error("localizing {path} failed: {error}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
}

/// Why a container did not start; the text is the container's diagnostics.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    /// The spec itself is unusable.
    #[error("invalid launch context: {0}")]
    Spec(#[from] SpecError),
    /// A local resource could not be localized.
    #[error("container localization failed: {0}")]
    Localize(#[from] LocalizeError),
    /// A folder or file of the container could not be created (e.g. an unwritable log folder).
    #[error(
        "cannot prepare {what} {path}: {error}; check that the node's local and log folders are writable"
    )]
    Setup {
        /// What was being created.
        what: &'static str,
        /// The path.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The process could not be started.
    #[error("cannot start the container process: {0}")]
    Spawn(std::io::Error),
    /// The runner was shut down while the container was being prepared.
    #[error("the runner shut down before the container started")]
    ShutDown,
}

/// Why [`super::LocalRunner::start`] refused a container outright.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    /// A container with this id is already known to the runner.
    #[error("container {0} is already known to this runner; container ids must be unique")]
    Duplicate(String),
    /// The runner is shutting down or was shut down.
    #[error("the runner is shut down and accepts no new containers")]
    ShutDown,
}

/// A runner configuration that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// No local or no log folder was given.
    #[error("at least one {0} folder is needed")]
    NoDirs(&'static str),
    /// A folder path that is relative or has characters the launch script cannot quote.
    #[error("folder {path:?} must be absolute and free of the characters \" $ ` \\ and newlines")]
    BadDir {
        /// The path.
        path: PathBuf,
    },
    /// The orphan watchdog could not be started.
    #[error("cannot start the orphan watchdog ({bash}): {error}")]
    Watchdog {
        /// The shell used.
        bash: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The spawner thread could not be started.
    #[error("cannot start the spawner thread: {0}")]
    Thread(std::io::Error),
    /// `LocalRunner::new` was called outside a tokio runtime.
    #[error("the local runner must be created inside a tokio runtime")]
    NoRuntime,
}
