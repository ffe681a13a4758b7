//! The executor backend (Spark's `CoarseGrainedExecutorBackend`): registers with the driver,
//! keeps one poll outstanding for commands, runs up to `cores` tasks at once, reports every
//! state change (batched), answers kills, and exits when told, when the driver is gone for
//! `driver_timeout`, or on SIGTERM (its container stopping).
//!
//! One binary can be both driver and executor: register the task functions in a
//! [`TaskRegistry`] and call [`run_executor`] when started as an executor (see
//! [`ExecutorConfig::from_env`] for the variables a launcher sets).

mod registry;
mod runner;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use spindle_base::recent::RecentSet;
use spindle_protocol::ipc::IpcError;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::Instant;
use tracing::{debug, info, warn};

pub use registry::{TaskContext, TaskFn, TaskRegistry};
use runner::{KillSwitch, Outcome};

use spindle_base::{executor_env, yarn_env};

use crate::auth::{AppSecret, Role, SecretError, new_nonce};
use crate::limits;
use crate::proto::*;
use crate::wire::convert::error_to_proto;
use crate::wire::{DriverClient, REFUSED_CLASS, driver_client};

/// Environment variable: the driver's `host:port`.
pub const ENV_DRIVER_URL: &str = executor_env::DRIVER_URL;
/// Environment variable: this executor's id.
pub const ENV_EXECUTOR_ID: &str = executor_env::EXECUTOR_ID;
/// Environment variable: cores.
pub const ENV_CORES: &str = executor_env::EXECUTOR_CORES;
/// Environment variable: the host name to register with (default: `NM_HOST`, then the
/// machine's host name).
pub const ENV_HOST: &str = executor_env::EXECUTOR_HOST;
/// Environment variable: seconds (or `Nms`) after which an unreachable driver makes the
/// executor exit (default 30 s).
pub const ENV_DRIVER_TIMEOUT: &str = executor_env::DRIVER_TIMEOUT;
/// Environment variable of the credentials file (Hadoop's).
pub const ENV_TOKEN_FILE: &str = yarn_env::HADOOP_TOKEN_FILE_LOCATION;

/// How to run an executor.
#[derive(Clone, Debug)]
pub struct ExecutorConfig {
    /// The driver's `host:port`.
    pub driver_url: String,
    /// This executor's id.
    pub executor_id: String,
    /// The host it reports (locality).
    pub host: String,
    /// Tasks run at once.
    pub cores: u32,
    /// The application secret.
    pub secret: AppSecret,
    /// Exit after the driver was unreachable this long.
    pub driver_timeout: Duration,
    /// The YARN container id, when in one (`CONTAINER_ID`).
    pub container_id: Option<String>,
    /// The poll wait to ask for.
    pub poll_wait: Duration,
}

/// Why an executor could not be configured or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum ExecutorError {
    /// A setting is missing or malformed.
    #[error("executor configuration: {0}")]
    Config(String),
    /// The secret could not be read.
    #[error(transparent)]
    Secret(#[from] SecretError),
    /// The driver refused this executor (duplicate id, excluded host, unknown id).
    #[error("the driver refused this executor: {0}")]
    Refused(String),
    /// The driver did not prove it knows the application secret.
    #[error(
        "the server at {0} did not prove it knows the application secret; refusing to run its tasks"
    )]
    NotAuthentic(String),
    /// The driver was unreachable for the whole timeout.
    #[error("the driver at {url} was unreachable for {waited:?} (last error: {last}); exiting")]
    DriverGone {
        /// Its address.
        url: String,
        /// How long it was tried.
        waited: Duration,
        /// The last failure.
        last: String,
    },
}

/// Why an executor ended normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecutorExit {
    /// The driver told it to stop, with this reason.
    Stopped(String),
    /// It got SIGTERM.
    Terminated,
}

fn env(name: &str) -> Result<String, ExecutorError> {
    std::env::var(name).map_err(|_| ExecutorError::Config(format!("{name} is not set")))
}

/// The host name to report: `NM_HOST` (set by YARN NMs), else the machine's name.
pub fn default_host() -> String {
    std::env::var(yarn_env::NM_HOST)
        .ok()
        .or_else(|| nix::unistd::gethostname().ok()?.into_string().ok())
        .unwrap_or_else(|| "localhost".into())
}

impl ExecutorConfig {
    /// A configuration with default timeouts.
    pub fn new(
        driver_url: impl Into<String>,
        executor_id: impl Into<String>,
        cores: u32,
        secret: AppSecret,
    ) -> Self {
        ExecutorConfig {
            driver_url: driver_url.into(),
            executor_id: executor_id.into(),
            host: default_host(),
            cores,
            secret,
            driver_timeout: Duration::from_secs(30),
            container_id: std::env::var(yarn_env::CONTAINER_ID).ok(),
            poll_wait: Duration::from_secs(1),
        }
    }

    /// Reads `SPINDLE_DRIVER_URL`, `SPINDLE_EXECUTOR_ID`, `SPINDLE_EXECUTOR_CORES`,
    /// `SPINDLE_EXECUTOR_HOST` (optional) and the secret from `HADOOP_TOKEN_FILE_LOCATION`.
    pub fn from_env() -> Result<Self, ExecutorError> {
        let cores: u32 = env(ENV_CORES)?
            .parse()
            .map_err(|e| ExecutorError::Config(format!("{ENV_CORES}: {e}")))?;
        let secret = AppSecret::from_file(&PathBuf::from(env(ENV_TOKEN_FILE)?))?;
        let mut c = ExecutorConfig::new(env(ENV_DRIVER_URL)?, env(ENV_EXECUTOR_ID)?, cores, secret);
        if let Ok(h) = std::env::var(ENV_HOST) {
            c.host = h;
        }
        if let Ok(t) = std::env::var(ENV_DRIVER_TIMEOUT) {
            c.driver_timeout = parse_duration(&t).ok_or_else(|| {
                ExecutorError::Config(format!(
                    "{ENV_DRIVER_TIMEOUT}: {t:?} is not a duration (30, 30s or 500ms)"
                ))
            })?;
        }
        Ok(c)
    }

    fn check(&self) -> Result<(), ExecutorError> {
        limits::check_executor_id("executor id", &self.executor_id)
            .map_err(|e| ExecutorError::Config(e.to_string()))?;
        if self.cores == 0 || self.cores > limits::MAX_EXECUTOR_CORES {
            return Err(ExecutorError::Config(format!(
                "cores must be 1..={}, got {}",
                limits::MAX_EXECUTOR_CORES,
                self.cores
            )));
        }
        Ok(())
    }
}

/// `30`, `30s` or `500ms`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    if let Some(ms) = s.strip_suffix("ms") {
        return ms.trim().parse().ok().map(Duration::from_millis);
    }
    s.strip_suffix('s')
        .unwrap_or(s)
        .trim()
        .parse()
        .ok()
        .map(Duration::from_secs)
}

fn is_refusal(e: &IpcError) -> Option<String> {
    match e {
        IpcError::Remote(r) if r.class_name == REFUSED_CLASS => Some(r.message.clone()),
        _ => None,
    }
}

fn is_fatal(e: &IpcError) -> bool {
    // A remote error other than a refusal means the driver answered: our request was bad,
    // which retrying will not fix. Authentication failures close the connection (FATAL).
    matches!(e, IpcError::Remote(r) if r.class_name.contains("AccessControl") || r.class_name.contains("InvalidToken"))
}

/// Registers with the driver, retrying connection failures until `driver_timeout`.
async fn register(
    client: &DriverClient,
    config: &ExecutorConfig,
    registry: &TaskRegistry,
) -> Result<RegisterExecutorResponseProto, ExecutorError> {
    let started = Instant::now();
    loop {
        let nonce = new_nonce();
        let request = RegisterExecutorRequestProto {
            executor_id: config.executor_id.clone(),
            host: config.host.clone(),
            cores: config.cores,
            resource_profile_id: 0,
            container_id: config.container_id.clone(),
            nonce: nonce.clone(),
            pid: std::process::id(),
            functions: registry.names(),
        };
        match client.register_executor(&request).await {
            Ok(r) => {
                if !config.secret.verify_proof(&nonce, &r.driver_proof) {
                    return Err(ExecutorError::NotAuthentic(config.driver_url.clone()));
                }
                return Ok(r);
            }
            Err(e) => {
                if let Some(m) = is_refusal(&e) {
                    return Err(ExecutorError::Refused(m));
                }
                if is_fatal(&e) || matches!(e, IpcError::Remote(_)) {
                    return Err(ExecutorError::Refused(e.to_string()));
                }
                if started.elapsed() >= config.driver_timeout {
                    return Err(ExecutorError::DriverGone {
                        url: config.driver_url.clone(),
                        waited: started.elapsed(),
                        last: e.to_string(),
                    });
                }
                debug!(error = %e, "registration failed; retrying");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// Why the status sender stopped.
enum SenderEnd {
    Refused(String),
    Gone(String),
}

/// Sends queued status changes, batching whatever queued while a call was in flight.
async fn send_statuses(
    client: DriverClient,
    executor_id: String,
    mut rx: mpsc::UnboundedReceiver<TaskStatusProto>,
    commands: mpsc::UnboundedSender<PollCommandsResponseProto>,
    driver_timeout: Duration,
) -> Option<SenderEnd> {
    let mut batch: Vec<TaskStatusProto> = Vec::new();
    loop {
        if batch.is_empty() {
            match rx.recv().await {
                Some(s) => batch.push(s),
                None => return None,
            }
        }
        while batch.len() < limits::MAX_UPDATES_PER_CALL {
            match rx.try_recv() {
                Ok(s) => batch.push(s),
                Err(_) => break,
            }
        }
        drop_superseded_running(&mut batch);
        let request = StatusUpdateRequestProto {
            executor_id: executor_id.clone(),
            updates: std::mem::take(&mut batch),
        };
        let started = Instant::now();
        loop {
            match client.status_update(&request).await {
                Ok(reply) => {
                    if !(reply.launches.is_empty()
                        && reply.kills.is_empty()
                        && reply.stop.is_none())
                    {
                        let _ = commands.send(reply);
                    }
                    break;
                }
                Err(e) => {
                    if let Some(m) = is_refusal(&e) {
                        return Some(SenderEnd::Refused(m));
                    }
                    if matches!(e, IpcError::Remote(_)) {
                        // The driver refused the batch as malformed: report and drop it.
                        warn!(error = %e, "the driver refused a status batch");
                        break;
                    }
                    if started.elapsed() >= driver_timeout {
                        return Some(SenderEnd::Gone(e.to_string()));
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

/// Drops a `RUNNING` whose task also ended in the same batch: the end says more, and the
/// driver needs one change fewer (the order of the rest is kept).
fn drop_superseded_running(batch: &mut Vec<TaskStatusProto>) {
    let running = TaskStateProto::Running as i32;
    if batch.len() < 2 || !batch.iter().any(|s| s.state == running) {
        return;
    }
    let ended: std::collections::HashSet<u64> = batch
        .iter()
        .filter(|s| s.state != running)
        .map(|s| s.task_id)
        .collect();
    batch.retain(|s| s.state != running || !ended.contains(&s.task_id));
}

/// Keeps one poll outstanding and forwards every reply; ends on a refusal or when the
/// driver stayed unreachable for `driver_timeout`.
async fn poll_forever(
    client: DriverClient,
    request: PollCommandsRequestProto,
    commands: mpsc::UnboundedSender<PollCommandsResponseProto>,
    config: (String, Duration),
) -> ExecutorError {
    let (url, driver_timeout) = config;
    let mut last_ok = Instant::now();
    loop {
        // Never cancelled while in flight: a reply the driver sent must not be dropped.
        match client.poll_commands(&request).await {
            Ok(c) => {
                last_ok = Instant::now();
                if commands.send(c).is_err() {
                    return ExecutorError::Config("the executor stopped".into());
                }
            }
            Err(e) => {
                if let Some(m) = is_refusal(&e) {
                    return ExecutorError::Refused(m);
                }
                if last_ok.elapsed() >= driver_timeout {
                    return ExecutorError::DriverGone {
                        url,
                        waited: last_ok.elapsed(),
                        last: e.to_string(),
                    };
                }
                debug!(error = %e, "poll failed; retrying");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

struct Running {
    kills: Mutex<HashMap<u64, Arc<KillSwitch>>>,
}

impl Running {
    fn kill_all(&self) {
        for kill in self
            .kills
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
        {
            kill.kill();
        }
    }
}

fn status(task_id: u64, state: TaskStateProto) -> TaskStatusProto {
    TaskStatusProto {
        task_id,
        state: state as i32,
        result: None,
        error: None,
    }
}

/// Runs an executor until it is told to stop, the driver is gone, or SIGTERM.
pub async fn run_executor(
    config: ExecutorConfig,
    registry: TaskRegistry,
) -> Result<ExecutorExit, ExecutorError> {
    config.check()?;
    let call_timeout = config.poll_wait + Duration::from_secs(30);
    let client = driver_client(
        &config.driver_url,
        &config.secret,
        Role::Executor,
        &config.executor_id,
        call_timeout,
    );
    let reg = register(&client, &config, &registry).await?;
    info!(executor = %config.executor_id, driver = %config.driver_url, app = %reg.app_id, "registered");
    let max_result = usize::try_from(reg.max_result_bytes)
        .unwrap_or(usize::MAX)
        .min(limits::MAX_PAYLOAD_BYTES);
    let poll_wait = Duration::from_millis(u64::from(reg.poll_wait_ms))
        .min(config.poll_wait.max(Duration::from_millis(1)));
    let (status_tx, status_rx) = mpsc::unbounded_channel();
    let (cmd_tx, mut cmd_rx) = mpsc::unbounded_channel();
    let mut sender = tokio::spawn(send_statuses(
        client.clone(),
        config.executor_id.clone(),
        status_rx,
        cmd_tx.clone(),
        config.driver_timeout,
    ));
    let poll = PollCommandsRequestProto {
        executor_id: config.executor_id.clone(),
        max_wait_ms: poll_wait.as_millis() as u32,
    };
    let mut poller = tokio::spawn(poll_forever(
        client.clone(),
        poll,
        cmd_tx,
        (config.driver_url.clone(), config.driver_timeout),
    ));
    let running = Arc::new(Running {
        kills: Mutex::new(HashMap::new()),
    });
    // Commands come from two replies (poll and status) that can overtake each other: a kill
    // for a task not launched yet is remembered so that its launch is answered KILLED.
    let mut killed_early: RecentSet<u64> = RecentSet::new(10_000);
    let slots = Arc::new(Semaphore::new(config.cores as usize));
    let registry = Arc::new(registry);
    let (idle_tx, mut idle_rx) = watch::channel(0usize);
    let idle_tx = Arc::new(idle_tx);
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| ExecutorError::Config(format!("cannot handle SIGTERM: {e}")))?;
    let end = loop {
        let commands = tokio::select! {
            c = cmd_rx.recv() => match c {
                Some(c) => c,
                None => break Err(ExecutorError::Config("command channel closed".into())),
            },
            _ = term.recv() => break Ok(ExecutorExit::Terminated),
            r = &mut poller => {
                break Err(r.unwrap_or_else(|e| ExecutorError::Config(format!("poller failed: {e}"))));
            }
            r = &mut sender => {
                break Err(match r {
                    Ok(Some(SenderEnd::Refused(m))) => ExecutorError::Refused(m),
                    Ok(Some(SenderEnd::Gone(last))) => ExecutorError::DriverGone { url: config.driver_url.clone(), waited: config.driver_timeout, last },
                    _ => ExecutorError::Config("the status sender ended".into()),
                });
            }
        };
        if let Err(e) = limits::check_poll_response(&commands) {
            warn!(error = %e, "malformed commands from the driver ignored");
            continue;
        }
        for launch in commands.launches {
            let tid = launch.task_id;
            if killed_early.remove(&tid) {
                let _ = status_tx.send(status(tid, TaskStateProto::Killed));
                continue;
            }
            if let Err(e) = limits::check_launch(&launch, limits::MAX_PAYLOAD_BYTES) {
                let mut s = status(tid, TaskStateProto::Failed);
                s.error = Some(error_to_proto(&crate::core::TaskError::new(e.to_string())));
                let _ = status_tx.send(s);
                continue;
            }
            let kill = Arc::new(KillSwitch::default());
            running
                .kills
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(tid, kill.clone());
            let (registry, running, slots, status_tx, idle_tx) = (
                registry.clone(),
                running.clone(),
                slots.clone(),
                status_tx.clone(),
                idle_tx.clone(),
            );
            idle_tx.send_modify(|n| *n += 1);
            tokio::spawn(async move {
                let _permit = slots.acquire_owned().await;
                let _ = status_tx.send(status(tid, TaskStateProto::Running));
                let outcome = runner::run(launch, &registry, &kill, max_result).await;
                let s = match outcome {
                    Outcome::Finished(out) => TaskStatusProto {
                        result: Some(out),
                        ..status(tid, TaskStateProto::Finished)
                    },
                    Outcome::Failed(e) => TaskStatusProto {
                        error: Some(error_to_proto(&e)),
                        ..status(tid, TaskStateProto::Failed)
                    },
                    Outcome::Killed => status(tid, TaskStateProto::Killed),
                };
                running
                    .kills
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&tid);
                let _ = status_tx.send(s);
                idle_tx.send_modify(|n| *n -= 1);
            });
        }
        for k in commands.kills {
            let found = running
                .kills
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&k.task_id)
                .cloned();
            match found {
                Some(kill) => {
                    debug!(task = k.task_id, reason = %k.reason, "killing task");
                    kill.kill();
                }
                None => {
                    killed_early.insert(k.task_id);
                }
            }
        }
        if let Some(stop) = commands.stop {
            info!(reason = %stop.reason, graceful = stop.graceful, "told to stop");
            if !stop.graceful {
                running.kill_all();
            }
            break Ok(ExecutorExit::Stopped(stop.reason));
        }
    };
    poller.abort();
    // Let running tasks end (killed ones end at once), bounded, then flush their statuses.
    if !matches!(end, Ok(ExecutorExit::Stopped(_))) {
        running.kill_all();
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), idle_rx.wait_for(|n| *n == 0)).await;
    drop(status_tx);
    if end.is_ok() {
        let _ = tokio::time::timeout(Duration::from_secs(2), &mut sender).await;
    }
    sender.abort();
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_is_dropped_only_when_its_task_ended_in_the_batch() {
        let mut batch = vec![
            status(1, TaskStateProto::Running),
            status(2, TaskStateProto::Running),
            status(1, TaskStateProto::Finished),
        ];
        drop_superseded_running(&mut batch);
        let left: Vec<(u64, i32)> = batch.iter().map(|s| (s.task_id, s.state)).collect();
        assert_eq!(
            left,
            vec![
                (2, TaskStateProto::Running as i32),
                (1, TaskStateProto::Finished as i32)
            ]
        );
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse_duration("2s"), Some(Duration::from_secs(2)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("soon"), None);
    }
}
