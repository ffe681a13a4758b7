//! Helpers shared by the runner tests: a runner in a temporary folder, specs, waiting for exits and
//! for processes to disappear (every wait is bounded).
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use spindle_launcher::{ContainerSpec, LocalRunner, RunnerConfig, RunnerExit};
use tokio::sync::mpsc::UnboundedReceiver;

/// A runner whose folders live in a temporary folder.
pub struct TestRunner {
    pub runner: LocalRunner,
    pub events: Events,
    pub dir: tempfile::TempDir,
}

impl TestRunner {
    pub fn new() -> Self {
        Self::with(|_| {})
    }

    pub fn with(tweak: impl FnOnce(&mut RunnerConfig)) -> Self {
        let dir = tempfile::tempdir().expect("temp folder");
        let mut config = RunnerConfig::new(
            vec![dir.path().join("local")],
            vec![dir.path().join("logs")],
        );
        config.node_host = "node1.test".into();
        config.node_port = 45454;
        config.node_http_port = 8042;
        config.memory_check_interval = Duration::from_millis(100);
        tweak(&mut config);
        let (runner, rx) = LocalRunner::new(config).expect("runner starts");
        TestRunner {
            runner,
            events: Events::new(rx),
            dir,
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `<logs>/<app>/<container>`.
    pub fn log_dir(&self, spec: &ContainerSpec) -> PathBuf {
        self.root()
            .join("logs")
            .join(&spec.app_id)
            .join(&spec.container_id)
    }

    /// Starts `spec` and waits (up to 30 s) for its exit.
    pub async fn run(&mut self, spec: ContainerSpec) -> RunnerExit {
        let id = spec.container_id.clone();
        self.runner.start(spec).expect("start accepted");
        self.events.wait(&id, Duration::from_secs(30)).await
    }
}

/// The exit channel, with exits of other containers kept for later.
pub struct Events {
    rx: UnboundedReceiver<RunnerExit>,
    seen: HashMap<String, RunnerExit>,
}

impl Events {
    pub fn new(rx: UnboundedReceiver<RunnerExit>) -> Self {
        Events {
            rx,
            seen: HashMap::new(),
        }
    }

    pub async fn wait(&mut self, id: &str, timeout: Duration) -> RunnerExit {
        if let Some(e) = self.seen.remove(id) {
            return e;
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let exit = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("container {id} did not finish within {timeout:?}"))
                .expect("event channel open");
            if exit.id == id {
                return exit;
            }
            self.seen.insert(exit.id.clone(), exit);
        }
    }
}

pub fn app(n: u32) -> String {
    format!("application_1700000000000_{n:04}")
}

pub fn cid(app_n: u32, seq: u32) -> String {
    format!("container_1700000000000_{app_n:04}_01_{seq:06}")
}

/// A container of application `app_n` running `command` through bash.
pub fn spec(app_n: u32, seq: u32, command: &str) -> ContainerSpec {
    ContainerSpec {
        container_id: cid(app_n, seq),
        app_id: app(app_n),
        user: "tester".into(),
        commands: vec![command.to_string()],
        ..Default::default()
    }
}

/// Whether a process exists and is not a zombie.
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(text) => {
            let state = text
                .rfind(')')
                .and_then(|i| text[i + 1..].split_whitespace().next())
                .unwrap_or("X");
            state != "Z" && state != "X"
        }
        Err(_) => false,
    }
}

/// Waits until none of `pids` is alive; returns the survivors at the deadline.
pub async fn wait_gone(pids: &[i32], timeout: Duration) -> Vec<i32> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let left: Vec<i32> = pids.iter().copied().filter(|p| alive(*p)).collect();
        if left.is_empty() || tokio::time::Instant::now() >= deadline {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until `path` exists and has at least `lines` lines; returns its text.
pub async fn wait_for_lines(path: &Path, lines: usize, timeout: Duration) -> String {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.lines().count() >= lines
        {
            return text;
        }
        if tokio::time::Instant::now() >= deadline {
            panic!(
                "{} did not get {lines} lines within {timeout:?}",
                path.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The pids listed one per line in `text`.
pub fn pids(text: &str) -> Vec<i32> {
    text.lines().filter_map(|l| l.trim().parse().ok()).collect()
}

/// Modification time of a file in ms (what a submitter puts in the launch context).
pub fn mtime_ms(path: &Path) -> i64 {
    std::fs::metadata(path)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
