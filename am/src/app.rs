//! `spindle am`: the ApplicationMaster process a NodeManager starts, put together from the
//! container's environment, the Hadoop configuration and the options its submitter gave.

use std::path::PathBuf;
use std::time::Duration;

use spindle_allocator::{
    Allocator, AllocatorConfig, ExecutorSizing, FailureConfig, LaunchMode, ProfileSpec,
    TargetUpdate,
};
use spindle_conf::Configuration;
use spindle_launcher::context::{ExecutorIdentity, LaunchTemplate};
use spindle_launcher::nm_client::{NmLauncher, NmLauncherConfig};
use spindle_protocol::credentials::Credentials;
use tokio::sync::{mpsc, watch};

use crate::container_env::{ContainerEnv, ContainerEnvError};
use crate::master::{self, AmEvent, AmParts, AmSettings, AmStatus, Input};
use crate::outcome::{Decision, Ending, Mode, Outcome};
use crate::rm::Registration;
use crate::tracking::{AppInfo, TrackingServer};
use crate::yarn::YarnResourceManager;
use crate::yarn::failover::Failover;
use crate::yarn::starter::{YarnLaunch, YarnStarter};

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
}

/// How the submitter configured this AM.
#[derive(Debug, Clone)]
pub struct AmOptions {
    /// The executors' work.
    pub workload: Workload,
    /// Memory of each executor container, MB.
    pub executor_memory_mb: u64,
    /// Virtual cores of each executor container.
    pub executor_cores: u32,
    /// Executor failures that fail the application (default: Spark's `max(3, 2 × executors)`).
    pub max_executor_failures: Option<u32>,
    /// Extra environment for executors.
    pub executor_env: Vec<(String, String)>,
    /// The application's staging folder, removed once the application is final.
    pub staging_dir: Option<PathBuf>,
}

/// Why the AM could not even start its loop.
#[derive(Debug, thiserror::Error)]
pub enum AmStartError {
    /// The container's environment is unusable.
    #[error(transparent)]
    Container(#[from] ContainerEnvError),
    /// The Hadoop configuration is unusable.
    #[error("the Hadoop configuration: {0}")]
    Conf(#[from] spindle_conf::ConfError),
    /// The allocator's configuration is invalid.
    #[error("the executor settings: {0}")]
    Allocator(String),
}

/// The allocator for `options`: one profile (id 0) of the executors' size.
pub fn allocator_for(options: &AmOptions) -> Result<Allocator, AmStartError> {
    let count = match &options.workload {
        Workload::Shell { count, .. } => *count,
    };
    let config = AllocatorConfig {
        profiles: vec![ProfileSpec {
            id: 0,
            sizing: ExecutorSizing {
                memory_mb: options.executor_memory_mb,
                cores: options.executor_cores,
                // Spindle's executors are native processes: the container is the size asked
                // for, with no JVM overhead on top.
                memory_overhead_mb: Some(0),
                ..ExecutorSizing::default()
            },
            initial_target: count,
        }],
        failures: FailureConfig {
            max_executor_failures: options.max_executor_failures,
            ..FailureConfig::default()
        },
        launch_mode: LaunchMode::Tracked,
        ..AllocatorConfig::default()
    };
    Allocator::new(config).map_err(|e| AmStartError::Allocator(e.to_string()))
}

/// Runs the AM in the container this process was started in; returns the decision (the process
/// exits with its code). `shutdown` delivers SIGTERM-like requests.
pub async fn run_in_container(
    options: AmOptions,
    shutdown: mpsc::Receiver<String>,
) -> Result<Decision, AmStartError> {
    let container = ContainerEnv::from_process()?;
    let conf = Configuration::from_env()?;
    let attempt = container.attempt_id();
    tracing::info!(%attempt, host = %container.nm_host, "ApplicationMaster starting");

    let calls = Failover::from_conf(&conf, &container.amrm_token, &container.user)?;
    let (nm, _events) = NmLauncher::new(NmLauncherConfig::default());
    let user = container.user.clone();
    let rm = YarnResourceManager::new(calls, move |table| YarnStarter::new(nm, table, 25, &user));

    let launch_for = yarn_launches(
        &options,
        &attempt.application_id.to_string(),
        Some(container.credentials.clone()),
    )?;

    let allocator = allocator_for(&options)?;
    let (status, status_rx) = watch::channel(AmStatus::default());
    let app_info = AppInfo {
        attempt: attempt.to_string(),
        user: container.user.clone(),
        workload: describe(&options.workload),
        host: container.nm_host.clone(),
    };
    let bind = std::net::SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, 0));
    let tracking = match TrackingServer::start(
        bind,
        &container.nm_host,
        app_info.clone(),
        status_rx.clone(),
    )
    .await
    {
        Ok(t) => Some(t),
        // Some hosts have no IPv6: fall back to IPv4.
        Err(_) => TrackingServer::start(
            ([0, 0, 0, 0], 0).into(),
            &container.nm_host,
            app_info,
            status_rx,
        )
        .await
        .map_err(|e| tracing::warn!("no tracking page: {e}"))
        .ok(),
    };
    let settings = AmSettings {
        registration: Registration {
            host: container.nm_host.clone(),
            rpc_port: None,
            tracking_url: tracking.as_ref().map(|t| t.url().to_string()),
        },
        staging_dir: options.staging_dir.clone(),
        ..AmSettings::default()
    };
    let outcome = Outcome::new(
        Mode::Cluster,
        u32::try_from(attempt.attempt_id).unwrap_or(1),
        container.max_attempts,
    );
    let decision = run(
        rm,
        allocator,
        AmRun {
            launch_for,
            settings,
            outcome,
            workload: options.workload,
            status,
            shutdown,
        },
    )
    .await;
    if let Some(t) = tracking {
        t.shutdown().await;
    }
    Ok(decision)
}

/// One line saying what the application runs.
fn describe(workload: &Workload) -> String {
    match workload {
        Workload::Shell { command, count } => {
            format!("distributed shell: {count} × sh -c {command:?}")
        }
    }
}

/// How each executor of `options` is started on YARN: one launch context shared by every
/// executor (checked once here), with the executor's identity added.
pub fn yarn_launches(
    options: &AmOptions,
    app_id: &str,
    credentials: Option<Credentials>,
) -> Result<
    impl Fn(
        spindle_allocator::ExecutorId,
        spindle_allocator::ProfileId,
        &spindle_allocator::Container,
    ) -> YarnLaunch
    + Send
    + 'static,
    AmStartError,
> {
    let (program, args) = match &options.workload {
        Workload::Shell { command, .. } => (
            vec!["/bin/sh".to_string()],
            vec!["-c".to_string(), command.clone()],
        ),
    };
    let template = LaunchTemplate {
        program,
        args,
        app_id: app_id.to_string(),
        env: options.executor_env.clone(),
        credentials,
        ..LaunchTemplate::default()
    };
    template
        .validate()
        .map_err(|e| AmStartError::Allocator(format!("the executors' launch context: {e}")))?;
    let cores = options.executor_cores;
    Ok(
        move |executor_id, profile, c: &spindle_allocator::Container| {
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
        },
    )
}

/// Everything an AM run needs besides the resource manager and the allocator.
pub struct AmRun<F> {
    /// What to start in a container for an executor of a profile.
    pub launch_for: F,
    /// How the loop behaves.
    pub settings: AmSettings,
    /// The attempt's ending.
    pub outcome: Outcome,
    /// What the executors do.
    pub workload: Workload,
    /// Where the status goes.
    pub status: watch::Sender<AmStatus>,
    /// Stop requests (signals), by name.
    pub shutdown: mpsc::Receiver<String>,
}

/// Runs the loop with the workload that decides targets and success, until the attempt ends.
pub async fn run<R, F>(rm: R, allocator: Allocator, run: AmRun<F>) -> Decision
where
    R: crate::rm::ResourceManager,
    F: Fn(
            spindle_allocator::ExecutorId,
            spindle_allocator::ProfileId,
            &spindle_allocator::Container,
        ) -> <R::Starter as crate::rm::ExecutorStarter>::Launch
        + Send
        + 'static,
{
    let AmRun {
        launch_for,
        settings,
        outcome,
        workload,
        status,
        mut shutdown,
    } = run;
    let (inputs_tx, inputs) = mpsc::channel(1024);
    let (events, events_rx) = mpsc::unbounded_channel();
    let signals = inputs_tx.clone();
    tokio::spawn(async move {
        if let Some(signal) = shutdown.recv().await {
            signals
                .send(Input::End(Ending::Terminated { signal }))
                .await
                .ok();
        }
    });
    let driver = match workload {
        Workload::Shell { count, .. } => tokio::spawn(shell_workload(count, inputs_tx, events_rx)),
    };
    let decision = master::run(
        rm,
        allocator,
        AmParts {
            settings,
            outcome,
            inputs,
            events,
            status,
            launch_for,
        },
    )
    .await;
    // The workload ends with the loop's Finished event; do not wait on a stuck one.
    tokio::time::timeout(Duration::from_secs(5), driver)
        .await
        .ok();
    decision
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
