//! Small calls per second on one connection, our client ⇄ our server on loopback:
//! sequential and 8 concurrent callers, SIMPLE and TOKEN (after the handshake), plus the
//! cost of a new connection (connect + preamble + SASL + context + first call).

#[path = "../tests/ipc_support/mod.rs"]
mod ipc_support;

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ipc_support::*;
use spindle_protocol::ipc::{ClientAuth, IpcClient, IpcServer};
use tokio::runtime::Runtime;

const CONCURRENCY: u64 = 8;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

async fn one_call(client: &IpcClient) {
    let resp: EchoResponse = client.call("echo", &echo("ping")).await.expect("call");
    assert_eq!(resp.msg, "ping");
}

fn auth_kinds() -> [(&'static str, bool, ClientAuth); 2] {
    [
        (
            "simple",
            false,
            ClientAuth::Simple {
                user: "bench".into(),
            },
        ),
        ("token", true, token_auth(b"appattempt_bench")),
    ]
}

fn start(rt: &Runtime, token: bool) -> IpcServer {
    rt.block_on(async { echo_server(server_config(token, !token)).await.0 })
}

fn calls(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("ipc_calls");
    group.throughput(Throughput::Elements(1));
    group.measurement_time(Duration::from_secs(5));
    for (name, token, auth) in auth_kinds() {
        let server = start(&rt, token);
        let client = IpcClient::new(client_config(server.local_addr(), auth));
        rt.block_on(one_call(&client)); // handshake outside the measurement

        group.bench_function(format!("sequential/{name}"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        one_call(&client).await;
                    }
                    start.elapsed()
                })
            })
        });

        group.bench_function(format!("concurrent{CONCURRENCY}/{name}"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let per_task = iters.div_ceil(CONCURRENCY);
                    let start = Instant::now();
                    let tasks: Vec<_> = (0..CONCURRENCY)
                        .map(|_| {
                            let client = client.clone();
                            tokio::spawn(async move {
                                for _ in 0..per_task {
                                    one_call(&client).await;
                                }
                            })
                        })
                        .collect();
                    for t in tasks {
                        t.await.expect("bench task");
                    }
                    // Scale to exactly `iters` calls.
                    start
                        .elapsed()
                        .mul_f64(iters as f64 / (per_task * CONCURRENCY) as f64)
                })
            })
        });
        rt.block_on(server.shutdown());
    }
    group.finish();
}

fn handshake(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("ipc_handshake");
    group.measurement_time(Duration::from_secs(5));
    for (name, token, auth) in auth_kinds() {
        let server = start(&rt, token);
        let addr = server.local_addr();
        group.bench_function(format!("connect_and_first_call/{name}"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        let client = IpcClient::new(client_config(addr, auth.clone()));
                        one_call(&client).await;
                        client.close().await;
                    }
                    start.elapsed()
                })
            })
        });
        rt.block_on(server.shutdown());
    }
    group.finish();
}

criterion_group!(benches, calls, handshake);
criterion_main!(benches);
