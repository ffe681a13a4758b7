//! The environment, launch script, tokens file, session and exit codes of containers run by the
//! local runner, with real processes.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::*;
use spindle_launcher::ContainerState;
use spindle_launcher::spec::EMPTY_CREDENTIALS;

fn parse_env(text: &str) -> HashMap<String, String> {
    text.split('\0')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn container_gets_the_nodemanager_environment() {
    let mut t = TestRunner::with(|c| {
        c.env_passthrough = vec![
            ("PATH".into(), "/usr/bin:/bin".into()),
            ("JAVA_HOME".into(), "/opt/node-java".into()),
            ("LANG".into(), "C.UTF-8".into()),
        ];
    });
    let mut s = spec(
        1,
        2,
        "env -0 > <LOG_DIR>/env.bin && cat /proc/$$/stat > <LOG_DIR>/stat && ls -d tmp > <LOG_DIR>/tmp.txt",
    );
    s.env = vec![
        ("CONTAINER_ID".into(), "spoofed".into()),
        (
            "CLASSPATH".into(),
            "{{PWD}}<CPS>{{PWD}}/__app__.jar<CPS><LOG_DIR>".into(),
        ),
        ("JAVA_HOME".into(), "/opt/app-java".into()),
        ("SPARK_USER".into(), "tester".into()),
    ];
    let log_dir = t.log_dir(&s);
    let exit = t.run(s.clone()).await;
    assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);
    assert_eq!(exit.diagnostics, "");
    assert_eq!(exit.app_id, s.app_id);

    let env = parse_env(&std::fs::read_to_string(log_dir.join("env.bin")).unwrap());
    let root = t.root();
    let app_dir = root.join("local/usercache/tester/appcache").join(&s.app_id);
    let work = app_dir.join(&s.container_id);
    let get = |k: &str| {
        env.get(k)
            .cloned()
            .unwrap_or_else(|| panic!("{k} missing from {env:?}"))
    };
    assert_eq!(
        get("CONTAINER_ID"),
        s.container_id,
        "the NM's value overrides the container's"
    );
    assert_eq!(get("NM_HOST"), "node1.test");
    assert_eq!(get("NM_PORT"), "45454");
    assert_eq!(get("NM_HTTP_PORT"), "8042");
    assert_eq!(get("LOCAL_DIRS"), app_dir.to_string_lossy());
    assert_eq!(
        get("LOCAL_USER_DIRS"),
        format!("{}/", root.join("local/usercache/tester").display())
    );
    assert_eq!(get("LOG_DIRS"), log_dir.to_string_lossy());
    assert_eq!(get("USER"), "tester");
    assert_eq!(get("LOGNAME"), "tester");
    assert_eq!(get("HOME"), "/home/");
    assert_eq!(get("PWD"), work.to_string_lossy());
    assert_eq!(
        get("HADOOP_TOKEN_FILE_LOCATION"),
        work.join("container_tokens").to_string_lossy()
    );
    assert_eq!(
        get("CLASSPATH"),
        format!("{0}:{0}/__app__.jar:{1}", work.display(), log_dir.display())
    );
    assert_eq!(
        get("JAVA_HOME"),
        "/opt/app-java",
        "the container's own value beats passthrough"
    );
    assert_eq!(get("LANG"), "C.UTF-8", "whitelisted variables pass through");
    assert_eq!(get("PATH"), "/usr/bin:/bin");
    assert_eq!(get("SPARK_USER"), "tester");
    assert!(get("JVM_PID").parse::<i32>().is_ok());
    assert!(
        !env.contains_key("CARGO"),
        "the runner's own environment does not leak"
    );

    // Own session and process group: the command's shell leads both.
    let stat = std::fs::read_to_string(log_dir.join("stat")).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 1..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let pid: i32 = stat.split_whitespace().next().unwrap().parse().unwrap();
    assert_eq!(
        f[2].parse::<i32>().unwrap(),
        pid,
        "process group id = leader pid"
    );
    assert_eq!(f[3].parse::<i32>().unwrap(), pid, "session id = leader pid");
    assert_eq!(
        get("JVM_PID").parse::<i32>().unwrap(),
        pid,
        "exec keeps the script's pid"
    );

    assert_eq!(
        std::fs::read_to_string(log_dir.join("tmp.txt")).unwrap(),
        "tmp\n"
    );
    // The work folder is removed once the container is done.
    assert!(!work.exists());
    assert!(
        matches!(t.runner.status(&s.container_id), Some(ContainerState::Complete(e)) if e == exit)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_script_and_tokens_file_are_written() {
    let mut t = TestRunner::with(|c| c.keep_container_dirs = true);
    let tokens =
        b"HDTS\x00\x01\x00\x04\x01\x02\x03\x04\x02\x05\x06\x0bYARN_TOKEN\x00\x00\x00\x00\x00"
            .to_vec();
    let mut s = spec(
        1,
        3,
        "cat \"$HADOOP_TOKEN_FILE_LOCATION\" > <LOG_DIR>/tokens.bin",
    );
    s.tokens = tokens.clone();
    s.env = vec![("GREETING".into(), "hello {{USER}}".into())];
    // Quotes inside the command are escaped for the `bash -c "…"` line, as Spark's escapeForShell does.
    s.commands = vec![
        "echo".into(),
        "\\\"$GREETING\\\"".into(),
        ">".into(),
        "<LOG_DIR>/greeting;".into(),
        s.commands[0].clone(),
    ];
    let log_dir = t.log_dir(&s);
    let exit = t.run(s.clone()).await;
    assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);
    assert_eq!(
        std::fs::read(log_dir.join("tokens.bin")).unwrap(),
        tokens,
        "tokens are written verbatim"
    );
    assert_eq!(
        std::fs::read_to_string(log_dir.join("greeting")).unwrap(),
        "hello tester\n"
    );

    let work = t
        .root()
        .join("local/usercache/tester/appcache")
        .join(&s.app_id)
        .join(&s.container_id);
    let script = std::fs::read_to_string(work.join("launch_container.sh")).unwrap();
    assert!(script.starts_with("#!/bin/bash\n"));
    assert!(
        script.contains("export GREETING=\"hello $USER\"\n"),
        "{script}"
    );
    let last = script.lines().last().unwrap();
    assert!(
        last.starts_with("exec '/bin/bash' -c \"echo \\\"$GREETING\\\" > ")
            && last.contains("/greeting; cat"),
        "{last}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(work.join("container_tokens"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    // Without tokens an empty credentials file is written, so the location is always valid.
    let s2 = spec(
        1,
        4,
        "cat \"$HADOOP_TOKEN_FILE_LOCATION\" > <LOG_DIR>/tokens.bin",
    );
    let log2 = t.log_dir(&s2);
    assert_eq!(t.run(s2).await.exit_status, 0);
    assert_eq!(
        std::fs::read(log2.join("tokens.bin")).unwrap(),
        EMPTY_CREDENTIALS
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_goes_to_the_log_folder_and_exit_codes_are_reported() {
    let mut t = TestRunner::new();
    let s = spec(2, 1, "echo out-line; echo err-line >&2; exit 0");
    let log_dir = t.log_dir(&s);
    assert_eq!(t.run(s).await.exit_status, 0);
    assert_eq!(
        std::fs::read_to_string(log_dir.join("stdout")).unwrap(),
        "out-line\n"
    );
    assert_eq!(
        std::fs::read_to_string(log_dir.join("stderr")).unwrap(),
        "err-line\n"
    );

    let exit = t.run(spec(2, 2, "echo something broke >&2; exit 3")).await;
    assert_eq!(exit.exit_status, 3);
    assert!(
        exit.diagnostics.contains("non-zero exit code 3"),
        "{}",
        exit.diagnostics
    );
    assert!(
        exit.diagnostics.contains("something broke"),
        "{}",
        exit.diagnostics
    );

    // A process killed by a signal it did not get from the runner reports 128 + signal.
    let exit = t.run(spec(2, 3, "kill -9 $$")).await;
    assert_eq!(exit.exit_status, 137, "{}", exit.diagnostics);

    // Several commands are joined with spaces.
    let mut s = spec(2, 4, "");
    s.commands = vec!["exit".into(), "42".into()];
    assert_eq!(t.run(s).await.exit_status, 42);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_containers_run_concurrently() {
    let mut t = TestRunner::new();
    for i in 0..40 {
        t.runner
            .start(spec(
                3,
                i,
                &format!("echo {i} > <LOG_DIR>/n; exit $(( {i} % 3 ))"),
            ))
            .unwrap();
    }
    for i in 0..40 {
        let exit = t.events.wait(&cid(3, i), Duration::from_secs(60)).await;
        assert_eq!(exit.exit_status, (i % 3) as i32, "{}", exit.diagnostics);
    }
    assert_eq!(t.runner.active(), 0);
    assert!(t.runner.shutdown(Duration::from_secs(5)).await);
}

#[tokio::test]
async fn works_on_a_current_thread_runtime() {
    let mut t = TestRunner::new();
    let exit = t.run(spec(4, 1, "exit 5")).await;
    assert_eq!(exit.exit_status, 5, "{}", exit.diagnostics);
    let s = spec(4, 2, "sleep 30");
    t.runner.start(s).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    t.runner
        .stop(&cid(4, 2), spindle_launcher::StopReason::Released);
    let exit = t.events.wait(&cid(4, 2), Duration::from_secs(10)).await;
    assert_eq!(exit.exit_status, -100, "{}", exit.diagnostics);
}
