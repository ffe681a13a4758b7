//! Our side for Hadoop's clients: Spindle's embedded [`MiniCluster`] (real RM and NM, real
//! protocol servers), started with the harness's master keys and cluster timestamp so that the
//! tokens it issues can be compared byte for byte with the ones Hadoop's code issues, plus an
//! unmanaged-AM application whose AMRMToken (taken from its report, as YARN hands it to unmanaged
//! AMs) sits in a credentials file for Hadoop's `AMRMClient`.

use std::path::PathBuf;

use spindle_minicluster::{FixedSecrets, MiniCluster, MiniClusterOptions};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::ApplicationSubmissionContextProto;
use spindle_protocol::proto::yarn_service::{
    GetApplicationReportRequestProto, SubmitApplicationRequestProto,
};
use spindle_protocol::token::{Token, token_service_for};
use spindle_protocol::yarn::client::ApplicationClient;

use crate::clients::Endpoints;
use crate::error::{HarnessError, Result};
use crate::servers::{AMRM_KEY, CLUSTER_TIMESTAMP, CONTAINER_KEY, NMTOKEN_KEY};

/// The user that submits the test applications.
const USER: &str = "spindle";

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
    _dir: tempfile::TempDir,
}

impl OurCluster {
    /// One default node, the harness's keys and timestamp, and application 1 submitted.
    pub async fn start() -> Result<Self> {
        let options = MiniClusterOptions {
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
        let (app, amrm_token) = unmanaged_app(&cluster).await?;
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
            _dir: dir,
        })
    }

    /// Where Hadoop's clients find it.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints {
            client: self.cluster.rm_address(),
            scheduler: self.cluster.scheduler_address(),
            token_file: self.token_file.clone(),
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
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), USER);
    let new = client.get_new_application().await?;
    let id = new
        .application_id
        .as_ref()
        .ok_or_else(|| HarnessError::Protocol("getNewApplication gave no id".into()))?;
    let id = ApplicationId::from_proto(id).map_err(|e| HarnessError::Protocol(e.to_string()))?;
    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(ApplicationSubmissionContextProto {
                application_id: Some(id.to_proto()),
                application_name: Some("interop-unmanaged-am".into()),
                unmanaged_am: Some(true),
                ..Default::default()
            }),
        })
        .await?;
    let report = client
        .get_application_report(&GetApplicationReportRequestProto {
            application_id: Some(id.to_proto()),
        })
        .await?
        .application_report
        .ok_or_else(|| HarnessError::Protocol(format!("no report for {id}")))?;
    let proto = report.am_rm_token.as_ref().ok_or_else(|| {
        HarnessError::Protocol(format!("the report of unmanaged {id} has no AMRMToken"))
    })?;
    let mut token = Token::from_proto(proto);
    token.service = token_service_for(cluster.scheduler_address());
    Ok((id, token))
}
