//! Our side for Hadoop's clients: Spindle's embedded [`MiniCluster`] (real RM and NM, real
//! protocol servers), started with the harness's master keys and cluster timestamp so that the
//! tokens it issues can be compared byte for byte with the ones Hadoop's code issues, plus an
//! unmanaged-AM application whose AMRMToken (taken from its report, as YARN hands it to unmanaged
//! AMs) sits in a credentials file for Hadoop's `AMRMClient`. Also what tests on any mini
//! cluster need to judge and report it: its container logs and an empty-nodes check.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use spindle_minicluster::{FixedSecrets, KerberosOptions, MiniCluster, MiniClusterOptions};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::gssapi::KerberosCredentials;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::sasl::{Qop, qop};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::client::ApplicationClient;

use crate::cache::files_under;
use crate::calls::USER;
use crate::clients::Endpoints;
use crate::error::{HarnessError, Result};
use crate::process::JavaSetup;
use crate::process::{JavaCommand, JavaProcess};
use crate::servers::{AMRM_KEY, CLUSTER_TIMESTAMP, CONTAINER_KEY, NMTOKEN_KEY};

/// A running mini cluster with one unmanaged application (application 1).
pub struct OurCluster {
    /// The cluster (its RM state and nodes can be inspected).
    pub cluster: MiniCluster,
    /// The unmanaged application submitted at start.
    pub app: ApplicationId,
    /// Its AMRMToken, service = the scheduler address.
    pub amrm_token: Token,
    /// A credentials file (written by our code) holding `amrm_token`.
    pub token_file: PathBuf,
    /// What Hadoop's clients need for this cluster.
    pub java: JavaSetup,
    _dir: tempfile::TempDir,
}

/// What a secure cluster needs; see [`OurCluster::start_secure`].
#[derive(Debug, Clone)]
pub struct Secure {
    /// The RM's Kerberos identity.
    pub rm: KerberosOptions,
    /// Who submits the unmanaged application.
    pub submitter: KerberosCredentials,
    /// What Hadoop's clients need to log in (see [`crate::kdc::TestRealm::java_client`]).
    pub java: JavaSetup,
}

impl OurCluster {
    /// One default node, the harness's keys and timestamp, and application 1 submitted.
    pub async fn start() -> Result<Self> {
        Self::start_with_protection(&[Qop::Auth]).await
    }

    /// [`OurCluster::start`] with `hadoop.rpc.protection` = `protection` on every port.
    pub async fn start_with_protection(protection: &[Qop]) -> Result<Self> {
        Self::start_inner(protection, None).await
    }

    /// A secure cluster: Kerberos on the RM client port, no SIMPLE anywhere; application 1
    /// is submitted with Kerberos as `secure.submitter`.
    pub async fn start_secure(protection: &[Qop], secure: Secure) -> Result<Self> {
        Self::start_inner(protection, Some(secure)).await
    }

    async fn start_inner(protection: &[Qop], secure: Option<Secure>) -> Result<Self> {
        let options = MiniClusterOptions {
            kerberos: secure.as_ref().map(|s| s.rm.clone()),
            rpc_protection: protection.to_vec(),
            fixed_secrets: Some(FixedSecrets {
                amrm_key: AMRM_KEY.to_vec(),
                nm_token_key: NMTOKEN_KEY.to_vec(),
                container_key: CONTAINER_KEY.to_vec(),
                cluster_timestamp: CLUSTER_TIMESTAMP,
            }),
            rest: false,
            ..MiniClusterOptions::default()
        };
        let cluster = MiniCluster::start(options).await?;
        let client = match &secure {
            None => ApplicationClient::simple(cluster.rm_address().to_string(), USER),
            Some(s) => ApplicationClient::kerberos(
                cluster.rm_address().to_string(),
                s.submitter.clone(),
                s.rm.principal.clone(),
                protection,
            ),
        };
        let (app, amrm_token) = unmanaged_app_of(&cluster, &client).await?;
        let mut java = JavaSetup::protection(&qop::protection_names(protection));
        if let Some(s) = secure {
            java = s.java;
        }
        let dir = tempfile::tempdir()?;
        let token_file = dir.path().join("container_tokens");
        let mut creds = Credentials::new();
        creds.add_token(amrm_token.service.clone(), amrm_token.clone());
        creds
            .write_file(&token_file)
            .map_err(|e| HarnessError::Protocol(format!("writing the token file: {e}")))?;
        Ok(OurCluster {
            cluster,
            app,
            amrm_token,
            token_file,
            java,
            _dir: dir,
        })
    }

    /// Where Hadoop's clients find it.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints {
            client: self.cluster.rm_address(),
            scheduler: self.cluster.scheduler_address(),
            token_file: self.token_file.clone(),
            java: self.java.clone(),
        }
    }

    /// Stops the cluster.
    pub async fn shutdown(self) {
        self.cluster.shutdown().await;
    }
}

/// Submits one more unmanaged-AM application to `cluster`; its id and AMRMToken (service = the
/// scheduler address, where an unmanaged AM uses it).
pub async fn unmanaged_app(cluster: &MiniCluster) -> Result<(ApplicationId, Token)> {
    cluster
        .submit_unmanaged(USER, "interop-unmanaged-am")
        .await
        .map_err(|e| HarnessError::Protocol(e.to_string()))
}

/// [`unmanaged_app`] submitted through `client` (e.g. a Kerberos client of a secure cluster).
pub async fn unmanaged_app_of(
    cluster: &MiniCluster,
    client: &ApplicationClient,
) -> Result<(ApplicationId, Token)> {
    cluster
        .submit_unmanaged_through(client, "interop-unmanaged-am")
        .await
        .map_err(|e| HarnessError::Protocol(e.to_string()))
}

/// The log folders of every node of `cluster` (one folder per application and container).
pub fn log_dirs(cluster: &MiniCluster) -> Vec<PathBuf> {
    (0..cluster.node_ids().len())
        .filter_map(|i| cluster.node(i).map(|n| n.log_dir().clone()))
        .collect()
}

/// Every file in the nodes' log folders (container `stdout`, `stderr`, launch scripts) with the
/// last `tail` characters of its text, for failure reports.
pub fn container_logs(cluster: &MiniCluster, tail: usize) -> String {
    let mut out = String::new();
    for p in files_under(&log_dirs(cluster)) {
        let text = match std::fs::read(&p) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => format!("(unreadable: {e})"),
        };
        // Byte offset of the `tail`-th character from the end (all of it when shorter).
        let start = match tail.checked_sub(1) {
            Some(n) => text.char_indices().rev().nth(n).map_or(0, |(i, _)| i),
            None => text.len(),
        };
        out.push_str(&format!("--- {}\n{}\n", p.display(), &text[start..]));
    }
    out
}

/// The text of the first file named `name` under `root` (recursively), if any.
pub fn find_file_text(root: &Path, name: &str) -> Option<String> {
    files_under(&[root.to_path_buf()])
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == name))
        .and_then(|p| std::fs::read_to_string(p).ok())
}

/// Waits until no node of `cluster` holds a container (every application's containers have
/// exited and been cleaned up); panics with what is left after `limit`.
pub async fn assert_nodes_empty(cluster: &MiniCluster, limit: Duration) {
    let deadline = Instant::now() + limit;
    while !cluster.inspect(|rm| rm.nodes().iter().all(|n| n.containers.is_empty())) {
        assert!(
            Instant::now() < deadline,
            "containers left after {limit:?}: {:?}",
            cluster.inspect(|rm| rm.nodes().to_vec())
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs Hadoop's `MiniClusterApp` on `cluster`: its client (with `java`) submits a Java AM that
/// runs `containers` containers; waits for the client to end. Returns the client process (its
/// `FACT`s) and a failure report (its output and stderr, the container logs); panics with the
/// report unless the client succeeded.
pub async fn run_java_app(
    cluster: &MiniCluster,
    containers: usize,
    java: &JavaSetup,
) -> (JavaProcess, String) {
    let mut p = JavaCommand::app_client(
        "spindle.interop.MiniClusterApp",
        "client",
        cluster.conf_dir(),
    )
    .await
    .expect("the Java harness")
    .arg("--containers")
    .arg(containers.to_string())
    .setup(java)
    .spawn()
    .await
    .expect("start the Java client");
    let status = p.finish(Duration::from_secs(200)).await;
    let report = format!(
        "output:\n{}\nstderr:\n{}\ncontainer logs:\n{}",
        p.output().join("\n"),
        p.stderr_tail(),
        container_logs(cluster, 3000)
    );
    let status = status.unwrap_or_else(|e| panic!("Java client did not finish: {e}\n{report}"));
    assert!(status.success(), "Java client failed ({status}):\n{report}");
    (p, report)
}
