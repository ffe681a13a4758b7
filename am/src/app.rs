//! `spindle am`: the ApplicationMaster process a NodeManager starts, put together from the
//! container's environment, the Hadoop configuration and the options its submitter gave.
//!
//! Three kinds of application:
//! * a **distributed shell** ([`Workload::Shell`]): N containers of a command; the AM itself
//!   decides targets and success;
//! * **cluster mode** ([`DriverSpec::Child`]): the driver is the AM's child process; executors
//!   register with it, it sets the targets over `AmProtocol`, its exit decides the status;
//! * **client mode** ([`DriverSpec::Remote`]): the driver runs beside the submitter; the AM only
//!   launches executors for it, and its clean shutdown or lost connection decides.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use spindle_allocator::{
    Allocator, AllocatorConfig, Container, ExecutorId, ExecutorSizing, FailureConfig,
    HeartbeatConfig, LaunchMode, ProfileId, ProfileSpec, TargetUpdate,
};
use spindle_conf::Configuration;
use spindle_launcher::context::{ExecutorIdentity, LaunchTemplate, NamedResource};
use spindle_launcher::nm_client::{NmLauncher, NmLauncherConfig};
use spindle_protocol::credentials::Credentials;
use spindle_scheduler::auth::AppSecret;
use tokio::sync::{mpsc, oneshot, watch};

use crate::container_env::{ContainerEnv, ContainerEnvError};
use crate::driver_child::{DriverChild, url_file};
use crate::driver_link::{AmServer, DriverLink, LinkConfig, LinkError};
use crate::master::{self, AmEvent, AmParts, AmSettings, AmStatus, Input};
use crate::outcome::{Decision, Ending, Mode, Outcome};
use crate::rm::Registration;
use crate::tracking::{AppInfo, TrackingServer};
use crate::yarn::YarnResourceManager;
use crate::yarn::failover::Failover;
use crate::yarn::starter::{YarnLaunch, YarnStarter};

/// Where a driver-backed application's driver runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriverSpec {
    /// Cluster mode: this command (run with `sh -c`) in the AM's container.
    Child {
        /// The driver command.
        command: String,
    },
    /// Client mode: the driver already runs at this `host:port`.
    Remote {
        /// The driver's address.
        url: String,
    },
}

/// What the application's executors are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Workload {
    /// Distributed shell: `command` (run with `sh -c`) in `count` containers. The application
    /// succeeds once each of the `count` has exited 0; a container that fails is replaced, and
    /// too many failures fail the application (exit 11).
    Shell {
        /// The command.
        command: String,
        /// How many successful runs are wanted.
        count: u32,
    },
    /// Executors of a driver (the scheduler protocol): `executor` (program and arguments) runs
    /// in each container, told its identity by environment and flags.
    Driver {
        /// Where the driver runs.
        driver: DriverSpec,
        /// The executor program and its leading arguments (e.g. `spindle executor`).
        executor: Vec<String>,
        /// Executors wanted until the driver says otherwise.
        initial_executors: u32,
    },
}

impl Workload {
    /// Cluster or client mode (a distributed shell counts as cluster mode: the AM decides).
    pub fn mode(&self) -> Mode {
        match self {
            Workload::Driver {
                driver: DriverSpec::Remote { .. },
                ..
            } => Mode::Client,
            _ => Mode::Cluster,
        }
    }

    fn initial_target(&self) -> u32 {
        match self {
            Workload::Shell { count, .. } => *count,
            Workload::Driver {
                initial_executors, ..
            } => *initial_executors,
        }
    }

    /// One line saying what the application runs.
    pub fn describe(&self) -> String {
        match self {
            Workload::Shell { command, count } => {
                format!("distributed shell: {count} × sh -c {command:?}")
            }
            Workload::Driver {
                driver: DriverSpec::Child { command },
                ..
            } => format!("cluster mode: driver sh -c {command:?}"),
            Workload::Driver {
                driver: DriverSpec::Remote { url },
                ..
            } => format!("client mode: driver at {url}"),
        }
    }
}

/// How the submitter configured this AM.
#[derive(Debug, Clone)]
pub struct AmOptions {
    /// The executors' work.
    pub workload: Workload,
    /// The size of each executor container: memory, cores and custom resources (the
    /// allocator's own type; no overhead by default, as Spindle's executors are native
    /// processes with no JVM to pad for).
    pub executor: ExecutorSizing,
    /// Executor failures that fail the application (default: Spark's `max(3, 2 × executors)`).
    pub max_executor_failures: Option<u32>,
    /// Extra environment for executors.
    pub executor_env: Vec<(String, String)>,
    /// Local resources of every executor (the submitter's staged files: the executor program
    /// itself when it was shipped, `--files`, `--archives`).
    pub executor_resources: Vec<NamedResource>,
    /// The application's staging folder, removed once the application is final.
    pub staging_dir: Option<PathBuf>,
    /// How long a cluster-mode driver may take to start listening (Spark's `am.waitTime`).
    pub driver_start_timeout: Duration,
    /// How long a client-mode driver may be unreachable before the attempt fails.
    pub driver_disconnect_grace: Duration,
    /// The steady heartbeat to the ResourceManager (Spark's
    /// `spark.yarn.scheduler.heartbeat.interval-ms`); faster while containers are wanted.
    pub heartbeat_interval: Duration,
    /// The cluster's `yarn.am.liveness-monitor.expiry-interval-ms`: an AM silent this long loses
    /// its attempt, so the heartbeat stays under half of it whatever `heartbeat_interval` says.
    pub rm_am_expiry: Duration,
}

impl AmOptions {
    /// Options for `workload` with executors of 1 GiB and 1 core (no overhead), and Spark's
    /// timeouts.
    pub fn new(workload: Workload) -> Self {
        AmOptions {
            workload,
            executor: ExecutorSizing {
                memory_overhead_mb: Some(0),
                ..ExecutorSizing::default()
            },
            max_executor_failures: None,
            executor_env: Vec::new(),
            executor_resources: Vec::new(),
            staging_dir: None,
            driver_start_timeout: Duration::from_secs(100),
            driver_disconnect_grace: Duration::from_secs(10),
            heartbeat_interval: Duration::from_secs(3),
            rm_am_expiry: Duration::from_secs(900),
        }
    }
}

/// The cluster's AM liveness expiry, read from the Hadoop configuration.
const RM_AM_EXPIRY_KEY: &str = "yarn.am.liveness-monitor.expiry-interval-ms";

/// Why the AM could not even start its loop.
#[derive(Debug, thiserror::Error)]
pub enum AmStartError {
    /// The container's environment is unusable.
    #[error(transparent)]
    Container(#[from] ContainerEnvError),
    /// The Hadoop configuration is unusable.
    #[error("the Hadoop configuration: {0}")]
    Conf(#[from] spindle_conf::ConfError),
    /// The executors' settings are invalid.
    #[error("the executor settings: {0}")]
    Executors(String),
    /// The credentials hold no application secret for the driver protocols.
    #[error("{0}")]
    Secret(#[from] spindle_scheduler::auth::SecretError),
    /// A port could not be opened.
    #[error("cannot open the AM's {what}: {source}")]
    Port {
        /// Which port.
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
}

/// The allocator for `options`: one profile (id 0) of the executors' size, continuing the
/// executor numbering after `last_executor_id`.
pub fn allocator_for(
    options: &AmOptions,
    last_executor_id: u64,
) -> Result<Allocator, AmStartError> {
    let config = AllocatorConfig {
        profiles: vec![ProfileSpec {
            id: 0,
            sizing: options.executor.clone(),
            initial_target: options.workload.initial_target(),
        }],
        failures: FailureConfig {
            max_executor_failures: options.max_executor_failures,
            ..FailureConfig::default()
        },
        launch_mode: LaunchMode::Tracked,
        last_executor_id,
        heartbeat: heartbeat_for(options),
        ..AllocatorConfig::default()
    };
    Allocator::new(config).map_err(|e| AmStartError::Executors(e.to_string()))
}

/// The allocator's heartbeat schedule for `options` (at least 1 ms each: the allocator refuses
/// zero).
fn heartbeat_for(options: &AmOptions) -> HeartbeatConfig {
    let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1);
    HeartbeatConfig {
        interval_ms: ms(options.heartbeat_interval),
        am_expiry_interval_ms: ms(options.rm_am_expiry),
        ..HeartbeatConfig::default()
    }
}

/// How each executor of `options` is started on YARN: one launch context shared by every
/// executor (checked once here), with the executor's identity added (`driver_url` for
/// driver-backed executors).
pub fn yarn_launches(
    options: &AmOptions,
    app_id: &str,
    driver_url: Option<&str>,
    credentials: Option<Credentials>,
) -> Result<impl Fn(ExecutorId, ProfileId, &Container) -> YarnLaunch + Send + 'static, AmStartError>
{
    let (program, args) = match &options.workload {
        Workload::Shell { command, .. } => (
            vec!["/bin/sh".to_string()],
            vec!["-c".to_string(), command.clone()],
        ),
        Workload::Driver { executor, .. } => match executor.split_first() {
            Some((program, args)) => (vec![program.clone()], args.to_vec()),
            None => return Err(AmStartError::Executors("no executor command".into())),
        },
    };
    let template = LaunchTemplate {
        program,
        args,
        driver_url: driver_url.unwrap_or_default().to_string(),
        app_id: app_id.to_string(),
        env: options.executor_env.clone(),
        resources: options.executor_resources.clone(),
        credentials,
        ..LaunchTemplate::default()
    };
    template
        .validate()
        .map_err(|e| AmStartError::Executors(format!("the executors' launch context: {e}")))?;
    let cores = options.executor.cores;
    Ok(move |executor_id, profile, c: &Container| {
        let who = ExecutorIdentity {
            executor_id,
            hostname: c.host.clone(),
            cores,
            resource_profile_id: profile,
        };
        YarnLaunch {
            // Validated above: building cannot fail for one executor. Were it to, the empty
            // context is refused by the NodeManager and the launch fails visibly.
            context: template.build(&who).unwrap_or_default(),
        }
    })
}

/// The channels between the AM loop and whatever decides its targets and ending.
pub struct Channels {
    /// Requests to the loop.
    pub inputs: mpsc::Sender<Input>,
    inputs_rx: mpsc::Receiver<Input>,
    events: mpsc::UnboundedSender<AmEvent>,
    /// What the loop tells its driver (taken once).
    pub events_rx: Option<mpsc::UnboundedReceiver<AmEvent>>,
}

impl Default for Channels {
    fn default() -> Self {
        let (inputs, inputs_rx) = mpsc::channel(1024);
        let (events, events_rx) = mpsc::unbounded_channel();
        Channels {
            inputs,
            inputs_rx,
            events,
            events_rx: Some(events_rx),
        }
    }
}

impl Channels {
    /// Starts the distributed-shell "driver" on these channels.
    pub fn spawn_shell(&mut self, count: u32) -> tokio::task::JoinHandle<()> {
        let events = self.events_rx.take().expect("the events are taken once");
        tokio::spawn(shell_workload(count, self.inputs.clone(), events))
    }
}

/// What the loop runs with besides the resource manager, the allocator and the channels.
pub struct LoopSetup<F> {
    /// How the loop behaves.
    pub settings: AmSettings,
    /// The attempt's ending.
    pub outcome: Outcome,
    /// Where the status goes.
    pub status: watch::Sender<AmStatus>,
    /// What to start in a container for an executor of a profile.
    pub launch_for: F,
    /// Stop requests (signals, by name).
    pub shutdown: mpsc::Receiver<String>,
}

/// Runs the AM loop until the attempt ends; stop requests (signals) end it as
/// [`Ending::Terminated`].
pub async fn run<R, F>(
    rm: R,
    allocator: Allocator,
    channels: Channels,
    setup: LoopSetup<F>,
) -> Decision
where
    R: crate::rm::ResourceManager,
    F: Fn(ExecutorId, ProfileId, &Container) -> <R::Starter as crate::rm::ExecutorStarter>::Launch
        + Send
        + 'static,
{
    let LoopSetup {
        settings,
        outcome,
        status,
        launch_for,
        mut shutdown,
    } = setup;
    let signals = channels.inputs.clone();
    let signal_task = tokio::spawn(async move {
        if let Some(signal) = shutdown.recv().await {
            signals
                .send(Input::End(Ending::Terminated { signal }))
                .await
                .ok();
        }
    });
    let decision = master::run(
        rm,
        allocator,
        AmParts {
            settings,
            outcome,
            inputs: channels.inputs_rx,
            events: channels.events,
            status,
            launch_for,
        },
    )
    .await;
    signal_task.abort();
    decision
}

/// Runs the AM in the container this process was started in; returns the decision (the process
/// exits with its code). `shutdown` delivers SIGTERM-like requests.
pub async fn run_in_container(
    mut options: AmOptions,
    shutdown: mpsc::Receiver<String>,
) -> Result<Decision, AmStartError> {
    let container = ContainerEnv::from_process()?;
    let conf = Configuration::from_env()?;
    if let Some(expiry) = conf.get_duration(RM_AM_EXPIRY_KEY, Duration::from_millis(1))? {
        options.rm_am_expiry = expiry;
    }
    let attempt = container.attempt_id();
    let mode = options.workload.mode();
    tracing::info!(%attempt, host = %container.nm_host, workload = %options.workload.describe(), "ApplicationMaster starting");

    let mut channels = Channels::default();
    let mut cleanup = Cleanup::default();
    let outcome = Outcome::new(
        mode,
        u32::try_from(attempt.attempt_id).unwrap_or(1),
        container.max_attempts,
    );

    // The driver (cluster mode: start it; client mode: it runs already) and the link to it.
    let mut rpc_port = None;
    let mut driver_url = None;
    let mut last_executor_id = 0;
    let mut early_end = None;
    if let Workload::Driver { driver, .. } = &options.workload {
        let secret = AppSecret::from_credentials(&container.credentials)?;
        let server = AmServer::start(
            SocketAddr::from(([0, 0, 0, 0], 0)),
            &secret,
            channels.inputs.clone(),
            mode,
        )
        .await
        .map_err(|source| AmStartError::Port {
            what: "AmProtocol port",
            source,
        })?;
        rpc_port = Some(server.local_addr().port());
        let am_address = format!("{}:{}", container.nm_host, server.local_addr().port());
        cleanup.server = Some(server);
        let mut child = None;
        let url = match driver {
            DriverSpec::Remote { url } => Ok(url.clone()),
            DriverSpec::Child { command } => {
                let file = url_file(&container.local_dirs);
                match DriverChild::start(command, &[], &file, options.driver_start_timeout).await {
                    Ok(c) => {
                        let url = c.url.clone();
                        child = Some(c);
                        Ok(url)
                    }
                    Err(e) => Err(Ending::DriverNeverStarted {
                        reason: e.to_string(),
                    }),
                }
            }
        };
        match url {
            Ok(url) => {
                let config = LinkConfig {
                    driver_url: url.clone(),
                    secret,
                    am_address,
                    attempt: attempt.to_string(),
                    container_id: Some(container.container_id.to_string()),
                    mode,
                    call_timeout: Duration::from_secs(30),
                    disconnect_grace: options.driver_disconnect_grace,
                    ping_interval: Duration::from_secs(1),
                };
                let gone = || child.as_mut().and_then(DriverChild::ended);
                match DriverLink::connect(config, options.driver_start_timeout, gone).await {
                    Ok(link) => {
                        last_executor_id = link.last_executor_id;
                        let events = channels.events_rx.take().expect("events taken once");
                        cleanup.link =
                            Some(tokio::spawn(link.run(events, channels.inputs.clone())));
                        driver_url = Some(url);
                    }
                    Err(LinkError::Gone(ending)) => early_end = Some(ending),
                    Err(e) => {
                        early_end = Some(match mode {
                            Mode::Client => Ending::DriverDisconnected {
                                reason: e.to_string(),
                            },
                            Mode::Cluster => Ending::DriverNeverStarted {
                                reason: e.to_string(),
                            },
                        })
                    }
                }
            }
            Err(ending) => early_end = Some(ending),
        }
        if let Some(c) = child {
            let (stop, stopped) = oneshot::channel();
            cleanup.driver_stop = Some(stop);
            cleanup.driver = Some(tokio::spawn(c.watch(channels.inputs.clone(), stopped)));
        }
    } else if let Workload::Shell { count, .. } = &options.workload {
        cleanup.driver = Some(channels.spawn_shell(*count));
    }

    let calls = Failover::from_conf(&conf, &container.amrm_token, &container.user)?;
    let (nm, _events) = NmLauncher::new(NmLauncherConfig {
        qop: crate::yarn::failover::rpc_protection(&conf)?,
        user: container.user.clone(),
        ..NmLauncherConfig::default()
    });
    let user = container.user.clone();
    let rm = YarnResourceManager::new(calls, move |table| YarnStarter::new(nm, table, 25, &user));
    let launch_for = yarn_launches(
        &options,
        &attempt.application_id.to_string(),
        driver_url.as_deref(),
        Some(container.credentials.clone()),
    )?;
    let allocator = allocator_for(&options, last_executor_id)?;

    let (status, status_rx) = watch::channel(AmStatus::default());
    let app_info = AppInfo {
        attempt: attempt.to_string(),
        user: container.user.clone(),
        workload: options.workload.describe(),
        host: container.nm_host.clone(),
    };
    let tracking = TrackingServer::start(
        ([0, 0, 0, 0], 0).into(),
        &container.nm_host,
        app_info,
        status_rx,
    )
    .await
    .map_err(|e| tracing::warn!("no tracking page: {e}"))
    .ok();
    let settings = AmSettings {
        registration: Registration {
            host: container.nm_host.clone(),
            rpc_port,
            tracking_url: tracking.as_ref().map(|t| t.url().to_string()),
        },
        staging_dir: options.staging_dir.clone(),
        ..AmSettings::default()
    };
    if let Some(ending) = early_end {
        // Registered or not, the attempt is over: the loop registers (so the final status and
        // diagnostics reach the RM) and ends at once.
        channels.inputs.send(Input::End(ending)).await.ok();
    }
    let setup = LoopSetup {
        settings,
        outcome,
        status,
        launch_for,
        shutdown,
    };
    let decision = run(rm, allocator, channels, setup).await;
    cleanup.finish().await;
    if let Some(t) = tracking {
        t.shutdown().await;
    }
    Ok(decision)
}

/// What the AM started besides its loop, stopped when the attempt ends.
#[derive(Default)]
struct Cleanup {
    server: Option<AmServer>,
    driver: Option<tokio::task::JoinHandle<()>>,
    driver_stop: Option<oneshot::Sender<()>>,
    link: Option<tokio::task::JoinHandle<()>>,
}

impl Cleanup {
    async fn finish(self) {
        if let Some(stop) = self.driver_stop {
            stop.send(()).ok();
        }
        // The driver child gets its grace period; the others end with the loop's last event.
        for task in [self.driver, self.link].into_iter().flatten() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .ok();
        }
        if let Some(server) = self.server {
            server.shutdown().await;
        }
    }
}

/// The distributed-shell "driver": wants `count` containers until `count` of them have exited
/// 0, then ends the application with success.
async fn shell_workload(
    count: u32,
    inputs: mpsc::Sender<Input>,
    mut events: mpsc::UnboundedReceiver<AmEvent>,
) {
    let target = |n: u32| {
        let mut update = TargetUpdate::default();
        update.totals.insert(0, n);
        Input::Targets(update)
    };
    if count == 0 {
        inputs.send(Input::End(Ending::DriverSucceeded)).await.ok();
        return;
    }
    let mut succeeded = 0u32;
    while let Some(event) = events.recv().await {
        match event {
            AmEvent::ExecutorLost { exit, .. } if exit.exit_status == 0 => {
                succeeded += 1;
                if inputs
                    .send(target(count - succeeded.min(count)))
                    .await
                    .is_err()
                {
                    return;
                }
                if succeeded >= count {
                    inputs.send(Input::End(Ending::DriverSucceeded)).await.ok();
                }
            }
            AmEvent::Finished(_) => return,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell() -> AmOptions {
        AmOptions::new(Workload::Shell {
            command: "true".into(),
            count: 2,
        })
    }

    #[test]
    fn the_heartbeat_follows_the_options_and_the_clusters_expiry() {
        let heartbeat_of = |o: &AmOptions| allocator_for(o, 0).unwrap().config().heartbeat.clone();
        assert_eq!(heartbeat_of(&shell()), HeartbeatConfig::default());

        let mut options = shell();
        options.heartbeat_interval = Duration::from_millis(1500);
        options.rm_am_expiry = Duration::from_secs(2);
        let heartbeat = heartbeat_of(&options);
        assert_eq!(heartbeat.interval_ms, 1500);
        assert_eq!(heartbeat.am_expiry_interval_ms, 2000);
        assert_eq!(
            heartbeat.initial_allocation_interval_ms,
            HeartbeatConfig::default().initial_allocation_interval_ms
        );

        // Zero would be refused by the allocator: the shortest heartbeat is 1 ms.
        options.heartbeat_interval = Duration::ZERO;
        assert_eq!(heartbeat_of(&options).interval_ms, 1);
    }
}
