//! The Java harness judged against itself (Hadoop's servers ⇄ Hadoop's clients), so that its
//! verdicts on our code can be trusted.

use std::time::Duration;

use spindle_tests::bench::assert_java_bench_runs;
use spindle_tests::clients::{assert_every_step_passes, assert_second_registration_refused};
use spindle_tests::roundtrip::{ProtoRoundTrip, Verdict, without_field};
use spindle_tests::servers::{JavaYarnServers, assert_hadoops_amrm_token};

async fn harness() -> JavaYarnServers {
    JavaYarnServers::started().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_clients_work_against_the_harness_servers() {
    let servers = harness().await;
    assert_hadoops_amrm_token(&servers.am_token);
    assert_eq!(servers.nm_token.kind, "NMToken");
    assert_eq!(servers.nm_token.service, servers.nm_addr.to_string());
    assert_every_step_passes(&servers.endpoints()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_servers_refuse_a_second_registration() {
    assert_second_registration_refused(&harness().await.endpoints()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proto_round_trip_accepts_exact_bytes_and_notices_drops_and_unknowns() {
    let mut rt = ProtoRoundTrip::start().await.expect("start ProtoRoundTrip");
    let names = rt.names().await.expect("LIST");
    for n in [
        "hadoop.yarn.ContainerProto",
        "hadoop.yarn.AllocateResponseProto",
        "hadoop.common.RpcRequestHeaderProto",
        "hadoop.common.RpcSaslProto.SaslAuth",
        "hadoop.common.TokenProto",
        "hadoop.common.RequestHeaderProto",
        "hadoop.yarn.NMTokenIdentifierProto",
    ] {
        assert!(
            names.iter().any(|x| x == n),
            "{n} missing from {} names",
            names.len()
        );
    }
    let name = "hadoop.yarn.ContainerProto";
    let sample = rt.sample(name).await.expect("SAMPLE");
    assert!(
        sample.len() > 100,
        "sample suspiciously small: {} bytes",
        sample.len()
    );
    assert_eq!(
        rt.sample(name).await.expect("SAMPLE again"),
        sample,
        "samples are stable"
    );
    assert_eq!(rt.check(name, &sample).await.expect("CHECK"), Verdict::Same);

    let dropped = without_field(&sample, 3).expect("strip node_http_address");
    match rt.check(name, &dropped).await.expect("CHECK dropped") {
        Verdict::Diff(d) => assert!(d.contains("node_http_address"), "{d}"),
        Verdict::Same => panic!("a dropped field went unnoticed"),
    }
    let mut extra = sample.clone();
    extra.extend_from_slice(&[0xb8, 0x3e, 0x01]); // field 999, varint 1
    match rt.check(name, &extra).await.expect("CHECK extra") {
        Verdict::Diff(d) => assert!(d.contains("unknown field numbers [999]"), "{d}"),
        Verdict::Same => panic!("an unknown field went unnoticed"),
    }
    match rt.check(name, &[0x0a, 0x00]).await.expect("CHECK empty id") {
        Verdict::Diff(d) => assert!(d.contains("missing"), "{d}"),
        Verdict::Same => panic!("an almost empty message passed"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn java_bench_measures_java_client_against_java_server() {
    let servers = harness().await;
    assert_java_bench_runs(
        &servers.endpoints(),
        Duration::from_secs(1),
        Duration::from_secs(2),
    )
    .await;
}
