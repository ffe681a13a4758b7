//! Hadoop's own `YarnClient`, `AMRMClient` and `NMClient` run a whole application on Spindle's
//! embedded mini cluster: the client submits, the NM launches the Java AM as a container, the
//! AM registers, asks for 8 containers, starts them through the NMs with NMTokens, sees them
//! complete and unregisters; the client sees FINISHED / SUCCEEDED.

use std::time::{Duration, Instant};

use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_tests::ours::{assert_nodes_empty, run_java_app};
use spindle_tests::process::JavaSetup;

const CONTAINERS: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hadoop_clients_run_a_full_application() {
    let cluster = MiniCluster::start(MiniClusterOptions::with_nodes(2, 4096, 8))
        .await
        .expect("start the mini cluster");
    let started = Instant::now();
    let (p, report) = run_java_app(&cluster, CONTAINERS, &JavaSetup::default()).await;
    let wall = started.elapsed();
    assert_eq!(p.fact("nodemanagers").unwrap(), "2", "{report}");
    assert_eq!(p.fact("running_nodes").unwrap(), "2");
    assert_eq!(p.fact("queue").unwrap(), "default");
    assert_eq!(p.fact("final_state").unwrap(), "FINISHED", "{report}");
    assert_eq!(p.fact("final_status").unwrap(), "SUCCEEDED", "{report}");
    assert_eq!(p.fact("listed").unwrap(), "1");
    let states = p.fact("states").unwrap().to_string();
    assert!(states.starts_with("ACCEPTED"), "{states}");
    assert!(states.contains("RUNNING"), "{states}");
    assert!(states.ends_with("FINISHED"), "{states}");
    assert!(
        p.fact("diagnostics")
            .unwrap()
            .contains(&format!("{CONTAINERS}/{CONTAINERS} containers succeeded")),
        "{report}"
    );
    eprintln!(
        "mini cluster, Hadoop clients: submit→FINISHED {} ms (submit→RUNNING {} ms), {CONTAINERS} containers, whole client JVM {} ms, test wall {:?}",
        p.fact("submit_to_finished_ms").unwrap(),
        p.fact("submit_to_running_ms").unwrap_or("?"),
        p.fact("client_total_ms").unwrap(),
        wall
    );
    // FINISHED is reported at unregistration; the AM container then exits by itself and
    // nothing of the application is left on the nodes.
    assert_nodes_empty(&cluster, Duration::from_secs(30)).await;
    cluster.shutdown().await;
}
