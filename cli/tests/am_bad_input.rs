//! `spindle am` on bad input and broken resource managers: it exits within a bounded time, with
//! Spark's exit code for the case and a diagnostic that says what to do, and leaves nothing
//! running.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use spindle_protocol::credentials::Credentials;
use spindle_protocol::ids::{ApplicationAttemptId, ApplicationId, ContainerId};
use spindle_protocol::token::{AmRmTokenIdentifier, Token};

/// Runs `spindle am` as a NodeManager would, with `scheduler` as the RM's scheduler address
/// and `tokens` as its credentials file; returns (exit code, stderr, how long it took).
async fn run_am(dir: &Path, scheduler: &str, tokens: &Path) -> (Option<i32>, String, Duration) {
    spindle_conf::write::write_conf_dir(
        dir,
        &[
            (
                "yarn.resourcemanager.scheduler.address".to_string(),
                scheduler.to_string(),
            ),
            (
                "ipc.client.connect.max.retries".to_string(),
                "1".to_string(),
            ),
            ("ipc.client.connect.timeout".to_string(), "2000".to_string()),
        ],
        &[],
    )
    .expect("conf");
    let attempt = ApplicationAttemptId::new(ApplicationId::new(1_700_000_000_000, 9), 1);
    let started = Instant::now();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_spindle"))
        .args(["am", "--shell", "true", "--num-executors", "1"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("CONTAINER_ID", ContainerId::new(attempt, 1).to_string())
        .env("NM_HOST", "127.0.0.1")
        .env("NM_PORT", "0")
        .env("USER", "spindle")
        .env("HADOOP_TOKEN_FILE_LOCATION", tokens)
        .env("HADOOP_CONF_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), child)
        .await
        .expect("the AM exits within two minutes")
        .expect("spindle am ran");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed(),
    )
}

fn tokens_file(dir: &Path) -> std::path::PathBuf {
    let attempt = ApplicationAttemptId::new(ApplicationId::new(1_700_000_000_000, 9), 1);
    let token: Token = AmRmTokenIdentifier {
        attempt_id: attempt,
        key_id: 1,
    }
    .issue(b"some key");
    let mut creds = Credentials::new();
    creds.add_token("", token);
    let path = dir.join("container_tokens");
    creds.write_file(&path).expect("tokens");
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_resourcemanager_ends_the_am_with_exit_12() {
    let dir = tempfile::tempdir().expect("dir");
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr");
    let (code, stderr, took) =
        run_am(dir.path(), &dead.to_string(), &tokens_file(dir.path())).await;
    assert_eq!(code, Some(12), "{stderr}");
    assert!(
        stderr.contains("Could not register with the ResourceManager"),
        "{stderr}"
    );
    assert!(stderr.contains(&dead.to_string()), "{stderr}");
    eprintln!("unreachable RM: the AM gave up after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resourcemanager_that_answers_garbage_ends_the_am_with_exit_12() {
    let dir = tempfile::tempdir().expect("dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = [0u8; 256];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(b"HTTP/1.1 400 this is not Hadoop IPC\r\n\r\n\xff\xff\xff\xff")
                    .await;
            });
        }
    });
    let (code, stderr, _) = run_am(dir.path(), &addr.to_string(), &tokens_file(dir.path())).await;
    server.abort();
    assert_eq!(code, Some(12), "{stderr}");
    assert!(
        stderr.contains("Could not register with the ResourceManager"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_tokens_file_stops_the_am_before_it_calls_anyone() {
    let dir = tempfile::tempdir().expect("dir");
    let tokens = dir.path().join("container_tokens");
    std::fs::write(&tokens, b"HDTS\x00garbage that is no credentials file").expect("write");
    let (code, stderr, took) = run_am(dir.path(), "127.0.0.1:1", &tokens).await;
    assert_eq!(code, Some(10), "{stderr}");
    assert!(
        stderr.contains("(HADOOP_TOKEN_FILE_LOCATION) is unusable"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(10), "{took:?}");
}
