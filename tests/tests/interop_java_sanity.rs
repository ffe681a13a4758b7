//! The Java harness judged against itself (Hadoop's servers ⇄ Hadoop's clients), so that its
//! verdicts on our code can be trusted.

use std::time::Duration;

use spindle_tests::bench::{BenchMode, run_java_bench};
use spindle_tests::clients::run_java_clients;
use spindle_tests::roundtrip::{ProtoRoundTrip, Verdict, without_field};
use spindle_tests::servers::JavaYarnServers;

/// From WIRE-CAPTURE.md §5: the AMRMToken identifier of appattempt_1700000000000_0001_000001
/// (key id 1) and its HMAC-SHA1 password under `interop-amrm-master-key`.
const CAPTURED_AMRM_IDENTIFIER: &str = "0a0d0a0908011080d095ffbc3110011001";
const CAPTURED_AMRM_PASSWORD: &str = "50fee28159547a92ad2eca2baf88edf1f6a7cf69";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_clients_work_against_the_harness_servers() {
    let servers = JavaYarnServers::start()
        .await
        .expect("start JavaYarnServers");
    assert_eq!(
        hex::encode(&servers.am_token.identifier),
        CAPTURED_AMRM_IDENTIFIER
    );
    assert_eq!(
        hex::encode(&servers.am_token.password),
        CAPTURED_AMRM_PASSWORD
    );
    assert_eq!(servers.am_token.kind, "YARN_AM_RM_TOKEN");
    assert_eq!(servers.nm_token.kind, "NMToken");
    assert_eq!(servers.nm_token.service, servers.nm_addr.to_string());

    let run = run_java_clients(
        servers.client_addr,
        servers.am_addr,
        &servers.token_file,
        &[
            "yarnclient",
            "amrm",
            "nm",
            "amrm-finish",
            "notoken",
            "badtoken",
        ],
        Duration::from_secs(120),
    )
    .await
    .expect("run JavaYarnClients");
    run.assert_ok(&[
        "yarnclient.new",
        "yarnclient.submit",
        "yarnclient.report",
        "yarnclient.kill",
        "yarnclient.missing",
        "amrm.register",
        "amrm.allocate",
        "nm.start",
        "nm.status",
        "nm.stop",
        "amrm.completed",
        "amrm.finish",
        "notoken.refused",
        "badtoken.refused",
    ]);
    let refused = run.step("notoken.refused").expect("notoken step");
    assert!(
        refused
            .detail
            .contains("No AMRMToken found for user intruder"),
        "{}",
        run.summary()
    );
    let bad = run.step("badtoken.refused").expect("badtoken step");
    assert!(
        bad.detail.contains("DIGEST-MD5") && bad.detail.contains("Mismatched response"),
        "a wrong AMRMToken password must fail SASL as Hadoop's server fails it:\n{}",
        run.summary()
    );
    assert_eq!(
        run.step("nm.stop").map(|s| s.detail.as_str()),
        Some("exit=-105")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_servers_refuse_a_second_registration() {
    // A second AMRMClient run with the same token: registering again must be refused, as by a real RM.
    let servers = JavaYarnServers::start()
        .await
        .expect("start JavaYarnServers");
    let first = run_java_clients(
        servers.client_addr,
        servers.am_addr,
        &servers.token_file,
        &["amrm"],
        Duration::from_secs(120),
    )
    .await
    .expect("first run");
    first.assert_ok(&["amrm.register", "amrm.allocate"]);
    let second = run_java_clients(
        servers.client_addr,
        servers.am_addr,
        &servers.token_file,
        &["amrm"],
        Duration::from_secs(120),
    )
    .await
    .expect("second run");
    let reg = second.step("amrm.register").expect("register step ran");
    assert!(
        !reg.ok,
        "re-registration was accepted:\n{}",
        second.summary()
    );
    assert!(
        reg.detail
            .contains("InvalidApplicationMasterRequestException")
            && reg.detail.contains("already registered"),
        "{}",
        second.summary()
    );
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
    let servers = JavaYarnServers::start()
        .await
        .expect("start JavaYarnServers");
    let warmup = Duration::from_secs(1);
    let measure = Duration::from_secs(2);
    let alloc = run_java_bench(
        BenchMode::Allocate,
        servers.am_addr,
        Some(&servers.token_file),
        warmup,
        measure,
    )
    .await
    .expect("allocate bench");
    let report = run_java_bench(
        BenchMode::Report,
        servers.client_addr,
        None,
        warmup,
        measure,
    )
    .await
    .expect("report bench");
    println!(
        "Java client ⇄ Java server: allocate (token) {:.0} calls/s p50 {:.0} µs p99 {:.0} µs; \
         getApplicationReport (SIMPLE) {:.0} calls/s p50 {:.0} µs p99 {:.0} µs",
        alloc.calls_per_s,
        alloc.p50_us,
        alloc.p99_us,
        report.calls_per_s,
        report.p50_us,
        report.p99_us
    );
    for r in [&alloc, &report] {
        assert!(r.calls > 0 && r.seconds > 0.0, "{r:?}");
        assert!(r.p50_us > 0.0 && r.p50_us <= r.p99_us, "{r:?}");
    }
}
