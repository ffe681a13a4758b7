//! Helpers of the end-to-end tests: an embedded cluster, applications whose AM is `spindle am`
//! ([`Am`] says how it is started, [`App`] follows the application), and the containers' logs
//! and processes.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{
    ApplicationReportProto, ApplicationSubmissionContextProto, ContainerLaunchContextProto,
    FinalApplicationStatusProto, ResourceProto, YarnApplicationStateProto,
};
use spindle_protocol::proto::yarn_service::{
    GetApplicationReportRequestProto, SubmitApplicationRequestProto,
};
use spindle_protocol::yarn::client::ApplicationClient;

/// The user every test submits as.
pub const USER: &str = "spindle";
/// Upper bound of every wait.
pub const WAIT: Duration = Duration::from_secs(60);

/// A cluster of `nodes` nodes of 4 GiB and 8 vcores with a fast liveness clock.
pub async fn cluster(nodes: usize) -> MiniCluster {
    cluster_with(nodes, |_| {}).await
}

/// The same, with more options changed.
pub async fn cluster_with(
    nodes: usize,
    change: impl FnOnce(&mut MiniClusterOptions),
) -> MiniCluster {
    let mut o = MiniClusterOptions::with_nodes(nodes, 4096, 8);
    o.monitor_interval = Duration::from_millis(100);
    change(&mut o);
    MiniCluster::start(o).await.expect("start the mini cluster")
}

/// A client of the cluster's ResourceManager.
pub fn client(cluster: &MiniCluster) -> ApplicationClient {
    ApplicationClient::simple(cluster.rm_address().to_string(), USER)
}

/// How `spindle am` is started: its flags (executors of 128 MB unless said otherwise) and the
/// AM container's environment and credentials.
#[derive(Clone, Default)]
pub struct Am {
    flags: Vec<String>,
    env: Vec<(String, String)>,
    credentials: Option<Credentials>,
}

impl Am {
    /// A distributed shell of `count` containers of `command`.
    pub fn shell(command: &str, count: u32) -> Am {
        Am::default()
            .flag("--shell", command)
            .flag("--num-executors", &count.to_string())
    }

    /// One more flag with its value.
    pub fn flag(mut self, name: &str, value: &str) -> Am {
        self.flags.push(name.to_string());
        self.flags.push(value.to_string());
        self
    }

    /// A variable in the AM container's environment.
    pub fn env(mut self, key: &str, value: &str) -> Am {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Credentials for the AM container (the RM adds the AMRMToken).
    pub fn credentials(mut self, credentials: Credentials) -> Am {
        self.credentials = Some(credentials);
        self
    }

    /// Marks the AM and its executors with `SPINDLE_TEST_MARK=<unique>` in their environment,
    /// so a test can find their processes; returns the marker.
    pub fn marked(self, unique: &str) -> (Am, String) {
        let marker = format!("SPINDLE_TEST_MARK={unique}");
        let am = self.env("SPINDLE_TEST_MARK", unique).flag("--env", &marker);
        (am, marker)
    }

    /// The AM's launch context: `spindle am` with these flags (each quoted for the launch
    /// script), logging at info.
    pub fn context(&self) -> ContainerLaunchContextProto {
        let mut command = vec![env!("CARGO_BIN_EXE_spindle").to_string(), "am".to_string()];
        let memory = ["--executor-memory".to_string(), "128m".to_string()];
        let defaults = if self.flags.iter().any(|f| f == "--executor-memory") {
            &[][..]
        } else {
            &memory[..]
        };
        command.extend(
            self.flags
                .iter()
                .chain(defaults)
                .map(|f| format!("'{}'", f.replace('\'', r"'\''"))),
        );
        command.push("1><LOG_DIR>/stdout".into());
        command.push("2><LOG_DIR>/stderr".into());
        let mut clc = ContainerLaunchContextProto {
            command,
            ..Default::default()
        };
        clc.add_env("SPINDLE_LOG", "info");
        for (k, v) in &self.env {
            clc.add_env(k, v);
        }
        if let Some(c) = &self.credentials {
            clc.set_credentials(c);
        }
        clc
    }
}

/// An application on a test cluster.
pub struct App<'a> {
    /// The cluster.
    pub cluster: &'a MiniCluster,
    /// A client of its RM.
    pub client: ApplicationClient,
    /// The application.
    pub id: ApplicationId,
}

impl<'a> App<'a> {
    /// A new application id (not submitted yet).
    pub async fn new(cluster: &'a MiniCluster) -> App<'a> {
        let client = client(cluster);
        let r = client
            .get_new_application()
            .await
            .expect("getNewApplication");
        let id = ApplicationId::from_proto(r.application_id.as_ref().expect("id")).expect("id");
        App {
            cluster,
            client,
            id,
        }
    }

    /// Submits an application run by `am`, with one attempt.
    pub async fn submit(cluster: &'a MiniCluster, name: &str, am: &Am) -> App<'a> {
        App::submit_with(cluster, name, am, |_| {}).await
    }

    /// The same, with more of the submission context changed.
    pub async fn submit_with(
        cluster: &'a MiniCluster,
        name: &str,
        am: &Am,
        change: impl FnOnce(&mut ApplicationSubmissionContextProto),
    ) -> App<'a> {
        let app = App::new(cluster).await;
        app.submit_as(name, am.context(), change).await;
        app
    }

    /// Submits this application, run by `am`, with one attempt.
    pub async fn start(&self, name: &str, am: &Am) {
        self.submit_as(name, am.context(), |_| {}).await;
    }

    async fn submit_as(
        &self,
        name: &str,
        clc: ContainerLaunchContextProto,
        change: impl FnOnce(&mut ApplicationSubmissionContextProto),
    ) {
        let mut context = ApplicationSubmissionContextProto {
            application_id: Some(self.id.to_proto()),
            application_name: Some(name.into()),
            queue: Some("default".into()),
            resource: Some(ResourceProto::new(256, 1)),
            am_container_spec: Some(clc),
            application_type: Some("SPINDLE".into()),
            max_app_attempts: Some(1),
            ..Default::default()
        };
        change(&mut context);
        self.client
            .submit_application(&SubmitApplicationRequestProto {
                application_submission_context: Some(context),
            })
            .await
            .expect("submitApplication");
    }

    /// The application's report. A call on a connection the RM closed (it was restarted) fails
    /// in transport; it is repeated, as Hadoop's RM proxy repeats such calls.
    pub async fn report(&self) -> ApplicationReportProto {
        let request = GetApplicationReportRequestProto {
            application_id: Some(self.id.to_proto()),
        };
        let mut attempts = 0;
        loop {
            match self.client.get_application_report(&request).await {
                Ok(r) => return r.application_report.expect("report"),
                Err(e) if e.is_transport() && attempts < 3 => attempts += 1,
                Err(e) => panic!("getApplicationReport: {e:?}"),
            }
        }
    }

    /// Polls the report until `done` holds (or panics after [`WAIT`] naming `what`).
    pub async fn wait_for(
        &self,
        what: &str,
        done: impl Fn(&ApplicationReportProto) -> bool,
    ) -> ApplicationReportProto {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let r = self.report().await;
            if done(&r) {
                return r;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} never got {what}: {r:?}\n{}",
                self.id,
                self.logs()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the application is RUNNING.
    pub async fn running(&self) -> ApplicationReportProto {
        self.wait_for("RUNNING", |r| {
            r.yarn_application_state() == YarnApplicationStateProto::Running
        })
        .await
    }

    /// Waits until the application is FINISHED, FAILED or KILLED.
    pub async fn finished(&self) -> ApplicationReportProto {
        self.wait_for("a final state", |r| {
            matches!(
                r.yarn_application_state(),
                YarnApplicationStateProto::Finished
                    | YarnApplicationStateProto::Failed
                    | YarnApplicationStateProto::Killed
            )
        })
        .await
    }

    /// Waits until the application ends and checks its final status is `want`; returns the
    /// report's diagnostics and the AM's logs.
    pub async fn ends(&self, want: FinalApplicationStatusProto) -> (String, String) {
        let r = self.finished().await;
        let logs = self.logs();
        assert_eq!(r.final_application_status(), want, "{r:?}\n{logs}");
        (r.diagnostics.unwrap_or_default(), logs)
    }

    /// Waits until the application ends FAILED with `diagnostic` in its report's diagnostics;
    /// returns the AM's logs.
    pub async fn fails_with(&self, diagnostic: &str) -> String {
        let (diagnostics, logs) = self.ends(FinalApplicationStatusProto::AppFailed).await;
        assert!(
            diagnostics.contains(diagnostic),
            "{diagnostic:?} missing: {diagnostics}\n{logs}"
        );
        logs
    }

    /// Waits until the application is KILLED and every process carrying `marker` is gone.
    pub async fn killed_and_gone(&self, marker: &str) {
        let r = self.finished().await;
        assert_eq!(
            r.yarn_application_state(),
            YarnApplicationStateProto::Killed,
            "{r:?}"
        );
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while !processes_with(marker).is_empty() {
            assert!(
                tokio::time::Instant::now() < deadline,
                "processes of the killed application remain: {:?}",
                processes_with(marker)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Every container log folder of the application, sorted.
    pub fn containers(&self) -> Vec<PathBuf> {
        container_logs(self.cluster.base_dir(), self.id)
    }

    /// The stderr of every AM container (all attempts; a later attempt's AM container is not
    /// always `…_000001`).
    pub fn logs(&self) -> String {
        self.containers()
            .iter()
            .filter(|p| is_am(p))
            .map(|p| format!("--- {}\n{}", p.display(), read(&p.join("stderr"))))
            .collect()
    }

    /// The stdout of every container, AMs included.
    pub fn stdouts(&self) -> String {
        self.containers()
            .iter()
            .map(|p| read(&p.join("stdout")))
            .collect()
    }

    /// The names of the executor containers (not AMs') whose stdout contains `text`.
    pub fn executors_saying(&self, text: &str) -> Vec<String> {
        self.containers()
            .iter()
            .filter(|p| !is_am(p) && read(&p.join("stdout")).contains(text))
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }
}

fn is_am(container: &Path) -> bool {
    container.to_string_lossy().ends_with("000001")
        || read(&container.join("stderr")).contains("ApplicationMaster starting")
}

/// Every container log folder of `id` under the cluster's base folder, sorted.
pub fn container_logs(base: &Path, id: ApplicationId) -> Vec<PathBuf> {
    let app_part = id.to_string().replacen("application_", "", 1);
    let mut out = Vec::new();
    let mut stack = vec![base.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if !p.is_dir() {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("container_")
                && name.contains(&app_part)
                && dir.to_string_lossy().contains("log")
            {
                out.push(p);
            } else {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A file's text ("" when missing).
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// Processes of this user whose environment holds `marker` (`KEY=VALUE`).
pub fn processes_with(marker: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let me = std::process::id() as i32;
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .map(|env| env.split(|b| *b == 0).any(|kv| kv == marker.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}

/// Waits until at least `n` processes carry `marker`.
pub async fn wait_processes(marker: &str, n: usize, app: &App<'_>) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while processes_with(marker).len() < n {
        assert!(
            tokio::time::Instant::now() < deadline,
            "fewer than {n} processes ever ran\n{}",
            app.logs()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A marker unique to this test run and cluster.
pub fn unique(cluster: &MiniCluster, tag: &str) -> String {
    format!(
        "{tag}-{}-{}",
        std::process::id(),
        cluster.cluster_timestamp()
    )
}
