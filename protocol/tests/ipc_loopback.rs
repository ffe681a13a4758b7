//! Our client ⇄ our server on loopback: SIMPLE and TOKEN auth, failures, concurrency,
//! reconnects and timeouts.

mod ipc_support;

use std::sync::Arc;
use std::time::Duration;

use ipc_support::*;
use spindle_protocol::ipc::{ClientAuth, IpcClient, IpcError, RetryPolicy, Service};
use spindle_protocol::proto::rpc::RpcErrorCodeProto;

/// Polls `cond` every 10 ms for up to TEST_TIMEOUT.
async fn wait_for(cond: impl Fn() -> bool) {
    tokio::time::timeout(TEST_TIMEOUT, async {
        while !cond() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("condition never became true");
}

/// One echo call of `msg` as `auth` to a fresh server that accepts TOKEN (`token`) and/or
/// SIMPLE (`simple`); the server is shut down before the result is returned.
async fn call_as(
    token: bool,
    simple: bool,
    auth: ClientAuth,
    msg: &str,
) -> Result<EchoResponse, IpcError> {
    let (server, _) = echo_server(server_config(token, simple)).await;
    let result = call(&client_of(&server, auth), msg).await;
    server.shutdown().await;
    result
}

#[tokio::test]
async fn simple_round_trip() {
    let resp = call_as(false, true, simple("alice"), "hello")
        .await
        .unwrap();
    assert_eq!(
        (resp.msg.as_str(), resp.user.as_str(), resp.auth.as_str()),
        ("hello", "alice", "simple")
    );
}

#[tokio::test]
async fn token_round_trip() {
    let (server, _) = echo_server(server_config(true, false)).await;
    let client = client_of(&server, token_auth(b"app-1"));
    let resp = call(&client, "hi").await.unwrap();
    assert_eq!(
        (resp.user.as_str(), resp.auth.as_str()),
        ("user-app-1", "token")
    );
    // Second call reuses the authenticated connection.
    let again = call(&client, "again").await.unwrap();
    assert_eq!(again.peer_port, resp.peer_port);
    server.shutdown().await;
}

#[tokio::test]
async fn token_client_falls_back_to_simple() {
    // A server without a secret manager answers NEGOTIATE with SUCCESS (switch to SIMPLE).
    let resp = call_as(false, true, token_auth(b"app-1"), "x")
        .await
        .unwrap();
    assert_eq!(
        (resp.user.as_str(), resp.auth.as_str()),
        ("fallback-user", "simple")
    );
}

#[tokio::test]
async fn refused_authentication_keeps_the_java_class() {
    let wrong_password = ClientAuth::Token {
        identifier: b"app-1".to_vec(),
        password: b"not the password".to_vec(),
        user: "u".into(),
    };
    // (what, auth, class the FATAL reply names, text of its message)
    let cases = [
        (
            "wrong password",
            wrong_password,
            "javax.security.sasl.SaslException",
            "Mismatched response",
        ),
        (
            "token the secret manager refuses",
            token_auth(b"bad-token"),
            "org.apache.hadoop.security.token.SecretManager$InvalidToken",
            "token has expired",
        ),
        (
            "SIMPLE client on a TOKEN-only server",
            simple("mallory"),
            "org.apache.hadoop.security.AccessControlException",
            "SIMPLE authentication is not enabled",
        ),
    ];
    for (what, auth, class, text) in cases {
        let err = call_as(true, false, auth, "x").await.unwrap_err();
        assert!(err.is_auth_failure(), "{what}: {err}");
        let remote = err.remote().expect("a server-reported failure");
        assert!(remote.fatal, "{what}: {remote}");
        assert_eq!(remote.class_name, class, "{what}");
        assert!(remote.message.contains(text), "{what}: {remote}");
    }
}

#[tokio::test]
async fn errors_keep_the_connection() {
    let (server, _) = echo_server(server_config(false, true)).await;
    let client = client_of(&server, simple("a"));
    let err = client
        .call::<_, EchoResponse>("fail", &echo("boom"))
        .await
        .unwrap_err();
    let remote = err.remote().unwrap();
    assert!(!remote.fatal);
    assert!(remote.is("YarnException"));
    assert_eq!(
        remote.error_code(),
        Some(RpcErrorCodeProto::ErrorApplication)
    );
    assert!(remote.message.contains("boom"));

    let err = client
        .call::<_, EchoResponse>("nope", &echo(""))
        .await
        .unwrap_err();
    assert!(err.remote().unwrap().is("RpcNoSuchMethodException"));
    assert_eq!(
        err.remote().unwrap().error_code(),
        Some(RpcErrorCodeProto::ErrorNoSuchMethod)
    );
    // Still usable.
    assert_eq!(call(&client, "ok").await.unwrap().msg, "ok");
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_protocol_and_version_mismatch() {
    let (server, _) = echo_server(server_config(false, true)).await;
    let auth = simple("a");
    let mut cfg = client_config(server.local_addr(), auth.clone());
    cfg.protocol = "org.example.NoSuchProtocolPB".into();
    let err = IpcClient::new(cfg)
        .call::<_, EchoResponse>("echo", &echo(""))
        .await
        .unwrap_err();
    assert!(
        err.remote().unwrap().is("RpcNoSuchProtocolException"),
        "{err}"
    );
    assert_eq!(
        err.remote().unwrap().code,
        Some(RpcErrorCodeProto::ErrorNoSuchProtocol as i32)
    );

    let mut cfg = client_config(server.local_addr(), auth);
    cfg.protocol_version = 2;
    let err = IpcClient::new(cfg)
        .call::<_, EchoResponse>("echo", &echo(""))
        .await
        .unwrap_err();
    assert_eq!(
        err.remote().unwrap().class_name,
        "org.apache.hadoop.ipc.RPC$VersionMismatch"
    );
    assert_eq!(
        err.remote().unwrap().code,
        Some(RpcErrorCodeProto::ErrorRpcVersionMismatch as i32)
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_calls_on_one_connection() {
    let (server, service) = echo_server(server_config(true, false)).await;
    let client = client_of(&server, token_auth(b"app-2"));
    let mut tasks = Vec::new();
    for i in 0..300u64 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            // Later calls finish first: responses come back out of order.
            let req = EchoRequest {
                msg: format!("m{i}"),
                delay_ms: (300 - i) % 40,
            };
            let resp: EchoResponse = client.call("echo", &req).await.unwrap();
            assert_eq!(resp.msg, format!("m{i}"));
            resp.peer_port
        }));
    }
    let mut ports = std::collections::HashSet::new();
    for t in tasks {
        ports.insert(
            tokio::time::timeout(TEST_TIMEOUT, t)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    assert_eq!(ports.len(), 1, "all calls must share one connection");
    assert_eq!(service.peers.lock().unwrap().len(), 1);
    server.shutdown().await;
}

/// A SIMPLE client of `server` whose configuration `tune` adjusts.
fn simple_client_with(
    server: &spindle_protocol::ipc::IpcServer,
    tune: impl FnOnce(&mut spindle_protocol::ipc::ClientConfig),
) -> IpcClient {
    let mut cfg = client_config(server.local_addr(), simple("a"));
    tune(&mut cfg);
    IpcClient::new(cfg)
}

#[tokio::test]
async fn call_timeout_then_connection_still_works() {
    let (server, _) = echo_server(server_config(false, true)).await;
    let client = simple_client_with(&server, |cfg| cfg.call_timeout = Duration::from_millis(200));
    let slow = EchoRequest {
        msg: "slow".into(),
        delay_ms: 600,
    };
    let err = client
        .call::<_, EchoResponse>("echo", &slow)
        .await
        .unwrap_err();
    assert!(matches!(err, IpcError::Timeout { .. }), "{err}");
    let first = call(&client, "fast").await.unwrap();
    // The late response to the timed-out call arrives and is dropped quietly.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let second = call(&client, "after").await.unwrap();
    assert_eq!(
        first.peer_port, second.peer_port,
        "connection survived the late response"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn server_restart_client_reconnects() {
    let (server, service) = echo_server(server_config(true, true)).await;
    let addr = server.local_addr();
    let mut cfg = client_config(addr, token_auth(b"app-3"));
    cfg.retry = RetryPolicy {
        max_attempts: 40,
        initial_backoff: Duration::from_millis(25),
        max_backoff: Duration::from_millis(100),
    };
    let client = IpcClient::new(cfg);
    let before = call(&client, "one").await.unwrap();
    server.shutdown().await;
    // Let the client notice the close (a call racing with it would be reported as
    // ConnectionLost, and retrying it is the caller's choice).
    tokio::time::sleep(Duration::from_millis(100)).await;

    // Restart on the same port a bit later; the next call retries its connect until then.
    let restart = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut cfg = server_config(true, true);
        cfg.bind = addr;
        let service2 = Arc::new(EchoService::default());
        spindle_protocol::ipc::IpcServer::bind(cfg, vec![service2 as Arc<dyn Service>])
            .await
            .unwrap()
    });
    let after = match call(&client, "two").await {
        // The close raced with the call: report-and-let-the-caller-retry is the contract.
        Err(IpcError::ConnectionLost(_)) => call(&client, "two").await,
        other => other,
    }
    .unwrap();
    assert_eq!(after.msg, "two");
    assert_ne!(
        before.peer_port, after.peer_port,
        "a new connection was made"
    );
    assert_eq!(service.peers.lock().unwrap().len(), 1);
    restart.await.unwrap().shutdown().await;
}

/// A client configuration for an address nothing listens on, with 3 connect attempts
/// `backoff` apart.
fn nowhere_with_3_attempts(backoff: Duration) -> spindle_protocol::ipc::ClientConfig {
    let mut cfg = client_config(unused_addr(), simple("a"));
    cfg.retry = RetryPolicy {
        max_attempts: 3,
        initial_backoff: backoff,
        max_backoff: backoff,
    };
    cfg
}

#[tokio::test]
async fn connect_failure_is_bounded() {
    let cfg = nowhere_with_3_attempts(Duration::from_millis(10));
    let err = call(&IpcClient::new(cfg), "x").await.unwrap_err();
    assert!(
        matches!(err, IpcError::Connect { attempts: 3, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn idle_connection_is_closed_and_reopened() {
    let (server, service) = echo_server(server_config(false, true)).await;
    let client = simple_client_with(&server, |cfg| cfg.max_idle = Duration::from_millis(100));
    let first = call(&client, "1").await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let second = call(&client, "2").await.unwrap();
    assert_ne!(first.peer_port, second.peer_port);
    assert_eq!(service.peers.lock().unwrap().len(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn graceful_shutdown_lets_calls_finish() {
    let (server, service) = echo_server(server_config(false, true)).await;
    let client = client_of(&server, simple("a"));
    call(&client, "warm-up").await.unwrap();
    let slow = {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .call::<_, EchoResponse>(
                    "echo",
                    &EchoRequest {
                        msg: "slow".into(),
                        delay_ms: 300,
                    },
                )
                .await
        })
    };
    wait_for(|| service.running.load(std::sync::atomic::Ordering::SeqCst) == 1).await;
    tokio::time::timeout(TEST_TIMEOUT, server.shutdown())
        .await
        .unwrap();
    assert_eq!(slow.await.unwrap().unwrap().msg, "slow");
}

#[tokio::test]
async fn set_auth_applies_to_new_connections() {
    let (server, _) = echo_server(server_config(true, false)).await;
    let client = client_of(&server, token_auth(b"old"));
    assert_eq!(call(&client, "x").await.unwrap().user, "user-old");
    client.set_auth(token_auth(b"new"));
    assert_eq!(
        call(&client, "x").await.unwrap().user,
        "user-old",
        "existing connection kept"
    );
    client.close().await;
    assert_eq!(call(&client, "x").await.unwrap().user, "user-new");
    server.shutdown().await;
}

async fn max_running_with_limit(limit: usize) -> usize {
    let mut cfg = server_config(false, true);
    cfg.max_in_flight_per_connection = limit;
    let (server, service) = echo_server(cfg).await;
    let client = client_of(&server, simple("a"));
    let calls: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let req = EchoRequest {
                    msg: format!("{i}"),
                    delay_ms: 50,
                };
                client.call::<_, EchoResponse>("echo", &req).await.unwrap()
            })
        })
        .collect();
    for c in calls {
        tokio::time::timeout(TEST_TIMEOUT, c)
            .await
            .unwrap()
            .unwrap();
    }
    server.shutdown().await;
    service
        .max_running
        .load(std::sync::atomic::Ordering::SeqCst)
}

#[tokio::test]
async fn calls_on_one_connection_run_concurrently_up_to_the_limit() {
    assert_eq!(
        max_running_with_limit(1).await,
        1,
        "limit 1 serializes calls"
    );
    assert!(
        max_running_with_limit(8).await > 1,
        "calls on one connection overlap"
    );
}

#[tokio::test]
async fn a_full_server_closes_an_idle_connection_for_a_new_one_and_refuses_when_all_are_busy() {
    let mut cfg = server_config(false, true);
    cfg.max_connections = 1;
    let (server, service) = echo_server(cfg).await;
    let first = client_of(&server, simple("a"));
    let one = call(&first, "1").await.unwrap();
    // `first` is idle now: a new client takes its place at once.
    let mut cfg = client_config(server.local_addr(), simple("b"));
    cfg.retry = RetryPolicy::none();
    let second = IpcClient::new(cfg.clone());
    let two = call(&second, "2").await.unwrap();
    assert_ne!(one.peer_port, two.peer_port);
    // While `second` has a call outstanding it is not idle, so a third client is refused.
    let slow = {
        let second = second.clone();
        tokio::spawn(async move {
            let req = EchoRequest {
                msg: "slow".into(),
                delay_ms: 1500,
            };
            second.call::<_, EchoResponse>("echo", &req).await
        })
    };
    wait_for(|| service.running.load(std::sync::atomic::Ordering::SeqCst) == 1).await;
    let third = IpcClient::new(cfg);
    let err = call(&third, "3").await.unwrap_err();
    assert!(
        matches!(err, IpcError::ConnectionLost(_) | IpcError::Io(_)),
        "{err}"
    );
    assert_eq!(slow.await.unwrap().unwrap().msg, "slow");
    // Idle again: the third client gets in, and `first` reconnects by itself later on.
    call(&third, "3").await.unwrap();
    let mut result = call(&first, "4").await;
    for _ in 0..100 {
        if result.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        result = call(&first, "4").await;
    }
    result.unwrap();
    server.shutdown().await;
}

#[tokio::test]
async fn callers_queued_behind_a_failed_connect_share_its_error() {
    let cfg = nowhere_with_3_attempts(Duration::from_millis(50));
    let client = IpcClient::new(cfg);
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client, "x").await.unwrap_err() })
        })
        .collect();
    let mut own_attempts = 0;
    for c in calls {
        match c.await.unwrap() {
            IpcError::Connect { attempts: 3, .. } => own_attempts += 1,
            IpcError::ConnectionLost(m) => {
                assert!(m.contains("failed while this call waited"), "{m}")
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        (1..8).contains(&own_attempts),
        "{own_attempts} callers ran their own retries"
    );
}

/// A TOKEN echo server offering `server` and a client accepting `client` (both in order).
async fn qop_pair(
    server: &[spindle_protocol::sasl::Qop],
    client: &[spindle_protocol::sasl::Qop],
) -> (spindle_protocol::ipc::IpcServer, IpcClient) {
    let mut cfg = server_config(true, false);
    cfg.qop = server.to_vec();
    let (server, _) = echo_server(cfg).await;
    let mut cfg = client_config(server.local_addr(), token_auth(b"app-q"));
    cfg.qop = client.to_vec();
    (server, IpcClient::new(cfg))
}

#[tokio::test]
async fn integrity_and_privacy_wrap_every_frame_both_ways() {
    use spindle_protocol::sasl::Qop;
    for qop in [Qop::Auth, Qop::AuthInt, Qop::AuthConf] {
        let (server, client) = qop_pair(&[qop], &[qop]).await;
        // Small calls, many at once (several frames per token, tokens interleaved with
        // replies), then one larger than the 64 KiB a token may carry.
        let calls: Vec<_> = (0..50)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move { call(&client, &format!("m{i}")).await })
            })
            .collect();
        for (i, c) in calls.into_iter().enumerate() {
            let resp = c.await.unwrap().unwrap();
            assert_eq!(resp.msg, format!("m{i}"), "{qop}");
            assert_eq!(resp.user, "user-app-q");
        }
        let big = "x".repeat(300_000);
        assert_eq!(
            call(&client, &big).await.unwrap().msg.len(),
            big.len(),
            "{qop}"
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn protection_lists_agree_on_the_clients_first_choice_or_fail_naming_both() {
    use spindle_protocol::sasl::Qop;
    // Both sides accept authentication and privacy: the client's first choice wins.
    let (server, client) = qop_pair(&[Qop::Auth, Qop::AuthConf], &[Qop::AuthConf, Qop::Auth]).await;
    call(&client, "a").await.unwrap();
    server.shutdown().await;
    let (server, client) = qop_pair(&[Qop::AuthInt], &[Qop::AuthConf]).await;
    let err = call(&client, "a").await.unwrap_err();
    assert!(
        matches!(&err, IpcError::Auth(m) if m.contains("ours is [privacy]") && m.contains("offers [integrity]")),
        "{err}"
    );
    server.shutdown().await;
}
