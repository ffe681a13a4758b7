//! A running harness JVM: its stdout read line by line with timeouts, `FACT key=value` lines
//! collected, stderr kept (bounded) for error messages, and the process killed when dropped.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::compile::harness_classpath;
use crate::error::{HarnessError, Result, within};

/// How much of a process's stderr is kept for error messages.
const STDERR_KEEP: usize = 16 * 1024;
/// Default wait for one line of output.
pub const LINE_TIMEOUT: Duration = Duration::from_secs(60);
/// Default wait for a harness JVM to print `READY` (JVM start + servers; the machine may be busy).
pub const READY_TIMEOUT: Duration = Duration::from_secs(90);

/// What a harness program needs to fit a cluster: Hadoop configuration keys, environment
/// (e.g. `KRB5CCNAME`) and JVM flags (e.g. `-Djava.security.krb5.conf`).
#[derive(Debug, Clone, Default)]
pub struct JavaSetup {
    /// Hadoop configuration keys (`hadoop.rpc.protection`, `hadoop.security.authentication`).
    pub hadoop_conf: Vec<(String, String)>,
    /// Environment variables.
    pub env: Vec<(String, String)>,
    /// JVM flags.
    pub jvm_flags: Vec<String>,
}

impl JavaSetup {
    /// A setup with `hadoop.rpc.protection = protection`.
    pub fn protection(protection: &str) -> JavaSetup {
        JavaSetup {
            hadoop_conf: vec![("hadoop.rpc.protection".into(), protection.into())],
            ..JavaSetup::default()
        }
    }
}

/// How to start a harness program.
#[derive(Debug, Clone)]
pub struct JavaCommand {
    /// Fully qualified main class, e.g. `spindle.interop.JavaYarnServers`.
    pub main_class: String,
    /// Program arguments.
    pub args: Vec<OsString>,
    /// Extra environment variables.
    pub env: Vec<(OsString, OsString)>,
    /// Hadoop configuration overrides (`key`, `value`), handed to the program as
    /// `SPINDLE_HADOOP_CONF` and applied by the harness's `Common.conf()`.
    pub hadoop_conf: Vec<(String, String)>,
    /// JVM flags placed before the class name.
    pub jvm_flags: Vec<String>,
    /// Working directory (defaults to the test's).
    pub cwd: Option<PathBuf>,
    /// Classpath entries after the harness's (e.g. a `HADOOP_CONF_DIR`, which Hadoop's tools
    /// read their `*-site.xml` from).
    pub extra_classpath: Vec<PathBuf>,
}

impl JavaCommand {
    /// A command for `main_class` with quick-start JVM flags (small heap, serial GC).
    pub fn new(main_class: &str) -> Self {
        JavaCommand {
            main_class: main_class.to_string(),
            args: Vec::new(),
            env: Vec::new(),
            hadoop_conf: Vec::new(),
            jvm_flags: vec![
                "-Xmx384m".into(),
                "-XX:+UseSerialGC".into(),
                "-Djava.net.preferIPv4Stack=true".into(),
            ],
            cwd: None,
            extra_classpath: Vec::new(),
        }
    }

    /// The client half of a harness application (`ShellApp`, `MiniClusterApp`): `main_class`
    /// in mode `mode` (`submit`, `client`) for the cluster whose configuration folder is
    /// `conf_dir`, handing the AM it submits the harness's classpath.
    pub async fn app_client(main_class: &str, mode: &str, conf_dir: &Path) -> Result<Self> {
        Ok(JavaCommand::new(main_class)
            .arg(mode)
            .arg("--conf-dir")
            .arg(conf_dir)
            .arg("--classpath")
            .arg(harness_classpath().await?))
    }

    /// Appends a classpath entry after the harness's.
    pub fn classpath(mut self, entry: impl Into<PathBuf>) -> Self {
        self.extra_classpath.push(entry.into());
        self
    }

    /// Appends one argument.
    pub fn arg(mut self, a: impl Into<OsString>) -> Self {
        self.args.push(a.into());
        self
    }

    /// Sets one environment variable.
    pub fn env(mut self, k: impl Into<OsString>, v: impl Into<OsString>) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }

    /// Sets Hadoop configuration keys in the program's configuration (e.g.
    /// `hadoop.rpc.protection`).
    pub fn hadoop_conf<K: ToString, V: ToString>(mut self, pairs: &[(K, V)]) -> Self {
        self.hadoop_conf
            .extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        self
    }

    /// Applies a [`JavaSetup`].
    pub fn setup(mut self, setup: &JavaSetup) -> Self {
        self = self.hadoop_conf(&setup.hadoop_conf);
        for (k, v) in &setup.env {
            self = self.env(k, v);
        }
        self.jvm_flags.extend(setup.jvm_flags.iter().cloned());
        self
    }

    /// Starts the program (compiling the harness first if needed).
    pub async fn spawn(self) -> Result<JavaProcess> {
        let mut cp = harness_classpath().await?;
        for entry in &self.extra_classpath {
            cp.push(':');
            cp.push_str(&entry.to_string_lossy());
        }
        let mut cmd = Command::new("java");
        cmd.args(&self.jvm_flags)
            .arg("-cp")
            .arg(cp)
            .arg(&self.main_class)
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        if let Some(d) = &self.cwd {
            cmd.current_dir(d);
        }
        if !self.hadoop_conf.is_empty() {
            let lines: Vec<String> = self
                .hadoop_conf
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            cmd.env("SPINDLE_HADOOP_CONF", lines.join("\n"));
        }
        let mut child = cmd.spawn().map_err(|e| HarnessError::Spawn {
            program: format!("java {}", self.main_class),
            source: e,
        })?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| HarnessError::Protocol("no stdout pipe".into()))?;
        let stdin = child.stdin.take();
        let stderr_buf = Arc::new(Mutex::new(Vec::<u8>::new()));
        if let Some(mut err) = child.stderr.take() {
            let buf = Arc::clone(&stderr_buf);
            tokio::spawn(async move {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = err.read(&mut chunk).await {
                    if n == 0 {
                        break;
                    }
                    let mut b = buf.lock().unwrap_or_else(|p| p.into_inner());
                    b.extend_from_slice(&chunk[..n]);
                    if b.len() > 2 * STDERR_KEEP {
                        let cut = b.len() - STDERR_KEEP;
                        b.drain(..cut);
                    }
                }
            });
        }
        Ok(JavaProcess {
            name: self.main_class,
            child,
            stdin,
            stdout: BufReader::new(stdout).lines(),
            stderr: stderr_buf,
            facts: BTreeMap::new(),
            output: Vec::new(),
        })
    }
}

/// A running harness program. Dropping it kills the process.
pub struct JavaProcess {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    facts: BTreeMap<String, String>,
    output: Vec<String>,
}

impl JavaProcess {
    /// The last part of the process's stderr.
    pub fn stderr_tail(&self) -> String {
        let b = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        let start = b.len().saturating_sub(STDERR_KEEP);
        String::from_utf8_lossy(&b[start..]).into_owned()
    }

    /// Every stdout line read so far.
    pub fn output(&self) -> &[String] {
        &self.output
    }

    async fn status_text(&mut self) -> String {
        match tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await {
            Ok(Ok(s)) => s.to_string(),
            Ok(Err(e)) => format!("wait failed: {e}"),
            Err(_) => "still running".into(),
        }
    }

    /// The next stdout line, within `timeout`. `FACT k=v` lines are also recorded as facts.
    pub async fn next_line(&mut self, timeout: Duration) -> Result<String> {
        let what = format!("a line from {}", self.name);
        match tokio::time::timeout(timeout, self.stdout.next_line()).await {
            Err(_) => Err(HarnessError::Timeout {
                what,
                seconds: timeout.as_secs_f64(),
                stderr: self.stderr_tail(),
            }),
            Ok(Err(e)) => Err(HarnessError::Io(e)),
            Ok(Ok(None)) => {
                let status = self.status_text().await;
                // give the stderr reader a moment to drain
                tokio::time::sleep(Duration::from_millis(100)).await;
                Err(HarnessError::Exited {
                    what,
                    status,
                    stderr: self.stderr_tail(),
                })
            }
            Ok(Ok(Some(line))) => {
                if let Some((k, v)) = line.strip_prefix("FACT ").and_then(|f| f.split_once('=')) {
                    self.facts.insert(k.to_string(), v.to_string());
                }
                self.output.push(line.clone());
                Ok(line)
            }
        }
    }

    /// Reads lines until one starts with `prefix` (returned); the whole wait is bounded by `timeout`.
    pub async fn wait_for(&mut self, prefix: &str, timeout: Duration) -> Result<String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let line = match self.next_line(left).await {
                Err(HarnessError::Timeout { stderr, .. }) => {
                    return Err(HarnessError::Timeout {
                        what: format!("`{prefix}` from {}", self.name),
                        seconds: timeout.as_secs_f64(),
                        stderr,
                    });
                }
                Err(HarnessError::Exited { status, stderr, .. }) => {
                    return Err(HarnessError::Exited {
                        what: format!("`{prefix}` from {}", self.name),
                        status,
                        stderr,
                    });
                }
                other => other?,
            };
            if line.starts_with(prefix) {
                return Ok(line);
            }
        }
    }

    /// A fact the process printed as `FACT key=value`.
    pub fn fact(&self, key: &str) -> Result<&str> {
        self.facts
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| HarnessError::Protocol(format!("{} printed no FACT {key}", self.name)))
    }

    /// A hex-encoded fact, decoded.
    pub fn fact_hex(&self, key: &str) -> Result<Vec<u8>> {
        hex::decode(self.fact(key)?)
            .map_err(|e| HarnessError::Protocol(format!("FACT {key} is not hex: {e}")))
    }

    /// Writes one line to the process's stdin.
    pub async fn send_line(&mut self, line: &str) -> Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| HarnessError::Protocol(format!("stdin of {} is closed", self.name)))?;
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
        let name = &self.name;
        within(LINE_TIMEOUT, || format!("writing to {name}"), async {
            stdin.write_all(&buf).await?;
            stdin.flush().await
        })
        .await
    }

    /// Sends a request line and returns the next output line.
    pub async fn request(&mut self, line: &str, timeout: Duration) -> Result<String> {
        self.send_line(line).await?;
        self.next_line(timeout).await
    }

    /// Closes stdin, reads the remaining stdout and waits for the exit status, all within `timeout`.
    pub async fn finish(&mut self, timeout: Duration) -> Result<ExitStatus> {
        self.stdin = None;
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_line(left).await {
                Ok(_) => continue,
                Err(HarnessError::Exited { .. }) => break,
                Err(e) => return Err(e),
            }
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, self.child.wait()).await {
            Ok(status) => Ok(status?),
            Err(_) => Err(HarnessError::Timeout {
                what: format!("{} to exit", self.name),
                seconds: timeout.as_secs_f64(),
                stderr: self.stderr_tail(),
            }),
        }
    }
}

impl Drop for JavaProcess {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}
