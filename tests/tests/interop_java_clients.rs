//! Hadoop's own `YarnClient`, `AMRMClient` and `NMClient` against our servers: the embedded
//! mini cluster (real RM and NM), holding the harness's keys, with an unmanaged application whose
//! AMRMToken the Java clients use.

use std::time::Duration;

use spindle_protocol::ids::ContainerId;
use spindle_protocol::proto::yarn::ContainerStateProto;
use spindle_tests::clients::run_java_clients;
use spindle_tests::ours::OurCluster;
use spindle_tests::servers::HADOOP_AMRM_TOKEN_1;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_clients_work_against_our_servers() {
    let s = OurCluster::start().await.expect("start our cluster");
    // Same keys, same attempt: our RM issues the very AMRMToken Hadoop's code issues.
    assert_eq!(
        (
            hex::encode(&s.amrm_token.identifier),
            hex::encode(&s.amrm_token.password)
        ),
        (
            HADOOP_AMRM_TOKEN_1.0.to_string(),
            HADOOP_AMRM_TOKEN_1.1.to_string()
        )
    );
    let run = run_java_clients(
        s.cluster.rm_address(),
        s.cluster.scheduler_address(),
        &s.token_file,
        // The wrong-password client runs while the attempt is live: once it has finished, a real
        // RM refuses its token before looking at the password.
        &[
            "yarnclient",
            "amrm",
            "nm",
            "notoken",
            "badtoken",
            "amrm-finish",
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
        run.step("nm.stop").map(|st| st.detail.as_str()),
        Some("exit=-105")
    );
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
    let s = OurCluster::start().await.expect("start our cluster");
    let first = run_java_clients(
        s.cluster.rm_address(),
        s.cluster.scheduler_address(),
        &s.token_file,
        &["amrm"],
        Duration::from_secs(120),
    )
    .await
    .expect("first run");
    first.assert_ok(&["amrm.register", "amrm.allocate"]);
    let second = run_java_clients(
        s.cluster.rm_address(),
        s.cluster.scheduler_address(),
        &s.token_file,
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
        "the Java client did not get the RM's exception class back:\n{}",
        second.summary()
    );
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_hadoop_heartbeats_and_reports_against_our_servers() {
    // Hadoop's IPC client driving our servers call after call: every allocate must answer the
    // next response id (JavaBench fails on the first error), every report must parse.
    use spindle_tests::bench::{BenchMode, run_java_bench};
    let s = OurCluster::start().await.expect("start our cluster");
    let second = Duration::from_secs(1);
    let alloc = run_java_bench(
        BenchMode::Allocate,
        s.cluster.scheduler_address(),
        Some(&s.token_file),
        second,
        second,
    )
    .await
    .expect("JavaBench allocate against our server");
    let report = run_java_bench(
        BenchMode::Report,
        s.cluster.rm_address(),
        None,
        second,
        second,
    )
    .await
    .expect("JavaBench getApplicationReport against our server");
    println!("Java client → our server: allocate {alloc:?}; getApplicationReport {report:?}");
    assert!(alloc.calls > 0 && report.calls > 0, "{alloc:?} {report:?}");
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_reads_credentials_files_we_write_in_both_formats() {
    use spindle_protocol::credentials::Credentials;
    use spindle_tests::servers::JavaYarnServers;
    // Hadoop's servers, tokens for applications 1 and 2; each run registers one of them with a
    // credentials file written by our code: HDTS format 0 (Writable) and format 1 (protobuf).
    let s = JavaYarnServers::start_with(2)
        .await
        .expect("start JavaYarnServers");
    let dir = tempfile::tempdir().expect("tempdir");
    let tokens = [s.am_token.to_token(), s.more_am_tokens[0].to_token()];
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
        let path = dir.path().join(format!("tokens-{i}"));
        std::fs::write(&path, &bytes).expect("write token file");
        let run = run_java_clients(
            s.client_addr,
            s.am_addr,
            &path,
            &["amrm"],
            Duration::from_secs(120),
        )
        .await
        .expect("run JavaYarnClients");
        run.assert_ok(&["amrm.register", "amrm.allocate"]);
    }
}
