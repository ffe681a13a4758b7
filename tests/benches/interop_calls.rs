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
use std::future::Future;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use spindle_protocol::ids::ApplicationId;
use spindle_protocol::proto::yarn::{ApplicationSubmissionContextProto, ResourceProto};
use spindle_protocol::proto::yarn_service::{
    AllocateRequestProto, GetApplicationReportRequestProto, RegisterApplicationMasterRequestProto,
    SubmitApplicationRequestProto,
};
use spindle_protocol::token::Token;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::client::ApplicationClient;
use spindle_tests::bench::{BenchMode, BenchResult, run_java_bench};
use spindle_tests::ours::{OurCluster, unmanaged_app};
use spindle_tests::servers::JavaYarnServers;

const WARMUP: Duration = Duration::from_secs(3);
const MEASURE: Duration = Duration::from_secs(5);

/// An AM client registered with `token`.
async fn registered_am(addr: std::net::SocketAddr, token: &Token) -> AmRmClient {
    let am = AmRmClient::with_token(addr.to_string(), token, "bench");
    am.register_application_master(&RegisterApplicationMasterRequestProto {
        host: Some("127.0.0.1".into()),
        rpc_port: Some(0),
        tracking_url: Some(String::new()),
        ..Default::default()
    })
    .await
    .expect("register");
    am
}

async fn submitted_app(
    addr: std::net::SocketAddr,
) -> (ApplicationClient, GetApplicationReportRequestProto) {
    let client = ApplicationClient::simple(addr.to_string(), "bench");
    let new = client
        .get_new_application()
        .await
        .expect("getNewApplication");
    let id = ApplicationId::from_proto(new.application_id.as_ref().expect("id")).expect("id");
    client
        .submit_application(&SubmitApplicationRequestProto {
            application_submission_context: Some(ApplicationSubmissionContextProto {
                application_id: Some(id.to_proto()),
                application_name: Some("bench".into()),
                resource: Some(ResourceProto::new(512, 1)),
                // No AM container to launch: the report loop needs only the application.
                unmanaged_am: Some(true),
                ..Default::default()
            }),
        })
        .await
        .expect("submitApplication");
    (
        client,
        GetApplicationReportRequestProto {
            application_id: Some(id.to_proto()),
        },
    )
}

/// The Java client's measuring loop, for our client: warm-up, then sequential calls.
async fn sequential<F, Fut>(mut call: F) -> BenchResult
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let end = Instant::now() + WARMUP;
    while Instant::now() < end {
        call().await;
    }
    let mut lat = Vec::with_capacity(1 << 16);
    let start = Instant::now();
    let end = start + MEASURE;
    let mut now = start;
    while now < end {
        let t0 = Instant::now();
        call().await;
        now = Instant::now();
        lat.push(now - t0);
    }
    let secs = (now - start).as_secs_f64();
    lat.sort();
    let pct =
        |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)].as_secs_f64() * 1e6;
    BenchResult {
        calls: lat.len() as u64,
        seconds: secs,
        calls_per_s: lat.len() as f64 / secs,
        p50_us: pct(0.5),
        p99_us: pct(0.99),
    }
}

fn print(label: &str, r: &BenchResult) {
    println!(
        "{label:<58} {:>8.0} calls/s   p50 {:>6.0} µs   p99 {:>6.0} µs",
        r.calls_per_s, r.p50_us, r.p99_us
    );
}

/// One heartbeat; `rid` carries the response id from call to call.
async fn allocate_once(am: &AmRmClient, rid: &Cell<i32>) {
    let r = am
        .allocate(&AllocateRequestProto {
            response_id: Some(rid.get()),
            progress: Some(0.5),
            ..Default::default()
        })
        .await
        .expect("allocate");
    rid.set(r.response_id.unwrap_or(0));
}

fn interop_calls(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let java = rt
        .block_on(JavaYarnServers::start_with(2))
        .expect("start JavaYarnServers");
    let ours = rt.block_on(OurCluster::start()).expect("start our cluster");
    let (ours_am, ours_client) = (ours.cluster.scheduler_address(), ours.cluster.rm_address());

    println!("\nsequential small calls, one connection, {MEASURE:?} after {WARMUP:?} warm-up:");
    let j_alloc_j = rt
        .block_on(run_java_bench(
            BenchMode::Allocate,
            java.am_addr,
            Some(&java.token_file),
            WARMUP,
            MEASURE,
        ))
        .expect("Java → Java allocate");
    print("allocate (TOKEN)  Java client → Java server", &j_alloc_j);
    let j_alloc_r = rt
        .block_on(run_java_bench(
            BenchMode::Allocate,
            ours_am,
            Some(&ours.token_file),
            WARMUP,
            MEASURE,
        ))
        .expect("Java → Rust allocate");
    print("allocate (TOKEN)  Java client → our server", &j_alloc_r);

    let am_java = rt.block_on(registered_am(
        java.am_addr,
        &java.more_am_tokens[0].to_token(),
    ));
    let (_, second_token) = rt
        .block_on(unmanaged_app(&ours.cluster))
        .expect("a second application");
    let am_ours = rt.block_on(registered_am(ours_am, &second_token));
    let (rid_java, rid_ours) = (Cell::new(0), Cell::new(0));
    let r = rt.block_on(sequential(|| allocate_once(&am_java, &rid_java)));
    print("allocate (TOKEN)  our client  → Java server", &r);
    let r = rt.block_on(sequential(|| allocate_once(&am_ours, &rid_ours)));
    print("allocate (TOKEN)  our client  → our server", &r);

    let j_rep_j = rt
        .block_on(run_java_bench(
            BenchMode::Report,
            java.client_addr,
            None,
            WARMUP,
            MEASURE,
        ))
        .expect("Java → Java report");
    print(
        "getApplicationReport (SIMPLE)  Java client → Java server",
        &j_rep_j,
    );
    let j_rep_r = rt
        .block_on(run_java_bench(
            BenchMode::Report,
            ours_client,
            None,
            WARMUP,
            MEASURE,
        ))
        .expect("Java → Rust report");
    print(
        "getApplicationReport (SIMPLE)  Java client → our server",
        &j_rep_r,
    );
    let (cl_java, req_java) = rt.block_on(submitted_app(java.client_addr));
    let (cl_ours, req_ours) = rt.block_on(submitted_app(ours_client));
    let r = rt.block_on(sequential(|| async {
        cl_java
            .get_application_report(&req_java)
            .await
            .expect("report");
    }));
    print(
        "getApplicationReport (SIMPLE)  our client  → Java server",
        &r,
    );
    let r = rt.block_on(sequential(|| async {
        cl_ours
            .get_application_report(&req_ours)
            .await
            .expect("report");
    }));
    print(
        "getApplicationReport (SIMPLE)  our client  → our server",
        &r,
    );
    println!();

    let mut g = c.benchmark_group("our_client");
    g.measurement_time(MEASURE);
    for (name, cl, req) in [
        ("report_java_server", &cl_java, &req_java),
        ("report_our_server", &cl_ours, &req_ours),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let t = Instant::now();
                    for _ in 0..iters {
                        cl.get_application_report(req).await.expect("report");
                    }
                    t.elapsed()
                })
            })
        });
    }
    for (name, am, rid) in [
        ("allocate_java_server", &am_java, &rid_java),
        ("allocate_our_server", &am_ours, &rid_ours),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let t = Instant::now();
                    for _ in 0..iters {
                        allocate_once(am, rid).await;
                    }
                    t.elapsed()
                })
            })
        });
    }
    g.finish();
    drop((am_java, am_ours));
    rt.block_on(ours.shutdown());
    drop(java);
}

criterion_group!(benches, interop_calls);
criterion_main!(benches);
