//! Helpers shared by the mini cluster's socket-level tests and benches: a shell-script AM whose
//! tokens and environment the test reads, unmanaged AMs, bounded waits, and small wrappers
//! around our typed clients.
#![allow(dead_code)]

pub mod http;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::ipc::{ClientAuth, ClientConfig, RetryPolicy};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::{KIND_AMRM_TOKEN, Token};
use spindle_protocol::yarn::YarnError;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::client::ApplicationClient;

/// The user every test submits as.
pub const USER: &str = "spindle";

/// Upper bound of every wait in these tests.
pub const WAIT: Duration = Duration::from_secs(30);

/// A cluster of `nodes` nodes with 2 GiB / 4 vcores each and a fast liveness clock.
pub async fn cluster(nodes: usize) -> MiniCluster {
    let mut o = MiniClusterOptions::with_nodes(nodes, 2048, 4);
    o.monitor_interval = Duration::from_millis(100);
    MiniCluster::start(o).await.expect("start the mini cluster")
}

/// The runtime the benches drive the cluster with: two workers, like the tests.
pub fn bench_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// An ApplicationClient for the cluster.
pub fn client(c: &MiniCluster) -> ApplicationClient {
    ApplicationClient::simple(c.rm_address().to_string(), USER)
}

/// A fresh application id.
pub async fn new_app(client: &ApplicationClient) -> ApplicationId {
    let r = client
        .get_new_application()
        .await
        .expect("getNewApplication");
    ApplicationId::from_proto(r.application_id.as_ref().expect("id")).expect("valid id")
}

/// The report of `id`.
pub async fn report(client: &ApplicationClient, id: ApplicationId) -> ApplicationReportProto {
    client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(id.to_proto()),
        })
        .await
        .expect("getApplicationReport")
        .application_report
        .expect("report")
}

/// Submits `submission`.
async fn submit(client: &ApplicationClient, submission: ApplicationSubmissionContextProto) {
    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(submission),
        })
        .await
        .expect("submitApplication");
}

/// Submits the script AM of a fresh [`ScriptAm`] as application `name`.
pub async fn submit_script_am(client: &ApplicationClient, name: &str) -> (ApplicationId, ScriptAm) {
    let id = new_app(client).await;
    let am = ScriptAm::new();
    submit(client, am.submission(id, name)).await;
    (id, am)
}

/// Submits an unmanaged-AM application and returns its id and AMRMToken (from the report, as
/// YARN hands it to unmanaged AMs).
pub async fn submit_unmanaged(client: &ApplicationClient) -> (ApplicationId, Token) {
    let id = new_app(client).await;
    let submission = ApplicationSubmissionContextProto {
        application_id: Some(id.to_proto()),
        application_name: Some("uam".into()),
        unmanaged_am: Some(true),
        ..Default::default()
    };
    submit(client, submission).await;
    let r = report(client, id).await;
    assert!(r.unmanaged_application());
    let t = Token::from_proto(
        r.am_rm_token
            .as_ref()
            .expect("unmanaged AMs get their AMRMToken in the report"),
    );
    (id, t)
}

/// Polls `done` every 20 ms until it holds; panics naming `what` after [`WAIT`].
pub async fn wait_until<F: Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !done().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until process `pid` has gone; panics with `what` after [`WAIT`].
pub async fn wait_gone(pid: i32, what: &str) {
    wait_until(what, || std::future::ready(!alive(pid))).await;
}

/// A kill request for `id` without diagnostics.
pub fn kill_request(id: ApplicationId) -> KillApplicationRequestProto {
    KillApplicationRequestProto {
        application_id: Some(id.to_proto()),
        diagnostics: None,
    }
}

/// Polls until the application reaches `want` (or panics after [`WAIT`]).
pub async fn wait_state(
    client: &ApplicationClient,
    id: ApplicationId,
    want: YarnApplicationStateProto,
) -> ApplicationReportProto {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let r = report(client, id).await;
        if r.yarn_application_state() == want {
            return r;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{id} never reached {want:?}: {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A shell-script AM: it copies its tokens file and environment into `dir`, then waits for
/// `dir/am.exit`, takes it (so each exit order is obeyed by exactly one attempt) and exits with
/// the code written there. The test acts as the AM's brain.
pub struct ScriptAm {
    /// Where the script reports and waits.
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl ScriptAm {
    /// Writes the script.
    pub fn new() -> ScriptAm {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_path_buf();
        std::fs::write(
            dir.join("am.sh"),
            r#"#!/bin/bash
set -e
out="$1"
echo $$ > "$out/am.pid.tmp"; mv "$out/am.pid.tmp" "$out/am.pid"
cp "$HADOOP_TOKEN_FILE_LOCATION" "$out/am.tokens.tmp"; mv "$out/am.tokens.tmp" "$out/am.tokens"
env > "$out/am.env.tmp"; mv "$out/am.env.tmp" "$out/am.env"
for i in $(seq 1 1200); do
  # Take the exit order atomically, so a later attempt never reads an order meant for this one.
  if mv "$out/am.exit" "$out/am.exit.$$" 2>/dev/null; then code=$(cat "$out/am.exit.$$"); rm -f "$out/am.env" "$out/am.tokens" "$out/am.exit.$$"; exit "$code"; fi
  sleep 0.05
done
exit 99
"#,
        )
        .expect("write am.sh");
        ScriptAm { dir, _tmp: tmp }
    }

    /// The launch context that runs the script.
    pub fn launch_context(&self) -> ContainerLaunchContextProto {
        let mut clc = ContainerLaunchContextProto {
            command: vec![
                "/bin/bash".into(),
                self.dir.join("am.sh").to_string_lossy().into_owned(),
                self.dir.to_string_lossy().into_owned(),
                "1><LOG_DIR>/stdout".into(),
                "2><LOG_DIR>/stderr".into(),
            ],
            ..Default::default()
        };
        clc.add_env("SPINDLE_TEST_AM", "1");
        clc
    }

    /// A submission of this AM as application `id`.
    pub fn submission(&self, id: ApplicationId, name: &str) -> ApplicationSubmissionContextProto {
        ApplicationSubmissionContextProto {
            application_id: Some(id.to_proto()),
            application_name: Some(name.into()),
            queue: Some("default".into()),
            resource: Some(ResourceProto::new(256, 1)),
            am_container_spec: Some(self.launch_context()),
            application_type: Some("SPINDLE-TEST".into()),
            ..Default::default()
        }
    }

    /// Waits until the running AM reported; returns its environment and its AMRMToken.
    pub async fn wait_started(&self) -> (Vec<(String, String)>, Token) {
        let env_path = self.dir.join("am.env");
        wait_until("the AM script to start", || {
            std::future::ready(env_path.exists())
        })
        .await;
        let env = std::fs::read_to_string(&env_path)
            .expect("am.env")
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let creds = Credentials::read_file(self.dir.join("am.tokens")).expect("tokens file");
        let token = creds
            .token_by_kind(KIND_AMRM_TOKEN)
            .expect("AMRMToken in container_tokens")
            .clone();
        (env, token)
    }

    /// The AM process's pid.
    pub fn pid(&self) -> i32 {
        std::fs::read_to_string(self.dir.join("am.pid"))
            .expect("am.pid")
            .trim()
            .parse()
            .expect("pid")
    }

    /// Tells the AM script to exit with `code`.
    pub fn exit(&self, code: i32) {
        // Written aside and renamed, so the script never reads a half-written order.
        let tmp = self.dir.join("am.exit.tmp");
        std::fs::write(&tmp, code.to_string()).expect("write am.exit.tmp");
        std::fs::rename(&tmp, self.dir.join("am.exit")).expect("rename am.exit");
    }

    /// Forgets the previous run (for the next attempt).
    pub fn reset(&self) {
        for f in ["am.exit", "am.env", "am.tokens", "am.pid"] {
            let _ = std::fs::remove_file(self.dir.join(f));
        }
    }
}

/// The value of `key` in an environment dump.
pub fn env_of<'a>(env: &'a [(String, String)], key: &str) -> Option<&'a str> {
    env.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// An AM client for attempt token `token`.
pub fn am_client(c: &MiniCluster, token: &Token) -> AmRmClient {
    let attempt = token.amrm_identifier().expect("AMRM identifier").attempt_id;
    AmRmClient::with_token(
        c.scheduler_address().to_string(),
        token,
        attempt.to_string(),
    )
}

/// The attempt of an AMRMToken.
pub fn attempt_of(token: &Token) -> ApplicationAttemptId {
    token.amrm_identifier().expect("AMRM identifier").attempt_id
}

/// A register request.
pub fn register_request() -> RegisterApplicationMasterRequestProto {
    RegisterApplicationMasterRequestProto {
        host: Some("127.0.0.1".into()),
        rpc_port: Some(4242),
        tracking_url: Some("http://127.0.0.1:4243/ui".into()),
        ..Default::default()
    }
}

/// An allocate request with these asks.
pub fn allocate_request(response_id: i32, ask: Vec<ResourceRequestProto>) -> AllocateRequestProto {
    AllocateRequestProto {
        ask,
        response_id: Some(response_id),
        progress: Some(0.5),
        ..Default::default()
    }
}

/// An ask for `n` containers of `mb` MB and one vcore anywhere, at priority 1.
pub fn ask_anywhere(mb: i64, n: i32) -> ResourceRequestProto {
    ResourceRequestProto::new(1, "*", ResourceProto::new(mb, 1), n, 0)
}

/// A request starting one container with `clc` and `container`'s token.
pub fn start_request(
    clc: ContainerLaunchContextProto,
    container: &ContainerProto,
) -> StartContainersRequestProto {
    StartContainersRequestProto {
        start_container_request: vec![StartContainerRequestProto {
            container_launch_context: Some(clc),
            container_token: container.container_token.clone(),
        }],
    }
}

/// A client configuration for `protocol` at `address` that does not retry (so a refused
/// handshake is seen at once).
pub fn no_retry(address: String, protocol: &str, auth: ClientAuth) -> ClientConfig {
    let mut cfg = ClientConfig::new(address, protocol, auth);
    cfg.retry = RetryPolicy::none();
    cfg
}

/// A client configuration for `protocol` at `address` with SIMPLE auth and no token.
pub fn tokenless(address: String, protocol: &str) -> ClientConfig {
    let auth = ClientAuth::Simple {
        user: "intruder".into(),
    };
    ClientConfig::new(address, protocol, auth)
}

/// Asserts that a connection was refused in the SASL handshake (a forged, revoked or misplaced
/// token).
pub fn assert_handshake_refused(e: &YarnError) {
    assert!(
        matches!(e, YarnError::Authentication(_) | YarnError::InvalidToken(_)),
        "{e:?}"
    );
}

/// A container launch context running `command` with bash.
pub fn task(command: &str) -> ContainerLaunchContextProto {
    ContainerLaunchContextProto {
        command: vec![
            "/bin/bash".into(),
            "-c".into(),
            format!("'{command}'"),
            "1><LOG_DIR>/stdout".into(),
            "2><LOG_DIR>/stderr".into(),
        ],
        ..Default::default()
    }
}

/// The container ids of allocated containers.
pub fn ids(containers: &[ContainerProto]) -> Vec<ContainerId> {
    containers
        .iter()
        .map(|c| c.container_id().expect("container id"))
        .collect()
}

/// Whether a process exists.
pub fn alive(pid: i32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}
