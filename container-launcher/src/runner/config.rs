//! The runner's configuration: folders, node identity, timings, environment passthrough.

use std::path::PathBuf;
use std::time::Duration;

use super::error::ConfigError;

/// The variables passed through from the node's own environment when a container does not set them
/// (`yarn.nodemanager.env-whitelist`).
pub const DEFAULT_ENV_WHITELIST: &[&str] = &[
    "JAVA_HOME",
    "HADOOP_COMMON_HOME",
    "HADOOP_HDFS_HOME",
    "HADOOP_CONF_DIR",
    "CLASSPATH_PREPEND_DISTCACHE",
    "HADOOP_YARN_HOME",
    "HADOOP_HOME",
    "PATH",
    "LANG",
    "TZ",
];

/// How a [`super::LocalRunner`] runs containers.
#[derive(Debug, Clone)]
pub struct RunnerConfig {
    /// `yarn.nodemanager.local-dirs`: work folders and caches (the first one holds work folders and caches;
    /// every one gets the application folder listed in `LOCAL_DIRS`).
    pub local_dirs: Vec<PathBuf>,
    /// `yarn.nodemanager.log-dirs`: container logs go to `<log-dir>/<appId>/<containerId>`.
    pub log_dirs: Vec<PathBuf>,
    /// The node's host name (`NM_HOST`).
    pub node_host: String,
    /// The ContainerManagement RPC port (`NM_PORT`).
    pub node_port: u16,
    /// The node's web port (`NM_HTTP_PORT`).
    pub node_http_port: u16,
    /// `yarn.nodemanager.user-home-dir`: the `HOME` of every container.
    pub user_home_dir: String,
    /// `yarn.nodemanager.sleep-delay-before-sigkill.ms`: time between SIGTERM and SIGKILL.
    pub kill_grace: Duration,
    /// `yarn.nodemanager.container-monitor.interval-ms`: how often memory is checked; zero disables it.
    pub memory_check_interval: Duration,
    /// Variables (name, value) passed to a container that does not set them itself; by default the
    /// [`DEFAULT_ENV_WHITELIST`] variables present in this process's environment.
    pub env_passthrough: Vec<(String, String)>,
    /// The shell used for launch scripts and the orphan watchdog.
    pub bash: PathBuf,
    /// Keep a finished container's work folder (for debugging) instead of deleting it.
    pub keep_container_dirs: bool,
    /// The most bytes an archive may unpack to (guards against archive bombs).
    pub max_unpacked_bytes: u64,
    /// How many finished containers `status` remembers (at least one) before the oldest are
    /// forgotten.
    pub completed_retention: usize,
}

impl RunnerConfig {
    /// A configuration with YARN's defaults, the given folders, and the whitelisted variables of this
    /// process's environment as passthrough.
    pub fn new(local_dirs: Vec<PathBuf>, log_dirs: Vec<PathBuf>) -> Self {
        let env_passthrough = DEFAULT_ENV_WHITELIST
            .iter()
            .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
            .collect();
        RunnerConfig {
            local_dirs,
            log_dirs,
            node_host: "localhost".into(),
            node_port: 0,
            node_http_port: 0,
            user_home_dir: "/home/".into(),
            kill_grace: Duration::from_millis(250),
            memory_check_interval: Duration::from_millis(3000),
            env_passthrough,
            bash: PathBuf::from("/bin/bash"),
            keep_container_dirs: false,
            max_unpacked_bytes: 16 << 30,
            completed_retention: 10_000,
        }
    }

    /// Checks that the folders are usable in a launch script.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.local_dirs.is_empty() {
            return Err(ConfigError::NoDirs("local"));
        }
        if self.log_dirs.is_empty() {
            return Err(ConfigError::NoDirs("log"));
        }
        for dir in self.local_dirs.iter().chain(&self.log_dirs) {
            let text = dir.to_string_lossy();
            let bad = !dir.is_absolute()
                || text
                    .chars()
                    .any(|c| matches!(c, '"' | '$' | '`' | '\\' | '\n' | '\r' | '\0'));
            if bad {
                return Err(ConfigError::BadDir { path: dir.clone() });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_checked() {
        let ok = RunnerConfig::new(vec!["/tmp/l".into()], vec!["/tmp/g".into()]);
        assert!(ok.validate().is_ok());
        let rel = RunnerConfig::new(vec!["rel".into()], vec!["/tmp/g".into()]);
        assert!(matches!(rel.validate(), Err(ConfigError::BadDir { .. })));
        let quote = RunnerConfig::new(vec!["/tmp/l".into()], vec!["/tmp/\"x".into()]);
        assert!(matches!(quote.validate(), Err(ConfigError::BadDir { .. })));
        let none = RunnerConfig::new(vec![], vec!["/tmp/g".into()]);
        assert!(matches!(none.validate(), Err(ConfigError::NoDirs("local"))));
    }
}
