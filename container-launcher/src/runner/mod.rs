//! The local process runner: runs container launch contexts on this machine the way a YARN
//! NodeManager with the default container executor does (`docs/container-layout.md` describes
//! what a container finds: folders, files, environment, launch script, exit statuses).
//!
//! For each container the runner creates the work folder (`usercache/<user>/appcache/<appId>/<containerId>`
//! with a `tmp/` inside), the log folder (`<log-dir>/<appId>/<containerId>`), localizes the local
//! resources into the node's caches and links them in, writes `container_tokens` and
//! `launch_container.sh`, and starts `bash launch_container.sh` in a new session with stdout/stderr
//! going to `stdout`/`stderr` in the log folder. It reports one [`RunnerExit`] per accepted
//! container on the event channel, with YARN's exit statuses.
//!
//! Stopping a container sends SIGTERM to its process group (and any other process of its session or
//! tree), then SIGKILL after the grace period. A container whose process tree's resident memory goes
//! over its limit is killed the same way and reported as −104. When the leader exits by itself,
//! anything left in its group is killed. Nothing outlives the runner: [`LocalRunner::shutdown`] stops
//! every container, dropping the runner kills them at once, and if the runner process is killed
//! outright, the kernel kills each container leader (`PR_SET_PDEATHSIG`) and the orphan watchdog (see
//! [`watchdog`]) kills the rest of every container's process group. A process that starts its own
//! session *and* is orphaned before the runner dies is beyond reach without cgroups, as with YARN's
//! default executor.

pub mod archive;
pub mod config;
pub mod error;
pub mod exit;
pub mod layout;
pub mod localize;
pub mod process;
pub mod procfs;
pub mod script;
pub mod watchdog;

mod memory;

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use nix::sys::signal::Signal;
use spindle_base::recent::RecentSet;
use spindle_base::yarn_env;
use spindle_protocol::yarn::records::exit_status;
use tokio::sync::{Notify, mpsc, watch};

pub use config::{DEFAULT_ENV_WHITELIST, RunnerConfig};
pub use error::{ConfigError, LaunchError, LocalizeError, StartError};
pub use exit::{ContainerState, RunnerExit, StopReason};

use crate::spec::{self, ContainerSpec};

use layout::Layout;
use localize::ResourceCache;
use process::{SpawnRequest, Spawner};
use script::{NodeVars, ScriptInput};
use watchdog::Watchdog;

/// How much of a failed container's stderr goes into its diagnostics.
const STDERR_TAIL_BYTES: u64 = 4096;
/// How long to wait for a SIGKILLed leader to be reaped before reporting anyway.
const REAP_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a container is being killed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KillCause {
    Stop(StopReason),
    Memory(String),
    Shutdown,
}

#[derive(Debug)]
struct Entry {
    app_id: String,
    state: ContainerState,
    kill: watch::Sender<Option<KillCause>>,
    memory_limit_bytes: u64,
    /// Processes seen at the previous memory check (their usage counts as "aged").
    seen_pids: HashSet<i32>,
}

#[derive(Debug)]
struct Table {
    entries: HashMap<String, Entry>,
    /// The finished containers still remembered, oldest first; the one it forgets to make room
    /// is dropped from `entries` too.
    completed: RecentSet<String>,
}

#[derive(Debug)]
struct Inner {
    config: RunnerConfig,
    layout: Layout,
    cache: ResourceCache,
    table: Mutex<Table>,
    events: mpsc::UnboundedSender<RunnerExit>,
    spawner: Spawner,
    watchdog: Watchdog,
    runtime: tokio::runtime::Handle,
    shutting_down: AtomicBool,
    active: AtomicUsize,
    idle: Notify,
    /// Bounds the folder work (prepare, cleanup) running at once on blocking threads. Few threads
    /// keep the runner small, and a small process forks much faster.
    disk: tokio::sync::Semaphore,
}

/// Folder work (preparing or cleaning up containers) allowed at once.
const PARALLEL_DISK_WORK: usize = 4;

/// Runs containers as local processes. Create it inside a tokio runtime; see the module docs.
#[derive(Debug)]
pub struct LocalRunner {
    inner: Arc<Inner>,
}

/// The outcome of [`LocalRunner::stop`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopOutcome {
    /// The container is being stopped; its exit follows on the event channel.
    Stopping,
    /// The container had already finished (or a stop was already under way).
    AlreadyDone,
    /// The runner does not know the container.
    Unknown,
}

struct Prepared {
    work_dir: PathBuf,
    stderr_path: PathBuf,
    request: SpawnRequest,
}

impl LocalRunner {
    /// Starts a runner (its spawner thread, orphan watchdog and memory monitor). Returns the runner and
    /// the channel on which every accepted container's [`RunnerExit`] arrives.
    pub fn new(
        config: RunnerConfig,
    ) -> Result<(LocalRunner, mpsc::UnboundedReceiver<RunnerExit>), ConfigError> {
        config.validate()?;
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| ConfigError::NoRuntime)?;
        let watchdog = Watchdog::start(&config.bash, config.kill_grace).map_err(|error| {
            ConfigError::Watchdog {
                bash: config.bash.clone(),
                error,
            }
        })?;
        let spawner = match Spawner::start(runtime.clone()) {
            Ok(s) => s,
            Err(e) => {
                watchdog.close();
                return Err(ConfigError::Thread(e));
            }
        };
        let (events, rx) = mpsc::unbounded_channel();
        let completed = RecentSet::new(config.completed_retention);
        let inner = Arc::new(Inner {
            layout: Layout::new(config.local_dirs.clone(), config.log_dirs.clone()),
            cache: ResourceCache::new(config.max_unpacked_bytes),
            config,
            table: Mutex::new(Table {
                entries: HashMap::new(),
                completed,
            }),
            events,
            spawner,
            watchdog,
            runtime: runtime.clone(),
            shutting_down: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            idle: Notify::new(),
            disk: tokio::sync::Semaphore::new(PARALLEL_DISK_WORK),
        });
        if !inner.config.memory_check_interval.is_zero() {
            runtime.spawn(memory::monitor(Arc::downgrade(&inner)));
        }
        Ok((LocalRunner { inner }, rx))
    }

    /// The runner's configuration.
    pub fn config(&self) -> &RunnerConfig {
        &self.inner.config
    }

    /// Accepts a container and starts preparing and running it in the background. Problems with the
    /// spec, its resources or the node's folders do not fail this call: the container then completes
    /// with exit status −1000 and diagnostics saying what went wrong. Refused only when the id is
    /// already known or the runner is shut down.
    pub fn start(&self, spec: ContainerSpec) -> Result<(), StartError> {
        let inner = &self.inner;
        let (kill_tx, kill_rx) = watch::channel(None);
        {
            let mut table = inner.lock_table();
            if inner.shutting_down.load(Ordering::SeqCst) {
                return Err(StartError::ShutDown);
            }
            if table.entries.contains_key(&spec.container_id) {
                return Err(StartError::Duplicate(spec.container_id));
            }
            table.entries.insert(
                spec.container_id.clone(),
                Entry {
                    app_id: spec.app_id.clone(),
                    state: ContainerState::Localizing,
                    kill: kill_tx,
                    memory_limit_bytes: spec.memory_limit_mb.saturating_mul(1 << 20),
                    seen_pids: HashSet::new(),
                },
            );
            inner.active.fetch_add(1, Ordering::SeqCst);
        }
        let task_inner = inner.clone();
        inner
            .runtime
            .spawn(run_container(task_inner, spec, kill_rx));
        Ok(())
    }

    /// Asks for a container to be stopped for `reason` (SIGTERM, then SIGKILL after the grace period).
    /// Its exit is reported with the reason's status (e.g. −105) instead of the process's own code.
    pub fn stop(&self, id: &str, reason: StopReason) -> StopOutcome {
        self.inner.request_kill(id, KillCause::Stop(reason))
    }

    /// Where a container is, or `None` if the runner does not know it (never started, or forgotten
    /// after `completed_retention` newer containers finished or its application was finished).
    pub fn status(&self, id: &str) -> Option<ContainerState> {
        self.inner
            .lock_table()
            .entries
            .get(id)
            .map(|e| e.state.clone())
    }

    /// Every known container and its state.
    pub fn containers(&self) -> Vec<(String, ContainerState)> {
        self.inner
            .lock_table()
            .entries
            .iter()
            .map(|(id, e)| (id.clone(), e.state.clone()))
            .collect()
    }

    /// How many containers are being prepared, running or being killed.
    pub fn active(&self) -> usize {
        self.inner.active.load(Ordering::SeqCst)
    }

    /// How many localized copies the resource cache holds.
    pub fn cached_resources(&self) -> usize {
        self.inner.cache.len()
    }

    /// Ends an application on this node: stops its remaining containers (−107), waits for them (up to
    /// `timeout`), then deletes its folders under every local folder and forgets its cached resources
    /// and finished containers. Log folders are kept. Returns `false` if containers were still
    /// running when the timeout expired (their folders are then left in place).
    pub async fn finish_application(&self, app_id: &str, timeout: Duration) -> bool {
        let inner = &self.inner;
        let ids: Vec<String> = inner
            .lock_table()
            .entries
            .iter()
            .filter(|(_, e)| e.app_id == app_id)
            .map(|(id, _)| id.clone())
            .collect();
        for id in &ids {
            inner.request_kill(id, KillCause::Stop(StopReason::AfterAppCompletion));
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = inner.idle.notified();
            let running = {
                let table = inner.lock_table();
                ids.iter().any(|id| {
                    table
                        .entries
                        .get(id)
                        .is_some_and(|e| !matches!(e.state, ContainerState::Complete(_)))
                })
            };
            if !running {
                break;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return false;
            }
        }
        {
            let mut table = inner.lock_table();
            let mut gone = Vec::new();
            table.entries.retain(|id, e| {
                let keep = e.app_id != app_id;
                if !keep {
                    gone.push(id.clone());
                }
                keep
            });
            for id in &gone {
                table.completed.remove(id);
            }
        }
        let mut users = HashSet::new();
        for dir in &inner.config.local_dirs {
            if let Ok(read) = std::fs::read_dir(dir.join("usercache")) {
                for user in read.flatten() {
                    users.insert(user.file_name());
                }
            }
        }
        let mut app_dirs = Vec::new();
        for user in users {
            let user = user.to_string_lossy().into_owned();
            app_dirs.extend(inner.layout.app_dirs(&user, app_id));
        }
        for dir in &app_dirs {
            inner.cache.forget_under(dir);
        }
        let _ = tokio::task::spawn_blocking(move || {
            for dir in app_dirs {
                let _ = std::fs::remove_dir_all(dir);
            }
        })
        .await;
        true
    }

    /// Stops every container (reported as −100, "the node is shutting down"), waits for them up to
    /// `timeout`, and stops the runner's helpers. New containers are refused from the first moment.
    /// Returns `false` if some container had not finished within `timeout` (it is then killed at once).
    pub async fn shutdown(&self, timeout: Duration) -> bool {
        let inner = &self.inner;
        inner.shutting_down.store(true, Ordering::SeqCst);
        let ids: Vec<String> = inner.lock_table().entries.keys().cloned().collect();
        for id in &ids {
            inner.request_kill(id, KillCause::Shutdown);
        }
        let deadline = tokio::time::Instant::now() + timeout;
        let mut clean = true;
        loop {
            let notified = inner.idle.notified();
            if inner.active.load(Ordering::SeqCst) == 0 {
                break;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                clean = false;
                inner.kill_everything_now();
                break;
            }
        }
        inner.spawner.close(false);
        inner.watchdog.close();
        clean
    }

    /// The orphan watchdog's process id (for tests and diagnostics).
    pub fn watchdog_pid(&self) -> Option<u32> {
        self.inner.watchdog.pid()
    }
}

impl Drop for LocalRunner {
    /// Kills every container's processes at once (SIGKILL), then stops the spawner thread and the
    /// watchdog. Exits of containers killed this way are still sent if the runtime keeps running.
    fn drop(&mut self) {
        self.inner.shutting_down.store(true, Ordering::SeqCst);
        self.inner.kill_everything_now();
        self.inner.spawner.close(false);
        self.inner.watchdog.close();
    }
}

impl Inner {
    fn lock_table(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn request_kill(&self, id: &str, cause: KillCause) -> StopOutcome {
        let table = self.lock_table();
        let Some(entry) = table.entries.get(id) else {
            return StopOutcome::Unknown;
        };
        if matches!(entry.state, ContainerState::Complete(_)) {
            return StopOutcome::AlreadyDone;
        }
        let changed = entry.kill.send_if_modified(|c| {
            if c.is_none() {
                *c = Some(cause);
                true
            } else {
                false
            }
        });
        if changed {
            StopOutcome::Stopping
        } else {
            StopOutcome::AlreadyDone
        }
    }

    fn kill_everything_now(&self) {
        let leaders: Vec<i32> = self
            .lock_table()
            .entries
            .values()
            .filter_map(|e| match e.state {
                ContainerState::Running { pid } | ContainerState::Killing { pid } => Some(pid),
                _ => None,
            })
            .collect();
        for pid in leaders {
            process::signal_container(pid, Signal::SIGKILL, true, &[]);
        }
    }

    fn set_state(&self, id: &str, state: ContainerState) {
        if let Some(entry) = self.lock_table().entries.get_mut(id) {
            entry.state = state;
        }
    }

    fn finish(&self, exit: RunnerExit) {
        {
            let mut table = self.lock_table();
            if let Some(entry) = table.entries.get_mut(&exit.id) {
                entry.state = ContainerState::Complete(exit.clone());
            }
            if let Some(forgotten) = table.completed.insert(exit.id.clone()) {
                table.entries.remove(&forgotten);
            }
        }
        // Counted as finished before the event goes out, so a receiver sees a consistent `active()`.
        self.active.fetch_sub(1, Ordering::SeqCst);
        self.idle.notify_waiters();
        let _ = self.events.send(exit);
    }
}

async fn run_container(
    inner: Arc<Inner>,
    spec: ContainerSpec,
    mut kill_rx: watch::Receiver<Option<KillCause>>,
) {
    let id = spec.container_id.clone();
    let app_id = spec.app_id.clone();
    let exit = |exit_status: i32, diagnostics: String| RunnerExit {
        id: id.clone(),
        app_id: app_id.clone(),
        exit_status,
        diagnostics,
    };
    let prep_inner = inner.clone();
    let prep_spec = spec.clone();
    let prepared = disk_work(&inner, move || prepare(&prep_inner, &prep_spec))
        .await
        .unwrap_or_else(|| {
            Err(LaunchError::Spawn(std::io::Error::other(
                "the preparing thread failed",
            )))
        });
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            cleanup_work_dir(&inner, &spec).await;
            inner.finish(exit(exit_status::INVALID, e.to_string()));
            return;
        }
    };
    let Prepared {
        work_dir,
        stderr_path,
        request,
    } = prepared;
    // A stop that arrived while the container was being prepared wins: it never runs.
    let early = kill_rx.borrow().clone();
    if let Some(cause) = early {
        let (status, diagnostics) = killed_status(&cause, None);
        remove_dir_unless_kept(&inner, work_dir).await;
        inner.finish(exit(status, diagnostics));
        return;
    }
    let mut child = match inner.spawner.spawn(request).await {
        Ok(child) => child,
        Err(e) => {
            remove_dir_unless_kept(&inner, work_dir).await;
            inner.finish(exit(
                exit_status::INVALID,
                LaunchError::Spawn(e).to_string(),
            ));
            return;
        }
    };
    let Some(pid) = child.id().map(|p| p as i32) else {
        remove_dir_unless_kept(&inner, work_dir).await;
        inner.finish(exit(
            exit_status::INVALID,
            LaunchError::Spawn(std::io::Error::other("the process vanished at start")).to_string(),
        ));
        return;
    };
    inner.watchdog.watch(pid);
    inner.set_state(&id, ContainerState::Running { pid });

    let mut cause: Option<KillCause> = None;
    let mut watching = true;
    let status = loop {
        tokio::select! {
            status = child.wait() => break status,
            changed = kill_rx.changed(), if watching => {
                if changed.is_err() {
                    watching = false;
                    continue;
                }
                let requested = kill_rx.borrow_and_update().clone();
                if let Some(c) = requested {
                    cause = Some(c);
                    inner.set_state(&id, ContainerState::Killing { pid });
                    break terminate(&mut child, pid, inner.config.kill_grace).await;
                }
            }
        }
    };
    // Whatever is left of the group after the leader exited goes too. (The group id cannot have been
    // reused while any member lives; if none does, the signal finds nobody.)
    process::signal_container(pid, Signal::SIGKILL, cause.is_some(), &[]);
    inner.watchdog.unwatch(pid);

    let code = match &status {
        Ok(s) => exit::process_exit_status(*s),
        Err(_) => exit_status::INVALID,
    };
    let (exit_status, diagnostics) = match &cause {
        Some(c) => killed_status(c, Some(code)),
        None => match status {
            Err(e) => (
                exit_status::INVALID,
                format!("lost track of the container process: {e}"),
            ),
            Ok(_) if code == 0 => (0, String::new()),
            Ok(_) => (code, failure_diagnostics(code, &stderr_path).await),
        },
    };
    remove_dir_unless_kept(&inner, work_dir).await;
    inner.finish(exit(exit_status, diagnostics));
}

/// SIGTERM to the container, wait until everything is gone or the grace period ends, SIGKILL, reap.
async fn terminate(
    child: &mut tokio::process::Child,
    leader: i32,
    grace: Duration,
) -> std::io::Result<std::process::ExitStatus> {
    let escaped = Arc::new(process::signal_container(
        leader,
        Signal::SIGTERM,
        true,
        &[],
    ));
    let deadline = tokio::time::Instant::now() + grace;
    let mut status = None;
    loop {
        if status.is_none() {
            status = child.try_wait()?;
        }
        let known = escaped.clone();
        let alive = tokio::task::spawn_blocking(move || process::container_alive(leader, &known))
            .await
            .unwrap_or(true);
        if (status.is_some() && !alive) || tokio::time::Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    process::signal_container(leader, Signal::SIGKILL, true, &escaped);
    match status {
        Some(s) => Ok(s),
        None => match tokio::time::timeout(REAP_TIMEOUT, child.wait()).await {
            Ok(r) => r,
            Err(_) => Err(std::io::Error::other(
                "the container process did not die within 10 s of SIGKILL",
            )),
        },
    }
}

fn killed_status(cause: &KillCause, code: Option<i32>) -> (i32, String) {
    let tail = match code {
        Some(code) => format!("\nContainer killed on request. Exit code is {code}"),
        None => "\nContainer stopped before it was launched.".to_string(),
    };
    match cause {
        KillCause::Stop(reason) => (
            reason.exit_status(),
            format!("{}{tail}", reason.diagnostics()),
        ),
        KillCause::Memory(diag) => (exit_status::KILLED_EXCEEDED_PMEM, format!("{diag}{tail}")),
        KillCause::Shutdown => (
            exit_status::ABORTED,
            format!("Container killed because the node is shutting down.{tail}"),
        ),
    }
}

async fn failure_diagnostics(code: i32, stderr_path: &Path) -> String {
    let path = stderr_path.to_path_buf();
    let tail = tokio::task::spawn_blocking(move || read_tail(&path, STDERR_TAIL_BYTES))
        .await
        .unwrap_or_default();
    let hint = exit::explain_exit_code(code)
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    format!(
        "Exception from container-launch.\nExit code: {code}{hint}\n\
         Container exited with a non-zero exit code {code}. Last {STDERR_TAIL_BYTES} bytes of stderr :\n{tail}"
    )
}

fn read_tail(path: &Path, max: u64) -> String {
    let Ok(mut file) = File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(max)));
    let mut buf = Vec::new();
    let _ = file.take(max).read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

async fn cleanup_work_dir(inner: &Arc<Inner>, spec: &ContainerSpec) {
    if spec::check_path_name("", &spec.container_id).is_err()
        || spec::check_path_name("", &spec.app_id).is_err()
        || spec::check_path_name("", &spec.user).is_err()
    {
        return;
    }
    let dir = inner
        .layout
        .work_dir(&spec.user, &spec.app_id, &spec.container_id);
    remove_dir_unless_kept(inner, dir).await;
}

async fn remove_dir_unless_kept(inner: &Arc<Inner>, dir: PathBuf) {
    if inner.config.keep_container_dirs {
        return;
    }
    let _ = disk_work(inner, move || std::fs::remove_dir_all(dir)).await;
}

/// Runs blocking folder work on a blocking thread, at most [`PARALLEL_DISK_WORK`] at once; `None` if
/// the work panicked.
async fn disk_work<T: Send + 'static>(
    inner: &Arc<Inner>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let _permit = inner.disk.acquire().await.ok();
    tokio::task::spawn_blocking(work).await.ok()
}

/// Everything before the fork (blocking): folders, resources, tokens, script, log files.
fn prepare(inner: &Inner, spec: &ContainerSpec) -> Result<Prepared, LaunchError> {
    spec.validate()?;
    let setup = |what: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |error| LaunchError::Setup { what, path, error }
    };
    let layout = &inner.layout;
    let config = &inner.config;
    let app_dirs = layout.app_dirs(&spec.user, &spec.app_id);
    for dir in &app_dirs {
        std::fs::create_dir_all(dir).map_err(setup("application folder", dir))?;
    }
    let work_dir = layout.work_dir(&spec.user, &spec.app_id, &spec.container_id);
    match std::fs::remove_dir_all(&work_dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(setup("stale work folder", &work_dir)(e)),
    }
    std::fs::create_dir_all(&work_dir).map_err(setup("work folder", &work_dir))?;
    let tmp = work_dir.join("tmp");
    std::fs::create_dir(&tmp).map_err(setup("tmp folder", &tmp))?;

    let log_dirs = layout.log_dirs(&spec.app_id, &spec.container_id);
    for dir in &log_dirs {
        std::fs::create_dir_all(dir).map_err(setup("log folder", dir))?;
    }
    let log_dir = &log_dirs[0];
    let open_log = |name: &str| {
        let path = log_dir.join(name);
        OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o640)
            .open(&path)
            .map_err(setup("log file", &path))
    };
    let stdout = open_log("stdout")?;
    let stderr = open_log("stderr")?;

    for (link, res) in &spec.local_resources {
        let scope = layout.cache_dir(res.visibility, &spec.user, &spec.app_id);
        let localized = inner.cache.localize(&scope, res)?;
        localize::link_into(&work_dir, link, &localized)?;
    }

    let tokens_path = work_dir.join("container_tokens");
    let tokens: &[u8] = if spec.tokens.is_empty() {
        spec::EMPTY_CREDENTIALS
    } else {
        &spec.tokens
    };
    write_file(&tokens_path, tokens, 0o600).map_err(setup("tokens file", &tokens_path))?;

    let join = |dirs: &[PathBuf]| {
        dirs.iter()
            .map(|d| d.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(",")
    };
    let user_dirs: Vec<PathBuf> = layout.user_dirs(&spec.user);
    let node_vars = NodeVars {
        vars: vec![
            (yarn_env::CONTAINER_ID.into(), spec.container_id.clone()),
            (yarn_env::NM_HOST.into(), config.node_host.clone()),
            (yarn_env::NM_PORT.into(), config.node_port.to_string()),
            (
                yarn_env::NM_HTTP_PORT.into(),
                config.node_http_port.to_string(),
            ),
            (yarn_env::LOCAL_DIRS.into(), join(&app_dirs)),
            (
                yarn_env::LOCAL_USER_DIRS.into(),
                user_dirs
                    .iter()
                    .map(|d| format!("{}/", d.to_string_lossy()))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            (yarn_env::LOG_DIRS.into(), join(&log_dirs)),
            (yarn_env::USER.into(), spec.user.clone()),
            (yarn_env::LOGNAME.into(), spec.user.clone()),
            (yarn_env::HOME.into(), config.user_home_dir.clone()),
            (
                yarn_env::PWD.into(),
                work_dir.to_string_lossy().into_owned(),
            ),
            (
                yarn_env::HADOOP_TOKEN_FILE_LOCATION.into(),
                tokens_path.to_string_lossy().into_owned(),
            ),
        ],
    };
    let text = script::render(&ScriptInput {
        passthrough: &config.env_passthrough,
        node_vars: &node_vars,
        env: &spec.env,
        commands: &spec.commands,
        log_dir,
        bash: &config.bash,
    });
    let script_path = work_dir.join("launch_container.sh");
    write_file(&script_path, text.as_bytes(), 0o700)
        .map_err(setup("launch script", &script_path))?;

    Ok(Prepared {
        stderr_path: log_dir.join("stderr"),
        request: SpawnRequest {
            bash: config.bash.clone(),
            script: script_path,
            work_dir: work_dir.clone(),
            stdout,
            stderr,
        },
        work_dir,
    })
}

fn write_file(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(mode)
        .open(path)?;
    file.write_all(bytes)
}
