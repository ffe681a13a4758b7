//! Sequential small-call throughput, every client against every server on this machine:
//!
//! * Java client (Hadoop 3.5 IPC, `JavaBench`) → Java server (Hadoop's `Server`, `JavaYarnServers`)
//!   and → our server (the embedded mini cluster's RM);
//! * our client (`AmRmClient`, `ApplicationClient`) → the same two servers.
//!
//! Calls: token-auth `allocate` with an empty ask (one connection, one call at a time) and
//! SIMPLE `getApplicationReport`. Every pair is first measured with the same loop the Java client
//! uses (prints `calls/s`, p50, p99), then our client is measured again with criterion.
//! Run with `cargo bench -p spindle-tests --bench interop_calls`.

use std::cell::Cell;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use spindle_protocol::proto::yarn_service::GetApplicationReportRequestProto;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_tests::bench::{BenchMode, print_result as print, run_java_bench, sequential};
use spindle_tests::calls::{USER, heartbeat, registered_am, submit_unmanaged};
use spindle_tests::clients::Endpoints;
use spindle_tests::ours::{OurCluster, unmanaged_app};
use spindle_tests::servers::JavaYarnServers;

const WARMUP: Duration = Duration::from_secs(3);
const MEASURE: Duration = Duration::from_secs(5);

/// A new unmanaged-AM application on `addr`, and the request for its report.
async fn submitted_app(addr: SocketAddr) -> (ApplicationClient, GetApplicationReportRequestProto) {
    let client = ApplicationClient::simple(addr.to_string(), USER);
    let id = submit_unmanaged(&client, "bench")
        .await
        .expect("submit an application");
    let request = GetApplicationReportRequestProto {
        application_id: Some(id.to_proto()),
    };
    (client, request)
}

/// One heartbeat; `rid` carries the response id from call to call.
async fn allocate_once(am: &AmRmClient, rid: &Cell<i32>) {
    let r = am.allocate(&heartbeat(rid.get())).await.expect("allocate");
    rid.set(r.response_id.unwrap_or(0));
}

/// What our client holds on one server: a registered AM (with its response id) and an
/// application to report on.
struct OurClient {
    am: AmRmClient,
    rid: Cell<i32>,
    client: ApplicationClient,
    report: GetApplicationReportRequestProto,
}

fn interop_calls(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    let java = rt
        .block_on(JavaYarnServers::start_with(2))
        .expect("start JavaYarnServers");
    let ours = rt.block_on(OurCluster::start()).expect("start our cluster");
    // The Java client registers application 1; ours registers application 2 of each server.
    let (_, our_second) = rt
        .block_on(unmanaged_app(&ours.cluster))
        .expect("a second application");
    let servers: [(&str, Endpoints, _); 2] = [
        (
            "Java server",
            java.endpoints(),
            java.more_am_tokens[0].clone(),
        ),
        ("our server", ours.endpoints(), our_second),
    ];

    println!("\nsequential small calls, one connection, {MEASURE:?} after {WARMUP:?} warm-up:");
    let mut clients = Vec::new();
    for (server, at, token) in &servers {
        for (mode, addr, call) in [
            (BenchMode::Allocate, at.scheduler, "allocate (TOKEN)"),
            (
                BenchMode::Report,
                at.client,
                "getApplicationReport (SIMPLE)",
            ),
        ] {
            let token_file = (mode == BenchMode::Allocate).then_some(at.token_file.as_path());
            let r = rt
                .block_on(run_java_bench(mode, addr, token_file, WARMUP, MEASURE))
                .unwrap_or_else(|e| panic!("Java client → {server}, {call}: {e}"));
            print(call, "Java client", server, &r);
        }
        let ours = rt.block_on(async {
            let (client, report) = submitted_app(at.client).await;
            OurClient {
                am: registered_am(at.scheduler, token).await,
                rid: Cell::new(0),
                client,
                report,
            }
        });
        let r = rt.block_on(sequential(WARMUP, MEASURE, || {
            allocate_once(&ours.am, &ours.rid)
        }));
        print("allocate (TOKEN)", "our client ", server, &r);
        let r = rt.block_on(sequential(WARMUP, MEASURE, || async {
            ours.client
                .get_application_report(&ours.report)
                .await
                .expect("report");
        }));
        print("getApplicationReport (SIMPLE)", "our client ", server, &r);
        clients.push((server.to_lowercase().replace(" ", "_"), ours));
    }
    println!();

    let mut g = c.benchmark_group("our_client");
    g.measurement_time(MEASURE);
    for (server, ours) in &clients {
        g.bench_function(format!("report_{server}"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let t = Instant::now();
                    for _ in 0..iters {
                        ours.client
                            .get_application_report(&ours.report)
                            .await
                            .expect("report");
                    }
                    t.elapsed()
                })
            })
        });
        g.bench_function(format!("allocate_{server}"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let t = Instant::now();
                    for _ in 0..iters {
                        allocate_once(&ours.am, &ours.rid).await;
                    }
                    t.elapsed()
                })
            })
        });
    }
    g.finish();
    drop(clients);
    rt.block_on(ours.shutdown());
    drop(java);
}

criterion_group!(benches, interop_calls);
criterion_main!(benches);
