//! The one error type of the interop support library.

use std::path::PathBuf;
use std::time::Duration;

/// What went wrong while preparing the interop tier (jars, builds, the mini cluster) or driving
/// one of its processes.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// Hadoop's jars could not be found or fetched.
    #[error(
        "Hadoop jars unavailable: {0} (set SPINDLE_HADOOP_JARS to a folder holding hadoop-client-api-*.jar, or run scripts/interop-deps.sh)"
    )]
    Jars(String),
    /// No usable Spark distribution.
    #[error(
        "Spark distribution unavailable: {0} (set SPINDLE_SPARK_HOME to a folder holding bin/spark-submit and jars/, or run scripts/spark-deps.sh)"
    )]
    SparkHome(String),
    /// A tool from outside the project (a Python package, a browser) is not installed.
    #[error("{tool} unavailable: {reason} ({install})")]
    Tool {
        /// The tool.
        tool: String,
        /// What is missing.
        reason: String,
        /// How to install it.
        install: String,
    },
    /// A build step (`javac`, `jar`) failed.
    #[error("building {what} failed at `{step}` ({status}):\n{output}")]
    Build {
        /// What was being built.
        what: String,
        /// The failing step.
        step: String,
        /// Its exit status, or why it did not finish.
        status: String,
        /// Its combined output.
        output: String,
    },
    /// Another process held a cache lock for too long.
    #[error("timed out waiting for the cache lock {0}")]
    Lock(PathBuf),
    /// A program (a harness JVM, a build tool, `spark-submit`) could not be started.
    #[error(
        "could not start `{program}`: {source} (is a JDK 17+ installed? scripts/interop-deps.sh installs one)"
    )]
    Spawn {
        /// The program that failed to start.
        program: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A wait ran out of time.
    #[error("timed out after {seconds:.1} s waiting for {what}; harness stderr (tail):\n{stderr}")]
    Timeout {
        /// What was awaited.
        what: String,
        /// How long we waited.
        seconds: f64,
        /// The last part of the process's stderr.
        stderr: String,
    },
    /// The harness process ended (or closed stdout) before giving what we waited for.
    #[error("harness process ended while waiting for {what} ({status}); stderr (tail):\n{stderr}")]
    Exited {
        /// What was awaited.
        what: String,
        /// Its exit status, if known.
        status: String,
        /// The last part of the process's stderr.
        stderr: String,
    },
    /// The test KDC could not be set up (missing tools, a failing admin command).
    #[error("Kerberos test realm: {0}")]
    Kerberos(String),
    /// The harness printed something we could not understand.
    #[error("harness protocol error: {0}")]
    Protocol(String),
    /// The embedded mini cluster did not start.
    #[error("the mini cluster did not start: {0}")]
    Cluster(#[from] spindle_minicluster::ClusterError),
    /// A call of our YARN client failed while setting up a test.
    #[error("YARN call failed: {0}")]
    Yarn(#[from] spindle_protocol::yarn::YarnError),
    /// A file-system or pipe error.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result alias for this crate.
pub type Result<T, E = HarnessError> = std::result::Result<T, E>;

/// `io`, bounded by `limit`: [`HarnessError::Timeout`] naming `what` when it runs out (with no
/// process output to show), its own error as [`HarnessError::Io`].
pub async fn within<T>(
    limit: Duration,
    what: impl FnOnce() -> String,
    io: impl Future<Output = std::io::Result<T>>,
) -> Result<T> {
    match tokio::time::timeout(limit, io).await {
        Ok(done) => Ok(done?),
        Err(_) => Err(HarnessError::Timeout {
            what: what(),
            seconds: limit.as_secs_f64(),
            stderr: String::new(),
        }),
    }
}
