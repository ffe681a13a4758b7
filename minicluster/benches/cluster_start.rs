//! Mini cluster benchmarks.
//!
//! * `start_to_first_call/{1,3}_nodes`: `MiniCluster::start` until the RM has answered a
//!   `getClusterMetrics` over a fresh connection (goal < 100 ms). Shutdown is not timed.
//! * `app_8_containers_rust_am`: an unmanaged-AM application driven with Spindle's typed
//!   clients: submit → register → allocate 8 containers → start each through its NM (NMToken)
//!   → 8 completions → finish → FINISHED. Cluster start is not timed.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::{
    allocate_request, am_client, ask_anywhere, attempt_of, bench_runtime, report, start_request,
    submit_unmanaged,
};
use criterion::{Criterion, criterion_group, criterion_main};
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::proto::yarn::*;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::token::Token;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_protocol::yarn::nm::ContainerManagerClient;

fn options(nodes: usize) -> MiniClusterOptions {
    let mut o = MiniClusterOptions::with_nodes(nodes, 4096, 8);
    o.monitor_interval = Duration::from_millis(100);
    o
}

fn start_to_first_call(c: &mut Criterion) {
    let rt = bench_runtime();
    let mut g = c.benchmark_group("start_to_first_call");
    g.sample_size(20);
    for nodes in [1usize, 3] {
        g.bench_function(format!("{nodes}_nodes"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let t = Instant::now();
                        let cluster = MiniCluster::start(options(nodes)).await.expect("start");
                        let client =
                            ApplicationClient::simple(cluster.rm_address().to_string(), "bench");
                        let m = client.get_cluster_metrics().await.expect("metrics");
                        total += t.elapsed();
                        assert_eq!(
                            m.cluster_metrics.and_then(|m| m.num_active_nms),
                            Some(nodes as i32)
                        );
                        cluster.shutdown().await;
                    }
                    total
                })
            })
        });
    }
    g.finish();
}

async fn one_app(cluster: &MiniCluster, client: &ApplicationClient, containers: usize) {
    let (id, token) = submit_unmanaged(client).await;
    let attempt = attempt_of(&token);
    let am = am_client(cluster, &token);
    am.register_application_master(&RegisterApplicationMasterRequestProto::default())
        .await
        .expect("register");
    let mut rid = 0;
    let mut ask = vec![ask_anywhere(128, containers as i32)];
    let mut nm_tokens: HashMap<String, Token> = HashMap::new();
    let mut clients: HashMap<String, ContainerManagerClient> = HashMap::new();
    let mut started = 0;
    let mut done = 0;
    let deadline = Instant::now() + Duration::from_secs(60);
    while done < containers {
        assert!(Instant::now() < deadline, "application did not finish");
        let r = am
            .allocate(&allocate_request(rid, std::mem::take(&mut ask)))
            .await
            .expect("allocate");
        rid = r.response_id();
        for t in &r.nm_tokens {
            let t = Token::from_proto(t.token.as_ref().expect("token"));
            nm_tokens.insert(t.service.clone(), t);
        }
        for c in &r.allocated_containers {
            let node = c.node().expect("node").to_string();
            let nm = clients.entry(node.clone()).or_insert_with(|| {
                ContainerManagerClient::with_token(
                    node.clone(),
                    &nm_tokens[&node],
                    attempt.to_string(),
                )
            });
            let clc = ContainerLaunchContextProto {
                command: vec!["true".into()],
                ..Default::default()
            };
            let reply = nm
                .start_containers(&start_request(clc, c))
                .await
                .expect("start");
            assert!(reply.failed_requests.is_empty(), "{reply:?}");
            started += 1;
        }
        done += r.completed_container_statuses.len();
        if done < containers {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    assert_eq!(started, containers);
    am.finish_application_master(&FinishApplicationMasterRequestProto {
        final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
        ..Default::default()
    })
    .await
    .expect("finish");
    assert_eq!(
        report(client, id).await.yarn_application_state(),
        YarnApplicationStateProto::Finished
    );
}

fn app_8_containers(c: &mut Criterion) {
    let rt = bench_runtime();
    let cluster = rt.block_on(MiniCluster::start(options(2))).expect("start");
    let client = ApplicationClient::simple(cluster.rm_address().to_string(), "bench");
    let mut g = c.benchmark_group("app_8_containers_rust_am");
    g.sample_size(10);
    g.bench_function("submit_to_finished", |b| {
        b.iter(|| rt.block_on(one_app(&cluster, &client, 8)))
    });
    g.finish();
    rt.block_on(cluster.shutdown());
}

criterion_group!(benches, start_to_first_call, app_8_containers);
criterion_main!(benches);
