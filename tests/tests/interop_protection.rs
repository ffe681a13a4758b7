//! Integrity and privacy (`hadoop.rpc.protection` = `integrity` / `privacy`, SASL QOP
//! `auth-int` / `auth-conf` over DIGEST-MD5): after SASL every frame travels inside
//! `RpcSaslProto{WRAP}`, in both directions. At each of the three protections, our
//! `AmRmClient` talks to Hadoop's real server, and Hadoop's own `YarnClient`, `AMRMClient` and
//! `NMClient` talk to our embedded cluster.

use spindle_protocol::ids::ApplicationId;
use spindle_protocol::ipc::ClientConfig;
use spindle_protocol::proto::yarn::{
    FinalApplicationStatusProto, ResourceProto, ResourceRequestProto,
};
use spindle_protocol::proto::yarn_service::FinishApplicationMasterRequestProto;
use spindle_protocol::sasl::Qop;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::{APPLICATION_MASTER_PROTOCOL, token_auth};
use spindle_tests::calls::{USER, any_ask, asking, register_request};
use spindle_tests::clients::assert_every_step_passes;
use spindle_tests::ours::OurCluster;
use spindle_tests::servers::{CLUSTER_TIMESTAMP, JavaYarnServers};

const PROTECTIONS: [Qop; 3] = [Qop::Auth, Qop::AuthInt, Qop::AuthConf];

/// Our AM client for Hadoop's server `s`, accepting the protections in `qop`.
fn am_client(s: &JavaYarnServers, qop: &[Qop]) -> AmRmClient {
    let mut config = ClientConfig::new(
        s.am_addr.to_string(),
        APPLICATION_MASTER_PROTOCOL,
        token_auth(&s.am_token, USER),
    );
    config.qop = qop.to_vec();
    let am = AmRmClient::new(config);
    am.set_amrm_token(&s.am_token);
    am
}

/// Node-local asks for nothing (count 0) on `n` made-up hosts: a request of roughly `60 * n`
/// bytes that the RM accepts and that changes no allocation.
fn many_empty_host_asks(n: usize) -> Vec<ResourceRequestProto> {
    (0..n)
        .map(|i| {
            ResourceRequestProto::new(
                1,
                format!("host-{i:05}.example"),
                ResourceProto::new(256, 1),
                0,
                0,
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_am_client_against_hadoops_server_at_every_protection() {
    for qop in PROTECTIONS {
        let s = JavaYarnServers::started_with_protection(qop.protection_name()).await;
        let am = am_client(&s, &[qop]);
        let reg = am
            .register_application_master(&register_request())
            .await
            .unwrap_or_else(|e| panic!("{qop}: register: {e}\n{}", s.process.stderr_tail()));
        assert!(reg.maximum_capability.is_some(), "{qop}");
        // A request of ~150 kB: more than one 64 KiB WRAP token carries.
        let mut asks = many_empty_host_asks(2500);
        asks.push(any_ask(256, 1, 0));
        let first = am.allocate(&asking(0, asks)).await.expect("large allocate");
        assert_eq!(first.response_id, Some(1), "{qop}");
        let mut got = first.allocated_containers.len();
        let mut rid = 1;
        while got == 0 && rid < 20 {
            let r = am
                .allocate(&asking(rid, Vec::new()))
                .await
                .expect("heartbeat");
            rid = r.response_id.expect("response id");
            got += r.allocated_containers.len();
        }
        assert_eq!(got, 1, "{qop}: one container allocated");
        let app = ApplicationId::new(CLUSTER_TIMESTAMP, 1);
        let finish = am
            .finish_application_master(&FinishApplicationMasterRequestProto {
                final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
                diagnostics: Some(format!("{app} done at {qop}")),
                ..Default::default()
            })
            .await
            .expect("finish");
        assert_eq!(finish.is_unregistered, Some(true), "{qop}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mismatched_protections_fail_naming_both_lists() {
    let s = JavaYarnServers::started_with_protection("authentication").await;
    let err = am_client(&s, &[Qop::AuthConf])
        .register_application_master(&register_request())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("No common protection layer")
            && err.contains("ours is [privacy]")
            && err.contains("offers [authentication]"),
        "{err}"
    );
    // Both sides accept authentication or privacy: the client's first choice, privacy, is used.
    drop(s);
    let s = JavaYarnServers::started_with_protection("authentication,privacy").await;
    am_client(&s, &[Qop::AuthConf, Qop::Auth])
        .register_application_master(&register_request())
        .await
        .expect("register with privacy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_clients_against_our_cluster_at_every_protection() {
    for qop in PROTECTIONS {
        let ours = OurCluster::start_with_protection(&[qop])
            .await
            .expect("start our cluster");
        // YarnClient (SIMPLE: nothing to protect), AMRMClient and NMClient (tokens: wrapped).
        assert_every_step_passes(&ours.endpoints()).await;
        ours.shutdown().await;
    }
}
