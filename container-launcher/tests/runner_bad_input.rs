//! Bad input fails the container with a clear diagnostic and status, never the runner: an unwritable
//! log folder, a command that does not exist, a bad environment key, tokens that are not a credentials
//! file, hostile ids. After each, the same runner keeps running other containers.

mod common;

use common::*;
use spindle_launcher::runner::ConfigError;
use spindle_launcher::{LocalRunner, RunnerConfig};

async fn still_serving(t: &mut TestRunner, seq: u32) {
    let s = spec(50, seq, "echo fine > <LOG_DIR>/ok");
    let log_dir = t.log_dir(&s);
    let exit = t.run(s).await;
    assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);
    assert_eq!(read(&log_dir, "ok"), "fine\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_log_folder_fails_only_that_container() {
    let mut t = TestRunner::new();
    // The application's log folder is a plain file, so nothing can be created inside it (this holds
    // for root too, unlike permission bits).
    std::fs::create_dir_all(t.root().join("logs")).unwrap();
    std::fs::write(t.root().join("logs").join(app(7)), "not a folder").unwrap();
    let exit = t.run(spec(7, 2, "echo ran > /dev/null")).await;
    assert_exit(&exit, -1000, &["cannot prepare log folder", &app(7)]);
    // Its work folder is cleaned up.
    assert!(
        !t.root()
            .join("local/usercache/tester/appcache")
            .join(app(7))
            .join(cid(7, 2))
            .exists()
    );
    still_serving(&mut t, 1).await;
}

/// What fails in the shell reports the shell's code and message: a command that does not exist
/// (127), and an environment value with an unbalanced quote, which breaks the launch script as it
/// would on YARN (bash's syntax error, 2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shell_failures_report_the_shell_code_and_message() {
    let mut t = TestRunner::new();
    let mut broken = spec(1, 4, "true");
    broken.env = vec![("BROKEN".into(), "a\"b".into())];
    let cases = [
        (
            spec(1, 2, "/no/such/binary --flag"),
            127,
            vec!["command not found", "/no/such/binary"],
        ),
        (spec(1, 3, "definitely-not-a-command-xyz"), 127, vec![]),
        (broken, 2, vec!["non-zero exit code 2", "unexpected EOF"]),
    ];
    for (s, status, says) in cases {
        assert_exit(&t.run(s).await, status, &says);
    }
    still_serving(&mut t, 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_specs_fail_with_minus_1000_and_say_why() {
    let mut t = TestRunner::new();
    let mut bad_env = spec(1, 2, "true");
    bad_env.env = vec![("NOT-A-NAME".into(), "x".into())];
    let mut bad_tokens = spec(1, 3, "true");
    bad_tokens.tokens = b"\x00\x01garbage".to_vec();
    let mut no_command = spec(1, 4, "");
    no_command.commands = vec![];
    let mut bad_user = spec(1, 5, "true");
    bad_user.user = "../root".into();
    let mut bad_app = spec(1, 6, "true");
    bad_app.app_id = "application/../../x".into();
    let cases = [
        (bad_env, "invalid environment variable name \"NOT-A-NAME\""),
        (bad_tokens, "not a Hadoop credentials file"),
        (no_command, "no command to run"),
        (bad_user, "invalid user \"../root\""),
        (bad_app, "invalid application id"),
    ];
    for (s, expect) in cases {
        assert_exit(&t.run(s).await, -1000, &[expect]);
    }
    assert!(!t.root().join("local/root").exists());
    assert!(!t.root().join("x").exists());
    still_serving(&mut t, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unusable_configurations_are_refused() {
    let cfg = RunnerConfig::new(vec!["relative/dir".into()], vec!["/tmp/x".into()]);
    assert!(matches!(
        LocalRunner::new(cfg),
        Err(ConfigError::BadDir { .. })
    ));
    let mut cfg = RunnerConfig::new(vec!["/tmp/a".into()], vec!["/tmp/b".into()]);
    cfg.bash = "/no/such/bash".into();
    assert!(matches!(
        LocalRunner::new(cfg),
        Err(ConfigError::Watchdog { .. })
    ));
}

#[test]
fn a_runner_needs_a_tokio_runtime() {
    let cfg = RunnerConfig::new(vec!["/tmp/a".into()], vec!["/tmp/b".into()]);
    assert!(matches!(LocalRunner::new(cfg), Err(ConfigError::NoRuntime)));
}
