//! A long-running RM stays small: applications run to their end one after the other
//! (`completed_apps/unmanaged_app`: an unmanaged-AM application submitted, registered, given
//! two containers it releases, unregistered — over the real IPC ports), then more until 10,000
//! have completed, and the process's resident memory is printed. Completed applications are
//! kept up to `yarn.resourcemanager.max-completed-applications` (1,000), their container
//! records with them.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Duration;

use common::{allocate_request, am_client, ask_anywhere, bench_runtime, submit_unmanaged};
use criterion::{Criterion, criterion_group, criterion_main};
use spindle_base::memory::resident_kb;
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::proto::yarn::FinalApplicationStatusProto;
use spindle_protocol::proto::yarn_service::*;
use spindle_protocol::yarn::client::ApplicationClient;

/// Applications completed before the memory is read.
const TOTAL: usize = 10_000;

/// The process's resident set size in MB.
fn rss_mb() -> f64 {
    resident_kb(None).map_or(0.0, |kb| kb as f64 / 1024.0)
}

/// One whole unmanaged application.
async fn one_app(cluster: &MiniCluster, client: &ApplicationClient) {
    let (_, token) = submit_unmanaged(client).await;
    let am = am_client(cluster, &token);
    am.register_application_master(&RegisterApplicationMasterRequestProto::default())
        .await
        .expect("register");
    let mut rid = 0;
    let mut asks = vec![ask_anywhere(128, 2)];
    let mut got = Vec::new();
    while got.len() < 2 {
        let r = am
            .allocate(&allocate_request(rid, std::mem::take(&mut asks)))
            .await
            .expect("allocate");
        rid = r.response_id();
        got.extend(r.allocated_containers.into_iter().filter_map(|c| c.id));
    }
    let release = AllocateRequestProto {
        response_id: Some(rid),
        release: got,
        ..Default::default()
    };
    am.allocate(&release).await.expect("release");
    am.finish_application_master(&FinishApplicationMasterRequestProto {
        final_application_status: Some(FinalApplicationStatusProto::AppSucceeded as i32),
        ..Default::default()
    })
    .await
    .expect("finish");
}

fn completed_apps(c: &mut Criterion) {
    let rt = bench_runtime();
    let (cluster, client) = rt.block_on(async {
        let mut o = MiniClusterOptions::with_nodes(1, 4096, 8);
        o.monitor_interval = Duration::from_millis(100);
        let cluster = MiniCluster::start(o).await.expect("start");
        let client = ApplicationClient::simple(cluster.rm_address().to_string(), "bench");
        (cluster, client)
    });
    let idle = rss_mb();
    let mut g = c.benchmark_group("completed_apps");
    g.sample_size(20);
    g.bench_function("unmanaged_app", |b| {
        b.iter(|| rt.block_on(one_app(&cluster, &client)))
    });
    g.finish();
    let (done, kept, records) = rt.block_on(async {
        while cluster.inspect(|rm| rm.totals().finished) < TOTAL as i64 {
            one_app(&cluster, &client).await;
        }
        cluster.inspect(|rm| {
            (
                rm.totals().finished,
                rm.completed_apps(),
                rm.container_records(),
            )
        })
    });
    eprintln!(
        "completed_apps: resident memory {:.1} MB after {done} completed applications \
         ({kept} kept, {records} container records; {idle:.1} MB with the cluster idle)",
        rss_mb()
    );
    rt.block_on(cluster.shutdown());
}

criterion_group!(benches, completed_apps);
criterion_main!(benches);
