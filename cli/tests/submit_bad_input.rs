//! Bad input to `spindle submit`: each gets a message naming the problem (and the fix), a
//! non-zero exit code, and leaves nothing submitted or staged behind.

mod common;
mod user;

use spindle_protocol::proto::yarn_service::GetApplicationsRequestProto;
use user::{Run, User};

/// Nothing reached the ResourceManager and nothing stayed staged.
async fn nothing_left(cluster: &spindle_minicluster::MiniCluster, me: &User, run: &Run) {
    let apps = common::client(cluster)
        .get_applications(&GetApplicationsRequestProto::default())
        .await
        .expect("getApplications")
        .applications;
    assert!(
        apps.is_empty(),
        "an application was submitted: {apps:?}\n{run}"
    );
    assert!(
        me.staged_applications().is_empty(),
        "staged files were left: {:?}\n{run}",
        me.staged_applications()
    );
}

fn assert_refused(run: &Run, says: &[&str]) {
    assert_ne!(run.code, 0, "{run}");
    for s in says {
        assert!(run.stderr.contains(s), "{s:?} missing: {run}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_conf_dir_is_named() {
    let mut me = User::without_cluster();
    me.conf_dir = Some(me.home.path().join("no-such-conf"));
    let run = me.run(&["submit", "--", "spindle", "example", "pi"]).await;
    assert_eq!(run.code, 1, "{run}");
    assert_refused(
        &run,
        &[
            "no-such-conf",
            "hint: point HADOOP_CONF_DIR at a readable folder",
        ],
    );
    let none = User::without_cluster()
        .run(&[
            "submit", "--master", "yarn", "--", "spindle", "example", "pi",
        ])
        .await;
    assert_refused(&none, &["no cluster is configured", "HADOOP_CONF_DIR"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_master_is_a_usage_error() {
    let run = User::without_cluster()
        .run(&[
            "submit", "--master", "local", "--", "spindle", "example", "pi",
        ])
        .await;
    assert_eq!(run.code, 2, "{run}");
    assert_refused(&run, &["invalid value 'local'", "yarn, embedded"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_above_the_clusters_maximum_is_refused_before_staging() {
    let cluster = common::cluster(1).await;
    let me = User::of(cluster.conf_dir());
    let run = me
        .run(&[
            "submit",
            "--executor-memory",
            "100g",
            "--",
            "spindle",
            "example",
            "pi",
        ])
        .await;
    assert_eq!(run.code, 1, "{run}");
    assert_refused(
        &run,
        &[
            "102400 MB",
            "above the cluster's maximum",
            "4096 MB",
            "yarn.scheduler.maximum-allocation-mb",
        ],
    );
    let am = me
        .run(&[
            "submit",
            "--conf",
            "spindle.yarn.am.memory=64g",
            "--",
            "spindle",
            "example",
            "pi",
        ])
        .await;
    assert_refused(&am, &["ApplicationMaster's memory"]);
    nothing_left(&cluster, &me, &run).await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_address_that_cannot_be_reached_submits_nothing() {
    let cluster = common::cluster(1).await;
    let me = User::of(cluster.conf_dir());
    let run = me
        .run(&[
            "submit",
            "--deploy-mode",
            "client",
            "--conf",
            "spindle.driver.host=no-such-host.invalid",
            "--",
            "spindle",
            "example",
            "pi",
        ])
        .await;
    assert_eq!(run.code, 1, "{run}");
    assert_refused(
        &run,
        &[
            "no-such-host.invalid",
            "cannot be reached",
            "spindle.driver.host",
        ],
    );
    nothing_left(&cluster, &me, &run).await;
    // The driver that was started for it is gone too (it announced this host).
    let drivers = user::eventually(std::time::Duration::from_secs(10), || {
        let left = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|p| user::env_of(*p, "NM_HOST").as_deref() == Some("no-such-host.invalid"))
            .count();
        (left == 0).then_some(())
    })
    .await;
    assert!(drivers.is_some(), "the client-mode driver was left running");
    let missing = me
        .run(&[
            "submit",
            "--deploy-mode",
            "client",
            "--",
            "./no/such/driver",
        ])
        .await;
    assert_refused(
        &missing,
        &["the driver program ./no/such/driver does not exist"],
    );
    nothing_left(&cluster, &me, &missing).await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spec_file_with_an_unknown_key_or_a_wrong_type_names_the_line() {
    let cluster = common::cluster(1).await;
    let me = User::of(cluster.conf_dir());
    std::fs::write(
        me.home.path().join("typo.toml"),
        "name = \"x\"\nnum_executor = 2\n",
    )
    .unwrap();
    std::fs::write(
        me.home.path().join("type.toml"),
        "num_executors = \"two\"\n",
    )
    .unwrap();
    let typo = me.run(&["submit", "--spec", "typo.toml"]).await;
    assert_eq!(typo.code, 1, "{typo}");
    assert_refused(
        &typo,
        &[
            "typo.toml",
            "line 2",
            "unknown field `num_executor`",
            "num_executors",
        ],
    );
    let wrong = me.run(&["submit", "--spec", "type.toml"]).await;
    assert_refused(
        &wrong,
        &["type.toml", "line 1", "invalid type: string \"two\""],
    );
    let none = me.run(&["submit", "--spec", "missing.toml"]).await;
    assert_refused(&none, &["cannot read the spec file missing.toml"]);
    nothing_left(&cluster, &me, &typo).await;
    cluster.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_files_path_that_does_not_exist_stages_nothing() {
    let cluster = common::cluster(1).await;
    let me = User::of(cluster.conf_dir());
    std::fs::write(me.home.path().join("real.txt"), "x").unwrap();
    let run = me
        .run(&[
            "submit",
            "--files",
            "real.txt,missing.txt",
            "--",
            "spindle",
            "example",
            "pi",
        ])
        .await;
    assert_eq!(run.code, 1, "{run}");
    assert_refused(&run, &["the file missing.txt cannot be read"]);
    let clash = me
        .run(&[
            "submit",
            "--files",
            "real.txt,real.txt",
            "--",
            "spindle",
            "example",
            "pi",
        ])
        .await;
    assert_refused(
        &clash,
        &["two resources would be linked as \"real.txt\"", "PATH#LINK"],
    );
    nothing_left(&cluster, &me, &run).await;
    cluster.shutdown().await;
}
