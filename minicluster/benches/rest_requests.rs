//! RM REST API benchmarks over loopback, one keep-alive HTTP/1.1 connection:
//!
//! * `rest/cluster_info`: `GET /ws/v1/cluster/info`.
//! * `rest/apps_list_100`, `rest/apps_list_1000`: `GET /ws/v1/cluster/apps` with 100 and 1,000
//!   applications (unmanaged AMs, so no processes run).
//! * `rest/new_application_and_submit`: `POST …/apps/new-application` then `POST …/apps` of an
//!   unmanaged-AM submission (202).
//!
//! Cluster start is not timed.

#[path = "../tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;

use common::bench_runtime;
use criterion::{Criterion, criterion_group, criterion_main};
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A keep-alive HTTP/1.1 client for answers with `content-length`.
struct Conn {
    stream: BufReader<TcpStream>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Conn {
        Conn {
            stream: BufReader::new(TcpStream::connect(addr).await.expect("connect")),
        }
    }

    async fn call(&mut self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.stream
            .get_mut()
            .write_all(&request)
            .await
            .expect("write");
        let mut status = 0;
        let mut len = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            self.stream.read_line(&mut line).await.expect("read");
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some(rest) = l.strip_prefix("HTTP/1.1 ") {
                status = rest[..3].parse().expect("status");
            } else if let Some((k, v)) = l.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                len = v.trim().parse().expect("length");
            }
        }
        let mut out = vec![0; len];
        self.stream.read_exact(&mut out).await.expect("body");
        (status, out)
    }
}

/// Asks for a new application id and submits an unmanaged-AM application under it.
async fn submit_new(conn: &mut Conn) {
    let (status, body) = conn
        .call("POST", "/ws/v1/cluster/apps/new-application", b"")
        .await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
    let id = v["application-id"].as_str().expect("id");
    let submission =
        format!(r#"{{"application-id":"{id}","application-name":"bench","unmanaged-AM":true}}"#);
    let (status, _) = conn
        .call("POST", "/ws/v1/cluster/apps", submission.as_bytes())
        .await;
    assert_eq!(status, 202);
}

fn rest(c: &mut Criterion) {
    let rt = bench_runtime();
    let (cluster, mut conn) = rt.block_on(async {
        let cluster = MiniCluster::start(MiniClusterOptions::with_nodes(1, 4096, 8))
            .await
            .expect("start");
        let conn = Conn::open(cluster.rest_address().expect("rest")).await;
        (cluster, conn)
    });
    let mut g = c.benchmark_group("rest");
    g.bench_function("cluster_info", |b| {
        b.iter(|| {
            rt.block_on(async {
                let (status, _) = conn.call("GET", "/ws/v1/cluster/info", b"").await;
                assert_eq!(status, 200);
            })
        })
    });
    let mut apps = 0;
    for listed in [100, 1000] {
        rt.block_on(async {
            while apps < listed {
                submit_new(&mut conn).await;
                apps += 1;
            }
        });
        g.bench_function(format!("apps_list_{listed}"), |b| {
            b.iter(|| {
                rt.block_on(async {
                    let (status, body) = conn.call("GET", "/ws/v1/cluster/apps", b"").await;
                    assert_eq!(status, 200);
                    assert!(body.len() > listed * 500);
                })
            })
        });
    }
    g.bench_function("new_application_and_submit", |b| {
        b.iter(|| rt.block_on(submit_new(&mut conn)))
    });
    g.finish();
    drop(conn);
    rt.block_on(cluster.shutdown());
}

criterion_group!(benches, rest);
criterion_main!(benches);
