//! `spindle submit`: one application from the command line (and a spec file), on the YARN
//! cluster of `HADOOP_CONF_DIR` or on an embedded cluster started for the run.
//!
//! * **Cluster mode** (default): the driver command runs in the ApplicationMaster's container.
//!   The client follows the application and, at the end, prints the driver's output (the AM
//!   container's stdout) when it can read the logs.
//! * **Client mode**: the driver command runs here, as a child of this process, with the
//!   application's secret in a private credentials file; the AM is submitted once the driver
//!   announced its address. The child's exit code wins over the application's.
//! * **Distributed shell** (`--shell`): the AM runs the command in every executor container;
//!   their outputs are printed at the end.
//! * **Roles** (a spec file with `[[role]]`s): Spindle's role driver runs every role instance.
//!
//! Everything that can be checked here is checked before anything is asked of the cluster; a
//! failure after staging removes what was staged.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use spindle_am::driver_child::DriverChild;
use spindle_am::outcome::Ending;
use spindle_base::yarn_env;
use spindle_client::launch::sh_quote;
use spindle_client::logs::ContainerLogs;
use spindle_client::report::exit_code;
use spindle_client::spec::AppSpec;
use spindle_client::{
    AppReport, AppRequest, Client, ClientConfig, ClientError, ExecutorProgram, Executors,
    NewApplication, Progress, Submission, Workload,
};
use spindle_conf::Configuration;
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_scheduler::driver::{Driver, DriverConfig};
use tokio::sync::{mpsc, oneshot};

use crate::app_args::{DeployMode, Master, SubmitArgs};
use crate::error::CliError;
use crate::signals::Interrupt;

/// How long a client-mode driver may take to announce its address.
const DRIVER_START_TIMEOUT: Duration = Duration::from_secs(100);
/// How long the application may take to end after its client-mode driver ended.
const END_AFTER_DRIVER: Duration = Duration::from_secs(60);
/// Lines of the AM's stderr shown when an application failed.
const STDERR_TAIL_LINES: usize = 25;
/// The most bytes of a container's stdout printed at the end.
const OUTPUT_LIMIT: usize = 4 * 1024 * 1024;
/// Key: the host a client-mode driver announces (reachable from the cluster's nodes).
pub const DRIVER_HOST: &str = "spindle.driver.host";
/// The link of a roles spec file in the AM's container.
const SPEC_LINK: &str = "spindle-spec.toml";

/// What the application runs.
#[derive(Debug, Clone)]
enum What {
    /// A driver command.
    Command(Vec<String>),
    /// A distributed shell command.
    Shell(String),
    /// A spec file's roles.
    Roles { spec: Box<AppSpec>, path: PathBuf },
}

/// `spindle submit`'s flags merged over the spec file's settings.
#[derive(Debug, Clone)]
struct Plan {
    master: Master,
    mode: DeployMode,
    overrides: Vec<(String, String)>,
    what: What,
    name: Option<String>,
    queue: Option<String>,
    executors: Executors,
    executor_program: ExecutorProgram,
    files: Vec<String>,
    archives: Vec<String>,
    env: Vec<(String, String)>,
    no_wait: bool,
    quiet: bool,
    embedded_nodes: u16,
}

fn conf_dir_is_set() -> bool {
    ["HADOOP_CONF_DIR", "YARN_CONF_DIR"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()))
}

impl Plan {
    fn new(args: SubmitArgs, spec: Option<(AppSpec, PathBuf)>) -> Result<Plan, CliError> {
        let (spec, spec_path) = match spec {
            Some((s, p)) => (s, Some(p)),
            None => (AppSpec::default(), None),
        };
        let master = match (args.master, spec.master.as_deref()) {
            (Some(m), _) => m,
            (None, Some("yarn")) => Master::Yarn,
            (None, Some(_)) => Master::Embedded,
            (None, None) if conf_dir_is_set() => Master::Yarn,
            (None, None) => Master::Embedded,
        };
        let mode = match (args.deploy_mode, spec.deploy_mode.as_deref()) {
            (Some(m), _) => m,
            (None, Some("client")) => DeployMode::Client,
            _ => DeployMode::Cluster,
        };
        let what = if !args.command.is_empty() {
            What::Command(args.command.clone())
        } else if let Some(c) = &args.shell {
            What::Shell(c.clone())
        } else if let Some(d) = &spec.driver {
            What::Command(d.clone())
        } else if let Some(c) = &spec.shell {
            What::Shell(c.clone())
        } else if let (false, Some(path)) = (spec.roles.is_empty(), &spec_path) {
            What::Roles {
                spec: Box::new(spec.clone()),
                path: path.clone(),
            }
        } else {
            return Err(CliError::Usage(
                "nothing to run: give a driver command after -- (spindle submit -- spindle \
                 example pi), a distributed shell with --shell COMMAND, or a spec file with \
                 --spec FILE"
                    .into(),
            ));
        };
        if matches!(what, What::Shell(_)) && mode == DeployMode::Client {
            return Err(CliError::Usage(
                "a distributed shell (--shell) has no driver, so --deploy-mode client does not \
                 apply to it"
                    .into(),
            ));
        }
        if args.no_wait && master == Master::Embedded {
            return Err(CliError::Usage(
                "--no-wait needs a cluster that outlives this command: the embedded cluster of \
                 --master embedded stops when spindle submit ends (start one with `spindle \
                 cluster` and point HADOOP_CONF_DIR at it)"
                    .into(),
            ));
        }
        if args.no_wait && mode == DeployMode::Client {
            return Err(CliError::Usage(
                "--no-wait is for cluster mode: a client-mode driver runs here until it ends"
                    .into(),
            ));
        }
        let memory_mb = match (args.executor_memory, &spec.executor_memory) {
            (Some(m), _) => m,
            (None, Some(text)) => spindle_client::memory::parse_memory_mb(text)
                .map_err(|e| CliError::Usage(format!("executor_memory: {e}")))?,
            (None, None) => 1024,
        };
        let executor_program = match args.executor_program.or(spec.executor_program.clone()) {
            None => ExecutorProgram::Spindle,
            Some(p) if args.executor_on_nodes => ExecutorProgram::OnNodes(p),
            Some(p) => ExecutorProgram::Local(PathBuf::from(p)),
        };
        let count = match &what {
            What::Roles { spec, .. } => spec.role_instances(),
            _ => args.num_executors.or(spec.num_executors).unwrap_or(2),
        };
        let mut overrides: Vec<(String, String)> = spec.conf.clone().into_iter().collect();
        overrides.extend(args.conf);
        let mut env: Vec<(String, String)> = spec.env.clone().into_iter().collect();
        env.extend(args.env);
        Ok(Plan {
            master,
            mode,
            overrides,
            what,
            name: args.name.or(spec.name.clone()),
            queue: args.queue.or(spec.queue.clone()),
            executors: Executors {
                count,
                memory_mb,
                cores: args.executor_cores.or(spec.executor_cores).unwrap_or(1),
                max_failures: args.max_executor_failures.or(spec.max_executor_failures),
            },
            executor_program,
            files: spec.files.iter().cloned().chain(args.files).collect(),
            archives: spec.archives.iter().cloned().chain(args.archives).collect(),
            env,
            no_wait: args.no_wait,
            quiet: args.quiet,
            embedded_nodes: args.embedded_nodes,
        })
    }

    /// A name when none was given: the driver program's, "distributed shell", or the spec's.
    fn default_name(&self) -> String {
        match &self.what {
            What::Command(argv) if argv.first().is_some_and(|w| w == "spindle") => {
                argv.iter().take(3).cloned().collect::<Vec<_>>().join(" ")
            }
            What::Command(argv) => argv
                .first()
                .and_then(|w| Path::new(w).file_name())
                .map_or_else(|| "spindle".into(), |n| n.to_string_lossy().into_owned()),
            What::Shell(_) => "distributed shell".into(),
            What::Roles { path, .. } => path
                .file_stem()
                .map_or_else(|| "roles".into(), |n| n.to_string_lossy().into_owned()),
        }
    }

    /// The request for `client`'s cluster (the workload of a client-mode driver is filled in
    /// once it runs).
    fn request(&self, conf: &Configuration, spindle: &Path) -> Result<AppRequest, CliError> {
        let mut submission = Submission::from_conf(conf)?;
        if let Some(n) = &self.name {
            submission.name = n.clone();
        } else if conf.get_trimmed("spindle.app.name").is_none() {
            submission.name = self.default_name();
        }
        if let Some(q) = &self.queue {
            submission.queue = q.clone();
        }
        let mut files = self.files.clone();
        let workload = match (&self.what, self.mode) {
            (What::Shell(c), _) => Workload::Shell { command: c.clone() },
            (What::Command(argv), DeployMode::Cluster) => {
                Workload::ClusterDriver { argv: argv.clone() }
            }
            (What::Roles { path, .. }, DeployMode::Cluster) => {
                files.push(format!("{}#{SPEC_LINK}", path.display()));
                Workload::ClusterDriver {
                    argv: vec!["spindle".into(), "roles".into(), SPEC_LINK.into()],
                }
            }
            // Filled in once the driver listens.
            (_, DeployMode::Client) => Workload::ClientDriver { url: String::new() },
        };
        Ok(AppRequest {
            submission,
            workload,
            executors: self.executors.clone(),
            executor_program: self.executor_program.clone(),
            files,
            archives: self.archives.clone(),
            env: self.env.clone(),
            spindle_binary: spindle.to_path_buf(),
        })
    }
}

/// The `spindle` binary itself (shipped to run the AM and `spindle executor`).
pub fn this_binary() -> Result<PathBuf, CliError> {
    std::env::current_exe()
        .map_err(|e| CliError::Usage(format!("cannot find the spindle binary's path: {e}")))
}

/// An embedded cluster for one run: `nodes` NodeManagers of 8 GiB and 8 vcores, a fast clock.
pub async fn start_embedded(nodes: u16) -> Result<MiniCluster, CliError> {
    let mut options = MiniClusterOptions::with_nodes(usize::from(nodes), 8192, 8);
    options.monitor_interval = Duration::from_millis(100);
    Ok(MiniCluster::start(options).await?)
}

/// A client of the cluster `HADOOP_CONF_DIR` names, refusing to guess when none is named.
pub fn yarn_client(overrides: &[(String, String)]) -> Result<Client, CliError> {
    let config = ClientConfig::from_env(overrides)?;
    let names_rm = overrides
        .iter()
        .any(|(k, _)| k.starts_with("yarn.resourcemanager."));
    if config.conf.files().is_empty() && !names_rm {
        return Err(CliError::Usage(
            "no cluster is configured: set HADOOP_CONF_DIR to the cluster's configuration \
             folder (`spindle cluster` prints one for its embedded cluster), or use \
             --master embedded"
                .into(),
        ));
    }
    Ok(Client::new(config, overrides.to_vec()))
}

/// Runs `spindle submit` to the end; the exit code is the application's outcome.
pub async fn run(args: SubmitArgs) -> Result<ExitCode, CliError> {
    let spec = match &args.spec {
        Some(path) => Some((AppSpec::from_file(path)?, path.clone())),
        None => None,
    };
    let plan = Plan::new(args, spec)?;
    let spindle = this_binary()?;
    let interrupt = Interrupt::install().map_err(CliError::Signals)?;
    if let (What::Command(argv), DeployMode::Client) = (&plan.what, plan.mode) {
        local_driver_command(argv, &spindle)?;
    }
    match plan.master {
        Master::Yarn => {
            let client = yarn_client(&plan.overrides)?;
            let request = plan.request(&client.config().conf, &spindle)?;
            request.check()?;
            submit_on(&client, &plan, request, interrupt).await
        }
        Master::Embedded => {
            // Check what can be checked before a cluster is started for nothing.
            let mut conf = Configuration::new();
            for (k, v) in &plan.overrides {
                conf.set(k, v.clone(), "--conf");
            }
            plan.request(&conf, &spindle)?.check()?;
            let cluster = start_embedded(plan.embedded_nodes).await?;
            say(
                plan.quiet,
                &format!(
                    "embedded cluster up: {} NodeManager(s), ResourceManager at {}",
                    plan.embedded_nodes,
                    cluster.rm_address()
                ),
            );
            let result = async {
                let config = ClientConfig::from_dir(cluster.conf_dir(), &plan.overrides)?;
                let client = Client::new(config, plan.overrides.clone());
                let request = plan.request(&client.config().conf, &spindle)?;
                submit_on(&client, &plan, request, interrupt).await
            }
            .await;
            cluster.shutdown().await;
            result
        }
    }
}

/// One line for a person on standard error.
fn say(quiet: bool, text: &str) {
    if !quiet {
        eprintln!("{text}");
    }
}

async fn submit_on(
    client: &Client,
    plan: &Plan,
    request: AppRequest,
    mut interrupt: Interrupt,
) -> Result<ExitCode, CliError> {
    let started = Instant::now();
    let app = client.new_application().await?;
    match (&plan.what, plan.mode) {
        (What::Command(argv), DeployMode::Client) => {
            client_mode_child(client, plan, request, app, argv, started, interrupt).await
        }
        (What::Roles { spec, .. }, DeployMode::Client) => {
            let spec = (**spec).clone();
            let (driver_result, report) = client_mode_in_process(
                client,
                request,
                &app,
                driver_host(client),
                if plan.quiet {
                    Progress::new(true)
                } else {
                    Progress::lines_only()
                },
                interrupt,
                |driver| async move { crate::example_cmd::run_roles(&driver, &spec).await },
            )
            .await?;
            finish(client, plan, &report, started).await;
            Ok(exit_of(
                &report,
                driver_result.err().map(|e| {
                    eprintln!("the role driver failed: {e}");
                    exit_code::FAILED
                }),
            ))
        }
        _ => {
            let submitted = client.submit(&app, &request).await?;
            eprintln!("submitted {}", submitted.id);
            if plan.no_wait {
                println!("{}", submitted.id);
                return Ok(ExitCode::SUCCESS);
            }
            let mut progress = Progress::new(plan.quiet);
            let report = tokio::select! {
                r = client.follow(submitted.id, &mut progress) => r,
                signal = interrupt.wait() => {
                    progress.finish();
                    let id = submitted.id;
                    match plan.master {
                        Master::Yarn => eprintln!(
                            "{signal}: stopped following {id}; it goes on running \
                             (spindle status {id}; spindle kill {id})"
                        ),
                        Master::Embedded => {
                            eprintln!("{signal}: stopping the embedded cluster and {id}")
                        }
                    }
                    return Err(CliError::Interrupted(signal));
                }
            };
            progress.finish();
            let report = report?;
            client.clean_up(&submitted);
            finish(client, plan, &report, started).await;
            Ok(exit_of(&report, None))
        }
    }
}

/// The exit code: a driver's own failure first, else the application's.
fn exit_of(report: &AppReport, driver_code: Option<i32>) -> ExitCode {
    let code = driver_code
        .filter(|c| *c != 0)
        .or(report.exit_code())
        .unwrap_or(exit_code::FAILED);
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// The host a client-mode driver announces: `spindle.driver.host`, else the loopback address
/// when the ResourceManager is on this machine, else this machine's name.
pub fn driver_host(client: &Client) -> String {
    if let Some(h) = client.config().conf.get_trimmed(DRIVER_HOST) {
        return h;
    }
    let rm_is_local =
        client.config().rm_addresses.iter().all(|a| {
            a.starts_with("127.") || a.starts_with("localhost:") || a.starts_with("[::1]")
        });
    if rm_is_local {
        return "127.0.0.1".into();
    }
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Whether `program` is an executable file in one of `PATH`'s folders.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// The client-mode driver command for `sh -c`: `spindle` is this binary; a program must exist
/// here (a path) or be on `PATH`.
fn local_driver_command(argv: &[String], spindle: &Path) -> Result<String, CliError> {
    let (first, rest) = argv
        .split_first()
        .ok_or_else(|| CliError::Usage("the driver command is empty".into()))?;
    let program = if first == "spindle" {
        spindle.display().to_string()
    } else if first.contains('/') {
        if !Path::new(first).is_file() {
            return Err(CliError::Usage(format!(
                "the driver program {first} does not exist"
            )));
        }
        first.clone()
    } else if on_path(first) {
        first.clone()
    } else {
        return Err(CliError::Usage(format!(
            "the driver program {first:?} is not on PATH: give its path"
        )));
    };
    Ok(std::iter::once(program)
        .chain(rest.iter().cloned())
        .map(|w| sh_quote(&w))
        .collect::<Vec<_>>()
        .join(" "))
}

/// The exit code of a client-mode driver from how the AM's driver watcher describes it.
fn driver_exit_code(ending: &Ending) -> i32 {
    match ending {
        Ending::DriverSucceeded => 0,
        Ending::DriverFailed { reason } => {
            let number = |marker: &str| {
                reason
                    .split(marker)
                    .nth(1)
                    .and_then(|r| r.trim().parse::<i32>().ok())
            };
            number("exited with code ")
                .or_else(|| number("killed by signal ").map(|s| 128 + s))
                .unwrap_or(exit_code::FAILED)
        }
        _ => exit_code::FAILED,
    }
}

/// Client mode with the driver as a child process.
async fn client_mode_child(
    client: &Client,
    plan: &Plan,
    mut request: AppRequest,
    app: NewApplication,
    argv: &[String],
    started: Instant,
    mut interrupt: Interrupt,
) -> Result<ExitCode, CliError> {
    let command = local_driver_command(argv, &request.spindle_binary)?;
    let dir = tempfile::Builder::new()
        .prefix("spindle-driver-")
        .tempdir()
        .map_err(|e| {
            CliError::Usage(format!("cannot make a private folder for the driver: {e}"))
        })?;
    let credentials = dir.path().join("credentials");
    app.secret
        .write_file(&credentials)
        .map_err(|e| CliError::Usage(format!("cannot write the driver's credentials: {e}")))?;
    let mut env: Vec<(String, String)> = request.env.clone();
    env.extend([
        (
            spindle_scheduler::executor::ENV_TOKEN_FILE.to_string(),
            credentials.display().to_string(),
        ),
        // The driver announces `$NM_HOST:port` (what the cluster's nodes reach it at).
        (yarn_env::NM_HOST.to_string(), driver_host(client)),
    ]);
    env.extend(plan.executors.driver_env().map(|(k, v)| (k.to_string(), v)));
    let child = DriverChild::start(
        &command,
        &env,
        &dir.path().join("driver.url"),
        DRIVER_START_TIMEOUT,
    )
    .await
    .map_err(|e| {
        CliError::Driver(format!(
            "the driver did not start, nothing was submitted: {e}"
        ))
    })?;
    request.workload = Workload::ClientDriver {
        url: child.url.clone(),
    };
    let (ended_tx, mut ended) = mpsc::channel(1);
    let (stop, stopped) = oneshot::channel();
    // From here on the watcher owns the child: `stop` stops its process group.
    let watcher = tokio::spawn(child.watch(ended_tx, stopped));
    let submitted = match client.submit(&app, &request).await {
        Ok(s) => s,
        Err(e) => {
            stop.send(()).ok();
            watcher.await.ok();
            return Err(e.into());
        }
    };
    eprintln!(
        "submitted {} (driver at {})",
        submitted.id,
        child_url(&request)
    );
    let mut progress = if plan.quiet {
        Progress::new(true)
    } else {
        Progress::lines_only()
    };
    let mut stop = Some(stop);
    let driver_code;
    let report = tokio::select! {
        input = ended.recv() => {
            let code = match input {
                Some(spindle_am::master::Input::End(ending)) => driver_exit_code(&ending),
                _ => exit_code::FAILED,
            };
            driver_code = Some(code);
            if code != 0 {
                eprintln!("the driver exited with code {code}");
            }
            let deadline = Instant::now() + END_AFTER_DRIVER;
            follow_until_deadline(client, submitted.id, &mut progress, deadline).await?
        }
        report = client.follow(submitted.id, &mut progress) => {
            // The application ended first (killed, or its AM failed): stop the driver.
            if let Some(s) = stop.take() {
                s.send(()).ok();
            }
            driver_code = None;
            report?
        }
        signal = interrupt.wait() => {
            // The driver is ours: stop it and the application with it.
            eprintln!("{signal}: stopping the driver and killing {}", submitted.id);
            if let Some(s) = stop.take() {
                s.send(()).ok();
            }
            watcher.await.ok();
            client.kill(submitted.id, &format!("spindle submit got {signal}")).await.ok();
            client.clean_up(&submitted);
            return Err(CliError::Interrupted(signal));
        }
    };
    watcher.await.ok();
    client.clean_up(&submitted);
    finish(client, plan, &report, started).await;
    Ok(exit_of(&report, driver_code))
}

fn child_url(request: &AppRequest) -> String {
    match &request.workload {
        Workload::ClientDriver { url } => url.clone(),
        _ => String::new(),
    }
}

/// Follows until the application is final or `deadline` passes (then reports as it is).
async fn follow_until_deadline(
    client: &Client,
    id: spindle_protocol::ids::ApplicationId,
    progress: &mut Progress,
    deadline: Instant,
) -> Result<AppReport, ClientError> {
    client
        .follow_until(id, progress, |_| Instant::now() >= deadline)
        .await
}

/// Client mode with the driver in this process: starts it with the application's secret,
/// submits, runs `driver_main` on it, stops it (telling the AM whether it succeeded) and
/// follows the application to its end.
pub async fn client_mode_in_process<F, Fut>(
    client: &Client,
    mut request: AppRequest,
    app: &NewApplication,
    host: String,
    mut progress: Progress,
    mut interrupt: Interrupt,
    driver_main: F,
) -> Result<(Result<(), String>, AppReport), CliError>
where
    F: FnOnce(Arc<Driver>) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let driver = Arc::new(
        Driver::start(DriverConfig::new(
            ([0, 0, 0, 0], 0).into(),
            app.secret.clone(),
        ))
        .await
        .map_err(|e| CliError::Driver(format!("cannot start the driver: {e}")))?,
    );
    driver.request_executors(request.executors.count);
    let url = format!("{host}:{}", driver.address().port());
    request.workload = Workload::ClientDriver { url: url.clone() };
    let submitted = match client.submit(app, &request).await {
        Ok(s) => s,
        Err(e) => {
            driver.stop("the submission failed", false).await;
            return Err(e.into());
        }
    };
    progress.line(&format!("submitted {} (driver at {url})", submitted.id));
    let result = tokio::select! {
        r = driver_main(driver.clone()) => Some(r),
        r = client.follow(submitted.id, &mut progress) => {
            // The application ended before the driver did.
            let reason = match &r {
                Ok(report) => format!("the application ended as {}", report.verdict()),
                Err(e) => e.to_string(),
            };
            driver.stop(&reason, false).await;
            client.clean_up(&submitted);
            return Ok((Err(reason), r?));
        }
        signal = interrupt.wait() => {
            progress.line(&format!("{signal}: stopping the driver and killing {}", submitted.id));
            driver.stop(&format!("stopped by {signal}"), false).await;
            client.kill(submitted.id, &format!("the driver got {signal}")).await.ok();
            client.clean_up(&submitted);
            return Err(CliError::Interrupted(signal));
        }
    };
    let result = result.unwrap_or(Err("the driver did not run".into()));
    match &result {
        Ok(()) => driver.stop("the driver finished", true).await,
        Err(e) => driver.stop(e, false).await,
    }
    let deadline = Instant::now() + END_AFTER_DRIVER;
    let report = follow_until_deadline(client, submitted.id, &mut progress, deadline).await?;
    progress.finish();
    client.clean_up(&submitted);
    Ok((result, report))
}

/// The containers of the last attempt's AM and of the executors, from `logs`.
fn split_containers(logs: &[ContainerLogs]) -> (Option<&ContainerLogs>, Vec<&ContainerLogs>) {
    use spindle_protocol::ids::ContainerId;
    let parsed: Vec<(Option<ContainerId>, &ContainerLogs)> = logs
        .iter()
        .map(|l| (l.container.parse::<ContainerId>().ok(), l))
        .collect();
    let last_attempt = parsed
        .iter()
        .filter_map(|(c, _)| c.map(|c| c.application_attempt_id.attempt_id))
        .max();
    let am = parsed
        .iter()
        .filter(|(c, _)| {
            c.is_some_and(|c| Some(c.application_attempt_id.attempt_id) == last_attempt)
        })
        .min_by_key(|(c, _)| c.map(|c| c.sequence()))
        .map(|(_, l)| *l);
    let executors = parsed
        .iter()
        .filter(|(c, _)| c.is_some_and(|c| c.sequence() != 1))
        .map(|(_, l)| *l)
        .filter(|l| am.is_none_or(|a| a.container != l.container))
        .collect();
    (am, executors)
}

/// Prints the outcome: the driver's output (cluster mode), the executors' outputs (a
/// distributed shell), and for a failure the diagnostics, the end of the AM's stderr and a hint.
async fn finish(client: &Client, plan: &Plan, report: &AppReport, started: Instant) {
    let elapsed = started.elapsed().as_secs_f64();
    let logs = client.logs(report.id).await.unwrap_or_default();
    let (am, executors) = split_containers(&logs);
    let cluster_driver = plan.mode == DeployMode::Cluster && !matches!(plan.what, What::Shell(_));
    if cluster_driver
        && let Some(am) = am
        && let Ok(out) = am.read("stdout", OUTPUT_LIMIT).await
        && !out.is_empty()
    {
        print!("{out}");
    }
    if matches!(plan.what, What::Shell(_)) {
        for e in &executors {
            if let Ok(out) = e.read("stdout", OUTPUT_LIMIT).await {
                for line in out.lines() {
                    println!("[{}] {line}", e.container);
                }
            }
        }
    }
    if report.succeeded() {
        eprintln!(
            "{} {} ({}) in {elapsed:.1} s",
            report.id,
            report.state_name(),
            report.final_status_name()
        );
        return;
    }
    let code = report.exit_code().unwrap_or(exit_code::FAILED);
    eprintln!(
        "{} {} (exit code {code}) after {elapsed:.1} s",
        report.id,
        report.verdict()
    );
    if !report.diagnostics.is_empty() {
        eprintln!("diagnostics: {}", report.diagnostics);
    }
    if let Some(am) = am
        && let Ok(err) = am.read("stderr", 256 * 1024).await
        && !err.is_empty()
    {
        let lines: Vec<&str> = err.lines().collect();
        let tail = &lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..];
        eprintln!(
            "--- the end of the ApplicationMaster's stderr ({}) ---",
            am.container
        );
        for l in tail {
            eprintln!("{l}");
        }
        eprintln!("---");
    }
    if let Some(hint) = failure_hint(report, code) {
        eprintln!("hint: {hint}");
    }
}

/// What to do about a failed application, from its exit code and diagnostics.
fn failure_hint(report: &AppReport, code: i32) -> Option<String> {
    let d = &report.diagnostics;
    let logs = format!("spindle logs {}", report.id);
    if d.contains("code 127") {
        return Some(format!(
            "the driver's program was not found in the container: give it as a path to a local \
             file (it is shipped, e.g. ./target/debug/myapp), use `spindle` for the shipped \
             spindle, or install it on every node; its stderr: {logs}"
        ));
    }
    if d.contains("code 126") {
        return Some("the driver's program is not executable: chmod +x it".into());
    }
    match code {
        11 => Some(format!(
            "the executors kept failing; their stderr says why: {logs} (raise the limit with \
             --max-executor-failures)"
        )),
        13 => Some(format!(
            "the driver never started listening; its output: {logs}"
        )),
        15 => Some(format!("the driver failed; its output: {logs}")),
        17 => Some("the client-mode driver went away without stopping cleanly".into()),
        exit_code::KILLED => None,
        _ => Some(format!("the containers' logs: {logs}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// The plan of `spindle submit --master embedded FLAGS` (split at blanks) with the spec
    /// `spec` (as the file `name.toml`).
    fn plan(flags: &str, spec: Option<(&str, &str)>) -> Result<Plan, CliError> {
        let words = ["spindle", "submit", "--master", "embedded"]
            .into_iter()
            .chain(flags.split_whitespace());
        let cli = crate::args::Cli::try_parse_from(words).expect("flags parse");
        let crate::args::Command::Submit(args) = cli.command else {
            panic!("not submit")
        };
        let spec = spec.map(|(name, text)| {
            let parsed = AppSpec::parse(text).expect("spec parses");
            (parsed, PathBuf::from(format!("{name}.toml")))
        });
        Plan::new(args, spec)
    }

    #[test]
    fn flags_win_over_the_spec() {
        let spec = "name = \"from-spec\"\nnum_executors = 5\nexecutor_memory = \"2g\"\n\
                    shell = \"x\"\nconf = { a = \"1\" }\n";
        let plan = plan("--num-executors 3 --conf a=2", Some(("app", spec))).unwrap();
        assert_eq!(plan.executors.count, 3);
        assert_eq!(plan.executors.memory_mb, 2048);
        assert_eq!(plan.name.as_deref(), Some("from-spec"));
        assert!(matches!(plan.what, What::Shell(ref c) if c == "x"));
        let last = plan.overrides.last().cloned();
        assert_eq!(last, Some(("a".to_string(), "2".to_string())));
    }

    #[test]
    fn roles_ask_one_executor_per_instance_and_bad_combinations_are_refused() {
        let spec = "[[role]]\nname = \"a\"\ninstances = 2\ncommand = \"x\"\n\
                    [[role]]\nname = \"b\"\ncommand = \"y\"\n";
        let roles = plan("--num-executors 9", Some(("two", spec))).unwrap();
        assert_eq!(roles.executors.count, 3);
        assert_eq!(roles.default_name(), "two");
        for refused in [
            "",
            "--deploy-mode client --shell x",
            "--deploy-mode client --no-wait -- x",
            "--no-wait -- x",
        ] {
            assert!(plan(refused, None).is_err(), "{refused:?} was accepted");
        }
    }

    #[test]
    fn client_mode_driver_commands_are_checked_here() {
        let me = PathBuf::from("/usr/bin/spindle");
        assert_eq!(
            local_driver_command(&["spindle".into(), "example".into(), "pi".into()], &me).unwrap(),
            "/usr/bin/spindle example pi"
        );
        assert_eq!(
            local_driver_command(&["sh".into(), "-c".into(), "echo a b".into()], &me).unwrap(),
            "sh -c 'echo a b'"
        );
        assert!(local_driver_command(&["./no/such/driver".into()], &me).is_err());
        assert!(local_driver_command(&["no-such-program-anywhere".into()], &me).is_err());
    }

    #[test]
    fn a_drivers_exit_code_is_read_from_its_ending() {
        assert_eq!(driver_exit_code(&Ending::DriverSucceeded), 0);
        assert_eq!(
            driver_exit_code(&Ending::DriverFailed {
                reason: "the driver exited with code 3".into()
            }),
            3
        );
        assert_eq!(
            driver_exit_code(&Ending::DriverFailed {
                reason: "the driver was killed by signal 9".into()
            }),
            137
        );
    }
}
