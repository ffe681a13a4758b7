//! Helpers of the tests that use `spindle` as a person types it: the command run as a process
//! against an embedded cluster (its HADOOP_CONF_DIR), with its own home folder (so staging goes
//! to `$HOME/.spindleStaging` there), and the checks a person would make afterwards.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Upper bound of one `spindle` command.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(180);

/// How a command ended.
#[derive(Debug)]
pub struct Run {
    /// Its exit code (−1 when killed by a signal).
    pub code: i32,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    /// Checks that the command (doing `case`) exited with `code` and said each of `says` on
    /// its standard error.
    pub fn assert_ended(&self, case: &str, code: i32, says: &[&str]) {
        assert_eq!(self.code, code, "{case}: {self}");
        for s in says {
            assert!(self.stderr.contains(s), "{case}: {s:?} missing: {self}");
        }
    }

    /// The application id the command printed on its standard error.
    pub fn application_id(&self) -> String {
        application_id_in(&self.stderr)
            .unwrap_or_else(|| panic!("the application id is printed: {self}"))
    }
}

/// The first application id in `text`.
fn application_id_in(text: &str) -> Option<String> {
    let i = text.find("application_")?;
    Some(
        text[i..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect(),
    )
}

/// A person's environment: a home folder and the cluster's configuration folder (if any).
pub struct User {
    pub home: tempfile::TempDir,
    pub conf_dir: Option<PathBuf>,
}

impl User {
    /// A user of the cluster whose configuration is in `conf_dir`.
    pub fn of(conf_dir: &Path) -> User {
        User {
            home: tempfile::tempdir().expect("home"),
            conf_dir: Some(conf_dir.to_path_buf()),
        }
    }

    /// A user with no cluster configured.
    pub fn without_cluster() -> User {
        User {
            home: tempfile::tempdir().expect("home"),
            conf_dir: None,
        }
    }

    /// `spindle ARGS…` as this user, not yet waited for (output piped).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_spindle"));
        c.args(args)
            .env("HOME", self.home.path())
            .env_remove("YARN_CONF_DIR")
            .env_remove("HADOOP_HOME")
            .env_remove("SPINDLE_LOG")
            .current_dir(self.home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        match &self.conf_dir {
            Some(d) => c.env("HADOOP_CONF_DIR", d),
            None => c.env_remove("HADOOP_CONF_DIR"),
        };
        c
    }

    /// Runs `spindle` with the words of `line` (split at blanks) and then `more` as they are
    /// (an argument with blanks in it, such as a shell command).
    pub async fn spindle(&self, line: &str, more: &[&str]) -> Run {
        self.run(&words(line, more)).await
    }

    /// Runs `spindle submit FLAGS…` of Monte-Carlo pi on two small executors (driven by the
    /// shipped `spindle`) and checks that it succeeded and printed pi.
    pub async fn submits_pi(&self, flags: &str) -> Run {
        let run = self
            .spindle(
                &format!(
                    "submit {flags} --num-executors 2 --executor-memory 128m \
                     -- spindle example pi 4 20000"
                ),
                &[],
            )
            .await;
        assert_eq!(run.code, 0, "{run}");
        assert!(run.stdout.contains("Pi is roughly 3.1"), "{run}");
        run
    }

    /// Starts `spindle` with the words of `line` and `more` (a `submit`), and waits until it
    /// names its application.
    pub async fn submit(&self, line: &str, more: &[&str]) -> Submission {
        Submission::start(self.command(&words(line, more))).await
    }

    /// Runs `spindle ARGS…` to the end.
    pub async fn run(&self, args: &[&str]) -> Run {
        let out = tokio::time::timeout(COMMAND_LIMIT, self.command(args).output())
            .await
            .unwrap_or_else(|_| panic!("spindle {args:?} did not end within {COMMAND_LIMIT:?}"))
            .expect("run spindle");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The staging root, `$HOME/.spindleStaging`.
    pub fn staging_root(&self) -> PathBuf {
        self.home.path().join(".spindleStaging")
    }

    /// Application folders left in the staging root (the program cache aside).
    pub fn staged_applications(&self) -> Vec<String> {
        std::fs::read_dir(self.staging_root())
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("application_"))
            .collect()
    }
}

/// The words of `line` (split at blanks), then `more` as they are.
fn words<'a>(line: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    line.split_whitespace()
        .chain(more.iter().copied())
        .collect()
}

/// A cluster of `nodes` NodeManagers (4 GiB, 8 vcores each) and a user of it.
pub async fn cluster_and_user(nodes: usize) -> (spindle_minicluster::MiniCluster, User) {
    let cluster = crate::common::cluster(nodes).await;
    let user = User::of(cluster.conf_dir());
    (cluster, user)
}

/// A started `spindle submit` whose standard error is read line by line.
pub struct Submission {
    pub child: Child,
    pub id: String,
    stderr_lines: tokio::sync::mpsc::UnboundedReceiver<String>,
    stderr_seen: Vec<String>,
}

impl Submission {
    /// Starts `command` and waits (bounded) until it prints the application's id.
    pub async fn start(mut command: Command) -> Submission {
        let mut child = command.spawn().expect("spawn spindle submit");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        let id = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = rx.recv().await {
                seen.push(line.clone());
                if let Some(id) = application_id_in(&line) {
                    return id;
                }
            }
            panic!("spindle submit ended without naming its application: {seen:?}");
        })
        .await
        .expect("spindle submit names its application within a minute");
        Submission {
            child,
            id,
            stderr_lines: rx,
            stderr_seen: seen,
        }
    }

    /// Polls the application's processes ([`processes_of`]) until `found` returns `Some` for
    /// them (or panics after a minute naming `what`).
    pub async fn processes_until<T>(
        &self,
        what: &str,
        mut found: impl FnMut(Vec<i32>) -> Option<T>,
    ) -> T {
        eventually(Duration::from_secs(60), || found(processes_of(&self.id)))
            .await
            .unwrap_or_else(|| panic!("{} never had {what}", self.id))
    }

    /// Waits (bounded) for the command to end.
    pub async fn finish(mut self) -> Run {
        let mut stdout = self.child.stdout.take().expect("piped stdout");
        let out = tokio::spawn(async move {
            let mut s = String::new();
            tokio::io::AsyncReadExt::read_to_string(&mut stdout, &mut s)
                .await
                .ok();
            s
        });
        let status = tokio::time::timeout(COMMAND_LIMIT, self.child.wait())
            .await
            .expect("spindle submit ends")
            .expect("wait");
        while let Ok(Some(line)) =
            tokio::time::timeout(Duration::from_secs(5), self.stderr_lines.recv()).await
        {
            self.stderr_seen.push(line);
        }
        Run {
            code: status.code().unwrap_or(-1),
            stdout: out.await.unwrap_or_default(),
            stderr: self.stderr_seen.join("\n"),
        }
    }
}

/// The part of an application id that every container id and folder of it contains
/// (`1700000000000_0001`).
pub fn id_part(app_id: &str) -> String {
    app_id.trim_start_matches("application_").to_string()
}

/// Processes (other than this one) whose environment mentions the application: its containers
/// (CONTAINER_ID, the credentials path) and anything they started.
pub fn processes_of(app_id: &str) -> Vec<i32> {
    let part = id_part(app_id);
    let me = std::process::id() as i32;
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| {
                    env.split(|b| *b == 0)
                        .any(|kv| String::from_utf8_lossy(kv).contains(&part))
                })
                .unwrap_or(false)
        })
        .collect()
}

/// A process's command line words.
pub fn cmdline(pid: i32) -> Vec<String> {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| {
            b.split(|c| *c == 0)
                .filter(|w| !w.is_empty())
                .map(|w| String::from_utf8_lossy(w).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A process's environment entry `key`.
pub fn env_of(pid: i32, key: &str) -> Option<String> {
    let env = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
    let prefix = format!("{key}=");
    env.split(|b| *b == 0)
        .map(|kv| String::from_utf8_lossy(kv).into_owned())
        .find_map(|kv| kv.strip_prefix(&prefix).map(str::to_string))
}

/// Polls `f` every 50 ms until it returns `Some`, for at most `limit`.
pub async fn eventually<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
