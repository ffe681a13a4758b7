//! Users' own tools against the embedded cluster, as tests drive them:
//!
//! * [`YarnCli`]: Hadoop's `yarn` command-line classes (`ApplicationCLI`, `NodeCLI`,
//!   `ClusterCLI`, `QueueCLI`, `LogsCLI`) run in one JVM (`YarnCliBatch`), one command at a time;
//! * [`ShellApp`]: a long-running application written only against Hadoop's client library
//!   (`ShellApp.java`): its AM serves its own page, runs a few containers, and unregisters when
//!   told to;
//! * [`python`]: a Python with the `yarn-api-client` package (`scripts/yarn-api-client.sh`
//!   installs it into a virtual environment under `~/.cache/spindle`);
//! * [`render_dom`]: a page as headless Chromium (Debian's `chromium`) renders it;
//! * [`http_get`]: a plain HTTP GET.
//!
//! A missing tool is an error saying how to install it, never a skipped test.

use std::path::{Path, PathBuf};
use std::time::Duration;

use spindle_minicluster::MiniCluster;
use spindle_protocol::ids::ApplicationId;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::cache::folder_from;
use crate::error::{HarnessError, Result, within};
use crate::process::{JavaCommand, JavaProcess};

/// How long one CLI command may take.
pub const CLI_TIMEOUT: Duration = Duration::from_secs(120);

/// What one CLI command printed.
#[derive(Debug, Clone)]
pub struct CliRun {
    /// Its exit code.
    pub rc: i32,
    /// How long it took (ms).
    pub ms: u64,
    /// Everything it printed.
    pub out: String,
}

/// Hadoop's `yarn` command-line tools in one JVM.
pub struct YarnCli {
    process: JavaProcess,
}

impl YarnCli {
    /// Starts the JVM for the cluster whose configuration folder is `conf_dir`.
    pub async fn start(conf_dir: &Path) -> Result<Self> {
        let process = JavaCommand::new("spindle.interop.YarnCliBatch")
            .arg(conf_dir)
            .spawn()
            .await?;
        Ok(YarnCli { process })
    }

    /// Runs `tool` (`ApplicationCLI`, `NodeCLI`, `ClusterCLI`, `QueueCLI`, `LogsCLI`) with
    /// `args`.
    pub async fn run(&mut self, tool: &str, args: &[&str]) -> Result<CliRun> {
        let mut line = tool.to_string();
        for a in args {
            line.push('\t');
            line.push_str(a);
        }
        self.process.send_line(&line).await?;
        self.process.wait_for("BEGIN", CLI_TIMEOUT).await?;
        let mut out = String::new();
        loop {
            let l = self.process.next_line(CLI_TIMEOUT).await?;
            if let Some(rest) = l.strip_prefix("END ") {
                let mut parts = rest.split(' ');
                let rc = parts
                    .next()
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(i32::MIN);
                let ms = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
                return Ok(CliRun { rc, ms, out });
            }
            out.push_str(l.strip_prefix("OUT ").unwrap_or(&l));
            out.push('\n');
        }
    }
}

/// A running `ShellApp`: its id, and the file that tells its AM to finish.
pub struct ShellApp {
    /// The application.
    pub id: ApplicationId,
    stop_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl ShellApp {
    /// Submits it to `cluster` with `containers` containers each running the shell line
    /// `command` (their environment has `MY_DERIVED={{MY_BASE}}/sub` listed before
    /// `MY_BASE=/base`).
    pub async fn submit(cluster: &MiniCluster, command: &str, containers: usize) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let command_file = dir.path().join("command");
        std::fs::write(&command_file, command)?;
        let stop_file = dir.path().join("stop");
        let mut p =
            JavaCommand::app_client("spindle.interop.ShellApp", "submit", cluster.conf_dir())
                .await?
                .arg("--command-file")
                .arg(&command_file)
                .arg("--stop-file")
                .arg(&stop_file)
                .arg("--containers")
                .arg(containers.to_string())
                .spawn()
                .await?;
        p.wait_for("FACT app_id=", Duration::from_secs(90)).await?;
        let id = p
            .fact("app_id")?
            .parse()
            .map_err(|e| HarnessError::Protocol(format!("bad application id: {e}")))?;
        let _ = p.finish(Duration::from_secs(30)).await;
        Ok(ShellApp {
            id,
            stop_file,
            _dir: dir,
        })
    }

    /// Tells the AM to unregister (once its containers are done).
    pub fn stop(&self) -> Result<()> {
        std::fs::write(&self.stop_file, b"stop")?;
        Ok(())
    }
}

/// The report of application `id`.
pub async fn app_report(
    client: &spindle_protocol::yarn::client::ApplicationClient,
    id: ApplicationId,
) -> Result<spindle_protocol::proto::yarn::ApplicationReportProto> {
    client
        .get_application_report(
            &spindle_protocol::proto::yarn_service::GetApplicationReportRequestProto {
                application_id: Some(id.to_proto()),
            },
        )
        .await?
        .application_report
        .ok_or_else(|| HarnessError::Protocol(format!("no report of {id}")))
}

/// The Python interpreter of a virtual environment with `yarn-api-client` installed:
/// `$SPINDLE_YARN_API_CLIENT_VENV/bin/python` when set, else the one `scripts/yarn-api-client.sh`
/// installs (once) under `~/.cache/spindle/python/`.
pub async fn python() -> Result<PathBuf> {
    let venv = folder_from("SPINDLE_YARN_API_CLIENT_VENV", "yarn-api-client.sh", |reason| {
        HarnessError::Tool {
            tool: "yarn-api-client (PyPI)".into(),
            reason,
            install: "run scripts/yarn-api-client.sh (needs python3 with venv and access to PyPI), or set SPINDLE_YARN_API_CLIENT_VENV to a virtual environment where `pip install yarn-api-client==1.0.3` was run".into(),
        }
    })
    .await?;
    let python = venv.join("bin").join("python");
    if !python.exists() {
        return Err(HarnessError::Tool {
            tool: "yarn-api-client (PyPI)".into(),
            reason: format!("no {}", python.display()),
            install: "run scripts/yarn-api-client.sh".into(),
        });
    }
    Ok(python)
}

/// The DOM of `url` after headless Chromium (Debian's `chromium`) rendered it.
pub async fn render_dom(url: &str) -> Result<String> {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .ok_or_else(|| HarnessError::Tool {
            tool: "chromium".into(),
            reason: "no /usr/bin/chromium".into(),
            install: "apt-get install chromium (.ci/run installs it)".into(),
        })?;
    let profile = tempfile::tempdir()?;
    let run = tokio::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .kill_on_drop(true)
        .output();
    let out = within(
        Duration::from_secs(60),
        || format!("chromium to render {url}"),
        run,
    )
    .await?;
    if !out.status.success() {
        return Err(HarnessError::Protocol(format!(
            "chromium failed on {url} ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `GET url` (plain `http://host:port/path`); the status and the body.
pub async fn http_get(url: &str) -> Result<(u16, String)> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| HarnessError::Protocol(format!("not an http:// URL: {url}")))?;
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let mut s = tokio::net::TcpStream::connect(authority).await?;
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await?;
    let mut out = Vec::new();
    within(
        Duration::from_secs(30),
        || format!("GET {url}"),
        s.read_to_end(&mut out),
    )
    .await?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| HarnessError::Protocol(format!("no HTTP status from {url}")))?;
    Ok((status, body.to_string()))
}
