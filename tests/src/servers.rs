//! `JavaYarnServers`: Hadoop's real IPC servers for the three YARN protocols, with the harness's
//! stateful RM/NM handlers behind them.

use std::net::SocketAddr;
use std::path::PathBuf;

use spindle_protocol::token::Token;

use crate::clients::Endpoints;
use crate::error::{HarnessError, Result};
use crate::process::{JavaCommand, JavaProcess, JavaSetup, READY_TIMEOUT};

/// A token the harness printed as `FACT <prefix>_{identifier,password,kind,service}` lines.
fn read_token(p: &JavaProcess, prefix: &str) -> Result<Token> {
    Ok(Token::new(
        p.fact_hex(&format!("{prefix}_identifier"))?,
        p.fact_hex(&format!("{prefix}_password"))?,
        p.fact(&format!("{prefix}_kind"))?.to_string(),
        p.fact(&format!("{prefix}_service"))?.to_string(),
    ))
}

/// Master key of the harness's AMRMTokens (UTF-8 bytes).
pub const AMRM_KEY: &[u8] = b"interop-amrm-master-key";
/// Master key of the harness's NMTokens.
pub const NMTOKEN_KEY: &[u8] = b"interop-nmtoken-master-key";
/// Master key of the harness's container tokens.
pub const CONTAINER_KEY: &[u8] = b"interop-container-master-key";
/// Cluster timestamp of every id the harness issues.
pub const CLUSTER_TIMESTAMP: i64 = 1_700_000_000_000;

/// The AMRMToken of `appattempt_1700000000000_0001_000001` under key id 1 and [`AMRM_KEY`] as
/// Hadoop 3.5's own `AMRMTokenIdentifier` and `SecretManager` produce it: (identifier, password),
/// hex. Recorded once from Hadoop's classes; any server holding these keys must issue exactly
/// these bytes.
pub const HADOOP_AMRM_TOKEN_1: (&str, &str) = (
    "0a0d0a0908011080d095ffbc3110011001",
    "50fee28159547a92ad2eca2baf88edf1f6a7cf69",
);

/// Panics unless `token` is [`HADOOP_AMRM_TOKEN_1`], byte for byte, and of the AMRMToken kind.
pub fn assert_hadoops_amrm_token(token: &Token) {
    assert_eq!(
        (
            hex::encode(&token.identifier),
            hex::encode(&token.password),
            token.kind.as_str()
        ),
        (
            HADOOP_AMRM_TOKEN_1.0.to_string(),
            HADOOP_AMRM_TOKEN_1.1.to_string(),
            "YARN_AM_RM_TOKEN"
        )
    );
}

/// A running `spindle.interop.JavaYarnServers` (killed on drop).
pub struct JavaYarnServers {
    /// The JVM (for its stderr and any later output).
    pub process: JavaProcess,
    /// ApplicationMasterProtocol (SASL TOKEN with AMRMTokens).
    pub am_addr: SocketAddr,
    /// ContainerManagementProtocol (SASL TOKEN with NMTokens).
    pub nm_addr: SocketAddr,
    /// ApplicationClientProtocol (SIMPLE).
    pub client_addr: SocketAddr,
    /// AMRMToken of `appattempt_1700000000000_0001_000001`.
    pub am_token: Token,
    /// AMRMTokens of attempt 1 of applications 2, 3, ... (see [`JavaYarnServers::start_with`]).
    pub more_am_tokens: Vec<Token>,
    /// NMToken of attempt 1 of application 1 for the harness's node.
    pub nm_token: Token,
    /// Credentials file (HDTS) holding `am_token` and `nm_token`.
    pub token_file: PathBuf,
    /// The application submitter named in NMTokens and container tokens.
    pub app_submitter: String,
    /// What the servers were started with (e.g. `hadoop.rpc.protection`); clients get the same.
    pub java: JavaSetup,
    _dir: tempfile::TempDir,
}

impl JavaYarnServers {
    /// Where Hadoop's clients find these servers.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints {
            client: self.client_addr,
            scheduler: self.am_addr,
            token_file: self.token_file.clone(),
            java: self.java.clone(),
        }
    }

    /// Starts the servers with one AMRMToken (application 1).
    pub async fn start() -> Result<Self> {
        Self::start_with(1).await
    }

    /// [`JavaYarnServers::start`] for a test: panics (failing it) when the servers do not start.
    pub async fn started() -> Self {
        Self::start().await.expect("start JavaYarnServers")
    }

    /// Starts the servers, issuing AMRMTokens for attempt 1 of applications `1..=am_apps`.
    pub async fn start_with(am_apps: usize) -> Result<Self> {
        Self::start_configured(am_apps, JavaSetup::default()).await
    }

    /// Starts the servers with `hadoop.rpc.protection = protection` (e.g. `privacy`).
    pub async fn started_with_protection(protection: &str) -> Self {
        Self::start_configured(1, JavaSetup::protection(protection))
            .await
            .expect("start JavaYarnServers")
    }

    /// [`JavaYarnServers::start_with`] with `java` applied to the servers' JVM (Hadoop
    /// configuration, environment, JVM flags; a Kerberos login, see `Common.conf()`).
    pub async fn start_configured(am_apps: usize, java: JavaSetup) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let token_file = dir.path().join("tokens.hdts");
        let mut process = JavaCommand::new("spindle.interop.JavaYarnServers")
            .arg("--token-file")
            .arg(&token_file)
            .arg("--am-apps")
            .arg(am_apps.max(1).to_string())
            .setup(&java)
            .spawn()
            .await?;
        let ready = process.wait_for("READY ", READY_TIMEOUT).await?;
        let port = |key: &str| -> Result<SocketAddr> {
            ready
                .split_whitespace()
                .find_map(|kv| kv.strip_prefix(key))
                .and_then(|p| p.parse::<u16>().ok())
                .map(|p| SocketAddr::from(([127, 0, 0, 1], p)))
                .ok_or_else(|| HarnessError::Protocol(format!("no {key}<port> in `{ready}`")))
        };
        let (am_addr, nm_addr, client_addr) = (port("am=")?, port("nm=")?, port("client=")?);
        let am_token = read_token(&process, "am_token")?;
        let more_am_tokens = (2..=am_apps)
            .map(|i| read_token(&process, &format!("am_token_{i}")))
            .collect::<Result<Vec<_>>>()?;
        let nm_token = read_token(&process, "nm_token")?;
        let app_submitter = process.fact("app_submitter")?.to_string();
        Ok(JavaYarnServers {
            process,
            am_addr,
            nm_addr,
            client_addr,
            am_token,
            more_am_tokens,
            nm_token,
            token_file,
            app_submitter,
            java,
            _dir: dir,
        })
    }
}
