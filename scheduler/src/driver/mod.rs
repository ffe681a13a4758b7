//! The driver: a [`Driver`] serves `DriverProtocol` on one IPC port (executors and the AM
//! connect to it), runs jobs and hands back their results.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use spindle_scheduler::auth::AppSecret;
//! use spindle_scheduler::core::{JobSpec, TaskKind, TaskSpec};
//! use spindle_scheduler::driver::{Driver, DriverConfig};
//!
//! let secret = AppSecret::generate("application_1_0001");
//! let driver = Driver::start(DriverConfig::new("127.0.0.1:0".parse()?, secret)).await?;
//! driver.request_executors(4);
//! let job = JobSpec::one_stage(
//!     (0..10u8).map(|i| TaskSpec::new(TaskKind::function("square", vec![i]))).collect(),
//! );
//! let output = driver.submit(job).await?.wait().await?;
//! println!("{} results", output.stage(0).len());
//! driver.stop("done", true).await;
//! # Ok(()) }
//! ```

mod event_loop;
mod local;
mod msg;
mod service;

pub use local::LocalExecutors;

/// What `spindle submit` tells a driver through its environment (executors asked for, their
/// cores and memory): [`spindle_base::driver_env`].
pub use spindle_base::driver_env;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use spindle_base::yarn_env;
use spindle_protocol::ipc::IpcServer;
use tokio::sync::{mpsc, oneshot};

use crate::auth::{AppSecret, Role};
use crate::core::{
    DriverEndpoint, EndpointConfig, ExecId, JobId, JobSpec, StageId, SubmitError, TargetRequest,
    TaskEnd,
};
use crate::wire::{DriverProtocolService, server_config};
use event_loop::EventLoop;
use msg::Msg;
use service::DriverService;

/// How to start a driver.
#[derive(Clone, Debug)]
pub struct DriverConfig {
    /// Where to listen (port 0 picks one).
    pub bind: SocketAddr,
    /// The application secret executors and the AM authenticate with.
    pub secret: AppSecret,
    /// Scheduling, liveness and allocation settings.
    pub endpoint: EndpointConfig,
    /// Timeout of each call to the AM.
    pub am_call_timeout: Duration,
}

impl DriverConfig {
    /// The driver of an application submitted with Spindle: listening on every interface (port
    /// chosen by the system), with the application secret from the credentials file the
    /// submitter shipped (`HADOOP_TOKEN_FILE_LOCATION`).
    pub fn for_application() -> Result<Self, crate::auth::SecretError> {
        let path = std::env::var_os(crate::executor::ENV_TOKEN_FILE).ok_or_else(|| {
            crate::auth::SecretError::NoFile(format!(
                "{} is not set: run the driver with `spindle submit`, or give it a credentials file holding the application secret",
                crate::executor::ENV_TOKEN_FILE
            ))
        })?;
        let secret = AppSecret::from_file(std::path::Path::new(&path))?;
        Ok(DriverConfig::new(
            SocketAddr::from(([0, 0, 0, 0], 0)),
            secret,
        ))
    }

    /// Defaults for `bind` and `secret`.
    pub fn new(bind: SocketAddr, secret: AppSecret) -> Self {
        DriverConfig {
            bind,
            secret,
            endpoint: EndpointConfig::default(),
            am_call_timeout: Duration::from_secs(30),
        }
    }
}

/// What the driver wants from whoever starts executors (the AM hears it over the wire too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecutorRequest {
    /// Keep this many executors, with these locality hints.
    Total(TargetRequest),
    /// Stop these executors.
    Kill(Vec<ExecId>),
}

/// Something that happened to a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobEvent {
    /// A task of a result stage produced its output.
    Result {
        /// The stage's index in the job.
        stage_index: usize,
        /// The task's index.
        index: u32,
        /// Its output.
        result: Bytes,
    },
    /// A task ended (once per task).
    TaskEnded {
        /// The stage.
        stage: StageId,
        /// The task's index.
        index: u32,
        /// How.
        end: TaskEnd,
    },
    /// The job succeeded (last event).
    Succeeded,
    /// The job failed or was cancelled (last event).
    Failed(String),
}

/// A job failed or was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// It failed; the message names the task and its last error.
    #[error("job failed: {0}")]
    Failed(String),
    /// The driver stopped before it ended.
    #[error("the driver stopped before the job ended")]
    DriverStopped,
    /// It could not be submitted.
    #[error("job refused: {0}")]
    Refused(#[from] SubmitError),
}

/// The outputs of a job's result stages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobOutput {
    /// By (stage index, task index).
    pub results: BTreeMap<(usize, u32), Bytes>,
}

impl JobOutput {
    /// The outputs of result stage `stage_index`, by task index.
    pub fn stage(&self, stage_index: usize) -> Vec<Bytes> {
        self.results
            .range((stage_index, 0)..=(stage_index, u32::MAX))
            .map(|(_, b)| b.clone())
            .collect()
    }
}

/// A submitted job: stream its events or wait for its output.
#[derive(Debug)]
pub struct JobHandle {
    id: JobId,
    events: mpsc::UnboundedReceiver<JobEvent>,
    tx: mpsc::UnboundedSender<Msg>,
}

impl JobHandle {
    /// The job's id.
    pub fn id(&self) -> JobId {
        self.id
    }

    /// The next event; `None` after the last one (or if the driver stopped).
    pub async fn next_event(&mut self) -> Option<JobEvent> {
        self.events.recv().await
    }

    /// Cancels the job: its running tasks are killed and it ends as failed.
    pub fn cancel(&self, reason: &str) {
        let _ = self.tx.send(Msg::Cancel {
            job: self.id,
            reason: reason.to_string(),
        });
    }

    /// Waits for the job to end and returns its result stages' outputs.
    pub async fn wait(mut self) -> Result<JobOutput, JobError> {
        let mut out = JobOutput::default();
        while let Some(ev) = self.events.recv().await {
            match ev {
                JobEvent::Result {
                    stage_index,
                    index,
                    result,
                } => {
                    out.results.insert((stage_index, index), result);
                }
                JobEvent::TaskEnded { .. } => {}
                JobEvent::Succeeded => return Ok(out),
                JobEvent::Failed(m) => return Err(JobError::Failed(m)),
            }
        }
        Err(JobError::DriverStopped)
    }
}

/// The `host:port` others reach a driver listening on `bound` at: the bound address, or for a
/// wildcard bind the container's node (`NM_HOST`), else the loopback address.
pub fn reachable_address(bound: SocketAddr) -> String {
    if !bound.ip().is_unspecified() {
        return bound.to_string();
    }
    match std::env::var(yarn_env::NM_HOST)
        .ok()
        .filter(|h| !h.is_empty())
    {
        Some(host) => format!("{host}:{}", bound.port()),
        None => SocketAddr::from(([127, 0, 0, 1], bound.port())).to_string(),
    }
}

/// In cluster mode the AM starts the driver with `SPINDLE_DRIVER_URL_FILE` set: the driver
/// writes the address it is reachable at there (whole, by renaming a finished file), which tells
/// the AM it is up and where to register.
fn announce_to_am(bound: SocketAddr) -> std::io::Result<()> {
    let Some(path) = std::env::var_os(spindle_base::executor_env::DRIVER_URL_FILE) else {
        return Ok(());
    };
    let path = std::path::PathBuf::from(path);
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, reachable_address(bound))?;
    std::fs::rename(&tmp, &path)
}

/// A running driver.
#[derive(Debug)]
pub struct Driver {
    tx: mpsc::UnboundedSender<Msg>,
    address: SocketAddr,
    server: Mutex<Option<IpcServer>>,
    requests: Mutex<Option<mpsc::UnboundedReceiver<ExecutorRequest>>>,
    loop_task: Mutex<Option<tokio::task::JoinHandle<()>>>,
    secret: Arc<AppSecret>,
}

impl Driver {
    /// Binds the driver's port and starts its event loop (on the current tokio runtime).
    pub async fn start(config: DriverConfig) -> std::io::Result<Driver> {
        let (tx, rx) = mpsc::unbounded_channel();
        let (req_tx, req_rx) = mpsc::unbounded_channel();
        let service = DriverService {
            tx: tx.clone(),
            secret: config.secret.clone(),
            poll_wait_ms: u32::try_from(config.endpoint.poll_wait).unwrap_or(u32::MAX),
            max_result_bytes: config
                .endpoint
                .max_result_bytes
                .min(crate::limits::MAX_PAYLOAD_BYTES),
        };
        let server = IpcServer::bind(
            server_config(config.bind, &config.secret, vec![Role::Executor, Role::Am]),
            vec![Arc::new(DriverProtocolService::new(Arc::new(service)))],
        )
        .await?;
        let core = DriverEndpoint::new(config.endpoint, 0);
        let event_loop = EventLoop::new(
            core,
            rx,
            config.secret.clone(),
            config.am_call_timeout,
            req_tx,
        );
        let loop_task = tokio::spawn(event_loop.run());
        announce_to_am(server.local_addr())?;
        Ok(Driver {
            tx,
            address: server.local_addr(),
            server: Mutex::new(Some(server)),
            requests: Mutex::new(Some(req_rx)),
            loop_task: Mutex::new(Some(loop_task)),
            secret: Arc::new(config.secret),
        })
    }

    /// The address executors and the AM connect to (`--driver-url`).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The application secret.
    pub fn secret(&self) -> &AppSecret {
        &self.secret
    }

    /// The stream of executor totals and kills, for a launcher that is not an AM (local
    /// processes). Only the first call gets it.
    pub fn executor_requests(&self) -> Option<mpsc::UnboundedReceiver<ExecutorRequest>> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    /// Asks for `total` executors (sent to the AM and to [`Driver::executor_requests`]).
    pub fn request_executors(&self, total: u32) {
        let _ = self.tx.send(Msg::RequestTotal(total));
    }

    /// Registered executors now.
    pub async fn executor_count(&self) -> usize {
        let (reply, rx) = oneshot::channel();
        if self.tx.send(Msg::Executors { reply }).is_err() {
            return 0;
        }
        rx.await.unwrap_or(0)
    }

    /// Waits until at least `n` executors registered, or `timeout` passed; returns how many
    /// there are.
    pub async fn wait_for_executors(&self, n: usize, timeout: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let count = self.executor_count().await;
            if count >= n || tokio::time::Instant::now() >= deadline {
                return count;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Submits a job.
    pub async fn submit(&self, job: JobSpec) -> Result<JobHandle, JobError> {
        let (events_tx, events) = mpsc::unbounded_channel();
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Msg::Submit {
                job,
                events: events_tx,
                reply,
            })
            .map_err(|_| JobError::DriverStopped)?;
        let id = rx.await.map_err(|_| JobError::DriverStopped)??;
        Ok(JobHandle {
            id,
            events,
            tx: self.tx.clone(),
        })
    }

    /// Submits a job and waits for its output.
    pub async fn run(&self, job: JobSpec) -> Result<JobOutput, JobError> {
        self.submit(job).await?.wait().await
    }

    /// Stops: running jobs are cancelled, every executor is told to stop (and has up to 2 s
    /// to take the command), the AM hears `shutdown`, the port closes.
    pub async fn stop(&self, reason: &str, succeeded: bool) {
        let (reply, rx) = oneshot::channel();
        if self
            .tx
            .send(Msg::Stop {
                reason: reason.to_string(),
                succeeded,
                reply,
            })
            .is_ok()
        {
            let _ = tokio::time::timeout(Duration::from_secs(5), rx).await;
        }
        let task = self
            .loop_task
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(task) = task {
            let _ = tokio::time::timeout(Duration::from_secs(1), task).await;
        }
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(server) = server {
            server.shutdown().await;
        }
    }
}
