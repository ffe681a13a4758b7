//! Hadoop's own `YarnClient`, `AMRMClient` and `NMClient` against our servers: the embedded
//! mini cluster (real RM and NM), holding the harness's keys, with an unmanaged application whose
//! AMRMToken the Java clients use. The same checks pass against Hadoop's own servers
//! (`interop_java_sanity.rs`).

use std::time::Duration;

use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::ContainerId;
use spindle_protocol::proto::yarn::ContainerStateProto;
use spindle_tests::bench::assert_java_bench_runs;
use spindle_tests::clients::{
    Endpoints, assert_every_step_passes, assert_second_registration_refused, run_java_clients,
};
use spindle_tests::ours::OurCluster;
use spindle_tests::servers::{JavaYarnServers, assert_hadoops_amrm_token};

async fn ours() -> OurCluster {
    OurCluster::start().await.expect("start our cluster")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_clients_work_against_our_servers() {
    let s = ours().await;
    // Same keys, same attempt: our RM issues the very AMRMToken Hadoop's code issues.
    assert_hadoops_amrm_token(&s.amrm_token);
    let run = assert_every_step_passes(&s.endpoints()).await;
    // The NM itself ran the container and recorded the AM's stop.
    let allocated = run.step("amrm.allocate").expect("allocate step");
    let id = allocated
        .detail
        .split_whitespace()
        .next()
        .and_then(|id| id.parse::<ContainerId>().ok())
        .unwrap_or_else(|| panic!("no container id in `{}`", allocated.detail));
    let status = s
        .cluster
        .node(0)
        .and_then(|nm| nm.status(&id))
        .expect("the NM saw the container start");
    assert_eq!(
        (status.known_state(), status.exit_status),
        (Ok(ContainerStateProto::CComplete), Some(-105)),
        "{status:?}"
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_registration_by_a_hadoop_client_is_refused() {
    let s = ours().await;
    assert_second_registration_refused(&s.endpoints()).await;
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_hadoop_heartbeats_and_reports_against_our_servers() {
    let s = ours().await;
    let second = Duration::from_secs(1);
    assert_java_bench_runs(&s.endpoints(), second, second).await;
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_reads_credentials_files_we_write_in_both_formats() {
    // Hadoop's servers, tokens for applications 1 and 2; each run registers one of them with a
    // credentials file written by our code: HDTS format 0 (Writable) and format 1 (protobuf).
    let s = JavaYarnServers::start_with(2)
        .await
        .expect("start JavaYarnServers");
    let dir = tempfile::tempdir().expect("tempdir");
    let tokens = [s.am_token.clone(), s.more_am_tokens[0].clone()];
    for (i, token) in tokens.into_iter().enumerate() {
        let mut creds = Credentials::new();
        creds.add_token("", token);
        creds.add_secret("spindle.interop.secret", b"not a token".to_vec());
        let bytes = if i == 0 {
            creds.to_bytes()
        } else {
            creds.to_protobuf_bytes()
        };
        assert_eq!(&bytes[..5], if i == 0 { b"HDTS\x00" } else { b"HDTS\x01" });
        let token_file = dir.path().join(format!("tokens-{i}"));
        std::fs::write(&token_file, &bytes).expect("write token file");
        let at = Endpoints {
            token_file,
            ..s.endpoints()
        };
        let run = run_java_clients(&at, &["amrm"])
            .await
            .expect("run JavaYarnClients");
        run.assert_ok(&["amrm.register", "amrm.allocate"]);
    }
}
