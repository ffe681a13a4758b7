//! The client pings (callId −4, header only, real clientId) while a call is outstanding and
//! the connection is quiet, and not when nothing is outstanding.

mod ipc_support;

use std::time::Duration;

use ipc_support::*;
use spindle_protocol::ipc::frame::FrameParts;
use spindle_protocol::ipc::{IpcClient, header};
use spindle_protocol::proto::rpc::{RpcRequestHeaderProto, RpcStatusProto};
use tokio::net::TcpListener;

#[tokio::test]
async fn pings_while_a_call_is_outstanding() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let fake = tokio::spawn(async move {
        let (mut s, mut buf, call_header) = accept_one_call(listener).await;
        // Stay silent and count pings for a while.
        let mut pings = 0;
        let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
        while let Ok(Some(frame)) =
            tokio::time::timeout_at(deadline, read_frame(&mut s, &mut buf)).await
        {
            let mut parts = FrameParts::new(frame);
            let h: RpcRequestHeaderProto = parts.expect("header").unwrap();
            assert_eq!(h.call_id, header::PING_CALL_ID);
            assert_eq!(h.client_id, call_header.client_id);
            assert_eq!(h.retry_count, Some(-1));
            assert!(parts.is_empty(), "a ping is header-only");
            pings += 1;
        }
        let success = RpcStatusProto::Success as i32;
        let reply = echo_reply(call_header.call_id, &call_header.client_id, success, "late");
        write_frame(&mut s, reply).await;
        // Nothing outstanding now: no more pings until the client closes (idle).
        let mut quiet = 0;
        while let Some(_frame) = read_frame(&mut s, &mut buf).await {
            quiet += 1;
        }
        (pings, quiet)
    });
    let mut cfg = client_config(addr, simple("a"));
    cfg.ping_interval = Duration::from_millis(100);
    cfg.max_idle = Duration::from_millis(300);
    let client = IpcClient::new(cfg);
    let resp: EchoRequest = tokio::time::timeout(TEST_TIMEOUT, client.call("echo", &echo("x")))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resp.msg, "late");
    let (pings, quiet) = tokio::time::timeout(TEST_TIMEOUT, fake)
        .await
        .unwrap()
        .unwrap();
    // About 4 expected; loose bounds because the machine may be loaded.
    assert!(
        (2..=8).contains(&pings),
        "expected about 4 pings in 500 ms, got {pings}"
    );
    // One ping may already be on its way when the reply arrives; a client that kept
    // pinging through the 300 ms idle period would send about 3.
    assert!(
        quiet <= 1,
        "no pings without outstanding calls, got {quiet}"
    );
}
