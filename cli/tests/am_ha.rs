//! End to end: the AM on a ResourceManager HA configuration. Of three RM addresses the first is
//! dead (connection refused) and the second a standby (every call answers `StandbyException`,
//! after authenticating the AMRMToken with the shared master key, as a real standby would); the
//! AM fails over to the third, the embedded RM, and the application succeeds.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use common::*;
use futures::future::BoxFuture;
use spindle_minicluster::options::FixedSecrets;
use spindle_protocol::ipc::{CallContext, IpcServer, ServerConfig, Service, ServiceError};
use spindle_protocol::proto::yarn::FinalApplicationStatusProto::AppSucceeded;
use spindle_protocol::yarn::APPLICATION_MASTER_PROTOCOL;
use spindle_protocol::yarn::secret::AmRmTokenSecretManager;

const STANDBY: &str = "org.apache.hadoop.ipc.StandbyException";

struct Standby;

impl Service for Standby {
    fn protocol_name(&self) -> &str {
        APPLICATION_MASTER_PROTOCOL
    }

    fn call(
        &self,
        _: CallContext,
        method: &str,
        _: Bytes,
    ) -> BoxFuture<'static, Result<Bytes, ServiceError>> {
        let message = format!("Operation category {method} is not supported in state standby");
        Box::pin(async move { Err(ServiceError::new(STANDBY, message)) })
    }
}

fn write_ha_conf(dir: &std::path::Path, addresses: &[String]) {
    let ids: Vec<String> = (1..=addresses.len()).map(|i| format!("rm{i}")).collect();
    let mut yarn = vec![
        (
            "yarn.resourcemanager.ha.enabled".to_string(),
            "true".to_string(),
        ),
        ("yarn.resourcemanager.ha.rm-ids".to_string(), ids.join(",")),
        (
            "yarn.client.failover-sleep-base-ms".to_string(),
            "50".to_string(),
        ),
        (
            "yarn.client.failover-sleep-max-ms".to_string(),
            "200".to_string(),
        ),
    ];
    for (id, addr) in ids.iter().zip(addresses) {
        yarn.push((
            format!("yarn.resourcemanager.scheduler.address.{id}"),
            addr.clone(),
        ));
        yarn.push((format!("yarn.resourcemanager.address.{id}"), addr.clone()));
    }
    spindle_conf::write::write_conf_dir(dir, &yarn, &[]).expect("write the HA conf");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_am_fails_over_past_a_dead_and_a_standby_resourcemanager() {
    let secrets = FixedSecrets {
        amrm_key: b"shared-amrm-master-key".to_vec(),
        nm_token_key: b"nm-key".to_vec(),
        container_key: b"container-key".to_vec(),
        cluster_timestamp: 1_700_000_123_000,
    };
    let cluster = cluster_with(1, |o| o.fixed_secrets = Some(secrets.clone())).await;

    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let mut config = ServerConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)));
    config.secret_manager = Some(Arc::new(AmRmTokenSecretManager::new(
        1,
        secrets.amrm_key.clone(),
    )));
    let standby = IpcServer::bind(config, vec![Arc::new(Standby) as Arc<dyn Service>])
        .await
        .expect("standby server");

    let conf = tempfile::tempdir().expect("conf dir");
    write_ha_conf(
        conf.path(),
        &[
            dead.to_string(),
            standby.local_addr().to_string(),
            cluster.scheduler_address().to_string(),
        ],
    );
    let am = Am::shell("echo done", 2).env("HADOOP_CONF_DIR", &conf.path().to_string_lossy());
    let app = App::submit(&cluster, "ha", &am).await;
    let (_, logs) = app.ends(AppSucceeded).await;
    // It went through both failovers, in order.
    let first = logs
        .find("failing over to the next ResourceManager")
        .expect(&logs);
    assert!(
        logs[first..].contains("from=0") && logs.contains("from=1"),
        "{logs}"
    );
    assert!(logs.contains("StandbyException"), "{logs}");
    standby.shutdown().await;
    cluster.shutdown().await;
}
