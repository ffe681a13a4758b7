//! Container logs: from the NodeManagers' log folders when they are on this machine (the
//! embedded cluster writes `yarn.nodemanager.log-dirs` into its configuration; a one-machine
//! Hadoop cluster has it in its `yarn-site.xml` too), else from each NodeManager's web API
//! (`/ws/v1/node/containerlogs/<container>/<file>`) for the containers the ResourceManager still
//! lists. Aggregated logs (log aggregation to HDFS) are not read.

use std::path::{Path, PathBuf};
use std::time::Duration;

use spindle_conf::Configuration;
use spindle_protocol::ids::{ApplicationId, ContainerId};

use crate::error::ClientError;

/// The files Spindle's containers write.
pub const LOG_FILES: [&str; 2] = ["stdout", "stderr"];
/// How long one web request for a log may take.
const WEB_TIMEOUT: Duration = Duration::from_secs(20);

/// Where one container's logs are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogSource {
    /// Its log folder on this machine.
    Local(PathBuf),
    /// Its NodeManager's web address (`host:port`).
    Web {
        /// The NodeManager's HTTP address.
        node_http_address: String,
    },
}

/// One container's logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerLogs {
    /// The container id.
    pub container: String,
    /// Where they are.
    pub source: LogSource,
}

impl ContainerLogs {
    /// The log files: those in the folder (sorted), or [`LOG_FILES`] on the web.
    pub fn files(&self) -> Vec<String> {
        match &self.source {
            LogSource::Local(dir) => {
                let mut names: Vec<String> = std::fs::read_dir(dir)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .filter(|e| e.path().is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                names
            }
            LogSource::Web { .. } => LOG_FILES.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The last `limit` bytes of log file `file`.
    pub async fn read(&self, file: &str, limit: usize) -> Result<String, ClientError> {
        if file.contains('/') || file == ".." || file.is_empty() {
            return Err(ClientError::Invalid(format!(
                "{file:?} is not a log file name (stdout, stderr)"
            )));
        }
        let failed = |detail: String| ClientError::Logs {
            what: format!("{} ({file})", self.container),
            detail,
        };
        match &self.source {
            LogSource::Local(dir) => read_tail(&dir.join(file), limit).map_err(failed),
            LogSource::Web { node_http_address } => {
                let url = format!(
                    "http://{node_http_address}/ws/v1/node/containerlogs/{}/{file}",
                    self.container
                );
                // The whole file is fetched (bounded) and its tail kept.
                let text = crate::http::get_text(&url, 64 * 1024 * 1024, WEB_TIMEOUT)
                    .await
                    .map_err(failed)?;
                Ok(tail(&text, limit).to_string())
            }
        }
    }
}

/// The end of `text`, at most `limit` bytes, cut on a character boundary.
fn tail(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut start = text.len() - limit;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The last `limit` bytes of a file, as text.
fn read_tail(path: &Path, limit: usize) -> Result<String, String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let len = f
        .metadata()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    let start = len.saturating_sub(limit as u64);
    f.seek(SeekFrom::Start(start))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    f.take(limit as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(if start > 0 {
        // Drop the partial first line.
        text.split_once('\n')
            .map_or(text.clone(), |(_, r)| r.to_string())
    } else {
        text
    })
}

/// The NodeManagers' log folders named by `yarn.nodemanager.log-dirs`, those that exist here.
pub fn local_log_dirs(conf: &Configuration) -> Vec<PathBuf> {
    conf.get_list("yarn.nodemanager.log-dirs")
        .into_iter()
        .map(|d| PathBuf::from(d.strip_prefix("file://").unwrap_or(&d)))
        .filter(|d| d.is_dir())
        .collect()
}

/// Sorts containers by attempt and number (an attempt's AM container first), unparsable ids
/// last.
fn sort_containers(logs: &mut [ContainerLogs]) {
    logs.sort_by_key(|l| match l.container.parse::<ContainerId>() {
        Ok(c) => (
            0,
            c.application_attempt_id.attempt_id,
            c.sequence(),
            String::new(),
        ),
        Err(_) => (1, 0, 0, l.container.clone()),
    });
}

/// Application `id`'s container log folders under `log_dirs` (`<dir>/<application>/<container>`).
pub fn local_containers(log_dirs: &[PathBuf], id: ApplicationId) -> Vec<ContainerLogs> {
    let mut out = Vec::new();
    for dir in log_dirs {
        let app = dir.join(id.to_string());
        for e in std::fs::read_dir(&app).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() && name.starts_with("container_") {
                out.push(ContainerLogs {
                    container: name,
                    source: LogSource::Local(e.path()),
                });
            }
        }
    }
    sort_containers(&mut out);
    out
}

/// Web sources for `(container id, node HTTP address)` pairs, sorted. The address may carry
/// the `http://` a ResourceManager's container report puts in front of it.
pub fn web_containers(containers: Vec<(String, String)>) -> Vec<ContainerLogs> {
    let mut out: Vec<ContainerLogs> = containers
        .into_iter()
        .map(|(c, addr)| (c, addr.trim_start_matches("http://").to_string()))
        .filter(|(_, addr)| !addr.is_empty() && !addr.ends_with(":0"))
        .map(|(container, node_http_address)| ContainerLogs {
            container,
            source: LogSource::Web { node_http_address },
        })
        .collect();
    sort_containers(&mut out);
    out.dedup_by(|a, b| a.container == b.container);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_logs_are_found_sorted_and_read_from_the_end() {
        let root = tempfile::tempdir().unwrap();
        let id = ApplicationId::new(1700, 3);
        let app = root.path().join("nm-0").join(id.to_string());
        for c in [
            "container_1700_0003_01_000002",
            "container_1700_0003_01_000001",
            "container_1700_0003_02_000001",
        ] {
            std::fs::create_dir_all(app.join(c)).unwrap();
            std::fs::write(app.join(c).join("stdout"), format!("out of {c}\n")).unwrap();
        }
        std::fs::write(
            app.join("container_1700_0003_01_000001").join("stderr"),
            "first line\nsecond line\nthird line\n",
        )
        .unwrap();
        let logs = local_containers(&[root.path().join("nm-0")], id);
        let names: Vec<&str> = logs.iter().map(|l| l.container.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "container_1700_0003_01_000001",
                "container_1700_0003_01_000002",
                "container_1700_0003_02_000001"
            ]
        );
        assert_eq!(logs[0].files(), vec!["stderr", "stdout"]);
        assert_eq!(
            logs[1].read("stdout", 1000).await.unwrap(),
            "out of container_1700_0003_01_000002\n"
        );
        assert_eq!(
            logs[0].read("stderr", 16).await.unwrap(),
            "third line\n",
            "the partial line is dropped"
        );
        assert!(logs[0].read("../x", 10).await.is_err());
        assert!(logs[0].read("missing", 10).await.is_err());
        assert!(local_containers(&[root.path().join("nm-0")], ApplicationId::new(1, 1)).is_empty());
    }

    #[test]
    fn web_sources_skip_nodes_without_a_web_port() {
        let logs = web_containers(vec![
            ("container_1_0001_01_000002".into(), "nm1:8042".into()),
            (
                "container_1_0001_01_000001".into(),
                "http://nm2:8042".into(),
            ),
            ("container_1_0001_01_000003".into(), "nm3:0".into()),
        ]);
        assert_eq!(logs.len(), 2);
        assert_eq!(logs[0].container, "container_1_0001_01_000001");
        assert_eq!(
            logs[0].source,
            LogSource::Web {
                node_http_address: "nm2:8042".into()
            }
        );
        assert_eq!(logs[0].files(), vec!["stdout", "stderr"]);
    }

    #[test]
    fn tails_cut_on_characters() {
        assert_eq!(tail("héllo", 4), "llo");
        assert_eq!(tail("abc", 10), "abc");
    }
}
