//! Executors as local processes (tests, demos, one-machine runs): the driver's binary (or any
//! program) started with the executor environment ([`crate::executor::ExecutorConfig::from_env`]).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::auth::AppSecret;
use crate::executor::{ENV_CORES, ENV_DRIVER_URL, ENV_EXECUTOR_ID, ENV_HOST, ENV_TOKEN_FILE};

/// Local executor processes of one driver.
#[derive(Debug)]
pub struct LocalExecutors {
    program: PathBuf,
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    driver_url: String,
    cores: u32,
    credentials: PathBuf,
    children: BTreeMap<String, tokio::process::Child>,
    next_id: u64,
}

impl LocalExecutors {
    /// Executors running `program args…` with `cores` each, for the driver at `driver_url`;
    /// the secret is written to a credentials file in `dir`.
    pub fn new(
        program: impl Into<PathBuf>,
        args: impl IntoIterator<Item = impl Into<OsString>>,
        driver_url: impl Into<String>,
        cores: u32,
        secret: &AppSecret,
        dir: &Path,
    ) -> std::io::Result<Self> {
        let credentials = dir.join("spindle-executor.creds");
        secret
            .write_file(&credentials)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(LocalExecutors {
            program: program.into(),
            args: args.into_iter().map(Into::into).collect(),
            env: Vec::new(),
            driver_url: driver_url.into(),
            cores,
            credentials,
            children: BTreeMap::new(),
            next_id: 1,
        })
    }

    /// Adds an environment variable for every executor started from now on.
    pub fn env(&mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> &mut Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// The credentials file executors read.
    pub fn credentials_file(&self) -> &Path {
        &self.credentials
    }

    /// Starts one executor with the next id; returns its id.
    pub fn spawn(&mut self) -> std::io::Result<String> {
        let id = self.next_id.to_string();
        self.next_id += 1;
        let mut cmd = tokio::process::Command::new(&self.program);
        cmd.args(&self.args)
            .env(ENV_DRIVER_URL, &self.driver_url)
            .env(ENV_EXECUTOR_ID, &id)
            .env(ENV_CORES, self.cores.to_string())
            .env(ENV_HOST, "localhost")
            .env(ENV_TOKEN_FILE, &self.credentials)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let child = cmd.spawn()?;
        self.children.insert(id.clone(), child);
        Ok(id)
    }

    /// The process id of executor `id`, while it runs.
    pub fn pid(&self, id: &str) -> Option<u32> {
        self.children.get(id).and_then(|c| c.id())
    }

    /// Sends `signal` to executor `id`.
    pub fn signal(&self, id: &str, signal: Signal) -> std::io::Result<()> {
        let pid = self
            .pid(id)
            .ok_or_else(|| std::io::Error::other(format!("executor {id} is not running")))?;
        kill(Pid::from_raw(pid as i32), signal).map_err(std::io::Error::from)
    }

    /// Waits up to `timeout` for every executor to exit; kills the ones left. Returns the
    /// exit codes by id (`None`: killed or by a signal).
    pub async fn wait_all(&mut self, timeout: Duration) -> BTreeMap<String, Option<i32>> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut codes = BTreeMap::new();
        for (id, mut child) in std::mem::take(&mut self.children) {
            let status = match tokio::time::timeout_at(deadline, child.wait()).await {
                Ok(Ok(s)) => s.code(),
                _ => {
                    let _ = child.kill().await;
                    None
                }
            };
            codes.insert(id, status);
        }
        codes
    }
}
