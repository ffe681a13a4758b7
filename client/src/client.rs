//! [`Client`]: submit an application (stage its files, build the AM's launch context with the
//! application secret, submit), follow it, kill it, list applications, find their logs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use spindle_launcher::spec::check_env_key;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{ResourceProto, YarnApplicationStateProto};
use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;
use spindle_scheduler::auth::AppSecret;

use crate::config::{AM_HEARTBEAT_INTERVAL, ClientConfig};
use crate::error::ClientError;
use crate::launch::{
    AmLaunch, AmWorkload, CONF_LINK, EXECUTOR_RESOURCES_LINK, Executors, SPINDLE_LINK, sh_quote,
};
use crate::logs::{ContainerLogs, local_containers, local_log_dirs, web_containers};
use crate::monitor::{ExecutorCounts, Progress, fetch_executor_counts};
use crate::report::{AppReport, application_id_sent};
use crate::rm::Rm;
use crate::staging::{Kind, Staging, manifest};
use crate::submission::{Submission, check_fits};

/// How long a client-mode driver's address may take to accept a connection.
const DRIVER_CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// Reports that may fail in a row while following before the client gives up.
const MAX_REPORT_FAILURES: u32 = 20;
/// How long a kill may take to complete.
const KILL_TIMEOUT: Duration = Duration::from_secs(60);

/// What the application runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Workload {
    /// A distributed shell: this command (`sh -c`) in as many containers as executors asked.
    Shell {
        /// The command.
        command: String,
    },
    /// Cluster mode: this command (its words) is the driver, in the AM's container. A first
    /// word that is a path to a local file is shipped and run from the container; `spindle`
    /// is the shipped `spindle`; any other word is looked up on the node's `PATH`.
    ClusterDriver {
        /// The command's words.
        argv: Vec<String>,
    },
    /// Client mode: the driver already runs at `host:port` (it must be reachable from here and
    /// from the cluster's nodes) with the application's secret.
    ClientDriver {
        /// Its address.
        url: String,
    },
}

/// The executors' program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecutorProgram {
    /// The shipped `spindle` as `spindle executor`: shell tasks, and the task functions of the
    /// examples built into it.
    Spindle,
    /// A local program, shipped: an application's own binary that registered its task
    /// functions (it reads its identity from the environment).
    Local(PathBuf),
    /// A program installed on every node.
    OnNodes(String),
}

/// Everything a submission needs.
#[derive(Debug, Clone)]
pub struct AppRequest {
    /// The submission context's settings.
    pub submission: Submission,
    /// What runs.
    pub workload: Workload,
    /// The executors' number and size.
    pub executors: Executors,
    /// The executors' program.
    pub executor_program: ExecutorProgram,
    /// Files shipped to every container (`PATH[#LINK]`).
    pub files: Vec<String>,
    /// Archives shipped and unpacked in every container (`PATH[#LINK]`).
    pub archives: Vec<String>,
    /// Environment of the driver and the executors.
    pub env: Vec<(String, String)>,
    /// The `spindle` binary shipped to run the AM (and `spindle executor`).
    pub spindle_binary: PathBuf,
}

impl AppRequest {
    /// A request for `workload` with the default settings (two executors of 1 GiB running the
    /// shipped `spindle executor`, no files), shipping `spindle_binary` as `spindle`.
    pub fn new(workload: Workload, spindle_binary: impl Into<PathBuf>) -> Self {
        AppRequest {
            submission: Submission::default(),
            workload,
            executors: Executors::default(),
            executor_program: ExecutorProgram::Spindle,
            files: Vec::new(),
            archives: Vec::new(),
            env: Vec::new(),
            spindle_binary: spindle_binary.into(),
        }
    }

    /// Checks everything that can be checked on this machine (files exist, names are valid),
    /// before anything is asked of the cluster.
    pub fn check(&self) -> Result<(), ClientError> {
        Programs::resolve(self)?;
        for spec in self.files.iter().chain(&self.archives) {
            let (path, _) = split_link(spec)?;
            local_file(&path, "the file")?;
        }
        for (k, _) in &self.env {
            check_env_key(k).map_err(|e| ClientError::Invalid(e.to_string()))?;
        }
        if let Workload::Shell { command } = &self.workload
            && command.trim().is_empty()
        {
            return Err(ClientError::Invalid("the shell command is empty".into()));
        }
        if self.executors.memory_mb < 1 || self.executors.cores < 1 {
            return Err(ClientError::Invalid(
                "executors need some memory and at least one core".into(),
            ));
        }
        Ok(())
    }
}

/// A new application id, with the cluster's largest container and the application's secret.
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// The id.
    pub id: ApplicationId,
    /// The largest container the cluster allows.
    pub max_resource: ResourceProto,
    /// The application's secret (a client-mode driver starts with it before submission).
    pub secret: AppSecret,
}

/// A submitted application.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// Its id.
    pub id: ApplicationId,
    /// Its staging folder (removed by the AM once the application is final, or by
    /// [`Client::clean_up`]).
    pub staging_dir: PathBuf,
}

/// `PATH[#LINK]` → (path, link); the link defaults to the file's name.
pub fn split_link(spec: &str) -> Result<(PathBuf, String), ClientError> {
    let (path, link) = match spec.rsplit_once('#') {
        Some((p, l)) if !l.is_empty() => (p, l.to_string()),
        _ => (spec, String::new()),
    };
    let path = PathBuf::from(path);
    let link = if link.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| ClientError::Invalid(format!("{spec:?} names no file")))?
    } else {
        link
    };
    Ok((path, link))
}

/// Whether a driver's first word names a local file (it has a `/`), rather than a program on
/// the nodes' `PATH`.
fn is_local_path(word: &str) -> bool {
    word.contains('/')
}

/// The local file `path` names, checked to exist, made absolute.
fn local_file(path: &Path, what: &str) -> Result<PathBuf, ClientError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        ClientError::Invalid(format!("{what} {} cannot be read: {e}", path.display()))
    })?;
    if !meta.is_file() && !meta.is_dir() {
        return Err(ClientError::Invalid(format!(
            "{what} {} is not a file",
            path.display()
        )));
    }
    std::path::absolute(path)
        .map_err(|e| ClientError::Invalid(format!("{what} {}: {e}", path.display())))
}

/// Same file (by canonical path)?
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A link name for a program: its file name, with `-2`, `-3`… when taken.
fn program_link(path: &Path, taken: &[String]) -> String {
    let base: String = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "program".into())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut link = base.clone();
    let mut n = 2;
    while taken.contains(&link) {
        link = format!("{base}-{n}");
        n += 1;
    }
    link
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The programs of a request, resolved: each local one with its link.
#[derive(Debug, Default)]
struct Programs {
    /// (source, link) of every local program to stage.
    staged: Vec<(PathBuf, String)>,
    /// The driver command for `--driver-command` (cluster mode).
    driver_command: Option<String>,
    /// The executors' program and arguments.
    executor: (String, Vec<String>),
}

impl Programs {
    fn link_of(&mut self, source: &Path, spindle: &Path) -> String {
        if same_file(source, spindle) {
            return SPINDLE_LINK.to_string();
        }
        if let Some((_, link)) = self.staged.iter().find(|(p, _)| same_file(p, source)) {
            return link.clone();
        }
        let mut taken: Vec<String> = self.staged.iter().map(|(_, l)| l.clone()).collect();
        taken.push(SPINDLE_LINK.into());
        taken.push(CONF_LINK.into());
        let link = program_link(source, &taken);
        self.staged.push((source.to_path_buf(), link.clone()));
        link
    }

    fn resolve(request: &AppRequest) -> Result<Programs, ClientError> {
        let spindle = local_file(&request.spindle_binary, "the spindle binary")?;
        let mut p = Programs::default();
        if let Workload::ClusterDriver { argv } = &request.workload {
            let (first, rest) = argv.split_first().ok_or_else(|| {
                ClientError::Invalid("the driver command is empty: give it after --".into())
            })?;
            let program = if first == SPINDLE_LINK {
                format!("./{SPINDLE_LINK}")
            } else if is_local_path(first) {
                let path = local_file(Path::new(first), "the driver program")?;
                format!("./{}", p.link_of(&path, &spindle))
            } else {
                first.clone()
            };
            let words: Vec<String> = std::iter::once(program)
                .chain(rest.iter().cloned())
                .map(|w| sh_quote(&w))
                .collect();
            p.driver_command = Some(words.join(" "));
        }
        p.executor = match &request.executor_program {
            ExecutorProgram::Spindle => (format!("./{SPINDLE_LINK}"), vec!["executor".into()]),
            ExecutorProgram::Local(path) => {
                let path = local_file(path, "the executor program")?;
                (format!("./{}", p.link_of(&path, &spindle)), Vec::new())
            }
            ExecutorProgram::OnNodes(path) => (path.clone(), Vec::new()),
        };
        Ok(p)
    }
}

/// The client of one cluster.
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    overrides: Vec<(String, String)>,
    rm: Rm,
}

impl Client {
    /// A client of the cluster `config` names; `overrides` are the `--conf` values already set
    /// on it (they are shipped to the AM with the configuration).
    pub fn new(config: ClientConfig, overrides: Vec<(String, String)>) -> Self {
        let rm = Rm::new(&config.rm_addresses, &config.user, &config.security);
        Client {
            config,
            overrides,
            rm,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The ResourceManager.
    pub fn rm(&self) -> &Rm {
        &self.rm
    }

    /// Asks the ResourceManager for a new application id and makes its secret.
    pub async fn new_application(&self) -> Result<NewApplication, ClientError> {
        let reply = self.rm.new_application().await?;
        let id = application_id_sent(reply.application_id.as_ref(), "getNewApplication")?;
        Ok(NewApplication {
            id,
            max_resource: reply.maximum_capability.unwrap_or_default(),
            secret: AppSecret::generate(id.to_string()),
        })
    }

    /// The Hadoop configuration files shipped to the AM (`__spindle_conf__/`): the site files
    /// this client read, with the `--conf` values added to `yarn-site.xml`.
    fn conf_files(&self) -> Result<Vec<(String, Vec<u8>)>, ClientError> {
        let mut out = Vec::new();
        for name in spindle_conf::SITE_FILES {
            let read = self
                .config
                .conf
                .files()
                .iter()
                .find(|p| p.file_name().is_some_and(|n| n == name));
            let mut text = match read {
                Some(p) => std::fs::read_to_string(p).map_err(|e| {
                    ClientError::Invalid(format!("cannot read {}: {e}", p.display()))
                })?,
                None => "<?xml version=\"1.0\"?>\n<configuration>\n</configuration>\n".into(),
            };
            if name == "yarn-site.xml" && !self.overrides.is_empty() {
                let extra: String = self
                    .overrides
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "  <property><name>{}</name><value>{}</value></property>\n",
                            xml_escape(k),
                            xml_escape(v)
                        )
                    })
                    .collect();
                let at = text.rfind("</configuration>").ok_or_else(|| {
                    ClientError::Invalid(format!(
                        "{name} has no </configuration>: the --conf values cannot be added"
                    ))
                })?;
                text.insert_str(at, &extra);
            }
            out.push((name.to_string(), text.into_bytes()));
        }
        Ok(out)
    }

    /// Stages the request's files, builds the AM's launch context and submits. On any error,
    /// the staged files are removed and nothing is submitted.
    pub async fn submit(
        &self,
        app: &NewApplication,
        request: &AppRequest,
    ) -> Result<Submitted, ClientError> {
        request.check()?;
        let programs = Programs::resolve(request)?;
        check_fits(
            "the ApplicationMaster's",
            request.submission.am_memory_mb,
            i64::from(request.submission.am_vcores),
            &app.max_resource,
        )?;
        check_fits(
            "the executors'",
            request.executors.memory_mb,
            i64::from(request.executors.cores),
            &app.max_resource,
        )?;
        let workload = match &request.workload {
            Workload::Shell { command } => AmWorkload::Shell(command.clone()),
            Workload::ClusterDriver { .. } => {
                AmWorkload::DriverCommand(programs.driver_command.clone().unwrap_or_default())
            }
            Workload::ClientDriver { url } => {
                check_reachable(url).await?;
                AmWorkload::DriverUrl(url.clone())
            }
        };

        let mut staging = Staging::create(&self.config.staging_root, &app.id.to_string())?;
        staging.add_program(&request.spindle_binary, SPINDLE_LINK)?;
        for (source, link) in &programs.staged {
            staging.add_program(source, link)?;
        }
        for (specs, kind) in [
            (&request.files, Kind::File),
            (&request.archives, Kind::Archive),
        ] {
            for spec in specs {
                let (path, link) = split_link(spec)?;
                staging.add(&path, &link, kind)?;
            }
        }
        // Executors get everything staged so far; the configuration and the list itself are
        // the AM's only.
        let executor_resources = manifest(staging.resources());
        staging.add_folder(CONF_LINK, &self.conf_files()?)?;
        staging.add_bytes(EXECUTOR_RESOURCES_LINK, &executor_resources)?;

        let launch = AmLaunch {
            workload,
            executors: request.executors.clone(),
            heartbeat_interval: self
                .config
                .conf
                .get_duration(AM_HEARTBEAT_INTERVAL, Duration::from_millis(1))?,
            executor_program: programs.executor.clone(),
            env: request.env.clone(),
            staging_dir: staging.dir().display().to_string(),
            executor_resources: true,
            log_level: self
                .config
                .conf
                .get_trimmed("spindle.am.log")
                .unwrap_or_else(|| "info".into()),
        };
        let clc = launch.context(staging.resources(), &app.secret);
        let context = request.submission.context(app.id, clc);
        self.rm.submit(context).await?;
        Ok(Submitted {
            id: app.id,
            staging_dir: staging.keep(),
        })
    }

    /// Removes a submitted application's staging folder (once it is final; idempotent).
    pub fn clean_up(&self, submitted: &Submitted) {
        if let Err(e) = crate::staging::remove(&submitted.staging_dir) {
            tracing::warn!(dir = %submitted.staging_dir.display(), "cannot remove the staging folder: {e}");
        }
    }

    /// The application's report.
    pub async fn report(&self, id: ApplicationId) -> Result<AppReport, ClientError> {
        AppReport::from_proto(&self.rm.report(id).await?, "getApplicationReport")
    }

    /// Reads the report every [`ClientConfig::report_interval`] until `done` holds for it or it
    /// is final, showing each on `progress`. Transient errors are retried.
    pub async fn follow_until(
        &self,
        id: ApplicationId,
        progress: &mut Progress,
        done: impl Fn(&AppReport) -> bool,
    ) -> Result<AppReport, ClientError> {
        let mut failures = 0;
        let mut counts: Option<ExecutorCounts> = None;
        let mut counted_at: Option<Instant> = None;
        loop {
            match self.report(id).await {
                Ok(r) => {
                    failures = 0;
                    if r.state == YarnApplicationStateProto::Running
                        && let Some(url) = &r.tracking_url
                        && counted_at.is_none_or(|t| t.elapsed() >= Duration::from_secs(1))
                    {
                        counted_at = Some(Instant::now());
                        counts = fetch_executor_counts(url).await.or(counts);
                    }
                    progress.update(&r, counts.filter(|_| !r.is_final()));
                    if r.is_final() || done(&r) {
                        return Ok(r);
                    }
                }
                Err(e @ ClientError::NotFound(_)) => return Err(e),
                Err(e) => {
                    failures += 1;
                    if failures >= MAX_REPORT_FAILURES {
                        return Err(e);
                    }
                    tracing::warn!("cannot read the report of {id} (will retry): {e}");
                }
            }
            tokio::time::sleep(self.config.report_interval).await;
        }
    }

    /// Follows the application until it is final.
    pub async fn follow(
        &self,
        id: ApplicationId,
        progress: &mut Progress,
    ) -> Result<AppReport, ClientError> {
        self.follow_until(id, progress, |_| false).await
    }

    /// Kills the application (repeating the request until the ResourceManager has done it) and
    /// returns its final report. Killing a final application changes nothing.
    pub async fn kill(&self, id: ApplicationId, why: &str) -> Result<AppReport, ClientError> {
        let deadline = Instant::now() + KILL_TIMEOUT;
        loop {
            let report = self.report(id).await?;
            if report.is_final() {
                return Ok(report);
            }
            let done = self.rm.kill(id, why).await?;
            if done {
                let report = self.report(id).await?;
                if report.is_final() {
                    return Ok(report);
                }
            }
            if Instant::now() >= deadline {
                return Err(ClientError::Invalid(format!(
                    "{id} was not killed within {KILL_TIMEOUT:?}"
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Applications the ResourceManager knows, newest first; only running ones (NEW to
    /// RUNNING) unless `all`.
    pub async fn list(&self, all: bool) -> Result<Vec<AppReport>, ClientError> {
        use YarnApplicationStateProto as S;
        let states = if all {
            Vec::new()
        } else {
            [S::New, S::NewSaving, S::Submitted, S::Accepted, S::Running]
                .iter()
                .map(|s| *s as i32)
                .collect()
        };
        let request = GetApplicationsRequestProto {
            application_states: states,
            ..GetApplicationsRequestProto::default()
        };
        let mut reports = self
            .rm
            .applications(request)
            .await?
            .iter()
            .map(|r| AppReport::from_proto(r, "getApplications"))
            .collect::<Result<Vec<_>, _>>()?;
        reports.sort_by_key(|r| std::cmp::Reverse(r.id));
        Ok(reports)
    }

    /// Where application `id`'s container logs are: the NodeManagers' log folders on this
    /// machine when it has them, else the NodeManagers' web APIs for the containers the
    /// ResourceManager still lists.
    pub async fn logs(&self, id: ApplicationId) -> Result<Vec<ContainerLogs>, ClientError> {
        let local = local_containers(&local_log_dirs(&self.config.conf), id);
        if !local.is_empty() {
            return Ok(local);
        }
        // Known to the RM at all? (A typo in the id should say so.)
        self.report(id).await?;
        let mut pairs = Vec::new();
        for attempt in self.rm.attempts(id).await? {
            let Some(attempt_id) = attempt
                .application_attempt_id
                .as_ref()
                .and_then(|a| spindle_protocol::ids::ApplicationAttemptId::from_proto(a).ok())
            else {
                continue;
            };
            match self.rm.containers(attempt_id).await {
                Ok(containers) => {
                    for c in containers {
                        let cid = c
                            .container_id
                            .as_ref()
                            .and_then(|c| spindle_protocol::ids::ContainerId::from_proto(c).ok());
                        if let (Some(cid), Some(addr)) = (cid, c.node_http_address) {
                            pairs.push((cid.to_string(), addr));
                        }
                    }
                }
                Err(e) => tracing::debug!("no container list for {attempt_id}: {e}"),
            }
        }
        let web = web_containers(pairs);
        if web.is_empty() {
            return Err(ClientError::Logs {
                what: id.to_string(),
                detail: "no container logs were found: the NodeManagers' log folders \
                         (yarn.nodemanager.log-dirs) are not on this machine and the \
                         ResourceManager lists no container of it (its containers are gone; \
                         Spindle does not read aggregated logs)"
                    .into(),
            });
        }
        Ok(web)
    }
}

/// Checks that a client-mode driver's address accepts connections from here.
pub async fn check_reachable(url: &str) -> Result<(), ClientError> {
    let unreachable = |why: String| {
        ClientError::Invalid(format!(
            "the driver address {url} cannot be reached from here ({why}); a client-mode driver \
             must be reachable from this machine and from every node of the cluster: set the \
             address it announces with --conf spindle.driver.host=HOST"
        ))
    };
    match tokio::time::timeout(DRIVER_CHECK_TIMEOUT, tokio::net::TcpStream::connect(url)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(e.to_string())),
        Err(_) => Err(unreachable(format!(
            "no answer within {DRIVER_CHECK_TIMEOUT:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_default_to_the_file_name() {
        assert_eq!(
            split_link("data/a.txt").unwrap(),
            (PathBuf::from("data/a.txt"), "a.txt".to_string())
        );
        assert_eq!(
            split_link("data/a.txt#b.txt").unwrap(),
            (PathBuf::from("data/a.txt"), "b.txt".to_string())
        );
        assert!(split_link("/").is_err());
    }

    #[test]
    fn program_links_avoid_taken_names() {
        let taken = vec!["pi".to_string(), "pi-2".to_string()];
        assert_eq!(program_link(Path::new("/x/pi"), &taken), "pi-3");
        assert_eq!(program_link(Path::new("/x/my prog"), &[]), "my_prog");
    }

    #[tokio::test]
    async fn an_unreachable_driver_is_named_with_the_fix() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap().to_string();
        assert!(check_reachable(&addr).await.is_ok());
        drop(l);
        let e = check_reachable(&addr).await.unwrap_err().to_string();
        assert!(
            e.contains(&addr) && e.contains("spindle.driver.host"),
            "{e}"
        );
    }
}
