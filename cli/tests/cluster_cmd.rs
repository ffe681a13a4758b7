//! `spindle cluster` as a user runs it: the built binary in a child process, its printed
//! addresses checked against the conf dir and a live cluster, a container running when SIGTERM
//! arrives, and refusals of bad flags.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::client::ApplicationClient;

/// Upper bound of every wait.
const WAIT: Duration = Duration::from_secs(60);

/// A running `spindle` child: killed on drop, its stdout read line by line on a thread.
struct Spindle {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: Option<std::process::ChildStderr>,
}

impl Spindle {
    fn start(args: &[&str]) -> Spindle {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spindle"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn spindle");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(l) => {
                        if tx.send(l).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        });
        Spindle {
            child,
            lines,
            stderr,
        }
    }

    /// Reads the `key=value` block up to and including `HADOOP_CONF_DIR=`.
    fn facts(&mut self) -> BTreeMap<String, String> {
        let deadline = Instant::now() + WAIT;
        let mut facts = BTreeMap::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = match self.lines.recv_timeout(left) {
                Ok(l) => l,
                Err(e) => panic!(
                    "no HADOOP_CONF_DIR= line ({e:?}); got {facts:?}; stderr: {}",
                    self.stderr_text()
                ),
            };
            let (k, v) = line
                .split_once('=')
                .unwrap_or_else(|| panic!("not a key=value line: {line:?}"));
            facts.insert(k.to_string(), v.to_string());
            if k == "HADOOP_CONF_DIR" {
                return facts;
            }
        }
    }

    fn signal(&self, signal: Signal) {
        kill(Pid::from_raw(self.child.id() as i32), signal).expect("send signal");
    }

    /// Waits for the exit (bounded).
    fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "spindle did not exit in {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Standard error; only meaningful once the child exited (or it blocks until it does).
    fn stderr_text(&mut self) -> String {
        let mut text = String::new();
        if self.child.try_wait().ok().flatten().is_some()
            && let Some(mut e) = self.stderr.take()
        {
            let _ = e.read_to_string(&mut text);
        }
        text
    }
}

impl Drop for Spindle {
    /// A failed test still stops the cluster: SIGTERM first (so it removes its folder and
    /// containers), SIGKILL if it has not exited within a few seconds.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(5);
            while let Ok(None) = self.child.try_wait() {
                if Instant::now() >= deadline {
                    let _ = self.child.kill();
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.wait();
    }
}

/// Whether `pid` is a live (not zombie) process.
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .map(|(_, rest)| !rest.trim_start().starts_with('Z'))
            .unwrap_or(false),
        Err(_) => false,
    }
}

fn wait_for_file(path: &Path) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Submits an application whose AM container starts `sleep 600` in the background and writes
/// that sleep's pid to `dir/sleep.pid`.
async fn submit_sleeper(client: &ApplicationClient, dir: &Path) -> ApplicationId {
    let new = client
        .get_new_application()
        .await
        .expect("getNewApplication");
    let id = ApplicationId::from_proto(new.application_id.as_ref().expect("id")).expect("id");
    let d = dir.display();
    std::fs::write(
        dir.join("am.sh"),
        format!(
            "#!/bin/bash\nsleep 600 &\necho $! > {d}/sleep.pid.tmp\nmv {d}/sleep.pid.tmp {d}/sleep.pid\nwait\n"
        ),
    )
    .expect("write am.sh");
    let clc = ContainerLaunchContextProto {
        command: vec![
            "/bin/bash".into(),
            dir.join("am.sh").to_string_lossy().into_owned(),
            "1><LOG_DIR>/stdout".into(),
            "2><LOG_DIR>/stderr".into(),
        ],
        ..Default::default()
    };
    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(ApplicationSubmissionContextProto {
                application_id: Some(id.to_proto()),
                application_name: Some("cli-sleeper".into()),
                queue: Some("default".into()),
                resource: Some(ResourceProto::new(256, 1)),
                am_container_spec: Some(clc),
                application_type: Some("SPINDLE-TEST".into()),
                ..Default::default()
            }),
        })
        .await
        .expect("submitApplication");
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_prints_its_conf_serves_clients_and_stops_on_sigterm() {
    let mut spindle = Spindle::start(&["cluster", "--nodes", "2", "--node-memory", "2g"]);
    let facts = spindle.facts();

    let conf_dir = PathBuf::from(&facts["HADOOP_CONF_DIR"]);
    let base_dir = PathBuf::from(&facts["SPINDLE_CLUSTER_DIR"]);
    assert!(conf_dir.starts_with(&base_dir), "{facts:?}");
    assert!(base_dir.starts_with(std::env::temp_dir()), "{facts:?}");
    let yarn_site = std::fs::read_to_string(conf_dir.join("yarn-site.xml")).expect("yarn-site.xml");
    for key in [
        "yarn.resourcemanager.address",
        "yarn.resourcemanager.scheduler.address",
        "yarn.resourcemanager.webapp.address",
    ] {
        let addr = &facts[key];
        assert!(
            yarn_site.contains(&format!("<value>{addr}</value>")),
            "yarn-site.xml does not name {key}={addr}:\n{yarn_site}"
        );
    }
    assert!(facts.contains_key("nodemanager.0.address"));
    assert!(facts.contains_key("nodemanager.1.address"));
    assert!(!facts.contains_key("nodemanager.2.address"));
    assert_eq!(facts["nodemanager.1.rack"], "/default-rack");

    let client =
        ApplicationClient::simple(facts["yarn.resourcemanager.address"].clone(), "spindle");
    let metrics = tokio::time::timeout(WAIT, client.get_cluster_metrics())
        .await
        .expect("getClusterMetrics in time")
        .expect("getClusterMetrics");
    assert_eq!(metrics.cluster_metrics.unwrap().num_active_nms, Some(2));
    let nodes = tokio::time::timeout(
        WAIT,
        client.get_cluster_nodes(&GetClusterNodesRequestProto::default()),
    )
    .await
    .expect("getClusterNodes in time")
    .expect("getClusterNodes");
    let mut reported: Vec<String> = nodes
        .node_reports
        .iter()
        .map(|r| {
            let id = r.node_id.as_ref().expect("node id");
            format!("{}:{}", id.host(), id.port())
        })
        .collect();
    reported.sort();
    let mut printed = vec![
        facts["nodemanager.0.address"].clone(),
        facts["nodemanager.1.address"].clone(),
    ];
    printed.sort();
    assert_eq!(reported, printed);
    for r in &nodes.node_reports {
        assert_eq!(r.capability.as_ref().unwrap().memory, Some(2048));
    }

    // A container is running when SIGTERM arrives: it must not outlive the cluster.
    let work = tempfile::tempdir().expect("tempdir");
    tokio::time::timeout(WAIT, submit_sleeper(&client, work.path()))
        .await
        .expect("submit in time");
    let sleep_pid: i32 = tokio::task::spawn_blocking({
        let path = work.path().join("sleep.pid");
        move || wait_for_file(&path)
    })
    .await
    .unwrap()
    .trim()
    .parse()
    .expect("pid");
    assert!(alive(sleep_pid));

    spindle.signal(Signal::SIGTERM);
    let status = tokio::task::spawn_blocking(move || {
        let status = spindle.wait();
        let stderr = spindle.stderr_text();
        (status, stderr)
    })
    .await
    .unwrap();
    assert!(
        status.0.success(),
        "exit {:?}; stderr: {}",
        status.0,
        status.1
    );
    assert!(status.1.contains("SIGTERM received"), "{}", status.1);
    assert!(
        status
            .1
            .contains(&format!("export HADOOP_CONF_DIR={}", conf_dir.display())),
        "{}",
        status.1
    );
    assert!(
        !alive(sleep_pid),
        "container process {sleep_pid} outlived the cluster"
    );
    assert!(!base_dir.exists(), "{} was not deleted", base_dir.display());
}

#[test]
fn sigint_stops_and_a_chosen_base_dir_is_kept() {
    let base = tempfile::tempdir().expect("tempdir");
    let dir = base.path().join("my-cluster");
    let mut spindle = Spindle::start(&[
        "cluster",
        "--nodes",
        "3",
        "--node-memory",
        "1024",
        "--node-vcores",
        "2",
        "--rack",
        "/r1,/r2",
        "--base-dir",
        dir.to_str().unwrap(),
    ]);
    let facts = spindle.facts();
    assert_eq!(PathBuf::from(&facts["SPINDLE_CLUSTER_DIR"]), dir);
    assert_eq!(PathBuf::from(&facts["HADOOP_CONF_DIR"]), dir.join("conf"));
    assert_eq!(facts["nodemanager.0.rack"], "/r1");
    assert_eq!(facts["nodemanager.1.rack"], "/r2");
    assert_eq!(facts["nodemanager.2.rack"], "/r1");
    spindle.signal(Signal::SIGINT);
    let status = spindle.wait();
    assert!(status.success(), "{status:?}: {}", spindle.stderr_text());
    assert!(dir.join("conf").join("yarn-site.xml").exists());
}

#[test]
fn keep_keeps_the_temporary_base_dir() {
    let mut spindle = Spindle::start(&["cluster", "--nodes", "1", "--keep"]);
    let facts = spindle.facts();
    let dir = PathBuf::from(&facts["SPINDLE_CLUSTER_DIR"]);
    spindle.signal(Signal::SIGTERM);
    let status = spindle.wait();
    assert!(status.success(), "{status:?}: {}", spindle.stderr_text());
    assert!(dir.join("conf").join("yarn-site.xml").exists());
    std::fs::remove_dir_all(&dir).expect("clean up the kept dir");
}

#[test]
fn a_bad_memory_size_is_refused_with_a_helpful_message() {
    let mut spindle = Spindle::start(&["cluster", "--node-memory", "eight gigs"]);
    let status = spindle.wait();
    assert!(!status.success());
    assert_eq!(status.code(), Some(2));
    let stderr = spindle.stderr_text();
    assert!(stderr.contains("--node-memory"), "{stderr}");
    assert!(
        stderr.contains("'eight gigs' is not a memory size"),
        "{stderr}"
    );
    assert!(stderr.contains("4g"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_taken_port_is_reported_with_what_to_do() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().unwrap().port().to_string();
    let mut spindle = Spindle::start(&["cluster", "--nodes", "1", "--rm-port", &port]);
    let status = spindle.wait();
    assert_eq!(status.code(), Some(1));
    let stderr = spindle.stderr_text();
    assert!(
        stderr.contains("cannot start the embedded cluster"),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(
        stderr.contains("hint:") && stderr.contains("--rm-port"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unusable_base_dir_is_reported_with_what_to_do() {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    let dir = file.path().join("cluster");
    let mut spindle = Spindle::start(&["cluster", "--base-dir", dir.to_str().unwrap()]);
    let status = spindle.wait();
    assert_eq!(status.code(), Some(1));
    let stderr = spindle.stderr_text();
    assert!(
        stderr.contains(&format!("cannot create the base dir {}", dir.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint:") && stderr.contains("--base-dir"),
        "{stderr}"
    );
}
