//! `spindle submit` as a person types it, on an embedded cluster: cluster mode and client mode
//! print the right result, a spec file with two roles runs both, the application can be
//! inspected afterwards (`list`, `status`, `logs`), nothing stays staged; and `spindle demo`.

mod common;
mod user;

use user::{User, cluster_and_user};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_mode_prints_pi_and_the_application_can_be_inspected() {
    let (cluster, me) = cluster_and_user(2).await;
    let run = me.submits_pi("").await;
    assert!(run.stderr.contains("tracking URL: http://"), "{run}");
    let id = run.application_id();
    assert!(
        me.staged_applications().is_empty(),
        "staging left behind: {:?}",
        me.staged_applications()
    );

    let list = me.spindle("list --all", &[]).await;
    assert_eq!(list.code, 0, "{list}");
    let line = list
        .stdout
        .lines()
        .find(|l| l.starts_with(&id))
        .unwrap_or_else(|| panic!("{id} listed: {list}"));
    assert!(
        line.contains("FINISHED") && line.contains("SUCCEEDED"),
        "{line}"
    );
    assert!(line.contains("spindle example pi"), "{line}");

    let status = me.spindle(&format!("status {id}"), &[]).await;
    assert_eq!(status.code, 0, "{status}");
    assert!(
        status.stdout.contains("final status: SUCCEEDED"),
        "{status}"
    );

    let logs = me.spindle(&format!("logs {id} --file stdout"), &[]).await;
    assert_eq!(logs.code, 0, "{logs}");
    let am = format!("=== container_{}_01_000001 stdout ===", user::id_part(&id));
    assert!(logs.stdout.contains(&am), "{logs}");
    assert!(logs.stdout.contains("Pi is roughly 3.1"), "{logs}");

    // From a machine without the NodeManagers' folders: their web API serves the same logs.
    let remote = User::of(&conf_without_log_dirs(cluster.conf_dir(), me.home.path()));
    let web = remote
        .spindle(&format!("logs {id} --file stdout"), &[])
        .await;
    assert_eq!(web.code, 0, "{web}");
    assert!(web.stdout.contains(&am), "{web}");
    assert!(web.stdout.contains("Pi is roughly 3.1"), "{web}");
    cluster.shutdown().await;
}

/// A copy of the configuration folder `conf` under `dir`, without the NodeManagers' log folders.
fn conf_without_log_dirs(conf: &std::path::Path, dir: &std::path::Path) -> std::path::PathBuf {
    let copy = dir.join("remote-conf");
    std::fs::create_dir_all(&copy).unwrap();
    for name in ["core-site.xml", "yarn-site.xml"] {
        let text = std::fs::read_to_string(conf.join(name)).unwrap();
        let kept: String = text
            .split_inclusive("</property>")
            .filter(|p| !p.contains("<name>yarn.nodemanager.log-dirs</name>"))
            .collect();
        assert!(!kept.contains("yarn.nodemanager.log-dirs"), "{kept}");
        std::fs::write(copy.join(name), kept).unwrap();
    }
    copy
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_mode_runs_the_driver_here_and_prints_pi() {
    let (cluster, me) = cluster_and_user(2).await;
    let run = me.submits_pi("--deploy-mode client").await;
    assert!(run.stderr.contains("(driver at 127.0.0.1:"), "{run}");
    assert!(run.stderr.contains("FINISHED (SUCCEEDED)"), "{run}");
    assert!(me.staged_applications().is_empty());
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spec_file_with_two_roles_runs_both() {
    let (cluster, me) = cluster_and_user(2).await;
    std::fs::write(
        me.home.path().join("two-roles.toml"),
        r#"
name = "two roles"
executor_memory = "128m"
env = { GREETING = "hello" }
files = ["words.txt"]

[[role]]
name = "greeter"
instances = 2
command = "echo $GREETING from $SPINDLE_ROLE $SPINDLE_ROLE_INDEX"

[[role]]
name = "counter"
command = "wc -w < words.txt"
"#,
    )
    .unwrap();
    std::fs::write(me.home.path().join("words.txt"), "one two three four\n").unwrap();
    for mode in ["cluster", "client"] {
        let run = me
            .spindle(
                &format!("submit --deploy-mode {mode} --spec two-roles.toml"),
                &[],
            )
            .await;
        assert_eq!(run.code, 0, "{mode}: {run}");
        for line in [
            "[greeter 0] hello from greeter 0",
            "[greeter 1] hello from greeter 1",
            "[counter 0] 4",
            "roles done: 2 × greeter, 1 × counter",
        ] {
            assert!(run.stdout.contains(line), "{mode}: {line:?} missing: {run}");
        }
    }
    assert!(me.staged_applications().is_empty());
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_runs_pi_in_both_modes_and_stops_everything() {
    let run = User::without_cluster().spindle("demo", &[]).await;
    assert_eq!(run.code, 0, "{run}");
    let pi_lines = run
        .stdout
        .lines()
        .filter(|l| l.contains("result:") && l.contains("Pi is roughly 3.1"))
        .count();
    assert_eq!(pi_lines, 2, "{run}");
    for text in [
        "cluster mode (the driver runs in the ApplicationMaster's container):",
        "client mode (the driver runs in this process):",
        "→ FINISHED:",
        "→ executors:",
        "tracking URL: http://",
        "cluster stopped",
    ] {
        assert!(run.stdout.contains(text), "{text:?} missing: {run}");
    }
}
