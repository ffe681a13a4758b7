//! Calls per second at each `hadoop.rpc.protection` (authentication, integrity, privacy):
//! Hadoop's Java client (`JavaBench`) and ours (`AmRmClient`) making the same sequential
//! token-auth `allocate` calls (DIGEST-MD5; with integrity and privacy every frame is wrapped)
//! on the same server, for Hadoop's server (`JavaYarnServers`) and ours (the embedded mini
//! cluster). Prints one line per (protection, server, client).
//!
//! Run with `cargo bench -p spindle-tests --bench interop_protection`.

use std::cell::Cell;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use spindle_protocol::ipc::ClientConfig;
use spindle_protocol::sasl::Qop;
use spindle_protocol::token::Token;
use spindle_protocol::yarn::am::AmRmClient;
use spindle_protocol::yarn::{APPLICATION_MASTER_PROTOCOL, token_auth};
use spindle_tests::bench::{BenchMode, print_result, run_java_bench_with, sequential};
use spindle_tests::calls::{USER, heartbeat, register_request};
use spindle_tests::clients::Endpoints;
use spindle_tests::ours::{OurCluster, unmanaged_app};
use spindle_tests::servers::JavaYarnServers;

const WARMUP: Duration = Duration::from_secs(2);
const MEASURE: Duration = Duration::from_secs(4);

/// A registered AM of ours on `at`'s scheduler with `token`, accepting `qop` only.
async fn our_am(at: &Endpoints, token: &Token, qop: Qop) -> AmRmClient {
    let mut config = ClientConfig::new(
        at.scheduler.to_string(),
        APPLICATION_MASTER_PROTOCOL,
        token_auth(token, USER),
    );
    config.qop = vec![qop];
    let am = AmRmClient::new(config);
    am.set_amrm_token(token);
    am.register_application_master(&register_request())
        .await
        .expect("register");
    am
}

async fn allocate_once(am: &AmRmClient, rid: &Cell<i32>) {
    let r = am.allocate(&heartbeat(rid.get())).await.expect("allocate");
    rid.set(r.response_id.unwrap_or(0));
}

fn protection(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    println!(
        "\nsequential token-auth allocate, one connection, {MEASURE:?} after {WARMUP:?} warm-up:"
    );
    let mut g = c.benchmark_group("our_client_allocate");
    g.measurement_time(MEASURE);
    for qop in [Qop::Auth, Qop::AuthInt, Qop::AuthConf] {
        let java = rt
            .block_on(JavaYarnServers::start_configured(
                2,
                spindle_tests::process::JavaSetup::protection(qop.protection_name()),
            ))
            .expect("start JavaYarnServers");
        let ours = rt
            .block_on(OurCluster::start_with_protection(&[qop]))
            .expect("start our cluster");
        let (_, our_second) = rt
            .block_on(unmanaged_app(&ours.cluster))
            .expect("a second application");
        let servers = [
            (
                "Java server",
                java.endpoints(),
                java.more_am_tokens[0].clone(),
            ),
            ("our server", ours.endpoints(), our_second),
        ];
        for (server, at, token) in &servers {
            let r = rt
                .block_on(run_java_bench_with(
                    BenchMode::Allocate,
                    at.scheduler,
                    Some(at.token_file.as_path()),
                    WARMUP,
                    MEASURE,
                    &at.java,
                ))
                .unwrap_or_else(|e| panic!("Java client → {server} at {qop}: {e}"));
            let call = format!("allocate ({qop})");
            print_result(&call, "Java client", server, &r);
            let am = rt.block_on(our_am(at, token, qop));
            let rid = Cell::new(0);
            let r = rt.block_on(sequential(WARMUP, MEASURE, || allocate_once(&am, &rid)));
            print_result(&call, "our client ", server, &r);
            g.bench_function(
                format!("{}_{}", qop.protection_name(), server.replace(' ', "_")),
                |b| {
                    b.iter_custom(|iters| {
                        rt.block_on(async {
                            let t = std::time::Instant::now();
                            for _ in 0..iters {
                                allocate_once(&am, &rid).await;
                            }
                            t.elapsed()
                        })
                    })
                },
            );
        }
        rt.block_on(ours.shutdown());
        drop(java);
    }
    g.finish();
}

criterion_group!(benches, protection);
criterion_main!(benches);
