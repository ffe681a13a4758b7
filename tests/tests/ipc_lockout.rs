//! The lockout a hostile-input probe of `spindle cluster` found: a local client opened 4,200
//! connections, completed the connection context on each and then sat idle, and every new
//! client was locked out of the RM port (the server capped connections at 4,096 and never
//! closed idle ones). Now a full server closes its least recently active idle connection for a
//! new one (and caps connections per source address), so a new client is served at once while
//! the idle crowd is held, and the server's memory stays bounded.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use spindle_base::memory::resident_kb;
use spindle_minicluster::{MiniCluster, MiniClusterOptions};
use spindle_protocol::ipc::frame::FrameCodec;
use spindle_protocol::ipc::header;
use spindle_protocol::proto::rpc::{IpcConnectionContextProto, UserInformationProto};
use spindle_protocol::yarn::APPLICATION_CLIENT_PROTOCOL;
use spindle_protocol::yarn::client::ApplicationClient;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpSocket, TcpStream};
use tokio_util::codec::Encoder;

/// Idle connections the crowd opens: more than the server's default cap of 4,096.
const CROWD: usize = 4200;
/// Source addresses the crowd spreads over (the per-source cap is 1,024).
const SOURCES: u8 = 5;

/// Resident memory of this process, kB.
fn rss_kb() -> u64 {
    resident_kb(None).expect("VmRSS in /proc/self/status")
}

/// The bytes of a SIMPLE connection that authenticated and sent its context: preamble, then
/// the context frame.
fn authenticated_opening() -> Vec<u8> {
    let ctx = IpcConnectionContextProto {
        user_info: Some(UserInformationProto {
            effective_user: Some("crowd".into()),
            real_user: None,
        }),
        protocol: Some(APPLICATION_CLIENT_PROTOCOL.into()),
    };
    let mut out = BytesMut::from(&header::preamble(header::AUTH_PROTOCOL_NONE)[..]);
    FrameCodec::default()
        .encode(header::context_request(b"0123456789abcdef", &ctx), &mut out)
        .expect("encode the context");
    out.to_vec()
}

async fn idle_connection(source: IpAddr, rm: SocketAddr, opening: &[u8]) -> Option<TcpStream> {
    let socket = TcpSocket::new_v4().ok()?;
    socket.bind(SocketAddr::new(source, 0)).ok()?;
    let mut stream = socket.connect(rm).await.ok()?;
    stream.write_all(opening).await.ok()?;
    Some(stream)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_client_is_served_while_thousands_of_idle_connections_are_held() {
    let options = MiniClusterOptions {
        rest: false,
        ..MiniClusterOptions::default()
    };
    let cluster = MiniCluster::start(options)
        .await
        .expect("start the cluster");
    let rm = cluster.rm_address();
    let before = rss_kb();
    let opening = authenticated_opening();
    let mut crowd = Vec::with_capacity(CROWD);
    for i in 0..CROWD {
        let source = IpAddr::from([127, 0, 0, 2 + (i % usize::from(SOURCES)) as u8]);
        if let Some(s) = idle_connection(source, rm, &opening).await {
            crowd.push(s);
        }
    }
    assert!(
        crowd.len() > 4096,
        "only {} connections opened",
        crowd.len()
    );
    // Let the server read every context, so that the crowd is authenticated and idle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let held = rss_kb();

    let started = Instant::now();
    let client = ApplicationClient::simple(rm.to_string(), "newcomer");
    let metrics = tokio::time::timeout(Duration::from_secs(5), client.get_cluster_metrics())
        .await
        .expect("the new client hung")
        .expect("the new client was refused");
    let served_in = started.elapsed();
    assert!(metrics.cluster_metrics.is_some());
    let after = rss_kb();
    println!(
        "{} idle connections held; new client served in {served_in:?}; RSS {} MB before, {} MB with the crowd, {} MB after the call",
        crowd.len(),
        before / 1024,
        held / 1024,
        after / 1024
    );
    assert!(
        served_in < Duration::from_secs(1),
        "a new client waited {served_in:?}"
    );
    // Bounded memory: the server holds at most 4,096 connections and small buffers for each
    // (the crowd's own sockets are in this process too).
    assert!(
        held.saturating_sub(before) < 512 * 1024,
        "RSS grew by {} MB with {} connections",
        (held - before) / 1024,
        crowd.len()
    );
    drop(crowd);
    cluster.shutdown().await;
}
